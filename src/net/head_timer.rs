//! hyper's HTTP/1 header-read timer, split in two: on a fresh connection the whole
//! header must arrive within the header timeout; on a kept-alive connection the client
//! may stay silent for the idle timeout, and once the next request's first byte arrives
//! its header must be complete within the header timeout. (hyper starts its single
//! timer as soon as it waits for a request, so without this the idle limit would be the
//! header limit.)

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// What one connection has done so far, shared by its stream, service and timer.
#[derive(Default)]
pub(super) struct Activity {
    bytes_read: AtomicU64,
    requests: AtomicU64,
}

impl Activity {
    pub(super) fn request_started(&self) {
        self.requests.fetch_add(1, Ordering::Relaxed);
    }
    fn bytes_read(&self) -> u64 {
        self.bytes_read.load(Ordering::Relaxed)
    }
}

/// A stream that counts the bytes read from it.
pub(super) struct CountingStream<S> {
    inner: S,
    activity: Arc<Activity>,
}

impl<S> CountingStream<S> {
    pub(super) fn new(inner: S, activity: Arc<Activity>) -> Self {
        CountingStream { inner, activity }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for CountingStream<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.inner).poll_read(cx, buf);
        let read = buf.filled().len().saturating_sub(before) as u64;
        if read > 0 {
            this.activity.bytes_read.fetch_add(read, Ordering::Relaxed);
        }
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for CountingStream<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }
    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// The timer handed to hyper for one connection. hyper's HTTP/1 server asks a timer
/// only for the header-read deadline.
#[derive(Clone)]
pub(super) struct HeadTimer {
    pub(super) activity: Arc<Activity>,
    pub(super) header: Duration,
    pub(super) idle: Duration,
}

impl hyper::rt::Timer for HeadTimer {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn hyper::rt::Sleep>> {
        self.sleep_until(Instant::now() + duration)
    }

    fn sleep_until(&self, deadline: Instant) -> Pin<Box<dyn hyper::rt::Sleep>> {
        let kept_alive = self.activity.requests.load(Ordering::Relaxed) > 0;
        let (deadline, first_byte_after) = if kept_alive {
            (Instant::now() + self.idle, Some(self.activity.bytes_read()))
        } else {
            (deadline, None)
        };
        Box::pin(HeadSleep {
            sleep: Box::pin(tokio::time::sleep_until(deadline.into())),
            first_byte_after,
            activity: self.activity.clone(),
            header: self.header,
        })
    }
}

struct HeadSleep {
    sleep: Pin<Box<tokio::time::Sleep>>,
    /// While waiting on a kept-alive connection: the byte count when waiting began.
    first_byte_after: Option<u64>,
    activity: Arc<Activity>,
    header: Duration,
}

impl Future for HeadSleep {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        // hyper polls this each time the socket wakes it while the header is incomplete,
        // so the first byte of the next request is noticed here.
        if let Some(start) = this.first_byte_after
            && this.activity.bytes_read() > start
        {
            this.first_byte_after = None;
            this.sleep
                .as_mut()
                .reset(tokio::time::Instant::now() + this.header);
        }
        this.sleep.as_mut().poll(cx)
    }
}

impl hyper::rt::Sleep for HeadSleep {}
