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

use std::cmp::Ordering;
use std::collections::HashSet;

use super::jql::Validation;
use super::permissions::caller_permissions;
use super::users::UserRef;
use super::{App, Caller, Catalog, Page, Permission};
use crate::domain::*;
use crate::error::{Error, Result};
use crate::store::StoreResult;
use crate::store::queries::{Db, catalog as cq, filters as q, projects as pq, users as uq};

pub use crate::store::queries::filters::FilterRow;

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

const DEFAULT_COLUMNS_KEY: &str = "navigator.default_columns";
const SHARE_SCOPE_KEY: &str = "filter.default_share_scope";
const MAX_NAME: usize = 255;
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
    pub filter: FilterRow,
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

// Visibility, inside a transaction.

fn caller_roles(db: &Db, caller: &Caller, project: ProjectId) -> StoreResult<HashSet<i64>> {
    Ok(pq::role_actors(db, project)?
        .into_iter()
        .filter(|(_, kind, value)| match kind.as_str() {
            "user" => value.eq_ignore_ascii_case(&caller.user.username),
            _ => caller.in_group(value),
        })
        .map(|(role, _, _)| role)
        .collect())
}

fn may_browse(
    db: &Db,
    catalog: &Catalog,
    caller: Option<&Caller>,
    project: &Project,
) -> StoreResult<bool> {
    Ok(caller_permissions(db, catalog, caller, project, None)?.has(Permission::BrowseProjects))
}

/// Whether one share grants the caller sight of its filter.
fn share_matches(
    db: &Db,
    catalog: &Catalog,
    caller: Option<&Caller>,
    s: &q::ShareRow,
) -> StoreResult<bool> {
    Ok(match s.kind.as_str() {
        "global" => true,
        "authenticated" => caller.is_some(),
        "group" => caller
            .zip(s.group.as_deref())
            .is_some_and(|(c, g)| c.in_group(g)),
        "user" => caller.is_some_and(|c| Some(c.user.id) == s.user_id),
        "project" => match s.project_id {
            Some(p) => match pq::by_id(db, p)? {
                Some(project) => may_browse(db, catalog, caller, &project)?,
                None => false,
            },
            None => false,
        },
        "projectRole" => match (caller, s.project_id, s.role_id) {
            (Some(c), Some(p), Some(role)) => caller_roles(db, c, p)?.contains(&role),
            _ => false,
        },
        _ => false,
    })
}

