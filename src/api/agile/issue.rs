//! Agile issue operations: the backlog, ranking, the agile issue bean and estimation.
//!
//! | method | path | operation |
//! |---|---|---|
//! | POST | `/backlog/issue` | moveIssuesToBacklog |
//! | POST | `/backlog/{boardId}/issue` | moveIssuesToBacklogForBoard |
//! | PUT | `/issue/rank` | rankIssues |
//! | GET | `/issue/{issueIdOrKey}` | getIssue |
//! | GET, PUT | `/issue/{issueIdOrKey}/estimation` | getIssueEstimationForBoard, estimateIssueForBoard |

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::*;
use crate::api::jira::{Json, Query, no_content};
use crate::api::routes::{READ_WORK, WRITE_WORK};
use crate::error::Error;

pub fn routes() -> Routes {
    Routes::new()
        .post("/backlog/issue", WRITE_WORK, move_issues_to_backlog)
        .post(
            "/backlog/{boardId}/issue",
            WRITE_WORK,
            move_issues_to_backlog_for_board,
        )
        .put("/issue/rank", WRITE_WORK, rank_issues)
        .get("/issue/{issueIdOrKey}", READ_WORK, get_issue)
        .get(
            "/issue/{issueIdOrKey}/estimation",
            READ_WORK,
            get_issue_estimation_for_board,
        )
        .put(
            "/issue/{issueIdOrKey}/estimation",
            WRITE_WORK,
            estimate_issue_for_board,
        )
}

/// # `POST /rest/agile/1.0/backlog/issue` (moveIssuesToBacklog)
async fn move_issues_to_backlog(ctx: Ctx, Json(body): Json<Value>) -> JiraResult<Response> {
    ctx.app
        .agile
        .move_to_backlog(ctx.caller.as_ref(), issue_keys(&body))
        .await?;
    Ok(no_content())
}

/// # `POST /rest/agile/1.0/backlog/{boardId}/issue` (moveIssuesToBacklogForBoard)
///
/// The board's backlog is every board's backlog (an issue leaves its open sprints), so
/// this is moveIssuesToBacklog on a board the caller can see, then the rank the body asks
/// for (jira.js's `moveIssuesToBacklogForBoard` sends `rankBeforeIssue`/`rankAfterIssue`).
async fn move_issues_to_backlog_for_board(
    ctx: Ctx,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> JiraResult<Response> {
    let board = crate::api::jira::path_id(&id, "board")?;
    ctx.app.agile.board(ctx.caller.as_ref(), board).await?;
    let rank = super::sprint::rank_request(&body);
    if rank.issues.is_empty() {
        return Err(Error::bad_request("No issues were given to move to the backlog.").into());
    }
    ctx.app
        .agile
        .move_to_backlog(ctx.caller.as_ref(), rank.issues.clone())
        .await?;
    if rank.rank_before.is_some() || rank.rank_after.is_some() {
        ctx.app
            .agile
            .rank_issues(ctx.caller.as_ref(), rank)
            .await?
            .into_result()?;
    }
    Ok(no_content())
}

/// # `PUT /rest/agile/1.0/issue/rank` (rankIssues)
async fn rank_issues(ctx: Ctx, Json(body): Json<Value>) -> JiraResult<Response> {
    let outcome = ctx
        .app
        .agile
        .rank_issues(ctx.caller.as_ref(), super::sprint::rank_request(&body))
        .await?;
    if outcome.all_ok() {
        return Ok(no_content());
    }
    let entries: Vec<Value> = outcome
        .entries
        .iter()
        .map(|(key, id, r)| {
            let mut e = json!({"status": if r.is_ok() { 200 } else { 400 }});
            // An issue that was not found is not named back (it may be a hidden one).
            if let Some(id) = id {
                e["issueId"] = json!(id.0);
                e["issueKey"] = json!(key);
            }
            if let Err(msg) = r {
                e["errors"] = json!([msg]);
            }
            e
        })
        .collect();
    Ok((
        StatusCode::MULTI_STATUS,
        axum::Json(json!({"entries": entries})),
    )
        .into_response())
}

/// # `GET /rest/agile/1.0/issue/{issueIdOrKey}` (getIssue)
async fn get_issue(
    ctx: Ctx,
    Path(key): Path<String>,
    Query(p): Query<ListParams>,
) -> JiraResult<Json<Value>> {
    crate::service::agile::require_caller(ctx.caller.as_ref())?;
    let view = ctx
        .app
        .issues
        .view_issue(ctx.caller.as_ref(), &IssueRef::parse(&key))
        .await?;
    let cat = ctx.app.catalog.current();
    let fields = FieldSelection::parse(p.fields.items(), "*all");
    let expand = Expand::parse(p.expand.items());
    let mut bean = render::issue(
        &ctx.base,
        &cat,
        &view,
        &IssueOptions {
            fields: &fields,
            expand: &expand,
            properties: Vec::new(),
            changelog: None,
        },
    )?;
    // The agile bean adds the open sprint, the closed ones, the epic and the flag.
    let open = view.sprints.iter().find(|s| s.state != SprintState::Closed);
    let closed: Vec<Value> = view
        .sprints
        .iter()
        .filter(|s| s.state == SprintState::Closed)
        .map(|s| sprint_bean(&ctx.base, s))
        .collect();
    bean["self"] = json!(format!("{}{BASE}/issue/{}", ctx.base, view.issue.id));
    if let Some(f) = bean["fields"].as_object_mut() {
        f.insert(
            "sprint".into(),
            open.map(|s| sprint_bean(&ctx.base, s))
                .unwrap_or(Value::Null),
        );
        f.insert("closedSprints".into(), json!(closed));
        f.insert("flagged".into(), json!(false));
        let epic = view
            .parent
            .as_ref()
            .filter(|p| {
                cat.issue_type(p.issue_type_id)
                    .is_some_and(|t| !t.subtask && t.hierarchy_level >= 1)
            })
            .map(|p| {
                super::epic::epic_bean(
                    &ctx.base,
                    &crate::service::agile::epic_view(&cat, p.clone()),
                )
            });
        f.insert("epic".into(), epic.unwrap_or(Value::Null));
    }
    Ok(Json(bean))
}

fn estimation_bean(f: &CustomField, value: Option<f64>) -> Value {
    json!({"fieldId": f.field_id(), "value": value})
}

/// # `GET /rest/agile/1.0/issue/{issueIdOrKey}/estimation` (getIssueEstimationForBoard)
async fn get_issue_estimation_for_board(
    ctx: Ctx,
    Path(key): Path<String>,
    Query(p): Query<ListParams>,
) -> JiraResult<Json<Value>> {
    let (f, v) = ctx
        .app
        .agile
        .estimation(ctx.caller.as_ref(), &key, p.board_id)
        .await?;
    Ok(Json(estimation_bean(&f, v)))
}

/// # `PUT /rest/agile/1.0/issue/{issueIdOrKey}/estimation` (estimateIssueForBoard)
async fn estimate_issue_for_board(
    ctx: Ctx,
    Path(key): Path<String>,
    Query(p): Query<ListParams>,
    Json(body): Json<Value>,
) -> JiraResult<Json<Value>> {
    let value = match body.get("value") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => Some(s.trim().parse::<f64>().map_err(|_| {
            Error::bad_request(format!("'{s}' is not a valid estimate: give a number."))
        })?),
        Some(_) => return Err(Error::bad_request("The estimate must be a number.").into()),
    };
    let (f, v) = ctx
        .app
        .agile
        .set_estimation(ctx.caller.as_ref(), &key, p.board_id, value)
        .await?;
    Ok(Json(estimation_bean(&f, v)))
}
