//! The in-memory DHCPv4 lease store with its indexes: by address (the primary, ordered for
//! paging), hardware address, client identifier, subnet, and expiration time (for
//! reclamation, `lease-expiration.rst`). Pure data structure: no I/O, no locking.

use crate::lease::{INFINITY_LFT, Lease4, LeaseState};
use crate::postings::Postings;
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

/// Number of leases per state in one subnet (for the statistics recount).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StateCounts {
    /// Leases in the default (assigned) state.
    pub assigned: u64,
    /// Declined leases.
    pub declined: u64,
    /// Expired-reclaimed leases.
    pub expired_reclaimed: u64,
}

/// Leases keyed by address plus secondary indexes that always agree with the primary.
#[derive(Debug, Default)]
pub(crate) struct Store4 {
    by_addr: BTreeMap<Ipv4Addr, Lease4>,
    by_hwaddr: Postings<Vec<u8>, Ipv4Addr>,
    by_client_id: Postings<Vec<u8>, Ipv4Addr>,
    by_subnet: Postings<u32, Ipv4Addr>,
    /// Leases that can expire and are not reclaimed yet, ordered by expiration time.
    by_expire: BTreeSet<(i64, Ipv4Addr)>,
}

/// Whether a lease belongs in the expiration index.
fn reclaimable(lease: &Lease4) -> bool {
    lease.state != LeaseState::ExpiredReclaimed && lease.valid_lft != INFINITY_LFT
}

impl Store4 {
    /// Builds a store from loaded leases.
    pub(crate) fn from_leases(leases: impl IntoIterator<Item = Lease4>) -> Self {
        let mut store = Self::default();
        for lease in leases {
            store.insert(lease);
        }
        store
    }

    /// Inserts or replaces the lease at its address; returns the replaced one.
    pub(crate) fn insert(&mut self, lease: Lease4) -> Option<Lease4> {
        let old = self.remove(lease.addr);
        let addr = lease.addr;
        if let Some(hw) = &lease.hwaddr {
            self.by_hwaddr.add(hw.bytes.clone(), addr);
        }
        if let Some(id) = &lease.client_id {
            self.by_client_id.add(id.clone(), addr);
        }
        self.by_subnet.add(lease.subnet_id, addr);
        if reclaimable(&lease) {
            self.by_expire.insert((lease.expire(), addr));
        }
        self.by_addr.insert(addr, lease);
        old
    }

    /// Removes the lease at `addr` from every index.
    pub(crate) fn remove(&mut self, addr: Ipv4Addr) -> Option<Lease4> {
        let lease = self.by_addr.remove(&addr)?;
        if let Some(hw) = &lease.hwaddr {
            self.by_hwaddr.remove(hw.bytes.as_slice(), &addr);
        }
        if let Some(id) = &lease.client_id {
            self.by_client_id.remove(id.as_slice(), &addr);
        }
        self.by_subnet.remove(&lease.subnet_id, &addr);
        self.by_expire.remove(&(lease.expire(), addr));
        Some(lease)
    }

    pub(crate) fn get(&self, addr: Ipv4Addr) -> Option<&Lease4> {
        self.by_addr.get(&addr)
    }

    pub(crate) fn len(&self) -> usize {
        self.by_addr.len()
    }

