//! The runtime DHCPv4 configuration: what a worker reads for every packet.
//!
//! Built once from the validated `Dhcp4` model (see [`super::build`]) and published as a whole;
//! inheritance (global → shared network → subnet) is resolved at build time so that the packet
//! path reads each effective parameter directly.

use std::collections::HashMap;
use std::net::Ipv4Addr;
use std::sync::Arc;

use ipnet::Ipv4Net;

use crate::alloc::{AddrRange, Allocator};
use crate::host::{HostStore4, IdentifierType};
use crate::lifetime::{TeeTimes, Triplet};
use crate::options::OptionSet;

/// Parameters that a subnet inherits from its shared network and the global scope, resolved.
#[derive(Debug, Clone)]
pub struct Params4 {
    /// `valid-lifetime` with `min-`/`max-valid-lifetime`.
    pub valid_lifetime: Triplet,
    /// T1/T2 settings.
    pub tee: TeeTimes,
    /// `match-client-id`.
    pub match_client_id: bool,
    /// `authoritative`.
    pub authoritative: bool,
    /// `next-server`; `None` or 0.0.0.0 means not sent.
    pub next_server: Option<Ipv4Addr>,
    /// `server-hostname`.
    pub server_hostname: Option<String>,
    /// `boot-file-name`.
    pub boot_file_name: Option<String>,
    /// `reservations-global`.
    pub reservations_global: bool,
    /// `reservations-in-subnet`.
    pub reservations_in_subnet: bool,
    /// `reservations-out-of-pool`.
    pub reservations_out_of_pool: bool,
    /// `cache-threshold` (lease caching).
    pub cache_threshold: Option<f64>,
    /// `cache-max-age` (lease caching).
    pub cache_max_age: Option<u32>,
    /// The `ddns-*` and `hostname-char-*` parameters (issue 8, DDNS).
    pub ddns: crate::ddns::DdnsParams,
}

/// One address pool of a subnet.
#[derive(Debug, Clone)]
pub struct Pool4 {
    /// The addresses.
    pub range: AddrRange,
    /// `option-data` of the pool.
    pub options: OptionSet,
    /// `client-class` guard.
    pub client_class: Option<String>,
    /// `require-client-classes`.
    pub require_client_classes: Vec<String>,
}

impl Pool4 {
    /// First address.
    pub fn first(&self) -> Ipv4Addr {
        Ipv4Addr::from(self.range.first as u32)
    }

    /// Last address.
    pub fn last(&self) -> Ipv4Addr {
        Ipv4Addr::from(self.range.last as u32)
    }

    /// Whether `addr` is in the pool.
    pub fn contains(&self, addr: Ipv4Addr) -> bool {
        self.range.contains(u32::from(addr).into())
    }
}

/// One `subnet4` entry.
#[derive(Debug)]
pub struct Subnet4 {
    /// `id`.
    pub id: u32,
    /// `subnet`.
    pub prefix: Ipv4Net,
    /// `pools`.
    pub pools: Vec<Pool4>,
    /// Name of the shared network the subnet belongs to.
    pub shared_network: Option<Arc<str>>,
    /// `interface`: the subnet is directly reachable through this interface.
    pub interface: Option<String>,
    /// `relay.ip-addresses`.
    pub relay_addresses: Vec<Ipv4Addr>,
    /// `client-class` guard.
    pub client_class: Option<String>,
    /// `require-client-classes`.
    pub require_client_classes: Vec<String>,
    /// Effective inherited parameters.
    pub params: Params4,
    /// `option-data` of the subnet itself.
    pub options: OptionSet,
    /// Allocator state over the pools.
    pub allocator: Allocator,
}

impl Subnet4 {
    /// Whether `addr` belongs to the subnet's prefix.
    pub fn in_range(&self, addr: Ipv4Addr) -> bool {
        self.prefix.contains(&addr)
    }

    /// The pool holding `addr`.
    pub fn pool_of(&self, addr: Ipv4Addr) -> Option<&Pool4> {
        self.pools.iter().find(|p| p.contains(addr))
    }

    /// Whether `addr` is in one of the pools.
    pub fn in_pool(&self, addr: Ipv4Addr) -> bool {
        self.pool_of(addr).is_some()
    }

