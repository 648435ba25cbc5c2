//! Vendor options: option 125 (V-I Vendor-Specific Information, RFC 3925 §4) with its
//! per-enterprise sub-options (space `vendor-<enterprise-id>`), option 124 (V-I Vendor Class,
//! RFC 3925 §3), and option 43 (Vendor-Specific Information, RFC 2132 §8.4), whose sub-options
//! are parsed late with a space chosen by classification.
//!
//! ARM: `dhcp4-srv.rst`, "DHCPv4 Vendor-Specific Options", "DHCPv4 Private Options".

use thiserror::Error;

use crate::codes::{DHO_VIVCO_SUBOPTIONS, DHO_VIVSO_SUBOPTIONS};
use crate::option::{Opt, OptionListError, Options, PadEnd, parse_suboptions_v4};

/// Why a vendor option cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VendorError {
    /// The data ends inside an enterprise block header or its data.
    #[error("vendor option truncated at offset {offset}")]
    Truncated {
        /// Offset of the block that does not fit.
        offset: usize,
    },
    /// The sub-options of one enterprise block are malformed.
    #[error("vendor {enterprise_id} sub-options: {source}")]
    SubOptions {
        /// The enterprise number.
        enterprise_id: u32,
        /// The TLV error.
        source: OptionListError,
    },
    /// Encoded sub-options of one vendor exceed 255 octets.
    #[error("vendor {enterprise_id} data is {len} octets, more than 255")]
    TooLong {
        /// The enterprise number.
        enterprise_id: u32,
        /// The data length.
        len: usize,
    },
}

/// One enterprise block of option 125.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VendorOption {
    /// IANA enterprise number (e.g. 4491 for CableLabs).
    pub enterprise_id: u32,
    /// Sub-options in the space `vendor-<enterprise_id>`.
    pub suboptions: Options,
}

/// One enterprise block of option 124: its vendor class data items.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VendorClass {
    /// IANA enterprise number.
    pub enterprise_id: u32,
    /// Vendor class data items (each an 8-bit length-prefixed string on the wire).
    pub data: Vec<Vec<u8>>,
}

/// Walks RFC 3925 enterprise blocks: `enterprise (4) | length (1) | data`.
fn blocks(data: &[u8]) -> impl Iterator<Item = Result<(u32, &[u8]), VendorError>> + '_ {
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= data.len() {
            return None;
        }
        let offset = pos;
        let Some(head) = data.get(pos..pos + 5) else {
            pos = data.len();
            return Some(Err(VendorError::Truncated { offset }));
        };
        let id = u32::from_be_bytes([head[0], head[1], head[2], head[3]]);
        let end = pos + 5 + usize::from(head[4]);
        let Some(body) = data.get(pos + 5..end) else {
            pos = data.len();
            return Some(Err(VendorError::Truncated { offset }));
        };
        pos = end;
        Some(Ok((id, body)))
    })
}

fn push_block(id: u32, body: &[u8], out: &mut Vec<u8>) -> Result<(), VendorError> {
    let len = u8::try_from(body.len()).map_err(|_| VendorError::TooLong {
        enterprise_id: id,
        len: body.len(),
    })?;
    out.extend_from_slice(&id.to_be_bytes());
    out.push(len);
    out.extend_from_slice(body);
    Ok(())
}

/// Parses option 125 data into its enterprise blocks (sub-options have no PAD/END).
pub fn parse_vivso(data: &[u8]) -> Result<Vec<VendorOption>, VendorError> {
    blocks(data)
        .map(|b| {
            let (enterprise_id, body) = b?;
            let suboptions = parse_suboptions_v4(body, PadEnd::Ordinary).map_err(|source| {
                VendorError::SubOptions {
                    enterprise_id,
                    source,
                }
            })?;
            Ok(VendorOption {
                enterprise_id,
                suboptions,
            })
        })
        .collect()
}

