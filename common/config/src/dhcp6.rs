//! The typed `Dhcp6` object: every key Kea 2.2's kea-dhcp6 accepts (plus the 2.5.7 ARM's
//! newer ones), decoded from a positioned [`Element`] tree with Kea's error messages.
//!
//! Implements `shared/spec/kea-arm/dhcp6-srv.rst`, "DHCPv6 Server Configuration" (INVENTORY
//! §3). These are wire structs: values are checked for type, keyword and integer range;
//! addresses, prefixes, option data, id uniqueness and the like are checked when the server
//! builds its runtime configuration. The pieces shared with kea-dhcp4 (databases, DDNS,
//! loggers, server maps) are the same types; the DHCPv4-only keys of those shared maps are
//! refused here as kea-dhcp6 refuses them.

use serde::{Deserialize, Serialize};

use crate::UserContext;
use crate::classes::ClientClass6;
use crate::ctrl::ControlSocket;
use crate::database::DatabaseConfig;
use crate::ddns::{DhcpDdns, NcrFormat, NcrProtocol, ReplaceClientName};
use crate::de::from_element;
use crate::dhcp4::{check_databases, check_relays, top_level};
use crate::error::ConfigError;
use crate::hooks::HooksLibrary;
use crate::hosts::HostIdentifierType6;
use crate::interfaces::InterfacesConfig;
use crate::json::{Element, Location, Value};
use crate::logging::LoggerConfig;
use crate::mac_sources::MacSource;
use crate::options::{OptionData, OptionDef};
use crate::scoped::{Relay, with_scoped_params};
use crate::server::{
    Compatibility, ConfigControl, DhcpQueueControl, ExpiredLeasesProcessing, LeaseChecks,
    MultiThreading, SanityChecks,
};
use crate::server_id::ServerId;

/// Adds the DHCPv6-only inheritable parameters, then the shared ones.
macro_rules! with_dhcp6_scoped_params {
    (
        $(#[$meta:meta])*
        pub struct $name:ident { $($body:tt)* }
    ) => {
        with_scoped_params! {
            $(#[$meta])*
            pub struct $name {
                $($body)*
                /// Preferred lifetime of addresses and prefixes in seconds (Kea 2.2 default
                /// 3600).
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub preferred_lifetime: Option<u32>,
                /// Shortest preferred lifetime a client may ask for (default:
                /// `preferred-lifetime`).
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub min_preferred_lifetime: Option<u32>,
                /// Longest preferred lifetime a client may ask for (default:
                /// `preferred-lifetime`).
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub max_preferred_lifetime: Option<u32>,
                /// Prefix allocator: `iterative`, `random`, `flq` (2.5.7 ARM; default
                /// iterative).
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub pd_allocator: Option<String>,
            }
        }
    };
}

with_dhcp6_scoped_params! {
    /// The `Dhcp6` map: kea-dhcp6's whole configuration.
    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "kebab-case", deny_unknown_fields)]
    pub struct Dhcp6Config {
        /// Subnets outside shared networks.
        #[serde(default)]
        pub subnet6: Vec<Subnet6>,
        /// Shared networks.
        #[serde(default)]
        pub shared_networks: Vec<SharedNetwork6>,
        /// Listening interfaces (`dhcp-socket-type` and `outbound-interface` are refused).
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
        pub host_reservation_identifiers: Option<Vec<HostIdentifierType6>>,
        /// Client class definitions, in evaluation order.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub client_classes: Vec<ClientClass6>,
        /// Custom option definitions.
        #[serde(default)]
        pub option_def: Vec<OptionDef>,
        /// Hook libraries.
        #[serde(default)]
        pub hooks_libraries: Vec<HooksLibrary>,
        /// Lease reclamation.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub expired_leases_processing: Option<ExpiredLeasesProcessing>,
        /// DHCPv4-over-DHCPv6 IPC port, 0 = off (default 0); kea-dhcp4 uses the port + 1.
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
        /// Lease sanity checks.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub sanity_checks: Option<SanityChecks>,
        /// Global host reservations.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub reservations: Vec<Reservation6>,
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
        /// At most one reservation per address or prefix (default true).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub ip_reservations_unique: Option<bool>,
        /// Look reservations up before leases (default false).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub reservations_lookup_first: Option<bool>,
        /// Compatibility switches (only `lenient-option-parsing` in kea-dhcp6).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub compatibility: Option<Compatibility>,
        /// Packets parked by hooks at most (default 256).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub parked_packet_limit: Option<u32>,
        /// Directory of the server DUID file and default lease file (default: Kea's
        /// compile-time `$localstatedir/lib/kea`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub data_directory: Option<String>,
        /// Where clients' hardware addresses are looked for, in order (default `[any]`; not
        /// empty).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub mac_sources: Option<Vec<MacSource>>,
        /// Options relays may insert that are copied into replies, by code or name (RFC 6422;
        /// default `["65"]`, the ERP local domain name).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub relay_supplied_options: Option<Vec<String>>,
        /// The server's own DUID.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub server_id: Option<ServerId>,
    }
}

