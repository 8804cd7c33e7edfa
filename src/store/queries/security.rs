//! Issue security schemes, levels, members, and which scheme each project uses.

use rusqlite::{OptionalExtension, params};

use super::{Db, Tx};
use crate::domain::security::{Holder, SecurityLevel, SecurityMember, SecurityScheme};
use crate::domain::*;
use crate::store::StoreResult;

/// Every scheme with its levels and their members, by name.
pub fn all(db: &Db) -> StoreResult<Vec<SecurityScheme>> {
    let mut schemes: Vec<SecurityScheme> = db
        .prepare_cached(
            "SELECT id, name, description, default_level_id FROM issue_security_schemes ORDER BY name, id",
        )?
        .query_map([], |r| {
            Ok(SecurityScheme {
                id: r.get(0)?,
                name: r.get(1)?,
                description: r.get(2)?,
                default_level_id: r.get(3)?,
                levels: Vec::new(),
            })
        })?
        .collect::<Result<_, _>>()?;
    let levels = levels_where(db, "1 = 1", [])?;
    for s in &mut schemes {
        s.levels = levels
            .iter()
            .filter(|l| l.scheme_id == s.id)
            .cloned()
            .collect();
    }
    Ok(schemes)
}

pub fn scheme(db: &Db, id: i64) -> StoreResult<Option<SecurityScheme>> {
    Ok(all(db)?.into_iter().find(|s| s.id == id))
}

/// A level with its members.
pub fn level(db: &Db, id: i64) -> StoreResult<Option<SecurityLevel>> {
    Ok(levels_where(db, "l.id = ?1", [id])?.into_iter().next())
}

fn levels_where<P: rusqlite::Params>(
    db: &Db,
    condition: &str,
    args: P,
) -> StoreResult<Vec<SecurityLevel>> {
    let mut stmt = db.prepare_cached(&format!(
        "SELECT l.id, l.scheme_id, l.name, l.description, m.id, m.holder_type, m.holder_param
         FROM issue_security_levels l LEFT JOIN issue_security_members m ON m.level_id = l.id
         WHERE {condition} ORDER BY l.name, l.id, m.id"
    ))?;
    let mut out: Vec<SecurityLevel> = Vec::new();
    let rows = stmt.query_map(args, |r| {
        Ok((
            SecurityLevel {
                id: r.get(0)?,
                scheme_id: r.get(1)?,
                name: r.get(2)?,
                description: r.get(3)?,
                members: Vec::new(),
            },
            r.get::<_, Option<i64>>(4)?,
            r.get::<_, Option<String>>(5)?,
            r.get::<_, Option<String>>(6)?,
        ))
    })?;
    for row in rows {
        let (level, member, kind, param) = row?;
        if out.last().is_none_or(|l| l.id != level.id) {
            out.push(level);
        }
        if let (Some(id), Some(kind), Some(last)) = (member, kind, out.last_mut())
            && let Some(holder) = Holder::from_parts(&kind, param.as_deref())
        {
            last.members.push(SecurityMember { id, holder });
        }
    }
    Ok(out)
}

/// The members of one level (empty for an unknown level).
pub fn members(db: &Db, level: i64) -> StoreResult<Vec<Holder>> {
    let mut stmt = db.prepare_cached(
        "SELECT holder_type, holder_param FROM issue_security_members WHERE level_id = ?1",
    )?;
    let rows = stmt.query_map([level], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (kind, param) = row?;
        out.extend(Holder::from_parts(&kind, param.as_deref()));
    }
    Ok(out)
}

/// The scheme a project uses, if any.
pub fn scheme_of_project(db: &Db, project: ProjectId) -> StoreResult<Option<i64>> {
    Ok(db
        .prepare_cached("SELECT scheme_id FROM project_issue_security WHERE project_id = ?1")?
        .query_row([project.0], |r| r.get(0))
        .optional()?)
}

/// (project, scheme) of every project that uses a scheme.
pub fn project_schemes(db: &Db) -> StoreResult<Vec<(i64, i64)>> {
    Ok(db
        .prepare_cached("SELECT project_id, scheme_id FROM project_issue_security")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?)
}

