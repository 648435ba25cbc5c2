//! The DHCPv4 allocation engine: which lease a client gets, keeps, gives back or declines.
//!
//! ARM `dhcp4-srv.rst` "Using Client Identifier and Hardware Address", "Host Reservations in
//! DHCPv4", "Conflicts in DHCPv4 Reservations", "Lease Caching", "Duplicate Addresses
//! (DHCPDECLINE Support)" and "Shared Networks in DHCPv4". The order of preference for a client
//! is: its reserved address, its current lease, the address it asked for, then a free address
//! from the pools. In a shared network every subnet the client may use is tried in turn.

use std::net::Ipv4Addr;
use std::sync::Arc;

use kea_lease::{HwAddr, Lease4, LeaseState};

use super::cfg::{SrvConfig4, Subnet4};
use crate::classes::ClientClasses;
use crate::host::Host4;

/// The lease backend as the engine uses it (implemented over `kea_lease` managers).
pub trait LeaseStore4 {
    /// Error of the backend.
    type Error: std::error::Error + Send + Sync + 'static;
    /// The lease of `addr`, if any.
    fn get(&self, addr: Ipv4Addr) -> Option<Lease4>;
    /// Leases carrying client identifier `client_id`.
    fn by_client_id(&self, client_id: &[u8]) -> Vec<Lease4>;
    /// Leases carrying hardware address `hwaddr`.
    fn by_hwaddr(&self, hwaddr: &HwAddr) -> Vec<Lease4>;
    /// Stores a new lease; `Ok(false)` when the address is already leased.
    fn add(&self, lease: &Lease4) -> Result<bool, Self::Error>;
    /// Replaces the stored lease of the same address.
    fn update(&self, lease: &Lease4) -> Result<(), Self::Error>;
    /// Removes the lease of `addr`; `Ok(false)` when there was none.
    fn delete(&self, addr: Ipv4Addr) -> Result<bool, Self::Error>;
    /// Leases expired before `now` and not yet reclaimed, oldest first, at most `max`
    /// (0: all).
    fn expired(&self, now: i64, max: usize) -> Vec<Lease4>;
    /// Deletes reclaimed leases that expired more than `hold` seconds before `now`;
    /// returns how many.
    fn flush_reclaimed(&self, now: i64, hold: u32) -> Result<usize, Self::Error>;
}

/// Everything the engine needs to know about the client and its query.
#[derive(Debug, Clone)]
pub struct ClientContext4 {
    /// Subnet chosen by subnet selection (the first to try).
    pub subnet: Arc<Subnet4>,
    /// chaddr with its hardware type.
    pub hwaddr: Option<HwAddr>,
    /// Client identifier (option 61) as sent.
    pub client_id: Option<Vec<u8>>,
    /// Address the client asked for (option 50, or ciaddr when renewing).
    pub requested: Option<Ipv4Addr>,
    /// Lease time the client asked for (option 51).
    pub lifetime_hint: Option<u32>,
    /// Reservations of this client, per subnet id (global ones under id 0).
    pub hosts: Vec<(u32, Arc<Host4>)>,
    /// Classes of the packet (pool guards).
    pub classes: ClientClasses,
    /// Host name to store in the lease.
    pub hostname: String,
    /// Forward DNS update flag to store.
    pub fqdn_fwd: bool,
    /// Reverse DNS update flag to store.
    pub fqdn_rev: bool,
    /// Whether this is a DISCOVER: nothing is stored.
    pub fake: bool,
    /// Current time (unix seconds).
    pub now: i64,
}

impl ClientContext4 {
    /// The reservation of this client that applies in `subnet_id`.
    pub fn host_for(&self, subnet_id: u32) -> Option<&Arc<Host4>> {
        self.hosts
            .iter()
            .find(|(id, _)| *id == subnet_id)
            .map(|(_, h)| h)
    }

    fn client_id_for(&self, subnet: &Subnet4) -> Option<&[u8]> {
        self.client_id
            .as_deref()
            .filter(|_| subnet.params.match_client_id)
    }

