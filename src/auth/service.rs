//! The auth service: argon2id passwords, digest-only API tokens, cookie sessions, the
//! first administrator, and the throttling of failed logins (see `login_throttle`).
//!
//! Why a password cache: one argon2id check costs ~20 ms on this class of machine, and
//! Jira clients send Basic credentials on every request. A successful check is remembered
//! under an HMAC of (stored hash, password) — never the password — so a changed password
//! (a new stored hash) misses the cache at once; see `password_cache` for how it avoids
//! stampedes.

use std::sync::OnceLock;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHash, PasswordHasher, SaltString};
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

use std::sync::{Arc, Mutex};

use super::login_throttle;
use super::password_cache::PasswordCache;
use super::scopes::Grants;
use crate::config::Config;
use crate::domain::*;
use crate::error::{Error, Kind, Result};
use crate::net::ClientIp;
use crate::service::Caller;
use crate::store::{
    Store,
    queries::{auth as q, catalog, users},
};

/// Prefix of Tessera API tokens; lets a Basic password be told from a token cheaply.
pub const TOKEN_PREFIX: &str = "tsr_";
pub const SESSION_COOKIE: &str = "JSESSIONID";

fn argon2() -> argon2::Argon2<'static> {
    // OWASP floor for argon2id: m = 19 MiB, t = 2, p = 1.
    let params = argon2::Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
}

pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| Error::internal())
}

/// Longest login name looked up; longer ones are refused before any work (names are at
/// most 255 characters, emails shorter).
const MAX_LOGIN_BYTES: usize = 255;

/// The hash an unknown user's password is checked against, so that "no such user" costs
/// the same argon2id run as "wrong password" and timing does not reveal which names
/// exist. Computed once, with the same parameters as real hashes.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password("tessera-no-such-user").unwrap_or_default())
}

fn verify_password(hash: &str, password: &str) -> bool {
    verify_in_pooled_memory(hash, password).unwrap_or(false)
}

/// argon2id working memory (19 MiB each) kept for reuse. Letting the crate allocate and
/// free it per check makes glibc keep tens of MiB in every arena a check ran on: 1,000
/// failed logins grew the server by 1 GB. At most one buffer per verification slot.
static MEMORY: std::sync::Mutex<Vec<Vec<argon2::Block>>> = std::sync::Mutex::new(Vec::new());

/// What `PasswordVerifier::verify_password` does, with the memory from [`MEMORY`].
fn verify_in_pooled_memory(hash: &str, password: &str) -> Option<bool> {
    let parsed = PasswordHash::new(hash).ok()?;
    let expected = parsed.hash?;
    let params = argon2::Params::try_from(&parsed).ok()?;
    let algorithm = argon2::Algorithm::try_from(parsed.algorithm).ok()?;
    let version = match parsed.version {
        Some(v) => argon2::Version::try_from(v).ok()?,
        None => argon2::Version::default(),
    };
    let mut salt_buf = [0u8; 64];
    let salt = parsed.salt?.decode_b64(&mut salt_buf).ok()?;
    let needed = params.block_count();
    let mut memory = {
        let mut pool = MEMORY.lock().unwrap_or_else(|p| p.into_inner());
        match pool.iter().position(|m| m.len() >= needed) {
            Some(i) => pool.swap_remove(i),
            None => vec![argon2::Block::default(); needed],
        }
    };
    let mut out = vec![0u8; expected.len()];
    let hashed = argon2::Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut memory[..needed])
        .is_ok();
    {
        let mut pool = MEMORY.lock().unwrap_or_else(|p| p.into_inner());
        if pool.len() < 8 {
            pool.push(memory);
        }
    }
    let computed = argon2::password_hash::Output::new(&out).ok()?;
    // `Output`'s equality is constant-time.
    Some(hashed && computed == expected)
}

