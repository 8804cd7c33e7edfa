//! The platform resources: server info, routing and headers, the catalog (issue types,
//! priorities, resolutions, statuses, status categories, link types), fields and their
//! options, and `mypermissions`.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{Client, issue, project, server, unique_key, user};

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x["name"].as_str().expect("name").to_string())
        .collect()
}

// ---- server info, routing, headers ----

#[tokio::test]
async fn server_info_is_anonymous_and_describes_the_server() {
    let r = Client::anonymous()
        .get("/rest/api/2/serverInfo")
        .await
        .expect(200);
    assert_eq!(r.body["baseUrl"], json!(server().base));
    let numbers = r.body["versionNumbers"].as_array().expect("versionNumbers");
    assert_eq!(numbers.len(), 3);
    assert!(numbers.iter().all(|n| n.is_u64()), "{}", r.text);
    assert!(r.body["version"].as_str().is_some_and(|v| !v.is_empty()));
    assert_eq!(r.body["deploymentType"], "Server");
    assert!(r.body["serverTime"].is_string());
}

/// Time comes from the configured clock: moving it moves `serverTime`, the timestamps
/// written, and what they are compared with — no test needs to sleep.
#[tokio::test]
async fn the_clock_is_the_configured_one() {
    let clock = tessera::domain::Clock::adjustable();
    let started = crate::common::start_server_with({
        let clock = clock.clone();
        move |c| c.clock = clock
    });
    let admin = Client::admin().on(&started.server);
    let time = |body: &Value, field: &str| {
        tessera::domain::Millis::parse(body[field].as_str().expect(field))
            .expect("a Jira timestamp")
            .0
    };
    let before = time(
        &admin.get("/rest/api/2/serverInfo").await.expect(200).body,
        "serverTime",
    );
    let day = std::time::Duration::from_secs(24 * 3600);
    clock.advance(day * 3);
    let after = time(
        &admin.get("/rest/api/2/serverInfo").await.expect(200).body,
        "serverTime",
    );
    assert!(after - before >= 3 * 86_400_000, "{before} → {after}");
    let created = admin
        .post(
            "/rest/api/2/project",
            json!({"key": "CLK", "name": "Clock", "projectTypeKey": "software", "lead": "admin"}),
        )
        .await
        .expect(201);
    let key = admin
        .post(
            "/rest/api/2/issue",
            json!({"fields": {"project": {"key": "CLK"}, "summary": "Later", "issuetype": {"name": "Task"}}}),
        )
        .await
        .expect(201)
        .body["key"]
        .as_str()
        .expect("key")
        .to_string();
    assert!(created.body["id"].is_string() || created.body["id"].is_number());
    let issue = admin
        .get(&format!("/rest/api/2/issue/{key}"))
        .await
        .expect(200);
    assert!(time(&issue.body["fields"], "created") >= after);
}

#[tokio::test]
async fn latest_alias_answers_like_v2() {
    let v2 = Client::admin()
        .get("/rest/api/2/serverInfo")
        .await
        .expect(200);
    let latest = Client::admin()
        .get("/rest/api/latest/serverInfo")
        .await
        .expect(200);
    assert_eq!(v2.body["versionNumbers"], latest.body["versionNumbers"]);
    let me = Client::admin()
        .get("/rest/api/latest/myself")
        .await
        .expect(200);
    assert_eq!(me.body["name"], "admin");
}

#[tokio::test]
async fn unknown_route_under_the_api_is_a_jira_404() {
    let r = Client::admin()
        .get("/rest/api/2/no/such/resource")
        .await
        .expect(404);
    let msg = r.jira_error();
    assert!(msg.contains("/rest/api/2/no/such/resource"), "{msg}");
    let r = Client::admin()
        .send(
            Method::POST,
            "/rest/api/latest/nothingHere",
            Some(json!({})),
        )
        .await
        .expect(404);
    assert!(!r.jira_error().is_empty());
}

#[tokio::test]
async fn unknown_route_outside_rest_is_a_json_404() {
    let r = Client::anonymous()
        .get("/definitely/not/here")
        .await
        .expect(404);
    assert!(
        r.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json"),
        "{:?}",
        r.headers
    );
    assert!(r.jira_error().contains("/definitely/not/here"));
}

