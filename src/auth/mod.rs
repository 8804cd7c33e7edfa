//! Authentication: argon2id passwords, digest-only API tokens and their scopes, cookie
//! sessions, the throttling of failed logins, and reading credentials from request
//! headers. Who may do what once authenticated is `service::permissions`.
//!
//! Architecture invariant: passwords and tokens are never stored or logged in clear; a
//! token is kept as a digest, a password as an argon2id hash.

pub mod extract;
mod login_throttle;
mod password_cache;
pub mod scopes;
mod service;

pub use service::*;
