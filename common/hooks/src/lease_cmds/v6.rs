//! The `lease6-*` commands as Kea 2.2's lease_cmds answers them inside kea-dhcp4: the
//! arguments are checked as in kea-dhcp6, then, since a DHCPv4 server has no DHCPv6
//! subnets or leases, every lookup comes back empty (result 3) and every lease given to
//! add or update fails subnet selection (INVENTORY §6; texts captured from Kea 2.2).

use super::params::{self, Family, Query};
use super::v4::{by_param, hostname_param, page_params, resend_address, wipe_subnet};
use crate::answer::{RESULT_EMPTY, answer, answer_args, error};
use crate::args::{Simple, Wire, int_value, map_or_get_error};
use crate::ids::parse_duid;
use serde_json::{Value, json};
use std::net::IpAddr;

fn no_leases() -> Value {
    answer_args(
        RESULT_EMPTY,
        "0 IPv6 lease(s) found.",
        json!({ "leases": [] }),
    )
}

fn identifier_refusal(query: &Query, verb: &str) -> Option<String> {
    match query {
        Query::HwAddr(_) => Some(format!("{verb} by hw-address is not allowed in v6.")),
        Query::ClientId(_) => Some(format!("{verb} by client-id is not allowed in v6.")),
        _ => None,
    }
}

/// `lease6-get` on kea-dhcp4.
pub fn lease6_get(args: Option<&Value>) -> Value {
    match params::parse(Family::V6, &Wire::new("lease6-get", args), args) {
        Err(text) => error(text),
        Ok(p) => match identifier_refusal(&p.query, "Query") {
            Some(text) => error(text),
            None => answer(RESULT_EMPTY, "Lease not found."),
        },
    }
}

/// `lease6-del` on kea-dhcp4.
pub fn lease6_del(args: Option<&Value>) -> Value {
    match params::parse(Family::V6, &Wire::new("lease6-del", args), args) {
        Err(text) => error(text),
        Ok(p) => match identifier_refusal(&p.query, "Delete") {
            Some(text) => error(text),
            None => answer(RESULT_EMPTY, "IPv6 lease not found."),
        },
    }
}

/// `lease6-get-all` on kea-dhcp4.
pub fn lease6_get_all(args: Option<&Value>) -> Value {
    let Some(args) = args else {
        return no_leases();
    };
    let wire = Wire::new("lease6-get-all", Some(args));
    let map = match map_or_get_error(&wire, args) {
        Ok(m) => m,
        Err(text) => return error(text),
    };
    match map.get("subnets") {
        None => error("'subnets' parameter not specified"),
        Some(Value::Array(ids)) if ids.iter().all(|id| int_value(id).is_some()) => no_leases(),
        Some(Value::Array(_)) => error("listed subnet identifiers must be numbers"),
        Some(_) => error("'subnets' parameter must be a list"),
    }
}

/// `lease6-get-page` on kea-dhcp4.
pub fn lease6_get_page(args: Option<&Value>) -> Value {
    let Some(args) = args else {
        return error("no parameters specified for the lease6-get-page command");
    };
    match page_params(Family::V6, &Wire::new("lease6-get-page", Some(args)), args) {
        Err(text) => error(text),
        Ok(_) => answer_args(
            RESULT_EMPTY,
            "0 IPv6 lease(s) found.",
            json!({ "count": 0, "leases": [] }),
        ),
    }
}

/// `lease6-get-by-duid` on kea-dhcp4.
pub fn lease6_get_by_duid(args: Option<&Value>) -> Value {
    match by_param(args, "duid").and_then(parse_duid) {
        Ok(_) => no_leases(),
        Err(text) => error(text),
    }
}

/// `lease6-get-by-hostname` on kea-dhcp4.
pub fn lease6_get_by_hostname(args: Option<&Value>) -> Value {
    match hostname_param(args) {
        Ok(_) => no_leases(),
        Err(text) => error(text),
    }
}

/// Kea's `Lease6Parser` up to subnet selection, which always fails on kea-dhcp4: the
/// text of the first error.
fn lease6_parse_error(wire: Wire<'_>, args: &Value) -> String {
    let map = match map_or_get_error(&wire, args) {
        Ok(m) => m,
        Err(text) => return text,
    };
    let simple = Simple { map, wire };
    let check = || -> Result<IpAddr, String> {
        let addr = simple.address("ip-address")?;
        if let IpAddr::V4(a) = addr {
            return Err(format!("Non-IPv6 address specified: {a}"));
        }
        parse_duid(&simple.string("duid")?)?;
        if simple.contains("type") {
            match simple.string("type")?.as_str() {
                "IA_NA" | "IA_TA" => {}
                "IA_PD" => {
                    simple.unsigned("prefix-len", u32::from(u8::MAX))?;
                }
                other => {
                    return Err(format!(
                        "Incorrect lease type: {other}, the only supported values are: na, ta and pd"
                    ));
                }
            }
        }
        Ok(addr)
    };
    let addr = match check() {
        Ok(a) => a,
        Err(text) => return text,
    };
    let subnet_id = if simple.contains("subnet-id") {
        match simple.unsigned("subnet-id", u32::MAX) {
            Ok(id) => id,
            Err(text) => return text,
        }
    } else {
        0
    };
    if subnet_id == 0 {
        format!("subnet-id not specified and failed to find a subnet for address {addr}")
    } else {
        format!(
            "Invalid subnet-id: No IPv6 subnet with subnet-id={subnet_id} currently configured."
        )
    }
}

