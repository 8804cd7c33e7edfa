//! Remote links of versions: (version, global id) → the client's JSON text.

use rusqlite::{OptionalExtension, params};

use super::{Db, Tx};
use crate::store::StoreResult;

/// The links of a version as (global id, JSON text), by global id.
pub fn of_version(db: &Db, version: i64) -> StoreResult<Vec<(String, String)>> {
    let mut stmt = db.prepare_cached(
        "SELECT global_id, link FROM version_remote_links WHERE version_id = ?1 ORDER BY global_id",
    )?;
    let rows = stmt
        .query_map([version], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn get(db: &Db, version: i64, global_id: &str) -> StoreResult<Option<String>> {
    Ok(db
        .prepare_cached(
            "SELECT link FROM version_remote_links WHERE version_id = ?1 AND global_id = ?2",
        )?
        .query_row(params![version, global_id], |r| r.get(0))
        .optional()?)
}

/// Every link with this global id, as (version id, JSON text).
pub fn by_global_id(db: &Db, global_id: &str) -> StoreResult<Vec<(i64, String)>> {
    let mut stmt = db.prepare_cached(
        "SELECT version_id, link FROM version_remote_links WHERE global_id = ?1 ORDER BY version_id",
    )?;
    let rows = stmt
        .query_map([global_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Creates or replaces the link.
pub fn put(db: &Tx, version: i64, global_id: &str, link: &str) -> StoreResult<()> {
    db.prepare_cached(
        "INSERT INTO version_remote_links (version_id, global_id, link) VALUES (?1, ?2, ?3)
         ON CONFLICT (version_id, global_id) DO UPDATE SET link = excluded.link",
    )?
    .execute(params![version, global_id, link])?;
    Ok(())
}

/// Deletes one link (`Some`) or all of a version's; returns how many went.
pub fn delete(db: &Tx, version: i64, global_id: Option<&str>) -> StoreResult<usize> {
    Ok(db
        .prepare_cached(
            "DELETE FROM version_remote_links WHERE version_id = ?1 AND (?2 IS NULL OR global_id = ?2)",
        )?
        .execute(params![version, global_id])?)
}
