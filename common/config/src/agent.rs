//! The typed `Control-agent` object: every key Kea 2.2's kea-ctrl-agent accepts, decoded
//! from a positioned [`Element`] tree with Kea's error messages.
//!
//! Implements `shared/spec/kea-arm/agent.rst`, "Configuration" and "Secure Connections"
//! (INVENTORY §5). These are wire structs: types and keywords are checked here; the TLS
//! all-or-none rule, the client rules and the reading of user and password files belong to
//! the agent when it builds its runtime configuration.

use serde::{Deserialize, Serialize};

use crate::UserContext;
use crate::ctrl::ControlSocket;
use crate::de::from_element;
use crate::enums::keyword_enum;
use crate::error::ConfigError;
use crate::hooks::HooksLibrary;
use crate::json::Element;
use crate::logging::LoggerConfig;

/// Kea's default `http-host`.
pub const DEFAULT_HTTP_HOST: &str = "127.0.0.1";
/// Kea's default `http-port`.
pub const DEFAULT_HTTP_PORT: u16 = 8000;
/// Kea's default `authentication.realm`.
pub const DEFAULT_REALM: &str = "kea-control-agent";

/// The `Control-agent` map: kea-ctrl-agent's whole configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ControlAgentConfig {
    /// Address the REST service listens on (default `127.0.0.1`).
    #[serde(default = "default_host")]
    pub http_host: String,
    /// TCP port of the REST service (default 8000).
    #[serde(default = "default_port")]
    pub http_port: u16,
    /// CA file or directory verifying client certificates; with `cert-file` and `key-file`
    /// it turns HTTPS on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust_anchor: Option<String>,
    /// The server certificate (PEM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_file: Option<String>,
    /// The server's private key (PEM, not encrypted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_file: Option<String>,
    /// Whether clients must present a certificate (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_required: Option<bool>,
    /// HTTP authentication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication: Option<Authentication>,
    /// Where to forward commands, per service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control_sockets: Option<ControlSockets>,
    /// Hook libraries.
    #[serde(default)]
    pub hooks_libraries: Vec<HooksLibrary>,
    /// Loggers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loggers: Option<Vec<LoggerConfig>>,
    /// Free-form user data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_context: Option<UserContext>,
    /// A comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

fn default_host() -> String {
    DEFAULT_HTTP_HOST.to_owned()
}

fn default_port() -> u16 {
    DEFAULT_HTTP_PORT
}

keyword_enum! {
    /// The authentication scheme; Kea knows only HTTP Basic.
    pub enum AuthType {
        /// HTTP Basic authentication (RFC 7617).
        Basic = "basic",
    }
}

/// The `authentication` map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Authentication {
    /// The scheme (mandatory).
    #[serde(rename = "type")]
    pub auth_type: AuthType,
    /// Realm named in the 401 challenge (default `kea-control-agent`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub realm: Option<String>,
    /// Directory that relative `user-file`/`password-file` names are in (default "").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directory: Option<String>,
    /// Accepted clients; none means no authentication is required.
    #[serde(default)]
    pub clients: Vec<BasicClient>,
    /// Free-form user data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_context: Option<UserContext>,
    /// A comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// One `authentication.clients` entry.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct BasicClient {
    /// The user ID (no colon).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// File holding the user ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_file: Option<String>,
    /// The password (default empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// File holding the password, or the whole `user:password` secret when no user is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_file: Option<String>,
    /// Free-form user data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_context: Option<UserContext>,
    /// A comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// The `control-sockets` map: one UNIX socket per service.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ControlSockets {
    /// kea-dhcp4's socket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dhcp4: Option<ControlSocket>,
    /// kea-dhcp6's socket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dhcp6: Option<ControlSocket>,
    /// kea-dhcp-ddns's socket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub d2: Option<ControlSocket>,
}

impl ControlSockets {
    /// The socket configured for `service` (`dhcp4`, `dhcp6`, `d2`).
    pub fn get(&self, service: &str) -> Option<&ControlSocket> {
        match service {
            "dhcp4" => self.dhcp4.as_ref(),
            "dhcp6" => self.dhcp6.as_ref(),
            "d2" => self.d2.as_ref(),
            _ => None,
        }
    }
}

/// Decodes the map under `Control-agent`.
pub fn parse_control_agent(e: &Element) -> Result<ControlAgentConfig, ConfigError> {
    from_element(e, "Control-agent")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use crate::json::parse_str;

    fn parse(text: &str) -> Result<ControlAgentConfig, ConfigError> {
        parse_control_agent(&parse_str(text, "ca.json").unwrap())
    }

    #[test]
    fn defaults_and_full_map() {
        let c = parse(r#"{ "comment": "defaults" }"#).unwrap();
        assert_eq!(c.http_host, "127.0.0.1");
        assert_eq!(c.http_port, 8000);
        assert!(c.control_sockets.is_none() && c.hooks_libraries.is_empty());
        let c = parse(
            r#"{ "http-host": "::1", "http-port": 8001,
                 "trust-anchor": "ca.pem", "cert-file": "c.pem", "key-file": "k.pem",
                 "cert-required": false,
                 "authentication": { "type": "basic", "realm": "r", "directory": "/d",
                    "clients": [ { "user": "a", "password": "b", "comment": "x" },
                                 { "password-file": "secret" } ] },
                 "control-sockets": { "dhcp4": { "socket-type": "unix", "socket-name": "/s4" },
                                      "d2": { "socket-name": "/sd2", "user-context": { "v": 3 } } },
                 "hooks-libraries": [],
                 "loggers": [ { "name": "kea-ctrl-agent", "severity": "INFO" } ],
                 "user-context": { "a": 1 } }"#,
        )
        .unwrap();
        assert_eq!(c.http_port, 8001);
        assert_eq!(c.cert_required, Some(false));
        let auth = c.authentication.unwrap();
        assert_eq!(auth.auth_type, AuthType::Basic);
        assert_eq!(auth.clients.len(), 2);
        assert_eq!(auth.clients[1].password_file.as_deref(), Some("secret"));
        let sockets = c.control_sockets.unwrap();
        assert_eq!(
            sockets.get("dhcp4").unwrap().socket_name.to_str(),
            Some("/s4")
        );
        assert!(sockets.get("dhcp6").is_none() && sockets.get("foo").is_none());
        assert_eq!(sockets.get("d2").unwrap().socket_type, "unix");
    }

    #[test]
    fn kea_errors() {
        let e = parse("{\n \"foo\": 1 }").unwrap_err().to_string();
        assert_eq!(
            e,
            "ca.json:2.2-6: got unexpected keyword \"foo\" in Control-agent map."
        );
        let e = parse(r#"{ "authentication": { "type": "digest" } }"#)
            .unwrap_err()
            .to_string();
        assert!(
            e.ends_with("unexpected constant string, expecting basic"),
            "{e}"
        );
        let e = parse(r#"{ "authentication": { "realm": "x" } }"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("missing parameter 'type'"), "{e}");
        let e = parse(r#"{ "control-sockets": { "dhcp5": { "socket-name": "x" } } }"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("dhcp5"), "{e}");
        assert!(parse(r#"{ "http-port": 70000 }"#).is_err());
    }
}
