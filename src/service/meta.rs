//! Issue types and custom fields: the administrable parts of the catalog.

use super::{catalog, permissions};
use crate::store::Store;
use std::sync::Arc;

use super::Caller;
use crate::domain::audit::{AuditEntry, AuditItem, category};
use crate::domain::*;
use crate::error::{Error, Result};
use crate::store::queries::catalog as q;

/// Issue types, custom fields and their options.
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
    pub async fn create_issue_type(
        &self,
        caller: &Caller,
        name: &str,
        description: &str,
        subtask: bool,
    ) -> Result<IssueType> {
        self.permissions.require_admin(caller)?;
        let name = name.trim().to_string();
        if name.is_empty() || name.chars().count() > 60 {
            return Err(Error::field(
                "name",
                "The issue type name must be 1 to 60 characters.",
            ));
        }
        if self
            .catalog
            .current()
            .issue_types
            .iter()
            .any(|t| t.name.eq_ignore_ascii_case(&name))
        {
            return Err(Error::conflict(format!(
                "An issue type with the name '{name}' already exists."
            )));
        }
        let description = description.to_string();
        let id = self
            .store
            .write(move |db| q::insert_issue_type(db, &name, &description, subtask))
            .await?;
        self.catalog.reload().await?;
        self.catalog
            .current()
            .issue_type(id)
            .cloned()
            .ok_or_else(Error::internal)
    }

    pub async fn update_issue_type(
        &self,
        caller: &Caller,
        id: i64,
        name: Option<String>,
        description: Option<String>,
        avatar_id: Option<i64>,
    ) -> Result<IssueType> {
        self.permissions.require_admin(caller)?;
        let mut t = self
            .catalog
            .current()
            .issue_type(id)
            .cloned()
            .ok_or_else(|| issue_type_missing(id))?;
        if let Some(n) = name {
            let n = n.trim().to_string();
            if n.is_empty() || n.chars().count() > 60 {
                return Err(Error::field(
                    "name",
                    "The issue type name must be 1 to 60 characters.",
                ));
            }
            if self
                .catalog
                .current()
                .issue_types
                .iter()
                .any(|x| x.id != id && x.name.eq_ignore_ascii_case(&n))
            {
                return Err(Error::conflict(format!(
                    "An issue type with the name '{n}' already exists."
                )));
            }
            t.name = n;
        }
        if let Some(d) = description {
            t.description = d;
        }
        if let Some(a) = avatar_id {
            t.avatar_id = a;
        }
        let u = t.clone();
        self.store
            .write(move |db| q::update_issue_type(db, u.id, &u.name, &u.description, u.avatar_id))
            .await?;
        self.catalog.reload().await?;
        Ok(t)
    }

    /// Deletes an issue type; its issues move to `alternative` (required when any exist).
    pub async fn delete_issue_type(
        &self,
        caller: &Caller,
        id: i64,
        alternative: Option<i64>,
    ) -> Result<()> {
        self.permissions.require_admin(caller)?;
        let catalog = self.catalog.current();
        let t = catalog
            .issue_type(id)
            .cloned()
            .ok_or_else(|| issue_type_missing(id))?;
        if let Some(a) = alternative {
            let alt = catalog.issue_type(a).ok_or_else(|| issue_type_missing(a))?;
            if a == id || alt.subtask != t.subtask {
                return Err(Error::bad_request(
                    "The alternative issue type must be another type of the same level.",
                ));
            }
        }
        if catalog
            .issue_types
            .iter()
            .filter(|x| x.subtask == t.subtask)
            .count()
            <= 1
        {
            return Err(Error::bad_request(
                "The last issue type of its level cannot be deleted.",
            ));
        }
        self.store
            .write(move |db| {
                if q::issue_type_usage(db, id)? > 0 {
                    let Some(alt) = alternative else {
                        return Err(Error::bad_request("The issue type is in use; give an alternativeIssueTypeId to move its issues to.").into());
                    };
                    let now = db.now();
                    for issue in q::move_issue_type(db, id, alt)? {
                        crate::store::queries::issues::enqueue_index(db, IssueId(issue), now)?;
                    }
                }
                q::delete_issue_type(db, id)
            })
            .await?;
        self.catalog.reload().await
    }

    pub async fn create_custom_field(
        &self,
        caller: &Caller,
        name: &str,
        description: &str,
        type_key: &str,
    ) -> Result<CustomField> {
        self.permissions.require_admin(caller)?;
        let name = name.trim().to_string();
        let mut errors = std::collections::BTreeMap::new();
        if name.is_empty() || name.chars().count() > 255 {
            errors.insert(
                "name".to_string(),
                "The field name must be 1 to 255 characters.".to_string(),
            );
        }
        let kind = CustomFieldKind::from_type_key(type_key);
        if kind.is_none() {
            let known: Vec<&str> = CustomFieldKind::ALL.iter().map(|k| k.type_key()).collect();
            errors.insert(
                "type".to_string(),
                format!(
                    "Unknown custom field type '{type_key}'. Supported: {}.",
                    known.join(", ")
                ),
            );
        }
        if let Some(e) = Error::from_fields(errors) {
            return Err(e);
        }
        let kind = kind.ok_or_else(Error::internal)?;
        let description = description.to_string();
        let id = self
            .store
            .write(move |db| q::insert_custom_field(db, &name, &description, kind))
            .await?;
        self.catalog.reload().await?;
        self.catalog
            .current()
            .custom_field(id)
            .cloned()
            .ok_or_else(Error::internal)
    }

    fn option_field(&self, field_key: &str) -> Result<CustomField> {
        let field = self
            .catalog
            .current()
            .custom_field_by_key(field_key)
            .cloned()
            .ok_or_else(|| Error::not_found(format!("The field '{field_key}' does not exist.")))?;
        if !matches!(
            field.kind,
            CustomFieldKind::Select | CustomFieldKind::MultiSelect
        ) {
            return Err(Error::bad_request(format!(
                "The field '{field_key}' does not take options."
            )));
        }
        Ok(field)
    }

    pub fn field_options(&self, field_key: &str) -> Result<Vec<CustomFieldOption>> {
        Ok(self.option_field(field_key)?.options)
    }

    pub async fn create_field_option(
        &self,
        caller: &Caller,
        field_key: &str,
        value: &str,
    ) -> Result<CustomFieldOption> {
        self.permissions.require_admin(caller)?;
        let field = self.option_field(field_key)?;
        let value = value.trim().to_string();
        if value.is_empty() || value.chars().count() > 255 {
            return Err(Error::field(
                "value",
                "The option value must be 1 to 255 characters.",
            ));
        }
        if field.options.iter().any(|o| o.value == value) {
            return Err(Error::conflict(format!(
                "The option '{value}' already exists."
            )));
        }
        let fid = field.id;
        let id = self
            .store
            .write(move |db| q::insert_option(db, fid, &value))
            .await?;
        self.catalog.reload().await?;
        self.option(id).map(|(_, o)| o)
    }

    pub async fn update_field_option(
        &self,
        caller: &Caller,
        field_key: &str,
        id: i64,
        value: &str,
        disabled: bool,
    ) -> Result<CustomFieldOption> {
        self.permissions.require_admin(caller)?;
        let field = self.option_field(field_key)?;
        if !field.options.iter().any(|o| o.id == id) {
            return Err(option_missing(id));
        }
        let value = value.trim().to_string();
        if value.is_empty() {
            return Err(Error::field("value", "The option value must not be empty."));
        }
        self.store
            .write(move |db| q::update_option(db, id, &value, disabled))
            .await?;
        self.catalog.reload().await?;
        self.option(id).map(|(_, o)| o)
    }

    pub async fn delete_field_option(
        &self,
        caller: &Caller,
        field_key: &str,
        id: i64,
    ) -> Result<()> {
        self.permissions.require_admin(caller)?;
        let field = self.option_field(field_key)?;
        if !field.options.iter().any(|o| o.id == id) {
            return Err(option_missing(id));
        }
        let fid = field.id;
        self.store
            .write(move |db| {
                if q::option_in_use(db, fid, id)? {
                    return Err(Error::conflict(
                        "The option is in use by issues and cannot be deleted.",
                    )
                    .into());
                }
                q::delete_option(db, id)
            })
            .await?;
        self.catalog.reload().await
    }

    /// A custom field option by id, with its field.
    pub fn option(&self, id: i64) -> Result<(CustomField, CustomFieldOption)> {
        self.catalog
            .current()
            .custom_fields
            .iter()
            .find_map(|f| {
                f.options
                    .iter()
                    .find(|o| o.id == id)
                    .map(|o| (f.clone(), o.clone()))
            })
            .ok_or_else(|| option_missing(id))
    }
}

