//! Host reservations as the server holds them, indexed by identifier.
//!
//! ARM `dhcp4-srv.rst` "Host Reservations in DHCPv4" and "Global Reservations in DHCPv4":
//! a reservation belongs to one subnet (`subnet-id`) or to the global scope (id 0) and is
//! found by one of the client's identifiers, tried in `host-reservation-identifiers` order.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;

use crate::options::OptionSet;

/// Subnet id used by Kea for global reservations.
pub const GLOBAL_SUBNET_ID: u32 = 0;

/// Kinds of identifier a reservation can name (`host-reservation-identifiers`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdentifierType {
    /// `hw-address`: the client's hardware address (chaddr).
    HwAddress,
    /// `duid`: a DUID, for DHCPv4 the DUID inside an RFC 4361 client identifier.
    Duid,
    /// `circuit-id`: relay agent information sub-option 1.
    CircuitId,
    /// `client-id`: the whole client identifier option (61).
    ClientId,
    /// `flex-id`: computed by the flex_id hook.
    FlexId,
}

impl IdentifierType {
    /// Parses Kea's configuration word.
    pub fn from_config(s: &str) -> Option<Self> {
        Some(match s {
            "hw-address" => Self::HwAddress,
            "duid" => Self::Duid,
            "circuit-id" => Self::CircuitId,
            "client-id" => Self::ClientId,
            "flex-id" => Self::FlexId,
            _ => return None,
        })
    }

    /// Kea's configuration word.
    pub fn as_config(self) -> &'static str {
        match self {
            Self::HwAddress => "hw-address",
            Self::Duid => "duid",
            Self::CircuitId => "circuit-id",
            Self::ClientId => "client-id",
            Self::FlexId => "flex-id",
        }
    }
}

/// One DHCPv4 host reservation.
#[derive(Debug, Clone, Default)]
pub struct Host4 {
    /// The identifier it is found by.
    pub identifier: Option<(IdentifierType, Vec<u8>)>,
    /// Subnet the reservation belongs to; [`GLOBAL_SUBNET_ID`] for global ones.
    pub subnet_id: u32,
    /// `ip-address`, when an address is reserved.
    pub address: Option<Ipv4Addr>,
    /// `hostname`.
    pub hostname: String,
    /// `next-server` (siaddr).
    pub next_server: Option<Ipv4Addr>,
    /// `server-hostname` (sname).
    pub server_hostname: Option<String>,
    /// `boot-file-name` (file).
    pub boot_file_name: Option<String>,
    /// `client-classes` the client is put into.
    pub client_classes: Vec<String>,
    /// `option-data` of the reservation.
    pub options: OptionSet,
}

/// One DHCPv6 host reservation.
#[derive(Debug, Clone, Default)]
pub struct Host6 {
    /// The identifier it is found by.
    pub identifier: Option<(IdentifierType, Vec<u8>)>,
    /// Subnet the reservation belongs to; [`GLOBAL_SUBNET_ID`] for global ones.
    pub subnet_id: u32,
    /// `ip-addresses`.
    pub addresses: Vec<Ipv6Addr>,
    /// `prefixes`, as (prefix, length).
    pub prefixes: Vec<(Ipv6Addr, u8)>,
    /// `hostname`.
    pub hostname: String,
    /// `client-classes` the client is put into.
    pub client_classes: Vec<String>,
    /// `option-data` of the reservation.
    pub options: OptionSet,
}

/// What the host index needs to know about a reservation.
pub trait HostEntry {
    /// The identifier it is found by.
    fn identifier(&self) -> Option<&(IdentifierType, Vec<u8>)>;
    /// Its subnet ([`GLOBAL_SUBNET_ID`] for global).
    fn subnet_id(&self) -> u32;
    /// Addresses (and prefix starts) it reserves.
    fn reserved(&self) -> Vec<IpAddr>;
}

impl HostEntry for Host4 {
    fn identifier(&self) -> Option<&(IdentifierType, Vec<u8>)> {
        self.identifier.as_ref()
    }
    fn subnet_id(&self) -> u32 {
        self.subnet_id
    }
    fn reserved(&self) -> Vec<IpAddr> {
        self.address.map(IpAddr::V4).into_iter().collect()
    }
}

impl HostEntry for Host6 {
    fn identifier(&self) -> Option<&(IdentifierType, Vec<u8>)> {
        self.identifier.as_ref()
    }
    fn subnet_id(&self) -> u32 {
        self.subnet_id
    }
    fn reserved(&self) -> Vec<IpAddr> {
        self.addresses
            .iter()
            .chain(self.prefixes.iter().map(|(p, _)| p))
            .map(|a| IpAddr::V6(*a))
            .collect()
    }
}

/// All reservations of a configuration, indexed.
#[derive(Debug)]
pub struct HostStore<H> {
    by_id: HashMap<(u32, IdentifierType, Vec<u8>), Arc<H>>,
    by_addr: HashMap<(u32, IpAddr), Vec<Arc<H>>>,
    all: Vec<Arc<H>>,
}

