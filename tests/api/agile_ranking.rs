//! Ranking, the agile issue bean, estimation and epics over the agile API.

use serde_json::json;

use crate::agile::{AGILE, keys, project_board, search_keys};
use crate::common::*;

#[tokio::test]
async fn rank_before_and_after_keeps_a_stable_order() {
    let admin = Client::admin();
    let key = project("AGR").await;
    let board = project_board(&admin, &key).await;
    let a = issue(&key, "a").await;
    let b = issue(&key, "b").await;
    let c = issue(&key, "c").await;
    let d = issue(&key, "d").await;
    let order = || async {
        keys(
            &admin
                .get(&format!("{AGILE}/board/{board}/issue?fields=summary"))
                .await
                .expect(200),
        )
    };
    assert_eq!(order().await, [a.clone(), b.clone(), c.clone(), d.clone()]);
    admin
        .put(
            &format!("{AGILE}/issue/rank"),
            json!({"issues": [d, c], "rankBeforeIssue": a}),
        )
        .await
        .expect(204);
    assert_eq!(order().await, [d.clone(), c.clone(), a.clone(), b.clone()]);
    admin
        .put(
            &format!("{AGILE}/issue/rank"),
            json!({"issues": [d], "rankAfterIssue": b}),
        )
        .await
        .expect(204);
    assert_eq!(order().await, [c.clone(), a.clone(), b.clone(), d.clone()]);
    // Many ranks into the same gap stay strictly ordered.
    for _ in 0..30 {
        admin
            .put(
                &format!("{AGILE}/issue/rank"),
                json!({"issues": [d], "rankBeforeIssue": b}),
            )
            .await
            .expect(204);
        admin
            .put(
                &format!("{AGILE}/issue/rank"),
                json!({"issues": [d], "rankAfterIssue": b}),
            )
            .await
            .expect(204);
    }
    assert_eq!(order().await, [c.clone(), a.clone(), b.clone(), d.clone()]);
    assert_eq!(
        search_keys(&format!("project = {key} ORDER BY Rank")).await,
        [c.clone(), a.clone(), b.clone(), d.clone()]
    );

    // 207 when some issues fail; the others are ranked.
    let r = admin
        .put(
            &format!("{AGILE}/issue/rank"),
            json!({"issues": [d, format!("{key}-99999")], "rankBeforeIssue": c}),
        )
        .await
        .expect(207);
    let entries = r.body["entries"].as_array().unwrap();
    assert_eq!(entries[0]["status"], 200);
    assert_eq!(entries[1]["status"], 400);
    assert!(
        entries[1]["errors"][0]
            .as_str()
            .unwrap()
            .contains("does not exist")
    );
    assert_eq!(order().await[0], d);
    // 400s: no anchor, both anchors, an unknown anchor, too many issues.
    admin
        .put(&format!("{AGILE}/issue/rank"), json!({"issues": [a]}))
        .await
        .expect(400);
    admin
        .put(
            &format!("{AGILE}/issue/rank"),
            json!({"issues": [a], "rankBeforeIssue": b, "rankAfterIssue": c}),
        )
        .await
        .expect(400);
    admin
        .put(
            &format!("{AGILE}/issue/rank"),
            json!({"issues": [a], "rankBeforeIssue": "NOPE-1"}),
        )
        .await
        .expect(400);
    let many: Vec<String> = (0..51).map(|i| format!("{key}-{i}")).collect();
    admin
        .put(
            &format!("{AGILE}/issue/rank"),
            json!({"issues": many, "rankBeforeIssue": a}),
        )
        .await
        .expect(400);
    admin
        .put(
            &format!("{AGILE}/issue/rank"),
            json!({"issues": [a], "rankBeforeIssue": b, "rankCustomFieldId": 1}),
        )
        .await
        .expect(400);
}

