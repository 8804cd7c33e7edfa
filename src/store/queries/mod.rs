//! Query functions, one file per area. Each takes a connection (`Db`) so the same function
//! serves reads on the pool and writes inside the writer's transaction.

pub mod attachments;
pub mod auth;
pub mod bulk;
pub mod catalog;
pub mod changelog;
pub mod comment_events;
pub mod comments;
pub mod components;
pub mod filters;
pub mod issues;
pub mod links;
pub mod projects;
pub mod properties;
pub mod remote_links;
pub mod users;
pub mod version_links;
pub mod watchers;
pub mod worklogs;

pub use rusqlite::Connection as Db;