fn visible(
    db: &Db,
    catalog: &Catalog,
    caller: Option<&Caller>,
    f: &FilterRow,
    shares: &[q::ShareRow],
) -> StoreResult<bool> {
    if caller.is_some_and(|c| c.user.id == f.owner_id) {
        return Ok(true);
    }
    for s in shares {
        if share_matches(db, catalog, caller, s)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The filter and its shares when the caller may see it; Jira's 404 otherwise.
fn load_visible(
    db: &Db,
    catalog: &Catalog,
    caller: Option<&Caller>,
    id: i64,
) -> StoreResult<(FilterRow, Vec<q::ShareRow>)> {
    let f = q::by_id(db, id)?.ok_or_else(not_available)?;
    let shares = q::shares(db, id)?;
    if !visible(db, catalog, caller, &f, &shares)? {
        return Err(not_available().into());
    }
    Ok((f, shares))
}

/// The filter when the caller owns it (403 when they only see it, 404 when they do not).
fn load_owned(
    db: &Db,
    catalog: &Catalog,
    caller: &Caller,
    id: i64,
) -> StoreResult<(FilterRow, Vec<q::ShareRow>)> {
    let (f, shares) = load_visible(db, catalog, Some(caller), id)?;
    if f.owner_id != caller.user.id {
        return Err(Error::forbidden(
            "You do not have permission to change this filter: only its owner may edit it.",
        )
        .into());
    }
    Ok((f, shares))
}

fn share_view(
    db: &Db,
    catalog: &Catalog,
    caller: Option<&Caller>,
    s: &q::ShareRow,
) -> StoreResult<Share> {
    let project = |db: &Db| -> StoreResult<Option<Project>> {
        match s.project_id {
            Some(p) => match pq::by_id(db, p)? {
                Some(project) if may_browse(db, catalog, caller, &project)? => Ok(Some(project)),
                _ => Ok(None),
            },
            None => Ok(None),
        }
    };
    let target = match s.kind.as_str() {
        "global" => ShareTarget::Global,
        "authenticated" => ShareTarget::Authenticated,
        "group" => ShareTarget::Group(s.group.clone().unwrap_or_default()),
        "user" => match s.user_id {
            Some(u) => match uq::by_id(db, u)? {
                Some(user) => ShareTarget::User(user),
                None => ShareTarget::ProjectUnknown,
            },
            None => ShareTarget::ProjectUnknown,
        },
        "project" => project(db)?.map_or(ShareTarget::ProjectUnknown, ShareTarget::Project),
        "projectRole" => match (project(db)?, s.role_id.and_then(|r| catalog.role(r))) {
            (Some(p), Some(role)) => ShareTarget::ProjectRole(p, role.clone()),
            _ => ShareTarget::ProjectUnknown,
        },
        _ => ShareTarget::ProjectUnknown,
    };
    Ok(Share { id: s.id, target })
}

/// Users (other than the owner) a filter's shares reach.
fn shared_users(
    db: &Db,
    catalog: &Catalog,
    f: &FilterRow,
    shares: &[q::ShareRow],
) -> StoreResult<Vec<User>> {
    if shares.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for id in q::active_user_ids(db)? {
        if id == f.owner_id {
            continue;
        }
        let Some(user) = uq::by_id(db, id)? else {
            continue;
        };
        let as_caller = Caller {
            groups: uq::groups_of(db, id)?,
            user,
            grants: crate::service::scopes::Grants::Full,
        };
        let mut reached = false;
        for s in shares {
            if share_matches(db, catalog, Some(&as_caller), s)? {
                reached = true;
                break;
            }
        }
        if reached {
            out.push(as_caller.user);
            if out.len() >= MAX_SHARED_USERS {
                break;
            }
        }
    }
    out.sort_by_key(|u| u.display_name.to_lowercase());
    Ok(out)
}

fn view(
    db: &Db,
    catalog: &Catalog,
    caller: Option<&Caller>,
    f: FilterRow,
    shares: Vec<q::ShareRow>,
    with_users: bool,
) -> StoreResult<FilterView> {
    let owner = uq::by_id(db, f.owner_id)?.ok_or_else(Error::internal)?;
    let mut views = Vec::with_capacity(shares.len());
    for s in &shares {
        views.push(share_view(db, catalog, caller, s)?);
    }
    let favourite = match caller {
        Some(c) => q::is_favourite(db, f.id, c.user.id)?,
        None => false,
    };
    let shared = if with_users {
        Some(shared_users(db, catalog, &f, &shares)?)
    } else {
        None
    };
    Ok(FilterView {
        favourited_count: q::favourite_count(db, f.id)?,
        editable: caller.is_some_and(|c| c.user.id == f.owner_id),
        owner,
        shares: views,
        favourite,
        shared_users: shared,
        filter: f,
    })
}

/// Views of the given filters that the caller may see, in the given order.
fn visible_views(
    db: &Db,
    catalog: &Catalog,
    caller: Option<&Caller>,
    filters: Vec<FilterRow>,
    with_users: bool,
) -> StoreResult<Vec<FilterView>> {
    let mut out = Vec::new();
    for f in filters {
        let shares = q::shares(db, f.id)?;
        if visible(db, catalog, caller, &f, &shares)? {
            out.push(view(db, catalog, caller, f, shares, with_users)?);
        }
    }
    Ok(out)
}

// Validation.

fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::field(
            "filterName",
            "You must specify a name to save this filter as.",
        ));
    }
    if name.chars().count() > MAX_NAME {
        return Err(Error::field(
            "filterName",
            format!("The filter name must not be longer than {MAX_NAME} characters."),
        ));
    }
    Ok(name.to_string())
}

