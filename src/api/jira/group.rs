//! Groups: create, get (with a page of members), delete (with `swapGroup`), members,
//! adding and removing users, and the group and group-or-user pickers.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::dto::{PageBean, UserBean, user};
use super::{JiraError, JiraResult, Json, List, Query};
use crate::api::Ctx;
use crate::api::routes::{MANAGE_CONFIG, READ_USER, Routes};
use crate::error::Error;
use crate::service::users::UserRef;

pub fn routes() -> Routes {
    Routes::new()
        .get("/group", MANAGE_CONFIG, get_group)
        .post("/group", MANAGE_CONFIG, create_group)
        .delete("/group", MANAGE_CONFIG, remove_group)
        .get("/group/member", MANAGE_CONFIG, get_users_from_group)
        .post("/group/user", MANAGE_CONFIG, add_user_to_group)
        .delete("/group/user", MANAGE_CONFIG, remove_user_from_group)
        .get("/groups/picker", READ_USER, find_groups)
        .get("/groupuserpicker", READ_USER, find_users_and_groups)
}

/// Percent-encodes a query value (group names may hold spaces and `&`).
pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn group_self(base: &str, name: &str) -> String {
    format!("{base}/rest/api/2/group?groupname={}", enc(name))
}

fn required_group(g: Option<String>) -> JiraResult<String> {
    g.filter(|g| !g.trim().is_empty()).ok_or_else(|| {
        JiraError(Error::bad_request(
            "The groupname query parameter is required.",
        ))
    })
}

/// Jira's group with its paged member list (`users`).
fn group_json(base: &str, name: &str, total: i64, start: i64, members: &[UserBean]) -> Value {
    let end = if members.is_empty() {
        0
    } else {
        start + members.len() as i64 - 1
    };
    json!({
        "name": name,
        "self": group_self(base, name),
        "users": {"size": total, "items": members, "max-results": 50, "start-index": start, "end-index": end},
        "expand": "users",
    })
}

/// `expand=users` (members 0..49) or `users[a:b]` (members a..=b), as Jira pages them.
fn member_range(expand: &List) -> JiraResult<Option<(i64, i64)>> {
    for e in expand.items() {
        if e == "users" {
            return Ok(Some((0, 49)));
        }
        if let Some(range) = e.strip_prefix("users[").and_then(|r| r.strip_suffix(']')) {
            let bad = || {
                JiraError(Error::bad_request(format!(
                    "'{e}' is not a member range; use users[start:end]."
                )))
            };
            let (a, b) = range.split_once(':').ok_or_else(bad)?;
            let a: i64 = a.trim().parse().map_err(|_| bad())?;
            let b: i64 = b.trim().parse().map_err(|_| bad())?;
            if a < 0 || b < a {
                return Err(bad());
            }
            // At most 50 members a page, as in Jira.
            return Ok(Some((a, b.min(a + 49))));
        }
    }
    Ok(None)
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct GroupQuery {
    groupname: Option<String>,
    account_id: Option<String>,
    username: Option<String>,
    #[serde(default)]
    expand: List,
    swap_group: Option<String>,
    #[serde(default, deserialize_with = "super::lenient_bool")]
    include_inactive_users: Option<bool>,
    start_at: Option<i64>,
    max_results: Option<i64>,
}

/// # `GET /rest/api/2/group` (getGroup)
async fn get_group(ctx: Ctx, Query(q): Query<GroupQuery>) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let name = required_group(q.groupname)?;
    let range = member_range(&q.expand)?;
    let g = ctx.app.directory.get_group(caller, &name, range).await?;
    let members: Vec<UserBean> = g.members.iter().map(|u| user(&ctx.base, u)).collect();
    let mut v = group_json(&ctx.base, &g.name, g.total, g.start, &members);
    if range.is_none() {
        v["users"]["items"] = json!([]);
        v["users"]["end-index"] = json!(0);
    }
    Ok(Json(v))
}

#[derive(Deserialize)]
struct GroupBody {
    name: Option<String>,
}

/// # `POST /rest/api/2/group` (createGroup)
async fn create_group(ctx: Ctx, Json(body): Json<GroupBody>) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let name = body.name.unwrap_or_default().trim().to_string();
    ctx.app.users.create_group(caller, &name).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(group_json(&ctx.base, &name, 0, 0, &[])),
    )
        .into_response())
}

/// # `DELETE /rest/api/2/group` (removeGroup)
async fn remove_group(ctx: Ctx, Query(q): Query<GroupQuery>) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let name = required_group(q.groupname)?;
    ctx.app
        .directory
        .delete_group(caller, &name, q.swap_group.as_deref())
        .await?;
    Ok(StatusCode::OK.into_response())
}

