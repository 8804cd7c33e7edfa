//! Keeping the search index in step with the store, and searching it with the caller's
//! permissions applied.

pub mod jql;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{Caller, Catalog, catalog, issues, permissions};
use crate::config::Config;
use crate::domain::*;
use crate::error::{Error, Result};
use crate::search::{Change, Filter, IndexDoc, NumField, SearchIndex, SortKey};
use crate::store::queries::{Db, issues as q, links as lq, watchers as wq};
use crate::store::{Store, StoreResult};

/// How long a search waits for the index to catch up with writes acknowledged before it.
const READ_YOUR_WRITES_TIMEOUT: Duration = Duration::from_secs(10);

/// An issue's index document, or `None` when the issue no longer exists.
pub fn index_doc(db: &Db, catalog: &Catalog, id: i64) -> StoreResult<Option<IndexDoc>> {
    let Some(issue) = q::by_id(db, IssueId(id))? else {
        return Ok(None);
    };
    let num = issue
        .key
        .rsplit('-')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let mut custom = Vec::new();
    let mut custom_text = Vec::new();
    let (mut sprints, mut rank, mut story_points) = (Vec::new(), None, None);
    for (field, value) in &issue.custom {
        // The Jira Software fields are also numeric fields, for ranges, functions and sorting.
        let kind = catalog
            .custom_field(*field)
            .map(|f| (f.kind, f.name.as_str()));
        match (kind, value) {
            (Some((CustomFieldKind::Sprint, _)), FieldValue::Options(ids)) => {
                sprints.extend(ids.iter().copied());
            }
            (Some((CustomFieldKind::Rank, _)), FieldValue::Text(r)) => {
                rank = Some(crate::domain::agile::rank::sort_key(r));
                // Not text anyone searches for.
                continue;
            }
            (Some((CustomFieldKind::Number, "Story Points")), FieldValue::Number(n)) => {
                story_points = Some((n * 1000.0).round() as i64);
            }
            _ => {}
        }
        match value {
            FieldValue::Text(s) => {
                custom.push((*field, s.to_lowercase()));
                custom_text.push(s.clone());
            }
            FieldValue::Number(n) => custom.push((*field, n.to_string())),
            FieldValue::Date(d) => custom.push((*field, d.clone())),
            FieldValue::DateTime(m) => custom.push((*field, m.0.to_string())),
            FieldValue::Option(o) => custom.push((*field, o.to_string())),
            FieldValue::Options(os) => custom.extend(os.iter().map(|o| (*field, o.to_string()))),
            FieldValue::Labels(ls) => custom.extend(ls.iter().map(|l| (*field, l.clone()))),
            FieldValue::User(u) => custom.push((*field, u.0.to_string())),
        }
    }
    let due = issue
        .due_date
        .as_deref()
        .and_then(crate::domain::time::parse_date)
        .map(|d| d.midnight().assume_utc().unix_timestamp() * 1000);
    Ok(Some(IndexDoc {
        id,
        key: issue.key.clone(),
        project: issue.project_id.0,
        num,
        issue_type: issue.issue_type_id,
        status: issue.status_id,
        status_category: catalog
            .status(issue.status_id)
            .map(|s| s.category_id)
            .unwrap_or(1),
        priority: issue.priority_id,
        resolution: issue.resolution_id,
        assignee: issue.assignee_id.map(|u| u.0),
        reporter: issue.reporter_id.map(|u| u.0),
        creator: issue.creator_id.map(|u| u.0),
        parent: issue.parent_id.map(|p| p.0),
        labels: issue.labels.clone(),
        components: issue.component_ids.clone(),
        fix_versions: issue.fix_version_ids.clone(),
        affected_versions: issue.affected_version_ids.clone(),
        created: issue.created.0,
        updated: issue.updated.0,
        resolved: issue.resolution_date.map(|m| m.0),
        due,
        status_changed: issue.status_changed.0,
        original_estimate: issue.original_estimate,
        remaining_estimate: issue.remaining_estimate,
        time_spent: issue.time_spent,
        watchers: wq::of_issue(db, wq::UserSet::Watchers, issue.id)?
            .into_iter()
            .map(|u| u.0)
            .collect(),
        voters: wq::of_issue(db, wq::UserSet::Voters, issue.id)?
            .into_iter()
            .map(|u| u.0)
            .collect(),
        link_types: lq::of_issue(db, issue.id)?
            .into_iter()
            .map(|l| l.link_type_id * 2 + i64::from(l.dest_id == issue.id))
            .collect(),
        attachments: crate::store::queries::attachments::count(db, issue.id)?,
        security_level: issue.security_level_id,
        sprints,
        rank,
        story_points,
        summary: issue.summary.clone(),
        description: issue.description.clone().unwrap_or_default(),
        environment: issue.environment.clone().unwrap_or_default(),
        comments: q::comment_bodies(db, issue.id)?,
        custom,
        custom_text,
    }))
}

