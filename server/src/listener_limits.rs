//! What keeps a slow or hostile client from exhausting a listener (issue 10):
//! - a connection limit: [`LimitedAcceptor`] holds one permit per open connection, so the
//!   next connection past the limit waits in the kernel's backlog until one closes;
//! - a header read timeout: [`DeadlineIo`] closes a connection whose request head (request line and
//!   headers, up to the blank line) is not complete within the limit of its first byte — or of the
//!   accept, for the first request — so trickling one byte a second does not keep it open;
//! - a body cap and a body read timeout: [`limit_body`] makes a body longer than the cap, or one
//!   whose next chunk takes longer than the timeout, a read error, which each API answers with its
//!   own error body (the handlers read bodies through poem's limited readers).
//!
//! Idle keep-alive connections are closed by poem's `idle_timeout`.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::StreamExt;
use poem::http::uri::Scheme;
use poem::listener::Acceptor;
use poem::web::{LocalAddr, RemoteAddr};
use poem::{Body, Request};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, Sleep};

/// The limits of every listener.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListenerLimits {
    /// Open connections per listener; the next one waits until one closes.
    pub max_connections: usize,
    /// How long a request head (request line and headers) may take to arrive.
    pub header_read_timeout: Duration,
    /// How long the next chunk of a request body may take to arrive.
    pub body_read_timeout: Duration,
    /// The largest request body any listener reads (each API may cap lower: Barbican's orders at
    /// 25,000 bytes).
    pub max_body_bytes: usize,
    /// How long a keep-alive connection may sit idle between requests.
    pub idle_timeout: Duration,
}

impl Default for ListenerLimits {
    fn default() -> Self {
        ListenerLimits {
            max_connections: 1024,
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(30),
            max_body_bytes: 8 * 1024 * 1024,
            idle_timeout: Duration::from_secs(60),
        }
    }
}

/// An acceptor that keeps at most `max` connections open, and gives each the header deadline.
pub struct LimitedAcceptor<A> {
    inner: A,
    permits: Arc<Semaphore>,
    header_timeout: Duration,
}

impl<A: Acceptor> LimitedAcceptor<A> {
    pub fn new(inner: A, limits: ListenerLimits) -> Self {
        LimitedAcceptor {
            inner,
            permits: Arc::new(Semaphore::new(limits.max_connections.max(1))),
            header_timeout: limits.header_read_timeout,
        }
    }
}

impl<A: Acceptor> Acceptor for LimitedAcceptor<A> {
    type Io = DeadlineIo<A::Io>;

    fn local_addr(&self) -> Vec<LocalAddr> {
        self.inner.local_addr()
    }

    async fn accept(&mut self) -> io::Result<(Self::Io, LocalAddr, RemoteAddr, Scheme)> {
        // Wait for a free slot before accepting: the connection past the limit stays in the backlog.
        let permit = self.permits.clone().acquire_owned().await.map_err(io::Error::other)?;
        let (io, local, remote, scheme) = self.inner.accept().await?;
        Ok((DeadlineIo::new(io, permit, self.header_timeout), local, remote, scheme))
    }
}

/// A connection that must deliver each request head within a deadline.
pub struct DeadlineIo<T> {
    inner: T,
    _permit: OwnedSemaphorePermit,
    timeout: Duration,
    /// Armed while a request head is being read.
    deadline: Option<Pin<Box<Sleep>>>,
    /// How many bytes of `\r\n\r\n` were matched at the end of the last read.
    matched: usize,
    /// A response was written since the last head completed: the next byte read starts a new head.
    between_requests: bool,
}

impl<T> DeadlineIo<T> {
    fn new(inner: T, permit: OwnedSemaphorePermit, timeout: Duration) -> Self {
        DeadlineIo {
            inner,
            _permit: permit,
            timeout,
            deadline: Some(Box::pin(tokio::time::sleep(timeout))),
            matched: 0,
            between_requests: false,
        }
    }

