//! Who sees a service desk's requests, on every surface: a customer only their own, the
//! ones they participate in and the ones shared with their organizations — never
//! another customer's request, its comments, attachments or count — through JSM,
//! `/rest/api/2/issue`, `/rest/api/2/search`, v1 and Yandex; agents see every request;
//! outsiders none.

use serde_json::json;

use crate::common::*;
use crate::servicedesk::{DeleteWith, SD, desk};

#[tokio::test]
async fn customers_see_only_their_own_requests_everywhere() {
    let d = desk("SDX").await;
    let mine = d.raise(&d.c1, "c1 printer jam").await;
    let theirs = d.raise(&d.c2, "zanzibar c2 salary question").await;
    // An attachment and a comment on c2's request.
    d.c2.post(
        &format!("{SD}/request/{theirs}/comment"),
        json!({"body": "zanzibar details", "public": true}),
    )
    .await
    .expect(201);
    let boundary = "sdx-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"zanzibar.txt\"\r\nContent-Type: text/plain\r\n\r\nsecret\r\n--{boundary}--\r\n"
    );
    let req = d
        .admin
        .http
        .post(format!(
            "{}/rest/api/2/issue/{theirs}/attachments",
            d.admin.base
        ))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("X-Atlassian-Token", "no-check")
        .body(body);
    let up = Reply::read(d.admin.authorize(req).send().await.expect("upload"))
        .await
        .expect(200);
    let attachment = up.body[0]["id"]
        .as_str()
        .map(String::from)
        .unwrap_or_else(|| up.body[0]["id"].to_string());

    // JSM: c1 lists and reads only their own.
    let list =
        d.c1.get(&format!("{SD}/request?requestOwnership=ALL_REQUESTS"))
            .await
            .expect(200);
    assert_eq!(list.body["size"], 1, "{}", list.text);
    assert_eq!(list.body["values"][0]["issueKey"], mine.as_str());
    for path in [
        format!("{SD}/request/{theirs}"),
        format!("{SD}/request/{theirs}/comment"),
        format!("{SD}/request/{theirs}/attachment"),
        format!("{SD}/request/{theirs}/participant"),
        format!("{SD}/request/{theirs}/status"),
    ] {
        let r = d.c1.get(&path).await.expect(404);
        assert!(!r.text.contains("zanzibar"), "{path}: {}", r.text);
    }
    d.c1.post(
        &format!("{SD}/request/{theirs}/comment"),
        json!({"body": "hi", "public": true}),
    )
    .await
    .expect(404);

    // Jira REST: the issue, its comments and attachment are missing to c1.
    d.c1.get(&format!("/rest/api/2/issue/{theirs}"))
        .await
        .expect(404);
    d.c1.get(&format!("/rest/api/2/issue/{theirs}/comment"))
        .await
        .expect(404);
    d.c1.get(&format!("/rest/api/2/attachment/{attachment}"))
        .await
        .expect(404);
    d.c1.get(&format!("/rest/api/2/issue/{mine}"))
        .await
        .expect(200);

    // JQL counts and results.
    let jql = format!("project = {}", d.key);
    let s =
        d.c1.post(
            "/rest/api/2/search",
            json!({"jql": jql, "fields": ["summary"]}),
        )
        .await
        .expect(200);
    assert_eq!(s.body["total"], 1, "{}", s.text);
    assert!(!s.text.contains("zanzibar"));
    let s =
        d.c1.post(
            "/rest/api/2/search",
            json!({"jql": "text ~ zanzibar", "fields": ["summary"]}),
        )
        .await
        .expect(200);
    assert_eq!(s.body["total"], 0, "{}", s.text);
    let s = d
        .agent
        .post("/rest/api/2/search", json!({"jql": jql}))
        .await
        .expect(200);
    assert_eq!(s.body["total"], 2, "{}", s.text);
    let s = d
        .outsider
        .post("/rest/api/2/search", json!({"jql": jql}))
        .await;
    assert!(
        s.status == 400 || s.body["total"] == 0,
        "an outsider counts nothing: {}",
        s.text
    );

    // v1 and Yandex follow the same check.
    d.c1.get(&format!("/v1/issues/{theirs}/attachments"))
        .await
        .expect(404);
    d.c1.get(&format!("/v1/issues/{theirs}/activity"))
        .await
        .expect(404);
    d.c1.get(&format!("/v2/issues/{theirs}/attachments"))
        .await
        .expect(404);

    // Agents see both; outsiders neither.
    let all = d
        .agent
        .get(&format!(
            "{SD}/request?requestOwnership=ALL_REQUESTS&serviceDeskId={}",
            d.id
        ))
        .await
        .expect(200);
    assert_eq!(all.body["size"], 2, "{}", all.text);
    d.agent
        .get(&format!("{SD}/request/{theirs}/attachment"))
        .await
        .expect(200);
    for key in [&mine, &theirs] {
        d.outsider
            .get(&format!("{SD}/request/{key}"))
            .await
            .expect(404);
        d.outsider
            .get(&format!("/rest/api/2/issue/{key}"))
            .await
            .expect(404);
    }
    let none = d
        .outsider
        .get(&format!("{SD}/request?requestOwnership=ALL_REQUESTS"))
        .await
        .expect(200);
    assert_eq!(none.body["size"], 0);

    // Sharing through participation opens exactly that request, and closing it again hides it.
    d.c2.post(
        &format!("{SD}/request/{theirs}/participant"),
        json!({"usernames": [d.c1_name]}),
    )
    .await
    .expect(200);
    d.c1.get(&format!("/rest/api/2/issue/{theirs}"))
        .await
        .expect(200);
    let s =
        d.c1.post("/rest/api/2/search", json!({"jql": jql}))
            .await
            .expect(200);
    assert_eq!(s.body["total"], 2, "{}", s.text);
    d.c2.delete_with(
        &format!("{SD}/request/{theirs}/participant"),
        json!({"usernames": [d.c1_name]}),
    )
    .await
    .expect(200);
    d.c1.get(&format!("/rest/api/2/issue/{theirs}"))
        .await
        .expect(404);
    let s =
        d.c1.post("/rest/api/2/search", json!({"jql": jql}))
            .await
            .expect(200);
    assert_eq!(s.body["total"], 1, "{}", s.text);
}

