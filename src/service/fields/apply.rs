//! Applying a typed change set to an issue: each operation validated and its references
//! resolved; field errors are collected under the field as the client named it.

use std::collections::BTreeMap;

use super::{Ctx, PendingComment, cannot_set, custom, default_assignee, resolve};
use crate::domain::change::{
    Estimates, IssueChange, Item, NamedRef, Op, UserSel, Value, validate_label,
};
use crate::domain::*;
use crate::service::permissions::user_permissions;
use crate::service::{Catalog, Permission};
use crate::store::StoreResult;
use crate::store::queries::{Db, issues as iq, projects as pq};

/// The answer for a parent that does not exist or is in another project.
const PARENT_NOT_FOUND: &str = "Could not find an issue by that id or key in this project.";

type Errors = BTreeMap<String, String>;

/// One operation's outcome: a field error message, or done.
type Outcome = Result<(), String>;

/// Applies the change's operations in order. Field errors go to `errors`; the returned
/// comments are to be added after the issue is stored.
pub fn apply(
    db: &Db,
    ctx: &Ctx<'_>,
    issue: &mut Issue,
    change: &IssueChange,
    errors: &mut Errors,
) -> StoreResult<Vec<PendingComment>> {
    let mut comments = Vec::new();
    for edit in &change.edits {
        let outcome = match &edit.op {
            Op::Rejected(message) => Err(message.clone()),
            Op::Set(value) => set(db, ctx, issue, &edit.key, value)?,
            Op::Add(item) => list_op(db, ctx, issue, &edit.key, item, true)?,
            Op::Remove(item) => list_op(db, ctx, issue, &edit.key, item, false)?,
            Op::Comment(body) => {
                if ctx.perms.has(Permission::AddComments) {
                    comments.push(PendingComment { body: body.clone() });
                    Ok(())
                } else {
                    Err("You do not have the permission to comment on this issue.".into())
                }
            }
        };
        if let Err(message) = outcome {
            errors.insert(edit.key.clone(), message);
        }
    }
    Ok(comments)
}

/// Sets one field's whole value.
fn set(
    db: &Db,
    ctx: &Ctx<'_>,
    issue: &mut Issue,
    key: &str,
    value: &Value,
) -> StoreResult<Outcome> {
    let cat = ctx.catalog;
    Ok(match value {
        Value::Summary(s) => summary(issue, s),
        Value::Description(v) => {
            issue.description = v.clone();
            Ok(())
        }
        Value::Environment(v) => {
            issue.environment = v.clone();
            Ok(())
        }
        // On create the project was resolved before this point.
        Value::Project if ctx.creating => Ok(()),
        Value::Project => Err(cannot_set(key)),
        Value::IssueType(r) => issue_type(ctx, issue, r),
        Value::Priority(r) => match r {
            None => {
                issue.priority_id = None;
                Ok(())
            }
            Some(r) => match resolve::named(r, &cat.priorities, |p| p.id, |p| &p.name) {
                Some(p) => {
                    issue.priority_id = Some(p.id);
                    Ok(())
                }
                None => Err(format!("Priority name '{}' is not valid", r.text)),
            },
        },
        Value::Resolution(r) => resolution(ctx, issue, key, r.as_ref()),
        Value::Assignee(sel) => assignee(db, ctx, issue, sel)?,
        Value::Reporter(sel) => reporter(db, ctx, issue, sel)?,
        Value::DueDate(d) => {
            issue.due_date = d.clone();
            Ok(())
        }
        Value::Labels(labels) => labels
            .iter()
            .map(|l| validate_label(l))
            .collect::<Result<Vec<_>, _>>()
            .map(|l| issue.labels = dedup(l)),
        Value::Components(refs) => {
            components(db, issue, refs)?.map(|ids| issue.component_ids = ids)
        }
        Value::FixVersions(refs) => {
            versions(db, issue, refs)?.map(|ids| issue.fix_version_ids = ids)
        }
        Value::AffectsVersions(refs) => {
            versions(db, issue, refs)?.map(|ids| issue.affected_version_ids = ids)
        }
        Value::Parent(r) => parent(db, cat, issue, r.as_ref())?,
        Value::TimeTracking(e) => {
            estimates(issue, e);
            Ok(())
        }
        Value::Security(r) => {
            let current = (!ctx.creating).then_some(&*issue);
            crate::service::levels::resolve_level(
                db,
                ctx.caller,
                ctx.project,
                current,
                ctx.perms,
                r.as_ref(),
            )?
            .map(|level| issue.security_level_id = level)
        }
        Value::Custom(id, v) => match cat.custom_field(*id) {
            None => Err(cannot_set(key)),
            Some(f) => custom::value(db, f, v)?.map(|v| custom::set(issue, f.id, v)),
        },
    })
}

