//! The catalog resources: issue types, priorities, resolutions, statuses, status
//! categories and issue link types.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::dto::*;
use super::{JiraResult, Json, Query, no_content, path_id};
use crate::api::Ctx;
use crate::api::routes::{MANAGE_CONFIG, READ_WORK, Routes};
use crate::error::Error;

pub fn routes() -> Routes {
    Routes::new()
        .get("/issuetype", READ_WORK, get_issue_all_types)
        .post("/issuetype", MANAGE_CONFIG, create_issue_type)
        .get("/issuetype/{id}", READ_WORK, get_issue_type)
        .put("/issuetype/{id}", MANAGE_CONFIG, update_issue_type)
        .delete("/issuetype/{id}", MANAGE_CONFIG, delete_issue_type)
        .get(
            "/issuetype/{id}/alternatives",
            READ_WORK,
            get_alternative_issue_types,
        )
        .get("/priority", READ_WORK, get_priorities)
        .get("/priority/{id}", READ_WORK, get_priority)
        .get("/resolution", READ_WORK, get_resolutions)
        .get("/resolution/{id}", READ_WORK, get_resolution)
        .get("/status", READ_WORK, get_statuses)
        .get("/status/{id_or_name}", READ_WORK, get_status)
        .get("/statuscategory", READ_WORK, get_status_categories)
        .get(
            "/statuscategory/{id_or_key}",
            READ_WORK,
            get_status_category,
        )
        .get("/issueLinkType", READ_WORK, get_issue_link_types)
        .post("/issueLinkType", MANAGE_CONFIG, create_issue_link_type)
        .get("/issueLinkType/{id}", READ_WORK, get_issue_link_type)
        .put("/issueLinkType/{id}", MANAGE_CONFIG, update_issue_link_type)
        .delete("/issueLinkType/{id}", MANAGE_CONFIG, delete_issue_link_type)
}

/// # `GET /rest/api/2/issuetype` (getIssueAllTypes)
async fn get_issue_all_types(ctx: Ctx) -> JiraResult<Json<Vec<IssueTypeBean>>> {
    ctx.user()?;
    Ok(Json(
        ctx.app
            .catalog
            .current()
            .issue_types
            .iter()
            .map(|t| issue_type(&ctx.base, t))
            .collect(),
    ))
}

fn type_missing(id: &str) -> Error {
    Error::not_found(format!("The issue type with id '{id}' does not exist."))
}

/// # `GET /rest/api/2/issuetype/{id}` (getIssueType)
async fn get_issue_type(ctx: Ctx, Path(id): Path<String>) -> JiraResult<Json<IssueTypeBean>> {
    ctx.user()?;
    let n = path_id(&id, "issue type")?;
    let cat = ctx.app.catalog.current();
    let t = cat.issue_type(n).ok_or_else(|| type_missing(&id))?;
    Ok(Json(issue_type(&ctx.base, t)))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct IssueTypeBody {
    name: Option<String>,
    description: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    hierarchy_level: Option<i64>,
    avatar_id: Option<i64>,
}

/// # `POST /rest/api/2/issuetype` (createIssueType)
async fn create_issue_type(ctx: Ctx, Json(body): Json<IssueTypeBody>) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let subtask = match (body.kind.as_deref(), body.hierarchy_level) {
        (Some("subtask"), _) | (_, Some(-1)) => true,
        (Some("standard") | None, _) => false,
        (Some(other), _) => {
            return Err(Error::field(
                "type",
                format!("The type '{other}' is not valid; use 'standard' or 'subtask'."),
            )
            .into());
        }
    };
    let t = ctx
        .app
        .meta
        .create_issue_type(
            caller,
            &body.name.unwrap_or_default(),
            &body.description.unwrap_or_default(),
            subtask,
        )
        .await?;
    Ok((StatusCode::CREATED, axum::Json(issue_type(&ctx.base, &t))).into_response())
}

