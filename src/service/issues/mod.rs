//! The issue lifecycle: create, read, edit, assign, transition, delete, changelog.

use std::collections::{BTreeMap, HashMap};

use super::fields::{self, Ctx, PendingComment};
use super::permissions::caller_permissions;
use super::{Caller, Catalog, Page, Permission, PermissionSet};
use super::{catalog, permissions, users};
use crate::domain::change::{Op, UserSel, Value as Set};
use crate::domain::*;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::StoreResult;
use crate::store::Tx;
use crate::store::queries::{
    Db, changelog as cq, comments as comq, issues as q, projects as pq, users as uq,
};
use std::sync::Arc;

/// An issue with everything needed to show it.
#[derive(Debug, Clone)]
pub struct IssueView {
    pub issue: Issue,
    pub project: Project,
    pub perms: PermissionSet,
    pub users: HashMap<UserId, User>,
    pub components: Vec<Component>,
    pub versions: Vec<Version>,
    pub parent: Option<Issue>,
    pub subtasks: Vec<Issue>,
    /// Comments the caller may see, oldest first.
    pub comments: Vec<Comment>,
    /// Worklogs the caller may see, oldest start first (loaded with the comments).
    pub worklogs: Vec<Worklog>,
    pub transitions: Vec<Transition>,
    /// Links whose other issue the caller may browse.
    pub links: Vec<LinkedIssue>,
    /// (watchers, the caller watches)
    pub watches: (i64, bool),
    /// (votes, the caller voted)
    pub votes: (i64, bool),
    /// Attachments, oldest first.
    pub attachments: Vec<Attachment>,
    /// The issue's security level, when it has one.
    pub security: Option<crate::domain::security::SecurityLevel>,
    /// The sprints the issue's Sprint field names, in sprint order.
    pub sprints: Vec<crate::domain::agile::Sprint>,
}

mod create;
pub mod subtasks;
mod view;
mod worklog_writes;

pub(crate) use worklog_writes::after_worklog_change;

pub use view::{LinkedIssue, ViewNeeds};
use view::{ProjectCache, load_view_core, load_view_with};

pub use crate::domain::change::IssueChange;

/// The result of one element of a bulk create.
pub type BulkResult = std::result::Result<Issue, Error>;

/// Issues: views, create, edit, assign, transitions, delete, sub-tasks.
pub struct Service {
    store: Store,
    catalog: Arc<catalog::Service>,
    permissions: Arc<permissions::Service>,
    users: Arc<users::Service>,
    blobs: super::blobs::Blobs,
}

impl Service {
    pub(super) fn new(
        store: Store,
        catalog: Arc<catalog::Service>,
        permissions: Arc<permissions::Service>,
        users: Arc<users::Service>,
        blobs: super::blobs::Blobs,
    ) -> Service {
        Service {
            store,
            catalog,
            permissions,
            users,
            blobs,
        }
    }
}

impl Service {
    /// Loads an issue the caller may browse, or Jira's 404.
    pub async fn view_issue(&self, caller: Option<&Caller>, r: &IssueRef) -> Result<IssueView> {
        self.view_issue_with(caller, r, ViewNeeds::ALL).await
    }

    /// `view_issue` loading only the parts asked for (the rest stay empty).
    pub async fn view_issue_with(
        &self,
        caller: Option<&Caller>,
        r: &IssueRef,
        needs: ViewNeeds,
    ) -> Result<IssueView> {
        let catalog = self.catalog.current();
        let caller = caller.cloned();
        let r = r.clone();
        let view = self
            .store
            .read(move |db| {
                let Some(issue) = q::by_ref(db, &r)? else {
                    return Ok(None);
                };
                load_view_with(
                    db,
                    &catalog,
                    caller.as_ref(),
                    issue,
                    &mut ProjectCache::default(),
                    needs,
                )
            })
            .await?;
        view.ok_or_else(Error::issue_not_found)
    }

    /// Views of many issues by id, skipping those the caller may not browse.
    pub async fn view_issues(
        &self,
        caller: Option<&Caller>,
        ids: Vec<IssueId>,
    ) -> Result<Vec<IssueView>> {
        self.view_issues_with(caller, ids, ViewNeeds::ALL).await
    }

