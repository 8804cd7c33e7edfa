//! The index schema: field handles, the text analyzer, and issues turned into documents.

use std::collections::HashMap;

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer};
use tantivy::{TantivyDocument, doc};

use super::SearchIndex;
use super::stem;

/// Bumped when the schema changes; a mismatch makes the index rebuild from SQLite.
pub(super) const SCHEMA_VERSION: &str = "6";
pub(super) const TEXT_TOKENIZER: &str = "tessera_en";

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
    /// The issue security level, which searches filter on for the caller.
    pub security_level: Option<i64>,
    /// Sprint ids of the Sprint field.
    pub sprints: Vec<i64>,
    /// The Rank field's sort number (`domain::agile::rank::sort_key`).
    pub rank: Option<i64>,
    /// Story Points in thousandths.
    pub story_points: Option<i64>,
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
    /// The issue security level; absent without one.
    SecurityLevel,
    Sprint,
    Rank,
    StoryPoints,
}

impl NumField {
    pub(super) fn name(self) -> &'static str {
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
            NumField::SecurityLevel => "securitylevel",
            NumField::Sprint => "sprint",
            NumField::Rank => "rank",
            NumField::StoryPoints => "storypoints",
        }
    }

    const ALL: [NumField; 33] = [
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
        NumField::SecurityLevel,
        NumField::Sprint,
        NumField::Rank,
        NumField::StoryPoints,
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
    pub(super) fn name(self) -> &'static str {
        match self {
            TextField::Summary => "summary",
            TextField::Description => "description",
            TextField::Environment => "environment",
            TextField::Comment => "comment",
            TextField::CustomText => "customtext",
        }
    }
}

pub(super) struct Fields {
    pub(super) id: Field,
    pub(super) key: Field,
    pub(super) labels: Field,
    pub(super) custom: Field,
    pub(super) nums: HashMap<NumField, Field>,
    pub(super) texts: Vec<(TextField, Field)>,
    pub(super) has: Field,
}

pub(super) fn build_schema() -> (Schema, Fields) {
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

pub(super) fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(64))
        .filter(LowerCaser)
        .filter(stem::CachedEnglishStemmer)
        .build()
}

impl SearchIndex {
    pub(super) fn to_document(&self, d: &IndexDoc) -> TantivyDocument {
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
        put(NumField::SecurityLevel, d.security_level);
        put(NumField::Rank, d.rank);
        put(NumField::StoryPoints, d.story_points);
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
            (NumField::Sprint, &d.sprints),
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
}
