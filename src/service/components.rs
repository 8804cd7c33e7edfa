//! Project components and versions: create, read, update, delete, and moving their
//! issues elsewhere. Reading needs Browse Projects; changing needs project (or global)
//! administration. Issues whose components or versions change get a changelog entry,
//! a new `updated` and an outbox entry, like any edit.

use super::{catalog, permissions, projects, users};
use crate::store::Store;
use std::sync::Arc;

use super::users::UserRef;
use super::{Caller, Catalog, Permission};
use crate::domain::*;
use crate::error::{Error, Result};
use crate::store::StoreResult;
use crate::store::queries::{
    Db, Tx, changelog as cq, components as q, issues as iq, projects as pq, users as uq,
};

pub const ASSIGNEE_TYPES: &[&str] = &[
    "PROJECT_DEFAULT",
    "COMPONENT_LEAD",
    "PROJECT_LEAD",
    "UNASSIGNED",
];

/// Component fields a client may set; `None` leaves a value as it is.
#[derive(Debug, Default, Clone)]
pub struct ComponentInput {
    pub project: Option<ProjectRef>,
    pub name: Option<String>,
    pub description: Option<String>,
    /// `Some(None)` removes the lead (`leadUserName: ""`).
    pub lead: Option<Option<UserRef>>,
    pub assignee_type: Option<String>,
}

/// Version fields a client may set; `None` leaves a value as it is.
#[derive(Debug, Default, Clone)]
pub struct VersionInput {
    pub project: Option<ProjectRef>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub archived: Option<bool>,
    pub released: Option<bool>,
    /// `Some(None)` clears the date.
    pub start_date: Option<Option<String>>,
    pub release_date: Option<Option<String>>,
}

/// Where `POST version/{id}/move` puts a version.
#[derive(Debug, Clone)]
pub enum VersionPosition {
    After(i64),
    First,
    Last,
    Earlier,
    Later,
}

/// Counts for `version/{id}/relatedIssueCounts` and `unresolvedIssueCount`.
#[derive(Debug, Clone, Copy)]
pub struct VersionCounts {
    pub fixed: i64,
    pub affected: i64,
    pub fixed_unresolved: i64,
}

fn component_missing(id: i64) -> Error {
    Error::not_found(format!("The component with id {id} does not exist."))
}

fn version_missing(id: i64) -> Error {
    Error::not_found(format!("Could not find version for id '{id}'"))
}

/// Applies `edit` to each issue, storing the change with its changelog and outbox entry.
fn reassign(
    db: &Tx,
    catalog: &Catalog,
    caller: &Caller,
    issues: &[IssueId],
    edit: &dyn Fn(&mut Issue),
) -> StoreResult<()> {
    let now = db.now();
    for id in issues {
        let Some(before) = iq::by_id(db, *id)? else {
            continue;
        };
        let mut issue = before.clone();
        edit(&mut issue);
        let items = super::fields::diff(db, catalog, &before, &issue)?;
        if items.is_empty() {
            continue;
        }
        issue.updated = now;
        iq::update(db, &issue)?;
        cq::record(db, issue.id, Some(caller.user.id), now, &items)?;
        iq::enqueue_index(db, issue.id, now)?;
    }
    Ok(())
}

/// Replaces `from` by `to` (or removes it) in a list of ids, keeping each id once.
fn swap(ids: &mut Vec<i64>, from: i64, to: Option<i64>) {
    let had = ids.contains(&from);
    ids.retain(|x| *x != from);
    if let Some(t) = to
        && had
        && !ids.contains(&t)
    {
        ids.push(t);
    }
}

/// Jira's `yyyy-MM-dd`; anything else is a 400 on `field`.
fn check_date(field: &str, value: &Option<String>) -> Result<Option<String>> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(d) => match crate::domain::time::parse_date(d) {
            Some(date) => Ok(Some(date.to_string())),
            None => Err(Error::field(
                field,
                format!("The date '{d}' is not valid; use the format yyyy-MM-dd."),
            )),
        },
    }
}

/// Project components and versions.
pub struct Service {
    store: Store,
    catalog: Arc<catalog::Service>,
    permissions: Arc<permissions::Service>,
    projects: Arc<projects::Service>,
    users: Arc<users::Service>,
}

impl Service {
    pub(super) fn new(
        store: Store,
        catalog: Arc<catalog::Service>,
        permissions: Arc<permissions::Service>,
        projects: Arc<projects::Service>,
        users: Arc<users::Service>,
    ) -> Service {
        Service {
            store,
            catalog,
            permissions,
            projects,
            users,
        }
    }
}

impl Service {
    fn check_component_name(name: &str) -> Result<String> {
        let name = name.trim().to_string();
        if name.is_empty() {
            return Err(Error::field(
                "name",
                "The component name specified is invalid - cannot be an empty string.",
            ));
        }
        if name.chars().count() > 255 {
            return Err(Error::field(
                "name",
                "The component name must not exceed 255 characters.",
            ));
        }
        Ok(name)
    }

