//! Projects: create, read, list, update, delete, the lists hanging off a project, project
//! types, key and name validation, roles, and the scheme and category lists.

use serde_json::json;

use crate::common::{Client, project, unique_key, user};

fn create_body(key: &str) -> serde_json::Value {
    json!({"key": key, "name": format!("Project {key}"), "projectTypeKey": "software", "lead": "admin", "description": "about"})
}

#[tokio::test]
async fn create_project_returns_identifiers() {
    let key = unique_key("PC");
    let r = Client::admin()
        .post("/rest/api/2/project", create_body(&key))
        .await
        .expect(201);
    assert_eq!(r.body["key"], json!(key));
    let id = r.body["id"].as_i64().expect("numeric id");
    assert!(
        r.body["self"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/rest/api/2/project/{id}")),
        "{}",
        r.text
    );
    let got = Client::admin()
        .get(&format!("/rest/api/2/project/{key}"))
        .await
        .expect(200);
    assert_eq!(got.body["id"], json!(id.to_string()));
    assert_eq!(got.body["name"], json!(format!("Project {key}")));
    assert_eq!(got.body["description"], "about");
    assert_eq!(got.body["lead"]["name"], "admin");
}

#[tokio::test]
async fn create_project_validation() {
    let admin = Client::admin();
    // Lower-case key.
    let r = admin
        .post(
            "/rest/api/2/project",
            json!({"key": "lower", "name": "Lower case key", "projectTypeKey": "software"}),
        )
        .await
        .expect(400);
    assert!(
        r.body["errors"]["projectKey"]
            .as_str()
            .unwrap()
            .contains("uppercase"),
        "{}",
        r.text
    );
    // Too long.
    let r = admin
        .post(
            "/rest/api/2/project",
            json!({"key": "ABCDEFGHIJK", "name": "Too long key", "projectTypeKey": "software"}),
        )
        .await
        .expect(400);
    assert!(
        r.body["errors"]["projectKey"]
            .as_str()
            .unwrap()
            .contains("10 characters"),
        "{}",
        r.text
    );
    // Too short.
    let r = admin
        .post(
            "/rest/api/2/project",
            json!({"key": "A", "name": "Short key", "projectTypeKey": "software"}),
        )
        .await
        .expect(400);
    assert!(r.body["errors"]["projectKey"].is_string(), "{}", r.text);
    // Missing key and name.
    let r = admin
        .post("/rest/api/2/project", json!({"projectTypeKey": "software"}))
        .await
        .expect(400);
    assert!(
        r.body["errors"]["projectKey"].is_string() && r.body["errors"]["projectName"].is_string(),
        "{}",
        r.text
    );
    // Unknown type and lead.
    let r = admin
        .post("/rest/api/2/project", json!({"key": unique_key("PV"), "name": "Bad type", "projectTypeKey": "spaceship", "lead": "nobody-here"}))
        .await
        .expect(400);
    assert!(r.body["errors"]["projectTypeKey"].is_string(), "{}", r.text);
    assert!(r.body["errors"]["projectLead"].is_string(), "{}", r.text);
    // Bad JSON.
    let r = admin
        .raw(
            reqwest::Method::POST,
            "/rest/api/2/project",
            "application/json",
            "{not json",
        )
        .await
        .expect(400);
    assert!(!r.jira_error().is_empty());

    // Duplicate key and duplicate name.
    let key = project("PD").await;
    let r = admin
        .post(
            "/rest/api/2/project",
            json!({"key": key, "name": "Another name entirely", "projectTypeKey": "software"}),
        )
        .await
        .expect(400);
    assert!(
        r.body["errors"]["projectKey"]
            .as_str()
            .unwrap()
            .contains(&key),
        "{}",
        r.text
    );
    let r = admin
        .post("/rest/api/2/project", json!({"key": unique_key("PN"), "name": format!("Project {key}"), "projectTypeKey": "software"}))
        .await
        .expect(400);
    assert!(
        r.body["errors"]["projectName"]
            .as_str()
            .unwrap()
            .contains("already exists"),
        "{}",
        r.text
    );
}

#[tokio::test]
async fn create_project_needs_an_administrator() {
    let (name, pw) = user("pcn").await;
    let key = unique_key("PX");
    let r = Client::basic(&name, &pw)
        .post("/rest/api/2/project", create_body(&key))
        .await
        .expect(403);
    assert!(!r.jira_error().is_empty());
    let r = Client::anonymous()
        .post("/rest/api/2/project", create_body(&key))
        .await
        .expect(401);
    assert!(!r.jira_error().is_empty());
    Client::admin()
        .get(&format!("/rest/api/2/project/{key}"))
        .await
        .expect(404);
}

#[tokio::test]
async fn get_project_by_key_and_id() {
    let key = project("PG").await;
    let admin = Client::admin();
    let by_key = admin
        .get(&format!("/rest/api/2/project/{key}"))
        .await
        .expect(200);
    let id = by_key.body["id"].as_str().expect("string id").to_string();
    assert_eq!(by_key.body["key"], json!(key));
    assert_eq!(by_key.body["projectTypeKey"], "software");
    assert!(
        by_key.body["issueTypes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["name"] == "Task")
    );
    assert_eq!(by_key.body["components"], json!([]));
    assert_eq!(by_key.body["versions"], json!([]));
    assert!(by_key.body["roles"]["Administrators"].is_string());
    assert!(by_key.body["avatarUrls"]["48x48"].is_string());

    let by_id = admin
        .get(&format!(
            "/rest/api/2/project/{id}?expand=description,lead,projectKeys"
        ))
        .await
        .expect(200);
    assert_eq!(by_id.body["key"], json!(key));
    assert_eq!(by_id.body["lead"]["name"], "admin");
    assert_eq!(by_id.body["projectKeys"], json!([key]));
    assert!(by_id.body["self"].as_str().unwrap().contains(&id));

    let r = admin.get("/rest/api/2/project/NOPEXYZ").await.expect(404);
    assert_eq!(
        r.jira_error(),
        "No project could be found with key 'NOPEXYZ'."
    );
    admin
        .get("/rest/api/2/project/99999999")
        .await
        .expect(404)
        .jira_error();
    Client::anonymous()
        .get(&format!("/rest/api/2/project/{key}"))
        .await
        .expect(404)
        .jira_error();
}

#[tokio::test]
async fn list_projects_respects_browse_permission() {
    let key = project("PL").await;
    let admin = Client::admin();
    let all = admin.get("/rest/api/2/project").await.expect(200);
    let found = all
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["key"] == json!(key))
        .expect("created project listed")
        .clone();
    assert_eq!(found["name"], json!(format!("Project {key}")));
    assert!(
        found.get("lead").is_none() || found["lead"].is_null(),
        "lead is not expanded by default"
    );
    let expanded = admin
        .get("/rest/api/2/project?expand=lead,description")
        .await
        .expect(200);
    let p = expanded
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["key"] == json!(key))
        .unwrap();
    assert_eq!(p["lead"]["name"], "admin");

    let (name, pw) = user("plu").await;
    let u = Client::basic(&name, &pw);
    let seen = u.get("/rest/api/2/project").await.expect(200);
    assert!(
        seen.body
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["key"] == json!(key)),
        "members see the project"
    );

    admin
        .delete(&format!(
            "/rest/api/2/project/{key}/role/10003?group=jira-users"
        ))
        .await
        .expect(204);
    let seen = u.get("/rest/api/2/project").await.expect(200);
    assert!(
        !seen
            .body
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["key"] == json!(key)),
        "{}",
        seen.text
    );
    let r = u
        .get(&format!("/rest/api/2/project/{key}"))
        .await
        .expect(404);
    assert_eq!(
        r.jira_error(),
        format!("No project could be found with key '{key}'.")
    );
    // Still visible to the administrator.
    admin
        .get(&format!("/rest/api/2/project/{key}"))
        .await
        .expect(200);
}

