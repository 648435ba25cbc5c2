//! kea-ctrl-agent: the Kea Control Agent, a REST front for the daemons' control channels
//! (ARM `agent.rst`; `ctrl-channel.rst`; `security.rst`; INVENTORY §1.1, §5, §7.2).
//!
//! - [`config`]: the `Control-agent` map checked and turned into a listener setup, the
//!   routing table and what `config-get` shows; [`auth`] its `authentication` part;
//! - [`rest`]: the HTTP request handler (Kea's 400/401 answers, own commands, forwarding);
//! - [`request`]: validation of the command map;
//! - [`forward`]: sending a command to a daemon's UNIX socket;
//! - [`listener`]: the REST listener across reconfigurations;
//! - [`messages`]: log message IDs.
//!
//! The daemon framework (`kea-process`) provides the switches (`-c -t -d -v -V -W`), the PID
//! file, the loggers, the configuration lifecycle and the agent's own commands
//! (`list-commands`, `config-*`, `version-get`, `build-report`, `status-get`, `shutdown`).
//! The agent holds no DHCP state.

pub mod auth;
pub mod config;
pub mod forward;
pub mod listener;
pub mod messages;
pub mod request;
pub mod rest;

use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};

use arc_swap::ArcSwap;
use kea_config::json::Element;
use kea_process::cli::{SwitchSet, UsageStyle};
use kea_process::daemon::{Daemon, DaemonContext, DaemonInfo, LifecycleEvent, StatisticCommands};
use serde_json::Value;

use crate::config::{AgentConfigError, Routing};
use crate::listener::{BindError, Listener};
use crate::messages::*;
use crate::rest::RestHandler;

/// Kea's `config-test` success text on the agent.
pub const CONFIG_CHECK_TEXT: &str = "Configuration check successful";

/// The agent as the framework sees it.
pub const INFO: DaemonInfo = DaemonInfo {
    name: "kea-ctrl-agent",
    root_key: "Control-agent",
    switches: SwitchSet {
        program: "kea-ctrl-agent",
        usage: UsageStyle::DController,
        ports: false,
        full_check: false,
    },
    statistic_commands: StatisticCommands::None,
    server_tag_command: false,
    config_test_text: CONFIG_CHECK_TEXT,
};

/// Why the agent refused a configuration or could not serve it.
#[derive(Debug, thiserror::Error)]
pub enum AgentError {
    /// The configuration is wrong.
    #[error(transparent)]
    Config(#[from] AgentConfigError),
    /// The REST listener could not be bound.
    #[error(transparent)]
    Bind(#[from] BindError),
}

/// The control agent daemon.
pub struct Agent {
    routing: Arc<ArcSwap<Routing>>,
    listener: Listener,
    shown: Mutex<Value>,
}

impl std::fmt::Debug for Agent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Agent").finish_non_exhaustive()
    }
}

impl Agent {
    /// The agent on the framework's shared services.
    pub fn new(ctx: &DaemonContext) -> Self {
        let routing = Arc::new(ArcSwap::from_pointee(Routing::default()));
        let handler = Arc::new(RestHandler::new(routing.clone(), ctx.registry.clone()));
        Self {
            routing,
            listener: Listener::new(handler, ctx.shutdown.clone(), ctx.tracker.clone()),
            shown: Mutex::new(Value::Null),
        }
    }
}

impl Daemon for Agent {
    type Error = AgentError;

    fn check(&self, config: &Element, _full: bool) -> Result<(), AgentError> {
        config::build(config)?;
        Ok(())
    }

    async fn apply(&self, config: &Element) -> Result<(), AgentError> {
        let setup = config::build(config)?;
        self.listener.apply(&setup.listen).await?;
        let services: Vec<&str> = setup.routing.sockets.keys().map(String::as_str).collect();
        let auth = if setup.routing.auth.is_some() {
            ", requires basic HTTP authentication"
        } else {
            ""
        };
        tracing::info!(target: "kea-ctrl-agent", logger = LOG_DCTL, msgid = DCTL_CONFIG_COMPLETE,
            "server has completed configuration: listening on {}, port {}, control sockets: {}{auth}, 0 lib(s):",
            setup.listen.addr.ip(), setup.listen.addr.port(),
            if services.is_empty() { "none".to_owned() } else { services.join(" ") });
        self.routing.store(Arc::new(setup.routing));
        *self.shown.lock().unwrap_or_else(PoisonError::into_inner) = setup.display;
        Ok(())
    }

    fn current_config(&self) -> Value {
        self.shown
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn extended_version(&self) -> String {
        format!(
            "{}\ntarball\nlinked with:\ntracing 0.1\ntokio 1\nhyper 1\nrustls 0.23 (ring)\n",
            kea_process::daemon::report::VERSION
        )
    }

    fn log_event(&self, event: LifecycleEvent<'_>) {
        let version = kea_process::daemon::report::VERSION;
        let pid = std::process::id();
        match event {
            LifecycleEvent::Starting => {
                tracing::info!(target: "kea-ctrl-agent", logger = LOG_DCTL, msgid = DCTL_STARTING,
                "Control-agent starting, pid: {pid}, version: {version} (stable)")
            }
            LifecycleEvent::Started => {
                tracing::info!(target: "kea-ctrl-agent", logger = LOG_CTRL_AGENT, msgid = CTRL_AGENT_STARTED,
                "Kea Control Agent version {version} started")
            }
            LifecycleEvent::AlreadyRunning { pid } => {
                tracing::error!(target: "kea-ctrl-agent", logger = LOG_DCTL,
                msgid = DCTL_ALREADY_RUNNING, "Control-agent already running? PID: {pid}")
            }
            LifecycleEvent::ConfigLoadFailed { error } => {
                tracing::error!(target: "kea-ctrl-agent", logger = LOG_DCTL,
                msgid = DCTL_CONFIG_FILE_LOAD_FAIL, "Control-agent reason: {error}")
            }
            LifecycleEvent::Reconfiguring { file } => {
                tracing::info!(target: "kea-ctrl-agent", logger = LOG_DCTL,
                msgid = DCTL_CFG_FILE_RELOAD_SIGNAL_RECVD, "OS signal received, reloading configuration from file: {}", file.display())
            }
            LifecycleEvent::ReconfigureFailed { error } => {
                tracing::error!(target: "kea-ctrl-agent", logger = LOG_DCTL,
                msgid = DCTL_CFG_FILE_RELOAD_ERROR, "configuration reload failed: {error}, reverting to current configuration.")
            }
            LifecycleEvent::Shutdown => {
                tracing::info!(target: "kea-ctrl-agent", logger = LOG_DCTL, msgid = DCTL_SHUTDOWN,
                "Control-agent has shut down, pid: {pid}, version: {version}")
            }
        }
    }
}

/// Runs the agent with the process's arguments; the exit code follows Kea's.
pub fn run() -> ExitCode {
    kea_process::daemon::run(INFO, |ctx| Agent::new(&ctx))
}
