//! Permissions: the catalogue (`permissions`), the projects where the caller holds some
//! (`permissions/project`), and permission schemes with their grants. `mypermissions`
//! is in `server_info.rs`; all of them answer from the one evaluator in
//! `service::permissions`.

use std::collections::HashMap;

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{JiraResult, Json, List, Query, no_content, path_id};
use crate::api::Ctx;
use crate::api::routes::{MANAGE_CONFIG, MANAGE_PROJECT, READ_WORK, Routes};
use crate::domain::*;
use crate::error::Error;
use crate::service::Permission;
use crate::service::admin::schemes::{GrantInput, SchemeGrant, SchemeInput};
use crate::service::users::UserRef;

pub fn routes() -> Routes {
    Routes::new()
        .get("/permissions", READ_WORK, get_all_permissions)
        .post("/permissions/project", READ_WORK, get_permitted_projects)
        .get("/permissionscheme", READ_WORK, get_all_permission_schemes)
        .post("/permissionscheme", MANAGE_CONFIG, create_permission_scheme)
        .get("/permissionscheme/{id}", READ_WORK, get_permission_scheme)
        .put(
            "/permissionscheme/{id}",
            MANAGE_CONFIG,
            update_permission_scheme,
        )
        .delete(
            "/permissionscheme/{id}",
            MANAGE_CONFIG,
            delete_permission_scheme,
        )
        .get(
            "/permissionscheme/{id}/permission",
            READ_WORK,
            get_permission_scheme_grants,
        )
        .post(
            "/permissionscheme/{id}/permission",
            MANAGE_CONFIG,
            create_permission_grant,
        )
        .get(
            "/permissionscheme/{id}/permission/{grant}",
            READ_WORK,
            get_permission_scheme_grant,
        )
        .delete(
            "/permissionscheme/{id}/permission/{grant}",
            MANAGE_CONFIG,
            delete_permission_scheme_entity,
        )
        .get(
            "/project/{key}/permissionscheme",
            READ_WORK,
            get_assigned_permission_scheme,
        )
        .put(
            "/project/{key}/permissionscheme",
            MANAGE_PROJECT,
            assign_permission_scheme,
        )
}

fn permission_bean(p: Permission) -> Value {
    json!({"id": p.key(), "key": p.key(), "name": p.name(), "type": p.kind(), "description": p.description()})
}

/// # `GET /rest/api/2/permissions` (getAllPermissions)
///
/// Every global and project permission (administrators only, as the reference says).
async fn get_all_permissions(ctx: Ctx) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    ctx.app.permissions.require_admin(caller)?;
    let all: Map<String, Value> = Permission::ALL
        .iter()
        .map(|p| (p.key().to_string(), permission_bean(*p)))
        .collect();
    Ok(Json(json!({"permissions": all})))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct PermissionKeys {
    permissions: Option<Vec<String>>,
}

/// # `POST /rest/api/2/permissions/project` (getPermittedProjects)
///
/// Projects where the caller holds every one of the given project permissions.
async fn get_permitted_projects(
    ctx: Ctx,
    Json(body): Json<PermissionKeys>,
) -> JiraResult<Json<Value>> {
    let mut wanted = Vec::new();
    for key in body.permissions.unwrap_or_default() {
        match Permission::from_key(&key) {
            Some(p) if p.kind() == "PROJECT" => wanted.push(p),
            _ => {
                return Err(Error::bad_request(format!(
                    "Could not find permission with key: {key}"
                ))
                .into());
            }
        }
    }
    let projects = ctx
        .app
        .permissions
        .permitted_projects(ctx.caller.as_ref(), &wanted)
        .await?;
    Ok(Json(json!({
        "projects": projects.iter().map(|p| json!({"id": p.id.0, "key": p.key})).collect::<Vec<_>>()
    })))
}

/// What `expand` asks to include.
#[derive(Default, Clone, Copy)]
struct Expand {
    permissions: bool,
    user: bool,
    group: bool,
    role: bool,
    field: bool,
}

const EXPANDS: &str = "permissions,user,group,projectRole,field,all";

#[derive(Deserialize, Default)]
struct ExpandQuery {
    #[serde(default)]
    expand: List,
}

