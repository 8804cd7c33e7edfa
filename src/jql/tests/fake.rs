//! A lookup over a few vectors, for resolving plans without a store or an index, and
//! helpers to resolve a query against it.

use std::cell::RefCell;
use std::convert::Infallible;

use crate::domain::*;
use crate::jql::lookup::{Involvement, IssueHandle, Lookup, Validation};
use crate::jql::plan::{HistoryWindow, Plan};

/// 2026-03-18 15:30 UTC, a Wednesday.
pub(super) const NOW: i64 = 1_773_847_800_000;
pub(super) const DAY: i64 = 86_400_000;
/// Midnight starting [`NOW`]'s day.
pub(super) const TODAY: i64 = 1_773_792_000_000;

pub(super) const ALICE: UserId = UserId(7);
pub(super) const BOB: UserId = UserId(8);

/// Ids the history calls answer.
pub(super) const HISTORY_HITS: [i64; 2] = [100, 101];

/// A history question: field, values (`None` for `CHANGED`) and window.
pub(super) type HistoryCall = (String, Option<Vec<String>>, HistoryWindow);

pub(super) struct Fake {
    pub caller: Option<UserId>,
    pub projects: Vec<Project>,
    pub issue_types: Vec<IssueType>,
    pub statuses: Vec<Status>,
    pub status_categories: Vec<StatusCategory>,
    pub priorities: Vec<Priority>,
    pub resolutions: Vec<Resolution>,
    pub link_types: Vec<LinkType>,
    pub custom_fields: Vec<CustomField>,
    pub users: Vec<User>,
    pub groups: Vec<(String, Vec<UserId>)>,
    pub components: Vec<Component>,
    pub versions: Vec<Version>,
    pub issues: Vec<IssueHandle>,
    pub links: Vec<IssueLink>,
    /// (user, issue) pairs of watchers.
    pub watching: Vec<(UserId, i64)>,
    /// `(field, values, window)` of every `was` call; `changed` records no values.
    pub history_calls: RefCell<Vec<HistoryCall>>,
    /// The caller's zone (UTC unless a test moves them).
    pub time_zone: jiff::tz::TimeZone,
}

fn project(id: i64, key: &str, name: &str) -> Project {
    Project {
        id: ProjectId(id),
        key: key.into(),
        name: name.into(),
        description: String::new(),
        lead_id: ALICE,
        project_type_key: "software".into(),
        assignee_type: "UNASSIGNED".into(),
        url: String::new(),
        category_id: None,
        permission_scheme_id: 1,
        workflow_id: 1,
    }
}

fn user(id: UserId, login: &str, name: &str) -> User {
    User {
        id,
        account_id: format!("acc-{login}"),
        username: login.into(),
        email: format!("{login}@example.com"),
        display_name: name.into(),
        active: true,
        time_zone: "UTC".into(),
        locale: "en_US".into(),
    }
}

fn issue_type(id: i64, name: &str, subtask: bool) -> IssueType {
    IssueType {
        id,
        name: name.into(),
        description: String::new(),
        subtask,
        hierarchy_level: if subtask { -1 } else { 0 },
        avatar_id: 0,
    }
}

fn status(id: i64, name: &str, category_id: i64) -> Status {
    Status {
        id,
        name: name.into(),
        description: String::new(),
        category_id,
    }
}

fn category(id: i64, key: &str, name: &str) -> StatusCategory {
    StatusCategory {
        id,
        key: key.into(),
        name: name.into(),
        color_name: String::new(),
    }
}

fn priority(id: i64, name: &str) -> Priority {
    Priority {
        id,
        name: name.into(),
        description: String::new(),
        status_color: String::new(),
        icon: String::new(),
        is_default: false,
    }
}

fn custom(id: i64, name: &str, kind: CustomFieldKind, options: &[(i64, &str)]) -> CustomField {
    CustomField {
        id,
        name: name.into(),
        description: String::new(),
        kind,
        options: options
            .iter()
            .map(|(id, value)| CustomFieldOption {
                id: *id,
                value: (*value).into(),
                disabled: false,
            })
            .collect(),
    }
}

fn version(id: i64, name: &str, released: bool, archived: bool) -> Version {
    Version {
        id,
        project_id: ProjectId(1),
        name: name.into(),
        description: String::new(),
        archived,
        released,
        start_date: None,
        release_date: None,
    }
}

fn handle(id: i64, project: i64, key: &str) -> IssueHandle {
    IssueHandle {
        id: IssueId(id),
        project_id: ProjectId(project),
        key: key.into(),
    }
}

