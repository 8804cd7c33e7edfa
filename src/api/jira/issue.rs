//! Issues: create (one or many), get, edit, delete, assign, transitions, changelog,
//! edit metadata, the picker, and issue properties.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::dto::{CreatedIssue, EntityProperty, PropertyKey, PropertyKeys};
use super::issue_input::{self, Request};
use super::render::{self, Expand, FieldSelection, IssueOptions};
use super::{JiraError, JiraResult, Json, List, Query, no_content};
use crate::api::Ctx;
use crate::api::routes::{READ_WORK, Routes, WRITE_WORK};
use crate::domain::change::IssueChange;
use crate::domain::*;
use crate::error::Error;
use crate::service::properties::{PropertyOwner, SetOutcome};

pub fn routes() -> Routes {
    Routes::new()
        .post("/issue", WRITE_WORK, create_issue)
        .post("/issue/bulk", WRITE_WORK, create_issues)
        .get("/issue/picker", READ_WORK, get_issue_picker_resource)
        .get("/issue/{key}", READ_WORK, get_issue)
        .put("/issue/{key}", WRITE_WORK, edit_issue)
        .delete("/issue/{key}", WRITE_WORK, delete_issue)
        .put("/issue/{key}/assignee", WRITE_WORK, assign_issue)
        .get("/issue/{key}/editmeta", READ_WORK, get_edit_issue_meta)
        .get("/issue/{key}/transitions", READ_WORK, get_transitions)
        .post("/issue/{key}/transitions", WRITE_WORK, do_transition)
        .get("/issue/{key}/changelog", READ_WORK, get_change_logs)
        .get(
            "/issue/{key}/properties",
            READ_WORK,
            get_issue_property_keys,
        )
        .get(
            "/issue/{key}/properties/{property}",
            READ_WORK,
            get_issue_property,
        )
        .put(
            "/issue/{key}/properties/{property}",
            WRITE_WORK,
            set_issue_property,
        )
        .delete(
            "/issue/{key}/properties/{property}",
            WRITE_WORK,
            delete_issue_property,
        )
}

#[derive(Deserialize, Default)]
struct IssueBody {
    fields: Option<Map<String, Value>>,
    update: Option<Map<String, Value>>,
    transition: Option<Value>,
    #[serde(rename = "historyMetadata")]
    _history_metadata: Option<Value>,
    #[serde(rename = "properties")]
    _properties: Option<Value>,
}

impl IssueBody {
    /// The typed change the body asks for.
    fn change(&self, ctx: &Ctx, request: Request) -> Result<IssueChange, Error> {
        let empty = Map::new();
        issue_input::parse(
            &ctx.app.catalog.current(),
            self.fields.as_ref().unwrap_or(&empty),
            self.update.as_ref().unwrap_or(&empty),
            request,
        )
    }
}

fn created(base: &str, issue: &Issue) -> CreatedIssue {
    CreatedIssue {
        id: issue.id.to_string(),
        key: issue.key.clone(),
        self_: format!("{base}/rest/api/2/issue/{}", issue.id),
    }
}

