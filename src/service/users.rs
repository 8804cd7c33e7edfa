//! Users and groups.

use super::{catalog, permissions};
use crate::auth;
use crate::store::Store;
use std::sync::Arc;

use super::{Caller, Permission};
use crate::domain::audit::{AuditEntry, AuditItem, category};
use crate::domain::*;
use crate::error::{Error, Result};
use crate::store::queries::{projects as pq, users as q, users_admin as aq};

pub struct NewUserInput {
    pub username: String,
    pub email: String,
    pub display_name: String,
    pub password: Option<String>,
    pub admin: bool,
}

/// How a client names a user: Jira DC sends `username`/`key`, Cloud sends `accountId`.
#[derive(Debug, Clone)]
pub enum UserRef {
    AccountId(String),
    Username(String),
}

/// Users and groups.
pub struct Service {
    store: Store,
    catalog: Arc<catalog::Service>,
    permissions: Arc<permissions::Service>,
    auth: Arc<auth::Service>,
}

impl Service {
    pub(super) fn new(
        store: Store,
        catalog: Arc<catalog::Service>,
        permissions: Arc<permissions::Service>,
        auth: Arc<auth::Service>,
    ) -> Service {
        Service {
            store,
            catalog,
            permissions,
            auth,
        }
    }
}

impl Service {
    /// Creates a user (administrators only, or the CLI with `caller = None`).
    pub async fn create_user(&self, caller: Option<&Caller>, input: NewUserInput) -> Result<User> {
        if let Some(c) = caller {
            self.permissions.require_admin(c)?;
        }
        let username = input.username.trim().to_string();
        let email = input.email.trim().to_string();
        let display = input.display_name.trim().to_string();
        let mut errors = std::collections::BTreeMap::new();
        check_user_fields(&mut errors, &username, &email, &display);
        if let Some(p) = &input.password
            && p.is_empty()
        {
            errors.insert(
                "password".to_string(),
                "The password must not be empty.".to_string(),
            );
        }
        if let Some(e) = Error::from_fields(errors) {
            return Err(e);
        }
        let hash = match input.password {
            Some(p) => Some(
                tokio::task::spawn_blocking(move || crate::auth::hash_password(&p))
                    .await
                    .map_err(|_| Error::internal())??,
            ),
            None => None,
        };
        let admin = input.admin;
        let auditor = caller.cloned();
        let user = self
            .store
            .write(move |db| {
                let (name_taken, mail_taken) = q::exists_login(db, &username, &email)?;
                if name_taken {
                    return Err(
                        Error::field("name", "A user with that username already exists.").into(),
                    );
                }
                if mail_taken {
                    return Err(Error::field(
                        "emailAddress",
                        "A user with that email address already exists.",
                    )
                    .into());
                }
                let account_id = crate::auth::new_account_id();
                let id = q::insert(
                    db,
                    &q::NewUser {
                        account_id: &account_id,
                        username: &username,
                        email: &email,
                        display_name: &display,
                        password_hash: hash.as_deref(),
                        created: db.now().0,
                    },
                )?;
                let mut groups = vec!["jira-users"];
                if admin {
                    groups.push("jira-administrators");
                }
                for g in &groups {
                    if let Some(gid) = q::group_id(db, g)? {
                        q::add_to_group(db, gid, id)?;
                    }
                }
                if let Some(c) = &auditor {
                    let entry = AuditEntry::new(
                        category::USER_MANAGEMENT,
                        "User created",
                        AuditItem::user(&username),
                    )
                    .changed("Username", None::<String>, Some(username.clone()))
                    .changed("Email", None::<String>, Some(email.clone()))
                    .changed("Full name", None::<String>, Some(display.clone()))
                    .changed("Groups", None::<String>, Some(groups.join(", ")));
                    super::audit::record(db, c, &entry)?;
                }
                q::by_id(db, id)
            })
            .await?;
        user.ok_or_else(Error::internal)
    }

    /// Sets a user's password: the user themself, an administrator, or the CLI.
    pub async fn set_password(
        &self,
        caller: Option<&Caller>,
        user: UserId,
        password: &str,
    ) -> Result<()> {
        if let Some(c) = caller
            && c.user.id != user
        {
            self.permissions.require_admin(c)?;
        }
        if password.chars().count() < 8 {
            return Err(Error::field(
                "password",
                "The password must be at least 8 characters long.",
            ));
        }
        let password = password.to_string();
        let hash = tokio::task::spawn_blocking(move || crate::auth::hash_password(&password))
            .await
            .map_err(|_| Error::internal())??;
        self.store
            .write(move |db| q::set_password_hash(db, user, &hash))
            .await?;
        Ok(())
    }

