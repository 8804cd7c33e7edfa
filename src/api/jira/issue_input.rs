//! Jira's `fields` + `update` objects (and `PUT assignee`'s user) parsed into the typed
//! change set the issue service takes. Field errors keep Jira's messages; those that need
//! the store (unknown users, names no entry has) are the service's.
//!
//! The parser is given the catalog snapshot: a custom field's JSON can only be read once
//! its kind is known (`"3"` is a number for a number field and text for a text field), so
//! reading it structurally first would only move this file's work into the service.

use serde_json::{Map, Value};

use crate::domain::change::{
    By, CustomValue, Estimates, IssueChange, Item, NamedRef, Op, OptionBy, OptionRef, UserSel,
    Value as Set, WorklogAdd, validate_label,
};
use crate::domain::*;
use crate::error::Error;
use crate::service::Catalog;
use crate::service::fields::{cannot_set, parse_duration_with, system_field};

/// Which request the objects came with: only create and edit log work from `update`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Request {
    Create,
    Edit,
    Transition,
}

/// Parses `fields` then `update`. A bad `update.worklog` fails the whole request at once,
/// as before anything else is looked at; every other problem is an [`Op::Rejected`].
pub fn parse(
    cat: &Catalog,
    fields: &Map<String, Value>,
    update: &Map<String, Value>,
    request: Request,
) -> Result<IssueChange, Error> {
    let mut change = IssueChange::default();
    let takes_worklogs = request != Request::Transition;
    if takes_worklogs && let Some(ops) = update.get("worklog") {
        change.worklogs = worklogs(cat, ops)?;
    }
    let in_update = |k: &str| update.contains_key(k) && !(takes_worklogs && k == "worklog");
    if let Some(v) = fields.get("project") {
        change.project = project_ref(v);
    }
    for (key, value) in fields {
        if in_update(key) {
            let both = format!("Field '{key}' cannot be given in both 'fields' and 'update'.");
            change.push(key.clone(), Op::Rejected(both));
            continue;
        }
        change.push(key.clone(), set_op(cat, key, value));
    }
    for (key, ops) in update.iter().filter(|(k, _)| in_update(k)) {
        let Some(ops) = ops.as_array() else {
            let msg = "The update operations must be a list.";
            change.push(key.clone(), Op::Rejected(msg.into()));
            continue;
        };
        for op in ops {
            let Some((verb, arg)) = op
                .as_object()
                .filter(|o| o.len() == 1)
                .and_then(|o| o.iter().next())
            else {
                let msg =
                    "Each operation must be an object with one verb: set, add, remove or edit.";
                change.push(key.clone(), Op::Rejected(msg.into()));
                continue;
            };
            change.push(key.clone(), update_op(cat, key, verb, arg));
        }
    }
    Ok(change)
}

/// `{"id": ..}`, `{"key": ..}` or a bare id or key.
fn project_ref(v: &Value) -> Option<ProjectRef> {
    v.get("id")
        .and_then(|x| {
            x.as_str()
                .map(String::from)
                .or(x.as_i64().map(|i| i.to_string()))
        })
        .map(|s| ProjectRef::parse(&s))
        .or_else(|| v.get("key").and_then(|k| k.as_str()).map(ProjectRef::parse))
        .or_else(|| v.as_str().map(ProjectRef::parse))
}

fn update_op(cat: &Catalog, key: &str, verb: &str, arg: &Value) -> Op {
    if key == "comment" {
        return match (verb, arg.get("body").and_then(|b| b.as_str())) {
            ("add", Some(body)) if !body.trim().is_empty() => Op::Comment(body.to_string()),
            ("add", _) => Op::Rejected("Comment body can not be empty!".into()),
            _ => Op::Rejected(format!(
                "The operation '{verb}' is not supported for comments here."
            )),
        };
    }
    // Time tracking's `edit` changes only the estimates it names, which `set` already does.
    if verb == "set" || (verb == "edit" && key == "timetracking") {
        return set_op(cat, key, arg);
    }
    let custom = cat.custom_field_by_key(key);
    let multi = matches!(key, "labels" | "components" | "fixVersions" | "versions")
        || custom.is_some_and(|f| f.kind.is_multi());
    if !multi || !matches!(verb, "add" | "remove") {
        return Op::Rejected(if system_field(key).is_some() || custom.is_some() {
            format!("The operation '{verb}' is not supported by field '{key}'.")
        } else {
            cannot_set(key)
        });
    }
    let item = match key {
        "labels" => label(arg).map(Item::Label),
        "components" => Ok(Item::Component(named_ref(arg))),
        "fixVersions" => Ok(Item::FixVersion(named_ref(arg))),
        "versions" => Ok(Item::AffectsVersion(named_ref(arg))),
        _ => match custom {
            Some(f) if f.kind == CustomFieldKind::Labels => {
                label(arg).map(|l| Item::CustomLabel(f.id, l))
            }
            Some(f) => Ok(Item::Option(f.id, option_ref(arg))),
            None => Err(cannot_set(key)),
        },
    };
    match (item, verb) {
        (Err(e), _) => Op::Rejected(e),
        (Ok(i), "add") => Op::Add(i),
        (Ok(i), _) => Op::Remove(i),
    }
}

