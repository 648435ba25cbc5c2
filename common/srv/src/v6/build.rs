//! Building the runtime [`SrvConfig6`] from the typed `Dhcp6` model (ARM `dhcp6-srv.rst`:
//! inheritance, pools and pd-pools, reservations, options, classes). Errors are the ones of
//! the DHCPv4 build ([`BuildError`]).

use std::collections::{HashMap, HashSet};
use std::net::Ipv6Addr;
use std::sync::Arc;

use ipnet::Ipv6Net;
use kea_config::classes::ClientClass6 as ClassCfg;
use kea_config::database::DbType;
use kea_config::dhcp6::{
    Dhcp6Config, PdPool6 as PdPoolCfg, Reservation6, SharedNetwork6 as NetCfg, Subnet6 as SubnetCfg,
};
use kea_config::hosts::{HostIdentifierType6, ReservationMode};
use kea_config::scoped::Relay;
use kea_dhcp::optdef::Universe;
use kea_eval::ParseContext;

use super::cfg::{
    ClientClass6, Global6, Params6, PdPool6, Pool6, SharedNetwork6, SrvConfig6, Subnet6,
};
use crate::alloc::{AddrRange, Allocator, AllocatorKind};
use crate::classes::{ClassTest, ParsedClassTest};
use crate::host::{GLOBAL_SUBNET_ID, Host6, HostStore6, IdentifierType};
use crate::lifetime::{TeeTimes, Triplet};
use crate::v4::build::{BuildError, parse_identifier};
use crate::v4::optbuild::{OptionDefs, build_option_set};

/// Inheritable DHCPv6 settings of one scope.
#[derive(Clone, Default)]
struct Scope6 {
    valid: Option<u32>,
    min_valid: Option<u32>,
    max_valid: Option<u32>,
    pref: Option<u32>,
    min_pref: Option<u32>,
    max_pref: Option<u32>,
    renew: Option<u32>,
    rebind: Option<u32>,
    calc: Option<bool>,
    t1p: Option<f64>,
    t2p: Option<f64>,
    rapid_commit: Option<bool>,
    res_global: Option<bool>,
    res_in_subnet: Option<bool>,
    res_out_of_pool: Option<bool>,
    cache_threshold: Option<f64>,
    cache_max_age: Option<u32>,
    allocator: Option<String>,
    pd_allocator: Option<String>,
}

macro_rules! scope6_of {
    ($c:expr, $rapid:expr) => {{
        let c = $c;
        let (g, i, o) = match c.reservation_mode {
            Some(ReservationMode::Disabled) => (Some(false), Some(false), Some(false)),
            Some(ReservationMode::OutOfPool) => (Some(false), Some(true), Some(true)),
            Some(ReservationMode::Global) => (Some(true), Some(false), Some(false)),
            Some(ReservationMode::All) => (Some(false), Some(true), Some(false)),
            None => (None, None, None),
        };
        Scope6 {
            valid: c.valid_lifetime,
            min_valid: c.min_valid_lifetime,
            max_valid: c.max_valid_lifetime,
            pref: c.preferred_lifetime,
            min_pref: c.min_preferred_lifetime,
            max_pref: c.max_preferred_lifetime,
            renew: c.renew_timer,
            rebind: c.rebind_timer,
            calc: c.calculate_tee_times,
            t1p: c.t1_percent,
            t2p: c.t2_percent,
            rapid_commit: $rapid,
            res_global: c.reservations_global.or(g),
            res_in_subnet: c.reservations_in_subnet.or(i),
            res_out_of_pool: c.reservations_out_of_pool.or(o),
            cache_threshold: c.cache_threshold,
            cache_max_age: c.cache_max_age,
            allocator: c.allocator.clone(),
            pd_allocator: c.pd_allocator.clone(),
        }
    }};
}

