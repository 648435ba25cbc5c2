//! What the lease commands need from the server: its DHCPv4 subnets, its lease store,
//! its statistics and its DDNS queue, as one small trait the daemon implements over its
//! runtime configuration and `Memfile4`.

use kea_lease::{Lease4, LeaseState, StateCounts};
use kea_stats::StatsMgr;
use std::error::Error;
use std::net::Ipv4Addr;
use thiserror::Error;

/// A configured DHCPv4 subnet, as far as the lease commands care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subnet4Info {
    /// The subnet identifier.
    pub id: u32,
    /// The network address.
    pub prefix: Ipv4Addr,
    /// The prefix length (0–32).
    pub prefix_len: u8,
    /// The subnet's valid lifetime (default for `lease4-add` without `valid-lft`).
    pub valid_lft: u32,
}

impl Subnet4Info {
    /// Whether `addr` lies in the subnet's prefix (Kea's `Subnet::inRange`).
    pub fn in_range(&self, addr: Ipv4Addr) -> bool {
        let len = u32::from(self.prefix_len.min(32));
        let mask = u32::MAX.checked_shl(32 - len).unwrap_or(0);
        u32::from(addr) & mask == u32::from(self.prefix) & mask
    }

    /// `192.0.2.0/24`, as Kea's `Subnet::toText`.
    pub fn to_text(&self) -> String {
        format!("{}/{}", self.prefix, self.prefix_len)
    }
}

/// Which DNS change a lease command asks D2 for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NcrKind {
    /// Add (or replace) the lease's entries (`lease4-resend-ddns`).
    Add,
    /// Remove the lease's entries (`lease4-del` with `update-ddns`).
    Remove,
}

/// Why the lease store refused a change.
#[derive(Debug, Error)]
pub enum BackendError {
    /// `add` found a lease for the address already.
    #[error("lease already exists")]
    AlreadyExists,
    /// `update` found no lease for the address.
    #[error("lease not found")]
    NotFound,
    /// The store failed (file write, database); the text is the answer's `text`.
    #[error(transparent)]
    Storage(Box<dyn Error + Send + Sync>),
}

/// The server side of `libdhcp_lease_cmds.so` for DHCPv4.
///
/// Lists of leases are answered in the order the backend returns them (Kea 2.2's memfile
/// returns address order for `lease4-get-all` without subnets and for pages, insertion
/// order per index otherwise).
pub trait LeaseCmdsBackend4 {
    /// The configured subnet with this identifier.
    fn subnet(&self, id: u32) -> Option<Subnet4Info>;
    /// The subnet an address belongs to (Kea's selection by address, for commands that
    /// omit `subnet-id`).
    fn select_subnet(&self, addr: Ipv4Addr) -> Option<Subnet4Info>;
    /// Identifiers of every configured subnet, ascending.
    fn subnet_ids(&self) -> Vec<u32>;
    /// The lease for an address.
    fn get(&self, addr: Ipv4Addr) -> Option<Lease4>;
    /// All leases of a hardware address.
    fn get_by_hwaddr(&self, hwaddr: &[u8]) -> Vec<Lease4>;
    /// All leases of a client identifier.
    fn get_by_client_id(&self, client_id: &[u8]) -> Vec<Lease4>;
    /// All leases with this (lower-case) host name; by default a scan of [`get_all`].
    ///
    /// [`get_all`]: LeaseCmdsBackend4::get_all
    fn get_by_hostname(&self, hostname: &str) -> Vec<Lease4> {
        self.get_all()
            .into_iter()
            .filter(|l| l.hostname == hostname)
            .collect()
    }
    /// All leases of a subnet.
    fn get_by_subnet(&self, subnet_id: u32) -> Vec<Lease4>;
    /// Every lease, in address order.
    fn get_all(&self) -> Vec<Lease4>;
    /// Up to `limit` leases with addresses above `after`, in address order.
    fn get_page(&self, after: Ipv4Addr, limit: usize) -> Vec<Lease4>;
    /// Stores a new lease.
    fn add(&self, lease: Lease4) -> Result<(), BackendError>;
    /// Replaces the stored lease of the same address.
    fn update(&self, lease: Lease4) -> Result<(), BackendError>;
    /// Deletes the lease of an address; `false` if there was none.
    fn delete(&self, addr: Ipv4Addr) -> Result<bool, BackendError>;
    /// Deletes every lease of a subnet, returning how many went; by default one
    /// [`delete`](LeaseCmdsBackend4::delete) per lease of the subnet.
    fn wipe(&self, subnet_id: u32) -> Result<u64, BackendError> {
        let mut count = 0;
        for lease in self.get_by_subnet(subnet_id) {
            if self.delete(lease.addr)? {
                count += 1;
            }
        }
        Ok(count)
    }
    /// Lease counts of a subnet by state, for `stat-lease4-get`; by default counted from
    /// [`get_by_subnet`](LeaseCmdsBackend4::get_by_subnet) (`Memfile4::state_counts` is
    /// the fast way).
    fn state_counts(&self, subnet_id: u32) -> StateCounts {
        let mut counts = StateCounts::default();
        for lease in self.get_by_subnet(subnet_id) {
            match lease.state {
                LeaseState::Default => counts.assigned += 1,
                LeaseState::Declined => counts.declined += 1,
                LeaseState::ExpiredReclaimed => counts.expired_reclaimed += 1,
            }
        }
        counts
    }
    /// The server's statistics (`subnet[id].assigned-addresses` ... are kept up to date
    /// by the commands, as Kea's library does).
    fn stats(&self) -> &StatsMgr;
    /// Current time, Unix seconds (the `cltt` of leases added without `expire`).
    fn now(&self) -> i64;
    /// Whether DDNS updates are enabled (`dhcp-ddns.enable-updates`).
    fn ddns_enabled(&self) -> bool;
    /// Queues a name change request for `lease` to D2; called only when
    /// [`ddns_enabled`](LeaseCmdsBackend4::ddns_enabled).
    fn queue_ncr(&self, kind: NcrKind, lease: &Lease4) -> Result<(), BackendError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_range_and_text() {
        let s = Subnet4Info {
            id: 1,
            prefix: Ipv4Addr::new(192, 0, 2, 0),
            prefix_len: 24,
            valid_lft: 4000,
        };
        assert!(s.in_range(Ipv4Addr::new(192, 0, 2, 255)));
        assert!(!s.in_range(Ipv4Addr::new(192, 0, 3, 0)));
        assert_eq!(s.to_text(), "192.0.2.0/24");
        let all = Subnet4Info { prefix_len: 0, ..s };
        assert!(all.in_range(Ipv4Addr::new(10, 0, 0, 1)));
    }
}