fn dedup<T: PartialEq>(items: Vec<T>) -> Vec<T> {
    let mut out = Vec::with_capacity(items.len());
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

fn summary(issue: &mut Issue, s: &str) -> Outcome {
    match s.trim() {
        "" => Err("You must specify a summary of the issue.".into()),
        s if s.chars().count() > 255 => Err("Summary must be less than 255 characters.".into()),
        s => {
            issue.summary = s.to_string();
            Ok(())
        }
    }
}

fn issue_type(ctx: &Ctx<'_>, issue: &mut Issue, r: &NamedRef) -> Outcome {
    let cat = ctx.catalog;
    let Some(t) = resolve::named(r, &cat.issue_types, |t| t.id, |t| &t.name) else {
        return Err("Specify a valid issue type".into());
    };
    if !ctx.creating && t.subtask != is_subtask(cat, issue) {
        return Err(
            "Changing between a sub-task and a standard issue type is not supported.".into(),
        );
    }
    issue.issue_type_id = t.id;
    Ok(())
}

fn resolution(ctx: &Ctx<'_>, issue: &mut Issue, key: &str, r: Option<&NamedRef>) -> Outcome {
    let cat = ctx.catalog;
    if !ctx.transition && !ctx.creating && !cat.is_done(issue.status_id) {
        return Err(cannot_set(key));
    }
    issue.resolution_id = match r {
        None => None,
        Some(r) => match resolve::named(r, &cat.resolutions, |r| r.id, |r| &r.name) {
            Some(found) => Some(found.id),
            None => return Err(format!("Resolution '{}' is not valid", r.text)),
        },
    };
    Ok(())
}

fn assignee(db: &Db, ctx: &Ctx<'_>, issue: &mut Issue, sel: &UserSel) -> StoreResult<Outcome> {
    if !ctx.perms.has(Permission::AssignIssues) && !ctx.creating {
        return Ok(Err("You do not have permission to assign issues.".into()));
    }
    if *sel == UserSel::Automatic {
        issue.assignee_id = default_assignee(ctx.catalog, ctx.project);
        return Ok(Ok(()));
    }
    Ok(match resolve::user(db, sel)? {
        Ok(None) if !ctx.catalog.settings.unassigned_allowed() => {
            Err("Issues must be assigned.".into())
        }
        Ok(None) => {
            issue.assignee_id = None;
            Ok(())
        }
        Ok(Some(u)) => {
            if u.id != issue.assignee_id.unwrap_or(UserId(-1))
                && !user_permissions(db, ctx.catalog, &u, ctx.project)?
                    .has(Permission::AssignableUser)
            {
                Err(format!("User '{}' cannot be assigned issues.", u.username))
            } else {
                issue.assignee_id = Some(u.id);
                Ok(())
            }
        }
        Err(e) => Err(e),
    })
}

fn reporter(db: &Db, ctx: &Ctx<'_>, issue: &mut Issue, sel: &UserSel) -> StoreResult<Outcome> {
    Ok(match resolve::user(db, sel)? {
        Ok(u) => {
            let new = u.map(|u| u.id);
            if new != issue.reporter_id
                && !ctx.perms.has(Permission::ModifyReporter)
                && new != Some(ctx.caller.user.id)
            {
                Err("You do not have permission to modify the reporter.".into())
            } else {
                issue.reporter_id = new;
                Ok(())
            }
        }
        Err(e) => Err(e),
    })
}

/// Component ids of the issue's project for a list of references, without repeats.
fn components(db: &Db, issue: &Issue, refs: &[NamedRef]) -> StoreResult<Result<Vec<i64>, String>> {
    let all = pq::components(db, issue.project_id)?;
    Ok(refs
        .iter()
        .map(|r| {
            resolve::named(r, &all, |c| c.id, |c| &c.name)
                .map(|c| c.id)
                .ok_or_else(|| format!("Component '{}' is not valid for this project.", r.text))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(dedup))
}

/// Version ids of the issue's project for a list of references, without repeats.
fn versions(db: &Db, issue: &Issue, refs: &[NamedRef]) -> StoreResult<Result<Vec<i64>, String>> {
    let all = pq::versions(db, issue.project_id)?;
    Ok(refs
        .iter()
        .map(|r| {
            resolve::named(r, &all, |v| v.id, |v| &v.name)
                .map(|v| v.id)
                .ok_or_else(|| format!("Version '{}' is not valid for this project.", r.text))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(dedup))
}

fn parent(db: &Db, cat: &Catalog, issue: &mut Issue, r: Option<&IssueRef>) -> StoreResult<Outcome> {
    let Some(r) = r else {
        if is_subtask(cat, issue) {
            return Ok(Err(
                "The parent must be given as {\"key\": ...} or {\"id\": ...}.".into(),
            ));
        }
        issue.parent_id = None;
        return Ok(Ok(()));
    };
    Ok(match iq::by_ref(db, r)? {
        Some(p) if p.project_id == issue.project_id && p.id != issue.id => {
            let parent_type = cat.issue_type(p.issue_type_id);
            if parent_type.is_some_and(|t| t.subtask) {
                Err("A sub-task cannot be the parent of another issue.".into())
            } else if !is_subtask(cat, issue) && parent_type.is_none_or(|t| t.hierarchy_level < 1) {
                Err("Only sub-tasks, or issues under an epic, can have a parent.".into())
            } else {
                issue.parent_id = Some(p.id);
                Ok(())
            }
        }
        Some(p) if p.id == issue.id => Err("An issue cannot be its own parent.".into()),
        // An issue of another project is answered as a missing one, so the error never
        // tells that an issue the caller may not see exists.
        Some(_) | None => Err(PARENT_NOT_FOUND.into()),
    })
}

/// A new original estimate is also the remaining one, unless that is given too or work
/// was already logged.
fn estimates(issue: &mut Issue, e: &Estimates) {
    if let Some(original) = e.original {
        issue.original_estimate = original;
        if e.remaining.is_none() && issue.time_spent.is_none() {
            issue.remaining_estimate = original;
        }
    }
    if let Some(remaining) = e.remaining {
        issue.remaining_estimate = remaining;
    }
}

fn is_subtask(cat: &Catalog, issue: &Issue) -> bool {
    cat.issue_type(issue.issue_type_id)
        .is_some_and(|t| t.subtask)
}

/// Adds or removes one element of a multi-valued field.
fn list_op(
    db: &Db,
    ctx: &Ctx<'_>,
    issue: &mut Issue,
    key: &str,
    item: &Item,
    add: bool,
) -> StoreResult<Outcome> {
    fn toggle<T: PartialEq>(list: &mut Vec<T>, item: T, add: bool) {
        if !add {
            list.retain(|x| x != &item);
        } else if !list.contains(&item) {
            list.push(item);
        }
    }
    let one = |r: &NamedRef| std::slice::from_ref(r).to_vec();
    Ok(match item {
        Item::Label(l) => validate_label(l).map(|l| toggle(&mut issue.labels, l, add)),
        Item::Component(r) => components(db, issue, &one(r))?.map(|ids| {
            ids.into_iter()
                .for_each(|id| toggle(&mut issue.component_ids, id, add))
        }),
        Item::FixVersion(r) => versions(db, issue, &one(r))?.map(|ids| {
            ids.into_iter()
                .for_each(|id| toggle(&mut issue.fix_version_ids, id, add))
        }),
        Item::AffectsVersion(r) => versions(db, issue, &one(r))?.map(|ids| {
            ids.into_iter()
                .for_each(|id| toggle(&mut issue.affected_version_ids, id, add))
        }),
        Item::Option(field, r) => match ctx.catalog.custom_field(*field) {
            None => Err(cannot_set(key)),
            Some(f) => resolve::option_id(f, r).map(|id| {
                let mut ids = match custom_value(issue, f.id) {
                    Some(FieldValue::Options(o)) => o.clone(),
                    _ => Vec::new(),
                };
                toggle(&mut ids, id, add);
                custom::set(issue, f.id, Some(FieldValue::Options(ids)));
            }),
        },
        Item::CustomLabel(field, l) => match ctx.catalog.custom_field(*field) {
            None => Err(cannot_set(key)),
            Some(f) => validate_label(l).map(|l| {
                let mut labels = match custom_value(issue, f.id) {
                    Some(FieldValue::Labels(x)) => x.clone(),
                    _ => Vec::new(),
                };
                toggle(&mut labels, l, add);
                custom::set(issue, f.id, Some(FieldValue::Labels(labels)));
            }),
        },
    })
}

fn custom_value(issue: &Issue, field: i64) -> Option<&FieldValue> {
    issue
        .custom
        .iter()
        .find(|(id, _)| *id == field)
        .map(|(_, v)| v)
}
