//! Service desks, request types, queues and the API's `info`.

use axum::extract::{Path, RawQuery};
use serde_json::{Value, json};

use axum::response::Response;
use serde::Deserialize;

use super::{JsmResult, Json, Params, READ, WRITE, caller, no_content, render};
use crate::api::Ctx;
use crate::api::jira::dto;
use crate::api::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .get("/rest/servicedeskapi/info", READ, get_info)
        .get("/rest/servicedeskapi/servicedesk", READ, get_service_desks)
        .get(
            "/rest/servicedeskapi/servicedesk/{serviceDeskId}",
            READ,
            get_service_desk_by_id,
        )
        .get(
            "/rest/servicedeskapi/requesttype",
            READ,
            get_all_request_types,
        )
        .get(
            "/rest/servicedeskapi/servicedesk/{serviceDeskId}/requesttype",
            READ,
            get_request_types,
        )
        .post(
            "/rest/servicedeskapi/servicedesk/{serviceDeskId}/requesttype",
            WRITE,
            create_request_type,
        )
        .delete(
            "/rest/servicedeskapi/servicedesk/{serviceDeskId}/requesttype/{requestTypeId}",
            WRITE,
            delete_request_type,
        )
        .get(
            "/rest/servicedeskapi/servicedesk/{serviceDeskId}/requesttype/{requestTypeId}",
            READ,
            get_request_type_by_id,
        )
        .get(
            "/rest/servicedeskapi/servicedesk/{serviceDeskId}/requesttype/{requestTypeId}/field",
            READ,
            get_request_type_fields,
        )
        .get(
            "/rest/servicedeskapi/servicedesk/{serviceDeskId}/requesttypegroup",
            READ,
            get_request_type_groups,
        )
        .get(
            "/rest/servicedeskapi/servicedesk/{serviceDeskId}/queue",
            READ,
            get_queues,
        )
        .get(
            "/rest/servicedeskapi/servicedesk/{serviceDeskId}/queue/{queueId}",
            READ,
            get_queue,
        )
        .get(
            "/rest/servicedeskapi/servicedesk/{serviceDeskId}/queue/{queueId}/issue",
            READ,
            get_issues_in_queue,
        )
}

/// # `GET /rest/servicedeskapi/info` (getInfo)
async fn get_info(ctx: Ctx) -> JsmResult<axum::Json<Value>> {
    let version = env!("CARGO_PKG_VERSION");
    Ok(axum::Json(json!({
        "version": version,
        "platformVersion": version,
        "buildDate": render::date(crate::domain::Millis(0)),
        "buildChangeSet": "tessera",
        "isLicensedForUse": true,
        "_links": {"self": format!("{}/info", render::api(&ctx.base))},
    })))
}

/// # `GET /rest/servicedeskapi/servicedesk` (getServiceDesks)
async fn get_service_desks(ctx: Ctx, RawQuery(raw): RawQuery) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let (start, limit) = Params::parse(raw.as_deref()).paging()?;
    let all = ctx.app.servicedesk.desks(caller).await?;
    let total = all.len() as i64;
    let values = all
        .iter()
        .skip(start as usize)
        .take(limit as usize)
        .map(|d| render::desk(&ctx.base, d))
        .collect();
    Ok(axum::Json(render::paged(
        &ctx.base,
        "/servicedesk",
        start,
        limit,
        total,
        values,
    )))
}

/// # `GET /rest/servicedeskapi/servicedesk/{serviceDeskId}` (getServiceDeskById)
async fn get_service_desk_by_id(ctx: Ctx, Path(id): Path<String>) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let d = ctx.app.servicedesk.desk(caller, &id).await?;
    Ok(axum::Json(render::desk(&ctx.base, &d)))
}

