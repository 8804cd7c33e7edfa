//! The field catalogue: Jira's system fields with their aliases, value kinds and
//! operators (data only), and custom fields looked up through the caller's
//! [`CustomFieldResolver`].

use super::ast::{Field, Operator};

/// What a field holds, which decides its operators and how values are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueKind {
    Project,
    IssueKey,
    /// Free text, searched with `~`.
    Text,
    IssueType,
    Status,
    StatusCategory,
    Priority,
    Resolution,
    User,
    Group,
    Label,
    Component,
    Version,
    /// A date without time (`due`).
    Date,
    DateTime,
    Number,
    /// Time tracking (`timespent`): `3h`, `2d 4h` or minutes.
    Duration,
    IssueLinkType,
    Attachment,
    /// A select list, radio buttons, checkboxes.
    Option,
    Url,
}

impl ValueKind {
    pub fn is_date(self) -> bool {
        matches!(self, ValueKind::Date | ValueKind::DateTime)
    }

    /// Operators of a custom field of this kind (Jira's custom field types).
    pub fn custom_operators(self) -> &'static [Operator] {
        match self {
            ValueKind::Text => TEXT,
            ValueKind::Number
            | ValueKind::Date
            | ValueKind::DateTime
            | ValueKind::Version
            | ValueKind::Duration => ORDERED_EMPTY,
            ValueKind::IssueKey => ORDERED,
            ValueKind::Attachment => IS_ONLY,
            _ => EQ_IS,
        }
    }
}

#[rustfmt::skip]
mod sets {
    use super::Operator::{self, *};
    pub const EQ: &[Operator] = &[Equals, NotEquals, In, NotIn];
    pub const EQ_IS: &[Operator] = &[Equals, NotEquals, In, NotIn, Is, IsNot];
    pub const EQ_HISTORY: &[Operator] = &[Equals, NotEquals, In, NotIn, Is, IsNot, Was, WasNot, WasIn, WasNotIn, Changed];
    pub const ORDERED: &[Operator] = &[Equals, NotEquals, LessThan, GreaterThan, LessThanEquals, GreaterThanEquals, In, NotIn];
    pub const ORDERED_EMPTY: &[Operator] =
        &[Equals, NotEquals, LessThan, GreaterThan, LessThanEquals, GreaterThanEquals, In, NotIn, Is, IsNot];
    pub const ORDERED_HISTORY: &[Operator] = &[
        Equals, NotEquals, LessThan, GreaterThan, LessThanEquals, GreaterThanEquals, In, NotIn, Is, IsNot,
        Was, WasNot, WasIn, WasNotIn, Changed,
    ];
    pub const COMPARE: &[Operator] = &[Equals, NotEquals, LessThan, GreaterThan, LessThanEquals, GreaterThanEquals];
    pub const TEXT: &[Operator] = &[Like, NotLike, Is, IsNot];
    pub const LIKE_ONLY: &[Operator] = &[Like];
    pub const IS_ONLY: &[Operator] = &[Is, IsNot];
}
use sets::*;

/// A system field. `names[0]` is the canonical JQL name; lookup ignores case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SystemField {
    /// The field's id in the REST API (`issuetype`, `duedate`).
    pub id: &'static str,
    pub names: &'static [&'static str],
    pub kind: ValueKind,
    pub operators: &'static [Operator],
    /// Whether `EMPTY` can match (an unassigned issue, no due date).
    pub empty: bool,
    pub orderable: bool,
}

const fn sys(
    id: &'static str,
    names: &'static [&'static str],
    kind: ValueKind,
    operators: &'static [Operator],
    empty: bool,
    orderable: bool,
) -> SystemField {
    SystemField {
        id,
        names,
        kind,
        operators,
        empty,
        orderable,
    }
}

