//! The audit log's records: who changed what in the administration, when, and from
//! where. Services build an [`AuditEntry`] inside the write that makes the change, so
//! the record and the change commit together.

use super::Millis;

/// Jira's audit categories (the `category` filter of `auditing/record`).
pub mod category {
    pub const USER_MANAGEMENT: &str = "user management";
    pub const GROUP_MANAGEMENT: &str = "group management";
    pub const PERMISSIONS: &str = "permissions";
    pub const PROJECTS: &str = "projects";
    pub const ISSUE_SECURITY: &str = "issue security";
    pub const NOTIFICATIONS: &str = "notifications";
    pub const WORKFLOWS: &str = "workflows";
    pub const FIELDS: &str = "fields";
    pub const SYSTEM: &str = "system";
}

/// The thing a record is about, or one associated with it (`typeName` is Jira's:
/// `USER`, `GROUP`, `PROJECT`, `PROJECT_ROLE`, `PERMISSION_SCHEME`, `SCHEME`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditItem {
    pub type_name: String,
    pub id: String,
    pub name: String,
    pub parent_id: Option<String>,
    pub parent_name: Option<String>,
}

impl AuditItem {
    pub fn new(type_name: &str, id: impl ToString, name: impl Into<String>) -> AuditItem {
        AuditItem {
            type_name: type_name.to_string(),
            id: id.to_string(),
            name: name.into(),
            parent_id: None,
            parent_name: None,
        }
    }

    /// A user, as Jira names them: in the internal directory.
    pub fn user(username: &str) -> AuditItem {
        AuditItem {
            parent_id: Some("1".into()),
            parent_name: Some("Jira Internal Directory".into()),
            ..AuditItem::new("USER", username, username)
        }
    }

    pub fn group(name: &str) -> AuditItem {
        AuditItem {
            parent_id: Some("1".into()),
            parent_name: Some("Jira Internal Directory".into()),
            ..AuditItem::new("GROUP", name, name)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedValue {
    pub field_name: String,
    pub changed_from: Option<String>,
    pub changed_to: Option<String>,
}

/// A record to write: what happened; who and when are added by the store call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub category: String,
    pub summary: String,
    pub object: AuditItem,
    pub changed_values: Vec<ChangedValue>,
    pub associated_items: Vec<AuditItem>,
}

impl AuditEntry {
    pub fn new(category: &str, summary: impl Into<String>, object: AuditItem) -> Self {
        AuditEntry {
            category: category.to_string(),
            summary: summary.into(),
            object,
            changed_values: Vec::new(),
            associated_items: Vec::new(),
        }
    }

    /// Adds a changed value; an unchanged one (same before and after) is left out.
    pub fn changed(
        mut self,
        field: &str,
        from: Option<impl Into<String>>,
        to: Option<impl Into<String>>,
    ) -> Self {
        let (from, to) = (from.map(Into::into), to.map(Into::into));
        if from != to {
            self.changed_values.push(ChangedValue {
                field_name: field.to_string(),
                changed_from: from,
                changed_to: to,
            });
        }
        self
    }

    pub fn associated(mut self, item: AuditItem) -> Self {
        self.associated_items.push(item);
        self
    }
}

/// A stored record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub id: i64,
    pub created: Millis,
    pub author_key: Option<String>,
    pub remote_address: Option<String>,
    pub entry: AuditEntry,
}

/// `auditing/record`'s filters: free text over summary, category, object and values,
/// and a time window (inclusive, in milliseconds).
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub text: Option<String>,
    pub from: Option<Millis>,
    pub to: Option<Millis>,
    pub offset: usize,
    pub limit: usize,
}
