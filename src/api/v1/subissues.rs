//! `GET /v1/issues/{issueKey}/subissues`: the issue's sub-tasks.

use axum::extract::Path;
use serde::Serialize;

use super::{Json, Paged, Params, V1Error, V1Result, account_of, issue_ref, paginate, prefixed};
use crate::api::routes::{ISSUES_READ, Routes};
use crate::api::{Ctx, pct};
use crate::error::Error;
use crate::service::issues::subtasks::{Subtask, SubtaskFilter};

pub fn routes() -> Routes {
    Routes::new().get("/subissues", ISSUES_READ, list_subissues)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubIssue {
    issue_id: String,
    issue_key: String,
    title: String,
    /// Where the issue opens in the web UI.
    details_url: String,
    status_id: String,
    status_name: String,
    status_color: &'static str,
    is_completed: bool,
    primary_assignee_user_account_id: Option<String>,
    primary_assignee_display_name: Option<String>,
    primary_assignee_avatar_url: Option<String>,
    /// 0: a user (the only kind of assignee Tessera has); null when unassigned.
    primary_assignee_principal_kind: Option<u8>,
}

/// The colour of a status, by its category (Jira's category colours as hex).
fn status_color(category_key: &str) -> &'static str {
    match category_key {
        "new" => "#2563eb",
        "indeterminate" => "#d97706",
        "done" => "#16a34a",
        _ => "#6b7280",
    }
}

fn sub_issue(base: &str, s: &Subtask) -> SubIssue {
    SubIssue {
        issue_id: prefixed("issue", s.issue.id.0),
        issue_key: s.issue.key.clone(),
        title: s.issue.summary.clone(),
        details_url: format!("/browse/{}", s.issue.key),
        status_id: prefixed("iss-status", s.status.id),
        status_name: s.status.name.clone(),
        status_color: status_color(&s.category.key),
        is_completed: s.is_completed(),
        primary_assignee_user_account_id: s
            .assignee
            .as_ref()
            .map(|u| prefixed("usr", &u.account_id)),
        primary_assignee_display_name: s.assignee.as_ref().map(|u| u.display_name.clone()),
        primary_assignee_avatar_url: s.assignee.as_ref().map(|u| {
            format!(
                "{base}/secure/useravatar?size=medium&ownerId={}",
                pct(&u.username)
            )
        }),
        primary_assignee_principal_kind: s.assignee.as_ref().map(|_| 0),
    }
}

/// # `GET /v1/issues/{issueKey}/subissues`
///
/// Filters: `status_id` and `assignee_user_account_id` (both repeatable: any of the
/// values), `include_completed` (default true); pages: `cursor`, `page_size`. Oldest
/// first. Requires `issues:read`.
pub async fn list_subissues(
    ctx: Ctx,
    Path(issue_key): Path<String>,
    params: Params,
) -> V1Result<Json<Paged<SubIssue>>> {
    let caller = ctx.v1_reader()?;
    let status_ids = params
        .all("status_id")
        .into_iter()
        .map(|raw| {
            raw.strip_prefix("iss-status_")
                .unwrap_or(&raw)
                .parse::<i64>()
                .map_err(|_| {
                    V1Error(Error::field(
                        "status_id",
                        format!("'{raw}' is not a status id (e.g. iss-status_10000)."),
                    ))
                })
        })
        .collect::<V1Result<Vec<_>>>()?;
    let filter = SubtaskFilter {
        status_ids,
        assignee_account_ids: params
            .all("assignee_user_account_id")
            .iter()
            .map(|a| account_of(a))
            .collect(),
        include_completed: params.bool("include_completed")?.unwrap_or(true),
    };
    let list = ctx
        .app
        .issues
        .subtasks(caller, &issue_ref(&issue_key), &filter)
        .await?;
    let page = paginate(list, |s| vec![s.issue.id.0], false, "subissues", &params)?;
    Ok(Json(Paged {
        results: page.items.iter().map(|s| sub_issue(&ctx.base, s)).collect(),
        pagination: page.pagination,
    }))
}
