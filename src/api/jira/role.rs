//! Project roles: the global definitions and their default actors (`role`), a role's
//! actors in one project (`PUT project/{key}/role/{id}`) and `roledetails`.

use axum::extract::Path;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{JiraResult, Json, Query, lenient_bool, no_content, path_id};
use crate::api::Ctx;
use crate::api::routes::{MANAGE_CONFIG, READ_WORK, Routes};
use crate::domain::*;
use crate::error::Error;
use crate::service::admin::Actor;
use crate::service::admin::roles::RoleInput;

pub fn routes() -> Routes {
    Routes::new()
        .get("/role", READ_WORK, get_all_project_roles)
        .post("/role", MANAGE_CONFIG, create_project_role)
        .get("/role/{id}", READ_WORK, get_project_role_by_id)
        .post("/role/{id}", MANAGE_CONFIG, partial_update_project_role)
        .put("/role/{id}", MANAGE_CONFIG, fully_update_project_role)
        .delete("/role/{id}", MANAGE_CONFIG, delete_project_role)
        .get(
            "/role/{id}/actors",
            READ_WORK,
            get_project_role_actors_for_role,
        )
        .post(
            "/role/{id}/actors",
            MANAGE_CONFIG,
            add_project_role_actors_to_role,
        )
        .delete(
            "/role/{id}/actors",
            MANAGE_CONFIG,
            delete_project_role_actors_from_role,
        )
        .get(
            "/project/{key}/roledetails",
            READ_WORK,
            get_project_role_details,
        )
}

fn role_bean(base: &str, r: &ProjectRole) -> Value {
    json!({
        "self": format!("{base}/rest/api/2/role/{}", r.id),
        "name": r.name, "id": r.id, "description": r.description,
    })
}

/// Role actors as Jira lists them (`actorUser` and `actorGroup` as v3 clients read them).
pub(super) fn actor_beans(actors: &[Actor]) -> Vec<Value> {
    actors
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let mut bean = json!({
                "id": i + 1,
                "displayName": a.display_name,
                "type": if a.kind == "user" { "atlassian-user-role-actor" } else { "atlassian-group-role-actor" },
                "name": a.name,
            });
            if a.kind == "group" {
                bean["actorGroup"] = json!({"name": a.name, "displayName": a.display_name});
            }
            bean
        })
        .collect()
}

fn role_id(raw: &str) -> JiraResult<i64> {
    path_id(raw, "project role")
}

/// # `GET /rest/api/2/role` (getAllProjectRoles)
async fn get_all_project_roles(ctx: Ctx) -> JiraResult<Json<Vec<Value>>> {
    let caller = ctx.user()?;
    let roles = ctx.app.roles.roles(caller)?;
    Ok(Json(
        roles.iter().map(|r| role_bean(&ctx.base, r)).collect(),
    ))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RoleBody {
    name: Option<String>,
    description: Option<String>,
}

impl RoleBody {
    fn input(self) -> RoleInput {
        RoleInput {
            name: self.name,
            description: self.description,
        }
    }
}

/// # `POST /rest/api/2/role` (createProjectRole)
async fn create_project_role(ctx: Ctx, Json(body): Json<RoleBody>) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let role = ctx.app.roles.create_role(caller, body.input()).await?;
    Ok(Json(role_bean(&ctx.base, &role)))
}

/// # `GET /rest/api/2/role/{id}` (getProjectRoleById)
async fn get_project_role_by_id(ctx: Ctx, Path(id): Path<String>) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let id = role_id(&id)?;
    let role = ctx.app.roles.role(caller, id)?;
    let actors = ctx.app.roles.default_actors(caller, id).await?;
    let mut bean = role_bean(&ctx.base, &role);
    bean["actors"] = Value::Array(actor_beans(&actors));
    Ok(Json(bean))
}

/// # `POST /rest/api/2/role/{id}` (partialUpdateProjectRole)
async fn partial_update_project_role(
    ctx: Ctx,
    Path(id): Path<String>,
    Json(body): Json<RoleBody>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let id = role_id(&id)?;
    let role = ctx
        .app
        .roles
        .update_role(caller, id, body.input(), false)
        .await?;
    Ok(Json(role_bean(&ctx.base, &role)))
}

/// # `PUT /rest/api/2/role/{id}` (fullyUpdateProjectRole)
async fn fully_update_project_role(
    ctx: Ctx,
    Path(id): Path<String>,
    Json(body): Json<RoleBody>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let id = role_id(&id)?;
    let role = ctx
        .app
        .roles
        .update_role(caller, id, body.input(), true)
        .await?;
    Ok(Json(role_bean(&ctx.base, &role)))
}

#[derive(Deserialize, Default)]
struct DeleteRoleQuery {
    swap: Option<String>,
}

