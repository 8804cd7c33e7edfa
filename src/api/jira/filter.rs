//! Saved filters (`/filter`), their favourites, share permissions and columns, the
//! default share scope, and the issue navigator columns (`/settings/columns`,
//! `/user/columns`). The column handlers are in `filter/columns.rs`.
//!
//! | method | path | operation |
//! |---|---|---|
//! | GET, POST | `/filter` | getFilters, createFilter |
//! | GET | `/filter/favourite` | getFavouriteFilters |
//! | GET | `/filter/my` | getMyFilters |
//! | GET | `/filter/search` | getFiltersPaginated |
//! | GET, PUT | `/filter/defaultShareScope` | getDefaultShareScope, setDefaultShareScope |
//! | GET, PUT, DELETE | `/filter/{id}` | getFilter, updateFilter, deleteFilter |
//! | PUT, DELETE | `/filter/{id}/favourite` | setFavouriteForFilter, deleteFavouriteForFilter |
//! | GET, PUT, DELETE | `/filter/{id}/columns` | getColumns, setColumns, resetColumns |
//! | GET, POST | `/filter/{id}/permission` | getSharePermissions, addSharePermission |
//! | GET, DELETE | `/filter/{id}/permission/{permissionId}` | getSharePermission, deleteSharePermission |
//! | GET, PUT, DELETE | `/settings/columns` | getIssueNavigatorDefaultColumns, setIssueNavigatorDefaultColumns, (reset) |
//! | GET, PUT, DELETE | `/user/columns` | getUserDefaultColumns, setUserColumns, resetUserColumns |

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::dto::{GroupName, PageBean, UserBean, avatar_urls, to_json, user};
use super::{JiraError, JiraResult, Json, List, Query, lenient_bool, no_content};
use crate::api::Ctx;
use crate::api::routes::{MANAGE_CONFIG, READ_WORK, Routes, WRITE_WORK};
use crate::domain::*;
use crate::error::Error;
use crate::service::Page;
use crate::service::filters::{
    FilterInput, FilterOrder, FilterSearch, FilterView, NOT_AVAILABLE, Share, ShareInput,
    ShareTarget,
};
use crate::service::users::UserRef;

mod columns;

use columns::*;

pub fn routes() -> Routes {
    Routes::new()
        .get("/filter", READ_WORK, get_filters)
        .post("/filter", WRITE_WORK, create_filter)
        .get("/filter/favourite", READ_WORK, get_favourite_filters)
        .get("/filter/my", READ_WORK, get_my_filters)
        .get("/filter/search", READ_WORK, get_filters_paginated)
        .get(
            "/filter/defaultShareScope",
            READ_WORK,
            get_default_share_scope,
        )
        .put(
            "/filter/defaultShareScope",
            WRITE_WORK,
            set_default_share_scope,
        )
        .get("/filter/{id}", READ_WORK, get_filter)
        .put("/filter/{id}", WRITE_WORK, update_filter)
        .delete("/filter/{id}", WRITE_WORK, delete_filter)
        .put(
            "/filter/{id}/favourite",
            WRITE_WORK,
            set_favourite_for_filter,
        )
        .delete(
            "/filter/{id}/favourite",
            WRITE_WORK,
            delete_favourite_for_filter,
        )
        .get("/filter/{id}/columns", READ_WORK, get_columns)
        .put("/filter/{id}/columns", WRITE_WORK, set_columns)
        .delete("/filter/{id}/columns", WRITE_WORK, reset_columns)
        .get("/filter/{id}/permission", READ_WORK, get_share_permissions)
        .post("/filter/{id}/permission", WRITE_WORK, add_share_permission)
        .get(
            "/filter/{id}/permission/{permission_id}",
            READ_WORK,
            get_share_permission,
        )
        .delete(
            "/filter/{id}/permission/{permission_id}",
            WRITE_WORK,
            delete_share_permission,
        )
        .get(
            "/settings/columns",
            READ_WORK,
            get_issue_navigator_default_columns,
        )
        .put(
            "/settings/columns",
            MANAGE_CONFIG,
            set_issue_navigator_default_columns,
        )
        .delete(
            "/settings/columns",
            MANAGE_CONFIG,
            reset_issue_navigator_default_columns,
        )
        .get("/user/columns", READ_WORK, get_user_default_columns)
        .put("/user/columns", WRITE_WORK, set_user_columns)
        .delete("/user/columns", WRITE_WORK, reset_user_columns)
}

