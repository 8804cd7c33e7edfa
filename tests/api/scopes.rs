//! Token scopes on every surface: the original defect (a read-only token could write
//! through `/rest/api/2` and read through `/v2`), and a matrix generated from the route
//! table the router is built from — every route × a token of each scope.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::*;

/// A token of `user` with the given scopes (none: full access).
async fn token(user: &str, password: &str, scopes: &[&str]) -> String {
    let r = Client::basic(user, password)
        .post(
            "/rest/pat/latest/tokens",
            json!({"name": format!("scopes {}", scopes.join(" ")), "scopes": scopes}),
        )
        .await
        .expect(201);
    r.body["rawToken"].as_str().expect("rawToken").to_string()
}

/// The same token sent both ways Jira clients send one: Bearer, and Basic `user:token`.
fn both_ways(user: &str, token: &str) -> [Client; 2] {
    [Client::bearer(token), Client::basic(user, token)]
}

/// Adds `name` to the project's Members role so the user may create and edit issues.
async fn make_developer(project: &str, name: &str) {
    let roles = Client::admin()
        .get(&format!("/rest/api/2/project/{project}/role"))
        .await
        .expect(200);
    let url = roles.body["Members"].as_str().expect("Members role");
    let id = url.rsplit('/').next().expect("role id");
    Client::admin()
        .post(
            &format!("/rest/api/2/project/{project}/role/{id}"),
            json!({"user": [name]}),
        )
        .await
        .expect(200);
}

async fn upload(c: &Client, key: &str) -> Reply {
    let boundary = "scopes-test-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--{boundary}--\r\n"
    );
    let req = c
        .http
        .post(format!("{}/rest/api/2/issue/{key}/attachments", c.base))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("X-Atlassian-Token", "no-check")
        .body(body);
    Reply::read(c.authorize(req).send().await.expect("request")).await
}

/// A scope refusal: 403 whose message names the scope the operation needs.
fn refused_for_scope(r: &Reply, needs: &str) {
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert!(
        r.text.contains(needs),
        "the refusal should name the '{needs}' scope: {}",
        r.text
    );
}

#[tokio::test]
async fn a_read_only_token_cannot_write_through_the_jira_api() {
    let p = project("SCPJ").await;
    let key = issue(&p, "scoped").await;
    let (name, password) = user("scpj").await;
    make_developer(&p, &name).await;
    let reader = token(&name, &password, &["issues:read"]).await;
    let create = json!({"fields": {"project": {"key": p}, "summary": "by a reader", "issuetype": {"name": "Task"}}});
    let issue_path = format!("/rest/api/2/issue/{key}");

    for c in both_ways(&name, &reader) {
        let r = c.post("/rest/api/2/issue", create.clone()).await;
        refused_for_scope(&r, "write:jira-work");
        r.jira_error();
        let r = c
            .post(&format!("{issue_path}/comment"), json!({"body": "hi"}))
            .await;
        refused_for_scope(&r, "write:jira-work");
        let r = c
            .put(&issue_path, json!({"fields": {"summary": "changed"}}))
            .await;
        refused_for_scope(&r, "write:jira-work");
        let r = upload(&c, &key).await;
        refused_for_scope(&r, "write:jira-work");
        r.jira_error();
        // Reads are what the scope is for.
        let r = c.get(&issue_path).await.expect(200);
        assert_eq!(r.body["fields"]["summary"], "scoped");
    }
    let after = Client::admin().get(&issue_path).await.expect(200);
    assert_eq!(after.body["fields"]["summary"], "scoped");
    assert_eq!(after.body["fields"]["comment"]["total"], 0);
    assert_eq!(
        after.body["fields"]["attachment"]
            .as_array()
            .map(Vec::len)
            .unwrap_or_default(),
        0
    );

    // A token without scopes keeps the user's full access.
    let full = token(&name, &password, &[]).await;
    for c in both_ways(&name, &full) {
        c.post("/rest/api/2/issue", create.clone())
            .await
            .expect(201);
        c.post(&format!("{issue_path}/comment"), json!({"body": "hi"}))
            .await
            .expect(201);
        c.put(&issue_path, json!({"fields": {"summary": "changed"}}))
            .await
            .expect(204);
        upload(&c, &key).await.expect(200);
        c.get(&issue_path).await.expect(200);
    }
}

