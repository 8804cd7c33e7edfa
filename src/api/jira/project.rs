//! Projects and the lists hanging off them; the scheme lists, categories, types and
//! validation a project create reads are in `project/meta.rs`.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::dto::*;
use super::render::{Expand, project_full};
use super::{JiraError, JiraResult, Json, List, Query, no_content, path_id};
use crate::api::Ctx;
use crate::api::routes::{MANAGE_CONFIG, MANAGE_PROJECT, READ_WORK, Routes};
use crate::domain::*;
use crate::error::Error;
use crate::service::projects::ProjectInput;
use crate::service::users::UserRef;

mod meta;
mod picker;

use meta::*;

pub fn routes() -> Routes {
    Routes::new()
        .get("/project", READ_WORK, get_all_projects)
        .post("/project", MANAGE_PROJECT, create_project)
        .get("/project/search", READ_WORK, search_projects)
        .get("/projects/picker", READ_WORK, picker::search_for_projects)
        .get("/project/type", READ_WORK, get_all_project_types)
        .get("/project/type/{key}", READ_WORK, get_project_type_by_key)
        .get(
            "/project/type/{key}/accessible",
            READ_WORK,
            get_accessible_project_type_by_key,
        )
        .get("/project/{key}", READ_WORK, get_project)
        .put("/project/{key}", MANAGE_PROJECT, update_project)
        .delete("/project/{key}", MANAGE_PROJECT, delete_project)
        .get("/project/{key}/statuses", READ_WORK, get_all_statuses)
        .get(
            "/project/{key}/components",
            READ_WORK,
            get_project_components,
        )
        .get(
            "/project/{key}/component",
            READ_WORK,
            get_project_components_paginated,
        )
        .get("/project/{key}/versions", READ_WORK, get_project_versions)
        .get(
            "/project/{key}/version",
            READ_WORK,
            get_project_versions_paginated,
        )
        .get("/project/{key}/role", READ_WORK, get_project_roles)
        .get("/project/{key}/role/{id}", READ_WORK, get_project_role)
        .post("/project/{key}/role/{id}", MANAGE_PROJECT, add_actor_users)
        .put(
            "/project/{key}/role/{id}",
            MANAGE_PROJECT,
            super::role::set_actors,
        )
        .delete("/project/{key}/role/{id}", MANAGE_PROJECT, delete_actor)
        .get("/projectvalidate/key", READ_WORK, validate_project_key)
        .get(
            "/projectvalidate/validProjectKey",
            READ_WORK,
            get_valid_project_key,
        )
        .get(
            "/projectvalidate/validProjectName",
            READ_WORK,
            get_valid_project_name,
        )
        .get("/projectCategory", READ_WORK, get_all_project_categories)
        .post("/projectCategory", MANAGE_CONFIG, create_project_category)
        .get(
            "/projectCategory/{id}",
            READ_WORK,
            get_project_category_by_id,
        )
        .put(
            "/projectCategory/{id}",
            MANAGE_CONFIG,
            update_project_category,
        )
        .delete(
            "/projectCategory/{id}",
            MANAGE_CONFIG,
            remove_project_category,
        )
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ExpandQuery {
    #[serde(default)]
    expand: List,
    start_at: Option<i64>,
    max_results: Option<i64>,
    order_by: Option<String>,
    query: Option<String>,
}

/// # `GET /rest/api/2/project` (getAllProjects)
async fn get_all_projects(ctx: Ctx, Query(q): Query<ExpandQuery>) -> JiraResult<Json<Vec<Value>>> {
    let expand = Expand::parse(q.expand.items());
    let projects = ctx.app.projects.list_projects(ctx.caller.as_ref()).await?;
    Ok(Json(project_list(&ctx, &projects, &expand).await?))
}

/// Projects as the lists show them (no components or versions), with their leads when
/// `expand=lead`.
async fn project_list(ctx: &Ctx, projects: &[Project], expand: &Expand) -> JiraResult<Vec<Value>> {
    let leads = if expand.has("lead") {
        ctx.app
            .users
            .users_map(projects.iter().map(|p| p.lead_id).collect())
            .await?
    } else {
        Default::default()
    };
    let cat = ctx.app.catalog.current();
    Ok(projects
        .iter()
        .map(|p| {
            project_full(
                &ctx.base,
                &cat,
                p,
                leads.get(&p.lead_id),
                &[],
                &[],
                expand,
                false,
            )
        })
        .collect::<crate::error::Result<_>>()?)
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct SearchQuery {
    // Read as text so that a bad number gets Jira's wording.
    start_at: Option<String>,
    max_results: Option<String>,
    #[serde(default)]
    id: List,
    #[serde(default)]
    keys: List,
    #[serde(default)]
    expand: List,
    query: Option<String>,
    type_key: Option<String>,
    category_id: Option<String>,
    order_by: Option<String>,
}

/// # `GET /rest/api/2/project/search` (searchProjects)
///
/// The visible projects, paged (`startAt`, `maxResults` up to 100, default 50), filtered
/// by `id` and `keys` (repeatable or comma-separated), `query` (in the key or name,
/// any case), `typeKey` and `categoryId`, ordered by `orderBy` (`key`, `name`, `category`,
/// `issueCount` is read as `key`; `-` reverses).
async fn search_projects(ctx: Ctx, Query(q): Query<SearchQuery>) -> JiraResult<Json<Value>> {
    let number = |name: &str, raw: &Option<String>, default: i64| -> JiraResult<i64> {
        match raw {
            None => Ok(default),
            Some(raw) => raw.trim().parse::<i64>().map_err(|_| {
                JiraError(Error::bad_request(format!(
                    "The value '{raw}' of '{name}' is not a number."
                )))
            }),
        }
    };
    let start_at = number("startAt", &q.start_at, 0)?.max(0);
    let max_results = number("maxResults", &q.max_results, 50)?.clamp(0, 100);
    let ids: Vec<i64> = q.id.items().iter().filter_map(|i| i.parse().ok()).collect();
    let keys: Vec<String> = q
        .keys
        .items()
        .iter()
        .map(|k| k.to_ascii_uppercase())
        .collect();
    let query = q.query.as_ref().map(|q| q.to_lowercase());
    let type_key = q.type_key.clone();
    let category = q.category_id.as_ref().and_then(|c| c.parse::<i64>().ok());
    let expand = Expand::parse(q.expand.items());

    let mut projects: Vec<Project> = ctx
        .app
        .projects
        .list_projects(ctx.caller.as_ref())
        .await?
        .into_iter()
        .filter(|p| ids.is_empty() || ids.contains(&p.id.0))
        .filter(|p| keys.is_empty() || keys.contains(&p.key))
        .filter(|p| {
            query.as_ref().is_none_or(|q| {
                p.key.to_lowercase().contains(q) || p.name.to_lowercase().contains(q)
            })
        })
        .filter(|p| type_key.as_ref().is_none_or(|t| &p.project_type_key == t))
        .filter(|p| category.is_none_or(|c| p.category_id == Some(c)))
        .collect();
    let order = q.order_by.clone().unwrap_or_else(|| "key".to_string());
    let (descending, field) = match order.strip_prefix('-') {
        Some(f) => (true, f.to_string()),
        None => (false, order.trim_start_matches('+').to_string()),
    };
    match field.as_str() {
        "name" => projects.sort_by_key(|p| p.name.to_lowercase()),
        "category" => projects.sort_by_key(|p| (p.category_id, p.key.clone())),
        "id" => projects.sort_by_key(|p| p.id.0),
        _ => projects.sort_by(|a, b| a.key.cmp(&b.key)),
    }
    if descending {
        projects.reverse();
    }
    let total = projects.len() as i64;
    let window: Vec<Project> = projects
        .into_iter()
        .skip(start_at as usize)
        .take(max_results as usize)
        .collect();
    let page = project_list(&ctx, &window, &expand).await?;
    let is_last = start_at + (page.len() as i64) >= total;
    let this = format!(
        "{}/rest/api/2/project/search?startAt={start_at}&maxResults={max_results}",
        ctx.base
    );
    let mut body = json!({
        "self": this,
        "maxResults": max_results,
        "startAt": start_at,
        "total": total,
        "isLast": is_last,
        "values": page,
    });
    if !is_last {
        body["nextPage"] = json!(format!(
            "{}/rest/api/2/project/search?startAt={}&maxResults={max_results}",
            ctx.base,
            start_at + max_results
        ));
    }
    Ok(Json(body))
}

/// # `GET /rest/api/2/project/{projectIdOrKey}` (getProject)
async fn get_project(
    ctx: Ctx,
    Path(key): Path<String>,
    Query(q): Query<ExpandQuery>,
) -> JiraResult<Json<Value>> {
    let expand = Expand::parse(q.expand.items());
    let r = ProjectRef::parse(&key);
    let (project, components) = ctx
        .app
        .projects
        .project_components(ctx.caller.as_ref(), &r)
        .await?;
    let (_, versions) = ctx
        .app
        .projects
        .project_versions(ctx.caller.as_ref(), &r)
        .await?;
    let leads = ctx.app.users.users_map(vec![project.lead_id]).await?;
    let cat = ctx.app.catalog.current();
    Ok(Json(project_full(
        &ctx.base,
        &cat,
        &project,
        leads.get(&project.lead_id),
        &components,
        &versions,
        &expand,
        true,
    )?))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ProjectBody {
    key: Option<String>,
    name: Option<String>,
    description: Option<String>,
    lead: Option<String>,
    lead_account_id: Option<String>,
    project_type_key: Option<String>,
    project_template_key: Option<String>,
    assignee_type: Option<String>,
    url: Option<String>,
    category_id: Option<Value>,
    permission_scheme: Option<Value>,
    issue_security_scheme: Option<Value>,
    notification_scheme: Option<Value>,
    avatar_id: Option<Value>,
}

fn number(v: &Option<Value>, field: &str) -> JiraResult<Option<i64>> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| JiraError(Error::field(field, "must be a number"))),
        Some(Value::String(s)) => s
            .parse()
            .map(Some)
            .map_err(|_| JiraError(Error::field(field, "must be a number"))),
        Some(_) => Err(JiraError(Error::field(field, "must be a number"))),
    }
}

