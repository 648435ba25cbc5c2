//! Building the runtime [`SrvConfig4`] from the typed `Dhcp4` model.
//!
//! ARM `dhcp4-srv.rst`: parameter inheritance (global → shared network → subnet), subnet
//! identifiers, pools, host reservations ("Host Reservations in DHCPv4", "Fine-Tuning DHCPv4
//! Host Reservation"), options and client classes. Everything that can be wrong with a
//! configuration beyond its grammar is found here, so `-t`, `config-test` and `config-set`
//! share one verdict.

use std::collections::{HashMap, HashSet};
use std::net::Ipv4Addr;
use std::sync::Arc;

use ipnet::Ipv4Net;
use kea_config::classes::ClientClass;
use kea_config::database::DbType;
use kea_config::ddns::{ConflictResolutionMode as CfgConflictMode, NcrProtocol, ReplaceClientName};
use kea_config::dhcp4::{
    Dhcp4Config, Pool4 as PoolCfg, Reservation4, SharedNetwork4, Subnet4 as SubnetCfg,
};
use kea_config::hosts::{HostIdentifierType, ReservationMode};
use kea_config::scoped::Relay;
use kea_ncr::ConflictResolutionMode;

use kea_eval::ParseContext;

use super::cfg::{
    ClientClass4, Global4, Params4, Pool4, SharedNetwork4 as SharedNet, SrvConfig4, Subnet4,
};
use super::optbuild::{DHCP4_SPACE, OptionConfigError, OptionDefs4, build_option_set};
use crate::alloc::{AddrRange, Allocator, AllocatorKind};
use crate::classes::{ClassTest, ParsedClassTest};
use crate::ddns::{DdnsParams, HostnameSanitizer};
use crate::host::{GLOBAL_SUBNET_ID, Host4, HostError, HostStore4, IdentifierType};
use crate::lifetime::{TeeTimes, Triplet};

/// Why a configuration cannot be used. Each variant says where.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// A value that does not parse as what the key needs.
    #[error("{context}: invalid {key} '{value}'")]
    BadValue {
        /// Where (e.g. `subnet 192.0.2.0/24`).
        context: String,
        /// The key.
        key: &'static str,
        /// The value.
        value: String,
    },
    /// Two subnets with one id.
    #[error("subnet with the prefix of '{prefix}' has a duplicated subnet-id '{id}'")]
    DuplicateSubnetId {
        /// The second subnet's prefix.
        prefix: String,
        /// The id.
        id: u32,
    },
    /// Two subnets with one prefix.
    #[error("subnet with the prefix of '{prefix}' already exists")]
    DuplicateSubnet {
        /// The prefix.
        prefix: String,
    },
    /// Two shared networks with one name.
    #[error("a shared network with the name '{name}' already exists")]
    DuplicateSharedNetwork {
        /// The name.
        name: String,
    },
    /// A pool outside its subnet.
    #[error(
        "a pool of type V4, with the following address range: {first}-{last} does not match the prefix of a subnet: {prefix} to which it is being added"
    )]
    PoolOutsideSubnet {
        /// Pool start.
        first: Ipv4Addr,
        /// Pool end.
        last: Ipv4Addr,
        /// Subnet prefix.
        prefix: Ipv4Net,
    },
    /// Two pools sharing addresses.
    #[error(
        "a pool of type V4, with the following address range: {first}-{last} overlaps with an existing pool in the subnet: {prefix} to which it is being added"
    )]
    PoolOverlap {
        /// Pool start.
        first: Ipv4Addr,
        /// Pool end.
        last: Ipv4Addr,
        /// Subnet prefix.
        prefix: Ipv4Net,
    },
    /// A reservation's address outside its subnet.
    #[error(
        "specified reservation for address {address} is not matching the IPv4 subnet prefix {prefix}"
    )]
    ReservationOutsideSubnet {
        /// The address.
        address: Ipv4Addr,
        /// The prefix.
        prefix: Ipv4Net,
    },
    /// A reservation with zero or several identifiers.
    #[error(
        "{context}: exactly one identifier (hw-address, duid, circuit-id, client-id, flex-id) is required in a host reservation"
    )]
    ReservationIdentifier {
        /// Where.
        context: String,
    },
    /// Duplicate reservation.
    #[error("{0}")]
    Host(#[from] HostError),
    /// Bad option data or definition.
    #[error("{context}: {source}")]
    Option {
        /// Where.
        context: String,
        /// What.
        source: Box<OptionConfigError>,
    },
    /// A class referenced before it is defined, or defined twice.
    #[error("client class '{name}': {reason}")]
    Class {
        /// The class.
        name: String,
        /// What is wrong.
        reason: String,
    },
    /// A setting this implementation does not provide yet. Refused rather than ignored, so a
    /// configuration never silently loses an effect.
    #[error("{key}: not supported yet ({detail})")]
    NotSupported {
        /// The key.
        key: &'static str,
        /// What exactly.
        detail: String,
    },
    /// Inconsistent T1/T2 settings.
    #[error("{context}: {reason}")]
    Timers {
        /// Where.
        context: String,
        /// What.
        reason: String,
    },
}

