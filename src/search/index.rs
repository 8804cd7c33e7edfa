//! The index itself: opening it, its reader and indexing progress, full rebuilds, and
//! the consistency checks used to repair it. The live writer is in `writer.rs`.

use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use tantivy::query::AllQuery;
use tantivy::schema::Value;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument};

use super::schema::{Fields, SCHEMA_VERSION, TEXT_TOKENIZER, analyzer, build_schema};
use super::{IndexDoc, NumField, SearchError, SearchResult};

/// Memory for the writer of an offline rebuild, shared by its indexing threads.
const REBUILD_MEMORY_BYTES: usize = 256 * 1024 * 1024;

/// The index: the reader side, shared by every search, and the indexing progress.
pub struct SearchIndex {
    index: Index,
    pub(super) reader: IndexReader,
    pub(super) fields: Fields,
    progress: Mutex<i64>,
    advanced: Condvar,
    pub rebuild: Mutex<RebuildState>,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it (or recreating it when the schema changed).
    /// Returns the index and the outbox position it has reached.
    ///
    /// Only the process that will own the writer (`owner`) may reset an outdated index;
    /// admin commands running beside a server open it as it is.
    pub fn open(dir: &Path, owner: bool) -> SearchResult<(Arc<SearchIndex>, i64)> {
        let (schema, fields) = build_schema();
        let version_file = dir.join("SCHEMA_VERSION");
        let current = std::fs::read_to_string(&version_file).unwrap_or_default();
        if owner && current.trim() != SCHEMA_VERSION && dir.exists() {
            // A different (or unknown) schema: start from empty and rebuild from SQLite.
            let _ = std::fs::remove_dir_all(dir);
        }
        std::fs::create_dir_all(dir).map_err(|e| SearchError(e.to_string()))?;
        let directory =
            tantivy::directory::MmapDirectory::open(dir).map_err(|e| SearchError(e.to_string()))?;
        let index = Index::open_or_create(directory, schema)?;
        if owner {
            std::fs::write(&version_file, SCHEMA_VERSION)
                .map_err(|e| SearchError(e.to_string()))?;
        }
        index.tokenizers().register(TEXT_TOKENIZER, analyzer());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let seq = index
            .load_metas()?
            .payload
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        let search = Arc::new(SearchIndex {
            index,
            reader,
            fields,
            progress: Mutex::new(seq),
            advanced: Condvar::new(),
            rebuild: Mutex::new(RebuildState::default()),
        });
        Ok((search, seq))
    }

    /// Whether the index has never been committed (new or reset).
    pub fn is_empty_generation(&self) -> bool {
        self.index
            .load_metas()
            .map(|m| m.payload.is_none())
            .unwrap_or(true)
    }

