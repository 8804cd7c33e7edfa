//! Notification schemes (read) and application roles.

use axum::extract::Path;
use serde::Deserialize;
use serde_json::{Value, json};

use super::render::Expand;
use super::{JiraResult, Json, List, Query, path_id};
use crate::api::Ctx;
use crate::api::routes::{MANAGE_CONFIG, READ_WORK, Routes};
use crate::domain::ProjectRef;
use crate::domain::notifications::{ApplicationRole, NotificationScheme};
use crate::error::Error;

pub fn routes() -> Routes {
    Routes::new()
        .get("/notificationscheme", READ_WORK, get_notification_schemes)
        .get(
            "/notificationscheme/{id}",
            READ_WORK,
            get_notification_scheme,
        )
        .get(
            "/project/{key}/notificationscheme",
            READ_WORK,
            get_notification_scheme_for_project,
        )
        .get("/applicationrole", MANAGE_CONFIG, get_all_application_roles)
        .get(
            "/applicationrole/{key}",
            MANAGE_CONFIG,
            get_application_role,
        )
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct SchemeQuery {
    start_at: Option<i64>,
    max_results: Option<i64>,
    #[serde(default)]
    expand: List,
}

/// `expand`: `notificationSchemeEvents` (or `all`) lists the events; `group` (or
/// `all`) adds the group object to group recipients.
fn scheme_bean(base: &str, s: &NotificationScheme, expand: &Expand) -> Value {
    let mut bean = json!({
        "expand": "notificationSchemeEvents,user,group,projectRole,field,all",
        "id": s.id,
        "self": format!("{base}/rest/api/2/notificationscheme/{}", s.id),
        "name": s.name,
        "description": s.description,
    });
    if expand.has("notificationSchemeEvents") || expand.has("all") {
        let with_group = expand.has("group") || expand.has("all");
        bean["notificationSchemeEvents"] = s
            .events
            .iter()
            .map(|(event, list)| {
                json!({
                    "event": {"id": event.id, "name": event.name, "description": event.description},
                    "notifications": list.iter().map(|n| {
                        let mut v = json!({"id": n.id, "notificationType": n.kind});
                        if let Some(p) = &n.parameter {
                            v["parameter"] = json!(p);
                            if n.kind == "Group" && with_group {
                                v["group"] = json!({"name": p, "self": format!("{base}/rest/api/2/group?groupname={}", crate::api::pct(p))});
                                v["expand"] = json!("group");
                            }
                        }
                        v
                    }).collect::<Vec<_>>(),
                })
            })
            .collect();
    }
    bean
}

fn expand_of(q: &SchemeQuery) -> Expand {
    Expand::parse(q.expand.items())
}

/// # `GET /rest/api/2/notificationscheme` (getNotificationSchemes)
///
/// Paged; administrators see every scheme, project administrators those of their
/// projects.
async fn get_notification_schemes(
    ctx: Ctx,
    Query(q): Query<SchemeQuery>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let (start, max) = crate::service::paging(q.start_at, q.max_results, 50, 50)?;
    let schemes = ctx.app.notifications.schemes(caller).await?;
    let expand = expand_of(&q);
    let total = schemes.len() as i64;
    let values: Vec<Value> = schemes
        .iter()
        .skip(start as usize)
        .take(max as usize)
        .map(|s| scheme_bean(&ctx.base, s, &expand))
        .collect();
    Ok(Json(json!({
        "startAt": start,
        "maxResults": max,
        "total": total,
        "isLast": start + (values.len() as i64) >= total,
        "values": values,
    })))
}

/// # `GET /rest/api/2/notificationscheme/{id}` (getNotificationScheme)
async fn get_notification_scheme(
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<SchemeQuery>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let id = path_id(&id, "notification scheme")?;
    let scheme = ctx.app.notifications.scheme(caller, id).await?;
    Ok(Json(scheme_bean(&ctx.base, &scheme, &expand_of(&q))))
}

/// # `GET /rest/api/2/project/{projectKeyOrId}/notificationscheme` (getNotificationSchemeForProject)
async fn get_notification_scheme_for_project(
    ctx: Ctx,
    Path(key): Path<String>,
    Query(q): Query<SchemeQuery>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let scheme = ctx
        .app
        .notifications
        .project_scheme(caller, &ProjectRef::parse(&key))
        .await?;
    Ok(Json(scheme_bean(&ctx.base, &scheme, &expand_of(&q))))
}

fn role_bean(r: &ApplicationRole) -> Value {
    json!({
        "key": r.key,
        "groups": r.groups,
        "name": r.name,
        "defaultGroups": r.default_groups,
        "selectedByDefault": false,
        "defined": true,
        "numberOfSeats": -1,
        "remainingSeats": -1,
        "userCount": r.user_count,
        "userCountDescription": format!("{} users", r.user_count),
        "hasUnlimitedSeats": true,
        "platform": r.platform,
    })
}

/// # `GET /rest/api/2/applicationrole` (getAllApplicationRoles)
///
/// Seats are unlimited: a self-hosted tracker has no licence count.
async fn get_all_application_roles(ctx: Ctx) -> JiraResult<Json<Vec<Value>>> {
    let caller = ctx.user()?;
    let roles = ctx.app.notifications.application_roles(caller).await?;
    Ok(Json(roles.iter().map(role_bean).collect()))
}

/// # `GET /rest/api/2/applicationrole/{key}` (getApplicationRole)
async fn get_application_role(ctx: Ctx, Path(key): Path<String>) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let roles = ctx.app.notifications.application_roles(caller).await?;
    roles
        .iter()
        .find(|r| r.key == key)
        .map(|r| Json(role_bean(r)))
        .ok_or_else(|| {
            Error::not_found(format!("The application role '{key}' does not exist.")).into()
        })
}
