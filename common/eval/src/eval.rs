//! The evaluator: walks a parsed tree over a [`Packet`] and a [`ClassSet`]. Values borrow
//! from the expression or the packet where they can and keep short integers and addresses
//! inline, so a typical `test` allocates nothing.
//!
//! Every operand is evaluated, as Kea's postfix evaluation does, so an operand that fails
//! (e.g. `addrtotext` of 3 octets) fails the whole expression even where `and`/`or`/`ifelse`
//! would not need its value.
//!
//! ARM: `classify.rst`, "Using Expressions in Classification" and the sections on each
//! operator.

use std::borrow::Cow;
use std::fmt::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::ast::{
    BoolExpr, IntArg, IntToText, Pkt4Field, PktMetadata, Repr, StrExpr, SubstringLen,
};
use crate::classes::ClassSet;
use crate::error::EvalError;
use crate::packet::{Packet, msg_type_v4};

/// A string value during evaluation.
#[derive(Debug, Clone)]
pub(crate) enum Val<'a> {
    /// Octets owned by the expression or the packet.
    Borrowed(&'a [u8]),
    /// Up to 16 octets kept inline (integers, addresses).
    Inline { buf: [u8; 16], len: u8 },
    /// Computed octets.
    Owned(Vec<u8>),
}

impl<'a> Val<'a> {
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            Val::Borrowed(b) => b,
            Val::Inline { buf, len } => &buf[..usize::from(*len)],
            Val::Owned(v) => v,
        }
    }

    fn inline(bytes: &[u8]) -> Self {
        let mut buf = [0u8; 16];
        let len = bytes.len().min(16);
        buf[..len].copy_from_slice(&bytes[..len]);
        // len is at most 16.
        Val::Inline {
            buf,
            len: len as u8,
        }
    }

    fn uint32(v: u32) -> Self {
        Self::inline(&v.to_be_bytes())
    }

    fn addr(a: IpAddr) -> Self {
        match a {
            IpAddr::V4(a) => Self::inline(&a.octets()),
            IpAddr::V6(a) => Self::inline(&a.octets()),
        }
    }

    fn from_cow(c: Option<Cow<'a, [u8]>>) -> Self {
        match c {
            None => Val::Borrowed(&[]),
            Some(Cow::Borrowed(b)) => Val::Borrowed(b),
            Some(Cow::Owned(v)) => Val::Owned(v),
        }
    }

    /// The octets `[start, start + len)` (already checked to be in range).
    fn slice(self, start: usize, len: usize) -> Self {
        match self {
            Val::Borrowed(b) => Val::Borrowed(&b[start..start + len]),
            Val::Inline { buf, .. } => Self::inline(&buf[start..start + len]),
            Val::Owned(mut v) => {
                v.truncate(start + len);
                v.drain(..start);
                Val::Owned(v)
            }
        }
    }

    pub(crate) fn into_cow(self) -> Cow<'a, [u8]> {
        match self {
            Val::Borrowed(b) => Cow::Borrowed(b),
            Val::Inline { buf, len } => Cow::Owned(buf[..usize::from(len)].to_vec()),
            Val::Owned(v) => Cow::Owned(v),
        }
    }
}

/// Evaluation state: the packet and the classes so far.
pub(crate) struct Evaluator<'a, P: Packet + ?Sized, C: ClassSet + ?Sized> {
    pub(crate) pkt: &'a P,
    pub(crate) classes: &'a C,
}

