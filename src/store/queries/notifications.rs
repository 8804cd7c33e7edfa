//! Notification schemes and application roles.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};

use super::Db;
use crate::domain::ProjectId;
use crate::domain::notifications::{ApplicationRole, EventType, Notification, NotificationScheme};
use crate::store::StoreResult;

/// The scheme every project without one of its own uses.
pub const DEFAULT_SCHEME: i64 = 10000;

/// Every scheme with its events, in id order.
pub fn schemes(db: &Db) -> StoreResult<Vec<NotificationScheme>> {
    let events: Vec<EventType> = db
        .prepare_cached("SELECT id, name, description FROM issue_event_types ORDER BY id")?
        .query_map([], |r| {
            Ok(EventType {
                id: r.get(0)?,
                name: r.get(1)?,
                description: r.get(2)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut by_scheme: HashMap<(i64, i64), Vec<Notification>> = HashMap::new();
    let mut stmt = db.prepare_cached(
        "SELECT scheme_id, event_id, id, type, parameter FROM notifications ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            (r.get::<_, i64>(0)?, r.get::<_, i64>(1)?),
            Notification {
                id: r.get(2)?,
                kind: r.get(3)?,
                parameter: r.get(4)?,
            },
        ))
    })?;
    for row in rows {
        let (key, n) = row?;
        by_scheme.entry(key).or_default().push(n);
    }
    let mut stmt =
        db.prepare_cached("SELECT id, name, description FROM notification_schemes ORDER BY id")?;
    let schemes = stmt
        .query_map([], |r| {
            Ok(NotificationScheme {
                id: r.get(0)?,
                name: r.get(1)?,
                description: r.get(2)?,
                events: Vec::new(),
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(schemes
        .into_iter()
        .map(|mut s| {
            s.events = events
                .iter()
                .map(|e| {
                    let list = by_scheme.remove(&(s.id, e.id)).unwrap_or_default();
                    (e.clone(), list)
                })
                .filter(|(_, list)| !list.is_empty())
                .collect();
            s
        })
        .collect())
}

/// The scheme a project uses.
pub fn scheme_of_project(db: &Db, project: ProjectId) -> StoreResult<i64> {
    Ok(db
        .prepare_cached("SELECT scheme_id FROM project_notification_scheme WHERE project_id = ?1")?
        .query_row([project.0], |r| r.get(0))
        .optional()?
        .unwrap_or(DEFAULT_SCHEME))
}

/// Ids of the schemes the given projects use.
pub fn schemes_of_projects(db: &Db, projects: &[ProjectId]) -> StoreResult<Vec<i64>> {
    let mut ids = Vec::new();
    for p in projects {
        let id = scheme_of_project(db, *p)?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

pub fn application_roles(db: &Db) -> StoreResult<Vec<ApplicationRole>> {
    let mut roles: Vec<ApplicationRole> = db
        .prepare_cached("SELECT key, name, platform FROM application_roles ORDER BY key")?
        .query_map([], |r| {
            Ok(ApplicationRole {
                key: r.get(0)?,
                name: r.get(1)?,
                platform: r.get(2)?,
                groups: Vec::new(),
                default_groups: Vec::new(),
                user_count: 0,
            })
        })?
        .collect::<Result<_, _>>()?;
    for role in &mut roles {
        let mut stmt = db.prepare_cached(
            "SELECT group_name, is_default FROM application_role_groups WHERE role_key = ?1
             ORDER BY group_name",
        )?;
        for row in stmt.query_map([&role.key], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?))
        })? {
            let (group, is_default) = row?;
            if is_default {
                role.default_groups.push(group.clone());
            }
            role.groups.push(group);
        }
        let count: i64 = db
            .prepare_cached(
                "SELECT count(DISTINCT u.id) FROM users u
                 JOIN group_members m ON m.user_id = u.id
                 JOIN groups g ON g.id = m.group_id
                 JOIN application_role_groups a ON a.group_name = g.name COLLATE NOCASE
                 WHERE a.role_key = ?1 AND u.active AND NOT u.deleted",
            )?
            .query_row(params![role.key], |r| r.get(0))?;
        role.user_count = count as usize;
    }
    Ok(roles)
}

/// Makes `project` use `scheme`; false (nothing written) when the scheme does not exist.
pub fn set_project_scheme(tx: &super::Tx, project: ProjectId, scheme: i64) -> StoreResult<bool> {
    let exists = tx
        .prepare_cached("SELECT 1 FROM notification_schemes WHERE id = ?1")?
        .query_row([scheme], |_| Ok(()))
        .optional()?
        .is_some();
    if exists {
        tx.prepare_cached(
            "INSERT INTO project_notification_scheme (project_id, scheme_id) VALUES (?1, ?2)
             ON CONFLICT (project_id) DO UPDATE SET scheme_id = excluded.scheme_id",
        )?
        .execute(params![project.0, scheme])?;
    }
    Ok(exists)
}
