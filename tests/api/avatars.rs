//! Every avatar and icon address the API hands out serves a picture.

use serde_json::json;

use crate::common::*;

async fn image(client: &Client, url: &str) -> (u16, String, String) {
    let r = client
        .authorize(client.http.get(url))
        .send()
        .await
        .expect("request");
    let status = r.status().as_u16();
    let kind = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, kind, r.text().await.expect("body"))
}

#[tokio::test]
async fn avatar_and_icon_urls_serve_pictures() {
    let admin = Client::admin();
    let key = project("AVA").await;
    let issue = issue(&key, "with icons").await;
    let got = admin
        .get(&format!("/rest/api/2/issue/{issue}"))
        .await
        .expect(200);
    let f = &got.body["fields"];
    let urls = [
        f["reporter"]["avatarUrls"]["48x48"].as_str(),
        f["project"]["avatarUrls"]["16x16"].as_str(),
        f["issuetype"]["iconUrl"].as_str(),
        f["priority"]["iconUrl"].as_str(),
        f["status"]["iconUrl"].as_str(),
    ];
    for url in urls {
        let url = url.expect("an address");
        let (status, kind, body) = image(&admin, url).await;
        assert_eq!((status, kind.as_str()), (200, "image/svg+xml"), "{url}");
        assert!(body.starts_with("<svg"), "{url}: {body}");
    }
    // The reporter's initials for a signed-in caller; no name for an anonymous one.
    let me = f["reporter"]["avatarUrls"]["48x48"].as_str().expect("url");
    assert!(image(&admin, me).await.2.contains(">A</text>"));
    assert!(!image(&Client::anonymous(), me).await.2.contains("<text"));

    // A name with markup gives only its letters.
    let (name, _) = user("avx").await;
    admin
        .put(
            &format!("/rest/api/2/user?username={name}"),
            json!({"displayName": "<b>Zed</b> &amp; Quill"}),
        )
        .await
        .expect(200);
    let body = image(
        &admin,
        &format!("{}/secure/useravatar?size=32&ownerId={name}", admin.base),
    )
    .await
    .2;
    assert!(
        body.contains(">BA</text>") && !body.contains("<b>"),
        "{body}"
    );

    let system = admin
        .get("/rest/api/2/avatar/issuetype/system")
        .await
        .expect(200);
    let list = system.body["system"].as_array().expect("system");
    let task = list
        .iter()
        .find(|a| a["id"] == "10318")
        .expect("the task avatar");
    let (status, _, _) = image(&admin, task["urls"]["24x24"].as_str().expect("url")).await;
    assert_eq!(status, 200);
    assert_eq!(
        admin
            .get("/rest/api/2/avatar/project/system")
            .await
            .expect(200)
            .body["system"]
            .as_array()
            .map(Vec::len),
        Some(8)
    );
    admin
        .get("/rest/api/2/avatar/planet/system")
        .await
        .expect(404)
        .jira_error();
    let (status, _, _) = image(
        &admin,
        &format!(
            "{}/secure/viewavatar?avatarId=1&avatarType=issuetype",
            admin.base
        ),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _, _) = image(
        &admin,
        &format!("{}/images/icons/priorities/nope.svg", admin.base),
    )
    .await;
    assert_eq!(status, 404);
}
