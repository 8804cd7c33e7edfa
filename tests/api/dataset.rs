//! Generated data sets (`serve --demo`, the search benchmark): loaded in bulk jobs that
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
    let written = own.app.load_data_set(&set).await.expect("load");
    assert_eq!(written, 2100);

    let (issues, projects, users, comments, dangling) = own
        .app
        .store
        .read(|db| {
            let count = |sql: &str| db.query_row(sql, [], |r| r.get::<_, i64>(0));
            let dangling: Vec<String> = db
                .prepare("PRAGMA foreign_key_check")?
                .query_map([], |r| r.get::<_, String>(0))?
                .collect::<Result<_, _>>()?;
            Ok((
                count("SELECT count(*) FROM issues WHERE id >= 3000000")?,
                count("SELECT count(*) FROM projects WHERE id >= 2000000")?,
                count("SELECT count(*) FROM users WHERE id >= 1000000")?,
                count("SELECT count(*) FROM comments WHERE id >= 30000000")?,
                dangling,
            ))
        })
        .await
        .expect("read");
    assert_eq!((issues, projects, users), (2100, 3, 25));
    assert!(
        (2100..=2100 * 4).contains(&comments),
        "about two comments an issue: {comments}"
    );
    assert!(
        dangling.is_empty(),
        "rows with dangling references in {dangling:?}"
    );

    // The writer checks references again once the load is over.
    let refused = own
        .app
        .store
        .write(|db| {
            db.execute(
                "INSERT INTO issue_labels (issue_id, label) VALUES (-1, 'orphan')",
                [],
            )?;
            Ok(())
        })
        .await;
    assert!(refused.is_err(), "a label of no issue is refused");

    // Loaded issues are served, with their comments; a new issue continues the keys.
    let r = admin
        .get("/rest/api/2/issue/DEM0-700?fields=summary,comment,labels")
        .await
        .expect(200);
    assert!(!r.body["fields"]["summary"].as_str().unwrap().is_empty());
    assert!(r.body["fields"]["comment"]["total"].is_u64(), "{}", r.text);
    let r = admin
        .post(
            "/rest/api/2/issue",
            json!({"fields": {"project": {"key": "APP1"}, "summary": "after the load", "issuetype": {"name": "Task"}}}),
        )
        .await
        .expect(201);
    assert_eq!(r.body["key"], "APP1-701");

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
                json!({"jql": "project = OPS2", "maxResults": 0}),
            )
            .await
            .expect(200);
        total = r.body["total"].clone();
        if total == 700 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(total, 700, "every issue of OPS2 found after the rebuild");
}

#[tokio::test]
async fn a_failing_bulk_job_leaves_nothing_and_the_store_goes_on() {
    let store = &crate::common::server().app.store;
    let present = |name: &'static str| async move {
        store
            .read(move |db| {
                Ok(db.query_row(
                    "SELECT count(*) FROM id_sequences WHERE name = ?1",
                    [name],
                    |r| r.get::<_, i64>(0),
                )?)
            })
            .await
            .expect("read")
    };

    // A job that fails after writing: its writes are rolled back.
    let failed = store
        .write_bulk(false, |db| {
            db.execute(
                "INSERT INTO id_sequences (name, next) VALUES ('bulk-test-a', 1)",
                [],
            )?;
            db.query_row("SELECT no_such_column FROM id_sequences", [], |_| Ok(()))?;
            Ok(())
        })
        .await;
    assert!(failed.is_err());
    assert_eq!(present("bulk-test-a").await, 0);

    // A job whose `INSERT OR ROLLBACK` fails has its transaction ended by SQLite itself.
    let failed = store
        .write_bulk(true, |db| {
            db.execute(
                "INSERT INTO id_sequences (name, next) VALUES ('bulk-test-b', 1)",
                [],
            )?;
            db.execute(
                "INSERT OR ROLLBACK INTO id_sequences (name, next) VALUES ('bulk-test-b', 2)",
                [],
            )?;
            Ok(())
        })
        .await;
    assert!(failed.is_err(), "the duplicate is refused");
    assert_eq!(present("bulk-test-b").await, 0);

    // Both kinds of write go on working after the failures.
    store
        .write_bulk(false, |db| {
            db.execute(
                "INSERT INTO id_sequences (name, next) VALUES ('bulk-test-c', 1)",
                [],
            )?;
            Ok(())
        })
        .await
        .expect("bulk write after the failures");
    store
        .write(|db| {
            db.execute("DELETE FROM id_sequences WHERE name = 'bulk-test-c'", [])?;
            Ok(())
        })
        .await
        .expect("ordinary write after the failures");
    assert_eq!(present("bulk-test-c").await, 0);
}

#[tokio::test]
async fn an_ordinary_write_queued_behind_bulk_jobs_has_its_references_checked() {
    let store = &crate::common::server().app.store;
    let insert = |name: &'static str| {
        move |db: &tessera::store::queries::Db| {
            db.execute(
                "INSERT OR REPLACE INTO id_sequences (name, next) VALUES (?1, 1)",
                [name],
            )?;
            Ok(())
        }
    };
    // Both bulk jobs are queued before anything is awaited; the ordinary write queues
    // behind them when first polled, so the writer leaves bulk mode for it.
    let first = store.write_bulk(false, insert("queued-bulk-1"));
    let second = store.write_bulk(true, insert("queued-bulk-2"));
    let dangling = store.write(|db| {
        db.execute(
            "INSERT INTO issue_labels (issue_id, label) VALUES (-7, 'orphan')",
            [],
        )?;
        Ok(())
    });
    let (first, second, dangling) = tokio::join!(first, second, dangling);
    first.expect("first bulk job");
    second.expect("second bulk job");
    assert!(
        dangling.is_err(),
        "references are checked again after bulk jobs"
    );
    let names: Vec<String> = store
        .read(|db| {
            Ok(db
                .prepare(
                    "SELECT name FROM id_sequences WHERE name LIKE 'queued-bulk-%' ORDER BY name",
                )?
                .query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?)
        })
        .await
        .expect("read");
    assert_eq!(names, ["queued-bulk-1", "queued-bulk-2"]);
}
