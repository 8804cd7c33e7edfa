//! The log: human-readable lines on standard error, coloured only when that is a
//! terminal (escape codes in a log file are noise), or one JSON object per line with
//! `TESSERA_LOG_FORMAT=json` for log collectors. `TESSERA_LOG` filters (tracing syntax).

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

const DEFAULT_FILTER: &str = "info,tantivy=warn";

/// Installs the global subscriber; called once by `main`.
pub fn init() {
    let filter =
        EnvFilter::try_from_env("TESSERA_LOG").unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let json = std::env::var("TESSERA_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    if json {
        builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .init();
    } else {
        builder.with_ansi(std::io::stderr().is_terminal()).init();
    }
}
