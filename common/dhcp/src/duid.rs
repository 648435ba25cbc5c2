//! DHCP Unique Identifiers (RFC 8415 §11, RFC 6355): the [`Duid`] carried in client-id (1) and
//! server-id (2), its typed view [`DuidKind`] (LLT, EN, LL, UUID) and Kea's text form
//! (`00:01:00:01:...`, lowercase hex octets joined by colons), used in lease files, host
//! reservations, logs and commands.
//!
//! ARM: `dhcp6-srv.rst`, "Server Identifier in DHCPv6", "Host Reservations in DHCPv6"
//! (`duid` identifiers).

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

use crate::codes6::{DUID_EN, DUID_LL, DUID_LLT, DUID_UUID};

/// Kea's upper bound on a DUID: RFC 8415 §11.1 says 128 octets plus the 2-octet type, Kea
/// counts the type in (`DUID::MAX_DUID_LEN`).
pub const MAX_DUID_LEN: usize = 128;
/// The shortest DUID Kea accepts: the 2-octet type plus one octet.
pub const MIN_DUID_LEN: usize = 3;

/// Why octets or text are not a DUID.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DuidError {
    /// Fewer than [`MIN_DUID_LEN`] octets.
    #[error("DUID is {len} octets, shorter than {MIN_DUID_LEN}")]
    TooShort {
        /// The length given.
        len: usize,
    },
    /// More than [`MAX_DUID_LEN`] octets.
    #[error("DUID is {len} octets, longer than {MAX_DUID_LEN}")]
    TooLong {
        /// The length given.
        len: usize,
    },
    /// Text that is not colon-separated (or plain) hexadecimal octets.
    #[error("invalid DUID text '{text}'")]
    BadText {
        /// The rejected text.
        text: String,
    },
}

/// A DUID: its raw octets (type included), kept exactly as received.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Duid(Vec<u8>);

/// The typed content of a DUID (RFC 8415 §11.2–11.4, RFC 6355 §4).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DuidKind<'a> {
    /// Type 1: hardware type, time (seconds since 2000-01-01 UTC), link-layer address.
    Llt {
        /// IANA hardware type (1 for Ethernet).
        htype: u16,
        /// Time the DUID was generated.
        time: u32,
        /// Link-layer address.
        lladdr: &'a [u8],
    },
    /// Type 2: enterprise number and identifier.
    En {
        /// IANA enterprise number.
        enterprise_id: u32,
        /// Vendor-assigned identifier.
        identifier: &'a [u8],
    },
    /// Type 3: hardware type and link-layer address.
    Ll {
        /// IANA hardware type.
        htype: u16,
        /// Link-layer address.
        lladdr: &'a [u8],
    },
    /// Type 4: a 16-octet UUID.
    Uuid(&'a [u8; 16]),
    /// Another type, or a known type whose body has the wrong size.
    Other {
        /// The DUID type.
        duid_type: u16,
        /// Octets after the type.
        body: &'a [u8],
    },
}

impl Duid {
    /// A DUID from its wire octets, checked against Kea's length bounds.
    pub fn from_bytes(bytes: impl Into<Vec<u8>>) -> Result<Self, DuidError> {
        let bytes = bytes.into();
        if bytes.len() < MIN_DUID_LEN {
            return Err(DuidError::TooShort { len: bytes.len() });
        }
        if bytes.len() > MAX_DUID_LEN {
            return Err(DuidError::TooLong { len: bytes.len() });
        }
        Ok(Self(bytes))
    }

    /// DUID-LLT (RFC 8415 §11.2).
    pub fn new_llt(htype: u16, time: u32, lladdr: &[u8]) -> Result<Self, DuidError> {
        let mut v = Vec::with_capacity(8 + lladdr.len());
        v.extend_from_slice(&DUID_LLT.to_be_bytes());
        v.extend_from_slice(&htype.to_be_bytes());
        v.extend_from_slice(&time.to_be_bytes());
        v.extend_from_slice(lladdr);
        Self::from_bytes(v)
    }

