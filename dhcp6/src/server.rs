//! The running DHCPv6 service: sockets, the packet queue, the worker, timers, and the state
//! a configuration change replaces (the packet path of ARCHITECTURE.md).

use std::net::SocketAddrV6;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use arc_swap::ArcSwapOption;
use kea_dhcp::Pkt6;
use kea_lease::Memfile6;
use kea_lease::lfc::LfcFamily;
use kea_net::{Received6, Reply6, Socket6};
use kea_process::timer::{Reconfigurable, spawn_config_timer};
use kea_srv::v4::reclaim::ReclaimParams;
use kea_srv::v6::cfg::SrvConfig6;
use kea_srv::v6::process::{Dhcp6Processor, RecvInfo6, count_received6, count_sent6};
use kea_srv::v6::reclaim::reclaim_expired6;
use kea_stats::StatsMgr;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tracing::{debug, warn};

use crate::store::LeaseStore;

/// DHCPv6 server port (RFC 8415 §7.2).
pub const DHCP6_SERVER_PORT: u16 = 547;
/// DHCPv6 client port.
pub const DHCP6_CLIENT_PORT: u16 = 546;

/// Ports in use (`-p`, `-P`).
#[derive(Debug, Clone, Copy)]
pub struct Ports {
    /// Listening port.
    pub server: u16,
    /// Port clients are answered on.
    pub client: u16,
    /// Whether `-P` was given: relays are then answered on it too, as Kea does.
    pub client_overridden: bool,
}

/// What a published configuration carries for the packet path.
pub struct Runtime {
    /// Server logic configuration.
    pub srv: SrvConfig6,
    /// Lease store.
    pub leases: LeaseStore,
    /// `expired-leases-processing`.
    pub reclaim: ReclaimParams,
    /// `lfc-interval` seconds (0: none).
    pub lfc_interval: u32,
}

struct Job {
    rx: Received6,
    socket: Arc<Socket6>,
}

struct SocketSet {
    key: String,
    stop: CancellationToken,
}

/// The DHCPv6 service shared by sockets, worker, timers and commands.
pub struct Dhcp6Service {
    runtime: ArcSwapOption<Runtime>,
    stats: Arc<StatsMgr>,
    enabled: AtomicBool,
    ports: Ports,
    sockets: Mutex<Option<SocketSet>>,
    queue: mpsc::Sender<Job>,
    queue_rx: Mutex<Option<mpsc::Receiver<Job>>>,
    reconfigured: tokio::sync::Notify,
}

const QUEUE_SIZE: usize = 64;

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

