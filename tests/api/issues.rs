//! The issue lifecycle: create (single, bulk, concurrent), get with field selection and
//! expansions, edit, assign, transitions, changelog, delete, metadata, the picker, issue
//! properties and issue-level permissions.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{Client, Reply, advance_clock, issue, project, user};

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

// ---------------------------------------------------------------------------------------
// Create
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn create_sets_every_system_field() {
    let p = project("ISYS").await;
    let (u, _) = user("isys").await;
    let r = create(json!({
        "project": {"key": p},
        "summary": "All the fields",
        "description": "Some *description*",
        "environment": "Linux x86_64",
        "issuetype": {"id": "10004"},
        "priority": {"name": "High"},
        "assignee": {"name": u},
        "reporter": {"name": u},
        "labels": ["alpha", "beta"],
        "duedate": "2026-01-31",
        "timetracking": {"originalEstimate": "1h 30m"},
    }))
    .await
    .expect(201);
    let key = r.body["key"].as_str().expect("key").to_string();
    assert_eq!(key, format!("{p}-1"));
    assert!(
        r.body["id"]
            .as_str()
            .is_some_and(|id| id.parse::<i64>().is_ok()),
        "id is a string of digits: {}",
        r.text
    );
    assert!(
        r.body["self"]
            .as_str()
            .is_some_and(|s| s.ends_with(&format!(
                "/rest/api/2/issue/{}",
                r.body["id"].as_str().unwrap()
            )))
    );

    let f = get_issue(&key, "").await["fields"].clone();
    assert_eq!(f["summary"], "All the fields");
    assert_eq!(f["description"], "Some *description*");
    assert_eq!(f["environment"], "Linux x86_64");
    assert_eq!(f["issuetype"]["name"], "Bug");
    assert_eq!(f["issuetype"]["id"], "10004");
    assert_eq!(f["priority"]["name"], "High");
    assert_eq!(f["assignee"]["name"], u.as_str());
    assert_eq!(f["reporter"]["name"], u.as_str());
    assert_eq!(f["creator"]["name"], "admin");
    assert_eq!(f["labels"], json!(["alpha", "beta"]));
    assert_eq!(f["duedate"], "2026-01-31");
    assert_eq!(f["timeoriginalestimate"], 5400);
    assert_eq!(
        f["timeestimate"], 5400,
        "the remaining estimate starts as the original"
    );
    assert_eq!(f["timetracking"]["originalEstimate"], "1h 30m");
    assert_eq!(f["timetracking"]["originalEstimateSeconds"], 5400);
    assert_eq!(f["status"]["name"], "To Do");
    assert_eq!(f["status"]["statusCategory"]["key"], "new");
    assert_eq!(f["project"]["key"], p.as_str());
    assert!(f["resolution"].is_null());
    assert!(f["resolutiondate"].is_null());
    assert!(
        f["created"].as_str().is_some_and(|c| c.len() >= 19),
        "created: {}",
        f["created"]
    );
}

#[tokio::test]
async fn create_resolves_types_priorities_and_users_by_alternative_references() {
    let p = project("IALT").await;
    let (u, _) = user("ialt").await;
    let acc = account_id(&u).await;
    let key = create(json!({
        "project": {"id": get_project_id(&p).await},
        "summary": "By ids and account ids",
        "issuetype": {"name": "Story"},
        "priority": {"id": "2"},
        "assignee": {"accountId": acc},
        "reporter": {"accountId": acc},
    }))
    .await
    .expect(201)
    .body["key"]
        .as_str()
        .expect("key")
        .to_string();
    let f = get_issue(&key, "?fields=issuetype,priority,assignee,reporter").await["fields"].clone();
    assert_eq!(f["issuetype"]["name"], "Story");
    assert_eq!(f["priority"]["name"], "High");
    assert_eq!(f["priority"]["id"], "2");
    assert_eq!(f["assignee"]["accountId"], acc.as_str());
    assert_eq!(f["reporter"]["name"], u.as_str());

    // Without a priority the default (Medium) applies; reporter defaults to the caller.
    let key = issue(&p, "Defaults").await;
    let f = get_issue(&key, "").await["fields"].clone();
    assert_eq!(f["priority"]["name"], "Medium");
    assert_eq!(f["reporter"]["name"], "admin");
    assert_eq!(f["issuetype"]["name"], "Task");
}

async fn get_project_id(key: &str) -> String {
    admin()
        .get(&format!("/rest/api/2/project/{key}"))
        .await
        .expect(200)
        .body["id"]
        .as_str()
        .expect("project id")
        .to_string()
}

#[tokio::test]
async fn create_applies_update_operations() {
    let p = project("IUPD").await;
    let r = admin()
        .post(
            ISSUE,
            json!({
                "fields": {"project": {"key": p}, "summary": "Update ops", "issuetype": {"name": "Task"}},
                "update": {"labels": [{"add": "one"}, {"add": "two"}, {"add": "one"}]},
            }),
        )
        .await
        .expect(201);
    let key = r.body["key"].as_str().unwrap();
    let f = get_issue(key, "?fields=labels").await["fields"].clone();
    assert_eq!(
        f["labels"],
        json!(["one", "two"]),
        "adding a label twice keeps one"
    );

    // An unknown verb is refused with the field named.
    let r = admin()
        .post(
            ISSUE,
            json!({
                "fields": {"project": {"key": p}, "summary": "Bad op", "issuetype": {"name": "Task"}},
                "update": {"labels": [{"frobnicate": "x"}]},
            }),
        )
        .await
        .expect(400);
    assert!(
        r.body["errors"]["labels"]
            .as_str()
            .is_some_and(|m| m.contains("frobnicate")),
        "{}",
        r.text
    );
}

#[tokio::test]
async fn create_refuses_unknown_components_and_versions() {
    let p = project("ICMP").await;
    let base = || json!({"project": {"key": p}, "summary": "x", "issuetype": {"name": "Task"}});
    for (field, value) in [
        ("components", json!([{"name": "Backend"}])),
        ("fixVersions", json!([{"name": "1.0"}])),
        ("versions", json!([{"id": "999999"}])),
    ] {
        let mut fields = base();
        fields[field] = value;
        let r = create(fields).await.expect(400);
        r.jira_error();
        let msg = r.body["errors"][field].as_str().unwrap_or_default();
        assert!(msg.contains("not valid"), "{field}: {}", r.text);
    }
    // Nothing was created by the refused requests.
    assert_eq!(admin().get(&format!("{ISSUE}/{p}-1")).await.status, 404);
}

