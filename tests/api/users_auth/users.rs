//! The user and group resources.

use super::*;

#[tokio::test]
async fn get_user_by_username_and_account_id() {
    let (name, _) = user("gu").await;
    let admin = Client::admin();
    let r = admin
        .get(&format!("/rest/api/2/user?username={name}"))
        .await
        .expect(200);
    assert_eq!(r.body["name"], json!(name));
    assert_eq!(r.body["emailAddress"], json!(format!("{name}@example.com")));
    let account = r.body["accountId"].as_str().unwrap().to_string();
    let r = admin
        .get(&format!("/rest/api/2/user?accountId={account}"))
        .await
        .expect(200);
    assert_eq!(r.body["name"], json!(name));
    let r = admin
        .get(&format!("/rest/api/2/user?key={name}&expand=groups"))
        .await
        .expect(200);
    assert!(
        r.body["groups"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["name"] == "jira-users")
    );

    let r = admin
        .get("/rest/api/2/user?username=ghost-user-zz")
        .await
        .expect(404);
    assert!(r.jira_error().contains("ghost-user-zz"));
    let r = admin
        .get("/rest/api/2/user?accountId=000000000000000000000000")
        .await
        .expect(404);
    assert!(r.jira_error().contains("000000000000000000000000"));
    admin.get("/rest/api/2/user").await.expect(400).jira_error();
    Client::anonymous()
        .get(&format!("/rest/api/2/user?username={name}"))
        .await
        .expect(401)
        .jira_error();
}

#[tokio::test]
async fn create_and_delete_users() {
    let admin = Client::admin();
    let name = unique_key("cu").to_lowercase();
    let body = json!({"name": name, "emailAddress": format!("{name}@example.org"), "displayName": "Created User", "password": "created-user-password"});
    let r = admin
        .post("/rest/api/2/user", body.clone())
        .await
        .expect(201);
    assert_eq!(r.body["name"], json!(name));
    assert_eq!(r.body["displayName"], "Created User");
    assert!(
        r.body["self"]
            .as_str()
            .unwrap()
            .contains("/rest/api/2/user?accountId=")
    );
    assert!(
        !r.text.contains("created-user-password"),
        "the password is never echoed"
    );
    Client::basic(&name, "created-user-password")
        .get("/rest/api/2/myself")
        .await
        .expect(200);

    // Duplicates and invalid input.
    let r = admin.post("/rest/api/2/user", body).await.expect(400);
    assert!(r.body["errors"]["name"].is_string(), "{}", r.text);
    let r = admin
        .post("/rest/api/2/user", json!({"name": unique_key("cx").to_lowercase(), "emailAddress": format!("{name}@example.org"), "displayName": "Same mail"}))
        .await
        .expect(400);
    assert!(r.body["errors"]["emailAddress"].is_string(), "{}", r.text);
    let r = admin
        .post(
            "/rest/api/2/user",
            json!({"name": "has space", "emailAddress": "not-an-email"}),
        )
        .await
        .expect(400);
    assert!(
        r.body["errors"]["name"].is_string() && r.body["errors"]["emailAddress"].is_string(),
        "{}",
        r.text
    );

    // Only administrators create or delete users.
    let (plain, pw) = user("cun").await;
    let r = Client::basic(&plain, &pw)
        .post("/rest/api/2/user", json!({"name": unique_key("cy").to_lowercase(), "emailAddress": "y@example.org", "displayName": "Y"}))
        .await
        .expect(403);
    assert!(!r.jira_error().is_empty());
    Client::basic(&plain, &pw)
        .delete(&format!("/rest/api/2/user?username={name}"))
        .await
        .expect(403)
        .jira_error();
    Client::anonymous()
        .post("/rest/api/2/user", json!({"name": "anon"}))
        .await
        .expect(401)
        .jira_error();

    admin
        .delete(&format!("/rest/api/2/user?username={name}"))
        .await
        .expect(204);
    admin
        .get(&format!("/rest/api/2/user?username={name}"))
        .await
        .expect(404)
        .jira_error();
    Client::basic(&name, "created-user-password")
        .get("/rest/api/2/myself")
        .await
        .expect(401);
    admin
        .delete(&format!("/rest/api/2/user?username={name}"))
        .await
        .expect(404)
        .jira_error();
    let r = admin
        .delete("/rest/api/2/user?username=admin")
        .await
        .expect(400);
    assert!(r.jira_error().contains("logged in"));
}

