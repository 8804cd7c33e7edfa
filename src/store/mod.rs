//! The SQLite store: the only module that touches rusqlite.
//!
//! Architecture invariant: there is exactly one writer connection, owned by a dedicated
//! thread. Write jobs queue on a channel; the thread drains whatever is waiting, runs
//! each job inside its own SAVEPOINT of one shared transaction and commits once, then
//! answers every job. That is group commit: one fsync covers many concurrent writes,
//! while a failing job rolls back only its own savepoint. No caller is answered before
//! the commit that made its write durable.
//!
//! Reads run on a small pool of read-only connections through `spawn_blocking`, so the
//! async executor never blocks on SQLite. WAL mode lets readers run beside the writer.

mod migrations;
pub mod queries;

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OpenFlags};
use tokio::sync::oneshot;

pub use rusqlite::{OptionalExtension, Row, Transaction, params, types::Value};

/// The largest number of queued writes folded into one transaction.
const MAX_GROUP: usize = 256;
/// Read connections kept open; more are opened on demand under load and then dropped.
const READ_POOL_SIZE: usize = 8;

/// Errors below the service layer. Services decide what they mean to a caller.
#[derive(Debug)]
pub enum StoreError {
    Sqlite(rusqlite::Error),
    /// The store is shutting down or its writer thread died.
    Closed,
    /// A job failed for a reason of its own (validation inside the transaction).
    Job(crate::error::Error),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Sqlite(e) => write!(f, "sqlite: {e}"),
            StoreError::Closed => f.write_str("the store is closed"),
            StoreError::Job(e) => write!(f, "{e:?}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Sqlite(e)
    }
}

impl From<crate::error::Error> for StoreError {
    fn from(e: crate::error::Error) -> Self {
        StoreError::Job(e)
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A unit of work for the writer thread.
trait WriteJob: Send {
    /// Runs inside a savepoint; returns false when the savepoint must be rolled back.
    fn run(&mut self, conn: &Connection) -> bool;
    /// Delivers the outcome once the surrounding transaction has committed (or failed).
    fn finish(self: Box<Self>, commit: Result<(), &rusqlite::Error>);
}

struct Job<F, T> {
    work: Option<F>,
    outcome: Option<StoreResult<T>>,
    reply: oneshot::Sender<StoreResult<T>>,
}

impl<F, T> WriteJob for Job<F, T>
where
    F: FnOnce(&Connection) -> StoreResult<T> + Send,
    T: Send,
{
    fn run(&mut self, conn: &Connection) -> bool {
        let Some(work) = self.work.take() else {
            return false;
        };
        let outcome = work(conn);
        let ok = outcome.is_ok();
        self.outcome = Some(outcome);
        ok
    }

    fn finish(self: Box<Self>, commit: Result<(), &rusqlite::Error>) {
        let outcome = match (commit, self.outcome) {
            (_, Some(Err(e))) => Err(e),
            (Ok(()), Some(Ok(v))) => Ok(v),
            (Err(e), Some(Ok(_))) => {
                tracing::error!(error = %e, "group commit failed");
                Err(StoreError::Closed)
            }
            (_, None) => Err(StoreError::Closed),
        };
        // The caller may have gone away (request cancelled); the write still stands.
        let _ = self.reply.send(outcome);
    }
}

struct ReadPool {
    path: std::path::PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl ReadPool {
    fn take(&self) -> StoreResult<Connection> {
        if let Some(conn) = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop() {
            return Ok(conn);
        }
        open_reader(&self.path)
    }

    fn give_back(&self, conn: Connection) {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < READ_POOL_SIZE {
            idle.push(conn);
        }
    }
}

/// Handle to the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    writer: std::sync::mpsc::Sender<Box<dyn WriteJob>>,
    readers: Arc<ReadPool>,
    writer_thread: Arc<Mutex<Option<std::thread::JoinHandle<()>>>>,
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "cache_size", -32_000)?;
    Ok(())
}

fn open_reader(path: &Path) -> StoreResult<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI,
    )?;
    configure(&conn)?;
    Ok(conn)
}

