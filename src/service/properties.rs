//! Entity properties: any JSON value under a key, attached to an issue, a comment, a
//! worklog, a project, an issue type, a user or a dashboard item. One table, one set of
//! rules; only who may read and write differs per kind:
//!
//! | owner | read | write |
//! |---|---|---|
//! | issue | browse | edit issues |
//! | comment, worklog | browse and see its visibility | edit own/all comments, worklogs |
//! | project | browse | administer the project |
//! | issue type | any signed-in user | administrators |
//! | user | the user or an administrator | the same |
//! | dashboard item | — (no dashboards yet: 404 naming the dashboard) | — |

use super::{catalog, permissions};
use crate::store::Store;
use std::sync::Arc;

use serde_json::Value;

use super::permissions::{caller_permissions, can_see_visibility};
use super::users::UserRef;
use super::{Caller, Permission};
use crate::domain::*;
use crate::error::{Error, Kind, Result};
use crate::store::StoreResult;
use crate::store::queries::{
    Db, comments as cq, issues as iq, projects as pq, properties as q, users as uq,
};

/// Largest stored property value, as Jira: 32 KiB of JSON.
pub const MAX_PROPERTY_BYTES: usize = 32_768;

#[derive(Debug, Clone)]
pub enum PropertyOwner {
    Issue(IssueRef),
    Comment(i64),
    Worklog(IssueRef, i64),
    Project(ProjectRef),
    IssueType(i64),
    /// `None`: the caller.
    User(Option<UserRef>),
    /// (dashboard id, item id)
    DashboardItem(String, String),
}

/// Whether a set created the property or replaced it.
pub enum SetOutcome {
    Created,
    Updated,
}

/// Resolves the owner to (entity type, entity id, issue for index updates) after checking
/// the caller may read it (and write it when `write`). `admin`: the caller administers Tessera.
fn resolve(
    db: &Db,
    app_catalog: &super::Catalog,
    caller: &Caller,
    owner: &PropertyOwner,
    write: bool,
    admin: bool,
) -> StoreResult<(&'static str, i64, Option<IssueId>)> {
    match owner {
        PropertyOwner::Issue(r) => {
            let issue = iq::by_ref(db, r)?.ok_or_else(Error::issue_not_found)?;
            let project = pq::by_id(db, issue.project_id)?.ok_or_else(Error::issue_not_found)?;
            let perms = caller_permissions(db, app_catalog, Some(caller), &project, Some(&issue))?;
            if !perms.has(Permission::BrowseProjects) {
                return Err(Error::issue_not_found().into());
            }
            if write && !perms.has(Permission::EditIssues) {
                return Err(
                    Error::forbidden("You do not have permission to edit this issue.").into(),
                );
            }
            Ok(("issue", issue.id.0, Some(issue.id)))
        }
        PropertyOwner::Comment(id) => {
            let missing = || Error::not_found(format!("Can not find a comment for the id: {id}."));
            let comment = cq::by_id(db, *id)?.ok_or_else(missing)?;
            let issue = iq::by_id(db, comment.issue_id)?.ok_or_else(missing)?;
            let project = pq::by_id(db, issue.project_id)?.ok_or_else(missing)?;
            let perms = caller_permissions(db, app_catalog, Some(caller), &project, Some(&issue))?;
            if !perms.has(Permission::BrowseProjects)
                || !can_see_visibility(db, Some(caller), &project, comment.visibility.as_ref())?
            {
                return Err(missing().into());
            }
            let own = comment.author_id == Some(caller.user.id);
            if write
                && !(perms.has(Permission::EditAllComments)
                    || own && perms.has(Permission::EditOwnComments))
            {
                return Err(Error::forbidden(
                    "You do not have the permission to edit this comment.",
                )
                .into());
            }
            Ok(("comment", comment.id, Some(issue.id)))
        }
        PropertyOwner::Worklog(r, id) => {
            let (issue, _, perms, w) =
                super::worklogs::load_worklog(db, app_catalog, caller, r, *id)?;
            let own = w.author_id == Some(caller.user.id);
            if write
                && !(perms.has(Permission::EditAllWorklogs)
                    || own && perms.has(Permission::EditOwnWorklogs))
            {
                return Err(Error::forbidden(
                    "You do not have the permission to edit this worklog.",
                )
                .into());
            }
            Ok(("worklog", w.id, Some(issue.id)))
        }
        PropertyOwner::Project(r) => {
            let missing = || Error::project_not_found(&r.as_text());
            let project = pq::by_ref(db, r)?.ok_or_else(missing)?;
            let perms = caller_permissions(db, app_catalog, Some(caller), &project, None)?;
            if !perms.has(Permission::BrowseProjects) {
                return Err(missing().into());
            }
            if write && !perms.has(Permission::AdministerProjects) {
                return Err(Error::forbidden(
                    "You do not have the permission to administer this project.",
                )
                .into());
            }
            Ok(("project", project.id.0, None))
        }
        PropertyOwner::IssueType(id) => {
            if app_catalog.issue_type(*id).is_none() {
                return Err(Error::not_found(format!(
                    "The issue type with id '{id}' does not exist."
                ))
                .into());
            }
            if write && !admin {
                return Err(Error::forbidden(
                    "Only administrators may change issue type properties.",
                )
                .into());
            }
            Ok(("issuetype", *id, None))
        }
        PropertyOwner::User(r) => {
            let user = match r {
                None => Some(caller.user.clone()),
                Some(UserRef::AccountId(a)) => uq::by_account_id(db, a)?,
                Some(UserRef::Username(u)) => uq::by_username(db, u)?,
            };
            let user = user.ok_or_else(|| Error::not_found("The user does not exist."))?;
            if user.id != caller.user.id && !admin {
                return Err(Error::forbidden(
                    "Only the user and administrators may access the user's properties.",
                )
                .into());
            }
            Ok(("user", user.id.0, None))
        }
        PropertyOwner::DashboardItem(dashboard, _) => Err(Error::not_found(format!(
            "The dashboard with id '{dashboard}' does not exist: Tessera has no dashboards yet."
        ))
        .into()),
    }
}

