//! What the evaluator reads from a packet: the [`Packet`] trait (protocol-neutral accessors
//! returning borrowed octets where the packet has them) and [`Pkt4View`], its DHCPv4
//! implementation over [`kea_dhcp::Pkt4`] plus the receive metadata (`pkt.iface/src/dst`).
//! A DHCPv6 packet implements the same trait (the `relay6` and `pkt6` accessors) without any
//! change to the parser or the evaluator.
//!
//! ARM: `classify.rst`, "List of classification values" and its notes on options,
//! sub-options, `relay4`, `relay6`, `vendor` and `vendor-class`.

use std::borrow::Cow;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use kea_dhcp::codes::{
    DHO_DHCP_AGENT_OPTIONS, DHO_DHCP_MESSAGE_TYPE, DHO_VIVCO_SUBOPTIONS, DHO_VIVSO_SUBOPTIONS,
};
use kea_dhcp::optdef::{OptionDefinition, Universe, std_v4_def_by_code};
use kea_dhcp::pkt4::DHCPV4_PKT_HDR_LEN;
use kea_dhcp::{Options, Pkt4};

use crate::ast::{Pkt6Field, Relay6Field, Repr};
use crate::optext;

/// A received packet as the evaluator sees it. Accessors of the other protocol keep their
/// default (absent); the parser already rejects them by universe.
pub trait Packet {
    /// DHCPv4 or DHCPv6.
    fn universe(&self) -> Universe;

    /// The first instance of top-level option `code`, as payload (`Hex`) or Kea's text.
    fn option(&self, code: u16, repr: Repr) -> Option<Cow<'_, [u8]>>;

    /// Sub-option `sub` of the top-level option `code` (when that option carries
    /// sub-options).
    fn sub_option(&self, code: u16, sub: u16, repr: Repr) -> Option<Cow<'_, [u8]>>;

    /// DHCPv4: sub-option `code` of the relay agent information option (82).
    fn relay4_option(&self, code: u16, repr: Repr) -> Option<Cow<'_, [u8]>> {
        let _ = (code, repr);
        None
    }

    /// DHCPv6: option `code` of the relay at `nest` (0 nearest the server, -1 nearest the
    /// client).
    fn relay6_option(&self, nest: i8, code: u16, repr: Repr) -> Option<Cow<'_, [u8]>> {
        let _ = (nest, code, repr);
        None
    }

    /// DHCPv6: peer or link address of the relay at `nest`.
    fn relay6_field(&self, nest: i8, field: Relay6Field) -> Option<Ipv6Addr> {
        let _ = (nest, field);
        None
    }

    /// Name of the interface the packet came in on.
    fn iface(&self) -> &str;

    /// Source address.
    fn src(&self) -> IpAddr;

    /// Destination address.
    fn dst(&self) -> IpAddr;

    /// Packet length as Kea computes it.
    fn len(&self) -> u32;

    /// True when [`Self::len`] is zero (never for a real packet).
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The DHCPv4 message (for `pkt4.*`), when this is one.
    fn pkt4(&self) -> Option<&Pkt4> {
        None
    }

    /// DHCPv6 `msg-type` or `transaction-id`, when this is a DHCPv6 message.
    fn pkt6_field(&self, field: Pkt6Field) -> Option<u32> {
        let _ = field;
        None
    }

    /// Enterprise id of the first vendor-specific option (v4: 125, v6: 17).
    fn vendor_enterprise(&self) -> Option<u32>;

    /// Sub-option `code` of the first vendor-specific option.
    fn vendor_option(&self, code: u16, repr: Repr) -> Option<Cow<'_, [u8]>>;

    /// Enterprise id of the first vendor class option (v4: 124, v6: 16).
    fn vendor_class_enterprise(&self) -> Option<u32>;

    /// Data chunk `index` of the first vendor class option.
    fn vendor_class_data(&self, index: usize) -> Option<&[u8]>;
}

/// How to find option definitions (code to definition) for `.text` and for knowing which
/// options carry sub-options: the standard ones, or the configuration's as well.
pub type DefLookup<'a> = &'a dyn Fn(u16) -> Option<&'a OptionDefinition>;

/// A DHCPv4 packet with its receive metadata.
#[derive(Clone, Copy)]
pub struct Pkt4View<'a> {
    pkt: &'a Pkt4,
    iface: &'a str,
    src: IpAddr,
    dst: IpAddr,
    defs: Option<DefLookup<'a>>,
}

impl std::fmt::Debug for Pkt4View<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pkt4View")
            .field("xid", &self.pkt.xid)
            .field("iface", &self.iface)
            .field("src", &self.src)
            .field("dst", &self.dst)
            .finish()
    }
}

