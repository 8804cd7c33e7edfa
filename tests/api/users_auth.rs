//! Authentication (Basic with password or API token, Bearer tokens, cookie sessions, the
//! failed-login limit) and the user and group resources.

use base64::Engine;
use reqwest::{Method, header};
use serde_json::{Value, json};
use tessera::auth::Credentials;
use tessera::domain::UserId;
use tessera::error::Kind;
use tessera::service::users::{NewUserInput, UserRef};

use crate::common::{ADMIN_PASSWORD, Client, Reply, project, server, unique_key, user};

/// A request with arbitrary headers (the `Client` helper only does Basic and Bearer).
async fn with_headers(
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> Reply {
    let mut req = reqwest::Client::new().request(method, format!("{}{path}", server().base));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    Reply::read(req.send().await.expect("request")).await
}

async fn user_id(name: &str) -> UserId {
    server()
        .app
        .users
        .user_by_ref(&UserRef::Username(name.to_string()))
        .await
        .expect("lookup")
        .expect("user exists")
        .id
}

// ---- who am I, Basic ----

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

// ---- API tokens ----

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

// ---- sessions ----

fn session_cookie(r: &Reply) -> String {
    let set = r
        .headers
        .get(header::SET_COOKIE)
        .expect("Set-Cookie")
        .to_str()
        .unwrap()
        .to_string();
    set.split(';').next().unwrap().trim().to_string()
}

#[tokio::test]
async fn session_login_use_and_logout() {
    let (name, pw) = user("ses").await;
    let login = Client::anonymous()
        .post(
            "/rest/auth/1/session",
            json!({"username": name, "password": pw}),
        )
        .await
        .expect(200);
    assert_eq!(login.body["session"]["name"], "JSESSIONID");
    let value = login.body["session"]["value"]
        .as_str()
        .expect("value")
        .to_string();
    assert!(value.len() >= 32);
    let set_cookie = login.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(
        set_cookie.starts_with(&format!("JSESSIONID={value}")),
        "{set_cookie}"
    );
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    assert!(set_cookie.contains("Path=/"), "{set_cookie}");
    let cookie = session_cookie(&login);

    let current = with_headers(
        Method::GET,
        "/rest/auth/1/session",
        &[("cookie", &cookie)],
        None,
    )
    .await
    .expect(200);
    assert_eq!(current.body["name"], json!(name));
    assert!(current.body["self"].as_str().unwrap().contains(&name));
    let me = with_headers(
        Method::GET,
        "/rest/api/2/myself",
        &[("cookie", &cookie)],
        None,
    )
    .await
    .expect(200);
    assert_eq!(me.body["name"], json!(name));
    assert_eq!(me.headers["x-ausername"], name.as_str());

    let out = with_headers(
        Method::DELETE,
        "/rest/auth/1/session",
        &[("cookie", &cookie)],
        None,
    )
    .await
    .expect(204);
    assert!(
        out.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    // The stale cookie no longer authenticates: the request is simply anonymous.
    let me = with_headers(
        Method::GET,
        "/rest/api/2/myself",
        &[("cookie", &cookie)],
        None,
    )
    .await
    .expect(401);
    assert!(!me.jira_error().is_empty());
    let info = with_headers(
        Method::GET,
        "/rest/api/2/serverInfo",
        &[("cookie", &cookie)],
        None,
    )
    .await
    .expect(200);
    assert_eq!(info.headers["x-ausername"], "anonymous");
    with_headers(
        Method::GET,
        "/rest/auth/1/session",
        &[("cookie", &cookie)],
        None,
    )
    .await
    .expect(401);
    with_headers(
        Method::DELETE,
        "/rest/auth/1/session",
        &[("cookie", &cookie)],
        None,
    )
    .await
    .expect(401);
}

#[tokio::test]
async fn session_login_errors() {
    let (name, _) = user("sbe").await;
    let r = Client::anonymous()
        .post(
            "/rest/auth/1/session",
            json!({"username": name, "password": "wrong"}),
        )
        .await
        .expect(401);
    assert!(!r.jira_error().is_empty());
    assert!(!r.headers.contains_key(header::SET_COOKIE));
    Client::anonymous()
        .post(
            "/rest/auth/1/session",
            json!({"username": "ghost-nobody", "password": "x"}),
        )
        .await
        .expect(401)
        .jira_error();
    let r = Client::anonymous()
        .post("/rest/auth/1/session", json!({"username": name}))
        .await
        .expect(400);
    assert!(r.jira_error().contains("password"));
    Client::anonymous()
        .get("/rest/auth/1/session")
        .await
        .expect(401)
        .jira_error();
    // A session resource call with Basic credentials reports that user.
    let r = Client::admin()
        .get("/rest/auth/1/session")
        .await
        .expect(200);
    assert_eq!(r.body["name"], "admin");
}

#[tokio::test]
async fn failed_logins_are_throttled_per_account_for_one_client() {
    // In-process calls all come from one (unknown) client; HTTP clients at other
    // addresses are never affected (see login_throttle.rs).
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = tessera::config::Config::new(dir.path().to_path_buf());
    config.admin_password = Some("limiter-admin-password".into());
    config.login_attempts = 3;
    // `Services::open` blocks on the store; do it off the test's runtime.
    let (app, _) = std::thread::spawn(move || tessera::service::Services::open(config))
        .join()
        .expect("thread")
        .expect("open");
    let creds = |secret: &str| Credentials::Basic {
        login: "admin".into(),
        secret: secret.into(),
    };

    let ok = app
        .auth
        .authenticate(creds("limiter-admin-password"))
        .await
        .expect("right password works");
    assert_eq!(ok.user.username, "admin");
    for _ in 0..3 {
        let e = app
            .auth
            .authenticate(creds("wrong"))
            .await
            .expect_err("wrong password");
        assert_eq!(e.kind, Kind::Unauthenticated);
    }
    let e = app
        .auth
        .authenticate(creds("limiter-admin-password"))
        .await
        .expect_err("throttled");
    assert_eq!(e.kind, Kind::TooManyRequests);
    assert!(
        e.messages
            .join(" ")
            .contains("Too many failed login attempts")
    );
    // The session login is limited too, and so is the same account named by its email.
    let e = app
        .auth
        .login("admin", "limiter-admin-password")
        .await
        .expect_err("session login too");
    assert_eq!(e.kind, Kind::TooManyRequests);
    let by_mail = Credentials::Basic {
        login: "admin@localhost".into(),
        secret: "limiter-admin-password".into(),
    };
    assert_eq!(
        app.auth
            .authenticate(by_mail)
            .await
            .expect_err("same account by email")
            .kind,
        Kind::TooManyRequests
    );

    // Other accounts are unaffected.
    let input = NewUserInput {
        username: "other".into(),
        email: "other@example.com".into(),
        display_name: "Other".into(),
        password: Some("other-password".into()),
        admin: false,
    };
    app.users
        .create_user(None, input)
        .await
        .expect("create user");
    let other = |secret: &str| Credentials::Basic {
        login: "other".into(),
        secret: secret.into(),
    };
    assert_eq!(
        app.auth
            .authenticate(other("other-password"))
            .await
            .expect("other works")
            .user
            .username,
        "other"
    );

    // Failures spread over the username and the email count for one account.
    for login in ["other", "OTHER@example.com", "other"] {
        let e = app
            .auth
            .authenticate(Credentials::Basic {
                login: login.into(),
                secret: "wrong".into(),
            })
            .await
            .expect_err("wrong");
        assert_eq!(e.kind, Kind::Unauthenticated);
    }
    assert_eq!(
        app.auth
            .authenticate(other("other-password"))
            .await
            .expect_err("throttled")
            .kind,
        Kind::TooManyRequests
    );
}

// ---- users ----

#[tokio::test]
async fn get_user_by_username_and_account_id() {
    let (name, _) = user("gu").await;
    let admin = Client::admin();
    let r = admin
        .get(&format!("/rest/api/2/user?username={name}"))
        .await
        .expect(200);
    assert_eq!(r.body["name"], json!(name));
    assert_eq!(r.body["emailAddress"], json!(format!("{name}@example.com")));
    let account = r.body["accountId"].as_str().unwrap().to_string();
    let r = admin
        .get(&format!("/rest/api/2/user?accountId={account}"))
        .await
        .expect(200);
    assert_eq!(r.body["name"], json!(name));
    let r = admin
        .get(&format!("/rest/api/2/user?key={name}&expand=groups"))
        .await
        .expect(200);
    assert!(
        r.body["groups"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["name"] == "jira-users")
    );

    let r = admin
        .get("/rest/api/2/user?username=ghost-user-zz")
        .await
        .expect(404);
    assert!(r.jira_error().contains("ghost-user-zz"));
    let r = admin
        .get("/rest/api/2/user?accountId=000000000000000000000000")
        .await
        .expect(404);
    assert!(r.jira_error().contains("000000000000000000000000"));
    admin.get("/rest/api/2/user").await.expect(400).jira_error();
    Client::anonymous()
        .get(&format!("/rest/api/2/user?username={name}"))
        .await
        .expect(401)
        .jira_error();
}

#[tokio::test]
async fn create_and_delete_users() {
    let admin = Client::admin();
    let name = unique_key("cu").to_lowercase();
    let body = json!({"name": name, "emailAddress": format!("{name}@example.org"), "displayName": "Created User", "password": "created-user-password"});
    let r = admin
        .post("/rest/api/2/user", body.clone())
        .await
        .expect(201);
    assert_eq!(r.body["name"], json!(name));
    assert_eq!(r.body["displayName"], "Created User");
    assert!(
        r.body["self"]
            .as_str()
            .unwrap()
            .contains("/rest/api/2/user?accountId=")
    );
    assert!(
        !r.text.contains("created-user-password"),
        "the password is never echoed"
    );
    Client::basic(&name, "created-user-password")
        .get("/rest/api/2/myself")
        .await
        .expect(200);

    // Duplicates and invalid input.
    let r = admin.post("/rest/api/2/user", body).await.expect(400);
    assert!(r.body["errors"]["name"].is_string(), "{}", r.text);
    let r = admin
        .post("/rest/api/2/user", json!({"name": unique_key("cx").to_lowercase(), "emailAddress": format!("{name}@example.org"), "displayName": "Same mail"}))
        .await
        .expect(400);
    assert!(r.body["errors"]["emailAddress"].is_string(), "{}", r.text);
    let r = admin
        .post(
            "/rest/api/2/user",
            json!({"name": "has space", "emailAddress": "not-an-email"}),
        )
        .await
        .expect(400);
    assert!(
        r.body["errors"]["name"].is_string() && r.body["errors"]["emailAddress"].is_string(),
        "{}",
        r.text
    );

    // Only administrators create or delete users.
    let (plain, pw) = user("cun").await;
    let r = Client::basic(&plain, &pw)
        .post("/rest/api/2/user", json!({"name": unique_key("cy").to_lowercase(), "emailAddress": "y@example.org", "displayName": "Y"}))
        .await
        .expect(403);
    assert!(!r.jira_error().is_empty());
    Client::basic(&plain, &pw)
        .delete(&format!("/rest/api/2/user?username={name}"))
        .await
        .expect(403)
        .jira_error();
    Client::anonymous()
        .post("/rest/api/2/user", json!({"name": "anon"}))
        .await
        .expect(401)
        .jira_error();

    admin
        .delete(&format!("/rest/api/2/user?username={name}"))
        .await
        .expect(204);
    admin
        .get(&format!("/rest/api/2/user?username={name}"))
        .await
        .expect(404)
        .jira_error();
    Client::basic(&name, "created-user-password")
        .get("/rest/api/2/myself")
        .await
        .expect(401);
    admin
        .delete(&format!("/rest/api/2/user?username={name}"))
        .await
        .expect(404)
        .jira_error();
    let r = admin
        .delete("/rest/api/2/user?username=admin")
        .await
        .expect(400);
    assert!(r.jira_error().contains("logged in"));
}

#[tokio::test]
async fn user_search_and_picker() {
    let (name, pw) = user("usp").await;
    let admin = Client::admin();
    let r = admin
        .get(&format!("/rest/api/2/user/search?query={name}"))
        .await
        .expect(200);
    let found: Vec<&str> = r
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert_eq!(found, [name.as_str()]);
    let r = admin
        .get(&format!(
            "/rest/api/2/user/search?username={name}@example.com"
        ))
        .await
        .expect(200);
    assert_eq!(r.body[0]["name"], json!(name));
    let r = admin
        .get("/rest/api/2/user/search?query=zz-nobody-matches-this")
        .await
        .expect(200);
    assert_eq!(r.body, json!([]));
    admin
        .get("/rest/api/2/user/search?query=a&maxResults=-1")
        .await
        .expect(400)
        .jira_error();

    // Members hold "browse users" too.
    let r = Client::basic(&name, &pw)
        .get("/rest/api/2/user/search?query=admin")
        .await
        .expect(200);
    assert!(
        r.body
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["name"] == "admin")
    );

    let r = admin
        .get(&format!("/rest/api/2/user/picker?query={name}"))
        .await
        .expect(200);
    assert_eq!(r.body["total"], 1);
    let item = &r.body["users"][0];
    assert_eq!(item["name"], json!(name));
    assert_eq!(item["displayName"], json!(format!("User {name}")));
    assert!(item["html"].as_str().unwrap().contains(&name));
    assert!(r.body["header"].as_str().unwrap().contains("1"));
    Client::anonymous()
        .get("/rest/api/2/user/picker?query=a")
        .await
        .expect(401)
        .jira_error();
}

#[tokio::test]
async fn assignable_and_browse_user_searches() {
    let key = project("UAS").await;
    let other = project("UAS").await;
    let (name, _) = user("uas").await;
    let admin = Client::admin();

    let r = admin
        // The shared server holds every test's users: ask for more than one default page.
        .get(&format!(
            "/rest/api/2/user/assignable/search?project={key}&maxResults=1000"
        ))
        .await
        .expect(200);
    let names: Vec<&str> = r
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"admin"), "{names:?}");
    assert!(
        names.contains(&name.as_str()),
        "members are assignable: {names:?}"
    );
    let r = admin
        .get(&format!(
            "/rest/api/2/user/assignable/search?project={key}&username={name}"
        ))
        .await
        .expect(200);
    assert_eq!(r.body.as_array().unwrap().len(), 1);
    assert_eq!(r.body[0]["name"], json!(name));
    let r = admin
        .get("/rest/api/2/user/assignable/search")
        .await
        .expect(400);
    assert!(r.jira_error().contains("project"));
    admin
        .get("/rest/api/2/user/assignable/search?project=NOSUCHKEY")
        .await
        .expect(404)
        .jira_error();

    let r = admin
        .get(&format!(
            "/rest/api/2/user/assignable/multiProjectSearch?projectKeys={key},{other}"
        ))
        .await
        .expect(200);
    assert!(
        r.body
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["name"] == "admin")
    );
    admin
        .get("/rest/api/2/user/assignable/multiProjectSearch")
        .await
        .expect(400)
        .jira_error();

    let r = admin
        .get(&format!(
            "/rest/api/2/user/viewissue/search?project={key}&username={name}"
        ))
        .await
        .expect(200);
    assert_eq!(r.body[0]["name"], json!(name));
    let r = admin
        .get(&format!("/rest/api/2/user/viewissue/search?project={key}"))
        .await
        .expect(200);
    assert!(
        r.body
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["name"] == "admin")
    );
    admin
        .get("/rest/api/2/user/viewissue/search")
        .await
        .expect(400)
        .jira_error();

    // Removing the members' group drops the user from both searches.
    admin
        .delete(&format!(
            "/rest/api/2/project/{key}/role/10003?group=jira-users"
        ))
        .await
        .expect(204);
    let r = admin
        .get(&format!(
            "/rest/api/2/user/assignable/search?project={key}&username={name}"
        ))
        .await
        .expect(200);
    assert_eq!(r.body, json!([]));
    let r = admin
        .get(&format!(
            "/rest/api/2/user/viewissue/search?project={key}&username={name}"
        ))
        .await
        .expect(200);
    assert_eq!(r.body, json!([]));
}

