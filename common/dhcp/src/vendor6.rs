//! DHCPv6 vendor options: vendor class (16, RFC 8415 §21.16: an enterprise number and opaque
//! items with two-octet lengths) and vendor-specific information (17, RFC 8415 §21.17: an
//! enterprise number and sub-options in the space `vendor-<enterprise-id>`), plus the ISC
//! vendor sub-options that carry the DHCPv4-over-DHCPv6 IPC fields between Kea's servers.
//!
//! Acceptance follows Kea 2.2 (checked on the wire): a vendor class needs its enterprise
//! number and whole items; a vendor option shorter than its enterprise number ends the option
//! list it is in (handled by [`crate::pkt6`]); a sub-option list ending inside an option is
//! read up to there.
//!
//! ARM: `dhcp6-srv.rst`, "DHCPv6 Vendor-Specific Options", "DHCPv4-over-DHCPv6: DHCPv6 Side".

use std::net::Ipv6Addr;

use thiserror::Error;

use crate::codes6::{
    D6O_VENDOR_CLASS, D6O_VENDOR_OPTS, ENTERPRISE_ID_ISC, ISC_V6_4O6_INTERFACE,
    ISC_V6_4O6_SRC_ADDRESS, ISC_V6_4O6_SRC_PORT,
};
use crate::option::{Opt, Options};
use crate::option6::{EncodeError6, parse_v6};

/// Why a DHCPv6 vendor option cannot be read or written.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Vendor6Error {
    /// Shorter than the four-octet enterprise number.
    #[error("vendor option {code} is {len} octets, shorter than its enterprise number")]
    NoEnterprise {
        /// The option code (16 or 17).
        code: u16,
        /// Its data length.
        len: usize,
    },
    /// A vendor class item whose length runs past the end of the option.
    #[error("vendor class item at offset {offset} is truncated")]
    TruncatedItem {
        /// Offset of the item's length field.
        offset: usize,
    },
    /// A vendor class item longer than 65535 octets.
    #[error("vendor class item is {len} octets, more than 65535")]
    ItemTooLong {
        /// The item length.
        len: usize,
    },
    /// Sub-options that cannot be encoded.
    #[error(transparent)]
    Encode(#[from] EncodeError6),
    /// An ISC 4o6 sub-option that is missing or malformed.
    #[error("ISC 4o6 sub-option {code} is missing or malformed")]
    Bad4o6 {
        /// The sub-option code.
        code: u16,
    },
}

fn enterprise(code: u16, data: &[u8]) -> Result<u32, Vendor6Error> {
    match data {
        [a, b, c, d, ..] => Ok(u32::from_be_bytes([*a, *b, *c, *d])),
        _ => Err(Vendor6Error::NoEnterprise {
            code,
            len: data.len(),
        }),
    }
}

/// Option 16: the vendor class data of one enterprise.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VendorClass6 {
    /// IANA enterprise number.
    pub enterprise_id: u32,
    /// The opaque vendor class items, in order.
    pub data: Vec<Vec<u8>>,
}

impl VendorClass6 {
    /// Reads option 16's data.
    pub fn parse(data: &[u8]) -> Result<Self, Vendor6Error> {
        let enterprise_id = enterprise(D6O_VENDOR_CLASS, data)?;
        let mut items = Vec::new();
        let mut pos = 4;
        while pos < data.len() {
            let len = data
                .get(pos..pos + 2)
                .map(|l| usize::from(u16::from_be_bytes([l[0], l[1]])))
                .ok_or(Vendor6Error::TruncatedItem { offset: pos })?;
            let item = data
                .get(pos + 2..pos + 2 + len)
                .ok_or(Vendor6Error::TruncatedItem { offset: pos })?;
            items.push(item.to_vec());
            pos += 2 + len;
        }
        Ok(Self {
            enterprise_id,
            data: items,
        })
    }

    /// The whole option (code 16).
    pub fn to_opt(&self) -> Result<Opt, Vendor6Error> {
        let mut out = self.enterprise_id.to_be_bytes().to_vec();
        for item in &self.data {
            let len = u16::try_from(item.len())
                .map_err(|_| Vendor6Error::ItemTooLong { len: item.len() })?;
            out.extend_from_slice(&len.to_be_bytes());
            out.extend_from_slice(item);
        }
        Ok(Opt::new(D6O_VENDOR_CLASS, out))
    }
}

/// Option 17: one enterprise's vendor-specific sub-options.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VendorOpts6 {
    /// IANA enterprise number (e.g. 4491 for CableLabs, 2495 for ISC).
    pub enterprise_id: u32,
    /// Sub-options in the space `vendor-<enterprise_id>`, in wire order.
    pub options: Options,
}

impl VendorOpts6 {
    /// A vendor option with no sub-options.
    pub fn new(enterprise_id: u32) -> Self {
        Self {
            enterprise_id,
            options: Options::new(),
        }
    }

    /// Reads option 17's data; sub-options are read up to a truncated one, as Kea does.
    pub fn parse(data: &[u8]) -> Result<Self, Vendor6Error> {
        let enterprise_id = enterprise(D6O_VENDOR_OPTS, data)?;
        Ok(Self {
            enterprise_id,
            options: parse_v6(&data[4..]).options,
        })
    }

    /// The whole option (code 17).
    pub fn to_opt(&self) -> Result<Opt, Vendor6Error> {
        let mut out = self.enterprise_id.to_be_bytes().to_vec();
        self.options.encode_v6(&mut out)?;
        Ok(Opt::new(D6O_VENDOR_OPTS, out))
    }
}

