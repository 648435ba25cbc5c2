//! The `lease4-*` commands (`hooks-lease-cmds.rst`), answering byte for byte as Kea 2.2's
//! `libdhcp_lease_cmds.so` in kea-dhcp4 (texts captured from the running Kea 2.2 are in
//! this crate's `tests/kea22-answers.txt`).

use super::backend::{BackendError, LeaseCmdsBackend4, NcrKind};
use super::params::{self, Family, Query};
use super::parser::{check_identified, parse_lease4};
use super::stats;
use crate::answer::{RESULT_EMPTY, RESULT_SUCCESS, answer, answer_args, error, success_or_empty};
use crate::args::{Simple, Wire, int_value, map_or_get_error, parse_ip, subnet_id_cast};
use crate::ids::{parse_client_id, parse_hwaddr};
use crate::lease_json::lease4_to_json;
use kea_lease::Lease4;
use serde_json::{Map, Value, json};
use std::net::{IpAddr, Ipv4Addr};

fn leases_answer(leases: &[Lease4]) -> Value {
    let list: Vec<Value> = leases.iter().map(lease4_to_json).collect();
    answer_args(
        success_or_empty(!leases.is_empty()),
        format!("{} IPv4 lease(s) found.", leases.len()),
        json!({ "leases": list }),
    )
}

/// The lease a `lease4-get`/`lease4-del` selector designates.
fn find<B: LeaseCmdsBackend4>(
    backend: &B,
    p: &params::Params,
    duid_error: &str,
) -> Result<Option<Lease4>, String> {
    let in_subnet = |leases: Vec<Lease4>| leases.into_iter().find(|l| l.subnet_id == p.subnet_id);
    Ok(match &p.query {
        Query::Address(IpAddr::V4(a)) => backend.get(*a),
        Query::Address(IpAddr::V6(_)) => None,
        Query::Unspecified => backend.get(Ipv4Addr::UNSPECIFIED),
        Query::HwAddr(hw) => in_subnet(backend.get_by_hwaddr(hw)),
        Query::ClientId(id) => in_subnet(backend.get_by_client_id(id)),
        Query::Duid(_) => return Err(duid_error.to_owned()),
    })
}

/// `lease4-get`: one lease by address or by (subnet, identifier).
pub fn lease4_get<B: LeaseCmdsBackend4>(backend: &B, args: Option<&Value>) -> Value {
    let wire = Wire::new("lease4-get", args);
    let found = params::parse(Family::V4, &wire, args)
        .and_then(|p| find(backend, &p, "Query by duid is not allowed in v4."));
    match found {
        Err(text) => error(text),
        Ok(Some(lease)) => answer_args(RESULT_SUCCESS, "IPv4 lease found.", lease4_to_json(&lease)),
        Ok(None) => answer(RESULT_EMPTY, "Lease not found."),
    }
}

/// `lease4-get-all`: every lease, or those of the listed subnets.
pub fn lease4_get_all<B: LeaseCmdsBackend4>(backend: &B, args: Option<&Value>) -> Value {
    let Some(args) = args else {
        return leases_answer(&backend.get_all());
    };
    let wire = Wire::new("lease4-get-all", args.into());
    let map = match map_or_get_error(&wire, args) {
        Ok(m) => m,
        Err(text) => return error(text),
    };
    let Some(subnets) = map.get("subnets") else {
        return error("'subnets' parameter not specified");
    };
    let Some(subnets) = subnets.as_array() else {
        return error("'subnets' parameter must be a list");
    };
    let mut leases = Vec::new();
    for id in subnets {
        let Some(id) = int_value(id) else {
            return error("listed subnet identifiers must be numbers");
        };
        leases.extend(backend.get_by_subnet(subnet_id_cast(id)));
    }
    leases_answer(&leases)
}

