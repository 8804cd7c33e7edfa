//! The caller's own settings: `mypreferences` (string values by key), the locale, and
//! the seed's `userProperties` resource (served at its path with the double slash and
//! without it), which keeps the caller's user properties in the same store as
//! `user/properties`.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{JiraError, JiraResult, Json, Query, no_content};
use crate::api::Ctx;
use crate::api::routes::{READ_USER, Routes, WRITE_WORK};
use crate::error::Error;
use crate::service::properties::PropertyOwner;

pub fn routes() -> Routes {
    let mut r = Routes::new()
        .get("/mypreferences", READ_USER, get_preference)
        .put("/mypreferences", WRITE_WORK, set_preference)
        .delete("/mypreferences", WRITE_WORK, remove_preference)
        .get("/mypreferences/locale", READ_USER, get_locale)
        .put("/mypreferences/locale", WRITE_WORK, set_locale)
        .delete("/mypreferences/locale", WRITE_WORK, delete_locale);
    // The seed's path has a double slash; clients copying it should reach the same place.
    for path in ["//userProperties", "/userProperties"] {
        r = r
            .get(path, READ_USER, get_property_of_caller)
            .post(path, WRITE_WORK, set_property_of_caller)
            .delete(path, WRITE_WORK, delete_property_of_caller);
    }
    r
}

#[derive(Deserialize)]
struct KeyQuery {
    key: Option<String>,
}

fn required_key(q: KeyQuery) -> JiraResult<String> {
    q.key
        .filter(|k| !k.is_empty())
        .ok_or_else(|| JiraError(Error::not_found("The key query parameter is required.")))
}

/// # `GET /rest/api/2/mypreferences` (getPreference)
async fn get_preference(ctx: Ctx, Query(q): Query<KeyQuery>) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let value = ctx
        .app
        .directory
        .preference(caller, &required_key(q)?)
        .await?;
    // "The value is returned exactly as it is."
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], value).into_response())
}

/// # `PUT /rest/api/2/mypreferences` (setPreference)
async fn set_preference(ctx: Ctx, Query(q): Query<KeyQuery>, body: String) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let key = required_key(q)?;
    // A JSON string body is its text; any other body is taken as it is.
    let value = match serde_json::from_str::<Value>(&body) {
        Ok(Value::String(s)) => s,
        _ => body,
    };
    if value.is_empty() {
        return Err(JiraError(Error::not_found(
            "The preference value is required.",
        )));
    }
    ctx.app
        .directory
        .set_preference(caller, &key, value)
        .await?;
    Ok(no_content())
}

/// # `DELETE /rest/api/2/mypreferences` (removePreference)
async fn remove_preference(ctx: Ctx, Query(q): Query<KeyQuery>) -> JiraResult<Response> {
    let caller = ctx.user()?;
    ctx.app
        .directory
        .delete_preference(caller, &required_key(q)?)
        .await?;
    Ok(no_content())
}

/// # `GET /rest/api/2/mypreferences/locale` (getLocale)
async fn get_locale(ctx: Ctx) -> JiraResult<Json<Value>> {
    // Anonymous callers get the default locale.
    let locale = ctx
        .caller
        .as_ref()
        .map(|c| c.user.locale.clone())
        .unwrap_or_else(|| crate::service::directory::DEFAULT_LOCALE.to_string());
    Ok(Json(json!({"locale": locale})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LocaleBody {
    locale: Option<String>,
}

/// # `PUT /rest/api/2/mypreferences/locale` (setLocale)
async fn set_locale(ctx: Ctx, Json(body): Json<LocaleBody>) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let locale = body.locale.ok_or_else(|| {
        JiraError(Error::field(
            "locale",
            "The locale is required, like {\"locale\":\"en_US\"}.",
        ))
    })?;
    ctx.app.directory.set_locale(caller, Some(&locale)).await?;
    Ok(no_content())
}

/// # `DELETE /rest/api/2/mypreferences/locale` (deleteLocale)
async fn delete_locale(ctx: Ctx) -> JiraResult<Response> {
    let caller = ctx.user()?;
    ctx.app.directory.set_locale(caller, None).await?;
    Ok(no_content())
}

/// # `GET /rest/api/2//userProperties` (getProperty)
async fn get_property_of_caller(ctx: Ctx, Query(q): Query<KeyQuery>) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let key = required_key(q)?;
    let value = ctx
        .app
        .properties
        .property(caller, PropertyOwner::User(None), &key)
        .await?;
    Ok(Json(json!({"key": key, "value": value})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PropertyBody {
    key: Option<String>,
    value: Option<Value>,
    #[serde(default)]
    status: Option<String>,
}

/// # `POST /rest/api/2//userProperties` (setProperty)
async fn set_property_of_caller(ctx: Ctx, Json(body): Json<PropertyBody>) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let _ = body.status;
    let key = body
        .key
        .filter(|k| !k.is_empty())
        .ok_or_else(|| JiraError(Error::field("key", "The property key is required.")))?;
    let value = body
        .value
        .ok_or_else(|| JiraError(Error::field("value", "The property value is required.")))?;
    let outcome = ctx
        .app
        .properties
        .set_property(caller, PropertyOwner::User(None), &key, value.clone())
        .await?;
    let status = match outcome {
        crate::service::properties::SetOutcome::Created => StatusCode::CREATED,
        crate::service::properties::SetOutcome::Updated => StatusCode::OK,
    };
    Ok((status, axum::Json(json!({"key": key, "value": value}))).into_response())
}

/// # `DELETE /rest/api/2//userProperties` (deleteProperty)
async fn delete_property_of_caller(ctx: Ctx, Query(q): Query<KeyQuery>) -> JiraResult<Response> {
    let caller = ctx.user()?;
    ctx.app
        .properties
        .delete_property(caller, PropertyOwner::User(None), &required_key(q)?)
        .await?;
    Ok(no_content())
}
