//! Who am I, and Basic authentication with passwords.

use super::*;

#[tokio::test]
async fn myself_as_admin() {
    let r = Client::admin().get("/rest/api/2/myself").await.expect(200);
    assert_eq!(r.body["name"], "admin");
    assert_eq!(r.body["emailAddress"], "admin@localhost");
    assert_eq!(r.body["active"], true);
    assert!(r.body["accountId"].as_str().is_some_and(|a| a.len() == 24));
    let groups: Vec<&str> = r.body["groups"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert!(
        groups.contains(&"jira-administrators") && groups.contains(&"jira-users"),
        "{groups:?}"
    );
}

#[tokio::test]
async fn basic_with_username_or_email() {
    let (name, pw) = user("bue").await;
    let r = Client::basic(&name, &pw)
        .get("/rest/api/2/myself")
        .await
        .expect(200);
    assert_eq!(r.body["name"], json!(name));
    assert_eq!(r.body["displayName"], json!(format!("User {name}")));
    let r = Client::basic(&format!("{name}@example.com"), &pw)
        .get("/rest/api/2/myself")
        .await
        .expect(200);
    assert_eq!(r.body["name"], json!(name));
    assert_eq!(r.headers["x-ausername"], name.as_str());
    let r = Client::basic("admin@localhost", ADMIN_PASSWORD)
        .get("/rest/api/2/myself")
        .await
        .expect(200);
    assert_eq!(r.body["name"], "admin");
}

#[tokio::test]
async fn wrong_password_is_401_with_a_jira_body() {
    let (name, _) = user("bwp").await;
    let r = Client::basic(&name, "not-the-password")
        .get("/rest/api/2/myself")
        .await
        .expect(401);
    assert!(r.jira_error().contains("authenticated"), "{}", r.text);
    assert!(r.headers.contains_key(header::WWW_AUTHENTICATE));
    assert_eq!(r.headers["x-seraph-loginreason"], "AUTHENTICATED_FAILED");
    // Even on resources anonymous callers may read, bad credentials are refused.
    Client::basic(&name, "not-the-password")
        .get("/rest/api/2/serverInfo")
        .await
        .expect(401)
        .jira_error();
    Client::basic("no-such-user-ever", "whatever")
        .get("/rest/api/2/myself")
        .await
        .expect(401)
        .jira_error();
}

#[tokio::test]
async fn malformed_authorization_header_is_401() {
    for value in [
        "Basic",
        "Basic !!!not-base64!!!",
        "Digest abc",
        &format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode("no-colon")
        ),
    ] {
        let r = with_headers(
            Method::GET,
            "/rest/api/2/myself",
            &[("authorization", value)],
            None,
        )
        .await
        .expect(401);
        assert!(
            r.jira_error().contains("malformed") || r.jira_error().contains("authenticated"),
            "{value}: {}",
            r.text
        );
    }
}

#[tokio::test]
async fn anonymous_myself_is_401() {
    let r = Client::anonymous()
        .get("/rest/api/2/myself")
        .await
        .expect(401);
    assert!(r.jira_error().contains("authenticated"));
}
