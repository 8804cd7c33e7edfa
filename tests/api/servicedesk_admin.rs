//! Jira Service Management administration over the wire: request types made and removed
//! by a desk's administrators, properties of request types and organizations, and
//! requests shared with an organization (seen by its other members in JSM and in Jira
//! search).

use serde_json::{Value, json};

use crate::common::*;
use crate::servicedesk::{SD, desk};

fn names(r: &Reply) -> Vec<String> {
    r.body["values"]
        .as_array()
        .expect("values")
        .iter()
        .filter_map(|v| v["name"].as_str().map(String::from))
        .collect()
}

async fn task_type(admin: &Client) -> String {
    let types = admin.get("/rest/api/2/issuetype").await.expect(200).body;
    types
        .as_array()
        .expect("types")
        .iter()
        .find(|t| t["name"] == "Task")
        .and_then(|t| t["id"].as_str())
        .expect("Task")
        .to_string()
}

#[tokio::test]
async fn administrators_create_and_delete_request_types() {
    let d = desk("SRT").await;
    let task = task_type(&d.admin).await;
    let path = format!("{SD}/servicedesk/{}/requesttype", d.id);
    let made = d
        .admin
        .post(
            &path,
            json!({"issueTypeId": task, "name": "Order coffee", "description": "Beans", "helpText": "How much?"}),
        )
        .await
        .expect(200);
    assert_eq!(made.body["name"], "Order coffee");
    assert_eq!(made.body["description"], "Beans");
    assert_eq!(made.body["helpText"], "How much?");
    assert_eq!(made.body["issueTypeId"], task.as_str());
    assert_eq!(made.body["serviceDeskId"], d.id.as_str());
    let id = made.body["id"].as_str().expect("id").to_string();

    // Customers see it and raise requests with it: its form asks for a summary.
    assert!(names(&d.c1.get(&path).await.expect(200)).contains(&"Order coffee".to_string()));
    let fields = d.c1.get(&format!("{path}/{id}/field")).await.expect(200);
    assert_eq!(fields.body["requestTypeFields"][0]["fieldId"], "summary");
    assert_eq!(fields.body["requestTypeFields"][0]["required"], true);
    let raised = d
        .c1
        .post(
            &format!("{SD}/request"),
            json!({"serviceDeskId": d.id, "requestTypeId": id, "requestFieldValues": {"summary": "two cups"}}),
        )
        .await
        .expect(201);
    let key = raised.body["issueKey"].as_str().expect("key").to_string();

    // Wrong input: no name, an unknown issue type, a name taken.
    let r = d
        .admin
        .post(&path, json!({"issueTypeId": task}))
        .await
        .expect(400);
    assert!(r.text.contains("name"), "{}", r.text);
    let r = d
        .admin
        .post(&path, json!({"issueTypeId": "999999", "name": "X"}))
        .await
        .expect(400);
    assert!(r.text.contains("issueTypeId"), "{}", r.text);
    d.admin
        .post(&path, json!({"issueTypeId": task, "name": "order COFFEE"}))
        .await
        .expect(400);
    // Agents and customers do not administer the desk.
    d.agent
        .post(&path, json!({"issueTypeId": task, "name": "Agent's"}))
        .await
        .expect(403);
    d.c1.delete(&format!("{path}/{id}")).await.expect(403);

    // The administration is in the audit log.
    let audit = d
        .admin
        .get("/rest/api/2/auditing/record?filter=Order%20coffee")
        .await
        .expect(200);
    assert!(
        audit.text.contains("Request type created"),
        "{}",
        audit.text
    );

    d.admin.delete(&format!("{path}/{id}")).await.expect(204);
    d.c1.get(&format!("{path}/{id}")).await.expect(404);
    assert!(!names(&d.c1.get(&path).await.expect(200)).contains(&"Order coffee".to_string()));
    d.admin.delete(&format!("{path}/{id}")).await.expect(404);
    // The request raised with it stays.
    d.c1.get(&format!("{SD}/request/{key}")).await.expect(200);
}