/// # `POST /rest/api/2/issue` (createIssue)
async fn create_issue(ctx: Ctx, Json(body): Json<IssueBody>) -> JiraResult<Response> {
    let caller = ctx.user()?;
    if body.fields.is_none() && body.update.is_none() {
        return Err(JiraError(Error::bad_request(
            "The request must have 'fields' or 'update'.",
        )));
    }
    let change = body.change(&ctx, Request::Create)?;
    let issue = ctx.app.issues.create_issue(caller, change).await?;
    Ok((StatusCode::CREATED, axum::Json(created(&ctx.base, &issue))).into_response())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BulkBody {
    issue_updates: Option<Vec<Value>>,
}

/// # `POST /rest/api/2/issue/bulk` (createIssues)
///
/// Each element is created or refused on its own; refusals are listed by position.
async fn create_issues(ctx: Ctx, Json(body): Json<BulkBody>) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let items = body.issue_updates.unwrap_or_default();
    if items.len() > 50 {
        return Err(JiraError(Error::bad_request(
            "A bulk create takes at most 50 issues.",
        )));
    }
    let mut inputs = Vec::new();
    let mut bad_shape = Vec::new();
    for (n, item) in items.into_iter().enumerate() {
        match serde_json::from_value::<IssueBody>(item) {
            Ok(b) => match b.change(&ctx, Request::Create) {
                Ok(change) => inputs.push((n, change)),
                Err(e) => bad_shape.push((n, e)),
            },
            Err(e) => bad_shape.push((
                n,
                Error::bad_request(format!("Can not deserialize the issue: {e}")),
            )),
        }
    }
    let positions: Vec<usize> = inputs.iter().map(|(n, _)| *n).collect();
    let results = ctx
        .app
        .issues
        .create_issues(caller, inputs.into_iter().map(|(_, i)| i).collect())
        .await?;
    let mut issues = Vec::new();
    let mut errors: Vec<(usize, Error)> = bad_shape;
    for (n, r) in positions.into_iter().zip(results) {
        match r {
            Ok(issue) => issues.push(created(&ctx.base, &issue)),
            Err(e) => errors.push((n, e)),
        }
    }
    errors.sort_by_key(|(n, _)| *n);
    let status = if issues.is_empty() && !errors.is_empty() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::CREATED
    };
    let errors: Vec<Value> = errors
        .into_iter()
        .map(|(n, e)| {
            json!({
                "status": 400,
                "elementErrors": {"errorMessages": e.messages, "errors": e.fields},
                "failedElementNumber": n,
            })
        })
        .collect();
    Ok((
        status,
        axum::Json(json!({"issues": issues, "errors": errors})),
    )
        .into_response())
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct GetIssueQuery {
    #[serde(default)]
    fields: List,
    #[serde(default)]
    expand: List,
    #[serde(default)]
    properties: List,
    // fieldsByKeys and updateHistory change nothing here, but must still be booleans.
    #[serde(
        default,
        rename = "fieldsByKeys",
        deserialize_with = "super::lenient_bool"
    )]
    _fields_by_keys: Option<bool>,
    #[serde(
        default,
        rename = "updateHistory",
        deserialize_with = "super::lenient_bool"
    )]
    _update_history: Option<bool>,
}

