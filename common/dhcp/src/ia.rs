//! Identity associations and what they carry: IA_NA (3), IA_TA (4), IA_PD (25), IAADDR (5),
//! IAPREFIX (26) and STATUS_CODE (13), as typed views over raw [`Opt`] data (RFC 8415
//! §21.4–21.6, §21.13, §21.21, §21.22).
//!
//! Each view keeps its sub-options as raw [`Options`]. A sub-option list that ends inside an
//! option is read as Kea reads it (the complete sub-options are kept, the rest is ignored);
//! [`crate::pkt6::Pkt6::decode`] reports such a tail.
//!
//! ARM: `dhcp6-srv.rst`, "IPv6 Subnet Selection", "Subnet and Prefix Delegation Pools".

use std::net::Ipv6Addr;

use thiserror::Error;

use crate::codes6::{D6O_IA_NA, D6O_IA_PD, D6O_IA_TA, D6O_IAADDR, D6O_IAPREFIX, D6O_STATUS_CODE};
use crate::option::{Opt, Options};
use crate::option6::{EncodeError6, parse_v6};

/// Fixed part of an IA_NA or IA_PD: IAID, T1, T2.
pub const IA_NA_FIXED_LEN: usize = 12;
/// Fixed part of an IA_TA: IAID.
pub const IA_TA_FIXED_LEN: usize = 4;
/// Fixed part of an IAADDR: address, preferred and valid lifetimes.
pub const IAADDR_FIXED_LEN: usize = 24;
/// Fixed part of an IAPREFIX: lifetimes, prefix length, prefix.
pub const IAPREFIX_FIXED_LEN: usize = 25;

/// Why an IA-related option cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum IaError {
    /// The data is shorter than the option's fixed fields.
    #[error("option {code} is {len} octets, needs at least {need}")]
    TooShort {
        /// The option code.
        code: u16,
        /// Its data length.
        len: usize,
        /// Octets of its fixed fields.
        need: usize,
    },
    /// An IAPREFIX prefix length above 128.
    #[error("IAPREFIX prefix length {len} is greater than 128")]
    BadPrefixLen {
        /// The prefix length found.
        len: u8,
    },
}

/// The message text of a STATUS_CODE is UTF-8 (RFC 8415 §21.13); invalid octets are replaced.
fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn need(code: u16, data: &[u8], need: usize) -> Result<(), IaError> {
    if data.len() < need {
        return Err(IaError::TooShort {
            code,
            len: data.len(),
            need,
        });
    }
    Ok(())
}

fn be32(d: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([d[at], d[at + 1], d[at + 2], d[at + 3]])
}

fn addr(d: &[u8], at: usize) -> Ipv6Addr {
    let mut o = [0u8; 16];
    o.copy_from_slice(&d[at..at + 16]);
    Ipv6Addr::from(o)
}

/// IA_NA (RFC 8415 §21.4) or IA_PD (§21.21): they share the same layout.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Ia {
    /// Identity association identifier, chosen by the client.
    pub iaid: u32,
    /// T1: when the client should renew, in seconds.
    pub t1: u32,
    /// T2: when the client should rebind, in seconds.
    pub t2: u32,
    /// IAADDR / IAPREFIX / STATUS_CODE and any other sub-options, in wire order.
    pub options: Options,
}

impl Ia {
    /// A new IA with no sub-options.
    pub fn new(iaid: u32, t1: u32, t2: u32) -> Self {
        Self {
            iaid,
            t1,
            t2,
            options: Options::new(),
        }
    }

    /// Reads the data of an IA_NA or IA_PD (`code` names which, for errors).
    pub fn parse(code: u16, data: &[u8]) -> Result<Self, IaError> {
        need(code, data, IA_NA_FIXED_LEN)?;
        Ok(Self {
            iaid: be32(data, 0),
            t1: be32(data, 4),
            t2: be32(data, 8),
            options: parse_v6(&data[IA_NA_FIXED_LEN..]).options,
        })
    }

