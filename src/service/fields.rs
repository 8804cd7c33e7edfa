//! Issue fields: the system field table, and applying a client's `fields` and `update`
//! objects (Jira's value shapes) to an issue, with validation and a changelog diff.
//!
//! Everything here runs inside the write transaction, so lookups (users, components,
//! versions) and the change they validate are one atomic step.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::permissions::user_permissions;
use super::{Caller, Catalog, Permission, PermissionSet};
use crate::domain::*;
use crate::store::StoreResult;
use crate::store::queries::{Db, issues as iq, projects as pq, users as uq};

/// The answer for a parent that does not exist or is in another project.
const PARENT_NOT_FOUND: &str = "Could not find an issue by that id or key in this project.";

/// A system field: id, display name, schema type, item type, and what clients may do.
pub struct SystemField {
    pub id: &'static str,
    pub name: &'static str,
    pub schema_type: &'static str,
    pub items: Option<&'static str>,
    pub orderable: bool,
    pub navigable: bool,
    pub searchable: bool,
    pub clause_names: &'static [&'static str],
    /// Operations for editmeta/createmeta; empty = not settable.
    pub operations: &'static [&'static str],
}

macro_rules! sys {
    ($id:literal, $name:literal, $ty:literal, $items:expr, $ord:literal, $nav:literal, $search:literal, [$($c:literal),*], [$($op:literal),*]) => {
        SystemField { id: $id, name: $name, schema_type: $ty, items: $items, orderable: $ord, navigable: $nav, searchable: $search, clause_names: &[$($c),*], operations: &[$($op),*] }
    };
}

pub const SYSTEM_FIELDS: &[SystemField] = &[
    sys!(
        "summary",
        "Summary",
        "string",
        None,
        true,
        true,
        true,
        ["summary"],
        ["set"]
    ),
    sys!(
        "issuetype",
        "Issue Type",
        "issuetype",
        None,
        true,
        true,
        true,
        ["issuetype", "type"],
        ["set"]
    ),
    sys!(
        "project",
        "Project",
        "project",
        None,
        false,
        true,
        true,
        ["project"],
        ["set"]
    ),
    sys!(
        "description",
        "Description",
        "string",
        None,
        true,
        true,
        true,
        ["description"],
        ["set"]
    ),
    sys!(
        "environment",
        "Environment",
        "string",
        None,
        true,
        true,
        true,
        ["environment"],
        ["set"]
    ),
    sys!(
        "status",
        "Status",
        "status",
        None,
        false,
        true,
        true,
        ["status"],
        []
    ),
    sys!(
        "priority",
        "Priority",
        "priority",
        None,
        true,
        true,
        true,
        ["priority"],
        ["set"]
    ),
    sys!(
        "resolution",
        "Resolution",
        "resolution",
        None,
        true,
        true,
        true,
        ["resolution"],
        ["set"]
    ),
    sys!(
        "resolutiondate",
        "Resolved",
        "datetime",
        None,
        false,
        true,
        true,
        ["resolutiondate", "resolved"],
        []
    ),
    sys!(
        "assignee",
        "Assignee",
        "user",
        None,
        true,
        true,
        true,
        ["assignee"],
        ["set"]
    ),
    sys!(
        "reporter",
        "Reporter",
        "user",
        None,
        true,
        true,
        true,
        ["reporter"],
        ["set"]
    ),
    sys!(
        "creator",
        "Creator",
        "user",
        None,
        false,
        true,
        true,
        ["creator"],
        []
    ),
    sys!(
        "created",
        "Created",
        "datetime",
        None,
        false,
        true,
        true,
        ["created", "createdDate"],
        []
    ),
    sys!(
        "updated",
        "Updated",
        "datetime",
        None,
        false,
        true,
        true,
        ["updated", "updatedDate"],
        []
    ),
    sys!(
        "duedate",
        "Due date",
        "date",
        None,
        true,
        true,
        true,
        ["due", "duedate"],
        ["set"]
    ),
    sys!(
        "labels",
        "Labels",
        "array",
        Some("string"),
        true,
        true,
        true,
        ["labels"],
        ["add", "set", "remove"]
    ),
    sys!(
        "components",
        "Components",
        "array",
        Some("component"),
        true,
        true,
        true,
        ["component"],
        ["add", "set", "remove"]
    ),
    sys!(
        "fixVersions",
        "Fix versions",
        "array",
        Some("version"),
        true,
        true,
        true,
        ["fixVersion"],
        ["set", "add", "remove"]
    ),
    sys!(
        "versions",
        "Affects versions",
        "array",
        Some("version"),
        true,
        true,
        true,
        ["affectedVersion"],
        ["set", "add", "remove"]
    ),
    sys!(
        "parent",
        "Parent",
        "issuelink",
        None,
        false,
        false,
        true,
        ["parent"],
        ["set"]
    ),
    sys!(
        "subtasks",
        "Sub-tasks",
        "array",
        Some("issuelinks"),
        false,
        true,
        false,
        ["subtasks"],
        []
    ),
    sys!(
        "issuelinks",
        "Linked Issues",
        "array",
        Some("issuelinks"),
        false,
        true,
        true,
        ["issueLink"],
        []
    ),
    sys!(
        "comment",
        "Comment",
        "comments-page",
        None,
        false,
        false,
        true,
        ["comment"],
        ["add", "edit", "remove"]
    ),
    sys!(
        "watches",
        "Watchers",
        "watches",
        None,
        false,
        true,
        true,
        ["watchers"],
        []
    ),
    sys!(
        "votes",
        "Votes",
        "votes",
        None,
        false,
        true,
        true,
        ["votes"],
        []
    ),
    sys!(
        "worklog",
        "Log Work",
        "array",
        Some("worklog"),
        false,
        false,
        true,
        [],
        []
    ),
    sys!(
        "attachment",
        "Attachment",
        "array",
        Some("attachment"),
        false,
        true,
        true,
        ["attachments"],
        []
    ),
    sys!(
        "timetracking",
        "Time tracking",
        "timetracking",
        None,
        true,
        false,
        true,
        [],
        ["set", "edit"]
    ),
    sys!(
        "timeoriginalestimate",
        "Original Estimate",
        "number",
        None,
        false,
        true,
        true,
        ["originalEstimate"],
        []
    ),
    sys!(
        "timeestimate",
        "Remaining Estimate",
        "number",
        None,
        false,
        true,
        true,
        ["remainingEstimate"],
        []
    ),
    sys!(
        "timespent",
        "Time Spent",
        "number",
        None,
        false,
        true,
        true,
        ["timespent"],
        []
    ),
    sys!(
        "progress",
        "Progress",
        "progress",
        None,
        false,
        true,
        false,
        ["progress"],
        []
    ),
    sys!(
        "statuscategorychangedate",
        "Status Category Changed",
        "datetime",
        None,
        false,
        true,
        true,
        ["statusCategoryChangedDate"],
        []
    ),
    sys!(
        "lastViewed",
        "Last Viewed",
        "datetime",
        None,
        false,
        true,
        false,
        ["lastViewed"],
        []
    ),
    sys!(
        "security",
        "Security Level",
        "securitylevel",
        None,
        false,
        true,
        true,
        ["level"],
        []
    ),
];

