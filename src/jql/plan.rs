//! The plan: a resolved query. Every name is an id, every function has been evaluated
//! and every date fixed against "now"; what is left is a tree of typed predicates over
//! issue fields, and the sort. `search/` turns a plan into index queries; nothing here
//! knows how the index is built.

use std::collections::HashMap;
use std::ops::Bound;
use std::sync::Arc;

/// A resolved query: what to match, in what order, and what strict validation would
/// have refused (under `Validation::Warn`).
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub predicate: Predicate,
    /// Sort keys, most significant first, ending with the tie-break by issue key.
    pub sort: Vec<SortKey>,
    pub warnings: Vec<String>,
}

/// An issue field holding whole numbers: ids, counts, seconds or epoch milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NumField {
    Id,
    Project,
    /// The number in the issue key (`PROJ-12` → 12).
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
    /// `link type id * 2` for an outward link, `+ 1` for an inward one.
    IssueLinkType,
    /// Number of attachments.
    Attachments,
    /// The issue security level (`level`).
    SecurityLevel,
    /// The sprints of the Sprint field (multi-valued).
    Sprint,
    /// The Rank field as a number ordering like the rank string.
    Rank,
    /// Story Points in thousandths, so `> 2.5` compares whole numbers.
    StoryPoints,
}

/// An issue field holding text, matched with `~`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    Summary,
    Description,
    Environment,
    Comment,
    /// Every text custom field, together.
    CustomText,
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

/// A typed predicate over an issue.
#[derive(Debug, Clone, PartialEq)]
pub enum Predicate {
    All,
    Nothing,
    And(Vec<Predicate>),
    Or(Vec<Predicate>),
    Not(Box<Predicate>),
    /// The field holds one of these values (multi-valued fields: any of them).
    In(NumField, Vec<i64>),
    Range(NumField, Bound<i64>, Bound<i64>),
    /// The field has no value.
    Empty(NumField),
    LabelIn(Vec<String>),
    LabelsEmpty,
    /// Custom field `id` holds one of these canonical values.
    CustomIn(i64, Vec<String>),
    CustomEmpty(i64),
    /// Any of the fields matches.
    Text(Vec<TextField>, TextMatch),
    TextEmpty(TextField),
}

/// Values mapped to their place in an order (priority order, key order, user order).
pub type Rank = Arc<HashMap<i64, i64>>;

/// One ORDER BY key: a field, optionally ranked instead of compared by value.
#[derive(Debug, Clone, PartialEq)]
pub struct SortKey {
    pub field: NumField,
    pub rank: Option<Rank>,
    pub descending: bool,
}

/// The restrictions of a history search (`WAS`, `CHANGED`): a time window, who made
/// the change, and the values changed from and to (as the changelog stores them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryWindow {
    pub after: Option<i64>,
    pub before: Option<i64>,
    pub by: Option<Vec<i64>>,
    pub from: Option<Vec<String>>,
    pub to: Option<Vec<String>>,
}
