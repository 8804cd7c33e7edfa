//! The `tessera` command line: serve, migrate, and administration commands.

use std::io::BufRead;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::Config;
use crate::service::Services;
use crate::service::users::{NewUserInput, UserRef};

#[derive(Parser)]
#[command(
    name = "tessera",
    version,
    about = "A self-hosted issue tracker that speaks the Jira REST API"
)]
pub struct Cli {
    #[command(flatten)]
    pub common: Common,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Args, Clone)]
pub struct Common {
    /// Data directory: database, search index and attachments live here.
    #[arg(
        long,
        env = "TESSERA_DATA_DIR",
        default_value = "./tessera-data",
        global = true
    )]
    pub data_dir: PathBuf,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the server (the default).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Rebuild the search index from the database (stop the server first).
    Reindex,
    /// Fill a new data directory with a generated, realistic tracker (people, projects,
    /// epics, comment threads, attachments), indexed and ready to serve.
    Demo(DemoArgs),
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
}

#[derive(Args)]
pub struct DemoArgs {
    /// Issues to generate.
    #[arg(long, default_value_t = 1000)]
    pub issues: usize,
    /// Projects to spread them over (default: one per 250 issues, at least 3).
    #[arg(long)]
    pub projects: Option<usize>,
    /// People (default: 6 per project, at least 10).
    #[arg(long)]
    pub users: Option<usize>,
    /// The same seed gives the same data.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Average comments per issue.
    #[arg(long, default_value_t = 3)]
    pub comments: usize,
}

/// A progress line on stderr, redrawn in place.
fn progress_bar(what: &str, done: usize, total: usize) {
    if total == 0 {
        // Nothing counted yet: no bar rather than a full one.
        return;
    }
    let pct = (done * 100).checked_div(total).unwrap_or(100).min(100);
    let filled = pct / 5;
    eprint!(
        "\r[{}{}] {pct:>3}%  {done}/{total} {what}",
        "#".repeat(filled),
        " ".repeat(20 - filled)
    );
}

#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "TESSERA_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Public base URL for `self` links; derived from the request's Host when unset.
    #[arg(long, env = "TESSERA_BASE_URL")]
    pub base_url: Option<String>,
    /// Fill a new, empty data directory with generated demo projects and issues.
    #[arg(long)]
    pub demo: bool,
    #[command(flatten)]
    pub limits: ServerLimits,
}

/// Connection limits, timeouts and login throttling (see README's configuration table).
#[derive(Args, Clone)]
pub struct ServerLimits {
    /// Reverse proxy address or CIDR range whose X-Forwarded-For is believed (repeatable;
    /// comma-separated in the environment).
    #[arg(
        long = "trusted-proxy",
        env = "TESSERA_TRUSTED_PROXY",
        value_delimiter = ','
    )]
    pub trusted_proxy: Vec<crate::net::IpNet>,
    /// Failed logins for one account from one client before that client is throttled.
    #[arg(long, env = "TESSERA_LOGIN_ATTEMPTS", default_value_t = 5)]
    pub login_attempts: u32,
    /// Failed logins from one client across all accounts before it is throttled.
    #[arg(long, env = "TESSERA_LOGIN_CLIENT_ATTEMPTS", default_value_t = 20)]
    pub login_client_attempts: u32,
    /// Seconds failed logins are remembered; also the first throttling delay.
    #[arg(long, env = "TESSERA_LOGIN_WINDOW_SECS", default_value_t = 60)]
    pub login_window_secs: u64,
    /// Seconds a client has to send a request's headers.
    #[arg(long, env = "TESSERA_HEADER_READ_TIMEOUT_SECS", default_value_t = 10)]
    pub header_read_timeout_secs: u64,
    /// Seconds a request body may send nothing before it is cut (408).
    #[arg(long, env = "TESSERA_BODY_READ_TIMEOUT_SECS", default_value_t = 30)]
    pub body_read_timeout_secs: u64,
    /// Seconds an idle kept-alive connection stays open.
    #[arg(long, env = "TESSERA_KEEP_ALIVE_IDLE_SECS", default_value_t = 60)]
    pub keep_alive_idle_secs: u64,
    /// Connections served at once; more are answered 503 and closed.
    #[arg(long, env = "TESSERA_MAX_CONNECTIONS", default_value_t = 512)]
    pub max_connections: usize,
    /// Seconds in-flight requests may still run after SIGTERM/SIGINT.
    #[arg(long, env = "TESSERA_SHUTDOWN_DEADLINE_SECS", default_value_t = 10)]
    pub shutdown_deadline_secs: u64,
}

