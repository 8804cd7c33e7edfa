//! Jira's permission model: global permissions granted to groups, and project permissions
//! granted by a project's permission scheme to roles, groups, users, the project lead,
//! the reporter, the assignee or anyone.

use std::collections::HashSet;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::{Caller, Catalog, catalog};
use crate::domain::*;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::StoreResult;
use crate::store::queries::{Db, projects as q};

macro_rules! permissions {
    ($( $variant:ident = $key:literal, $kind:literal, $name:literal, $desc:literal; )*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Permission { $($variant),* }

        impl Permission {
            pub const ALL: &'static [Permission] = &[$(Permission::$variant),*];
            pub fn key(self) -> &'static str { match self { $(Permission::$variant => $key),* } }
            /// `PROJECT` or `GLOBAL`
            pub fn kind(self) -> &'static str { match self { $(Permission::$variant => $kind),* } }
            pub fn name(self) -> &'static str { match self { $(Permission::$variant => $name),* } }
            pub fn description(self) -> &'static str { match self { $(Permission::$variant => $desc),* } }
            pub fn from_key(key: &str) -> Option<Permission> {
                match key { $($key => Some(Permission::$variant),)* _ => None }
            }
            fn bit(self) -> u64 { 1u64 << (self as u32) }
        }
    };
}

permissions! {
    Administer = "ADMINISTER", "GLOBAL", "Administer Jira", "Create and administer projects, issue types, fields, workflows and schemes.";
    SystemAdmin = "SYSTEM_ADMIN", "GLOBAL", "Administer the system", "Configure applications, users and the whole instance.";
    UserPicker = "USER_PICKER", "GLOBAL", "Browse users and groups", "View and select users or groups from the user picker, and share issues.";
    CreateSharedObjects = "CREATE_SHARED_OBJECTS", "GLOBAL", "Share dashboards and filters", "Share dashboards and filters with other users.";
    ManageGroupFilterSubscriptions = "MANAGE_GROUP_FILTER_SUBSCRIPTIONS", "GLOBAL", "Manage group filter subscriptions", "Create and delete group filter subscriptions.";
    BulkChange = "BULK_CHANGE", "GLOBAL", "Make bulk changes", "Modify collections of issues at once.";
    AdministerProjects = "ADMINISTER_PROJECTS", "PROJECT", "Administer Projects", "Ability to administer a project in Jira.";
    BrowseProjects = "BROWSE_PROJECTS", "PROJECT", "Browse Projects", "Ability to browse projects and the issues within them.";
    ViewDevTools = "VIEW_DEV_TOOLS", "PROJECT", "View Development Tools", "Allows users in a software project to view development-related information.";
    ViewReadonlyWorkflow = "VIEW_READONLY_WORKFLOW", "PROJECT", "View Read-Only Workflow", "Users with this permission may view a read-only version of a workflow.";
    CreateIssues = "CREATE_ISSUES", "PROJECT", "Create Issues", "Ability to create issues.";
    EditIssues = "EDIT_ISSUES", "PROJECT", "Edit Issues", "Ability to edit issues.";
    TransitionIssues = "TRANSITION_ISSUES", "PROJECT", "Transition Issues", "Ability to transition issues.";
    ScheduleIssues = "SCHEDULE_ISSUES", "PROJECT", "Schedule Issues", "Ability to set or edit an issue's due date.";
    MoveIssues = "MOVE_ISSUES", "PROJECT", "Move Issues", "Ability to move issues between projects or between workflows of the same project.";
    AssignIssues = "ASSIGN_ISSUES", "PROJECT", "Assign Issues", "Ability to assign issues to other people.";
    AssignableUser = "ASSIGNABLE_USER", "PROJECT", "Assignable User", "Users with this permission may be assigned to issues.";
    ResolveIssues = "RESOLVE_ISSUES", "PROJECT", "Resolve Issues", "Ability to resolve and reopen issues. This includes the ability to set a fix version.";
    CloseIssues = "CLOSE_ISSUES", "PROJECT", "Close Issues", "Ability to close issues.";
    ModifyReporter = "MODIFY_REPORTER", "PROJECT", "Modify Reporter", "Ability to modify the reporter when creating or editing an issue.";
    DeleteIssues = "DELETE_ISSUES", "PROJECT", "Delete Issues", "Ability to delete issues.";
    LinkIssues = "LINK_ISSUES", "PROJECT", "Link Issues", "Ability to link issues together and create linked issues.";
    SetIssueSecurity = "SET_ISSUE_SECURITY", "PROJECT", "Set Issue Security", "Ability to set the level of security on an issue so that only people in that security level can see the issue.";
    ViewVotersAndWatchers = "VIEW_VOTERS_AND_WATCHERS", "PROJECT", "View Voters and Watchers", "Ability to view the voters and watchers of an issue.";
    ManageWatchers = "MANAGE_WATCHERS", "PROJECT", "Manage Watchers", "Ability to manage the watchers of an issue.";
    AddComments = "ADD_COMMENTS", "PROJECT", "Add Comments", "Ability to comment on issues.";
    EditAllComments = "EDIT_ALL_COMMENTS", "PROJECT", "Edit All Comments", "Ability to edit all comments made on issues.";
    EditOwnComments = "EDIT_OWN_COMMENTS", "PROJECT", "Edit Own Comments", "Ability to edit own comments made on issues.";
    DeleteAllComments = "DELETE_ALL_COMMENTS", "PROJECT", "Delete All Comments", "Ability to delete all comments made on issues.";
    DeleteOwnComments = "DELETE_OWN_COMMENTS", "PROJECT", "Delete Own Comments", "Ability to delete own comments made on issues.";
    CreateAttachments = "CREATE_ATTACHMENTS", "PROJECT", "Create Attachments", "Users with this permission may create attachments.";
    DeleteAllAttachments = "DELETE_ALL_ATTACHMENTS", "PROJECT", "Delete All Attachments", "Users with this permission may delete all attachments.";
    DeleteOwnAttachments = "DELETE_OWN_ATTACHMENTS", "PROJECT", "Delete Own Attachments", "Users with this permission may delete own attachments.";
    WorkOnIssues = "WORK_ON_ISSUES", "PROJECT", "Work On Issues", "Ability to log work done against an issue.";
    EditOwnWorklogs = "EDIT_OWN_WORKLOGS", "PROJECT", "Edit Own Worklogs", "Ability to edit own worklogs made on issues.";
    EditAllWorklogs = "EDIT_ALL_WORKLOGS", "PROJECT", "Edit All Worklogs", "Ability to edit all worklogs made on issues.";
    DeleteOwnWorklogs = "DELETE_OWN_WORKLOGS", "PROJECT", "Delete Own Worklogs", "Ability to delete own worklogs made on issues.";
    DeleteAllWorklogs = "DELETE_ALL_WORKLOGS", "PROJECT", "Delete All Worklogs", "Ability to delete all worklogs made on issues.";
}

