//! Comments on an issue, and comment properties.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::dto::{CommentBean, EntityProperty, PropertyKey, PropertyKeys, comment};
use super::issue::property_set_response;
use super::{JiraError, JiraResult, Json, List, Query, no_content, path_id};
use crate::api::Ctx;
use crate::api::routes::{READ_WORK, Routes, WRITE_WORK};
use crate::domain::*;
use crate::error::Error;
use crate::service::comments::{CommentInput, CommentOrder};
use crate::service::properties::PropertyOwner;

pub fn routes() -> Routes {
    Routes::new()
        .get("/issue/{key}/comment", READ_WORK, get_comments)
        .post("/issue/{key}/comment", WRITE_WORK, add_comment)
        .get("/issue/{key}/comment/{id}", READ_WORK, get_comment)
        .put("/issue/{key}/comment/{id}", WRITE_WORK, update_comment)
        .delete("/issue/{key}/comment/{id}", WRITE_WORK, delete_comment)
        .get(
            "/comment/{id}/properties",
            READ_WORK,
            get_comment_property_keys,
        )
        .get(
            "/comment/{id}/properties/{property}",
            READ_WORK,
            get_comment_property,
        )
        .put(
            "/comment/{id}/properties/{property}",
            WRITE_WORK,
            set_comment_property,
        )
        .delete(
            "/comment/{id}/properties/{property}",
            WRITE_WORK,
            delete_comment_property,
        )
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ListQuery {
    start_at: Option<i64>,
    max_results: Option<i64>,
    order_by: Option<String>,
    #[serde(default)]
    expand: List,
}

fn rendered(expand: List) -> bool {
    expand.items().iter().any(|e| e == "renderedBody")
}

/// # `GET /rest/api/2/issue/{issueIdOrKey}/comment` (getComments)
async fn get_comments(
    ctx: Ctx,
    Path(key): Path<String>,
    Query(q): Query<ListQuery>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let (start, max) = crate::service::paging(q.start_at, q.max_results, 5000, 5000)?;
    let order = match q.order_by.as_deref() {
        None | Some("created" | "+created") => CommentOrder::CreatedAsc,
        Some("-created") => CommentOrder::CreatedDesc,
        Some(other) => {
            return Err(JiraError(Error::bad_request(format!(
                "orderBy must be created, +created or -created, not '{other}'."
            ))));
        }
    };
    let (view, page) = ctx
        .app
        .comments
        .list_comments(caller, &IssueRef::parse(&key), start, max, order)
        .await?;
    let with_html = rendered(q.expand);
    let comments: Vec<CommentBean> = page
        .items
        .iter()
        .map(|c| comment(&ctx.base, c, &view.users, with_html))
        .collect();
    Ok(Json(
        json!({"startAt": page.start_at, "maxResults": page.max_results, "total": page.total, "comments": comments}),
    ))
}

#[derive(Deserialize)]
struct VisibilityBody {
    #[serde(rename = "type")]
    kind: Option<String>,
    value: Option<String>,
    identifier: Option<String>,
}

#[derive(Deserialize)]
struct CommentBody {
    body: Option<Value>,
    visibility: Option<VisibilityBody>,
}

impl CommentBody {
    fn input(self) -> JiraResult<CommentInput> {
        let body = match self.body {
            Some(Value::String(s)) => s,
            None | Some(Value::Null) => String::new(),
            Some(_) => {
                return Err(JiraError(Error::field(
                    "comment",
                    "The comment body must be a string of wiki markup.",
                )));
            }
        };
        let visibility = match self.visibility {
            None => None,
            Some(v) => match (v.kind, v.value.or(v.identifier)) {
                (Some(kind), Some(value)) => Some(Visibility { kind, value }),
                _ => {
                    return Err(JiraError(Error::field(
                        "commentLevel",
                        "Visibility needs a 'type' (group or role) and a 'value'.",
                    )));
                }
            },
        };
        Ok(CommentInput { body, visibility })
    }
}

#[derive(Deserialize, Default)]
struct ExpandQuery {
    #[serde(default)]
    expand: List,
}

/// # `POST /rest/api/2/issue/{issueIdOrKey}/comment` (addComment)
async fn add_comment(
    ctx: Ctx,
    Path(key): Path<String>,
    Query(q): Query<ExpandQuery>,
    Json(body): Json<CommentBody>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let (view, c) = ctx
        .app
        .comments
        .add_comment(caller, &IssueRef::parse(&key), body.input()?)
        .await?;
    let users = ctx
        .app
        .users
        .users_map(view.users.keys().copied().chain([caller.user.id]).collect())
        .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(comment(&ctx.base, &c, &users, rendered(q.expand))),
    )
        .into_response())
}

