//! Issue security schemes and levels: reads, and the administration Jira Cloud's
//! platform API has (`issuesecurityschemes` writes), so administrators can set schemes
//! up over REST.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::render::security_level;
use super::{JiraError, JiraResult, Json, Query, no_content, path_id};
use crate::api::Ctx;
use crate::api::routes::{MANAGE_CONFIG, READ_WORK, Routes};
use crate::domain::security::{Holder, SecurityLevel, SecurityScheme};
use crate::domain::*;
use crate::error::Error;
use crate::service::security::LevelInput;

pub fn routes() -> Routes {
    Routes::new()
        .get(
            "/issuesecurityschemes",
            READ_WORK,
            get_issue_security_schemes,
        )
        .post(
            "/issuesecurityschemes",
            MANAGE_CONFIG,
            create_issue_security_scheme,
        )
        .put(
            "/issuesecurityschemes/project",
            MANAGE_CONFIG,
            associate_schemes_to_projects,
        )
        .get(
            "/issuesecurityschemes/{id}",
            READ_WORK,
            get_issue_security_scheme,
        )
        .put(
            "/issuesecurityschemes/{id}",
            MANAGE_CONFIG,
            update_issue_security_scheme,
        )
        .delete(
            "/issuesecurityschemes/{id}",
            MANAGE_CONFIG,
            delete_security_scheme,
        )
        .put(
            "/issuesecurityschemes/{id}/level",
            MANAGE_CONFIG,
            add_security_level,
        )
        .delete(
            "/issuesecurityschemes/{id}/level/{level}",
            MANAGE_CONFIG,
            remove_level,
        )
        .put(
            "/issuesecurityschemes/{id}/level/{level}/member",
            MANAGE_CONFIG,
            add_security_level_members,
        )
        .delete(
            "/issuesecurityschemes/{id}/level/{level}/member/{member}",
            MANAGE_CONFIG,
            remove_member_from_security_level,
        )
        .get("/securitylevel/{id}", READ_WORK, get_issue_security_level)
        .get(
            "/project/{key}/issuesecuritylevelscheme",
            READ_WORK,
            get_project_issue_security_scheme,
        )
        .get(
            "/project/{key}/securitylevel",
            READ_WORK,
            get_security_levels_for_project,
        )
}

fn scheme_bean(base: &str, s: &SecurityScheme, with_levels: bool) -> Value {
    let mut bean = json!({
        "self": format!("{base}/rest/api/2/issuesecurityschemes/{}", s.id),
        "id": s.id, "name": s.name, "description": s.description,
    });
    if let Some(d) = s.default_level_id {
        bean["defaultSecurityLevelId"] = json!(d);
    }
    if with_levels {
        bean["levels"] = Value::Array(s.levels.iter().map(|l| security_level(base, l)).collect());
    }
    bean
}

fn id_of(raw: &str, what: &str) -> JiraResult<i64> {
    path_id(raw, what)
}

/// # `GET /rest/api/2/issuesecurityschemes` (getIssueSecuritySchemes)
pub(crate) async fn get_issue_security_schemes(ctx: Ctx) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let schemes = ctx.app.security.schemes(caller).await?;
    Ok(Json(json!({
        "issueSecuritySchemes": schemes.iter().map(|s| scheme_bean(&ctx.base, s, false)).collect::<Vec<_>>()
    })))
}

/// # `GET /rest/api/2/issuesecurityschemes/{id}` (getIssueSecurityScheme)
pub(crate) async fn get_issue_security_scheme(
    ctx: Ctx,
    Path(id): Path<String>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let id = id_of(&id, "issue security scheme")?;
    let s = ctx.app.security.scheme(caller, id).await?;
    Ok(Json(scheme_bean(&ctx.base, &s, true)))
}

/// # `GET /rest/api/2/securitylevel/{id}` (getIssueSecurityLevel)
pub(crate) async fn get_issue_security_level(
    ctx: Ctx,
    Path(id): Path<String>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let id = id_of(&id, "issue security level")?;
    let l = ctx.app.security.level(caller, id).await?;
    Ok(Json(security_level(&ctx.base, &l)))
}

