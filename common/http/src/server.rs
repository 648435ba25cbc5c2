//! The HTTP/1.1 server: an accept loop over a bound `TcpListener`, plain or TLS, that hands
//! each complete request (head and body) to a [`Handler`] and writes its [`HttpResponse`]
//! (ARM `agent.rst`, "Configuration", "Secure Connections"; INVENTORY §7.2).
//!
//! Everything a client can multiply is bounded ([`ServerLimits`]): open connections (further
//! clients wait in the kernel's backlog), the TLS handshake time, the time to send a request
//! head (which is also the keep-alive idle time), the time to send a body and the body size.
//! Headers are written in the order the handler gives them, in title case as Kea writes them.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::header::{CONTENT_LENGTH, HeaderName, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{HeaderMap, Method, Request, Response, StatusCode, Uri, Version};
use hyper_util::rt::{TokioIo, TokioTimer};
use rustls::ServerConfig;
use rustls_pki_types::CertificateDer;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio_rustls::TlsAcceptor;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// Bounds on what one client can make the server hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerLimits {
    /// Largest request body accepted, in bytes.
    pub max_body: usize,
    /// Time allowed to receive a request head; also how long an idle keep-alive connection
    /// is kept (Kea: 10 s).
    pub header_timeout: Duration,
    /// Time allowed to receive a request body once its head has arrived.
    pub body_timeout: Duration,
    /// Time allowed for a TLS handshake.
    pub handshake_timeout: Duration,
    /// Connections served at once.
    pub max_connections: usize,
}

impl Default for ServerLimits {
    /// 16 MiB bodies (a large `config-set`), 10 s timeouts as Kea's request timeout, 64
    /// connections (so bodies in flight stay within 1 GiB).
    fn default() -> Self {
        Self {
            max_body: 16 * 1024 * 1024,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            handshake_timeout: Duration::from_secs(10),
            max_connections: 64,
        }
    }
}

/// A received request with its whole body.
#[derive(Debug, Clone)]
pub struct HttpRequest {
    /// `POST`, `GET`, ...
    pub method: Method,
    /// The request target.
    pub uri: Uri,
    /// HTTP/1.0 or HTTP/1.1.
    pub version: Version,
    /// The request headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
    /// The client's address.
    pub remote: SocketAddr,
    /// The client's certificate chain (TLS with a client certificate), end entity first.
    pub peer_certificates: Vec<CertificateDer<'static>>,
}

/// Why a request body was not received.
#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    /// The body is larger than [`ServerLimits::max_body`].
    #[error("request body larger than {limit} bytes")]
    TooLarge {
        /// The bound.
        limit: usize,
    },
    /// The client did not send the body in time.
    #[error("timeout while receiving the request body")]
    Timeout,
    /// The connection failed or the body was malformed.
    #[error("error receiving the request body: {0}")]
    Read(Box<dyn std::error::Error + Send + Sync>),
}

/// The answer to write: status, headers in order, body (`Content-Length` is added first
/// when the handler did not set it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status.
    pub status: StatusCode,
    /// Headers, written in this order.
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// The body.
    pub body: Bytes,
}

impl HttpResponse {
    /// A response without headers.
    pub fn new(status: StatusCode, body: impl Into<Bytes>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// Appends a header.
    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    fn into_hyper(self) -> Response<Full<Bytes>> {
        let mut response = Response::new(Full::new(self.body.clone()));
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        if !self.headers.iter().any(|(n, _)| n == CONTENT_LENGTH) {
            headers.insert(CONTENT_LENGTH, HeaderValue::from(self.body.len()));
        }
        for (name, value) in self.headers {
            headers.append(name, value);
        }
        response
    }
}

/// What the server calls for each request. Dispatch is static: the server is generic over
/// its handler.
pub trait Handler: Send + Sync + 'static {
    /// Answers a complete request.
    fn handle(&self, request: HttpRequest) -> impl Future<Output = HttpResponse> + Send;

    /// Answers a request whose body could not be received (too large, too slow).
    fn body_error(&self, error: &BodyError) -> HttpResponse;
}

/// An HTTP(S) server: a handler, limits and an optional TLS configuration.
pub struct HttpServer<H> {
    handler: Arc<H>,
    limits: ServerLimits,
    tls: Option<TlsAcceptor>,
    logger: Arc<str>,
}

impl<H> std::fmt::Debug for HttpServer<H> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpServer")
            .field("limits", &self.limits)
            .field("tls", &self.tls.is_some())
            .finish()
    }
}

