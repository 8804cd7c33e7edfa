//! Saved filters: a JQL query under a name, owned by one user, shared through share
//! permissions, favourited by anyone who sees it; and the issue navigator's columns (per
//! filter, per user, and the system default).
//!
//! Visibility: the owner always sees a filter; anyone else sees it when one of its shares
//! matches them: `global` (everyone, even anonymous), `authenticated` (any logged-in
//! user), `group` (a member), `project` (may browse the project), `projectRole` (holds
//! the role in the project) or `user` (that user). A filter the caller cannot see is
//! answered exactly like a missing one. Only the owner edits a filter; an administrator
//! may also delete it.

use super::{catalog, permissions, search, users};
use crate::store::Store;
use std::sync::Arc;

use super::users::UserRef;
use crate::domain::*;
use crate::error::Error;

/// Saved filters: CRUD, sharing, favourites, columns.
pub struct Service {
    store: Store,
    catalog: Arc<catalog::Service>,
    permissions: Arc<permissions::Service>,
    users: Arc<users::Service>,
    search: Arc<search::Service>,
}

impl Service {
    pub(super) fn new(
        store: Store,
        catalog: Arc<catalog::Service>,
        permissions: Arc<permissions::Service>,
        users: Arc<users::Service>,
        search: Arc<search::Service>,
    ) -> Service {
        Service {
            store,
            catalog,
            permissions,
            users,
            search,
        }
    }
}

mod columns;
mod crud;
mod sharing;

/// Jira's answer for a filter that is missing or invisible to the caller.
pub const NOT_AVAILABLE: &str = "The selected filter is not available to you, perhaps it has been deleted or had its permissions changed.";

/// The issue navigator's columns until an administrator sets others.
pub const DEFAULT_COLUMNS: &[&str] = &[
    "issuetype",
    "issuekey",
    "summary",
    "assignee",
    "reporter",
    "priority",
    "status",
    "resolution",
    "created",
    "updated",
    "duedate",
];

/// Most users listed in an expanded `sharedUsers`.
pub const MAX_SHARED_USERS: usize = 1000;

fn not_available() -> Error {
    Error::not_found(NOT_AVAILABLE)
}

/// What a filter is shared with, resolved for display.
#[derive(Debug, Clone)]
pub enum ShareTarget {
    Global,
    Authenticated,
    Group(String),
    Project(Project),
    ProjectRole(Project, ProjectRole),
    User(User),
    /// A project (or a role in one) the caller may not browse.
    ProjectUnknown,
}

#[derive(Debug, Clone)]
pub struct Share {
    pub id: i64,
    pub target: ShareTarget,
}

/// A filter with everything needed to render it for one caller.
#[derive(Debug, Clone)]
pub struct FilterView {
    pub filter: SavedFilter,
    pub owner: User,
    pub shares: Vec<Share>,
    pub favourite: bool,
    pub favourited_count: i64,
    pub editable: bool,
    /// Users the filter is shared with, when asked for (`expand=sharedUsers`).
    pub shared_users: Option<Vec<User>>,
}

/// A share permission as a client asks for it.
#[derive(Debug, Clone, Default)]
pub struct ShareInput {
    pub kind: String,
    pub group: Option<String>,
    pub project: Option<String>,
    pub role: Option<String>,
    /// Account id or username.
    pub user: Option<String>,
}

/// Fields of a create or an update; `None` keeps the current value on update.
#[derive(Debug, Clone, Default)]
pub struct FilterInput {
    pub name: Option<String>,
    pub description: Option<String>,
    pub jql: Option<String>,
    pub favourite: Option<bool>,
    pub shares: Option<Vec<ShareInput>>,
}

/// Sort orders of `filter/search`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterOrder {
    Name,
    Id,
    Description,
    Owner,
    FavouriteCount,
    IsFavourite,
    IsShared,
}

impl FilterOrder {
    /// Parses `name`, `-name`, `+id`, ...: the order and whether it is descending.
    pub fn parse(raw: &str) -> Option<(FilterOrder, bool)> {
        let (desc, key) = match raw.strip_prefix('-') {
            Some(k) => (true, k),
            None => (false, raw.strip_prefix('+').unwrap_or(raw)),
        };
        let order = match key {
            "name" => FilterOrder::Name,
            "id" => FilterOrder::Id,
            "description" => FilterOrder::Description,
            "owner" => FilterOrder::Owner,
            "favourite_count" => FilterOrder::FavouriteCount,
            "is_favourite" => FilterOrder::IsFavourite,
            "is_shared" => FilterOrder::IsShared,
            _ => return None,
        };
        Some((order, desc))
    }
}

/// Criteria of `filter/search`.
#[derive(Debug, Clone)]
pub struct FilterSearch {
    /// Case-insensitive part of the name.
    pub name: Option<String>,
    pub owner: Option<UserRef>,
    pub group: Option<String>,
    pub project_id: Option<i64>,
    pub ids: Vec<i64>,
    pub order: FilterOrder,
    pub descending: bool,
    pub start_at: i64,
    pub max_results: i64,
    pub shared_users: bool,
}

/// One issue navigator column: the field id and its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub id: String,
    pub label: String,
}

/// Scope of the default sharing of new filters.
pub const SHARE_SCOPES: &[&str] = &["GLOBAL", "AUTHENTICATED", "PRIVATE"];
