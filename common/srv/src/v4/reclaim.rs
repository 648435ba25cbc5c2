//! Lease reclamation: expired leases become free again, declined ones after probation.
//!
//! ARM `lease-expiration.rst` "Lease Reclamation", "Configuring Lease Reclamation" and
//! "Configuring Lease Affinity": each cycle reclaims at most `max-reclaim-leases` leases
//! within `max-reclaim-time`; a reclaimed lease is kept in the `expired-reclaimed` state for
//! `hold-reclaimed-time` (lease affinity) or removed at once; a separate flush removes held
//! leases once that time has passed.

use std::time::{Duration, Instant};

use kea_lease::LeaseState;
use kea_stats::StatsMgr;
use tracing::debug;

use kea_ncr::{ChangeType, NameChangeRequest};

use super::cfg::SrvConfig4;
use super::engine::{LeaseStore4, StoreError};
use crate::ddns::ncr_for_lease4;

/// The `expired-leases-processing` parameters, with Kea's defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReclaimParams {
    /// Seconds between the end of one reclamation cycle and the start of the next.
    pub reclaim_timer_wait_time: u32,
    /// Seconds between flushes of held reclaimed leases (0: never flush).
    pub flush_reclaimed_timer_wait_time: u32,
    /// Seconds a reclaimed lease is held for its client (0: remove at once).
    pub hold_reclaimed_time: u32,
    /// Leases per cycle (0: no limit).
    pub max_reclaim_leases: u32,
    /// Milliseconds per cycle (0: no limit).
    pub max_reclaim_time: u32,
    /// Cycles ending with leases left before a warning (0: never warn).
    pub unwarned_reclaim_cycles: u32,
}

impl Default for ReclaimParams {
    fn default() -> Self {
        Self {
            reclaim_timer_wait_time: 10,
            flush_reclaimed_timer_wait_time: 25,
            hold_reclaimed_time: 3600,
            max_reclaim_leases: 100,
            max_reclaim_time: 250,
            unwarned_reclaim_cycles: 5,
        }
    }
}

impl ReclaimParams {
    /// `expired-leases-processing` (the map both servers share) with Kea's defaults for
    /// what is not given.
    pub fn from_config(e: Option<&kea_config::server::ExpiredLeasesProcessing>) -> Self {
        let d = Self::default();
        let Some(e) = e else {
            return d;
        };
        Self {
            reclaim_timer_wait_time: e
                .reclaim_timer_wait_time
                .unwrap_or(d.reclaim_timer_wait_time),
            flush_reclaimed_timer_wait_time: e
                .flush_reclaimed_timer_wait_time
                .unwrap_or(d.flush_reclaimed_timer_wait_time),
            hold_reclaimed_time: e.hold_reclaimed_time.unwrap_or(d.hold_reclaimed_time),
            max_reclaim_leases: e.max_reclaim_leases.unwrap_or(d.max_reclaim_leases),
            max_reclaim_time: e.max_reclaim_time.unwrap_or(d.max_reclaim_time),
            unwarned_reclaim_cycles: e
                .unwarned_reclaim_cycles
                .unwrap_or(d.unwarned_reclaim_cycles),
        }
    }
}

/// What one cycle did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReclaimReport {
    /// Leases reclaimed.
    pub reclaimed: usize,
    /// Whether expired leases were left for the next cycle.
    pub incomplete: bool,
}

fn bump(stats: &StatsMgr, name: &str, delta: i64) {
    let _ = stats.add_value(name, delta);
}

/// Reclaims expired leases once. `remove` deletes them instead of holding them
/// (`leases-reclaim` with `"remove": true`, or `hold-reclaimed-time` 0). `limits` applies
/// `max-reclaim-leases` and `max-reclaim-time`. The removals of the reclaimed leases' DNS
/// entries are appended to `ncrs` (DDNS, issue 8).
#[allow(clippy::too_many_arguments)] // one caller (the daemon's timer and command)
pub fn reclaim_expired<S: LeaseStore4>(
    cfg: &SrvConfig4,
    store: &S,
    stats: &StatsMgr,
    now: i64,
    params: &ReclaimParams,
    remove: bool,
    limits: bool,
    ncrs: &mut Vec<NameChangeRequest>,
) -> Result<ReclaimReport, StoreError> {
    let started = Instant::now();
    let max = if limits {
        params.max_reclaim_leases as usize
    } else {
        0
    };
    let deadline = (limits && params.max_reclaim_time > 0)
        .then(|| started + Duration::from_millis(params.max_reclaim_time.into()));
    // Ask for one more than the limit to know whether leases are left over.
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
        let store_err = |e: S::Error| StoreError(Box::new(e));
        // DDNS (issue 8): the expired lease's DNS entries go with it.
        let ddns = cfg.subnet(id).map_or(&cfg.params.ddns, |s| &s.params.ddns);
        ncrs.extend(ncr_for_lease4(
            ChangeType::Remove,
            &lease,
            cfg.global.ddns_enabled,
            ddns,
        ));
        // A declined lease has no client to be held for: it is always removed, as in Kea.
        if remove || declined || params.hold_reclaimed_time == 0 {
            store.delete(lease.addr).map_err(store_err)?;
        } else {
            let mut held = lease.clone();
            held.state = LeaseState::ExpiredReclaimed;
            held.hostname.clear();
            held.fqdn_fwd = false;
            held.fqdn_rev = false;
            store.update(&held).map_err(store_err)?;
        }
        if let Some(s) = cfg.subnet(id) {
            s.allocator.mark_free(u32::from(lease.addr).into());
        }
        bump(stats, &format!("subnet[{id}].assigned-addresses"), -1);
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
        debug!(target: "kea-dhcp4.alloc-engine", msgid = "ALLOC_ENGINE_V4_LEASE_RECLAIM",
               "successfully reclaimed lease {}", lease.addr);
        report.reclaimed += 1;
    }
    Ok(report)
}

/// Removes held reclaimed leases older than `hold-reclaimed-time`.
pub fn flush_reclaimed<S: LeaseStore4>(
    store: &S,
    now: i64,
    params: &ReclaimParams,
) -> Result<usize, StoreError> {
    store
        .flush_reclaimed(now, params.hold_reclaimed_time)
        .map_err(|e| StoreError(Box::new(e)))
}
