//! Watchers and votes of an issue.
//!
//! | method | path | operation |
//! |---|---|---|
//! | GET | `/issue/{issueIdOrKey}/watchers` | getIssueWatchers |
//! | POST | `/issue/{issueIdOrKey}/watchers` | addWatcher |
//! | DELETE | `/issue/{issueIdOrKey}/watchers` | removeWatcher |
//! | GET | `/issue/{issueIdOrKey}/votes` | getVotes |
//! | POST | `/issue/{issueIdOrKey}/votes` | addVote |
//! | DELETE | `/issue/{issueIdOrKey}/votes` | removeVote |

use axum::body::Bytes;
use axum::extract::Path;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::dto::user;
use super::{JiraResult, Json, Query, no_content};
use crate::api::Ctx;
use crate::api::routes::{READ_WORK, Routes, WRITE_WORK};
use crate::domain::*;
use crate::error::Error;
use crate::service::users::UserRef;

pub fn routes() -> Routes {
    Routes::new()
        .get("/issue/{key}/watchers", READ_WORK, get_issue_watchers)
        .post("/issue/{key}/watchers", WRITE_WORK, add_watcher)
        .delete("/issue/{key}/watchers", WRITE_WORK, remove_watcher)
        .get("/issue/{key}/votes", READ_WORK, get_votes)
        .post("/issue/{key}/votes", WRITE_WORK, add_vote)
        .delete("/issue/{key}/votes", WRITE_WORK, remove_vote)
}

/// # `GET /rest/api/2/issue/{issueIdOrKey}/watchers` (getIssueWatchers)
async fn get_issue_watchers(ctx: Ctx, Path(key): Path<String>) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let w = ctx
        .app
        .watchers
        .watchers(caller, &IssueRef::parse(&key))
        .await?;
    let watchers: Vec<_> = w.users.iter().map(|u| user(&ctx.base, u)).collect();
    Ok(Json(json!({
        "self": format!("{}/rest/api/2/issue/{}/watchers", ctx.base, w.issue.key),
        "isWatching": w.includes_caller,
        "watchCount": w.count,
        "watchers": watchers,
    })))
}

/// # `POST /rest/api/2/issue/{issueIdOrKey}/watchers` (addWatcher)
///
/// The body is a bare JSON string (username or account id); no body watches as the caller.
async fn add_watcher(ctx: Ctx, Path(key): Path<String>, body: Bytes) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let who = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        match serde_json::from_slice::<Value>(&body) {
            Ok(Value::String(s)) if !s.trim().is_empty() => {
                Some(UserRef::Username(s.trim().to_string()))
            }
            Ok(Value::Null) => None,
            _ => {
                return Err(Error::bad_request(
                    "The body must be a JSON string: the username or account id of the watcher.",
                )
                .into());
            }
        }
    };
    ctx.app
        .watchers
        .add_watcher(caller, &IssueRef::parse(&key), who)
        .await?;
    Ok(no_content())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WatcherQuery {
    username: Option<String>,
    account_id: Option<String>,
}

/// # `DELETE /rest/api/2/issue/{issueIdOrKey}/watchers` (removeWatcher)
async fn remove_watcher(
    ctx: Ctx,
    Path(key): Path<String>,
    Query(q): Query<WatcherQuery>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let who = match (q.username, q.account_id) {
        (_, Some(a)) if !a.is_empty() => UserRef::AccountId(a),
        (Some(u), _) if !u.is_empty() => UserRef::Username(u),
        _ => {
            return Err(Error::bad_request(
                "The username or accountId query parameter must be given.",
            )
            .into());
        }
    };
    ctx.app
        .watchers
        .remove_watcher(caller, &IssueRef::parse(&key), who)
        .await?;
    Ok(no_content())
}

/// # `GET /rest/api/2/issue/{issueIdOrKey}/votes` (getVotes)
async fn get_votes(ctx: Ctx, Path(key): Path<String>) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let v = ctx
        .app
        .watchers
        .votes(caller, &IssueRef::parse(&key))
        .await?;
    let voters: Vec<_> = v.users.iter().map(|u| user(&ctx.base, u)).collect();
    Ok(Json(json!({
        "self": format!("{}/rest/api/2/issue/{}/votes", ctx.base, v.issue.key),
        "votes": v.count,
        "hasVoted": v.includes_caller,
        "voters": voters,
    })))
}

/// # `POST /rest/api/2/issue/{issueIdOrKey}/votes` (addVote)
async fn add_vote(ctx: Ctx, Path(key): Path<String>) -> JiraResult<Response> {
    let caller = ctx.user()?;
    ctx.app
        .watchers
        .add_vote(caller, &IssueRef::parse(&key))
        .await?;
    Ok(no_content())
}

/// # `DELETE /rest/api/2/issue/{issueIdOrKey}/votes` (removeVote)
async fn remove_vote(ctx: Ctx, Path(key): Path<String>) -> JiraResult<Response> {
    let caller = ctx.user()?;
    ctx.app
        .watchers
        .remove_vote(caller, &IssueRef::parse(&key))
        .await?;
    Ok(no_content())
}