fn type_list(
    ctx: &Ctx,
    path: &str,
    p: &Params,
    list: Vec<crate::service::servicedesk::RequestTypeView>,
) -> JsmResult<Value> {
    let (start, limit) = p.paging()?;
    let total = list.len() as i64;
    let values = list
        .iter()
        .skip(start as usize)
        .take(limit as usize)
        .map(|t| render::request_type(&ctx.base, t))
        .collect();
    Ok(render::paged(&ctx.base, path, start, limit, total, values))
}

/// # `GET /rest/servicedeskapi/requesttype` (getAllRequestTypes)
async fn get_all_request_types(ctx: Ctx, RawQuery(raw): RawQuery) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let p = Params::parse(raw.as_deref());
    let list = ctx
        .app
        .servicedesk
        .request_types(caller, None, p.get("searchQuery"), None)
        .await?;
    Ok(axum::Json(type_list(&ctx, "/requesttype", &p, list)?))
}

/// # `GET /rest/servicedeskapi/servicedesk/{serviceDeskId}/requesttype` (getRequestTypes)
async fn get_request_types(
    ctx: Ctx,
    Path(desk): Path<String>,
    RawQuery(raw): RawQuery,
) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let p = Params::parse(raw.as_deref());
    let group = p.number("groupId")?;
    let list = ctx
        .app
        .servicedesk
        .request_types(caller, Some(&desk), p.get("searchQuery"), group)
        .await?;
    let path = format!("/servicedesk/{desk}/requesttype");
    Ok(axum::Json(type_list(&ctx, &path, &p, list)?))
}

/// # `GET /rest/servicedeskapi/servicedesk/{serviceDeskId}/requesttype/{requestTypeId}` (getRequestTypeById)
async fn get_request_type_by_id(
    ctx: Ctx,
    Path((desk, id)): Path<(String, String)>,
) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let (_, t) = ctx.app.servicedesk.request_type(caller, &desk, &id).await?;
    Ok(axum::Json(render::request_type(&ctx.base, &t)))
}

/// `RequestTypeCreateDTO`; the issue type's id comes as a string or a number.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RequestTypeInput {
    name: Option<String>,
    description: Option<String>,
    help_text: Option<String>,
    issue_type_id: Option<Value>,
}

/// # `POST /rest/servicedeskapi/servicedesk/{serviceDeskId}/requesttype` (createRequestType)
async fn create_request_type(
    ctx: Ctx,
    Path(desk): Path<String>,
    Json(input): Json<RequestTypeInput>,
) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let issue_type = input.issue_type_id.map(|v| match v {
        Value::String(s) => s,
        other => other.to_string(),
    });
    let t = ctx
        .app
        .servicedesk
        .create_request_type(
            caller,
            &desk,
            input.name,
            input.description,
            input.help_text,
            issue_type,
        )
        .await?;
    Ok(axum::Json(render::request_type(&ctx.base, &t)))
}

/// # `DELETE /rest/servicedeskapi/servicedesk/{serviceDeskId}/requesttype/{requestTypeId}` (deleteRequestType)
async fn delete_request_type(
    ctx: Ctx,
    Path((desk, id)): Path<(String, String)>,
) -> JsmResult<Response> {
    let caller = caller(&ctx)?;
    ctx.app
        .servicedesk
        .delete_request_type(caller, &desk, &id)
        .await?;
    Ok(no_content())
}

/// # `GET /rest/servicedeskapi/servicedesk/{serviceDeskId}/requesttype/{requestTypeId}/field` (getRequestTypeFields)
async fn get_request_type_fields(
    ctx: Ctx,
    Path((desk, id)): Path<(String, String)>,
) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let sd = &ctx.app.servicedesk;
    let (d, t) = sd.request_type(caller, &desk, &id).await?;
    let fields: Vec<Value> = t
        .fields
        .iter()
        .map(|f| render::field(f, &sd.offered_values(f), sd.field_schema(&f.field_id)))
        .collect();
    Ok(axum::Json(json!({
        "requestTypeFields": fields,
        "canRaiseOnBehalfOf": d.agent,
        "canAddRequestParticipants": d.agent,
    })))
}

