//! The accept loop: one hyper HTTP/1 connection per socket, with the limits
//! `axum::serve` does not offer — header-read, body-progress and keep-alive idle
//! timeouts, a cap on open connections, and a deadline for draining at shutdown — and
//! the client address of every request (`ConnectInfo` and the resolved [`ClientIp`]).

mod body_timeout;
pub mod client_addr;
mod head_timer;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderValue, Request, StatusCode, header};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use tower_service::Service;

pub use client_addr::{ClientIp, IpNet};

use crate::config::Config;

/// Connections over the cap that may be answered at once; beyond that they are closed
/// without an answer, so refusing can never itself exhaust file descriptors.
const REFUSALS_AT_ONCE: usize = 64;

/// Serves `router` on `listener` until `shutdown` resolves; then stops accepting, lets
/// open requests finish until `config.shutdown_deadline`, and cuts what is left.
pub async fn serve(
    router: Router,
    config: Arc<Config>,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let connections = Arc::new(Semaphore::new(config.max_connections.max(1)));
    let refusals = Arc::new(Semaphore::new(REFUSALS_AT_ONCE));
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut tasks = JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        tokio::select! {
            biased;
            () = &mut shutdown => break,
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let _ = stream.set_nodelay(true);
                    match connections.clone().try_acquire_owned() {
                        Ok(permit) => {
                            let conn = connection(stream, peer, router.clone(), config.clone(), stop_rx.clone());
                            tasks.spawn(async move {
                                conn.await;
                                drop(permit);
                            });
                        }
                        Err(_) => {
                            if let Ok(permit) = refusals.clone().try_acquire_owned() {
                                tasks.spawn(async move {
                                    refuse(stream).await;
                                    drop(permit);
                                });
                            }
                        }
                    }
                }
                Err(e) => {
                    // Out of file descriptors (EMFILE) or a connection reset before accept:
                    // back off briefly instead of spinning; open connections time out.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
        }
    }
    drop(listener);
    let _ = stop_tx.send(true);
    let drained = tokio::time::timeout(config.shutdown_deadline, async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            connections = tasks.len(),
            "shutdown deadline reached: closing the connections still open"
        );
        tasks.shutdown().await;
    }
    Ok(())
}

/// Serves one connection until it closes, times out, or shutdown asks it to finish.
async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    config: Arc<Config>,
    mut stop: watch::Receiver<bool>,
) {
    let activity = Arc::new(head_timer::Activity::default());
    let timer = head_timer::HeadTimer {
        activity: activity.clone(),
        header: config.header_read_timeout,
        idle: config.keep_alive_idle,
    };
    let body_timeout = config.body_read_timeout;
    let header_timeout = config.header_read_timeout;
    let service_activity = activity.clone();
    let service = hyper::service::service_fn(move |req: Request<hyper::body::Incoming>| {
        service_activity.request_started();
        let client = client_addr::resolve(peer, req.headers(), &config.trusted_proxies);
        let path = req.uri().path().to_string();
        let stalled = Arc::new(AtomicBool::new(false));
        let flag = stalled.clone();
        let mut req = req.map(|b| Body::new(body_timeout::TimeoutBody::new(b, body_timeout, flag)));
        req.extensions_mut().insert(ConnectInfo(peer));
        req.extensions_mut().insert(client);
        let mut router = router.clone();
        async move {
            let mut response = match router.call(req).await {
                Ok(r) => r,
                Err(never) => match never {},
            };
            if stalled.load(Ordering::Relaxed) {
                response = crate::api::error_response(
                    &path,
                    StatusCode::REQUEST_TIMEOUT,
                    "The client stopped sending the request body.",
                );
                response
                    .headers_mut()
                    .insert(header::CONNECTION, HeaderValue::from_static("close"));
            }
            Ok::<_, Infallible>(response)
        }
    });
    let io = TokioIo::new(head_timer::CountingStream::new(stream, activity));
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(timer)
        .header_read_timeout(header_timeout)
        .keep_alive(true)
        .serve_connection(io, service);
    let mut conn = std::pin::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        () = stopped(&mut stop) => {
            // Finish the request in progress (the deadline in `serve` bounds it), then close.
            conn.as_mut().graceful_shutdown();
            let _ = conn.as_mut().await;
        }
    }
}

/// Resolves once shutdown has begun.
async fn stopped(stop: &mut watch::Receiver<bool>) {
    // The guard `wait_for` returns is not `Send`; end it here, not across an await.
    let _ = stop.wait_for(|stop| *stop).await.map(|_| ());
}

/// The answer over the connection cap: 503 in Jira's error shape, then close. The
/// request is not read (its path, hence its surface, is unknown), only drained so that
/// closing does not reset the connection before the client has read the answer.
async fn refuse(mut stream: TcpStream) {
    const BODY: &str = r#"{"errorMessages":["The server has too many open connections. Try again shortly."],"errors":{}}"#;
    let head = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json;charset=UTF-8\r\nretry-after: 1\r\nconnection: close\r\ncontent-length: {}\r\n\r\n",
        BODY.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(BODY.as_bytes()).await?;
        stream.shutdown().await?;
        let mut sink = [0u8; 4096];
        while stream.read(&mut sink).await? > 0 {}
        Ok::<_, std::io::Error>(())
    })
    .await;
}