fn name_taken() -> Error {
    Error::field("filterName", "Filter with same name already exists.")
}

/// Resolves a share request to a row to store, in the transaction that stores it.
fn resolve_share(
    db: &Db,
    catalog: &Catalog,
    caller: &Caller,
    s: &ShareInput,
) -> StoreResult<q::NewShare> {
    let blank = q::NewShare {
        kind: "global",
        group_id: None,
        project_id: None,
        role_id: None,
        user_id: None,
    };
    let project = |raw: Option<&str>| -> StoreResult<Project> {
        let raw = raw
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .ok_or_else(|| Error::bad_request("A project share needs a projectId."))?;
        let missing = || Error::bad_request(format!("No project could be found with id '{raw}'."));
        let p = pq::by_ref(db, &ProjectRef::parse(raw))?.ok_or_else(missing)?;
        if !may_browse(db, catalog, Some(caller), &p)? {
            return Err(missing().into());
        }
        Ok(p)
    };
    Ok(match s.kind.trim().to_ascii_lowercase().as_str() {
        "global" => blank,
        "authenticated" | "loggedin" => q::NewShare {
            kind: "authenticated",
            ..blank
        },
        "group" => {
            let name = s
                .group
                .as_deref()
                .map(str::trim)
                .filter(|g| !g.is_empty())
                .ok_or_else(|| Error::bad_request("A group share needs a groupname."))?;
            let id = uq::group_id(db, name)?
                .ok_or_else(|| Error::bad_request(format!("Group '{name}' does not exist.")))?;
            q::NewShare {
                kind: "group",
                group_id: Some(id),
                ..blank
            }
        }
        "project" => q::NewShare {
            kind: "project",
            project_id: Some(project(s.project.as_deref())?.id),
            ..blank
        },
        "projectrole" => {
            let p = project(s.project.as_deref())?;
            let raw = s.role.as_deref().map(str::trim).unwrap_or_default();
            let role = raw
                .parse::<i64>()
                .ok()
                .and_then(|id| catalog.role(id))
                .ok_or_else(|| {
                    Error::bad_request(format!("No project role could be found with id '{raw}'."))
                })?;
            q::NewShare {
                kind: "projectRole",
                project_id: Some(p.id),
                role_id: Some(role.id),
                ..blank
            }
        }
        "user" => {
            let raw = s.user.as_deref().map(str::trim).unwrap_or_default();
            let user = match raw {
                "" => None,
                r => match uq::by_account_id(db, r)? {
                    Some(u) => Some(u),
                    None => uq::by_username(db, r)?,
                },
            }
            .ok_or_else(|| {
                Error::bad_request(format!("The user with account ID '{raw}' does not exist."))
            })?;
            q::NewShare {
                kind: "user",
                user_id: Some(user.id),
                ..blank
            }
        }
        other => {
            return Err(Error::bad_request(format!(
                "Invalid share permission type '{other}'. Use global, authenticated, group, project, projectRole or user."
            ))
            .into());
        }
    })
}

fn same_share(a: &q::ShareRow, b: &q::NewShare) -> bool {
    a.kind == b.kind
        && a.project_id == b.project_id
        && a.role_id == b.role_id
        && a.user_id == b.user_id
        && a.group_id == b.group_id
}

fn is_everyone(kind: &str) -> bool {
    kind == "global" || kind == "authenticated"
}

/// Adds one share under Jira's rules: a global or logged-in share replaces every other
/// one; narrower shares cannot be added beside it; an identical share is not repeated.
/// Returns the id of the share (new or existing).
fn add_share(db: &Db, filter: i64, new: &q::NewShare) -> StoreResult<i64> {
    let existing = q::shares(db, filter)?;
    if let Some(same) = existing.iter().find(|s| same_share(s, new)) {
        return Ok(same.id);
    }
    if is_everyone(new.kind) {
        q::clear_shares(db, filter)?;
    } else if existing.iter().any(|s| is_everyone(&s.kind)) {
        return Err(Error::bad_request(
            "The filter is shared with everyone: delete that share permission before adding a narrower one.",
        )
        .into());
    }
    q::insert_share(db, filter, new)
}