/// Kea's default `hostname-char-set`: characters a host name may not contain.
pub use crate::ddns::DEFAULT_HOSTNAME_CHAR_SET;

/// Inheritable settings gathered from one scope (all optional).
#[derive(Clone, Default)]
struct Scope {
    valid: Option<u32>,
    min_valid: Option<u32>,
    max_valid: Option<u32>,
    renew: Option<u32>,
    rebind: Option<u32>,
    calc: Option<bool>,
    t1p: Option<f64>,
    t2p: Option<f64>,
    match_client_id: Option<bool>,
    authoritative: Option<bool>,
    next_server: Option<String>,
    server_hostname: Option<String>,
    boot_file_name: Option<String>,
    res_global: Option<bool>,
    res_in_subnet: Option<bool>,
    res_out_of_pool: Option<bool>,
    cache_threshold: Option<f64>,
    cache_max_age: Option<u32>,
    allocator: Option<String>,
    // DDNS (issue 8): the behavioural `ddns-*` and `hostname-char-*` parameters.
    ddns_send_updates: Option<bool>,
    ddns_override_no_update: Option<bool>,
    ddns_override_client_update: Option<bool>,
    ddns_replace_client_name: Option<ReplaceClientName>,
    ddns_generated_prefix: Option<String>,
    ddns_qualifying_suffix: Option<String>,
    ddns_update_on_renew: Option<bool>,
    ddns_use_conflict_resolution: Option<bool>,
    ddns_conflict_resolution_mode: Option<CfgConflictMode>,
    ddns_ttl_percent: Option<f64>,
    hostname_char_set: Option<String>,
    hostname_char_replacement: Option<String>,
}

macro_rules! scope_of {
    ($c:expr) => {{
        let c = $c;
        let (g, i, o) = match c.reservation_mode {
            Some(ReservationMode::Disabled) => (Some(false), Some(false), Some(false)),
            Some(ReservationMode::OutOfPool) => (Some(false), Some(true), Some(true)),
            Some(ReservationMode::Global) => (Some(true), Some(false), Some(false)),
            Some(ReservationMode::All) => (Some(false), Some(true), Some(false)),
            None => (None, None, None),
        };
        Scope {
            valid: c.valid_lifetime,
            min_valid: c.min_valid_lifetime,
            max_valid: c.max_valid_lifetime,
            renew: c.renew_timer,
            rebind: c.rebind_timer,
            calc: c.calculate_tee_times,
            t1p: c.t1_percent,
            t2p: c.t2_percent,
            match_client_id: c.match_client_id,
            authoritative: c.authoritative,
            next_server: c.next_server.clone(),
            server_hostname: c.server_hostname.clone(),
            boot_file_name: c.boot_file_name.clone(),
            res_global: c.reservations_global.or(g),
            res_in_subnet: c.reservations_in_subnet.or(i),
            res_out_of_pool: c.reservations_out_of_pool.or(o),
            cache_threshold: c.cache_threshold,
            cache_max_age: c.cache_max_age,
            allocator: c.allocator.clone(),
            ddns_send_updates: c.ddns_send_updates,
            ddns_override_no_update: c.ddns_override_no_update,
            ddns_override_client_update: c.ddns_override_client_update,
            ddns_replace_client_name: c.ddns_replace_client_name,
            ddns_generated_prefix: c.ddns_generated_prefix.clone(),
            ddns_qualifying_suffix: c.ddns_qualifying_suffix.clone(),
            ddns_update_on_renew: c.ddns_update_on_renew,
            ddns_use_conflict_resolution: c.ddns_use_conflict_resolution,
            ddns_conflict_resolution_mode: c.ddns_conflict_resolution_mode,
            ddns_ttl_percent: c.ddns_ttl_percent,
            hostname_char_set: c.hostname_char_set.clone(),
            hostname_char_replacement: c.hostname_char_replacement.clone(),
        }
    }};
}

