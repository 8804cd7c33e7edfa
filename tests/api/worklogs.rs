//! Worklogs: add (estimate adjustments, validation, permissions), list (paging), get,
//! update, delete, the `timetracking` field and changelog, `update.worklog` on create and
//! edit, the change feeds, `worklog/list`, worklog properties and the time tracking options.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{
    Client, issue, issue_with, project, project_with, start_server, user, user_with,
};

fn admin() -> Client {
    Client::admin()
}

fn wl(key: &str) -> String {
    format!("/rest/api/2/issue/{key}/worklog")
}

async fn fields(key: &str) -> Value {
    admin()
        .get(&format!("/rest/api/2/issue/{key}"))
        .await
        .expect(200)
        .body["fields"]
        .clone()
}

async fn set_estimate(key: &str, estimate: &str) {
    admin()
        .put(
            &format!("/rest/api/2/issue/{key}"),
            json!({"fields": {"timetracking": {"originalEstimate": estimate, "remainingEstimate": estimate}}}),
        )
        .await
        .expect(204);
}

/// Takes `jira-users` out of Members and makes `user` a Viewer (browse only).
async fn make_viewer(project: &str, user: &str) {
    admin()
        .delete(&format!(
            "/rest/api/2/project/{project}/role/10003?group=jira-users"
        ))
        .await
        .expect(204);
    admin()
        .post(
            &format!("/rest/api/2/project/{project}/role/10004"),
            json!({"user": [user]}),
        )
        .await
        .expect(200);
}