with_dhcp6_scoped_params! {
    /// One `subnet6` entry.
    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "kebab-case", deny_unknown_fields)]
    pub struct Subnet6 {
        /// Subnet identifier; 0 or absent means "assign one" (ids are unique at runtime).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub id: Option<u32>,
        /// The prefix, `addr/len`.
        pub subnet: String,
        /// Address pools (IA_NA, IA_TA).
        #[serde(default)]
        pub pools: Vec<Pool6>,
        /// Prefix delegation pools (IA_PD).
        #[serde(default)]
        pub pd_pools: Vec<PdPool6>,
        /// In-subnet host reservations.
        #[serde(default)]
        pub reservations: Vec<Reservation6>,
        /// Directly attached interface (excludes `interface-id`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub interface: Option<String>,
        /// Interface-id option value of the relay serving this subnet (RFC 8415 §21.18).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub interface_id: Option<String>,
        /// Answer a Solicit with Rapid Commit directly with a Reply (RFC 8415 §18.3.1;
        /// default false).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub rapid_commit: Option<bool>,
        /// Only clients of this class may use the subnet.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub client_class: Option<String>,
        /// Classes evaluated late for clients of this subnet.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub require_client_classes: Vec<String>,
        /// Relays serving this subnet.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub relay: Option<Relay>,
    }
}

