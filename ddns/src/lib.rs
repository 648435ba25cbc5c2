//! kea-dhcp-ddns (D2): receives name change requests from the DHCP servers and carries them
//! out as RFC 2136 dynamic DNS updates (ARM `ddns.rst`; INVENTORY §1.1, §4, §6, §9.3, §12).
//!
//! - [`config`]: the runtime configuration built from `DhcpDdns`;
//! - [`domains`]: forward/reverse domains and longest-suffix matching;
//! - [`tsig`]: TSIG keys, signing and verification;
//! - [`update`]: UPDATE messages; [`client`]: one exchange with one server, statistics;
//! - [`transaction`]: RFC 4703 add/remove transactions.
//!
//! The daemon framework (`kea-process`) supplies switches, logging, the control socket and
//! the built-in commands (D2 has the four basic `statistic-*` commands).

pub mod client;
pub mod config;
pub mod domains;
pub mod transaction;
pub mod tsig;
pub mod update;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use arc_swap::ArcSwapOption;
use kea_config::d2::D2Config;
use kea_config::json::Element;
use kea_ncr::{NcrReceiver, ReceiveError};
use kea_process::cli::{SwitchSet, UsageStyle};
use kea_process::daemon::{Daemon, DaemonContext, DaemonInfo, LifecycleEvent, StatisticCommands};
use serde_json::Value;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tracing::{debug, error, info, warn};

use crate::client::stat;
use crate::config::{D2ConfigError, D2Runtime};

/// Kea's `config-test` success text for D2.
pub const D2_CONFIG_TEST_TEXT: &str = "Configuration check successful";

/// Requests processed at the same time; more wait in the socket buffer (Kea's D2 queue
/// holds 1024).
pub const MAX_CONCURRENT_TRANSACTIONS: usize = 1024;

/// How the framework sees kea-dhcp-ddns: `-c -t -d -v -V -W`, no `-p/-P`, no `-T`.
pub const INFO: DaemonInfo = DaemonInfo {
    name: "kea-dhcp-ddns",
    root_key: "DhcpDdns",
    switches: SwitchSet {
        program: "kea-dhcp-ddns",
        usage: UsageStyle::DController,
        ports: false,
        full_check: false,
    },
    statistic_commands: StatisticCommands::Basic,
    server_tag_command: false,
    config_test_text: D2_CONFIG_TEST_TEXT,
};

/// The listening task of one address.
struct Listener {
    addr: SocketAddr,
    stop: CancellationToken,
}

/// The D2 daemon.
pub struct D2Daemon {
    ctx: DaemonContext,
    runtime: Arc<ArcSwapOption<D2Runtime>>,
    config: Mutex<Value>,
    listener: Mutex<Option<Listener>>,
    started: std::sync::atomic::AtomicBool,
    slots: Arc<Semaphore>,
}

impl D2Daemon {
    /// Creates the daemon on the framework's context and its statistics.
    pub fn new(ctx: DaemonContext) -> Self {
        for name in stat::GLOBAL {
            let _ = ctx.stats.set_value(name, 0i64);
        }
        Self {
            ctx,
            runtime: Arc::new(ArcSwapOption::empty()),
            config: Mutex::new(Value::Null),
            listener: Mutex::new(None),
            started: std::sync::atomic::AtomicBool::new(false),
            slots: Arc::new(Semaphore::new(MAX_CONCURRENT_TRANSACTIONS)),
        }
    }

    fn build(config: &Element) -> Result<D2Runtime, D2ConfigError> {
        let cfg: D2Config = kea_config::decode(config, "DhcpDdns")?;
        D2Runtime::build(&cfg)
    }