#[tokio::test]
async fn agile_issue_bean_and_estimation() {
    let admin = Client::admin();
    let key = project("AGE").await;
    let board = project_board(&admin, &key).await;
    let s = crate::agile::sprint(&admin, board, "Est").await;
    let i = issue(&key, "estimate me").await;
    admin
        .post(&format!("{AGILE}/sprint/{s}/issue"), json!({"issues": [i]}))
        .await
        .expect(204);
    let r = admin.get(&format!("{AGILE}/issue/{i}")).await.expect(200);
    assert_eq!(r.body["key"], i.as_str());
    assert_eq!(r.body["fields"]["sprint"]["id"], s);
    assert_eq!(r.body["fields"]["closedSprints"], json!([]));
    assert_eq!(r.body["fields"]["epic"], json!(null));
    admin
        .get(&format!("{AGILE}/issue/{key}-99999"))
        .await
        .expect(404);

    let e = admin
        .get(&format!("{AGILE}/issue/{i}/estimation?boardId={board}"))
        .await
        .expect(200);
    assert_eq!(e.body["value"], json!(null));
    let points = crate::agile::field_id("Story Points").await;
    assert_eq!(e.body["fieldId"], points.as_str());
    let e = admin
        .put(
            &format!("{AGILE}/issue/{i}/estimation?boardId={board}"),
            json!({"value": "8"}),
        )
        .await
        .expect(200);
    assert_eq!(e.body["value"], 8.0);
    let got = admin
        .get(&format!("/rest/api/2/issue/{i}?fields={points}"))
        .await
        .expect(200);
    assert_eq!(got.body["fields"][&points], 8.0);
    admin
        .put(
            &format!("{AGILE}/issue/{i}/estimation"),
            json!({"value": "lots"}),
        )
        .await
        .expect(400);
    admin
        .get(&format!("{AGILE}/issue/{i}/estimation?boardId=99999999"))
        .await
        .expect(404);
    Client::anonymous()
        .get(&format!("{AGILE}/issue/{i}"))
        .await
        .expect(401);
}

