//! [`Controller`]: the configuration lifecycle of one daemon — load from file, `config-set`,
//! `config-test`, reload — with Kea's validation of the top level and its answer texts
//! (ARM `ctrl-channel.rst`, "config-set", "config-test", "config-reload"). A failure leaves
//! the running configuration in place.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use kea_config::json::{Element, Position, from_value};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::file::{ConfigFileError, read_config_file};
use super::{Daemon, DaemonContext, DaemonInfo};
use crate::ctrl::{ControlSocketConfig, ControlSocketManager, CtrlError};
use crate::json::to_kea_string;
use crate::log::{LogConfigError, LoggerConfig, loggers_from_json};

/// Top-level keys of Kea's other daemons, ignored in a file (one file may serve several
/// daemons) but refused by `config-set`.
const OTHER_ROOTS: &[&str] = &[
    "Dhcp4",
    "Dhcp6",
    "DhcpDdns",
    "Control-agent",
    "Netconf",
    "Logging",
];

/// Why a configuration was refused; `Display` is the answer text.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read or parsed.
    #[error(transparent)]
    File(#[from] ConfigFileError),
    /// `config-set`/`config-test` without arguments.
    #[error("Missing mandatory 'arguments' parameter.")]
    MissingArguments,
    /// The arguments (or the file) are not a map.
    #[error("Argument must be a map")]
    NotAMap,
    /// No `Dhcp4` (etc.) key.
    #[error("Missing mandatory '{key}' parameter.")]
    MissingRoot {
        /// The expected key.
        key: &'static str,
    },
    /// A top-level key this daemon does not take.
    #[error("Unsupported '{key}' parameter.")]
    Unsupported {
        /// The key.
        key: String,
    },
    /// The root value is not a map.
    #[error("'{key}' parameter expected to be a map.")]
    RootNotMap {
        /// The key.
        key: &'static str,
    },
    /// A bad `loggers` entry.
    #[error(transparent)]
    Loggers(#[from] LogConfigError),
    /// A bad `control-socket`.
    #[error(transparent)]
    ControlSocket(#[from] CtrlError),
    /// The daemon refused the configuration.
    #[error("{0}")]
    Daemon(Box<dyn std::error::Error + Send + Sync>),
}

/// Where a configuration came from: files may hold other daemons' sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    File,
    Command,
}

/// The framework's side of extracted configuration parts.
struct Prepared {
    inner: Element,
    loggers: Option<Vec<LoggerConfig>>,
    socket: Option<ControlSocketConfig>,
}

/// Drives one daemon's configuration and serves the built-in commands.
pub struct Controller<D> {
    info: DaemonInfo,
    daemon: Arc<D>,
    ctx: DaemonContext,
    config_file: Option<PathBuf>,
    started: Instant,
    last_reload: Mutex<Instant>,
    exit_code: AtomicU8,
    sockets: ControlSocketManager,
    /// Serializes configuration changes (`config-set` racing a SIGHUP).
    applying: tokio::sync::Mutex<()>,
}

impl<D> std::fmt::Debug for Controller<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Controller")
            .field("daemon", &self.info.name)
            .finish()
    }
}

impl<D: Daemon> Controller<D> {
    /// A controller for `daemon`; `config_file` is the `-c` file (`config-reload`,
    /// `config-write` default).
    pub fn new(
        info: DaemonInfo,
        daemon: Arc<D>,
        ctx: DaemonContext,
        config_file: Option<PathBuf>,
    ) -> Arc<Self> {
        let sockets = ControlSocketManager::new(
            ctx.registry.clone(),
            ctx.shutdown.clone(),
            ctx.tracker.clone(),
        );
        Arc::new(Self {
            info,
            daemon,
            ctx,
            config_file,
            started: Instant::now(),
            last_reload: Mutex::new(Instant::now()),
            exit_code: AtomicU8::new(0),
            sockets,
            applying: tokio::sync::Mutex::new(()),
        })
    }

    /// The daemon's static description.
    pub fn info(&self) -> &DaemonInfo {
        &self.info
    }

    /// The daemon.
    pub fn daemon(&self) -> &Arc<D> {
        &self.daemon
    }

    /// The shared context.
    pub fn context(&self) -> &DaemonContext {
        &self.ctx
    }

    /// The `-c` file.
    pub fn config_file(&self) -> Option<&Path> {
        self.config_file.as_deref()
    }

    /// Seconds since start (`status-get` `uptime`).
    pub fn uptime(&self) -> u64 {
        self.started.elapsed().as_secs()
    }

    /// Seconds since the last successful configuration (`status-get` `reload`).
    pub fn since_reload(&self) -> u64 {
        self.last_reload
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .elapsed()
            .as_secs()
    }

    /// The process exit code (`shutdown`'s `exit-value`).
    pub fn exit_code(&self) -> u8 {
        self.exit_code.load(Ordering::Relaxed)
    }

    /// Asks for shutdown with `code`.
    pub fn shutdown(&self, code: u8) {
        self.exit_code.store(code, Ordering::Relaxed);
        self.ctx.shutdown.cancel();
    }

    /// The control socket path in use.
    pub fn socket_path(&self) -> Option<PathBuf> {
        self.sockets.socket_path()
    }

    /// Closes the control socket.
    pub fn close(&self) {
        self.sockets.close();
    }

    /// `{root: current}`, what `config-get` and `config-write` show.
    pub fn full_config(&self) -> Value {
        let mut m = Map::new();
        m.insert(self.info.root_key.to_owned(), self.daemon.current_config());
        Value::Object(m)
    }

