//! `mac-sources`: where kea-dhcp6 may find a client's hardware address, in order.
//!
//! Implements `shared/spec/kea-arm/dhcp6-srv.rst`, "MAC/Hardware Addresses in DHCPv6"
//! (INVENTORY §3.1). The RFC-numbered names are aliases of the descriptive ones.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One hardware address source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MacSource {
    /// Every source below, in Kea's order.
    Any,
    /// The link-layer header of the packet (direct traffic only).
    Raw,
    /// A DUID-LLT or DUID-LL of the client.
    Duid,
    /// The EUI-64 interface id of the client's link-local source address.
    Ipv6LinkLocal,
    /// RFC 6939 client link-layer address option from a relay (alias `rfc6939`).
    ClientLinkAddrOption,
    /// RFC 4649 remote-id option from a relay (alias `rfc4649`).
    RemoteId,
    /// RFC 4580 subscriber-id option from a relay (alias `rfc4580`).
    SubscriberId,
    /// DOCSIS options sent by the CMTS.
    DocsisCmts,
    /// DOCSIS options sent by the cable modem.
    DocsisModem,
}

impl MacSource {
    /// Every accepted keyword, aliases included.
    pub const KEYWORDS: &'static [&'static str] = &[
        "any",
        "raw",
        "duid",
        "ipv6-link-local",
        "client-link-addr-option",
        "rfc6939",
        "remote-id",
        "rfc4649",
        "subscriber-id",
        "rfc4580",
        "docsis-cmts",
        "docsis-modem",
    ];

    /// The descriptive keyword.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Any => "any",
            Self::Raw => "raw",
            Self::Duid => "duid",
            Self::Ipv6LinkLocal => "ipv6-link-local",
            Self::ClientLinkAddrOption => "client-link-addr-option",
            Self::RemoteId => "remote-id",
            Self::SubscriberId => "subscriber-id",
            Self::DocsisCmts => "docsis-cmts",
            Self::DocsisModem => "docsis-modem",
        }
    }

    /// Looks a keyword or an RFC alias up.
    pub fn from_keyword(s: &str) -> Option<Self> {
        Some(match s {
            "any" => Self::Any,
            "raw" => Self::Raw,
            "duid" => Self::Duid,
            "ipv6-link-local" => Self::Ipv6LinkLocal,
            "client-link-addr-option" | "rfc6939" => Self::ClientLinkAddrOption,
            "remote-id" | "rfc4649" => Self::RemoteId,
            "subscriber-id" | "rfc4580" => Self::SubscriberId,
            "docsis-cmts" => Self::DocsisCmts,
            "docsis-modem" => Self::DocsisModem,
            _ => return None,
        })
    }
}

impl fmt::Display for MacSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for MacSource {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for MacSource {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = MacSource;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("constant string")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<MacSource, E> {
                MacSource::from_keyword(s).ok_or_else(|| E::unknown_variant(s, MacSource::KEYWORDS))
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed test
mod tests {
    use super::*;

    #[test]
    fn aliases_name_the_same_source() {
        assert_eq!(
            MacSource::from_keyword("rfc6939"),
            Some(MacSource::ClientLinkAddrOption)
        );
        assert_eq!(
            MacSource::from_keyword("rfc4649"),
            Some(MacSource::RemoteId)
        );
        assert_eq!(
            MacSource::from_keyword("rfc4580").unwrap().as_str(),
            "subscriber-id"
        );
        assert_eq!(MacSource::from_keyword("ANY"), None);
    }

    #[test]
    fn every_keyword_round_trips_to_a_canonical_one() {
        for k in MacSource::KEYWORDS {
            let s = MacSource::from_keyword(k).unwrap();
            assert_eq!(MacSource::from_keyword(s.as_str()), Some(s));
        }
    }
}