#[tokio::test]
async fn add_list_get_update_delete_keep_time_tracking_consistent() {
    let p = project("WLA").await;
    let key = issue(&p, "Log work").await;
    set_estimate(&key, "8h").await; // 28800 s

    let w = admin()
        .post(
            &wl(&key),
            json!({"timeSpent": "3h 20m", "started": "2026-01-05T09:00:00.000+0000", "comment": "Did *things*"}),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(w["timeSpent"], "3h 20m");
    assert_eq!(w["timeSpentSeconds"], 12000);
    assert_eq!(w["started"], "2026-01-05T09:00:00.000+0000");
    assert_eq!(w["comment"], "Did *things*");
    assert_eq!(w["author"]["name"], "admin");
    let id = w["id"].as_str().expect("id is a string").to_string();
    assert!(
        w["self"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/worklog/{id}"))
    );

    let f = fields(&key).await;
    assert_eq!(f["timespent"], 12000);
    assert_eq!(f["timeestimate"], 28800 - 12000);
    assert_eq!(f["timetracking"]["timeSpent"], "3h 20m");
    assert_eq!(f["timetracking"]["remainingEstimate"], "4h 40m");
    assert_eq!(f["timetracking"]["originalEstimateSeconds"], 28800);
    assert_eq!(f["worklog"]["total"], 1);
    assert_eq!(f["worklog"]["worklogs"][0]["id"], id.as_str());

    // More entries with each adjustEstimate mode.
    admin()
        .post(
            &format!("{}?adjustEstimate=leave", wl(&key)),
            json!({"timeSpentSeconds": 600}),
        )
        .await
        .expect(201);
    assert_eq!(fields(&key).await["timeestimate"], 16800);
    admin()
        .post(
            &format!("{}?adjustEstimate=manual&reduceBy=1h", wl(&key)),
            json!({"timeSpent": "5m"}),
        )
        .await
        .expect(201);
    assert_eq!(fields(&key).await["timeestimate"], 16800 - 3600);
    admin()
        .post(
            &format!("{}?adjustEstimate=new&newEstimate=2h", wl(&key)),
            json!({"timeSpent": "5m"}),
        )
        .await
        .expect(201);
    let f = fields(&key).await;
    assert_eq!(f["timeestimate"], 7200);
    assert_eq!(f["timespent"], 12000 + 600 + 300 + 300);

    // Paging.
    let page = admin()
        .get(&format!("{}?startAt=1&maxResults=2", wl(&key)))
        .await
        .expect(200)
        .body;
    assert_eq!(page["total"], 4);
    assert_eq!(page["startAt"], 1);
    assert_eq!(page["maxResults"], 2);
    assert_eq!(page["worklogs"].as_array().unwrap().len(), 2);

    // Get and update (auto: remaining shrinks by the extra time).
    let got = admin()
        .get(&format!("{}/{id}", wl(&key)))
        .await
        .expect(200)
        .body;
    assert_eq!(got["timeSpentSeconds"], 12000);
    let upd = admin()
        .put(
            &format!("{}/{id}", wl(&key)),
            json!({"timeSpent": "4h", "comment": "More"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(upd["timeSpent"], "4h");
    assert_eq!(upd["comment"], "More");
    assert_eq!(upd["started"], "2026-01-05T09:00:00.000+0000", "kept");
    let f = fields(&key).await;
    assert_eq!(f["timeestimate"], 7200 - 2400);
    assert_eq!(f["timespent"], 14400 + 1200);

    // Delete (auto: the time goes back to the estimate).
    admin()
        .delete(&format!("{}/{id}", wl(&key)))
        .await
        .expect(204);
    let f = fields(&key).await;
    assert_eq!(f["timespent"], 1200);
    assert_eq!(f["timeestimate"], 4800 + 14400);
    admin()
        .get(&format!("{}/{id}", wl(&key)))
        .await
        .expect(404)
        .jira_error();
    admin()
        .delete(&format!("{}/{id}", wl(&key)))
        .await
        .expect(404);

    // The changelog records time spent, the estimate and the worklog id.
    let log = admin()
        .get(&format!("/rest/api/2/issue/{key}/changelog"))
        .await
        .expect(200)
        .body;
    let fields_changed: Vec<String> = log["values"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|h| h["items"].as_array().unwrap().clone())
        .map(|i| i["field"].as_str().unwrap_or_default().to_string())
        .collect();
    for f in ["timespent", "timeestimate", "WorklogId"] {
        assert!(
            fields_changed.iter().any(|x| x == f),
            "{f} in {fields_changed:?}"
        );
    }
}

#[tokio::test]
async fn bad_requests_unknown_ids_and_permissions() {
    let p = project("WLB").await;
    let key = issue(&p, "Errors").await;
    let e = admin()
        .post(&wl(&key), json!({"comment": "no time"}))
        .await
        .expect(400);
    assert!(e.jira_error().contains("timeLogged"), "{}", e.text);
    admin()
        .post(&wl(&key), json!({"timeSpent": "soon"}))
        .await
        .expect(400)
        .jira_error();
    admin()
        .post(
            &wl(&key),
            json!({"timeSpent": "1h", "started": "yesterday"}),
        )
        .await
        .expect(400);
    admin()
        .post(
            &format!("{}?adjustEstimate=new", wl(&key)),
            json!({"timeSpent": "1h"}),
        )
        .await
        .expect(400);
    admin()
        .post(
            &format!("{}?adjustEstimate=manual", wl(&key)),
            json!({"timeSpent": "1h"}),
        )
        .await
        .expect(400);
    admin()
        .post(
            &format!("{}?adjustEstimate=sometimes", wl(&key)),
            json!({"timeSpent": "1h"}),
        )
        .await
        .expect(400);
    admin()
        .send(Method::POST, &wl(&key), None)
        .await
        .expect(400);
    admin()
        .post(&wl(&format!("{p}-999")), json!({"timeSpent": "1h"}))
        .await
        .expect(404);
    admin().get(&format!("{}/abc", wl(&key))).await.expect(404);
    Client::anonymous().get(&wl(&key)).await.expect(401);

    // A member may log and edit their own work, not others'.
    let (m, mpw) = user("wlm").await;
    let member = Client::basic(&m, &mpw);
    let mine = member
        .post(&wl(&key), json!({"timeSpent": "1h"}))
        .await
        .expect(201)
        .body;
    let mine_id = mine["id"].as_str().unwrap().to_string();
    member
        .put(
            &format!("{}/{mine_id}", wl(&key)),
            json!({"timeSpent": "2h"}),
        )
        .await
        .expect(200);
    let theirs = admin()
        .post(&wl(&key), json!({"timeSpent": "1h"}))
        .await
        .expect(201)
        .body;
    let theirs_id = theirs["id"].as_str().unwrap().to_string();
    member
        .put(
            &format!("{}/{theirs_id}", wl(&key)),
            json!({"timeSpent": "2h"}),
        )
        .await
        .expect(403)
        .jira_error();
    member
        .delete(&format!("{}/{theirs_id}", wl(&key)))
        .await
        .expect(403);
    member
        .delete(&format!("{}/{mine_id}", wl(&key)))
        .await
        .expect(204);

    // A viewer may read but not log work.
    let (v, vpw) = user("wlv").await;
    make_viewer(&p, &v).await;
    let viewer = Client::basic(&v, &vpw);
    viewer.get(&wl(&key)).await.expect(200);
    viewer
        .post(&wl(&key), json!({"timeSpent": "1h"}))
        .await
        .expect(403);

    // Group visibility hides a worklog from non-members.
    let hidden = admin()
        .post(&wl(&key), json!({"timeSpent": "1h", "visibility": {"type": "group", "value": "jira-administrators"}}))
        .await
        .expect(201)
        .body;
    let hidden_id = hidden["id"].as_str().unwrap().to_string();
    assert_eq!(hidden["visibility"]["value"], "jira-administrators");
    viewer
        .get(&format!("{}/{hidden_id}", wl(&key)))
        .await
        .expect(404);
    let seen = viewer.get(&wl(&key)).await.expect(200).body;
    assert!(
        seen["worklogs"]
            .as_array()
            .unwrap()
            .iter()
            .all(|w| w["id"] != hidden_id.as_str())
    );
}

#[tokio::test]
async fn update_worklog_on_create_and_edit() {
    let p = project("WLU").await;
    let created = admin()
        .post(
            "/rest/api/2/issue",
            json!({
                "fields": {"project": {"key": p}, "summary": "With work", "issuetype": {"name": "Task"},
                           "timetracking": {"originalEstimate": "2h"}},
                "update": {"worklog": [{"add": {"timeSpent": "60m", "started": "2026-02-01T10:00:00.000+0000"}}]}
            }),
        )
        .await
        .expect(201)
        .body;
    let key = created["key"].as_str().unwrap().to_string();
    let f = fields(&key).await;
    assert_eq!(f["timespent"], 3600);
    assert_eq!(f["timeestimate"], 3600);
    assert_eq!(
        f["worklog"]["worklogs"][0]["started"],
        "2026-02-01T10:00:00.000+0000"
    );

    admin()
        .put(
            &format!("/rest/api/2/issue/{key}"),
            json!({"update": {"worklog": [{"add": {"timeSpent": "30m"}}]}}),
        )
        .await
        .expect(204);
    assert_eq!(fields(&key).await["timespent"], 5400);

    admin()
        .put(
            &format!("/rest/api/2/issue/{key}"),
            json!({"update": {"worklog": [{"add": {"timeSpent": "later"}}]}}),
        )
        .await
        .expect(400);
    admin()
        .put(
            &format!("/rest/api/2/issue/{key}"),
            json!({"update": {"worklog": [{"remove": {}}]}}),
        )
        .await
        .expect(400);
}

#[tokio::test]
async fn change_feeds_and_list_by_ids() {
    let p = project("WLF").await;
    let key = issue(&p, "Feeds").await;
    let before: i64 = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
        - 1000;
    let a = admin()
        .post(&wl(&key), json!({"timeSpent": "1h"}))
        .await
        .expect(201)
        .body;
    let b = admin()
        .post(&wl(&key), json!({"timeSpent": "2h"}))
        .await
        .expect(201)
        .body;
    let (a_id, b_id) = (
        a["id"].as_str().unwrap().parse::<i64>().unwrap(),
        b["id"].as_str().unwrap().parse::<i64>().unwrap(),
    );

    let updated = admin()
        .get(&format!("/rest/api/2/worklog/updated?since={before}"))
        .await
        .expect(200)
        .body;
    let ids: Vec<i64> = updated["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["worklogId"].as_i64().unwrap())
        .collect();
    assert!(ids.contains(&a_id) && ids.contains(&b_id), "{updated}");
    assert_eq!(updated["since"], before);
    assert!(updated["until"].as_i64().unwrap() >= before);
    assert_eq!(updated["lastPage"], true);
    assert!(updated["values"][0]["updatedTime"].is_i64());

    admin()
        .delete(&format!("{}/{a_id}", wl(&key)))
        .await
        .expect(204);
    let deleted = admin()
        .get(&format!("/rest/api/2/worklog/deleted?since={before}"))
        .await
        .expect(200)
        .body;
    assert!(
        deleted["values"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["worklogId"] == a_id),
        "{deleted}"
    );
    admin()
        .get("/rest/api/2/worklog/updated?since=soon")
        .await
        .expect(400);

    let listed = admin()
        .post("/rest/api/2/worklog/list", json!({"ids": [a_id, b_id, 1]}))
        .await
        .expect(200)
        .body;
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 1, "deleted and unknown ids are skipped");
    assert_eq!(listed[0]["id"], b_id.to_string());
    admin()
        .post("/rest/api/2/worklog/list", json!({"nope": 1}))
        .await
        .expect(400);

    // Someone who cannot browse the project sees none of it.
    let (o, opw) = user("wlo").await;
    admin()
        .delete(&format!(
            "/rest/api/2/project/{p}/role/10003?group=jira-users"
        ))
        .await
        .expect(204);
    let outsider = Client::basic(&o, &opw);
    let none = outsider
        .post("/rest/api/2/worklog/list", json!({"ids": [b_id]}))
        .await
        .expect(200)
        .body;
    assert_eq!(none, json!([]));
    let feed = outsider
        .get(&format!("/rest/api/2/worklog/updated?since={before}"))
        .await
        .expect(200)
        .body;
    assert!(
        feed["values"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["worklogId"] != b_id)
    );
}

#[tokio::test]
async fn worklog_properties() {
    let p = project("WLP").await;
    let key = issue(&p, "Props").await;
    let w = admin()
        .post(&wl(&key), json!({"timeSpent": "1h"}))
        .await
        .expect(201)
        .body;
    let id = w["id"].as_str().unwrap().to_string();
    let props = format!("{}/{id}/properties", wl(&key));
    admin()
        .put(&format!("{props}/billing"), json!({"rate": 10}))
        .await
        .expect(201);
    admin()
        .put(&format!("{props}/billing"), json!({"rate": 12}))
        .await
        .expect(200);
    let keys = admin().get(&props).await.expect(200).body;
    assert_eq!(keys["keys"][0]["key"], "billing");
    let got = admin()
        .get(&format!("{props}/billing"))
        .await
        .expect(200)
        .body;
    assert_eq!(got["value"]["rate"], 12);
    let expanded = admin()
        .get(&format!("{}/{id}?expand=properties", wl(&key)))
        .await
        .expect(200)
        .body;
    assert_eq!(expanded["properties"][0]["key"], "billing");
    admin().get(&format!("{props}/missing")).await.expect(404);
    admin()
        .put(&format!("{props}/big"), json!("x".repeat(40_000)))
        .await
        .expect(400);
    admin()
        .get(&format!("{}/99999999/properties", wl(&key)))
        .await
        .expect(404);
    admin()
        .delete(&format!("{props}/billing"))
        .await
        .expect(204);
    admin()
        .delete(&format!("{props}/billing"))
        .await
        .expect(404);
}

/// The time-tracking options are global (they change what `1d` means everywhere), so
/// this test changes them on a server of its own.
#[tokio::test]
async fn time_tracking_options() {
    let own = start_server().server;
    let admin = Client::admin().on(&own);
    let got = admin
        .get("/rest/api/2/configuration/timetracking/options")
        .await
        .expect(200)
        .body;
    assert_eq!(got["workingHoursPerDay"], 8.0, "{got}");
    assert!(got["timeFormat"].is_string());
    let provider = admin
        .get("/rest/api/2/configuration/timetracking")
        .await
        .expect(200)
        .body;
    assert_eq!(provider["key"], "JIRA");

    let (u, pw) = user_with(&admin, "wlt").await;
    Client::basic(&u, &pw)
        .on(&own)
        .put(
            "/rest/api/2/configuration/timetracking/options",
            json!({"workingHoursPerDay": 6, "workingDaysPerWeek": 4, "timeFormat": "pretty", "defaultUnit": "minute"}),
        )
        .await
        .expect(403);
    admin
        .put(
            "/rest/api/2/configuration/timetracking/options",
            json!({"workingHoursPerDay": 0, "workingDaysPerWeek": 9, "timeFormat": "odd", "defaultUnit": "minute"}),
        )
        .await
        .expect(400);
    let set = admin
        .put(
            "/rest/api/2/configuration/timetracking/options",
            json!({"workingHoursPerDay": 6, "workingDaysPerWeek": 4, "timeFormat": "pretty", "defaultUnit": "minute"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(set["workingHoursPerDay"], 6.0);
    let p = project_with(&admin, "WLT").await;
    let key = issue_with(&admin, &p, "Days").await;
    let w = admin
        .post(&wl(&key), json!({"timeSpent": "1d"}))
        .await
        .expect(201)
        .body;
    assert_eq!(w["timeSpentSeconds"], 6 * 3600);
    assert_eq!(w["timeSpent"], "1d");
    let w = admin
        .post(&wl(&key), json!({"timeSpent": "1w"}))
        .await
        .expect(201)
        .body;
    assert_eq!(
        w["timeSpentSeconds"],
        4 * 6 * 3600,
        "a week is 4 days of 6 hours"
    );
}