impl Fake {
    /// Two browsable projects (ABC, XYZ), Alice and Bob, a small catalogue; issue
    /// ZZZ-9 exists in a project the caller cannot browse. Alice is the caller.
    // One literal holding the whole fixture: long, but read top to bottom.
    pub fn new() -> Fake {
        Fake {
            time_zone: jiff::tz::TimeZone::UTC,
            caller: Some(ALICE),
            projects: vec![project(1, "ABC", "Alpha"), project(2, "XYZ", "Xylophone")],
            issue_types: vec![
                issue_type(1, "Bug", false),
                issue_type(2, "Task", false),
                issue_type(3, "Sub-task", true),
            ],
            statuses: vec![
                status(1, "Open", 2),
                status(3, "In Progress", 4),
                status(5, "Done", 3),
            ],
            status_categories: vec![
                category(2, "new", "To Do"),
                category(4, "indeterminate", "In Progress"),
                category(3, "done", "Done"),
            ],
            priorities: vec![
                priority(1, "Highest"),
                priority(2, "High"),
                priority(3, "Medium"),
                priority(4, "Low"),
            ],
            resolutions: vec![
                Resolution {
                    id: 1,
                    name: "Fixed".into(),
                    description: String::new(),
                    is_default: true,
                },
                Resolution {
                    id: 2,
                    name: "Won't Do".into(),
                    description: String::new(),
                    is_default: false,
                },
            ],
            link_types: vec![LinkType {
                id: 10,
                name: "Blocks".into(),
                inward: "is blocked by".into(),
                outward: "blocks".into(),
            }],
            custom_fields: vec![
                custom(10001, "Story Points", CustomFieldKind::Number, &[]),
                custom(
                    10002,
                    "Team",
                    CustomFieldKind::Select,
                    &[(100, "Red"), (101, "Blue")],
                ),
                custom(10003, "Notes", CustomFieldKind::Text, &[]),
                custom(10004, "Reviewer", CustomFieldKind::User, &[]),
            ],
            users: vec![
                user(ALICE, "alice", "Alice Adams"),
                user(BOB, "bob", "Bob Brown"),
            ],
            groups: vec![("developers".into(), vec![ALICE, BOB])],
            components: vec![
                Component {
                    id: 20,
                    project_id: ProjectId(1),
                    name: "Backend".into(),
                    description: String::new(),
                    lead_id: Some(ALICE),
                    assignee_type: String::new(),
                },
                Component {
                    id: 21,
                    project_id: ProjectId(2),
                    name: "Frontend".into(),
                    description: String::new(),
                    lead_id: None,
                    assignee_type: String::new(),
                },
            ],
            versions: vec![
                version(30, "1.0", true, false),
                version(31, "1.1", true, false),
                version(32, "2.0", false, true),
                version(33, "3.0", false, false),
            ],
            issues: vec![
                handle(100, 1, "ABC-1"),
                handle(101, 1, "ABC-2"),
                handle(200, 2, "XYZ-12"),
                handle(300, 9, "ZZZ-9"),
            ],
            links: vec![IssueLink {
                id: 1,
                link_type_id: 10,
                source_id: IssueId(100),
                dest_id: IssueId(101),
            }],
            watching: vec![(ALICE, 101), (BOB, 200)],
            history_calls: RefCell::new(Vec::new()),
        }
    }

    pub fn anonymous() -> Fake {
        Fake {
            caller: None,
            ..Fake::new()
        }
    }
}

impl Lookup for Fake {
    type Error = Infallible;

