//! Entity properties of projects, issue types, users and dashboard items: keys, get,
//! PUT 201/200, delete 204/404, the 32 KiB limit, and who may read and write each.

use serde_json::json;

use crate::common::{Client, project, user};

fn admin() -> Client {
    Client::admin()
}

/// The shared lifecycle on one property collection path (`.../properties`).
async fn lifecycle(client: &Client, base: &str, query: &str) {
    let key = format!("prop{}", std::process::id());
    let one = format!("{base}/{key}{query}");
    client.get(&one).await.expect(404).jira_error();
    client.put(&one, json!({"a": 1})).await.expect(201);
    client
        .put(&one, json!({"a": 2, "list": [1, 2]}))
        .await
        .expect(200);
    let got = client.get(&one).await.expect(200).body;
    assert_eq!(got["key"], key.as_str());
    assert_eq!(got["value"]["a"], 2);
    let keys = client.get(&format!("{base}{query}")).await.expect(200).body;
    assert!(
        keys["keys"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["key"] == key.as_str()
                && k["self"].as_str().is_some_and(|s| s.contains(&key))),
        "{keys}"
    );
    let e = client
        .put(&format!("{base}/big{query}"), json!("x".repeat(33_000)))
        .await
        .expect(400);
    assert!(e.jira_error().contains("too large"), "{}", e.text);
    client.delete(&one).await.expect(204);
    client.delete(&one).await.expect(404);
}

#[tokio::test]
async fn project_properties() {
    let p = project("PRP").await;
    let base = format!("/rest/api/2/project/{p}/properties");
    lifecycle(&admin(), &base, "").await;
    admin()
        .put(&format!("{base}/shared"), json!(true))
        .await
        .expect(201);

    // A member may read but not write; an outsider sees no project.
    let (m, mpw) = user("prm").await;
    let member = Client::basic(&m, &mpw);
    assert_eq!(
        member.get(&format!("{base}/shared")).await.expect(200).body["value"],
        true
    );
    member
        .put(&format!("{base}/shared"), json!(false))
        .await
        .expect(403);
    member.delete(&format!("{base}/shared")).await.expect(403);
    admin()
        .get("/rest/api/2/project/NOSUCHPRJ/properties")
        .await
        .expect(404);
    admin()
        .delete(&format!(
            "/rest/api/2/project/{p}/role/10003?group=jira-users"
        ))
        .await
        .expect(204);
    member.get(&base).await.expect(404);
    Client::anonymous().get(&base).await.expect(401);
}

#[tokio::test]
async fn issue_type_properties() {
    // 10003 is the default Story type.
    let base = "/rest/api/2/issuetype/10003/properties";
    lifecycle(&admin(), base, "").await;
    let k = format!("itp{}", std::process::id());
    admin()
        .put(&format!("{base}/{k}"), json!({"x": 1}))
        .await
        .expect(201);
    let (u, pw) = user("itp").await;
    let someone = Client::basic(&u, &pw);
    someone.get(&format!("{base}/{k}")).await.expect(200);
    someone
        .put(&format!("{base}/{k}"), json!(1))
        .await
        .expect(403);
    someone.delete(&format!("{base}/{k}")).await.expect(403);
    admin()
        .get("/rest/api/2/issuetype/99999/properties")
        .await
        .expect(404);
    admin()
        .get("/rest/api/2/issuetype/story/properties")
        .await
        .expect(400);
    admin().delete(&format!("{base}/{k}")).await.expect(204);
}

#[tokio::test]
async fn user_properties() {
    let (u, pw) = user("usp").await;
    let me = Client::basic(&u, &pw);
    // Own properties, named or implied.
    lifecycle(
        &me,
        "/rest/api/2/user/properties",
        &format!("?username={u}"),
    )
    .await;
    me.put("/rest/api/2/user/properties/theme", json!("dark"))
        .await
        .expect(201);
    let mine = me
        .get(&format!("/rest/api/2/user/properties/theme?username={u}"))
        .await
        .expect(200)
        .body;
    assert_eq!(mine["value"], "dark");
    // An administrator may read them; another user may not.
    admin()
        .get(&format!("/rest/api/2/user/properties/theme?username={u}"))
        .await
        .expect(200);
    let (o, opw) = user("uso").await;
    let other = Client::basic(&o, &opw);
    other
        .get(&format!("/rest/api/2/user/properties/theme?username={u}"))
        .await
        .expect(403);
    other
        .put(
            &format!("/rest/api/2/user/properties/theme?username={u}"),
            json!("light"),
        )
        .await
        .expect(403);
    admin()
        .get("/rest/api/2/user/properties?username=nobody-here")
        .await
        .expect(404);
    let account = admin()
        .get(&format!("/rest/api/2/user?username={u}"))
        .await
        .expect(200)
        .body["accountId"]
        .as_str()
        .unwrap()
        .to_string();
    let by_account = admin()
        .get(&format!("/rest/api/2/user/properties?accountId={account}"))
        .await
        .expect(200)
        .body;
    assert!(by_account.to_string().contains("theme"), "{by_account}");
}

#[tokio::test]
async fn dashboard_item_properties_answer_404_without_dashboards() {
    let base = "/rest/api/2/dashboard/10000/items/1/properties";
    let e = admin().get(base).await.expect(404);
    assert!(e.jira_error().contains("dashboard"), "{}", e.text);
    admin()
        .put(&format!("{base}/k"), json!(1))
        .await
        .expect(404);
    admin().get(&format!("{base}/k")).await.expect(404);
    admin().delete(&format!("{base}/k")).await.expect(404);
}
