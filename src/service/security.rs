//! Issue security administration: schemes, levels, members and the scheme each project
//! uses (audited inside each write). Who is inside a level — the check every surface
//! goes through, and the search restriction — is `service::levels`, which this and
//! `permissions` both build on.

use std::sync::Arc;

use super::levels::settable_levels;
use super::{Caller, permissions, projects};
use crate::domain::audit::{AuditEntry, AuditItem, category};
use crate::domain::security::{Holder, SecurityLevel, SecurityScheme};
use crate::domain::*;
use crate::error::{Error, Result};
use crate::store::queries::{Db, issues as iq, projects as pq, security as q, users as uq};
use crate::store::{Store, StoreResult, Tx};

/// A level as a client asks for it on create or `addSecurityLevel`.
#[derive(Debug, Clone, Default)]
pub struct LevelInput {
    pub name: String,
    pub description: String,
    pub is_default: bool,
    pub members: Vec<Holder>,
}

/// Issue security administration and the reads of schemes and levels.
pub struct Service {
    store: Store,
    permissions: Arc<permissions::Service>,
    projects: Arc<projects::Service>,
}

fn scheme_missing(id: i64) -> Error {
    Error::not_found(format!(
        "Issue security scheme with id {id} does not exist."
    ))
}

fn level_missing(id: impl std::fmt::Display) -> Error {
    Error::not_found(format!("Issue security level with id {id} does not exist."))
}

fn scheme_item(s: &SecurityScheme) -> AuditItem {
    AuditItem::new("SCHEME", s.id, s.name.clone())
}

fn check_name(name: &str, what: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 255 {
        return Err(Error::field(
            "name",
            format!("The {what} name must be 1 to 255 characters."),
        ));
    }
    Ok(name.to_string())
}

/// Checks a member against the store (a user or group that exists, a role that exists)
/// and normalises a user to their account id.
fn check_member(db: &Db, roles: &[ProjectRole], h: &Holder) -> StoreResult<Holder> {
    Ok(match h {
        Holder::User(who) => {
            let user = match uq::by_account_id(db, who)? {
                Some(u) => Some(u),
                None => uq::by_username(db, who)?,
            };
            match user {
                Some(u) => Holder::User(u.account_id),
                None => {
                    return Err(
                        Error::bad_request(format!("The user '{who}' does not exist.")).into(),
                    );
                }
            }
        }
        Holder::Group(g) => {
            if uq::group_id(db, g)?.is_none() {
                return Err(Error::bad_request(format!("The group '{g}' does not exist.")).into());
            }
            h.clone()
        }
        Holder::ProjectRole(r) => {
            if !roles.iter().any(|x| x.id == *r) {
                return Err(
                    Error::bad_request(format!("The project role {r} does not exist.")).into(),
                );
            }
            h.clone()
        }
        other => other.clone(),
    })
}

fn add_levels(
    tx: &Tx,
    roles: &[ProjectRole],
    caller: &Caller,
    scheme: &SecurityScheme,
    levels: &[LevelInput],
) -> StoreResult<()> {
    let mut names: Vec<String> = scheme
        .levels
        .iter()
        .map(|l| l.name.to_lowercase())
        .collect();
    let mut default = None;
    for l in levels {
        let name = check_name(&l.name, "security level")?;
        if names.contains(&name.to_lowercase()) {
            return Err(Error::bad_request(format!(
                "A security level with the name '{name}' already exists in this scheme."
            ))
            .into());
        }
        names.push(name.to_lowercase());
        let id = q::insert_level(tx, scheme.id, &name, &l.description)?;
        let mut entry = AuditEntry::new(
            category::ISSUE_SECURITY,
            "Issue security level added",
            AuditItem::new("SECURITY_LEVEL", id, name.clone()),
        )
        .associated(scheme_item(scheme))
        .changed("name", None::<String>, Some(name.clone()));
        for m in &l.members {
            let m = check_member(tx, roles, m)?;
            q::insert_member(tx, id, &m)?;
            entry = entry.changed(
                "member",
                None::<String>,
                Some(format!("{} {}", m.kind(), m.param().unwrap_or_default())),
            );
        }
        super::audit::record(tx, caller, &entry)?;
        if l.is_default {
            default = Some(id);
        }
    }
    if let Some(d) = default {
        q::update_scheme(tx, scheme.id, &scheme.name, &scheme.description, Some(d))?;
    }
    Ok(())
}