    /// Kea's ownership rule: matching client identifiers decide when both sides have one;
    /// otherwise the hardware addresses must match.
    pub fn owns(&self, lease: &Lease4, subnet: &Subnet4) -> bool {
        match (self.client_id_for(subnet), lease.client_id.as_deref()) {
            (Some(a), Some(b)) => a == b,
            _ => match (&self.hwaddr, &lease.hwaddr) {
                (Some(a), Some(b)) => a.htype == b.htype && a.bytes == b.bytes,
                _ => false,
            },
        }
    }
}

/// Something the engine did that statistics count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeaseEvent {
    /// A lease was newly assigned in the subnet (`assigned-addresses` +1,
    /// `cumulative-assigned-addresses` +1).
    Assigned {
        /// Subnet id.
        subnet_id: u32,
    },
    /// A lease left the assigned state (release, or a reused expired lease).
    Unassigned {
        /// Subnet id.
        subnet_id: u32,
    },
    /// A lease was declined by its client (`declined-addresses` +1).
    Declined {
        /// Subnet id.
        subnet_id: u32,
    },
    /// A reservation's address was leased to someone else (`v4-reservation-conflicts`).
    ReservationConflict {
        /// Subnet id.
        subnet_id: u32,
    },
    /// An expired, not yet reclaimed lease was reused for another client.
    ExpiredReused {
        /// Subnet id.
        subnet_id: u32,
        /// Whether the reused lease was in the declined state.
        was_declined: bool,
    },
}

/// Why no lease could be given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllocFailure {
    /// Pools exhausted (`v4-allocation-fail-subnet` / `-shared-network`).
    NoAddress {
        /// Whether the client was in a shared network.
        shared_network: bool,
        /// Whether no pool admitted the client at all (`v4-allocation-fail-no-pools`).
        no_pools: bool,
        /// Whether the client had classes beyond the built-in ones.
        classes: bool,
    },
    /// The client asked for an address it cannot have (REQUEST → NAK).
    Refused,
}

/// Result of an allocation: the lease to tell the client about.
#[derive(Debug, Clone)]
pub struct Allocation {
    /// The granted lease (stored unless the context was fake).
    pub lease: Lease4,
    /// The subnet it belongs to (may differ from the selected one in a shared network).
    pub subnet: Arc<Subnet4>,
    /// What changed, for statistics.
    pub events: Vec<LeaseEvent>,
    /// The lease was reused from the cache: nothing was written.
    pub reused: bool,
    /// DDNS (issue 8): the client's lease of the same address before this renewal.
    pub old_lease: Option<Lease4>,
    /// DDNS (issue 8): leases removed or taken over on the way (the client's lease of
    /// another address, an expired lease not yet reclaimed), whose DNS entries must go.
    pub removed: Vec<Lease4>,
}

/// A storage failure while allocating.
#[derive(Debug, thiserror::Error)]
#[error("lease storage failed: {0}")]
pub struct StoreError(#[source] pub Box<dyn std::error::Error + Send + Sync>);

fn store_err<E: std::error::Error + Send + Sync + 'static>(e: E) -> StoreError {
    StoreError(Box::new(e))
}

/// The allocation engine over one configuration and one lease store.
pub struct AllocEngine4<'a, S: LeaseStore4> {
    cfg: &'a SrvConfig4,
    store: &'a S,
}

impl<'a, S: LeaseStore4> AllocEngine4<'a, S> {
    /// An engine for one query.
    pub fn new(cfg: &'a SrvConfig4, store: &'a S) -> Self {
        Self { cfg, store }
    }

    /// Subnets the client may use: the selected one and its shared-network siblings that
    /// admit the client's classes.
    fn candidates(&self, ctx: &ClientContext4) -> Vec<Arc<Subnet4>> {
        self.cfg
            .siblings(&ctx.subnet)
            .into_iter()
            .filter(|s| ctx.classes.admits(s.client_class.as_deref()))
            .cloned()
            .collect()
    }

