//! Projects: create, read, update, delete, and the project-scoped lists.

use super::{audit, catalog, permissions, users};
use crate::domain::audit::{AuditEntry, AuditItem, category};
use crate::store::Store;
use std::sync::Arc;

use super::{Caller, Permission, PermissionSet};
use crate::domain::*;
use crate::error::{Error, Result};
use crate::store::queries::{
    issues as iq, notifications as nq, projects as q, security as sq, users as uq,
};

/// Fields a client may set on create or update; `None` leaves a value as it is.
#[derive(Debug, Default, Clone)]
pub struct ProjectInput {
    pub key: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub lead: Option<super::users::UserRef>,
    pub project_type_key: Option<String>,
    pub assignee_type: Option<String>,
    pub url: Option<String>,
    pub category_id: Option<Option<i64>>,
    pub permission_scheme_id: Option<i64>,
    /// The notification scheme the project uses (default: Jira's default scheme).
    pub notification_scheme_id: Option<i64>,
    /// The issue security scheme: set on create; on update only through
    /// `issuesecurityschemes/project`, which remaps the issues' levels.
    pub issue_security_scheme_id: Option<i64>,
}

pub const PROJECT_TYPES: &[(&str, &str, &str)] = &[
    ("software", "Software", "#0052CC"),
    ("business", "Business", "#FF991F"),
    ("service_desk", "Service Desk", "#00B8D9"),
];

/// Jira's rule for project keys: 2-10 characters, an upper-case letter first, then
/// upper-case letters, digits or underscores. Returns the error in Jira's words.
pub fn validate_key(key: &str) -> Option<String> {
    let mut chars = key.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_uppercase());
    if !first_ok
        || !key
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    {
        return Some(
            "Project keys must start with an uppercase letter, followed by one or more uppercase alphanumeric characters."
                .to_string(),
        );
    }
    if key.len() < 2 || key.len() > 10 {
        return Some("The project key must not exceed 10 characters in length.".to_string())
            .filter(|_| key.len() > 10)
            .or_else(|| {
                Some("The project key must be at least 2 characters in length.".to_string())
            });
    }
    None
}

pub fn validate_name(name: &str) -> Option<String> {
    let n = name.trim().chars().count();
    if n < 2 {
        Some("The project name must be at least 2 characters in length.".to_string())
    } else if n > 80 {
        Some("The project name must not exceed 80 characters in length.".to_string())
    } else {
        None
    }
}

const ASSIGNEE_TYPES: &[&str] = &["PROJECT_LEAD", "UNASSIGNED"];

/// Projects and their roles.
pub struct Service {
    store: Store,
    catalog: Arc<catalog::Service>,
    permissions: Arc<permissions::Service>,
    users: Arc<users::Service>,
}

impl Service {
    pub(super) fn new(
        store: Store,
        catalog: Arc<catalog::Service>,
        permissions: Arc<permissions::Service>,
        users: Arc<users::Service>,
    ) -> Service {
        Service {
            store,
            catalog,
            permissions,
            users,
        }
    }
}

impl Service {
    /// Finds a project the caller may browse; the same 404 for "missing" and "hidden".
    pub async fn browse_project(
        &self,
        caller: Option<&Caller>,
        r: &ProjectRef,
    ) -> Result<(Project, PermissionSet)> {
        let r2 = r.clone();
        let project = self.store.read(move |db| q::by_ref(db, &r2)).await?;
        let not_found = || {
            Error::not_found(format!(
                "No project could be found with key '{}'.",
                r.as_text()
            ))
        };
        let project = project.ok_or_else(not_found)?;
        let perms = self
            .permissions
            .project_permissions(caller, &project)
            .await?;
        if !perms.has(Permission::BrowseProjects) {
            return Err(not_found());
        }
        Ok((project, perms))
    }

    /// A project the caller may administer (or a global admin).
    ///
    /// A global administrator administers every project, browsable or not: otherwise a
    /// scheme that grants them nothing would lock everyone out of putting it right.
    pub async fn admin_project(&self, caller: &Caller, r: &ProjectRef) -> Result<Project> {
        if self.permissions.is_admin(caller) {
            let r2 = r.clone();
            return self
                .store
                .read(move |db| q::by_ref(db, &r2))
                .await?
                .ok_or_else(|| {
                    Error::not_found(format!(
                        "No project could be found with key '{}'.",
                        r.as_text()
                    ))
                });
        }
        let (project, perms) = self.browse_project(Some(caller), r).await?;
        if !perms.has(Permission::AdministerProjects) && !self.permissions.is_admin(caller) {
            return Err(Error::forbidden(
                "You must have global or project administrator permissions to edit this project.",
            ));
        }
        Ok(project)
    }