with_dhcp6_scoped_params! {
    /// One `shared-networks` entry.
    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "kebab-case", deny_unknown_fields)]
    pub struct SharedNetwork6 {
        /// Network name (unique).
        pub name: String,
        /// Member subnets.
        #[serde(default)]
        pub subnet6: Vec<Subnet6>,
        /// Directly attached interface (excludes `interface-id`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub interface: Option<String>,
        /// Interface-id option value of the relay serving this network.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub interface_id: Option<String>,
        /// Rapid Commit for the member subnets (default false).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub rapid_commit: Option<bool>,
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

/// One `pools` entry of a subnet: addresses for IA_NA and IA_TA.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Pool6 {
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

/// One `pd-pools` entry of a subnet: `prefix/prefix-len` carved into `delegated-len`
/// prefixes for IA_PD (RFC 8415 §6.3), optionally with an RFC 6603 excluded prefix.
///
/// The required keys are declared in the order Kea reports them missing.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PdPool6 {
    /// The pool's prefix address.
    pub prefix: String,
    /// The pool's prefix length.
    pub prefix_len: u8,
    /// Length of each delegated prefix.
    pub delegated_len: u8,
    /// Prefix excluded from each delegated one (RFC 6603 PD exclude option).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excluded_prefix: Option<String>,
    /// Length of the excluded prefix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excluded_prefix_len: Option<u8>,
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

/// One DHCPv6 host reservation (`reservations` entry, global or in a subnet).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Reservation6 {
    /// Identifier: DUID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duid: Option<String>,
    /// Identifier: hardware address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hw_address: Option<String>,
    /// Identifier: flex-id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flex_id: Option<String>,
    /// Reserved addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ip_addresses: Vec<String>,
    /// Reserved prefixes, `addr/len`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prefixes: Vec<String>,
    /// Reserved host name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    /// Classes assigned to the host.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub client_classes: Vec<String>,
    /// Options for the host.
    #[serde(default)]
    pub option_data: Vec<OptionData>,
    /// Free-form user data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_context: Option<UserContext>,
    /// A comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// `interfaces-config` keys that only kea-dhcp4 accepts.
const DHCP4_ONLY_INTERFACE_KEYS: &[&str] = &["dhcp-socket-type", "outbound-interface"];

/// `compatibility` keys that only kea-dhcp4 accepts.
const DHCP4_ONLY_COMPATIBILITY_KEYS: &[&str] = &[
    "exclude-first-last-24",
    "ignore-dhcp-server-identifier",
    "ignore-rai-link-selection",
];

/// Decodes a kea-dhcp6 configuration document: exactly one top-level map holding exactly
/// the key `Dhcp6` (Kea 2.2 rejects other top-level objects).
pub fn parse_dhcp6(root: &Element) -> Result<Dhcp6Config, ConfigError> {
    decode_dhcp6(top_level(root, "Dhcp6")?)
}

/// Decodes the `Dhcp6` map itself (what the daemon framework hands a server), with every
/// check of [`parse_dhcp6`] but the top-level one.
pub fn decode_dhcp6(dhcp6: &Element) -> Result<Dhcp6Config, ConfigError> {
    let config: Dhcp6Config = from_element(dhcp6, "Dhcp6")?;
    if let Some(ic) = dhcp6.get("interfaces-config") {
        refuse_keys(ic, DHCP4_ONLY_INTERFACE_KEYS, "interfaces-config")?;
    }
    if let Some(c) = dhcp6.get("compatibility") {
        refuse_keys(c, DHCP4_ONLY_COMPATIBILITY_KEYS, "compatibility")?;
    }
    check_non_empty_lists(dhcp6)?;
    check_relays(dhcp6, "subnet6")?;
    check_interface_or_id(dhcp6)?;
    check_databases(dhcp6)?;
    Ok(config)
}

/// Refuses the keys of a shared map that this daemon does not accept, as unknown keywords.
fn refuse_keys(map: &Element, keys: &[&str], context: &str) -> Result<(), ConfigError> {
    match map
        .as_map()
        .unwrap_or(&[])
        .iter()
        .find(|e| keys.contains(&e.key.as_str()))
    {
        Some(entry) => Err(ConfigError::UnknownKeyword {
            at: Location::new(
                entry.key_pos.clone(),
                u32::try_from(entry.key.len() + 2).unwrap_or(u32::MAX),
            ),
            key: entry.key.clone(),
            context: context.to_string(),
        }),
        None => Ok(()),
    }
}

/// Global lists Kea's grammar wants at least one entry in, with what it expects there.
const NON_EMPTY_LISTS: &[(&str, &str)] = &[
    ("mac-sources", "duid or constant string"),
    (
        "host-reservation-identifiers",
        "duid or hw-address or flex-id",
    ),
    ("client-classes", "{"),
    ("loggers", "{"),
];

/// Refuses the empty global lists of [`NON_EMPTY_LISTS`], in document order.
fn check_non_empty_lists(dhcp6: &Element) -> Result<(), ConfigError> {
    for entry in dhcp6.as_map().unwrap_or(&[]) {
        let Some((_, expecting)) = NON_EMPTY_LISTS.iter().find(|(k, _)| *k == entry.key) else {
            continue;
        };
        if matches!(&entry.value.value, Value::List(items) if items.is_empty()) {
            // The closing bracket, assuming `[]` as written (Kea points at the `]`).
            let mut pos = entry.value.pos.clone();
            pos.col = pos.col.saturating_add(1);
            return Err(ConfigError::Syntax {
                at: Location::new(pos, 1),
                found: "]".to_string(),
                expecting: Some((*expecting).to_string()),
            });
        }
    }
    Ok(())
}

/// A subnet or shared network is either directly attached (`interface`) or reached through
/// a relay (`interface-id`), never both (an empty string counts as unset).
fn check_interface_or_id(dhcp6: &Element) -> Result<(), ConfigError> {
    let set = |holder: &Element, key: &str| {
        holder
            .get(key)
            .is_some_and(|e| !matches!(&e.value, Value::String(s) if s.is_empty()))
    };
    let check = |holder: &Element, context: &str| -> Result<(), ConfigError> {
        if set(holder, "interface") && set(holder, "interface-id") {
            return Err(ConfigError::Exclusive {
                at: holder.pos.clone(),
                context: context.to_string(),
                first: "interface".to_string(),
                second: "interface-id".to_string(),
            });
        }
        Ok(())
    };
    fn list<'a>(holder: &'a Element, key: &str) -> &'a [Element] {
        holder.get(key).and_then(Element::as_list).unwrap_or(&[])
    }
    for s in list(dhcp6, "subnet6") {
        check(s, "subnet6")?;
    }
    for n in list(dhcp6, "shared-networks") {
        check(n, "shared-network")?;
        for s in list(n, "subnet6") {
            check(s, "subnet6")?;
        }
    }
    Ok(())
}