    /// Follow the bytes just read: arm the deadline at a new head's first byte, disarm it at its end.
    fn observe(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        if self.deadline.is_none() && self.between_requests {
            self.between_requests = false;
            self.matched = 0;
            self.deadline = Some(Box::pin(tokio::time::sleep_until(Instant::now() + self.timeout)));
        }
        if self.deadline.is_none() {
            return;
        }
        const END: &[u8] = b"\r\n\r\n";
        for &b in bytes {
            self.matched = if b == END[self.matched] {
                self.matched + 1
            } else if b == b'\r' {
                1
            } else {
                0
            };
            if self.matched == END.len() {
                self.deadline = None;
                self.matched = 0;
                return;
            }
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for DeadlineIo<T> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let before = buf.filled().len();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                this.observe(&buf.filled()[before..]);
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => {
                let expired = this.deadline.as_mut().is_some_and(|d| d.as_mut().poll(cx).is_ready());
                if expired {
                    tracing::debug!("request head not complete in time: closing the connection");
                    return Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, "request head read timeout")));
                }
                Poll::Pending
            }
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for DeadlineIo<T> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        self.between_requests = true;
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.between_requests = true;
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// Cap a request's body at `max` bytes and give each chunk `timeout` to arrive. A body declared
/// longer than the cap is refused before a byte of it is read.
pub fn limit_body(mut req: Request, max: usize, timeout: Duration) -> Request {
    let declared = req
        .headers()
        .get(poem::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared == Some(0) {
        return req;
    }
    let body = req.take_body();
    if declared.is_some_and(|n| n > max as u64) {
        req.set_body(Body::from_bytes_stream(futures_util::stream::once(async move {
            drop(body);
            Err::<Vec<u8>, _>(io::Error::other("request body over the cap"))
        })));
        return req;
    }
    let stream = Box::pin(body.into_bytes_stream());
    let limited = futures_util::stream::unfold((stream, 0usize, false), move |(mut stream, seen, done)| async move {
        if done {
            return None;
        }
        match tokio::time::timeout(timeout, stream.next()).await {
            Err(_) => {
                tracing::debug!("request body chunk not received in time");
                let err = io::Error::new(io::ErrorKind::TimedOut, "request body read timeout");
                Some((Err(err), (stream, seen, true)))
            }
            Ok(None) => None,
            Ok(Some(Err(e))) => Some((Err(e), (stream, seen, true))),
            Ok(Some(Ok(chunk))) => {
                let seen = seen + chunk.len();
                if seen > max {
                    Some((Err(io::Error::other("request body over the cap")), (stream, seen, true)))
                } else {
                    Some((Ok(chunk), (stream, seen, false)))
                }
            }
        }
    });
    req.set_body(Body::from_bytes_stream(limited));
    req
}

/// Whether a path's percent-escapes decode to valid UTF-8 (poem's router refuses it otherwise, with
/// its own text rather than the API's error body).
fn decodes_to_utf8(path: &str) -> bool {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) =
                (bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    std::str::from_utf8(&out).is_ok()
}

/// A path whose escapes do not decode to UTF-8 is taken literally (each `%` escaped as `%25`), so
/// the id it carries reaches the API, which answers with its own error body (an unknown id).
pub fn literal_if_undecodable(req: &mut Request) {
    let path = req.uri().path();
    if decodes_to_utf8(path) {
        return;
    }
    let literal = path.replace('%', "%25");
    let path_and_query = match req.uri().query() {
        Some(q) => format!("{literal}?{q}"),
        None => literal,
    };
    let mut parts = req.uri().clone().into_parts();
    if let Ok(pq) = path_and_query.parse() {
        parts.path_and_query = Some(pq);
        if let Ok(uri) = poem::http::Uri::from_parts(parts) {
            *req.uri_mut() = uri;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undecodable_paths_are_taken_literally() {
        assert!(decodes_to_utf8("/v1/orders/%2e%2e%C3%A9"));
        assert!(!decodes_to_utf8("/v1/orders/%ff%fe"));
        assert!(!decodes_to_utf8("/v1/orders/%c3%28"));
        let mut req = Request::builder().uri("/v1/orders/%ff?limit=1".parse().unwrap()).finish();
        literal_if_undecodable(&mut req);
        assert_eq!(req.uri().to_string(), "/v1/orders/%25ff?limit=1");
    }
}