    pub async fn list_projects(&self, caller: Option<&Caller>) -> Result<Vec<Project>> {
        Ok(self
            .permissions
            .browsable_projects(caller)
            .await?
            .into_iter()
            .map(|(p, _)| p)
            .collect())
    }

    pub async fn create_project(&self, caller: &Caller, input: ProjectInput) -> Result<Project> {
        self.permissions.require_admin(caller)?;
        let mut errors = std::collections::BTreeMap::new();
        let key = input.key.clone().unwrap_or_default().trim().to_string();
        match input.key.as_deref() {
            None | Some("") => {
                errors.insert(
                    "projectKey".into(),
                    "You must specify a unique project key.".into(),
                );
            }
            Some(_) => {
                if let Some(e) = validate_key(&key) {
                    errors.insert("projectKey".into(), e);
                }
            }
        }
        let name = input.name.clone().unwrap_or_default().trim().to_string();
        if name.is_empty() {
            errors.insert(
                "projectName".into(),
                "You must specify a valid project name.".into(),
            );
        } else if let Some(e) = validate_name(&name) {
            errors.insert("projectName".into(), e);
        }
        let ptype = input
            .project_type_key
            .clone()
            .unwrap_or_else(|| "software".into());
        if !PROJECT_TYPES.iter().any(|(k, _, _)| *k == ptype) {
            errors.insert(
                "projectTypeKey".into(),
                format!("The project type '{ptype}' is not valid."),
            );
        }
        let assignee_type = input
            .assignee_type
            .clone()
            .unwrap_or_else(|| "UNASSIGNED".into());
        if !ASSIGNEE_TYPES.contains(&assignee_type.as_str()) {
            errors.insert(
                "assigneeType".into(),
                "The default assignee must be PROJECT_LEAD or UNASSIGNED.".into(),
            );
        }
        let lead = match &input.lead {
            Some(r) => match self.users.user_by_ref(r).await? {
                Some(u) => Some(u),
                None => {
                    errors.insert(
                        "projectLead".into(),
                        "The project lead you specified does not exist.".into(),
                    );
                    None
                }
            },
            None => Some(caller.user.clone()),
        };
        let catalog = self.catalog.current();
        let scheme = input.permission_scheme_id.unwrap_or(0);
        if !catalog.permission_schemes.iter().any(|s| s.id == scheme) {
            errors.insert(
                "permissionScheme".into(),
                format!("The permission scheme with id {scheme} does not exist."),
            );
        }
        let category = input.category_id.flatten();
        if let Some(c) = category
            && !catalog.categories.iter().any(|x| x.id == c)
        {
            errors.insert(
                "categoryId".into(),
                format!("The project category with id {c} does not exist."),
            );
        }
        if let Some(e) = Error::from_fields(errors) {
            return Err(e);
        }
        let lead = lead.ok_or_else(Error::internal)?;
        let description = input.description.unwrap_or_default();
        let url = input.url.unwrap_or_default();
        let notification_scheme = input.notification_scheme_id;
        let security_scheme = input.issue_security_scheme_id;
        let by = caller.clone();
        let project = self
            .store
            .write(move |db| {
                if q::by_ref(db, &ProjectRef::Key(key.clone()))?.is_some() {
                    return Err(Error::field(
                        "projectKey",
                        format!("Project '{key}' uses this project key."),
                    )
                    .into());
                }
                if q::name_taken(db, &name, None)? {
                    return Err(Error::field(
                        "projectName",
                        "A project with that name already exists.",
                    )
                    .into());
                }
                let id = q::insert(
                    db,
                    &q::NewProject {
                        key: &key,
                        name: &name,
                        description: &description,
                        lead_id: lead.id,
                        project_type_key: &ptype,
                        assignee_type: &assignee_type,
                        url: &url,
                        category_id: category,
                        permission_scheme_id: scheme,
                        created: db.now().0,
                    },
                )?;
                if let Some(scheme) = notification_scheme
                    && !nq::set_project_scheme(db, id, scheme)?
                {
                    return Err(no_notification_scheme(scheme).into());
                }
                if let Some(scheme) = security_scheme {
                    if sq::scheme(db, scheme)?.is_none() {
                        return Err(Error::field(
                            "issueSecurityScheme",
                            format!("The issue security scheme {scheme} does not exist."),
                        )
                        .into());
                    }
                    sq::set_project_scheme(db, id, Some(scheme))?;
                }
                // The lead administers the project.
                q::add_role_actor(db, id, 10002, "user", &lead.username)?;
                // A service project comes with its desk (request types, queues, SLAs).
                if ptype == crate::domain::servicedesk::PROJECT_TYPE {
                    crate::store::queries::servicedesk::create_desk(db, id, &lead.username)?;
                }
                audit::record(
                    db,
                    &by,
                    &AuditEntry::new(
                        category::PROJECTS,
                        "Project created",
                        project_item(id.0, &key, &name),
                    )
                    .changed("name", None::<String>, Some(name.clone()))
                    .changed("key", None::<String>, Some(key.clone()))
                    .changed(
                        "lead",
                        None::<String>,
                        Some(lead.username.clone()),
                    ),
                )?;
                q::by_id(db, id)
            })
            .await?;
        project.ok_or_else(Error::internal)
    }

