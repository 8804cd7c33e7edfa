//! Rendering issues and projects onto the wire: field selection (`fields`), expansion
//! (`expand`), the field schemas shared by `GET /field`, createmeta and editmeta.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::dto::*;
use crate::domain::*;
use crate::error::Result;
use crate::service::fields::{SYSTEM_FIELDS, SystemField, format_duration_with};
use crate::service::issues::IssueView;
use crate::service::{Catalog, Permission};

mod selection;
pub use selection::{Expand, FieldSelection};

/// A wire bean as JSON; a bean that cannot be serialised is an error (500), never a
/// `null` sent as if it were data (see [`super::dto::to_json`]).
fn to_value<T: Serialize>(v: T) -> Result<Value> {
    super::dto::to_json(v)
}

/// An optional bean as JSON, `null` when absent.
fn opt_value<T: Serialize>(v: Option<T>) -> Result<Value> {
    v.map(to_value).transpose().map(Option::unwrap_or_default)
}

/// Beans as a JSON array.
fn values<T: Serialize>(items: impl IntoIterator<Item = T>) -> Result<Vec<Value>> {
    items.into_iter().map(to_value).collect()
}

pub fn project_self(base: &str, p: &Project) -> String {
    format!("{base}/rest/api/2/project/{}", p.id)
}

/// The short project shape embedded in issues and lists.
pub fn project_short(base: &str, cat: &Catalog, p: &Project) -> Result<Value> {
    let mut v = json!({
        "self": project_self(base, p),
        "id": p.id.to_string(),
        "key": p.key,
        "name": p.name,
        "projectTypeKey": p.project_type_key,
        "simplified": false,
        "avatarUrls": avatar_urls(base, "project", &p.id.to_string()),
    });
    if let Some(c) = p
        .category_id
        .and_then(|c| cat.categories.iter().find(|x| x.id == c))
    {
        v["projectCategory"] = to_value(project_category(base, c))?;
    }
    Ok(v)
}

/// The full project, for `GET project/{key}` and the list with `expand`.
pub fn project_full(
    base: &str,
    cat: &Catalog,
    p: &Project,
    lead: Option<&User>,
    components: &[Component],
    versions: &[Version],
    expand: &Expand,
    full: bool,
) -> Result<Value> {
    let mut v = project_short(base, cat, p)?;
    v["expand"] = json!("description,lead,issueTypes,url,projectKeys,permissions,insight");
    if full || expand.has("description") {
        v["description"] = json!(p.description);
    }
    if full || expand.has("lead") {
        v["lead"] = opt_value(lead.map(|u| user(base, u)))?;
    }
    if full || expand.has("url") {
        v["url"] = json!(p.url);
    }
    if full || expand.has("issueTypes") {
        v["issueTypes"] =
            Value::Array(values(cat.issue_types.iter().map(|t| issue_type(base, t)))?);
    }
    if full || expand.has("projectKeys") {
        v["projectKeys"] = json!([p.key]);
    }
    if full {
        v["components"] = Value::Array(values(
            components.iter().map(|c| component(base, c, &p.key, None)),
        )?);
        v["versions"] = Value::Array(values(versions.iter().map(|x| version(base, x)))?);
        v["assigneeType"] = json!(p.assignee_type);
        v["roles"] = Value::Object(
            cat.roles
                .iter()
                .map(|r| {
                    (
                        r.name.clone(),
                        json!(format!("{base}/rest/api/2/project/{}/role/{}", p.id, r.id)),
                    )
                })
                .collect(),
        );
        v["style"] = json!("classic");
        v["isPrivate"] = json!(false);
        v["properties"] = json!({});
    }
    Ok(v)
}

/// The `schema` object of a field.
pub fn system_schema(f: &SystemField) -> Value {
    let mut s = json!({"type": f.schema_type, "system": f.id});
    if let Some(items) = f.items {
        s["items"] = json!(items);
    }
    s
}

