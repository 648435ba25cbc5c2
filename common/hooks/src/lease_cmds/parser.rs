//! The lease given to `lease4-add` and `lease4-update` (`hooks-lease-cmds.rst`, "The
//! lease4-add, lease6-add Commands"): Kea 2.2's checks in its order, with its texts.

use super::backend::{LeaseCmdsBackend4, Subnet4Info};
use crate::args::{Simple, Wire, map_or_get_error};
use crate::ids::{parse_client_id, parse_hwaddr};
use kea_lease::{HwAddr, Lease4, LeaseState};
use serde_json::Value;
use std::net::IpAddr;

/// A parsed lease plus `force-create` (update only).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ParsedLease {
    /// The lease to store.
    pub(crate) lease: Lease4,
    /// `force-create`: create the lease if it does not exist.
    pub(crate) force_create: bool,
}

/// The subnet a lease goes into: `subnet-id` if given (and non-zero), else the subnet
/// selected by address.
pub(crate) fn lease_subnet<B: LeaseCmdsBackend4>(
    backend: &B,
    simple: &Simple<'_>,
    addr: std::net::Ipv4Addr,
) -> Result<Subnet4Info, String> {
    let mut subnet_id = 0;
    if simple.contains("subnet-id") {
        subnet_id = simple.unsigned("subnet-id", u32::MAX)?;
    }
    if subnet_id == 0 {
        return backend.select_subnet(addr).ok_or_else(|| {
            format!("subnet-id not specified and failed to find a subnet for address {addr}")
        });
    }
    let subnet = backend.subnet(subnet_id).ok_or_else(|| {
        format!(
            "Invalid subnet-id: No IPv4 subnet with subnet-id={subnet_id} currently configured."
        )
    })?;
    if !subnet.in_range(addr) {
        return Err(format!(
            "The address {addr} does not belong to subnet {}, subnet-id={subnet_id}",
            subnet.to_text()
        ));
    }
    Ok(subnet)
}

/// Kea's `Lease4Parser::parse`.
pub(crate) fn parse_lease4<B: LeaseCmdsBackend4>(
    backend: &B,
    wire: Wire<'_>,
    args: &Value,
) -> Result<ParsedLease, String> {
    let map = map_or_get_error(&wire, args)?;
    let simple = Simple { map, wire };
    let addr = match simple.address("ip-address")? {
        IpAddr::V4(a) => a,
        IpAddr::V6(a) => return Err(format!("Non-IPv4 address specified: {a}")),
    };
    let hwaddr = parse_hwaddr(&simple.string("hw-address")?)?;
    let subnet = lease_subnet(backend, &simple, addr)?;
    let mut client_id = None;
    if simple.contains("client-id") {
        client_id = Some(parse_client_id(&simple.string("client-id")?)?);
    }
    let valid_lft = if simple.contains("valid-lft") {
        simple.unsigned("valid-lft", u32::MAX)?
    } else {
        subnet.valid_lft
    };
    let cltt = if simple.contains("expire") {
        let expire = simple.integer("expire")?;
        if expire <= 0 {
            return Err(format!(
                "expiration time must be positive for address {addr}"
            ));
        }
        if expire < i64::from(valid_lft) {
            return Err(format!(
                "expiration time must be greater than valid lifetime for address {addr}"
            ));
        }
        expire - i64::from(valid_lft)
    } else {
        backend.now()
    };
    let fqdn_fwd = if simple.contains("fqdn-fwd") {
        simple.boolean("fqdn-fwd")?
    } else {
        false
    };
    let fqdn_rev = if simple.contains("fqdn-rev") {
        simple.boolean("fqdn-rev")?
    } else {
        false
    };
    let hostname = if simple.contains("hostname") {
        simple.string("hostname")?
    } else {
        String::new()
    };
    if hostname.is_empty() && (fqdn_fwd || fqdn_rev) {
        return Err(
            "No hostname specified and either forward or reverse fqdn was set to true.".to_owned(),
        );
    }
    let mut state = 0;
    if simple.contains("state") {
        state = simple.unsigned("state", u32::from(u8::MAX))?;
    }
    let state = LeaseState::from_code(state).ok_or_else(|| {
        format!(
            "Invalid state value: {state}, supported values are: 0 (default), 1 (declined) and 2 (expired-reclaimed)"
        )
    })?;
    let user_context = match map.get("user-context") {
        None => None,
        Some(Value::Object(ctx)) => Some(ctx.clone()),
        Some(other) => {
            return Err(format!(
                "Invalid user context '{}' is not a JSON map.",
                kea_lease::kea_json::to_kea_text(other)
            ));
        }
    };
    let force_create = if simple.contains("force-create") {
        simple.boolean("force-create")?
    } else {
        false
    };
    // Kea stores host names in lower case (its Lease constructor lowers them).
    let lease = Lease4 {
        hwaddr: Some(HwAddr::ether(hwaddr)),
        client_id,
        valid_lft,
        cltt,
        subnet_id: subnet.id,
        fqdn_fwd,
        fqdn_rev,
        hostname: hostname.to_lowercase(),
        state,
        user_context,
        ..Lease4::new(addr)
    };
    Ok(ParsedLease {
        lease,
        force_create,
    })
}

/// Kea's sanity check when a lease is stored: a lease that is not declined needs a
/// hardware address or a client identifier.
pub(crate) fn check_identified(lease: &Lease4) -> Result<(), String> {
    let has_hw = lease.hwaddr.as_ref().is_some_and(|h| !h.bytes.is_empty());
    let has_id = lease.client_id.as_ref().is_some_and(|c| !c.is_empty());
    if has_hw || has_id || lease.state == LeaseState::Declined {
        return Ok(());
    }
    let state = match lease.state {
        LeaseState::Default => "default",
        LeaseState::Declined => "declined",
        LeaseState::ExpiredReclaimed => "expired-reclaimed",
    };
    Err(format!(
        "Lease4: {}, state: {state} has neither hardware address or client id",
        lease.addr
    ))
}
