//! Customer requests and what happens on them.

use axum::extract::{Path, RawQuery};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{JsmError, JsmResult, Json, Params, READ, WRITE, caller, no_content, render};
use crate::api::Ctx;
use crate::api::jira::issue_input;
use crate::api::routes::Routes;
use crate::domain::IssueRef;
use crate::domain::servicedesk::{APPROVERS_FIELD, SHARED_WITH_FIELD};
use crate::error::Error;
use crate::service::Caller;
use crate::service::servicedesk::{
    NewRequest, RequestFilter, RequestOwnership, RequestStatusFilter, RequestTypeView, RequestView,
};

pub fn routes() -> Routes {
    Routes::new()
        .post(
            "/rest/servicedeskapi/request",
            WRITE,
            create_customer_request,
        )
        .get("/rest/servicedeskapi/request", READ, get_customer_requests)
        .get(
            "/rest/servicedeskapi/request/{issueIdOrKey}",
            READ,
            get_customer_request_by_id_or_key,
        )
        .get(
            "/rest/servicedeskapi/request/{issueIdOrKey}/comment",
            READ,
            get_request_comments,
        )
        .post(
            "/rest/servicedeskapi/request/{issueIdOrKey}/comment",
            WRITE,
            create_request_comment,
        )
        .get(
            "/rest/servicedeskapi/request/{issueIdOrKey}/comment/{commentId}",
            READ,
            get_request_comment_by_id,
        )
        .get(
            "/rest/servicedeskapi/request/{issueIdOrKey}/participant",
            READ,
            get_request_participants,
        )
        .post(
            "/rest/servicedeskapi/request/{issueIdOrKey}/participant",
            WRITE,
            add_request_participants,
        )
        .delete(
            "/rest/servicedeskapi/request/{issueIdOrKey}/participant",
            WRITE,
            remove_request_participants,
        )
        .get(
            "/rest/servicedeskapi/request/{issueIdOrKey}/status",
            READ,
            get_customer_request_status,
        )
        .get(
            "/rest/servicedeskapi/request/{issueIdOrKey}/transition",
            READ,
            get_customer_transitions,
        )
        .post(
            "/rest/servicedeskapi/request/{issueIdOrKey}/transition",
            WRITE,
            perform_customer_transition,
        )
        .get(
            "/rest/servicedeskapi/request/{issueIdOrKey}/sla",
            READ,
            get_sla_information,
        )
        .get(
            "/rest/servicedeskapi/request/{issueIdOrKey}/sla/{slaMetricId}",
            READ,
            get_sla_information_by_id,
        )
        .get(
            "/rest/servicedeskapi/request/{issueIdOrKey}/attachment",
            READ,
            get_attachments_for_request,
        )
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateInput {
    service_desk_id: Option<Value>,
    request_type_id: Option<Value>,
    #[serde(default)]
    request_field_values: Map<String, Value>,
    raise_on_behalf_of: Option<String>,
    #[serde(default)]
    request_participants: Vec<String>,
    channel: Option<String>,
    #[serde(default)]
    is_adf_request: bool,
}

/// `organizations` as ids: `[1, "2", {"id": 3}]`, or one of them alone.
fn organization_ids(v: Option<Value>) -> Vec<String> {
    let one = |v: &Value| match v {
        Value::Object(o) => id_text(&o.get("id").cloned()),
        other => id_text(&Some(other.clone())),
    };
    match v {
        Some(Value::Array(a)) => a.iter().filter_map(one).collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(v) => one(&v).into_iter().collect(),
    }
}

fn id_text(v: &Option<Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// The request's expansions JSM asks for by name.
fn expansions(p: &Params) -> Vec<String> {
    p.all("expand")
}

/// A request rendered with the expansions asked for.
async fn full_request(
    ctx: &Ctx,
    caller: &Caller,
    r: &RequestView,
    expand: &[String],
) -> JsmResult<Value> {
    let cat = ctx.app.catalog.current();
    let mut v = render::request(&ctx.base, &cat, r);
    let key = IssueRef::Id(r.view.issue.id.0);
    let sd = &ctx.app.servicedesk;
    let wants = |name: &str| expand.iter().any(|e| e == name);
    // The "Organizations" field shows once the request is shared.
    let orgs = sd.request_organizations(r).await?;
    if !orgs.is_empty()
        && let Some(values) = v["requestFieldValues"].as_array_mut()
    {
        let list: Vec<Value> = orgs
            .iter()
            .map(|o| render::organization(&ctx.base, o))
            .collect();
        values.push(json!({"fieldId": SHARED_WITH_FIELD, "label": "Organizations", "value": list}));
    }
    if wants("serviceDesk") {
        let d = sd.desk_of(caller, r).await?;
        v["serviceDesk"] = render::desk(&ctx.base, &d);
    }
    if wants("requestType")
        && let Some(rt) = &r.request_type
    {
        v["requestType"] = render::request_type(
            &ctx.base,
            &RequestTypeView {
                request_type: rt.clone(),
                fields: r.fields.clone(),
            },
        );
    }
    if wants("participant") {
        let users: Vec<Value> = r
            .participants
            .iter()
            .map(|u| render::user(&ctx.base, u))
            .collect();
        let n = users.len() as i64;
        let path = format!("/request/{}/participant", r.view.issue.id.0);
        v["participants"] = render::paged(&ctx.base, &path, 0, 50, n, users);
    }
    if wants("sla") && r.agent {
        let (_, metrics) = sd.slas(caller, &key).await?;
        let list: Vec<Value> = metrics
            .iter()
            .map(|m| render::sla(&ctx.base, r.view.issue.id, m))
            .collect();
        let n = list.len() as i64;
        let path = format!("/request/{}/sla", r.view.issue.id.0);
        v["sla"] = render::paged(&ctx.base, &path, 0, 50, n, list);
    }
    if wants("status") {
        let (_, history) = sd.status_history(caller, &key).await?;
        let list: Vec<Value> = history
            .iter()
            .map(|s| render::status(&cat, s.status_id, s.at))
            .collect();
        let n = list.len() as i64;
        let path = format!("/request/{}/status", r.view.issue.id.0);
        v["status"] = render::paged(&ctx.base, &path, 0, 50, n, list);
    }
    if wants("attachment") {
        v["attachments"] = attachments(ctx, r, 0, 50);
    }
    if wants("action") {
        let me = caller.user.id;
        let shares = r.agent
            || r.view.issue.reporter_id == Some(me)
            || r.participants.iter().any(|p| p.id == me);
        v["actions"] = json!({
            "addAttachment": {"allowed": r.view.perms.has(crate::service::Permission::CreateAttachments)},
            "addComment": {"allowed": r.view.perms.has(crate::service::Permission::AddComments)},
            "addParticipant": {"allowed": shares},
            "removeParticipant": {"allowed": shares},
        });
    }
    if wants("comment") {
        let rendered = wants("comment.renderedBody");
        let list: Vec<Value> = r
            .view
            .comments
            .iter()
            .map(|c| render::comment(&ctx.base, r, c, rendered))
            .collect();
        let n = list.len() as i64;
        let path = format!("/request/{}/comment", r.view.issue.id.0);
        v["comments"] = render::paged(&ctx.base, &path, 0, 50, n, list);
    }
    Ok(v)
}

fn attachments(ctx: &Ctx, r: &RequestView, start: i64, limit: i64) -> Value {
    let all = &r.view.attachments;
    let values = all
        .iter()
        .skip(start as usize)
        .take(limit as usize)
        .map(|a| {
            render::attachment(
                &ctx.base,
                a,
                a.author_id.and_then(|id| r.view.users.get(&id)),
            )
        })
        .collect();
    let path = format!("/request/{}/attachment", r.view.issue.id.0);
    render::paged(&ctx.base, &path, start, limit, all.len() as i64, values)
}

/// # `POST /rest/servicedeskapi/request` (createCustomerRequest)
async fn create_customer_request(ctx: Ctx, Json(input): Json<CreateInput>) -> JsmResult<Response> {
    let caller = caller(&ctx)?;
    if input.is_adf_request {
        return Err(JsmError(Error::bad_request(
            "isAdfRequest is not supported: send field values as wiki markup text.",
        )));
    }
    let cat = ctx.app.catalog.current();
    let mut values = input.request_field_values;
    let approvers = super::approvals::approvers(values.remove(APPROVERS_FIELD));
    let organizations = organization_ids(values.remove(SHARED_WITH_FIELD));
    let change = issue_input::parse(&cat, &values, &Map::new(), issue_input::Request::Create)?;
    let r = ctx
        .app
        .servicedesk
        .create_request(
            caller,
            NewRequest {
                service_desk_id: id_text(&input.service_desk_id),
                request_type_id: id_text(&input.request_type_id),
                change,
                raise_on_behalf_of: input.raise_on_behalf_of,
                participants: input.request_participants,
                approvers,
                organizations,
                channel: input.channel,
            },
        )
        .await?;
    let body = full_request(&ctx, caller, &r, &[]).await?;
    Ok((StatusCode::CREATED, axum::Json(body)).into_response())
}

/// # `GET /rest/servicedeskapi/request` (getCustomerRequests)
async fn get_customer_requests(ctx: Ctx, RawQuery(raw): RawQuery) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let p = Params::parse(raw.as_deref());
    let (start, limit) = p.paging()?;
    let mut ownership = Vec::new();
    for o in p.all("requestOwnership") {
        ownership.push(RequestOwnership::parse(&o).ok_or_else(|| {
            JsmError(Error::bad_request(format!(
                "'{o}' is not a valid requestOwnership."
            )))
        })?);
    }
    let status = match p.get("requestStatus") {
        None | Some("") | Some("ALL_REQUESTS") => RequestStatusFilter::All,
        Some("OPEN_REQUESTS") => RequestStatusFilter::Open,
        Some("CLOSED_REQUESTS") => RequestStatusFilter::Closed,
        Some(other) => {
            return Err(JsmError(Error::bad_request(format!(
                "'{other}' is not a valid requestStatus."
            ))));
        }
    };
    let approval_pending = match p.get("approvalStatus") {
        None | Some("") => None,
        Some(a) if !ownership.contains(&RequestOwnership::Approver) => {
            return Err(JsmError(Error::bad_request(format!(
                "approvalStatus '{a}' is only valid with requestOwnership=APPROVER."
            ))));
        }
        Some("MY_PENDING_APPROVAL") => Some(true),
        Some("MY_HISTORY_APPROVAL") => Some(false),
        Some(a) => {
            return Err(JsmError(Error::bad_request(format!(
                "'{a}' is not a valid approvalStatus."
            ))));
        }
    };
    let filter = RequestFilter {
        search_term: p.get("searchTerm").map(String::from),
        ownership,
        status,
        organization_id: p.number("organizationId")?,
        approval_pending,
        service_desk_id: p.number("serviceDeskId")?,
        request_type_id: p.number("requestTypeId")?,
    };
    let page = ctx
        .app
        .servicedesk
        .requests(caller, filter, start, limit)
        .await?;
    let expand = expansions(&p);
    let mut values = Vec::new();
    for r in &page.items {
        values.push(full_request(&ctx, caller, r, &expand).await?);
    }
    Ok(axum::Json(render::paged(
        &ctx.base, "/request", start, limit, page.total, values,
    )))
}

/// # `GET /rest/servicedeskapi/request/{issueIdOrKey}` (getCustomerRequestByIdOrKey)
async fn get_customer_request_by_id_or_key(
    ctx: Ctx,
    Path(key): Path<String>,
    RawQuery(raw): RawQuery,
) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let p = Params::parse(raw.as_deref());
    let r = ctx
        .app
        .servicedesk
        .request(caller, &IssueRef::parse(&key))
        .await?;
    Ok(axum::Json(
        full_request(&ctx, caller, &r, &expansions(&p)).await?,
    ))
}

