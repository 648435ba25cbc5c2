//! kea-dhcp4: the DHCPv4 server daemon. Wiring only: the framework (`kea-process`) runs the
//! lifecycle and control channel; `kea-srv` decides; `kea-net` moves packets; `kea-lease`
//! stores leases.
//!
//! ARM `dhcp4-srv.rst` "Starting and Stopping the DHCPv4 Server" and "Management API for the
//! DHCPv4 Server".

pub mod hooks;
pub mod lfc;
pub mod messages;
pub mod server;
pub mod stats;
pub mod store;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use kea_config::database::DbType;
use kea_config::dhcp4::Dhcp4Config;
use kea_config::interfaces::{DhcpSocketType as CfgSocketType, OutboundInterface as CfgOutbound};
use kea_config::json::Element;
use kea_lease::{Memfile4, MemfileConfig};
use kea_ncr::{NcrSender, SenderConfig};
use kea_net::{DhcpSocketType, IfaceMgr, OutboundInterface, RetryPolicy, open_sockets4};
use kea_process::cli::{SwitchSet, UsageStyle};
use kea_process::ctrl::{CONTROL_RESULT_ERROR, CONTROL_RESULT_SUCCESS, answer};
use kea_process::daemon::{
    DHCP_CONFIG_TEST_TEXT, Daemon, DaemonContext, DaemonInfo, LifecycleEvent, StatisticCommands,
};
use kea_srv::v4::build::{BuildError, build};
use kea_srv::v4::reclaim::ReclaimParams;
use serde_json::{Map, Value};
use tracing::{error, info, warn};

use messages::*;
use server::{Dhcp4Service, Ports, Runtime};
use store::LeaseStore;

/// What the framework needs to know about kea-dhcp4.
pub const INFO: DaemonInfo = DaemonInfo {
    name: "kea-dhcp4",
    root_key: "Dhcp4",
    switches: SwitchSet {
        program: "kea-dhcp4",
        usage: UsageStyle::Dhcp {
            description: "Kea DHCPv4 server",
        },
        ports: true,
        full_check: true,
    },
    statistic_commands: StatisticCommands::All,
    server_tag_command: true,
    config_test_text: DHCP_CONFIG_TEST_TEXT,
};

/// Default directory of the memfile lease file.
pub const DEFAULT_DATA_DIR: &str = kea_lease::config::DEFAULT_DATA_DIR;

/// Seconds between lease file cleanups when `lfc-interval` is not given (Kea 2.2's code).
pub const DEFAULT_LFC_INTERVAL: u32 = 3600;

