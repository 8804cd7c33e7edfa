//! Application properties: the instance-wide options Jira keeps under
//! `application-properties`. Each one listed here is read somewhere — the options
//! switch features on and off in the services, the title and base URL are what the
//! server reports — so the table is the whole list of what an administrator can set.

use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PropertyKind {
    Boolean,
    Text,
}

impl PropertyKind {
    /// Jira's `type` of a property.
    pub fn name(self) -> &'static str {
        match self {
            PropertyKind::Boolean => "boolean",
            PropertyKind::Text => "string",
        }
    }
}

/// One property: its key, what Jira shows for it, and its default.
#[derive(Debug)]
pub struct PropertyDef {
    pub key: &'static str,
    pub name: &'static str,
    pub desc: &'static str,
    pub kind: PropertyKind,
    pub default: &'static str,
    /// Listed on the "Advanced Settings" page (`application-properties/advanced-settings`).
    pub advanced: bool,
}

pub const TITLE: &str = "jira.title";
pub const BASE_URL: &str = "jira.baseurl";
pub const VOTING: &str = "jira.option.voting";
pub const WATCHING: &str = "jira.option.watching";
pub const UNASSIGNED: &str = "jira.option.allowunassigned";
pub const SUBTASKS: &str = "jira.option.allowsubtasks";
pub const LINKING: &str = "jira.option.issuelinking";
pub const TIME_TRACKING: &str = "jira.option.timetracking";
pub const ATTACHMENTS: &str = "jira.option.allowattachments";

const fn flag(key: &'static str, name: &'static str, desc: &'static str) -> PropertyDef {
    PropertyDef {
        key,
        name,
        desc,
        kind: PropertyKind::Boolean,
        default: "true",
        advanced: false,
    }
}

pub const PROPERTIES: &[PropertyDef] = &[
    PropertyDef {
        key: TITLE,
        name: "Title",
        desc: "The name of this instance, shown in the browser and by serverInfo",
        kind: PropertyKind::Text,
        default: "Tessera",
        advanced: true,
    },
    PropertyDef {
        key: BASE_URL,
        name: "Base URL",
        desc: "The address users reach this instance at; links in answers start with it (the --base-url option, when given, takes precedence)",
        kind: PropertyKind::Text,
        default: "",
        advanced: true,
    },
    flag(VOTING, "Voting", "Users may vote for issues"),
    flag(WATCHING, "Watching", "Users may watch issues"),
    flag(
        UNASSIGNED,
        "Allow unassigned issues",
        "Issues may have no assignee; when off, a project whose default is unassigned assigns its lead",
    ),
    flag(SUBTASKS, "Sub-tasks", "Issues may have sub-tasks"),
    flag(
        LINKING,
        "Issue linking",
        "Issues may be linked to each other",
    ),
    flag(
        TIME_TRACKING,
        "Time tracking",
        "Work may be logged and estimated on issues",
    ),
    flag(
        ATTACHMENTS,
        "Attachments",
        "Files may be attached to issues",
    ),
];

/// Why work cannot be logged while time tracking is off.
pub const TIME_TRACKING_OFF: &str = "Time tracking is disabled on this instance.";

pub fn property(key: &str) -> Option<&'static PropertyDef> {
    PROPERTIES.iter().find(|p| p.key == key)
}

/// The current value of every property (the default where none was set).
#[derive(Debug, Clone, Default)]
pub struct AppSettings {
    values: BTreeMap<&'static str, String>,
}

impl AppSettings {
    /// From the values stored for some keys; the others take their defaults.
    pub fn from_stored(stored: impl IntoIterator<Item = (String, String)>) -> AppSettings {
        let mut values: BTreeMap<&'static str, String> = PROPERTIES
            .iter()
            .map(|p| (p.key, p.default.to_string()))
            .collect();
        for (k, v) in stored {
            if let Some(def) = property(&k) {
                values.insert(def.key, v);
            }
        }
        AppSettings { values }
    }

    pub fn value(&self, key: &str) -> &str {
        match self.values.get(key) {
            Some(v) => v,
            None => property(key).map_or("", |p| p.default),
        }
    }

    fn on(&self, key: &str) -> bool {
        self.value(key) == "true"
    }

    pub fn title(&self) -> &str {
        self.value(TITLE)
    }
    /// The configured base URL without a trailing slash; `None` when unset.
    pub fn base_url(&self) -> Option<&str> {
        Some(self.value(BASE_URL).trim_end_matches('/')).filter(|u| !u.is_empty())
    }
    pub fn voting(&self) -> bool {
        self.on(VOTING)
    }
    pub fn watching(&self) -> bool {
        self.on(WATCHING)
    }
    pub fn unassigned_allowed(&self) -> bool {
        self.on(UNASSIGNED)
    }
    pub fn subtasks(&self) -> bool {
        self.on(SUBTASKS)
    }
    pub fn linking(&self) -> bool {
        self.on(LINKING)
    }
    pub fn time_tracking(&self) -> bool {
        self.on(TIME_TRACKING)
    }
    pub fn attachments(&self) -> bool {
        self.on(ATTACHMENTS)
    }
}

/// Why a value does not fit a property, in Jira's words; `None` when it does.
pub fn invalid_value(def: &PropertyDef, value: &str) -> Option<String> {
    match def.kind {
        PropertyKind::Boolean if !matches!(value, "true" | "false") => Some(format!(
            "The value '{value}' is not valid for '{}': it must be true or false.",
            def.key
        )),
        PropertyKind::Text if value.len() > 255 => Some(format!(
            "The value for '{}' may hold at most 255 characters.",
            def.key
        )),
        PropertyKind::Text if def.key == BASE_URL && !value.is_empty() => {
            let ok = (value.starts_with("http://") || value.starts_with("https://"))
                && !value.contains(char::is_whitespace)
                && value
                    .split("://")
                    .nth(1)
                    .is_some_and(|rest| !rest.is_empty());
            (!ok).then(|| "The base URL must be an absolute http(s) URL.".to_string())
        }
        PropertyKind::Text if def.key == TITLE && value.trim().is_empty() => {
            Some("The title must not be empty.".to_string())
        }
        _ => None,
    }
}