impl<'a, P: Packet + ?Sized, C: ClassSet + ?Sized> Evaluator<'a, P, C> {
    pub(crate) fn eval_bool(&self, e: &'a BoolExpr) -> Result<bool, EvalError> {
        Ok(match e {
            BoolExpr::Not(a) => !self.eval_bool(a)?,
            BoolExpr::And(a, b) => {
                let (a, b) = (self.eval_bool(a)?, self.eval_bool(b)?);
                a && b
            }
            BoolExpr::Or(a, b) => {
                let (a, b) = (self.eval_bool(a)?, self.eval_bool(b)?);
                a || b
            }
            BoolExpr::Equal(a, b) => {
                let a = self.eval_str(a)?;
                let b = self.eval_str(b)?;
                a.as_bytes() == b.as_bytes()
            }
            BoolExpr::OptionExists { code } => self.pkt.option(*code, Repr::Hex).is_some(),
            BoolExpr::SubOptionExists { code, sub } => {
                self.pkt.sub_option(*code, *sub, Repr::Hex).is_some()
            }
            BoolExpr::Relay4Exists { code } => {
                self.pkt4_only()?;
                self.pkt.relay4_option(*code, Repr::Hex).is_some()
            }
            BoolExpr::Relay6OptionExists { nest, code } => {
                self.pkt6_only()?;
                self.pkt.relay6_option(*nest, *code, Repr::Hex).is_some()
            }
            BoolExpr::VendorExists { enterprise } => self.vendor_matches(*enterprise),
            BoolExpr::VendorOptionExists { enterprise, code } => {
                self.vendor_matches(*enterprise)
                    && self.pkt.vendor_option(*code, Repr::Hex).is_some()
            }
            BoolExpr::VendorClassExists { enterprise } => self
                .pkt
                .vendor_class_enterprise()
                .is_some_and(|id| *enterprise == 0 || id == *enterprise),
            BoolExpr::Member(name) => self.classes.contains_class(name),
        })
    }

    /// The first vendor option exists and has this enterprise id (0 matches any).
    fn vendor_matches(&self, enterprise: u32) -> bool {
        self.pkt
            .vendor_enterprise()
            .is_some_and(|id| enterprise == 0 || id == enterprise)
    }

    fn pkt4_only(&self) -> Result<(), EvalError> {
        match self.pkt.universe() {
            kea_dhcp::optdef::Universe::V4 => Ok(()),
            kea_dhcp::optdef::Universe::V6 => Err(EvalError::WrongPacket { expected: "a Pkt4" }),
        }
    }

    fn pkt6_only(&self) -> Result<(), EvalError> {
        match self.pkt.universe() {
            kea_dhcp::optdef::Universe::V6 => Ok(()),
            kea_dhcp::optdef::Universe::V4 => Err(EvalError::WrongPacket { expected: "Pkt6" }),
        }
    }

