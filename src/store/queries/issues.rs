use rusqlite::{OptionalExtension, params};

use super::{Db, Tx};
use crate::domain::*;
use crate::store::StoreResult;

const COLUMNS: &str = "id, key, project_id, issue_type_id, status_id, priority_id, resolution_id, summary, description,
    environment, assignee_id, reporter_id, creator_id, parent_id, due_date, original_estimate, remaining_estimate,
    time_spent, created, updated, resolution_date, status_changed, security_level_id";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Issue> {
    Ok(Issue {
        id: IssueId(r.get(0)?),
        key: r.get(1)?,
        project_id: ProjectId(r.get(2)?),
        issue_type_id: r.get(3)?,
        status_id: r.get(4)?,
        priority_id: r.get(5)?,
        resolution_id: r.get(6)?,
        summary: r.get(7)?,
        description: r.get(8)?,
        environment: r.get(9)?,
        assignee_id: r.get::<_, Option<i64>>(10)?.map(UserId),
        reporter_id: r.get::<_, Option<i64>>(11)?.map(UserId),
        creator_id: r.get::<_, Option<i64>>(12)?.map(UserId),
        parent_id: r.get::<_, Option<i64>>(13)?.map(IssueId),
        due_date: r.get(14)?,
        original_estimate: r.get(15)?,
        remaining_estimate: r.get(16)?,
        time_spent: r.get(17)?,
        created: Millis(r.get(18)?),
        updated: Millis(r.get(19)?),
        resolution_date: r.get::<_, Option<i64>>(20)?.map(Millis),
        status_changed: Millis(r.get(21)?),
        labels: Vec::new(),
        component_ids: Vec::new(),
        fix_version_ids: Vec::new(),
        affected_version_ids: Vec::new(),
        custom: Vec::new(),
        security_level_id: r.get(22)?,
    })
}

/// Loads an issue with its multi-valued parts, by id or key.
pub fn by_ref(db: &Db, r: &IssueRef) -> StoreResult<Option<Issue>> {
    let found = match r {
        IssueRef::Id(id) => db
            .prepare_cached(&format!("SELECT {COLUMNS} FROM issues WHERE id = ?1"))?
            .query_row([id], row)
            .optional()?,
        IssueRef::Key(key) => db
            .prepare_cached(&format!("SELECT {COLUMNS} FROM issues WHERE key = ?1"))?
            .query_row([key], row)
            .optional()?,
    };
    match found {
        Some(mut issue) => {
            load_parts(db, &mut issue)?;
            Ok(Some(issue))
        }
        None => Ok(None),
    }
}

pub fn by_id(db: &Db, id: IssueId) -> StoreResult<Option<Issue>> {
    by_ref(db, &IssueRef::Id(id.0))
}

/// Several issues with their parts in five queries, in the order of `ids` (missing ones
/// left out): a page of search results costs the same few queries whatever its size.
pub fn by_ids(db: &Db, ids: &[IssueId]) -> StoreResult<Vec<Issue>> {
    let json = serde_json::to_string(&ids.iter().map(|i| i.0).collect::<Vec<_>>())
        .unwrap_or_else(|_| "[]".into());
    let mut found: std::collections::HashMap<i64, Issue> = db
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM issues WHERE id IN (SELECT value FROM json_each(?1))"
        ))?
        .query_map([&json], row)?
        .map(|r| r.map(|i| (i.id.0, i)))
        .collect::<Result<_, _>>()?;
    let mut stmt = db.prepare_cached(
        "SELECT issue_id, label FROM issue_labels WHERE issue_id IN (SELECT value FROM json_each(?1))
         ORDER BY issue_id, label",
    )?;
    for r in stmt.query_map([&json], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })? {
        let (id, label) = r?;
        if let Some(i) = found.get_mut(&id) {
            i.labels.push(label);
        }
    }
    let mut stmt = db.prepare_cached(
        "SELECT issue_id, component_id FROM issue_components WHERE issue_id IN (SELECT value FROM json_each(?1))
         ORDER BY issue_id, component_id",
    )?;
    for r in stmt.query_map([&json], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
        let (id, component) = r?;
        if let Some(i) = found.get_mut(&id) {
            i.component_ids.push(component);
        }
    }
    let mut stmt = db.prepare_cached(
        "SELECT issue_id, version_id, kind FROM issue_versions WHERE issue_id IN (SELECT value FROM json_each(?1))
         ORDER BY issue_id, version_id",
    )?;
    for r in stmt.query_map([&json], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
        ))
    })? {
        let (id, version, kind) = r?;
        if let Some(i) = found.get_mut(&id) {
            if kind == "fix" {
                i.fix_version_ids.push(version);
            } else {
                i.affected_version_ids.push(version);
            }
        }
    }
    let mut stmt = db.prepare_cached(
        "SELECT issue_id, field_id, value FROM issue_field_values WHERE issue_id IN (SELECT value FROM json_each(?1))
         ORDER BY issue_id, field_id",
    )?;
    for r in stmt.query_map([&json], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
        ))
    })? {
        let (id, field, raw) = r?;
        if let Some(i) = found.get_mut(&id)
            && let Some(v) = decode_value(&raw)
        {
            i.custom.push((field, v));
        }
    }
    Ok(ids.iter().filter_map(|id| found.remove(&id.0)).collect())
}