#[tokio::test]
async fn user_search_and_picker() {
    let (name, pw) = user("usp").await;
    let admin = Client::admin();
    let r = admin
        .get(&format!("/rest/api/2/user/search?query={name}"))
        .await
        .expect(200);
    let found: Vec<&str> = r
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert_eq!(found, [name.as_str()]);
    let r = admin
        .get(&format!(
            "/rest/api/2/user/search?username={name}@example.com"
        ))
        .await
        .expect(200);
    assert_eq!(r.body[0]["name"], json!(name));
    let r = admin
        .get("/rest/api/2/user/search?query=zz-nobody-matches-this")
        .await
        .expect(200);
    assert_eq!(r.body, json!([]));
    admin
        .get("/rest/api/2/user/search?query=a&maxResults=-1")
        .await
        .expect(400)
        .jira_error();

    // Members hold "browse users" too.
    let r = Client::basic(&name, &pw)
        .get("/rest/api/2/user/search?query=admin")
        .await
        .expect(200);
    assert!(
        r.body
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["name"] == "admin")
    );

    let r = admin
        .get(&format!("/rest/api/2/user/picker?query={name}"))
        .await
        .expect(200);
    assert_eq!(r.body["total"], 1);
    let item = &r.body["users"][0];
    assert_eq!(item["name"], json!(name));
    assert_eq!(item["displayName"], json!(format!("User {name}")));
    assert!(item["html"].as_str().unwrap().contains(&name));
    assert!(r.body["header"].as_str().unwrap().contains("1"));
    Client::anonymous()
        .get("/rest/api/2/user/picker?query=a")
        .await
        .expect(401)
        .jira_error();
}

#[tokio::test]
async fn assignable_and_browse_user_searches() {
    let key = project("UAS").await;
    let other = project("UAS").await;
    let (name, _) = user("uas").await;
    let admin = Client::admin();

    let r = admin
        // The shared server holds every test's users: ask for more than one default page.
        .get(&format!(
            "/rest/api/2/user/assignable/search?project={key}&maxResults=1000"
        ))
        .await
        .expect(200);
    let names: Vec<&str> = r
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"admin"), "{names:?}");
    assert!(
        names.contains(&name.as_str()),
        "members are assignable: {names:?}"
    );
    let r = admin
        .get(&format!(
            "/rest/api/2/user/assignable/search?project={key}&username={name}"
        ))
        .await
        .expect(200);
    assert_eq!(r.body.as_array().unwrap().len(), 1);
    assert_eq!(r.body[0]["name"], json!(name));
    let r = admin
        .get("/rest/api/2/user/assignable/search")
        .await
        .expect(400);
    assert!(r.jira_error().contains("project"));
    admin
        .get("/rest/api/2/user/assignable/search?project=NOSUCHKEY")
        .await
        .expect(404)
        .jira_error();

    let r = admin
        .get(&format!(
            "/rest/api/2/user/assignable/multiProjectSearch?projectKeys={key},{other}"
        ))
        .await
        .expect(200);
    assert!(
        r.body
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["name"] == "admin")
    );
    admin
        .get("/rest/api/2/user/assignable/multiProjectSearch")
        .await
        .expect(400)
        .jira_error();

    let r = admin
        .get(&format!(
            "/rest/api/2/user/viewissue/search?project={key}&username={name}"
        ))
        .await
        .expect(200);
    assert_eq!(r.body[0]["name"], json!(name));
    let r = admin
        .get(&format!("/rest/api/2/user/viewissue/search?project={key}"))
        .await
        .expect(200);
    assert!(
        r.body
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["name"] == "admin")
    );
    admin
        .get("/rest/api/2/user/viewissue/search")
        .await
        .expect(400)
        .jira_error();

    // Removing the members' group drops the user from both searches.
    admin
        .delete(&format!(
            "/rest/api/2/project/{key}/role/10003?group=jira-users"
        ))
        .await
        .expect(204);
    let r = admin
        .get(&format!(
            "/rest/api/2/user/assignable/search?project={key}&username={name}"
        ))
        .await
        .expect(200);
    assert_eq!(r.body, json!([]));
    let r = admin
        .get(&format!(
            "/rest/api/2/user/viewissue/search?project={key}&username={name}"
        ))
        .await
        .expect(200);
    assert_eq!(r.body, json!([]));
}

