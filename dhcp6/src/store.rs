//! The memfile v6 lease manager as the DHCPv6 allocation engine's lease store.

use std::net::Ipv6Addr;
use std::sync::Arc;

use kea_lease::{Lease6, LeaseType, Memfile6, MemfileError};
use kea_srv::v6::engine::LeaseStore6;

/// Shared handle on the memfile v6 lease manager.
#[derive(Clone)]
pub struct LeaseStore(pub Arc<Memfile6>);

impl LeaseStore6 for LeaseStore {
    type Error = MemfileError;

    fn get(&self, t: LeaseType, addr: Ipv6Addr) -> Option<Lease6> {
        self.0.get(t, addr)
    }

    fn by_duid_iaid(&self, t: LeaseType, duid: &[u8], iaid: u32) -> Vec<Lease6> {
        self.0.get_by_duid_iaid(t, duid, iaid)
    }

    fn add(&self, lease: &Lease6) -> Result<bool, MemfileError> {
        match self.0.add(lease.clone()) {
            Ok(()) => Ok(true),
            Err(MemfileError::AlreadyExists { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    fn update(&self, lease: &Lease6) -> Result<(), MemfileError> {
        self.0.update(lease.clone())
    }

    fn delete(&self, t: LeaseType, addr: Ipv6Addr) -> Result<bool, MemfileError> {
        self.0.delete(t, addr).map(|l| l.is_some())
    }

    fn expired(&self, now: i64, max: usize) -> Vec<Lease6> {
        self.0.get_expired(now, max)
    }

    fn flush_reclaimed(&self, now: i64, hold: u32) -> Result<usize, MemfileError> {
        self.0.delete_expired_reclaimed(now, hold)
    }
}
