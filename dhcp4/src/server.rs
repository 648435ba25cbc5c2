//! The running DHCPv4 service: sockets, the packet queue, the worker, and the state a
//! configuration change replaces.
//!
//! ARM `dhcp4-srv.rst` "Interface Configuration" and the packet path of ARCHITECTURE.md:
//! socket → receiver task → bounded queue → worker (decode, process, encode) → send.

use std::net::Ipv4Addr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use arc_swap::ArcSwapOption;
use kea_dhcp::Pkt4;
use kea_lease::Memfile4;
use kea_ncr::{NameChangeRequest, NcrSender};
use kea_net::{DhcpSocketType, MacAddr, OutboundInterface, Received4, Reply4, Socket4};
use kea_process::timer::{Reconfigurable, spawn_config_timer};
use kea_srv::v4::cfg::SrvConfig4;
use kea_srv::v4::process::{
    Destination, Dhcp4Processor, NcrQueue, RecvInfo, count_received, count_sent,
};
use kea_srv::v4::reclaim::{ReclaimParams, flush_reclaimed, reclaim_expired};
use kea_stats::StatsMgr;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tracing::{debug, error, warn};

use crate::messages::*;
use crate::store::LeaseStore;

/// DHCPv4 server port (RFC 2131 §4.1).
pub const DHCP4_SERVER_PORT: u16 = 67;
/// DHCPv4 client port.
pub const DHCP4_CLIENT_PORT: u16 = 68;

/// Ports in use: Kea's `-p` and `-P` switches override them for testing.
#[derive(Debug, Clone, Copy)]
pub struct Ports {
    /// Port the server listens on (and relays are answered on).
    pub server: u16,
    /// Port clients are answered on.
    pub client: u16,
    /// Whether `-P` was given: then relays are answered on the client port too, as Kea does.
    pub client_overridden: bool,
}

impl Default for Ports {
    fn default() -> Self {
        Self {
            server: DHCP4_SERVER_PORT,
            client: DHCP4_CLIENT_PORT,
            client_overridden: false,
        }
    }
}

/// What a published configuration carries for the packet path.
pub struct Runtime {
    /// Server logic configuration.
    pub srv: SrvConfig4,
    /// Lease store opened for this configuration.
    pub leases: LeaseStore,
    /// `outbound-interface`.
    pub outbound: OutboundInterface,
    /// `expired-leases-processing`.
    pub reclaim: ReclaimParams,
    /// `lease-database.lfc-interval` in seconds (0: no cleanup).
    pub lfc_interval: u32,
    /// DDNS (issue 8): the NCR sender to D2 when `dhcp-ddns.enable-updates` is true.
    pub ncr_sender: Option<NcrSender>,
}

/// A received datagram waiting for the worker, with the socket to answer through.
struct Job {
    rx: Received4,
    socket: Arc<Socket4>,
}

/// The DHCPv4 service shared by the socket tasks, the worker and the control commands.
pub struct Dhcp4Service {
    runtime: ArcSwapOption<Runtime>,
    stats: Arc<StatsMgr>,
    enabled: AtomicBool,
    ports: Ports,
    sockets: Mutex<Option<SocketSet>>,
    queue: mpsc::Sender<Job>,
    queue_rx: Mutex<Option<mpsc::Receiver<Job>>>,
    incomplete_cycles: std::sync::atomic::AtomicU32,
    /// Woken on every publish, so timers pick up new intervals at once.
    reconfigured: tokio::sync::Notify,
}

/// The sockets of one interface configuration and the token that stops their tasks.
struct SocketSet {
    key: String,
    stop: CancellationToken,
}

/// Bound of the packet queue (Kea's `packet-queue-size` default).
const QUEUE_SIZE: usize = 64;

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

impl Dhcp4Service {
    /// A service with nothing configured yet.
    pub fn new(stats: Arc<StatsMgr>, ports: Ports) -> Arc<Self> {
        let (tx, rx) = mpsc::channel(QUEUE_SIZE);
        Arc::new(Self {
            runtime: ArcSwapOption::empty(),
            stats,
            enabled: AtomicBool::new(true),
            ports,
            sockets: Mutex::new(None),
            queue: tx,
            queue_rx: Mutex::new(Some(rx)),
            incomplete_cycles: std::sync::atomic::AtomicU32::new(0),
            reconfigured: tokio::sync::Notify::new(),
        })
    }

