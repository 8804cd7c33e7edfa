//! What a hostile or unlucky client hits: text that once panicked the renderer, a
//! panicking handler, and error bodies of surfaces that have no handlers yet.

use serde_json::{Value, json};

use crate::common::{Client, issue, project, server};

/// Lines that start with `h` and a multi-byte character once panicked the renderer
/// (a byte slice inside a character), so the issue could not be opened at all.
const TRICKY: &str = "he’s right\nh€llo\nhi😀\nh1. ok";

#[tokio::test]
async fn multibyte_text_after_h_renders_everywhere() {
    let admin = Client::admin();
    let key = project("RND").await;
    let id = issue(&key, "Rendering").await;
    admin
        .put(
            &format!("/rest/api/2/issue/{id}"),
            json!({"fields": {"description": TRICKY, "environment": TRICKY}}),
        )
        .await
        .expect(204);
    admin
        .post(
            &format!("/rest/api/2/issue/{id}/comment"),
            json!({"body": TRICKY}),
        )
        .await
        .expect(201);

    let view = admin
        .get(&format!("/rest/api/2/issue/{id}?expand=renderedFields"))
        .await
        .expect(200)
        .body;
    let rendered = view["renderedFields"]["description"]
        .as_str()
        .unwrap_or_default();
    assert!(rendered.contains("he’s right"), "{rendered}");
    assert!(rendered.contains("<h1>ok</h1>"), "{rendered}");
    let environment = view["renderedFields"]["environment"]
        .as_str()
        .unwrap_or_default();
    assert!(environment.contains("hi😀"), "{environment}");

    let comments = admin
        .get(&format!(
            "/rest/api/2/issue/{id}/comment?expand=renderedBody"
        ))
        .await
        .expect(200)
        .body;
    let body = comments["comments"][0]["renderedBody"]
        .as_str()
        .unwrap_or_default();
    assert!(body.contains("h€llo"), "{body}");

    let found = admin
        .get(&format!(
            "/rest/api/2/search?jql=project%3D{key}&expand=renderedFields&fields=description,comment"
        ))
        .await
        .expect(200)
        .body;
    assert_eq!(found["issues"].as_array().map(Vec::len), Some(1), "{found}");
}

async fn boom() -> &'static str {
    panic!("deliberate test panic")
}

/// A route that panics, behind exactly the server's layers, on each surface's path.
#[tokio::test]
async fn a_panicking_handler_answers_500_in_its_surface_shape() {
    use tessera::api::routes::{ANY, Routes};
    let routes = Routes::new()
        .get("/rest/api/2/test-panic", ANY, boom)
        .get("/v1/test-panic", ANY, boom)
        .get("/v2/test-panic", ANY, boom)
        .get("/rest/servicedeskapi/test-panic", ANY, boom);
    let router = tessera::server::with_layers(server().app.clone(), routes);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, router).await });

    let http = reqwest::Client::new();
    for (path, shape) in [
        ("/rest/api/2/test-panic", "errorMessages"),
        ("/v1/test-panic", "error"),
        ("/v2/test-panic", "errorMessages"),
        ("/rest/servicedeskapi/test-panic", "errorMessage"),
    ] {
        // Twice on one client: the connection survives the panic.
        for _ in 0..2 {
            let resp = http
                .get(format!("{base}{path}"))
                .send()
                .await
                .expect("an answer");
            assert_eq!(resp.status().as_u16(), 500, "{path}");
            let request_id = resp
                .headers()
                .get("x-arequestid")
                .and_then(|v| v.to_str().ok())
                .map(String::from)
                .expect("a request id");
            let body: Value = resp.json().await.expect("a JSON body");
            assert!(body.get(shape).is_some(), "{path}: {body}");
            let text = body.to_string();
            assert!(text.contains(&request_id), "{path}: {text}");
            assert!(!text.contains("deliberate"), "internals echoed: {text}");
        }
    }
}

#[tokio::test]
async fn service_desk_paths_answer_404_in_their_own_shape() {
    // The knowledge base is not built: its path answers in JSM's shape.
    let reply = Client::admin()
        .get("/rest/servicedeskapi/knowledgebase/article")
        .await;
    assert_eq!(reply.status.as_u16(), 404);
    assert!(
        reply.body["errorMessage"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{}",
        reply.text
    );
    assert!(
        reply.body["i18nErrorMessage"]["i18nKey"].is_string(),
        "{}",
        reply.text
    );
}

/// Uploads are never served as something a browser runs: a script, a page or an SVG
/// comes back as opaque bytes to save, sandboxed; only raster images show inline.
#[tokio::test]
async fn no_upload_is_served_as_a_script_or_a_page() {
    let key = project("ATJS").await;
    let id = issue(&key, "Scripts").await;
    let admin = Client::admin();
    let added = crate::attachments::attach(
        &admin,
        &id,
        &[
            (
                "file",
                "evil.js",
                "text/javascript",
                b"alert(document.cookie)",
            ),
            (
                "file",
                "page.html",
                "text/html",
                b"<script>alert(1)</script>",
            ),
            (
                "file",
                "logo.svg",
                "image/svg+xml",
                b"<svg onload=\"alert(1)\"/>",
            ),
            ("file", "notes.txt", "text/plain", b"plain words"),
        ],
    )
    .await;
    assert_eq!(added.len(), 4);
    for a in &added {
        let url = a["content"].as_str().expect("content url");
        let resp = admin
            .http
            .get(url)
            .basic_auth("admin", Some(crate::common::ADMIN_PASSWORD))
            .send()
            .await
            .expect("download");
        assert_eq!(resp.status().as_u16(), 200);
        let h = resp.headers();
        let name = &a["filename"];
        assert_eq!(h["content-type"], "application/octet-stream", "{name}");
        let disposition = h["content-disposition"].to_str().unwrap_or_default();
        assert!(
            disposition.starts_with("attachment;"),
            "{name}: {disposition}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff", "{name}");
        let csp = h["content-security-policy"].to_str().unwrap_or_default();
        assert!(
            csp.split(';').any(|d| d.trim() == "sandbox"),
            "{name}: {csp}"
        );
    }
}

/// A parent in another project (which the caller may not be allowed to see) and a
/// parent that does not exist get the same answer, so the error tells nothing.
#[tokio::test]
async fn a_parent_elsewhere_is_answered_as_a_missing_one() {
    let admin = Client::admin();
    let here = project("PRH").await;
    let elsewhere = project("PRE").await;
    let foreign = issue(&elsewhere, "Private parent").await;
    let mut answers = Vec::new();
    for parent in [foreign.as_str(), &format!("{here}-999999")] {
        let reply = admin
            .post(
                "/rest/api/2/issue",
                json!({"fields": {
                    "project": {"key": here},
                    "summary": "child",
                    "issuetype": {"name": "Sub-task"},
                    "parent": {"key": parent},
                }}),
            )
            .await
            .expect(400);
        answers.push(reply.body);
    }
    assert_eq!(answers[0], answers[1]);
    assert!(
        !answers[0].to_string().contains(&elsewhere),
        "{}",
        answers[0]
    );
}
