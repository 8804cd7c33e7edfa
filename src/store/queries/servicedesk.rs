//! Service desks: desks, request types and their fields, requests, participants,
//! organizations, queues, SLA goals, notification choices and feedback.

use rusqlite::{OptionalExtension, params};

use super::{Db, Tx};
use crate::domain::servicedesk::*;
use crate::domain::*;
use crate::store::StoreResult;

/// The role id of `agent` or `customer` (see V19).
pub fn role(db: &Db, kind: &str) -> StoreResult<Option<i64>> {
    Ok(db
        .prepare_cached("SELECT role_id FROM sd_roles WHERE kind = ?1")?
        .query_row([kind], |r| r.get(0))
        .optional()?)
}

/// Creates a new `service_desk` project's desk with the default request types, queues
/// and SLA goals; the lead becomes an agent, and the Members role loses its default
/// everyone-group there, so only agents and customers reach the project.
pub fn create_desk(db: &Tx, project: ProjectId, lead_username: &str) -> StoreResult<i64> {
    let id = super::next_id(db, "sd_desks")?;
    db.execute(
        "INSERT INTO sd_desks (id, project_id) VALUES (?1, ?2)",
        params![id, project.0],
    )?;
    if let Some(agent) = role(db, "agent")? {
        super::projects::add_role_actor(db, project, agent, "user", lead_username)?;
    }
    super::projects::remove_role_actor(db, project, 10003, "group", "jira-users")?;
    let mut groups: Vec<(String, i64)> = Vec::new();
    for (pos, (name, description, help, issue_type, icon, group_names, fields)) in
        DEFAULT_TYPES.iter().enumerate()
    {
        let issue_type: i64 = db
            .prepare_cached("SELECT id FROM issue_types WHERE name = ?1")?
            .query_row([issue_type], |r| r.get(0))
            .optional()?
            .unwrap_or(10001);
        let rt = super::next_id(db, "sd_request_types")?;
        db.execute(
            "INSERT INTO sd_request_types (id, desk_id, name, description, help_text, issue_type_id, icon_id, position)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![rt, id, name, description, help, issue_type, icon, pos as i64],
        )?;
        for g in group_names.iter() {
            let gid = match groups.iter().find(|(n, _)| n == g) {
                Some((_, gid)) => *gid,
                None => {
                    let gid = super::next_id(db, "sd_request_type_groups")?;
                    db.execute(
                        "INSERT INTO sd_request_type_groups (id, desk_id, name, position) VALUES (?1, ?2, ?3, ?4)",
                        params![gid, id, g, groups.len() as i64],
                    )?;
                    groups.push((g.to_string(), gid));
                    gid
                }
            };
            db.execute(
                "INSERT INTO sd_request_type_group_members (request_type_id, group_id) VALUES (?1, ?2)",
                params![rt, gid],
            )?;
        }
        for (fpos, (field, label, help, required)) in fields.iter().enumerate() {
            db.execute(
                "INSERT INTO sd_request_type_fields (request_type_id, field_id, position, label, help, required)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![rt, field, fpos as i64, label, help, *required],
            )?;
        }
    }
    for (pos, (name, jql)) in DEFAULT_QUEUES.iter().enumerate() {
        let q = super::next_id(db, "sd_queues")?;
        db.execute(
            "INSERT INTO sd_queues (id, desk_id, name, jql, fields, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![q, id, name, jql, "issuetype,issuekey,summary,reporter,status,created", pos as i64],
        )?;
    }
    for (pos, (name, hours, start, stop)) in DEFAULT_SLAS.iter().enumerate() {
        let s = super::next_id(db, "sd_sla_goals")?;
        db.execute(
            "INSERT INTO sd_sla_goals (id, desk_id, name, goal_millis, start_on, stop_on, position)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                s,
                id,
                name,
                hours * 3_600_000,
                start.key(),
                stop.key(),
                pos as i64
            ],
        )?;
    }
    Ok(id)
}

fn desk_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ServiceDesk> {
    Ok(ServiceDesk {
        id: r.get(0)?,
        project_id: ProjectId(r.get(1)?),
    })
}