/// Sends one small text file to the desk's temporary store; returns its temporary id.
pub(crate) async fn temporary_file(c: &Client, desk: &str, name: &str) -> String {
    let boundary = "sdt-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--{boundary}--\r\n"
    );
    let req = c
        .http
        .post(format!(
            "{}{SD}/servicedesk/{desk}/attachTemporaryFile",
            c.base
        ))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("X-Atlassian-Token", "no-check")
        .body(body);
    let r = Reply::read(c.authorize(req).send().await.expect("upload"))
        .await
        .expect(201);
    assert_eq!(
        r.body["temporaryAttachments"][0]["fileName"], name,
        "{}",
        r.text
    );
    r.body["temporaryAttachments"][0]["temporaryAttachmentId"]
        .as_str()
        .expect("temporary id")
        .to_string()
}

#[tokio::test]
async fn internal_attachments_stay_with_the_agents() {
    let d = desk("SDY").await;
    let key = d.raise(&d.c1, "screen flickers").await;
    // The customer attaches a public file with a comment.
    let t = temporary_file(&d.c1, &d.id, "photo.txt").await;
    let r = d
        .c1
        .post(
            &format!("{SD}/request/{key}/attachment"),
            json!({"temporaryAttachmentIds": [t], "public": true, "additionalComment": {"body": "see the photo"}}),
        )
        .await
        .expect(201);
    assert_eq!(
        r.body["attachments"]["values"][0]["filename"], "photo.txt",
        "{}",
        r.text
    );
    assert_eq!(r.body["comment"]["public"], true);
    // A temporary id is used once, and only by whoever sent it.
    d.c1.post(
        &format!("{SD}/request/{key}/attachment"),
        json!({"temporaryAttachmentIds": [t]}),
    )
    .await
    .expect(400);
    let theirs = temporary_file(&d.c2, &d.id, "other.txt").await;
    d.c1.post(
        &format!("{SD}/request/{key}/attachment"),
        json!({"temporaryAttachmentIds": [theirs]}),
    )
    .await
    .expect(400);
    // Customers may not add internal files; agents may.
    let t = temporary_file(&d.c1, &d.id, "x.txt").await;
    d.c1.post(
        &format!("{SD}/request/{key}/attachment"),
        json!({"temporaryAttachmentIds": [t], "public": false}),
    )
    .await
    .expect(403);
    let t = temporary_file(&d.agent, &d.id, "zanzibar-notes.txt").await;
    let r = d
        .agent
        .post(
            &format!("{SD}/request/{key}/attachment"),
            json!({"temporaryAttachmentIds": [t], "public": false, "additionalComment": {"body": "zanzibar internal"}}),
        )
        .await
        .expect(201);
    assert_eq!(r.body["comment"]["public"], false);
    let internal_id = r.body["attachments"]["values"][0]["_links"]["self"]
        .as_str()
        .and_then(|s| s.rsplit('/').next())
        .expect("attachment id")
        .to_string();

    // The customer sees the public file only, on every surface.
    let list =
        d.c1.get(&format!("{SD}/request/{key}/attachment"))
            .await
            .expect(200);
    assert_eq!(list.body["size"], 1, "{}", list.text);
    assert!(!list.text.contains("zanzibar"));
    let issue =
        d.c1.get(&format!("/rest/api/2/issue/{key}"))
            .await
            .expect(200);
    assert_eq!(
        issue.body["fields"]["attachment"]
            .as_array()
            .map(|a| a.len()),
        Some(1),
        "{}",
        issue.text
    );
    assert!(!issue.text.contains("zanzibar"));
    d.c1.get(&format!("/rest/api/2/attachment/{internal_id}"))
        .await
        .expect(404);
    let y =
        d.c1.get(&format!("/v2/issues/{key}/attachments"))
            .await
            .expect(200);
    assert_eq!(y.body.as_array().map(|a| a.len()), Some(1), "{}", y.text);
    let full =
        d.c1.get(&format!("{SD}/request/{key}?expand=attachment,comment"))
            .await
            .expect(200);
    assert!(!full.text.contains("zanzibar"), "{}", full.text);
    // Agents see both.
    let list = d
        .agent
        .get(&format!("{SD}/request/{key}/attachment"))
        .await
        .expect(200);
    assert_eq!(list.body["size"], 2, "{}", list.text);
    d.agent
        .get(&format!("/rest/api/2/attachment/{internal_id}"))
        .await
        .expect(200);
    // An outsider cannot even send files to the desk.
    let boundary = "b";
    let req = d
        .outsider
        .http
        .post(format!(
            "{}{SD}/servicedesk/{}/attachTemporaryFile",
            d.outsider.base, d.id
        ))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("X-Atlassian-Token", "no-check")
        .body(format!("--{boundary}--\r\n"));
    Reply::read(d.outsider.authorize(req).send().await.expect("upload"))
        .await
        .expect(404);
}
