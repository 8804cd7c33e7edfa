//! Watchers and voters of issues: two sets of users per issue with the same shape.

use rusqlite::params;

use super::{Db, Tx};
use crate::domain::*;
use crate::store::StoreResult;

/// Which set of users.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserSet {
    Watchers,
    Voters,
}

impl UserSet {
    fn table(self) -> &'static str {
        match self {
            UserSet::Watchers => "issue_watchers",
            UserSet::Voters => "issue_votes",
        }
    }
}

/// Adds the user; false when already there.
pub fn add(db: &Tx, set: UserSet, issue: IssueId, user: UserId) -> StoreResult<bool> {
    Ok(db
        .prepare_cached(&format!(
            "INSERT OR IGNORE INTO {} (issue_id, user_id) VALUES (?1, ?2)",
            set.table()
        ))?
        .execute(params![issue.0, user.0])?
        > 0)
}

/// Removes the user; false when not there.
pub fn remove(db: &Tx, set: UserSet, issue: IssueId, user: UserId) -> StoreResult<bool> {
    Ok(db
        .prepare_cached(&format!(
            "DELETE FROM {} WHERE issue_id = ?1 AND user_id = ?2",
            set.table()
        ))?
        .execute(params![issue.0, user.0])?
        > 0)
}

/// The users in the set, in the order they joined.
pub fn of_issue(db: &Db, set: UserSet, issue: IssueId) -> StoreResult<Vec<UserId>> {
    let mut stmt = db.prepare_cached(&format!(
        "SELECT user_id FROM {} WHERE issue_id = ?1 ORDER BY rowid",
        set.table()
    ))?;
    let ids = stmt
        .query_map([issue.0], |r| Ok(UserId(r.get(0)?)))?
        .collect::<Result<_, _>>()?;
    Ok(ids)
}

/// Issues where the user is in the set (watched or voted issues).
pub fn issues_of_user(db: &Db, set: UserSet, user: UserId) -> StoreResult<Vec<i64>> {
    let mut stmt = db.prepare_cached(&format!(
        "SELECT issue_id FROM {} WHERE user_id = ?1 ORDER BY issue_id",
        set.table()
    ))?;
    let rows = stmt
        .query_map([user.0], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}
