//! kea-dhcp6: the DHCPv6 server daemon. Wiring only: the framework (`kea-process`) runs the
//! lifecycle and control channel; `kea-srv` decides; `kea-net` moves packets; `kea-lease`
//! stores leases.
//!
//! ARM `dhcp6-srv.rst` "Starting and Stopping the DHCPv6 Server".

pub mod duid;
pub mod server;
pub mod stats;
pub mod store;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use kea_config::database::DbType;
use kea_config::dhcp6::Dhcp6Config;
use kea_config::json::Element;
use kea_lease::{Memfile6, MemfileConfig};
use kea_net::{IfaceMgr, RetryPolicy, open_sockets6};
use kea_process::cli::{SwitchSet, UsageStyle};
use kea_process::ctrl::{CONTROL_RESULT_ERROR, CONTROL_RESULT_SUCCESS, answer};
use kea_process::daemon::{
    DHCP_CONFIG_TEST_TEXT, Daemon, DaemonContext, DaemonInfo, LifecycleEvent, StatisticCommands,
};
use kea_srv::v4::build::BuildError;
use kea_srv::v4::reclaim::ReclaimParams;
use kea_srv::v6::build::build6;
use serde_json::{Map, Value};
use tracing::{error, info, warn};

use server::{Dhcp6Service, Ports, Runtime};
use store::LeaseStore;

/// What the framework needs to know about kea-dhcp6.
pub const INFO: DaemonInfo = DaemonInfo {
    name: "kea-dhcp6",
    root_key: "Dhcp6",
    switches: SwitchSet {
        program: "kea-dhcp6",
        usage: UsageStyle::Dhcp {
            description: "Kea DHCPv6 server",
        },
        ports: true,
        full_check: true,
    },
    statistic_commands: StatisticCommands::All,
    server_tag_command: true,
    config_test_text: DHCP_CONFIG_TEST_TEXT,
};

/// Lease file cleanup interval when `lfc-interval` is not given.
pub const DEFAULT_LFC_INTERVAL: u32 = 3600;