pub fn custom_schema(f: &CustomField) -> Value {
    let (ty, items) = match f.kind {
        CustomFieldKind::Text | CustomFieldKind::Textarea | CustomFieldKind::Url => {
            ("string", None)
        }
        CustomFieldKind::Number => ("number", None),
        CustomFieldKind::Date => ("date", None),
        CustomFieldKind::DateTime => ("datetime", None),
        CustomFieldKind::Select => ("option", None),
        CustomFieldKind::MultiSelect => ("array", Some("option")),
        CustomFieldKind::Labels => ("array", Some("string")),
        CustomFieldKind::User => ("user", None),
        CustomFieldKind::Sprint => ("array", Some("json")),
        CustomFieldKind::EpicLink | CustomFieldKind::Rank => ("any", None),
        CustomFieldKind::EpicLabel | CustomFieldKind::EpicColor => ("string", None),
        CustomFieldKind::EpicStatus => ("option", None),
    };
    let mut s = json!({"type": ty, "custom": f.kind.type_key(), "customId": f.id});
    if let Some(i) = items {
        s["items"] = json!(i);
    }
    s
}

/// `GET /field` entries.
pub fn field_list(cat: &Catalog) -> Vec<Value> {
    let mut out: Vec<Value> = SYSTEM_FIELDS
        .iter()
        .map(|f| {
            json!({
                "id": f.id, "key": f.id, "name": f.name, "custom": false, "orderable": f.orderable,
                "navigable": f.navigable, "searchable": f.searchable, "clauseNames": f.clause_names,
                "schema": system_schema(f),
            })
        })
        .collect();
    out.extend(cat.custom_fields.iter().map(custom_field_bean));
    out
}

pub fn custom_field_bean(f: &CustomField) -> Value {
    json!({
        "id": f.field_id(), "key": f.field_id(), "name": f.name, "description": f.description, "custom": true,
        "orderable": true, "navigable": true, "searchable": true,
        "clauseNames": [format!("cf[{}]", f.id), f.name.clone()],
        "schema": custom_schema(f),
        "searcherKey": f.kind.searcher_key(),
    })
}

fn option_bean(base: &str, o: &CustomFieldOption) -> Value {
    json!({"self": format!("{base}/rest/api/2/customFieldOption/{}", o.id), "value": o.value, "id": o.id.to_string(), "disabled": o.disabled})
}

/// Epic Link's value: the parent's key when the parent is an epic.
fn epic_link(cat: &Catalog, v: &IssueView) -> Option<Value> {
    v.parent
        .as_ref()
        .filter(|p| {
            cat.issue_type(p.issue_type_id)
                .is_some_and(|t| !t.subtask && t.hierarchy_level >= 1)
        })
        .map(|p| json!(p.key))
}

/// One sprint in the Sprint field, as Jira Cloud renders it.
pub fn sprint_field_bean(s: &crate::domain::agile::Sprint) -> Value {
    let mut b = json!({
        "id": s.id, "name": s.name, "state": s.state.as_str(), "boardId": s.board_id, "goal": s.goal,
    });
    for (k, d) in [
        ("startDate", s.start_date),
        ("endDate", s.end_date),
        ("completeDate", s.complete_date),
    ] {
        if let Some(d) = d {
            b[k] = json!(d.to_jira());
        }
    }
    b
}

/// A custom field value in Jira's shape.
fn custom_value(
    base: &str,
    f: &CustomField,
    v: &FieldValue,
    users: &HashMap<UserId, User>,
) -> Result<Value> {
    let opt = |id: &i64| {
        f.options
            .iter()
            .find(|o| o.id == *id)
            .map(|o| option_bean(base, o))
            .unwrap_or(Value::Null)
    };
    Ok(match v {
        FieldValue::Text(s) | FieldValue::Date(s) => json!(s),
        FieldValue::Number(n) => json!(n),
        FieldValue::DateTime(m) => json!(m.to_jira()),
        FieldValue::Option(o) => opt(o),
        FieldValue::Options(o) => Value::Array(o.iter().map(opt).collect()),
        FieldValue::Labels(l) => json!(l),
        FieldValue::User(u) => opt_value(users.get(u).map(|u| user(base, u)))?,
    })
}