#[tokio::test]
async fn security_and_username_headers() {
    let r = Client::admin()
        .get("/rest/api/2/serverInfo")
        .await
        .expect(200);
    assert_eq!(r.headers["x-content-type-options"], "nosniff");
    assert_eq!(r.headers["x-ausername"], "admin");
    let r = Client::anonymous()
        .get("/rest/api/2/serverInfo")
        .await
        .expect(200);
    assert_eq!(r.headers["x-content-type-options"], "nosniff");
    assert_eq!(r.headers["x-ausername"], "anonymous");
    // Error responses carry the headers too.
    let r = Client::anonymous()
        .get("/rest/api/2/myself")
        .await
        .expect(401);
    assert_eq!(r.headers["x-content-type-options"], "nosniff");
}

// ---- issue types ----

#[tokio::test]
async fn issue_type_list_and_get() {
    let admin = Client::admin();
    let r = admin.get("/rest/api/2/issuetype").await.expect(200);
    let all = names(&r.body);
    for n in ["Epic", "Task", "Sub-task", "Story", "Bug"] {
        assert!(all.iter().any(|x| x == n), "{n} missing from {all:?}");
    }
    let task = r
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "Task")
        .unwrap()
        .clone();
    let id = task["id"].as_str().expect("id is a string");
    let one = admin
        .get(&format!("/rest/api/2/issuetype/{id}"))
        .await
        .expect(200);
    assert_eq!(one.body["name"], "Task");
    assert_eq!(one.body["subtask"], false);
    assert!(
        one.body["self"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/rest/api/2/issuetype/{id}"))
    );
    let sub = r
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "Sub-task")
        .unwrap();
    assert_eq!(sub["subtask"], true);

    let missing = admin.get("/rest/api/2/issuetype/999999").await.expect(404);
    assert!(missing.jira_error().contains("999999"));
    admin
        .get("/rest/api/2/issuetype/abc")
        .await
        .expect(404)
        .jira_error();
    Client::anonymous()
        .get("/rest/api/2/issuetype")
        .await
        .expect(401)
        .jira_error();
}

#[tokio::test]
async fn issue_type_create_update_delete() {
    let admin = Client::admin();
    let name = format!("Type {}", unique_key("IT"));
    let r = admin
        .post(
            "/rest/api/2/issuetype",
            json!({"name": name, "description": "made by a test", "type": "standard"}),
        )
        .await
        .expect(201);
    assert_eq!(r.body["name"], json!(name));
    assert_eq!(r.body["subtask"], false);
    assert_eq!(r.body["description"], "made by a test");
    let id = r.body["id"].as_str().expect("id").to_string();

    // A second type with the same name conflicts.
    let dup = admin
        .post("/rest/api/2/issuetype", json!({"name": name}))
        .await
        .expect(409);
    assert!(dup.jira_error().contains("already exists"));

    // Sub-task types.
    let sub_name = format!("Sub {}", unique_key("IS"));
    let sub = admin
        .post(
            "/rest/api/2/issuetype",
            json!({"name": sub_name, "type": "subtask"}),
        )
        .await
        .expect(201);
    assert_eq!(sub.body["subtask"], true);
    let sub_id = sub.body["id"].as_str().unwrap().to_string();

    // Bad type value.
    let bad = admin
        .post(
            "/rest/api/2/issuetype",
            json!({"name": format!("Bad {}", unique_key("IB")), "type": "epic"}),
        )
        .await
        .expect(400);
    assert!(bad.body["errors"]["type"].is_string(), "{}", bad.text);
    // Empty name.
    let bad = admin
        .post("/rest/api/2/issuetype", json!({"name": ""}))
        .await
        .expect(400);
    assert!(bad.body["errors"]["name"].is_string(), "{}", bad.text);

    // Update.
    let new_name = format!("Renamed {}", unique_key("IR"));
    let up = admin
        .put(
            &format!("/rest/api/2/issuetype/{id}"),
            json!({"name": new_name, "description": "changed"}),
        )
        .await
        .expect(200);
    assert_eq!(up.body["name"], json!(new_name));
    assert_eq!(up.body["description"], "changed");
    let got = admin
        .get(&format!("/rest/api/2/issuetype/{id}"))
        .await
        .expect(200);
    assert_eq!(got.body["name"], json!(new_name));
    // Renaming onto an existing name conflicts; unknown ids are 404.
    admin
        .put(
            &format!("/rest/api/2/issuetype/{id}"),
            json!({"name": "Task"}),
        )
        .await
        .expect(409)
        .jira_error();
    admin
        .put("/rest/api/2/issuetype/987654", json!({"name": "Whatever"}))
        .await
        .expect(404)
        .jira_error();

    // Alternatives share the level.
    let alts = admin
        .get(&format!("/rest/api/2/issuetype/{id}/alternatives"))
        .await
        .expect(200);
    let alt_names = names(&alts.body);
    assert!(alt_names.iter().any(|n| n == "Task"));
    assert!(!alt_names.iter().any(|n| n == "Sub-task" || *n == new_name));

    // Unused types delete without an alternative.
    admin
        .delete(&format!("/rest/api/2/issuetype/{sub_id}"))
        .await
        .expect(204);
    admin
        .get(&format!("/rest/api/2/issuetype/{sub_id}"))
        .await
        .expect(404);

    // An in-use type needs an alternative.
    let key = project("ITD").await;
    let created = admin
        .post("/rest/api/2/issue", json!({"fields": {"project": {"key": key}, "summary": "typed", "issuetype": {"id": id}}}))
        .await
        .expect(201);
    let issue_key = created.body["key"].as_str().unwrap().to_string();
    let refused = admin
        .delete(&format!("/rest/api/2/issuetype/{id}"))
        .await
        .expect(400);
    assert!(
        refused.jira_error().contains("alternativeIssueTypeId"),
        "{}",
        refused.text
    );
    // A sub-task type is not a valid alternative for a standard type.
    admin
        .delete(&format!(
            "/rest/api/2/issuetype/{id}?alternativeIssueTypeId=10002"
        ))
        .await
        .expect(400)
        .jira_error();
    admin
        .delete(&format!(
            "/rest/api/2/issuetype/{id}?alternativeIssueTypeId=10001"
        ))
        .await
        .expect(204);
    admin
        .get(&format!("/rest/api/2/issuetype/{id}"))
        .await
        .expect(404);
    let moved = admin
        .get(&format!("/rest/api/2/issue/{issue_key}"))
        .await
        .expect(200);
    assert_eq!(moved.body["fields"]["issuetype"]["id"], "10001");
    assert_eq!(moved.body["fields"]["issuetype"]["name"], "Task");
}

