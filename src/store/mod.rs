//! The SQLite store: the only module that touches rusqlite.
//!
//! Architecture invariant: there is exactly one writer connection, owned by a dedicated
//! thread. Write jobs queue on a channel; the thread drains whatever is waiting, runs
//! each job inside its own SAVEPOINT of one shared transaction and commits once, then
//! answers every job. That is group commit: one fsync covers many concurrent writes,
//! while a failing job rolls back only its own savepoint. No caller is answered before
//! the commit that made its write durable.
//!
//! Bulk jobs (generated data sets) are the one exception to grouping: each runs alone,
//! without foreign-key checks, and while they run a second connection on its own thread
//! copies the log into the database (checkpoints), which never writes rows itself.
//!
//! Reads run on a small pool of read-only connections through `spawn_blocking`, so the
//! async executor never blocks on SQLite. WAL mode lets readers run beside the writer.

mod handle;
mod migrations;
pub mod queries;
#[cfg(test)]
mod tests;

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OpenFlags};
use tokio::sync::oneshot;

use crate::domain::{Clock, Millis};

pub use handle::{Db, Tx};

/// The largest number of queued writes folded into one transaction.
const MAX_GROUP: usize = 256;
/// Reads running at once, each on its own connection, kept open once made: a read
/// past the limit waits for a connection instead of opening (and then dropping) one,
/// which would re-read the schema and reopen the WAL index each time. A few per core,
/// since a read mostly waits on the page cache rather than computing.
fn read_pool_size() -> usize {
    std::thread::available_parallelism().map_or(8, |n| (n.get() * 4).clamp(8, 64))
}

/// Statements each connection keeps prepared; more than the store's distinct queries
/// on a hot path, so the cache does not thrash.
const STATEMENT_CACHE: usize = 256;

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
    /// How the writer runs the job: grouped with others, or alone as a bulk job.
    fn mode(&self) -> Mode {
        Mode::Grouped
    }
    /// Runs inside a savepoint; returns false when the savepoint must be rolled back.
    fn run(&mut self, tx: &Tx) -> bool;
    /// Delivers the outcome once the surrounding transaction has committed (or failed).
    fn finish(self: Box<Self>, commit: Result<(), &rusqlite::Error>);
}

struct Job<F, T> {
    work: Option<F>,
    outcome: Option<StoreResult<T>>,
    reply: oneshot::Sender<StoreResult<T>>,
    mode: Mode,
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// An ordinary write: its own savepoint in a group commit, durable when answered.
    Grouped,
    /// A bulk job (see `Store::write_bulk`); `durable` makes its commit wait for the disk.
    Bulk { durable: bool },
}

