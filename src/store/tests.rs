//! The writer's bulk mode, against a store of its own: these jobs write raw SQL, which
//! only code inside `store/` can (the handles keep the connection to this module).

use super::Store;

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("tessera.db")).expect("open store");
    (dir, store)
}

async fn present(store: &Store, name: &'static str) -> i64 {
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
}

#[tokio::test]
async fn a_failing_bulk_job_leaves_nothing_and_the_store_goes_on() {
    let (_dir, store) = store();

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
    assert_eq!(present(&store, "bulk-test-a").await, 0);

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
    assert_eq!(present(&store, "bulk-test-b").await, 0);

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
    assert_eq!(present(&store, "bulk-test-c").await, 0);
}

#[tokio::test]
async fn an_ordinary_write_queued_behind_bulk_jobs_has_its_references_checked() {
    let (_dir, store) = store();
    let insert = |name: &'static str| {
        move |db: &super::Tx| {
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

/// The build turns SQLite's memory statistics off (`.cargo/config.toml`): they take a
/// global mutex on every allocation, which serialised concurrent readers.
#[tokio::test]
async fn sqlite_is_built_without_memory_statistics() {
    let (_dir, store) = store();
    let options: Vec<String> = store
        .read(|db| {
            let mut stmt = db.prepare("PRAGMA compile_options")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .await
        .expect("read");
    assert!(
        options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"),
        "{options:?}"
    );
}

/// Many more concurrent reads than the pool holds: they all finish, and the pool never
/// holds more connections than its size (none opened only to be dropped).
#[tokio::test]
async fn reads_past_the_pool_size_wait_for_a_connection() {
    let (_dir, store) = store();
    let size = store.readers.size;
    let mut reads = Vec::new();
    for _ in 0..size * 8 {
        let store = store.clone();
        reads.push(tokio::spawn(async move {
            store
                .read(|db| {
                    std::thread::sleep(std::time::Duration::from_millis(2));
                    Ok(db.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?)
                })
                .await
        }));
    }
    for r in reads {
        assert_eq!(r.await.expect("task").expect("read"), 1);
    }
    let opened = store
        .readers
        .opened
        .load(std::sync::atomic::Ordering::Relaxed);
    assert!(
        opened <= size,
        "{opened} connections opened for a pool of {size}"
    );
    assert_eq!(store.readers.slots.available_permits(), size);
}