    /// The client's current lease in any candidate subnet (client id first, then chaddr).
    pub fn find_client_lease(&self, ctx: &ClientContext4) -> Option<(Lease4, Arc<Subnet4>)> {
        let subnets = self.candidates(ctx);
        let in_subnets = |l: &Lease4| subnets.iter().find(|s| s.id == l.subnet_id).cloned();
        if let Some(cid) = ctx.client_id_for(&ctx.subnet) {
            let found = self
                .store
                .by_client_id(cid)
                .into_iter()
                .find_map(|l| in_subnets(&l).map(|s| (l, s)));
            if found.is_some() {
                return found;
            }
        }
        let hw = ctx.hwaddr.as_ref()?;
        self.store
            .by_hwaddr(hw)
            .into_iter()
            .filter_map(|l| in_subnets(&l).map(|s| (l, s)))
            .find(|(l, s)| ctx.owns(l, s))
    }

    /// Whether `addr` in `subnet` is reserved for a client other than this one.
    fn reserved_for_other(&self, ctx: &ClientContext4, subnet: &Subnet4, addr: Ipv4Addr) -> bool {
        let mine = ctx.host_for(subnet.id).and_then(|h| h.address);
        if mine == Some(addr) {
            return false;
        }
        subnet.params.reservations_in_subnet
            && !self.cfg.hosts.by_address(subnet.id, addr).is_empty()
            || subnet.params.reservations_global
                && !self
                    .cfg
                    .hosts
                    .by_address(crate::host::GLOBAL_SUBNET_ID, addr)
                    .is_empty()
    }

    /// The reserved address of the client, with the subnet it belongs to.
    fn reserved_address(&self, ctx: &ClientContext4) -> Option<(Ipv4Addr, Arc<Subnet4>)> {
        for s in self.candidates(ctx) {
            if s.params.reservations_in_subnet
                && let Some(a) = ctx.host_for(s.id).and_then(|h| h.address)
                && s.in_range(a)
            {
                return Some((a, s));
            }
            if s.params.reservations_global
                && let Some(a) = ctx
                    .host_for(crate::host::GLOBAL_SUBNET_ID)
                    .and_then(|h| h.address)
                && s.in_range(a)
            {
                return Some((a, s));
            }
        }
        None
    }

    /// Whether the client may get `addr` dynamically from `subnet` (pool and guard checks).
    fn in_allowed_pool(&self, ctx: &ClientContext4, subnet: &Subnet4, addr: Ipv4Addr) -> bool {
        subnet
            .pool_of(addr)
            .is_some_and(|p| ctx.classes.admits(p.client_class.as_deref()))
    }

    fn valid_lifetime(&self, ctx: &ClientContext4, subnet: &Subnet4) -> u32 {
        let class_lft = ctx
            .classes
            .iter()
            .find_map(|c| self.cfg.class(c).and_then(|c| c.valid_lifetime));
        class_lft
            .unwrap_or(subnet.params.valid_lifetime)
            .choose(ctx.lifetime_hint)
    }

    fn make_lease(&self, ctx: &ClientContext4, subnet: &Subnet4, addr: Ipv4Addr) -> Lease4 {
        Lease4 {
            addr,
            hwaddr: ctx.hwaddr.clone(),
            client_id: ctx.client_id_for(subnet).map(<[u8]>::to_vec),
            valid_lft: self.valid_lifetime(ctx, subnet),
            cltt: ctx.now,
            subnet_id: subnet.id,
            fqdn_fwd: ctx.fqdn_fwd,
            fqdn_rev: ctx.fqdn_rev,
            hostname: ctx.hostname.clone(),
            state: LeaseState::Default,
            user_context: None,
        }
    }