impl<F, T> WriteJob for Job<F, T>
where
    F: FnOnce(&Tx) -> StoreResult<T> + Send,
    T: Send,
{
    fn mode(&self) -> Mode {
        self.mode
    }

    fn run(&mut self, tx: &Tx) -> bool {
        let Some(work) = self.work.take() else {
            return false;
        };
        let outcome = work(tx);
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
    clock: Clock,
    idle: Mutex<Vec<Db>>,
    /// One permit per connection the pool may hold; an async read holds one while it runs.
    slots: Arc<tokio::sync::Semaphore>,
    size: usize,
    /// Connections opened so far (each costs a schema parse and a WAL-index mapping).
    opened: std::sync::atomic::AtomicUsize,
}

impl ReadPool {
    fn take(&self) -> StoreResult<Db> {
        if let Some(conn) = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop() {
            return Ok(conn);
        }
        self.opened
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(Db::new(open_reader(&self.path)?, self.clock.clone()))
    }

    fn give_back(&self, conn: Db) {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        // Only blocking reads (start-up, the command line) run outside the permits and
        // can make a connection more; that one is dropped.
        if idle.len() < self.size {
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
    clock: Clock,
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "cache_size", -32_000)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
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
    /// Opens (creating if needed) the database at `path` and applies pending migrations,
    /// on the system clock.
    pub fn open(path: &Path) -> StoreResult<Store> {
        Store::open_with_clock(path, Clock::system())
    }

    /// As [`Store::open`], with timestamps from `clock`.
    pub fn open_with_clock(path: &Path, clock: Clock) -> StoreResult<Store> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: a commit acknowledged to a client survives power loss, not only a crash.
        conn.pragma_update(None, "synchronous", "FULL")?;
        // The log grows past its usual few MiB while a bulk load outruns the checkpoints
        // (to the size of the data loaded); when it next starts over, it shrinks to this.
        conn.pragma_update(None, "journal_size_limit", 64 * 1024 * 1024)?;
        configure(&conn)?;
        migrations::apply(&mut conn)?;

        let checkpoints = spawn_checkpointer(path)?;
        let (tx, rx) = std::sync::mpsc::channel::<Box<dyn WriteJob>>();
        let handle = std::thread::Builder::new()
            .name("tessera-writer".into())
            .spawn({
                let clock = clock.clone();
                move || writer_loop(conn, clock, rx, checkpoints)
            })
            .map_err(|_| StoreError::Closed)?;
        Ok(Store {
            writer: tx,
            readers: Arc::new(ReadPool {
                path: path.to_path_buf(),
                clock: clock.clone(),
                idle: Mutex::new(Vec::new()),
                slots: Arc::new(tokio::sync::Semaphore::new(read_pool_size())),
                size: read_pool_size(),
                opened: Default::default(),
            }),
            writer_thread: Arc::new(Mutex::new(Some(handle))),
            clock,
        })
    }

    /// The store's time (see [`Db::now`]), for code outside a read or write job.
    pub fn now(&self) -> Millis {
        self.clock.now()
    }

    /// Runs `work` in a write transaction (its own savepoint) and answers after commit.
    pub async fn write<T, F>(&self, work: F) -> StoreResult<T>
    where
        F: FnOnce(&Tx) -> StoreResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let answer = self.submit(work, Mode::Grouped)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }

    /// Runs `work` alone in its own transaction with foreign-key checks off, for loading
    /// generated data whose references the caller guarantees. Checking each reference of
    /// each inserted row is most of the cost of a bulk insert (about 30 B-tree lookups
    /// for an issue with its comments); ordinary writes never take this path.
    ///
    /// Unless `durable`, the commit does not wait for the disk: a crash or power loss may
    /// drop it, never half of it. A load passes `durable` for its last job, whose sync of
    /// the log makes every bulk commit before it durable as well.
    ///
    /// The job is queued when this is called, not when the answer is awaited, so jobs
    /// run in the order of the calls and a caller can queue the next before the answer.
    pub fn write_bulk<T, F>(
        &self,
        durable: bool,
        work: F,
    ) -> impl std::future::Future<Output = StoreResult<T>> + Send + 'static
    where
        F: FnOnce(&Tx) -> StoreResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let answer = self.submit(work, Mode::Bulk { durable });
        async move { answer?.await.map_err(|_| StoreError::Closed)? }
    }

    fn submit<T, F>(&self, work: F, mode: Mode) -> StoreResult<oneshot::Receiver<StoreResult<T>>>
    where
        F: FnOnce(&Tx) -> StoreResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job: Box<dyn WriteJob> = Box::new(Job {
            work: Some(work),
            outcome: None,
            reply,
            mode,
        });
        self.writer.send(job).map_err(|_| StoreError::Closed)?;
        Ok(answer)
    }

    /// Runs `work` on a read connection, off the async executor.
    pub async fn read<T, F>(&self, work: F) -> StoreResult<T>
    where
        F: FnOnce(&Db) -> StoreResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.readers.clone();
        let permit = pool
            .slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| StoreError::Closed)?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let conn = pool.take()?;
            // One read transaction, so multi-query reads see one consistent snapshot.
            conn.conn().execute_batch("BEGIN DEFERRED")?;
            let result = work(&conn);
            let end = conn.conn().execute_batch("COMMIT");
            if end.is_ok() {
                pool.give_back(conn);
            }
            result
        })
        .await
        .map_err(|_| StoreError::Closed)?
    }

    /// Blocking variant of `read` for command-line tools and start-up.
    pub fn read_blocking<T>(&self, work: impl FnOnce(&Db) -> StoreResult<T>) -> StoreResult<T> {
        let conn = self.readers.take()?;
        // One read transaction, as in `read`: a consistent snapshot, and one shared lock
        // for the whole job instead of one per statement.
        conn.conn().execute_batch("BEGIN DEFERRED")?;
        let result = work(&conn);
        if conn.conn().execute_batch("COMMIT").is_ok() {
            self.readers.give_back(conn);
        }
        result
    }

    /// Blocking variant of `write` for command-line tools and start-up.
    pub fn write_blocking<T, F>(&self, work: F) -> StoreResult<T>
    where
        F: FnOnce(&Tx) -> StoreResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let answer = self.submit(work, Mode::Grouped)?;
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

/// Starts the thread that copies the write-ahead log into the database while bulk jobs
/// go on writing; each message asks for one checkpoint. It ends with the writer.
fn spawn_checkpointer(path: &Path) -> StoreResult<std::sync::mpsc::Sender<()>> {
    let conn = Connection::open(path)?;
    configure(&conn)?;
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    std::thread::Builder::new()
        .name("tessera-checkpoint".into())
        .spawn(move || {
            while rx.recv().is_ok() {
                // Requests that queued meanwhile are served by this one checkpoint.
                while rx.try_recv().is_ok() {}
                // PASSIVE: copies what it can without waiting for readers or the writer.
                if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
                    tracing::warn!(error = %e, "checkpoint failed");
                }
            }
        })
        .map_err(|_| StoreError::Closed)?;
    Ok(tx)
}

