//! Hardware addresses as leases record them: the link-layer type, the address bytes and,
//! for DHCPv6, where the server learned the address (INVENTORY §11, `hwtype` and
//! `hwaddr_source` columns; `dhcp6-srv.rst`, "MAC/Hardware Addresses in DHCPv6").

use crate::hex::to_colon_hex;
use std::fmt;

/// ARP hardware type of Ethernet (RFC 1700), the type every DHCPv4 lease file row implies.
pub const HTYPE_ETHER: u16 = 1;

/// Longest hardware address Kea accepts (20 bytes, as in InfiniBand).
pub const HWADDR_MAX: usize = 20;

/// The `hwaddr_source` bit flags: how a DHCPv6 server obtained a client's hardware address.
pub mod source {
    /// Not known (the value DHCPv4 leases always have).
    pub const UNKNOWN: u32 = 0x0000;
    /// Taken from the raw socket's link-layer header.
    pub const RAW: u32 = 0x0001;
    /// Extracted from a DUID-LLT or DUID-LL.
    pub const DUID: u32 = 0x0002;
    /// Derived from an EUI-64 IPv6 link-local source address.
    pub const IPV6_LINK_LOCAL: u32 = 0x0004;
    /// From the client link-layer address relay option (RFC 6939).
    pub const CLIENT_ADDR_RELAY_OPTION: u32 = 0x0008;
    /// From the relay's remote-id option (RFC 4649).
    pub const REMOTE_ID: u32 = 0x0010;
    /// From the relay's subscriber-id option (RFC 4580).
    pub const SUBSCRIBER_ID: u32 = 0x0020;
    /// From the DOCSIS CMTS vendor options.
    pub const DOCSIS_CMTS: u32 = 0x0040;
    /// From the DOCSIS modem vendor options.
    pub const DOCSIS_MODEM: u32 = 0x0080;
}

/// A hardware (link-layer) address with its type and source.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HwAddr {
    /// ARP hardware type (`htype`), [`HTYPE_ETHER`] for Ethernet.
    pub htype: u16,
    /// The address bytes.
    pub bytes: Vec<u8>,
    /// A [`source`] flag saying how the address was learned.
    pub source: u32,
}

impl HwAddr {
    /// An Ethernet address of unknown source, the form a DHCPv4 lease file row yields.
    pub fn ether(bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            htype: HTYPE_ETHER,
            bytes: bytes.into(),
            source: source::UNKNOWN,
        }
    }
}

/// Displays the bytes only (`1a:1b:1c:1d:1e:1f`), as the lease file stores them.
impl fmt::Display for HwAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&to_colon_hex(&self.bytes))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    #[test]
    fn ether_has_type_one_and_unknown_source() {
        let hw = HwAddr::ether(vec![0x1a, 0x1b]);
        assert_eq!(hw.htype, 1);
        assert_eq!(hw.source, source::UNKNOWN);
        assert_eq!(hw.to_string(), "1a:1b");
    }
}