pub fn system_field(id: &str) -> Option<&'static SystemField> {
    SYSTEM_FIELDS.iter().find(|f| f.id == id)
}

/// A comment requested through `update.comment` on edit or transition.
pub struct PendingComment {
    pub body: String,
}

pub struct Ctx<'a> {
    pub catalog: &'a Catalog,
    pub project: &'a Project,
    pub caller: &'a Caller,
    pub perms: PermissionSet,
    pub creating: bool,
    /// Fields a transition screen may set beyond the edit screen (resolution).
    pub transition: bool,
}

type Errors = BTreeMap<String, String>;

fn cannot_set(field: &str) -> String {
    format!("Field '{field}' cannot be set. It is not on the appropriate screen, or unknown.")
}

/// Reads an id given as a number or a numeric string.
fn as_id(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `{"id": ..}` or `{"name": ..}` (or `{"value": ..}`) resolved against a named list.
fn by_id_or_name<'a, T>(
    v: &Value,
    items: &'a [T],
    id: impl Fn(&T) -> i64,
    name: impl Fn(&T) -> &str,
) -> Result<&'a T, String> {
    let Some(obj) = v.as_object() else {
        return Err("expected an object with an 'id' or a 'name'".into());
    };
    if let Some(raw) = obj.get("id") {
        let wanted = as_id(raw).ok_or("the id must be a number")?;
        return items
            .iter()
            .find(|t| id(t) == wanted)
            .ok_or_else(|| format!("The id '{}' is not valid.", value_text(raw)));
    }
    if let Some(raw) = obj.get("name").or(obj.get("value")) {
        let wanted = raw.as_str().ok_or("the name must be a string")?;
        return items
            .iter()
            .find(|t| name(t).eq_ignore_ascii_case(wanted))
            .ok_or_else(|| format!("The name '{wanted}' is not valid."));
    }
    Err("expected an object with an 'id' or a 'name'".into())
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn opt_string(v: &Value) -> Result<Option<String>, String> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) if s.is_empty() => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        _ => Err("expected a string".into()),
    }
}

/// Resolves a user reference in any of Jira's shapes. `Ok(None)` means "nobody".
fn user_ref(db: &Db, v: &Value) -> StoreResult<Result<Option<User>, String>> {
    let key = match v {
        Value::Null => return Ok(Ok(None)),
        Value::String(s) => s.clone(),
        Value::Object(o) => {
            let raw = o
                .get("accountId")
                .or(o.get("name"))
                .or(o.get("key"))
                .or(o.get("emailAddress"));
            match raw {
                None | Some(Value::Null) => return Ok(Ok(None)),
                Some(Value::String(s)) => s.clone(),
                Some(_) => return Ok(Err("expected a user name or account id".into())),
            }
        }
        _ => return Ok(Err("expected a user object".into())),
    };
    if key.is_empty() {
        return Ok(Ok(None));
    }
    let found = match uq::by_username(db, &key)? {
        Some(u) => Some(u),
        None => match uq::by_account_id(db, &key)? {
            Some(u) => Some(u),
            None => uq::by_login(db, &key)?,
        },
    };
    Ok(match found {
        Some(u) if u.active => Ok(Some(u)),
        _ => Err(format!("User '{key}' does not exist.")),
    })
}

fn is_automatic(v: &Value) -> bool {
    let s = match v {
        Value::Object(o) => o
            .get("accountId")
            .or(o.get("name"))
            .and_then(|x| x.as_str()),
        Value::String(s) => Some(s.as_str()),
        _ => None,
    };
    s == Some("-1")
}

/// Parses Jira duration strings (`3h 20m`, `1d`, `2w`, bare minutes) into seconds.
pub fn parse_duration(raw: &str, hours_per_day: i64, days_per_week: i64) -> Option<i64> {
    let tt = TimeTracking {
        hours_per_day: hours_per_day as f64,
        days_per_week: days_per_week as f64,
        ..TimeTracking::default()
    };
    parse_duration_with(raw, &tt)
}