    pub(crate) fn eval_str(&self, e: &'a StrExpr) -> Result<Val<'a>, EvalError> {
        let pkt = self.pkt;
        Ok(match e {
            StrExpr::Literal(v) => Val::Borrowed(v),
            StrExpr::Option { code, repr } => Val::from_cow(pkt.option(*code, *repr)),
            StrExpr::SubOption { code, sub, repr } => {
                Val::from_cow(pkt.sub_option(*code, *sub, *repr))
            }
            StrExpr::Relay4 { code, repr } => {
                self.pkt4_only()?;
                Val::from_cow(pkt.relay4_option(*code, *repr))
            }
            StrExpr::Relay6Option { nest, code, repr } => {
                self.pkt6_only()?;
                Val::from_cow(pkt.relay6_option(*nest, *code, *repr))
            }
            StrExpr::Relay6Field { nest, field } => {
                self.pkt6_only()?;
                match pkt.relay6_field(*nest, *field) {
                    Some(a) => Val::addr(IpAddr::V6(a)),
                    None => Val::Borrowed(&[]),
                }
            }
            StrExpr::Pkt(m) => match m {
                PktMetadata::Iface => Val::Borrowed(pkt.iface().as_bytes()),
                PktMetadata::Src => Val::addr(pkt.src()),
                PktMetadata::Dst => Val::addr(pkt.dst()),
                PktMetadata::Len => Val::uint32(pkt.len()),
            },
            StrExpr::Pkt4(f) => {
                let p4 = pkt
                    .pkt4()
                    .ok_or(EvalError::WrongPacket { expected: "a Pkt4" })?;
                match f {
                    Pkt4Field::Mac => {
                        let n = usize::from(p4.hlen).min(p4.chaddr.len());
                        Val::Borrowed(&p4.chaddr[..n])
                    }
                    Pkt4Field::Hlen => {
                        let n = usize::from(p4.hlen).min(p4.chaddr.len());
                        Val::uint32(n as u32)
                    }
                    Pkt4Field::Htype => Val::uint32(u32::from(p4.htype)),
                    Pkt4Field::Ciaddr => Val::addr(IpAddr::V4(p4.ciaddr)),
                    Pkt4Field::Giaddr => Val::addr(IpAddr::V4(p4.giaddr)),
                    Pkt4Field::Yiaddr => Val::addr(IpAddr::V4(p4.yiaddr)),
                    Pkt4Field::Siaddr => Val::addr(IpAddr::V4(p4.siaddr)),
                    Pkt4Field::MsgType => Val::uint32(msg_type_v4(p4)),
                    Pkt4Field::TransId => Val::uint32(p4.xid),
                }
            }
            StrExpr::Pkt6(f) => {
                self.pkt6_only()?;
                let v = pkt
                    .pkt6_field(*f)
                    .ok_or(EvalError::WrongPacket { expected: "Pkt6" })?;
                Val::uint32(v)
            }
            StrExpr::VendorEnterprise => match pkt.vendor_enterprise() {
                Some(id) => Val::uint32(id),
                None => Val::Borrowed(&[]),
            },
            StrExpr::VendorOption {
                enterprise,
                code,
                repr,
            } => {
                if self.vendor_matches(*enterprise) {
                    Val::from_cow(pkt.vendor_option(*code, *repr))
                } else {
                    Val::Borrowed(&[])
                }
            }
            StrExpr::VendorClassEnterprise => match pkt.vendor_class_enterprise() {
                Some(id) => Val::uint32(id),
                None => Val::Borrowed(&[]),
            },
            StrExpr::VendorClassData { enterprise, index } => {
                let matches = pkt
                    .vendor_class_enterprise()
                    .is_some_and(|id| *enterprise == 0 || id == *enterprise);
                match pkt.vendor_class_data(usize::from(*index)) {
                    Some(d) if matches => Val::Borrowed(d),
                    _ => Val::Borrowed(&[]),
                }
            }
            StrExpr::Substring(s, start, len) => {
                let s = self.eval_str(s)?;
                substring(s, start, len)?
            }
            StrExpr::Split(s, delims, field) => {
                let s = self.eval_str(s)?;
                let d = self.eval_str(delims)?;
                split(s, d.as_bytes(), field)?
            }
            StrExpr::Concat(a, b) => {
                let a = self.eval_str(a)?;
                let b = self.eval_str(b)?;
                concat(a, b)
            }
            StrExpr::IfElse(c, a, b) => {
                let c = self.eval_bool(c)?;
                let a = self.eval_str(a)?;
                let b = self.eval_str(b)?;
                if c { a } else { b }
            }
            StrExpr::HexString(s, sep) => {
                let s = self.eval_str(s)?;
                let sep = self.eval_str(sep)?;
                Val::Owned(hexstring(s.as_bytes(), sep.as_bytes()))
            }
            StrExpr::AddrToText(s) => {
                let s = self.eval_str(s)?;
                addr_to_text(s.as_bytes())?
            }
            StrExpr::IntToText(kind, s) => {
                let s = self.eval_str(s)?;
                int_to_text(*kind, s.as_bytes())?
            }
            StrExpr::Lcase(s) => {
                let s = self.eval_str(s)?;
                change_case(s, false)
            }
            StrExpr::Ucase(s) => {
                let s = self.eval_str(s)?;
                change_case(s, true)
            }
        })
    }
}

fn int_value(arg: &IntArg, what: &'static str) -> Result<i64, EvalError> {
    arg.value
        .map(i64::from)
        .ok_or_else(|| EvalError::NotAnInteger {
            text: arg.text.clone(),
            what,
        })
}

/// ARM "Substring": `start` counts from 0 (negative: from the end); a negative `length`
/// takes the octets before `start`; out-of-range starts give an empty string.
fn substring<'a>(s: Val<'a>, start: &IntArg, len: &SubstringLen) -> Result<Val<'a>, EvalError> {
    let size = s.as_bytes().len() as i64;
    if size == 0 {
        return Ok(Val::Borrowed(&[]));
    }
    let mut start = int_value(start, "the starting position of the substring")?;
    let mut len = match len {
        SubstringLen::All => size,
        SubstringLen::Count(n) => int_value(n, "the length of the substring")?,
    };
    if start < -size || start >= size {
        return Ok(Val::Borrowed(&[]));
    }
    if start < 0 {
        start += size;
    }
    if len < 0 {
        len = -len;
        if len <= start {
            start -= len;
        } else {
            len = start;
            start = 0;
        }
    }
    let len = len.min(size - start);
    // 0 <= start < size and 0 <= len <= size - start here.
    Ok(s.slice(start as usize, len as usize))
}

