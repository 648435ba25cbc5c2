//! Processing of one DHCPv6 query: from a decoded [`Pkt6`] to the reply (RFC 8415 §18.3;
//! ARM `dhcp6-srv.rst`). Replies carry the client's and the server's identifiers, one IA
//! per IA in the query, the requested options by precedence, sorted by code as Kea sends
//! them, wrapped in the relay layers the query came through.

use std::net::{IpAddr, Ipv6Addr};
use std::sync::Arc;

use kea_dhcp::codes6::*;
use kea_dhcp::ia::{Ia, IaAddr, IaPrefix, StatusCode};
use kea_dhcp::pkt6::RelaySearch;
use kea_dhcp::{Opt, Pkt6};
use kea_eval::Pkt6View;
use kea_lease::{HwAddr, LeaseType};
use kea_stats::StatsMgr;

use super::cfg::{SrvConfig6, Subnet6};
use super::engine::{AllocEngine6, IaContext, IaFailure, LeaseEvent6, LeaseStore6};
use super::select::{Selector6, select_subnet6};
use crate::classes::{ClientClasses, EvalStage};
use crate::host::{GLOBAL_SUBNET_ID, Host6, IdentifierType};
use crate::options::Precedence;
use crate::v4::engine::StoreError;

/// Where a query arrived.
#[derive(Debug, Clone)]
pub struct RecvInfo6<'a> {
    /// Receiving interface.
    pub iface: &'a str,
    /// Destination address of the datagram.
    pub local: Ipv6Addr,
    /// Source address of the datagram.
    pub remote: Ipv6Addr,
}

/// Why a query is not answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DropReason6 {
    /// A message type the server does not answer.
    BadMessageType,
    /// Missing or forbidden client/server identifier (RFC 8415 §16).
    IdentifierRule,
    /// The server identifier names another server.
    NotForUs,
    /// No subnet for the client.
    NoSubnet,
    /// Classified into `DROP`.
    ClassDrop,
    /// Serving is disabled.
    Disabled,
    /// The lease store failed.
    StoreFailure,
    /// Nothing to answer (e.g. a CONFIRM without addresses).
    NothingToDo,
}

impl DropReason6 {
    /// Kea's log message id for the drop.
    pub fn msgid(self) -> &'static str {
        match self {
            Self::BadMessageType => "DHCP6_UNKNOWN_MSG_RECEIVED",
            Self::IdentifierRule => "DHCP6_PACKET_DROP_PARSE_FAIL",
            Self::NotForUs => "DHCP6_PACKET_DROP_SERVERID_MISMATCH",
            Self::NoSubnet => "DHCP6_SUBNET_SELECTION_FAILED",
            Self::ClassDrop => "DHCP6_PACKET_DROP_DROP_CLASS",
            Self::Disabled => "DHCP6_PACKET_DROP_DHCP_DISABLED",
            Self::StoreFailure => "DHCP6_PACKET_PROCESS_EXCEPTION",
            Self::NothingToDo => "DHCP6_PACKET_DROP_UNICAST",
        }
    }
}

/// A reply and the classes the query ended in.
#[derive(Debug, Clone)]
pub struct Response6 {
    /// The reply, with relay layers when the query was relayed.
    pub pkt: Pkt6,
}

/// Result of processing one query.
pub type Outcome6 = Result<Response6, DropReason6>;

fn bump(stats: &StatsMgr, name: &str, delta: i64) {
    let _ = stats.add_value(name, delta);
}

