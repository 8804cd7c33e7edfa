//! Loading an issue as the caller may see it: its project (cached per request), the
//! caller's permissions and security level, and what the view needs beyond the issue
//! (comments, sub-tasks, links, watchers and votes, attachments, the users they name).

use std::collections::HashMap;

use super::IssueView;
use crate::domain::*;
use crate::service::permissions::{caller_permissions, can_see_visibility};
use crate::service::{Caller, Catalog, Permission};
use crate::store::StoreResult;
use crate::store::queries::{
    Db, comments as comq, issues as q, links as lq, projects as pq, users as uq, watchers::UserSet,
    worklogs as wq,
};

/// What a view must carry beyond the issue itself.
#[derive(Debug, Clone, Copy)]
pub struct ViewNeeds {
    pub comments: bool,
    pub subtasks: bool,
    /// Issue links of the issue.
    pub links: bool,
    /// Watcher and vote counts.
    pub social: bool,
    pub attachments: bool,
}

impl ViewNeeds {
    /// The issue's own fields and no more.
    pub const NONE: ViewNeeds = ViewNeeds {
        comments: false,
        subtasks: false,
        links: false,
        social: false,
        attachments: false,
    };
    pub const ALL: ViewNeeds = ViewNeeds {
        comments: true,
        subtasks: true,
        links: true,
        social: true,
        attachments: true,
    };
}

/// A project with the caller's role ids in it, its components and versions.
struct ProjectEntry {
    project: Project,
    roles: std::collections::HashSet<i64>,
    components: Vec<Component>,
    versions: Vec<Version>,
}

/// Per-project data shared by every issue of a batch.
#[derive(Default)]
pub(super) struct ProjectCache {
    entries: HashMap<ProjectId, Option<ProjectEntry>>,
}

impl ProjectCache {
    fn get(
        &mut self,
        db: &Db,
        caller: Option<&Caller>,
        id: ProjectId,
    ) -> StoreResult<Option<&ProjectEntry>> {
        if let std::collections::hash_map::Entry::Vacant(slot) = self.entries.entry(id) {
            let entry = match pq::by_id(db, id)? {
                None => None,
                Some(project) => {
                    let roles = match caller {
                        None => Default::default(),
                        Some(c) => pq::role_actors(db, id)?
                            .into_iter()
                            .filter(|(_, kind, value)| match kind.as_str() {
                                "user" => value.eq_ignore_ascii_case(&c.user.username),
                                _ => c.in_group(value),
                            })
                            .map(|(role, _, _)| role)
                            .collect(),
                    };
                    let components = pq::components(db, id)?;
                    let versions = pq::versions(db, id)?;
                    Some(ProjectEntry {
                        project,
                        roles,
                        components,
                        versions,
                    })
                }
            };
            slot.insert(entry);
        }
        Ok(self.entries.get(&id).and_then(|e| e.as_ref()))
    }
}

pub(super) fn load_view_with(
    db: &Db,
    catalog: &Catalog,
    caller: Option<&Caller>,
    issue: Issue,
    cache: &mut ProjectCache,
    needs: ViewNeeds,
) -> StoreResult<Option<IssueView>> {
    let Some((mut view, user_ids)) = load_view_core(db, catalog, caller, issue, cache, needs)?
    else {
        return Ok(None);
    };
    view.users = uq::by_ids(db, &user_ids)?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    Ok(Some(view))
}