    async fn resolve_lead(&self, lead: &Option<UserRef>) -> Result<Option<UserId>> {
        match lead {
            None => Ok(None),
            Some(r) => match self.users.user_by_ref(r).await? {
                Some(u) => Ok(Some(u.id)),
                None => Err(Error::field(
                    "leadUserName",
                    match r {
                        UserRef::AccountId(a) => {
                            format!("The user with account ID '{a}' does not exist.")
                        }
                        UserRef::Username(u) => format!("The user {u} does not exist."),
                    },
                )),
            },
        }
    }

    /// A component and its project, when the caller may browse the project.
    pub async fn get_component(
        &self,
        caller: Option<&Caller>,
        id: i64,
    ) -> Result<(Component, Project)> {
        let found = self.store.read(move |db| q::component(db, id)).await?;
        let c = found.ok_or_else(|| component_missing(id))?;
        let (project, _) = self
            .projects
            .browse_project(caller, &ProjectRef::Id(c.project_id.0))
            .await
            .map_err(|_| component_missing(id))?;
        Ok((c, project))
    }

    /// A component of a project the caller administers.
    async fn admin_component(&self, caller: &Caller, id: i64) -> Result<(Component, Project)> {
        let (c, project) = self.get_component(Some(caller), id).await?;
        let project = self
            .projects
            .admin_project(caller, &ProjectRef::Id(project.id.0))
            .await?;
        Ok((c, project))
    }

    /// `POST component`
    pub async fn create_component(
        &self,
        caller: &Caller,
        input: ComponentInput,
    ) -> Result<(Component, Project)> {
        let project_ref = input
            .project
            .clone()
            .ok_or_else(|| Error::field("project", "The project must be specified."))?;
        let project = self.projects.admin_project(caller, &project_ref).await?;
        let name = Self::check_component_name(input.name.as_deref().unwrap_or_default())?;
        let assignee_type = input
            .assignee_type
            .clone()
            .unwrap_or_else(|| "PROJECT_DEFAULT".into());
        if !ASSIGNEE_TYPES.contains(&assignee_type.as_str()) {
            return Err(Error::field(
                "assigneeType",
                format!("The assignee type '{assignee_type}' is not valid."),
            ));
        }
        let lead = self.resolve_lead(&input.lead.clone().flatten()).await?;
        let mut c = Component {
            id: 0,
            project_id: project.id,
            name,
            description: input.description.unwrap_or_default(),
            lead_id: lead,
            assignee_type,
        };
        let row = c.clone();
        c.id = self
            .store
            .write(move |db| {
                if q::component_name_taken(db, row.project_id, &row.name, None)? {
                    return Err(Error::field(
                        "name",
                        format!(
                            "A component with the name {} already exists in this project.",
                            row.name
                        ),
                    )
                    .into());
                }
                q::insert_component(db, &row)
            })
            .await?;
        Ok((c, project))
    }

    /// `PUT component/{id}`: fields present replace the current values.
    pub async fn update_component(
        &self,
        caller: &Caller,
        id: i64,
        input: ComponentInput,
    ) -> Result<(Component, Project)> {
        let (mut c, project) = self.admin_component(caller, id).await?;
        if let Some(n) = &input.name {
            c.name = Self::check_component_name(n)?;
        }
        if let Some(d) = input.description {
            c.description = d;
        }
        if let Some(t) = input.assignee_type {
            if !ASSIGNEE_TYPES.contains(&t.as_str()) {
                return Err(Error::field(
                    "assigneeType",
                    format!("The assignee type '{t}' is not valid."),
                ));
            }
            c.assignee_type = t;
        }
        if let Some(lead) = &input.lead {
            c.lead_id = self.resolve_lead(lead).await?;
        }
        let row = c.clone();
        self.store
            .write(move |db| {
                if q::component_name_taken(db, row.project_id, &row.name, Some(row.id))? {
                    return Err(Error::field(
                        "name",
                        format!(
                            "A component with the name {} already exists in this project.",
                            row.name
                        ),
                    )
                    .into());
                }
                q::update_component(db, &row)
            })
            .await?;
        Ok((c, project))
    }

    /// `DELETE component/{id}?moveIssuesTo=`: its issues get `move_to` instead, or lose it.
    pub async fn delete_component(
        &self,
        caller: &Caller,
        id: i64,
        move_to: Option<i64>,
    ) -> Result<()> {
        let (c, _) = self.admin_component(caller, id).await?;
        let catalog = self.catalog.current();
        let caller = caller.clone();
        self.store
            .write(move |db| {
                if let Some(t) = move_to {
                    let target = q::component(db, t)?;
                    if t == id || target.is_none_or(|x| x.project_id != c.project_id) {
                        return Err(Error::field(
                            "moveIssuesTo",
                            format!("The component with id {t} does not exist in this project."),
                        )
                        .into());
                    }
                }
                let issues = q::component_issues(db, id)?;
                reassign(db, &catalog, &caller, &issues, &|i: &mut Issue| {
                    swap(&mut i.component_ids, id, move_to)
                })?;
                q::delete_component(db, id)
            })
            .await?;
        Ok(())
    }

