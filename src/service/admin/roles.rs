//! Project roles: the global definitions (administrators only), their default actors
//! (copied into every new project), and the actors of a role in one project.

use std::sync::Arc;

use super::{Actor, project_item, role_item};
use crate::domain::audit::{AuditEntry, AuditItem, category};
use crate::domain::*;
use crate::error::{Error, Result};
use crate::service::audit::record;
use crate::service::{Caller, Permission, catalog, permissions, projects};
use crate::store::queries::{Db, projects as pq, roles as q, users as uq};
use crate::store::{Store, StoreResult};

/// What a role update sets; `None` keeps the value.
#[derive(Debug, Default, Clone)]
pub struct RoleInput {
    pub name: Option<String>,
    pub description: Option<String>,
}

/// A role in one project, as `roledetails` lists it.
#[derive(Debug, Clone)]
pub struct RoleDetails {
    pub role: ProjectRole,
    /// The project's scheme lets this role administer the project.
    pub admin: bool,
    /// New projects start with actors in this role.
    pub default: bool,
}

pub struct Service {
    store: Store,
    catalog: Arc<catalog::Service>,
    permissions: Arc<permissions::Service>,
    projects: Arc<projects::Service>,
}

fn not_found(id: i64) -> Error {
    Error::not_found(format!("Project role with id {id} does not exist."))
}

/// Jira's rule: a name is required and must not start or end with whitespace.
fn check_name(name: &str) -> Result<()> {
    if name.is_empty() {
        return Err(Error::field("name", "Project role name must not be empty."));
    }
    if name.trim() != name {
        return Err(Error::field(
            "name",
            "Project role name must not start or end with whitespace.",
        ));
    }
    if name.chars().count() > 255 {
        return Err(Error::field(
            "name",
            "Project role name must not exceed 255 characters.",
        ));
    }
    Ok(())
}

/// A user named by username or account id, as stored in actors (the username).
fn user_named(db: &Db, name: &str) -> StoreResult<Option<User>> {
    Ok(match uq::by_username(db, name)? {
        Some(u) => Some(u),
        None => uq::by_account_id(db, name)?,
    })
}

fn actors_of(db: &Db, rows: Vec<(String, String)>) -> StoreResult<Vec<Actor>> {
    rows.into_iter()
        .map(|(kind, name)| {
            let display_name = if kind == "user" {
                uq::by_username(db, &name)?
                    .map(|u| u.display_name)
                    .unwrap_or_else(|| name.clone())
            } else {
                name.clone()
            };
            Ok(Actor {
                kind,
                name,
                display_name,
            })
        })
        .collect()
}

/// Resolves the users and groups to add, refusing unknown ones with `missing`.
fn resolve_actors(
    db: &Db,
    users: &[String],
    groups: &[String],
    missing: fn(String) -> Error,
) -> StoreResult<Vec<(&'static str, String)>> {
    let mut out = Vec::new();
    for u in users {
        let user =
            user_named(db, u)?.ok_or_else(|| missing(format!("The user '{u}' does not exist.")))?;
        out.push(("user", user.username));
    }
    for g in groups {
        if uq::group_id(db, g)?.is_none() {
            return Err(missing(format!("The group '{g}' does not exist.")).into());
        }
        out.push(("group", g.clone()));
    }
    Ok(out)
}

