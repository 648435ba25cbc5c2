//! Resolving `interfaces-config` to concrete socket bindings.
//!
//! ARM `dhcp4-srv.rst` and `dhcp6-srv.rst`, "Interface Configuration": the
//! `interfaces` list holds `*` (every active, non-loopback interface), names
//! (`eth0`: every address of it) and `name/address` (only that address). This
//! module parses those entries and resolves them against an [`IfaceMgr`]
//! snapshot into [`Binding4`] / [`Binding6`] values, one per socket to open.
//! Unknown interfaces and addresses are hard errors (Kea rejects such a
//! configuration); explicitly named interfaces that exist but cannot be served
//! now (down, no address, loopback with raw sockets) are reported as
//! [`Skipped`], which the socket opener treats as open failures, subject to
//! `service-sockets-require-all`.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use crate::iface::{Iface, IfaceMgr};
use crate::mac::MacAddr;

/// `dhcp-socket-type`: how DHCPv4 traffic is received and sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum DhcpSocketType {
    /// AF_PACKET sockets building their own IP/UDP headers (Kea's default),
    /// needed to answer directly connected clients without an address.
    #[default]
    Raw,
    /// Plain IP/UDP sockets: relayed traffic only.
    Udp,
}

/// An unknown `dhcp-socket-type` value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported dhcp-socket-type '{value}' (expected 'raw' or 'udp')")]
pub struct ParseSocketTypeError {
    /// The rejected value.
    pub value: String,
}

impl FromStr for DhcpSocketType {
    type Err = ParseSocketTypeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "raw" => Ok(Self::Raw),
            "udp" => Ok(Self::Udp),
            _ => Err(ParseSocketTypeError {
                value: s.to_owned(),
            }),
        }
    }
}

impl fmt::Display for DhcpSocketType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Raw => "raw",
            Self::Udp => "udp",
        })
    }
}

/// `outbound-interface`: where answers leave.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum OutboundInterface {
    /// Out of the interface the query came in on (default).
    #[default]
    SameAsInbound,
    /// Let the kernel routing table choose (only with `udp` sockets).
    UseRouting,
}

/// An unknown `outbound-interface` value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported outbound-interface '{value}' (expected 'same-as-inbound' or 'use-routing')")]
pub struct ParseOutboundError {
    /// The rejected value.
    pub value: String,
}

impl FromStr for OutboundInterface {
    type Err = ParseOutboundError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "same-as-inbound" => Ok(Self::SameAsInbound),
            "use-routing" => Ok(Self::UseRouting),
            _ => Err(ParseOutboundError {
                value: s.to_owned(),
            }),
        }
    }
}

/// One entry of the `interfaces` list.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum InterfaceSpec {
    /// `*`: every active, non-loopback interface.
    All,
    /// `eth0`: every address of the named interface.
    Iface(String),
    /// `eth0/192.0.2.1`: one address of the named interface.
    IfaceAddr(String, IpAddr),
}

impl fmt::Display for InterfaceSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::All => f.write_str("*"),
            Self::Iface(n) => f.write_str(n),
            Self::IfaceAddr(n, a) => write!(f, "{n}/{a}"),
        }
    }
}

/// Why an `interfaces` list cannot be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    /// The entry is empty or its address part is not an IP address.
    #[error("invalid interface specification '{spec}'")]
    BadSpec {
        /// The entry as written.
        spec: String,
    },
    /// The named interface does not exist.
    #[error("interface '{iface}' doesn't exist in the system")]
    UnknownIface {
        /// The interface name.
        iface: String,
    },
    /// The interface exists but does not hold the address.
    #[error("interface '{iface}' doesn't have address '{addr}' assigned")]
    UnknownAddress {
        /// The interface name.
        iface: String,
        /// The address asked for.
        addr: IpAddr,
    },
    /// An IPv6 address in a DHCPv4 list, or the reverse.
    #[error("address {addr} in '{iface}/{addr}' is of the wrong family for this server")]
    WrongFamily {
        /// The interface name.
        iface: String,
        /// The address asked for.
        addr: IpAddr,
    },
    /// The same entry is listed twice.
    #[error("interface specification '{spec}' is listed more than once")]
    Duplicate {
        /// The entry as written.
        spec: String,
    },
}