impl Scope {
    /// `self` with unset values taken from `parent`.
    fn over(&self, parent: &Scope) -> Scope {
        macro_rules! pick {
            ($($f:ident),*) => { Scope { $($f: self.$f.clone().or_else(|| parent.$f.clone()),)* } };
        }
        // An empty string means "not set here" for the fixed fields (ARM "Next Server").
        let mut s = pick!(
            valid,
            min_valid,
            max_valid,
            renew,
            rebind,
            calc,
            t1p,
            t2p,
            match_client_id,
            authoritative,
            next_server,
            server_hostname,
            boot_file_name,
            res_global,
            res_in_subnet,
            res_out_of_pool,
            cache_threshold,
            cache_max_age,
            allocator,
            ddns_send_updates,
            ddns_override_no_update,
            ddns_override_client_update,
            ddns_replace_client_name,
            ddns_generated_prefix,
            ddns_qualifying_suffix,
            ddns_update_on_renew,
            ddns_use_conflict_resolution,
            ddns_conflict_resolution_mode,
            ddns_ttl_percent,
            hostname_char_set,
            hostname_char_replacement
        );
        if self.next_server.as_deref() == Some("") {
            s.next_server = parent.next_server.clone();
        }
        s
    }
}

fn parse_v4(context: &str, key: &'static str, v: &str) -> Result<Ipv4Addr, BuildError> {
    v.trim().parse().map_err(|_| BuildError::BadValue {
        context: context.to_string(),
        key,
        value: v.to_string(),
    })
}

/// The effective DDNS parameters of a scope (ARM "DDNS for DHCPv4"); `d2_enabled` is
/// `dhcp-ddns.enable-updates`.
fn ddns_params(scope: &Scope, context: &str, d2_enabled: bool) -> Result<DdnsParams, BuildError> {
    let d = DdnsParams::default();
    let set = scope
        .hostname_char_set
        .as_deref()
        .unwrap_or(DEFAULT_HOSTNAME_CHAR_SET);
    let replacement = scope.hostname_char_replacement.as_deref().unwrap_or("");
    let sanitizer = HostnameSanitizer::new(set, replacement).map_err(|e| BuildError::BadValue {
        context: context.to_string(),
        key: "hostname-char-set",
        value: e.set,
    })?;
    // Kea 2.2's boolean, unless the 2.5 mode is given.
    let conflict_resolution_mode = match scope.ddns_conflict_resolution_mode {
        Some(m) => ConflictResolutionMode::parse(m.as_str()).unwrap_or_default(),
        None if scope.ddns_use_conflict_resolution == Some(false) => {
            ConflictResolutionMode::NoCheckWithDhcid
        }
        None => ConflictResolutionMode::CheckWithDhcid,
    };
    if let Some(p) = scope.ddns_ttl_percent
        && !(p.is_finite() && p >= 0.0)
    {
        return Err(BuildError::BadValue {
            context: context.to_string(),
            key: "ddns-ttl-percent",
            value: p.to_string(),
        });
    }
    Ok(DdnsParams {
        enable_updates: d2_enabled && scope.ddns_send_updates.unwrap_or(true),
        override_no_update: scope.ddns_override_no_update.unwrap_or(false),
        override_client_update: scope.ddns_override_client_update.unwrap_or(false),
        replace_client_name: scope
            .ddns_replace_client_name
            .unwrap_or(d.replace_client_name),
        generated_prefix: scope
            .ddns_generated_prefix
            .clone()
            .unwrap_or(d.generated_prefix),
        qualifying_suffix: scope.ddns_qualifying_suffix.clone().unwrap_or_default(),
        update_on_renew: scope.ddns_update_on_renew.unwrap_or(false),
        conflict_resolution_mode,
        ttl_percent: scope.ddns_ttl_percent,
        sanitizer,
    })
}

