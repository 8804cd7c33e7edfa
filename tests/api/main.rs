//! The one integration-test binary: every test talks HTTP to one real server on port 0
//! with a temporary data directory. Each test uses its own project key.

mod attachments;
mod attachments_storage;
mod cli;
mod comments;
mod common;
mod components_versions;
mod crash;
mod dataset;
mod filters;
mod groups;
mod handlers;
mod hardening;
mod index_repair;
mod issues;
mod links_watchers;
mod login_throttle;
mod pat;
mod platform;
mod preferences;
mod projects;
mod properties;
mod remote_links;
mod scopes;
mod search;
mod slow_clients;
mod tidy;
mod users_admin;
mod users_auth;
mod v1;
mod worklogs;
mod yandex;