    /// Starts (or moves) the NCR listener to the running configuration's address.
    async fn listen(&self) -> Result<(), D2Error> {
        let Some(rt) = self.runtime.load_full() else {
            return Ok(());
        };
        if self
            .listener
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .is_some_and(|l| l.addr == rt.listen)
        {
            return Ok(());
        }
        let receiver = NcrReceiver::bind(rt.listen)
            .await
            .map_err(|e| D2Error::Listen {
                addr: rt.listen,
                reason: e.to_string(),
            })?;
        let stop = self.ctx.shutdown.child_token();
        if let Some(old) = self
            .listener
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .replace(Listener {
                addr: rt.listen,
                stop: stop.clone(),
            })
        {
            old.stop.cancel();
        }
        info!(target: "kea-dhcp-ddns.dhcpddns", msgid = "DHCP_DDNS_QUEUE_MGR_STARTED",
            "listening for NCRs on {}", rt.listen);
        let runtime = self.runtime.clone();
        let stats = self.ctx.stats.clone();
        let slots = self.slots.clone();
        let tracker = self.ctx.tracker.clone();
        self.ctx.tracker.spawn(async move {
            loop {
                let got = tokio::select! {
                    () = stop.cancelled() => break,
                    r = receiver.recv() => r,
                };
                let ncr = match got {
                    Ok(ncr) => ncr,
                    Err(ReceiveError::Invalid { from, source }) => {
                        let _ = stats.add_value(stat::NCR_INVALID, 1i64);
                        warn!(target: "kea-dhcp-ddns.dhcpddns", msgid = "DHCP_DDNS_INVALID_NCR",
                            "invalid NameChangeRequest from {from}: {source}");
                        continue;
                    }
                    Err(ReceiveError::Io(e)) => {
                        let _ = stats.add_value(stat::NCR_ERROR, 1i64);
                        error!(target: "kea-dhcp-ddns.dhcpddns", msgid = "DHCP_DDNS_NCR_LISTEN_ERROR",
                            "NCR receive error: {e}");
                        continue;
                    }
                };
                let _ = stats.add_value(stat::NCR_RECEIVED, 1i64);
                debug!(target: "kea-dhcp-ddns.dhcpddns", msgid = "DHCP_DDNS_QUEUE_MGR_RECV",
                    "received NCR {}", ncr.to_json());
                let Ok(permit) = slots.clone().try_acquire_owned() else {
                    error!(target: "kea-dhcp-ddns.dhcpddns", msgid = "DHCP_DDNS_QUEUE_MGR_QUEUE_FULL",
                        "request queue is full, dropping NCR for {}", ncr.fqdn);
                    continue;
                };
                let Some(rt) = runtime.load_full() else { continue };
                let stats = stats.clone();
                tracker.spawn(async move {
                    // The outcome is logged by the transaction.
                    let _ = transaction::process(&ncr, &rt, &stats).await;
                    drop(permit);
                });
            }
        });
        Ok(())
    }

    fn key_stats(&self, rt: &D2Runtime) {
        for key in &rt.keys {
            for s in stat::PER_KEY {
                let name = stat::key(key.name(), s);
                if self.ctx.stats.get_value(&name).is_none() {
                    let _ = self.ctx.stats.set_value(&name, 0i64);
                }
            }
        }
    }
}

/// D2's configuration and startup errors.
#[derive(Debug, thiserror::Error)]
pub enum D2Error {
    /// The configuration was refused.
    #[error(transparent)]
    Config(#[from] D2ConfigError),
    /// The NCR socket could not be opened.
    #[error("cannot listen for NCRs on {addr}: {reason}")]
    Listen {
        /// The address.
        addr: SocketAddr,
        /// The OS message.
        reason: String,
    },
}

impl Daemon for D2Daemon {
    type Error = D2Error;

    fn check(&self, config: &Element, _full: bool) -> Result<(), D2Error> {
        Self::build(config)?;
        Ok(())
    }

    async fn apply(&self, config: &Element) -> Result<(), D2Error> {
        let rt = Arc::new(Self::build(config)?);
        let previous = self.runtime.swap(Some(rt.clone()));
        if self.started.load(std::sync::atomic::Ordering::SeqCst)
            && let Err(e) = self.listen().await
        {
            self.runtime.store(previous);
            return Err(e);
        }
        self.key_stats(&rt);
        *self.config.lock().unwrap_or_else(PoisonError::into_inner) = config.to_value();
        Ok(())
    }

    fn current_config(&self) -> Value {
        self.config
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    async fn start(&self) -> Result<(), D2Error> {
        self.started
            .store(true, std::sync::atomic::Ordering::SeqCst);
        self.listen().await
    }

    fn log_event(&self, event: LifecycleEvent<'_>) {
        const T: &str = "kea-dhcp-ddns.dhcpddns";
        match event {
            LifecycleEvent::Starting => {
                info!(target: T, msgid = "DCTL_STARTING", "DHCP-DDNS process starting, pid: {}", std::process::id())
            }
            LifecycleEvent::Started => {
                info!(target: T, msgid = "DHCP_DDNS_STARTED", "Kea DHCP-DDNS server version {} started", env!("CARGO_PKG_VERSION"))
            }
            LifecycleEvent::AlreadyRunning { pid } => {
                error!(target: T, msgid = "DCTL_ALREADY_RUNNING", "DHCP-DDNS already running? pid: {pid}")
            }
            LifecycleEvent::ConfigLoadFailed { error } => {
                error!(target: T, msgid = "DCTL_CONFIG_FILE_LOAD_FAIL", "DHCP-DDNS reason: {error}")
            }
            LifecycleEvent::Reconfiguring { file } => {
                info!(target: T, msgid = "DHCP_DDNS_CFG_FILE_RELOAD_SIGNAL_RECVD", "reloading configuration file {}", file.display())
            }
            LifecycleEvent::ReconfigureFailed { error } => {
                error!(target: T, msgid = "DHCP_DDNS_CFG_FILE_RELOAD_ERROR", "configuration reload failed: {error}")
            }
            LifecycleEvent::Shutdown => {
                info!(target: T, msgid = "DHCP_DDNS_SHUTDOWN_COMMAND", "application received shutdown command")
            }
        }
    }
}