    /// The option data (fixed fields, then sub-options).
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError6> {
        let mut out = Vec::with_capacity(IA_NA_FIXED_LEN + self.options.encoded_len_v6());
        out.extend_from_slice(&self.iaid.to_be_bytes());
        out.extend_from_slice(&self.t1.to_be_bytes());
        out.extend_from_slice(&self.t2.to_be_bytes());
        self.options.encode_v6(&mut out)?;
        Ok(out)
    }

    /// The whole option as an IA_NA (3).
    pub fn to_ia_na(&self) -> Result<Opt, EncodeError6> {
        Ok(Opt::new(D6O_IA_NA, self.encode()?))
    }

    /// The whole option as an IA_PD (25).
    pub fn to_ia_pd(&self) -> Result<Opt, EncodeError6> {
        Ok(Opt::new(D6O_IA_PD, self.encode()?))
    }

    /// The IAADDR sub-options that can be read, in order.
    pub fn addresses(&self) -> impl Iterator<Item = IaAddr> + '_ {
        self.options
            .get_all(D6O_IAADDR)
            .filter_map(|o| IaAddr::parse(&o.data).ok())
    }

    /// The IAPREFIX sub-options that can be read, in order.
    pub fn prefixes(&self) -> impl Iterator<Item = IaPrefix> + '_ {
        self.options
            .get_all(D6O_IAPREFIX)
            .filter_map(|o| IaPrefix::parse(&o.data).ok())
    }

    /// The IA's STATUS_CODE sub-option, when present and readable.
    pub fn status(&self) -> Option<StatusCode> {
        self.options
            .data(D6O_STATUS_CODE)
            .and_then(|d| StatusCode::parse(d).ok())
    }
}

/// IA_TA (RFC 8415 §21.5): an IAID and sub-options, no timers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IaTa {
    /// Identity association identifier.
    pub iaid: u32,
    /// IAADDR / STATUS_CODE sub-options, in wire order.
    pub options: Options,
}

impl IaTa {
    /// Reads the data of an IA_TA.
    pub fn parse(data: &[u8]) -> Result<Self, IaError> {
        need(D6O_IA_TA, data, IA_TA_FIXED_LEN)?;
        Ok(Self {
            iaid: be32(data, 0),
            options: parse_v6(&data[IA_TA_FIXED_LEN..]).options,
        })
    }

    /// The whole option (code 4).
    pub fn to_opt(&self) -> Result<Opt, EncodeError6> {
        let mut out = Vec::with_capacity(IA_TA_FIXED_LEN + self.options.encoded_len_v6());
        out.extend_from_slice(&self.iaid.to_be_bytes());
        self.options.encode_v6(&mut out)?;
        Ok(Opt::new(D6O_IA_TA, out))
    }
}

/// IAADDR (RFC 8415 §21.6): one address of an IA_NA or IA_TA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IaAddr {
    /// The leased address.
    pub addr: Ipv6Addr,
    /// Preferred lifetime, in seconds.
    pub preferred_lifetime: u32,
    /// Valid lifetime, in seconds.
    pub valid_lifetime: u32,
    /// Sub-options (usually a STATUS_CODE).
    pub options: Options,
}

impl IaAddr {
    /// A new IAADDR with no sub-options.
    pub fn new(addr: Ipv6Addr, preferred_lifetime: u32, valid_lifetime: u32) -> Self {
        Self {
            addr,
            preferred_lifetime,
            valid_lifetime,
            options: Options::new(),
        }
    }

    /// Reads the data of an IAADDR.
    pub fn parse(data: &[u8]) -> Result<Self, IaError> {
        need(D6O_IAADDR, data, IAADDR_FIXED_LEN)?;
        Ok(Self {
            addr: addr(data, 0),
            preferred_lifetime: be32(data, 16),
            valid_lifetime: be32(data, 20),
            options: parse_v6(&data[IAADDR_FIXED_LEN..]).options,
        })
    }

    /// The whole option (code 5).
    pub fn to_opt(&self) -> Result<Opt, EncodeError6> {
        let mut out = Vec::with_capacity(IAADDR_FIXED_LEN + self.options.encoded_len_v6());
        out.extend_from_slice(&self.addr.octets());
        out.extend_from_slice(&self.preferred_lifetime.to_be_bytes());
        out.extend_from_slice(&self.valid_lifetime.to_be_bytes());
        self.options.encode_v6(&mut out)?;
        Ok(Opt::new(D6O_IAADDR, out))
    }
}