    fn now(&self) -> i64 {
        NOW
    }
    fn time_zone(&self) -> &jiff::tz::TimeZone {
        &self.time_zone
    }
    fn caller(&self) -> Option<UserId> {
        self.caller
    }
    fn projects(&self) -> &[Project] {
        &self.projects
    }
    fn issue_types(&self) -> &[IssueType] {
        &self.issue_types
    }
    fn statuses(&self) -> &[Status] {
        &self.statuses
    }
    fn status_categories(&self) -> &[StatusCategory] {
        &self.status_categories
    }
    fn priorities(&self) -> &[Priority] {
        &self.priorities
    }
    fn resolutions(&self) -> &[Resolution] {
        &self.resolutions
    }
    fn link_types(&self) -> &[LinkType] {
        &self.link_types
    }
    fn custom_fields(&self) -> &[CustomField] {
        &self.custom_fields
    }
    /// Hours (`2h`) or minutes (a bare number) only: enough to see the value pass through.
    fn duration_seconds(&self, text: &str) -> Option<i64> {
        match text.strip_suffix('h') {
            Some(h) => h.parse::<i64>().ok().map(|h| h * 3600),
            None => text.parse::<i64>().ok().map(|m| m * 60),
        }
    }
    fn user_by_login(&self, login: &str) -> Result<Option<User>, Infallible> {
        Ok(self.users.iter().find(|u| u.username == login).cloned())
    }
    fn user_by_display_name(&self, name: &str) -> Result<Option<User>, Infallible> {
        Ok(self
            .users
            .iter()
            .find(|u| u.display_name.eq_ignore_ascii_case(name))
            .cloned())
    }
    fn group_members(&self, group: &str) -> Result<Option<Vec<UserId>>, Infallible> {
        Ok(self
            .groups
            .iter()
            .find(|(g, _)| g == group)
            .map(|(_, m)| m.clone()))
    }
    fn account_ids(&self, users: &[UserId]) -> Result<Vec<String>, Infallible> {
        Ok(self
            .users
            .iter()
            .filter(|u| users.contains(&u.id))
            .map(|u| u.account_id.clone())
            .collect())
    }
    /// Bob sorts before Alice, so the rank is visibly not the id order.
    fn users_in_order(&self) -> Result<Vec<UserId>, Infallible> {
        Ok(vec![BOB, ALICE])
    }
    fn components(&self, project: ProjectId) -> Result<Vec<Component>, Infallible> {
        Ok(self
            .components
            .iter()
            .filter(|c| c.project_id == project)
            .cloned()
            .collect())
    }
    fn versions(&self, project: ProjectId) -> Result<Vec<Version>, Infallible> {
        Ok(self
            .versions
            .iter()
            .filter(|v| v.project_id == project)
            .cloned()
            .collect())
    }
    fn issue(&self, key_or_id: &str) -> Result<Option<IssueHandle>, Infallible> {
        Ok(self
            .issues
            .iter()
            .find(|i| i.key.eq_ignore_ascii_case(key_or_id) || i.id.0.to_string() == key_or_id)
            .cloned())
    }
    fn links(&self, issue: IssueId) -> Result<Vec<IssueLink>, Infallible> {
        Ok(self
            .links
            .iter()
            .filter(|l| l.source_id == issue || l.dest_id == issue)
            .cloned()
            .collect())
    }
    fn issues_of(&self, set: Involvement, user: UserId) -> Result<Vec<i64>, Infallible> {
        Ok(match set {
            Involvement::Watching => self
                .watching
                .iter()
                .filter(|(u, _)| *u == user)
                .map(|(_, i)| *i)
                .collect(),
            Involvement::Voting => Vec::new(),
        })
    }
    /// Alice changed ABC-1; the bounds come back as ids to show they were passed.
    fn issues_updated_by(
        &self,
        user: UserId,
        from: Option<i64>,
        to: Option<i64>,
    ) -> Result<Vec<i64>, Infallible> {
        let mut out = if user == ALICE { vec![100] } else { vec![] };
        out.extend(from);
        out.extend(to);
        Ok(out)
    }
    fn changed(&self, field: &str, window: &HistoryWindow) -> Result<Vec<i64>, Infallible> {
        self.history_calls
            .borrow_mut()
            .push((field.into(), None, window.clone()));
        Ok(HISTORY_HITS.to_vec())
    }
    fn was(
        &self,
        field: &str,
        values: &[String],
        window: &HistoryWindow,
    ) -> Result<Vec<i64>, Infallible> {
        self.history_calls
            .borrow_mut()
            .push((field.into(), Some(values.to_vec()), window.clone()));
        Ok(HISTORY_HITS.to_vec())
    }
}

fn run(lookup: &Fake, src: &str, validation: Validation) -> Result<Plan, Vec<String>> {
    let query = crate::jql::parse(src).unwrap_or_else(|e| panic!("{src}: {}", e.message));
    match crate::jql::resolve(lookup, &query, validation) {
        Ok(result) => result,
        Err(never) => match never {},
    }
}

/// The plan of `src` for Alice, under strict validation.
pub(super) fn plan(src: &str) -> Plan {
    plan_with(&Fake::new(), src)
}

pub(super) fn plan_with(lookup: &Fake, src: &str) -> Plan {
    run(lookup, src, Validation::Strict).unwrap_or_else(|e| panic!("{src}: {e:?}"))
}

/// The predicate of `src`'s plan.
pub(super) fn predicate(src: &str) -> crate::jql::Predicate {
    plan(src).predicate
}

/// The messages resolving `src` gives under strict validation.
pub(super) fn errors(src: &str) -> Vec<String> {
    errors_with(Validation::Strict, src)
}

pub(super) fn errors_with(validation: Validation, src: &str) -> Vec<String> {
    match run(&Fake::new(), src, validation) {
        Ok(p) => panic!("{src} resolved to {p:?}"),
        Err(e) => e,
    }
}

/// Resolves with a validation mode that lets unknown values through.
pub(super) fn lenient(validation: Validation, src: &str) -> Plan {
    run(&Fake::new(), src, validation).unwrap_or_else(|e| panic!("{src}: {e:?}"))
}
