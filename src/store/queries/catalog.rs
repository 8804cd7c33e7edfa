//! The small, rarely-changing tables: statuses, priorities, types, fields, schemes.

use rusqlite::{OptionalExtension, params};

use super::{Db, Tx};
use crate::domain::*;
use crate::store::StoreResult;

fn all<T>(
    db: &Db,
    sql: &str,
    f: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> StoreResult<Vec<T>> {
    let mut stmt = db.prepare_cached(sql)?;
    let rows = stmt.query_map([], f)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn status_categories(db: &Db) -> StoreResult<Vec<StatusCategory>> {
    // Jira lists categories in lifecycle order (ids 1, 2, 4, 3), not by id.
    let sql = "SELECT id, key, name, color_name FROM status_categories ORDER BY CASE key \
               WHEN 'undefined' THEN 0 WHEN 'new' THEN 1 WHEN 'indeterminate' THEN 2 WHEN 'done' THEN 3 ELSE 4 END, id";
    all(db, sql, |r| {
        Ok(StatusCategory {
            id: r.get(0)?,
            key: r.get(1)?,
            name: r.get(2)?,
            color_name: r.get(3)?,
        })
    })
}

pub fn statuses(db: &Db) -> StoreResult<Vec<Status>> {
    all(
        db,
        "SELECT id, name, description, category_id FROM statuses ORDER BY rowid",
        |r| {
            Ok(Status {
                id: r.get(0)?,
                name: r.get(1)?,
                description: r.get(2)?,
                category_id: r.get(3)?,
            })
        },
    )
}

pub fn priorities(db: &Db) -> StoreResult<Vec<Priority>> {
    all(
        db,
        "SELECT id, name, description, status_color, icon, is_default FROM priorities ORDER BY id",
        |r| {
            Ok(Priority {
                id: r.get(0)?,
                name: r.get(1)?,
                description: r.get(2)?,
                status_color: r.get(3)?,
                icon: r.get(4)?,
                is_default: r.get(5)?,
            })
        },
    )
}

pub fn resolutions(db: &Db) -> StoreResult<Vec<Resolution>> {
    all(
        db,
        "SELECT id, name, description, is_default FROM resolutions ORDER BY id",
        |r| {
            Ok(Resolution {
                id: r.get(0)?,
                name: r.get(1)?,
                description: r.get(2)?,
                is_default: r.get(3)?,
            })
        },
    )
}

pub fn issue_types(db: &Db) -> StoreResult<Vec<IssueType>> {
    all(
        db,
        "SELECT id, name, description, subtask, hierarchy_level, avatar_id FROM issue_types ORDER BY id",
        |r| {
            Ok(IssueType {
                id: r.get(0)?,
                name: r.get(1)?,
                description: r.get(2)?,
                subtask: r.get(3)?,
                hierarchy_level: r.get(4)?,
                avatar_id: r.get(5)?,
            })
        },
    )
}

pub fn insert_issue_type(
    db: &Tx,
    name: &str,
    description: &str,
    subtask: bool,
) -> StoreResult<i64> {
    let id: i64 = super::next_id(db, "issue_types")?;
    db.execute(
        "INSERT INTO issue_types (id, name, description, subtask, hierarchy_level) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, name, description, subtask, if subtask { -1 } else { 0 }],
    )?;
    Ok(id)
}

pub fn update_issue_type(
    db: &Tx,
    id: i64,
    name: &str,
    description: &str,
    avatar_id: i64,
) -> StoreResult<()> {
    db.execute(
        "UPDATE issue_types SET name = ?2, description = ?3, avatar_id = ?4 WHERE id = ?1",
        params![id, name, description, avatar_id],
    )?;
    Ok(())
}

pub fn issue_type_usage(db: &Db, id: i64) -> StoreResult<i64> {
    Ok(db.query_row(
        "SELECT count(*) FROM issues WHERE issue_type_id = ?1",
        [id],
        |r| r.get(0),
    )?)
}

pub fn move_issue_type(db: &Tx, from: i64, to: i64) -> StoreResult<Vec<i64>> {
    let mut stmt =
        db.prepare("UPDATE issues SET issue_type_id = ?2 WHERE issue_type_id = ?1 RETURNING id")?;
    let ids = stmt
        .query_map([from, to], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(ids)
}

pub fn delete_issue_type(db: &Tx, id: i64) -> StoreResult<()> {
    db.execute("DELETE FROM issue_types WHERE id = ?1", [id])?;
    Ok(())
}

pub fn transitions(db: &Db) -> StoreResult<Vec<(i64, Transition)>> {
    all(
        db,
        "SELECT workflow_id, id, name, from_status, to_status FROM workflow_transitions ORDER BY workflow_id, id",
        |r| {
            Ok((
                r.get(0)?,
                Transition {
                    id: r.get(1)?,
                    name: r.get(2)?,
                    from_status: r.get(3)?,
                    to_status: r.get(4)?,
                },
            ))
        },
    )
}

pub fn link_types(db: &Db) -> StoreResult<Vec<LinkType>> {
    all(
        db,
        "SELECT id, name, inward, outward FROM issue_link_types ORDER BY id",
        |r| {
            Ok(LinkType {
                id: r.get(0)?,
                name: r.get(1)?,
                inward: r.get(2)?,
                outward: r.get(3)?,
            })
        },
    )
}

pub fn project_roles(db: &Db) -> StoreResult<Vec<ProjectRole>> {
    all(
        db,
        "SELECT id, name, description FROM project_roles ORDER BY id",
        |r| {
            Ok(ProjectRole {
                id: r.get(0)?,
                name: r.get(1)?,
                description: r.get(2)?,
            })
        },
    )
}

pub fn project_categories(db: &Db) -> StoreResult<Vec<ProjectCategory>> {
    all(
        db,
        "SELECT id, name, description FROM project_categories ORDER BY id",
        |r| {
            Ok(ProjectCategory {
                id: r.get(0)?,
                name: r.get(1)?,
                description: r.get(2)?,
            })
        },
    )
}

pub fn permission_schemes(db: &Db) -> StoreResult<Vec<PermissionScheme>> {
    all(
        db,
        "SELECT id, name, description FROM permission_schemes ORDER BY id",
        |r| {
            Ok(PermissionScheme {
                id: r.get(0)?,
                name: r.get(1)?,
                description: r.get(2)?,
            })
        },
    )
}

/// (scheme id, permission, holder type, holder parameter)
pub type GrantRow = (i64, String, String, Option<String>);

pub fn permission_grants(db: &Db) -> StoreResult<Vec<GrantRow>> {
    all(
        db,
        "SELECT scheme_id, permission, holder_type, holder_param FROM permission_grants ORDER BY id",
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )
}

/// (permission, group name)
pub fn global_grants(db: &Db) -> StoreResult<Vec<(String, String)>> {
    all(
        db,
        "SELECT permission, group_name FROM global_grants",
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

pub fn custom_fields(db: &Db) -> StoreResult<Vec<CustomField>> {
    let mut fields: Vec<CustomField> = all(
        db,
        "SELECT id, name, description, kind FROM custom_fields ORDER BY id",
        |r| {
            let kind: String = r.get(3)?;
            Ok(CustomField {
                id: r.get(0)?,
                name: r.get(1)?,
                description: r.get(2)?,
                kind: CustomFieldKind::from_type_key(&kind).unwrap_or(CustomFieldKind::Text),
                options: Vec::new(),
            })
        },
    )?;
    let options: Vec<(i64, CustomFieldOption)> = all(
        db,
        "SELECT field_id, id, value, disabled FROM custom_field_options ORDER BY id",
        |r| {
            Ok((
                r.get(0)?,
                CustomFieldOption {
                    id: r.get(1)?,
                    value: r.get(2)?,
                    disabled: r.get(3)?,
                },
            ))
        },
    )?;
    for (field_id, option) in options {
        if let Some(f) = fields.iter_mut().find(|f| f.id == field_id) {
            f.options.push(option);
        }
    }
    Ok(fields)
}

pub fn insert_custom_field(
    db: &Tx,
    name: &str,
    description: &str,
    kind: CustomFieldKind,
) -> StoreResult<i64> {
    let id: i64 = super::next_id(db, "custom_fields")?;
    db.execute(
        "INSERT INTO custom_fields (id, name, description, kind) VALUES (?1, ?2, ?3, ?4)",
        params![id, name, description, kind.short()],
    )?;
    Ok(id)
}

pub fn insert_option(db: &Tx, field_id: i64, value: &str) -> StoreResult<i64> {
    let id: i64 = super::next_id(db, "custom_field_options")?;
    db.execute(
        "INSERT INTO custom_field_options (id, field_id, value) VALUES (?1, ?2, ?3)",
        params![id, field_id, value],
    )?;
    Ok(id)
}

pub fn update_option(db: &Tx, id: i64, value: &str, disabled: bool) -> StoreResult<()> {
    db.execute(
        "UPDATE custom_field_options SET value = ?2, disabled = ?3 WHERE id = ?1",
        params![id, value, disabled],
    )?;
    Ok(())
}

pub fn option_in_use(db: &Db, field_id: i64, option_id: i64) -> StoreResult<bool> {
    Ok(db.query_row(
        "SELECT EXISTS(SELECT 1 FROM issue_field_values v WHERE v.field_id = ?1
           AND (v.value = CAST(?2 AS TEXT) OR EXISTS(SELECT 1 FROM json_each(CASE WHEN json_valid(v.value) AND json_type(v.value) = 'array' THEN v.value ELSE '[]' END) WHERE value = ?2)))",
        [field_id, option_id],
        |r| r.get(0),
    )?)
}

pub fn delete_option(db: &Tx, id: i64) -> StoreResult<()> {
    db.execute("DELETE FROM custom_field_options WHERE id = ?1", [id])?;
    Ok(())
}

pub fn setting(db: &Db, key: &str) -> StoreResult<Option<String>> {
    Ok(db
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Every setting whose key starts with `prefix`.
pub fn settings_with_prefix(db: &Db, prefix: &str) -> StoreResult<Vec<(String, String)>> {
    let mut stmt = db.prepare_cached(
        "SELECT key, value FROM settings WHERE substr(key, 1, length(?1)) = ?1 ORDER BY key",
    )?;
    let rows = stmt.query_map([prefix], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn set_setting(db: &Tx, key: &str, value: &str) -> StoreResult<()> {
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

/// Inserts a project category; its id is the next after the largest (Jira numbers them
/// from 10000).
pub fn insert_project_category(tx: &Tx, name: &str, description: &str) -> StoreResult<i64> {
    let id: i64 = tx.query_row(
        "SELECT max(10000, coalesce(max(id), 0) + 1) FROM project_categories",
        [],
        |r| r.get(0),
    )?;
    tx.execute(
        "INSERT INTO project_categories (id, name, description) VALUES (?1, ?2, ?3)",
        params![id, name, description],
    )?;
    Ok(id)
}

pub fn update_project_category(tx: &Tx, id: i64, name: &str, description: &str) -> StoreResult<()> {
    tx.execute(
        "UPDATE project_categories SET name = ?2, description = ?3 WHERE id = ?1",
        params![id, name, description],
    )?;
    Ok(())
}

/// Deletes a category; its projects keep going without one (`ON DELETE SET NULL`).
pub fn delete_project_category(tx: &Tx, id: i64) -> StoreResult<()> {
    tx.execute("DELETE FROM project_categories WHERE id = ?1", [id])?;
    Ok(())
}