fn params(scope: &Scope, context: &str, d2_enabled: bool) -> Result<Params4, BuildError> {
    let valid = scope.valid.unwrap_or(7200);
    let valid_lifetime = Triplet::new(valid, scope.min_valid, scope.max_valid);
    if valid_lifetime.min > valid_lifetime.default || valid_lifetime.default > valid_lifetime.max {
        return Err(BuildError::Timers {
            context: context.to_string(),
            reason: format!(
                "the value of min-valid-lifetime ({}) must not exceed valid-lifetime ({}) which must not exceed max-valid-lifetime ({})",
                valid_lifetime.min, valid_lifetime.default, valid_lifetime.max
            ),
        });
    }
    let t1_percent = scope.t1p.unwrap_or(0.5);
    let t2_percent = scope.t2p.unwrap_or(0.875);
    let calculate = scope.calc.unwrap_or(false);
    if calculate && t1_percent >= t2_percent {
        return Err(BuildError::Timers {
            context: context.to_string(),
            reason: format!(
                "t1-percent:  {t1_percent} is invalid, it must be less than t2-percent: {t2_percent}"
            ),
        });
    }
    let next_server = match scope.next_server.as_deref() {
        None | Some("") => None,
        Some(s) => Some(parse_v4(context, "next-server", s)?).filter(|a| !a.is_unspecified()),
    };
    let fixed =
        |v: &Option<String>, key: &'static str, max: usize| -> Result<Option<String>, BuildError> {
            match v.as_deref() {
                None | Some("") => Ok(None),
                Some(s) if s.len() > max => Err(BuildError::BadValue {
                    context: context.to_string(),
                    key,
                    value: s.to_string(),
                }),
                Some(s) => Ok(Some(s.to_string())),
            }
        };
    Ok(Params4 {
        valid_lifetime,
        tee: TeeTimes {
            renew_timer: scope.renew,
            rebind_timer: scope.rebind,
            calculate,
            t1_percent,
            t2_percent,
        },
        match_client_id: scope.match_client_id.unwrap_or(true),
        authoritative: scope.authoritative.unwrap_or(false),
        next_server,
        server_hostname: fixed(&scope.server_hostname, "server-hostname", 63)?,
        boot_file_name: fixed(&scope.boot_file_name, "boot-file-name", 127)?,
        reservations_global: scope.res_global.unwrap_or(false),
        reservations_in_subnet: scope.res_in_subnet.unwrap_or(true),
        reservations_out_of_pool: scope.res_out_of_pool.unwrap_or(false),
        cache_threshold: scope.cache_threshold,
        cache_max_age: scope.cache_max_age,
        ddns: ddns_params(scope, context, d2_enabled)?,
    })
}

fn parse_pool(p: &PoolCfg, prefix: Ipv4Net, context: &str) -> Result<AddrRange, BuildError> {
    let bad = || BuildError::BadValue {
        context: context.to_string(),
        key: "pool",
        value: p.pool.clone(),
    };
    let text = p.pool.trim();
    let (first, last) = if let Some((a, b)) = text.split_once('-') {
        (parse_v4(context, "pool", a)?, parse_v4(context, "pool", b)?)
    } else {
        let net: Ipv4Net = text.parse().map_err(|_| bad())?;
        (net.network(), net.broadcast())
    };
    let range = AddrRange::new(u32::from(first).into(), u32::from(last).into()).ok_or_else(bad)?;
    if !prefix.contains(&first) || !prefix.contains(&last) {
        return Err(BuildError::PoolOutsideSubnet {
            first,
            last,
            prefix,
        });
    }
    Ok(range)
}

