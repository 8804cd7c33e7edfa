//! Remote issue links (seed 001): list (all or by globalId), create-or-update by
//! globalId, get, update (missing fields become null), delete by id and by globalId.

use serde_json::{Value, json};

use crate::common::{Client, issue, project, user};

fn admin() -> Client {
    Client::admin()
}

fn rl(key: &str) -> String {
    format!("/rest/api/2/issue/{key}/remotelink")
}

fn support_link() -> Value {
    json!({
        "globalId": "system=http://www.mycompany.com/support&id=1",
        "application": {"type": "com.acme.tracker", "name": "My Acme Tracker"},
        "relationship": "causes",
        "object": {
            "url": "http://www.mycompany.com/support?id=1",
            "title": "TSTSUP-111",
            "summary": "Crazy customer support issue",
            "icon": {"url16x16": "http://www.mycompany.com/support/ticket.png", "title": "Support Ticket"},
            "status": {"resolved": true, "icon": {
                "url16x16": "http://www.mycompany.com/support/resolved.png",
                "title": "Case Closed",
                "link": "http://www.mycompany.com/support?id=1&details=closed"}}
        }
    })
}

const GLOBAL_ID_ESCAPED: &str = "system%3Dhttp%3A%2F%2Fwww.mycompany.com%2Fsupport%26id%3D1";

#[tokio::test]
async fn create_get_list_update_delete() {
    let p = project("RLA").await;
    let key = issue(&p, "Remote").await;

    let created = admin()
        .post(&rl(&key), support_link())
        .await
        .expect(201)
        .body;
    let id = created["id"].as_i64().expect("numeric id");
    assert!(
        created["self"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/issue/{key}/remotelink/{id}")),
        "{created}"
    );

    let got = admin()
        .get(&format!("{}/{id}", rl(&key)))
        .await
        .expect(200)
        .body;
    assert_eq!(got["id"], id);
    assert_eq!(
        got["globalId"],
        "system=http://www.mycompany.com/support&id=1"
    );
    assert_eq!(got["application"]["name"], "My Acme Tracker");
    assert_eq!(got["relationship"], "causes");
    assert_eq!(got["object"]["title"], "TSTSUP-111");
    assert_eq!(got["object"]["summary"], "Crazy customer support issue");
    assert_eq!(got["object"]["icon"]["title"], "Support Ticket");
    assert_eq!(got["object"]["status"]["resolved"], true);
    assert_eq!(
        got["object"]["status"]["icon"]["link"],
        "http://www.mycompany.com/support?id=1&details=closed"
    );

    // Same globalId: updated in place (200, same id), missing fields become null.
    let again = admin()
        .post(
            &rl(&key),
            json!({"globalId": "system=http://www.mycompany.com/support&id=1",
                   "object": {"url": "http://www.mycompany.com/support?id=1", "title": "Renamed"}}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(again["id"], id);
    let got = admin()
        .get(&format!("{}/{id}", rl(&key)))
        .await
        .expect(200)
        .body;
    assert_eq!(got["object"]["title"], "Renamed");
    assert!(got.get("relationship").is_none_or(Value::is_null), "{got}");
    assert!(
        got["object"].get("summary").is_none_or(Value::is_null),
        "{got}"
    );

    // A second link without globalId; list and filter.
    let other = admin()
        .post(
            &rl(&key),
            json!({"object": {"url": "https://example.com/doc", "title": "Design doc"}}),
        )
        .await
        .expect(201)
        .body;
    let other_id = other["id"].as_i64().unwrap();
    let all = admin().get(&rl(&key)).await.expect(200).body;
    assert_eq!(all.as_array().unwrap().len(), 2);
    let one = admin()
        .get(&format!("{}?globalId={GLOBAL_ID_ESCAPED}", rl(&key)))
        .await
        .expect(200)
        .body;
    assert_eq!(one["id"], id);
    admin()
        .get(&format!("{}?globalId=nope", rl(&key)))
        .await
        .expect(404);

    // PUT replaces every field.
    admin()
        .put(
            &format!("{}/{other_id}", rl(&key)),
            json!({"relationship": "documents", "object": {"url": "https://example.com/doc2", "title": "Doc 2"}}),
        )
        .await
        .expect(204);
    let got = admin()
        .get(&format!("{}/{other_id}", rl(&key)))
        .await
        .expect(200)
        .body;
    assert_eq!(got["object"]["url"], "https://example.com/doc2");
    assert_eq!(got["relationship"], "documents");

    // The changelog records RemoteIssueLink.
    let log = admin()
        .get(&format!("/rest/api/2/issue/{key}/changelog"))
        .await
        .expect(200)
        .body;
    assert!(log.to_string().contains("RemoteIssueLink"), "{log}");

    // Delete by globalId and by id.
    admin()
        .delete(&format!("{}?globalId={GLOBAL_ID_ESCAPED}", rl(&key)))
        .await
        .expect(204);
    admin().get(&format!("{}/{id}", rl(&key))).await.expect(404);
    admin()
        .delete(&format!("{}?globalId={GLOBAL_ID_ESCAPED}", rl(&key)))
        .await
        .expect(404);
    admin()
        .delete(&format!("{}/{other_id}", rl(&key)))
        .await
        .expect(204);
    admin()
        .delete(&format!("{}/{other_id}", rl(&key)))
        .await
        .expect(404);
    assert_eq!(admin().get(&rl(&key)).await.expect(200).body, json!([]));
}

#[tokio::test]
async fn errors_and_permissions() {
    let p = project("RLB").await;
    let key = issue(&p, "Remote errors").await;
    let e = admin()
        .post(&rl(&key), json!({"globalId": "x"}))
        .await
        .expect(400);
    e.jira_error();
    let e = admin()
        .post(&rl(&key), json!({"object": {"title": "no url"}}))
        .await
        .expect(400);
    assert!(e.jira_error().contains("url"), "{}", e.text);
    admin().post(&rl(&key), json!([1])).await.expect(400);
    admin().get(&format!("{}/abc", rl(&key))).await.expect(400);
    admin()
        .get(&format!("{}/99999999", rl(&key)))
        .await
        .expect(404);
    admin().delete(&rl(&key)).await.expect(400);
    admin()
        .put(&format!("{}/99999999", rl(&key)), support_link())
        .await
        .expect(404);
    admin().get(&rl(&format!("{p}-999"))).await.expect(404);
    Client::anonymous()
        .post(&rl(&key), support_link())
        .await
        .expect(401);

    // A viewer may read links but not create them.
    let created = admin()
        .post(&rl(&key), support_link())
        .await
        .expect(201)
        .body;
    let (v, vpw) = user("rlv").await;
    admin()
        .delete(&format!(
            "/rest/api/2/project/{p}/role/10003?group=jira-users"
        ))
        .await
        .expect(204);
    admin()
        .post(
            &format!("/rest/api/2/project/{p}/role/10004"),
            json!({"user": [v]}),
        )
        .await
        .expect(200);
    let viewer = Client::basic(&v, &vpw);
    assert_eq!(
        viewer
            .get(&rl(&key))
            .await
            .expect(200)
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );
    viewer
        .post(&rl(&key), support_link())
        .await
        .expect(403)
        .jira_error();
    viewer
        .delete(&format!("{}/{}", rl(&key), created["id"]))
        .await
        .expect(403);
    // Someone who cannot browse the issue gets 404.
    let (o, opw) = user("rlo").await;
    Client::basic(&o, &opw).get(&rl(&key)).await.expect(404);
}