fn check_key(key: &str) -> Result<()> {
    if key.is_empty() || key.chars().count() > 255 {
        return Err(Error::bad_request(
            "The property key must be 1 to 255 characters long.",
        ));
    }
    Ok(())
}

fn missing_property(key: &str) -> Error {
    Error::not_found(format!("The property with key '{key}' does not exist."))
}

/// Entity properties of issues, projects, comments, worklogs, users.
pub struct Service {
    store: Store,
    catalog: Arc<catalog::Service>,
    permissions: Arc<permissions::Service>,
}

impl Service {
    pub(super) fn new(
        store: Store,
        catalog: Arc<catalog::Service>,
        permissions: Arc<permissions::Service>,
    ) -> Service {
        Service {
            store,
            catalog,
            permissions,
        }
    }
}

impl Service {
    pub async fn property_keys(
        &self,
        caller: &Caller,
        owner: PropertyOwner,
    ) -> Result<Vec<String>> {
        let catalog = self.catalog.current();
        let admin = self.permissions.is_admin(caller);
        let caller = caller.clone();
        Ok(self
            .store
            .read(move |db| {
                let (kind, id, _) = resolve(db, &catalog, &caller, &owner, false, admin)?;
                q::keys(db, kind, id)
            })
            .await?)
    }

    pub async fn property(
        &self,
        caller: &Caller,
        owner: PropertyOwner,
        key: &str,
    ) -> Result<Value> {
        check_key(key)?;
        let catalog = self.catalog.current();
        let admin = self.permissions.is_admin(caller);
        let caller = caller.clone();
        let k = key.to_string();
        let raw = self
            .store
            .read(move |db| {
                let (kind, id, _) = resolve(db, &catalog, &caller, &owner, false, admin)?;
                q::get(db, kind, id, &k)
            })
            .await?
            .ok_or_else(|| missing_property(key))?;
        serde_json::from_str(&raw).map_err(|_| Error::internal())
    }

    pub async fn set_property(
        &self,
        caller: &Caller,
        owner: PropertyOwner,
        key: &str,
        value: Value,
    ) -> Result<SetOutcome> {
        check_key(key)?;
        let raw = value.to_string();
        if raw.len() > MAX_PROPERTY_BYTES {
            return Err(Error::new(
                Kind::BadRequest,
                format!(
                    "The property value is too large: {} bytes, the limit is {MAX_PROPERTY_BYTES}.",
                    raw.len()
                ),
            ));
        }
        let catalog = self.catalog.current();
        let admin = self.permissions.is_admin(caller);
        let caller = caller.clone();
        let k = key.to_string();
        let created = self
            .store
            .write(move |db| {
                let (kind, id, issue) = resolve(db, &catalog, &caller, &owner, true, admin)?;
                let created = q::set(db, kind, id, &k, &raw)?;
                if let Some(issue) = issue {
                    iq::enqueue_index(db, issue, db.now())?;
                }
                Ok(created)
            })
            .await?;
        Ok(if created {
            SetOutcome::Created
        } else {
            SetOutcome::Updated
        })
    }

    pub async fn delete_property(
        &self,
        caller: &Caller,
        owner: PropertyOwner,
        key: &str,
    ) -> Result<()> {
        check_key(key)?;
        let catalog = self.catalog.current();
        let admin = self.permissions.is_admin(caller);
        let caller = caller.clone();
        let k = key.to_string();
        let deleted = self
            .store
            .write(move |db| {
                let (kind, id, issue) = resolve(db, &catalog, &caller, &owner, true, admin)?;
                let deleted = q::delete(db, kind, id, &k)?;
                if deleted && let Some(issue) = issue {
                    iq::enqueue_index(db, issue, db.now())?;
                }
                Ok(deleted)
            })
            .await?;
        if deleted {
            Ok(())
        } else {
            Err(missing_property(key))
        }
    }

    /// Properties of an issue for `GET issue?properties=`: (key, value) for the given keys
    /// (`*all` for every key).
    pub async fn issue_properties(
        &self,
        issue: IssueId,
        wanted: Vec<String>,
    ) -> Result<Vec<(String, Value)>> {
        let all = wanted.iter().any(|w| w == "*all");
        Ok(self
            .store
            .read(move |db| {
                let mut out = Vec::new();
                for key in q::keys(db, "issue", issue.0)? {
                    let take =
                        (all || wanted.contains(&key)) && !wanted.contains(&format!("-{key}"));
                    if take && let Some(raw) = q::get(db, "issue", issue.0, &key)? {
                        out.push((key, serde_json::from_str(&raw).unwrap_or(Value::Null)));
                    }
                }
                Ok(out)
            })
            .await?)
    }
}
