//! Tessera: a self-hosted issue tracker in one binary, speaking the Jira REST API.
//!
//! # Codemap
//!
//! Each item names a path under `src/` (checked by the tidy test in `tests/api/tidy.rs`,
//! which also checks the layering the invariants below state).
//!
//! - `api/`: the surfaces. Handlers are thin: extract, call one service method, map to
//!   the surface's wire type; errors go out in the surface's own shape
//!   ([`api::error_response`]). **Architecture invariant:** no surface names the store
//!   or the index; it only calls services.
//! - `api/jira/`: the Jira platform REST API under `/rest/api/2`, `/rest/api/3` and
//!   `/rest/api/latest`, personal access tokens under `/rest/pat/latest`, the cookie
//!   session under `/rest/auth/1/session`; one file per resource, wire types in
//!   `api/jira/dto.rs` and `api/jira/render.rs`.
//! - `api/agile/`: the Jira Software API under `/rest/agile/1.0` (boards, sprints, the
//!   backlog, ranking, epics; the agile page envelope), over `service/agile/`.
//! - `api/v1/`: the native v1 API (`/v1`, cursor pagination, `{"error": …}` bodies).
//! - `api/jsm/`: Jira Service Management's API (`/rest/servicedeskapi`): desks, request
//!   types, customer requests, customers, organizations, queues, SLAs.
//! - `api/yandex/`: Yandex Tracker's attachment list (`/v2/issues/{key}/attachments`).
//! - `api/routes.rs`: the route table. **Architecture invariant:** every route is
//!   declared there with the token scope it needs ([`auth::scopes`]), checked before
//!   the handler runs; a route without one refuses scoped tokens.
//! - `api/query.rs`: query strings for every surface: a list parameter (`api::query::List`)
//!   takes repeated and comma-separated values alike, any other its first value.
//! - `api/auth.rs`: the middleware that turns a request's credentials into its caller
//!   (401/429 in the surface's shape) and applies the cross-site rule for cookie writes.
//! - `api/web.rs`: the browser UI (`web/`, embedded with rust-embed); it calls only the
//!   public REST API.
//! - `auth/`: credentials: argon2id passwords, digest-only tokens and their scopes
//!   ([`auth::scopes`]), cookie sessions, failed-login throttling, and reading
//!   credentials from headers. **Architecture invariant:** no password or token is
//!   stored or logged in clear.
//! - `service/`: the application ([`service::Services`], one service per area):
//!   permission checks, validation, workflows, changelog. **Architecture invariant:**
//!   every read and write of tracker data passes a permission check here, never in a
//!   handler.
//! - `store/`: SQLite (WAL, one writer thread with group commit, a read pool); schema
//!   in `migrations/`. Services get handles of the store's own: a [`store::Db`] for
//!   reads, a [`store::Tx`] in write jobs. **Architecture invariant:** the only module
//!   that names rusqlite; no connection leaves it, and a function taking a `Db` cannot
//!   write.
//! - `search/`: the tantivy index, written only through its [`search::Writer`], which
//!   the indexer job owns. **Architecture invariant:** the only module that names
//!   tantivy; every write to an issue appends to the `outbox` table in the same
//!   transaction, and an issue has exactly one index document whatever the crash point.
//! - `jobs/`: work beside the requests: the indexer (drains the outbox into the index)
//!   and housekeeping (the attachment folders' start-up recovery). **Architecture
//!   invariant:** the indexer is the only index writer while the server runs; a job
//!   never runs on behalf of a caller and names neither tantivy nor rusqlite.
//! - `jql/`: the JQL language: lexer, parser, printer, validation, and resolution into
//!   a `jql::Plan` through the `jql::Lookup` trait the service implements; `search/`
//!   translates plans into index queries. **Architecture invariant:** no I/O.
//! - `domain/`: plain types and rules. **Architecture invariant:** no I/O and no
//!   `Serialize`: each surface has its own wire types.
//! - `markup/`: wiki markup to sanitised HTML. **Architecture invariant:** only the
//!   renderer's own tags come out (its property test and fuzz target hold it to that).
//! - `net/`: the accept loop: client addresses, header, body and idle timeouts, the
//!   connection cap, the shutdown deadline.
//! - `server.rs`: the router and the layers every surface shares.
//! - `request_layers.rs`: request ids, the access log line, the panic guard.
//! - `logging.rs`: the log's format (text on a terminal, or JSON lines).
//! - `config.rs`: one struct from flags and `TESSERA_*` variables; every path derives
//!   from the data directory.
//! - `cli.rs`: the commands (`serve`, `migrate`, `user`, `token`, `reindex`).
//! - `error.rs`: the error kinds every layer shares, mapped to a status once per
//!   surface.

pub mod api;
pub mod auth;
pub mod cli;
pub mod config;
pub mod domain;
pub mod error;
pub mod jobs;
pub mod jql;
pub mod logging;
pub mod markup;
pub mod net;
pub mod request_layers;
pub mod search;
pub mod server;
pub mod service;
pub mod store;
