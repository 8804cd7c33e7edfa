//! Jira Service Management's objects: a service desk over a `service_desk` project, its
//! request types (what customers may ask for, and the fields they fill), organizations
//! of customers, queues and SLA goals. A request is an issue of the desk's project.

use super::{IssueId, Millis, ProjectId, UserId};

/// The form field naming a request's approvers (not a Jira field: the desk keeps it).
pub const APPROVERS_FIELD: &str = "approvers";
/// The `requestFieldValues` key that shares a request with organizations (by id).
pub const SHARED_WITH_FIELD: &str = "organizations";

/// The project type whose projects have a service desk.
pub const PROJECT_TYPE: &str = "service_desk";

#[derive(Debug, Clone)]
pub struct ServiceDesk {
    pub id: i64,
    pub project_id: ProjectId,
}

#[derive(Debug, Clone)]
pub struct RequestTypeGroup {
    pub id: i64,
    pub desk_id: i64,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct RequestType {
    pub id: i64,
    pub desk_id: i64,
    pub name: String,
    pub description: String,
    pub help_text: String,
    pub issue_type_id: i64,
    pub icon_id: i64,
    pub group_ids: Vec<i64>,
}

/// A request type an administrator adds to a desk (`POST servicedesk/{id}/requesttype`).
#[derive(Debug, Clone)]
pub struct NewRequestType {
    pub name: String,
    pub description: String,
    pub help_text: String,
    pub issue_type_id: i64,
}

/// The icon of request types made through the API (the portal's generic one).
pub const DEFAULT_ICON: i64 = 10018;

/// `entity_properties.entity_type` of request type and organization properties.
pub const REQUEST_TYPE_PROPERTIES: &str = "sd_request_type";
pub const ORGANIZATION_PROPERTIES: &str = "sd_organization";

/// One field of a request type's form, in order.
#[derive(Debug, Clone)]
pub struct RequestTypeField {
    /// The Jira field behind it (`summary`, `description`, `priority`, `customfield_…`).
    pub field_id: String,
    pub label: String,
    pub help: String,
    pub required: bool,
    /// (value, label) pairs a customer may choose from; empty: free input.
    pub valid_values: Vec<(String, String)>,
}

/// The request record beside its issue.
#[derive(Debug, Clone)]
pub struct Request {
    pub issue_id: IssueId,
    pub desk_id: i64,
    pub request_type_id: i64,
    pub channel: String,
}

#[derive(Debug, Clone)]
pub struct Organization {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct Queue {
    pub id: i64,
    pub desk_id: i64,
    pub name: String,
    pub jql: String,
    pub fields: Vec<String>,
}

/// What starts or stops an SLA clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlaEvent {
    Created,
    /// The first comment by someone other than the reporter (an agent's answer).
    FirstAgentComment,
    Resolved,
}

impl SlaEvent {
    pub fn key(self) -> &'static str {
        match self {
            SlaEvent::Created => "created",
            SlaEvent::FirstAgentComment => "first_agent_comment",
            SlaEvent::Resolved => "resolved",
        }
    }
    pub fn parse(key: &str) -> Option<SlaEvent> {
        [
            SlaEvent::Created,
            SlaEvent::FirstAgentComment,
            SlaEvent::Resolved,
        ]
        .into_iter()
        .find(|e| e.key() == key)
    }
}

#[derive(Debug, Clone)]
pub struct SlaGoal {
    pub id: i64,
    pub desk_id: i64,
    pub name: String,
    pub goal_millis: i64,
    pub start_on: SlaEvent,
    pub stop_on: SlaEvent,
}

/// A customer's rating of a resolved request.
#[derive(Debug, Clone)]
pub struct Feedback {
    pub issue_id: IssueId,
    pub user_id: Option<UserId>,
    pub rating: i64,
    pub comment: Option<String>,
    pub created: Millis,
}

/// A new desk's request types: (name, description, help text, issue type name, icon id,
/// group names, fields as (field id, label, help, required)).
pub type DefaultType = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static [&'static str],
    &'static [(&'static str, &'static str, &'static str, bool)],
);

/// The request types every new desk starts with, as JSM's IT service desk template has.
pub const DEFAULT_TYPES: &[DefaultType] = &[
    (
        "Get IT help",
        "Get assistance for general IT problems and questions.",
        "We'll get back to you as soon as we can.",
        "Task",
        10018,
        &["Common Requests", "Technical support"],
        &[
            ("summary", "Summarize the problem", "", true),
            (
                "description",
                "Describe the problem",
                "Give as much detail as you can.",
                false,
            ),
        ],
    ),
    (
        "Fix an account problem",
        "Having trouble accessing certain websites or systems? We'll help you out.",
        "",
        "Bug",
        10019,
        &["Logins and Accounts"],
        &[
            ("summary", "What is the problem?", "", true),
            ("description", "Which system and what happens?", "", false),
            ("priority", "How urgent is it?", "", false),
        ],
    ),
    (
        "Request new hardware",
        "For example, a new mouse or monitor.",
        "",
        "Task",
        10020,
        &["Common Requests", "Computers"],
        &[
            ("summary", "What do you need?", "", true),
            ("description", "Why do you need this?", "", false),
            ("duedate", "When do you need it by?", "", false),
            (
                APPROVERS_FIELD,
                "Who approves it?",
                "Name the people who approve the purchase.",
                false,
            ),
        ],
    ),
];

/// A new desk's queues: (name, JQL after `project = KEY AND`).
pub const DEFAULT_QUEUES: &[(&str, &str)] = &[
    ("All open", "resolution = EMPTY ORDER BY created DESC"),
    (
        "Assigned to me",
        "assignee = currentUser() AND resolution = EMPTY ORDER BY created DESC",
    ),
    (
        "Unassigned issues",
        "assignee is EMPTY AND resolution = EMPTY ORDER BY created DESC",
    ),
];

/// A new desk's SLA goals: (name, goal in hours, start, stop).
pub const DEFAULT_SLAS: &[(&str, i64, SlaEvent, SlaEvent)] = &[
    (
        "Time to first response",
        4,
        SlaEvent::Created,
        SlaEvent::FirstAgentComment,
    ),
    (
        "Time to resolution",
        8,
        SlaEvent::Created,
        SlaEvent::Resolved,
    ),
];

/// A decision asked of a request's approvers; the first decision is final (JSM's
/// Approvers field with "one approver needed").
#[derive(Debug, Clone)]
pub struct Approval {
    pub id: i64,
    pub issue_id: IssueId,
    pub name: String,
    /// `None` while pending.
    pub decision: Option<Decision>,
    pub created: Millis,
    pub completed: Option<Millis>,
    /// Each approver and what they decided.
    pub approvers: Vec<(UserId, Option<Decision>)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approved,
    Declined,
}

impl Decision {
    pub fn key(self) -> &'static str {
        match self {
            Decision::Approved => "approved",
            Decision::Declined => "declined",
        }
    }
    pub fn parse(key: &str) -> Option<Decision> {
        match key {
            "approved" | "approve" => Some(Decision::Approved),
            "declined" | "decline" => Some(Decision::Declined),
            _ => None,
        }
    }
}
