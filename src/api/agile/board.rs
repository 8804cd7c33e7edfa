//! Boards and what hangs off them.
//!
//! | method | path | operation |
//! |---|---|---|
//! | GET, POST | `/board` | getAllBoards, createBoard |
//! | GET, DELETE | `/board/{boardId}` | getBoard, deleteBoard |
//! | GET | `/board/{boardId}/configuration` | getConfiguration |
//! | GET | `/board/{boardId}/issue`, `/backlog` | getIssuesForBoard, getIssuesForBacklog |
//! | GET | `/board/{boardId}/sprint`, `/sprint/{sprintId}/issue` | getAllSprints, getBoardIssuesForSprint |
//! | GET | `/board/{boardId}/project`, `/version` | getProjects, getAllVersions |
//! | GET | `/board/{boardId}/epic`, `/epic/none/issue`, `/epic/{epicId}/issue` | getEpics, getIssuesWithoutEpicForBoard, getBoardIssuesForEpic |
//! | GET, PUT, DELETE | `/board/{boardId}/properties[/{propertyKey}]` | getBoardPropertyKeys, getBoardProperty, setBoardProperty, deleteBoardProperty |

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::*;
use crate::api::jira::{Json, Query, no_content, path_id};
use crate::api::routes::{READ_WORK, WRITE_WORK};
use crate::service::agile::{BoardConfig, BoardQuery, BoardView, Listing, NewBoard, Owner};

pub fn routes() -> Routes {
    Routes::new()
        .get("/board", READ_WORK, get_all_boards)
        .post("/board", WRITE_WORK, create_board)
        .get("/board/{boardId}", READ_WORK, get_board)
        .delete("/board/{boardId}", WRITE_WORK, delete_board)
        .get(
            "/board/{boardId}/configuration",
            READ_WORK,
            get_configuration,
        )
        .get("/board/{boardId}/issue", READ_WORK, get_issues_for_board)
        .get(
            "/board/{boardId}/backlog",
            READ_WORK,
            get_issues_for_backlog,
        )
        .get("/board/{boardId}/sprint", READ_WORK, get_all_sprints)
        .get(
            "/board/{boardId}/sprint/{sprintId}/issue",
            READ_WORK,
            get_board_issues_for_sprint,
        )
        .get("/board/{boardId}/project", READ_WORK, get_projects)
        .get("/board/{boardId}/version", READ_WORK, get_all_versions)
        .get("/board/{boardId}/epic", READ_WORK, get_epics)
        .get(
            "/board/{boardId}/epic/none/issue",
            READ_WORK,
            get_issues_without_epic_for_board,
        )
        .get(
            "/board/{boardId}/epic/{epicId}/issue",
            READ_WORK,
            get_board_issues_for_epic,
        )
        .get(
            "/board/{boardId}/properties",
            READ_WORK,
            get_board_property_keys,
        )
        .get(
            "/board/{boardId}/properties/{propertyKey}",
            READ_WORK,
            get_board_property,
        )
        .put(
            "/board/{boardId}/properties/{propertyKey}",
            WRITE_WORK,
            set_board_property,
        )
        .delete(
            "/board/{boardId}/properties/{propertyKey}",
            WRITE_WORK,
            delete_board_property,
        )
}

fn board_id(raw: &str) -> JiraResult<i64> {
    path_id(raw, "board")
}

pub(super) fn board_bean(base: &str, v: &BoardView) -> Value {
    let b = &v.board;
    let mut bean = json!({
        "id": b.id, "self": format!("{base}{BASE}/board/{}", b.id), "name": b.name, "type": b.kind.as_str(),
    });
    if let Some(p) = &v.project {
        let display = format!("{} ({})", p.name, p.key);
        bean["location"] = json!({
            "projectId": p.id.0, "displayName": display, "projectName": p.name, "projectKey": p.key,
            "projectTypeKey": p.project_type_key, "name": display,
            "avatarURI": format!("{base}/secure/projectavatar?size=small&pid={}", p.id.0),
        });
    }
    bean
}

