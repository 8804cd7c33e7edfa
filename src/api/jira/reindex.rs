//! Index maintenance: full rebuilds with progress, and per-issue reindex requests.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{JiraError, JiraResult, Json, List, Query, path_id};
use crate::api::Ctx;
use crate::api::routes::{MANAGE_CONFIG, Routes};
use crate::domain::Millis;
use crate::error::Error;
use crate::service::search::ReindexProgress;

pub fn routes() -> Routes {
    Routes::new()
        .get("/reindex", MANAGE_CONFIG, get_reindex_info)
        .post("/reindex", MANAGE_CONFIG, reindex)
        .get("/reindex/progress", MANAGE_CONFIG, get_reindex_progress)
        .post("/reindex/issue", MANAGE_CONFIG, reindex_issues)
        .post("/reindex/request", MANAGE_CONFIG, process_requests)
        .get("/reindex/request/bulk", MANAGE_CONFIG, get_progress_bulk)
        .get("/reindex/request/{request_id}", MANAGE_CONFIG, get_progress)
}

fn info(base: &str, st: &ReindexProgress) -> Value {
    let time = |t: Option<i64>| t.filter(|t| *t > 0).map(|t| Millis(t).to_jira());
    let progress = if st.finished.is_some() {
        100
    } else {
        (st.done * 100).checked_div(st.total).unwrap_or(0).min(99)
    };
    json!({
        "progressUrl": format!("{base}/rest/api/2/reindex/progress?taskId={}", st.id),
        "currentProgress": progress,
        "currentSubTask": if st.running { format!("Reindexed {} of {} issues", st.done, st.total) } else { "Idle".into() },
        "type": "BACKGROUND_PREFERRED",
        "submittedTime": time(Some(st.submitted)),
        "startTime": time(st.started),
        "finishTime": time(st.finished),
        "success": st.success.unwrap_or(false),
    })
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ReindexQuery {
    #[serde(rename = "type")]
    kind: Option<String>,
    task_id: Option<u64>,
}

/// # `POST /rest/api/2/reindex` (reindex)
///
/// Rebuilds the whole index from the database in the background; searches stay
/// available and see the old index until the rebuild commits.
async fn reindex(ctx: Ctx, Query(q): Query<ReindexQuery>) -> JiraResult<Response> {
    let caller = ctx.user()?;
    if let Some(kind) = &q.kind
        && !matches!(
            kind.as_str(),
            "FOREGROUND" | "BACKGROUND" | "BACKGROUND_PREFFERED" | "BACKGROUND_PREFERRED"
        )
    {
        return Err(JiraError(Error::bad_request(format!(
            "Unknown reindex type '{kind}'."
        ))));
    }
    ctx.app.search.request_reindex(caller)?;
    let st = ctx.app.search.reindex_state(caller)?;
    Ok((StatusCode::ACCEPTED, axum::Json(info(&ctx.base, &st))).into_response())
}

async fn state_for(ctx: &Ctx, task: Option<u64>) -> JiraResult<ReindexProgress> {
    let caller = ctx.user()?;
    let st = ctx.app.search.reindex_state(caller)?;
    match task {
        Some(t) if t != st.id || st.id == 0 => Err(JiraError(Error::not_found(format!(
            "No reindex task with id {t}."
        )))),
        _ if st.id == 0 => Err(JiraError(Error::not_found(
            "No reindex has been run since the server started.",
        ))),
        _ => Ok(st),
    }
}

/// # `GET /rest/api/2/reindex` (getReindexInfo)
async fn get_reindex_info(ctx: Ctx, Query(q): Query<ReindexQuery>) -> JiraResult<Json<Value>> {
    let st = state_for(&ctx, q.task_id).await?;
    Ok(Json(info(&ctx.base, &st)))
}

/// # `GET /rest/api/2/reindex/progress` (getReindexProgress)
async fn get_reindex_progress(ctx: Ctx, Query(q): Query<ReindexQuery>) -> JiraResult<Json<Value>> {
    let st = state_for(&ctx, q.task_id).await?;
    Ok(Json(info(&ctx.base, &st)))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct IssueIds {
    #[serde(default)]
    issue_id: List,
}

/// # `POST /rest/api/2/reindex/issue` (reindexIssues)
async fn reindex_issues(ctx: Ctx, Query(q): Query<IssueIds>) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let ids = q
        .issue_id
        .items()
        .iter()
        .map(|s| path_id(s, "issue"))
        .collect::<JiraResult<Vec<i64>>>()?;
    let request = ctx.app.search.reindex_issues(caller, ids).await?;
    Ok((
        StatusCode::ACCEPTED,
        axum::Json(request_bean(&ctx, request)),
    )
        .into_response())
}

fn request_bean(ctx: &Ctx, id: i64) -> Value {
    let done = ctx.app.search.index_position() >= id;
    json!({"id": id, "status": if done { "COMPLETE" } else { "PENDING" }, "type": "IMMEDIATE"})
}

/// # `POST /rest/api/2/reindex/request` (processRequests)
///
/// Processes every pending request now: answers when the index has caught up.
async fn process_requests(ctx: Ctx) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    ctx.app.permissions.require_admin(caller)?;
    ctx.app.search.catch_up_index().await?;
    Ok(Json(json!({"position": ctx.app.search.index_position()})))
}

/// # `GET /rest/api/2/reindex/request/{requestId}` (getProgress)
async fn get_progress(ctx: Ctx, Path(id): Path<String>) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    ctx.app.permissions.require_admin(caller)?;
    let id = path_id(&id, "reindex request")?;
    Ok(Json(request_bean(&ctx, id)))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct BulkQuery {
    #[serde(default)]
    request_id: List,
}

/// # `GET /rest/api/2/reindex/request/bulk` (getProgressBulk)
async fn get_progress_bulk(ctx: Ctx, Query(q): Query<BulkQuery>) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    ctx.app.permissions.require_admin(caller)?;
    let ids = q
        .request_id
        .items()
        .iter()
        .map(|s| path_id(s, "reindex request"))
        .collect::<JiraResult<Vec<i64>>>()?;
    Ok(Json(Value::Array(
        ids.into_iter().map(|id| request_bean(&ctx, id)).collect(),
    )))
}
