//! Sprints, the issues in them, and sprint properties.
//!
//! | method | path | operation |
//! |---|---|---|
//! | POST | `/sprint` | createSprint |
//! | GET, PUT, POST, DELETE | `/sprint/{sprintId}` | getSprint, updateSprint, partiallyUpdateSprint, deleteSprint |
//! | GET, POST | `/sprint/{sprintId}/issue` | getIssuesForSprint, moveIssuesToSprintAndRank |
//! | POST | `/sprint/{sprintId}/swap` | swapSprint |
//! | GET, PUT, DELETE | `/sprint/{sprintId}/properties[/{propertyKey}]` | getPropertiesKeys, getProperty, setProperty, deleteProperty |

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::board::{keys_bean, property_bean, set_response};
use super::*;
use crate::api::jira::{Json, Query, no_content, path_id};
use crate::api::routes::{READ_WORK, WRITE_WORK};
use crate::service::agile::{Listing, Owner, RankRequest, SprintInput};

pub fn routes() -> Routes {
    Routes::new()
        .post("/sprint", WRITE_WORK, create_sprint)
        .get("/sprint/{sprintId}", READ_WORK, get_sprint)
        .put("/sprint/{sprintId}", WRITE_WORK, update_sprint)
        .post("/sprint/{sprintId}", WRITE_WORK, partially_update_sprint)
        .delete("/sprint/{sprintId}", WRITE_WORK, delete_sprint)
        .get("/sprint/{sprintId}/issue", READ_WORK, get_issues_for_sprint)
        .post(
            "/sprint/{sprintId}/issue",
            WRITE_WORK,
            move_issues_to_sprint_and_rank,
        )
        .post("/sprint/{sprintId}/swap", WRITE_WORK, swap_sprint)
        .get(
            "/sprint/{sprintId}/properties",
            READ_WORK,
            get_properties_keys,
        )
        .get(
            "/sprint/{sprintId}/properties/{propertyKey}",
            READ_WORK,
            get_property,
        )
        .put(
            "/sprint/{sprintId}/properties/{propertyKey}",
            WRITE_WORK,
            set_property,
        )
        .delete(
            "/sprint/{sprintId}/properties/{propertyKey}",
            WRITE_WORK,
            delete_property,
        )
}

fn sprint_id(raw: &str) -> JiraResult<i64> {
    path_id(raw, "sprint")
}

