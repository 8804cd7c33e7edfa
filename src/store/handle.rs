//! The store's own handles on a connection: [`Db`] for reads, [`Tx`] for the writer's
//! transaction. Services hold these, never a `rusqlite::Connection`: a function that
//! takes a `&Db` cannot write (it has no `execute`), and one that writes says so by
//! taking a `&Tx`. A `&Tx` derefs to a `&Db`, so every read query serves writes too.
//!
//! The connection inside is visible to `store/` only; query functions reach it through
//! the few forwarding methods below, which keep their code as it was.

use rusqlite::{CachedStatement, Connection, Params, Row, Statement};

use crate::domain::{Clock, Millis};

/// A read handle: one of the pool's read-only connections inside its read transaction,
/// or the writer's connection seen through a [`Tx`].
pub struct Db {
    conn: Connection,
    clock: Clock,
}

/// The writer's transaction, as a write job sees it (its own savepoint of the group).
pub struct Tx {
    db: Db,
}

impl Db {
    pub(in crate::store) fn new(conn: Connection, clock: Clock) -> Db {
        Db { conn, clock }
    }

    /// The store's time, for timestamps written or compared in this job.
    pub fn now(&self) -> Millis {
        self.clock.now()
    }

    pub(in crate::store) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(in crate::store) fn prepare_cached(
        &self,
        sql: &str,
    ) -> rusqlite::Result<CachedStatement<'_>> {
        self.conn.prepare_cached(sql)
    }

    pub(in crate::store) fn prepare(&self, sql: &str) -> rusqlite::Result<Statement<'_>> {
        self.conn.prepare(sql)
    }

    pub(in crate::store) fn query_row<T, P, F>(
        &self,
        sql: &str,
        params: P,
        f: F,
    ) -> rusqlite::Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    {
        // Cached: parsing a statement costs more than running most of ours.
        self.conn.prepare_cached(sql)?.query_row(params, f)
    }
}

impl Tx {
    pub(in crate::store) fn new(conn: Connection, clock: Clock) -> Tx {
        Tx {
            db: Db::new(conn, clock),
        }
    }

    pub(in crate::store) fn execute<P: Params>(
        &self,
        sql: &str,
        params: P,
    ) -> rusqlite::Result<usize> {
        self.db.conn.prepare_cached(sql)?.execute(params)
    }

    pub(in crate::store) fn last_insert_rowid(&self) -> i64 {
        self.db.conn.last_insert_rowid()
    }
}

impl std::ops::Deref for Tx {
    type Target = Db;

    fn deref(&self) -> &Db {
        &self.db
    }
}
