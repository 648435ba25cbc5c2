//! The typed `Dhcp4` object: every key Kea 2.2's kea-dhcp4 accepts, decoded from a
//! positioned [`Element`] tree with Kea's error messages.
//!
//! Implements `shared/spec/kea-arm/dhcp4-srv.rst`, "DHCPv4 Server Configuration" (INVENTORY
//! §3). These are wire structs: values are checked for type, keyword and integer range;
//! addresses, option data, id uniqueness and the like are checked when the server builds its
//! runtime configuration.

use serde::{Deserialize, Serialize};

use crate::UserContext;
use crate::classes::ClientClass;
use crate::ctrl::ControlSocket;
use crate::database::{DatabaseConfig, DbRole, check_role_keys};
use crate::ddns::{DhcpDdns, NcrFormat, NcrProtocol, ReplaceClientName};
use crate::de::{from_element, location};
use crate::error::ConfigError;
use crate::hooks::HooksLibrary;
use crate::hosts::HostIdentifierType;
use crate::interfaces::InterfacesConfig;
use crate::json::{Element, Location, Value};
use crate::logging::LoggerConfig;
use crate::options::{OptionData, OptionDef};
use crate::scoped::{Relay, with_scoped_params};
use crate::server::{
    Compatibility, ConfigControl, DhcpQueueControl, ExpiredLeasesProcessing, LeaseChecks,
    MultiThreading, SanityChecks,
};

/// Adds the DHCPv4-only inheritable parameters, then the shared ones.
macro_rules! with_dhcp4_scoped_params {
    (
        $(#[$meta:meta])*
        pub struct $name:ident { $($body:tt)* }
    ) => {
        with_scoped_params! {
            $(#[$meta])*
            pub struct $name {
                $($body)*
                /// Lease lifetime offered on DHCPDISCOVER, 0 = none held (2.5.7 ARM).
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub offer_lifetime: Option<u32>,
                /// Identify clients by client-id when they send one (default true).
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub match_client_id: Option<bool>,
                /// NAK requests for unknown addresses (default false).
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub authoritative: Option<bool>,
                /// Fixed field `siaddr` (default 0.0.0.0).
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub next_server: Option<String>,
                /// Fixed field `sname` (default "").
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub server_hostname: Option<String>,
                /// Fixed field `file` (default "").
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub boot_file_name: Option<String>,
            }
        }
    };
}

with_dhcp4_scoped_params! {
    /// The `Dhcp4` map: kea-dhcp4's whole configuration.
    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "kebab-case", deny_unknown_fields)]
    pub struct Dhcp4Config {
        /// Subnets outside shared networks.
        #[serde(default)]
        pub subnet4: Vec<Subnet4>,
        /// Shared networks.
        #[serde(default)]
        pub shared_networks: Vec<SharedNetwork4>,
        /// Listening interfaces.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub interfaces_config: Option<InterfacesConfig>,
        /// Lease storage (default memfile).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub lease_database: Option<DatabaseConfig>,
        /// Host storage, deprecated single form.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub hosts_database: Option<DatabaseConfig>,
        /// Host storages.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub hosts_databases: Vec<DatabaseConfig>,
        /// Identifier types tried, in order, when looking up reservations.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub host_reservation_identifiers: Option<Vec<HostIdentifierType>>,
        /// Client class definitions, in evaluation order.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub client_classes: Vec<ClientClass>,
        /// Custom option definitions.
        #[serde(default)]
        pub option_def: Vec<OptionDef>,
        /// Hook libraries.
        #[serde(default)]
        pub hooks_libraries: Vec<HooksLibrary>,
        /// Lease reclamation.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub expired_leases_processing: Option<ExpiredLeasesProcessing>,
        /// DHCPv4-over-DHCPv6 IPC port, 0 = off (default 0).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub dhcp4o6_port: Option<u16>,
        /// Management socket.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub control_socket: Option<ControlSocket>,
        /// Congestion handling.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub dhcp_queue_control: Option<DhcpQueueControl>,
        /// Connection to D2.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub dhcp_ddns: Option<DhcpDdns>,
        /// Echo the client-id option back (RFC 6842; default true).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub echo_client_id: Option<bool>,
        /// Lease sanity checks.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub sanity_checks: Option<SanityChecks>,
        /// Global host reservations.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub reservations: Vec<Reservation4>,
        /// Configuration backends.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub config_control: Option<ConfigControl>,
        /// This server's tag for configuration backends (default "").
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub server_tag: Option<String>,
        /// Seconds a declined address stays unusable (default 86400).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub decline_probation_period: Option<u32>,
        /// Loggers.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub loggers: Vec<LoggerConfig>,
        /// Samples kept per statistic (default 20).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub statistic_default_sample_count: Option<u32>,
        /// Seconds samples are kept per statistic, 0 = by count (default 0).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub statistic_default_sample_age: Option<u32>,
        /// Packet processing threads.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub multi_threading: Option<MultiThreading>,
        /// Look global reservations up before subnet selection (default false).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub early_global_reservations_lookup: Option<bool>,
        /// At most one reservation per address (default true).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub ip_reservations_unique: Option<bool>,
        /// Look reservations up before leases (default false).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub reservations_lookup_first: Option<bool>,
        /// Compatibility switches.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub compatibility: Option<Compatibility>,
        /// Packets parked by hooks at most (default 256).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub parked_packet_limit: Option<u32>,
    }
}

