//! `serve`'s connections: the accept loop, how many connections are served at
//! once, and when one is closed for taking too long. It owns no HTTP
//! meaning (that is `server.rs`); it keeps a client that sends half a
//! request, stops reading, or opens hundreds of sockets from holding the
//! server's file descriptors, which the rebuilds need too.
//!
//! Connections beyond the cap wait in the kernel's listen queue and are
//! served, in order, as soon as others end; the timeouts below make sure
//! others do end.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::Semaphore;
use tokio::time::Instant;

/// How long a client has to send a request's head (request line and
/// headers), from the moment its connection opens or its previous response
/// ends. Browsers send the head at once; a client that sends half of it and
/// waits would hold a socket and a file descriptor for ever. An idle
/// keep-alive connection ends after this time too (a browser opens a new one
/// at no cost). A long response (the live-reload stream, a video) is not
/// limited by it.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// A connection on which no byte moved either way for this long is closed: a
/// client that stopped reading its response (a stalled download, a suspended
/// laptop) no longer holds a connection. The live-reload stream writes a
/// comment every [`LIVE_KEEP_ALIVE`], so open tabs keep their stream.
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// How often the live-reload stream sends a keep-alive comment: well within
/// [`IDLE_TIMEOUT`].
pub const LIVE_KEEP_ALIVE: Duration = Duration::from_secs(15);
const _: () = assert!(LIVE_KEEP_ALIVE.as_secs() * 3 <= IDLE_TIMEOUT.as_secs());

/// At most this many connections are served at once: far more than a
/// writer's browsers open (six at most per site each, live-reload streams
/// included).
const MAX_CONNECTIONS: usize = 256;

/// The cap is also at most a quarter of the process's file-descriptor limit
/// (a connection can hold two: its socket and a static file it streams), so
/// at least half are left for rebuilds, the watcher and the runtime; but
/// never below this many.
const MIN_CONNECTIONS: usize = 8;

/// How long the accept loop waits after an error that is not about one
/// connection (out of file descriptors, of memory): retrying at once would
/// spin, and the condition passes only when connections close.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// For tests only: `LAUREL_SERVE_HEADER_TIMEOUT_MS` replaces
/// [`HEADER_READ_TIMEOUT`], so that a test can watch many connections being
/// cut off without waiting ten seconds for each round. Not a user setting.
const HEADER_TIMEOUT_VAR: &str = "LAUREL_SERVE_HEADER_TIMEOUT_MS";

/// The limits one server runs with.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub header_read: Duration,
    pub idle: Duration,
    pub max_connections: usize,
}

impl Limits {
    /// The limits above, the cap sized to this process's file-descriptor limit.
    pub fn for_this_process() -> Limits {
        let header_read = std::env::var(HEADER_TIMEOUT_VAR)
            .ok()
            .and_then(|v| v.parse().ok())
            .map_or(HEADER_READ_TIMEOUT, Duration::from_millis);
        Limits {
            header_read,
            idle: IDLE_TIMEOUT,
            max_connections: cap_for(open_files_limit()),
        }
    }
}

/// The connection cap for a file-descriptor limit (`None`: unlimited or unknown).
fn cap_for(fd_limit: Option<u64>) -> usize {
    let quarter = fd_limit.map_or(usize::MAX, |n| usize::try_from(n / 4).unwrap_or(usize::MAX));
    quarter.clamp(MIN_CONNECTIONS, MAX_CONNECTIONS)
}

/// The soft limit on open files (`ulimit -n`).
#[cfg(unix)]
fn open_files_limit() -> Option<u64> {
    rustix::process::getrlimit(rustix::process::Resource::Nofile).current
}

#[cfg(not(unix))]
fn open_files_limit() -> Option<u64> {
    None
}

/// Accepts connections on `listener` and serves `app` on each, within
/// `limits`, until the process ends.
pub async fn serve(listener: tokio::net::TcpListener, app: Router, limits: Limits) {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    loop {
        // A slot first: at the cap, new connections wait in the listen queue.
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return; // never closed
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) if is_about_one_connection(&e) => continue,
            Err(_) => {
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
        };
        let app = app.clone();
        tokio::spawn(async move {
            serve_connection(stream, app, limits).await;
            drop(slot);
        });
    }
}

