//! Helpers shared by the test modules: parsing shorthands and a minimal DHCPv6 packet that
//! implements [`Packet`] (kea-dhcp has no `Pkt6` yet; this one shows the trait carries v6).

use std::borrow::Cow;
use std::net::{IpAddr, Ipv6Addr};

use kea_eval::ast::{Pkt6Field, Relay6Field, Repr};
use kea_eval::{ClassSet, Expression, Packet, ParseContext, Universe};

/// Parses a v4 `test` or panics with the error.
pub fn v4(text: &str) -> Expression {
    Expression::parse_bool(text, &ParseContext::v4()).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// Parses a v6 `test` or panics with the error.
pub fn v6(text: &str) -> Expression {
    Expression::parse_bool(text, &ParseContext::v6()).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// Evaluates a v4 boolean expression.
pub fn eval4<P: Packet, C: ClassSet + ?Sized>(text: &str, pkt: &P, classes: &C) -> bool {
    v4(text)
        .evaluate_bool(pkt, classes)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// Evaluates a v4 string expression.
pub fn string4<P: Packet>(text: &str, pkt: &P) -> Vec<u8> {
    let e = Expression::parse_string(text, &ParseContext::v4())
        .unwrap_or_else(|e| panic!("{text}: {e}"));
    e.evaluate_string(pkt, &[] as &[&str; 0])
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .into_owned()
}

/// One relay encapsulation (RFC 8415 §9).
pub struct Relay6 {
    pub link: Ipv6Addr,
    pub peer: Ipv6Addr,
    pub options: Vec<(u16, Vec<u8>)>,
}

/// A DHCPv6 message reduced to what expressions read.
pub struct FakePkt6 {
    pub msg_type: u8,
    pub transid: u32,
    pub options: Vec<(u16, Vec<u8>)>,
    /// Relays, index 0 nearest the server.
    pub relays: Vec<Relay6>,
}

fn first(options: &[(u16, Vec<u8>)], code: u16) -> Option<&[u8]> {
    options
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, d)| d.as_slice())
}

impl FakePkt6 {
    fn relay(&self, nest: i8) -> Option<&Relay6> {
        let n = self.relays.len() as i64;
        let i = if nest < 0 {
            n + i64::from(nest)
        } else {
            i64::from(nest)
        };
        usize::try_from(i).ok().and_then(|i| self.relays.get(i))
    }
}

impl Packet for FakePkt6 {
    fn universe(&self) -> Universe {
        Universe::V6
    }
    fn option(&self, code: u16, _repr: Repr) -> Option<Cow<'_, [u8]>> {
        first(&self.options, code).map(Cow::Borrowed)
    }
    fn sub_option(&self, _code: u16, _sub: u16, _repr: Repr) -> Option<Cow<'_, [u8]>> {
        None
    }
    fn relay6_option(&self, nest: i8, code: u16, _repr: Repr) -> Option<Cow<'_, [u8]>> {
        first(&self.relay(nest)?.options, code).map(Cow::Borrowed)
    }
    fn relay6_field(&self, nest: i8, field: Relay6Field) -> Option<Ipv6Addr> {
        let r = self.relay(nest)?;
        Some(match field {
            Relay6Field::PeerAddr => r.peer,
            Relay6Field::LinkAddr => r.link,
        })
    }
    fn iface(&self) -> &str {
        "eth0"
    }
    fn src(&self) -> IpAddr {
        IpAddr::V6(Ipv6Addr::LOCALHOST)
    }
    fn dst(&self) -> IpAddr {
        IpAddr::V6(Ipv6Addr::LOCALHOST)
    }
    fn len(&self) -> u32 {
        4
    }
    fn pkt6_field(&self, field: Pkt6Field) -> Option<u32> {
        Some(match field {
            Pkt6Field::MsgType => u32::from(self.msg_type),
            Pkt6Field::TransId => self.transid,
        })
    }
    fn vendor_enterprise(&self) -> Option<u32> {
        None
    }
    fn vendor_option(&self, _code: u16, _repr: Repr) -> Option<Cow<'_, [u8]>> {
        None
    }
    fn vendor_class_enterprise(&self) -> Option<u32> {
        None
    }
    fn vendor_class_data(&self, _index: usize) -> Option<&[u8]> {
        None
    }
}