with_dhcp4_scoped_params! {
    /// One `subnet4` entry.
    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "kebab-case", deny_unknown_fields)]
    pub struct Subnet4 {
        /// Subnet identifier; 0 or absent means "assign one" (ids are unique at runtime).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub id: Option<u32>,
        /// The prefix, `a.b.c.d/len`.
        pub subnet: String,
        /// Address pools.
        #[serde(default)]
        pub pools: Vec<Pool4>,
        /// In-subnet host reservations.
        #[serde(default)]
        pub reservations: Vec<Reservation4>,
        /// Directly attached interface.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub interface: Option<String>,
        /// Only clients of this class may use the subnet.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub client_class: Option<String>,
        /// Classes evaluated late for clients of this subnet.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub require_client_classes: Vec<String>,
        /// Relays serving this subnet.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub relay: Option<Relay>,
        /// DHCPv4-over-DHCPv6: interface name the query came in on.
        #[serde(default, rename = "4o6-interface", skip_serializing_if = "Option::is_none")]
        pub dhcp4o6_interface: Option<String>,
        /// DHCPv4-over-DHCPv6: interface id of the relay.
        #[serde(default, rename = "4o6-interface-id", skip_serializing_if = "Option::is_none")]
        pub dhcp4o6_interface_id: Option<String>,
        /// DHCPv4-over-DHCPv6: IPv6 prefix the client's address belongs to.
        #[serde(default, rename = "4o6-subnet", skip_serializing_if = "Option::is_none")]
        pub dhcp4o6_subnet: Option<String>,
    }
}

with_dhcp4_scoped_params! {
    /// One `shared-networks` entry.
    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "kebab-case", deny_unknown_fields)]
    pub struct SharedNetwork4 {
        /// Network name (unique).
        pub name: String,
        /// Member subnets.
        #[serde(default)]
        pub subnet4: Vec<Subnet4>,
        /// Directly attached interface.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub interface: Option<String>,
        /// Only clients of this class may use the network.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub client_class: Option<String>,
        /// Classes evaluated late for clients of this network.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub require_client_classes: Vec<String>,
        /// Relays serving this network.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub relay: Option<Relay>,
    }
}

/// One `pools` entry of a subnet.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Pool4 {
    /// `first-last` range or `prefix/len`.
    pub pool: String,
    /// Pool identifier for statistics (2.5.7 ARM; default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool_id: Option<u32>,
    /// Options for leases from this pool.
    #[serde(default)]
    pub option_data: Vec<OptionData>,
    /// Only clients of this class may use the pool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_class: Option<String>,
    /// Classes evaluated late for clients of this pool.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub require_client_classes: Vec<String>,
    /// Free-form user data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_context: Option<UserContext>,
    /// A comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// One DHCPv4 host reservation (`reservations` entry, global or in a subnet).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Reservation4 {
    /// Identifier: hardware address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hw_address: Option<String>,
    /// Identifier: DUID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duid: Option<String>,
    /// Identifier: client-id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Identifier: relay circuit-id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub circuit_id: Option<String>,
    /// Identifier: flex-id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flex_id: Option<String>,
    /// Reserved address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
    /// Reserved host name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    /// Classes assigned to the host.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub client_classes: Vec<String>,
    /// Options for the host.
    #[serde(default)]
    pub option_data: Vec<OptionData>,
    /// Fixed field `siaddr`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_server: Option<String>,
    /// Fixed field `sname`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_hostname: Option<String>,
    /// Fixed field `file`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boot_file_name: Option<String>,
    /// Free-form user data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_context: Option<UserContext>,
    /// A comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// Decodes a kea-dhcp4 configuration document: exactly one top-level map holding exactly