    /// DUID-EN (RFC 8415 §11.3).
    pub fn new_en(enterprise_id: u32, identifier: &[u8]) -> Result<Self, DuidError> {
        let mut v = Vec::with_capacity(6 + identifier.len());
        v.extend_from_slice(&DUID_EN.to_be_bytes());
        v.extend_from_slice(&enterprise_id.to_be_bytes());
        v.extend_from_slice(identifier);
        Self::from_bytes(v)
    }

    /// DUID-LL (RFC 8415 §11.4).
    pub fn new_ll(htype: u16, lladdr: &[u8]) -> Result<Self, DuidError> {
        let mut v = Vec::with_capacity(4 + lladdr.len());
        v.extend_from_slice(&DUID_LL.to_be_bytes());
        v.extend_from_slice(&htype.to_be_bytes());
        v.extend_from_slice(lladdr);
        Self::from_bytes(v)
    }

    /// DUID-UUID (RFC 6355 §4).
    pub fn new_uuid(uuid: [u8; 16]) -> Self {
        let mut v = Vec::with_capacity(18);
        v.extend_from_slice(&DUID_UUID.to_be_bytes());
        v.extend_from_slice(&uuid);
        Self(v)
    }

    /// The wire octets.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The wire octets, owned.
    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }

    /// The DUID type (first two octets).
    pub fn duid_type(&self) -> u16 {
        u16::from_be_bytes([self.0[0], self.0[1]])
    }

    /// The typed view of the DUID.
    pub fn kind(&self) -> DuidKind<'_> {
        let duid_type = self.duid_type();
        let body = &self.0[2..];
        let u16_at = |i: usize| u16::from_be_bytes([body[i], body[i + 1]]);
        let u32_at =
            |i: usize| u32::from_be_bytes([body[i], body[i + 1], body[i + 2], body[i + 3]]);
        match duid_type {
            DUID_LLT if body.len() >= 6 => DuidKind::Llt {
                htype: u16_at(0),
                time: u32_at(2),
                lladdr: &body[6..],
            },
            DUID_EN if body.len() >= 4 => DuidKind::En {
                enterprise_id: u32_at(0),
                identifier: &body[4..],
            },
            DUID_LL if body.len() >= 2 => DuidKind::Ll {
                htype: u16_at(0),
                lladdr: &body[2..],
            },
            DUID_UUID => match <&[u8; 16]>::try_from(body) {
                Ok(uuid) => DuidKind::Uuid(uuid),
                Err(_) => DuidKind::Other { duid_type, body },
            },
            _ => DuidKind::Other { duid_type, body },
        }
    }

    /// The link-layer address and hardware type of an LLT or LL DUID (Kea uses it as the
    /// client's hardware address source `duid`).
    pub fn hwaddr(&self) -> Option<(u16, &[u8])> {
        match self.kind() {
            DuidKind::Llt { htype, lladdr, .. } | DuidKind::Ll { htype, lladdr } => {
                Some((htype, lladdr))
            }
            _ => None,
        }
    }

    /// Parses Kea's text form: hex octets separated by `:` (one or two digits each), or a run
    /// of hex digits with an optional `0x` prefix.
    pub fn from_text(text: &str) -> Result<Self, DuidError> {
        let bytes = parse_hex_text(text).ok_or_else(|| DuidError::BadText {
            text: text.to_owned(),
        })?;
        Self::from_bytes(bytes)
    }
}