#[tokio::test]
async fn update_project() {
    let key = project("PU").await;
    let (lead, lead_pw) = user("pul").await;
    let admin = Client::admin();
    let new_name = format!("Renamed {key}");
    let r = admin
        .put(
            &format!("/rest/api/2/project/{key}"),
            json!({"name": new_name, "description": "new description", "lead": lead}),
        )
        .await
        // The seed documents 201 for a successful update.
        .expect(201);
    assert_eq!(r.body["name"], json!(new_name));
    assert_eq!(r.body["description"], "new description");
    assert_eq!(r.body["lead"]["name"], json!(lead));
    let got = admin
        .get(&format!("/rest/api/2/project/{key}"))
        .await
        .expect(200);
    assert_eq!(got.body["name"], json!(new_name));
    assert_eq!(got.body["lead"]["name"], json!(lead));

    // Errors.
    let r = admin
        .put(&format!("/rest/api/2/project/{key}"), json!({"name": "X"}))
        .await
        .expect(400);
    assert!(r.body["errors"]["projectName"].is_string(), "{}", r.text);
    let r = admin
        .put(
            &format!("/rest/api/2/project/{key}"),
            json!({"key": "OTHERKEY"}),
        )
        .await
        .expect(400);
    assert!(r.body["errors"]["projectKey"].is_string(), "{}", r.text);
    let r = admin
        .put(
            &format!("/rest/api/2/project/{key}"),
            json!({"lead": "no-such-user-anywhere"}),
        )
        .await
        .expect(400);
    assert!(r.body["errors"]["projectLead"].is_string(), "{}", r.text);
    let r = admin
        .put(
            &format!("/rest/api/2/project/{key}"),
            json!({"assigneeType": "SOMEBODY"}),
        )
        .await
        .expect(400);
    assert!(r.body["errors"]["assigneeType"].is_string(), "{}", r.text);
    let other = project("PU").await;
    let r = admin
        .put(
            &format!("/rest/api/2/project/{other}"),
            json!({"name": new_name}),
        )
        .await
        .expect(400);
    assert!(
        r.body["errors"]["projectName"]
            .as_str()
            .unwrap()
            .contains("already exists"),
        "{}",
        r.text
    );
    admin
        .put("/rest/api/2/project/NOSUCHKEY", json!({"name": "Whatever"}))
        .await
        .expect(404)
        .jira_error();

    // A plain member may not edit; the new lead administers the project.
    let (member, member_pw) = user("pum").await;
    Client::basic(&member, &member_pw)
        .put(
            &format!("/rest/api/2/project/{key}"),
            json!({"name": "Member edit"}),
        )
        .await
        .expect(403)
        .jira_error();
    let r = Client::basic(&lead, &lead_pw)
        .put(
            &format!("/rest/api/2/project/{key}"),
            json!({"description": "by the lead"}),
        )
        .await
        .expect(201);
    assert_eq!(r.body["description"], "by the lead");
    Client::anonymous()
        .put(
            &format!("/rest/api/2/project/{key}"),
            json!({"name": "Anon"}),
        )
        .await
        .expect(401)
        .jira_error();
}