fn load_parts(db: &Db, issue: &mut Issue) -> StoreResult<()> {
    let id = issue.id.0;
    issue.labels = db
        .prepare_cached("SELECT label FROM issue_labels WHERE issue_id = ?1 ORDER BY label")?
        .query_map([id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    issue.component_ids = db
        .prepare_cached(
            "SELECT component_id FROM issue_components WHERE issue_id = ?1 ORDER BY component_id",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut stmt = db.prepare_cached(
        "SELECT version_id, kind FROM issue_versions WHERE issue_id = ?1 ORDER BY version_id",
    )?;
    for v in stmt.query_map([id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
        let (version, kind) = v?;
        if kind == "fix" {
            issue.fix_version_ids.push(version);
        } else {
            issue.affected_version_ids.push(version);
        }
    }
    let mut stmt = db.prepare_cached(
        "SELECT field_id, value FROM issue_field_values WHERE issue_id = ?1 ORDER BY field_id",
    )?;
    let raw: Vec<(i64, String)> = stmt
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    issue.custom = raw
        .into_iter()
        .filter_map(|(f, v)| decode_value(&v).map(|v| (f, v)))
        .collect();
    Ok(())
}

/// Custom values are stored as a tagged JSON value: `{"t": "text", "v": ...}`.
fn encode_value(v: &FieldValue) -> String {
    let (t, v) = match v {
        FieldValue::Text(s) => ("text", serde_json::json!(s)),
        FieldValue::Number(n) => ("number", serde_json::json!(n)),
        FieldValue::Date(d) => ("date", serde_json::json!(d)),
        FieldValue::DateTime(m) => ("datetime", serde_json::json!(m.0)),
        FieldValue::Option(o) => ("option", serde_json::json!(o)),
        FieldValue::Options(o) => ("options", serde_json::json!(o)),
        FieldValue::Labels(l) => ("labels", serde_json::json!(l)),
        FieldValue::User(u) => ("user", serde_json::json!(u.0)),
    };
    serde_json::json!({"t": t, "v": v}).to_string()
}

fn decode_value(raw: &str) -> Option<FieldValue> {
    let j: serde_json::Value = serde_json::from_str(raw).ok()?;
    let v = j.get("v")?;
    Some(match j.get("t")?.as_str()? {
        "text" => FieldValue::Text(v.as_str()?.to_string()),
        "number" => FieldValue::Number(v.as_f64()?),
        "date" => FieldValue::Date(v.as_str()?.to_string()),
        "datetime" => FieldValue::DateTime(Millis(v.as_i64()?)),
        "option" => FieldValue::Option(v.as_i64()?),
        "options" => FieldValue::Options(v.as_array()?.iter().filter_map(|x| x.as_i64()).collect()),
        "labels" => FieldValue::Labels(
            v.as_array()?
                .iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect(),
        ),
        "user" => FieldValue::User(UserId(v.as_i64()?)),
        _ => return None,
    })
}

/// Allocates the next key number of a project inside the write transaction: no gaps
/// (a rolled-back create rolls the counter back too) and no duplicates (one writer).
pub fn next_number(db: &Tx, project: ProjectId) -> StoreResult<i64> {
    Ok(db
        .prepare_cached("UPDATE projects SET issue_counter = issue_counter + 1 WHERE id = ?1 RETURNING issue_counter")?
        .query_row([project.0], |r| r.get(0))?)
}

/// Inserts the issue row and its parts; `issue.id` is ignored and the new id returned.
pub fn insert(db: &Tx, issue: &Issue, num: i64) -> StoreResult<IssueId> {
    let next_id: i64 = super::next_id(db, "issues")?;
    db.prepare_cached(
        "INSERT INTO issues (id, project_id, num, key, issue_type_id, status_id, priority_id, resolution_id, summary,
            description, environment, assignee_id, reporter_id, creator_id, parent_id, due_date, original_estimate,
            remaining_estimate, time_spent, created, updated, resolution_date, status_changed, security_level_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)",
    )?
    .execute(params![
        next_id,
        issue.project_id.0,
        num,
        issue.key,
        issue.issue_type_id,
        issue.status_id,
        issue.priority_id,
        issue.resolution_id,
        issue.summary,
        issue.description,
        issue.environment,
        issue.assignee_id.map(|u| u.0),
        issue.reporter_id.map(|u| u.0),
        issue.creator_id.map(|u| u.0),
        issue.parent_id.map(|i| i.0),
        issue.due_date,
        issue.original_estimate,
        issue.remaining_estimate,
        issue.time_spent,
        issue.created.0,
        issue.updated.0,
        issue.resolution_date.map(|m| m.0),
        issue.status_changed.0,
        issue.security_level_id,
    ])?;
    let id = IssueId(next_id);
    write_parts(db, id, issue)?;
    Ok(id)
}

/// Rewrites the issue row and its parts from `issue`.
pub fn update(db: &Tx, issue: &Issue) -> StoreResult<()> {
    db.prepare_cached(
        "UPDATE issues SET issue_type_id = ?2, status_id = ?3, priority_id = ?4, resolution_id = ?5, summary = ?6,
            description = ?7, environment = ?8, assignee_id = ?9, reporter_id = ?10, parent_id = ?11, due_date = ?12,
            original_estimate = ?13, remaining_estimate = ?14, time_spent = ?15, updated = ?16, resolution_date = ?17,
            status_changed = ?18, security_level_id = ?19
         WHERE id = ?1",
    )?
    .execute(params![
        issue.id.0,
        issue.issue_type_id,
        issue.status_id,
        issue.priority_id,
        issue.resolution_id,
        issue.summary,
        issue.description,
        issue.environment,
        issue.assignee_id.map(|u| u.0),
        issue.reporter_id.map(|u| u.0),
        issue.parent_id.map(|i| i.0),
        issue.due_date,
        issue.original_estimate,
        issue.remaining_estimate,
        issue.time_spent,
        issue.updated.0,
        issue.resolution_date.map(|m| m.0),
        issue.status_changed.0,
        issue.security_level_id,
    ])?;
    for table in [
        "issue_labels",
        "issue_components",
        "issue_versions",
        "issue_field_values",
    ] {
        db.prepare_cached(&format!("DELETE FROM {table} WHERE issue_id = ?1"))?
            .execute([issue.id.0])?;
    }
    write_parts(db, issue.id, issue)
}

fn write_parts(db: &Tx, id: IssueId, issue: &Issue) -> StoreResult<()> {
    let mut stmt =
        db.prepare_cached("INSERT OR IGNORE INTO issue_labels (issue_id, label) VALUES (?1, ?2)")?;
    for label in &issue.labels {
        stmt.execute(params![id.0, label])?;
    }
    let mut stmt = db.prepare_cached(
        "INSERT OR IGNORE INTO issue_components (issue_id, component_id) VALUES (?1, ?2)",
    )?;
    for c in &issue.component_ids {
        stmt.execute(params![id.0, c])?;
    }
    let mut stmt = db.prepare_cached(
        "INSERT OR IGNORE INTO issue_versions (issue_id, version_id, kind) VALUES (?1, ?2, ?3)",
    )?;
    for v in &issue.fix_version_ids {
        stmt.execute(params![id.0, v, "fix"])?;
    }
    for v in &issue.affected_version_ids {
        stmt.execute(params![id.0, v, "affected"])?;
    }
    let mut stmt = db.prepare_cached(
        "INSERT OR REPLACE INTO issue_field_values (issue_id, field_id, value) VALUES (?1, ?2, ?3)",
    )?;
    for (field, value) in &issue.custom {
        stmt.execute(params![id.0, field, encode_value(value)])?;
    }
    Ok(())
}

pub fn delete(db: &Tx, id: IssueId) -> StoreResult<()> {
    db.prepare_cached(
        "DELETE FROM entity_properties WHERE (entity_type = 'issue' AND entity_id = ?1)
            OR (entity_type = 'comment' AND entity_id IN (SELECT id FROM comments WHERE issue_id = ?1))",
    )?
    .execute([id.0])?;
    db.prepare_cached("DELETE FROM issues WHERE id = ?1")?
        .execute([id.0])?;
    Ok(())
}

pub fn subtasks(db: &Db, parent: IssueId) -> StoreResult<Vec<Issue>> {
    let mut stmt = db.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM issues WHERE parent_id = ?1 ORDER BY id"
    ))?;
    let issues = stmt.query_map([parent.0], row)?.collect::<Result<_, _>>()?;
    Ok(issues)
}

/// Issues whose key or summary matches `query`, newest first, within the given projects.
pub fn picker(db: &Db, query: &str, projects: &[i64], limit: i64) -> StoreResult<Vec<Issue>> {
    let pattern = format!(
        "%{}%",
        query
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let projects = serde_json::to_string(projects).unwrap_or_else(|_| "[]".into());
    let mut stmt = db.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM issues WHERE project_id IN (SELECT value FROM json_each(?2))
           AND (key LIKE ?1 ESCAPE '\\' OR summary LIKE ?1 ESCAPE '\\')
         ORDER BY updated DESC, id DESC LIMIT ?3"
    ))?;
    let issues = stmt
        .query_map(params![pattern, projects, limit], row)?
        .collect::<Result<_, _>>()?;
    Ok(issues)
}

