//! Processing of one DHCPv4 query: from a decoded [`Pkt4`] to the reply and where it goes.
//!
//! ARM `dhcp4-srv.rst` (exchanges, "Server Identifier in DHCPv4", "Authoritative DHCPv4 Server
//! Behavior", "Echoing Client-ID", "Next Server (siaddr)") and RFC 2131 §4.1 (reply
//! destination) and §4.3 (server behaviour per message and client state).

use std::net::Ipv4Addr;
use std::sync::Arc;

use kea_dhcp::codes::*;
use kea_dhcp::rai::RelayAgentInfo;
use kea_dhcp::{MessageType, Opt, Pkt4};
use kea_lease::{HwAddr as LeaseHwAddr, Lease4};
use kea_stats::StatsMgr;
use tracing::debug;

use super::cfg::EvalStage;
use super::cfg::{SrvConfig4, Subnet4};
use super::engine::{
    AllocEngine4, AllocFailure, Allocation, ClientContext4, LeaseEvent, LeaseStore4, StoreError,
};
use super::select::{Selector, select_subnet};
use crate::classes::ClientClasses;
use crate::host::{GLOBAL_SUBNET_ID, Host4, IdentifierType};
use crate::options::Precedence;
use kea_eval::Pkt4View;
use kea_ncr::{ChangeType, NameChangeRequest};
use std::net::IpAddr;

use super::ddns::{ClientName4, process_client_name};
use crate::ddns::{ncr_for_lease4, ncrs_for_grant4};

/// Where and how a query arrived.
#[derive(Debug, Clone)]
pub struct RecvInfo<'a> {
    /// Receiving interface name.
    pub iface: &'a str,
    /// IPv4 addresses of the receiving interface.
    pub iface_addrs: &'a [Ipv4Addr],
    /// Destination address of the datagram.
    pub local: Ipv4Addr,
    /// Source address of the datagram.
    pub remote: Ipv4Addr,
    /// Source port of the datagram.
    pub remote_port: u16,
    /// Whether the socket can unicast to a client that has no address yet (raw sockets).
    pub direct_response: bool,
}

/// Where a reply goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// To the relay at giaddr, on the server port (or the RAI relay-port).
    Relay {
        /// The relay's address.
        addr: Ipv4Addr,
        /// RFC 8357 relay port, when the relay asked for one.
        port: Option<u16>,
    },
    /// To a client that has an address (ciaddr), on the client port.
    Unicast(Ipv4Addr),
    /// To a client without an address yet, straight to its hardware address.
    Direct {
        /// The address being given.
        addr: Ipv4Addr,
        /// Hardware address from chaddr.
        mac: Vec<u8>,
    },
    /// To 255.255.255.255 on the receiving interface.
    Broadcast,
}

/// A reply ready to be sent.
#[derive(Debug, Clone)]
pub struct Response4 {
    /// The message.
    pub pkt: Pkt4,
    /// Where to send it.
    pub dst: Destination,
    /// Source address to send from.
    pub src: Ipv4Addr,
}

/// Why a query got no reply (each is counted in `pkt4-receive-drop`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DropReason {
    /// No option 53: a BOOTP request (Kea's "is this a BOOTP packet?").
    NoMessageType,
    /// An unsupported message type.
    BadMessageType,
    /// Neither chaddr nor a client identifier.
    NoClientIdentity,
    /// A server identifier option where it must not be, or missing where it must be.
    ServerIdRule,
    /// The server identifier names another server.
    NotForUs,
    /// A direct query that was neither broadcast nor from a configured client.
    NotAcceptedDirect,
    /// No subnet for the client.
    NoSubnet,
    /// No lease could be offered.
    NoLease,
    /// INIT-REBOOT from a client the server knows nothing about (not authoritative).
    UnknownInitReboot,
    /// Serving is disabled (`dhcp-disable`).
    Disabled,
    /// The lease store failed.
    StoreFailure,
    /// The packet was classified into `DROP`.
    ClassDrop,
    /// DDNS (issue 8): the Client FQDN option is malformed or has both N and S set.
    BadClientFqdn,
}

impl DropReason {
    /// Kea's log message id for the drop.
    pub fn msgid(self) -> &'static str {
        match self {
            Self::NoMessageType => "DHCP4_PACKET_DROP_0009",
            Self::BadMessageType => "DHCP4_PACKET_DROP_0003",
            Self::NoClientIdentity => "DHCP4_PACKET_DROP_0004",
            Self::ServerIdRule | Self::NotForUs => "DHCP4_PACKET_DROP_0001",
            Self::NotAcceptedDirect => "DHCP4_PACKET_DROP_0002",
            Self::NoSubnet => "DHCP4_SUBNET_SELECTION_FAILED",
            Self::NoLease => "DHCP4_PACKET_NAK_0001",
            Self::UnknownInitReboot => "DHCP4_NO_LEASE_INIT_REBOOT",
            Self::Disabled => "DHCP4_PACKET_DROP_0008",
            Self::StoreFailure => "DHCP4_PACKET_PROCESS_EXCEPTION",
            Self::ClassDrop => "DHCP4_PACKET_DROP_0010",
            Self::BadClientFqdn => "DHCP4_PACKET_DROP_0001",
        }
    }
}

