//! Application properties and the general configuration (`application-properties`,
//! `configuration`, `settings/baseUrl`): administrators read and set them, every set is
//! audited in its transaction and reloads the catalog, where the services that honour
//! them read the current values (`catalog.current().settings`).

use std::sync::Arc;

use super::{Caller, catalog, permissions};
use crate::domain::audit::{AuditEntry, AuditItem, category};
use crate::domain::settings::{self, AppSettings, PropertyDef};
use crate::domain::*;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::queries::catalog as catq;

pub struct Service {
    store: Store,
    catalog: Arc<catalog::Service>,
    permissions: Arc<permissions::Service>,
}

/// A property with its current value.
pub struct PropertyValue {
    pub def: &'static PropertyDef,
    pub value: String,
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

    /// The current values, for anyone (what is switched on is no secret: Jira's
    /// `configuration` answers every signed-in user).
    pub fn current(&self) -> AppSettings {
        self.catalog.current().settings.clone()
    }

    /// `jira.title`: the instance's name.
    pub fn title(&self) -> String {
        self.catalog.current().settings.title().to_string()
    }

    /// `jira.baseurl` (`settings/baseUrl`), when an administrator set one.
    pub fn base_url(&self) -> Option<String> {
        self.catalog.current().settings.base_url().map(String::from)
    }

    /// The time tracking options with the switch, for `configuration`.
    pub fn time_tracking(&self) -> TimeTracking {
        self.catalog.current().time_tracking.clone()
    }

    /// `GET application-properties`: one property by key, or those whose key matches
    /// `key_filter` (a regular expression over the whole key), administrators only.
    pub fn properties(
        &self,
        caller: &Caller,
        key: Option<&str>,
        key_filter: Option<&str>,
    ) -> Result<Vec<PropertyValue>> {
        self.permissions.require_admin(caller)?;
        let filter = match key_filter {
            Some(f) => Some(regex::Regex::new(&format!("^(?:{f})$")).map_err(|_| {
                Error::bad_request(format!(
                    "The key filter '{f}' is not a valid regular expression."
                ))
            })?),
            None => None,
        };
        let current = self.current();
        let list: Vec<PropertyValue> = settings::PROPERTIES
            .iter()
            .filter(|p| key.is_none_or(|k| p.key == k))
            .filter(|p| filter.as_ref().is_none_or(|f| f.is_match(p.key)))
            .map(|def| PropertyValue {
                def,
                value: current.value(def.key).to_string(),
            })
            .collect();
        if let Some(k) = key
            && list.is_empty()
        {
            return Err(missing(k));
        }
        Ok(list)
    }

    /// `GET application-properties/advanced-settings`.
    pub fn advanced_settings(&self, caller: &Caller) -> Result<Vec<PropertyValue>> {
        let all = self.properties(caller, None, None)?;
        Ok(all.into_iter().filter(|p| p.def.advanced).collect())
    }

    /// `PUT application-properties/{id}`: sets one property (administrators).
    pub async fn set_property(
        &self,
        caller: &Caller,
        key: &str,
        value: &str,
    ) -> Result<PropertyValue> {
        self.permissions.require_admin(caller)?;
        let def = settings::property(key).ok_or_else(|| missing(key))?;
        let value = value.trim().to_string();
        if let Some(message) = settings::invalid_value(def, &value) {
            return Err(Error::bad_request(message));
        }
        let before = self.current().value(def.key).to_string();
        let (caller, stored) = (caller.clone(), value.clone());
        self.store
            .write(move |tx| {
                catq::set_setting(tx, def.key, &stored)?;
                let entry = AuditEntry::new(
                    category::SYSTEM,
                    "Application property changed",
                    AuditItem::new("APPLICATION_PROPERTY", 0, def.key),
                )
                .changed(def.name, Some(before), Some(stored.clone()));
                crate::service::audit::record(tx, &caller, &entry)?;
                Ok(())
            })
            .await?;
        self.catalog.reload().await?;
        Ok(PropertyValue { def, value })
    }
}

fn missing(key: &str) -> Error {
    Error::not_found(format!("The property '{key}' does not exist."))
}