impl Scope6 {
    fn over(&self, p: &Scope6) -> Scope6 {
        macro_rules! pick {
            ($($f:ident),*) => { Scope6 { $($f: self.$f.clone().or_else(|| p.$f.clone()),)* } };
        }
        pick!(
            valid,
            min_valid,
            max_valid,
            pref,
            min_pref,
            max_pref,
            renew,
            rebind,
            calc,
            t1p,
            t2p,
            rapid_commit,
            res_global,
            res_in_subnet,
            res_out_of_pool,
            cache_threshold,
            cache_max_age,
            allocator,
            pd_allocator
        )
    }
}

fn params6(s: &Scope6, context: &str) -> Result<Params6, BuildError> {
    let valid = Triplet::new(s.valid.unwrap_or(7200), s.min_valid, s.max_valid);
    let pref = Triplet::new(s.pref.unwrap_or(3600), s.min_pref, s.max_pref);
    let t1_percent = s.t1p.unwrap_or(0.5);
    let t2_percent = s.t2p.unwrap_or(0.8);
    let calculate = s.calc.unwrap_or(true);
    if calculate && t1_percent >= t2_percent {
        return Err(BuildError::Timers {
            context: context.to_string(),
            reason: format!(
                "t1-percent:  {t1_percent} is invalid, it must be less than t2-percent: {t2_percent}"
            ),
        });
    }
    Ok(Params6 {
        valid_lifetime: valid,
        preferred_lifetime: pref,
        tee: TeeTimes {
            renew_timer: s.renew,
            rebind_timer: s.rebind,
            calculate,
            t1_percent,
            t2_percent,
        },
        rapid_commit: s.rapid_commit.unwrap_or(false),
        reservations_global: s.res_global.unwrap_or(false),
        reservations_in_subnet: s.res_in_subnet.unwrap_or(true),
        reservations_out_of_pool: s.res_out_of_pool.unwrap_or(false),
        cache_threshold: s.cache_threshold,
        cache_max_age: s.cache_max_age,
    })
}

fn bad(context: &str, key: &'static str, value: &str) -> BuildError {
    BuildError::BadValue {
        context: context.to_string(),
        key,
        value: value.to_string(),
    }
}

fn parse_v6(context: &str, key: &'static str, v: &str) -> Result<Ipv6Addr, BuildError> {
    v.trim().parse().map_err(|_| bad(context, key, v))
}

fn relays6(r: &Option<Relay>, context: &str) -> Result<Vec<Ipv6Addr>, BuildError> {
    let Some(r) = r else { return Ok(Vec::new()) };
    r.ip_address
        .iter()
        .chain(r.ip_addresses.iter().flatten())
        .map(|a| parse_v6(context, "relay", a))
        .collect()
}

fn allocator(
    kind: &Option<String>,
    context: &str,
    key: &'static str,
) -> Result<AllocatorKind, BuildError> {
    match kind.as_deref() {
        None => Ok(AllocatorKind::Iterative),
        Some(a) => AllocatorKind::from_config(a).ok_or_else(|| bad(context, key, a)),
    }
}

fn pd_pool(p: &PdPoolCfg, defs: &OptionDefs, context: &str) -> Result<PdPool6, BuildError> {
    let prefix = parse_v6(context, "prefix", &p.prefix)?;
    if p.prefix_len > 128 || p.delegated_len > 128 || p.delegated_len < p.prefix_len {
        return Err(BuildError::BadValue {
            context: context.to_string(),
            key: "delegated-len",
            value: format!("{} (prefix-len {})", p.delegated_len, p.prefix_len),
        });
    }
    let bits = u32::from(p.delegated_len - p.prefix_len);
    let count = if bits >= 128 {
        u128::MAX
    } else {
        (1u128 << bits) - 1
    };
    let excluded = match (&p.excluded_prefix, p.excluded_prefix_len) {
        (Some(e), Some(l)) if !e.is_empty() && l != 0 => {
            Some((parse_v6(context, "excluded-prefix", e)?, l))
        }
        _ => None,
    };
    Ok(PdPool6 {
        prefix,
        prefix_len: p.prefix_len,
        delegated_len: p.delegated_len,
        range: AddrRange {
            first: 0,
            last: count,
        },
        excluded,
        options: build_option_set(defs, &p.option_data).map_err(|source| BuildError::Option {
            context: format!("pd-pool {} in {context}", p.prefix),
            source: Box::new(source),
        })?,
        client_class: p.client_class.clone().filter(|c| !c.is_empty()),
        require_client_classes: p.require_client_classes.clone(),
    })
}

