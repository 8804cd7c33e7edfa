//! Generated data sets (`serve --demo`, `tessera demo`, the search benchmark): loaded in bulk jobs that
//! skip foreign-key checks, so the test checks what those checks would have: every
//! reference resolves, each project's key counter covers its loaded issues, and the
//! store checks references again afterwards.

use serde_json::json;

use crate::common::{Client, start_server};

#[tokio::test]
async fn a_generated_data_set_loads_whole_and_consistent_in_many_batches() {
    let own = start_server().server;
    let admin = Client {
        base: own.base.clone(),
        ..Client::admin()
    };
    // 3 × 700 issues in batches of 700: the last full batch is the one that waits for
    // the disk, and the first carries the users and projects.
    let set = tessera::service::demo::DataSet {
        projects: 3,
        users: 25,
        issues: 2100,
        comments_per_issue: 2,
        seed: 11,
        batch_issues: 700,
    };
    let written = own.app.demo.load_data_set(&set).await.expect("load");
    assert_eq!(written, 2100);

    // Read from the file beside the running server (WAL lets a reader in): only the
    // store's own code holds a connection of the server's.
    let db = rusqlite::Connection::open(own.app.config.database_path()).expect("open db");
    let count = |sql: &str| db.query_row(sql, [], |r| r.get::<_, i64>(0)).expect(sql);
    let dangling: Vec<String> = db
        .prepare("PRAGMA foreign_key_check")
        .expect("prepare")
        .query_map([], |r| r.get::<_, String>(0))
        .expect("foreign_key_check")
        .collect::<Result<_, _>>()
        .expect("rows");
    let (issues, projects, users, comments) = (
        count("SELECT count(*) FROM issues WHERE id >= 3000000"),
        count("SELECT count(*) FROM projects WHERE id >= 2000000"),
        count("SELECT count(*) FROM users WHERE id >= 1000000"),
        count("SELECT count(*) FROM comments WHERE id >= 30000000"),
    );
    drop(db);
    assert_eq!((issues, projects, users), (2100, 3, 25));
    assert!(
        (2100..=2100 * 4).contains(&comments),
        "about two comments an issue: {comments}"
    );
    assert!(
        dangling.is_empty(),
        "rows with dangling references in {dangling:?}"
    );
    // That the writer checks references again once bulk jobs are over is the store's
    // own test (`store::tests`), which can write a dangling row.

    // Loaded issues are served, with their comments; a new issue continues the keys.
    let r = admin
        .get("/rest/api/2/issue/PAY-700?fields=summary,comment,labels")
        .await
        .expect(200);
    assert!(!r.body["fields"]["summary"].as_str().unwrap().is_empty());
    assert!(r.body["fields"]["comment"]["total"].is_u64(), "{}", r.text);
    let r = admin
        .post(
            "/rest/api/2/issue",
            json!({"fields": {"project": {"key": "MOB"}, "summary": "after the load", "issuetype": {"name": "Task"}}}),
        )
        .await
        .expect(201);
    assert_eq!(r.body["key"], "MOB-701");

    // A rebuild indexes them for JQL.
    admin
        .post("/rest/api/2/reindex?type=BACKGROUND", json!({}))
        .await
        .expect(202);
    let mut total = json!(null);
    for _ in 0..400 {
        let r = admin
            .post(
                "/rest/api/2/search",
                json!({"jql": "project = WEB", "maxResults": 0}),
            )
            .await
            .expect(200);
        total = r.body["total"].clone();
        if total == 700 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(total, 700, "every issue of WEB found after the rebuild");
}
