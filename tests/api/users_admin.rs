//! User administration: update and rename, deactivation (no sign-in, hidden from
//! pickers, still on their issues), deletion leaving a readable former user, bulk get,
//! `user/search/query`, `user/permission/search`, and the audit of each change.

use serde_json::{Value, json};

use crate::common::{Client, issue, project, user};
use crate::groups::audit_summaries;

fn admin() -> Client {
    Client::admin()
}

fn names(users: &Value) -> Vec<String> {
    users
        .as_array()
        .into_iter()
        .flatten()
        .map(|u| u["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn update_renames_and_changes_fields() {
    let (u, pw) = user("upd").await;
    let renamed = format!("{u}-new");
    let r = admin()
        .put(
            &format!("/rest/api/2/user?username={u}"),
            json!({"name": renamed, "displayName": "New Name", "emailAddress": format!("{u}.new@example.com")}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["name"], json!(renamed));
    assert_eq!(r.body["displayName"], json!("New Name"));
    admin()
        .get(&format!("/rest/api/2/user?username={u}"))
        .await
        .expect(404)
        .jira_error();
    admin()
        .get(&format!("/rest/api/2/user?key={renamed}"))
        .await
        .expect(200);
    // The password still works under the new name.
    Client::basic(&renamed, &pw)
        .get("/rest/api/2/myself")
        .await
        .expect(200);

    // Errors: bad input, taken names, unknown user, non-admin, no user named.
    let (other, opw) = user("upo").await;
    let r = admin()
        .put(
            &format!("/rest/api/2/user?username={renamed}"),
            json!({"emailAddress": "not-an-email", "displayName": " "}),
        )
        .await
        .expect(400);
    assert!(r.body["errors"]["emailAddress"].is_string(), "{}", r.text);
    assert!(r.body["errors"]["displayName"].is_string(), "{}", r.text);
    admin()
        .put(
            &format!("/rest/api/2/user?username={renamed}"),
            json!({"name": other}),
        )
        .await
        .expect(400)
        .jira_error();
    admin()
        .put(
            "/rest/api/2/user?username=nobody-here-x",
            json!({"displayName": "x"}),
        )
        .await
        .expect(404)
        .jira_error();
    admin()
        .put("/rest/api/2/user", json!({"displayName": "x"}))
        .await
        .expect(400)
        .jira_error();
    admin()
        .put(
            &format!("/rest/api/2/user?username={renamed}"),
            json!({"unknownField": 1}),
        )
        .await
        .expect(400)
        .jira_error();
    Client::basic(&other, &opw)
        .put(
            &format!("/rest/api/2/user?username={renamed}"),
            json!({"displayName": "hijack"}),
        )
        .await
        .expect(403)
        .jira_error();
    admin()
        .put("/rest/api/2/user?username=admin", json!({"active": false}))
        .await
        .expect(400)
        .jira_error();
    let audit = audit_summaries(&renamed).await;
    assert!(audit.iter().any(|s| s == "User updated"), "{audit:?}");
}

#[tokio::test]
async fn deactivated_users_cannot_sign_in_and_leave_pickers_but_stay_on_issues() {
    let key = project("DEA").await;
    let (u, pw) = user("dea").await;
    let k = issue(&key, "assigned before deactivation").await;
    admin()
        .put(
            &format!("/rest/api/2/issue/{k}/assignee"),
            json!({"name": u}),
        )
        .await
        .expect(204);
    let secret = {
        let app = &crate::common::server().app;
        let found = app
            .users
            .user_by_ref(&tessera::service::users::UserRef::Username(u.clone()))
            .await
            .expect("lookup")
            .expect("user");
        app.auth
            .create_token(None, found.id, "before deactivation", vec![])
            .await
            .expect("token")
            .0
    };
    Client::bearer(&secret)
        .get("/rest/api/2/myself")
        .await
        .expect(200);

    admin()
        .put(
            &format!("/rest/api/2/user?username={u}"),
            json!({"active": false}),
        )
        .await
        .expect(200);
    Client::basic(&u, &pw)
        .get("/rest/api/2/myself")
        .await
        .expect(401);
    Client::bearer(&secret)
        .get("/rest/api/2/myself")
        .await
        .expect(401);
    let r = admin()
        .get(&format!("/rest/api/2/user/search?username={u}"))
        .await
        .expect(200);
    assert!(names(&r.body).is_empty(), "{}", r.text);
    let r = admin()
        .get(&format!(
            "/rest/api/2/user/search?username={u}&includeInactive=true"
        ))
        .await
        .expect(200);
    assert_eq!(names(&r.body), vec![u.clone()]);
    let r = admin()
        .get(&format!("/rest/api/2/user/picker?query={u}"))
        .await
        .expect(200);
    assert_eq!(r.body["total"], json!(0), "{}", r.text);
    let r = admin()
        .get(&format!(
            "/rest/api/2/user/assignable/search?project={key}&username={u}"
        ))
        .await
        .expect(200);
    assert!(names(&r.body).is_empty(), "{}", r.text);
    let r = admin()
        .get(&format!("/rest/api/2/issue/{k}"))
        .await
        .expect(200);
    assert_eq!(r.body["fields"]["assignee"]["name"], json!(u));
    assert_eq!(r.body["fields"]["assignee"]["active"], json!(false));
    assert!(
        audit_summaries(&u)
            .await
            .iter()
            .any(|s| s == "User deactivated")
    );

    // Reactivated: signs in again.
    admin()
        .put(
            &format!("/rest/api/2/user?username={u}"),
            json!({"active": true}),
        )
        .await
        .expect(200);
    Client::basic(&u, &pw)
        .get("/rest/api/2/myself")
        .await
        .expect(200);
}

#[tokio::test]
async fn deleted_users_stay_readable_on_what_they_did() {
    let key = project("DEL").await;
    let (u, pw) = user("del").await;
    let me = Client::basic(&u, &pw);
    // Let the user work in the project: reporter, comment, worklog.
    admin()
        .post(
            "/rest/api/2/group/user?groupname=jira-administrators",
            json!({"name": u}),
        )
        .await
        .expect(201);
    let r = me
        .post("/rest/api/2/issue", json!({"fields": {"project": {"key": key}, "summary": "by the leaver", "issuetype": {"name": "Task"}}}))
        .await
        .expect(201);
    let k = r.body["key"].as_str().unwrap().to_string();
    me.post(
        &format!("/rest/api/2/issue/{k}/comment"),
        json!({"body": "said before leaving"}),
    )
    .await
    .expect(201);
    me.post(
        &format!("/rest/api/2/issue/{k}/worklog"),
        json!({"timeSpent": "1h"}),
    )
    .await
    .expect(201);
    me.put(
        &format!("/rest/api/2/issue/{k}"),
        json!({"fields": {"summary": "edited by the leaver"}}),
    )
    .await
    .expect(204);
    admin()
        .put(
            &format!("/rest/api/2/issue/{k}/assignee"),
            json!({"name": u}),
        )
        .await
        .expect(204);

    admin()
        .delete(&format!("/rest/api/2/user?username={u}"))
        .await
        .expect(204);
    admin()
        .get(&format!("/rest/api/2/user?username={u}"))
        .await
        .expect(404)
        .jira_error();
    admin()
        .delete(&format!("/rest/api/2/user?username={u}"))
        .await
        .expect(404)
        .jira_error();
    me.get("/rest/api/2/myself").await.expect(401);

    let r = admin()
        .get(&format!("/rest/api/2/issue/{k}?expand=changelog"))
        .await
        .expect(200);
    assert_eq!(r.body["fields"]["reporter"]["name"], json!(u), "{}", r.text);
    assert_eq!(r.body["fields"]["assignee"]["name"], json!(u));
    assert_eq!(
        r.body["fields"]["comment"]["comments"][0]["author"]["name"],
        json!(u)
    );
    assert_eq!(
        r.body["fields"]["worklog"]["worklogs"][0]["author"]["name"],
        json!(u)
    );
    let histories = r.body["changelog"]["histories"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        histories.iter().any(|h| h["author"]["name"] == json!(u)),
        "{}",
        r.text
    );
    // Searchable still, by the former user.
    let r = admin()
        .post(
            "/rest/api/2/search",
            json!({"jql": format!("project = {key} AND reporter = \"{u}\"")}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["total"], json!(1), "{}", r.text);
    // Not found by any user search.
    let r = admin()
        .get(&format!(
            "/rest/api/2/user/search?username={u}&includeInactive=true"
        ))
        .await
        .expect(200);
    assert!(names(&r.body).is_empty());
    let audit = audit_summaries(&u).await;
    for s in ["User created", "User deleted"] {
        assert!(audit.iter().any(|x| x == s), "{s}: {audit:?}");
    }
}

#[tokio::test]
async fn bulk_get_takes_every_kind_of_name_and_pages() {
    let (a, _) = user("bka").await;
    let (b, _) = user("bkb").await;
    let (c, _) = user("bkc").await;
    let c_id = admin()
        .get(&format!("/rest/api/2/user?username={c}"))
        .await
        .expect(200)
        .body["accountId"]
        .as_str()
        .unwrap()
        .to_string();
    let r = admin()
        .get(&format!(
            "/rest/api/2/user/bulk?username={a}&key={b}&accountId={c_id}&username=nobody-x&maxResults=2"
        ))
        .await
        .expect(200);
    assert_eq!(r.body["total"], json!(3), "{}", r.text);
    assert_eq!(r.body["maxResults"], json!(2));
    assert_eq!(r.body["isLast"], json!(false));
    let mut all = [a.clone(), b.clone(), c.clone()];
    all.sort();
    assert_eq!(names(&r.body["values"]), all[..2].to_vec());
    assert!(r.body["values"][0]["groups"]["items"].is_array());
    let r = admin()
        .get(&format!(
            "/rest/api/2/user/bulk?username={a}&username={b}&username={c}&startAt=2"
        ))
        .await
        .expect(200);
    assert_eq!(names(&r.body["values"]), all[2..].to_vec());
    assert_eq!(r.body["isLast"], json!(true));
    admin()
        .get("/rest/api/2/user/bulk")
        .await
        .expect(400)
        .jira_error();
    admin()
        .get(&format!("/rest/api/2/user/bulk?username={a}&maxResults=x"))
        .await
        .expect(400)
        .jira_error();
    Client::anonymous()
        .get(&format!("/rest/api/2/user/bulk?username={a}"))
        .await
        .expect(401);
}

#[tokio::test]
async fn structured_user_query_finds_issue_roles_and_properties() {
    let key = project("UQ").await;
    let (assignee, _) = user("uqa").await;
    let (watcher, _) = user("uqw").await;
    let k1 = issue(&key, "one").await;
    let k2 = issue(&key, "two").await;
    admin()
        .put(
            &format!("/rest/api/2/issue/{k1}/assignee"),
            json!({"name": assignee}),
        )
        .await
        .expect(204);
    admin()
        .post(&format!("/rest/api/2/issue/{k2}/watchers"), json!(watcher))
        .await
        .expect(204);
    admin()
        .post(
            &format!("/rest/api/2/issue/{k2}/comment"),
            json!({"body": "hi"}),
        )
        .await
        .expect(201);
    admin()
        .put(
            &format!("/rest/api/2/user/properties/team?username={watcher}"),
            json!({"name": "red team", "size": 3}),
        )
        .await;

    let q = |query: &str| {
        let path = format!(
            "/rest/api/2/user/search/query?query={}",
            query
                .replace(' ', "%20")
                .replace('"', "%22")
                .replace('[', "%5B")
                .replace(']', "%5D")
        );
        async move { admin().get(&path).await }
    };
    let r = q(&format!("is assignee of {key}")).await.expect(200);
    assert_eq!(
        names(&r.body["values"]),
        vec![assignee.clone()],
        "{}",
        r.text
    );
    assert_eq!(r.body["total"], json!(1));
    let r = q(&format!("is assignee of ({k1}, {k2})")).await.expect(200);
    assert_eq!(names(&r.body["values"]), vec![assignee.clone()]);
    let r = q(&format!("is assignee of ({k2})")).await.expect(200);
    assert!(names(&r.body["values"]).is_empty());
    let r = q(&format!("is reporter of {k1}")).await.expect(200);
    assert_eq!(names(&r.body["values"]), vec!["admin".to_string()]);
    let r = q(&format!("is watcher of {key}")).await.expect(200);
    assert!(names(&r.body["values"]).contains(&watcher));
    let r = q(&format!("is commenter of {k2}")).await.expect(200);
    assert_eq!(names(&r.body["values"]), vec!["admin".to_string()]);
    let r = q("[team].name is \"red team\"").await.expect(200);
    assert_eq!(
        names(&r.body["values"]),
        vec![watcher.clone()],
        "{}",
        r.text
    );
    let r = q("[team].size = 3").await.expect(200);
    assert_eq!(names(&r.body["values"]), vec![watcher.clone()]);
    let r = q(&format!(
        "is watcher of {key} and [team].name is \"red team\""
    ))
    .await
    .expect(200);
    assert_eq!(names(&r.body["values"]), vec![watcher.clone()]);
    let r = q(&format!("is assignee of {key} or [team].size = 3"))
        .await
        .expect(200);
    assert_eq!(r.body["total"], json!(2));

    for bad in [
        "is owner of X",
        "something else",
        "",
        &format!("is assignee of {key}-999"),
    ] {
        let r = q(bad).await.expect(400);
        assert!(
            r.jira_error().contains("query") || r.body["errors"]["query"].is_string(),
            "{}",
            r.text
        );
    }
    Client::anonymous()
        .get(&format!(
            "/rest/api/2/user/search/query?query=is%20assignee%20of%20{key}"
        ))
        .await
        .expect(401);
    let r = admin()
        .get(&format!(
            "/rest/api/2/user/search/query?query=is%20assignee%20of%20{key}&maxResults=5000"
        ))
        .await
        .expect(200);
    assert_eq!(r.body["maxResults"], json!(1000));
}

#[tokio::test]
async fn permission_search_needs_every_permission_and_a_project_admin() {
    let key = project("UPS").await;
    let (u, pw) = user("ups").await;
    let r = admin()
        .get(&format!(
            "/rest/api/2/user/permission/search?projectKey={key}&permissions=BROWSE_PROJECTS,ADMINISTER_PROJECTS&username=admin"
        ))
        .await
        .expect(200);
    assert_eq!(names(&r.body), vec!["admin".to_string()], "{}", r.text);
    let k = issue(&key, "perm").await;
    let r = admin()
        .get(&format!(
            "/rest/api/2/user/permission/search?issueKey={k}&permissions=EDIT_ISSUES&username=admin"
        ))
        .await
        .expect(200);
    assert_eq!(names(&r.body), vec!["admin".to_string()]);
    admin()
        .get(&format!(
            "/rest/api/2/user/permission/search?projectKey={key}&permissions=NOT_A_PERMISSION"
        ))
        .await
        .expect(400)
        .jira_error();
    admin()
        .get(&format!(
            "/rest/api/2/user/permission/search?projectKey={key}"
        ))
        .await
        .expect(400)
        .jira_error();
    admin()
        .get("/rest/api/2/user/permission/search?permissions=BROWSE_PROJECTS")
        .await
        .expect(400)
        .jira_error();
    admin()
        .get("/rest/api/2/user/permission/search?projectKey=NOPE9&permissions=BROWSE_PROJECTS")
        .await
        .expect(404)
        .jira_error();
    let r = Client::basic(&u, &pw)
        .get(&format!(
            "/rest/api/2/user/permission/search?projectKey={key}&permissions=BROWSE_PROJECTS"
        ))
        .await;
    assert!(r.status == 403 || r.status == 404, "{}", r.text);
    Client::anonymous()
        .get(&format!(
            "/rest/api/2/user/permission/search?projectKey={key}&permissions=BROWSE_PROJECTS"
        ))
        .await
        .expect(401);
}

#[tokio::test]
async fn user_search_refuses_anonymous_callers_and_caps_max_results() {
    for path in [
        "/rest/api/2/user/search?username=a",
        "/rest/api/2/user/picker?query=a",
        "/rest/api/2/user/search/query?query=is%20assignee%20of%20X",
        "/rest/api/2/groupuserpicker?query=a",
    ] {
        Client::anonymous().get(path).await.expect(401);
    }
    let r = admin()
        .get("/rest/api/2/user/search?username=&maxResults=100000")
        .await
        .expect(200);
    assert!(r.body.as_array().map(Vec::len).unwrap_or(0) <= 1000);
}
