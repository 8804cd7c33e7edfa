//! The search index holds exactly one document per issue: after a live reindex with
//! edits around it, and after a start on an index that had gone wrong.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::common::{Client, start_server, unique_key};

async fn total(c: &Client, jql: &str) -> u64 {
    let r = c
        .post(
            "/rest/api/2/search",
            json!({"jql": jql, "maxResults": 1000}),
        )
        .await
        .expect(200);
    let keys: Vec<&str> = r.body["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["key"].as_str().unwrap())
        .collect();
    let distinct: std::collections::HashSet<&str> = keys.iter().copied().collect();
    assert_eq!(distinct.len(), keys.len(), "a key twice in {keys:?}");
    r.body["total"].as_u64().unwrap()
}

#[tokio::test]
async fn edits_after_a_live_reindex_leave_one_document_per_issue() {
    let started = start_server();
    let c = Client::admin().on(&started.server);
    let key = unique_key("LRX");
    c.post(
        "/rest/api/2/project",
        json!({"key": key, "name": "Live reindex", "projectTypeKey": "software"}),
    )
    .await
    .expect(201);
    let mut keys = Vec::new();
    for i in 0..4 {
        let r = c
            .post(
                "/rest/api/2/issue",
                json!({"fields": {"project": {"key": key}, "summary": format!("issue {i}"), "issuetype": {"name": "Task"}}}),
            )
            .await
            .expect(201);
        keys.push(r.body["key"].as_str().unwrap().to_string());
    }
    let jql = format!("project = {key}");
    assert_eq!(total(&c, &jql).await, 4);
    // Many index operations before the reindex (the writer's stamps move well past
    // where it was opened)...
    for i in 0..40 {
        c.put(
            &format!("/rest/api/2/issue/{}", keys[0]),
            json!({"fields": {"summary": format!("edit {i}")}}),
        )
        .await
        .expect(204);
    }
    assert_eq!(total(&c, &jql).await, 4);
    // ...and the indexer's last batch before it holds only a deletion.
    c.delete(&format!("/rest/api/2/issue/{}", keys[3]))
        .await
        .expect(204);
    assert_eq!(total(&c, &jql).await, 3);

    c.post("/rest/api/2/reindex", json!({})).await.expect(202);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let p = c.get("/rest/api/2/reindex/progress").await.expect(200);
        if p.body["currentProgress"] == 100 {
            assert_eq!(p.body["success"], true, "{}", p.text);
            break;
        }
        assert!(Instant::now() < deadline, "the reindex never finished");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for k in &keys[..3] {
        c.put(
            &format!("/rest/api/2/issue/{k}"),
            json!({"fields": {"summary": format!("{k} edited")}}),
        )
        .await
        .expect(204);
    }
    assert_eq!(total(&c, &jql).await, 3);
    for k in &keys[..3] {
        assert_eq!(total(&c, &format!("key = {k}")).await, 1, "{k}");
        assert_eq!(
            total(&c, &format!("summary ~ \"{k} edited\" AND key = {k}")).await,
            1
        );
    }
}

/// Runs `f` off the test's async runtime (Services::open and the store's blocking calls
/// refuse to run on it).
fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::spawn(f).join().expect("thread")
}

#[test]
fn a_start_reindexes_issues_with_two_documents_or_a_stray_one() {
    let dir = tempfile::tempdir().unwrap().keep();
    let config = move || {
        let mut c = tessera::config::Config::new(dir.clone());
        c.admin_password = Some(crate::common::ADMIN_PASSWORD.to_string());
        c
    };
    let set = tessera::service::demo::DataSet {
        projects: 1,
        users: 2,
        issues: 30,
        comments_per_issue: 0,
        seed: 11,
        batch_issues: 30,
    };
    let stored: Vec<i64> = blocking({
        let config = config();
        move || {
            let (app, _) = tessera::service::Services::open(config.clone()).expect("open");
            let rt = tokio::runtime::Runtime::new().unwrap();
            rt.block_on(app.demo.load_data_set(&set)).expect("load");
            app.search.stop_indexer();
            drop(app);
            let store = tessera::store::Store::open(&config.database_path()).expect("store");
            let (index, _) =
                tessera::search::SearchIndex::open(&config.index_dir(), true).expect("index");
            let catalog = store
                .read_blocking(tessera::service::Catalog::load)
                .expect("catalog");
            // Break the index as the old live reindex did, through the one offline
            // writer: every issue once, the first ones twice, and one issue that does
            // not exist.
            let ids: Vec<i64> = store
                .read_blocking(|db| tessera::store::queries::issues::ids_after(db, 0, 1000))
                .unwrap();
            let docs: Vec<tessera::search::IndexDoc> = store
                .read_blocking(|db| {
                    let mut out = Vec::new();
                    for id in &ids {
                        out.extend(tessera::service::search::index_doc(db, &catalog, *id)?);
                    }
                    Ok(out)
                })
                .unwrap();
            let mut broken = docs.clone();
            broken.extend(docs[..3].iter().cloned());
            let mut stray = docs[0].clone();
            stray.id = 9_999_999;
            stray.key = "NOPE-1".into();
            broken.push(stray);
            broken.sort_by_key(|d| d.id);
            let broken = std::sync::Arc::new(broken);
            let full: tessera::search::FullSource = Box::new(move |after, _| {
                // One batch holding everything, then the end.
                Ok(if after == 0 {
                    broken.to_vec()
                } else {
                    Vec::new()
                })
            });
            let (head, _) = tessera::service::search::head_source(store.clone())().unwrap();
            index.rebuild_offline(&full, head, 0).unwrap();
            let per_id = index.document_ids().unwrap();
            assert_eq!(
                per_id.len(),
                ids.len() + 4,
                "the index is broken as intended"
            );
            ids
        }
    });

    // Start again on the same data directory: the start finds and requeues them.
    let ids = blocking(move || {
        let (app, _) = tessera::service::Services::open(config()).expect("reopen");
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(app.search.catch_up_index())
            .expect("the indexer catches up");
        crate::common::index_documents(&config().index_dir())
    });
    assert_eq!(ids, stored, "one document per issue, none other");
}