/// Parses a duration with the configured day and week lengths; a bare number is in the
/// configured default unit.
pub fn parse_duration_with(raw: &str, tt: &TimeTracking) -> Option<i64> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let day = tt.hours_per_day * 3600.0;
    let week = tt.days_per_week * day;
    if let Ok(n) = raw.parse::<f64>() {
        let unit = match tt.default_unit.as_str() {
            "week" => week,
            "day" => day,
            "hour" => 3600.0,
            _ => 60.0,
        };
        return (n >= 0.0 && n.is_finite()).then(|| (n * unit).round() as i64);
    }
    let mut total = 0i64;
    for part in raw.split_whitespace() {
        let (num, unit) = part.split_at(part.find(|c: char| c.is_ascii_alphabetic())?);
        let n: f64 = num.parse().ok()?;
        if n < 0.0 || !n.is_finite() {
            return None;
        }
        let secs = match unit {
            "w" => n * week,
            "d" => n * day,
            "h" => n * 3600.0,
            "m" => n * 60.0,
            _ => return None,
        };
        total += secs.round() as i64;
    }
    Some(total)
}

/// Formats seconds as Jira does: `1w 2d 3h 20m`.
pub fn format_duration(secs: i64, hours_per_day: i64, days_per_week: i64) -> String {
    let tt = TimeTracking {
        hours_per_day: hours_per_day as f64,
        days_per_week: days_per_week as f64,
        ..TimeTracking::default()
    };
    format_duration_with(secs, &tt)
}

/// Formats seconds with the configured day and week lengths (`pretty`: `1w 2d 3h 20m`);
/// `days` and `hours` formats show one decimal unit (`1.5d`, `12h`).
pub fn format_duration_with(secs: i64, tt: &TimeTracking) -> String {
    let secs = secs.max(0);
    let day = (tt.hours_per_day * 3600.0).round() as i64;
    let week = (tt.days_per_week * day as f64).round() as i64;
    let decimal = |v: f64, unit: &str| {
        let v = (v * 100.0).round() / 100.0;
        format!("{v}{unit}")
    };
    match tt.time_format.as_str() {
        "days" if day > 0 => return decimal(secs as f64 / day as f64, "d"),
        "hours" => return decimal(secs as f64 / 3600.0, "h"),
        _ => {}
    }
    let mut rest = secs / 60;
    let units = [("w", week / 60), ("d", day / 60), ("h", 60), ("m", 1)];
    let mut parts = Vec::new();
    for (name, size) in units {
        if rest >= size && size > 0 {
            parts.push(format!("{}{name}", rest / size));
            rest %= size;
        }
    }
    if parts.is_empty() {
        "0m".into()
    } else {
        parts.join(" ")
    }
}

/// Dates as clients send them: `2026-01-31` or Jira's `31/Jan/26`.
fn parse_date_input(raw: &str) -> Option<String> {
    if let Some(d) = crate::domain::time::parse_date(raw) {
        return Some(d.to_string());
    }
    // `time` cannot build a date from a two-digit year, so split `31/Jan/26` by hand.
    let mut parts = raw.trim().split('/');
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !(1..=2).contains(&day.len()) || !matches!(year.len(), 2 | 4) {
        return None;
    }
    let day: u8 = day.parse().ok()?;
    let month = ::time::Month::January.nth_next(
        [
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ]
        .iter()
        .position(|m| m.eq_ignore_ascii_case(month))? as u8,
    );
    let year: i32 = year.parse().ok()?;
    // Two-digit years: Jira's pivot puts 00-49 in this century.
    let year = if year < 50 {
        2000 + year
    } else if year < 100 {
        1900 + year
    } else {
        year
    };
    ::time::Date::from_calendar_date(year, month, day)
        .ok()
        .map(|d| d.to_string())
}

fn parse_datetime_input(raw: &str) -> Option<Millis> {
    if let Some(m) = Millis::parse(raw) {
        return Some(m);
    }
    // `06/Jul/11 3:25 PM`
    let (date, time) = raw.trim().split_once(' ')?;
    let date = parse_date_input(date)?;
    let date = crate::domain::time::parse_date(&date)?;
    let fmt = ::time::macros::format_description!(
        "[hour repr:12 padding:none]:[minute] [period case_sensitive:false]"
    );
    let t = ::time::Time::parse(time.trim(), fmt).ok()?;
    Some(Millis(
        (date.with_time(t).assume_utc().unix_timestamp()) * 1000,
    ))
}

/// Applies `fields` then `update` to `issue`. Field errors go to `errors`; the returned
/// comments are to be added after the issue is stored.
pub fn apply(
    db: &Db,
    ctx: &Ctx<'_>,
    issue: &mut Issue,
    fields: &Map<String, Value>,
    update: &Map<String, Value>,
    errors: &mut Errors,
) -> StoreResult<Vec<PendingComment>> {
    for (key, value) in fields {
        if update.contains_key(key) {
            errors.insert(
                key.clone(),
                format!("Field '{key}' cannot be given in both 'fields' and 'update'."),
            );
            continue;
        }
        set_field(db, ctx, issue, key, value, errors)?;
    }
    let mut comments = Vec::new();
    for (key, ops) in update {
        let Some(ops) = ops.as_array() else {
            errors.insert(key.clone(), "The update operations must be a list.".into());
            continue;
        };
        for op in ops {
            let Some((verb, arg)) = op
                .as_object()
                .filter(|o| o.len() == 1)
                .and_then(|o| o.iter().next())
            else {
                errors.insert(
                    key.clone(),
                    "Each operation must be an object with one verb: set, add, remove or edit."
                        .into(),
                );
                continue;
            };
            apply_op(db, ctx, issue, key, verb, arg, errors, &mut comments)?;
        }
    }
    Ok(comments)
}

