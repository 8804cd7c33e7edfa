//! The search index: the only module that imports tantivy.
//!
//! Architecture invariant: the index is derived data. Exactly one `IndexWriter` exists,
//! owned by the indexer thread ([`Indexer`]), which drains the store's outbox in
//! batches and commits with the last outbox sequence number as the commit payload. After
//! a crash between an SQLite commit and an index commit, the next start resumes from that
//! payload, so the index always catches up with what SQLite says.
//!
//! Queries come in as [`Filter`] trees (already resolved from JQL by the service layer:
//! names turned into ids, functions evaluated, permissions added) and are translated
//! once into tantivy queries here.

mod collect;
mod stem;

use std::collections::HashMap;
use std::ops::Bound;
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use tantivy::query::{
    AllQuery, BooleanQuery, EmptyQuery, Occur, PhraseQuery, Query, RangeQuery, RegexQuery,
    TermQuery, TermSetQuery,
};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::tokenizer::{LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term, doc};

pub use collect::SortKey;

/// Bumped when the schema changes; a mismatch makes the index rebuild from SQLite.
const SCHEMA_VERSION: &str = "4";
const TEXT_TOKENIZER: &str = "tessera_en";
/// Memory for the writer of an offline rebuild, shared by its indexing threads.
const REBUILD_MEMORY_BYTES: usize = 256 * 1024 * 1024;

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

/// An issue as the index sees it. Built by the service layer from the store.
#[derive(Debug, Clone, Default)]
pub struct IndexDoc {
    pub id: i64,
    pub key: String,
    pub project: i64,
    pub num: i64,
    pub issue_type: i64,
    pub status: i64,
    pub status_category: i64,
    pub priority: Option<i64>,
    pub resolution: Option<i64>,
    pub assignee: Option<i64>,
    pub reporter: Option<i64>,
    pub creator: Option<i64>,
    pub parent: Option<i64>,
    pub labels: Vec<String>,
    pub components: Vec<i64>,
    pub fix_versions: Vec<i64>,
    pub affected_versions: Vec<i64>,
    pub created: i64,
    pub updated: i64,
    pub resolved: Option<i64>,
    /// Due date as epoch milliseconds at midnight UTC.
    pub due: Option<i64>,
    pub status_changed: i64,
    pub original_estimate: Option<i64>,
    pub remaining_estimate: Option<i64>,
    pub time_spent: Option<i64>,
    /// User ids of the watchers and voters.
    pub watchers: Vec<i64>,
    pub voters: Vec<i64>,
    /// Links as `link type id * 2`, plus 1 when this issue is the destination (inward).
    pub link_types: Vec<i64>,
    /// Number of attachments (indexed only when there are some).
    pub attachments: i64,
    pub summary: String,
    pub description: String,
    pub environment: String,
    pub comments: Vec<String>,
    /// Custom field values as `(field id, canonical value)`: option ids, user ids,
    /// labels and lower-cased text, numbers and dates as written.
    pub custom: Vec<(i64, String)>,
    /// Text of custom text fields, searched by `text ~`.
    pub custom_text: Vec<String>,
}

/// A numeric field of the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NumField {
    Id,
    Project,
    Num,
    IssueType,
    Status,
    StatusCategory,
    Priority,
    Resolution,
    Assignee,
    Reporter,
    Creator,
    Parent,
    Component,
    FixVersion,
    AffectedVersion,
    Created,
    Updated,
    Resolved,
    Due,
    StatusChanged,
    OriginalEstimate,
    RemainingEstimate,
    TimeSpent,
    Watcher,
    Voter,
    /// Number of watchers.
    Watches,
    /// Number of votes.
    Votes,
    IssueLinkType,
    /// Number of attachments; absent when there are none (`attachments IS EMPTY`).
    Attachments,
}

