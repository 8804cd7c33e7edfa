//! Issue security levels as permissions see them: the one place that decides whether a
//! caller is inside an issue's level ([`can_see`]), the search restriction built from
//! the same rules ([`search_filter`]), and the level a create or edit may set.
//!
//! An issue outside the caller's levels is answered exactly as a missing one: every
//! issue-scoped permission check goes through `permissions::caller_permissions` or the
//! issue view loader, and both ask [`can_see`] first. Kept apart from the
//! administration (`service::security`) so that permissions, fields and issues can
//! use it without reaching the services that depend on them.

use std::collections::HashSet;

use super::{Caller, Permission};
use crate::domain::security::{Holder, SecurityLevel};
use crate::domain::*;
use crate::search::{Filter, NumField};
use crate::store::StoreResult;
use crate::store::queries::{Db, projects as pq, security as q, servicedesk as sdq};

/// The field error for a caller without Set Issue Security (Jira's "not on the screen").
const NOT_SETTABLE: &str =
    "Field 'security' cannot be set. It is not on the appropriate screen, or unknown.";

/// Whether `holder` lets the caller in, on `issue` of `project`, given the role ids the
/// caller holds in that project.
pub fn holds(
    holder: &Holder,
    caller: Option<&Caller>,
    project: &Project,
    issue: Option<&Issue>,
    roles: &HashSet<i64>,
) -> bool {
    let me = caller.map(|c| c.user.id);
    match holder {
        Holder::Anyone => true,
        Holder::LoggedIn => caller.is_some(),
        Holder::User(who) => {
            caller.is_some_and(|c| c.user.account_id == *who || c.user.username == *who)
        }
        Holder::Group(g) => caller.is_some_and(|c| c.in_group(g)),
        Holder::ProjectRole(r) => caller.is_some() && roles.contains(r),
        Holder::ProjectLead => me == Some(project.lead_id),
        Holder::Reporter => me.is_some() && issue.and_then(|i| i.reporter_id) == me,
        Holder::Assignee => me.is_some() && issue.and_then(|i| i.assignee_id) == me,
    }
}

/// Whether the caller reaches the project only as a customer of its service desk: they
/// hold the desk's customer role and no other role there. Such a caller sees only the
/// requests they raised, participate in, or that are shared with their organizations
/// ([`can_see`], [`search_filter`]) and no internal comment. A customer who also holds
/// Browse Projects through a group grant (not a role) is still treated as a customer:
/// the narrower reading is the safe one.
pub fn customer_only(
    db: &Db,
    caller: Option<&Caller>,
    project: &Project,
    roles: &HashSet<i64>,
) -> StoreResult<bool> {
    if caller.is_none() || project.project_type_key != crate::domain::servicedesk::PROJECT_TYPE {
        return Ok(false);
    }
    let Some(customer) = sdq::role(db, "customer")? else {
        return Ok(false);
    };
    Ok(roles.contains(&customer) && roles.iter().all(|r| *r == customer))
}

/// [`customer_only`] for a place that has not loaded the caller's roles.
pub fn customer_only_in(db: &Db, caller: Option<&Caller>, project: &Project) -> StoreResult<bool> {
    if caller.is_none() || project.project_type_key != crate::domain::servicedesk::PROJECT_TYPE {
        return Ok(false);
    }
    let roles = roles_in(db, caller, project.id)?;
    customer_only(db, caller, project, &roles)
}

/// Whether an attachment is hidden from the caller: an internal one of a service desk
/// request, to the desk's customers. (The issue itself is checked by [`can_see`].)
pub fn attachment_hidden(
    db: &Db,
    caller: Option<&Caller>,
    project: &Project,
    attachment: i64,
) -> StoreResult<bool> {
    if project.project_type_key != crate::domain::servicedesk::PROJECT_TYPE {
        return Ok(false);
    }
    Ok(sdq::is_internal_attachment(db, attachment)? && customer_only_in(db, caller, project)?)
}

/// Whether a customer-only caller may see the request: they raised it, participate in
/// it, or it is shared with one of their organizations.
fn customer_sees(db: &Db, caller: Option<&Caller>, issue: &Issue) -> StoreResult<bool> {
    let Some(me) = caller.map(|c| c.user.id) else {
        return Ok(false);
    };
    Ok(issue.reporter_id == Some(me) || sdq::shares_request(db, issue.id, me)?)
}

