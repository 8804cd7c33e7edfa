use rusqlite::{OptionalExtension, params};

use super::{Db, Tx};
use crate::domain::*;
use crate::store::StoreResult;

const COLUMNS: &str = "id, key, name, description, lead_id, project_type_key, assignee_type, url, category_id, permission_scheme_id, workflow_id";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Project> {
    Ok(Project {
        id: ProjectId(r.get(0)?),
        key: r.get(1)?,
        name: r.get(2)?,
        description: r.get(3)?,
        lead_id: UserId(r.get(4)?),
        project_type_key: r.get(5)?,
        assignee_type: r.get(6)?,
        url: r.get(7)?,
        category_id: r.get(8)?,
        permission_scheme_id: r.get(9)?,
        workflow_id: r.get(10)?,
    })
}

pub fn by_ref(db: &Db, r: &ProjectRef) -> StoreResult<Option<Project>> {
    let found = match r {
        ProjectRef::Id(id) => db
            .prepare_cached(&format!("SELECT {COLUMNS} FROM projects WHERE id = ?1"))?
            .query_row([id], row)
            .optional()?,
        ProjectRef::Key(key) => db
            .prepare_cached(&format!("SELECT {COLUMNS} FROM projects WHERE key = ?1"))?
            .query_row([key], row)
            .optional()?,
    };
    Ok(found)
}

pub fn by_id(db: &Db, id: ProjectId) -> StoreResult<Option<Project>> {
    by_ref(db, &ProjectRef::Id(id.0))
}

pub fn all(db: &Db) -> StoreResult<Vec<Project>> {
    let mut stmt = db.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM projects ORDER BY name COLLATE NOCASE"
    ))?;
    let projects = stmt.query_map([], row)?.collect::<Result<_, _>>()?;
    Ok(projects)
}

pub fn name_taken(db: &Db, name: &str, except: Option<ProjectId>) -> StoreResult<bool> {
    Ok(db.query_row(
        "SELECT EXISTS(SELECT 1 FROM projects WHERE name = ?1 AND id IS NOT ?2)",
        params![name, except.map(|p| p.0)],
        |r| r.get(0),
    )?)
}

pub struct NewProject<'a> {
    pub key: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub lead_id: UserId,
    pub project_type_key: &'a str,
    pub assignee_type: &'a str,
    pub url: &'a str,
    pub category_id: Option<i64>,
    pub permission_scheme_id: i64,
    pub created: i64,
}

pub fn insert(db: &Tx, p: &NewProject<'_>) -> StoreResult<ProjectId> {
    let id: i64 = super::next_id(db, "projects")?;
    db.execute(
        "INSERT INTO projects (id, key, name, description, lead_id, project_type_key, assignee_type, url,
                               category_id, permission_scheme_id, workflow_id, created)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1, ?11)",
        params![
            id,
            p.key,
            p.name,
            p.description,
            p.lead_id.0,
            p.project_type_key,
            p.assignee_type,
            p.url,
            p.category_id,
            p.permission_scheme_id,
            p.created
        ],
    )?;
    // Every new project starts with the roles' default actors.
    db.execute(
        "INSERT INTO project_role_actors (project_id, role_id, actor_type, actor_value)
         SELECT ?1, role_id, actor_type, actor_value FROM project_role_default_actors",
        [id],
    )?;
    Ok(ProjectId(id))
}

pub fn update(db: &Tx, p: &Project) -> StoreResult<()> {
    db.execute(
        "UPDATE projects SET key = ?2, name = ?3, description = ?4, lead_id = ?5, project_type_key = ?6,
                assignee_type = ?7, url = ?8, category_id = ?9, permission_scheme_id = ?10 WHERE id = ?1",
        params![
            p.id.0,
            p.key,
            p.name,
            p.description,
            p.lead_id.0,
            p.project_type_key,
            p.assignee_type,
            p.url,
            p.category_id,
            p.permission_scheme_id
        ],
    )?;
    Ok(())
}