fn apply_op(
    db: &Db,
    ctx: &Ctx<'_>,
    issue: &mut Issue,
    key: &str,
    verb: &str,
    arg: &Value,
    errors: &mut Errors,
    comments: &mut Vec<PendingComment>,
) -> StoreResult<()> {
    if key == "comment" {
        match (verb, arg.get("body").and_then(|b| b.as_str())) {
            ("add", Some(body)) if !body.trim().is_empty() => {
                if !ctx.perms.has(Permission::AddComments) {
                    errors.insert(
                        "comment".into(),
                        "You do not have the permission to comment on this issue.".into(),
                    );
                } else {
                    comments.push(PendingComment {
                        body: body.to_string(),
                    });
                }
            }
            ("add", _) => {
                errors.insert("comment".into(), "Comment body can not be empty!".into());
            }
            _ => {
                errors.insert(
                    "comment".into(),
                    format!("The operation '{verb}' is not supported for comments here."),
                );
            }
        }
        return Ok(());
    }
    // Time tracking's `edit` changes only the estimates it names, which `set` already does.
    if verb == "set" || (verb == "edit" && key == "timetracking") {
        return set_field(db, ctx, issue, key, arg, errors);
    }
    let multi = matches!(key, "labels" | "components" | "fixVersions" | "versions")
        || ctx
            .catalog
            .custom_field_by_key(key)
            .is_some_and(|f| f.kind.is_multi());
    if !multi || !matches!(verb, "add" | "remove") {
        if system_field(key).is_some() || ctx.catalog.custom_field_by_key(key).is_some() {
            errors.insert(
                key.into(),
                format!("The operation '{verb}' is not supported by field '{key}'."),
            );
        } else {
            errors.insert(key.into(), cannot_set(key));
        }
        return Ok(());
    }
    // add/remove on a multi-valued field: compute the new full value and set it.
    let current = current_multi(ctx, issue, key);
    let single = single_multi_value(db, ctx, issue, key, arg)?;
    let item = match single {
        Ok(v) => v,
        Err(e) => {
            errors.insert(key.into(), e);
            return Ok(());
        }
    };
    let mut next = current;
    if verb == "add" {
        if !next.contains(&item) {
            next.push(item);
        }
    } else {
        next.retain(|x| x != &item);
    }
    set_multi(ctx, issue, key, next);
    Ok(())
}

/// A multi-valued field's current value as comparable JSON items.
fn current_multi(ctx: &Ctx<'_>, issue: &Issue, key: &str) -> Vec<Value> {
    match key {
        "labels" => issue
            .labels
            .iter()
            .map(|l| Value::from(l.clone()))
            .collect(),
        "components" => issue
            .component_ids
            .iter()
            .map(|&i| Value::from(i))
            .collect(),
        "fixVersions" => issue
            .fix_version_ids
            .iter()
            .map(|&i| Value::from(i))
            .collect(),
        "versions" => issue
            .affected_version_ids
            .iter()
            .map(|&i| Value::from(i))
            .collect(),
        _ => {
            let Some(f) = ctx.catalog.custom_field_by_key(key) else {
                return Vec::new();
            };
            match issue
                .custom
                .iter()
                .find(|(id, _)| *id == f.id)
                .map(|(_, v)| v)
            {
                Some(FieldValue::Options(o)) => o.iter().map(|&i| Value::from(i)).collect(),
                Some(FieldValue::Labels(l)) => l.iter().map(|x| Value::from(x.clone())).collect(),
                _ => Vec::new(),
            }
        }
    }
}

fn set_multi(ctx: &Ctx<'_>, issue: &mut Issue, key: &str, items: Vec<Value>) {
    let ids = || items.iter().filter_map(|v| v.as_i64()).collect::<Vec<_>>();
    let strs = || {
        items
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect::<Vec<_>>()
    };
    match key {
        "labels" => issue.labels = strs(),
        "components" => issue.component_ids = ids(),
        "fixVersions" => issue.fix_version_ids = ids(),
        "versions" => issue.affected_version_ids = ids(),
        _ => {
            if let Some(f) = ctx.catalog.custom_field_by_key(key) {
                let value = if f.kind == CustomFieldKind::Labels {
                    FieldValue::Labels(strs())
                } else {
                    FieldValue::Options(ids())
                };
                set_custom(issue, f.id, Some(value));
            }
        }
    }
}

/// Resolves one element for add/remove on a multi-valued field.
fn single_multi_value(
    db: &Db,
    ctx: &Ctx<'_>,
    issue: &Issue,
    key: &str,
    arg: &Value,
) -> StoreResult<Result<Value, String>> {
    let list = Value::Array(vec![arg.clone()]);
    let resolved = resolve_multi(db, ctx, issue, key, &list)?;
    Ok(resolved.and_then(|mut v| v.pop().ok_or_else(|| "no value given".to_string())))
}

fn validate_label(l: &str) -> Result<String, String> {
    let l = l.trim();
    if l.is_empty() || l.chars().any(char::is_whitespace) {
        return Err("Labels cannot contain spaces.".into());
    }
    if l.chars().count() > 255 {
        return Err("The label must not exceed 255 characters.".into());
    }
    Ok(l.to_string())
}

