//! Issue-level permissions: outsiders see nothing, viewers only read and comment.

use super::*;

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