/// A set of permissions held by one caller in one context.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PermissionSet(u64);

impl PermissionSet {
    pub fn has(self, p: Permission) -> bool {
        self.0 & p.bit() != 0
    }
    pub fn insert(&mut self, p: Permission) {
        self.0 |= p.bit();
    }
    pub fn union(self, other: PermissionSet) -> PermissionSet {
        PermissionSet(self.0 | other.0)
    }
}

/// Who the caller is relative to one issue, for reporter/assignee grants.
#[derive(Debug, Clone, Copy, Default)]
pub struct IssueRoles {
    pub reporter: bool,
    pub assignee: bool,
}

/// Permissions: global grants, project permissions through schemes and roles, and the
/// projects each caller may browse (cached until an ACL change).
pub struct Service {
    store: Store,
    catalog: Arc<catalog::Service>,
    /// Browsable projects per caller, valid while the ACL counter is unchanged.
    browse_cache: Mutex<BrowseCache>,
}

/// (ACL version, the caller's groups, projects they may browse) per user (or anonymous).
type BrowseCache = HashMap<Option<UserId>, (i64, Vec<String>, Arc<Vec<(Project, PermissionSet)>>)>;

impl Service {
    pub(super) fn new(store: Store, catalog: Arc<catalog::Service>) -> Service {
        Service {
            store,
            catalog,
            browse_cache: Mutex::new(HashMap::new()),
        }
    }
}

impl Service {
    /// Global permissions of the caller (anonymous: none).
    pub fn global_permissions(&self, caller: Option<&Caller>) -> PermissionSet {
        let mut set = PermissionSet::default();
        let Some(caller) = caller else { return set };
        for (perm, group) in &self.catalog.current().global_grants {
            if caller.in_group(group)
                && let Some(p) = Permission::from_key(perm)
            {
                set.insert(p);
            }
        }
        set
    }

    /// Checks that the caller may restrict a comment or worklog to `v` (a group they are
    /// in, or a role that exists).
    pub fn check_visibility(&self, caller: &Caller, v: &Option<Visibility>) -> Result<()> {
        let Some(v) = v else { return Ok(()) };
        match v.kind.as_str() {
            "group" if caller.in_group(&v.value) || self.is_admin(caller) => Ok(()),
            "group" => Err(Error::field(
                "commentLevel",
                format!("You are currently not a member of the group: {}.", v.value),
            )),
            "role" => {
                let known =
                    self.catalog.current().roles.iter().any(|r| {
                        r.name.eq_ignore_ascii_case(&v.value) || r.id.to_string() == v.value
                    });
                if known {
                    Ok(())
                } else {
                    Err(Error::field(
                        "commentLevel",
                        format!("The project role '{}' does not exist.", v.value),
                    ))
                }
            }
            other => Err(Error::field(
                "commentLevel",
                format!("Unknown visibility type '{other}'; use 'group' or 'role'."),
            )),
        }
    }