#[tokio::test]
async fn groups_and_membership() {
    let (name, _) = user("grp").await;
    let admin = Client::admin();
    let r = admin
        .get(&format!("/rest/api/2/user/groups?username={name}"))
        .await
        .expect(200);
    let groups: Vec<&str> = r
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(groups, ["jira-users"]);

    let group = format!("team-{}", unique_key("G").to_lowercase());
    let r = admin
        .post("/rest/api/2/group", json!({"name": group}))
        .await
        .expect(201);
    assert_eq!(r.body["name"], json!(group));
    assert!(
        r.body["self"]
            .as_str()
            .unwrap()
            .contains(&format!("groupname={group}"))
    );
    admin
        .post("/rest/api/2/group", json!({"name": group}))
        .await
        .expect(400)
        .jira_error();
    admin
        .post("/rest/api/2/group", json!({"name": ""}))
        .await
        .expect(400)
        .jira_error();

    let r = admin
        .post(
            &format!("/rest/api/2/group/user?groupname={group}"),
            json!({"name": name}),
        )
        .await
        .expect(201);
    assert_eq!(r.body["name"], json!(group));
    let r = admin
        .get(&format!("/rest/api/2/user/groups?username={name}"))
        .await
        .expect(200);
    assert!(
        r.body
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["name"] == json!(group)),
        "{}",
        r.text
    );
    let me = admin
        .get(&format!("/rest/api/2/user?username={name}&expand=groups"))
        .await
        .expect(200);
    assert!(
        me.body["groups"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["name"] == json!(group))
    );

    admin
        .post(
            "/rest/api/2/group/user?groupname=no-such-group",
            json!({"name": name}),
        )
        .await
        .expect(404)
        .jira_error();
    admin
        .post(
            &format!("/rest/api/2/group/user?groupname={group}"),
            json!({"name": "ghost-user-q"}),
        )
        .await
        .expect(404)
        .jira_error();
    admin
        .post("/rest/api/2/group/user", json!({"name": name}))
        .await
        .expect(400)
        .jira_error();

    let (plain, pw) = user("grn").await;
    Client::basic(&plain, &pw)
        .post("/rest/api/2/group", json!({"name": format!("{group}-x")}))
        .await
        .expect(403)
        .jira_error();
    Client::basic(&plain, &pw)
        .post(
            &format!("/rest/api/2/group/user?groupname={group}"),
            json!({"name": plain}),
        )
        .await
        .expect(403)
        .jira_error();

    // The seed documents 200 for a removed member (it answered 204 before).
    admin
        .delete(&format!(
            "/rest/api/2/group/user?groupname={group}&username={name}"
        ))
        .await
        .expect(200);
    let r = admin
        .get(&format!("/rest/api/2/user/groups?username={name}"))
        .await
        .expect(200);
    assert!(
        !r.body
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["name"] == json!(group)),
        "{}",
        r.text
    );
    admin
        .delete(&format!(
            "/rest/api/2/group/user?groupname={group}&username={name}"
        ))
        .await
        .expect(400)
        .jira_error();
    admin
        .delete(&format!("/rest/api/2/group/user?groupname={group}"))
        .await
        .expect(400)
        .jira_error();
}
