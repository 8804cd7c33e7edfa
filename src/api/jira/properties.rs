//! Entity properties of projects, issue types, users and dashboard items (issue, comment
//! and worklog properties live with their resources). Same semantics everywhere: keys
//! list, get, PUT (201 created, 200 updated), DELETE (204, 404 when missing), values up
//! to 32 KiB. Dashboards do not exist in Tessera yet: dashboard item properties answer
//! 404 naming the dashboard.
//!
//! | method | path |
//! |---|---|
//! | GET | `/project/{key}/properties`, `/issuetype/{id}/properties`, `/user/properties`, `/dashboard/{d}/items/{i}/properties` |
//! | GET, PUT, DELETE | the same, `/{propertyKey}` |

use axum::extract::Path;
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;

use super::dto::{EntityProperty, PropertyKey, PropertyKeys};
use super::issue::property_set_response;
use super::{JiraError, JiraResult, Json, Query, no_content};
use crate::api::Ctx;
use crate::api::routes::{MANAGE_CONFIG, READ_USER, READ_WORK, Routes, WRITE_WORK};
use crate::domain::*;
use crate::error::Error;
use crate::service::properties::PropertyOwner;
use crate::service::users::UserRef;

pub fn routes() -> Routes {
    Routes::new()
        .get(
            "/project/{key}/properties",
            READ_WORK,
            get_project_property_keys,
        )
        .get(
            "/project/{key}/properties/{property}",
            READ_WORK,
            get_project_property,
        )
        .put(
            "/project/{key}/properties/{property}",
            WRITE_WORK,
            set_project_property,
        )
        .delete(
            "/project/{key}/properties/{property}",
            WRITE_WORK,
            delete_project_property,
        )
        .get(
            "/issuetype/{id}/properties",
            READ_WORK,
            get_issue_type_property_keys,
        )
        .get(
            "/issuetype/{id}/properties/{property}",
            READ_WORK,
            get_issue_type_property,
        )
        .put(
            "/issuetype/{id}/properties/{property}",
            MANAGE_CONFIG,
            set_issue_type_property,
        )
        .delete(
            "/issuetype/{id}/properties/{property}",
            MANAGE_CONFIG,
            delete_issue_type_property,
        )
        .get("/user/properties", READ_USER, get_user_property_keys)
        .get("/user/properties/{property}", READ_USER, get_user_property)
        .put("/user/properties/{property}", WRITE_WORK, set_user_property)
        .delete(
            "/user/properties/{property}",
            WRITE_WORK,
            delete_user_property,
        )
        .get(
            "/dashboard/{dashboard}/items/{item}/properties",
            READ_WORK,
            get_dashboard_item_property_keys,
        )
        .get(
            "/dashboard/{dashboard}/items/{item}/properties/{property}",
            READ_WORK,
            get_dashboard_item_property,
        )
        .put(
            "/dashboard/{dashboard}/items/{item}/properties/{property}",
            WRITE_WORK,
            set_dashboard_item_property,
        )
        .delete(
            "/dashboard/{dashboard}/items/{item}/properties/{property}",
            WRITE_WORK,
            delete_dashboard_item_property,
        )
}

async fn keys(
    ctx: &Ctx,
    owner: PropertyOwner,
    base_path: String,
) -> JiraResult<Json<PropertyKeys>> {
    let caller = ctx.user()?;
    let keys = ctx.app.properties.property_keys(caller, owner).await?;
    Ok(Json(PropertyKeys {
        keys: keys
            .into_iter()
            .map(|k| PropertyKey {
                self_: format!("{}/rest/api/2/{base_path}/{k}", ctx.base),
                key: k,
            })
            .collect(),
    }))
}

async fn one(ctx: &Ctx, owner: PropertyOwner, key: String) -> JiraResult<Json<EntityProperty>> {
    let caller = ctx.user()?;
    let value = ctx.app.properties.property(caller, owner, &key).await?;
    Ok(Json(EntityProperty { key, value }))
}

