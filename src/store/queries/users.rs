use rusqlite::{OptionalExtension, params};

use super::{Db, Tx};
use crate::domain::{User, UserId};
use crate::store::StoreResult;

pub(super) const COLUMNS: &str =
    "id, account_id, username, email, display_name, active, time_zone, locale";

pub(super) fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: UserId(r.get(0)?),
        account_id: r.get(1)?,
        username: r.get(2)?,
        email: r.get(3)?,
        display_name: r.get(4)?,
        active: r.get(5)?,
        time_zone: r.get(6)?,
        locale: r.get(7)?,
    })
}

pub fn by_id(db: &Db, id: UserId) -> StoreResult<Option<User>> {
    Ok(db
        .prepare_cached(&format!("SELECT {COLUMNS} FROM users WHERE id = ?1"))?
        .query_row([id.0], row)
        .optional()?)
}

pub fn by_ids(db: &Db, ids: &[UserId]) -> StoreResult<Vec<User>> {
    let json =
        serde_json::to_string(&ids.iter().map(|u| u.0).collect::<Vec<_>>()).unwrap_or_default();
    let mut stmt = db.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM users WHERE id IN (SELECT value FROM json_each(?1))"
    ))?;
    let users = stmt.query_map([json], row)?.collect::<Result<_, _>>()?;
    Ok(users)
}

/// Finds a user by username, email or account id, case-insensitively where Jira is.
pub fn by_login(db: &Db, login: &str) -> StoreResult<Option<User>> {
    Ok(db
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM users WHERE username = ?1 OR email = ?1 OR account_id = ?1 LIMIT 1"
        ))?
        .query_row([login], row)
        .optional()?)
}

pub fn by_username(db: &Db, username: &str) -> StoreResult<Option<User>> {
    Ok(db
        .prepare_cached(&format!("SELECT {COLUMNS} FROM users WHERE username = ?1"))?
        .query_row([username], row)
        .optional()?)
}

pub fn by_account_id(db: &Db, account_id: &str) -> StoreResult<Option<User>> {
    Ok(db
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM users WHERE account_id = ?1"
        ))?
        .query_row([account_id], row)
        .optional()?)
}

/// Users whose username, email or display name contains `query` (case-insensitive).
pub fn search(
    db: &Db,
    query: &str,
    include_inactive: bool,
    limit: i64,
    offset: i64,
) -> StoreResult<Vec<User>> {
    let pattern = format!(
        "%{}%",
        query
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let mut stmt = db.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM users
         WHERE (username LIKE ?1 ESCAPE '\\' OR email LIKE ?1 ESCAPE '\\' OR display_name LIKE ?1 ESCAPE '\\')
           AND (active = 1 OR ?2) AND deleted = 0
         ORDER BY display_name COLLATE NOCASE, username LIMIT ?3 OFFSET ?4"
    ))?;
    let users = stmt
        .query_map(params![pattern, include_inactive, limit, offset], row)?
        .collect::<Result<_, _>>()?;
    Ok(users)
}

pub fn count(db: &Db) -> StoreResult<i64> {
    Ok(db.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?)
}

pub struct NewUser<'a> {
    pub account_id: &'a str,
    pub username: &'a str,
    pub email: &'a str,
    pub display_name: &'a str,
    pub password_hash: Option<&'a str>,
    pub created: i64,
}

pub fn insert(db: &Tx, u: &NewUser<'_>) -> StoreResult<UserId> {
    db.prepare_cached(
        "INSERT INTO users (account_id, username, email, display_name, password_hash, created)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        u.account_id,
        u.username,
        u.email,
        u.display_name,
        u.password_hash,
        u.created
    ])?;
    Ok(UserId(db.last_insert_rowid()))
}

pub fn exists_login(db: &Db, username: &str, email: &str) -> StoreResult<(bool, bool)> {
    let name: bool = db.query_row(
        "SELECT EXISTS(SELECT 1 FROM users WHERE username = ?1)",
        [username],
        |r| r.get(0),
    )?;
    let mail: bool = db.query_row(
        "SELECT EXISTS(SELECT 1 FROM users WHERE email = ?1)",
        [email],
        |r| r.get(0),
    )?;
    Ok((name, mail))
}

pub fn password_hash(db: &Db, id: UserId) -> StoreResult<Option<String>> {
    Ok(db
        .prepare_cached("SELECT password_hash FROM users WHERE id = ?1")?
        .query_row([id.0], |r| r.get::<_, Option<String>>(0))
        .optional()?
        .flatten())
}

pub fn set_password_hash(db: &Tx, id: UserId, hash: &str) -> StoreResult<()> {
    db.execute(
        "UPDATE users SET password_hash = ?2 WHERE id = ?1",
        params![id.0, hash],
    )?;
    // A changed password ends every session of the user.
    db.execute("DELETE FROM sessions WHERE user_id = ?1", [id.0])?;
    Ok(())
}

pub fn delete(db: &Tx, id: UserId) -> StoreResult<()> {
    db.execute("DELETE FROM users WHERE id = ?1", [id.0])?;
    Ok(())
}

pub fn groups_of(db: &Db, id: UserId) -> StoreResult<Vec<String>> {
    let mut stmt = db.prepare_cached(
        "SELECT g.name FROM groups g JOIN group_members m ON m.group_id = g.id WHERE m.user_id = ?1 ORDER BY g.name",
    )?;
    let names = stmt
        .query_map([id.0], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(names)
}

pub fn group_id(db: &Db, name: &str) -> StoreResult<Option<i64>> {
    Ok(db
        .query_row("SELECT id FROM groups WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .optional()?)
}

pub fn group_names(db: &Db) -> StoreResult<Vec<(i64, String)>> {
    let mut stmt = db.prepare_cached("SELECT id, name FROM groups ORDER BY name")?;
    let groups = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(groups)
}

pub fn create_group(db: &Tx, name: &str) -> StoreResult<i64> {
    db.execute("INSERT INTO groups (name) VALUES (?1)", [name])?;
    Ok(db.last_insert_rowid())
}

pub fn delete_group(db: &Tx, id: i64) -> StoreResult<()> {
    db.execute("DELETE FROM groups WHERE id = ?1", [id])?;
    Ok(())
}

pub fn add_to_group(db: &Tx, group_id: i64, user: UserId) -> StoreResult<bool> {
    Ok(db.execute(
        "INSERT OR IGNORE INTO group_members (group_id, user_id) VALUES (?1, ?2)",
        [group_id, user.0],
    )? > 0)
}

pub fn remove_from_group(db: &Tx, group_id: i64, user: UserId) -> StoreResult<bool> {
    Ok(db.execute(
        "DELETE FROM group_members WHERE group_id = ?1 AND user_id = ?2",
        [group_id, user.0],
    )? > 0)
}

pub fn group_members(db: &Db, group_id: i64, include_inactive: bool) -> StoreResult<Vec<User>> {
    let mut stmt = db.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM users WHERE id IN (SELECT user_id FROM group_members WHERE group_id = ?1)
         AND (active = 1 OR ?2) ORDER BY username"
    ))?;
    let users = stmt
        .query_map(params![group_id, include_inactive], row)?
        .collect::<Result<_, _>>()?;
    Ok(users)
}

pub fn leads_projects(db: &Db, id: UserId) -> StoreResult<bool> {
    Ok(db.query_row(
        "SELECT EXISTS(SELECT 1 FROM projects WHERE lead_id = ?1)",
        [id.0],
        |r| r.get(0),
    )?)
}
