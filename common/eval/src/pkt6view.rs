//! [`Pkt6View`]: the DHCPv6 implementation of [`Packet`] over [`kea_dhcp::Pkt6`], its relay
//! layers and the receive metadata.
//!
//! ARM: `classify.rst`, "List of classification values" (`option[..]`, `relay6[nest]`,
//! `pkt6.*`, `vendor[..]`, `vendor-class[..]` for DHCPv6).

use std::borrow::Cow;
use std::net::{IpAddr, Ipv6Addr};

use kea_dhcp::codes6::{D6O_VENDOR_CLASS, D6O_VENDOR_OPTS};
use kea_dhcp::optdef::Universe;
use kea_dhcp::option6::parse_v6;
use kea_dhcp::{Pkt6, RelayMsg};

use crate::ast::{Pkt6Field, Relay6Field, Repr};
use crate::packet::Packet;

/// A DHCPv6 query with where it arrived, as expressions see it.
#[derive(Debug, Clone, Copy)]
pub struct Pkt6View<'a> {
    pkt: &'a Pkt6,
    iface: &'a str,
    src: IpAddr,
    dst: IpAddr,
}

impl<'a> Pkt6View<'a> {
    /// A view of `pkt` without metadata.
    pub fn new(pkt: &'a Pkt6) -> Self {
        Self {
            pkt,
            iface: "",
            src: IpAddr::V6(Ipv6Addr::UNSPECIFIED),
            dst: IpAddr::V6(Ipv6Addr::UNSPECIFIED),
        }
    }

    /// Adds `pkt.iface`, `pkt.src` and `pkt.dst`.
    pub fn with_metadata(mut self, iface: &'a str, src: IpAddr, dst: IpAddr) -> Self {
        self.iface = iface;
        self.src = src;
        self.dst = dst;
        self
    }

    /// The relay layer `nest`: 0 is the one closest to the server, negative values count
    /// from the client (-1 is the closest to the client), as classify.rst says.
    fn relay(&self, nest: i8) -> Option<&'a RelayMsg> {
        let layers = &self.pkt.relay_info;
        let i = if nest >= 0 {
            usize::try_from(nest).ok()?
        } else {
            layers.len().checked_sub(usize::from(nest.unsigned_abs()))?
        };
        layers.get(i)
    }
}

/// `.text` of a DHCPv6 option: its octets as they are (KEA-DIFF: Kea formats by option
/// definition; string options, the common case in expressions, read the same).
fn present(data: &[u8], repr: Repr) -> Cow<'_, [u8]> {
    match repr {
        Repr::Hex | Repr::Text => Cow::Borrowed(data),
    }
}

fn find_sub(data: &[u8], code: u16) -> Option<Vec<u8>> {
    parse_v6(data).options.data(code).map(<[u8]>::to_vec)
}

impl Packet for Pkt6View<'_> {
    fn universe(&self) -> Universe {
        Universe::V6
    }

    fn option(&self, code: u16, repr: Repr) -> Option<Cow<'_, [u8]>> {
        self.pkt.options.data(code).map(|d| present(d, repr))
    }

    fn sub_option(&self, code: u16, sub: u16, repr: Repr) -> Option<Cow<'_, [u8]>> {
        let data = self.pkt.options.data(code)?;
        let found = find_sub(data, sub)?;
        Some(match repr {
            Repr::Hex | Repr::Text => Cow::Owned(found),
        })
    }

    fn relay6_option(&self, nest: i8, code: u16, repr: Repr) -> Option<Cow<'_, [u8]>> {
        let r = self.relay(nest)?;
        r.options.data(code).map(|d| present(d, repr))
    }

    fn relay6_field(&self, nest: i8, field: Relay6Field) -> Option<Ipv6Addr> {
        let r = self.relay(nest)?;
        Some(match field {
            Relay6Field::PeerAddr => r.peer_addr,
            Relay6Field::LinkAddr => r.link_addr,
        })
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

    fn len(&self) -> u32 {
        let n = 4 + self.pkt.options.encoded_len_v6();
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    fn pkt6_field(&self, field: Pkt6Field) -> Option<u32> {
        Some(match field {
            Pkt6Field::MsgType => u32::from(self.pkt.msg_type),
            Pkt6Field::TransId => self.pkt.transid,
        })
    }

    fn vendor_enterprise(&self) -> Option<u32> {
        let d = self.pkt.options.data(D6O_VENDOR_OPTS)?;
        Some(u32::from_be_bytes(d.get(..4)?.try_into().ok()?))
    }

    fn vendor_option(&self, code: u16, repr: Repr) -> Option<Cow<'_, [u8]>> {
        let d = self.pkt.options.data(D6O_VENDOR_OPTS)?;
        let found = find_sub(d.get(4..)?, code)?;
        Some(match repr {
            Repr::Hex | Repr::Text => Cow::Owned(found),
        })
    }

    fn vendor_class_enterprise(&self) -> Option<u32> {
        let d = self.pkt.options.data(D6O_VENDOR_CLASS)?;
        Some(u32::from_be_bytes(d.get(..4)?.try_into().ok()?))
    }

    /// Option 16: enterprise id, then items each with a 2-octet length (RFC 8415 §21.16).
    fn vendor_class_data(&self, index: usize) -> Option<&[u8]> {
        let d = self.pkt.options.data(D6O_VENDOR_CLASS)?;
        let mut rest = d.get(4..)?;
        let mut i = 0;
        while rest.len() >= 2 {
            let len = usize::from(u16::from_be_bytes([rest[0], rest[1]]));
            let item = rest.get(2..2 + len)?;
            if i == index {
                return Some(item);
            }
            rest = &rest[2 + len..];
            i += 1;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Expression, ParseContext};
    use kea_dhcp::Opt;

    fn relayed() -> Pkt6 {
        let mut p = Pkt6::new(1, 0x123456);
        p.options
            .insert(Opt::new(1, vec![0, 3, 0, 1, 1, 2, 3, 4, 5, 6]));
        p.relay_info.push(RelayMsg {
            msg_type: 12,
            hop_count: 0,
            link_addr: "2001:db8::1".parse().unwrap(),
            peer_addr: "fe80::1".parse().unwrap(),
            options: [Opt::new(18, b"eth0".to_vec())].into_iter().collect(),
        });
        p
    }

    fn eval(text: &str, p: &Pkt6) -> bool {
        let e = Expression::parse_bool(text, &ParseContext::v6()).unwrap();
        e.evaluate_bool(&Pkt6View::new(p), &Vec::<String>::new())
            .unwrap()
    }

    #[test]
    fn dhcpv6_accessors() {
        let p = relayed();
        assert!(eval("option[1].exists", &p));
        assert!(!eval("option[2].exists", &p));
        assert!(eval("relay6[0].option[18].hex == 'eth0'", &p));
        assert!(eval("relay6[-1].linkaddr == 2001:db8::1", &p));
        assert!(eval("pkt6.msgtype == 1", &p));
        assert!(!eval("relay6[1].option[18].exists", &p));
    }
}
