//! Permission schemes and their grants, with the grants' ids.

use rusqlite::{OptionalExtension, params};

use super::{Db, Tx};
use crate::store::StoreResult;

/// One grant row: (id, scheme id, permission, holder type, holder parameter).
pub type GrantRow = (i64, i64, String, String, Option<String>);

fn grant_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<GrantRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

pub fn grants(db: &Db, scheme: i64) -> StoreResult<Vec<GrantRow>> {
    let mut stmt = db.prepare_cached(
        "SELECT id, scheme_id, permission, holder_type, holder_param FROM permission_grants
         WHERE scheme_id = ?1 ORDER BY id",
    )?;
    let rows = stmt
        .query_map([scheme], grant_row)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn grant(db: &Db, scheme: i64, id: i64) -> StoreResult<Option<GrantRow>> {
    Ok(db
        .prepare_cached(
            "SELECT id, scheme_id, permission, holder_type, holder_param FROM permission_grants
             WHERE scheme_id = ?1 AND id = ?2",
        )?
        .query_row(params![scheme, id], grant_row)
        .optional()?)
}

/// Whether the scheme already holds this exact grant.
pub fn grant_exists(
    db: &Db,
    scheme: i64,
    permission: &str,
    holder_type: &str,
    param: Option<&str>,
) -> StoreResult<bool> {
    Ok(db
        .prepare_cached(
            "SELECT 1 FROM permission_grants WHERE scheme_id = ?1 AND permission = ?2
               AND holder_type = ?3 AND holder_param IS ?4",
        )?
        .query_row(params![scheme, permission, holder_type, param], |_| Ok(()))
        .optional()?
        .is_some())
}

pub fn insert_grant(
    db: &Tx,
    scheme: i64,
    permission: &str,
    holder_type: &str,
    param: Option<&str>,
) -> StoreResult<i64> {
    let id = super::next_id(db, "permission_grants")?;
    db.execute(
        "INSERT INTO permission_grants (id, scheme_id, permission, holder_type, holder_param)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, scheme, permission, holder_type, param],
    )?;
    Ok(id)
}

pub fn delete_grant(db: &Tx, scheme: i64, id: i64) -> StoreResult<bool> {
    Ok(db.execute(
        "DELETE FROM permission_grants WHERE scheme_id = ?1 AND id = ?2",
        params![scheme, id],
    )? > 0)
}

pub fn delete_grants(db: &Tx, scheme: i64) -> StoreResult<()> {
    db.execute(
        "DELETE FROM permission_grants WHERE scheme_id = ?1",
        [scheme],
    )?;
    Ok(())
}

pub fn name_taken(db: &Db, name: &str, except: Option<i64>) -> StoreResult<bool> {
    Ok(db
        .prepare_cached(
            "SELECT 1 FROM permission_schemes WHERE name = ?1 COLLATE NOCASE AND id IS NOT ?2",
        )?
        .query_row(params![name, except], |_| Ok(()))
        .optional()?
        .is_some())
}

pub fn insert(db: &Tx, name: &str, description: &str) -> StoreResult<i64> {
    let id = super::next_id(db, "permission_schemes")?;
    db.execute(
        "INSERT INTO permission_schemes (id, name, description) VALUES (?1, ?2, ?3)",
        params![id, name, description],
    )?;
    Ok(id)
}

pub fn update(db: &Tx, id: i64, name: &str, description: &str) -> StoreResult<()> {
    db.execute(
        "UPDATE permission_schemes SET name = ?2, description = ?3 WHERE id = ?1",
        params![id, name, description],
    )?;
    Ok(())
}

/// Keys of the projects using the scheme.
pub fn projects_using(db: &Db, id: i64) -> StoreResult<Vec<String>> {
    let mut stmt =
        db.prepare_cached("SELECT key FROM projects WHERE permission_scheme_id = ?1 ORDER BY key")?;
    let rows = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn delete(db: &Tx, id: i64) -> StoreResult<()> {
    db.execute("DELETE FROM permission_schemes WHERE id = ?1", [id])?;
    Ok(())
}

pub fn assign(db: &Tx, project: i64, scheme: i64) -> StoreResult<()> {
    db.execute(
        "UPDATE projects SET permission_scheme_id = ?2 WHERE id = ?1",
        params![project, scheme],
    )?;
    Ok(())
}
