//! Typed views of the small fixed-format DHCPv6 options: ORO (6), elapsed time (8),
//! preference (7), rapid commit (14) and reconfigure accept (20) (RFC 8415 §21.7–21.9,
//! §21.14, §21.20). Acceptance follows Kea 2.2, checked on the wire: an ORO that is empty or
//! has an odd length makes the packet unreadable, an elapsed time longer than two octets is
//! read from its first two, and rapid commit or reconfigure accept with data are still
//! present.
//!
//! ARM: `dhcp6-srv.rst`, "Standard DHCPv6 Options", "Rapid Commit".

use thiserror::Error;

use crate::codes6::{
    D6O_ELAPSED_TIME, D6O_ORO, D6O_PREFERENCE, D6O_RAPID_COMMIT, D6O_RECONF_ACCEPT,
};
use crate::option::Opt;

/// Why a fixed-format option cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum FixedOptionError {
    /// Fewer octets than the value needs.
    #[error("option {code} is {len} octets, needs {need}")]
    TooShort {
        /// The option code.
        code: u16,
        /// Its data length.
        len: usize,
        /// Octets needed.
        need: usize,
    },
    /// An ORO that is empty or not a whole number of two-octet codes.
    #[error("option request option has invalid length {len}")]
    BadOroLength {
        /// Its data length.
        len: usize,
    },
}

/// Reads an ORO: the requested option codes in client order (RFC 8415 §21.7).
pub fn parse_oro(data: &[u8]) -> Result<Vec<u16>, FixedOptionError> {
    if data.is_empty() || !data.len().is_multiple_of(2) {
        return Err(FixedOptionError::BadOroLength { len: data.len() });
    }
    Ok(data
        .chunks_exact(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect())
}

/// An ORO requesting `codes`, in that order.
pub fn oro_opt(codes: &[u16]) -> Opt {
    Opt::new(
        D6O_ORO,
        codes
            .iter()
            .flat_map(|c| c.to_be_bytes())
            .collect::<Vec<u8>>(),
    )
}

/// Reads an elapsed time, in hundredths of a second (RFC 8415 §21.9).
pub fn parse_elapsed_time(data: &[u8]) -> Result<u16, FixedOptionError> {
    match data {
        [a, b, ..] => Ok(u16::from_be_bytes([*a, *b])),
        _ => Err(FixedOptionError::TooShort {
            code: D6O_ELAPSED_TIME,
            len: data.len(),
            need: 2,
        }),
    }
}

/// An elapsed time option (hundredths of a second; 0xffff means "longer").
pub fn elapsed_time_opt(hundredths: u16) -> Opt {
    Opt::new(D6O_ELAPSED_TIME, hundredths.to_be_bytes())
}

/// Reads a server preference (RFC 8415 §21.8; 255 tells the client to stop waiting).
pub fn parse_preference(data: &[u8]) -> Result<u8, FixedOptionError> {
    data.first().copied().ok_or(FixedOptionError::TooShort {
        code: D6O_PREFERENCE,
        len: 0,
        need: 1,
    })
}

/// A preference option.
pub fn preference_opt(preference: u8) -> Opt {
    Opt::new(D6O_PREFERENCE, [preference])
}

/// A rapid commit option (RFC 8415 §21.14): no data.
pub fn rapid_commit_opt() -> Opt {
    Opt::new(D6O_RAPID_COMMIT, [])
}

/// A reconfigure accept option (RFC 8415 §21.20): no data.
pub fn reconf_accept_opt() -> Opt {
    Opt::new(D6O_RECONF_ACCEPT, [])
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn kea_acceptance() {
        assert_eq!(parse_oro(&[0, 23, 0, 24, 0, 31]).unwrap(), [23, 24, 31]);
        assert_eq!(
            parse_oro(&[]),
            Err(FixedOptionError::BadOroLength { len: 0 })
        );
        assert_eq!(
            parse_oro(&[0, 23, 0]),
            Err(FixedOptionError::BadOroLength { len: 3 })
        );
        assert_eq!(parse_elapsed_time(&[0, 1, 2]).unwrap(), 1);
        assert!(parse_elapsed_time(&[0]).is_err());
        assert_eq!(parse_preference(&[255, 9]).unwrap(), 255);
        assert!(parse_preference(&[]).is_err());
        assert_eq!(elapsed_time_opt(0x1234).data, [0x12, 0x34]);
        assert_eq!(preference_opt(7), Opt::new(D6O_PREFERENCE, [7]));
        assert!(rapid_commit_opt().data.is_empty());
        assert_eq!(reconf_accept_opt().code, D6O_RECONF_ACCEPT);
    }

    proptest! {
        #[test]
        fn oro_round_trip(codes in prop::collection::vec(any::<u16>(), 1..20)) {
            prop_assert_eq!(parse_oro(&oro_opt(&codes).data).unwrap(), codes);
        }

        #[test]
        fn never_panic(data in prop::collection::vec(any::<u8>(), 0..8)) {
            let _ = parse_oro(&data);
            let _ = parse_elapsed_time(&data);
            let _ = parse_preference(&data);
        }
    }
}
