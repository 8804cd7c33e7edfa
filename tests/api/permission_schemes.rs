//! Permission schemes and their grants, assigning a scheme to a project, every holder
//! type through the one evaluator (`permissions`, `permissions/project`,
//! `mypermissions`), and anonymous access where a scheme grants "anyone" only.

use serde_json::{Value, json};

use crate::common::{Client, issue, project, unique_key, user};

fn admin() -> Client {
    Client::admin()
}

fn grant(p: &str, t: &str, v: Option<&str>) -> Value {
    match v {
        Some(v) => json!({"permission": p, "holder": {"type": t, "parameter": v}}),
        None => json!({"permission": p, "holder": {"type": t}}),
    }
}

async fn scheme(grants: Vec<Value>) -> i64 {
    let r = admin()
        .post(
            "/rest/api/2/permissionscheme",
            json!({"name": format!("Scheme {}", unique_key("PS")), "description": "test", "permissions": grants}),
        )
        .await
        .expect(201);
    r.body["id"].as_i64().expect("scheme id")
}

async fn assign(p: &str, s: i64) {
    admin()
        .put(
            &format!("/rest/api/2/project/{p}/permissionscheme"),
            json!({"id": s}),
        )
        .await
        .expect(200);
}

/// Grants that keep the admin able to see and manage the project.
fn admin_grants() -> Vec<Value> {
    vec![
        grant("BROWSE_PROJECTS", "group", Some("jira-administrators")),
        grant("ADMINISTER_PROJECTS", "group", Some("jira-administrators")),
        grant("CREATE_ISSUES", "group", Some("jira-administrators")),
        grant("EDIT_ISSUES", "group", Some("jira-administrators")),
        grant("ASSIGN_ISSUES", "group", Some("jira-administrators")),
        grant("ASSIGNABLE_USER", "applicationRole", None),
    ]
}

