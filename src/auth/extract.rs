//! What a request's headers say about its caller: the credentials it carries (Basic,
//! Bearer, OAuth or the session cookie) and whether a cookie-authenticated write passes
//! Jira's cross-site rule. Pure header reading; the middleware that acts on it is
//! `api/auth.rs`.

use axum::http::{HeaderMap, Method, header};
use base64::Engine;

use super::{Credentials, SESSION_COOKIE};

/// The value of the session cookie, if the request has one.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.to_string())
}

/// The credentials a request carries, and whether they came from the session cookie;
/// `Err` when the `Authorization` header is malformed.
#[allow(clippy::result_unit_err)]
pub fn credentials(headers: &HeaderMap) -> Result<Option<(Credentials, bool)>, ()> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
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
    Ok(session_cookie(headers).map(|c| (Credentials::Session(c), true)))
}

/// Jira's rule for cookie-authenticated writes: a request a browser could forge across
/// sites (a form post: not JSON, no custom header) is refused unless it carries
/// `X-Atlassian-Token: no-check`; and a request whose `Origin` names another site is
/// refused whatever it carries.
pub fn csrf_safe(method: &Method, headers: &HeaderMap) -> bool {
    if method == Method::GET || method == Method::HEAD || method == Method::OPTIONS {
        return true;
    }
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
    let bodiless = headers.get(header::CONTENT_TYPE).is_none() && method == Method::DELETE;
    no_check || json || bodiless
}
