//! The native v1 API: links (shared with Jira remote links), attachments with signed
//! downloads, activity, sub-issues, cursor pagination, scopes and the v1 error object.

use std::collections::HashSet;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::attachments::{attach, png};
use crate::common::{Client, Reply, issue, project, server, user};

fn admin() -> Client {
    Client::admin()
}

/// Asserts the v1 error object and returns its code.
fn v1_error(r: &Reply) -> String {
    let e = &r.body["error"];
    assert!(
        e["code"].is_string() && e["message"].is_string(),
        "not a v1 error body: {}",
        r.text
    );
    assert!(
        !e["message"].as_str().unwrap_or_default().is_empty(),
        "empty message: {}",
        r.text
    );
    e["code"].as_str().unwrap_or_default().to_string()
}

/// A token of `user` with the given scopes.
async fn token(user: &str, password: &str, scopes: &[&str]) -> String {
    let r = Client::basic(user, password)
        .post(
            "/rest/pat/latest/tokens",
            json!({"name": format!("v1 {}", scopes.join(" ")), "scopes": scopes}),
        )
        .await
        .expect(201);
    r.body["rawToken"].as_str().expect("rawToken").to_string()
}

/// Walks a v1 list to the end, `page_size` at a time; returns every result.
async fn walk(c: &Client, path: &str, page_size: usize) -> Vec<Value> {
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut cursor = String::new();
    let mut all = Vec::new();
    for _ in 0..1000 {
        let r = c
            .get(&format!("{path}{sep}page_size={page_size}&cursor={cursor}"))
            .await
            .expect(200);
        let p = &r.body["pagination"];
        assert_eq!(p["pageSize"], page_size, "{}", r.text);
        assert_eq!(p["cursor"], cursor.as_str());
        let results = r.body["results"].as_array().expect("results").clone();
        assert_eq!(p["returnedCount"], results.len());
        all.extend(results);
        if !p["hasMore"].as_bool().expect("hasMore") {
            assert_eq!(p["nextCursor"], "");
            return all;
        }
        cursor = p["nextCursor"].as_str().expect("nextCursor").to_string();
        assert!(!cursor.is_empty());
    }
    panic!("the list never ended");
}

fn ids(list: &[Value]) -> Vec<String> {
    list.iter()
        .map(|v| v["id"].as_str().expect("id").to_string())
        .collect()
}

fn keys_of(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    k.sort();
    k
}

