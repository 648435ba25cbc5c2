//! Lease reclamation for DHCPv6 (ARM `lease-expiration.rst`), with the parameters and
//! rules of [`crate::v4::reclaim`]: NA and PD leases are held for affinity or removed;
//! declined addresses come back after probation.

use std::time::{Duration, Instant};

use kea_lease::{LeaseState, LeaseType};
use kea_stats::StatsMgr;

use super::cfg::SrvConfig6;
use super::engine::{LeaseStore6, free};
use crate::v4::engine::StoreError;
use crate::v4::reclaim::{ReclaimParams, ReclaimReport};

fn bump(stats: &StatsMgr, name: &str, delta: i64) {
    let _ = stats.add_value(name, delta);
}

/// Reclaims expired DHCPv6 leases once (see [`crate::v4::reclaim::reclaim_expired`]).
pub fn reclaim_expired6<S: LeaseStore6>(
    cfg: &SrvConfig6,
    store: &S,
    stats: &StatsMgr,
    now: i64,
    params: &ReclaimParams,
    remove: bool,
    limits: bool,
) -> Result<ReclaimReport, StoreError> {
    let started = Instant::now();
    let max = if limits {
        params.max_reclaim_leases as usize
    } else {
        0
    };
    let deadline = (limits && params.max_reclaim_time > 0)
        .then(|| started + Duration::from_millis(params.max_reclaim_time.into()));
    let batch = store.expired(now, if max == 0 { 0 } else { max + 1 });
    let mut report = ReclaimReport {
        incomplete: max != 0 && batch.len() > max,
        ..ReclaimReport::default()
    };
    for lease in batch
        .into_iter()
        .take(if max == 0 { usize::MAX } else { max })
    {
        if deadline.is_some_and(|d| Instant::now() >= d) {
            report.incomplete = true;
            break;
        }
        let id = lease.subnet_id;
        let declined = lease.state == LeaseState::Declined;
        let e = |e: S::Error| StoreError(Box::new(e));
        if remove || declined || params.hold_reclaimed_time == 0 {
            store.delete(lease.lease_type, lease.addr).map_err(e)?;
        } else {
            let mut held = lease.clone();
            held.state = LeaseState::ExpiredReclaimed;
            held.hostname.clear();
            held.fqdn_fwd = false;
            held.fqdn_rev = false;
            store.update(&held).map_err(e)?;
        }
        if let Some(s) = cfg.subnet(id) {
            free(s, &lease);
        }
        let kind = if lease.lease_type == LeaseType::Pd {
            "pds"
        } else {
            "nas"
        };
        // A declined lease still counted as assigned (as in the recount), so it goes too.
        bump(stats, &format!("subnet[{id}].assigned-{kind}"), -1);
        bump(stats, &format!("subnet[{id}].reclaimed-leases"), 1);
        bump(stats, "reclaimed-leases", 1);
        if declined {
            bump(stats, &format!("subnet[{id}].declined-addresses"), -1);
            bump(stats, "declined-addresses", -1);
            bump(
                stats,
                &format!("subnet[{id}].reclaimed-declined-addresses"),
                1,
            );
            bump(stats, "reclaimed-declined-addresses", 1);
        }
        report.reclaimed += 1;
    }
    Ok(report)
}