/// Resolves a list value for a multi-valued field into comparable items (ids or labels).
fn resolve_multi(
    db: &Db,
    ctx: &Ctx<'_>,
    issue: &Issue,
    key: &str,
    value: &Value,
) -> StoreResult<Result<Vec<Value>, String>> {
    let items: Vec<Value> = match value {
        Value::Null => Vec::new(),
        Value::Array(a) => a.clone(),
        _ => return Ok(Err(format!("Field '{key}' expects a list."))),
    };
    let mut out = Vec::new();
    match key {
        "labels" => {
            for i in items {
                match i.as_str().map(validate_label) {
                    Some(Ok(l)) => out.push(Value::from(l)),
                    Some(Err(e)) => return Ok(Err(e)),
                    None => return Ok(Err("Labels must be strings.".into())),
                }
            }
        }
        "components" => {
            let all = pq::components(db, issue.project_id)?;
            for i in &items {
                match by_id_or_name(i, &all, |c| c.id, |c| &c.name) {
                    Ok(c) => out.push(Value::from(c.id)),
                    Err(_) => {
                        return Ok(Err(format!(
                            "Component '{}' is not valid for this project.",
                            ref_text(i)
                        )));
                    }
                }
            }
        }
        "fixVersions" | "versions" => {
            let all = pq::versions(db, issue.project_id)?;
            for i in &items {
                match by_id_or_name(i, &all, |v| v.id, |v| &v.name) {
                    Ok(v) => out.push(Value::from(v.id)),
                    Err(_) => {
                        return Ok(Err(format!(
                            "Version '{}' is not valid for this project.",
                            ref_text(i)
                        )));
                    }
                }
            }
        }
        _ => {
            let Some(f) = ctx.catalog.custom_field_by_key(key) else {
                return Ok(Err(cannot_set(key)));
            };
            for i in &items {
                if f.kind == CustomFieldKind::Labels {
                    match i.as_str().map(validate_label) {
                        Some(Ok(l)) => out.push(Value::from(l)),
                        Some(Err(e)) => return Ok(Err(e)),
                        None => return Ok(Err("Labels must be strings.".into())),
                    }
                } else {
                    match option_of(f, i) {
                        Ok(id) => out.push(Value::from(id)),
                        Err(e) => return Ok(Err(e)),
                    }
                }
            }
        }
    }
    let mut dedup = Vec::new();
    for v in out {
        if !dedup.contains(&v) {
            dedup.push(v);
        }
    }
    Ok(Ok(dedup))
}

fn ref_text(v: &Value) -> String {
    v.get("name")
        .or(v.get("id"))
        .or(v.get("value"))
        .map(value_text)
        .unwrap_or_else(|| value_text(v))
}

/// An option of a select field from `{"value": ..}`, `{"id": ..}`, or a bare id/value.
fn option_of(f: &CustomField, v: &Value) -> Result<i64, String> {
    let enabled = f.options.iter().filter(|o| !o.disabled);
    let found = match v {
        Value::Object(o) => match (o.get("id"), o.get("value")) {
            (Some(id), _) => as_id(id).and_then(|id| enabled.clone().find(|x| x.id == id)),
            (None, Some(Value::String(s))) => enabled.clone().find(|x| &x.value == s),
            _ => None,
        },
        Value::String(s) => enabled
            .clone()
            .find(|x| x.id.to_string() == *s || &x.value == s),
        Value::Number(_) => as_id(v).and_then(|id| enabled.clone().find(|x| x.id == id)),
        _ => None,
    };
    found
        .map(|o| o.id)
        .ok_or_else(|| format!("Option value '{}' is not valid", ref_text(v)))
}

fn set_custom(issue: &mut Issue, field: i64, value: Option<FieldValue>) {
    issue.custom.retain(|(id, _)| *id != field);
    if let Some(v) = value {
        issue.custom.push((field, v));
        issue.custom.sort_by_key(|(id, _)| *id);
    }
}

