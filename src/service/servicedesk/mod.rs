//! Jira Service Management over the tracker's own issues (`app.servicedesk`): service
//! desks of `service_desk` projects, request types, customer requests (issues raised
//! through a desk), their comments (public or internal), participants, status,
//! transitions, notifications, feedback and SLAs; customers, organizations and queues.
//!
//! Who sees what is not decided here: a desk is visible to whoever may browse its
//! project, and a request to whoever may browse its issue. `service/levels.rs` narrows
//! a customer-only caller to their own requests, so every surface (this one, Jira REST,
//! JQL counts, v1, Yandex, the web UI) answers them alike.

mod approvals;
mod downloads;
mod files;
mod people;
mod requests;
mod sharing;
mod sla;
mod types;

use std::sync::Arc;

use super::{
    Caller, Permission, attachments, catalog, comments, issues, permissions, search, users,
};
use crate::domain::servicedesk::*;
use crate::domain::*;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::queries::{projects as pq, servicedesk as q};

pub use files::{RequestAttachments, TemporaryFile};
pub use requests::{
    CommentPage, INTERNAL, NewRequest, RequestFilter, RequestOwnership, RequestStatusFilter,
    RequestView, StatusChange,
};
pub use sla::{SlaCycle, SlaMetric};
pub use types::PropertyOwner;

pub struct Service {
    store: Store,
    catalog: Arc<catalog::Service>,
    permissions: Arc<permissions::Service>,
    issues: Arc<issues::Service>,
    comments: Arc<comments::Service>,
    users: Arc<users::Service>,
    search: Arc<search::Service>,
    attachments: Arc<attachments::Service>,
    /// Files sent to `attachTemporaryFile`, waiting for `request/{key}/attachment`.
    temporary: files::Temporary,
}

impl Service {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn new(
        store: Store,
        catalog: Arc<catalog::Service>,
        permissions: Arc<permissions::Service>,
        issues: Arc<issues::Service>,
        comments: Arc<comments::Service>,
        users: Arc<users::Service>,
        search: Arc<search::Service>,
        attachments: Arc<attachments::Service>,
    ) -> Service {
        Service {
            store,
            catalog,
            permissions,
            issues,
            comments,
            users,
            search,
            attachments,
            temporary: files::Temporary::default(),
        }
    }
}

/// A desk as one caller reaches it.
#[derive(Debug, Clone)]
pub struct DeskView {
    pub desk: ServiceDesk,
    pub project: Project,
    /// The caller works on the desk (an agent or an administrator of it), rather than
    /// reaching it only as a customer.
    pub agent: bool,
    /// The caller administers the project (or Jira).
    pub admin: bool,
}

/// A request type with its form.
#[derive(Debug, Clone)]
pub struct RequestTypeView {
    pub request_type: RequestType,
    pub fields: Vec<RequestTypeField>,
}

pub(crate) fn desk_missing(id: impl std::fmt::Display) -> Error {
    Error::not_found(format!(
        "The service desk with id '{id}' does not exist or you do not have permission to see it."
    ))
}

fn request_type_missing(id: impl std::fmt::Display) -> Error {
    Error::not_found(format!(
        "The request type with id '{id}' does not exist in this service desk."
    ))
}

impl Service {
    /// Every desk whose project the caller may browse.
    pub async fn desks(&self, caller: &Caller) -> Result<Vec<DeskView>> {
        let desks = self.store.read(q::desks).await?;
        let browsable = self.permissions.browsable_projects(Some(caller)).await?;
        let mut out = Vec::new();
        for d in desks {
            if let Some((p, perms)) = browsable.iter().find(|(p, _)| p.id == d.project_id) {
                out.push(self.desk_view(caller, d, p.clone(), *perms).await?);
            }
        }
        Ok(out)
    }

    async fn desk_view(
        &self,
        caller: &Caller,
        desk: ServiceDesk,
        project: Project,
        perms: super::PermissionSet,
    ) -> Result<DeskView> {
        let c = caller.clone();
        let p = project.clone();
        let customer = self
            .store
            .read(move |db| super::levels::customer_only_in(db, Some(&c), &p))
            .await?;
        let admin = perms.has(Permission::AdministerProjects) || self.permissions.is_admin(caller);
        Ok(DeskView {
            desk,
            project,
            agent: !customer && perms.has(Permission::ServicedeskAgent),
            admin,
        })
    }

    /// One desk the caller may see; the same 404 for missing and hidden.
    pub async fn desk(&self, caller: &Caller, id: &str) -> Result<DeskView> {
        let n: i64 = id.parse().map_err(|_| desk_missing(id))?;
        let found = self
            .store
            .read(move |db| {
                let Some(d) = q::desk(db, n)? else {
                    return Ok(None);
                };
                Ok(pq::by_id(db, d.project_id)?.map(|p| (d, p)))
            })
            .await?;
        let (desk, project) = found.ok_or_else(|| desk_missing(id))?;
        let perms = self
            .permissions
            .project_permissions(Some(caller), &project)
            .await?;
        if !perms.has(Permission::BrowseProjects) {
            return Err(desk_missing(id));
        }
        self.desk_view(caller, desk, project, perms).await
    }

