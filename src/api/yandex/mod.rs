//! Yandex Tracker's attachment list (`GET /v2/issues/{issue_ID_or_key}/attachments`)
//! and the download and thumbnail addresses it hands out, over the same attachment
//! records as the Jira and v1 surfaces.
//!
//! Credentials: `Authorization: OAuth <token>` (a Tessera API token) or Bearer, as the
//! authentication layer accepts them; the organisation headers (`X-Org-ID`,
//! `X-Cloud-Org-ID`) are accepted and ignored — one Tessera is one organisation. A token
//! with scopes needs `read:jira-work` (or `issues:read`). Errors have Yandex's shape:
//! `{"errors": {}, "errorMessages": ["…"], "statusCode": 404}`.
//!
//! | method | path | handler |
//! |---|---|---|
//! | GET | `/v2/issues/{issue}/attachments` | [`list_attachments`] |
//! | GET | `/v2/issues/{issue}/attachments/{id}` | [`get_attachment`] |
//! | GET | `/v2/issues/{issue}/attachments/{id}/{name}` | [`download_attachment`] |
//! | GET | `/v2/issues/{issue}/thumbnails/{id}` | [`get_thumbnail`] |

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::{Ctx, pct};
use crate::api::routes::{READ_WORK, Routes};
use crate::domain::IssueRef;
use crate::error::{Error, Kind};
use crate::service::Caller;
use crate::service::attachments::{AttachmentView, thumbnailable};

pub fn routes() -> Routes {
    Routes::new()
        .get(
            "/v2/issues/{issue}/attachments",
            READ_WORK,
            list_attachments,
        )
        .get(
            "/v2/issues/{issue}/attachments/{id}",
            READ_WORK,
            get_attachment,
        )
        .get(
            "/v2/issues/{issue}/attachments/{id}/{name}",
            READ_WORK,
            download_attachment,
        )
        .get(
            "/v2/issues/{issue}/thumbnails/{id}",
            READ_WORK,
            get_thumbnail,
        )
}

/// A service error in Yandex Tracker's shape.
#[derive(Debug)]
pub struct YandexError(pub Error);

type YandexResult<T> = Result<T, YandexError>;

