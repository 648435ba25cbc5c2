//! Subnet selection for a DHCPv6 query (ARM `dhcp6-srv.rst` "IPv6 Subnet Selection",
//! "DHCPv6 Relays"): a relayed query by the relay's interface-id, then by the relay's
//! address (`relay.ip-addresses`) or the link-address of the relay closest to the client;
//! a direct one by the subnet's `interface`, then by the client's source address.

use std::net::Ipv6Addr;
use std::sync::Arc;

use super::cfg::{SrvConfig6, Subnet6};
use crate::classes::ClientClasses;

/// What the server knows about where a query came from.
#[derive(Debug, Clone)]
pub struct Selector6<'a> {
    /// Link-address of the relay closest to the client (`None` when not relayed).
    pub first_relay_linkaddr: Option<Ipv6Addr>,
    /// Interface-id option of the relays, when present.
    pub interface_id: Option<&'a [u8]>,
    /// Source address of the datagram.
    pub remote: Ipv6Addr,
    /// Receiving interface name.
    pub iface_name: &'a str,
}

fn admits(cfg: &SrvConfig6, s: &Subnet6, classes: &ClientClasses) -> bool {
    classes.admits(s.client_class.as_deref())
        && cfg
            .network_of(s)
            .is_none_or(|n| classes.admits(n.client_class.as_deref()))
}

/// Picks the subnet for a query, or `None` when the query cannot be served.
pub fn select_subnet6(
    cfg: &SrvConfig6,
    sel: &Selector6<'_>,
    classes: &ClientClasses,
) -> Option<Arc<Subnet6>> {
    let pick = |f: &dyn Fn(&Subnet6) -> bool| {
        cfg.subnets
            .iter()
            .find(|s| f(s) && admits(cfg, s, classes))
            .cloned()
    };
    if let Some(link) = sel.first_relay_linkaddr {
        if let Some(id) = sel.interface_id {
            let by_id = pick(&|s| {
                s.interface_id.as_deref() == Some(id)
                    || cfg
                        .network_of(s)
                        .is_some_and(|n| n.interface_id.as_deref() == Some(id))
            });
            if by_id.is_some() {
                return by_id;
            }
        }
        let by_relay = pick(&|s| {
            s.relay_addresses.contains(&link)
                || cfg
                    .network_of(s)
                    .is_some_and(|n| n.relay_addresses.contains(&link))
        });
        if by_relay.is_some() {
            return by_relay;
        }
        return pick(&|s| s.in_range(link));
    }
    let by_iface = pick(&|s| {
        let iface = s
            .interface
            .as_deref()
            .or_else(|| cfg.network_of(s).and_then(|n| n.interface.as_deref()));
        !sel.iface_name.is_empty() && iface == Some(sel.iface_name)
    });
    if by_iface.is_some() {
        return by_iface;
    }
    pick(&|s| s.in_range(sel.remote))
}