pub fn random_secret(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

pub fn digest(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

pub(super) fn load_or_create_secret(store: &Store) -> Result<[u8; 32]> {
    let existing = store.read_blocking(|db| catalog::setting(db, "server_secret"))?;
    let encoded = match existing {
        Some(s) => s,
        None => {
            let fresh = random_secret(32);
            let value = fresh.clone();
            store.write_blocking(move |db| {
                // Another process may have raced us; keep whichever was written first.
                if catalog::setting(db, "server_secret")?.is_none() {
                    catalog::set_setting(db, "server_secret", &value)?;
                }
                Ok(())
            })?;
            store
                .read_blocking(|db| catalog::setting(db, "server_secret"))?
                .unwrap_or(fresh)
        }
    };
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(encoded)
        .map_err(|_| Error::internal())?;
    let mut key = [0u8; 32];
    key.copy_from_slice(&raw[..32.min(raw.len())]);
    Ok(key)
}

/// Why credentials were not accepted.
#[derive(Debug)]
pub enum AuthError {
    /// Wrong or unknown credentials (401), or the store failed.
    Denied(Error),
    /// Too many failed logins from this client (429 with `Retry-After`).
    Throttled { retry_after: Duration },
}

impl AuthError {
    /// Whole seconds for `Retry-After`, at least one.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            AuthError::Throttled { retry_after } => {
                Some(retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0))
            }
            AuthError::Denied(_) => None,
        }
    }
}

impl From<Error> for AuthError {
    fn from(e: Error) -> AuthError {
        AuthError::Denied(e)
    }
}

impl From<crate::store::StoreError> for AuthError {
    fn from(e: crate::store::StoreError) -> AuthError {
        AuthError::Denied(e.into())
    }
}

impl From<AuthError> for Error {
    fn from(e: AuthError) -> Error {
        match e {
            AuthError::Denied(e) => e,
            AuthError::Throttled { .. } => Error::new(
                Kind::TooManyRequests,
                "Too many failed login attempts from this client. Try again later.",
            ),
        }
    }
}

/// The IPv6 /64 a client holds counts as one address (one host gets a whole /64).
fn client_bytes(client: ClientIp) -> Vec<u8> {
    match client.0 {
        std::net::IpAddr::V4(v4) => v4.octets().to_vec(),
        std::net::IpAddr::V6(v6) => v6.octets()[..8].to_vec(),
    }
}

/// How a request proved who it is.
pub enum Credentials {
    /// HTTP Basic: username or email, and password or API token.
    Basic { login: String, secret: String },
    /// `Authorization: Bearer` / `OAuth`: an API token.
    Token(String),
    /// The session cookie.
    Session(String),
}

/// Authentication: credentials to callers, sessions, API tokens, and the throttle on
/// failed logins. Owns the server secret and the password cache.
pub struct Service {
    store: Store,
    config: Arc<Config>,
    /// Secret for keyed digests (password cache, signed URLs); kept in the database.
    secret: [u8; 32],
    password_cache: PasswordCache,
    /// Failed logins per (account, client) and per client; see `login_throttle`.
    login_failures: Mutex<LoginFailures>,
    /// Password verifications run (argon2id), including the dummy ones for unknown users.
    password_checks: std::sync::atomic::AtomicU64,
    /// Password verifications allowed at once. Each argon2id run takes 19 MiB, and the
    /// allocator keeps that per thread that ran one: unbounded, a login flood spreads
    /// over the blocking pool's hundreds of threads and holds gigabytes.
    password_slots: tokio::sync::Semaphore,
}

pub(crate) struct LoginFailures {
    pairs: login_throttle::Table,
    clients: login_throttle::Table,
}

