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
    ManageSprints = "MANAGE_SPRINTS_PERMISSION", "PROJECT", "Manage Sprints", "Ability to manage sprints.";
    ServicedeskAgent = "SERVICEDESK_AGENT", "PROJECT", "Service Desk Agent", "Ability to work a service desk's queues and answer its customers.";
}

/// The keys Jira kept from before its permissions were renamed (Jira 7); Data Center
/// still answers them, marked `deprecatedKey`, and accepts them in `mypermissions`.
pub const DEPRECATED_KEYS: &[(&str, Permission)] = &[
    ("PROJECT_ADMIN", Permission::AdministerProjects),
    ("BROWSE", Permission::BrowseProjects),
    ("VIEW_VERSION_CONTROL", Permission::ViewDevTools),
    ("VIEW_WORKFLOW_READONLY", Permission::ViewReadonlyWorkflow),
    ("CREATE_ISSUE", Permission::CreateIssues),
    ("EDIT_ISSUE", Permission::EditIssues),
    ("SCHEDULE_ISSUE", Permission::ScheduleIssues),
    ("MOVE_ISSUE", Permission::MoveIssues),
    ("ASSIGN_ISSUE", Permission::AssignIssues),
    ("RESOLVE_ISSUE", Permission::ResolveIssues),
    ("CLOSE_ISSUE", Permission::CloseIssues),
    ("DELETE_ISSUE", Permission::DeleteIssues),
    ("LINK_ISSUE", Permission::LinkIssues),
    ("MANAGE_WATCHER_LIST", Permission::ManageWatchers),
    ("COMMENT_ISSUE", Permission::AddComments),
    ("COMMENT_EDIT_ALL", Permission::EditAllComments),
    ("COMMENT_EDIT_OWN", Permission::EditOwnComments),
    ("COMMENT_DELETE_ALL", Permission::DeleteAllComments),
    ("COMMENT_DELETE_OWN", Permission::DeleteOwnComments),
    ("CREATE_ATTACHMENT", Permission::CreateAttachments),
    ("ATTACHMENT_DELETE_ALL", Permission::DeleteAllAttachments),
    ("ATTACHMENT_DELETE_OWN", Permission::DeleteOwnAttachments),
    ("WORK_ISSUE", Permission::WorkOnIssues),
    ("WORKLOG_EDIT_OWN", Permission::EditOwnWorklogs),
    ("WORKLOG_EDIT_ALL", Permission::EditAllWorklogs),
    ("WORKLOG_DELETE_OWN", Permission::DeleteOwnWorklogs),
    ("WORKLOG_DELETE_ALL", Permission::DeleteAllWorklogs),
];

impl Permission {
    /// A current key, or a deprecated one (then `true`).
    pub fn from_any_key(key: &str) -> Option<(Permission, bool)> {
        Permission::from_key(key).map(|p| (p, false)).or_else(|| {
            DEPRECATED_KEYS
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, p)| (*p, true))
        })
    }
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

/// Who the caller is relative to one issue, for reporter/assignee grants, and the issue
/// itself for grants to the users or groups in its custom fields.
#[derive(Debug, Clone, Copy, Default)]
pub struct IssueRoles<'a> {
    pub reporter: bool,
    pub assignee: bool,
    pub issue: Option<&'a Issue>,
}