fn sorted(names: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

#[tokio::test]
async fn links_are_the_issues_remote_links_both_ways() {
    let p = project("VLNK").await;
    let key = issue(&p, "links").await;
    let base = format!("/v1/issues/{key}/links");

    let r = admin()
        .post(
            &base,
            json!({"url": "https://example.com/pull-request", "title": "Docs PR"}),
        )
        .await
        .expect(201);
    // Exactly the fields of the reference's example.
    assert_eq!(
        keys_of(&r.body),
        sorted(&["linkId", "id", "url", "title", "createdUtc"])
    );
    let link_id = r.body["linkId"].as_str().expect("linkId").to_string();
    assert!(link_id.starts_with("link_"), "{link_id}");
    assert_eq!(r.body["id"], link_id.as_str());
    let created = r.body["createdUtc"].as_str().expect("createdUtc");
    assert!(
        created.ends_with('Z') && created.len() == 20,
        "UTC with Z: {created}"
    );

    // The same link again returns the existing one with 200.
    let again = admin()
        .post(
            &base,
            json!({"url": "https://example.com/pull-request", "title": "Docs PR"}),
        )
        .await
        .expect(200);
    assert_eq!(again.body["linkId"], link_id.as_str());

    // Visible to Jira clients as a remote link.
    let jira = admin()
        .get(&format!("/rest/api/2/issue/{key}/remotelink"))
        .await
        .expect(200);
    let jira_links = jira.body.as_array().expect("array");
    assert_eq!(jira_links.len(), 1);
    assert_eq!(format!("link_{}", jira_links[0]["id"]), link_id);
    assert_eq!(
        jira_links[0]["object"]["url"],
        "https://example.com/pull-request"
    );
    assert_eq!(jira_links[0]["object"]["title"], "Docs PR");

    // A remote link made through Jira is a v1 link.
    admin()
        .post(
            &format!("/rest/api/2/issue/{key}/remotelink"),
            json!({"object": {"url": "https://ci.example.com/build/7", "title": "Build 7"}}),
        )
        .await
        .expect(201);
    let list = admin().get(&base).await.expect(200);
    let titles: Vec<&str> = list.body["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|l| l["title"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(titles, vec!["Docs PR", "Build 7"]);
    assert_eq!(list.body["pagination"]["totalCount"], 2);
    assert_eq!(list.body["pagination"]["pageSize"], 100);
    assert_eq!(list.body["pagination"]["hasMore"], false);

    // Delete through v1: gone for Jira too.
    admin()
        .delete(&format!("{base}/{link_id}"))
        .await
        .expect(204);
    let jira = admin()
        .get(&format!("/rest/api/2/issue/{key}/remotelink"))
        .await
        .expect(200);
    assert_eq!(jira.body.as_array().expect("array").len(), 1);
    let r = admin()
        .delete(&format!("{base}/{link_id}"))
        .await
        .expect(404);
    assert_eq!(v1_error(&r), "not_found");
    let r = admin()
        .delete(&format!("{base}/link_nope"))
        .await
        .expect(404);
    assert_eq!(v1_error(&r), "not_found");
}

#[tokio::test]
async fn link_creation_errors_use_the_v1_error_object() {
    let p = project("VLER").await;
    let key = issue(&p, "bad links").await;
    let base = format!("/v1/issues/{key}/links");

    let r = admin()
        .post(&base, json!({"title": "no url"}))
        .await
        .expect(400);
    assert_eq!(v1_error(&r), "invalid_request");
    assert!(r.body["error"]["details"]["url"].is_string(), "{}", r.text);
    let r = admin().post(&base, json!({})).await.expect(400);
    assert!(r.body["error"]["details"]["url"].is_string(), "{}", r.text);
    assert!(
        r.body["error"]["details"]["title"].is_string(),
        "{}",
        r.text
    );
    let r = admin()
        .post(&base, json!({"url": "javascript:alert(1)", "title": "x"}))
        .await
        .expect(400);
    assert_eq!(v1_error(&r), "invalid_request");
    let r = admin()
        .post(&base, json!({"url": 7, "title": "x"}))
        .await
        .expect(400);
    assert_eq!(v1_error(&r), "invalid_request");
    let r = admin()
        .raw(Method::POST, &base, "application/json", "{not json")
        .await
        .expect(400);
    assert_eq!(v1_error(&r), "invalid_request");
    let r = admin()
        .raw(Method::POST, &base, "application/json", "")
        .await
        .expect(400);
    assert_eq!(v1_error(&r), "invalid_request");

    // Unknown issues, routes and methods answer in the same shape.
    let r = admin()
        .post(
            "/v1/issues/NOPE-1/links",
            json!({"url": "https://example.com", "title": "x"}),
        )
        .await
        .expect(404);
    assert_eq!(v1_error(&r), "not_found");
    let r = admin().get("/v1/issues/NOPE-1/activity").await.expect(404);
    assert_eq!(v1_error(&r), "not_found");
    let r = admin().get("/v1/nothing-here").await.expect(404);
    assert_eq!(v1_error(&r), "not_found");
    let r = admin()
        .send(Method::PUT, &base, Some(json!({})))
        .await
        .expect(405);
    v1_error(&r);
    // Nothing was written by any of these.
    let list = admin().get(&base).await.expect(200);
    assert_eq!(list.body["pagination"]["totalCount"], 0);
}

#[tokio::test]
async fn scopes_decide_what_a_token_may_do() {
    let p = project("VSCP").await;
    let key = issue(&p, "scopes").await;
    let (name, password) = user("vscope").await;
    let read = Client::bearer(&token(&name, &password, &["issues:read"]).await);
    let write = Client::bearer(&token(&name, &password, &["issues:write"]).await);
    let both = Client::bearer(&token(&name, &password, &["issues:read", "issues:write"]).await);
    let base = format!("/v1/issues/{key}/links");
    let body = json!({"url": "https://example.com/s", "title": "scoped"});

    read.get(&base).await.expect(200);
    let r = read.post(&base, body.clone()).await.expect(403);
    assert_eq!(v1_error(&r), "forbidden");
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("issues:write")
    );
    let r = write.get(&base).await.expect(403);
    assert_eq!(v1_error(&r), "forbidden");
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("issues:read")
    );
    let created = both.post(&base, body.clone()).await.expect(201);
    let id = created.body["id"].as_str().expect("id");
    let r = read.delete(&format!("{base}/{id}")).await.expect(403);
    assert_eq!(v1_error(&r), "forbidden");
    write.delete(&format!("{base}/{id}")).await.expect(204);

    // No credentials, or wrong ones: 401 in the v1 shape.
    let r = Client::anonymous().get(&base).await.expect(401);
    assert_eq!(v1_error(&r), "unauthorized");
    let r = Client::bearer("tsr_not-a-real-token")
        .get(&base)
        .await
        .expect(401);
    assert_eq!(v1_error(&r), "unauthorized");
}