    /// Ports in use.
    pub fn ports(&self) -> Ports {
        self.ports
    }

    /// Statistics of the service.
    pub fn stats(&self) -> &Arc<StatsMgr> {
        &self.stats
    }

    /// The currently published runtime, if any.
    pub fn runtime(&self) -> Option<Arc<Runtime>> {
        self.runtime.load_full()
    }

    /// Publishes a new runtime; packets in flight keep the old one.
    pub fn publish(&self, rt: Runtime) {
        self.runtime.store(Some(Arc::new(rt)));
        self.reconfigured.notify_waiters();
    }

    /// Runs `tick` every `interval(runtime)` seconds (0: paused) until `stop`; a new
    /// configuration restarts the wait with its interval.
    /// Starts the reclamation, flush and lease file cleanup timers.
    pub fn spawn_timers(self: &Arc<Self>, stop: CancellationToken) {
        spawn_config_timer(
            self.clone(),
            stop.clone(),
            |r| r.reclaim.reclaim_timer_wait_time,
            |me, _| {
                if let Err(e) = me.reclaim(false, true) {
                    warn!(target: "kea-dhcp4.alloc-engine", msgid = "ALLOC_ENGINE_V4_RECLAIMED_LEASES_DELETE_FAILED",
                      "reclamation of expired leases failed: {e}");
                }
            },
        );
        spawn_config_timer(
            self.clone(),
            stop.clone(),
            |r| r.reclaim.flush_reclaimed_timer_wait_time,
            |_, rt| {
                if let Err(e) = flush_reclaimed(&rt.leases, now(), &rt.reclaim) {
                    warn!(target: "kea-dhcp4.alloc-engine", msgid = "ALLOC_ENGINE_V4_RECLAIMED_LEASES_DELETE_FAILED",
                      "deletion of reclaimed leases failed: {e}");
                }
            },
        );
        spawn_config_timer(
            self.clone(),
            stop,
            |r| r.lfc_interval,
            |_, rt| crate::lfc::run_lfc(&rt.leases.0),
        );
    }

    /// `dhcp-enable` / `dhcp-disable`.
    pub fn set_enabled(&self, on: bool) {
        self.enabled.store(on, Ordering::Relaxed);
    }

    /// Whether serving is enabled.
    pub fn enabled(&self) -> bool {
        self.enabled.load(Ordering::Relaxed)
    }

    /// Starts the worker task that drains the packet queue.
    pub fn spawn_worker(self: &Arc<Self>, stop: CancellationToken) {
        let Some(mut rx) = self.queue_rx.lock().ok().and_then(|mut g| g.take()) else {
            return;
        };
        let me = self.clone();
        tokio::spawn(async move {
            loop {
                let job = tokio::select! {
                    _ = stop.cancelled() => break,
                    j = rx.recv() => match j { Some(j) => j, None => break },
                };
                if let Some(reply) = me.handle(&job.rx, &job.socket) {
                    let r = Reply4 {
                        payload: &reply.payload,
                        dst_ip: reply.dst_ip,
                        dst_port: reply.dst_port,
                        dst_mac: reply.dst_mac,
                        src_ip: reply.src_ip,
                        outbound: reply.outbound,
                    };
                    if let Err(e) = job.socket.send(&r).await {
                        warn!(target: "kea-dhcp4.packets", msgid = DHCP4_PACKET_SEND_FAIL,
                              "failed to send DHCPv4 packet: {e}");
                    } else {
                        count_sent(&me.stats, reply.msg_type);
                    }
                }
            }
        });
    }

    /// Reclaims expired leases now (`leases-reclaim`, or a reclamation cycle when `limits`).
    pub fn reclaim(&self, remove: bool, limits: bool) -> Result<usize, String> {
        let Some(rt) = self.runtime.load_full() else {
            return Ok(0);
        };
        let mut total = 0;
        loop {
            let mut ncrs = Vec::new();
            let r = reclaim_expired(
                &rt.srv,
                &rt.leases,
                &self.stats,
                now(),
                &rt.reclaim,
                remove,
                limits,
                &mut ncrs,
            );
            send_ncrs(&rt, ncrs);
            let r = r.map_err(|e| e.to_string())?;
            total += r.reclaimed;
            // The command reclaims everything; a timed cycle stops at its limits.
            if limits || !r.incomplete || r.reclaimed == 0 {
                if limits && r.incomplete {
                    self.unwarned_cycles(&rt.reclaim);
                }
                return Ok(total);
            }
        }
    }