/// # `GET /rest/servicedeskapi/request/{issueIdOrKey}/comment` (getRequestComments)
async fn get_request_comments(
    ctx: Ctx,
    Path(key): Path<String>,
    RawQuery(raw): RawQuery,
) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let p = Params::parse(raw.as_deref());
    let (start, limit) = p.paging()?;
    let public = p.flag("public")?.unwrap_or(true);
    let internal = p.flag("internal")?.unwrap_or(true);
    let rendered = expansions(&p).iter().any(|e| e == "renderedBody");
    let page = ctx
        .app
        .servicedesk
        .comments(
            caller,
            &IssueRef::parse(&key),
            public,
            internal,
            start,
            limit,
        )
        .await?;
    let values = page
        .page
        .items
        .iter()
        .map(|c| render::comment(&ctx.base, &page.request, c, rendered))
        .collect();
    let path = format!("/request/{key}/comment");
    Ok(axum::Json(render::paged(
        &ctx.base,
        &path,
        start,
        limit,
        page.page.total,
        values,
    )))
}

#[derive(Deserialize)]
struct CommentInput {
    body: Option<String>,
    public: Option<bool>,
}

/// # `POST /rest/servicedeskapi/request/{issueIdOrKey}/comment` (createRequestComment)
async fn create_request_comment(
    ctx: Ctx,
    Path(key): Path<String>,
    Json(input): Json<CommentInput>,
) -> JsmResult<Response> {
    let caller = caller(&ctx)?;
    let (r, c) = ctx
        .app
        .servicedesk
        .add_comment(
            caller,
            &IssueRef::parse(&key),
            input.body.unwrap_or_default(),
            input.public.unwrap_or(true),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(render::comment(&ctx.base, &r, &c, false)),
    )
        .into_response())
}