/// Kea's formatted hex: `a:0b:cc`, `0a0bcc` or `0x0a0bcc`.
fn parse_hex_text(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    if text.contains(':') {
        return text
            .split(':')
            .map(|g| {
                if g.is_empty() || g.len() > 2 {
                    None
                } else {
                    u8::from_str_radix(g, 16).ok()
                }
            })
            .collect();
    }
    let digits = text.strip_prefix("0x").unwrap_or(text);
    if digits.is_empty()
        || !digits.len().is_multiple_of(2)
        || !digits.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return None;
    }
    (0..digits.len())
        .step_by(2)
        .map(|i| {
            digits
                .get(i..i + 2)
                .and_then(|p| u8::from_str_radix(p, 16).ok())
        })
        .collect()
}

impl fmt::Display for Duid {
    /// Kea's text form: `00:03:00:01:0a:0b:0c:0d:0e:0f`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl FromStr for Duid {
    type Err = DuidError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_text(s)
    }
}

impl TryFrom<&[u8]> for Duid {
    type Error = DuidError;
    fn try_from(bytes: &[u8]) -> Result<Self, Self::Error> {
        Self::from_bytes(bytes)
    }
}

impl AsRef<[u8]> for Duid {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn kinds() {
        let ll = Duid::new_ll(1, &[0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f]).unwrap();
        assert_eq!(ll.to_string(), "00:03:00:01:0a:0b:0c:0d:0e:0f");
        assert_eq!(
            ll.hwaddr(),
            Some((1, &[0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f][..]))
        );
        let llt = Duid::new_llt(1, 0x2a2b_2c2d, &[1, 2, 3, 4, 5, 6]).unwrap();
        assert_eq!(
            llt.kind(),
            DuidKind::Llt {
                htype: 1,
                time: 0x2a2b_2c2d,
                lladdr: &[1, 2, 3, 4, 5, 6]
            }
        );
        // The server-id Kea 2.2 sent with `"type": "EN", "enterprise-id": 2495,
        // "identifier": "0102030405"` (captured ADVERTISE).
        let en = Duid::from_text("00:02:00:00:09:bf:01:02:03:04:05").unwrap();
        assert_eq!(en, Duid::new_en(2495, &[1, 2, 3, 4, 5]).unwrap());
        assert_eq!(en.hwaddr(), None);
        let uuid = Duid::new_uuid([7; 16]);
        assert_eq!(uuid.kind(), DuidKind::Uuid(&[7; 16]));
        let odd = Duid::from_bytes([0, 4, 1]).unwrap();
        assert!(matches!(odd.kind(), DuidKind::Other { duid_type: 4, .. }));
        let short_llt = Duid::from_bytes([0, 1, 0, 1]).unwrap();
        assert!(matches!(
            short_llt.kind(),
            DuidKind::Other { duid_type: 1, .. }
        ));
    }

    #[test]
    fn bounds_and_text() {
        assert_eq!(
            Duid::from_bytes([0, 1]),
            Err(DuidError::TooShort { len: 2 })
        );
        assert!(Duid::from_bytes(vec![0; 128]).is_ok());
        assert_eq!(
            Duid::from_bytes(vec![0; 129]),
            Err(DuidError::TooLong { len: 129 })
        );
        assert_eq!(
            "0x000301aabb".parse::<Duid>().unwrap().as_bytes(),
            &[0, 3, 1, 0xaa, 0xbb]
        );
        assert_eq!(
            "0:3:1:AA".parse::<Duid>().unwrap().to_string(),
            "00:03:01:aa"
        );
        for bad in ["", "00:03::01", "000301a", "zz:00:01", "000:01:02", "0x"] {
            assert!(bad.parse::<Duid>().is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn text_round_trip(bytes in prop::collection::vec(any::<u8>(), 3..=128)) {
            let duid = Duid::from_bytes(bytes.clone()).unwrap();
            let again: Duid = duid.to_string().parse().unwrap();
            prop_assert_eq!(again.as_bytes(), &bytes[..]);
            let _ = duid.kind();
        }

        #[test]
        fn any_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..140)) {
            if let Ok(d) = Duid::from_bytes(bytes) {
                let _ = d.kind();
                let _ = d.hwaddr();
            }
        }
    }
}