impl ServerLimits {
    /// Flags absent (no `serve` subcommand): environment variables and defaults.
    fn from_env() -> Result<ServerLimits, String> {
        #[derive(Parser)]
        struct Only {
            #[command(flatten)]
            limits: ServerLimits,
        }
        Only::try_parse_from(["tessera"])
            .map(|o| o.limits)
            .map_err(|e| e.to_string())
    }

    fn apply(&self, config: &mut Config) {
        use std::time::Duration;
        config.trusted_proxies = self.trusted_proxy.clone();
        config.login_attempts = self.login_attempts;
        config.login_client_attempts = self.login_client_attempts;
        config.login_window_secs = self.login_window_secs;
        config.header_read_timeout = Duration::from_secs(self.header_read_timeout_secs);
        config.body_read_timeout = Duration::from_secs(self.body_read_timeout_secs);
        config.keep_alive_idle = Duration::from_secs(self.keep_alive_idle_secs);
        config.max_connections = self.max_connections;
        config.shutdown_deadline = Duration::from_secs(self.shutdown_deadline_secs);
    }
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create a user.
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        display_name: String,
        /// The password; read from standard input when omitted.
        #[arg(long)]
        password: Option<String>,
        /// Make the user an administrator.
        #[arg(long)]
        admin: bool,
    },
    /// Set a user's password (read from standard input when --password is omitted).
    SetPassword {
        #[arg(long)]
        username: String,
        #[arg(long)]
        password: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Create an API token and print it once.
    Create {
        #[arg(long)]
        user: String,
        #[arg(long)]
        label: String,
        /// Scopes that limit the token on every API surface (e.g. issues:read
        /// read:jira-user); none gives the user's full access. `--help` lists them all.
        #[arg(long, num_args = 0.., long_help = crate::auth::scopes::help_text())]
        scopes: Vec<String>,
    },
}

