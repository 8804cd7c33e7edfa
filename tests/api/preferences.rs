//! `mypreferences` (per-user string values), the locale (shown by `myself`), and the
//! seed's `userProperties` at its double-slash path and without it.

use reqwest::Method;
use serde_json::json;

use crate::common::{Client, user};

#[tokio::test]
async fn preferences_are_per_user_strings() {
    let (a, apw) = user("pra").await;
    let (b, bpw) = user("prb").await;
    let (a, b) = (Client::basic(&a, &apw), Client::basic(&b, &bpw));
    a.get("/rest/api/2/mypreferences?key=theme")
        .await
        .expect(404)
        .jira_error();
    let r = a
        .raw(
            Method::PUT,
            "/rest/api/2/mypreferences?key=theme",
            "application/json",
            "dark mode",
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    let r = a
        .get("/rest/api/2/mypreferences?key=theme")
        .await
        .expect(200);
    assert_eq!(r.text, "dark mode");
    a.put("/rest/api/2/mypreferences?key=theme", json!("light"))
        .await
        .expect(204);
    assert_eq!(
        a.get("/rest/api/2/mypreferences?key=theme")
            .await
            .expect(200)
            .text,
        "light"
    );
    b.get("/rest/api/2/mypreferences?key=theme")
        .await
        .expect(404);
    a.delete("/rest/api/2/mypreferences?key=theme")
        .await
        .expect(204);
    a.get("/rest/api/2/mypreferences?key=theme")
        .await
        .expect(404);
    a.delete("/rest/api/2/mypreferences?key=theme")
        .await
        .expect(404)
        .jira_error();
    a.get("/rest/api/2/mypreferences")
        .await
        .expect(404)
        .jira_error();
    a.raw(
        Method::PUT,
        "/rest/api/2/mypreferences?key=x",
        "application/json",
        "",
    )
    .await
    .expect(404);
    Client::anonymous()
        .get("/rest/api/2/mypreferences?key=theme")
        .await
        .expect(401);
}

#[tokio::test]
async fn locale_is_validated_shown_by_myself_and_reset_by_delete() {
    let (u, pw) = user("loc").await;
    let me = Client::basic(&u, &pw);
    let r = me.get("/rest/api/2/mypreferences/locale").await.expect(200);
    assert_eq!(r.body, json!({"locale": "en_US"}));
    me.put(
        "/rest/api/2/mypreferences/locale",
        json!({"locale": "de_DE"}),
    )
    .await
    .expect(204);
    assert_eq!(
        me.get("/rest/api/2/mypreferences/locale")
            .await
            .expect(200)
            .body["locale"],
        json!("de_DE")
    );
    assert_eq!(
        me.get("/rest/api/2/myself").await.expect(200).body["locale"],
        json!("de_DE")
    );
    for bad in [
        json!({"locale": "german"}),
        json!({"locale": "de-DE"}),
        json!({}),
        json!({"locale": "en_US", "x": 1}),
    ] {
        me.put("/rest/api/2/mypreferences/locale", bad)
            .await
            .expect(400)
            .jira_error();
    }
    me.delete("/rest/api/2/mypreferences/locale")
        .await
        .expect(204);
    assert_eq!(
        me.get("/rest/api/2/myself").await.expect(200).body["locale"],
        json!("en_US")
    );
    let r = Client::anonymous()
        .get("/rest/api/2/mypreferences/locale")
        .await
        .expect(200);
    assert_eq!(r.body, json!({"locale": "en_US"}));
    Client::anonymous()
        .put(
            "/rest/api/2/mypreferences/locale",
            json!({"locale": "en_US"}),
        )
        .await
        .expect(401);
    Client::anonymous()
        .delete("/rest/api/2/mypreferences/locale")
        .await
        .expect(401);
}

#[tokio::test]
async fn user_properties_at_both_paths_share_the_user_property_store() {
    let (u, pw) = user("upr").await;
    let me = Client::basic(&u, &pw);
    for base in ["/rest/api/2//userProperties", "/rest/api/2/userProperties"] {
        me.get(&format!("{base}?key=colour"))
            .await
            .expect(404)
            .jira_error();
        let r = me
            .post(base, json!({"key": "colour", "value": "blue"}))
            .await;
        assert_eq!(r.status, 201, "{base}: {}", r.text);
        let r = me.get(&format!("{base}?key=colour")).await.expect(200);
        assert_eq!(r.body, json!({"key": "colour", "value": "blue"}));
        // The same property as user/properties.
        let r = me
            .get("/rest/api/2/user/properties/colour")
            .await
            .expect(200);
        assert_eq!(r.body["value"], json!("blue"));
        me.post(base, json!({"key": "colour", "value": "green"}))
            .await
            .expect(200);
        me.delete(&format!("{base}?key=colour")).await.expect(204);
        me.get("/rest/api/2/user/properties/colour")
            .await
            .expect(404);
        me.post(base, json!({"value": "x"}))
            .await
            .expect(400)
            .jira_error();
        me.post(base, json!({"key": "k", "value": "x", "bogus": 1}))
            .await
            .expect(400);
        me.get(base).await.expect(404).jira_error();
        Client::anonymous()
            .get(&format!("{base}?key=colour"))
            .await
            .expect(401);
    }
}
