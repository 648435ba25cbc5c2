//! The lease records: [`Lease4`], [`Lease6`], their [`LeaseState`] and the IPv6
//! [`LeaseType`]. What "state" means follows `lease-expiration.rst` ("Lease Reclamation"):
//! an expired lease is reclaimed, then kept as `expired-reclaimed` until it is removed;
//! a declined address stays `declined` for the probation period.

use crate::hwaddr::HwAddr;
use serde_json::{Map, Value};
use std::net::{Ipv4Addr, Ipv6Addr};

/// A valid lifetime of `0xffffffff` means the lease never expires.
pub const INFINITY_LFT: u32 = u32::MAX;

/// A lease's user context: a JSON map (Kea rejects any other JSON type there).
pub type UserContext = Map<String, Value>;

/// The state column of a lease (INVENTORY §11: 0 default, 1 declined, 2 expired-reclaimed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum LeaseState {
    /// The lease is assigned to a client (or expired but not yet reclaimed).
    #[default]
    Default,
    /// The client declined the address; it is in probation.
    Declined,
    /// The lease expired and was reclaimed; it is kept only for `hold-reclaimed-time`.
    ExpiredReclaimed,
}

impl LeaseState {
    /// The number stored in lease files and databases.
    pub fn code(self) -> u32 {
        match self {
            Self::Default => 0,
            Self::Declined => 1,
            Self::ExpiredReclaimed => 2,
        }
    }

    /// The state for a stored number, or `None` for a number Kea does not define.
    pub fn from_code(code: u32) -> Option<Self> {
        match code {
            0 => Some(Self::Default),
            1 => Some(Self::Declined),
            2 => Some(Self::ExpiredReclaimed),
            _ => None,
        }
    }
}

/// The kind of IPv6 lease (the `lease_type` column: 0 IA_NA, 1 IA_TA, 2 IA_PD).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum LeaseType {
    /// A non-temporary address (RFC 8415 §21.4).
    #[default]
    Na,
    /// A temporary address (RFC 8415 §21.5).
    Ta,
    /// A delegated prefix (RFC 8415 §21.21).
    Pd,
}

impl LeaseType {
    /// The number stored in lease files.
    pub fn code(self) -> u32 {
        match self {
            Self::Na => 0,
            Self::Ta => 1,
            Self::Pd => 2,
        }
    }

    /// The type for a stored number, or `None` for an unknown one.
    pub fn from_code(code: u32) -> Option<Self> {
        match code {
            0 => Some(Self::Na),
            1 => Some(Self::Ta),
            2 => Some(Self::Pd),
            _ => None,
        }
    }
}

/// Expiration time shared by both families: `cltt + valid_lft`, the lease file's `expire`.
fn expire_of(cltt: i64, valid_lft: u32) -> i64 {
    cltt.saturating_add(i64::from(valid_lft))
}

/// Whether a lease with these times is expired at `now` (infinite leases never are).
fn expired_at(cltt: i64, valid_lft: u32, now: i64) -> bool {
    valid_lft != INFINITY_LFT && expire_of(cltt, valid_lft) < now
}

/// A DHCPv4 lease.
#[derive(Debug, Clone, PartialEq)]
pub struct Lease4 {
    /// The leased address; the lease's key.
    pub addr: Ipv4Addr,
    /// The client's hardware address (absent only for declined leases).
    pub hwaddr: Option<HwAddr>,
    /// The client identifier (option 61), if the client sent one.
    pub client_id: Option<Vec<u8>>,
    /// Valid lifetime in seconds; [`INFINITY_LFT`] never expires.
    pub valid_lft: u32,
    /// Client last transmission time, Unix seconds.
    pub cltt: i64,
    /// The subnet the lease belongs to.
    pub subnet_id: u32,
    /// The server did (or will do) the forward DNS update.
    pub fqdn_fwd: bool,
    /// The server did (or will do) the reverse DNS update.
    pub fqdn_rev: bool,
    /// The client's host name (empty if none).
    pub hostname: String,
    /// Assigned, declined or expired-reclaimed.
    pub state: LeaseState,
    /// Free-form JSON map attached by hooks or commands.
    pub user_context: Option<UserContext>,
}

impl Lease4 {
    /// A lease for `addr` with every other field zero or empty, to fill in with struct
    /// update syntax.
    pub fn new(addr: Ipv4Addr) -> Self {
        Self {
            addr,
            hwaddr: None,
            client_id: None,
            valid_lft: 0,
            cltt: 0,
            subnet_id: 0,
            fqdn_fwd: false,
            fqdn_rev: false,
            hostname: String::new(),
            state: LeaseState::Default,
            user_context: None,
        }
    }