    pub async fn update_project(
        &self,
        caller: &Caller,
        r: &ProjectRef,
        input: ProjectInput,
    ) -> Result<Project> {
        let mut project = self.admin_project(caller, r).await?;
        let mut errors = std::collections::BTreeMap::new();
        if let Some(key) = &input.key
            && key != &project.key
        {
            errors.insert(
                "projectKey".into(),
                "Changing the project key is not supported.".into(),
            );
        }
        if let Some(name) = &input.name {
            match validate_name(name) {
                Some(e) => {
                    errors.insert("projectName".into(), e);
                }
                None => project.name = name.trim().to_string(),
            }
        }
        if let Some(d) = input.description {
            project.description = d;
        }
        if let Some(u) = input.url {
            project.url = u;
        }
        if let Some(t) = input.project_type_key {
            if PROJECT_TYPES.iter().any(|(k, _, _)| *k == t) {
                project.project_type_key = t;
            } else {
                errors.insert(
                    "projectTypeKey".into(),
                    format!("The project type '{t}' is not valid."),
                );
            }
        }
        if let Some(a) = input.assignee_type {
            if ASSIGNEE_TYPES.contains(&a.as_str()) {
                project.assignee_type = a;
            } else {
                errors.insert(
                    "assigneeType".into(),
                    "The default assignee must be PROJECT_LEAD or UNASSIGNED.".into(),
                );
            }
        }
        if let Some(l) = &input.lead {
            match self.users.user_by_ref(l).await? {
                Some(u) => project.lead_id = u.id,
                None => {
                    errors.insert(
                        "projectLead".into(),
                        "The project lead you specified does not exist.".into(),
                    );
                }
            }
        }
        let catalog = self.catalog.current();
        if let Some(c) = input.category_id {
            if c.is_none_or(|c| catalog.categories.iter().any(|x| x.id == c)) {
                project.category_id = c;
            } else {
                errors.insert(
                    "categoryId".into(),
                    "The project category does not exist.".into(),
                );
            }
        }
        if let Some(s) = input.permission_scheme_id {
            if catalog.permission_schemes.iter().any(|x| x.id == s) {
                project.permission_scheme_id = s;
            } else {
                errors.insert(
                    "permissionScheme".into(),
                    format!("The permission scheme with id {s} does not exist."),
                );
            }
        }
        if let Some(e) = Error::from_fields(errors) {
            return Err(e);
        }
        let p = project.clone();
        let notification_scheme = input.notification_scheme_id;
        let security_scheme = input.issue_security_scheme_id;
        let by = caller.clone();
        self.store
            .write(move |db| {
                if q::name_taken(db, &p.name, Some(p.id))? {
                    return Err(Error::field(
                        "projectName",
                        "A project with that name already exists.",
                    )
                    .into());
                }
                let before = q::by_id(db, p.id)?.ok_or_else(Error::internal)?;
                q::update(db, &p)?;
                if let Some(scheme) = security_scheme
                    && sq::scheme_of_project(db, p.id)? != Some(scheme)
                {
                    return Err(Error::field(
                        "issueSecurityScheme",
                        "Change a project's issue security scheme with PUT issuesecurityschemes/project, which maps its issues' levels.",
                    )
                    .into());
                }
                let scheme_before = nq::scheme_of_project(db, p.id)?;
                if let Some(scheme) = notification_scheme
                    && !nq::set_project_scheme(db, p.id, scheme)?
                {
                    return Err(no_notification_scheme(scheme).into());
                }
                let scheme_after = nq::scheme_of_project(db, p.id)?;
                let leads = (
                    uq::by_id(db, before.lead_id)?.map(|u| u.username),
                    uq::by_id(db, p.lead_id)?.map(|u| u.username),
                );
                let entry = update_entry(&before, &p, leads, (scheme_before, scheme_after));
                if !entry.changed_values.is_empty() {
                    audit::record(db, &by, &entry)?;
                }
                Ok(())
            })
            .await?;
        Ok(project)
    }