/// The indexer's view of the outbox: changes after a position, and pruning of what the
/// index has committed.
pub fn outbox_source(
    store: Store,
    catalog: Arc<dyn Fn() -> Arc<Catalog> + Send + Sync>,
) -> crate::search::ChangeSource {
    Box::new(move |after, limit| {
        let catalog = catalog();
        let changes = store
            .read_blocking(|db| {
                let rows = q::outbox_after(db, after, limit as i64)?;
                let mut out = Vec::with_capacity(rows.len());
                for (seq, issue) in rows {
                    out.push(Change {
                        seq,
                        issue_id: issue,
                        doc: index_doc(db, &catalog, issue)?,
                    });
                }
                Ok(out)
            })
            .map_err(|e| e.to_string())?;
        if after > 0 {
            // Entries up to `after` are in a committed index generation: no longer needed.
            let _ = store.write_blocking(move |db| q::prune_outbox(db, after));
        }
        Ok(changes)
    })
}

/// Every issue's document in id order after `after`, for full rebuilds.
pub fn full_source(
    store: Store,
    catalog: Arc<dyn Fn() -> Arc<Catalog> + Send + Sync>,
) -> crate::search::FullSource {
    Box::new(move |after, limit| {
        let catalog = catalog();
        store
            .read_blocking(|db| {
                let ids = q::ids_after(db, after, limit as i64)?;
                let mut docs = Vec::with_capacity(ids.len());
                for id in ids {
                    if let Some(d) = index_doc(db, &catalog, id)? {
                        docs.push(d);
                    }
                }
                Ok(docs)
            })
            .map_err(|e| e.to_string())
    })
}

/// The outbox head and the number of issues, where a rebuild starts.
pub fn head_source(store: Store) -> crate::search::HeadSource {
    Box::new(move || {
        store
            .read_blocking(|db| Ok((q::outbox_head(db)?, q::count(db)? as u64)))
            .map_err(|e| e.to_string())
    })
}

/// Rebuilds every document from SQLite while no indexer runs. Returns the count.
pub(super) fn full_rebuild(
    store: &Store,
    catalog: Arc<Catalog>,
    index: &SearchIndex,
) -> Result<u64> {
    let (head, total) =
        head_source(store.clone())().map_err(|e| search_error(crate::search::SearchError(e)))?;
    let full = full_source(store.clone(), Arc::new(move || catalog.clone()));
    index
        .rebuild_offline(&full, head, total)
        .map_err(search_error)
}

/// Start-up check of the index against SQLite: every issue must have exactly one
/// document. Issues with two, none, or one left over after the issue went are queued
/// for the indexer again (a replay deletes by id and adds in one commit, so it repairs
/// them); issues already waiting in the outbox past the index's position are left to
/// that replay. Returns how many were queued. Runs before the server accepts writes.
pub fn repair_index(store: &Store, index: &SearchIndex) -> Result<usize> {
    let position = index.position();
    let (stored, pending) = store.read_blocking(|db| {
        let stored = q::ids_after(db, 0, i64::MAX)?;
        let pending: std::collections::HashSet<i64> = q::outbox_after(db, position, i64::MAX)?
            .into_iter()
            .map(|(_, issue)| issue)
            .collect();
        Ok((stored, pending))
    })?;
    let mut wrong = index.inconsistent_ids(&stored).map_err(search_error)?;
    wrong.retain(|id| !pending.contains(id));
    if wrong.is_empty() {
        return Ok(0);
    }
    tracing::warn!(
        issues = wrong.len(),
        sample = ?&wrong[..wrong.len().min(10)],
        "search index disagrees with the database: reindexing those issues"
    );
    let queued = wrong.len();
    store.write_blocking(move |db| {
        let now = db.now();
        for id in wrong {
            q::enqueue_index(db, IssueId(id), now)?;
        }
        Ok(())
    })?;
    Ok(queued)
}