/// `lease4-get-page`: up to `limit` leases after `from`.
pub fn lease4_get_page<B: LeaseCmdsBackend4>(backend: &B, args: Option<&Value>) -> Value {
    let Some(args) = args else {
        return error("no parameters specified for the lease4-get-page command");
    };
    match page_params(Family::V4, &Wire::new("lease4-get-page", Some(args)), args) {
        Err(text) => error(text),
        Ok((from, limit)) => {
            let from = match from {
                IpAddr::V4(a) => a,
                IpAddr::V6(_) => Ipv4Addr::UNSPECIFIED,
            };
            let leases = backend.get_page(from, limit);
            let list: Vec<Value> = leases.iter().map(lease4_to_json).collect();
            answer_args(
                success_or_empty(!leases.is_empty()),
                format!("{} IPv4 lease(s) found.", leases.len()),
                json!({ "count": leases.len(), "leases": list }),
            )
        }
    }
}

/// The `from` address and `limit` of a page request.
pub(crate) fn page_params(
    family: Family,
    wire: &Wire<'_>,
    args: &Value,
) -> Result<(IpAddr, usize), String> {
    let map = map_or_get_error(wire, args)?;
    let Some(from) = map.get("from") else {
        return Err("'from' parameter not specified".to_owned());
    };
    let Value::String(from) = from else {
        return Err("'from' parameter must be a string".to_owned());
    };
    let from = if from == "start" {
        match family {
            Family::V4 => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            Family::V6 => IpAddr::V6(std::net::Ipv6Addr::UNSPECIFIED),
        }
    } else {
        let addr = parse_ip(from).map_err(|_| {
            format!(
                "'from' parameter value is neither 'start' keyword nor a valid {} address",
                family.ip_name()
            )
        })?;
        if !family.matches(addr) {
            return Err(format!(
                "'from' parameter value {addr} is not an {} address",
                family.ip_name()
            ));
        }
        addr
    };
    let Some(limit) = map.get("limit") else {
        return Err("'limit' parameter not specified".to_owned());
    };
    let limit = int_value(limit).ok_or_else(|| "'limit' parameter must be a number".to_owned())?;
    if limit == 0 {
        return Err("page size of retrieved leases must not be 0".to_owned());
    }
    let limit = u32::try_from(limit).map_err(|_| {
        "page size of retrieved leases must not be greater than 4294967295".to_owned()
    })?;
    Ok((from, usize::try_from(limit).unwrap_or(usize::MAX)))
}

/// The map of a `lease4-get-by-*` command and its one string parameter.
pub(crate) fn by_param<'a>(args: Option<&'a Value>, name: &str) -> Result<&'a str, String> {
    let Some(Value::Object(map)) = args else {
        return Err("Command arguments missing or a not a map.".to_owned());
    };
    match map.get(name) {
        None => Err(format!("'{name}' parameter not specified")),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(format!("'{name}' parameter must be a string")),
    }
}

/// `lease4-get-by-hw-address`: every lease of a hardware address.
pub fn lease4_get_by_hw_address<B: LeaseCmdsBackend4>(backend: &B, args: Option<&Value>) -> Value {
    match by_param(args, "hw-address").and_then(parse_hwaddr) {
        Ok(hw) => leases_answer(&backend.get_by_hwaddr(&hw)),
        Err(text) => error(text),
    }
}

/// `lease4-get-by-client-id`: every lease of a client identifier.
pub fn lease4_get_by_client_id<B: LeaseCmdsBackend4>(backend: &B, args: Option<&Value>) -> Value {
    match by_param(args, "client-id").and_then(parse_client_id) {
        Ok(id) => leases_answer(&backend.get_by_client_id(&id)),
        Err(text) => error(text),
    }
}

/// The host name of a `lease*-get-by-hostname` command, lower-cased as Kea compares it.
pub(crate) fn hostname_param(args: Option<&Value>) -> Result<String, String> {
    let name = by_param(args, "hostname")?;
    if name.is_empty() {
        return Err("'hostname' parameter is empty".to_owned());
    }
    Ok(name.to_lowercase())
}

/// `lease4-get-by-hostname`: every lease with a host name (case-insensitive).
pub fn lease4_get_by_hostname<B: LeaseCmdsBackend4>(backend: &B, args: Option<&Value>) -> Value {
    match hostname_param(args) {
        Ok(name) => leases_answer(&backend.get_by_hostname(&name)),
        Err(text) => error(text),
    }
}

