//! Domain names in DNS wire format (RFC 1035 §3.1), as carried by `fqdn` option fields
//! (options 81, 88, 119, 137, 141, 213 and custom `fqdn` definitions).
//!
//! Owns the conversion between the textual form used in `option-data` (`"example.org."`) and
//! the length-prefixed label sequence on the wire. Compression pointers are not used by DHCP
//! (RFC 3397 uses them only in option 119, and Kea neither sends nor accepts them), so a label
//! length byte with either top bit set is rejected.
//!
//! ARM: `dhcp4-srv.rst`, "DHCPv4 Option Types" (`fqdn`).

use thiserror::Error;

/// RFC 1035 §2.3.4: a label holds at most 63 octets.
pub const MAX_LABEL_LEN: usize = 63;
/// RFC 1035 §2.3.4: a name holds at most 255 octets in wire form.
pub const MAX_NAME_LEN: usize = 255;

/// Why a domain name could not be converted.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FqdnError {
    /// The textual name is empty.
    #[error("empty domain name")]
    Empty,
    /// Two dots follow each other (an empty label inside the name).
    #[error("duplicate period in {name}")]
    EmptyLabel {
        /// The offending name.
        name: String,
    },
    /// A label is longer than 63 octets.
    #[error("label is too long in {name}")]
    LabelTooLong {
        /// The offending name.
        name: String,
    },
    /// The whole name exceeds 255 octets in wire form.
    #[error("domain name too long ({len} octets)")]
    NameTooLong {
        /// Wire length the name would have.
        len: usize,
    },
    /// The wire form ends inside a label or before its terminating zero octet.
    #[error("incomplete wire-format name")]
    Truncated,
    /// A length octet uses the compression or extended label bits.
    #[error("unsupported label type {byte:#04x} at offset {offset}")]
    BadLabelType {
        /// The length octet found.
        byte: u8,
        /// Its offset in the input.
        offset: usize,
    },
}

/// Appends the wire form of `name` to `out`. A trailing dot is optional; the result always
/// ends with the root label (a zero octet), i.e. it is fully qualified, as Kea writes it.
pub fn encode_name(name: &str, out: &mut Vec<u8>) -> Result<(), FqdnError> {
    let trimmed = name.strip_suffix('.').unwrap_or(name);
    if trimmed.is_empty() {
        if name == "." {
            out.push(0);
            return Ok(());
        }
        return Err(FqdnError::Empty);
    }
    let start = out.len();
    for label in trimmed.split('.') {
        if label.is_empty() {
            out.truncate(start);
            return Err(FqdnError::EmptyLabel {
                name: name.to_owned(),
            });
        }
        if label.len() > MAX_LABEL_LEN {
            out.truncate(start);
            return Err(FqdnError::LabelTooLong {
                name: name.to_owned(),
            });
        }
        // The length is at most 63, checked above.
        out.push(label.len() as u8);
        out.extend_from_slice(label.as_bytes());
    }
    out.push(0);
    let len = out.len() - start;
    if len > MAX_NAME_LEN {
        out.truncate(start);
        return Err(FqdnError::NameTooLong { len });
    }
    Ok(())
}

/// Reads one wire-format name from the start of `wire`.
///
/// Returns the textual form (with a trailing dot when the name is fully qualified) and the
/// number of octets consumed. With `allow_partial`, a name that simply ends at the end of the
/// buffer without a root label is accepted as a partial name (RFC 4702 §2.3 lets a client send
/// one in option 81); otherwise that is [`FqdnError::Truncated`].
pub fn decode_name(wire: &[u8], allow_partial: bool) -> Result<(String, usize), FqdnError> {
    let mut text = String::new();
    let used = walk_name(wire, allow_partial, Some(&mut text))?;
    Ok((text, used))
}

/// Like [`decode_name`] but only checks the name and returns its wire length, without
/// allocating (used when validating received options).
pub fn wire_name_len(wire: &[u8], allow_partial: bool) -> Result<usize, FqdnError> {
    walk_name(wire, allow_partial, None)
}