fn set_field(
    db: &Db,
    ctx: &Ctx<'_>,
    issue: &mut Issue,
    key: &str,
    value: &Value,
    errors: &mut Errors,
) -> StoreResult<()> {
    let cat = ctx.catalog;
    let mut fail = |msg: String| {
        errors.insert(key.to_string(), msg);
    };
    match key {
        "summary" => match value.as_str().map(str::trim) {
            Some("") | None => fail("You must specify a summary of the issue.".into()),
            Some(s) if s.chars().count() > 255 => {
                fail("Summary must be less than 255 characters.".into())
            }
            Some(s) => issue.summary = s.to_string(),
        },
        "description" => match opt_string(value) {
            Ok(v) => issue.description = v,
            Err(e) => fail(format!("Field 'description': {e}.")),
        },
        "environment" => match opt_string(value) {
            Ok(v) => issue.environment = v,
            Err(e) => fail(format!("Field 'environment': {e}.")),
        },
        "project" => {
            if !ctx.creating {
                fail(cannot_set(key));
            }
            // On create the project was resolved by the caller before this point.
        }
        "issuetype" => {
            match by_id_or_name(value, &cat.issue_types, |t| t.id, |t| &t.name) {
                Ok(t) => {
                    let current_sub = cat
                        .issue_type(issue.issue_type_id)
                        .is_some_and(|x| x.subtask);
                    if !ctx.creating && t.subtask != current_sub {
                        fail("Changing between a sub-task and a standard issue type is not supported.".into());
                    } else {
                        issue.issue_type_id = t.id;
                    }
                }
                Err(_) => fail("Specify a valid issue type".into()),
            }
        }
        "priority" => match value {
            Value::Null => issue.priority_id = None,
            _ => match by_id_or_name(value, &cat.priorities, |p| p.id, |p| &p.name) {
                Ok(p) => issue.priority_id = Some(p.id),
                Err(_) => fail(format!("Priority name '{}' is not valid", ref_text(value))),
            },
        },
        "resolution" => {
            if !ctx.transition && !ctx.creating && !cat.is_done(issue.status_id) {
                fail(cannot_set(key));
            } else {
                match value {
                    Value::Null => issue.resolution_id = None,
                    _ => match by_id_or_name(value, &cat.resolutions, |r| r.id, |r| &r.name) {
                        Ok(r) => issue.resolution_id = Some(r.id),
                        Err(_) => fail(format!("Resolution '{}' is not valid", ref_text(value))),
                    },
                }
            }
        }
        "assignee" => {
            if !ctx.perms.has(Permission::AssignIssues) && !ctx.creating {
                fail("You do not have permission to assign issues.".into());
            } else if is_automatic(value) {
                issue.assignee_id = default_assignee(ctx.project);
            } else {
                match user_ref(db, value)? {
                    Ok(None) => issue.assignee_id = None,
                    Ok(Some(u)) => {
                        if u.id != issue.assignee_id.unwrap_or(UserId(-1))
                            && !user_permissions(db, cat, &u, ctx.project)?
                                .has(Permission::AssignableUser)
                        {
                            fail(format!("User '{}' cannot be assigned issues.", u.username));
                        } else {
                            issue.assignee_id = Some(u.id);
                        }
                    }
                    Err(e) => fail(e),
                }
            }
        }
        "reporter" => match user_ref(db, value)? {
            Ok(u) => {
                let new = u.map(|u| u.id);
                if new != issue.reporter_id
                    && !ctx.perms.has(Permission::ModifyReporter)
                    && new != Some(ctx.caller.user.id)
                {
                    fail("You do not have permission to modify the reporter.".into());
                } else {
                    issue.reporter_id = new;
                }
            }
            Err(e) => fail(e),
        },
        "duedate" => match value {
            Value::Null => issue.due_date = None,
            Value::String(s) if s.is_empty() => issue.due_date = None,
            Value::String(s) => match parse_date_input(s) {
                Some(d) => issue.due_date = Some(d),
                None => fail("Error parsing date string: ".to_string() + s),
            },
            _ => fail("Error parsing date string.".into()),
        },
        "labels" | "components" | "fixVersions" | "versions" => {
            match resolve_multi(db, ctx, issue, key, value)? {
                Ok(items) => set_multi(ctx, issue, key, items),
                Err(e) => fail(e),
            }
        }
        "parent" => match value {
            Value::Null if !is_subtask(cat, issue) => issue.parent_id = None,
            _ => {
                let r = value
                    .get("key")
                    .and_then(|k| k.as_str())
                    .map(IssueRef::parse)
                    .or_else(|| value.get("id").and_then(as_id).map(IssueRef::Id));
                match r {
                    None => {
                        fail("The parent must be given as {\"key\": ...} or {\"id\": ...}.".into())
                    }
                    Some(r) => match iq::by_ref(db, &r)? {
                        Some(p) if p.project_id == issue.project_id && p.id != issue.id => {
                            let parent_type = cat.issue_type(p.issue_type_id);
                            if parent_type.is_some_and(|t| t.subtask) {
                                fail("A sub-task cannot be the parent of another issue.".into());
                            } else if !is_subtask(cat, issue)
                                && parent_type.is_none_or(|t| t.hierarchy_level < 1)
                            {
                                fail(
                                    "Only sub-tasks, or issues under an epic, can have a parent."
                                        .into(),
                                );
                            } else {
                                issue.parent_id = Some(p.id);
                            }
                        }
                        Some(p) if p.id == issue.id => {
                            fail("An issue cannot be its own parent.".into())
                        }
                        // An issue of another project is answered as a missing one, so
                        // the error never tells that an issue the caller may not see
                        // exists.
                        Some(_) | None => fail(PARENT_NOT_FOUND.into()),
                    },
                }
            }
        },
        "timetracking" => {
            let Some(obj) = value.as_object() else {
                fail("Time tracking expects an object with originalEstimate and/or remainingEstimate.".into());
                return Ok(());
            };
            for (name, target) in [("originalEstimate", 0), ("remainingEstimate", 1)] {
                let Some(raw) = obj.get(name) else { continue };
                let secs = match raw {
                    Value::Null => None,
                    Value::String(s) => match parse_duration_with(s, &cat.time_tracking) {
                        Some(v) => Some(v),
                        None => {
                            errors.insert(
                                "timetracking".into(),
                                format!("Invalid duration '{s}' for {name}."),
                            );
                            continue;
                        }
                    },
                    Value::Number(n) => n.as_i64().map(|m| m * 60),
                    _ => {
                        errors.insert("timetracking".into(), format!("Invalid {name}."));
                        continue;
                    }
                };
                if target == 0 {
                    issue.original_estimate = secs;
                    if !obj.contains_key("remainingEstimate") && issue.time_spent.is_none() {
                        issue.remaining_estimate = secs;
                    }
                } else {
                    issue.remaining_estimate = secs;
                }
            }
        }
        k if k.starts_with("customfield_") => match cat.custom_field_by_key(k) {
            None => fail(cannot_set(k)),
            Some(f) => match custom_value(db, f, value)? {
                Ok(v) => set_custom(issue, f.id, v),
                Err(e) => fail(e),
            },
        },
        other => fail(cannot_set(other)),
    }
    Ok(())
}

fn is_subtask(cat: &Catalog, issue: &Issue) -> bool {
    cat.issue_type(issue.issue_type_id)
        .is_some_and(|t| t.subtask)
}

pub fn default_assignee(project: &Project) -> Option<UserId> {
    (project.assignee_type == "PROJECT_LEAD").then_some(project.lead_id)
}