fn storage_error(e: &BackendError) -> Value {
    error(e.to_string())
}

/// `lease4-add`: creates a lease.
pub fn lease4_add<B: LeaseCmdsBackend4>(backend: &B, args: Option<&Value>) -> Value {
    let Some(args) = args else {
        return error("no parameters specified for the command");
    };
    let parsed = match parse_lease4(backend, Wire::new("lease4-add", Some(args)), args) {
        Ok(p) => p,
        Err(text) => return error(text),
    };
    let lease = parsed.lease;
    if let Err(text) = check_identified(&lease) {
        return error(text);
    }
    match backend.add(lease.clone()) {
        Ok(()) => {
            stats::on_add(backend.stats(), &lease);
            answer(
                RESULT_SUCCESS,
                format!(
                    "Lease for address {}, subnet-id {} added.",
                    lease.addr, lease.subnet_id
                ),
            )
        }
        Err(BackendError::AlreadyExists) => error("IPv4 lease already exists."),
        Err(e) => storage_error(&e),
    }
}

/// `lease4-update`: replaces a lease (creates it with `force-create`).
pub fn lease4_update<B: LeaseCmdsBackend4>(backend: &B, args: Option<&Value>) -> Value {
    let Some(args) = args else {
        return error("no parameters specified for lease4-update command");
    };
    let parsed = match parse_lease4(backend, Wire::new("lease4-update", Some(args)), args) {
        Ok(p) => p,
        Err(text) => return error(text),
    };
    let lease = parsed.lease;
    if let Err(text) = check_identified(&lease) {
        return error(text);
    }
    let not_found = || {
        error(format!(
            "failed to update the lease with address {} either because the lease has been \
             deleted or it has changed in the database, in both cases a retry might succeed",
            lease.addr
        ))
    };
    match backend.get(lease.addr) {
        None if parsed.force_create => match backend.add(lease.clone()) {
            Ok(()) => {
                stats::on_add(backend.stats(), &lease);
                answer(RESULT_SUCCESS, "IPv4 lease added.")
            }
            Err(e) => storage_error(&e),
        },
        None => not_found(),
        Some(old) => match backend.update(lease.clone()) {
            Ok(()) => {
                stats::on_update(backend.stats(), &old, &lease);
                answer(RESULT_SUCCESS, "IPv4 lease updated.")
            }
            Err(BackendError::NotFound) => not_found(),
            Err(e) => storage_error(&e),
        },
    }
}

/// `lease4-del`: deletes one lease by address or by (subnet, identifier).
pub fn lease4_del<B: LeaseCmdsBackend4>(backend: &B, args: Option<&Value>) -> Value {
    let wire = Wire::new("lease4-del", args);
    let p = match params::parse(Family::V4, &wire, args) {
        Ok(p) => p,
        Err(text) => return error(text),
    };
    let lease = match find(backend, &p, "Delete by duid is not allowed in v4.") {
        Err(text) => return error(text),
        Ok(None) => return answer(RESULT_EMPTY, "IPv4 lease not found."),
        Ok(Some(lease)) => lease,
    };
    match backend.delete(lease.addr) {
        Ok(true) => {}
        Ok(false) => return answer(RESULT_EMPTY, "IPv4 lease not found."),
        Err(e) => return storage_error(&e),
    }
    stats::on_delete(backend.stats(), &lease);
    if p.update_ddns && wants_ddns(backend, &lease) {
        if let Err(e) = backend.queue_ncr(NcrKind::Remove, &lease) {
            return storage_error(&e);
        }
    }
    answer(RESULT_SUCCESS, "IPv4 lease deleted.")
}

/// DDNS applies to a lease when updates are on and the lease has a name and a direction.
fn wants_ddns<B: LeaseCmdsBackend4>(backend: &B, lease: &Lease4) -> bool {
    backend.ddns_enabled() && !lease.hostname.is_empty() && (lease.fqdn_fwd || lease.fqdn_rev)
}

