//! The DHCPv6 TLV codec (RFC 8415 §21.1: two-octet code, two-octet length, data) for option
//! lists at any level: a message, a relay layer, an IA or any encapsulated space. The
//! options themselves are the raw [`Opt`] / [`Options`] of [`crate::option`].
//!
//! Kea 2.2 stops reading an option list where an option header or an option's data runs past
//! the end of the buffer, keeps the options before it and ignores the rest (checked on the
//! wire: such a SOLICIT still gets an ADVERTISE, inside an IA_NA too). [`parse_v6`] does the
//! same but never silently: the ignored tail is returned as a [`TruncatedTail`].
//!
//! ARM: `dhcp6-srv.rst`, "Standard DHCPv6 Options", "Nested DHCPv6 Options".

use thiserror::Error;

use crate::option::{Opt, Options};

/// Size of a DHCPv6 option header (code and length).
pub const V6_OPTION_HEADER_LEN: usize = 4;

/// The part of a DHCPv6 option list that could not be read and was ignored, as Kea does.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TruncatedTail {
    /// Offset of the unreadable option header within the list.
    pub offset: usize,
    /// Its code, when at least two octets were left.
    pub code: Option<u16>,
    /// Its claimed data length, when the whole header was there.
    pub len: Option<u16>,
    /// The ignored octets, from the header on.
    pub raw: Vec<u8>,
}

/// A DHCPv6 option list as read: the options, and the unreadable tail if any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct OptionList6 {
    /// Options in wire order (repeated codes are kept as separate instances).
    pub options: Options,
    /// The ignored tail, when the list did not end on an option boundary.
    pub truncated: Option<TruncatedTail>,
}

/// Why options cannot be written in DHCPv6 form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum EncodeError6 {
    /// An option's data does not fit the two-octet length (RFC 8415 §21.1).
    #[error("option {code} has {len} octets of data, more than 65535")]
    OptionTooLong {
        /// The option code.
        code: u16,
        /// Its data length.
        len: usize,
    },
}

/// A DHCPv6 option list that does not end on an option boundary (strict reading).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error(
    "option list truncated at offset {}: {} octets left over",
    .0.offset,
    .0.raw.len()
)]
pub struct OptionListError6(pub TruncatedTail);

/// Walks a DHCPv6 option list. Every complete option is kept in order; the list stops at the
/// first header or data that runs past the end (Kea's behaviour), which is returned in
/// [`OptionList6::truncated`].
pub fn parse_v6(buf: &[u8]) -> OptionList6 {
    let mut options = Options::new();
    let mut pos = 0;
    while pos < buf.len() {
        let rest = &buf[pos..];
        let code = rest.get(..2).map(|c| u16::from_be_bytes([c[0], c[1]]));
        let len = rest.get(2..4).map(|l| u16::from_be_bytes([l[0], l[1]]));
        let data =
            len.and_then(|l| rest.get(V6_OPTION_HEADER_LEN..V6_OPTION_HEADER_LEN + usize::from(l)));
        match (code, data) {
            (Some(code), Some(data)) => {
                options.insert(Opt::new(code, data));
                pos += V6_OPTION_HEADER_LEN + data.len();
            }
            _ => {
                return OptionList6 {
                    options,
                    truncated: Some(TruncatedTail {
                        offset: pos,
                        code,
                        len,
                        raw: rest.to_vec(),
                    }),
                };
            }
        }
    }
    OptionList6 {
        options,
        truncated: None,
    }
}

/// Reads a DHCPv6 option list that must end exactly on an option boundary.
pub fn parse_v6_strict(buf: &[u8]) -> Result<Options, OptionListError6> {
    let list = parse_v6(buf);
    match list.truncated {
        Some(tail) => Err(OptionListError6(tail)),
        None => Ok(list.options),
    }
}

impl Opt {
    /// Appends this option in DHCPv6 form (RFC 8415 §21.1). Nothing is written on error.
    pub fn encode_v6(&self, out: &mut Vec<u8>) -> Result<(), EncodeError6> {
        let len = u16::try_from(self.data.len()).map_err(|_| EncodeError6::OptionTooLong {
            code: self.code,
            len: self.data.len(),
        })?;
        out.extend_from_slice(&self.code.to_be_bytes());
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&self.data);
        Ok(())
    }

    /// Wire length in DHCPv6 form (header included).
    pub fn encoded_len_v6(&self) -> usize {
        V6_OPTION_HEADER_LEN + self.data.len()
    }
}