/// the key `Dhcp4` (Kea 2.2 rejects other top-level objects).
pub fn parse_dhcp4(root: &Element) -> Result<Dhcp4Config, ConfigError> {
    decode_dhcp4(top_level(root, "Dhcp4")?)
}

/// Decodes the `Dhcp4` map itself (what the daemon framework hands a server), with every
/// check of [`parse_dhcp4`] but the top-level one.
pub fn decode_dhcp4(dhcp4: &Element) -> Result<Dhcp4Config, ConfigError> {
    let config: Dhcp4Config = from_element(dhcp4, "Dhcp4")?;
    check_relays(dhcp4, "subnet4")?;
    check_databases(dhcp4)?;
    Ok(config)
}

/// The value under `name` in a document that must hold only that key.
pub(crate) fn top_level<'a>(root: &'a Element, name: &str) -> Result<&'a Element, ConfigError> {
    let expecting = Some(name.to_string());
    let Value::Map(entries) = &root.value else {
        return Err(ConfigError::Syntax {
            at: location(root),
            found: root.kind_name().to_string(),
            expecting: Some("{".to_string()),
        });
    };
    let Some(first) = entries.first() else {
        let mut pos = root.pos.clone();
        pos.col = pos.col.saturating_add(1);
        return Err(ConfigError::Syntax {
            at: Location::new(pos, 1),
            found: "}".to_string(),
            expecting,
        });
    };
    let key_at = |e: &crate::json::MapEntry| {
        Location::new(
            e.key_pos.clone(),
            u32::try_from(e.key.len() + 2).unwrap_or(u32::MAX),
        )
    };
    if first.key != name {
        return Err(ConfigError::Syntax {
            at: key_at(first),
            found: "constant string".to_string(),
            expecting,
        });
    }
    if let Some(extra) = entries.get(1) {
        return Err(ConfigError::Syntax {
            at: key_at(extra),
            found: "constant string".to_string(),
            expecting: Some("\",\" or }".to_string()),
        });
    }
    Ok(&first.value)
}

/// Database maps hold only the keys of their role.
pub(crate) fn check_databases(daemon: &Element) -> Result<(), ConfigError> {
    if let Some(db) = daemon.get("lease-database") {
        check_role_keys(db, DbRole::Lease)?;
    }
    if let Some(db) = daemon.get("hosts-database") {
        check_role_keys(db, DbRole::Hosts)?;
    }
    for db in daemon
        .get("hosts-databases")
        .and_then(Element::as_list)
        .unwrap_or(&[])
    {
        check_role_keys(db, DbRole::Hosts)?;
    }
    for db in daemon
        .get("config-control")
        .and_then(|c| c.get("config-databases"))
        .and_then(Element::as_list)
        .unwrap_or(&[])
    {
        check_role_keys(db, DbRole::Config)?;
    }
    Ok(())
}

/// A relay map names its addresses one way only; `subnet_key` is `subnet4` or `subnet6`.
pub(crate) fn check_relays(daemon: &Element, subnet_key: &str) -> Result<(), ConfigError> {
    let check = |holder: &Element, context: &str| -> Result<(), ConfigError> {
        if let Some(relay) = holder.get("relay")
            && relay.get("ip-address").is_some()
            && relay.get("ip-addresses").is_some()
        {
            return Err(ConfigError::Exclusive {
                at: relay.pos.clone(),
                context: format!("{context} relay"),
                first: "ip-address".to_string(),
                second: "ip-addresses".to_string(),
            });
        }
        Ok(())
    };
    let subnets = |holder: &Element| -> Result<(), ConfigError> {
        for s in holder
            .get(subnet_key)
            .and_then(Element::as_list)
            .unwrap_or(&[])
        {
            check(s, subnet_key)?;
        }
        Ok(())
    };
    subnets(daemon)?;
    for n in daemon
        .get("shared-networks")
        .and_then(Element::as_list)
        .unwrap_or(&[])
    {
        check(n, "shared-network")?;
        subnets(n)?;
    }
    Ok(())
}