#[tokio::test]
async fn delete_project() {
    let key = project("PDEL").await;
    let admin = Client::admin();
    let (member, pw) = user("pdm").await;
    Client::basic(&member, &pw)
        .delete(&format!("/rest/api/2/project/{key}"))
        .await
        .expect(403)
        .jira_error();
    admin
        .delete(&format!("/rest/api/2/project/{key}"))
        .await
        .expect(204);
    let r = admin
        .get(&format!("/rest/api/2/project/{key}"))
        .await
        .expect(404);
    assert_eq!(
        r.jira_error(),
        format!("No project could be found with key '{key}'.")
    );
    let r = admin
        .delete(&format!("/rest/api/2/project/{key}"))
        .await
        .expect(404);
    assert_eq!(
        r.jira_error(),
        format!("No project could be found with key '{key}'.")
    );
    let list = admin.get("/rest/api/2/project").await.expect(200);
    assert!(
        !list
            .body
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["key"] == json!(key))
    );
    // The key can be used again.
    admin
        .post(
            "/rest/api/2/project",
            json!({"key": key, "name": format!("Again {key}"), "projectTypeKey": "software"}),
        )
        .await
        .expect(201);
}

#[tokio::test]
async fn project_statuses() {
    let key = project("PS").await;
    let r = Client::admin()
        .get(&format!("/rest/api/2/project/{key}/statuses"))
        .await
        .expect(200);
    let types = r.body.as_array().expect("array");
    let task = types
        .iter()
        .find(|t| t["name"] == "Task")
        .expect("Task listed");
    assert_eq!(task["subtask"], false);
    let statuses: Vec<&str> = task["statuses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    for s in ["To Do", "In Progress", "Done"] {
        assert!(statuses.contains(&s), "{s} missing from {statuses:?}");
    }
    assert!(task["statuses"][0]["statusCategory"]["key"].is_string());
    Client::admin()
        .get("/rest/api/2/project/NOSUCHKEY/statuses")
        .await
        .expect(404)
        .jira_error();
}