/// # `GET /rest/servicedeskapi/request/{issueIdOrKey}/comment/{commentId}` (getRequestCommentById)
async fn get_request_comment_by_id(
    ctx: Ctx,
    Path((key, id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let rendered = expansions(&Params::parse(raw.as_deref()))
        .iter()
        .any(|e| e == "renderedBody");
    let (r, c) = ctx
        .app
        .servicedesk
        .comment(caller, &IssueRef::parse(&key), &id)
        .await?;
    Ok(axum::Json(render::comment(&ctx.base, &r, &c, rendered)))
}

fn participants(ctx: &Ctx, r: &RequestView, start: i64, limit: i64) -> Value {
    let values = r
        .participants
        .iter()
        .skip(start as usize)
        .take(limit as usize)
        .map(|u| render::user(&ctx.base, u))
        .collect();
    let path = format!("/request/{}/participant", r.view.issue.id.0);
    render::paged(
        &ctx.base,
        &path,
        start,
        limit,
        r.participants.len() as i64,
        values,
    )
}

/// # `GET /rest/servicedeskapi/request/{issueIdOrKey}/participant` (getRequestParticipants)
async fn get_request_participants(
    ctx: Ctx,
    Path(key): Path<String>,
    RawQuery(raw): RawQuery,
) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let (start, limit) = Params::parse(raw.as_deref()).paging()?;
    let r = ctx
        .app
        .servicedesk
        .request(caller, &IssueRef::parse(&key))
        .await?;
    Ok(axum::Json(participants(&ctx, &r, start, limit)))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct UsersInput {
    #[serde(default)]
    account_ids: Vec<String>,
    #[serde(default)]
    usernames: Vec<String>,
}

async fn change_participants(
    ctx: Ctx,
    key: String,
    input: UsersInput,
    add: bool,
) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let who = input
        .account_ids
        .into_iter()
        .chain(input.usernames)
        .collect();
    let r = ctx
        .app
        .servicedesk
        .change_participants(caller, &IssueRef::parse(&key), who, add)
        .await?;
    Ok(axum::Json(participants(&ctx, &r, 0, 50)))
}

/// # `POST /rest/servicedeskapi/request/{issueIdOrKey}/participant` (addRequestParticipants)
async fn add_request_participants(
    ctx: Ctx,
    Path(key): Path<String>,
    Json(input): Json<UsersInput>,
) -> JsmResult<axum::Json<Value>> {
    change_participants(ctx, key, input, true).await
}

/// # `DELETE /rest/servicedeskapi/request/{issueIdOrKey}/participant` (removeRequestParticipants)
async fn remove_request_participants(
    ctx: Ctx,
    Path(key): Path<String>,
    Json(input): Json<UsersInput>,
) -> JsmResult<axum::Json<Value>> {
    change_participants(ctx, key, input, false).await
}

/// # `GET /rest/servicedeskapi/request/{issueIdOrKey}/status` (getCustomerRequestStatus)
async fn get_customer_request_status(
    ctx: Ctx,
    Path(key): Path<String>,
    RawQuery(raw): RawQuery,
) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let (start, limit) = Params::parse(raw.as_deref()).paging()?;
    let (_, history) = ctx
        .app
        .servicedesk
        .status_history(caller, &IssueRef::parse(&key))
        .await?;
    let cat = ctx.app.catalog.current();
    let values = history
        .iter()
        .skip(start as usize)
        .take(limit as usize)
        .map(|s| render::status(&cat, s.status_id, s.at))
        .collect();
    let path = format!("/request/{key}/status");
    Ok(axum::Json(render::paged(
        &ctx.base,
        &path,
        start,
        limit,
        history.len() as i64,
        values,
    )))
}