#[tokio::test]
async fn a_user_who_may_not_browse_the_project_gets_not_found() {
    let p = project("VPRM").await;
    let key = issue(&p, "private").await;
    let (name, password) = user("vprm").await;
    let outsider = Client::basic(&name, &password);
    // A member (through jira-users) reads the issue's links.
    outsider
        .get(&format!("/v1/issues/{key}/links"))
        .await
        .expect(200);
    // Out of the project's roles, the issue does not exist for them.
    admin()
        .delete(&format!(
            "/rest/api/2/project/{p}/role/10003?group=jira-users"
        ))
        .await
        .expect(204);
    for path in ["activity", "attachments", "links", "subissues"] {
        let r = outsider
            .get(&format!("/v1/issues/{key}/{path}"))
            .await
            .expect(404);
        assert_eq!(v1_error(&r), "not_found");
    }
    let r = outsider
        .post(
            &format!("/v1/issues/{key}/links"),
            json!({"url": "https://example.com", "title": "x"}),
        )
        .await
        .expect(404);
    assert_eq!(v1_error(&r), "not_found");
}

#[tokio::test]
async fn pagination_walks_to_the_end_under_concurrent_inserts() {
    let p = project("VPAG").await;
    let key = issue(&p, "many links").await;
    let base = format!("/v1/issues/{key}/links");
    for i in 0..30 {
        admin()
            .post(
                &base,
                json!({"url": format!("https://example.com/{i}"), "title": format!("before {i}")}),
            )
            .await
            .expect(201);
    }
    let all_before = walk(&admin(), &base, 100).await;
    assert_eq!(all_before.len(), 30);

    // Walk in small pages while another client keeps adding links.
    let writer = {
        let base = base.clone();
        tokio::spawn(async move {
            for i in 0..20 {
                admin()
                    .post(&base, json!({"url": format!("https://example.com/new/{i}"), "title": format!("during {i}")}))
                    .await
                    .expect(201);
            }
        })
    };
    let walked = walk(&admin(), &base, 7).await;
    writer.await.expect("writer");
    let walked_ids = ids(&walked);
    let unique: HashSet<&String> = walked_ids.iter().collect();
    assert_eq!(unique.len(), walked_ids.len(), "an item was repeated");
    for id in ids(&all_before) {
        assert!(walked_ids.contains(&id), "{id} was skipped");
    }
    let numbers: Vec<i64> = walked_ids
        .iter()
        .map(|i| i.trim_start_matches("link_").parse().expect("number"))
        .collect();
    assert!(
        numbers.windows(2).all(|w| w[0] < w[1]),
        "order: {numbers:?}"
    );
    assert_eq!(walk(&admin(), &base, 50).await.len(), 50);

    // Bad cursors and page sizes are clear 400s.
    for query in [
        "page_size=0",
        "page_size=1001",
        "page_size=ten",
        "cursor=not-a-cursor",
        "cursor=%%%",
    ] {
        let r = admin().get(&format!("{base}?{query}")).await.expect(400);
        assert_eq!(v1_error(&r), "invalid_request", "{query}");
    }
    // A cursor of one list is refused by another.
    let first = admin()
        .get(&format!("{base}?page_size=1"))
        .await
        .expect(200);
    let cursor = first.body["pagination"]["nextCursor"]
        .as_str()
        .expect("cursor");
    let r = admin()
        .get(&format!("/v1/issues/{key}/attachments?cursor={cursor}"))
        .await
        .expect(400);
    assert_eq!(v1_error(&r), "invalid_request");
}