/// Counts a received message (`pkt6-received` and `pkt6-<type>-received`).
pub fn count_received6(stats: &StatsMgr, msg_type: Option<u8>) {
    bump(stats, "pkt6-received", 1);
    let name = match msg_type {
        None => return,
        Some(DHCPV6_SOLICIT) => "pkt6-solicit-received",
        Some(DHCPV6_ADVERTISE) => "pkt6-advertise-received",
        Some(DHCPV6_REQUEST) => "pkt6-request-received",
        Some(DHCPV6_REPLY) => "pkt6-reply-received",
        Some(DHCPV6_RENEW) => "pkt6-renew-received",
        Some(DHCPV6_REBIND) => "pkt6-rebind-received",
        Some(DHCPV6_RELEASE) => "pkt6-release-received",
        Some(DHCPV6_DECLINE) => "pkt6-decline-received",
        Some(DHCPV6_INFORMATION_REQUEST) => "pkt6-infrequest-received",
        Some(DHCPV6_DHCPV4_QUERY) => "pkt6-dhcpv4-query-received",
        Some(DHCPV6_DHCPV4_RESPONSE) => "pkt6-dhcpv4-response-received",
        Some(_) => "pkt6-unknown-received",
    };
    bump(stats, name, 1);
}

/// Counts a sent reply.
pub fn count_sent6(stats: &StatsMgr, msg_type: u8) {
    bump(stats, "pkt6-sent", 1);
    let name = match msg_type {
        DHCPV6_ADVERTISE => "pkt6-advertise-sent",
        DHCPV6_REPLY => "pkt6-reply-sent",
        DHCPV6_DHCPV4_RESPONSE => "pkt6-dhcpv4-response-sent",
        _ => return,
    };
    bump(stats, name, 1);
}

/// Applies lease events to the statistics.
pub fn count_lease_events6(stats: &StatsMgr, events: &[LeaseEvent6]) {
    let kind = |t: LeaseType| if t == LeaseType::Pd { "pds" } else { "nas" };
    for e in events {
        match *e {
            LeaseEvent6::Assigned {
                subnet_id,
                lease_type,
            } => {
                let k = kind(lease_type);
                bump(stats, &format!("subnet[{subnet_id}].assigned-{k}"), 1);
                bump(
                    stats,
                    &format!("subnet[{subnet_id}].cumulative-assigned-{k}"),
                    1,
                );
                bump(stats, &format!("cumulative-assigned-{k}"), 1);
            }
            LeaseEvent6::Unassigned {
                subnet_id,
                lease_type,
            } => {
                let k = kind(lease_type);
                bump(stats, &format!("subnet[{subnet_id}].assigned-{k}"), -1);
            }
            LeaseEvent6::Declined { subnet_id } => {
                bump(stats, &format!("subnet[{subnet_id}].declined-addresses"), 1);
                bump(stats, "declined-addresses", 1);
            }
        }
    }
}

/// The DHCPv6 message processor for one packet.
pub struct Dhcp6Processor<'a, S: LeaseStore6> {
    /// Configuration snapshot.
    pub cfg: &'a SrvConfig6,
    /// Lease backend.
    pub store: &'a S,
    /// Statistics.
    pub stats: &'a StatsMgr,
    /// Unix time now.
    pub now: i64,
}

/// The client of a query once its subnet, reservations and classes are known.
struct Client6 {
    subnet: Arc<Subnet6>,
    hosts: Vec<(u32, Arc<Host6>)>,
    classes: ClientClasses,
}

/// What the processor extracted from the query.
struct Query6<'p> {
    pkt: &'p Pkt6,
    duid: Option<Vec<u8>>,
    oro: Vec<u16>,
}

/// Kea's status texts.
const TEXT_NO_ADDRS: &str = "Sorry, no addresses could be assigned at this time.";
const TEXT_NO_PREFIXES: &str = "Sorry, no prefixes could be assigned at this time.";
const TEXT_RELEASED: &str = "Lease released. Thank you, please come again.";
const TEXT_NO_BINDING_RELEASE: &str = "Sorry, no known leases for this duid/iaid, can't release.";
const TEXT_DECLINE_UNKNOWN: &str = "Server does not know about such an address.";
const TEXT_DECLINED: &str = "Lease declined. Hopefully the next one will be better.";
const TEXT_ON_LINK: &str = "All addresses are on-link";
const TEXT_NOT_ON_LINK: &str = "Some addresses are not on-link.";

