//! The runtime DHCPv6 configuration: what a worker reads for every packet.
//!
//! ARM `dhcp6-srv.rst`: subnets with address pools and prefix delegation pools, shared
//! networks, reservations, classes; inheritance is resolved when it is built.

use std::collections::HashMap;
use std::net::Ipv6Addr;
use std::sync::Arc;

use ipnet::Ipv6Net;

use crate::alloc::{AddrRange, Allocator};
use crate::classes::EvalStage;
use crate::host::{HostStore6, IdentifierType};
use crate::lifetime::{TeeTimes, Triplet};
use crate::options::OptionSet;

/// Parameters a subnet inherits from its shared network and the global scope, resolved.
#[derive(Debug, Clone)]
pub struct Params6 {
    /// `valid-lifetime` with its bounds.
    pub valid_lifetime: Triplet,
    /// `preferred-lifetime` with its bounds.
    pub preferred_lifetime: Triplet,
    /// T1/T2 settings (calculated from the preferred lifetime by default in DHCPv6).
    pub tee: TeeTimes,
    /// `rapid-commit`.
    pub rapid_commit: bool,
    /// `reservations-global`.
    pub reservations_global: bool,
    /// `reservations-in-subnet`.
    pub reservations_in_subnet: bool,
    /// `reservations-out-of-pool`.
    pub reservations_out_of_pool: bool,
    /// `cache-threshold`.
    pub cache_threshold: Option<f64>,
    /// `cache-max-age`.
    pub cache_max_age: Option<u32>,
}

/// An address pool.
#[derive(Debug, Clone)]
pub struct Pool6 {
    /// The addresses.
    pub range: AddrRange,
    /// `option-data`.
    pub options: OptionSet,
    /// `client-class` guard.
    pub client_class: Option<String>,
    /// `require-client-classes`.
    pub require_client_classes: Vec<String>,
}

impl Pool6 {
    /// Whether `addr` is in the pool.
    pub fn contains(&self, addr: Ipv6Addr) -> bool {
        self.range.contains(u128::from(addr))
    }
}

/// A prefix delegation pool: `prefix/prefix-len` cut into `/delegated-len` prefixes.
#[derive(Debug, Clone)]
pub struct PdPool6 {
    /// `prefix`.
    pub prefix: Ipv6Addr,
    /// `prefix-len`.
    pub prefix_len: u8,
    /// `delegated-len`.
    pub delegated_len: u8,
    /// Indices of the delegated prefixes (0 .. 2^(delegated-len − prefix-len)).
    pub range: AddrRange,
    /// `excluded-prefix` / `excluded-prefix-len` (RFC 6603), if any.
    pub excluded: Option<(Ipv6Addr, u8)>,
    /// `option-data`.
    pub options: OptionSet,
    /// `client-class` guard.
    pub client_class: Option<String>,
    /// `require-client-classes`.
    pub require_client_classes: Vec<String>,
}

impl PdPool6 {
    /// The delegated prefix with index `i`.
    pub fn prefix_at(&self, i: u128) -> Ipv6Addr {
        let shift = 128 - u32::from(self.delegated_len);
        let offset = i.checked_shl(shift).unwrap_or(0);
        Ipv6Addr::from(u128::from(self.prefix) | offset)
    }

    /// The index of `prefix` when it is one of this pool's delegated prefixes.
    pub fn index_of(&self, prefix: Ipv6Addr, len: u8) -> Option<u128> {
        if len != self.delegated_len {
            return None;
        }
        let p = u128::from(prefix);
        let base = u128::from(self.prefix);
        let pool_mask = if self.prefix_len == 0 {
            0
        } else {
            u128::MAX << (128 - u32::from(self.prefix_len))
        };
        if p & pool_mask != base & pool_mask {
            return None;
        }
        let shift = 128 - u32::from(self.delegated_len);
        let i = (p - base).checked_shr(shift)?;
        (self.range.contains(i) && self.prefix_at(i) == prefix).then_some(i)
    }
}

/// One `subnet6` entry.
#[derive(Debug)]
pub struct Subnet6 {
    /// `id`.
    pub id: u32,
    /// `subnet`.
    pub prefix: Ipv6Net,
    /// `pools`.
    pub pools: Vec<Pool6>,
    /// `pd-pools`.
    pub pd_pools: Vec<PdPool6>,
    /// Name of the shared network it belongs to.
    pub shared_network: Option<Arc<str>>,
    /// `interface`.
    pub interface: Option<String>,
    /// `interface-id` (relay option 18 value).
    pub interface_id: Option<Vec<u8>>,
    /// `relay.ip-addresses`.
    pub relay_addresses: Vec<Ipv6Addr>,
    /// `client-class` guard.
    pub client_class: Option<String>,
    /// `require-client-classes`.
    pub require_client_classes: Vec<String>,
    /// Effective inherited parameters.
    pub params: Params6,
    /// `option-data` of the subnet.
    pub options: OptionSet,
    /// Allocator over the address pools.
    pub na_alloc: Allocator,
    /// Allocator over the delegated prefix indices of each pd-pool.
    pub pd_alloc: Allocator,
}

impl Subnet6 {
    /// Whether `addr` is inside the subnet prefix.
    pub fn in_range(&self, addr: Ipv6Addr) -> bool {
        self.prefix.contains(&addr)
    }

    /// The address pool holding `addr`.
    pub fn pool_of(&self, addr: Ipv6Addr) -> Option<&Pool6> {
        self.pools.iter().find(|p| p.contains(addr))
    }

