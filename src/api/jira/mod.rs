//! The Jira platform REST API v2 (`/rest/api/2`, alias `/rest/api/latest`) and the
//! session resource (`/rest/auth/1/session`).
//!
//! Wire rules: ids are strings of digits, every resource has a `self` URL, and every
//! error — including bad JSON, bad query strings and unknown routes — is Jira's
//! `{"errorMessages": [...], "errors": {...}}` with the reference's status code.

mod attachment;
mod audit;
mod avatar;
mod comment;
mod component;
mod createmeta;
pub mod dto;
mod field;
mod filter;
mod group;
mod issue;
pub mod issue_input;
mod issue_link;
mod meta;
mod notification;
mod pat;
mod permission;
mod preferences;
mod project;
mod properties;
mod reindex;
mod remote_link;
pub mod render;
mod role;
mod search;
mod security;
mod server_info;
mod session;
mod settings;
mod user;
mod user_admin;
mod version;
mod version_link;
mod watchers;
mod worklog;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{StatusCode, request::Parts};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use super::Ctx;
use super::routes::Routes;
use crate::error::Error;
use crate::service::Caller;

pub use crate::api::query::List;

/// The v2 routes, mounted under each Jira API prefix.
pub fn api_routes() -> Routes {
    Routes::new()
        .merge(server_info::routes())
        .merge(user::routes())
        .merge(field::routes())
        .merge(filter::routes())
        .merge(project::routes())
        .merge(role::routes())
        .merge(permission::routes())
        .merge(meta::routes())
        .merge(issue::routes())
        .merge(createmeta::routes())
        .merge(comment::routes())
        .merge(component::routes())
        .merge(version::routes())
        .merge(version_link::routes())
        .merge(issue_link::routes())
        .merge(watchers::routes())
        .merge(attachment::routes())
        .merge(worklog::routes())
        .merge(remote_link::routes())
        .merge(properties::routes())
        .merge(search::routes())
        .merge(reindex::routes())
        .merge(audit::routes())
        .merge(notification::routes())
        .merge(security::routes())
        .merge(settings::routes())
        .merge(avatar::routes())
        .fallback(unknown_route)
}

/// The v3 operations clients use today: the enhanced search, the approximate count and
/// JQL parsing. (Issue bodies in v3 use ADF, which is not served yet.)
fn v3_routes() -> Routes {
    search::v3_routes().fallback(unknown_route)
}

pub fn routes() -> Routes {
    let api = api_routes();
    Routes::new()
        .nest("/rest/api/2", api.clone())
        .nest("/rest/api/latest", api)
        .nest("/rest/api/3", v3_routes())
        .merge(session::routes())
        .merge(attachment::secure_routes())
        .merge(pat::routes())
        .merge(avatar::top_routes())
}

async fn unknown_route(req: Request) -> Response {
    // Nested routers see the path without their prefix; report the one the client sent.
    let path = req
        .extensions()
        .get::<axum::extract::OriginalUri>()
        .map(|u| u.path().to_string())
        .unwrap_or_else(|| req.uri().path().to_string());
    error_response(
        &path,
        StatusCode::NOT_FOUND,
        &format!(
            "No Tessera resource answers {} {path}; this operation is not supported.",
            req.method()
        ),
    )
}

/// Jira's ErrorCollection wire shape.
#[derive(serde::Serialize)]
pub struct ErrorCollection {
    #[serde(rename = "errorMessages")]
    pub error_messages: Vec<String>,
    pub errors: std::collections::BTreeMap<String, String>,
}

pub fn error_response(_path: &str, status: StatusCode, message: &str) -> Response {
    JiraError(Error {
        kind: crate::api::kind_of(status),
        messages: vec![message.to_string()],
        fields: Default::default(),
    })
    .into_response_with(status)
}

/// A service error on the Jira surface.
#[derive(Debug)]
pub struct JiraError(pub Error);

pub type JiraResult<T> = Result<T, JiraError>;

impl From<Error> for JiraError {
    fn from(e: Error) -> Self {
        JiraError(e)
    }
}

impl JiraError {
    fn status(&self) -> StatusCode {
        crate::api::status_of(&self.0.kind)
    }

    fn into_response_with(self, status: StatusCode) -> Response {
        let body = ErrorCollection {
            error_messages: self.0.messages,
            errors: self.0.fields,
        };
        (status, axum::Json(body)).into_response()
    }
}

impl IntoResponse for JiraError {
    fn into_response(self) -> Response {
        let status = self.status();
        self.into_response_with(status)
    }
}

impl Ctx {
    /// The caller, or Jira's 401 for anonymous requests.
    pub fn user(&self) -> JiraResult<&Caller> {
        self.caller
            .as_ref()
            .ok_or_else(|| JiraError(Error::unauthenticated()))
    }
}

/// `Json` whose rejections are Jira error bodies.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = JiraError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = crate::api::body_bytes(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(JiraError(Error::bad_request(
                "No content to map to Object due to end of input",
            )));
        }
        serde_json::from_slice(&bytes)
            .map(Json)
            .map_err(|e| JiraError(Error::bad_request(json_error(&e))))
    }
}

fn json_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax | Category::Eof => format!(
            "Unexpected character in the JSON body (line {}, column {}): {e}",
            e.line(),
            e.column()
        ),
        _ => format!("Can not deserialize the JSON body: {e}"),
    }
}

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// `Query` whose rejections are Jira error bodies; list fields ([`List`]) take repeated
/// and comma-separated values alike (see [`crate::api::query`]).
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = JiraError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let pairs = crate::api::query::pairs(parts.uri.query());
        crate::api::query::from_pairs(&pairs)
            .map(Query)
            .map_err(|e| {
                JiraError(Error::bad_request(format!(
                    "Invalid query parameter: Failed to deserialize query string: {e}"
                )))
            })
    }
}

/// Parses a numeric path id, with Jira's 404 wording for anything else.
pub fn path_id(raw: &str, what: &str) -> JiraResult<i64> {
    raw.parse().map_err(|_| {
        JiraError(Error::not_found(format!(
            "The {what} with id '{raw}' does not exist."
        )))
    })
}

/// 204 No Content.
pub fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// Query-string booleans as Jira reads them: `true`/`false` in any case (python `jira`
/// sends `True`/`False`). Anything else is a 400.
pub fn lenient_bool<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    let raw: Option<String> = serde::Deserialize::deserialize(d)?;
    match raw.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("") => Ok(None),
        Some("true") => Ok(Some(true)),
        Some("false") => Ok(Some(false)),
        Some(other) => Err(serde::de::Error::custom(format!(
            "'{other}' is not a boolean; use true or false"
        ))),
    }
}