impl ProjectBody {
    fn input(&self) -> JiraResult<ProjectInput> {
        number(&self.avatar_id, "avatarId")?;
        let _ = &self.project_template_key;
        Ok(ProjectInput {
            key: self.key.clone(),
            name: self.name.clone(),
            description: self.description.clone(),
            lead: self
                .lead_account_id
                .clone()
                .map(UserRef::AccountId)
                .or_else(|| self.lead.clone().map(UserRef::Username)),
            project_type_key: self.project_type_key.clone(),
            assignee_type: self.assignee_type.clone(),
            url: self.url.clone(),
            category_id: match &self.category_id {
                None => None,
                Some(Value::Null) => Some(None),
                v => Some(number(&v.clone(), "categoryId")?),
            },
            permission_scheme_id: number(&self.permission_scheme, "permissionScheme")?,
            notification_scheme_id: number(&self.notification_scheme, "notificationScheme")?,
            issue_security_scheme_id: number(&self.issue_security_scheme, "issueSecurityScheme")?,
        })
    }
}

/// # `POST /rest/api/2/project` (createProject)
async fn create_project(ctx: Ctx, Json(body): Json<ProjectBody>) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let project = ctx
        .app
        .projects
        .create_project(caller, body.input()?)
        .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(json!({"self": format!("{}/rest/api/2/project/{}", ctx.base, project.id), "id": project.id.0, "key": project.key})),
    )
        .into_response())
}