impl<H: Handler> HttpServer<H> {
    /// A plain HTTP server; add TLS with [`with_tls`](Self::with_tls).
    pub fn new(handler: Arc<H>, limits: ServerLimits) -> Self {
        Self {
            handler,
            limits,
            tls: None,
            logger: Arc::from("kea-http"),
        }
    }

    /// Names the Kea logger of connection events (`kea-ctrl-agent.http`).
    pub fn with_logger(mut self, logger: &str) -> Self {
        self.logger = Arc::from(logger);
        self
    }

    /// Serves HTTPS with `config` (see [`crate::tls::server_config`]).
    pub fn with_tls(mut self, config: Arc<ServerConfig>) -> Self {
        self.tls = Some(TlsAcceptor::from(config));
        self
    }

    /// Accepts connections on `listener` until `stop` is cancelled; each connection runs on
    /// `tracker` and finishes its current request after `stop` (graceful shutdown).
    pub async fn serve(self, listener: TcpListener, stop: CancellationToken, tracker: TaskTracker) {
        let permits = Arc::new(Semaphore::new(self.limits.max_connections.max(1)));
        let me = Arc::new(self);
        loop {
            let permit = tokio::select! {
                () = stop.cancelled() => break,
                p = permits.clone().acquire_owned() => match p {
                    Ok(p) => p,
                    Err(_) => break,
                },
            };
            let accepted = tokio::select! {
                () = stop.cancelled() => break,
                a = listener.accept() => a,
            };
            let (stream, remote) = match accepted {
                Ok(a) => a,
                Err(e) => {
                    tracing::warn!(target: "kea-http", logger = %me.logger, msgid = "HTTP_CONNECTION_ACCEPT_FAILED",
                        "failed to accept an HTTP connection: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            let me = me.clone();
            let stop = stop.clone();
            tracker.spawn(async move {
                me.connection(stream, remote, stop).await;
                drop(permit);
            });
        }
    }

    async fn connection(&self, stream: TcpStream, remote: SocketAddr, stop: CancellationToken) {
        let _ = stream.set_nodelay(true);
        match &self.tls {
            None => self.serve_io(stream, remote, Vec::new(), stop).await,
            Some(acceptor) => {
                let handshake =
                    tokio::time::timeout(self.limits.handshake_timeout, acceptor.accept(stream))
                        .await;
                match handshake {
                    Ok(Ok(tls)) => {
                        let peer = tls
                            .get_ref()
                            .1
                            .peer_certificates()
                            .map(|c| c.iter().map(|c| c.clone().into_owned()).collect())
                            .unwrap_or_default();
                        self.serve_io(tls, remote, peer, stop).await;
                    }
                    Ok(Err(e)) => {
                        tracing::info!(target: "kea-http", logger = %self.logger, msgid = "HTTP_CONNECTION_HANDSHAKE_FAILED",
                            "TLS handshake with {} failed with {e}", remote.ip());
                    }
                    Err(_) => {
                        tracing::info!(target: "kea-http", logger = %self.logger, msgid = "HTTP_CONNECTION_HANDSHAKE_FAILED",
                            "TLS handshake with {} timed out", remote.ip());
                    }
                }
            }
        }
    }

    async fn serve_io<S>(
        &self,
        io: S,
        remote: SocketAddr,
        peer: Vec<CertificateDer<'static>>,
        stop: CancellationToken,
    ) where
        S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let handler = self.handler.clone();
        let limits = self.limits;
        let peer = Arc::new(peer);
        let service = service_fn(move |req: Request<Incoming>| {
            let handler = handler.clone();
            let peer = peer.clone();
            async move {
                let response = receive(req, remote, &peer, &limits, handler.as_ref()).await;
                Ok::<_, Infallible>(response.into_hyper())
            }
        });
        let conn = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_timeout)
            .keep_alive(true)
            // KEA-DIFF: title case gives `Www-Authenticate` where Kea writes
            // `WWW-Authenticate`; header names are case-insensitive (RFC 9110 §5.1).
            .title_case_headers(true)
            .serve_connection(TokioIo::new(io), service);
        let mut conn = std::pin::pin!(conn);
        tokio::select! {
            r = conn.as_mut() => log_end(r, remote, &self.logger),
            () = stop.cancelled() => {
                conn.as_mut().graceful_shutdown();
                log_end(conn.await, remote, &self.logger);
            }
        }
    }
}

fn log_end(result: Result<(), hyper::Error>, remote: SocketAddr, logger: &str) {
    if let Err(e) = result {
        tracing::debug!(target: "kea-http", logger = logger, dbg = 50u8, msgid = "HTTP_CONNECTION_STOP",
            "HTTP connection from {} ended: {e}", remote.ip());
    }
}

/// Reads the body within the limits and runs the handler.
async fn receive<H: Handler>(
    req: Request<Incoming>,
    remote: SocketAddr,
    peer: &[CertificateDer<'static>],
    limits: &ServerLimits,
    handler: &H,
) -> HttpResponse {
    let (parts, body) = req.into_parts();
    let declared = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limits.max_body as u64) {
        return handler.body_error(&BodyError::TooLarge {
            limit: limits.max_body,
        });
    }
    let collected = tokio::time::timeout(
        limits.body_timeout,
        Limited::new(body, limits.max_body).collect(),
    )
    .await;
    let body = match collected {
        Err(_) => return handler.body_error(&BodyError::Timeout),
        Ok(Ok(c)) => c.to_bytes(),
        Ok(Err(e)) => {
            let error = if e.downcast_ref::<LengthLimitError>().is_some() {
                BodyError::TooLarge {
                    limit: limits.max_body,
                }
            } else {
                BodyError::Read(e)
            };
            return handler.body_error(&error);
        }
    };
    let request = HttpRequest {
        method: parts.method,
        uri: parts.uri,
        version: parts.version,
        headers: parts.headers,
        body,
        remote,
        peer_certificates: peer.to_vec(),
    };
    handler.handle(request).await
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    struct Echo;

    impl Handler for Echo {
        async fn handle(&self, request: HttpRequest) -> HttpResponse {
            HttpResponse::new(StatusCode::OK, request.body).with_header(
                HeaderName::from_static("x-method"),
                HeaderValue::from_str(request.method.as_str()).unwrap(),
            )
        }

        fn body_error(&self, error: &BodyError) -> HttpResponse {
            HttpResponse::new(StatusCode::PAYLOAD_TOO_LARGE, error.to_string())
        }
    }

    async fn start(limits: ServerLimits) -> (SocketAddr, CancellationToken, TaskTracker) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let stop = CancellationToken::new();
        let tracker = TaskTracker::new();
        let server = HttpServer::new(Arc::new(Echo), limits);
        tracker.spawn(server.serve(listener, stop.clone(), tracker.clone()));
        (addr, stop, tracker)
    }

