//! Worklog writes that belong to the issue: the worklogs an edit's `update` logs, and
//! what every worklog change does to its issue (time spent, remaining estimate,
//! changelog, `updated`, the index). Here rather than in `worklogs` so that an issue
//! edit does not need the worklog service, which itself builds on issues.

use crate::domain::*;
use crate::error::Error;
use crate::service::permissions::caller_permissions;
use crate::service::{Caller, Catalog, Permission};
use crate::store::StoreResult;
use crate::store::queries::{Tx, changelog as clq, issues as iq, projects as pq, worklogs as q};

/// After a worklog change: recompute time spent, set the remaining estimate, record the
/// changelog, bump `updated` and queue the issue for indexing.
pub(crate) fn after_worklog_change(
    db: &Tx,
    caller: &Caller,
    issue: &Issue,
    remaining: Option<i64>,
    now: Millis,
    extra: Option<ChangeItem>,
) -> StoreResult<()> {
    let spent = q::total_spent(db, issue.id)?;
    q::set_issue_times(db, issue.id, spent, remaining)?;
    let num = |v: Option<i64>| v.map(|x| x.to_string());
    let mut items = Vec::new();
    if spent != issue.time_spent {
        items.push(ChangeItem {
            field: "timespent".into(),
            field_type: "jira".into(),
            field_id: "timespent".into(),
            from: num(issue.time_spent),
            from_string: num(issue.time_spent),
            to: num(spent),
            to_string: num(spent),
        });
    }
    if remaining != issue.remaining_estimate {
        items.push(ChangeItem {
            field: "timeestimate".into(),
            field_type: "jira".into(),
            field_id: "timeestimate".into(),
            from: num(issue.remaining_estimate),
            from_string: num(issue.remaining_estimate),
            to: num(remaining),
            to_string: num(remaining),
        });
    }
    items.extend(extra);
    clq::record(db, issue.id, Some(caller.user.id), now, &items)?;
    iq::touch(db, issue.id, now)?;
    iq::enqueue_index(db, issue.id, now)
}

/// Logs the worklogs of an `update` on a stored issue, in the caller's transaction,
/// reducing the remaining estimate as `adjustEstimate=auto` does.
pub(super) fn log_from_update(
    db: &Tx,
    cat: &Catalog,
    caller: &Caller,
    issue: IssueId,
    logs: &[crate::domain::change::WorklogAdd],
) -> StoreResult<()> {
    if logs.is_empty() {
        return Ok(());
    }
    if !cat.settings.time_tracking() {
        return Err(Error::field("worklog", crate::domain::settings::TIME_TRACKING_OFF).into());
    }
    let issue = iq::by_id(db, issue)?.ok_or_else(Error::issue_not_found)?;
    let project = pq::by_id(db, issue.project_id)?.ok_or_else(Error::issue_not_found)?;
    let perms = caller_permissions(db, cat, Some(caller), &project, Some(&issue))?;
    if !perms.has(Permission::WorkOnIssues) {
        return Err(Error::field(
            "worklog",
            "You do not have the permission to log work on this issue.",
        )
        .into());
    }
    let now = db.now();
    let mut remaining = issue.remaining_estimate;
    let mut items = Vec::new();
    for crate::domain::change::WorklogAdd {
        spent,
        started,
        comment,
    } in logs
    {
        let id = q::insert(
            db,
            &Worklog {
                id: 0,
                issue_id: issue.id,
                author_id: Some(caller.user.id),
                update_author_id: Some(caller.user.id),
                comment: comment.clone(),
                started: started.unwrap_or(now),
                time_spent: *spent,
                created: now,
                updated: now,
                visibility: None,
            },
        )?;
        remaining = remaining.map(|e| (e - spent).max(0));
        items.push(id);
    }
    let last = items.last().map(|id| ChangeItem {
        field: "WorklogId".into(),
        field_type: "jira".into(),
        field_id: "WorklogId".into(),
        from: None,
        from_string: None,
        to: Some(id.to_string()),
        to_string: Some(id.to_string()),
    });
    after_worklog_change(db, caller, &issue, remaining, now, last)
}
