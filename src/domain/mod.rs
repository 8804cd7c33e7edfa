//! Domain types: what Tessera knows, independent of any wire format or table layout.
//! Architecture invariant: nothing here derives `Serialize`; each API surface has its own
//! wire types and maps from these.

pub mod agile;
pub mod audit;
pub mod change;
pub mod ids;
pub mod notifications;
pub mod security;
pub mod servicedesk;
pub mod settings;
pub mod time;

pub use ids::*;
pub use time::{Clock, Millis};

#[derive(Debug, Clone)]
pub struct User {
    pub id: UserId,
    pub account_id: String,
    pub username: String,
    pub email: String,
    pub display_name: String,
    pub active: bool,
    pub time_zone: String,
    pub locale: String,
}

#[derive(Debug, Clone)]
pub struct StatusCategory {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub color_name: String,
}

#[derive(Debug, Clone)]
pub struct Status {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub category_id: i64,
}

#[derive(Debug, Clone)]
pub struct Priority {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub status_color: String,
    pub icon: String,
    pub is_default: bool,
}

#[derive(Debug, Clone)]
pub struct Resolution {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub is_default: bool,
}

#[derive(Debug, Clone)]
pub struct IssueType {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub subtask: bool,
    pub hierarchy_level: i64,
    pub avatar_id: i64,
}

#[derive(Debug, Clone)]
pub struct Transition {
    pub id: i64,
    pub name: String,
    /// `None` for a global transition, available from every status.
    pub from_status: Option<i64>,
    pub to_status: i64,
}

#[derive(Debug, Clone)]
pub struct LinkType {
    pub id: i64,
    pub name: String,
    pub inward: String,
    pub outward: String,
}

#[derive(Debug, Clone)]
pub struct ProjectRole {
    pub id: i64,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone)]
pub struct ProjectCategory {
    pub id: i64,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone)]
pub struct PermissionScheme {
    pub id: i64,
    pub name: String,
    pub description: String,
}

/// A saved filter: a JQL query under a name, owned by one user.
#[derive(Debug, Clone)]
pub struct SavedFilter {
    pub id: i64,
    pub owner_id: UserId,
    pub name: String,
    pub description: String,
    pub jql: String,
    pub created: Millis,
    pub updated: Millis,
}

#[derive(Debug, Clone)]
pub struct Project {
    pub id: ProjectId,
    pub key: String,
    pub name: String,
    pub description: String,
    pub lead_id: UserId,
    pub project_type_key: String,
    pub assignee_type: String,
    pub url: String,
    pub category_id: Option<i64>,
    pub permission_scheme_id: i64,
    pub workflow_id: i64,
}

#[derive(Debug, Clone)]
pub struct Component {
    pub id: i64,
    pub project_id: ProjectId,
    pub name: String,
    pub description: String,
    pub lead_id: Option<UserId>,
    pub assignee_type: String,
}

#[derive(Debug, Clone)]
pub struct Version {
    pub id: i64,
    pub project_id: ProjectId,
    pub name: String,
    pub description: String,
    pub archived: bool,
    pub released: bool,
    pub start_date: Option<String>,
    pub release_date: Option<String>,
}

/// The value kinds a custom field can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomFieldKind {
    Text,
    Textarea,
    Number,
    Date,
    DateTime,
    Select,
    MultiSelect,
    Labels,
    User,
    Url,
    /// Jira Software's fields (seeded by the agile migration, not creatable by clients).
    /// Sprint: the ids of the issue's sprints (stored as [`FieldValue::Options`]).
    Sprint,
    /// Epic Link: the issue's parent when that is an Epic; no value of its own.
    EpicLink,
    /// Epic Name (text).
    EpicLabel,
    /// Epic Status (an option: To Do, In Progress, Done).
    EpicStatus,
    /// Epic Colour (text such as `ghx-label-1`).
    EpicColor,
    /// Rank: a LexoRank-style string; issues order by it.
    Rank,
}

impl CustomFieldKind {
    /// The Jira Software kinds, known when read back but never offered for creation.
    pub const AGILE: [CustomFieldKind; 6] = [
        CustomFieldKind::Sprint,
        CustomFieldKind::EpicLink,
        CustomFieldKind::EpicLabel,
        CustomFieldKind::EpicStatus,
        CustomFieldKind::EpicColor,
        CustomFieldKind::Rank,
    ];

    pub const ALL: [CustomFieldKind; 10] = [
        CustomFieldKind::Text,
        CustomFieldKind::Textarea,
        CustomFieldKind::Number,
        CustomFieldKind::Date,
        CustomFieldKind::DateTime,
        CustomFieldKind::Select,
        CustomFieldKind::MultiSelect,
        CustomFieldKind::Labels,
        CustomFieldKind::User,
        CustomFieldKind::Url,
    ];

