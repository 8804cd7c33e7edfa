//! Administration of access control: project role definitions and their actors
//! ([`roles`]), permission schemes and their grants ([`schemes`]). Every write is
//! audited inside its transaction and reloads the catalog; the ACL counter (bumped by
//! triggers, V5 and V15) drops cached permission answers on the next request.

pub mod notifications;
pub mod roles;
pub mod schemes;

use crate::domain::audit::AuditItem;
use crate::domain::*;

/// One actor of a role: a user (by username) or a group, with the name to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// `user` or `group`
    pub kind: String,
    pub name: String,
    pub display_name: String,
}

fn role_item(role: &ProjectRole) -> AuditItem {
    AuditItem::new("PROJECT_ROLE", role.id, role.name.clone())
}

fn project_item(project: &Project) -> AuditItem {
    AuditItem::new("PROJECT", project.id.0, project.name.clone())
}

fn scheme_item(id: i64, name: &str) -> AuditItem {
    AuditItem::new("PERMISSION_SCHEME", id, name)
}
