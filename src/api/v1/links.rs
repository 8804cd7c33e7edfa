//! An issue's web links on the v1 surface: the issue's remote links (url and title),
//! the same records `GET /rest/api/2/issue/{key}/remotelink` lists.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::{Json, Paged, Params, V1Result, issue_ref, paginate, parse_prefixed, prefixed, utc};
use crate::api::Ctx;
use crate::api::routes::{ISSUES_READ, ISSUES_WRITE, Routes};
use crate::domain::RemoteLink;

pub fn routes() -> Routes {
    Routes::new()
        .get("/links", ISSUES_READ, list_links)
        .post("/links", ISSUES_WRITE, create_link)
        .delete("/links/{link_id}", ISSUES_WRITE, delete_link)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct V1Link {
    link_id: String,
    id: String,
    url: String,
    title: String,
    created_utc: String,
}

fn v1_link(l: &RemoteLink) -> V1Link {
    V1Link {
        link_id: prefixed("link", l.id),
        id: prefixed("link", l.id),
        url: l.url.clone(),
        title: l.title.clone(),
        created_utc: utc(l.created),
    }
}

/// # `GET /v1/issues/{issueKey}/links`
///
/// Oldest first; pages: `cursor`, `page_size`. Requires `issues:read`.
pub async fn list_links(
    ctx: Ctx,
    Path(issue_key): Path<String>,
    params: Params,
) -> V1Result<Json<Paged<V1Link>>> {
    let caller = ctx.v1_reader()?;
    let (_, links) = ctx
        .app
        .remote_links
        .remote_links(Some(caller), &issue_ref(&issue_key), None)
        .await?;
    let page = paginate(links, |l| vec![l.id], false, "links", &params)?;
    Ok(Json(Paged {
        results: page.items.iter().map(v1_link).collect(),
        pagination: page.pagination,
    }))
}

#[derive(Deserialize)]
pub struct NewLink {
    url: Option<String>,
    title: Option<String>,
}

/// # `POST /v1/issues/{issueKey}/links`
///
/// `url` and `title` are required. 201 with the new link, or 200 with the existing one
/// when the issue already has a link with the same url and title. Requires `issues:write`.
pub async fn create_link(
    ctx: Ctx,
    Path(issue_key): Path<String>,
    Json(body): Json<NewLink>,
) -> V1Result<Response> {
    let caller = ctx.v1_writer()?;
    let url = body.url.map(|u| u.trim().to_string()).unwrap_or_default();
    let title = body.title.map(|t| t.trim().to_string()).unwrap_or_default();
    let (link, created) = ctx
        .app
        .remote_links
        .add_web_link(caller, &issue_ref(&issue_key), url, title)
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(v1_link(&link))).into_response())
}

/// # `DELETE /v1/issues/{issueKey}/links/{linkId}`
///
/// 204. Requires `issues:write`.
pub async fn delete_link(
    ctx: Ctx,
    Path((issue_key, link_id)): Path<(String, String)>,
) -> V1Result<Response> {
    let caller = ctx.v1_writer()?;
    let id = parse_prefixed(&link_id, "link", "link")?;
    ctx.app
        .remote_links
        .delete_remote_link(caller, &issue_ref(&issue_key), Ok(id))
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
