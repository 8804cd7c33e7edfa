//! Users and groups: lookup, search, pickers, and the administrator's create/delete.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::dto::{UserBean, to_json, user, user_details};
use super::{JiraError, JiraResult, Json, List, Query, no_content};
use crate::api::Ctx;
use crate::api::routes::{MANAGE_CONFIG, READ_USER, Routes};
use crate::domain::*;
use crate::error::Error;
use crate::service::Permission;
use crate::service::users::{NewUserInput, UserRef};

pub fn routes() -> Routes {
    Routes::new()
        .get("/user", READ_USER, get_user)
        .post("/user", MANAGE_CONFIG, create_user)
        .delete("/user", MANAGE_CONFIG, remove_user)
        .get("/user/search", READ_USER, find_users)
        .get("/user/picker", READ_USER, find_users_for_picker)
        .get("/user/assignable/search", READ_USER, find_assignable_users)
        .get(
            "/user/assignable/multiProjectSearch",
            READ_USER,
            find_bulk_assignable_users,
        )
        .get(
            "/user/viewissue/search",
            READ_USER,
            find_users_with_browse_permission,
        )
        .get("/user/groups", READ_USER, get_user_groups)
        .merge(super::user_admin::routes())
        .merge(super::group::routes())
        .merge(super::preferences::routes())
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct UserQuery {
    pub account_id: Option<String>,
    username: Option<String>,
    key: Option<String>,
    #[serde(default)]
    expand: List,
}

/// The user a query names, by `accountId`, `username` or `key`.
pub fn user_ref(q: &UserQuery) -> JiraResult<UserRef> {
    if let Some(a) = &q.account_id {
        return Ok(UserRef::AccountId(a.clone()));
    }
    if let Some(u) = q.username.as_ref().or(q.key.as_ref()) {
        return Ok(UserRef::Username(u.clone()));
    }
    Err(JiraError(Error::bad_request(
        "The accountId, username or key query parameter is required.",
    )))
}

/// # `GET /rest/api/2/user` (getUser)
async fn get_user(ctx: Ctx, Query(q): Query<UserQuery>) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let (u, groups) = ctx.app.users.get_user(caller, &user_ref(&q)?).await?;
    let expand = q.expand.items();
    if expand
        .iter()
        .any(|e| e == "groups" || e == "applicationRoles")
    {
        return Ok(Json(to_json(user_details(&ctx.base, &u, &groups))?));
    }
    let mut v = to_json(user(&ctx.base, &u))?;
    v["expand"] = json!("groups,applicationRoles");
    Ok(Json(v))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewUser {
    name: Option<String>,
    email_address: Option<String>,
    display_name: Option<String>,
    password: Option<String>,
}

/// # `POST /rest/api/2/user` (createUser)
async fn create_user(ctx: Ctx, Json(body): Json<NewUser>) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let email = body.email_address.unwrap_or_default();
    // Jira Cloud derives the name from the email when none is given.
    let username = body
        .name
        .unwrap_or_else(|| email.split('@').next().unwrap_or_default().to_string());
    let display = body.display_name.unwrap_or_else(|| username.clone());
    let u = ctx
        .app
        .users
        .create_user(
            Some(caller),
            NewUserInput {
                username,
                email,
                display_name: display,
                password: body.password,
                admin: false,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, axum::Json(user(&ctx.base, &u))).into_response())
}

/// # `DELETE /rest/api/2/user` (removeUser)
async fn remove_user(ctx: Ctx, Query(q): Query<UserQuery>) -> JiraResult<Response> {
    let caller = ctx.user()?;
    ctx.app.users.delete_user(caller, &user_ref(&q)?).await?;
    Ok(no_content())
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct SearchQuery {
    query: Option<String>,
    username: Option<String>,
    account_id: Option<String>,
    start_at: Option<i64>,
    max_results: Option<i64>,
    #[serde(default, deserialize_with = "super::lenient_bool")]
    include_inactive: Option<bool>,
    project: Option<String>,
    #[serde(default)]
    project_keys: List,
    issue_key: Option<String>,
}

impl SearchQuery {
    fn text(&self) -> String {
        self.query
            .clone()
            .or(self.username.clone())
            .or(self.account_id.clone())
            .unwrap_or_default()
    }
}

fn beans(base: &str, users: &[User]) -> Vec<UserBean> {
    users.iter().map(|u| user(base, u)).collect()
}

/// # `GET /rest/api/2/user/search` (findUsers)
async fn find_users(ctx: Ctx, Query(q): Query<SearchQuery>) -> JiraResult<Json<Vec<UserBean>>> {
    let caller = ctx.user()?;
    let (start, max) = crate::service::paging(q.start_at, q.max_results, 50, 1000)?;
    let users = ctx
        .app
        .users
        .search_users(
            caller,
            &q.text(),
            q.include_inactive.unwrap_or(false),
            start,
            max,
        )
        .await?;
    Ok(Json(beans(&ctx.base, &users)))
}

/// # `GET /rest/api/2/user/picker` (findUsersForPicker)
async fn find_users_for_picker(ctx: Ctx, Query(q): Query<SearchQuery>) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let (_, max) = crate::service::paging(None, q.max_results, 50, 1000)?;
    let text = q.text();
    let users = ctx
        .app
        .users
        .search_users(caller, &text, false, 0, max)
        .await?;
    let items: Vec<Value> = users
        .iter()
        .map(|u| {
            json!({
                "accountId": u.account_id, "name": u.username, "key": u.username.to_lowercase(),
                "html": format!("{} - {} ({})", crate::markup::escape(&u.display_name), crate::markup::escape(&u.email), crate::markup::escape(&u.username)),
                "displayName": u.display_name,
                "avatarUrl": format!("{}/secure/useravatar?size=small&ownerId={}", ctx.base, u.username),
            })
        })
        .collect();
    Ok(Json(
        json!({"users": items, "total": items.len(), "header": format!("Showing {} of {} matching users", items.len(), items.len())}),
    ))
}

