//! The HTTP server: one router for every surface, the authentication and logging layers,
//! security headers, and graceful shutdown.

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;

use crate::api;
use crate::service::App;

/// The whole HTTP surface of Tessera.
pub fn router(app: Arc<App>) -> Router {
    let limit = app.config.max_body_bytes;
    Router::new()
        .merge(api::jira::routes())
        .merge(api::v1::routes())
        .merge(api::yandex::routes())
        .merge(api::web::routes())
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            app.clone(),
            api::auth::authenticate,
        ))
        .layer(middleware::from_fn(jira_shaped_errors))
        .layer(middleware::from_fn(log_request))
        .layer(middleware::from_fn(security_headers))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(app)
}

async fn not_found(req: Request) -> Response {
    api::error_response(
        req.uri().path(),
        axum::http::StatusCode::NOT_FOUND,
        &format!(
            "No Tessera resource answers {} {}.",
            req.method(),
            req.uri().path()
        ),
    )
}

/// Framework rejections (405 Method Not Allowed, 413 from the body limit, path decoding
/// failures) come as plain text; clients expect every error in their surface's JSON
/// shape (see [`api::error_response`]).
async fn jira_shaped_errors(req: Request<Body>, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let response = next.run(req).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !status.is_client_error() && !status.is_server_error() || is_json {
        return response;
    }
    let message = match status.as_u16() {
        405 => format!("The method {method} is not supported by {path}."),
        413 => "The request body is larger than this server accepts.".to_string(),
        _ => status
            .canonical_reason()
            .unwrap_or("Request failed")
            .to_string(),
    };
    let mut shaped = api::error_response(&path, status, &message);
    if let Some(allow) = response.headers().get(header::ALLOW) {
        shaped.headers_mut().insert(header::ALLOW, allow.clone());
    }
    shaped
}

/// One line per request: method, route template, status, latency. Never headers, bodies
/// or query strings, so no credential can reach the log.
async fn log_request(req: Request<Body>, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| req.uri().path().to_string());
    let response = next.run(req).await;
    tracing::info!(
        target: "tessera::http",
        method = %method,
        route = %route,
        status = response.status().as_u16(),
        latency_us = started.elapsed().as_micros() as u64,
        "request"
    );
    response
}

async fn security_headers(req: Request<Body>, next: Next) -> Response {
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// Serves until `shutdown` resolves, then lets in-flight requests finish until the
/// configured shutdown deadline, cuts the rest, and waits for the store's writer to
/// commit everything it was handed (see [`crate::net::serve`] for the connection limits).
pub async fn serve(
    app: Arc<App>,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = router(app.clone());
    crate::net::serve(router, app.config.clone(), listener, shutdown).await?;
    // The writer runs jobs in order: once this empty one is done, every write a cut
    // request had already queued is committed too (acknowledged ones always were).
    let _ = app.store.write(|_| Ok(())).await;
    Ok(())
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