#[tokio::test]
async fn groups_and_membership() {
    let (name, _) = user("grp").await;
    let admin = Client::admin();
    let r = admin
        .get(&format!("/rest/api/2/user/groups?username={name}"))
        .await
        .expect(200);
    let groups: Vec<&str> = r
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(groups, ["jira-users"]);

    let group = format!("team-{}", unique_key("G").to_lowercase());
    let r = admin
        .post("/rest/api/2/group", json!({"name": group}))
        .await
        .expect(201);
    assert_eq!(r.body["name"], json!(group));
    assert!(
        r.body["self"]
            .as_str()
            .unwrap()
            .contains(&format!("groupname={group}"))
    );
    admin
        .post("/rest/api/2/group", json!({"name": group}))
        .await
        .expect(400)
        .jira_error();
    admin
        .post("/rest/api/2/group", json!({"name": ""}))
        .await
        .expect(400)
        .jira_error();

    let r = admin
        .post(
            &format!("/rest/api/2/group/user?groupname={group}"),
            json!({"name": name}),
        )
        .await
        .expect(201);
    assert_eq!(r.body["name"], json!(group));
    let r = admin
        .get(&format!("/rest/api/2/user/groups?username={name}"))
        .await
        .expect(200);
    assert!(
        r.body
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["name"] == json!(group)),
        "{}",
        r.text
    );
    let me = admin
        .get(&format!("/rest/api/2/user?username={name}&expand=groups"))
        .await
        .expect(200);
    assert!(
        me.body["groups"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["name"] == json!(group))
    );

    admin
        .post(
            "/rest/api/2/group/user?groupname=no-such-group",
            json!({"name": name}),
        )
        .await
        .expect(404)
        .jira_error();
    admin
        .post(
            &format!("/rest/api/2/group/user?groupname={group}"),
            json!({"name": "ghost-user-q"}),
        )
        .await
        .expect(404)
        .jira_error();
    admin
        .post("/rest/api/2/group/user", json!({"name": name}))
        .await
        .expect(400)
        .jira_error();

    let (plain, pw) = user("grn").await;
    Client::basic(&plain, &pw)
        .post("/rest/api/2/group", json!({"name": format!("{group}-x")}))
        .await
        .expect(403)
        .jira_error();
    Client::basic(&plain, &pw)
        .post(
            &format!("/rest/api/2/group/user?groupname={group}"),
            json!({"name": plain}),
        )
        .await
        .expect(403)
        .jira_error();

    // The seed documents 200 for a removed member (it answered 204 before).
    admin
        .delete(&format!(
            "/rest/api/2/group/user?groupname={group}&username={name}"
        ))
        .await
        .expect(200);
    let r = admin
        .get(&format!("/rest/api/2/user/groups?username={name}"))
        .await
        .expect(200);
    assert!(
        !r.body
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["name"] == json!(group)),
        "{}",
        r.text
    );
    admin
        .delete(&format!(
            "/rest/api/2/group/user?groupname={group}&username={name}"
        ))
        .await
        .expect(400)
        .jira_error();
    admin
        .delete(&format!("/rest/api/2/group/user?groupname={group}"))
        .await
        .expect(400)
        .jira_error();
}
