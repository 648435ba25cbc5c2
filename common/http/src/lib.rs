//! kea-http: the HTTP(S) layer shared by the control agent, kea-shell and (later) the HA
//! hook library (ARM `agent.rst`, "Secure Connections"; `security.rst`, "TLS/HTTPS
//! Support" and "HTTP Basic Authentication"; INVENTORY §5, §7.2).
//!
//! - [`server`]: the HTTP/1.1 accept loop (keep-alive, header and body timeouts, a request
//!   body size bound, a bounded number of connections), plain or over TLS;
//! - [`tls`]: rustls server and client configurations from Kea's PEM files (`trust-anchor`,
//!   `cert-file`, `key-file`, `cert-required`), always with the ring provider;
//! - [`auth`]: HTTP Basic authentication checked in constant time;
//! - [`client`]: the HTTP(S) client (kea-shell, HA peers);
//! - [`date`]: the `Date` header text.
//!
//! It knows nothing of Kea's commands: the control agent gives the server a [`Handler`].

pub mod auth;
pub mod client;
pub mod date;
pub mod server;
pub mod tls;

pub use auth::{AuthOutcome, BasicAuth, basic_authorization};
pub use client::{ClientError, ClientResponse, HttpClient};
pub use server::{BodyError, Handler, HttpRequest, HttpResponse, HttpServer, ServerLimits};
pub use tls::{TlsError, client_config, server_config};

/// Re-exported HTTP vocabulary so that users need not depend on hyper directly.
pub use hyper::{HeaderMap, Method, StatusCode, Version, header};
