//! Bulk loading for generated data sets (demo data, benchmarks): many rows per
//! statement preparation, one transaction per batch, ids assigned by the caller.

use rusqlite::params;

use super::Db;
use crate::store::StoreResult;

pub struct BulkUser {
    pub id: i64,
    pub account_id: String,
    pub username: String,
    pub email: String,
    pub display_name: String,
}

pub fn users(db: &Db, users: &[BulkUser], group_id: i64, created: i64) -> StoreResult<()> {
    let mut insert = db.prepare_cached(
        "INSERT INTO users (id, account_id, username, email, display_name, password_hash, created) VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6)",
    )?;
    let mut member =
        db.prepare_cached("INSERT INTO group_members (group_id, user_id) VALUES (?1, ?2)")?;
    for u in users {
        insert.execute(params![
            u.id,
            u.account_id,
            u.username,
            u.email,
            u.display_name,
            created
        ])?;
        member.execute(params![group_id, u.id])?;
    }
    Ok(())
}

pub struct BulkProject {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub lead_id: i64,
    pub components: Vec<(i64, String)>,
    pub versions: Vec<(i64, String, bool)>,
}

pub fn projects(db: &Db, projects: &[BulkProject], created: i64) -> StoreResult<()> {
    let mut insert = db.prepare_cached(
        "INSERT INTO projects (id, key, name, lead_id, permission_scheme_id, workflow_id, created) VALUES (?1, ?2, ?3, ?4, 0, 1, ?5)",
    )?;
    let mut actors = db.prepare_cached(
        "INSERT INTO project_role_actors (project_id, role_id, actor_type, actor_value)
         SELECT ?1, role_id, actor_type, actor_value FROM project_role_default_actors",
    )?;
    let mut component =
        db.prepare_cached("INSERT INTO components (id, project_id, name) VALUES (?1, ?2, ?3)")?;
    let mut version = db.prepare_cached(
        "INSERT INTO versions (id, project_id, name, released, sequence) VALUES (?1, ?2, ?3, ?4, ?1)",
    )?;
    for p in projects {
        insert.execute(params![p.id, p.key, p.name, p.lead_id, created])?;
        actors.execute([p.id])?;
        for (id, name) in &p.components {
            component.execute(params![id, p.id, name])?;
        }
        for (id, name, released) in &p.versions {
            version.execute(params![id, p.id, name, released])?;
        }
    }
    Ok(())
}

pub struct BulkIssue {
    pub id: i64,
    pub project_id: i64,
    pub num: i64,
    pub key: String,
    pub issue_type_id: i64,
    pub status_id: i64,
    pub priority_id: i64,
    pub resolution_id: Option<i64>,
    pub summary: String,
    pub description: String,
    pub assignee_id: Option<i64>,
    pub reporter_id: i64,
    pub created: i64,
    pub updated: i64,
    pub resolved: Option<i64>,
    pub labels: Vec<String>,
    pub component_id: Option<i64>,
    pub fix_version_id: Option<i64>,
    /// (comment id, author, created, body)
    pub comments: Vec<(i64, i64, i64, String)>,
    /// (change group id, author, created, from status, to status)
    pub transitions: Vec<(i64, i64, i64, i64, i64)>,
}

/// Inserts issues with their parts, comments and changelog (ids assigned by the caller).
pub fn issues(
    db: &Db,
    issues: &[BulkIssue],
    status_names: &dyn Fn(i64) -> String,
) -> StoreResult<()> {
    let mut insert = db.prepare_cached(
        "INSERT INTO issues (id, project_id, num, key, issue_type_id, status_id, priority_id, resolution_id, summary,
            description, assignee_id, reporter_id, creator_id, created, updated, resolution_date, status_changed)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13, ?14, ?15, ?14)",
    )?;
    let mut label =
        db.prepare_cached("INSERT INTO issue_labels (issue_id, label) VALUES (?1, ?2)")?;
    let mut component =
        db.prepare_cached("INSERT INTO issue_components (issue_id, component_id) VALUES (?1, ?2)")?;
    let mut version = db.prepare_cached(
        "INSERT INTO issue_versions (issue_id, version_id, kind) VALUES (?1, ?2, 'fix')",
    )?;
    let mut comment = db.prepare_cached(
        "INSERT INTO comments (id, issue_id, author_id, update_author_id, body, created, updated) VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?5)",
    )?;
    let mut group = db.prepare_cached(
        "INSERT INTO changelog_groups (id, issue_id, author_id, created) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut item = db.prepare_cached(
        "INSERT INTO changelog_items (group_id, seq, field, field_type, field_id, from_value, from_string, to_value, to_string)
         VALUES (?1, 0, 'status', 'jira', 'status', ?2, ?3, ?4, ?5)",
    )?;
    for i in issues {
        insert.execute(params![
            i.id,
            i.project_id,
            i.num,
            i.key,
            i.issue_type_id,
            i.status_id,
            i.priority_id,
            i.resolution_id,
            i.summary,
            i.description,
            i.assignee_id,
            i.reporter_id,
            i.created,
            i.updated,
            i.resolved
        ])?;
        for l in &i.labels {
            label.execute(params![i.id, l])?;
        }
        if let Some(c) = i.component_id {
            component.execute(params![i.id, c])?;
        }
        if let Some(v) = i.fix_version_id {
            version.execute(params![i.id, v])?;
        }
        for (id, author, at, body) in &i.comments {
            comment.execute(params![id, i.id, author, body, at])?;
        }
        for (id, author, at, from, to) in &i.transitions {
            group.execute(params![id, i.id, author, at])?;
            item.execute(params![
                id,
                from.to_string(),
                status_names(*from),
                to.to_string(),
                status_names(*to)
            ])?;
        }
    }
    Ok(())
}

/// Bumps each project's key counter to its highest issue number.
pub fn finish_counters(db: &Db) -> StoreResult<()> {
    db.execute_batch(
        "UPDATE projects SET issue_counter = coalesce((SELECT max(num) FROM issues WHERE issues.project_id = projects.id), 0);",
    )?;
    Ok(())
}
