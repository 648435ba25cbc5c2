//! The DHCPv6 allocation engine, one IA at a time (RFC 8415 §18.3; ARM `dhcp6-srv.rst`
//! "Host Reservations in DHCPv6", "Prefix Delegation", "Lease Caching").
//!
//! For an IA_NA or IA_PD the client keeps its leases when it has them; otherwise it gets its
//! reservation, then what it hinted at, then a fresh address or prefix from the pools of the
//! selected subnet and its shared-network siblings.

use std::net::Ipv6Addr;
use std::sync::Arc;

use kea_lease::{HwAddr, Lease6, LeaseState, LeaseType};

use super::cfg::{SrvConfig6, Subnet6};
use crate::classes::ClientClasses;
use crate::host::{GLOBAL_SUBNET_ID, Host6};
use crate::v4::engine::StoreError;

/// The lease backend as the DHCPv6 engine uses it.
pub trait LeaseStore6 {
    /// Error of the backend.
    type Error: std::error::Error + Send + Sync + 'static;
    /// The lease of `addr` (or delegated prefix start) of type `t`.
    fn get(&self, t: LeaseType, addr: Ipv6Addr) -> Option<Lease6>;
    /// Leases of type `t` of a DUID and IAID.
    fn by_duid_iaid(&self, t: LeaseType, duid: &[u8], iaid: u32) -> Vec<Lease6>;
    /// Stores a new lease; `Ok(false)` when the address is taken.
    fn add(&self, lease: &Lease6) -> Result<bool, Self::Error>;
    /// Replaces the stored lease of the same address and type.
    fn update(&self, lease: &Lease6) -> Result<(), Self::Error>;
    /// Removes a lease; `Ok(false)` when there was none.
    fn delete(&self, t: LeaseType, addr: Ipv6Addr) -> Result<bool, Self::Error>;
    /// Expired, not yet reclaimed leases, oldest first, at most `max` (0: all).
    fn expired(&self, now: i64, max: usize) -> Vec<Lease6>;
    /// Deletes reclaimed leases expired more than `hold` seconds ago.
    fn flush_reclaimed(&self, now: i64, hold: u32) -> Result<usize, Self::Error>;
}

/// One IA of a query, with what the engine needs about its client.
#[derive(Debug, Clone)]
pub struct IaContext {
    /// The selected subnet.
    pub subnet: Arc<Subnet6>,
    /// Client DUID.
    pub duid: Vec<u8>,
    /// Client hardware address, when known.
    pub hwaddr: Option<HwAddr>,
    /// IAID.
    pub iaid: u32,
    /// IA_NA or IA_PD.
    pub lease_type: LeaseType,
    /// Addresses or prefixes (with their lengths) the client put in the IA.
    pub hints: Vec<(Ipv6Addr, u8)>,
    /// Preferred and valid lifetimes the client asked for in its first hint.
    pub lifetime_hints: (Option<u32>, Option<u32>),
    /// The client's reservations, per subnet id (global under 0).
    pub hosts: Vec<(u32, Arc<Host6>)>,
    /// Packet classes.
    pub classes: ClientClasses,
    /// Host name for the lease.
    pub hostname: String,
    /// SOLICIT without rapid commit: nothing is stored.
    pub fake: bool,
    /// Unix time now.
    pub now: i64,
}

impl IaContext {
    fn host_for(&self, subnet_id: u32) -> Option<&Arc<Host6>> {
        self.hosts
            .iter()
            .find(|(id, _)| *id == subnet_id)
            .map(|(_, h)| h)
    }

    fn is_pd(&self) -> bool {
        self.lease_type == LeaseType::Pd
    }
}

/// What statistics count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeaseEvent6 {
    /// A lease became assigned.
    Assigned {
        /// Subnet id.
        subnet_id: u32,
        /// NA or PD.
        lease_type: LeaseType,
    },
    /// A lease stopped being assigned (released, or an expired one reused).
    Unassigned {
        /// Subnet id.
        subnet_id: u32,
        /// NA or PD.
        lease_type: LeaseType,
    },
    /// An address was declined.
    Declined {
        /// Subnet id.
        subnet_id: u32,
    },
}

/// Why an IA got nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IaFailure {
    /// No address or prefix is free (NoAddrsAvail / NoPrefixAvail).
    Exhausted {
        /// In a shared network.
        shared_network: bool,
        /// No pool admitted the client.
        no_pools: bool,
    },
}