    fn unwarned_cycles(&self, p: &ReclaimParams) {
        let n = self.incomplete_cycles.fetch_add(1, Ordering::Relaxed) + 1;
        if p.unwarned_reclaim_cycles != 0 && n >= p.unwarned_reclaim_cycles {
            self.incomplete_cycles.store(0, Ordering::Relaxed);
            warn!(target: "kea-dhcp4.alloc-engine", msgid = "ALLOC_ENGINE_V4_LEASES_RECLAMATION_SLOW",
                  "expired leases still exist after {n} reclamations");
        }
    }

    /// Replaces the sockets when the interface configuration changed (`key` identifies it).
    /// Returns the failures to open, for logging.
    pub async fn ensure_sockets(self: &Arc<Self>, key: String, sockets: Vec<Socket4>) {
        let stop = CancellationToken::new();
        {
            let Ok(mut guard) = self.sockets.lock() else {
                return;
            };
            if let Some(old) = guard.take() {
                old.stop.cancel();
            }
            *guard = Some(SocketSet {
                key,
                stop: stop.clone(),
            });
        }
        for s in sockets {
            let s = Arc::new(s);
            let tx = self.queue.clone();
            let stop = stop.clone();
            let stats = self.stats.clone();
            tokio::spawn(async move {
                loop {
                    let rx = tokio::select! {
                        _ = stop.cancelled() => break,
                        r = s.recv() => r,
                    };
                    match rx {
                        Ok(rx) => {
                            if tx
                                .try_send(Job {
                                    rx,
                                    socket: s.clone(),
                                })
                                .is_err()
                            {
                                // Queue full: the oldest work is what clients will retry.
                                let _ = stats.add_value("pkt4-receive-drop", 1i64);
                                let _ = stats.add_value("pkt4-received", 1i64);
                            }
                        }
                        Err(e) => {
                            warn!(target: "kea-dhcp4.packets", msgid = DHCP4_BUFFER_RECEIVE_FAIL,
                                  "error on receive socket: {e}");
                            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                        }
                    }
                }
            });
        }
    }

    /// The key of the open socket set, if any.
    pub fn socket_key(&self) -> Option<String> {
        self.sockets
            .lock()
            .ok()
            .and_then(|g| g.as_ref().map(|s| s.key.clone()))
    }

    /// Stops every socket task.
    pub fn close_sockets(&self) {
        if let Ok(mut g) = self.sockets.lock()
            && let Some(old) = g.take()
        {
            old.stop.cancel();
        }
    }