    pub fn is_admin(&self, caller: &Caller) -> bool {
        self.global_permissions(Some(caller))
            .has(Permission::Administer)
    }

    pub fn require_admin(&self, caller: &Caller) -> Result<()> {
        if self.is_admin(caller) {
            Ok(())
        } else {
            Err(Error::forbidden(
                "You are not authorized to perform this operation. Administrator privileges are required.",
            ))
        }
    }

    /// The caller's permissions in a project (not issue-specific).
    pub async fn project_permissions(
        &self,
        caller: Option<&Caller>,
        project: &Project,
    ) -> Result<PermissionSet> {
        let roles = self.roles_in(caller, project.id).await?;
        Ok(evaluate(
            &self.catalog.current(),
            caller,
            project,
            &roles,
            IssueRoles::default(),
        ))
    }

    /// The caller's permissions on one issue (adds reporter/assignee grants).
    pub async fn issue_permissions(
        &self,
        caller: Option<&Caller>,
        project: &Project,
        issue: &Issue,
    ) -> Result<PermissionSet> {
        let roles = self.roles_in(caller, project.id).await?;
        let who = IssueRoles {
            reporter: caller.is_some_and(|c| Some(c.user.id) == issue.reporter_id),
            assignee: caller.is_some_and(|c| Some(c.user.id) == issue.assignee_id),
        };
        Ok(evaluate(
            &self.catalog.current(),
            caller,
            project,
            &roles,
            who,
        ))
    }

    async fn roles_in(&self, caller: Option<&Caller>, project: ProjectId) -> Result<HashSet<i64>> {
        let Some(caller) = caller else {
            return Ok(HashSet::new());
        };
        let groups = caller.groups.clone();
        let username = caller.user.username.clone();
        let roles = self
            .store
            .read(move |db| {
                Ok(q::role_actors(db, project)?
                    .into_iter()
                    .filter(|(_, kind, value)| match kind.as_str() {
                        "user" => value.eq_ignore_ascii_case(&username),
                        _ => groups.iter().any(|g| g.eq_ignore_ascii_case(value)),
                    })
                    .map(|(role, _, _)| role)
                    .collect())
            })
            .await?;
        Ok(roles)
    }

    /// Projects the caller may browse, with their permission sets.
    pub async fn browsable_projects(
        &self,
        caller: Option<&Caller>,
    ) -> Result<Vec<(Project, PermissionSet)>> {
        let key = caller.map(|c| c.user.id);
        let groups: Vec<String> = caller.map(|c| c.groups.clone()).unwrap_or_default();
        let cached = {
            let cache = self.browse_cache.lock().unwrap_or_else(|p| p.into_inner());
            cache
                .get(&key)
                .filter(|(_, g, _)| *g == groups)
                .map(|(v, _, list)| (*v, list.clone()))
        };
        let version = self.store.read(q::acl_version).await?;
        if let Some((v, list)) = cached
            && v == version
        {
            return Ok(list.as_ref().clone());
        }
        let (projects, roles, version) = {
            let who = caller.map(|c| (c.user.id, c.user.username.clone()));
            self.store
                .read(move |db| {
                    // Read the counter first: a change after it makes the entry stale.
                    let version = q::acl_version(db)?;
                    let projects = q::all(db)?;
                    let roles = match who {
                        Some((id, name)) => q::roles_of_user(db, id, &name)?,
                        None => Vec::new(),
                    };
                    Ok((projects, roles, version))
                })
                .await?
        };
        let mut by_project: std::collections::HashMap<i64, HashSet<i64>> = Default::default();
        for (pid, role) in roles {
            by_project.entry(pid).or_default().insert(role);
        }
        let catalog = self.catalog.current();
        let none = HashSet::new();
        let list: Vec<(Project, PermissionSet)> = projects
            .into_iter()
            .filter_map(|p| {
                let mine = by_project.get(&p.id.0).unwrap_or(&none);
                let set = evaluate(&catalog, caller, &p, mine, IssueRoles::default());
                set.has(Permission::BrowseProjects).then_some((p, set))
            })
            .collect();
        let mut cache = self.browse_cache.lock().unwrap_or_else(|p| p.into_inner());
        if cache.len() > 10_000 {
            cache.clear();
        }
        cache.insert(key, (version, groups, std::sync::Arc::new(list.clone())));
        Ok(list)
    }
}

