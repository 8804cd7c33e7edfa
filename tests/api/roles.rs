//! Project roles: global definitions (`role`), their default actors, a role's actors in
//! one project (set, add, remove), `roledetails`, and that role changes take effect on
//! the very next request (the ACL counter drops cached answers).

use serde_json::{Value, json};

use crate::common::{Client, issue, project, unique_key, user};

fn admin() -> Client {
    Client::admin()
}

/// Creates a role with a unique name; returns (id, name).
async fn role(prefix: &str) -> (i64, String) {
    let name = format!("Role {}", unique_key(prefix));
    let r = admin()
        .post(
            "/rest/api/2/role",
            json!({"name": name, "description": "made by a test"}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["name"], name.as_str());
    (r.body["id"].as_i64().expect("role id"), name)
}

fn actor_names(body: &Value) -> Vec<String> {
    body["actors"]
        .as_array()
        .expect("actors")
        .iter()
        .map(|a| a["name"].as_str().expect("name").to_string())
        .collect()
}

#[tokio::test]
async fn role_definitions_crud_and_errors() {
    let (id, name) = role("RDEF").await;
    // Listed, read by id, with Jira's error for the rest.
    let all = admin().get("/rest/api/2/role").await.expect(200).body;
    assert!(all.as_array().unwrap().iter().any(|r| r["id"] == id));
    let one = admin()
        .get(&format!("/rest/api/2/role/{id}"))
        .await
        .expect(200)
        .body;
    assert_eq!(one["description"], "made by a test");
    assert_eq!(one["actors"], json!([]));
    admin()
        .get("/rest/api/2/role/99999999")
        .await
        .expect(404)
        .jira_error();
    admin()
        .get("/rest/api/2/role/abc")
        .await
        .expect(404)
        .jira_error();

    // Duplicate names (any case) are a conflict; empty or padded names a field error.
    let r = admin()
        .post("/rest/api/2/role", json!({"name": name.to_uppercase()}))
        .await
        .expect(409);
    assert!(r.jira_error().contains("already exists"), "{}", r.text);
    let r = admin()
        .post("/rest/api/2/role", json!({"name": ""}))
        .await
        .expect(400);
    assert!(r.jira_error().contains("name"), "{}", r.text);
    admin()
        .post("/rest/api/2/role", json!({"name": " padded "}))
        .await
        .expect(400)
        .jira_error();
    admin()
        .post("/rest/api/2/role", json!({"description": "no name"}))
        .await
        .expect(400)
        .jira_error();

    // Non-administrators and anonymous callers.
    let (u, pw) = user("rdef").await;
    let them = Client::basic(&u, &pw);
    them.get("/rest/api/2/role").await.expect(403).jira_error();
    them.post("/rest/api/2/role", json!({"name": "Nope"}))
        .await
        .expect(403)
        .jira_error();
    them.delete(&format!("/rest/api/2/role/{id}"))
        .await
        .expect(403)
        .jira_error();
    Client::anonymous()
        .get("/rest/api/2/role")
        .await
        .expect(401)
        .jira_error();

    // Partial update keeps what is not given; it needs one of the two.
    let r = admin()
        .post(
            &format!("/rest/api/2/role/{id}"),
            json!({"description": "changed"}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["name"], name.as_str());
    assert_eq!(r.body["description"], "changed");
    admin()
        .post(&format!("/rest/api/2/role/{id}"), json!({}))
        .await
        .expect(400)
        .jira_error();
    // Full update needs both.
    admin()
        .put(
            &format!("/rest/api/2/role/{id}"),
            json!({"name": "Only name"}),
        )
        .await
        .expect(400)
        .jira_error();
    let renamed = format!("{name} renamed");
    let r = admin()
        .put(
            &format!("/rest/api/2/role/{id}"),
            json!({"name": renamed, "description": "full"}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["name"], renamed.as_str());
    admin()
        .put(
            "/rest/api/2/role/99999999",
            json!({"name": "x", "description": "y"}),
        )
        .await
        .expect(404)
        .jira_error();
    // A project's role list shows the new name.
    let p = project("RDEF").await;
    let list = admin()
        .get(&format!("/rest/api/2/project/{p}/role"))
        .await
        .expect(200)
        .body;
    assert!(list.get(&renamed).is_some(), "{list}");

    // Delete: unknown 404, unused 204, then gone.
    admin()
        .delete("/rest/api/2/role/99999999")
        .await
        .expect(404)
        .jira_error();
    admin()
        .delete(&format!("/rest/api/2/role/{id}"))
        .await
        .expect(204);
    admin()
        .get(&format!("/rest/api/2/role/{id}"))
        .await
        .expect(404);
}

#[tokio::test]
async fn default_actors_are_given_to_new_projects() {
    let (id, _) = role("RDA").await;
    let (u, _) = user("rda").await;
    let path = format!("/rest/api/2/role/{id}/actors");
    let r = admin().post(&path, json!({"user": [u]})).await.expect(200);
    assert_eq!(actor_names(&r.body), vec![u.clone()]);
    assert_eq!(r.body["actors"][0]["type"], "atlassian-user-role-actor");
    let r = admin()
        .post(&path, json!({"group": ["jira-administrators"]}))
        .await
        .expect(200);
    assert_eq!(actor_names(&r.body).len(), 2);
    // Both, neither, or unknown actors are 400; an unknown role 404.
    admin()
        .post(&path, json!({"user": [u], "group": ["jira-users"]}))
        .await
        .expect(400)
        .jira_error();
    admin()
        .post(&path, json!({}))
        .await
        .expect(400)
        .jira_error();
    admin()
        .post(&path, json!({"group": ["no-such-group-xyz"]}))
        .await
        .expect(400)
        .jira_error();
    admin()
        .post(&path, json!({"user": ["no-such-user-xyz"]}))
        .await
        .expect(400)
        .jira_error();
    admin()
        .get("/rest/api/2/role/99999999/actors")
        .await
        .expect(404)
        .jira_error();
    let got = admin().get(&path).await.expect(200).body;
    assert_eq!(actor_names(&got).len(), 2);

    // A project created now starts with them.
    let p = project("RDA").await;
    let r = admin()
        .get(&format!("/rest/api/2/project/{p}/role/{id}"))
        .await
        .expect(200);
    let mut names = actor_names(&r.body);
    names.sort();
    let mut want = vec!["jira-administrators".to_string(), u.clone()];
    want.sort();
    assert_eq!(names, want);

    // Removing: by user or group, not both and not neither.
    let r = admin()
        .delete(&format!("{path}?user={u}"))
        .await
        .expect(200);
    assert_eq!(
        actor_names(&r.body),
        vec!["jira-administrators".to_string()]
    );
    admin()
        .delete(&format!("{path}?user={u}&group=jira-administrators"))
        .await
        .expect(400)
        .jira_error();
    admin().delete(&path).await.expect(400).jira_error();
    admin()
        .delete(&format!("{path}?group=no-such-group-xyz"))
        .await
        .expect(400)
        .jira_error();
    // The project keeps the actors it was given.
    let r = admin()
        .get(&format!("/rest/api/2/project/{p}/role/{id}"))
        .await
        .expect(200);
    assert_eq!(actor_names(&r.body).len(), 2);
}

#[tokio::test]
async fn set_actors_takes_effect_on_the_next_request() {
    let p = project("RSET").await;
    let key = issue(&p, "Role gated").await;
    let (u, pw) = user("rset").await;
    let them = Client::basic(&u, &pw);
    // Take jira-users out of Members so only explicit actors see the project.
    admin()
        .delete(&format!(
            "/rest/api/2/project/{p}/role/10003?group=jira-users"
        ))
        .await
        .expect(204);
    them.get(&format!("/rest/api/2/project/{p}"))
        .await
        .expect(404);
    them.get(&format!("/rest/api/2/issue/{key}"))
        .await
        .expect(404);

    let r = admin()
        .put(
            &format!("/rest/api/2/project/{p}/role/10004"),
            json!({"id": 10004, "categorisedActors": {"atlassian-user-role-actor": [u], "atlassian-group-role-actor": []}}),
        )
        .await
        .expect(200);
    assert_eq!(actor_names(&r.body), vec![u.clone()]);
    // The very next request sees the change.
    them.get(&format!("/rest/api/2/project/{p}"))
        .await
        .expect(200);
    them.get(&format!("/rest/api/2/issue/{key}"))
        .await
        .expect(200);

    // Setting replaces: an empty set takes the user out again.
    admin()
        .put(
            &format!("/rest/api/2/project/{p}/role/10004"),
            json!({"categorisedActors": {"atlassian-user-role-actor": []}}),
        )
        .await
        .expect(200);
    them.get(&format!("/rest/api/2/issue/{key}"))
        .await
        .expect(404);

    // Errors: unknown actors 404 (nothing changed), unknown role 404, bad body 400,
    // callers who do not administer the project 403 (or 404 when they cannot see it).
    admin()
        .put(
            &format!("/rest/api/2/project/{p}/role/10004"),
            json!({"categorisedActors": {"atlassian-user-role-actor": ["no-such-user-xyz"]}}),
        )
        .await
        .expect(404)
        .jira_error();
    admin()
        .put(
            &format!("/rest/api/2/project/{p}/role/99999999"),
            json!({"categorisedActors": {"atlassian-user-role-actor": [u]}}),
        )
        .await
        .expect(404)
        .jira_error();
    admin()
        .put(
            &format!("/rest/api/2/project/{p}/role/10004"),
            json!({"categorisedActors": {"planet": ["mars"]}}),
        )
        .await
        .expect(400)
        .jira_error();
    admin()
        .put(&format!("/rest/api/2/project/{p}/role/10004"), json!({}))
        .await
        .expect(400)
        .jira_error();
    them.put(
        &format!("/rest/api/2/project/{p}/role/10004"),
        json!({"categorisedActors": {"atlassian-user-role-actor": [u]}}),
    )
    .await
    .expect(404)
    .jira_error();

    // Add (POST) and remove (DELETE) one actor at a time, with immediate effect.
    admin()
        .post(
            &format!("/rest/api/2/project/{p}/role/10003"),
            json!({"user": [u]}),
        )
        .await
        .expect(200);
    them.get(&format!("/rest/api/2/issue/{key}"))
        .await
        .expect(200);
    // A member is not a project administrator.
    them.put(
        &format!("/rest/api/2/project/{p}/role/10004"),
        json!({"categorisedActors": {"atlassian-user-role-actor": [u]}}),
    )
    .await
    .expect(403)
    .jira_error();
    admin()
        .delete(&format!("/rest/api/2/project/{p}/role/10003?user={u}"))
        .await
        .expect(204);
    them.get(&format!("/rest/api/2/issue/{key}"))
        .await
        .expect(404);
}

#[tokio::test]
async fn role_details_flags_and_current_member() {
    let p = project("RDET").await;
    let (u, pw) = user("rdet").await;
    let them = Client::basic(&u, &pw);
    admin()
        .post(
            &format!("/rest/api/2/project/{p}/role/10004"),
            json!({"user": [u]}),
        )
        .await
        .expect(200);
    let all = admin()
        .get(&format!("/rest/api/2/project/{p}/roledetails"))
        .await
        .expect(200)
        .body;
    let admins = all
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == 10002)
        .expect("Administrators");
    assert_eq!(admins["admin"], true);
    assert_eq!(admins["default"], true);
    assert_eq!(admins["name"], "Administrators");
    let viewers = all
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == 10004)
        .unwrap();
    assert_eq!(viewers["admin"], false);

    // The user is a Viewer directly and a Member through jira-users.
    let mine = them
        .get(&format!(
            "/rest/api/2/project/{p}/roledetails?currentMember=true&excludeConnectAddons=true"
        ))
        .await
        .expect(200)
        .body;
    let mut ids: Vec<i64> = mine
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    ids.sort();
    assert_eq!(ids, vec![10003, 10004]);
    them.get("/rest/api/2/project/NOSUCHPRJ/roledetails")
        .await
        .expect(404)
        .jira_error();
    them.get(&format!(
        "/rest/api/2/project/{p}/roledetails?currentMember=maybe"
    ))
    .await
    .expect(400)
    .jira_error();
    Client::anonymous()
        .get(&format!("/rest/api/2/project/{p}/roledetails"))
        .await
        .expect(401)
        .jira_error();
}

/// Creates a scheme granting `grants` (permission, holder type, parameter).
async fn scheme(grants: &[(&str, &str, Option<&str>)]) -> i64 {
    let permissions: Vec<Value> = grants
        .iter()
        .map(|(p, t, v)| json!({"permission": p, "holder": {"type": t, "parameter": v}}))
        .collect();
    let r = admin()
        .post(
            "/rest/api/2/permissionscheme",
            json!({"name": format!("Scheme {}", unique_key("RS")), "permissions": permissions}),
        )
        .await
        .expect(201);
    r.body["id"].as_i64().expect("scheme id")
}

#[tokio::test]
async fn deleting_a_role_in_use_needs_a_swap_that_moves_its_uses() {
    let (old, old_name) = role("RSWO").await;
    let (new, new_name) = role("RSWN").await;
    let s = scheme(&[
        ("BROWSE_PROJECTS", "projectRole", Some(&old.to_string())),
        ("ADD_COMMENTS", "projectRole", Some(&old.to_string())),
        ("ADD_COMMENTS", "projectRole", Some(&new.to_string())),
        ("BROWSE_PROJECTS", "group", Some("jira-administrators")),
        ("ADMINISTER_PROJECTS", "group", Some("jira-administrators")),
    ])
    .await;
    let p = project("RSW").await;
    let key = issue(&p, "Swapped").await;
    let (u, pw) = user("rsw").await;
    let them = Client::basic(&u, &pw);
    admin()
        .post(
            &format!("/rest/api/2/project/{p}/role/{old}"),
            json!({"user": [u, "admin"]}),
        )
        .await
        .expect(200);
    let c = admin()
        .post(
            &format!("/rest/api/2/issue/{key}/comment"),
            json!({"body": "For the old role", "visibility": {"type": "role", "value": old_name}}),
        )
        .await
        .expect(201)
        .body;
    admin()
        .put(
            &format!("/rest/api/2/project/{p}/permissionscheme"),
            json!({"id": s}),
        )
        .await
        .expect(200);
    them.get(&format!("/rest/api/2/issue/{key}"))
        .await
        .expect(200);

    let r = admin()
        .delete(&format!("/rest/api/2/role/{old}"))
        .await
        .expect(409);
    assert!(r.jira_error().contains("swap"), "{}", r.text);
    admin()
        .delete(&format!("/rest/api/2/role/{old}?swap=99999999"))
        .await
        .expect(400)
        .jira_error();
    admin()
        .delete(&format!("/rest/api/2/role/{old}?swap={old}"))
        .await
        .expect(400)
        .jira_error();
    admin()
        .delete(&format!("/rest/api/2/role/{old}?swap={new}"))
        .await
        .expect(204);

    // Grants now name the new role (a duplicate merged), actors moved, access kept.
    let grants = admin()
        .get(&format!("/rest/api/2/permissionscheme/{s}/permission"))
        .await
        .expect(200)
        .body;
    let holders: Vec<(String, String)> = grants["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["holder"]["type"] == "projectRole")
        .map(|g| {
            (
                g["permission"].as_str().unwrap().to_string(),
                g["holder"]["parameter"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(holders.len(), 2, "{grants}");
    assert!(
        holders.iter().all(|(_, r)| *r == new.to_string()),
        "{grants}"
    );
    let r = admin()
        .get(&format!("/rest/api/2/project/{p}/role/{new}"))
        .await
        .expect(200);
    assert!(actor_names(&r.body).contains(&u), "{}", r.text);
    them.get(&format!("/rest/api/2/issue/{key}"))
        .await
        .expect(200);
    // The comment restricted to the old role now names the new one; its actor sees it.
    let got = them
        .get(&format!(
            "/rest/api/2/issue/{key}/comment/{}",
            c["id"].as_str().unwrap()
        ))
        .await
        .expect(200)
        .body;
    assert_eq!(got["visibility"]["value"], new_name.as_str());
}

#[tokio::test]
async fn role_restricted_comments_and_worklogs_follow_role_membership() {
    let p = project("RVIS").await;
    let key = issue(&p, "Restricted").await;
    let (u, pw) = user("rvis").await;
    let them = Client::basic(&u, &pw);
    let c = admin()
        .post(
            &format!("/rest/api/2/issue/{key}/comment"),
            json!({"body": "Admins role only", "visibility": {"type": "role", "value": "Administrators"}}),
        )
        .await
        .expect(201)
        .body;
    let cid = c["id"].as_str().unwrap().to_string();
    let w = admin()
        .post(
            &format!("/rest/api/2/issue/{key}/worklog"),
            json!({"timeSpent": "1h", "visibility": {"type": "role", "value": "10002"}}),
        )
        .await
        .expect(201)
        .body;
    let wid = w["id"].as_str().unwrap().to_string();
    let comment = format!("/rest/api/2/issue/{key}/comment/{cid}");
    let worklog = format!("/rest/api/2/issue/{key}/worklog/{wid}");

    // A member outside the role sees neither.
    them.get(&comment).await.expect(404);
    them.get(&worklog).await.expect(404);
    let list = them
        .get(&format!("/rest/api/2/issue/{key}/comment"))
        .await
        .expect(200)
        .body;
    assert_eq!(list["comments"], json!([]), "{list}");

    // In the role (by a group of theirs too), they see both on the next request.
    admin()
        .post(
            &format!("/rest/api/2/project/{p}/role/10002"),
            json!({"user": [u]}),
        )
        .await
        .expect(200);
    them.get(&comment).await.expect(200);
    them.get(&worklog).await.expect(200);
    admin()
        .delete(&format!("/rest/api/2/project/{p}/role/10002?user={u}"))
        .await
        .expect(204);
    them.get(&comment).await.expect(404);
    let group = format!("rvis-{}", unique_key("G").to_lowercase());
    admin()
        .post("/rest/api/2/group", json!({"name": group}))
        .await
        .expect(201);
    admin()
        .post(
            &format!("/rest/api/2/group/user?groupname={group}"),
            json!({"name": u}),
        )
        .await
        .expect(201);
    admin()
        .put(
            &format!("/rest/api/2/project/{p}/role/10002"),
            json!({"categorisedActors": {"atlassian-user-role-actor": ["admin"], "atlassian-group-role-actor": [group]}}),
        )
        .await
        .expect(200);
    them.get(&comment).await.expect(200);
    them.get(&worklog).await.expect(200);
}

/// Audit summaries recorded for one object (read beside the running server).
fn audited(object_type: &str, object_id: &str) -> Vec<(String, String, String)> {
    let db = rusqlite::Connection::open(crate::common::server().app.config.database_path())
        .expect("open db");
    let mut stmt = db
        .prepare(
            "SELECT summary, coalesce(author_key, ''), coalesce(remote_address, '') FROM audit_records
             WHERE object_type = ?1 AND object_id = ?2 ORDER BY id",
        )
        .expect("prepare");
    stmt.query_map([object_type, object_id], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })
    .expect("query")
    .collect::<Result<_, _>>()
    .expect("rows")
}

#[tokio::test]
async fn role_actor_scheme_and_grant_changes_are_audited() {
    let (id, name) = role("RAUD").await;
    admin()
        .post(
            &format!("/rest/api/2/role/{id}"),
            json!({"name": format!("{name} b")}),
        )
        .await
        .expect(200);
    admin()
        .post(
            &format!("/rest/api/2/role/{id}/actors"),
            json!({"group": ["jira-users"]}),
        )
        .await
        .expect(200);
    admin()
        .delete(&format!("/rest/api/2/role/{id}/actors?group=jira-users"))
        .await
        .expect(200);
    let p = project("RAUD").await;
    admin()
        .put(
            &format!("/rest/api/2/project/{p}/role/{id}"),
            json!({"categorisedActors": {"atlassian-user-role-actor": ["admin"]}}),
        )
        .await
        .expect(200);
    let s = scheme(&[("BROWSE_PROJECTS", "group", Some("jira-administrators"))]).await;
    let g = admin()
        .post(
            &format!("/rest/api/2/permissionscheme/{s}/permission"),
            json!({"permission": "ADMINISTER_PROJECTS", "holder": {"type": "group", "parameter": "jira-administrators"}}),
        )
        .await
        .expect(201)
        .body;
    admin()
        .delete(&format!(
            "/rest/api/2/permissionscheme/{s}/permission/{}",
            g["id"]
        ))
        .await
        .expect(204);
    admin()
        .put(
            &format!("/rest/api/2/permissionscheme/{s}"),
            json!({"description": "audited"}),
        )
        .await
        .expect(200);
    admin()
        .delete(&format!("/rest/api/2/role/{id}"))
        .await
        .expect(204);
    admin()
        .delete(&format!("/rest/api/2/permissionscheme/{s}"))
        .await
        .expect(204);

    let summaries = |rows: Vec<(String, String, String)>| -> Vec<String> {
        assert!(
            rows.iter()
                .all(|(_, who, from)| who == "admin" && from == "127.0.0.1"),
            "{rows:?}"
        );
        rows.into_iter().map(|(s, ..)| s).collect()
    };
    assert_eq!(
        summaries(audited("PROJECT_ROLE", &id.to_string())),
        vec![
            "Project role created",
            "Project role updated",
            "Default actor added to project role",
            "Default actor removed from project role",
            "Project role actors changed",
            "Project role deleted",
        ]
    );
    assert_eq!(
        summaries(audited("PERMISSION_SCHEME", &s.to_string())),
        vec![
            "Permission scheme created",
            "Permission grant added to permission scheme",
            "Permission grant removed from permission scheme",
            "Permission scheme updated",
            "Permission scheme deleted",
        ]
    );
}