    pub async fn delete_project(&self, caller: &Caller, r: &ProjectRef) -> Result<()> {
        let project = self.admin_project(caller, r).await?;
        let id = project.id;
        let by = caller.clone();
        self.store
            .write(move |db| {
                let now = db.now();
                // The search index must drop every issue of the project.
                for issue in q::issue_ids(db, id)? {
                    iq::enqueue_index(db, IssueId(issue), now)?;
                }
                q::delete(db, id)?;
                audit::record(
                    db,
                    &by,
                    &AuditEntry::new(
                        category::PROJECTS,
                        "Project deleted",
                        project_item(id.0, &project.key, &project.name),
                    ),
                )?;
                Ok(())
            })
            .await?;
        Ok(())
    }

    pub async fn project_components(
        &self,
        caller: Option<&Caller>,
        r: &ProjectRef,
    ) -> Result<(Project, Vec<Component>)> {
        let (project, _) = self.browse_project(caller, r).await?;
        let id = project.id;
        let components = self.store.read(move |db| q::components(db, id)).await?;
        Ok((project, components))
    }

    pub async fn project_versions(
        &self,
        caller: Option<&Caller>,
        r: &ProjectRef,
    ) -> Result<(Project, Vec<Version>)> {
        let (project, _) = self.browse_project(caller, r).await?;
        let id = project.id;
        let versions = self.store.read(move |db| q::versions(db, id)).await?;
        Ok((project, versions))
    }

    /// Role actors of a project: (role, [(actor type, value, display name)]).
    pub async fn project_roles(
        &self,
        caller: &Caller,
        r: &ProjectRef,
    ) -> Result<(Project, Vec<(ProjectRole, Vec<(String, String, String)>)>)> {
        let (project, _) = self.browse_project(Some(caller), r).await?;
        let id = project.id;
        let actors = self
            .store
            .read(move |db| {
                let actors = q::role_actors(db, id)?;
                let mut out = Vec::new();
                for (role, kind, value) in actors {
                    let display = if kind == "user" {
                        uq::by_username(db, &value)?
                            .map(|u| u.display_name)
                            .unwrap_or_else(|| value.clone())
                    } else {
                        value.clone()
                    };
                    out.push((role, kind, value, display));
                }
                Ok(out)
            })
            .await?;
        let roles = self
            .catalog
            .current()
            .roles
            .iter()
            .map(|role| {
                let mine = actors
                    .iter()
                    .filter(|(r, ..)| *r == role.id)
                    .map(|(_, k, v, d)| (k.clone(), v.clone(), d.clone()))
                    .collect();
                (role.clone(), mine)
            })
            .collect();
        Ok((project, roles))
    }

    /// Adds users and groups to a project role.
    pub async fn add_role_actors(
        &self,
        caller: &Caller,
        r: &ProjectRef,
        role: i64,
        users: Vec<String>,
        groups: Vec<String>,
    ) -> Result<()> {
        let project = self.admin_project(caller, r).await?;
        if self.catalog.current().role(role).is_none() {
            return Err(Error::not_found(format!(
                "Project role with id {role} does not exist."
            )));
        }
        let id = project.id;
        let role_name = self
            .catalog
            .current()
            .role(role)
            .map(|r| r.name.clone())
            .unwrap_or_default();
        let by = caller.clone();
        self.store
            .write(move |db| {
                let audit_actor = |kind: &str, name: &str| {
                    audit::record(
                        db,
                        &by,
                        &actor_entry(&project, role, &role_name, kind, None, Some(name)),
                    )
                };
                for u in &users {
                    let user = match uq::by_username(db, u)? {
                        Some(x) => x,
                        None => uq::by_account_id(db, u)?.ok_or_else(|| {
                            Error::bad_request(format!("The user '{u}' does not exist."))
                        })?,
                    };
                    q::add_role_actor(db, id, role, "user", &user.username)?;
                    audit_actor("user", &user.username)?;
                }
                for g in &groups {
                    if uq::group_id(db, g)?.is_none() {
                        return Err(
                            Error::bad_request(format!("The group '{g}' does not exist.")).into(),
                        );
                    }
                    q::add_role_actor(db, id, role, "group", g)?;
                    audit_actor("group", g)?;
                }
                Ok(())
            })
            .await?;
        Ok(())
    }