impl Dhcp6Service {
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
            reconfigured: tokio::sync::Notify::new(),
        })
    }

    /// Ports in use.
    pub fn ports(&self) -> Ports {
        self.ports
    }

    /// The current runtime.
    pub fn runtime(&self) -> Option<Arc<Runtime>> {
        self.runtime.load_full()
    }

    /// Publishes a new runtime.
    pub fn publish(&self, rt: Runtime) {
        self.runtime.store(Some(Arc::new(rt)));
        self.reconfigured.notify_waiters();
    }

    /// `dhcp-enable` / `dhcp-disable`.
    pub fn set_enabled(&self, on: bool) {
        self.enabled.store(on, Ordering::Relaxed);
    }

    /// The key of the open socket set.
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

    /// Replaces the sockets.
    pub fn ensure_sockets(self: &Arc<Self>, key: String, sockets: Vec<Socket6>) {
        let stop = CancellationToken::new();
        if let Ok(mut g) = self.sockets.lock() {
            if let Some(old) = g.take() {
                old.stop.cancel();
            }
            *g = Some(SocketSet {
                key,
                stop: stop.clone(),
            });
        }
        for s in sockets {
            let s = Arc::new(s);
            let (tx, stop, stats) = (self.queue.clone(), stop.clone(), self.stats.clone());
            tokio::spawn(async move {
                loop {
                    let r = tokio::select! {
                        _ = stop.cancelled() => break,
                        r = s.recv() => r,
                    };
                    match r {
                        Ok(rx) => {
                            if tx
                                .try_send(Job {
                                    rx,
                                    socket: s.clone(),
                                })
                                .is_err()
                            {
                                let _ = stats.add_value("pkt6-received", 1i64);
                                let _ = stats.add_value("pkt6-receive-drop", 1i64);
                            }
                        }
                        Err(e) => {
                            warn!(target: "kea-dhcp6.packets", msgid = "DHCP6_BUFFER_RECEIVE_FAIL",
                                  "error on receive socket: {e}");
                            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                        }
                    }
                }
            });
        }
    }

    /// Starts the worker that drains the queue.
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
                if let Some((payload, dst, msg_type)) = me.handle(&job.rx) {
                    let reply = Reply6 {
                        payload: &payload,
                        dst,
                        src_ip: job.rx.reply_src(),
                    };
                    match job.socket.send(&reply).await {
                        Ok(()) => count_sent6(&me.stats, msg_type),
                        Err(e) => {
                            warn!(target: "kea-dhcp6.packets", msgid = "DHCP6_PACKET_SEND_FAIL",
                                        "failed to send DHCPv6 packet: {e}")
                        }
                    }
                }
            }
        });
    }

    fn handle(&self, rx: &Received6) -> Option<(Vec<u8>, SocketAddrV6, u8)> {
        let pkt = match Pkt6::decode(&rx.payload) {
            Ok(p) => p,
            Err(e) => {
                count_received6(&self.stats, None);
                let _ = self.stats.add_value("pkt6-parse-failed", 1i64);
                let _ = self.stats.add_value("pkt6-receive-drop", 1i64);
                debug!(target: "kea-dhcp6.bad-packets", msgid = "DHCP6_PACKET_DROP_PARSE_FAIL",
                       "failed to parse packet from {} on {}: {e}", rx.src, rx.iface);
                return None;
            }
        };
        count_received6(&self.stats, Some(pkt.msg_type));
        let drop = |id: &str| {
            let _ = self.stats.add_value("pkt6-receive-drop", 1i64);
            debug!(target: "kea-dhcp6.packets", msgid = id, "{}: dropping packet", pkt.label());
            None
        };
        if !self.enabled.load(Ordering::Relaxed) {
            return drop("DHCP6_PACKET_DROP_DHCP_DISABLED");
        }
        let rt = self.runtime.load_full()?;
        let info = RecvInfo6 {
            iface: &rx.iface,
            local: rx.dst,
            remote: *rx.src.ip(),
        };
        let processor = Dhcp6Processor {
            cfg: &rt.srv,
            store: &rt.leases,
            stats: &self.stats,
            now: now(),
        };
        let resp = match processor.process(&pkt, &info) {
            Ok(r) => r,
            Err(reason) => return drop(reason.msgid()),
        };
        let payload = resp.pkt.encode().ok()?;
        // Replies go back to where the query came from: the relay (on the server port, or
        // the client port when -P is given, as Kea does) or the client.
        let port = if pkt.is_relayed() && !self.ports.client_overridden {
            self.ports.server
        } else {
            self.ports.client
        };
        let dst = SocketAddrV6::new(*rx.src.ip(), port, 0, rx.src.scope_id());
        Some((payload, dst, resp.pkt.msg_type))
    }

    /// Reclaims expired leases now (`leases-reclaim`, or a cycle when `limits`).
    pub fn reclaim(&self, remove: bool, limits: bool) -> Result<usize, String> {
        let Some(rt) = self.runtime.load_full() else {
            return Ok(0);
        };
        let mut total = 0;
        loop {
            let r = reclaim_expired6(
                &rt.srv,
                &rt.leases,
                &self.stats,
                now(),
                &rt.reclaim,
                remove,
                limits,
            )
            .map_err(|e| e.to_string())?;
            total += r.reclaimed;
            if limits || !r.incomplete || r.reclaimed == 0 {
                return Ok(total);
            }
        }
    }

    /// Starts reclamation, flush and lease file cleanup timers.
    pub fn spawn_timers(self: &Arc<Self>, stop: CancellationToken) {
        spawn_config_timer(
            self.clone(),
            stop.clone(),
            |r| r.reclaim.reclaim_timer_wait_time,
            |me, _| {
                if let Err(e) = me.reclaim(false, true) {
                    warn!(target: "kea-dhcp6.alloc-engine", msgid = "ALLOC_ENGINE_V6_RECLAIMED_LEASES_DELETE_FAILED",
                      "reclamation of expired leases failed: {e}");
                }
            },
        );
        spawn_config_timer(
            self.clone(),
            stop.clone(),
            |r| r.reclaim.flush_reclaimed_timer_wait_time,
            |_, rt| {
                if let Err(e) = rt
                    .leases
                    .0
                    .delete_expired_reclaimed(now(), rt.reclaim.hold_reclaimed_time)
                {
                    warn!(target: "kea-dhcp6.alloc-engine", msgid = "ALLOC_ENGINE_V6_RECLAIMED_LEASES_DELETE_FAILED",
                      "deletion of reclaimed leases failed: {e}");
                }
            },
        );
        spawn_config_timer(
            self.clone(),
            stop,
            |r| r.lfc_interval,
            |_, rt| run_lfc(&rt.leases.0),
        );
    }
}

/// One cleanup turn of the v6 lease file (see [`kea_lease::lfc::run_lfc`]).
fn run_lfc(leases: &Arc<Memfile6>) {
    kea_lease::lfc::run_lfc(
        LfcFamily::V6,
        leases.paths(),
        || leases.rotate_for_lfc(),
        "kea-dhcp6.dhcpsrv",
    );
}

impl Reconfigurable for Dhcp6Service {
    type Runtime = Runtime;

    fn runtime(&self) -> Option<Arc<Runtime>> {
        self.runtime.load_full()
    }

    fn reconfigured(&self) -> &tokio::sync::Notify {
        &self.reconfigured
    }
}
