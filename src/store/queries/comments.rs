use rusqlite::{OptionalExtension, params};

use super::{Db, Tx};
use crate::domain::*;
use crate::store::StoreResult;

const COLUMNS: &str = "id, issue_id, author_id, update_author_id, body, created, updated, visibility_type, visibility_value";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Comment> {
    let kind: Option<String> = r.get(7)?;
    let value: Option<String> = r.get(8)?;
    Ok(Comment {
        id: r.get(0)?,
        issue_id: IssueId(r.get(1)?),
        author_id: r.get::<_, Option<i64>>(2)?.map(UserId),
        update_author_id: r.get::<_, Option<i64>>(3)?.map(UserId),
        body: r.get(4)?,
        created: Millis(r.get(5)?),
        updated: Millis(r.get(6)?),
        visibility: kind
            .zip(value)
            .map(|(kind, value)| Visibility { kind, value }),
    })
}

/// All comments of an issue in creation order; callers filter by visibility and page.
pub fn of_issue(db: &Db, issue: IssueId) -> StoreResult<Vec<Comment>> {
    let mut stmt = db.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM comments WHERE issue_id = ?1 ORDER BY created, id"
    ))?;
    let rows = stmt.query_map([issue.0], row)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn by_id(db: &Db, id: i64) -> StoreResult<Option<Comment>> {
    Ok(db
        .prepare_cached(&format!("SELECT {COLUMNS} FROM comments WHERE id = ?1"))?
        .query_row([id], row)
        .optional()?)
}

pub fn insert(db: &Tx, c: &Comment) -> StoreResult<i64> {
    let id: i64 = super::next_id(db, "comments")?;
    db.prepare_cached(&format!(
        "INSERT INTO comments ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
    ))?
    .execute(params![
        id,
        c.issue_id.0,
        c.author_id.map(|u| u.0),
        c.update_author_id.map(|u| u.0),
        c.body,
        c.created.0,
        c.updated.0,
        c.visibility.as_ref().map(|v| v.kind.as_str()),
        c.visibility.as_ref().map(|v| v.value.as_str()),
    ])?;
    Ok(id)
}

pub fn update(db: &Tx, c: &Comment) -> StoreResult<()> {
    db.prepare_cached(
        "UPDATE comments SET update_author_id = ?2, body = ?3, updated = ?4, visibility_type = ?5, visibility_value = ?6 WHERE id = ?1",
    )?
    .execute(params![
        c.id,
        c.update_author_id.map(|u| u.0),
        c.body,
        c.updated.0,
        c.visibility.as_ref().map(|v| v.kind.as_str()),
        c.visibility.as_ref().map(|v| v.value.as_str()),
    ])?;
    Ok(())
}

pub fn delete(db: &Tx, id: i64) -> StoreResult<()> {
    db.execute(
        "DELETE FROM entity_properties WHERE entity_type = 'comment' AND entity_id = ?1",
        [id],
    )?;
    db.execute("DELETE FROM comments WHERE id = ?1", [id])?;
    Ok(())
}