fn read_password() -> Result<String, String> {
    eprintln!("Password (read from standard input):");
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

fn describe(e: &crate::error::Error) -> String {
    let mut parts = e.messages.clone();
    parts.extend(e.fields.iter().map(|(k, v)| format!("{k}: {v}")));
    parts.join("; ")
}

/// Runs the command line; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    let mut config = Config::new(cli.common.data_dir.clone());
    config.admin_password = std::env::var("TESSERA_ADMIN_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty());
    if let Some(limit) = std::env::var("TESSERA_MAX_ATTACHMENT_BYTES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
    {
        config.max_attachment_bytes = limit;
    }
    let command = match cli.command {
        Some(c) => c,
        None => {
            let limits = match ServerLimits::from_env() {
                Ok(l) => l,
                Err(e) => {
                    eprintln!("error: {e}");
                    return 2;
                }
            };
            Command::Serve(ServeArgs {
                listen: std::env::var("TESSERA_LISTEN")
                    .ok()
                    .and_then(|l| l.parse().ok())
                    .unwrap_or(config.listen),
                base_url: std::env::var("TESSERA_BASE_URL").ok(),
                demo: false,
                limits,
            })
        }
    };
    // Only the server (and `reindex`, with the server stopped) writes the search index.
    config.index_writer = matches!(
        command,
        Command::Serve(_) | Command::Reindex | Command::Demo(_)
    );
    if let Command::Serve(args) = &command {
        config.listen = args.listen;
        config.base_url = args.base_url.clone().filter(|b| !b.is_empty());
        args.limits.apply(&mut config);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return 1;
        }
    };
    let (app, generated_password) = match Services::open(config) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("error: cannot open the data directory: {}", describe(&e));
            return 1;
        }
    };
    let result: Result<(), String> = runtime.block_on(async {
        match command {
            Command::Serve(args) => {
                if args.demo {
                    let loaded = app.demo.load_demo_if_empty().await.map_err(|e| describe(&e))?;
                    if loaded > 0 {
                        println!("Demo data: generated {loaded} issues.");
                    }
                }
                let listen = app.config.listen;
                let listener = tokio::net::TcpListener::bind(listen).await.map_err(|e| format!("cannot listen on {listen}: {e}"))?;
                let addr = listener.local_addr().map_err(|e| e.to_string())?;
                println!("Data directory: {}", app.config.data_dir.display());
                if let Some(pw) = &generated_password {
                    println!("First start: created the administrator.\n  username: admin\n  password: {pw}\n(This password is shown only once.)");
                }
                // Last, so whoever waits for this line has seen everything before it.
                println!("Tessera {} listening on http://{addr}", env!("CARGO_PKG_VERSION"));
                crate::server::serve(app.clone(), listener, crate::server::shutdown_signal()).await.map_err(|e| e.to_string())
            }
            Command::Migrate => {
                println!("Database at {} is up to date.", app.config.database_path().display());
                Ok(())
            }
            Command::Reindex => {
                let started = std::time::Instant::now();
                let count = app
                    .search.rebuild_index_offline(|st| progress_bar("issues", st.done as usize, st.total as usize))
                    .map_err(|e| describe(&e))?;
                eprintln!();
                println!("Reindexed {count} issues in {:.1}s.", started.elapsed().as_secs_f64());
                Ok(())
            }
            Command::Demo(args) => {
                if !app.demo.is_empty().await.map_err(|e| describe(&e))? {
                    return Err(format!("{} already has projects; the demo needs a new data directory", app.config.data_dir.display()));
                }
                let set = crate::service::demo::DataSet::sized(args.issues, args.projects, args.users, args.comments, args.seed);
                let started = std::time::Instant::now();
                let loaded = app.demo.load_data_set_with_progress(&set, &|done, total| progress_bar("issues written", done, total)).await.map_err(|e| describe(&e))?;
                eprintln!();
                let indexed = app.search.rebuild_index_offline(|st| progress_bar("issues indexed", st.done as usize, st.total as usize)).map_err(|e| describe(&e))?;
                eprintln!();
                println!("Generated {loaded} issues in {} projects for {} people and indexed {indexed} in {:.1}s.", set.projects, set.users, started.elapsed().as_secs_f64());
                if let Some(pw) = &generated_password {
                    println!("First start: created the administrator.\n  username: admin\n  password: {pw}\n(This password is shown only once.)");
                }
                Ok(())
            }
            Command::User(UserCommand::Create { username, email, display_name, password, admin }) => {
                let password = match password {
                    Some(p) => p,
                    None => read_password()?,
                };
                let user = app
                    .users.create_user(None, NewUserInput { username, email, display_name, password: Some(password), admin })
                    .await
                    .map_err(|e| describe(&e))?;
                println!("Created user {} ({}), account id {}", user.username, user.email, user.account_id);
                Ok(())
            }
            Command::User(UserCommand::SetPassword { username, password }) => {
                let user = app.users.user_by_ref(&UserRef::Username(username.clone())).await.map_err(|e| describe(&e))?;
                let user = user.ok_or_else(|| format!("no user named '{username}'"))?;
                let password = match password {
                    Some(p) => p,
                    None => read_password()?,
                };
                app.users.set_password(None, user.id, &password).await.map_err(|e| describe(&e))?;
                println!("Password changed for {}; their sessions were ended.", user.username);
                Ok(())
            }
            Command::Token(TokenCommand::Create { user, label, scopes }) => {
                let found = app.users.user_by_ref(&UserRef::Username(user.clone())).await.map_err(|e| describe(&e))?;
                let found = found.ok_or_else(|| format!("no user named '{user}'"))?;
                let (secret, token) = app.auth.create_token(None, found.id, &label, scopes).await.map_err(|e| describe(&e))?;
                eprintln!("Created token {} '{}' for {}. It is shown only once:", token.id, token.label, found.username);
                println!("{secret}");
                Ok(())
            }
        }
    });
    drop(app);
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}
