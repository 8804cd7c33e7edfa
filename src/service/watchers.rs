//! Watchers and votes of an issue. Neither changes the issue (no changelog, `updated`
//! stays, as in Jira), but both reach the search index (`watcher`, `voter`, `votes`).

use super::catalog;
use crate::store::Store;
use std::sync::Arc;

use super::permissions::{caller_permissions, user_permissions};
use super::users::UserRef;
use super::{Caller, Catalog, Permission, PermissionSet};
use crate::domain::*;
use crate::error::{Error, Kind, Result};
use crate::store::StoreResult;
use crate::store::queries::{
    Db, Tx, issues as iq, projects as pq, users as uq, watchers as q, watchers::UserSet,
};

/// Watchers or voters of an issue as the caller may see them.
#[derive(Debug, Clone)]
pub struct UserSetView {
    pub issue: Issue,
    pub count: i64,
    /// Whether the caller is in the set.
    pub includes_caller: bool,
    /// The users, when the caller may view voters and watchers; empty otherwise.
    pub users: Vec<User>,
}

/// Reporter and creator watch a new issue, as Jira's auto-watch does.
pub(crate) fn auto_watch(db: &Tx, issue: &Issue) -> StoreResult<()> {
    for user in [issue.reporter_id, issue.creator_id].into_iter().flatten() {
        q::add(db, UserSet::Watchers, issue.id, user)?;
    }
    Ok(())
}

/// (count, caller is in it) of watchers or voters, for the `watches`/`votes` fields.
pub(crate) fn summary(
    db: &Db,
    set: UserSet,
    issue: IssueId,
    caller: Option<&Caller>,
) -> StoreResult<(i64, bool)> {
    let ids = q::of_issue(db, set, issue)?;
    let mine = caller.is_some_and(|c| ids.contains(&c.user.id));
    Ok((ids.len() as i64, mine))
}

fn load(
    db: &Db,
    catalog: &Catalog,
    caller: &Caller,
    r: &IssueRef,
) -> StoreResult<(Issue, Project, PermissionSet)> {
    let issue = iq::by_ref(db, r)?.ok_or_else(Error::issue_not_found)?;
    let project = pq::by_id(db, issue.project_id)?.ok_or_else(Error::issue_not_found)?;
    let perms = caller_permissions(db, catalog, Some(caller), &project, Some(&issue))?;
    if !perms.has(Permission::BrowseProjects) {
        return Err(Error::issue_not_found().into());
    }
    Ok((issue, project, perms))
}

fn find_user(db: &Db, who: &UserRef) -> StoreResult<User> {
    let found = match who {
        UserRef::AccountId(a) => uq::by_account_id(db, a)?,
        UserRef::Username(u) => match uq::by_username(db, u)? {
            Some(u) => Some(u),
            None => uq::by_account_id(db, u)?,
        },
    };
    found.ok_or_else(|| {
        let what = match who {
            UserRef::AccountId(a) => format!("The user with account ID '{a}' does not exist."),
            UserRef::Username(u) => format!("The user named '{u}' does not exist."),
        };
        Error::not_found(what).into()
    })
}

fn no_manage_permission() -> Error {
    // The reference answers 401 when the caller may not manage watchers.
    Error::new(
        Kind::Unauthenticated,
        "You do not have the permission to manage the watcher list.",
    )
}

/// Watchers and votes.
pub struct Service {
    store: Store,
    catalog: Arc<catalog::Service>,
}

impl Service {
    pub(super) fn new(store: Store, catalog: Arc<catalog::Service>) -> Service {
        Service { store, catalog }
    }
}

impl Service {
    async fn user_set(&self, caller: &Caller, r: &IssueRef, set: UserSet) -> Result<UserSetView> {
        let catalog = self.catalog.current();
        let caller = caller.clone();
        let r = r.clone();
        Ok(self
            .store
            .read(move |db| {
                let (issue, _, perms) = load(db, &catalog, &caller, &r)?;
                let ids = q::of_issue(db, set, issue.id)?;
                let users = if perms.has(Permission::ViewVotersAndWatchers) {
                    uq::by_ids(db, &ids)?
                } else {
                    Vec::new()
                };
                // Keep the order in which they joined.
                let users = ids
                    .iter()
                    .filter_map(|id| users.iter().find(|u| u.id == *id).cloned())
                    .collect();
                Ok(UserSetView {
                    count: ids.len() as i64,
                    includes_caller: ids.contains(&caller.user.id),
                    issue,
                    users,
                })
            })
            .await?)
    }

