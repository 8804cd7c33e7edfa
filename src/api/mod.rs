//! API surfaces. Each translates its wire format to calls on [`crate::service::App`].

pub mod auth;
pub mod jira;
pub mod web;

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::service::{App, Caller};

pub type AppState = Arc<App>;

/// The caller resolved by the authentication layer (`None`: anonymous).
#[derive(Clone, Default)]
pub struct Authenticated(pub Option<Caller>);

/// What every handler needs: the app, the base URL for `self` links, and the caller.
pub struct Ctx {
    pub app: Arc<App>,
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

/// `--base-url` when configured, otherwise the scheme and Host of the request.
pub fn base_url(parts: &Parts, app: &App) -> String {
    if let Some(base) = &app.config.base_url {
        return base.trim_end_matches('/').to_string();
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