    /// Jira's custom field type key.
    pub fn type_key(self) -> &'static str {
        match self {
            CustomFieldKind::Text => "com.atlassian.jira.plugin.system.customfieldtypes:textfield",
            CustomFieldKind::Textarea => {
                "com.atlassian.jira.plugin.system.customfieldtypes:textarea"
            }
            CustomFieldKind::Number => "com.atlassian.jira.plugin.system.customfieldtypes:float",
            CustomFieldKind::Date => "com.atlassian.jira.plugin.system.customfieldtypes:datepicker",
            CustomFieldKind::DateTime => {
                "com.atlassian.jira.plugin.system.customfieldtypes:datetime"
            }
            CustomFieldKind::Select => "com.atlassian.jira.plugin.system.customfieldtypes:select",
            CustomFieldKind::MultiSelect => {
                "com.atlassian.jira.plugin.system.customfieldtypes:multiselect"
            }
            CustomFieldKind::Labels => "com.atlassian.jira.plugin.system.customfieldtypes:labels",
            CustomFieldKind::User => "com.atlassian.jira.plugin.system.customfieldtypes:userpicker",
            CustomFieldKind::Url => "com.atlassian.jira.plugin.system.customfieldtypes:url",
            CustomFieldKind::Sprint => "com.pyxis.greenhopper.jira:gh-sprint",
            CustomFieldKind::EpicLink => "com.pyxis.greenhopper.jira:gh-epic-link",
            CustomFieldKind::EpicLabel => "com.pyxis.greenhopper.jira:gh-epic-label",
            CustomFieldKind::EpicStatus => "com.pyxis.greenhopper.jira:gh-epic-status",
            CustomFieldKind::EpicColor => "com.pyxis.greenhopper.jira:gh-epic-color",
            CustomFieldKind::Rank => "com.pyxis.greenhopper.jira:gh-lexo-rank",
        }
    }

    /// Jira's searcher key for the type, as `POST /field` expects it.
    pub fn searcher_key(self) -> &'static str {
        match self {
            CustomFieldKind::Text | CustomFieldKind::Textarea => {
                "com.atlassian.jira.plugin.system.customfieldtypes:textsearcher"
            }
            CustomFieldKind::Number => {
                "com.atlassian.jira.plugin.system.customfieldtypes:exactnumber"
            }
            CustomFieldKind::Date => "com.atlassian.jira.plugin.system.customfieldtypes:daterange",
            CustomFieldKind::DateTime => {
                "com.atlassian.jira.plugin.system.customfieldtypes:datetimerange"
            }
            CustomFieldKind::Select | CustomFieldKind::MultiSelect => {
                "com.atlassian.jira.plugin.system.customfieldtypes:multiselectsearcher"
            }
            CustomFieldKind::Labels => {
                "com.atlassian.jira.plugin.system.customfieldtypes:labelsearcher"
            }
            CustomFieldKind::User => {
                "com.atlassian.jira.plugin.system.customfieldtypes:userpickergroupsearcher"
            }
            CustomFieldKind::Url => {
                "com.atlassian.jira.plugin.system.customfieldtypes:exacttextsearcher"
            }
            CustomFieldKind::Sprint => "com.pyxis.greenhopper.jira:gh-sprint-searcher",
            CustomFieldKind::EpicLink => "com.pyxis.greenhopper.jira:gh-epic-link-searcher",
            CustomFieldKind::EpicLabel | CustomFieldKind::EpicColor => {
                "com.atlassian.jira.plugin.system.customfieldtypes:textsearcher"
            }
            CustomFieldKind::EpicStatus => {
                "com.atlassian.jira.plugin.system.customfieldtypes:multiselectsearcher"
            }
            CustomFieldKind::Rank => "com.pyxis.greenhopper.jira:gh-lexo-rank-searcher",
        }
    }

    /// Accepts Jira's full type key or its short suffix (`textfield`).
    pub fn from_type_key(key: &str) -> Option<CustomFieldKind> {
        let short = key.rsplit(':').next().unwrap_or(key);
        CustomFieldKind::ALL
            .into_iter()
            .chain(CustomFieldKind::AGILE)
            .find(|k| k.type_key().rsplit(':').next() == Some(short))
    }

    /// The short name stored in the database.
    pub fn short(self) -> &'static str {
        self.type_key().rsplit(':').next().unwrap_or_default()
    }

    pub fn is_multi(self) -> bool {
        matches!(self, CustomFieldKind::MultiSelect | CustomFieldKind::Labels)
    }
}

#[derive(Debug, Clone)]
pub struct CustomFieldOption {
    pub id: i64,
    pub value: String,
    pub disabled: bool,
}

#[derive(Debug, Clone)]
pub struct CustomField {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub kind: CustomFieldKind,
    pub options: Vec<CustomFieldOption>,
}

impl CustomField {
    /// `customfield_10000`, the id clients use in `fields`.
    pub fn field_id(&self) -> String {
        format!("customfield_{}", self.id)
    }
}

/// A custom field's stored value, in one canonical shape per kind.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    Text(String),
    Number(f64),
    /// `YYYY-MM-DD`
    Date(String),
    DateTime(Millis),
    Option(i64),
    Options(Vec<i64>),
    Labels(Vec<String>),
    User(UserId),
}

