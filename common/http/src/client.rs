//! The HTTP(S) client: POST a body to a URL and read the whole answer, within a deadline
//! (kea-shell, `shell.rst`; HA peers later, `hooks-ha.rst`). HTTPS trusts only the
//! configured CA (Kea always names its trust anchor) and may present a client certificate.
//!
//! Built on hyper-util's pooled legacy client with a rustls connector (ring provider).

use std::io;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::header::{HeaderName, HeaderValue};
use hyper::{Method, Request, StatusCode};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use rustls::{ClientConfig, RootCertStore};

use crate::tls::provider;

/// Why a request got no HTTP answer.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The URL is not valid.
    #[error("invalid URL '{url}'")]
    BadUrl {
        /// The URL.
        url: String,
    },
    /// A header name or value is not valid.
    #[error("invalid header '{name}'")]
    BadHeader {
        /// The header name.
        name: String,
    },
    /// Connecting, the TLS handshake or sending failed.
    #[error("{0}")]
    Request(#[source] hyper_util::client::legacy::Error),
    /// Reading the answer's body failed.
    #[error("{0}")]
    Body(#[source] hyper::Error),
    /// No complete answer within the deadline.
    #[error("timeout")]
    Timeout,
    /// The TLS client could not be set up.
    #[error("{0}")]
    Tls(#[from] rustls::Error),
}

impl ClientError {
    /// The underlying OS error, when there is one (`Connection refused`).
    pub fn io_error(&self) -> Option<&io::Error> {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(self);
        while let Some(e) = source {
            if let Some(io) = e.downcast_ref::<io::Error>() {
                return Some(io);
            }
            source = e.source();
        }
        None
    }

    /// The innermost error's text (the TLS alert, the OS error...).
    pub fn root_cause(&self) -> String {
        let mut current: &(dyn std::error::Error + 'static) = self;
        while let Some(next) = current.source() {
            current = next;
        }
        current.to_string()
    }
}

/// A complete answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientResponse {
    /// The status.
    pub status: StatusCode,
    /// The body.
    pub body: Bytes,
}

/// An HTTP(S) client with a per-request deadline.
#[derive(Debug, Clone)]
pub struct HttpClient {
    inner: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
    timeout: Duration,
}

impl HttpClient {
    /// A client for `http://` URLs and, with `tls` (see [`crate::tls::client_config`]),
    /// `https://` ones. `timeout` bounds each whole request, connection included.
    pub fn new(tls: Option<Arc<ClientConfig>>, timeout: Duration) -> Result<Self, ClientError> {
        let config = match tls {
            Some(c) => (*c).clone(),
            // Plain HTTP only: an https URL fails verification against no roots.
            None => ClientConfig::builder_with_provider(provider())
                .with_safe_default_protocol_versions()?
                .with_root_certificates(RootCertStore::empty())
                .with_no_client_auth(),
        };
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(Some(timeout));
        http.set_nodelay(true);
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(config)
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let inner = Client::builder(TokioExecutor::new()).build(connector);
        Ok(Self { inner, timeout })
    }

    /// POSTs `body` to `url` with `headers` (in order) and reads the whole answer.
    pub async fn post(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        body: impl Into<Bytes>,
    ) -> Result<ClientResponse, ClientError> {
        let uri: hyper::Uri = url.parse().map_err(|_| ClientError::BadUrl {
            url: url.to_owned(),
        })?;
        let mut request = Request::new(Full::new(body.into()));
        *request.method_mut() = Method::POST;
        *request.uri_mut() = uri;
        for (name, value) in headers {
            let bad = || ClientError::BadHeader {
                name: (*name).to_owned(),
            };
            let n = HeaderName::from_bytes(name.as_bytes()).map_err(|_| bad())?;
            let v = HeaderValue::from_str(value).map_err(|_| bad())?;
            request.headers_mut().append(n, v);
        }
        let exchange = async {
            let response = self
                .inner
                .request(request)
                .await
                .map_err(ClientError::Request)?;
            let status = response.status();
            let body = response
                .into_body()
                .collect()
                .await
                .map_err(ClientError::Body)?
                .to_bytes();
            Ok(ClientResponse { status, body })
        };
        tokio::time::timeout(self.timeout, exchange)
            .await
            .map_err(|_| ClientError::Timeout)?
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    #[tokio::test]
    async fn refused_and_bad_url() {
        let c = HttpClient::new(None, Duration::from_secs(2)).unwrap();
        // Bind then drop: the port is very likely closed.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let e = c
            .post(&format!("http://127.0.0.1:{port}/"), &[], "x")
            .await
            .unwrap_err();
        assert_eq!(
            e.io_error().map(io::Error::kind),
            Some(io::ErrorKind::ConnectionRefused),
            "{e:?}"
        );
        assert!(matches!(
            c.post("not a url", &[], "x").await,
            Err(ClientError::BadUrl { .. })
        ));
        assert!(matches!(
            c.post("http://127.0.0.1:1/", &[("bad header", "x")], "x")
                .await,
            Err(ClientError::BadHeader { .. })
        ));
    }
}