/// ARM "Split": fields separated by any delimiter octet, numbered from 1; adjacent
/// delimiters give empty fields.
fn split<'a>(s: Val<'a>, delims: &[u8], field: &IntArg) -> Result<Val<'a>, EvalError> {
    if s.as_bytes().is_empty() {
        return Ok(s);
    }
    let n = int_value(field, "the field field for split")?;
    if delims.is_empty() {
        return Ok(s);
    }
    if n < 1 {
        return Ok(Val::Borrowed(&[]));
    }
    let bytes = s.as_bytes();
    let mut range = None;
    let (mut start, mut index) = (0, 1);
    for (i, b) in bytes.iter().enumerate() {
        if delims.contains(b) {
            if index == n {
                range = Some((start, i));
                break;
            }
            index += 1;
            start = i + 1;
        }
    }
    if range.is_none() && index == n {
        range = Some((start, bytes.len()));
    }
    match range {
        Some((from, to)) => Ok(s.slice(from, to - from)),
        None => Ok(Val::Borrowed(&[])),
    }
}

fn concat<'a>(a: Val<'a>, b: Val<'a>) -> Val<'a> {
    if b.as_bytes().is_empty() {
        return a;
    }
    if a.as_bytes().is_empty() {
        return b;
    }
    let mut v = Vec::with_capacity(a.as_bytes().len() + b.as_bytes().len());
    v.extend_from_slice(a.as_bytes());
    v.extend_from_slice(b.as_bytes());
    Val::Owned(v)
}

/// Lower-case hex digit pairs joined by `sep` (Kea 2.2 prints lower case).
fn hexstring(bytes: &[u8], sep: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() * (2 + sep.len()));
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(sep);
        }
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        out.push(DIGITS[usize::from(b >> 4)]);
        out.push(DIGITS[usize::from(b & 0x0f)]);
    }
    out
}

fn addr_to_text(bytes: &[u8]) -> Result<Val<'static>, EvalError> {
    let text = match bytes.len() {
        0 => return Ok(Val::Borrowed(&[])),
        4 => Ipv4Addr::new(bytes[0], bytes[1], bytes[2], bytes[3]).to_string(),
        16 => {
            let mut o = [0u8; 16];
            o.copy_from_slice(bytes);
            Ipv6Addr::from(o).to_string()
        }
        len => return Err(EvalError::AddressLength { len }),
    };
    Ok(Val::Owned(text.into_bytes()))
}

