//! Entity properties: JSON values under a key, attached to any entity.

use rusqlite::{OptionalExtension, params};

use super::{Db, Tx};
use crate::store::StoreResult;

pub fn keys(db: &Db, entity_type: &str, entity_id: i64) -> StoreResult<Vec<String>> {
    let mut stmt = db.prepare_cached(
        "SELECT key FROM entity_properties WHERE entity_type = ?1 AND entity_id = ?2 ORDER BY key",
    )?;
    let keys = stmt
        .query_map(params![entity_type, entity_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(keys)
}

pub fn get(db: &Db, entity_type: &str, entity_id: i64, key: &str) -> StoreResult<Option<String>> {
    Ok(db
        .prepare_cached("SELECT value FROM entity_properties WHERE entity_type = ?1 AND entity_id = ?2 AND key = ?3")?
        .query_row(params![entity_type, entity_id, key], |r| r.get(0))
        .optional()?)
}

/// Sets a property; returns true when it was created, false when replaced.
pub fn set(
    db: &Tx,
    entity_type: &str,
    entity_id: i64,
    key: &str,
    value: &str,
) -> StoreResult<bool> {
    let existed = get(db, entity_type, entity_id, key)?.is_some();
    db.prepare_cached(
        "INSERT INTO entity_properties (entity_type, entity_id, key, value) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(entity_type, entity_id, key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![entity_type, entity_id, key, value])?;
    Ok(!existed)
}

pub fn delete(db: &Tx, entity_type: &str, entity_id: i64, key: &str) -> StoreResult<bool> {
    Ok(db
        .prepare_cached(
            "DELETE FROM entity_properties WHERE entity_type = ?1 AND entity_id = ?2 AND key = ?3",
        )?
        .execute(params![entity_type, entity_id, key])?
        > 0)
}
