//! Administration of users and groups: updates, the deleted-user tombstone, member pages,
//! deleting a group (moving what it holds to a swap group), preferences, and the reads
//! behind `user/search/query`.

use rusqlite::{OptionalExtension, params};

use super::users::{COLUMNS, row};
use super::{Db, Tx};
use crate::domain::{User, UserId};
use crate::store::StoreResult;

fn json_ids(ids: &[i64]) -> String {
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())
}

pub fn is_deleted(db: &Db, id: UserId) -> StoreResult<bool> {
    Ok(db
        .prepare_cached("SELECT deleted FROM users WHERE id = ?1")?
        .query_row([id.0], |r| r.get::<_, bool>(0))
        .optional()?
        .unwrap_or(true))
}

/// Live (not deleted) users named by username (case-insensitive) or account id.
pub fn live_by_names(db: &Db, names: &[String]) -> StoreResult<Vec<User>> {
    let json = serde_json::to_string(names).unwrap_or_else(|_| "[]".into());
    let mut stmt = db.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM users WHERE deleted = 0 AND (
             username IN (SELECT value FROM json_each(?1)) OR account_id IN (SELECT value FROM json_each(?1)))
         ORDER BY username"
    ))?;
    let users = stmt.query_map([json], row)?.collect::<Result<_, _>>()?;
    Ok(users)
}

/// Every live user, by username: the candidates of the permission search.
pub fn live_users(db: &Db, include_inactive: bool) -> StoreResult<Vec<User>> {
    let mut stmt = db.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM users WHERE deleted = 0 AND (active = 1 OR ?1) ORDER BY username"
    ))?;
    let users = stmt
        .query_map([include_inactive], row)?
        .collect::<Result<_, _>>()?;
    Ok(users)
}

pub struct UserUpdate<'a> {
    pub username: &'a str,
    pub email: &'a str,
    pub display_name: &'a str,
    pub active: bool,
}

/// Writes a user's fields; a rename also renames them where they are named by username
/// (role actors, default actors, user grants), and deactivation ends their sessions.
pub fn update_user(tx: &Tx, id: UserId, old_username: &str, u: &UserUpdate<'_>) -> StoreResult<()> {
    tx.execute(
        "UPDATE users SET username = ?2, email = ?3, display_name = ?4, active = ?5 WHERE id = ?1",
        params![id.0, u.username, u.email, u.display_name, u.active],
    )?;
    if old_username != u.username {
        tx.execute(
            "UPDATE project_role_actors SET actor_value = ?2
             WHERE actor_type = 'user' AND actor_value = ?1 COLLATE NOCASE",
            params![old_username, u.username],
        )?;
        tx.execute(
            "UPDATE project_role_default_actors SET actor_value = ?2
             WHERE actor_type = 'user' AND actor_value = ?1 COLLATE NOCASE",
            params![old_username, u.username],
        )?;
        tx.execute(
            "UPDATE permission_grants SET holder_param = ?2
             WHERE holder_type = 'user' AND holder_param = ?1 COLLATE NOCASE",
            params![old_username, u.username],
        )?;
    }
    if !u.active {
        tx.execute("DELETE FROM sessions WHERE user_id = ?1", [id.0])?;
    }
    Ok(())
}

/// Turns a user into a tombstone: the row stays, so everything that names the user keeps
/// rendering them, but they can no longer sign in, hold a token, belong to a group or a
/// role, or be found.
pub fn tombstone(tx: &Tx, id: UserId, username: &str) -> StoreResult<()> {
    tx.execute(
        "UPDATE users SET deleted = 1, active = 0, password_hash = NULL WHERE id = ?1",
        [id.0],
    )?;
    for sql in [
        "DELETE FROM sessions WHERE user_id = ?1",
        "DELETE FROM api_tokens WHERE user_id = ?1",
        "DELETE FROM group_members WHERE user_id = ?1",
        "DELETE FROM user_preferences WHERE user_id = ?1",
    ] {
        tx.execute(sql, [id.0])?;
    }
    for sql in [
        "DELETE FROM project_role_actors WHERE actor_type = 'user' AND actor_value = ?1 COLLATE NOCASE",
        "DELETE FROM project_role_default_actors WHERE actor_type = 'user' AND actor_value = ?1 COLLATE NOCASE",
        "DELETE FROM permission_grants WHERE holder_type = 'user' AND holder_param = ?1 COLLATE NOCASE",
    ] {
        tx.execute(sql, [username])?;
    }
    Ok(())
}