fn scope_shares(scope: &str) -> Vec<ShareInput> {
    let kind = match scope {
        "GLOBAL" => "global",
        "AUTHENTICATED" => "authenticated",
        _ => return Vec::new(),
    };
    vec![ShareInput {
        kind: kind.into(),
        ..ShareInput::default()
    }]
}

/// Labels of the columns; unknown ids (a custom field deleted since) are dropped.
fn labelled(catalog: &Catalog, ids: &[String]) -> Vec<Column> {
    ids.iter()
        .filter_map(|id| {
            column_label(catalog, id).map(|label| Column {
                id: id.clone(),
                label,
            })
        })
        .collect()
}

fn column_label(catalog: &Catalog, id: &str) -> Option<String> {
    if id == "issuekey" {
        return Some("Key".into());
    }
    if let Some(f) = super::fields::system_field(id) {
        return f.navigable.then(|| f.name.to_string());
    }
    catalog.custom_field_by_key(id).map(|f| f.name.clone())
}

/// Checks a column list: known navigable fields, at least one; duplicates dropped.
fn check_columns(catalog: &Catalog, ids: Vec<String>) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for id in ids {
        let id = id.trim().to_string();
        if id.is_empty() {
            continue;
        }
        if column_label(catalog, &id).is_none() {
            return Err(Error::bad_request(format!(
                "The column '{id}' is not a navigable field."
            )));
        }
        if !out.contains(&id) {
            out.push(id);
        }
    }
    if out.is_empty() {
        return Err(Error::bad_request("Provide at least one column."));
    }
    Ok(out)
}

fn system_columns(db: &Db) -> StoreResult<Vec<String>> {
    Ok(cq::setting(db, DEFAULT_COLUMNS_KEY)?
        .and_then(|raw| serde_json::from_str::<Vec<String>>(&raw).ok())
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| DEFAULT_COLUMNS.iter().map(|c| c.to_string()).collect()))
}

fn site_share_scope(db: &Db) -> StoreResult<String> {
    Ok(cq::setting(db, SHARE_SCOPE_KEY)?
        .filter(|s| SHARE_SCOPES.contains(&s.as_str()))
        .unwrap_or_else(|| "PRIVATE".into()))
}

fn compare(a: &FilterView, b: &FilterView, order: FilterOrder) -> Ordering {
    let by_name = || {
        a.filter
            .name
            .to_lowercase()
            .cmp(&b.filter.name.to_lowercase())
            .then(a.filter.id.cmp(&b.filter.id))
    };
    let first = match order {
        FilterOrder::Name => Ordering::Equal,
        FilterOrder::Id => a.filter.id.cmp(&b.filter.id),
        FilterOrder::Description => a
            .filter
            .description
            .to_lowercase()
            .cmp(&b.filter.description.to_lowercase()),
        FilterOrder::Owner => a
            .owner
            .display_name
            .to_lowercase()
            .cmp(&b.owner.display_name.to_lowercase()),
        FilterOrder::FavouriteCount => a.favourited_count.cmp(&b.favourited_count),
        FilterOrder::IsFavourite => a.favourite.cmp(&b.favourite),
        FilterOrder::IsShared => (!a.shares.is_empty()).cmp(&!b.shares.is_empty()),
    };
    first.then_with(by_name)
}