    /// SHA-256 of the running configuration's Kea text, upper-case hex (`config-hash-get`).
    pub fn config_hash(&self) -> String {
        hash_config(&self.full_config())
    }

    fn prepare(&self, full: &Element, origin: Origin) -> Result<Prepared, ConfigError> {
        let map = full.as_map().ok_or(ConfigError::NotAMap)?;
        let root = self.info.root_key;
        let inner = full
            .get(root)
            .ok_or(ConfigError::MissingRoot { key: root })?;
        for e in map.iter().filter(|e| e.key != root) {
            // `hash` is what `config-get` returns beside the configuration (2.4+), so a
            // configuration taken from `config-get` can be given back to `config-set`.
            let ignorable = origin == Origin::File && OTHER_ROOTS.contains(&e.key.as_str())
                || origin == Origin::Command && e.key == "hash";
            if !ignorable {
                return Err(ConfigError::Unsupported { key: e.key.clone() });
            }
        }
        if inner.as_map().is_none() {
            return Err(ConfigError::RootNotMap { key: root });
        }
        let loggers = inner
            .get("loggers")
            .map(|l| loggers_from_json(&l.to_value()))
            .transpose()?;
        let socket = inner
            .get("control-socket")
            .map(|s| ControlSocketConfig::from_json(&s.to_value()))
            .transpose()?;
        Ok(Prepared {
            inner: inner.clone(),
            loggers,
            socket,
        })
    }

    /// Checks a full configuration (`{root: {...}}`) without applying it.
    pub fn check(
        &self,
        full: &Value,
        full_check: bool,
        origin_file: bool,
    ) -> Result<(), ConfigError> {
        self.check_element(&command_element(full), full_check, origin_file)
    }

    /// Checks a full configuration already in positioned form.
    pub fn check_element(
        &self,
        full: &Element,
        full_check: bool,
        origin_file: bool,
    ) -> Result<(), ConfigError> {
        let origin = if origin_file {
            Origin::File
        } else {
            Origin::Command
        };
        let p = self.prepare(full, origin)?;
        self.daemon
            .check(&p.inner, full_check)
            .map_err(|e| ConfigError::Daemon(Box::new(e)))
    }

    /// `-t`/`-T`: reads and checks a file.
    pub fn check_file(&self, path: &Path, full_check: bool) -> Result<(), ConfigError> {
        let full = read_config_file(path)?;
        self.check_element(&full, full_check, true)
    }

    async fn apply(&self, full: &Element, origin: Origin) -> Result<(), ConfigError> {
        let _guard = self.applying.lock().await;
        let p = self.prepare(full, origin)?;
        self.daemon
            .apply(&p.inner)
            .await
            .map_err(|e| ConfigError::Daemon(Box::new(e)))?;
        *self
            .last_reload
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Instant::now();
        apply_stat_defaults(&self.ctx, &p.inner.to_value());
        if let Err(e) = self
            .ctx
            .logs
            .configure(p.loggers.as_deref().unwrap_or_default())
        {
            tracing::error!(target: "kea-process", msgid = "LOG_CONFIG_ERROR", "logging configuration failed: {e}");
        }
        if let Err(e) = self.sockets.reconfigure(p.socket.as_ref()) {
            tracing::error!(
                target: "kea-process",
                logger = %format!("{}.commands", self.info.name),
                msgid = "COMMAND_SOCKET_OPEN_FAILED",
                "failed to open the control socket: {e}"
            );
        }
        Ok(())
    }

    /// Loads and applies a file (start-up, SIGHUP, `config-reload`).
    pub async fn load_file(&self, path: &Path) -> Result<(), ConfigError> {
        let full = read_config_file(path)?;
        self.apply(&full, Origin::File).await
    }

    /// Applies `config-set` arguments.
    pub async fn config_set(&self, args: Option<&Value>) -> Result<(), ConfigError> {
        let full = args.ok_or(ConfigError::MissingArguments)?;
        self.apply(&command_element(full), Origin::Command).await
    }
}

/// A configuration received over the control channel, in positioned form (positions name
/// the command, as Kea's do).
fn command_element(v: &Value) -> Element {
    from_value(v, &Position::new("<wire>", 0, 0))
}

/// `statistic-default-sample-count` / `-age`: a count wins; a zero count selects the age.
fn apply_stat_defaults(ctx: &DaemonContext, inner: &Value) {
    let count = inner
        .get("statistic-default-sample-count")
        .and_then(Value::as_u64);
    let age = inner
        .get("statistic-default-sample-age")
        .and_then(Value::as_u64);
    match (count, age) {
        (Some(c), _) if c > 0 => ctx
            .stats
            .set_max_sample_count_all(u32::try_from(c).unwrap_or(u32::MAX)),
        (_, Some(a)) if a > 0 => ctx
            .stats
            .set_max_sample_age_all(std::time::Duration::from_secs(a)),
        _ => {}
    }
}

/// SHA-256 of Kea's compact text of `config`, upper-case hex.
pub fn hash_config(config: &Value) -> String {
    use std::fmt::Write as _;
    let digest = Sha256::digest(to_kea_string(config).as_bytes());
    digest.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02X}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hash_is_uppercase_sha256_of_kea_text() {
        // sha256 of `{ "a": 1 }`.
        let h = hash_config(&json!({"a": 1}));
        assert_eq!(h.len(), 64);
        assert!(
            h.chars()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        );
        assert_eq!(h, hash_config(&json!({"a": 1})));
        assert_ne!(h, hash_config(&json!({"a": 2})));
    }
}
