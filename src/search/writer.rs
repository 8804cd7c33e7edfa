//! The live index writer as a handle of the index's own: the indexer job (`jobs/`) owns
//! the one [`Writer`] and feeds it changes; tantivy stays behind it.

use std::sync::Arc;

use tantivy::Term;

use super::index::rebuild_with;
use super::{Change, FullSource, SearchIndex, SearchResult};

/// The one writer of the live index. Opening it takes the index directory's writer
/// lock, so a second one (another server on the same data directory) fails to open.
pub struct Writer {
    index: Arc<SearchIndex>,
    writer: tantivy::IndexWriter,
}

impl Writer {
    /// Opens the writer; only the indexer job calls this.
    pub fn open(index: Arc<SearchIndex>) -> SearchResult<Writer> {
        let writer = index.tantivy_writer()?;
        Ok(Writer { index, writer })
    }

    /// The index this writer writes.
    pub fn index(&self) -> &Arc<SearchIndex> {
        &self.index
    }

    /// Applies one batch of outbox changes (in seq order) and commits it with the last
    /// seq as the commit payload; `Some(new position)` when there was work.
    pub fn apply(&mut self, changes: &[Change]) -> SearchResult<Option<i64>> {
        let Some(last) = changes.last().map(|c| c.seq) else {
            return Ok(None);
        };
        let index = &self.index;
        let id_field = index.fields.id;
        for change in changes {
            self.writer
                .delete_term(Term::from_field_i64(id_field, change.issue_id));
            if let Some(doc) = &change.doc {
                self.writer.add_document(index.to_document(doc))?;
            }
        }
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&last.to_string());
        prepared.commit()?;
        index.reader.reload()?;
        index.publish(last);
        Ok(Some(last))
    }

    /// Rebuilds the whole index from `full`, current as of outbox position `head`.
    pub fn rebuild(&mut self, full: &FullSource, head: i64, total: u64) -> SearchResult<u64> {
        rebuild_with(&self.index, &mut self.writer, full, head, total)
    }
}
