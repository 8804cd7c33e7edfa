//! Notification schemes (who hears of each issue event) and application roles (which
//! groups give access to the tracker).

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventType {
    pub id: i64,
    pub name: String,
    pub description: String,
}

/// One recipient of an event: Jira's `notificationType` and its parameter (a group
/// name, a role id, a username, an address, a custom field id), if it takes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: i64,
    pub kind: String,
    pub parameter: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationScheme {
    pub id: i64,
    pub name: String,
    pub description: String,
    /// Events in id order, each with its recipients in the order they were added.
    pub events: Vec<(EventType, Vec<Notification>)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationRole {
    pub key: String,
    pub name: String,
    pub platform: bool,
    pub groups: Vec<String>,
    pub default_groups: Vec<String>,
    /// Active users in any of the role's groups.
    pub user_count: usize,
}
