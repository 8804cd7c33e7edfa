//! API tokens and sessions, looked up by digest only: the secrets themselves are never stored.

use rusqlite::{OptionalExtension, params};

use super::{Db, Tx};
use crate::domain::*;
use crate::store::StoreResult;

pub fn insert_token(
    db: &Tx,
    user: UserId,
    label: &str,
    digest: &[u8],
    scopes: &[String],
    created: Millis,
    expires: Option<Millis>,
) -> StoreResult<i64> {
    db.execute(
        "INSERT INTO api_tokens (user_id, label, digest, scopes, created, expires) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![user.0, label, digest, scopes.join(" "), created.0, expires.map(|e| e.0)],
    )?;
    Ok(db.last_insert_rowid())
}

fn token_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ApiToken> {
    let scopes: String = r.get(3)?;
    Ok(ApiToken {
        id: r.get(0)?,
        user_id: UserId(r.get(1)?),
        label: r.get(2)?,
        scopes: scopes.split_whitespace().map(String::from).collect(),
        created: Millis(r.get(4)?),
        expires: r.get::<_, Option<i64>>(5)?.map(Millis),
        last_used: r.get::<_, Option<i64>>(6)?.map(Millis),
    })
}

pub fn token_by_digest(db: &Db, digest: &[u8]) -> StoreResult<Option<ApiToken>> {
    Ok(db
        .prepare_cached(
            "SELECT id, user_id, label, scopes, created, expires, last_used FROM api_tokens WHERE digest = ?1",
        )?
        .query_row([digest], token_row)
        .optional()?)
}

pub fn tokens_of(db: &Db, user: UserId) -> StoreResult<Vec<ApiToken>> {
    let mut stmt = db.prepare_cached(
        "SELECT id, user_id, label, scopes, created, expires, last_used FROM api_tokens WHERE user_id = ?1 ORDER BY id",
    )?;
    let tokens = stmt
        .query_map([user.0], token_row)?
        .collect::<Result<_, _>>()?;
    Ok(tokens)
}

pub fn delete_token(db: &Tx, user: UserId, id: i64) -> StoreResult<bool> {
    Ok(db.execute(
        "DELETE FROM api_tokens WHERE id = ?1 AND user_id = ?2",
        [id, user.0],
    )? > 0)
}

pub fn touch_token(db: &Tx, id: i64, at: Millis) -> StoreResult<()> {
    db.execute(
        "UPDATE api_tokens SET last_used = ?2 WHERE id = ?1",
        [id, at.0],
    )?;
    Ok(())
}

pub fn insert_session(
    db: &Tx,
    digest: &[u8],
    user: UserId,
    created: Millis,
    expires: Millis,
) -> StoreResult<()> {
    db.execute(
        "INSERT INTO sessions (digest, user_id, created, expires) VALUES (?1, ?2, ?3, ?4)",
        params![digest, user.0, created.0, expires.0],
    )?;
    // Housekeeping on the way: expired sessions are useless.
    db.execute("DELETE FROM sessions WHERE expires < ?1", [created.0])?;
    Ok(())
}

/// The session's user when the session exists and has not expired.
pub fn session_user(db: &Db, digest: &[u8], now: Millis) -> StoreResult<Option<UserId>> {
    Ok(db
        .prepare_cached("SELECT user_id FROM sessions WHERE digest = ?1 AND expires > ?2")?
        .query_row(params![digest, now.0], |r| Ok(UserId(r.get(0)?)))
        .optional()?)
}

pub fn delete_session(db: &Tx, digest: &[u8]) -> StoreResult<bool> {
    Ok(db.execute("DELETE FROM sessions WHERE digest = ?1", [digest])? > 0)
}