fn int_to_text(kind: IntToText, bytes: &[u8]) -> Result<Val<'static>, EvalError> {
    if bytes.is_empty() {
        return Ok(Val::Borrowed(&[]));
    }
    if bytes.len() != kind.width() {
        return Err(EvalError::IntegerLength {
            type_name: kind.type_name(),
            len: bytes.len(),
        });
    }
    let u = bytes.iter().fold(0u32, |acc, &b| acc << 8 | u32::from(b));
    let mut out = String::with_capacity(11);
    let _ = match kind {
        IntToText::Int8 => write!(out, "{}", u as u8 as i8),
        IntToText::Int16 => write!(out, "{}", u as u16 as i16),
        IntToText::Int32 => write!(out, "{}", u as i32),
        IntToText::Uint8 | IntToText::Uint16 | IntToText::Uint32 => write!(out, "{u}"),
    };
    Ok(Val::Owned(out.into_bytes()))
}

/// ASCII case change; values already in the wanted case stay borrowed.
fn change_case(s: Val<'_>, upper: bool) -> Val<'_> {
    let needs = s.as_bytes().iter().any(|b| {
        if upper {
            b.is_ascii_lowercase()
        } else {
            b.is_ascii_uppercase()
        }
    });
    if !needs {
        return s;
    }
    let mut v = s.as_bytes().to_vec();
    if upper {
        v.make_ascii_uppercase();
    } else {
        v.make_ascii_lowercase();
    }
    Val::Owned(v)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    fn sub(s: &str, start: i32, len: Option<i32>) -> String {
        let start = IntArg::new(&start.to_string());
        let len = match len {
            Some(n) => SubstringLen::Count(IntArg::new(&n.to_string())),
            None => SubstringLen::All,
        };
        let v = substring(Val::Borrowed(s.as_bytes()), &start, &len).unwrap();
        String::from_utf8(v.as_bytes().to_vec()).unwrap()
    }

    #[test]
    fn substring_rules() {
        assert_eq!(sub("foobar", 0, Some(6)), "foobar");
        assert_eq!(sub("foobar", -6, Some(1)), "f");
        assert_eq!(sub("foobar", -7, Some(1)), "");
        assert_eq!(sub("foobar", 5, Some(100)), "r");
        assert_eq!(sub("foobar", 2, Some(-5)), "fo");
        assert_eq!(sub("", 0, None), "");
        assert_eq!(sub("foobar", 0, Some(0)), "");
        let big = SubstringLen::Count(IntArg::new("99999999999"));
        assert!(matches!(
            substring(Val::Borrowed(b"abc"), &IntArg::new("0"), &big),
            Err(EvalError::NotAnInteger { .. })
        ));
    }

    #[test]
    fn inline_and_owned_slices() {
        let v = Val::uint32(0x01020304).slice(1, 2);
        assert_eq!(v.as_bytes(), &[2, 3]);
        let v = Val::Owned(b"abcdef".to_vec()).slice(2, 3);
        assert_eq!(v.as_bytes(), b"cde");
    }

    #[test]
    fn conversions() {
        assert_eq!(
            int_to_text(IntToText::Int8, &[0xff]).unwrap().as_bytes(),
            b"-1"
        );
        assert_eq!(
            int_to_text(IntToText::Uint8, &[0xff]).unwrap().as_bytes(),
            b"255"
        );
        assert_eq!(
            int_to_text(IntToText::Int16, &[0xff, 0xfe])
                .unwrap()
                .as_bytes(),
            b"-2"
        );
        assert_eq!(
            int_to_text(IntToText::Uint32, &[0xff; 4])
                .unwrap()
                .as_bytes(),
            b"4294967295"
        );
        assert_eq!(int_to_text(IntToText::Int32, &[]).unwrap().as_bytes(), b"");
        assert_eq!(
            int_to_text(IntToText::Int16, &[1]).unwrap_err().to_string(),
            "Can not convert to valid int16."
        );
        assert_eq!(
            addr_to_text(&[192, 10, 0, 1]).unwrap().as_bytes(),
            b"192.10.0.1"
        );
        assert!(addr_to_text(&[1, 2, 3]).is_err());
        assert_eq!(hexstring(b"foo", b"-"), b"66-6f-6f");
        assert_eq!(hexstring(b"", b"-"), b"");
    }
}
