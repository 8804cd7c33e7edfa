//! JSM's wire objects, built from the service's views.

use serde_json::{Value, json};

use super::super::pct;
use crate::domain::servicedesk::*;
use crate::domain::*;
use crate::service::Catalog;
use crate::service::servicedesk::{DeskView, RequestTypeView, RequestView, SlaCycle, SlaMetric};

/// The API's own base, for `_links.base` and `self` links.
pub fn api(base: &str) -> String {
    format!("{base}/rest/servicedeskapi")
}

/// JSM's `DateDTO`.
pub fn date(m: Millis) -> Value {
    let jira = m.to_jira();
    // `2026-01-31T14:00:00.000+0000` → `2026-01-31T14:00:00+0000`.
    let iso = match (jira.get(..19), jira.get(23..)) {
        (Some(a), Some(b)) => format!("{a}{b}"),
        _ => jira.clone(),
    };
    let friendly = match (jira.get(..10), jira.get(11..16)) {
        (Some(d), Some(t)) => format!("{d} {t}"),
        _ => jira.clone(),
    };
    json!({"iso8601": iso, "jira": jira, "friendly": friendly, "epochMillis": m.0})
}

/// A duration as JSM shows it: `{millis, friendly}` (`2h 30m`, `-15m` when overdue).
pub fn duration(millis: i64) -> Value {
    let minutes = millis.abs() / 60_000;
    let (h, m) = (minutes / 60, minutes % 60);
    let sign = if millis < 0 { "-" } else { "" };
    let friendly = match (h, m) {
        (0, m) => format!("{sign}{m}m"),
        (h, 0) => format!("{sign}{h}h"),
        (h, m) => format!("{sign}{h}h {m}m"),
    };
    json!({"millis": millis, "friendly": friendly})
}

/// JSM's `UserDTO`.
pub fn user(base: &str, u: &User) -> Value {
    let rest = format!("{base}/rest/api/2/user?accountId={}", pct(&u.account_id));
    let avatar = format!("{base}/secure/useravatar?ownerId={}", pct(&u.username));
    json!({
        "accountId": u.account_id,
        "name": u.username,
        "key": u.username,
        "emailAddress": u.email,
        "displayName": u.display_name,
        "active": u.active,
        "timeZone": u.time_zone,
        "_links": {
            "jiraRest": rest,
            "avatarUrls": {"48x48": avatar, "24x24": avatar, "16x16": avatar, "32x32": avatar},
            "self": rest,
        },
    })
}

/// JSM's paged envelope around `values`; `path` is the list's address under the API
/// (with its query, without `start`/`limit`) for the `next`/`prev` links.
pub fn paged(
    base: &str,
    path: &str,
    start: i64,
    limit: i64,
    total: i64,
    values: Vec<Value>,
) -> Value {
    let size = values.len() as i64;
    let last = start + size >= total;
    let sep = if path.contains('?') { '&' } else { '?' };
    let link = |s: i64| format!("{}{path}{sep}start={s}&limit={limit}", api(base));
    let mut links = json!({"base": api(base), "context": ""});
    if !last {
        links["next"] = json!(link(start + size.max(limit)));
    }
    if start > 0 {
        links["prev"] = json!(link((start - limit).max(0)));
    }
    json!({
        "size": size,
        "start": start,
        "limit": limit,
        "isLastPage": last,
        "values": values,
        "_links": links,
    })
}

pub fn desk(base: &str, d: &DeskView) -> Value {
    json!({
        "id": d.desk.id.to_string(),
        "projectId": d.project.id.0.to_string(),
        "projectName": d.project.name,
        "projectKey": d.project.key,
        "_links": {"self": format!("{}/servicedesk/{}", api(base), d.desk.id)},
    })
}

fn icon(base: &str, id: i64) -> Value {
    let url = format!("{base}/secure/viewavatar?avatarType=SD_REQTYPE&avatarId={id}");
    json!({
        "id": id.to_string(),
        "_links": {"iconUrls": {"48x48": url, "24x24": url, "16x16": url, "32x32": url}},
    })
}

pub fn request_type(base: &str, t: &RequestTypeView) -> Value {
    let rt = &t.request_type;
    json!({
        "id": rt.id.to_string(),
        "_links": {"self": format!("{}/servicedesk/{}/requesttype/{}", api(base), rt.desk_id, rt.id)},
        "name": rt.name,
        "description": rt.description,
        "helpText": rt.help_text,
        "issueTypeId": rt.issue_type_id.to_string(),
        "serviceDeskId": rt.desk_id.to_string(),
        "portalId": rt.desk_id.to_string(),
        "groupIds": rt.group_ids.iter().map(|g| g.to_string()).collect::<Vec<_>>(),
        "icon": icon(base, rt.icon_id),
    })
}

pub fn group(g: &RequestTypeGroup) -> Value {
    json!({"id": g.id.to_string(), "name": g.name})
}

/// `RequestTypeFieldDTO`: `schema` is (type, items, system).
pub fn field(
    f: &RequestTypeField,
    values: &[(String, String)],
    schema: (String, Option<String>, Option<String>),
) -> Value {
    let (kind, items, system) = schema;
    let mut s = json!({"type": kind});
    if let Some(i) = items {
        s["items"] = json!(i);
    }
    if let Some(sys) = system {
        s["system"] = json!(sys);
    }
    json!({
        "fieldId": f.field_id,
        "name": f.label,
        "description": f.help,
        "required": f.required,
        "defaultValues": [],
        "validValues": values.iter().map(|(v, l)| json!({"value": v, "label": l, "children": []})).collect::<Vec<_>>(),
        "presetValues": [],
        "jiraSchema": s,
        "visible": true,
    })
}

