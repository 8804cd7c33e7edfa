//! The user directory's administration: groups (get, delete with a swap group, member
//! pages, pickers), user updates and deactivation, bulk lookups, the structured
//! `user/search/query`, the permission search, and each user's preferences.
//!
//! Creating users and groups and adding members stay in `service::users`, which the
//! authentication and project services also use; this service sits above the issues and
//! projects services because its queries name issues and projects.

mod groups;
mod preferences;
mod query;
mod users;

pub use groups::{GroupPage, GroupView, PickedGroups};
pub use preferences::DEFAULT_LOCALE;
pub use users::{UserChange, UserPage};

use std::sync::Arc;

use super::{Caller, Permission, catalog, issues, permissions, projects};
use crate::error::{Error, Result};
use crate::store::Store;

/// Groups, user administration, user queries and preferences.
pub struct Service {
    store: Store,
    catalog: Arc<catalog::Service>,
    permissions: Arc<permissions::Service>,
    users: Arc<super::users::Service>,
    issues: Arc<issues::Service>,
    projects: Arc<projects::Service>,
}

impl Service {
    pub(super) fn new(
        store: Store,
        catalog: Arc<catalog::Service>,
        permissions: Arc<permissions::Service>,
        users: Arc<super::users::Service>,
        issues: Arc<issues::Service>,
        projects: Arc<projects::Service>,
    ) -> Service {
        Service {
            store,
            catalog,
            permissions,
            users,
            issues,
            projects,
        }
    }

    /// Pickers and searches over users and groups need "Browse users and groups".
    fn require_user_picker(&self, caller: &Caller) -> Result<()> {
        if self
            .permissions
            .global_permissions(Some(caller))
            .has(Permission::UserPicker)
        {
            Ok(())
        } else {
            Err(Error::forbidden(
                "You do not have the permission to browse users and groups.",
            ))
        }
    }
}

/// The largest page a user search answers, as Jira caps it.
pub const MAX_USERS: i64 = 1000;
