//! The agent's runtime configuration built from the `Control-agent` map (ARM `agent.rst`,
//! "Configuration", "Secure Connections"; INVENTORY §5): where to listen, with which TLS
//! setup, whom to let in, where each service's socket is, and what `config-get` shows.
//! Everything is checked here, so `-t` and `config-test` see every error `config-set` would.

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use kea_config::agent::{ControlAgentConfig, parse_control_agent};
use kea_config::json::{Element, Position};
use kea_config::{ConfigError, UserContext};
use kea_http::BasicAuth;
use kea_http::tls::ServerConfig;
use kea_http::tls::server_config;
use serde_json::{Map, Value};

use crate::auth::{self, AuthConfigError};

/// Why a configuration was refused; `Display` is the answer text.
#[derive(Debug, thiserror::Error)]
pub enum AgentConfigError {
    /// Type, keyword or unknown-key errors.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// Hook libraries are refused until the agent can load any.
    #[error("hooks-libraries: library '{library}' is not supported yet ({at})")]
    HooksNotSupported {
        /// The library named.
        library: String,
        /// Where.
        at: Position,
    },
    /// One TLS file parameter given without the others.
    #[error("{param} parameter is missing or empty: all or none of TLS parameters must be set")]
    TlsIncomplete {
        /// The missing one.
        param: &'static str,
    },
    /// The TLS files are not usable.
    #[error(transparent)]
    Tls(#[from] kea_http::TlsError),
    /// `http-host` is not an IP address.
    #[error("failed to convert '{host}' to address ({at})")]
    BadHost {
        /// The value.
        host: String,
        /// Where.
        at: Position,
    },
    /// A bad `authentication` map.
    #[error(transparent)]
    Auth(#[from] AuthConfigError),
}

/// The TLS part of the listener: file names and the built rustls configuration.
#[derive(Clone)]
pub struct TlsSetup {
    /// `trust-anchor`, `cert-file`, `key-file`, `cert-required`.
    pub files: (String, String, String, bool),
    /// The server configuration.
    pub config: Arc<ServerConfig>,
}

impl std::fmt::Debug for TlsSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsSetup")
            .field("files", &self.files)
            .finish()
    }
}

/// What the listener is: address and TLS.
#[derive(Debug, Clone)]
pub struct ListenSetup {
    /// `http-host`:`http-port`.
    pub addr: SocketAddr,
    /// HTTPS when set.
    pub tls: Option<TlsSetup>,
}

/// What the request handler needs: authentication and the services' sockets.
#[derive(Debug, Clone, Default)]
pub struct Routing {
    /// Basic authentication, when clients are configured.
    pub auth: Option<BasicAuth>,
    /// Service name (`dhcp4`, `dhcp6`, `d2`) → UNIX socket path.
    pub sockets: BTreeMap<String, PathBuf>,
}

/// A checked configuration.
#[derive(Debug, Clone)]
pub struct AgentSetup {
    /// The listener.
    pub listen: ListenSetup,
    /// Authentication and forwarding.
    pub routing: Routing,
    /// The map `config-get` shows (defaults filled).
    pub display: Value,
}

