//! Dataset generator and JQL load generator.
//!
//! Builds the data set `tessera demo` makes (the library's `service::demo` generator:
//! projects, people, epics and their issues with labels, components, versions, comment
//! threads, attachments and changelog) in a fresh data directory, measures the bulk load,
//! a full index rebuild, then JQL latency through HTTP with concurrent clients.
//!
//! Run: `cargo bench --bench search_load` with env
//!   BENCH_ISSUES (default 100000), BENCH_PROJECTS (500), BENCH_USERS (20000),
//!   BENCH_COMMENTS (avg per issue, default 5), BENCH_SECONDS (per phase, default 10),
//!   BENCH_CLIENTS (default 4), BENCH_PHASES (run only the phases whose name contains
//!   this text, e.g. `selective`), BENCH_LOAD_ONLY=1 (stop after the bulk load).

use std::time::{Duration, Instant};

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

fn pct(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)] as f64 / 1000.0
}

fn main() {
    let issues: usize = env("BENCH_ISSUES", 100_000);
    let set = tessera::service::demo::DataSet {
        projects: env("BENCH_PROJECTS", 500),
        users: env("BENCH_USERS", 20_000),
        issues,
        comments_per_issue: env("BENCH_COMMENTS", 5),
        seed: 42,
        batch_issues: tessera::service::demo::BATCH_ISSUES,
    };
    let seconds: u64 = env("BENCH_SECONDS", 10);
    let clients: usize = env("BENCH_CLIENTS", 4);

    let dir = tempfile::tempdir().expect("dir");
    let mut config = tessera::config::Config::new(dir.path().to_path_buf());
    config.admin_password = Some("bench-admin-password".into());
    let (app, _) = tessera::service::Services::open(config).expect("open");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("rt");

    println!("Tessera search benchmark: {set:?}");
    let started = Instant::now();
    let written = rt.block_on(app.demo.load_data_set(&set)).expect("load");
    let load = started.elapsed();
    println!(
        "bulk load      {written} issues in {:.1}s = {:.0} issues/s (with ~{} comments each, changelog)",
        load.as_secs_f64(),
        written as f64 / load.as_secs_f64(),
        set.comments_per_issue
    );
    let wal_mib = || {
        std::fs::metadata(dir.path().join("tessera.db-wal"))
            .map(|m| m.len())
            .unwrap_or(0) as f64
            / 1048576.0
    };
    let after_load = wal_mib();
    // The log starts over (and shrinks) at the first ordinary write once the
    // checkpointer has copied all of it; a bulk load outruns it.
    std::thread::sleep(Duration::from_secs(2));
    // Any ordinary write will do: a token for the administrator is one small row.
    rt.block_on(async {
        let admin = app
            .users
            .user_by_ref(&tessera::service::users::UserRef::Username("admin".into()))
            .await
            .expect("admin")
            .expect("admin");
        app.auth.create_token(None, admin.id, "wal", vec![]).await
    })
    .expect("write after the load");
    println!(
        "log (WAL)      {after_load:.0} MiB after the load, {:.0} MiB after the next write",
        wal_mib()
    );
    if env("BENCH_LOAD_ONLY", 0u8) == 1 {
        println!("RSS            {:.0} MiB", rss_mib());
        return;
    }

    let started = Instant::now();
    let indexed = app.search.rebuild_index_offline(|_| {}).expect("rebuild");
    let rebuild = started.elapsed();
    println!(
        "full reindex   {indexed} issues in {:.1}s = {:.0} issues/s",
        rebuild.as_secs_f64(),
        indexed as f64 / rebuild.as_secs_f64()
    );
    drop(app);
    let db = std::fs::metadata(dir.path().join("tessera.db"))
        .map(|m| m.len())
        .unwrap_or(0);
    println!("database size  {:.0} MiB", db as f64 / 1048576.0);

    // Reopen as a server would start.
    let mut config = tessera::config::Config::new(dir.path().to_path_buf());
    config.admin_password = Some("bench-admin-password".into());
    let (app, _) = tessera::service::Services::open(config).expect("reopen");
    let (tx, rx) = std::sync::mpsc::channel();
    let server_app = app.clone();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("rt");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send(listener.local_addr().expect("addr")).expect("send");
            tessera::server::serve(server_app, listener, std::future::pending())
                .await
                .expect("serve");
        });
    });
    let base = format!("http://{}", rx.recv().expect("addr"));
    rt.block_on(async {
        let admin = app
            .users.user_by_ref(&tessera::service::users::UserRef::Username("admin".into()))
            .await
            .expect("admin")
            .expect("admin");
        let (token, _) = app.auth.create_token(None, admin.id, "bench", vec![]).await.expect("token");
        let http = reqwest::Client::new();
        let auth = format!("Bearer {token}");
        let statuses = ["To Do", "In Progress", "In Review", "Done"];
        let phases: Vec<(&str, QueryMaker)> = vec![
            (
                "selective: project AND status ORDER BY updated DESC (50)",
                Box::new(move |i| {
                    // The generator's own project keys, so the data set is the demo's.
                    let (p, _) = tessera::service::demo::project_key_and_name(((i * 7) % set_projects()) as usize);
                    format!("project = {p} AND status = \"{}\" ORDER BY updated DESC", statuses[(i % 4) as usize])
                }),
            ),
            (
                "broad: priority = High ORDER BY updated DESC (50)",
                Box::new(|_| "priority = High ORDER BY updated DESC".to_string()),
            ),
            (
                "broad: priority in (High, Medium) ORDER BY updated DESC",
                Box::new(|_| "priority in (High, Medium) ORDER BY updated DESC".to_string()),
            ),
            ("text prefix: text ~ \"sync*\"", Box::new(|_| "text ~ \"sync*\"".to_string())),
            ("text word: summary ~ login ORDER BY created DESC", Box::new(|_| "summary ~ login ORDER BY created DESC".to_string())),
        ];
        let only: String = env("BENCH_PHASES", String::new());
        for (name, make) in phases.into_iter().filter(|(n, _)| n.contains(only.as_str())) {
            let make = std::sync::Arc::new(make);
            let deadline = Instant::now() + Duration::from_secs(seconds);
            let mut tasks = Vec::new();
            for c in 0..clients {
                let (http, base, auth, make) = (http.clone(), base.clone(), auth.clone(), make.clone());
                tasks.push(tokio::spawn(async move {
                    let mut lat = Vec::new();
                    let mut totals = Vec::new();
                    let mut i = c as u64;
                    while Instant::now() < deadline {
                        let jql = make(i);
                        let t = Instant::now();
                        let r = http
                            .post(format!("{base}/rest/api/2/search"))
                            .header("authorization", &auth)
                            .json(&serde_json::json!({"jql": jql, "maxResults": 50, "fields": ["summary", "status"]}))
                            .send()
                            .await
                            .expect("send");
                        let ok = r.status().is_success();
                        let body: serde_json::Value = r.json().await.unwrap_or_default();
                        if ok {
                            lat.push(t.elapsed().as_micros() as u64);
                            totals.push(body["total"].as_u64().unwrap_or(0));
                        } else {
                            eprintln!("{jql}: {body}");
                        }
                        i += clients as u64;
                    }
                    (lat, totals)
                }));
            }
            let mut lat = Vec::new();
            let mut totals = Vec::new();
            for t in tasks {
                let (l, tt) = t.await.expect("task");
                lat.extend(l);
                totals.extend(tt);
            }
            lat.sort_unstable();
            totals.sort_unstable();
            println!(
                "{name:<58} n={:>6} p50={:>7.2} ms p99={:>7.2} ms  {:>6.0} q/s  median matches={}",
                lat.len(),
                pct(&lat, 0.5),
                pct(&lat, 0.99),
                lat.len() as f64 / seconds as f64,
                totals.get(totals.len() / 2).copied().unwrap_or(0)
            );
        }
        if "ryw".contains(only.as_str()) {
            read_your_writes(&http, &base, &auth, seconds).await;
        }
    });
    println!(
        "RSS            {:.0} MiB (server and clients in one process)",
        rss_mib()
    );
}

