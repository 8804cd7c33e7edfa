//! The authentication layer shared by every surface: turns `Authorization` headers
//! (Basic, Bearer, OAuth) or the session cookie into an [`Authenticated`] extension.
//! Invalid credentials are refused here with 401; missing ones leave the caller anonymous
//! and each handler decides whether that is enough.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;

use super::{AppState, Authenticated};
use crate::service::auth::{AuthError, Credentials, SESSION_COOKIE};

pub fn session_cookie(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.to_string())
}

fn credentials(req: &Request<Body>) -> Result<Option<(Credentials, bool)>, ()> {
    if let Some(value) = req.headers().get(header::AUTHORIZATION) {
        let value = value.to_str().map_err(|_| ())?;
        let (scheme, rest) = value.split_once(' ').ok_or(())?;
        let rest = rest.trim();
        return match scheme.to_ascii_lowercase().as_str() {
            "basic" => {
                let decoded = base64::engine::general_purpose::STANDARD
                    .decode(rest)
                    .map_err(|_| ())?;
                let text = String::from_utf8(decoded).map_err(|_| ())?;
                let (login, secret) = text.split_once(':').ok_or(())?;
                Ok(Some((
                    Credentials::Basic {
                        login: login.to_string(),
                        secret: secret.to_string(),
                    },
                    false,
                )))
            }
            "bearer" | "oauth" => Ok(Some((Credentials::Token(rest.to_string()), false))),
            _ => Err(()),
        };
    }
    Ok(session_cookie(req.headers()).map(|c| (Credentials::Session(c), true)))
}

/// Where the caller came from, for the CSRF rule on cookie-authenticated writes.
#[derive(Clone, Copy)]
pub struct ViaCookie(pub bool);

pub async fn authenticate(
    State(app): State<AppState>,
    mut req: Request<Body>,
    next: Next,
) -> Response {
    let (caller, via_cookie) = match credentials(&req) {
        Err(()) => return unauthorized(&req, "The Authorization header is malformed."),
        Ok(None) => (None, false),
        Ok(Some((creds, via_cookie))) => match app
            .auth
            .authenticate_from(creds, crate::net::client_addr::client_of(req.extensions()))
            .await
        {
            Ok(c) => (Some(c), via_cookie),
            // A stale session cookie is not an error: the request is simply anonymous.
            Err(_) if via_cookie => (None, false),
            Err(e @ AuthError::Throttled { .. }) => return too_many(req.uri().path(), &e),
            Err(_) => {
                return unauthorized(
                    &req,
                    "Client must be authenticated to access this resource.",
                );
            }
        },
    };
    if via_cookie && caller.is_some() && !csrf_safe(&req) {
        let mut r =
            super::error_response(req.uri().path(), StatusCode::FORBIDDEN, "XSRF check failed");
        r.headers_mut()
            .insert("x-atlassian-token", HeaderValue::from_static("no-check"));
        return r;
    }
    let username = caller.as_ref().map(|c| c.user.username.clone());
    let user_id = caller.as_ref().map(|c| c.user.id);
    req.extensions_mut().insert(Authenticated(caller));
    req.extensions_mut().insert(ViaCookie(via_cookie));
    let mut response = next.run(req).await;
    if let Some(id) = user_id {
        response
            .extensions_mut()
            .insert(crate::request_layers::LoggedUser(id));
    }
    let name = username.unwrap_or_else(|| "anonymous".into());
    if let Ok(v) = HeaderValue::from_str(&name) {
        response.headers_mut().insert("x-ausername", v);
    }
    response
}

/// Jira's rule for cookie-authenticated writes: a request a browser could forge across
/// sites (a form post: not JSON, no custom header) is refused unless it carries
/// `X-Atlassian-Token: no-check`; and a request whose `Origin` names another site is
/// refused whatever it carries.
fn csrf_safe(req: &Request<Body>) -> bool {
    let method = req.method();
    if method == axum::http::Method::GET
        || method == axum::http::Method::HEAD
        || method == axum::http::Method::OPTIONS
    {
        return true;
    }
    let headers = req.headers();
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or_default();
        let origin_host = origin.split("://").nth(1).unwrap_or(origin);
        if origin != "null" && !origin_host.eq_ignore_ascii_case(host) {
            return false;
        }
    }
    let no_check = headers
        .get("x-atlassian-token")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("no-check") || v.eq_ignore_ascii_case("nocheck"));
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/json")
        });
    let bodiless =
        headers.get(header::CONTENT_TYPE).is_none() && method == axum::http::Method::DELETE;
    no_check || json || bodiless
}

fn unauthorized(req: &Request<Body>, message: &str) -> Response {
    let mut r = super::error_response(req.uri().path(), StatusCode::UNAUTHORIZED, message);
    r.headers_mut().insert(
        "x-seraph-loginreason",
        HeaderValue::from_static("AUTHENTICATED_FAILED"),
    );
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Basic realm=\"tessera\""),
    );
    r
}

/// 429 with `Retry-After`, as the issue asks; the Seraph headers stay so Jira clients
/// still recognise a refused login.
pub(crate) fn too_many(path: &str, e: &AuthError) -> Response {
    let mut r = super::error_response(
        path,
        StatusCode::TOO_MANY_REQUESTS,
        "Too many failed login attempts from this client. Try again later.",
    );
    if let Some(secs) = e.retry_after_secs() {
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    r.headers_mut().insert(
        "x-seraph-loginreason",
        HeaderValue::from_static("AUTHENTICATION_DENIED"),
    );
    r.headers_mut().insert(
        "x-authentication-denied-reason",
        HeaderValue::from_static("CAPTCHA_CHALLENGE"),
    );
    r.into_response()
}
