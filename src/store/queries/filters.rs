//! Saved filters, their favourites and shares, navigator column layouts and the default
//! share scope.

use rusqlite::{OptionalExtension, params};

use super::{Db, Tx};
use crate::domain::{Millis, ProjectId, SavedFilter, UserId};
use crate::store::StoreResult;

/// One share of a filter; the parameters set depend on `kind`.
#[derive(Debug, Clone)]
pub struct ShareRow {
    pub id: i64,
    pub filter_id: i64,
    /// `global`, `authenticated`, `group`, `project`, `projectRole` or `user`.
    pub kind: String,
    pub group_id: Option<i64>,
    pub group: Option<String>,
    pub project_id: Option<ProjectId>,
    pub role_id: Option<i64>,
    pub user_id: Option<UserId>,
}

const COLUMNS: &str = "id, owner_id, name, description, jql, created, updated";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SavedFilter> {
    Ok(SavedFilter {
        id: r.get(0)?,
        owner_id: UserId(r.get(1)?),
        name: r.get(2)?,
        description: r.get(3)?,
        jql: r.get(4)?,
        created: Millis(r.get(5)?),
        updated: Millis(r.get(6)?),
    })
}

pub fn by_id(db: &Db, id: i64) -> StoreResult<Option<SavedFilter>> {
    Ok(db
        .prepare_cached(&format!("SELECT {COLUMNS} FROM filters WHERE id = ?1"))?
        .query_row([id], row)
        .optional()?)
}

/// Every filter, by name: callers filter by visibility.
pub fn all(db: &Db) -> StoreResult<Vec<SavedFilter>> {
    let mut stmt = db.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM filters ORDER BY name COLLATE NOCASE, id"
    ))?;
    let rows = stmt.query_map([], row)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn owned_by(db: &Db, owner: UserId) -> StoreResult<Vec<SavedFilter>> {
    let mut stmt = db.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM filters WHERE owner_id = ?1 ORDER BY name COLLATE NOCASE, id"
    ))?;
    let rows = stmt.query_map([owner.0], row)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn favourites_of(db: &Db, user: UserId) -> StoreResult<Vec<SavedFilter>> {
    let mut stmt = db.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM filters WHERE id IN (SELECT filter_id FROM filter_favourites WHERE user_id = ?1)
         ORDER BY name COLLATE NOCASE, id"
    ))?;
    let rows = stmt.query_map([user.0], row)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Whether `owner` already has a filter called `name` (case-insensitive), other than `except`.
pub fn name_taken(db: &Db, owner: UserId, name: &str, except: Option<i64>) -> StoreResult<bool> {
    Ok(db.query_row(
        "SELECT EXISTS(SELECT 1 FROM filters WHERE owner_id = ?1 AND name = ?2 AND id IS NOT ?3)",
        params![owner.0, name, except],
        |r| r.get(0),
    )?)
}

pub struct NewFilter<'a> {
    pub owner_id: UserId,
    pub name: &'a str,
    pub description: &'a str,
    pub jql: &'a str,
    pub now: Millis,
}

pub fn insert(db: &Tx, f: &NewFilter<'_>) -> StoreResult<i64> {
    let id: i64 = super::next_id(db, "filters")?;
    db.execute(
        "INSERT INTO filters (id, owner_id, name, description, jql, created, updated)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![id, f.owner_id.0, f.name, f.description, f.jql, f.now.0],
    )?;
    Ok(id)
}

pub fn update(db: &Tx, f: &SavedFilter) -> StoreResult<()> {
    db.execute(
        "UPDATE filters SET name = ?2, description = ?3, jql = ?4, updated = ?5 WHERE id = ?1",
        params![f.id, f.name, f.description, f.jql, f.updated.0],
    )?;
    Ok(())
}

pub fn delete(db: &Tx, id: i64) -> StoreResult<bool> {
    Ok(db.execute("DELETE FROM filters WHERE id = ?1", [id])? > 0)
}

// Favourites.

pub fn is_favourite(db: &Db, filter: i64, user: UserId) -> StoreResult<bool> {
    Ok(db.query_row(
        "SELECT EXISTS(SELECT 1 FROM filter_favourites WHERE filter_id = ?1 AND user_id = ?2)",
        params![filter, user.0],
        |r| r.get(0),
    )?)
}

pub fn favourite_count(db: &Db, filter: i64) -> StoreResult<i64> {
    Ok(db.query_row(
        "SELECT count(*) FROM filter_favourites WHERE filter_id = ?1",
        [filter],
        |r| r.get(0),
    )?)
}

pub fn set_favourite(db: &Tx, filter: i64, user: UserId, on: bool) -> StoreResult<()> {
    if on {
        db.execute(
            "INSERT OR IGNORE INTO filter_favourites (filter_id, user_id) VALUES (?1, ?2)",
            params![filter, user.0],
        )?;
    } else {
        db.execute(
            "DELETE FROM filter_favourites WHERE filter_id = ?1 AND user_id = ?2",
            params![filter, user.0],
        )?;
    }
    Ok(())
}

// Shares.

const SHARE_COLUMNS: &str =
    "s.id, s.filter_id, s.share_type, s.group_id, g.name, s.project_id, s.role_id, s.user_id";