impl Dhcp6Config {
    /// Fills unset global parameters and server-wide maps with Kea 2.2's defaults, as
    /// kea-dhcp6's `config-get` reports them. Subnet-level values are left as configured
    /// (their effective values come from inheritance).
    pub fn with_kea_defaults(mut self) -> Self {
        fn set<T>(field: &mut Option<T>, value: T) {
            if field.is_none() {
                *field = Some(value);
            }
        }
        set(&mut self.valid_lifetime, 7200);
        set(&mut self.preferred_lifetime, 3600);
        set(&mut self.calculate_tee_times, true);
        set(&mut self.t1_percent, 0.5);
        set(&mut self.t2_percent, 0.8);
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
        set(&mut self.decline_probation_period, 86400);
        set(&mut self.dhcp4o6_port, 0);
        set(&mut self.server_tag, String::new());
        set(&mut self.statistic_default_sample_count, 20);
        set(&mut self.statistic_default_sample_age, 0);
        set(&mut self.early_global_reservations_lookup, false);
        set(&mut self.ip_reservations_unique, true);
        set(&mut self.reservations_lookup_first, false);
        set(&mut self.parked_packet_limit, 256);
        set(&mut self.mac_sources, vec![MacSource::Any]);
        set(&mut self.relay_supplied_options, vec!["65".to_string()]);
        set(
            &mut self.host_reservation_identifiers,
            HostIdentifierType6::DHCP6_DEFAULT.to_vec(),
        );
        self.server_id
            .get_or_insert_with(ServerId::kea_default)
            .fill_kea_defaults();
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
            .get_or_insert_with(|| DhcpQueueControl::kea_default("kea-ring6"));
        set(&mut queue.queue_type, "kea-ring6".to_string());
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

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed test
mod tests {
    use super::*;
    use crate::json::parse_str;

    fn check(text: &str) -> Result<Dhcp6Config, String> {
        let root = parse_str(text, "t.json").map_err(|e| e.to_string())?;
        parse_dhcp6(&root).map_err(|e| e.to_string())
    }

    #[test]
    fn v6_scoped_parameters_decode_at_every_level() {
        let c = check(
            r#"{"Dhcp6": {"preferred-lifetime": 3000, "pd-allocator": "random",
              "shared-networks": [{"name": "n", "max-preferred-lifetime": 4000,
                "rapid-commit": true, "interface-id": "r1",
                "subnet6": [{"subnet": "2001:db8::/64", "min-preferred-lifetime": 100}]}]}}"#,
        )
        .unwrap();
        assert_eq!(c.preferred_lifetime, Some(3000));
        assert_eq!(c.pd_allocator.as_deref(), Some("random"));
        let n = &c.shared_networks[0];
        assert_eq!(n.max_preferred_lifetime, Some(4000));
        assert_eq!(n.rapid_commit, Some(true));
        assert_eq!(n.interface_id.as_deref(), Some("r1"));
        assert_eq!(n.subnet6[0].min_preferred_lifetime, Some(100));
    }