fn reindex(tx: &Tx, ids: &[IssueId]) -> StoreResult<()> {
    let now = tx.now();
    for id in ids {
        iq::enqueue_index(tx, *id, now)?;
    }
    Ok(())
}

impl Service {
    pub(super) fn new(
        store: Store,
        permissions: Arc<permissions::Service>,
        projects: Arc<projects::Service>,
    ) -> Service {
        Service {
            store,
            permissions,
            projects,
        }
    }

    /// `GET issuesecurityschemes`: administrators only.
    pub async fn schemes(&self, caller: &Caller) -> Result<Vec<SecurityScheme>> {
        self.permissions.require_admin(caller)?;
        Ok(self.store.read(q::all).await?)
    }

    /// `GET issuesecurityschemes/{id}`: administrators only.
    pub async fn scheme(&self, caller: &Caller, id: i64) -> Result<SecurityScheme> {
        self.permissions.require_admin(caller)?;
        self.store
            .read(move |db| q::scheme(db, id))
            .await?
            .ok_or_else(|| scheme_missing(id))
    }

    /// `GET securitylevel/{id}`: any logged-in user (the level's name is not secret; the
    /// issues that have it are).
    pub async fn level(&self, _caller: &Caller, id: i64) -> Result<SecurityLevel> {
        self.store
            .read(move |db| q::level(db, id))
            .await?
            .ok_or_else(|| level_missing(id))
    }

    /// `GET project/{key}/issuesecuritylevelscheme`: the project's administrators; 404
    /// when the project uses no scheme.
    pub async fn project_scheme(&self, caller: &Caller, r: &ProjectRef) -> Result<SecurityScheme> {
        let project = self.projects.admin_project(caller, r).await?;
        let scheme = self
            .store
            .read(move |db| match q::scheme_of_project(db, project.id)? {
                Some(s) => q::scheme(db, s),
                None => Ok(None),
            })
            .await?;
        scheme.ok_or_else(|| Error::not_found("The project does not use an issue security scheme."))
    }

    /// `GET project/{key}/securitylevel`: the levels the caller may set in the project
    /// (empty without Set Issue Security).
    pub async fn project_levels(
        &self,
        caller: Option<&Caller>,
        r: &ProjectRef,
    ) -> Result<Vec<SecurityLevel>> {
        let (project, perms) = self.projects.browse_project(caller, r).await?;
        let Some(caller) = caller.cloned() else {
            return Ok(Vec::new());
        };
        Ok(self
            .store
            .read(move |db| settable_levels(db, &caller, &project, None, perms))
            .await?)
    }

    /// The levels the caller may give this issue on edit (empty without Set Issue
    /// Security or a scheme), for editmeta.
    pub async fn levels_for_edit(
        &self,
        caller: &Caller,
        view: &crate::service::issues::IssueView,
    ) -> Result<Vec<SecurityLevel>> {
        let (caller, project, issue, perms) = (
            caller.clone(),
            view.project.clone(),
            view.issue.clone(),
            view.perms,
        );
        Ok(self
            .store
            .read(move |db| settable_levels(db, &caller, &project, Some(&issue), perms))
            .await?)
    }