/// A client that does not follow redirects, with admin credentials.
fn no_redirects() -> Client {
    let mut c = admin();
    c.http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    c
}

async fn get_bytes(url: &str) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let resp = reqwest::Client::new()
        .get(url)
        .send()
        .await
        .expect("request");
    let status = resp.status();
    let headers = resp.headers().clone();
    (status, headers, resp.bytes().await.expect("bytes").to_vec())
}

/// A signed link carries its user's access as it is when opened: a security level
/// set after the link was made closes it at once, not when it expires.
#[tokio::test]
async fn a_signed_link_stops_when_its_user_loses_sight_of_the_issue() {
    let admin = admin();
    let p = project("SLNK").await;
    let scheme = admin
        .post(
            "/rest/api/2/issuesecurityschemes",
            json!({"name": format!("Links {p}"), "levels": [{"name": "Admins", "members": [
                {"type": "group", "parameter": "jira-administrators"}]}]}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_str()
        .expect("id")
        .to_string();
    admin
        .put(
            "/rest/api/2/issuesecurityschemes/project",
            json!({"projectId": p, "schemeId": scheme}),
        )
        .await
        .expect(204);
    let key = issue(&p, "soon secret").await;
    let upload = admin
        .authorize(admin.http.post(format!("{}/rest/api/2/issue/{key}/attachments", admin.base)))
        .header("content-type", "multipart/form-data; boundary=XyZ")
        .header("x-atlassian-token", "no-check")
        .body("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--XyZ--\r\n")
        .send()
        .await
        .expect("upload");
    let att = Reply::read(upload).await.expect(200).body[0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let (name, pw) = user("slnk").await;
    let mut reader = Client::basic(&name, &pw);
    reader.http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let r = reader
        .get(&format!("/v1/issues/{key}/attachments/att_{att}/content"))
        .await
        .expect(302);
    let link = r.headers["location"]
        .to_str()
        .expect("location")
        .to_string();
    assert_eq!(get_bytes(&link).await.0, StatusCode::OK);
    admin
        .put(
            &format!("/rest/api/2/issue/{key}"),
            json!({"fields": {"security": {"name": "Admins"}}}),
        )
        .await
        .expect(204);
    let (status, _, body) = get_bytes(&link).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!String::from_utf8_lossy(&body).contains("hello"));
}

#[tokio::test]
async fn attachments_filters_fields_and_signed_downloads() {
    let p = project("VATT").await;
    let key = issue(&p, "files").await;
    let (name, password) = user("vatt").await;
    let image = png(300, 150);
    let uploaded = attach(
        &admin(),
        &key,
        &[
            ("file", "diagram.png", "image/png", &image),
            ("file", "main.rs", "text/plain", b"fn main() {}\n"),
        ],
    )
    .await;
    let other = attach(
        &Client::basic(&name, &password),
        &key,
        &[(
            "file",
            "overview.pdf",
            "application/pdf",
            b"%PDF-1.4\n%%EOF\n",
        )],
    )
    .await;
    let png_id = format!("att_{}", uploaded[0]["id"].as_str().expect("id"));
    let rs_id = format!("att_{}", uploaded[1]["id"].as_str().expect("id"));
    let pdf_id = format!("att_{}", other[0]["id"].as_str().expect("id"));
    let base = format!("/v1/issues/{key}/attachments");

    let list = admin().get(&base).await.expect(200);
    let results = list.body["results"].as_array().expect("results");
    assert_eq!(
        ids(results),
        vec![png_id.clone(), rs_id.clone(), pdf_id.clone()]
    );
    assert_eq!(list.body["pagination"]["totalCount"], 3);
    let first = &results[0];
    assert_eq!(
        keys_of(first),
        sorted(&[
            "id",
            "fileName",
            "contentType",
            "sizeBytes",
            "uploadedByUserAccountId",
            "uploadedByDisplayName",
            "uploadedUtc",
            "downloadUrl",
            "previewUrl",
            "isPreviewAvailable",
            "previewKind",
            "codeLanguage",
        ])
    );
    assert_eq!(first["fileName"], "diagram.png");
    assert_eq!(first["contentType"], "image/png");
    assert_eq!(first["sizeBytes"], image.len());
    assert_eq!(first["isPreviewAvailable"], true);
    assert_eq!(first["previewKind"], 1);
    assert_eq!(first["downloadUrl"], format!("{base}/{png_id}/content"));
    assert_eq!(first["previewUrl"], format!("{base}/{png_id}/preview"));
    let me = admin().get("/rest/api/2/myself").await.expect(200);
    assert_eq!(
        first["uploadedByUserAccountId"],
        format!("usr_{}", me.body["accountId"].as_str().expect("accountId"))
    );
    assert_eq!(results[1]["codeLanguage"], "rust");
    assert_eq!(results[1]["isPreviewAvailable"], false);
    assert_eq!(results[2]["previewKind"], 2);

    // Filters.
    let only = |r: Reply| ids(r.body["results"].as_array().expect("results"));
    assert_eq!(
        only(
            admin()
                .get(&format!("{base}?content_type=image/png"))
                .await
                .expect(200)
        ),
        vec![png_id.clone()]
    );
    assert_eq!(
        only(
            admin()
                .get(&format!("{base}?content_type=image/*"))
                .await
                .expect(200)
        ),
        vec![png_id.clone()]
    );
    assert_eq!(
        only(
            admin()
                .get(&format!("{base}?content_type=text/html"))
                .await
                .expect(200)
        ),
        Vec::<String>::new()
    );
    let theirs = admin()
        .get(&format!("/rest/api/2/user?username={name}"))
        .await
        .expect(200);
    let account = theirs.body["accountId"].as_str().expect("accountId");
    assert_eq!(
        only(
            admin()
                .get(&format!("{base}?created_by_user_account_id=usr_{account}"))
                .await
                .expect(200)
        ),
        vec![pdf_id.clone()]
    );

    // One attachment; one that is on another issue is not found through this one.
    let one = admin().get(&format!("{base}/{rs_id}")).await.expect(200);
    assert_eq!(one.body["fileName"], "main.rs");
    let elsewhere = issue(&p, "elsewhere").await;
    let r = admin()
        .get(&format!("/v1/issues/{elsewhere}/attachments/{rs_id}"))
        .await
        .expect(404);
    assert_eq!(v1_error(&r), "not_found");

    // Content: a 302 to a signed link that works without credentials.
    let r = no_redirects()
        .get(&format!("{base}/{rs_id}/content"))
        .await
        .expect(302);
    let location = r.headers["location"]
        .to_str()
        .expect("location")
        .to_string();
    assert!(location.starts_with(&server().base), "{location}");
    let (status, headers, bytes) = get_bytes(&location).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes, b"fn main() {}\n");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap_or_default()
            .starts_with("attachment")
    );

    // Tampering with any part of the link is refused.
    for tampered in [
        location.replace("/content?", "/preview?"),
        location.replace(&rs_id, &pdf_id),
        format!("{}0", location),
        location.replace("expires=", "expires=9"),
        location.replace("user=", "user=9"),
    ] {
        let resp = reqwest::Client::new()
            .get(&tampered)
            .send()
            .await
            .expect("request");
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{tampered}");
        let body: Value = resp.json().await.expect("json");
        assert_eq!(body["error"]["code"], "forbidden");
    }
    // An expired link (correctly signed) is refused.
    let number: i64 = rs_id.trim_start_matches("att_").parse().expect("id");
    let past = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64
        - 10;
    let signer: i64 = location
        .split("user=")
        .nth(1)
        .and_then(|rest| rest.split('&').next())
        .and_then(|u| u.parse().ok())
        .expect("the link names its user");
    let sig = server().app.attachments.attachment_link_signature(
        tessera::service::attachments::SignedPart::Content,
        number,
        signer,
        past,
    );
    let expired = format!(
        "{}/v1/files/{rs_id}/content?expires={past}&user={signer}&sig={sig}",
        server().base
    );
    let resp = reqwest::Client::new()
        .get(&expired)
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let body: Value = resp.json().await.expect("json");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("expired")
    );

    // Preview: a PNG for images; 404 not_found for files without one.
    let r = no_redirects()
        .get(&format!("{base}/{png_id}/preview"))
        .await
        .expect(302);
    let (status, headers, bytes) =
        get_bytes(r.headers["location"].to_str().expect("location")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "image/png");
    assert!(bytes.starts_with(b"\x89PNG"));
    let r = no_redirects()
        .get(&format!("{base}/{pdf_id}/preview"))
        .await
        .expect(404);
    assert_eq!(v1_error(&r), "not_found");

    // A deleted attachment's link stops working.
    let r = no_redirects()
        .get(&format!("{base}/{pdf_id}/content"))
        .await
        .expect(302);
    let location = r.headers["location"]
        .to_str()
        .expect("location")
        .to_string();
    admin()
        .delete(&format!(
            "/rest/api/2/attachment/{}",
            pdf_id.trim_start_matches("att_")
        ))
        .await
        .expect(204);
    let (status, _, _) = get_bytes(&location).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Ids are never given twice: a new upload does not take the deleted one's id, so
    // the old link cannot reach it.
    let newer = attach(
        &admin(),
        &key,
        &[("file", "newer.txt", "text/plain", b"newer")],
    )
    .await;
    assert_ne!(
        format!("att_{}", newer[0]["id"].as_str().expect("id")),
        pdf_id
    );
    let (status, _, _) = get_bytes(&location).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn activity_tells_the_history_with_filters_and_cursor() {
    let p = project("VACT").await;
    let key = issue(&p, "history").await;
    let (name, password) = user("vact").await;
    let other = Client::basic(&name, &password);
    let base = format!("/v1/issues/{key}/activity");

    let comment = other
        .post(
            &format!("/rest/api/2/issue/{key}/comment"),
            json!({"body": "first"}),
        )
        .await
        .expect(201);
    let comment_id = comment.body["id"].as_str().expect("id").to_string();
    other
        .put(
            &format!("/rest/api/2/issue/{key}/comment/{comment_id}"),
            json!({"body": "first, edited"}),
        )
        .await
        .expect(200);
    admin()
        .put(
            &format!("/rest/api/2/issue/{key}"),
            json!({"fields": {"summary": "history, renamed"}}),
        )
        .await
        .expect(204);
    admin()
        .post(
            &format!("/rest/api/2/issue/{key}/transitions"),
            json!({"transition": {"id": "41"}}),
        )
        .await
        .expect(204);
    attach(
        &admin(),
        &key,
        &[("file", "notes.txt", "text/plain", b"notes")],
    )
    .await;
    admin()
        .post(
            &format!("/v1/issues/{key}/links"),
            json!({"url": "https://example.com/doc", "title": "Doc"}),
        )
        .await
        .expect(201);
    admin()
        .delete(&format!("/rest/api/2/issue/{key}/comment/{comment_id}"))
        .await
        .expect(204);

    let r = admin().get(&base).await.expect(200);
    let events = r.body["results"].as_array().expect("results").clone();
    let types: Vec<&str> = events
        .iter()
        .map(|e| e["eventType"].as_str().unwrap_or_default())
        .collect();
    // Newest first. (The comment was deleted, so its creation is gone from the stream.)
    assert_eq!(
        types,
        vec![
            "issue-comment.deleted.v1",
            "issue-link.created.v1",
            "issue-attachment.created.v1",
            "issue.transitioned.v1",
            "issue.updated.v1",
            "issue-comment.updated.v1",
            "issue.created.v1",
        ],
        "{}",
        r.text
    );
    assert_eq!(
        keys_of(&events[0]),
        sorted(&[
            "id",
            "eventType",
            "actorUserAccountId",
            "occurredUtc",
            "sortOrder",
            "iconCss",
            "text"
        ])
    );
    let orders: Vec<i64> = events
        .iter()
        .map(|e| e["sortOrder"].as_i64().expect("sortOrder"))
        .collect();
    assert_eq!(orders, (1..=7).collect::<Vec<_>>());
    let text = |t: &str| {
        events
            .iter()
            .find(|e| e["eventType"] == t)
            .and_then(|e| e["text"].as_str())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(
        text("issue-comment.updated.v1"),
        format!("User {name} edited a comment.")
    );
    assert!(
        text("issue.transitioned.v1").contains("from To Do to Done"),
        "{}",
        text("issue.transitioned.v1")
    );
    assert!(text("issue-attachment.created.v1").contains("notes.txt"));
    assert!(text("issue.updated.v1").contains("summary"));
    assert!(text("issue-link.created.v1").contains("Doc"));
    for e in &events {
        assert!(e["occurredUtc"].as_str().unwrap_or_default().ends_with('Z'));
        assert!(e["iconCss"].as_str().unwrap_or_default().starts_with("fa-"));
        assert!(
            e["id"]
                .as_str()
                .unwrap_or_default()
                .starts_with("activity_")
        );
    }

    // Filters.
    let theirs = admin()
        .get(&format!("/rest/api/2/user?username={name}"))
        .await
        .expect(200);
    let account = theirs.body["accountId"].as_str().expect("accountId");
    let r = admin()
        .get(&format!("{base}?actor_user_account_id=usr_{account}"))
        .await
        .expect(200);
    let by_them: Vec<&str> = r.body["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|e| e["eventType"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(by_them, vec!["issue-comment.updated.v1"]);
    assert_eq!(
        r.body["results"][0]["actorUserAccountId"],
        format!("usr_{account}")
    );
    let r = admin()
        .get(&format!("{base}?event_type=issue.transitioned.v1"))
        .await
        .expect(200);
    assert_eq!(r.body["pagination"]["totalCount"], 1);
    let newest = events[0]["occurredUtc"].as_str().expect("time").to_string();
    let r = admin()
        .get(&format!("{base}?from_utc={newest}"))
        .await
        .expect(200);
    assert!(r.body["pagination"]["totalCount"].as_i64().expect("count") >= 1);
    let r = admin()
        .get(&format!("{base}?to_utc=2000-01-01T00:00:00Z"))
        .await
        .expect(200);
    assert_eq!(r.body["pagination"]["totalCount"], 0);
    for bad in [
        "event_type=issue.exploded.v1",
        "from_utc=yesterday",
        "to_utc=2025-13-01",
    ] {
        let r = admin().get(&format!("{base}?{bad}")).await.expect(400);
        assert_eq!(v1_error(&r), "invalid_request", "{bad}");
    }

    // Walking two at a time gives the same stream, with sortOrder counting on.
    let walked = walk(&admin(), &base, 2).await;
    assert_eq!(ids(&walked), ids(&events));
    let orders: Vec<i64> = walked
        .iter()
        .map(|e| e["sortOrder"].as_i64().expect("n"))
        .collect();
    assert_eq!(orders, (1..=7).collect::<Vec<_>>());
}

#[tokio::test]
async fn subissues_are_sub_tasks_with_filters() {
    let p = project("VSUB").await;
    let parent = issue(&p, "parent").await;
    let (name, _) = user("vsub").await;
    let mut children = Vec::new();
    for summary in ["open child", "assigned child", "done child"] {
        let r = admin()
            .post(
                "/rest/api/2/issue",
                json!({"fields": {"project": {"key": p}, "summary": summary, "issuetype": {"name": "Sub-task"}, "parent": {"key": parent}}}),
            )
            .await
            .expect(201);
        children.push(r.body["key"].as_str().expect("key").to_string());
    }
    admin()
        .put(
            &format!("/rest/api/2/issue/{}/assignee", children[1]),
            json!({"name": name}),
        )
        .await
        .expect(204);
    admin()
        .post(
            &format!("/rest/api/2/issue/{}/transitions", children[1]),
            json!({"transition": {"id": "21"}}),
        )
        .await
        .expect(204);
    admin()
        .post(
            &format!("/rest/api/2/issue/{}/transitions", children[2]),
            json!({"transition": {"id": "41"}}),
        )
        .await
        .expect(204);
    let base = format!("/v1/issues/{parent}/subissues");
    let keys = |r: &Reply| -> Vec<String> {
        r.body["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|s| s["issueKey"].as_str().unwrap_or_default().to_string())
            .collect()
    };

    let all = admin().get(&base).await.expect(200);
    assert_eq!(keys(&all), children);
    let first = &all.body["results"][1];
    assert_eq!(
        keys_of(first),
        sorted(&[
            "issueId",
            "issueKey",
            "title",
            "detailsUrl",
            "statusId",
            "statusName",
            "statusColor",
            "isCompleted",
            "primaryAssigneeUserAccountId",
            "primaryAssigneeDisplayName",
            "primaryAssigneeAvatarUrl",
            "primaryAssigneePrincipalKind",
        ])
    );
    assert_eq!(first["title"], "assigned child");
    assert_eq!(first["statusName"], "In Progress");
    assert_eq!(first["statusId"], "iss-status_3");
    assert_eq!(first["isCompleted"], false);
    assert_eq!(first["primaryAssigneeDisplayName"], format!("User {name}"));
    assert_eq!(first["primaryAssigneePrincipalKind"], 0);
    assert!(
        first["issueId"]
            .as_str()
            .unwrap_or_default()
            .starts_with("issue_")
    );
    assert!(
        first["statusColor"]
            .as_str()
            .unwrap_or_default()
            .starts_with('#')
    );
    assert_eq!(all.body["results"][2]["isCompleted"], true);
    assert!(all.body["results"][0]["primaryAssigneeUserAccountId"].is_null());

    let r = admin()
        .get(&format!("{base}?include_completed=false"))
        .await
        .expect(200);
    assert_eq!(keys(&r), children[..2].to_vec());
    let r = admin()
        .get(&format!(
            "{base}?status_id=iss-status_3&status_id=iss-status_10001"
        ))
        .await
        .expect(200);
    assert_eq!(keys(&r), children[1..].to_vec());
    // The comma-separated form lists the same values.
    let r = admin()
        .get(&format!("{base}?status_id=iss-status_3,iss-status_10001"))
        .await
        .expect(200);
    assert_eq!(keys(&r), children[1..].to_vec());
    let account = first["primaryAssigneeUserAccountId"]
        .as_str()
        .expect("account");
    let r = admin()
        .get(&format!(
            "{base}?assignee_user_account_id={account}&assignee_user_account_id=usr_nobody"
        ))
        .await
        .expect(200);
    assert_eq!(keys(&r), vec![children[1].clone()]);
    // The v1 issue id works in the path as well as the key.
    let parent_id = admin()
        .get(&format!("/rest/api/2/issue/{parent}"))
        .await
        .expect(200)
        .body["id"]
        .as_str()
        .expect("id")
        .to_string();
    let r = admin()
        .get(&format!("/v1/issues/issue_{parent_id}/subissues"))
        .await
        .expect(200);
    assert_eq!(keys(&r), children);
    for bad in ["include_completed=maybe", "status_id=open"] {
        let r = admin().get(&format!("{base}?{bad}")).await.expect(400);
        assert_eq!(v1_error(&r), "invalid_request", "{bad}");
    }
}