#[tokio::test]
async fn yandex_attachments_need_a_read_scope() {
    let p = project("SCPY").await;
    let key = issue(&p, "yandex").await;
    let (name, password) = user("scpy").await;
    let path = format!("/v2/issues/{key}/attachments");
    for scopes in [&["issues:write"][..], &["read:jira-user"][..]] {
        let c = Client::bearer(&token(&name, &password, scopes).await);
        let r = c.get(&path).await;
        refused_for_scope(&r, "read:jira-work");
        assert_eq!(
            r.body["statusCode"], 403,
            "Yandex's error shape: {}",
            r.text
        );
        assert!(r.body["errorMessages"].is_array(), "{}", r.text);
    }
    for scopes in [&["issues:read"][..], &["read:jira-work"][..], &[][..]] {
        let c = Client::bearer(&token(&name, &password, scopes).await);
        let r = c.get(&path).await.expect(200);
        assert!(r.body.is_array(), "{}", r.text);
    }
}

#[tokio::test]
async fn v1_and_jira_scopes_are_one_model() {
    let p = project("SCPV").await;
    let key = issue(&p, "v1").await;
    let (name, password) = user("scpv").await;
    make_developer(&p, &name).await;
    let links = format!("/v1/issues/{key}/links");
    let link = json!({"url": "https://example.com/x", "title": "x"});
    // Jira's names work on /v1, v1's on the Jira routes.
    let jira_read = Client::bearer(&token(&name, &password, &["read:jira-work"]).await);
    jira_read.get(&links).await.expect(200);
    let r = jira_read.post(&links, link.clone()).await;
    refused_for_scope(&r, "issues:write");
    assert_eq!(
        r.body["error"]["code"], "forbidden",
        "v1's shape: {}",
        r.text
    );
    let v1_write = Client::bearer(&token(&name, &password, &["issues:write"]).await);
    v1_write
        .post(
            &format!("/rest/api/2/issue/{key}/comment"),
            json!({"body": "w"}),
        )
        .await
        .expect(201);
    // Write does not imply read.
    let r = v1_write.get(&format!("/rest/api/2/issue/{key}")).await;
    refused_for_scope(&r, "read:jira-work");
    // Users need read:jira-user; work scopes do not reach them.
    let r = jira_read.get("/rest/api/2/myself").await;
    refused_for_scope(&r, "read:jira-user");
    let users = Client::bearer(&token(&name, &password, &["read:jira-user"]).await);
    users.get("/rest/api/2/myself").await.expect(200);
    // A password, and a token without scopes, have every scope.
    Client::basic(&name, &password)
        .get("/rest/api/2/myself")
        .await
        .expect(200);
}