/// Parses a host identifier value: hex bytes (`01:02:03`, `010203`) or a quoted `'text'`.
pub(crate) fn parse_identifier(v: &str) -> Option<Vec<u8>> {
    let v = v.trim();
    if let Some(inner) = v.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
        return (!inner.is_empty()).then(|| inner.as_bytes().to_vec());
    }
    let hex = v.strip_prefix("0x").unwrap_or(v);
    let mut out = Vec::new();
    if hex.contains(':') || hex.contains('-') || hex.contains(' ') {
        for part in hex.split([':', '-', ' ']) {
            if part.is_empty() || part.len() > 2 {
                return None;
            }
            out.push(u8::from_str_radix(part, 16).ok()?);
        }
    } else {
        if hex.is_empty() || !hex.len().is_multiple_of(2) {
            return None;
        }
        for i in (0..hex.len()).step_by(2) {
            out.push(u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()?);
        }
    }
    (!out.is_empty()).then_some(out)
}

fn build_host(
    r: &Reservation4,
    subnet: Option<(u32, Ipv4Net)>,
    defs: &OptionDefs4,
) -> Result<Host4, BuildError> {
    let context = match subnet {
        Some((id, p)) => format!("reservation in subnet {id} ({p})"),
        None => "global reservation".to_string(),
    };
    let ids: Vec<(IdentifierType, &String)> = [
        (IdentifierType::HwAddress, &r.hw_address),
        (IdentifierType::Duid, &r.duid),
        (IdentifierType::CircuitId, &r.circuit_id),
        (IdentifierType::ClientId, &r.client_id),
        (IdentifierType::FlexId, &r.flex_id),
    ]
    .into_iter()
    .filter_map(|(t, v)| v.as_ref().map(|v| (t, v)))
    .collect();
    let [(kind, value)] = ids.as_slice() else {
        return Err(BuildError::ReservationIdentifier { context });
    };
    let bytes = parse_identifier(value).ok_or_else(|| BuildError::BadValue {
        context: context.clone(),
        key: kind.as_config(),
        value: (*value).clone(),
    })?;
    let address = r
        .ip_address
        .as_deref()
        .map(|a| parse_v4(&context, "ip-address", a))
        .transpose()?
        .filter(|a| !a.is_unspecified());
    if let (Some(a), Some((_, prefix))) = (address, subnet)
        && !prefix.contains(&a)
    {
        return Err(BuildError::ReservationOutsideSubnet { address: a, prefix });
    }
    let next_server = r
        .next_server
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| parse_v4(&context, "next-server", s))
        .transpose()?;
    let options = build_option_set(defs, &r.option_data).map_err(|source| BuildError::Option {
        context: context.clone(),
        source: Box::new(source),
    })?;
    Ok(Host4 {
        identifier: Some((*kind, bytes)),
        subnet_id: subnet.map(|(id, _)| id).unwrap_or(GLOBAL_SUBNET_ID),
        address,
        hostname: r.hostname.clone().unwrap_or_default().to_ascii_lowercase(),
        next_server,
        server_hostname: r.server_hostname.clone().filter(|s| !s.is_empty()),
        boot_file_name: r.boot_file_name.clone().filter(|s| !s.is_empty()),
        client_classes: r.client_classes.clone(),
        options,
    })
}

fn relays(r: &Option<Relay>, context: &str) -> Result<Vec<Ipv4Addr>, BuildError> {
    let Some(r) = r else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    for a in r.ip_address.iter().chain(r.ip_addresses.iter().flatten()) {
        out.push(parse_v4(context, "relay", a)?);
    }
    Ok(out)
}