/// The 4o6 IPC fields a DHCPv6 server attaches (in an ISC option 17) to a DHCPV4-QUERY it
/// forwards to the DHCPv4 server, and finds again in the DHCPV4-RESPONSE (INVENTORY §13).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Isc4o6 {
    /// Name of the interface the query arrived on (sub-option 60000).
    pub interface: String,
    /// IPv6 source address of the query (sub-option 60001).
    pub src_addr: Ipv6Addr,
    /// UDP source port of the query (sub-option 60002).
    pub src_port: u16,
}

impl Isc4o6 {
    /// The ISC vendor option (17, enterprise 2495) carrying these fields.
    pub fn to_opt(&self) -> Result<Opt, Vendor6Error> {
        let mut v = VendorOpts6::new(ENTERPRISE_ID_ISC);
        v.options
            .insert(Opt::new(ISC_V6_4O6_INTERFACE, self.interface.as_bytes()));
        v.options
            .insert(Opt::new(ISC_V6_4O6_SRC_ADDRESS, self.src_addr.octets()));
        v.options
            .insert(Opt::new(ISC_V6_4O6_SRC_PORT, self.src_port.to_be_bytes()));
        v.to_opt()
    }

    /// Reads the fields from an ISC vendor option's sub-options.
    pub fn from_vendor(v: &VendorOpts6) -> Result<Self, Vendor6Error> {
        let bad = |code| Vendor6Error::Bad4o6 { code };
        let interface = v
            .options
            .data(ISC_V6_4O6_INTERFACE)
            .ok_or(bad(ISC_V6_4O6_INTERFACE))?;
        let addr: [u8; 16] = v
            .options
            .data(ISC_V6_4O6_SRC_ADDRESS)
            .and_then(|d| d.try_into().ok())
            .ok_or(bad(ISC_V6_4O6_SRC_ADDRESS))?;
        let port: [u8; 2] = v
            .options
            .data(ISC_V6_4O6_SRC_PORT)
            .and_then(|d| d.try_into().ok())
            .ok_or(bad(ISC_V6_4O6_SRC_PORT))?;
        Ok(Self {
            interface: String::from_utf8_lossy(interface).into_owned(),
            src_addr: Ipv6Addr::from(addr),
            src_port: u16::from_be_bytes(port),
        })
    }

    /// Finds the ISC vendor option among `options` and reads the fields.
    pub fn find(options: &Options) -> Option<Self> {
        options
            .get_all(D6O_VENDOR_OPTS)
            .filter_map(|o| VendorOpts6::parse(&o.data).ok())
            .find(|v| v.enterprise_id == ENTERPRISE_ID_ISC)
            .and_then(|v| Self::from_vendor(&v).ok())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn vendor_class_like_kea() {
        let vc = VendorClass6::parse(&[0, 0, 0, 1, 0, 2, b'a', b'b']).unwrap();
        assert_eq!(vc.enterprise_id, 1);
        assert_eq!(vc.data, [b"ab".to_vec()]);
        assert_eq!(vc.to_opt().unwrap().data, [0, 0, 0, 1, 0, 2, b'a', b'b']);
        assert!(VendorClass6::parse(&[0, 0, 0, 1]).unwrap().data.is_empty());
        assert_eq!(
            VendorClass6::parse(&[0, 0, 0, 1, 0, 0]).unwrap().data,
            [Vec::<u8>::new()]
        );
        // Kea 2.2 drops these packets.
        assert!(VendorClass6::parse(&[0, 0, 1]).is_err());
        assert!(VendorClass6::parse(&[0, 0, 0, 1, 0]).is_err());
        assert!(VendorClass6::parse(&[0, 0, 0, 1, 0, 9, b'a', b'b']).is_err());
    }

    #[test]
    fn vendor_opts_and_4o6() {
        let ipc = Isc4o6 {
            interface: "eth0".into(),
            src_addr: "fe80::1".parse().unwrap(),
            src_port: 546,
        };
        let opt = ipc.to_opt().unwrap();
        let v = VendorOpts6::parse(&opt.data).unwrap();
        assert_eq!(v.enterprise_id, ENTERPRISE_ID_ISC);
        assert_eq!(v.options.len(), 3);
        assert_eq!(Isc4o6::from_vendor(&v).unwrap(), ipc);
        let mut opts = Options::new();
        opts.insert(VendorOpts6::new(4491).to_opt().unwrap());
        opts.insert(opt);
        assert_eq!(Isc4o6::find(&opts), Some(ipc));
        assert!(VendorOpts6::parse(&[0, 0]).is_err());
        let trunc = VendorOpts6::parse(&[0, 0, 0, 1, 0, 1, 0, 5, b'a']).unwrap();
        assert!(trunc.options.is_empty());
        assert_eq!(
            Isc4o6::from_vendor(&VendorOpts6::new(ENTERPRISE_ID_ISC)),
            Err(Vendor6Error::Bad4o6 {
                code: ISC_V6_4O6_INTERFACE
            })
        );
    }

    proptest! {
        #[test]
        fn round_trips(id: u32, items in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..10), 0..4),
                       subs in prop::collection::vec((any::<u16>(), prop::collection::vec(any::<u8>(), 0..10)), 0..4)) {
            let vc = VendorClass6 { enterprise_id: id, data: items };
            prop_assert_eq!(VendorClass6::parse(&vc.to_opt().unwrap().data).unwrap(), vc);
            let vo = VendorOpts6 { enterprise_id: id, options: subs.into_iter().map(|(c, d)| Opt::new(c, d)).collect() };
            prop_assert_eq!(VendorOpts6::parse(&vo.to_opt().unwrap().data).unwrap(), vo);
        }

        #[test]
        fn never_panic(data in prop::collection::vec(any::<u8>(), 0..30)) {
            let _ = VendorClass6::parse(&data);
            let _ = VendorOpts6::parse(&data);
        }
    }
}