/// Ids of the project's issues, for the outbox before they are removed.
pub fn issue_ids(db: &Db, id: ProjectId) -> StoreResult<Vec<i64>> {
    let mut stmt = db.prepare("SELECT id FROM issues WHERE project_id = ?1")?;
    let ids = stmt
        .query_map([id.0], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(ids)
}

pub fn delete(db: &Tx, id: ProjectId) -> StoreResult<()> {
    db.execute(
        "DELETE FROM entity_properties WHERE entity_type = 'project' AND entity_id = ?1",
        [id.0],
    )?;
    db.execute("DELETE FROM projects WHERE id = ?1", [id.0])?;
    Ok(())
}

/// Role actors of one project: (role id, actor type, actor value).
pub fn role_actors(db: &Db, id: ProjectId) -> StoreResult<Vec<(i64, String, String)>> {
    let mut stmt = db.prepare_cached(
        "SELECT role_id, actor_type, actor_value FROM project_role_actors WHERE project_id = ?1 ORDER BY role_id, actor_type, actor_value",
    )?;
    let rows = stmt
        .query_map([id.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn add_role_actor(
    db: &Tx,
    id: ProjectId,
    role: i64,
    actor_type: &str,
    value: &str,
) -> StoreResult<()> {
    db.execute(
        "INSERT OR IGNORE INTO project_role_actors (project_id, role_id, actor_type, actor_value) VALUES (?1, ?2, ?3, ?4)",
        params![id.0, role, actor_type, value],
    )?;
    Ok(())
}

pub fn remove_role_actor(
    db: &Tx,
    id: ProjectId,
    role: i64,
    actor_type: &str,
    value: &str,
) -> StoreResult<bool> {
    Ok(db.execute(
        "DELETE FROM project_role_actors WHERE project_id = ?1 AND role_id = ?2 AND actor_type = ?3 AND actor_value = ?4",
        params![id.0, role, actor_type, value],
    )? > 0)
}

/// Projects where the user is an actor of some role, directly or through a group:
/// (project id, role id). Used to evaluate permissions for many projects at once.
pub fn roles_of_user(db: &Db, user: UserId, username: &str) -> StoreResult<Vec<(i64, i64)>> {
    let mut stmt = db.prepare_cached(
        "SELECT project_id, role_id FROM project_role_actors
         WHERE (actor_type = 'user' AND actor_value = ?2)
            OR (actor_type = 'group' AND actor_value IN
                (SELECT g.name FROM groups g JOIN group_members m ON m.group_id = g.id WHERE m.user_id = ?1))",
    )?;
    let rows = stmt
        .query_map(params![user.0, username], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Users who are actors in any of the given roles of the project (directly or by group).
pub fn users_in_roles(db: &Db, id: ProjectId, roles: &[i64]) -> StoreResult<Vec<UserId>> {
    let roles = serde_json::to_string(roles).unwrap_or_else(|_| "[]".into());
    let mut stmt = db.prepare_cached(
        "SELECT DISTINCT u.id FROM users u WHERE u.active = 1 AND (
            u.username IN (SELECT actor_value FROM project_role_actors WHERE project_id = ?1 AND actor_type = 'user'
                           AND role_id IN (SELECT value FROM json_each(?2)))
         OR u.id IN (SELECT m.user_id FROM group_members m JOIN groups g ON g.id = m.group_id
                     WHERE g.name IN (SELECT actor_value FROM project_role_actors WHERE project_id = ?1
                                      AND actor_type = 'group' AND role_id IN (SELECT value FROM json_each(?2)))))",
    )?;
    let ids = stmt
        .query_map(params![id.0, roles], |r| Ok(UserId(r.get(0)?)))?
        .collect::<Result<_, _>>()?;
    Ok(ids)
}

fn component_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Component> {
    Ok(Component {
        id: r.get(0)?,
        project_id: ProjectId(r.get(1)?),
        name: r.get(2)?,
        description: r.get(3)?,
        lead_id: r.get::<_, Option<i64>>(4)?.map(UserId),
        assignee_type: r.get(5)?,
    })
}

pub fn components(db: &Db, id: ProjectId) -> StoreResult<Vec<Component>> {
    let mut stmt = db.prepare_cached(
        "SELECT id, project_id, name, description, lead_id, assignee_type FROM components WHERE project_id = ?1 ORDER BY name COLLATE NOCASE",
    )?;
    let rows = stmt
        .query_map([id.0], component_row)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

fn version_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Version> {
    Ok(Version {
        id: r.get(0)?,
        project_id: ProjectId(r.get(1)?),
        name: r.get(2)?,
        description: r.get(3)?,
        archived: r.get(4)?,
        released: r.get(5)?,
        start_date: r.get(6)?,
        release_date: r.get(7)?,
    })
}

pub fn versions(db: &Db, id: ProjectId) -> StoreResult<Vec<Version>> {
    let mut stmt = db.prepare_cached(
        "SELECT id, project_id, name, description, archived, released, start_date, release_date FROM versions
         WHERE project_id = ?1 ORDER BY sequence, id",
    )?;
    let rows = stmt
        .query_map([id.0], version_row)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn count(db: &Db) -> StoreResult<i64> {
    Ok(db.query_row("SELECT count(*) FROM projects", [], |r| r.get(0))?)
}

/// The permission-relevant change counter (see migration V5).
pub fn acl_version(db: &Db) -> StoreResult<i64> {
    Ok(db
        .prepare_cached("SELECT version FROM acl_version WHERE id = 1")?
        .query_row([], |r| r.get(0))?)
}