/// Builds one class; `earlier` holds the classes defined before it with their stages.
fn build_class(
    c: &ClientClass,
    defs: &OptionDefs4,
    earlier: &[ClientClass4],
) -> Result<ClientClass4, BuildError> {
    let context = format!("client class '{}'", c.name);
    let lookup = |name: &str| defs.by_name(DHCP4_SPACE, name).map(|d| d.code);
    let ctx = ParseContext::v4().with_option_names(&lookup);
    let ParsedClassTest { test, stage } = ClassTest::parse_definition(
        c.test.as_deref(),
        c.template_test.as_deref(),
        c.only_if_required == Some(true),
        &ctx,
        |n| earlier.iter().find(|x| x.name == n).map(|x| x.stage),
    )
    .map_err(|e| BuildError::Class {
        name: c.name.clone(),
        reason: e.to_string(),
    })?;
    // A class may redefine options (option 43) for the data it sends.
    let mut class_defs = defs.clone();
    class_defs
        .add_all(&c.option_def)
        .map_err(|source| BuildError::Option {
            context: context.clone(),
            source: Box::new(source),
        })?;
    let options =
        build_option_set(&class_defs, &c.option_data).map_err(|source| BuildError::Option {
            context: context.clone(),
            source: Box::new(source),
        })?;
    let valid_lifetime = c
        .valid_lifetime
        .map(|v| Triplet::new(v, c.min_valid_lifetime, c.max_valid_lifetime));
    Ok(ClientClass4 {
        name: c.name.clone(),
        test,
        stage,
        options,
        next_server: c
            .next_server
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(|s| parse_v4(&context, "next-server", s))
            .transpose()?,
        server_hostname: c.server_hostname.clone().filter(|s| !s.is_empty()),
        boot_file_name: c.boot_file_name.clone().filter(|s| !s.is_empty()),
        valid_lifetime,
    })
}

/// Refuses settings whose effect this implementation does not provide yet.
fn refuse_unsupported(c: &Dhcp4Config) -> Result<(), BuildError> {
    let ns = |key, detail: &str| {
        Err(BuildError::NotSupported {
            key,
            detail: detail.to_string(),
        })
    };
    if let Some(db) = &c.lease_database
        && db.db_type != DbType::Memfile
    {
        return ns("lease-database.type", "only memfile is available");
    }
    // Parameters with a visible effect that is not built yet, at any scope.
    let scopes = std::iter::once((c.store_extended_info, c.offer_lifetime))
        .chain(
            c.subnet4
                .iter()
                .map(|s| (s.store_extended_info, s.offer_lifetime)),
        )
        .chain(c.shared_networks.iter().flat_map(|n| {
            std::iter::once((n.store_extended_info, n.offer_lifetime)).chain(
                n.subnet4
                    .iter()
                    .map(|s| (s.store_extended_info, s.offer_lifetime)),
            )
        }))
        .collect::<Vec<_>>();
    if scopes.iter().any(|(x, _)| *x == Some(true)) {
        return ns(
            "store-extended-info",
            "relay and client information is not stored in leases yet",
        );
    }
    if scopes.iter().any(|(_, o)| o.is_some_and(|o| o > 0)) {
        return ns(
            "offer-lifetime",
            "temporary allocation on DHCPDISCOVER is not available yet",
        );
    }
    if c.early_global_reservations_lookup == Some(true) {
        return ns(
            "early-global-reservations-lookup",
            "global reservations are looked up after subnet selection",
        );
    }
    if c.hosts_database.is_some() || !c.hosts_databases.is_empty() {
        return ns(
            "hosts-databases",
            "host reservations come from the configuration only",
        );
    }
    if c.config_control
        .as_ref()
        .is_some_and(|cc| !cc.config_databases.is_empty())
    {
        return ns(
            "config-control.config-databases",
            "configuration backends are not available",
        );
    }
    // DDNS (issue 8): only UDP transport, as in Kea 2.2.
    if c.dhcp_ddns
        .as_ref()
        .is_some_and(|d| d.enable_updates && d.ncr_protocol == Some(NcrProtocol::Tcp))
    {
        return ns("dhcp-ddns.ncr-protocol", "only UDP is available");
    }
    if c.dhcp4o6_port.is_some_and(|p| p != 0) {
        return ns("dhcp4o6-port", "DHCPv4-over-DHCPv6 is not available yet");
    }
    Ok(())
}