/// Confines a filter to the projects in scope (`None`: every project).
fn scoped(scope: Option<Vec<i64>>, filter: Filter) -> Filter {
    match scope {
        Some(projects) => Filter::And(vec![Filter::In(NumField::Project, projects), filter]),
        None => filter,
    }
}

/// Opens the search index; an index that has never been committed while SQLite holds
/// issues (new data directory copy, schema change, deleted index folder) is rebuilt, and
/// any other is checked for issues without exactly one document.
fn open_index(
    config: &Config,
    store: &Store,
    catalog: &catalog::Service,
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
        full_rebuild(store, catalog.current(), &index)?;
    } else if config.index_writer {
        // Derived data that a crash, a bug or a copied folder may have put out of step:
        // checked on every start, before any request.
        repair_index(store, &index)?;
    }
    Ok(index)
}

/// Search: the index (derived from the store), its single writer job, reindexing, and
/// JQL resolution over both (see `jql.rs`).
pub struct Service {
    store: Store,
    catalog: Arc<catalog::Service>,
    permissions: Arc<permissions::Service>,
    issues: Arc<issues::Service>,
    index: Arc<SearchIndex>,
    /// The job that drains the outbox into the index; `None` in a read-only process.
    indexer: Mutex<Option<crate::jobs::Indexer>>,
}

impl Service {
    pub(super) fn open(
        store: Store,
        config: Arc<Config>,
        catalog: Arc<catalog::Service>,
        permissions: Arc<permissions::Service>,
        issues: Arc<issues::Service>,
    ) -> Result<Service> {
        let index = open_index(&config, &store, &catalog)?;
        let indexer = if config.index_writer {
            let source_catalog = catalog.clone();
            let current: Arc<dyn Fn() -> Arc<Catalog> + Send + Sync> =
                Arc::new(move || source_catalog.current());
            let indexer = crate::jobs::Indexer::start(
                index.clone(),
                outbox_source(store.clone(), current.clone()),
                full_source(store.clone(), current),
                head_source(store.clone()),
                config.clock.clone(),
            )
            .map_err(|e| {
                tracing::error!(error = %e, "cannot start the indexer");
                Error::internal()
            })?;
            Some(indexer)
        } else {
            None
        };
        Ok(Service {
            store,
            catalog,
            permissions,
            issues,
            index,
            indexer: Mutex::new(indexer),
        })
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

    /// Starts a background rebuild of the whole index when the indexer runs here;
    /// returns whether one was started.
    pub(super) fn start_rebuild(&self) -> bool {
        let indexer = self.indexer.lock().unwrap_or_else(|p| p.into_inner());
        indexer
            .as_ref()
            .map(|i| i.request_rebuild(&self.index))
            .is_some()
    }
}

fn search_error(e: crate::search::SearchError) -> Error {
    tracing::error!(error = %e, "search index error");
    Error::internal()
}

impl Service {
    /// Waits until every write acknowledged before now is searchable.
    pub async fn catch_up_index(&self) -> Result<()> {
        let head = self.store.read(q::outbox_head).await?;
        if self.index.position() >= head {
            return Ok(());
        }
        self.poke_indexer();
        let search = self.index.clone();
        let caught_up =
            tokio::task::spawn_blocking(move || search.wait_for(head, READ_YOUR_WRITES_TIMEOUT))
                .await
                .map_err(|_| Error::internal())?;
        if caught_up {
            Ok(())
        } else {
            Err(Error::new(
                crate::error::Kind::Internal,
                "The search index is behind; try again shortly.",
            ))
        }
    }

    /// Searches within `scope` (the projects the caller may browse, from the resolved
    /// query): the ids of one page, in order, and the total number of matches.
    pub async fn search_scoped(
        &self,
        scope: Option<Vec<i64>>,
        filter: Filter,
        sort: Vec<SortKey>,
        offset: usize,
        limit: usize,
    ) -> Result<(Vec<i64>, usize)> {
        if scope.as_ref().is_some_and(|s| s.is_empty()) {
            return Ok((Vec::new(), 0));
        }
        self.catch_up_index().await?;
        let scoped = scoped(scope, filter);
        let search = self.index.clone();
        tokio::task::spawn_blocking(move || search.search(&scoped, &sort, offset, limit))
            .await
            .map_err(|_| Error::internal())?
            .map_err(search_error)
    }