impl From<Error> for YandexError {
    fn from(e: Error) -> Self {
        YandexError(e)
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ErrorBody {
    errors: std::collections::BTreeMap<String, String>,
    error_messages: Vec<String>,
    status_code: u16,
}

impl IntoResponse for YandexError {
    fn into_response(self) -> Response {
        let status = super::status_of(&self.0.kind);
        body(status, self.0.messages, self.0.fields)
    }
}

fn body(
    status: StatusCode,
    messages: Vec<String>,
    fields: std::collections::BTreeMap<String, String>,
) -> Response {
    let b = ErrorBody {
        errors: fields,
        error_messages: messages,
        status_code: status.as_u16(),
    };
    (status, axum::Json(b)).into_response()
}

/// A Yandex-shaped error answered by a layer before the handler.
pub fn error_response(status: StatusCode, message: &str) -> Response {
    body(status, vec![message.to_string()], Default::default())
}

fn caller(ctx: &Ctx) -> YandexResult<&Caller> {
    ctx.caller.as_ref().ok_or_else(|| {
        YandexError(Error::new(
            Kind::Unauthenticated,
            "Authorization required: send Authorization: OAuth <token>.",
        ))
    })
}

/// The Yandex wording for an issue that does not exist (or is not visible).
fn issue_missing(e: Error) -> YandexError {
    if e.kind == Kind::NotFound {
        YandexError(Error::not_found("Issue does not exist."))
    } else {
        YandexError(e)
    }
}

#[derive(Serialize)]
pub struct CreatedBy {
    #[serde(rename = "self")]
    self_: String,
    id: String,
    display: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct YandexAttachment {
    #[serde(rename = "self")]
    self_: String,
    id: String,
    name: String,
    content: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    thumbnail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_by: Option<CreatedBy>,
    created_at: String,
    mimetype: String,
    size: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<Metadata>,
}

#[derive(Serialize)]
pub struct Metadata {
    /// `WIDTHxHEIGHT` in pixels.
    size: String,
}

async fn yandex_attachment(ctx: &Ctx, issue_key: &str, v: &AttachmentView) -> YandexAttachment {
    let a = &v.attachment;
    let issue_url = format!("{}/v2/issues/{}", ctx.base, pct(issue_key));
    let dimensions = ctx.app.attachments.image_dimensions(a).await;
    YandexAttachment {
        self_: format!("{issue_url}/attachments/{}", a.id),
        id: a.id.to_string(),
        name: a.filename.clone(),
        content: format!("{issue_url}/attachments/{}/{}", a.id, pct(&a.filename)),
        thumbnail: thumbnailable(&a.mime_type).then(|| format!("{issue_url}/thumbnails/{}", a.id)),
        created_by: v.author.as_ref().map(|u| CreatedBy {
            self_: format!(
                "{}/rest/api/2/user?accountId={}",
                ctx.base,
                pct(&u.account_id)
            ),
            id: u.username.clone(),
            display: u.display_name.clone(),
        }),
        created_at: a.created.to_jira(),
        mimetype: a.mime_type.clone(),
        size: a.size,
        metadata: dimensions.map(|(w, h)| Metadata {
            size: format!("{w}x{h}"),
        }),
    }
}

fn attachment_id(raw: &str) -> YandexResult<i64> {
    raw.parse().map_err(|_| {
        YandexError(Error::not_found(format!(
            "Attachment '{raw}' does not exist."
        )))
    })
}

/// # `GET /v2/issues/{issue_ID_or_key}/attachments`
///
/// Every file attached to the issue and to its comments (one list in Tessera), oldest
/// first, as a bare JSON array.
pub async fn list_attachments(
    ctx: Ctx,
    Path(issue): Path<String>,
) -> YandexResult<axum::Json<Vec<YandexAttachment>>> {
    let caller = caller(&ctx)?;
    let (issue, list) = ctx
        .app
        .attachments
        .issue_attachments(caller, &IssueRef::parse(&issue))
        .await
        .map_err(issue_missing)?;
    let mut out = Vec::with_capacity(list.len());
    for v in &list {
        out.push(yandex_attachment(&ctx, &issue.key, v).await);
    }
    Ok(axum::Json(out))
}

/// # `GET /v2/issues/{issue_ID_or_key}/attachments/{attachment_ID}`
pub async fn get_attachment(
    ctx: Ctx,
    Path((issue, id)): Path<(String, String)>,
) -> YandexResult<axum::Json<YandexAttachment>> {
    let caller = caller(&ctx)?;
    let id = attachment_id(&id)?;
    let (issue, view) = ctx
        .app
        .attachments
        .issue_attachment(caller, &IssueRef::parse(&issue), id)
        .await?;
    Ok(axum::Json(yandex_attachment(&ctx, &issue.key, &view).await))
}

/// # `GET /v2/issues/{issue_ID_or_key}/attachments/{attachment_ID}/{file_name}`
pub async fn download_attachment(
    ctx: Ctx,
    Path((issue, id, _name)): Path<(String, String, String)>,
) -> YandexResult<Response> {
    let caller = caller(&ctx)?;
    let id = attachment_id(&id)?;
    ctx.app
        .attachments
        .issue_attachment(caller, &IssueRef::parse(&issue), id)
        .await?;
    let (a, bytes) = ctx
        .app
        .attachments
        .attachment_content(Some(caller), id)
        .await?;
    Ok(super::download(&a, bytes))
}

/// # `GET /v2/issues/{issue_ID_or_key}/thumbnails/{attachment_ID}`
pub async fn get_thumbnail(
    ctx: Ctx,
    Path((issue, id)): Path<(String, String)>,
) -> YandexResult<Response> {
    let caller = caller(&ctx)?;
    let id = attachment_id(&id)?;
    ctx.app
        .attachments
        .issue_attachment(caller, &IssueRef::parse(&issue), id)
        .await?;
    let png = ctx
        .app
        .attachments
        .attachment_thumbnail(Some(caller), id)
        .await?;
    Ok(super::thumbnail(png))
}