    async fn exchange(addr: SocketAddr, raw: &[u8]) -> String {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(raw).await.unwrap();
        let mut out = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut out)).await;
        String::from_utf8_lossy(&out).into_owned()
    }

    #[tokio::test]
    async fn keep_alive_limits_and_shutdown() {
        let limits = ServerLimits {
            max_body: 10,
            header_timeout: Duration::from_millis(300),
            ..ServerLimits::default()
        };
        let (addr, stop, tracker) = start(limits).await;
        // Two requests on one connection; the idle connection is closed by the header timeout.
        let out = exchange(
            addr,
            b"POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nhiPOST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nbye",
        )
        .await;
        assert_eq!(out.matches("HTTP/1.1 200 OK\r\n").count(), 2, "{out}");
        assert!(
            out.contains("Content-Length: 2\r\nX-Method: POST\r\n"),
            "{out}"
        );
        assert!(out.ends_with("\r\n\r\nbye"), "{out}");
        // Declared too large, and chunked too large.
        let out = exchange(addr, b"POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n").await;
        assert!(out.starts_with("HTTP/1.1 413 "), "{out}");
        let out = exchange(
            addr,
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\nabcdef\r\n0\r\n\r\n",
        )
        .await;
        assert!(out.starts_with("HTTP/1.1 413 "), "{out}");
        stop.cancel();
        tracker.close();
        tokio::time::timeout(Duration::from_secs(5), tracker.wait())
            .await
            .unwrap();
        assert!(TcpStream::connect(addr).await.is_err());
    }

    #[tokio::test]
    async fn connection_bound() {
        let limits = ServerLimits {
            max_connections: 1,
            ..ServerLimits::default()
        };
        let (addr, stop, _tracker) = start(limits).await;
        let idle = TcpStream::connect(addr).await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        let mut second = TcpStream::connect(addr).await.unwrap();
        second
            .write_all(b"POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi")
            .await
            .unwrap();
        let mut buf = [0u8; 256];
        let early = tokio::time::timeout(Duration::from_millis(300), second.read(&mut buf)).await;
        assert!(early.is_err(), "served beyond the bound");
        drop(idle);
        let n = tokio::time::timeout(Duration::from_secs(5), second.read(&mut buf))
            .await
            .unwrap()
            .unwrap();
        assert!(buf[..n].starts_with(b"HTTP/1.1 200 OK"));
        stop.cancel();
    }
}
