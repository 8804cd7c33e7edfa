//! Attachments: `attachTemporaryFile` then `request/{key}/attachment`.

use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, RawQuery, Request};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{JsmError, JsmResult, Json, Params, READ, WRITE, caller, render};
use crate::api::Ctx;
use crate::api::routes::Routes;
use crate::domain::IssueRef;
use crate::error::Error;
use crate::service::attachments::{MAX_FILES_PER_REQUEST, Staged};

/// Bytes of a non-file form field accepted (and ignored).
const MAX_OTHER_FIELD_BYTES: usize = 64 * 1024;

pub fn routes() -> Routes {
    Routes::new()
        .on(
            "/rest/servicedeskapi/servicedesk/{serviceDeskId}/attachTemporaryFile",
            Method::POST,
            WRITE,
            // Each file is size-limited while it streams to disk, as Jira's uploads are.
            post(attach_temporary_file).layer(DefaultBodyLimit::disable()),
        )
        .post(
            "/rest/servicedeskapi/request/{issueIdOrKey}/attachment",
            WRITE,
            create_attachment,
        )
        .get(
            "/rest/servicedeskapi/request/{issueIdOrKey}/attachment/{attachmentId}",
            READ,
            get_attachment_content,
        )
        .get(
            "/rest/servicedeskapi/request/{issueIdOrKey}/attachment/{attachmentId}/thumbnail",
            READ,
            get_attachment_thumbnail,
        )
        .get(
            "/rest/servicedeskapi/request/{issueIdOrKey}/comment/{commentId}/attachment",
            READ,
            get_comment_attachments,
        )
}

fn bad_multipart(e: impl std::fmt::Display) -> JsmError {
    Error::bad_request(format!("The multipart request could not be read: {e}")).into()
}

/// # `POST /rest/servicedeskapi/servicedesk/{serviceDeskId}/attachTemporaryFile` (attachTemporaryFile)
///
/// Multipart, every part named `file` one file; needs `X-Atlassian-Token: no-check`.
async fn attach_temporary_file(
    ctx: Ctx,
    Path(desk): Path<String>,
    headers: HeaderMap,
    req: Request,
) -> JsmResult<Response> {
    let caller = caller(&ctx)?;
    let token = headers
        .get("x-atlassian-token")
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    if !token
        .is_some_and(|t| t.eq_ignore_ascii_case("no-check") || t.eq_ignore_ascii_case("nocheck"))
    {
        return Err(
            Error::forbidden("XSRF check failed: send X-Atlassian-Token: no-check.").into(),
        );
    }
    // The desk first, so nobody streams files into a desk they cannot see.
    ctx.app.servicedesk.desk(caller, &desk).await?;
    let mut mp = Multipart::from_request(req, &())
        .await
        .map_err(|e| bad_multipart(e.body_text()))?;
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
        while let Some(chunk) = field.chunk().await.map_err(bad_multipart)? {
            upload.write(&chunk).await?;
        }
        staged.push(upload.finish().await?);
    }
    let held = ctx
        .app
        .servicedesk
        .attach_temporary(caller, &desk, staged)
        .await?;
    let list: Vec<Value> = held
        .iter()
        .map(|t| json!({"temporaryAttachmentId": t.id, "fileName": t.filename}))
        .collect();
    Ok((
        StatusCode::CREATED,
        axum::Json(json!({"temporaryAttachments": list})),
    )
        .into_response())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AttachInput {
    #[serde(default)]
    temporary_attachment_ids: Vec<String>,
    public: Option<bool>,
    additional_comment: Option<CommentBody>,
}

#[derive(Deserialize)]
struct CommentBody {
    body: Option<String>,
}

/// # `POST /rest/servicedeskapi/request/{issueIdOrKey}/attachment` (createAttachment)
async fn create_attachment(
    ctx: Ctx,
    Path(key): Path<String>,
    Json(input): Json<AttachInput>,
) -> JsmResult<Response> {
    let caller = caller(&ctx)?;
    let added = ctx
        .app
        .servicedesk
        .attach_to_request(
            caller,
            &IssueRef::parse(&key),
            input.temporary_attachment_ids,
            input.public.unwrap_or(true),
            input.additional_comment.and_then(|c| c.body),
        )
        .await?;
    let values: Vec<Value> = added
        .attachments
        .iter()
        .map(|v| render::attachment(&ctx.base, &v.attachment, v.author.as_ref()))
        .collect();
    let n = values.len() as i64;
    let path = format!("/request/{}/attachment", added.request.view.issue.id.0);
    let body = json!({
        "comment": added.comment.as_ref().map(|c| render::comment(&ctx.base, &added.request, c, false)),
        "attachments": render::paged(&ctx.base, &path, 0, n.max(1), n, values),
    });
    Ok((StatusCode::CREATED, axum::Json(body)).into_response())
}

/// # `GET /rest/servicedeskapi/request/{issueIdOrKey}/attachment/{attachmentId}` (getAttachmentContent)
///
/// The content itself (Jira Cloud may answer 303 to a media store; there is none here).
async fn get_attachment_content(
    ctx: Ctx,
    Path((key, id)): Path<(String, String)>,
) -> JsmResult<Response> {
    let caller = caller(&ctx)?;
    let (a, bytes) = ctx
        .app
        .servicedesk
        .request_attachment_content(caller, &IssueRef::parse(&key), &id)
        .await?;
    Ok(crate::api::download(&a, bytes))
}

/// # `GET /rest/servicedeskapi/request/{issueIdOrKey}/attachment/{attachmentId}/thumbnail` (getAttachmentThumbnail)
async fn get_attachment_thumbnail(
    ctx: Ctx,
    Path((key, id)): Path<(String, String)>,
) -> JsmResult<Response> {
    let caller = caller(&ctx)?;
    let png = ctx
        .app
        .servicedesk
        .request_attachment_thumbnail(caller, &IssueRef::parse(&key), &id)
        .await?;
    Ok(crate::api::thumbnail(png))
}

/// # `GET /rest/servicedeskapi/request/{issueIdOrKey}/comment/{commentId}/attachment` (getCommentAttachments)
async fn get_comment_attachments(
    ctx: Ctx,
    Path((key, comment)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let (start, limit) = Params::parse(raw.as_deref()).paging()?;
    let (r, list) = ctx
        .app
        .servicedesk
        .comment_attachments(caller, &IssueRef::parse(&key), &comment)
        .await?;
    let values = list
        .iter()
        .skip(start as usize)
        .take(limit as usize)
        .map(|a| {
            render::attachment(
                &ctx.base,
                a,
                a.author_id.and_then(|id| r.view.users.get(&id)),
            )
        })
        .collect();
    let path = format!(
        "/request/{}/comment/{comment}/attachment",
        r.view.issue.id.0
    );
    Ok(axum::Json(render::paged(
        &ctx.base,
        &path,
        start,
        limit,
        list.len() as i64,
        values,
    )))
}