pub fn insert_scheme(tx: &Tx, name: &str, description: &str) -> StoreResult<i64> {
    let id = super::next_id(tx, "issue_security_schemes")?;
    tx.prepare_cached(
        "INSERT INTO issue_security_schemes (id, name, description) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![id, name, description])?;
    Ok(id)
}

pub fn update_scheme(
    tx: &Tx,
    id: i64,
    name: &str,
    description: &str,
    default_level: Option<i64>,
) -> StoreResult<()> {
    tx.prepare_cached(
        "UPDATE issue_security_schemes SET name = ?2, description = ?3, default_level_id = ?4 WHERE id = ?1",
    )?
    .execute(params![id, name, description, default_level])?;
    Ok(())
}

pub fn delete_scheme(tx: &Tx, id: i64) -> StoreResult<()> {
    tx.prepare_cached("DELETE FROM issue_security_schemes WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

pub fn insert_level(tx: &Tx, scheme: i64, name: &str, description: &str) -> StoreResult<i64> {
    let id = super::next_id(tx, "issue_security_levels")?;
    tx.prepare_cached(
        "INSERT INTO issue_security_levels (id, scheme_id, name, description) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![id, scheme, name, description])?;
    Ok(id)
}

/// Deletes a level; its issues move to `replace_with` (or to no level). Returns the
/// issues that changed, for reindexing.
pub fn delete_level(tx: &Tx, id: i64, replace_with: Option<i64>) -> StoreResult<Vec<IssueId>> {
    let moved = set_issue_levels(tx, id, replace_with)?;
    tx.prepare_cached(
        "UPDATE issue_security_schemes SET default_level_id = NULL WHERE default_level_id = ?1",
    )?
    .execute([id])?;
    tx.prepare_cached("DELETE FROM issue_security_levels WHERE id = ?1")?
        .execute([id])?;
    Ok(moved)
}

/// Moves every issue at level `from` to `to`; returns them.
pub fn set_issue_levels(tx: &Tx, from: i64, to: Option<i64>) -> StoreResult<Vec<IssueId>> {
    let mut stmt = tx.prepare_cached(
        "UPDATE issues SET security_level_id = ?2 WHERE security_level_id = ?1 RETURNING id",
    )?;
    let ids = stmt
        .query_map(params![from, to], |r| r.get::<_, i64>(0).map(IssueId))?
        .collect::<Result<_, _>>()?;
    Ok(ids)
}

/// Moves the issues of `project` at level `from` to `to`; returns them.
pub fn remap_project_level(
    tx: &Tx,
    project: ProjectId,
    from: i64,
    to: Option<i64>,
) -> StoreResult<Vec<IssueId>> {
    let mut stmt = tx.prepare_cached(
        "UPDATE issues SET security_level_id = ?3 WHERE project_id = ?1 AND security_level_id = ?2 RETURNING id",
    )?;
    let ids = stmt
        .query_map(params![project.0, from, to], |r| {
            r.get::<_, i64>(0).map(IssueId)
        })?
        .collect::<Result<_, _>>()?;
    Ok(ids)
}

/// Clears the level of every issue of `project` whose level is not in `keep` (the
/// project moved to another scheme); returns them.
pub fn clear_project_levels_except(
    tx: &Tx,
    project: ProjectId,
    keep: &[i64],
) -> StoreResult<Vec<IssueId>> {
    let keep = serde_json::to_string(keep).unwrap_or_else(|_| "[]".into());
    let mut stmt = tx.prepare_cached(
        "UPDATE issues SET security_level_id = NULL
         WHERE project_id = ?1 AND security_level_id IS NOT NULL
           AND security_level_id NOT IN (SELECT value FROM json_each(?2)) RETURNING id",
    )?;
    let ids = stmt
        .query_map(params![project.0, keep], |r| {
            r.get::<_, i64>(0).map(IssueId)
        })?
        .collect::<Result<_, _>>()?;
    Ok(ids)
}

pub fn insert_member(tx: &Tx, level: i64, holder: &Holder) -> StoreResult<i64> {
    let id = super::next_id(tx, "issue_security_members")?;
    tx.prepare_cached(
        "INSERT INTO issue_security_members (id, level_id, holder_type, holder_param) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![id, level, holder.kind(), holder.param()])?;
    Ok(id)
}

pub fn delete_member(tx: &Tx, level: i64, member: i64) -> StoreResult<bool> {
    Ok(tx
        .prepare_cached("DELETE FROM issue_security_members WHERE id = ?1 AND level_id = ?2")?
        .execute([member, level])?
        > 0)
}

/// Sets (or with `None` removes) the scheme of a project.
pub fn set_project_scheme(tx: &Tx, project: ProjectId, scheme: Option<i64>) -> StoreResult<()> {
    match scheme {
        Some(s) => tx
            .prepare_cached(
                "INSERT INTO project_issue_security (project_id, scheme_id) VALUES (?1, ?2)
                 ON CONFLICT (project_id) DO UPDATE SET scheme_id = excluded.scheme_id",
            )?
            .execute([project.0, s])?,
        None => tx
            .prepare_cached("DELETE FROM project_issue_security WHERE project_id = ?1")?
            .execute([project.0])?,
    };
    Ok(())
}
