//! DHCPv4 messages (RFC 2131 §2): the fixed BOOTP header, the magic cookie and the options,
//! decoded and encoded with Kea 2.2's layout.
//!
//! Decoding (checked against Kea 2.2 on the wire):
//! - fewer than 236 octets, a missing or wrong magic cookie are errors (Kea counts
//!   `pkt4-parse-failed` and drops);
//! - an option whose length runs past the end ends the list silently, earlier options are
//!   kept (Kea does the same);
//! - repeated codes are concatenated (RFC 3396 §6) and then each standard option is checked
//!   against its definition; a mismatch is an error for the packet, as in Kea.
//!   KEA-DIFF: Kea 2.2 checks each fragment before concatenating, so it drops a split
//!   fixed-size option (e.g. two halves of option 50); we check the fused value;
//! - options 43 (parsed after classification), 82 and 125 are not checked here;
//! - option 81 is read as [`ClientFqdn4`] (RFC 4702: its E flag says whether the name is in
//!   wire or ASCII form), not against the `fqdn` record definition;
//! - option 52 (RFC 2131 §4.1, RFC 2132 §9.3) is honoured: options continue in `file` (1, 3)
//!   then `sname` (2, 3). The decoded packet holds the merged options, no option 52 (one
//!   found inside an overloaded field is dropped too), and zeroed overloaded fields.
//!   KEA-DIFF: Kea 2.2 ignores overload on receive.
//!
//! Encoding: header, cookie, option 53 first, the other options by ascending code (same
//! code in insertion order), option 82 last (RFC 3046 §2.1), then END; long options are split
//! in 253-octet fragments; no padding to 300 octets. This is Kea 2.2's OFFER layout, as
//! captured on loopback.
//!
//! ARM: `dhcp4-srv.rst`, "Support for Long Options"; INVENTORY statistic `pkt4-parse-failed`.

use std::fmt;
use std::net::Ipv4Addr;

use thiserror::Error;

use crate::codes::{
    BOOTP_BROADCAST, DHCP_OPTIONS_COOKIE, DHO_DHCP_AGENT_OPTIONS, DHO_DHCP_CLIENT_IDENTIFIER,
    DHO_DHCP_MESSAGE_TYPE, DHO_DHCP_OPTION_OVERLOAD, DHO_END, DHO_FQDN, DHO_PAD,
    DHO_VENDOR_ENCAPSULATED_OPTIONS, DHO_VIVSO_SUBOPTIONS,
};
use crate::fqdn4::{ClientFqdn4, ClientFqdn4Error};
use crate::optdata::WireError;
use crate::optdef::std_v4_def_by_code;
use crate::option::{Options, PadEnd, parse_v4_into};

/// Length of the fixed BOOTP header (RFC 2131 §2), without the magic cookie.
pub const DHCPV4_PKT_HDR_LEN: usize = 236;
const SNAME_OFFSET: usize = 44;
const FILE_OFFSET: usize = 108;

/// Why a DHCPv4 packet cannot be decoded; the packet is dropped (`pkt4-parse-failed`).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeError {
    /// Shorter than the BOOTP header.
    #[error("Truncated DHCPv4 packet (len={len}) received, at least 236 is expected")]
    Truncated {
        /// Packet length.
        len: usize,
    },
    /// A BOOTP packet without the vendor extensions (no magic cookie).
    #[error("Received BOOTP packet without vendor information extensions")]
    NoMagicCookie,
    /// The four octets after the header are not the DHCP magic cookie.
    #[error("Invalid or missing DHCP magic cookie")]
    BadMagicCookie {
        /// The octets found.
        found: [u8; 4],
    },
    /// A standard option whose data does not match its definition.
    #[error("invalid option: {0}")]
    InvalidOption(#[from] WireError),
    /// A client FQDN option (81) Kea would not parse (RFC 4702).
    #[error("invalid option: {0}")]
    ClientFqdn(#[from] ClientFqdn4Error),
}

/// DHCPv4 message types (option 53): RFC 2132 §9.6, RFC 3203, RFC 4388, RFC 6926, RFC 7724.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum MessageType {
    /// DHCPDISCOVER (1).
    Discover = 1,
    /// DHCPOFFER (2).
    Offer = 2,
    /// DHCPREQUEST (3).
    Request = 3,
    /// DHCPDECLINE (4).
    Decline = 4,
    /// DHCPACK (5).
    Ack = 5,
    /// DHCPNAK (6).
    Nak = 6,
    /// DHCPRELEASE (7).
    Release = 7,
    /// DHCPINFORM (8).
    Inform = 8,
    /// DHCPFORCERENEW (9, RFC 3203).
    ForceRenew = 9,
    /// DHCPLEASEQUERY (10, RFC 4388).
    LeaseQuery = 10,
    /// DHCPLEASEUNASSIGNED (11, RFC 4388).
    LeaseUnassigned = 11,
    /// DHCPLEASEUNKNOWN (12, RFC 4388).
    LeaseUnknown = 12,
    /// DHCPLEASEACTIVE (13, RFC 4388).
    LeaseActive = 13,
    /// DHCPBULKLEASEQUERY (14, RFC 6926).
    BulkLeaseQuery = 14,
    /// DHCPLEASEQUERYDONE (15, RFC 6926).
    LeaseQueryDone = 15,
    /// DHCPACTIVELEASEQUERY (16, RFC 7724).
    ActiveLeaseQuery = 16,
    /// DHCPLEASEQUERYSTATUS (17, RFC 7724).
    LeaseQueryStatus = 17,
    /// DHCPTLS (18, RFC 7724).
    Tls = 18,
}

