//! Leases in the JSON form of Kea's `lease4-get-all` / `lease6-get-all` answers, so our
//! leases and Kea's can be compared field by field.

use kea_lease::hex::to_colon_hex;
use kea_lease::{Lease4, Lease6, LeaseType};
use serde_json::{Value, json};

/// Kea's JSON form of a v4 lease.
pub fn lease4(l: &Lease4) -> Value {
    let mut v = json!({
        "ip-address": l.addr.to_string(),
        "hw-address": l.hwaddr.as_ref().map(|h| to_colon_hex(&h.bytes)).unwrap_or_default(),
        "valid-lft": l.valid_lft,
        "cltt": l.cltt,
        "subnet-id": l.subnet_id,
        "fqdn-fwd": l.fqdn_fwd,
        "fqdn-rev": l.fqdn_rev,
        "hostname": l.hostname,
        "state": l.state.code(),
    });
    if let Some(id) = &l.client_id {
        v["client-id"] = json!(to_colon_hex(id));
    }
    if let Some(ctx) = &l.user_context {
        v["user-context"] = Value::Object(ctx.clone());
    }
    v
}

/// Kea's JSON form of a v6 lease.
pub fn lease6(l: &Lease6) -> Value {
    let kind = match l.lease_type {
        LeaseType::Na => "IA_NA",
        LeaseType::Ta => "IA_TA",
        LeaseType::Pd => "IA_PD",
    };
    let mut v = json!({
        "ip-address": l.addr.to_string(),
        "duid": to_colon_hex(&l.duid),
        "valid-lft": l.valid_lft,
        "preferred-lft": l.preferred_lft,
        "cltt": l.cltt,
        "subnet-id": l.subnet_id,
        "type": kind,
        "iaid": l.iaid,
        "fqdn-fwd": l.fqdn_fwd,
        "fqdn-rev": l.fqdn_rev,
        "hostname": l.hostname,
        "state": l.state.code(),
    });
    // Kea shows the prefix length of delegated prefixes only.
    if l.lease_type == LeaseType::Pd {
        v["prefix-len"] = json!(l.prefix_len);
    }
    if let Some(hw) = &l.hwaddr {
        v["hw-address"] = json!(to_colon_hex(&hw.bytes));
    }
    if let Some(ctx) = &l.user_context {
        v["user-context"] = Value::Object(ctx.clone());
    }
    v
}

/// The `leases` list of a get-all answer, sorted by address text for comparison.
pub fn sorted(leases: &Value) -> Vec<Value> {
    let mut list = leases.as_array().cloned().unwrap_or_default();
    list.sort_by_key(|l| l["ip-address"].as_str().unwrap_or_default().to_owned());
    list
}