/// Result of processing one query.
pub type Outcome = Result<Response4, DropReason>;

fn bump(stats: &StatsMgr, name: &str, delta: i64) {
    // Every name we touch is an integer statistic, so adding cannot fail on type.
    let _ = stats.add_value(name, delta);
}

/// Counts a received message by type (`pkt4-received` and `pkt4-<type>-received`).
pub fn count_received(stats: &StatsMgr, pkt: Option<&Pkt4>) {
    bump(stats, "pkt4-received", 1);
    let name = match pkt.and_then(Pkt4::msg_type) {
        Some(MessageType::Discover) => "pkt4-discover-received",
        Some(MessageType::Offer) => "pkt4-offer-received",
        Some(MessageType::Request) => "pkt4-request-received",
        Some(MessageType::Ack) => "pkt4-ack-received",
        Some(MessageType::Nak) => "pkt4-nak-received",
        Some(MessageType::Release) => "pkt4-release-received",
        Some(MessageType::Decline) => "pkt4-decline-received",
        Some(MessageType::Inform) => "pkt4-inform-received",
        _ if pkt.is_none() => return,
        _ => "pkt4-unknown-received",
    };
    bump(stats, name, 1);
}

/// Counts a sent reply (`pkt4-sent` and `pkt4-<type>-sent`).
pub fn count_sent(stats: &StatsMgr, msg_type: Option<MessageType>) {
    bump(stats, "pkt4-sent", 1);
    let name = match msg_type {
        Some(MessageType::Offer) => "pkt4-offer-sent",
        Some(MessageType::Ack) => "pkt4-ack-sent",
        Some(MessageType::Nak) => "pkt4-nak-sent",
        _ => return,
    };
    bump(stats, name, 1);
}

/// Applies lease events to the statistics.
pub fn count_lease_events(stats: &StatsMgr, events: &[LeaseEvent]) {
    for e in events {
        match *e {
            LeaseEvent::Assigned { subnet_id } => {
                bump(stats, &format!("subnet[{subnet_id}].assigned-addresses"), 1);
                bump(
                    stats,
                    &format!("subnet[{subnet_id}].cumulative-assigned-addresses"),
                    1,
                );
                bump(stats, "cumulative-assigned-addresses", 1);
            }
            LeaseEvent::Unassigned { subnet_id } => {
                bump(
                    stats,
                    &format!("subnet[{subnet_id}].assigned-addresses"),
                    -1,
                );
            }
            LeaseEvent::Declined { subnet_id } => {
                bump(stats, &format!("subnet[{subnet_id}].declined-addresses"), 1);
                bump(stats, "declined-addresses", 1);
            }
            LeaseEvent::ReservationConflict { subnet_id } => {
                bump(
                    stats,
                    &format!("subnet[{subnet_id}].v4-reservation-conflicts"),
                    1,
                );
                bump(stats, "v4-reservation-conflicts", 1);
            }
            LeaseEvent::ExpiredReused {
                subnet_id,
                was_declined,
            } => {
                bump(
                    stats,
                    &format!("subnet[{subnet_id}].assigned-addresses"),
                    -1,
                );
                if was_declined {
                    bump(
                        stats,
                        &format!("subnet[{subnet_id}].declined-addresses"),
                        -1,
                    );
                    bump(stats, "declined-addresses", -1);
                }
            }
        }
    }
}

fn count_alloc_failure(stats: &StatsMgr, subnet_id: u32, f: &AllocFailure) {
    let AllocFailure::NoAddress {
        shared_network,
        no_pools,
        classes,
    } = *f
    else {
        return;
    };
    let mut names = vec!["v4-allocation-fail"];
    names.push(if no_pools {
        "v4-allocation-fail-no-pools"
    } else if shared_network {
        "v4-allocation-fail-shared-network"
    } else {
        "v4-allocation-fail-subnet"
    });
    if classes {
        names.push("v4-allocation-fail-classes");
    }
    for n in names {
        bump(stats, n, 1);
        bump(stats, &format!("subnet[{subnet_id}].{n}"), 1);
    }
}

/// The DHCPv4 message processor: one configuration snapshot, one lease store, statistics.
pub struct Dhcp4Processor<'a, S: LeaseStore4> {
    /// Configuration snapshot for this packet.
    pub cfg: &'a SrvConfig4,
    /// Lease backend.
    pub store: &'a S,
    /// Statistics.
    pub stats: &'a StatsMgr,
    /// Current time, unix seconds.
    pub now: i64,
    /// DDNS (issue 8): where the name change requests of this query go (`None`: dropped).
    pub ncrs: Option<&'a NcrQueue>,
}

/// Name change requests built while processing, for the daemon to hand to D2.
pub type NcrQueue = std::cell::RefCell<Vec<NameChangeRequest>>;

/// What a query says about the client, decoded once.
struct Query<'p> {
    pkt: &'p Pkt4,
    mtype: MessageType,
    hwaddr: Option<LeaseHwAddr>,
    client_id: Option<Vec<u8>>,
    requested: Option<Ipv4Addr>,
    server_id: Option<Ipv4Addr>,
    rai: Option<RelayAgentInfo>,
    prl: Vec<u16>,
}

