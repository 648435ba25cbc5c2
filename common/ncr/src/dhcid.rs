//! The DHCID RDATA of RFC 4701 §3.3: a 2-octet identifier type, a 1-octet digest type
//! (1 = SHA-256) and SHA-256 over the identifier followed by the FQDN in canonical DNS wire
//! form (RFC 4034 §6.2: lower-case labels). Kea sends it in NCRs as upper-case hex
//! (INVENTORY §12) and D2 stores it as the DHCID RR that RFC 4703 conflict resolution checks.

use std::fmt;

use sha2::{Digest, Sha256};

/// RFC 4701 §3.3 digest type for SHA-256, the only one defined.
pub const DIGEST_TYPE_SHA256: u8 = 1;

/// RFC 4701 §3.3 identifier types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentifierType {
    /// 0x0000: the DHCPv4 `chaddr` preceded by `htype`.
    Chaddr,
    /// 0x0001: the DHCPv4 client identifier option (61) data.
    ClientId,
    /// 0x0002: a DUID (DHCPv6 client identifier, or RFC 4361 node-specific v4 client id).
    Duid,
}

impl IdentifierType {
    /// The 2-octet code on the wire.
    pub fn code(self) -> u16 {
        match self {
            Self::Chaddr => 0,
            Self::ClientId => 1,
            Self::Duid => 2,
        }
    }
}

/// Why a DHCID could not be built or parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DhcidError {
    /// The identifier was empty.
    #[error("empty client identifier for DHCID")]
    EmptyIdentifier,
    /// A label of the FQDN is empty or longer than 63 octets, or the name exceeds 255.
    #[error("invalid FQDN for DHCID: '{fqdn}'")]
    BadFqdn {
        /// The name given.
        fqdn: String,
    },
    /// The hex text has an odd length or a non-hex digit.
    #[error("invalid hex DHCID '{text}'")]
    BadHex {
        /// The text given.
        text: String,
    },
}

/// A DHCID RDATA (RFC 4701 §3), kept as its wire octets.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Dhcid(Vec<u8>);

impl Dhcid {
    /// Computes the DHCID for `identifier` of type `kind` and the client's `fqdn`.
    ///
    /// For [`IdentifierType::Chaddr`] the identifier is `htype` followed by the hardware
    /// address (RFC 4701 §3.3), see [`Dhcid::from_hwaddr`].
    pub fn compute(
        kind: IdentifierType,
        identifier: &[u8],
        fqdn: &str,
    ) -> Result<Self, DhcidError> {
        if identifier.is_empty() {
            return Err(DhcidError::EmptyIdentifier);
        }
        let wire = canonical_wire_name(fqdn)?;
        let mut h = Sha256::new();
        h.update(identifier);
        h.update(&wire);
        let mut out = Vec::with_capacity(35);
        out.extend_from_slice(&kind.code().to_be_bytes());
        out.push(DIGEST_TYPE_SHA256);
        out.extend_from_slice(&h.finalize());
        Ok(Self(out))
    }

    /// RFC 4701 §3.3 identifier type 0: `htype` and `chaddr` of a DHCPv4 client.
    pub fn from_hwaddr(htype: u8, chaddr: &[u8], fqdn: &str) -> Result<Self, DhcidError> {
        if chaddr.is_empty() {
            return Err(DhcidError::EmptyIdentifier);
        }
        let mut id = Vec::with_capacity(chaddr.len() + 1);
        id.push(htype);
        id.extend_from_slice(chaddr);
        Self::compute(IdentifierType::Chaddr, &id, fqdn)
    }

    /// Wraps RDATA octets received from elsewhere (an NCR or a DNS answer).
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// Parses Kea's hex form (either case).
    pub fn from_hex(text: &str) -> Result<Self, DhcidError> {
        let bad = || DhcidError::BadHex {
            text: text.to_owned(),
        };
        if !text.len().is_multiple_of(2) {
            return Err(bad());
        }
        let digits = text.as_bytes();
        let mut out = Vec::with_capacity(digits.len() / 2);
        for pair in digits.chunks(2) {
            let hi = hex_value(pair[0]).ok_or_else(bad)?;
            let lo = hex_value(pair[1]).ok_or_else(bad)?;
            out.push(hi << 4 | lo);
        }
        Ok(Self(out))
    }

