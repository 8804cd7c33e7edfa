//! Load generator: issue create and get through HTTP with concurrent clients.
//!
//! Starts Tessera in-process on 127.0.0.1:0 with a fresh data directory (synchronous=FULL,
//! so every acknowledged create is fsynced), authenticates with an API token as Jira Cloud
//! clients do, and reports p50/p99 latency and throughput per phase.
//!
//! Run: `cargo bench --bench http_load` (env: `BENCH_SECONDS`, default 10 per phase;
//! `BENCH_CLIENTS`, default "1,16"). The clients share the machine's cores with the server,
//! so figures are conservative.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;

struct Phase {
    name: String,
    latencies_us: Vec<u64>,
    elapsed: Duration,
    errors: usize,
}

impl Phase {
    fn report(&mut self) {
        self.latencies_us.sort_unstable();
        let n = self.latencies_us.len();
        let pct = |p: f64| {
            self.latencies_us
                .get(((n as f64 * p) as usize).min(n.saturating_sub(1)))
                .copied()
                .unwrap_or(0)
        };
        println!(
            "{:<28} n={:>7}  p50={:>7.2} ms  p99={:>7.2} ms  throughput={:>8.0}/s  errors={}",
            self.name,
            n,
            pct(0.50) as f64 / 1000.0,
            pct(0.99) as f64 / 1000.0,
            n as f64 / self.elapsed.as_secs_f64(),
            self.errors
        );
    }
}

async fn run_phase<F, Fut>(name: String, clients: usize, seconds: u64, work: F) -> Phase
where
    F: Fn(usize, u64) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let work = Arc::new(work);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for client in 0..clients {
        let work = work.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0;
            let mut i = 0u64;
            while Instant::now() < deadline {
                let t = Instant::now();
                if work(client, i).await {
                    lat.push(t.elapsed().as_micros() as u64);
                } else {
                    errors += 1;
                }
                i += 1;
            }
            (lat, errors)
        }));
    }
    let mut latencies_us = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await.expect("client task");
        latencies_us.extend(l);
        errors += e;
    }
    Phase {
        name,
        latencies_us,
        elapsed: started.elapsed(),
        errors,
    }
}

fn main() {
    let seconds: u64 = std::env::var("BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let client_counts: Vec<usize> = std::env::var("BENCH_CLIENTS")
        .unwrap_or_else(|_| "1,16".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();

    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = tessera::config::Config::new(dir.path().to_path_buf());
    config.admin_password = Some("bench-admin-password".into());
    let (app, _) = tessera::service::Services::open(config).expect("open");

    // The server gets its own runtime (2 workers, like the machine); clients get another.
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
    let clients_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("rt");

    clients_rt.block_on(async move {
        let admin = app
            .users.user_by_ref(&tessera::service::users::UserRef::Username("admin".into()))
            .await
            .expect("lookup")
            .expect("admin");
        let (token, _) = app.auth.create_token(None, admin.id, "bench", vec![]).await.expect("token");
        let http = reqwest::Client::builder().pool_max_idle_per_host(64).build().expect("client");
        let auth = format!("Bearer {token}");
        http.post(format!("{base}/rest/api/2/project"))
            .header("authorization", &auth)
            .json(&json!({"key": "BENCH", "name": "Benchmark"}))
            .send()
            .await
            .expect("project");

        println!("Tessera HTTP benchmark: {seconds}s per phase, data dir on {}", dir.path().display());
        let mut created = 0u64;
        for &clients in &client_counts {
            let (http2, base2, auth2) = (http.clone(), base.clone(), auth.clone());
            let mut phase = run_phase(format!("create, {clients} clients"), clients, seconds, move |c, i| {
                let (http, base, auth) = (http2.clone(), base2.clone(), auth2.clone());
                async move {
                    let body = json!({"fields": {"project": {"key": "BENCH"}, "summary": format!("Load {c}-{i}"),
                        "issuetype": {"name": "Task"}, "labels": ["load", "bench"], "description": "Created by the benchmark"}});
                    matches!(http.post(format!("{base}/rest/api/2/issue")).header("authorization", auth).json(&body).send().await,
                        Ok(r) if r.status().as_u16() == 201)
                }
            })
            .await;
            created += phase.latencies_us.len() as u64;
            phase.report();
        }
        for &clients in &client_counts {
            let (http2, base2, auth2) = (http.clone(), base.clone(), auth.clone());
            let total = created.max(1);
            let mut phase = run_phase(format!("get issue, {clients} clients"), clients, seconds, move |c, i| {
                let (http, base, auth) = (http2.clone(), base2.clone(), auth2.clone());
                async move {
                    let n = (c as u64 * 7919 + i * 104_729) % total + 1;
                    matches!(http.get(format!("{base}/rest/api/2/issue/BENCH-{n}")).header("authorization", auth).send().await,
                        Ok(r) if r.status().as_u16() == 200)
                }
            })
            .await;
            phase.report();
        }
    });
}