    /// `POST issuesecurityschemes`: a scheme with its levels; returns its id.
    pub async fn create_scheme(
        &self,
        caller: &Caller,
        name: &str,
        description: &str,
        levels: Vec<LevelInput>,
    ) -> Result<i64> {
        self.permissions.require_admin(caller)?;
        let name = check_name(name, "issue security scheme")?;
        let description = description.to_string();
        let caller = caller.clone();
        Ok(self
            .store
            .write(move |tx| {
                if q::all(tx)?
                    .iter()
                    .any(|s| s.name.eq_ignore_ascii_case(&name))
                {
                    return Err(Error::bad_request(format!(
                        "An issue security scheme with the name '{name}' already exists."
                    ))
                    .into());
                }
                let id = q::insert_scheme(tx, &name, &description)?;
                let scheme = q::scheme(tx, id)?.ok_or_else(Error::internal)?;
                super::audit::record(
                    tx,
                    &caller,
                    &AuditEntry::new(
                        category::ISSUE_SECURITY,
                        "Issue security scheme created",
                        scheme_item(&scheme),
                    )
                    .changed("name", None::<String>, Some(name.clone()))
                    .changed(
                        "description",
                        None::<String>,
                        Some(description.clone()),
                    ),
                )?;
                let roles = crate::store::queries::catalog::project_roles(tx)?;
                add_levels(tx, &roles, &caller, &scheme, &levels)?;
                Ok(id)
            })
            .await?)
    }

    /// `PUT issuesecurityschemes/{id}`: name and description.
    pub async fn update_scheme(
        &self,
        caller: &Caller,
        id: i64,
        name: Option<String>,
        description: Option<String>,
    ) -> Result<()> {
        self.permissions.require_admin(caller)?;
        let name = name
            .map(|n| check_name(&n, "issue security scheme"))
            .transpose()?;
        let caller = caller.clone();
        self.store
            .write(move |tx| {
                let all = q::all(tx)?;
                let old = all
                    .iter()
                    .find(|s| s.id == id)
                    .ok_or_else(|| scheme_missing(id))?;
                if let Some(n) = &name
                    && all
                        .iter()
                        .any(|s| s.id != id && s.name.eq_ignore_ascii_case(n))
                {
                    return Err(Error::bad_request(format!(
                        "An issue security scheme with the name '{n}' already exists."
                    ))
                    .into());
                }
                let new_name = name.clone().unwrap_or_else(|| old.name.clone());
                let new_desc = description
                    .clone()
                    .unwrap_or_else(|| old.description.clone());
                q::update_scheme(tx, id, &new_name, &new_desc, old.default_level_id)?;
                let mut entry = AuditEntry::new(
                    category::ISSUE_SECURITY,
                    "Issue security scheme updated",
                    AuditItem::new("SCHEME", id, new_name.clone()),
                );
                if new_name != old.name {
                    entry = entry.changed("name", Some(old.name.clone()), Some(new_name));
                }
                if new_desc != old.description {
                    entry =
                        entry.changed("description", Some(old.description.clone()), Some(new_desc));
                }
                super::audit::record(tx, &caller, &entry)?;
                Ok(())
            })
            .await?;
        Ok(())
    }

    /// `DELETE issuesecurityschemes/{schemeId}`: refused while a project uses it.
    pub async fn delete_scheme(&self, caller: &Caller, id: i64) -> Result<()> {
        self.permissions.require_admin(caller)?;
        let caller = caller.clone();
        self.store
            .write(move |tx| {
                let scheme = q::scheme(tx, id)?.ok_or_else(|| scheme_missing(id))?;
                if q::project_schemes(tx)?.iter().any(|(_, s)| *s == id) {
                    return Err(Error::bad_request(
                        "The issue security scheme is used by projects; associate them with another scheme first.",
                    )
                    .into());
                }
                q::delete_scheme(tx, id)?;
                super::audit::record(
                    tx,
                    &caller,
                    &AuditEntry::new(
                        category::ISSUE_SECURITY,
                        "Issue security scheme deleted",
                        scheme_item(&scheme),
                    ),
                )?;
                Ok(())
            })
            .await?;
        Ok(())
    }

