//! Cookie sessions: login, logout, expiry, the cross-site rule.

use super::*;

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