/// Checks the `Control-agent` map and builds everything but the socket.
pub fn build(e: &Element) -> Result<AgentSetup, AgentConfigError> {
    let c = parse_control_agent(e)?;
    if let Some(lib) = c.hooks_libraries.first() {
        let at = e
            .entry("hooks-libraries")
            .map(|m| m.key_pos.clone())
            .unwrap_or_default();
        // KEA-DIFF: Kea loads the library; no control-agent hook library exists here yet.
        return Err(AgentConfigError::HooksNotSupported {
            library: lib.library.clone(),
            at,
        });
    }
    let tls = tls_setup(&c)?;
    let ip: IpAddr = c.http_host.parse().map_err(|_| AgentConfigError::BadHost {
        host: c.http_host.clone(),
        at: e
            .get("http-host")
            .map(|h| h.pos().clone())
            .unwrap_or_default(),
    })?;
    let auth = match &c.authentication {
        Some(a) => Some(auth::build(a, e.get("authentication"))?),
        None => None,
    }
    .filter(|a| a.client_count() > 0);
    let sockets = c
        .control_sockets
        .iter()
        .flat_map(|s| [("dhcp4", &s.dhcp4), ("dhcp6", &s.dhcp6), ("d2", &s.d2)])
        .filter_map(|(name, s)| s.as_ref().map(|s| (name.to_owned(), s.socket_name.clone())))
        .collect();
    Ok(AgentSetup {
        listen: ListenSetup {
            addr: SocketAddr::new(ip, c.http_port),
            tls,
        },
        routing: Routing { auth, sockets },
        display: display(&c),
    })
}

fn given(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|s| !s.is_empty())
}

fn tls_setup(c: &ControlAgentConfig) -> Result<Option<TlsSetup>, AgentConfigError> {
    let (ta, cf, kf) = (
        given(&c.trust_anchor),
        given(&c.cert_file),
        given(&c.key_file),
    );
    if ta.is_none() && cf.is_none() && kf.is_none() {
        return Ok(None);
    }
    let (Some(ta), Some(cf), Some(kf)) = (ta, cf, kf) else {
        let param = if ta.is_none() {
            "trust-anchor"
        } else if cf.is_none() {
            "cert-file"
        } else {
            "key-file"
        };
        return Err(AgentConfigError::TlsIncomplete { param });
    };
    let required = c.cert_required.unwrap_or(true);
    let config = server_config(ta.as_ref(), cf.as_ref(), kf.as_ref(), required)?;
    Ok(Some(TlsSetup {
        files: (ta.to_owned(), cf.to_owned(), kf.to_owned(), required),
        config,
    }))
}

/// Kea keeps a `comment` as `user-context.comment`.
pub(crate) fn put_user_context(
    m: &mut Map<String, Value>,
    context: Option<&UserContext>,
    comment: Option<&String>,
) {
    let mut ctx = context.cloned().unwrap_or_default();
    if let Some(c) = comment {
        ctx.insert("comment".into(), Value::String(c.clone()));
    }
    if !ctx.is_empty() {
        m.insert("user-context".into(), Value::Object(ctx));
    }
}

