//! Services: permission checks, validation, workflows, transactions, changelog.
//!
//! Architecture invariant: every read and write of issue data goes through a method on
//! [`Services`] that checks the caller's permission before touching data. Handlers never call
//! the store directly.

pub mod activity;
pub mod admin;
pub mod agile;
pub mod attachments;
pub mod audit;
pub mod blobs;
pub mod catalog;
pub mod comments;
pub mod components;
pub mod demo;
pub mod directory;
pub mod fields;
pub mod filters;
pub mod issues;
pub mod levels;
pub mod links;
pub mod meta;
pub mod permissions;
pub mod projects;
pub mod properties;
pub mod remote_links;
pub mod search;
pub mod security;
pub mod servicedesk;
pub mod settings;
pub mod users;
pub mod version_links;
pub mod watchers;
pub mod worklogs;

use std::sync::Arc;

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
    pub grants: crate::auth::scopes::Grants,
    /// The client's address, for the audit log; `None` for in-process callers and
    /// callers acting as someone else (a filter's subscribers, a notification).
    pub client: Option<std::net::IpAddr>,
}

impl Caller {
    pub fn in_group(&self, name: &str) -> bool {
        self.groups.iter().any(|g| g.eq_ignore_ascii_case(name))
    }
    /// Whether the credentials used grant `scope` (always true without scoped tokens).
    pub fn allows(&self, scope: crate::auth::scopes::Scope) -> bool {
        self.grants.allows(scope)
    }
}

/// The services root: one service per area, built once at start-up in dependency order
/// and shared by every request as `Arc<Services>`. Handlers receive this and call one
/// area's method (`app.comments.add_comment(..)`); the store and the index are private
/// to the services that own them.
pub struct Services {
    pub config: Arc<Config>,
    pub catalog: Arc<catalog::Service>,
    pub auth: Arc<crate::auth::Service>,
    pub permissions: Arc<permissions::Service>,
    pub users: Arc<users::Service>,
    pub search: Arc<search::Service>,
    pub issues: Arc<issues::Service>,
    pub comments: Arc<comments::Service>,
    pub worklogs: Arc<worklogs::Service>,
    pub watchers: Arc<watchers::Service>,
    pub attachments: Arc<attachments::Service>,
    pub links: Arc<links::Service>,
    pub remote_links: Arc<remote_links::Service>,
    pub projects: Arc<projects::Service>,
    pub roles: Arc<admin::roles::Service>,
    pub schemes: Arc<admin::schemes::Service>,
    pub notifications: Arc<admin::notifications::Service>,
    pub components: Arc<components::Service>,
    pub version_links: Arc<version_links::Service>,
    pub meta: Arc<meta::Service>,
    pub filters: Arc<filters::Service>,
    pub properties: Arc<properties::Service>,
    pub activity: Arc<activity::Service>,
    pub audit: Arc<audit::Service>,
    pub security: Arc<security::Service>,
    pub settings: Arc<settings::Service>,
    pub demo: Arc<demo::Service>,
    pub directory: Arc<directory::Service>,
    pub agile: Arc<agile::Service>,
    pub servicedesk: Arc<servicedesk::Service>,
    /// Kept for [`Services::flush`]: the one thing the root does with the store itself.
    store: Store,
}

impl Services {
    /// The server's time (the store's clock), for surfaces that show or compute with it.
    pub fn now(&self) -> Millis {
        self.store.now()
    }

