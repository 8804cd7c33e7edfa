//! The typed change set: what any surface (Jira's `fields` + `update`, v1, the web UI, an
//! importer) asks to change on an issue. Surfaces parse their wire shapes into it; the
//! issue service resolves its references (names to ids, users) and applies it.
//!
//! Architecture invariant: nothing here knows a wire format; references stay unresolved
//! (by id or by name) because resolving them needs the store.

use super::{IssueRef, Millis, ProjectRef};

/// One create, edit or transition request's changes, in the order the client gave them
/// (the order decides which message a field reports when it is named twice).
#[derive(Debug, Clone, Default)]
pub struct IssueChange {
    /// The project of a create (Jira's `fields.project`); `None` when absent or unreadable.
    pub project: Option<ProjectRef>,
    pub edits: Vec<FieldEdit>,
    /// Work to log once the issue is stored (`update.worklog` on create and edit).
    pub worklogs: Vec<WorklogAdd>,
}

impl IssueChange {
    /// Whether the request names `key` at all (valid or not).
    pub fn names(&self, key: &str) -> bool {
        self.edits.iter().any(|e| e.key == key)
    }

    /// Appends a change of `key`.
    pub fn push(&mut self, key: impl Into<String>, op: Op) {
        self.edits.push(FieldEdit {
            key: key.into(),
            op,
        });
    }
}

/// One operation on one field; `key` is the field as the client named it (errors are
/// reported under it).
#[derive(Debug, Clone)]
pub struct FieldEdit {
    pub key: String,
    pub op: Op,
}

#[derive(Debug, Clone)]
pub enum Op {
    /// Replace the field's value.
    Set(Value),
    /// Add one element to a multi-valued field (no-op when present).
    Add(Item),
    /// Remove one element from a multi-valued field.
    Remove(Item),
    /// Add a comment after the issue is stored.
    Comment(String),
    /// The surface could not read this part of the request: report `message` under the
    /// field. Kept in line (not returned early) so that one answer lists every field
    /// error of a request, the surface's and the service's, as Jira does.
    Rejected(String),
}

/// A whole new value of one field.
#[derive(Debug, Clone)]
pub enum Value {
    /// Untrimmed; the service trims and checks it.
    Summary(String),
    Description(Option<String>),
    Environment(Option<String>),
    /// Only meaningful on create, where [`IssueChange::project`] carries it.
    Project,
    IssueType(NamedRef),
    Priority(Option<NamedRef>),
    Resolution(Option<NamedRef>),
    Assignee(UserSel),
    Reporter(UserSel),
    /// ISO `yyyy-mm-dd`.
    DueDate(Option<String>),
    Labels(Vec<String>),
    Components(Vec<NamedRef>),
    FixVersions(Vec<NamedRef>),
    AffectsVersions(Vec<NamedRef>),
    /// `None` clears the parent.
    Parent(Option<IssueRef>),
    TimeTracking(Estimates),
    /// The issue security level; `None` clears it.
    Security(Option<NamedRef>),
    Custom(i64, CustomValue),
}

/// One element of a multi-valued field, for add and remove.
#[derive(Debug, Clone)]
pub enum Item {
    Label(String),
    Component(NamedRef),
    FixVersion(NamedRef),
    AffectsVersion(NamedRef),
    /// A custom field's option (multi-select).
    Option(i64, OptionRef),
    /// A custom labels field's label.
    CustomLabel(i64, String),
}

/// A catalog or project entry (issue type, priority, component, version…) by id or name.
#[derive(Debug, Clone)]
pub struct NamedRef {
    pub by: By,
    /// The reference as the client wrote it, for error messages.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum By {
    Id(i64),
    /// Matched case-insensitively.
    Name(String),
    /// Neither a readable id nor a name: never matches.
    Nothing,
}

/// A user as a client names them.
#[derive(Debug, Clone, PartialEq)]
pub enum UserSel {
    Nobody,
    /// The project's default assignee (Jira's `-1`).
    Automatic,
    /// A user name, account id or login.
    Key(String),
    /// Not readable as a user; the message is reported once the field may be set at all.
    Invalid(String),
}

/// Time tracking estimates, in seconds; the outer `None` leaves an estimate alone.
#[derive(Debug, Clone, Default)]
pub struct Estimates {
    pub original: Option<Option<i64>>,
    pub remaining: Option<Option<i64>>,
}

/// A custom field value, typed by the field's kind.
#[derive(Debug, Clone)]
pub enum CustomValue {
    Clear,
    /// Text, text area or URL (checked by the service against the kind).
    Text(String),
    Number(f64),
    /// ISO `yyyy-mm-dd`.
    Date(String),
    DateTime(Millis),
    Option(OptionRef),
    Options(Vec<OptionRef>),
    Labels(Vec<String>),
    User(UserSel),
}

/// A select field's option.
#[derive(Debug, Clone)]
pub struct OptionRef {
    pub by: OptionBy,
    /// As the client wrote it, for error messages.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum OptionBy {
    Id(i64),
    Value(String),
    /// A bare string: the option whose id or value it is.
    IdOrValue(String),
    Nothing,
}

/// A worklog asked for with the change.
#[derive(Debug, Clone)]
pub struct WorklogAdd {
    /// Seconds, above zero.
    pub spent: i64,
    /// `None`: when the change is made.
    pub started: Option<Millis>,
    pub comment: String,
}

/// Checks and normalises a label: no spaces, at most 255 characters.
pub fn validate_label(l: &str) -> Result<String, String> {
    let l = l.trim();
    if l.is_empty() || l.chars().any(char::is_whitespace) {
        return Err("Labels cannot contain spaces.".into());
    }
    if l.chars().count() > 255 {
        return Err("The label must not exceed 255 characters.".into());
    }
    Ok(l.to_string())
}
