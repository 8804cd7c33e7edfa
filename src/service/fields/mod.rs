//! Issue fields: the system field table, applying a typed change set to an issue (with
//! validation and reference resolution), and the changelog diff.
//!
//! Everything here runs inside the write transaction, so lookups (users, components,
//! versions) and the change they validate are one atomic step. Reading a surface's wire
//! shape into the change set is the surface's work (`api::jira::issue_input`).

mod apply;
pub mod catalog;
pub mod custom;
mod diff;
mod duration;
mod resolve;

pub use apply::apply;
pub use catalog::{Log, Owner, SYSTEM_FIELDS, SystemField, system_field};
pub use diff::diff;
pub use duration::{format_duration, format_duration_with, parse_duration, parse_duration_with};

use super::{Caller, Catalog, PermissionSet};
use crate::domain::*;

/// A comment requested through `update.comment` on edit or transition.
pub struct PendingComment {
    pub body: String,
}

pub struct Ctx<'a> {
    pub catalog: &'a Catalog,
    pub project: &'a Project,
    pub caller: &'a Caller,
    pub perms: PermissionSet,
    pub creating: bool,
    /// Fields a transition screen may set beyond the edit screen (resolution).
    pub transition: bool,
}

/// Jira's answer for a field a request may not set.
pub fn cannot_set(field: &str) -> String {
    format!("Field '{field}' cannot be set. It is not on the appropriate screen, or unknown.")
}

/// Who a new issue goes to without an assignee given: the project's lead when that is
/// its default, or when issues may not be unassigned (`jira.option.allowunassigned`).
pub fn default_assignee(catalog: &Catalog, project: &Project) -> Option<UserId> {
    (project.assignee_type == "PROJECT_LEAD" || !catalog.settings.unassigned_allowed())
        .then_some(project.lead_id)
}
