//! Failed-login bookkeeping. Failures count per (account, client address) and per client
//! address across accounts (password spraying); over a limit, that key is refused with a
//! delay that doubles with each further failure. Nothing here ever refuses a client that
//! has not itself failed, so no one can lock a user out. Keys are keyed digests (fixed
//! size, never a raw login name) and each table has a hard cap, so hostile logins cannot
//! grow memory.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Longest delay a throttled key is given, however many failures it piles up.
const MAX_DELAY: Duration = Duration::from_secs(3600);

#[derive(Clone, Copy)]
struct Entry {
    failures: u32,
    last: Instant,
    blocked_until: Option<Instant>,
}

impl Entry {
    /// Forgotten once a window has passed since the last failure and any delay ended.
    fn stale(&self, now: Instant, window: Duration) -> bool {
        let since = self.blocked_until.map_or(self.last, |b| b.max(self.last));
        now >= since + window
    }
}

/// One table of failure counts.
pub(crate) struct Table {
    entries: HashMap<[u8; 32], Entry>,
    cap: usize,
}

impl Table {
    pub(crate) fn new(cap: usize) -> Table {
        Table {
            entries: HashMap::new(),
            cap: cap.max(10),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// How long `key` must still wait, if it is throttled.
    pub(crate) fn wait(&self, key: &[u8; 32], now: Instant) -> Option<Duration> {
        self.entries
            .get(key)
            .and_then(|e| e.blocked_until)
            .and_then(|until| until.checked_duration_since(now))
            .filter(|d| !d.is_zero())
    }

    /// Counts a failure; from the `limit`-th within the window on, `key` is throttled for
    /// `window`, then twice that, and so on.
    pub(crate) fn fail(&mut self, key: [u8; 32], limit: u32, window: Duration, now: Instant) {
        self.make_room(now, window);
        let entry = self.entries.entry(key).or_insert(Entry {
            failures: 0,
            last: now,
            blocked_until: None,
        });
        if entry.stale(now, window) {
            *entry = Entry {
                failures: 0,
                last: now,
                blocked_until: None,
            };
        }
        entry.failures = entry.failures.saturating_add(1);
        entry.last = now;
        if entry.failures >= limit.max(1) {
            let doublings = (entry.failures - limit.max(1)).min(16);
            let delay = window.saturating_mul(1 << doublings).min(MAX_DELAY);
            entry.blocked_until = Some(now + delay);
        }
    }

    pub(crate) fn clear(&mut self, key: &[u8; 32]) {
        self.entries.remove(key);
    }

    fn make_room(&mut self, now: Instant, window: Duration) {
        if self.entries.len() < self.cap {
            return;
        }
        self.entries.retain(|_, e| !e.stale(now, window));
        if self.entries.len() < self.cap {
            return;
        }
        // Full of live entries (failures from very many addresses at once): forget the
        // tenth failed longest ago, so the table stays within its cap. Those keys merely
        // start counting again.
        let mut lasts: Vec<Instant> = self.entries.values().map(|e| e.last).collect();
        let n = (self.cap / 10).max(1);
        let (_, cutoff, _) = lasts.select_nth_unstable(n - 1);
        let cutoff = *cutoff;
        self.entries.retain(|_, e| e.last > cutoff);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u32) -> [u8; 32] {
        let mut k = [0u8; 32];
        k[..4].copy_from_slice(&n.to_le_bytes());
        k
    }

    #[test]
    fn throttles_at_the_limit_with_growing_delays() {
        let window = Duration::from_secs(60);
        let mut t = Table::new(100);
        let now = Instant::now();
        for _ in 0..2 {
            t.fail(key(1), 3, window, now);
        }
        assert_eq!(t.wait(&key(1), now), None);
        t.fail(key(1), 3, window, now);
        assert_eq!(t.wait(&key(1), now), Some(window));
        assert_eq!(t.wait(&key(2), now), None, "other keys are unaffected");
        // After the delay, one more failure doubles it.
        let later = now + window;
        assert_eq!(t.wait(&key(1), later), None);
        t.fail(key(1), 3, window, later);
        assert_eq!(t.wait(&key(1), later), Some(window * 2));
        // A full window after the delay ends, everything is forgotten.
        let much_later = later + window * 3;
        t.fail(key(1), 3, window, much_later);
        assert_eq!(t.wait(&key(1), much_later), None);
        t.clear(&key(1));
        assert_eq!(t.len(), 0);
    }

    #[test]
    fn never_grows_past_its_cap() {
        let window = Duration::from_secs(60);
        let mut t = Table::new(1000);
        let now = Instant::now();
        for n in 0..10_000 {
            t.fail(key(n), 5, window, now + Duration::from_millis(n as u64));
        }
        assert!(t.len() <= 1000, "{} entries", t.len());
        // Stale entries are dropped first.
        let mut t = Table::new(10);
        for n in 0..10 {
            t.fail(key(n), 5, window, now);
        }
        t.fail(key(99), 5, window, now + window * 2);
        assert_eq!(t.len(), 1);
    }
}