impl FromStr for InterfaceSpec {
    type Err = SelectError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || SelectError::BadSpec { spec: s.to_owned() };
        let s_trim = s.trim();
        if s_trim == "*" {
            return Ok(Self::All);
        }
        match s_trim.split_once('/') {
            None if !s_trim.is_empty() => Ok(Self::Iface(s_trim.to_owned())),
            None => Err(bad()),
            Some((name, addr)) => {
                let name = name.trim();
                if name.is_empty() {
                    return Err(bad());
                }
                let addr: IpAddr = addr.trim().parse().map_err(|_| bad())?;
                Ok(Self::IfaceAddr(name.to_owned(), addr))
            }
        }
    }
}

/// Parses every entry of an `interfaces` list.
pub fn parse_specs<S: AsRef<str>>(list: &[S]) -> Result<Vec<InterfaceSpec>, SelectError> {
    list.iter().map(|s| s.as_ref().parse()).collect()
}

/// Why an explicitly configured interface gets no socket now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// Not up and running.
    Down,
    /// No usable address of the server's family (IPv4; for IPv6, no
    /// link-local address).
    NoAddress,
    /// A loopback interface with `dhcp-socket-type: raw`.
    LoopbackNeedsUdp,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Down => "the interface is down",
            Self::NoAddress => "the interface has no usable address",
            Self::LoopbackNeedsUdp => "a loopback interface requires dhcp-socket-type 'udp'",
        })
    }
}

/// An explicitly configured interface that cannot be served now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The interface name.
    pub iface: String,
    /// Why.
    pub reason: SkipReason,
}

/// One DHCPv4 socket to open: an interface address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding4 {
    /// Interface name.
    pub iface: String,
    /// Interface index.
    pub ifindex: u32,
    /// Interface hardware address (source of raw frames).
    pub mac: Option<MacAddr>,
    /// The address the socket serves.
    pub addr: Ipv4Addr,
}

/// What a DHCPv6 socket listens on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listen6 {
    /// The link: bound to `[::]` on the device, joined to ff02::1:2 and
    /// ff05::1:3, so multicast and unicast to any address of it arrive.
    Link,
    /// One unicast address (`eth0/2001:db8::1`), for relays and clients that
    /// are told to unicast.
    Unicast(Ipv6Addr),
}

/// One DHCPv6 socket to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding6 {
    /// Interface name.
    pub iface: String,
    /// Interface index.
    pub ifindex: u32,
    /// The link-local address answers on the link are sent from (always
    /// present for [`Listen6::Link`]; a unicast-only binding may lack one).
    pub link_local: Option<Ipv6Addr>,
    /// What the socket listens on.
    pub listen: Listen6,
}

/// The outcome of resolving an `interfaces` list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection<B> {
    /// Sockets to open, in configuration order, without duplicates.
    pub bindings: Vec<B>,
    /// Explicitly named interfaces that cannot be served now.
    pub skipped: Vec<Skipped>,
}

impl<B> Default for Selection<B> {
    fn default() -> Self {
        Self {
            bindings: Vec::new(),
            skipped: Vec::new(),
        }
    }
}

impl<B: PartialEq> Selection<B> {
    fn push(&mut self, b: B) {
        if !self.bindings.contains(&b) {
            self.bindings.push(b);
        }
    }

    fn skip(&mut self, iface: &Iface, reason: SkipReason) {
        let s = Skipped {
            iface: iface.name.clone(),
            reason,
        };
        if !self.skipped.contains(&s) {
            self.skipped.push(s);
        }
    }
}

fn check_duplicates(specs: &[InterfaceSpec]) -> Result<(), SelectError> {
    for (i, s) in specs.iter().enumerate() {
        if specs[..i].contains(s) {
            return Err(SelectError::Duplicate {
                spec: s.to_string(),
            });
        }
    }
    Ok(())
}

fn lookup<'m>(mgr: &'m IfaceMgr, name: &str) -> Result<&'m Iface, SelectError> {
    mgr.get_by_name(name)
        .ok_or_else(|| SelectError::UnknownIface {
            iface: name.to_owned(),
        })
}

fn binding4(iface: &Iface, addr: Ipv4Addr) -> Binding4 {
    Binding4 {
        iface: iface.name.clone(),
        ifindex: iface.index,
        mac: iface.mac,
        addr,
    }
}