impl<S: LeaseStore6> Dhcp6Processor<'_, S> {
    /// Processes one query.
    pub fn process(&self, pkt: &Pkt6, info: &RecvInfo6<'_>) -> Outcome6 {
        let t = pkt.msg_type;
        if !matches!(
            t,
            DHCPV6_SOLICIT
                | DHCPV6_REQUEST
                | DHCPV6_CONFIRM
                | DHCPV6_RENEW
                | DHCPV6_REBIND
                | DHCPV6_RELEASE
                | DHCPV6_DECLINE
                | DHCPV6_INFORMATION_REQUEST
        ) {
            return Err(DropReason6::BadMessageType);
        }
        let q = Query6 {
            pkt,
            duid: pkt.options.data(D6O_CLIENTID).map(<[u8]>::to_vec),
            oro: pkt
                .options
                .data(D6O_ORO)
                .and_then(|d| kea_dhcp::opts6::parse_oro(d).ok())
                .unwrap_or_default(),
        };
        self.sanity_check(&q)?;

        let mut classes = ClientClasses::new();
        classes.insert("ALL");
        let view = Pkt6View::new(pkt).with_metadata(
            info.iface,
            IpAddr::V6(info.remote),
            IpAddr::V6(info.local),
        );
        self.classify(&view, &mut classes, EvalStage::Early);
        if classes.contains("DROP") {
            return Err(DropReason6::ClassDrop);
        }
        let first_relay = pkt.relay_info.last();
        let selector = Selector6 {
            first_relay_linkaddr: first_relay.map(|r| r.link_addr),
            interface_id: pkt
                .relay_option(D6O_INTERFACE_ID, RelaySearch::FromClient)
                .map(|o| o.data.as_slice()),
            remote: first_relay.map(|r| r.peer_addr).unwrap_or(info.remote),
            iface_name: info.iface,
        };
        let subnet = select_subnet6(self.cfg, &selector, &classes);
        let hosts = self.find_hosts(&q, subnet.as_ref());
        classes.insert(if hosts.is_empty() { "UNKNOWN" } else { "KNOWN" });
        for (_, h) in &hosts {
            for c in &h.client_classes {
                classes.insert(c.clone());
            }
        }
        self.classify(&view, &mut classes, EvalStage::AfterHostLookup);
        if classes.contains("DROP") {
            return Err(DropReason6::ClassDrop);
        }
        if let Some(s) = &subnet {
            self.require_classes(&view, &mut classes, s);
        }
        match t {
            DHCPV6_INFORMATION_REQUEST => {
                let mut reply = self.reply_base(&q, DHCPV6_REPLY);
                self.add_options(&q, subnet.as_deref(), &hosts, &classes, &mut reply);
                Ok(self.finish(reply))
            }
            DHCPV6_CONFIRM => self.confirm(&q, subnet.as_deref()),
            _ => {
                let subnet = subnet.ok_or(DropReason6::NoSubnet)?;
                self.with_leases(&q, t, subnet, hosts, classes)
            }
        }
    }

    /// RFC 8415 §16: which identifiers each message must and must not carry.
    fn sanity_check(&self, q: &Query6<'_>) -> Result<(), DropReason6> {
        let t = q.pkt.msg_type;
        let has_server = q.pkt.options.contains(D6O_SERVERID);
        if q.duid.is_none() && t != DHCPV6_INFORMATION_REQUEST {
            return Err(DropReason6::IdentifierRule);
        }
        match t {
            DHCPV6_SOLICIT | DHCPV6_CONFIRM | DHCPV6_REBIND if has_server => {
                return Err(DropReason6::IdentifierRule);
            }
            DHCPV6_REQUEST | DHCPV6_RENEW | DHCPV6_RELEASE | DHCPV6_DECLINE if !has_server => {
                return Err(DropReason6::IdentifierRule);
            }
            _ => {}
        }
        if let Some(sid) = q.pkt.options.data(D6O_SERVERID)
            && sid != self.cfg.global.server_id.as_slice()
        {
            return Err(DropReason6::NotForUs);
        }
        Ok(())
    }

    /// Evaluates the `test` or `template-test` of every class of `stage`, in configuration
    /// order.
    fn classify(&self, view: &Pkt6View<'_>, classes: &mut ClientClasses, stage: EvalStage) {
        for c in self.cfg.classes.iter().filter(|c| c.stage == stage) {
            if let Some(t) = &c.test {
                classes.evaluate(&c.name, t, view);
            }
        }
    }

    fn require_classes(&self, view: &Pkt6View<'_>, classes: &mut ClientClasses, s: &Subnet6) {
        let net = self.cfg.network_of(s);
        let names = net
            .map(|n| n.require_client_classes.as_slice())
            .unwrap_or(&[])
            .iter()
            .chain(&s.require_client_classes)
            .chain(s.pools.iter().flat_map(|p| &p.require_client_classes))
            .chain(s.pd_pools.iter().flat_map(|p| &p.require_client_classes));
        for name in names {
            if classes.contains(name) {
                continue;
            }
            let Some(c) = self.cfg.class(name) else {
                continue;
            };
            match &c.test {
                None => classes.insert(name.clone()),
                Some(t) => {
                    classes.evaluate(name, t, view);
                }
            }
        }
    }

    fn identifiers(&self, q: &Query6<'_>) -> Vec<(IdentifierType, Vec<u8>)> {
        let hw = q
            .duid
            .as_deref()
            .and_then(|d| kea_dhcp::Duid::from_bytes(d).ok())
            .and_then(|d| d.hwaddr().map(|(_, b)| b.to_vec()));
        self.cfg
            .global
            .host_reservation_identifiers
            .iter()
            .filter_map(|t| {
                let v = match t {
                    IdentifierType::Duid => q.duid.clone(),
                    IdentifierType::HwAddress => hw.clone(),
                    _ => None,
                }?;
                Some((*t, v))
            })
            .collect()
    }

    fn find_hosts(&self, q: &Query6<'_>, subnet: Option<&Arc<Subnet6>>) -> Vec<(u32, Arc<Host6>)> {
        let mut out = Vec::new();
        if self.cfg.hosts.is_empty() {
            return out;
        }
        let ids = self.identifiers(q);
        let global = subnet.map_or(self.cfg.params.reservations_global, |s| {
            s.params.reservations_global
        });
        if let Some(s) = subnet {
            for sib in self.cfg.siblings(s) {
                if sib.params.reservations_in_subnet
                    && let Some(h) = self.cfg.hosts.find(sib.id, &ids)
                {
                    out.push((sib.id, h.clone()));
                }
            }
        }
        if global && let Some(h) = self.cfg.hosts.find(GLOBAL_SUBNET_ID, &ids) {
            out.push((GLOBAL_SUBNET_ID, h.clone()));
        }
        out
    }

    fn reply_base(&self, q: &Query6<'_>, msg_type: u8) -> Pkt6 {
        let mut reply = Pkt6::reply_to(q.pkt, msg_type);
        if let Some(c) = q.pkt.options.get(D6O_CLIENTID) {
            reply.options.insert(c.clone());
        }
        reply
            .options
            .insert(Opt::new(D6O_SERVERID, self.cfg.global.server_id.clone()));
        reply
    }

    fn finish(&self, mut reply: Pkt6) -> Response6 {
        reply.options.sort_by_code();
        Response6 { pkt: reply }
    }

    fn store_failure(&self, e: StoreError) -> DropReason6 {
        tracing::error!(target: "kea-dhcp6.dhcp6", msgid = "DHCP6_PACKET_PROCESS_EXCEPTION",
                        "exception occurred during packet processing: {e}");
        DropReason6::StoreFailure
    }

    /// Options requested (ORO) or always sent, from the most specific level that has them.
    fn add_options(
        &self,
        q: &Query6<'_>,
        subnet: Option<&Subnet6>,
        hosts: &[(u32, Arc<Host6>)],
        classes: &ClientClasses,
        reply: &mut Pkt6,
    ) {
        let host = subnet
            .and_then(|s| hosts.iter().find(|(id, _)| *id == s.id))
            .or_else(|| hosts.iter().find(|(id, _)| *id == GLOBAL_SUBNET_ID))
            .map(|(_, h)| h.clone());
        let class_defs: Vec<_> = classes.iter().filter_map(|c| self.cfg.class(c)).collect();
        let mut prec = Precedence::default();
        if let Some(h) = &host {
            prec.push(&h.options);
        }
        for c in &class_defs {
            prec.push(&c.options);
        }
        if let Some(s) = subnet {
            prec.push(&s.options);
            if let Some(n) = self.cfg.network_of(s) {
                prec.push(&n.options);
            }
        }
        prec.push(&self.cfg.options);
        for code in prec.codes_to_send(&q.oro) {
            if matches!(
                code,
                D6O_CLIENTID | D6O_SERVERID | D6O_IA_NA | D6O_IA_PD | D6O_STATUS_CODE
            ) {
                continue;
            }
            if let Some(o) = prec.lookup(code) {
                reply.options.insert(Opt::new(code, o.data.clone()));
            }
        }
    }

    fn ia_context(
        &self,
        q: &Query6<'_>,
        client: &Client6,
        ia: &Ia,
        lease_type: LeaseType,
        fake: bool,
    ) -> IaContext {
        let Client6 {
            subnet,
            hosts,
            classes,
        } = client;
        let hints: Vec<(Ipv6Addr, u8)> = if lease_type == LeaseType::Pd {
            ia.prefixes().map(|p| (p.prefix, p.prefix_len)).collect()
        } else {
            ia.addresses().map(|a| (a.addr, 128)).collect()
        };
        let lifetime_hints = if lease_type == LeaseType::Pd {
            ia.prefixes()
                .next()
                .map(|p| (p.preferred_lifetime, p.valid_lifetime))
        } else {
            ia.addresses()
                .next()
                .map(|a| (a.preferred_lifetime, a.valid_lifetime))
        }
        .map(|(p, v)| ((p != 0).then_some(p), (v != 0).then_some(v)))
        .unwrap_or((None, None));
        let hostname = hosts
            .iter()
            .find(|(id, _)| *id == subnet.id || *id == GLOBAL_SUBNET_ID)
            .map(|(_, h)| h.hostname.clone())
            .unwrap_or_default();
        let hwaddr = q
            .duid
            .as_deref()
            .and_then(|d| kea_dhcp::Duid::from_bytes(d).ok())
            .and_then(|d| {
                d.hwaddr().map(|(t, b)| HwAddr {
                    htype: t,
                    bytes: b.to_vec(),
                    source: kea_lease::hwaddr::source::DUID,
                })
            });
        IaContext {
            subnet: subnet.clone(),
            duid: q.duid.clone().unwrap_or_default(),
            hwaddr,
            iaid: ia.iaid,
            lease_type,
            hints,
            lifetime_hints,
            hosts: hosts.clone(),
            classes: classes.clone(),
            hostname,
            fake,
            now: self.now,
        }
    }

    /// SOLICIT, REQUEST, RENEW, REBIND, RELEASE and DECLINE: one answer IA per query IA.
    fn with_leases(
        &self,
        q: &Query6<'_>,
        t: u8,
        subnet: Arc<Subnet6>,
        hosts: Vec<(u32, Arc<Host6>)>,
        classes: ClientClasses,
    ) -> Outcome6 {
        let rapid = t == DHCPV6_SOLICIT
            && subnet.params.rapid_commit
            && q.pkt.options.contains(D6O_RAPID_COMMIT);
        let reply_type = if t == DHCPV6_SOLICIT && !rapid {
            DHCPV6_ADVERTISE
        } else {
            DHCPV6_REPLY
        };
        let fake = t == DHCPV6_SOLICIT && !rapid;
        let mut reply = self.reply_base(q, reply_type);
        if rapid {
            reply.options.insert(Opt::new(D6O_RAPID_COMMIT, Vec::new()));
        }
        let engine = AllocEngine6::new(self.cfg, self.store);
        let mut summary: Option<u16> = None;
        let client = Client6 {
            subnet: subnet.clone(),
            hosts,
            classes,
        };
        for opt in q.pkt.options.iter() {
            let lease_type = match opt.code {
                D6O_IA_NA => LeaseType::Na,
                D6O_IA_PD => LeaseType::Pd,
                _ => continue,
            };
            let Ok(ia) = Ia::parse(opt.code, &opt.data) else {
                continue;
            };
            let ctx = self.ia_context(q, &client, &ia, lease_type, fake);
            let out = match t {
                DHCPV6_RELEASE => {
                    let (ia, code) = self.release_ia(&engine, &ctx, &ia)?;
                    summary = Some(summary.map_or(code, |c: u16| c.max(code)));
                    ia
                }
                DHCPV6_DECLINE => {
                    // Kea answers a DECLINE with the IA statuses only.
                    self.decline_ia(&engine, &ctx, &ia)?.0
                }
                _ => self.assign_ia(&engine, &ctx, &subnet)?,
            };
            let encoded = if lease_type == LeaseType::Pd {
                out.to_ia_pd()
            } else {
                out.to_ia_na()
            };
            if let Ok(o) = encoded {
                reply.options.insert(o);
            }
        }
        if t == DHCPV6_DECLINE {
            // No options besides the identifiers and the IAs.
        } else if let Some(code) = summary {
            reply
                .options
                .insert(StatusCode::new(code, "Summary status for all processed IA_NAs").to_opt());
        } else {
            self.add_options(q, Some(&subnet), &client.hosts, &client.classes, &mut reply);
        }
        Ok(self.finish(reply))
    }

    fn assign_ia(
        &self,
        engine: &AllocEngine6<'_, S>,
        ctx: &IaContext,
        subnet: &Subnet6,
    ) -> Result<Ia, DropReason6> {
        match engine.assign(ctx).map_err(|e| self.store_failure(e))? {
            Ok(grant) => {
                count_lease_events6(self.stats, &grant.events);
                let pd = ctx.lease_type == LeaseType::Pd;
                let msgid = match (ctx.fake, pd) {
                    (true, false) => "DHCP6_LEASE_ADVERT",
                    (true, true) => "DHCP6_PD_LEASE_ADVERT",
                    (false, false) => "DHCP6_LEASE_ALLOC",
                    (false, true) => "DHCP6_PD_LEASE_ALLOC",
                };
                for l in &grant.leases {
                    tracing::debug!(target: "kea-dhcp6.leases", msgid,
                        "duid=[{}], iaid={}: lease {}/{} for {} seconds",
                        kea_lease::hex::to_colon_hex(&ctx.duid), ctx.iaid, l.addr, l.prefix_len, l.valid_lft);
                }
                let pref = grant
                    .leases
                    .iter()
                    .map(|l| l.preferred_lft)
                    .min()
                    .unwrap_or(0);
                let (t1, t2) = grant.subnet.params.tee.compute(pref);
                let mut ia = Ia::new(ctx.iaid, t1.unwrap_or(0), t2.unwrap_or(0));
                for l in &grant.leases {
                    let sub = if ctx.lease_type == LeaseType::Pd {
                        IaPrefix::new(l.addr, l.prefix_len, l.preferred_lft, l.valid_lft).to_opt()
                    } else {
                        IaAddr::new(l.addr, l.preferred_lft, l.valid_lft).to_opt()
                    };
                    if let Ok(o) = sub {
                        ia.options.insert(o);
                    }
                }
                Ok(ia)
            }
            Err(IaFailure::Exhausted {
                shared_network,
                no_pools,
            }) => {
                let kind = if ctx.lease_type == LeaseType::Pd {
                    "v6-ia-pd"
                } else {
                    "v6"
                };
                let which = if no_pools {
                    "no-pools"
                } else if shared_network {
                    "shared-network"
                } else {
                    "subnet"
                };
                for n in [
                    format!("{kind}-allocation-fail"),
                    format!("{kind}-allocation-fail-{which}"),
                ] {
                    bump(self.stats, &n, 1);
                    bump(self.stats, &format!("subnet[{}].{n}", subnet.id), 1);
                }
                let mut ia = Ia::new(ctx.iaid, 0, 0);
                let status = if ctx.lease_type == LeaseType::Pd {
                    StatusCode::new(STATUS_NO_PREFIX_AVAIL, TEXT_NO_PREFIXES)
                } else {
                    StatusCode::new(STATUS_NO_ADDRS_AVAIL, TEXT_NO_ADDRS)
                };
                ia.options.insert(status.to_opt());
                Ok(ia)
            }
        }
    }

    fn release_ia(
        &self,
        engine: &AllocEngine6<'_, S>,
        ctx: &IaContext,
        ia: &Ia,
    ) -> Result<(Ia, u16), DropReason6> {
        let mut any = false;
        for (addr, _) in &ctx.hints {
            if let Some(l) = engine
                .release(ctx, *addr)
                .map_err(|e| self.store_failure(e))?
            {
                any = true;
                count_lease_events6(
                    self.stats,
                    &[LeaseEvent6::Unassigned {
                        subnet_id: l.subnet_id,
                        lease_type: l.lease_type,
                    }],
                );
            }
        }
        let mut out = Ia::new(ia.iaid, 0, 0);
        let (code, text) = if any {
            (STATUS_SUCCESS, TEXT_RELEASED)
        } else {
            (STATUS_NO_BINDING, TEXT_NO_BINDING_RELEASE)
        };
        out.options.insert(StatusCode::new(code, text).to_opt());
        Ok((out, code))
    }

    fn decline_ia(
        &self,
        engine: &AllocEngine6<'_, S>,
        ctx: &IaContext,
        ia: &Ia,
    ) -> Result<(Ia, u16), DropReason6> {
        let mut out = Ia::new(ia.iaid, 0, 0);
        let mut code = STATUS_SUCCESS;
        for (addr, _) in &ctx.hints {
            match engine
                .decline(ctx, *addr, self.cfg.global.decline_probation_period)
                .map_err(|e| self.store_failure(e))?
            {
                Some(l) => count_lease_events6(
                    self.stats,
                    &[LeaseEvent6::Declined {
                        subnet_id: l.subnet_id,
                    }],
                ),
                None => code = STATUS_NO_BINDING,
            }
        }
        let text = if code == STATUS_SUCCESS {
            TEXT_DECLINED
        } else {
            TEXT_DECLINE_UNKNOWN
        };
        out.options.insert(StatusCode::new(code, text).to_opt());
        Ok((out, code))
    }

    /// CONFIRM (RFC 8415 §18.3.3): are the client's addresses on the link it is on?
    fn confirm(&self, q: &Query6<'_>, subnet: Option<&Subnet6>) -> Outcome6 {
        let addrs: Vec<Ipv6Addr> = q
            .pkt
            .options
            .get_all(D6O_IA_NA)
            .filter_map(|o| Ia::parse(o.code, &o.data).ok())
            .flat_map(|ia| ia.addresses().map(|a| a.addr).collect::<Vec<_>>())
            .collect();
        if addrs.is_empty() {
            return Err(DropReason6::NothingToDo);
        }
        let on_link = subnet.and_then(|s| self.cfg.subnet(s.id)).is_some_and(|s| {
            let link = self.cfg.siblings(s);
            addrs.iter().all(|a| link.iter().any(|x| x.in_range(*a)))
        });
        let mut reply = self.reply_base(q, DHCPV6_REPLY);
        let status = if on_link {
            StatusCode::new(STATUS_SUCCESS, TEXT_ON_LINK)
        } else {
            StatusCode::new(STATUS_NOT_ON_LINK, TEXT_NOT_ON_LINK)
        };
        reply.options.insert(status.to_opt());
        Ok(self.finish(reply))
    }
}