pub(super) fn issue_link(base: &str, cat: &Catalog, i: &Issue) -> Result<Value> {
    Ok(json!({
        "id": i.id.to_string(),
        "key": i.key,
        "self": format!("{base}/rest/api/2/issue/{}", i.id),
        "fields": {
            "summary": i.summary,
            "status": opt_value(cat.status(i.status_id).map(|s| status(base, cat, s)))?,
            "priority": opt_value(i.priority_id.and_then(|p| cat.priority(p)).map(|p| priority(base, p)))?,
            "issuetype": opt_value(cat.issue_type(i.issue_type_id).map(|t| issue_type(base, t)))?,
        }
    }))
}

fn time_tracking(cat: &Catalog, i: &Issue) -> Value {
    let mut t = Map::new();
    let fmt = |s: i64| format_duration_with(s, &cat.time_tracking);
    if let Some(o) = i.original_estimate {
        t.insert("originalEstimate".into(), json!(fmt(o)));
        t.insert("originalEstimateSeconds".into(), json!(o));
    }
    if let Some(r) = i.remaining_estimate {
        t.insert("remainingEstimate".into(), json!(fmt(r)));
        t.insert("remainingEstimateSeconds".into(), json!(r));
    }
    if let Some(s) = i.time_spent {
        t.insert("timeSpent".into(), json!(fmt(s)));
        t.insert("timeSpentSeconds".into(), json!(s));
    }
    Value::Object(t)
}

/// The value of one system field of an issue.
fn system_value(base: &str, cat: &Catalog, v: &IssueView, id: &str) -> Result<Value> {
    let i = &v.issue;
    let u = |id: Option<UserId>| opt_value(id.and_then(|x| v.users.get(&x)).map(|x| user(base, x)));
    Ok(match id {
        "summary" => json!(i.summary),
        "description" => json!(i.description),
        "environment" => json!(i.environment),
        "issuetype" => opt_value(cat.issue_type(i.issue_type_id).map(|t| issue_type(base, t)))?,
        "project" => project_short(base, cat, &v.project)?,
        "status" => opt_value(cat.status(i.status_id).map(|s| status(base, cat, s)))?,
        "priority" => opt_value(i.priority_id.and_then(|p| cat.priority(p)).map(|p| priority(base, p)))?,
        "resolution" => opt_value(i.resolution_id.and_then(|r| cat.resolution(r)).map(|r| resolution(base, r)))?,
        "resolutiondate" => json!(i.resolution_date.map(|d| d.to_jira())),
        "assignee" => u(i.assignee_id)?,
        "reporter" => u(i.reporter_id)?,
        "creator" => u(i.creator_id)?,
        "created" => json!(i.created.to_jira()),
        "updated" => json!(i.updated.to_jira()),
        "duedate" => json!(i.due_date),
        "labels" => json!(i.labels),
        "components" => Value::Array(
            i.component_ids
                .iter()
                .filter_map(|id| v.components.iter().find(|c| c.id == *id))
                .map(|c| json!({"self": format!("{base}/rest/api/2/component/{}", c.id), "id": c.id.to_string(), "name": c.name, "description": c.description}))
                .collect(),
        ),
        "fixVersions" | "versions" => {
            let ids = if id == "fixVersions" { &i.fix_version_ids } else { &i.affected_version_ids };
            Value::Array(values(ids.iter().filter_map(|id| v.versions.iter().find(|x| x.id == *id)).map(|x| version(base, x)))?)
        }
        "parent" => v.parent.as_ref().map(|p| issue_link(base, cat, p)).transpose()?.unwrap_or_default(),
        "subtasks" => Value::Array(v.subtasks.iter().map(|s| issue_link(base, cat, s)).collect::<Result<_>>()?),
        "issuelinks" => Value::Array(v.links.iter().map(|l| {
            let mut link = json!({"id": l.link_id.to_string(), "self": format!("{base}/rest/api/2/issueLink/{}", l.link_id),
                                  "type": super::meta::link_type_bean(base, &l.link_type)});
            link[if l.outward { "outwardIssue" } else { "inwardIssue" }] = issue_link(base, cat, &l.other)?;
            Ok(link)
        }).collect::<Result<_>>()?),
        "comment" => {
            let comments: Vec<_> = v.comments.iter().map(|c| comment(base, c, &v.users, false)).collect();
            json!({"comments": comments, "maxResults": comments.len(), "total": comments.len(), "startAt": 0,
                   "self": format!("{base}/rest/api/2/issue/{}/comment", i.id)})
        }
        "watches" => json!({"self": format!("{base}/rest/api/2/issue/{}/watchers", i.key), "watchCount": v.watches.0, "isWatching": v.watches.1}),
        "votes" => json!({"self": format!("{base}/rest/api/2/issue/{}/votes", i.key), "votes": v.votes.0, "hasVoted": v.votes.1}),
        "worklog" => {
            let shown: Vec<_> = v.worklogs.iter().take(20).map(|w| worklog(base, w, &v.users, &cat.time_tracking)).collect();
            json!({"startAt": 0, "maxResults": 20, "total": v.worklogs.len(), "worklogs": shown})
        }
        "attachment" => Value::Array(values(v.attachments.iter().map(|a| super::attachment::bean(base, a, a.author_id.and_then(|u| v.users.get(&u)))))?),
        "timetracking" => time_tracking(cat, i),
        "timeoriginalestimate" => json!(i.original_estimate),
        "timeestimate" => json!(i.remaining_estimate),
        "timespent" => json!(i.time_spent),
        "progress" => {
            let spent = i.time_spent.unwrap_or(0);
            let total = spent + i.remaining_estimate.unwrap_or(0);
            let mut p = json!({"progress": spent, "total": total});
            if total > 0 {
                p["percent"] = json!(spent * 100 / total);
            }
            p
        }
        "statuscategorychangedate" => json!(i.status_changed.to_jira()),
        "security" => match &v.security {
            Some(l) => security_level(base, l),
            None => Value::Null,
        },
        "lastViewed" => Value::Null,
        _ => Value::Null,
    })
}

