//! The per-request layers every surface shares: a request id, the access log line, and
//! the panic guard that turns a panicking handler into a 500 in the surface's shape.

use std::panic::AssertUnwindSafe;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::body::Body;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use futures_util::FutureExt;

use crate::api;
use crate::domain::UserId;

/// The id of one request, in its log lines and its `X-AREQUESTID` response header (the
/// header Jira Data Center sends), so a report from a user can be found in the log.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// Put into the response by the authentication layer: who made the request, for the log.
#[derive(Clone, Copy, Debug)]
pub struct LoggedUser(pub UserId);

/// Unique within a process (a counter) and across restarts (a random prefix per start).
fn next_request_id() -> String {
    static PREFIX: OnceLock<u32> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(1);
    let prefix = PREFIX.get_or_init(rand::random);
    format!("{prefix:08x}x{:x}", COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// One line per request: method, route template, status, latency, request id and user.
/// Never headers, bodies or query strings, so no credential can reach the log.
pub async fn log_request(mut req: Request<Body>, next: Next) -> Response {
    let started = Instant::now();
    let id = next_request_id();
    req.extensions_mut().insert(RequestId(id.clone()));
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| req.uri().path().to_string());
    let mut response = next.run(req).await;
    let user = response.extensions().get::<LoggedUser>().map(|u| u.0.0);
    tracing::info!(
        target: "tessera::http",
        method = %method,
        route = %route,
        status = response.status().as_u16(),
        latency_us = started.elapsed().as_micros() as u64,
        request_id = %id,
        user_id = user,
        "request"
    );
    if let Ok(v) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-arequestid", v);
    }
    response
}

/// A panic in a handler (or a layer inside this one) is a bug, but it must not drop the
/// connection without an answer: the client gets a 500 in its surface's error shape and
/// the log gets the panic's message with the request id. Nothing internal is echoed.
pub async fn catch_panic(req: Request<Body>, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| path.clone());
    let id = req
        .extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    match AssertUnwindSafe(next.run(req)).catch_unwind().await {
        Ok(response) => response,
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".into());
            tracing::error!(
                target: "tessera::http",
                request_id = %id,
                route = %route,
                panic = %message,
                "handler panicked"
            );
            api::error_response(
                &path,
                StatusCode::INTERNAL_SERVER_ERROR,
                &format!("Internal server error (request {id}). The server log has the details."),
            )
        }
    }
}