// Wire types.

/// Jira's paged list wrapper (`UserList`, `FilterSubscriptionsList`).
#[derive(Serialize)]
struct ListWrapper<T> {
    size: usize,
    items: Vec<T>,
    #[serde(rename = "max-results")]
    max_results: usize,
    #[serde(rename = "start-index")]
    start_index: usize,
    #[serde(rename = "end-index")]
    end_index: usize,
}

impl<T> ListWrapper<T> {
    fn empty() -> ListWrapper<T> {
        ListWrapper {
            size: 0,
            items: Vec::new(),
            max_results: 0,
            start_index: 0,
            end_index: 0,
        }
    }

    fn of(items: Vec<T>, max: usize) -> ListWrapper<T> {
        ListWrapper {
            size: items.len(),
            end_index: items.len().saturating_sub(1),
            items,
            max_results: max,
            start_index: 0,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ShareProjectBean {
    #[serde(rename = "self")]
    self_: String,
    id: String,
    key: String,
    name: String,
    avatar_urls: std::collections::BTreeMap<&'static str, String>,
    project_type_key: String,
    simplified: bool,
}

#[derive(Serialize)]
struct ShareRoleBean {
    #[serde(rename = "self")]
    self_: String,
    name: String,
    id: i64,
    description: String,
}

/// `SharePermission`.
#[derive(Serialize)]
struct SharePermissionBean {
    id: i64,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    project: Option<ShareProjectBean>,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<ShareRoleBean>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<GroupName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user: Option<UserBean>,
}

/// `Filter` (and, trimmed to what `expand` asks, `FilterDetails`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FilterBean {
    #[serde(rename = "self")]
    self_: String,
    id: String,
    name: String,
    description: String,
    owner: UserBean,
    jql: String,
    view_url: String,
    search_url: String,
    favourite: bool,
    favourited_count: i64,
    share_permissions: Vec<SharePermissionBean>,
    edit_permissions: Vec<SharePermissionBean>,
    editable: bool,
    shared_users: ListWrapper<UserBean>,
    subscriptions: ListWrapper<Value>,
}

#[derive(Serialize, Deserialize)]
struct DefaultShareScope {
    scope: Option<String>,
}

fn project_bean(base: &str, p: &Project) -> ShareProjectBean {
    ShareProjectBean {
        self_: format!("{base}/rest/api/2/project/{}", p.id),
        id: p.id.to_string(),
        key: p.key.clone(),
        name: p.name.clone(),
        avatar_urls: avatar_urls(base, "project", &p.id.to_string()),
        project_type_key: p.project_type_key.clone(),
        simplified: false,
    }
}

fn share_bean(base: &str, s: &Share) -> SharePermissionBean {
    let mut bean = SharePermissionBean {
        id: s.id,
        kind: "global",
        project: None,
        role: None,
        group: None,
        user: None,
    };
    match &s.target {
        ShareTarget::Global => {}
        ShareTarget::Authenticated => bean.kind = "loggedin",
        ShareTarget::Group(g) => {
            bean.kind = "group";
            bean.group = Some(GroupName {
                name: g.clone(),
                self_: format!("{base}/rest/api/2/group?groupname={}", crate::api::pct(g)),
            });
        }
        ShareTarget::Project(p) => {
            bean.kind = "project";
            bean.project = Some(project_bean(base, p));
        }
        // Jira answers a role share as a project share carrying the role.
        ShareTarget::ProjectRole(p, r) => {
            bean.kind = "project";
            bean.project = Some(project_bean(base, p));
            bean.role = Some(ShareRoleBean {
                self_: format!("{base}/rest/api/2/project/{}/role/{}", p.id, r.id),
                name: r.name.clone(),
                id: r.id,
                description: r.description.clone(),
            });
        }
        ShareTarget::User(u) => {
            bean.kind = "user";
            bean.user = Some(user(base, u));
        }
        ShareTarget::ProjectUnknown => bean.kind = "project-unknown",
    }
    bean
}

fn filter_bean(base: &str, v: &FilterView) -> FilterBean {
    let f = &v.filter;
    FilterBean {
        self_: format!("{base}/rest/api/2/filter/{}", f.id),
        id: f.id.to_string(),
        name: f.name.clone(),
        description: f.description.clone(),
        owner: user(base, &v.owner),
        jql: f.jql.clone(),
        view_url: format!("{base}/issues/?filter={}", f.id),
        search_url: format!("{base}/rest/api/2/search?jql={}", crate::api::pct(&f.jql)),
        favourite: v.favourite,
        favourited_count: v.favourited_count,
        share_permissions: v.shares.iter().map(|s| share_bean(base, s)).collect(),
        edit_permissions: Vec::new(),
        editable: v.editable,
        shared_users: match &v.shared_users {
            Some(users) => ListWrapper::of(
                users.iter().map(|u| user(base, u)).collect(),
                crate::service::filters::MAX_SHARED_USERS,
            ),
            None => ListWrapper::empty(),
        },
        subscriptions: ListWrapper::empty(),
    }
}

/// A filter id from the path; anything but a number is a missing filter.
fn filter_id(raw: &str) -> JiraResult<i64> {
    raw.parse()
        .map_err(|_| JiraError(Error::not_found(NOT_AVAILABLE)))
}

// Request types.

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ExpandQuery {
    #[serde(default)]
    expand: List,
    #[serde(default, deserialize_with = "lenient_bool")]
    include_favourites: Option<bool>,
}

impl ExpandQuery {
    fn shared_users(&self) -> bool {
        expands(&self.expand, "sharedUsers")
    }
}

/// Whether `expand` names `what` (`sharedUsers[0:10]` counts as `sharedUsers`).
fn expands(expand: &List, what: &str) -> bool {
    expand
        .items()
        .iter()
        .any(|e| e == what || e.starts_with(&format!("{what}[")))
}

/// An id given as a JSON string or number.
fn text(v: &Option<Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct NamedRef {
    id: Option<Value>,
    key: Option<String>,
    name: Option<String>,
    account_id: Option<String>,
}

/// `SharePermissionInputBean`, or a `SharePermission` inside a filter body.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ShareBody {
    #[serde(rename = "type")]
    kind: Option<String>,
    groupname: Option<String>,
    project_id: Option<Value>,
    project_role_id: Option<Value>,
    account_id: Option<String>,
    group: Option<NamedRef>,
    project: Option<NamedRef>,
    role: Option<NamedRef>,
    user: Option<NamedRef>,
}

impl ShareBody {
    fn input(self) -> ShareInput {
        let project = text(&self.project_id).or_else(|| {
            self.project
                .as_ref()
                .and_then(|p| text(&p.id).or_else(|| p.key.clone()))
        });
        ShareInput {
            kind: self.kind.unwrap_or_default(),
            group: self.groupname.or_else(|| self.group.and_then(|g| g.name)),
            project,
            role: text(&self.project_role_id).or_else(|| self.role.and_then(|r| text(&r.id))),
            user: self
                .account_id
                .or_else(|| self.user.and_then(|u| u.account_id.or(u.name))),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct FilterBody {
    name: Option<String>,
    description: Option<String>,
    jql: Option<String>,
    favourite: Option<bool>,
    share_permissions: Option<Vec<ShareBody>>,
}

impl FilterBody {
    fn input(self) -> FilterInput {
        FilterInput {
            name: self.name,
            description: self.description,
            jql: self.jql,
            favourite: self.favourite,
            shares: self
                .share_permissions
                .map(|s| s.into_iter().map(ShareBody::input).collect()),
        }
    }
}

fn filters_json(ctx: &Ctx, views: &[FilterView]) -> Json<Vec<FilterBean>> {
    Json(views.iter().map(|v| filter_bean(&ctx.base, v)).collect())
}

// Handlers.

/// # `POST /rest/api/2/filter` (createFilter)
async fn create_filter(
    ctx: Ctx,
    Query(q): Query<ExpandQuery>,
    Json(body): Json<FilterBody>,
) -> JiraResult<Json<FilterBean>> {
    let caller = ctx.user()?;
    let mut v = ctx.app.filters.create_filter(caller, body.input()).await?;
    if q.shared_users() {
        v = ctx
            .app
            .filters
            .filter(Some(caller), v.filter.id, true)
            .await?;
    }
    Ok(Json(filter_bean(&ctx.base, &v)))
}

/// # `GET /rest/api/2/filter` (getFilters)
///
/// Deprecated in Jira: every filter the caller can see.
async fn get_filters(ctx: Ctx, Query(q): Query<ExpandQuery>) -> JiraResult<Json<Vec<FilterBean>>> {
    let caller = ctx.user()?;
    let views = ctx
        .app
        .filters
        .visible_filters(caller, q.shared_users())
        .await?;
    Ok(filters_json(&ctx, &views))
}

/// # `GET /rest/api/2/filter/{id}` (getFilter)
async fn get_filter(
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<ExpandQuery>,
) -> JiraResult<Json<FilterBean>> {
    let id = filter_id(&id)?;
    let v = ctx
        .app
        .filters
        .filter(ctx.caller.as_ref(), id, q.shared_users())
        .await?;
    Ok(Json(filter_bean(&ctx.base, &v)))
}

/// # `PUT /rest/api/2/filter/{id}` (updateFilter)
async fn update_filter(
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<ExpandQuery>,
    Json(body): Json<FilterBody>,
) -> JiraResult<Json<FilterBean>> {
    let caller = ctx.user()?;
    let id = filter_id(&id)?;
    let mut v = ctx
        .app
        .filters
        .update_filter(caller, id, body.input())
        .await?;
    if q.shared_users() {
        v = ctx.app.filters.filter(Some(caller), id, true).await?;
    }
    Ok(Json(filter_bean(&ctx.base, &v)))
}

/// # `DELETE /rest/api/2/filter/{id}` (deleteFilter)
async fn delete_filter(ctx: Ctx, Path(id): Path<String>) -> JiraResult<Response> {
    let caller = ctx.user()?;
    ctx.app
        .filters
        .delete_filter(caller, filter_id(&id)?)
        .await?;
    Ok(no_content())
}

/// # `GET /rest/api/2/filter/favourite` (getFavouriteFilters)
async fn get_favourite_filters(
    ctx: Ctx,
    Query(q): Query<ExpandQuery>,
) -> JiraResult<Json<Vec<FilterBean>>> {
    let caller = ctx.user()?;
    let views = ctx
        .app
        .filters
        .favourite_filters(caller, q.shared_users())
        .await?;
    Ok(filters_json(&ctx, &views))
}

/// # `PUT /rest/api/2/filter/{id}/favourite` (setFavouriteForFilter)
async fn set_favourite_for_filter(
    ctx: Ctx,
    Path(id): Path<String>,
) -> JiraResult<Json<FilterBean>> {
    let caller = ctx.user()?;
    let v = ctx
        .app
        .filters
        .set_filter_favourite(caller, filter_id(&id)?, true)
        .await?;
    Ok(Json(filter_bean(&ctx.base, &v)))
}

/// # `DELETE /rest/api/2/filter/{id}/favourite` (deleteFavouriteForFilter)
async fn delete_favourite_for_filter(
    ctx: Ctx,
    Path(id): Path<String>,
) -> JiraResult<Json<FilterBean>> {
    let caller = ctx.user()?;
    let v = ctx
        .app
        .filters
        .set_filter_favourite(caller, filter_id(&id)?, false)
        .await?;
    Ok(Json(filter_bean(&ctx.base, &v)))
}

/// # `GET /rest/api/2/filter/my` (getMyFilters)
async fn get_my_filters(
    ctx: Ctx,
    Query(q): Query<ExpandQuery>,
) -> JiraResult<Json<Vec<FilterBean>>> {
    let caller = ctx.user()?;
    let views = ctx
        .app
        .filters
        .my_filters(
            caller,
            q.include_favourites.unwrap_or(false),
            q.shared_users(),
        )
        .await?;
    Ok(filters_json(&ctx, &views))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct SearchQuery {
    filter_name: Option<String>,
    account_id: Option<String>,
    owner: Option<String>,
    groupname: Option<String>,
    project_id: Option<i64>,
    order_by: Option<String>,
    start_at: Option<i64>,
    max_results: Option<i64>,
    #[serde(default)]
    expand: List,
}

/// Fields of `FilterDetails` always present; the others come with `expand`.
const DETAIL_KEYS: &[&str] = &["self", "id", "name"];
const EXPANDABLE: &[&str] = &[
    "description",
    "favourite",
    "favouritedCount",
    "jql",
    "owner",
    "searchUrl",
    "sharePermissions",
    "editPermissions",
    "isWritable",
    "subscriptions",
    "viewUrl",
    "sharedUsers",
];

/// # `GET /rest/api/2/filter/search` (getFiltersPaginated)
async fn get_filters_paginated(
    ctx: Ctx,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
    Query(q): Query<SearchQuery>,
) -> JiraResult<Json<PageBean<Value>>> {
    let caller = ctx.user()?;
    let (start, max) = crate::service::paging(q.start_at, q.max_results, 50, 100)?;
    let order_raw = q.order_by.clone().unwrap_or_else(|| "name".into());
    let (order, descending) = FilterOrder::parse(&order_raw).ok_or_else(|| {
        JiraError(Error::bad_request(format!(
            "'{order_raw}' is not a valid orderBy value. Use description, favourite_count, id, is_favourite, is_shared, name or owner, optionally prefixed with + or -."
        )))
    })?;
    // Repeated `id` parameters: read them from the raw query.
    let mut ids = Vec::new();
    for (k, v) in raw
        .as_deref()
        .unwrap_or_default()
        .split('&')
        .filter_map(|p| p.split_once('='))
    {
        if k == "id" {
            for part in v.replace("%2C", ",").replace("%2c", ",").split(',') {
                let id = part.trim().parse::<i64>().map_err(|_| {
                    JiraError(Error::bad_request(format!("'{part}' is not a filter id.")))
                })?;
                ids.push(id);
            }
        }
    }
    let expanded: Vec<String> = q.expand.items().to_vec();
    let with_users = expands(&q.expand, "sharedUsers");
    let owner = match (q.account_id, q.owner) {
        (Some(a), _) if !a.is_empty() => Some(UserRef::AccountId(a)),
        (_, Some(o)) if !o.is_empty() => Some(UserRef::Username(o)),
        _ => None,
    };
    let page: Page<FilterView> = ctx
        .app
        .filters
        .search_filters(
            caller,
            FilterSearch {
                name: q.filter_name.filter(|n| !n.trim().is_empty()),
                owner,
                group: q.groupname.filter(|g| !g.is_empty()),
                project_id: q.project_id,
                ids,
                order,
                descending,
                start_at: start,
                max_results: max,
                shared_users: with_users,
            },
        )
        .await?;
    let is_last = page.is_last();
    let values = page
        .items
        .iter()
        .map(|v| {
            let mut full = to_json(filter_bean(&ctx.base, v))?;
            if let Some(o) = full.as_object_mut() {
                o.insert("isWritable".into(), Value::Bool(v.editable));
                o.retain(|k, _| {
                    DETAIL_KEYS.contains(&k.as_str())
                        || (EXPANDABLE.contains(&k.as_str())
                            && expanded
                                .iter()
                                .any(|e| e == k || e.starts_with(&format!("{k}["))))
                });
                o.insert("expand".into(), Value::String(EXPANDABLE.join(",")));
            }
            Ok(full)
        })
        .collect::<JiraResult<Vec<Value>>>()?;
    let here = format!(
        "{}/rest/api/2/filter/search?{}",
        ctx.base,
        raw.clone().unwrap_or_default()
    );
    Ok(Json(PageBean {
        self_: Some(here),
        next_page: (!is_last).then(|| {
            format!(
                "{}/rest/api/2/filter/search?startAt={}&maxResults={}&orderBy={}",
                ctx.base,
                start + max,
                max,
                crate::api::pct(&order_raw)
            )
        }),
        max_results: page.max_results,
        start_at: page.start_at,
        total: page.total,
        is_last,
        values,
    }))
}

/// # `GET /rest/api/2/filter/{id}/permission` (getSharePermissions)
async fn get_share_permissions(
    ctx: Ctx,
    Path(id): Path<String>,
) -> JiraResult<Json<Vec<SharePermissionBean>>> {
    let caller = ctx.user()?;
    let shares = ctx
        .app
        .filters
        .filter_shares(caller, filter_id(&id)?)
        .await?;
    Ok(Json(
        shares.iter().map(|s| share_bean(&ctx.base, s)).collect(),
    ))
}

/// # `POST /rest/api/2/filter/{id}/permission` (addSharePermission)
async fn add_share_permission(
    ctx: Ctx,
    Path(id): Path<String>,
    Json(body): Json<ShareBody>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let shares = ctx
        .app
        .filters
        .add_filter_share(caller, filter_id(&id)?, body.input())
        .await?;
    let beans: Vec<SharePermissionBean> = shares.iter().map(|s| share_bean(&ctx.base, s)).collect();
    Ok((StatusCode::CREATED, Json(beans)).into_response())
}

/// # `GET /rest/api/2/filter/{id}/permission/{permissionId}` (getSharePermission)
async fn get_share_permission(
    ctx: Ctx,
    Path((id, permission)): Path<(String, String)>,
) -> JiraResult<Json<SharePermissionBean>> {
    let caller = ctx.user()?;
    let id = filter_id(&id)?;
    let permission = super::path_id(&permission, "share permission")?;
    let share = ctx.app.filters.filter_share(caller, id, permission).await?;
    Ok(Json(share_bean(&ctx.base, &share)))
}

/// # `DELETE /rest/api/2/filter/{id}/permission/{permissionId}` (deleteSharePermission)
async fn delete_share_permission(
    ctx: Ctx,
    Path((id, permission)): Path<(String, String)>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let id = filter_id(&id)?;
    let permission = super::path_id(&permission, "share permission")?;
    ctx.app
        .filters
        .delete_filter_share(caller, id, permission)
        .await?;
    Ok(no_content())
}

/// # `GET /rest/api/2/filter/defaultShareScope` (getDefaultShareScope)
async fn get_default_share_scope(ctx: Ctx) -> JiraResult<Json<DefaultShareScope>> {
    let caller = ctx.user()?;
    let scope = ctx.app.filters.default_share_scope(caller).await?;
    Ok(Json(DefaultShareScope { scope: Some(scope) }))
}

/// # `PUT /rest/api/2/filter/defaultShareScope` (setDefaultShareScope)
async fn set_default_share_scope(
    ctx: Ctx,
    Json(body): Json<DefaultShareScope>,
) -> JiraResult<Json<DefaultShareScope>> {
    let caller = ctx.user()?;
    let raw = body.scope.ok_or_else(|| {
        JiraError(Error::bad_request(
            "scope is required: GLOBAL, AUTHENTICATED or PRIVATE.",
        ))
    })?;
    let scope = ctx
        .app
        .filters
        .set_default_share_scope(caller, &raw)
        .await?;
    Ok(Json(DefaultShareScope { scope: Some(scope) }))
}
