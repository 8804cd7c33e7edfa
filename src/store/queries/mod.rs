//! Query functions, one file per area. A read takes a [`Db`], so it serves reads on the
//! pool and inside the writer's transaction alike (a `&Tx` derefs to a `&Db`); a write
//! takes a [`Tx`], so only a write job can call it.

pub mod agile;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod bulk;
pub mod catalog;
pub mod changelog;
pub mod comment_events;
pub mod comments;
pub mod components;
pub mod filters;
pub mod issues;
pub mod links;
pub mod notifications;
pub mod projects;
pub mod properties;
pub mod remote_links;
pub mod roles;
pub mod schemes;
pub mod security;
pub mod servicedesk;
pub mod users;
pub mod users_admin;
pub mod version_links;
pub mod watchers;
pub mod worklogs;

pub use super::{Db, Tx};

/// A new id for a row of `table`: never one given before, also when that row has gone,
/// and above every id in the table (rows inserted with explicit ids, as the bulk loader
/// does, are skipped over). Ids start at 10000, as Jira's do. Call inside the write
/// transaction that inserts the row.
pub fn next_id(db: &Tx, table: &'static str) -> crate::store::StoreResult<i64> {
    db.prepare_cached(
        "INSERT INTO id_sequences (name, next) VALUES (?1, 10000) ON CONFLICT (name) DO NOTHING",
    )?
    .execute([table])?;
    Ok(db
        .prepare_cached(&format!(
            "UPDATE id_sequences SET next = max(next, (SELECT coalesce(max(id), 0) + 1 FROM {table})) + 1
             WHERE name = ?1 RETURNING next - 1"
        ))?
        .query_row([table], |r| r.get(0))?)
}