fn opt_addr(pkt: &Pkt4, code: u16) -> Option<Ipv4Addr> {
    let d = pkt.options.data(code)?;
    let b: [u8; 4] = d.try_into().ok()?;
    Some(Ipv4Addr::from(b))
}

fn nonzero(a: Ipv4Addr) -> Option<Ipv4Addr> {
    (!a.is_unspecified()).then_some(a)
}

impl<'p> Query<'p> {
    fn new(pkt: &'p Pkt4, mtype: MessageType) -> Self {
        let hw = pkt.hwaddr();
        let hwaddr = (!hw.addr.is_empty()).then(|| LeaseHwAddr {
            htype: u16::from(hw.htype),
            bytes: hw.addr,
            source: kea_lease::hwaddr::source::RAW,
        });
        Self {
            pkt,
            mtype,
            hwaddr,
            client_id: pkt
                .client_id()
                .filter(|c| !c.is_empty())
                .map(<[u8]>::to_vec),
            requested: opt_addr(pkt, DHO_DHCP_REQUESTED_ADDRESS),
            server_id: opt_addr(pkt, DHO_DHCP_SERVER_IDENTIFIER),
            rai: RelayAgentInfo::from_pkt(pkt).and_then(Result::ok),
            prl: pkt
                .options
                .data(DHO_DHCP_PARAMETER_REQUEST_LIST)
                .map(|d| d.iter().map(|&c| u16::from(c)).collect())
                .unwrap_or_default(),
        }
    }

    /// Identifiers for reservation lookup, in the configured order.
    fn identifiers(&self, order: &[IdentifierType]) -> Vec<(IdentifierType, Vec<u8>)> {
        order
            .iter()
            .filter_map(|t| {
                let v = match t {
                    IdentifierType::HwAddress => self.hwaddr.as_ref().map(|h| h.bytes.clone()),
                    IdentifierType::ClientId => self.client_id.clone(),
                    // RFC 4361: type 255, IAID (4 octets), then the DUID.
                    IdentifierType::Duid => self
                        .client_id
                        .as_ref()
                        .filter(|c| c.len() > 5 && c[0] == 255)
                        .map(|c| c[5..].to_vec()),
                    IdentifierType::CircuitId => self
                        .rai
                        .as_ref()
                        .and_then(|r| r.circuit_id())
                        .map(<[u8]>::to_vec),
                    IdentifierType::FlexId => None,
                }?;
                (!v.is_empty()).then_some((*t, v))
            })
            .collect()
    }
}