fn walk_name(
    wire: &[u8],
    allow_partial: bool,
    mut text: Option<&mut String>,
) -> Result<usize, FqdnError> {
    let mut pos = 0;
    loop {
        let Some(&len) = wire.get(pos) else {
            if allow_partial {
                return Ok(pos);
            }
            return Err(FqdnError::Truncated);
        };
        if len == 0 {
            pos += 1;
            if let Some(t) = text.as_deref_mut()
                && t.is_empty()
            {
                t.push('.');
            }
            return Ok(pos);
        }
        if len & 0xc0 != 0 {
            return Err(FqdnError::BadLabelType {
                byte: len,
                offset: pos,
            });
        }
        let end = pos + 1 + usize::from(len);
        let Some(label) = wire.get(pos + 1..end) else {
            return Err(FqdnError::Truncated);
        };
        if end > MAX_NAME_LEN {
            return Err(FqdnError::NameTooLong { len: end });
        }
        if let Some(t) = text.as_deref_mut() {
            push_label(t, label);
            t.push('.');
        }
        pos = end;
        if pos == wire.len() && allow_partial {
            // Partial name: drop the dot that marks full qualification.
            if let Some(t) = text.as_deref_mut() {
                t.pop();
            }
            return Ok(pos);
        }
    }
}

/// Appends a label's octets as text, escaping dots, backslashes and non-printable octets the
/// way DNS presentation format does (`\.`, `\\`, `\DDD`).
fn push_label(text: &mut String, label: &[u8]) {
    for &b in label {
        match b {
            b'.' | b'\\' => {
                text.push('\\');
                text.push(char::from(b));
            }
            0x21..=0x7e => text.push(char::from(b)),
            _ => {
                text.push('\\');
                text.push_str(&format!("{b:03}"));
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    #[test]
    fn encodes_labels_and_root() {
        let mut out = Vec::new();
        encode_name("example.org", &mut out).unwrap();
        assert_eq!(out, b"\x07example\x03org\x00");
        let mut out2 = Vec::new();
        encode_name("example.org.", &mut out2).unwrap();
        assert_eq!(out, out2);
    }

    #[test]
    fn rejects_bad_text() {
        let mut out = vec![1];
        assert!(matches!(
            encode_name("a..b", &mut out),
            Err(FqdnError::EmptyLabel { .. })
        ));
        assert_eq!(out, vec![1], "output untouched on error");
        assert_eq!(encode_name("", &mut out), Err(FqdnError::Empty));
        let long = format!("{}.b", "a".repeat(64));
        assert!(matches!(
            encode_name(&long, &mut out),
            Err(FqdnError::LabelTooLong { .. })
        ));
        let huge = vec!["a".repeat(60); 5].join(".");
        assert!(matches!(
            encode_name(&huge, &mut out),
            Err(FqdnError::NameTooLong { .. })
        ));
    }

    #[test]
    fn decodes_full_and_partial() {
        let (n, used) = decode_name(b"\x07example\x03org\x00rest", false).unwrap();
        assert_eq!((n.as_str(), used), ("example.org.", 13));
        assert_eq!(
            decode_name(b"\x04host", true).unwrap(),
            ("host".to_owned(), 5)
        );
        assert_eq!(decode_name(b"\x04host", false), Err(FqdnError::Truncated));
        assert_eq!(decode_name(b"\x05ab", true), Err(FqdnError::Truncated));
        assert_eq!(decode_name(b"\x00", false).unwrap(), (".".to_owned(), 1));
        assert!(matches!(
            decode_name(b"\xc0\x0c", false),
            Err(FqdnError::BadLabelType { .. })
        ));
        assert_eq!(wire_name_len(b"\x01a\x00xyz", false), Ok(3));
        assert_eq!(wire_name_len(b"\x01a", false), Err(FqdnError::Truncated));
        assert_eq!(wire_name_len(b"\x01a", true), Ok(2));
    }
}
