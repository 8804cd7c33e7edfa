//! Create metadata: the global `issue/createmeta` (removed from Jira Data Center 9, still
//! answered for older clients) and its paged per-project replacement of Jira 8.4+,
//! `issue/createmeta/{projectIdOrKey}/issuetypes[/{issueTypeId}]`, which python `jira`
//! calls for a Data Center server of version 9 or later.

use axum::extract::Path;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::render::{self, Expand};
use super::{JiraError, JiraResult, Json, List, Query};
use crate::api::Ctx;
use crate::api::routes::{READ_WORK, Routes};
use crate::domain::*;
use crate::error::Error;
use crate::service::{Caller, Catalog};

pub fn routes() -> Routes {
    Routes::new()
        .get("/issue/createmeta", READ_WORK, get_create_issue_meta)
        .get(
            "/issue/createmeta/{project}/issuetypes",
            READ_WORK,
            get_create_issue_meta_issue_types,
        )
        .get(
            "/issue/createmeta/{project}/issuetypes/{type_id}",
            READ_WORK,
            get_create_issue_meta_issue_type_id,
        )
}

/// What a project's create screens offer beyond the catalog: its components, versions
/// and the security levels the caller may set.
struct ProjectMeta {
    components: Vec<Component>,
    versions: Vec<Version>,
    security: Option<Value>,
}

impl ProjectMeta {
    async fn load(ctx: &Ctx, caller: &Caller, p: &Project) -> JiraResult<ProjectMeta> {
        let r = ProjectRef::Id(p.id.0);
        let components = ctx
            .app
            .projects
            .project_components(Some(caller), &r)
            .await?
            .1;
        let versions = ctx.app.projects.project_versions(Some(caller), &r).await?.1;
        let levels = ctx.app.security.project_levels(Some(caller), &r).await?;
        Ok(ProjectMeta {
            components,
            versions,
            security: render::security_meta(&ctx.base, &levels),
        })
    }

