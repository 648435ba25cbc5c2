//! Subnet selection for a DHCPv4 query.
//!
//! ARM `dhcp4-srv.rst` "How the DHCPv4 Server Selects a Subnet for the Client" and "Using a
//! Specific Relay Agent for a Subnet": the subnet-selection option (RFC 3011) or the relay
//! agent's link-selection sub-option (RFC 3527) name the link first; a relayed query is matched
//! by `relay.ip-addresses`, then by giaddr; a renewing client by ciaddr; a local client by the
//! subnet's `interface`, then by the address of the interface the query came in on.

use std::net::Ipv4Addr;
use std::sync::Arc;

use super::cfg::{SrvConfig4, Subnet4};
use crate::classes::ClientClasses;

/// What the server knows about where a query came from.
#[derive(Debug, Clone, Default)]
pub struct Selector<'a> {
    /// Address from option 118 or RAI sub-option 5, when present and honoured.
    pub option_select: Option<Ipv4Addr>,
    /// `giaddr` of the query.
    pub giaddr: Option<Ipv4Addr>,
    /// `ciaddr` of the query.
    pub ciaddr: Option<Ipv4Addr>,
    /// Source address of the datagram.
    pub remote: Option<Ipv4Addr>,
    /// Whether the datagram was sent to the broadcast address.
    pub local_is_broadcast: bool,
    /// Name of the receiving interface.
    pub iface_name: &'a str,
    /// IPv4 addresses of the receiving interface.
    pub iface_addrs: &'a [Ipv4Addr],
}

fn admits(cfg: &SrvConfig4, s: &Subnet4, classes: &ClientClasses) -> bool {
    if !classes.admits(s.client_class.as_deref()) {
        return false;
    }
    match s
        .shared_network
        .as_ref()
        .and_then(|n| cfg.shared_networks.get(n))
    {
        Some(net) => classes.admits(net.client_class.as_deref()),
        None => true,
    }
}

/// Picks the subnet for a query, or `None` when the query must be dropped.
pub fn select_subnet(
    cfg: &SrvConfig4,
    sel: &Selector<'_>,
    classes: &ClientClasses,
) -> Option<Arc<Subnet4>> {
    let by_addr = |addr: Ipv4Addr| {
        cfg.subnets
            .iter()
            .find(|s| s.in_range(addr) && admits(cfg, s, classes))
            .cloned()
    };
    if let Some(a) = sel.option_select {
        return by_addr(a);
    }
    if let Some(gi) = sel.giaddr {
        let by_relay = cfg.subnets.iter().find(|s| {
            let net_relays = s
                .shared_network
                .as_ref()
                .and_then(|n| cfg.shared_networks.get(n))
                .map(|n| n.relay_addresses.as_slice())
                .unwrap_or(&[]);
            (s.relay_addresses.contains(&gi) || net_relays.contains(&gi)) && admits(cfg, s, classes)
        });
        if let Some(s) = by_relay {
            return Some(s.clone());
        }
        return by_addr(gi);
    }
    if let Some(ci) = sel.ciaddr.filter(|_| !sel.local_is_broadcast) {
        return by_addr(ci);
    }
    if let Some(r) = sel.remote.filter(|_| !sel.local_is_broadcast) {
        return by_addr(r);
    }
    if !sel.iface_name.is_empty() {
        let by_iface = cfg.subnets.iter().find(|s| {
            let iface = s.interface.as_deref().or_else(|| {
                s.shared_network
                    .as_ref()
                    .and_then(|n| cfg.shared_networks.get(n))
                    .and_then(|n| n.interface.as_deref())
            });
            iface == Some(sel.iface_name) && admits(cfg, s, classes)
        });
        if let Some(s) = by_iface {
            return Some(s.clone());
        }
    }
    sel.iface_addrs.iter().find_map(|&a| by_addr(a))
}