/// One page of a group's live members by username, and how many there are.
pub fn member_page(
    db: &Db,
    group_id: i64,
    include_inactive: bool,
    start: i64,
    max: i64,
) -> StoreResult<(i64, Vec<User>)> {
    let filter = "FROM users WHERE deleted = 0 AND (active = 1 OR ?2)
         AND id IN (SELECT user_id FROM group_members WHERE group_id = ?1)";
    let total: i64 = db
        .prepare_cached(&format!("SELECT count(*) {filter}"))?
        .query_row(params![group_id, include_inactive], |r| r.get(0))?;
    let mut stmt = db.prepare_cached(&format!(
        "SELECT {COLUMNS} {filter} ORDER BY username COLLATE NOCASE LIMIT ?3 OFFSET ?4"
    ))?;
    let users = stmt
        .query_map(params![group_id, include_inactive, max, start], row)?
        .collect::<Result<_, _>>()?;
    Ok((total, users))
}

/// What deleting a group moved (with a swap group) or removed (without).
#[derive(Debug, Default, Clone, Copy)]
pub struct GroupDeletion {
    pub global_grants: usize,
    pub scheme_grants: usize,
    pub role_actors: usize,
    pub filter_shares: usize,
    pub restricted_comments: usize,
    pub restricted_worklogs: usize,
}

/// Deletes a group. With `swap`, its global grants, permission-scheme grants, role
/// actors (also default ones), filter shares and comment/worklog restrictions move to
/// the swap group; without, the grants, actors and shares go, and restricted comments
/// and worklogs keep naming the deleted group, so nobody but administrators sees them
/// (Jira's rule: deleting a group never makes restricted content public).
pub fn delete_group(
    tx: &Tx,
    id: i64,
    name: &str,
    swap: Option<(i64, &str)>,
) -> StoreResult<GroupDeletion> {
    let mut d = GroupDeletion::default();
    if let Some((swap_id, swap_name)) = swap {
        // `OR IGNORE`: the swap group may already hold the same grant or role.
        d.global_grants = tx.execute(
            "UPDATE OR IGNORE global_grants SET group_name = ?2 WHERE group_name = ?1",
            params![name, swap_name],
        )?;
        d.scheme_grants = tx.execute(
            "UPDATE permission_grants SET holder_param = ?2 WHERE holder_type = 'group' AND holder_param = ?1 COLLATE NOCASE",
            params![name, swap_name],
        )?;
        d.role_actors = tx.execute(
            "UPDATE OR IGNORE project_role_actors SET actor_value = ?2 WHERE actor_type = 'group' AND actor_value = ?1 COLLATE NOCASE",
            params![name, swap_name],
        )?;
        tx.execute(
            "UPDATE OR IGNORE project_role_default_actors SET actor_value = ?2 WHERE actor_type = 'group' AND actor_value = ?1 COLLATE NOCASE",
            params![name, swap_name],
        )?;
        d.filter_shares = tx.execute(
            "UPDATE filter_shares SET group_id = ?2 WHERE share_type = 'group' AND group_id = ?1",
            params![id, swap_id],
        )?;
        d.restricted_comments = tx.execute(
            "UPDATE comments SET visibility_value = ?2 WHERE visibility_type = 'group' AND visibility_value = ?1 COLLATE NOCASE",
            params![name, swap_name],
        )?;
        d.restricted_worklogs = tx.execute(
            "UPDATE worklogs SET visibility_value = ?2 WHERE visibility_type = 'group' AND visibility_value = ?1 COLLATE NOCASE",
            params![name, swap_name],
        )?;
        tx.execute(
            "UPDATE OR IGNORE application_role_groups SET group_name = ?2 WHERE group_name = ?1 COLLATE NOCASE",
            params![name, swap_name],
        )?;
    }
    // A deleted group no longer gives access to the tracker.
    tx.execute(
        "DELETE FROM application_role_groups WHERE group_name = ?1 COLLATE NOCASE",
        [name],
    )?;
    // Whatever is left (everything without a swap, duplicates with one) goes.
    d.global_grants += tx.execute("DELETE FROM global_grants WHERE group_name = ?1", [name])?;
    d.scheme_grants += tx.execute(
        "DELETE FROM permission_grants WHERE holder_type = 'group' AND holder_param = ?1 COLLATE NOCASE",
        [name],
    )?;
    d.role_actors += tx.execute(
        "DELETE FROM project_role_actors WHERE actor_type = 'group' AND actor_value = ?1 COLLATE NOCASE",
        [name],
    )?;
    tx.execute(
        "DELETE FROM project_role_default_actors WHERE actor_type = 'group' AND actor_value = ?1 COLLATE NOCASE",
        [name],
    )?;
    d.filter_shares += tx.execute(
        "DELETE FROM filter_shares WHERE share_type = 'group' AND group_id = ?1",
        [id],
    )?;
    tx.execute("DELETE FROM groups WHERE id = ?1", [id])?;
    Ok(d)
}

