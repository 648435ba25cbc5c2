//! The DHCPv4 Client FQDN option (81, RFC 4702): flags (S, O, E, N), the two deprecated
//! RCODE octets and a domain name whose encoding the E flag chooses (RFC 4702 §2.3): DNS
//! wire format when E is 1, the deprecated ASCII form when E is 0.
//!
//! Received option 81 is accepted and dropped as Kea 2.2 does (checked on the wire, the
//! drop being `DHCP4_PACKET_DROP_0001`):
//! - fewer than 3 octets, or N and S both set, drop the packet; the other flag bits and the
//!   RCODE octets are ignored;
//! - E = 1: a wire name, fully qualified or partial (no root label); octets after the root
//!   label are ignored; a truncated label or a compression pointer drops the packet;
//! - E = 0: a text name in DNS presentation syntax (`\.` and `\DDD` escapes), fully
//!   qualified when it ends with a dot; an empty label, a label over 63 octets, a name over
//!   255 octets or a broken escape drops the packet; other octets (spaces, control
//!   characters, non-ASCII) are label content.
//!
//! ARM: `dhcp4-srv.rst`, "DDNS for DHCPv4".

use thiserror::Error;

use crate::fqdn::{self, FqdnError, MAX_LABEL_LEN, MAX_NAME_LEN};

/// RFC 4702 §2.1: S, the server should perform the A RR update.
pub const FQDN_FLAG_S: u8 = 0x01;
/// RFC 4702 §2.1: O, the server has overridden the client's S preference.
pub const FQDN_FLAG_O: u8 = 0x02;
/// RFC 4702 §2.1: E, the name is in DNS wire format (otherwise ASCII).
pub const FQDN_FLAG_E: u8 = 0x04;
/// RFC 4702 §2.1: N, the server should perform no update.
pub const FQDN_FLAG_N: u8 = 0x08;

/// Octets before the name: flags, RCODE1, RCODE2 (RFC 4702 §2).
const FIXED_LEN: usize = 3;

/// Why an ASCII-encoded (E = 0) name is not a valid domain name. The messages are Kea
/// 2.2's.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AsciiNameError {
    /// The name starts with a dot but is not the root name `.`.
    #[error("non terminating empty label in {name}")]
    LeadingEmptyLabel {
        /// The name as received (lossy UTF-8).
        name: String,
    },
    /// Two dots follow each other.
    #[error("duplicate period in {name}")]
    EmptyLabel {
        /// The name as received (lossy UTF-8).
        name: String,
    },
    /// A label is longer than 63 octets (RFC 1035 §2.3.4).
    #[error("label is too long in {name}")]
    LabelTooLong {
        /// The name as received (lossy UTF-8).
        name: String,
    },
    /// The name would exceed 255 octets in wire form (RFC 1035 §2.3.4).
    #[error("domain name too long ({len} octets)")]
    NameTooLong {
        /// Wire length the name would have.
        len: usize,
    },
    /// The name ends inside a backslash escape.
    #[error("incomplete textual name in {name}")]
    IncompleteEscape {
        /// The name as received (lossy UTF-8).
        name: String,
    },
    /// A `\DDD` escape mixes digits and other characters.
    #[error("mixture of escaped digit and non-digit in {name}")]
    BadDecimalEscape {
        /// The name as received (lossy UTF-8).
        name: String,
    },
    /// A `\DDD` escape above 255.
    #[error("escaped decimal is too large in {name}")]
    DecimalTooLarge {
        /// The name as received (lossy UTF-8).
        name: String,
    },
}

/// Why option 81 cannot be read; the packet is dropped.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ClientFqdn4Error {
    /// Fewer than the 3 fixed octets.
    #[error("DHCPv4 Client FQDN Option (81) is truncated ({len} octets)")]
    Truncated {
        /// The option length.
        len: usize,
    },
    /// RFC 4702 §2.1: if N is 1, S must be 0.
    #[error("client FQDN flags {flags:#04x} set both N and S")]
    BothNAndS {
        /// The flags octet.
        flags: u8,
    },
    /// E = 1 and the name is not valid wire format.
    #[error("client FQDN wire name: {0}")]
    WireName(#[from] FqdnError),
    /// E = 0 and the name is not a valid text name.
    #[error("client FQDN ASCII name: {0}")]
    AsciiName(#[from] AsciiNameError),
}

/// Option 81's content.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClientFqdn4 {
    /// The flags octet as received (`FQDN_FLAG_*`).
    pub flags: u8,
    /// RCODE1 as received (RFC 4702 §2.2: deprecated, servers send 255).
    pub rcode1: u8,
    /// RCODE2 as received (deprecated as RCODE1).
    pub rcode2: u8,
    /// The name in presentation form, whatever its encoding on the wire: with a trailing
    /// dot when fully qualified, without when partial, empty when the client sent none.
    pub name: String,
}