    /// Counts matches within `scope`.
    pub async fn count_scoped(&self, scope: Option<Vec<i64>>, filter: Filter) -> Result<usize> {
        if scope.as_ref().is_some_and(|s| s.is_empty()) {
            return Ok(0);
        }
        self.catch_up_index().await?;
        let scoped = scoped(scope, filter);
        let search = self.index.clone();
        tokio::task::spawn_blocking(move || search.count(&scoped))
            .await
            .map_err(|_| Error::internal())?
            .map_err(search_error)
    }
}

impl Service {
    /// Starts a background rebuild of the whole index (administrators only).
    pub fn request_reindex(&self, caller: &Caller) -> Result<u64> {
        self.permissions.require_admin(caller)?;
        let indexer = self.indexer.lock().unwrap_or_else(|p| p.into_inner());
        match indexer.as_ref() {
            Some(i) => Ok(i.request_rebuild(&self.index)),
            None => Err(Error::new(
                crate::error::Kind::Conflict,
                "The indexer is not running.",
            )),
        }
    }

    /// The state of the last rebuild.
    pub fn reindex_state(&self, caller: &Caller) -> Result<ReindexProgress> {
        self.permissions.require_admin(caller)?;
        Ok(self.rebuild_progress())
    }

    fn rebuild_progress(&self) -> ReindexProgress {
        let st = self
            .index
            .rebuild
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        ReindexProgress {
            id: st.id,
            running: st.running,
            done: st.done,
            total: st.total,
            submitted: st.submitted,
            started: st.started,
            finished: st.finished,
            success: st.success,
        }
    }

    /// Rebuilds the whole index from the database in this process, for `tessera
    /// reindex` (the server is stopped; the indexer of this process is stopped first).
    /// `progress` is called about twice a second while it runs. Returns the number of
    /// issues indexed.
    pub fn rebuild_index_offline(&self, progress: impl Fn(&ReindexProgress)) -> Result<u64> {
        self.stop_indexer();
        let count = std::thread::scope(|scope| {
            let worker =
                scope.spawn(|| full_rebuild(&self.store, self.catalog.current(), &self.index));
            while !worker.is_finished() {
                progress(&self.rebuild_progress());
                std::thread::sleep(std::time::Duration::from_millis(500));
            }
            worker.join().unwrap_or_else(|_| Err(Error::internal()))
        })?;
        self.index
            .rebuild
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .finished = Some(self.store.now().0);
        progress(&self.rebuild_progress());
        Ok(count)
    }
}

/// Where a rebuild of the whole index stands (times in epoch milliseconds).
#[derive(Debug, Clone, Default)]
pub struct ReindexProgress {
    /// The rebuild's task id; 0 when none has run since the start.
    pub id: u64,
    pub running: bool,
    pub done: u64,
    pub total: u64,
    pub submitted: i64,
    pub started: Option<i64>,
    pub finished: Option<i64>,
    pub success: Option<bool>,
}

impl Service {
    /// Queues issues for reindexing; returns the outbox position that covers them
    /// (usable as a request id: done once the index has passed it).
    pub async fn reindex_issues(&self, caller: &Caller, ids: Vec<i64>) -> Result<i64> {
        self.permissions.require_admin(caller)?;
        if ids.is_empty() {
            return Err(Error::bad_request("Give at least one issueId."));
        }
        let head = self
            .store
            .write(move |db| {
                let now = db.now();
                for id in &ids {
                    if q::by_id(db, IssueId(*id))?.is_none() {
                        return Err(Error::not_found(format!(
                            "Issue with id {id} does not exist."
                        ))
                        .into());
                    }
                    q::enqueue_index(db, IssueId(*id), now)?;
                }
                q::outbox_head(db)
            })
            .await?;
        self.poke_indexer();
        Ok(head)
    }

    /// Whether the index has passed a request's position.
    pub fn index_position(&self) -> i64 {
        self.index.position()
    }
}