/// Field id → display name, for `expand=names`.
pub fn names(cat: &Catalog) -> Map<String, Value> {
    let mut m: Map<String, Value> = SYSTEM_FIELDS
        .iter()
        .map(|f| (f.id.to_string(), json!(f.name)))
        .collect();
    for f in &cat.custom_fields {
        m.insert(f.field_id(), json!(f.name));
    }
    m
}

pub fn schemas(cat: &Catalog) -> Map<String, Value> {
    let mut m: Map<String, Value> = SYSTEM_FIELDS
        .iter()
        .map(|f| (f.id.to_string(), system_schema(f)))
        .collect();
    for f in &cat.custom_fields {
        m.insert(f.field_id(), custom_schema(f));
    }
    m
}

pub struct IssueOptions<'a> {
    pub fields: &'a FieldSelection,
    pub expand: &'a Expand,
    /// Keys by id instead of ids (`fieldsByKeys`): ids here are keys already.
    pub properties: Vec<(String, Value)>,
    pub changelog: Option<Value>,
}

/// The issue bean: `{expand, id, self, key, fields, ...expansions}`.
pub fn issue(base: &str, cat: &Catalog, v: &IssueView, opts: &IssueOptions<'_>) -> Result<Value> {
    let i = &v.issue;
    let mut fields = Map::new();
    let mut rendered = Map::new();
    for f in SYSTEM_FIELDS {
        if opts.fields.wants(f.id, f.navigable)
            || (f.id == "comment" && opts.fields.wants("comment", true))
        {
            fields.insert(f.id.to_string(), system_value(base, cat, v, f.id)?);
            if opts.expand.has("renderedFields") {
                let html = match f.id {
                    "description" => i
                        .description
                        .as_deref()
                        .map(crate::markup::render)
                        .map(Value::from),
                    "environment" => i
                        .environment
                        .as_deref()
                        .map(crate::markup::render)
                        .map(Value::from),
                    "comment" => {
                        let comments: Vec<_> = v
                            .comments
                            .iter()
                            .map(|c| comment(base, c, &v.users, true))
                            .collect();
                        Some(
                            json!({"comments": comments, "maxResults": comments.len(), "total": comments.len(), "startAt": 0}),
                        )
                    }
                    _ => None,
                };
                rendered.insert(f.id.to_string(), html.unwrap_or(Value::Null));
            }
        }
    }
    for f in &cat.custom_fields {
        let key = f.field_id();
        if opts.fields.wants(&key, true) {
            let value = match f.kind {
                CustomFieldKind::EpicLink => epic_link(cat, v),
                CustomFieldKind::Sprint if !v.sprints.is_empty() => Some(Value::Array(
                    v.sprints.iter().map(sprint_field_bean).collect(),
                )),
                _ => i
                    .custom
                    .iter()
                    .find(|(id, _)| *id == f.id)
                    .map(|(_, val)| custom_value(base, f, val, &v.users))
                    .transpose()?,
            };
            if opts.expand.has("renderedFields") {
                let html = match i.custom.iter().find(|(id, _)| *id == f.id) {
                    Some((_, FieldValue::Text(s))) if f.kind == CustomFieldKind::Textarea => {
                        Value::from(crate::markup::render(s))
                    }
                    _ => Value::Null,
                };
                rendered.insert(key.clone(), html);
            }
            fields.insert(key, value.unwrap_or(Value::Null));
        }
    }
    let mut bean = json!({
        "expand": "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
        "id": i.id.to_string(),
        "self": format!("{base}/rest/api/2/issue/{}", i.id),
        "key": i.key,
        "fields": fields,
    });
    if opts.expand.has("renderedFields") {
        bean["renderedFields"] = Value::Object(rendered);
    }
    if opts.expand.has("versionedRepresentations") {
        // One representation per field, version 1, as Jira answers for v2 fields.
        let versioned: Map<String, Value> = bean["fields"]
            .as_object()
            .map(|f| {
                f.iter()
                    .map(|(k, v)| (k.clone(), json!({"1": v})))
                    .collect()
            })
            .unwrap_or_default();
        bean["versionedRepresentations"] = Value::Object(versioned);
        bean["fields"] = json!({});
    }
    if opts.expand.has("names") {
        bean["names"] = Value::Object(names(cat));
    }
    if opts.expand.has("schema") {
        bean["schema"] = Value::Object(schemas(cat));
    }
    if opts.expand.has("transitions") {
        bean["transitions"] = transitions(base, cat, v, opts.expand.has("transitions.fields"))?;
    }
    if opts.expand.has("editmeta") {
        bean["editmeta"] = json!({"fields": edit_fields(base, cat, v)?});
    }
    if opts.expand.has("operations") {
        bean["operations"] = json!({"linkGroups": []});
    }
    if let Some(c) = &opts.changelog {
        bean["changelog"] = c.clone();
    }
    if !opts.properties.is_empty() {
        bean["properties"] = Value::Object(opts.properties.iter().cloned().collect());
    }
    Ok(bean)
}

