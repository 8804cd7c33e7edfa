//! Failed-login throttling (issue 10 item 4): per (account, client address) and per
//! client address, never a lock that stops the real user elsewhere; `X-Forwarded-For`
//! only from a trusted proxy; bounded memory; unknown names cost a real verification.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{ADMIN_PASSWORD, Client, Server, start_server_with};

/// A: the client that fails. B: another client on the same machine.
const A: &str = "127.0.0.2";
const B: &str = "127.0.0.1";

async fn make_user(server: &Server, name: &str) -> String {
    let password = format!("pw-{name}-secret");
    Client::admin()
        .on(server)
        .post(
            "/rest/api/2/user",
            json!({"name": name, "emailAddress": format!("{name}@example.com"), "displayName": name, "password": password}),
        )
        .await
        .expect(201);
    password
}

struct Answer {
    status: StatusCode,
    retry_after: Option<u64>,
    seraph: Option<String>,
    body: Value,
}

/// `GET /rest/api/2/myself` with Basic credentials from `local`, optionally claiming to
/// forward for someone.
async fn myself(server: &Server, local: &str, user: &str, pw: &str, xff: Option<&str>) -> Answer {
    let http = reqwest::Client::builder()
        .local_address(local.parse::<std::net::IpAddr>().expect("ip"))
        .build()
        .expect("client");
    let mut req = http
        .get(format!("{}/rest/api/2/myself", server.base))
        .basic_auth(user, Some(pw));
    if let Some(xff) = xff {
        req = req.header("x-forwarded-for", xff);
    }
    let resp = req.send().await.expect("request");
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(String::from)
    };
    Answer {
        status: resp.status(),
        retry_after: header("retry-after").and_then(|v| v.parse().ok()),
        seraph: header("x-seraph-loginreason"),
        body: resp.json().await.unwrap_or(Value::Null),
    }
}

#[tokio::test]
async fn one_client_failing_does_not_lock_out_another() {
    let server = start_server_with(|c| c.login_attempts = 3).server;
    let pw = make_user(&server, "throttled").await;
    for _ in 0..3 {
        let r = myself(&server, A, "throttled", "wrong", None).await;
        assert_eq!(r.status, 401);
    }
    // A is throttled, even with the right password...
    let r = myself(&server, A, "throttled", &pw, None).await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.retry_after.is_some_and(|s| s >= 1), "Retry-After missing");
    assert_eq!(r.seraph.as_deref(), Some("AUTHENTICATION_DENIED"));
    assert!(r.body["errorMessages"].is_array(), "{}", r.body);
    let session = Client::anonymous()
        .on(&server)
        .bound_to(A)
        .post(
            "/rest/auth/1/session",
            json!({"username": "throttled", "password": pw}),
        )
        .await
        .expect(429);
    assert!(session.headers.contains_key("retry-after"));
    // ...while B logs in as the same user at once, by Basic and by session.
    let r = myself(&server, B, "throttled", &pw, None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["name"], "throttled");
    Client::anonymous()
        .on(&server)
        .bound_to(B)
        .post(
            "/rest/auth/1/session",
            json!({"username": "throttled", "password": pw}),
        )
        .await
        .expect(200);
    // And A itself may still use other accounts.
    let r = myself(&server, A, "admin", ADMIN_PASSWORD, None).await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[tokio::test]
async fn password_spraying_from_one_client_is_throttled() {
    let server = start_server_with(|c| c.login_client_attempts = 4).server;
    let pw = make_user(&server, "sprayed").await;
    make_user(&server, "sprayed2").await;
    for name in ["sprayed2", "nobody1", "nobody2", "admin"] {
        let r = myself(&server, A, name, "Winter2024!", None).await;
        assert_eq!(r.status, 401);
    }
    // One failure per account, but four accounts: A is throttled for every account.
    let r = myself(&server, A, "sprayed", &pw, None).await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.retry_after.is_some());
    let r = myself(&server, B, "sprayed", &pw, None).await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[tokio::test]
