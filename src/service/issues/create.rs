//! Creating an issue from a typed change set, inside the write transaction.

use std::collections::BTreeMap;

use super::insert_comment;
use crate::domain::change::IssueChange;
use crate::domain::*;
use crate::error::Error;
use crate::service::fields::{self, Ctx};
use crate::service::permissions::caller_permissions;
use crate::service::{Caller, Catalog, Permission, PermissionSet};
use crate::store::StoreResult;
use crate::store::Tx;
use crate::store::queries::{Db, issues as q, projects as pq};

type Errors = BTreeMap<String, String>;

const NO_PROJECT: &str = "Specify a valid project ID or key";

pub(super) fn create_in_tx(
    db: &Tx,
    catalog: &Catalog,
    caller: &Caller,
    change: &IssueChange,
) -> StoreResult<Issue> {
    let mut errors = BTreeMap::new();
    // The project and issue type decide everything else, so resolve them first.
    let project = project(db, catalog, caller, change, &mut errors)?;
    let has_type = change.names("issuetype");
    if !has_type {
        // Jira's own wording, lower case and all: clients match on it.
        errors.insert(
            "issuetype".to_string(),
            "issue type is required".to_string(),
        );
    }
    if !change.names("summary") {
        errors.insert(
            "summary".to_string(),
            "You must specify a summary of the issue.".to_string(),
        );
    }
    let Some(project) = project else {
        return Err(Error::from_fields(errors)
            .unwrap_or_else(Error::internal)
            .into());
    };
    let perms = caller_permissions(db, catalog, Some(caller), &project, None)?;
    if !perms.has(Permission::CreateIssues) {
        return Err(Error::forbidden(
            "You do not have permission to create issues in this project.",
        )
        .into());
    }
    let now = db.now();
    let mut issue = blank(catalog, &project, caller, now)?;
    issue.security_level_id = crate::service::levels::default_level(db, project.id)?;
    let ctx = Ctx {
        catalog,
        project: &project,
        caller,
        perms,
        creating: true,
        transition: false,
    };
    let comments = fields::apply(db, &ctx, &mut issue, change, &mut errors)?;
    check_created(catalog, &project, perms, &issue, has_type, &mut errors);
    if let Some(e) = Error::from_fields(errors) {
        return Err(e.into());
    }
    // A new issue ranks last, as in Jira, unless the change gave it a rank.
    if let Some(rank) = catalog.agile_field(CustomFieldKind::Rank)
        && !issue.custom.iter().any(|(id, _)| *id == rank.id)
    {
        let last = crate::store::queries::agile::last_rank(db, rank.id)?;
        let value = crate::domain::agile::rank::after(last.as_deref());
        fields::custom::set(&mut issue, rank.id, Some(FieldValue::Text(value)));
    }
    let num = q::next_number(db, project.id)?;
    issue.key = format!("{}-{num}", project.key);
    let id = q::insert(db, &issue, num)?;
    issue.id = id;
    crate::service::watchers::auto_watch(db, &issue)?;
    for c in comments {
        insert_comment(db, id, caller, c.body, now)?;
    }
    q::enqueue_index(db, id, now)?;
    Ok(issue)
}

/// The project to create in, if the caller may see it; otherwise Jira's field error.
fn project(
    db: &Db,
    catalog: &Catalog,
    caller: &Caller,
    change: &IssueChange,
    errors: &mut Errors,
) -> StoreResult<Option<Project>> {
    let found = match &change.project {
        Some(r) => pq::by_ref(db, r)?,
        None => None,
    };
    let visible = match &found {
        Some(p) => {
            caller_permissions(db, catalog, Some(caller), p, None)?.has(Permission::BrowseProjects)
        }
        None => false,
    };
    if !visible {
        errors.insert("project".to_string(), NO_PROJECT.to_string());
        return Ok(None);
    }
    Ok(found)
}

/// A new issue with the defaults the change then edits.
fn blank(catalog: &Catalog, project: &Project, caller: &Caller, now: Millis) -> StoreResult<Issue> {
    let status = catalog.initial_status().ok_or_else(Error::internal)?;
    Ok(Issue {
        id: IssueId(0),
        key: String::new(),
        project_id: project.id,
        issue_type_id: catalog
            .issue_types
            .iter()
            .find(|t| !t.subtask)
            .map(|t| t.id)
            .unwrap_or_default(),
        status_id: status.id,
        priority_id: catalog.default_priority().map(|p| p.id),
        resolution_id: None,
        summary: String::new(),
        description: None,
        environment: None,
        assignee_id: fields::default_assignee(catalog, project),
        reporter_id: Some(caller.user.id),
        creator_id: Some(caller.user.id),
        parent_id: None,
        due_date: None,
        original_estimate: None,
        remaining_estimate: None,
        time_spent: None,
        created: now,
        updated: now,
        resolution_date: None,
        status_changed: now,
        labels: Vec::new(),
        component_ids: Vec::new(),
        fix_version_ids: Vec::new(),
        affected_version_ids: Vec::new(),
        custom: Vec::new(),
        security_level_id: None,
    })
}

/// What only a whole new issue can be checked for: a sub-task's parent, and an assignee
/// other than the default without the permission to assign.
fn check_created(
    catalog: &Catalog,
    project: &Project,
    perms: PermissionSet,
    issue: &Issue,
    has_type: bool,
    errors: &mut Errors,
) {
    let subtask = catalog
        .issue_type(issue.issue_type_id)
        .is_some_and(|t| t.subtask);
    if has_type && subtask && !catalog.settings.subtasks() {
        errors.insert(
            "issuetype".into(),
            "Sub-tasks are disabled on this instance.".into(),
        );
    }
    if has_type
        && !errors.contains_key("issuetype")
        && subtask
        && issue.parent_id.is_none()
        && !errors.contains_key("parent")
    {
        errors.insert(
            "parent".into(),
            "Sub-tasks must have a parent issue.".into(),
        );
    }
    if issue.assignee_id.is_some()
        && !perms.has(Permission::AssignIssues)
        && issue.assignee_id != fields::default_assignee(catalog, project)
    {
        errors.insert(
            "assignee".into(),
            "You do not have permission to assign issues.".into(),
        );
    }
}