fn actor_item(kind: &str, name: &str) -> AuditItem {
    if kind == "user" {
        AuditItem::user(name)
    } else {
        AuditItem::group(name)
    }
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

    /// Every role definition (administrators only).
    pub fn roles(&self, caller: &Caller) -> Result<Vec<ProjectRole>> {
        self.permissions.require_admin(caller)?;
        Ok(self.catalog.current().roles.clone())
    }

    pub fn role(&self, caller: &Caller, id: i64) -> Result<ProjectRole> {
        self.permissions.require_admin(caller)?;
        self.catalog
            .current()
            .role(id)
            .cloned()
            .ok_or_else(|| not_found(id))
    }

    pub async fn create_role(&self, caller: &Caller, input: RoleInput) -> Result<ProjectRole> {
        self.permissions.require_admin(caller)?;
        let name = input.name.unwrap_or_default();
        check_name(&name)?;
        let description = input.description.unwrap_or_default();
        let who = caller.clone();
        let role = self
            .store
            .write(move |tx| {
                if q::name_taken(tx, &name, None)? {
                    return Err(Error::conflict(format!(
                        "A project role with name '{name}' already exists."
                    ))
                    .into());
                }
                let id = q::insert(tx, &name, &description)?;
                let role = ProjectRole {
                    id,
                    name,
                    description,
                };
                record(
                    tx,
                    &who,
                    &AuditEntry::new(
                        category::PERMISSIONS,
                        "Project role created",
                        role_item(&role),
                    )
                    .changed("Name", None::<String>, Some(role.name.clone()))
                    .changed(
                        "Description",
                        None::<String>,
                        Some(role.description.clone()),
                    ),
                )?;
                Ok(role)
            })
            .await?;
        self.catalog.reload().await?;
        Ok(role)
    }

    /// `full`: both name and description are required (PUT); otherwise at least one (POST).
    pub async fn update_role(
        &self,
        caller: &Caller,
        id: i64,
        input: RoleInput,
        full: bool,
    ) -> Result<ProjectRole> {
        let old = self.role(caller, id)?;
        if full && (input.name.is_none() || input.description.is_none()) {
            return Err(Error::bad_request(
                "Both the name and the description of the project role are required.",
            ));
        }
        if input.name.is_none() && input.description.is_none() {
            return Err(Error::bad_request(
                "Give the name or the description of the project role.",
            ));
        }
        if let Some(n) = &input.name {
            check_name(n)?;
        }
        let role = ProjectRole {
            id,
            name: input.name.unwrap_or_else(|| old.name.clone()),
            description: input.description.unwrap_or_else(|| old.description.clone()),
        };
        let (who, r) = (caller.clone(), role.clone());
        self.store
            .write(move |tx| {
                if q::by_id(tx, id)?.is_none() {
                    return Err(not_found(id).into());
                }
                if q::name_taken(tx, &r.name, Some(id))? {
                    return Err(Error::conflict(format!(
                        "A project role with name '{}' already exists.",
                        r.name
                    ))
                    .into());
                }
                q::update(tx, &r)?;
                record(
                    tx,
                    &who,
                    &AuditEntry::new(category::PERMISSIONS, "Project role updated", role_item(&r))
                        .changed("Name", Some(old.name), Some(r.name.clone()))
                        .changed(
                            "Description",
                            Some(old.description),
                            Some(r.description.clone()),
                        ),
                )?;
                Ok(())
            })
            .await?;
        self.catalog.reload().await?;
        Ok(role)
    }

    /// Deletes a role; one still used by a permission scheme needs `swap`, the role that
    /// takes over its grants, actors and comment and worklog restrictions.
    pub async fn delete_role(&self, caller: &Caller, id: i64, swap: Option<i64>) -> Result<()> {
        let role = self.role(caller, id)?;
        let swap_to = match swap {
            Some(s) if s == id => {
                return Err(Error::bad_request(
                    "A project role cannot be swapped with itself.",
                ));
            }
            Some(s) => Some(self.catalog.current().role(s).cloned().ok_or_else(|| {
                Error::bad_request(format!("Project role with id {s} does not exist."))
            })?),
            None => None,
        };
        let who = caller.clone();
        self.store
            .write(move |tx| {
                match &swap_to {
                    Some(to) => q::swap(tx, &role, to)?,
                    None if q::grants_using(tx, id)? > 0 => {
                        return Err(Error::conflict(format!(
                            "The project role '{}' is used in permission schemes; give a role to swap it with.",
                            role.name
                        ))
                        .into());
                    }
                    None => {}
                }
                q::delete(tx, id)?;
                let mut entry =
                    AuditEntry::new(category::PERMISSIONS, "Project role deleted", role_item(&role));
                if let Some(to) = &swap_to {
                    entry = entry.associated(role_item(to));
                }
                record(tx, &who, &entry)?;
                Ok(())
            })
            .await?;
        self.catalog.reload().await?;
        Ok(())
    }

    /// Default actors of a role (those every new project starts with).
    pub async fn default_actors(&self, caller: &Caller, id: i64) -> Result<Vec<Actor>> {
        self.role(caller, id)?;
        Ok(self
            .store
            .read(move |db| actors_of(db, q::default_actors(db, id)?))
            .await?)
    }

    /// Adds default actors: users or groups, not both.
    pub async fn add_default_actors(
        &self,
        caller: &Caller,
        id: i64,
        users: Vec<String>,
        groups: Vec<String>,
    ) -> Result<Vec<Actor>> {
        let role = self.role(caller, id)?;
        if users.is_empty() == groups.is_empty() {
            return Err(Error::bad_request(
                "Give either users or groups to add, not both and not neither.",
            ));
        }
        let who = caller.clone();
        Ok(self
            .store
            .write(move |tx| {
                for (kind, name) in resolve_actors(tx, &users, &groups, Error::bad_request)? {
                    if q::add_default_actor(tx, id, kind, &name)? {
                        record(
                            tx,
                            &who,
                            &AuditEntry::new(
                                category::PERMISSIONS,
                                "Default actor added to project role",
                                role_item(&role),
                            )
                            .associated(actor_item(kind, &name)),
                        )?;
                    }
                }
                actors_of(tx, q::default_actors(tx, id)?)
            })
            .await?)
    }

    pub async fn remove_default_actor(
        &self,
        caller: &Caller,
        id: i64,
        user: Option<String>,
        group: Option<String>,
    ) -> Result<Vec<Actor>> {
        let role = self.role(caller, id)?;
        let who = caller.clone();
        Ok(self
            .store
            .write(move |tx| {
                let (kind, name) = match (user, group) {
                    (Some(u), None) => {
                        let user = user_named(tx, &u)?.ok_or_else(|| {
                            Error::bad_request(format!("The user '{u}' does not exist."))
                        })?;
                        ("user", user.username)
                    }
                    (None, Some(g)) => {
                        if uq::group_id(tx, &g)?.is_none() {
                            return Err(Error::bad_request(format!(
                                "The group '{g}' does not exist."
                            ))
                            .into());
                        }
                        ("group", g)
                    }
                    _ => {
                        return Err(Error::bad_request(
                            "Give either a user or a group to remove, not both and not neither.",
                        )
                        .into());
                    }
                };
                if q::remove_default_actor(tx, id, kind, &name)? {
                    record(
                        tx,
                        &who,
                        &AuditEntry::new(
                            category::PERMISSIONS,
                            "Default actor removed from project role",
                            role_item(&role),
                        )
                        .associated(actor_item(kind, &name)),
                    )?;
                }
                actors_of(tx, q::default_actors(tx, id)?)
            })
            .await?)
    }

    /// Replaces the actors of a role in a project (`PUT project/{key}/role/{id}`).
    pub async fn set_project_actors(
        &self,
        caller: &Caller,
        r: &ProjectRef,
        id: i64,
        users: Vec<String>,
        groups: Vec<String>,
    ) -> Result<()> {
        let project = self.projects.admin_project(caller, r).await?;
        let role = self
            .catalog
            .current()
            .role(id)
            .cloned()
            .ok_or_else(|| not_found(id))?;
        let who = caller.clone();
        self.store
            .write(move |tx| {
                let wanted = resolve_actors(tx, &users, &groups, Error::not_found)?;
                let before: Vec<(String, String)> = pq::role_actors(tx, project.id)?
                    .into_iter()
                    .filter(|(r, ..)| *r == id)
                    .map(|(_, k, v)| (k, v))
                    .collect();
                q::clear_project_actors(tx, project.id, id)?;
                for (kind, name) in &wanted {
                    pq::add_role_actor(tx, project.id, id, kind, name)?;
                }
                let show = |list: &mut dyn Iterator<Item = (&str, &str)>| {
                    list.map(|(k, v)| format!("{k}:{v}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                record(
                    tx,
                    &who,
                    &AuditEntry::new(
                        category::PROJECTS,
                        "Project role actors changed",
                        role_item(&role),
                    )
                    .associated(project_item(&project))
                    .changed(
                        "Actors",
                        Some(show(
                            &mut before.iter().map(|(k, v)| (k.as_str(), v.as_str())),
                        )),
                        Some(show(&mut wanted.iter().map(|(k, v)| (*k, v.as_str())))),
                    ),
                )?;
                Ok(())
            })
            .await?;
        Ok(())
    }

    /// The roles of a project with Jira's flags; `current_member`: only the caller's.
    pub async fn role_details(
        &self,
        caller: &Caller,
        r: &ProjectRef,
        current_member: bool,
    ) -> Result<(Project, Vec<RoleDetails>)> {
        let (project, _) = self.projects.browse_project(Some(caller), r).await?;
        let mine = self.permissions.roles_in(Some(caller), project.id).await?;
        let defaults = self.store.read(db_default_roles).await?;
        let catalog = self.catalog.current();
        let list = catalog
            .roles
            .iter()
            .filter(|role| !current_member || mine.contains(&role.id))
            .map(|role| RoleDetails {
                role: role.clone(),
                admin: catalog.grants.iter().any(|g| {
                    g.scheme_id == project.permission_scheme_id
                        && g.permission == Permission::AdministerProjects.key()
                        && g.holder_type == "projectRole"
                        && g.holder_param.as_deref() == Some(role.id.to_string().as_str())
                }),
                default: defaults.contains(&role.id),
            })
            .collect();
        Ok((project, list))
    }
}

/// Roles that have default actors.
fn db_default_roles(db: &Db) -> StoreResult<Vec<i64>> {
    let roles = crate::store::queries::catalog::project_roles(db)?;
    let mut out = Vec::new();
    for r in roles {
        if !q::default_actors(db, r.id)?.is_empty() {
            out.push(r.id);
        }
    }
    Ok(out)
}