    /// Views of many issues, loading comments and sub-tasks only when asked: search
    /// results usually need neither. Project data is loaded once per project.
    pub async fn view_issues_with(
        &self,
        caller: Option<&Caller>,
        ids: Vec<IssueId>,
        needs: ViewNeeds,
    ) -> Result<Vec<IssueView>> {
        let catalog = self.catalog.current();
        let caller = caller.cloned();
        Ok(self
            .store
            .read(move |db| {
                let mut out = Vec::new();
                let mut wanted = Vec::new();
                let mut cache = ProjectCache::default();
                for issue in q::by_ids(db, &ids)? {
                    if let Some((v, users)) =
                        load_view_core(db, &catalog, caller.as_ref(), issue, &mut cache, needs)?
                    {
                        out.push((v, users));
                    }
                }
                // One query for the users of the whole batch.
                for (_, users) in &out {
                    wanted.extend(users.iter().copied());
                }
                wanted.sort();
                wanted.dedup();
                let found: HashMap<UserId, User> = uq::by_ids(db, &wanted)?
                    .into_iter()
                    .map(|u| (u.id, u))
                    .collect();
                Ok(out
                    .into_iter()
                    .map(|(mut v, users)| {
                        v.users = users
                            .iter()
                            .filter_map(|u| found.get(u).map(|user| (*u, user.clone())))
                            .collect();
                        v
                    })
                    .collect())
            })
            .await?)
    }

    pub async fn create_issue(&self, caller: &Caller, change: IssueChange) -> Result<Issue> {
        let catalog = self.catalog.current();
        let caller = caller.clone();
        Ok(self
            .store
            .write(move |db| {
                let issue = create::create_in_tx(db, &catalog, &caller, &change)?;
                worklog_writes::log_from_update(db, &catalog, &caller, issue.id, &change.worklogs)?;
                Ok(issue)
            })
            .await?)
    }

    /// Creates several issues; each succeeds or fails on its own.
    pub async fn create_issues(
        &self,
        caller: &Caller,
        inputs: Vec<IssueChange>,
    ) -> Result<Vec<BulkResult>> {
        let mut out = Vec::with_capacity(inputs.len());
        // Each element is its own write job (its own savepoint), so one bad element
        // never leaves another half-written; group commit still batches them.
        let jobs: Vec<_> = inputs
            .into_iter()
            .map(|input| self.create_issue(caller, input))
            .collect();
        for job in jobs {
            out.push(job.await);
        }
        Ok(out)
    }

    pub async fn edit_issue(
        &self,
        caller: &Caller,
        r: &IssueRef,
        change: IssueChange,
    ) -> Result<()> {
        let catalog = self.catalog.current();
        let caller = caller.clone();
        let r = r.clone();
        self.store
            .write(move |db| {
                let (mut issue, project, perms) = load_for_write(db, &catalog, &caller, &r)?;
                if !perms.has(Permission::EditIssues) {
                    return Err(Error::forbidden(
                        "You do not have permission to edit issues in this project.",
                    )
                    .into());
                }
                let before = issue.clone();
                let ctx = Ctx {
                    catalog: &catalog,
                    project: &project,
                    caller: &caller,
                    perms,
                    creating: false,
                    transition: false,
                };
                let comments = apply_all(db, &ctx, &mut issue, &change)?;
                save_change(db, &catalog, &caller, &before, &mut issue, comments)?;
                worklog_writes::log_from_update(db, &catalog, &caller, issue.id, &change.worklogs)
            })
            .await?;
        Ok(())
    }

    /// `PUT issue/{key}/assignee`.
    pub async fn assign_issue(
        &self,
        caller: &Caller,
        r: &IssueRef,
        assignee: UserSel,
    ) -> Result<()> {
        let mut change = IssueChange::default();
        change.push("assignee", Op::Set(Set::Assignee(assignee)));
        let catalog = self.catalog.current();
        let caller = caller.clone();
        let r = r.clone();
        self.store
            .write(move |db| {
                let (mut issue, project, perms) = load_for_write(db, &catalog, &caller, &r)?;
                if !perms.has(Permission::AssignIssues) {
                    return Err(
                        Error::forbidden("You do not have permission to assign issues.").into(),
                    );
                }
                let before = issue.clone();
                let ctx = Ctx {
                    catalog: &catalog,
                    project: &project,
                    caller: &caller,
                    perms,
                    creating: false,
                    transition: false,
                };
                apply_all(db, &ctx, &mut issue, &change)?;
                save_change(db, &catalog, &caller, &before, &mut issue, Vec::new())
            })
            .await?;
        Ok(())
    }