impl ExpandQuery {
    fn parse(&self) -> JiraResult<Expand> {
        let mut e = Expand::default();
        for v in self.expand.items() {
            match v.as_str() {
                "permissions" => e.permissions = true,
                "user" => e.user = true,
                "group" => e.group = true,
                "projectRole" => e.role = true,
                "field" => e.field = true,
                "all" => {
                    e = Expand {
                        permissions: true,
                        user: true,
                        group: true,
                        role: true,
                        field: true,
                    }
                }
                other => {
                    return Err(Error::bad_request(format!(
                        "The expand value '{other}' is not valid; use {EXPANDS}."
                    ))
                    .into());
                }
            }
        }
        // Any expansion of a holder includes the grants it is part of.
        e.permissions |= e.user || e.group || e.role || e.field;
        Ok(e)
    }
}

fn scheme_bean(base: &str, s: &PermissionScheme) -> Value {
    json!({"expand": EXPANDS, "id": s.id, "self": format!("{base}/rest/api/2/permissionscheme/{}", s.id), "name": s.name, "description": s.description})
}

/// Renders grants, resolving user holders once for all of them.
async fn grant_beans(ctx: &Ctx, grants: &[SchemeGrant], e: Expand) -> JiraResult<Vec<Value>> {
    let mut users: HashMap<String, Option<User>> = HashMap::new();
    if e.user {
        for g in grants.iter().filter(|g| g.holder_type == "user") {
            if let Some(name) = &g.parameter
                && !users.contains_key(name)
            {
                let u = ctx
                    .app
                    .users
                    .user_by_ref(&UserRef::Username(name.clone()))
                    .await?;
                users.insert(name.clone(), u);
            }
        }
    }
    let cat = ctx.app.catalog.current();
    let base = &ctx.base;
    Ok(grants
        .iter()
        .map(|g| {
            let mut holder = json!({"type": g.holder_type});
            if let Some(p) = &g.parameter {
                holder["parameter"] = json!(p);
            }
            let param = g.parameter.as_deref().unwrap_or_default();
            match g.holder_type.as_str() {
                "user" => {
                    holder["expand"] = json!("user");
                    if let Some(Some(u)) = users.get(param) {
                        holder["user"] = super::dto::to_json(super::dto::user(base, u))
                            .unwrap_or(Value::Null);
                    }
                }
                "group" => {
                    holder["expand"] = json!("group");
                    if e.group {
                        holder["group"] = json!({"name": param, "self": format!("{base}/rest/api/2/group?groupname={param}")});
                    }
                }
                "projectRole" => {
                    holder["expand"] = json!("projectRole");
                    if e.role
                        && let Some(r) = param.parse().ok().and_then(|id| cat.role(id))
                    {
                        holder["projectRole"] = json!({"self": format!("{base}/rest/api/2/role/{}", r.id), "name": r.name, "id": r.id, "description": r.description});
                    }
                }
                "userCustomField" | "groupCustomField" => {
                    holder["expand"] = json!("field");
                    if e.field
                        && let Some(f) = cat.custom_field_by_key(param)
                    {
                        holder["field"] = json!({"id": f.field_id(), "key": f.field_id(), "name": f.name, "custom": true, "orderable": true, "navigable": true, "searchable": true, "clauseNames": [f.field_id(), format!("cf[{}]", f.id), f.name]});
                    }
                }
                _ => {}
            }
            json!({
                "id": g.id,
                "self": format!("{base}/rest/api/2/permissionscheme/{}/permission/{}", g.scheme_id, g.id),
                "holder": holder,
                "permission": g.permission,
            })
        })
        .collect())
}

/// A scheme with its grants.
async fn full_scheme(ctx: &Ctx, id: i64, e: Expand) -> JiraResult<Value> {
    let caller = ctx.user()?;
    let scheme = ctx.app.schemes.scheme(caller, id)?;
    let grants = ctx.app.schemes.grants(caller, id).await?;
    let mut bean = scheme_bean(&ctx.base, &scheme);
    bean["permissions"] = Value::Array(grant_beans(ctx, &grants, e).await?);
    Ok(bean)
}

fn scheme_id(raw: &str) -> JiraResult<i64> {
    path_id(raw, "permission scheme")
}