impl MessageType {
    /// The type with this option 53 value.
    pub const fn from_u8(v: u8) -> Option<Self> {
        Some(match v {
            1 => Self::Discover,
            2 => Self::Offer,
            3 => Self::Request,
            4 => Self::Decline,
            5 => Self::Ack,
            6 => Self::Nak,
            7 => Self::Release,
            8 => Self::Inform,
            9 => Self::ForceRenew,
            10 => Self::LeaseQuery,
            11 => Self::LeaseUnassigned,
            12 => Self::LeaseUnknown,
            13 => Self::LeaseActive,
            14 => Self::BulkLeaseQuery,
            15 => Self::LeaseQueryDone,
            16 => Self::ActiveLeaseQuery,
            17 => Self::LeaseQueryStatus,
            18 => Self::Tls,
            _ => return None,
        })
    }

    /// Kea's name of the type, as in its logs (`DHCPDISCOVER`).
    pub const fn name(self) -> &'static str {
        match self {
            Self::Discover => "DHCPDISCOVER",
            Self::Offer => "DHCPOFFER",
            Self::Request => "DHCPREQUEST",
            Self::Decline => "DHCPDECLINE",
            Self::Ack => "DHCPACK",
            Self::Nak => "DHCPNAK",
            Self::Release => "DHCPRELEASE",
            Self::Inform => "DHCPINFORM",
            Self::ForceRenew => "DHCPFORCERENEW",
            Self::LeaseQuery => "DHCPLEASEQUERY",
            Self::LeaseUnassigned => "DHCPLEASEUNASSIGNED",
            Self::LeaseUnknown => "DHCPLEASEUNKNOWN",
            Self::LeaseActive => "DHCPLEASEACTIVE",
            Self::BulkLeaseQuery => "DHCPBULKLEASEQUERY",
            Self::LeaseQueryDone => "DHCPLEASEQUERYDONE",
            Self::ActiveLeaseQuery => "DHCPACTIVELEASEQUERY",
            Self::LeaseQueryStatus => "DHCPLEASEQUERYSTATUS",
            Self::Tls => "DHCPTLS",
        }
    }
}

impl fmt::Display for MessageType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A hardware address: type and address octets (Kea's `HWAddr`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct HwAddr {
    /// Hardware type (1 = Ethernet).
    pub htype: u8,
    /// Address octets.
    pub addr: Vec<u8>,
}

impl fmt::Display for HwAddr {
    /// Kea's text form: `hwtype=1 00:11:22:33:44:55`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "hwtype={} ", self.htype)?;
        for (i, b) in self.addr.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// A DHCPv4 message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pkt4 {
    /// BOOTREQUEST (1) or BOOTREPLY (2).
    pub op: u8,
    /// Hardware address type.
    pub htype: u8,
    /// Hardware address length (may exceed 16 on the wire; [`Pkt4::hwaddr`] caps it).
    pub hlen: u8,
    /// Relay hops.
    pub hops: u8,
    /// Transaction id.
    pub xid: u32,
    /// Seconds since the client began.
    pub secs: u16,
    /// Flags (bit 15: broadcast).
    pub flags: u16,
    /// Client address.
    pub ciaddr: Ipv4Addr,
    /// Your (offered) address.
    pub yiaddr: Ipv4Addr,
    /// Next server address.
    pub siaddr: Ipv4Addr,
    /// Relay agent address.
    pub giaddr: Ipv4Addr,
    /// Client hardware address field.
    pub chaddr: [u8; 16],
    /// Server host name field.
    pub sname: [u8; 64],
    /// Boot file name field.
    pub file: [u8; 128],
    /// Options, in wire order after decoding (split options fused).
    pub options: Options,
}

