//! D2's runtime configuration built from the typed `DhcpDdns` model with the semantic checks
//! (ARM `ddns.rst`, "Configuring the DHCP-DDNS Server"; INVENTORY §4): TSIG keys decoded,
//! key references resolved, addresses parsed, and Kea 2.2's unsupported choices refused.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use kea_config::d2::{D2Config, DdnsDomainList};

use crate::domains::{DdnsDomain, DnsServer, DomainList, normalize};
use crate::tsig::{TsigKey, TsigKeyError};

/// A configuration D2 refuses.
#[derive(Debug, thiserror::Error)]
pub enum D2ConfigError {
    /// The `DhcpDdns` map did not decode.
    #[error(transparent)]
    Decode(#[from] kea_config::ConfigError),
    /// A `tsig-keys` entry is invalid.
    #[error(transparent)]
    Key(#[from] TsigKeyError),
    /// Two keys share a name.
    #[error("Duplicate TSIG key name specified: {name}")]
    DuplicateKey {
        /// The name.
        name: String,
    },
    /// A domain or server names a key that is not in `tsig-keys`.
    #[error("TSIG key name '{name}' not found")]
    UnknownKey {
        /// The name.
        name: String,
    },
    /// A listen or server address does not parse.
    #[error("invalid IP address: '{text}'")]
    BadAddress {
        /// The text given.
        text: String,
    },
    /// `ip-address` is the unspecified address.
    #[error("IP address cannot be \"{text}\"")]
    UnspecifiedAddress {
        /// The text given.
        text: String,
    },
    /// `port` or a server's `port` is 0.
    #[error("port cannot be 0")]
    ZeroPort,
    /// `dns-server-timeout` is 0.
    #[error("DNS server timeout must be greater than zero")]
    ZeroTimeout,
    /// `ncr-protocol` is TCP or unknown.
    #[error("ncr-protocol : {value} is not supported")]
    NcrProtocol {
        /// The value.
        value: String,
    },
    /// `ncr-format` is not JSON.
    #[error("ncr-format : {value} is not supported")]
    NcrFormat {
        /// The value.
        value: String,
    },
    /// A domain has an empty name or appears twice.
    #[error("DDNS domain name '{name}' is empty or duplicated")]
    BadDomain {
        /// The name.
        name: String,
    },
    /// A server gives a `hostname`, which Kea 2.2 does not support.
    #[error("Dns Server : hostname is not yet supported")]
    Hostname,
}

/// Everything a transaction needs, published atomically.
#[derive(Debug, Clone)]
pub struct D2Runtime {
    /// Where NCRs are received.
    pub listen: SocketAddr,
    /// `dns-server-timeout`.
    pub dns_server_timeout: Duration,
    /// Forward catalog.
    pub forward: DomainList,
    /// Reverse catalog.
    pub reverse: DomainList,
    /// Configured keys by name (for the per-key statistics).
    pub keys: Vec<Arc<TsigKey>>,
}

impl D2Runtime {
    /// Builds and checks the runtime configuration.
    pub fn build(cfg: &D2Config) -> Result<Self, D2ConfigError> {
        if !cfg.ncr_protocol.eq_ignore_ascii_case("UDP") {
            return Err(D2ConfigError::NcrProtocol {
                value: cfg.ncr_protocol.clone(),
            });
        }
        if !cfg.ncr_format.eq_ignore_ascii_case("JSON") {
            return Err(D2ConfigError::NcrFormat {
                value: cfg.ncr_format.clone(),
            });
        }
        let ip = parse_ip(&cfg.ip_address)?;
        if ip.is_unspecified() {
            return Err(D2ConfigError::UnspecifiedAddress {
                text: cfg.ip_address.clone(),
            });
        }
        if cfg.port == 0 {
            return Err(D2ConfigError::ZeroPort);
        }
        if cfg.dns_server_timeout == 0 {
            return Err(D2ConfigError::ZeroTimeout);
        }
        let mut keys = HashMap::new();
        let mut ordered = Vec::new();
        for k in &cfg.tsig_keys {
            let key = Arc::new(TsigKey::new(
                &k.name,
                &k.algorithm,
                k.digest_bits,
                &k.secret,
            )?);
            if keys.insert(k.name.clone(), key.clone()).is_some() {
                return Err(D2ConfigError::DuplicateKey {
                    name: k.name.clone(),
                });
            }
            ordered.push(key);
        }
        Ok(Self {
            listen: SocketAddr::new(ip, cfg.port),
            dns_server_timeout: Duration::from_millis(u64::from(cfg.dns_server_timeout)),
            forward: domains(&cfg.forward_ddns, &keys)?,
            reverse: domains(&cfg.reverse_ddns, &keys)?,
            keys: ordered,
        })
    }
}

fn parse_ip(text: &str) -> Result<IpAddr, D2ConfigError> {
    text.parse().map_err(|_| D2ConfigError::BadAddress {
        text: text.to_owned(),
    })
}

fn key_ref(
    name: &str,
    keys: &HashMap<String, Arc<TsigKey>>,
) -> Result<Option<Arc<TsigKey>>, D2ConfigError> {
    if name.is_empty() {
        return Ok(None);
    }
    keys.get(name)
        .cloned()
        .map(Some)
        .ok_or_else(|| D2ConfigError::UnknownKey {
            name: name.to_owned(),
        })
}

fn domains(
    list: &DdnsDomainList,
    keys: &HashMap<String, Arc<TsigKey>>,
) -> Result<DomainList, D2ConfigError> {
    let mut out: Vec<DdnsDomain> = Vec::new();
    for d in &list.ddns_domains {
        let name = if d.name == "*" {
            "*".to_owned()
        } else {
            normalize(&d.name)
        };
        if d.name.is_empty() || out.iter().any(|o| o.name == name) {
            return Err(D2ConfigError::BadDomain {
                name: d.name.clone(),
            });
        }
        let domain_key = key_ref(&d.key_name, keys)?;
        let mut servers = Vec::new();
        for s in &d.dns_servers {
            if !s.hostname.is_empty() {
                return Err(D2ConfigError::Hostname);
            }
            if s.port == 0 {
                return Err(D2ConfigError::ZeroPort);
            }
            let ip = parse_ip(&s.ip_address)?;
            let key = match key_ref(&s.key_name, keys)? {
                Some(k) => Some(k),
                None => domain_key.clone(),
            };
            servers.push(DnsServer {
                addr: SocketAddr::new(ip, s.port),
                key,
            });
        }
        out.push(DdnsDomain { name, servers });
    }
    Ok(DomainList { domains: out })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(text: &str) -> Result<D2Runtime, D2ConfigError> {
        let e = kea_config::json::parse_str(text, "<test>").unwrap();
        let cfg: D2Config = kea_config::decode(&e, "DhcpDdns")?;
        D2Runtime::build(&cfg)
    }

    #[test]
    fn keys_resolve_server_over_domain() {
        let r = build(
            r#"{ "port": 25353, "dns-server-timeout": 250,
                 "tsig-keys": [ { "name": "a", "algorithm": "HMAC-MD5", "secret": "AAAA" },
                                { "name": "b", "algorithm": "hmac-sha512", "secret": "AAAA" } ],
                 "forward-ddns": { "ddns-domains": [ { "name": "Example.COM", "key-name": "a",
                    "dns-servers": [ { "ip-address": "::1", "port": 5353 }, { "key-name": "b" } ] } ] } }"#,
        )
        .unwrap();
        assert_eq!(r.listen, "127.0.0.1:25353".parse().unwrap());
        assert_eq!(r.dns_server_timeout, Duration::from_millis(250));
        let d = &r.forward.domains[0];
        assert_eq!(d.name, "example.com.");
        assert_eq!(d.servers[0].addr, "[::1]:5353".parse().unwrap());
        assert_eq!(d.servers[0].key.as_ref().unwrap().name(), "a");
        assert_eq!(d.servers[1].key.as_ref().unwrap().name(), "b");
        assert_eq!(d.servers[1].addr.port(), 53);
    }

    #[test]
    fn refusals() {
        for (text, what) in [
            (r#"{ "ncr-protocol": "TCP" }"#, "ncr-protocol"),
            (r#"{ "ncr-format": "XML" }"#, "ncr-format"),
            (r#"{ "ip-address": "0.0.0.0" }"#, "cannot be"),
            (r#"{ "ip-address": "bogus" }"#, "invalid IP"),
            (r#"{ "dns-server-timeout": 0 }"#, "timeout"),
            (
                r#"{ "forward-ddns": { "ddns-domains": [ { "name": "a.", "key-name": "x" } ] } }"#,
                "not found",
            ),
            (
                r#"{ "forward-ddns": { "ddns-domains": [ { "name": "a.", "dns-servers": [ { "hostname": "ns" } ] } ] } }"#,
                "hostname",
            ),
            (
                r#"{ "reverse-ddns": { "ddns-domains": [ { "name": "a." }, { "name": "A" } ] } }"#,
                "duplicated",
            ),
            (
                r#"{ "tsig-keys": [ { "name": "k", "algorithm": "HMAC-MD5", "secret": "AAAA" },
                                    { "name": "k", "algorithm": "HMAC-MD5", "secret": "AAAA" } ] }"#,
                "Duplicate",
            ),
        ] {
            let e = build(text).unwrap_err().to_string();
            assert!(e.contains(what), "{text}: {e}");
        }
    }
}
