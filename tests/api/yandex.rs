//! Yandex Tracker's attachment list over the same attachment records as Jira and v1.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::attachments::{attach, png};
use crate::common::{Client, issue, project, server, user};

/// GET with `Authorization: OAuth <token>` and the organisation header Yandex clients send.
async fn oauth_get(token: &str, path: &str) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let resp = reqwest::Client::new()
        .get(format!("{}{path}", server().base))
        .header("Authorization", format!("OAuth {token}"))
        .header("X-Org-ID", "123456")
        .header("X-Cloud-Org-ID", "bpf-example")
        .send()
        .await
        .expect("request");
    let status = resp.status();
    let headers = resp.headers().clone();
    (status, headers, resp.bytes().await.expect("bytes").to_vec())
}

async fn admin_token() -> String {
    Client::admin()
        .post("/rest/pat/latest/tokens", json!({"name": "yandex"}))
        .await
        .expect(201)
        .body["rawToken"]
        .as_str()
        .expect("rawToken")
        .to_string()
}

fn yandex_error(status: StatusCode, body: &[u8]) -> Value {
    let v: Value = serde_json::from_slice(body).expect("json error body");
    assert_eq!(v["statusCode"], status.as_u16(), "{v}");
    assert!(v["errors"].is_object(), "{v}");
    assert!(
        v["errorMessages"].as_array().is_some_and(|m| !m.is_empty()),
        "{v}"
    );
    v
}

fn is_yandex_time(s: &str) -> bool {
    // 2017-06-11T05:16:01.339+0000
    let b = s.as_bytes();
    s.len() == 28
        && b[4] == b'-'
        && b[10] == b'T'
        && b[19] == b'.'
        && (b[23] == b'+' || b[23] == b'-')
        && s[24..].chars().all(|c| c.is_ascii_digit())
}

#[tokio::test]
async fn attachment_list_in_yandex_shape_with_downloads_and_thumbnails() {
    let p = project("YATT").await;
    let key = issue(&p, "yandex files").await;
    let (name, password) = user("yatt").await;
    let image = png(300, 150);
    let mine = attach(
        &Client::admin(),
        &key,
        &[("file", "screen.png", "image/png", &image)],
    )
    .await;
    let theirs = attach(
        &Client::basic(&name, &password),
        &key,
        &[("file", "log.txt", "text/plain", b"line 1\n")],
    )
    .await;
    // Attached through a comment's workflow in Jira: still the issue's attachment.
    Client::admin()
        .post(
            &format!("/rest/api/2/issue/{key}/comment"),
            json!({"body": "see [^log.txt]"}),
        )
        .await
        .expect(201);
    let token = admin_token().await;

    let (status, _, body) = oauth_get(&token, &format!("/v2/issues/{key}/attachments")).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let list: Value = serde_json::from_slice(&body).expect("json");
    let list = list.as_array().expect("a bare array");
    assert_eq!(list.len(), 2);

    let img = &list[0];
    let mut keys: Vec<&String> = img.as_object().expect("object").keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        vec![
            "content",
            "createdAt",
            "createdBy",
            "id",
            "metadata",
            "mimetype",
            "name",
            "self",
            "size",
            "thumbnail"
        ]
    );
    assert_eq!(img["id"], mine[0]["id"]);
    assert_eq!(img["name"], "screen.png");
    assert_eq!(img["mimetype"], "image/png");
    assert_eq!(img["size"], image.len());
    assert_eq!(img["metadata"]["size"], "300x150");
    assert_eq!(img["createdBy"]["id"], "admin");
    assert!(img["createdBy"]["display"].is_string());
    assert!(
        img["createdBy"]["self"]
            .as_str()
            .unwrap_or_default()
            .starts_with("http")
    );
    assert!(
        is_yandex_time(img["createdAt"].as_str().unwrap_or_default()),
        "{}",
        img["createdAt"]
    );

    let txt = &list[1];
    assert_eq!(txt["id"], theirs[0]["id"]);
    assert_eq!(txt["createdBy"]["id"], name.as_str());
    assert!(
        txt.get("thumbnail").is_none(),
        "no thumbnail for text: {txt}"
    );
    assert!(
        txt.get("metadata").is_none(),
        "no image metadata for text: {txt}"
    );

    // The addresses it gives work with the same credentials.
    let base = server().base.clone();
    let content = txt["content"].as_str().expect("content").replace(&base, "");
    let (status, headers, bytes) = oauth_get(&token, &content).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes, b"line 1\n");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let thumb = img["thumbnail"]
        .as_str()
        .expect("thumbnail")
        .replace(&base, "");
    let (status, headers, bytes) = oauth_get(&token, &thumb).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "image/png");
    assert!(bytes.starts_with(b"\x89PNG"));
    let one = img["self"].as_str().expect("self").replace(&base, "");
    let (status, _, bytes) = oauth_get(&token, &one).await;
    assert_eq!(status, StatusCode::OK);
    let single: Value = serde_json::from_slice(&bytes).expect("json");
    assert_eq!(single["name"], "screen.png");

    // The issue id works as well as the key, and Bearer as well as OAuth.
    let id = Client::admin()
        .get(&format!("/rest/api/2/issue/{key}"))
        .await
        .expect(200)
        .body["id"]
        .as_str()
        .expect("id")
        .to_string();
    let r = Client::bearer(&token)
        .get(&format!("/v2/issues/{id}/attachments"))
        .await
        .expect(200);
    assert_eq!(r.body.as_array().expect("array").len(), 2);

    // The same records through v1.
    let v1 = Client::admin()
        .get(&format!("/v1/issues/{key}/attachments"))
        .await
        .expect(200);
    let v1_ids: Vec<String> = v1.body["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|a| a["id"].as_str().unwrap_or_default().to_string())
        .collect();
    let y_ids: Vec<String> = list
        .iter()
        .map(|a| format!("att_{}", a["id"].as_str().unwrap_or_default()))
        .collect();
    assert_eq!(v1_ids, y_ids);
}

#[tokio::test]
async fn errors_have_the_yandex_shape() {
    let token = admin_token().await;
    let (status, _, body) = oauth_get(&token, "/v2/issues/NOPE-404/attachments").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let v = yandex_error(status, &body);
    assert_eq!(v["errorMessages"], json!(["Issue does not exist."]));
    assert_eq!(v["errors"], json!({}));

    let (status, _, body) = oauth_get("tsr_wrong", "/v2/issues/NOPE-404/attachments").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    yandex_error(status, &body);

    let resp = reqwest::Client::new()
        .get(format!("{}/v2/issues/NOPE-1/attachments", server().base))
        .send()
        .await
        .expect("request");
    let status = resp.status();
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    yandex_error(status, &resp.bytes().await.expect("bytes"));

    let p = project("YERR").await;
    let key = issue(&p, "no files").await;
    let (status, _, body) = oauth_get(&token, &format!("/v2/issues/{key}/attachments")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        serde_json::from_slice::<Value>(&body).expect("json"),
        json!([])
    );
    let (status, _, body) =
        oauth_get(&token, &format!("/v2/issues/{key}/attachments/99999999")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    yandex_error(status, &body);
}