impl NumField {
    fn name(self) -> &'static str {
        match self {
            NumField::Id => "id",
            NumField::Project => "project",
            NumField::Num => "num",
            NumField::IssueType => "issuetype",
            NumField::Status => "status",
            NumField::StatusCategory => "statuscategory",
            NumField::Priority => "priority",
            NumField::Resolution => "resolution",
            NumField::Assignee => "assignee",
            NumField::Reporter => "reporter",
            NumField::Creator => "creator",
            NumField::Parent => "parent",
            NumField::Component => "component",
            NumField::FixVersion => "fixversion",
            NumField::AffectedVersion => "affectedversion",
            NumField::Created => "created",
            NumField::Updated => "updated",
            NumField::Resolved => "resolved",
            NumField::Due => "due",
            NumField::StatusChanged => "statuschanged",
            NumField::OriginalEstimate => "originalestimate",
            NumField::RemainingEstimate => "remainingestimate",
            NumField::TimeSpent => "timespent",
            NumField::Watcher => "watcher",
            NumField::Voter => "voter",
            NumField::Watches => "watches",
            NumField::Votes => "votes",
            NumField::IssueLinkType => "issuelinktype",
            NumField::Attachments => "attachments",
        }
    }

    const ALL: [NumField; 29] = [
        NumField::Id,
        NumField::Project,
        NumField::Num,
        NumField::IssueType,
        NumField::Status,
        NumField::StatusCategory,
        NumField::Priority,
        NumField::Resolution,
        NumField::Assignee,
        NumField::Reporter,
        NumField::Creator,
        NumField::Parent,
        NumField::Component,
        NumField::FixVersion,
        NumField::AffectedVersion,
        NumField::Created,
        NumField::Updated,
        NumField::Resolved,
        NumField::Due,
        NumField::StatusChanged,
        NumField::OriginalEstimate,
        NumField::RemainingEstimate,
        NumField::TimeSpent,
        NumField::Watcher,
        NumField::Voter,
        NumField::Watches,
        NumField::Votes,
        NumField::IssueLinkType,
        NumField::Attachments,
    ];
}

/// A full-text field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    Summary,
    Description,
    Environment,
    Comment,
    CustomText,
}

impl TextField {
    fn name(self) -> &'static str {
        match self {
            TextField::Summary => "summary",
            TextField::Description => "description",
            TextField::Environment => "environment",
            TextField::Comment => "comment",
            TextField::CustomText => "customtext",
        }
    }
}

/// How text is matched for `~`.
#[derive(Debug, Clone, PartialEq)]
pub enum TextMatch {
    /// Every word must occur (stemmed).
    Words(String),
    /// The words in this order.
    Phrase(String),
    /// A word starting with this prefix (`abc*`).
    Prefix(String),
    /// A word matching a pattern with `?` for one character and `*` for many.
    Wildcard(String),
}

/// A resolved query over the index.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    All,
    Nothing,
    And(Vec<Filter>),
    Or(Vec<Filter>),
    Not(Box<Filter>),
    /// The field holds one of these values (multi-valued fields: any of them).
    In(NumField, Vec<i64>),
    Range(NumField, Bound<i64>, Bound<i64>),
    /// The field has no value.
    Empty(NumField),
    KeyIn(Vec<String>),
    LabelIn(Vec<String>),
    LabelsEmpty,
    /// Custom field `id` holds one of these canonical values.
    CustomIn(i64, Vec<String>),
    CustomEmpty(i64),
    Text(Vec<TextField>, TextMatch),
    TextEmpty(TextField),
}

struct Fields {
    id: Field,
    key: Field,
    labels: Field,
    custom: Field,
    nums: HashMap<NumField, Field>,
    texts: Vec<(TextField, Field)>,
    has: Field,
}

fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let mut nums = HashMap::new();
    for f in NumField::ALL {
        let field = if f == NumField::Id {
            b.add_i64_field(f.name(), INDEXED | FAST | STORED)
        } else {
            b.add_i64_field(f.name(), INDEXED | FAST)
        };
        nums.insert(f, field);
    }
    let text_options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TEXT_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let texts = [
        TextField::Summary,
        TextField::Description,
        TextField::Environment,
        TextField::Comment,
        TextField::CustomText,
    ]
    .into_iter()
    .map(|t| (t, b.add_text_field(t.name(), text_options.clone())))
    .collect();
    let fields = Fields {
        id: nums[&NumField::Id],
        key: b.add_text_field("key", STRING),
        labels: b.add_text_field("labels", STRING),
        custom: b.add_text_field("custom", STRING),
        // Markers for "this optional field has a value", for IS EMPTY.
        has: b.add_text_field("has", STRING),
        nums,
        texts,
    };
    (b.build(), fields)
}

fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(64))
        .filter(LowerCaser)
        .filter(stem::CachedEnglishStemmer)
        .build()
}

/// The index: the reader side, shared by every search, and the indexing progress.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
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

    fn publish(&self, seq: i64) {
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
    /// [`Indexer`] runs, so there is still one writer.
    pub fn rebuild_offline(&self, full: &FullSource, head: i64, total: u64) -> SearchResult<u64> {
        // A bigger budget than the live writer's: fewer, larger segments to flush and
        // merge when every document is written at once. Freed when the rebuild ends.
        let mut writer = self.index.writer(REBUILD_MEMORY_BYTES)?;
        let done = rebuild_with(self, &mut writer, full, head, total)?;
        writer.wait_merging_threads()?;
        Ok(done)
    }

    /// The one writer; only the indexer calls this.
    fn writer(&self) -> SearchResult<IndexWriter> {
        Ok(self.index.writer(64 * 1024 * 1024)?)
    }

    fn to_document(&self, d: &IndexDoc) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = doc!(f.key => d.key.clone());
        let n = |x: NumField| f.nums[&x];
        let mut put = |field: NumField, v: Option<i64>| {
            if let Some(v) = v {
                doc.add_i64(n(field), v);
                doc.add_text(f.has, field.name());
            }
        };
        put(NumField::Id, Some(d.id));
        put(NumField::Project, Some(d.project));
        put(NumField::Num, Some(d.num));
        put(NumField::IssueType, Some(d.issue_type));
        put(NumField::Status, Some(d.status));
        put(NumField::StatusCategory, Some(d.status_category));
        put(NumField::Priority, d.priority);
        put(NumField::Resolution, d.resolution);
        put(NumField::Assignee, d.assignee);
        put(NumField::Reporter, d.reporter);
        put(NumField::Creator, d.creator);
        put(NumField::Parent, d.parent);
        put(NumField::Created, Some(d.created));
        put(NumField::Updated, Some(d.updated));
        put(NumField::Resolved, d.resolved);
        put(NumField::Due, d.due);
        put(NumField::StatusChanged, Some(d.status_changed));
        put(NumField::OriginalEstimate, d.original_estimate);
        put(NumField::RemainingEstimate, d.remaining_estimate);
        put(NumField::TimeSpent, d.time_spent);
        put(NumField::Watches, Some(d.watchers.len() as i64));
        put(NumField::Votes, Some(d.voters.len() as i64));
        put(
            NumField::Attachments,
            (d.attachments > 0).then_some(d.attachments),
        );
        for (field, values) in [
            (NumField::Component, &d.components),
            (NumField::FixVersion, &d.fix_versions),
            (NumField::AffectedVersion, &d.affected_versions),
            (NumField::Watcher, &d.watchers),
            (NumField::Voter, &d.voters),
            (NumField::IssueLinkType, &d.link_types),
        ] {
            for v in values {
                put(field, Some(*v));
            }
        }
        for l in &d.labels {
            doc.add_text(f.labels, l);
        }
        if !d.labels.is_empty() {
            doc.add_text(f.has, "labels");
        }
        for (id, v) in &d.custom {
            doc.add_text(f.custom, format!("{id}:{v}"));
            doc.add_text(f.has, format!("cf{id}"));
        }
        for (t, field) in &f.texts {
            let values: Vec<&str> = match t {
                TextField::Summary => vec![d.summary.as_str()],
                TextField::Description => vec![d.description.as_str()],
                TextField::Environment => vec![d.environment.as_str()],
                TextField::Comment => d.comments.iter().map(String::as_str).collect(),
                TextField::CustomText => d.custom_text.iter().map(String::as_str).collect(),
            };
            for v in values.into_iter().filter(|v| !v.trim().is_empty()) {
                doc.add_text(*field, v);
                doc.add_text(f.has, t.name());
            }
        }
        doc
    }

    fn text_field(&self, t: TextField) -> Field {
        self.fields
            .texts
            .iter()
            .find(|(x, _)| *x == t)
            .map(|(_, f)| *f)
            .unwrap_or(self.fields.key)
    }

    /// Lower-cased, stemmed tokens of `text`, as the index stores them.
    fn tokens(&self, text: &str) -> Vec<String> {
        let mut analyzer = analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    fn query(&self, filter: &Filter) -> Box<dyn Query> {
        let f = &self.fields;
        let has = |name: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(f.has, name),
                IndexRecordOption::Basic,
            ))
        };
        match filter {
            Filter::All => Box::new(AllQuery),
            Filter::Nothing => Box::new(EmptyQuery),
            Filter::And(parts) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> =
                    parts.iter().map(|p| self.occur(p, Occur::Must)).collect();
                // Exclusions alone match nothing in tantivy; they exclude from everything.
                if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Filter::Or(parts) => {
                if parts.is_empty() {
                    return Box::new(EmptyQuery);
                }
                Box::new(BooleanQuery::new(
                    parts
                        .iter()
                        .map(|p| (Occur::Should, self.query(p)))
                        .collect(),
                ))
            }
            Filter::Not(inner) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
                (Occur::MustNot, self.query(inner)),
            ])),
            Filter::In(field, values) => {
                let field = f.nums[field];
                terms(values.iter().map(|v| Term::from_field_i64(field, *v)))
            }
            Filter::Range(field, lo, hi) => Box::new(RangeQuery::new_i64_bounds(
                field.name().to_string(),
                *lo,
                *hi,
            )),
            Filter::Empty(field) => not(has(field.name())),
            Filter::KeyIn(keys) => terms(keys.iter().map(|k| Term::from_field_text(f.key, k))),
            Filter::LabelIn(labels) => Box::new(TermSetQuery::new(
                labels.iter().map(|l| Term::from_field_text(f.labels, l)),
            )),
            Filter::LabelsEmpty => not(has("labels")),
            Filter::CustomIn(id, values) => Box::new(TermSetQuery::new(
                values
                    .iter()
                    .map(|v| Term::from_field_text(f.custom, &format!("{id}:{v}"))),
            )),
            Filter::CustomEmpty(id) => not(has(&format!("cf{id}"))),
            Filter::TextEmpty(t) => not(has(t.name())),
            Filter::Text(fields, m) => {
                let per_field: Vec<(Occur, Box<dyn Query>)> = fields
                    .iter()
                    .map(|t| (Occur::Should, self.text_query(self.text_field(*t), m)))
                    .collect();
                Box::new(BooleanQuery::new(per_field))
            }
        }
    }

    fn occur(&self, filter: &Filter, default: Occur) -> (Occur, Box<dyn Query>) {
        match filter {
            Filter::Not(inner) => (Occur::MustNot, self.query(inner)),
            other => (default, self.query(other)),
        }
    }

    fn text_query(&self, field: Field, m: &TextMatch) -> Box<dyn Query> {
        match m {
            TextMatch::Words(text) => {
                let tokens = self.tokens(text);
                if tokens.is_empty() {
                    return Box::new(EmptyQuery);
                }
                Box::new(BooleanQuery::new(
                    tokens
                        .into_iter()
                        .map(|t| {
                            (
                                Occur::Must,
                                Box::new(TermQuery::new(
                                    Term::from_field_text(field, &t),
                                    IndexRecordOption::Basic,
                                )) as Box<dyn Query>,
                            )
                        })
                        .collect(),
                ))
            }
            TextMatch::Phrase(text) => {
                let tokens = self.tokens(text);
                match tokens.len() {
                    0 => Box::new(EmptyQuery),
                    1 => Box::new(TermQuery::new(
                        Term::from_field_text(field, &tokens[0]),
                        IndexRecordOption::Basic,
                    )),
                    _ => Box::new(PhraseQuery::new(
                        tokens
                            .iter()
                            .map(|t| Term::from_field_text(field, t))
                            .collect(),
                    )),
                }
            }
            TextMatch::Prefix(prefix) | TextMatch::Wildcard(prefix) => {
                // Wildcards match the indexed (stemmed, lower-cased) words; the pattern is
                // lower-cased and everything but the wildcards is escaped.
                let mut pattern = String::new();
                for c in prefix.to_lowercase().chars() {
                    match c {
                        '*' => pattern.push_str(".*"),
                        '?' => pattern.push('.'),
                        c if c.is_alphanumeric() => pattern.push(c),
                        c => {
                            pattern.push('\\');
                            pattern.push(c);
                        }
                    }
                }
                if matches!(m, TextMatch::Prefix(_)) && !pattern.ends_with(".*") {
                    pattern.push_str(".*");
                }
                match RegexQuery::from_pattern(&pattern, field) {
                    Ok(q) => Box::new(q),
                    Err(_) => Box::new(EmptyQuery),
                }
            }
        }
    }

    /// Counts matches.
    pub fn count(&self, filter: &Filter) -> SearchResult<usize> {
        let searcher = self.reader.searcher();
        Ok(searcher.search(&*self.query(filter), &tantivy::collector::Count)?)
    }

    /// Matching issue ids in order, with the total count.
    pub fn search(
        &self,
        filter: &Filter,
        sort: &[SortKey],
        offset: usize,
        limit: usize,
    ) -> SearchResult<(Vec<i64>, usize)> {
        let searcher = self.reader.searcher();
        let collector = collect::SortedIds {
            sort: sort.to_vec(),
            id_field: NumField::Id.name(),
        };
        let mut hits = searcher.search(&*self.query(filter), &collector)?;
        let total = hits.len();
        let end = (offset + limit).min(total);
        if offset >= total {
            return Ok((Vec::new(), total));
        }
        // Only the requested window needs full ordering.
        if end < total {
            hits.select_nth_unstable_by(end, collect::compare);
            hits.truncate(end);
        }
        hits.sort_unstable_by(collect::compare);
        Ok((hits[offset..end].iter().map(|h| h.id).collect(), total))
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
fn inconsistent_ids(indexed: &[i64], stored: &[i64]) -> Vec<i64> {
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

fn not(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
        (Occur::MustNot, q),
    ]))
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
fn rebuild_with(
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

/// The indexer thread: the only owner of the index writer.
pub struct Indexer {
    wake: Arc<(Mutex<bool>, Condvar)>,
    rebuild_requested: Arc<std::sync::atomic::AtomicBool>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl Indexer {
    /// Starts the thread; it drains the source from the index's position onwards.
    pub fn start(
        index: Arc<SearchIndex>,
        source: ChangeSource,
        full: FullSource,
        head: HeadSource,
    ) -> SearchResult<Indexer> {
        let mut writer = index.writer()?;
        let wake = Arc::new((Mutex::new(false), Condvar::new()));
        let signal = wake.clone();
        let rebuild_requested = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let rebuild_flag = rebuild_requested.clone();
        let handle = std::thread::Builder::new()
            .name("tessera-indexer".into())
            .spawn(move || {
                let mut position = index.position();
                loop {
                    if rebuild_flag.swap(false, std::sync::atomic::Ordering::SeqCst) {
                        let outcome = head().map_err(SearchError).and_then(|(h, total)| {
                            {
                                let mut st =
                                    index.rebuild.lock().unwrap_or_else(|p| p.into_inner());
                                st.started = Some(now_ms());
                                st.total = total;
                                st.done = 0;
                            }
                            rebuild_with(&index, &mut writer, &full, h, total).map(|_| h)
                        });
                        let mut st = index.rebuild.lock().unwrap_or_else(|p| p.into_inner());
                        st.running = false;
                        st.finished = Some(now_ms());
                        st.success = Some(outcome.is_ok());
                        match outcome {
                            Ok(h) => position = h,
                            Err(e) => tracing::error!(error = %e, "reindex failed"),
                        }
                    }
                    match drain(&index, &mut writer, &source, position) {
                        Ok(Some(p)) => {
                            position = p;
                            continue;
                        }
                        Ok(None) => {}
                        Err(e) => tracing::error!(error = %e, "indexing failed; retrying"),
                    }
                    let (lock, cvar) = &*signal;
                    let mut woken = lock.lock().unwrap_or_else(|p| p.into_inner());
                    if !*woken {
                        woken = cvar
                            .wait_timeout(woken, Duration::from_millis(500))
                            .unwrap_or_else(|p| p.into_inner())
                            .0;
                    }
                    if Arc::strong_count(&signal) == 1 {
                        return;
                    }
                    *woken = false;
                }
            })
            .map_err(|e| SearchError(e.to_string()))?;
        Ok(Indexer {
            wake,
            rebuild_requested,
            handle: Some(handle),
        })
    }

    /// Asks for a full rebuild; returns its id, or the running one's.
    pub fn request_rebuild(&self, index: &SearchIndex) -> u64 {
        let id = {
            let mut st = index.rebuild.lock().unwrap_or_else(|p| p.into_inner());
            if !st.running {
                *st = RebuildState {
                    id: st.id + 1,
                    running: true,
                    submitted: now_ms(),
                    ..Default::default()
                };
            }
            st.id
        };
        self.rebuild_requested
            .store(true, std::sync::atomic::Ordering::SeqCst);
        self.poke();
        id
    }

    /// Tells the indexer there is something new in the outbox.
    pub fn poke(&self) {
        let (lock, cvar) = &*self.wake;
        *lock.lock().unwrap_or_else(|p| p.into_inner()) = true;
        cvar.notify_one();
    }
}

impl Drop for Indexer {
    fn drop(&mut self) {
        let handle = self.handle.take();
        let wake = std::mem::replace(&mut self.wake, Arc::new((Mutex::new(true), Condvar::new())));
        wake.1.notify_one();
        drop(wake);
        if let Some(h) = handle {
            let _ = h.join();
        }
    }
}

const BATCH: usize = 2000;

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Applies one batch; `Some(new position)` when there was work.
fn drain(
    index: &SearchIndex,
    writer: &mut IndexWriter,
    source: &ChangeSource,
    position: i64,
) -> SearchResult<Option<i64>> {
    let changes = source(position, BATCH).map_err(SearchError)?;
    let Some(last) = changes.last().map(|c| c.seq) else {
        return Ok(None);
    };
    let id_field = index.fields.id;
    for change in &changes {
        writer.delete_term(Term::from_field_i64(id_field, change.issue_id));
        if let Some(doc) = &change.doc {
            writer.add_document(index.to_document(doc))?;
        }
    }
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&last.to_string());
    prepared.commit()?;
    index.reader.reload()?;
    index.publish(last);
    Ok(Some(last))
}

/// Documents with any of the terms. A single term is a plain term query: a term set
/// builds an automaton over its terms for every segment, which costs more than the
/// lookup itself for the one-value filters most queries have (`project = X`).
fn terms(terms: impl Iterator<Item = Term>) -> Box<dyn Query> {
    let mut terms: Vec<Term> = terms.collect();
    match (terms.len(), terms.pop()) {
        (1, Some(term)) => Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
        (_, last) => {
            terms.extend(last);
            Box::new(TermSetQuery::new(terms))
        }
    }
}

#[cfg(test)]
mod tests;