pub fn preference(db: &Db, user: UserId, key: &str) -> StoreResult<Option<String>> {
    Ok(db
        .prepare_cached("SELECT value FROM user_preferences WHERE user_id = ?1 AND key = ?2")?
        .query_row(params![user.0, key], |r| r.get(0))
        .optional()?)
}

pub fn set_preference(tx: &Tx, user: UserId, key: &str, value: &str) -> StoreResult<()> {
    tx.prepare_cached(
        "INSERT INTO user_preferences (user_id, key, value) VALUES (?1, ?2, ?3)
         ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![user.0, key, value])?;
    Ok(())
}

pub fn delete_preference(tx: &Tx, user: UserId, key: &str) -> StoreResult<bool> {
    Ok(tx.execute(
        "DELETE FROM user_preferences WHERE user_id = ?1 AND key = ?2",
        params![user.0, key],
    )? > 0)
}

pub fn set_locale(tx: &Tx, user: UserId, locale: &str) -> StoreResult<()> {
    tx.execute(
        "UPDATE users SET locale = ?2 WHERE id = ?1",
        params![user.0, locale],
    )?;
    Ok(())
}

pub fn set_time_zone(tx: &Tx, user: UserId, zone: &str) -> StoreResult<()> {
    tx.execute(
        "UPDATE users SET time_zone = ?2 WHERE id = ?1",
        params![user.0, zone],
    )?;
    Ok(())
}

/// How a user relates to issues, for `user/search/query`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueRole {
    Assignee,
    Reporter,
    Watcher,
    Commenter,
}

/// Ids of the users holding `role` on at least one of the issues, or on at least one
/// issue of the projects.
pub fn users_in_issue_role(
    db: &Db,
    role: IssueRole,
    projects: &[i64],
    issues: &[i64],
) -> StoreResult<Vec<UserId>> {
    let scope = "(issues.project_id IN (SELECT value FROM json_each(?1))
                  OR issues.id IN (SELECT value FROM json_each(?2)))";
    let sql = match role {
        IssueRole::Assignee => {
            format!(
                "SELECT DISTINCT assignee_id FROM issues WHERE assignee_id IS NOT NULL AND {scope}"
            )
        }
        IssueRole::Reporter => {
            format!(
                "SELECT DISTINCT reporter_id FROM issues WHERE reporter_id IS NOT NULL AND {scope}"
            )
        }
        IssueRole::Watcher => format!(
            "SELECT DISTINCT w.user_id FROM issue_watchers w JOIN issues ON issues.id = w.issue_id WHERE {scope}"
        ),
        IssueRole::Commenter => format!(
            "SELECT DISTINCT c.author_id FROM comments c JOIN issues ON issues.id = c.issue_id
             WHERE c.author_id IS NOT NULL AND {scope}"
        ),
    };
    let mut stmt = db.prepare_cached(&sql)?;
    let ids = stmt
        .query_map(params![json_ids(projects), json_ids(issues)], |r| {
            Ok(UserId(r.get(0)?))
        })?
        .collect::<Result<_, _>>()?;
    Ok(ids)
}

/// (user id, JSON value) of every user's property `key`.
pub fn user_property_values(db: &Db, key: &str) -> StoreResult<Vec<(UserId, String)>> {
    let mut stmt = db.prepare_cached(
        "SELECT entity_id, value FROM entity_properties WHERE entity_type = 'user' AND key = ?1",
    )?;
    let rows = stmt
        .query_map([key], |r| Ok((UserId(r.get(0)?), r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}
