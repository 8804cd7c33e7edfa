//! Tessera: a self-hosted issue tracker in one binary, speaking the Jira REST API.
//!
//! # Codemap
//!
//! - `api/<surface>/`: wire types, extractors and error bodies of one API surface (Jira
//!   v2 under `/rest/api/2`, the session resource under `/rest/auth/1`). Handlers are
//!   thin: extract, call one service method, map to a wire type.
//! - `api/routes.rs`: the route table. **Architecture invariant:** every route is
//!   declared there with the token scope it needs ([`service::scopes`]), checked before
//!   the handler runs; a route without one refuses scoped tokens.
//! - `service/`: the application ([`service::App`]): permission checks, validation,
//!   workflows, changelog. **Architecture invariant:** every read and write of tracker
//!   data passes a permission check here, never in a handler.
//! - `store/`: SQLite (WAL, one writer thread with group commit, a read pool), the only
//!   module that imports rusqlite; schema in `migrations/`.
//! - `domain/`: plain types (no `Serialize`): what Tessera knows.
//! - `markup`: wiki markup to sanitised HTML for `renderedFields`.
//! - `api/web.rs` + `web/`: the browser UI, embedded with rust-embed; it calls only the
//!   public REST API (no private endpoints).
//! - `server`: the router, request logging, graceful shutdown. `cli`: the commands.
//!
//! **Architecture invariant:** every write to an issue appends to the `outbox` table in
//! the same transaction; the search indexer (tantivy) is fed only from there.

pub mod api;
pub mod cli;
pub mod config;
pub mod domain;
pub mod error;
pub mod jql;
pub mod logging;
pub mod markup;
pub mod net;
pub mod request_layers;
pub mod search;
pub mod server;
pub mod service;
pub mod store;
