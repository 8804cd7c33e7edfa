//! Notification schemes and application roles, read as Jira Data Center serves them.
//! Administrators see every scheme; a project administrator sees the schemes of the
//! projects they administer (Jira's rule for `notificationscheme`).

use std::sync::Arc;

use crate::domain::notifications::{ApplicationRole, NotificationScheme};
use crate::domain::*;
use crate::error::{Error, Result};
use crate::service::{Caller, Permission, permissions, projects};
use crate::store::Store;
use crate::store::queries::notifications as q;

pub struct Service {
    store: Store,
    permissions: Arc<permissions::Service>,
    projects: Arc<projects::Service>,
}

impl Service {
    pub(crate) fn new(
        store: Store,
        permissions: Arc<permissions::Service>,
        projects: Arc<projects::Service>,
    ) -> Service {
        Service {
            store,
            permissions,
            projects,
        }
    }

    /// The schemes the caller may read, in id order.
    pub async fn schemes(&self, caller: &Caller) -> Result<Vec<NotificationScheme>> {
        let all = self.store.read(q::schemes).await?;
        if self.permissions.is_admin(caller) {
            return Ok(all);
        }
        let administered: Vec<ProjectId> = self
            .permissions
            .browsable_projects(Some(caller))
            .await?
            .into_iter()
            .filter(|(_, perms)| perms.has(Permission::AdministerProjects))
            .map(|(p, _)| p.id)
            .collect();
        let ids = self
            .store
            .read(move |db| q::schemes_of_projects(db, &administered))
            .await?;
        Ok(all.into_iter().filter(|s| ids.contains(&s.id)).collect())
    }

    pub async fn scheme(&self, caller: &Caller, id: i64) -> Result<NotificationScheme> {
        self.schemes(caller)
            .await?
            .into_iter()
            .find(|s| s.id == id)
            .ok_or_else(|| {
                Error::not_found(format!("Notification scheme with id {id} does not exist."))
            })
    }

    /// The scheme a project uses; for its administrators.
    pub async fn project_scheme(
        &self,
        caller: &Caller,
        r: &ProjectRef,
    ) -> Result<NotificationScheme> {
        let project = self.projects.admin_project(caller, r).await?;
        let all = self.store.read(q::schemes).await?;
        let id = self
            .store
            .read(move |db| q::scheme_of_project(db, project.id))
            .await?;
        all.into_iter()
            .find(|s| s.id == id)
            .ok_or_else(Error::internal)
    }

    /// Application roles; for administrators.
    pub async fn application_roles(&self, caller: &Caller) -> Result<Vec<ApplicationRole>> {
        self.permissions.require_admin(caller)?;
        Ok(self.store.read(q::application_roles).await?)
    }
}
