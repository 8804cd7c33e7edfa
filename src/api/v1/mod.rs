//! The native v1 API (`/v1`): an issue's activity, attachments, web links and
//! sub-issues, with cursor pagination, prefixed ids (`usr_…`, `att_…`, `link_…`,
//! `issue_…`, `iss-status_…`) and one error object for every failure:
//! `{"error": {"code": "not_found", "message": "…"}}`.
//!
//! It is a dialect over the same services as the Jira surface: v1 links are remote
//! links, sub-issues are sub-tasks, attachments are the same records.
//!
//! Access: any authenticated caller; an API token with scopes needs `issues:read` (or its
//! Jira name `read:jira-work`) for reads and `issues:write` (`write:jira-work`) for
//! writes (a token without scopes, a password or a session has both); see
//! [`crate::auth::scopes`].
//!
//! | method | path | handler |
//! |---|---|---|
//! | GET | `/v1/issues/{issueKey}/activity` | [`activity::list_activity`] |
//! | GET | `/v1/issues/{issueKey}/attachments` | [`attachments::list_attachments`] |
//! | GET | `/v1/issues/{issueKey}/attachments/{attachmentId}` | [`attachments::get_attachment`] |
//! | GET | `/v1/issues/{issueKey}/attachments/{attachmentId}/content` | [`attachments::get_attachment_content`] |
//! | GET | `/v1/issues/{issueKey}/attachments/{attachmentId}/preview` | [`attachments::get_attachment_preview`] |
//! | GET | `/v1/files/{attachmentId}/{part}` | [`attachments::open_signed_link`] (signed, no credentials) |
//! | GET | `/v1/issues/{issueKey}/links` | [`links::list_links`] |
//! | POST | `/v1/issues/{issueKey}/links` | [`links::create_link`] |
//! | DELETE | `/v1/issues/{issueKey}/links/{linkId}` | [`links::delete_link`] |
//! | GET | `/v1/issues/{issueKey}/subissues` | [`subissues::list_subissues`] |

mod activity;
mod attachments;
mod links;
mod subissues;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::Ctx;
use crate::api::routes::Routes;
use crate::auth::scopes::{Access, Scope};
use crate::domain::Millis;
use crate::error::{Error, Kind};
use crate::service::Caller;

pub fn routes() -> Routes {
    let issues = Routes::new()
        .merge(activity::routes())
        .merge(attachments::routes())
        .merge(links::routes())
        .merge(subissues::routes());
    Routes::new()
        .nest("/v1/issues/{issue_key}", issues)
        .merge(attachments::signed_routes())
}

/// The scope a token needs for reads.
pub const READ_SCOPE: Scope = Scope::IssuesRead;
/// The scope a token needs for writes.
pub const WRITE_SCOPE: Scope = Scope::IssuesWrite;

/// A service error on the v1 surface.
#[derive(Debug)]
pub struct V1Error(pub Error);

pub type V1Result<T> = Result<T, V1Error>;

impl From<Error> for V1Error {
    fn from(e: Error) -> Self {
        V1Error(e)
    }
}

#[derive(Serialize)]
struct ErrorBody {
    error: ErrorObject,
}

#[derive(Serialize)]
struct ErrorObject {
    code: &'static str,
    message: String,
    /// Per-field messages, for validation errors.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    details: std::collections::BTreeMap<String, String>,
}

/// The v1 error code of a kind.
fn code_of(kind: &Kind) -> &'static str {
    match kind {
        Kind::BadRequest => "invalid_request",
        Kind::Unauthenticated => "unauthorized",
        Kind::Forbidden => "forbidden",
        Kind::NotFound => "not_found",
        Kind::Conflict => "conflict",
        Kind::TooLarge => "payload_too_large",
        Kind::TooManyRequests => "rate_limited",
        Kind::Internal => "internal_error",
    }
}

impl IntoResponse for V1Error {
    fn into_response(self) -> Response {
        let (status, code) = (crate::api::status_of(&self.0.kind), code_of(&self.0.kind));
        let mut message = self.0.messages.join(" ");
        if message.is_empty() {
            message = self
                .0
                .fields
                .values()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(" ");
        }
        let body = ErrorBody {
            error: ErrorObject {
                code,
                message,
                details: self.0.fields,
            },
        };
        (status, axum::Json(body)).into_response()
    }
}