async fn forwarded_for_is_ignored_from_an_untrusted_peer() {
    let server = start_server_with(|c| c.login_attempts = 2).server;
    let pw = make_user(&server, "forged").await;
    for fake in ["203.0.113.1", "203.0.113.2"] {
        let r = myself(&server, A, "forged", "wrong", Some(fake)).await;
        assert_eq!(r.status, 401);
    }
    // A fresh forged address does not make A someone else.
    let r = myself(&server, A, "forged", &pw, Some("203.0.113.3")).await;
    assert_eq!(r.status, 429, "{}", r.body);
    let r = myself(&server, B, "forged", &pw, None).await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[tokio::test]
async fn forwarded_for_names_the_client_behind_a_trusted_proxy() {
    let server = start_server_with(|c| {
        c.login_attempts = 2;
        c.trusted_proxies = vec![A.parse().expect("proxy")];
    })
    .server;
    let pw = make_user(&server, "proxied").await;
    for _ in 0..2 {
        let r = myself(&server, A, "proxied", "wrong", Some("198.51.100.1")).await;
        assert_eq!(r.status, 401);
    }
    let r = myself(&server, A, "proxied", &pw, Some("198.51.100.1")).await;
    assert_eq!(r.status, 429, "the client behind the proxy is throttled");
    // Another client behind the same proxy is not; nor is one the client claims to
    // forward for (only the rightmost untrusted entry counts).
    let r = myself(&server, A, "proxied", &pw, Some("198.51.100.2")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = myself(
        &server,
        A,
        "proxied",
        &pw,
        Some("198.51.100.1, 198.51.100.3"),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // The proxy's own address is not throttled by its clients' failures.
    let r = myself(&server, A, "proxied", &pw, None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    // An untrusted peer forwarding for the throttled client is just itself.
    let r = myself(&server, B, "proxied", &pw, Some("198.51.100.1")).await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[tokio::test]
async fn hostile_login_names_keep_memory_bounded() {
    let server = start_server_with(|c| c.login_table_cap = 20).server;
    let checks = server.app.auth.password_checks();
    // Longer than any account name: refused before lookup or hashing.
    let huge = "x".repeat(300_000);
    let r = myself(&server, A, &huge, "pw", None).await;
    assert_eq!(r.status, 401);
    assert_eq!(
        server.app.auth.password_checks(),
        checks,
        "no hashing for it"
    );
    for n in 0..40 {
        let name = format!("{n:0>255}");
        let r = myself(&server, A, &name, "pw", None).await;
        assert_eq!(r.status, 401);
    }
    let (pairs, clients) = server.app.auth.login_failure_entries();
    assert!(pairs <= 20, "{pairs} entries for 40 names");
    assert_eq!(clients, 1);
}

#[tokio::test]
async fn unknown_users_cost_the_same_verification_as_wrong_passwords() {
    let server = start_server_with(|_| {}).server;
    make_user(&server, "timing").await;
    let before = server.app.auth.password_checks();
    let r = myself(&server, B, "no-such-user", "whatever", None).await;
    assert_eq!(r.status, 401);
    assert_eq!(
        server.app.auth.password_checks(),
        before + 1,
        "unknown user"
    );
    let r = myself(&server, B, "timing", "wrong", None).await;
    assert_eq!(r.status, 401);
    assert_eq!(
        server.app.auth.password_checks(),
        before + 2,
        "wrong password"
    );
}

/// Sixteen requests with one credential the cache has not seen (a client's first
/// burst, or every client at once after an expiry) run one argon2id check between
/// them, not sixteen.
#[tokio::test]
async fn a_burst_with_one_new_credential_verifies_it_once() {
    let server = std::sync::Arc::new(start_server_with(|_| {}).server);
    let password = make_user(&server, "burst").await;
    let before = server.app.auth.password_checks();
    let mut requests = Vec::new();
    for _ in 0..16 {
        let (server, password) = (server.clone(), password.clone());
        requests.push(tokio::spawn(async move {
            myself(&server, B, "burst", &password, None).await.status
        }));
    }
    for r in requests {
        assert_eq!(r.await.expect("task"), 200);
    }
    assert_eq!(server.app.auth.password_checks(), before + 1);
}
