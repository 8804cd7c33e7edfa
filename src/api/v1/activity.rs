//! `GET /v1/issues/{issueKey}/activity`: the issue's history, newest first.

use axum::extract::Path;
use serde::Serialize;

use super::{Json, Paged, Params, V1Result, account_of, issue_ref, paginate, prefixed, utc};
use crate::api::Ctx;
use crate::api::routes::{ISSUES_READ, Routes};
use crate::domain::ChangeItem;
use crate::service::activity::{ActivityEvent, ActivityFilter, ActivityKind, parse_event_type};

pub fn routes() -> Routes {
    Routes::new().get("/activity", ISSUES_READ, list_activity)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Activity {
    id: String,
    event_type: &'static str,
    actor_user_account_id: Option<String>,
    occurred_utc: String,
    /// 1 for the newest event of the (filtered) stream, counting on across pages.
    sort_order: usize,
    icon_css: &'static str,
    text: String,
}

/// # `GET /v1/issues/{issueKey}/activity`
///
/// Filters: `actor_user_account_id`, `event_type`, `from_utc`, `to_utc` (inclusive);
/// pages: `cursor`, `page_size`. Requires `issues:read`.
pub async fn list_activity(
    ctx: Ctx,
    Path(issue_key): Path<String>,
    params: Params,
) -> V1Result<Json<Paged<Activity>>> {
    let caller = ctx.v1_reader()?;
    let filter = ActivityFilter {
        actor_account_id: params.one("actor_user_account_id").map(account_of),
        kind: params.one("event_type").map(parse_event_type).transpose()?,
        from: params.datetime("from_utc")?,
        to: params.datetime("to_utc")?,
    };
    let (_, events) = ctx
        .app
        .activity
        .issue_activity(caller, &issue_ref(&issue_key), filter)
        .await?;
    let page = paginate(
        events,
        |e| {
            let (at, source, id) = e.key();
            vec![at, source as i64, id]
        },
        true,
        "activity",
        &params,
    )?;
    let results = page
        .items
        .iter()
        .enumerate()
        .map(|(i, e)| activity(e, page.offset + i + 1))
        .collect();
    Ok(Json(Paged {
        results,
        pagination: page.pagination,
    }))
}

fn activity(e: &ActivityEvent, sort_order: usize) -> Activity {
    Activity {
        id: prefixed("activity", format!("{}_{}", e.source.tag(), e.source_id)),
        event_type: e.kind.event_type(),
        actor_user_account_id: e.actor.as_ref().map(|u| prefixed("usr", &u.account_id)),
        occurred_utc: utc(e.occurred),
        sort_order,
        icon_css: icon(e.kind),
        text: sentence(e),
    }
}

fn icon(kind: ActivityKind) -> &'static str {
    match kind {
        ActivityKind::IssueCreated => "fa-regular fa-square-plus",
        ActivityKind::IssueUpdated => "fa-regular fa-pen-to-square",
        ActivityKind::IssueTransitioned => "fa-solid fa-arrow-right-arrow-left",
        ActivityKind::CommentCreated => "fa-regular fa-comment",
        ActivityKind::CommentUpdated => "fa-regular fa-comment-dots",
        ActivityKind::CommentDeleted => "fa-solid fa-comment-slash",
        ActivityKind::AttachmentAdded | ActivityKind::AttachmentRemoved => "fa-solid fa-paperclip",
        ActivityKind::LinkAdded => "fa-solid fa-link",
        ActivityKind::LinkRemoved => "fa-solid fa-link-slash",
    }
}

/// What happened, in one sentence: "Alex Morgan changed the status from To Do to Done."
fn sentence(e: &ActivityEvent) -> String {
    let who = e
        .actor
        .as_ref()
        .map(|u| u.display_name.clone())
        .unwrap_or_else(|| "Someone".to_string());
    let first = |pick: fn(&ChangeItem) -> Option<&String>| {
        e.items
            .iter()
            .find_map(|i| pick(i).cloned())
            .unwrap_or_default()
    };
    match e.kind {
        ActivityKind::IssueCreated => format!("{who} created the issue."),
        ActivityKind::IssueUpdated => {
            let mut fields: Vec<String> = Vec::new();
            for i in &e.items {
                let name = i.field.to_string();
                if !fields.contains(&name) {
                    fields.push(name);
                }
            }
            if fields.is_empty() {
                format!("{who} updated the issue.")
            } else {
                format!("{who} updated the issue: {}.", fields.join(", "))
            }
        }
        ActivityKind::IssueTransitioned => {
            let status = e.items.iter().find(|i| i.field == "status");
            match status {
                Some(s) => format!(
                    "{who} changed the status from {} to {}.",
                    s.from_string.as_deref().unwrap_or("none"),
                    s.to_string.as_deref().unwrap_or("none")
                ),
                None => format!("{who} changed the status."),
            }
        }
        ActivityKind::CommentCreated => format!("{who} added a comment."),
        ActivityKind::CommentUpdated => format!("{who} edited a comment."),
        ActivityKind::CommentDeleted => format!("{who} deleted a comment."),
        ActivityKind::AttachmentAdded => {
            format!("{who} attached {}.", first(|i| i.to_string.as_ref()))
        }
        ActivityKind::AttachmentRemoved => {
            format!(
                "{who} removed the attachment {}.",
                first(|i| i.from_string.as_ref())
            )
        }
        ActivityKind::LinkAdded => {
            format!("{who} added a link: {}.", first(|i| i.to_string.as_ref()))
        }
        ActivityKind::LinkRemoved => {
            format!(
                "{who} removed a link: {}.",
                first(|i| i.from_string.as_ref())
            )
        }
    }
}