#[tokio::test]
async fn scheme_and_grant_crud_with_errors() {
    let name = format!("Scheme {}", unique_key("PSC"));
    let r = admin()
        .post(
            "/rest/api/2/permissionscheme",
            json!({"name": name, "description": "d", "permissions": [grant("ADMINISTER_PROJECTS", "group", Some("jira-administrators"))]}),
        )
        .await
        .expect(201);
    let id = r.body["id"].as_i64().unwrap();
    let first = &r.body["permissions"][0];
    assert_eq!(first["holder"]["type"], "group");
    assert_eq!(first["holder"]["parameter"], "jira-administrators");
    assert_eq!(first["holder"]["expand"], "group");
    let gid = first["id"].as_i64().unwrap();

    // Field and permission errors are 400 and create nothing.
    for (body, what) in [
        (json!({"name": name}), "already exists"),
        (json!({"name": ""}), "name"),
        (
            json!({"name": "x1", "permissions": [grant("NOT_A_PERMISSION", "anyone", None)]}),
            "NOT_A_PERMISSION",
        ),
        (
            json!({"name": "x2", "permissions": [grant("ADMINISTER", "anyone", None)]}),
            "global",
        ),
        (
            json!({"name": "x3", "permissions": [grant("BROWSE_PROJECTS", "planet", Some("mars"))]}),
            "planet",
        ),
        (
            json!({"name": "x4", "permissions": [grant("BROWSE_PROJECTS", "group", Some("no-such-group-xyz"))]}),
            "no-such-group-xyz",
        ),
        (
            json!({"name": "x5", "permissions": [grant("BROWSE_PROJECTS", "user", Some("no-such-user-xyz"))]}),
            "no-such-user-xyz",
        ),
        (
            json!({"name": "x6", "permissions": [grant("BROWSE_PROJECTS", "projectRole", Some("99999999"))]}),
            "99999999",
        ),
        (
            json!({"name": "x7", "permissions": [grant("BROWSE_PROJECTS", "group", None)]}),
            "parameter",
        ),
        (
            json!({"name": "x8", "permissions": [grant("BROWSE_PROJECTS", "userCustomField", Some("customfield_99999999"))]}),
            "customfield_99999999",
        ),
    ] {
        let r = admin()
            .post("/rest/api/2/permissionscheme", body.clone())
            .await
            .expect(400);
        assert!(r.jira_error().contains(what), "{body}: {}", r.text);
    }
    admin()
        .post(
            "/rest/api/2/permissionscheme?expand=bogus",
            json!({"name": "x9"}),
        )
        .await
        .expect(400)
        .jira_error();

    // Read: one (with grants), the list short or expanded, grants, one grant.
    let one = admin()
        .get(&format!("/rest/api/2/permissionscheme/{id}"))
        .await
        .expect(200)
        .body;
    assert_eq!(one["name"], name.as_str());
    assert_eq!(one["permissions"].as_array().unwrap().len(), 1);
    let list = admin()
        .get("/rest/api/2/permissionscheme")
        .await
        .expect(200)
        .body;
    let mine = list["permissionSchemes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .expect("listed")
        .clone();
    assert!(mine.get("permissions").is_none());
    let list = admin()
        .get("/rest/api/2/permissionscheme?expand=group")
        .await
        .expect(200)
        .body;
    let mine = list["permissionSchemes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(
        mine["permissions"][0]["holder"]["group"]["name"],
        "jira-administrators"
    );
    admin()
        .get("/rest/api/2/permissionscheme/99999999")
        .await
        .expect(404)
        .jira_error();
    let g = admin()
        .get(&format!(
            "/rest/api/2/permissionscheme/{id}/permission/{gid}"
        ))
        .await
        .expect(200)
        .body;
    assert_eq!(g["permission"], "ADMINISTER_PROJECTS");
    admin()
        .get(&format!(
            "/rest/api/2/permissionscheme/{id}/permission/99999999"
        ))
        .await
        .expect(404)
        .jira_error();

    // Add grants (role holder expanded), refuse duplicates, delete, delete again is 400.
    let r = admin()
        .post(
            &format!("/rest/api/2/permissionscheme/{id}/permission?expand=projectRole"),
            grant("BROWSE_PROJECTS", "projectRole", Some("10004")),
        )
        .await
        .expect(201);
    assert_eq!(r.body["holder"]["projectRole"]["name"], "Viewers");
    let g2 = r.body["id"].as_i64().unwrap();
    admin()
        .post(
            &format!("/rest/api/2/permissionscheme/{id}/permission"),
            grant("BROWSE_PROJECTS", "projectRole", Some("10004")),
        )
        .await
        .expect(400)
        .jira_error();
    let all = admin()
        .get(&format!("/rest/api/2/permissionscheme/{id}/permission"))
        .await
        .expect(200)
        .body;
    assert_eq!(all["permissions"].as_array().unwrap().len(), 2);
    admin()
        .delete(&format!(
            "/rest/api/2/permissionscheme/{id}/permission/{g2}"
        ))
        .await
        .expect(204);
    admin()
        .delete(&format!(
            "/rest/api/2/permissionscheme/{id}/permission/{g2}"
        ))
        .await
        .expect(400)
        .jira_error();

    // Update: name and description; given permissions replace all grants.
    let r = admin()
        .put(
            &format!("/rest/api/2/permissionscheme/{id}"),
            json!({"name": format!("{name} v2"), "permissions": [grant("BROWSE_PROJECTS", "anyone", None), grant("EDIT_ISSUES", "reporter", None)]}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["name"], format!("{name} v2").as_str());
    assert_eq!(r.body["description"], "d");
    let kinds: Vec<&str> = r.body["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["holder"]["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["anyone", "reporter"]);
    admin()
        .put(
            "/rest/api/2/permissionscheme/99999999",
            json!({"name": "z"}),
        )
        .await
        .expect(404)
        .jira_error();

    // Non-administrators may read but change nothing; anonymous callers get 401.
    let (u, pw) = user("psc").await;
    let them = Client::basic(&u, &pw);
    them.get(&format!("/rest/api/2/permissionscheme/{id}"))
        .await
        .expect(200);
    them.post("/rest/api/2/permissionscheme", json!({"name": "nope"}))
        .await
        .expect(403)
        .jira_error();
    them.put(
        &format!("/rest/api/2/permissionscheme/{id}"),
        json!({"name": "nope"}),
    )
    .await
    .expect(403)
    .jira_error();
    them.post(
        &format!("/rest/api/2/permissionscheme/{id}/permission"),
        grant("BROWSE_PROJECTS", "anyone", None),
    )
    .await
    .expect(403)
    .jira_error();
    them.delete(&format!(
        "/rest/api/2/permissionscheme/{id}/permission/{gid}"
    ))
    .await
    .expect(403)
    .jira_error();
    them.delete(&format!("/rest/api/2/permissionscheme/{id}"))
        .await
        .expect(403)
        .jira_error();
    Client::anonymous()
        .get("/rest/api/2/permissionscheme")
        .await
        .expect(401)
        .jira_error();

    // Delete.
    admin()
        .delete(&format!("/rest/api/2/permissionscheme/{id}"))
        .await
        .expect(204);
    admin()
        .get(&format!("/rest/api/2/permissionscheme/{id}"))
        .await
        .expect(404);
}

#[tokio::test]
async fn assigning_schemes_and_refusing_to_delete_one_in_use() {
    let mut grants = admin_grants();
    grants.push(grant("BROWSE_PROJECTS", "applicationRole", None));
    let s = scheme(grants).await;
    let p = project("PSA").await;
    let before = admin()
        .get(&format!("/rest/api/2/project/{p}/permissionscheme"))
        .await
        .expect(200)
        .body;
    assert_eq!(before["id"], 0);
    let r = admin()
        .put(
            &format!("/rest/api/2/project/{p}/permissionscheme"),
            json!({"id": s}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["id"], s);
    let now = admin()
        .get(&format!(
            "/rest/api/2/project/{p}/permissionscheme?expand=permissions"
        ))
        .await
        .expect(200)
        .body;
    assert_eq!(now["id"], s);
    assert_eq!(now["permissions"].as_array().unwrap().len(), 7);

    let r = admin()
        .delete(&format!("/rest/api/2/permissionscheme/{s}"))
        .await
        .expect(400);
    assert!(r.jira_error().contains(&p), "{}", r.text);
    admin()
        .delete("/rest/api/2/permissionscheme/0")
        .await
        .expect(400)
        .jira_error();
    admin()
        .put(
            &format!("/rest/api/2/project/{p}/permissionscheme"),
            json!({"id": 99999999}),
        )
        .await
        .expect(404)
        .jira_error();
    admin()
        .put(
            &format!("/rest/api/2/project/{p}/permissionscheme"),
            json!({}),
        )
        .await
        .expect(400)
        .jira_error();
    admin()
        .put(
            "/rest/api/2/project/NOSUCHPRJ/permissionscheme",
            json!({"id": 0}),
        )
        .await
        .expect(404)
        .jira_error();
    // A project administrator who is not a global one may read but not assign.
    let (u, pw) = user("psa").await;
    let lead = Client::basic(&u, &pw);
    let q = project("PSL").await;
    admin()
        .post(
            &format!("/rest/api/2/project/{q}/role/10002"),
            json!({"user": [u]}),
        )
        .await
        .expect(200);
    lead.get(&format!("/rest/api/2/project/{q}/permissionscheme"))
        .await
        .expect(200);
    lead.put(
        &format!("/rest/api/2/project/{q}/permissionscheme"),
        json!({"id": s}),
    )
    .await
    .expect(403)
    .jira_error();
    // A member may not even read it.
    let (m, mpw) = user("psm").await;
    Client::basic(&m, &mpw)
        .get(&format!("/rest/api/2/project/{q}/permissionscheme"))
        .await
        .expect(403)
        .jira_error();

    assign(&p, 0).await;
    admin()
        .delete(&format!("/rest/api/2/permissionscheme/{s}"))
        .await
        .expect(204);
}

async fn custom_field(name: &str, kind: &str) -> String {
    let r = admin()
        .post(
            "/rest/api/2/field",
            json!({"name": name, "description": "holder field", "type": format!("com.atlassian.jira.plugin.system.customfieldtypes:{kind}")}),
        )
        .await
        .expect(201);
    r.body["id"].as_str().expect("field id").to_string()
}

async fn has(c: &Client, issue: &str, perm: &str) -> bool {
    let r = c
        .get(&format!(
            "/rest/api/2/mypermissions?issueKey={issue}&permissions={perm}"
        ))
        .await
        .expect(200);
    r.body["permissions"][perm]["havePermission"]
        .as_bool()
        .expect("havePermission")
}

#[tokio::test]
async fn every_holder_type_is_evaluated() {
    let tag = unique_key("H");
    let user_field = custom_field(&format!("Approver {tag}"), "userpicker").await;
    let group_field = custom_field(&format!("Team {tag}"), "textfield").await;
    let (a, apw) = user("psha").await;
    let (b, bpw) = user("pshb").await;
    let (ua, ub) = (Client::basic(&a, &apw), Client::basic(&b, &bpw));
    let group = format!("psh-{}", tag.to_lowercase());
    admin()
        .post("/rest/api/2/group", json!({"name": group}))
        .await
        .expect(201);
    admin()
        .post(
            &format!("/rest/api/2/group/user?groupname={group}"),
            json!({"name": b}),
        )
        .await
        .expect(201);
    let mut grants = admin_grants();
    grants.extend([
        grant("BROWSE_PROJECTS", "applicationRole", None),
        grant("ADD_COMMENTS", "user", Some(&a)),
        grant("LINK_ISSUES", "group", Some(&group)),
        grant("WORK_ON_ISSUES", "userCustomField", Some(&user_field)),
        grant("DELETE_ISSUES", "groupCustomField", Some(&group_field)),
        grant("ASSIGN_ISSUES", "assignee", None),
        grant("SCHEDULE_ISSUES", "reporter", None),
        grant("MANAGE_WATCHERS", "projectLead", None),
    ]);
    let s = scheme(grants).await;
    let p = project("PSH").await;
    assign(&p, s).await;
    let key = issue(&p, "Holders").await;
    admin()
        .put(
            &format!("/rest/api/2/issue/{key}"),
            json!({"fields": {user_field.clone(): {"name": a}, group_field.clone(): group, "assignee": {"name": b}}}),
        )
        .await
        .expect(204);

    // applicationRole: any logged-in user browses; anonymous callers do not.
    assert!(has(&ua, &key, "BROWSE_PROJECTS").await);
    let r = Client::anonymous()
        .get(&format!("/rest/api/2/issue/{key}"))
        .await;
    assert!(matches!(r.status.as_u16(), 401 | 404), "{}", r.text);
    // user, group, user custom field, group custom field, assignee.
    assert!(has(&ua, &key, "ADD_COMMENTS").await);
    assert!(!has(&ub, &key, "ADD_COMMENTS").await);
    assert!(has(&ub, &key, "LINK_ISSUES").await);
    assert!(!has(&ua, &key, "LINK_ISSUES").await);
    assert!(has(&ua, &key, "WORK_ON_ISSUES").await);
    assert!(!has(&ub, &key, "WORK_ON_ISSUES").await);
    assert!(has(&ub, &key, "DELETE_ISSUES").await);
    assert!(!has(&ua, &key, "DELETE_ISSUES").await);
    assert!(has(&ub, &key, "ASSIGN_ISSUES").await);
    assert!(!has(&ua, &key, "ASSIGN_ISSUES").await);
    // reporter and project lead: the admin reported the issue and leads the project.
    assert!(has(&admin(), &key, "SCHEDULE_ISSUES").await);
    assert!(!has(&ua, &key, "SCHEDULE_ISSUES").await);
    assert!(has(&admin(), &key, "MANAGE_WATCHERS").await);
    assert!(!has(&ub, &key, "MANAGE_WATCHERS").await);
    // The grants are enforced, not only reported: b may delete, a may not.
    ua.delete(&format!("/rest/api/2/issue/{key}"))
        .await
        .expect(403);

    // A grant change takes effect on the next request.
    let grants = admin()
        .get(&format!("/rest/api/2/permissionscheme/{s}/permission"))
        .await
        .expect(200)
        .body;
    let gid = grants["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["permission"] == "ADD_COMMENTS")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    admin()
        .delete(&format!(
            "/rest/api/2/permissionscheme/{s}/permission/{gid}"
        ))
        .await
        .expect(204);
    assert!(!has(&ua, &key, "ADD_COMMENTS").await);
    // The user custom field grant wants a user field.
    admin()
        .post(
            &format!("/rest/api/2/permissionscheme/{s}/permission"),
            grant("EDIT_ISSUES", "userCustomField", Some(&group_field)),
        )
        .await
        .expect(400)
        .jira_error();
    ub.delete(&format!("/rest/api/2/issue/{key}"))
        .await
        .expect(204);
}

#[tokio::test]
async fn permissions_catalogue_and_permitted_projects() {
    let all = admin()
        .get("/rest/api/2/permissions")
        .await
        .expect(200)
        .body;
    for key in [
        "ADMINISTER",
        "SYSTEM_ADMIN",
        "USER_PICKER",
        "CREATE_SHARED_OBJECTS",
        "MANAGE_GROUP_FILTER_SUBSCRIPTIONS",
        "BULK_CHANGE",
    ] {
        assert_eq!(all["permissions"][key]["type"], "GLOBAL", "{key}");
    }
    assert_eq!(all["permissions"]["BROWSE_PROJECTS"]["type"], "PROJECT");
    // Jira Software's Manage Sprints is a project permission too.
    assert_eq!(
        all["permissions"]["MANAGE_SPRINTS_PERMISSION"]["type"],
        "PROJECT"
    );
    assert_eq!(all["permissions"].as_object().unwrap().len(), 40);
    let (u, pw) = user("psp").await;
    let them = Client::basic(&u, &pw);
    them.get("/rest/api/2/permissions")
        .await
        .expect(403)
        .jira_error();
    Client::anonymous()
        .get("/rest/api/2/permissions")
        .await
        .expect(401)
        .jira_error();

    let p1 = project("PSP").await;
    let p2 = project("PSQ").await;
    admin()
        .post(
            &format!("/rest/api/2/project/{p2}/role/10002"),
            json!({"user": [u]}),
        )
        .await
        .expect(200);
    let keys = |body: &Value| -> Vec<String> {
        body["projects"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["key"].as_str().unwrap().to_string())
            .collect()
    };
    let r = them
        .post(
            "/rest/api/2/permissions/project",
            json!({"permissions": ["BROWSE_PROJECTS", "ADMINISTER_PROJECTS"]}),
        )
        .await
        .expect(200);
    assert!(keys(&r.body).contains(&p2), "{}", r.text);
    assert!(!keys(&r.body).contains(&p1), "{}", r.text);
    let r = them
        .post(
            "/rest/api/2/permissions/project",
            json!({"permissions": ["BROWSE_PROJECTS"]}),
        )
        .await
        .expect(200);
    assert!(keys(&r.body).contains(&p1) && keys(&r.body).contains(&p2));
    let r = them
        .post(
            "/rest/api/2/permissions/project",
            json!({"permissions": ["NOT_EXISTING_PERMISSION_KEY"]}),
        )
        .await
        .expect(400);
    assert_eq!(
        r.body["errorMessages"],
        json!(["Could not find permission with key: NOT_EXISTING_PERMISSION_KEY"])
    );
    // mypermissions agrees with the same evaluator.
    let mine = them
        .get(&format!(
            "/rest/api/2/mypermissions?projectKey={p1}&permissions=ADMINISTER_PROJECTS"
        ))
        .await
        .expect(200)
        .body;
    assert_eq!(
        mine["permissions"]["ADMINISTER_PROJECTS"]["havePermission"],
        false
    );
    let mine = them
        .get(&format!(
            "/rest/api/2/mypermissions?projectKey={p2}&permissions=ADMINISTER_PROJECTS"
        ))
        .await
        .expect(200)
        .body;
    assert_eq!(
        mine["permissions"]["ADMINISTER_PROJECTS"]["havePermission"],
        true
    );
}

#[tokio::test]
async fn anonymous_access_only_where_a_scheme_grants_anyone() {
    let mut grants = admin_grants();
    grants.push(grant("BROWSE_PROJECTS", "anyone", None));
    let s = scheme(grants).await;
    let public = project("PSPUB").await;
    let private = project("PSPRV").await;
    assign(&public, s).await;
    let open = issue(&public, "Readable by anyone").await;
    let closed = issue(&private, "Members only").await;
    let anon = Client::anonymous();

    let r = anon
        .get(&format!("/rest/api/2/issue/{open}"))
        .await
        .expect(200);
    assert_eq!(r.body["fields"]["summary"], "Readable by anyone");
    anon.get(&format!("/rest/api/2/project/{public}"))
        .await
        .expect(200);
    // Elsewhere an anonymous caller is asked to log in (Jira's 401) and learns nothing.
    let r = anon.get(&format!("/rest/api/2/issue/{closed}")).await;
    assert!(matches!(r.status.as_u16(), 401 | 404), "{}", r.text);
    assert!(!r.text.contains("Members only"));
    let r = anon.get(&format!("/rest/api/2/project/{private}")).await;
    assert!(matches!(r.status.as_u16(), 401 | 404), "{}", r.text);

    // Search answers the public project's issues and nothing of any other project.
    let r = anon
        .post(
            "/rest/api/2/search",
            json!({"jql": "order by key", "maxResults": 1000, "fields": ["summary"]}),
        )
        .await
        .expect(200);
    let keys: Vec<&str> = r.body["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["key"].as_str().unwrap())
        .collect();
    assert!(keys.contains(&open.as_str()), "{}", r.text);
    assert!(
        keys.iter().all(|k| {
            k.split('-')
                .next()
                .is_some_and(|p| p == public || p.starts_with("PSPUB"))
        }),
        "{keys:?}"
    );
    let r = anon
        .post(
            "/rest/api/2/search",
            json!({"jql": format!("project = {private}"), "fields": ["summary"]}),
        )
        .await;
    assert!(!r.text.contains("Members only"), "{}", r.text);
    // Anonymous callers may read but not write.
    anon.post(
        &format!("/rest/api/2/issue/{open}/comment"),
        json!({"body": "drive-by"}),
    )
    .await
    .expect(401);

    // Taking "anyone" away closes the project on the next request.
    assign(&public, 0).await;
    let r = anon.get(&format!("/rest/api/2/issue/{open}")).await;
    assert!(matches!(r.status.as_u16(), 401 | 404), "{}", r.text);
    assert!(!r.text.contains("Readable by anyone"));
}

/// A global administrator administers every project, also one whose scheme grants them
/// nothing (as in Jira): they can always put a working scheme back.
#[tokio::test]
async fn an_administrator_cannot_lock_themselves_out_of_a_project() {
    let p = project("PSLOCK").await;
    let empty = scheme(vec![grant("BROWSE_PROJECTS", "group", Some("jira-users"))]).await;
    assign(&p, empty).await;
    let (name, password) = user("pslock").await;
    let member = Client::basic(&name, &password);
    // The admin is in jira-users too (every user is), so take a scheme with no grant at all.
    let none = scheme(vec![]).await;
    assign(&p, none).await;
    let current = admin()
        .get(&format!("/rest/api/2/project/{p}/permissionscheme"))
        .await
        .expect(200);
    assert_eq!(current.body["id"], none);
    admin()
        .put(
            &format!("/rest/api/2/project/{p}/permissionscheme"),
            json!({"id": 0}),
        )
        .await
        .expect(200);
    // Nobody else gained anything from the rule: a user who may browse the project
    // (the default scheme again) still may not administer it.
    member
        .get(&format!("/rest/api/2/project/{p}/permissionscheme"))
        .await
        .expect(403)
        .jira_error();
}
