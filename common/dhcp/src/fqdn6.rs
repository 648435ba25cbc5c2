//! The DHCPv6 Client FQDN option (39, RFC 4704): flags (S, O, N) and a domain name that is
//! either fully qualified or partial (no root label), used for DNS updates.
//!
//! Kea 2.2 drops a packet whose option 39 has both N and S set or a malformed name; other
//! flag bits and octets after a fully qualified name are ignored on receipt (checked on the
//! wire).
//!
//! ARM: `dhcp6-srv.rst`, "DDNS for DHCPv6".

use thiserror::Error;

use crate::codes6::D6O_CLIENT_FQDN;
use crate::fqdn::{self, FqdnError};
use crate::option::Opt;

/// RFC 4704 §4.1: S, the server should perform the AAAA update.
pub const FQDN_FLAG_S: u8 = 0x01;
/// RFC 4704 §4.1: O, the server has overridden the client's S preference.
pub const FQDN_FLAG_O: u8 = 0x02;
/// RFC 4704 §4.1: N, the server should perform no update.
pub const FQDN_FLAG_N: u8 = 0x04;

/// Why option 39 cannot be read or written.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ClientFqdnError {
    /// No flags octet.
    #[error("client FQDN option is empty")]
    Empty,
    /// RFC 4704 §4.1: N and S must not both be set.
    #[error("client FQDN flags {flags:#04x} set both N and S")]
    BothNAndS {
        /// The flags octet.
        flags: u8,
    },
    /// The domain name is not valid wire format, or cannot be encoded.
    #[error("client FQDN name: {0}")]
    Name(#[from] FqdnError),
}

/// Option 39's content.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClientFqdn6 {
    /// The flags octet as received (`FQDN_FLAG_*`).
    pub flags: u8,
    /// The name: with a trailing dot when fully qualified, without when partial, empty when
    /// the client sent no name.
    pub name: String,
}

impl ClientFqdn6 {
    /// Reads option 39's data (octets after a fully qualified name are ignored, as Kea does).
    pub fn parse(data: &[u8]) -> Result<Self, ClientFqdnError> {
        let (&flags, wire) = data.split_first().ok_or(ClientFqdnError::Empty)?;
        if flags & FQDN_FLAG_N != 0 && flags & FQDN_FLAG_S != 0 {
            return Err(ClientFqdnError::BothNAndS { flags });
        }
        let (name, _) = fqdn::decode_name(wire, true)?;
        Ok(Self { flags, name })
    }

    /// True when the name is fully qualified (ends with the root label).
    pub fn is_full(&self) -> bool {
        self.name.ends_with('.')
    }

    /// The whole option (code 39); a partial name is written without the root label.
    pub fn to_opt(&self) -> Result<Opt, ClientFqdnError> {
        if self.flags & FQDN_FLAG_N != 0 && self.flags & FQDN_FLAG_S != 0 {
            return Err(ClientFqdnError::BothNAndS { flags: self.flags });
        }
        let mut out = vec![self.flags];
        if !self.name.is_empty() {
            fqdn::encode_name(&self.name, &mut out)?;
            if !self.is_full() {
                out.pop();
            }
        }
        Ok(Opt::new(D6O_CLIENT_FQDN, out))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn full_partial_and_empty() {
        let full = ClientFqdn6::parse(b"\x01\x04host\x07example\x00").unwrap();
        assert_eq!(full.name, "host.example.");
        assert!(full.is_full());
        let partial = ClientFqdn6::parse(b"\x01\x04host").unwrap();
        assert_eq!(partial.name, "host");
        assert!(!partial.is_full());
        assert_eq!(partial.to_opt().unwrap().data, b"\x01\x04host");
        let empty = ClientFqdn6::parse(b"\x01").unwrap();
        assert_eq!(empty.name, "");
        assert_eq!(empty.to_opt().unwrap().data, b"\x01");
        assert_eq!(ClientFqdn6::parse(b"\x08\x01a\x00").unwrap().flags, 8);
    }

    #[test]
    fn kea_rejections() {
        assert_eq!(ClientFqdn6::parse(b""), Err(ClientFqdnError::Empty));
        assert_eq!(
            ClientFqdn6::parse(b"\x05\x04host\x00"),
            Err(ClientFqdnError::BothNAndS { flags: 5 })
        );
        assert!(ClientFqdn6::parse(b"\x01\x03ab").is_err());
        assert_eq!(ClientFqdn6::parse(b"\x01\x01a\x00zz").unwrap().name, "a.");
        assert!(
            ClientFqdn6::parse(b"\x01\xc0\x00").is_err(),
            "no compression"
        );
    }

    proptest! {
        #[test]
        fn round_trip(flags in 0u8..4, labels in prop::collection::vec("[a-z0-9-]{1,20}", 0..4), full: bool) {
            let mut name = labels.join(".");
            if full && !name.is_empty() {
                name.push('.');
            }
            let f = ClientFqdn6 { flags, name };
            prop_assert_eq!(ClientFqdn6::parse(&f.to_opt().unwrap().data).unwrap(), f);
        }

        #[test]
        fn never_panic(data in prop::collection::vec(any::<u8>(), 0..40)) {
            let _ = ClientFqdn6::parse(&data);
        }
    }
}