/// # `GET /rest/api/2/permissionscheme` (getAllPermissionSchemes)
///
/// Short beans; with any `expand`, each scheme's grants too.
async fn get_all_permission_schemes(
    ctx: Ctx,
    Query(q): Query<ExpandQuery>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let e = q.parse()?;
    let schemes = ctx.app.schemes.schemes(caller);
    let grants = if e.permissions {
        ctx.app.schemes.all_grants(caller).await?
    } else {
        Vec::new()
    };
    let mut out = Vec::new();
    for s in &schemes {
        let mut bean = scheme_bean(&ctx.base, s);
        if e.permissions {
            let mine: Vec<SchemeGrant> = grants
                .iter()
                .filter(|g| g.scheme_id == s.id)
                .cloned()
                .collect();
            bean["permissions"] = Value::Array(grant_beans(&ctx, &mine, e).await?);
        }
        out.push(bean);
    }
    Ok(Json(json!({"permissionSchemes": out})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HolderBody {
    #[serde(rename = "type")]
    kind: Option<String>,
    parameter: Option<Value>,
    #[allow(dead_code)]
    expand: Option<String>,
    #[allow(dead_code)]
    value: Option<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GrantBody {
    holder: Option<HolderBody>,
    permission: Option<String>,
    #[allow(dead_code)]
    id: Option<Value>,
    #[serde(rename = "self")]
    #[allow(dead_code)]
    self_: Option<Value>,
}

impl GrantBody {
    fn input(self) -> JiraResult<GrantInput> {
        let permission = self
            .permission
            .filter(|p| !p.is_empty())
            .ok_or_else(|| Error::field("permission", "The permission key is required."))?;
        let holder = self
            .holder
            .ok_or_else(|| Error::field("holder", "The permission holder is required."))?;
        let holder_type = holder
            .kind
            .ok_or_else(|| Error::field("holder", "The permission holder type is required."))?;
        let parameter = match holder.parameter {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(_) => {
                return Err(
                    Error::field("holder", "The holder parameter must be a string.").into(),
                );
            }
        };
        Ok(GrantInput {
            permission,
            holder_type,
            parameter,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemeBody {
    name: Option<String>,
    description: Option<String>,
    permissions: Option<Vec<GrantBody>>,
    #[allow(dead_code)]
    id: Option<Value>,
    #[serde(rename = "self")]
    #[allow(dead_code)]
    self_: Option<Value>,
    #[allow(dead_code)]
    expand: Option<Value>,
}

impl SchemeBody {
    fn input(self) -> JiraResult<SchemeInput> {
        let permissions = match self.permissions {
            Some(list) => Some(
                list.into_iter()
                    .map(GrantBody::input)
                    .collect::<JiraResult<Vec<_>>>()?,
            ),
            None => None,
        };
        Ok(SchemeInput {
            name: self.name,
            description: self.description,
            permissions,
        })
    }
}

/// # `POST /rest/api/2/permissionscheme` (createPermissionScheme)
async fn create_permission_scheme(
    ctx: Ctx,
    Query(q): Query<ExpandQuery>,
    Json(body): Json<SchemeBody>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let e = q.parse()?;
    let id = ctx.app.schemes.create_scheme(caller, body.input()?).await?;
    let bean = full_scheme(&ctx, id, e).await?;
    Ok((StatusCode::CREATED, Json(bean)).into_response())
}

/// # `GET /rest/api/2/permissionscheme/{schemeId}` (getPermissionScheme)
async fn get_permission_scheme(
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<ExpandQuery>,
) -> JiraResult<Json<Value>> {
    let e = q.parse()?;
    Ok(Json(full_scheme(&ctx, scheme_id(&id)?, e).await?))
}

/// # `PUT /rest/api/2/permissionscheme/{schemeId}` (updatePermissionScheme)
///
/// Sets name and description; given `permissions` replace every grant of the scheme.
async fn update_permission_scheme(
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<ExpandQuery>,
    Json(body): Json<SchemeBody>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let e = q.parse()?;
    let id = scheme_id(&id)?;
    ctx.app
        .schemes
        .update_scheme(caller, id, body.input()?)
        .await?;
    Ok(Json(full_scheme(&ctx, id, e).await?))
}

/// # `DELETE /rest/api/2/permissionscheme/{schemeId}` (deletePermissionScheme)
async fn delete_permission_scheme(ctx: Ctx, Path(id): Path<String>) -> JiraResult<Response> {
    let caller = ctx.user()?;
    ctx.app
        .schemes
        .delete_scheme(caller, scheme_id(&id)?)
        .await?;
    Ok(no_content())
}

/// # `GET /rest/api/2/permissionscheme/{schemeId}/permission` (getPermissionSchemeGrants)
async fn get_permission_scheme_grants(
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<ExpandQuery>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let e = q.parse()?;
    let grants = ctx.app.schemes.grants(caller, scheme_id(&id)?).await?;
    Ok(Json(json!({
        "permissions": grant_beans(&ctx, &grants, e).await?,
        "expand": "user,group,projectRole,field,all",
    })))
}

/// # `POST /rest/api/2/permissionscheme/{schemeId}/permission` (createPermissionGrant)
async fn create_permission_grant(
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<ExpandQuery>,
    Json(body): Json<GrantBody>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let e = q.parse()?;
    let grant = ctx
        .app
        .schemes
        .add_grant(caller, scheme_id(&id)?, body.input()?)
        .await?;
    let bean = grant_beans(&ctx, &[grant], e)
        .await?
        .pop()
        .unwrap_or(Value::Null);
    Ok((StatusCode::CREATED, Json(bean)).into_response())
}

fn grant_id(raw: &str) -> JiraResult<i64> {
    path_id(raw, "permission grant")
}

/// # `GET /rest/api/2/permissionscheme/{schemeId}/permission/{permissionId}` (getPermissionSchemeGrant)
async fn get_permission_scheme_grant(
    ctx: Ctx,
    Path((id, grant)): Path<(String, String)>,
    Query(q): Query<ExpandQuery>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let e = q.parse()?;
    let g = ctx
        .app
        .schemes
        .grant(caller, scheme_id(&id)?, grant_id(&grant)?)
        .await?;
    let bean = grant_beans(&ctx, &[g], e)
        .await?
        .pop()
        .unwrap_or(Value::Null);
    Ok(Json(bean))
}

/// # `DELETE /rest/api/2/permissionscheme/{schemeId}/permission/{permissionId}` (deletePermissionSchemeEntity)
async fn delete_permission_scheme_entity(
    ctx: Ctx,
    Path((id, grant)): Path<(String, String)>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let grant = grant.parse().map_err(|_| {
        Error::bad_request(format!("Permission grant with id {grant} does not exist."))
    })?;
    ctx.app
        .schemes
        .delete_grant(caller, scheme_id(&id)?, grant)
        .await?;
    Ok(no_content())
}

/// # `GET /rest/api/2/project/{projectKeyOrId}/permissionscheme` (getAssignedPermissionScheme)
async fn get_assigned_permission_scheme(
    ctx: Ctx,
    Path(key): Path<String>,
    Query(q): Query<ExpandQuery>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let e = q.parse()?;
    let s = ctx
        .app
        .schemes
        .assigned(caller, &ProjectRef::parse(&key))
        .await?;
    if e.permissions {
        return Ok(Json(full_scheme(&ctx, s.id, e).await?));
    }
    Ok(Json(scheme_bean(&ctx.base, &s)))
}

#[derive(Deserialize)]
struct AssignBody {
    id: Option<Value>,
}

/// # `PUT /rest/api/2/project/{projectKeyOrId}/permissionscheme` (assignPermissionScheme)
async fn assign_permission_scheme(
    ctx: Ctx,
    Path(key): Path<String>,
    Query(q): Query<ExpandQuery>,
    Json(body): Json<AssignBody>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let e = q.parse()?;
    let id = match body.id {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.parse().ok(),
        _ => None,
    }
    .ok_or_else(|| Error::field("id", "The id of the permission scheme is required."))?;
    let s = ctx
        .app
        .schemes
        .assign(caller, &ProjectRef::parse(&key), id)
        .await?;
    if e.permissions {
        return Ok(Json(full_scheme(&ctx, s.id, e).await?));
    }
    Ok(Json(scheme_bean(&ctx.base, &s)))
}