/// `CustomerRequestStatusDTO`.
pub fn status(cat: &Catalog, status_id: i64, at: Millis) -> Value {
    let name = cat
        .status(status_id)
        .map(|s| s.name.clone())
        .unwrap_or_default();
    let category = cat
        .category_of_status(status_id)
        .map(|c| c.key.to_ascii_uppercase())
        .unwrap_or_else(|| "UNDEFINED".into());
    json!({"status": name, "statusCategory": category, "statusDate": date(at)})
}

/// The value of one form field on the request.
fn field_value(cat: &Catalog, issue: &Issue, field_id: &str) -> Value {
    match field_id {
        "summary" => json!(issue.summary),
        "description" => json!(issue.description),
        "environment" => json!(issue.environment),
        "duedate" => json!(issue.due_date),
        "labels" => json!(issue.labels),
        "priority" => match issue.priority_id.and_then(|p| cat.priority(p)) {
            Some(p) => json!({"id": p.id.to_string(), "name": p.name}),
            None => Value::Null,
        },
        _ => Value::Null,
    }
}

/// `CustomerRequestDTO` without expansions.
pub fn request(base: &str, cat: &Catalog, r: &RequestView) -> Value {
    let issue = &r.view.issue;
    let fields: Vec<Value> = r
        .fields
        .iter()
        .map(|f| {
            let mut v = json!({"fieldId": f.field_id, "label": f.label, "value": field_value(cat, issue, &f.field_id)});
            if f.field_id == "description"
                && let Some(d) = &issue.description
            {
                v["renderedValue"] = json!({"html": crate::markup::render(d)});
            }
            v
        })
        .collect();
    json!({
        "_expands": ["participant", "status", "sla", "requestType", "serviceDesk", "attachment", "action", "comment"],
        "issueId": issue.id.0.to_string(),
        "issueKey": issue.key,
        "requestTypeId": r.request.request_type_id.to_string(),
        "serviceDeskId": r.desk.id.to_string(),
        "createdDate": date(issue.created),
        "reporter": r.reporter.as_ref().map(|u| user(base, u)),
        "requestFieldValues": fields,
        "currentStatus": status(cat, issue.status_id, issue.status_changed.max(issue.created)),
        "_links": {
            "jiraRest": format!("{base}/rest/api/2/issue/{}", issue.id.0),
            "web": format!("{base}/servicedesk/customer/portal/{}/{}", r.desk.id, issue.key),
            "self": format!("{}/request/{}", api(base), issue.id.0),
        },
    })
}

/// `CommentDTO`.
pub fn comment(base: &str, r: &RequestView, c: &Comment, rendered: bool) -> Value {
    let author = c.author_id.and_then(|a| r.view.users.get(&a));
    let mut v = json!({
        "id": c.id.to_string(),
        "body": c.body,
        "public": c.visibility.is_none(),
        "author": author.map(|u| user(base, u)),
        "created": date(c.created),
        "_links": {"self": format!("{}/request/{}/comment/{}", api(base), r.view.issue.id.0, c.id)},
    });
    if rendered {
        v["renderedBody"] = json!({"html": crate::markup::render(&c.body)});
    }
    v
}

/// `AttachmentDTO`.
pub fn attachment(base: &str, a: &Attachment, author: Option<&User>) -> Value {
    json!({
        "filename": a.filename,
        "author": author.map(|u| user(base, u)),
        "created": date(a.created),
        "size": a.size,
        "mimeType": a.mime_type,
        "_links": {
            "jiraRest": format!("{base}/rest/api/2/attachment/{}", a.id),
            "content": format!("{base}/secure/attachment/{}/{}", a.id, pct(&a.filename)),
            "self": format!("{base}/rest/api/2/attachment/{}", a.id),
        },
    })
}

pub fn organization(base: &str, o: &Organization) -> Value {
    json!({
        "id": o.id.to_string(),
        "name": o.name,
        "_links": {"self": format!("{}/organization/{}", api(base), o.id)},
    })
}

fn cycle(c: &SlaCycle) -> Value {
    let mut v = json!({
        "startTime": date(c.start),
        "breachTime": date(c.breach_time),
        "breached": c.breached,
        "goalDuration": duration(c.goal_millis),
        "elapsedTime": duration(c.elapsed_millis),
        "remainingTime": duration(c.remaining_millis),
    });
    match c.stop {
        Some(s) => v["stopTime"] = date(s),
        None => {
            v["paused"] = json!(false);
            v["withinCalendarHours"] = json!(true);
        }
    }
    v
}

/// `SlaInformationDTO`.
pub fn sla(base: &str, issue: IssueId, m: &SlaMetric) -> Value {
    let mut v = json!({
        "id": m.goal.id.to_string(),
        "name": m.goal.name,
        "completedCycles": m.completed.iter().map(cycle).collect::<Vec<_>>(),
        "_links": {"self": format!("{}/request/{}/sla/{}", api(base), issue.0, m.goal.id)},
    });
    if let Some(c) = &m.ongoing {
        v["ongoingCycle"] = cycle(c);
    }
    v
}

pub fn queue(base: &str, q: &Queue, count: Option<i64>) -> Value {
    let mut v = json!({
        "id": q.id.to_string(),
        "name": q.name,
        "jql": q.jql,
        "fields": q.fields,
        "_links": {"self": format!("{}/servicedesk/{}/queue/{}", api(base), q.desk_id, q.id)},
    });
    if let Some(c) = count {
        v["issueCount"] = json!(c);
    }
    v
}