/// # `PUT /rest/api/2/project/{projectIdOrKey}` (updateProject)
///
/// 201 with the updated project, as the seed documents (Jira Data Center answers so).
async fn update_project(
    ctx: Ctx,
    Path(key): Path<String>,
    Json(body): Json<ProjectBody>,
) -> JiraResult<(StatusCode, Json<Value>)> {
    let caller = ctx.user()?;
    let project = ctx
        .app
        .projects
        .update_project(caller, &ProjectRef::parse(&key), body.input()?)
        .await?;
    let leads = ctx.app.users.users_map(vec![project.lead_id]).await?;
    let cat = ctx.app.catalog.current();
    Ok((
        StatusCode::CREATED,
        Json(project_full(
            &ctx.base,
            &cat,
            &project,
            leads.get(&project.lead_id),
            &[],
            &[],
            &Expand::parse(&[]),
            true,
        )?),
    ))
}

/// # `DELETE /rest/api/2/project/{projectIdOrKey}` (deleteProject)
async fn delete_project(ctx: Ctx, Path(key): Path<String>) -> JiraResult<Response> {
    let caller = ctx.user()?;
    ctx.app
        .projects
        .delete_project(caller, &ProjectRef::parse(&key))
        .await?;
    Ok(no_content())
}

/// # `GET /rest/api/2/project/{projectIdOrKey}/statuses` (getAllStatuses)
///
/// Every issue type uses the project's one workflow, so each lists the same statuses.
async fn get_all_statuses(ctx: Ctx, Path(key): Path<String>) -> JiraResult<Json<Vec<Value>>> {
    let (project, _) = ctx
        .app
        .projects
        .browse_project(ctx.caller.as_ref(), &ProjectRef::parse(&key))
        .await?;
    let cat = ctx.app.catalog.current();
    let used: Vec<i64> = cat
        .transitions
        .iter()
        .filter(|(w, _)| *w == project.workflow_id)
        .map(|(_, t)| t.to_status)
        .collect();
    let statuses: Vec<StatusBean> = cat
        .statuses
        .iter()
        .filter(|s| used.contains(&s.id))
        .map(|s| status(&ctx.base, &cat, s))
        .collect();
    let statuses = to_json(statuses)?;
    Ok(Json(
        cat.issue_types
            .iter()
            .map(|t| json!({"self": format!("{}/rest/api/2/issuetype/{}", ctx.base, t.id), "id": t.id.to_string(), "name": t.name, "subtask": t.subtask, "statuses": statuses}))
            .collect(),
    ))
}

