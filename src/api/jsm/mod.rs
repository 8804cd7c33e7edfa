//! Jira Service Management's REST API (`/rest/servicedeskapi`): service desks, request
//! types, customer requests and what happens on them, customers, organizations and
//! queues, over `app.servicedesk`.
//!
//! Wire rules: ids are strings of digits; lists are JSM's paged envelope
//! `{size, start, limit, isLastPage, values, _links: {base, context, next, prev}}`
//! (`start`/`limit` parameters); dates are `{iso8601, jira, friendly, epochMillis}`;
//! users carry `accountId`, `emailAddress`, `displayName`, `active`, `timeZone` and
//! `_links`; every error is `{"errorMessage", "i18nErrorMessage": {"i18nKey",
//! "parameters"}}`. Tokens with scopes need `read:servicedesk-request` to read and
//! `write:servicedesk-request` to change.

mod approvals;
mod desks;
mod feedback;
mod files;
mod people;
mod properties;
mod render;
mod requests;

use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use super::Ctx;
use super::routes::Routes;
use crate::auth::scopes::{Access, Scope};
use crate::error::{Error, Kind};
use crate::service::Caller;

/// `read:servicedesk-request`.
pub const READ: Access = Access::Scope(Scope::ReadServicedeskRequest);
/// `write:servicedesk-request`.
pub const WRITE: Access = Access::Scope(Scope::WriteServicedeskRequest);

pub fn routes() -> Routes {
    Routes::new()
        .merge(approvals::routes())
        .merge(desks::routes())
        .merge(feedback::routes())
        .merge(files::routes())
        .merge(people::routes())
        .merge(properties::routes())
        .merge(requests::routes())
}

/// A service error in JSM's shape.
#[derive(Debug)]
pub struct JsmError(pub Error);

pub type JsmResult<T> = Result<T, JsmError>;

impl From<Error> for JsmError {
    fn from(e: Error) -> Self {
        JsmError(e)
    }
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct I18n {
    i18n_key: &'static str,
    parameters: Vec<String>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct ErrorBody {
    error_message: String,
    i18n_error_message: I18n,
}

fn i18n_key(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "sd.error.bad.request",
        401 => "sd.error.unauthorized",
        403 => "sd.error.forbidden",
        404 => "sd.error.not.found",
        409 => "sd.error.conflict",
        413 => "sd.error.too.large",
        429 => "sd.error.too.many.requests",
        _ => "sd.error.internal",
    }
}

/// JSM's `ErrorResponse`, also for the layers that answer before a handler.
pub fn error_response(status: StatusCode, message: &str) -> Response {
    let body = ErrorBody {
        error_message: message.to_string(),
        i18n_error_message: I18n {
            i18n_key: i18n_key(status),
            parameters: Vec::new(),
        },
    };
    (status, axum::Json(body)).into_response()
}

impl IntoResponse for JsmError {
    fn into_response(self) -> Response {
        let status = super::status_of(&self.0.kind);
        // One message: the general ones, then each field's as "field: message".
        let mut parts = self.0.messages;
        parts.extend(self.0.fields.into_iter().map(|(k, v)| format!("{k}: {v}")));
        error_response(status, &parts.join(" "))
    }
}

/// The caller, or 401 for anonymous requests (JSM has no anonymous access).
pub fn caller(ctx: &Ctx) -> JsmResult<&Caller> {
    ctx.caller.as_ref().ok_or_else(|| {
        JsmError(Error::new(
            Kind::Unauthenticated,
            "You are not logged in: send credentials to use the service desk API.",
        ))
    })
}

/// `Json` whose rejections are JSM error bodies.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = JsmError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = crate::api::body_bytes(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(JsmError(Error::bad_request("The request body is empty.")));
        }
        serde_json::from_slice(&bytes)
            .map(Json)
            .map_err(|e| JsmError(Error::bad_request(format!("The JSON body is invalid: {e}"))))
    }
}

/// The query string as (name, value) pairs, percent-decoded, repeated names kept (JSM
/// takes `requestOwnership=A&requestOwnership=B`).
pub struct Params(pub Vec<(String, String)>);

impl Params {
    pub fn parse(raw: Option<&str>) -> Params {
        Params(
            raw.unwrap_or_default()
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    (decode(k), decode(v))
                })
                .collect(),
        )
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `name`, comma-separated ones split.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .flat_map(|(_, v)| v.split(','))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    }

    pub fn flag(&self, name: &str) -> JsmResult<Option<bool>> {
        match self.get(name).map(str::to_ascii_lowercase).as_deref() {
            None | Some("") => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(other) => Err(JsmError(Error::bad_request(format!(
                "'{other}' is not a valid value for {name}: use true or false."
            )))),
        }
    }

    pub fn number(&self, name: &str) -> JsmResult<Option<i64>> {
        match self.get(name) {
            None | Some("") => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| {
                JsmError(Error::bad_request(format!(
                    "'{v}' is not a valid number for {name}."
                )))
            }),
        }
    }

    /// `start` and `limit` (default 50, at most 100).
    pub fn paging(&self) -> JsmResult<(i64, i64)> {
        let start = self.number("start")?.unwrap_or(0);
        let limit = self.number("limit")?.unwrap_or(50);
        if start < 0 || limit < 0 {
            return Err(JsmError(Error::bad_request(
                "start and limit must be non-negative numbers.",
            )));
        }
        Ok((start, limit.clamp(1, 100)))
    }
}

fn decode(s: &str) -> String {
    fn hex(b: u8) -> Option<u8> {
        (b as char).to_digit(16).map(|d| d as u8)
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let pair = (b == b'%')
            .then(|| Some((hex(*bytes.get(i + 1)?)?, hex(*bytes.get(i + 2)?)?)))
            .flatten();
        match (b, pair) {
            (_, Some((hi, lo))) => {
                out.push(hi * 16 + lo);
                i += 2;
            }
            (b'+', _) => out.push(b' '),
            (b, _) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// 204 No Content.
pub fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}