#[tokio::test]
async fn request_type_and_organization_properties() {
    let d = desk("SRP").await;
    let rt = d.request_type("Get IT help").await;
    let base = format!("{SD}/servicedesk/{}/requesttype/{rt}/property", d.id);
    d.admin
        .put(&format!("{base}/colour"), json!({"hue": "teal"}))
        .await
        .expect(201);
    d.admin
        .put(&format!("{base}/colour"), json!({"hue": "blue"}))
        .await
        .expect(200);
    d.admin
        .put(&format!("{base}/n"), json!(7))
        .await
        .expect(201);
    let keys = d.c1.get(&base).await.expect(200);
    let listed: Vec<&str> = keys.body["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .filter_map(|k| k["key"].as_str())
        .collect();
    assert_eq!(listed, ["colour", "n"]);
    assert!(
        keys.body["keys"][0]["self"]
            .as_str()
            .is_some_and(|s| s.ends_with("/property/colour"))
    );
    let one = d.c1.get(&format!("{base}/colour")).await.expect(200);
    assert_eq!(one.body, json!({"key": "colour", "value": {"hue": "blue"}}));
    // Customers and agents read; only the desk's administrators write.
    d.c1.put(&format!("{base}/x"), json!(1)).await.expect(403);
    d.agent
        .put(&format!("{base}/x"), json!(1))
        .await
        .expect(403);
    d.outsider.get(&base).await.expect(404);
    d.admin.delete(&format!("{base}/n")).await.expect(204);
    d.admin.get(&format!("{base}/n")).await.expect(404);
    d.admin.delete(&format!("{base}/n")).await.expect(404);

    let org = d
        .admin
        .post(
            &format!("{SD}/organization"),
            json!({"name": unique_key("Props")}),
        )
        .await
        .expect(201);
    let org = org.body["id"].as_str().expect("org").to_string();
    let obase = format!("{SD}/organization/{org}/property");
    d.agent
        .put(&format!("{obase}/tier"), json!("gold"))
        .await
        .expect(201);
    assert_eq!(
        d.admin.get(&format!("{obase}/tier")).await.expect(200).body,
        json!({"key": "tier", "value": "gold"})
    );
    // A customer outside the organization does not see it; a member reads but does not write.
    d.c1.get(&obase).await.expect(404);
    d.admin
        .post(
            &format!("{SD}/organization/{org}/user"),
            json!({"usernames": [d.c1_name]}),
        )
        .await
        .expect(204);
    d.c1.get(&obase).await.expect(200);
    d.c1.put(&format!("{obase}/tier"), json!("tin"))
        .await
        .expect(403);
    d.agent.delete(&format!("{obase}/tier")).await.expect(204);
    let keys = d.admin.get(&obase).await.expect(200);
    assert_eq!(keys.body["keys"], json!([]));
}

#[tokio::test]
async fn a_request_shared_with_an_organization_is_seen_by_its_members() {
    let d = desk("SRS").await;
    let admin = &d.admin;
    let new_org = |name: String| async move {
        let r = Client::admin()
            .post(&format!("{SD}/organization"), json!({"name": name}))
            .await
            .expect(201);
        r.body["id"].as_str().expect("org").to_string()
    };
    let org = new_org(unique_key("Share")).await;
    let other = new_org(unique_key("Other")).await;
    for o in [&org, &other] {
        admin
            .post(
                &format!("{SD}/servicedesk/{}/organization", d.id),
                json!({"organizationId": o}),
            )
            .await
            .expect(204);
    }
    admin
        .post(
            &format!("{SD}/organization/{org}/user"),
            json!({"usernames": [d.c1_name, d.c2_name]}),
        )
        .await
        .expect(204);
    let rt = d.request_type("Get IT help").await;
    let raise = |values: Value| json!({"serviceDeskId": d.id, "requestTypeId": rt, "requestFieldValues": values});

    // A customer shares only with organizations they belong to, of this desk.
    let r = d
        .c1
        .post(
            &format!("{SD}/request"),
            raise(json!({"summary": "not mine", "organizations": [other.parse::<i64>().expect("id")]})),
        )
        .await
        .expect(400);
    assert!(r.text.contains("organizations"), "{}", r.text);
    d.c1.post(
        &format!("{SD}/request"),
        raise(json!({"summary": "no such", "organizations": ["999999"]})),
    )
    .await
    .expect(400);

    let shared =
        d.c1.post(
            &format!("{SD}/request"),
            raise(json!({"summary": "shared printer", "organizations": [{"id": org}]})),
        )
        .await
        .expect(201);
    let key = shared.body["issueKey"].as_str().expect("key").to_string();
    let field = shared.body["requestFieldValues"]
        .as_array()
        .expect("values")
        .iter()
        .find(|f| f["fieldId"] == "organizations")
        .cloned()
        .expect("the Organizations field");
    assert_eq!(field["value"][0]["id"], org.as_str());
    let private = d.raise(&d.c1, "my own").await;

    // The other member sees the shared request, not the private one: in JSM...
    d.c2.get(&format!("{SD}/request/{key}")).await.expect(200);
    d.c2.get(&format!("{SD}/request/{private}"))
        .await
        .expect(404);
    let listed =
        d.c2.get(&format!("{SD}/request?requestOwnership=ALL_ORGANIZATIONS"))
            .await
            .expect(200);
    let keys: Vec<&str> = listed.body["values"]
        .as_array()
        .expect("values")
        .iter()
        .filter_map(|r| r["issueKey"].as_str())
        .collect();
    assert_eq!(keys, [key.as_str()]);
    // ...and in Jira's search.
    let found =
        d.c2.get(&format!(
            "/rest/api/2/search?jql=project%3D{}&fields=summary",
            d.key
        ))
        .await
        .expect(200);
    let keys: Vec<&str> = found.body["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .filter_map(|i| i["key"].as_str())
        .collect();
    assert_eq!(keys, [key.as_str()]);

    // Agents share with any of the desk's organizations, raising on a customer's behalf.
    let on_behalf = d
        .agent
        .post(
            &format!("{SD}/request"),
            json!({"serviceDeskId": d.id, "requestTypeId": rt, "raiseOnBehalfOf": d.c1_name,
                   "requestFieldValues": {"summary": "for the org", "organizations": [org.clone()]}}),
        )
        .await
        .expect(201);
    let k2 = on_behalf.body["issueKey"].as_str().expect("key");
    d.c2.get(&format!("{SD}/request/{k2}")).await.expect(200);
    // A customer of the desk outside the organization sees neither.
    let (n3, pw3) = user_with(admin, "sc").await;
    admin
        .post(
            &format!("{SD}/servicedesk/{}/customer", d.id),
            json!({"usernames": [n3]}),
        )
        .await
        .expect(204);
    let c3 = crate::servicedesk::on(&admin.base, Client::basic(&n3, &pw3));
    c3.get(&format!("{SD}/request/{key}")).await.expect(404);
    c3.get(&format!("{SD}/request/{k2}")).await.expect(404);
}

#[tokio::test]
async fn attachment_content_and_the_files_a_comment_came_with() {
    let d = desk("SRF").await;
    let key = d.raise(&d.c1, "with files").await;
    let t = crate::servicedesk_access::temporary_file(&d.c1, &d.id, "note.txt").await;
    let added = d
        .c1
        .post(
            &format!("{SD}/request/{key}/attachment"),
            json!({"temporaryAttachmentIds": [t], "public": true, "additionalComment": {"body": "see the note"}}),
        )
        .await
        .expect(201);
    let id = added.body["attachments"]["values"][0]["_links"]["jiraRest"]
        .as_str()
        .and_then(|l| l.rsplit('/').next())
        .expect("attachment id")
        .to_string();
    let comment = added.body["comment"]["id"]
        .as_str()
        .expect("comment")
        .to_string();

    let content =
        d.c1.get(&format!("{SD}/request/{key}/attachment/{id}"))
            .await
            .expect(200);
    assert_eq!(content.text, "hello");
    // A text file has no thumbnail.
    d.c1.get(&format!("{SD}/request/{key}/attachment/{id}/thumbnail"))
        .await
        .expect(404);
    // Another customer does not reach it; nor does an id of another request.
    d.c2.get(&format!("{SD}/request/{key}/attachment/{id}"))
        .await
        .expect(404);
    let other = d.raise(&d.c1, "no files").await;
    d.c1.get(&format!("{SD}/request/{other}/attachment/{id}"))
        .await
        .expect(404);

    let listed =
        d.c1.get(&format!("{SD}/request/{key}/comment/{comment}/attachment"))
            .await
            .expect(200);
    assert_eq!(listed.body["size"], 1, "{}", listed.text);
    assert_eq!(listed.body["values"][0]["filename"], "note.txt");
    // A comment without files lists none.
    let plain =
        d.c1.post(
            &format!("{SD}/request/{key}/comment"),
            json!({"body": "no files here", "public": true}),
        )
        .await
        .expect(201);
    let plain = plain.body["id"].as_str().expect("comment");
    let none =
        d.c1.get(&format!("{SD}/request/{key}/comment/{plain}/attachment"))
            .await
            .expect(200);
    assert_eq!(none.body["values"], json!([]));
}