/// The transitions list of `GET issue/{key}/transitions` and `expand=transitions`.
pub fn transitions(base: &str, cat: &Catalog, v: &IssueView, with_fields: bool) -> Result<Value> {
    Ok(Value::Array(
        v.transitions
            .iter()
            .map(|t| {
                let mut bean = json!({
                    "id": t.id.to_string(),
                    "name": t.name,
                    "to": opt_value(cat.status(t.to_status).map(|s| status(base, cat, s)))?,
                    "hasScreen": cat.is_done(t.to_status),
                    "isGlobal": t.from_status.is_none(),
                    "isInitial": false,
                    "isAvailable": true,
                    "isConditional": false,
                    "isLooped": false,
                });
                if with_fields {
                    let mut fields = Map::new();
                    if cat.is_done(t.to_status) {
                        fields.insert(
                            "resolution".into(),
                            json!({
                                "required": false,
                                "schema": {"type": "resolution", "system": "resolution"},
                                "name": "Resolution", "key": "resolution", "operations": ["set"],
                                "allowedValues": values(cat.resolutions.iter().map(|r| resolution(base, r)))?,
                            }),
                        );
                    }
                    bean["fields"] = Value::Object(fields);
                }
                Ok(bean)
            })
            .collect::<Result<_>>()?,
    ))
}

