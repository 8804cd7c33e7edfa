//! One configuration struct, from CLI flags and `TESSERA_*` environment variables.
//! Every path derives from the data directory.

use std::net::SocketAddr;
use std::path::PathBuf;

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
    /// Failed logins per account allowed within `login_window_secs` before refusing.
    pub login_attempts: u32,
    pub login_window_secs: u64,
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
            login_window_secs: 60,
            session_hours: 24 * 14,
            max_body_bytes: 10 * 1024 * 1024,
            max_attachment_bytes: 10 * 1024 * 1024,
            index_writer: true,
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