/// A path template with its parameters filled in with something plausible that does
/// not exist (the handler may answer 400 or 404; the scope check comes first).
fn fill(template: &str) -> String {
    template
        .split('/')
        .map(|seg| match seg {
            "{key}" | "{issue_key}" | "{issue}" => "NOPE-1",
            "{*path}" => "app.js",
            s if s.starts_with('{') => "999999",
            s => s,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Asserts the error body has the shape of the surface `path` belongs to.
fn surface_shape(path: &str, r: &Reply) {
    if path.starts_with("/v1/") {
        assert_eq!(r.body["error"]["code"], "forbidden", "v1 shape: {}", r.text);
    } else if path.starts_with("/v2/") {
        assert_eq!(r.body["statusCode"], 403, "Yandex shape: {}", r.text);
    } else if path.starts_with("/rest/servicedeskapi/") {
        assert!(r.body["errorMessage"].is_string(), "JSM shape: {}", r.text);
        assert!(
            r.body["i18nErrorMessage"]["i18nKey"].is_string(),
            "JSM shape: {}",
            r.text
        );
    } else {
        r.jira_error();
    }
}

/// Every declared route × a token of each known scope, plus a token without scopes,
/// on a server of its own (the allowed requests reach real handlers).
#[tokio::test]
async fn every_route_answers_each_scope_as_its_table_says() {
    use tessera::auth::scopes::{Grants, Scope};
    let started = start_server();
    let base = started.server.base.clone();
    let on = |c: Client| Client {
        base: base.clone(),
        ..c
    };
    let name = unique_key("scpm").to_lowercase();
    let password = format!("pw-{name}-secret");
    on(Client::admin())
        .post(
            "/rest/api/2/user",
            json!({"name": name, "emailAddress": format!("{name}@example.com"), "displayName": "Matrix", "password": password}),
        )
        .await
        .expect(201);
    let mint = |scopes: Vec<&'static str>| {
        let c = on(Client::basic(&name, &password));
        async move {
            let r = c
                .post(
                    "/rest/pat/latest/tokens",
                    json!({"name": format!("m {}", scopes.join(" ")), "scopes": scopes}),
                )
                .await
                .expect(201);
            r.body["rawToken"].as_str().expect("rawToken").to_string()
        }
    };
    let mut callers: Vec<(String, Grants, Client)> = Vec::new();
    for scope in Scope::ALL {
        let token = mint(vec![scope.name()]).await;
        callers.push((
            scope.name().to_string(),
            Grants::Only(vec![scope]),
            on(Client::bearer(&token)),
        ));
    }
    let full = mint(vec![]).await;
    callers.push(("(none)".into(), Grants::Full, on(Client::bearer(&full))));

    let routes = tessera::api::routes();
    let table = routes.table();
    assert!(table.len() > 200, "the whole table: {}", table.len());
    let mut checked = 0;
    for route in table {
        let path = fill(&route.path);
        let method = Method::from_bytes(route.method.as_str().as_bytes()).expect("method");
        let body = (method == Method::POST || method == Method::PUT).then(|| json!({}));
        for (label, grants, c) in &callers {
            let r = c.send(method.clone(), &path, body.clone()).await;
            let refused = r.headers.get("x-tessera-scope-required");
            let what = format!(
                "{} {} with {label}: {} {}",
                route.method, route.path, r.status, r.text
            );
            if grants.check(route.access).is_err() {
                assert_eq!(r.status, StatusCode::FORBIDDEN, "{what}");
                assert!(refused.is_some(), "a scope refusal: {what}");
                surface_shape(&path, &r);
            } else {
                assert!(refused.is_none(), "allowed, yet refused: {what}");
                // The route exists for that method: not the router's 405 or fallback 404.
                assert_ne!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{what}");
                assert!(!r.text.contains("No Tessera resource answers"), "{what}");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, table.len() * callers.len());
    eprintln!(
        "scope matrix: {} routes x {} credentials = {checked} requests",
        table.len(),
        callers.len()
    );
}

/// The router holds no method the table does not declare: on every declared path, a
/// method the table lacks is the router's 405 (with full access, so nothing else could
/// refuse it). Together with the matrix above, the table and the router are the same set.
#[tokio::test]
async fn the_router_has_no_route_without_a_scope() {
    let (name, password) = user("scpc").await;
    let full = Client::bearer(&token(&name, &password, &[]).await);
    let reader = Client::bearer(&token(&name, &password, &["issues:read"]).await);
    let routes = tessera::api::routes();
    let table = routes.table();
    let declared: std::collections::HashSet<(String, String)> = table
        .iter()
        .map(|r| (r.method.to_string(), r.path.clone()))
        .collect();
    let paths: std::collections::BTreeSet<&str> = table.iter().map(|r| r.path.as_str()).collect();
    for path in paths {
        for method in [
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::DELETE,
            Method::PATCH,
        ] {
            if declared.contains(&(method.to_string(), path.to_string())) {
                continue;
            }
            let r = full.send(method.clone(), &fill(path), None).await;
            assert_eq!(
                r.status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path} is routed but declares no scope: {}",
                r.text
            );
        }
    }
    // The list the web UI offers is the model's, descriptions included.
    let listed = reader.get("/rest/pat/latest/scopes").await.expect(200);
    let names: Vec<&str> = listed
        .body
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert_eq!(names.len(), tessera::auth::scopes::Scope::ALL.len());
    assert!(
        names.contains(&"manage:jira-configuration"),
        "{}",
        listed.text
    );
    assert!(listed.body[0]["description"].is_string(), "{}", listed.text);
    // Paths no route matches are the fallback's 404 for scoped tokens too.
    for path in ["/rest/api/2/no-such-thing", "/v1/nothing", "/nowhere"] {
        reader.get(path).await.expect(404);
    }
}