/// Why a configuration is refused.
#[derive(Debug, thiserror::Error)]
pub enum Dhcp6Error {
    /// The `Dhcp6` map does not follow the grammar.
    #[error(transparent)]
    Syntax(#[from] kea_config::ConfigError),
    /// The configuration is not usable.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// The server identifier cannot be made.
    #[error(transparent)]
    ServerId(#[from] duid::ServerIdError),
    /// The lease file cannot be opened.
    #[error("failed to open the lease database: {0}")]
    Leases(#[from] kea_lease::MemfileError),
    /// An interface named in the configuration is not usable.
    #[error("{0}")]
    Interfaces(String),
}

/// The kea-dhcp6 daemon.
pub struct Dhcp6Daemon {
    ctx: DaemonContext,
    service: Arc<Dhcp6Service>,
    current: Mutex<Value>,
    leases: Mutex<Option<(MemfileConfig, Arc<Memfile6>)>>,
    started: AtomicBool,
}

fn decode(inner: &Element) -> Result<Dhcp6Config, Dhcp6Error> {
    Ok(kea_config::dhcp6::decode_dhcp6(inner)?)
}

fn data_dir(c: &Dhcp6Config) -> PathBuf {
    c.data_directory
        .as_deref()
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(kea_lease::config::DEFAULT_DATA_DIR))
}

fn memfile_config(c: &Dhcp6Config) -> Result<MemfileConfig, Dhcp6Error> {
    let mut m = MemfileConfig::v6(&data_dir(c));
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

/// Hook libraries are not available to kea-dhcp6 yet: refused, not ignored.
fn refuse_hooks(c: &Dhcp6Config) -> Result<(), Dhcp6Error> {
    if c.hooks_libraries.is_empty() {
        return Ok(());
    }
    Err(BuildError::NotSupported {
        key: "hooks-libraries",
        detail: "hook libraries are not available to kea-dhcp6 yet".into(),
    }
    .into())
}

/// Kea refuses interfaces that do not exist.
fn check_interfaces(config: &Element, c: &Dhcp6Config) -> Result<(), Dhcp6Error> {
    let mgr = IfaceMgr::detect().map_err(|e| Dhcp6Error::Interfaces(e.to_string()))?;
    if let Some(ic) = &c.interfaces_config {
        let pos = config
            .get("interfaces-config")
            .map(|e| format!(" ({})", e.pos()))
            .unwrap_or_default();
        kea_net::parse_specs(&ic.interfaces)
            .and_then(|specs| kea_net::resolve6(&mgr, &specs))
            .map_err(|e| Dhcp6Error::Interfaces(format!("Failed to select interface: {e}{pos}")))?;
    }
    let missing = |i: &Option<String>| {
        i.as_deref()
            .filter(|i| !i.is_empty() && mgr.get_by_name(i).is_none())
            .map(str::to_string)
    };
    for s in c
        .subnet6
        .iter()
        .chain(c.shared_networks.iter().flat_map(|n| &n.subnet6))
    {
        if let Some(i) = missing(&s.interface) {
            return Err(Dhcp6Error::Interfaces(format!(
                "Specified network interface name {i} for subnet {} is not present in the system",
                s.subnet
            )));
        }
    }
    for n in &c.shared_networks {
        if let Some(i) = missing(&n.interface) {
            return Err(Dhcp6Error::Interfaces(format!(
                "Specified network interface name {i} for shared network {} is not present in the system",
                n.name
            )));
        }
    }
    Ok(())
}

impl Dhcp6Daemon {
    /// A daemon on the framework's context, with its own commands registered.
    pub fn new(ctx: DaemonContext) -> Self {
        let ports = Ports {
            server: ctx
                .switches
                .server_port
                .unwrap_or(server::DHCP6_SERVER_PORT),
            client: ctx
                .switches
                .client_port
                .unwrap_or(server::DHCP6_CLIENT_PORT),
            client_overridden: ctx.switches.client_port.is_some(),
        };
        let service = Dhcp6Service::new(ctx.stats.clone(), ports);
        stats::init_global(&ctx.stats);
        register_commands(&ctx, &service);
        Self {
            ctx,
            service,
            current: Mutex::new(Value::Null),
            leases: Mutex::new(None),
            started: AtomicBool::new(false),
        }
    }

    fn leases_for(&self, cfg: &MemfileConfig) -> Result<Arc<Memfile6>, Dhcp6Error> {
        let mut guard = self.leases.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((c, m)) = guard.as_ref()
            && c == cfg
        {
            return Ok(m.clone());
        }
        *guard = None;
        let (m, report) = Memfile6::open(cfg.clone())?;
        for e in &report.errors {
            warn!(target: "kea-dhcp6.dhcpsrv", msgid = "DHCPSRV_MEMFILE_LEASE_LOAD_ROW_ERROR",
                  "discarding row {}, error: {}", e.line, e.error);
        }
        let m = Arc::new(m);
        *guard = Some((cfg.clone(), m.clone()));
        Ok(m)
    }

    async fn open_sockets(&self, c: &Dhcp6Config) -> Result<(), Dhcp6Error> {
        let ic = c.interfaces_config.clone().unwrap_or_default();
        let key = serde_json::to_string(&ic).unwrap_or_default();
        if self.service.socket_key().as_deref() == Some(key.as_str()) {
            return Ok(());
        }
        let specs = kea_net::parse_specs(&ic.interfaces)
            .map_err(|e| Dhcp6Error::Interfaces(e.to_string()))?;
        let mgr = IfaceMgr::detect().map_err(|e| Dhcp6Error::Interfaces(e.to_string()))?;
        let sel =
            kea_net::resolve6(&mgr, &specs).map_err(|e| Dhcp6Error::Interfaces(e.to_string()))?;
        let policy = RetryPolicy {
            require_all: ic.service_sockets_require_all.unwrap_or(false),
            max_retries: ic.service_sockets_max_retries.unwrap_or(0),
            retry_wait: Duration::from_millis(
                ic.service_sockets_retry_wait_time.unwrap_or(5000).into(),
            ),
        };
        let opened = open_sockets6(&sel, self.service.ports().server, &policy)
            .await
            .map_err(|e| Dhcp6Error::Interfaces(e.to_string()))?;
        for f in &opened.failures {
            warn!(target: "kea-dhcp6.dhcpsrv", msgid = "DHCPSRV_OPEN_SOCKET_FAIL",
                  "failed to open socket on interface {}: {:?}", f.iface, f.cause);
        }
        if opened.sockets.is_empty() {
            warn!(target: "kea-dhcp6.dhcpsrv", msgid = "DHCPSRV_NO_SOCKETS_OPEN",
                  "no interface configured to listen to DHCP traffic");
        }
        self.service.ensure_sockets(key, opened.sockets);
        Ok(())
    }
}

impl Daemon for Dhcp6Daemon {
    type Error = Dhcp6Error;

    fn check(&self, config: &Element, _full: bool) -> Result<(), Dhcp6Error> {
        let c = decode(config)?;
        refuse_hooks(&c)?;
        // The DUID is settled when applying; a placeholder serves the checks.
        build6(&c, vec![0, 3, 0, 1, 0, 0, 0, 0, 0, 0])?;
        memfile_config(&c)?;
        check_interfaces(config, &c)?;
        Ok(())
    }

    async fn apply(&self, config: &Element) -> Result<(), Dhcp6Error> {
        let c = decode(config)?;
        refuse_hooks(&c)?;
        let server_id = duid::server_duid(c.server_id.as_ref(), &data_dir(&c))?;
        let srv = build6(&c, server_id)?;
        check_interfaces(config, &c)?;
        let leases = self.leases_for(&memfile_config(&c)?)?;
        self.open_sockets(&c).await?;
        stats::recount(&self.ctx.stats, &srv, &leases);
        let subnets = srv.subnets.len();
        self.service.publish(Runtime {
            srv,
            leases: LeaseStore(leases),
            reclaim: ReclaimParams::from_config(c.expired_leases_processing.as_ref()),
            lfc_interval: c
                .lease_database
                .as_ref()
                .and_then(|d| d.lfc_interval)
                .unwrap_or(DEFAULT_LFC_INTERVAL),
        });
        let shown = serde_json::to_value(c.with_kea_defaults()).unwrap_or(Value::Null);
        *self.current.lock().unwrap_or_else(PoisonError::into_inner) = shown;
        info!(target: "kea-dhcp6.dhcp6", msgid = "DHCP6_CONFIG_COMPLETE",
              "DHCPv6 server has completed configuration: added IPv6 subnets: {subnets}; DDNS: disabled");
        Ok(())
    }

    fn current_config(&self) -> Value {
        self.current
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    async fn start(&self) -> Result<(), Dhcp6Error> {
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
        let v = env!("CARGO_PKG_VERSION");
        match event {
            LifecycleEvent::Starting => info!(target: "kea-dhcp6.dhcp6", msgid = "DHCP6_STARTING",
                "Kea DHCPv6 server version {v} starting"),
            LifecycleEvent::Started => info!(target: "kea-dhcp6.dhcp6", msgid = "DHCP6_STARTED",
                "Kea DHCPv6 server version {v} started"),
            LifecycleEvent::AlreadyRunning { pid } => error!(target: "kea-dhcp6.dhcp6",
                msgid = "DHCP6_ALREADY_RUNNING", "kea-dhcp6 already running? PID {pid}"),
            LifecycleEvent::ConfigLoadFailed { error: e } => error!(target: "kea-dhcp6.dhcp6",
                msgid = "DHCP6_CONFIG_LOAD_FAIL", "configuration error using file: {e}"),
            LifecycleEvent::Reconfiguring { file } => info!(target: "kea-dhcp6.dhcp6",
                msgid = "DHCP6_DYNAMIC_RECONFIGURATION",
                "initiate server reconfiguration using file: {}, after receiving SIGHUP signal",
                file.display()),
            LifecycleEvent::ReconfigureFailed { error: e } => error!(target: "kea-dhcp6.dhcp6",
                msgid = "DHCP6_DYNAMIC_RECONFIGURATION_FAIL",
                "dynamic server reconfiguration failed with file: {e}"),
            LifecycleEvent::Shutdown => info!(target: "kea-dhcp6.dhcp6", msgid = "DHCP6_SHUTDOWN",
                "server shutdown"),
        }
    }
}

/// `dhcp-disable`, `dhcp-enable` and `leases-reclaim`.
fn register_commands(ctx: &DaemonContext, service: &Arc<Dhcp6Service>) {
    let s = service.clone();
    let _ = ctx.registry.register_sync("dhcp-disable", move |args| {
        if let Some(p) = args.as_ref().and_then(|a| a.get("max-period"))
            && !p.is_u64()
        {
            return answer(
                CONTROL_RESULT_ERROR,
                "'max-period' argument must be a number",
            );
        }
        s.set_enabled(false);
        answer(CONTROL_RESULT_SUCCESS, "DHCPv6 service disabled")
    });
    let s = service.clone();
    let _ = ctx.registry.register_sync("dhcp-enable", move |_| {
        s.set_enabled(true);
        answer(CONTROL_RESULT_SUCCESS, "DHCP service successfully enabled")
    });
    let s = service.clone();
    let _ = ctx.registry.register_sync("leases-reclaim", move |args| {
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
    });
}

/// The default lease file directory, for documentation and tests.
pub fn default_data_dir() -> &'static Path {
    Path::new(kea_lease::config::DEFAULT_DATA_DIR)
}