impl<S: LeaseStore4> Dhcp4Processor<'_, S> {
    /// Processes one query and returns the reply or why there is none.
    pub fn process(&self, pkt: &Pkt4, info: &RecvInfo<'_>) -> Outcome {
        if !pkt.options.contains(DHO_DHCP_MESSAGE_TYPE) {
            // A BOOTP request: served only by the bootp hook library.
            return Err(DropReason::NoMessageType);
        }
        let mtype = pkt.msg_type().ok_or(DropReason::BadMessageType)?;
        if !matches!(
            mtype,
            MessageType::Discover
                | MessageType::Request
                | MessageType::Release
                | MessageType::Decline
                | MessageType::Inform
        ) {
            return Err(DropReason::BadMessageType);
        }
        let q = Query::new(pkt, mtype);
        self.sanity_check(&q, info)?;

        let mut classes = ClientClasses::new();
        classes.insert("ALL");
        if let Some(vc) = pkt.options.data(DHO_VENDOR_CLASS_IDENTIFIER) {
            classes.insert(format!("VENDOR_CLASS_{}", String::from_utf8_lossy(vc)));
        }
        let view = Pkt4View::new(pkt).with_metadata(
            info.iface,
            IpAddr::V4(info.remote),
            IpAddr::V4(info.local),
        );
        self.classify(&view, &mut classes, EvalStage::Early);
        if classes.contains("DROP") {
            return Err(DropReason::ClassDrop);
        }

        let selector = self.selector(&q, info);
        let subnet = select_subnet(self.cfg, &selector, &classes);
        let ids = q.identifiers(&self.cfg.global.host_reservation_identifiers);
        let hosts = self.find_hosts(subnet.as_ref(), &ids);
        let known = hosts.iter().any(|(_, h)| h.identifier.is_some());
        classes.insert(if known { "KNOWN" } else { "UNKNOWN" });
        for (_, h) in &hosts {
            for c in &h.client_classes {
                classes.insert(c.clone());
            }
        }
        self.classify(&view, &mut classes, EvalStage::AfterHostLookup);
        if classes.contains("DROP") {
            return Err(DropReason::ClassDrop);
        }
        if let Some(s) = &subnet {
            self.require_classes(&view, &mut classes, s, None);
        }
        match mtype {
            MessageType::Discover => self.discover(&q, info, subnet, hosts, classes),
            MessageType::Request => self.request(&q, info, subnet, hosts, classes),
            MessageType::Release => self.release(&q, subnet, hosts, classes),
            MessageType::Decline => self.decline(&q, subnet, hosts, classes),
            _ => self.inform(&q, info, subnet, hosts, classes),
        }
    }

    /// Evaluates the `test` or `template-test` of every class of `stage`, in configuration
    /// order; a class whose evaluation fails is not matched (Kea's rule).
    fn classify(&self, view: &Pkt4View<'_>, classes: &mut ClientClasses, stage: EvalStage) {
        for c in self.cfg.classes.iter().filter(|c| c.stage == stage) {
            if let Some(t) = &c.test {
                classes.evaluate(&c.name, t, view);
            }
        }
    }

    /// ARM "Required Classification": classes required by the shared network, the subnet
    /// and the pool (in that order) are evaluated now; one without a test is assigned.
    fn require_classes(
        &self,
        view: &Pkt4View<'_>,
        classes: &mut ClientClasses,
        subnet: &Subnet4,
        pool: Option<&super::cfg::Pool4>,
    ) {
        let net = subnet
            .shared_network
            .as_ref()
            .and_then(|n| self.cfg.shared_networks.get(n));
        let required = net
            .map(|n| n.require_client_classes.as_slice())
            .unwrap_or(&[])
            .iter()
            .chain(&subnet.require_client_classes)
            .chain(
                pool.map(|p| p.require_client_classes.as_slice())
                    .unwrap_or(&[]),
            );
        for name in required {
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

    /// Kea's `accept*` and `sanityCheck` rules.
    fn sanity_check(&self, q: &Query<'_>, info: &RecvInfo<'_>) -> Result<(), DropReason> {
        if q.hwaddr.is_none() && q.client_id.is_none() {
            return Err(DropReason::NoClientIdentity);
        }
        match q.mtype {
            MessageType::Discover if q.server_id.is_some() => {
                return Err(DropReason::ServerIdRule);
            }
            MessageType::Release | MessageType::Decline if q.server_id.is_none() => {
                return Err(DropReason::ServerIdRule);
            }
            _ => {}
        }
        // A direct query must be broadcast or come from a client that has an address.
        let direct_ok = q.pkt.is_relayed()
            || info.local.is_broadcast()
            || !q.pkt.ciaddr.is_unspecified()
            || q.mtype == MessageType::Inform;
        if !direct_ok {
            return Err(DropReason::NotAcceptedDirect);
        }
        if let Some(sid) = q.server_id
            && !self.cfg.global.ignore_dhcp_server_identifier
            && !self.is_our_server_id(sid, q, info)
        {
            return Err(DropReason::NotForUs);
        }
        Ok(())
    }

    fn is_our_server_id(&self, sid: Ipv4Addr, q: &Query<'_>, info: &RecvInfo<'_>) -> bool {
        if info.iface_addrs.contains(&sid) || info.local == sid {
            return true;
        }
        if q.rai.as_ref().and_then(|r| r.server_id_override()) == Some(sid) {
            return true;
        }
        let configured = |set: &crate::options::OptionSet| {
            set.get(DHO_DHCP_SERVER_IDENTIFIER)
                .is_some_and(|o| o.data == sid.octets())
        };
        configured(&self.cfg.options)
            || self.cfg.subnets.iter().any(|s| configured(&s.options))
            || self
                .cfg
                .shared_networks
                .values()
                .any(|n| configured(&n.options))
            || self.cfg.classes.iter().any(|c| configured(&c.options))
    }

    fn selector<'i>(&self, q: &Query<'_>, info: &'i RecvInfo<'_>) -> Selector<'i> {
        let link_select = (!self.cfg.global.ignore_rai_link_selection)
            .then(|| q.rai.as_ref().and_then(|r| r.link_selection()))
            .flatten();
        Selector {
            option_select: opt_addr(q.pkt, DHO_SUBNET_SELECTION).or(link_select),
            giaddr: q.pkt.is_relayed().then_some(q.pkt.giaddr),
            ciaddr: nonzero(q.pkt.ciaddr),
            remote: nonzero(info.remote),
            local_is_broadcast: info.local.is_broadcast(),
            iface_name: info.iface,
            iface_addrs: info.iface_addrs,
        }
    }

    /// The client's reservations: in the subnet (and its shared-network siblings) and global.
    fn find_hosts(
        &self,
        subnet: Option<&Arc<Subnet4>>,
        ids: &[(IdentifierType, Vec<u8>)],
    ) -> Vec<(u32, Arc<Host4>)> {
        let mut out = Vec::new();
        if self.cfg.hosts.is_empty() || ids.is_empty() {
            return out;
        }
        let global = |out: &mut Vec<(u32, Arc<Host4>)>| {
            if let Some(h) = self.cfg.hosts.find(GLOBAL_SUBNET_ID, ids) {
                out.push((GLOBAL_SUBNET_ID, h.clone()));
            }
        };
        match subnet {
            Some(s) => {
                for sib in self.cfg.siblings(s) {
                    if sib.params.reservations_in_subnet
                        && let Some(h) = self.cfg.hosts.find(sib.id, ids)
                    {
                        out.push((sib.id, h.clone()));
                    }
                }
                if s.params.reservations_global {
                    global(&mut out);
                }
            }
            None => {
                if self.cfg.params.reservations_global {
                    global(&mut out);
                }
            }
        }
        out
    }

    fn context(
        &self,
        q: &Query<'_>,
        subnet: Arc<Subnet4>,
        hosts: Vec<(u32, Arc<Host4>)>,
        classes: ClientClasses,
        requested: Option<Ipv4Addr>,
        fake: bool,
    ) -> ClientContext4 {
        ClientContext4 {
            subnet,
            hwaddr: q.hwaddr.clone(),
            client_id: q.client_id.clone(),
            requested,
            lifetime_hint: q
                .pkt
                .options
                .data(DHO_DHCP_LEASE_TIME)
                .and_then(|d| <[u8; 4]>::try_from(d).ok())
                .map(u32::from_be_bytes),
            hosts,
            classes,
            hostname: String::new(),
            fqdn_fwd: false,
            fqdn_rev: false,
            fake,
            now: self.now,
        }
    }

    /// DDNS (issue 8): the client's name from option 81 or 12 (or its reservation) under the
    /// subnet's DDNS parameters, stored in `ctx` for the lease.
    fn client_name(
        &self,
        q: &Query<'_>,
        ctx: &mut ClientContext4,
    ) -> Result<ClientName4, DropReason> {
        let subnet = ctx.subnet.clone();
        let reserved = ctx
            .hosts
            .iter()
            .find(|(id, _)| *id == subnet.id || *id == GLOBAL_SUBNET_ID)
            .map(|(_, h)| h.hostname.as_str());
        let name = process_client_name(q.pkt, reserved, &subnet.params.ddns).map_err(|e| {
            debug!(target: "kea-dhcp4.ddns", msgid = "DHCP4_PACKET_DROP_0001",
                   "{}: dropping packet: {e}", q.pkt.xid);
            DropReason::BadClientFqdn
        })?;
        ctx.hostname = name.hostname().to_string();
        ctx.fqdn_fwd = name.fwd;
        ctx.fqdn_rev = name.rev;
        Ok(name)
    }

    /// DDNS (issue 8): completes a name to be generated from the leased address (storing it
    /// when the lease is real) and queues the NCRs the grant calls for.
    fn after_allocation(
        &self,
        q: &Query<'_>,
        ctx: &ClientContext4,
        name: &mut ClientName4,
        alloc: &mut Allocation,
    ) -> Result<(), DropReason> {
        // The engine moved to another subnet of the shared network: its DDNS parameters
        // decide the name, as in Kea.
        if alloc.subnet.id != ctx.subnet.id {
            let mut moved = ctx.clone();
            moved.subnet = alloc.subnet.clone();
            *name = self.client_name(q, &mut moved)?;
        }
        let p = &alloc.subnet.params.ddns;
        if name.needs_generation() {
            name.complete(alloc.lease.addr, p);
        }
        // A lease reused from the cache keeps its stored name; a fresh one gets the
        // generated (or re-decided) name and flags, written back when the lease is real.
        let l = &alloc.lease;
        if !alloc.reused
            && (l.hostname != name.hostname() || l.fqdn_fwd != name.fwd || l.fqdn_rev != name.rev)
        {
            alloc.lease.hostname = name.hostname().to_string();
            alloc.lease.fqdn_fwd = name.fwd;
            alloc.lease.fqdn_rev = name.rev;
            if !ctx.fake {
                self.store
                    .update(&alloc.lease)
                    .map_err(|e| self.store_failure(StoreError(Box::new(e))))?;
            }
        }
        if ctx.fake || alloc.reused {
            return Ok(());
        }
        let enabled = self.cfg.global.ddns_enabled;
        // KEA-DIFF: when a client moves to another address under the same name, Kea 2.2
        // compares only the names and sends nothing, leaving DNS on the old address; we
        // remove the old lease's entries and add the new ones.
        for old in &alloc.removed {
            self.queue_removal(old);
        }
        for n in ncrs_for_grant4(&alloc.lease, alloc.old_lease.as_ref(), enabled, p) {
            self.queue_ncr(n);
        }
        Ok(())
    }

    /// DDNS (issue 8): queues the removal of `lease`'s DNS entries (release, decline, a
    /// lease taken over), under the parameters of the lease's subnet.
    fn queue_removal(&self, lease: &Lease4) {
        let p = self
            .cfg
            .subnet(lease.subnet_id)
            .map_or(&self.cfg.params.ddns, |s| &s.params.ddns);
        if let Some(n) = ncr_for_lease4(ChangeType::Remove, lease, self.cfg.global.ddns_enabled, p)
        {
            self.queue_ncr(n);
        }
    }

    fn queue_ncr(&self, n: NameChangeRequest) {
        debug!(target: "kea-dhcp4.ddns", msgid = "DHCPSRV_QUEUE_NCR",
               "name change request queued: {}", n.to_json());
        if let Some(q) = self.ncrs {
            q.borrow_mut().push(n);
        }
    }

    fn discover(
        &self,
        q: &Query<'_>,
        info: &RecvInfo<'_>,
        subnet: Option<Arc<Subnet4>>,
        hosts: Vec<(u32, Arc<Host4>)>,
        classes: ClientClasses,
    ) -> Outcome {
        let subnet = subnet.ok_or(DropReason::NoSubnet)?;
        let mut ctx = self.context(q, subnet.clone(), hosts, classes, q.requested, true);
        let mut name = self.client_name(q, &mut ctx)?;
        let engine = AllocEngine4::new(self.cfg, self.store);
        match engine.discover(&ctx).map_err(|e| self.store_failure(e))? {
            Ok(mut alloc) => {
                count_lease_events(self.stats, &alloc.events);
                debug!(target: "kea-dhcp4.leases", msgid = "DHCP4_LEASE_ADVERT",
                       "[{}], tid=0x{:x}: lease {} will be advertised",
                       q.pkt.hwaddr(), q.pkt.xid, alloc.lease.addr);
                self.after_allocation(q, &ctx, &mut name, &mut alloc)?;
                Ok(self.lease_reply(q, info, &ctx, &alloc, &name, MessageType::Offer))
            }
            Err(f) => {
                count_alloc_failure(self.stats, subnet.id, &f);
                Err(DropReason::NoLease)
            }
        }
    }

    fn request(
        &self,
        q: &Query<'_>,
        info: &RecvInfo<'_>,
        subnet: Option<Arc<Subnet4>>,
        hosts: Vec<(u32, Arc<Host4>)>,
        classes: ClientClasses,
    ) -> Outcome {
        // RFC 2131 §4.3.2: SELECTING and INIT-REBOOT name the address in option 50;
        // RENEWING and REBINDING in ciaddr.
        let requested = q.requested.or(nonzero(q.pkt.ciaddr));
        let init_reboot = q.server_id.is_none() && q.pkt.ciaddr.is_unspecified();
        let Some(subnet) = subnet else {
            // Kea answers a request it cannot place with a NAK only when authoritative.
            if self.cfg.params.authoritative {
                return Ok(self.nak(q, info));
            }
            return Err(DropReason::NoSubnet);
        };
        let mut ctx = self.context(q, subnet.clone(), hosts, classes, requested, false);
        let mut name = self.client_name(q, &mut ctx)?;
        let engine = AllocEngine4::new(self.cfg, self.store);
        if init_reboot {
            // RFC 2131 §4.3.2 INIT-REBOOT, as Kea applies it: a client the server has no
            // lease for is refused when authoritative and ignored otherwise; a client whose
            // lease is another address is refused.
            match engine.find_client_lease(&ctx) {
                None if subnet.params.authoritative => return Ok(self.nak(q, info)),
                None => return Err(DropReason::UnknownInitReboot),
                Some((l, _)) if Some(l.addr) != requested => return Ok(self.nak(q, info)),
                Some(_) => {}
            }
        }
        match engine.request(&ctx).map_err(|e| self.store_failure(e))? {
            Ok(mut alloc) => {
                count_lease_events(self.stats, &alloc.events);
                debug!(target: "kea-dhcp4.leases", msgid = "DHCP4_LEASE_ALLOC",
                       "[{}], tid=0x{:x}: lease {} has been allocated for {} seconds",
                       q.pkt.hwaddr(), q.pkt.xid, alloc.lease.addr, alloc.lease.valid_lft);
                self.after_allocation(q, &ctx, &mut name, &mut alloc)?;
                Ok(self.lease_reply(q, info, &ctx, &alloc, &name, MessageType::Ack))
            }
            Err(f) => {
                count_alloc_failure(self.stats, subnet.id, &f);
                Ok(self.nak(q, info))
            }
        }
    }

    fn release(
        &self,
        q: &Query<'_>,
        subnet: Option<Arc<Subnet4>>,
        hosts: Vec<(u32, Arc<Host4>)>,
        classes: ClientClasses,
    ) -> Outcome {
        let subnet = subnet.ok_or(DropReason::NoSubnet)?;
        let ctx = self.context(q, subnet, hosts, classes, None, false);
        let engine = AllocEngine4::new(self.cfg, self.store);
        let released = engine
            .release(&ctx, q.pkt.ciaddr)
            .map_err(|e| self.store_failure(e))?;
        if let Some(l) = released {
            debug!(target: "kea-dhcp4.leases", msgid = "DHCP4_RELEASE", "{}: address {} was released properly", q.pkt.xid, l.addr);
            self.queue_removal(&l);
            count_lease_events(
                self.stats,
                &[LeaseEvent::Unassigned {
                    subnet_id: l.subnet_id,
                }],
            );
        }
        // RELEASE is never answered.
        Err(DropReason::NoLease)
    }

    fn decline(
        &self,
        q: &Query<'_>,
        subnet: Option<Arc<Subnet4>>,
        hosts: Vec<(u32, Arc<Host4>)>,
        classes: ClientClasses,
    ) -> Outcome {
        let subnet = subnet.ok_or(DropReason::NoSubnet)?;
        let Some(addr) = q.requested else {
            return Err(DropReason::NoLease);
        };
        let ctx = self.context(q, subnet, hosts, classes, None, false);
        let engine = AllocEngine4::new(self.cfg, self.store);
        let declined = engine
            .decline(&ctx, addr, self.cfg.global.decline_probation_period)
            .map_err(|e| self.store_failure(e))?;
        if let Some(l) = declined {
            self.queue_removal(&l);
            count_lease_events(
                self.stats,
                &[LeaseEvent::Declined {
                    subnet_id: l.subnet_id,
                }],
            );
        }
        // DECLINE is never answered.
        Err(DropReason::NoLease)
    }

    fn inform(
        &self,
        q: &Query<'_>,
        info: &RecvInfo<'_>,
        subnet: Option<Arc<Subnet4>>,
        hosts: Vec<(u32, Arc<Host4>)>,
        classes: ClientClasses,
    ) -> Outcome {
        let subnet = subnet.ok_or(DropReason::NoSubnet)?;
        let ctx = self.context(q, subnet.clone(), hosts, classes, None, true);
        let mut resp = self.reply_base(q, MessageType::Ack);
        self.fill_options(q, info, &ctx, &subnet, None, None, &mut resp);
        let dst = if q.pkt.is_relayed() {
            self.relay_destination(q)
        } else if !q.pkt.ciaddr.is_unspecified() {
            Destination::Unicast(q.pkt.ciaddr)
        } else {
            Destination::Broadcast
        };
        Ok(Response4 {
            src: self.source_address(info),
            pkt: resp,
            dst,
        })
    }

    fn store_failure(&self, e: StoreError) -> DropReason {
        tracing::error!(target: "kea-dhcp4.dhcp4", msgid = "DHCP4_PACKET_PROCESS_EXCEPTION", "exception occurred during packet processing: {e}");
        DropReason::StoreFailure
    }

    fn reply_base(&self, q: &Query<'_>, mtype: MessageType) -> Pkt4 {
        let mut resp = Pkt4::new(BOOTREPLY, mtype, q.pkt.xid);
        resp.htype = q.pkt.htype;
        resp.hlen = q.pkt.hlen;
        resp.chaddr = q.pkt.chaddr;
        resp.flags = q.pkt.flags;
        resp.giaddr = q.pkt.giaddr;
        resp.hops = q.pkt.hops;
        resp.ciaddr = q.pkt.ciaddr;
        resp
    }

    fn nak(&self, q: &Query<'_>, info: &RecvInfo<'_>) -> Response4 {
        let mut resp = self.reply_base(q, MessageType::Nak);
        resp.ciaddr = Ipv4Addr::UNSPECIFIED;
        resp.options.insert(Opt::new(
            DHO_DHCP_SERVER_IDENTIFIER,
            self.server_id(q, info, None).octets(),
        ));
        self.echo_options(q, &mut resp);
        let dst = if q.pkt.is_relayed() {
            self.relay_destination(q)
        } else {
            Destination::Broadcast
        };
        Response4 {
            src: self.source_address(info),
            pkt: resp,
            dst,
        }
    }

    fn relay_destination(&self, q: &Query<'_>) -> Destination {
        Destination::Relay {
            addr: q.pkt.giaddr,
            port: q
                .rai
                .as_ref()
                .and_then(|r| r.relay_port())
                .filter(|&p| p != 0),
        }
    }

    fn source_address(&self, info: &RecvInfo<'_>) -> Ipv4Addr {
        if !info.local.is_broadcast() && !info.local.is_unspecified() {
            info.local
        } else {
            info.iface_addrs
                .first()
                .copied()
                .unwrap_or(Ipv4Addr::UNSPECIFIED)
        }
    }

    /// The server identifier for a reply: RAI server-id-override, a configured
    /// `dhcp-server-identifier`, or the address the query arrived on.
    fn server_id(
        &self,
        q: &Query<'_>,
        info: &RecvInfo<'_>,
        prec: Option<&Precedence<'_>>,
    ) -> Ipv4Addr {
        if let Some(a) = q.rai.as_ref().and_then(|r| r.server_id_override()) {
            return a;
        }
        if let Some(a) = prec
            .and_then(|p| p.lookup(DHO_DHCP_SERVER_IDENTIFIER))
            .and_then(|o| <[u8; 4]>::try_from(o.data.as_slice()).ok())
        {
            return Ipv4Addr::from(a);
        }
        self.source_address(info)
    }

    /// Options copied from the query: client identifier (RFC 6842) and relay agent
    /// information (RFC 3046 §2.2).
    fn echo_options(&self, q: &Query<'_>, resp: &mut Pkt4) {
        if self.cfg.global.echo_client_id
            && let Some(cid) = q.pkt.options.get(DHO_DHCP_CLIENT_IDENTIFIER)
        {
            resp.options.insert(cid.clone());
        }
        if let Some(rai) = q.pkt.options.get(DHO_DHCP_AGENT_OPTIONS) {
            resp.options.insert(rai.clone());
        }
    }

    fn lease_reply(
        &self,
        q: &Query<'_>,
        info: &RecvInfo<'_>,
        ctx: &ClientContext4,
        alloc: &Allocation,
        name: &ClientName4,
        mtype: MessageType,
    ) -> Response4 {
        let mut resp = self.reply_base(q, mtype);
        resp.yiaddr = alloc.lease.addr;
        self.fill_options(
            q,
            info,
            ctx,
            &alloc.subnet,
            Some(&alloc.lease),
            Some(name),
            &mut resp,
        );
        let dst = if q.pkt.is_relayed() {
            self.relay_destination(q)
        } else if !q.pkt.ciaddr.is_unspecified() {
            Destination::Unicast(q.pkt.ciaddr)
        } else if q.pkt.is_broadcast() || !info.direct_response {
            Destination::Broadcast
        } else {
            Destination::Direct {
                addr: alloc.lease.addr,
                mac: q
                    .hwaddr
                    .as_ref()
                    .map(|h| h.bytes.clone())
                    .unwrap_or_default(),
            }
        };
        Response4 {
            src: self.source_address(info),
            pkt: resp,
            dst,
        }
    }

    /// Options and fixed fields of an ACK or OFFER (or INFORM reply when `lease` is `None`).
    #[allow(clippy::too_many_arguments)] // one call site per exchange; a struct would only rename them
    fn fill_options(
        &self,
        q: &Query<'_>,
        info: &RecvInfo<'_>,
        ctx: &ClientContext4,
        subnet: &Subnet4,
        lease: Option<&Lease4>,
        name: Option<&ClientName4>,
        resp: &mut Pkt4,
    ) {
        let host = ctx
            .host_for(subnet.id)
            .or_else(|| ctx.host_for(GLOBAL_SUBNET_ID))
            .cloned();
        let classes: Vec<_> = ctx
            .classes
            .iter()
            .filter_map(|c| self.cfg.class(c))
            .collect();
        let pool = lease.and_then(|l| subnet.pool_of(l.addr));
        let net = subnet
            .shared_network
            .as_ref()
            .and_then(|n| self.cfg.shared_networks.get(n));
        let mut prec = Precedence::default();
        if let Some(h) = &host {
            prec.push(&h.options);
        }
        for c in &classes {
            prec.push(&c.options);
        }
        if let Some(p) = pool {
            prec.push(&p.options);
        }
        prec.push(&subnet.options);
        if let Some(n) = net {
            prec.push(&n.options);
        }
        prec.push(&self.cfg.options);

        // Fixed fields: host, then classes, then subnet (already inherited from globals).
        let p = &subnet.params;
        let next_server = host
            .as_ref()
            .and_then(|h| h.next_server)
            .or_else(|| classes.iter().find_map(|c| c.next_server))
            .or(p.next_server);
        if let Some(ns) = next_server {
            resp.siaddr = ns;
        }
        let sname = host
            .as_ref()
            .and_then(|h| h.server_hostname.clone())
            .or_else(|| classes.iter().find_map(|c| c.server_hostname.clone()))
            .or_else(|| p.server_hostname.clone());
        if let Some(s) = sname {
            copy_field(&mut resp.sname, s.as_bytes());
        }
        let file = host
            .as_ref()
            .and_then(|h| h.boot_file_name.clone())
            .or_else(|| classes.iter().find_map(|c| c.boot_file_name.clone()))
            .or_else(|| p.boot_file_name.clone());
        if let Some(f) = file {
            copy_field(&mut resp.file, f.as_bytes());
        }

        // Kea sends routers, name servers and domain name whenever they are configured, asked
        // for or not (its "basic options"), after the requested ones.
        let mut wanted = q.prl.clone();
        wanted.extend([DHO_ROUTERS, DHO_DOMAIN_NAME_SERVERS, DHO_DOMAIN_NAME]);
        for code in prec.codes_to_send(&wanted) {
            if matches!(
                code,
                DHO_DHCP_SERVER_IDENTIFIER | DHO_DHCP_LEASE_TIME | DHO_DHCP_MESSAGE_TYPE
            ) {
                continue;
            }
            if let Some(o) = prec.lookup(code) {
                resp.options.insert(Opt::new(code, o.data.clone()));
            }
        }
        // Subnet mask always goes out, from configuration or from the subnet prefix.
        if !resp.options.contains(DHO_SUBNET_MASK) {
            resp.options
                .insert(Opt::new(DHO_SUBNET_MASK, subnet.prefix.netmask().octets()));
        }
        if let Some(l) = lease {
            resp.options
                .insert(Opt::new(DHO_DHCP_LEASE_TIME, l.valid_lft.to_be_bytes()));
            let (t1, t2) = p.tee.compute(l.valid_lft);
            if let Some(t1) = t1 {
                resp.options
                    .insert(Opt::new(DHO_DHCP_RENEWAL_TIME, t1.to_be_bytes()));
            }
            if let Some(t2) = t2 {
                resp.options
                    .insert(Opt::new(DHO_DHCP_REBINDING_TIME, t2.to_be_bytes()));
            }
        }
        // DDNS (issue 8): the Client FQDN or Host Name option decided for the client.
        if let Some((code, data)) = name.and_then(ClientName4::option) {
            resp.options.set(Opt::new(code, data));
        }
        resp.options.insert(Opt::new(
            DHO_DHCP_SERVER_IDENTIFIER,
            self.server_id(q, info, Some(&prec)).octets(),
        ));
        self.echo_options(q, resp);
    }
}

fn copy_field(field: &mut [u8], value: &[u8]) {
    let n = value.len().min(field.len());
    field.fill(0);
    field[..n].copy_from_slice(&value[..n]);
}