pub fn desks(db: &Db) -> StoreResult<Vec<ServiceDesk>> {
    let mut stmt = db.prepare_cached("SELECT id, project_id FROM sd_desks ORDER BY id")?;
    let rows = stmt.query_map([], desk_row)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn desk(db: &Db, id: i64) -> StoreResult<Option<ServiceDesk>> {
    Ok(db
        .prepare_cached("SELECT id, project_id FROM sd_desks WHERE id = ?1")?
        .query_row([id], desk_row)
        .optional()?)
}

pub fn desk_of_project(db: &Db, project: ProjectId) -> StoreResult<Option<ServiceDesk>> {
    Ok(db
        .prepare_cached("SELECT id, project_id FROM sd_desks WHERE project_id = ?1")?
        .query_row([project.0], desk_row)
        .optional()?)
}

fn type_row(db: &Db, r: &rusqlite::Row<'_>) -> rusqlite::Result<RequestType> {
    let id: i64 = r.get(0)?;
    let group_ids = db
        .prepare_cached(
            "SELECT m.group_id FROM sd_request_type_group_members m JOIN sd_request_type_groups g ON g.id = m.group_id
             WHERE m.request_type_id = ?1 ORDER BY g.position",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(RequestType {
        id,
        desk_id: r.get(1)?,
        name: r.get(2)?,
        description: r.get(3)?,
        help_text: r.get(4)?,
        issue_type_id: r.get(5)?,
        icon_id: r.get(6)?,
        group_ids,
    })
}

const TYPE_COLUMNS: &str = "SELECT id, desk_id, name, description, help_text, issue_type_id, icon_id FROM sd_request_types";