/// The leases granted to one IA.
#[derive(Debug, Clone)]
pub struct IaGrant {
    /// Leases to put in the IA.
    pub leases: Vec<Lease6>,
    /// Their subnet.
    pub subnet: Arc<Subnet6>,
    /// Statistics events.
    pub events: Vec<LeaseEvent6>,
}

/// The DHCPv6 allocation engine over one configuration and lease store.
pub struct AllocEngine6<'a, S: LeaseStore6> {
    cfg: &'a SrvConfig6,
    store: &'a S,
}

fn err<E: std::error::Error + Send + Sync + 'static>(e: E) -> StoreError {
    StoreError(Box::new(e))
}

impl<'a, S: LeaseStore6> AllocEngine6<'a, S> {
    /// An engine for one query.
    pub fn new(cfg: &'a SrvConfig6, store: &'a S) -> Self {
        Self { cfg, store }
    }

    fn candidates(&self, ctx: &IaContext) -> Vec<Arc<Subnet6>> {
        self.cfg
            .siblings(&ctx.subnet)
            .into_iter()
            .filter(|s| ctx.classes.admits(s.client_class.as_deref()))
            .cloned()
            .collect()
    }

    /// The client's leases for this IA in the candidate subnets.
    pub fn client_leases(&self, ctx: &IaContext) -> Vec<(Lease6, Arc<Subnet6>)> {
        let subnets = self.candidates(ctx);
        self.store
            .by_duid_iaid(ctx.lease_type, &ctx.duid, ctx.iaid)
            .into_iter()
            .filter_map(|l| {
                let s = subnets.iter().find(|s| s.id == l.subnet_id)?.clone();
                Some((l, s))
            })
            .collect()
    }

    fn lifetimes(&self, ctx: &IaContext, subnet: &Subnet6) -> (u32, u32) {
        let class = |f: fn(&super::cfg::ClientClass6) -> Option<crate::lifetime::Triplet>| {
            ctx.classes
                .iter()
                .find_map(|c| self.cfg.class(c).and_then(f))
        };
        let valid = class(|c| c.valid_lifetime)
            .unwrap_or(subnet.params.valid_lifetime)
            .choose(ctx.lifetime_hints.1);
        let pref = class(|c| c.preferred_lifetime)
            .unwrap_or(subnet.params.preferred_lifetime)
            .choose(ctx.lifetime_hints.0);
        (pref.min(valid), valid)
    }

    fn make_lease(&self, ctx: &IaContext, subnet: &Subnet6, addr: Ipv6Addr, len: u8) -> Lease6 {
        let (preferred_lft, valid_lft) = self.lifetimes(ctx, subnet);
        Lease6 {
            addr,
            duid: ctx.duid.clone(),
            valid_lft,
            preferred_lft,
            cltt: ctx.now,
            subnet_id: subnet.id,
            lease_type: ctx.lease_type,
            iaid: ctx.iaid,
            prefix_len: len,
            fqdn_fwd: false,
            fqdn_rev: false,
            hostname: ctx.hostname.clone(),
            hwaddr: ctx.hwaddr.clone(),
            state: LeaseState::Default,
            user_context: None,
        }
    }

    /// Whether `addr` is reserved in `subnet` for somebody else.
    fn reserved_for_other(&self, ctx: &IaContext, subnet: &Subnet6, addr: Ipv6Addr) -> bool {
        let mine = ctx.host_for(subnet.id).is_some_and(|h| {
            h.addresses.contains(&addr) || h.prefixes.iter().any(|(p, _)| *p == addr)
        });
        !mine
            && (subnet.params.reservations_in_subnet
                && !self.cfg.hosts.by_address(subnet.id, addr).is_empty()
                || subnet.params.reservations_global
                    && !self.cfg.hosts.by_address(GLOBAL_SUBNET_ID, addr).is_empty())
    }

    /// Reserved addresses (or prefixes) of the client in a candidate subnet.
    fn reservations(&self, ctx: &IaContext) -> Vec<(Ipv6Addr, u8, Arc<Subnet6>)> {
        let mut out = Vec::new();
        for s in self.candidates(ctx) {
            let mut hosts = Vec::new();
            if s.params.reservations_in_subnet {
                hosts.extend(ctx.host_for(s.id));
            }
            if s.params.reservations_global {
                hosts.extend(ctx.host_for(GLOBAL_SUBNET_ID));
            }
            for h in hosts {
                if ctx.is_pd() {
                    out.extend(h.prefixes.iter().map(|(p, l)| (*p, *l, s.clone())));
                } else {
                    out.extend(
                        h.addresses
                            .iter()
                            .filter(|a| s.in_range(**a))
                            .map(|a| (*a, 128, s.clone())),
                    );
                }
            }
        }
        out
    }

