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

/// `jira.user.timezone` is the profile's zone: `myself` shows it, and JQL reads
/// calendar dates in it. Kiritimati (UTC+14) and Pago Pago (UTC−11) are 25 hours
/// apart, so at any moment at least one of them is on another date than UTC, and a
/// search reading dates in UTC gets that user's boundary wrong.
#[tokio::test]
async fn the_time_zone_preference_moves_jql_dates() {
    let admin = crate::common::Client::admin();
    let key = crate::common::project("TZP").await;
    let issue = crate::common::issue(&key, "Zoned").await;
    let created = admin
        .get(&format!("/rest/api/2/issue/{issue}"))
        .await
        .expect(200)
        .body["fields"]["created"]
        .as_str()
        .expect("created")
        .to_string();
    let created: jiff::Timestamp = jiff::fmt::strtime::parse("%Y-%m-%dT%H:%M:%S%.f%z", &created)
        .and_then(|t| t.to_timestamp())
        .expect("Jira's date format");
    for zone in ["Pacific/Kiritimati", "Pacific/Pago_Pago"] {
        let (name, pw) = user("tzp").await;
        let c = Client::basic(&name, &pw);
        c.put(
            "/rest/api/2/mypreferences?key=jira.user.timezone",
            json!(zone),
        )
        .await
        .expect(204);
        assert_eq!(
            c.get("/rest/api/2/mypreferences?key=jira.user.timezone")
                .await
                .expect(200)
                .text,
            zone
        );
        assert_eq!(
            c.get("/rest/api/2/myself").await.expect(200).body["timeZone"],
            zone
        );
        let local = created
            .to_zoned(jiff::tz::TimeZone::get(zone).expect("zone"))
            .date();
        let next = local.tomorrow().expect("a date");
        let count = |date: jiff::civil::Date| {
            let c = &c;
            let jql = format!("key = {issue} AND created >= \"{date}\"");
            async move {
                c.post("/rest/api/2/search", json!({"jql": jql}))
                    .await
                    .expect(200)
                    .body["total"]
                    .clone()
            }
        };
        assert_eq!(count(local).await, 1, "{zone}: created on {local} there");
        assert_eq!(count(next).await, 0, "{zone}: not on or after {next} there");
    }
    let (name, pw) = user("tzp").await;
    let c = Client::basic(&name, &pw);
    let bad = c
        .put(
            "/rest/api/2/mypreferences?key=jira.user.timezone",
            json!("Mars/Olympus"),
        )
        .await
        .expect(400)
        .jira_error();
    assert!(bad.contains("Mars/Olympus"), "{bad}");
    c.delete("/rest/api/2/mypreferences?key=jira.user.timezone")
        .await
        .expect(204);
    assert_eq!(
        c.get("/rest/api/2/myself").await.expect(200).body["timeZone"],
        "UTC"
    );
}