    /// The outbox position the searchable index has reached.
    pub fn position(&self) -> i64 {
        *self.progress.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits until the index has passed `seq` (read-your-writes), or the timeout.
    pub fn wait_for(&self, seq: i64, timeout: Duration) -> bool {
        let guard = self.progress.lock().unwrap_or_else(|p| p.into_inner());
        let (guard, _) = self
            .advanced
            .wait_timeout_while(guard, timeout, |at| *at < seq)
            .unwrap_or_else(|p| p.into_inner());
        *guard >= seq
    }

    pub(super) fn publish(&self, seq: i64) {
        let mut at = self.progress.lock().unwrap_or_else(|p| p.into_inner());
        if seq > *at {
            *at = seq;
        }
        self.advanced.notify_all();
    }

    /// After a rebuild the position is the rebuild's head, even if lower than before.
    fn publish_reset(&self, seq: i64) {
        let mut at = self.progress.lock().unwrap_or_else(|p| p.into_inner());
        *at = (*at).max(seq);
        self.advanced.notify_all();
    }

    /// A full rebuild outside the indexer (start-up, `tessera reindex`): only while no
    /// [`super::Writer`] is open (the indexer job holds it), so there is still one writer.
    pub fn rebuild_offline(&self, full: &FullSource, head: i64, total: u64) -> SearchResult<u64> {
        // A bigger budget than the live writer's: fewer, larger segments to flush and
        // merge when every document is written at once. Freed when the rebuild ends.
        let mut writer = self.index.writer(REBUILD_MEMORY_BYTES)?;
        let done = rebuild_with(self, &mut writer, full, head, total)?;
        writer.wait_merging_threads()?;
        Ok(done)
    }

    /// The one live writer's tantivy side; only [`super::Writer::open`] calls this.
    pub(super) fn tantivy_writer(&self) -> SearchResult<IndexWriter> {
        Ok(self.index.writer(64 * 1024 * 1024)?)
    }

    /// The issue id of every live document, sorted; an id twice means two documents.
    /// Read from the id column, without loading stored documents.
    pub fn document_ids(&self) -> SearchResult<Vec<i64>> {
        let searcher = self.reader.searcher();
        let mut ids = Vec::with_capacity(searcher.num_docs() as usize);
        for segment in searcher.segment_readers() {
            let column = segment.fast_fields().i64(NumField::Id.name())?;
            for doc in segment.doc_ids_alive() {
                if let Some(id) = column.first(doc) {
                    ids.push(id);
                }
            }
        }
        ids.sort_unstable();
        Ok(ids)
    }

    /// Issues whose documents disagree with the store's sorted issue ids `stored`: ids
    /// with two or more documents, without one, or with one but gone from the store.
    pub fn inconsistent_ids(&self, stored: &[i64]) -> SearchResult<Vec<i64>> {
        Ok(inconsistent_ids(&self.document_ids()?, stored))
    }

    /// Every stored id (for consistency checks).
    pub fn all_ids(&self) -> SearchResult<Vec<i64>> {
        let searcher = self.reader.searcher();
        let docs = searcher.search(&AllQuery, &tantivy::collector::DocSetCollector)?;
        let mut ids = Vec::with_capacity(docs.len());
        for addr in docs {
            let doc: TantivyDocument = searcher.doc(addr)?;
            if let Some(id) = doc.get_first(self.fields.id).and_then(|v| v.as_i64()) {
                ids.push(id);
            }
        }
        ids.sort_unstable();
        Ok(ids)
    }
}

/// Compares two sorted id lists: ids that are not exactly once in `indexed` and once in
/// `stored` (which holds each id once).
pub(super) fn inconsistent_ids(indexed: &[i64], stored: &[i64]) -> Vec<i64> {
    let mut wrong = Vec::new();
    let (mut i, mut s) = (0, 0);
    while i < indexed.len() || s < stored.len() {
        let id = match (indexed.get(i), stored.get(s)) {
            (Some(a), Some(b)) => *a.min(b),
            (Some(a), None) => *a,
            (None, Some(b)) => *b,
            (None, None) => break,
        };
        let mut docs = 0;
        while indexed.get(i) == Some(&id) {
            docs += 1;
            i += 1;
        }
        let exists = stored.get(s) == Some(&id);
        if exists {
            s += 1;
        }
        if docs != usize::from(exists) {
            wrong.push(id);
        }
    }
    wrong
}

/// One change the indexer applies: the issue's new state, or `None` when it is gone.
pub struct Change {
    pub seq: i64,
    pub issue_id: i64,
    pub doc: Option<IndexDoc>,
}

/// Where the indexer reads changes from: `(after_seq, limit) -> changes in seq order`.
pub type ChangeSource = Box<dyn Fn(i64, usize) -> Result<Vec<Change>, String> + Send>;

/// Every issue for a full rebuild: `(after_id, limit) -> documents in id order`, and the
/// outbox head the rebuild is current with.
pub type FullSource = Box<dyn Fn(i64, usize) -> Result<Vec<IndexDoc>, String> + Send + Sync>;
/// The outbox head (the position a rebuild started from is current with).
pub type HeadSource = Box<dyn Fn() -> Result<(i64, u64), String> + Send>;

/// Progress of the last full rebuild, for the reindex endpoints.
#[derive(Debug, Clone, Default)]
pub struct RebuildState {
    pub id: u64,
    pub running: bool,
    pub done: u64,
    pub total: u64,
    pub submitted: i64,
    pub started: Option<i64>,
    pub finished: Option<i64>,
    pub success: Option<bool>,
}

/// Rebuilds the whole index with `writer`: delete everything, add every document,
/// commit as of outbox position `head`.
pub(super) fn rebuild_with(
    index: &SearchIndex,
    writer: &mut IndexWriter,
    full: &FullSource,
    head: i64,
    total: u64,
) -> SearchResult<u64> {
    // A delete-everything operation in the queue, not `delete_all_documents`: that one
    // resets the writer's operation stamps to the stamp the writer was opened at (tantivy
    // 0.22 never moves that mark on commit), so on the indexer's long-lived writer stamps
    // ran backwards: a delete still queued from before the rebuild then looked newer
    // than the rebuilt documents, the rebuilt segments' delete cursors stopped at it, and
    // every issue edited after a live rebuild kept its rebuilt document beside the new
    // one. A query delete takes the next stamp like any other operation and removes
    // exactly the documents added before it.
    writer.delete_query(Box::new(AllQuery))?;
    let mut done = 0u64;
    // Reading from SQLite and building documents overlap: a reader thread fetches the
    // next batch while this one hands the previous batch to the indexing threads.
    std::thread::scope(|scope| -> SearchResult<()> {
        let (batches, received) = std::sync::mpsc::sync_channel::<Result<Vec<IndexDoc>, String>>(1);
        scope.spawn(move || {
            let mut after = 0i64;
            loop {
                let batch = full(after, 5000);
                let last = match &batch {
                    Ok(docs) => docs.last().map(|d| d.id),
                    Err(_) => None,
                };
                let stop = last.is_none();
                // A closed channel means the indexing side failed and stopped.
                if batches.send(batch).is_err() || stop {
                    return;
                }
                after = last.unwrap_or(after);
            }
        });
        for batch in received {
            let docs = batch.map_err(SearchError)?;
            if docs.is_empty() {
                break;
            }
            for d in &docs {
                writer.add_document(index.to_document(d))?;
            }
            done += docs.len() as u64;
            let mut state = index.rebuild.lock().unwrap_or_else(|p| p.into_inner());
            state.done = done;
            state.total = total.max(done);
        }
        Ok(())
    })?;
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&head.to_string());
    prepared.commit()?;
    index.reader.reload()?;
    index.publish_reset(head);
    Ok(done)
}
