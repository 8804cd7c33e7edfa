//! Project role definitions, their default actors, and moving a role's uses to another
//! role when it is deleted.

use rusqlite::{OptionalExtension, params};

use super::{Db, Tx};
use crate::domain::*;
use crate::store::StoreResult;

pub fn by_id(db: &Db, id: i64) -> StoreResult<Option<ProjectRole>> {
    Ok(db
        .prepare_cached("SELECT id, name, description FROM project_roles WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(ProjectRole {
                id: r.get(0)?,
                name: r.get(1)?,
                description: r.get(2)?,
            })
        })
        .optional()?)
}

/// Whether another role already has this name (any case).
pub fn name_taken(db: &Db, name: &str, except: Option<i64>) -> StoreResult<bool> {
    Ok(db
        .prepare_cached(
            "SELECT 1 FROM project_roles WHERE name = ?1 COLLATE NOCASE AND id IS NOT ?2",
        )?
        .query_row(params![name, except], |_| Ok(()))
        .optional()?
        .is_some())
}

pub fn insert(db: &Tx, name: &str, description: &str) -> StoreResult<i64> {
    let id = super::next_id(db, "project_roles")?;
    db.execute(
        "INSERT INTO project_roles (id, name, description) VALUES (?1, ?2, ?3)",
        params![id, name, description],
    )?;
    Ok(id)
}

pub fn update(db: &Tx, role: &ProjectRole) -> StoreResult<()> {
    db.execute(
        "UPDATE project_roles SET name = ?2, description = ?3 WHERE id = ?1",
        params![role.id, role.name, role.description],
    )?;
    Ok(())
}

pub fn delete(db: &Tx, id: i64) -> StoreResult<()> {
    db.execute("DELETE FROM project_roles WHERE id = ?1", [id])?;
    Ok(())
}

/// Grants in permission schemes that name the role.
pub fn grants_using(db: &Db, id: i64) -> StoreResult<i64> {
    Ok(db
        .prepare_cached(
            "SELECT count(*) FROM permission_grants WHERE holder_type = 'projectRole' AND holder_param = ?1",
        )?
        .query_row([id.to_string()], |r| r.get(0))?)
}

/// Moves every use of role `from` to role `to`: scheme grants (a grant `to` already
/// holds is dropped instead), project actors, default actors, and comment and worklog
/// restrictions (which name the role by name or id).
pub fn swap(db: &Tx, from: &ProjectRole, to: &ProjectRole) -> StoreResult<()> {
    let (f, t) = (from.id.to_string(), to.id.to_string());
    db.execute(
        "DELETE FROM permission_grants WHERE holder_type = 'projectRole' AND holder_param = ?1
           AND EXISTS (SELECT 1 FROM permission_grants o WHERE o.scheme_id = permission_grants.scheme_id
                       AND o.permission = permission_grants.permission
                       AND o.holder_type = 'projectRole' AND o.holder_param = ?2)",
        params![f, t],
    )?;
    db.execute(
        "UPDATE permission_grants SET holder_param = ?2 WHERE holder_type = 'projectRole' AND holder_param = ?1",
        params![f, t],
    )?;
    db.execute(
        "INSERT OR IGNORE INTO project_role_actors (project_id, role_id, actor_type, actor_value)
         SELECT project_id, ?2, actor_type, actor_value FROM project_role_actors WHERE role_id = ?1",
        params![from.id, to.id],
    )?;
    db.execute(
        "INSERT OR IGNORE INTO project_role_default_actors (role_id, actor_type, actor_value)
         SELECT ?2, actor_type, actor_value FROM project_role_default_actors WHERE role_id = ?1",
        params![from.id, to.id],
    )?;
    for table in ["comments", "worklogs"] {
        db.execute(
            &format!(
                "UPDATE {table} SET visibility_value = ?3 WHERE visibility_type = 'role'
                   AND (visibility_value = ?1 COLLATE NOCASE OR visibility_value = ?2)"
            ),
            params![from.name, f, to.name],
        )?;
    }
    Ok(())
}

/// Default actors of a role: (actor type, value), users first.
pub fn default_actors(db: &Db, role: i64) -> StoreResult<Vec<(String, String)>> {
    let mut stmt = db.prepare_cached(
        "SELECT actor_type, actor_value FROM project_role_default_actors WHERE role_id = ?1
         ORDER BY actor_type DESC, actor_value",
    )?;
    let rows = stmt
        .query_map([role], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn add_default_actor(db: &Tx, role: i64, kind: &str, value: &str) -> StoreResult<bool> {
    Ok(db.execute(
        "INSERT OR IGNORE INTO project_role_default_actors (role_id, actor_type, actor_value) VALUES (?1, ?2, ?3)",
        params![role, kind, value],
    )? > 0)
}

pub fn remove_default_actor(db: &Tx, role: i64, kind: &str, value: &str) -> StoreResult<bool> {
    Ok(db.execute(
        "DELETE FROM project_role_default_actors WHERE role_id = ?1 AND actor_type = ?2 AND actor_value = ?3 COLLATE NOCASE",
        params![role, kind, value],
    )? > 0)
}

/// Removes every actor of one role in one project (before setting new ones).
pub fn clear_project_actors(db: &Tx, project: ProjectId, role: i64) -> StoreResult<()> {
    db.execute(
        "DELETE FROM project_role_actors WHERE project_id = ?1 AND role_id = ?2",
        params![project.0, role],
    )?;
    Ok(())
}