/// # `GET /rest/api/2/project/{projectKeyOrId}/issuesecuritylevelscheme` (getProjectIssueSecurityScheme)
pub(crate) async fn get_project_issue_security_scheme(
    ctx: Ctx,
    Path(key): Path<String>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let s = ctx
        .app
        .security
        .project_scheme(caller, &ProjectRef::parse(&key))
        .await?;
    Ok(Json(scheme_bean(&ctx.base, &s, true)))
}

/// # `GET /rest/api/2/project/{projectKeyOrId}/securitylevel` (getSecurityLevelsForProject)
pub(crate) async fn get_security_levels_for_project(
    ctx: Ctx,
    Path(key): Path<String>,
) -> JiraResult<Json<Value>> {
    let levels: Vec<SecurityLevel> = ctx
        .app
        .security
        .project_levels(ctx.caller.as_ref(), &ProjectRef::parse(&key))
        .await?;
    Ok(Json(json!({
        "levels": levels.iter().map(|l| security_level(&ctx.base, l)).collect::<Vec<_>>()
    })))
}

#[derive(Deserialize)]
pub(crate) struct MemberBody {
    #[serde(rename = "type")]
    kind: Option<String>,
    parameter: Option<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LevelBody {
    name: Option<String>,
    description: Option<String>,
    is_default: Option<bool>,
    members: Option<Vec<MemberBody>>,
}

fn holder(m: &MemberBody) -> JiraResult<Holder> {
    let kind = m.kind.as_deref().unwrap_or_default();
    let param = match &m.parameter {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    Holder::from_parts(kind, param.as_deref()).ok_or_else(|| {
        JiraError(Error::bad_request(format!(
            "The member type '{kind}' is not valid or its parameter is missing; use user, group, projectRole, reporter, assignee, projectLead, applicationRole or anyone."
        )))
    })
}

fn levels(body: Option<Vec<LevelBody>>) -> JiraResult<Vec<LevelInput>> {
    body.unwrap_or_default()
        .into_iter()
        .map(|l| {
            Ok(LevelInput {
                name: l.name.unwrap_or_default(),
                description: l.description.unwrap_or_default(),
                is_default: l.is_default.unwrap_or(false),
                members: l
                    .members
                    .unwrap_or_default()
                    .iter()
                    .map(holder)
                    .collect::<JiraResult<_>>()?,
            })
        })
        .collect()
}

#[derive(Deserialize)]
pub(crate) struct CreateSchemeBody {
    name: Option<String>,
    description: Option<String>,
    levels: Option<Vec<LevelBody>>,
}

/// # `POST /rest/api/2/issuesecurityschemes` (createIssueSecurityScheme)
pub(crate) async fn create_issue_security_scheme(
    ctx: Ctx,
    Json(body): Json<CreateSchemeBody>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let levels = levels(body.levels)?;
    let id = ctx
        .app
        .security
        .create_scheme(
            caller,
            body.name.as_deref().unwrap_or_default(),
            body.description.as_deref().unwrap_or_default(),
            levels,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id.to_string()}))).into_response())
}

#[derive(Deserialize)]
pub(crate) struct UpdateSchemeBody {
    name: Option<String>,
    description: Option<String>,
}

/// # `PUT /rest/api/2/issuesecurityschemes/{id}` (updateIssueSecurityScheme)
pub(crate) async fn update_issue_security_scheme(
    ctx: Ctx,
    Path(id): Path<String>,
    Json(body): Json<UpdateSchemeBody>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let id = id_of(&id, "issue security scheme")?;
    ctx.app
        .security
        .update_scheme(caller, id, body.name, body.description)
        .await?;
    Ok(no_content())
}

/// # `DELETE /rest/api/2/issuesecurityschemes/{schemeId}` (deleteSecurityScheme)
pub(crate) async fn delete_security_scheme(
    ctx: Ctx,
    Path(id): Path<String>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let id = id_of(&id, "issue security scheme")?;
    ctx.app.security.delete_scheme(caller, id).await?;
    Ok(no_content())
}

#[derive(Deserialize)]
pub(crate) struct AddLevelsBody {
    levels: Option<Vec<LevelBody>>,
}