impl ClientFqdn4 {
    /// Reads option 81's data, decoding the name as the E flag says.
    pub fn parse(data: &[u8]) -> Result<Self, ClientFqdn4Error> {
        let Some((&[flags, rcode1, rcode2], name)) = data.split_first_chunk::<FIXED_LEN>() else {
            return Err(ClientFqdn4Error::Truncated { len: data.len() });
        };
        if flags & FQDN_FLAG_N != 0 && flags & FQDN_FLAG_S != 0 {
            return Err(ClientFqdn4Error::BothNAndS { flags });
        }
        let name = if name.is_empty() {
            String::new()
        } else if flags & FQDN_FLAG_E != 0 {
            fqdn::decode_name(name, true)?.0
        } else {
            fqdn::decode_name(&ascii_to_wire(name)?, true)?.0
        };
        Ok(Self {
            flags,
            rcode1,
            rcode2,
            name,
        })
    }

    /// True when the name is fully qualified (ends with the root label).
    pub fn is_full(&self) -> bool {
        self.name.ends_with('.')
    }
}

/// Converts a non-empty text name to wire form: with the root label when it ends with a dot
/// (or is `.`), without it (partial) otherwise.
fn ascii_to_wire(text: &[u8]) -> Result<Vec<u8>, AsciiNameError> {
    let lossy = || String::from_utf8_lossy(text).into_owned();
    if text == b"." {
        return Ok(vec![0]);
    }
    let mut wire = Vec::with_capacity(text.len() + 2);
    let mut label: Vec<u8> = Vec::new();
    let mut full = false;
    let mut i = 0;
    while let Some(&c) = text.get(i) {
        i += 1;
        let octet = match c {
            b'.' => {
                if label.is_empty() {
                    return Err(if wire.is_empty() {
                        AsciiNameError::LeadingEmptyLabel { name: lossy() }
                    } else {
                        AsciiNameError::EmptyLabel { name: lossy() }
                    });
                }
                push_label(&mut wire, &mut label);
                full = i == text.len();
                continue;
            }
            b'\\' => {
                let Some(&next) = text.get(i) else {
                    return Err(AsciiNameError::IncompleteEscape { name: lossy() });
                };
                if next.is_ascii_digit() {
                    let digits = &text[i..text.len().min(i + 3)];
                    if !digits.iter().all(u8::is_ascii_digit) {
                        return Err(AsciiNameError::BadDecimalEscape { name: lossy() });
                    }
                    if digits.len() < 3 {
                        return Err(AsciiNameError::IncompleteEscape { name: lossy() });
                    }
                    i += 3;
                    let value = digits
                        .iter()
                        .fold(0u16, |acc, &d| acc * 10 + u16::from(d - b'0'));
                    u8::try_from(value)
                        .map_err(|_| AsciiNameError::DecimalTooLarge { name: lossy() })?
                } else {
                    i += 1;
                    next
                }
            }
            other => other,
        };
        if label.len() == MAX_LABEL_LEN {
            return Err(AsciiNameError::LabelTooLong { name: lossy() });
        }
        label.push(octet);
    }
    if !label.is_empty() {
        push_label(&mut wire, &mut label);
    }
    // A partial name still counts its root label against the limit, as Kea does.
    let len = wire.len() + 1;
    if len > MAX_NAME_LEN {
        return Err(AsciiNameError::NameTooLong { len });
    }
    if full {
        wire.push(0);
    }
    Ok(wire)
}

