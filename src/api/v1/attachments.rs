//! An issue's attachments on the v1 surface, and the signed links that serve their
//! content and previews.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::{
    Json, Paged, Params, V1Error, V1Result, account_of, issue_ref, paginate, parse_prefixed,
    prefixed, utc,
};
use crate::api::routes::{ANY, ISSUES_READ, Routes};
use crate::api::{Ctx, pct};
use crate::error::Error;
use crate::service::attachments::{AttachmentView, Signature, SignedPart, thumbnailable};

pub fn routes() -> Routes {
    Routes::new()
        .get("/attachments", ISSUES_READ, list_attachments)
        .get("/attachments/{attachment_id}", ISSUES_READ, get_attachment)
        .get(
            "/attachments/{attachment_id}/content",
            ISSUES_READ,
            get_attachment_content,
        )
        .get(
            "/attachments/{attachment_id}/preview",
            ISSUES_READ,
            get_attachment_preview,
        )
}

pub fn signed_routes() -> Routes {
    Routes::new().get("/v1/files/{attachment_id}/{part}", ANY, open_signed_link)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct V1Attachment {
    id: String,
    file_name: String,
    content_type: String,
    size_bytes: i64,
    uploaded_by_user_account_id: Option<String>,
    uploaded_by_display_name: Option<String>,
    uploaded_utc: String,
    download_url: String,
    preview_url: String,
    is_preview_available: bool,
    /// 0 none, 1 image, 2 document (PDF), 3 text or source code.
    preview_kind: u8,
    /// The language of a source file, by its extension; empty for other files.
    code_language: &'static str,
}

fn v1_attachment(issue_key: &str, v: &AttachmentView) -> V1Attachment {
    let a = &v.attachment;
    let id = prefixed("att", a.id);
    let base = format!("/v1/issues/{}/attachments/{id}", pct(issue_key));
    let language = code_language(&a.filename);
    V1Attachment {
        file_name: a.filename.clone(),
        content_type: a.mime_type.clone(),
        size_bytes: a.size,
        uploaded_by_user_account_id: v.author.as_ref().map(|u| prefixed("usr", &u.account_id)),
        uploaded_by_display_name: v.author.as_ref().map(|u| u.display_name.clone()),
        uploaded_utc: utc(a.created),
        download_url: format!("{base}/content"),
        preview_url: format!("{base}/preview"),
        is_preview_available: thumbnailable(&a.mime_type),
        preview_kind: if a.mime_type.starts_with("image/") {
            1
        } else if a.mime_type == "application/pdf" {
            2
        } else if a.mime_type.starts_with("text/") || !language.is_empty() {
            3
        } else {
            0
        },
        code_language: language,
        id,
    }
}

fn code_language(filename: &str) -> &'static str {
    let ext = filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "rs" => "rust",
        "py" => "python",
        "js" | "mjs" | "cjs" => "javascript",
        "ts" => "typescript",
        "java" => "java",
        "go" => "go",
        "c" | "h" => "c",
        "cc" | "cpp" | "hpp" => "cpp",
        "cs" => "csharp",
        "rb" => "ruby",
        "php" => "php",
        "sh" | "bash" => "bash",
        "sql" => "sql",
        "json" => "json",
        "yaml" | "yml" => "yaml",
        "toml" => "toml",
        "xml" => "xml",
        "html" | "htm" => "html",
        "css" => "css",
        "kt" => "kotlin",
        "swift" => "swift",
        _ => "",
    }
}

/// # `GET /v1/issues/{issueKey}/attachments`
///
/// Filters: `content_type` (exact, or `image/*`), `created_by_user_account_id`; pages:
/// `cursor`, `page_size`. Oldest first. Requires `issues:read`.
pub async fn list_attachments(
    ctx: Ctx,
    Path(issue_key): Path<String>,
    params: Params,
) -> V1Result<Json<Paged<V1Attachment>>> {
    let caller = ctx.v1_reader()?;
    let (issue, mut list) = ctx
        .app
        .attachments
        .issue_attachments(caller, &issue_ref(&issue_key))
        .await?;
    if let Some(wanted) = params.one("content_type") {
        let wanted = wanted.to_ascii_lowercase();
        list.retain(|v| match wanted.strip_suffix("/*") {
            Some(family) => v
                .attachment
                .mime_type
                .split('/')
                .next()
                .is_some_and(|f| f == family),
            None => v.attachment.mime_type == wanted,
        });
    }
    if let Some(uploader) = params.one("created_by_user_account_id") {
        let account = account_of(uploader);
        list.retain(|v| v.author.as_ref().is_some_and(|u| u.account_id == account));
    }
    let page = paginate(
        list,
        |v| vec![v.attachment.id],
        false,
        "attachments",
        &params,
    )?;
    Ok(Json(Paged {
        results: page
            .items
            .iter()
            .map(|v| v1_attachment(&issue.key, v))
            .collect(),
        pagination: page.pagination,
    }))
}