#[tokio::test]
async fn components_and_versions_lists() {
    let key = project("PCV").await;
    let admin = Client::admin();
    let r = admin
        .get(&format!("/rest/api/2/project/{key}/components"))
        .await
        .expect(200);
    assert_eq!(r.body, json!([]));
    let r = admin
        .get(&format!("/rest/api/2/project/{key}/versions"))
        .await
        .expect(200);
    assert_eq!(r.body, json!([]));

    let r = admin
        .get(&format!(
            "/rest/api/2/project/{key}/component?startAt=0&maxResults=10"
        ))
        .await
        .expect(200);
    assert_eq!(r.body["isLast"], true);
    assert_eq!(r.body["total"], 0);
    assert_eq!(r.body["startAt"], 0);
    assert_eq!(r.body["maxResults"], 10);
    assert_eq!(r.body["values"], json!([]));
    assert!(
        r.body["self"]
            .as_str()
            .unwrap()
            .contains(&format!("/project/{key}/component"))
    );
    let r = admin
        .get(&format!("/rest/api/2/project/{key}/version"))
        .await
        .expect(200);
    assert_eq!(r.body["isLast"], true);
    assert_eq!(r.body["total"], 0);
    assert_eq!(r.body["values"], json!([]));

    admin
        .get(&format!("/rest/api/2/project/{key}/version?startAt=-1"))
        .await
        .expect(400)
        .jira_error();
    admin
        .get("/rest/api/2/project/NOSUCHKEY/components")
        .await
        .expect(404)
        .jira_error();
    admin
        .get("/rest/api/2/project/NOSUCHKEY/version")
        .await
        .expect(404)
        .jira_error();
}

#[tokio::test]
async fn project_types() {
    let admin = Client::admin();
    let r = admin.get("/rest/api/2/project/type").await.expect(200);
    let keys: Vec<&str> = r
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["key"].as_str().unwrap())
        .collect();
    assert!(
        keys.contains(&"software") && keys.contains(&"business"),
        "{keys:?}"
    );
    let r = admin
        .get("/rest/api/2/project/type/software")
        .await
        .expect(200);
    assert_eq!(r.body["key"], "software");
    assert_eq!(r.body["formattedKey"], "Software");
    let r = admin
        .get("/rest/api/2/project/type/business/accessible")
        .await
        .expect(200);
    assert_eq!(r.body["key"], "business");
    let r = admin
        .get("/rest/api/2/project/type/spaceship")
        .await
        .expect(404);
    assert!(r.jira_error().contains("spaceship"));
}

