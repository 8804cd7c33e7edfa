//! Forward-only schema migrations from `migrations/`, embedded at compile time.

use rusqlite::Connection;

use super::{StoreError, StoreResult};

mod embedded {
    refinery::embed_migrations!("migrations");
}

pub(super) fn apply(conn: &mut Connection) -> StoreResult<()> {
    embedded::migrations::runner().run(conn).map_err(|e| {
        tracing::error!(error = %e, "migration failed");
        StoreError::Closed
    })?;
    Ok(())
}