fn set_op(cat: &Catalog, key: &str, v: &Value) -> Op {
    match set_value(cat, key, v) {
        Ok(value) => Op::Set(value),
        Err(e) => Op::Rejected(e),
    }
}

/// A whole field value in Jira's shape for that field.
fn set_value(cat: &Catalog, key: &str, v: &Value) -> Result<Set, String> {
    let opt_ref = |v: &Value| (!v.is_null()).then(|| named_ref(v));
    Ok(match key {
        "summary" => Set::Summary(
            v.as_str()
                .ok_or("You must specify a summary of the issue.")?
                .to_string(),
        ),
        "description" => {
            Set::Description(opt_string(v).map_err(|e| format!("Field 'description': {e}."))?)
        }
        "environment" => {
            Set::Environment(opt_string(v).map_err(|e| format!("Field 'environment': {e}."))?)
        }
        "project" => Set::Project,
        "issuetype" => Set::IssueType(named_ref(v)),
        "priority" => Set::Priority(opt_ref(v)),
        "resolution" => Set::Resolution(opt_ref(v)),
        "assignee" => Set::Assignee(user_sel(v, true)),
        "reporter" => Set::Reporter(user_sel(v, false)),
        "duedate" => Set::DueDate(due_date(v)?),
        "labels" => Set::Labels(
            list(key, v)?
                .into_iter()
                .map(label)
                .collect::<Result<_, _>>()?,
        ),
        "components" => Set::Components(list(key, v)?.into_iter().map(named_ref).collect()),
        "fixVersions" => Set::FixVersions(list(key, v)?.into_iter().map(named_ref).collect()),
        "versions" => Set::AffectsVersions(list(key, v)?.into_iter().map(named_ref).collect()),
        "parent" => Set::Parent(parent(v)?),
        "timetracking" => Set::TimeTracking(estimates(cat, v)?),
        "security" => Set::Security(opt_ref(v)),
        k => match cat
            .custom_field_by_key(k)
            .or_else(|| cat.custom_field_by_name(k))
        {
            None => return Err(cannot_set(k)),
            // Epic Link is the parent under another name: one value, two fields.
            Some(f) if f.kind == CustomFieldKind::EpicLink => Set::Parent(epic_link(v)?),
            Some(f) => Set::Custom(f.id, custom_value(f, v)?),
        },
    })
}

fn list<'a>(key: &str, v: &'a Value) -> Result<Vec<&'a Value>, String> {
    match v {
        Value::Null => Ok(Vec::new()),
        Value::Array(a) => Ok(a.iter().collect()),
        _ => Err(format!("Field '{key}' expects a list.")),
    }
}

fn label(v: &Value) -> Result<String, String> {
    v.as_str()
        .ok_or_else(|| "Labels must be strings.".to_string())
        .and_then(validate_label)
}

fn opt_string(v: &Value) -> Result<Option<String>, String> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) if s.is_empty() => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        _ => Err("expected a string".into()),
    }
}

fn due_date(v: &Value) -> Result<Option<String>, String> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) if s.is_empty() => Ok(None),
        Value::String(s) => parse_date_input(s)
            .map(Some)
            .ok_or_else(|| "Error parsing date string: ".to_string() + s),
        _ => Err("Error parsing date string.".into()),
    }
}

