//! Issue links and issue link types.

use rusqlite::{OptionalExtension, params};

use super::{Db, Tx};
use crate::domain::*;
use crate::store::StoreResult;

fn link_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<IssueLink> {
    Ok(IssueLink {
        id: r.get(0)?,
        link_type_id: r.get(1)?,
        source_id: IssueId(r.get(2)?),
        dest_id: IssueId(r.get(3)?),
    })
}

pub fn by_id(db: &Db, id: i64) -> StoreResult<Option<IssueLink>> {
    Ok(db
        .prepare_cached(
            "SELECT id, link_type_id, source_id, dest_id FROM issue_links WHERE id = ?1",
        )?
        .query_row([id], link_row)
        .optional()?)
}

/// Links where the issue is either end, oldest first.
pub fn of_issue(db: &Db, issue: IssueId) -> StoreResult<Vec<IssueLink>> {
    let mut stmt = db.prepare_cached(
        "SELECT id, link_type_id, source_id, dest_id FROM issue_links
         WHERE source_id = ?1 OR dest_id = ?1 ORDER BY id",
    )?;
    let rows = stmt
        .query_map([issue.0], link_row)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Inserts a link unless the same one exists; returns its id and whether it is new.
pub fn insert(
    db: &Tx,
    link_type: i64,
    source: IssueId,
    dest: IssueId,
    now: Millis,
) -> StoreResult<(i64, bool)> {
    let existing: Option<i64> = db
        .prepare_cached(
            "SELECT id FROM issue_links WHERE link_type_id = ?1 AND source_id = ?2 AND dest_id = ?3",
        )?
        .query_row(params![link_type, source.0, dest.0], |r| r.get(0))
        .optional()?;
    if let Some(id) = existing {
        return Ok((id, false));
    }
    let id: i64 = super::next_id(db, "issue_links")?;
    db.prepare_cached(
        "INSERT INTO issue_links (id, link_type_id, source_id, dest_id, created) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![id, link_type, source.0, dest.0, now.0])?;
    Ok((id, true))
}

pub fn delete(db: &Tx, id: i64) -> StoreResult<()> {
    db.prepare_cached("DELETE FROM issue_links WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// Issues at either end of links of one type (for the outbox before the type goes).
pub fn issues_linked_by_type(db: &Db, link_type: i64) -> StoreResult<Vec<i64>> {
    let mut stmt = db.prepare(
        "SELECT source_id FROM issue_links WHERE link_type_id = ?1
         UNION SELECT dest_id FROM issue_links WHERE link_type_id = ?1",
    )?;
    let ids = stmt
        .query_map([link_type], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(ids)
}

pub fn insert_type(db: &Tx, name: &str, inward: &str, outward: &str) -> StoreResult<i64> {
    let id: i64 = super::next_id(db, "issue_link_types")?;
    db.execute(
        "INSERT INTO issue_link_types (id, name, inward, outward) VALUES (?1, ?2, ?3, ?4)",
        params![id, name, inward, outward],
    )?;
    Ok(id)
}

pub fn update_type(db: &Tx, t: &LinkType) -> StoreResult<()> {
    db.execute(
        "UPDATE issue_link_types SET name = ?2, inward = ?3, outward = ?4 WHERE id = ?1",
        params![t.id, t.name, t.inward, t.outward],
    )?;
    Ok(())
}

pub fn delete_type(db: &Tx, id: i64) -> StoreResult<()> {
    db.execute("DELETE FROM issue_link_types WHERE id = ?1", [id])?;
    Ok(())
}