/// Whether the caller is inside the issue's security level (always, without one), and,
/// for a customer of a service desk, whether the request is theirs to see.
pub fn can_see(
    db: &Db,
    caller: Option<&Caller>,
    project: &Project,
    issue: &Issue,
    roles: &HashSet<i64>,
) -> StoreResult<bool> {
    if customer_only(db, caller, project, roles)? && !customer_sees(db, caller, issue)? {
        return Ok(false);
    }
    let Some(level) = issue.security_level_id else {
        return Ok(true);
    };
    Ok(q::members(db, level)?
        .iter()
        .any(|h| holds(h, caller, project, Some(issue), roles)))
}

/// [`can_see`] for a place that has only the issue: loads its project and the caller's
/// roles there (only when the issue has a level).
pub fn can_see_issue(db: &Db, caller: Option<&Caller>, issue: &Issue) -> StoreResult<bool> {
    if issue.security_level_id.is_none() && caller.is_none() {
        return Ok(true);
    }
    let Some(project) = pq::by_id(db, issue.project_id)? else {
        return Ok(false);
    };
    if issue.security_level_id.is_none()
        && project.project_type_key != crate::domain::servicedesk::PROJECT_TYPE
    {
        return Ok(true);
    }
    let roles = roles_in(db, caller, project.id)?;
    can_see(db, caller, &project, issue, &roles)
}

fn roles_in(db: &Db, caller: Option<&Caller>, project: ProjectId) -> StoreResult<HashSet<i64>> {
    let Some(c) = caller else {
        return Ok(HashSet::new());
    };
    Ok(pq::role_actors(db, project)?
        .into_iter()
        .filter(|(_, kind, value)| match kind.as_str() {
            "user" => value.eq_ignore_ascii_case(&c.user.username),
            _ => c.in_group(value),
        })
        .map(|(role, _, _)| role)
        .collect())
}

/// The restriction a search adds for security levels over the projects the caller may
/// browse; `None` when none of them uses a scheme (nothing to evaluate per document).
/// Levels held outright are matched per project (roles and leads are per project);
/// reporter and assignee members become a condition on the document itself.
pub fn search_filter(
    db: &Db,
    caller: Option<&Caller>,
    projects: &[Project],
) -> StoreResult<Option<Filter>> {
    let levels = level_filter(db, caller, projects)?;
    let customers = customer_filter(db, caller, projects)?;
    Ok(match (levels, customers) {
        (Some(l), Some(c)) => Some(Filter::And(vec![l, c])),
        (l, c) => l.or(c),
    })
}

/// The search side of [`customer_only`]: in the service projects the caller reaches only
/// as a customer, just the requests [`can_see`] lets them see.
fn customer_filter(
    db: &Db,
    caller: Option<&Caller>,
    projects: &[Project],
) -> StoreResult<Option<Filter>> {
    let Some(me) = caller.map(|c| c.user.id) else {
        return Ok(None);
    };
    let mut restricted = Vec::new();
    for p in projects
        .iter()
        .filter(|p| p.project_type_key == crate::domain::servicedesk::PROJECT_TYPE)
    {
        if customer_only_in(db, caller, p)? {
            restricted.push(p.id.0);
        }
    }
    if restricted.is_empty() {
        return Ok(None);
    }
    let mine = sdq::customer_issue_ids(db, &restricted, me)?;
    Ok(Some(Filter::Or(vec![
        Filter::Not(Box::new(Filter::In(NumField::Project, restricted))),
        Filter::In(NumField::Id, mine),
    ])))
}

/// The security-level part of [`search_filter`].
fn level_filter(
    db: &Db,
    caller: Option<&Caller>,
    projects: &[Project],
) -> StoreResult<Option<Filter>> {
    let uses = q::project_schemes(db)?;
    let secured: Vec<(&Project, i64)> = projects
        .iter()
        .filter_map(|p| {
            uses.iter()
                .find(|(pid, _)| *pid == p.id.0)
                .map(|(_, s)| (p, *s))
        })
        .collect();
    if secured.is_empty() {
        return Ok(None);
    }
    let schemes = q::all(db)?;
    let mut any = vec![Filter::Empty(NumField::SecurityLevel)];
    let (mut as_reporter, mut as_assignee) = (Vec::new(), Vec::new());
    for (project, scheme) in secured {
        let Some(scheme) = schemes.iter().find(|s| s.id == scheme) else {
            continue;
        };
        let roles = roles_in(db, caller, project.id)?;
        let mut held = Vec::new();
        for level in &scheme.levels {
            for m in &level.members {
                match m.holder {
                    Holder::Reporter if caller.is_some() => as_reporter.push(level.id),
                    Holder::Assignee if caller.is_some() => as_assignee.push(level.id),
                    ref h if holds(h, caller, project, None, &roles) => held.push(level.id),
                    _ => {}
                }
            }
        }
        if !held.is_empty() {
            any.push(Filter::And(vec![
                Filter::In(NumField::Project, vec![project.id.0]),
                Filter::In(NumField::SecurityLevel, held),
            ]));
        }
    }
    if let Some(me) = caller.map(|c| c.user.id.0) {
        for (levels, who) in [
            (as_reporter, NumField::Reporter),
            (as_assignee, NumField::Assignee),
        ] {
            if !levels.is_empty() {
                any.push(Filter::And(vec![
                    Filter::In(NumField::SecurityLevel, levels),
                    Filter::In(who, vec![me]),
                ]));
            }
        }
    }
    Ok(Some(Filter::Or(any)))
}

