//! Links between issues.
//!
//! | method | path | operation |
//! |---|---|---|
//! | POST | `/issueLink` | linkIssues |
//! | GET | `/issueLink/{linkId}` | getIssueLink |
//! | DELETE | `/issueLink/{linkId}` | deleteIssueLink |

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::meta::link_type_bean;
use super::render::issue_link;
use super::{JiraResult, Json, no_content};
use crate::api::Ctx;
use crate::api::routes::{READ_WORK, Routes, WRITE_WORK};
use crate::domain::*;
use crate::error::Error;
use crate::service::comments::CommentInput;
use crate::service::links::{LinkInput, LinkTypeRef};

pub fn routes() -> Routes {
    Routes::new()
        .post("/issueLink", WRITE_WORK, link_issues)
        .get("/issueLink/{id}", READ_WORK, get_issue_link)
        .delete("/issueLink/{id}", WRITE_WORK, delete_issue_link)
}

/// `{"id": "..."}`, `{"key": "..."}` or `{"name": "..."}`; ids may be numbers.
#[derive(Deserialize, Default)]
struct Named {
    id: Option<Value>,
    key: Option<String>,
    name: Option<String>,
}

fn id_text(v: &Option<Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

impl Named {
    fn issue(&self) -> Option<IssueRef> {
        self.key
            .as_deref()
            .map(IssueRef::parse)
            .or_else(|| id_text(&self.id).map(|s| IssueRef::parse(&s)))
    }
}

#[derive(Deserialize)]
struct VisibilityBody {
    #[serde(rename = "type")]
    kind: Option<String>,
    value: Option<String>,
}

#[derive(Deserialize)]
struct LinkComment {
    body: Option<String>,
    visibility: Option<VisibilityBody>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LinkBody {
    #[serde(rename = "type")]
    link_type: Option<Named>,
    inward_issue: Option<Named>,
    outward_issue: Option<Named>,
    comment: Option<LinkComment>,
}

/// # `POST /rest/api/2/issueLink` (linkIssues)
async fn link_issues(ctx: Ctx, Json(body): Json<LinkBody>) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let link_type = body.link_type.as_ref().and_then(|t| {
        id_text(&t.id)
            .map(LinkTypeRef::Id)
            .or_else(|| t.name.clone().map(LinkTypeRef::Name))
    });
    let comment = match body.comment {
        None => None,
        Some(c) => Some(CommentInput {
            body: c.body.unwrap_or_default(),
            visibility: match c.visibility {
                None => None,
                Some(VisibilityBody {
                    kind: Some(kind),
                    value: Some(value),
                }) => Some(Visibility { kind, value }),
                Some(_) => {
                    return Err(Error::field(
                        "commentLevel",
                        "Visibility needs a 'type' (group or role) and a 'value'.",
                    )
                    .into());
                }
            },
        }),
    };
    let input = LinkInput {
        link_type,
        inward: body.inward_issue.as_ref().and_then(Named::issue),
        outward: body.outward_issue.as_ref().and_then(Named::issue),
        comment,
    };
    let id = ctx.app.links.link_issues(caller, input).await?;
    Ok((
        StatusCode::CREATED,
        [(
            header::LOCATION,
            format!("{}/rest/api/2/issueLink/{id}", ctx.base),
        )],
    )
        .into_response())
}

fn link_id(raw: &str) -> JiraResult<i64> {
    raw.parse()
        .map_err(|_| Error::bad_request(format!("The issue link id '{raw}' is not valid.")).into())
}

/// # `GET /rest/api/2/issueLink/{linkId}` (getIssueLink)
async fn get_issue_link(ctx: Ctx, Path(id): Path<String>) -> JiraResult<Json<Value>> {
    ctx.user()?;
    let n = link_id(&id)?;
    let l = ctx.app.links.get_link(ctx.caller.as_ref(), n).await?;
    let cat = ctx.app.catalog.current();
    Ok(Json(json!({
        "id": l.id.to_string(),
        "self": format!("{}/rest/api/2/issueLink/{}", ctx.base, l.id),
        "type": link_type_bean(&ctx.base, &l.link_type),
        "inwardIssue": issue_link(&ctx.base, &cat, &l.source)?,
        "outwardIssue": issue_link(&ctx.base, &cat, &l.dest)?,
    })))
}

/// # `DELETE /rest/api/2/issueLink/{linkId}` (deleteIssueLink)
async fn delete_issue_link(ctx: Ctx, Path(id): Path<String>) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let n = link_id(&id)?;
    ctx.app.links.delete_link(caller, n).await?;
    Ok(no_content())
}
