//! DDNS domains (ARM `ddns.rst`, "Adding Forward DDNS Domains", "Adding Reverse DDNS
//! Domains"): the zones D2 may update, their DNS servers, and the longest-suffix match of a
//! request's FQDN or reverse name against them. A domain named `*` matches anything.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use crate::tsig::TsigKey;

/// One DNS server of a domain, with the TSIG key its updates are signed with.
#[derive(Debug, Clone)]
pub struct DnsServer {
    /// Where updates go.
    pub addr: SocketAddr,
    /// The server's `key-name`, else the domain's; `None` = unsigned.
    pub key: Option<Arc<TsigKey>>,
}

/// A zone and the servers that take updates for it.
#[derive(Debug, Clone)]
pub struct DdnsDomain {
    /// Zone name, lower case with a trailing dot (`*` for the wildcard domain).
    pub name: String,
    /// Servers in configuration order.
    pub servers: Vec<DnsServer>,
}

/// The forward or reverse catalog.
#[derive(Debug, Clone, Default)]
pub struct DomainList {
    /// The domains in configuration order.
    pub domains: Vec<DdnsDomain>,
}

impl DomainList {
    /// The domain whose name is the longest suffix of `name` on a label boundary, or the
    /// wildcard domain when none matches.
    pub fn match_name(&self, name: &str) -> Option<&DdnsDomain> {
        let name = normalize(name);
        let mut best: Option<&DdnsDomain> = None;
        for d in &self.domains {
            if d.name == "*" {
                continue;
            }
            let is_suffix = name == d.name
                || (name.ends_with(&d.name)
                    && (d.name == "." || name[..name.len() - d.name.len()].ends_with('.')));
            if is_suffix && best.is_none_or(|b| d.name.len() > b.name.len()) {
                best = Some(d);
            }
        }
        best.or_else(|| self.domains.iter().find(|d| d.name == "*"))
    }

    /// Whether the catalog is empty (that direction is then not updated).
    pub fn is_empty(&self) -> bool {
        self.domains.is_empty()
    }
}

/// Lower case with a trailing dot.
pub fn normalize(name: &str) -> String {
    let mut n = name.to_ascii_lowercase();
    if !n.ends_with('.') {
        n.push('.');
    }
    n
}

/// The reverse-tree name of an address (RFC 1035 §3.5 `in-addr.arpa.`, RFC 3596 §2.5
/// `ip6.arpa.`).
pub fn reverse_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(a) => {
            let o = a.octets();
            format!("{}.{}.{}.{}.in-addr.arpa.", o[3], o[2], o[1], o[0])
        }
        IpAddr::V6(a) => {
            let mut s = String::with_capacity(73);
            for b in a.octets().iter().rev() {
                s.push_str(&format!("{:x}.{:x}.", b & 0xf, b >> 4));
            }
            s.push_str("ip6.arpa.");
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(names: &[&str]) -> DomainList {
        DomainList {
            domains: names
                .iter()
                .map(|n| DdnsDomain {
                    name: if *n == "*" { "*".into() } else { normalize(n) },
                    servers: Vec::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn longest_suffix_wins() {
        let l = list(&["example.com", "one.example.com.", "com."]);
        assert_eq!(
            l.match_name("host.one.example.com.").unwrap().name,
            "one.example.com."
        );
        assert_eq!(
            l.match_name("Host.Two.Example.Com").unwrap().name,
            "example.com."
        );
        assert_eq!(l.match_name("x.org.").map(|d| d.name.as_str()), None);
        // A label boundary is required: "xexample.com." is not in "example.com.".
        assert_eq!(l.match_name("xexample.com.").unwrap().name, "com.");
        let l = list(&["example.com.", "*"]);
        assert_eq!(l.match_name("x.org.").unwrap().name, "*");
    }

    #[test]
    fn reverse_names() {
        assert_eq!(
            reverse_name("192.0.2.50".parse().unwrap()),
            "50.2.0.192.in-addr.arpa."
        );
        assert_eq!(
            reverse_name("2001:db8::1".parse().unwrap()),
            "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa."
        );
        let l = list(&["2.0.192.in-addr.arpa."]);
        assert!(
            l.match_name(&reverse_name("192.0.2.9".parse().unwrap()))
                .is_some()
        );
        assert!(
            l.match_name(&reverse_name("192.0.3.9".parse().unwrap()))
                .is_none()
        );
    }
}