impl App {
    /// `POST filter`: validates the JQL as the caller would run it, applies the
    /// caller's default share scope when no shares are given.
    pub async fn create_filter(&self, caller: &Caller, input: FilterInput) -> Result<FilterView> {
        let name = check_name(input.name.as_deref().unwrap_or_default())?;
        let jql = input.jql.clone().unwrap_or_default();
        self.resolve_jql(Some(caller), &jql, Validation::Strict)
            .await?;
        let may_share = self
            .global_permissions(Some(caller))
            .has(Permission::CreateSharedObjects);
        let explicit = input.shares.is_some();
        if explicit && !may_share && input.shares.as_ref().is_some_and(|s| !s.is_empty()) {
            return Err(Error::bad_request(
                "You do not have permission to share filters.",
            ));
        }
        let catalog = self.catalog();
        let who = caller.clone();
        let id = self
            .store
            .write(move |db| {
                if q::name_taken(db, who.user.id, &name, None)? {
                    return Err(name_taken().into());
                }
                let id = q::insert(
                    db,
                    &q::NewFilter {
                        owner_id: who.user.id,
                        name: &name,
                        description: input.description.as_deref().unwrap_or_default(),
                        jql: &jql,
                        now: Millis::now(),
                    },
                )?;
                let shares = match input.shares {
                    Some(s) => s,
                    None if may_share => {
                        let scope = match q::user_share_scope(db, who.user.id)? {
                            Some(s) => s,
                            None => site_share_scope(db)?,
                        };
                        scope_shares(&scope)
                    }
                    None => Vec::new(),
                };
                for s in &shares {
                    let new = resolve_share(db, &catalog, &who, s)?;
                    add_share(db, id, &new)?;
                }
                if input.favourite == Some(true) {
                    q::set_favourite(db, id, who.user.id, true)?;
                }
                Ok(id)
            })
            .await?;
        self.filter(Some(caller), id, false).await
    }

    /// `GET filter/{id}`.
    pub async fn filter(
        &self,
        caller: Option<&Caller>,
        id: i64,
        with_users: bool,
    ) -> Result<FilterView> {
        let catalog = self.catalog();
        let caller = caller.cloned();
        Ok(self
            .store
            .read(move |db| {
                let (f, shares) = load_visible(db, &catalog, caller.as_ref(), id)?;
                view(db, &catalog, caller.as_ref(), f, shares, with_users)
            })
            .await?)
    }

    /// `PUT filter/{id}`: the owner changes name, description, JQL, favourite or
    /// (replacing them all) the share permissions.
    pub async fn update_filter(
        &self,
        caller: &Caller,
        id: i64,
        input: FilterInput,
    ) -> Result<FilterView> {
        let name = input.name.as_deref().map(check_name).transpose()?;
        if let Some(jql) = &input.jql {
            self.resolve_jql(Some(caller), jql, Validation::Strict)
                .await?;
        }
        if input.shares.as_ref().is_some_and(|s| !s.is_empty())
            && !self
                .global_permissions(Some(caller))
                .has(Permission::CreateSharedObjects)
        {
            return Err(Error::bad_request(
                "You do not have permission to share filters.",
            ));
        }
        let catalog = self.catalog();
        let who = caller.clone();
        self.store
            .write(move |db| {
                let (mut f, _) = load_owned(db, &catalog, &who, id)?;
                if let Some(name) = name {
                    if q::name_taken(db, who.user.id, &name, Some(id))? {
                        return Err(name_taken().into());
                    }
                    f.name = name;
                }
                if let Some(d) = input.description {
                    f.description = d;
                }
                if let Some(j) = input.jql {
                    f.jql = j;
                }
                f.updated = Millis::now();
                q::update(db, &f)?;
                if let Some(shares) = input.shares {
                    q::clear_shares(db, id)?;
                    for s in &shares {
                        let new = resolve_share(db, &catalog, &who, s)?;
                        add_share(db, id, &new)?;
                    }
                }
                if let Some(fav) = input.favourite {
                    q::set_favourite(db, id, who.user.id, fav)?;
                }
                Ok(())
            })
            .await?;
        self.filter(Some(caller), id, false).await
    }

    /// `DELETE filter/{id}`: the owner, or an administrator.
    pub async fn delete_filter(&self, caller: &Caller, id: i64) -> Result<()> {
        let admin = self.is_admin(caller);
        let catalog = self.catalog();
        let who = caller.clone();
        Ok(self
            .store
            .write(move |db| {
                if admin {
                    q::by_id(db, id)?.ok_or_else(not_available)?;
                } else {
                    load_owned(db, &catalog, &who, id)?;
                }
                q::delete(db, id)?;
                Ok(())
            })
            .await?)
    }