/// Resolves a DHCPv4 `interfaces` list: one [`Binding4`] per served address.
pub fn resolve4(
    mgr: &IfaceMgr,
    specs: &[InterfaceSpec],
    socket_type: DhcpSocketType,
) -> Result<Selection<Binding4>, SelectError> {
    check_duplicates(specs)?;
    let mut sel = Selection::default();
    // Validate every explicit entry first: a bad name is an error even when `*` is present.
    for spec in specs {
        match spec {
            InterfaceSpec::All => {}
            InterfaceSpec::Iface(name) => {
                lookup(mgr, name)?;
            }
            InterfaceSpec::IfaceAddr(name, addr) => {
                let iface = lookup(mgr, name)?;
                let IpAddr::V4(v4) = addr else {
                    return Err(SelectError::WrongFamily {
                        iface: name.clone(),
                        addr: *addr,
                    });
                };
                if !iface.has_ipv4(*v4) {
                    return Err(SelectError::UnknownAddress {
                        iface: name.clone(),
                        addr: *addr,
                    });
                }
            }
        }
    }
    let explicit_usable = |sel: &mut Selection<Binding4>, iface: &Iface| {
        if !iface.is_active() {
            sel.skip(iface, SkipReason::Down);
            false
        } else if iface.flags.loopback && socket_type == DhcpSocketType::Raw {
            sel.skip(iface, SkipReason::LoopbackNeedsUdp);
            false
        } else {
            true
        }
    };
    // Interfaces restricted to given addresses are served on those only.
    let restricted = |name: &str| {
        specs
            .iter()
            .any(|s| matches!(s, InterfaceSpec::IfaceAddr(n, _) if n == name))
    };
    for spec in specs {
        match spec {
            InterfaceSpec::All => {
                for iface in mgr.ifaces() {
                    if iface.is_active() && !iface.flags.loopback && !restricted(&iface.name) {
                        for a in iface.ipv4_addrs() {
                            sel.push(binding4(iface, a));
                        }
                    }
                }
            }
            InterfaceSpec::Iface(name) => {
                let iface = lookup(mgr, name)?;
                if explicit_usable(&mut sel, iface) {
                    if iface.addrs4.is_empty() {
                        sel.skip(iface, SkipReason::NoAddress);
                    }
                    for a in iface.ipv4_addrs() {
                        sel.push(binding4(iface, a));
                    }
                }
            }
            InterfaceSpec::IfaceAddr(name, addr) => {
                let iface = lookup(mgr, name)?;
                if let IpAddr::V4(a) = addr
                    && explicit_usable(&mut sel, iface)
                {
                    sel.push(binding4(iface, *a));
                }
            }
        }
    }
    Ok(sel)
}

