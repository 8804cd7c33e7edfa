//! Permission schemes: create, update, delete, their grants, and which scheme a project
//! uses. Reading schemes is for any logged-in user; every change is for administrators.

use std::sync::Arc;

use super::{project_item, scheme_item};
use crate::domain::audit::{AuditEntry, category};
use crate::domain::*;
use crate::error::{Error, Result};
use crate::service::audit::record;
use crate::service::{Caller, Catalog, Permission, catalog, permissions, projects};
use crate::store::queries::{Db, schemes as q, users as uq};
use crate::store::{Store, StoreResult};

/// Holder types a grant may name (Jira's `holder.type`).
pub const HOLDER_TYPES: &[&str] = &[
    "anyone",
    "applicationRole",
    "group",
    "projectRole",
    "user",
    "reporter",
    "assignee",
    "projectLead",
    "userCustomField",
    "groupCustomField",
];

/// A grant as a client sends it.
#[derive(Debug, Clone)]
pub struct GrantInput {
    pub permission: String,
    pub holder_type: String,
    pub parameter: Option<String>,
}

/// A stored grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemeGrant {
    pub id: i64,
    pub scheme_id: i64,
    pub permission: String,
    pub holder_type: String,
    pub parameter: Option<String>,
}

/// What a scheme create or update sets; `permissions: None` keeps the grants (update).
#[derive(Debug, Clone, Default)]
pub struct SchemeInput {
    pub name: Option<String>,
    pub description: Option<String>,
    pub permissions: Option<Vec<GrantInput>>,
}

pub struct Service {
    store: Store,
    catalog: Arc<catalog::Service>,
    permissions: Arc<permissions::Service>,
    projects: Arc<projects::Service>,
}

fn not_found(id: i64) -> Error {
    Error::not_found(format!("Permission scheme with id {id} does not exist."))
}

fn grant_of(row: q::GrantRow) -> SchemeGrant {
    let (id, scheme_id, permission, holder_type, parameter) = row;
    SchemeGrant {
        id,
        scheme_id,
        permission,
        holder_type,
        parameter,
    }
}

/// Checks a grant against the permissions, roles, users, groups and fields that exist,
/// and returns it with its parameter in stored form (a username, `customfield_N`).
fn check_grant(db: &Db, catalog: &Catalog, g: &GrantInput) -> StoreResult<GrantInput> {
    let bad = |m: String| -> crate::store::StoreError { Error::bad_request(m).into() };
    match Permission::from_key(&g.permission) {
        None => {
            return Err(bad(format!(
                "Could not find permission with key: {}",
                g.permission
            )));
        }
        Some(p) if p.kind() != "PROJECT" => {
            return Err(bad(format!(
                "The permission '{}' is a global permission; a permission scheme grants project permissions only.",
                g.permission
            )));
        }
        Some(_) => {}
    }
    let param = g.parameter.clone().filter(|p| !p.is_empty());
    let need = |what: &str| -> StoreResult<String> {
        param.clone().ok_or_else(|| {
            bad(format!(
                "The holder type '{}' needs a parameter: {what}.",
                g.holder_type
            ))
        })
    };
    let parameter = match g.holder_type.as_str() {
        "anyone" | "reporter" | "assignee" | "projectLead" => None,
        "applicationRole" => param.clone(),
        "group" => {
            let name = need("a group name")?;
            if uq::group_id(db, &name)?.is_none() {
                return Err(bad(format!("The group '{name}' does not exist.")));
            }
            Some(name)
        }
        "user" => {
            let name = need("a username or account id")?;
            let user = match uq::by_username(db, &name)? {
                Some(u) => Some(u),
                None => uq::by_account_id(db, &name)?,
            };
            let user = user.ok_or_else(|| bad(format!("The user '{name}' does not exist.")))?;
            Some(user.username)
        }
        "projectRole" => {
            let id = need("a project role id")?;
            if !id.parse::<i64>().is_ok_and(|r| catalog.role(r).is_some()) {
                return Err(bad(format!(
                    "The project role with id {id} does not exist."
                )));
            }
            Some(id)
        }
        kind @ ("userCustomField" | "groupCustomField") => {
            let raw = need("a custom field id")?;
            let field = catalog
                .custom_field_by_key(&raw)
                .or_else(|| raw.parse().ok().and_then(|n| catalog.custom_field(n)))
                .ok_or_else(|| bad(format!("The custom field '{raw}' does not exist.")))?;
            let fits = match kind {
                "userCustomField" => field.kind == CustomFieldKind::User,
                _ => matches!(
                    field.kind,
                    CustomFieldKind::Text
                        | CustomFieldKind::Select
                        | CustomFieldKind::MultiSelect
                        | CustomFieldKind::Labels
                ),
            };
            if !fits {
                return Err(bad(format!(
                    "The custom field '{}' cannot hold a {}.",
                    field.name,
                    if kind == "userCustomField" {
                        "user"
                    } else {
                        "group"
                    }
                )));
            }
            Some(field.field_id())
        }
        other => {
            return Err(bad(format!(
                "The permission holder type '{other}' is not valid; use one of {}.",
                HOLDER_TYPES.join(", ")
            )));
        }
    };
    Ok(GrantInput {
        permission: g.permission.clone(),
        holder_type: g.holder_type.clone(),
        parameter,
    })
}

