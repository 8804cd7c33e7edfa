//! The project picker of Jira Data Center (`projects/picker`, 8.21+): the visible
//! projects whose key or name holds the query, with the match in bold.

use serde::Deserialize;
use serde_json::{Value, json};

use super::super::dto::avatar_urls;
use super::super::group::highlight;
use super::super::{JiraResult, Json, Query};
use crate::api::Ctx;

/// Jira's hard limit on the picker's answer, whatever `maxResults` asks for.
const MAX_PICKED: usize = 100;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PickerQuery {
    query: Option<String>,
    max_results: Option<i64>,
    #[serde(default, deserialize_with = "super::super::lenient_bool")]
    allow_empty_query: Option<bool>,
}

/// # `GET /rest/api/2/projects/picker` (searchForProjects)
///
/// An empty (or blank) query matches nothing unless `allowEmptyQuery=true`, when it
/// matches every visible project. At most 100 projects, `maxResults` fewer.
pub(crate) async fn search_for_projects(
    ctx: Ctx,
    Query(q): Query<PickerQuery>,
) -> JiraResult<Json<Value>> {
    let query = q.query.unwrap_or_default().trim().to_string();
    let max = q
        .max_results
        .map_or(MAX_PICKED, |m| (m.max(0) as usize).min(MAX_PICKED));
    let matching: Vec<_> = if query.is_empty() && !q.allow_empty_query.unwrap_or(false) {
        Vec::new()
    } else {
        let needle = query.to_lowercase();
        let mut found: Vec<_> = ctx
            .app
            .projects
            .list_projects(ctx.caller.as_ref())
            .await?
            .into_iter()
            .filter(|p| {
                p.key.to_lowercase().contains(&needle) || p.name.to_lowercase().contains(&needle)
            })
            .collect();
        found.sort_by_key(|p| p.name.to_lowercase());
        found
    };
    let projects: Vec<Value> = matching
        .iter()
        .take(max)
        .map(|p| {
            let id = p.id.to_string();
            json!({
                "key": p.key,
                "name": p.name,
                "id": id,
                "html": format!("{} ({})", highlight(&p.name, &query), highlight(&p.key, &query)),
                "avatar": avatar_urls(&ctx.base, "project", &id).remove("16x16"),
            })
        })
        .collect();
    Ok(Json(json!({
        "header": format!("Showing {} of {} matching projects", projects.len(), matching.len()),
        "total": matching.len(),
        "projects": projects,
    })))
}
