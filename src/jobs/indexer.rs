//! The indexer: the job that drains the store's outbox into the search index, and the
//! only index writer while it runs (it owns the one [`Writer`]). Full rebuilds asked
//! for over HTTP run here too, on the same writer.

use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::domain::Clock;
use crate::search::{
    ChangeSource, FullSource, HeadSource, RebuildState, SearchError, SearchIndex, SearchResult,
    Writer,
};

/// Changes taken from the outbox per index commit.
const BATCH: usize = 2000;

/// The indexer thread, stopped (after its current batch) when dropped.
pub struct Indexer {
    wake: Arc<(Mutex<bool>, Condvar)>,
    rebuild_requested: Arc<std::sync::atomic::AtomicBool>,
    handle: Option<std::thread::JoinHandle<()>>,
    /// The store's clock, for the rebuild's timestamps.
    clock: Clock,
}

impl Indexer {
    /// Starts the thread; it drains the source from the index's position onwards.
    pub fn start(
        index: Arc<SearchIndex>,
        source: ChangeSource,
        full: FullSource,
        head: HeadSource,
        clock: Clock,
    ) -> SearchResult<Indexer> {
        let thread_clock = clock.clone();
        let mut writer = Writer::open(index)?;
        let wake = Arc::new((Mutex::new(false), Condvar::new()));
        let signal = wake.clone();
        let rebuild_requested = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let rebuild_flag = rebuild_requested.clone();
        let handle = std::thread::Builder::new()
            .name("tessera-indexer".into())
            .spawn(move || {
                let mut position = writer.index().position();
                loop {
                    if rebuild_flag.swap(false, std::sync::atomic::Ordering::SeqCst)
                        && let Some(h) = rebuild(&mut writer, &full, &head, &thread_clock)
                    {
                        position = h;
                    }
                    match source(position, BATCH)
                        .map_err(SearchError)
                        .and_then(|changes| writer.apply(&changes))
                    {
                        Ok(Some(p)) => {
                            position = p;
                            continue;
                        }
                        Ok(None) => {}
                        Err(e) => tracing::error!(error = %e, "indexing failed; retrying"),
                    }
                    let (lock, cvar) = &*signal;
                    let mut woken = lock.lock().unwrap_or_else(|p| p.into_inner());
                    if !*woken {
                        woken = cvar
                            .wait_timeout(woken, Duration::from_millis(500))
                            .unwrap_or_else(|p| p.into_inner())
                            .0;
                    }
                    if Arc::strong_count(&signal) == 1 {
                        return;
                    }
                    *woken = false;
                }
            })
            .map_err(|e| SearchError(e.to_string()))?;
        Ok(Indexer {
            wake,
            rebuild_requested,
            handle: Some(handle),
            clock,
        })
    }

    /// Asks for a full rebuild; returns its id, or the running one's.
    pub fn request_rebuild(&self, index: &SearchIndex) -> u64 {
        let id = {
            let mut st = index.rebuild.lock().unwrap_or_else(|p| p.into_inner());
            if !st.running {
                *st = RebuildState {
                    id: st.id + 1,
                    running: true,
                    submitted: self.clock.now().0,
                    ..Default::default()
                };
            }
            st.id
        };
        self.rebuild_requested
            .store(true, std::sync::atomic::Ordering::SeqCst);
        self.poke();
        id
    }

    /// Tells the indexer there is something new in the outbox.
    pub fn poke(&self) {
        let (lock, cvar) = &*self.wake;
        *lock.lock().unwrap_or_else(|p| p.into_inner()) = true;
        cvar.notify_one();
    }
}

impl Drop for Indexer {
    fn drop(&mut self) {
        let handle = self.handle.take();
        let wake = std::mem::replace(&mut self.wake, Arc::new((Mutex::new(true), Condvar::new())));
        wake.1.notify_one();
        drop(wake);
        if let Some(h) = handle {
            let _ = h.join();
        }
    }
}

/// Runs a requested rebuild and records its progress for the reindex endpoints;
/// the outbox position it is current with when it succeeded.
fn rebuild(
    writer: &mut Writer,
    full: &FullSource,
    head: &HeadSource,
    clock: &Clock,
) -> Option<i64> {
    let index = writer.index().clone();
    let outcome = head().map_err(SearchError).and_then(|(h, total)| {
        {
            let mut st = index.rebuild.lock().unwrap_or_else(|p| p.into_inner());
            st.started = Some(clock.now().0);
            st.total = total;
            st.done = 0;
        }
        writer.rebuild(full, h, total).map(|_| h)
    });
    let mut st = index.rebuild.lock().unwrap_or_else(|p| p.into_inner());
    st.running = false;
    st.finished = Some(clock.now().0);
    st.success = Some(outcome.is_ok());
    match outcome {
        Ok(h) => Some(h),
        Err(e) => {
            tracing::error!(error = %e, "reindex failed");
            None
        }
    }
}