    /// Extends the client's own lease (or, for DISCOVER, pretends to).
    fn renew(
        &self,
        ctx: &ClientContext4,
        old: Lease4,
        subnet: Arc<Subnet4>,
    ) -> Result<Allocation, StoreError> {
        let mut lease = self.make_lease(ctx, &subnet, old.addr);
        lease.user_context = old.user_context.clone();
        let mut events = Vec::new();
        if old.state != LeaseState::Default {
            events.push(LeaseEvent::Assigned {
                subnet_id: subnet.id,
            });
        }
        // Lease caching: reuse the stored lease untouched when young enough.
        if let Some(remaining) = self.reusable(&old, &lease, &subnet, ctx.now) {
            let mut reused = old.clone();
            reused.valid_lft = remaining;
            return Ok(Allocation {
                lease: reused,
                subnet,
                events: Vec::new(),
                reused: true,
                old_lease: Some(old),
                removed: Vec::new(),
            });
        }
        if !ctx.fake {
            self.store.update(&lease).map_err(store_err)?;
            if old.subnet_id != subnet.id && old.state == LeaseState::Default {
                events.push(LeaseEvent::Unassigned {
                    subnet_id: old.subnet_id,
                });
                events.push(LeaseEvent::Assigned {
                    subnet_id: subnet.id,
                });
            }
        } else {
            events.clear();
        }
        Ok(Allocation {
            lease,
            subnet,
            events,
            reused: false,
            old_lease: Some(old),
            removed: Vec::new(),
        })
    }

    /// ARM "Lease Caching": the remaining lifetime when `old` can be handed out unchanged.
    fn reusable(&self, old: &Lease4, new: &Lease4, subnet: &Subnet4, now: i64) -> Option<u32> {
        let p = &subnet.params;
        if p.cache_threshold.is_none() && p.cache_max_age.is_none() {
            return None;
        }
        if old.state != LeaseState::Default
            || old.subnet_id != new.subnet_id
            || old.hostname != new.hostname
            || old.fqdn_fwd != new.fqdn_fwd
            || old.fqdn_rev != new.fqdn_rev
            || old.client_id != new.client_id
            || old.hwaddr != new.hwaddr
            || new.valid_lft < old.valid_lft
        {
            return None;
        }
        let age = now.saturating_sub(old.cltt);
        if age < 0 || age >= i64::from(old.valid_lft) {
            return None;
        }
        if let Some(max_age) = p.cache_max_age
            && age >= i64::from(max_age)
        {
            return None;
        }
        if let Some(t) = p.cache_threshold
            && (t <= 0.0 || t > 1.0 || age as f64 >= f64::from(old.valid_lft) * t)
        {
            return None;
        }
        u32::try_from(i64::from(old.valid_lft) - age).ok()
    }

    /// Takes `addr` for the client when it is free or an expired lease can be reused.
    fn try_take(
        &self,
        ctx: &ClientContext4,
        subnet: &Arc<Subnet4>,
        addr: Ipv4Addr,
    ) -> Result<Option<Allocation>, StoreError> {
        let lease = self.make_lease(ctx, subnet, addr);
        match self.store.get(addr) {
            None => {
                if !ctx.fake && !self.store.add(&lease).map_err(store_err)? {
                    return Ok(None);
                }
                subnet.allocator.mark_used(u32::from(addr).into());
                let events = if ctx.fake {
                    Vec::new()
                } else {
                    vec![LeaseEvent::Assigned {
                        subnet_id: subnet.id,
                    }]
                };
                Ok(Some(Allocation {
                    lease,
                    subnet: subnet.clone(),
                    events,
                    reused: false,
                    old_lease: None,
                    removed: Vec::new(),
                }))
            }
            Some(old) if old.is_expired(ctx.now) || old.state == LeaseState::ExpiredReclaimed => {
                let mut events = Vec::new();
                if !ctx.fake {
                    self.store.update(&lease).map_err(store_err)?;
                    if old.state != LeaseState::ExpiredReclaimed {
                        events.push(LeaseEvent::ExpiredReused {
                            subnet_id: old.subnet_id,
                            was_declined: old.state == LeaseState::Declined,
                        });
                    }
                    events.push(LeaseEvent::Assigned {
                        subnet_id: subnet.id,
                    });
                }
                // An expired lease not reclaimed yet still has its DNS entries.
                let removed = if !ctx.fake && old.state == LeaseState::Default {
                    vec![old]
                } else {
                    Vec::new()
                };
                Ok(Some(Allocation {
                    lease,
                    subnet: subnet.clone(),
                    events,
                    reused: false,
                    old_lease: None,
                    removed,
                }))
            }
            Some(_) => Ok(None),
        }
    }

