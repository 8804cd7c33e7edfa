//! API surfaces.
pub mod jira;