/// # `GET /rest/api/2/project/{projectIdOrKey}/components` (getProjectComponents)
async fn get_project_components(
    ctx: Ctx,
    Path(key): Path<String>,
) -> JiraResult<Json<Vec<ComponentBean>>> {
    let (project, components) = ctx
        .app
        .projects
        .project_components(ctx.caller.as_ref(), &ProjectRef::parse(&key))
        .await?;
    let leads = ctx
        .app
        .users
        .users_map(components.iter().filter_map(|c| c.lead_id).collect())
        .await?;
    Ok(Json(
        components
            .iter()
            .map(|c| {
                component(
                    &ctx.base,
                    c,
                    &project.key,
                    c.lead_id.and_then(|l| leads.get(&l)),
                )
            })
            .collect(),
    ))
}

/// # `GET /rest/api/2/project/{projectIdOrKey}/component` (getProjectComponentsPaginated)
async fn get_project_components_paginated(
    ctx: Ctx,
    Path(key): Path<String>,
    Query(q): Query<ExpandQuery>,
) -> JiraResult<Json<PageBean<ComponentBean>>> {
    let (start, max) = crate::service::paging(q.start_at, q.max_results, 50, 1000)?;
    let (project, mut components) = ctx
        .app
        .projects
        .project_components(ctx.caller.as_ref(), &ProjectRef::parse(&key))
        .await?;
    if let Some(text) = q.query.as_deref().map(str::to_lowercase) {
        components.retain(|c| {
            c.name.to_lowercase().contains(&text) || c.description.to_lowercase().contains(&text)
        });
    }
    if q.order_by.as_deref() == Some("-name") {
        components.reverse();
    }
    let leads = ctx
        .app
        .users
        .users_map(components.iter().filter_map(|c| c.lead_id).collect())
        .await?;
    let page = crate::service::Page::of(components, start, max);
    Ok(Json(PageBean {
        self_: Some(format!(
            "{}/rest/api/2/project/{}/component?startAt={start}&maxResults={max}",
            ctx.base, project.key
        )),
        next_page: (!page.is_last()).then(|| {
            format!(
                "{}/rest/api/2/project/{}/component?startAt={}&maxResults={max}",
                ctx.base,
                project.key,
                start + max
            )
        }),
        max_results: max,
        start_at: start,
        total: page.total,
        is_last: page.is_last(),
        values: page
            .items
            .iter()
            .map(|c| {
                component(
                    &ctx.base,
                    c,
                    &project.key,
                    c.lead_id.and_then(|l| leads.get(&l)),
                )
            })
            .collect(),
    }))
}

/// # `GET /rest/api/2/project/{projectIdOrKey}/versions` (getProjectVersions)
async fn get_project_versions(
    ctx: Ctx,
    Path(key): Path<String>,
) -> JiraResult<Json<Vec<VersionBean>>> {
    let (_, versions) = ctx
        .app
        .projects
        .project_versions(ctx.caller.as_ref(), &ProjectRef::parse(&key))
        .await?;
    Ok(Json(
        versions.iter().map(|v| version(&ctx.base, v)).collect(),
    ))
}