impl Dhcp4Config {
    /// Fills unset global parameters and server-wide maps with Kea 2.2's defaults, as
    /// kea-dhcp4's `config-get` reports them. Subnet-level values are left as configured
    /// (their effective values come from inheritance).
    pub fn with_kea_defaults(mut self) -> Self {
        fn set<T>(field: &mut Option<T>, value: T) {
            if field.is_none() {
                *field = Some(value);
            }
        }
        set(&mut self.valid_lifetime, 7200);
        set(&mut self.calculate_tee_times, false);
        set(&mut self.t1_percent, 0.5);
        set(&mut self.t2_percent, 0.875);
        set(&mut self.ddns_send_updates, true);
        set(&mut self.ddns_override_no_update, false);
        set(&mut self.ddns_override_client_update, false);
        set(&mut self.ddns_replace_client_name, ReplaceClientName::Never);
        set(&mut self.ddns_generated_prefix, "myhost".to_string());
        set(&mut self.ddns_qualifying_suffix, String::new());
        set(&mut self.ddns_update_on_renew, false);
        set(&mut self.ddns_use_conflict_resolution, true);
        set(&mut self.hostname_char_set, "[^A-Za-z0-9.-]".to_string());
        set(&mut self.hostname_char_replacement, String::new());
        set(&mut self.store_extended_info, false);
        set(&mut self.reservations_global, false);
        set(&mut self.reservations_in_subnet, true);
        set(&mut self.reservations_out_of_pool, false);
        set(&mut self.match_client_id, true);
        set(&mut self.authoritative, false);
        set(&mut self.next_server, "0.0.0.0".to_string());
        set(&mut self.server_hostname, String::new());
        set(&mut self.boot_file_name, String::new());
        set(&mut self.decline_probation_period, 86400);
        set(&mut self.dhcp4o6_port, 0);
        set(&mut self.echo_client_id, true);
        set(&mut self.server_tag, String::new());
        set(&mut self.statistic_default_sample_count, 20);
        set(&mut self.statistic_default_sample_age, 0);
        set(&mut self.early_global_reservations_lookup, false);
        set(&mut self.ip_reservations_unique, true);
        set(&mut self.reservations_lookup_first, false);
        set(&mut self.parked_packet_limit, 256);
        set(
            &mut self.host_reservation_identifiers,
            HostIdentifierType::DHCP4_DEFAULT.to_vec(),
        );
        let ddns = self.dhcp_ddns.get_or_insert_with(DhcpDdns::kea_default);
        let d = DhcpDdns::kea_default();
        set(&mut ddns.server_ip, d.server_ip.unwrap_or_default());
        set(&mut ddns.server_port, d.server_port.unwrap_or_default());
        set(&mut ddns.sender_ip, d.sender_ip.unwrap_or_default());
        set(&mut ddns.sender_port, d.sender_port.unwrap_or_default());
        set(
            &mut ddns.max_queue_size,
            d.max_queue_size.unwrap_or_default(),
        );
        set(&mut ddns.ncr_protocol, NcrProtocol::Udp);
        set(&mut ddns.ncr_format, NcrFormat::Json);
        let queue = self
            .dhcp_queue_control
            .get_or_insert_with(|| DhcpQueueControl::kea_default("kea-ring4"));
        set(&mut queue.queue_type, "kea-ring4".to_string());
        set(&mut queue.capacity, 64);
        let elp = self
            .expired_leases_processing
            .get_or_insert_with(ExpiredLeasesProcessing::kea_default);
        let d = ExpiredLeasesProcessing::kea_default();
        set(
            &mut elp.reclaim_timer_wait_time,
            d.reclaim_timer_wait_time.unwrap_or_default(),
        );
        set(
            &mut elp.flush_reclaimed_timer_wait_time,
            d.flush_reclaimed_timer_wait_time.unwrap_or_default(),
        );
        set(
            &mut elp.hold_reclaimed_time,
            d.hold_reclaimed_time.unwrap_or_default(),
        );
        set(
            &mut elp.max_reclaim_leases,
            d.max_reclaim_leases.unwrap_or_default(),
        );
        set(
            &mut elp.max_reclaim_time,
            d.max_reclaim_time.unwrap_or_default(),
        );
        set(
            &mut elp.unwarned_reclaim_cycles,
            d.unwarned_reclaim_cycles.unwrap_or_default(),
        );
        let mt = self
            .multi_threading
            .get_or_insert_with(MultiThreading::kea_default);
        set(&mut mt.thread_pool_size, 0);
        set(&mut mt.packet_queue_size, 64);
        let sanity = self.sanity_checks.get_or_insert(SanityChecks {
            lease_checks: None,
            extended_info_checks: None,
        });
        set(&mut sanity.lease_checks, LeaseChecks::Warn);
        if let Some(ic) = &mut self.interfaces_config {
            set(&mut ic.re_detect, true);
        }
        self
    }
}