fn issue_type_missing(id: i64) -> Error {
    Error::not_found(format!("The issue type with id '{id}' does not exist."))
}

fn option_missing(id: i64) -> Error {
    Error::not_found(format!(
        "The custom field option with id '{id}' does not exist."
    ))
}

/// Project categories (`projectCategory`): administrators create, rename and delete
/// them; a deleted category's projects go on without one.
impl Service {
    fn category_fields(name: &str, description: &str) -> Result<(String, String)> {
        let name = name.trim().to_string();
        if name.is_empty() || name.chars().count() > 255 {
            return Err(Error::field(
                "name",
                "The project category name must be 1 to 255 characters.",
            ));
        }
        Ok((name, description.trim().to_string()))
    }

    fn category_taken(&self, name: &str, except: Option<i64>) -> Result<()> {
        let taken = self
            .catalog
            .current()
            .categories
            .iter()
            .any(|c| Some(c.id) != except && c.name.eq_ignore_ascii_case(name));
        if taken {
            return Err(Error::field(
                "name",
                format!("A project category with the name '{name}' already exists."),
            ));
        }
        Ok(())
    }

    fn category(&self, id: i64) -> Result<ProjectCategory> {
        self.catalog
            .current()
            .categories
            .iter()
            .find(|c| c.id == id)
            .cloned()
            .ok_or_else(|| {
                Error::not_found(format!(
                    "The project category with id '{id}' does not exist."
                ))
            })
    }

