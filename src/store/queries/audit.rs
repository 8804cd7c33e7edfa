//! The audit log's rows.

use rusqlite::params;

use super::{Db, Tx};
use crate::domain::Millis;
use crate::domain::audit::{AuditEntry, AuditItem, AuditQuery, AuditRecord, ChangedValue};
use crate::store::StoreResult;

/// Writes one record inside the transaction that makes the change it describes.
pub fn insert(
    tx: &Tx,
    created: Millis,
    author_key: Option<&str>,
    remote_address: Option<&str>,
    entry: &AuditEntry,
) -> StoreResult<i64> {
    let id = super::next_id(tx, "audit_records")?;
    let o = &entry.object;
    tx.prepare_cached(
        "INSERT INTO audit_records (id, created, author_key, remote_address, category, summary,
             object_type, object_id, object_name, object_parent_id, object_parent_name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        id,
        created.0,
        author_key,
        remote_address,
        entry.category,
        entry.summary,
        o.type_name,
        o.id,
        o.name,
        o.parent_id,
        o.parent_name
    ])?;
    for (i, v) in entry.changed_values.iter().enumerate() {
        tx.prepare_cached(
            "INSERT INTO audit_changed_values (record_id, position, field_name, changed_from, changed_to)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![id, i as i64, v.field_name, v.changed_from, v.changed_to])?;
    }
    for (i, a) in entry.associated_items.iter().enumerate() {
        tx.prepare_cached(
            "INSERT INTO audit_associated_items (record_id, position, type_name, item_id, item_name,
                 parent_id, parent_name)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            id,
            i as i64,
            a.type_name,
            a.id,
            a.name,
            a.parent_id,
            a.parent_name
        ])?;
    }
    Ok(id)
}

/// Records matching `q`, newest first, and how many match in all.
pub fn list(db: &Db, q: &AuditQuery) -> StoreResult<(Vec<AuditRecord>, usize)> {
    let text = q.text.as_deref().map(|t| {
        format!(
            "%{}%",
            t.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        )
    });
    let filter = "(?1 IS NULL OR r.created >= ?1) AND (?2 IS NULL OR r.created <= ?2)
         AND (?3 IS NULL OR r.summary LIKE ?3 ESCAPE '\\' OR r.category LIKE ?3 ESCAPE '\\'
              OR r.object_name LIKE ?3 ESCAPE '\\' OR coalesce(r.author_key, '') LIKE ?3 ESCAPE '\\'
              OR EXISTS (SELECT 1 FROM audit_changed_values v WHERE v.record_id = r.id
                  AND (v.field_name LIKE ?3 ESCAPE '\\' OR coalesce(v.changed_from, '') LIKE ?3 ESCAPE '\\'
                       OR coalesce(v.changed_to, '') LIKE ?3 ESCAPE '\\')))";
    let from = q.from.map(|m| m.0);
    let to = q.to.map(|m| m.0);
    let total: i64 = db
        .prepare_cached(&format!(
            "SELECT count(*) FROM audit_records r WHERE {filter}"
        ))?
        .query_row(params![from, to, text], |r| r.get(0))?;
    let mut stmt = db.prepare_cached(&format!(
        "SELECT r.id, r.created, r.author_key, r.remote_address, r.category, r.summary,
                r.object_type, r.object_id, r.object_name, r.object_parent_id, r.object_parent_name
         FROM audit_records r WHERE {filter} ORDER BY r.created DESC, r.id DESC LIMIT ?4 OFFSET ?5"
    ))?;
    let mut records = stmt
        .query_map(
            params![from, to, text, q.limit as i64, q.offset as i64],
            |r| {
                Ok(AuditRecord {
                    id: r.get(0)?,
                    created: Millis(r.get(1)?),
                    author_key: r.get(2)?,
                    remote_address: r.get(3)?,
                    entry: AuditEntry {
                        category: r.get(4)?,
                        summary: r.get(5)?,
                        object: AuditItem {
                            type_name: r.get(6)?,
                            id: r.get(7)?,
                            name: r.get(8)?,
                            parent_id: r.get(9)?,
                            parent_name: r.get(10)?,
                        },
                        changed_values: Vec::new(),
                        associated_items: Vec::new(),
                    },
                })
            },
        )?
        .collect::<Result<Vec<_>, _>>()?;
    for rec in &mut records {
        rec.entry.changed_values = db
            .prepare_cached(
                "SELECT field_name, changed_from, changed_to FROM audit_changed_values
                 WHERE record_id = ?1 ORDER BY position",
            )?
            .query_map([rec.id], |r| {
                Ok(ChangedValue {
                    field_name: r.get(0)?,
                    changed_from: r.get(1)?,
                    changed_to: r.get(2)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        rec.entry.associated_items = db
            .prepare_cached(
                "SELECT type_name, item_id, item_name, parent_id, parent_name FROM audit_associated_items
                 WHERE record_id = ?1 ORDER BY position",
            )?
            .query_map([rec.id], |r| {
                Ok(AuditItem {
                    type_name: r.get(0)?,
                    id: r.get(1)?,
                    name: r.get(2)?,
                    parent_id: r.get(3)?,
                    parent_name: r.get(4)?,
                })
            })?
            .collect::<Result<_, _>>()?;
    }
    Ok((records, total as usize))
}
