//! Remote issue links.
//!
//! | method | path |
//! |---|---|
//! | GET, POST, DELETE (`?globalId=`) | `/issue/{key}/remotelink` |
//! | GET, PUT, DELETE | `/issue/{key}/remotelink/{linkId}` |

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::dto::remote_link;
use super::{JiraError, JiraResult, Json, Query, no_content, path_id};
use crate::api::Ctx;
use crate::api::routes::{READ_WORK, Routes, WRITE_WORK};
use crate::domain::*;
use crate::error::Error;
use crate::service::remote_links::Upserted;

pub fn routes() -> Routes {
    Routes::new()
        .get("/issue/{key}/remotelink", READ_WORK, get_remote_issue_links)
        .post(
            "/issue/{key}/remotelink",
            WRITE_WORK,
            create_or_update_remote_issue_link,
        )
        .delete(
            "/issue/{key}/remotelink",
            WRITE_WORK,
            delete_remote_issue_link_by_global_id,
        )
        .get(
            "/issue/{key}/remotelink/{id}",
            READ_WORK,
            get_remote_issue_link_by_id,
        )
        .put(
            "/issue/{key}/remotelink/{id}",
            WRITE_WORK,
            update_remote_issue_link,
        )
        .delete(
            "/issue/{key}/remotelink/{id}",
            WRITE_WORK,
            delete_remote_issue_link_by_id,
        )
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct GlobalIdQuery {
    global_id: Option<String>,
}

#[derive(Deserialize, Default)]
struct IconBody {
    url16x16: Option<String>,
    title: Option<String>,
    link: Option<String>,
}

impl IconBody {
    fn icon(self) -> LinkIcon {
        LinkIcon {
            url16x16: self.url16x16,
            title: self.title,
            link: self.link,
        }
    }
}

#[derive(Deserialize, Default)]
struct StatusBody {
    resolved: Option<bool>,
    icon: Option<IconBody>,
}

#[derive(Deserialize, Default)]
struct ObjectBody {
    url: Option<String>,
    title: Option<String>,
    summary: Option<String>,
    icon: Option<IconBody>,
    status: Option<StatusBody>,
}

#[derive(Deserialize, Default)]
struct ApplicationBody {
    #[serde(rename = "type")]
    kind: Option<String>,
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RemoteLinkBody {
    global_id: Option<String>,
    application: Option<ApplicationBody>,
    relationship: Option<String>,
    object: Option<ObjectBody>,
}

impl RemoteLinkBody {
    fn link(self) -> JiraResult<RemoteLink> {
        let Some(object) = self.object else {
            return Err(JiraError(Error::field(
                "object",
                "'object' is required: it holds the url and title of the link.",
            )));
        };
        let app = self.application.unwrap_or_default();
        let status = object.status.unwrap_or_default();
        Ok(RemoteLink {
            id: 0,
            issue_id: IssueId(0),
            global_id: self.global_id.filter(|g| !g.is_empty()),
            url: object.url.unwrap_or_default(),
            title: object.title.unwrap_or_default(),
            summary: object.summary,
            relationship: self.relationship,
            application_type: app.kind,
            application_name: app.name,
            icon: object.icon.map(IconBody::icon).unwrap_or_default(),
            status_resolved: status.resolved,
            status_icon: status.icon.map(IconBody::icon).unwrap_or_default(),
            // Set by the store when the link is inserted.
            created: Millis(0),
        })
    }
}

/// # `GET /rest/api/2/issue/{issueIdOrKey}/remotelink` (getRemoteIssueLinks)
///
/// With `globalId`, the one matching link as an object (Jira's behaviour), else an array.
async fn get_remote_issue_links(
    ctx: Ctx,
    Path(key): Path<String>,
    Query(q): Query<GlobalIdQuery>,
) -> JiraResult<Json<Value>> {
    let by_global = q.global_id.is_some();
    let (issue, links) = ctx
        .app
        .remote_links
        .remote_links(ctx.caller.as_ref(), &IssueRef::parse(&key), q.global_id)
        .await?;
    let mut beans: Vec<Value> = links
        .iter()
        .map(|l| remote_link(&ctx.base, &issue.key, l))
        .collect();
    if by_global {
        return Ok(Json(beans.remove(0)));
    }
    Ok(Json(Value::Array(beans)))
}

/// # `POST /rest/api/2/issue/{issueIdOrKey}/remotelink` (createOrUpdateRemoteIssueLink)
async fn create_or_update_remote_issue_link(
    ctx: Ctx,
    Path(key): Path<String>,
    Json(body): Json<RemoteLinkBody>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let (issue, outcome) = ctx
        .app
        .remote_links
        .upsert_remote_link(caller, &IssueRef::parse(&key), body.link()?)
        .await?;
    let (status, id) = match outcome {
        Upserted::Created(id) => (StatusCode::CREATED, id),
        Upserted::Updated(id) => (StatusCode::OK, id),
    };
    let body = json!({"id": id, "self": format!("{}/rest/api/2/issue/{}/remotelink/{id}", ctx.base, issue.key)});
    Ok((status, axum::Json(body)).into_response())
}

/// # `GET /rest/api/2/issue/{issueIdOrKey}/remotelink/{linkId}` (getRemoteIssueLinkById)
async fn get_remote_issue_link_by_id(
    ctx: Ctx,
    Path((key, id)): Path<(String, String)>,
) -> JiraResult<Json<Value>> {
    let id = link_id(&id)?;
    let (issue, link) = ctx
        .app
        .remote_links
        .remote_link(ctx.caller.as_ref(), &IssueRef::parse(&key), id)
        .await?;
    Ok(Json(remote_link(&ctx.base, &issue.key, &link)))
}

/// # `PUT /rest/api/2/issue/{issueIdOrKey}/remotelink/{linkId}` (updateRemoteIssueLink)
async fn update_remote_issue_link(
    ctx: Ctx,
    Path((key, id)): Path<(String, String)>,
    Json(body): Json<RemoteLinkBody>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let id = link_id(&id)?;
    ctx.app
        .remote_links
        .update_remote_link(caller, &IssueRef::parse(&key), id, body.link()?)
        .await?;
    Ok(no_content())
}

/// # `DELETE /rest/api/2/issue/{issueIdOrKey}/remotelink/{linkId}` (deleteRemoteIssueLinkById)
async fn delete_remote_issue_link_by_id(
    ctx: Ctx,
    Path((key, id)): Path<(String, String)>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let id = link_id(&id)?;
    ctx.app
        .remote_links
        .delete_remote_link(caller, &IssueRef::parse(&key), Ok(id))
        .await?;
    Ok(no_content())
}

/// # `DELETE /rest/api/2/issue/{issueIdOrKey}/remotelink` (deleteRemoteIssueLinkByGlobalId)
async fn delete_remote_issue_link_by_global_id(
    ctx: Ctx,
    Path(key): Path<String>,
    Query(q): Query<GlobalIdQuery>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let Some(global_id) = q.global_id.filter(|g| !g.is_empty()) else {
        return Err(JiraError(Error::bad_request(
            "The globalId query parameter is required.",
        )));
    };
    ctx.app
        .remote_links
        .delete_remote_link(caller, &IssueRef::parse(&key), Err(global_id))
        .await?;
    Ok(no_content())
}

/// Jira answers a non-numeric link id with 400.
fn link_id(raw: &str) -> JiraResult<i64> {
    path_id(raw, "remote link").map_err(|_| {
        JiraError(Error::bad_request(format!(
            "Invalid remote link id '{raw}': it must be a number."
        )))
    })
}
