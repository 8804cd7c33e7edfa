//! Authentication (Basic with password or API token, Bearer tokens, cookie sessions, the
//! failed-login limit) and the user and group resources.

use base64::Engine;
use reqwest::{Method, header};
use serde_json::{Value, json};
use tessera::auth::Credentials;
use tessera::domain::UserId;
use tessera::error::Kind;
use tessera::service::users::{NewUserInput, UserRef};

use crate::common::{ADMIN_PASSWORD, Client, Reply, project, server, unique_key, user};

mod basic;
mod sessions;
mod tokens;
mod users;

/// A request with arbitrary headers (the `Client` helper only does Basic and Bearer).
async fn with_headers(
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> Reply {
    let mut req = reqwest::Client::new().request(method, format!("{}{path}", server().base));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    Reply::read(req.send().await.expect("request")).await
}

async fn user_id(name: &str) -> UserId {
    server()
        .app
        .users
        .user_by_ref(&UserRef::Username(name.to_string()))
        .await
        .expect("lookup")
        .expect("user exists")
        .id
}