fn build_host6(
    r: &Reservation6,
    subnet: Option<(u32, Ipv6Net)>,
    defs: &OptionDefs,
) -> Result<Host6, BuildError> {
    let context = match subnet {
        Some((id, p)) => format!("reservation in subnet {id} ({p})"),
        None => "global reservation".to_string(),
    };
    let ids: Vec<(IdentifierType, &String)> = [
        (IdentifierType::Duid, &r.duid),
        (IdentifierType::HwAddress, &r.hw_address),
        (IdentifierType::FlexId, &r.flex_id),
    ]
    .into_iter()
    .filter_map(|(t, v)| v.as_ref().map(|v| (t, v)))
    .collect();
    let [(kind, value)] = ids.as_slice() else {
        return Err(BuildError::ReservationIdentifier { context });
    };
    let bytes = parse_identifier(value).ok_or_else(|| bad(&context, kind.as_config(), value))?;
    let addresses = r
        .ip_addresses
        .iter()
        .map(|a| parse_v6(&context, "ip-addresses", a))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some((_, prefix)) = subnet
        && let Some(a) = addresses.iter().find(|a| !prefix.contains(*a))
    {
        return Err(bad(&context, "ip-addresses", &a.to_string()));
    }
    let prefixes = r
        .prefixes
        .iter()
        .map(|p| {
            let net: Ipv6Net = p.trim().parse().map_err(|_| bad(&context, "prefixes", p))?;
            Ok((net.network(), net.prefix_len()))
        })
        .collect::<Result<Vec<_>, BuildError>>()?;
    Ok(Host6 {
        identifier: Some((*kind, bytes)),
        subnet_id: subnet.map(|(id, _)| id).unwrap_or(GLOBAL_SUBNET_ID),
        addresses,
        prefixes,
        hostname: r.hostname.clone().unwrap_or_default().to_ascii_lowercase(),
        client_classes: r.client_classes.clone(),
        options: build_option_set(defs, &r.option_data).map_err(|source| BuildError::Option {
            context: context.clone(),
            source: Box::new(source),
        })?,
    })
}

fn build_class6(
    c: &ClassCfg,
    defs: &OptionDefs,
    earlier: &[ClientClass6],
) -> Result<ClientClass6, BuildError> {
    let lookup = |name: &str| defs.by_name(defs.top_space(), name).map(|d| d.code);
    let ctx = ParseContext::v6().with_option_names(&lookup);
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
    Ok(ClientClass6 {
        name: c.name.clone(),
        test,
        stage,
        options: build_option_set(defs, &c.option_data).map_err(|source| BuildError::Option {
            context: format!("client class '{}'", c.name),
            source: Box::new(source),
        })?,
        valid_lifetime: c
            .valid_lifetime
            .map(|v| Triplet::new(v, c.min_valid_lifetime, c.max_valid_lifetime)),
        preferred_lifetime: c
            .preferred_lifetime
            .map(|v| Triplet::new(v, c.min_preferred_lifetime, c.max_preferred_lifetime)),
    })
}