async fn set(ctx: &Ctx, owner: PropertyOwner, key: &str, value: Value) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let outcome = ctx
        .app
        .properties
        .set_property(caller, owner, key, value)
        .await?;
    Ok(property_set_response(outcome))
}

async fn delete(ctx: &Ctx, owner: PropertyOwner, key: &str) -> JiraResult<Response> {
    let caller = ctx.user()?;
    ctx.app
        .properties
        .delete_property(caller, owner, key)
        .await?;
    Ok(no_content())
}

fn project(key: &str) -> PropertyOwner {
    PropertyOwner::Project(ProjectRef::parse(key))
}

/// # `GET /rest/api/2/project/{projectIdOrKey}/properties` (getProjectPropertyKeys)
async fn get_project_property_keys(
    ctx: Ctx,
    Path(key): Path<String>,
) -> JiraResult<Json<PropertyKeys>> {
    keys(&ctx, project(&key), format!("project/{key}/properties")).await
}

/// # `GET /rest/api/2/project/{projectIdOrKey}/properties/{propertyKey}` (getProjectProperty)
async fn get_project_property(
    ctx: Ctx,
    Path((key, property)): Path<(String, String)>,
) -> JiraResult<Json<EntityProperty>> {
    one(&ctx, project(&key), property).await
}

/// # `PUT /rest/api/2/project/{projectIdOrKey}/properties/{propertyKey}` (setProjectProperty)
async fn set_project_property(
    ctx: Ctx,
    Path((key, property)): Path<(String, String)>,
    Json(value): Json<Value>,
) -> JiraResult<Response> {
    set(&ctx, project(&key), &property, value).await
}

/// # `DELETE /rest/api/2/project/{projectIdOrKey}/properties/{propertyKey}` (deleteProjectProperty)
async fn delete_project_property(
    ctx: Ctx,
    Path((key, property)): Path<(String, String)>,
) -> JiraResult<Response> {
    delete(&ctx, project(&key), &property).await
}

fn issue_type(id: &str) -> JiraResult<PropertyOwner> {
    id.parse().map(PropertyOwner::IssueType).map_err(|_| {
        JiraError(Error::bad_request(format!(
            "The issue type id '{id}' is not a number."
        )))
    })
}

/// # `GET /rest/api/2/issuetype/{issueTypeId}/properties` (getIssueTypePropertyKeys)
async fn get_issue_type_property_keys(
    ctx: Ctx,
    Path(id): Path<String>,
) -> JiraResult<Json<PropertyKeys>> {
    keys(&ctx, issue_type(&id)?, format!("issuetype/{id}/properties")).await
}

/// # `GET /rest/api/2/issuetype/{issueTypeId}/properties/{propertyKey}` (getIssueTypeProperty)
async fn get_issue_type_property(
    ctx: Ctx,
    Path((id, property)): Path<(String, String)>,
) -> JiraResult<Json<EntityProperty>> {
    one(&ctx, issue_type(&id)?, property).await
}

/// # `PUT /rest/api/2/issuetype/{issueTypeId}/properties/{propertyKey}` (setIssueTypeProperty)
async fn set_issue_type_property(
    ctx: Ctx,
    Path((id, property)): Path<(String, String)>,
    Json(value): Json<Value>,
) -> JiraResult<Response> {
    set(&ctx, issue_type(&id)?, &property, value).await
}

/// # `DELETE /rest/api/2/issuetype/{issueTypeId}/properties/{propertyKey}` (deleteIssueTypeProperty)
async fn delete_issue_type_property(
    ctx: Ctx,
    Path((id, property)): Path<(String, String)>,
) -> JiraResult<Response> {
    delete(&ctx, issue_type(&id)?, &property).await
}

/// The user a property request names: `accountId`, `username` or `userKey`; the caller
/// when none is given.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct UserQuery {
    account_id: Option<String>,
    username: Option<String>,
    user_key: Option<String>,
}