/// # `GET /rest/servicedeskapi/request/{issueIdOrKey}/transition` (getCustomerTransitions)
async fn get_customer_transitions(
    ctx: Ctx,
    Path(key): Path<String>,
    RawQuery(raw): RawQuery,
) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let (start, limit) = Params::parse(raw.as_deref()).paging()?;
    let (_, list) = ctx
        .app
        .servicedesk
        .transitions(caller, &IssueRef::parse(&key))
        .await?;
    let values = list
        .iter()
        .skip(start as usize)
        .take(limit as usize)
        .map(|t| json!({"id": t.id.to_string(), "name": t.name}))
        .collect();
    let path = format!("/request/{key}/transition");
    Ok(axum::Json(render::paged(
        &ctx.base,
        &path,
        start,
        limit,
        list.len() as i64,
        values,
    )))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TransitionInput {
    id: Option<Value>,
    additional_comment: Option<BodyInput>,
}

#[derive(Deserialize)]
pub(super) struct BodyInput {
    pub(super) body: Option<String>,
}

/// # `POST /rest/servicedeskapi/request/{issueIdOrKey}/transition` (performCustomerTransition)
async fn perform_customer_transition(
    ctx: Ctx,
    Path(key): Path<String>,
    Json(input): Json<TransitionInput>,
) -> JsmResult<Response> {
    let caller = caller(&ctx)?;
    let id = id_text(&input.id)
        .ok_or_else(|| JsmError(Error::field("id", "The transition id is required.")))?;
    ctx.app
        .servicedesk
        .transition(
            caller,
            &IssueRef::parse(&key),
            &id,
            input.additional_comment.and_then(|c| c.body),
        )
        .await?;
    Ok(no_content())
}

