//! The cookie session resource, `/rest/auth/1/session`: login, current user, logout.

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::{JiraError, JiraResult, Json, no_content};
use crate::api::Ctx;
use crate::api::routes::{FULL_ACCESS, Routes};
use crate::auth::{AuthError, SESSION_COOKIE};
use crate::error::Error;

pub fn routes() -> Routes {
    Routes::new()
        .get("/rest/auth/1/session", FULL_ACCESS, current_user)
        .post("/rest/auth/1/session", FULL_ACCESS, login)
        .delete("/rest/auth/1/session", FULL_ACCESS, logout)
}

#[derive(Deserialize)]
struct Credentials {
    username: Option<String>,
    password: Option<String>,
}

fn cookie(ctx: &Ctx, value: &str, max_age: i64) -> HeaderValue {
    let secure = if ctx.base.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// # `POST /rest/auth/1/session` (login)
async fn login(
    ctx: Ctx,
    client: crate::net::ClientIp,
    Json(body): Json<Credentials>,
) -> JiraResult<Response> {
    let (Some(username), Some(password)) = (body.username, body.password) else {
        return Err(JiraError(Error::bad_request(
            "Both username and password are required.",
        )));
    };
    let (value, caller) = match ctx.app.auth.login_from(&username, &password, client).await {
        Ok(x) => x,
        Err(e @ AuthError::Throttled { .. }) => {
            return Ok(crate::api::auth::too_many("/rest/auth/1/session", &e));
        }
        Err(AuthError::Denied(_)) => {
            return Err(JiraError(Error::new(
                crate::error::Kind::Unauthenticated,
                "Login failed",
            )));
        }
    };
    let now = ctx.app.now().to_jira();
    let body = json!({
        "session": {"name": SESSION_COOKIE, "value": value},
        "loginInfo": {"failedLoginCount": 0, "loginCount": 1, "lastFailedLoginTime": null, "previousLoginTime": now},
    });
    let max_age = ctx.app.config.session_hours as i64 * 3600;
    let mut response = axum::Json(body).into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, cookie(&ctx, &value, max_age));
    let _ = caller;
    Ok(response)
}

/// # `GET /rest/auth/1/session` (currentUser)
async fn current_user(ctx: Ctx) -> JiraResult<Json<serde_json::Value>> {
    let c = ctx.user()?;
    Ok(Json(json!({
        "self": format!("{}/rest/api/2/user?username={}", ctx.base, c.user.username),
        "name": c.user.username,
        "loginInfo": {"failedLoginCount": 0, "loginCount": 1},
    })))
}

/// # `DELETE /rest/auth/1/session` (logout)
async fn logout(ctx: Ctx, headers: HeaderMap) -> JiraResult<Response> {
    ctx.user()?;
    let Some(value) = crate::auth::extract::session_cookie(&headers) else {
        return Err(JiraError(Error::new(
            crate::error::Kind::Unauthenticated,
            "You are not logged in with a session.",
        )));
    };
    ctx.app.auth.logout(&value).await?;
    let mut response = no_content();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, cookie(&ctx, "", 0));
    Ok(response)
}
