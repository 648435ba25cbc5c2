//! Address allocators: which free-looking address to try next in a pool.
//!
//! ARM `dhcp4-srv.rst` "Address Allocation Strategies in DHCPv4" (and the DHCPv6 twin). An
//! allocator only proposes candidates; the allocation engine checks each against leases and
//! reservations. Addresses are handled as `u128` so that one implementation serves IPv4
//! (`u32` widened) and IPv6.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

/// Which strategy a subnet uses (`allocator`: `iterative`, `random`, `flq`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AllocatorKind {
    /// Next address after the last one handed out (Kea's default).
    #[default]
    Iterative,
    /// A pseudo-random permutation of each pool.
    Random,
    /// Free lease queue: a set of known-free addresses kept up to date by the engine.
    FreeLeaseQueue,
}

impl AllocatorKind {
    /// Parses Kea's configuration word.
    pub fn from_config(s: &str) -> Option<Self> {
        match s {
            "iterative" => Some(Self::Iterative),
            "random" => Some(Self::Random),
            "flq" => Some(Self::FreeLeaseQueue),
            _ => None,
        }
    }

    /// Kea's configuration word for this strategy.
    pub fn as_config(self) -> &'static str {
        match self {
            Self::Iterative => "iterative",
            Self::Random => "random",
            Self::FreeLeaseQueue => "flq",
        }
    }
}

/// An inclusive address range, the address space of one pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AddrRange {
    /// First address of the range.
    pub first: u128,
    /// Last address of the range (inclusive).
    pub last: u128,
}

impl AddrRange {
    /// A range; `None` when `first > last`.
    pub fn new(first: u128, last: u128) -> Option<Self> {
        (first <= last).then_some(Self { first, last })
    }

    /// Number of addresses in the range (saturating for a whole IPv6 space).
    pub fn capacity(&self) -> u128 {
        (self.last - self.first).saturating_add(1)
    }

    /// Whether `addr` lies in the range.
    pub fn contains(&self, addr: u128) -> bool {
        (self.first..=self.last).contains(&addr)
    }

    /// Whether two ranges share at least one address.
    pub fn overlaps(&self, other: &AddrRange) -> bool {
        self.first <= other.last && other.first <= self.last
    }
}

/// Mutable allocator state of one subnet: its pools and the per-pool cursor.
#[derive(Debug)]
pub struct Allocator {
    kind: AllocatorKind,
    pools: Vec<AddrRange>,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Iterative: the last address proposed, per pool.
    last: HashMap<usize, u128>,
    /// Random: the permutation of each pool and how far it has been walked.
    perms: HashMap<usize, Permutation>,
    /// Free lease queue: addresses known to be free, per pool.
    free: HashMap<usize, BTreeSet<u128>>,
    /// Pool where the last candidate came from, so that consecutive clients spread.
    next_pool: usize,
}

/// A bijection of `[0, n)`: `i -> (a*i + b) mod n` with `gcd(a, n) == 1`. Visits every offset
/// once per cycle without remembering them (KEA-DIFF: Kea keeps a shuffled set; same effect,
/// constant memory).
#[derive(Debug, Clone, Copy)]
struct Permutation {
    n: u128,
    a: u128,
    b: u128,
    step: u128,
}

impl Permutation {
    fn new(n: u128) -> Self {
        let n = n.max(1);
        let mut a = (rand::random::<u64>() as u128 % n).max(1);
        while gcd(a, n) != 1 {
            a = a % n + 1;
        }
        let b = rand::random::<u64>() as u128 % n;
        Self { n, a, b, step: 0 }
    }

    fn next(&mut self) -> u128 {
        let i = self.step % self.n;
        self.step = self.step.wrapping_add(1);
        mulmod(self.a, i, self.n).wrapping_add(self.b) % self.n
    }
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// `a * b mod n` without overflow, for `a, b < n`.
fn mulmod(a: u128, b: u128, n: u128) -> u128 {
    if let Some(p) = a.checked_mul(b) {
        return p % n;
    }
    let (mut a, mut b, mut r) = (a % n, b, 0u128);
    while b > 0 {
        if b & 1 == 1 {
            r = addmod(r, a, n);
        }
        a = addmod(a, a, n);
        b >>= 1;
    }
    r
}

/// `x + y mod n` without overflow, for `x, y < n`.
fn addmod(x: u128, y: u128, n: u128) -> u128 {
    if x >= n - y { x - (n - y) } else { x + y }
}

impl Allocator {
    /// An allocator over `pools` (the candidate order walks them in configuration order).
    pub fn new(kind: AllocatorKind, pools: Vec<AddrRange>) -> Self {
        Self {
            kind,
            pools,
            state: Mutex::new(State::default()),
        }
    }

    /// The strategy in use.
    pub fn kind(&self) -> AllocatorKind {
        self.kind
    }

    /// The pools this allocator walks.
    pub fn pools(&self) -> &[AddrRange] {
        &self.pools
    }

    /// Total number of addresses in all pools.
    pub fn capacity(&self) -> u128 {
        self.pools
            .iter()
            .fold(0u128, |acc, p| acc.saturating_add(p.capacity()))
    }

