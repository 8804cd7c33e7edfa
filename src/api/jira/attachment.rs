//! Attachments.
//!
//! | method | path | operation |
//! |---|---|---|
//! | POST | `/issue/{issueIdOrKey}/attachments` | addAttachment |
//! | GET | `/attachment/meta` | getAttachmentMeta |
//! | GET | `/attachment/{id}` | getAttachment |
//! | DELETE | `/attachment/{id}` | removeAttachment |
//! | GET | `/attachment/{id}/expand/human` | expandAttachmentForHumans |
//! | GET | `/attachment/{id}/expand/raw` | expandAttachmentForMachines |
//! | GET | `/secure/attachment/{id}/{filename}` | (content download, outside the REST API) |
//! | GET | `/secure/thumbnail/{id}/{name}` | (thumbnail, outside the REST API) |

use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Request};
use axum::http::{HeaderMap, Method};
use axum::response::Response;
use axum::routing::post;
use serde::Serialize;
use serde_json::{Value, json};

use super::dto::{UserBean, user};
use super::{JiraError, JiraResult, Json, no_content, path_id};
use crate::api::routes::{READ_WORK, Routes, WRITE_WORK};
use crate::api::{Ctx, pct};
use crate::domain::*;
use crate::error::Error;
use crate::service::attachments::{
    self as svc, AttachmentView, MAX_FILES_PER_REQUEST, Staged, human_size,
};

/// Bytes of a non-file form field accepted (and ignored).
const MAX_OTHER_FIELD_BYTES: usize = 64 * 1024;

pub fn routes() -> Routes {
    Routes::new()
        .on(
            "/issue/{key}/attachments",
            Method::POST,
            WRITE_WORK,
            // Each file is size-limited while it streams to disk (413), and the number
            // of files is capped, so the request-wide body limit does not apply here.
            post(add_attachment).layer(DefaultBodyLimit::disable()),
        )
        .get("/attachment/meta", READ_WORK, get_attachment_meta)
        .get("/attachment/{id}", READ_WORK, get_attachment)
        .delete("/attachment/{id}", WRITE_WORK, remove_attachment)
        .get(
            "/attachment/{id}/expand/human",
            READ_WORK,
            expand_attachment_for_humans,
        )
        .get(
            "/attachment/{id}/expand/raw",
            READ_WORK,
            expand_attachment_for_machines,
        )
}

/// Content and thumbnails, at the URLs Jira serves them (outside `/rest`).
pub fn secure_routes() -> Routes {
    Routes::new()
        .get(
            "/secure/attachment/{id}/{filename}",
            READ_WORK,
            get_attachment_content,
        )
        .get(
            "/secure/thumbnail/{id}/{name}",
            READ_WORK,
            get_attachment_thumbnail,
        )
}

/// Jira's attachment bean.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentBean {
    #[serde(rename = "self")]
    pub self_: String,
    pub id: String,
    pub filename: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<UserBean>,
    pub created: String,
    pub size: i64,
    pub mime_type: String,
    pub content: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<String>,
}

pub fn bean(base: &str, a: &Attachment, author: Option<&User>) -> AttachmentBean {
    AttachmentBean {
        self_: format!("{base}/rest/api/2/attachment/{}", a.id),
        id: a.id.to_string(),
        filename: a.filename.clone(),
        author: author.map(|u| user(base, u)),
        created: a.created.to_jira(),
        size: a.size,
        mime_type: a.mime_type.clone(),
        content: format!("{base}/secure/attachment/{}/{}", a.id, pct(&a.filename)),
        thumbnail: svc::thumbnailable(&a.mime_type)
            .then(|| format!("{base}/secure/thumbnail/{}/_thumb_{}.png", a.id, a.id)),
    }
}

fn view_bean(base: &str, v: &AttachmentView) -> AttachmentBean {
    bean(base, &v.attachment, v.author.as_ref())
}

fn bad_multipart(e: impl std::fmt::Display) -> JiraError {
    Error::bad_request(format!("The multipart request could not be read: {e}")).into()
}

/// Reads and discards what is left of the request (up to `cap` bytes) so the client,
/// still sending, receives the error instead of a reset connection.
async fn drain(mp: &mut Multipart, mut cap: usize) {
    while let Ok(Some(mut field)) = mp.next_field().await {
        while let Ok(Some(chunk)) = field.chunk().await {
            cap = cap.saturating_sub(chunk.len());
            if cap == 0 {
                return;
            }
        }
    }
}

