//! Worklogs, the deletion feed, and the per-issue totals they feed.

use rusqlite::{OptionalExtension, params};

use super::{Db, Tx};
use crate::domain::*;
use crate::store::StoreResult;

const COLUMNS: &str = "id, issue_id, author_id, update_author_id, comment, started, time_spent, created, updated, visibility_type, visibility_value";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Worklog> {
    let kind: Option<String> = r.get(9)?;
    let value: Option<String> = r.get(10)?;
    Ok(Worklog {
        id: r.get(0)?,
        issue_id: IssueId(r.get(1)?),
        author_id: r.get::<_, Option<i64>>(2)?.map(UserId),
        update_author_id: r.get::<_, Option<i64>>(3)?.map(UserId),
        comment: r.get(4)?,
        started: Millis(r.get(5)?),
        time_spent: r.get(6)?,
        created: Millis(r.get(7)?),
        updated: Millis(r.get(8)?),
        visibility: kind
            .zip(value)
            .map(|(kind, value)| Visibility { kind, value }),
    })
}

/// All worklogs of an issue, oldest start first; callers filter by visibility and page.
pub fn of_issue(db: &Db, issue: IssueId) -> StoreResult<Vec<Worklog>> {
    let mut stmt = db.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM worklogs WHERE issue_id = ?1 ORDER BY started, id"
    ))?;
    let rows = stmt.query_map([issue.0], row)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn by_id(db: &Db, id: i64) -> StoreResult<Option<Worklog>> {
    Ok(db
        .prepare_cached(&format!("SELECT {COLUMNS} FROM worklogs WHERE id = ?1"))?
        .query_row([id], row)
        .optional()?)
}

/// Worklogs updated at or after `since`, oldest first, at most `limit`.
pub fn updated_since(db: &Db, since: Millis, limit: i64) -> StoreResult<Vec<Worklog>> {
    let mut stmt = db.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM worklogs WHERE updated >= ?1 ORDER BY updated, id LIMIT ?2"
    ))?;
    let rows = stmt
        .query_map(params![since.0, limit], row)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// (worklog id, issue id, deleted) of deletions at or after `since`, oldest first.
pub fn deleted_since(
    db: &Db,
    since: Millis,
    limit: i64,
) -> StoreResult<Vec<(i64, IssueId, Millis)>> {
    let mut stmt = db.prepare_cached(
        "SELECT worklog_id, issue_id, deleted FROM worklog_deletions WHERE deleted >= ?1
         ORDER BY deleted, worklog_id LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![since.0, limit], |r| {
            Ok((r.get(0)?, IssueId(r.get(1)?), Millis(r.get(2)?)))
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn insert(db: &Tx, w: &Worklog) -> StoreResult<i64> {
    // Never reuse the id of a deleted worklog: the deletion feed names it.
    let id: i64 = db
        .prepare_cached(
            "SELECT max(10000, coalesce((SELECT max(id) FROM worklogs), 0) + 1,
                    coalesce((SELECT max(worklog_id) FROM worklog_deletions), 0) + 1)",
        )?
        .query_row([], |r| r.get(0))?;
    db.prepare_cached(&format!(
        "INSERT INTO worklogs ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    ))?
    .execute(params![
        id,
        w.issue_id.0,
        w.author_id.map(|u| u.0),
        w.update_author_id.map(|u| u.0),
        w.comment,
        w.started.0,
        w.time_spent,
        w.created.0,
        w.updated.0,
        w.visibility.as_ref().map(|v| v.kind.as_str()),
        w.visibility.as_ref().map(|v| v.value.as_str()),
    ])?;
    Ok(id)
}

pub fn update(db: &Tx, w: &Worklog) -> StoreResult<()> {
    db.prepare_cached(
        "UPDATE worklogs SET update_author_id = ?2, comment = ?3, started = ?4, time_spent = ?5,
         updated = ?6, visibility_type = ?7, visibility_value = ?8 WHERE id = ?1",
    )?
    .execute(params![
        w.id,
        w.update_author_id.map(|u| u.0),
        w.comment,
        w.started.0,
        w.time_spent,
        w.updated.0,
        w.visibility.as_ref().map(|v| v.kind.as_str()),
        w.visibility.as_ref().map(|v| v.value.as_str()),
    ])?;
    Ok(())
}

/// Deletes a worklog; a trigger records it in the deletion feed and drops its properties.
pub fn delete(db: &Tx, id: i64) -> StoreResult<()> {
    db.execute("DELETE FROM worklogs WHERE id = ?1", [id])?;
    Ok(())
}

/// Sum of the time logged on an issue, `None` without worklogs.
pub fn total_spent(db: &Db, issue: IssueId) -> StoreResult<Option<i64>> {
    Ok(db
        .prepare_cached("SELECT sum(time_spent) FROM worklogs WHERE issue_id = ?1")?
        .query_row([issue.0], |r| r.get(0))?)
}

/// Sets the issue's time spent and remaining estimate (the worklog side of time tracking).
pub fn set_issue_times(
    db: &Tx,
    issue: IssueId,
    spent: Option<i64>,
    remaining: Option<i64>,
) -> StoreResult<()> {
    db.prepare_cached("UPDATE issues SET time_spent = ?2, remaining_estimate = ?3 WHERE id = ?1")?
        .execute(params![issue.0, spent, remaining])?;
    Ok(())
}
