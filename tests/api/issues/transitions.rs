//! Transitions: listing, moving status and resolution, with comments and fields; delete.

use super::*;

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