/// A v1 error answered by a layer before the handler (authentication, unknown routes).
pub fn error_response(status: StatusCode, message: &str) -> Response {
    let mut r = V1Error(Error::new(crate::api::kind_of(status), message)).into_response();
    *r.status_mut() = status;
    r
}

impl Ctx {
    /// The caller, when authenticated and holding `scope` (401 / 403 otherwise). The
    /// route table enforces the same scope before the handler runs; this keeps the
    /// handlers safe if one is ever mounted elsewhere.
    fn v1_caller(&self, scope: Scope) -> V1Result<&Caller> {
        let caller = self.caller.as_ref().ok_or_else(|| {
            V1Error(Error::new(
                Kind::Unauthenticated,
                "Authentication is required: send Authorization: Bearer <token>.",
            ))
        })?;
        caller.grants.check(Access::Scope(scope))?;
        Ok(caller)
    }

    pub fn v1_reader(&self) -> V1Result<&Caller> {
        self.v1_caller(READ_SCOPE)
    }

    pub fn v1_writer(&self) -> V1Result<&Caller> {
        self.v1_caller(WRITE_SCOPE)
    }
}

/// `Json` whose rejections are v1 error bodies.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = V1Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = crate::api::body_bytes(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(V1Error(Error::bad_request(
                "The request body is empty; a JSON object is expected.",
            )));
        }
        serde_json::from_slice(&bytes).map(Json).map_err(|e| {
            V1Error(Error::bad_request(format!(
                "The request body is not valid JSON for this operation: {e}"
            )))
        })
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// The query string as name/value pairs, so that repeatable filters keep every value.
pub struct Params(Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = V1Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Params(crate::api::query::pairs(parts.uri.query())))
    }
}

impl Params {
    /// The value of a single-valued parameter (the last one when repeated); empty
    /// values count as absent.
    pub fn one(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a list parameter, repeated or comma-separated.
    pub fn all(&self, name: &str) -> Vec<String> {
        crate::api::query::split(
            self.0
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.as_str()),
        )
    }

    pub fn bool(&self, name: &str) -> V1Result<Option<bool>> {
        match self.one(name).map(str::to_ascii_lowercase).as_deref() {
            None => Ok(None),
            Some("true" | "1") => Ok(Some(true)),
            Some("false" | "0") => Ok(Some(false)),
            Some(other) => Err(V1Error(Error::field(
                name,
                format!("'{other}' is not a boolean for '{name}'; use true or false."),
            ))),
        }
    }

    /// An RFC 3339 date-time (`2025-02-24T15:04:05Z`).
    pub fn datetime(&self, name: &str) -> V1Result<Option<Millis>> {
        match self.one(name) {
            None => Ok(None),
            Some(raw) => time::OffsetDateTime::parse(
                raw,
                &time::format_description::well_known::Rfc3339,
            )
            .map(|dt| Some(Millis((dt.unix_timestamp_nanos() / 1_000_000) as i64)))
            .map_err(|_| {
                V1Error(Error::field(
                    name,
                    format!(
                        "'{raw}' is not an RFC 3339 date-time for '{name}' (e.g. 2025-02-24T15:04:05Z)."
                    ),
                ))
            }),
        }
    }
}

/// Page size when the client gives none.
pub const DEFAULT_PAGE_SIZE: usize = 100;
/// The largest page a client may ask for.
pub const MAX_PAGE_SIZE: usize = 1000;

/// `pagination` of every list response.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    pub page_size: usize,
    pub cursor: String,
    pub next_cursor: String,
    pub has_more: bool,
    pub returned_count: usize,
    pub total_count: usize,
}

/// A list response: `results` and `pagination`.
#[derive(Serialize)]
pub struct Paged<T> {
    pub results: Vec<T>,
    pub pagination: Pagination,
}

/// One page of a list, with the position of its first item in the whole list.
pub struct Page<T> {
    pub items: Vec<T>,
    pub offset: usize,
    pub pagination: Pagination,
}

