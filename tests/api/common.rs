//! The shared test server and small HTTP helpers.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub const ADMIN_PASSWORD: &str = "admin-test-password";

pub struct Server {
    pub base: String,
    pub data_dir: std::path::PathBuf,
    pub app: std::sync::Arc<tessera::service::Services>,
}

static SERVER: OnceLock<Server> = OnceLock::new();

/// The server shared by every test: started once on its own runtime thread, so it
/// outlives each test's runtime.
pub fn server() -> &'static Server {
    SERVER.get_or_init(|| {
        let server = start_server();
        assert!(
            server.printed_password.is_none(),
            "a configured admin password is never printed"
        );
        server.server
    })
}

pub struct Started {
    pub server: Server,
    pub printed_password: Option<String>,
}

/// Starts a server of its own on a new temporary data directory, for tests that need
/// one to themselves (a data set loaded into it, say).
pub fn start_server() -> Started {
    start_server_with(|_| {})
}

/// `start_server` with settings of its own (login limits, timeouts), applied after the
/// test defaults.
pub fn start_server_with(customize: impl FnOnce(&mut tessera::config::Config)) -> Started {
    let dir = tempfile::tempdir().expect("temp dir").keep();
    let mut config = tessera::config::Config::new(dir.clone());
    config.admin_password = Some(ADMIN_PASSWORD.to_string());
    // Tests deliberately fail logins; high limits keep them independent.
    config.login_attempts = 1000;
    config.login_client_attempts = 100_000;
    // Tests move time on (`advance_clock`) instead of sleeping.
    config.clock = tessera::domain::Clock::adjustable();
    customize(&mut config);
    // `Services::open` blocks on the store's writer; tests call this from inside a tokio
    // runtime, where blocking is refused, so open it on a plain thread.
    let (app, printed) = std::thread::spawn(move || tessera::service::Services::open(config))
        .join()
        .expect("open thread")
        .expect("open app");
    let (tx, rx) = std::sync::mpsc::channel();
    let server_app = app.clone();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send(listener.local_addr().expect("addr"))
                .expect("send addr");
            tessera::server::serve(server_app, listener, std::future::pending())
                .await
                .expect("serve");
        });
    });
    let addr = rx.recv().expect("server address");
    Started {
        server: Server {
            base: format!("http://{addr}"),
            data_dir: dir,
            app,
        },
        printed_password: printed,
    }
}

/// Moves the shared server's clock forward, as time passing would: every later
/// timestamp it writes is at least `by` after every earlier one. Forward only, so the
/// tests running beside see nothing but time going by.
pub fn advance_clock(by: std::time::Duration) {
    server().app.config.clock.advance(by);
}

/// A project key no other test uses.
pub fn unique_key(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let n = N.fetch_add(1, Ordering::SeqCst);
    let pid = std::process::id() % 1000;
    let mut key: String = format!("{prefix}{pid}X{n}")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    key.truncate(10);
    key.to_ascii_uppercase()
}

#[derive(Clone)]
pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub auth: Option<(String, String)>,
    pub bearer: Option<String>,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Reply {
    /// Reads a response whole: status, headers, text and (when it parses) JSON.
    pub async fn read(resp: reqwest::Response) -> Reply {
        let status = resp.status();
        let headers = resp.headers().clone();
        let text = resp.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
            text,
        }
    }

    /// Asserts the status, printing the body when it differs.
    pub fn expect(self, status: u16) -> Reply {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            self.text
        );
        self
    }

    /// Asserts Jira's error shape and returns all its messages joined.
    pub fn jira_error(&self) -> String {
        assert!(
            self.body.get("errorMessages").is_some_and(|m| m.is_array()),
            "not a Jira error body: {}",
            self.text
        );
        assert!(
            self.body.get("errors").is_some_and(|m| m.is_object()),
            "not a Jira error body: {}",
            self.text
        );
        let mut all: Vec<String> = self.body["errorMessages"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| m.as_str().map(String::from))
            .collect();
        if let Some(o) = self.body["errors"].as_object() {
            all.extend(
                o.iter()
                    .map(|(k, v)| format!("{k}: {}", v.as_str().unwrap_or_default())),
            );
        }
        all.join(" | ")
    }
}

impl Client {
    pub fn admin() -> Client {
        Client::basic("admin", ADMIN_PASSWORD)
    }