/// Why a configuration is refused.
#[derive(Debug, thiserror::Error)]
pub enum Dhcp4Error {
    /// The `Dhcp4` map does not follow the grammar.
    #[error(transparent)]
    Syntax(#[from] kea_config::ConfigError),
    /// The configuration is not usable.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// The lease file cannot be opened.
    #[error("failed to open the lease database: {0}")]
    Leases(#[from] kea_lease::MemfileError),
    /// A `hooks-libraries` entry names no available library.
    #[error(transparent)]
    Hooks(#[from] kea_hooks::HooksConfigError),
    /// An interface named in the configuration is not usable.
    #[error("{0}")]
    Interfaces(String),
    /// DDNS (issue 8): the NCR sender socket cannot be opened.
    #[error("failed to open the DHCP-DDNS sender socket on {sender}: {source}")]
    NcrSender {
        /// `sender-ip:sender-port`.
        sender: SocketAddr,
        /// The socket error.
        source: std::io::Error,
    },
}

/// DDNS (issue 8): the `dhcp-ddns` connectivity parameters (ARM "DHCP-DDNS Server
/// Connectivity"), `None` when `enable-updates` is false.
fn ncr_sender_config(c: &Dhcp4Config) -> Result<Option<SenderConfig>, Dhcp4Error> {
    let Some(d) = c.dhcp_ddns.as_ref().filter(|d| d.enable_updates) else {
        return Ok(None);
    };
    let ip = |key: &'static str, v: &str| -> Result<IpAddr, Dhcp4Error> {
        v.trim().parse().map_err(|_| {
            BuildError::BadValue {
                context: "dhcp-ddns".to_string(),
                key,
                value: v.to_string(),
            }
            .into()
        })
    };
    let server_ip = ip("server-ip", d.server_ip.as_deref().unwrap_or("127.0.0.1"))?;
    let sender_ip = match d.sender_ip.as_deref().map(str::trim) {
        None | Some("") => match server_ip {
            IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
        },
        Some(s) => ip("sender-ip", s)?,
    };
    if sender_ip.is_ipv4() != server_ip.is_ipv4() {
        return Err(BuildError::BadValue {
            context: "dhcp-ddns".to_string(),
            key: "sender-ip",
            value: sender_ip.to_string(),
        }
        .into());
    }
    Ok(Some(SenderConfig {
        server: SocketAddr::new(server_ip, d.server_port.unwrap_or(53001)),
        sender: SocketAddr::new(sender_ip, d.sender_port.unwrap_or(0)),
        max_queue_size: d.max_queue_size.unwrap_or(1024) as usize,
    }))
}

/// The kea-dhcp4 daemon.
pub struct Dhcp4Daemon {
    ctx: DaemonContext,
    service: Arc<Dhcp4Service>,
    current: Mutex<Value>,
    leases: Mutex<Option<(MemfileConfig, Arc<Memfile4>)>>,
    started: AtomicBool,
    hook_commands: hooks::HookCommands,
    /// DDNS (issue 8): the running NCR sender and the settings it was started with.
    ncr: Mutex<Option<(SenderConfig, NcrSender)>>,
}

fn decode(inner: &Element) -> Result<Dhcp4Config, Dhcp4Error> {
    Ok(kea_config::dhcp4::decode_dhcp4(inner)?)
}

fn memfile_config(c: &Dhcp4Config) -> Result<MemfileConfig, Dhcp4Error> {
    let mut m = MemfileConfig::v4(Path::new(DEFAULT_DATA_DIR));
    if let Some(db) = &c.lease_database {
        if db.db_type != DbType::Memfile {
            return Err(BuildError::NotSupported {
                key: "lease-database.type",
                detail: "only memfile is available".into(),
            }
            .into());
        }
        if let Some(p) = db.persist {
            m.persist = p;
        }
        if let Some(n) = &db.name {
            m.name = PathBuf::from(n);
        }
        if let Some(e) = db.max_row_errors {
            m.max_row_errors = e;
        }
    }
    Ok(m)
}

impl Dhcp4Daemon {
    /// A daemon on the framework's shared context, with its own commands registered.
    pub fn new(ctx: DaemonContext) -> Self {
        let ports = Ports {
            server: ctx
                .switches
                .server_port
                .unwrap_or(server::DHCP4_SERVER_PORT),
            client: ctx
                .switches
                .client_port
                .unwrap_or(server::DHCP4_CLIENT_PORT),
            client_overridden: ctx.switches.client_port.is_some(),
        };
        let service = Dhcp4Service::new(ctx.stats.clone(), ports);
        stats::init_global(&ctx.stats);
        register_commands(&ctx, &service);
        Self {
            ctx,
            service,
            current: Mutex::new(Value::Null),
            leases: Mutex::new(None),
            started: AtomicBool::new(false),
            hook_commands: hooks::HookCommands::default(),
            ncr: Mutex::new(None),
        }
    }

    /// The lease manager for `cfg`, reusing the open one when the settings did not change.
    fn leases_for(&self, cfg: &MemfileConfig) -> Result<Arc<Memfile4>, Dhcp4Error> {
        let mut guard = self.leases.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((c, m)) = guard.as_ref()
            && c == cfg
        {
            return Ok(m.clone());
        }
        // Close the old file before opening (it may be the same path with other settings).
        *guard = None;
        let m = server::open_leases(cfg.clone())?;
        *guard = Some((cfg.clone(), m.clone()));
        Ok(m)
    }

    /// DDNS (issue 8): the NCR sender for `cfg`, reusing the running one when the settings
    /// did not change (its socket may be bound to a fixed `sender-port`).
    async fn ncr_sender_for(
        &self,
        cfg: Option<SenderConfig>,
    ) -> Result<Option<NcrSender>, Dhcp4Error> {
        let Some(cfg) = cfg else {
            *self.ncr.lock().unwrap_or_else(PoisonError::into_inner) = None;
            return Ok(None);
        };
        if let Some((c, s)) = self
            .ncr
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            && *c == cfg
        {
            return Ok(Some(s.clone()));
        }
        // Release the old socket first: the new one may want the same port.
        *self.ncr.lock().unwrap_or_else(PoisonError::into_inner) = None;
        let sender = NcrSender::start(cfg)
            .await
            .map_err(|source| Dhcp4Error::NcrSender {
                sender: cfg.sender,
                source,
            })?;
        info!(target: "kea-dhcp4.dhcpsrv", msgid = DHCPSRV_DHCP_DDNS_SENDER_STARTED,
              "NameChangeRequest sender has been started: ID {}, server {}, max queue size {}",
              sender.local_addr(), cfg.server, cfg.max_queue_size);
        *self.ncr.lock().unwrap_or_else(PoisonError::into_inner) = Some((cfg, sender.clone()));
        Ok(Some(sender))
    }

    async fn open_sockets(&self, c: &Dhcp4Config) -> Result<(), Dhcp4Error> {
        let ic = c.interfaces_config.clone().unwrap_or_default();
        let key = serde_json::to_string(&ic).unwrap_or_default();
        if self.service.socket_key().as_deref() == Some(key.as_str()) {
            return Ok(());
        }
        let socket_type = match ic.dhcp_socket_type {
            Some(CfgSocketType::Udp) => DhcpSocketType::Udp,
            _ => DhcpSocketType::Raw,
        };
        let specs = kea_net::parse_specs(&ic.interfaces)
            .map_err(|e| Dhcp4Error::Interfaces(e.to_string()))?;
        let mgr = IfaceMgr::detect().map_err(|e| Dhcp4Error::Interfaces(e.to_string()))?;
        let sel = kea_net::resolve4(&mgr, &specs, socket_type)
            .map_err(|e| Dhcp4Error::Interfaces(e.to_string()))?;
        let policy = RetryPolicy {
            require_all: ic.service_sockets_require_all.unwrap_or(false),
            max_retries: ic.service_sockets_max_retries.unwrap_or(0),
            retry_wait: Duration::from_millis(
                ic.service_sockets_retry_wait_time.unwrap_or(5000).into(),
            ),
        };
        let port = self.service.ports().server;
        let opened = open_sockets4(&sel, socket_type, port, &policy)
            .await
            .map_err(|e| Dhcp4Error::Interfaces(e.to_string()))?;
        for f in &opened.failures {
            warn!(target: "kea-dhcp4.dhcpsrv", msgid = DHCPSRV_OPEN_SOCKET_FAIL,
                  "failed to open socket on interface {}: {:?}", f.iface, f.cause);
        }
        for s in &opened.sockets {
            info!(target: "kea-dhcp4.dhcpsrv", msgid = DHCPSRV_CFGMGR_ADD_IFACE,
                  "listening on interface {}", s.binding().iface);
        }
        if opened.sockets.is_empty() {
            warn!(target: "kea-dhcp4.dhcpsrv", msgid = DHCPSRV_NO_SOCKETS_OPEN,
                  "no interface configured to listen to DHCP traffic");
        }
        self.service.ensure_sockets(key, opened.sockets).await;
        Ok(())
    }
}

impl Daemon for Dhcp4Daemon {
    type Error = Dhcp4Error;

    fn check(&self, config: &Element, _full: bool) -> Result<(), Dhcp4Error> {
        let c = decode(config)?;
        hook_libraries(config)?;
        build(&c)?;
        memfile_config(&c)?;
        ncr_sender_config(&c)?;
        check_interfaces(config, &c)?;
        Ok(())
    }

    async fn apply(&self, config: &Element) -> Result<(), Dhcp4Error> {
        let c = decode(config)?;
        let libs = hook_libraries(config)?;
        let srv = build(&c)?;
        check_interfaces(config, &c)?;
        let mcfg = memfile_config(&c)?;
        let ncr_cfg = ncr_sender_config(&c)?;
        let leases = self.leases_for(&mcfg)?;
        self.open_sockets(&c).await?;
        let outbound = match c
            .interfaces_config
            .as_ref()
            .and_then(|i| i.outbound_interface)
        {
            Some(CfgOutbound::UseRouting) => OutboundInterface::UseRouting,
            _ => OutboundInterface::SameAsInbound,
        };
        stats::recount(&self.ctx.stats, &srv, &leases);
        for s in &srv.subnets {
            // The free lease queue starts with what the lease store says is free.
            s.allocator
                .populate_free(|a| leases.get((a as u32).into()).is_some(), 1 << 20);
        }
        let subnets = srv.subnets.len();
        let reclaim = ReclaimParams::from_config(c.expired_leases_processing.as_ref());
        let lfc_interval = c
            .lease_database
            .as_ref()
            .and_then(|d| d.lfc_interval)
            .unwrap_or(DEFAULT_LFC_INTERVAL);
        let ncr_sender = self.ncr_sender_for(ncr_cfg).await?;
        let ddns = if ncr_sender.is_some() {
            "enabled"
        } else {
            "disabled"
        };
        self.service.publish(Runtime {
            srv,
            leases: LeaseStore(leases),
            outbound,
            reclaim,
            lfc_interval,
            ncr_sender,
        });
        self.hook_commands.install(&self.ctx, &self.service, &libs);
        let shown = serde_json::to_value(c.with_kea_defaults()).unwrap_or(Value::Null);
        *self.current.lock().unwrap_or_else(PoisonError::into_inner) = shown;
        info!(target: "kea-dhcp4.dhcp4", msgid = DHCP4_CONFIG_COMPLETE,
              "DHCPv4 server has completed configuration: added IPv4 subnets: {subnets}; DDNS: {ddns}");
        Ok(())
    }

    fn current_config(&self) -> Value {
        self.current
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    async fn start(&self) -> Result<(), Dhcp4Error> {
        if !self.started.swap(true, Ordering::SeqCst) {
            self.service.spawn_worker(self.ctx.shutdown.clone());
            self.service.spawn_timers(self.ctx.shutdown.clone());
            let service = self.service.clone();
            let stop = self.ctx.shutdown.clone();
            self.ctx.tracker.spawn(async move {
                stop.cancelled().await;
                service.close_sockets();
            });
        }
        Ok(())
    }

    fn status(&self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("multi-threading-enabled".into(), Value::Bool(false));
        let mut sockets = Map::new();
        sockets.insert("status".into(), Value::from("ready"));
        m.insert("sockets".into(), Value::Object(sockets));
        m
    }

    fn server_tag(&self) -> String {
        self.service
            .runtime()
            .map(|r| r.srv.global.server_tag.clone())
            .unwrap_or_default()
    }

    fn log_event(&self, event: LifecycleEvent<'_>) {
        match event {
            LifecycleEvent::Starting => info!(target: "kea-dhcp4.dhcp4", msgid = DHCP4_STARTING,
                "Kea DHCPv4 server version {} starting", env!("CARGO_PKG_VERSION")),
            LifecycleEvent::Started => info!(target: "kea-dhcp4.dhcp4", msgid = DHCP4_STARTED,
                "Kea DHCPv4 server version {} started", env!("CARGO_PKG_VERSION")),
            LifecycleEvent::AlreadyRunning { pid } => error!(target: "kea-dhcp4.dhcp4",
                msgid = DHCP4_ALREADY_RUNNING, "kea-dhcp4 already running? PID {pid}"),
            LifecycleEvent::ConfigLoadFailed { error: e } => error!(target: "kea-dhcp4.dhcp4",
                msgid = DHCP4_CONFIG_LOAD_FAIL, "configuration error using file: {e}"),
            LifecycleEvent::Reconfiguring { file } => info!(target: "kea-dhcp4.dhcp4",
                msgid = DHCP4_DYNAMIC_RECONFIGURATION,
                "initiate server reconfiguration using file: {}, after receiving SIGHUP signal",
                file.display()),
            LifecycleEvent::ReconfigureFailed { error: e } => error!(target: "kea-dhcp4.dhcp4",
                msgid = DHCP4_DYNAMIC_RECONFIGURATION_FAIL,
                "dynamic server reconfiguration failed with file: {e}"),
            LifecycleEvent::Shutdown => info!(target: "kea-dhcp4.dhcp4", msgid = DHCP4_SHUTDOWN,
                "server shutdown"),
        }
    }
}

/// The hook libraries named in the configuration (ARM `hooks.rst`).
fn hook_libraries(config: &Element) -> Result<kea_hooks::Libraries, Dhcp4Error> {
    let v = config.get("hooks-libraries").map(Element::to_value);
    Ok(kea_hooks::Libraries::from_json(v.as_ref())?)
}

/// Kea refuses, at configuration time, interfaces that do not exist: those listed in
/// `interfaces-config` and those named by a subnet's or shared network's `interface`.
fn check_interfaces(config: &Element, c: &Dhcp4Config) -> Result<(), Dhcp4Error> {
    let mgr = IfaceMgr::detect().map_err(|e| Dhcp4Error::Interfaces(e.to_string()))?;
    let at = |e: Option<&Element>| e.map(|e| format!(" ({})", e.pos())).unwrap_or_default();
    if let Some(ic) = &c.interfaces_config {
        let socket_type = match ic.dhcp_socket_type {
            Some(CfgSocketType::Udp) => DhcpSocketType::Udp,
            _ => DhcpSocketType::Raw,
        };
        let pos = at(config.get("interfaces-config"));
        kea_net::parse_specs(&ic.interfaces)
            .and_then(|specs| kea_net::resolve4(&mgr, &specs, socket_type))
            .map_err(|e| Dhcp4Error::Interfaces(format!("Failed to select interface: {e}{pos}")))?;
    }
    let missing = |name: &str| mgr.get_by_name(name).is_none();
    let subnets = config
        .get("subnet4")
        .and_then(Element::as_list)
        .unwrap_or(&[]);
    for (s, e) in c.subnet4.iter().zip(subnets) {
        if let Some(i) = s
            .interface
            .as_deref()
            .filter(|i| !i.is_empty() && missing(i))
        {
            return Err(Dhcp4Error::Interfaces(format!(
                "Specified network interface name {i} for subnet {} is not present in the system{}",
                s.subnet,
                at(e.get("interface"))
            )));
        }
    }
    let nets = config
        .get("shared-networks")
        .and_then(Element::as_list)
        .unwrap_or(&[]);
    for (n, ne) in c.shared_networks.iter().zip(nets) {
        if let Some(i) = n
            .interface
            .as_deref()
            .filter(|i| !i.is_empty() && missing(i))
        {
            return Err(Dhcp4Error::Interfaces(format!(
                "Specified network interface name {i} for shared network {} is not present in the system{}",
                n.name,
                at(ne.get("interface"))
            )));
        }
        let subnets = ne.get("subnet4").and_then(Element::as_list).unwrap_or(&[]);
        for (s, e) in n.subnet4.iter().zip(subnets) {
            if let Some(i) = s
                .interface
                .as_deref()
                .filter(|i| !i.is_empty() && missing(i))
            {
                return Err(Dhcp4Error::Interfaces(format!(
                    "Specified network interface name {i} for subnet {} is not present in the system{}",
                    s.subnet,
                    at(e.get("interface"))
                )));
            }
        }
    }
    Ok(())
}

/// `dhcp-disable`, `dhcp-enable` and `leases-reclaim` (ARM `ctrl-channel.rst`).
fn register_commands(ctx: &DaemonContext, service: &Arc<Dhcp4Service>) {
    let s = service.clone();
    let _ = ctx.registry.register("leases-reclaim", move |args| {
        let s = s.clone();
        async move {
            let remove = match args.as_ref().and_then(|a| a.get("remove")) {
                None => {
                    return answer(
                        CONTROL_RESULT_ERROR,
                        "Missing mandatory 'remove' parameter.",
                    );
                }
                Some(Value::Bool(b)) => *b,
                Some(_) => {
                    return answer(
                        CONTROL_RESULT_ERROR,
                        "'remove' parameter expected to be a boolean.",
                    );
                }
            };
            match s.reclaim(remove, false) {
                Ok(_) => answer(
                    CONTROL_RESULT_SUCCESS,
                    "Reclamation of expired leases is complete.",
                ),
                Err(e) => answer(CONTROL_RESULT_ERROR, &e),
            }
        }
    });
    let origin_ok = |args: &Option<Value>| -> Result<(), Value> {
        match args.as_ref().and_then(|a| a.get("origin")) {
            None => Ok(()),
            Some(Value::String(s)) if s == "user" || s == "ha-partner" => Ok(()),
            Some(Value::String(s)) => Err(answer(
                CONTROL_RESULT_ERROR,
                format!("invalid value used for 'origin' parameter: {s}"),
            )),
            Some(_) => Err(answer(
                CONTROL_RESULT_ERROR,
                "'origin' argument must be a string",
            )),
        }
    };
    let s = service.clone();
    let stop = ctx.shutdown.clone();
    let _ = ctx.registry.register("dhcp-disable", move |args| {
        let s = s.clone();
        let stop = stop.clone();
        async move {
            if let Err(e) = origin_ok(&args) {
                return e;
            }
            let period = match args.as_ref().and_then(|a| a.get("max-period")) {
                None => None,
                Some(v) => match v.as_u64() {
                    Some(p) if p > 0 => Some(p),
                    Some(_) => {
                        return answer(
                            CONTROL_RESULT_ERROR,
                            "'max-period' must be positive integer",
                        );
                    }
                    None => {
                        return answer(
                            CONTROL_RESULT_ERROR,
                            "'max-period' argument must be a number",
                        );
                    }
                },
            };
            s.set_enabled(false);
            match period {
                None => answer(CONTROL_RESULT_SUCCESS, "DHCPv4 service disabled"),
                Some(p) => {
                    let s2 = s.clone();
                    tokio::spawn(async move {
                        tokio::select! {
                            _ = stop.cancelled() => {},
                            _ = tokio::time::sleep(Duration::from_secs(p)) => s2.set_enabled(true),
                        }
                    });
                    answer(
                        CONTROL_RESULT_SUCCESS,
                        format!("DHCPv4 service disabled for {p} seconds"),
                    )
                }
            }
        }
    });
    let s = service.clone();
    let _ = ctx.registry.register("dhcp-enable", move |args| {
        let s = s.clone();
        async move {
            if let Err(e) = origin_ok(&args) {
                return e;
            }
            s.set_enabled(true);
            answer(CONTROL_RESULT_SUCCESS, "DHCP service successfully enabled")
        }
    });
}