/// Keyset pagination. `items` is the whole (filtered) list in its order and `key` gives
/// each item a position that is strictly increasing along the list (or strictly
/// decreasing, with `descending`). The cursor names the key of the last item returned,
/// so items inserted meanwhile — which sort after the end of an ascending list, or
/// before the start of a descending one — never shift a page: nothing is skipped or
/// repeated. `list` tags the cursor so one list's cursor is refused by another.
pub fn paginate<T>(
    items: Vec<T>,
    key: impl Fn(&T) -> Vec<i64>,
    descending: bool,
    list: &str,
    params: &Params,
) -> V1Result<Page<T>> {
    let page_size = match params.one("page_size") {
        None => DEFAULT_PAGE_SIZE,
        Some(raw) => raw
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_PAGE_SIZE).contains(n))
            .ok_or_else(|| {
                V1Error(Error::field(
                    "page_size",
                    format!(
                        "page_size must be a whole number from 1 to {MAX_PAGE_SIZE}; got '{raw}'."
                    ),
                ))
            })?,
    };
    let cursor = params.one("cursor").unwrap_or_default().to_string();
    let total = items.len();
    let start = if cursor.is_empty() {
        0
    } else {
        let after = decode_cursor(&cursor, list)?;
        items
            .iter()
            .position(|item| {
                let k = key(item);
                if descending { k < after } else { k > after }
            })
            .unwrap_or(total)
    };
    let end = (start + page_size).min(total);
    let has_more = end < total;
    let mut items = items;
    items.truncate(end);
    let page: Vec<T> = items.drain(start..).collect();
    let next_cursor = match (has_more, page.last()) {
        (true, Some(last)) => encode_cursor(list, &key(last)),
        _ => String::new(),
    };
    Ok(Page {
        pagination: Pagination {
            page_size,
            cursor,
            next_cursor,
            has_more,
            returned_count: page.len(),
            total_count: total,
        },
        offset: start,
        items: page,
    })
}

fn encode_cursor(list: &str, key: &[i64]) -> String {
    let parts: Vec<String> = key.iter().map(i64::to_string).collect();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{list}:{}", parts.join(".")))
}

fn decode_cursor(cursor: &str, list: &str) -> V1Result<Vec<i64>> {
    let invalid = || {
        V1Error(Error::field(
            "cursor",
            "The cursor is not valid for this list; use a nextCursor from a previous page.",
        ))
    };
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let (tag, rest) = text.split_once(':').ok_or_else(invalid)?;
    if tag != list {
        return Err(invalid());
    }
    rest.split('.')
        .map(|p| p.parse::<i64>().map_err(|_| invalid()))
        .collect()
}

/// `2025-02-24T15:04:05Z`
pub fn utc(m: Millis) -> String {
    let mut s = m.to_rfc3339_utc();
    // Drop the milliseconds: `…:05.123Z` → `…:05Z`, as the reference shows times.
    if let Some(dot) = s.rfind('.') {
        s.replace_range(dot..s.len() - 1, "");
    }
    s
}

/// A prefixed id (`att_10001`) for a numeric one.
pub fn prefixed(prefix: &str, id: impl std::fmt::Display) -> String {
    format!("{prefix}_{id}")
}

/// The number in a prefixed id; the bare number is accepted too. 404 otherwise, as for
/// an id that does not exist.
pub fn parse_prefixed(raw: &str, prefix: &str, what: &str) -> V1Result<i64> {
    raw.strip_prefix(prefix)
        .and_then(|r| r.strip_prefix('_'))
        .unwrap_or(raw)
        .parse::<i64>()
        .map_err(|_| {
            V1Error(Error::not_found(format!(
                "No {what} '{raw}' exists on this issue."
            )))
        })
}

/// The account id in a `usr_…` id (or a bare account id).
pub fn account_of(raw: &str) -> String {
    raw.strip_prefix("usr_").unwrap_or(raw).to_string()
}

/// The issue named in the path: its key (`PLAT-142`) or its v1 id (`issue_10001`).
pub fn issue_ref(raw: &str) -> crate::domain::IssueRef {
    match raw.strip_prefix("issue_").map(str::parse::<i64>) {
        Some(Ok(id)) => crate::domain::IssueRef::Id(id),
        _ => crate::domain::IssueRef::parse(raw),
    }
}
