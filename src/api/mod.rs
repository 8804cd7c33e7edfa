//! API surfaces. Each translates its wire format to calls on [`crate::service::Services`].

pub mod agile;
pub mod auth;
pub mod jira;
pub mod jsm;
pub mod query;
pub mod routes;
pub mod v1;
pub mod web;
pub mod yandex;

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::domain::Attachment;
use crate::error::{Error, Kind};
use crate::service::attachments::is_inline_safe;
use crate::service::{Caller, Services};

pub type AppState = Arc<Services>;

/// Every route of every surface, each with the access it needs.
pub fn routes() -> routes::Routes {
    routes::Routes::new()
        .merge(jira::routes())
        .merge(agile::routes())
        .merge(v1::routes())
        .merge(yandex::routes())
        .merge(jsm::routes())
        .merge(web::routes())
}

/// The caller resolved by the authentication layer (`None`: anonymous).
#[derive(Clone, Default)]
pub struct Authenticated(pub Option<Caller>);

/// What every handler needs: the app, the base URL for `self` links, and the caller.
pub struct Ctx {
    pub app: Arc<Services>,
    pub base: String,
    pub caller: Option<Caller>,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let caller = parts
            .extensions
            .get::<Authenticated>()
            .and_then(|a| a.0.clone());
        Ok(Ctx {
            app: app.clone(),
            base: base_url(parts, app),
            caller,
        })
    }
}

/// `--base-url` when configured, else the base URL an administrator set
/// (`settings/baseUrl`), otherwise the scheme and Host of the request.
pub fn base_url(parts: &Parts, app: &Services) -> String {
    if let Some(base) = &app.config.base_url {
        return base.trim_end_matches('/').to_string();
    }
    if let Some(base) = app.settings.base_url() {
        return base;
    }
    let host = parts
        .headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("localhost");
    let proto = parts
        .headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .filter(|p| *p == "https")
        .unwrap_or("http");
    format!("{proto}://{host}")
}

/// An error in the shape of the surface that `path` belongs to: the v1 error object
/// under `/v1`, Yandex Tracker's under `/v2`, the service desk's `ErrorResponse` under
/// `/rest/servicedeskapi`, Jira's ErrorCollection everywhere else.
/// Used by the layers that answer before a surface's handler runs (authentication,
/// unknown routes, framework rejections).
pub fn error_response(path: &str, status: StatusCode, message: &str) -> Response {
    if path == "/v1" || path.starts_with("/v1/") {
        v1::error_response(status, message)
    } else if path.starts_with("/v2/") {
        yandex::error_response(status, message)
    } else if path == "/rest/servicedeskapi" || path.starts_with("/rest/servicedeskapi/") {
        service_desk_error(status, message)
    } else {
        jira::error_response(path, status, message)
    }
}

/// Jira Service Management's `ErrorResponse` (`errorMessage` and `i18nErrorMessage`).
fn service_desk_error(status: StatusCode, message: &str) -> Response {
    jsm::error_response(status, message)
}

/// Percent-encodes one path segment or an RFC 5987 value (unreserved bytes kept).
pub fn pct(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `Content-Disposition` with an ASCII fallback and the exact UTF-8 name (RFC 6266).
fn content_disposition(kind: &str, filename: &str) -> HeaderValue {
    let fallback: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || " -_.()".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let value = format!(
        "{kind}; filename=\"{fallback}\"; filename*=UTF-8''{}",
        pct(filename)
    );
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

/// An attachment's content as every surface serves it. Only the raster image types are
/// shown inline, with their type; everything else is `application/octet-stream` to save
/// (`Content-Disposition: attachment`), whatever type it was stored with, so no upload
/// can run as a script (`text/javascript` from our own origin would satisfy
/// `script-src 'self'`) or open as a page. Never sniffed, sandboxed, not cached by
/// shared caches.
pub fn download(a: &Attachment, bytes: Vec<u8>) -> Response {
    let (kind, content_type) = if is_inline_safe(&a.mime_type) {
        (
            "inline",
            HeaderValue::from_str(&a.mime_type)
                .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream")),
        )
    } else {
        (
            "attachment",
            HeaderValue::from_static("application/octet-stream"),
        )
    };
    let mut r = (StatusCode::OK, bytes).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, content_type);
    h.insert(
        header::CONTENT_DISPOSITION,
        content_disposition(kind, &a.filename),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(UPLOAD_CSP),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    r
}

/// The policy for served uploads (and their thumbnails): a sandboxed document that may
/// load nothing, should a browser ever render one.
const UPLOAD_CSP: &str = "sandbox; default-src 'none'; img-src 'self' data:";

/// A PNG thumbnail or preview of an image attachment.
pub fn thumbnail(png: Vec<u8>) -> Response {
    let mut r = (StatusCode::OK, png).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(UPLOAD_CSP),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
    r
}

/// The HTTP status of an error kind, the same on every surface.
pub fn status_of(kind: &Kind) -> StatusCode {
    match kind {
        Kind::BadRequest => StatusCode::BAD_REQUEST,
        Kind::Unauthenticated => StatusCode::UNAUTHORIZED,
        Kind::Forbidden => StatusCode::FORBIDDEN,
        Kind::NotFound => StatusCode::NOT_FOUND,
        Kind::Conflict => StatusCode::CONFLICT,
        Kind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        Kind::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
        Kind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The error kind of a status answered by a layer (the inverse of [`status_of`]).
pub fn kind_of(status: StatusCode) -> Kind {
    match status.as_u16() {
        400 => Kind::BadRequest,
        401 => Kind::Unauthenticated,
        403 => Kind::Forbidden,
        404 => Kind::NotFound,
        409 => Kind::Conflict,
        413 => Kind::TooLarge,
        429 => Kind::TooManyRequests,
        _ => Kind::Internal,
    }
}

/// A request body, read whole within the body limit: 413 past it, 400 when it cannot
/// be read. Each surface's JSON extractor parses it and words its own errors.
pub async fn body_bytes<S: Send + Sync>(
    req: axum::extract::Request,
    state: &S,
) -> Result<axum::body::Bytes, Error> {
    use axum::extract::FromRequest;
    axum::body::Bytes::from_request(req, state)
        .await
        .map_err(|e| {
            let kind = if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Kind::TooLarge
            } else {
                Kind::BadRequest
            };
            Error::new(
                kind,
                format!("The request body could not be read: {}", e.body_text()),
            )
        })
}