    /// Changes the caller's own password after checking the current one.
    pub async fn change_own_password(
        &self,
        caller: &Caller,
        current: &str,
        new: &str,
    ) -> Result<()> {
        let login = caller.user.username.clone();
        self.auth
            .authenticate(crate::auth::Credentials::Basic {
                login,
                secret: current.to_string(),
            })
            .await
            .map_err(|_| Error::field("currentPassword", "The current password is incorrect."))?;
        self.set_password(Some(caller), caller.user.id, new).await
    }

    pub async fn user_by_ref(&self, r: &UserRef) -> Result<Option<User>> {
        let r = r.clone();
        Ok(self
            .store
            .read(move |db| match &r {
                UserRef::AccountId(a) => q::by_account_id(db, a),
                UserRef::Username(u) => match q::by_username(db, u)? {
                    Some(u) => Ok(Some(u)),
                    None => q::by_account_id(db, u),
                },
            })
            .await?)
    }

    /// A user a caller may look at; 404 in Jira's words otherwise.
    pub async fn get_user(&self, caller: &Caller, r: &UserRef) -> Result<(User, Vec<String>)> {
        let _ = caller;
        let user = self.user_by_ref(r).await?;
        // A deleted user's row stays for what names them, but they are gone for lookups.
        let user = match user {
            Some(u) if !self.is_deleted(u.id).await? => Some(u),
            _ => None,
        };
        let user = user.ok_or_else(|| {
            let what = match r {
                UserRef::AccountId(a) => format!("The user with account ID '{a}' does not exist."),
                UserRef::Username(u) => format!("The user named '{u}' does not exist."),
            };
            Error::not_found(what)
        })?;
        let id = user.id;
        let groups = self.store.read(move |db| q::groups_of(db, id)).await?;
        Ok((user, groups))
    }

    async fn is_deleted(&self, id: UserId) -> Result<bool> {
        Ok(self.store.read(move |db| aq::is_deleted(db, id)).await?)
    }