    /// Total addresses in the pools (`subnet[id].total-addresses`).
    pub fn total_addresses(&self) -> u128 {
        self.allocator.capacity()
    }
}

/// One `shared-networks` entry.
#[derive(Debug)]
pub struct SharedNetwork4 {
    /// `name`.
    pub name: Arc<str>,
    /// Ids of its subnets, in configuration order.
    pub subnet_ids: Vec<u32>,
    /// `option-data` of the network.
    pub options: OptionSet,
    /// `interface` of the network.
    pub interface: Option<String>,
    /// `relay.ip-addresses` of the network.
    pub relay_addresses: Vec<Ipv4Addr>,
    /// `client-class` guard.
    pub client_class: Option<String>,
    /// `require-client-classes`.
    pub require_client_classes: Vec<String>,
}

pub use crate::classes::{ClassTest, EvalStage};

/// A client class as far as the DHCPv4 server needs it.
#[derive(Debug, Clone, Default)]
pub struct ClientClass4 {
    /// `name`.
    pub name: String,
    /// `test` or `template-test`, parsed; a class without either is assigned by
    /// reservations or requirements.
    pub test: Option<ClassTest>,
    /// When `test` (or `template-test`) is evaluated.
    pub stage: EvalStage,
    /// `option-data`.
    pub options: OptionSet,
    /// `next-server` fixed field.
    pub next_server: Option<Ipv4Addr>,
    /// `server-hostname` fixed field.
    pub server_hostname: Option<String>,
    /// `boot-file-name` fixed field.
    pub boot_file_name: Option<String>,
    /// `valid-lifetime` of the class, overriding the subnet's.
    pub valid_lifetime: Option<Triplet>,
}

/// Server-wide settings that have no subnet-level override.
#[derive(Debug, Clone)]
pub struct Global4 {
    /// `echo-client-id`.
    pub echo_client_id: bool,
    /// `host-reservation-identifiers`, in lookup order.
    pub host_reservation_identifiers: Vec<IdentifierType>,
    /// `decline-probation-period` in seconds.
    pub decline_probation_period: u32,
    /// `server-tag`.
    pub server_tag: String,
    /// `compatibility.ignore-dhcp-server-identifier`.
    pub ignore_dhcp_server_identifier: bool,
    /// `compatibility.ignore-rai-link-selection`.
    pub ignore_rai_link_selection: bool,
    /// `compatibility.exclude-first-last-24`.
    pub exclude_first_last_24: bool,
    /// `ip-reservations-unique`.
    pub ip_reservations_unique: bool,
    /// `dhcp-ddns.enable-updates`: NCRs go to D2 (issue 8, DDNS).
    pub ddns_enabled: bool,
}

/// The whole runtime configuration of kea-dhcp4.
#[derive(Debug)]
pub struct SrvConfig4 {
    /// Subnets in configuration order (plain and shared-network members alike).
    pub subnets: Vec<Arc<Subnet4>>,
    /// Subnet lookup by id.
    pub subnet_by_id: HashMap<u32, Arc<Subnet4>>,
    /// Shared networks by name.
    pub shared_networks: HashMap<Arc<str>, SharedNetwork4>,
    /// Client classes in configuration order.
    pub classes: Vec<ClientClass4>,
    /// Reservations.
    pub hosts: HostStore4,
    /// Global `option-data`.
    pub options: OptionSet,
    /// Global-only settings.
    pub global: Global4,
    /// Effective global parameters (used when no subnet applies, e.g. global reservations).
    pub params: Params4,
}

impl SrvConfig4 {
    /// The subnet with `id`.
    pub fn subnet(&self, id: u32) -> Option<&Arc<Subnet4>> {
        self.subnet_by_id.get(&id)
    }

    /// Subnets sharing a network with `subnet` (itself first), or just `subnet`.
    pub fn siblings<'a>(&'a self, subnet: &'a Arc<Subnet4>) -> Vec<&'a Arc<Subnet4>> {
        let mut out = vec![subnet];
        if let Some(net) = subnet
            .shared_network
            .as_ref()
            .and_then(|n| self.shared_networks.get(n))
        {
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
    pub fn class(&self, name: &str) -> Option<&ClientClass4> {
        self.classes.iter().find(|c| c.name == name)
    }
}