    /// The create screen's fields for issue type `t`, by field id.
    fn fields(&self, ctx: &Ctx, cat: &Catalog, t: &IssueType) -> JiraResult<Map<String, Value>> {
        let mut fields =
            render::create_fields(&ctx.base, cat, t, &self.components, &self.versions)?;
        if let Some(m) = &self.security {
            fields.insert("security".into(), m.clone());
        }
        Ok(fields)
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct CreateMetaQuery {
    #[serde(default)]
    project_ids: List,
    #[serde(default)]
    project_keys: List,
    #[serde(default)]
    issuetype_ids: List,
    #[serde(default)]
    issuetype_names: List,
    #[serde(default)]
    expand: List,
}

/// # `GET /rest/api/2/issue/createmeta` (getCreateIssueMeta)
async fn get_create_issue_meta(
    ctx: Ctx,
    Query(q): Query<CreateMetaQuery>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let ids = q.project_ids.0;
    let keys: Vec<String> = q
        .project_keys
        .0
        .into_iter()
        .map(|k| k.to_uppercase())
        .collect();
    let type_ids = q.issuetype_ids.0;
    let type_names = q.issuetype_names.0;
    let expand = Expand::parse(q.expand.items());
    let with_fields = expand.has("projects.issuetypes.fields");
    let cat = ctx.app.catalog.current();
    let mut projects = Vec::new();
    for p in ctx.app.issues.creatable_projects(caller).await? {
        if (!ids.is_empty() || !keys.is_empty())
            && !ids.contains(&p.id.to_string())
            && !keys.contains(&p.key)
        {
            continue;
        }
        let meta = if with_fields {
            Some(ProjectMeta::load(&ctx, caller, &p).await?)
        } else {
            None
        };
        let types: Vec<Value> = cat
            .issue_types
            .iter()
            .filter(|t| {
                type_ids.is_empty() && type_names.is_empty()
                    || type_ids.contains(&t.id.to_string())
                    || type_names.iter().any(|n| n.eq_ignore_ascii_case(&t.name))
            })
            .map(|t| {
                let mut bean = super::dto::to_json(super::dto::issue_type(&ctx.base, t))?;
                bean["expand"] = json!("fields");
                if let Some(meta) = &meta {
                    bean["fields"] = Value::Object(meta.fields(&ctx, &cat, t)?);
                }
                Ok(bean)
            })
            .collect::<JiraResult<_>>()?;
        let mut bean = render::project_short(&ctx.base, &cat, &p)?;
        bean["expand"] = json!("issuetypes");
        bean["issuetypes"] = Value::Array(types);
        projects.push(bean);
    }
    Ok(Json(json!({"expand": "projects", "projects": projects})))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct PageQuery {
    start_at: Option<i64>,
    max_results: Option<i64>,
}

/// The project the caller may create issues in, by id or key; Jira's 404 otherwise
/// (whether it is missing or only closed to the caller).
async fn creatable_project(ctx: &Ctx, caller: &Caller, raw: &str) -> JiraResult<Project> {
    let wanted = ProjectRef::parse(raw);
    ctx.app
        .issues
        .creatable_projects(caller)
        .await?
        .into_iter()
        .find(|p| match &wanted {
            ProjectRef::Id(id) => p.id.0 == *id,
            ProjectRef::Key(k) => &p.key == k,
        })
        .ok_or_else(|| JiraError(Error::project_not_found(raw)))
}

/// A page of `values` as Jira Data Center pages create metadata.
fn page(start: i64, max: i64, all: Vec<Value>) -> Value {
    let total = all.len() as i64;
    let values: Vec<Value> = all
        .into_iter()
        .skip(start.max(0) as usize)
        .take(max.max(0) as usize)
        .collect();
    let is_last = start + values.len() as i64 >= total;
    json!({
        "maxResults": max, "startAt": start, "total": total, "isLast": is_last, "values": values,
    })
}

/// # `GET /rest/api/2/issue/createmeta/{projectIdOrKey}/issuetypes` (getCreateIssueMetaIssueTypes)
///
/// The issue types the caller may create in the project, paged (`maxResults` up to 200).
async fn get_create_issue_meta_issue_types(
    ctx: Ctx,
    Path(project): Path<String>,
    Query(q): Query<PageQuery>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let (start, max) = crate::service::paging(q.start_at, q.max_results, 50, 200)?;
    creatable_project(&ctx, caller, &project).await?;
    let cat = ctx.app.catalog.current();
    let types = cat
        .issue_types
        .iter()
        .map(|t| super::dto::to_json(super::dto::issue_type(&ctx.base, t)))
        .collect::<crate::error::Result<Vec<_>>>()?;
    Ok(Json(page(start, max, types)))
}

/// # `GET /rest/api/2/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}` (getCreateIssueMetaIssueTypeId)
///
/// The fields of the project's create screen for one issue type, paged: each a field
/// meta with its `fieldId`.
async fn get_create_issue_meta_issue_type_id(
    ctx: Ctx,
    Path((project, type_id)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
) -> JiraResult<Json<Value>> {
    let caller = ctx.user()?;
    let (start, max) = crate::service::paging(q.start_at, q.max_results, 50, 200)?;
    let p = creatable_project(&ctx, caller, &project).await?;
    let cat = ctx.app.catalog.current();
    let t = cat
        .issue_types
        .iter()
        .find(|t| t.id.to_string() == type_id.trim())
        .ok_or_else(|| {
            JiraError(Error::not_found(format!(
                "Issue type with id '{type_id}' does not exist."
            )))
        })?;
    let meta = ProjectMeta::load(&ctx, caller, &p).await?;
    let fields = meta
        .fields(&ctx, &cat, t)?
        .into_iter()
        .map(|(id, mut m)| {
            m["fieldId"] = json!(id);
            m
        })
        .collect();
    Ok(Json(page(start, max, fields)))
}