impl<'a> IssueRoles<'a> {
    pub fn of(caller: Option<&Caller>, issue: Option<&'a Issue>) -> IssueRoles<'a> {
        let me = caller.map(|c| c.user.id);
        IssueRoles {
            reporter: me.is_some() && issue.is_some_and(|i| i.reporter_id == me),
            assignee: me.is_some() && issue.is_some_and(|i| i.assignee_id == me),
            issue,
        }
    }
}

/// Permissions: global grants, project permissions through schemes and roles, and the
/// projects each caller may browse (cached until an ACL change).
pub struct Service {
    store: Store,
    catalog: Arc<catalog::Service>,
    /// Browsable projects per caller, valid while the ACL counter and the catalog
    /// snapshot (which holds the grants) are unchanged.
    browse_cache: Mutex<BrowseCache>,
    /// The roles each caller holds in each project, valid while the ACL counter is
    /// unchanged: one read per request instead of one per permission check.
    roles_cache: Mutex<RolesCache>,
}

/// The projects one caller may browse, and what their answer was computed from.
struct BrowseEntry {
    version: i64,
    groups: Vec<String>,
    catalog: Arc<Catalog>,
    list: Arc<Vec<(Project, PermissionSet)>>,
}

/// Per user (or anonymous).
type BrowseCache = HashMap<Option<UserId>, BrowseEntry>;

/// (ACL version, the caller's groups, project id → role ids) per user.
type RolesCache = HashMap<UserId, (i64, Vec<String>, Arc<HashMap<i64, HashSet<i64>>>)>;

impl Service {
    pub(super) fn new(store: Store, catalog: Arc<catalog::Service>) -> Service {
        Service {
            store,
            catalog,
            browse_cache: Mutex::new(HashMap::new()),
            roles_cache: Mutex::new(HashMap::new()),
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
            // A service desk's internal comment (`servicedesk::requests::INTERNAL`).
            "internal" => Ok(()),
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
        let who = IssueRoles::of(caller, Some(issue));
        Ok(evaluate(
            &self.catalog.current(),
            caller,
            project,
            &roles,
            who,
        ))
    }

    /// The role ids the caller holds in a project (directly or through a group).
    pub async fn roles_in(
        &self,
        caller: Option<&Caller>,
        project: ProjectId,
    ) -> Result<HashSet<i64>> {
        Ok(self
            .roles_by_project(caller)
            .await?
            .get(&project.0)
            .cloned()
            .unwrap_or_default())
    }

    /// The caller's roles in every project, cached until the ACL counter moves.
    async fn roles_by_project(
        &self,
        caller: Option<&Caller>,
    ) -> Result<Arc<HashMap<i64, HashSet<i64>>>> {
        let Some(caller) = caller else {
            return Ok(Arc::default());
        };
        let version = self.store.read(q::acl_version).await?;
        {
            let cache = self.roles_cache.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((v, g, roles)) = cache.get(&caller.user.id)
                && *v == version
                && *g == caller.groups
            {
                return Ok(roles.clone());
            }
        }
        let (id, name) = (caller.user.id, caller.user.username.clone());
        let (version, rows) = self
            .store
            .read(move |db| {
                // The counter first: a change after it makes the entry stale.
                Ok((q::acl_version(db)?, q::roles_of_user(db, id, &name)?))
            })
            .await?;
        let mut by_project: HashMap<i64, HashSet<i64>> = HashMap::new();
        for (pid, role) in rows {
            by_project.entry(pid).or_default().insert(role);
        }
        let roles = Arc::new(by_project);
        let mut cache = self.roles_cache.lock().unwrap_or_else(|p| p.into_inner());
        if cache.len() > 10_000 {
            cache.clear();
        }
        cache.insert(
            caller.user.id,
            (version, caller.groups.clone(), roles.clone()),
        );
        Ok(roles)
    }

    /// Projects the caller may browse, with their permission sets.
    pub async fn browsable_projects(
        &self,
        caller: Option<&Caller>,
    ) -> Result<Vec<(Project, PermissionSet)>> {
        let key = caller.map(|c| c.user.id);
        let groups: Vec<String> = caller.map(|c| c.groups.clone()).unwrap_or_default();
        // The snapshot first: a reload after it makes the entry stale (grants live there).
        let catalog = self.catalog.current();
        let version = self.store.read(q::acl_version).await?;
        {
            let cache = self.browse_cache.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(e) = cache.get(&key)
                && e.version == version
                && e.groups == groups
                && Arc::ptr_eq(&e.catalog, &catalog)
            {
                return Ok(e.list.as_ref().clone());
            }
        }
        let roles = self.roles_by_project(caller).await?;
        let (projects, version) = self
            .store
            .read(move |db| {
                let version = q::acl_version(db)?;
                Ok((q::all(db)?, version))
            })
            .await?;
        let none = HashSet::new();
        let list: Vec<(Project, PermissionSet)> = projects
            .into_iter()
            .filter_map(|p| {
                let mine = roles.get(&p.id.0).unwrap_or(&none);
                let set = evaluate(&catalog, caller, &p, mine, IssueRoles::default());
                set.has(Permission::BrowseProjects).then_some((p, set))
            })
            .collect();
        let mut cache = self.browse_cache.lock().unwrap_or_else(|p| p.into_inner());
        if cache.len() > 10_000 {
            cache.clear();
        }
        cache.insert(
            key,
            BrowseEntry {
                version,
                groups,
                catalog,
                list: Arc::new(list.clone()),
            },
        );
        Ok(list)
    }

    /// Projects where the caller holds every one of `wanted` (project permissions).
    pub async fn permitted_projects(
        &self,
        caller: Option<&Caller>,
        wanted: &[Permission],
    ) -> Result<Vec<Project>> {
        Ok(self
            .browsable_projects(caller)
            .await?
            .into_iter()
            .filter(|(_, set)| wanted.iter().all(|p| set.has(*p)))
            .map(|(p, _)| p)
            .collect())
    }
}

/// Project permissions from the project's scheme, given the role ids the caller holds in
/// that project and who they are relative to the issue.
pub fn evaluate(
    catalog: &Catalog,
    caller: Option<&Caller>,
    project: &Project,
    caller_roles: &HashSet<i64>,
    issue: IssueRoles<'_>,
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
            "userCustomField" => caller.zip(issue.issue).is_some_and(|(c, i)| {
                field_values(catalog, i, param).any(|v| v == FieldHolder::User(c.user.id))
            }),
            "groupCustomField" => caller.zip(issue.issue).is_some_and(|(c, i)| {
                field_values(catalog, i, param)
                    .any(|v| matches!(v, FieldHolder::Group(g) if c.in_group(&g)))
            }),
            _ => false,
        };
        if held {
            set.insert(p);
        }
    }
    set
}

