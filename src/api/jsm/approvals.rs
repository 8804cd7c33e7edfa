//! Approvals of a request.

use axum::extract::{Path, RawQuery};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{JsmError, JsmResult, Json, Params, READ, WRITE, caller, render};
use crate::api::Ctx;
use crate::api::routes::Routes;
use crate::domain::IssueRef;
use crate::domain::servicedesk::{Approval, Decision};
use crate::error::Error;
use crate::service::Caller;
use crate::service::servicedesk::RequestView;

pub fn routes() -> Routes {
    Routes::new()
        .get(
            "/rest/servicedeskapi/request/{issueIdOrKey}/approval",
            READ,
            get_approvals,
        )
        .get(
            "/rest/servicedeskapi/request/{issueIdOrKey}/approval/{approvalId}",
            READ,
            get_approval_by_id,
        )
        .post(
            "/rest/servicedeskapi/request/{issueIdOrKey}/approval/{approvalId}",
            WRITE,
            answer_approval,
        )
}

/// The `approvers` form value: account ids or usernames, as strings or as user objects.
pub fn approvers(v: Option<Value>) -> Vec<String> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => ["accountId", "name", "id"]
            .iter()
            .find_map(|k| o.get(*k).and_then(|x| x.as_str()).map(String::from)),
        _ => None,
    };
    match v {
        Some(Value::Array(a)) => a.iter().filter_map(one).collect(),
        Some(v) => one(&v).into_iter().collect(),
        None => Vec::new(),
    }
}

fn decision(d: Option<crate::domain::servicedesk::Decision>) -> &'static str {
    d.map(|d| d.key()).unwrap_or("pending")
}

/// `ApprovalDTO`.
fn approval(
    ctx: &Ctx,
    caller: &Caller,
    r: &RequestView,
    a: &Approval,
    users: &[crate::domain::User],
) -> Value {
    let mine = a
        .approvers
        .iter()
        .any(|(u, d)| *u == caller.user.id && d.is_none());
    let approvers: Vec<Value> = a
        .approvers
        .iter()
        .filter_map(|(u, d)| {
            users.iter().find(|x| x.id == *u).map(|x| {
                json!({"approver": render::user(&ctx.base, x), "approverDecision": decision(*d)})
            })
        })
        .collect();
    let mut v = json!({
        "id": a.id.to_string(),
        "name": a.name,
        "finalDecision": decision(a.decision),
        "canAnswerApproval": mine && a.decision.is_none(),
        "approvers": approvers,
        "createdDate": render::date(a.created),
        "_links": {"self": format!("{}/request/{}/approval/{}", render::api(&ctx.base), r.view.issue.id.0, a.id)},
    });
    if let Some(c) = a.completed {
        v["completedDate"] = render::date(c);
    }
    v
}

async fn approvers_of(ctx: &Ctx, list: &[Approval]) -> JsmResult<Vec<crate::domain::User>> {
    let ids = list
        .iter()
        .flat_map(|a| a.approvers.iter().map(|(u, _)| *u))
        .collect();
    Ok(ctx.app.servicedesk.users_by_ids(ids).await?)
}

/// # `GET /rest/servicedeskapi/request/{issueIdOrKey}/approval` (getApprovals)
async fn get_approvals(
    ctx: Ctx,
    Path(key): Path<String>,
    RawQuery(raw): RawQuery,
) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let (start, limit) = Params::parse(raw.as_deref()).paging()?;
    let (r, list) = ctx
        .app
        .servicedesk
        .approvals(caller, &IssueRef::parse(&key))
        .await?;
    let users = approvers_of(&ctx, &list).await?;
    let values = list
        .iter()
        .skip(start as usize)
        .take(limit as usize)
        .map(|a| approval(&ctx, caller, &r, a, &users))
        .collect();
    let path = format!("/request/{key}/approval");
    Ok(axum::Json(render::paged(
        &ctx.base,
        &path,
        start,
        limit,
        list.len() as i64,
        values,
    )))
}

/// # `GET /rest/servicedeskapi/request/{issueIdOrKey}/approval/{approvalId}` (getApprovalById)
async fn get_approval_by_id(
    ctx: Ctx,
    Path((key, id)): Path<(String, String)>,
) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let (r, a) = ctx
        .app
        .servicedesk
        .approval(caller, &IssueRef::parse(&key), &id)
        .await?;
    let users = approvers_of(&ctx, std::slice::from_ref(&a)).await?;
    Ok(axum::Json(approval(&ctx, caller, &r, &a, &users)))
}

#[derive(Deserialize)]
struct AnswerInput {
    decision: Option<String>,
}

/// # `POST /rest/servicedeskapi/request/{issueIdOrKey}/approval/{approvalId}` (answerApproval)
async fn answer_approval(
    ctx: Ctx,
    Path((key, id)): Path<(String, String)>,
    Json(input): Json<AnswerInput>,
) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let d = input
        .decision
        .as_deref()
        .and_then(Decision::parse)
        .ok_or_else(|| {
            JsmError(Error::field(
                "decision",
                "The decision must be approve or decline.",
            ))
        })?;
    let (r, a) = ctx
        .app
        .servicedesk
        .answer_approval(caller, &IssueRef::parse(&key), &id, d)
        .await?;
    let users = approvers_of(&ctx, std::slice::from_ref(&a)).await?;
    Ok(axum::Json(approval(&ctx, caller, &r, &a, &users)))
}
