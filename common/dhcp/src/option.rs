//! Options as raw bytes: [`Opt`] (one option instance, code plus data exactly as on the wire or
//! as configured) and [`Options`] (an ordered multimap of them), plus the DHCPv4 TLV codec
//! shared by packets and encapsulated spaces (RFC 2132 §2, RFC 3396 long options).
//!
//! Typed meaning comes from option definitions ([`crate::optdef`]); nothing here interprets
//! data, so no information is ever lost.
//!
//! ARM: `dhcp4-srv.rst`, "Support for Long Options" and "Nested DHCPv4 Options".

use thiserror::Error;

/// RFC 2132 §3.1: the pad option, one octet, no length.
pub const DHO_PAD: u8 = 0;
/// RFC 2132 §3.2: the end option, one octet, no length.
pub const DHO_END: u8 = 255;
/// RFC 3396 §4: when splitting a long option, Kea puts 253 octets in each fragment (checked on
/// the wire with Kea 2.2: a 280-octet option went out as 253 + 27).
pub const KEA_V4_SPLIT_CHUNK: usize = 253;

/// One option instance: its code and its raw data (without code and length octets).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Opt {
    /// Option code (DHCPv4 codes fit in the low octet).
    pub code: u16,
    /// Raw option data.
    pub data: Vec<u8>,
}

impl Opt {
    /// An option with the given code and data.
    pub fn new(code: u16, data: impl Into<Vec<u8>>) -> Self {
        Self {
            code,
            data: data.into(),
        }
    }

    /// Appends this option in DHCPv4 form (code, length, data), split into several instances
    /// of the same code when the data is longer than 255 octets (RFC 3396 §5). An option with
    /// empty data is written with length 0.
    pub fn encode_v4(&self, out: &mut Vec<u8>) {
        // DHCPv4 codes are one octet; a larger code cannot appear in a v4 space.
        let code = (self.code & 0xff) as u8;
        if self.data.len() <= 255 {
            out.push(code);
            out.push(self.data.len() as u8);
            out.extend_from_slice(&self.data);
            return;
        }
        for chunk in self.data.chunks(KEA_V4_SPLIT_CHUNK) {
            out.push(code);
            // chunks() yields at most KEA_V4_SPLIT_CHUNK (253) octets.
            out.push(chunk.len() as u8);
            out.extend_from_slice(chunk);
        }
    }

    /// Wire length in DHCPv4 form, including split headers.
    pub fn encoded_len_v4(&self) -> usize {
        if self.data.len() <= 255 {
            2 + self.data.len()
        } else {
            self.data.len() + 2 * self.data.len().div_ceil(KEA_V4_SPLIT_CHUNK)
        }
    }
}

/// An ordered collection of options; several instances of one code are allowed (Kea's
/// `OptionCollection`, but keeping insertion order).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Options(Vec<Opt>);

impl Options {
    /// An empty collection.
    pub const fn new() -> Self {
        Self(Vec::new())
    }

    /// An empty collection with room for `n` options.
    pub fn with_capacity(n: usize) -> Self {
        Self(Vec::with_capacity(n))
    }