/// IAPREFIX (RFC 8415 §21.22): one delegated prefix of an IA_PD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IaPrefix {
    /// Preferred lifetime, in seconds.
    pub preferred_lifetime: u32,
    /// Valid lifetime, in seconds.
    pub valid_lifetime: u32,
    /// Prefix length in bits (0..=128).
    pub prefix_len: u8,
    /// The prefix (all 16 octets as on the wire).
    pub prefix: Ipv6Addr,
    /// Sub-options (STATUS_CODE, PD_EXCLUDE).
    pub options: Options,
}

impl IaPrefix {
    /// A new IAPREFIX with no sub-options.
    pub fn new(
        prefix: Ipv6Addr,
        prefix_len: u8,
        preferred_lifetime: u32,
        valid_lifetime: u32,
    ) -> Self {
        Self {
            preferred_lifetime,
            valid_lifetime,
            prefix_len,
            prefix,
            options: Options::new(),
        }
    }

    /// Reads the data of an IAPREFIX.
    pub fn parse(data: &[u8]) -> Result<Self, IaError> {
        need(D6O_IAPREFIX, data, IAPREFIX_FIXED_LEN)?;
        let prefix_len = data[8];
        if prefix_len > 128 {
            return Err(IaError::BadPrefixLen { len: prefix_len });
        }
        Ok(Self {
            preferred_lifetime: be32(data, 0),
            valid_lifetime: be32(data, 4),
            prefix_len,
            prefix: addr(data, 9),
            options: parse_v6(&data[IAPREFIX_FIXED_LEN..]).options,
        })
    }

    /// The whole option (code 26).
    pub fn to_opt(&self) -> Result<Opt, EncodeError6> {
        let mut out = Vec::with_capacity(IAPREFIX_FIXED_LEN + self.options.encoded_len_v6());
        out.extend_from_slice(&self.preferred_lifetime.to_be_bytes());
        out.extend_from_slice(&self.valid_lifetime.to_be_bytes());
        out.push(self.prefix_len);
        out.extend_from_slice(&self.prefix.octets());
        self.options.encode_v6(&mut out)?;
        Ok(Opt::new(D6O_IAPREFIX, out))
    }
}

/// STATUS_CODE (RFC 8415 §21.13): a code from [`crate::codes6`] (`STATUS_*`) and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusCode {
    /// The status code.
    pub code: u16,
    /// The human-readable message (UTF-8).
    pub message: String,
}

