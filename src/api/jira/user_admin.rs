//! User administration and lookups beyond the basic ones: update (rename, deactivate),
//! bulk get, the structured `user/search/query`, and the permission search.

use serde::Deserialize;
use serde_json::Value;

use super::dto::{PageBean, UserBean, to_json, user, user_details};
use super::user::{UserQuery, user_ref};
use super::{JiraError, JiraResult, Json, List, Query};
use crate::api::Ctx;
use crate::api::routes::{MANAGE_CONFIG, READ_USER, Routes};
use crate::domain::*;
use crate::error::Error;
use crate::service::directory::{MAX_USERS, UserChange};

pub fn routes() -> Routes {
    Routes::new()
        .put("/user", MANAGE_CONFIG, update_user)
        .get("/user/bulk", READ_USER, bulk_get_users)
        .get("/user/search/query", READ_USER, find_users_by_query)
        .get(
            "/user/permission/search",
            READ_USER,
            find_users_with_all_permissions,
        )
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct UserUpdateBody {
    name: Option<String>,
    email_address: Option<String>,
    display_name: Option<String>,
    active: Option<bool>,
    // Jira DC accepts and ignores these on update.
    #[serde(default)]
    key: Option<Value>,
    #[serde(default)]
    application_keys: Option<Value>,
}

/// # `PUT /rest/api/2/user` (updateUser)
async fn update_user(
    ctx: Ctx,
    Query(q): Query<UserQuery>,
    Json(body): Json<UserUpdateBody>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let _ = (&body.key, &body.application_keys);
    let u = ctx
        .app
        .directory
        .update_user(
            caller,
            &user_ref(&q)?,
            UserChange {
                username: body.name,
                email: body.email_address,
                display_name: body.display_name,
                active: body.active,
            },
        )
        .await?;
    Ok(Json(to_json(user(&ctx.base, &u))?))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct BulkQuery {
    start_at: Option<i64>,
    max_results: Option<i64>,
    #[serde(default)]
    account_id: List,
    #[serde(default)]
    username: List,
    #[serde(default)]
    key: List,
}

/// # `GET /rest/api/2/user/bulk` (bulkGetUsers)
async fn bulk_get_users(ctx: Ctx, Query(q): Query<BulkQuery>) -> JiraResult<Json<PageBean<Value>>> {
    let caller = ctx.user()?;
    let (start, max) = crate::service::paging(q.start_at, q.max_results, 10, 200)?;
    let names: Vec<String> = [q.account_id, q.username, q.key]
        .into_iter()
        .flat_map(|l| l.0)
        .collect();
    if names.is_empty() {
        return Err(JiraError(Error::bad_request(
            "Give the users as accountId, username or key query parameters.",
        )));
    }
    let page = ctx.app.directory.bulk_users(names, start, max).await?;
    let mut values = Vec::new();
    for u in &page.users {
        let (_, groups) = ctx
            .app
            .users
            .get_user(
                caller,
                &crate::service::users::UserRef::AccountId(u.account_id.clone()),
            )
            .await?;
        values.push(to_json(user_details(&ctx.base, u, &groups))?);
    }
    Ok(Json(PageBean {
        self_: None,
        next_page: None,
        max_results: page.max,
        start_at: page.start,
        total: page.total,
        is_last: page.start + (page.users.len() as i64) >= page.total,
        values,
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ByQuery {
    query: Option<String>,
    start_at: Option<i64>,
    max_results: Option<i64>,
}

/// # `GET /rest/api/2/user/search/query` (findUsersByQuery)
async fn find_users_by_query(
    ctx: Ctx,
    Query(q): Query<ByQuery>,
) -> JiraResult<Json<PageBean<UserBean>>> {
    let caller = ctx.user()?;
    let (start, max) = crate::service::paging(q.start_at, q.max_results, 100, MAX_USERS)?;
    let query = q.query.unwrap_or_default();
    let page = ctx
        .app
        .directory
        .search_by_query(caller, &query, start, max)
        .await?;
    Ok(Json(PageBean {
        self_: None,
        next_page: None,
        max_results: page.max,
        start_at: page.start,
        total: page.total,
        is_last: page.start + (page.users.len() as i64) >= page.total,
        values: page.users.iter().map(|u| user(&ctx.base, u)).collect(),
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PermissionSearch {
    username: Option<String>,
    query: Option<String>,
    #[serde(default)]
    permissions: List,
    issue_key: Option<String>,
    project_key: Option<String>,
    start_at: Option<i64>,
    max_results: Option<i64>,
}

/// # `GET /rest/api/2/user/permission/search` (findUsersWithAllPermissions)
async fn find_users_with_all_permissions(
    ctx: Ctx,
    Query(q): Query<PermissionSearch>,
) -> JiraResult<Json<Vec<UserBean>>> {
    let caller = ctx.user()?;
    let (start, max) = crate::service::paging(q.start_at, q.max_results, 50, MAX_USERS)?;
    let permissions = q.permissions.0;
    let project = q.project_key.map(|p| ProjectRef::parse(&p));
    let issue = q.issue_key.map(|i| IssueRef::parse(&i));
    let text = q.username.or(q.query).unwrap_or_default();
    let users = ctx
        .app
        .directory
        .users_with_all_permissions(
            caller,
            &permissions,
            project.as_ref(),
            issue.as_ref(),
            &text,
            start,
            max,
        )
        .await?;
    Ok(Json(users.iter().map(|u| user(&ctx.base, u)).collect()))
}
