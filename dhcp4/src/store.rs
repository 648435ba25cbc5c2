//! The memfile lease manager as the allocation engine's lease store.

use std::net::Ipv4Addr;
use std::sync::Arc;

use kea_lease::{HwAddr, Lease4, Memfile4, MemfileError};
use kea_srv::v4::engine::LeaseStore4;

/// Shared handle on the memfile v4 lease manager.
#[derive(Clone)]
pub struct LeaseStore(pub Arc<Memfile4>);

impl LeaseStore4 for LeaseStore {
    type Error = MemfileError;

    fn get(&self, addr: Ipv4Addr) -> Option<Lease4> {
        self.0.get(addr)
    }

    fn by_client_id(&self, client_id: &[u8]) -> Vec<Lease4> {
        self.0.get_by_client_id(client_id)
    }

    fn by_hwaddr(&self, hwaddr: &HwAddr) -> Vec<Lease4> {
        self.0
            .get_by_hwaddr(&hwaddr.bytes)
            .into_iter()
            .filter(|l| l.hwaddr.as_ref().is_some_and(|h| h.htype == hwaddr.htype))
            .collect()
    }

    fn add(&self, lease: &Lease4) -> Result<bool, MemfileError> {
        match self.0.add(lease.clone()) {
            Ok(()) => Ok(true),
            Err(MemfileError::AlreadyExists { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    fn update(&self, lease: &Lease4) -> Result<(), MemfileError> {
        self.0.update(lease.clone())
    }

    fn delete(&self, addr: Ipv4Addr) -> Result<bool, MemfileError> {
        self.0.delete(addr).map(|l| l.is_some())
    }

    fn expired(&self, now: i64, max: usize) -> Vec<Lease4> {
        self.0.get_expired(now, max)
    }

    fn flush_reclaimed(&self, now: i64, hold: u32) -> Result<usize, MemfileError> {
        self.0.delete_expired_reclaimed(now, hold)
    }
}
