//! User administration: updates (rename, email, display name, deactivation), bulk
//! lookups and the search for users holding a set of permissions.

use std::collections::BTreeMap;

use super::Service;
use crate::domain::audit::{AuditEntry, AuditItem, category};
use crate::domain::*;
use crate::error::{Error, Result};
use crate::service::audit::record;
use crate::service::permissions::caller_permissions;
use crate::service::users::UserRef;
use crate::service::users::check_user_fields;
use crate::service::{Caller, Permission};
use crate::store::queries::{users as uq, users_admin as q};

/// The fields `PUT user` may change; `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct UserChange {
    pub username: Option<String>,
    pub email: Option<String>,
    pub display_name: Option<String>,
    pub active: Option<bool>,
}

/// A page of users (`user/bulk`, `user/search/query`).
#[derive(Debug, Clone)]
pub struct UserPage {
    pub start: i64,
    pub max: i64,
    pub total: i64,
    pub users: Vec<User>,
}

impl UserPage {
    pub fn of(all: Vec<User>, start: i64, max: i64) -> UserPage {
        let total = all.len() as i64;
        UserPage {
            start,
            max,
            total,
            users: all
                .into_iter()
                .skip(start as usize)
                .take(max as usize)
                .collect(),
        }
    }
}

impl Service {
    /// `PUT user`: administrators change a user's name, email, display name or whether
    /// they are active. A deactivated user keeps their issues but cannot sign in.
    pub async fn update_user(
        &self,
        caller: &Caller,
        r: &UserRef,
        change: UserChange,
    ) -> Result<User> {
        self.permissions.require_admin(caller)?;
        let (user, _) = self.users.get_user(caller, r).await?;
        let username = change
            .username
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|| user.username.clone());
        let email = change
            .email
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|| user.email.clone());
        let display = change
            .display_name
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|| user.display_name.clone());
        let active = change.active.unwrap_or(user.active);
        let mut errors = BTreeMap::new();
        check_user_fields(&mut errors, &username, &email, &display);
        if !active && user.id == caller.user.id {
            errors.insert(
                "active".to_string(),
                "You cannot deactivate the user you are logged in as.".to_string(),
            );
        }
        if let Some(e) = Error::from_fields(errors) {
            return Err(e);
        }
        let caller = caller.clone();
        let before = user.clone();
        let updated = self
            .store
            .write(move |tx| {
                if !username.eq_ignore_ascii_case(&before.username)
                    && uq::by_username(tx, &username)?.is_some()
                {
                    return Err(
                        Error::field("name", "A user with that username already exists.").into(),
                    );
                }
                if !email.eq_ignore_ascii_case(&before.email) && uq::exists_login(tx, "", &email)?.1
                {
                    return Err(Error::field(
                        "emailAddress",
                        "A user with that email address already exists.",
                    )
                    .into());
                }
                q::update_user(
                    tx,
                    before.id,
                    &before.username,
                    &q::UserUpdate {
                        username: &username,
                        email: &email,
                        display_name: &display,
                        active,
                    },
                )?;
                let summary = match (before.active, active) {
                    (true, false) => "User deactivated",
                    (false, true) => "User reactivated",
                    _ => "User updated",
                };
                let entry = AuditEntry::new(
                    category::USER_MANAGEMENT,
                    summary,
                    AuditItem::user(&username),
                )
                .changed(
                    "Username",
                    Some(before.username.clone()),
                    Some(username.clone()),
                )
                .changed("Email", Some(before.email.clone()), Some(email.clone()))
                .changed(
                    "Full name",
                    Some(before.display_name.clone()),
                    Some(display.clone()),
                )
                .changed(
                    "Active",
                    Some(before.active.to_string()),
                    Some(active.to_string()),
                );
                record(tx, &caller, &entry)?;
                uq::by_id(tx, before.id)
            })
            .await?;
        updated.ok_or_else(Error::internal)
    }

    /// `user/bulk`: the live users named, in username order, a page at a time.
    pub async fn bulk_users(&self, names: Vec<String>, start: i64, max: i64) -> Result<UserPage> {
        let all = self
            .store
            .read(move |db| q::live_by_names(db, &names))
            .await?;
        Ok(UserPage::of(all, start, max))
    }

    /// `user/permission/search`: active users matching `query` who hold every one of
    /// `permissions` in the project (or on the issue). Project administrators of that
    /// project and global administrators may ask.
    pub async fn users_with_all_permissions(
        &self,
        caller: &Caller,
        permissions: &[String],
        project: Option<&ProjectRef>,
        issue: Option<&IssueRef>,
        query: &str,
        start: i64,
        max: i64,
    ) -> Result<Vec<User>> {
        let mut wanted = Vec::new();
        for p in permissions {
            match Permission::from_key(p.trim()) {
                Some(p) => wanted.push(p),
                None => {
                    return Err(Error::field(
                        "permissions",
                        format!("'{p}' is not a permission key."),
                    ));
                }
            }
        }
        if wanted.is_empty() {
            return Err(Error::field(
                "permissions",
                "Give at least one permission key.",
            ));
        }
        let (project, issue) = match (issue, project) {
            (Some(i), _) => {
                let v = self
                    .issues
                    .view_issue_with(Some(caller), i, crate::service::issues::ViewNeeds::NONE)
                    .await?;
                (v.project, Some(v.issue))
            }
            (None, Some(p)) => (self.projects.browse_project(Some(caller), p).await?.0, None),
            (None, None) => {
                return Err(Error::bad_request(
                    "The projectKey or issueKey query parameter is required.",
                ));
            }
        };
        let mine = self
            .permissions
            .project_permissions(Some(caller), &project)
            .await?;
        if !mine.has(Permission::AdministerProjects) && !self.permissions.is_admin(caller) {
            return Err(Error::forbidden(
                "You must be an administrator of the project to search its users by permission.",
            ));
        }
        let catalog = self.catalog.current();
        let needle = query.to_lowercase();
        let users = self
            .store
            .read(move |db| {
                let mut found = Vec::new();
                for u in q::live_users(db, false)? {
                    let matches = needle.is_empty()
                        || u.username.to_lowercase().contains(&needle)
                        || u.display_name.to_lowercase().contains(&needle)
                        || u.email.to_lowercase().contains(&needle);
                    if !matches {
                        continue;
                    }
                    let as_caller = Caller {
                        groups: uq::groups_of(db, u.id)?,
                        user: u.clone(),
                        grants: crate::auth::scopes::Grants::Full,
                        client: None,
                    };
                    let held = caller_permissions(
                        db,
                        &catalog,
                        Some(&as_caller),
                        &project,
                        issue.as_ref(),
                    )?;
                    if wanted.iter().all(|p| held.has(*p)) {
                        found.push(u);
                    }
                }
                Ok(found)
            })
            .await?;
        Ok(users
            .into_iter()
            .skip(start as usize)
            .take(max as usize)
            .collect())
    }
}