fn grant_text(g: &GrantInput) -> String {
    match &g.parameter {
        Some(p) => format!("{} to {} {p}", g.permission, g.holder_type),
        None => format!("{} to {}", g.permission, g.holder_type),
    }
}

fn check_name(name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::field(
            "name",
            "The permission scheme name must not be empty.",
        ));
    }
    if name.chars().count() > 255 {
        return Err(Error::field(
            "name",
            "The permission scheme name must not exceed 255 characters.",
        ));
    }
    Ok(())
}

impl Service {
    pub(crate) fn new(
        store: Store,
        catalog: Arc<catalog::Service>,
        permissions: Arc<permissions::Service>,
        projects: Arc<projects::Service>,
    ) -> Service {
        Service {
            store,
            catalog,
            permissions,
            projects,
        }
    }

    pub fn schemes(&self, _caller: &Caller) -> Vec<PermissionScheme> {
        self.catalog.current().permission_schemes.clone()
    }

    pub fn scheme(&self, _caller: &Caller, id: i64) -> Result<PermissionScheme> {
        self.catalog
            .current()
            .permission_schemes
            .iter()
            .find(|s| s.id == id)
            .cloned()
            .ok_or_else(|| not_found(id))
    }

    /// The grants of a scheme, in the order they were made.
    pub async fn grants(&self, caller: &Caller, id: i64) -> Result<Vec<SchemeGrant>> {
        self.scheme(caller, id)?;
        Ok(self
            .store
            .read(move |db| Ok(q::grants(db, id)?.into_iter().map(grant_of).collect()))
            .await?)
    }

    /// Grants of every scheme (for the list with `expand`).
    pub async fn all_grants(&self, caller: &Caller) -> Result<Vec<SchemeGrant>> {
        let ids: Vec<i64> = self.schemes(caller).iter().map(|s| s.id).collect();
        Ok(self
            .store
            .read(move |db| {
                let mut out = Vec::new();
                for id in ids {
                    out.extend(q::grants(db, id)?.into_iter().map(grant_of));
                }
                Ok(out)
            })
            .await?)
    }

    pub async fn grant(&self, caller: &Caller, id: i64, grant: i64) -> Result<SchemeGrant> {
        self.scheme(caller, id)?;
        self.store
            .read(move |db| q::grant(db, id, grant))
            .await?
            .map(grant_of)
            .ok_or_else(|| {
                Error::not_found(format!(
                    "Permission grant with id {grant} does not exist in permission scheme {id}."
                ))
            })
    }