    /// The RDATA octets.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Whether there are no octets (an NCR without a DHCID is invalid).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Kea's upper-case hex text.
    pub fn to_hex(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Dhcid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in &self.0 {
            write!(f, "{b:02X}")?;
        }
        Ok(())
    }
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// The FQDN in canonical wire form (RFC 4034 §6.2): length-prefixed lower-case labels and
/// the root label. A trailing dot is optional; `\.` escapes are not interpreted.
pub fn canonical_wire_name(fqdn: &str) -> Result<Vec<u8>, DhcidError> {
    let bad = || DhcidError::BadFqdn {
        fqdn: fqdn.to_owned(),
    };
    let trimmed = fqdn.strip_suffix('.').unwrap_or(fqdn);
    let mut out = Vec::with_capacity(trimmed.len() + 2);
    if !trimmed.is_empty() {
        for label in trimmed.split('.') {
            if label.is_empty() || label.len() > 63 {
                return Err(bad());
            }
            out.push(label.len() as u8);
            out.extend(label.bytes().map(|b| b.to_ascii_lowercase()));
        }
    }
    out.push(0);
    if out.len() > 255 {
        return Err(bad());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    fn b64(data: &[u8]) -> String {
        let mut s = String::new();
        for chunk in data.chunks(3) {
            let n = chunk.len();
            let v = u32::from(chunk[0]) << 16
                | u32::from(*chunk.get(1).unwrap_or(&0)) << 8
                | u32::from(*chunk.get(2).unwrap_or(&0));
            for i in 0..4 {
                if i <= n {
                    s.push(B64[(v >> (18 - 6 * i) & 63) as usize] as char);
                } else {
                    s.push('=');
                }
            }
        }
        s
    }

    // RFC 4701 §3.6 examples.
    #[test]
    fn rfc4701_duid_example() {
        let duid = [
            0x00, 0x01, 0x00, 0x06, 0x41, 0x2d, 0xf1, 0x66, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
        ];
        let d = Dhcid::compute(IdentifierType::Duid, &duid, "chi6.example.com").unwrap();
        assert_eq!(
            b64(d.as_bytes()),
            "AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA="
        );
    }

    #[test]
    fn rfc4701_chaddr_example() {
        let d = Dhcid::from_hwaddr(1, &[1, 2, 3, 4, 5, 6], "client.example.com.").unwrap();
        assert_eq!(
            b64(d.as_bytes()),
            "AAABxLmlskllE0MVjd57zHcWmEH3pCQ6VytcKD//7es/deY="
        );
    }

    #[test]
    fn rfc4701_client_id_example() {
        let cid = [0x01, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c];
        let d = Dhcid::compute(IdentifierType::ClientId, &cid, "chi.example.com").unwrap();
        assert_eq!(
            b64(d.as_bytes()),
            "AAEBOSD+XR3Os/0LozeXVqcNc7FwCfQdWL3b/NaiUDlW2No="
        );
    }

    // Captured from Kea 2.2's kea-dhcp4 (tests/data/ncr1.bin, ncr2.bin).
    #[test]
    fn kea_captured_dhcids() {
        let d = Dhcid::from_hwaddr(1, &[0, 0x0c, 1, 2, 3, 4], "myhost.example.org.").unwrap();
        assert_eq!(
            d.to_hex(),
            "00000111864A0A0159E64E4C3A81E81BDFDB6C79091AEDB4325B6F560987285BDEB82E"
        );
        let cid = [1, 0, 0x0c, 1, 2, 3, 5];
        let d = Dhcid::compute(IdentifierType::ClientId, &cid, "Other.Example.org.").unwrap();
        assert_eq!(
            d.to_hex(),
            "000101072FDA444F2C0C5EF3357D3CF983B5D3E4D49D239F1A21B2802ED7A31945F77B"
        );
    }

    #[test]
    fn hex_round_trip_and_errors() {
        let d = Dhcid::from_hex("00010aFf").unwrap();
        assert_eq!(d.as_bytes(), &[0, 1, 10, 255]);
        assert_eq!(d.to_hex(), "00010AFF");
        assert!(Dhcid::from_hex("abc").is_err());
        assert!(Dhcid::from_hex("zz").is_err());
        assert_eq!(
            Dhcid::compute(IdentifierType::Duid, &[], "a."),
            Err(DhcidError::EmptyIdentifier)
        );
        assert!(Dhcid::compute(IdentifierType::Duid, &[1], "a..b").is_err());
        assert_eq!(canonical_wire_name(".").unwrap(), vec![0]);
    }
}
