//! Slow and stalled clients (issue 10 item 5): header-read and body-progress timeouts,
//! the connection cap with a clean refusal, and the shutdown deadline. Each test runs a
//! server of its own with short limits.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use serde_json::json;
use tessera::config::Config;
use tessera::service::Services;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::{ADMIN_PASSWORD, unique_key};

/// Far beyond every limit a test sets; only bounds a test that would otherwise hang.
const BOUND: Duration = Duration::from_secs(10);

fn open(config: Config) -> Arc<Services> {
    std::thread::spawn(move || Services::open(config))
        .join()
        .expect("open thread")
        .expect("open app")
        .0
}

fn config(dir: &std::path::Path, customize: impl FnOnce(&mut Config)) -> Config {
    let mut c = Config::new(dir.to_path_buf());
    c.admin_password = Some(ADMIN_PASSWORD.into());
    customize(&mut c);
    c
}

struct Running {
    addr: std::net::SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
    served: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Serves `app` on this test's runtime until `stop` is sent.
async fn run(app: Arc<Services>) -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let served = tokio::spawn(tessera::server::serve(app, listener, async move {
        let _ = stopped.await;
    }));
    Running { addr, stop, served }
}

fn basic() -> String {
    let raw = format!("admin:{ADMIN_PASSWORD}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

/// Opens a connection and sends the start of a request that never ends.
async fn stall_in_headers(addr: std::net::SocketAddr) -> TcpStream {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    s.write_all(b"GET /rest/api/2/serverInfo HTTP/1.1\r\nHost: tessera\r\n")
        .await
        .expect("write");
    s
}

/// Everything the server sends until it closes the connection.
async fn until_closed(s: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let read = tokio::time::timeout(BOUND, async {
        let mut buf = [0u8; 4096];
        loop {
            match s.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    assert!(read.is_ok(), "the server never closed the connection");
    String::from_utf8_lossy(&out).into_owned()
}

async fn server_info(addr: std::net::SocketAddr) -> reqwest::Response {
    reqwest::get(format!("http://{addr}/rest/api/2/serverInfo"))
        .await
        .expect("request")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_headers_are_cut_while_others_are_served() {
    let dir = tempfile::tempdir().expect("dir");
    let app = open(config(dir.path(), |c| {
        c.header_read_timeout = Duration::from_secs(1)
    }));
    let server = run(app).await;
    let mut stalled = stall_in_headers(server.addr).await;
    assert_eq!(server_info(server.addr).await.status(), 200);
    until_closed(&mut stalled).await;
    let _ = server.stop.send(());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_over_the_cap_are_refused_cleanly_then_served_again() {
    let dir = tempfile::tempdir().expect("dir");
    let app = open(config(dir.path(), |c| {
        c.max_connections = 4;
        c.header_read_timeout = Duration::from_secs(1);
    }));
    let server = run(app).await;
    let mut stalled = Vec::new();
    for _ in 0..4 {
        stalled.push(stall_in_headers(server.addr).await);
    }
    let refused = server_info(server.addr).await;
    assert_eq!(refused.status(), 503);
    let body: serde_json::Value = refused.json().await.expect("json body");
    assert!(body["errorMessages"][0].is_string(), "{body}");
    assert!(body["errors"].is_object(), "{body}");
    for s in &mut stalled {
        until_closed(s).await;
    }
    // The slots free as the stalled connections end; a moment later service resumes.
    let mut status = 0;
    for _ in 0..50 {
        status = server_info(server.addr).await.status().as_u16();
        if status == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status, 200);
    let _ = server.stop.send(());
}

/// Sends the head of an issue-creating POST whose body (of `Content-Length: 500`)
/// starts but never finishes.
async fn start_stalled_post(addr: std::net::SocketAddr) -> TcpStream {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST /rest/api/2/issue HTTP/1.1\r\nHost: tessera\r\nAuthorization: {}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{{\"fields\":",
        basic()
    );
    s.write_all(head.as_bytes()).await.expect("write");
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_body_is_cut_with_408() {
    let dir = tempfile::tempdir().expect("dir");
    let app = open(config(dir.path(), |c| {
        c.body_read_timeout = Duration::from_secs(1)
    }));
    let server = run(app).await;
    let mut s = start_stalled_post(server.addr).await;
    let answer = until_closed(&mut s).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("errorMessages"), "{answer}");
    let _ = server.stop.send(());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_cuts_a_trickling_request_at_the_deadline_and_keeps_acknowledged_writes() {
    let dir = tempfile::tempdir().expect("dir");
    let app = open(config(dir.path(), |c| {
        c.shutdown_deadline = Duration::from_secs(1)
    }));
    let server = run(app.clone()).await;
    let key = unique_key("SHUT");
    let created = reqwest::Client::new()
        .post(format!("http://{}/rest/api/2/project", server.addr))
        .header("authorization", basic())
        .json(&json!({"key": key, "name": "Shutdown", "projectTypeKey": "software"}))
        .send()
        .await
        .expect("create project");
    assert_eq!(created.status(), 201);

    // A body that trickles a byte every 100 ms: never stalled, never finished.
    let mut s = start_stalled_post(server.addr).await;
    let trickle = tokio::spawn(async move {
        while s.write_all(b" ").await.is_ok() {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let _ = server.stop.send(());
    let served = tokio::time::timeout(BOUND, server.served).await;
    assert!(
        served.is_ok(),
        "serve did not return after the shutdown deadline"
    );
    served
        .expect("returned")
        .expect("serve task")
        .expect("serve");
    trickle.abort();
    drop(app);

    // Reopened, the acknowledged project is there.
    let reopened = open(config(dir.path(), |c| c.index_writer = false));
    let server = run(reopened).await;
    let got = reqwest::Client::new()
        .get(format!("http://{}/rest/api/2/project/{key}", server.addr))
        .header("authorization", basic())
        .send()
        .await
        .expect("get project");
    assert_eq!(got.status(), 200);
    let _ = server.stop.send(());
}