    pub async fn create_scheme(&self, caller: &Caller, input: SchemeInput) -> Result<i64> {
        self.permissions.require_admin(caller)?;
        let name = input.name.unwrap_or_default();
        check_name(&name)?;
        let description = input.description.unwrap_or_default();
        let grants = input.permissions.unwrap_or_default();
        let (who, catalog) = (caller.clone(), self.catalog.current());
        let id = self
            .store
            .write(move |tx| {
                if q::name_taken(tx, &name, None)? {
                    return Err(Error::field(
                        "name",
                        format!("A permission scheme with the name '{name}' already exists."),
                    )
                    .into());
                }
                let id = q::insert(tx, &name, &description)?;
                let mut entry = AuditEntry::new(
                    category::PERMISSIONS,
                    "Permission scheme created",
                    scheme_item(id, &name),
                )
                .changed("Name", None::<String>, Some(name.clone()))
                .changed("Description", None::<String>, Some(description.clone()));
                let mut added = Vec::new();
                for g in &grants {
                    let g = check_grant(tx, &catalog, g)?;
                    if !q::grant_exists(
                        tx,
                        id,
                        &g.permission,
                        &g.holder_type,
                        g.parameter.as_deref(),
                    )? {
                        q::insert_grant(
                            tx,
                            id,
                            &g.permission,
                            &g.holder_type,
                            g.parameter.as_deref(),
                        )?;
                        added.push(grant_text(&g));
                    }
                }
                if !added.is_empty() {
                    entry = entry.changed("Permissions", None::<String>, Some(added.join("; ")));
                }
                record(tx, &who, &entry)?;
                Ok(id)
            })
            .await?;
        self.catalog.reload().await?;
        Ok(id)
    }

    /// Updates name and description; given `permissions` replace all grants.
    pub async fn update_scheme(&self, caller: &Caller, id: i64, input: SchemeInput) -> Result<()> {
        self.permissions.require_admin(caller)?;
        let old = self.scheme(caller, id)?;
        let name = input.name.unwrap_or_else(|| old.name.clone());
        check_name(&name)?;
        let description = input.description.unwrap_or_else(|| old.description.clone());
        let (who, catalog) = (caller.clone(), self.catalog.current());
        self.store
            .write(move |tx| {
                if q::name_taken(tx, &name, Some(id))? {
                    return Err(Error::field(
                        "name",
                        format!("A permission scheme with the name '{name}' already exists."),
                    )
                    .into());
                }
                q::update(tx, id, &name, &description)?;
                let mut entry = AuditEntry::new(
                    category::PERMISSIONS,
                    "Permission scheme updated",
                    scheme_item(id, &name),
                )
                .changed("Name", Some(old.name), Some(name.clone()))
                .changed(
                    "Description",
                    Some(old.description),
                    Some(description.clone()),
                );
                if let Some(grants) = &input.permissions {
                    let checked = grants
                        .iter()
                        .map(|g| check_grant(tx, &catalog, g))
                        .collect::<StoreResult<Vec<_>>>()?;
                    let before: Vec<String> = q::grants(tx, id)?
                        .into_iter()
                        .map(|(_, _, p, t, param)| {
                            grant_text(&GrantInput {
                                permission: p,
                                holder_type: t,
                                parameter: param,
                            })
                        })
                        .collect();
                    q::delete_grants(tx, id)?;
                    let mut after = Vec::new();
                    for g in &checked {
                        if !q::grant_exists(
                            tx,
                            id,
                            &g.permission,
                            &g.holder_type,
                            g.parameter.as_deref(),
                        )? {
                            q::insert_grant(
                                tx,
                                id,
                                &g.permission,
                                &g.holder_type,
                                g.parameter.as_deref(),
                            )?;
                            after.push(grant_text(g));
                        }
                    }
                    entry = entry.changed(
                        "Permissions",
                        Some(before.join("; ")),
                        Some(after.join("; ")),
                    );
                }
                record(tx, &who, &entry)?;
                Ok(())
            })
            .await?;
        self.catalog.reload().await?;
        Ok(())
    }

    /// Deletes a scheme no project uses (and never the default one).
    pub async fn delete_scheme(&self, caller: &Caller, id: i64) -> Result<()> {
        self.permissions.require_admin(caller)?;
        let scheme = self.scheme(caller, id)?;
        if id == 0 {
            return Err(Error::bad_request(
                "The default permission scheme cannot be deleted.",
            ));
        }
        let who = caller.clone();
        self.store
            .write(move |tx| {
                let users = q::projects_using(tx, id)?;
                if !users.is_empty() {
                    return Err(Error::bad_request(format!(
                        "Cannot delete permission scheme '{}' as it is associated with projects: {}.",
                        scheme.name,
                        users.join(", ")
                    ))
                    .into());
                }
                q::delete(tx, id)?;
                record(
                    tx,
                    &who,
                    &AuditEntry::new(
                        category::PERMISSIONS,
                        "Permission scheme deleted",
                        scheme_item(id, &scheme.name),
                    ),
                )?;
                Ok(())
            })
            .await?;
        self.catalog.reload().await?;
        Ok(())
    }

