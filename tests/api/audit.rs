//! The audit log: administrative changes are recorded with who, when, what changed and
//! from where, and read back through `auditing/record` by administrators only.

use serde_json::{Value, json};

use crate::common::{Client, project, user};

const RECORDS: &str = "/rest/api/2/auditing/record";

fn records_about<'a>(page: &'a Value, name: &str) -> Vec<&'a Value> {
    page["records"]
        .as_array()
        .expect("records")
        .iter()
        .filter(|r| r["objectItem"]["name"] == name || r["objectItem"]["parentId"] == name)
        .collect()
}

#[tokio::test]
async fn project_changes_are_recorded_with_author_address_and_values() {
    let admin = Client::admin();
    let key = project("AUD").await;
    admin
        .put(
            &format!("/rest/api/2/project/{key}"),
            json!({"name": format!("Renamed {key}"), "description": "now described"}),
        )
        .await
        .expect(201);
    let page = admin
        .get(&format!("{RECORDS}?filter={key}"))
        .await
        .expect(200);
    let mine = records_about(&page.body, &key);
    assert_eq!(mine.len(), 2, "{}", page.text);
    // Newest first.
    let (updated, created) = (mine[0], mine[1]);
    assert_eq!(created["summary"], "Project created");
    assert_eq!(created["category"], "projects");
    assert_eq!(created["authorKey"], "admin");
    assert_eq!(created["remoteAddress"], "127.0.0.1");
    assert_eq!(created["objectItem"]["typeName"], "PROJECT");
    assert!(
        created["changedValues"]
            .as_array()
            .expect("values")
            .contains(&json!({"fieldName": "key", "changedTo": key}))
    );
    assert_eq!(updated["summary"], "Project updated");
    assert_eq!(
        updated["changedValues"],
        json!([
            {"fieldName": "name", "changedFrom": format!("Project {key}"), "changedTo": format!("Renamed {key}")},
            {"fieldName": "description", "changedFrom": "", "changedTo": "now described"},
        ])
    );
    assert!(
        tessera::domain::Millis::parse(created["created"].as_str().expect("created")).is_some()
    );
    assert!(page.body["total"].as_u64().expect("total") >= 2);
    assert_eq!(page.body["limit"], 1000);

    // An update that changes nothing records nothing.
    admin
        .put(
            &format!("/rest/api/2/project/{key}"),
            json!({"description": "now described"}),
        )
        .await
        .expect(201);
    let again = admin
        .get(&format!("{RECORDS}?filter={key}"))
        .await
        .expect(200);
    assert_eq!(records_about(&again.body, &key).len(), 2);

    admin
        .delete(&format!("/rest/api/2/project/{key}"))
        .await
        .expect(204);
    let after = admin
        .get(&format!("{RECORDS}?filter={key}"))
        .await
        .expect(200);
    assert_eq!(
        records_about(&after.body, &key)[0]["summary"],
        "Project deleted"
    );
}

#[tokio::test]
async fn token_changes_are_recorded_in_the_owners_name() {
    let (name, password) = user("audtok").await;
    let owner = Client::basic(&name, &password);
    let label = format!("audit-{name}");
    let token = owner
        .post("/rest/pat/latest/tokens", json!({"name": label}))
        .await
        .expect(201);
    let id = token.body["id"].as_i64().expect("id");
    owner
        .delete(&format!("/rest/pat/latest/tokens/{id}"))
        .await
        .expect(204);
    let page = Client::admin()
        .get(&format!("{RECORDS}?filter={label}"))
        .await
        .expect(200);
    let mine = records_about(&page.body, &label);
    let summaries: Vec<_> = mine.iter().map(|r| r["summary"].clone()).collect();
    assert_eq!(
        summaries,
        [json!("API token revoked"), json!("API token created")]
    );
    assert!(mine.iter().all(|r| r["authorKey"] == name.as_str()));
    assert_eq!(mine[0]["associatedItems"][0]["name"], name.as_str());
    assert_eq!(mine[0]["associatedItems"][0]["typeName"], "USER");
}

#[tokio::test]
async fn records_are_paged_and_filtered_by_time() {
    let admin = Client::admin();
    let key = project("AUDP").await;
    admin
        .put(
            &format!("/rest/api/2/project/{key}"),
            json!({"description": "one"}),
        )
        .await
        .expect(201);
    let page = admin
        .get(&format!("{RECORDS}?filter={key}&limit=1&offset=1"))
        .await
        .expect(200);
    assert_eq!(page.body["total"], 2);
    assert_eq!(page.body["offset"], 1);
    assert_eq!(page.body["limit"], 1);
    assert_eq!(page.body["records"].as_array().expect("records").len(), 1);
    assert_eq!(page.body["records"][0]["summary"], "Project created");
    // Limits past Jira's cap fall back to it.
    let capped = admin
        .get(&format!("{RECORDS}?filter={key}&limit=5000"))
        .await
        .expect(200);
    assert_eq!(capped.body["limit"], 1000);
    // A window in the past holds none of them; `from` after `to` is empty.
    let past = admin
        .get(&format!(
            "{RECORDS}?filter={key}&to=2000-01-01T00:00:00.000%2B0000"
        ))
        .await
        .expect(200);
    assert_eq!(past.body["total"], 0);
    let created = page.body["records"][0]["created"]
        .as_str()
        .expect("created")
        .to_string();
    let from = tessera::domain::Millis::parse(&created).expect("time").0;
    let window = admin
        .get(&format!(
            "{RECORDS}?filter={key}&from={from}&to={}",
            from - 1
        ))
        .await
        .expect(200);
    assert_eq!(window.body["total"], 0);
    let since = admin
        .get(&format!("{RECORDS}?filter={key}&from={from}"))
        .await
        .expect(200);
    assert_eq!(since.body["total"], 2);
    let bad = admin
        .get(&format!("{RECORDS}?from=yesterday-ish"))
        .await
        .expect(400);
    bad.jira_error();
}

#[tokio::test]
async fn only_administrators_read_the_log() {
    let r = Client::anonymous().get(RECORDS).await.expect(401);
    r.jira_error();
    let (name, password) = user("audnon").await;
    let r = Client::basic(&name, &password)
        .get(RECORDS)
        .await
        .expect(403);
    r.jira_error();
}

/// Adding and removing a project role's actors (POST / DELETE `project/{key}/role/{id}`)
/// is recorded with the actor and the project.
#[tokio::test]
async fn role_actor_changes_are_recorded() {
    let admin = Client::admin();
    let key = project("AUDR").await;
    let (name, _) = user("audrole").await;
    let role = format!("/rest/api/2/project/{key}/role/10003");
    admin.post(&role, json!({"user": [name]})).await.expect(200);
    admin
        .delete(&format!("{role}?user={name}"))
        .await
        .expect(204);
    let page = admin
        .get(&format!("{RECORDS}?filter={name}"))
        .await
        .expect(200);
    let mine: Vec<&Value> = page.body["records"]
        .as_array()
        .expect("records")
        .iter()
        .filter(|r| r["objectItem"]["typeName"] == "PROJECT_ROLE")
        .collect();
    assert_eq!(mine.len(), 2, "{}", page.text);
    assert_eq!(mine[0]["changedValues"][0]["changedFrom"], name.as_str());
    assert_eq!(mine[1]["changedValues"][0]["changedTo"], name.as_str());
    assert!(mine.iter().all(|r| {
        r["associatedItems"]
            .as_array()
            .expect("items")
            .iter()
            .any(|i| i["typeName"] == "PROJECT")
    }));
}