/// # `PUT /rest/api/2/issuetype/{id}` (updateIssueType)
async fn update_issue_type(
    ctx: Ctx,
    Path(id): Path<String>,
    Json(body): Json<IssueTypeBody>,
) -> JiraResult<Json<IssueTypeBean>> {
    let caller = ctx.user()?;
    let n = path_id(&id, "issue type")?;
    let t = ctx
        .app
        .meta
        .update_issue_type(caller, n, body.name, body.description, body.avatar_id)
        .await?;
    Ok(Json(issue_type(&ctx.base, &t)))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DeleteTypeQuery {
    alternative_issue_type_id: Option<String>,
}

/// # `DELETE /rest/api/2/issuetype/{id}` (deleteIssueType)
async fn delete_issue_type(
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<DeleteTypeQuery>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let n = path_id(&id, "issue type")?;
    let alt = match q.alternative_issue_type_id {
        Some(a) => Some(path_id(&a, "issue type")?),
        None => None,
    };
    ctx.app.meta.delete_issue_type(caller, n, alt).await?;
    Ok(no_content())
}

/// # `GET /rest/api/2/issuetype/{id}/alternatives` (getAlternativeIssueTypes)
async fn get_alternative_issue_types(
    ctx: Ctx,
    Path(id): Path<String>,
) -> JiraResult<Json<Vec<IssueTypeBean>>> {
    ctx.user()?;
    let n = path_id(&id, "issue type")?;
    let cat = ctx.app.catalog.current();
    let t = cat.issue_type(n).ok_or_else(|| type_missing(&id))?;
    Ok(Json(
        cat.issue_types
            .iter()
            .filter(|x| x.id != n && x.subtask == t.subtask)
            .map(|x| issue_type(&ctx.base, x))
            .collect(),
    ))
}

/// # `GET /rest/api/2/priority` (getPriorities)
async fn get_priorities(ctx: Ctx) -> JiraResult<Json<Vec<PriorityBean>>> {
    ctx.user()?;
    Ok(Json(
        ctx.app
            .catalog
            .current()
            .priorities
            .iter()
            .map(|p| priority(&ctx.base, p))
            .collect(),
    ))
}

/// # `GET /rest/api/2/priority/{id}` (getPriority)
async fn get_priority(ctx: Ctx, Path(id): Path<String>) -> JiraResult<Json<PriorityBean>> {
    ctx.user()?;
    let missing = || Error::not_found(format!("The priority with id '{id}' does not exist."));
    let n: i64 = id.parse().map_err(|_| missing())?;
    let cat = ctx.app.catalog.current();
    Ok(Json(priority(
        &ctx.base,
        cat.priority(n).ok_or_else(missing)?,
    )))
}

/// # `GET /rest/api/2/resolution` (getResolutions)
async fn get_resolutions(ctx: Ctx) -> JiraResult<Json<Vec<ResolutionBean>>> {
    ctx.user()?;
    Ok(Json(
        ctx.app
            .catalog
            .current()
            .resolutions
            .iter()
            .map(|r| resolution(&ctx.base, r))
            .collect(),
    ))
}

/// # `GET /rest/api/2/resolution/{id}` (getResolution)
async fn get_resolution(ctx: Ctx, Path(id): Path<String>) -> JiraResult<Json<ResolutionBean>> {
    ctx.user()?;
    let missing = || Error::not_found(format!("The resolution with id '{id}' does not exist."));
    let n: i64 = id.parse().map_err(|_| missing())?;
    let cat = ctx.app.catalog.current();
    Ok(Json(resolution(
        &ctx.base,
        cat.resolution(n).ok_or_else(missing)?,
    )))
}

/// # `GET /rest/api/2/status` (getStatuses)
async fn get_statuses(ctx: Ctx) -> JiraResult<Json<Vec<StatusBean>>> {
    ctx.user()?;
    let cat = ctx.app.catalog.current();
    Ok(Json(
        cat.statuses
            .iter()
            .map(|s| status(&ctx.base, &cat, s))
            .collect(),
    ))
}

/// # `GET /rest/api/2/status/{idOrName}` (getStatus)
async fn get_status(ctx: Ctx, Path(id_or_name): Path<String>) -> JiraResult<Json<StatusBean>> {
    ctx.user()?;
    let cat = ctx.app.catalog.current();
    let found = cat
        .statuses
        .iter()
        .find(|s| s.id.to_string() == id_or_name || s.name.eq_ignore_ascii_case(&id_or_name))
        .ok_or_else(|| {
            Error::not_found(format!("The status with id '{id_or_name}' does not exist."))
        })?;
    Ok(Json(status(&ctx.base, &cat, found)))
}

/// # `GET /rest/api/2/statuscategory` (getStatusCategories)
async fn get_status_categories(ctx: Ctx) -> JiraResult<Json<Vec<StatusCategoryBean>>> {
    ctx.user()?;
    Ok(Json(
        ctx.app
            .catalog
            .current()
            .status_categories
            .iter()
            .map(|c| status_category(&ctx.base, c))
            .collect(),
    ))
}

/// # `GET /rest/api/2/statuscategory/{idOrKey}` (getStatusCategory)
async fn get_status_category(
    ctx: Ctx,
    Path(id_or_key): Path<String>,
) -> JiraResult<Json<StatusCategoryBean>> {
    ctx.user()?;
    let cat = ctx.app.catalog.current();
    let found = cat
        .status_categories
        .iter()
        .find(|c| c.id.to_string() == id_or_key || c.key.eq_ignore_ascii_case(&id_or_key))
        .ok_or_else(|| {
            Error::not_found(format!("The status category '{id_or_key}' does not exist."))
        })?;
    Ok(Json(status_category(&ctx.base, found)))
}

pub(super) fn link_type_bean(base: &str, l: &crate::domain::LinkType) -> Value {
    json!({"id": l.id.to_string(), "name": l.name, "inward": l.inward, "outward": l.outward, "self": format!("{base}/rest/api/2/issueLinkType/{}", l.id)})
}

/// # `GET /rest/api/2/issueLinkType` (getIssueLinkTypes)
async fn get_issue_link_types(ctx: Ctx) -> JiraResult<Json<Value>> {
    ctx.user()?;
    let types: Vec<Value> = ctx
        .app
        .catalog
        .current()
        .link_types
        .iter()
        .map(|l| link_type_bean(&ctx.base, l))
        .collect();
    Ok(Json(json!({"issueLinkTypes": types})))
}

/// # `GET /rest/api/2/issueLinkType/{issueLinkTypeId}` (getIssueLinkType)
async fn get_issue_link_type(ctx: Ctx, Path(id): Path<String>) -> JiraResult<Json<Value>> {
    ctx.user()?;
    let n = path_id(&id, "issue link type")?;
    let cat = ctx.app.catalog.current();
    let l = cat
        .link_type(n)
        .ok_or_else(|| Error::not_found(format!("No issue link type with id '{id}' exists.")))?;
    Ok(Json(link_type_bean(&ctx.base, l)))
}

#[derive(Deserialize)]
struct LinkTypeBody {
    name: Option<String>,
    inward: Option<String>,
    outward: Option<String>,
}

/// # `POST /rest/api/2/issueLinkType` (createIssueLinkType)
async fn create_issue_link_type(ctx: Ctx, Json(body): Json<LinkTypeBody>) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let l = ctx
        .app
        .links
        .create_link_type(
            caller,
            body.name.as_deref().unwrap_or_default(),
            body.inward.as_deref().unwrap_or_default(),
            body.outward.as_deref().unwrap_or_default(),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(link_type_bean(&ctx.base, &l)),
    )
        .into_response())
}

/// # `PUT /rest/api/2/issueLinkType/{issueLinkTypeId}` (updateIssueLinkType)
async fn update_issue_link_type(
    ctx: Ctx,
    Path(id): Path<String>,
    Json(body): Json<LinkTypeBody>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let n: i64 = id.parse().map_err(|_| {
        Error::bad_request(format!("The issue link type id '{id}' is not a number."))
    })?;
    let l = ctx
        .app
        .links
        .update_link_type(caller, n, body.name, body.inward, body.outward)
        .await?;
    Ok(Json(link_type_bean(&ctx.base, &l)))
}

/// # `DELETE /rest/api/2/issueLinkType/{issueLinkTypeId}` (deleteIssueLinkType)
async fn delete_issue_link_type(ctx: Ctx, Path(id): Path<String>) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let n = path_id(&id, "issue link type")?;
    ctx.app.links.delete_link_type(caller, n).await?;
    Ok(no_content())
}
