//! Personal access tokens, as Jira Data Center serves them (`/rest/pat/latest/tokens`).
//! Every operation acts on the caller's own tokens; the secret (`rawToken`) is in the
//! creation answer only and is never stored (SHA-256 digests only).
//!
//! | method | path | operation |
//! |---|---|---|
//! | GET, POST | `/rest/pat/latest/tokens` | getTokens, createToken |
//! | DELETE | `/rest/pat/latest/tokens/{id}` | revokeToken |
//! | GET | `/rest/pat/latest/scopes` | (Tessera) the scopes a token may carry |
//!
//! Credentials are managed with full access only: a token with scopes is refused here
//! (see [`crate::auth::scopes`]).

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::{JiraError, JiraResult, Json, no_content, path_id};
use crate::api::Ctx;
use crate::api::routes::{ANY, FULL_ACCESS, Routes};
use crate::domain::*;
use crate::error::Error;

/// The longest lifetime a token may be given, in days (Jira's limit is a year).
const MAX_DAYS: i64 = 365;

pub fn routes() -> Routes {
    Routes::new()
        .get("/rest/pat/latest/tokens", FULL_ACCESS, get_tokens)
        .post("/rest/pat/latest/tokens", FULL_ACCESS, create_token)
        .delete("/rest/pat/latest/tokens/{id}", FULL_ACCESS, revoke_token)
        .get("/rest/pat/latest/scopes", ANY, get_token_scopes)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TokenBean {
    id: i64,
    name: String,
    created_at: String,
    expiring_at: Option<String>,
    last_accessed_at: Option<String>,
    scopes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    raw_token: Option<String>,
}

fn bean(t: &ApiToken, raw: Option<String>) -> TokenBean {
    TokenBean {
        id: t.id,
        name: t.label.clone(),
        created_at: t.created.to_jira(),
        expiring_at: t.expires.map(Millis::to_jira),
        last_accessed_at: t.last_used.map(Millis::to_jira),
        scopes: t.scopes.clone(),
        raw_token: raw,
    }
}

/// A token restricted by scopes must not mint or revoke credentials: only a password,
/// a session or an unrestricted token may.
fn owner(ctx: &Ctx) -> JiraResult<&crate::service::Caller> {
    let c = ctx.user()?;
    if !c.grants.is_full() {
        return Err(JiraError(Error::forbidden(
            "A token with scopes cannot manage personal access tokens.",
        )));
    }
    Ok(c)
}

/// # `GET /rest/pat/latest/tokens` (getTokens)
async fn get_tokens(ctx: Ctx) -> JiraResult<Json<Vec<TokenBean>>> {
    let c = owner(&ctx)?;
    let tokens = ctx.app.auth.tokens_of(c.user.id).await?;
    Ok(Json(tokens.iter().map(|t| bean(t, None)).collect()))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateToken {
    name: Option<String>,
    /// Days until the token expires; absent or null: it never expires.
    expiration_duration: Option<i64>,
    #[serde(default)]
    scopes: Vec<String>,
}

/// # `POST /rest/pat/latest/tokens` (createToken)
async fn create_token(ctx: Ctx, Json(body): Json<CreateToken>) -> JiraResult<Response> {
    let c = owner(&ctx)?;
    let name = body.name.unwrap_or_default();
    if name.trim().is_empty() || name.trim().len() > 255 {
        return Err(JiraError(Error::field(
            "name",
            "A token needs a name of 1 to 255 characters.",
        )));
    }
    let expires = match body.expiration_duration {
        None => None,
        Some(d) if (1..=MAX_DAYS).contains(&d) => {
            Some(Millis(ctx.app.now().0 + d * 24 * 3_600_000))
        }
        Some(_) => {
            return Err(JiraError(Error::field(
                "expirationDuration",
                format!("The expiration must be between 1 and {MAX_DAYS} days."),
            )));
        }
    };
    let (raw, token) = ctx
        .app
        .auth
        .create_token_expiring(Some(c), c.user.id, &name, body.scopes, expires)
        .await?;
    Ok((StatusCode::CREATED, Json(bean(&token, Some(raw)))).into_response())
}

/// # `DELETE /rest/pat/latest/tokens/{id}` (revokeToken)
///
/// Someone else's token answers 404, like one that does not exist.
async fn revoke_token(ctx: Ctx, Path(id): Path<String>) -> JiraResult<Response> {
    let c = owner(&ctx)?;
    let id = path_id(&id, "token")?;
    ctx.app.auth.revoke_token(Some(c), c.user.id, id).await?;
    Ok(no_content())
}

#[derive(Serialize)]
struct ScopeBean {
    name: &'static str,
    description: &'static str,
}

/// # `GET /rest/pat/latest/scopes` (getTokenScopes)
///
/// Every scope a token may be created with and what it allows, so that clients (the web
/// UI's account page) offer exactly the server's list.
async fn get_token_scopes() -> Json<Vec<ScopeBean>> {
    Json(
        crate::auth::scopes::Scope::ALL
            .iter()
            .map(|s| ScopeBean {
                name: s.name(),
                description: s.description(),
            })
            .collect(),
    )
}