/// Resolves a DHCPv6 `interfaces` list: one [`Listen6::Link`] binding per
/// interface plus one [`Listen6::Unicast`] per `name/address` entry.
/// Loopback interfaces are accepted when named explicitly.
pub fn resolve6(
    mgr: &IfaceMgr,
    specs: &[InterfaceSpec],
) -> Result<Selection<Binding6>, SelectError> {
    check_duplicates(specs)?;
    for spec in specs {
        match spec {
            InterfaceSpec::All => {}
            InterfaceSpec::Iface(name) => {
                lookup(mgr, name)?;
            }
            InterfaceSpec::IfaceAddr(name, addr) => {
                let iface = lookup(mgr, name)?;
                let IpAddr::V6(v6) = addr else {
                    return Err(SelectError::WrongFamily {
                        iface: name.clone(),
                        addr: *addr,
                    });
                };
                if !iface.has_ipv6(*v6) {
                    return Err(SelectError::UnknownAddress {
                        iface: name.clone(),
                        addr: *addr,
                    });
                }
            }
        }
    }
    let mut sel = Selection::default();
    let link = |sel: &mut Selection<Binding6>, iface: &Iface, explicit: bool| -> Option<Ipv6Addr> {
        let reason = if !iface.is_active() {
            SkipReason::Down
        } else if let Some(ll) = iface.link_local6() {
            sel.push(Binding6 {
                iface: iface.name.clone(),
                ifindex: iface.index,
                link_local: Some(ll),
                listen: Listen6::Link,
            });
            return Some(ll);
        } else {
            SkipReason::NoAddress
        };
        if explicit {
            sel.skip(iface, reason);
        }
        None
    };
    for spec in specs {
        match spec {
            InterfaceSpec::All => {
                for iface in mgr.ifaces() {
                    if !iface.flags.loopback {
                        link(&mut sel, iface, false);
                    }
                }
            }
            InterfaceSpec::Iface(name) => {
                link(&mut sel, lookup(mgr, name)?, true);
            }
            InterfaceSpec::IfaceAddr(name, addr) => {
                let iface = lookup(mgr, name)?;
                let IpAddr::V6(a) = addr else { continue };
                if !iface.is_active() {
                    sel.skip(iface, SkipReason::Down);
                    continue;
                }
                // The link socket too when there is a link-local address
                // (a loopback interface has none and serves the unicast only).
                let ll = link(&mut sel, iface, false);
                sel.push(Binding6 {
                    iface: iface.name.clone(),
                    ifindex: iface.index,
                    link_local: ll,
                    listen: Listen6::Unicast(*a),
                });
            }
        }
    }
    Ok(sel)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use crate::iface::IfaceFlags;

    fn iface(name: &str, index: u32, v4: &[&str], v6: &[&str]) -> Iface {
        let mut i = Iface::new(name, index);
        i.flags = IfaceFlags {
            up: true,
            running: true,
            broadcast: true,
            multicast: true,
            ..IfaceFlags::default()
        };
        i.mac = Some(MacAddr([2, 0, 0, 0, 0, u8::try_from(index).unwrap()]));
        i.addrs4 = v4.iter().map(|a| a.parse().unwrap()).collect();
        i.addrs6 = v6.iter().map(|a| a.parse().unwrap()).collect();
        i
    }

    fn mgr() -> IfaceMgr {
        let mut lo = iface("lo", 1, &["127.0.0.1/8"], &["::1/128"]);
        lo.flags.loopback = true;
        let eth0 = iface(
            "eth0",
            2,
            &["10.0.0.1/24", "10.0.0.2/24"],
            &["fe80::1/64", "2001:db8::1/64"],
        );
        let eth1 = iface("eth1", 3, &["192.0.2.1/24"], &["fe80::3/64"]);
        let mut down = iface("eth2", 4, &["198.51.100.1/24"], &["fe80::4/64"]);
        down.flags.up = false;
        let bare = iface("eth3", 5, &[], &[]);
        IfaceMgr::from_ifaces(vec![lo, eth0, eth1, down, bare])
    }

    fn specs(list: &[&str]) -> Vec<InterfaceSpec> {
        parse_specs(list).unwrap()
    }

    fn addrs(sel: &Selection<Binding4>) -> Vec<String> {
        sel.bindings
            .iter()
            .map(|b| format!("{}/{}", b.iface, b.addr))
            .collect()
    }

    #[test]
    fn parses_specs() {
        assert_eq!("*".parse(), Ok(InterfaceSpec::All));
        assert_eq!("eth0".parse(), Ok(InterfaceSpec::Iface("eth0".into())));
        assert_eq!(
            "eth0/192.0.2.1".parse(),
            Ok(InterfaceSpec::IfaceAddr(
                "eth0".into(),
                "192.0.2.1".parse().unwrap()
            ))
        );
        assert_eq!(
            "eth0/2001:db8::1"
                .parse::<InterfaceSpec>()
                .unwrap()
                .to_string(),
            "eth0/2001:db8::1"
        );
        for bad in ["", "/1.2.3.4", "eth0/", "eth0/notanip"] {
            assert!(
                matches!(
                    bad.parse::<InterfaceSpec>(),
                    Err(SelectError::BadSpec { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn socket_type_and_outbound_values() {
        assert_eq!("raw".parse(), Ok(DhcpSocketType::Raw));
        assert_eq!("udp".parse(), Ok(DhcpSocketType::Udp));
        assert!("tcp".parse::<DhcpSocketType>().is_err());
        assert_eq!("use-routing".parse(), Ok(OutboundInterface::UseRouting));
        assert_eq!(
            "same-as-inbound".parse(),
            Ok(OutboundInterface::SameAsInbound)
        );
        assert!("x".parse::<OutboundInterface>().is_err());
    }

    #[test]
    fn wildcard_skips_loopback_and_down() {
        let sel = resolve4(&mgr(), &specs(&["*"]), DhcpSocketType::Raw).unwrap();
        assert_eq!(
            addrs(&sel),
            ["eth0/10.0.0.1", "eth0/10.0.0.2", "eth1/192.0.2.1"]
        );
        assert!(sel.skipped.is_empty());
        assert_eq!(sel.bindings[2].ifindex, 3);
        assert_eq!(sel.bindings[2].mac, Some(MacAddr([2, 0, 0, 0, 0, 3])));
    }

    #[test]
    fn names_and_addresses() {
        let sel = resolve4(
            &mgr(),
            &specs(&["eth0/10.0.0.2", "eth1"]),
            DhcpSocketType::Raw,
        )
        .unwrap();
        assert_eq!(addrs(&sel), ["eth0/10.0.0.2", "eth1/192.0.2.1"]);
        // A wildcard with an address restriction keeps the restriction.
        let sel = resolve4(&mgr(), &specs(&["*", "eth0/10.0.0.2"]), DhcpSocketType::Raw).unwrap();
        assert_eq!(addrs(&sel), ["eth1/192.0.2.1", "eth0/10.0.0.2"]);
        // Name and wildcard together do not duplicate.
        let sel = resolve4(&mgr(), &specs(&["eth1", "*"]), DhcpSocketType::Raw).unwrap();
        assert_eq!(
            addrs(&sel),
            ["eth1/192.0.2.1", "eth0/10.0.0.1", "eth0/10.0.0.2"]
        );
    }

    #[test]
    fn loopback_only_with_udp() {
        let sel = resolve4(&mgr(), &specs(&["lo"]), DhcpSocketType::Udp).unwrap();
        assert_eq!(addrs(&sel), ["lo/127.0.0.1"]);
        let sel = resolve4(&mgr(), &specs(&["lo"]), DhcpSocketType::Raw).unwrap();
        assert!(sel.bindings.is_empty());
        assert_eq!(
            sel.skipped,
            [Skipped {
                iface: "lo".into(),
                reason: SkipReason::LoopbackNeedsUdp
            }]
        );
    }

    #[test]
    fn explicit_unusable_interfaces_are_skipped() {
        let sel = resolve4(&mgr(), &specs(&["eth2", "eth3"]), DhcpSocketType::Raw).unwrap();
        assert!(sel.bindings.is_empty());
        assert_eq!(
            sel.skipped,
            [
                Skipped {
                    iface: "eth2".into(),
                    reason: SkipReason::Down
                },
                Skipped {
                    iface: "eth3".into(),
                    reason: SkipReason::NoAddress
                },
            ]
        );
    }

    #[test]
    fn hard_errors() {
        let m = mgr();
        assert_eq!(
            resolve4(&m, &specs(&["*", "eth9"]), DhcpSocketType::Raw),
            Err(SelectError::UnknownIface {
                iface: "eth9".into()
            })
        );
        assert_eq!(
            resolve4(&m, &specs(&["eth1/10.0.0.1"]), DhcpSocketType::Raw),
            Err(SelectError::UnknownAddress {
                iface: "eth1".into(),
                addr: "10.0.0.1".parse().unwrap()
            })
        );
        assert!(matches!(
            resolve4(&m, &specs(&["eth0/fe80::1"]), DhcpSocketType::Raw),
            Err(SelectError::WrongFamily { .. })
        ));
        assert!(matches!(
            resolve6(&m, &specs(&["eth0/10.0.0.1"])),
            Err(SelectError::WrongFamily { .. })
        ));
        assert_eq!(
            resolve4(&m, &specs(&["eth0", "eth0"]), DhcpSocketType::Raw),
            Err(SelectError::Duplicate {
                spec: "eth0".into()
            })
        );
        let msg = SelectError::UnknownIface {
            iface: "eth9".into(),
        }
        .to_string();
        assert!(msg.contains("eth9"), "{msg}");
    }

    #[test]
    fn v6_link_and_unicast() {
        let sel = resolve6(&mgr(), &specs(&["*"])).unwrap();
        let got: Vec<_> = sel
            .bindings
            .iter()
            .map(|b| (b.iface.as_str(), b.listen))
            .collect();
        assert_eq!(got, [("eth0", Listen6::Link), ("eth1", Listen6::Link)]);

        let sel = resolve6(
            &mgr(),
            &specs(&["eth0/2001:db8::1", "lo", "eth3", "lo/::1"]),
        )
        .unwrap();
        let got: Vec<_> = sel
            .bindings
            .iter()
            .map(|b| (b.iface.as_str(), b.listen, b.link_local))
            .collect();
        let ll: Option<Ipv6Addr> = Some("fe80::1".parse().unwrap());
        assert_eq!(
            got,
            [
                ("eth0", Listen6::Link, ll),
                ("eth0", Listen6::Unicast("2001:db8::1".parse().unwrap()), ll),
                ("lo", Listen6::Unicast(Ipv6Addr::LOCALHOST), None),
            ]
        );
        // lo has no link-local; eth3 has nothing.
        assert_eq!(
            sel.skipped,
            [
                Skipped {
                    iface: "lo".into(),
                    reason: SkipReason::NoAddress
                },
                Skipped {
                    iface: "eth3".into(),
                    reason: SkipReason::NoAddress
                },
            ]
        );
    }
}
