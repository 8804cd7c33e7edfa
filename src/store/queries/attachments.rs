//! Attachments and the reference-counted content blobs they point at.

use rusqlite::{OptionalExtension, params};

use super::{Db, Tx};
use crate::domain::*;
use crate::store::StoreResult;

const COLUMNS: &str = "id, issue_id, author_id, filename, mime_type, size, sha256, created";

fn row(r: &rusqlite::Row) -> rusqlite::Result<Attachment> {
    Ok(Attachment {
        id: r.get(0)?,
        issue_id: IssueId(r.get(1)?),
        author_id: r.get::<_, Option<i64>>(2)?.map(UserId),
        filename: r.get(3)?,
        mime_type: r.get(4)?,
        size: r.get(5)?,
        sha256: r.get(6)?,
        created: Millis(r.get(7)?),
    })
}

/// Makes sure a blob row exists for `sha256` (its count is kept by triggers).
pub fn ensure_blob(db: &Tx, sha256: &str, size: i64) -> StoreResult<()> {
    db.prepare_cached("INSERT OR IGNORE INTO attachment_blobs (sha256, size) VALUES (?1, ?2)")?
        .execute(params![sha256, size])?;
    Ok(())
}

/// Inserts an attachment (id chosen here, from 10000 up) and returns its id.
pub fn insert(db: &Tx, a: &Attachment) -> StoreResult<i64> {
    let id: i64 = super::next_id(db, "attachments")?;
    db.prepare_cached(
        "INSERT INTO attachments (id, issue_id, author_id, filename, mime_type, size, sha256, created)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        id,
        a.issue_id.0,
        a.author_id.map(|u| u.0),
        a.filename,
        a.mime_type,
        a.size,
        a.sha256,
        a.created.0
    ])?;
    Ok(id)
}

pub fn by_id(db: &Db, id: i64) -> StoreResult<Option<Attachment>> {
    Ok(db
        .prepare_cached(&format!("SELECT {COLUMNS} FROM attachments WHERE id = ?1"))?
        .query_row([id], row)
        .optional()?)
}

/// Attachments of an issue, oldest first.
pub fn of_issue(db: &Db, issue: IssueId) -> StoreResult<Vec<Attachment>> {
    let mut stmt = db.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM attachments WHERE issue_id = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([issue.0], row)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Number of attachments of an issue.
pub fn count(db: &Db, issue: IssueId) -> StoreResult<i64> {
    Ok(db
        .prepare_cached("SELECT count(*) FROM attachments WHERE issue_id = ?1")?
        .query_row([issue.0], |r| r.get(0))?)
}

pub fn delete(db: &Tx, id: i64) -> StoreResult<bool> {
    Ok(db
        .prepare_cached("DELETE FROM attachments WHERE id = ?1")?
        .execute([id])?
        > 0)
}

/// Whether a blob is referenced by at least one attachment.
pub fn blob_referenced(db: &Db, sha256: &str) -> StoreResult<bool> {
    Ok(db
        .prepare_cached("SELECT refs FROM attachment_blobs WHERE sha256 = ?1")?
        .query_row([sha256], |r| r.get::<_, i64>(0))
        .optional()?
        .is_some_and(|n| n > 0))
}

/// Hashes of the blobs at least one attachment uses.
pub fn referenced_hashes(db: &Db) -> StoreResult<Vec<String>> {
    let rows = db
        .prepare_cached("SELECT sha256 FROM attachment_blobs WHERE refs > 0")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Removes the rows of blobs no attachment uses any more and returns their hashes, so
/// the caller can remove the files.
pub fn take_unreferenced(db: &Tx) -> StoreResult<Vec<String>> {
    let hashes: Vec<String> = db
        .prepare_cached("SELECT sha256 FROM attachment_blobs WHERE refs <= 0")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    db.prepare_cached("DELETE FROM attachment_blobs WHERE refs <= 0")?
        .execute([])?;
    Ok(hashes)
}