/// # `GET /rest/servicedeskapi/request/{issueIdOrKey}/sla` (getSlaInformation)
async fn get_sla_information(
    ctx: Ctx,
    Path(key): Path<String>,
    RawQuery(raw): RawQuery,
) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let (start, limit) = Params::parse(raw.as_deref()).paging()?;
    let (r, metrics) = ctx
        .app
        .servicedesk
        .slas(caller, &IssueRef::parse(&key))
        .await?;
    let values = metrics
        .iter()
        .skip(start as usize)
        .take(limit as usize)
        .map(|m| render::sla(&ctx.base, r.view.issue.id, m))
        .collect();
    let path = format!("/request/{key}/sla");
    Ok(axum::Json(render::paged(
        &ctx.base,
        &path,
        start,
        limit,
        metrics.len() as i64,
        values,
    )))
}

/// # `GET /rest/servicedeskapi/request/{issueIdOrKey}/sla/{slaMetricId}` (getSlaInformationById)
async fn get_sla_information_by_id(
    ctx: Ctx,
    Path((key, id)): Path<(String, String)>,
) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let (r, m) = ctx
        .app
        .servicedesk
        .sla(caller, &IssueRef::parse(&key), &id)
        .await?;
    Ok(axum::Json(render::sla(&ctx.base, r.view.issue.id, &m)))
}

/// # `GET /rest/servicedeskapi/request/{issueIdOrKey}/attachment` (getAttachmentsForRequest)
async fn get_attachments_for_request(
    ctx: Ctx,
    Path(key): Path<String>,
    RawQuery(raw): RawQuery,
) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let (start, limit) = Params::parse(raw.as_deref()).paging()?;
    let r = ctx
        .app
        .servicedesk
        .request(caller, &IssueRef::parse(&key))
        .await?;
    Ok(axum::Json(attachments(&ctx, &r, start, limit)))
}