impl Service {
    pub(crate) fn new(store: Store, config: Arc<Config>) -> Result<Service> {
        let secret = load_or_create_secret(&store)?;
        let cap = config.login_table_cap;
        let password_cache = PasswordCache::new(Duration::from_secs(config.password_cache_secs));
        Ok(Service {
            store,
            config,
            secret,
            password_cache,
            login_failures: Mutex::new(LoginFailures {
                pairs: login_throttle::Table::new(cap),
                clients: login_throttle::Table::new(cap),
            }),
            password_checks: std::sync::atomic::AtomicU64::new(0),
            password_slots: tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get().min(8)),
            ),
        })
    }

    /// One argon2id verification, counted, on the blocking pool, within the slots
    /// allowed at once. A failure to run it counts as a wrong password.
    async fn verify_slowly(&self, hash: String, password: &str) -> bool {
        self.password_checks.fetch_add(1, Ordering::Relaxed);
        let password = password.to_string();
        let Ok(_slot) = self.password_slots.acquire().await else {
            return false;
        };
        tokio::task::spawn_blocking(move || verify_password(&hash, &password))
            .await
            .unwrap_or(false)
    }

    pub fn secret(&self) -> &[u8; 32] {
        &self.secret
    }

    pub(crate) fn keyed(&self, parts: &[&[u8]]) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.secret())
            .expect("HMAC takes any key length");
        for p in parts {
            mac.update(&(p.len() as u64).to_le_bytes());
            mac.update(p);
        }
        mac.finalize().into_bytes().into()
    }

    /// Resolves credentials to a caller, as one unknown client (in-process callers).
    pub async fn authenticate(&self, credentials: Credentials) -> Result<Caller> {
        self.authenticate_from(credentials, ClientIp::UNKNOWN)
            .await
            .map_err(Error::from)
    }

    /// Resolves credentials from `client` to a caller; failed passwords are throttled per
    /// (account, client) and per client.
    pub async fn authenticate_from(
        &self,
        credentials: Credentials,
        client: ClientIp,
    ) -> Result<Caller, AuthError> {
        match credentials {
            Credentials::Token(token) => Ok(self.authenticate_token(&token, None).await?),
            Credentials::Session(value) => {
                let digest = digest(&value);
                let now = self.store.now();
                let user = self
                    .store
                    .read(move |db| q::session_user(db, &digest, now))
                    .await?;
                match user {
                    Some(id) => Ok(self.caller_for(id, None).await?),
                    None => Err(Error::unauthenticated().into()),
                }
            }
            Credentials::Basic { login, secret } => {
                if secret.starts_with(TOKEN_PREFIX) {
                    return Ok(self.authenticate_token(&secret, Some(&login)).await?);
                }
                self.authenticate_password(&login, &secret, client).await
            }
        }
    }

    async fn authenticate_token(&self, token: &str, login: Option<&str>) -> Result<Caller> {
        let digest = digest(token);
        let found = self
            .store
            .read(move |db| q::token_by_digest(db, &digest))
            .await?;
        let Some(found) = found else {
            return Err(Error::unauthenticated());
        };
        if found.expires.is_some_and(|e| e <= self.store.now()) {
            return Err(Error::unauthenticated());
        }
        let caller = self
            .caller_for(found.user_id, Some(Grants::of_token(&found.scopes)))
            .await?;
        // With Basic, the login must name the token's owner.
        if let Some(login) = login {
            let u = &caller.user;
            if !(u.username.eq_ignore_ascii_case(login)
                || u.email.eq_ignore_ascii_case(login)
                || u.account_id == login)
            {
                return Err(Error::unauthenticated());
            }
        }
        // Last-used is advisory; record it at most once a minute per token.
        if found
            .last_used
            .is_none_or(|t| self.store.now().0 - t.0 > 60_000)
        {
            let id = found.id;
            let store = self.store.clone();
            tokio::spawn(async move {
                let _ = store
                    .write(move |db| q::touch_token(db, id, db.now()))
                    .await;
            });
        }
        Ok(caller)
    }

    async fn authenticate_password(
        &self,
        login: &str,
        password: &str,
        client: ClientIp,
    ) -> Result<Caller, AuthError> {
        let now = Instant::now();
        let client_key = self.keyed(&[b"login-client", &client_bytes(client)]);
        if login.len() > MAX_LOGIN_BYTES {
            // No such account can exist: refused before any lookup or hashing.
            self.login_failed(None, client_key, now);
            return Err(Error::unauthenticated().into());
        }
        if let Some(retry_after) = self.failures().clients.wait(&client_key, now) {
            return Err(AuthError::Throttled { retry_after });
        }
        let login_owned = login.to_string();
        let found = self
            .store
            .read(move |db| {
                let Some(user) = users::by_login(db, &login_owned)? else {
                    return Ok(None);
                };
                let hash = users::password_hash(db, user.id)?;
                Ok(Some((user, hash)))
            })
            .await?;
        // Failures count per account, whether it was named by username or email; the
        // prefixes keep a login string from ever colliding with an account's key.
        let account = match &found {
            Some((user, _)) => format!("user:{}", user.id),
            None => format!("login:{}", login.to_lowercase()),
        };
        let pair_key = self.keyed(&[b"login-pair", account.as_bytes(), &client_bytes(client)]);
        if let Some(retry_after) = self.failures().pairs.wait(&pair_key, now) {
            return Err(AuthError::Throttled { retry_after });
        }
        let (user, hash) = match found {
            Some((user, Some(hash))) => (Some(user), hash),
            // Unknown, or without a password: the same verification, bound to fail.
            _ => (None, dummy_hash().to_string()),
        };
        let cache_key = self.keyed(&[hash.as_bytes(), password.as_bytes()]);
        let ok = match &user {
            Some(_) if self.password_cache.hit(&cache_key) => true,
            Some(_) => {
                self.password_cache
                    .verify_once(cache_key, self.verify_slowly(hash, password))
                    .await
            }
            // Unknown users are not remembered: the dummy check runs every time.
            None => self.verify_slowly(hash, password).await,
        };
        if !ok || user.is_none() {
            self.login_failed(Some(pair_key), client_key, now);
            return Err(Error::unauthenticated().into());
        }
        let Some(user) = user else {
            return Err(Error::unauthenticated().into());
        };
        if !user.active {
            return Err(Error::unauthenticated().into());
        }
        self.failures().pairs.clear(&pair_key);
        Ok(self.caller_for(user.id, None).await?)
    }

    fn failures(&self) -> std::sync::MutexGuard<'_, LoginFailures> {
        self.login_failures
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    fn login_failed(&self, pair: Option<[u8; 32]>, client: [u8; 32], now: Instant) {
        let window = Duration::from_secs(self.config.login_window_secs);
        let mut failures = self.failures();
        if let Some(pair) = pair {
            failures
                .pairs
                .fail(pair, self.config.login_attempts, window, now);
        }
        failures
            .clients
            .fail(client, self.config.login_client_attempts, window, now);
    }

    /// Password verifications run so far (argon2id), counting the dummy ones for unknown
    /// users; lets tests see that both paths do the same work.
    pub fn password_checks(&self) -> u64 {
        self.password_checks.load(Ordering::Relaxed)
    }

    /// Entries in the failed-login tables (per account+client, per client).
    pub fn login_failure_entries(&self) -> (usize, usize) {
        let failures = self.failures();
        (failures.pairs.len(), failures.clients.len())
    }

    /// Builds the caller for a user id (groups loaded once per request). `grants` are a
    /// token's; `None` (a password, a session) is full access.
    pub async fn caller_for(&self, id: UserId, grants: Option<Grants>) -> Result<Caller> {
        let grants = grants.unwrap_or(Grants::Full);
        let found = self
            .store
            .read(move |db| {
                let Some(user) = users::by_id(db, id)? else {
                    return Ok(None);
                };
                let groups = users::groups_of(db, id)?;
                Ok(Some((user, groups)))
            })
            .await?;
        match found {
            Some((user, groups)) if user.active => Ok(Caller {
                user,
                groups,
                grants,
                client: None,
            }),
            _ => Err(Error::unauthenticated()),
        }
    }

    /// `login_from` as one unknown client (in-process callers).
    pub async fn login(&self, username: &str, password: &str) -> Result<(String, Caller)> {
        self.login_from(username, password, ClientIp::UNKNOWN)
            .await
            .map_err(Error::from)
    }

    /// `POST /rest/auth/1/session`: checks the password and opens a session; returns the
    /// cookie value (shown to the client once) and the caller.
    pub async fn login_from(
        &self,
        username: &str,
        password: &str,
        client: ClientIp,
    ) -> Result<(String, Caller), AuthError> {
        let caller = self
            .authenticate_password(username, password, client)
            .await?;
        let value = random_secret(32);
        let digest = digest(&value);
        let now = self.store.now();
        let expires = Millis(now.0 + self.config.session_hours as i64 * 3_600_000);
        let user = caller.user.id;
        self.store
            .write(move |db| q::insert_session(db, &digest, user, now, expires))
            .await?;
        Ok((value, caller))
    }

    pub async fn logout(&self, session: &str) -> Result<bool> {
        let digest = digest(session);
        Ok(self
            .store
            .write(move |db| q::delete_session(db, &digest))
            .await?)
    }

    /// Creates an API token for `user`; the secret is returned once and never stored.
    /// Audited in the name of `by` (the caller over REST; `None` for a `tessera` command,
    /// recorded in the owner's name without a client address).
    pub async fn create_token(
        &self,
        by: Option<&Caller>,
        user: UserId,
        label: &str,
        scopes: Vec<String>,
    ) -> Result<(String, ApiToken)> {
        self.create_token_expiring(by, user, label, scopes, None)
            .await
    }

    /// `create_token` with an optional expiry; an expired token no longer authenticates.
    pub async fn create_token_expiring(
        &self,
        by: Option<&Caller>,
        user: UserId,
        label: &str,
        scopes: Vec<String>,
        expires: Option<Millis>,
    ) -> Result<(String, ApiToken)> {
        let by = by.cloned();
        let label = label.trim().to_string();
        if label.is_empty() || label.len() > 255 {
            return Err(Error::field(
                "label",
                "A token needs a label of 1 to 255 characters.",
            ));
        }
        let scopes: Vec<String> = super::scopes::parse_scopes(&scopes)?
            .iter()
            .map(|s| s.name().to_string())
            .collect();
        let secret = format!("{TOKEN_PREFIX}{}", random_secret(32));
        let digest = digest(&secret);
        let now = self.store.now();
        let token = self
            .store
            .write(move |db| {
                let id = q::insert_token(db, user, &label, &digest, &scopes, now, expires)?;
                audit_token(db, by.as_ref(), user, "API token created", id, &label)?;
                Ok(ApiToken {
                    id,
                    user_id: user,
                    label,
                    scopes,
                    created: now,
                    expires,
                    last_used: None,
                })
            })
            .await?;
        Ok((secret, token))
    }

    pub async fn tokens_of(&self, user: UserId) -> Result<Vec<ApiToken>> {
        Ok(self.store.read(move |db| q::tokens_of(db, user)).await?)
    }

    /// Audited as [`Service::create_token`] is.
    pub async fn revoke_token(&self, by: Option<&Caller>, user: UserId, id: i64) -> Result<()> {
        let by = by.cloned();
        if self
            .store
            .write(move |db| {
                let label = q::tokens_of(db, user)?
                    .into_iter()
                    .find(|t| t.id == id)
                    .map(|t| t.label);
                let Some(label) = label else {
                    return Ok(false);
                };
                q::delete_token(db, user, id)?;
                audit_token(db, by.as_ref(), user, "API token revoked", id, &label)?;
                Ok(true)
            })
            .await?
        {
            Ok(())
        } else {
            Err(Error::not_found(format!("No API token with id {id}.")))
        }
    }

    /// Creates `admin` on an empty database. Returns the generated password when one was
    /// made up (to print once); `None` when configured or when the admin already exists.
    pub(crate) fn bootstrap_admin(&self) -> Result<Option<String>> {
        if self.store.read_blocking(users::count)? > 0 {
            return Ok(None);
        }
        let (password, generated) = match &self.config.admin_password {
            Some(p) => (p.clone(), false),
            None => (random_secret(18), true),
        };
        let hash = hash_password(&password)?;
        self.store.write_blocking(move |db| {
            if users::count(db)? > 0 {
                return Ok(());
            }
            let account_id = new_account_id();
            let id = users::insert(
                db,
                &users::NewUser {
                    account_id: &account_id,
                    username: "admin",
                    email: "admin@localhost",
                    display_name: "Administrator",
                    password_hash: Some(&hash),
                    created: db.now().0,
                },
            )?;
            for group in ["jira-administrators", "jira-users"] {
                if let Some(g) = users::group_id(db, group)? {
                    users::add_to_group(db, g, id)?;
                }
            }
            Ok(())
        })?;
        Ok(generated.then_some(password))
    }
}

