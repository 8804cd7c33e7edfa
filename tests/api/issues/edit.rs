//! Edit with update operations and changelog, no-op edits, errors, changelog paging; assignment.

use super::*;

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
