//! The in-memory DHCPv6 lease store with its indexes: by address (the primary, ordered for
//! paging), by DUID + IAID + lease type (Kea's `getLeases6(type, duid, iaid)`), by DUID,
//! by hardware address, by subnet, and by expiration time (for reclamation,
//! `lease-expiration.rst`). Pure data structure: no I/O, no locking.
//!
//! One lease per address, whatever its type, as Kea 2.2's memfile (its lease storage is
//! unique by address, and its lease file loader keeps the last row per address): an
//! address lease and a delegated prefix starting at the same address cannot coexist.

use crate::lease::{INFINITY_LFT, Lease6, LeaseState, LeaseType};
use crate::postings::Postings;
use crate::store4::StateCounts;
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv6Addr;

/// Lease counts per state of each lease type in one subnet (for the statistics recount:
/// Kea's `assigned-nas` and `declined-addresses` come from `na`, `assigned-pds` from `pd`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StateCounts6 {
    /// Non-temporary address leases (IA_NA).
    pub na: StateCounts,
    /// Temporary address leases (IA_TA).
    pub ta: StateCounts,
    /// Delegated prefix leases (IA_PD).
    pub pd: StateCounts,
}

impl StateCounts6 {
    /// The counts of one lease type.
    pub fn of(&self, lease_type: LeaseType) -> &StateCounts {
        match lease_type {
            LeaseType::Na => &self.na,
            LeaseType::Ta => &self.ta,
            LeaseType::Pd => &self.pd,
        }
    }

    fn of_mut(&mut self, lease_type: LeaseType) -> &mut StateCounts {
        match lease_type {
            LeaseType::Na => &mut self.na,
            LeaseType::Ta => &mut self.ta,
            LeaseType::Pd => &mut self.pd,
        }
    }
}

/// The key of Kea's DUID/IAID/type index.
type DuidIaidType = (Vec<u8>, u32, LeaseType);

/// Leases keyed by address plus secondary indexes that always agree with the primary.
#[derive(Debug, Default)]
pub(crate) struct Store6 {
    by_addr: BTreeMap<Ipv6Addr, Lease6>,
    by_duid_iaid_type: Postings<DuidIaidType, Ipv6Addr>,
    by_duid: Postings<Vec<u8>, Ipv6Addr>,
    by_hwaddr: Postings<Vec<u8>, Ipv6Addr>,
    by_subnet: Postings<u32, Ipv6Addr>,
    /// Leases that can expire and are not reclaimed yet, ordered by expiration time.
    by_expire: BTreeSet<(i64, Ipv6Addr)>,
}

/// Whether a lease belongs in the expiration index.
fn reclaimable(lease: &Lease6) -> bool {
    lease.state != LeaseState::ExpiredReclaimed && lease.valid_lft != INFINITY_LFT
}

fn duid_iaid_type(lease: &Lease6) -> DuidIaidType {
    (lease.duid.clone(), lease.iaid, lease.lease_type)
}

impl Store6 {
    /// Builds a store from loaded leases.
    pub(crate) fn from_leases(leases: impl IntoIterator<Item = Lease6>) -> Self {
        let mut store = Self::default();
        for lease in leases {
            store.insert(lease);
        }
        store
    }

    /// Inserts or replaces the lease at its address; returns the replaced one.
    pub(crate) fn insert(&mut self, lease: Lease6) -> Option<Lease6> {
        let old = self.remove(lease.addr);
        let addr = lease.addr;
        self.by_duid_iaid_type.add(duid_iaid_type(&lease), addr);
        self.by_duid.add(lease.duid.clone(), addr);
        if let Some(hw) = &lease.hwaddr {
            self.by_hwaddr.add(hw.bytes.clone(), addr);
        }
        self.by_subnet.add(lease.subnet_id, addr);
        if reclaimable(&lease) {
            self.by_expire.insert((lease.expire(), addr));
        }
        self.by_addr.insert(addr, lease);
        old
    }

    /// Removes the lease at `addr` from every index.
    pub(crate) fn remove(&mut self, addr: Ipv6Addr) -> Option<Lease6> {
        let lease = self.by_addr.remove(&addr)?;
        self.by_duid_iaid_type
            .remove(&duid_iaid_type(&lease), &addr);
        self.by_duid.remove(lease.duid.as_slice(), &addr);
        if let Some(hw) = &lease.hwaddr {
            self.by_hwaddr.remove(hw.bytes.as_slice(), &addr);
        }
        self.by_subnet.remove(&lease.subnet_id, &addr);
        self.by_expire.remove(&(lease.expire(), addr));
        Some(lease)
    }