/// # `PUT /rest/api/2/issuesecurityschemes/{schemeId}/level` (addSecurityLevel)
pub(crate) async fn add_security_level(
    ctx: Ctx,
    Path(id): Path<String>,
    Json(body): Json<AddLevelsBody>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let id = id_of(&id, "issue security scheme")?;
    let levels = levels(body.levels)?;
    if levels.is_empty() {
        return Err(JiraError(Error::bad_request(
            "At least one level is required.",
        )));
    }
    ctx.app.security.add_levels(caller, id, levels).await?;
    Ok(no_content())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RemoveLevelQuery {
    replace_with: Option<String>,
}

/// # `DELETE /rest/api/2/issuesecurityschemes/{schemeId}/level/{levelId}` (removeLevel)
///
/// Jira Cloud answers 303 to a task; the change here is done at once, so 204.
pub(crate) async fn remove_level(
    ctx: Ctx,
    Path((id, level)): Path<(String, String)>,
    Query(q): Query<RemoveLevelQuery>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let id = id_of(&id, "issue security scheme")?;
    let level = id_of(&level, "issue security level")?;
    let replace = match q.replace_with.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(r) => Some(r.parse::<i64>().map_err(|_| {
            JiraError(Error::bad_request(format!(
                "replaceWith '{r}' is not a level id."
            )))
        })?),
    };
    ctx.app
        .security
        .remove_level(caller, id, level, replace)
        .await?;
    Ok(no_content())
}

#[derive(Deserialize)]
pub(crate) struct MembersBody {
    members: Option<Vec<MemberBody>>,
}

/// # `PUT /rest/api/2/issuesecurityschemes/{schemeId}/level/{levelId}/member` (addSecurityLevelMembers)
pub(crate) async fn add_security_level_members(
    ctx: Ctx,
    Path((id, level)): Path<(String, String)>,
    Json(body): Json<MembersBody>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let id = id_of(&id, "issue security scheme")?;
    let level = id_of(&level, "issue security level")?;
    let members = body
        .members
        .unwrap_or_default()
        .iter()
        .map(holder)
        .collect::<JiraResult<Vec<_>>>()?;
    ctx.app
        .security
        .add_members(caller, id, level, members)
        .await?;
    Ok(no_content())
}

/// # `DELETE /rest/api/2/issuesecurityschemes/{schemeId}/level/{levelId}/member/{memberId}` (removeMemberFromSecurityLevel)
pub(crate) async fn remove_member_from_security_level(
    ctx: Ctx,
    Path((id, level, member)): Path<(String, String, String)>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let id = id_of(&id, "issue security scheme")?;
    let level = id_of(&level, "issue security level")?;
    let member = id_of(&member, "security level member")?;
    ctx.app
        .security
        .remove_member(caller, id, level, member)
        .await?;
    Ok(no_content())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Mapping {
    old_level_id: Option<Value>,
    new_level_id: Option<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AssociateBody {
    project_id: Option<Value>,
    scheme_id: Option<Value>,
    old_to_new_security_level_mappings: Option<Vec<Mapping>>,
}

/// An id given as a number or a string; `None` for null, absent or `-1` (Jira's
/// "none").
fn loose_id(v: &Option<Value>) -> Option<i64> {
    let n = match v {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    };
    n.filter(|n| *n >= 0)
}

/// # `PUT /rest/api/2/issuesecurityschemes/project` (associateSchemesToProjects)
///
/// Jira Cloud answers 303 to a task; the change here is done at once, so 204. A
/// `schemeId` of null or -1 takes the project's scheme away.
pub(crate) async fn associate_schemes_to_projects(
    ctx: Ctx,
    Json(body): Json<AssociateBody>,
) -> JiraResult<Response> {
    let caller = ctx.user()?;
    let project = match &body.project_id {
        Some(Value::String(s)) => ProjectRef::parse(s),
        Some(Value::Number(n)) => ProjectRef::parse(&n.to_string()),
        _ => {
            return Err(JiraError(Error::field(
                "projectId",
                "The project is required.",
            )));
        }
    };
    let mut mappings = Vec::new();
    for m in body.old_to_new_security_level_mappings.unwrap_or_default() {
        let Some(old) = loose_id(&m.old_level_id) else {
            return Err(JiraError(Error::bad_request(
                "Each mapping needs an oldLevelId.",
            )));
        };
        mappings.push((old, loose_id(&m.new_level_id)));
    }
    ctx.app
        .security
        .associate(caller, &project, loose_id(&body.scheme_id), mappings)
        .await?;
    Ok(no_content())
}
