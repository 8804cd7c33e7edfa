//! Services: permission checks, validation, workflows, transactions, changelog.
//!
//! Architecture invariant: every read and write of issue data goes through a method on
//! [`App`] that checks the caller's permission before touching data. Handlers never call
//! the store directly.

pub mod activity;
pub mod attachments;
pub mod auth;
pub mod catalog;
pub mod comments;
pub mod components;
pub mod demo;
pub mod fields;
pub mod filters;
pub mod issues;
pub mod jql;
pub mod links;
mod login_throttle;
pub mod meta;
pub mod permissions;
pub mod projects;
pub mod properties;
pub mod remote_links;
pub mod scopes;
pub mod search;
pub mod subtasks;
pub mod users;
pub mod version_links;
pub mod watchers;
pub mod worklogs;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use crate::config::Config;
use crate::domain::*;
use crate::error::{Error, Result};
use crate::store::Store;

pub use catalog::Catalog;
pub use permissions::{Permission, PermissionSet};

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    pub groups: Vec<String>,
    /// What the credentials used may do: everything for a password, a session or a
    /// token without scopes; only its scopes for a scoped token.
    pub grants: scopes::Grants,
}

impl Caller {
    pub fn in_group(&self, name: &str) -> bool {
        self.groups.iter().any(|g| g.eq_ignore_ascii_case(name))
    }
    /// Whether the credentials used grant `scope` (always true without scoped tokens).
    pub fn allows(&self, scope: scopes::Scope) -> bool {
        self.grants.allows(scope)
    }
}

/// The application: configuration, store, caches. Shared by every request as `Arc<App>`.
pub struct App {
    pub config: Arc<Config>,
    pub store: Store,
    catalog: Arc<RwLock<Arc<Catalog>>>,
    /// Held from reading a fresh catalog to installing it, so a reload that read an
    /// older snapshot never replaces a newer one.
    catalog_reload: tokio::sync::Mutex<()>,
    pub search: Arc<crate::search::SearchIndex>,
    pub(crate) indexer: Mutex<Option<crate::jobs::Indexer>>,
    /// Secret for keyed digests (password cache, signed URLs); kept in the database.
    secret: [u8; 32],
    password_cache: Mutex<HashMap<[u8; 32], std::time::Instant>>,
    /// Failed logins per (account, client) and per client; see `login_throttle`.
    login_failures: Mutex<LoginFailures>,
    /// Password verifications run (argon2id), including the dummy ones for unknown users.
    password_checks: std::sync::atomic::AtomicU64,
    /// Password verifications allowed at once. Each argon2id run takes 19 MiB, and the
    /// allocator keeps that per thread that ran one: unbounded, a login flood spreads
    /// over the blocking pool's hundreds of threads and holds gigabytes.
    password_slots: tokio::sync::Semaphore,
    /// Browsable projects per caller, valid while the ACL counter is unchanged.
    browse_cache: Mutex<BrowseCache>,
}

pub(crate) struct LoginFailures {
    pairs: login_throttle::Table,
    clients: login_throttle::Table,
}

/// (ACL version, the caller's groups, projects they may browse) per user (or anonymous).
type BrowseCache = HashMap<Option<UserId>, (i64, Vec<String>, Arc<Vec<(Project, PermissionSet)>>)>;