fn text(v: &Value, key: &str) -> Option<String> {
    match v.get(key) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// The sprint fields of a body; a key given as null reads as "" so a partial update
/// clears it (and a full update clears what is missing anyway).
fn sprint_input(v: &Value) -> JiraResult<SprintInput> {
    if !v.is_object() {
        return Err(crate::error::Error::bad_request("The sprint must be a JSON object.").into());
    }
    let nullable = |key: &str| match v.get(key) {
        Some(Value::Null) => Some(String::new()),
        _ => text(v, key),
    };
    Ok(SprintInput {
        name: text(v, "name"),
        goal: nullable("goal"),
        state: text(v, "state"),
        start_date: nullable("startDate"),
        end_date: nullable("endDate"),
        origin_board_id: match v.get("originBoardId") {
            Some(Value::Number(n)) => n.as_i64(),
            Some(Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        },
        complete_date: text(v, "completeDate"),
    })
}

/// # `POST /rest/agile/1.0/sprint` (createSprint)
async fn create_sprint(ctx: Ctx, Json(body): Json<Value>) -> JiraResult<Response> {
    let s = ctx
        .app
        .agile
        .create_sprint(ctx.caller.as_ref(), sprint_input(&body)?)
        .await?;
    Ok((StatusCode::CREATED, axum::Json(sprint_bean(&ctx.base, &s))).into_response())
}

/// # `GET /rest/agile/1.0/sprint/{sprintId}` (getSprint)
async fn get_sprint(ctx: Ctx, Path(id): Path<String>) -> JiraResult<Json<Value>> {
    let s = ctx
        .app
        .agile
        .sprint(ctx.caller.as_ref(), sprint_id(&id)?)
        .await?;
    Ok(Json(sprint_bean(&ctx.base, &s)))
}

async fn update(ctx: Ctx, id: &str, body: Value, full: bool) -> JiraResult<Json<Value>> {
    let s = ctx
        .app
        .agile
        .update_sprint(
            ctx.caller.as_ref(),
            sprint_id(id)?,
            sprint_input(&body)?,
            full,
        )
        .await?;
    Ok(Json(sprint_bean(&ctx.base, &s)))
}

/// # `PUT /rest/agile/1.0/sprint/{sprintId}` (updateSprint)
async fn update_sprint(
    ctx: Ctx,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> JiraResult<Json<Value>> {
    update(ctx, &id, body, true).await
}

/// # `POST /rest/agile/1.0/sprint/{sprintId}` (partiallyUpdateSprint)
async fn partially_update_sprint(
    ctx: Ctx,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> JiraResult<Json<Value>> {
    update(ctx, &id, body, false).await
}

/// # `DELETE /rest/agile/1.0/sprint/{sprintId}` (deleteSprint)
async fn delete_sprint(ctx: Ctx, Path(id): Path<String>) -> JiraResult<Response> {
    ctx.app
        .agile
        .delete_sprint(ctx.caller.as_ref(), sprint_id(&id)?)
        .await?;
    Ok(no_content())
}

/// # `GET /rest/agile/1.0/sprint/{sprintId}/issue` (getIssuesForSprint)
async fn get_issues_for_sprint(
    ctx: Ctx,
    Path(id): Path<String>,
    Query(p): Query<ListParams>,
) -> JiraResult<Json<Value>> {
    let id = sprint_id(&id)?;
    let sprint = ctx.app.agile.sprint(ctx.caller.as_ref(), id).await?;
    let (start, max) = p.paging(50)?;
    let page = ctx
        .app
        .agile
        .board_issues(
            ctx.caller.as_ref(),
            sprint.board_id,
            Listing::Sprint(id),
            p.jql.clone(),
            start,
            max,
            needs(&p.fields()),
        )
        .await?;
    Ok(Json(issue_page(&ctx, &p, start, max, &page)?))
}

pub(super) fn rank_request(body: &Value) -> RankRequest {
    RankRequest {
        issues: issue_keys(body),
        rank_before: text(body, "rankBeforeIssue"),
        rank_after: text(body, "rankAfterIssue"),
        rank_field: body.get("rankCustomFieldId").and_then(|v| match v {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }),
    }
}

/// # `POST /rest/agile/1.0/sprint/{sprintId}/issue` (moveIssuesToSprintAndRank)
async fn move_issues_to_sprint_and_rank(
    ctx: Ctx,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> JiraResult<Response> {
    let rank = rank_request(&body);
    let rank = (rank.rank_before.is_some() || rank.rank_after.is_some()).then_some(rank);
    ctx.app
        .agile
        .move_to_sprint(
            ctx.caller.as_ref(),
            sprint_id(&id)?,
            issue_keys(&body),
            rank,
        )
        .await?;
    Ok(no_content())
}

/// # `POST /rest/agile/1.0/sprint/{sprintId}/swap` (swapSprint)
async fn swap_sprint(
    ctx: Ctx,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> JiraResult<Response> {
    let other = body.get("sprintToSwapWith").and_then(|v| match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    });
    ctx.app
        .agile
        .swap_sprint(ctx.caller.as_ref(), sprint_id(&id)?, other)
        .await?;
    Ok(no_content())
}

/// # `GET /rest/agile/1.0/sprint/{sprintId}/properties` (getPropertiesKeys)
async fn get_properties_keys(ctx: Ctx, Path(id): Path<String>) -> JiraResult<Json<Value>> {
    let id = sprint_id(&id)?;
    let keys = ctx
        .app
        .agile
        .property_keys(ctx.caller.as_ref(), Owner::Sprint(id))
        .await?;
    Ok(Json(keys_bean(
        &ctx.base,
        &format!("sprint/{id}/properties"),
        keys,
    )))
}

/// # `GET /rest/agile/1.0/sprint/{sprintId}/properties/{propertyKey}` (getProperty)
async fn get_property(
    ctx: Ctx,
    Path((id, key)): Path<(String, String)>,
) -> JiraResult<Json<Value>> {
    let raw = ctx
        .app
        .agile
        .property(ctx.caller.as_ref(), Owner::Sprint(sprint_id(&id)?), &key)
        .await?;
    Ok(Json(property_bean(&key, &raw)))
}

/// # `PUT /rest/agile/1.0/sprint/{sprintId}/properties/{propertyKey}` (setProperty)
async fn set_property(
    ctx: Ctx,
    Path((id, key)): Path<(String, String)>,
    Json(value): Json<Value>,
) -> JiraResult<Response> {
    let created = ctx
        .app
        .agile
        .set_property(
            ctx.caller.as_ref(),
            Owner::Sprint(sprint_id(&id)?),
            &key,
            value.to_string(),
        )
        .await?;
    Ok(set_response(created))
}

/// # `DELETE /rest/agile/1.0/sprint/{sprintId}/properties/{propertyKey}` (deleteProperty)
async fn delete_property(
    ctx: Ctx,
    Path((id, key)): Path<(String, String)>,
) -> JiraResult<Response> {
    ctx.app
        .agile
        .delete_property(ctx.caller.as_ref(), Owner::Sprint(sprint_id(&id)?), &key)
        .await?;
    Ok(no_content())
}