    pub async fn delete_issue(
        &self,
        caller: &Caller,
        r: &IssueRef,
        delete_subtasks: bool,
    ) -> Result<()> {
        let catalog = self.catalog.current();
        let caller = caller.clone();
        let r = r.clone();
        self.store
            .write(move |db| {
                let (issue, _, perms) = load_for_write(db, &catalog, &caller, &r)?;
                if !perms.has(Permission::DeleteIssues) {
                    return Err(Error::forbidden("You do not have permission to delete issues in this project.").into());
                }
                let subtasks = q::subtasks(db, issue.id)?;
                if !subtasks.is_empty() && !delete_subtasks {
                    return Err(Error::bad_request(format!(
                        "The issue '{}' has subtasks. Use the deleteSubtasks parameter to delete them too.",
                        issue.key
                    ))
                    .into());
                }
                let now = db.now();
                for s in &subtasks {
                    q::enqueue_index(db, s.id, now)?;
                }
                q::enqueue_index(db, issue.id, now)?;
                // Linked issues lose their links (and `issueLinkType` matches) with it.
                for gone in subtasks.iter().map(|s| s.id).chain([issue.id]) {
                    for l in crate::store::queries::links::of_issue(db, gone)? {
                        q::enqueue_index(db, l.source_id, now)?;
                        q::enqueue_index(db, l.dest_id, now)?;
                    }
                }
                q::delete(db, issue.id)
            })
            .await?;
        // Its attachments went with it; drop content no other attachment uses.
        self.blobs.sweep().await;
        Ok(())
    }

    /// Transitions the caller may take now.
    pub async fn transitions(&self, caller: &Caller, r: &IssueRef) -> Result<IssueView> {
        self.view_issue(Some(caller), r).await
    }

    /// `POST issue/{key}/transitions`: moves the issue and applies `fields`/`update` in
    /// the same transaction.
    pub async fn do_transition(
        &self,
        caller: &Caller,
        r: &IssueRef,
        transition: &str,
        change: IssueChange,
    ) -> Result<()> {
        let catalog = self.catalog.current();
        let caller = caller.clone();
        let r = r.clone();
        let transition = transition.to_string();
        self.store
            .write(move |db| {
                let (mut issue, project, perms) = load_for_write(db, &catalog, &caller, &r)?;
                if !perms.has(Permission::TransitionIssues) {
                    return Err(Error::forbidden(
                        "You do not have permission to transition this issue.",
                    )
                    .into());
                }
                let available = catalog.transitions_from(project.workflow_id, issue.status_id);
                let chosen = transition
                    .parse::<i64>()
                    .ok()
                    .and_then(|id| available.iter().find(|t| t.id == id))
                    .ok_or_else(|| {
                        Error::bad_request(format!(
                            "Transition id '{transition}' is not valid for this issue."
                        ))
                    })?;
                let before = issue.clone();
                let now = db.now();
                let from_done = catalog.is_done(issue.status_id);
                issue.status_id = chosen.to_status;
                let ctx = Ctx {
                    catalog: &catalog,
                    project: &project,
                    caller: &caller,
                    perms,
                    creating: false,
                    transition: true,
                };
                let comments = apply_all(db, &ctx, &mut issue, &change)?;
                let to_done = catalog.is_done(issue.status_id);
                // Entering a done status resolves the issue; leaving one clears the resolution.
                if to_done && issue.resolution_id.is_none() {
                    issue.resolution_id = catalog.default_resolution().map(|r| r.id);
                }
                if !to_done {
                    issue.resolution_id = None;
                }
                issue.resolution_date = match (from_done, to_done) {
                    (_, false) => None,
                    (false, true) => Some(now),
                    (true, true) => issue.resolution_date.or(Some(now)),
                };
                if catalog.category_of_status(before.status_id).map(|c| c.id)
                    != catalog.category_of_status(issue.status_id).map(|c| c.id)
                {
                    issue.status_changed = now;
                }
                save_change(db, &catalog, &caller, &before, &mut issue, comments)
            })
            .await?;
        Ok(())
    }

    pub async fn changelog(
        &self,
        caller: &Caller,
        r: &IssueRef,
        start_at: i64,
        max_results: i64,
    ) -> Result<(IssueView, Page<ChangeGroup>, HashMap<UserId, User>)> {
        let view = self.view_issue(Some(caller), r).await?;
        let id = view.issue.id;
        let catalog = self.catalog.current();
        let who = caller.clone();
        let (groups, total, users) = self
            .store
            .read(move |db| {
                let (mut groups, total) = cq::of_issue(db, id, start_at, max_results)?;
                // The total drops by what this page leaves out; other pages may hold more.
                let hidden = permissions::hide_unseen_links(db, &catalog, Some(&who), &mut groups)?;
                let total = total - hidden as i64;
                let ids: Vec<UserId> = groups.iter().filter_map(|g| g.author_id).collect();
                let users = uq::by_ids(db, &ids)?
                    .into_iter()
                    .map(|u| (u.id, u))
                    .collect::<HashMap<_, _>>();
                Ok((groups, total, users))
            })
            .await?;
        Ok((
            view,
            Page {
                start_at,
                max_results,
                total,
                items: groups,
            },
            users,
        ))
    }