    /// `PUT`/`DELETE filter/{id}/favourite`.
    pub async fn set_filter_favourite(
        &self,
        caller: &Caller,
        id: i64,
        favourite: bool,
    ) -> Result<FilterView> {
        let catalog = self.catalog();
        let who = caller.clone();
        self.store
            .write(move |db| {
                load_visible(db, &catalog, Some(&who), id)?;
                q::set_favourite(db, id, who.user.id, favourite)
            })
            .await?;
        self.filter(Some(caller), id, false).await
    }

    /// `GET filter/favourite`: the caller's favourites they can still see.
    pub async fn favourite_filters(
        &self,
        caller: &Caller,
        with_users: bool,
    ) -> Result<Vec<FilterView>> {
        let catalog = self.catalog();
        let who = caller.clone();
        Ok(self
            .store
            .read(move |db| {
                let rows = q::favourites_of(db, who.user.id)?;
                visible_views(db, &catalog, Some(&who), rows, with_users)
            })
            .await?)
    }

    /// `GET filter/my`: the caller's own filters, and their favourites when asked.
    pub async fn my_filters(
        &self,
        caller: &Caller,
        include_favourites: bool,
        with_users: bool,
    ) -> Result<Vec<FilterView>> {
        let catalog = self.catalog();
        let who = caller.clone();
        Ok(self
            .store
            .read(move |db| {
                let mut rows = q::owned_by(db, who.user.id)?;
                if include_favourites {
                    for f in q::favourites_of(db, who.user.id)? {
                        if !rows.iter().any(|r| r.id == f.id) {
                            rows.push(f);
                        }
                    }
                    rows.sort_by(|a, b| {
                        a.name
                            .to_lowercase()
                            .cmp(&b.name.to_lowercase())
                            .then(a.id.cmp(&b.id))
                    });
                }
                visible_views(db, &catalog, Some(&who), rows, with_users)
            })
            .await?)
    }

    /// `GET filter` (deprecated): every filter the caller can see.
    pub async fn visible_filters(
        &self,
        caller: &Caller,
        with_users: bool,
    ) -> Result<Vec<FilterView>> {
        let catalog = self.catalog();
        let who = caller.clone();
        Ok(self
            .store
            .read(move |db| visible_views(db, &catalog, Some(&who), q::all(db)?, with_users))
            .await?)
    }

    /// `GET filter/search`: visible filters matching the criteria, one page.
    pub async fn search_filters(
        &self,
        caller: &Caller,
        s: FilterSearch,
    ) -> Result<Page<FilterView>> {
        let owner = match &s.owner {
            None => None,
            Some(r) => match self.user_by_ref(r).await? {
                Some(u) => Some(u.id),
                // An unknown owner owns nothing.
                None => return Ok(Page::of(Vec::new(), s.start_at, s.max_results)),
            },
        };
        let catalog = self.catalog();
        let who = caller.clone();
        let group = s.group.clone();
        let name = s.name.as_ref().map(|n| n.trim().to_lowercase());
        let ids = s.ids.clone();
        let (project, with_users) = (s.project_id, s.shared_users);
        let mut found = self
            .store
            .read(move |db| {
                let mut rows = q::all(db)?;
                rows.retain(|f| {
                    owner.is_none_or(|o| f.owner_id == o)
                        && (ids.is_empty() || ids.contains(&f.id))
                        && name
                            .as_deref()
                            .is_none_or(|n| f.name.to_lowercase().contains(n))
                });
                let mut out = Vec::new();
                for f in rows {
                    let shares = q::shares(db, f.id)?;
                    let shared_with = group.as_deref().is_none_or(|g| {
                        shares.iter().any(|s| {
                            s.kind == "group"
                                && s.group
                                    .as_deref()
                                    .is_some_and(|n| n.eq_ignore_ascii_case(g))
                        })
                    }) && project
                        .is_none_or(|p| shares.iter().any(|s| s.project_id == Some(ProjectId(p))));
                    if shared_with && visible(db, &catalog, Some(&who), &f, &shares)? {
                        out.push(view(db, &catalog, Some(&who), f, shares, with_users)?);
                    }
                }
                Ok(out)
            })
            .await?;
        found.sort_by(|a, b| {
            let o = compare(a, b, s.order);
            if s.descending { o.reverse() } else { o }
        });
        Ok(Page::of(found, s.start_at, s.max_results))
    }