/// A Jira Cloud style account id: 24 hex digits.
pub fn new_account_id() -> String {
    let mut buf = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// The audit record of a token change: about the token, associated with its owner.
fn audit_token(
    db: &crate::store::Tx,
    by: Option<&Caller>,
    owner: UserId,
    summary: &str,
    id: i64,
    label: &str,
) -> crate::store::StoreResult<()> {
    use crate::domain::audit::{AuditEntry, AuditItem, category};
    let owner_name = users::by_id(db, owner)?
        .map(|u| u.username)
        .unwrap_or_default();
    let entry = AuditEntry::new(
        category::USER_MANAGEMENT,
        summary,
        AuditItem::new("PERSONAL_ACCESS_TOKEN", id, label),
    )
    .associated(AuditItem::user(&owner_name));
    match by {
        Some(c) => crate::service::audit::record(db, c, &entry)?,
        None => crate::service::audit::record_as(db, Some(&owner_name), None, &entry)?,
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pooled_verification_agrees_with_the_crate() {
        use argon2::password_hash::PasswordVerifier;
        let hash = hash_password("correct horse").expect("hash");
        let parsed = PasswordHash::new(&hash).expect("parse");
        assert!(argon2().verify_password(b"correct horse", &parsed).is_ok());
        assert!(verify_password(&hash, "correct horse"));
        assert!(verify_password(&hash, "correct horse"), "reused memory");
        assert!(!verify_password(&hash, "correct horsE"));
        assert!(!verify_password("not a hash", "x"));
    }
}
