//! The statistics kea-dhcp4 reports from start-up (ARM `dhcp4-srv.rst` "Statistics in the
//! DHCPv4 Server"), and their recount from the lease store after each configuration.

use kea_lease::Memfile4;
use kea_srv::v4::cfg::SrvConfig4;
use kea_stats::{StatValue, StatsMgr};

/// Global statistics present (at zero) from start-up.
const GLOBAL: &[&str] = &[
    "pkt4-received",
    "pkt4-discover-received",
    "pkt4-offer-received",
    "pkt4-request-received",
    "pkt4-ack-received",
    "pkt4-nak-received",
    "pkt4-release-received",
    "pkt4-decline-received",
    "pkt4-inform-received",
    "pkt4-unknown-received",
    "pkt4-sent",
    "pkt4-offer-sent",
    "pkt4-ack-sent",
    "pkt4-nak-sent",
    "pkt4-parse-failed",
    "pkt4-receive-drop",
    "cumulative-assigned-addresses",
    "declined-addresses",
    "reclaimed-declined-addresses",
    "reclaimed-leases",
    "v4-allocation-fail",
    "v4-allocation-fail-classes",
    "v4-allocation-fail-no-pools",
    "v4-allocation-fail-shared-network",
    "v4-allocation-fail-subnet",
    "v4-reservation-conflicts",
];

/// Per-subnet statistics kept at zero until used (besides the counted ones).
const PER_SUBNET: &[&str] = &[
    "cumulative-assigned-addresses",
    "reclaimed-declined-addresses",
    "reclaimed-leases",
    "v4-reservation-conflicts",
    "v4-allocation-fail",
    "v4-allocation-fail-classes",
    "v4-allocation-fail-no-pools",
    "v4-allocation-fail-shared-network",
    "v4-allocation-fail-subnet",
];

/// Creates the global statistics that do not exist yet.
pub fn init_global(stats: &StatsMgr) {
    for name in GLOBAL {
        if stats.get_value(name).is_none() {
            let _ = stats.set_value(name, 0i64);
        }
    }
}

/// After a configuration change: drops statistics of subnets that are gone, sets
/// `total-addresses` and recounts `assigned-addresses` / `declined-addresses` from the leases.
pub fn recount(stats: &StatsMgr, cfg: &SrvConfig4, leases: &Memfile4) {
    for name in stats.names() {
        if let Some(id) = name
            .strip_prefix("subnet[")
            .and_then(|r| r.split_once(']'))
            .and_then(|(id, _)| id.parse::<u32>().ok())
            && cfg.subnet(id).is_none()
        {
            stats.remove(&name);
        }
    }
    let counts = leases.state_counts();
    let mut declined_total = 0i64;
    for s in &cfg.subnets {
        let id = s.id;
        let c = counts.get(&id).copied().unwrap_or_default();
        let total = i64::try_from(s.total_addresses()).unwrap_or(i64::MAX);
        let _ = stats.set_value(&format!("subnet[{id}].total-addresses"), total);
        let _ = stats.set_value(
            &format!("subnet[{id}].assigned-addresses"),
            i64::try_from(c.assigned + c.declined).unwrap_or(i64::MAX),
        );
        let declined = i64::try_from(c.declined).unwrap_or(i64::MAX);
        declined_total += declined;
        let _ = stats.set_value(&format!("subnet[{id}].declined-addresses"), declined);
        for n in PER_SUBNET {
            let name = format!("subnet[{id}].{n}");
            if stats.get_value(&name).is_none() {
                let _ = stats.set_value(&name, StatValue::Integer(0));
            }
        }
    }
    let _ = stats.set_value("declined-addresses", declined_total);
}