    /// Picks a fresh address from the pools of the candidate subnets.
    fn allocate_unreserved(
        &self,
        ctx: &ClientContext4,
    ) -> Result<Result<Allocation, AllocFailure>, StoreError> {
        let subnets = self.candidates(ctx);
        let mut any_pool = false;
        for s in &subnets {
            let eligible = |i: usize| {
                s.pools
                    .get(i)
                    .is_some_and(|p| ctx.classes.admits(p.client_class.as_deref()))
            };
            if !(0..s.pools.len()).any(eligible) {
                continue;
            }
            any_pool = true;
            let attempts = s.allocator.capacity().min(1 << 20);
            for _ in 0..attempts {
                let Some(c) = s.allocator.pick(eligible) else {
                    break;
                };
                let addr = Ipv4Addr::from(c as u32);
                if self.cfg.global.exclude_first_last_24 && s.prefix.prefix_len() <= 24 {
                    let last = addr.octets()[3];
                    if last == 0 || last == 255 {
                        continue;
                    }
                }
                if self.reserved_for_other(ctx, s, addr) {
                    continue;
                }
                if let Some(a) = self.try_take(ctx, s, addr)? {
                    return Ok(Ok(a));
                }
            }
        }
        Ok(Err(AllocFailure::NoAddress {
            shared_network: ctx.subnet.shared_network.is_some(),
            no_pools: !any_pool,
            classes: ctx.classes.iter().any(|c| {
                !matches!(c, "ALL" | "KNOWN" | "UNKNOWN") && !c.starts_with("VENDOR_CLASS_")
            }),
        }))
    }

    /// DISCOVER: the lease to offer (nothing is stored).
    pub fn discover(
        &self,
        ctx: &ClientContext4,
    ) -> Result<Result<Allocation, AllocFailure>, StoreError> {
        let client_lease = self.find_client_lease(ctx);
        let mut events = Vec::new();
        if let Some((addr, subnet)) = self.reserved_address(ctx) {
            if let Some((l, s)) = client_lease.as_ref().filter(|(l, _)| l.addr == addr) {
                return self.renew(ctx, l.clone(), s.clone()).map(Ok);
            }
            if let Some(a) = self.try_take(ctx, &subnet, addr)? {
                return Ok(Ok(a));
            }
            events.push(LeaseEvent::ReservationConflict {
                subnet_id: subnet.id,
            });
        }
        if let Some((l, s)) = client_lease
            && (self.in_allowed_pool(ctx, &s, l.addr)
                || ctx
                    .host_for(s.id)
                    .is_some_and(|h| h.address == Some(l.addr)))
            && !self.reserved_for_other(ctx, &s, l.addr)
        {
            return self.renew(ctx, l, s).map(Ok);
        }
        if let Some(req) = ctx.requested {
            for s in self.candidates(ctx) {
                if self.in_allowed_pool(ctx, &s, req)
                    && !self.reserved_for_other(ctx, &s, req)
                    && let Some(a) = self.try_take(ctx, &s, req)?
                {
                    return Ok(Ok(a));
                }
            }
        }
        self.allocate_unreserved(ctx).map(|r| {
            r.map(|mut a| {
                a.events.extend(events);
                a
            })
        })
    }

