//! The authentication layer shared by every surface: turns `Authorization` headers
//! (Basic, Bearer, OAuth) or the session cookie into an [`Authenticated`] extension.
//! Invalid credentials are refused here with 401; missing ones leave the caller anonymous
//! and each handler decides whether that is enough.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::{AppState, Authenticated};
use crate::auth::AuthError;
use crate::auth::extract::{credentials, csrf_safe};

/// Where the caller came from, for the CSRF rule on cookie-authenticated writes.
#[derive(Clone, Copy)]
pub struct ViaCookie(pub bool);

pub async fn authenticate(
    State(app): State<AppState>,
    mut req: Request<Body>,
    next: Next,
) -> Response {
    let client = crate::net::client_addr::client_of(req.extensions());
    let (caller, via_cookie) = match credentials(req.headers()) {
        Err(()) => return unauthorized(&req, "The Authorization header is malformed."),
        Ok(None) => (None, false),
        Ok(Some((creds, via_cookie))) => match app.auth.authenticate_from(creds, client).await {
            Ok(mut c) => {
                c.client = Some(client.0);
                (Some(c), via_cookie)
            }
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
    if via_cookie && caller.is_some() && !csrf_safe(req.method(), req.headers()) {
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