/// Records that the issue changed, for the search indexer; same transaction as the change.
pub fn enqueue_index(db: &Tx, id: IssueId, now: Millis) -> StoreResult<()> {
    db.prepare_cached("INSERT INTO outbox (issue_id, created) VALUES (?1, ?2)")?
        .execute([id.0, now.0])?;
    Ok(())
}

/// Bumps `updated` after a change to something hanging off the issue (comments, ...).
pub fn touch(db: &Tx, id: IssueId, now: Millis) -> StoreResult<()> {
    db.prepare_cached("UPDATE issues SET updated = ?2 WHERE id = ?1")?
        .execute([id.0, now.0])?;
    Ok(())
}

/// Outbox entries after `seq`: (seq, issue id), oldest first.
pub fn outbox_after(db: &Db, seq: i64, limit: i64) -> StoreResult<Vec<(i64, i64)>> {
    let mut stmt =
        db.prepare_cached("SELECT seq, issue_id FROM outbox WHERE seq > ?1 ORDER BY seq LIMIT ?2")?;
    let rows = stmt
        .query_map([seq, limit], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The highest outbox position ever assigned (kept by AUTOINCREMENT even after pruning).
pub fn outbox_head(db: &Db) -> StoreResult<i64> {
    Ok(db
        .query_row(
            "SELECT seq FROM sqlite_sequence WHERE name = 'outbox'",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0))
}

/// Drops outbox entries the index has committed.
pub fn prune_outbox(db: &Tx, upto: i64) -> StoreResult<()> {
    db.prepare_cached("DELETE FROM outbox WHERE seq <= ?1")?
        .execute([upto])?;
    Ok(())
}

/// Issue ids in id order after `after`, for full reindexing.
pub fn ids_after(db: &Db, after: i64, limit: i64) -> StoreResult<Vec<i64>> {
    let mut stmt = db.prepare_cached("SELECT id FROM issues WHERE id > ?1 ORDER BY id LIMIT ?2")?;
    let rows = stmt
        .query_map([after, limit], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn count(db: &Db) -> StoreResult<i64> {
    Ok(db.query_row("SELECT count(*) FROM issues", [], |r| r.get(0))?)
}

/// Comment bodies of an issue without a visibility restriction, for the search index.
pub fn comment_bodies(db: &Db, id: IssueId) -> StoreResult<Vec<String>> {
    // Restricted comments stay out of the index: one document serves every searcher, so
    // their words would find the issue for those they are hidden from.
    let mut stmt = db.prepare_cached(
        "SELECT body FROM comments WHERE issue_id = ?1 AND visibility_type IS NULL ORDER BY id",
    )?;
    let rows = stmt
        .query_map([id.0], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Restrictions of a history search (`WAS`, `CHANGED`) on the change groups.
#[derive(Debug, Default, Clone)]
pub struct HistoryWindow {
    pub after: Option<i64>,
    pub before: Option<i64>,
    pub by: Option<Vec<i64>>,
    pub from: Option<Vec<String>>,
    pub to: Option<Vec<String>>,
}

fn json_list<T: serde::Serialize>(v: &Option<Vec<T>>) -> Option<String> {
    v.as_ref()
        .map(|x| serde_json::to_string(x).unwrap_or_else(|_| "[]".into()))
}

const HISTORY_WHERE: &str = "i.field_id = ?1
    AND (?2 IS NULL OR g.created > ?2)
    AND (?3 IS NULL OR g.created < ?3)
    AND (?4 IS NULL OR g.author_id IN (SELECT value FROM json_each(?4)))
    AND (?5 IS NULL OR i.from_value IN (SELECT value FROM json_each(?5)))
    AND (?6 IS NULL OR i.to_value IN (SELECT value FROM json_each(?6)))";

/// Issues whose field changed within the window.
pub fn changed(db: &Db, field_id: &str, w: &HistoryWindow) -> StoreResult<Vec<i64>> {
    let mut stmt = db.prepare_cached(&format!(
        "SELECT DISTINCT g.issue_id FROM changelog_groups g JOIN changelog_items i ON i.group_id = g.id WHERE {HISTORY_WHERE}"
    ))?;
    let rows = stmt
        .query_map(
            params![
                field_id,
                w.after,
                w.before,
                json_list(&w.by),
                json_list(&w.from),
                json_list(&w.to)
            ],
            |r| r.get(0),
        )?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Issues whose field held one of `values` according to the changelog: a change away
/// from it, or to it, within the window.
pub fn was(db: &Db, field_id: &str, values: &[String], w: &HistoryWindow) -> StoreResult<Vec<i64>> {
    let values = serde_json::to_string(values).unwrap_or_else(|_| "[]".into());
    let mut stmt = db.prepare_cached(&format!(
        "SELECT DISTINCT g.issue_id FROM changelog_groups g JOIN changelog_items i ON i.group_id = g.id
         WHERE {HISTORY_WHERE}
           AND (i.from_value IN (SELECT value FROM json_each(?7)) OR i.to_value IN (SELECT value FROM json_each(?7)))"
    ))?;
    let rows = stmt
        .query_map(
            params![
                field_id,
                w.after,
                w.before,
                json_list(&w.by),
                json_list(&w.from),
                json_list(&w.to),
                values
            ],
            |r| r.get(0),
        )?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Labels in use within the given projects, starting with `prefix`, on issues without
/// a security level.
pub fn labels_in_projects(
    db: &Db,
    prefix: &str,
    projects: &[i64],
    limit: i64,
) -> StoreResult<Vec<String>> {
    let pattern = format!(
        "{}%",
        prefix
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let projects = serde_json::to_string(projects).unwrap_or_else(|_| "[]".into());
    let mut stmt = db.prepare_cached(
        "SELECT DISTINCT l.label FROM issue_labels l JOIN issues i ON i.id = l.issue_id
         WHERE l.label LIKE ?1 ESCAPE '\\' AND i.project_id IN (SELECT value FROM json_each(?2))
           AND i.security_level_id IS NULL
         ORDER BY l.label LIMIT ?3",
    )?;
    let labels = stmt
        .query_map(params![pattern, projects, limit], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(labels)
}

/// The issues with a security level in the given projects carrying a label starting
/// with `prefix`, with that label: the caller checks each against its levels.
pub fn secured_labels_in_projects(
    db: &Db,
    prefix: &str,
    projects: &[i64],
) -> StoreResult<Vec<(String, IssueId)>> {
    let pattern = format!(
        "{}%",
        prefix
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let projects = serde_json::to_string(projects).unwrap_or_else(|_| "[]".into());
    let mut stmt = db.prepare_cached(
        "SELECT l.label, i.id FROM issue_labels l JOIN issues i ON i.id = l.issue_id
         WHERE l.label LIKE ?1 ESCAPE '\\' AND i.project_id IN (SELECT value FROM json_each(?2))
           AND i.security_level_id IS NOT NULL
         ORDER BY l.label, i.id",
    )?;
    let rows = stmt
        .query_map(params![pattern, projects], |r| {
            Ok((r.get(0)?, IssueId(r.get(1)?)))
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}