/// Field metadata: name, schema, required, operations, allowed values.
fn field_meta(
    base: &str,
    cat: &Catalog,
    id: &str,
    components: &[Component],
    versions: &[Version],
    required: bool,
) -> Result<Option<Value>> {
    if let Some(f) = crate::service::fields::system_field(id) {
        if f.operations.is_empty() {
            return Ok(None);
        }
        let mut m = json!({
            "required": required, "schema": system_schema(f), "name": f.name, "key": f.id,
            "hasDefaultValue": matches!(f.id, "priority" | "assignee" | "reporter"), "operations": f.operations,
        });
        let allowed: Option<Vec<Value>> = match f.id {
            "priority" => Some(values(cat.priorities.iter().map(|p| priority(base, p)))?),
            "resolution" => Some(values(cat.resolutions.iter().map(|r| resolution(base, r)))?),
            "issuetype" => Some(values(cat.issue_types.iter().map(|t| issue_type(base, t)))?),
            "components" => Some(
                components
                    .iter()
                    .map(|c| json!({"self": format!("{base}/rest/api/2/component/{}", c.id), "id": c.id.to_string(), "name": c.name}))
                    .collect(),
            ),
            "fixVersions" | "versions" => Some(values(versions.iter().filter(|v| !v.archived).map(|v| version(base, v)))?),
            _ => None,
        };
        if let Some(a) = allowed {
            m["allowedValues"] = Value::Array(a);
        }
        if matches!(f.id, "assignee" | "reporter") {
            m["autoCompleteUrl"] =
                json!(format!("{base}/rest/api/2/user/assignable/search?query="));
        }
        if f.id == "labels" {
            m["autoCompleteUrl"] = json!(format!("{base}/rest/api/1.0/labels/suggest?query="));
        }
        return Ok(Some(m));
    }
    let Some(f) = cat.custom_field_by_key(id) else {
        return Ok(None);
    };
    let mut m = json!({
        "required": false, "schema": custom_schema(f), "name": f.name, "key": f.field_id(), "hasDefaultValue": false,
        "operations": if f.kind.is_multi() { json!(["add", "set", "remove"]) } else { json!(["set"]) },
    });
    if matches!(
        f.kind,
        CustomFieldKind::Select | CustomFieldKind::MultiSelect
    ) {
        m["allowedValues"] = Value::Array(
            f.options
                .iter()
                .filter(|o| !o.disabled)
                .map(|o| option_bean(base, o))
                .collect(),
        );
    }
    Ok(Some(m))
}

/// Fields on the create screen of an issue type.
pub fn create_fields(
    base: &str,
    cat: &Catalog,
    t: &IssueType,
    components: &[Component],
    versions: &[Version],
) -> Result<Map<String, Value>> {
    let mut out = Map::new();
    let ids = [
        "summary",
        "issuetype",
        "project",
        "description",
        "environment",
        "priority",
        "assignee",
        "reporter",
        "duedate",
        "labels",
        "components",
        "fixVersions",
        "versions",
        "timetracking",
    ];
    for id in ids {
        let required = matches!(id, "summary" | "issuetype" | "project");
        if let Some(mut m) = field_meta(base, cat, id, components, versions, required)? {
            if id == "issuetype" {
                m["allowedValues"] = json!([to_value(issue_type(base, t))?]);
            }
            out.insert(id.to_string(), m);
        }
    }
    if (t.subtask || t.hierarchy_level < 1)
        && let Some(m) = field_meta(base, cat, "parent", components, versions, t.subtask)?
    {
        out.insert("parent".into(), m);
    }
    for f in &cat.custom_fields {
        if let Some(m) = field_meta(base, cat, &f.field_id(), components, versions, false)? {
            out.insert(f.field_id(), m);
        }
    }
    Ok(out)
}