/// # `GET /v1/issues/{issueKey}/attachments/{attachmentId}`
pub async fn get_attachment(
    ctx: Ctx,
    Path((issue_key, attachment_id)): Path<(String, String)>,
) -> V1Result<Json<V1Attachment>> {
    let caller = ctx.v1_reader()?;
    let id = parse_prefixed(&attachment_id, "att", "attachment")?;
    let (issue, view) = ctx
        .app
        .attachments
        .issue_attachment(caller, &issue_ref(&issue_key), id)
        .await?;
    Ok(Json(v1_attachment(&issue.key, &view)))
}

/// # `GET /v1/issues/{issueKey}/attachments/{attachmentId}/content`
///
/// 302 to a signed download link that works for a few minutes without credentials.
pub async fn get_attachment_content(
    ctx: Ctx,
    Path((issue_key, attachment_id)): Path<(String, String)>,
) -> V1Result<Response> {
    redirect_to_signed(ctx, &issue_key, &attachment_id, SignedPart::Content).await
}

/// # `GET /v1/issues/{issueKey}/attachments/{attachmentId}/preview`
///
/// 302 to a signed link to a PNG preview; 404 `not_found` for files without one.
pub async fn get_attachment_preview(
    ctx: Ctx,
    Path((issue_key, attachment_id)): Path<(String, String)>,
) -> V1Result<Response> {
    redirect_to_signed(ctx, &issue_key, &attachment_id, SignedPart::Preview).await
}

async fn redirect_to_signed(
    ctx: Ctx,
    issue_key: &str,
    attachment_id: &str,
    part: SignedPart,
) -> V1Result<Response> {
    let caller = ctx.v1_reader()?;
    let id = parse_prefixed(attachment_id, "att", "attachment")?;
    let sig = ctx
        .app
        .attachments
        .sign_attachment_link(caller, &issue_ref(issue_key), id, part)
        .await?;
    let location = format!(
        "{}/v1/files/{}/{}?expires={}&user={}&sig={}",
        ctx.base,
        prefixed("att", id),
        part.name(),
        sig.expires,
        sig.signer,
        sig.sig
    );
    let mut r = StatusCode::FOUND.into_response();
    let value = HeaderValue::from_str(&location).map_err(|_| V1Error(Error::internal()))?;
    r.headers_mut().insert(header::LOCATION, value);
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

/// # `GET /v1/files/{attachmentId}/{content|preview}?expires=…&user=…&sig=…`
///
/// Serves a signed link; 403 when the signature does not match or has expired.
pub async fn open_signed_link(
    ctx: Ctx,
    Path((attachment_id, part)): Path<(String, String)>,
    params: Params,
) -> V1Result<Response> {
    let part = match part.as_str() {
        "content" => SignedPart::Content,
        "preview" => SignedPart::Preview,
        _ => {
            return Err(V1Error(Error::not_found(
                "No such file link: use the link a /content or /preview request redirects to.",
            )));
        }
    };
    let id = parse_prefixed(&attachment_id, "att", "attachment")?;
    let signature = Signature {
        expires: params
            .one("expires")
            .and_then(|e| e.parse().ok())
            .ok_or_else(|| V1Error(Error::forbidden("The link is not signed.")))?,
        signer: params
            .one("user")
            .and_then(|e| e.parse().ok())
            .ok_or_else(|| V1Error(Error::forbidden("The link is not signed.")))?,
        sig: params
            .one("sig")
            .ok_or_else(|| V1Error(Error::forbidden("The link is not signed.")))?
            .to_string(),
    };
    let (a, bytes) = ctx
        .app
        .attachments
        .open_signed_link(part, id, &signature)
        .await?;
    Ok(match part {
        SignedPart::Content => crate::api::download(&a, bytes),
        SignedPart::Preview => crate::api::thumbnail(bytes),
    })
}
