//! The audit log. Every administrative change writes its record with [`record`] inside
//! the same write job as the change, so a change is never committed without its record
//! (nor a record without its change). Reading the log is for administrators.

use std::sync::Arc;

use super::{Caller, permissions};
use crate::domain::audit::{AuditEntry, AuditQuery, AuditRecord};
use crate::error::Result;
use crate::store::queries::audit as q;
use crate::store::{Store, StoreResult, Tx};

/// Writes the record of a change made by `caller`, inside the change's transaction.
pub fn record(tx: &Tx, caller: &Caller, entry: &AuditEntry) -> StoreResult<i64> {
    let address = caller.client.map(|ip| ip.to_string());
    record_as(tx, Some(&caller.user.username), address.as_deref(), entry)
}

/// Writes a record for a change with no request behind it (a `tessera` command run on
/// the server: no client address), in the name of `author`.
pub fn record_as(
    tx: &Tx,
    author: Option<&str>,
    address: Option<&str>,
    entry: &AuditEntry,
) -> StoreResult<i64> {
    q::insert(tx, tx.now(), author, address, entry)
}

pub struct Service {
    store: Store,
    permissions: Arc<permissions::Service>,
}

impl Service {
    pub(super) fn new(store: Store, permissions: Arc<permissions::Service>) -> Service {
        Service { store, permissions }
    }

    /// Records matching `query`, newest first, with the total; administrators only.
    pub async fn records(
        &self,
        caller: &Caller,
        query: AuditQuery,
    ) -> Result<(Vec<AuditRecord>, usize)> {
        self.permissions.require_admin(caller)?;
        Ok(self.store.read(move |db| q::list(db, &query)).await?)
    }
}
