use rusqlite::params;

use super::{Db, Tx};
use crate::domain::*;
use crate::store::StoreResult;

/// Writes one change group (one user action) with its items; nothing when `items` is empty.
pub fn record(
    db: &Tx,
    issue: IssueId,
    author: Option<UserId>,
    at: Millis,
    items: &[ChangeItem],
) -> StoreResult<()> {
    if items.is_empty() {
        return Ok(());
    }
    let id: i64 = super::next_id(db, "changelog_groups")?;
    db.prepare_cached(
        "INSERT INTO changelog_groups (id, issue_id, author_id, created) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![id, issue.0, author.map(|u| u.0), at.0])?;
    let mut stmt = db.prepare_cached(
        "INSERT INTO changelog_items (group_id, seq, field, field_type, field_id, from_value, from_string, to_value, to_string)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for (seq, item) in items.iter().enumerate() {
        stmt.execute(params![
            id,
            seq as i64,
            item.field,
            item.field_type,
            item.field_id,
            item.from,
            item.from_string,
            item.to,
            item.to_string
        ])?;
    }
    Ok(())
}

/// Change groups of an issue, oldest first, with the total count.
pub fn of_issue(
    db: &Db,
    issue: IssueId,
    start_at: i64,
    max_results: i64,
) -> StoreResult<(Vec<ChangeGroup>, i64)> {
    let total: i64 = db
        .prepare_cached("SELECT count(*) FROM changelog_groups WHERE issue_id = ?1")?
        .query_row([issue.0], |r| r.get(0))?;
    let mut stmt = db.prepare_cached(
        "SELECT id, author_id, created FROM changelog_groups WHERE issue_id = ?1 ORDER BY id LIMIT ?2 OFFSET ?3",
    )?;
    let mut groups: Vec<ChangeGroup> = stmt
        .query_map(params![issue.0, max_results, start_at], |r| {
            Ok(ChangeGroup {
                id: r.get(0)?,
                issue_id: issue,
                author_id: r.get::<_, Option<i64>>(1)?.map(UserId),
                created: Millis(r.get(2)?),
                items: Vec::new(),
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut stmt = db.prepare_cached(
        "SELECT field, field_type, field_id, from_value, from_string, to_value, to_string FROM changelog_items
         WHERE group_id = ?1 ORDER BY seq",
    )?;
    for g in groups.iter_mut() {
        g.items = stmt
            .query_map([g.id], |r| {
                Ok(ChangeItem {
                    field: r.get(0)?,
                    field_type: r.get(1)?,
                    field_id: r.get(2)?,
                    from: r.get(3)?,
                    from_string: r.get(4)?,
                    to: r.get(5)?,
                    to_string: r.get(6)?,
                })
            })?
            .collect::<Result<_, _>>()?;
    }
    Ok((groups, total))
}

/// Issues changed by `author` within `[from, to)` (either bound optional).
pub fn issues_updated_by(
    db: &Db,
    author: UserId,
    from: Option<i64>,
    to: Option<i64>,
) -> StoreResult<Vec<i64>> {
    let mut stmt = db.prepare_cached(
        "SELECT DISTINCT issue_id FROM changelog_groups
         WHERE author_id = ?1 AND (?2 IS NULL OR created >= ?2) AND (?3 IS NULL OR created < ?3)",
    )?;
    let rows = stmt
        .query_map(params![author.0, from, to], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}