fn refuse_unsupported6(c: &Dhcp6Config) -> Result<(), BuildError> {
    let ns = |key, detail: &str| {
        Err(BuildError::NotSupported {
            key,
            detail: detail.to_string(),
        })
    };
    if c.lease_database
        .as_ref()
        .is_some_and(|db| db.db_type != DbType::Memfile)
    {
        return ns("lease-database.type", "only memfile is available");
    }
    let extended = std::iter::once(c.store_extended_info)
        .chain(c.subnet6.iter().map(|s| s.store_extended_info))
        .chain(c.shared_networks.iter().flat_map(|n| {
            std::iter::once(n.store_extended_info)
                .chain(n.subnet6.iter().map(|s| s.store_extended_info))
        }))
        .any(|x| x == Some(true));
    if extended {
        return ns(
            "store-extended-info",
            "relay and client information is not stored in leases yet",
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
    if c.dhcp_ddns.as_ref().is_some_and(|d| d.enable_updates) {
        return ns(
            "dhcp-ddns.enable-updates",
            "DNS updates from kea-dhcp6 are not available yet",
        );
    }
    if c.dhcp4o6_port.is_some_and(|p| p != 0) {
        return ns("dhcp4o6-port", "DHCPv4-over-DHCPv6 is not available yet");
    }
    Ok(())
}

/// Builds the runtime DHCPv6 configuration; `server_id` is the DUID the daemon settled on.
pub fn build6(c: &Dhcp6Config, server_id: Vec<u8>) -> Result<SrvConfig6, BuildError> {
    refuse_unsupported6(c)?;
    let mut defs = OptionDefs::new(Universe::V6);
    defs.add_all(&c.option_def)
        .map_err(|source| BuildError::Option {
            context: "option-def".to_string(),
            source: Box::new(source),
        })?;
    let opts = |entries: &[kea_config::OptionData], context: String| {
        build_option_set(&defs, entries).map_err(|source| BuildError::Option {
            context,
            source: Box::new(source),
        })
    };
    let global_scope = scope6_of!(c, None);
    let global_params = params6(&global_scope, "Dhcp6")?;
    let mut classes: Vec<ClientClass6> = Vec::new();
    let mut names = HashSet::new();
    for cl in &c.client_classes {
        if !names.insert(cl.name.clone()) {
            return Err(BuildError::Class {
                name: cl.name.clone(),
                reason: "class with the same name already exists".to_string(),
            });
        }
        let class = build_class6(cl, &defs, &classes)?;
        classes.push(class);
    }
    let unique = c.ip_reservations_unique.unwrap_or(true);
    let mut hosts = HostStore6::default();
    for r in &c.reservations {
        hosts.add(build_host6(r, None, &defs)?, unique)?;
    }
    let mut subnets: Vec<Arc<Subnet6>> = Vec::new();
    let mut auto_id = 0u32;
    let mut add = |s: &SubnetCfg,
                   parent: &Scope6,
                   net: Option<&NetCfg>,
                   hosts: &mut HostStore6,
                   subnets: &mut Vec<Arc<Subnet6>>|
     -> Result<u32, BuildError> {
        let prefix: Ipv6Net = s
            .subnet
            .trim()
            .parse()
            .map_err(|_| bad("subnet6", "subnet", &s.subnet))?;
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
        let scope = scope6_of!(s, s.rapid_commit).over(parent);
        let p = params6(&scope, &context)?;
        let mut pools: Vec<Pool6> = Vec::new();
        for pc in &s.pools {
            let text = pc.pool.trim();
            let (first, last) = match text.split_once('-') {
                Some((a, b)) => (
                    parse_v6(&context, "pool", a)?,
                    parse_v6(&context, "pool", b)?,
                ),
                None => {
                    let n: Ipv6Net = text.parse().map_err(|_| bad(&context, "pool", text))?;
                    (n.network(), n.broadcast())
                }
            };
            let range = AddrRange::new(first.into(), last.into())
                .ok_or_else(|| bad(&context, "pool", text))?;
            if !prefix.contains(&first) || !prefix.contains(&last) {
                return Err(bad(&context, "pool", text));
            }
            if pools.iter().any(|x| x.range.overlaps(&range)) {
                return Err(bad(&context, "pool (overlapping)", text));
            }
            pools.push(Pool6 {
                range,
                options: opts(&pc.option_data, format!("pool {} in {context}", pc.pool))?,
                client_class: pc.client_class.clone().filter(|c| !c.is_empty()),
                require_client_classes: pc.require_client_classes.clone(),
            });
        }
        let pd_pools = s
            .pd_pools
            .iter()
            .map(|p| pd_pool(p, &defs, &context))
            .collect::<Result<Vec<_>, _>>()?;
        // Each pd-pool's indices get their own stretch of the PD allocator's space.
        let mut next = 0u128;
        let mut pd_ranges = Vec::new();
        for p in &pd_pools {
            let n = p.range.last.saturating_add(1);
            if let Some(r) = AddrRange::new(next, next.saturating_add(n - 1)) {
                pd_ranges.push(r);
            }
            next = next.saturating_add(n);
        }
        for r in &s.reservations {
            hosts.add(build_host6(r, Some((id, prefix)), &defs)?, unique)?;
        }
        let interface_id = s
            .interface_id
            .as_deref()
            .filter(|i| !i.is_empty())
            .map(|i| i.as_bytes().to_vec());
        subnets.push(Arc::new(Subnet6 {
            id,
            prefix,
            na_alloc: Allocator::new(
                allocator(&scope.allocator, &context, "allocator")?,
                pools.iter().map(|p| p.range).collect(),
            ),
            pd_alloc: Allocator::new(
                allocator(&scope.pd_allocator, &context, "pd-allocator")?,
                pd_ranges,
            ),
            pools,
            pd_pools,
            shared_network: net.map(|n| Arc::from(n.name.as_str())),
            interface: s.interface.clone().filter(|i| !i.is_empty()),
            interface_id,
            relay_addresses: relays6(&s.relay, &context)?,
            client_class: s.client_class.clone().filter(|c| !c.is_empty()),
            require_client_classes: s.require_client_classes.clone(),
            params: p,
            options: opts(&s.option_data, context)?,
        }));
        Ok(id)
    };
    for s in &c.subnet6 {
        add(s, &global_scope, None, &mut hosts, &mut subnets)?;
    }
    let mut shared = HashMap::new();
    for n in &c.shared_networks {
        if shared.contains_key(n.name.as_str()) {
            return Err(BuildError::DuplicateSharedNetwork {
                name: n.name.clone(),
            });
        }
        let scope = scope6_of!(n, n.rapid_commit).over(&global_scope);
        let context = format!("shared network '{}'", n.name);
        let mut ids = Vec::new();
        for s in &n.subnet6 {
            ids.push(add(s, &scope, Some(n), &mut hosts, &mut subnets)?);
        }
        let name: Arc<str> = Arc::from(n.name.as_str());
        shared.insert(
            name.clone(),
            SharedNetwork6 {
                name,
                subnet_ids: ids,
                options: opts(&n.option_data, context.clone())?,
                interface: n.interface.clone().filter(|i| !i.is_empty()),
                interface_id: n
                    .interface_id
                    .as_deref()
                    .filter(|i| !i.is_empty())
                    .map(|i| i.as_bytes().to_vec()),
                relay_addresses: relays6(&n.relay, &context)?,
                client_class: n.client_class.clone().filter(|c| !c.is_empty()),
                require_client_classes: n.require_client_classes.clone(),
            },
        );
    }
    let ids = c
        .host_reservation_identifiers
        .clone()
        .unwrap_or_else(|| vec![HostIdentifierType6::HwAddress, HostIdentifierType6::Duid])
        .into_iter()
        .filter_map(|t| IdentifierType::from_config(t.as_str()))
        .collect();
    Ok(SrvConfig6 {
        subnet_by_id: subnets.iter().map(|s| (s.id, s.clone())).collect(),
        subnets,
        shared_networks: shared,
        classes,
        hosts,
        options: opts(&c.option_data, "Dhcp6".to_string())?,
        global: Global6 {
            server_id,
            host_reservation_identifiers: ids,
            decline_probation_period: c.decline_probation_period.unwrap_or(86400),
            server_tag: c.server_tag.clone().unwrap_or_default(),
            ip_reservations_unique: unique,
        },
        params: global_params,
    })
}
