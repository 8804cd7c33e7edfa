//! Project versions one at a time (the project-wide lists are in `project`, remote
//! links in `version_link`).
//!
//! | method | path | operation |
//! |---|---|---|
//! | POST | `/version` | createVersion |
//! | GET | `/version/{id}` | getVersion |
//! | PUT | `/version/{id}` | updateVersion |
//! | DELETE | `/version/{id}` | deleteVersion |
//! | POST | `/version/{id}/move` | moveVersion |
//! | PUT | `/version/{id}/mergeto/{moveIssuesTo}` | mergeVersions |
//! | POST | `/version/{id}/removeAndSwap` | deleteAndReplaceVersion |
//! | GET | `/version/{id}/relatedIssueCounts` | getVersionRelatedIssues |
//! | GET | `/version/{id}/unresolvedIssueCount` | getVersionUnresolvedIssues |

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::dto::{to_json, version};
use super::{JiraResult, Json, Query, no_content, path_id};
use crate::api::Ctx;
use crate::api::routes::{MANAGE_PROJECT, READ_WORK, Routes};
use crate::domain::*;
use crate::error::Error;
use crate::service::components::{VersionInput, VersionPosition};

pub fn routes() -> Routes {
    Routes::new()
        .post("/version", MANAGE_PROJECT, create_version)
        .get("/version/{id}", READ_WORK, get_version)
        .put("/version/{id}", MANAGE_PROJECT, update_version)
        .delete("/version/{id}", MANAGE_PROJECT, delete_version)
        .post("/version/{id}/move", MANAGE_PROJECT, move_version)
        .put(
            "/version/{id}/mergeto/{target}",
            MANAGE_PROJECT,
            merge_versions,
        )
        .post(
            "/version/{id}/removeAndSwap",
            MANAGE_PROJECT,
            delete_and_replace_version,
        )
        .get(
            "/version/{id}/relatedIssueCounts",
            READ_WORK,
            get_version_related_issues,
        )
        .get(
            "/version/{id}/unresolvedIssueCount",
            READ_WORK,
            get_version_unresolved_issues,
        )
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `2010-07-06` → `6/Jul/2010`, Jira's user-facing date.
fn user_date(iso: &str) -> Option<String> {
    let mut parts = iso.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let m: usize = m.parse().ok()?;
    let d: u32 = d.parse().ok()?;
    Some(format!("{d}/{}/{y}", MONTHS.get(m.checked_sub(1)?)?))
}

/// `6/Jul/2010` (or `6/Jul/10`) → `2010-07-06`.
fn iso_date(user: &str) -> Option<String> {
    let mut parts = user.trim().split('/');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    let d: u32 = d.parse().ok()?;
    let m = MONTHS.iter().position(|x| x.eq_ignore_ascii_case(m))? + 1;
    let mut y: i32 = y.parse().ok()?;
    if y < 100 {
        y += 2000;
    }
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

fn version_bean(base: &str, v: &Version, project_key: &str) -> JiraResult<Value> {
    let mut b = to_json(version(base, v))?;
    if let Some(d) = v.start_date.as_deref().and_then(user_date) {
        b["userStartDate"] = json!(d);
    }
    if let Some(d) = v.release_date.as_deref().and_then(user_date) {
        b["userReleaseDate"] = json!(d);
    }
    b["project"] = json!(project_key);
    Ok(b)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VersionBody {
    name: Option<String>,
    description: Option<String>,
    project: Option<String>,
    project_id: Option<Value>,
    archived: Option<bool>,
    released: Option<bool>,
    #[serde(default, deserialize_with = "present")]
    start_date: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    release_date: Option<Option<String>>,
    user_start_date: Option<String>,
    user_release_date: Option<String>,
}

/// Tells an absent field (`None`) from an explicit `null` (`Some(None)`).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Ok(Some(serde::Deserialize::deserialize(d)?))
}

fn date_input(
    field: &str,
    iso: Option<Option<String>>,
    user: Option<String>,
) -> JiraResult<Option<Option<String>>> {
    match (iso, user) {
        (Some(_), Some(_)) => Err(Error::bad_request(format!(
            "Specify either {field} or user{}{}, not both.",
            field[..1].to_uppercase(),
            &field[1..]
        ))
        .into()),
        (Some(d), None) => Ok(Some(d)),
        (None, Some(u)) => match iso_date(&u) {
            Some(d) => Ok(Some(Some(d))),
            None => Err(Error::field(
                field,
                format!("The date '{u}' is not valid; use the format d/MMM/yyyy."),
            )
            .into()),
        },
        (None, None) => Ok(None),
    }
}

impl VersionBody {
    fn input(self) -> JiraResult<VersionInput> {
        let project = self
            .project
            .as_deref()
            .map(ProjectRef::parse)
            .or(match &self.project_id {
                Some(Value::Number(n)) => n.as_i64().map(ProjectRef::Id),
                Some(Value::String(s)) => Some(ProjectRef::parse(s)),
                _ => None,
            });
        Ok(VersionInput {
            project,
            name: self.name,
            description: self.description,
            archived: self.archived,
            released: self.released,
            start_date: date_input("startDate", self.start_date, self.user_start_date)?,
            release_date: date_input("releaseDate", self.release_date, self.user_release_date)?,
        })
    }
}

/// # `POST /rest/api/2/version` (createVersion)
async fn create_version(ctx: Ctx, Json(body): Json<VersionBody>) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let v = ctx
        .app
        .components
        .create_version(caller, body.input()?)
        .await?;
    let (_, project) = ctx.app.components.get_version(Some(caller), v.id).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(version_bean(&ctx.base, &v, &project.key)?),
    )
        .into_response())
}

