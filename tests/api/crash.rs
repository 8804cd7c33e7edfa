//! Crash safety of the real binary: concurrent writers, `kill -9` at random moments,
//! restarts. Every acknowledged write survives, the database stays intact, and the
//! search index holds exactly one document per issue.
//!
//! The normal suite runs a few rounds; `TESSERA_CRASH_ROUNDS=45` makes it a soak, and
//! `TESSERA_CRASH_SEED` replays the timing of a run (printed at the start).

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::Rng;

const BIN: &str = env!("CARGO_BIN_EXE_tessera");
const PASSWORD: &str = "crash-test-password";
const PROJECT: &str = "CRSH";
const WRITERS: usize = 16;
/// Requests one writer sends in one round at most (the kill normally comes first).
const OPS_PER_ROUND: usize = 400;

/// What an issue's summary must be: the last acknowledged value, or the value of the
/// one edit that was in flight when the server died (it may or may not have landed).
#[derive(Debug, Clone)]
struct Expect {
    acked: String,
    pending: Option<String>,
}

#[derive(Default)]
struct Ledger {
    issues: HashMap<String, Expect>,
    /// Keys each writer created, so it edits its own issues (one request at a time each).
    owned: Vec<Vec<String>>,
    acked_creates: usize,
    acked_edits: usize,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

fn start(dir: &Path, port: u16) -> Child {
    Command::new(BIN)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("TESSERA_DATA_DIR", dir)
        .env("TESSERA_ADMIN_PASSWORD", PASSWORD)
        .env_remove("TESSERA_LISTEN")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn tessera")
}

/// Waits until the server answers HTTP (not only accepts connections).
async fn wait_ready(http: &reqwest::Client, base: &str, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(r) = http
            .get(format!("{base}/rest/api/2/serverInfo"))
            .send()
            .await
            && r.status().is_success()
        {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the server exited during start-up: {status:?}");
        }
        assert!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

fn kill9(child: &mut Child) {
    // `Child::kill` is SIGKILL on Unix: no shutdown code runs.
    let _ = child.kill();
    let _ = child.wait();
}

/// Opens the database while the server is down: integrity and the issue count.
fn inspect_database(dir: &Path) -> (String, i64) {
    let db = rusqlite::Connection::open(dir.join("tessera.db")).expect("open db");
    let integrity: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check");
    let count: i64 = db
        .query_row(
            "SELECT count(*) FROM issues i JOIN projects p ON p.id = i.project_id WHERE p.key = ?1",
            [PROJECT],
            |r| r.get(0),
        )
        .expect("count");
    (integrity, count)
}

/// One writer: creates issues and edits its own, until a request fails (the server
/// died) or its budget for the round is spent.
async fn writer(
    http: reqwest::Client,
    base: String,
    w: usize,
    round: usize,
    seed: u64,
    ledger: Arc<Mutex<Ledger>>,
) {
    let mut rng = Rng(seed | 1);
    for n in 0..OPS_PER_ROUND {
        let own = ledger.lock().unwrap().owned[w].clone();
        if own.is_empty() || rng.below(3) == 0 {
            let summary = format!("r{round} w{w} n{n} created");
            let r = http
                .post(format!("{base}/rest/api/2/issue"))
                .basic_auth("admin", Some(PASSWORD))
                .json(&json!({"fields": {"project": {"key": PROJECT}, "summary": summary, "issuetype": {"name": "Task"}}}))
                .send()
                .await;
            let key = match r {
                Ok(r) if r.status() == 201 => match r.json::<Value>().await {
                    Ok(v) => v["key"].as_str().map(String::from),
                    Err(_) => None,
                },
                _ => None,
            };
            let Some(key) = key else { return };
            let mut l = ledger.lock().unwrap();
            l.acked_creates += 1;
            l.owned[w].push(key.clone());
            l.issues.insert(
                key,
                Expect {
                    acked: summary,
                    pending: None,
                },
            );
        } else {
            let key = own[rng.below(own.len() as u64) as usize].clone();
            let summary = format!("r{round} w{w} n{n} edited");
            ledger
                .lock()
                .unwrap()
                .issues
                .get_mut(&key)
                .expect("own issue")
                .pending = Some(summary.clone());
            let r = http
                .put(format!("{base}/rest/api/2/issue/{key}"))
                .basic_auth("admin", Some(PASSWORD))
                .json(&json!({"fields": {"summary": summary}}))
                .send()
                .await;
            if !matches!(&r, Ok(r) if r.status() == 204) {
                return;
            }
            let mut l = ledger.lock().unwrap();
            l.acked_edits += 1;
            let e = l.issues.get_mut(&key).expect("own issue");
            e.acked = summary;
            e.pending = None;
        }
    }
}

async fn search(http: &reqwest::Client, base: &str, jql: &str, start: usize, max: usize) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let r = http
            .post(format!("{base}/rest/api/2/search"))
            .basic_auth("admin", Some(PASSWORD))
            .json(&json!({"jql": jql, "startAt": start, "maxResults": max, "fields": ["summary"]}))
            .send()
            .await
            .expect("search");
        // 500 "the index is behind" right after a start with a long catch-up: retry.
        if r.status().is_success() {
            return r.json().await.expect("search json");
        }
        assert!(
            Instant::now() < deadline,
            "search {jql} kept failing: {}",
            r.status()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Problems found by one check, counted rather than panicking at the first, so a soak
/// reports how many.
#[derive(Default, Debug)]
struct Findings {
    lost_creates: Vec<String>,
    lost_edits: Vec<String>,
    duplicate_keys: Vec<String>,
    total_mismatches: Vec<String>,
    integrity: Vec<String>,
}

impl Findings {
    fn is_clean(&self) -> bool {
        self.lost_creates.is_empty()
            && self.lost_edits.is_empty()
            && self.duplicate_keys.is_empty()
            && self.total_mismatches.is_empty()
            && self.integrity.is_empty()
    }
}

/// Every issue of the project through the index, page by page: no key twice, and the
/// total is what SQLite holds.
async fn check_index(
    http: &reqwest::Client,
    base: &str,
    sqlite_count: i64,
    round: usize,
    found: &mut Findings,
) {
    let jql = format!("project = {PROJECT} ORDER BY key");
    let mut seen = HashSet::new();
    let mut start = 0;
    let first = search(http, base, &jql, 0, 0).await;
    let total = first["total"].as_i64().unwrap_or(-1);
    if total != sqlite_count {
        found.total_mismatches.push(format!(
            "round {round}: index total {total}, SQLite {sqlite_count}"
        ));
    }
    // Bounded: never more pages than the total allows.
    for _ in 0..=(total.max(0) as usize / 1000 + 1) {
        let page = search(http, base, &jql, start, 1000).await;
        let issues = page["issues"].as_array().cloned().unwrap_or_default();
        if issues.is_empty() {
            break;
        }
        for i in &issues {
            let key = i["key"].as_str().unwrap_or_default().to_string();
            if !seen.insert(key.clone()) {
                found
                    .duplicate_keys
                    .push(format!("round {round}: {key} on two pages"));
            }
        }
        start += issues.len();
    }
}

/// Each known issue is found by `key in (...)` exactly once, batch by batch.
async fn check_keys(http: &reqwest::Client, base: &str, keys: &[String], found: &mut Findings) {
    for batch in keys.chunks(50) {
        let jql = format!("key in ({})", batch.join(","));
        let page = search(http, base, &jql, 0, 1000).await;
        let mut counts: HashMap<String, usize> = HashMap::new();
        for i in page["issues"].as_array().cloned().unwrap_or_default() {
            *counts
                .entry(i["key"].as_str().unwrap_or_default().to_string())
                .or_default() += 1;
        }
        let total = page["total"].as_u64().unwrap_or(0) as usize;
        if total != batch.len() {
            found
                .duplicate_keys
                .push(format!("key in ({} keys) has total {total}", batch.len()));
        }
        for k in batch {
            match counts.get(k).copied().unwrap_or(0) {
                1 => {}
                0 => found.lost_creates.push(format!("{k} not found by key")),
                n => found.duplicate_keys.push(format!("{k} found {n} times")),
            }
        }
    }
}

/// Reads an issue's summary; settles an in-flight edit one way or the other.
async fn check_summary(
    http: &reqwest::Client,
    base: &str,
    key: &str,
    ledger: &Mutex<Ledger>,
    found: &mut Findings,
) {
    let r = http
        .get(format!("{base}/rest/api/2/issue/{key}?fields=summary"))
        .basic_auth("admin", Some(PASSWORD))
        .send()
        .await
        .expect("get issue");
    if r.status() != 200 {
        found
            .lost_creates
            .push(format!("{key}: acknowledged create, now {}", r.status()));
        return;
    }
    let v: Value = r.json().await.expect("issue json");
    let actual = v["fields"]["summary"].as_str().unwrap_or_default();
    let mut l = ledger.lock().unwrap();
    let Some(e) = l.issues.get_mut(key) else {
        return;
    };
    if e.pending.as_deref() == Some(actual) {
        e.acked = actual.to_string();
    } else if e.acked != actual {
        found.lost_edits.push(format!(
            "{key}: summary {actual:?}, acknowledged {:?}",
            e.acked
        ));
    }
    e.pending = None;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_during_concurrent_writes_loses_nothing_and_never_duplicates_index_documents() {
    let rounds: usize = std::env::var("TESSERA_CRASH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(6);
    let seed: u64 = std::env::var("TESSERA_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(7)
        });
    eprintln!("crash test: {rounds} rounds, TESSERA_CRASH_SEED={seed}");
    let mut rng = Rng(seed | 1);
    let dir = tempfile::tempdir().expect("temp dir");
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .no_proxy()
        .build()
        .expect("client");
    let ledger = Arc::new(Mutex::new(Ledger {
        owned: vec![Vec::new(); WRITERS],
        ..Default::default()
    }));
    let mut found = Findings::default();

    let port = free_port();
    let mut base = format!("http://127.0.0.1:{port}");
    let mut child = start(dir.path(), port);
    wait_ready(&http, &base, &mut child).await;
    let r = http
        .post(format!("{base}/rest/api/2/project"))
        .basic_auth("admin", Some(PASSWORD))
        .json(&json!({"key": PROJECT, "name": "Crash"}))
        .send()
        .await
        .expect("create project");
    assert_eq!(r.status(), 201);

    for round in 0..rounds {
        let tasks: Vec<_> = (0..WRITERS)
            .map(|w| {
                tokio::spawn(writer(
                    http.clone(),
                    base.clone(),
                    w,
                    round,
                    rng.next(),
                    ledger.clone(),
                ))
            })
            .collect();
        // Every other round a live reindex runs beside the writers (acknowledged or not).
        if round % 2 == 1 {
            let (http, base, delay) = (http.clone(), base.clone(), rng.below(800));
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(delay)).await;
                let _ = http
                    .post(format!("{base}/rest/api/2/reindex"))
                    .basic_auth("admin", Some(PASSWORD))
                    .send()
                    .await;
            });
        }
        // Kill at a random moment of the burst (the first requests included).
        tokio::time::sleep(Duration::from_millis(50 + rng.below(1500))).await;
        kill9(&mut child);
        for t in tasks {
            // Bounded by the client timeout; with the server gone requests fail fast.
            t.await.expect("writer task");
        }
        let (integrity, sqlite_count) = inspect_database(dir.path());
        if integrity != "ok" {
            found.integrity.push(format!("round {round}: {integrity}"));
        }

        // Restart; nothing writes until the checks are done, so SQLite's count holds.
        let port = free_port();
        base = format!("http://127.0.0.1:{port}");
        child = start(dir.path(), port);
        wait_ready(&http, &base, &mut child).await;
        check_index(&http, &base, sqlite_count, round, &mut found).await;
        let pending: Vec<String> = {
            let l = ledger.lock().unwrap();
            l.issues
                .iter()
                .filter(|(_, e)| e.pending.is_some())
                .map(|(k, _)| k.clone())
                .collect()
        };
        for key in &pending {
            check_summary(&http, &base, key, &ledger, &mut found).await;
        }
        let l = ledger.lock().unwrap();
        eprintln!(
            "round {round}: {sqlite_count} issues in SQLite; {} creates and {} edits acknowledged so far",
            l.acked_creates, l.acked_edits
        );
    }

    // Finally every acknowledged write, one by one, and every key through the index.
    let mut keys: Vec<String> = ledger.lock().unwrap().issues.keys().cloned().collect();
    keys.sort();
    for key in &keys {
        check_summary(&http, &base, key, &ledger, &mut found).await;
    }
    check_keys(&http, &base, &keys, &mut found).await;
    kill9(&mut child);
    let (creates, edits) = {
        let l = ledger.lock().unwrap();
        (l.acked_creates, l.acked_edits)
    };
    eprintln!(
        "crash test: {rounds} rounds, {creates} acknowledged creates, {edits} acknowledged edits; \
         lost creates {}, lost edits {}, duplicate findings {}, total mismatches {}, integrity failures {}",
        found.lost_creates.len(),
        found.lost_edits.len(),
        found.duplicate_keys.len(),
        found.total_mismatches.len(),
        found.integrity.len()
    );
    assert!(creates > 0, "no write was ever acknowledged");
    assert!(found.is_clean(), "{found:#?}");
}
