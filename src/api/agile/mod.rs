//! The Jira Software REST API (`/rest/agile/1.0`): boards, sprints, the backlog,
//! ranking and epics. Lists page in the agile envelope `{maxResults, startAt, total,
//! isLast, values}`; issue lists are `{startAt, maxResults, total, issues}` with the
//! platform's issue beans; errors are Jira's `{"errorMessages": [], "errors": {}}`.

mod board;
mod epic;
mod issue;
mod sprint;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::Ctx;
use super::jira::render::{self, Expand, FieldSelection, IssueOptions};
use super::jira::{JiraResult, List};
use super::routes::Routes;
use crate::domain::agile::*;
use crate::domain::*;
use crate::service::Page;
use crate::service::issues::ViewNeeds;
use crate::service::search::jql::SearchPage;

pub const BASE: &str = "/rest/agile/1.0";

pub fn routes() -> Routes {
    let api = Routes::new()
        .merge(board::routes())
        .merge(sprint::routes())
        .merge(issue::routes())
        .merge(epic::routes())
        .fallback(unknown_route);
    Routes::new().nest(BASE, api)
}

async fn unknown_route(req: Request) -> Response {
    let path = req
        .extensions()
        .get::<axum::extract::OriginalUri>()
        .map(|u| u.path().to_string())
        .unwrap_or_else(|| req.uri().path().to_string());
    super::jira::error_response(
        &path,
        StatusCode::NOT_FOUND,
        &format!(
            "No Tessera resource answers {} {path}; this operation is not supported.",
            req.method()
        ),
    )
}

/// Paging and issue-list parameters shared by the listings.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct ListParams {
    start_at: Option<i64>,
    max_results: Option<i64>,
    jql: Option<String>,
    fields: List,
    expand: List,
    state: List,
    #[serde(rename = "type")]
    kind: Option<String>,
    name: Option<String>,
    project_key_or_id: Option<String>,
    board_id: Option<i64>,
    released: Option<String>,
    done: Option<String>,
}

impl ListParams {
    fn paging(&self, default_max: i64) -> JiraResult<(i64, i64)> {
        Ok(crate::service::paging(
            self.start_at,
            self.max_results,
            default_max,
            1000,
        )?)
    }
    fn fields(&self) -> FieldSelection {
        FieldSelection::parse(self.fields.items(), "*navigable")
    }
}

/// The agile page envelope.
fn page<T>(p: &Page<T>, f: impl Fn(&T) -> Value) -> Value {
    json!({
        "maxResults": p.max_results, "startAt": p.start_at, "total": p.total, "isLast": p.is_last(),
        "values": p.items.iter().map(f).collect::<Vec<_>>(),
    })
}

fn needs(fields: &FieldSelection) -> ViewNeeds {
    ViewNeeds {
        comments: fields.wants("comment", true) || fields.wants("worklog", true),
        subtasks: fields.wants("subtasks", true),
        links: fields.wants("issuelinks", true),
        social: fields.wants("watches", true) || fields.wants("votes", true),
        attachments: fields.wants("attachment", true),
    }
}

/// An issue list: the platform's issue beans under the agile paging keys.
fn issue_page(
    ctx: &Ctx,
    p: &ListParams,
    start: i64,
    max: i64,
    page: &SearchPage,
) -> JiraResult<Value> {
    let cat = ctx.app.catalog.current();
    let fields = p.fields();
    let expand = Expand::parse(p.expand.items());
    let mut issues = Vec::with_capacity(page.views.len());
    for v in &page.views {
        issues.push(render::issue(
            &ctx.base,
            &cat,
            v,
            &IssueOptions {
                fields: &fields,
                expand: &expand,
                properties: Vec::new(),
                changelog: None,
            },
        )?);
    }
    Ok(
        json!({"expand": "schema,names", "startAt": start, "maxResults": max, "total": page.total, "issues": issues}),
    )
}

fn sprint_bean(base: &str, s: &Sprint) -> Value {
    let mut b = json!({
        "id": s.id, "self": format!("{base}{BASE}/sprint/{}", s.id), "state": s.state.as_str(),
        "name": s.name, "originBoardId": s.board_id, "goal": s.goal,
    });
    for (k, d) in [
        ("startDate", s.start_date),
        ("endDate", s.end_date),
        ("completeDate", s.complete_date),
    ] {
        if let Some(d) = d {
            b[k] = json!(d.to_jira());
        }
    }
    b
}

/// Issue keys from `{"issues": [...]}`, ids or keys as strings or numbers.
fn issue_keys(v: &Value) -> Vec<String> {
    v.get("issues")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|i| match i {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

fn states(raw: &List) -> Vec<String> {
    raw.items().to_vec()
}
