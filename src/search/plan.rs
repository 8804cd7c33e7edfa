//! A JQL [`Plan`] in the index's terms: its predicates become [`Filter`]s and its sort
//! keys [`SortKey`]s over the index's fields. The plan names issue fields; this is the
//! one place that knows which index field holds each.

use crate::jql::plan::{self, Plan, Predicate};

use super::{Filter, NumField, SortKey, TextField, TextMatch};

/// The plan's predicate as an index filter, and its sort keys.
pub fn from_plan(plan: &Plan) -> (Filter, Vec<SortKey>) {
    (
        filter(&plan.predicate),
        plan.sort.iter().map(sort_key).collect(),
    )
}

/// A predicate as an index filter.
pub fn filter(p: &Predicate) -> Filter {
    let all = |ps: &[Predicate]| ps.iter().map(filter).collect();
    match p {
        Predicate::All => Filter::All,
        Predicate::Nothing => Filter::Nothing,
        Predicate::And(ps) => Filter::And(all(ps)),
        Predicate::Or(ps) => Filter::Or(all(ps)),
        Predicate::Not(inner) => Filter::Not(Box::new(filter(inner))),
        Predicate::In(f, values) => Filter::In(num(*f), values.clone()),
        Predicate::Range(f, lo, hi) => Filter::Range(num(*f), *lo, *hi),
        Predicate::Empty(f) => Filter::Empty(num(*f)),
        Predicate::LabelIn(labels) => Filter::LabelIn(labels.clone()),
        Predicate::LabelsEmpty => Filter::LabelsEmpty,
        Predicate::CustomIn(id, values) => Filter::CustomIn(*id, values.clone()),
        Predicate::CustomEmpty(id) => Filter::CustomEmpty(*id),
        Predicate::Text(fields, m) => {
            Filter::Text(fields.iter().map(|t| text(*t)).collect(), text_match(m))
        }
        Predicate::TextEmpty(t) => Filter::TextEmpty(text(*t)),
    }
}

fn sort_key(k: &plan::SortKey) -> SortKey {
    SortKey {
        field: num(k.field),
        rank: k.rank.clone(),
        descending: k.descending,
    }
}

fn num(f: plan::NumField) -> NumField {
    use plan::NumField as P;
    match f {
        P::Id => NumField::Id,
        P::Project => NumField::Project,
        P::Num => NumField::Num,
        P::IssueType => NumField::IssueType,
        P::Status => NumField::Status,
        P::StatusCategory => NumField::StatusCategory,
        P::Priority => NumField::Priority,
        P::Resolution => NumField::Resolution,
        P::Assignee => NumField::Assignee,
        P::Reporter => NumField::Reporter,
        P::Creator => NumField::Creator,
        P::Parent => NumField::Parent,
        P::Component => NumField::Component,
        P::FixVersion => NumField::FixVersion,
        P::AffectedVersion => NumField::AffectedVersion,
        P::Created => NumField::Created,
        P::Updated => NumField::Updated,
        P::Resolved => NumField::Resolved,
        P::Due => NumField::Due,
        P::StatusChanged => NumField::StatusChanged,
        P::OriginalEstimate => NumField::OriginalEstimate,
        P::RemainingEstimate => NumField::RemainingEstimate,
        P::TimeSpent => NumField::TimeSpent,
        P::Watcher => NumField::Watcher,
        P::Voter => NumField::Voter,
        P::Watches => NumField::Watches,
        P::Votes => NumField::Votes,
        P::IssueLinkType => NumField::IssueLinkType,
        P::Attachments => NumField::Attachments,
        P::SecurityLevel => NumField::SecurityLevel,
        P::Sprint => NumField::Sprint,
        P::Rank => NumField::Rank,
        P::StoryPoints => NumField::StoryPoints,
    }
}

fn text(t: plan::TextField) -> TextField {
    use plan::TextField as P;
    match t {
        P::Summary => TextField::Summary,
        P::Description => TextField::Description,
        P::Environment => TextField::Environment,
        P::Comment => TextField::Comment,
        P::CustomText => TextField::CustomText,
    }
}

fn text_match(m: &plan::TextMatch) -> TextMatch {
    use plan::TextMatch as P;
    match m {
        P::Words(s) => TextMatch::Words(s.clone()),
        P::Phrase(s) => TextMatch::Phrase(s.clone()),
        P::Prefix(s) => TextMatch::Prefix(s.clone()),
        P::Wildcard(s) => TextMatch::Wildcard(s.clone()),
    }
}