fn parent(v: &Value) -> Result<Option<IssueRef>, String> {
    if v.is_null() {
        return Ok(None);
    }
    v.get("key")
        .and_then(|k| k.as_str())
        .map(IssueRef::parse)
        .or_else(|| v.get("id").and_then(as_id).map(IssueRef::Id))
        .map(Some)
        .ok_or_else(|| "The parent must be given as {\"key\": ...} or {\"id\": ...}.".into())
}

fn estimates(cat: &Catalog, v: &Value) -> Result<Estimates, String> {
    let Some(obj) = v.as_object() else {
        return Err(
            "Time tracking expects an object with originalEstimate and/or remainingEstimate."
                .into(),
        );
    };
    let mut out = Estimates::default();
    // Both estimates are read; when both are bad, the second one's message is reported.
    let mut error = None;
    for name in ["originalEstimate", "remainingEstimate"] {
        let Some(raw) = obj.get(name) else { continue };
        let secs = match raw {
            Value::Null => None,
            Value::String(s) => match parse_duration_with(s, &cat.time_tracking) {
                Some(v) => Some(v),
                None => {
                    error = Some(format!("Invalid duration '{s}' for {name}."));
                    continue;
                }
            },
            Value::Number(n) => n.as_i64().map(|m| m * 60),
            _ => {
                error = Some(format!("Invalid {name}."));
                continue;
            }
        };
        if name == "originalEstimate" {
            out.original = Some(secs);
        } else {
            out.remaining = Some(secs);
        }
    }
    error.map_or(Ok(out), Err)
}

/// Epic Link's value: the epic's key (or `{"key": ..}` / `{"id": ..}`), or null.
fn epic_link(v: &Value) -> Result<Option<IssueRef>, String> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) if s.is_empty() => Ok(None),
        Value::String(s) => Ok(Some(IssueRef::parse(s))),
        other => parent(other),
    }
}

/// A custom field's value, read by the field's kind.
fn custom_value(f: &CustomField, v: &Value) -> Result<CustomValue, String> {
    if v.is_null() {
        return Ok(CustomValue::Clear);
    }
    let name = &f.name;
    Ok(match f.kind {
        CustomFieldKind::Text
        | CustomFieldKind::Textarea
        | CustomFieldKind::Url
        | CustomFieldKind::EpicLabel
        | CustomFieldKind::EpicColor
        | CustomFieldKind::Rank => match v.as_str() {
            Some("") => CustomValue::Clear,
            Some(s) => CustomValue::Text(s.to_string()),
            None => return Err(format!("{name}: expected a string.")),
        },
        CustomFieldKind::Number => match v {
            Value::Number(n) => n
                .as_f64()
                .map(CustomValue::Number)
                .ok_or_else(|| format!("{name}: not a number."))?,
            Value::String(s) => s
                .trim()
                .parse::<f64>()
                .map(CustomValue::Number)
                .map_err(|_| format!("'{s}' is an invalid number"))?,
            _ => return Err(format!("{name}: not a number.")),
        },
        CustomFieldKind::Date => match v.as_str().and_then(parse_date_input) {
            Some(d) => CustomValue::Date(d),
            None => {
                return Err(format!(
                    "{name}: invalid date format. Please enter the date in the format \"yyyy-MM-dd\"."
                ));
            }
        },
        CustomFieldKind::DateTime => match v.as_str().and_then(parse_datetime_input) {
            Some(m) => CustomValue::DateTime(m),
            None => return Err(format!("{name}: invalid date-time format.")),
        },
        CustomFieldKind::Select => CustomValue::Option(option_ref(v)),
        CustomFieldKind::MultiSelect => match v.as_array() {
            Some(items) => CustomValue::Options(items.iter().map(option_ref).collect()),
            None => return Err(format!("{name}: expected a list of options.")),
        },
        CustomFieldKind::Labels => match v.as_array() {
            Some(items) => CustomValue::Labels(items.iter().map(label).collect::<Result<_, _>>()?),
            None => return Err(format!("{name}: expected a list of labels.")),
        },
        CustomFieldKind::User => CustomValue::User(user_sel(v, false)),
        CustomFieldKind::EpicStatus => CustomValue::Option(option_ref(v)),
        // A sprint by id (python `jira` sends a bare number); a list names one sprint.
        CustomFieldKind::Sprint => match v {
            Value::Array(items) => match items.as_slice() {
                [] => CustomValue::Clear,
                [one] => CustomValue::Option(option_ref(one)),
                _ => return Err(format!("{name}: an issue can be in one open sprint only.")),
            },
            one => CustomValue::Option(option_ref(one)),
        },
        CustomFieldKind::EpicLink => return Err(format!("{name}: expected an issue key.")),
    })
}