impl Store {
    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    pub fn open(path: &Path) -> StoreResult<Store> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: a commit acknowledged to a client survives power loss, not only a crash.
        conn.pragma_update(None, "synchronous", "FULL")?;
        configure(&conn)?;
        migrations::apply(&mut conn)?;

        let (tx, rx) = std::sync::mpsc::channel::<Box<dyn WriteJob>>();
        let handle = std::thread::Builder::new()
            .name("tessera-writer".into())
            .spawn(move || writer_loop(conn, rx))
            .map_err(|_| StoreError::Closed)?;
        Ok(Store {
            writer: tx,
            readers: Arc::new(ReadPool {
                path: path.to_path_buf(),
                idle: Mutex::new(Vec::new()),
            }),
            writer_thread: Arc::new(Mutex::new(Some(handle))),
        })
    }

    /// Runs `work` in a write transaction (its own savepoint) and answers after commit.
    pub async fn write<T, F>(&self, work: F) -> StoreResult<T>
    where
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job: Box<dyn WriteJob> = Box::new(Job {
            work: Some(work),
            outcome: None,
            reply,
        });
        self.writer.send(job).map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }

    /// Runs `work` on a read connection, off the async executor.
    pub async fn read<T, F>(&self, work: F) -> StoreResult<T>
    where
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.readers.clone();
        tokio::task::spawn_blocking(move || {
            let conn = pool.take()?;
            // One read transaction, so multi-query reads see one consistent snapshot.
            conn.execute_batch("BEGIN DEFERRED")?;
            let result = work(&conn);
            let end = conn.execute_batch("COMMIT");
            if end.is_ok() {
                pool.give_back(conn);
            }
            result
        })
        .await
        .map_err(|_| StoreError::Closed)?
    }

    /// Blocking variant of `read` for command-line tools and start-up.
    pub fn read_blocking<T>(
        &self,
        work: impl FnOnce(&Connection) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let conn = self.readers.take()?;
        // One read transaction, as in `read`: a consistent snapshot, and one shared lock
        // for the whole job instead of one per statement.
        conn.execute_batch("BEGIN DEFERRED")?;
        let result = work(&conn);
        if conn.execute_batch("COMMIT").is_ok() {
            self.readers.give_back(conn);
        }
        result
    }

    /// Blocking variant of `write` for command-line tools and start-up.
    pub fn write_blocking<T, F>(&self, work: F) -> StoreResult<T>
    where
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job: Box<dyn WriteJob> = Box::new(Job {
            work: Some(work),
            outcome: None,
            reply,
        });
        self.writer.send(job).map_err(|_| StoreError::Closed)?;
        answer.blocking_recv().map_err(|_| StoreError::Closed)?
    }

    /// Stops accepting writes once every clone is dropped, and waits for the writer to
    /// finish what it was given. Call after the server has drained its requests.
    pub fn close(self) {
        let handle = self
            .writer_thread
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        drop(self);
        if let Some(handle) = handle {
            // The thread ends when the last sender is gone; other clones may still live
            // (tests), so do not wait forever.
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
            while !handle.is_finished() && std::time::Instant::now() < deadline {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
    }
}

fn writer_loop(conn: Connection, jobs: std::sync::mpsc::Receiver<Box<dyn WriteJob>>) {
    while let Ok(first) = jobs.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_GROUP {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
            for job in batch {
                job.finish(Err(&e));
            }
            continue;
        }
        for job in batch.iter_mut() {
            let ok = conn.execute_batch("SAVEPOINT job").is_ok() && job.run(&conn);
            let end = if ok {
                "RELEASE job"
            } else {
                "ROLLBACK TO job; RELEASE job"
            };
            if let Err(e) = conn.execute_batch(end) {
                tracing::error!(error = %e, "savepoint handling failed");
            }
        }
        match conn.execute_batch("COMMIT") {
            Ok(()) => batch.into_iter().for_each(|job| job.finish(Ok(()))),
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                batch.into_iter().for_each(|job| job.finish(Err(&e)));
            }
        }
    }
}