#[tokio::test]
async fn project_key_and_name_validation() {
    let key = project("PK").await;
    let admin = Client::admin();
    let taken = admin
        .get(&format!("/rest/api/2/projectvalidate/key?key={key}"))
        .await
        .expect(200);
    assert_eq!(taken.body["errorMessages"], json!([]));
    assert!(
        taken.body["errors"]["projectKey"]
            .as_str()
            .unwrap()
            .contains(&key),
        "{}",
        taken.text
    );
    let free_key = unique_key("PF");
    let free = admin
        .get(&format!("/rest/api/2/projectvalidate/key?key={free_key}"))
        .await
        .expect(200);
    assert_eq!(free.body["errors"], json!({}));
    let bad = admin
        .get("/rest/api/2/projectvalidate/key?key=bad-key")
        .await
        .expect(200);
    assert!(bad.body["errors"]["projectKey"].is_string());

    let suggested = admin
        .get(&format!(
            "/rest/api/2/projectvalidate/validProjectKey?key={key}"
        ))
        .await
        .expect(200);
    let s = suggested.body.as_str().expect("a string");
    assert_ne!(s, key);
    assert!(s.len() <= 10 && s.starts_with(&key[..2]), "{s}");
    assert_eq!(
        admin
            .get(&format!("/rest/api/2/projectvalidate/key?key={s}"))
            .await
            .expect(200)
            .body["errors"],
        json!({})
    );
    let same = admin
        .get(&format!(
            "/rest/api/2/projectvalidate/validProjectKey?key={free_key}"
        ))
        .await
        .expect(200);
    assert_eq!(same.body, json!(free_key));

    let name = format!("Project {key}");
    let r = admin
        .get(&format!(
            "/rest/api/2/projectvalidate/validProjectName?name={}",
            name.replace(' ', "%20")
        ))
        .await
        .expect(200);
    let n = r.body.as_str().expect("a string");
    assert_ne!(n, name);
    assert!(n.starts_with(&name), "{n}");
    let free_name = format!("Unused name {}", unique_key("PF"));
    let r = admin
        .get(&format!(
            "/rest/api/2/projectvalidate/validProjectName?name={}",
            free_name.replace(' ', "%20")
        ))
        .await
        .expect(200);
    assert_eq!(r.body, json!(free_name));
    admin
        .get("/rest/api/2/projectvalidate/validProjectName")
        .await
        .expect(400)
        .jira_error();
    Client::anonymous()
        .get(&format!("/rest/api/2/projectvalidate/key?key={key}"))
        .await
        .expect(401)
        .jira_error();
}