impl Default for Pkt4 {
    fn default() -> Self {
        Self {
            op: crate::codes::BOOTREQUEST,
            htype: crate::codes::HTYPE_ETHER,
            hlen: 6,
            hops: 0,
            xid: 0,
            secs: 0,
            flags: 0,
            ciaddr: Ipv4Addr::UNSPECIFIED,
            yiaddr: Ipv4Addr::UNSPECIFIED,
            siaddr: Ipv4Addr::UNSPECIFIED,
            giaddr: Ipv4Addr::UNSPECIFIED,
            chaddr: [0; 16],
            sname: [0; 64],
            file: [0; 128],
            options: Options::new(),
        }
    }
}

fn ipv4_at(buf: &[u8], at: usize) -> Ipv4Addr {
    Ipv4Addr::new(buf[at], buf[at + 1], buf[at + 2], buf[at + 3])
}

impl Pkt4 {
    /// A message of the given type with option 53 set and everything else default.
    pub fn new(op: u8, msg_type: MessageType, xid: u32) -> Self {
        let mut p = Self {
            op,
            xid,
            ..Self::default()
        };
        p.options
            .insert(crate::Opt::new(DHO_DHCP_MESSAGE_TYPE, [msg_type as u8]));
        p
    }

    /// Decodes a received DHCPv4 payload (UDP data).
    pub fn decode(buf: &[u8]) -> Result<Self, DecodeError> {
        if buf.len() < DHCPV4_PKT_HDR_LEN {
            return Err(DecodeError::Truncated { len: buf.len() });
        }
        let mut p = Self {
            op: buf[0],
            htype: buf[1],
            hlen: buf[2],
            hops: buf[3],
            xid: u32::from_be_bytes([buf[4], buf[5], buf[6], buf[7]]),
            secs: u16::from_be_bytes([buf[8], buf[9]]),
            flags: u16::from_be_bytes([buf[10], buf[11]]),
            ciaddr: ipv4_at(buf, 12),
            yiaddr: ipv4_at(buf, 16),
            siaddr: ipv4_at(buf, 20),
            giaddr: ipv4_at(buf, 24),
            ..Self::default()
        };
        p.chaddr.copy_from_slice(&buf[28..SNAME_OFFSET]);
        p.sname.copy_from_slice(&buf[SNAME_OFFSET..FILE_OFFSET]);
        p.file
            .copy_from_slice(&buf[FILE_OFFSET..DHCPV4_PKT_HDR_LEN]);
        let Some(cookie) = buf.get(DHCPV4_PKT_HDR_LEN..DHCPV4_PKT_HDR_LEN + 4) else {
            return Err(DecodeError::NoMagicCookie);
        };
        if cookie != DHCP_OPTIONS_COOKIE {
            let mut found = [0u8; 4];
            found.copy_from_slice(cookie);
            return Err(DecodeError::BadMagicCookie { found });
        }
        p.options = Options::with_capacity(16);
        // A truncated last option ends the list; Kea keeps what came before it.
        let _ = parse_v4_into(
            &buf[DHCPV4_PKT_HDR_LEN + 4..],
            PadEnd::Special,
            &mut p.options,
        );
        p.apply_overload();
        p.check_standard_options()?;
        Ok(p)
    }

    /// RFC 2131 §4.1: option 52 says `file` (1), `sname` (2) or both (3) hold more options.
    ///
    /// Only the option 52 of the `options` field counts (RFC 2132 §9.3). One found inside
    /// an overloaded field is dropped with the field's other option 52 after merging: kept,
    /// `encode` would send it and the next decode would overload a field that this one read
    /// as text.
    fn apply_overload(&mut self) {
        let Some(&[value]) = self.options.data(DHO_DHCP_OPTION_OVERLOAD) else {
            return;
        };
        if !(1..=3).contains(&value) {
            return;
        }
        self.options.remove(DHO_DHCP_OPTION_OVERLOAD);
        if value & 1 != 0 {
            let _ = parse_v4_into(&self.file, PadEnd::Special, &mut self.options);
            self.file = [0; 128];
        }
        if value & 2 != 0 {
            let _ = parse_v4_into(&self.sname, PadEnd::Special, &mut self.options);
            self.sname = [0; 64];
        }
        self.options.remove(DHO_DHCP_OPTION_OVERLOAD);
    }

