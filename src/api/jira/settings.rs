//! Application properties and the general configuration: `application-properties`
//! (+ `advanced-settings`), `configuration`, the time tracking switch and
//! `settings/baseUrl`. Each property changes what the services do (see
//! `domain::settings`); these handlers only translate.

use axum::extract::Path;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{JiraError, JiraResult, Json, Query, no_content};
use crate::api::Ctx;
use crate::api::routes::{MANAGE_CONFIG, READ_WORK, Routes};
use crate::domain::settings;
use crate::error::Error;
use crate::service::settings::PropertyValue;

pub fn routes() -> Routes {
    Routes::new()
        .get(
            "/application-properties",
            MANAGE_CONFIG,
            get_application_property,
        )
        .get(
            "/application-properties/advanced-settings",
            MANAGE_CONFIG,
            get_advanced_settings,
        )
        .put(
            "/application-properties/{id}",
            MANAGE_CONFIG,
            set_application_property,
        )
        .get("/configuration", READ_WORK, get_configuration)
        .put(
            "/configuration/timetracking",
            MANAGE_CONFIG,
            select_time_tracking_implementation,
        )
        .delete(
            "/configuration/timetracking",
            MANAGE_CONFIG,
            disable_time_tracking,
        )
        .put("/settings/baseUrl", MANAGE_CONFIG, set_base_url)
}

/// Jira's application property bean.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PropertyBean {
    id: &'static str,
    key: &'static str,
    value: String,
    name: &'static str,
    desc: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    default_value: &'static str,
}

fn bean(p: PropertyValue) -> PropertyBean {
    PropertyBean {
        id: p.def.key,
        key: p.def.key,
        value: p.value,
        name: p.def.name,
        desc: p.def.desc,
        kind: p.def.kind.name(),
        default_value: p.def.default,
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PropertyQuery {
    key: Option<String>,
    /// Jira filters by who may edit; every property here is the administrators'.
    #[allow(dead_code)]
    permission_level: Option<String>,
    key_filter: Option<String>,
}

/// # `GET /rest/api/2/application-properties` (getApplicationProperty)
///
/// With `key`, the one property (an object, as Jira answers); otherwise the list,
/// narrowed by `keyFilter`.
async fn get_application_property(
    ctx: Ctx,
    Query(q): Query<PropertyQuery>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let key = q.key.filter(|k| !k.is_empty());
    let mut list: Vec<PropertyBean> = ctx
        .app
        .settings
        .properties(caller, key.as_deref(), q.key_filter.as_deref())?
        .into_iter()
        .map(bean)
        .collect();
    Ok(Json(if key.is_some() && list.len() == 1 {
        super::dto::to_json(list.remove(0))?
    } else {
        super::dto::to_json(&list)?
    }))
}

/// # `GET /rest/api/2/application-properties/advanced-settings` (getAdvancedSettings)
async fn get_advanced_settings(ctx: Ctx) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let list: Vec<PropertyBean> = ctx
        .app
        .settings
        .advanced_settings(caller)?
        .into_iter()
        .map(bean)
        .collect();
    Ok(Json(super::dto::to_json(&list)?))
}

#[derive(Deserialize)]
struct SetProperty {
    id: Option<String>,
    value: Value,
}

/// # `PUT /rest/api/2/application-properties/{id}` (setApplicationProperty)
async fn set_application_property(
    ctx: Ctx,
    Path(id): Path<String>,
    Json(body): Json<SetProperty>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    if body.id.as_deref().is_some_and(|b| b != id) {
        return Err(JiraError(Error::bad_request(
            "The id in the body does not match the property in the path.",
        )));
    }
    // Jira's values are strings; clients also send booleans for the switches.
    let value = match body.value {
        Value::String(s) => s,
        Value::Bool(b) => b.to_string(),
        other => other.to_string(),
    };
    let p = ctx.app.settings.set_property(caller, &id, &value).await?;
    Ok(Json(super::dto::to_json(bean(p))?))
}

/// # `GET /rest/api/2/configuration` (getConfiguration)
async fn get_configuration(ctx: Ctx) -> JiraResult<Json<Value>> {
    ctx.user()?;
    let s = ctx.app.settings.current();
    let tt = ctx.app.settings.time_tracking();
    let mut body = serde_json::json!({
        "votingEnabled": s.voting(),
        "watchingEnabled": s.watching(),
        "unassignedIssuesAllowed": s.unassigned_allowed(),
        "subTasksEnabled": s.subtasks(),
        "issueLinkingEnabled": s.linking(),
        "timeTrackingEnabled": s.time_tracking(),
        "attachmentsEnabled": s.attachments(),
    });
    if s.time_tracking() {
        body["timeTrackingConfiguration"] = serde_json::json!({
            "workingHoursPerDay": tt.hours_per_day,
            "workingDaysPerWeek": tt.days_per_week,
            "timeFormat": tt.time_format,
            "defaultUnit": tt.default_unit,
        });
    }
    Ok(Json(body))
}

#[derive(Deserialize)]
struct Provider {
    key: String,
}

/// # `PUT /rest/api/2/configuration/timetracking` (selectTimeTrackingImplementation)
///
/// The one provider is Jira's own (`JIRA`); selecting it switches time tracking on.
async fn select_time_tracking_implementation(
    ctx: Ctx,
    Json(body): Json<Provider>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    if body.key != "JIRA" {
        return Err(JiraError(Error::bad_request(format!(
            "The time tracking provider '{}' is not available; the one provider is JIRA.",
            body.key
        ))));
    }
    ctx.app
        .settings
        .set_property(caller, settings::TIME_TRACKING, "true")
        .await?;
    Ok(no_content())
}

/// # `DELETE /rest/api/2/configuration/timetracking` (disableTimeTracking)
async fn disable_time_tracking(ctx: Ctx) -> JiraResult<Response> {
    let caller = ctx.user()?;
    ctx.app
        .settings
        .set_property(caller, settings::TIME_TRACKING, "false")
        .await?;
    Ok(no_content())
}

/// # `PUT /rest/api/2/settings/baseUrl` (setBaseURL)
///
/// The body is the URL as a JSON string (or bare text).
async fn set_base_url(ctx: Ctx, body: String) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let url = serde_json::from_str::<String>(&body).unwrap_or(body);
    ctx.app
        .settings
        .set_property(caller, settings::BASE_URL, &url)
        .await?;
    Ok(no_content())
}
