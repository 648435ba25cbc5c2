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
//! - option 52 (RFC 2131 §4.1, RFC 2132 §9.3) is honoured: options continue in `file` (1, 3)
//!   then `sname` (2, 3). The decoded packet holds the merged options, no option 52, and
//!   zeroed overloaded fields. KEA-DIFF: Kea 2.2 ignores overload on receive.
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
    DHO_DHCP_MESSAGE_TYPE, DHO_DHCP_OPTION_OVERLOAD, DHO_END, DHO_PAD,
    DHO_VENDOR_ENCAPSULATED_OPTIONS, DHO_VIVSO_SUBOPTIONS,
};
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
    }

    fn check_standard_options(&self) -> Result<(), WireError> {
        for opt in &self.options {
            if matches!(
                opt.code,
                DHO_VENDOR_ENCAPSULATED_OPTIONS | DHO_DHCP_AGENT_OPTIONS | DHO_VIVSO_SUBOPTIONS
            ) {
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