    fn check_standard_options(&self) -> Result<(), DecodeError> {
        for opt in &self.options {
            if matches!(
                opt.code,
                DHO_VENDOR_ENCAPSULATED_OPTIONS | DHO_DHCP_AGENT_OPTIONS | DHO_VIVSO_SUBOPTIONS
            ) {
                continue;
            }
            if opt.code == DHO_FQDN {
                // The E flag picks the name's encoding, which a definition cannot express.
                ClientFqdn4::parse(&opt.data)?;
                continue;
            }
            if let Some(def) = std_v4_def_by_code(opt.code) {
                def.check_wire(&opt.data)?;
            }
        }
        Ok(())
    }

    /// Encodes the message in Kea's layout (see the module documentation).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(DHCPV4_PKT_HDR_LEN + 5 + self.options.encoded_len_v4());
        out.extend_from_slice(&[self.op, self.htype, self.hlen, self.hops]);
        out.extend_from_slice(&self.xid.to_be_bytes());
        out.extend_from_slice(&self.secs.to_be_bytes());
        out.extend_from_slice(&self.flags.to_be_bytes());
        for a in [self.ciaddr, self.yiaddr, self.siaddr, self.giaddr] {
            out.extend_from_slice(&a.octets());
        }
        out.extend_from_slice(&self.chaddr);
        out.extend_from_slice(&self.sname);
        out.extend_from_slice(&self.file);
        out.extend_from_slice(&DHCP_OPTIONS_COOKIE);
        for opt in self.options.get_all(DHO_DHCP_MESSAGE_TYPE) {
            opt.encode_v4(&mut out);
        }
        let mut middle: Vec<&crate::Opt> = self
            .options
            .iter()
            .filter(|o| {
                !matches!(
                    o.code,
                    DHO_DHCP_MESSAGE_TYPE | DHO_DHCP_AGENT_OPTIONS | DHO_PAD | DHO_END
                ) && o.code <= 255
            })
            .collect();
        middle.sort_by_key(|o| o.code);
        for opt in middle {
            opt.encode_v4(&mut out);
        }
        for opt in self.options.get_all(DHO_DHCP_AGENT_OPTIONS) {
            opt.encode_v4(&mut out);
        }
        out.push(crate::option::DHO_END);
        out
    }

    /// The message type from option 53, when present and known.
    pub fn msg_type(&self) -> Option<MessageType> {
        self.options
            .data(DHO_DHCP_MESSAGE_TYPE)
            .and_then(|d| d.first())
            .and_then(|&v| MessageType::from_u8(v))
    }

    /// The hardware address: `htype` and the first `hlen` octets of `chaddr` (at most 16).
    pub fn hwaddr(&self) -> HwAddr {
        let n = usize::from(self.hlen).min(self.chaddr.len());
        HwAddr {
            htype: self.htype,
            addr: self.chaddr[..n].to_vec(),
        }
    }

    /// Sets `htype`, `hlen` and `chaddr` from a hardware address (longer ones are cut at 16).
    pub fn set_hwaddr(&mut self, hw: &HwAddr) {
        let n = hw.addr.len().min(self.chaddr.len());
        self.htype = hw.htype;
        self.hlen = n as u8;
        self.chaddr = [0; 16];
        self.chaddr[..n].copy_from_slice(&hw.addr[..n]);
    }

    /// Data of option 61 (client identifier), when present.
    pub fn client_id(&self) -> Option<&[u8]> {
        self.options.data(DHO_DHCP_CLIENT_IDENTIFIER)
    }

    /// True when a relay agent forwarded the message: `giaddr` is neither 0.0.0.0 nor
    /// 255.255.255.255 (Kea's `Pkt4::isRelayed`).
    pub fn is_relayed(&self) -> bool {
        !self.giaddr.is_unspecified() && !self.giaddr.is_broadcast()
    }

    /// True when the client asked for a broadcast reply (RFC 2131 §4.1, flags bit 15).
    pub fn is_broadcast(&self) -> bool {
        self.flags & BOOTP_BROADCAST != 0
    }

    /// The `sname` field as text up to the first NUL.
    pub fn sname_text(&self) -> String {
        field_text(&self.sname)
    }

    /// The `file` field as text up to the first NUL.
    pub fn file_text(&self) -> String {
        field_text(&self.file)
    }
}

