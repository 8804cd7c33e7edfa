//! The search index: the only module that imports tantivy.
//!
//! Architecture invariant: the index is derived data. Exactly one [`Writer`] exists,
//! owned by the indexer job (`crate::jobs::Indexer`), which drains the store's outbox in
//! batches and commits with the last outbox sequence number as the commit payload. After
//! a crash between an SQLite commit and an index commit, the next start resumes from that
//! payload, so the index always catches up with what SQLite says.
//!
//! Queries come in as JQL plans (`jql::Plan`, resolved purely in `jql/`: names turned
//! into ids, functions evaluated), which [`from_plan`] turns into [`Filter`] trees over
//! the index's fields; the service adds the permission scope, and each filter is
//! translated once into a tantivy query here.

mod collect;
mod index;
mod plan;
mod query;
mod schema;
mod stem;
mod writer;

pub use collect::SortKey;
pub use index::{Change, ChangeSource, FullSource, HeadSource, RebuildState, SearchIndex};
pub use plan::{filter as filter_of, from_plan};
pub use query::{Filter, TextMatch};
pub use schema::{IndexDoc, NumField, TextField};
pub use writer::Writer;

#[derive(Debug)]
pub struct SearchError(pub String);

impl std::fmt::Display for SearchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> Self {
        SearchError(e.to_string())
    }
}

pub type SearchResult<T> = Result<T, SearchError>;

#[cfg(test)]
mod tests;