/// # `GET /rest/agile/1.0/board` (getAllBoards)
async fn get_all_boards(ctx: Ctx, Query(p): Query<ListParams>) -> JiraResult<Json<Value>> {
    let (start, max) = p.paging(50)?;
    let query = BoardQuery {
        kind: p.kind.clone(),
        name: p.name.clone(),
        project: p.project_key_or_id.clone(),
    };
    let boards = ctx
        .app
        .agile
        .boards(ctx.caller.as_ref(), query, start, max)
        .await?;
    Ok(Json(page(&boards, |b| board_bean(&ctx.base, b))))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LocationBody {
    #[serde(rename = "type")]
    kind: Option<String>,
    project_key_or_id: Option<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BoardBody {
    name: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    filter_id: Option<Value>,
    location: Option<LocationBody>,
}

fn id_value(v: &Option<Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// # `POST /rest/agile/1.0/board` (createBoard)
async fn create_board(ctx: Ctx, Json(body): Json<BoardBody>) -> JiraResult<Response> {
    let filter_id = match id_value(&body.filter_id) {
        None => None,
        Some(s) => Some(s.trim().parse().map_err(|_| {
            crate::error::Error::field("filterId", format!("'{s}' is not a filter id."))
        })?),
    };
    let input = NewBoard {
        name: body.name,
        kind: body.kind,
        filter_id,
        location_type: body.location.as_ref().and_then(|l| l.kind.clone()),
        project: body
            .location
            .as_ref()
            .and_then(|l| id_value(&l.project_key_or_id)),
    };
    let v = ctx
        .app
        .agile
        .create_board(ctx.caller.as_ref(), input)
        .await?;
    Ok((StatusCode::CREATED, axum::Json(board_bean(&ctx.base, &v))).into_response())
}

/// # `GET /rest/agile/1.0/board/{boardId}` (getBoard)
async fn get_board(ctx: Ctx, Path(id): Path<String>) -> JiraResult<Json<Value>> {
    let v = ctx
        .app
        .agile
        .board(ctx.caller.as_ref(), board_id(&id)?)
        .await?;
    Ok(Json(board_bean(&ctx.base, &v)))
}

/// # `DELETE /rest/agile/1.0/board/{boardId}` (deleteBoard)
async fn delete_board(ctx: Ctx, Path(id): Path<String>) -> JiraResult<Response> {
    ctx.app
        .agile
        .delete_board(ctx.caller.as_ref(), board_id(&id)?)
        .await?;
    Ok(no_content())
}

fn configuration_bean(base: &str, c: &BoardConfig) -> Value {
    let mut bean = board_bean(base, &c.view);
    let columns: Vec<Value> = c
        .columns
        .iter()
        .map(|(name, statuses)| {
            json!({"name": name, "statuses": statuses.iter().map(|s| json!({
                "id": s.id.to_string(), "self": format!("{base}/rest/api/2/status/{}", s.id),
            })).collect::<Vec<_>>()})
        })
        .collect();
    bean["filter"] = json!({"id": c.view.board.filter_id.to_string(), "self": format!("{base}/rest/api/2/filter/{}", c.view.board.filter_id)});
    bean["columnConfig"] = json!({"columns": columns, "constraintType": "none"});
    if let Some(f) = &c.estimation {
        bean["estimation"] =
            json!({"type": "field", "field": {"fieldId": f.field_id(), "displayName": f.name}});
    }
    if let Some(r) = &c.rank {
        bean["ranking"] = json!({"rankCustomFieldId": r.id});
    }
    bean
}

/// # `GET /rest/agile/1.0/board/{boardId}/configuration` (getConfiguration)
async fn get_configuration(ctx: Ctx, Path(id): Path<String>) -> JiraResult<Json<Value>> {
    let c = ctx
        .app
        .agile
        .board_configuration(ctx.caller.as_ref(), board_id(&id)?)
        .await?;
    Ok(Json(configuration_bean(&ctx.base, &c)))
}

async fn listing(ctx: Ctx, id: &str, listing: Listing, p: ListParams) -> JiraResult<Json<Value>> {
    let (start, max) = p.paging(50)?;
    let page = ctx
        .app
        .agile
        .board_issues(
            ctx.caller.as_ref(),
            board_id(id)?,
            listing,
            p.jql.clone(),
            start,
            max,
            needs(&p.fields()),
        )
        .await?;
    Ok(Json(issue_page(&ctx, &p, start, max, &page)?))
}

/// # `GET /rest/agile/1.0/board/{boardId}/issue` (getIssuesForBoard)
async fn get_issues_for_board(
    ctx: Ctx,
    Path(id): Path<String>,
    Query(p): Query<ListParams>,
) -> JiraResult<Json<Value>> {
    listing(ctx, &id, Listing::All, p).await
}

/// # `GET /rest/agile/1.0/board/{boardId}/backlog` (getIssuesForBacklog)
async fn get_issues_for_backlog(
    ctx: Ctx,
    Path(id): Path<String>,
    Query(p): Query<ListParams>,
) -> JiraResult<Json<Value>> {
    listing(ctx, &id, Listing::Backlog, p).await
}

/// # `GET /rest/agile/1.0/board/{boardId}/sprint/{sprintId}/issue` (getBoardIssuesForSprint)
async fn get_board_issues_for_sprint(
    ctx: Ctx,
    Path((id, sprint)): Path<(String, String)>,
    Query(p): Query<ListParams>,
) -> JiraResult<Json<Value>> {
    let sprint = path_id(&sprint, "sprint")?;
    listing(ctx, &id, Listing::Sprint(sprint), p).await
}

/// # `GET /rest/agile/1.0/board/{boardId}/epic/none/issue` (getIssuesWithoutEpicForBoard)
async fn get_issues_without_epic_for_board(
    ctx: Ctx,
    Path(id): Path<String>,
    Query(p): Query<ListParams>,
) -> JiraResult<Json<Value>> {
    listing(ctx, &id, Listing::NoEpic, p).await
}

/// # `GET /rest/agile/1.0/board/{boardId}/epic/{epicId}/issue` (getBoardIssuesForEpic)
async fn get_board_issues_for_epic(
    ctx: Ctx,
    Path((id, epic)): Path<(String, String)>,
    Query(p): Query<ListParams>,
) -> JiraResult<Json<Value>> {
    let epic = ctx.app.agile.epic(ctx.caller.as_ref(), &epic).await?;
    listing(ctx, &id, Listing::Epic(epic.issue.key), p).await
}

/// # `GET /rest/agile/1.0/board/{boardId}/epic` (getEpics)
async fn get_epics(
    ctx: Ctx,
    Path(id): Path<String>,
    Query(p): Query<ListParams>,
) -> JiraResult<Json<Value>> {
    let (start, max) = p.paging(50)?;
    let page = ctx
        .app
        .agile
        .board_issues(
            ctx.caller.as_ref(),
            board_id(&id)?,
            Listing::Epics,
            None,
            start,
            max,
            ViewNeeds::NONE,
        )
        .await?;
    let cat = ctx.app.catalog.current();
    let done = p.done.as_deref().map(|d| d.eq_ignore_ascii_case("true"));
    let values: Vec<Value> = page
        .views
        .iter()
        .map(|v| crate::service::agile::epic_view(&cat, v.issue.clone()))
        .filter(|e| done.is_none_or(|d| e.done == d))
        .map(|e| super::epic::epic_bean(&ctx.base, &e))
        .collect();
    let is_last = start + values.len() as i64 >= page.total as i64;
    Ok(Json(
        json!({"maxResults": max, "startAt": start, "total": page.total, "isLast": is_last, "values": values}),
    ))
}

/// # `GET /rest/agile/1.0/board/{boardId}/sprint` (getAllSprints)
async fn get_all_sprints(
    ctx: Ctx,
    Path(id): Path<String>,
    Query(p): Query<ListParams>,
) -> JiraResult<Json<Value>> {
    let (start, max) = p.paging(50)?;
    let sprints = ctx
        .app
        .agile
        .board_sprints(
            ctx.caller.as_ref(),
            board_id(&id)?,
            states(&p.state),
            start,
            max,
        )
        .await?;
    Ok(Json(page(&sprints, |s| sprint_bean(&ctx.base, s))))
}

/// # `GET /rest/agile/1.0/board/{boardId}/project` (getProjects)
async fn get_projects(
    ctx: Ctx,
    Path(id): Path<String>,
    Query(p): Query<ListParams>,
) -> JiraResult<Json<Value>> {
    let (start, max) = p.paging(50)?;
    let projects = ctx
        .app
        .agile
        .board_projects(ctx.caller.as_ref(), board_id(&id)?)
        .await?;
    let cat = ctx.app.catalog.current();
    let mut beans = Vec::new();
    for pr in &projects {
        beans.push(render::project_short(&ctx.base, &cat, pr)?);
    }
    Ok(Json(page(&Page::of(beans, start, max), Value::clone)))
}

/// # `GET /rest/agile/1.0/board/{boardId}/version` (getAllVersions)
async fn get_all_versions(
    ctx: Ctx,
    Path(id): Path<String>,
    Query(p): Query<ListParams>,
) -> JiraResult<Json<Value>> {
    let (start, max) = p.paging(50)?;
    let released = match p
        .released
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("") => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(other) => {
            return Err(crate::error::Error::bad_request(format!(
                "'{other}' is not a boolean; use true or false"
            ))
            .into());
        }
    };
    let versions = ctx
        .app
        .agile
        .board_versions(ctx.caller.as_ref(), board_id(&id)?, released)
        .await?;
    let base = ctx.base.clone();
    Ok(Json(page(&Page::of(versions, start, max), |(pr, v)| {
        let mut b = json!({
            "self": format!("{base}/rest/api/2/version/{}", v.id), "id": v.id, "projectId": pr.id.0,
            "name": v.name, "description": v.description, "archived": v.archived, "released": v.released,
        });
        if let Some(d) = &v.release_date {
            b["releaseDate"] = json!(d);
        }
        b
    })))
}

pub(super) fn keys_bean(base: &str, path: &str, keys: Vec<String>) -> Value {
    json!({"keys": keys.iter().map(|k| json!({"self": format!("{base}{BASE}/{path}/{}", crate::api::pct(k)), "key": k})).collect::<Vec<_>>()})
}

pub(super) fn property_bean(key: &str, raw: &str) -> Value {
    json!({"key": key, "value": serde_json::from_str::<Value>(raw).unwrap_or(Value::Null)})
}

pub(super) fn set_response(created: bool) -> Response {
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    (status, axum::Json(json!({}))).into_response()
}

/// # `GET /rest/agile/1.0/board/{boardId}/properties` (getBoardPropertyKeys)
async fn get_board_property_keys(ctx: Ctx, Path(id): Path<String>) -> JiraResult<Json<Value>> {
    let id = board_id(&id)?;
    let keys = ctx
        .app
        .agile
        .property_keys(ctx.caller.as_ref(), Owner::Board(id))
        .await?;
    Ok(Json(keys_bean(
        &ctx.base,
        &format!("board/{id}/properties"),
        keys,
    )))
}

/// # `GET /rest/agile/1.0/board/{boardId}/properties/{propertyKey}` (getBoardProperty)
async fn get_board_property(
    ctx: Ctx,
    Path((id, key)): Path<(String, String)>,
) -> JiraResult<Json<Value>> {
    let raw = ctx
        .app
        .agile
        .property(ctx.caller.as_ref(), Owner::Board(board_id(&id)?), &key)
        .await?;
    Ok(Json(property_bean(&key, &raw)))
}

/// # `PUT /rest/agile/1.0/board/{boardId}/properties/{propertyKey}` (setBoardProperty)
async fn set_board_property(
    ctx: Ctx,
    Path((id, key)): Path<(String, String)>,
    Json(value): Json<Value>,
) -> JiraResult<Response> {
    let created = ctx
        .app
        .agile
        .set_property(
            ctx.caller.as_ref(),
            Owner::Board(board_id(&id)?),
            &key,
            value.to_string(),
        )
        .await?;
    Ok(set_response(created))
}

/// # `DELETE /rest/agile/1.0/board/{boardId}/properties/{propertyKey}` (deleteBoardProperty)
async fn delete_board_property(
    ctx: Ctx,
    Path((id, key)): Path<(String, String)>,
) -> JiraResult<Response> {
    ctx.app
        .agile
        .delete_property(ctx.caller.as_ref(), Owner::Board(board_id(&id)?), &key)
        .await?;
    Ok(no_content())
}
