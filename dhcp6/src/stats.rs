//! The statistics kea-dhcp6 reports from start-up (ARM `dhcp6-srv.rst` "Statistics in the
//! DHCPv6 Server") and their recount from the lease store after each configuration.

use kea_lease::Memfile6;
use kea_srv::v6::cfg::SrvConfig6;
use kea_stats::StatsMgr;

const GLOBAL: &[&str] = &[
    "pkt6-received",
    "pkt6-solicit-received",
    "pkt6-advertise-received",
    "pkt6-request-received",
    "pkt6-reply-received",
    "pkt6-renew-received",
    "pkt6-rebind-received",
    "pkt6-release-received",
    "pkt6-decline-received",
    "pkt6-infrequest-received",
    "pkt6-dhcpv4-query-received",
    "pkt6-dhcpv4-response-received",
    "pkt6-unknown-received",
    "pkt6-sent",
    "pkt6-advertise-sent",
    "pkt6-reply-sent",
    "pkt6-dhcpv4-response-sent",
    "pkt6-parse-failed",
    "pkt6-receive-drop",
    "cumulative-assigned-nas",
    "cumulative-assigned-pds",
    "declined-addresses",
    "reclaimed-declined-addresses",
    "reclaimed-leases",
    "v6-allocation-fail",
    "v6-allocation-fail-classes",
    "v6-allocation-fail-no-pools",
    "v6-allocation-fail-shared-network",
    "v6-allocation-fail-subnet",
    "v6-ia-na-lease-reuses",
    "v6-ia-pd-lease-reuses",
];

const PER_SUBNET: &[&str] = &[
    "cumulative-assigned-nas",
    "cumulative-assigned-pds",
    "reclaimed-declined-addresses",
    "reclaimed-leases",
    "v6-allocation-fail",
    "v6-allocation-fail-classes",
    "v6-allocation-fail-no-pools",
    "v6-allocation-fail-shared-network",
    "v6-allocation-fail-subnet",
];

/// Creates the global statistics that do not exist yet.
pub fn init_global(stats: &StatsMgr) {
    for name in GLOBAL {
        if stats.get_value(name).is_none() {
            let _ = stats.set_value(name, 0i64);
        }
    }
}

/// After a configuration change: drops statistics of subnets that are gone, sets the totals
/// and recounts assigned and declined leases.
pub fn recount(stats: &StatsMgr, cfg: &SrvConfig6, leases: &Memfile6) {
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
    let big = |n: u128| i64::try_from(n).unwrap_or(i64::MAX);
    let mut declined_total = 0i64;
    for s in &cfg.subnets {
        let id = s.id;
        let c = counts.get(&id).copied().unwrap_or_default();
        let _ = stats.set_value(&format!("subnet[{id}].total-nas"), big(s.total_nas()));
        let _ = stats.set_value(&format!("subnet[{id}].total-pds"), big(s.total_pds()));
        let _ = stats.set_value(
            &format!("subnet[{id}].assigned-nas"),
            big(u128::from(c.na.assigned + c.na.declined)),
        );
        let _ = stats.set_value(
            &format!("subnet[{id}].assigned-pds"),
            big(u128::from(c.pd.assigned)),
        );
        let declined = big(u128::from(c.na.declined));
        declined_total += declined;
        let _ = stats.set_value(&format!("subnet[{id}].declined-addresses"), declined);
        for n in PER_SUBNET {
            let name = format!("subnet[{id}].{n}");
            if stats.get_value(&name).is_none() {
                let _ = stats.set_value(&name, 0i64);
            }
        }
    }
    let _ = stats.set_value("declined-addresses", declined_total);
}