    /// `PUT issuesecurityschemes/{schemeId}/level`: adds levels (with members).
    pub async fn add_levels(
        &self,
        caller: &Caller,
        scheme: i64,
        levels: Vec<LevelInput>,
    ) -> Result<()> {
        self.permissions.require_admin(caller)?;
        let caller = caller.clone();
        self.store
            .write(move |tx| {
                let s = q::scheme(tx, scheme)?.ok_or_else(|| scheme_missing(scheme))?;
                let roles = crate::store::queries::catalog::project_roles(tx)?;
                add_levels(tx, &roles, &caller, &s, &levels)
            })
            .await?;
        Ok(())
    }

    /// `DELETE issuesecurityschemes/{schemeId}/level/{levelId}`: its issues move to
    /// `replace_with` (a level of the same scheme) or to no level.
    pub async fn remove_level(
        &self,
        caller: &Caller,
        scheme: i64,
        level: i64,
        replace_with: Option<i64>,
    ) -> Result<()> {
        self.permissions.require_admin(caller)?;
        let caller = caller.clone();
        self.store
            .write(move |tx| {
                let s = q::scheme(tx, scheme)?.ok_or_else(|| scheme_missing(scheme))?;
                let l = s
                    .levels
                    .iter()
                    .find(|l| l.id == level)
                    .ok_or_else(|| level_missing(level))?;
                if let Some(r) = replace_with
                    && (r == level || !s.levels.iter().any(|x| x.id == r))
                {
                    return Err(Error::bad_request(format!(
                        "The replacement level {r} is not another level of this scheme."
                    ))
                    .into());
                }
                let moved = q::delete_level(tx, level, replace_with)?;
                reindex(tx, &moved)?;
                super::audit::record(
                    tx,
                    &caller,
                    &AuditEntry::new(
                        category::ISSUE_SECURITY,
                        "Issue security level deleted",
                        AuditItem::new("SECURITY_LEVEL", level, l.name.clone()),
                    )
                    .associated(scheme_item(&s)),
                )?;
                Ok(())
            })
            .await?;
        Ok(())
    }

    /// `PUT issuesecurityschemes/{schemeId}/level/{levelId}/member`.
    pub async fn add_members(
        &self,
        caller: &Caller,
        scheme: i64,
        level: i64,
        members: Vec<Holder>,
    ) -> Result<()> {
        self.permissions.require_admin(caller)?;
        if members.is_empty() {
            return Err(Error::bad_request("At least one member is required."));
        }
        let caller = caller.clone();
        self.store
            .write(move |tx| {
                let s = q::scheme(tx, scheme)?.ok_or_else(|| scheme_missing(scheme))?;
                let l = s
                    .levels
                    .iter()
                    .find(|l| l.id == level)
                    .ok_or_else(|| level_missing(level))?;
                let roles = crate::store::queries::catalog::project_roles(tx)?;
                let mut entry = AuditEntry::new(
                    category::ISSUE_SECURITY,
                    "Issue security level members added",
                    AuditItem::new("SECURITY_LEVEL", level, l.name.clone()),
                )
                .associated(scheme_item(&s));
                for m in &members {
                    let m = check_member(tx, &roles, m)?;
                    if l.members.iter().any(|x| x.holder == m) {
                        return Err(Error::bad_request(format!(
                            "The level already has the member {} {}.",
                            m.kind(),
                            m.param().unwrap_or_default()
                        ))
                        .into());
                    }
                    q::insert_member(tx, level, &m)?;
                    entry = entry.changed(
                        "member",
                        None::<String>,
                        Some(format!("{} {}", m.kind(), m.param().unwrap_or_default())),
                    );
                }
                super::audit::record(tx, &caller, &entry)?;
                Ok(())
            })
            .await?;
        Ok(())
    }