/// The levels of the project's scheme the caller may give an issue: Set Issue Security
/// and membership of the level (as Jira offers them).
pub fn settable_levels(
    db: &Db,
    caller: &Caller,
    project: &Project,
    issue: Option<&Issue>,
    perms: super::PermissionSet,
) -> StoreResult<Vec<SecurityLevel>> {
    if !perms.has(Permission::SetIssueSecurity) {
        return Ok(Vec::new());
    }
    let Some(scheme) = q::scheme_of_project(db, project.id)? else {
        return Ok(Vec::new());
    };
    let Some(scheme) = q::scheme(db, scheme)? else {
        return Ok(Vec::new());
    };
    let roles = roles_in(db, Some(caller), project.id)?;
    // On create the caller becomes the reporter, so reporter levels count as theirs.
    let as_reporter = issue.is_none();
    Ok(scheme
        .levels
        .into_iter()
        .filter(|l| {
            l.members.iter().any(|m| {
                (as_reporter && m.holder == Holder::Reporter)
                    || holds(&m.holder, Some(caller), project, issue, &roles)
            })
        })
        .collect())
}

/// The default level of the project's scheme, for a new issue.
pub fn default_level(db: &Db, project: ProjectId) -> StoreResult<Option<i64>> {
    let Some(scheme) = q::scheme_of_project(db, project)? else {
        return Ok(None);
    };
    Ok(q::scheme(db, scheme)?.and_then(|s| s.default_level_id))
}

/// Resolves a `security` field value on create or edit: the level id, or Jira's field
/// error. `None` as the value clears the level.
pub fn resolve_level(
    db: &Db,
    caller: &Caller,
    project: &Project,
    issue: Option<&Issue>,
    perms: super::PermissionSet,
    wanted: Option<&change::NamedRef>,
) -> StoreResult<std::result::Result<Option<i64>, String>> {
    if !perms.has(Permission::SetIssueSecurity) {
        return Ok(Err(NOT_SETTABLE.to_string()));
    }
    let Some(wanted) = wanted else {
        return Ok(Ok(None));
    };
    let levels = settable_levels(db, caller, project, issue, perms)?;
    let found = levels.iter().find(|l| match &wanted.by {
        change::By::Id(id) => l.id == *id,
        change::By::Name(n) => l.name.eq_ignore_ascii_case(n),
        change::By::Nothing => false,
    });
    Ok(match found {
        Some(l) => Ok(Some(l.id)),
        None => Err(format!(
            "Security level '{}' is not valid for this project.",
            wanted.text
        )),
    })
}

/// The name of a level, for the changelog.
pub fn level_name(db: &Db, id: i64) -> StoreResult<Option<String>> {
    Ok(q::level(db, id)?.map(|l| l.name))
}

/// Names of the levels, in the schemes of `projects`, that the caller is inside of on
/// at least some issue (a reporter or assignee member counts: they may be one), for
/// JQL autocomplete. A level nobody lets the caller into stays unnamed to them.
pub fn visible_level_names(
    db: &Db,
    caller: Option<&Caller>,
    projects: &[Project],
) -> StoreResult<Vec<String>> {
    let mut names: Vec<String> = Vec::new();
    for project in projects {
        let Some(scheme) = q::scheme_of_project(db, project.id)? else {
            continue;
        };
        let Some(scheme) = q::scheme(db, scheme)? else {
            continue;
        };
        let roles = roles_in(db, caller, project.id)?;
        for level in scheme.levels {
            let inside = level.members.iter().any(|m| {
                (caller.is_some() && matches!(m.holder, Holder::Reporter | Holder::Assignee))
                    || holds(&m.holder, caller, project, None, &roles)
            });
            if inside && !names.iter().any(|n| n.eq_ignore_ascii_case(&level.name)) {
                names.push(level.name);
            }
        }
    }
    names.sort();
    Ok(names)
}