    /// 404 while voting is switched off (`jira.option.voting`), as Jira answers.
    fn require_voting(&self) -> Result<()> {
        if self.catalog.current().settings.voting() {
            Ok(())
        } else {
            Err(Error::not_found("Voting is disabled on this instance."))
        }
    }

    /// 404 while watching is switched off (`jira.option.watching`).
    fn require_watching(&self) -> Result<()> {
        if self.catalog.current().settings.watching() {
            Ok(())
        } else {
            Err(Error::not_found("Watching is disabled on this instance."))
        }
    }

    /// `GET issue/{key}/watchers`
    pub async fn watchers(&self, caller: &Caller, r: &IssueRef) -> Result<UserSetView> {
        self.require_watching()?;
        self.user_set(caller, r, UserSet::Watchers).await
    }

    /// `GET issue/{key}/votes`
    pub async fn votes(&self, caller: &Caller, r: &IssueRef) -> Result<UserSetView> {
        self.require_voting()?;
        self.user_set(caller, r, UserSet::Voters).await
    }

    /// `POST issue/{key}/watchers`: the caller (no user given) or another user, which
    /// needs Manage Watchers; the watcher must be able to browse the issue.
    pub async fn add_watcher(
        &self,
        caller: &Caller,
        r: &IssueRef,
        who: Option<UserRef>,
    ) -> Result<()> {
        self.require_watching()?;
        self.change_watcher(caller, r, who, true).await
    }

    /// `DELETE issue/{key}/watchers?username=|accountId=`
    pub async fn remove_watcher(&self, caller: &Caller, r: &IssueRef, who: UserRef) -> Result<()> {
        self.require_watching()?;
        self.change_watcher(caller, r, Some(who), false).await
    }

    async fn change_watcher(
        &self,
        caller: &Caller,
        r: &IssueRef,
        who: Option<UserRef>,
        add: bool,
    ) -> Result<()> {
        let catalog = self.catalog.current();
        let caller = caller.clone();
        let r = r.clone();
        self.store
            .write(move |db| {
                let (issue, project, perms) = load(db, &catalog, &caller, &r)?;
                let user = match &who {
                    None => caller.user.clone(),
                    Some(w) => find_user(db, w)?,
                };
                if user.id != caller.user.id && !perms.has(Permission::ManageWatchers) {
                    return Err(no_manage_permission().into());
                }
                if add {
                    let theirs = user_permissions(db, &catalog, &user, &project)?;
                    if !theirs.has(Permission::BrowseProjects) {
                        return Err(Error::bad_request(format!(
                            "The user \"{}\" does not have permission to view this issue. This user will not be added to the watch list.",
                            user.username
                        ))
                        .into());
                    }
                    if !user.active {
                        return Err(Error::bad_request(format!(
                            "The user \"{}\" is inactive and cannot watch issues.",
                            user.username
                        ))
                        .into());
                    }
                    q::add(db, UserSet::Watchers, issue.id, user.id)?;
                } else {
                    q::remove(db, UserSet::Watchers, issue.id, user.id)?;
                }
                iq::enqueue_index(db, issue.id, db.now())
            })
            .await?;
        Ok(())
    }

    /// `POST issue/{key}/votes`: the caller votes; never on their own or a resolved issue.
    pub async fn add_vote(&self, caller: &Caller, r: &IssueRef) -> Result<()> {
        self.require_voting()?;
        self.change_vote(caller, r, true).await
    }

    /// `DELETE issue/{key}/votes`
    pub async fn remove_vote(&self, caller: &Caller, r: &IssueRef) -> Result<()> {
        self.require_voting()?;
        self.change_vote(caller, r, false).await
    }

    async fn change_vote(&self, caller: &Caller, r: &IssueRef, add: bool) -> Result<()> {
        let catalog = self.catalog.current();
        let caller = caller.clone();
        let r = r.clone();
        self.store
            .write(move |db| {
                let (issue, _, _) = load(db, &catalog, &caller, &r)?;
                if issue.reporter_id == Some(caller.user.id) {
                    return Err(Error::not_found(if add {
                        "You cannot vote for an issue you have reported."
                    } else {
                        "You cannot remove a vote from an issue you have reported."
                    })
                    .into());
                }
                if add {
                    if issue.resolution_id.is_some() {
                        return Err(
                            Error::not_found("You cannot vote on a resolved issue.").into()
                        );
                    }
                    q::add(db, UserSet::Voters, issue.id, caller.user.id)?;
                } else if !q::remove(db, UserSet::Voters, issue.id, caller.user.id)? {
                    return Err(Error::not_found(
                        "Cannot remove a vote for an issue that the user has not already voted for.",
                    )
                    .into());
                }
                iq::enqueue_index(db, issue.id, db.now())
            })
            .await?;
        Ok(())
    }
}