    pub async fn users_by_ids(&self, ids: Vec<UserId>) -> Result<Vec<User>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(self.store.read(move |db| q::by_ids(db, &ids)).await?)
    }

    /// `user/search` and `user/picker`: needs the "Browse users" global permission.
    pub async fn search_users(
        &self,
        caller: &Caller,
        query: &str,
        include_inactive: bool,
        start: i64,
        max: i64,
    ) -> Result<Vec<User>> {
        if !self
            .permissions
            .global_permissions(Some(caller))
            .has(Permission::UserPicker)
        {
            return Err(Error::forbidden(
                "You do not have the permission to browse users.",
            ));
        }
        let query = query.to_string();
        Ok(self
            .store
            .read(move |db| q::search(db, &query, include_inactive, max, start))
            .await?)
    }

    /// Users who hold `permission` in the project and match `query`.
    pub async fn users_with_permission(
        &self,
        project: &Project,
        permission: Permission,
        query: &str,
        max: i64,
    ) -> Result<Vec<User>> {
        let roles: Vec<i64> = self
            .catalog
            .current()
            .grants
            .iter()
            .filter(|g| {
                g.scheme_id == project.permission_scheme_id
                    && g.permission == permission.key()
                    && g.holder_type == "projectRole"
            })
            .filter_map(|g| g.holder_param.as_deref().and_then(|p| p.parse().ok()))
            .collect();
        let pid = project.id;
        let lead_holds = self.catalog.current().grants.iter().any(|g| {
            g.scheme_id == project.permission_scheme_id
                && g.permission == permission.key()
                && g.holder_type == "projectLead"
        });
        let lead = project.lead_id;
        let query = query.to_lowercase();
        let users = self
            .store
            .read(move |db| {
                let mut ids = pq::users_in_roles(db, pid, &roles)?;
                if lead_holds && !ids.contains(&lead) {
                    ids.push(lead);
                }
                q::by_ids(db, &ids)
            })
            .await?;
        let mut users: Vec<User> = users
            .into_iter()
            // Deactivated users cannot be assigned or picked.
            .filter(|u| u.active)
            .filter(|u| {
                query.is_empty()
                    || u.username.to_lowercase().contains(&query)
                    || u.display_name.to_lowercase().contains(&query)
                    || u.email.to_lowercase().contains(&query)
            })
            .collect();
        users.sort_by_key(|a| a.display_name.to_lowercase());
        users.truncate(max.max(0) as usize);
        Ok(users)
    }

    pub async fn delete_user(&self, caller: &Caller, r: &UserRef) -> Result<()> {
        self.permissions.require_admin(caller)?;
        let (user, _) = self.get_user(caller, r).await?;
        if user.id == caller.user.id {
            return Err(Error::bad_request(
                "You cannot delete the user you are logged in as.",
            ));
        }
        let id = user.id;
        let caller = caller.clone();
        self.store
            .write(move |db| {
                if q::leads_projects(db, id)? {
                    return Err(Error::bad_request(
                        "The user is the lead of a project and cannot be deleted.",
                    )
                    .into());
                }
                // The row stays as a tombstone: issues, comments, worklogs and history
                // keep rendering the former user (Jira DC keeps their name).
                aq::tombstone(db, id, &user.username)?;
                let entry = AuditEntry::new(
                    category::USER_MANAGEMENT,
                    "User deleted",
                    AuditItem::user(&user.username),
                )
                .changed("Username", Some(user.username.clone()), None::<String>);
                super::audit::record(db, &caller, &entry)?;
                Ok(())
            })
            .await?;
        Ok(())
    }

    pub async fn group_add_user(&self, caller: &Caller, group: &str, user: &UserRef) -> Result<()> {
        self.permissions.require_admin(caller)?;
        let (user, _) = self.get_user(caller, user).await?;
        let group = group.to_string();
        let caller = caller.clone();
        self.store
            .write(move |db| {
                let gid = q::group_id(db, &group)?
                    .ok_or_else(|| Error::not_found(format!("Group '{group}' does not exist.")))?;
                if q::add_to_group(db, gid, user.id)? {
                    let entry = AuditEntry::new(
                        category::GROUP_MANAGEMENT,
                        "User added to group",
                        AuditItem::group(&group),
                    )
                    .associated(AuditItem::user(&user.username));
                    super::audit::record(db, &caller, &entry)?;
                }
                Ok(())
            })
            .await?;
        Ok(())
    }

    pub async fn group_remove_user(
        &self,
        caller: &Caller,
        group: &str,
        user: &UserRef,
    ) -> Result<()> {
        self.permissions.require_admin(caller)?;
        let (user, _) = self.get_user(caller, user).await?;
        let group = group.to_string();
        let caller = caller.clone();
        self.store
            .write(move |db| {
                let gid = q::group_id(db, &group)?
                    .ok_or_else(|| Error::not_found(format!("Group '{group}' does not exist.")))?;
                if !q::remove_from_group(db, gid, user.id)? {
                    return Err(Error::bad_request(format!(
                        "The user is not a member of group '{group}'."
                    ))
                    .into());
                }
                let entry = AuditEntry::new(
                    category::GROUP_MANAGEMENT,
                    "User removed from group",
                    AuditItem::group(&group),
                )
                .associated(AuditItem::user(&user.username));
                super::audit::record(db, &caller, &entry)?;
                Ok(())
            })
            .await?;
        Ok(())
    }

    pub async fn create_group(&self, caller: &Caller, name: &str) -> Result<()> {
        self.permissions.require_admin(caller)?;
        let name = name.trim().to_string();
        if name.is_empty() {
            return Err(Error::field("name", "You must specify a group name."));
        }
        let caller = caller.clone();
        self.store
            .write(move |db| {
                if q::group_id(db, &name)?.is_some() {
                    return Err(Error::bad_request(format!(
                        "A group with name '{name}' already exists."
                    ))
                    .into());
                }
                q::create_group(db, &name)?;
                let entry = AuditEntry::new(
                    category::GROUP_MANAGEMENT,
                    "Group created",
                    AuditItem::group(&name),
                );
                super::audit::record(db, &caller, &entry)?;
                Ok(())
            })
            .await?;
        Ok(())
    }
}

impl Service {
    /// Users by id, for rendering the authors and actors of a list of things.
    pub async fn users_map(
        &self,
        ids: Vec<UserId>,
    ) -> Result<std::collections::HashMap<UserId, User>> {
        Ok(self
            .store
            .read(move |db| q::by_ids(db, &ids))
            .await?
            .into_iter()
            .map(|u| (u.id, u))
            .collect())
    }
}

/// The field errors a user's name, email address and full name give, in Jira's words;
/// shared by create and update.
pub(crate) fn check_user_fields(
    errors: &mut std::collections::BTreeMap<String, String>,
    username: &str,
    email: &str,
    display: &str,
) {
    if username.is_empty()
        || username.len() > 255
        || username.chars().any(|c| c.is_whitespace() || c == ':')
    {
        errors.insert(
            "name".to_string(),
            "The username must be 1 to 255 characters without spaces or ':'.".to_string(),
        );
    }
    if !email.contains('@') || email.len() > 255 {
        errors.insert(
            "emailAddress".to_string(),
            "You must specify a valid email address.".to_string(),
        );
    }
    if display.is_empty() {
        errors.insert(
            "displayName".to_string(),
            "You must specify a full name.".to_string(),
        );
    }
}
