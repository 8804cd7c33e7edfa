//! Project components one at a time (the project-wide lists are in `project`).
//!
//! | method | path | operation |
//! |---|---|---|
//! | POST | `/component` | createComponent |
//! | GET | `/component/{id}` | getComponent |
//! | PUT | `/component/{id}` | updateComponent |
//! | DELETE | `/component/{id}` | deleteComponent |
//! | GET | `/component/{id}/relatedIssueCounts` | getComponentRelatedIssues |

use std::collections::HashMap;

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::dto::{component, to_json, user};
use super::{JiraResult, Json, Query, no_content, path_id};
use crate::api::Ctx;
use crate::api::routes::{MANAGE_PROJECT, READ_WORK, Routes};
use crate::domain::*;
use crate::error::Error;
use crate::service::components::ComponentInput;
use crate::service::users::UserRef;

pub fn routes() -> Routes {
    Routes::new()
        .post("/component", MANAGE_PROJECT, create_component)
        .get("/component/{id}", READ_WORK, get_component)
        .put("/component/{id}", MANAGE_PROJECT, update_component)
        .delete("/component/{id}", MANAGE_PROJECT, delete_component)
        .get(
            "/component/{id}/relatedIssueCounts",
            READ_WORK,
            get_component_related_issues,
        )
}

/// The component bean with Jira's assignee resolution: `assignee` from the chosen
/// type, `realAssignee` from the type that applies (a component lead type without a
/// lead falls back to the project default).
fn component_bean(
    base: &str,
    c: &Component,
    project: &Project,
    users: &HashMap<UserId, User>,
) -> JiraResult<Value> {
    let lead = c.lead_id.and_then(|l| users.get(&l));
    let project_lead = users.get(&project.lead_id);
    let project_default = if project.assignee_type == "PROJECT_LEAD" {
        "PROJECT_LEAD"
    } else {
        "UNASSIGNED"
    };
    let who = |kind: &str| match kind {
        "COMPONENT_LEAD" => lead,
        "PROJECT_LEAD" => project_lead,
        _ => None,
    };
    let valid = c.assignee_type != "COMPONENT_LEAD" || lead.is_some();
    let real_type = match c.assignee_type.as_str() {
        "PROJECT_DEFAULT" => project_default,
        "COMPONENT_LEAD" if !valid => project_default,
        other => other,
    };
    let assigned = match c.assignee_type.as_str() {
        "PROJECT_DEFAULT" => who(project_default),
        other => who(other),
    };
    let mut v = to_json(component(base, c, &project.key, lead))?;
    if let Some(l) = lead {
        v["leadUserName"] = json!(l.username);
        v["leadAccountId"] = json!(l.account_id);
    }
    if let Some(a) = assigned {
        v["assignee"] = json!(user(base, a));
    }
    v["realAssigneeType"] = json!(real_type);
    if let Some(a) = who(real_type) {
        v["realAssignee"] = json!(user(base, a));
    }
    v["isAssigneeTypeValid"] = json!(valid);
    Ok(v)
}

async fn render(ctx: &Ctx, c: &Component, project: &Project) -> JiraResult<Value> {
    let users = ctx.app.components.component_users(c, project).await?;
    component_bean(&ctx.base, c, project, &users)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UserBody {
    name: Option<String>,
    account_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ComponentBody {
    name: Option<String>,
    description: Option<String>,
    lead_user_name: Option<String>,
    lead_account_id: Option<String>,
    lead: Option<UserBody>,
    assignee_type: Option<String>,
    project: Option<String>,
    project_id: Option<Value>,
}

impl ComponentBody {
    fn input(self) -> ComponentInput {
        let project = self
            .project
            .as_deref()
            .map(ProjectRef::parse)
            .or(match &self.project_id {
                Some(Value::Number(n)) => n.as_i64().map(ProjectRef::Id),
                Some(Value::String(s)) => Some(ProjectRef::parse(s)),
                _ => None,
            });
        let lead = match (self.lead_account_id, self.lead_user_name, self.lead) {
            (Some(a), _, _) => Some((!a.is_empty()).then_some(UserRef::AccountId(a))),
            (None, Some(u), _) => Some((!u.is_empty()).then_some(UserRef::Username(u))),
            (None, None, Some(l)) => Some(
                l.account_id
                    .map(UserRef::AccountId)
                    .or(l.name.map(UserRef::Username)),
            ),
            (None, None, None) => None,
        };
        ComponentInput {
            project,
            name: self.name,
            description: self.description,
            lead,
            assignee_type: self.assignee_type,
        }
    }
}

/// # `POST /rest/api/2/component` (createComponent)
async fn create_component(ctx: Ctx, Json(body): Json<ComponentBody>) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let (c, project) = ctx
        .app
        .components
        .create_component(caller, body.input())
        .await?;
    let bean = render(&ctx, &c, &project).await?;
    Ok((StatusCode::CREATED, axum::Json(bean)).into_response())
}

/// # `GET /rest/api/2/component/{id}` (getComponent)
async fn get_component(ctx: Ctx, Path(id): Path<String>) -> JiraResult<Json<Value>> {
    ctx.user()?;
    let n = path_id(&id, "component")?;
    let (c, project) = ctx
        .app
        .components
        .get_component(ctx.caller.as_ref(), n)
        .await?;
    Ok(Json(render(&ctx, &c, &project).await?))
}

/// # `PUT /rest/api/2/component/{id}` (updateComponent)
async fn update_component(
    ctx: Ctx,
    Path(id): Path<String>,
    Json(body): Json<ComponentBody>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let n = path_id(&id, "component")?;
    let (c, project) = ctx
        .app
        .components
        .update_component(caller, n, body.input())
        .await?;
    Ok(Json(render(&ctx, &c, &project).await?))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DeleteQuery {
    move_issues_to: Option<String>,
}

/// # `DELETE /rest/api/2/component/{id}` (deleteComponent)
async fn delete_component(
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<DeleteQuery>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let n = path_id(&id, "component")?;
    let move_to = match q.move_issues_to.as_deref() {
        None | Some("") => None,
        // Jira accepts the id or the component's `self` URL.
        Some(raw) => Some(
            raw.rsplit('/')
                .next()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| {
                    Error::field(
                        "moveIssuesTo",
                        format!("The component with id {raw} does not exist."),
                    )
                })?,
        ),
    };
    ctx.app
        .components
        .delete_component(caller, n, move_to)
        .await?;
    Ok(no_content())
}

/// # `GET /rest/api/2/component/{id}/relatedIssueCounts` (getComponentRelatedIssues)
async fn get_component_related_issues(ctx: Ctx, Path(id): Path<String>) -> JiraResult<Json<Value>> {
    ctx.user()?;
    let n = path_id(&id, "component")?;
    let count = ctx
        .app
        .components
        .component_issue_count(ctx.caller.as_ref(), n)
        .await?;
    Ok(Json(json!({
        "self": format!("{}/rest/api/2/component/{n}", ctx.base),
        "issueCount": count,
    })))
}