    /// A desk the caller works on (agents and administrators): 403 for its customers.
    pub async fn agent_desk(&self, caller: &Caller, id: &str) -> Result<DeskView> {
        let d = self.desk(caller, id).await?;
        if !d.agent && !d.admin {
            return Err(Error::forbidden(
                "You do not have permission to perform this operation: you are not an agent of this service desk.",
            ));
        }
        Ok(d)
    }

    /// A desk the caller administers.
    pub async fn admin_desk(&self, caller: &Caller, id: &str) -> Result<DeskView> {
        let d = self.desk(caller, id).await?;
        if !d.admin {
            return Err(Error::forbidden(
                "You do not have permission to perform this operation: administering the service desk is required.",
            ));
        }
        Ok(d)
    }

    /// The request types of one desk, or of every desk the caller sees, with `query`
    /// matching the name (case-insensitive) and limited to `group` when given.
    pub async fn request_types(
        &self,
        caller: &Caller,
        desk: Option<&str>,
        query: Option<&str>,
        group: Option<i64>,
    ) -> Result<Vec<RequestTypeView>> {
        let desks: Vec<i64> = match desk {
            Some(id) => vec![self.desk(caller, id).await?.desk.id],
            None => self
                .desks(caller)
                .await?
                .iter()
                .map(|d| d.desk.id)
                .collect(),
        };
        let query = query.map(|s| s.trim().to_lowercase()).unwrap_or_default();
        let types = self
            .store
            .read(move |db| {
                let mut out = Vec::new();
                for rt in q::request_types(db, None)? {
                    if !desks.contains(&rt.desk_id)
                        || !rt.name.to_lowercase().contains(&query)
                        || group.is_some_and(|g| !rt.group_ids.contains(&g))
                    {
                        continue;
                    }
                    let fields = q::request_type_fields(db, rt.id)?;
                    out.push(RequestTypeView {
                        request_type: rt,
                        fields,
                    });
                }
                Ok(out)
            })
            .await?;
        Ok(types)
    }

    /// One request type of a desk the caller sees.
    pub async fn request_type(
        &self,
        caller: &Caller,
        desk: &str,
        id: &str,
    ) -> Result<(DeskView, RequestTypeView)> {
        let d = self.desk(caller, desk).await?;
        let n: i64 = id.parse().map_err(|_| request_type_missing(id))?;
        let desk_id = d.desk.id;
        let found = self
            .store
            .read(move |db| {
                let Some(rt) = q::request_type(db, n)?.filter(|rt| rt.desk_id == desk_id) else {
                    return Ok(None);
                };
                let fields = q::request_type_fields(db, rt.id)?;
                Ok(Some(RequestTypeView {
                    request_type: rt,
                    fields,
                }))
            })
            .await?;
        Ok((d, found.ok_or_else(|| request_type_missing(id))?))
    }

    pub async fn request_type_groups(
        &self,
        caller: &Caller,
        desk: &str,
    ) -> Result<Vec<RequestTypeGroup>> {
        let d = self.desk(caller, desk).await?;
        let id = d.desk.id;
        Ok(self
            .store
            .read(move |db| q::request_type_groups(db, id))
            .await?)
    }

    /// The Jira field's type as JSM's `jiraSchema` names it: (type, items, system).
    pub fn field_schema(&self, field_id: &str) -> (String, Option<String>, Option<String>) {
        match field_id {
            "summary" | "description" | "environment" => {
                ("string".into(), None, Some(field_id.into()))
            }
            "priority" => ("priority".into(), None, Some("priority".into())),
            APPROVERS_FIELD => ("array".into(), Some("user".into()), None),
            "duedate" => ("date".into(), None, Some("duedate".into())),
            "labels" => ("array".into(), Some("string".into()), Some("labels".into())),
            "components" => (
                "array".into(),
                Some("component".into()),
                Some("components".into()),
            ),
            other => {
                let custom = other
                    .strip_prefix("customfield_")
                    .and_then(|n| n.parse().ok())
                    .and_then(|n| self.catalog.current().custom_field(n).cloned());
                match custom {
                    Some(_) => ("any".into(), None, None),
                    None => ("string".into(), None, Some(other.into())),
                }
            }
        }
    }

    /// The values a field offers when the request type lists none: priorities for
    /// `priority`. (value, label)
    pub fn offered_values(&self, f: &RequestTypeField) -> Vec<(String, String)> {
        if !f.valid_values.is_empty() {
            return f.valid_values.clone();
        }
        if f.field_id == "priority" {
            return self
                .catalog
                .current()
                .priorities
                .iter()
                .map(|p| (p.id.to_string(), p.name.clone()))
                .collect();
        }
        Vec::new()
    }

    /// Users by id, in the order given, skipping unknown ones.
    pub async fn users_by_ids(&self, ids: Vec<UserId>) -> Result<Vec<User>> {
        let found = self.users.users_by_ids(ids.clone()).await?;
        Ok(ids
            .iter()
            .filter_map(|id| found.iter().find(|u| u.id == *id).cloned())
            .collect())
    }
}