    /// `GET filter/{id}/permission`.
    pub async fn filter_shares(&self, caller: &Caller, id: i64) -> Result<Vec<Share>> {
        Ok(self.filter(Some(caller), id, false).await?.shares)
    }

    /// `GET filter/{id}/permission/{permissionId}`.
    pub async fn filter_share(&self, caller: &Caller, id: i64, share: i64) -> Result<Share> {
        self.filter_shares(caller, id)
            .await?
            .into_iter()
            .find(|s| s.id == share)
            .ok_or_else(|| {
                Error::not_found(format!(
                    "The share permission with id '{share}' does not exist on this filter."
                ))
            })
    }

    /// `POST filter/{id}/permission`: the owner adds a share; answers every share.
    pub async fn add_filter_share(
        &self,
        caller: &Caller,
        id: i64,
        input: ShareInput,
    ) -> Result<Vec<Share>> {
        let may_share = self
            .global_permissions(Some(caller))
            .has(Permission::CreateSharedObjects);
        let catalog = self.catalog();
        let who = caller.clone();
        self.store
            .write(move |db| {
                let (f, _) = load_visible(db, &catalog, Some(&who), id)?;
                // Jira answers 400 when the caller may not share or may not edit.
                if f.owner_id != who.user.id {
                    return Err(Error::bad_request(
                        "You do not have permission to change this filter: only its owner may share it.",
                    )
                    .into());
                }
                if !may_share {
                    return Err(
                        Error::bad_request("You do not have permission to share filters.").into(),
                    );
                }
                let new = resolve_share(db, &catalog, &who, &input)?;
                add_share(db, id, &new)?;
                q::update(db, &FilterRow { updated: Millis::now(), ..f })?;
                Ok(())
            })
            .await?;
        self.filter_shares(caller, id).await
    }

    /// `DELETE filter/{id}/permission/{permissionId}`: the owner removes a share.
    pub async fn delete_filter_share(&self, caller: &Caller, id: i64, share: i64) -> Result<()> {
        let catalog = self.catalog();
        let who = caller.clone();
        Ok(self
            .store
            .write(move |db| {
                load_owned(db, &catalog, &who, id)?;
                if !q::delete_share(db, id, share)? {
                    return Err(Error::not_found(format!(
                        "The share permission with id '{share}' does not exist on this filter."
                    ))
                    .into());
                }
                Ok(())
            })
            .await?)
    }

    /// `GET filter/defaultShareScope`: the caller's choice, else the site default.
    pub async fn default_share_scope(&self, caller: &Caller) -> Result<String> {
        let user = caller.user.id;
        Ok(self
            .store
            .read(move |db| match q::user_share_scope(db, user)? {
                Some(s) => Ok(s),
                None => site_share_scope(db),
            })
            .await?)
    }

    /// `PUT filter/defaultShareScope`.
    pub async fn set_default_share_scope(&self, caller: &Caller, scope: &str) -> Result<String> {
        let scope = scope.trim().to_ascii_uppercase();
        if !SHARE_SCOPES.contains(&scope.as_str()) {
            return Err(Error::bad_request(format!(
                "Invalid scope '{scope}'. Use GLOBAL, AUTHENTICATED or PRIVATE."
            )));
        }
        let user = caller.user.id;
        let stored = scope.clone();
        self.store
            .write(move |db| q::set_user_share_scope(db, user, &stored))
            .await?;
        Ok(scope)
    }