#[tokio::test]
async fn issue_type_admin_only() {
    let (name, pw) = user("itn").await;
    let u = Client::basic(&name, &pw);
    let r = u
        .post(
            "/rest/api/2/issuetype",
            json!({"name": format!("Nope {}", unique_key("IN"))}),
        )
        .await
        .expect(403);
    assert!(r.jira_error().contains("Administrator"));
    u.put("/rest/api/2/issuetype/10001", json!({"name": "Hijacked"}))
        .await
        .expect(403)
        .jira_error();
    u.delete("/rest/api/2/issuetype/10001")
        .await
        .expect(403)
        .jira_error();
    Client::anonymous()
        .post("/rest/api/2/issuetype", json!({"name": "Anon"}))
        .await
        .expect(401)
        .jira_error();
    // Reading is fine for any user.
    let r = u.get("/rest/api/2/issuetype/10001").await.expect(200);
    assert_eq!(r.body["name"], "Task");
}

// ---- priorities, resolutions, statuses, categories, link types ----

#[tokio::test]
async fn priorities() {
    let admin = Client::admin();
    let r = admin.get("/rest/api/2/priority").await.expect(200);
    let list = r.body.as_array().expect("array");
    assert_eq!(list.len(), 5);
    let ids: Vec<&str> = list.iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5"]);
    assert_eq!(
        names(&r.body),
        ["Highest", "High", "Medium", "Low", "Lowest"]
    );
    assert!(
        list.iter()
            .all(|p| p["statusColor"].is_string() && p["iconUrl"].is_string())
    );

    let one = admin.get("/rest/api/2/priority/3").await.expect(200);
    assert_eq!(one.body["name"], "Medium");
    assert!(
        one.body["self"]
            .as_str()
            .unwrap()
            .ends_with("/rest/api/2/priority/3")
    );
    let missing = admin.get("/rest/api/2/priority/42").await.expect(404);
    assert!(missing.jira_error().contains("42"));
    admin
        .get("/rest/api/2/priority/high")
        .await
        .expect(404)
        .jira_error();
}

