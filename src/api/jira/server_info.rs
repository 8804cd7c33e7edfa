//! Server information, the current user and their permissions.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::dto::{UserDetails, user_details};
use super::{JiraResult, Json, List, Query};
use crate::api::Ctx;
use crate::api::routes::{ANY, FULL_ACCESS, READ_USER, READ_WORK, Routes};
use crate::domain::*;
use crate::service::Permission;

pub fn routes() -> Routes {
    Routes::new()
        .get("/serverInfo", ANY, get_server_info)
        .get("/myself", READ_USER, get_current_user)
        .put("/myself/password", FULL_ACCESS, change_my_password)
        .get("/mypermissions", READ_WORK, get_my_permissions)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerInformation {
    base_url: String,
    version: &'static str,
    version_numbers: [u32; 3],
    deployment_type: &'static str,
    build_number: u32,
    build_date: &'static str,
    server_time: String,
    scm_info: &'static str,
    server_title: String,
}

/// # `GET /rest/api/2/serverInfo` (getServerInfo)
///
/// Anonymous access is allowed, as in Jira. `versionNumbers` is what python `jira` checks.
async fn get_server_info(ctx: Ctx) -> Json<ServerInformation> {
    Json(ServerInformation {
        base_url: ctx.base,
        version: "9.12.0",
        version_numbers: [9, 12, 0],
        deployment_type: "Server",
        build_number: 912000,
        build_date: "2026-11-01T00:00:00.000+0000",
        server_time: ctx.app.now().to_jira(),
        scm_info: env!("CARGO_PKG_VERSION"),
        server_title: ctx.app.settings.title(),
    })
}

/// # `GET /rest/api/2/myself` (getCurrentUser)
async fn get_current_user(ctx: Ctx) -> JiraResult<Json<UserDetails>> {
    let c = ctx.user()?;
    Ok(Json(user_details(&ctx.base, &c.user, &c.groups)))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PasswordChange {
    password: Option<String>,
    current_password: Option<String>,
}

/// # `PUT /rest/api/2/myself/password` (changeMyPassword)
///
/// A wrong current password is a 400 with `errors.currentPassword`, as in Jira.
async fn change_my_password(
    ctx: Ctx,
    Json(body): Json<PasswordChange>,
) -> JiraResult<axum::response::Response> {
    let c = ctx.user()?;
    let Some(password) = body.password else {
        return Err(crate::error::Error::field("password", "A new password is required.").into());
    };
    let current = body.current_password.unwrap_or_default();
    ctx.app
        .users
        .change_own_password(c, &current, &password)
        .await?;
    Ok(super::no_content())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PermissionsQuery {
    project_key: Option<String>,
    project_id: Option<String>,
    issue_key: Option<String>,
    issue_id: Option<String>,
    permissions: Option<List>,
}

/// # `GET /rest/api/2/mypermissions` (getMyPermissions)
async fn get_my_permissions(
    ctx: Ctx,
    Query(q): Query<PermissionsQuery>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.caller.as_ref();
    let global = ctx.app.permissions.global_permissions(caller);
    let wanted = q.permissions.map(|p| p.0);
    let scoped = match (q.issue_key.or(q.issue_id), q.project_key.or(q.project_id)) {
        (Some(issue), _) => {
            let view = ctx
                .app
                .issues
                .view_issue(caller, &IssueRef::parse(&issue))
                .await?;
            view.perms
        }
        (None, Some(project)) => {
            ctx.app
                .projects
                .browse_project(caller, &ProjectRef::parse(&project))
                .await?
                .1
        }
        // No context: a project permission is held when it is held in any project.
        (None, None) => ctx
            .app
            .permissions
            .browsable_projects(caller)
            .await?
            .into_iter()
            .fold(crate::service::PermissionSet::default(), |acc, (_, set)| {
                acc.union(set)
            }),
    };
    if let Some(w) = &wanted
        && let Some(bad) = w.iter().find(|k| Permission::from_any_key(k).is_none())
    {
        return Err(
            crate::error::Error::bad_request(format!("Invalid permission key: {bad}")).into(),
        );
    }
    // Every current key, then the deprecated aliases Data Center also answers; or only
    // the keys asked for, each under the name it was asked by.
    let keys: Vec<(&str, Permission, bool)> = match &wanted {
        Some(w) => w
            .iter()
            .filter_map(|k| Permission::from_any_key(k).map(|(p, old)| (k.as_str(), p, old)))
            .collect(),
        None => Permission::ALL
            .iter()
            .map(|p| (p.key(), *p, false))
            .chain(
                crate::service::permissions::DEPRECATED_KEYS
                    .iter()
                    .map(|(k, p)| (*k, *p, true)),
            )
            .collect(),
    };
    let mut out = Map::new();
    for (key, p, deprecated) in keys {
        let have = if p.kind() == "GLOBAL" {
            global.has(p)
        } else {
            scoped.has(p)
        };
        let mut bean = json!({"id": key, "key": key, "name": p.name(), "type": p.kind(), "description": p.description(), "havePermission": have});
        if deprecated {
            bean["deprecatedKey"] = json!(true);
        }
        out.insert(key.to_string(), bean);
    }
    Ok(Json(json!({"permissions": out})))
}