/// A desk's request types (every desk's with `None`), in portal order.
pub fn request_types(db: &Db, desk: Option<i64>) -> StoreResult<Vec<RequestType>> {
    let mut stmt = db.prepare_cached(&format!(
        "{TYPE_COLUMNS} WHERE ?1 IS NULL OR desk_id = ?1 ORDER BY desk_id, position, id"
    ))?;
    let rows = stmt
        .query_map([desk], |r| type_row(db, r))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn request_type(db: &Db, id: i64) -> StoreResult<Option<RequestType>> {
    Ok(db
        .prepare_cached(&format!("{TYPE_COLUMNS} WHERE id = ?1"))?
        .query_row([id], |r| type_row(db, r))
        .optional()?)
}

/// Adds a request type at the end of the desk's portal order, with the form every
/// request needs (a required summary, an optional description); returns its id.
pub fn insert_request_type(db: &Tx, desk: i64, t: &NewRequestType) -> StoreResult<i64> {
    let id = super::next_id(db, "sd_request_types")?;
    let position: i64 = db
        .prepare_cached(
            "SELECT coalesce(max(position) + 1, 0) FROM sd_request_types WHERE desk_id = ?1",
        )?
        .query_row([desk], |r| r.get(0))?;
    db.execute(
        "INSERT INTO sd_request_types (id, desk_id, name, description, help_text, issue_type_id, icon_id, position)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![id, desk, t.name, t.description, t.help_text, t.issue_type_id, DEFAULT_ICON, position],
    )?;
    for (pos, (field, label, required)) in [
        ("summary", "Summary", true),
        ("description", "Description", false),
    ]
    .iter()
    .enumerate()
    {
        db.execute(
            "INSERT INTO sd_request_type_fields (request_type_id, field_id, position, label, help, required)
             VALUES (?1, ?2, ?3, ?4, '', ?5)",
            params![id, field, pos as i64, label, *required],
        )?;
    }
    Ok(id)
}

/// Removes a request type, its form and its properties; requests raised with it keep
/// their issue and show no request type.
pub fn delete_request_type(db: &Tx, id: i64) -> StoreResult<()> {
    db.execute("DELETE FROM sd_request_types WHERE id = ?1", [id])?;
    db.execute(
        "DELETE FROM entity_properties WHERE entity_type = ?1 AND entity_id = ?2",
        params![REQUEST_TYPE_PROPERTIES, id],
    )?;
    Ok(())
}

pub fn request_type_groups(db: &Db, desk: i64) -> StoreResult<Vec<RequestTypeGroup>> {
    let mut stmt = db.prepare_cached(
        "SELECT id, desk_id, name FROM sd_request_type_groups WHERE desk_id = ?1 ORDER BY position, id",
    )?;
    let rows = stmt
        .query_map([desk], |r| {
            Ok(RequestTypeGroup {
                id: r.get(0)?,
                desk_id: r.get(1)?,
                name: r.get(2)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn request_type_fields(db: &Db, request_type: i64) -> StoreResult<Vec<RequestTypeField>> {
    let mut stmt = db.prepare_cached(
        "SELECT field_id, label, help, required, valid_values FROM sd_request_type_fields
         WHERE request_type_id = ?1 ORDER BY position",
    )?;
    let rows = stmt
        .query_map([request_type], |r| {
            let raw: String = r.get(4)?;
            Ok(RequestTypeField {
                field_id: r.get(0)?,
                label: r.get(1)?,
                help: r.get(2)?,
                required: r.get(3)?,
                valid_values: serde_json::from_str(&raw).unwrap_or_default(),
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn insert_request(db: &Tx, r: &Request) -> StoreResult<()> {
    db.execute(
        "INSERT INTO sd_requests (issue_id, desk_id, request_type_id, channel) VALUES (?1, ?2, ?3, ?4)",
        params![r.issue_id.0, r.desk_id, r.request_type_id, r.channel],
    )?;
    Ok(())
}

pub fn request(db: &Db, issue: IssueId) -> StoreResult<Option<Request>> {
    Ok(db
        .prepare_cached(
            "SELECT issue_id, desk_id, request_type_id, channel FROM sd_requests WHERE issue_id = ?1",
        )?
        .query_row([issue.0], |r| {
            Ok(Request {
                issue_id: IssueId(r.get(0)?),
                desk_id: r.get(1)?,
                request_type_id: r.get(2)?,
                channel: r.get(3)?,
            })
        })
        .optional()?)
}

/// Requests, most recently updated first, optionally of one desk and one request type.
pub fn request_ids(
    db: &Db,
    desk: Option<i64>,
    request_type: Option<i64>,
) -> StoreResult<Vec<IssueId>> {
    let mut stmt = db.prepare_cached(
        "SELECT r.issue_id FROM sd_requests r JOIN issues i ON i.id = r.issue_id
         WHERE (?1 IS NULL OR r.desk_id = ?1) AND (?2 IS NULL OR r.request_type_id = ?2)
         ORDER BY i.updated DESC, i.id DESC",
    )?;
    let rows = stmt
        .query_map(params![desk, request_type], |r| Ok(IssueId(r.get(0)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn participants(db: &Db, issue: IssueId) -> StoreResult<Vec<UserId>> {
    let mut stmt = db.prepare_cached(
        "SELECT user_id FROM sd_participants WHERE issue_id = ?1 ORDER BY user_id",
    )?;
    let rows = stmt
        .query_map([issue.0], |r| Ok(UserId(r.get(0)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn add_participant(db: &Tx, issue: IssueId, user: UserId) -> StoreResult<()> {
    db.execute(
        "INSERT OR IGNORE INTO sd_participants (issue_id, user_id) VALUES (?1, ?2)",
        params![issue.0, user.0],
    )?;
    Ok(())
}

pub fn remove_participant(db: &Tx, issue: IssueId, user: UserId) -> StoreResult<()> {
    db.execute(
        "DELETE FROM sd_participants WHERE issue_id = ?1 AND user_id = ?2",
        params![issue.0, user.0],
    )?;
    Ok(())
}

/// Whether the user participates in or approves the request, or it is shared with one
/// of their organizations (the reporter is checked by the caller, from the issue).
pub fn shares_request(db: &Db, issue: IssueId, user: UserId) -> StoreResult<bool> {
    Ok(db
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM sd_participants WHERE issue_id = ?1 AND user_id = ?2)
                 OR EXISTS (SELECT 1 FROM sd_request_orgs o JOIN sd_org_members m ON m.org_id = o.org_id
                            WHERE o.issue_id = ?1 AND m.user_id = ?2)
                 OR EXISTS (SELECT 1 FROM sd_approvals a JOIN sd_approvers p ON p.approval_id = a.id
                            WHERE a.issue_id = ?1 AND p.user_id = ?2)",
        )?
        .query_row(params![issue.0, user.0], |r| r.get(0))?)
}

/// The issues of `projects` a customer may see: reported by them, participated in, or
/// shared with one of their organizations.
pub fn customer_issue_ids(db: &Db, projects: &[i64], user: UserId) -> StoreResult<Vec<i64>> {
    let projects = serde_json::to_string(projects).unwrap_or_else(|_| "[]".into());
    let mut stmt = db.prepare_cached(
        "SELECT i.id FROM issues i WHERE i.project_id IN (SELECT value FROM json_each(?1)) AND (
             i.reporter_id = ?2
          OR i.id IN (SELECT issue_id FROM sd_participants WHERE user_id = ?2)
          OR i.id IN (SELECT o.issue_id FROM sd_request_orgs o JOIN sd_org_members m ON m.org_id = o.org_id
                      WHERE m.user_id = ?2)
          OR i.id IN (SELECT a.issue_id FROM sd_approvals a JOIN sd_approvers p ON p.approval_id = a.id
                      WHERE p.user_id = ?2))",
    )?;
    let rows = stmt
        .query_map(params![projects, user.0], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The users in the project's customer role (directly, not through groups).
pub fn customers(db: &Db, project: ProjectId) -> StoreResult<Vec<UserId>> {
    let mut stmt = db.prepare_cached(
        "SELECT u.id FROM users u JOIN project_role_actors a ON a.actor_value = u.username
         WHERE a.project_id = ?1 AND a.actor_type = 'user'
           AND a.role_id = (SELECT role_id FROM sd_roles WHERE kind = 'customer')
         ORDER BY u.id",
    )?;
    let rows = stmt
        .query_map([project.0], |r| Ok(UserId(r.get(0)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

fn org_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Organization> {
    Ok(Organization {
        id: r.get(0)?,
        name: r.get(1)?,
    })
}

pub fn insert_org(db: &Tx, name: &str) -> StoreResult<i64> {
    let id = super::next_id(db, "sd_organizations")?;
    db.execute(
        "INSERT INTO sd_organizations (id, name, created) VALUES (?1, ?2, ?3)",
        params![id, name, db.now().0],
    )?;
    Ok(id)
}

pub fn org_name_taken(db: &Db, name: &str) -> StoreResult<bool> {
    Ok(db
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM sd_organizations WHERE name = ?1)")?
        .query_row([name], |r| r.get(0))?)
}

pub fn org(db: &Db, id: i64) -> StoreResult<Option<Organization>> {
    Ok(db
        .prepare_cached("SELECT id, name FROM sd_organizations WHERE id = ?1")?
        .query_row([id], org_row)
        .optional()?)
}

/// Every organization, or those of one desk, or those a user belongs to.
pub fn orgs(db: &Db, desk: Option<i64>, member: Option<UserId>) -> StoreResult<Vec<Organization>> {
    let mut stmt = db.prepare_cached(
        "SELECT id, name FROM sd_organizations o
         WHERE (?1 IS NULL OR id IN (SELECT org_id FROM sd_desk_orgs WHERE desk_id = ?1))
           AND (?2 IS NULL OR id IN (SELECT org_id FROM sd_org_members WHERE user_id = ?2))
         ORDER BY id",
    )?;
    let rows = stmt
        .query_map(params![desk, member.map(|m| m.0)], org_row)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn delete_org(db: &Tx, id: i64) -> StoreResult<()> {
    db.execute("DELETE FROM sd_organizations WHERE id = ?1", [id])?;
    db.execute(
        "DELETE FROM entity_properties WHERE entity_type = ?1 AND entity_id = ?2",
        params![ORGANIZATION_PROPERTIES, id],
    )?;
    Ok(())
}

pub fn org_members(db: &Db, org: i64) -> StoreResult<Vec<UserId>> {
    let mut stmt =
        db.prepare_cached("SELECT user_id FROM sd_org_members WHERE org_id = ?1 ORDER BY user_id")?;
    let rows = stmt
        .query_map([org], |r| Ok(UserId(r.get(0)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn set_org_member(db: &Tx, org: i64, user: UserId, member: bool) -> StoreResult<()> {
    let sql = if member {
        "INSERT OR IGNORE INTO sd_org_members (org_id, user_id) VALUES (?1, ?2)"
    } else {
        "DELETE FROM sd_org_members WHERE org_id = ?1 AND user_id = ?2"
    };
    db.execute(sql, params![org, user.0])?;
    Ok(())
}

pub fn set_desk_org(db: &Tx, desk: i64, org: i64, linked: bool) -> StoreResult<()> {
    let sql = if linked {
        "INSERT OR IGNORE INTO sd_desk_orgs (desk_id, org_id) VALUES (?1, ?2)"
    } else {
        "DELETE FROM sd_desk_orgs WHERE desk_id = ?1 AND org_id = ?2"
    };
    db.execute(sql, params![desk, org])?;
    Ok(())
}

pub fn share_with_org(db: &Tx, issue: IssueId, org: i64) -> StoreResult<()> {
    db.execute(
        "INSERT OR IGNORE INTO sd_request_orgs (issue_id, org_id) VALUES (?1, ?2)",
        params![issue.0, org],
    )?;
    Ok(())
}

pub fn request_orgs(db: &Db, issue: IssueId) -> StoreResult<Vec<i64>> {
    let mut stmt = db
        .prepare_cached("SELECT org_id FROM sd_request_orgs WHERE issue_id = ?1 ORDER BY org_id")?;
    let rows = stmt
        .query_map([issue.0], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

fn queue_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Queue> {
    let fields: String = r.get(4)?;
    Ok(Queue {
        id: r.get(0)?,
        desk_id: r.get(1)?,
        name: r.get(2)?,
        jql: r.get(3)?,
        fields: fields.split(',').map(str::to_string).collect(),
    })
}

pub fn queues(db: &Db, desk: i64) -> StoreResult<Vec<Queue>> {
    let mut stmt = db.prepare_cached(
        "SELECT id, desk_id, name, jql, fields FROM sd_queues WHERE desk_id = ?1 ORDER BY position, id",
    )?;
    let rows = stmt
        .query_map([desk], queue_row)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn sla_goals(db: &Db, desk: i64) -> StoreResult<Vec<SlaGoal>> {
    let mut stmt = db.prepare_cached(
        "SELECT id, desk_id, name, goal_millis, start_on, stop_on FROM sd_sla_goals WHERE desk_id = ?1 ORDER BY position, id",
    )?;
    let rows = stmt
        .query_map([desk], |r| {
            let start: String = r.get(4)?;
            let stop: String = r.get(5)?;
            Ok(SlaGoal {
                id: r.get(0)?,
                desk_id: r.get(1)?,
                name: r.get(2)?,
                goal_millis: r.get(3)?,
                start_on: SlaEvent::parse(&start).unwrap_or(SlaEvent::Created),
                stop_on: SlaEvent::parse(&stop).unwrap_or(SlaEvent::Resolved),
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn subscription(db: &Db, issue: IssueId, user: UserId) -> StoreResult<Option<bool>> {
    Ok(db
        .prepare_cached(
            "SELECT subscribed FROM sd_subscriptions WHERE issue_id = ?1 AND user_id = ?2",
        )?
        .query_row(params![issue.0, user.0], |r| r.get(0))
        .optional()?)
}

pub fn set_subscription(db: &Tx, issue: IssueId, user: UserId, on: bool) -> StoreResult<()> {
    db.execute(
        "INSERT INTO sd_subscriptions (issue_id, user_id, subscribed) VALUES (?1, ?2, ?3)
         ON CONFLICT (issue_id, user_id) DO UPDATE SET subscribed = excluded.subscribed",
        params![issue.0, user.0, on],
    )?;
    Ok(())
}

pub fn feedback(db: &Db, issue: IssueId) -> StoreResult<Option<Feedback>> {
    Ok(db
        .prepare_cached("SELECT issue_id, user_id, rating, comment, created FROM sd_feedback WHERE issue_id = ?1")?
        .query_row([issue.0], |r| {
            Ok(Feedback {
                issue_id: IssueId(r.get(0)?),
                user_id: r.get::<_, Option<i64>>(1)?.map(UserId),
                rating: r.get(2)?,
                comment: r.get(3)?,
                created: Millis(r.get(4)?),
            })
        })
        .optional()?)
}

pub fn set_feedback(db: &Tx, f: &Feedback) -> StoreResult<()> {
    db.execute(
        "INSERT INTO sd_feedback (issue_id, user_id, rating, comment, created) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![f.issue_id.0, f.user_id.map(|u| u.0), f.rating, f.comment, f.created.0],
    )?;
    Ok(())
}

pub fn delete_feedback(db: &Tx, issue: IssueId) -> StoreResult<bool> {
    Ok(db.execute("DELETE FROM sd_feedback WHERE issue_id = ?1", [issue.0])? > 0)
}

/// Requests the user participates in.
pub fn participated(db: &Db, user: UserId) -> StoreResult<Vec<i64>> {
    let mut stmt = db.prepare_cached("SELECT issue_id FROM sd_participants WHERE user_id = ?1")?;
    let rows = stmt
        .query_map([user.0], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Requests shared with the user's organizations (or with one of them).
pub fn shared_with_orgs_of(db: &Db, user: UserId, org: Option<i64>) -> StoreResult<Vec<i64>> {
    let mut stmt = db.prepare_cached(
        "SELECT DISTINCT o.issue_id FROM sd_request_orgs o JOIN sd_org_members m ON m.org_id = o.org_id
         WHERE m.user_id = ?1 AND (?2 IS NULL OR o.org_id = ?2)",
    )?;
    let rows = stmt
        .query_map(params![user.0, org], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn mark_internal_attachment(db: &Tx, attachment: i64) -> StoreResult<()> {
    db.execute(
        "INSERT OR IGNORE INTO sd_internal_attachments (attachment_id) VALUES (?1)",
        [attachment],
    )?;
    Ok(())
}

pub fn is_internal_attachment(db: &Db, attachment: i64) -> StoreResult<bool> {
    Ok(db
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM sd_internal_attachments WHERE attachment_id = ?1)",
        )?
        .query_row([attachment], |r| r.get(0))?)
}

pub fn insert_approval(
    db: &Tx,
    issue: IssueId,
    name: &str,
    approvers: &[UserId],
) -> StoreResult<i64> {
    let id = super::next_id(db, "sd_approvals")?;
    db.execute(
        "INSERT INTO sd_approvals (id, issue_id, name, created) VALUES (?1, ?2, ?3, ?4)",
        params![id, issue.0, name, db.now().0],
    )?;
    for u in approvers {
        db.execute(
            "INSERT OR IGNORE INTO sd_approvers (approval_id, user_id) VALUES (?1, ?2)",
            params![id, u.0],
        )?;
    }
    Ok(id)
}

pub fn approvals(db: &Db, issue: IssueId) -> StoreResult<Vec<Approval>> {
    let mut stmt = db.prepare_cached(
        "SELECT id, issue_id, name, decision, created, completed FROM sd_approvals WHERE issue_id = ?1 ORDER BY id",
    )?;
    let mut rows: Vec<Approval> = stmt
        .query_map([issue.0], |r| {
            let decision: Option<String> = r.get(3)?;
            Ok(Approval {
                id: r.get(0)?,
                issue_id: IssueId(r.get(1)?),
                name: r.get(2)?,
                decision: decision.as_deref().and_then(Decision::parse),
                created: Millis(r.get(4)?),
                completed: r.get::<_, Option<i64>>(5)?.map(Millis),
                approvers: Vec::new(),
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut who = db.prepare_cached(
        "SELECT user_id, decision FROM sd_approvers WHERE approval_id = ?1 ORDER BY user_id",
    )?;
    for a in &mut rows {
        a.approvers = who
            .query_map([a.id], |r| {
                let d: Option<String> = r.get(1)?;
                Ok((UserId(r.get(0)?), d.as_deref().and_then(Decision::parse)))
            })?
            .collect::<Result<_, _>>()?;
    }
    Ok(rows)
}

/// Records an approver's decision, which (the first one) completes the approval.
pub fn decide(db: &Tx, approval: i64, user: UserId, decision: Decision) -> StoreResult<()> {
    db.execute(
        "UPDATE sd_approvers SET decision = ?3 WHERE approval_id = ?1 AND user_id = ?2",
        params![approval, user.0, decision.key()],
    )?;
    db.execute(
        "UPDATE sd_approvals SET decision = ?2, completed = ?3 WHERE id = ?1 AND decision IS NULL",
        params![approval, decision.key(), db.now().0],
    )?;
    Ok(())
}

/// The requests the user approves: (issue id, still waiting for them).
pub fn approver_of(db: &Db, user: UserId) -> StoreResult<Vec<(i64, bool)>> {
    let mut stmt = db.prepare_cached(
        "SELECT a.issue_id, a.decision IS NULL AND p.decision IS NULL FROM sd_approvals a
         JOIN sd_approvers p ON p.approval_id = a.id WHERE p.user_id = ?1",
    )?;
    let rows = stmt
        .query_map([user.0], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}
