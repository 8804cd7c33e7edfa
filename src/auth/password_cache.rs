//! The password cache: successful argon2id checks remembered under an HMAC of (stored
//! hash, password), never the password.
//!
//! Three rules keep it from turning into a stampede under steady load:
//! - **renewal on use**: a hit pushes the entry's expiry forward, so a credential in
//!   steady use is never re-verified (a changed password is a new stored hash, a new key,
//!   so it misses at once anyway);
//! - **jittered expiry**: each entry lives 80–100 % of the configured time, so entries
//!   stored together do not all expire in the same second;
//! - **single flight**: when a credential misses, one verification runs and every other
//!   request with the same credential waits for its answer instead of running argon2id
//!   too.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::Rng;
use tokio::sync::OnceCell;

type Key = [u8; 32];

pub(crate) struct PasswordCache {
    ttl: Duration,
    /// Key → when the entry expires unless used again.
    entries: Mutex<HashMap<Key, Instant>>,
    /// Verifications running now, one per key; waiters share its outcome.
    in_flight: Mutex<HashMap<Key, Arc<OnceCell<bool>>>>,
}

impl PasswordCache {
    pub(crate) fn new(ttl: Duration) -> PasswordCache {
        PasswordCache {
            ttl,
            entries: Mutex::new(HashMap::new()),
            in_flight: Mutex::new(HashMap::new()),
        }
    }

    fn lifetime(&self) -> Duration {
        self.ttl.mul_f64(rand::thread_rng().gen_range(0.8..=1.0))
    }

    /// Whether `key` was verified and is still remembered; a hit renews it.
    pub(crate) fn hit(&self, key: &Key) -> bool {
        let now = Instant::now();
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        match entries.get_mut(key) {
            Some(until) if *until > now => {
                *until = now + self.lifetime();
                true
            }
            _ => false,
        }
    }

    /// Runs `verify` for `key` unless a verification of the same key is already
    /// running, in which case its outcome is awaited instead; a success is remembered.
    /// Returns whether the credential is good.
    pub(crate) async fn verify_once<F>(&self, key: Key, verify: F) -> bool
    where
        F: Future<Output = bool>,
    {
        let cell = self
            .in_flight
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(key)
            .or_default()
            .clone();
        // If the request running the check is cancelled, the next waiter runs it.
        let ok = *cell.get_or_init(|| verify).await;
        {
            let mut in_flight = self.in_flight.lock().unwrap_or_else(|p| p.into_inner());
            if in_flight.get(&key).is_some_and(|c| Arc::ptr_eq(c, &cell)) {
                in_flight.remove(&key);
            }
        }
        if ok {
            let now = Instant::now();
            let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
            // Expired entries go when new ones come, so the map holds live ones only.
            entries.retain(|_, until| *until > now);
            entries.insert(key, now + self.lifetime());
        }
        ok
    }

    #[cfg(test)]
    fn expiry(&self, key: &Key) -> Option<Instant> {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(key)
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[tokio::test]
    async fn concurrent_misses_of_one_credential_verify_once() {
        let cache = Arc::new(PasswordCache::new(Duration::from_secs(300)));
        let runs = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let (cache, runs) = (cache.clone(), runs.clone());
            tasks.push(tokio::spawn(async move {
                cache
                    .verify_once([7; 32], async {
                        runs.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        true
                    })
                    .await
            }));
        }
        for t in tasks {
            assert!(t.await.expect("task"));
        }
        assert_eq!(
            runs.load(Ordering::SeqCst),
            1,
            "one argon2id run for 16 requests"
        );
        assert!(cache.hit(&[7; 32]));
        // A failed check is not remembered, and the next attempt verifies again.
        assert!(!cache.verify_once([8; 32], async { false }).await);
        assert!(!cache.hit(&[8; 32]));
        assert!(cache.verify_once([8; 32], async { true }).await);
    }

    #[tokio::test]
    async fn a_hit_renews_and_expiries_are_jittered() {
        let cache = PasswordCache::new(Duration::from_secs(100));
        let mut expiries = Vec::new();
        for k in 0..32u8 {
            let before = Instant::now();
            cache.verify_once([k; 32], async { true }).await;
            let at = cache.expiry(&[k; 32]).expect("stored");
            let life = at - before;
            assert!(life >= Duration::from_secs(79) && life <= Duration::from_secs(101));
            expiries.push(life.as_millis());
        }
        expiries.sort();
        expiries.dedup();
        assert!(expiries.len() > 16, "lifetimes spread: {expiries:?}");
        let first = cache.expiry(&[0; 32]).expect("stored");
        std::thread::sleep(Duration::from_millis(20));
        assert!(cache.hit(&[0; 32]));
        // Renewed: a fresh jittered lifetime from now, never shorter than 80 s from now.
        let renewed = cache.expiry(&[0; 32]).expect("stored");
        assert!(renewed >= Instant::now() + Duration::from_secs(79));
        assert!(renewed != first);
    }
}