/// # `GET /rest/api/2/issue/{issueIdOrKey}/comment/{id}` (getComment)
async fn get_comment(
    ctx: Ctx,
    Path((key, id)): Path<(String, String)>,
    Query(q): Query<ExpandQuery>,
) -> JiraResult<Json<CommentBean>> {
    let caller = ctx.user()?;
    let id = path_id(&id, "comment")?;
    let (view, c) = ctx
        .app
        .comments
        .get_comment(caller, &IssueRef::parse(&key), id)
        .await?;
    Ok(Json(comment(
        &ctx.base,
        &c,
        &view.users,
        rendered(q.expand),
    )))
}

/// # `PUT /rest/api/2/issue/{issueIdOrKey}/comment/{id}` (updateComment)
async fn update_comment(
    ctx: Ctx,
    Path((key, id)): Path<(String, String)>,
    Query(q): Query<ExpandQuery>,
    Json(body): Json<CommentBody>,
) -> JiraResult<Json<CommentBean>> {
    let caller = ctx.user()?;
    let id = path_id(&id, "comment")?;
    let (view, c) = ctx
        .app
        .comments
        .update_comment(caller, &IssueRef::parse(&key), id, body.input()?)
        .await?;
    Ok(Json(comment(
        &ctx.base,
        &c,
        &view.users,
        rendered(q.expand),
    )))
}

/// # `DELETE /rest/api/2/issue/{issueIdOrKey}/comment/{id}` (deleteComment)
async fn delete_comment(ctx: Ctx, Path((key, id)): Path<(String, String)>) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let id = path_id(&id, "comment")?;
    ctx.app
        .comments
        .delete_comment(caller, &IssueRef::parse(&key), id)
        .await?;
    Ok(no_content())
}

/// # `GET /rest/api/2/comment/{commentId}/properties` (getCommentPropertyKeys)
async fn get_comment_property_keys(
    ctx: Ctx,
    Path(id): Path<String>,
) -> JiraResult<Json<PropertyKeys>> {
    let caller = ctx.user()?;
    let n = path_id(&id, "comment")?;
    let keys = ctx
        .app
        .properties
        .property_keys(caller, PropertyOwner::Comment(n))
        .await?;
    Ok(Json(PropertyKeys {
        keys: keys
            .into_iter()
            .map(|k| PropertyKey {
                self_: format!("{}/rest/api/2/comment/{n}/properties/{k}", ctx.base),
                key: k,
            })
            .collect(),
    }))
}

/// # `GET /rest/api/2/comment/{commentId}/properties/{propertyKey}` (getCommentProperty)
async fn get_comment_property(
    ctx: Ctx,
    Path((id, property)): Path<(String, String)>,
) -> JiraResult<Json<EntityProperty>> {
    let caller = ctx.user()?;
    let n = path_id(&id, "comment")?;
    let value = ctx
        .app
        .properties
        .property(caller, PropertyOwner::Comment(n), &property)
        .await?;
    Ok(Json(EntityProperty {
        key: property,
        value,
    }))
}

/// # `PUT /rest/api/2/comment/{commentId}/properties/{propertyKey}` (setCommentProperty)
async fn set_comment_property(
    ctx: Ctx,
    Path((id, property)): Path<(String, String)>,
    Json(value): Json<Value>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let n = path_id(&id, "comment")?;
    let outcome = ctx
        .app
        .properties
        .set_property(caller, PropertyOwner::Comment(n), &property, value)
        .await?;
    Ok(property_set_response(outcome))
}

/// # `DELETE /rest/api/2/comment/{commentId}/properties/{propertyKey}` (deleteCommentProperty)
async fn delete_comment_property(
    ctx: Ctx,
    Path((id, property)): Path<(String, String)>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let n = path_id(&id, "comment")?;
    ctx.app
        .properties
        .delete_property(caller, PropertyOwner::Comment(n), &property)
        .await?;
    Ok(no_content())
}