    /// The lease at `addr`, whatever its type.
    pub(crate) fn get(&self, addr: Ipv6Addr) -> Option<&Lease6> {
        self.by_addr.get(&addr)
    }

    pub(crate) fn len(&self) -> usize {
        self.by_addr.len()
    }

    fn collect<'a>(&'a self, addrs: impl IntoIterator<Item = &'a Ipv6Addr>) -> Vec<Lease6> {
        addrs
            .into_iter()
            .filter_map(|a| self.by_addr.get(a).cloned())
            .collect()
    }

    pub(crate) fn by_duid_iaid(
        &self,
        lease_type: LeaseType,
        duid: &[u8],
        iaid: u32,
    ) -> Vec<Lease6> {
        self.collect(
            self.by_duid_iaid_type
                .get(&(duid.to_vec(), iaid, lease_type)),
        )
    }

    pub(crate) fn by_duid(&self, duid: &[u8]) -> Vec<Lease6> {
        self.collect(self.by_duid.get(duid))
    }

    pub(crate) fn by_hwaddr(&self, hw: &[u8]) -> Vec<Lease6> {
        self.collect(self.by_hwaddr.get(hw))
    }

    pub(crate) fn by_subnet(&self, subnet_id: u32) -> Vec<Lease6> {
        self.collect(self.by_subnet.get(&subnet_id))
    }

    pub(crate) fn all(&self) -> Vec<Lease6> {
        self.by_addr.values().cloned().collect()
    }

    /// Up to `limit` leases with addresses above `after` (from the lowest if `None`).
    pub(crate) fn page(&self, after: Option<Ipv6Addr>, limit: usize) -> Vec<Lease6> {
        use std::ops::Bound::{Excluded, Unbounded};
        let start = after.map_or(Unbounded, Excluded);
        self.by_addr
            .range((start, Unbounded))
            .take(limit)
            .map(|(_, l)| l.clone())
            .collect()
    }

    /// Expired, not yet reclaimed leases, earliest expiration first; `max` 0 = all.
    pub(crate) fn expired(&self, now: i64, max: usize) -> Vec<Lease6> {
        let limit = if max == 0 { usize::MAX } else { max };
        self.by_expire
            .range(..(now, Ipv6Addr::UNSPECIFIED))
            .take(limit)
            .filter_map(|(_, a)| self.by_addr.get(a).cloned())
            .collect()
    }

    /// Addresses of expired-reclaimed leases whose expiration is before `cutoff`.
    pub(crate) fn reclaimed_before(&self, cutoff: i64) -> Vec<Ipv6Addr> {
        self.by_addr
            .values()
            .filter(|l| l.state == LeaseState::ExpiredReclaimed && l.expire() < cutoff)
            .map(|l| l.addr)
            .collect()
    }

    pub(crate) fn state_counts(&self) -> BTreeMap<u32, StateCounts6> {
        let mut counts: BTreeMap<u32, StateCounts6> = BTreeMap::new();
        for lease in self.by_addr.values() {
            let c = counts
                .entry(lease.subnet_id)
                .or_default()
                .of_mut(lease.lease_type);
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

    fn addr(last: u16) -> Ipv6Addr {
        Ipv6Addr::new(0x2001, 0xdb8, 1, 0, 0, 0, 0, last)
    }

    fn lease(last: u16, duid: u8, iaid: u32, subnet: u32, cltt: i64) -> Lease6 {
        Lease6 {
            duid: vec![0, 1, duid],
            iaid,
            hwaddr: Some(HwAddr::ether(vec![duid])),
            valid_lft: 100,
            preferred_lft: 50,
            cltt,
            subnet_id: subnet,
            ..Lease6::new(addr(last))
        }
    }

    #[test]
    fn indexes_follow_replace_and_remove() {
        let mut s = Store6::default();
        s.insert(lease(1, 7, 1, 1, 0));
        s.insert(lease(2, 7, 1, 2, 0));
        s.insert(Lease6 {
            lease_type: LeaseType::Pd,
            prefix_len: 64,
            ..lease(3, 7, 1, 2, 0)
        });
        assert_eq!(s.by_duid_iaid(LeaseType::Na, &[0, 1, 7], 1).len(), 2);
        assert_eq!(s.by_duid_iaid(LeaseType::Pd, &[0, 1, 7], 1).len(), 1);
        assert_eq!(s.by_duid_iaid(LeaseType::Na, &[0, 1, 7], 2).len(), 0);
        assert_eq!(s.by_duid(&[0, 1, 7]).len(), 3);
        assert_eq!(s.by_hwaddr(&[7]).len(), 3);
        // Replace lease 1 with one for another client, IAID and subnet.
        assert!(s.insert(lease(1, 8, 5, 2, 50)).is_some());
        assert_eq!(s.by_duid_iaid(LeaseType::Na, &[0, 1, 7], 1).len(), 1);
        assert_eq!(s.by_duid_iaid(LeaseType::Na, &[0, 1, 8], 5).len(), 1);
        assert_eq!(s.by_duid(&[0, 1, 7]).len(), 2);
        assert_eq!(s.by_hwaddr(&[8]).len(), 1);
        assert_eq!(s.by_subnet(1).len(), 0);
        assert_eq!(s.by_subnet(2).len(), 3);
        assert_eq!(s.expired(1000, 0).len(), 3);
        s.remove(addr(2));
        s.remove(addr(3));
        assert!(s.by_duid(&[0, 1, 7]).is_empty());
        assert_eq!(s.by_duid.keys(), 1);
        assert_eq!(s.by_duid_iaid_type.keys(), 1);
        assert_eq!(s.by_hwaddr.keys(), 1);
        assert_eq!(s.by_subnet.keys(), 1);
        assert_eq!(s.expired(1000, 0).len(), 1);
        assert_eq!(s.len(), 1);
    }

    #[test]
    fn one_lease_per_address_whatever_the_type() {
        let mut s = Store6::default();
        s.insert(lease(1, 1, 1, 1, 0));
        let pd = Lease6 {
            lease_type: LeaseType::Pd,
            prefix_len: 64,
            ..lease(1, 1, 2, 1, 0)
        };
        let old = s.insert(pd.clone()).unwrap();
        assert_eq!(old.lease_type, LeaseType::Na);
        assert_eq!(s.len(), 1);
        assert!(s.by_duid_iaid(LeaseType::Na, &[0, 1, 1], 1).is_empty());
        assert_eq!(s.by_duid_iaid(LeaseType::Pd, &[0, 1, 1], 2), vec![pd]);
    }

    #[test]
    fn expired_is_ordered_limited_and_skips_reclaimed() {
        let mut s = Store6::default();
        s.insert(lease(1, 1, 1, 1, 300));
        s.insert(lease(2, 2, 1, 1, 100));
        s.insert(lease(3, 3, 1, 1, 200));
        let mut reclaimed = lease(4, 4, 1, 1, 0);
        reclaimed.state = LeaseState::ExpiredReclaimed;
        s.insert(reclaimed);
        let mut infinite = lease(5, 5, 1, 1, 0);
        infinite.valid_lft = INFINITY_LFT;
        s.insert(infinite);
        let order: Vec<u16> = s
            .expired(1000, 0)
            .iter()
            .map(|l| l.addr.segments()[7])
            .collect();
        assert_eq!(order, vec![2, 3, 1]);
        assert_eq!(s.expired(1000, 2).len(), 2);
        assert!(s.expired(200, 0).is_empty());
        assert_eq!(s.expired(201, 0).len(), 1);
        assert_eq!(s.reclaimed_before(101), vec![addr(4)]);
        assert!(s.reclaimed_before(100).is_empty());
    }

    #[test]
    fn state_counts_are_per_subnet_and_type() {
        let mut s = Store6::default();
        s.insert(lease(1, 1, 1, 1, 0));
        s.insert(Lease6 {
            state: LeaseState::Declined,
            duid: vec![0],
            ..lease(2, 2, 1, 1, 0)
        });
        s.insert(Lease6 {
            lease_type: LeaseType::Pd,
            prefix_len: 56,
            ..lease(3, 3, 1, 1, 0)
        });
        s.insert(Lease6 {
            lease_type: LeaseType::Ta,
            state: LeaseState::ExpiredReclaimed,
            ..lease(4, 4, 1, 2, 0)
        });
        let counts = s.state_counts();
        assert_eq!(
            counts[&1].na,
            StateCounts {
                assigned: 1,
                declined: 1,
                expired_reclaimed: 0
            }
        );
        assert_eq!(counts[&1].of(LeaseType::Pd).assigned, 1);
        assert_eq!(counts[&1].ta, StateCounts::default());
        assert_eq!(counts[&2].ta.expired_reclaimed, 1);
    }

    #[test]
    fn page_walks_in_address_order() {
        let s = Store6::from_leases((1..=5).map(|i| lease(i, 1, u32::from(i), 1, 0)));
        let first = s.page(None, 2);
        assert_eq!(first.len(), 2);
        let next = s.page(Some(first[1].addr), 10);
        assert_eq!(
            next.iter()
                .map(|l| l.addr.segments()[7])
                .collect::<Vec<_>>(),
            vec![3, 4, 5]
        );
        assert_eq!(s.all().len(), 5);
    }
}