    /// Opens the data directory, applies migrations, loads caches and makes sure an
    /// administrator exists. Returns the services and, on first start, the generated
    /// admin password to print once.
    pub fn open(config: Config) -> Result<(Arc<Services>, Option<String>)> {
        config.prepare_dirs().map_err(|e| {
            tracing::error!(error = %e, dir = %config.data_dir.display(), "cannot create the data directory");
            Error::internal()
        })?;
        let config = Arc::new(config);
        let store = Store::open_with_clock(&config.database_path(), config.clock.clone())?;
        let catalog = Arc::new(catalog::Service::load(store.clone())?);
        let auth = Arc::new(crate::auth::Service::new(store.clone(), config.clone())?);
        let permissions = Arc::new(permissions::Service::new(store.clone(), catalog.clone()));
        let blobs = blobs::Blobs::new(store.clone(), config.attachments_dir());
        let users = Arc::new(users::Service::new(
            store.clone(),
            catalog.clone(),
            permissions.clone(),
            auth.clone(),
        ));
        let issues = Arc::new(issues::Service::new(
            store.clone(),
            catalog.clone(),
            permissions.clone(),
            users.clone(),
            blobs,
        ));
        let search = Arc::new(search::Service::open(
            store.clone(),
            config.clone(),
            catalog.clone(),
            permissions.clone(),
            issues.clone(),
        )?);
        if config.index_writer {
            // Only the process that owns the data directory cleans its leftovers: it
            // holds the index writer's lock from here on (taken when the indexer
            // started), so no other server (with uploads in flight) can be running on
            // this directory.
            crate::jobs::recover_attachment_storage(&store, &config.attachments_dir())?;
        }
        let projects = Arc::new(projects::Service::new(
            store.clone(),
            catalog.clone(),
            permissions.clone(),
            users.clone(),
        ));
        let components = Arc::new(components::Service::new(
            store.clone(),
            catalog.clone(),
            permissions.clone(),
            projects.clone(),
            users.clone(),
        ));
        let (roles, schemes) = (
            Arc::new(admin::roles::Service::new(
                store.clone(),
                catalog.clone(),
                permissions.clone(),
                projects.clone(),
            )),
            Arc::new(admin::schemes::Service::new(
                store.clone(),
                catalog.clone(),
                permissions.clone(),
                projects.clone(),
            )),
        );
        let filters = Arc::new(filters::Service::new(
            store.clone(),
            catalog.clone(),
            permissions.clone(),
            users.clone(),
            search.clone(),
        ));
        let agile = Arc::new(agile::Service::new(
            store.clone(),
            catalog.clone(),
            permissions.clone(),
            search.clone(),
            filters.clone(),
            issues.clone(),
        ));
        let comments = Arc::new(comments::Service::new(
            store.clone(),
            catalog.clone(),
            permissions.clone(),
            issues.clone(),
        ));
        let attachments = Arc::new(attachments::Service::new(
            store.clone(),
            config.clone(),
            catalog.clone(),
            auth.clone(),
            issues.clone(),
            users.clone(),
        ));
        let servicedesk = Arc::new(servicedesk::Service::new(
            store.clone(),
            catalog.clone(),
            permissions.clone(),
            issues.clone(),
            comments.clone(),
            users.clone(),
            search.clone(),
            attachments.clone(),
        ));
        let app = Arc::new(Services {
            settings: Arc::new(settings::Service::new(
                store.clone(),
                catalog.clone(),
                permissions.clone(),
            )),
            agile,
            servicedesk,
            comments,
            attachments,
            roles,
            schemes,
            notifications: Arc::new(admin::notifications::Service::new(
                store.clone(),
                permissions.clone(),
                projects.clone(),
            )),
            worklogs: Arc::new(worklogs::Service::new(
                store.clone(),
                catalog.clone(),
                permissions.clone(),
                issues.clone(),
                users.clone(),
            )),
            watchers: Arc::new(watchers::Service::new(store.clone(), catalog.clone())),
            links: Arc::new(links::Service::new(
                store.clone(),
                catalog.clone(),
                permissions.clone(),
            )),
            remote_links: Arc::new(remote_links::Service::new(
                store.clone(),
                catalog.clone(),
                issues.clone(),
            )),
            version_links: Arc::new(version_links::Service::new(
                store.clone(),
                components.clone(),
            )),
            meta: Arc::new(meta::Service::new(
                store.clone(),
                catalog.clone(),
                permissions.clone(),
            )),
            filters,
            properties: Arc::new(properties::Service::new(
                store.clone(),
                catalog.clone(),
                permissions.clone(),
            )),
            activity: Arc::new(activity::Service::new(
                store.clone(),
                issues.clone(),
                users.clone(),
            )),
            audit: Arc::new(audit::Service::new(store.clone(), permissions.clone())),
            security: Arc::new(security::Service::new(
                store.clone(),
                permissions.clone(),
                projects.clone(),
            )),
            directory: Arc::new(directory::Service::new(
                store.clone(),
                catalog.clone(),
                permissions.clone(),
                users.clone(),
                issues.clone(),
                projects.clone(),
            )),
            demo: Arc::new(demo::Service::new(
                store.clone(),
                catalog.clone(),
                search.clone(),
                config.attachments_dir(),
            )),
            config,
            catalog,
            auth,
            permissions,
            users,
            search,
            issues,
            projects,
            components,
            store,
        });
        let printed = app.auth.bootstrap_admin()?;
        Ok((app, printed))
    }

    /// Waits until every write queued so far has committed (shutdown, benchmarks).
    pub async fn flush(&self) -> Result<()> {
        Ok(self.store.write(|_| Ok(())).await?)
    }
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