/// Makes the i-th query of a phase.
type QueryMaker = Box<dyn Fn(u64) -> String + Send + Sync>;

fn set_projects() -> u64 {
    env("BENCH_PROJECTS", 500u64)
}

/// Read-your-writes delay: create an issue, then the time until the first search that
/// returns it answers (the search waits for the index to catch up with the create).
/// Creates run one after another, so the indexer is idle when each one starts.
async fn read_your_writes(http: &reqwest::Client, base: &str, auth: &str, seconds: u64) {
    let (project, _) = tessera::service::demo::project_key_and_name(0);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut lat = Vec::new();
    let mut total = Vec::new();
    while Instant::now() < deadline {
        let t0 = Instant::now();
        let created: serde_json::Value = http
            .post(format!("{base}/rest/api/2/issue"))
            .header("authorization", auth)
            .json(&serde_json::json!({"fields": {
                "project": {"key": project}, "issuetype": {"name": "Task"},
                "summary": "read-your-writes probe"}}))
            .send()
            .await
            .expect("create")
            .json()
            .await
            .expect("created");
        let Some(key) = created["key"].as_str() else {
            eprintln!("create failed: {created}");
            return;
        };
        let t = Instant::now();
        loop {
            let found: serde_json::Value = http
                .post(format!("{base}/rest/api/2/search"))
                .header("authorization", auth)
                .json(&serde_json::json!({"jql": format!("key = {key}"), "fields": ["summary"]}))
                .send()
                .await
                .expect("search")
                .json()
                .await
                .unwrap_or_default();
            if found["total"].as_u64() == Some(1) {
                break;
            }
        }
        lat.push(t.elapsed().as_micros() as u64);
        total.push(t0.elapsed().as_micros() as u64);
    }
    lat.sort_unstable();
    total.sort_unstable();
    println!(
        "{:<58} n={:>6} p50={:>7.2} ms p99={:>7.2} ms  (create+search p50={:.2} ms)",
        "read-your-writes: create, then search finds it",
        lat.len(),
        pct(&lat, 0.5),
        pct(&lat, 0.99),
        pct(&total, 0.5)
    );
}