    fn collect<'a>(&'a self, addrs: impl IntoIterator<Item = &'a Ipv4Addr>) -> Vec<Lease4> {
        addrs
            .into_iter()
            .filter_map(|a| self.by_addr.get(a).cloned())
            .collect()
    }

    pub(crate) fn by_hwaddr(&self, hw: &[u8]) -> Vec<Lease4> {
        self.collect(self.by_hwaddr.get(hw))
    }

    pub(crate) fn by_client_id(&self, id: &[u8]) -> Vec<Lease4> {
        self.collect(self.by_client_id.get(id))
    }

    pub(crate) fn by_subnet(&self, subnet_id: u32) -> Vec<Lease4> {
        self.collect(self.by_subnet.get(&subnet_id))
    }

    pub(crate) fn all(&self) -> Vec<Lease4> {
        self.by_addr.values().cloned().collect()
    }

    /// Up to `limit` leases with addresses above `after` (from the lowest if `None`).
    pub(crate) fn page(&self, after: Option<Ipv4Addr>, limit: usize) -> Vec<Lease4> {
        use std::ops::Bound::{Excluded, Unbounded};
        let start = after.map_or(Unbounded, Excluded);
        self.by_addr
            .range((start, Unbounded))
            .take(limit)
            .map(|(_, l)| l.clone())
            .collect()
    }

    /// Expired, not yet reclaimed leases, earliest expiration first; `max` 0 = all.
    pub(crate) fn expired(&self, now: i64, max: usize) -> Vec<Lease4> {
        let limit = if max == 0 { usize::MAX } else { max };
        self.by_expire
            .range(..(now, Ipv4Addr::UNSPECIFIED))
            .take(limit)
            .filter_map(|(_, a)| self.by_addr.get(a).cloned())
            .collect()
    }

    /// Addresses of expired-reclaimed leases whose expiration is before `cutoff`.
    pub(crate) fn reclaimed_before(&self, cutoff: i64) -> Vec<Ipv4Addr> {
        self.by_addr
            .values()
            .filter(|l| l.state == LeaseState::ExpiredReclaimed && l.expire() < cutoff)
            .map(|l| l.addr)
            .collect()
    }

    pub(crate) fn state_counts(&self) -> BTreeMap<u32, StateCounts> {
        let mut counts: BTreeMap<u32, StateCounts> = BTreeMap::new();
        for lease in self.by_addr.values() {
            let c = counts.entry(lease.subnet_id).or_default();
            match lease.state {
                LeaseState::Default => c.assigned += 1,
                LeaseState::Declined => c.declined += 1,
                LeaseState::ExpiredReclaimed => c.expired_reclaimed += 1,
            }
        }
        counts
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use crate::hwaddr::HwAddr;

    fn lease(last: u8, hw: u8, subnet: u32, cltt: i64) -> Lease4 {
        Lease4 {
            addr: Ipv4Addr::new(10, 0, 0, last),
            hwaddr: Some(HwAddr::ether(vec![hw])),
            client_id: Some(vec![1, hw]),
            valid_lft: 100,
            cltt,
            subnet_id: subnet,
            ..Lease4::new(Ipv4Addr::UNSPECIFIED)
        }
    }

    #[test]
    fn indexes_follow_replace_and_remove() {
        let mut s = Store4::default();
        s.insert(lease(1, 7, 1, 0));
        s.insert(lease(2, 7, 2, 0));
        assert_eq!(s.by_hwaddr(&[7]).len(), 2);
        // Replace lease 1 with one for another client and subnet.
        assert!(s.insert(lease(1, 8, 2, 50)).is_some());
        assert_eq!(s.by_hwaddr(&[7]).len(), 1);
        assert_eq!(s.by_client_id(&[1, 8]).len(), 1);
        assert_eq!(s.by_subnet(1).len(), 0);
        assert_eq!(s.by_subnet(2).len(), 2);
        assert_eq!(s.expired(1000, 0).len(), 2);
        s.remove(Ipv4Addr::new(10, 0, 0, 2));
        assert!(s.by_hwaddr(&[7]).is_empty());
        assert_eq!(s.by_hwaddr.keys(), 1);
        assert_eq!(s.expired(1000, 0).len(), 1);
    }

    #[test]
    fn expired_is_ordered_limited_and_skips_reclaimed() {
        let mut s = Store4::default();
        s.insert(lease(1, 1, 1, 300));
        s.insert(lease(2, 2, 1, 100));
        s.insert(lease(3, 3, 1, 200));
        let mut reclaimed = lease(4, 4, 1, 0);
        reclaimed.state = LeaseState::ExpiredReclaimed;
        s.insert(reclaimed);
        let mut infinite = lease(5, 5, 1, 0);
        infinite.valid_lft = INFINITY_LFT;
        s.insert(infinite);
        let order: Vec<u8> = s
            .expired(1000, 0)
            .iter()
            .map(|l| l.addr.octets()[3])
            .collect();
        assert_eq!(order, vec![2, 3, 1]);
        assert_eq!(s.expired(1000, 2).len(), 2);
        // Lease 2 expires at 200: not expired at 200, expired at 201.
        assert!(s.expired(200, 0).is_empty());
        assert_eq!(s.expired(201, 0).len(), 1);
        assert_eq!(s.reclaimed_before(101), vec![Ipv4Addr::new(10, 0, 0, 4)]);
        let counts = s.state_counts();
        assert_eq!(counts[&1].assigned, 4);
        assert_eq!(counts[&1].expired_reclaimed, 1);
    }

    #[test]
    fn page_walks_in_address_order() {
        let s = Store4::from_leases((1..=5).map(|i| lease(i, i, 1, 0)));
        let first = s.page(None, 2);
        assert_eq!(first.len(), 2);
        let next = s.page(Some(first[1].addr), 10);
        assert_eq!(
            next.iter().map(|l| l.addr.octets()[3]).collect::<Vec<_>>(),
            vec![3, 4, 5]
        );
        assert_eq!(s.len(), 5);
    }
}
