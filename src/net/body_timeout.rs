//! A request body that gives up when the client stops sending: no frame within the
//! timeout ends the body with an error, and marks the request so the accept loop answers
//! 408 (extractors would otherwise report a generic 400).

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use http_body::{Body, Frame, SizeHint};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug)]
struct BodyStalled;

impl std::fmt::Display for BodyStalled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the client stopped sending the request body")
    }
}

impl std::error::Error for BodyStalled {}

pub(super) struct TimeoutBody<B> {
    inner: B,
    timeout: Duration,
    /// Runs while the reader waits for the next frame; dropped on each frame (progress).
    sleep: Option<Pin<Box<tokio::time::Sleep>>>,
    stalled: Arc<AtomicBool>,
}

impl<B> TimeoutBody<B> {
    pub(super) fn new(inner: B, timeout: Duration, stalled: Arc<AtomicBool>) -> Self {
        TimeoutBody {
            inner,
            timeout,
            sleep: None,
            stalled,
        }
    }
}

impl<B> Body for TimeoutBody<B>
where
    B: Body + Unpin,
    B::Error: Into<BoxError>,
{
    type Data = B::Data;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<B::Data>, BoxError>>> {
        let this = self.get_mut();
        if let Poll::Ready(frame) = Pin::new(&mut this.inner).poll_frame(cx) {
            this.sleep = None;
            return Poll::Ready(frame.map(|r| r.map_err(Into::into)));
        }
        let timeout = this.timeout;
        let sleep = this
            .sleep
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        if sleep.as_mut().poll(cx).is_ready() {
            this.stalled.store(true, Ordering::Relaxed);
            return Poll::Ready(Some(Err(Box::new(BodyStalled))));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