#[tokio::test]
async fn resolutions() {
    let admin = Client::admin();
    let r = admin.get("/rest/api/2/resolution").await.expect(200);
    let all = names(&r.body);
    for n in ["Done", "Won't Do", "Duplicate", "Cannot Reproduce"] {
        assert!(all.iter().any(|x| x == n), "{n} missing from {all:?}");
    }
    let done = r
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"] == "Done")
        .unwrap();
    let id = done["id"].as_str().expect("string id");
    let one = admin
        .get(&format!("/rest/api/2/resolution/{id}"))
        .await
        .expect(200);
    assert_eq!(one.body["name"], "Done");
    admin
        .get("/rest/api/2/resolution/1")
        .await
        .expect(404)
        .jira_error();
}

#[tokio::test]
async fn statuses_by_id_and_name() {
    let admin = Client::admin();
    let r = admin.get("/rest/api/2/status").await.expect(200);
    let all = names(&r.body);
    for n in ["To Do", "In Progress", "In Review", "Done"] {
        assert!(all.iter().any(|x| x == n), "{n} missing from {all:?}");
    }
    let by_id = admin.get("/rest/api/2/status/3").await.expect(200);
    assert_eq!(by_id.body["name"], "In Progress");
    assert_eq!(by_id.body["statusCategory"]["key"], "indeterminate");
    let by_name = admin
        .get("/rest/api/2/status/In%20Progress")
        .await
        .expect(200);
    assert_eq!(by_name.body["id"], "3");
    let done = admin.get("/rest/api/2/status/done").await.expect(200);
    assert_eq!(done.body["statusCategory"]["key"], "done");
    let missing = admin.get("/rest/api/2/status/Nowhere").await.expect(404);
    assert!(missing.jira_error().contains("Nowhere"));
}

#[tokio::test]
async fn status_categories() {
    let admin = Client::admin();
    let r = admin.get("/rest/api/2/statuscategory").await.expect(200);
    let list = r.body.as_array().expect("array");
    let ids: Vec<i64> = list.iter().map(|c| c["id"].as_i64().unwrap()).collect();
    let keys: Vec<&str> = list.iter().map(|c| c["key"].as_str().unwrap()).collect();
    assert_eq!(ids, [1, 2, 4, 3]);
    assert_eq!(keys, ["undefined", "new", "indeterminate", "done"]);
    let by_key = admin
        .get("/rest/api/2/statuscategory/indeterminate")
        .await
        .expect(200);
    assert_eq!(by_key.body["id"], 4);
    assert_eq!(by_key.body["name"], "In Progress");
    let by_id = admin.get("/rest/api/2/statuscategory/3").await.expect(200);
    assert_eq!(by_id.body["key"], "done");
    admin
        .get("/rest/api/2/statuscategory/finished")
        .await
        .expect(404)
        .jira_error();
}

#[tokio::test]
async fn issue_link_types() {
    let admin = Client::admin();
    let r = admin.get("/rest/api/2/issueLinkType").await.expect(200);
    let list = r.body["issueLinkTypes"].as_array().expect("issueLinkTypes");
    let all: Vec<&str> = list.iter().map(|l| l["name"].as_str().unwrap()).collect();
    for n in ["Blocks", "Cloners", "Duplicate", "Relates"] {
        assert!(all.contains(&n), "{n} missing from {all:?}");
    }
    let blocks = list.iter().find(|l| l["name"] == "Blocks").unwrap();
    assert_eq!(blocks["inward"], "is blocked by");
    assert_eq!(blocks["outward"], "blocks");
    let id = blocks["id"].as_str().expect("string id");
    let one = admin
        .get(&format!("/rest/api/2/issueLinkType/{id}"))
        .await
        .expect(200);
    assert_eq!(one.body["name"], "Blocks");
    admin
        .get("/rest/api/2/issueLinkType/1")
        .await
        .expect(404)
        .jira_error();
}

// ---- fields ----