/// # `POST /rest/api/2/issue/{issueIdOrKey}/attachments` (addAttachment)
///
/// Multipart, every part named `file` is one attachment; needs
/// `X-Atlassian-Token: no-check`. Either every file is stored and recorded or none is.
async fn add_attachment(
    ctx: Ctx,
    Path(key): Path<String>,
    headers: HeaderMap,
    req: Request,
) -> JiraResult<Json<Vec<AttachmentBean>>> {
    let token = headers
        .get("x-atlassian-token")
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    if !token
        .is_some_and(|t| t.eq_ignore_ascii_case("no-check") || t.eq_ignore_ascii_case("nocheck"))
    {
        return Err(Error::forbidden("XSRF check failed").into());
    }
    let caller = ctx.user()?;
    let issue = IssueRef::parse(&key);
    ctx.app.attachments.check_can_attach(caller, &issue).await?;
    let mut mp = Multipart::from_request(req, &())
        .await
        .map_err(|e| bad_multipart(e.body_text()))?;
    let drain_cap = usize::try_from(ctx.app.config.max_attachment_bytes)
        .unwrap_or(usize::MAX)
        .saturating_mul(2)
        .saturating_add(1 << 20);
    let mut staged: Vec<Staged> = Vec::new();
    while let Some(mut field) = mp.next_field().await.map_err(bad_multipart)? {
        if field.name() != Some("file") {
            let mut seen = 0usize;
            while let Some(chunk) = field.chunk().await.map_err(bad_multipart)? {
                seen += chunk.len();
                if seen > MAX_OTHER_FIELD_BYTES {
                    return Err(bad_multipart("a form field other than 'file' is too large"));
                }
            }
            continue;
        }
        if staged.len() >= MAX_FILES_PER_REQUEST {
            return Err(Error::bad_request(format!(
                "At most {MAX_FILES_PER_REQUEST} files can be attached in one request."
            ))
            .into());
        }
        let mut upload = ctx
            .app
            .attachments
            .begin_upload(field.file_name(), field.content_type())
            .await?;
        let mut failed: Option<Error> = None;
        let mut drained = 0usize;
        while let Some(chunk) = field.chunk().await.map_err(bad_multipart)? {
            if failed.is_none() {
                if let Err(e) = upload.write(&chunk).await {
                    failed = Some(e);
                }
            } else {
                drained += chunk.len();
                if drained > drain_cap {
                    break;
                }
            }
        }
        drop(field);
        if let Some(e) = failed {
            drop(upload);
            drop(staged);
            if drained <= drain_cap {
                drain(&mut mp, drain_cap - drained).await;
            }
            return Err(e.into());
        }
        staged.push(upload.finish().await?);
    }
    let added = ctx
        .app
        .attachments
        .add_attachments(caller, &issue, staged)
        .await?;
    Ok(Json(
        added.iter().map(|v| view_bean(&ctx.base, v)).collect(),
    ))
}

/// # `GET /rest/api/2/attachment/meta` (getAttachmentMeta)
async fn get_attachment_meta(ctx: Ctx) -> JiraResult<Json<Value>> {
    ctx.user()?;
    let (enabled, limit) = ctx.app.attachments.attachment_meta();
    Ok(Json(json!({"enabled": enabled, "uploadLimit": limit})))
}

/// # `GET /rest/api/2/attachment/{id}` (getAttachment)
async fn get_attachment(ctx: Ctx, Path(id): Path<String>) -> JiraResult<Json<AttachmentBean>> {
    let id = path_id(&id, "attachment")?;
    let v = ctx
        .app
        .attachments
        .attachment(ctx.caller.as_ref(), id)
        .await?;
    Ok(Json(view_bean(&ctx.base, &v)))
}

/// # `DELETE /rest/api/2/attachment/{id}` (removeAttachment)
async fn remove_attachment(ctx: Ctx, Path(id): Path<String>) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let id = path_id(&id, "attachment")?;
    ctx.app.attachments.delete_attachment(caller, id).await?;
    Ok(no_content())
}

/// Shortens long entry paths the way Jira labels them: `a/b/c/d/.../x/y/z.txt`.
fn label(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').collect();
    if path.chars().count() <= 40 || parts.len() <= 7 {
        return path.to_string();
    }
    let mut out: Vec<&str> = parts[..4].to_vec();
    out.push("...");
    out.extend_from_slice(&parts[parts.len() - 3..]);
    out.join("/")
}

/// # `GET /rest/api/2/attachment/{id}/expand/human` (expandAttachmentForHumans)
async fn expand_attachment_for_humans(ctx: Ctx, Path(id): Path<String>) -> JiraResult<Json<Value>> {
    let id = path_id(&id, "attachment")?;
    let l = ctx
        .app
        .attachments
        .expand_attachment(ctx.caller.as_ref(), id)
        .await?;
    let entries: Vec<Value> = l
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            json!({"path": e.name, "index": i, "size": human_size(e.size),
                   "mediaType": svc::by_extension(&e.name), "label": label(&e.name)})
        })
        .collect();
    Ok(Json(json!({
        "id": l.attachment.id,
        "name": l.attachment.filename,
        "entries": entries,
        "totalEntryCount": l.total,
        "mediaType": l.attachment.mime_type,
    })))
}

/// # `GET /rest/api/2/attachment/{id}/expand/raw` (expandAttachmentForMachines)
async fn expand_attachment_for_machines(
    ctx: Ctx,
    Path(id): Path<String>,
) -> JiraResult<Json<Value>> {
    let id = path_id(&id, "attachment")?;
    let l = ctx
        .app
        .attachments
        .expand_attachment(ctx.caller.as_ref(), id)
        .await?;
    let entries: Vec<Value> = l
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            json!({"entryIndex": i, "name": e.name, "size": e.size,
                   "mediaType": svc::by_extension(&e.name)})
        })
        .collect();
    Ok(Json(
        json!({"entries": entries, "totalEntryCount": l.total}),
    ))
}

/// # `GET /secure/attachment/{id}/{filename}` (attachment content)
///
/// A download (`Content-Disposition: attachment`) with the stored MIME type; only PNG,
/// JPEG, GIF and WebP are shown inline.
async fn get_attachment_content(
    ctx: Ctx,
    Path((id, _filename)): Path<(String, String)>,
) -> JiraResult<Response> {
    let id = path_id(&id, "attachment")?;
    let (a, bytes) = ctx
        .app
        .attachments
        .attachment_content(ctx.caller.as_ref(), id)
        .await?;
    Ok(crate::api::download(&a, bytes))
}

/// # `GET /secure/thumbnail/{id}/{name}` (attachment thumbnail)
async fn get_attachment_thumbnail(
    ctx: Ctx,
    Path((id, _name)): Path<(String, String)>,
) -> JiraResult<Response> {
    let id = path_id(&id, "attachment")?;
    let png = ctx
        .app
        .attachments
        .attachment_thumbnail(ctx.caller.as_ref(), id)
        .await?;
    Ok(crate::api::thumbnail(png))
}