    pub async fn remove_role_actor(
        &self,
        caller: &Caller,
        r: &ProjectRef,
        role: i64,
        user: Option<String>,
        group: Option<String>,
    ) -> Result<()> {
        let project = self.admin_project(caller, r).await?;
        if self.catalog.current().role(role).is_none() {
            return Err(Error::not_found(format!(
                "Project role with id {role} does not exist."
            )));
        }
        let id = project.id;
        let role_name = self
            .catalog
            .current()
            .role(role)
            .map(|r| r.name.clone())
            .unwrap_or_default();
        let by = caller.clone();
        let removed = self
            .store
            .write(move |db| {
                let (kind, name) = match (user, group) {
                    (Some(u), _) => {
                        let name = match uq::by_username(db, &u)? {
                            Some(x) => x.username,
                            None => uq::by_account_id(db, &u)?.map(|x| x.username).unwrap_or(u),
                        };
                        ("user", name)
                    }
                    (None, Some(g)) => ("group", g),
                    (None, None) => {
                        return Err(
                            Error::bad_request("Specify a user or a group to remove.").into()
                        );
                    }
                };
                let removed = q::remove_role_actor(db, id, role, kind, &name)?;
                if removed {
                    let entry = actor_entry(&project, role, &role_name, kind, Some(&name), None);
                    audit::record(db, &by, &entry)?;
                }
                Ok(removed)
            })
            .await?;
        if removed {
            Ok(())
        } else {
            Err(Error::not_found("The actor is not in this project role."))
        }
    }

    /// `projectvalidate/key`: the errors a create with this key would give.
    pub async fn validate_project_key(&self, key: &str) -> Result<Option<String>> {
        if let Some(e) = validate_key(key) {
            return Ok(Some(e));
        }
        let k = key.to_string();
        let exists = self
            .store
            .read(move |db| q::by_ref(db, &ProjectRef::Key(k)))
            .await?
            .is_some();
        Ok(exists.then(|| format!("Project '{key}' uses this project key.")))
    }

    pub async fn project_name_taken(&self, name: &str) -> Result<bool> {
        let n = name.to_string();
        Ok(self
            .store
            .read(move |db| q::name_taken(db, &n, None))
            .await?)
    }
}

/// A project as the audit log names it.
fn project_item(id: i64, key: &str, name: &str) -> AuditItem {
    AuditItem {
        parent_id: Some(key.to_string()),
        ..AuditItem::new("PROJECT", id, name)
    }
}

fn no_notification_scheme(id: i64) -> Error {
    Error::field(
        "notificationScheme",
        format!("The notification scheme {id} does not exist."),
    )
}

/// The audit record of a project update: every setting that changed, before and after
/// (`leads` and `notification_schemes` as (before, after): they live outside the row).
fn update_entry(
    before: &Project,
    p: &Project,
    leads: (Option<String>, Option<String>),
    notification_schemes: (i64, i64),
) -> AuditEntry {
    let id = |v: Option<i64>| v.map(|c| c.to_string());
    AuditEntry::new(
        category::PROJECTS,
        "Project updated",
        project_item(p.id.0, &p.key, &p.name),
    )
    .changed("name", Some(&before.name), Some(&p.name))
    .changed(
        "description",
        Some(&before.description),
        Some(&p.description),
    )
    .changed("url", Some(&before.url), Some(&p.url))
    .changed(
        "projectTypeKey",
        Some(&before.project_type_key),
        Some(&p.project_type_key),
    )
    .changed(
        "assigneeType",
        Some(&before.assignee_type),
        Some(&p.assignee_type),
    )
    .changed("lead", leads.0, leads.1)
    .changed("categoryId", id(before.category_id), id(p.category_id))
    .changed(
        "permissionScheme",
        id(Some(before.permission_scheme_id)),
        id(Some(p.permission_scheme_id)),
    )
    .changed(
        "notificationScheme",
        id(Some(notification_schemes.0)),
        id(Some(notification_schemes.1)),
    )
}

/// The audit record of a role actor added (`to`) or removed (`from`) in a project.
fn actor_entry(
    project: &Project,
    role: i64,
    role_name: &str,
    kind: &str,
    from: Option<&str>,
    to: Option<&str>,
) -> AuditEntry {
    let field = if kind == "user" { "Users" } else { "Groups" };
    AuditEntry::new(
        category::PROJECTS,
        "Project roles changed",
        AuditItem::new("PROJECT_ROLE", role, role_name),
    )
    .changed(field, from, to)
    .associated(project_item(project.id.0, &project.key, &project.name))
}