#[tokio::test]
async fn project_roles_and_actors() {
    let key = project("PR").await;
    let admin = Client::admin();
    let roles = admin
        .get(&format!("/rest/api/2/project/{key}/role"))
        .await
        .expect(200);
    for r in ["Administrators", "Members", "Viewers"] {
        assert!(
            roles.body[r].as_str().is_some_and(|u| u.contains("/role/")),
            "{r} missing: {}",
            roles.text
        );
    }

    let admins = admin
        .get(&format!("/rest/api/2/project/{key}/role/10002"))
        .await
        .expect(200);
    assert_eq!(admins.body["name"], "Administrators");
    assert_eq!(admins.body["id"], 10002);
    let actors = admins.body["actors"].as_array().unwrap();
    assert!(
        actors.iter().any(
            |a| a["name"] == "jira-administrators" && a["type"] == "atlassian-group-role-actor"
        ),
        "{}",
        admins.text
    );
    assert!(
        actors
            .iter()
            .any(|a| a["name"] == "admin" && a["type"] == "atlassian-user-role-actor"),
        "{}",
        admins.text
    );

    let (name, pw) = user("pra").await;
    let added = admin
        .post(
            &format!("/rest/api/2/project/{key}/role/10004"),
            json!({"user": [name]}),
        )
        .await
        .expect(200);
    assert_eq!(added.body["name"], "Viewers");
    let viewer = added.body["actors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == json!(name))
        .expect("actor added")
        .clone();
    assert_eq!(viewer["displayName"], json!(format!("User {name}")));
    assert_eq!(viewer["type"], "atlassian-user-role-actor");

    // Errors: unknown user, unknown role, non-admin.
    let r = admin
        .post(
            &format!("/rest/api/2/project/{key}/role/10004"),
            json!({"user": ["ghost-user-x"]}),
        )
        .await
        .expect(400);
    assert!(r.jira_error().contains("ghost-user-x"));
    admin
        .get(&format!("/rest/api/2/project/{key}/role/55555"))
        .await
        .expect(404)
        .jira_error();
    admin
        .post(
            &format!("/rest/api/2/project/{key}/role/55555"),
            json!({"user": [name]}),
        )
        .await
        .expect(404)
        .jira_error();
    Client::basic(&name, &pw)
        .post(
            &format!("/rest/api/2/project/{key}/role/10002"),
            json!({"user": [name]}),
        )
        .await
        .expect(403)
        .jira_error();

    admin
        .delete(&format!("/rest/api/2/project/{key}/role/10004?user={name}"))
        .await
        .expect(204);
    let after = admin
        .get(&format!("/rest/api/2/project/{key}/role/10004"))
        .await
        .expect(200);
    assert!(
        !after.body["actors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["name"] == json!(name)),
        "{}",
        after.text
    );
    admin
        .delete(&format!("/rest/api/2/project/{key}/role/10004?user={name}"))
        .await
        .expect(404)
        .jira_error();
    admin
        .delete(&format!("/rest/api/2/project/{key}/role/10004"))
        .await
        .expect(400)
        .jira_error();
}

#[tokio::test]
async fn permission_and_security_schemes() {
    let admin = Client::admin();
    let r = admin.get("/rest/api/2/permissionscheme").await.expect(200);
    let schemes = r.body["permissionSchemes"]
        .as_array()
        .expect("permissionSchemes");
    let default = schemes
        .iter()
        .find(|s| s["name"] == "Default Permission Scheme")
        .expect("default scheme");
    let id = default["id"].as_i64().unwrap();
    let one = admin
        .get(&format!("/rest/api/2/permissionscheme/{id}"))
        .await
        .expect(200);
    assert!(
        one.body["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["permission"] == "BROWSE_PROJECTS")
    );
    admin
        .get("/rest/api/2/permissionscheme/4242")
        .await
        .expect(404)
        .jira_error();

    let key = project("PPS").await;
    let assigned = admin
        .get(&format!("/rest/api/2/project/{key}/permissionscheme"))
        .await
        .expect(200);
    assert_eq!(assigned.body["name"], "Default Permission Scheme");

    let r = admin
        .get("/rest/api/2/issuesecurityschemes")
        .await
        .expect(200);
    let list = r.body["issueSecuritySchemes"]
        .as_array()
        .expect("issueSecuritySchemes");
    assert!(!list.is_empty());
    assert!(list[0]["id"].is_number() && list[0]["name"].is_string());
    Client::anonymous()
        .get("/rest/api/2/permissionscheme")
        .await
        .expect(401)
        .jira_error();
}

#[tokio::test]
async fn project_categories() {
    let admin = Client::admin();
    let r = admin.get("/rest/api/2/projectCategory").await.expect(200);
    let list = r.body.as_array().expect("array");
    let default = list
        .iter()
        .find(|c| c["name"] == "Default")
        .expect("Default category");
    let id = default["id"].as_str().expect("string id");
    let one = admin
        .get(&format!("/rest/api/2/projectCategory/{id}"))
        .await
        .expect(200);
    assert_eq!(one.body["name"], "Default");
    assert!(
        one.body["self"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/rest/api/2/projectCategory/{id}"))
    );
    admin
        .get("/rest/api/2/projectCategory/4242")
        .await
        .expect(404)
        .jira_error();

    // A project in the category shows it.
    let key = unique_key("PCAT");
    admin
        .post("/rest/api/2/project", json!({"key": key, "name": format!("Project {key}"), "projectTypeKey": "software", "categoryId": id.parse::<i64>().unwrap()}))
        .await
        .expect(201);
    let p = admin
        .get(&format!("/rest/api/2/project/{key}"))
        .await
        .expect(200);
    assert_eq!(p.body["projectCategory"]["name"], "Default");
    let r = admin
        .post("/rest/api/2/project", json!({"key": unique_key("PCAT"), "name": format!("Bad cat {key}"), "projectTypeKey": "software", "categoryId": 4242}))
        .await
        .expect(400);
    assert!(r.body["errors"]["categoryId"].is_string());
}

#[tokio::test]
async fn search_projects_pages_filters_and_orders() {
    let a = project("PSRA").await;
    let b = project("PSRB").await;
    let admin = Client::admin();
    let r = admin
        .get(&format!("/rest/api/2/project/search?keys={a}&keys={b}"))
        .await
        .expect(200);
    assert_eq!(r.body["total"], 2);
    assert_eq!(r.body["isLast"], true);
    assert_eq!(r.body["startAt"], 0);
    assert_eq!(r.body["maxResults"], 50);
    let keys: Vec<&str> = r.body["values"]
        .as_array()
        .expect("values")
        .iter()
        .map(|p| p["key"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(keys, vec![a.as_str(), b.as_str()]);

    // Paging and reverse order.
    let r = admin
        .get(&format!(
            "/rest/api/2/project/search?keys={a},{b}&maxResults=1&orderBy=-key"
        ))
        .await
        .expect(200);
    assert_eq!(r.body["values"][0]["key"], b.as_str());
    assert_eq!(r.body["isLast"], false);
    let next = r.body["nextPage"].as_str().expect("nextPage").to_string();
    assert!(next.contains("startAt=1"), "{next}");

    // Query matches key or name in any case; the id filter too.
    let r = admin
        .get(&format!(
            "/rest/api/2/project/search?query={}",
            a.to_lowercase()
        ))
        .await
        .expect(200);
    assert_eq!(r.body["total"], 1);
    let id = r.body["values"][0]["id"].as_str().expect("id").to_string();
    let r = admin
        .get(&format!("/rest/api/2/project/search?id={id}"))
        .await
        .expect(200);
    assert_eq!(r.body["values"][0]["key"], a.as_str());

    // Invisible to someone outside the project's roles; bad numbers are a 400.
    admin
        .delete(&format!(
            "/rest/api/2/project/{a}/role/10003?group=jira-users"
        ))
        .await
        .expect(204);
    let (name, password) = user("psr").await;
    let r = Client::basic(&name, &password)
        .get(&format!("/rest/api/2/project/search?keys={a},{b}"))
        .await
        .expect(200);
    assert_eq!(r.body["total"], 1);
    assert_eq!(r.body["values"][0]["key"], b.as_str());
    let r = admin
        .get("/rest/api/2/project/search?startAt=x")
        .await
        .expect(400);
    r.jira_error();
}

/// The Data Center project picker: a match in the key or name, in bold, with Jira's
/// header; a blank query matches nothing unless `allowEmptyQuery=true`.
#[tokio::test]
async fn projects_picker_answers_as_jira_data_center() {
    let admin = crate::common::Client::admin();
    let key = crate::common::unique_key("PKZ");
    admin
        .post(
            "/rest/api/2/project",
            serde_json::json!({"key": key, "name": format!("Zanzibar {key}"), "projectTypeKey": "software"}),
        )
        .await
        .expect(201);
    let r = admin
        .get("/rest/api/2/projects/picker?query=zanzib")
        .await
        .expect(200);
    let picked = r.body["projects"].as_array().expect("projects");
    let mine = picked
        .iter()
        .find(|p| p["key"] == key.as_str())
        .unwrap_or_else(|| panic!("{}", r.text));
    assert_eq!(mine["name"], format!("Zanzibar {key}"));
    assert!(mine["id"].is_string());
    assert!(mine["avatar"].is_string());
    assert_eq!(
        mine["html"],
        format!("<b>Zanzib</b>ar {key} ({key})"),
        "{}",
        r.text
    );
    let total = r.body["total"].as_u64().expect("total");
    assert_eq!(
        r.body["header"],
        format!("Showing {} of {total} matching projects", picked.len())
    );
    let one = admin
        .get("/rest/api/2/projects/picker?query=zanzib&maxResults=0")
        .await
        .expect(200);
    assert_eq!(one.body["projects"], serde_json::json!([]));
    assert_eq!(one.body["total"], total);
    let blank = admin
        .get("/rest/api/2/projects/picker?query=")
        .await
        .expect(200);
    assert_eq!(blank.body["total"], 0);
    let all = admin
        .get("/rest/api/2/projects/picker?allowEmptyQuery=true")
        .await
        .expect(200);
    assert!(all.body["total"].as_u64().expect("total") >= 1);
}

/// Administrators create, rename and delete categories; a deleted category's projects
/// go on without one; names are unique; others may only read.
#[tokio::test]
async fn project_categories_are_administered() {
    let admin = Client::admin();
    let name = unique_key("Cat");
    let r = admin
        .post(
            "/rest/api/2/projectCategory",
            json!({"name": name, "description": "Teams"}),
        )
        .await
        .expect(201);
    let id = r.body["id"].as_str().expect("id").to_string();
    assert_eq!(r.body["description"], "Teams");
    let dup = admin
        .post(
            "/rest/api/2/projectCategory",
            json!({"name": name.to_lowercase()}),
        )
        .await
        .expect(400);
    assert!(dup.body["errors"]["name"].is_string(), "{}", dup.text);
    admin
        .post(
            "/rest/api/2/projectCategory",
            json!({"description": "no name"}),
        )
        .await
        .expect(400);
    let key = unique_key("PCAD");
    admin
        .post("/rest/api/2/project", json!({"key": key, "name": format!("Project {key}"), "projectTypeKey": "software", "categoryId": id.parse::<i64>().expect("id")}))
        .await
        .expect(201);
    let renamed = format!("{name} renamed");
    let r = admin
        .put(
            &format!("/rest/api/2/projectCategory/{id}"),
            json!({"name": renamed}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["description"], "Teams", "kept");
    let p = admin
        .get(&format!("/rest/api/2/project/{key}"))
        .await
        .expect(200);
    assert_eq!(p.body["projectCategory"]["name"], renamed.as_str());

    let (u, pw) = user("pcad").await;
    let them = Client::basic(&u, &pw);
    them.post("/rest/api/2/projectCategory", json!({"name": "Mine"}))
        .await
        .expect(403);
    them.delete(&format!("/rest/api/2/projectCategory/{id}"))
        .await
        .expect(403);

    admin
        .delete(&format!("/rest/api/2/projectCategory/{id}"))
        .await
        .expect(204);
    admin
        .get(&format!("/rest/api/2/projectCategory/{id}"))
        .await
        .expect(404);
    let p = admin
        .get(&format!("/rest/api/2/project/{key}"))
        .await
        .expect(200);
    assert!(p.body.get("projectCategory").is_none(), "{}", p.text);
    let audit = admin
        .get(&format!("/rest/api/2/auditing/record?filter={}", name))
        .await
        .expect(200);
    let summaries: Vec<&str> = audit.body["records"]
        .as_array()
        .expect("records")
        .iter()
        .filter_map(|r| r["summary"].as_str())
        .collect();
    assert!(
        summaries.contains(&"Project category deleted"),
        "{summaries:?}"
    );
}