impl<'a> Pkt4View<'a> {
    /// A view of `pkt` with no metadata (empty interface name, unspecified addresses).
    pub fn new(pkt: &'a Pkt4) -> Self {
        Self {
            pkt,
            iface: "",
            src: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            dst: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            defs: None,
        }
    }

    /// Sets the receiving interface and the source and destination addresses.
    pub fn with_metadata(mut self, iface: &'a str, src: IpAddr, dst: IpAddr) -> Self {
        self.iface = iface;
        self.src = src;
        self.dst = dst;
        self
    }

    /// Uses `defs` (standard plus custom `option-def`s) instead of the standard table.
    pub fn with_option_defs(mut self, defs: DefLookup<'a>) -> Self {
        self.defs = Some(defs);
        self
    }

    fn def(&self, code: u16) -> Option<&'a OptionDefinition> {
        match self.defs {
            Some(lookup) => lookup(code),
            None => std_v4_def_by_code(code),
        }
    }

    /// True when option `code` is unpacked with sub-options: option 82 always, otherwise
    /// when its definition encapsulates a space.
    fn has_suboptions(&self, code: u16) -> bool {
        code == DHO_DHCP_AGENT_OPTIONS || self.def(code).is_some_and(|d| !d.encapsulate.is_empty())
    }
}

/// Sub-option `code` in a DHCPv4 TLV list (RFC 3396 §6: repeated codes are concatenated).
/// `pad_end`: 0 and 255 are PAD and END (not for RAI and vendor data).
pub(crate) fn find_tlv_v4(data: &[u8], code: u16, pad_end: bool) -> Option<Cow<'_, [u8]>> {
    let mut found: Option<Cow<'_, [u8]>> = None;
    let mut pos = 0;
    while let Some(&c) = data.get(pos) {
        if pad_end && c == 0 {
            pos += 1;
            continue;
        }
        if pad_end && c == 255 {
            break;
        }
        let len = usize::from(*data.get(pos + 1)?);
        let body = data.get(pos + 2..pos + 2 + len)?;
        if u16::from(c) == code {
            found = Some(match found {
                None => Cow::Borrowed(body),
                Some(prev) => {
                    let mut v = prev.into_owned();
                    v.extend_from_slice(body);
                    Cow::Owned(v)
                }
            });
        }
        pos += 2 + len;
    }
    found
}

/// The first enterprise block of option 124/125 data: (enterprise id, block data).
fn first_vendor_block(data: &[u8]) -> Option<(u32, &[u8])> {
    let head = data.get(..5)?;
    let id = u32::from_be_bytes([head[0], head[1], head[2], head[3]]);
    let body = data.get(5..5 + usize::from(head[4]))?;
    Some((id, body))
}

fn present<'a>(data: Option<Cow<'a, [u8]>>, repr: Repr, code: u16) -> Option<Cow<'a, [u8]>> {
    let data = data?;
    Some(match repr {
        Repr::Hex => data,
        Repr::Text => Cow::Owned(optext::generic_v4(code, &data).into_bytes()),
    })
}

impl Packet for Pkt4View<'_> {
    fn universe(&self) -> Universe {
        Universe::V4
    }

    fn option(&self, code: u16, repr: Repr) -> Option<Cow<'_, [u8]>> {
        let data = self.pkt.options.data(code)?;
        Some(match repr {
            Repr::Hex => Cow::Borrowed(data),
            Repr::Text => {
                let subs = self
                    .has_suboptions(code)
                    .then_some(code != DHO_DHCP_AGENT_OPTIONS);
                optext::option_text_v4(code, data, self.def(code), subs)
            }
        })
    }

    fn sub_option(&self, code: u16, sub: u16, repr: Repr) -> Option<Cow<'_, [u8]>> {
        if !self.has_suboptions(code) {
            return None;
        }
        let data = self.pkt.options.data(code)?;
        let pad_end = code != DHO_DHCP_AGENT_OPTIONS;
        present(find_tlv_v4(data, sub, pad_end), repr, sub)
    }

    fn relay4_option(&self, code: u16, repr: Repr) -> Option<Cow<'_, [u8]>> {
        let data = self.pkt.options.data(DHO_DHCP_AGENT_OPTIONS)?;
        present(find_tlv_v4(data, code, false), repr, code)
    }

    fn iface(&self) -> &str {
        self.iface
    }

    fn src(&self) -> IpAddr {
        self.src
    }

    fn dst(&self) -> IpAddr {
        self.dst
    }

    /// Kea's `Pkt4::len()`: the fixed header plus the options as they would be sent (no
    /// magic cookie, no END; checked on Kea 2.2: 236 + options).
    fn len(&self) -> u32 {
        let n = DHCPV4_PKT_HDR_LEN + encoded_len(&self.pkt.options);
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    fn pkt4(&self) -> Option<&Pkt4> {
        Some(self.pkt)
    }

    fn vendor_enterprise(&self) -> Option<u32> {
        let data = self.pkt.options.data(DHO_VIVSO_SUBOPTIONS)?;
        first_vendor_block(data).map(|(id, _)| id)
    }

    fn vendor_option(&self, code: u16, repr: Repr) -> Option<Cow<'_, [u8]>> {
        let data = self.pkt.options.data(DHO_VIVSO_SUBOPTIONS)?;
        let (_, body) = first_vendor_block(data)?;
        present(find_tlv_v4(body, code, false), repr, code)
    }

    fn vendor_class_enterprise(&self) -> Option<u32> {
        let data = self.pkt.options.data(DHO_VIVCO_SUBOPTIONS)?;
        let id = data.get(..4)?;
        Some(u32::from_be_bytes([id[0], id[1], id[2], id[3]]))
    }

    /// Kea 2.2 reads option 124 as the enterprise id followed by length-prefixed data
    /// items up to the end of the option (checked on Kea 2.2: a block `4491, 10,
    /// [9, "docsis3.0"]` gives data[0] = `\x09docsis3.0`).
    fn vendor_class_data(&self, index: usize) -> Option<&[u8]> {
        let data = self.pkt.options.data(DHO_VIVCO_SUBOPTIONS)?;
        let mut rest = data.get(4..)?;
        let mut i = 0;
        while let Some((&len, tail)) = rest.split_first() {
            let chunk = tail.get(..usize::from(len))?;
            if i == index {
                return Some(chunk);
            }
            rest = &tail[usize::from(len)..];
            i += 1;
        }
        None
    }
}

