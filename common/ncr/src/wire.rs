//! The NCR UDP framing (INVENTORY §12): each datagram is a 2-byte big-endian length followed
//! by that many bytes of JSON text, no terminator.

use crate::ncr::{NameChangeRequest, NcrError};

/// Largest JSON text the 2-byte prefix can describe.
pub const MAX_NCR_LEN: usize = u16::MAX as usize;

/// The datagram for `ncr`: length prefix and Kea's JSON text.
pub fn encode_datagram(ncr: &NameChangeRequest) -> Vec<u8> {
    let json = ncr.to_json();
    // An NCR's text is bounded by a 255-octet FQDN and fixed-size members, far below 64 KiB.
    let len = u16::try_from(json.len()).unwrap_or(u16::MAX);
    let mut out = Vec::with_capacity(json.len() + 2);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(json.as_bytes());
    out
}

/// Decodes a received datagram; bytes after the declared length are ignored.
pub fn decode_datagram(datagram: &[u8]) -> Result<NameChangeRequest, NcrError> {
    let (prefix, rest) = datagram
        .split_first_chunk::<2>()
        .ok_or(NcrError::BadLength {
            declared: 2,
            available: datagram.len(),
        })?;
    let declared = usize::from(u16::from_be_bytes(*prefix));
    let body = rest.get(..declared).ok_or(NcrError::BadLength {
        declared,
        available: rest.len(),
    })?;
    NameChangeRequest::from_json(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kea_datagram_round_trip() {
        let d = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/ncr2.bin")).unwrap();
        let ncr = decode_datagram(&d).unwrap();
        assert_eq!(encode_datagram(&ncr), d);
    }

    #[test]
    fn bad_lengths() {
        let d = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/ncr2.bin")).unwrap();
        assert!(matches!(
            decode_datagram(&d[..1]),
            Err(NcrError::BadLength { .. })
        ));
        assert!(matches!(
            decode_datagram(&d[..d.len() - 1]),
            Err(NcrError::BadLength { .. })
        ));
        let mut longer = d.clone();
        longer.extend_from_slice(b"junk");
        assert!(decode_datagram(&longer).is_ok());
    }
}
