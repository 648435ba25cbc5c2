//! Network interface detection: Kea's `IfaceMgr`.
//!
//! Owns the snapshot of the system's interfaces (name, index, hardware
//! address and type, flags, IPv4 and IPv6 addresses with prefix lengths) and
//! lookups in it. ARM `dhcp4-srv.rst` / `dhcp6-srv.rst`, "Interface
//! Configuration": interfaces are (re-)detected at each reconfiguration unless
//! `re-detect` is false; the caller decides when to call [`IfaceMgr::detect`].
//! Turning a configured `interfaces` list into bindings lives in `select`.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, Ipv6Addr};

use ipnet::{Ipv4Net, Ipv6Net};
use nix::net::if_::InterfaceFlags;

use crate::mac::MacAddr;

/// ARP hardware type of Ethernet (`ARPHRD_ETHER`), the DHCP `htype` 1 media.
pub const HWTYPE_ETHERNET: u16 = 1;
/// ARP hardware type of the loopback device (`ARPHRD_LOOPBACK`).
pub const HWTYPE_LOOPBACK: u16 = 772;

/// Interface state flags that matter to a DHCP server.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IfaceFlags {
    /// Administratively up (`IFF_UP`).
    pub up: bool,
    /// Operationally running (`IFF_RUNNING`).
    pub running: bool,
    /// A loopback interface (`IFF_LOOPBACK`); skipped by the `*` wildcard.
    pub loopback: bool,
    /// Supports broadcast (`IFF_BROADCAST`).
    pub broadcast: bool,
    /// Supports multicast (`IFF_MULTICAST`).
    pub multicast: bool,
    /// A point-to-point link (`IFF_POINTOPOINT`).
    pub point_to_point: bool,
}

impl From<InterfaceFlags> for IfaceFlags {
    fn from(f: InterfaceFlags) -> Self {
        Self {
            up: f.contains(InterfaceFlags::IFF_UP),
            running: f.contains(InterfaceFlags::IFF_RUNNING),
            loopback: f.contains(InterfaceFlags::IFF_LOOPBACK),
            broadcast: f.contains(InterfaceFlags::IFF_BROADCAST),
            multicast: f.contains(InterfaceFlags::IFF_MULTICAST),
            point_to_point: f.contains(InterfaceFlags::IFF_POINTOPOINT),
        }
    }
}

/// One network interface as detected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Iface {
    /// Interface name (`eth0`).
    pub name: String,
    /// Kernel interface index (never 0 for a real interface).
    pub index: u32,
    /// Hardware address, when the link has a 6-byte one.
    pub mac: Option<MacAddr>,
    /// ARP hardware type (`ARPHRD_*`, 1 for Ethernet, 772 for loopback).
    pub hw_type: u16,
    /// State flags.
    pub flags: IfaceFlags,
    /// IPv4 addresses with their prefix lengths, in detection order.
    pub addrs4: Vec<Ipv4Net>,
    /// IPv6 addresses with their prefix lengths, in detection order.
    pub addrs6: Vec<Ipv6Net>,
}

impl Iface {
    /// A new interface with no addresses.
    pub fn new(name: impl Into<String>, index: u32) -> Self {
        Self {
            name: name.into(),
            index,
            mac: None,
            hw_type: 0,
            flags: IfaceFlags::default(),
            addrs4: Vec::new(),
            addrs6: Vec::new(),
        }
    }

    /// True when up and running: what Kea requires to open service sockets.
    pub fn is_active(&self) -> bool {
        self.flags.up && self.flags.running
    }

    /// The IPv4 addresses (without prefix).
    pub fn ipv4_addrs(&self) -> impl Iterator<Item = Ipv4Addr> + '_ {
        self.addrs4.iter().map(Ipv4Net::addr)
    }

    /// True when `addr` is one of this interface's IPv4 addresses.
    pub fn has_ipv4(&self, addr: Ipv4Addr) -> bool {
        self.ipv4_addrs().any(|a| a == addr)
    }

    /// True when `addr` is one of this interface's IPv6 addresses.
    pub fn has_ipv6(&self, addr: Ipv6Addr) -> bool {
        self.addrs6.iter().any(|n| n.addr() == addr)
    }

    /// The first link-local (fe80::/10) IPv6 address: DHCPv6 servers answer
    /// from it on the link (RFC 8415 §7.1 multicast is link-scoped).
    pub fn link_local6(&self) -> Option<Ipv6Addr> {
        self.addrs6
            .iter()
            .map(Ipv6Net::addr)
            .find(Ipv6Addr::is_unicast_link_local)
    }
}

/// Why interfaces could not be detected.
#[derive(Debug, thiserror::Error)]
pub enum IfaceError {
    /// `getifaddrs(3)` failed.
    #[error("cannot enumerate network interfaces: {source}")]
    Enumerate {
        /// The OS error.
        source: nix::Error,
    },
}

/// The set of detected interfaces, with lookups by name and index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IfaceMgr {
    ifaces: Vec<Iface>,
}

fn prefix_len(mask: &[u8]) -> u8 {
    // At most 128 ones, so the count fits u8.
    mask.iter().map(|b| b.count_ones()).sum::<u32>().min(128) as u8
}