/// The system fields, as Jira documents their operators.
#[rustfmt::skip]
pub const SYSTEM_FIELDS: &[SystemField] = &[
    //  id                      names                                           kind                      operators         empty   orderable
    sys("project",              &["project"],                                   ValueKind::Project,       EQ_IS,            false,  true),
    sys("issuekey",             &["key", "issuekey", "id", "issue"],            ValueKind::IssueKey,      ORDERED,          false,  true),
    sys("summary",              &["summary"],                                   ValueKind::Text,          TEXT,             false,  true),
    sys("description",          &["description"],                               ValueKind::Text,          TEXT,             true,   false),
    sys("environment",          &["environment"],                               ValueKind::Text,          TEXT,             true,   false),
    sys("comment",              &["comment"],                                   ValueKind::Text,          TEXT,             false,  false),
    sys("text",                 &["text"],                                      ValueKind::Text,          LIKE_ONLY,        false,  false),
    sys("issuetype",            &["type", "issuetype"],                         ValueKind::IssueType,     EQ,               false,  true),
    sys("status",               &["status"],                                    ValueKind::Status,        EQ_HISTORY,       false,  true),
    sys("statusCategory",       &["statusCategory"],                            ValueKind::StatusCategory, EQ,               false,  true),
    sys("priority",             &["priority"],                                  ValueKind::Priority,      ORDERED_HISTORY,  true,   true),
    sys("resolution",           &["resolution"],                                ValueKind::Resolution,    ORDERED_HISTORY,  true,   true),
    sys("assignee",             &["assignee"],                                  ValueKind::User,          EQ_HISTORY,       true,   true),
    sys("reporter",             &["reporter"],                                  ValueKind::User,          EQ_HISTORY,       true,   true),
    sys("creator",              &["creator"],                                   ValueKind::User,          EQ_IS,            true,   true),
    sys("labels",               &["labels"],                                    ValueKind::Label,         EQ_IS,            true,   true),
    sys("components",           &["component"],                                 ValueKind::Component,     EQ_IS,            true,   true),
    sys("fixVersions",          &["fixVersion"],                                ValueKind::Version,       ORDERED_HISTORY,  true,   true),
    sys("versions",             &["affectedVersion"],                           ValueKind::Version,       ORDERED_EMPTY,    true,   true),
    sys("created",              &["created", "createdDate"],                    ValueKind::DateTime,      ORDERED,          false,  true),
    sys("updated",              &["updated", "updatedDate"],                    ValueKind::DateTime,      ORDERED,          false,  true),
    sys("resolutiondate",       &["resolved", "resolutiondate"],                ValueKind::DateTime,      ORDERED_EMPTY,    true,   true),
    sys("duedate",              &["due", "duedate"],                            ValueKind::Date,          ORDERED_EMPTY,    true,   true),
    sys("parent",               &["parent"],                                    ValueKind::IssueKey,      EQ,               false,  false),
    sys("watcher",              &["watcher"],                                   ValueKind::User,          EQ_IS,            true,   false),
    sys("voter",                &["voter"],                                     ValueKind::User,          EQ,               false,  false),
    sys("votes",                &["votes"],                                     ValueKind::Number,        COMPARE,          false,  true),
    sys("watches",              &["watchers"],                                  ValueKind::Number,        COMPARE,          false,  true),
    sys("attachment",           &["attachments"],                               ValueKind::Attachment,    IS_ONLY,          true,   false),
    sys("issuelinktype",        &["issueLinkType"],                             ValueKind::IssueLinkType, EQ,               false,  false),
    sys("worklogAuthor",        &["worklogAuthor"],                             ValueKind::User,          EQ,               false,  false),
    sys("worklogDate",          &["worklogDate"],                               ValueKind::Date,          ORDERED,          false,  false),
    sys("timespent",            &["timespent"],                                 ValueKind::Duration,      ORDERED_EMPTY,    true,   true),
    sys("timeoriginalestimate", &["originalEstimate", "timeoriginalestimate"],  ValueKind::Duration,      ORDERED_EMPTY,    true,   true),
    sys("level",                &["level"],                                     ValueKind::Option,        EQ_IS,            true,   false),
    sys("timeestimate",         &["remainingEstimate", "timeestimate"],         ValueKind::Duration,      ORDERED_EMPTY,    true,   true),
];

/// The system field called `name` (any alias, any case).
pub fn system_field(name: &str) -> Option<&'static SystemField> {
    SYSTEM_FIELDS
        .iter()
        .find(|f| f.names.iter().any(|n| n.eq_ignore_ascii_case(name)))
}

/// A custom field as the caller knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomField {
    pub id: u64,
    pub name: String,
    pub kind: ValueKind,
}

/// Custom field lookup, implemented by the caller (the service layer, over the store).
pub trait CustomFieldResolver {
    /// Custom fields called `name`, ignoring case; Jira allows several with one name.
    fn by_name(&self, name: &str) -> Vec<CustomField>;
    /// The custom field with id `id` (`cf[10001]`).
    fn by_id(&self, id: u64) -> Option<CustomField>;
}

/// A resolver that knows no custom fields.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoCustomFields;

impl CustomFieldResolver for NoCustomFields {
    fn by_name(&self, _: &str) -> Vec<CustomField> {
        Vec::new()
    }
    fn by_id(&self, _: u64) -> Option<CustomField> {
        None
    }
}

/// A field reference resolved against the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldRef {
    System(&'static SystemField),
    Custom(CustomField),
}

impl FieldRef {
    pub fn kind(&self) -> ValueKind {
        match self {
            FieldRef::System(f) => f.kind,
            FieldRef::Custom(c) => c.kind,
        }
    }

    pub fn operators(&self) -> &'static [Operator] {
        match self {
            FieldRef::System(f) => f.operators,
            FieldRef::Custom(c) => c.kind.custom_operators(),
        }
    }

    pub fn supports(&self, op: Operator) -> bool {
        self.operators().contains(&op)
    }

    pub fn supports_empty(&self) -> bool {
        match self {
            FieldRef::System(f) => f.empty,
            FieldRef::Custom(_) => true,
        }
    }

    pub fn orderable(&self) -> bool {
        match self {
            FieldRef::System(f) => f.orderable,
            FieldRef::Custom(c) => c.kind != ValueKind::Text,
        }
    }
}

/// System fields plus the caller's custom fields.
#[derive(Clone, Copy)]
pub struct FieldCatalogue<'a> {
    custom: &'a dyn CustomFieldResolver,
}

static NO_CUSTOM_FIELDS: NoCustomFields = NoCustomFields;

impl<'a> FieldCatalogue<'a> {
    pub fn new(custom: &'a dyn CustomFieldResolver) -> FieldCatalogue<'a> {
        FieldCatalogue { custom }
    }

    /// The system fields only.
    pub fn system() -> FieldCatalogue<'static> {
        FieldCatalogue {
            custom: &NO_CUSTOM_FIELDS,
        }
    }

    /// What `field` refers to: a system field by name or alias, else every custom
    /// field of that name; `cf[id]` by id. Empty when it names nothing.
    pub fn resolve(&self, field: &Field) -> Vec<FieldRef> {
        match field {
            Field::Name(name) => match system_field(name) {
                Some(f) => vec![FieldRef::System(f)],
                None => self
                    .custom
                    .by_name(name)
                    .into_iter()
                    .map(FieldRef::Custom)
                    .collect(),
            },
            Field::CustomId(id) => self
                .custom
                .by_id(*id)
                .into_iter()
                .map(FieldRef::Custom)
                .collect(),
        }
    }
}