/// Reads an id given as a number or a numeric string.
fn as_id(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// How a reference reads in an error message: its name, id or value, or the whole value.
fn ref_text(v: &Value) -> String {
    v.get("name")
        .or(v.get("id"))
        .or(v.get("value"))
        .map(value_text)
        .unwrap_or_else(|| value_text(v))
}

/// `{"id": ..}` or `{"name": ..}` (or `{"value": ..}`).
fn named_ref(v: &Value) -> NamedRef {
    let by = match v.as_object() {
        None => By::Nothing,
        Some(obj) => match (obj.get("id"), obj.get("name").or(obj.get("value"))) {
            (Some(raw), _) => as_id(raw).map_or(By::Nothing, By::Id),
            (None, Some(raw)) => raw.as_str().map_or(By::Nothing, |s| By::Name(s.into())),
            (None, None) => By::Nothing,
        },
    };
    NamedRef {
        by,
        text: ref_text(v),
    }
}

/// An option of a select field from `{"value": ..}`, `{"id": ..}`, or a bare id/value.
fn option_ref(v: &Value) -> OptionRef {
    let by = match v {
        Value::Object(o) => match (o.get("id"), o.get("value")) {
            (Some(id), _) => as_id(id).map_or(OptionBy::Nothing, OptionBy::Id),
            (None, Some(Value::String(s))) => OptionBy::Value(s.clone()),
            _ => OptionBy::Nothing,
        },
        Value::String(s) => OptionBy::IdOrValue(s.clone()),
        Value::Number(_) => as_id(v).map_or(OptionBy::Nothing, OptionBy::Id),
        _ => OptionBy::Nothing,
    };
    OptionRef {
        by,
        text: ref_text(v),
    }
}

/// A user reference in any of Jira's shapes; `automatic` reads `-1` as the default
/// assignee (only the assignee has one).
pub fn user_sel(v: &Value, automatic: bool) -> UserSel {
    if automatic && is_automatic(v) {
        return UserSel::Automatic;
    }
    let key = match v {
        Value::Null => return UserSel::Nobody,
        Value::String(s) => s.clone(),
        Value::Object(o) => {
            let raw = o
                .get("accountId")
                .or(o.get("name"))
                .or(o.get("key"))
                .or(o.get("emailAddress"));
            match raw {
                None | Some(Value::Null) => return UserSel::Nobody,
                Some(Value::String(s)) => s.clone(),
                Some(_) => return UserSel::Invalid("expected a user name or account id".into()),
            }
        }
        _ => return UserSel::Invalid("expected a user object".into()),
    };
    if key.is_empty() {
        UserSel::Nobody
    } else {
        UserSel::Key(key)
    }
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

/// `update.worklog`: a list of `{"add": {...}}`.
fn worklogs(cat: &Catalog, ops: &Value) -> Result<Vec<WorklogAdd>, Error> {
    let bad = |m: &str| Error::field("worklog", m);
    let ops = ops.as_array().ok_or_else(|| {
        bad("Expected a list of operations, e.g. [{\"add\": {\"timeSpent\": \"1h\"}}].")
    })?;
    let mut out = Vec::new();
    for op in ops {
        let Some(add) = op.get("add").and_then(|a| a.as_object()) else {
            return Err(bad("Only the 'add' operation is supported for worklog."));
        };
        let spent = match (add.get("timeSpent"), add.get("timeSpentSeconds")) {
            (Some(Value::String(s)), _) => parse_duration_with(s, &cat.time_tracking)
                .ok_or_else(|| bad(&format!("Invalid time duration entered: '{s}'.")))?,
            (None, Some(n)) if n.as_i64().is_some() => n.as_i64().unwrap_or_default(),
            _ => return Err(bad("You must indicate the time spent working.")),
        };
        if spent <= 0 {
            return Err(bad("Time spent must be greater than zero."));
        }
        let started = match add.get("started").and_then(|s| s.as_str()) {
            Some(raw) => Some(
                Millis::parse(raw).ok_or_else(|| bad(&format!("Invalid start date '{raw}'.")))?,
            ),
            None => None,
        };
        let comment = add
            .get("comment")
            .and_then(|c| c.as_str())
            .unwrap_or_default()
            .to_string();
        out.push(WorklogAdd {
            spent,
            started,
            comment,
        });
    }
    Ok(out)
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    fn ops(c: &IssueChange) -> Vec<(&str, &Op)> {
        c.edits.iter().map(|e| (e.key.as_str(), &e.op)).collect()
    }

    #[test]
    fn fields_and_update_are_read_in_order_with_refs_unresolved() {
        let cat = Catalog::default();
        let fields = obj(json!({
            "project": {"key": "abc"}, "summary": " Hi ", "priority": {"name": "High"},
            "assignee": {"name": "-1"}, "reporter": "-1", "duedate": "31/Jan/26",
        }));
        let update = obj(json!({"labels": [{"add": "x"}, {"remove": "y"}]}));
        let c = parse(&cat, &fields, &update, Request::Edit).expect("parsed");
        assert!(matches!(c.project, Some(ProjectRef::Key(ref k)) if k == "ABC"));
        let ops = ops(&c);
        assert!(matches!(
            ops[0],
            ("assignee", Op::Set(Set::Assignee(UserSel::Automatic)))
        ));
        assert!(matches!(ops[1], ("duedate", Op::Set(Set::DueDate(Some(d)))) if d == "2026-01-31"));
        assert!(
            matches!(ops[2], ("priority", Op::Set(Set::Priority(Some(NamedRef { by: By::Name(n), .. })))) if n == "High")
        );
        // Only the assignee has an automatic user; the reporter `-1` is a user name.
        assert!(
            matches!(ops[4], ("reporter", Op::Set(Set::Reporter(UserSel::Key(k)))) if k == "-1")
        );
        assert!(matches!(ops[5], ("summary", Op::Set(Set::Summary(s))) if s == " Hi "));
        assert!(matches!(ops[6], ("labels", Op::Add(Item::Label(l))) if l == "x"));
        assert!(matches!(ops[7], ("labels", Op::Remove(Item::Label(l))) if l == "y"));
    }

    #[test]
    fn unreadable_parts_are_rejected_in_line_with_jira_messages() {
        let cat = Catalog::default();
        let fields = obj(json!({"summary": 5, "labels": ["a b"], "status": {"id": 1}}));
        let update = obj(json!({"labels": "x", "comment": [{"add": {"body": " "}}]}));
        let c = parse(&cat, &fields, &update, Request::Edit).expect("parsed");
        let rejected: Vec<(&str, &str)> = c
            .edits
            .iter()
            .filter_map(|e| match &e.op {
                Op::Rejected(m) => Some((e.key.as_str(), m.as_str())),
                _ => None,
            })
            .collect();
        assert_eq!(
            rejected,
            vec![
                (
                    "labels",
                    "Field 'labels' cannot be given in both 'fields' and 'update'."
                ),
                (
                    "status",
                    "Field 'status' cannot be set. It is not on the appropriate screen, or unknown."
                ),
                ("summary", "You must specify a summary of the issue."),
                ("comment", "Comment body can not be empty!"),
                ("labels", "The update operations must be a list."),
            ]
        );
    }

    #[test]
    fn worklogs_are_taken_on_create_and_edit_but_not_on_transitions() {
        let cat = Catalog::default();
        let update = obj(json!({"worklog": [{"add": {"timeSpentSeconds": 60}}]}));
        let edit = parse(&cat, &Map::new(), &update, Request::Edit).expect("edit");
        assert_eq!(edit.worklogs.len(), 1);
        assert!(edit.edits.is_empty());
        let moved = parse(&cat, &Map::new(), &update, Request::Transition).expect("move");
        assert!(moved.worklogs.is_empty());
        assert!(matches!(ops(&moved)[..], [("worklog", Op::Rejected(_))]));
        let bad = obj(json!({"worklog": [{"remove": {}}]}));
        let err = parse(&cat, &Map::new(), &bad, Request::Create).expect_err("refused");
        assert_eq!(
            err.fields.get("worklog").map(String::as_str),
            Some("Only the 'add' operation is supported for worklog.")
        );
    }
}