    /// `GET component/{id}/relatedIssueCounts`: issues with the component.
    pub async fn component_issue_count(&self, caller: Option<&Caller>, id: i64) -> Result<i64> {
        self.get_component(caller, id).await?;
        let caller = caller.cloned();
        Ok(self
            .store
            .read(move |db| {
                let ids = q::component_issues(db, id)?;
                Ok(visible(db, caller.as_ref(), &ids)?.len() as i64)
            })
            .await?)
    }

    /// Users by id for rendering leads and assignees.
    pub async fn component_users(
        &self,
        c: &Component,
        project: &Project,
    ) -> Result<std::collections::HashMap<UserId, User>> {
        let ids: Vec<UserId> = c.lead_id.into_iter().chain([project.lead_id]).collect();
        Ok(self
            .store
            .read(move |db| uq::by_ids(db, &ids))
            .await?
            .into_iter()
            .map(|u| (u.id, u))
            .collect())
    }

    /// A version and its project, when the caller may browse the project.
    pub async fn get_version(
        &self,
        caller: Option<&Caller>,
        id: i64,
    ) -> Result<(Version, Project)> {
        let found = self.store.read(move |db| q::version(db, id)).await?;
        let v = found.ok_or_else(|| version_missing(id))?;
        let (project, _) = self
            .projects
            .browse_project(caller, &ProjectRef::Id(v.project_id.0))
            .await
            .map_err(|_| version_missing(id))?;
        Ok((v, project))
    }

    pub(super) async fn admin_version(
        &self,
        caller: &Caller,
        id: i64,
    ) -> Result<(Version, Project)> {
        let (v, project) = self.get_version(Some(caller), id).await?;
        let (_, perms) = self
            .projects
            .browse_project(Some(caller), &ProjectRef::Id(project.id.0))
            .await?;
        if !perms.has(Permission::AdministerProjects) && !self.permissions.is_admin(caller) {
            return Err(Error::forbidden(
                "You must have global or project administrator permissions to edit versions.",
            ));
        }
        Ok((v, project))
    }

    fn apply_version_input(v: &mut Version, input: &VersionInput) -> Result<()> {
        if let Some(n) = &input.name {
            let n = n.trim();
            if n.is_empty() {
                return Err(Error::field(
                    "name",
                    "You must specify a valid version name",
                ));
            }
            if n.chars().count() > 255 {
                return Err(Error::field(
                    "name",
                    "The version name cannot exceed 255 characters.",
                ));
            }
            v.name = n.to_string();
        }
        if let Some(d) = &input.description {
            v.description = d.clone();
        }
        if let Some(a) = input.archived {
            v.archived = a;
        }
        if let Some(r) = input.released {
            v.released = r;
        }
        if let Some(d) = &input.start_date {
            v.start_date = check_date("startDate", d)?;
        }
        if let Some(d) = &input.release_date {
            v.release_date = check_date("releaseDate", d)?;
        }
        if let (Some(s), Some(r)) = (&v.start_date, &v.release_date)
            && s > r
        {
            return Err(Error::field(
                "startDate",
                "The start date must be before the release date.",
            ));
        }
        Ok(())
    }

    /// `POST version`
    pub async fn create_version(&self, caller: &Caller, input: VersionInput) -> Result<Version> {
        let project_ref = input.project.clone().ok_or_else(|| {
            Error::field("project", "Project must be specified to create a version.")
        })?;
        let project = self.projects.admin_project(caller, &project_ref).await?;
        if input.name.is_none() {
            return Err(Error::field(
                "name",
                "You must specify a valid version name",
            ));
        }
        let mut v = Version {
            id: 0,
            project_id: project.id,
            name: String::new(),
            description: String::new(),
            archived: false,
            released: false,
            start_date: None,
            release_date: None,
        };
        Self::apply_version_input(&mut v, &input)?;
        let row = v.clone();
        v.id = self
            .store
            .write(move |db| {
                if q::version_name_taken(db, row.project_id, &row.name, None)? {
                    return Err(Error::field(
                        "name",
                        "A version with this name already exists in this project.",
                    )
                    .into());
                }
                q::insert_version(db, &row)
            })
            .await?;
        Ok(v)
    }