    /// Processes one datagram; the encoded reply and where to send it, if any.
    fn handle(&self, rx: &Received4, socket: &Socket4) -> Option<OutReply> {
        let pkt = match Pkt4::decode(&rx.payload) {
            Ok(p) => p,
            Err(e) => {
                count_received(&self.stats, None);
                let _ = self.stats.add_value("pkt4-parse-failed", 1i64);
                let _ = self.stats.add_value("pkt4-receive-drop", 1i64);
                debug!(target: "kea-dhcp4.bad-packets", msgid = DHCP4_PACKET_DROP_0001,
                       "failed to parse packet from {} to {}, received over interface {}, reason: {e}",
                       rx.src, rx.dst, rx.iface);
                return None;
            }
        };
        count_received(&self.stats, Some(&pkt));
        let drop = |reason: &str| {
            let _ = self.stats.add_value("pkt4-receive-drop", 1i64);
            debug!(target: "kea-dhcp4.packets", msgid = reason, "tid=0x{:x}: dropping packet", pkt.xid);
            None
        };
        if !self.enabled() {
            return drop(DHCP4_PACKET_DROP_0008);
        }
        let rt = self.runtime.load_full()?;
        let ncrs = NcrQueue::default();
        let binding = socket.binding();
        let iface_addrs = [binding.addr];
        let info = RecvInfo {
            iface: &rx.iface,
            iface_addrs: &iface_addrs,
            local: *rx.dst.ip(),
            remote: *rx.src.ip(),
            remote_port: rx.src.port(),
            direct_response: socket.socket_type() == DhcpSocketType::Raw,
        };
        let processor = Dhcp4Processor {
            cfg: &rt.srv,
            store: &rt.leases,
            stats: &self.stats,
            now: now(),
            ncrs: Some(&ncrs),
        };
        let outcome = processor.process(&pkt, &info);
        send_ncrs(&rt, ncrs.take());
        let resp = match outcome {
            Ok(r) => r,
            Err(reason) => {
                // RELEASE and DECLINE are never answered; that is not a drop.
                if !matches!(
                    pkt.msg_type(),
                    Some(kea_dhcp::MessageType::Release | kea_dhcp::MessageType::Decline)
                ) {
                    return drop(reason.msgid());
                }
                return None;
            }
        };
        let raw = socket.socket_type() == DhcpSocketType::Raw;
        // As Kea 2.2 does with raw sockets, answers to a relay or to a client's ciaddr
        // leave the inbound interface as a frame to the query's Ethernet source: no
        // routing lookup or ARP, and the IP header of the raw path.
        let to_sender = if raw { rx.src_mac } else { None };
        let (dst_ip, dst_port, dst_mac) = match resp.dst {
            Destination::Relay { addr, port } => {
                let p = port.unwrap_or(if self.ports.client_overridden {
                    self.ports.client
                } else {
                    self.ports.server
                });
                (addr, p, to_sender)
            }
            Destination::Unicast(a) => (a, self.ports.client, to_sender),
            Destination::Direct { addr, mac } => {
                let mac = <[u8; 6]>::try_from(mac.as_slice()).ok().map(MacAddr);
                match mac {
                    Some(m) if raw => (addr, self.ports.client, Some(m)),
                    _ => (
                        Ipv4Addr::BROADCAST,
                        self.ports.client,
                        raw.then_some(MacAddr::BROADCAST),
                    ),
                }
            }
            Destination::Broadcast => (
                Ipv4Addr::BROADCAST,
                self.ports.client,
                raw.then_some(MacAddr::BROADCAST),
            ),
        };
        Some(OutReply {
            msg_type: resp.pkt.msg_type(),
            payload: resp.pkt.encode(),
            dst_ip,
            dst_port,
            dst_mac,
            src_ip: if resp.src.is_unspecified() {
                binding.addr
            } else {
                resp.src
            },
            outbound: rt.outbound,
        })
    }
}

/// DDNS (issue 8): hands the NCRs of one query, reclamation cycle or lease command to the
/// D2 sender.
pub fn send_ncrs(rt: &Runtime, ncrs: Vec<NameChangeRequest>) {
    let Some(sender) = &rt.ncr_sender else {
        return;
    };
    for n in ncrs {
        let fqdn = n.fqdn.clone();
        if let Err(e) = sender.send(n) {
            error!(target: "kea-dhcp4.dhcpsrv", msgid = DHCPSRV_DHCP_DDNS_NCR_REJECTED,
                   "NameChangeRequest sender rejected a request for {fqdn}: {e}");
        }
    }
}

/// An encoded reply and its destination.
struct OutReply {
    msg_type: Option<kea_dhcp::MessageType>,
    payload: Vec<u8>,
    dst_ip: Ipv4Addr,
    dst_port: u16,
    dst_mac: Option<MacAddr>,
    src_ip: Ipv4Addr,
    outbound: OutboundInterface,
}

/// Opens the memfile lease manager, reporting rows that failed to load.
pub fn open_leases(
    cfg: kea_lease::MemfileConfig,
) -> Result<Arc<Memfile4>, kea_lease::MemfileError> {
    let (m, report) = Memfile4::open(cfg)?;
    for e in &report.errors {
        warn!(target: "kea-dhcp4.dhcpsrv", msgid = DHCPSRV_MEMFILE_LEASE_LOAD_ROW_ERROR,
              "discarding row {}, error: {}", e.line, e.error);
    }
    Ok(Arc::new(m))
}

impl Reconfigurable for Dhcp4Service {
    type Runtime = Runtime;

    fn runtime(&self) -> Option<Arc<Runtime>> {
        self.runtime.load_full()
    }

    fn reconfigured(&self) -> &tokio::sync::Notify {
        &self.reconfigured
    }
}