/// # `GET /rest/api/2/group/member` (getUsersFromGroup)
async fn get_users_from_group(
    ctx: Ctx,
    Query(q): Query<GroupQuery>,
) -> JiraResult<Json<PageBean<UserBean>>> {
    let caller = ctx.user()?;
    let name = required_group(q.groupname)?;
    let (start, max) = crate::service::paging(q.start_at, q.max_results, 50, 50)?;
    let inactive = q.include_inactive_users.unwrap_or(false);
    let page = ctx
        .app
        .directory
        .group_members(caller, &name, inactive, start, max)
        .await?;
    let at = |s: i64| {
        format!(
            "{}/rest/api/2/group/member?groupname={}&includeInactiveUsers={inactive}&startAt={s}&maxResults={max}",
            ctx.base,
            enc(&page.name)
        )
    };
    let is_last = start + (page.members.len() as i64) >= page.total;
    Ok(Json(PageBean {
        self_: Some(at(start)),
        next_page: (!is_last).then(|| at(start + max)),
        max_results: max,
        start_at: start,
        total: page.total,
        is_last,
        values: page.members.iter().map(|u| user(&ctx.base, u)).collect(),
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GroupMemberBody {
    name: Option<String>,
    account_id: Option<String>,
}

/// # `POST /rest/api/2/group/user` (addUserToGroup)
async fn add_user_to_group(
    ctx: Ctx,
    Query(q): Query<GroupQuery>,
    Json(body): Json<GroupMemberBody>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let group = required_group(q.groupname)?;
    let who = match (body.account_id, body.name) {
        (Some(a), _) => UserRef::AccountId(a),
        (None, Some(n)) => UserRef::Username(n),
        _ => {
            return Err(JiraError(Error::bad_request(
                "Give the user as 'name' or 'accountId'.",
            )));
        }
    };
    ctx.app.users.group_add_user(caller, &group, &who).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(json!({"name": group, "self": group_self(&ctx.base, &group)})),
    )
        .into_response())
}

/// # `DELETE /rest/api/2/group/user` (removeUserFromGroup)
async fn remove_user_from_group(ctx: Ctx, Query(q): Query<GroupQuery>) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let group = required_group(q.groupname)?;
    let who = match (q.account_id, q.username) {
        (Some(a), _) => UserRef::AccountId(a),
        (None, Some(n)) => UserRef::Username(n),
        _ => {
            return Err(JiraError(Error::bad_request(
                "The accountId or username query parameter is required.",
            )));
        }
    };
    ctx.app
        .users
        .group_remove_user(caller, &group, &who)
        .await?;
    // The seed documents 200 (no body) here, not 204.
    Ok(StatusCode::OK.into_response())
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct PickerQuery {
    query: Option<String>,
    #[serde(default)]
    exclude: List,
    max_results: Option<i64>,
    user_name: Option<String>,
    account_id: Option<String>,
    #[serde(default, deserialize_with = "super::lenient_bool")]
    show_avatar: Option<bool>,
}

/// `query` in bold inside `name`, HTML-escaped, as Jira's pickers highlight.
pub(super) fn highlight(name: &str, query: &str) -> String {
    let esc = crate::markup::escape;
    if query.is_empty() {
        return esc(name).to_string();
    }
    match name.to_lowercase().find(&query.to_lowercase()) {
        Some(at) if name.is_char_boundary(at) && name.is_char_boundary(at + query.len()) => {
            let (a, rest) = name.split_at(at);
            let (m, b) = rest.split_at(query.len());
            format!("{}<b>{}</b>{}", esc(a), esc(m), esc(b))
        }
        _ => esc(name).to_string(),
    }
}

async fn picked_groups(ctx: &Ctx, q: &PickerQuery, max: i64) -> JiraResult<Value> {
    let caller = ctx.user()?;
    let exclude = q.exclude.items();
    let user = match (&q.account_id, &q.user_name) {
        (Some(a), _) => Some(UserRef::AccountId(a.clone())),
        (None, Some(u)) => Some(UserRef::Username(u.clone())),
        _ => None,
    };
    let text = q.query.clone().unwrap_or_default();
    let picked = ctx
        .app
        .directory
        .find_groups(caller, &text, exclude, max as usize, user.as_ref())
        .await?;
    let groups: Vec<Value> = picked
        .groups
        .iter()
        .map(|g| json!({"name": g, "html": highlight(g, &text), "labels": []}))
        .collect();
    Ok(json!({
        "header": format!("Showing {} of {} matching groups", groups.len(), picked.total),
        "total": picked.total,
        "groups": groups,
    }))
}

/// # `GET /rest/api/2/groups/picker` (findGroups)
async fn find_groups(ctx: Ctx, Query(q): Query<PickerQuery>) -> JiraResult<Json<Value>> {
    let (_, max) = crate::service::paging(None, q.max_results, 20, 1000)?;
    Ok(Json(picked_groups(&ctx, &q, max).await?))
}

/// # `GET /rest/api/2/groupuserpicker` (findUsersAndGroups)
async fn find_users_and_groups(ctx: Ctx, Query(q): Query<PickerQuery>) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let (_, max) = crate::service::paging(None, q.max_results, 50, 1000)?;
    let text = q.query.clone().unwrap_or_default();
    let users = ctx
        .app
        .users
        .search_users(caller, &text, false, 0, max)
        .await?;
    let show_avatar = q.show_avatar.unwrap_or(false);
    let items: Vec<Value> = users
        .iter()
        .map(|u| {
            let mut v = json!({
                "accountId": u.account_id, "name": u.username, "key": u.username.to_lowercase(),
                "html": format!("{} - {} ({})", highlight(&u.display_name, &text), crate::markup::escape(&u.email), highlight(&u.username, &text)),
                "displayName": u.display_name,
            });
            if show_avatar {
                v["avatarUrl"] = json!(format!("{}/secure/useravatar?size=small&ownerId={}", ctx.base, enc(&u.username)));
            }
            v
        })
        .collect();
    let groups = picked_groups(&ctx, &q, max).await?;
    Ok(Json(json!({
        "users": {"users": items, "total": items.len(), "header": format!("Showing {} of {} matching users", items.len(), items.len())},
        "groups": groups,
    })))
}