fn share_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ShareRow> {
    Ok(ShareRow {
        id: r.get(0)?,
        filter_id: r.get(1)?,
        kind: r.get(2)?,
        group_id: r.get(3)?,
        group: r.get(4)?,
        project_id: r.get::<_, Option<i64>>(5)?.map(ProjectId),
        role_id: r.get(6)?,
        user_id: r.get::<_, Option<i64>>(7)?.map(UserId),
    })
}

pub fn shares(db: &Db, filter: i64) -> StoreResult<Vec<ShareRow>> {
    let mut stmt = db.prepare_cached(&format!(
        "SELECT {SHARE_COLUMNS} FROM filter_shares s LEFT JOIN groups g ON g.id = s.group_id
         WHERE s.filter_id = ?1 ORDER BY s.id"
    ))?;
    let rows = stmt
        .query_map([filter], share_row)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// A share to add: the type and its parameters (group by id).
pub struct NewShare {
    pub kind: &'static str,
    pub group_id: Option<i64>,
    pub project_id: Option<ProjectId>,
    pub role_id: Option<i64>,
    pub user_id: Option<UserId>,
}

pub fn insert_share(db: &Tx, filter: i64, s: &NewShare) -> StoreResult<i64> {
    let id: i64 = super::next_id(db, "filter_shares")?;
    db.execute(
        "INSERT INTO filter_shares (id, filter_id, share_type, group_id, project_id, role_id, user_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            id,
            filter,
            s.kind,
            s.group_id,
            s.project_id.map(|p| p.0),
            s.role_id,
            s.user_id.map(|u| u.0)
        ],
    )?;
    Ok(id)
}

pub fn delete_share(db: &Tx, filter: i64, share: i64) -> StoreResult<bool> {
    Ok(db.execute(
        "DELETE FROM filter_shares WHERE filter_id = ?1 AND id = ?2",
        params![filter, share],
    )? > 0)
}

pub fn clear_shares(db: &Tx, filter: i64) -> StoreResult<()> {
    db.execute("DELETE FROM filter_shares WHERE filter_id = ?1", [filter])?;
    Ok(())
}

// Columns.

fn read_columns(db: &Db, sql: &str, owner: i64) -> StoreResult<Vec<String>> {
    let mut stmt = db.prepare_cached(sql)?;
    let cols = stmt
        .query_map([owner], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(cols)
}

fn write_columns(db: &Tx, table: &str, key: &str, owner: i64, cols: &[String]) -> StoreResult<()> {
    db.execute(&format!("DELETE FROM {table} WHERE {key} = ?1"), [owner])?;
    let mut stmt = db.prepare_cached(&format!(
        "INSERT INTO {table} ({key}, position, field_id) VALUES (?1, ?2, ?3)"
    ))?;
    for (i, c) in cols.iter().enumerate() {
        stmt.execute(params![owner, i as i64, c])?;
    }
    Ok(())
}

pub fn filter_columns(db: &Db, filter: i64) -> StoreResult<Vec<String>> {
    read_columns(
        db,
        "SELECT field_id FROM filter_columns WHERE filter_id = ?1 ORDER BY position",
        filter,
    )
}

/// Replaces the filter's columns; an empty list removes its own layout.
pub fn set_filter_columns(db: &Tx, filter: i64, cols: &[String]) -> StoreResult<()> {
    write_columns(db, "filter_columns", "filter_id", filter, cols)
}

pub fn user_columns(db: &Db, user: UserId) -> StoreResult<Vec<String>> {
    read_columns(
        db,
        "SELECT field_id FROM user_columns WHERE user_id = ?1 ORDER BY position",
        user.0,
    )
}

/// Replaces the user's columns; an empty list removes their own layout.
pub fn set_user_columns(db: &Tx, user: UserId, cols: &[String]) -> StoreResult<()> {
    write_columns(db, "user_columns", "user_id", user.0, cols)
}

// Settings and preferences.

/// Removes a setting (reads then fall back to the built-in default); reads and writes of
/// settings are `catalog::setting` and `catalog::set_setting`.
pub fn delete_setting(db: &Tx, key: &str) -> StoreResult<()> {
    db.execute("DELETE FROM settings WHERE key = ?1", [key])?;
    Ok(())
}

pub fn user_share_scope(db: &Db, user: UserId) -> StoreResult<Option<String>> {
    Ok(db
        .prepare_cached("SELECT scope FROM user_share_scopes WHERE user_id = ?1")?
        .query_row([user.0], |r| r.get(0))
        .optional()?)
}

pub fn set_user_share_scope(db: &Tx, user: UserId, scope: &str) -> StoreResult<()> {
    db.execute(
        "INSERT INTO user_share_scopes (user_id, scope) VALUES (?1, ?2)
         ON CONFLICT(user_id) DO UPDATE SET scope = excluded.scope",
        params![user.0, scope],
    )?;
    Ok(())
}

/// Active users, for expanding global and group shares into `sharedUsers`.
pub fn active_user_ids(db: &Db) -> StoreResult<Vec<UserId>> {
    let mut stmt = db.prepare_cached("SELECT id FROM users WHERE active = 1 ORDER BY id")?;
    let ids = stmt
        .query_map([], |r| Ok(UserId(r.get(0)?)))?
        .collect::<Result<_, _>>()?;
    Ok(ids)
}