fn custom_value(
    db: &Db,
    f: &CustomField,
    v: &Value,
) -> StoreResult<Result<Option<FieldValue>, String>> {
    if v.is_null() {
        return Ok(Ok(None));
    }
    let name = &f.name;
    Ok(match f.kind {
        CustomFieldKind::Text | CustomFieldKind::Textarea | CustomFieldKind::Url => {
            match v.as_str() {
                Some("") => Ok(None),
                Some(s) if f.kind == CustomFieldKind::Text && s.chars().count() > 255 => {
                    Err(format!("{name}: the text must not exceed 255 characters."))
                }
                Some(s)
                    if f.kind == CustomFieldKind::Url
                        && !(s.starts_with("http://") || s.starts_with("https://")) =>
                {
                    Err(format!("{name}: not a valid URL."))
                }
                Some(s) => Ok(Some(FieldValue::Text(s.to_string()))),
                None => Err(format!("{name}: expected a string.")),
            }
        }
        CustomFieldKind::Number => match v {
            Value::Number(n) => n
                .as_f64()
                .map(|x| Some(FieldValue::Number(x)))
                .ok_or_else(|| format!("{name}: not a number.")),
            Value::String(s) => s
                .trim()
                .parse::<f64>()
                .map(|x| Some(FieldValue::Number(x)))
                .map_err(|_| format!("'{s}' is an invalid number")),
            _ => Err(format!("{name}: not a number.")),
        },
        CustomFieldKind::Date => match v.as_str().and_then(parse_date_input) {
            Some(d) => Ok(Some(FieldValue::Date(d))),
            None => Err(format!(
                "{name}: invalid date format. Please enter the date in the format \"yyyy-MM-dd\"."
            )),
        },
        CustomFieldKind::DateTime => match v.as_str().and_then(parse_datetime_input) {
            Some(m) => Ok(Some(FieldValue::DateTime(m))),
            None => Err(format!("{name}: invalid date-time format.")),
        },
        CustomFieldKind::Select => option_of(f, v).map(|id| Some(FieldValue::Option(id))),
        CustomFieldKind::MultiSelect => match v.as_array() {
            Some(items) => items
                .iter()
                .map(|i| option_of(f, i))
                .collect::<Result<Vec<_>, _>>()
                .map(|ids| Some(FieldValue::Options(ids))),
            None => Err(format!("{name}: expected a list of options.")),
        },
        CustomFieldKind::Labels => match v.as_array() {
            Some(items) => items
                .iter()
                .map(|i| {
                    i.as_str()
                        .ok_or_else(|| "Labels must be strings.".to_string())
                        .and_then(validate_label)
                })
                .collect::<Result<Vec<_>, _>>()
                .map(|l| Some(FieldValue::Labels(l))),
            None => Err(format!("{name}: expected a list of labels.")),
        },
        CustomFieldKind::User => match user_ref(db, v)? {
            Ok(u) => Ok(u.map(|u| FieldValue::User(u.id))),
            Err(e) => Err(e),
        },
    })
}