    /// REQUEST (and its init-reboot, renewing and rebinding forms): the lease to store and
    /// acknowledge, or why the request must be refused.
    pub fn request(
        &self,
        ctx: &ClientContext4,
    ) -> Result<Result<Allocation, AllocFailure>, StoreError> {
        let client_lease = self.find_client_lease(ctx);
        let reserved = self.reserved_address(ctx);
        let requested = ctx.requested.or(reserved.as_ref().map(|(a, _)| *a));
        let Some(req) = requested else {
            // Nothing named and nothing reserved: fall back to the client's lease or a new one.
            if let Some((l, s)) = client_lease {
                return self.renew(ctx, l, s).map(Ok);
            }
            return self.allocate_unreserved(ctx);
        };
        if let Some((r, _)) = &reserved
            && *r != req
        {
            return Ok(Err(AllocFailure::Refused));
        }
        let Some(subnet) = self.candidates(ctx).into_iter().find(|s| s.in_range(req)) else {
            return Ok(Err(AllocFailure::Refused));
        };
        if self.reserved_for_other(ctx, &subnet, req) {
            return Ok(Err(AllocFailure::Refused));
        }
        let is_reserved = reserved.as_ref().is_some_and(|(a, _)| *a == req);
        if let Some(existing) = self.store.get(req) {
            if existing.subnet_id == subnet.id && ctx.owns(&existing, &subnet)
                || client_lease.as_ref().is_some_and(|(l, _)| l.addr == req)
            {
                return self.renew(ctx, existing, subnet).map(Ok);
            }
            if !existing.is_expired(ctx.now) && existing.state != LeaseState::ExpiredReclaimed {
                return Ok(Err(AllocFailure::Refused));
            }
        }
        if !is_reserved && !self.in_allowed_pool(ctx, &subnet, req) {
            return Ok(Err(AllocFailure::Refused));
        }
        let Some(mut alloc) = self.try_take(ctx, &subnet, req)? else {
            return Ok(Err(AllocFailure::Refused));
        };
        // The client moved to another address: its old lease goes.
        if let Some((old, old_subnet)) = client_lease.filter(|(l, _)| l.addr != req)
            && self.store.delete(old.addr).map_err(store_err)?
        {
            old_subnet.allocator.mark_free(u32::from(old.addr).into());
            if old.state == LeaseState::Default {
                alloc.events.push(LeaseEvent::Unassigned {
                    subnet_id: old.subnet_id,
                });
            }
            alloc.removed.push(old);
        }
        Ok(Ok(alloc))
    }

    /// RELEASE: removes the client's lease of `addr`. `Ok(None)` when the lease does not exist
    /// or is not the client's.
    pub fn release(
        &self,
        ctx: &ClientContext4,
        addr: Ipv4Addr,
    ) -> Result<Option<Lease4>, StoreError> {
        let Some(lease) = self.store.get(addr) else {
            return Ok(None);
        };
        let Some(subnet) = self.cfg.subnet(lease.subnet_id) else {
            return Ok(None);
        };
        if !ctx.owns(&lease, subnet) {
            return Ok(None);
        }
        if self.store.delete(addr).map_err(store_err)? {
            subnet.allocator.mark_free(u32::from(addr).into());
            Ok(Some(lease))
        } else {
            Ok(None)
        }
    }

    /// DECLINE: puts the client's lease of `addr` into probation for `probation` seconds.
    pub fn decline(
        &self,
        ctx: &ClientContext4,
        addr: Ipv4Addr,
        probation: u32,
    ) -> Result<Option<Lease4>, StoreError> {
        let Some(lease) = self.store.get(addr) else {
            return Ok(None);
        };
        let Some(subnet) = self.cfg.subnet(lease.subnet_id) else {
            return Ok(None);
        };
        if !ctx.owns(&lease, subnet) {
            return Ok(None);
        }
        let declined = Lease4 {
            hwaddr: None,
            client_id: None,
            valid_lft: probation,
            cltt: ctx.now,
            fqdn_fwd: false,
            fqdn_rev: false,
            hostname: String::new(),
            state: LeaseState::Declined,
            user_context: None,
            ..lease.clone()
        };
        self.store.update(&declined).map_err(store_err)?;
        Ok(Some(lease))
    }
}
