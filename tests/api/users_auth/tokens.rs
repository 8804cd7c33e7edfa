//! API tokens: Basic and Bearer, labels, scopes, expiry, revocation.

use super::*;

#[tokio::test]
async fn api_tokens_as_basic_and_bearer() {
    let (name, _) = user("tok").await;
    let id = user_id(&name).await;
    let app = &server().app;
    let (secret, token) = app
        .auth
        .create_token(None, id, "integration test", vec![])
        .await
        .expect("token");
    assert!(secret.starts_with("tsr_"));
    assert_eq!(token.label, "integration test");
    assert!(
        app.auth
            .tokens_of(id)
            .await
            .expect("tokens")
            .iter()
            .any(|t| t.id == token.id)
    );

    let r = Client::basic(&format!("{name}@example.com"), &secret)
        .get("/rest/api/2/myself")
        .await
        .expect(200);
    assert_eq!(r.body["name"], json!(name));
    let r = Client::basic(&name, &secret)
        .get("/rest/api/2/myself")
        .await
        .expect(200);
    assert_eq!(r.body["name"], json!(name));
    let r = Client::bearer(&secret)
        .get("/rest/api/2/myself")
        .await
        .expect(200);
    assert_eq!(r.body["name"], json!(name));
    let r = with_headers(
        Method::GET,
        "/rest/api/2/myself",
        &[("authorization", &format!("OAuth {secret}"))],
        None,
    )
    .await
    .expect(200);
    assert_eq!(r.body["name"], json!(name));

    // A token with somebody else's login is refused.
    let (other, _) = user("tko").await;
    Client::basic(&other, &secret)
        .get("/rest/api/2/myself")
        .await
        .expect(401)
        .jira_error();
    Client::basic("admin", &secret)
        .get("/rest/api/2/myself")
        .await
        .expect(401)
        .jira_error();
    // Made-up tokens are refused.
    Client::bearer("tsr_made-up-token")
        .get("/rest/api/2/myself")
        .await
        .expect(401)
        .jira_error();
    Client::basic(&name, "tsr_made-up-token")
        .get("/rest/api/2/myself")
        .await
        .expect(401)
        .jira_error();

    // Labels are validated.
    let e = app
        .auth
        .create_token(None, id, "   ", vec![])
        .await
        .expect_err("empty label");
    assert_eq!(e.kind, Kind::BadRequest);
    let e = app
        .auth
        .create_token(None, id, "scoped", vec!["launch:missiles".into()])
        .await
        .expect_err("bad scope");
    assert!(e.fields["scopes"].contains("launch:missiles"));
}

#[tokio::test]
async fn revoked_token_is_refused_at_once() {
    let (name, _) = user("tkr").await;
    let id = user_id(&name).await;
    let app = &server().app;
    let (secret, token) = app
        .auth
        .create_token(None, id, "short-lived", vec![])
        .await
        .expect("token");
    Client::bearer(&secret)
        .get("/rest/api/2/myself")
        .await
        .expect(200);
    app.auth
        .revoke_token(None, id, token.id)
        .await
        .expect("revoke");
    let r = Client::bearer(&secret)
        .get("/rest/api/2/myself")
        .await
        .expect(401);
    assert!(!r.jira_error().is_empty());
    Client::basic(&name, &secret)
        .get("/rest/api/2/myself")
        .await
        .expect(401);
    assert_eq!(
        app.auth
            .revoke_token(None, id, token.id)
            .await
            .expect_err("already gone")
            .kind,
        Kind::NotFound
    );
}

#[tokio::test]
async fn changed_password_takes_effect_at_once() {
    let (name, old) = user("pwc").await;
    let id = user_id(&name).await;
    // Warm the password cache with the old password.
    Client::basic(&name, &old)
        .get("/rest/api/2/myself")
        .await
        .expect(200);
    let new = "a-brand-new-password";
    let app = &server().app;
    assert_eq!(
        app.users
            .set_password(None, id, "short")
            .await
            .expect_err("too short")
            .kind,
        Kind::BadRequest
    );
    app.users
        .set_password(None, id, new)
        .await
        .expect("set password");
    Client::basic(&name, &old)
        .get("/rest/api/2/myself")
        .await
        .expect(401)
        .jira_error();
    let r = Client::basic(&name, new)
        .get("/rest/api/2/myself")
        .await
        .expect(200);
    assert_eq!(r.body["name"], json!(name));
}

#[tokio::test]
async fn passwords_and_tokens_are_never_stored_in_plain_text() {
    let (name, pw) = user("sec").await;
    let id = user_id(&name).await;
    let (secret, _) = server()
        .app
        .auth
        .create_token(None, id, "at rest", vec![])
        .await
        .expect("token");
    let login = Client::anonymous()
        .post(
            "/rest/auth/1/session",
            json!({"username": name, "password": pw}),
        )
        .await
        .expect(200);
    let session = login.body["session"]["value"].as_str().unwrap().to_string();
    // Both work, so they are in the database in some form.
    Client::bearer(&secret)
        .get("/rest/api/2/myself")
        .await
        .expect(200);
    let mut files = Vec::new();
    let mut dirs = vec![server().data_dir.clone()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p)
            } else {
                files.push(p)
            }
        }
    }
    assert!(
        files
            .iter()
            .any(|f| f.file_name().is_some_and(|n| n == "tessera.db")),
        "{files:?}"
    );
    for f in &files {
        let bytes = std::fs::read(f).unwrap_or_default();
        for needle in [pw.as_str(), secret.as_str(), session.as_str()] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "{} holds a secret in plain text",
                f.display()
            );
        }
    }
}
