//! The one integration-test binary: every test talks HTTP to one real server on port 0
//! with a temporary data directory. Each test uses its own project key.

mod attachments;
mod attachments_storage;
mod audit;
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
mod issue_security;
mod issues;
mod links_watchers;
mod login_throttle;
mod pat;
mod permission_schemes;
mod platform;
mod preferences;
mod projects;
mod properties;
mod remote_links;
mod roles;
mod scopes;
mod search;
mod slow_clients;
mod tidy;
mod users_admin;
mod users_auth;
mod v1;
mod worklogs;
mod yandex;
