//! The kinds of field the resolver knows, and the system fields by name and alias.

use crate::jql::plan::{NumField, TextField};

/// What a field name stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Project,
    Key,
    Text(TextField),
    /// `text`: every text field at once.
    AllText,
    IssueType,
    Status,
    StatusCategory,
    Priority,
    Resolution,
    User(NumField),
    Labels,
    Component,
    Version(NumField),
    Date(NumField),
    Parent,
    Duration(NumField),
    Custom(i64),
    /// A count compared as a number (`votes > 1`, `watchers = 0`).
    Count(NumField),
    /// `issueLinkType`: a link description (`blocks`, `is blocked by`) or type name.
    LinkType,
    /// `attachments IS [NOT] EMPTY`.
    Attachments,
    /// `level`: the issue security level.
    SecurityLevel,
    /// Known to Jira, answered once the feature it searches exists.
    NotYet(&'static str),
}

/// The system field `name` (any case, any of Jira's aliases) stands for.
pub fn system_kind(name: &str) -> Option<FieldKind> {
    use FieldKind as Kind;
    Some(match name.to_ascii_lowercase().as_str() {
        "project" => Kind::Project,
        "key" | "issuekey" | "id" | "issue" => Kind::Key,
        "summary" => Kind::Text(TextField::Summary),
        "description" => Kind::Text(TextField::Description),
        "environment" => Kind::Text(TextField::Environment),
        "comment" => Kind::Text(TextField::Comment),
        "text" => Kind::AllText,
        "type" | "issuetype" => Kind::IssueType,
        "status" => Kind::Status,
        "statuscategory" => Kind::StatusCategory,
        "priority" => Kind::Priority,
        "resolution" => Kind::Resolution,
        "assignee" => Kind::User(NumField::Assignee),
        "reporter" => Kind::User(NumField::Reporter),
        "creator" => Kind::User(NumField::Creator),
        "labels" | "label" => Kind::Labels,
        "component" => Kind::Component,
        "fixversion" => Kind::Version(NumField::FixVersion),
        "affectedversion" => Kind::Version(NumField::AffectedVersion),
        "created" | "createddate" => Kind::Date(NumField::Created),
        "updated" | "updateddate" => Kind::Date(NumField::Updated),
        "resolved" | "resolutiondate" => Kind::Date(NumField::Resolved),
        "due" | "duedate" => Kind::Date(NumField::Due),
        "statuscategorychangeddate" => Kind::Date(NumField::StatusChanged),
        "parent" => Kind::Parent,
        "originalestimate" | "timeoriginalestimate" => Kind::Duration(NumField::OriginalEstimate),
        "remainingestimate" | "timeestimate" => Kind::Duration(NumField::RemainingEstimate),
        "timespent" => Kind::Duration(NumField::TimeSpent),
        "watcher" => Kind::User(NumField::Watcher),
        "watchers" | "watches" => Kind::Count(NumField::Watches),
        "voter" => Kind::User(NumField::Voter),
        "votes" => Kind::Count(NumField::Votes),
        "attachments" => Kind::Attachments,
        "issuelinktype" => Kind::LinkType,
        "level" => Kind::SecurityLevel,
        "worklogauthor" | "worklogdate" | "worklogcomment" => Kind::NotYet("worklogs"),
        _ => return None,
    })
}
