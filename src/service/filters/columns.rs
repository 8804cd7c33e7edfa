//! Issue navigator columns: a filter's own columns, the system default, and each
//! user's columns.

use super::sharing::{load_owned, load_visible};
use super::{Column, DEFAULT_COLUMNS};
use crate::domain::*;
use crate::error::{Error, Result};
use crate::service::users::UserRef;
use crate::service::{Caller, Catalog};
use crate::store::StoreResult;
use crate::store::queries::{Db, catalog as cq, filters as q};

const DEFAULT_COLUMNS_KEY: &str = "navigator.default_columns";

/// Labels of the columns; unknown ids (a custom field deleted since) are dropped.
fn labelled(catalog: &Catalog, ids: &[String]) -> Vec<Column> {
    ids.iter()
        .filter_map(|id| {
            column_label(catalog, id).map(|label| Column {
                id: id.clone(),
                label,
            })
        })
        .collect()
}

fn column_label(catalog: &Catalog, id: &str) -> Option<String> {
    if id == "issuekey" {
        return Some("Key".into());
    }
    if let Some(f) = crate::service::fields::system_field(id) {
        return f.navigable.then(|| f.name.to_string());
    }
    catalog.custom_field_by_key(id).map(|f| f.name.clone())
}

/// Checks a column list: known navigable fields, at least one; duplicates dropped.
fn check_columns(catalog: &Catalog, ids: Vec<String>) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for id in ids {
        let id = id.trim().to_string();
        if id.is_empty() {
            continue;
        }
        if column_label(catalog, &id).is_none() {
            return Err(Error::bad_request(format!(
                "The column '{id}' is not a navigable field."
            )));
        }
        if !out.contains(&id) {
            out.push(id);
        }
    }
    if out.is_empty() {
        return Err(Error::bad_request("Provide at least one column."));
    }
    Ok(out)
}

fn system_columns(db: &Db) -> StoreResult<Vec<String>> {
    Ok(cq::setting(db, DEFAULT_COLUMNS_KEY)?
        .and_then(|raw| serde_json::from_str::<Vec<String>>(&raw).ok())
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| DEFAULT_COLUMNS.iter().map(|c| c.to_string()).collect()))
}
impl super::Service {
    /// `GET filter/{id}/columns`: the filter's own columns (404 when it has none).
    pub async fn filter_columns(&self, caller: &Caller, id: i64) -> Result<Vec<Column>> {
        let catalog = self.catalog.current();
        let who = caller.clone();
        let cat = catalog.clone();
        let ids = self
            .store
            .read(move |db| {
                load_visible(db, &cat, Some(&who), id)?;
                q::filter_columns(db, id)
            })
            .await?;
        if ids.is_empty() {
            return Err(Error::not_found(
                "The filter has no column configuration of its own.",
            ));
        }
        Ok(labelled(&catalog, &ids))
    }

    /// `PUT filter/{id}/columns` (owner only); `None` resets (`DELETE`).
    pub async fn set_filter_columns(
        &self,
        caller: &Caller,
        id: i64,
        columns: Option<Vec<String>>,
    ) -> Result<()> {
        let catalog = self.catalog.current();
        let cols = columns.map(|c| check_columns(&catalog, c)).transpose()?;
        let who = caller.clone();
        Ok(self
            .store
            .write(move |db| {
                load_owned(db, &catalog, &who, id)?;
                q::set_filter_columns(db, id, cols.as_deref().unwrap_or_default())
            })
            .await?)
    }

    /// `GET settings/columns` (administrators).
    pub async fn system_columns(&self, caller: &Caller) -> Result<Vec<Column>> {
        self.permissions.require_admin(caller)?;
        let ids = self.store.read(system_columns).await?;
        Ok(labelled(&self.catalog.current(), &ids))
    }

    /// `PUT settings/columns` (administrators); `None` restores the built-in default.
    pub async fn set_system_columns(
        &self,
        caller: &Caller,
        columns: Option<Vec<String>>,
    ) -> Result<()> {
        self.permissions.require_admin(caller)?;
        let raw = columns
            .map(|c| check_columns(&self.catalog.current(), c))
            .transpose()?
            .map(|c| serde_json::to_string(&c).unwrap_or_default());
        Ok(self
            .store
            .write(move |db| match raw {
                Some(v) => cq::set_setting(db, DEFAULT_COLUMNS_KEY, &v),
                None => q::delete_setting(db, DEFAULT_COLUMNS_KEY),
            })
            .await?)
    }

    /// The user whose columns are read or written: the caller, or (administrators
    /// only) someone else.
    async fn columns_user(&self, caller: &Caller, target: Option<UserRef>) -> Result<UserId> {
        let Some(r) = target else {
            return Ok(caller.user.id);
        };
        let user = self.users.user_by_ref(&r).await?.ok_or_else(|| {
            Error::not_found(match &r {
                UserRef::AccountId(a) => format!("The user with account ID '{a}' does not exist."),
                UserRef::Username(u) => format!("The user named '{u}' does not exist."),
            })
        })?;
        if user.id != caller.user.id && !self.permissions.is_admin(caller) {
            return Err(Error::forbidden(
                "Only administrators may see or change another user's columns.",
            ));
        }
        Ok(user.id)
    }

    /// `GET user/columns`: the user's columns, else the system default.
    pub async fn user_columns(
        &self,
        caller: &Caller,
        target: Option<UserRef>,
    ) -> Result<Vec<Column>> {
        let user = self.columns_user(caller, target).await?;
        let ids = self
            .store
            .read(move |db| {
                let own = q::user_columns(db, user)?;
                if own.is_empty() {
                    system_columns(db)
                } else {
                    Ok(own)
                }
            })
            .await?;
        Ok(labelled(&self.catalog.current(), &ids))
    }

    /// `PUT user/columns`; `None` resets to the system default (`DELETE`).
    pub async fn set_user_columns(
        &self,
        caller: &Caller,
        target: Option<UserRef>,
        columns: Option<Vec<String>>,
    ) -> Result<()> {
        let cols = columns
            .map(|c| check_columns(&self.catalog.current(), c))
            .transpose()?;
        let user = self.columns_user(caller, target).await?;
        Ok(self
            .store
            .write(move |db| q::set_user_columns(db, user, cols.as_deref().unwrap_or_default()))
            .await?)
    }
}