/// # `GET /rest/api/2/version/{id}` (getVersion)
async fn get_version(ctx: Ctx, Path(id): Path<String>) -> JiraResult<Json<Value>> {
    ctx.user()?;
    let n = path_id(&id, "version")?;
    let (v, project) = ctx
        .app
        .components
        .get_version(ctx.caller.as_ref(), n)
        .await?;
    Ok(Json(version_bean(&ctx.base, &v, &project.key)?))
}

/// # `PUT /rest/api/2/version/{id}` (updateVersion)
async fn update_version(
    ctx: Ctx,
    Path(id): Path<String>,
    Json(body): Json<VersionBody>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let n = path_id(&id, "version")?;
    let v = ctx
        .app
        .components
        .update_version(caller, n, body.input()?)
        .await?;
    let (_, project) = ctx.app.components.get_version(Some(caller), n).await?;
    Ok(Json(version_bean(&ctx.base, &v, &project.key)?))
}

/// A version id as a number, a string or a `self` URL.
fn version_ref(field: &str, v: &Value) -> JiraResult<Option<i64>> {
    let text = match v {
        Value::Null => return Ok(None),
        Value::Number(n) => n.to_string(),
        Value::String(s) if s.is_empty() => return Ok(None),
        Value::String(s) => s.clone(),
        _ => String::new(),
    };
    text.rsplit('/')
        .next()
        .and_then(|s| s.parse().ok())
        .map(Some)
        .ok_or_else(|| Error::field(field, format!("'{text}' is not a version id or URL.")).into())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DeleteQuery {
    move_fix_issues_to: Option<String>,
    move_affected_issues_to: Option<String>,
}

/// # `DELETE /rest/api/2/version/{id}` (deleteVersion)
async fn delete_version(
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<DeleteQuery>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let n = path_id(&id, "version")?;
    let fix = version_ref(
        "moveFixIssuesTo",
        &q.move_fix_issues_to.map(Value::String).unwrap_or_default(),
    )?;
    let affected = version_ref(
        "moveAffectedIssuesTo",
        &q.move_affected_issues_to
            .map(Value::String)
            .unwrap_or_default(),
    )?;
    ctx.app
        .components
        .delete_version(caller, n, fix, affected)
        .await?;
    Ok(no_content())
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct SwapBody {
    #[serde(default)]
    move_fix_issues_to: Value,
    #[serde(default)]
    move_affected_issues_to: Value,
}

/// # `POST /rest/api/2/version/{id}/removeAndSwap` (deleteAndReplaceVersion)
async fn delete_and_replace_version(
    ctx: Ctx,
    Path(id): Path<String>,
    Json(body): Json<SwapBody>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let n = path_id(&id, "version")?;
    let fix = version_ref("moveFixIssuesTo", &body.move_fix_issues_to)?;
    let affected = version_ref("moveAffectedIssuesTo", &body.move_affected_issues_to)?;
    ctx.app
        .components
        .delete_version(caller, n, fix, affected)
        .await?;
    Ok(no_content())
}

/// # `PUT /rest/api/2/version/{id}/mergeto/{moveIssuesTo}` (mergeVersions)
async fn merge_versions(
    ctx: Ctx,
    Path((id, target)): Path<(String, String)>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let n = path_id(&id, "version")?;
    let t = path_id(&target, "version")?;
    ctx.app
        .components
        .delete_version(caller, n, Some(t), Some(t))
        .await?;
    Ok(no_content())
}

#[derive(Deserialize)]
struct MoveBody {
    after: Option<Value>,
    position: Option<String>,
}

/// # `POST /rest/api/2/version/{id}/move` (moveVersion)
async fn move_version(
    ctx: Ctx,
    Path(id): Path<String>,
    Json(body): Json<MoveBody>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let n = path_id(&id, "version")?;
    let position = match (
        body.after.as_ref().filter(|a| !a.is_null()),
        body.position.as_deref(),
    ) {
        (Some(after), _) => match version_ref("after", after)? {
            Some(a) => VersionPosition::After(a),
            None => return Err(Error::field("after", "'after' must name a version.").into()),
        },
        (None, Some(p)) => match p.to_ascii_lowercase().as_str() {
            "first" => VersionPosition::First,
            "last" => VersionPosition::Last,
            "earlier" => VersionPosition::Earlier,
            "later" => VersionPosition::Later,
            _ => {
                return Err(Error::field(
                    "position",
                    format!("The position '{p}' is not valid; use First, Last, Earlier or Later."),
                )
                .into());
            }
        },
        (None, None) => {
            return Err(Error::bad_request(
                "Specify either 'after' (a version) or 'position' (First, Last, Earlier, Later).",
            )
            .into());
        }
    };
    let v = ctx.app.components.move_version(caller, n, position).await?;
    let (_, project) = ctx.app.components.get_version(Some(caller), n).await?;
    Ok(Json(version_bean(&ctx.base, &v, &project.key)?))
}

/// # `GET /rest/api/2/version/{id}/relatedIssueCounts` (getVersionRelatedIssues)
async fn get_version_related_issues(ctx: Ctx, Path(id): Path<String>) -> JiraResult<Json<Value>> {
    ctx.user()?;
    let n = path_id(&id, "version")?;
    let (_, c) = ctx
        .app
        .components
        .version_counts(ctx.caller.as_ref(), n)
        .await?;
    Ok(Json(json!({
        "self": format!("{}/rest/api/2/version/{n}", ctx.base),
        "issuesFixedCount": c.fixed,
        "issuesAffectedCount": c.affected,
        "issueCountWithCustomFieldsShowingVersion": 0,
        "customFieldUsage": [],
    })))
}

/// # `GET /rest/api/2/version/{id}/unresolvedIssueCount` (getVersionUnresolvedIssues)
async fn get_version_unresolved_issues(
    ctx: Ctx,
    Path(id): Path<String>,
) -> JiraResult<Json<Value>> {
    ctx.user()?;
    let n = path_id(&id, "version")?;
    let (_, c) = ctx
        .app
        .components
        .version_counts(ctx.caller.as_ref(), n)
        .await?;
    Ok(Json(json!({
        "self": format!("{}/rest/api/2/version/{n}", ctx.base),
        "issuesUnresolvedCount": c.fixed_unresolved,
        "issuesCount": c.fixed,
    })))
}