/// # `GET /rest/api/2/issue/{issueIdOrKey}` (getIssue)
async fn get_issue(
    ctx: Ctx,
    Path(key): Path<String>,
    Query(q): Query<GetIssueQuery>,
) -> JiraResult<Json<Value>> {
    let view = match ctx
        .app
        .issues
        .view_issue(ctx.caller.as_ref(), &IssueRef::parse(&key))
        .await
    {
        // Anonymous callers who cannot see an issue are asked to log in, as Jira does.
        Err(e) if ctx.caller.is_none() && e.kind == crate::error::Kind::NotFound => {
            return Err(JiraError(Error::unauthenticated()));
        }
        other => other?,
    };
    let fields = FieldSelection::parse(q.fields.items(), "*all");
    let expand = Expand::parse(q.expand.items());
    let wanted = q.properties.0;
    let properties = if wanted.is_empty() {
        Vec::new()
    } else {
        ctx.app
            .properties
            .issue_properties(view.issue.id, wanted)
            .await?
    };
    let changelog = if expand.has("changelog") {
        let caller = ctx.user()?;
        let (_, page, users) = ctx
            .app
            .issues
            .changelog(caller, &IssueRef::Id(view.issue.id.0), 0, 100)
            .await?;
        Some(json!({
            "startAt": 0, "maxResults": page.items.len(), "total": page.total,
            "histories": page.items.iter().map(|g| render::history(&ctx.base, g, &users)).collect::<Result<Vec<_>, _>>()?,
        }))
    } else {
        None
    };
    let cat = ctx.app.catalog.current();
    let mut bean = render::issue(
        &ctx.base,
        &cat,
        &view,
        &IssueOptions {
            fields: &fields,
            expand: &expand,
            properties,
            changelog,
        },
    )?;
    if let (Some(caller), Some(meta)) = (
        ctx.caller.as_ref(),
        bean.get_mut("editmeta")
            .and_then(|m| m.get_mut("fields"))
            .and_then(Value::as_object_mut),
    ) {
        add_security_meta(&ctx, caller, &view, meta).await?;
    }
    Ok(Json(bean))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct EditQuery {
    #[serde(default, deserialize_with = "super::lenient_bool")]
    notify_users: Option<bool>,
    #[serde(default, deserialize_with = "super::lenient_bool")]
    override_screen_security: Option<bool>,
    #[serde(default, deserialize_with = "super::lenient_bool")]
    override_editable_flag: Option<bool>,
    #[serde(default, deserialize_with = "super::lenient_bool")]
    return_issue: Option<bool>,
    #[serde(default)]
    expand: List,
}

/// # `PUT /rest/api/2/issue/{issueIdOrKey}` (editIssue)
async fn edit_issue(
    ctx: Ctx,
    Path(key): Path<String>,
    Query(q): Query<EditQuery>,
    Json(body): Json<IssueBody>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    // Notifications are not sent by Tessera, so notifyUsers has nothing to switch off.
    let _ = (
        q.notify_users,
        q.override_screen_security,
        q.override_editable_flag,
    );
    let r = IssueRef::parse(&key);
    let change = body.change(&ctx, Request::Edit)?;
    ctx.app.issues.edit_issue(caller, &r, change).await?;
    if q.return_issue.unwrap_or(false) {
        let view = ctx.app.issues.view_issue(Some(caller), &r).await?;
        let fields = FieldSelection::parse(&[], "*all");
        let expand = Expand::parse(q.expand.items());
        let cat = ctx.app.catalog.current();
        let bean = render::issue(
            &ctx.base,
            &cat,
            &view,
            &IssueOptions {
                fields: &fields,
                expand: &expand,
                properties: Vec::new(),
                changelog: None,
            },
        )?;
        return Ok(axum::Json(bean).into_response());
    }
    Ok(no_content())
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct DeleteQuery {
    #[serde(default, deserialize_with = "super::lenient_bool")]
    delete_subtasks: Option<bool>,
}

/// # `DELETE /rest/api/2/issue/{issueIdOrKey}` (deleteIssue)
async fn delete_issue(
    ctx: Ctx,
    Path(key): Path<String>,
    Query(q): Query<DeleteQuery>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let with_subtasks = q.delete_subtasks.unwrap_or(false);
    ctx.app
        .issues
        .delete_issue(caller, &IssueRef::parse(&key), with_subtasks)
        .await?;
    Ok(no_content())
}

/// # `PUT /rest/api/2/issue/{issueIdOrKey}/assignee` (assignIssue)
async fn assign_issue(
    ctx: Ctx,
    Path(key): Path<String>,
    Json(body): Json<Value>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    if !matches!(body, Value::Object(_) | Value::Null) {
        return Err(JiraError(Error::bad_request(
            "The body must be a user object such as {\"name\": \"fred\"} or {\"accountId\": \"...\"}.",
        )));
    }
    let assignee = issue_input::user_sel(&body, true);
    ctx.app
        .issues
        .assign_issue(caller, &IssueRef::parse(&key), assignee)
        .await?;
    Ok(no_content())
}

/// # `GET /rest/api/2/issue/{issueIdOrKey}/editmeta` (getEditIssueMeta)
async fn get_edit_issue_meta(ctx: Ctx, Path(key): Path<String>) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let view = ctx
        .app
        .issues
        .view_issue(Some(caller), &IssueRef::parse(&key))
        .await?;
    let cat = ctx.app.catalog.current();
    let mut fields = render::edit_fields(&ctx.base, &cat, &view)?;
    add_security_meta(&ctx, caller, &view, &mut fields).await?;
    Ok(Json(json!({"fields": fields})))
}

/// Adds the `security` field to editmeta when the caller may set the issue's level.
async fn add_security_meta(
    ctx: &Ctx,
    caller: &crate::service::Caller,
    view: &crate::service::issues::IssueView,
    fields: &mut serde_json::Map<String, Value>,
) -> JiraResult<()> {
    if !fields.is_empty() {
        let levels = ctx.app.security.levels_for_edit(caller, view).await?;
        if let Some(m) = render::security_meta(&ctx.base, &levels) {
            fields.insert("security".into(), m);
        }
    }
    Ok(())
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct TransitionsQuery {
    #[serde(default)]
    expand: List,
    transition_id: Option<String>,
}

/// # `GET /rest/api/2/issue/{issueIdOrKey}/transitions` (getTransitions)
async fn get_transitions(
    ctx: Ctx,
    Path(key): Path<String>,
    Query(q): Query<TransitionsQuery>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let mut view = ctx
        .app
        .issues
        .transitions(caller, &IssueRef::parse(&key))
        .await?;
    if let Some(id) = q.transition_id {
        view.transitions.retain(|t| t.id.to_string() == id);
    }
    let expand = Expand::parse(q.expand.items());
    let cat = ctx.app.catalog.current();
    Ok(Json(json!({
        "expand": "transitions",
        "transitions": render::transitions(&ctx.base, &cat, &view, expand.has("transitions.fields"))?,
    })))
}

/// # `POST /rest/api/2/issue/{issueIdOrKey}/transitions` (doTransition)
async fn do_transition(
    ctx: Ctx,
    Path(key): Path<String>,
    Json(body): Json<IssueBody>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let id = match body.transition.as_ref().and_then(|t| t.get("id")) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => {
            return Err(JiraError(Error::bad_request(
                "Missing 'transition' identifier",
            )));
        }
    };
    let change = body.change(&ctx, Request::Transition)?;
    ctx.app
        .issues
        .do_transition(caller, &IssueRef::parse(&key), &id, change)
        .await?;
    Ok(no_content())
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct PageQuery {
    start_at: Option<i64>,
    max_results: Option<i64>,
}

/// # `GET /rest/api/2/issue/{issueIdOrKey}/changelog` (getChangeLogs)
async fn get_change_logs(
    ctx: Ctx,
    Path(key): Path<String>,
    Query(q): Query<PageQuery>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let (start, max) = crate::service::paging(q.start_at, q.max_results, 100, 100)?;
    let (view, page, users) = ctx
        .app
        .issues
        .changelog(caller, &IssueRef::parse(&key), start, max)
        .await?;
    let this = format!("{}/rest/api/2/issue/{}/changelog", ctx.base, view.issue.key);
    let mut bean = json!({
        "self": format!("{this}?startAt={start}&maxResults={max}"),
        "maxResults": max, "startAt": start, "total": page.total, "isLast": page.is_last(),
        "values": page.items.iter().map(|g| render::history(&ctx.base, g, &users)).collect::<Result<Vec<_>, _>>()?,
    });
    if !page.is_last() {
        bean["nextPage"] = json!(format!("{this}?startAt={}&maxResults={max}", start + max));
    }
    Ok(Json(bean))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct PickerQuery {
    query: Option<String>,
    #[serde(rename = "currentJQL")]
    current_jql: Option<String>,
    current_issue_key: Option<String>,
    current_project_id: Option<String>,
    #[serde(default, deserialize_with = "super::lenient_bool")]
    show_sub_tasks: Option<bool>,
    #[serde(default, deserialize_with = "super::lenient_bool")]
    show_sub_task_parent: Option<bool>,
}

/// # `GET /rest/api/2/issue/picker` (getIssuePickerResource)
///
/// Matches the query against keys and summaries, within `currentJQL` when given.
async fn get_issue_picker_resource(
    ctx: Ctx,
    Query(q): Query<PickerQuery>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let query = q.query.unwrap_or_default();
    let mut issues = match q.current_jql.as_deref().filter(|j| !j.trim().is_empty()) {
        Some(jql) => {
            ctx.app
                .search
                .pick_issues_jql(Some(caller), &query, jql, 50)
                .await?
        }
        None => ctx.app.issues.pick_issues(Some(caller), &query, 50).await?,
    };
    let cat = ctx.app.catalog.current();
    if let Some(current) = q.current_issue_key.as_deref().map(str::to_uppercase) {
        issues.retain(|i| i.key != current);
    }
    if let Some(pid) = q
        .current_project_id
        .as_deref()
        .and_then(|p| p.parse::<i64>().ok())
    {
        issues.retain(|i| i.project_id.0 == pid);
    }
    if q.show_sub_tasks == Some(false) {
        issues.retain(|i| !cat.issue_type(i.issue_type_id).is_some_and(|t| t.subtask));
    }
    let _ = q.show_sub_task_parent;
    let found: Vec<Value> = issues
        .iter()
        .map(|i| {
            let escaped = crate::markup::escape(&i.summary);
            json!({
                "key": i.key, "keyHtml": i.key, "img": "", "summary": escaped, "summaryText": i.summary,
                "id": i.id.0,
            })
        })
        .collect();
    Ok(Json(json!({"sections": [{
        "label": "History Search", "sub": format!("Showing {} of {} matching issues", found.len(), found.len()),
        "id": "hs", "issues": found,
    }]})))
}

/// # `GET /rest/api/2/issue/{issueIdOrKey}/properties` (getIssuePropertyKeys)
async fn get_issue_property_keys(
    ctx: Ctx,
    Path(key): Path<String>,
) -> JiraResult<Json<PropertyKeys>> {
    let caller = ctx.user()?;
    let keys = ctx
        .app
        .properties
        .property_keys(caller, PropertyOwner::Issue(IssueRef::parse(&key)))
        .await?;
    Ok(Json(PropertyKeys {
        keys: keys
            .into_iter()
            .map(|k| PropertyKey {
                self_: format!("{}/rest/api/2/issue/{key}/properties/{k}", ctx.base),
                key: k,
            })
            .collect(),
    }))
}

/// # `GET /rest/api/2/issue/{issueIdOrKey}/properties/{propertyKey}` (getIssueProperty)
async fn get_issue_property(
    ctx: Ctx,
    Path((key, property)): Path<(String, String)>,
) -> JiraResult<Json<EntityProperty>> {
    let caller = ctx.user()?;
    let value = ctx
        .app
        .properties
        .property(
            caller,
            PropertyOwner::Issue(IssueRef::parse(&key)),
            &property,
        )
        .await?;
    Ok(Json(EntityProperty {
        key: property,
        value,
    }))
}

/// # `PUT /rest/api/2/issue/{issueIdOrKey}/properties/{propertyKey}` (setIssueProperty)
async fn set_issue_property(
    ctx: Ctx,
    Path((key, property)): Path<(String, String)>,
    Json(value): Json<Value>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let outcome = ctx
        .app
        .properties
        .set_property(
            caller,
            PropertyOwner::Issue(IssueRef::parse(&key)),
            &property,
            value,
        )
        .await?;
    Ok(property_set_response(outcome))
}

pub fn property_set_response(outcome: SetOutcome) -> Response {
    match outcome {
        SetOutcome::Created => (StatusCode::CREATED, axum::Json(json!({}))).into_response(),
        SetOutcome::Updated => (StatusCode::OK, axum::Json(json!({}))).into_response(),
    }
}

/// # `DELETE /rest/api/2/issue/{issueIdOrKey}/properties/{propertyKey}` (deleteIssueProperty)
async fn delete_issue_property(
    ctx: Ctx,
    Path((key, property)): Path<(String, String)>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    ctx.app
        .properties
        .delete_property(
            caller,
            PropertyOwner::Issue(IssueRef::parse(&key)),
            &property,
        )
        .await?;
    Ok(no_content())
}