#[tokio::test]
async fn create_sets_and_reads_custom_fields() {
    let p = project("ICF").await;
    let (u, _) = user("icf").await;
    let tag = crate::common::unique_key("CF");
    let text = custom_field(&format!("Text {tag}"), "textfield").await;
    let number = custom_field(&format!("Number {tag}"), "float").await;
    let select = custom_field(&format!("Colour {tag}"), "select").await;
    let red = option(&select, "red").await;
    let _green = option(&select, "green").await;
    let multi = custom_field(&format!("Sizes {tag}"), "multiselect").await;
    let small = option(&multi, "small").await;
    let large = option(&multi, "large").await;
    let date = custom_field(&format!("Start {tag}"), "datepicker").await;
    let date2 = custom_field(&format!("End {tag}"), "datepicker").await;
    let labels = custom_field(&format!("Tags {tag}"), "labels").await;
    let person = custom_field(&format!("Person {tag}"), "userpicker").await;
    let url = custom_field(&format!("Link {tag}"), "url").await;

    // The field list knows the new fields with their schemas.
    let all = admin().get("/rest/api/2/field").await.expect(200).body;
    let select_bean = all
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == select.as_str())
        .expect("select in /field")
        .clone();
    assert_eq!(select_bean["schema"]["type"], "option");
    assert_eq!(
        select_bean["schema"]["custom"],
        "com.atlassian.jira.plugin.system.customfieldtypes:select"
    );

    let mut fields =
        json!({"project": {"key": p}, "summary": "Custom", "issuetype": {"name": "Task"}});
    fields[&text] = json!("free text");
    fields[&number] = json!(3.5);
    fields[&select] = json!({"value": "red"});
    fields[&multi] = json!([small, {"id": large}]);
    fields[&date] = json!("2026-01-31");
    fields[&date2] = json!("31/Jan/26");
    fields[&labels] = json!(["x", "y"]);
    fields[&person] = json!({"name": u});
    fields[&url] = json!("https://example.com/a");
    let key = create(fields).await.expect(201).body["key"]
        .as_str()
        .unwrap()
        .to_string();

    let f = get_issue(&key, "").await["fields"].clone();
    assert_eq!(f[&text], "free text");
    assert_eq!(f[&number], 3.5);
    assert_eq!(f[&select]["value"], "red");
    assert_eq!(f[&select]["id"], red.as_str());
    assert_eq!(names_of(&f[&multi], "value"), vec!["small", "large"]);
    assert_eq!(f[&date], "2026-01-31");
    assert_eq!(
        f[&date2], "2026-01-31",
        "31/Jan/26 is Jira's date input format"
    );
    assert_eq!(f[&labels], json!(["x", "y"]));
    assert_eq!(f[&person]["name"], u.as_str());
    assert_eq!(f[&url], "https://example.com/a");

    // names/schema expansions cover custom fields too.
    let bean = get_issue(&key, &format!("?fields={select}&expand=names,schema")).await;
    assert_eq!(bean["names"][&select], format!("Colour {tag}").as_str());
    assert_eq!(bean["schema"][&multi]["items"], "option");
    assert_eq!(
        bean["fields"].as_object().unwrap().len(),
        1,
        "only the asked field: {}",
        bean["fields"]
    );

    // Edits of custom fields: set, add/remove on multi-valued ones, and the changelog.
    admin()
        .put(
            &format!("{ISSUE}/{key}"),
            json!({"fields": {select.as_str(): {"value": "green"}, number.as_str(): null}, "update": {multi.as_str(): [{"remove": {"value": "small"}}], labels.as_str(): [{"add": "z"}]}}),
        )
        .await
        .expect(204);
    let f = get_issue(&key, "").await["fields"].clone();
    assert_eq!(f[&select]["value"], "green");
    assert!(f[&number].is_null());
    assert_eq!(names_of(&f[&multi], "value"), vec!["large"]);
    assert_eq!(f[&labels], json!(["x", "y", "z"]));
    let items = changes(&key).await;
    let colour = items
        .iter()
        .find(|(field, _, _)| field == &format!("Colour {tag}"))
        .expect("select change recorded");
    assert_eq!(
        (colour.1.as_deref(), colour.2.as_deref()),
        (Some("red"), Some("green"))
    );
    let num = items
        .iter()
        .find(|(field, _, _)| field == &format!("Number {tag}"))
        .expect("number change recorded");
    assert_eq!((num.1.as_deref(), num.2.as_deref()), (Some("3.5"), None));

    // Wrong values are refused per field, and nothing is created.
    for (field, value, needle) in [
        (&select, json!({"value": "purple"}), "purple"),
        (&number, json!("abc"), "abc"),
        (&url, json!("not a url"), "URL"),
        (&date, json!("January 31st"), "date"),
        (&multi, json!(["99999999"]), "99999999"),
        (&person, json!({"name": "nobody-here"}), "nobody-here"),
    ] {
        let mut fields =
            json!({"project": {"key": p}, "summary": "Bad custom", "issuetype": {"name": "Task"}});
        fields[field.as_str()] = value;
        let r = create(fields).await.expect(400);
        r.jira_error();
        let msg = r.body["errors"][field.as_str()]
            .as_str()
            .unwrap_or_default();
        assert!(msg.contains(needle), "{field}: {}", r.text);
    }
    assert_eq!(admin().get(&format!("{ISSUE}/{p}-2")).await.status, 404);
}

#[tokio::test]
async fn create_validation_errors() {
    let p = project("IERR").await;

    let r = create(json!({"project": {"key": p}, "issuetype": {"name": "Task"}}))
        .await
        .expect(400);
    r.jira_error();
    assert!(
        r.body["errors"]["summary"]
            .as_str()
            .is_some_and(|m| m.contains("summary")),
        "{}",
        r.text
    );

    let r = create(json!({"summary": "No project", "issuetype": {"name": "Task"}}))
        .await
        .expect(400);
    assert!(
        r.body["errors"]["project"]
            .as_str()
            .is_some_and(|m| m.contains("project")),
        "{}",
        r.text
    );

    let r = create(
        json!({"project": {"key": "NOSUCHPRJ"}, "summary": "x", "issuetype": {"name": "Task"}}),
    )
    .await
    .expect(400);
    assert!(r.body["errors"].get("project").is_some(), "{}", r.text);

    let r = create(json!({"project": {"key": p}, "summary": "No type"}))
        .await
        .expect(400);
    assert!(
        r.body["errors"]["issuetype"]
            .as_str()
            .is_some_and(|m| m.contains("issue type")),
        "{}",
        r.text
    );

    let r = create(json!({"project": {"key": p}, "summary": "x", "issuetype": {"name": "Nope"}}))
        .await
        .expect(400);
    assert!(r.body["errors"].get("issuetype").is_some(), "{}", r.text);

    // All missing at once: every key reported.
    let r = create(json!({})).await.expect(400);
    let errors = r.body["errors"].as_object().expect("errors");
    for k in ["project", "summary", "issuetype"] {
        assert!(errors.contains_key(k), "{k} missing from {}", r.text);
    }

    let r = create(
        json!({"project": {"key": p}, "summary": "x", "issuetype": {"name": "Task"}, "foo": "bar"}),
    )
    .await
    .expect(400);
    assert!(
        r.body["errors"]["foo"]
            .as_str()
            .is_some_and(|m| m.contains("cannot be set")),
        "{}",
        r.text
    );

    let r = create(json!({"project": {"key": p}, "summary": "x", "issuetype": {"name": "Task"}, "priority": {"name": "Urgentest"}})).await.expect(400);
    assert!(
        r.body["errors"]["priority"]
            .as_str()
            .is_some_and(|m| m.contains("Urgentest")),
        "{}",
        r.text
    );

    let r = create(json!({"project": {"key": p}, "summary": 5, "issuetype": {"name": "Task"}}))
        .await
        .expect(400);
    assert!(r.body["errors"].get("summary").is_some(), "{}", r.text);

    let r = create(
        json!({"project": {"key": p}, "summary": "x".repeat(256), "issuetype": {"name": "Task"}}),
    )
    .await
    .expect(400);
    assert!(
        r.body["errors"]["summary"]
            .as_str()
            .is_some_and(|m| m.contains("255")),
        "{}",
        r.text
    );

    let r = create(json!({"project": {"key": p}, "summary": "x", "issuetype": {"name": "Task"}, "duedate": "31.01.2026"})).await.expect(400);
    assert!(r.body["errors"].get("duedate").is_some(), "{}", r.text);

    let r = create(json!({"project": {"key": p}, "summary": "x", "issuetype": {"name": "Task"}, "labels": ["has space"]})).await.expect(400);
    assert!(r.body["errors"].get("labels").is_some(), "{}", r.text);

    let r = create(json!({"project": {"key": p}, "summary": "x", "issuetype": {"name": "Task"}, "assignee": {"name": "ghost-user"}})).await.expect(400);
    assert!(
        r.body["errors"]["assignee"]
            .as_str()
            .is_some_and(|m| m.contains("ghost-user")),
        "{}",
        r.text
    );

    // Malformed JSON and an empty object body get Jira error bodies too.
    let r = admin()
        .raw(Method::POST, ISSUE, "application/json", "{\"fields\": {")
        .await
        .expect(400);
    assert!(!r.jira_error().is_empty());
    let r = admin()
        .raw(Method::POST, ISSUE, "application/json", "")
        .await
        .expect(400);
    assert!(!r.jira_error().is_empty());
    let r = admin().post(ISSUE, json!({})).await.expect(400);
    assert!(r.jira_error().contains("fields"), "{}", r.text);

    // Anonymous callers cannot create.
    let r = Client::anonymous().post(ISSUE, json!({"fields": {"project": {"key": p}, "summary": "x", "issuetype": {"name": "Task"}}})).await.expect(401);
    r.jira_error();

    // None of the refused requests used up a key.
    let key = issue(&p, "First real issue").await;
    assert_eq!(key, format!("{p}-1"));
}

