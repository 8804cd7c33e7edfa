//! Epics: the epic bean, partial update, its issues, moving issues in and out, ranking.
//!
//! | method | path | operation |
//! |---|---|---|
//! | GET, POST | `/epic/{epicIdOrKey}` | getEpic, partiallyUpdateEpic |
//! | GET, POST | `/epic/{epicIdOrKey}/issue` | getIssuesForEpic, moveIssuesToEpic |
//! | GET, POST | `/epic/none/issue` | getIssuesWithoutEpic, removeIssuesFromEpic |
//! | PUT | `/epic/{epicIdOrKey}/rank` | rankEpics |

use axum::extract::Path;
use axum::response::Response;
use serde_json::{Value, json};

use super::*;
use crate::api::jira::{Json, Query, no_content};
use crate::api::routes::{READ_WORK, WRITE_WORK};
use crate::service::agile::{EpicPatch, EpicView};

pub fn routes() -> Routes {
    Routes::new()
        .get("/epic/none/issue", READ_WORK, get_issues_without_epic)
        .post("/epic/none/issue", WRITE_WORK, remove_issues_from_epic)
        .get("/epic/{epicIdOrKey}", READ_WORK, get_epic)
        .post("/epic/{epicIdOrKey}", WRITE_WORK, partially_update_epic)
        .get("/epic/{epicIdOrKey}/issue", READ_WORK, get_issues_for_epic)
        .post("/epic/{epicIdOrKey}/issue", WRITE_WORK, move_issues_to_epic)
        .put("/epic/{epicIdOrKey}/rank", WRITE_WORK, rank_epics)
}

pub(super) fn epic_bean(base: &str, e: &EpicView) -> Value {
    json!({
        "id": e.issue.id.0, "key": e.issue.key, "self": format!("{base}{BASE}/epic/{}", e.issue.id),
        "name": e.name, "summary": e.issue.summary, "color": {"key": e.color}, "done": e.done,
    })
}

/// # `GET /rest/agile/1.0/epic/{epicIdOrKey}` (getEpic)
async fn get_epic(ctx: Ctx, Path(key): Path<String>) -> JiraResult<Json<Value>> {
    let e = ctx.app.agile.epic(ctx.caller.as_ref(), &key).await?;
    Ok(Json(epic_bean(&ctx.base, &e)))
}

/// # `POST /rest/agile/1.0/epic/{epicIdOrKey}` (partiallyUpdateEpic)
async fn partially_update_epic(
    ctx: Ctx,
    Path(key): Path<String>,
    Json(body): Json<Value>,
) -> JiraResult<Json<Value>> {
    let text = |k: &str| body.get(k).and_then(Value::as_str).map(String::from);
    let color = body
        .get("color")
        .and_then(|c| c.get("key").or(Some(c)))
        .and_then(Value::as_str)
        .map(String::from);
    let patch = EpicPatch {
        name: text("name"),
        summary: text("summary"),
        color,
        done: body.get("done").and_then(Value::as_bool),
    };
    let e = ctx
        .app
        .agile
        .update_epic(ctx.caller.as_ref(), &key, patch)
        .await?;
    Ok(Json(epic_bean(&ctx.base, &e)))
}

async fn epic_listing(ctx: Ctx, epic: Option<&str>, p: ListParams) -> JiraResult<Json<Value>> {
    let (start, max) = p.paging(50)?;
    let page = ctx
        .app
        .agile
        .epic_issues(
            ctx.caller.as_ref(),
            epic,
            p.jql.clone(),
            start,
            max,
            needs(&p.fields()),
        )
        .await?;
    Ok(Json(issue_page(&ctx, &p, start, max, &page)?))
}

/// # `GET /rest/agile/1.0/epic/{epicIdOrKey}/issue` (getIssuesForEpic)
async fn get_issues_for_epic(
    ctx: Ctx,
    Path(key): Path<String>,
    Query(p): Query<ListParams>,
) -> JiraResult<Json<Value>> {
    epic_listing(ctx, Some(&key), p).await
}

/// # `GET /rest/agile/1.0/epic/none/issue` (getIssuesWithoutEpic)
async fn get_issues_without_epic(ctx: Ctx, Query(p): Query<ListParams>) -> JiraResult<Json<Value>> {
    epic_listing(ctx, None, p).await
}

/// # `POST /rest/agile/1.0/epic/{epicIdOrKey}/issue` (moveIssuesToEpic)
async fn move_issues_to_epic(
    ctx: Ctx,
    Path(key): Path<String>,
    Json(body): Json<Value>,
) -> JiraResult<Response> {
    ctx.app
        .agile
        .move_to_epic(ctx.caller.as_ref(), Some(&key), issue_keys(&body))
        .await?;
    Ok(no_content())
}

/// # `POST /rest/agile/1.0/epic/none/issue` (removeIssuesFromEpic)
async fn remove_issues_from_epic(ctx: Ctx, Json(body): Json<Value>) -> JiraResult<Response> {
    ctx.app
        .agile
        .move_to_epic(ctx.caller.as_ref(), None, issue_keys(&body))
        .await?;
    Ok(no_content())
}

/// # `PUT /rest/agile/1.0/epic/{epicIdOrKey}/rank` (rankEpics)
async fn rank_epics(
    ctx: Ctx,
    Path(key): Path<String>,
    Json(body): Json<Value>,
) -> JiraResult<Response> {
    let text = |k: &str| body.get(k).and_then(Value::as_str).map(String::from);
    let field = body.get("rankCustomFieldId").and_then(Value::as_i64);
    ctx.app
        .agile
        .rank_epic(
            ctx.caller.as_ref(),
            &key,
            text("rankBeforeEpic"),
            text("rankAfterEpic"),
            field,
        )
        .await?;
    Ok(no_content())
}
