//! Jira wire types, named after the schemas of the reference (`UserBean`, `IssueTypeBean`,
//! ...), and the mappings from domain types. Ids are strings of digits, as Jira sends.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::domain::*;
use crate::service::Catalog;

/// A wire bean as a JSON value, for a handler that adds fields before answering. A
/// failure (a map with non-string keys, or a hand-written `Serialize` that errs; no bean
/// has either) answers 500 with the cause logged, never a `null` sent as if it were data.
pub fn to_json(bean: impl Serialize) -> crate::error::Result<serde_json::Value> {
    serde_json::to_value(bean).map_err(|e| {
        tracing::error!(error = %e, "a response bean did not serialise");
        crate::error::Error::internal()
    })
}

pub fn avatar_urls(base: &str, kind: &str, id: &str) -> BTreeMap<&'static str, String> {
    let mut m = BTreeMap::new();
    for (size, px) in [("48x48", 48), ("24x24", 24), ("16x16", 16), ("32x32", 32)] {
        m.insert(
            size,
            format!("{base}/secure/{kind}avatar?size={px}&ownerId={id}"),
        );
    }
    m
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserBean {
    #[serde(rename = "self")]
    pub self_: String,
    pub key: String,
    pub account_id: String,
    pub account_type: &'static str,
    pub name: String,
    pub email_address: String,
    pub avatar_urls: BTreeMap<&'static str, String>,
    pub display_name: String,
    pub active: bool,
    pub time_zone: String,
    pub locale: String,
}

pub fn user(base: &str, u: &User) -> UserBean {
    UserBean {
        self_: format!("{base}/rest/api/2/user?accountId={}", u.account_id),
        key: u.username.to_lowercase(),
        account_id: u.account_id.clone(),
        account_type: "atlassian",
        name: u.username.clone(),
        email_address: u.email.clone(),
        avatar_urls: avatar_urls(base, "user", &u.username),
        display_name: u.display_name.clone(),
        active: u.active,
        time_zone: u.time_zone.clone(),
        locale: u.locale.clone(),
    }
}

#[derive(Serialize)]
pub struct GroupName {
    pub name: String,
    #[serde(rename = "self")]
    pub self_: String,
}

#[derive(Serialize)]
pub struct SimpleList<T> {
    pub size: usize,
    pub items: Vec<T>,
}

/// `myself` and `user?expand=groups`: the user with groups and application roles.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserDetails {
    #[serde(flatten)]
    pub user: UserBean,
    pub groups: SimpleList<GroupName>,
    pub application_roles: SimpleList<ApplicationRole>,
    pub expand: &'static str,
}

#[derive(Serialize)]
pub struct ApplicationRole {
    pub key: &'static str,
    pub name: &'static str,
}