    pub async fn create_project_category(
        &self,
        caller: &Caller,
        name: &str,
        description: &str,
    ) -> Result<ProjectCategory> {
        self.permissions.require_admin(caller)?;
        let (name, description) = Self::category_fields(name, description)?;
        self.category_taken(&name, None)?;
        let c = caller.clone();
        let id = self
            .store
            .write(move |tx| {
                let id = q::insert_project_category(tx, &name, &description)?;
                let entry = AuditEntry::new(
                    category::PROJECTS,
                    "Project category created",
                    AuditItem::new("PROJECT_CATEGORY", id, name.clone()),
                )
                .changed("Name", None::<String>, Some(name.clone()))
                .changed("Description", None::<String>, Some(description.clone()));
                crate::service::audit::record(tx, &c, &entry)?;
                Ok(id)
            })
            .await?;
        self.catalog.reload().await?;
        self.category(id)
    }

    /// `PUT projectCategory/{id}`: the fields given change, the others stay.
    pub async fn update_project_category(
        &self,
        caller: &Caller,
        id: i64,
        name: Option<String>,
        description: Option<String>,
    ) -> Result<ProjectCategory> {
        self.permissions.require_admin(caller)?;
        let before = self.category(id)?;
        let (name, description) = Self::category_fields(
            name.as_deref().unwrap_or(&before.name),
            description.as_deref().unwrap_or(&before.description),
        )?;
        self.category_taken(&name, Some(id))?;
        let c = caller.clone();
        self.store
            .write(move |tx| {
                q::update_project_category(tx, id, &name, &description)?;
                let entry = AuditEntry::new(
                    category::PROJECTS,
                    "Project category updated",
                    AuditItem::new("PROJECT_CATEGORY", id, name.clone()),
                )
                .changed("Name", Some(before.name), Some(name))
                .changed(
                    "Description",
                    Some(before.description),
                    Some(description),
                );
                crate::service::audit::record(tx, &c, &entry)?;
                Ok(())
            })
            .await?;
        self.catalog.reload().await?;
        self.category(id)
    }

    pub async fn delete_project_category(&self, caller: &Caller, id: i64) -> Result<()> {
        self.permissions.require_admin(caller)?;
        let before = self.category(id)?;
        let c = caller.clone();
        self.store
            .write(move |tx| {
                q::delete_project_category(tx, id)?;
                let entry = AuditEntry::new(
                    category::PROJECTS,
                    "Project category deleted",
                    AuditItem::new("PROJECT_CATEGORY", id, before.name.clone()),
                );
                crate::service::audit::record(tx, &c, &entry)?;
                Ok(())
            })
            .await?;
        self.catalog.reload().await?;
        Ok(())
    }
}
