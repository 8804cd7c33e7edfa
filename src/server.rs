//! The HTTP server: one router for every surface, the authentication and logging layers,
//! security headers, and graceful shutdown.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;

use crate::api;
use crate::request_layers;
use crate::service::Services;

/// The whole HTTP surface of Tessera.
pub fn router(app: Arc<Services>) -> Router {
    with_layers(app, api::routes())
}

/// Wraps `routes` in the layers every surface shares, innermost first: the scope check
/// from the route table, authentication, surface-shaped framework errors, the panic
/// guard, the request id and access log, the security headers, the body limit. Public
/// so a test can put a route of its own (one that panics, say) behind exactly the
/// layers the server uses.
pub fn with_layers(app: Arc<Services>, routes: api::routes::Routes) -> Router {
    let limit = app.config.max_body_bytes;
    let (routes, scopes) = routes.into_parts();
    Router::new()
        .merge(routes)
        .fallback(not_found)
        // Inside authentication: it needs the caller the authentication layer resolved.
        .layer(middleware::from_fn_with_state(scopes, api::routes::enforce))
        .layer(middleware::from_fn_with_state(
            app.clone(),
            api::auth::authenticate,
        ))
        .layer(middleware::from_fn(jira_shaped_errors))
        .layer(middleware::from_fn(request_layers::catch_panic))
        .layer(middleware::from_fn(request_layers::log_request))
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

async fn security_headers(req: Request<Body>, next: Next) -> Response {
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    // A response with a policy of its own (a served upload's sandbox) keeps it.
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// Serves until `shutdown` resolves, then lets in-flight requests finish until the
/// configured shutdown deadline, cuts the rest, and waits for the store's writer to
/// commit everything it was handed (see [`crate::net::serve`] for the connection limits).
pub async fn serve(
    app: Arc<Services>,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = router(app.clone());
    crate::net::serve(router, app.config.clone(), listener, shutdown).await?;
    // The writer runs jobs in order: once this empty one is done, every write a cut
    // request had already queued is committed too (acknowledged ones always were).
    let _ = app.flush().await;
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
