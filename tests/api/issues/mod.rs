//! The issue lifecycle: create (single, bulk, concurrent), get with field selection and
//! expansions, edit, assign, transitions, changelog, delete, metadata, the picker, issue
//! properties and issue-level permissions.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{Client, Reply, advance_clock, issue, project, user};

mod access;
mod create;
mod edit;
mod meta;
mod read;
mod transitions;

const ISSUE: &str = "/rest/api/2/issue";

fn admin() -> Client {
    Client::admin()
}

/// `POST /issue` as admin with the given `fields` on top of project, summary and type.
async fn create(fields: Value) -> Reply {
    admin().post(ISSUE, json!({ "fields": fields })).await
}

async fn get_issue(key: &str, query: &str) -> Value {
    admin()
        .get(&format!("{ISSUE}/{key}{query}"))
        .await
        .expect(200)
        .body
}

async fn account_id(name: &str) -> String {
    let r = admin()
        .get(&format!("/rest/api/2/user?username={name}"))
        .await
        .expect(200);
    r.body["accountId"].as_str().expect("accountId").to_string()
}

/// Creates a custom field of the given short type and returns its id (`customfield_N`).
async fn custom_field(name: &str, kind: &str) -> String {
    let r = admin()
        .post(
            "/rest/api/2/field",
            json!({"name": name, "description": "test field", "type": format!("com.atlassian.jira.plugin.system.customfieldtypes:{kind}")}),
        )
        .await
        .expect(201);
    assert_eq!(r.body["custom"], true, "{}", r.text);
    let id = r.body["id"].as_str().expect("field id").to_string();
    assert!(id.starts_with("customfield_"), "{id}");
    id
}

/// Adds a select option and returns its id as a string.
async fn option(field: &str, value: &str) -> String {
    let r = admin()
        .post(
            &format!("/rest/api/2/field/{field}/option"),
            json!({ "value": value }),
        )
        .await
        .expect(200);
    assert_eq!(r.body["value"], value);
    match &r.body["id"] {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        other => panic!("option id: {other}"),
    }
}

/// Removes the default `jira-users` group from the project's Members role, so a fresh
/// user holds no role at all in it.
async fn remove_members_group(project: &str) {
    admin()
        .delete(&format!(
            "/rest/api/2/project/{project}/role/10003?group=jira-users"
        ))
        .await
        .expect(204);
}

fn names_of(list: &Value, field: &str) -> Vec<String> {
    list.as_array()
        .expect("array")
        .iter()
        .map(|v| v[field].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn changelog(key: &str, query: &str) -> Value {
    admin()
        .get(&format!("{ISSUE}/{key}/changelog{query}"))
        .await
        .expect(200)
        .body
}

/// All changelog items as (field, fromString, toString).
async fn changes(key: &str) -> Vec<(String, Option<String>, Option<String>)> {
    let log = changelog(key, "").await;
    let s = |v: &Value| v.as_str().map(String::from);
    log["values"]
        .as_array()
        .expect("values")
        .iter()
        .flat_map(|g| g["items"].as_array().expect("items").clone())
        .map(|i| {
            (
                i["field"].as_str().unwrap_or_default().to_string(),
                s(&i["fromString"]),
                s(&i["toString"]),
            )
        })
        .collect()
}