    /// The pd-pool delegating `prefix/len`.
    pub fn pd_pool_of(&self, prefix: Ipv6Addr, len: u8) -> Option<&PdPool6> {
        self.pd_pools
            .iter()
            .find(|p| p.index_of(prefix, len).is_some())
    }

    /// Addresses in the pools (`total-nas`).
    pub fn total_nas(&self) -> u128 {
        self.na_alloc.capacity()
    }

    /// Prefixes in the pd-pools (`total-pds`).
    pub fn total_pds(&self) -> u128 {
        self.pd_alloc.capacity()
    }
}

/// One `shared-networks` entry.
#[derive(Debug)]
pub struct SharedNetwork6 {
    /// `name`.
    pub name: Arc<str>,
    /// Member subnet ids in configuration order.
    pub subnet_ids: Vec<u32>,
    /// `option-data`.
    pub options: OptionSet,
    /// `interface`.
    pub interface: Option<String>,
    /// `interface-id`.
    pub interface_id: Option<Vec<u8>>,
    /// `relay.ip-addresses`.
    pub relay_addresses: Vec<Ipv6Addr>,
    /// `client-class` guard.
    pub client_class: Option<String>,
    /// `require-client-classes`.
    pub require_client_classes: Vec<String>,
}

/// A DHCPv6 client class.
#[derive(Debug, Clone, Default)]
pub struct ClientClass6 {
    /// `name`.
    pub name: String,
    /// `test` or `template-test`, parsed.
    pub test: Option<crate::classes::ClassTest>,
    /// When `test` (or `template-test`) is evaluated.
    pub stage: EvalStage,
    /// `option-data`.
    pub options: OptionSet,
    /// `valid-lifetime` of the class.
    pub valid_lifetime: Option<Triplet>,
    /// `preferred-lifetime` of the class.
    pub preferred_lifetime: Option<Triplet>,
}

/// Server-wide DHCPv6 settings.
#[derive(Debug, Clone)]
pub struct Global6 {
    /// This server's DUID (option 2 contents).
    pub server_id: Vec<u8>,
    /// `host-reservation-identifiers`, in lookup order.
    pub host_reservation_identifiers: Vec<IdentifierType>,
    /// `decline-probation-period`.
    pub decline_probation_period: u32,
    /// `server-tag`.
    pub server_tag: String,
    /// `ip-reservations-unique`.
    pub ip_reservations_unique: bool,
}

/// The whole runtime configuration of kea-dhcp6.
#[derive(Debug)]
pub struct SrvConfig6 {
    /// Subnets in configuration order.
    pub subnets: Vec<Arc<Subnet6>>,
    /// Subnets by id.
    pub subnet_by_id: HashMap<u32, Arc<Subnet6>>,
    /// Shared networks by name.
    pub shared_networks: HashMap<Arc<str>, SharedNetwork6>,
    /// Classes in configuration order.
    pub classes: Vec<ClientClass6>,
    /// Reservations.
    pub hosts: HostStore6,
    /// Global `option-data`.
    pub options: OptionSet,
    /// Server-wide settings.
    pub global: Global6,
    /// Effective global parameters.
    pub params: Params6,
}

impl SrvConfig6 {
    /// The subnet with `id`.
    pub fn subnet(&self, id: u32) -> Option<&Arc<Subnet6>> {
        self.subnet_by_id.get(&id)
    }

    /// The shared network of `subnet`.
    pub fn network_of(&self, subnet: &Subnet6) -> Option<&SharedNetwork6> {
        subnet
            .shared_network
            .as_ref()
            .and_then(|n| self.shared_networks.get(n))
    }

    /// `subnet` and its shared-network siblings (itself first).
    pub fn siblings<'a>(&'a self, subnet: &'a Arc<Subnet6>) -> Vec<&'a Arc<Subnet6>> {
        let mut out = vec![subnet];
        if let Some(net) = self.network_of(subnet) {
            out.extend(
                net.subnet_ids
                    .iter()
                    .filter(|&&id| id != subnet.id)
                    .filter_map(|id| self.subnet_by_id.get(id)),
            );
        }
        out
    }

    /// A class by name.
    pub fn class(&self, name: &str) -> Option<&ClientClass6> {
        self.classes.iter().find(|c| c.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pd_pool_indices_map_to_prefixes() {
        let p = PdPool6 {
            prefix: "2001:db8:8::".parse().unwrap(),
            prefix_len: 56,
            delegated_len: 64,
            range: AddrRange::new(0, 255).unwrap(),
            excluded: None,
            options: OptionSet::default(),
            client_class: None,
            require_client_classes: Vec::new(),
        };
        assert_eq!(p.prefix_at(0), "2001:db8:8::".parse::<Ipv6Addr>().unwrap());
        assert_eq!(
            p.prefix_at(1),
            "2001:db8:8:1::".parse::<Ipv6Addr>().unwrap()
        );
        assert_eq!(
            p.prefix_at(255),
            "2001:db8:8:ff::".parse::<Ipv6Addr>().unwrap()
        );
        assert_eq!(p.index_of("2001:db8:8:7::".parse().unwrap(), 64), Some(7));
        assert_eq!(p.index_of("2001:db8:8:7::".parse().unwrap(), 60), None);
        assert_eq!(p.index_of("2001:db8:9::".parse().unwrap(), 64), None);
        assert_eq!(p.index_of("2001:db8:8:7::1".parse().unwrap(), 64), None);
    }
}
