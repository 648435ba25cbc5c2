//! Statistics the lease commands keep in step with the leases they change, as Kea 2.2's
//! lease_cmds does (observed on Kea 2.2: `lease4-add` of a default lease adds 1 to
//! `subnet[id].assigned-addresses`; a declined lease also adds 1 to
//! `subnet[id].declined-addresses` and `declined-addresses`; an expired-reclaimed lease
//! counts in neither; `cumulative-assigned-addresses` is never touched).

use kea_lease::{Lease4, LeaseState};
use kea_stats::StatsMgr;

/// How one lease counts: (assigned, declined).
fn weight(state: LeaseState) -> (i64, i64) {
    match state {
        LeaseState::Default => (1, 0),
        LeaseState::Declined => (1, 1),
        LeaseState::ExpiredReclaimed => (0, 0),
    }
}

fn subnet_stat(subnet_id: u32, name: &str) -> String {
    format!("subnet[{subnet_id}].{name}")
}

fn apply(stats: &StatsMgr, subnet_id: u32, (assigned, declined): (i64, i64)) {
    // A statistic of another type under the same name cannot be bumped; Kea ignores that
    // too (its StatsMgr throws and the library carries on).
    if assigned != 0 {
        let _ = stats.add_value(&subnet_stat(subnet_id, "assigned-addresses"), assigned);
    }
    if declined != 0 {
        let _ = stats.add_value(&subnet_stat(subnet_id, "declined-addresses"), declined);
        let _ = stats.add_value("declined-addresses", declined);
    }
}

/// A lease was added.
pub(crate) fn on_add(stats: &StatsMgr, lease: &Lease4) {
    apply(stats, lease.subnet_id, weight(lease.state));
}

/// A lease was deleted.
pub(crate) fn on_delete(stats: &StatsMgr, lease: &Lease4) {
    let (a, d) = weight(lease.state);
    apply(stats, lease.subnet_id, (-a, -d));
}

/// `old` was replaced by `new`.
pub(crate) fn on_update(stats: &StatsMgr, old: &Lease4, new: &Lease4) {
    if old.subnet_id == new.subnet_id {
        let (oa, od) = weight(old.state);
        let (na, nd) = weight(new.state);
        apply(stats, new.subnet_id, (na - oa, nd - od));
    } else {
        on_delete(stats, old);
        on_add(stats, new);
    }
}

/// All leases of a subnet were wiped: its counters go to 0 and the global declined count
/// loses what the subnet had.
pub(crate) fn on_wipe(stats: &StatsMgr, subnet_id: u32) {
    let declined_name = subnet_stat(subnet_id, "declined-addresses");
    let previous = stats.get_integer(&declined_name).unwrap_or(0);
    let _ = stats.set_value(&subnet_stat(subnet_id, "assigned-addresses"), 0i64);
    let _ = stats.set_value(&declined_name, 0i64);
    if previous != 0 {
        let _ = stats.add_value("declined-addresses", -previous);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn lease(state: LeaseState, subnet_id: u32) -> Lease4 {
        Lease4 {
            state,
            subnet_id,
            ..Lease4::new(Ipv4Addr::new(198, 51, 100, 6))
        }
    }

    /// The sequence observed on Kea 2.2 (subnet 2): add default, add declined, add
    /// expired-reclaimed, update declined→default, update default→declined, delete
    /// declined, delete expired-reclaimed, wipe.
    #[test]
    fn follows_kea_22() {
        let stats = StatsMgr::new();
        let get = |n: &str| stats.get_integer(n).unwrap_or(0);
        on_add(&stats, &lease(LeaseState::Default, 2));
        on_add(&stats, &lease(LeaseState::Declined, 2));
        on_add(&stats, &lease(LeaseState::ExpiredReclaimed, 2));
        assert_eq!(get("subnet[2].assigned-addresses"), 2);
        assert_eq!(get("subnet[2].declined-addresses"), 1);
        assert_eq!(get("declined-addresses"), 1);
        on_update(
            &stats,
            &lease(LeaseState::Declined, 2),
            &lease(LeaseState::Default, 2),
        );
        assert_eq!(get("subnet[2].assigned-addresses"), 2);
        assert_eq!(get("declined-addresses"), 0);
        on_update(
            &stats,
            &lease(LeaseState::Default, 2),
            &lease(LeaseState::Declined, 2),
        );
        assert_eq!(get("subnet[2].declined-addresses"), 1);
        on_delete(&stats, &lease(LeaseState::Declined, 2));
        on_delete(&stats, &lease(LeaseState::ExpiredReclaimed, 2));
        assert_eq!(get("subnet[2].assigned-addresses"), 1);
        assert_eq!(get("subnet[2].declined-addresses"), 0);
        on_add(&stats, &lease(LeaseState::Declined, 2));
        on_add(&stats, &lease(LeaseState::Declined, 1));
        on_wipe(&stats, 2);
        assert_eq!(get("subnet[2].assigned-addresses"), 0);
        assert_eq!(get("subnet[2].declined-addresses"), 0);
        assert_eq!(get("declined-addresses"), 1);
        on_update(
            &stats,
            &lease(LeaseState::Declined, 1),
            &lease(LeaseState::Default, 2),
        );
        assert_eq!(get("subnet[1].assigned-addresses"), 0);
        assert_eq!(get("subnet[2].assigned-addresses"), 1);
        assert_eq!(get("declined-addresses"), 0);
    }
}