/// Fields the caller may edit on this issue (editmeta).
pub fn edit_fields(base: &str, cat: &Catalog, v: &IssueView) -> Result<Map<String, Value>> {
    let mut out = Map::new();
    if !v.perms.has(Permission::EditIssues) {
        return Ok(out);
    }
    let ids = [
        "summary",
        "issuetype",
        "description",
        "environment",
        "priority",
        "assignee",
        "reporter",
        "duedate",
        "labels",
        "components",
        "fixVersions",
        "versions",
        "timetracking",
        "comment",
    ];
    for id in ids {
        if id == "assignee" && !v.perms.has(Permission::AssignIssues) {
            continue;
        }
        if id == "reporter" && !v.perms.has(Permission::ModifyReporter) {
            continue;
        }
        if id == "comment" {
            out.insert("comment".into(), json!({"required": false, "schema": {"type": "comments-page", "system": "comment"}, "name": "Comment", "key": "comment", "operations": ["add", "edit", "remove"]}));
            continue;
        }
        if let Some(m) = field_meta(
            base,
            cat,
            id,
            &v.components,
            &v.versions,
            id == "summary" || id == "issuetype",
        )? {
            out.insert(id.to_string(), m);
        }
    }
    // Links and attachments are edited through their own resources, yet Jira's edit
    // screen lists them: links with the one operation an edit takes (`update.issuelinks
    // [{"add": …}]`), attachments with none.
    for (id, ops) in [("issuelinks", json!(["add"])), ("attachment", json!([]))] {
        if id == "issuelinks" && !v.perms.has(Permission::LinkIssues) {
            continue;
        }
        if let Some(f) = crate::service::fields::system_field(id) {
            let mut m = json!({
                "required": false, "schema": system_schema(f), "name": f.name, "key": f.id,
                "operations": ops,
            });
            if id == "issuelinks" {
                m["autoCompleteUrl"] = json!(format!(
                    "{base}/rest/api/2/issue/picker?currentProjectId=&showSubTaskParent=true&showSubTasks=true&currentIssueKey={}&query=",
                    v.issue.key
                ));
            }
            out.insert(id.to_string(), m);
        }
    }
    if cat.is_done(v.issue.status_id)
        && let Some(m) = field_meta(base, cat, "resolution", &v.components, &v.versions, false)?
    {
        out.insert("resolution".into(), m);
    }
    if v.issue.parent_id.is_some()
        && let Some(m) = field_meta(base, cat, "parent", &v.components, &v.versions, false)?
    {
        out.insert("parent".into(), m);
    }
    for f in &cat.custom_fields {
        if let Some(m) = field_meta(base, cat, &f.field_id(), &v.components, &v.versions, false)? {
            out.insert(f.field_id(), m);
        }
    }
    Ok(out)
}

/// One change group on the wire.
pub fn history(base: &str, g: &ChangeGroup, users: &HashMap<UserId, User>) -> Result<Value> {
    Ok(json!({
        "id": g.id.to_string(),
        "author": opt_value(g.author_id.and_then(|a| users.get(&a)).map(|u| user(base, u)))?,
        "created": g.created.to_jira(),
        "items": g.items.iter().map(|it| json!({
            "field": it.field, "fieldtype": it.field_type, "fieldId": it.field_id,
            "from": it.from, "fromString": it.from_string, "to": it.to, "toString": it.to_string,
        })).collect::<Vec<_>>(),
    }))
}

/// A security level as Jira shows it (`fields.security`, `securitylevel/{id}`).
/// The `security` entry of createmeta / editmeta, when the caller may set a level.
pub fn security_meta(
    base: &str,
    levels: &[crate::domain::security::SecurityLevel],
) -> Option<Value> {
    (!levels.is_empty()).then(|| {
        json!({
            "required": false,
            "schema": {"type": "securitylevel", "system": "security"},
            "name": "Security Level", "key": "security", "hasDefaultValue": false,
            "operations": ["set"],
            "allowedValues": levels.iter().map(|l| security_level(base, l)).collect::<Vec<_>>(),
        })
    })
}

pub fn security_level(base: &str, l: &crate::domain::security::SecurityLevel) -> Value {
    json!({"self": format!("{base}/rest/api/2/securitylevel/{}", l.id), "id": l.id.to_string(), "name": l.name, "description": l.description})
}