pub fn user_details(base: &str, u: &User, groups: &[String]) -> UserDetails {
    UserDetails {
        user: user(base, u),
        groups: SimpleList {
            size: groups.len(),
            items: groups
                .iter()
                .map(|g| GroupName {
                    name: g.clone(),
                    self_: format!("{base}/rest/api/2/group?groupname={g}"),
                })
                .collect(),
        },
        application_roles: SimpleList {
            size: 1,
            items: vec![ApplicationRole {
                key: "jira-software",
                name: "Jira Software",
            }],
        },
        expand: "groups,applicationRoles",
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusCategoryBean {
    #[serde(rename = "self")]
    pub self_: String,
    pub id: i64,
    pub key: String,
    pub color_name: String,
    pub name: String,
}

pub fn status_category(base: &str, c: &StatusCategory) -> StatusCategoryBean {
    StatusCategoryBean {
        self_: format!("{base}/rest/api/2/statuscategory/{}", c.id),
        id: c.id,
        key: c.key.clone(),
        color_name: c.color_name.clone(),
        name: c.name.clone(),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusBean {
    #[serde(rename = "self")]
    pub self_: String,
    pub description: String,
    pub icon_url: String,
    pub name: String,
    pub id: String,
    pub status_category: Option<StatusCategoryBean>,
}

pub fn status(base: &str, cat: &Catalog, s: &Status) -> StatusBean {
    StatusBean {
        self_: format!("{base}/rest/api/2/status/{}", s.id),
        description: s.description.clone(),
        icon_url: format!("{base}/images/icons/statuses/generic.png"),
        name: s.name.clone(),
        id: s.id.to_string(),
        status_category: cat
            .status_category(s.category_id)
            .map(|c| status_category(base, c)),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PriorityBean {
    #[serde(rename = "self")]
    pub self_: String,
    pub status_color: String,
    pub description: String,
    pub icon_url: String,
    pub name: String,
    pub id: String,
    pub is_default: bool,
}

pub fn priority(base: &str, p: &Priority) -> PriorityBean {
    PriorityBean {
        self_: format!("{base}/rest/api/2/priority/{}", p.id),
        status_color: p.status_color.clone(),
        description: p.description.clone(),
        icon_url: format!("{base}/images/icons/priorities/{}", p.icon),
        name: p.name.clone(),
        id: p.id.to_string(),
        is_default: p.is_default,
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolutionBean {
    #[serde(rename = "self")]
    pub self_: String,
    pub id: String,
    pub description: String,
    pub name: String,
    pub is_default: bool,
}

pub fn resolution(base: &str, r: &Resolution) -> ResolutionBean {
    ResolutionBean {
        self_: format!("{base}/rest/api/2/resolution/{}", r.id),
        id: r.id.to_string(),
        description: r.description.clone(),
        name: r.name.clone(),
        is_default: r.is_default,
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IssueTypeBean {
    #[serde(rename = "self")]
    pub self_: String,
    pub id: String,
    pub description: String,
    pub icon_url: String,
    pub name: String,
    pub subtask: bool,
    pub avatar_id: i64,
    pub hierarchy_level: i64,
}

pub fn issue_type(base: &str, t: &IssueType) -> IssueTypeBean {
    IssueTypeBean {
        self_: format!("{base}/rest/api/2/issuetype/{}", t.id),
        id: t.id.to_string(),
        description: t.description.clone(),
        icon_url: format!(
            "{base}/secure/viewavatar?size=xsmall&avatarId={}&avatarType=issuetype",
            t.avatar_id
        ),
        name: t.name.clone(),
        subtask: t.subtask,
        avatar_id: t.avatar_id,
        hierarchy_level: t.hierarchy_level,
    }
}

#[derive(Serialize)]
pub struct ProjectCategoryBean {
    #[serde(rename = "self")]
    pub self_: String,
    pub id: String,
    pub name: String,
    pub description: String,
}

pub fn project_category(base: &str, c: &ProjectCategory) -> ProjectCategoryBean {
    ProjectCategoryBean {
        self_: format!("{base}/rest/api/2/projectCategory/{}", c.id),
        id: c.id.to_string(),
        name: c.name.clone(),
        description: c.description.clone(),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ComponentBean {
    #[serde(rename = "self")]
    pub self_: String,
    pub id: String,
    pub name: String,
    pub description: String,
    pub assignee_type: String,
    pub project: String,
    pub project_id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lead: Option<UserBean>,
}

pub fn component(
    base: &str,
    c: &Component,
    project_key: &str,
    lead: Option<&User>,
) -> ComponentBean {
    ComponentBean {
        self_: format!("{base}/rest/api/2/component/{}", c.id),
        id: c.id.to_string(),
        name: c.name.clone(),
        description: c.description.clone(),
        assignee_type: c.assignee_type.clone(),
        project: project_key.to_string(),
        project_id: c.project_id.0,
        lead: lead.map(|u| user(base, u)),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionBean {
    #[serde(rename = "self")]
    pub self_: String,
    pub id: String,
    pub name: String,
    pub description: String,
    pub archived: bool,
    pub released: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release_date: Option<String>,
    pub overdue: bool,
    pub project_id: i64,
}

pub fn version(base: &str, v: &Version) -> VersionBean {
    // `overdue` is a calendar-date property computed for display: it reads the system
    // date, not the store's clock, because tests move that clock by seconds only and
    // threading a date through every version rendering (issue fields, metadata, project)
    // would buy nothing observable.
    let today = ::time::OffsetDateTime::now_utc().date().to_string();
    VersionBean {
        self_: format!("{base}/rest/api/2/version/{}", v.id),
        id: v.id.to_string(),
        name: v.name.clone(),
        description: v.description.clone(),
        archived: v.archived,
        released: v.released,
        start_date: v.start_date.clone(),
        release_date: v.release_date.clone(),
        overdue: !v.released
            && v.release_date
                .as_deref()
                .is_some_and(|d| d < today.as_str()),
        project_id: v.project_id.0,
    }
}

#[derive(Serialize)]
pub struct VisibilityBean {
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommentBean {
    #[serde(rename = "self")]
    pub self_: String,
    pub id: String,
    pub author: Option<UserBean>,
    pub body: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rendered_body: Option<String>,
    pub update_author: Option<UserBean>,
    pub created: String,
    pub updated: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visibility: Option<VisibilityBean>,
    pub jsd_public: bool,
}

pub fn comment(
    base: &str,
    c: &Comment,
    users: &std::collections::HashMap<UserId, User>,
    rendered: bool,
) -> CommentBean {
    let u = |id: Option<UserId>| id.and_then(|i| users.get(&i)).map(|x| user(base, x));
    CommentBean {
        self_: format!("{base}/rest/api/2/issue/{}/comment/{}", c.issue_id, c.id),
        id: c.id.to_string(),
        author: u(c.author_id),
        body: c.body.clone(),
        rendered_body: rendered.then(|| crate::markup::render(&c.body)),
        update_author: u(c.update_author_id),
        created: c.created.to_jira(),
        updated: c.updated.to_jira(),
        // A service desk's internal comment shows as `jsdPublic: false`, as in JSM,
        // rather than as a visibility Jira clients would not know.
        visibility: c
            .visibility
            .as_ref()
            .filter(|v| v.kind != crate::service::servicedesk::INTERNAL)
            .map(|v| VisibilityBean {
                kind: v.kind.clone(),
                value: v.value.clone(),
            }),
        jsd_public: c.visibility.is_none(),
    }
}

/// `{"id", "key", "self"}`, the answer to a create.
#[derive(Serialize)]
pub struct CreatedIssue {
    pub id: String,
    pub key: String,
    #[serde(rename = "self")]
    pub self_: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PageBean<T> {
    #[serde(rename = "self", skip_serializing_if = "Option::is_none")]
    pub self_: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    pub max_results: i64,
    pub start_at: i64,
    pub total: i64,
    pub is_last: bool,
    pub values: Vec<T>,
}

#[derive(Serialize)]
pub struct PropertyKey {
    #[serde(rename = "self")]
    pub self_: String,
    pub key: String,
}

#[derive(Serialize)]
pub struct PropertyKeys {
    pub keys: Vec<PropertyKey>,
}

#[derive(Serialize)]
pub struct EntityProperty {
    pub key: String,
    pub value: serde_json::Value,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorklogBean {
    #[serde(rename = "self")]
    pub self_: String,
    pub author: Option<UserBean>,
    pub update_author: Option<UserBean>,
    pub comment: String,
    pub created: String,
    pub updated: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visibility: Option<VisibilityBean>,
    pub started: String,
    pub time_spent: String,
    pub time_spent_seconds: i64,
    pub id: String,
    pub issue_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<Vec<EntityProperty>>,
}

pub fn worklog(
    base: &str,
    w: &Worklog,
    users: &std::collections::HashMap<UserId, User>,
    tt: &TimeTracking,
) -> WorklogBean {
    let u = |id: Option<UserId>| id.and_then(|i| users.get(&i)).map(|x| user(base, x));
    WorklogBean {
        self_: format!("{base}/rest/api/2/issue/{}/worklog/{}", w.issue_id, w.id),
        author: u(w.author_id),
        update_author: u(w.update_author_id),
        comment: w.comment.clone(),
        created: w.created.to_jira(),
        updated: w.updated.to_jira(),
        visibility: w.visibility.as_ref().map(|v| VisibilityBean {
            kind: v.kind.clone(),
            value: v.value.clone(),
        }),
        started: w.started.to_jira(),
        time_spent: crate::service::fields::format_duration_with(w.time_spent, tt),
        time_spent_seconds: w.time_spent,
        id: w.id.to_string(),
        issue_id: w.issue_id.to_string(),
        properties: None,
    }
}

/// A remote issue link as Jira shows it.
pub fn remote_link(base: &str, issue_key: &str, l: &RemoteLink) -> serde_json::Value {
    use serde_json::{Map, Value, json};
    let icon = |i: &LinkIcon| {
        let mut m = Map::new();
        for (k, v) in [
            ("url16x16", &i.url16x16),
            ("title", &i.title),
            ("link", &i.link),
        ] {
            if let Some(v) = v {
                m.insert(k.into(), json!(v));
            }
        }
        Value::Object(m)
    };
    let mut object = json!({"url": l.url, "title": l.title, "icon": icon(&l.icon), "status": {}});
    if let Some(s) = &l.summary {
        object["summary"] = json!(s);
    }
    if let Some(r) = l.status_resolved {
        object["status"]["resolved"] = json!(r);
    }
    object["status"]["icon"] = icon(&l.status_icon);
    let mut out = json!({
        "id": l.id,
        "self": format!("{base}/rest/api/2/issue/{issue_key}/remotelink/{}", l.id),
        "object": object,
    });
    if let Some(g) = &l.global_id {
        out["globalId"] = json!(g);
    }
    let mut app = Map::new();
    if let Some(t) = &l.application_type {
        app.insert("type".into(), json!(t));
    }
    if let Some(n) = &l.application_name {
        app.insert("name".into(), json!(n));
    }
    out["application"] = Value::Object(app);
    if let Some(r) = &l.relationship {
        out["relationship"] = json!(r);
    }
    out
}