impl<H> Default for HostStore<H> {
    fn default() -> Self {
        Self {
            by_id: HashMap::new(),
            by_addr: HashMap::new(),
            all: Vec::new(),
        }
    }
}

/// DHCPv4 reservations.
pub type HostStore4 = HostStore<Host4>;
/// DHCPv6 reservations.
pub type HostStore6 = HostStore<Host6>;

/// Why a reservation could not be added.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HostError {
    /// Two reservations in one subnet name the same identifier.
    #[error("duplicate {kind} reservation in subnet {subnet_id}")]
    DuplicateIdentifier {
        /// The identifier type.
        kind: &'static str,
        /// The subnet.
        subnet_id: u32,
    },
    /// Two reservations in one subnet reserve the same address.
    #[error("duplicate reservation for address {address} in subnet {subnet_id}")]
    DuplicateAddress {
        /// The address.
        address: IpAddr,
        /// The subnet.
        subnet_id: u32,
    },
}

impl<H: HostEntry> HostStore<H> {
    /// Adds a reservation; identifiers and addresses must be unique within a subnet
    /// (Kea's default, `ip-reservations-unique: true`).
    pub fn add(&mut self, host: H, addresses_unique: bool) -> Result<(), HostError> {
        let host = Arc::new(host);
        let subnet_id = host.subnet_id();
        if let Some((t, id)) = host.identifier() {
            let key = (subnet_id, *t, id.clone());
            if self.by_id.contains_key(&key) {
                return Err(HostError::DuplicateIdentifier {
                    kind: t.as_config(),
                    subnet_id,
                });
            }
            self.by_id.insert(key, host.clone());
        }
        for a in host.reserved() {
            let list = self.by_addr.entry((subnet_id, a)).or_default();
            if addresses_unique && !list.is_empty() {
                return Err(HostError::DuplicateAddress {
                    address: a,
                    subnet_id,
                });
            }
            list.push(host.clone());
        }
        self.all.push(host);
        Ok(())
    }

    /// The reservation of `subnet_id` for the first identifier of `ids` that has one.
    pub fn find(&self, subnet_id: u32, ids: &[(IdentifierType, Vec<u8>)]) -> Option<&Arc<H>> {
        ids.iter().find_map(|(t, v)| {
            self.by_id
                .get(&(subnet_id, *t, v.clone()))
                .filter(|_| !v.is_empty())
        })
    }

    /// Reservations of `address` in `subnet_id`.
    pub fn by_address(&self, subnet_id: u32, address: impl Into<IpAddr>) -> &[Arc<H>] {
        self.by_addr
            .get(&(subnet_id, address.into()))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Every reservation, in configuration order.
    pub fn all(&self) -> &[Arc<H>] {
        &self.all
    }

    /// Number of reservations.
    pub fn len(&self) -> usize {
        self.all.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.all.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(subnet_id: u32, mac: u8, addr: Option<Ipv4Addr>) -> Host4 {
        Host4 {
            identifier: Some((IdentifierType::HwAddress, vec![1, 2, 3, 4, 5, mac])),
            subnet_id,
            address: addr,
            ..Host4::default()
        }
    }

    #[test]
    fn finds_by_first_matching_identifier_in_order() {
        let mut s = HostStore4::default();
        s.add(host(1, 6, Some(Ipv4Addr::new(10, 0, 0, 5))), true)
            .unwrap();
        let mut by_cid = host(1, 7, None);
        by_cid.identifier = Some((IdentifierType::ClientId, vec![1, 1, 2, 3, 4, 5, 6]));
        by_cid.hostname = "cid".into();
        s.add(by_cid, true).unwrap();
        let ids = vec![
            (IdentifierType::ClientId, vec![1, 1, 2, 3, 4, 5, 6]),
            (IdentifierType::HwAddress, vec![1, 2, 3, 4, 5, 6]),
        ];
        assert_eq!(s.find(1, &ids).unwrap().hostname, "cid");
        assert!(s.find(2, &ids).is_none());
        assert_eq!(s.by_address(1, Ipv4Addr::new(10, 0, 0, 5)).len(), 1);
    }

    #[test]
    fn duplicates_are_rejected() {
        let mut s = HostStore4::default();
        s.add(host(1, 6, Some(Ipv4Addr::new(10, 0, 0, 5))), true)
            .unwrap();
        assert!(matches!(
            s.add(host(1, 6, None), true),
            Err(HostError::DuplicateIdentifier { .. })
        ));
        assert!(matches!(
            s.add(host(1, 9, Some(Ipv4Addr::new(10, 0, 0, 5))), true),
            Err(HostError::DuplicateAddress { .. })
        ));
        s.add(host(2, 6, None), true).unwrap();
    }
}
