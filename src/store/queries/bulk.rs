//! Bulk loading for generated data sets (demo data, benchmarks): many rows per
//! statement preparation, one transaction per batch, ids assigned by the caller.

use rusqlite::{ToSql, params, params_from_iter};

use super::Tx;
use crate::store::StoreResult;

pub struct BulkUser {
    pub id: i64,
    pub account_id: String,
    pub username: String,
    pub email: String,
    pub display_name: String,
}

/// What issues refer to: the users (all in one group) and the projects.
pub struct BulkSetup {
    pub users: Vec<BulkUser>,
    pub group_id: i64,
    pub projects: Vec<BulkProject>,
    /// Attachment content the issues use: (sha256, size); the files are the caller's.
    pub blobs: Vec<(String, i64)>,
    pub created: i64,
}

pub fn setup(db: &Tx, setup: &BulkSetup) -> StoreResult<()> {
    users(db, &setup.users, setup.group_id, setup.created)?;
    for (sha256, size) in &setup.blobs {
        super::attachments::ensure_blob(db, sha256, *size)?;
    }
    projects(db, &setup.projects, setup.created)
}

fn users(db: &Tx, users: &[BulkUser], group_id: i64, created: i64) -> StoreResult<()> {
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

fn projects(db: &Tx, projects: &[BulkProject], created: i64) -> StoreResult<()> {
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
    /// An epic (or, for a sub-task, its issue) loaded before this issue.
    pub parent_id: Option<i64>,
    /// `YYYY-MM-DD`.
    pub due_date: Option<String>,
    pub attachments: Vec<BulkAttachment>,
    /// (comment id, author, created, body)
    pub comments: Vec<(i64, i64, i64, String)>,
    /// (change group id, author, created, from status, to status)
    pub transitions: Vec<(i64, i64, i64, i64, i64)>,
}

/// An attachment whose content (a blob of the setup) is already on disk.
pub struct BulkAttachment {
    pub id: i64,
    pub author_id: i64,
    pub filename: String,
    pub mime_type: String,
    pub size: i64,
    pub sha256: String,
    pub created: i64,
}

/// Rows per multi-row INSERT: one statement step then inserts many rows, so the per
/// statement work (binding the cursor, opening and closing the B-tree) is paid once per
/// chunk; 100 rows of 19 columns stay far below SQLite's limit of bound parameters.
const ROWS_PER_STATEMENT: usize = 100;

/// Inserts `rows` with multi-row statements `{head} VALUES {row}, {row}, ...`.
///
/// `row` is a parenthesised list with one unnumbered `?` per value: a numbered `?1`
/// would name the first row's value in every row. `head` is `INSERT OR ROLLBACK INTO
/// ...`: a failing row then ends the whole transaction, so SQLite keeps no statement
/// journal to undo just the statement's earlier rows (a tenth of the insert time), and
/// a bulk job is all or nothing anyway.
fn insert_rows<const N: usize>(
    db: &Tx,
    head: &str,
    row: &str,
    rows: &[[&dyn ToSql; N]],
) -> StoreResult<()> {
    let sql = |rows: usize| format!("{head} VALUES {}", vec![row; rows].join(","));
    let mut full = rows.chunks_exact(ROWS_PER_STATEMENT);
    if full.len() > 0 {
        let mut insert = db.prepare_cached(&sql(ROWS_PER_STATEMENT))?;
        for chunk in &mut full {
            insert.execute(params_from_iter(chunk.iter().flatten()))?;
        }
    }
    let rest = full.remainder();
    if !rest.is_empty() {
        // Not cached: the rest differs in size from one call to the next.
        db.prepare(&sql(rest.len()))?
            .execute(params_from_iter(rest.iter().flatten()))?;
    }
    Ok(())
}

/// Inserts issues with their parts, comments and changelog (ids assigned by the caller).
/// Table by table, so each insert works on the same few hot B-tree pages.
pub fn issues(
    db: &Tx,
    issues: &[BulkIssue],
    status_names: &dyn Fn(i64) -> String,
) -> StoreResult<()> {
    let rows: Vec<[&dyn ToSql; 19]> = issues
        .iter()
        .map(|i| {
            [
                &i.id as &dyn ToSql,
                &i.project_id,
                &i.num,
                &i.key,
                &i.issue_type_id,
                &i.status_id,
                &i.priority_id,
                &i.resolution_id,
                &i.summary,
                &i.description,
                &i.assignee_id,
                &i.reporter_id,
                &i.created,
                &i.updated,
                &i.resolved,
                // The creator is the reporter; the status last changed at the last update.
                &i.reporter_id,
                &i.updated,
                &i.parent_id,
                &i.due_date,
            ]
        })
        .collect();
    insert_rows(
        db,
        "INSERT OR ROLLBACK INTO issues (id, project_id, num, key, issue_type_id, status_id, priority_id, resolution_id, summary,
            description, assignee_id, reporter_id, created, updated, resolution_date, creator_id, status_changed, parent_id, due_date)",
        "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        &rows,
    )?;

    let attachments: Vec<[&dyn ToSql; 8]> = issues
        .iter()
        .flat_map(|i| {
            i.attachments.iter().map(move |a| {
                [
                    &a.id as &dyn ToSql,
                    &i.id,
                    &a.author_id,
                    &a.filename,
                    &a.mime_type,
                    &a.size,
                    &a.sha256,
                    &a.created,
                ]
            })
        })
        .collect();
    insert_rows(
        db,
        "INSERT OR ROLLBACK INTO attachments (id, issue_id, author_id, filename, mime_type, size, sha256, created)",
        "(?,?,?,?,?,?,?,?)",
        &attachments,
    )?;

    let labels: Vec<[&dyn ToSql; 2]> = issues
        .iter()
        .flat_map(|i| i.labels.iter().map(move |l| [&i.id as &dyn ToSql, l]))
        .collect();
    insert_rows(
        db,
        "INSERT OR ROLLBACK INTO issue_labels (issue_id, label)",
        "(?,?)",
        &labels,
    )?;

    let components: Vec<[&dyn ToSql; 2]> = issues
        .iter()
        .filter_map(|i| Some([&i.id as &dyn ToSql, i.component_id.as_ref()?]))
        .collect();
    insert_rows(
        db,
        "INSERT OR ROLLBACK INTO issue_components (issue_id, component_id)",
        "(?,?)",
        &components,
    )?;

    let versions: Vec<[&dyn ToSql; 2]> = issues
        .iter()
        .filter_map(|i| Some([&i.id as &dyn ToSql, i.fix_version_id.as_ref()?]))
        .collect();
    insert_rows(
        db,
        "INSERT OR ROLLBACK INTO issue_versions (issue_id, version_id, kind)",
        "(?,?,'fix')",
        &versions,
    )?;

    let comments: Vec<[&dyn ToSql; 7]> = issues
        .iter()
        .flat_map(|i| {
            i.comments.iter().map(move |(id, author, at, body)| {
                [id as &dyn ToSql, &i.id, author, body, at, author, at]
            })
        })
        .collect();
    insert_rows(
        db,
        "INSERT OR ROLLBACK INTO comments (id, issue_id, author_id, body, created, update_author_id, updated)",
        "(?,?,?,?,?,?,?)",
        &comments,
    )?;

    let groups: Vec<[&dyn ToSql; 4]> = issues
        .iter()
        .flat_map(|i| {
            i.transitions
                .iter()
                .map(move |(id, author, at, _, _)| [id as &dyn ToSql, &i.id, author, at])
        })
        .collect();
    insert_rows(
        db,
        "INSERT OR ROLLBACK INTO changelog_groups (id, issue_id, author_id, created)",
        "(?,?,?,?)",
        &groups,
    )?;

    let texts: Vec<(&i64, [String; 4])> = issues
        .iter()
        .flat_map(|i| {
            i.transitions.iter().map(|(id, _, _, from, to)| {
                let texts = [
                    from.to_string(),
                    status_names(*from),
                    to.to_string(),
                    status_names(*to),
                ];
                (id, texts)
            })
        })
        .collect();
    let items: Vec<[&dyn ToSql; 5]> = texts
        .iter()
        .map(|(id, [f, fs, t, ts])| [*id as &dyn ToSql, f, fs, t, ts])
        .collect();
    insert_rows(
        db,
        "INSERT OR ROLLBACK INTO changelog_items (group_id, seq, field, field_type, field_id, from_value, from_string, to_value, to_string)",
        "(?,0,'status','jira','status',?,?,?,?)",
        &items,
    )?;

    // Each project's key counter reaches its highest issue number in this batch, so a
    // key given out later never collides with a loaded one.
    let mut highest = std::collections::BTreeMap::new();
    for i in issues {
        let num = highest.entry(i.project_id).or_insert(i.num);
        *num = (*num).max(i.num);
    }
    let mut counter = db.prepare_cached(
        "UPDATE projects SET issue_counter = max(issue_counter, ?2) WHERE id = ?1",
    )?;
    for (project, num) in highest {
        counter.execute(params![project, num])?;
    }
    Ok(())
}
