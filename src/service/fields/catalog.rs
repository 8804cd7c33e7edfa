//! The system field table: each field's id, name, schema, what clients may do with it,
//! and how its changes read in the changelog.

use crate::domain::*;
use crate::service::Catalog;

/// A system field: id, display name, schema type, item type, and what clients may do.
pub struct SystemField {
    pub id: &'static str,
    pub name: &'static str,
    pub schema_type: &'static str,
    pub items: Option<&'static str>,
    pub orderable: bool,
    pub navigable: bool,
    pub searchable: bool,
    pub clause_names: &'static [&'static str],
    /// Operations for editmeta/createmeta; empty = not settable.
    pub operations: &'static [&'static str],
    /// How a change of the field is recorded in the changelog.
    pub log: Log,
}

/// How a field's value reads from an issue for the changelog.
pub enum Log {
    /// Not recorded (derived, or changed through its own resource).
    None,
    /// Text: recorded as from/to strings only.
    Text(fn(&Issue) -> Option<String>),
    /// A value that is its own id and text (dates, seconds).
    Plain(fn(&Issue) -> Option<String>),
    /// A catalog entry: its id, and its name in the catalog.
    Named(
        fn(&Issue) -> Option<i64>,
        fn(&Catalog, i64) -> Option<String>,
    ),
    /// A user: account id and display name.
    User(fn(&Issue) -> Option<UserId>),
    /// The parent issue (id and key), under this changelog name.
    Parent(&'static str),
    /// A set of project entries: one item per id added or removed, under this name.
    Each(&'static str, Owner, fn(&Issue) -> &Vec<i64>),
}

/// Which of the project's lists an id set names.
#[derive(Clone, Copy)]
pub enum Owner {
    Components,
    Versions,
}

macro_rules! sys {
    ($id:literal, $name:literal, $ty:literal, $items:expr, $ord:literal, $nav:literal, $search:literal, [$($c:literal),*], [$($op:literal),*], $log:expr) => {
        SystemField { id: $id, name: $name, schema_type: $ty, items: $items, orderable: $ord, navigable: $nav, searchable: $search, clause_names: &[$($c),*], operations: &[$($op),*], log: $log }
    };
}

pub const SYSTEM_FIELDS: &[SystemField] = &[
    sys!(
        "summary",
        "Summary",
        "string",
        None,
        true,
        true,
        true,
        ["summary"],
        ["set"],
        Log::Text(|i| Some(i.summary.clone()))
    ),
    sys!(
        "issuetype",
        "Issue Type",
        "issuetype",
        None,
        true,
        true,
        true,
        ["issuetype", "type"],
        ["set"],
        Log::Named(
            |i| Some(i.issue_type_id),
            |c, id| c.issue_type(id).map(|t| t.name.clone())
        )
    ),
    sys!(
        "project",
        "Project",
        "project",
        None,
        false,
        true,
        true,
        ["project"],
        ["set"],
        Log::None
    ),
    sys!(
        "description",
        "Description",
        "string",
        None,
        true,
        true,
        true,
        ["description"],
        ["set"],
        Log::Text(|i| i.description.clone())
    ),
    sys!(
        "environment",
        "Environment",
        "string",
        None,
        true,
        true,
        true,
        ["environment"],
        ["set"],
        Log::Text(|i| i.environment.clone())
    ),
    sys!(
        "status",
        "Status",
        "status",
        None,
        false,
        true,
        true,
        ["status"],
        [],
        Log::Named(
            |i| Some(i.status_id),
            |c, id| c.status(id).map(|s| s.name.clone())
        )
    ),
    sys!(
        "priority",
        "Priority",
        "priority",
        None,
        true,
        true,
        true,
        ["priority"],
        ["set"],
        Log::Named(
            |i| i.priority_id,
            |c, id| c.priority(id).map(|p| p.name.clone())
        )
    ),
    sys!(
        "resolution",
        "Resolution",
        "resolution",
        None,
        true,
        true,
        true,
        ["resolution"],
        ["set"],
        Log::Named(
            |i| i.resolution_id,
            |c, id| c.resolution(id).map(|r| r.name.clone())
        )
    ),
    sys!(
        "resolutiondate",
        "Resolved",
        "datetime",
        None,
        false,
        true,
        true,
        ["resolutiondate", "resolved"],
        [],
        Log::None
    ),
    sys!(
        "assignee",
        "Assignee",
        "user",
        None,
        true,
        true,
        true,
        ["assignee"],
        ["set"],
        Log::User(|i| i.assignee_id)
    ),
    sys!(
        "reporter",
        "Reporter",
        "user",
        None,
        true,
        true,
        true,
        ["reporter"],
        ["set"],
        Log::User(|i| i.reporter_id)
    ),
    sys!(
        "creator",
        "Creator",
        "user",
        None,
        false,
        true,
        true,
        ["creator"],
        [],
        Log::None
    ),
    sys!(
        "created",
        "Created",
        "datetime",
        None,
        false,
        true,
        true,
        ["created", "createdDate"],
        [],
        Log::None
    ),
    sys!(
        "updated",
        "Updated",
        "datetime",
        None,
        false,
        true,
        true,
        ["updated", "updatedDate"],
        [],
        Log::None
    ),
    sys!(
        "duedate",
        "Due date",
        "date",
        None,
        true,
        true,
        true,
        ["due", "duedate"],
        ["set"],
        Log::Plain(|i| i.due_date.clone())
    ),
    sys!(
        "labels",
        "Labels",
        "array",
        Some("string"),
        true,
        true,
        true,
        ["labels"],
        ["add", "set", "remove"],
        Log::Text(|i| Some(i.labels.join(" ")))
    ),
    sys!(
        "components",
        "Components",
        "array",
        Some("component"),
        true,
        true,
        true,
        ["component"],
        ["add", "set", "remove"],
        Log::Each("Component", Owner::Components, |i| &i.component_ids)
    ),
    sys!(
        "fixVersions",
        "Fix versions",
        "array",
        Some("version"),
        true,
        true,
        true,
        ["fixVersion"],
        ["set", "add", "remove"],
        Log::Each("Fix Version", Owner::Versions, |i| &i.fix_version_ids)
    ),
    sys!(
        "versions",
        "Affects versions",
        "array",
        Some("version"),
        true,
        true,
        true,
        ["affectedVersion"],
        ["set", "add", "remove"],
        Log::Each("Version", Owner::Versions, |i| &i.affected_version_ids)
    ),
    sys!(
        "parent",
        "Parent",
        "issuelink",
        None,
        false,
        false,
        true,
        ["parent"],
        ["set"],
        Log::Parent("Parent")
    ),
    sys!(
        "subtasks",
        "Sub-tasks",
        "array",
        Some("issuelinks"),
        false,
        true,
        false,
        ["subtasks"],
        [],
        Log::None
    ),
    sys!(
        "issuelinks",
        "Linked Issues",
        "array",
        Some("issuelinks"),
        false,
        true,
        true,
        ["issueLink"],
        [],
        Log::None
    ),
    sys!(
        "comment",
        "Comment",
        "comments-page",
        None,
        false,
        false,
        true,
        ["comment"],
        ["add", "edit", "remove"],
        Log::None
    ),
    sys!(
        "watches",
        "Watchers",
        "watches",
        None,
        false,
        true,
        true,
        ["watchers"],
        [],
        Log::None
    ),
    sys!(
        "votes",
        "Votes",
        "votes",
        None,
        false,
        true,
        true,
        ["votes"],
        [],
        Log::None
    ),
    sys!(
        "worklog",
        "Log Work",
        "array",
        Some("worklog"),
        false,
        false,
        true,
        [],
        [],
        Log::None
    ),
    sys!(
        "attachment",
        "Attachment",
        "array",
        Some("attachment"),
        false,
        true,
        true,
        ["attachments"],
        [],
        Log::None
    ),
    sys!(
        "timetracking",
        "Time tracking",
        "timetracking",
        None,
        true,
        false,
        true,
        [],
        ["set", "edit"],
        Log::None
    ),
    sys!(
        "timeoriginalestimate",
        "Original Estimate",
        "number",
        None,
        false,
        true,
        true,
        ["originalEstimate"],
        [],
        Log::Plain(|i| i.original_estimate.map(|v| v.to_string()))
    ),
    sys!(
        "timeestimate",
        "Remaining Estimate",
        "number",
        None,
        false,
        true,
        true,
        ["remainingEstimate"],
        [],
        Log::Plain(|i| i.remaining_estimate.map(|v| v.to_string()))
    ),
    sys!(
        "timespent",
        "Time Spent",
        "number",
        None,
        false,
        true,
        true,
        ["timespent"],
        [],
        Log::None
    ),
    sys!(
        "progress",
        "Progress",
        "progress",
        None,
        false,
        true,
        false,
        ["progress"],
        [],
        Log::None
    ),
    sys!(
        "statuscategorychangedate",
        "Status Category Changed",
        "datetime",
        None,
        false,
        true,
        true,
        ["statusCategoryChangedDate"],
        [],
        Log::None
    ),
    sys!(
        "lastViewed",
        "Last Viewed",
        "datetime",
        None,
        false,
        true,
        false,
        ["lastViewed"],
        [],
        Log::None
    ),
    sys!(
        "security",
        "Security Level",
        "securitylevel",
        None,
        false,
        true,
        true,
        ["level"],
        [],
        Log::None
    ),
];

/// The order changelog items of one change come in, as clients have always seen them.
pub const CHANGELOG_ORDER: &[&str] = &[
    "summary",
    "description",
    "environment",
    "issuetype",
    "status",
    "priority",
    "resolution",
    "assignee",
    "reporter",
    "duedate",
    "labels",
    "parent",
    "timeoriginalestimate",
    "timeestimate",
    "components",
    "fixVersions",
    "versions",
];

pub fn system_field(id: &str) -> Option<&'static SystemField> {
    SYSTEM_FIELDS.iter().find(|f| f.id == id)
}