    /// Proposes the next candidate from the pools accepted by `eligible` (pool guards).
    /// `None` when no eligible pool has an address left to propose (FLQ) or no pool is eligible.
    pub fn pick(&self, eligible: impl Fn(usize) -> bool) -> Option<u128> {
        let mut st = self.state.lock().ok()?;
        let n = self.pools.len();
        for k in 0..n {
            let idx = (st.next_pool + k) % n;
            if !eligible(idx) {
                continue;
            }
            let pool = self.pools[idx];
            let cand = match self.kind {
                AllocatorKind::Iterative => {
                    let next = match st.last.get(&idx) {
                        Some(&l) if l < pool.last => l + 1,
                        _ => pool.first,
                    };
                    st.last.insert(idx, next);
                    // Stay in this pool until it wraps, like Kea's iterative allocator.
                    if next == pool.last {
                        st.next_pool = (idx + 1) % n;
                    } else {
                        st.next_pool = idx;
                    }
                    Some(next)
                }
                AllocatorKind::Random => {
                    let perm = st
                        .perms
                        .entry(idx)
                        .or_insert_with(|| Permutation::new(pool.capacity()));
                    let off = perm.next();
                    st.next_pool = (idx + 1) % n;
                    Some(pool.first + off)
                }
                AllocatorKind::FreeLeaseQueue => {
                    let free = st.free.entry(idx).or_default();
                    let c = free.pop_first();
                    if c.is_some() {
                        st.next_pool = idx;
                    }
                    c
                }
            };
            if cand.is_some() {
                return cand;
            }
        }
        None
    }

    /// Free lease queue: fills each pool's queue with the addresses not in `used`.
    /// Pools larger than `limit` addresses are filled up to `limit` (bounded start-up cost).
    pub fn populate_free(&self, used: impl Fn(u128) -> bool, limit: u128) {
        if self.kind != AllocatorKind::FreeLeaseQueue {
            return;
        }
        let Ok(mut st) = self.state.lock() else {
            return;
        };
        for (idx, pool) in self.pools.iter().enumerate() {
            let set = st.free.entry(idx).or_default();
            let mut addr = pool.first;
            let mut taken = 0u128;
            loop {
                if !used(addr) {
                    set.insert(addr);
                    taken += 1;
                }
                if addr == pool.last || taken >= limit {
                    break;
                }
                addr += 1;
            }
        }
    }

    /// Free lease queue: `addr` became free again (released, reclaimed, declined expiry).
    pub fn mark_free(&self, addr: u128) {
        if self.kind != AllocatorKind::FreeLeaseQueue {
            return;
        }
        if let (Some(idx), Ok(mut st)) = (self.pool_index(addr), self.state.lock()) {
            st.free.entry(idx).or_default().insert(addr);
        }
    }

    /// Free lease queue: `addr` was taken by other means (reservation, requested address).
    pub fn mark_used(&self, addr: u128) {
        if self.kind != AllocatorKind::FreeLeaseQueue {
            return;
        }
        if let (Some(idx), Ok(mut st)) = (self.pool_index(addr), self.state.lock())
            && let Some(set) = st.free.get_mut(&idx)
        {
            set.remove(&addr);
        }
    }

    /// Index of the pool that holds `addr`.
    pub fn pool_index(&self, addr: u128) -> Option<usize> {
        self.pools.iter().position(|p| p.contains(addr))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn ranges() -> Vec<AddrRange> {
        vec![
            AddrRange::new(10, 12).unwrap(),
            AddrRange::new(20, 21).unwrap(),
        ]
    }

    #[test]
    fn iterative_walks_pools_in_order_and_wraps() {
        let a = Allocator::new(AllocatorKind::Iterative, ranges());
        let got: Vec<_> = (0..7).map(|_| a.pick(|_| true).unwrap()).collect();
        assert_eq!(got, vec![10, 11, 12, 20, 21, 10, 11]);
    }

    #[test]
    fn iterative_skips_ineligible_pools() {
        let a = Allocator::new(AllocatorKind::Iterative, ranges());
        let got: Vec<_> = (0..3).map(|_| a.pick(|i| i == 1).unwrap()).collect();
        assert_eq!(got, vec![20, 21, 20]);
        assert_eq!(a.pick(|_| false), None);
    }

    #[test]
    fn random_visits_every_address_of_a_pool_once_per_cycle() {
        let a = Allocator::new(
            AllocatorKind::Random,
            vec![AddrRange::new(1000, 1099).unwrap()],
        );
        let seen: HashSet<_> = (0..100).map(|_| a.pick(|_| true).unwrap()).collect();
        assert_eq!(seen.len(), 100);
        assert!(seen.iter().all(|x| (1000..1100).contains(x)));
    }

    #[test]
    fn flq_hands_out_free_addresses_then_runs_dry() {
        let a = Allocator::new(AllocatorKind::FreeLeaseQueue, ranges());
        a.populate_free(|x| x == 11, u128::MAX);
        let mut got: Vec<_> = std::iter::from_fn(|| a.pick(|_| true)).collect();
        got.sort();
        assert_eq!(got, vec![10, 12, 20, 21]);
        a.mark_free(12);
        assert_eq!(a.pick(|_| true), Some(12));
        a.mark_free(99); // outside every pool: ignored
        assert_eq!(a.pick(|_| true), None);
    }

    #[test]
    fn mulmod_handles_large_values() {
        let n = u128::MAX - 158;
        assert_eq!(mulmod(n - 1, n - 1, n), 1);
    }
}
