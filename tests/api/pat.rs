//! Personal access tokens (`/rest/pat/latest/tokens`) and changing one's own password
//! (`PUT /rest/api/2/myself/password`).

use serde_json::json;

use crate::common::{Client, user};

const PAT: &str = "/rest/pat/latest/tokens";

#[tokio::test]
async fn tokens_are_created_used_listed_and_revoked() {
    let (name, password) = user("pat").await;
    let me = Client::basic(&name, &password);

    let created = me
        .post(PAT, json!({"name": "laptop", "expirationDuration": 30}))
        .await
        .expect(201);
    let raw = created.body["rawToken"]
        .as_str()
        .expect("rawToken")
        .to_string();
    let id = created.body["id"].as_i64().expect("id");
    assert_eq!(created.body["name"], "laptop");
    assert!(created.body["createdAt"].is_string());
    assert!(created.body["expiringAt"].is_string());

    // The raw token works as a Bearer token and as Basic email:token.
    let bearer = Client::bearer(&raw);
    let r = bearer.get("/rest/api/2/myself").await.expect(200);
    assert_eq!(r.body["name"], name.as_str());
    let basic = Client::basic(&format!("{name}@example.com"), &raw);
    basic.get("/rest/api/2/myself").await.expect(200);
    // With Basic, the login must be the owner's.
    Client::basic("admin", &raw)
        .get("/rest/api/2/myself")
        .await
        .expect(401);

    // The list never shows the secret.
    let list = me.get(PAT).await.expect(200);
    let tokens = list.body.as_array().expect("array");
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0]["id"].as_i64(), Some(id));
    assert_eq!(tokens[0]["name"], "laptop");
    assert!(tokens[0].get("rawToken").is_none());
    assert!(tokens[0].get("lastAccessedAt").is_some());
    assert!(!list.text.contains(&raw));

    // Someone else sees none of them and cannot revoke them.
    let admin = Client::admin();
    let theirs = admin.get(PAT).await.expect(200);
    assert!(
        theirs
            .body
            .as_array()
            .expect("array")
            .iter()
            .all(|t| t["id"].as_i64() != Some(id))
    );
    let r = admin.delete(&format!("{PAT}/{id}")).await.expect(404);
    r.jira_error();
    bearer.get("/rest/api/2/myself").await.expect(200);

    // Revoking stops the token at once.
    me.delete(&format!("{PAT}/{id}")).await.expect(204);
    bearer.get("/rest/api/2/myself").await.expect(401);
    basic.get("/rest/api/2/myself").await.expect(401);
    me.delete(&format!("{PAT}/{id}")).await.expect(404);
    assert_eq!(me.get(PAT).await.expect(200).body, json!([]));
}

#[tokio::test]
async fn token_requests_are_validated_and_need_a_caller() {
    let (name, password) = user("patv").await;
    let me = Client::basic(&name, &password);
    let r = me.post(PAT, json!({"name": "  "})).await.expect(400);
    assert!(r.body["errors"]["name"].is_string(), "{}", r.text);
    let r = me
        .post(PAT, json!({"name": "x", "expirationDuration": 0}))
        .await
        .expect(400);
    assert!(r.body["errors"]["expirationDuration"].is_string());
    let r = me
        .post(PAT, json!({"name": "x", "scopes": ["nope"]}))
        .await
        .expect(400);
    r.jira_error();
    me.delete(&format!("{PAT}/abc")).await.expect(404);
    Client::anonymous().get(PAT).await.expect(401);
    Client::anonymous()
        .post(PAT, json!({"name": "x"}))
        .await
        .expect(401);

    // A token without expiry has none; a scoped token cannot mint more tokens.
    let r = me
        .post(PAT, json!({"name": "ci", "scopes": ["issues:read"]}))
        .await
        .expect(201);
    assert!(r.body["expiringAt"].is_null());
    let scoped = Client::bearer(r.body["rawToken"].as_str().expect("raw"));
    scoped.get(PAT).await.expect(403);
    scoped.post(PAT, json!({"name": "more"})).await.expect(403);
}

#[tokio::test]
async fn a_user_changes_their_own_password() {
    let (name, password) = user("pwd").await;
    let me = Client::basic(&name, &password);
    let r = me
        .put(
            "/rest/api/2/myself/password",
            json!({"password": "new-secret-123", "currentPassword": "wrong-one"}),
        )
        .await
        .expect(400);
    assert!(
        r.body["errors"]["currentPassword"].is_string(),
        "{}",
        r.text
    );
    let r = me
        .put(
            "/rest/api/2/myself/password",
            json!({"password": "short", "currentPassword": password}),
        )
        .await
        .expect(400);
    assert!(r.body["errors"]["password"].is_string(), "{}", r.text);
    me.put(
        "/rest/api/2/myself/password",
        json!({"password": "new-secret-123", "currentPassword": password}),
    )
    .await
    .expect(204);
    Client::basic(&name, "new-secret-123")
        .get("/rest/api/2/myself")
        .await
        .expect(200);
    Client::basic(&name, &password)
        .get("/rest/api/2/myself")
        .await
        .expect(401);
    Client::anonymous()
        .put(
            "/rest/api/2/myself/password",
            json!({"password": "new-secret-123", "currentPassword": "x"}),
        )
        .await
        .expect(401);
}
