//! What a project create reads beside projects: project categories, project types, and
//! key and name validation (permission schemes are in `permission.rs`, issue security
//! schemes in `security.rs`).

use axum::extract::Path;
use serde::Deserialize;
use serde_json::{Value, json};

use super::super::dto::*;
use super::super::{JiraError, JiraResult, Json, Query, path_id};
use crate::api::Ctx;
use crate::error::Error;
use crate::service::projects::PROJECT_TYPES;

/// # `GET /rest/api/2/projectCategory` (getAllProjectCategories)
pub(crate) async fn get_all_project_categories(
    ctx: Ctx,
) -> JiraResult<Json<Vec<ProjectCategoryBean>>> {
    ctx.user()?;
    Ok(Json(
        ctx.app
            .catalog
            .current()
            .categories
            .iter()
            .map(|c| project_category(&ctx.base, c))
            .collect(),
    ))
}

/// # `GET /rest/api/2/projectCategory/{id}` (getProjectCategoryById)
pub(crate) async fn get_project_category_by_id(
    ctx: Ctx,
    Path(id): Path<String>,
) -> JiraResult<Json<ProjectCategoryBean>> {
    ctx.user()?;
    let n = path_id(&id, "project category")?;
    let cat = ctx.app.catalog.current();
    let c = cat.categories.iter().find(|c| c.id == n).ok_or_else(|| {
        Error::not_found(format!(
            "The project category with id '{id}' does not exist."
        ))
    })?;
    Ok(Json(project_category(&ctx.base, c)))
}

#[derive(Deserialize)]
pub(crate) struct CategoryBody {
    name: Option<String>,
    description: Option<String>,
}

/// # `POST /rest/api/2/projectCategory` (createProjectCategory)
pub(crate) async fn create_project_category(
    ctx: Ctx,
    Json(body): Json<CategoryBody>,
) -> JiraResult<(axum::http::StatusCode, Json<ProjectCategoryBean>)> {
    let caller = ctx.user()?;
    let c = ctx
        .app
        .meta
        .create_project_category(
            caller,
            body.name.as_deref().unwrap_or_default(),
            body.description.as_deref().unwrap_or_default(),
        )
        .await?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(project_category(&ctx.base, &c)),
    ))
}

/// # `PUT /rest/api/2/projectCategory/{id}` (updateProjectCategory)
pub(crate) async fn update_project_category(
    ctx: Ctx,
    Path(id): Path<String>,
    Json(body): Json<CategoryBody>,
) -> JiraResult<Json<ProjectCategoryBean>> {
    let caller = ctx.user()?;
    let n = path_id(&id, "project category")?;
    let c = ctx
        .app
        .meta
        .update_project_category(caller, n, body.name, body.description)
        .await?;
    Ok(Json(project_category(&ctx.base, &c)))
}

/// # `DELETE /rest/api/2/projectCategory/{id}` (removeProjectCategory)
pub(crate) async fn remove_project_category(
    ctx: Ctx,
    Path(id): Path<String>,
) -> JiraResult<axum::response::Response> {
    let caller = ctx.user()?;
    let n = path_id(&id, "project category")?;
    ctx.app.meta.delete_project_category(caller, n).await?;
    Ok(super::super::no_content())
}

fn type_bean(key: &str, name: &str, color: &str) -> Value {
    json!({"key": key, "formattedKey": name, "descriptionI18nKey": format!("jira.project.type.{key}.description"), "color": color, "icon": ""})
}

/// # `GET /rest/api/2/project/type` (getAllProjectTypes)
pub(crate) async fn get_all_project_types(_ctx: Ctx) -> Json<Vec<Value>> {
    Json(
        PROJECT_TYPES
            .iter()
            .map(|(k, n, c)| type_bean(k, n, c))
            .collect(),
    )
}

fn find_type(key: &str) -> JiraResult<Value> {
    PROJECT_TYPES
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(k, n, c)| type_bean(k, n, c))
        .ok_or_else(|| {
            JiraError(Error::not_found(format!(
                "The project type '{key}' does not exist."
            )))
        })
}

/// # `GET /rest/api/2/project/type/{projectTypeKey}` (getProjectTypeByKey)
pub(crate) async fn get_project_type_by_key(
    _ctx: Ctx,
    Path(key): Path<String>,
) -> JiraResult<Json<Value>> {
    Ok(Json(find_type(&key)?))
}

/// # `GET /rest/api/2/project/type/{projectTypeKey}/accessible` (getAccessibleProjectTypeByKey)
pub(crate) async fn get_accessible_project_type_by_key(
    ctx: Ctx,
    Path(key): Path<String>,
) -> JiraResult<Json<Value>> {
    ctx.user()?;
    Ok(Json(find_type(&key)?))
}

#[derive(Deserialize, Default)]
pub(crate) struct ValidateQuery {
    key: Option<String>,
    name: Option<String>,
}

/// # `GET /rest/api/2/projectvalidate/key` (validateProjectKey)
///
/// Answers 200 with an ErrorCollection: empty when the key is usable.
pub(crate) async fn validate_project_key(
    ctx: Ctx,
    Query(q): Query<ValidateQuery>,
) -> JiraResult<Json<Value>> {
    ctx.user()?;
    let key = q.key.unwrap_or_default();
    let error = ctx.app.projects.validate_project_key(&key).await?;
    let errors = error
        .map(|e| json!({"projectKey": e}))
        .unwrap_or_else(|| json!({}));
    Ok(Json(json!({"errorMessages": [], "errors": errors})))
}

/// # `GET /rest/api/2/projectvalidate/validProjectKey` (getValidProjectKey)
///
/// Turns a suggestion into a valid, unused key (`MYPROJ`, then `MYPROJ1`, ...).
pub(crate) async fn get_valid_project_key(
    ctx: Ctx,
    Query(q): Query<ValidateQuery>,
) -> JiraResult<Json<String>> {
    ctx.user()?;
    let raw: String = q
        .key
        .unwrap_or_default()
        .to_uppercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let letters_first: String = raw
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .chars()
        .take(10)
        .collect();
    if letters_first.len() < 2 {
        return Ok(Json(String::new()));
    }
    let mut candidate = letters_first.clone();
    for n in 1..1000 {
        if ctx
            .app
            .projects
            .validate_project_key(&candidate)
            .await?
            .is_none()
        {
            return Ok(Json(candidate));
        }
        let suffix = n.to_string();
        candidate = format!(
            "{}{suffix}",
            &letters_first[..letters_first.len().min(10 - suffix.len())]
        );
    }
    Ok(Json(String::new()))
}

/// # `GET /rest/api/2/projectvalidate/validProjectName` (getValidProjectName)
pub(crate) async fn get_valid_project_name(
    ctx: Ctx,
    Query(q): Query<ValidateQuery>,
) -> JiraResult<Json<String>> {
    ctx.user()?;
    let base = q.name.unwrap_or_default().trim().to_string();
    if base.is_empty() {
        return Err(JiraError(Error::bad_request(
            "The name query parameter is required.",
        )));
    }
    let mut candidate = base.clone();
    for n in 1..1000 {
        if !ctx.app.projects.project_name_taken(&candidate).await? {
            return Ok(Json(candidate));
        }
        candidate = format!("{base} ({n})");
    }
    Ok(Json(String::new()))
}