/// The changelog items between two states of an issue, in Jira's shapes.
pub fn diff(db: &Db, cat: &Catalog, old: &Issue, new: &Issue) -> StoreResult<Vec<ChangeItem>> {
    let mut items = Vec::new();
    let mut push = |field: &str,
                    field_id: &str,
                    ftype: &str,
                    from: Option<String>,
                    from_s: Option<String>,
                    to: Option<String>,
                    to_s: Option<String>| {
        items.push(ChangeItem {
            field: field.into(),
            field_type: ftype.into(),
            field_id: field_id.into(),
            from,
            from_string: from_s,
            to,
            to_string: to_s,
        });
    };
    if old.summary != new.summary {
        push(
            "summary",
            "summary",
            "jira",
            None,
            Some(old.summary.clone()),
            None,
            Some(new.summary.clone()),
        );
    }
    if old.description != new.description {
        push(
            "description",
            "description",
            "jira",
            None,
            old.description.clone(),
            None,
            new.description.clone(),
        );
    }
    if old.environment != new.environment {
        push(
            "environment",
            "environment",
            "jira",
            None,
            old.environment.clone(),
            None,
            new.environment.clone(),
        );
    }
    if old.issue_type_id != new.issue_type_id {
        let name = |id| cat.issue_type(id).map(|t| t.name.clone());
        push(
            "issuetype",
            "issuetype",
            "jira",
            Some(old.issue_type_id.to_string()),
            name(old.issue_type_id),
            Some(new.issue_type_id.to_string()),
            name(new.issue_type_id),
        );
    }
    if old.status_id != new.status_id {
        let name = |id| cat.status(id).map(|s| s.name.clone());
        push(
            "status",
            "status",
            "jira",
            Some(old.status_id.to_string()),
            name(old.status_id),
            Some(new.status_id.to_string()),
            name(new.status_id),
        );
    }
    if old.priority_id != new.priority_id {
        let name = |id: Option<i64>| id.and_then(|i| cat.priority(i)).map(|p| p.name.clone());
        push(
            "priority",
            "priority",
            "jira",
            old.priority_id.map(|i| i.to_string()),
            name(old.priority_id),
            new.priority_id.map(|i| i.to_string()),
            name(new.priority_id),
        );
    }
    if old.resolution_id != new.resolution_id {
        let name = |id: Option<i64>| id.and_then(|i| cat.resolution(i)).map(|p| p.name.clone());
        push(
            "resolution",
            "resolution",
            "jira",
            old.resolution_id.map(|i| i.to_string()),
            name(old.resolution_id),
            new.resolution_id.map(|i| i.to_string()),
            name(new.resolution_id),
        );
    }
    for (field, a, b) in [
        ("assignee", old.assignee_id, new.assignee_id),
        ("reporter", old.reporter_id, new.reporter_id),
    ] {
        if a != b {
            let user = |id: Option<UserId>| -> StoreResult<(Option<String>, Option<String>)> {
                Ok(match id {
                    Some(id) => uq::by_id(db, id)?
                        .map(|u| (Some(u.account_id), Some(u.display_name)))
                        .unwrap_or((None, None)),
                    None => (None, None),
                })
            };
            let (fa, fs) = user(a)?;
            let (ta, ts) = user(b)?;
            push(field, field, "jira", fa, fs, ta, ts);
        }
    }
    if old.due_date != new.due_date {
        push(
            "duedate",
            "duedate",
            "jira",
            old.due_date.clone(),
            old.due_date.clone(),
            new.due_date.clone(),
            new.due_date.clone(),
        );
    }
    if old.labels != new.labels {
        push(
            "labels",
            "labels",
            "jira",
            None,
            Some(old.labels.join(" ")),
            None,
            Some(new.labels.join(" ")),
        );
    }
    if old.parent_id != new.parent_id {
        let key = |id: Option<IssueId>| -> StoreResult<Option<String>> {
            Ok(match id {
                Some(id) => iq::by_id(db, id)?.map(|i| i.key),
                None => None,
            })
        };
        push(
            "Parent",
            "parent",
            "jira",
            old.parent_id.map(|i| i.0.to_string()),
            key(old.parent_id)?,
            new.parent_id.map(|i| i.0.to_string()),
            key(new.parent_id)?,
        );
    }
    if old.original_estimate != new.original_estimate {
        push(
            "timeoriginalestimate",
            "timeoriginalestimate",
            "jira",
            old.original_estimate.map(|v| v.to_string()),
            old.original_estimate.map(|v| v.to_string()),
            new.original_estimate.map(|v| v.to_string()),
            new.original_estimate.map(|v| v.to_string()),
        );
    }
    if old.remaining_estimate != new.remaining_estimate {
        push(
            "timeestimate",
            "timeestimate",
            "jira",
            old.remaining_estimate.map(|v| v.to_string()),
            old.remaining_estimate.map(|v| v.to_string()),
            new.remaining_estimate.map(|v| v.to_string()),
            new.remaining_estimate.map(|v| v.to_string()),
        );
    }
    // Components and versions: one item per id added or removed, as Jira records them.
    let comps = if old.component_ids != new.component_ids {
        pq::components(db, new.project_id)?
    } else {
        Vec::new()
    };
    let comp_name = |id: i64| comps.iter().find(|c| c.id == id).map(|c| c.name.clone());
    for id in old
        .component_ids
        .iter()
        .filter(|i| !new.component_ids.contains(i))
    {
        push(
            "Component",
            "components",
            "jira",
            Some(id.to_string()),
            comp_name(*id),
            None,
            None,
        );
    }
    for id in new
        .component_ids
        .iter()
        .filter(|i| !old.component_ids.contains(i))
    {
        push(
            "Component",
            "components",
            "jira",
            None,
            None,
            Some(id.to_string()),
            comp_name(*id),
        );
    }
    let versions_changed = old.fix_version_ids != new.fix_version_ids
        || old.affected_version_ids != new.affected_version_ids;
    let vers = if versions_changed {
        pq::versions(db, new.project_id)?
    } else {
        Vec::new()
    };
    let ver_name = |id: i64| vers.iter().find(|v| v.id == id).map(|v| v.name.clone());
    for (label, field_id, a, b) in [
        (
            "Fix Version",
            "fixVersions",
            &old.fix_version_ids,
            &new.fix_version_ids,
        ),
        (
            "Version",
            "versions",
            &old.affected_version_ids,
            &new.affected_version_ids,
        ),
    ] {
        for id in a.iter().filter(|i| !b.contains(i)) {
            push(
                label,
                field_id,
                "jira",
                Some(id.to_string()),
                ver_name(*id),
                None,
                None,
            );
        }
        for id in b.iter().filter(|i| !a.contains(i)) {
            push(
                label,
                field_id,
                "jira",
                None,
                None,
                Some(id.to_string()),
                ver_name(*id),
            );
        }
    }
    for f in &cat.custom_fields {
        let a = old
            .custom
            .iter()
            .find(|(id, _)| *id == f.id)
            .map(|(_, v)| v);
        let b = new
            .custom
            .iter()
            .find(|(id, _)| *id == f.id)
            .map(|(_, v)| v);
        if a != b {
            let text =
                |v: Option<&FieldValue>| -> StoreResult<Option<String>> { custom_text(db, f, v) };
            push(
                &f.name,
                &f.field_id(),
                "custom",
                None,
                text(a)?,
                None,
                text(b)?,
            );
        }
    }
    Ok(items)
}

/// A custom value as changelog text.
fn custom_text(db: &Db, f: &CustomField, v: Option<&FieldValue>) -> StoreResult<Option<String>> {
    let opt = |id: &i64| {
        f.options
            .iter()
            .find(|o| o.id == *id)
            .map(|o| o.value.clone())
            .unwrap_or_default()
    };
    Ok(match v {
        None => None,
        Some(FieldValue::Text(s)) | Some(FieldValue::Date(s)) => Some(s.clone()),
        Some(FieldValue::Number(n)) => Some(n.to_string()),
        Some(FieldValue::DateTime(m)) => Some(m.to_jira()),
        Some(FieldValue::Option(o)) => Some(opt(o)),
        Some(FieldValue::Options(o)) => Some(o.iter().map(opt).collect::<Vec<_>>().join(",")),
        Some(FieldValue::Labels(l)) => Some(l.join(" ")),
        Some(FieldValue::User(u)) => uq::by_id(db, *u)?.map(|u| u.display_name),
    })
}