impl App {
    /// Opens the data directory, applies migrations, loads caches and makes sure an
    /// administrator exists. Returns the app and, on first start, the generated admin
    /// password to print once.
    pub fn open(config: Config) -> Result<(Arc<App>, Option<String>)> {
        config.prepare_dirs().map_err(|e| {
            tracing::error!(error = %e, dir = %config.data_dir.display(), "cannot create the data directory");
            Error::internal()
        })?;
        let store = Store::open(&config.database_path())?;
        let secret = auth::load_or_create_secret(&store)?;
        let catalog = Arc::new(RwLock::new(Arc::new(store.read_blocking(Catalog::load)?)));
        let search = open_index(&config, &store, &catalog)?;
        let source_catalog = catalog.clone();
        let current: Arc<dyn Fn() -> Arc<Catalog> + Send + Sync> = Arc::new(move || {
            source_catalog
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .clone()
        });
        let indexer = if config.index_writer {
            let indexer = crate::jobs::Indexer::start(
                search.clone(),
                search::outbox_source(store.clone(), current.clone()),
                search::full_source(store.clone(), current),
                search::head_source(store.clone()),
            )
            .map_err(|e| {
                tracing::error!(error = %e, "cannot start the indexer");
                Error::internal()
            })?;
            // Only the process that owns the data directory cleans its leftovers: it
            // holds the index writer's lock from here on, so no other server (with
            // uploads in flight) can be running on this directory.
            crate::jobs::recover_attachment_storage(&store, &config.attachments_dir())?;
            Some(indexer)
        } else {
            None
        };
        let config_cap = config.login_table_cap;
        let app = Arc::new(App {
            config: Arc::new(config),
            store,
            catalog,
            catalog_reload: tokio::sync::Mutex::new(()),
            search,
            indexer: Mutex::new(indexer),
            secret,
            password_cache: Mutex::new(HashMap::new()),
            login_failures: Mutex::new(LoginFailures {
                pairs: login_throttle::Table::new(config_cap),
                clients: login_throttle::Table::new(config_cap),
            }),
            password_checks: std::sync::atomic::AtomicU64::new(0),
            password_slots: tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get().min(8)),
            ),
            browse_cache: Mutex::new(HashMap::new()),
        });
        let printed = app.bootstrap_admin()?;
        Ok((app, printed))
    }

    /// The current catalog snapshot (statuses, types, fields, schemes).
    pub fn catalog(&self) -> Arc<Catalog> {
        self.catalog
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Reloads the catalog after a change to one of its tables.
    pub(crate) async fn reload_catalog(&self) -> Result<()> {
        let _one_at_a_time = self.catalog_reload.lock().await;
        let fresh = self.store.read(Catalog::load).await?;
        *self.catalog.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(fresh);
        Ok(())
    }

    pub fn secret(&self) -> &[u8; 32] {
        &self.secret
    }

    /// Wakes the indexer: there are new outbox entries.
    pub fn poke_indexer(&self) {
        if let Some(i) = self
            .indexer
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
        {
            i.poke();
        }
    }

    /// Stops the indexer thread after its current batch (shutdown).
    pub fn stop_indexer(&self) {
        let indexer = self
            .indexer
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        drop(indexer);
    }
}

/// Opens the search index; an index that has never been committed while SQLite holds
/// issues (new data directory copy, schema change, deleted index folder) is rebuilt, and
/// any other is checked for issues without exactly one document.
fn open_index(
    config: &Config,
    store: &Store,
    catalog: &RwLock<Arc<Catalog>>,
) -> Result<Arc<crate::search::SearchIndex>> {
    let (index, _) = crate::search::SearchIndex::open(&config.index_dir(), config.index_writer)
        .map_err(|e| {
            tracing::error!(error = %e, "cannot open the search index");
            Error::internal()
        })?;
    let issues = store.read_blocking(crate::store::queries::issues::count)?;
    if config.index_writer && index.is_empty_generation() && issues > 0 {
        tracing::info!(
            issues,
            "search index missing or outdated: rebuilding from the database"
        );
        let catalog = catalog.read().unwrap_or_else(|p| p.into_inner()).clone();
        search::full_rebuild(store, catalog, &index)?;
    } else if config.index_writer {
        // Derived data that a crash, a bug or a copied folder may have put out of step:
        // checked on every start, before any request.
        search::repair_index(store, &index)?;
    }
    Ok(index)
}

/// A page of results with Jira's offset pagination.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub start_at: i64,
    pub max_results: i64,
    pub total: i64,
    pub items: Vec<T>,
}

impl<T> Page<T> {
    pub fn is_last(&self) -> bool {
        self.start_at + self.items.len() as i64 >= self.total
    }

    /// Pages an in-memory list.
    pub fn of(all: Vec<T>, start_at: i64, max_results: i64) -> Page<T> {
        let total = all.len() as i64;
        let items = all
            .into_iter()
            .skip(start_at.max(0) as usize)
            .take(max_results.max(0) as usize)
            .collect();
        Page {
            start_at,
            max_results,
            total,
            items,
        }
    }
}

/// Validates Jira paging parameters.
pub fn paging(
    start_at: Option<i64>,
    max_results: Option<i64>,
    default_max: i64,
    cap: i64,
) -> Result<(i64, i64)> {
    let start = start_at.unwrap_or(0);
    if start < 0 {
        return Err(Error::bad_request("startAt must be a non-negative number."));
    }
    let max = max_results.unwrap_or(default_max);
    if max < 0 {
        return Err(Error::bad_request(
            "maxResults must be a non-negative number.",
        ));
    }
    Ok((start, max.min(cap)))
}
