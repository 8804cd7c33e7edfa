//! Get: field selection, expansions, lookup by id and key, errors.

use super::*;

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