    /// Expiration time in Unix seconds (`cltt + valid_lft`, the lease file's `expire`).
    pub fn expire(&self) -> i64 {
        expire_of(self.cltt, self.valid_lft)
    }

    /// Whether the lease is expired at `now` (Unix seconds); infinite leases never are.
    pub fn is_expired(&self, now: i64) -> bool {
        expired_at(self.cltt, self.valid_lft, now)
    }

    /// The record Kea 2.2 appends to the lease file when this lease is deleted: the lease
    /// with valid lifetime 0 (so its `expire` is its cltt).
    pub fn deletion_record(&self) -> Self {
        Self {
            valid_lft: 0,
            ..self.clone()
        }
    }
}

/// A DHCPv6 lease (an address or a delegated prefix).
#[derive(Debug, Clone, PartialEq)]
pub struct Lease6 {
    /// The leased address or prefix.
    pub addr: Ipv6Addr,
    /// The client's DUID; `[0]` (Kea's empty DUID) only for declined leases.
    pub duid: Vec<u8>,
    /// Valid lifetime in seconds; [`INFINITY_LFT`] never expires.
    pub valid_lft: u32,
    /// Preferred lifetime in seconds.
    pub preferred_lft: u32,
    /// Client last transmission time, Unix seconds.
    pub cltt: i64,
    /// The subnet the lease belongs to.
    pub subnet_id: u32,
    /// IA_NA, IA_TA or IA_PD.
    pub lease_type: LeaseType,
    /// The identity association identifier.
    pub iaid: u32,
    /// Prefix length: 128 for addresses, the delegated length for prefixes.
    pub prefix_len: u8,
    /// The server did (or will do) the forward DNS update.
    pub fqdn_fwd: bool,
    /// The server did (or will do) the reverse DNS update.
    pub fqdn_rev: bool,
    /// The client's host name (empty if none).
    pub hostname: String,
    /// The client's hardware address with its type and source, if known.
    pub hwaddr: Option<HwAddr>,
    /// Assigned, declined or expired-reclaimed.
    pub state: LeaseState,
    /// Free-form JSON map attached by hooks or commands.
    pub user_context: Option<UserContext>,
}

impl Lease6 {
    /// An IA_NA lease for `addr` (prefix length 128) with every other field zero or
    /// empty, to fill in with struct update syntax.
    pub fn new(addr: Ipv6Addr) -> Self {
        Self {
            addr,
            duid: Vec::new(),
            valid_lft: 0,
            preferred_lft: 0,
            cltt: 0,
            subnet_id: 0,
            lease_type: LeaseType::Na,
            iaid: 0,
            prefix_len: 128,
            fqdn_fwd: false,
            fqdn_rev: false,
            hostname: String::new(),
            hwaddr: None,
            state: LeaseState::Default,
            user_context: None,
        }
    }

    /// Expiration time in Unix seconds (`cltt + valid_lft`, the lease file's `expire`).
    pub fn expire(&self) -> i64 {
        expire_of(self.cltt, self.valid_lft)
    }

    /// Whether the lease is expired at `now` (Unix seconds); infinite leases never are.
    pub fn is_expired(&self, now: i64) -> bool {
        expired_at(self.cltt, self.valid_lft, now)
    }

    /// The record Kea 2.2 appends to the lease file when this lease is deleted: the lease
    /// with valid and preferred lifetimes 0 (verified against Kea's `lease6-del`).
    pub fn deletion_record(&self) -> Self {
        Self {
            valid_lft: 0,
            preferred_lft: 0,
            ..self.clone()
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    #[test]
    fn expire_is_cltt_plus_valid() {
        let lease = Lease4 {
            cltt: 1000,
            valid_lft: 3600,
            ..Lease4::new(Ipv4Addr::LOCALHOST)
        };
        assert_eq!(lease.expire(), 4600);
        assert!(!lease.is_expired(4600));
        assert!(lease.is_expired(4601));
    }

    #[test]
    fn infinite_lease_never_expires() {
        let lease = Lease6 {
            cltt: 1000,
            valid_lft: INFINITY_LFT,
            ..Lease6::new(Ipv6Addr::LOCALHOST)
        };
        assert!(!lease.is_expired(i64::MAX));
    }

    #[test]
    fn state_and_type_codes_round_trip() {
        for code in 0..3 {
            assert_eq!(LeaseState::from_code(code).unwrap().code(), code);
            assert_eq!(LeaseType::from_code(code).unwrap().code(), code);
        }
        assert_eq!(LeaseState::from_code(3), None);
        assert_eq!(LeaseType::from_code(7), None);
    }
}
