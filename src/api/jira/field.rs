//! Fields: the list of system and custom fields, custom field creation, select options.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::render::{custom_field_bean, field_list};
use super::{JiraResult, Json, Query, no_content, path_id};
use crate::api::Ctx;
use crate::api::routes::{MANAGE_CONFIG, READ_WORK, Routes};
use crate::domain::CustomFieldOption;
use crate::error::Error;

pub fn routes() -> Routes {
    Routes::new()
        .get("/field", READ_WORK, get_fields)
        .post("/field", MANAGE_CONFIG, create_custom_field)
        .get(
            "/field/{field_key}/option",
            READ_WORK,
            get_all_issue_field_options,
        )
        .post(
            "/field/{field_key}/option",
            MANAGE_CONFIG,
            create_issue_field_option,
        )
        .get(
            "/field/{field_key}/option/{option_id}",
            READ_WORK,
            get_issue_field_option,
        )
        .put(
            "/field/{field_key}/option/{option_id}",
            MANAGE_CONFIG,
            update_issue_field_option,
        )
        .delete(
            "/field/{field_key}/option/{option_id}",
            MANAGE_CONFIG,
            delete_issue_field_option,
        )
        .get(
            "/customFieldOption/{id}",
            READ_WORK,
            get_custom_field_option,
        )
}

/// # `GET /rest/api/2/field` (getFields)
async fn get_fields(ctx: Ctx) -> JiraResult<Json<Vec<Value>>> {
    ctx.user()?;
    Ok(Json(field_list(&ctx.app.catalog.current())))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewField {
    name: Option<String>,
    description: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// # `POST /rest/api/2/field` (createCustomField)
async fn create_custom_field(ctx: Ctx, Json(body): Json<NewField>) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let field = ctx
        .app
        .meta
        .create_custom_field(
            caller,
            &body.name.unwrap_or_default(),
            &body.description.unwrap_or_default(),
            &body.kind.unwrap_or_default(),
        )
        .await?;
    Ok((StatusCode::CREATED, axum::Json(custom_field_bean(&field))).into_response())
}

fn option_bean(o: &CustomFieldOption) -> Value {
    json!({"id": o.id, "value": o.value, "properties": {}, "config": {"scope": {"projects": [], "global": {}}, "attributes": if o.disabled { json!(["disabled"]) } else { json!([]) }}})
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Paging {
    start_at: Option<i64>,
    max_results: Option<i64>,
}

/// # `GET /rest/api/2/field/{fieldKey}/option` (getAllIssueFieldOptions)
async fn get_all_issue_field_options(
    ctx: Ctx,
    Path(field_key): Path<String>,
    Query(p): Query<Paging>,
) -> JiraResult<Json<Value>> {
    ctx.user()?;
    let (start, max) = crate::service::paging(p.start_at, p.max_results, 50, 1000)?;
    let options = ctx.app.meta.field_options(&field_key)?;
    let page = crate::service::Page::of(options, start, max);
    Ok(Json(json!({
        "self": format!("{}/rest/api/2/field/{field_key}/option", ctx.base),
        "maxResults": page.max_results, "startAt": page.start_at, "total": page.total, "isLast": page.is_last(),
        "values": page.items.iter().map(option_bean).collect::<Vec<_>>(),
    })))
}

#[derive(Deserialize)]
struct OptionBody {
    value: Option<String>,
    config: Option<Value>,
}

/// # `POST /rest/api/2/field/{fieldKey}/option` (createIssueFieldOption)
async fn create_issue_field_option(
    ctx: Ctx,
    Path(field_key): Path<String>,
    Json(body): Json<OptionBody>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let o = ctx
        .app
        .meta
        .create_field_option(caller, &field_key, &body.value.unwrap_or_default())
        .await?;
    Ok(Json(option_bean(&o)))
}

/// # `GET /rest/api/2/field/{fieldKey}/option/{optionId}` (getIssueFieldOption)
async fn get_issue_field_option(
    ctx: Ctx,
    Path((field_key, option_id)): Path<(String, String)>,
) -> JiraResult<Json<Value>> {
    ctx.user()?;
    let id = path_id(&option_id, "option")?;
    let o = ctx
        .app
        .meta
        .field_options(&field_key)?
        .into_iter()
        .find(|o| o.id == id)
        .ok_or_else(|| Error::not_found(format!("The option with id '{id}' does not exist.")))?;
    Ok(Json(option_bean(&o)))
}

/// # `PUT /rest/api/2/field/{fieldKey}/option/{optionId}` (updateIssueFieldOption)
async fn update_issue_field_option(
    ctx: Ctx,
    Path((field_key, option_id)): Path<(String, String)>,
    Json(body): Json<OptionBody>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let id = path_id(&option_id, "option")?;
    let disabled = body
        .config
        .as_ref()
        .and_then(|c| c.get("attributes"))
        .and_then(|a| a.as_array())
        .is_some_and(|a| a.iter().any(|x| x == "disabled"));
    let o = ctx
        .app
        .meta
        .update_field_option(
            caller,
            &field_key,
            id,
            &body.value.unwrap_or_default(),
            disabled,
        )
        .await?;
    Ok(Json(option_bean(&o)))
}

/// # `DELETE /rest/api/2/field/{fieldKey}/option/{optionId}` (deleteIssueFieldOption)
async fn delete_issue_field_option(
    ctx: Ctx,
    Path((field_key, option_id)): Path<(String, String)>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let id = path_id(&option_id, "option")?;
    ctx.app
        .meta
        .delete_field_option(caller, &field_key, id)
        .await?;
    Ok(no_content())
}

/// # `GET /rest/api/2/customFieldOption/{id}` (getCustomFieldOption)
async fn get_custom_field_option(ctx: Ctx, Path(id): Path<String>) -> JiraResult<Json<Value>> {
    ctx.user()?;
    let id = path_id(&id, "custom field option")?;
    let (_, o) = ctx.app.meta.option(id)?;
    Ok(Json(
        json!({"self": format!("{}/rest/api/2/customFieldOption/{}", ctx.base, o.id), "value": o.value}),
    ))
}