#[tokio::test]
async fn field_list_has_system_fields() {
    let r = Client::admin().get("/rest/api/2/field").await.expect(200);
    let list = r.body.as_array().expect("array");
    let find = |id: &str| {
        list.iter()
            .find(|f| f["id"] == id)
            .unwrap_or_else(|| panic!("{id} missing"))
            .clone()
    };
    for id in [
        "summary",
        "description",
        "status",
        "priority",
        "issuetype",
        "assignee",
        "reporter",
        "labels",
        "created",
    ] {
        let f = find(id);
        assert_eq!(f["custom"], false, "{f}");
        assert!(
            f["clauseNames"].as_array().is_some_and(|c| !c.is_empty()),
            "{f}"
        );
        assert!(f["schema"]["type"].is_string(), "{f}");
        assert_eq!(f["schema"]["system"], id, "{f}");
    }
    let summary = find("summary");
    assert_eq!(summary["name"], "Summary");
    assert_eq!(summary["schema"]["type"], "string");
    assert!(
        summary["clauseNames"]
            .as_array()
            .unwrap()
            .contains(&json!("summary"))
    );
    let labels = find("labels");
    assert_eq!(labels["schema"]["type"], "array");
    assert_eq!(labels["schema"]["items"], "string");
    Client::anonymous()
        .get("/rest/api/2/field")
        .await
        .expect(401)
        .jira_error();
}

const SELECT: &str = "com.atlassian.jira.plugin.system.customfieldtypes:select";

async fn select_field(name: &str) -> String {
    let r = Client::admin()
        .post(
            "/rest/api/2/field",
            json!({"name": name, "description": "test field", "type": SELECT,
                   "searcherKey": "com.atlassian.jira.plugin.system.customfieldtypes:multiselectsearcher"}),
        )
        .await
        .expect(201);
    r.body["id"].as_str().expect("id").to_string()
}

#[tokio::test]
async fn create_custom_field() {
    let admin = Client::admin();
    let name = format!("Field {}", unique_key("CF"));
    let r = admin
        .post("/rest/api/2/field", json!({"name": name, "description": "text", "type": "com.atlassian.jira.plugin.system.customfieldtypes:textfield"}))
        .await
        .expect(201);
    let id = r.body["id"].as_str().expect("id").to_string();
    let n = id
        .strip_prefix("customfield_")
        .expect("customfield_ prefix");
    assert!(n.parse::<u64>().is_ok(), "{id}");
    assert_eq!(r.body["name"], json!(name));
    assert_eq!(r.body["custom"], true);
    assert_eq!(
        r.body["schema"]["custom"],
        "com.atlassian.jira.plugin.system.customfieldtypes:textfield"
    );
    assert_eq!(r.body["schema"]["type"], "string");
    assert_eq!(
        r.body["schema"]["customId"]
            .as_u64()
            .map(|x| x.to_string())
            .as_deref(),
        Some(n)
    );
    assert!(
        r.body["clauseNames"]
            .as_array()
            .unwrap()
            .contains(&json!(format!("cf[{n}]")))
    );

    // It shows up in the field list.
    let list = admin.get("/rest/api/2/field").await.expect(200);
    assert!(
        list.body
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == json!(id) && f["name"] == json!(name))
    );

    // Multi-select has array schema.
    let m = admin
        .post("/rest/api/2/field", json!({"name": format!("Multi {}", unique_key("CM")), "type": "com.atlassian.jira.plugin.system.customfieldtypes:multiselect"}))
        .await
        .expect(201);
    assert_eq!(m.body["schema"]["type"], "array");
    assert_eq!(m.body["schema"]["items"], "option");

    // Errors.
    let bad = admin
        .post(
            "/rest/api/2/field",
            json!({"name": "Bad type", "type": "com.example:nonsense"}),
        )
        .await
        .expect(400);
    assert!(
        bad.body["errors"]["type"]
            .as_str()
            .unwrap()
            .contains("nonsense"),
        "{}",
        bad.text
    );
    let bad = admin
        .post("/rest/api/2/field", json!({"name": "", "type": SELECT}))
        .await
        .expect(400);
    assert!(bad.body["errors"]["name"].is_string(), "{}", bad.text);
    let (u, pw) = user("cfn").await;
    Client::basic(&u, &pw)
        .post(
            "/rest/api/2/field",
            json!({"name": "Not mine", "type": SELECT}),
        )
        .await
        .expect(403)
        .jira_error();
    Client::anonymous()
        .post("/rest/api/2/field", json!({"name": "Anon", "type": SELECT}))
        .await
        .expect(401)
        .jira_error();
}

