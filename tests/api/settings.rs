//! Application properties and the general configuration: reading and setting them,
//! their errors, and that each switch changes what the tracker does.

use serde_json::{Value, json};

use crate::common::*;

async fn set(admin: &Client, key: &str, value: Value) -> Reply {
    admin
        .put(
            &format!("/rest/api/2/application-properties/{key}"),
            json!({"id": key, "value": value}),
        )
        .await
}

#[tokio::test]
async fn properties_are_read_filtered_and_set_by_administrators_only() {
    let started = start_server();
    let admin = Client::admin().on(&started.server);
    let all = admin
        .get("/rest/api/2/application-properties")
        .await
        .expect(200);
    let keys: Vec<&str> = all
        .body
        .as_array()
        .expect("a list")
        .iter()
        .map(|p| p["key"].as_str().unwrap_or(""))
        .collect();
    assert!(
        keys.contains(&"jira.title") && keys.contains(&"jira.option.voting"),
        "{keys:?}"
    );
    let one = admin
        .get("/rest/api/2/application-properties?key=jira.option.voting")
        .await
        .expect(200);
    assert_eq!(one.body["value"], "true");
    assert_eq!(one.body["type"], "boolean");
    assert_eq!(one.body["defaultValue"], "true");
    let options = admin
        .get("/rest/api/2/application-properties?keyFilter=jira%5C.option%5C..*")
        .await
        .expect(200);
    assert!(
        options
            .body
            .as_array()
            .expect("list")
            .iter()
            .all(|p| p["key"].as_str().unwrap_or("").starts_with("jira.option."))
    );
    assert!(options.body.as_array().expect("list").len() >= 7);
    admin
        .get("/rest/api/2/application-properties?keyFilter=%28")
        .await
        .expect(400)
        .jira_error();
    admin
        .get("/rest/api/2/application-properties?key=jira.nothing")
        .await
        .expect(404)
        .jira_error();
    let advanced = admin
        .get("/rest/api/2/application-properties/advanced-settings")
        .await
        .expect(200);
    let advanced: Vec<&str> = advanced
        .body
        .as_array()
        .expect("list")
        .iter()
        .map(|p| p["key"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(advanced, vec!["jira.title", "jira.baseurl"]);

    let e = set(&admin, "jira.option.voting", json!("maybe"))
        .await
        .expect(400)
        .jira_error();
    assert!(e.contains("true or false"), "{e}");
    set(&admin, "jira.nothing", json!("x")).await.expect(404);
    set(&admin, "jira.baseurl", json!("not a url"))
        .await
        .expect(400);
    let r = admin
        .put(
            "/rest/api/2/application-properties/jira.title",
            json!({"id": "jira.other", "value": "x"}),
        )
        .await
        .expect(400);
    r.jira_error();

    let (name, pw) = user_with(&admin, "setu").await;
    let user = Client::basic(&name, &pw).on(&started.server);
    user.get("/rest/api/2/application-properties")
        .await
        .expect(403);
    set(&user, "jira.title", json!("Mine")).await.expect(403);
    let conf = user.get("/rest/api/2/configuration").await.expect(200);
    assert_eq!(conf.body["votingEnabled"], true);
    assert_eq!(
        conf.body["timeTrackingConfiguration"]["workingHoursPerDay"],
        8.0
    );
    Client::anonymous()
        .on(&started.server)
        .get("/rest/api/2/configuration")
        .await
        .expect(401);

    // The title is the instance's name; the change is audited.
    let r = set(&admin, "jira.title", json!("Acme Tracker"))
        .await
        .expect(200);
    assert_eq!(r.body["value"], "Acme Tracker");
    let info = Client::anonymous()
        .on(&started.server)
        .get("/rest/api/2/serverInfo")
        .await
        .expect(200);
    assert_eq!(info.body["serverTitle"], "Acme Tracker");
    let audit = admin
        .get("/rest/api/2/auditing/record?filter=jira.title")
        .await
        .expect(200);
    assert_eq!(
        audit.body["records"][0]["summary"], "Application property changed",
        "{}",
        audit.body
    );
}

#[tokio::test]
async fn the_base_url_set_by_an_administrator_starts_every_link() {
    let started = start_server();
    let admin = Client::admin().on(&started.server);
    admin
        .put(
            "/rest/api/2/settings/baseUrl",
            json!("https://jira.example.com/"),
        )
        .await
        .expect(204);
    let info = admin.get("/rest/api/2/serverInfo").await.expect(200);
    assert_eq!(info.body["baseUrl"], "https://jira.example.com");
    let key = project_with(&admin, "BURL").await;
    let p = admin
        .get(&format!("/rest/api/2/project/{key}"))
        .await
        .expect(200);
    assert!(
        p.body["self"]
            .as_str()
            .unwrap_or("")
            .starts_with("https://jira.example.com/rest/api/2/project/"),
        "{}",
        p.body["self"]
    );
    admin
        .put("/rest/api/2/settings/baseUrl", json!("ftp://nope"))
        .await
        .expect(400);
}

#[tokio::test]
async fn each_switch_turns_its_feature_off_and_on() {
    let started = start_server();
    let admin = Client::admin().on(&started.server);
    let key = project_with(&admin, "SWT").await;
    let (name, pw) = user_with(&admin, "swtu").await;
    let user = Client::basic(&name, &pw).on(&started.server);
    let issue = issue_with(&admin, &key, "switches").await;
    let other = issue_with(&admin, &key, "the other").await;

    // Voting and watching.
    set(&admin, "jira.option.voting", json!("false"))
        .await
        .expect(200);
    user.post(&format!("/rest/api/2/issue/{issue}/votes"), json!(null))
        .await
        .expect(404)
        .jira_error();
    user.get(&format!("/rest/api/2/issue/{issue}/votes"))
        .await
        .expect(404);
    set(&admin, "jira.option.voting", json!(true))
        .await
        .expect(200);
    user.post(&format!("/rest/api/2/issue/{issue}/votes"), json!(null))
        .await
        .expect(204);
    set(&admin, "jira.option.watching", json!("false"))
        .await
        .expect(200);
    user.post(&format!("/rest/api/2/issue/{issue}/watchers"), json!(null))
        .await
        .expect(404);
    let conf = user.get("/rest/api/2/configuration").await.expect(200);
    assert_eq!(conf.body["watchingEnabled"], false);
    assert_eq!(conf.body["votingEnabled"], true);

    // Issue linking.
    set(&admin, "jira.option.issuelinking", json!("false"))
        .await
        .expect(200);
    let link = json!({"type": {"name": "Blocks"}, "inwardIssue": {"key": issue}, "outwardIssue": {"key": other}});
    admin
        .post("/rest/api/2/issueLink", link.clone())
        .await
        .expect(404)
        .jira_error();
    set(&admin, "jira.option.issuelinking", json!("true"))
        .await
        .expect(200);
    admin.post("/rest/api/2/issueLink", link).await.expect(201);

    // Attachments.
    set(&admin, "jira.option.allowattachments", json!("false"))
        .await
        .expect(200);
    let upload = admin
        .authorize(admin.http.post(format!("{}/rest/api/2/issue/{issue}/attachments", admin.base)))
        .header("content-type", "multipart/form-data; boundary=XyZ")
        .header("x-atlassian-token", "no-check")
        .body("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--XyZ--\r\n")
        .send()
        .await
        .expect("upload");
    Reply::read(upload).await.expect(403).jira_error();

    // Time tracking: no work logged, directly or through an edit, while it is off.
    admin
        .delete("/rest/api/2/configuration/timetracking")
        .await
        .expect(204);
    admin
        .get("/rest/api/2/configuration/timetracking")
        .await
        .expect(204);
    let conf = user.get("/rest/api/2/configuration").await.expect(200);
    assert_eq!(conf.body["timeTrackingEnabled"], false);
    assert!(conf.body.get("timeTrackingConfiguration").is_none());
    let e = admin
        .post(
            &format!("/rest/api/2/issue/{issue}/worklog"),
            json!({"timeSpent": "1h"}),
        )
        .await
        .expect(400)
        .jira_error();
    assert!(e.contains("Time tracking is disabled"), "{e}");
    admin
        .put(
            &format!("/rest/api/2/issue/{issue}"),
            json!({"update": {"worklog": [{"add": {"timeSpent": "1h"}}]}}),
        )
        .await
        .expect(400);
    admin
        .put(
            "/rest/api/2/configuration/timetracking",
            json!({"key": "Other"}),
        )
        .await
        .expect(400);
    admin
        .put(
            "/rest/api/2/configuration/timetracking",
            json!({"key": "JIRA"}),
        )
        .await
        .expect(204);
    admin
        .post(
            &format!("/rest/api/2/issue/{issue}/worklog"),
            json!({"timeSpent": "1h"}),
        )
        .await
        .expect(201);

    // Sub-tasks.
    set(&admin, "jira.option.allowsubtasks", json!("false"))
        .await
        .expect(200);
    let r = admin
        .post("/rest/api/2/issue", json!({"fields": {"project": {"key": key}, "summary": "child", "issuetype": {"name": "Sub-task"}, "parent": {"key": issue}}}))
        .await
        .expect(400);
    assert_eq!(
        r.body["errors"]["issuetype"],
        "Sub-tasks are disabled on this instance."
    );

    // Unassigned issues: a new issue goes to the lead, and nobody may unassign one.
    set(&admin, "jira.option.allowunassigned", json!("false"))
        .await
        .expect(200);
    let r = admin
        .post("/rest/api/2/issue", json!({"fields": {"project": {"key": key}, "summary": "to the lead", "issuetype": {"name": "Task"}}}))
        .await
        .expect(201);
    let created = r.body["key"].as_str().expect("key").to_string();
    let got = admin
        .get(&format!("/rest/api/2/issue/{created}"))
        .await
        .expect(200);
    assert_eq!(got.body["fields"]["assignee"]["name"], "admin");
    let r = admin
        .put(
            &format!("/rest/api/2/issue/{created}/assignee"),
            json!({"name": null}),
        )
        .await
        .expect(400);
    assert_eq!(r.body["errors"]["assignee"], "Issues must be assigned.");
    set(&admin, "jira.option.allowunassigned", json!("true"))
        .await
        .expect(200);
    admin
        .put(
            &format!("/rest/api/2/issue/{created}/assignee"),
            json!({"name": null}),
        )
        .await
        .expect(204);
}