/// # `GET /rest/servicedeskapi/servicedesk/{serviceDeskId}/requesttypegroup` (getRequestTypeGroups)
async fn get_request_type_groups(
    ctx: Ctx,
    Path(desk): Path<String>,
    RawQuery(raw): RawQuery,
) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let (start, limit) = Params::parse(raw.as_deref()).paging()?;
    let groups = ctx
        .app
        .servicedesk
        .request_type_groups(caller, &desk)
        .await?;
    let total = groups.len() as i64;
    let values = groups
        .iter()
        .skip(start as usize)
        .take(limit as usize)
        .map(render::group)
        .collect();
    let path = format!("/servicedesk/{desk}/requesttypegroup");
    Ok(axum::Json(render::paged(
        &ctx.base, &path, start, limit, total, values,
    )))
}

/// # `GET /rest/servicedeskapi/servicedesk/{serviceDeskId}/queue` (getQueues)
async fn get_queues(
    ctx: Ctx,
    Path(desk): Path<String>,
    RawQuery(raw): RawQuery,
) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let p = Params::parse(raw.as_deref());
    let (start, limit) = p.paging()?;
    let count = p.flag("includeCount")?.unwrap_or(false);
    let (_, queues) = ctx.app.servicedesk.queues(caller, &desk, count).await?;
    let total = queues.len() as i64;
    let values = queues
        .iter()
        .skip(start as usize)
        .take(limit as usize)
        .map(|q| render::queue(&ctx.base, &q.queue, q.issue_count))
        .collect();
    let path = format!("/servicedesk/{desk}/queue");
    Ok(axum::Json(render::paged(
        &ctx.base, &path, start, limit, total, values,
    )))
}

/// # `GET /rest/servicedeskapi/servicedesk/{serviceDeskId}/queue/{queueId}` (getQueue)
async fn get_queue(
    ctx: Ctx,
    Path((desk, id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let count = Params::parse(raw.as_deref())
        .flag("includeCount")?
        .unwrap_or(false);
    let (_, q) = ctx.app.servicedesk.queue(caller, &desk, &id, count).await?;
    Ok(axum::Json(render::queue(
        &ctx.base,
        &q.queue,
        q.issue_count,
    )))
}

/// # `GET /rest/servicedeskapi/servicedesk/{serviceDeskId}/queue/{queueId}/issue` (getIssuesInQueue)
async fn get_issues_in_queue(
    ctx: Ctx,
    Path((desk, id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let (start, limit) = Params::parse(raw.as_deref()).paging()?;
    let (_, page) = ctx
        .app
        .servicedesk
        .queue_issues(caller, &desk, &id, start, limit)
        .await?;
    let cat = ctx.app.catalog.current();
    let values = page
        .views
        .iter()
        .map(|v| {
            let i = &v.issue;
            // Jira's status bean, category included: queues are read as Jira issues.
            let status = match cat.status(i.status_id) {
                Some(s) => dto::to_json(dto::status(&ctx.base, &cat, s))?,
                None => Value::Null,
            };
            Ok(json!({
                "id": i.id.0.to_string(),
                "key": i.key,
                "self": format!("{}/rest/api/2/issue/{}", ctx.base, i.id.0),
                "fields": {
                    "summary": i.summary,
                    "issuetype": cat.issue_type(i.issue_type_id).map(|t| json!({"id": t.id.to_string(), "name": t.name})),
                    "status": status,
                    "created": i.created.to_jira(),
                    "reporter": i.reporter_id.and_then(|r| v.users.get(&r)).map(|u| render::user(&ctx.base, u)),
                },
            }))
        })
        .collect::<crate::error::Result<Vec<Value>>>()?;
    let path = format!("/servicedesk/{desk}/queue/{id}/issue");
    Ok(axum::Json(render::paged(
        &ctx.base,
        &path,
        start,
        limit,
        page.total as i64,
        values,
    )))
}