/// # `DELETE /rest/api/2/role/{id}` (deleteProjectRole)
async fn delete_project_role(
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<DeleteRoleQuery>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let id = role_id(&id)?;
    let swap = match q.swap.filter(|s| !s.is_empty()) {
        Some(s) => Some(s.parse::<i64>().map_err(|_| {
            Error::bad_request(format!("Project role with id {s} does not exist."))
        })?),
        None => None,
    };
    ctx.app.roles.delete_role(caller, id, swap).await?;
    Ok(no_content())
}

/// # `GET /rest/api/2/role/{id}/actors` (getProjectRoleActorsForRole)
async fn get_project_role_actors_for_role(
    ctx: Ctx,
    Path(id): Path<String>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let actors = ctx.app.roles.default_actors(caller, role_id(&id)?).await?;
    Ok(Json(json!({"actors": actor_beans(&actors)})))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ActorsBody {
    user: Option<Vec<String>>,
    group: Option<Vec<String>>,
}

/// # `POST /rest/api/2/role/{id}/actors` (addProjectRoleActorsToRole)
async fn add_project_role_actors_to_role(
    ctx: Ctx,
    Path(id): Path<String>,
    Json(body): Json<ActorsBody>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let actors = ctx
        .app
        .roles
        .add_default_actors(
            caller,
            role_id(&id)?,
            body.user.unwrap_or_default(),
            body.group.unwrap_or_default(),
        )
        .await?;
    Ok(Json(json!({"actors": actor_beans(&actors)})))
}

#[derive(Deserialize, Default)]
struct ActorQuery {
    user: Option<String>,
    group: Option<String>,
}

/// # `DELETE /rest/api/2/role/{id}/actors` (deleteProjectRoleActorsFromRole)
async fn delete_project_role_actors_from_role(
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<ActorQuery>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let actors = ctx
        .app
        .roles
        .remove_default_actor(caller, role_id(&id)?, q.user, q.group)
        .await?;
    Ok(Json(json!({"actors": actor_beans(&actors)})))
}

#[derive(Deserialize, Default)]
pub(crate) struct SetActorsBody {
    #[serde(rename = "categorisedActors")]
    categorised_actors: Option<std::collections::BTreeMap<String, Vec<String>>>,
    #[allow(dead_code)]
    id: Option<Value>,
}

/// # `PUT /rest/api/2/project/{projectIdOrKey}/role/{id}` (setActors)
///
/// Replaces the role's actors in the project with `categorisedActors`
/// (`atlassian-user-role-actor` and `atlassian-group-role-actor` lists).
pub(crate) async fn set_actors(
    ctx: Ctx,
    Path((key, id)): Path<(String, String)>,
    Json(body): Json<SetActorsBody>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let rid = role_id(&id)?;
    let Some(mut actors) = body.categorised_actors else {
        return Err(Error::bad_request("categorisedActors is required.").into());
    };
    if let Some(other) = actors.keys().find(|k| {
        !matches!(
            k.as_str(),
            "atlassian-user-role-actor" | "atlassian-group-role-actor"
        )
    }) {
        return Err(Error::bad_request(format!(
            "Unknown actor type '{other}'; use atlassian-user-role-actor or atlassian-group-role-actor."
        ))
        .into());
    }
    let users = actors
        .remove("atlassian-user-role-actor")
        .unwrap_or_default();
    let groups = actors
        .remove("atlassian-group-role-actor")
        .unwrap_or_default();
    ctx.app
        .roles
        .set_project_actors(caller, &ProjectRef::parse(&key), rid, users, groups)
        .await?;
    super::project::get_project_role(ctx, Path((key, id))).await
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct DetailsQuery {
    #[serde(default, deserialize_with = "lenient_bool")]
    current_member: Option<bool>,
    #[serde(default, deserialize_with = "lenient_bool")]
    #[allow(dead_code)]
    exclude_connect_addons: Option<bool>,
    #[serde(default, deserialize_with = "lenient_bool")]
    #[allow(dead_code)]
    exclude_other_service_roles: Option<bool>,
}

/// # `GET /rest/api/2/project/{projectIdOrKey}/roledetails` (getProjectRoleDetails)
///
/// `currentMember=true` lists only the roles the caller holds in the project;
/// `excludeConnectAddons` changes nothing (there are no add-on roles).
async fn get_project_role_details(
    ctx: Ctx,
    Path(key): Path<String>,
    Query(q): Query<DetailsQuery>,
) -> JiraResult<Json<Vec<Value>>> {
    let caller = ctx.user()?;
    let (project, roles) = ctx
        .app
        .roles
        .role_details(
            caller,
            &ProjectRef::parse(&key),
            q.current_member.unwrap_or(false),
        )
        .await?;
    Ok(Json(
        roles
            .iter()
            .map(|d| {
                json!({
                    "self": format!("{}/rest/api/2/project/{}/role/{}", ctx.base, project.id, d.role.id),
                    "name": d.role.name, "id": d.role.id, "description": d.role.description,
                    "admin": d.admin, "default": d.default, "roleConfigurable": true,
                    "translatedName": d.role.name,
                })
            })
            .collect(),
    ))
}