/// Builds one option 125 instance per vendor, as Kea sends them (one instance each).
pub fn encode_vivso(vendor: &VendorOption) -> Result<Opt, VendorError> {
    let mut body = Vec::new();
    vendor.suboptions.encode_v4(&mut body);
    let mut data = Vec::with_capacity(5 + body.len());
    push_block(vendor.enterprise_id, &body, &mut data)?;
    Ok(Opt::new(DHO_VIVSO_SUBOPTIONS, data))
}

/// Parses option 124 data into its enterprise blocks and their class data items.
pub fn parse_vivco(data: &[u8]) -> Result<Vec<VendorClass>, VendorError> {
    let mut out = Vec::new();
    let mut base = 0;
    for b in blocks(data) {
        let (enterprise_id, body) = b?;
        let mut items = Vec::new();
        let mut pos = 0;
        while let Some(&len) = body.get(pos) {
            let Some(item) = body.get(pos + 1..pos + 1 + usize::from(len)) else {
                return Err(VendorError::Truncated {
                    offset: base + 5 + pos,
                });
            };
            items.push(item.to_vec());
            pos += 1 + usize::from(len);
        }
        base += 5 + body.len();
        out.push(VendorClass {
            enterprise_id,
            data: items,
        });
    }
    Ok(out)
}

/// Builds an option 124 instance from vendor class blocks.
pub fn encode_vivco(classes: &[VendorClass]) -> Result<Opt, VendorError> {
    let mut data = Vec::new();
    for class in classes {
        let mut body = Vec::new();
        for item in &class.data {
            let len = u8::try_from(item.len()).map_err(|_| VendorError::TooLong {
                enterprise_id: class.enterprise_id,
                len: item.len(),
            })?;
            body.push(len);
            body.extend_from_slice(item);
        }
        push_block(class.enterprise_id, &body, &mut data)?;
    }
    Ok(Opt::new(DHO_VIVCO_SUBOPTIONS, data))
}

/// Parses option 43 data as sub-options. `pad_end` is [`PadEnd::Special`] unless the space in
/// use defines sub-option code 0 or 255 (ARM note in "DHCPv4 Private Options").
pub fn parse_vendor_encapsulated(data: &[u8], pad_end: PadEnd) -> Result<Options, OptionListError> {
    parse_suboptions_v4(data, pad_end)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    #[test]
    fn vivso_round_trip_and_docsis() {
        // Kea 2.2 OFFER bytes for vendor 4491 with tftp-servers 10.1.1.1.
        let wire = [0, 0, 0x11, 0x8b, 6, 2, 4, 10, 1, 1, 1];
        let v = parse_vivso(&wire).unwrap();
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].enterprise_id, 4491);
        assert_eq!(v[0].suboptions.data(2), Some(&[10, 1, 1, 1][..]));
        assert_eq!(encode_vivso(&v[0]).unwrap().data, wire.to_vec());
        let two = [0, 0, 0, 1, 0, 0, 0, 0, 2, 3, 1, 1, 9, 0, 0];
        let v = parse_vivso(&two[..13]).unwrap();
        assert_eq!(v[1].suboptions.data(1), Some(&[9][..]));
        assert_eq!((v[0].enterprise_id, v[1].enterprise_id), (1, 2));
        assert!(parse_vivso(&two).is_err());
        assert_eq!(
            parse_vivso(&[0, 0, 0]),
            Err(VendorError::Truncated { offset: 0 })
        );
    }

    #[test]
    fn vivco_items() {
        let classes = vec![VendorClass {
            enterprise_id: 4491,
            data: vec![b"docsis3.0".to_vec()],
        }];
        let opt = encode_vivco(&classes).unwrap();
        assert_eq!(parse_vivco(&opt.data).unwrap(), classes);
        assert!(parse_vivco(&[0, 0, 0, 1, 2, 5, 1]).is_err());
    }

    #[test]
    fn option43_pad_end() {
        let o = parse_vendor_encapsulated(&[1, 1, 5, 0, 255, 2, 1, 1], PadEnd::Special).unwrap();
        assert_eq!(o.len(), 1);
        let o = parse_vendor_encapsulated(&[0, 1, 5, 255, 0], PadEnd::Ordinary).unwrap();
        assert_eq!(o.len(), 2);
    }
}