/// Encoded length of the options, the message type included.
fn encoded_len(options: &Options) -> usize {
    options.encoded_len_v4()
}

/// Option 53's value, 0 when absent (Kea's `DHCP_NOTYPE`).
pub(crate) fn msg_type_v4(pkt: &Pkt4) -> u32 {
    pkt.options
        .data(DHO_DHCP_MESSAGE_TYPE)
        .and_then(|d| d.first())
        .map_or(0, |&v| u32::from(v))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use kea_dhcp::{MessageType, Opt};

    #[test]
    fn tlv_search_borrows_and_fuses() {
        let data = [1, 2, b'a', b'b', 2, 1, 9, 1, 1, b'c'];
        assert_eq!(find_tlv_v4(&data, 2, false).unwrap().as_ref(), &[9]);
        let fused = find_tlv_v4(&data, 1, false).unwrap();
        assert_eq!(fused.as_ref(), b"abc");
        assert!(matches!(
            find_tlv_v4(&data, 2, false),
            Some(Cow::Borrowed(_))
        ));
        assert_eq!(find_tlv_v4(&data, 7, false), None);
        // truncated list: nothing past the damage
        assert_eq!(find_tlv_v4(&[1, 5, 0], 1, false), None);
        assert_eq!(find_tlv_v4(&[0, 255, 1, 1, 1], 1, true), None);
        assert_eq!(
            find_tlv_v4(&[0, 1, 7, 255, 1, 1], 255, false)
                .unwrap()
                .as_ref(),
            &[1]
        );
    }

    #[test]
    fn vendor_blocks() {
        let mut p = Pkt4::new(1, MessageType::Discover, 1);
        // 124: enterprise 4491, then items "docsis3.0" and "x" as Kea 2.2 reads them
        let mut vc = vec![0, 0, 0x11, 0x8b, 9];
        vc.extend_from_slice(b"docsis3.0");
        vc.extend_from_slice(&[1, b'x']);
        p.options.insert(Opt::new(DHO_VIVCO_SUBOPTIONS, vc));
        p.options.insert(Opt::new(
            DHO_VIVSO_SUBOPTIONS,
            vec![0, 0, 0x11, 0x8b, 4, 1, 2, 0xaa, 0xbb],
        ));
        let v = Pkt4View::new(&p);
        assert_eq!(v.vendor_class_enterprise(), Some(4491));
        assert_eq!(v.vendor_class_data(0), Some(&b"docsis3.0"[..]));
        assert_eq!(v.vendor_class_data(1), Some(&b"x"[..]));
        assert_eq!(v.vendor_class_data(2), None);
        assert_eq!(v.vendor_enterprise(), Some(4491));
        assert_eq!(
            v.vendor_option(1, Repr::Hex).unwrap().as_ref(),
            &[0xaa, 0xbb]
        );
        assert_eq!(v.vendor_option(2, Repr::Hex), None);
    }

    #[test]
    fn length_is_kea_computed_length() {
        let p = Pkt4::new(1, MessageType::Discover, 1);
        // 236 header + 3 (option 53)
        assert_eq!(Pkt4View::new(&p).len(), 239);
    }
}
