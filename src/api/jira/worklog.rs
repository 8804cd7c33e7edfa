//! Worklogs of an issue, the worklog change feeds, worklog properties and the time
//! tracking configuration.
//!
//! | method | path |
//! |---|---|
//! | GET, POST | `/issue/{key}/worklog` |
//! | GET, PUT, DELETE | `/issue/{key}/worklog/{id}` |
//! | GET | `/issue/{key}/worklog/{id}/properties` |
//! | GET, PUT, DELETE | `/issue/{key}/worklog/{id}/properties/{property}` |
//! | GET | `/worklog/updated`, `/worklog/deleted` |
//! | POST | `/worklog/list` |
//! | GET | `/configuration/timetracking`, `/configuration/timetracking/list` |
//! | GET, PUT | `/configuration/timetracking/options` |

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::dto::{EntityProperty, PropertyKey, PropertyKeys, WorklogBean, worklog};
use super::issue::property_set_response;
use super::{JiraError, JiraResult, Json, List, Query, no_content, path_id};
use crate::api::Ctx;
use crate::api::routes::{MANAGE_CONFIG, READ_WORK, Routes, WRITE_WORK};
use crate::domain::*;
use crate::error::Error;
use crate::service::properties::PropertyOwner;
use crate::service::worklogs::{Adjust, WorklogInput};