/// # `GET /rest/api/2/user/assignable/search` (findAssignableUsers)
async fn find_assignable_users(
    ctx: Ctx,
    Query(q): Query<SearchQuery>,
) -> JiraResult<Json<Vec<UserBean>>> {
    let caller = ctx.user()?;
    let (start, max) = crate::service::paging(q.start_at, q.max_results, 50, 1000)?;
    let project = match (&q.issue_key, &q.project) {
        (Some(issue), _) => {
            ctx.app
                .issues
                .view_issue(Some(caller), &IssueRef::parse(issue))
                .await?
                .project
        }
        (None, Some(p)) => {
            ctx.app
                .projects
                .browse_project(Some(caller), &ProjectRef::parse(p))
                .await?
                .0
        }
        (None, None) => {
            return Err(JiraError(Error::bad_request(
                "The project or issueKey query parameter is required.",
            )));
        }
    };
    let users = ctx
        .app
        .users
        .users_with_permission(&project, Permission::AssignableUser, &q.text(), start + max)
        .await?;
    Ok(Json(beans(
        &ctx.base,
        &users.into_iter().skip(start as usize).collect::<Vec<_>>(),
    )))
}

/// # `GET /rest/api/2/user/assignable/multiProjectSearch` (findBulkAssignableUsers)
async fn find_bulk_assignable_users(
    ctx: Ctx,
    Query(q): Query<SearchQuery>,
) -> JiraResult<Json<Vec<UserBean>>> {
    let caller = ctx.user()?;
    let (start, max) = crate::service::paging(q.start_at, q.max_results, 50, 1000)?;
    let keys = q.project_keys.items().to_vec();
    if keys.is_empty() {
        return Err(JiraError(Error::bad_request(
            "The projectKeys query parameter is required.",
        )));
    }
    // Users assignable in every one of the projects.
    let mut result: Option<Vec<User>> = None;
    for key in keys {
        let project = ctx
            .app
            .projects
            .browse_project(Some(caller), &ProjectRef::parse(&key))
            .await?
            .0;
        let users = ctx
            .app
            .users
            .users_with_permission(&project, Permission::AssignableUser, &q.text(), i64::MAX)
            .await?;
        result = Some(match result {
            None => users,
            Some(prev) => prev
                .into_iter()
                .filter(|u| users.iter().any(|x| x.id == u.id))
                .collect(),
        });
    }
    let users: Vec<User> = result
        .unwrap_or_default()
        .into_iter()
        .skip(start as usize)
        .take(max as usize)
        .collect();
    Ok(Json(beans(&ctx.base, &users)))
}

/// # `GET /rest/api/2/user/viewissue/search` (findUsersWithBrowsePermission)
async fn find_users_with_browse_permission(
    ctx: Ctx,
    Query(q): Query<SearchQuery>,
) -> JiraResult<Json<Vec<UserBean>>> {
    let caller = ctx.user()?;
    let (start, max) = crate::service::paging(q.start_at, q.max_results, 50, 1000)?;
    let project = match (&q.issue_key, &q.project) {
        (Some(issue), _) => {
            ctx.app
                .issues
                .view_issue(Some(caller), &IssueRef::parse(issue))
                .await?
                .project
        }
        (None, Some(p)) => {
            ctx.app
                .projects
                .browse_project(Some(caller), &ProjectRef::parse(p))
                .await?
                .0
        }
        (None, None) => {
            return Err(JiraError(Error::bad_request(
                "The project or issueKey query parameter is required.",
            )));
        }
    };
    let users = ctx
        .app
        .users
        .users_with_permission(&project, Permission::BrowseProjects, &q.text(), start + max)
        .await?;
    Ok(Json(beans(
        &ctx.base,
        &users.into_iter().skip(start as usize).collect::<Vec<_>>(),
    )))
}

/// # `GET /rest/api/2/user/groups` (getUserGroups)
async fn get_user_groups(ctx: Ctx, Query(q): Query<UserQuery>) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let (_, groups) = ctx.app.users.get_user(caller, &user_ref(&q)?).await?;
    Ok(Json(Value::Array(
        groups.iter().map(|g| json!({"name": g, "self": format!("{}/rest/api/2/group?groupname={g}", ctx.base)})).collect(),
    )))
}