    pub async fn add_grant(&self, caller: &Caller, id: i64, g: GrantInput) -> Result<SchemeGrant> {
        self.permissions.require_admin(caller)?;
        let scheme = self.scheme(caller, id)?;
        let (who, catalog) = (caller.clone(), self.catalog.current());
        let grant = self
            .store
            .write(move |tx| {
                let g = check_grant(tx, &catalog, &g)?;
                if q::grant_exists(
                    tx,
                    id,
                    &g.permission,
                    &g.holder_type,
                    g.parameter.as_deref(),
                )? {
                    return Err(Error::bad_request(format!(
                        "The permission scheme already grants {}.",
                        grant_text(&g)
                    ))
                    .into());
                }
                let gid = q::insert_grant(
                    tx,
                    id,
                    &g.permission,
                    &g.holder_type,
                    g.parameter.as_deref(),
                )?;
                record(
                    tx,
                    &who,
                    &AuditEntry::new(
                        category::PERMISSIONS,
                        "Permission grant added to permission scheme",
                        scheme_item(id, &scheme.name),
                    )
                    .changed(
                        "Permission",
                        None::<String>,
                        Some(grant_text(&g)),
                    ),
                )?;
                Ok(SchemeGrant {
                    id: gid,
                    scheme_id: id,
                    permission: g.permission,
                    holder_type: g.holder_type,
                    parameter: g.parameter,
                })
            })
            .await?;
        self.catalog.reload().await?;
        Ok(grant)
    }

    /// Removes a grant; one not in the scheme is Jira's 400.
    pub async fn delete_grant(&self, caller: &Caller, id: i64, grant: i64) -> Result<()> {
        self.permissions.require_admin(caller)?;
        let scheme = self.scheme(caller, id)?;
        let who = caller.clone();
        self.store
            .write(move |tx| {
                let Some(row) = q::grant(tx, id, grant)? else {
                    return Err(Error::bad_request(format!(
                        "Permission grant with id {grant} does not exist in permission scheme {id}."
                    ))
                    .into());
                };
                let g = grant_of(row);
                q::delete_grant(tx, id, grant)?;
                record(
                    tx,
                    &who,
                    &AuditEntry::new(
                        category::PERMISSIONS,
                        "Permission grant removed from permission scheme",
                        scheme_item(id, &scheme.name),
                    )
                    .changed(
                        "Permission",
                        Some(grant_text(&GrantInput {
                            permission: g.permission,
                            holder_type: g.holder_type,
                            parameter: g.parameter,
                        })),
                        None::<String>,
                    ),
                )?;
                Ok(())
            })
            .await?;
        self.catalog.reload().await?;
        Ok(())
    }

    /// The scheme a project uses (project or global administrators).
    pub async fn assigned(&self, caller: &Caller, r: &ProjectRef) -> Result<PermissionScheme> {
        let project = self.projects.admin_project(caller, r).await?;
        self.scheme(caller, project.permission_scheme_id)
    }

    /// Makes a project use a scheme (global administrators).
    pub async fn assign(
        &self,
        caller: &Caller,
        r: &ProjectRef,
        scheme_id: i64,
    ) -> Result<PermissionScheme> {
        let project = self.projects.admin_project(caller, r).await?;
        self.permissions.require_admin(caller)?;
        let scheme = self.scheme(caller, scheme_id)?;
        let old = self.scheme(caller, project.permission_scheme_id).ok();
        let (who, new) = (caller.clone(), scheme.clone());
        self.store
            .write(move |tx| {
                q::assign(tx, project.id.0, scheme_id)?;
                record(
                    tx,
                    &who,
                    &AuditEntry::new(
                        category::PROJECTS,
                        "Permission scheme assigned to project",
                        project_item(&project),
                    )
                    .associated(scheme_item(new.id, &new.name))
                    .changed(
                        "Permission scheme",
                        old.map(|s| s.name),
                        Some(new.name.clone()),
                    ),
                )?;
                Ok(())
            })
            .await?;
        Ok(scheme)
    }
}
