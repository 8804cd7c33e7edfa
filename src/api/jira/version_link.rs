//! Remote links of versions.
//!
//! | method | path | operation |
//! |---|---|---|
//! | GET | `/version/remotelink?globalId=` | getRemoteVersionLinks |
//! | GET | `/version/{versionId}/remotelink` | getRemoteVersionLinksByVersionId |
//! | POST | `/version/{versionId}/remotelink` | createOrUpdateRemoteVersionLink |
//! | DELETE | `/version/{versionId}/remotelink` | deleteRemoteVersionLinksByVersionId |
//! | GET | `/version/{versionId}/remotelink/{globalId}` | getRemoteVersionLink |
//! | POST | `/version/{versionId}/remotelink/{globalId}` | createOrUpdateRemoteVersionLink |
//! | DELETE | `/version/{versionId}/remotelink/{globalId}` | deleteRemoteVersionLink |

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{JiraError, JiraResult, Json, Query, no_content, path_id};
use crate::api::routes::{READ_WORK, Routes, WRITE_WORK};
use crate::api::{Ctx, pct};
use crate::domain::Version;
use crate::error::Error;

pub fn routes() -> Routes {
    Routes::new()
        .get("/version/remotelink", READ_WORK, get_remote_version_links)
        .get(
            "/version/{id}/remotelink",
            READ_WORK,
            get_remote_version_links_by_version_id,
        )
        .post(
            "/version/{id}/remotelink",
            WRITE_WORK,
            create_or_update_remote_version_link,
        )
        .delete(
            "/version/{id}/remotelink",
            WRITE_WORK,
            delete_remote_version_links_by_version_id,
        )
        .get(
            "/version/{id}/remotelink/{global_id}",
            READ_WORK,
            get_remote_version_link,
        )
        .post(
            "/version/{id}/remotelink/{global_id}",
            WRITE_WORK,
            create_or_update_remote_version_link_with_global_id,
        )
        .delete(
            "/version/{id}/remotelink/{global_id}",
            WRITE_WORK,
            delete_remote_version_link,
        )
}

fn self_url(base: &str, version: &Version, global_id: &str) -> String {
    format!(
        "{base}/rest/api/2/version/{}/remotelink/{}",
        version.id,
        pct(global_id)
    )
}

/// The Remote Entity Link shape: `{self, name, link}`.
fn entity_link(base: &str, version: &Version, link: Value) -> Value {
    let gid = link["globalId"].as_str().unwrap_or_default().to_string();
    json!({"self": self_url(base, version, &gid), "name": version.name, "link": link})
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GlobalIdQuery {
    global_id: Option<String>,
}

/// # `GET /rest/api/2/version/remotelink` (getRemoteVersionLinks)
async fn get_remote_version_links(
    ctx: Ctx,
    Query(q): Query<GlobalIdQuery>,
) -> JiraResult<Json<Value>> {
    ctx.user()?;
    let gid = q.global_id.filter(|g| !g.is_empty()).ok_or_else(|| {
        JiraError(Error::field(
            "globalId",
            "The 'globalId' parameter is required.",
        ))
    })?;
    let links = ctx
        .app
        .version_links
        .remote_version_links_by_global_id(ctx.caller.as_ref(), gid)
        .await?;
    let links: Vec<Value> = links
        .into_iter()
        .map(|(v, l)| entity_link(&ctx.base, &v, l))
        .collect();
    Ok(Json(json!({ "links": links })))
}

/// # `GET /rest/api/2/version/{versionId}/remotelink` (getRemoteVersionLinksByVersionId)
async fn get_remote_version_links_by_version_id(
    ctx: Ctx,
    Path(id): Path<String>,
) -> JiraResult<Json<Value>> {
    ctx.user()?;
    let n = path_id(&id, "version")?;
    let (v, links) = ctx
        .app
        .version_links
        .version_remote_links(ctx.caller.as_ref(), n)
        .await?;
    let links: Vec<Value> = links
        .into_iter()
        .map(|l| entity_link(&ctx.base, &v, l))
        .collect();
    Ok(Json(json!({ "links": links })))
}

/// # `GET /rest/api/2/version/{versionId}/remotelink/{globalId}` (getRemoteVersionLink)
async fn get_remote_version_link(
    ctx: Ctx,
    Path((id, global_id)): Path<(String, String)>,
) -> JiraResult<Json<Value>> {
    ctx.user()?;
    let n = path_id(&id, "version")?;
    let (v, link) = ctx
        .app
        .version_links
        .version_remote_link(ctx.caller.as_ref(), n, global_id)
        .await?;
    Ok(Json(entity_link(&ctx.base, &v, link)))
}

async fn put_link(
    ctx: Ctx,
    id: String,
    global_id: Option<String>,
    body: Value,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let n = path_id(&id, "version")?;
    let (v, gid) = ctx
        .app
        .version_links
        .put_version_remote_link(caller, n, global_id, body)
        .await?;
    let mut r = StatusCode::CREATED.into_response();
    if let Ok(location) = HeaderValue::from_str(&self_url(&ctx.base, &v, &gid)) {
        r.headers_mut().insert(header::LOCATION, location);
    }
    Ok(r)
}

/// # `POST /rest/api/2/version/{versionId}/remotelink` (createOrUpdateRemoteVersionLink)
///
/// The global id comes from the body's `globalId`, or is generated. 201 with `Location`.
async fn create_or_update_remote_version_link(
    ctx: Ctx,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> JiraResult<Response> {
    put_link(ctx, id, None, body).await
}

/// # `POST /rest/api/2/version/{versionId}/remotelink/{globalId}` (createOrUpdateRemoteVersionLink)
async fn create_or_update_remote_version_link_with_global_id(
    ctx: Ctx,
    Path((id, global_id)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> JiraResult<Response> {
    put_link(ctx, id, Some(global_id), body).await
}

/// # `DELETE /rest/api/2/version/{versionId}/remotelink` (deleteRemoteVersionLinksByVersionId)
async fn delete_remote_version_links_by_version_id(
    ctx: Ctx,
    Path(id): Path<String>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let n = path_id(&id, "version")?;
    ctx.app
        .version_links
        .delete_version_remote_links(caller, n, None)
        .await?;
    Ok(no_content())
}

/// # `DELETE /rest/api/2/version/{versionId}/remotelink/{globalId}` (deleteRemoteVersionLink)
async fn delete_remote_version_link(
    ctx: Ctx,
    Path((id, global_id)): Path<(String, String)>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let n = path_id(&id, "version")?;
    ctx.app
        .version_links
        .delete_version_remote_links(caller, n, Some(global_id))
        .await?;
    Ok(no_content())
}
