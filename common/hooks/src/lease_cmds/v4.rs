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
    if p.update_ddns
        && wants_ddns(backend, &lease)
        && let Err(e) = backend.queue_ncr(NcrKind::Remove, &lease)
    {
        return storage_error(&e);
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

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    //! Expected answers are Kea 2.2's, captured from kea-dhcp4 with
    //! libdhcp_lease_cmds.so on the same subnets (`tests/kea22-answers.txt`).
    use super::super::handle;
    use super::super::test_backend::{MemBackend, NOW};
    use serde_json::{Value, json};

    fn run(b: &MemBackend, cmd: &str, args: Value) -> String {
        let args = if args.is_null() { None } else { Some(args) };
        serde_json::to_string(&handle(b, cmd, args.as_ref())).unwrap()
    }

    fn ok_text(b: &MemBackend, cmd: &str, args: Value, code: i64, text: &str) {
        let expected = serde_json::to_string(&json!({"result": code, "text": text})).unwrap();
        assert_eq!(run(b, cmd, args.clone()), expected, "{cmd} {args}");
    }

    fn populated() -> MemBackend {
        let b = MemBackend::new();
        for (ip, hw) in [
            ("192.0.2.202", "1a:1b:1c:1d:1e:1f"),
            ("192.0.2.11", "1a:1b:1c:1d:1e:1f"),
        ] {
            run(
                &b,
                "lease4-add",
                json!({"ip-address": ip, "hw-address": hw}),
            );
        }
        run(
            &b,
            "lease4-add",
            json!({"ip-address":"192.0.2.12","hw-address":"1a:1b:1c:1d:1e:20","subnet-id":1,
                   "client-id":"01:02:03:04","valid-lft":1000,"expire":1700001000,"fqdn-fwd":true,
                   "fqdn-rev":true,"hostname":"urania.example.org","state":1,
                   "user-context":{"version":1,"b":[1,2]}}),
        );
        b
    }

    #[test]
    fn add_good_and_bad() {
        let b = MemBackend::new();
        let add = |args: Value, code: i64, text: &str| ok_text(&b, "lease4-add", args, code, text);
        add(
            json!({"ip-address":"192.0.2.202","hw-address":"1a:1b:1c:1d:1e:1f"}),
            0,
            "Lease for address 192.0.2.202, subnet-id 1 added.",
        );
        add(
            json!({"ip-address":"192.0.2.202","hw-address":"1a:1b:1c:1d:1e:1f"}),
            1,
            "IPv4 lease already exists.",
        );
        add(
            json!({"ip-address":"192.0.2.13","hw-address":"1a:1b:1c:1d:1e:21","subnet-id":2}),
            1,
            "The address 192.0.2.13 does not belong to subnet 198.51.100.0/24, subnet-id=2",
        );
        add(
            json!({"ip-address":"192.0.2.13","hw-address":"1a:1b:1c:1d:1e:21","subnet-id":7}),
            1,
            "Invalid subnet-id: No IPv4 subnet with subnet-id=7 currently configured.",
        );
        add(
            json!({"ip-address":"192.0.2.14"}),
            1,
            "missing parameter 'hw-address' (<wire>:0:37)",
        );
        add(
            json!({"hw-address":"1a:1b:1c:1d:1e:21"}),
            1,
            "missing parameter 'ip-address' (<wire>:0:37)",
        );
        add(
            json!({"ip-address":"192.0.2.14","hw-address":""}),
            1,
            "Lease4: 192.0.2.14, state: default has neither hardware address or client id",
        );
        add(
            json!({"ip-address":"192.0.2.14","hw-address":"1a:1b:1c:1d:1e:21","state":3}),
            1,
            "Invalid state value: 3, supported values are: 0 (default), 1 (declined) and 2 (expired-reclaimed)",
        );
        add(
            json!({"ip-address":"192.0.2.14","hw-address":"1a:1b:1c:1d:1e:21","state":"x"}),
            1,
            "invalid type specified for parameter 'state' (<wire>:0:104)",
        );
        add(
            json!({"ip-address":"192.0.2.14","hw-address":"1a:1b:1c:1d:1e:21","fqdn-fwd":true}),
            1,
            "No hostname specified and either forward or reverse fqdn was set to true.",
        );
        add(
            json!({"ip-address":"192.0.2.14","hw-address":"1a:1b:1c:1d:1e:21","user-context":5}),
            1,
            "Invalid user context '5' is not a JSON map.",
        );
        add(
            json!({"ip-address":"192.0.2.14","hw-address":"1a:1b:1c:1d:1e:21","valid-lft":-1}),
            1,
            "out of range value (-1) specified for parameter 'valid-lft' (<wire>:0:108)",
        );
        add(
            json!({"ip-address":"192.0.2.14","hw-address":"1a:1b:1c:1d:1e:21","expire":0}),
            1,
            "expiration time must be positive for address 192.0.2.14",
        );
        add(
            json!({"ip-address":"198.51.100.33","hw-address":"aa:bb","expire":1000,"valid-lft":2000}),
            1,
            "expiration time must be greater than valid lifetime for address 198.51.100.33",
        );
        add(
            json!({"ip-address":"10.0.0.1","hw-address":"1a:1b:1c:1d:1e:21"}),
            1,
            "subnet-id not specified and failed to find a subnet for address 10.0.0.1",
        );
        add(
            json!({"ip-address":"2001:db8::1","hw-address":"1a:1b:1c:1d:1e:21"}),
            1,
            "Non-IPv4 address specified: 2001:db8::1",
        );
        add(
            json!({"ip-address":"bogus","hw-address":"aa:bb"}),
            1,
            "Failed to convert 'bogus' to address: Failed to convert string to address 'bogus': Invalid argument(<wire>:0:50)",
        );
        add(
            json!({"ip-address":"198.51.100.22","hw-address":"aa:bb","state":256}),
            1,
            "out of range value (256) specified for parameter 'state' (<wire>:0:95)",
        );
        add(
            json!({"ip-address":"198.51.100.40","hw-address":"","state":1}),
            0,
            "Lease for address 198.51.100.40, subnet-id 2 added.",
        );
        add(
            json!("x"),
            1,
            "get(string) called on a non-map Element in (<wire>:0:36)",
        );
        add(Value::Null, 1, "no parameters specified for the command");
    }

    #[test]
    fn get_prints_kea_lease() {
        let b = populated();
        assert_eq!(
            run(&b, "lease4-get", json!({"ip-address": "192.0.2.12"})),
            r#"{"arguments":{"client-id":"01:02:03:04","cltt":1700000000,"fqdn-fwd":true,"fqdn-rev":true,"hostname":"urania.example.org","hw-address":"1a:1b:1c:1d:1e:20","ip-address":"192.0.2.12","state":1,"subnet-id":1,"user-context":{"version":1,"b":[1,2]},"valid-lft":1000},"result":0,"text":"IPv4 lease found."}"#
        );
        let v: Value =
            serde_json::from_str(&run(&b, "lease4-get", json!({"ip-address": "192.0.2.11"})))
                .unwrap();
        assert_eq!(v["arguments"]["cltt"], NOW);
        assert_eq!(v["arguments"]["valid-lft"], 4000);
        ok_text(
            &b,
            "lease4-get",
            json!({"ip-address":"192.0.2.1"}),
            3,
            "Lease not found.",
        );
        ok_text(
            &b,
            "lease4-get",
            Value::Null,
            1,
            "Parameters missing or are not a map.",
        );
        ok_text(
            &b,
            "lease4-get",
            json!({"identifier-type":"duid","identifier":"01:02:03:04","subnet-id":1}),
            1,
            "Query by duid is not allowed in v4.",
        );
        ok_text(
            &b,
            "lease4-get",
            json!({"identifier-type":"hw-address","identifier":"1a:1b:1c:1d:1e:1f","subnet-id":2}),
            3,
            "Lease not found.",
        );
        let v: Value = serde_json::from_str(&run(
            &b,
            "lease4-get",
            json!({"identifier-type":"client-id","identifier":"01:02:03:04","subnet-id":1}),
        ))
        .unwrap();
        assert_eq!(v["arguments"]["ip-address"], "192.0.2.12");
        // Host names are stored in lower case.
        run(
            &b,
            "lease4-add",
            json!({"ip-address":"192.0.2.15","hw-address":"1a:1b:1c:1d:1e:22","hostname":"Host.Example.ORG"}),
        );
        assert_eq!(b.get_by_hostname("host.example.org").len(), 1);
    }

    use super::super::backend::LeaseCmdsBackend4;

    #[test]
    fn get_all_page_and_by() {
        let b = populated();
        let v: Value = serde_json::from_str(&run(&b, "lease4-get-all", Value::Null)).unwrap();
        assert_eq!(v["text"], "3 IPv4 lease(s) found.");
        assert_eq!(v["arguments"]["leases"][0]["ip-address"], "192.0.2.11");
        assert_eq!(
            run(&b, "lease4-get-all", json!({"subnets":[5]})),
            r#"{"arguments":{"leases":[]},"result":3,"text":"0 IPv4 lease(s) found."}"#
        );
        ok_text(
            &b,
            "lease4-get-all",
            json!({"subnets":"x"}),
            1,
            "'subnets' parameter must be a list",
        );
        ok_text(
            &b,
            "lease4-get-all",
            json!({"subnets":["x"]}),
            1,
            "listed subnet identifiers must be numbers",
        );
        ok_text(
            &b,
            "lease4-get-all",
            json!({}),
            1,
            "'subnets' parameter not specified",
        );
        ok_text(
            &b,
            "lease4-get-all",
            json!("x"),
            1,
            "get(string) called on a non-map Element in (<wire>:0:40)",
        );

        let v: Value = serde_json::from_str(&run(
            &b,
            "lease4-get-page",
            json!({"from":"start","limit":2}),
        ))
        .unwrap();
        assert_eq!(v["arguments"]["count"], 2);
        assert_eq!(v["arguments"]["leases"][1]["ip-address"], "192.0.2.12");
        let v: Value = serde_json::from_str(&run(
            &b,
            "lease4-get-page",
            json!({"from":"192.0.2.12","limit":2}),
        ))
        .unwrap();
        assert_eq!(v["arguments"]["leases"][0]["ip-address"], "192.0.2.202");
        assert_eq!(
            run(&b, "lease4-get-page", json!({"from":"255.0.0.0","limit":2})),
            r#"{"arguments":{"count":0,"leases":[]},"result":3,"text":"0 IPv4 lease(s) found."}"#
        );
        let page_err = [
            (json!({"from":"start"}), "'limit' parameter not specified"),
            (json!({"limit":2}), "'from' parameter not specified"),
            (
                json!({"from":"start","limit":0}),
                "page size of retrieved leases must not be 0",
            ),
            (
                json!({"from":"start","limit":-1}),
                "page size of retrieved leases must not be greater than 4294967295",
            ),
            (
                json!({"from":"start","limit":"2"}),
                "'limit' parameter must be a number",
            ),
            (
                json!({"from":"bogus","limit":2}),
                "'from' parameter value is neither 'start' keyword nor a valid IPv4 address",
            ),
            (
                json!({"from":5,"limit":2}),
                "'from' parameter must be a string",
            ),
            (
                json!({"from":"2001:db8::","limit":2}),
                "'from' parameter value 2001:db8:: is not an IPv4 address",
            ),
            (
                Value::Null,
                "no parameters specified for the lease4-get-page command",
            ),
        ];
        for (args, text) in page_err {
            ok_text(&b, "lease4-get-page", args, 1, text);
        }

        let v: Value = serde_json::from_str(&run(
            &b,
            "lease4-get-by-hw-address",
            json!({"hw-address":"1a:1b:1c:1d:1e:1f"}),
        ))
        .unwrap();
        assert_eq!(v["text"], "2 IPv4 lease(s) found.");
        ok_text(
            &b,
            "lease4-get-by-hw-address",
            json!({"hw-address":5}),
            1,
            "'hw-address' parameter must be a string",
        );
        ok_text(
            &b,
            "lease4-get-by-hw-address",
            json!({}),
            1,
            "'hw-address' parameter not specified",
        );
        ok_text(
            &b,
            "lease4-get-by-hw-address",
            Value::Null,
            1,
            "Command arguments missing or a not a map.",
        );
        let v: Value = serde_json::from_str(&run(
            &b,
            "lease4-get-by-client-id",
            json!({"client-id":"01020304"}),
        ))
        .unwrap();
        assert_eq!(v["text"], "1 IPv4 lease(s) found.");
        ok_text(
            &b,
            "lease4-get-by-client-id",
            json!({"client-id":"zz"}),
            1,
            "'zz' is not a valid string of hexadecimal digits",
        );
        let v: Value = serde_json::from_str(&run(
            &b,
            "lease4-get-by-hostname",
            json!({"hostname":"URANIA.example.org"}),
        ))
        .unwrap();
        assert_eq!(v["text"], "1 IPv4 lease(s) found.");
        ok_text(
            &b,
            "lease4-get-by-hostname",
            json!({"hostname":""}),
            1,
            "'hostname' parameter is empty",
        );
    }

    #[test]
    fn update_del_wipe_and_stats() {
        let b = populated();
        let stat = |n: &str| b.stats.get_integer(n).unwrap_or(0);
        assert_eq!(stat("subnet[1].assigned-addresses"), 3);
        assert_eq!(stat("subnet[1].declined-addresses"), 1);
        ok_text(
            &b,
            "lease4-update",
            json!({"ip-address":"192.0.2.11","hw-address":"1a:1b:1c:1d:1e:30","hostname":"newhostname.example.org"}),
            0,
            "IPv4 lease updated.",
        );
        ok_text(
            &b,
            "lease4-update",
            json!({"ip-address":"192.0.2.16","hw-address":"1a:1b:1c:1d:1e:30"}),
            1,
            "failed to update the lease with address 192.0.2.16 either because the lease has been deleted or it has changed in the database, in both cases a retry might succeed",
        );
        ok_text(
            &b,
            "lease4-update",
            json!({"ip-address":"192.0.2.16","hw-address":"1a:1b:1c:1d:1e:30","force-create":true}),
            0,
            "IPv4 lease added.",
        );
        ok_text(
            &b,
            "lease4-update",
            json!({"ip-address":"192.0.2.16","hw-address":"1a:1b:1c:1d:1e:30","force-create":"yes"}),
            1,
            "invalid type specified for parameter 'force-create' (<wire>:0:114)",
        );
        ok_text(
            &b,
            "lease4-update",
            json!({"ip-address":"192.0.2.16"}),
            1,
            "missing parameter 'hw-address' (<wire>:0:40)",
        );
        ok_text(
            &b,
            "lease4-update",
            Value::Null,
            1,
            "no parameters specified for lease4-update command",
        );
        ok_text(
            &b,
            "lease4-update",
            json!({"ip-address":"192.0.2.12","hw-address":"1a:1b:1c:1d:1e:20","state":0}),
            0,
            "IPv4 lease updated.",
        );
        assert_eq!(stat("subnet[1].declined-addresses"), 0);
        assert_eq!(stat("subnet[1].assigned-addresses"), 4);

        ok_text(
            &b,
            "lease4-del",
            json!({"ip-address":"192.0.2.16"}),
            0,
            "IPv4 lease deleted.",
        );
        ok_text(
            &b,
            "lease4-del",
            json!({"ip-address":"192.0.2.16"}),
            3,
            "IPv4 lease not found.",
        );
        ok_text(
            &b,
            "lease4-del",
            json!({"identifier-type":"hw-address","identifier":"1a:1b:1c:1d:1e:30","subnet-id":1}),
            0,
            "IPv4 lease deleted.",
        );
        ok_text(
            &b,
            "lease4-del",
            json!({"identifier-type":"duid","identifier":"aa:bb","subnet-id":2}),
            1,
            "Delete by duid is not allowed in v4.",
        );
        ok_text(
            &b,
            "lease4-del",
            json!({}),
            1,
            "Mandatory 'subnet-id' parameter missing.",
        );
        assert_eq!(stat("subnet[1].assigned-addresses"), 2);

        ok_text(
            &b,
            "lease4-wipe",
            json!({"subnet-id":9}),
            3,
            "Deleted 0 IPv4 lease(s) from subnet(s) 9",
        );
        ok_text(
            &b,
            "lease4-wipe",
            json!({"subnet-id":"x"}),
            1,
            "invalid type specified for parameter 'subnet-id' (<wire>:0:50)",
        );
        ok_text(
            &b,
            "lease4-wipe",
            json!("x"),
            1,
            "contains(string) called on a non-map Element in (<wire>:0:37)",
        );
        ok_text(
            &b,
            "lease4-wipe",
            Value::Null,
            0,
            "Deleted 2 IPv4 lease(s) from subnet(s) 1 2",
        );
        ok_text(
            &b,
            "lease4-wipe",
            json!({"subnet-id":0}),
            3,
            "Deleted 0 IPv4 lease(s) from subnet(s) 1 2",
        );
        assert_eq!(stat("subnet[1].assigned-addresses"), 0);
    }

    #[test]
    fn resend_ddns() {
        let mut b = populated();
        ok_text(
            &b,
            "lease4-resend-ddns",
            json!({"ip-address":"192.0.2.12"}),
            1,
            "DDNS updating is not enabled",
        );
        ok_text(
            &b,
            "lease4-resend-ddns",
            json!({"ip-address":"bogus"}),
            1,
            "'bogus' is not a valid IP address.",
        );
        ok_text(
            &b,
            "lease4-resend-ddns",
            json!({}),
            1,
            "'ip-address' parameter is missing.",
        );
        ok_text(
            &b,
            "lease4-resend-ddns",
            json!({"ip-address":5}),
            1,
            "'ip-address' is not a string.",
        );
        ok_text(
            &b,
            "lease4-resend-ddns",
            json!("x"),
            1,
            "get(string) called on a non-map Element in (<wire>:0:44)",
        );
        ok_text(
            &b,
            "lease4-resend-ddns",
            Value::Null,
            1,
            "'ip-address' parameter is missing.",
        );
        b.ddns = true;
        ok_text(
            &b,
            "lease4-resend-ddns",
            json!({"ip-address":"192.0.2.12"}),
            0,
            "NCR generated for: 192.0.2.12, hostname: urania.example.org",
        );
        ok_text(
            &b,
            "lease4-del",
            json!({"ip-address":"192.0.2.12","update-ddns":true}),
            0,
            "IPv4 lease deleted.",
        );
        assert_eq!(b.ncrs.borrow().len(), 2);
    }

    #[test]
    fn unknown_name_is_unsupported() {
        let b = MemBackend::new();
        ok_text(
            &b,
            "lease4-write",
            json!({}),
            2,
            "'lease4-write' command not supported.",
        );
    }
}