/// `lease4-wipe`: deletes every lease of a subnet, or of every subnet.
pub fn lease4_wipe<B: LeaseCmdsBackend4>(backend: &B, args: Option<&Value>) -> Value {
    let wire = Wire::new("lease4-wipe", args);
    let subnet_id = match wipe_subnet(&wire, args) {
        Ok(id) => id,
        Err(text) => return error(text),
    };
    let ids = if subnet_id == 0 {
        backend.subnet_ids()
    } else {
        vec![subnet_id]
    };
    let mut count = 0u64;
    let mut listed = String::new();
    for id in ids {
        match backend.wipe(id) {
            Ok(n) => count += n,
            Err(e) => return storage_error(&e),
        }
        listed.push_str(&format!(" {id}"));
        // KEA-DIFF: Kea 2.2 also creates zero statistics for a subnet-id that is not
        // configured; we leave statistics of unknown subnets alone.
        if backend.subnet(id).is_some() {
            stats::on_wipe(backend.stats(), id);
        }
    }
    answer(
        success_or_empty(count > 0),
        format!("Deleted {count} IPv4 lease(s) from subnet(s){listed}"),
    )
}

/// The `subnet-id` of a wipe (0 = every subnet).
pub(crate) fn wipe_subnet(wire: &Wire<'_>, args: Option<&Value>) -> Result<u32, String> {
    let Some(args) = args else { return Ok(0) };
    let Value::Object(map) = args else {
        return Err(format!(
            "contains(string) called on a non-map Element in {}",
            wire.args_pos()
        ));
    };
    let simple = Simple { map, wire: *wire };
    if simple.contains("subnet-id") {
        simple.unsigned("subnet-id", u32::MAX)
    } else {
        Ok(0)
    }
}

/// The `ip-address` of a resend-ddns command, checked for the family.
pub(crate) fn resend_address(
    family: Family,
    wire: &Wire<'_>,
    args: Option<&Value>,
) -> Result<IpAddr, String> {
    // KEA-DIFF: Kea 2.2 aborts (assertion) when the command has no arguments; we answer
    // as for a missing address.
    let empty = Value::Object(Map::new());
    let map = map_or_get_error(wire, args.unwrap_or(&empty))?;
    let Some(addr) = map.get("ip-address") else {
        return Err("'ip-address' parameter is missing.".to_owned());
    };
    let Value::String(text) = addr else {
        return Err("'ip-address' is not a string.".to_owned());
    };
    let addr = parse_ip(text).map_err(|_| format!("'{text}' is not a valid IP address."))?;
    if !family.matches(addr) {
        return Err(format!(
            "Invalid {} address specified: {addr}",
            family.ip_name()
        ));
    }
    Ok(addr)
}

/// `lease4-resend-ddns`: asks D2 to redo the DNS entries of a lease.
pub fn lease4_resend_ddns<B: LeaseCmdsBackend4>(backend: &B, args: Option<&Value>) -> Value {
    let wire = Wire::new("lease4-resend-ddns", args);
    let addr = match resend_address(Family::V4, &wire, args) {
        Ok(IpAddr::V4(a)) => a,
        Ok(IpAddr::V6(_)) => Ipv4Addr::UNSPECIFIED,
        Err(text) => return error(text),
    };
    if !backend.ddns_enabled() {
        return error("DDNS updating is not enabled");
    }
    let Some(lease) = backend.get(addr) else {
        return answer(RESULT_EMPTY, format!("No lease found for: {addr}"));
    };
    if lease.hostname.is_empty() {
        return error(format!(
            "Lease for: {addr}, has no hostname, nothing to update"
        ));
    }
    if !lease.fqdn_fwd && !lease.fqdn_rev {
        return error(format!(
            "Neither forward nor reverse updates enabled for lease for: {addr}"
        ));
    }
    match backend.queue_ncr(NcrKind::Add, &lease) {
        Ok(()) => answer(
            RESULT_SUCCESS,
            format!("NCR generated for: {addr}, hostname: {}", lease.hostname),
        ),
        Err(e) => storage_error(&e),
    }
}