/// Project permissions from the project's scheme, given the role ids the caller holds in
/// that project and who they are relative to the issue.
pub fn evaluate(
    catalog: &Catalog,
    caller: Option<&Caller>,
    project: &Project,
    caller_roles: &HashSet<i64>,
    issue: IssueRoles,
) -> PermissionSet {
    let mut set = PermissionSet::default();
    for grant in catalog
        .grants
        .iter()
        .filter(|g| g.scheme_id == project.permission_scheme_id)
    {
        let Some(p) = Permission::from_key(&grant.permission) else {
            continue;
        };
        let param = grant.holder_param.as_deref().unwrap_or_default();
        let held = match grant.holder_type.as_str() {
            "anyone" => true,
            "applicationRole" => caller.is_some(),
            "group" => caller.is_some_and(|c| c.in_group(param)),
            "user" => {
                caller.is_some_and(|c| c.user.username == param || c.user.account_id == param)
            }
            "projectRole" => param
                .parse::<i64>()
                .is_ok_and(|r| caller_roles.contains(&r)),
            "projectLead" => caller.is_some_and(|c| c.user.id == project.lead_id),
            "reporter" => issue.reporter,
            "assignee" => issue.assignee,
            _ => false,
        };
        if held {
            set.insert(p);
        }
    }
    set
}

/// Permissions of any user (not the caller) in a project, inside a transaction: used to
/// check that a new assignee is assignable.
pub fn user_permissions(
    db: &Db,
    catalog: &Catalog,
    user: &User,
    project: &Project,
) -> StoreResult<PermissionSet> {
    let groups = crate::store::queries::users::groups_of(db, user.id)?;
    let as_caller = Caller {
        user: user.clone(),
        groups,
        grants: crate::auth::scopes::Grants::Full,
        client: None,
    };
    let roles: HashSet<i64> = q::role_actors(db, project.id)?
        .into_iter()
        .filter(|(_, kind, value)| match kind.as_str() {
            "user" => value.eq_ignore_ascii_case(&as_caller.user.username),
            _ => as_caller.in_group(value),
        })
        .map(|(role, _, _)| role)
        .collect();
    Ok(evaluate(
        catalog,
        Some(&as_caller),
        project,
        &roles,
        IssueRoles::default(),
    ))
}

/// The caller's permissions in a project (and on an issue when given), inside a
/// transaction, so a check and the change it guards see the same state.
pub fn caller_permissions(
    db: &Db,
    catalog: &Catalog,
    caller: Option<&Caller>,
    project: &Project,
    issue: Option<&Issue>,
) -> StoreResult<PermissionSet> {
    let roles: HashSet<i64> = match caller {
        None => HashSet::new(),
        Some(c) => q::role_actors(db, project.id)?
            .into_iter()
            .filter(|(_, kind, value)| match kind.as_str() {
                "user" => value.eq_ignore_ascii_case(&c.user.username),
                _ => c.in_group(value),
            })
            .map(|(role, _, _)| role)
            .collect(),
    };
    let who = IssueRoles {
        reporter: caller
            .zip(issue)
            .is_some_and(|(c, i)| Some(c.user.id) == i.reporter_id),
        assignee: caller
            .zip(issue)
            .is_some_and(|(c, i)| Some(c.user.id) == i.assignee_id),
    };
    // Outside the issue's security level the issue does not exist for the caller.
    if let Some(i) = issue
        && !super::levels::can_see(db, caller, project, i, &roles)?
    {
        return Ok(PermissionSet::default());
    }
    Ok(evaluate(catalog, caller, project, &roles, who))
}

/// Whether the caller may see a comment restricted to a group or project role.
pub fn can_see_visibility(
    db: &Db,
    caller: Option<&Caller>,
    project: &Project,
    v: Option<&Visibility>,
) -> StoreResult<bool> {
    let Some(v) = v else { return Ok(true) };
    let Some(c) = caller else { return Ok(false) };
    Ok(match v.kind.as_str() {
        "group" => c.in_group(&v.value),
        "role" => q::role_actors(db, project.id)?
            .into_iter()
            .any(|(role, kind, value)| {
                let role_matches = role.to_string() == v.value
                    || crate::store::queries::catalog::project_roles(db)
                        .map(|rs| {
                            rs.iter()
                                .any(|r| r.id == role && r.name.eq_ignore_ascii_case(&v.value))
                        })
                        .unwrap_or(false);
                role_matches
                    && match kind.as_str() {
                        "user" => value.eq_ignore_ascii_case(&c.user.username),
                        _ => c.in_group(&value),
                    }
            }),
        _ => false,
    })
}