/// `lease6-add` on kea-dhcp4.
pub fn lease6_add(args: Option<&Value>) -> Value {
    match args {
        None => error("no parameters specified for the command"),
        Some(a) => error(lease6_parse_error(Wire::new("lease6-add", args), a)),
    }
}

/// `lease6-update` on kea-dhcp4.
pub fn lease6_update(args: Option<&Value>) -> Value {
    match args {
        None => error("no parameters specified for lease6-update command"),
        Some(a) => error(lease6_parse_error(Wire::new("lease6-update", args), a)),
    }
}

/// `lease6-wipe` on kea-dhcp4.
pub fn lease6_wipe(args: Option<&Value>) -> Value {
    match wipe_subnet(&Wire::new("lease6-wipe", args), args) {
        Err(text) => error(text),
        Ok(0) => answer(RESULT_EMPTY, "Deleted 0 IPv6 lease(s) from subnet(s)"),
        Ok(id) => answer(
            RESULT_EMPTY,
            format!("Deleted 0 IPv6 lease(s) from subnet(s) {id}"),
        ),
    }
}

/// `lease6-resend-ddns` on kea-dhcp4 (`ddns_enabled`: `dhcp-ddns.enable-updates`).
pub fn lease6_resend_ddns(ddns_enabled: bool, args: Option<&Value>) -> Value {
    match resend_address(Family::V6, &Wire::new("lease6-resend-ddns", args), args) {
        Err(text) => error(text),
        Ok(_) if !ddns_enabled => error("DDNS updating is not enabled"),
        Ok(addr) => answer(RESULT_EMPTY, format!("No lease found for: {addr}")),
    }
}