/// An accept error that concerns only the connection being accepted (it was
/// reset before we took it): the next one can be accepted at once.
fn is_about_one_connection(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionRefused
            | io::ErrorKind::Interrupted
    )
}

/// Serves one connection until it ends, its client is too slow to send a
/// request head, or nothing moved on it for `limits.idle`.
async fn serve_connection<T>(stream: T, app: Router, limits: Limits)
where
    T: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched {
        inner: stream,
        activity: activity.clone(),
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read)
        .serve_connection(io, TowerToHyperService::new(app));
    // Dropping the connection closes the socket. Its errors (a client gone,
    // a malformed request, the header timeout) are the client's business.
    tokio::select! {
        _ = conn => {}
        () = activity.idle_for(limits.idle) => {}
    }
}

/// When bytes last moved on a connection.
struct Activity {
    opened: Instant,
    /// Milliseconds after `opened`.
    last: AtomicU64,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            opened: Instant::now(),
            last: AtomicU64::new(0),
        }
    }

    fn touch(&self) {
        let ms = u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last.store(ms, Ordering::Relaxed);
    }

    /// Returns once nothing moved for `limit`.
    async fn idle_for(&self, limit: Duration) {
        loop {
            let last = self.opened + Duration::from_millis(self.last.load(Ordering::Relaxed));
            let quiet = last.elapsed();
            if quiet >= limit {
                return;
            }
            tokio::time::sleep(limit - quiet).await;
        }
    }
}

/// A stream that records in its [`Activity`] every read or write that moved bytes.
struct Watched<T> {
    inner: T,
    activity: Arc<Activity>,
}

impl<T: AsyncRead + Unpin> AsyncRead for Watched<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        r
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Watched<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        r
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        r
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    use super::*;

    #[test]
    fn the_cap_leaves_most_file_descriptors_to_the_rest() {
        assert_eq!(cap_for(None), MAX_CONNECTIONS);
        assert_eq!(cap_for(Some(1 << 20)), MAX_CONNECTIONS);
        assert_eq!(cap_for(Some(1024)), 256);
        // macOS's default limit.
        assert_eq!(cap_for(Some(256)), 64);
        assert_eq!(cap_for(Some(64)), 16);
        assert_eq!(cap_for(Some(12)), MIN_CONNECTIONS);
    }

    fn limits(idle_ms: u64) -> Limits {
        Limits {
            header_read: Duration::from_secs(30),
            idle: Duration::from_millis(idle_ms),
            max_connections: 1,
        }
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
    }

    /// The client asks for a large response and reads none of it: the
    /// server's writes stall, and the idle timeout ends the connection.
    #[test]
    fn a_client_that_stops_reading_is_cut_off() {
        runtime().block_on(async {
            let app = Router::new().fallback(|| async { vec![b'x'; 1 << 20] });
            let (mut client, server) = tokio::io::duplex(4096);
            client
                .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                .await
                .unwrap();
            let served = tokio::time::timeout(
                Duration::from_secs(30),
                serve_connection(server, app, limits(100)),
            )
            .await;
            assert!(served.is_ok(), "the stalled connection was kept");
            let mut got = Vec::new();
            client.read_to_end(&mut got).await.unwrap();
            assert!(got.len() < 1 << 20, "the whole response went through");
        });
    }

    /// A response that keeps sending (as the live-reload stream does) is
    /// not idle, however long it lasts.
    #[test]
    fn a_stream_that_keeps_sending_is_not_cut_off() {
        runtime().block_on(async {
            let app = Router::new().fallback(|| async {
                let (tx, rx) = tokio::sync::mpsc::channel(1);
                tokio::spawn(async move {
                    for _ in 0..40 {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        let _ = tx.send(Ok::<_, io::Error>("tick\n")).await;
                    }
                });
                axum::body::Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx))
            });
            let (mut client, server) = tokio::io::duplex(4096);
            let conn = tokio::spawn(serve_connection(server, app, limits(200)));
            client
                .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .await
                .unwrap();
            let mut got = Vec::new();
            client.read_to_end(&mut got).await.unwrap();
            let text = String::from_utf8_lossy(&got);
            assert_eq!(text.matches("tick").count(), 40, "{text}");
            conn.await.unwrap();
        });
    }
}
