//! One configuration struct, from CLI flags and `TESSERA_*` environment variables.
//! Every path derives from the data directory.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::net::IpNet;

#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub listen: SocketAddr,
    /// Base URL for every `self` link; derived from the request's Host when unset.
    pub base_url: Option<String>,
    /// Password for the first administrator; random (and printed once) when unset.
    pub admin_password: Option<String>,
    /// How long a successful password check is remembered (keyed digest, in memory).
    pub password_cache_secs: u64,
    /// Failed logins for one account from one client address before that pair is
    /// throttled (429 + `Retry-After`, the delay doubling on each further failure). Other
    /// clients are never affected, so nobody can lock a user out.
    pub login_attempts: u32,
    /// Failed logins from one client address across all accounts (password spraying)
    /// before that address is throttled.
    pub login_client_attempts: u32,
    /// Failures older than this (counted from the end of any delay) are forgotten; also
    /// the first delay.
    pub login_window_secs: u64,
    /// Most entries kept in each login-failure table (per account+client, per client).
    pub login_table_cap: usize,
    /// Peers whose `X-Forwarded-For` is believed (reverse proxies); empty: none.
    pub trusted_proxies: Vec<IpNet>,
    /// A request's header must arrive within this after the first byte (after the
    /// connection opens, for the first request).
    pub header_read_timeout: Duration,
    /// A request body that sends nothing for this long is cut with 408.
    pub body_read_timeout: Duration,
    /// A kept-alive connection with no new request for this long is closed.
    pub keep_alive_idle: Duration,
    /// Open connections served at once; more are answered 503 and closed.
    pub max_connections: usize,
    /// After a shutdown signal, how long in-flight requests may still run.
    pub shutdown_deadline: Duration,
    /// Cookie session lifetime.
    pub session_hours: u64,
    /// Largest accepted request body, bytes.
    pub max_body_bytes: usize,
    /// Largest accepted attachment (each file of an upload), bytes
    /// (`TESSERA_MAX_ATTACHMENT_BYTES`).
    pub max_attachment_bytes: u64,
    /// Whether this process owns the search index writer. Only the server does: admin
    /// commands run beside a live server and must not take the index lock.
    pub index_writer: bool,
    /// Where timestamps come from; tests use an adjustable clock to move time on.
    pub clock: crate::domain::Clock,
}

impl Config {
    pub fn new(data_dir: PathBuf) -> Config {
        Config {
            data_dir,
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            base_url: None,
            admin_password: None,
            password_cache_secs: 300,
            login_attempts: 5,
            login_client_attempts: 20,
            login_window_secs: 60,
            login_table_cap: 50_000,
            trusted_proxies: Vec::new(),
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(30),
            keep_alive_idle: Duration::from_secs(60),
            max_connections: 512,
            shutdown_deadline: Duration::from_secs(10),
            session_hours: 24 * 14,
            max_body_bytes: 10 * 1024 * 1024,
            max_attachment_bytes: 10 * 1024 * 1024,
            index_writer: true,
            clock: crate::domain::Clock::system(),
        }
    }

    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("tessera.db")
    }
    pub fn index_dir(&self) -> PathBuf {
        self.data_dir.join("index")
    }
    pub fn attachments_dir(&self) -> PathBuf {
        self.data_dir.join("attachments")
    }

    /// Creates the data directory and its folders.
    pub fn prepare_dirs(&self) -> std::io::Result<()> {
        for dir in [
            self.data_dir.clone(),
            self.index_dir(),
            self.attachments_dir(),
        ] {
            std::fs::create_dir_all(dir)?;
        }
        Ok(())
    }
}
