//! Project components and versions, one at a time (the project-wide lists live in
//! `projects`), and moving issues between them.

use rusqlite::{OptionalExtension, params};

use super::{Db, Tx};
use crate::domain::*;
use crate::store::StoreResult;

pub fn component(db: &Db, id: i64) -> StoreResult<Option<Component>> {
    Ok(db
        .prepare_cached(
            "SELECT id, project_id, name, description, lead_id, assignee_type FROM components WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok(Component {
                id: r.get(0)?,
                project_id: ProjectId(r.get(1)?),
                name: r.get(2)?,
                description: r.get(3)?,
                lead_id: r.get::<_, Option<i64>>(4)?.map(UserId),
                assignee_type: r.get(5)?,
            })
        })
        .optional()?)
}

pub fn component_name_taken(
    db: &Db,
    project: ProjectId,
    name: &str,
    except: Option<i64>,
) -> StoreResult<bool> {
    Ok(db.query_row(
        "SELECT EXISTS(SELECT 1 FROM components WHERE project_id = ?1 AND name = ?2 COLLATE NOCASE AND id IS NOT ?3)",
        params![project.0, name, except],
        |r| r.get(0),
    )?)
}

pub fn insert_component(db: &Tx, c: &Component) -> StoreResult<i64> {
    let id: i64 = super::next_id(db, "components")?;
    db.execute(
        "INSERT INTO components (id, project_id, name, description, lead_id, assignee_type) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, c.project_id.0, c.name, c.description, c.lead_id.map(|u| u.0), c.assignee_type],
    )?;
    Ok(id)
}

pub fn update_component(db: &Tx, c: &Component) -> StoreResult<()> {
    db.execute(
        "UPDATE components SET name = ?2, description = ?3, lead_id = ?4, assignee_type = ?5 WHERE id = ?1",
        params![c.id, c.name, c.description, c.lead_id.map(|u| u.0), c.assignee_type],
    )?;
    Ok(())
}

pub fn delete_component(db: &Tx, id: i64) -> StoreResult<()> {
    db.execute("DELETE FROM components WHERE id = ?1", [id])?;
    Ok(())
}

/// Issues that have the component.
pub fn component_issues(db: &Db, id: i64) -> StoreResult<Vec<IssueId>> {
    let mut stmt = db.prepare_cached(
        "SELECT issue_id FROM issue_components WHERE component_id = ?1 ORDER BY issue_id",
    )?;
    let ids = stmt
        .query_map([id], |r| Ok(IssueId(r.get(0)?)))?
        .collect::<Result<_, _>>()?;
    Ok(ids)
}

const VERSION_COLUMNS: &str =
    "id, project_id, name, description, archived, released, start_date, release_date";

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

pub fn version(db: &Db, id: i64) -> StoreResult<Option<Version>> {
    Ok(db
        .prepare_cached(&format!(
            "SELECT {VERSION_COLUMNS} FROM versions WHERE id = ?1"
        ))?
        .query_row([id], version_row)
        .optional()?)
}

pub fn version_name_taken(
    db: &Db,
    project: ProjectId,
    name: &str,
    except: Option<i64>,
) -> StoreResult<bool> {
    Ok(db.query_row(
        "SELECT EXISTS(SELECT 1 FROM versions WHERE project_id = ?1 AND name = ?2 COLLATE NOCASE AND id IS NOT ?3)",
        params![project.0, name, except],
        |r| r.get(0),
    )?)
}

/// Inserts a version at the end of the project's order.
pub fn insert_version(db: &Tx, v: &Version) -> StoreResult<i64> {
    let id: i64 = super::next_id(db, "versions")?;
    db.execute(
        "INSERT INTO versions (id, project_id, name, description, archived, released, start_date, release_date, sequence)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,
                 (SELECT coalesce(max(sequence), 0) + 1 FROM versions WHERE project_id = ?2))",
        params![id, v.project_id.0, v.name, v.description, v.archived, v.released, v.start_date, v.release_date],
    )?;
    Ok(id)
}

pub fn update_version(db: &Tx, v: &Version) -> StoreResult<()> {
    db.execute(
        "UPDATE versions SET name = ?2, description = ?3, archived = ?4, released = ?5, start_date = ?6, release_date = ?7
         WHERE id = ?1",
        params![v.id, v.name, v.description, v.archived, v.released, v.start_date, v.release_date],
    )?;
    Ok(())
}

pub fn delete_version(db: &Tx, id: i64) -> StoreResult<()> {
    db.execute("DELETE FROM versions WHERE id = ?1", [id])?;
    Ok(())
}

/// Rewrites the project's version order: `ids` first to last.
pub fn set_version_order(db: &Tx, ids: &[i64]) -> StoreResult<()> {
    let mut stmt = db.prepare_cached("UPDATE versions SET sequence = ?2 WHERE id = ?1")?;
    for (i, id) in ids.iter().enumerate() {
        stmt.execute(params![id, i as i64 + 1])?;
    }
    Ok(())
}

/// Issues with the version as fix version (`fix`) or affected version (`affected`).
pub fn version_issues(db: &Db, id: i64, kind: &str) -> StoreResult<Vec<IssueId>> {
    let mut stmt = db.prepare_cached(
        "SELECT issue_id FROM issue_versions WHERE version_id = ?1 AND kind = ?2 ORDER BY issue_id",
    )?;
    let ids = stmt
        .query_map(params![id, kind], |r| Ok(IssueId(r.get(0)?)))?
        .collect::<Result<_, _>>()?;
    Ok(ids)
}