pub fn routes() -> Routes {
    Routes::new()
        .get("/issue/{key}/worklog", READ_WORK, get_issue_worklog)
        .post("/issue/{key}/worklog", WRITE_WORK, add_worklog)
        .get("/issue/{key}/worklog/{id}", READ_WORK, get_worklog)
        .put("/issue/{key}/worklog/{id}", WRITE_WORK, update_worklog)
        .delete("/issue/{key}/worklog/{id}", WRITE_WORK, delete_worklog)
        .get(
            "/issue/{key}/worklog/{id}/properties",
            READ_WORK,
            get_worklog_property_keys,
        )
        .get(
            "/issue/{key}/worklog/{id}/properties/{property}",
            READ_WORK,
            get_worklog_property,
        )
        .put(
            "/issue/{key}/worklog/{id}/properties/{property}",
            WRITE_WORK,
            set_worklog_property,
        )
        .delete(
            "/issue/{key}/worklog/{id}/properties/{property}",
            WRITE_WORK,
            delete_worklog_property,
        )
        .get(
            "/worklog/updated",
            READ_WORK,
            get_ids_of_worklogs_modified_since,
        )
        .get(
            "/worklog/deleted",
            READ_WORK,
            get_ids_of_worklogs_deleted_since,
        )
        .post("/worklog/list", READ_WORK, get_worklogs_for_ids)
        .get(
            "/configuration/timetracking",
            READ_WORK,
            get_selected_time_tracking_implementation,
        )
        .get(
            "/configuration/timetracking/list",
            READ_WORK,
            get_available_time_tracking_implementations,
        )
        .get(
            "/configuration/timetracking/options",
            READ_WORK,
            get_shared_time_tracking_configuration,
        )
        .put(
            "/configuration/timetracking/options",
            MANAGE_CONFIG,
            set_shared_time_tracking_configuration,
        )
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ListQuery {
    start_at: Option<i64>,
    max_results: Option<i64>,
    #[serde(default)]
    expand: List,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct AdjustQuery {
    adjust_estimate: Option<String>,
    new_estimate: Option<String>,
    reduce_by: Option<String>,
    increase_by: Option<String>,
    #[serde(default)]
    expand: List,
}

impl AdjustQuery {
    fn adjust(&self) -> Adjust {
        Adjust {
            mode: self.adjust_estimate.clone(),
            new_estimate: self.new_estimate.clone(),
            reduce_by: self.reduce_by.clone(),
            increase_by: self.increase_by.clone(),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WorklogBody {
    time_spent: Option<String>,
    time_spent_seconds: Option<i64>,
    started: Option<String>,
    comment: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    visibility: Option<Option<VisibilityBody>>,
}

#[derive(Deserialize)]
struct VisibilityBody {
    #[serde(rename = "type")]
    kind: Option<String>,
    value: Option<String>,
    identifier: Option<String>,
}

/// Tells a missing field (`None`) from an explicit `null` (`Some(None)`).
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

impl WorklogBody {
    fn input(self) -> JiraResult<WorklogInput> {
        let comment = match self.comment {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(_) => {
                return Err(JiraError(Error::field(
                    "comment",
                    "The worklog comment must be a string of wiki markup.",
                )));
            }
        };
        let visibility = match self.visibility {
            None => None,
            Some(None) => Some(None),
            Some(Some(v)) => match (v.kind, v.value.or(v.identifier)) {
                (Some(kind), Some(value)) => Some(Some(Visibility { kind, value })),
                _ => {
                    return Err(JiraError(Error::field(
                        "visibility",
                        "Visibility needs a 'type' (group or role) and a 'value'.",
                    )));
                }
            },
        };
        Ok(WorklogInput {
            time_spent: self.time_spent,
            time_spent_seconds: self.time_spent_seconds,
            started: self.started,
            comment,
            visibility,
        })
    }
}

fn wants_properties(expand: &List) -> bool {
    expand.items().iter().any(|e| e == "properties")
}

/// Adds `properties` to worklog beans when `expand=properties` asks for them.
async fn with_properties(
    ctx: &Ctx,
    key: &str,
    mut beans: Vec<WorklogBean>,
    expand: &List,
) -> JiraResult<Vec<WorklogBean>> {
    if !wants_properties(expand) {
        return Ok(beans);
    }
    let caller = ctx.user()?;
    for b in &mut beans {
        let id: i64 = b.id.parse().unwrap_or_default();
        let owner = PropertyOwner::Worklog(IssueRef::parse(key), id);
        let mut props = Vec::new();
        for k in ctx
            .app
            .properties
            .property_keys(caller, owner.clone())
            .await?
        {
            let value = ctx
                .app
                .properties
                .property(caller, owner.clone(), &k)
                .await?;
            props.push(EntityProperty { key: k, value });
        }
        b.properties = Some(props);
    }
    Ok(beans)
}

/// # `GET /rest/api/2/issue/{issueIdOrKey}/worklog` (getIssueWorklog)
async fn get_issue_worklog(
    ctx: Ctx,
    Path(key): Path<String>,
    Query(q): Query<ListQuery>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let (start, max) = crate::service::paging(q.start_at, q.max_results, 5000, 5000)?;
    let found = ctx
        .app
        .worklogs
        .list_worklogs(caller, &IssueRef::parse(&key), start, max)
        .await?;
    let tt = ctx.app.worklogs.time_tracking_options();
    let page = found.items;
    let beans = page
        .items
        .iter()
        .map(|w| worklog(&ctx.base, w, &found.users, &tt))
        .collect();
    let beans = with_properties(&ctx, &key, beans, &q.expand).await?;
    Ok(Json(json!({
        "startAt": page.start_at,
        "maxResults": page.max_results,
        "total": page.total,
        "worklogs": beans,
    })))
}

/// # `POST /rest/api/2/issue/{issueIdOrKey}/worklog` (addWorklog)
async fn add_worklog(
    ctx: Ctx,
    Path(key): Path<String>,
    Query(q): Query<AdjustQuery>,
    Json(body): Json<WorklogBody>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let found = ctx
        .app
        .worklogs
        .add_worklog(caller, &IssueRef::parse(&key), body.input()?, q.adjust())
        .await?;
    let tt = ctx.app.worklogs.time_tracking_options();
    let bean = worklog(&ctx.base, &found.items, &found.users, &tt);
    let mut beans = with_properties(&ctx, &key, vec![bean], &q.expand).await?;
    Ok((StatusCode::CREATED, axum::Json(beans.remove(0))).into_response())
}

/// # `GET /rest/api/2/issue/{issueIdOrKey}/worklog/{id}` (getWorklog)
async fn get_worklog(
    ctx: Ctx,
    Path((key, id)): Path<(String, String)>,
    Query(q): Query<AdjustQuery>,
) -> JiraResult<Json<WorklogBean>> {
    let caller = ctx.user()?;
    let id = path_id(&id, "worklog")?;
    let found = ctx
        .app
        .worklogs
        .get_worklog(caller, &IssueRef::parse(&key), id)
        .await?;
    let tt = ctx.app.worklogs.time_tracking_options();
    let bean = worklog(&ctx.base, &found.items, &found.users, &tt);
    let mut beans = with_properties(&ctx, &key, vec![bean], &q.expand).await?;
    Ok(Json(beans.remove(0)))
}

/// # `PUT /rest/api/2/issue/{issueIdOrKey}/worklog/{id}` (updateWorklog)
async fn update_worklog(
    ctx: Ctx,
    Path((key, id)): Path<(String, String)>,
    Query(q): Query<AdjustQuery>,
    Json(body): Json<WorklogBody>,
) -> JiraResult<Json<WorklogBean>> {
    let caller = ctx.user()?;
    let id = path_id(&id, "worklog")?;
    let found = ctx
        .app
        .worklogs
        .update_worklog(
            caller,
            &IssueRef::parse(&key),
            id,
            body.input()?,
            q.adjust(),
        )
        .await?;
    let tt = ctx.app.worklogs.time_tracking_options();
    let bean = worklog(&ctx.base, &found.items, &found.users, &tt);
    let mut beans = with_properties(&ctx, &key, vec![bean], &q.expand).await?;
    Ok(Json(beans.remove(0)))
}

/// # `DELETE /rest/api/2/issue/{issueIdOrKey}/worklog/{id}` (deleteWorklog)
async fn delete_worklog(
    ctx: Ctx,
    Path((key, id)): Path<(String, String)>,
    Query(q): Query<AdjustQuery>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let id = path_id(&id, "worklog")?;
    ctx.app
        .worklogs
        .delete_worklog(caller, &IssueRef::parse(&key), id, q.adjust())
        .await?;
    Ok(no_content())
}

#[derive(Deserialize, Default)]
struct SinceQuery {
    since: Option<i64>,
}

async fn feed(ctx: Ctx, since: Option<i64>, deleted: bool) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let since = since.unwrap_or(0);
    let page = ctx
        .app
        .worklogs
        .worklog_feed(caller, since, deleted)
        .await?;
    let path = if deleted { "deleted" } else { "updated" };
    let values: Vec<Value> = page
        .values
        .iter()
        .map(|(id, at)| json!({"worklogId": id, "updatedTime": at.0, "properties": []}))
        .collect();
    let mut out = json!({
        "values": values,
        "since": page.since.0,
        "until": page.until.0,
        "self": format!("{}/rest/api/2/worklog/{path}?since={since}", ctx.base),
        "lastPage": page.last_page,
    });
    if !page.last_page {
        out["nextPage"] = json!(format!(
            "{}/rest/api/2/worklog/{path}?since={}",
            ctx.base, page.until.0
        ));
    }
    Ok(Json(out))
}

/// # `GET /rest/api/2/worklog/updated` (getIdsOfWorklogsModifiedSince)
async fn get_ids_of_worklogs_modified_since(
    ctx: Ctx,
    Query(q): Query<SinceQuery>,
) -> JiraResult<Json<Value>> {
    feed(ctx, q.since, false).await
}

/// # `GET /rest/api/2/worklog/deleted` (getIdsOfWorklogsDeletedSince)
async fn get_ids_of_worklogs_deleted_since(
    ctx: Ctx,
    Query(q): Query<SinceQuery>,
) -> JiraResult<Json<Value>> {
    feed(ctx, q.since, true).await
}

#[derive(Deserialize)]
struct IdsBody {
    ids: Vec<i64>,
}

/// # `POST /rest/api/2/worklog/list` (getWorklogsForIds)
async fn get_worklogs_for_ids(
    ctx: Ctx,
    Json(body): Json<IdsBody>,
) -> JiraResult<Json<Vec<WorklogBean>>> {
    let caller = ctx.user()?;
    let found = ctx.app.worklogs.worklogs_by_ids(caller, body.ids).await?;
    let tt = ctx.app.worklogs.time_tracking_options();
    Ok(Json(
        found
            .items
            .iter()
            .map(|w| worklog(&ctx.base, w, &found.users, &tt))
            .collect(),
    ))
}

fn owner(key: &str, id: &str) -> JiraResult<PropertyOwner> {
    Ok(PropertyOwner::Worklog(
        IssueRef::parse(key),
        path_id(id, "worklog")?,
    ))
}

/// # `GET /rest/api/2/issue/{issueIdOrKey}/worklog/{worklogId}/properties` (getWorklogPropertyKeys)
async fn get_worklog_property_keys(
    ctx: Ctx,
    Path((key, id)): Path<(String, String)>,
) -> JiraResult<Json<PropertyKeys>> {
    let caller = ctx.user()?;
    let keys = ctx
        .app
        .properties
        .property_keys(caller, owner(&key, &id)?)
        .await?;
    Ok(Json(PropertyKeys {
        keys: keys
            .into_iter()
            .map(|k| PropertyKey {
                self_: format!(
                    "{}/rest/api/2/issue/{key}/worklog/{id}/properties/{k}",
                    ctx.base
                ),
                key: k,
            })
            .collect(),
    }))
}

/// # `GET /rest/api/2/issue/{issueIdOrKey}/worklog/{worklogId}/properties/{propertyKey}` (getWorklogProperty)
async fn get_worklog_property(
    ctx: Ctx,
    Path((key, id, property)): Path<(String, String, String)>,
) -> JiraResult<Json<EntityProperty>> {
    let caller = ctx.user()?;
    let value = ctx
        .app
        .properties
        .property(caller, owner(&key, &id)?, &property)
        .await?;
    Ok(Json(EntityProperty {
        key: property,
        value,
    }))
}

/// # `PUT /rest/api/2/issue/{issueIdOrKey}/worklog/{worklogId}/properties/{propertyKey}` (setWorklogProperty)
async fn set_worklog_property(
    ctx: Ctx,
    Path((key, id, property)): Path<(String, String, String)>,
    Json(value): Json<Value>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let outcome = ctx
        .app
        .properties
        .set_property(caller, owner(&key, &id)?, &property, value)
        .await?;
    Ok(property_set_response(outcome))
}

/// # `DELETE /rest/api/2/issue/{issueIdOrKey}/worklog/{worklogId}/properties/{propertyKey}` (deleteWorklogProperty)
async fn delete_worklog_property(
    ctx: Ctx,
    Path((key, id, property)): Path<(String, String, String)>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    ctx.app
        .properties
        .delete_property(caller, owner(&key, &id)?, &property)
        .await?;
    Ok(no_content())
}

fn jira_provider(base: &str) -> Value {
    json!({"key": "JIRA", "name": "JIRA provided time tracking",
           "url": format!("{base}/rest/api/2/configuration/timetracking/options")})
}

/// # `GET /rest/api/2/configuration/timetracking` (getSelectedTimeTrackingImplementation)
///
/// 204 while time tracking is switched off, as Jira answers.
async fn get_selected_time_tracking_implementation(ctx: Ctx) -> JiraResult<Response> {
    ctx.user()?;
    if !ctx.app.settings.current().time_tracking() {
        return Ok(no_content());
    }
    Ok(Json(jira_provider(&ctx.base)).into_response())
}

/// # `GET /rest/api/2/configuration/timetracking/list` (getAvailableTimeTrackingImplementations)
async fn get_available_time_tracking_implementations(ctx: Ctx) -> JiraResult<Json<Value>> {
    ctx.user()?;
    Ok(Json(json!([jira_provider(&ctx.base)])))
}

fn options_body(tt: &TimeTracking) -> Value {
    json!({
        "workingHoursPerDay": tt.hours_per_day,
        "workingDaysPerWeek": tt.days_per_week,
        "timeFormat": tt.time_format,
        "defaultUnit": tt.default_unit,
    })
}

/// # `GET /rest/api/2/configuration/timetracking/options` (getSharedTimeTrackingConfiguration)
async fn get_shared_time_tracking_configuration(ctx: Ctx) -> JiraResult<Json<Value>> {
    ctx.user()?;
    Ok(Json(options_body(
        &ctx.app.worklogs.time_tracking_options(),
    )))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OptionsBody {
    working_hours_per_day: f64,
    working_days_per_week: f64,
    time_format: String,
    default_unit: String,
}

/// # `PUT /rest/api/2/configuration/timetracking/options` (setSharedTimeTrackingConfiguration)
async fn set_shared_time_tracking_configuration(
    ctx: Ctx,
    Json(body): Json<OptionsBody>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let tt = ctx
        .app
        .worklogs
        .set_time_tracking_options(
            caller,
            TimeTracking {
                hours_per_day: body.working_hours_per_day,
                days_per_week: body.working_days_per_week,
                time_format: body.time_format,
                default_unit: body.default_unit,
            },
        )
        .await?;
    Ok(Json(options_body(&tt)))
}