    /// This client, against another server.
    pub fn on(mut self, server: &Server) -> Client {
        self.base = server.base.clone();
        self
    }

    /// This client, connecting from another loopback address (127.0.0.0/8 is all local).
    pub fn bound_to(mut self, local: &str) -> Client {
        let ip: std::net::IpAddr = local.parse().expect("local address");
        self.http = reqwest::Client::builder()
            .local_address(ip)
            .build()
            .expect("client");
        self
    }

    pub fn basic(user: &str, password: &str) -> Client {
        Client {
            http: reqwest::Client::new(),
            base: server().base.clone(),
            auth: Some((user.into(), password.into())),
            bearer: None,
        }
    }

    pub fn bearer(token: &str) -> Client {
        Client {
            http: reqwest::Client::new(),
            base: server().base.clone(),
            auth: None,
            bearer: Some(token.into()),
        }
    }

    pub fn anonymous() -> Client {
        Client {
            http: reqwest::Client::new(),
            base: server().base.clone(),
            auth: None,
            bearer: None,
        }
    }

    /// Adds this client's credentials (Basic or Bearer) to a request.
    pub fn authorize(&self, mut req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        if let Some((u, p)) = &self.auth {
            req = req.basic_auth(u, Some(p));
        }
        if let Some(t) = &self.bearer {
            req = req.bearer_auth(t);
        }
        req
    }

    pub async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let url = if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{path}", self.base)
        };
        let mut req = self.http.request(method, url);
        req = self.authorize(req);
        if let Some(b) = body {
            req = req.json(&b);
        }
        Reply::read(req.send().await.expect("request")).await
    }

    pub async fn raw(&self, method: Method, path: &str, content_type: &str, body: &str) -> Reply {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("content-type", content_type)
            .body(body.to_string());
        req = self.authorize(req);
        Reply::read(req.send().await.expect("request")).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None).await
    }
    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(Method::POST, path, Some(body)).await
    }
    pub async fn put(&self, path: &str, body: Value) -> Reply {
        self.send(Method::PUT, path, Some(body)).await
    }
    pub async fn delete(&self, path: &str) -> Reply {
        self.send(Method::DELETE, path, None).await
    }
}

/// Creates a project (as admin) and returns its key.
pub async fn project(prefix: &str) -> String {
    project_with(&Client::admin(), prefix).await
}

/// Creates a project through `admin` (which may point at a server of its own).
pub async fn project_with(admin: &Client, prefix: &str) -> String {
    let key = unique_key(prefix);
    admin
        .post(
            "/rest/api/2/project",
            json!({"key": key, "name": format!("Project {key}"), "projectTypeKey": "software"}),
        )
        .await
        .expect(201);
    key
}

/// Creates an issue and returns its key.
pub async fn issue(project: &str, summary: &str) -> String {
    issue_with(&Client::admin(), project, summary).await
}

/// Creates an issue through `admin` (which may point at a server of its own).
pub async fn issue_with(admin: &Client, project: &str, summary: &str) -> String {
    let r = admin
        .post("/rest/api/2/issue", json!({"fields": {"project": {"key": project}, "summary": summary, "issuetype": {"name": "Task"}}}))
        .await
        .expect(201);
    r.body["key"].as_str().expect("key").to_string()
}

/// Creates a user with a password (as admin) and returns its username.
pub async fn user(prefix: &str) -> (String, String) {
    user_with(&Client::admin(), prefix).await
}

/// Creates a user through `admin` (which may point at a server of its own).
pub async fn user_with(admin: &Client, prefix: &str) -> (String, String) {
    let name = unique_key(prefix).to_lowercase();
    let password = format!("pw-{name}-secret");
    admin
        .post(
            "/rest/api/2/user",
            json!({"name": name, "emailAddress": format!("{name}@example.com"), "displayName": format!("User {name}"), "password": password}),
        )
        .await
        .expect(201);
    (name, password)
}

/// A tiny deterministic generator (xorshift): tests need varied values and timing that
/// a seed can replay, not good randomness.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// A value below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    pub fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize]
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// The issue ids in a data directory's search index, one entry per document, read
/// beside the server (a reader of its own sees the last commit when it opens).
pub fn index_documents(index_dir: &std::path::Path) -> Vec<i64> {
    let (index, _) = tessera::search::SearchIndex::open(index_dir, false).expect("open index");
    index.document_ids().expect("document ids")
}
