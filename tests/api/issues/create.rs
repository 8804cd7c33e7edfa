//! Create: single, with update operations, custom fields, validation, sub-tasks, concurrent and bulk.

use super::*;

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