#[tokio::test]
async fn field_options_crud() {
    let admin = Client::admin();
    let field = select_field(&format!("Select {}", unique_key("FO"))).await;
    let base = format!("/rest/api/2/field/{field}/option");

    let empty = admin.get(&base).await.expect(200);
    assert_eq!(empty.body["total"], 0);
    assert_eq!(empty.body["isLast"], true);
    assert_eq!(empty.body["values"], json!([]));

    let a = admin
        .post(&base, json!({"value": "Alpha"}))
        .await
        .expect(200);
    assert_eq!(a.body["value"], "Alpha");
    let a_id = a.body["id"].as_i64().expect("numeric id");
    let b = admin
        .post(&base, json!({"value": "Beta"}))
        .await
        .expect(200);
    let b_id = b.body["id"].as_i64().unwrap();
    // Duplicate values conflict, empty values are refused.
    admin
        .post(&base, json!({"value": "Alpha"}))
        .await
        .expect(409)
        .jira_error();
    let bad = admin.post(&base, json!({"value": " "})).await.expect(400);
    assert!(bad.body["errors"]["value"].is_string());

    let all = admin.get(&base).await.expect(200);
    assert_eq!(all.body["total"], 2);
    let values: Vec<&str> = all.body["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["value"].as_str().unwrap())
        .collect();
    assert_eq!(values, ["Alpha", "Beta"]);
    let page = admin
        .get(&format!("{base}?startAt=0&maxResults=1"))
        .await
        .expect(200);
    assert_eq!(page.body["values"].as_array().unwrap().len(), 1);
    assert_eq!(page.body["isLast"], false);

    let one = admin.get(&format!("{base}/{a_id}")).await.expect(200);
    assert_eq!(one.body["value"], "Alpha");
    let global = admin
        .get(&format!("/rest/api/2/customFieldOption/{a_id}"))
        .await
        .expect(200);
    assert_eq!(global.body["value"], "Alpha");
    assert!(
        global.body["self"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/rest/api/2/customFieldOption/{a_id}"))
    );

    let up = admin
        .put(
            &format!("{base}/{a_id}"),
            json!({"value": "Alpha 2", "config": {"attributes": ["disabled"]}}),
        )
        .await
        .expect(200);
    assert_eq!(up.body["value"], "Alpha 2");
    assert_eq!(up.body["config"]["attributes"], json!(["disabled"]));
    assert_eq!(
        admin
            .get(&format!("/rest/api/2/customFieldOption/{a_id}"))
            .await
            .expect(200)
            .body["value"],
        "Alpha 2"
    );

    admin.delete(&format!("{base}/{b_id}")).await.expect(204);
    admin
        .get(&format!("{base}/{b_id}"))
        .await
        .expect(404)
        .jira_error();
    admin
        .get(&format!("/rest/api/2/customFieldOption/{b_id}"))
        .await
        .expect(404)
        .jira_error();
    admin
        .delete(&format!("{base}/{b_id}"))
        .await
        .expect(404)
        .jira_error();
    assert_eq!(admin.get(&base).await.expect(200).body["total"], 1);

    // Unknown fields, fields without options, non-admins.
    admin
        .get("/rest/api/2/field/customfield_999999/option")
        .await
        .expect(404)
        .jira_error();
    admin
        .get("/rest/api/2/field/summary/option")
        .await
        .expect(404)
        .jira_error();
    admin
        .get("/rest/api/2/customFieldOption/abc")
        .await
        .expect(404)
        .jira_error();
    let (u, pw) = user("fon").await;
    Client::basic(&u, &pw)
        .post(&base, json!({"value": "Gamma"}))
        .await
        .expect(403)
        .jira_error();
    Client::basic(&u, &pw)
        .delete(&format!("{base}/{a_id}"))
        .await
        .expect(403)
        .jira_error();
}

#[tokio::test]
async fn field_options_of_a_text_field_are_refused() {
    let admin = Client::admin();
    let r = admin
        .post("/rest/api/2/field", json!({"name": format!("Text {}", unique_key("FT")), "type": "com.atlassian.jira.plugin.system.customfieldtypes:textfield"}))
        .await
        .expect(201);
    let id = r.body["id"].as_str().unwrap();
    let bad = admin
        .post(
            &format!("/rest/api/2/field/{id}/option"),
            json!({"value": "x"}),
        )
        .await
        .expect(400);
    assert!(bad.jira_error().contains("does not take options"));
}

// ---- mypermissions ----

#[tokio::test]
async fn my_permissions() {
    let key = project("MP").await;
    let admin = Client::admin();
    let all = admin.get("/rest/api/2/mypermissions").await.expect(200);
    let perms = all.body["permissions"].as_object().expect("permissions");
    assert!(perms.len() > 20);
    assert_eq!(perms["ADMINISTER"]["havePermission"], true);
    assert_eq!(perms["ADMINISTER"]["type"], "GLOBAL");
    assert_eq!(perms["BROWSE_PROJECTS"]["havePermission"], true);
    assert_eq!(perms["BROWSE_PROJECTS"]["type"], "PROJECT");
    assert_eq!(perms["BROWSE_PROJECTS"]["key"], "BROWSE_PROJECTS");
    assert_eq!(perms["BROWSE_PROJECTS"]["name"], "Browse Projects");

    let scoped = admin
        .get(&format!("/rest/api/2/mypermissions?projectKey={key}"))
        .await
        .expect(200);
    assert_eq!(
        scoped.body["permissions"]["ADMINISTER_PROJECTS"]["havePermission"],
        true
    );
    assert_eq!(
        scoped.body["permissions"]["DELETE_ISSUES"]["havePermission"],
        true
    );

    let filtered = admin
        .get(&format!(
            "/rest/api/2/mypermissions?projectKey={key}&permissions=BROWSE_PROJECTS"
        ))
        .await
        .expect(200);
    let only = filtered.body["permissions"].as_object().unwrap();
    assert_eq!(only.keys().collect::<Vec<_>>(), ["BROWSE_PROJECTS"]);
    assert_eq!(only["BROWSE_PROJECTS"]["havePermission"], true);

    // A plain member: may browse, may not administer or delete others' comments.
    let (u, pw) = user("mpu").await;
    let member = Client::basic(&u, &pw);
    let mine = member
        .get(&format!("/rest/api/2/mypermissions?projectKey={key}"))
        .await
        .expect(200);
    assert_eq!(
        mine.body["permissions"]["BROWSE_PROJECTS"]["havePermission"],
        true
    );
    assert_eq!(
        mine.body["permissions"]["CREATE_ISSUES"]["havePermission"],
        true
    );
    assert_eq!(
        mine.body["permissions"]["ADMINISTER_PROJECTS"]["havePermission"],
        false
    );
    assert_eq!(
        mine.body["permissions"]["DELETE_ALL_COMMENTS"]["havePermission"],
        false
    );
    assert_eq!(
        mine.body["permissions"]["ADMINISTER"]["havePermission"],
        false
    );
    assert_eq!(
        mine.body["permissions"]["USER_PICKER"]["havePermission"],
        true
    );
    // Without a context, a project permission is held when it is held in any project.
    let unscoped = member
        .get("/rest/api/2/mypermissions?permissions=BROWSE_PROJECTS,ADMINISTER_PROJECTS")
        .await
        .expect(200);
    assert_eq!(
        unscoped.body["permissions"]["BROWSE_PROJECTS"]["havePermission"], true,
        "{}",
        unscoped.text
    );
    assert_eq!(
        unscoped.body["permissions"]["ADMINISTER_PROJECTS"]["havePermission"],
        false
    );

    // Anonymous callers hold nothing.
    let anon = Client::anonymous()
        .get("/rest/api/2/mypermissions?permissions=BROWSE_PROJECTS")
        .await
        .expect(200);
    assert_eq!(
        anon.body["permissions"]["BROWSE_PROJECTS"]["havePermission"],
        false
    );

    // Issue context.
    let issue_key = issue(&key, "perm check").await;
    let on_issue = member
        .get(&format!(
            "/rest/api/2/mypermissions?issueKey={issue_key}&permissions=EDIT_ISSUES"
        ))
        .await
        .expect(200);
    assert_eq!(
        on_issue.body["permissions"]["EDIT_ISSUES"]["havePermission"],
        true
    );

    // Errors.
    let bad = admin
        .get("/rest/api/2/mypermissions?permissions=NOT_A_PERMISSION")
        .await
        .expect(400);
    assert!(bad.jira_error().contains("NOT_A_PERMISSION"));
    let missing = admin
        .get("/rest/api/2/mypermissions?projectKey=NOSUCHPROJ")
        .await
        .expect(404);
    assert!(missing.jira_error().contains("NOSUCHPROJ"));
}