    /// `GET filter/{id}/columns`: the filter's own columns (404 when it has none).
    pub async fn filter_columns(&self, caller: &Caller, id: i64) -> Result<Vec<Column>> {
        let catalog = self.catalog();
        let who = caller.clone();
        let cat = catalog.clone();
        let ids = self
            .store
            .read(move |db| {
                load_visible(db, &cat, Some(&who), id)?;
                q::filter_columns(db, id)
            })
            .await?;
        if ids.is_empty() {
            return Err(Error::not_found(
                "The filter has no column configuration of its own.",
            ));
        }
        Ok(labelled(&catalog, &ids))
    }

    /// `PUT filter/{id}/columns` (owner only); `None` resets (`DELETE`).
    pub async fn set_filter_columns(
        &self,
        caller: &Caller,
        id: i64,
        columns: Option<Vec<String>>,
    ) -> Result<()> {
        let catalog = self.catalog();
        let cols = columns.map(|c| check_columns(&catalog, c)).transpose()?;
        let who = caller.clone();
        Ok(self
            .store
            .write(move |db| {
                load_owned(db, &catalog, &who, id)?;
                q::set_filter_columns(db, id, cols.as_deref().unwrap_or_default())
            })
            .await?)
    }

    /// `GET settings/columns` (administrators).
    pub async fn system_columns(&self, caller: &Caller) -> Result<Vec<Column>> {
        self.require_admin(caller)?;
        let ids = self.store.read(system_columns).await?;
        Ok(labelled(&self.catalog(), &ids))
    }

    /// `PUT settings/columns` (administrators); `None` restores the built-in default.
    pub async fn set_system_columns(
        &self,
        caller: &Caller,
        columns: Option<Vec<String>>,
    ) -> Result<()> {
        self.require_admin(caller)?;
        let raw = columns
            .map(|c| check_columns(&self.catalog(), c))
            .transpose()?
            .map(|c| serde_json::to_string(&c).unwrap_or_default());
        Ok(self
            .store
            .write(move |db| match raw {
                Some(v) => cq::set_setting(db, DEFAULT_COLUMNS_KEY, &v),
                None => q::delete_setting(db, DEFAULT_COLUMNS_KEY),
            })
            .await?)
    }

    /// The user whose columns are read or written: the caller, or (administrators
    /// only) someone else.
    async fn columns_user(&self, caller: &Caller, target: Option<UserRef>) -> Result<UserId> {
        let Some(r) = target else {
            return Ok(caller.user.id);
        };
        let user = self.user_by_ref(&r).await?.ok_or_else(|| {
            Error::not_found(match &r {
                UserRef::AccountId(a) => format!("The user with account ID '{a}' does not exist."),
                UserRef::Username(u) => format!("The user named '{u}' does not exist."),
            })
        })?;
        if user.id != caller.user.id && !self.is_admin(caller) {
            return Err(Error::forbidden(
                "Only administrators may see or change another user's columns.",
            ));
        }
        Ok(user.id)
    }

    /// `GET user/columns`: the user's columns, else the system default.
    pub async fn user_columns(
        &self,
        caller: &Caller,
        target: Option<UserRef>,
    ) -> Result<Vec<Column>> {
        let user = self.columns_user(caller, target).await?;
        let ids = self
            .store
            .read(move |db| {
                let own = q::user_columns(db, user)?;
                if own.is_empty() {
                    system_columns(db)
                } else {
                    Ok(own)
                }
            })
            .await?;
        Ok(labelled(&self.catalog(), &ids))
    }

    /// `PUT user/columns`; `None` resets to the system default (`DELETE`).
    pub async fn set_user_columns(
        &self,
        caller: &Caller,
        target: Option<UserRef>,
        columns: Option<Vec<String>>,
    ) -> Result<()> {
        let cols = columns
            .map(|c| check_columns(&self.catalog(), c))
            .transpose()?;
        let user = self.columns_user(caller, target).await?;
        Ok(self
            .store
            .write(move |db| q::set_user_columns(db, user, cols.as_deref().unwrap_or_default()))
            .await?)
    }
}