    fn in_allowed_pool(&self, ctx: &IaContext, s: &Subnet6, addr: Ipv6Addr, len: u8) -> bool {
        if ctx.is_pd() {
            s.pd_pool_of(addr, len)
                .is_some_and(|p| ctx.classes.admits(p.client_class.as_deref()))
        } else {
            s.pool_of(addr)
                .is_some_and(|p| ctx.classes.admits(p.client_class.as_deref()))
        }
    }

    /// Takes `addr` when free or expired.
    fn try_take(
        &self,
        ctx: &IaContext,
        s: &Arc<Subnet6>,
        addr: Ipv6Addr,
        len: u8,
    ) -> Result<Option<(Lease6, Vec<LeaseEvent6>)>, StoreError> {
        let lease = self.make_lease(ctx, s, addr, len);
        let assigned = LeaseEvent6::Assigned {
            subnet_id: s.id,
            lease_type: ctx.lease_type,
        };
        match self.store.get(ctx.lease_type, addr) {
            None => {
                if !ctx.fake && !self.store.add(&lease).map_err(err)? {
                    return Ok(None);
                }
                let events = if ctx.fake { vec![] } else { vec![assigned] };
                Ok(Some((lease, events)))
            }
            Some(old) if old.is_expired(ctx.now) || old.state == LeaseState::ExpiredReclaimed => {
                let mut events = Vec::new();
                if !ctx.fake {
                    self.store.update(&lease).map_err(err)?;
                    if old.state == LeaseState::Default {
                        events.push(LeaseEvent6::Unassigned {
                            subnet_id: old.subnet_id,
                            lease_type: old.lease_type,
                        });
                    }
                    events.push(assigned);
                }
                Ok(Some((lease, events)))
            }
            Some(_) => Ok(None),
        }
    }

    /// Extends leases the client already has.
    fn extend(
        &self,
        ctx: &IaContext,
        leases: Vec<(Lease6, Arc<Subnet6>)>,
    ) -> Result<Option<IaGrant>, StoreError> {
        let mut out = Vec::new();
        let mut events = Vec::new();
        let mut subnet = ctx.subnet.clone();
        for (old, s) in leases {
            let allowed = self.in_allowed_pool(ctx, &s, old.addr, old.prefix_len)
                || self
                    .reservations(ctx)
                    .iter()
                    .any(|(a, _, _)| *a == old.addr);
            if !allowed || self.reserved_for_other(ctx, &s, old.addr) {
                continue;
            }
            let mut lease = self.make_lease(ctx, &s, old.addr, old.prefix_len);
            lease.user_context = old.user_context.clone();
            if !ctx.fake {
                self.store.update(&lease).map_err(err)?;
                if old.state != LeaseState::Default {
                    events.push(LeaseEvent6::Assigned {
                        subnet_id: s.id,
                        lease_type: ctx.lease_type,
                    });
                }
            }
            subnet = s;
            out.push(lease);
        }
        Ok((!out.is_empty()).then_some(IaGrant {
            leases: out,
            subnet,
            events,
        }))
    }

    /// SOLICIT (fake), REQUEST, RENEW and REBIND of one IA: the client's leases extended,
    /// or a reservation, a hinted or a new address/prefix.
    pub fn assign(&self, ctx: &IaContext) -> Result<Result<IaGrant, IaFailure>, StoreError> {
        if let Some(g) = self.extend(ctx, self.client_leases(ctx))? {
            return Ok(Ok(g));
        }
        for (addr, len, s) in self.reservations(ctx) {
            if let Some((lease, events)) = self.try_take(ctx, &s, addr, len)? {
                return Ok(Ok(IaGrant {
                    leases: vec![lease],
                    subnet: s,
                    events,
                }));
            }
        }
        for (addr, len) in &ctx.hints {
            if addr.is_unspecified() {
                continue;
            }
            for s in self.candidates(ctx) {
                let len = if ctx.is_pd() {
                    match s.pd_pool_of(*addr, *len) {
                        Some(p) => p.delegated_len,
                        None => continue,
                    }
                } else {
                    128
                };
                if self.in_allowed_pool(ctx, &s, *addr, len)
                    && !self.reserved_for_other(ctx, &s, *addr)
                    && let Some((lease, events)) = self.try_take(ctx, &s, *addr, len)?
                {
                    return Ok(Ok(IaGrant {
                        leases: vec![lease],
                        subnet: s,
                        events,
                    }));
                }
            }
        }
        self.allocate_new(ctx)
    }