impl UserQuery {
    fn owner(self) -> PropertyOwner {
        PropertyOwner::User(match (self.account_id, self.username.or(self.user_key)) {
            (Some(a), _) => Some(UserRef::AccountId(a)),
            (None, Some(u)) => Some(UserRef::Username(u)),
            (None, None) => None,
        })
    }

    fn query_string(&self) -> String {
        match (
            &self.account_id,
            self.username.as_ref().or(self.user_key.as_ref()),
        ) {
            (Some(a), _) => format!("?accountId={a}"),
            (None, Some(u)) => format!("?username={u}"),
            (None, None) => String::new(),
        }
    }
}

/// # `GET /rest/api/2/user/properties` (getUserPropertyKeys)
async fn get_user_property_keys(
    ctx: Ctx,
    Query(q): Query<UserQuery>,
) -> JiraResult<Json<PropertyKeys>> {
    let suffix = q.query_string();
    let Json(mut found) = keys(&ctx, q.owner(), "user/properties".into()).await?;
    for k in &mut found.keys {
        k.self_.push_str(&suffix);
    }
    Ok(Json(found))
}

/// # `GET /rest/api/2/user/properties/{propertyKey}` (getUserProperty)
async fn get_user_property(
    ctx: Ctx,
    Path(property): Path<String>,
    Query(q): Query<UserQuery>,
) -> JiraResult<Json<EntityProperty>> {
    one(&ctx, q.owner(), property).await
}

/// # `PUT /rest/api/2/user/properties/{propertyKey}` (setUserProperty)
async fn set_user_property(
    ctx: Ctx,
    Path(property): Path<String>,
    Query(q): Query<UserQuery>,
    Json(value): Json<Value>,
) -> JiraResult<Response> {
    set(&ctx, q.owner(), &property, value).await
}

/// # `DELETE /rest/api/2/user/properties/{propertyKey}` (deleteUserProperty)
async fn delete_user_property(
    ctx: Ctx,
    Path(property): Path<String>,
    Query(q): Query<UserQuery>,
) -> JiraResult<Response> {
    delete(&ctx, q.owner(), &property).await
}

/// # `GET /rest/api/2/dashboard/{dashboardId}/items/{itemId}/properties` (getDashboardItemPropertyKeys)
async fn get_dashboard_item_property_keys(
    ctx: Ctx,
    Path((dashboard, item)): Path<(String, String)>,
) -> JiraResult<Json<PropertyKeys>> {
    let path = format!("dashboard/{dashboard}/items/{item}/properties");
    keys(&ctx, PropertyOwner::DashboardItem(dashboard, item), path).await
}

/// # `GET /rest/api/2/dashboard/{dashboardId}/items/{itemId}/properties/{propertyKey}` (getDashboardItemProperty)
async fn get_dashboard_item_property(
    ctx: Ctx,
    Path((dashboard, item, property)): Path<(String, String, String)>,
) -> JiraResult<Json<EntityProperty>> {
    one(
        &ctx,
        PropertyOwner::DashboardItem(dashboard, item),
        property,
    )
    .await
}

/// # `PUT /rest/api/2/dashboard/{dashboardId}/items/{itemId}/properties/{propertyKey}` (setDashboardItemProperty)
async fn set_dashboard_item_property(
    ctx: Ctx,
    Path((dashboard, item, property)): Path<(String, String, String)>,
    Json(value): Json<Value>,
) -> JiraResult<Response> {
    set(
        &ctx,
        PropertyOwner::DashboardItem(dashboard, item),
        &property,
        value,
    )
    .await
}

/// # `DELETE /rest/api/2/dashboard/{dashboardId}/items/{itemId}/properties/{propertyKey}` (deleteDashboardItemProperty)
async fn delete_dashboard_item_property(
    ctx: Ctx,
    Path((dashboard, item, property)): Path<(String, String, String)>,
) -> JiraResult<Response> {
    delete(
        &ctx,
        PropertyOwner::DashboardItem(dashboard, item),
        &property,
    )
    .await
}