/// # `GET /rest/api/2/project/{projectIdOrKey}/version` (getProjectVersionsPaginated)
async fn get_project_versions_paginated(
    ctx: Ctx,
    Path(key): Path<String>,
    Query(q): Query<ExpandQuery>,
) -> JiraResult<Json<PageBean<VersionBean>>> {
    let (start, max) = crate::service::paging(q.start_at, q.max_results, 50, 1000)?;
    let (project, mut versions) = ctx
        .app
        .projects
        .project_versions(ctx.caller.as_ref(), &ProjectRef::parse(&key))
        .await?;
    if let Some(text) = q.query.as_deref().map(str::to_lowercase) {
        versions.retain(|v| {
            v.name.to_lowercase().contains(&text) || v.description.to_lowercase().contains(&text)
        });
    }
    match q.order_by.as_deref() {
        Some("name" | "+name") => versions.sort_by(|a, b| a.name.cmp(&b.name)),
        Some("-name") => versions.sort_by(|a, b| b.name.cmp(&a.name)),
        Some("-sequence") => versions.reverse(),
        _ => {}
    }
    let page = crate::service::Page::of(versions, start, max);
    Ok(Json(PageBean {
        self_: Some(format!(
            "{}/rest/api/2/project/{}/version?startAt={start}&maxResults={max}",
            ctx.base, project.key
        )),
        next_page: (!page.is_last()).then(|| {
            format!(
                "{}/rest/api/2/project/{}/version?startAt={}&maxResults={max}",
                ctx.base,
                project.key,
                start + max
            )
        }),
        max_results: max,
        start_at: start,
        total: page.total,
        is_last: page.is_last(),
        values: page.items.iter().map(|v| version(&ctx.base, v)).collect(),
    }))
}

fn role_bean(
    base: &str,
    project: &Project,
    role: &ProjectRole,
    actors: &[(String, String, String)],
) -> Value {
    json!({
        "self": format!("{base}/rest/api/2/project/{}/role/{}", project.id, role.id),
        "name": role.name, "id": role.id, "description": role.description,
        "actors": actors.iter().enumerate().map(|(i, (kind, value, display))| json!({
            "id": i + 1,
            "displayName": display,
            "type": if kind == "user" { "atlassian-user-role-actor" } else { "atlassian-group-role-actor" },
            "name": value,
        })).collect::<Vec<_>>(),
    })
}

/// # `GET /rest/api/2/project/{projectIdOrKey}/role` (getProjectRoles)
async fn get_project_roles(ctx: Ctx, Path(key): Path<String>) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let (project, roles) = ctx
        .app
        .projects
        .project_roles(caller, &ProjectRef::parse(&key))
        .await?;
    Ok(Json(Value::Object(
        roles
            .iter()
            .map(|(r, _)| {
                (
                    r.name.clone(),
                    json!(format!(
                        "{}/rest/api/2/project/{}/role/{}",
                        ctx.base, project.id, r.id
                    )),
                )
            })
            .collect(),
    )))
}

/// # `GET /rest/api/2/project/{projectIdOrKey}/role/{id}` (getProjectRole)
pub(crate) async fn get_project_role(
    ctx: Ctx,
    Path((key, id)): Path<(String, String)>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let role_id = path_id(&id, "project role")?;
    let (project, roles) = ctx
        .app
        .projects
        .project_roles(caller, &ProjectRef::parse(&key))
        .await?;
    let (role, actors) = roles
        .iter()
        .find(|(r, _)| r.id == role_id)
        .ok_or_else(|| Error::not_found(format!("Project role with id {id} does not exist.")))?;
    Ok(Json(role_bean(&ctx.base, &project, role, actors)))
}

#[derive(Deserialize, Default)]
struct ActorsBody {
    user: Option<Vec<String>>,
    group: Option<Vec<String>>,
}

/// # `POST /rest/api/2/project/{projectIdOrKey}/role/{id}` (addActorUsers)
async fn add_actor_users(
    ctx: Ctx,
    Path((key, id)): Path<(String, String)>,
    Json(body): Json<ActorsBody>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let role_id = path_id(&id, "project role")?;
    let r = ProjectRef::parse(&key);
    ctx.app
        .projects
        .add_role_actors(
            caller,
            &r,
            role_id,
            body.user.unwrap_or_default(),
            body.group.unwrap_or_default(),
        )
        .await?;
    get_project_role(ctx, Path((key, id))).await
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ActorQuery {
    user: Option<String>,
    group: Option<String>,
}

/// # `DELETE /rest/api/2/project/{projectIdOrKey}/role/{id}` (deleteActor)
async fn delete_actor(
    ctx: Ctx,
    Path((key, id)): Path<(String, String)>,
    Query(q): Query<ActorQuery>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let role_id = path_id(&id, "project role")?;
    ctx.app
        .projects
        .remove_role_actor(caller, &ProjectRef::parse(&key), role_id, q.user, q.group)
        .await?;
    Ok(no_content())
}