    /// `PUT version/{id}`: fields present replace the current values.
    pub async fn update_version(
        &self,
        caller: &Caller,
        id: i64,
        input: VersionInput,
    ) -> Result<Version> {
        let (mut v, _) = self.admin_version(caller, id).await?;
        Self::apply_version_input(&mut v, &input)?;
        let row = v.clone();
        self.store
            .write(move |db| {
                if q::version_name_taken(db, row.project_id, &row.name, Some(row.id))? {
                    return Err(Error::field(
                        "name",
                        "A version with this name already exists in this project.",
                    )
                    .into());
                }
                q::update_version(db, &row)?;
                // Version names are rendered and searched on the issues that carry it.
                let now = db.now();
                for kind in ["fix", "affected"] {
                    for issue in q::version_issues(db, row.id, kind)? {
                        iq::enqueue_index(db, issue, now)?;
                    }
                }
                Ok(())
            })
            .await?;
        Ok(v)
    }

    /// Deletes a version; its fix and affected issues move to the given versions (of the
    /// same project) or lose it. Serves `DELETE version/{id}`, `removeAndSwap` and
    /// `mergeto`.
    pub async fn delete_version(
        &self,
        caller: &Caller,
        id: i64,
        move_fix_to: Option<i64>,
        move_affected_to: Option<i64>,
    ) -> Result<()> {
        let (v, _) = self.admin_version(caller, id).await?;
        let catalog = self.catalog.current();
        let caller = caller.clone();
        self.store
            .write(move |db| {
                for (field, target) in [
                    ("moveFixIssuesTo", move_fix_to),
                    ("moveAffectedIssuesTo", move_affected_to),
                ] {
                    if let Some(t) = target {
                        let found = q::version(db, t)?;
                        if t == id || found.is_none_or(|x| x.project_id != v.project_id) {
                            return Err(Error::not_found(format!(
                                "Could not find version for id '{t}' ({field})."
                            ))
                            .into());
                        }
                    }
                }
                let mut issues = q::version_issues(db, id, "fix")?;
                issues.extend(q::version_issues(db, id, "affected")?);
                issues.sort();
                issues.dedup();
                reassign(db, &catalog, &caller, &issues, &|i: &mut Issue| {
                    swap(&mut i.fix_version_ids, id, move_fix_to);
                    swap(&mut i.affected_version_ids, id, move_affected_to);
                })?;
                q::delete_version(db, id)
            })
            .await?;
        Ok(())
    }

    /// `POST version/{id}/move`: reorders the project's versions.
    pub async fn move_version(
        &self,
        caller: &Caller,
        id: i64,
        position: VersionPosition,
    ) -> Result<Version> {
        let (v, project) = self.admin_version(caller, id).await?;
        let pid = project.id;
        self.store
            .write(move |db| {
                let mut order: Vec<i64> = pq::versions(db, pid)?.iter().map(|x| x.id).collect();
                let at = order.iter().position(|x| *x == id).unwrap_or(0);
                order.remove(at);
                let to = match position {
                    VersionPosition::First => 0,
                    VersionPosition::Last => order.len(),
                    VersionPosition::Earlier => at.saturating_sub(1),
                    VersionPosition::Later => (at + 1).min(order.len()),
                    VersionPosition::After(other) => match order.iter().position(|x| *x == other) {
                        Some(p) => p + 1,
                        None => {
                            return Err(Error::not_found(format!(
                                "Could not find version for id '{other}'"
                            ))
                            .into());
                        }
                    },
                };
                order.insert(to, id);
                q::set_version_order(db, &order)
            })
            .await?;
        Ok(v)
    }

    /// Fix, affected and unresolved-fix issue counts of a version.
    pub async fn version_counts(
        &self,
        caller: Option<&Caller>,
        id: i64,
    ) -> Result<(Version, VersionCounts)> {
        let (v, _) = self.get_version(caller, id).await?;
        let caller = caller.cloned();
        let counts = self
            .store
            .read(move |db| {
                let caller = caller.as_ref();
                let fixed = visible(db, caller, &q::version_issues(db, id, "fix")?)?;
                let affected = visible(db, caller, &q::version_issues(db, id, "affected")?)?;
                Ok(VersionCounts {
                    fixed: fixed.len() as i64,
                    affected: affected.len() as i64,
                    fixed_unresolved: fixed.iter().filter(|i| i.resolution_id.is_none()).count()
                        as i64,
                })
            })
            .await?;
        Ok((v, counts))
    }
}

/// The issues among `ids` the caller may see: a count must not include an issue behind a
/// security level the caller is outside of (its existence is what the level hides).
fn visible(db: &Db, caller: Option<&Caller>, ids: &[IssueId]) -> StoreResult<Vec<Issue>> {
    let mut out = Vec::new();
    for issue in iq::by_ids(db, ids)? {
        if super::levels::can_see_issue(db, caller, &issue)? {
            out.push(issue);
        }
    }
    Ok(out)
}