/// Builds the runtime configuration. Nothing is published here.
pub fn build(c: &Dhcp4Config) -> Result<SrvConfig4, BuildError> {
    refuse_unsupported(c)?;
    let mut defs = OptionDefs4::default();
    defs.add_all(&c.option_def)
        .map_err(|source| BuildError::Option {
            context: "option-def".to_string(),
            source: Box::new(source),
        })?;
    let mut global_scope = scope_of!(c);
    // DDNS (issue 8): deprecated behavioural keys inside `dhcp-ddns` stand in for the
    // global ones when those are not given.
    let d2_enabled = c.dhcp_ddns.as_ref().is_some_and(|d| d.enable_updates);
    if let Some(d) = &c.dhcp_ddns {
        let g = &mut global_scope;
        g.ddns_override_no_update = g.ddns_override_no_update.or(d.override_no_update);
        g.ddns_override_client_update = g.ddns_override_client_update.or(d.override_client_update);
        g.ddns_replace_client_name = g.ddns_replace_client_name.or(d.replace_client_name);
        g.ddns_generated_prefix = g
            .ddns_generated_prefix
            .take()
            .or_else(|| d.generated_prefix.clone());
        g.ddns_qualifying_suffix = g
            .ddns_qualifying_suffix
            .take()
            .or_else(|| d.qualifying_suffix.clone());
        g.hostname_char_set = g
            .hostname_char_set
            .take()
            .or_else(|| d.hostname_char_set.clone());
        g.hostname_char_replacement = g
            .hostname_char_replacement
            .take()
            .or_else(|| d.hostname_char_replacement.clone());
    }
    let global_params = params(&global_scope, "Dhcp4", d2_enabled)?;
    let opts = |entries: &[kea_config::OptionData], context: String| {
        build_option_set(&defs, entries).map_err(|source| BuildError::Option {
            context,
            source: Box::new(source),
        })
    };
    let global_options = opts(&c.option_data, "Dhcp4".to_string())?;

    let mut classes = Vec::new();
    let mut class_names = HashSet::new();
    for cl in &c.client_classes {
        if !class_names.insert(cl.name.clone()) {
            return Err(BuildError::Class {
                name: cl.name.clone(),
                reason: "class with the same name already exists".to_string(),
            });
        }
        let class = build_class(cl, &defs, &classes)?;
        classes.push(class);
    }

    let mut hosts = HostStore4::default();
    let unique = c.ip_reservations_unique.unwrap_or(true);
    for r in &c.reservations {
        hosts.add(build_host(r, None, &defs)?, unique)?;
    }

    let mut subnets: Vec<Arc<Subnet4>> = Vec::new();
    let mut shared = HashMap::new();
    let mut auto_id = 0u32;
    let mut add_subnet = |s: &SubnetCfg,
                          parent: &Scope,
                          net: Option<&SharedNetwork4>,
                          hosts: &mut HostStore4,
                          subnets: &mut Vec<Arc<Subnet4>>|
     -> Result<u32, BuildError> {
        let prefix: Ipv4Net = s.subnet.trim().parse().map_err(|_| BuildError::BadValue {
            context: "subnet4".to_string(),
            key: "subnet",
            value: s.subnet.clone(),
        })?;
        let id = match s.id {
            Some(id) if id != 0 => id,
            _ => {
                auto_id += 1;
                auto_id
            }
        };
        let context = format!("subnet {id} ({prefix})");
        if subnets.iter().any(|x| x.id == id) {
            return Err(BuildError::DuplicateSubnetId {
                prefix: prefix.to_string(),
                id,
            });
        }
        if subnets.iter().any(|x| x.prefix == prefix) {
            return Err(BuildError::DuplicateSubnet {
                prefix: prefix.to_string(),
            });
        }
        let scope = scope_of!(s).over(parent);
        let p = params(&scope, &context, d2_enabled)?;
        let mut pools = Vec::new();
        for pc in &s.pools {
            let range = parse_pool(pc, prefix, &context)?;
            if pools.iter().any(|x: &Pool4| x.range.overlaps(&range)) {
                return Err(BuildError::PoolOverlap {
                    first: Ipv4Addr::from(range.first as u32),
                    last: Ipv4Addr::from(range.last as u32),
                    prefix,
                });
            }
            pools.push(Pool4 {
                range,
                options: opts(&pc.option_data, format!("pool {} in {context}", pc.pool))?,
                client_class: pc.client_class.clone().filter(|c| !c.is_empty()),
                require_client_classes: pc.require_client_classes.clone(),
            });
        }
        let kind = match scope.allocator.as_deref() {
            None => AllocatorKind::Iterative,
            Some(a) => AllocatorKind::from_config(a).ok_or_else(|| BuildError::BadValue {
                context: context.clone(),
                key: "allocator",
                value: a.to_string(),
            })?,
        };
        for r in &s.reservations {
            hosts.add(build_host(r, Some((id, prefix)), &defs)?, unique)?;
        }
        let allocator = Allocator::new(kind, pools.iter().map(|p| p.range).collect());
        subnets.push(Arc::new(Subnet4 {
            id,
            prefix,
            pools,
            shared_network: net.map(|n| Arc::from(n.name.as_str())),
            interface: s.interface.clone().filter(|i| !i.is_empty()),
            relay_addresses: relays(&s.relay, &context)?,
            client_class: s.client_class.clone().filter(|c| !c.is_empty()),
            require_client_classes: s.require_client_classes.clone(),
            params: p,
            options: opts(&s.option_data, context)?,
            allocator,
        }));
        Ok(id)
    };

    for s in &c.subnet4 {
        add_subnet(s, &global_scope, None, &mut hosts, &mut subnets)?;
    }
    for n in &c.shared_networks {
        if shared.contains_key(n.name.as_str()) {
            return Err(BuildError::DuplicateSharedNetwork {
                name: n.name.clone(),
            });
        }
        let net_scope = scope_of!(n).over(&global_scope);
        let context = format!("shared network '{}'", n.name);
        let mut ids = Vec::new();
        for s in &n.subnet4 {
            ids.push(add_subnet(
                s,
                &net_scope,
                Some(n),
                &mut hosts,
                &mut subnets,
            )?);
        }
        let name: Arc<str> = Arc::from(n.name.as_str());
        shared.insert(
            name.clone(),
            SharedNet {
                name,
                subnet_ids: ids,
                options: opts(&n.option_data, context.clone())?,
                interface: n.interface.clone().filter(|i| !i.is_empty()),
                relay_addresses: relays(&n.relay, &context)?,
                client_class: n.client_class.clone().filter(|c| !c.is_empty()),
                require_client_classes: n.require_client_classes.clone(),
            },
        );
    }
    let subnet_by_id = subnets.iter().map(|s| (s.id, s.clone())).collect();
    let ids: Vec<IdentifierType> = c
        .host_reservation_identifiers
        .clone()
        .unwrap_or_else(|| HostIdentifierType::DHCP4_DEFAULT.to_vec())
        .into_iter()
        .filter_map(|t| IdentifierType::from_config(t.as_str()))
        .collect();
    let compat = c.compatibility.as_ref();
    let flag = |f: fn(&kea_config::server::Compatibility) -> Option<bool>| {
        compat.and_then(f).unwrap_or(false)
    };
    Ok(SrvConfig4 {
        subnets,
        subnet_by_id,
        shared_networks: shared,
        classes,
        hosts,
        options: global_options,
        global: Global4 {
            echo_client_id: c.echo_client_id.unwrap_or(true),
            host_reservation_identifiers: ids,
            decline_probation_period: c.decline_probation_period.unwrap_or(86400),
            server_tag: c.server_tag.clone().unwrap_or_default(),
            ignore_dhcp_server_identifier: flag(|c| c.ignore_dhcp_server_identifier),
            ignore_rai_link_selection: flag(|c| c.ignore_rai_link_selection),
            exclude_first_last_24: flag(|c| c.exclude_first_last_24),
            ip_reservations_unique: unique,
            ddns_enabled: d2_enabled,
        },
        params: global_params,
    })
}