fn field_text(field: &[u8]) -> String {
    let end = field.iter().position(|&b| b == 0).unwrap_or(field.len());
    String::from_utf8_lossy(&field[..end]).into_owned()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use crate::Opt;
    use crate::fqdn;
    use crate::rai::RelayAgentInfo;
    use proptest::prelude::*;

    /// A DHCPOFFER captured from Kea 2.2 on loopback (relayed DISCOVER with RAI, client-id,
    /// PRL 1,125,6; vendor-4491 tftp-servers configured).
    const KEA_OFFER_HEX: &str = "020106011234567800000000000000007f000078000000007f00000200112233445500000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000638253633501020104ff00000003047f00000106080a0000010a0000020f0b6578616d706c652e6f7267330400000fa036047f0000013d07010011223344557d0b0000118b0602040a0101015209010361626302021020ff";

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// A DISCOVER laid out as ISC dhclient sends it: 53, 50, 12, 55, END, zero padding to 300.
    fn dhclient_discover() -> Vec<u8> {
        let mut p = vec![1, 1, 6, 0, 0xde, 0xad, 0xbe, 0xef, 0, 3, 0, 0];
        p.extend_from_slice(&[0; 16]);
        p.extend_from_slice(&[0x52, 0x54, 0, 0x12, 0x34, 0x56]);
        p.resize(236, 0);
        p.extend_from_slice(&DHCP_OPTIONS_COOKIE);
        p.extend_from_slice(&[
            53, 1, 1, 50, 4, 192, 168, 1, 100, 12, 4, b'h', b'o', b's', b't',
        ]);
        p.extend_from_slice(&[
            55, 13, 1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42, 255,
        ]);
        p.resize(300, 0);
        p
    }

    #[test]
    fn decodes_dhclient_discover() {
        let p = Pkt4::decode(&dhclient_discover()).unwrap();
        assert_eq!(p.msg_type(), Some(MessageType::Discover));
        assert_eq!(p.xid, 0xdeadbeef);
        assert_eq!(p.secs, 3);
        assert_eq!(p.hwaddr().to_string(), "hwtype=1 52:54:00:12:34:56");
        assert!(!p.is_relayed());
        assert!(!p.is_broadcast());
        assert_eq!(p.client_id(), None);
        let codes: Vec<u16> = p.options.iter().map(|o| o.code).collect();
        assert_eq!(codes, [53, 50, 12, 55]);
        assert_eq!(p.options.data(12), Some(&b"host"[..]));
        // Our layout keeps 53 first and sorts the rest; a re-decode keeps every option.
        let back = Pkt4::decode(&p.encode()).unwrap();
        let back_codes: Vec<u16> = back.options.iter().map(|o| o.code).collect();
        assert_eq!(back_codes, [53, 12, 50, 55]);
        for code in codes {
            assert_eq!(back.options.data(code), p.options.data(code));
        }
    }

    #[test]
    fn kea_offer_is_reproduced_byte_for_byte() {
        let wire = unhex(KEA_OFFER_HEX);
        let p = Pkt4::decode(&wire).unwrap();
        assert_eq!(p.msg_type(), Some(MessageType::Offer));
        assert_eq!(p.op, crate::codes::BOOTREPLY);
        assert_eq!(p.yiaddr, Ipv4Addr::new(127, 0, 0, 120));
        assert!(p.is_relayed());
        let rai = RelayAgentInfo::from_pkt(&p).unwrap().unwrap();
        assert_eq!(rai.circuit_id(), Some(&b"abc"[..]));
        assert_eq!(p.encode(), wire);
        // The same options inserted in another order still give Kea's layout.
        let mut shuffled = p.clone();
        shuffled.options = p.options.iter().rev().cloned().collect();
        assert_eq!(shuffled.encode(), wire);
    }

    #[test]
    fn header_errors() {
        let good = dhclient_discover();
        assert_eq!(
            Pkt4::decode(&good[..235]),
            Err(DecodeError::Truncated { len: 235 })
        );
        assert_eq!(Pkt4::decode(&good[..236]), Err(DecodeError::NoMagicCookie));
        assert_eq!(Pkt4::decode(&good[..239]), Err(DecodeError::NoMagicCookie));
        let mut bad = good.clone();
        bad[239] = 0x64;
        assert!(matches!(
            Pkt4::decode(&bad),
            Err(DecodeError::BadMagicCookie { .. })
        ));
        // Cookie and nothing else: a DHCP packet without options.
        assert!(Pkt4::decode(&good[..240]).unwrap().options.is_empty());
    }

    fn with_options(opts: &[u8]) -> Vec<u8> {
        let mut p = dhclient_discover();
        p.truncate(240);
        p.extend_from_slice(opts);
        p
    }

    #[test]
    fn malformed_options_like_kea() {
        // Accepted by Kea 2.2: truncated tail, no END, 53 longer than 1, junk inside 82/125/43.
        for ok in [
            &[53, 1, 1, 12, 10, b'a'][..],
            &[53, 1, 1, 12],
            &[53, 1, 1],
            &[53, 2, 1, 1],
            &[53, 1, 1, 82, 3, 1, 5, 0],
            &[53, 1, 1, 125, 3, 0, 0, 0],
            &[53, 1, 1, 43, 3, 1, 5, 0],
            &[53, 1, 1, 50, 5, 1, 2, 3, 4, 5],
            &[53, 1, 1, 3, 0],
            &[53, 1, 1, 12, 0],
            &[53, 1, 1, 81, 3, 0, 0, 0],
            &[53, 1, 1, 19, 1, 7],
        ] {
            let p = Pkt4::decode(&with_options(ok));
            assert!(p.is_ok(), "{ok:?}: {p:?}");
            assert_eq!(p.unwrap().msg_type(), Some(MessageType::Discover));
        }
        let p = Pkt4::decode(&with_options(&[53, 1, 1, 12, 10, b'a'])).unwrap();
        assert_eq!(p.options.len(), 1);
        // Dropped by Kea 2.2 (DHCP4_PACKET_DROP_0001).
        for bad in [
            &[1, 3, 1, 2, 3, 53, 1, 1][..],
            &[53, 0],
            &[53, 1, 1, 50, 3, 1, 2, 3],
            &[53, 1, 1, 54, 3, 1, 2, 3],
            &[53, 1, 1, 3, 5, 1, 2, 3, 4, 5],
            &[53, 1, 1, 81, 1, 0],
            &[53, 1, 1, 81, 6, 4, 0, 0, 5, b'a', b'b'],
            &[53, 1, 1, 119, 3, 5, b'a', b'b'],
            &[53, 1, 1, 57, 1, 5],
            &[53, 1, 1, 51, 3, 0, 0, 0],
            &[53, 1, 1, 19, 0],
            &[53, 1, 1, 124, 2, 0, 0],
            &[53, 1, 1, 55, 0],
            &[53, 1, 1, 93, 3, 0, 0, 0],
        ] {
            assert!(
                matches!(
                    Pkt4::decode(&with_options(bad)),
                    Err(DecodeError::InvalidOption(_) | DecodeError::ClientFqdn(_))
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn client_fqdn_in_either_encoding() {
        // RFC 4702 §2.3: E = 0, ASCII name (the seed Kea 2.2 answers), and E = 1, wire name.
        let mut ascii = vec![53, 1, 3, 81, 23, 1, 0, 0];
        ascii.extend_from_slice(b"laptop-7.example.org");
        let mut wire = vec![53, 1, 3, 81, 25, 5, 0, 0];
        fqdn::encode_name("laptop-7.example.org", &mut wire).unwrap();
        for opts in [ascii, wire] {
            let p = Pkt4::decode(&with_options(&opts)).unwrap();
            let f = ClientFqdn4::parse(p.options.data(DHO_FQDN).unwrap()).unwrap();
            assert_eq!(f.name.trim_end_matches('.'), "laptop-7.example.org");
            assert_eq!(Pkt4::decode(&p.encode()).unwrap(), p);
        }
        // Dropped by Kea 2.2: N and S both set, a broken ASCII name.
        for bad in [
            &[53, 1, 3, 81, 4, 9, 0, 0, b'h'][..],
            &[53, 1, 3, 81, 7, 1, 0, 0, b'a', b'.', b'.', b'b'],
        ] {
            assert!(
                matches!(
                    Pkt4::decode(&with_options(bad)),
                    Err(DecodeError::ClientFqdn(_))
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn split_options_are_fused() {
        let p = Pkt4::decode(&with_options(&[
            53, 1, 1, 61, 3, 1, 0, 0x11, 55, 1, 1, 61, 4, 0x22, 0x33, 0x44, 0x56, 50, 2, 10, 0, 50,
            2, 0, 9, 255,
        ]))
        .unwrap();
        assert_eq!(
            p.client_id(),
            Some(&[1, 0, 0x11, 0x22, 0x33, 0x44, 0x56][..])
        );
        assert_eq!(p.options.data(50), Some(&[10, 0, 0, 9][..]));
        assert_eq!(p.options.len(), 4);
    }

    #[test]
    fn overload_reads_file_then_sname() {
        let mut wire = with_options(&[52, 1, 3, 61, 2, 1, 2, 255]);
        wire[FILE_OFFSET..FILE_OFFSET + 6].copy_from_slice(&[53, 1, 3, 61, 1, 3]);
        wire[FILE_OFFSET + 6] = 255;
        wire[SNAME_OFFSET..SNAME_OFFSET + 4].copy_from_slice(&[12, 2, b'h', b'i']);
        let p = Pkt4::decode(&wire).unwrap();
        assert_eq!(p.msg_type(), Some(MessageType::Request));
        assert_eq!(p.client_id(), Some(&[1, 2, 3][..]));
        assert_eq!(p.options.data(12), Some(&b"hi"[..]));
        assert!(!p.options.contains(DHO_DHCP_OPTION_OVERLOAD));
        assert_eq!(p.file, [0; 128]);
        assert_eq!(p.sname, [0; 64]);
        // Without option 52, the same fields are plain text.
        let mut plain = wire.clone();
        plain[242] = 0; // overload value 0: not honoured
        let p = Pkt4::decode(&plain).unwrap();
        assert_eq!(p.sname_text(), "\u{c}\u{2}hi");
    }

    #[test]
    fn option_52_inside_an_overloaded_field_is_dropped() {
        // 52 = 1 (file); `file` holds 52 = 2 (sname) and `sname` text that looks like
        // option 12: the inner 52 is not honoured and not kept, so `sname` stays text.
        let mut wire = with_options(&[53, 1, 1, 52, 1, 1, 255]);
        wire[FILE_OFFSET..FILE_OFFSET + 4].copy_from_slice(&[52, 1, 2, 255]);
        wire[SNAME_OFFSET..SNAME_OFFSET + 5].copy_from_slice(&[12, 3, b'a', b'b', b'c']);
        let p = Pkt4::decode(&wire).unwrap();
        assert!(!p.options.contains(DHO_DHCP_OPTION_OVERLOAD));
        assert!(!p.options.contains(12));
        assert_eq!(p.sname_text(), "\u{c}\u{3}abc");
        assert_eq!(p.file, [0; 128]);
        // decode(encode(decode(x))) == decode(x), and encode is then a fixed point.
        let again = Pkt4::decode(&p.encode()).unwrap();
        assert_eq!(again, p);
        assert_eq!(again.encode(), p.encode());
        // 52 = 3 with a 52 = 1 inside `file`: both fields merged once, no 52 left.
        let mut wire = with_options(&[53, 1, 1, 52, 1, 3, 255]);
        wire[FILE_OFFSET..FILE_OFFSET + 4].copy_from_slice(&[52, 1, 1, 255]);
        wire[SNAME_OFFSET..SNAME_OFFSET + 5].copy_from_slice(&[12, 3, b'a', b'b', b'c']);
        let p = Pkt4::decode(&wire).unwrap();
        assert!(!p.options.contains(DHO_DHCP_OPTION_OVERLOAD));
        assert_eq!(p.options.data(12), Some(&b"abc"[..]));
        assert_eq!(Pkt4::decode(&p.encode()).unwrap(), p);
    }

    #[test]
    fn encoder_layout() {
        let mut p = Pkt4::new(crate::codes::BOOTREPLY, MessageType::Ack, 7);
        p.options
            .insert(Opt::new(DHO_DHCP_AGENT_OPTIONS, [1, 1, 9]));
        p.options.insert(Opt::new(6, [8, 8, 8, 8]));
        p.options.insert(Opt::new(3, [10, 0, 0, 1]));
        p.options.insert(Opt::new(240, vec![b'x'; 300]));
        let wire = p.encode();
        let opts = &wire[240..];
        assert_eq!(&opts[..3], &[53, 1, 5]);
        assert_eq!(&opts[3..5], &[3, 4]);
        assert_eq!(&opts[9..11], &[6, 4]);
        assert_eq!(&opts[15..17], &[240, 253]);
        assert_eq!(&opts[270..272], &[240, 47]);
        assert_eq!(&opts[319..], &[82, 3, 1, 1, 9, 255]);
        let back = Pkt4::decode(&wire).unwrap();
        assert_eq!(back.options.data(240).map(<[u8]>::len), Some(300));
        let mut hw = p.clone();
        hw.set_hwaddr(&HwAddr {
            htype: 1,
            addr: vec![1, 2, 3, 4, 5, 6],
        });
        assert_eq!(hw.hwaddr().addr, vec![1, 2, 3, 4, 5, 6]);
        hw.hlen = 200;
        assert_eq!(hw.hwaddr().addr.len(), 16);
        hw.flags = BOOTP_BROADCAST;
        assert!(hw.is_broadcast());
    }

    #[test]
    fn truncation_sweep_never_panics() {
        for wire in [dhclient_discover(), unhex(KEA_OFFER_HEX)] {
            for n in 0..=wire.len() {
                let r = Pkt4::decode(&wire[..n]);
                if n < 236 {
                    assert!(r.is_err());
                }
            }
            // Flipping any single byte never panics either.
            for i in 0..wire.len() {
                let mut w = wire.clone();
                w[i] ^= 0xff;
                let _ = Pkt4::decode(&w);
            }
        }
    }

    /// Codes with no standard definition, so any data is valid.
    fn free_code() -> impl Strategy<Value = u16> {
        prop_oneof![Just(84u16), Just(96), 102u16..=107, 224u16..=254]
    }

    fn arb_pkt() -> impl Strategy<Value = Pkt4> {
        let header = (
            any::<[u8; 4]>(),
            any::<u32>(),
            any::<u16>(),
            any::<u16>(),
            any::<[u32; 4]>(),
        );
        let fields = (
            any::<[u8; 16]>(),
            prop::collection::vec(any::<u8>(), 64),
            prop::collection::vec(any::<u8>(), 128),
        );
        let opts = (
            prop::option::of(1u8..=18),
            prop::collection::btree_map(
                free_code(),
                prop::collection::vec(any::<u8>(), 0..600),
                0..6,
            ),
            prop::option::of(prop::collection::vec(any::<u8>(), 0..40)),
        );
        (header, fields, opts).prop_map(
            |((b, xid, secs, flags, addrs), (chaddr, sname, file), (mt, free, rai))| {
                let mut p = Pkt4 {
                    op: b[0],
                    htype: b[1],
                    hlen: b[2],
                    hops: b[3],
                    xid,
                    secs,
                    flags,
                    ciaddr: addrs[0].into(),
                    yiaddr: addrs[1].into(),
                    siaddr: addrs[2].into(),
                    giaddr: addrs[3].into(),
                    chaddr,
                    ..Pkt4::default()
                };
                p.sname.copy_from_slice(&sname);
                p.file.copy_from_slice(&file);
                if let Some(mt) = mt {
                    p.options.insert(Opt::new(DHO_DHCP_MESSAGE_TYPE, [mt]));
                }
                for (code, data) in free {
                    p.options.insert(Opt::new(code, data));
                }
                if let Some(rai) = rai {
                    p.options.insert(Opt::new(DHO_DHCP_AGENT_OPTIONS, rai));
                }
                p
            },
        )
    }

    proptest! {
        #[test]
        fn decode_encode_round_trip(p in arb_pkt()) {
            let wire = p.encode();
            prop_assert_eq!(Pkt4::decode(&wire).unwrap(), p);
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..700)) {
            let _ = Pkt4::decode(&bytes);
            let mut wire = dhclient_discover();
            wire.truncate(240);
            wire.extend_from_slice(&bytes);
            if let Ok(p) = Pkt4::decode(&wire) {
                // Whatever decodes re-encodes to something that decodes to the same options.
                let again = Pkt4::decode(&p.encode());
                prop_assert!(again.is_ok());
            }
        }
    }
}
