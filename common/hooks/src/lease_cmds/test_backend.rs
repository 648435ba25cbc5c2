//! An in-memory [`LeaseCmdsBackend4`] for the command tests: Kea 2.2's reference setup
//! (subnet 1 = 192.0.2.0/24, subnet 2 = 198.51.100.0/24, valid lifetime 4000), leases in
//! a map in address order, a fixed clock.

use super::backend::{BackendError, LeaseCmdsBackend4, NcrKind, Subnet4Info};
use kea_lease::Lease4;
use kea_stats::StatsMgr;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

/// The clock of the test backend.
pub(crate) const NOW: i64 = 1_795_445_734;

#[derive(Default)]
pub(crate) struct MemBackend {
    pub(crate) leases: RefCell<BTreeMap<Ipv4Addr, Lease4>>,
    pub(crate) stats: StatsMgr,
    pub(crate) ddns: bool,
    pub(crate) ncrs: RefCell<Vec<(NcrKind, Ipv4Addr)>>,
}

fn subnets() -> [Subnet4Info; 2] {
    [
        Subnet4Info {
            id: 1,
            prefix: Ipv4Addr::new(192, 0, 2, 0),
            prefix_len: 24,
            valid_lft: 4000,
        },
        Subnet4Info {
            id: 2,
            prefix: Ipv4Addr::new(198, 51, 100, 0),
            prefix_len: 24,
            valid_lft: 4000,
        },
    ]
}

impl MemBackend {
    pub(crate) fn new() -> Self {
        let b = Self::default();
        let _ = b.stats.set_value("subnet[1].total-addresses", 11i64);
        let _ = b.stats.set_value("subnet[2].total-addresses", 202i64);
        b
    }

    fn filter(&self, f: impl Fn(&Lease4) -> bool) -> Vec<Lease4> {
        self.leases
            .borrow()
            .values()
            .filter(|l| f(l))
            .cloned()
            .collect()
    }
}

impl LeaseCmdsBackend4 for MemBackend {
    fn subnet(&self, id: u32) -> Option<Subnet4Info> {
        subnets().into_iter().find(|s| s.id == id)
    }
    fn select_subnet(&self, addr: Ipv4Addr) -> Option<Subnet4Info> {
        subnets().into_iter().find(|s| s.in_range(addr))
    }
    fn subnet_ids(&self) -> Vec<u32> {
        vec![1, 2]
    }
    fn get(&self, addr: Ipv4Addr) -> Option<Lease4> {
        self.leases.borrow().get(&addr).cloned()
    }
    fn get_by_hwaddr(&self, hwaddr: &[u8]) -> Vec<Lease4> {
        self.filter(|l| l.hwaddr.as_ref().is_some_and(|h| h.bytes == hwaddr))
    }
    fn get_by_client_id(&self, client_id: &[u8]) -> Vec<Lease4> {
        self.filter(|l| l.client_id.as_deref() == Some(client_id))
    }
    fn get_by_subnet(&self, subnet_id: u32) -> Vec<Lease4> {
        self.filter(|l| l.subnet_id == subnet_id)
    }
    fn get_all(&self) -> Vec<Lease4> {
        self.filter(|_| true)
    }
    fn get_page(&self, after: Ipv4Addr, limit: usize) -> Vec<Lease4> {
        let mut page = self.filter(|l| l.addr > after);
        page.truncate(limit);
        page
    }
    fn add(&self, lease: Lease4) -> Result<(), BackendError> {
        let mut leases = self.leases.borrow_mut();
        if leases.contains_key(&lease.addr) {
            return Err(BackendError::AlreadyExists);
        }
        leases.insert(lease.addr, lease);
        Ok(())
    }
    fn update(&self, lease: Lease4) -> Result<(), BackendError> {
        let mut leases = self.leases.borrow_mut();
        if !leases.contains_key(&lease.addr) {
            return Err(BackendError::NotFound);
        }
        leases.insert(lease.addr, lease);
        Ok(())
    }
    fn delete(&self, addr: Ipv4Addr) -> Result<bool, BackendError> {
        Ok(self.leases.borrow_mut().remove(&addr).is_some())
    }
    fn stats(&self) -> &StatsMgr {
        &self.stats
    }
    fn now(&self) -> i64 {
        NOW
    }
    fn ddns_enabled(&self) -> bool {
        self.ddns
    }
    fn queue_ncr(&self, kind: NcrKind, lease: &Lease4) -> Result<(), BackendError> {
        self.ncrs.borrow_mut().push((kind, lease.addr));
        Ok(())
    }
}
