//! The `DhcpDdns` object: kea-dhcp-ddns (D2) configuration, decoded with
//! [`crate::decode`]. Semantic checks (key references, algorithms, addresses) belong to the
//! daemon that builds its runtime configuration from this model.
//!
//! Implements `shared/spec/kea-arm/ddns.rst`, "Configuring the DHCP-DDNS Server" (INVENTORY §4).

use serde::{Deserialize, Serialize};

use crate::UserContext;
use crate::ctrl::ControlSocket;
use crate::hooks::HooksLibrary;
use crate::logging::LoggerConfig;

/// The `DhcpDdns` map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct D2Config {
    /// Address D2 listens on for NCRs (default 127.0.0.1).
    #[serde(default = "default_ip_address")]
    pub ip_address: String,
    /// Port D2 listens on for NCRs (default 53001).
    #[serde(default = "default_port")]
    pub port: u16,
    /// Milliseconds to wait for one DNS server's answer (default 100 in Kea 2.2).
    #[serde(default = "default_dns_server_timeout")]
    pub dns_server_timeout: u32,
    /// NCR transport, `UDP` (TCP is parsed by Kea but not implemented).
    #[serde(default = "default_ncr_protocol")]
    pub ncr_protocol: String,
    /// NCR format, `JSON`.
    #[serde(default = "default_ncr_format")]
    pub ncr_format: String,
    /// Management socket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control_socket: Option<ControlSocket>,
    /// Hook libraries.
    #[serde(default)]
    pub hooks_libraries: Vec<HooksLibrary>,
    /// Forward zones.
    #[serde(default)]
    pub forward_ddns: DdnsDomainList,
    /// Reverse zones.
    #[serde(default)]
    pub reverse_ddns: DdnsDomainList,
    /// TSIG keys referenced by domains and servers.
    #[serde(default)]
    pub tsig_keys: Vec<TsigKeyConfig>,
    /// Loggers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub loggers: Vec<LoggerConfig>,
    /// Free-form user data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_context: Option<UserContext>,
    /// A comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// `forward-ddns` / `reverse-ddns`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct DdnsDomainList {
    /// The zones of this direction.
    #[serde(default)]
    pub ddns_domains: Vec<DdnsDomainConfig>,
}

/// One `ddns-domains[]` entry: a zone and the servers that accept updates for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct DdnsDomainConfig {
    /// The zone name (`example.com.`, `2.0.192.in-addr.arpa.`), matched by longest suffix.
    pub name: String,
    /// Default TSIG key for the servers ("" = none).
    #[serde(default)]
    pub key_name: String,
    /// Servers, tried in order.
    #[serde(default)]
    pub dns_servers: Vec<DnsServerConfig>,
    /// Free-form user data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_context: Option<UserContext>,
    /// A comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// One `dns-servers[]` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct DnsServerConfig {
    /// Host name of the server; Kea 2.2 does not support it ("" = not used).
    #[serde(default)]
    pub hostname: String,
    /// Server address (default 127.0.0.1).
    #[serde(default = "default_ip_address")]
    pub ip_address: String,
    /// Server port (default 53).
    #[serde(default = "default_dns_port")]
    pub port: u16,
    /// TSIG key overriding the domain's ("" = the domain's).
    #[serde(default)]
    pub key_name: String,
    /// Free-form user data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_context: Option<UserContext>,
    /// A comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// One `tsig-keys[]` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct TsigKeyConfig {
    /// Key name as the DNS server knows it.
    pub name: String,
    /// `HMAC-MD5`, `HMAC-SHA1`, `HMAC-SHA224`, `HMAC-SHA256`, `HMAC-SHA384`, `HMAC-SHA512`
    /// (any case).
    pub algorithm: String,
    /// Truncated MAC length in bits; 0 = full length.
    #[serde(default)]
    pub digest_bits: u32,
    /// Base64 shared secret.
    pub secret: String,
    /// Free-form user data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_context: Option<UserContext>,
    /// A comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

fn default_ip_address() -> String {
    "127.0.0.1".to_owned()
}

fn default_port() -> u16 {
    53001
}

fn default_dns_port() -> u16 {
    53
}

fn default_dns_server_timeout() -> u32 {
    100
}

fn default_ncr_protocol() -> String {
    "UDP".to_owned()
}

fn default_ncr_format() -> String {
    "JSON".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    fn parse(text: &str) -> Result<D2Config, crate::ConfigError> {
        let e = json::parse_str(text, "<test>").unwrap();
        crate::decode(&e, "DhcpDdns")
    }

    #[test]
    fn defaults() {
        let c = parse(r#"{ "comment": "defaults" }"#).unwrap();
        assert_eq!(c.ip_address, "127.0.0.1");
        assert_eq!(c.port, 53001);
        assert_eq!(c.dns_server_timeout, 100);
        assert_eq!(c.ncr_protocol, "UDP");
        assert!(c.forward_ddns.ddns_domains.is_empty());
    }

    #[test]
    fn domains_servers_keys() {
        let c = parse(
            r#"{ "forward-ddns": { "ddns-domains": [ { "name": "example.com.", "key-name": "k",
                   "dns-servers": [ { "ip-address": "192.0.2.1", "port": 5300 }, {} ] } ] },
                 "tsig-keys": [ { "name": "k", "algorithm": "HMAC-SHA256", "secret": "AAAA" } ] }"#,
        )
        .unwrap();
        let d = &c.forward_ddns.ddns_domains[0];
        assert_eq!(d.key_name, "k");
        assert_eq!(d.dns_servers[0].port, 5300);
        assert_eq!(d.dns_servers[1].port, 53);
        assert_eq!(c.tsig_keys[0].digest_bits, 0);
    }

    #[test]
    fn unknown_key_rejected_with_position() {
        let e = parse("{\n  \"bogus\": 1 }").unwrap_err().to_string();
        assert!(e.contains("bogus"), "{e}");
        assert!(e.contains("<test>:2"), "{e}");
    }
}