#[tokio::test]
async fn epics_get_update_list_move_and_rank() {
    let admin = Client::admin();
    let key = project("AGP").await;
    let board = project_board(&admin, &key).await;
    let mk_epic = |summary: &'static str| {
        let admin = admin.clone();
        let key = key.clone();
        async move {
            admin
                .post("/rest/api/2/issue", json!({"fields": {"project": {"key": key}, "summary": summary, "issuetype": {"name": "Epic"}}}))
                .await
                .expect(201)
                .body["key"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let e1 = mk_epic("First epic").await;
    let e2 = mk_epic("Second epic").await;
    let story = issue(&key, "story").await;
    let loose = issue(&key, "loose").await;

    let g = admin.get(&format!("{AGILE}/epic/{e1}")).await.expect(200);
    assert_eq!(g.body["key"], e1.as_str());
    assert_eq!(g.body["name"], "First epic");
    assert_eq!(g.body["done"], false);
    let u = admin
        .post(&format!("{AGILE}/epic/{e1}"), json!({"name": "E1", "summary": "First, renamed", "color": {"key": "ghx-label-4"}, "done": true}))
        .await
        .expect(200);
    assert_eq!(u.body["name"], "E1");
    assert_eq!(u.body["summary"], "First, renamed");
    assert_eq!(u.body["color"]["key"], "ghx-label-4");
    assert_eq!(u.body["done"], true);
    admin
        .get(&format!("{AGILE}/epic/{story}"))
        .await
        .expect(404);
    admin
        .post(&format!("{AGILE}/epic/{e1}"), json!({"summary": ""}))
        .await
        .expect(400);

    admin
        .post(
            &format!("{AGILE}/epic/{e1}/issue"),
            json!({"issues": [story]}),
        )
        .await
        .expect(204);
    let r = admin
        .get(&format!("{AGILE}/epic/{e1}/issue"))
        .await
        .expect(200);
    assert_eq!(keys(&r), vec![story.clone()]);
    let link = crate::agile::field_id("Epic Link").await;
    let got = admin
        .get(&format!("/rest/api/2/issue/{story}?fields={link},parent"))
        .await
        .expect(200);
    assert_eq!(got.body["fields"][&link], e1.as_str());
    let r = admin
        .get(&format!("{AGILE}/board/{board}/epic/{e1}/issue"))
        .await
        .expect(200);
    assert_eq!(keys(&r), vec![story.clone()]);
    let r = admin
        .get(&format!("{AGILE}/board/{board}/epic/none/issue"))
        .await
        .expect(200);
    assert_eq!(keys(&r), vec![loose.clone()]);
    let r = admin
        .get(&format!("{AGILE}/epic/none/issue?jql=project={key}"))
        .await
        .expect(200);
    assert_eq!(keys(&r), vec![loose.clone()]);
    let r = admin
        .get(&format!("{AGILE}/board/{board}/epic"))
        .await
        .expect(200);
    let names: Vec<&str> = r.body["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["key"].as_str().unwrap())
        .collect();
    assert_eq!(names, [e1.as_str(), e2.as_str()]);
    let r = admin
        .get(&format!("{AGILE}/issue/{story}"))
        .await
        .expect(200);
    assert_eq!(r.body["fields"]["epic"]["key"], e1.as_str());
    // `done` picks epics by Epic Status (e1 was marked done above).
    let r = admin
        .get(&format!("{AGILE}/board/{board}/epic?done=false"))
        .await
        .expect(200);
    assert_eq!(r.body["values"][0]["key"], e2.as_str());
    assert_eq!(r.body["values"].as_array().unwrap().len(), 1);
    // Errors: an epic into an epic, unknown issues.
    admin
        .post(&format!("{AGILE}/epic/{e1}/issue"), json!({"issues": [e2]}))
        .await
        .expect(400);
    admin
        .post(
            &format!("{AGILE}/epic/{e1}/issue"),
            json!({"issues": ["NOPE-1"]}),
        )
        .await
        .expect(400);
    admin
        .get(&format!("{AGILE}/epic/NOPE-1/issue"))
        .await
        .expect(404);

    // Out of the epic.
    admin
        .post(
            &format!("{AGILE}/epic/none/issue"),
            json!({"issues": [story]}),
        )
        .await
        .expect(204);
    assert!(
        keys(
            &admin
                .get(&format!("{AGILE}/epic/{e1}/issue"))
                .await
                .expect(200)
        )
        .is_empty()
    );

    // Epics rank among epics.
    admin
        .put(
            &format!("{AGILE}/epic/{e2}/rank"),
            json!({"rankBeforeEpic": e1}),
        )
        .await
        .expect(204);
    let r = admin
        .get(&format!("{AGILE}/board/{board}/epic"))
        .await
        .expect(200);
    let names: Vec<&str> = r.body["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["key"].as_str().unwrap())
        .collect();
    assert_eq!(names, [e2.as_str(), e1.as_str()]);
    admin
        .put(
            &format!("{AGILE}/epic/{e2}/rank"),
            json!({"rankBeforeEpic": story}),
        )
        .await
        .expect(400);
}

#[tokio::test]
async fn concurrent_ranks_into_one_gap_give_distinct_ordered_ranks() {
    let admin = Client::admin();
    let key = project("AGC").await;
    let board = project_board(&admin, &key).await;
    let anchor = issue(&key, "anchor").await;
    let mut movers = Vec::new();
    for n in 0..12 {
        movers.push(issue(&key, &format!("mover {n}")).await);
    }
    // Every mover is ranked just before the anchor at once: each rank is computed in
    // the write job, so none reads a gap another has already taken.
    let mut tasks = Vec::new();
    for m in &movers {
        let (admin, m, anchor) = (admin.clone(), m.clone(), anchor.clone());
        tasks.push(tokio::spawn(async move {
            admin
                .put(
                    &format!("{AGILE}/issue/rank"),
                    json!({"issues": [m], "rankBeforeIssue": anchor}),
                )
                .await
                .status
                .as_u16()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 204);
    }
    let rank = crate::agile::field_id("Rank").await;
    let r = admin
        .get(&format!(
            "{AGILE}/board/{board}/issue?fields={rank}&maxResults=100"
        ))
        .await
        .expect(200);
    let ranks: Vec<String> = r.body["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["fields"][&rank].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ranks.len(), 13);
    let mut sorted = ranks.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, ranks, "listed in rank order, no two alike");
    assert_eq!(
        keys(&r).last(),
        Some(&anchor),
        "every mover went before the anchor"
    );
}