/// `lease6-bulk-apply` on kea-dhcp4.
pub fn lease6_bulk_apply(args: Option<&Value>) -> Value {
    let Some(Value::Object(map)) = args else {
        return error("Command arguments missing or a not a map.");
    };
    let deleted = map.get("deleted-leases");
    let leases = map.get("leases");
    if deleted.is_none() && leases.is_none() {
        return error("neither 'deleted-leases' nor 'leases' parameter specified");
    }
    let list = |v: Option<&Value>, name: &str| -> Result<Vec<Value>, String> {
        match v {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => Ok(items.clone()),
            Some(_) => Err(format!("the '{name}' parameter must be a list")),
        }
    };
    let (deleted, leases) = match (list(deleted, "deleted-leases"), list(leases, "leases")) {
        (Ok(d), Ok(l)) => (d, l),
        (Err(text), _) | (_, Err(text)) => return error(text),
    };
    let mut failed = Vec::new();
    for item in &deleted {
        let wire = Wire::new("lease6-bulk-apply", Some(item));
        match params::parse(Family::V6, &wire, Some(item)) {
            Err(text) => return error(text),
            Ok(p) => {
                let mut entry = serde_json::Map::new();
                entry.insert("error-message".into(), "lease not found".into());
                if let Query::Address(addr) = p.query {
                    entry.insert("ip-address".into(), addr.to_string().into());
                }
                entry.insert("result".into(), RESULT_EMPTY.into());
                let ty = item.get("type").and_then(Value::as_str).unwrap_or("IA_NA");
                entry.insert("type".into(), ty.into());
                failed.push(Value::Object(entry));
            }
        }
    }
    if let Some(item) = leases.first() {
        return error(lease6_parse_error(
            Wire::new("lease6-bulk-apply", Some(item)),
            item,
        ));
    }
    let text = "Bulk apply of 0 IPv6 leases completed.";
    if failed.is_empty() {
        answer(RESULT_EMPTY, text)
    } else {
        answer_args(
            RESULT_EMPTY,
            text,
            json!({ "failed-deleted-leases": failed }),
        )
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    //! Kea 2.2 kea-dhcp4's answers to the v6 commands (`tests/kea22-answers.txt`).
    use super::*;

    fn text(v: &Value) -> (i64, String) {
        (
            v["result"].as_i64().unwrap(),
            v["text"].as_str().unwrap().to_owned(),
        )
    }

    #[test]
    fn answers_as_kea_dhcp4() {
        let cases: Vec<(Value, (i64, &str))> = vec![
            (
                lease6_get(Some(&json!({"ip-address":"2001:db8::1"}))),
                (3, "Lease not found."),
            ),
            (
                lease6_get(None),
                (1, "Parameters missing or are not a map."),
            ),
            (
                lease6_get(Some(
                    &json!({"identifier-type":"hw-address","identifier":"01:02","subnet-id":1,"iaid":5}),
                )),
                (1, "Query by hw-address is not allowed in v6."),
            ),
            (
                lease6_del(Some(
                    &json!({"identifier-type":"hw-address","identifier":"01:02","subnet-id":1,"iaid":5}),
                )),
                (1, "Delete by hw-address is not allowed in v6."),
            ),
            (
                lease6_del(Some(&json!({"ip-address":"2001:db8::1"}))),
                (3, "IPv6 lease not found."),
            ),
            (
                lease6_add(Some(
                    &json!({"ip-address":"2001:db8::3","duid":"1a:1b","iaid":1234}),
                )),
                (
                    1,
                    "subnet-id not specified and failed to find a subnet for address 2001:db8::3",
                ),
            ),
            (
                lease6_add(Some(
                    &json!({"subnet-id":66,"ip-address":"2001:db8::3","duid":"1a:1b","iaid":1234}),
                )),
                (
                    1,
                    "Invalid subnet-id: No IPv6 subnet with subnet-id=66 currently configured.",
                ),
            ),
            (
                lease6_add(Some(&json!({"ip-address":"2001:db8::3"}))),
                (1, "missing parameter 'duid' (<wire>:0:37)"),
            ),
            (
                lease6_add(Some(
                    &json!({"ip-address":"2001:db8::3","duid":"01:02","iaid":1,"type":"IA_PD"}),
                )),
                (1, "missing parameter 'prefix-len' (<wire>:0:37)"),
            ),
            (
                lease6_add(Some(
                    &json!({"ip-address":"2001:db8::3","duid":"01:02","type":"IA_XX"}),
                )),
                (
                    1,
                    "Incorrect lease type: IA_XX, the only supported values are: na, ta and pd",
                ),
            ),
            (
                lease6_add(Some(
                    &json!({"ip-address":"192.0.2.3","duid":"01:02","iaid":1}),
                )),
                (1, "Non-IPv6 address specified: 192.0.2.3"),
            ),
            (
                lease6_add(None),
                (1, "no parameters specified for the command"),
            ),
            (
                lease6_update(None),
                (1, "no parameters specified for lease6-update command"),
            ),
            (lease6_get_all(None), (3, "0 IPv6 lease(s) found.")),
            (
                lease6_get_page(Some(&json!({"from":"192.0.2.1","limit":2}))),
                (1, "'from' parameter value 192.0.2.1 is not an IPv6 address"),
            ),
            (
                lease6_get_page(Some(&json!({"from":"start","limit":2}))),
                (3, "0 IPv6 lease(s) found."),
            ),
            (
                lease6_get_by_duid(Some(&json!({"duid":"zz"}))),
                (1, "'zz' is not a valid string of hexadecimal digits"),
            ),
            (
                lease6_get_by_duid(Some(&json!({"duid":"01:02:03"}))),
                (3, "0 IPv6 lease(s) found."),
            ),
            (
                lease6_get_by_hostname(Some(&json!({"hostname":""}))),
                (1, "'hostname' parameter is empty"),
            ),
            (
                lease6_wipe(None),
                (3, "Deleted 0 IPv6 lease(s) from subnet(s)"),
            ),
            (
                lease6_wipe(Some(&json!({"subnet-id":1}))),
                (3, "Deleted 0 IPv6 lease(s) from subnet(s) 1"),
            ),
            (
                lease6_resend_ddns(false, Some(&json!({"ip-address":"2001:db8::1"}))),
                (1, "DDNS updating is not enabled"),
            ),
            (
                lease6_resend_ddns(false, Some(&json!({"ip-address":"192.0.2.1"}))),
                (1, "Invalid IPv6 address specified: 192.0.2.1"),
            ),
            (
                lease6_bulk_apply(None),
                (1, "Command arguments missing or a not a map."),
            ),
            (
                lease6_bulk_apply(Some(&json!({}))),
                (
                    1,
                    "neither 'deleted-leases' nor 'leases' parameter specified",
                ),
            ),
            (
                lease6_bulk_apply(Some(&json!({"leases":"x"}))),
                (1, "the 'leases' parameter must be a list"),
            ),
            (
                lease6_bulk_apply(Some(&json!({"deleted-leases":[],"leases":[]}))),
                (3, "Bulk apply of 0 IPv6 leases completed."),
            ),
            (
                lease6_bulk_apply(Some(
                    &json!({"leases":[{"ip-address":"2001:db8::1","duid":"01:02","iaid":1}]}),
                )),
                (
                    1,
                    "subnet-id not specified and failed to find a subnet for address 2001:db8::1",
                ),
            ),
        ];
        for (answer, (code, t)) in cases {
            assert_eq!(text(&answer), (code, t.to_owned()), "{answer}");
        }
        assert_eq!(
            serde_json::to_string(&lease6_bulk_apply(Some(
                &json!({"deleted-leases":[{"ip-address":"2001:db8::1"}]})
            )))
            .unwrap(),
            r#"{"arguments":{"failed-deleted-leases":[{"error-message":"lease not found","ip-address":"2001:db8::1","result":3,"type":"IA_NA"}]},"result":3,"text":"Bulk apply of 0 IPv6 leases completed."}"#
        );
    }
}