impl StatusCode {
    /// A status with a message.
    pub fn new(code: u16, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// Reads the data of a STATUS_CODE.
    pub fn parse(data: &[u8]) -> Result<Self, IaError> {
        need(D6O_STATUS_CODE, data, 2)?;
        Ok(Self {
            code: u16::from_be_bytes([data[0], data[1]]),
            message: text(&data[2..]),
        })
    }

    /// The whole option (code 13).
    pub fn to_opt(&self) -> Opt {
        let mut out = Vec::with_capacity(2 + self.message.len());
        out.extend_from_slice(&self.code.to_be_bytes());
        out.extend_from_slice(self.message.as_bytes());
        Opt::new(D6O_STATUS_CODE, out)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use crate::codes6::STATUS_NO_ADDRS_AVAIL;
    use crate::optdata::encode_hex;
    use proptest::prelude::*;

    /// The IA_NA and IA_PD of Kea 2.2's captured ADVERTISE (pool 2001:db8:1::100-1ff,
    /// pd-pool 2001:db8:8::/48 delegated-len 56, T1 1000, T2 2000, lifetimes 3000/4000).
    #[test]
    fn kea_captured_ias() {
        let ia_na = encode_hex(
            "00000001000003e8000007d00005001820010db800010000000000000000010000000bb800000fa0",
        )
        .unwrap();
        let ia = Ia::parse(D6O_IA_NA, &ia_na).unwrap();
        assert_eq!((ia.iaid, ia.t1, ia.t2), (1, 1000, 2000));
        let addrs: Vec<IaAddr> = ia.addresses().collect();
        assert_eq!(
            addrs,
            [IaAddr::new("2001:db8:1::100".parse().unwrap(), 3000, 4000)]
        );
        assert_eq!(ia.to_ia_na().unwrap().data, ia_na);
        let ia_pd = encode_hex(
            "00000002000003e8000007d0001a001900000bb800000fa03820010db8000800000000000000000000",
        )
        .unwrap();
        let pd = Ia::parse(D6O_IA_PD, &ia_pd).unwrap();
        let p: Vec<IaPrefix> = pd.prefixes().collect();
        assert_eq!(
            p,
            [IaPrefix::new(
                "2001:db8:8::".parse().unwrap(),
                56,
                3000,
                4000
            )]
        );
        assert_eq!(pd.to_ia_pd().unwrap().data, ia_pd);
        assert_eq!(pd.status(), None);
    }

    #[test]
    fn status_and_errors() {
        let st = StatusCode::new(
            STATUS_NO_ADDRS_AVAIL,
            "Sorry, no address could be allocated.",
        );
        let opt = st.to_opt();
        assert_eq!(StatusCode::parse(&opt.data).unwrap(), st);
        let mut ia = Ia::new(7, 0, 0);
        ia.options.insert(opt);
        assert_eq!(
            Ia::parse(D6O_IA_NA, &ia.encode().unwrap())
                .unwrap()
                .status(),
            Some(st)
        );
        assert_eq!(
            Ia::parse(D6O_IA_NA, &[0, 0, 1]),
            Err(IaError::TooShort {
                code: D6O_IA_NA,
                len: 3,
                need: 12
            })
        );
        assert!(StatusCode::parse(&[0]).is_err());
        assert!(IaAddr::parse(&[0; 23]).is_err());
        let mut bad = vec![0; 25];
        bad[8] = 129;
        assert_eq!(
            IaPrefix::parse(&bad),
            Err(IaError::BadPrefixLen { len: 129 })
        );
        let ta = IaTa {
            iaid: 9,
            options: [IaAddr::new(Ipv6Addr::LOCALHOST, 1, 2).to_opt().unwrap()]
                .into_iter()
                .collect(),
        };
        assert_eq!(IaTa::parse(&ta.to_opt().unwrap().data).unwrap(), ta);
    }

    #[test]
    fn truncated_sub_option_is_ignored_like_kea() {
        // An IA_NA whose IAADDR claims 30 octets but has 2: Kea 2.2 still answers.
        let mut data = Ia::new(1, 0, 0).encode().unwrap();
        data.extend_from_slice(&[0, 5, 0, 30, b'a', b'b']);
        let ia = Ia::parse(D6O_IA_NA, &data).unwrap();
        assert!(ia.options.is_empty());
    }

    proptest! {
        #[test]
        fn round_trips(iaid: u32, t1: u32, t2: u32, a: [u8; 16], pl: u32, vl: u32, len in 0u8..=128) {
            let mut ia = Ia::new(iaid, t1, t2);
            ia.options.insert(IaAddr::new(Ipv6Addr::from(a), pl, vl).to_opt().unwrap());
            ia.options.insert(IaPrefix::new(Ipv6Addr::from(a), len, pl, vl).to_opt().unwrap());
            let back = Ia::parse(D6O_IA_PD, &ia.encode().unwrap()).unwrap();
            prop_assert_eq!(&back, &ia);
            prop_assert_eq!(back.addresses().count(), 1);
            prop_assert_eq!(back.prefixes().count(), 1);
        }

        #[test]
        fn any_bytes_never_panic(data in prop::collection::vec(any::<u8>(), 0..60)) {
            let _ = Ia::parse(D6O_IA_NA, &data);
            let _ = IaTa::parse(&data);
            let _ = IaAddr::parse(&data);
            let _ = IaPrefix::parse(&data);
            let _ = StatusCode::parse(&data);
        }
    }
}