    /// Number of option instances.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there is no option.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// All instances in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Opt> {
        self.0.iter()
    }

    /// All instances in order, as a slice.
    pub fn as_slice(&self) -> &[Opt] {
        &self.0
    }

    /// The first instance with this code.
    pub fn get(&self, code: u16) -> Option<&Opt> {
        self.0.iter().find(|o| o.code == code)
    }

    /// The first instance with this code, mutably.
    pub fn get_mut(&mut self, code: u16) -> Option<&mut Opt> {
        self.0.iter_mut().find(|o| o.code == code)
    }

    /// Data of the first instance with this code.
    pub fn data(&self, code: u16) -> Option<&[u8]> {
        self.get(code).map(|o| o.data.as_slice())
    }

    /// Every instance with this code, in order.
    pub fn get_all(&self, code: u16) -> impl Iterator<Item = &Opt> + '_ {
        self.0.iter().filter(move |o| o.code == code)
    }

    /// True when at least one instance has this code.
    pub fn contains(&self, code: u16) -> bool {
        self.0.iter().any(|o| o.code == code)
    }

    /// Appends an instance (existing instances of the code are kept).
    pub fn insert(&mut self, opt: Opt) {
        self.0.push(opt);
    }

    /// Replaces every instance of the code by `opt`, at the position of the first one (or at
    /// the end when the code was absent).
    pub fn set(&mut self, opt: Opt) {
        match self.0.iter().position(|o| o.code == opt.code) {
            Some(i) => {
                let code = opt.code;
                self.0[i] = opt;
                let mut seen = 0usize;
                self.0.retain(|o| {
                    if o.code != code {
                        return true;
                    }
                    seen += 1;
                    seen == 1
                });
            }
            None => self.0.push(opt),
        }
    }

    /// Removes every instance of the code; returns how many were removed.
    pub fn remove(&mut self, code: u16) -> usize {
        let before = self.0.len();
        self.0.retain(|o| o.code != code);
        before - self.0.len()
    }

    /// Removes everything.
    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// Appends every option in DHCPv4 form, in collection order, long options split.
    pub fn encode_v4(&self, out: &mut Vec<u8>) {
        for opt in &self.0 {
            opt.encode_v4(out);
        }
    }

    /// Wire length of [`Self::encode_v4`]'s output.
    pub fn encoded_len_v4(&self) -> usize {
        self.0.iter().map(Opt::encoded_len_v4).sum()
    }

    /// Appends `data` to the first instance of `code`, or inserts a new instance: the RFC 3396
    /// §6 concatenation of split options.
    pub(crate) fn append_fused(&mut self, code: u16, data: &[u8]) {
        match self.get_mut(code) {
            Some(o) => o.data.extend_from_slice(data),
            None => self.0.push(Opt::new(code, data)),
        }
    }
}

impl From<Vec<Opt>> for Options {
    fn from(v: Vec<Opt>) -> Self {
        Self(v)
    }
}

impl FromIterator<Opt> for Options {
    fn from_iter<I: IntoIterator<Item = Opt>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

impl IntoIterator for Options {
    type Item = Opt;
    type IntoIter = std::vec::IntoIter<Opt>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Options {
    type Item = &'a Opt;
    type IntoIter = std::slice::Iter<'a, Opt>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl Extend<Opt> for Options {
    fn extend<I: IntoIterator<Item = Opt>>(&mut self, iter: I) {
        self.0.extend(iter);
    }
}

/// A DHCPv4 option list that cannot be read to its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum OptionListError {
    /// A code octet at the end of the buffer without its length octet.
    #[error("option {code} at offset {offset} has no length octet")]
    MissingLength {
        /// The option code.
        code: u8,
        /// Offset of the code octet.
        offset: usize,
    },
    /// An option whose length runs past the end of the buffer.
    #[error("option {code} at offset {offset} claims {len} octets, {available} available")]
    Overrun {
        /// The option code.
        code: u8,
        /// Offset of the code octet.
        offset: usize,
        /// Length octet value.
        len: u8,
        /// Octets left after the length octet.
        available: usize,
    },
}

/// How PAD (0) and END (255) octets are treated while walking a DHCPv4 TLV list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PadEnd {
    /// 0 is one-octet padding and 255 ends the list (top level, option 43 by default).
    Special,
    /// 0 and 255 are ordinary codes (RAI sub-options, option 125 data, or option 43 when a
    /// definition uses those codes: ARM note in "DHCPv4 Private Options").
    Ordinary,
}

/// Result of walking a TLV list: where it stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListEnd {
    /// An END octet was found at this offset.
    End(usize),
    /// The buffer was consumed exactly.
    Exhausted,
}