    /// `DELETE issuesecurityschemes/{schemeId}/level/{levelId}/member/{memberId}`.
    pub async fn remove_member(
        &self,
        caller: &Caller,
        scheme: i64,
        level: i64,
        member: i64,
    ) -> Result<()> {
        self.permissions.require_admin(caller)?;
        let caller = caller.clone();
        self.store
            .write(move |tx| {
                let s = q::scheme(tx, scheme)?.ok_or_else(|| scheme_missing(scheme))?;
                let l = s
                    .levels
                    .iter()
                    .find(|l| l.id == level)
                    .ok_or_else(|| level_missing(level))?;
                let m = l.members.iter().find(|m| m.id == member).ok_or_else(|| {
                    Error::not_found(format!("Security level member {member} does not exist."))
                })?;
                q::delete_member(tx, level, member)?;
                super::audit::record(
                    tx,
                    &caller,
                    &AuditEntry::new(
                        category::ISSUE_SECURITY,
                        "Issue security level member removed",
                        AuditItem::new("SECURITY_LEVEL", level, l.name.clone()),
                    )
                    .associated(scheme_item(&s))
                    .changed(
                        "member",
                        Some(format!(
                            "{} {}",
                            m.holder.kind(),
                            m.holder.param().unwrap_or_default()
                        )),
                        None::<String>,
                    ),
                )?;
                Ok(())
            })
            .await?;
        Ok(())
    }

    /// `PUT issuesecurityschemes/project`: gives a project a scheme (or none, with
    /// `scheme = None`); its issues' levels map through `mappings` (old → new level;
    /// unmapped levels are cleared, and so is every level when the scheme changes).
    pub async fn associate(
        &self,
        caller: &Caller,
        project: &ProjectRef,
        scheme: Option<i64>,
        mappings: Vec<(i64, Option<i64>)>,
    ) -> Result<()> {
        self.permissions.require_admin(caller)?;
        let caller = caller.clone();
        let project = project.clone();
        self.store
            .write(move |tx| {
                let p = pq::by_ref(tx, &project)?.ok_or_else(|| {
                    Error::not_found(format!(
                        "No project could be found with key '{}'.",
                        project.as_text()
                    ))
                })?;
                let new = match scheme {
                    Some(s) => Some(q::scheme(tx, s)?.ok_or_else(|| scheme_missing(s))?),
                    None => None,
                };
                let old = match q::scheme_of_project(tx, p.id)? {
                    Some(s) => q::scheme(tx, s)?,
                    None => None,
                };
                if old.as_ref().map(|s| s.id) == new.as_ref().map(|s| s.id) {
                    return Ok(());
                }
                for (_, to) in &mappings {
                    if let Some(to) = to
                        && !new
                            .as_ref()
                            .is_some_and(|s| s.levels.iter().any(|l| l.id == *to))
                    {
                        return Err(Error::bad_request(format!(
                            "The security level {to} is not a level of the new scheme."
                        ))
                        .into());
                    }
                }
                let mut moved = Vec::new();
                for (from, to) in &mappings {
                    moved.extend(q::remap_project_level(tx, p.id, *from, *to)?);
                }
                // A level the new scheme does not have would hide issues behind a level
                // nobody can be given any more: cleared.
                let keep: Vec<i64> = new
                    .as_ref()
                    .map(|s| s.levels.iter().map(|l| l.id).collect())
                    .unwrap_or_default();
                moved.extend(q::clear_project_levels_except(tx, p.id, &keep)?);
                q::set_project_scheme(tx, p.id, new.as_ref().map(|s| s.id))?;
                reindex(tx, &moved)?;
                super::audit::record(
                    tx,
                    &caller,
                    &AuditEntry::new(
                        category::ISSUE_SECURITY,
                        "Project issue security scheme changed",
                        AuditItem::new("PROJECT", p.id.0, p.name.clone()),
                    )
                    .changed(
                        "issue security scheme",
                        old.map(|s| s.name),
                        new.map(|s| s.name),
                    ),
                )?;
                Ok(())
            })
            .await?;
        Ok(())
    }
}
