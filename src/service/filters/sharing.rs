//! Sharing: who may see a filter (its share permissions), adding and removing shares,
//! and the default share scope of new filters.

use std::collections::HashSet;

use super::{MAX_SHARED_USERS, SHARE_SCOPES, Share, ShareInput, ShareTarget, not_available};
use crate::domain::*;
use crate::error::{Error, Result};
use crate::service::permissions::caller_permissions;
use crate::service::{Caller, Catalog, Permission};
use crate::store::StoreResult;
use crate::store::queries::{Db, Tx, catalog as cq, filters as q, projects as pq, users as uq};

const SHARE_SCOPE_KEY: &str = "filter.default_share_scope";

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

pub(super) fn visible(
    db: &Db,
    catalog: &Catalog,
    caller: Option<&Caller>,
    f: &SavedFilter,
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
pub(super) fn load_visible(
    db: &Db,
    catalog: &Catalog,
    caller: Option<&Caller>,
    id: i64,
) -> StoreResult<(SavedFilter, Vec<q::ShareRow>)> {
    let f = q::by_id(db, id)?.ok_or_else(not_available)?;
    let shares = q::shares(db, id)?;
    if !visible(db, catalog, caller, &f, &shares)? {
        return Err(not_available().into());
    }
    Ok((f, shares))
}

/// The filter when the caller owns it (403 when they only see it, 404 when they do not).
pub(super) fn load_owned(
    db: &Db,
    catalog: &Catalog,
    caller: &Caller,
    id: i64,
) -> StoreResult<(SavedFilter, Vec<q::ShareRow>)> {
    let (f, shares) = load_visible(db, catalog, Some(caller), id)?;
    if f.owner_id != caller.user.id {
        return Err(Error::forbidden(
            "You do not have permission to change this filter: only its owner may edit it.",
        )
        .into());
    }
    Ok((f, shares))
}

pub(super) fn share_view(
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
pub(super) fn shared_users(
    db: &Db,
    catalog: &Catalog,
    f: &SavedFilter,
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
            grants: crate::auth::scopes::Grants::Full,
            client: None,
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
/// Resolves a share request to a row to store, in the transaction that stores it.
pub(super) fn resolve_share(
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
pub(super) fn add_share(db: &Tx, filter: i64, new: &q::NewShare) -> StoreResult<i64> {
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

pub(super) fn scope_shares(scope: &str) -> Vec<ShareInput> {
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
pub(super) fn site_share_scope(db: &Db) -> StoreResult<String> {
    Ok(cq::setting(db, SHARE_SCOPE_KEY)?
        .filter(|s| SHARE_SCOPES.contains(&s.as_str()))
        .unwrap_or_else(|| "PRIVATE".into()))
}
impl super::Service {
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
            .permissions
            .global_permissions(Some(caller))
            .has(Permission::CreateSharedObjects);
        let catalog = self.catalog.current();
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
                q::update(db, &SavedFilter { updated: db.now(), ..f })?;
                Ok(())
            })
            .await?;
        self.filter_shares(caller, id).await
    }

    /// `DELETE filter/{id}/permission/{permissionId}`: the owner removes a share.
    pub async fn delete_filter_share(&self, caller: &Caller, id: i64, share: i64) -> Result<()> {
        let catalog = self.catalog.current();
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
}