/// Walks a DHCPv4 TLV list, appending each option to `out` and concatenating repeated codes
/// (RFC 3396 §6). Allocation: one `Vec` per distinct code, nothing else.
pub fn parse_v4_into(
    buf: &[u8],
    pad_end: PadEnd,
    out: &mut Options,
) -> Result<ListEnd, OptionListError> {
    let mut pos = 0;
    while let Some(&code) = buf.get(pos) {
        if pad_end == PadEnd::Special {
            if code == DHO_PAD {
                pos += 1;
                continue;
            }
            if code == DHO_END {
                return Ok(ListEnd::End(pos));
            }
        }
        let Some(&len) = buf.get(pos + 1) else {
            return Err(OptionListError::MissingLength { code, offset: pos });
        };
        let start = pos + 2;
        let end = start + usize::from(len);
        let Some(data) = buf.get(start..end) else {
            return Err(OptionListError::Overrun {
                code,
                offset: pos,
                len,
                available: buf.len().saturating_sub(start),
            });
        };
        out.append_fused(u16::from(code), data);
        pos = end;
    }
    Ok(ListEnd::Exhausted)
}

/// Parses the sub-options carried in an encapsulating option's data (RAI, option 43 and
/// custom spaces). Split sub-options are concatenated, as the ARM says Kea does.
pub fn parse_suboptions_v4(data: &[u8], pad_end: PadEnd) -> Result<Options, OptionListError> {
    let mut out = Options::new();
    parse_v4_into(data, pad_end, &mut out)?;
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    #[test]
    fn multimap_operations() {
        let mut o = Options::new();
        o.insert(Opt::new(3, [1, 2, 3, 4]));
        o.insert(Opt::new(6, [8, 8, 8, 8]));
        o.insert(Opt::new(3, [5, 6, 7, 8]));
        assert_eq!(o.get_all(3).count(), 2);
        assert_eq!(o.data(3), Some(&[1, 2, 3, 4][..]));
        assert!(o.contains(6));
        o.set(Opt::new(3, [9]));
        assert_eq!(o.as_slice(), &[Opt::new(3, [9]), Opt::new(6, [8, 8, 8, 8])]);
        assert_eq!(o.remove(3), 1);
        assert_eq!(o.remove(3), 0);
        assert_eq!(o.len(), 1);
        o.set(Opt::new(7, []));
        assert_eq!(o.as_slice()[1].code, 7);
    }

    #[test]
    fn long_option_is_split_like_kea() {
        let opt = Opt::new(240, vec![b'A'; 280]);
        let mut out = Vec::new();
        opt.encode_v4(&mut out);
        assert_eq!(out.len(), opt.encoded_len_v4());
        assert_eq!(&out[..2], &[240, 253]);
        assert_eq!(&out[255..257], &[240, 27]);
        let parsed = parse_suboptions_v4(&out, PadEnd::Special).unwrap();
        assert_eq!(parsed.as_slice(), &[opt]);
        let mut exact = Vec::new();
        Opt::new(1, vec![0; 255]).encode_v4(&mut exact);
        assert_eq!(exact.len(), 257, "255 octets still fit one instance");
    }

    #[test]
    fn tlv_walk_pad_end_and_errors() {
        let mut o = Options::new();
        let end = parse_v4_into(&[0, 0, 1, 1, 7, 255, 9, 9], PadEnd::Special, &mut o).unwrap();
        assert_eq!(end, ListEnd::End(5));
        assert_eq!(o.as_slice(), &[Opt::new(1, [7])]);
        let ordinary = parse_suboptions_v4(&[0, 1, 5, 255, 0], PadEnd::Ordinary).unwrap();
        assert_eq!(ordinary.as_slice(), &[Opt::new(0, [5]), Opt::new(255, [])]);
        assert_eq!(
            parse_suboptions_v4(&[1, 1, 3, 4], PadEnd::Special),
            Err(OptionListError::MissingLength { code: 4, offset: 3 })
        );
        assert_eq!(
            parse_suboptions_v4(&[1, 5, 3], PadEnd::Special),
            Err(OptionListError::Overrun {
                code: 1,
                offset: 0,
                len: 5,
                available: 1
            })
        );
    }
}