impl Options {
    /// Appends every option in DHCPv6 form, in collection order. On error, `out` holds the
    /// options written before the failing one.
    pub fn encode_v6(&self, out: &mut Vec<u8>) -> Result<(), EncodeError6> {
        for opt in self {
            opt.encode_v6(out)?;
        }
        Ok(())
    }

    /// The options in DHCPv6 form, as a new buffer.
    pub fn to_v6_bytes(&self) -> Result<Vec<u8>, EncodeError6> {
        let mut out = Vec::with_capacity(self.encoded_len_v6());
        self.encode_v6(&mut out)?;
        Ok(out)
    }

    /// Wire length of [`Self::encode_v6`]'s output.
    pub fn encoded_len_v6(&self) -> usize {
        self.iter().map(Opt::encoded_len_v6).sum()
    }

    /// Orders the options by code, keeping the order of instances of one code: the order in
    /// which Kea 2.2 writes a DHCPv6 message's options (its option collection is a multimap
    /// keyed by code; checked on the wire: an ADVERTISE lists 1, 2, 3, 23, 24, 25, 31).
    pub fn sort_by_code(&mut self) {
        let mut all: Vec<Opt> = std::mem::take(self).into_iter().collect();
        all.sort_by_key(|o| o.code);
        *self = all.into();
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn walk_keeps_repeats_and_order() {
        let buf = [0, 23, 0, 2, 1, 2, 0, 14, 0, 0, 0, 23, 0, 1, 9];
        let list = parse_v6(&buf);
        assert_eq!(list.truncated, None);
        assert_eq!(
            list.options.as_slice(),
            &[Opt::new(23, [1, 2]), Opt::new(14, []), Opt::new(23, [9])]
        );
        assert_eq!(list.options.to_v6_bytes().unwrap(), buf);
        assert_eq!(list.options.encoded_len_v6(), buf.len());
    }

    #[test]
    fn truncation_is_reported_like_kea_ignores_it() {
        let list = parse_v6(&[0, 7, 0, 1, 5, 0, 23, 0, 40, 0x20, 0x01]);
        assert_eq!(list.options.as_slice(), &[Opt::new(7, [5])]);
        assert_eq!(
            list.truncated,
            Some(TruncatedTail {
                offset: 5,
                code: Some(23),
                len: Some(40),
                raw: vec![0, 23, 0, 40, 0x20, 0x01]
            })
        );
        let short = parse_v6(&[0, 7, 0, 0, 0, 23, 0]);
        let tail = short.truncated.unwrap();
        assert_eq!((tail.code, tail.len, tail.raw.len()), (Some(23), None, 3));
        let one = parse_v6(&[1]).truncated.unwrap();
        assert_eq!((one.code, one.len), (None, None));
        assert!(parse_v6_strict(&[0, 1, 0, 5]).is_err());
        assert!(parse_v6_strict(&[]).unwrap().is_empty());
    }

    #[test]
    fn sort_is_stable_by_code() {
        let mut o: Options = [
            Opt::new(31, [1]),
            Opt::new(3, [1]),
            Opt::new(1, []),
            Opt::new(3, [2]),
        ]
        .into_iter()
        .collect();
        o.sort_by_code();
        assert_eq!(
            o.as_slice(),
            &[
                Opt::new(1, []),
                Opt::new(3, [1]),
                Opt::new(3, [2]),
                Opt::new(31, [1])
            ]
        );
    }

    #[test]
    fn too_long_option_is_an_error() {
        let mut out = vec![];
        let err = Opt::new(17, vec![0; 65536]).encode_v6(&mut out);
        assert_eq!(
            err,
            Err(EncodeError6::OptionTooLong {
                code: 17,
                len: 65536
            })
        );
        assert!(out.is_empty());
        Opt::new(17, vec![0; 65535]).encode_v6(&mut out).unwrap();
        assert_eq!(&out[..4], &[0, 17, 0xff, 0xff]);
    }

    proptest! {
        #[test]
        fn round_trip(opts in prop::collection::vec((any::<u16>(), prop::collection::vec(any::<u8>(), 0..40)), 0..8)) {
            let options: Options = opts.into_iter().map(|(c, d)| Opt::new(c, d)).collect();
            let wire = options.to_v6_bytes().unwrap();
            let list = parse_v6(&wire);
            prop_assert_eq!(list.truncated, None);
            prop_assert_eq!(list.options, options);
        }

        #[test]
        fn arbitrary_bytes_never_panic(buf in prop::collection::vec(any::<u8>(), 0..64)) {
            let list = parse_v6(&buf);
            let used = list.options.encoded_len_v6();
            let tail = list.truncated.map_or(0, |t| t.raw.len());
            prop_assert_eq!(used + tail, buf.len());
        }
    }
}