    #[test]
    fn pd_pools_and_reservations() {
        let c = check(
            r#"{"Dhcp6": {"subnet6": [{"subnet": "2001:db8::/48", "pd-pools": [
                {"prefix": "2001:db8:1::", "prefix-len": 48, "delegated-len": 64,
                 "excluded-prefix": "2001:db8:1::", "excluded-prefix-len": 72}],
              "reservations": [{"duid": "01:02:03", "ip-addresses": ["2001:db8::5"],
                "prefixes": ["2001:db8:2::/64"], "hostname": "h"}]}]}}"#,
        )
        .unwrap();
        let s = &c.subnet6[0];
        assert_eq!(s.pd_pools[0].delegated_len, 64);
        assert_eq!(s.pd_pools[0].excluded_prefix_len, Some(72));
        assert_eq!(s.reservations[0].prefixes, vec!["2001:db8:2::/64"]);
    }

    #[test]
    fn pd_pool_required_keys_in_kea_order() {
        // kea-dhcp6 -t: missing parameter 'prefix' (t.json:1:65) [pd-pools map between ...]
        assert_eq!(
            check(
                r#"{"Dhcp6": {"subnet6": [{"subnet": "2001:db8::/64", "pd-pools": [{"x-len": 1}]}]}}"#
            )
            .unwrap_err(),
            r#"t.json:1.66-72: got unexpected keyword "x-len" in pd-pools map."#
        );
        assert_eq!(
            check(
                r#"{"Dhcp6": {"subnet6": [{"subnet": "2001:db8::/64", "pd-pools": [{"prefix-len": 48, "delegated-len": 64}]}]}}"#
            )
            .unwrap_err(),
            "missing parameter 'prefix' (t.json:1:65) [pd-pools map]"
        );
        // kea-dhcp6 -t: missing parameter 'delegated-len' (...) [pd-pools map ...]
        assert!(
            check(
                r#"{"Dhcp6": {"subnet6": [{"subnet": "2001:db8::/64",
                   "pd-pools": [{"prefix": "2001:db8:1::", "prefix-len": 48}]}]}}"#
            )
            .unwrap_err()
            .starts_with("missing parameter 'delegated-len'")
        );
    }

    #[test]
    fn dhcp4_only_keys_are_refused() {
        // kea-dhcp6 -t: t.json:1.12-26: got unexpected keyword "authoritative" in Dhcp6 map.
        assert_eq!(
            check(r#"{"Dhcp6": {"authoritative": true}}"#).unwrap_err(),
            r#"t.json:1.12-26: got unexpected keyword "authoritative" in Dhcp6 map."#
        );
        // kea-dhcp6 -t: t.json:1.34-51: got unexpected keyword "dhcp-socket-type" in
        // interfaces-config map.
        assert_eq!(
            check(r#"{"Dhcp6": {"interfaces-config": {"dhcp-socket-type": "udp"}}}"#).unwrap_err(),
            r#"t.json:1.34-51: got unexpected keyword "dhcp-socket-type" in interfaces-config map."#
        );
        // kea-dhcp6 -t: t.json:1.30-52: got unexpected keyword "exclude-first-last-24" in
        // compatibility map.
        assert_eq!(
            check(r#"{"Dhcp6": {"compatibility": {"exclude-first-last-24": true}}}"#).unwrap_err(),
            r#"t.json:1.30-52: got unexpected keyword "exclude-first-last-24" in compatibility map."#
        );
        // kea-dhcp6 -t: t.json:1.45-56: got unexpected keyword "option-def" in client-classes
        // map.
        assert_eq!(
            check(r#"{"Dhcp6": {"client-classes": [{"name": "a", "option-def": []}]}}"#)
                .unwrap_err(),
            r#"t.json:1.45-56: got unexpected keyword "option-def" in client-classes map."#
        );
    }

    #[test]
    fn some_global_lists_must_not_be_empty() {
        // kea-dhcp6 -t: t.json:1.31: syntax error, unexpected ], expecting {
        assert_eq!(
            check(r#"{"Dhcp6": {"client-classes": []}}"#).unwrap_err(),
            "t.json:1.31: syntax error, unexpected ], expecting {"
        );
        // kea-dhcp6 -t: t.json:1.45: syntax error, unexpected ], expecting duid or hw-address or
        // flex-id
        assert_eq!(
            check(r#"{"Dhcp6": {"host-reservation-identifiers": []}}"#).unwrap_err(),
            "t.json:1.45: syntax error, unexpected ], expecting duid or hw-address or flex-id"
        );
        // kea-dhcp6 -t: t.json:1.24: syntax error, unexpected ], expecting {
        assert_eq!(
            check(r#"{"Dhcp6": {"loggers": []}}"#).unwrap_err(),
            "t.json:1.24: syntax error, unexpected ], expecting {"
        );
        assert!(
            check(r#"{"Dhcp6": {"subnet6": [], "reservations": [], "option-data": []}}"#).is_ok()
        );
        // kea-dhcp6 -t: t.json:1.28: syntax error, unexpected ], expecting duid or constant string
        assert_eq!(
            check(r#"{"Dhcp6": {"mac-sources": []}}"#).unwrap_err(),
            "t.json:1.28: syntax error, unexpected ], expecting duid or constant string"
        );
        let c = check(r#"{"Dhcp6": {"mac-sources": ["rfc6939", "duid"]}}"#).unwrap();
        assert_eq!(
            c.mac_sources.unwrap(),
            vec![MacSource::ClientLinkAddrOption, MacSource::Duid]
        );
    }

    #[test]
    fn interface_and_interface_id_exclude_each_other() {
        let e = check(
            r#"{"Dhcp6": {"shared-networks": [{"name": "n", "subnet6": [
                {"subnet": "2001:db8::/64", "interface": "eth0", "interface-id": "x"}]}]}}"#,
        )
        .unwrap_err();
        assert!(e.starts_with("subnet6 map cannot contain both 'interface' and 'interface-id'"));
        assert!(
            check(r#"{"Dhcp6": {"shared-networks": [{"name": "n", "interface": "eth0"}]}}"#)
                .is_ok()
        );
        // all-keys.json: an empty interface-id beside an interface is accepted by Kea 2.2.
        assert!(
            check(
                r#"{"Dhcp6": {"shared-networks": [{"name": "n", "interface": "eth0",
                   "interface-id": ""}]}}"#
            )
            .is_ok()
        );
    }

    #[test]
    fn relay_takes_one_form() {
        let e = check(
            r#"{"Dhcp6": {"subnet6": [{"subnet": "2001:db8::/64",
               "relay": {"ip-address": "2001:db8::1", "ip-addresses": []}}]}}"#,
        )
        .unwrap_err();
        assert!(e.contains("subnet6 relay map cannot contain both"), "{e}");
    }

    #[test]
    fn defaults_keep_configured_values() {
        let c = check(r#"{"Dhcp6": {"preferred-lifetime": 10, "server-id": {"type": "EN"}}}"#)
            .unwrap()
            .with_kea_defaults();
        assert_eq!(c.preferred_lifetime, Some(10));
        assert_eq!(c.t2_percent, Some(0.8));
        assert_eq!(c.calculate_tee_times, Some(true));
        let sid = c.server_id.unwrap();
        assert_eq!(sid.duid_type, crate::server_id::DuidType::En);
        assert_eq!(sid.persist, Some(true));
        assert_eq!(
            c.dhcp_queue_control.unwrap().queue_type.as_deref(),
            Some("kea-ring6")
        );
    }
}