/// Who a custom field value on an issue names, for custom field grants.
#[derive(Debug, PartialEq)]
enum FieldHolder {
    User(UserId),
    Group(String),
}

/// The users or groups named in one custom field (`customfield_N`) of an issue.
fn field_values<'a>(
    catalog: &'a Catalog,
    issue: &'a Issue,
    field: &str,
) -> impl Iterator<Item = FieldHolder> + 'a {
    let def = catalog.custom_field_by_key(field);
    let option = move |id: &i64| {
        def.and_then(|f| f.options.iter().find(|o| o.id == *id))
            .map(|o| FieldHolder::Group(o.value.clone()))
    };
    issue
        .custom
        .iter()
        .filter(move |(id, _)| def.is_some_and(|f| f.id == *id))
        .flat_map(move |(_, v)| -> Vec<FieldHolder> {
            match v {
                FieldValue::User(u) => vec![FieldHolder::User(*u)],
                FieldValue::Text(t) => vec![FieldHolder::Group(t.clone())],
                FieldValue::Labels(ls) => {
                    ls.iter().map(|l| FieldHolder::Group(l.clone())).collect()
                }
                FieldValue::Option(o) => option(o).into_iter().collect(),
                FieldValue::Options(os) => os.iter().filter_map(option).collect(),
                _ => Vec::new(),
            }
        })
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
    // Outside the issue's security level the issue does not exist for the caller.
    if let Some(i) = issue
        && !super::levels::can_see(db, caller, project, i, &roles)?
    {
        return Ok(PermissionSet::default());
    }
    Ok(evaluate(
        catalog,
        caller,
        project,
        &roles,
        IssueRoles::of(caller, issue),
    ))
}

/// Whether the caller may browse `issue`: its project's Browse Projects, inside its level.
pub fn can_browse_issue(
    db: &Db,
    catalog: &Catalog,
    caller: Option<&Caller>,
    issue: &Issue,
) -> StoreResult<bool> {
    let Some(project) = q::by_id(db, issue.project_id)? else {
        return Ok(false);
    };
    Ok(
        caller_permissions(db, catalog, caller, &project, Some(issue))?
            .has(Permission::BrowseProjects),
    )
}

/// History as the caller may see it: a "Link" item names the other issue by key, so an
/// item whose other issue the caller may not browse is left out (and a change left
/// with no items with it). Returns how many changes were left out whole.
pub fn hide_unseen_links(
    db: &Db,
    catalog: &Catalog,
    caller: Option<&Caller>,
    groups: &mut Vec<ChangeGroup>,
) -> StoreResult<usize> {
    let mut seen: HashMap<String, bool> = HashMap::new();
    let before = groups.len();
    for g in groups.iter_mut() {
        let mut keep = Vec::with_capacity(g.items.len());
        for item in std::mem::take(&mut g.items) {
            let other = (item.field_id == "issuelinks")
                .then(|| item.to.clone().or_else(|| item.from.clone()))
                .flatten();
            let visible = match other {
                None => true,
                Some(key) => match seen.get(&key) {
                    Some(v) => *v,
                    None => {
                        let v = match crate::store::queries::issues::by_ref(
                            db,
                            &IssueRef::Key(key.clone()),
                        )? {
                            // A deleted issue has nothing left to hide.
                            None => true,
                            Some(i) => can_browse_issue(db, catalog, caller, &i)?,
                        };
                        seen.insert(key, v);
                        v
                    }
                },
            };
            if visible {
                keep.push(item);
            }
        }
        g.items = keep;
    }
    groups.retain(|g| !g.items.is_empty());
    Ok(before - groups.len())
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
        // A service desk's internal comment: for everyone but its customers.
        "internal" => !super::levels::customer_only_in(db, caller, project)?,
        _ => false,
    })
}