fn writer_loop(
    conn: Connection,
    clock: Clock,
    jobs: std::sync::mpsc::Receiver<Box<dyn WriteJob>>,
    checkpoints: std::sync::mpsc::Sender<()>,
) {
    let tx = Tx::new(conn, clock);
    // A bulk job met while gathering a group waits here and runs alone next.
    let mut held: Option<Box<dyn WriteJob>> = None;
    loop {
        let first = match held.take() {
            Some(job) => job,
            None => match jobs.recv() {
                Ok(job) => job,
                Err(_) => return,
            },
        };
        if first.mode() != Mode::Grouped {
            let (ok, next) = run_bulk(&tx, first, &jobs, &checkpoints);
            if !ok {
                // Writing on without foreign-key checks could corrupt references; the
                // store closes instead and every later write is refused.
                return;
            }
            held = next;
            continue;
        }
        let mut batch = vec![first];
        while batch.len() < MAX_GROUP {
            match jobs.try_recv() {
                Ok(job) if job.mode() != Mode::Grouped => {
                    held = Some(job);
                    break;
                }
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        run_group(&tx, batch);
    }
}

/// Runs a group of jobs in one transaction, each in its own savepoint, and commits once.
fn run_group(tx: &Tx, mut batch: Vec<Box<dyn WriteJob>>) {
    let conn = tx.conn();
    if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
        for job in batch {
            job.finish(Err(&e));
        }
        return;
    }
    for job in batch.iter_mut() {
        let ok = conn.execute_batch("SAVEPOINT job").is_ok() && job.run(tx);
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

/// Runs one job in a transaction of its own, without a savepoint: a savepoint makes
/// SQLite copy every page the job touches into a statement journal, and a job alone can
/// roll back the whole transaction instead.
fn run_alone(tx: &Tx, mut job: Box<dyn WriteJob>) {
    let conn = tx.conn();
    if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
        job.finish(Err(&e));
        return;
    }
    // The job may have ended the transaction itself (`INSERT OR ROLLBACK`).
    if !job.run(tx) {
        if conn.is_autocommit() {
            job.finish(Ok(()));
            return;
        }
        if let Err(e) = conn.execute_batch("ROLLBACK") {
            tracing::error!(error = %e, "rollback failed");
        }
        job.finish(Ok(()));
        return;
    }
    match conn.execute_batch("COMMIT") {
        Ok(()) => job.finish(Ok(())),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            job.finish(Err(&e));
        }
    }
}

/// Runs a bulk job, and those queued right behind it, with foreign-key checks off,
/// commits that wait for the disk only when `durable`, and checkpoints left to the
/// checkpointer thread, so copying the log into the database runs on another core
/// while the writer goes on (on the writer they took a quarter of a bulk load). SQLite
/// ignores these pragmas inside a transaction, so they are switched between
/// transactions, and back whatever happens. Returns false when they could not be
/// switched back, and the ordinary job met after the bulk ones, to run next.
fn run_bulk(
    tx: &Tx,
    first: Box<dyn WriteJob>,
    jobs: &std::sync::mpsc::Receiver<Box<dyn WriteJob>>,
    checkpoints: &std::sync::mpsc::Sender<()>,
) -> (bool, Option<Box<dyn WriteJob>>) {
    let conn = tx.conn();
    // A flag pragma such as `foreign_keys` expires every prepared statement, so the
    // mode stays on while bulk jobs follow each other; `synchronous` expires nothing.
    if let Err(e) = conn.execute_batch("PRAGMA foreign_keys = OFF; PRAGMA wal_autocheckpoint = 0;")
    {
        first.finish(Err(&e));
        return (leave_bulk_mode(conn), None);
    }
    let mut job = first;
    let next = loop {
        let durable = job.mode() == Mode::Bulk { durable: true };
        match conn.pragma_update(None, "synchronous", if durable { "FULL" } else { "NORMAL" }) {
            Ok(()) => {
                run_alone(tx, job);
                // The checkpointer may be gone only when the store is closing.
                let _ = checkpoints.send(());
            }
            Err(e) => job.finish(Err(&e)),
        }
        match jobs.try_recv() {
            Ok(following) if following.mode() != Mode::Grouped => job = following,
            Ok(ordinary) => break Some(ordinary),
            Err(_) => break None,
        }
    };
    (leave_bulk_mode(conn), next)
}

/// Turns foreign-key checks, auto-checkpoints and full syncs back on; false if it
/// could not.
fn leave_bulk_mode(conn: &Connection) -> bool {
    match conn.execute_batch(
        "PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = 1000; PRAGMA synchronous = FULL;",
    ) {
        Ok(()) => true,
        Err(e) => {
            tracing::error!(error = %e, "cannot leave bulk mode; the writer stops");
            false
        }
    }
}