/// The view of an issue the caller may browse, without its users, and the ids of the
/// users it mentions (so a batch can load them in one query).
pub(super) fn load_view_core(
    db: &Db,
    catalog: &Catalog,
    caller: Option<&Caller>,
    issue: Issue,
    cache: &mut ProjectCache,
    needs: ViewNeeds,
) -> StoreResult<Option<(IssueView, Vec<UserId>)>> {
    let Some(ProjectEntry {
        project,
        roles,
        components,
        versions,
    }) = cache.get(db, caller, issue.project_id)?
    else {
        return Ok(None);
    };
    let who = crate::service::permissions::IssueRoles::of(caller, Some(&issue));
    let perms = crate::service::permissions::evaluate(catalog, caller, project, roles, who);
    if !perms.has(Permission::BrowseProjects)
        || !crate::service::levels::can_see(db, caller, project, &issue, roles)?
    {
        return Ok(None);
    }
    let (project, components, versions) = (project.clone(), components.clone(), versions.clone());
    // A parent outside the caller's security level is left out, as a hidden linked
    // issue is: a visible sub-task must not reveal its key or summary.
    let parent = match issue
        .parent_id
        .map(|p| q::by_id(db, p))
        .transpose()?
        .flatten()
    {
        Some(p) if crate::service::levels::can_see(db, caller, &project, &p, roles)? => Some(p),
        _ => None,
    };
    let subtasks = if needs.subtasks {
        let mut all = q::subtasks(db, issue.id)?;
        let mut hidden = Vec::new();
        for s in &all {
            hidden.push(!crate::service::levels::can_see(
                db, caller, &project, s, roles,
            )?);
        }
        let mut i = 0;
        all.retain(|_| {
            i += 1;
            !hidden[i - 1]
        });
        all
    } else {
        Vec::new()
    };
    let mut comments = Vec::new();
    let mut worklogs = Vec::new();
    if needs.comments {
        for c in comq::of_issue(db, issue.id)? {
            if can_see_visibility(db, caller, &project, c.visibility.as_ref())? {
                comments.push(c);
            }
        }
        worklogs = visible_worklogs(db, caller, &project, issue.id)?;
    }
    let mut attachments = Vec::new();
    if needs.attachments {
        for a in crate::store::queries::attachments::of_issue(db, issue.id)? {
            if !crate::service::levels::attachment_hidden(db, caller, &project, a.id)? {
                attachments.push(a);
            }
        }
    }
    let security = match issue.security_level_id {
        Some(id) => crate::store::queries::security::level(db, id)?,
        None => None,
    };
    let sprint_ids: Vec<i64> = issue
        .custom
        .iter()
        .filter(|(f, _)| {
            catalog
                .custom_field(*f)
                .is_some_and(|f| f.kind == CustomFieldKind::Sprint)
        })
        .flat_map(|(_, v)| match v {
            FieldValue::Options(ids) => ids.clone(),
            _ => Vec::new(),
        })
        .collect();
    let sprints = if sprint_ids.is_empty() {
        Vec::new()
    } else {
        crate::store::queries::agile::sprints_by_ids(db, &sprint_ids)?
    };
    let user_ids = mentioned_users(&issue, &project, &comments, &worklogs, &attachments);
    let transitions = if perms.has(Permission::TransitionIssues) {
        catalog
            .transitions_from(project.workflow_id, issue.status_id)
            .into_iter()
            .cloned()
            .collect()
    } else {
        Vec::new()
    };
    let links = if needs.links {
        linked_issues(db, catalog, caller, issue.id)?
    } else {
        Vec::new()
    };
    let (watches, votes) = if needs.social {
        (
            crate::service::watchers::summary(db, UserSet::Watchers, issue.id, caller)?,
            crate::service::watchers::summary(db, UserSet::Voters, issue.id, caller)?,
        )
    } else {
        ((0, false), (0, false))
    };
    Ok(Some((
        IssueView {
            issue,
            project,
            perms,
            users: HashMap::new(),
            components,
            versions,
            parent,
            subtasks,
            comments,
            worklogs,
            transitions,
            links,
            watches,
            votes,
            attachments,
            security,
            sprints,
        },
        user_ids,
    )))
}

/// Every user an issue view shows, without repeats.
fn mentioned_users(
    issue: &Issue,
    project: &Project,
    comments: &[Comment],
    worklogs: &[Worklog],
    attachments: &[Attachment],
) -> Vec<UserId> {
    let mut user_ids: Vec<UserId> = [issue.assignee_id, issue.reporter_id, issue.creator_id]
        .into_iter()
        .flatten()
        .collect();
    user_ids.push(project.lead_id);
    for c in comments {
        user_ids.extend(c.author_id);
        user_ids.extend(c.update_author_id);
    }
    for w in worklogs {
        user_ids.extend(w.author_id);
        user_ids.extend(w.update_author_id);
    }
    user_ids.extend(attachments.iter().filter_map(|a| a.author_id));
    for (_, v) in &issue.custom {
        if let FieldValue::User(u) = v {
            user_ids.push(*u);
        }
    }
    user_ids.sort();
    user_ids.dedup();
    user_ids
}

/// A link as one of its issues sees it.
#[derive(Debug, Clone)]
pub struct LinkedIssue {
    pub link_id: i64,
    pub link_type: LinkType,
    /// The issue at the other end.
    pub other: Issue,
    /// True when the viewing issue is the source: the other issue is its `outwardIssue`.
    pub outward: bool,
}

/// Links of an issue whose other end the caller may browse, oldest first.
pub(super) fn linked_issues(
    db: &Db,
    catalog: &Catalog,
    caller: Option<&Caller>,
    issue: IssueId,
) -> StoreResult<Vec<LinkedIssue>> {
    let mut out = Vec::new();
    for link in lq::of_issue(db, issue)? {
        let outward = link.source_id == issue;
        let other_id = if outward {
            link.dest_id
        } else {
            link.source_id
        };
        let Some(link_type) = catalog.link_type(link.link_type_id).cloned() else {
            continue;
        };
        let Some(other) = q::by_id(db, other_id)? else {
            continue;
        };
        let Some(project) = pq::by_id(db, other.project_id)? else {
            continue;
        };
        if !caller_permissions(db, catalog, caller, &project, Some(&other))?
            .has(Permission::BrowseProjects)
        {
            continue;
        }
        out.push(LinkedIssue {
            link_id: link.id,
            link_type,
            other,
            outward,
        });
    }
    Ok(out)
}

/// Worklogs of an issue the caller may see.
fn visible_worklogs(
    db: &Db,
    caller: Option<&Caller>,
    project: &Project,
    issue: IssueId,
) -> StoreResult<Vec<Worklog>> {
    let mut out = Vec::new();
    for w in wq::of_issue(db, issue)? {
        if can_see_visibility(db, caller, project, w.visibility.as_ref())? {
            out.push(w);
        }
    }
    Ok(out)
}
