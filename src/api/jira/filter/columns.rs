//! Column layouts of the issue navigator: per filter (`/filter/{id}/columns`), the
//! system default (`/settings/columns`) and per user (`/user/columns`).

use axum::extract::{FromRequest, Path, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::filter_id;
use crate::api::Ctx;
use crate::api::jira::{JiraError, JiraResult, Json, Query, no_content};
use crate::error::Error;
use crate::service::filters::Column;
use crate::service::users::UserRef;

/// `ColumnItem`.
#[derive(Serialize)]
pub(crate) struct ColumnItem {
    label: String,
    value: String,
}

fn column_items(cols: Vec<Column>) -> Vec<ColumnItem> {
    cols.into_iter()
        .map(|c| ColumnItem {
            label: c.label,
            value: c.id,
        })
        .collect()
}

/// A column list: a JSON array of field ids, `{"columns": [...]}`, or form data
/// `columns=a&columns=b` as Jira's own UI sends.
pub(crate) struct Columns(Vec<String>);

impl<S: Send + Sync> FromRequest<S> for Columns {
    type Rejection = JiraError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if form {
            let axum::Form(pairs) = axum::Form::<Vec<(String, String)>>::from_request(req, state)
                .await
                .map_err(|e| {
                    JiraError(Error::bad_request(format!(
                        "The form data could not be read: {}",
                        e.body_text()
                    )))
                })?;
            return Ok(Columns(
                pairs
                    .into_iter()
                    .filter(|(k, _)| k == "columns" || k == "columns[]")
                    .map(|(_, v)| v)
                    .collect(),
            ));
        }
        let Json(body) = Json::<Value>::from_request(req, state).await?;
        let list = match body {
            Value::Array(items) => items,
            Value::Object(mut o) => match o.remove("columns") {
                Some(Value::Array(items)) => items,
                Some(Value::String(s)) => vec![Value::String(s)],
                _ => Vec::new(),
            },
            Value::String(s) => vec![Value::String(s)],
            _ => Vec::new(),
        };
        list.into_iter()
            .map(|v| match v {
                Value::String(s) => Ok(s),
                _ => Err(JiraError(Error::bad_request(
                    "Columns must be given as field id strings.",
                ))),
            })
            .collect::<JiraResult<Vec<_>>>()
            .map(Columns)
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UserQuery {
    account_id: Option<String>,
    username: Option<String>,
}

impl UserQuery {
    fn target(self) -> Option<UserRef> {
        match (self.account_id, self.username) {
            (Some(a), _) if !a.is_empty() => Some(UserRef::AccountId(a)),
            (_, Some(u)) if !u.is_empty() => Some(UserRef::Username(u)),
            _ => None,
        }
    }
}

/// # `GET /rest/api/2/filter/{id}/columns` (getColumns)
pub(crate) async fn get_columns(
    ctx: Ctx,
    Path(id): Path<String>,
) -> JiraResult<Json<Vec<ColumnItem>>> {
    let caller = ctx.user()?;
    let cols = ctx
        .app
        .filters
        .filter_columns(caller, filter_id(&id)?)
        .await?;
    Ok(Json(column_items(cols)))
}

/// # `PUT /rest/api/2/filter/{id}/columns` (setColumns)
pub(crate) async fn set_columns(
    ctx: Ctx,
    Path(id): Path<String>,
    Columns(cols): Columns,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    ctx.app
        .filters
        .set_filter_columns(caller, filter_id(&id)?, Some(cols))
        .await?;
    Ok(StatusCode::OK.into_response())
}

/// # `DELETE /rest/api/2/filter/{id}/columns` (resetColumns)
pub(crate) async fn reset_columns(ctx: Ctx, Path(id): Path<String>) -> JiraResult<Response> {
    let caller = ctx.user()?;
    ctx.app
        .filters
        .set_filter_columns(caller, filter_id(&id)?, None)
        .await?;
    Ok(no_content())
}

/// # `GET /rest/api/2/settings/columns` (getIssueNavigatorDefaultColumns)
pub(crate) async fn get_issue_navigator_default_columns(
    ctx: Ctx,
) -> JiraResult<Json<Vec<ColumnItem>>> {
    let caller = ctx.user()?;
    Ok(Json(column_items(
        ctx.app.filters.system_columns(caller).await?,
    )))
}

/// # `PUT /rest/api/2/settings/columns` (setIssueNavigatorDefaultColumns)
pub(crate) async fn set_issue_navigator_default_columns(
    ctx: Ctx,
    Columns(cols): Columns,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    ctx.app
        .filters
        .set_system_columns(caller, Some(cols))
        .await?;
    Ok(StatusCode::OK.into_response())
}

/// # `DELETE /rest/api/2/settings/columns` (resetIssueNavigatorDefaultColumns)
///
/// Not in Jira: restores the built-in default columns.
pub(crate) async fn reset_issue_navigator_default_columns(ctx: Ctx) -> JiraResult<Response> {
    let caller = ctx.user()?;
    ctx.app.filters.set_system_columns(caller, None).await?;
    Ok(no_content())
}

/// # `GET /rest/api/2/user/columns` (getUserDefaultColumns)
pub(crate) async fn get_user_default_columns(
    ctx: Ctx,
    Query(q): Query<UserQuery>,
) -> JiraResult<Json<Vec<ColumnItem>>> {
    let caller = ctx.user()?;
    let cols = ctx.app.filters.user_columns(caller, q.target()).await?;
    Ok(Json(column_items(cols)))
}

/// # `PUT /rest/api/2/user/columns` (setUserColumns)
pub(crate) async fn set_user_columns(
    ctx: Ctx,
    Query(q): Query<UserQuery>,
    Columns(cols): Columns,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    ctx.app
        .filters
        .set_user_columns(caller, q.target(), Some(cols))
        .await?;
    Ok(StatusCode::OK.into_response())
}

/// # `DELETE /rest/api/2/user/columns` (resetUserColumns)
pub(crate) async fn reset_user_columns(
    ctx: Ctx,
    Query(q): Query<UserQuery>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    ctx.app
        .filters
        .set_user_columns(caller, q.target(), None)
        .await?;
    Ok(no_content())
}
