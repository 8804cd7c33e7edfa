//! Managing request types (administrators of a desk add and remove them), and the
//! properties of request types and organizations: JSON values under keys, read by whoever
//! sees the request type or organization, written by desk administrators (request
//! types) or agents and administrators (organizations).

use super::*;
use crate::domain::audit::{AuditEntry, AuditItem, category};
use crate::service::audit;
use crate::service::properties::MAX_PROPERTY_BYTES;
use crate::store::queries::properties as props;

/// What a property hangs off: a request type (with its desk's id, as the path names
/// it) or an organization.
#[derive(Debug, Clone)]
pub enum PropertyOwner {
    RequestType { desk: String, id: String },
    Organization(String),
}

fn property_missing(key: &str) -> Error {
    Error::not_found(format!("The property with key '{key}' does not exist."))
}

impl Service {
    /// `POST servicedesk/{id}/requesttype`: the desk's administrators add a request type
    /// of one of the tracker's issue types.
    pub async fn create_request_type(
        &self,
        caller: &Caller,
        desk: &str,
        name: Option<String>,
        description: Option<String>,
        help_text: Option<String>,
        issue_type_id: Option<String>,
    ) -> Result<RequestTypeView> {
        let d = self.admin_desk(caller, desk).await?;
        let name = name
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
            .ok_or_else(|| Error::field("name", "The request type name is required."))?;
        if name.chars().count() > 255 {
            return Err(Error::field(
                "name",
                "The request type name must be at most 255 characters.",
            ));
        }
        let raw_type = issue_type_id.unwrap_or_default();
        let issue_type = raw_type
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|id| self.catalog.current().issue_type(*id).is_some())
            .ok_or_else(|| {
                Error::field(
                    "issueTypeId",
                    format!("The issue type '{raw_type}' does not exist."),
                )
            })?;
        let new = NewRequestType {
            name,
            description: description.unwrap_or_default(),
            help_text: help_text.unwrap_or_default(),
            issue_type_id: issue_type,
        };
        let (desk_id, project) = (d.desk.id, d.project.clone());
        let c = caller.clone();
        let id = self
            .store
            .write(move |tx| {
                if q::request_types(tx, Some(desk_id))?
                    .iter()
                    .any(|t| t.name.eq_ignore_ascii_case(&new.name))
                {
                    return Err(Error::field(
                        "name",
                        format!("A request type named '{}' already exists.", new.name),
                    )
                    .into());
                }
                let id = q::insert_request_type(tx, desk_id, &new)?;
                let entry = AuditEntry::new(
                    category::PROJECTS,
                    "Request type created",
                    AuditItem::new("REQUEST_TYPE", id, new.name.clone()),
                )
                .associated(AuditItem::new(
                    "PROJECT",
                    project.id.0,
                    project.name.clone(),
                ));
                audit::record(tx, &c, &entry)?;
                Ok(id)
            })
            .await?;
        let (_, view) = self.request_type(caller, desk, &id.to_string()).await?;
        Ok(view)
    }

    /// `DELETE servicedesk/{id}/requesttype/{id}`: requests raised with it stay.
    pub async fn delete_request_type(&self, caller: &Caller, desk: &str, id: &str) -> Result<()> {
        self.admin_desk(caller, desk).await?;
        let (d, view) = self.request_type(caller, desk, id).await?;
        let rt = view.request_type;
        let c = caller.clone();
        self.store
            .write(move |tx| {
                q::delete_request_type(tx, rt.id)?;
                let entry = AuditEntry::new(
                    category::PROJECTS,
                    "Request type deleted",
                    AuditItem::new("REQUEST_TYPE", rt.id, rt.name.clone()),
                )
                .associated(AuditItem::new(
                    "PROJECT",
                    d.project.id.0,
                    d.project.name.clone(),
                ));
                audit::record(tx, &c, &entry)?;
                Ok(())
            })
            .await?;
        Ok(())
    }

    /// Checks the caller may read (or, with `write`, change) the owner's properties;
    /// answers the entity's (type, id).
    async fn property_owner(
        &self,
        caller: &Caller,
        owner: &PropertyOwner,
        write: bool,
    ) -> Result<(&'static str, i64)> {
        match owner {
            PropertyOwner::RequestType { desk, id } => {
                let (_, view) = self.request_type(caller, desk, id).await?;
                if write {
                    self.admin_desk(caller, desk).await?;
                }
                Ok((REQUEST_TYPE_PROPERTIES, view.request_type.id))
            }
            PropertyOwner::Organization(id) => {
                let org = self.organization(caller, id).await?;
                if write {
                    self.require_desk_worker(caller).await?;
                }
                Ok((ORGANIZATION_PROPERTIES, org.id))
            }
        }
    }

    pub async fn property_keys(
        &self,
        caller: &Caller,
        owner: &PropertyOwner,
    ) -> Result<Vec<String>> {
        let (entity, id) = self.property_owner(caller, owner, false).await?;
        Ok(self
            .store
            .read(move |db| props::keys(db, entity, id))
            .await?)
    }

    /// The property's raw JSON.
    pub async fn property(
        &self,
        caller: &Caller,
        owner: &PropertyOwner,
        key: &str,
    ) -> Result<String> {
        let (entity, id) = self.property_owner(caller, owner, false).await?;
        let k = key.to_string();
        self.store
            .read(move |db| props::get(db, entity, id, &k))
            .await?
            .ok_or_else(|| property_missing(key))
    }

    /// Sets a property from its raw JSON; true when it is new.
    pub async fn set_property(
        &self,
        caller: &Caller,
        owner: &PropertyOwner,
        key: &str,
        raw: String,
    ) -> Result<bool> {
        let (entity, id) = self.property_owner(caller, owner, true).await?;
        if key.is_empty() || key.chars().count() > 255 {
            return Err(Error::bad_request(
                "The property key must be 1 to 255 characters.",
            ));
        }
        if raw.len() > MAX_PROPERTY_BYTES {
            return Err(Error::bad_request(format!(
                "The property value is too large: {} bytes, the limit is {MAX_PROPERTY_BYTES}.",
                raw.len()
            )));
        }
        let k = key.to_string();
        Ok(self
            .store
            .write(move |tx| props::set(tx, entity, id, &k, &raw))
            .await?)
    }

    pub async fn delete_property(
        &self,
        caller: &Caller,
        owner: &PropertyOwner,
        key: &str,
    ) -> Result<()> {
        let (entity, id) = self.property_owner(caller, owner, true).await?;
        let k = key.to_string();
        if self
            .store
            .write(move |tx| props::delete(tx, entity, id, &k))
            .await?
        {
            Ok(())
        } else {
            Err(property_missing(key))
        }
    }
}