/// The configuration as Kea's `config-get` shows it.
fn display(c: &ControlAgentConfig) -> Value {
    let mut m = Map::new();
    if let Some(a) = &c.authentication {
        m.insert("authentication".into(), auth::display(a));
    }
    let tls_given = [&c.trust_anchor, &c.cert_file, &c.key_file]
        .iter()
        .any(|s| s.as_deref().is_some_and(|s| !s.is_empty()));
    for (key, v) in [
        ("trust-anchor", &c.trust_anchor),
        ("cert-file", &c.cert_file),
        ("key-file", &c.key_file),
    ] {
        if let Some(v) = v {
            m.insert(key.into(), Value::String(v.clone()));
        }
    }
    if tls_given || c.cert_required.is_some() {
        m.insert(
            "cert-required".into(),
            Value::Bool(c.cert_required.unwrap_or(true)),
        );
    }
    let mut sockets = Map::new();
    if let Some(s) = &c.control_sockets {
        for (name, sock) in [("dhcp4", &s.dhcp4), ("dhcp6", &s.dhcp6), ("d2", &s.d2)] {
            if let Some(sock) = sock {
                let mut sm = Map::new();
                sm.insert(
                    "socket-name".into(),
                    Value::String(sock.socket_name.display().to_string()),
                );
                sm.insert(
                    "socket-type".into(),
                    Value::String(sock.socket_type.clone()),
                );
                put_user_context(&mut sm, sock.user_context.as_ref(), sock.comment.as_ref());
                sockets.insert(name.into(), Value::Object(sm));
            }
        }
    }
    m.insert("control-sockets".into(), Value::Object(sockets));
    m.insert("hooks-libraries".into(), Value::Array(Vec::new()));
    m.insert("http-host".into(), Value::String(c.http_host.clone()));
    m.insert("http-port".into(), Value::from(c.http_port));
    if let Some(loggers) = &c.loggers {
        let shown = loggers
            .iter()
            .map(|l| {
                let mut v = serde_json::to_value(l).unwrap_or(Value::Null);
                if let Value::Object(lm) = &mut v {
                    let comment = lm
                        .remove("comment")
                        .and_then(|c| c.as_str().map(str::to_owned));
                    let ctx = lm.remove("user-context").and_then(|c| match c {
                        Value::Object(o) => Some(o),
                        _ => None,
                    });
                    put_user_context(lm, ctx.as_ref(), comment.as_ref());
                }
                v
            })
            .collect();
        m.insert("loggers".into(), Value::Array(shown));
    }
    put_user_context(&mut m, c.user_context.as_ref(), c.comment.as_ref());
    Value::Object(m)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use serde_json::json;

    fn setup(text: &str) -> Result<AgentSetup, AgentConfigError> {
        build(&kea_config::json::parse_str(text, "ca.json").unwrap())
    }

    #[test]
    fn display_as_kea() {
        let s = setup(
            r#"{ "http-port": 28012, "control-sockets": { "dhcp4": { "socket-name": "/tmp/v4.sock" } },
                 "loggers": [ { "name": "kea-ctrl-agent", "severity": "DEBUG", "debuglevel": 99,
                                "output_options": [ { "output": "/tmp/ca.log" } ] } ] }"#,
        )
        .unwrap();
        assert_eq!(
            kea_process::json::to_kea_string(&s.display),
            r#"{ "control-sockets": { "dhcp4": { "socket-name": "/tmp/v4.sock", "socket-type": "unix" } }, "hooks-libraries": [  ], "http-host": "127.0.0.1", "http-port": 28012, "loggers": [ { "debuglevel": 99, "name": "kea-ctrl-agent", "output_options": [ { "flush": true, "maxsize": 10240000, "maxver": 1, "output": "/tmp/ca.log", "pattern": "" } ], "severity": "DEBUG" } ] }"#
        );
        assert_eq!(s.listen.addr, "127.0.0.1:28012".parse().unwrap());
        assert!(s.listen.tls.is_none() && s.routing.auth.is_none());
        assert_eq!(s.routing.sockets["dhcp4"], PathBuf::from("/tmp/v4.sock"));
        let s =
            setup(r#"{ "comment": "x", "authentication": { "type": "basic", "clients": [] } }"#)
                .unwrap();
        assert!(s.routing.auth.is_none());
        assert_eq!(s.display["user-context"], json!({"comment": "x"}));
        assert_eq!(s.display["control-sockets"], json!({}));
    }

    #[test]
    fn refusals() {
        let e = |t: &str| setup(t).unwrap_err().to_string();
        assert_eq!(
            e(r#"{ "cert-file": "/x" }"#),
            "trust-anchor parameter is missing or empty: all or none of TLS parameters must be set"
        );
        assert_eq!(
            e(r#"{ "trust-anchor": "/x", "cert-file": "/y" }"#),
            "key-file parameter is missing or empty: all or none of TLS parameters must be set"
        );
        assert_eq!(
            e(r#"{ "hooks-libraries": [ { "library": "/x.so" } ] }"#),
            "hooks-libraries: library '/x.so' is not supported yet (ca.json:1:3)"
        );
        assert!(e(r#"{ "http-host": "localhost" }"#).starts_with("failed to convert 'localhost'"));
        assert!(
            e(r#"{ "trust-anchor": "/nonexist", "cert-file": "/y", "key-file": "/z" }"#)
                .contains("/nonexist")
        );
    }
}
