//! Notification schemes (read; projects choose one) and application roles.

use serde_json::json;

use crate::common::{Client, project, user};

#[tokio::test]
async fn the_default_scheme_names_every_recorded_event() {
    let admin = Client::admin();
    let list = admin
        .get("/rest/api/2/notificationscheme?expand=notificationSchemeEvents")
        .await
        .expect(200);
    assert_eq!(list.body["total"], 1, "{}", list.text);
    assert_eq!(list.body["isLast"], true);
    let scheme = &list.body["values"][0];
    assert_eq!(scheme["id"], 10000);
    assert_eq!(scheme["name"], "Default Notification Scheme");
    let events = scheme["notificationSchemeEvents"]
        .as_array()
        .expect("events");
    let created = &events[0];
    assert_eq!(created["event"]["id"], 1);
    assert_eq!(created["event"]["name"], "Issue Created");
    let kinds: Vec<_> = created["notifications"]
        .as_array()
        .expect("notifications")
        .iter()
        .map(|n| n["notificationType"].clone())
        .collect();
    assert_eq!(
        kinds,
        [
            json!("CurrentAssignee"),
            json!("Reporter"),
            json!("AllWatchers")
        ]
    );
    assert!(
        events
            .iter()
            .any(|e| e["event"]["name"] == "Issue Commented")
    );
    // Without expand, the events are left out, as Jira does.
    let one = admin
        .get("/rest/api/2/notificationscheme/10000")
        .await
        .expect(200);
    assert!(one.body.get("notificationSchemeEvents").is_none());
    assert_eq!(
        one.body["self"]
            .as_str()
            .map(|s| s.ends_with("/notificationscheme/10000")),
        Some(true)
    );
    admin
        .get("/rest/api/2/notificationscheme/99")
        .await
        .expect(404)
        .jira_error();
    admin
        .get("/rest/api/2/notificationscheme/abc")
        .await
        .expect(404)
        .jira_error();
    let page = admin
        .get("/rest/api/2/notificationscheme?startAt=1")
        .await
        .expect(200);
    assert_eq!(page.body["values"], json!([]));
}

#[tokio::test]
async fn projects_use_a_scheme_their_administrators_can_read() {
    let admin = Client::admin();
    let key = project("NTF").await;
    let r = admin
        .get(&format!(
            "/rest/api/2/project/{key}/notificationscheme?expand=all"
        ))
        .await
        .expect(200);
    assert_eq!(r.body["id"], 10000);
    assert!(r.body["notificationSchemeEvents"].is_array());
    // A scheme that does not exist is refused on create and update.
    let bad = admin
        .post(
            "/rest/api/2/project",
            json!({"key": "NTFBAD", "name": "Bad scheme", "projectTypeKey": "software", "notificationScheme": 4242}),
        )
        .await
        .expect(400);
    assert!(bad.text.contains("notificationScheme"), "{}", bad.text);
    admin.get("/rest/api/2/project/NTFBAD").await.expect(404);
    admin
        .put(
            &format!("/rest/api/2/project/{key}"),
            json!({"notificationScheme": 4242}),
        )
        .await
        .expect(400);
    admin
        .put(
            &format!("/rest/api/2/project/{key}"),
            json!({"notificationScheme": 10000}),
        )
        .await
        .expect(201);
    // A user who does not administer the project reads neither it nor the list.
    let (name, password) = user("ntfuser").await;
    let other = Client::basic(&name, &password);
    let status = other
        .get(&format!("/rest/api/2/project/{key}/notificationscheme"))
        .await
        .status
        .as_u16();
    assert!(status == 403 || status == 404, "{status}");
    let list = other
        .get("/rest/api/2/notificationscheme")
        .await
        .expect(200);
    assert_eq!(list.body["total"], 0);
    Client::anonymous()
        .get("/rest/api/2/notificationscheme")
        .await
        .expect(401)
        .jira_error();
}

#[tokio::test]
async fn application_roles_count_the_users_of_their_groups() {
    let admin = Client::admin();
    let before = admin.get("/rest/api/2/applicationrole").await.expect(200);
    let role = &before.body[0];
    assert_eq!(role["key"], "jira-software");
    assert_eq!(role["defaultGroups"], json!(["jira-users"]));
    assert!(
        role["groups"]
            .as_array()
            .expect("groups")
            .contains(&json!("jira-administrators"))
    );
    assert_eq!(role["hasUnlimitedSeats"], true);
    let count = |v: &serde_json::Value| v["userCount"].as_u64().expect("userCount");
    let n = count(role);
    user("approle").await;
    let after = admin
        .get("/rest/api/2/applicationrole/jira-software")
        .await
        .expect(200);
    // Other tests add users meanwhile: at least the new one is counted.
    assert!(count(&after.body) > n, "{n} → {}", after.text);
    admin
        .get("/rest/api/2/applicationrole/jira-nothing")
        .await
        .expect(404)
        .jira_error();
    let (name, password) = user("appnon").await;
    Client::basic(&name, &password)
        .get("/rest/api/2/applicationrole")
        .await
        .expect(403)
        .jira_error();
}
