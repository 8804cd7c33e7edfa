//! The embedded web UI: the hand-written ES modules and CSS of `web/`, compiled into the
//! binary with `rust-embed` (in debug builds they are read from disk, so edits show on
//! reload). The UI talks only to the public REST API with the cookie session; this module
//! serves files and nothing else.
//!
//! | route | answer |
//! |---|---|
//! | `GET /`, `/projects`, `/issues`, `/browse/{key}`, `/board/{key}`, `/board/{key}/backlog`, `/account`, `/login`, `/admin`, `/admin/{page}`, `/portal`, `/portal/{*path}`, `/desk/{*path}` | `index.html` (every client-side route of `web/app.js`, so a reload or a bookmark opens the app) |
//! | `GET /static/{*path}` | the file `web/{path}`, with its content type and an `ETag` |
//!
//! Assets are not fingerprinted, so every response says `Cache-Control: no-cache` with a
//! strong `ETag` (the SHA-256 of the file): browsers revalidate and get `304` when
//! nothing changed, and never run a stale module after an upgrade.

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

use crate::api::routes::{ANY, Routes};

#[derive(RustEmbed)]
#[folder = "web/"]
struct Assets;

pub fn routes() -> Routes {
    Routes::new()
        .get("/", ANY, index)
        .get("/login", ANY, index)
        .get("/projects", ANY, index)
        .get("/issues", ANY, index)
        .get("/browse/{key}", ANY, index)
        .get("/board/{key}", ANY, index)
        .get("/board/{key}/backlog", ANY, index)
        .get("/account", ANY, index)
        .get("/admin", ANY, index)
        .get("/admin/{page}", ANY, index)
        // The customer portal and the agents' desk pages route on the client.
        .get("/portal", ANY, index)
        .get("/portal/{*path}", ANY, index)
        .get("/desk/{*path}", ANY, index)
        .get("/static/{*path}", ANY, asset)
}

/// # `GET /` (and every client-side route): the single page.
async fn index(headers: HeaderMap) -> Response {
    serve("index.html", &headers)
}

/// # `GET /static/{*path}`: one embedded file.
async fn asset(Path(path): Path<String>, headers: HeaderMap) -> Response {
    if path.split('/').any(|seg| seg.is_empty() || seg == "..") || path == "index.html" {
        return not_found();
    }
    serve(&path, &headers)
}

fn serve(path: &str, headers: &HeaderMap) -> Response {
    let Some(file) = Assets::get(path) else {
        return not_found();
    };
    let etag = format!("\"{}\"", hex(&file.metadata.sha256_hash()[..16]));
    let cache = HeaderValue::from_static("no-cache");
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let etag = HeaderValue::from_str(&etag).unwrap_or_else(|_| HeaderValue::from_static("\"\""));
    if matches {
        return (
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, etag), (header::CACHE_CONTROL, cache)],
        )
            .into_response();
    }
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(content_type(path)),
            ),
            (header::ETAG, etag),
            (header::CACHE_CONTROL, cache),
        ],
        file.data.into_owned(),
    )
        .into_response()
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Not found",
    )
        .into_response()
}

/// The content types of the files `web/` holds; anything else is served as bytes.
fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("json") => "application/json",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(content_type("app.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("css/app.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }

    #[test]
    fn the_page_and_its_modules_are_embedded() {
        assert!(Assets::get("index.html").is_some());
        assert!(Assets::get("app.js").is_some());
        assert!(Assets::get("app.css").is_some());
    }
}