    /// Change groups with the links to issues the caller may not browse left out (the
    /// activity stream reads the history without paging).
    pub async fn visible_history(
        &self,
        caller: &Caller,
        mut groups: Vec<ChangeGroup>,
    ) -> Result<Vec<ChangeGroup>> {
        let catalog = self.catalog.current();
        let who = caller.clone();
        Ok(self
            .store
            .read(move |db| {
                permissions::hide_unseen_links(db, &catalog, Some(&who), &mut groups)?;
                Ok(groups)
            })
            .await?)
    }

    /// `issue/picker`: issues whose key or summary matches, in browsable projects.
    pub async fn pick_issues(
        &self,
        caller: Option<&Caller>,
        query: &str,
        limit: i64,
    ) -> Result<Vec<Issue>> {
        let projects: Vec<i64> = self
            .permissions
            .browsable_projects(caller)
            .await?
            .into_iter()
            .map(|(p, _)| p.id.0)
            .collect();
        let query = query.trim().to_string();
        let caller = caller.cloned();
        Ok(self
            .store
            .read(move |db| {
                // Over-fetch so issues behind a security level rarely shorten the list.
                let mut out = Vec::new();
                for i in q::picker(db, &query, &projects, limit.saturating_mul(4) + 20)? {
                    if out.len() as i64 >= limit {
                        break;
                    }
                    if super::levels::can_see_issue(db, caller.as_ref(), &i)? {
                        out.push(i);
                    }
                }
                Ok(out)
            })
            .await?)
    }

    /// Projects (browsable, where the caller may create) for createmeta.
    pub async fn creatable_projects(&self, caller: &Caller) -> Result<Vec<Project>> {
        Ok(self
            .permissions
            .browsable_projects(Some(caller))
            .await?
            .into_iter()
            .filter(|(_, perms)| perms.has(Permission::CreateIssues))
            .map(|(p, _)| p)
            .collect())
    }
}

pub(super) fn load_for_write(
    db: &Db,
    catalog: &Catalog,
    caller: &Caller,
    r: &IssueRef,
) -> StoreResult<(Issue, Project, PermissionSet)> {
    let issue = q::by_ref(db, r)?.ok_or_else(Error::issue_not_found)?;
    let project = pq::by_id(db, issue.project_id)?.ok_or_else(Error::issue_not_found)?;
    let perms = caller_permissions(db, catalog, Some(caller), &project, Some(&issue))?;
    if !perms.has(Permission::BrowseProjects) {
        return Err(Error::issue_not_found().into());
    }
    Ok((issue, project, perms))
}

/// Applies a change to a loaded issue, failing with every field error at once.
fn apply_all(
    db: &Db,
    ctx: &Ctx<'_>,
    issue: &mut Issue,
    change: &IssueChange,
) -> StoreResult<Vec<PendingComment>> {
    let mut errors = BTreeMap::new();
    let comments = fields::apply(db, ctx, issue, change, &mut errors)?;
    match Error::from_fields(errors) {
        Some(e) => Err(e.into()),
        None => Ok(comments),
    }
}

/// Stores an edited issue with its changelog and outbox entry; no-op edits change nothing.
fn save_change(
    db: &Tx,
    catalog: &Catalog,
    caller: &Caller,
    before: &Issue,
    issue: &mut Issue,
    comments: Vec<PendingComment>,
) -> StoreResult<()> {
    let items = fields::diff(db, catalog, before, issue)?;
    if items.is_empty() && comments.is_empty() {
        return Ok(());
    }
    let now = db.now();
    issue.updated = now;
    q::update(db, issue)?;
    cq::record(db, issue.id, Some(caller.user.id), now, &items)?;
    for c in comments {
        insert_comment(db, issue.id, caller, c.body, now)?;
    }
    q::enqueue_index(db, issue.id, now)
}

pub(crate) fn insert_comment(
    db: &Tx,
    issue: IssueId,
    caller: &Caller,
    body: String,
    now: Millis,
) -> StoreResult<i64> {
    comq::insert(
        db,
        &Comment {
            id: 0,
            issue_id: issue,
            author_id: Some(caller.user.id),
            update_author_id: Some(caller.user.id),
            body,
            created: now,
            updated: now,
            visibility: None,
        },
    )
}
