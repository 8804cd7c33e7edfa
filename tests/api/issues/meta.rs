//! Create and edit metadata, the issue picker, issue properties.

use super::*;

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