    fn allocate_new(&self, ctx: &IaContext) -> Result<Result<IaGrant, IaFailure>, StoreError> {
        let mut any_pool = false;
        for s in self.candidates(ctx) {
            let (alloc, guards): (_, Vec<Option<&str>>) = if ctx.is_pd() {
                (
                    &s.pd_alloc,
                    s.pd_pools
                        .iter()
                        .map(|p| p.client_class.as_deref())
                        .collect(),
                )
            } else {
                (
                    &s.na_alloc,
                    s.pools.iter().map(|p| p.client_class.as_deref()).collect(),
                )
            };
            let eligible = |i: usize| guards.get(i).is_some_and(|g| ctx.classes.admits(*g));
            if !(0..guards.len()).any(eligible) {
                continue;
            }
            any_pool = true;
            let attempts = alloc.capacity().min(1 << 16);
            for _ in 0..attempts {
                let Some(c) = alloc.pick(eligible) else {
                    break;
                };
                let (addr, len) = if ctx.is_pd() {
                    // The allocator works on one index space per pool (see build).
                    let Some((p, i)) = pd_candidate(&s, c) else {
                        continue;
                    };
                    (p.prefix_at(i), p.delegated_len)
                } else {
                    (Ipv6Addr::from(c), 128)
                };
                if self.reserved_for_other(ctx, &s, addr) {
                    continue;
                }
                if let Some((lease, events)) = self.try_take(ctx, &s, addr, len)? {
                    return Ok(Ok(IaGrant {
                        leases: vec![lease],
                        subnet: s,
                        events,
                    }));
                }
            }
        }
        Ok(Err(IaFailure::Exhausted {
            shared_network: ctx.subnet.shared_network.is_some(),
            no_pools: !any_pool,
        }))
    }

    /// RELEASE of one address or prefix of the IA: `Ok(Some)` when it was the client's.
    pub fn release(&self, ctx: &IaContext, addr: Ipv6Addr) -> Result<Option<Lease6>, StoreError> {
        let Some(l) = self.store.get(ctx.lease_type, addr) else {
            return Ok(None);
        };
        if l.duid != ctx.duid || l.iaid != ctx.iaid {
            return Ok(None);
        }
        if self.store.delete(ctx.lease_type, addr).map_err(err)? {
            if let Some(s) = self.cfg.subnet(l.subnet_id) {
                free(s, &l);
            }
            return Ok(Some(l));
        }
        Ok(None)
    }

    /// DECLINE of one address: probation for `probation` seconds.
    pub fn decline(
        &self,
        ctx: &IaContext,
        addr: Ipv6Addr,
        probation: u32,
    ) -> Result<Option<Lease6>, StoreError> {
        let Some(l) = self.store.get(LeaseType::Na, addr) else {
            return Ok(None);
        };
        if l.duid != ctx.duid || l.iaid != ctx.iaid {
            return Ok(None);
        }
        let declined = Lease6 {
            duid: vec![0],
            hwaddr: None,
            valid_lft: probation,
            preferred_lft: 0,
            cltt: ctx.now,
            fqdn_fwd: false,
            fqdn_rev: false,
            hostname: String::new(),
            state: LeaseState::Declined,
            user_context: None,
            ..l.clone()
        };
        self.store.update(&declined).map_err(err)?;
        Ok(Some(l))
    }
}

/// Maps an allocator candidate of the PD allocator to its pool and index: the PD allocator's
/// ranges are laid out one after another (pool `k` covers its own index range).
pub fn pd_candidate(s: &Subnet6, c: u128) -> Option<(&super::cfg::PdPool6, u128)> {
    let k = s.pd_alloc.pool_index(c)?;
    let p = s.pd_pools.get(k)?;
    let first = s.pd_alloc.pools().get(k)?.first;
    Some((p, c - first))
}

/// Returns a freed lease's address or prefix to its allocator (free lease queue).
pub fn free(s: &Subnet6, l: &Lease6) {
    if l.lease_type == LeaseType::Pd {
        for (k, p) in s.pd_pools.iter().enumerate() {
            if let (Some(i), Some(r)) =
                (p.index_of(l.addr, l.prefix_len), s.pd_alloc.pools().get(k))
            {
                s.pd_alloc.mark_free(r.first + i);
            }
        }
    } else {
        s.na_alloc.mark_free(u128::from(l.addr));
    }
}