#[tokio::test]
async fn subtasks_need_a_parent_and_are_listed_on_it() {
    let p = project("ISUB").await;
    let parent = issue(&p, "Parent").await;

    let r = create(
        json!({"project": {"key": p}, "summary": "Orphan", "issuetype": {"name": "Sub-task"}}),
    )
    .await
    .expect(400);
    assert!(
        r.body["errors"]["parent"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{}",
        r.text
    );

    let r = create(json!({"project": {"key": p}, "summary": "Child", "issuetype": {"name": "Sub-task"}, "parent": {"key": "NOPE-1"}})).await.expect(400);
    assert!(r.body["errors"].get("parent").is_some(), "{}", r.text);

    let child = create(json!({"project": {"key": p}, "summary": "Child", "issuetype": {"name": "Sub-task"}, "parent": {"key": parent}}))
        .await
        .expect(201)
        .body["key"]
        .as_str()
        .unwrap()
        .to_string();
    let pf = get_issue(&parent, "").await["fields"].clone();
    assert_eq!(names_of(&pf["subtasks"], "key"), vec![child.clone()]);
    assert_eq!(pf["subtasks"][0]["fields"]["summary"], "Child");
    assert_eq!(pf["subtasks"][0]["fields"]["issuetype"]["subtask"], true);
    let cf = get_issue(&child, "").await["fields"].clone();
    assert_eq!(cf["parent"]["key"], parent.as_str());
    assert_eq!(cf["issuetype"]["name"], "Sub-task");

    // A sub-task cannot parent another sub-task.
    let r = create(json!({"project": {"key": p}, "summary": "Grandchild", "issuetype": {"name": "Sub-task"}, "parent": {"key": child}})).await.expect(400);
    assert!(r.body["errors"].get("parent").is_some(), "{}", r.text);

    // Deleting a parent needs deleteSubtasks=true.
    let r = admin()
        .delete(&format!("{ISSUE}/{parent}"))
        .await
        .expect(400);
    assert!(r.jira_error().contains("subtask"), "{}", r.text);
    get_issue(&parent, "").await;
    let r = admin()
        .delete(&format!("{ISSUE}/{parent}?deleteSubtasks=true"))
        .await
        .expect(204);
    assert!(r.text.is_empty());
    for key in [&parent, &child] {
        let r = admin().get(&format!("{ISSUE}/{key}")).await.expect(404);
        assert!(
            r.jira_error().contains("Issue does not exist"),
            "{}",
            r.text
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creates_allocate_dense_unique_keys() {
    let p = project("IKEY").await;
    let handles: Vec<_> = (0..20)
        .map(|n| {
            let p = p.clone();
            tokio::spawn(async move { issue(&p, &format!("Concurrent {n}")).await })
        })
        .collect();
    let mut numbers = Vec::new();
    for h in handles {
        let key = h.await.expect("task");
        let (prefix, n) = key.rsplit_once('-').expect("key shape");
        assert_eq!(prefix, p);
        numbers.push(n.parse::<u32>().expect("number"));
    }
    numbers.sort_unstable();
    assert_eq!(
        numbers,
        (1..=20).collect::<Vec<_>>(),
        "no gaps, no duplicates"
    );
    // And the next one continues the sequence.
    assert_eq!(issue(&p, "After").await, format!("{p}-21"));
}

#[tokio::test]
async fn bulk_create_reports_failed_elements_by_position() {
    let p = project("IBLK").await;
    let ok = |s: &str| json!({"fields": {"project": {"key": p}, "summary": s, "issuetype": {"name": "Task"}}});
    let r = admin()
        .post(
            &format!("{ISSUE}/bulk"),
            json!({"issueUpdates": [
                ok("first"),
                {"fields": {"project": {"key": p}, "issuetype": {"name": "Task"}}},
                ok("third"),
                {"fields": {"project": {"key": p}, "summary": "bad prio", "issuetype": {"name": "Task"}, "priority": {"name": "Nope"}}},
            ]}),
        )
        .await
        .expect(201);
    let keys = names_of(&r.body["issues"], "key");
    assert_eq!(keys.len(), 2, "{}", r.text);
    let errors = r.body["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 2, "{}", r.text);
    assert_eq!(errors[0]["failedElementNumber"], 1);
    assert_eq!(errors[0]["status"], 400);
    assert!(
        errors[0]["elementErrors"]["errors"]
            .get("summary")
            .is_some(),
        "{}",
        r.text
    );
    assert_eq!(errors[1]["failedElementNumber"], 3);
    assert!(
        errors[1]["elementErrors"]["errors"]
            .get("priority")
            .is_some(),
        "{}",
        r.text
    );
    for (key, summary) in keys.iter().zip(["first", "third"]) {
        assert_eq!(get_issue(key, "").await["fields"]["summary"], summary);
    }

    // An element that is not an issue object is refused by position too.
    let r = admin()
        .post(
            &format!("{ISSUE}/bulk"),
            json!({"issueUpdates": [42, ok("fine")]}),
        )
        .await
        .expect(201);
    assert_eq!(r.body["errors"][0]["failedElementNumber"], 0);
    assert_eq!(names_of(&r.body["issues"], "key").len(), 1);
    let too_many: Vec<Value> = (0..51).map(|n| ok(&format!("n{n}"))).collect();
    let r = admin()
        .post(
            &format!("{ISSUE}/bulk"),
            json!({ "issueUpdates": too_many }),
        )
        .await
        .expect(400);
    r.jira_error();

    // All bad: 400, nothing created.
    let r = admin()
        .post(
            &format!("{ISSUE}/bulk"),
            json!({"issueUpdates": [{"fields": {"project": {"key": p}}}]}),
        )
        .await
        .expect(400);
    assert_eq!(r.body["issues"], json!([]));
    assert_eq!(r.body["errors"][0]["failedElementNumber"], 0);
}

// ---------------------------------------------------------------------------------------
// Get
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn get_issue_field_selection() {
    let p = project("IGET").await;
    let key = create(json!({"project": {"key": p}, "summary": "Select me", "description": "desc", "issuetype": {"name": "Task"}}))
        .await
        .expect(201)
        .body["key"]
        .as_str()
        .unwrap()
        .to_string();

    let bean = get_issue(&key, "?fields=summary,status").await;
    let f = bean["fields"].as_object().unwrap();
    let mut keys: Vec<&String> = f.keys().collect();
    keys.sort();
    assert_eq!(keys, vec!["status", "summary"]);
    assert_eq!(bean["key"], key.as_str());

    // The parameter may be repeated, as Jira allows.
    let f = get_issue(&key, "?fields=summary&fields=status").await["fields"].clone();
    let mut keys: Vec<&String> = f.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, vec!["status", "summary"]);
    let bean = get_issue(
        &key,
        "?fields=summary&expand=names&expand=schema&fieldsByKeys=False",
    )
    .await;
    assert!(
        bean["names"].is_object() && bean["schema"].is_object(),
        "{bean}"
    );
    let r = admin()
        .get(&format!("{ISSUE}/{key}?updateHistory=maybe"))
        .await
        .expect(400);
    assert!(r.jira_error().contains("updateHistory"), "{}", r.text);

    let f = get_issue(&key, "?fields=*navigable").await["fields"].clone();
    assert_eq!(f["summary"], "Select me");
    assert!(f.get("status").is_some());
    assert!(
        f.get("timetracking").is_none(),
        "timetracking is not navigable"
    );
    assert!(f.get("worklog").is_none(), "worklog is not navigable");

    let f = get_issue(&key, "?fields=-description").await["fields"].clone();
    assert!(f.get("description").is_none());
    assert_eq!(
        f["summary"], "Select me",
        "the default (*all) still applies"
    );
    assert!(f.get("timetracking").is_some());

    let f = get_issue(&key, "?fields=*all,-summary,-status").await["fields"].clone();
    assert!(f.get("summary").is_none() && f.get("status").is_none());
    assert_eq!(f["description"], "desc");

    // Default: all fields.
    let f = get_issue(&key, "").await["fields"].clone();
    for k in [
        "summary",
        "description",
        "status",
        "priority",
        "comment",
        "timetracking",
        "labels",
        "subtasks",
        "created",
        "updated",
    ] {
        assert!(f.get(k).is_some(), "{k} missing from the default field set");
    }
}

#[tokio::test]
async fn get_issue_expansions() {
    let p = project("IEXP").await;
    let key = create(json!({
        "project": {"key": p}, "summary": "Expand me", "issuetype": {"name": "Task"},
        "description": "This is *bold* and <script>alert(1)</script>",
    }))
    .await
    .expect(201)
    .body["key"]
        .as_str()
        .unwrap()
        .to_string();
    admin()
        .put(
            &format!("{ISSUE}/{key}"),
            json!({"fields": {"summary": "Expanded"}}),
        )
        .await
        .expect(204);

    let bean = get_issue(
        &key,
        "?expand=names,schema,renderedFields,transitions,editmeta,changelog",
    )
    .await;
    assert_eq!(bean["names"]["summary"], "Summary");
    assert_eq!(bean["names"]["duedate"], "Due date");
    assert_eq!(bean["schema"]["summary"]["type"], "string");
    assert_eq!(bean["schema"]["labels"]["items"], "string");
    let html = bean["renderedFields"]["description"]
        .as_str()
        .expect("rendered description");
    assert!(html.contains("<strong>bold</strong>"), "{html}");
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&lt;script&gt;"), "{html}");
    assert_eq!(
        bean["fields"]["description"], "This is *bold* and <script>alert(1)</script>",
        "raw markup stays in fields"
    );
    let mut ids = names_of(&bean["transitions"], "id");
    ids.sort();
    assert_eq!(ids, vec!["21", "31", "41"]);
    assert_eq!(
        bean["editmeta"]["fields"]["summary"]["required"], true,
        "{}",
        bean["editmeta"]
    );
    let histories = bean["changelog"]["histories"]
        .as_array()
        .expect("histories");
    assert_eq!(bean["changelog"]["total"], 1);
    assert_eq!(histories[0]["items"][0]["field"], "summary");
    assert_eq!(histories[0]["items"][0]["fromString"], "Expand me");
    assert_eq!(histories[0]["items"][0]["toString"], "Expanded");

    // Rendered comments come with the rendered fields.
    admin()
        .post(&format!("{ISSUE}/{key}/comment"), json!({"body": "_said_"}))
        .await
        .expect(201);
    let bean = get_issue(&key, "?fields=comment&expand=renderedFields").await;
    let html = bean["renderedFields"]["comment"]["comments"][0]["renderedBody"].as_str();
    assert!(html.is_some_and(|h| h.contains("<em>said</em>")), "{bean}");
    assert_eq!(bean["fields"]["comment"]["comments"][0]["body"], "_said_");

    // Without expand, none of those keys appear.
    let bean = get_issue(&key, "").await;
    for k in [
        "names",
        "schema",
        "renderedFields",
        "transitions",
        "editmeta",
        "changelog",
    ] {
        assert!(bean.get(k).is_none(), "{k} present without expand");
    }
    assert!(
        bean["expand"]
            .as_str()
            .is_some_and(|e| e.contains("renderedFields"))
    );
}

#[tokio::test]
async fn get_issue_by_id_lowercase_key_properties_and_errors() {
    let p = project("IREF").await;
    let r =
        create(json!({"project": {"key": p}, "summary": "Find me", "issuetype": {"name": "Task"}}))
            .await
            .expect(201);
    let key = r.body["key"].as_str().unwrap().to_string();
    let id = r.body["id"].as_str().unwrap().to_string();

    let by_id = get_issue(&id, "").await;
    assert_eq!(by_id["key"], key.as_str());
    assert_eq!(by_id["id"], id.as_str());
    let lower = get_issue(&key.to_lowercase(), "").await;
    assert_eq!(lower["key"], key.as_str());
    assert_eq!(lower["fields"]["summary"], "Find me");

    admin()
        .put(
            &format!("{ISSUE}/{key}/properties/team"),
            json!({"name": "core"}),
        )
        .await
        .expect(201);
    admin()
        .put(&format!("{ISSUE}/{key}/properties/rank"), json!(7))
        .await
        .expect(201);
    let bean = get_issue(&key, "?properties=team").await;
    assert_eq!(bean["properties"], json!({"team": {"name": "core"}}));
    let bean = get_issue(&key, "?properties=*all").await;
    assert_eq!(bean["properties"]["rank"], 7);
    assert_eq!(bean["properties"]["team"]["name"], "core");
    let bean = get_issue(&key, "?properties=*all,-rank").await;
    assert!(
        bean["properties"].get("rank").is_none(),
        "{}",
        bean["properties"]
    );

    let r = admin().get(&format!("{ISSUE}/{p}-999")).await.expect(404);
    assert_eq!(
        r.body["errorMessages"],
        json!(["Issue does not exist or you do not have permission to see it."])
    );
    let r = admin().get(&format!("{ISSUE}/99999999")).await.expect(404);
    assert!(r.jira_error().contains("Issue does not exist"));

    let r = Client::anonymous()
        .get(&format!("{ISSUE}/{key}"))
        .await
        .expect(401);
    assert!(!r.jira_error().is_empty());
    let r = Client::basic("admin", "wrong-password")
        .get(&format!("{ISSUE}/{key}"))
        .await
        .expect(401);
    r.jira_error();
}

// ---------------------------------------------------------------------------------------
// Edit
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn edit_fields_and_update_operations_with_changelog() {
    let p = project("IEDT").await;
    let key = create(json!({"project": {"key": p}, "summary": "Before", "issuetype": {"name": "Task"}, "labels": ["keep", "drop"]}))
        .await
        .expect(201)
        .body["key"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("{ISSUE}/{key}");

    let r = admin()
        .put(
            &path,
            json!({
                "fields": {"summary": "After", "priority": {"name": "Low"}, "description": "Now described", "duedate": "2026-03-01"},
                "update": {"labels": [{"add": "new"}, {"remove": "drop"}]},
            }),
        )
        .await
        .expect(204);
    assert!(r.text.is_empty());
    let f = get_issue(&key, "").await["fields"].clone();
    assert_eq!(f["summary"], "After");
    assert_eq!(f["priority"]["name"], "Low");
    assert_eq!(f["description"], "Now described");
    assert_eq!(f["duedate"], "2026-03-01");
    assert_eq!(f["labels"], json!(["keep", "new"]));

    // update.set replaces; fields.labels replaces too.
    admin()
        .put(&path, json!({"update": {"labels": [{"set": ["only"]}]}}))
        .await
        .expect(204);
    assert_eq!(
        get_issue(&key, "?fields=labels").await["fields"]["labels"],
        json!(["only"])
    );
    admin()
        .put(&path, json!({"fields": {"labels": []}}))
        .await
        .expect(204);
    assert_eq!(
        get_issue(&key, "?fields=labels").await["fields"]["labels"],
        json!([])
    );

    // Jira's `dd/MMM/yy` dates, and the time tracking `edit` operation editmeta offers.
    admin()
        .put(&path, json!({"fields": {"duedate": "1/Feb/26"}, "update": {"timetracking": [{"edit": {"originalEstimate": "1d 2h", "remainingEstimate": "3h"}}]}}))
        .await
        .expect(204);
    let f = get_issue(&key, "").await["fields"].clone();
    assert_eq!(f["duedate"], "2026-02-01");
    assert_eq!(f["timeoriginalestimate"], 36_000, "a day is 8 hours");
    assert_eq!(f["timeestimate"], 10_800);
    assert_eq!(f["timetracking"]["originalEstimate"], "1d 2h");
    assert_eq!(f["timetracking"]["remainingEstimate"], "3h");
    let r = admin()
        .put(
            &path,
            json!({"fields": {"timetracking": {"originalEstimate": "soon"}}}),
        )
        .await
        .expect(400);
    assert!(r.body["errors"].get("timetracking").is_some(), "{}", r.text);

    // A comment through update.comment is added without a changelog entry of its own.
    let groups_before = changelog(&key, "").await["total"].clone();
    admin()
        .put(
            &path,
            json!({"update": {"comment": [{"add": {"body": "Said in an edit"}}]}}),
        )
        .await
        .expect(204);
    let comments = admin()
        .get(&format!("{path}/comment"))
        .await
        .expect(200)
        .body;
    assert_eq!(comments["comments"][0]["body"], "Said in an edit");
    assert_eq!(changelog(&key, "").await["total"], groups_before);

    // returnIssue=true answers with the issue.
    let r = admin()
        .put(
            &format!("{path}?returnIssue=true"),
            json!({"fields": {"environment": "prod"}}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["key"], key.as_str());
    assert_eq!(r.body["fields"]["environment"], "prod");

    let items = changes(&key).await;
    let find = |field: &str| {
        items
            .iter()
            .filter(|(f, _, _)| f == field)
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(
        find("summary"),
        vec![(
            "summary".into(),
            Some("Before".into()),
            Some("After".into())
        )]
    );
    assert_eq!(find("priority")[0].1.as_deref(), Some("Medium"));
    assert_eq!(find("priority")[0].2.as_deref(), Some("Low"));
    assert_eq!(find("duedate")[0].2.as_deref(), Some("2026-03-01"));
    let labels = find("labels");
    assert_eq!(labels.len(), 3, "{labels:?}");
    // Labels are kept sorted, as Jira does.
    assert_eq!(labels[0].1.as_deref(), Some("drop keep"));
    assert_eq!(labels[0].2.as_deref(), Some("keep new"));
    assert_eq!(find("environment")[0].2.as_deref(), Some("prod"));

    // Changelog entries carry their author and timestamps.
    let log = changelog(&key, "").await;
    assert_eq!(log["values"][0]["author"]["name"], "admin");
    assert!(log["values"][0]["created"].is_string());
    assert_eq!(log["values"][0]["items"][0]["fieldtype"], "jira");
}

#[tokio::test]
async fn no_op_edit_changes_nothing() {
    let p = project("INOP").await;
    let key = create(json!({"project": {"key": p}, "summary": "Stable", "issuetype": {"name": "Task"}, "labels": ["a"]}))
        .await
        .expect(201)
        .body["key"]
        .as_str()
        .unwrap()
        .to_string();
    let before = get_issue(&key, "").await["fields"]["updated"].clone();
    advance_clock(std::time::Duration::from_secs(1));
    admin()
        .put(&format!("{ISSUE}/{key}"), json!({"fields": {"summary": "Stable", "priority": {"name": "Medium"}}, "update": {"labels": [{"add": "a"}]}}))
        .await
        .expect(204);
    let after = get_issue(&key, "").await["fields"]["updated"].clone();
    assert_eq!(before, after);
    let log = changelog(&key, "").await;
    assert_eq!(log["total"], 0);
    assert_eq!(log["values"], json!([]));
    assert_eq!(log["isLast"], true);
}

#[tokio::test]
async fn edit_errors() {
    let p = project("IEER").await;
    let key = issue(&p, "Edit errors").await;
    let path = format!("{ISSUE}/{key}");
    let cases = [
        (
            json!({"fields": {"priority": {"name": "Nope"}}}),
            "priority",
        ),
        (json!({"fields": {"summary": ""}}), "summary"),
        (json!({"fields": {"summary": 5}}), "summary"),
        (json!({"fields": {"duedate": "tomorrow"}}), "duedate"),
        (json!({"fields": {"project": {"key": "OTHER"}}}), "project"),
        (json!({"fields": {"status": {"name": "Done"}}}), "status"),
        (
            json!({"fields": {"resolution": {"name": "Done"}}}),
            "resolution",
        ),
        (json!({"fields": {"foo": 1}}), "foo"),
        (
            json!({"update": {"components": [{"add": {"name": "Backend"}}]}}),
            "components",
        ),
        (json!({"update": {"summary": [{"add": "x"}]}}), "summary"),
        (json!({"update": {"labels": {"add": "x"}}}), "labels"),
        (
            json!({"fields": {"summary": "a"}, "update": {"summary": [{"set": "b"}]}}),
            "summary",
        ),
        (
            json!({"fields": {"issuetype": {"name": "Sub-task"}}}),
            "issuetype",
        ),
    ];
    for (body, field) in cases {
        let r = admin().put(&path, body.clone()).await;
        assert_eq!(r.status.as_u16(), 400, "{body}: {}", r.text);
        r.jira_error();
        assert!(r.body["errors"].get(field).is_some(), "{body}: {}", r.text);
    }
    // One bad field spoils the whole edit.
    let r = admin()
        .put(
            &path,
            json!({"fields": {"summary": "Changed", "priority": {"name": "Nope"}}}),
        )
        .await
        .expect(400);
    assert!(r.body["errors"].get("priority").is_some());
    assert_eq!(
        get_issue(&key, "").await["fields"]["summary"],
        "Edit errors"
    );

    let r = admin()
        .raw(Method::PUT, &path, "application/json", "{not json")
        .await
        .expect(400);
    r.jira_error();
    let r = admin()
        .put(
            &format!("{ISSUE}/{p}-404"),
            json!({"fields": {"summary": "x"}}),
        )
        .await
        .expect(404);
    assert!(r.jira_error().contains("Issue does not exist"));
    assert_eq!(changelog(&key, "").await["total"], 0);
}

#[tokio::test]
async fn changelog_paging() {
    let p = project("ICLG").await;
    let key = issue(&p, "v0").await;
    for n in 1..=3 {
        admin()
            .put(
                &format!("{ISSUE}/{key}"),
                json!({"fields": {"summary": format!("v{n}")}}),
            )
            .await
            .expect(204);
    }
    let log = changelog(&key, "").await;
    assert_eq!(log["total"], 3);
    assert_eq!(log["startAt"], 0);
    assert_eq!(log["isLast"], true);
    let to: Vec<&str> = log["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["items"][0]["toString"].as_str().unwrap())
        .collect();
    assert_eq!(to, vec!["v1", "v2", "v3"], "oldest first");

    let page = changelog(&key, "?startAt=1&maxResults=1").await;
    assert_eq!(page["startAt"], 1);
    assert_eq!(page["maxResults"], 1);
    assert_eq!(page["total"], 3);
    assert_eq!(page["isLast"], false);
    assert_eq!(page["values"].as_array().unwrap().len(), 1);
    assert_eq!(page["values"][0]["items"][0]["fromString"], "v1");
    assert_eq!(page["values"][0]["items"][0]["toString"], "v2");
    assert!(
        page["nextPage"]
            .as_str()
            .is_some_and(|n| n.contains("startAt=2")),
        "{page}"
    );

    let last = changelog(&key, "?startAt=2&maxResults=5").await;
    assert_eq!(last["isLast"], true);
    assert_eq!(last["values"][0]["items"][0]["toString"], "v3");

    let r = admin()
        .get(&format!("{ISSUE}/{key}/changelog?startAt=-1"))
        .await
        .expect(400);
    r.jira_error();
    let r = admin()
        .get(&format!("{ISSUE}/{p}-77/changelog"))
        .await
        .expect(404);
    assert!(r.jira_error().contains("Issue does not exist"));
}

// ---------------------------------------------------------------------------------------
// Assign
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn assign_by_name_account_id_and_unassign() {
    let p = project("IASG").await;
    let (u, _) = user("iasg").await;
    let acc = account_id(&u).await;
    let key = issue(&p, "Assign me").await;
    let path = format!("{ISSUE}/{key}/assignee");
    let k = &key;
    let assignee =
        || async move { get_issue(k, "?fields=assignee").await["fields"]["assignee"].clone() };

    admin().put(&path, json!({"name": u})).await.expect(204);
    assert_eq!(assignee().await["name"], u.as_str());

    admin().put(&path, json!({"name": null})).await.expect(204);
    assert!(assignee().await.is_null());

    admin()
        .put(&path, json!({"accountId": acc}))
        .await
        .expect(204);
    assert_eq!(assignee().await["accountId"], acc.as_str());

    admin()
        .send(Method::PUT, &path, Some(Value::Null))
        .await
        .expect(204);
    assert!(assignee().await.is_null());

    admin()
        .put(&path, json!({"name": "admin"}))
        .await
        .expect(204);
    assert_eq!(assignee().await["name"], "admin");

    let r = admin()
        .put(&path, json!({"name": "no-such-person"}))
        .await
        .expect(400);
    assert!(r.jira_error().contains("no-such-person"), "{}", r.text);
    assert_eq!(
        assignee().await["name"],
        "admin",
        "a refused assignment changes nothing"
    );

    let r = admin().put(&path, json!("just a string")).await.expect(400);
    r.jira_error();

    let items = changes(&key).await;
    let assigns: Vec<_> = items.iter().filter(|(f, _, _)| f == "assignee").collect();
    assert_eq!(assigns.len(), 5, "{items:?}");
    assert_eq!(assigns[0].2.as_deref(), Some(format!("User {u}").as_str()));
}

#[tokio::test]
async fn assign_refuses_users_without_a_role() {
    let p = project("IASN").await;
    let (u, _) = user("iasn").await;
    let key = issue(&p, "Not for outsiders").await;
    // Assignable while in jira-users (Members role)...
    admin()
        .put(&format!("{ISSUE}/{key}/assignee"), json!({"name": u}))
        .await
        .expect(204);
    admin()
        .put(&format!("{ISSUE}/{key}/assignee"), json!(null))
        .await
        .expect(204);
    // ...but not once jira-users leaves the project's roles.
    remove_members_group(&p).await;
    let r = admin()
        .put(&format!("{ISSUE}/{key}/assignee"), json!({"name": u}))
        .await
        .expect(400);
    let msg = r.body["errors"]["assignee"].as_str().unwrap_or_default();
    assert!(msg.contains(&u), "{}", r.text);
    // Same rule on create.
    let r = create(json!({"project": {"key": p}, "summary": "x", "issuetype": {"name": "Task"}, "assignee": {"name": u}})).await.expect(400);
    assert!(r.body["errors"].get("assignee").is_some(), "{}", r.text);
    assert!(get_issue(&key, "").await["fields"]["assignee"].is_null());
}

// ---------------------------------------------------------------------------------------
// Transitions
// ---------------------------------------------------------------------------------------

async fn transition(key: &str, body: Value) -> Reply {
    admin()
        .post(&format!("{ISSUE}/{key}/transitions"), body)
        .await
}

#[tokio::test]
async fn transitions_list_and_fields() {
    let p = project("ITRL").await;
    let key = issue(&p, "Workflow").await;
    let r = admin()
        .get(&format!("{ISSUE}/{key}/transitions"))
        .await
        .expect(200);
    let list = r.body["transitions"].as_array().expect("transitions");
    let mut pairs: Vec<(String, String)> = list
        .iter()
        .map(|t| {
            (
                t["id"].as_str().unwrap().to_string(),
                t["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    pairs.sort();
    assert_eq!(
        pairs,
        vec![
            ("21".into(), "In Progress".into()),
            ("31".into(), "In Review".into()),
            ("41".into(), "Done".into())
        ],
        "no transition to the current status (To Do)"
    );
    let done = list.iter().find(|t| t["id"] == "41").unwrap();
    assert_eq!(done["to"]["name"], "Done");
    assert_eq!(done["to"]["statusCategory"]["key"], "done");
    assert!(done.get("fields").is_none(), "fields only with expand");

    let r = admin()
        .get(&format!(
            "{ISSUE}/{key}/transitions?expand=transitions.fields"
        ))
        .await
        .expect(200);
    let list = r.body["transitions"].as_array().unwrap();
    let done = list.iter().find(|t| t["id"] == "41").unwrap();
    let resolution = &done["fields"]["resolution"];
    assert_eq!(resolution["required"], false);
    assert!(
        names_of(&resolution["allowedValues"], "name").contains(&"Won't Do".to_string()),
        "{resolution}"
    );
    let progress = list.iter().find(|t| t["id"] == "21").unwrap();
    assert!(progress["fields"].get("resolution").is_none());

    let r = admin()
        .get(&format!("{ISSUE}/{key}/transitions?transitionId=31"))
        .await
        .expect(200);
    assert_eq!(names_of(&r.body["transitions"], "id"), vec!["31"]);
}

#[tokio::test]
async fn transitions_move_status_and_resolution() {
    let p = project("ITRN").await;
    let key = issue(&p, "Move me").await;

    let r = transition(&key, json!({"transition": {"id": "21"}}))
        .await
        .expect(204);
    assert!(r.text.is_empty());
    let f = get_issue(&key, "").await["fields"].clone();
    assert_eq!(f["status"]["name"], "In Progress");
    assert_eq!(f["status"]["statusCategory"]["key"], "indeterminate");
    assert!(f["resolution"].is_null());
    // From In Progress, To Do is offered and In Progress is not.
    let r = admin()
        .get(&format!("{ISSUE}/{key}/transitions"))
        .await
        .expect(200);
    let mut ids = names_of(&r.body["transitions"], "id");
    ids.sort();
    assert_eq!(ids, vec!["11", "31", "41"]);

    transition(&key, json!({"transition": {"id": 41}}))
        .await
        .expect(204);
    let f = get_issue(&key, "").await["fields"].clone();
    assert_eq!(f["status"]["name"], "Done");
    assert_eq!(f["status"]["statusCategory"]["key"], "done");
    assert_eq!(f["resolution"]["name"], "Done");
    assert!(f["resolutiondate"].is_string(), "{}", f["resolutiondate"]);

    transition(&key, json!({"transition": {"id": "11"}}))
        .await
        .expect(204);
    let f = get_issue(&key, "").await["fields"].clone();
    assert_eq!(f["status"]["name"], "To Do");
    assert!(f["resolution"].is_null());
    assert!(f["resolutiondate"].is_null());

    transition(
        &key,
        json!({"transition": {"id": "41"}, "fields": {"resolution": {"name": "Won't Do"}}}),
    )
    .await
    .expect(204);
    let f = get_issue(&key, "").await["fields"].clone();
    assert_eq!(f["resolution"]["name"], "Won't Do");
    assert_eq!(f["status"]["name"], "Done");

    // A done issue's resolution can be edited; editmeta then offers it.
    let meta = admin()
        .get(&format!("{ISSUE}/{key}/editmeta"))
        .await
        .expect(200)
        .body;
    assert!(meta["fields"].get("resolution").is_some(), "{meta}");
    admin()
        .put(
            &format!("{ISSUE}/{key}"),
            json!({"fields": {"resolution": {"name": "Duplicate"}}}),
        )
        .await
        .expect(204);
    assert_eq!(
        get_issue(&key, "").await["fields"]["resolution"]["name"],
        "Duplicate"
    );
    admin()
        .put(
            &format!("{ISSUE}/{key}"),
            json!({"fields": {"resolution": {"name": "Won't Do"}}}),
        )
        .await
        .expect(204);

    // Errors: unknown id, not offered from here (already Done), missing, bad resolution.
    let r = transition(&key, json!({"transition": {"id": "999"}}))
        .await
        .expect(400);
    assert!(r.jira_error().contains("999"), "{}", r.text);
    let r = transition(&key, json!({"transition": {"id": "41"}}))
        .await
        .expect(400);
    r.jira_error();
    let r = transition(&key, json!({"fields": {"summary": "x"}}))
        .await
        .expect(400);
    assert!(r.jira_error().contains("transition"), "{}", r.text);
    let r = transition(&key, json!({})).await.expect(400);
    r.jira_error();
    let r = transition(
        &key,
        json!({"transition": {"id": "11"}, "fields": {"resolution": {"name": "Nope"}}}),
    )
    .await;
    // Leaving Done clears the resolution anyway; an unknown name is still an error.
    assert_eq!(r.status.as_u16(), 400, "{}", r.text);
    assert!(r.body["errors"].get("resolution").is_some(), "{}", r.text);
    assert_eq!(
        get_issue(&key, "").await["fields"]["status"]["name"],
        "Done",
        "refused transitions change nothing"
    );
    let r = transition(&format!("{p}-999"), json!({"transition": {"id": "21"}}))
        .await
        .expect(404);
    assert!(r.jira_error().contains("Issue does not exist"));

    // Every move is in the changelog.
    let items = changes(&key).await;
    let statuses: Vec<_> = items
        .iter()
        .filter(|(f, _, _)| f == "status")
        .map(|(_, a, b)| (a.clone().unwrap(), b.clone().unwrap()))
        .collect();
    assert_eq!(
        statuses,
        vec![
            ("To Do".to_string(), "In Progress".to_string()),
            ("In Progress".into(), "Done".into()),
            ("Done".into(), "To Do".into()),
            ("To Do".into(), "Done".into()),
        ]
    );
    let resolutions: Vec<_> = items
        .iter()
        .filter(|(f, _, _)| f == "resolution")
        .map(|(_, a, b)| (a.clone(), b.clone()))
        .collect();
    assert_eq!(
        resolutions,
        vec![
            (None, Some("Done".to_string())),
            (Some("Done".to_string()), None),
            (None, Some("Won't Do".to_string())),
            (Some("Won't Do".to_string()), Some("Duplicate".to_string())),
            (Some("Duplicate".to_string()), Some("Won't Do".to_string())),
        ]
    );
}

#[tokio::test]
async fn transition_with_comment_and_fields() {
    let p = project("ITRC").await;
    let key = issue(&p, "Comment on move").await;
    transition(
        &key,
        json!({
            "transition": {"id": "21"},
            "fields": {"priority": {"name": "Highest"}},
            "update": {"comment": [{"add": {"body": "Starting work"}}]},
        }),
    )
    .await
    .expect(204);
    let r = admin()
        .get(&format!("{ISSUE}/{key}/comment"))
        .await
        .expect(200);
    assert_eq!(r.body["total"], 1);
    assert_eq!(r.body["comments"][0]["body"], "Starting work");
    assert_eq!(r.body["comments"][0]["author"]["name"], "admin");
    let f = get_issue(&key, "").await["fields"].clone();
    assert_eq!(f["priority"]["name"], "Highest");
    assert_eq!(f["status"]["name"], "In Progress");
    assert_eq!(f["comment"]["total"], 1);
    // Status and priority changes are one change group.
    let log = changelog(&key, "").await;
    assert_eq!(log["total"], 1);
    let fields: Vec<&str> = log["values"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"status") && fields.contains(&"priority"),
        "{fields:?}"
    );

    // An empty comment on a transition is refused and nothing moves.
    let r = transition(
        &key,
        json!({"transition": {"id": "41"}, "update": {"comment": [{"add": {"body": ""}}]}}),
    )
    .await
    .expect(400);
    assert!(r.body["errors"].get("comment").is_some(), "{}", r.text);
    assert_eq!(
        get_issue(&key, "").await["fields"]["status"]["name"],
        "In Progress"
    );
}

// ---------------------------------------------------------------------------------------
// Delete
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn delete_issue_then_gone() {
    let p = project("IDEL").await;
    let key = issue(&p, "Doomed").await;
    let other = issue(&p, "Survivor").await;
    let r = admin().delete(&format!("{ISSUE}/{key}")).await.expect(204);
    assert!(r.text.is_empty());
    let r = admin().get(&format!("{ISSUE}/{key}")).await.expect(404);
    assert_eq!(
        r.body["errorMessages"][0],
        "Issue does not exist or you do not have permission to see it."
    );
    let r = admin().delete(&format!("{ISSUE}/{key}")).await.expect(404);
    r.jira_error();
    assert_eq!(get_issue(&other, "").await["fields"]["summary"], "Survivor");
    // Keys are never reused.
    assert_eq!(issue(&p, "Next").await, format!("{p}-3"));
    let r = admin()
        .delete(&format!("{ISSUE}/{other}?deleteSubtasks=maybe"))
        .await
        .expect(400);
    r.jira_error();
}

// ---------------------------------------------------------------------------------------
// Metadata and picker
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn create_and_edit_metadata() {
    let p = project("IMTA").await;
    let r = admin()
        .get(&format!(
            "{ISSUE}/createmeta?projectKeys={p}&expand=projects.issuetypes.fields"
        ))
        .await
        .expect(200);
    let projects = r.body["projects"].as_array().expect("projects");
    assert_eq!(projects.len(), 1, "{}", r.text);
    assert_eq!(projects[0]["key"], p.as_str());
    let types = projects[0]["issuetypes"].as_array().unwrap();
    let task = types
        .iter()
        .find(|t| t["name"] == "Task")
        .expect("Task type");
    assert_eq!(task["fields"]["summary"]["required"], true);
    assert_eq!(task["fields"]["issuetype"]["required"], true);
    assert_eq!(task["fields"]["description"]["required"], false);
    let priorities = names_of(&task["fields"]["priority"]["allowedValues"], "name");
    assert_eq!(
        priorities,
        vec!["Highest", "High", "Medium", "Low", "Lowest"]
    );
    let sub = types
        .iter()
        .find(|t| t["name"] == "Sub-task")
        .expect("Sub-task type");
    assert_eq!(sub["fields"]["parent"]["required"], true);

    // Filters: lowercase key, issue type names; without expand there are no fields.
    let r = admin()
        .get(&format!(
            "{ISSUE}/createmeta?projectKeys={}&issuetypeNames=Bug",
            p.to_lowercase()
        ))
        .await
        .expect(200);
    let types = r.body["projects"][0]["issuetypes"].as_array().unwrap();
    assert_eq!(
        names_of(&r.body["projects"][0]["issuetypes"], "name"),
        vec!["Bug"]
    );
    assert!(types[0].get("fields").is_none());

    let r = admin()
        .get(&format!("{ISSUE}/createmeta?projectKeys=NOSUCHKEY"))
        .await
        .expect(200);
    assert_eq!(r.body["projects"], json!([]));

    let key = issue(&p, "Meta").await;
    let r = admin()
        .get(&format!("{ISSUE}/{key}/editmeta"))
        .await
        .expect(200);
    let fields = &r.body["fields"];
    assert_eq!(fields["summary"]["required"], true);
    assert_eq!(
        fields["labels"]["operations"],
        json!(["add", "set", "remove"])
    );
    assert!(names_of(&fields["priority"]["allowedValues"], "name").contains(&"Low".to_string()));
    assert!(
        fields.get("resolution").is_none(),
        "resolution is editable only on done issues"
    );
    assert!(fields.get("comment").is_some());
    let r = admin()
        .get(&format!("{ISSUE}/{p}-99/editmeta"))
        .await
        .expect(404);
    r.jira_error();
}

#[tokio::test]
async fn issue_picker_matches_summary_and_key() {
    let p = project("IPKR").await;
    let token = format!("zebra{}", p.to_lowercase());
    let hit = issue(&p, &format!("The {token} crossing")).await;
    let html = issue(&p, &format!("<b>{token}</b> & co")).await;
    let miss = issue(&p, "Something else").await;

    let r = admin()
        .get(&format!("{ISSUE}/picker?query={token}"))
        .await
        .expect(200);
    let found = &r.body["sections"][0]["issues"];
    let mut keys = names_of(found, "key");
    keys.sort();
    assert_eq!(keys, vec![hit.clone(), html.clone()]);
    let by_key = |k: &str| {
        found
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["key"] == k)
            .unwrap()
            .clone()
    };
    assert_eq!(
        by_key(&hit)["summaryText"],
        format!("The {token} crossing").as_str()
    );
    let escaped = by_key(&html);
    assert_eq!(
        escaped["summary"],
        format!("&lt;b&gt;{token}&lt;/b&gt; &amp; co").as_str(),
        "summary is HTML"
    );
    assert_eq!(
        escaped["summaryText"],
        format!("<b>{token}</b> & co").as_str()
    );

    let r = admin()
        .get(&format!("{ISSUE}/picker?query={miss}"))
        .await
        .expect(200);
    let keys = names_of(&r.body["sections"][0]["issues"], "key");
    assert!(keys.contains(&miss), "{keys:?}");
    assert!(!keys.contains(&hit));

    // currentIssueKey excludes the issue itself.
    let r = admin()
        .get(&format!(
            "{ISSUE}/picker?query={token}&currentIssueKey={hit}"
        ))
        .await
        .expect(200);
    assert_eq!(
        names_of(&r.body["sections"][0]["issues"], "key"),
        vec![html.clone()]
    );

    // Someone without access to the project finds nothing.
    remove_members_group(&p).await;
    let (u, pw) = user("ipkr").await;
    let r = Client::basic(&u, &pw)
        .get(&format!("{ISSUE}/picker?query={token}"))
        .await
        .expect(200);
    assert_eq!(r.body["sections"][0]["issues"], json!([]));
}

// ---------------------------------------------------------------------------------------
// Issue properties
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn issue_properties_crud() {
    let p = project("IPRP").await;
    let key = issue(&p, "Props").await;
    let base = format!("{ISSUE}/{key}/properties");

    let r = admin().get(&base).await.expect(200);
    assert_eq!(r.body["keys"], json!([]));

    let r = admin()
        .put(
            &format!("{base}/support"),
            json!({"tier": 1, "tags": ["a"]}),
        )
        .await
        .expect(201);
    assert!(r.body.is_object() || r.text.is_empty());
    admin()
        .put(&format!("{base}/support"), json!({"tier": 2}))
        .await
        .expect(200);
    admin()
        .put(&format!("{base}/other.key"), json!("text"))
        .await
        .expect(201);

    let r = admin().get(&format!("{base}/support")).await.expect(200);
    assert_eq!(r.body, json!({"key": "support", "value": {"tier": 2}}));

    let r = admin().get(&base).await.expect(200);
    let mut keys = names_of(&r.body["keys"], "key");
    keys.sort();
    assert_eq!(keys, vec!["other.key", "support"]);
    assert!(
        r.body["keys"][0]["self"]
            .as_str()
            .is_some_and(|s| s.contains("/properties/"))
    );

    admin().delete(&format!("{base}/support")).await.expect(204);
    let r = admin().get(&format!("{base}/support")).await.expect(404);
    assert!(r.jira_error().contains("support"), "{}", r.text);
    let r = admin().delete(&format!("{base}/support")).await.expect(404);
    r.jira_error();
    assert_eq!(
        names_of(&admin().get(&base).await.expect(200).body["keys"], "key"),
        vec!["other.key"]
    );

    // Oversized values are refused; a value right at the limit is fine.
    let big = "x".repeat(32_769);
    let r = admin()
        .put(&format!("{base}/big"), json!(big))
        .await
        .expect(400);
    assert!(r.jira_error().contains("too large"), "{}", r.text);
    let fits = "x".repeat(32_766); // 32,768 bytes with the quotes
    admin()
        .put(&format!("{base}/big"), json!(fits))
        .await
        .expect(201);

    let r = admin()
        .put(&format!("{ISSUE}/{p}-99/properties/x"), json!(1))
        .await
        .expect(404);
    assert!(r.jira_error().contains("Issue does not exist"));
    let r = admin()
        .raw(
            Method::PUT,
            &format!("{base}/bad"),
            "application/json",
            "{oops",
        )
        .await
        .expect(400);
    r.jira_error();
}

// ---------------------------------------------------------------------------------------
// Permissions
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn outsiders_see_nothing_and_viewers_only_read_and_comment() {
    let p = project("IPRM").await;
    let key = issue(&p, "Private work").await;
    let (u, pw) = user("iprm").await;
    let them = Client::basic(&u, &pw);

    // As a member (via jira-users) the user can read and edit.
    them.get(&format!("{ISSUE}/{key}")).await.expect(200);

    remove_members_group(&p).await;
    let r = them.get(&format!("{ISSUE}/{key}")).await.expect(404);
    assert_eq!(
        r.body["errorMessages"],
        json!(["Issue does not exist or you do not have permission to see it."])
    );
    let r = them
        .post(&format!("{ISSUE}/{key}/comment"), json!({"body": "hello?"}))
        .await
        .expect(404);
    assert!(r.jira_error().contains("Issue does not exist"));
    let r = them
        .put(
            &format!("{ISSUE}/{key}"),
            json!({"fields": {"summary": "mine"}}),
        )
        .await
        .expect(404);
    r.jira_error();
    let r = them
        .get(&format!("{ISSUE}/{key}/transitions"))
        .await
        .expect(404);
    r.jira_error();
    let r = them.post(ISSUE, json!({"fields": {"project": {"key": p}, "summary": "x", "issuetype": {"name": "Task"}}})).await.expect(400);
    assert!(
        r.body["errors"].get("project").is_some(),
        "an invisible project is an unknown one: {}",
        r.text
    );
    let r = them
        .get(&format!("{ISSUE}/createmeta?projectKeys={p}"))
        .await
        .expect(200);
    assert_eq!(r.body["projects"], json!([]));

    // Viewers: read and comment, but no edit, transition, assign or delete.
    let r = admin()
        .post(
            &format!("/rest/api/2/project/{p}/role/10004"),
            json!({"user": [u]}),
        )
        .await
        .expect(200);
    assert!(r.text.contains(&u), "{}", r.text);
    let bean = them
        .get(&format!("{ISSUE}/{key}?expand=editmeta,transitions"))
        .await
        .expect(200)
        .body;
    assert_eq!(bean["fields"]["summary"], "Private work");
    assert_eq!(bean["editmeta"]["fields"], json!({}));
    assert_eq!(bean["transitions"], json!([]));
    let r = them
        .put(
            &format!("{ISSUE}/{key}"),
            json!({"fields": {"summary": "mine"}}),
        )
        .await
        .expect(403);
    r.jira_error();
    let r = them
        .post(
            &format!("{ISSUE}/{key}/transitions"),
            json!({"transition": {"id": "21"}}),
        )
        .await
        .expect(403);
    r.jira_error();
    let r = them
        .put(&format!("{ISSUE}/{key}/assignee"), json!({"name": u}))
        .await
        .expect(403);
    r.jira_error();
    let r = them.delete(&format!("{ISSUE}/{key}")).await.expect(403);
    r.jira_error();
    let r = them
        .put(&format!("{ISSUE}/{key}/properties/p"), json!(1))
        .await
        .expect(403);
    r.jira_error();
    let r = them
        .post(
            &format!("{ISSUE}/{key}/comment"),
            json!({"body": "Looks good"}),
        )
        .await
        .expect(201);
    assert_eq!(r.body["author"]["name"], u.as_str());
    assert_eq!(r.body["body"], "Looks good");
    let f = get_issue(&key, "").await["fields"].clone();
    assert_eq!(
        f["summary"], "Private work",
        "refused edits changed nothing"
    );
    assert_eq!(f["status"]["name"], "To Do");
}