impl IfaceMgr {
    /// Detects the system's interfaces now (Kea's `IfaceMgr::detectIfaces`).
    /// Interfaces are ordered by index.
    pub fn detect() -> Result<Self, IfaceError> {
        let addrs =
            nix::ifaddrs::getifaddrs().map_err(|source| IfaceError::Enumerate { source })?;
        let mut by_name: BTreeMap<String, Iface> = BTreeMap::new();
        for ifa in addrs {
            let iface = by_name
                .entry(ifa.interface_name.clone())
                .or_insert_with(|| Iface::new(ifa.interface_name.clone(), 0));
            iface.flags = IfaceFlags::from(ifa.flags);
            let Some(addr) = ifa.address.as_ref() else {
                continue;
            };
            if let Some(link) = addr.as_link_addr() {
                iface.index = u32::try_from(link.ifindex()).unwrap_or(0);
                iface.hw_type = link.hatype();
                if link.halen() == 6 {
                    iface.mac = link.addr().map(MacAddr);
                }
            } else if let Some(sin) = addr.as_sockaddr_in() {
                let len = ifa
                    .netmask
                    .as_ref()
                    .and_then(|m| m.as_sockaddr_in())
                    .map_or(32, |m| prefix_len(&m.ip().octets()));
                if let Ok(net) = Ipv4Net::new(sin.ip(), len.min(32)) {
                    iface.addrs4.push(net);
                }
            } else if let Some(sin6) = addr.as_sockaddr_in6() {
                let len = ifa
                    .netmask
                    .as_ref()
                    .and_then(|m| m.as_sockaddr_in6())
                    .map_or(128, |m| prefix_len(&m.ip().octets()));
                if let Ok(net) = Ipv6Net::new(sin6.ip(), len) {
                    iface.addrs6.push(net);
                }
            }
        }
        let mut ifaces: Vec<Iface> = by_name.into_values().collect();
        for iface in &mut ifaces {
            if iface.index == 0 {
                // No AF_PACKET entry (rare): ask the kernel directly.
                iface.index = nix::net::if_::if_nametoindex(iface.name.as_str()).unwrap_or(0);
            }
        }
        ifaces.sort_by_key(|i| i.index);
        Ok(Self { ifaces })
    }

    /// Builds a manager from a given list (for tests and `config-test`
    /// without re-detection).
    pub fn from_ifaces(ifaces: Vec<Iface>) -> Self {
        Self { ifaces }
    }

    /// All interfaces.
    pub fn ifaces(&self) -> &[Iface] {
        &self.ifaces
    }

    /// The interface called `name`.
    pub fn get_by_name(&self, name: &str) -> Option<&Iface> {
        self.ifaces.iter().find(|i| i.name == name)
    }

    /// The interface with kernel index `index`.
    pub fn get_by_index(&self, index: u32) -> Option<&Iface> {
        self.ifaces.iter().find(|i| i.index == index)
    }

    /// The interface holding IPv4 address `addr`.
    pub fn get_by_ipv4(&self, addr: Ipv4Addr) -> Option<&Iface> {
        self.ifaces.iter().find(|i| i.has_ipv4(addr))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    #[test]
    fn detects_loopback() {
        let mgr = IfaceMgr::detect().unwrap();
        let lo = mgr.get_by_name("lo").expect("every Linux netns has lo");
        assert!(lo.flags.loopback);
        assert_eq!(lo.hw_type, HWTYPE_LOOPBACK);
        assert_ne!(lo.index, 0);
        assert_eq!(mgr.get_by_index(lo.index), Some(lo));
        if lo.flags.up {
            assert!(lo.has_ipv4(Ipv4Addr::LOCALHOST), "{lo:?}");
            assert_eq!(lo.addrs4[0].prefix_len(), 8);
            assert_eq!(
                mgr.get_by_ipv4(Ipv4Addr::LOCALHOST).map(|i| i.index),
                Some(lo.index)
            );
        }
        assert!(mgr.get_by_name("no-such-iface0").is_none());
    }

    #[test]
    fn indexes_match_the_kernel() {
        let mgr = IfaceMgr::detect().unwrap();
        for i in mgr.ifaces() {
            assert_eq!(
                nix::net::if_::if_nametoindex(i.name.as_str()).unwrap(),
                i.index,
                "{}",
                i.name
            );
        }
    }

    #[test]
    fn prefix_from_mask() {
        assert_eq!(prefix_len(&[255, 255, 255, 0]), 24);
        assert_eq!(prefix_len(&[0xff; 16]), 128);
        assert_eq!(
            prefix_len(&[
                0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0
            ]),
            64
        );
    }

    #[test]
    fn link_local_is_picked() {
        let mut i = Iface::new("eth0", 2);
        i.addrs6.push("2001:db8::1/64".parse().unwrap());
        i.addrs6.push("fe80::1/64".parse().unwrap());
        assert_eq!(i.link_local6(), Some("fe80::1".parse().unwrap()));
        assert!(i.has_ipv6("2001:db8::1".parse().unwrap()));
    }
}
