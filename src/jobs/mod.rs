//! Work that runs beside the requests rather than inside one: the indexer (the single
//! writer of the search index, draining the store's outbox) and housekeeping.
//!
//! Architecture invariant: a job is started by the application root and runs on its
//! own thread or at start-up, never on behalf of a caller; only the indexer holds the
//! search index's [`crate::search::Writer`], and tantivy is not named here.

mod attachment_recovery;
mod indexer;

pub use attachment_recovery::recover_storage as recover_attachment_storage;
pub use indexer::Indexer;