/// Appends `label` (at most 63 octets) with its length octet and empties it.
fn push_label(wire: &mut Vec<u8>, label: &mut Vec<u8>) {
    // The caller keeps labels within MAX_LABEL_LEN, so the length fits an octet.
    wire.push(label.len() as u8);
    wire.append(label);
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ascii(name: &[u8]) -> Result<ClientFqdn4, ClientFqdn4Error> {
        let mut data = vec![FQDN_FLAG_S, 0, 0];
        data.extend_from_slice(name);
        ClientFqdn4::parse(&data)
    }

    fn ascii_err(name: &[u8]) -> AsciiNameError {
        match ascii(name) {
            Err(ClientFqdn4Error::AsciiName(e)) => e,
            other => panic!("{name:?}: {other:?}"),
        }
    }

    #[test]
    fn ascii_names_kea_accepts() {
        // RFC 4702 §2.3, E = 0: the form Kea 2.2 answers (checked on the wire).
        let f = ascii(b"laptop-7.example.org").unwrap();
        assert_eq!(
            f,
            ClientFqdn4 {
                flags: FQDN_FLAG_S,
                rcode1: 0,
                rcode2: 0,
                name: "laptop-7.example.org".into(),
            }
        );
        assert!(!f.is_full());
        let full = ascii(b"laptop-7.example.org.").unwrap();
        assert_eq!(full.name, "laptop-7.example.org.");
        assert!(full.is_full());
        assert_eq!(ascii(b"").unwrap().name, "");
        assert_eq!(ascii(b".").unwrap().name, ".");
        assert_eq!(ascii(b"a\\.b.c").unwrap().name, "a\\.b.c");
        assert_eq!(ascii(b"a\\065b").unwrap().name, "aAb");
        assert_eq!(ascii(b"a b\x01").unwrap().name, "a\\032b\\001");
        assert_eq!(ascii(b"ab\x00").unwrap().name, "ab\\000");
        assert_eq!(ascii("é".as_bytes()).unwrap().name, "\\195\\169");
        assert_eq!(ascii(&[b'a'; 63]).unwrap().name.len(), 63);
        // RCODEs and flag bits other than N+S are not checked.
        let odd = ClientFqdn4::parse(&[0xf1, 255, 255, b'h']).unwrap();
        assert_eq!((odd.flags, odd.rcode1, odd.rcode2), (0xf1, 255, 255));
    }

    #[test]
    fn ascii_names_kea_drops() {
        assert_eq!(
            ascii_err(b"a..b"),
            AsciiNameError::EmptyLabel {
                name: "a..b".into()
            }
        );
        assert!(matches!(
            ascii_err(b"a.."),
            AsciiNameError::EmptyLabel { .. }
        ));
        assert!(matches!(
            ascii_err(b".a"),
            AsciiNameError::LeadingEmptyLabel { .. }
        ));
        let mut long = vec![b'a'; 64];
        long.extend_from_slice(b".b");
        assert!(matches!(
            ascii_err(&long),
            AsciiNameError::LabelTooLong { .. }
        ));
        assert!(matches!(
            ascii_err(b"a\\"),
            AsciiNameError::IncompleteEscape { .. }
        ));
        assert!(matches!(
            ascii_err(b"a\\12"),
            AsciiNameError::IncompleteEscape { .. }
        ));
        assert!(matches!(
            ascii_err(b"a\\1b"),
            AsciiNameError::BadDecimalEscape { .. }
        ));
        assert!(matches!(
            ascii_err(b"a\\999"),
            AsciiNameError::DecimalTooLarge { .. }
        ));
        // Only reachable with a split (fused) option 81: 4 labels of 63 and the root.
        let huge = [[b'a'; 63]; 4].join(&b'.');
        assert_eq!(ascii_err(&huge), AsciiNameError::NameTooLong { len: 257 });
        let just_fits = [&[b'a'; 63][..], &[b'a'; 63], &[b'a'; 63], &[b'a'; 61]].join(&b'.');
        assert_eq!(ascii(&just_fits).unwrap().name.len(), 253);
    }

    #[test]
    fn wire_names_and_fixed_fields() {
        let e = FQDN_FLAG_E | FQDN_FLAG_S;
        let f = ClientFqdn4::parse(b"\x05\x00\x00\x04host\x07example\x00zz").unwrap();
        assert_eq!((f.flags, f.name.as_str()), (e, "host.example."));
        assert_eq!(
            ClientFqdn4::parse(b"\x05\x00\x00\x04host").unwrap().name,
            "host"
        );
        assert!(matches!(
            ClientFqdn4::parse(b"\x04\x00\x00\x05ab"),
            Err(ClientFqdn4Error::WireName(FqdnError::Truncated))
        ));
        // E = 1 with a text name: 'h' is not a label length Kea or we accept.
        assert!(matches!(
            ClientFqdn4::parse(b"\x05\x00\x00host.example"),
            Err(ClientFqdn4Error::WireName(FqdnError::BadLabelType { .. }))
        ));
        assert_eq!(
            ClientFqdn4::parse(&[1, 0]),
            Err(ClientFqdn4Error::Truncated { len: 2 })
        );
        for flags in [0x09, 0x0d] {
            assert_eq!(
                ClientFqdn4::parse(&[flags, 0, 0, 4, b'h', b'o', b's', b't', 0]),
                Err(ClientFqdn4Error::BothNAndS { flags })
            );
        }
    }

    proptest! {
        #[test]
        fn ascii_and_wire_forms_agree(labels in prop::collection::vec("[a-z0-9-]{1,20}", 1..5),
                                      full in any::<bool>()) {
            let mut text = labels.join(".");
            if full {
                text.push('.');
            }
            let mut wire = vec![FQDN_FLAG_E, 0, 0];
            fqdn::encode_name(&text, &mut wire).unwrap();
            if !full {
                wire.pop();
            }
            let from_wire = ClientFqdn4::parse(&wire).unwrap();
            let from_ascii = ascii(text.as_bytes()).unwrap();
            prop_assert_eq!(&from_wire.name, &text);
            prop_assert_eq!(from_ascii.name, from_wire.name);
        }

        #[test]
        fn arbitrary_data_never_panics(data in prop::collection::vec(any::<u8>(), 0..300)) {
            let _ = ClientFqdn4::parse(&data);
        }
    }
}