#[derive(Debug, Clone)]
pub struct Issue {
    pub id: IssueId,
    pub key: String,
    pub project_id: ProjectId,
    pub issue_type_id: i64,
    pub status_id: i64,
    pub priority_id: Option<i64>,
    pub resolution_id: Option<i64>,
    pub summary: String,
    pub description: Option<String>,
    pub environment: Option<String>,
    pub assignee_id: Option<UserId>,
    pub reporter_id: Option<UserId>,
    pub creator_id: Option<UserId>,
    pub parent_id: Option<IssueId>,
    pub due_date: Option<String>,
    pub original_estimate: Option<i64>,
    pub remaining_estimate: Option<i64>,
    pub time_spent: Option<i64>,
    pub created: Millis,
    pub updated: Millis,
    pub resolution_date: Option<Millis>,
    pub status_changed: Millis,
    pub labels: Vec<String>,
    pub component_ids: Vec<i64>,
    pub fix_version_ids: Vec<i64>,
    pub affected_version_ids: Vec<i64>,
    pub custom: Vec<(i64, FieldValue)>,
    /// The issue security level; `None`: visible to whoever may browse the project.
    pub security_level_id: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Visibility {
    /// `group` or `role`
    pub kind: String,
    pub value: String,
}

#[derive(Debug, Clone)]
pub struct Comment {
    pub id: i64,
    pub issue_id: IssueId,
    pub author_id: Option<UserId>,
    pub update_author_id: Option<UserId>,
    pub body: String,
    pub created: Millis,
    pub updated: Millis,
    pub visibility: Option<Visibility>,
}

#[derive(Debug, Clone)]
pub struct ChangeItem {
    pub field: String,
    pub field_type: String,
    pub field_id: String,
    pub from: Option<String>,
    pub from_string: Option<String>,
    pub to: Option<String>,
    pub to_string: Option<String>,
}

/// An edit or deletion of a comment, kept for the issue's activity stream.
#[derive(Debug, Clone)]
pub struct CommentEvent {
    pub id: i64,
    pub comment_id: i64,
    pub actor_id: Option<UserId>,
    pub deleted: bool,
    pub occurred: Millis,
}

#[derive(Debug, Clone)]
pub struct ChangeGroup {
    pub id: i64,
    pub issue_id: IssueId,
    pub author_id: Option<UserId>,
    pub created: Millis,
    pub items: Vec<ChangeItem>,
}

#[derive(Debug, Clone)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: UserId,
    pub label: String,
    pub scopes: Vec<String>,
    pub created: Millis,
    pub expires: Option<Millis>,
    pub last_used: Option<Millis>,
}

/// A directed link between two issues: `source` <outward description> `dest`.
#[derive(Debug, Clone)]
pub struct IssueLink {
    pub id: i64,
    pub link_type_id: i64,
    pub source_id: IssueId,
    pub dest_id: IssueId,
}

/// A file attached to an issue. The content lives in the data directory under its
/// SHA-256; `filename` is a cleaned display name, never a path.
#[derive(Debug, Clone)]
pub struct Attachment {
    pub id: i64,
    pub issue_id: IssueId,
    pub author_id: Option<UserId>,
    pub filename: String,
    pub mime_type: String,
    pub size: i64,
    /// Lower-case hex SHA-256 of the content.
    pub sha256: String,
    pub created: Millis,
}

/// Time logged on an issue.
#[derive(Debug, Clone)]
pub struct Worklog {
    pub id: i64,
    pub issue_id: IssueId,
    pub author_id: Option<UserId>,
    pub update_author_id: Option<UserId>,
    pub comment: String,
    pub started: Millis,
    /// Seconds.
    pub time_spent: i64,
    pub created: Millis,
    pub updated: Millis,
    pub visibility: Option<Visibility>,
}

/// A link from an issue to an object in another system (Jira's remote issue link).
#[derive(Debug, Clone)]
pub struct RemoteLink {
    pub id: i64,
    pub issue_id: IssueId,
    pub global_id: Option<String>,
    pub url: String,
    pub title: String,
    pub summary: Option<String>,
    pub relationship: Option<String>,
    pub application_type: Option<String>,
    pub application_name: Option<String>,
    pub icon: LinkIcon,
    pub status_resolved: Option<bool>,
    pub status_icon: LinkIcon,
    /// When the link was first made (the store sets it on insert).
    pub created: Millis,
}

#[derive(Debug, Clone, Default)]
pub struct LinkIcon {
    pub url16x16: Option<String>,
    pub title: Option<String>,
    pub link: Option<String>,
}

/// Time tracking options: how durations are parsed and shown.
#[derive(Debug, Clone)]
pub struct TimeTracking {
    pub hours_per_day: f64,
    pub days_per_week: f64,
    /// `pretty`, `days` or `hours`
    pub time_format: String,
    /// The unit of a bare number: `minute`, `hour`, `day` or `week`.
    pub default_unit: String,
}

impl Default for TimeTracking {
    fn default() -> Self {
        TimeTracking {
            hours_per_day: 8.0,
            days_per_week: 5.0,
            time_format: "pretty".into(),
            default_unit: "minute".into(),
        }
    }
}
