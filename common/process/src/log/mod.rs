//! Kea's logging on top of tracing (ARM `logging.rst`; INVENTORY §8).
//!
//! Events name their Kea logger with the tracing target (`kea-dhcp4.packets`) or, when the
//! name is only known at run time, with a `logger` field; they carry the message ID in a
//! `msgid` field and, for debug events, Kea's debug level in a `dbg` field (a `fatal = true`
//! field on an error event makes it FATAL):
//!
//! ```
//! tracing::debug!(target: "kea-dhcp4.packets", dbg = 40u8, msgid = "DHCP4_BUFFER_RECEIVED", "...");
//! ```
//!
//! [`LogManager`] owns the logger table: a logger without its own entry uses its nearest
//! configured parent (`kea-dhcp4.packets` → `kea-dhcp4`), events outside the daemon's tree go
//! to the root logger. The table is swapped atomically on reconfiguration (`config-set`,
//! reload). `-d` forces DEBUG/99; before a configuration is loaded, output goes to
//! `KEA_LOGGER_DESTINATION` (default stdout).

pub mod config;
pub mod output;
pub mod pattern;

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

use arc_swap::ArcSwap;
use jiff::Timestamp;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::prelude::*;

pub use config::{
    LogConfigError, LoggerConfig, MAX_DEBUG_LEVEL, OutputOption, Severity, loggers_from_json,
};
use output::Output;
pub use output::OutputError;
use pattern::Record;

/// Environment variable naming the output used before the configuration is loaded.
pub const LOGGER_DESTINATION_ENV: &str = "KEA_LOGGER_DESTINATION";

/// Errors from setting up logging.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    /// An output could not be opened.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// A global tracing subscriber is installed already.
    #[error("a global tracing subscriber is already installed")]
    AlreadyInstalled,
}

#[derive(Debug)]
struct LoggerEntry {
    severity: Severity,
    debuglevel: u8,
    outputs: Vec<Arc<Output>>,
}

impl LoggerEntry {
    fn enabled(&self, severity: Severity, dbg: u8) -> bool {
        self.severity != Severity::None
            && severity <= self.severity
            && (severity != Severity::Debug || dbg <= self.debuglevel)
    }
}

#[derive(Debug)]
struct LoggerTable {
    loggers: HashMap<String, LoggerEntry>,
    /// Used when neither the logger nor a parent is configured.
    fallback: LoggerEntry,
}

impl LoggerTable {
    fn resolve(&self, mut name: &str) -> &LoggerEntry {
        loop {
            if let Some(e) = self.loggers.get(name) {
                return e;
            }
            match name.rfind('.') {
                Some(dot) => name = &name[..dot],
                None => return &self.fallback,
            }
        }
    }

    /// The most verbose severity any logger lets through.
    fn max_severity(&self) -> Severity {
        self.loggers
            .values()
            .chain(std::iter::once(&self.fallback))
            .map(|e| e.severity)
            .filter(|s| *s != Severity::None)
            .max()
            .unwrap_or(Severity::Fatal)
    }
}

/// The logger configuration of one daemon; shared as `Arc<LogManager>`.
#[derive(Debug)]
pub struct LogManager {
    root: String,
    verbose: AtomicBool,
    initial: OutputOption,
    table: Arc<ArcSwap<LoggerTable>>,
    max_severity: Arc<AtomicU8>,
}

fn severity_rank(s: Severity) -> u8 {
    s as u8
}

impl LogManager {
    /// A manager for the daemon whose root logger is `root` (`kea-dhcp4`); `verbose` is `-d`.
    /// Until [`configure`](Self::configure) it logs INFO (DEBUG/99 with `-d`) to
    /// `KEA_LOGGER_DESTINATION` or stdout.
    pub fn new(root: &str, verbose: bool) -> Arc<Self> {
        let dest = std::env::var(LOGGER_DESTINATION_ENV)
            .ok()
            .filter(|d| !d.is_empty());
        let initial = OutputOption {
            output: dest.unwrap_or_else(|| "stdout".into()),
            ..OutputOption::default()
        };
        let fallback = Self::default_entry(&initial, verbose);
        let table = LoggerTable {
            loggers: HashMap::new(),
            fallback,
        };
        let max = severity_rank(table.max_severity());
        Arc::new(Self {
            root: root.to_owned(),
            verbose: AtomicBool::new(verbose),
            initial,
            table: Arc::new(ArcSwap::from_pointee(table)),
            max_severity: Arc::new(AtomicU8::new(max)),
        })
    }

    fn default_entry(initial: &OutputOption, verbose: bool) -> LoggerEntry {
        let outputs = match Output::open(initial) {
            Ok(o) => vec![Arc::new(o)],
            // An unusable destination falls back to stdout, which always opens.
            Err(_) => Output::open(&OutputOption::default())
                .map(Arc::new)
                .into_iter()
                .collect(),
        };
        let (severity, debuglevel) = if verbose {
            (Severity::Debug, MAX_DEBUG_LEVEL)
        } else {
            (Severity::Info, 0)
        };
        LoggerEntry {
            severity,
            debuglevel,
            outputs,
        }
    }

    /// The root logger name.
    pub fn root(&self) -> &str {
        &self.root
    }

    /// Whether `-d` is in force.
    pub fn verbose(&self) -> bool {
        self.verbose.load(Ordering::Relaxed)
    }

    /// The tracing layer that writes through this manager's table.
    pub fn layer(&self) -> KeaLogLayer {
        KeaLogLayer {
            root: self.root.clone(),
            table: self.table.clone(),
            max_severity: self.max_severity.clone(),
        }
    }

    /// Installs the layer as the process-wide tracing subscriber.
    pub fn install(&self) -> Result<(), LogError> {
        let subscriber = tracing_subscriber::registry().with(self.layer());
        tracing::subscriber::set_global_default(subscriber).map_err(|_| LogError::AlreadyInstalled)
    }

    /// Replaces the logger table with `loggers` (an empty list restores the start-up
    /// defaults). Outputs are opened first; on error the old table stays.
    pub fn configure(&self, loggers: &[LoggerConfig]) -> Result<(), LogError> {
        let verbose = self.verbose();
        let mut opened: HashMap<&str, Arc<Output>> = HashMap::new();
        let mut table = HashMap::new();
        for l in loggers {
            let mut outputs = Vec::with_capacity(l.output_options.len());
            for o in &l.output_options {
                // Loggers naming the same destination share it (one rotation state per file).
                let out = match opened.get(o.output.as_str()) {
                    Some(out) => out.clone(),
                    None => {
                        let out = Arc::new(Output::open(o)?);
                        opened.insert(&o.output, out.clone());
                        out
                    }
                };
                outputs.push(out);
            }
            let (severity, debuglevel) = if verbose {
                (Severity::Debug, MAX_DEBUG_LEVEL)
            } else {
                (l.severity, l.debuglevel)
            };
            table.insert(
                l.name.clone(),
                LoggerEntry {
                    severity,
                    debuglevel,
                    outputs,
                },
            );
        }
        let table = LoggerTable {
            loggers: table,
            fallback: Self::default_entry(&self.initial, verbose),
        };
        self.max_severity
            .store(severity_rank(table.max_severity()), Ordering::Relaxed);
        self.table.store(Arc::new(table));
        Ok(())
    }
}

/// The tracing layer: filters by Kea logger, severity and debug level, formats each
/// output's pattern and writes.
#[derive(Debug, Clone)]
pub struct KeaLogLayer {
    root: String,
    table: Arc<ArcSwap<LoggerTable>>,
    max_severity: Arc<AtomicU8>,
}

fn severity_of(level: &Level) -> Severity {
    match *level {
        Level::ERROR => Severity::Error,
        Level::WARN => Severity::Warn,
        Level::INFO => Severity::Info,
        _ => Severity::Debug,
    }
}

#[derive(Default)]
struct Fields {
    msgid: Option<String>,
    logger: Option<String>,
    dbg: u8,
    fatal: bool,
    message: String,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "msgid" => self.msgid = Some(value.to_owned()),
            "logger" => self.logger = Some(value.to_owned()),
            "message" => self.message.push_str(value),
            _ => {}
        }
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        if field.name() == "dbg" {
            self.dbg = u8::try_from(value).unwrap_or(u8::MAX);
        }
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        if field.name() == "dbg" {
            self.dbg = u8::try_from(value.max(0)).unwrap_or(u8::MAX);
        }
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        if field.name() == "fatal" {
            self.fatal = value;
        }
    }
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        use std::fmt::Write as _;
        match field.name() {
            "message" => {
                let _ = write!(self.message, "{value:?}");
            }
            "msgid" => self.msgid = Some(format!("{value:?}").trim_matches('"').to_owned()),
            "logger" => self.logger = Some(format!("{value:?}").trim_matches('"').to_owned()),
            _ => {}
        }
    }
}

thread_local! {
    static TID: i32 = nix::unistd::gettid().as_raw();
    static LINE: RefCell<String> = RefCell::new(String::with_capacity(256));
}

impl<S: Subscriber> Layer<S> for KeaLogLayer {
    /// Never cache a verdict per call site: the logger table changes at run time, so
    /// `enabled` (one atomic load) decides each time.
    fn register_callsite(
        &self,
        _meta: &'static Metadata<'static>,
    ) -> tracing::subscriber::Interest {
        tracing::subscriber::Interest::sometimes()
    }

    fn enabled(&self, meta: &Metadata<'_>, _ctx: Context<'_, S>) -> bool {
        severity_rank(severity_of(meta.level())) <= self.max_severity.load(Ordering::Relaxed)
    }

    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let meta = event.metadata();
        let mut fields = Fields::default();
        event.record(&mut fields);
        let mut severity = severity_of(meta.level());
        if fields.fatal && severity == Severity::Error {
            severity = Severity::Fatal;
        }
        let name = fields.logger.as_deref().unwrap_or(meta.target());
        let in_tree = name == self.root
            || name
                .strip_prefix(self.root.as_str())
                .is_some_and(|rest| rest.starts_with('.'));
        // Other crates' chatter only reaches the log when it is a warning or worse.
        if !in_tree && !name.starts_with("kea") && severity > Severity::Warn {
            return;
        }
        let name = if in_tree { name } else { self.root.as_str() };
        let table = self.table.load();
        let entry = table.resolve(name);
        if !entry.enabled(severity, fields.dbg) {
            return;
        }
        let record = Record {
            time: Timestamp::now(),
            severity: severity.as_str(),
            logger: name,
            pid: std::process::id(),
            tid: TID.with(|t| *t),
            msgid: fields.msgid.as_deref(),
            text: &fields.message,
        };
        LINE.with(|line| {
            let Ok(mut line) = line.try_borrow_mut() else {
                return;
            };
            for out in &entry.outputs {
                line.clear();
                out.pattern.render(&record, &mut line);
                out.write_line(severity, &line);
            }
        });
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    fn file_logger(
        name: &str,
        path: &std::path::Path,
        severity: Severity,
        debuglevel: u8,
    ) -> LoggerConfig {
        LoggerConfig {
            name: name.into(),
            severity,
            debuglevel,
            output_options: vec![OutputOption {
                output: path.to_string_lossy().into_owned(),
                pattern: "%-5p [%c] %m\n".into(),
                ..OutputOption::default()
            }],
        }
    }

    #[test]
    fn hierarchy_severity_and_debuglevel() {
        let dir = tempfile::tempdir().unwrap();
        let root_log = dir.path().join("root.log");
        let pkt_log = dir.path().join("pkt.log");
        let mgr = LogManager::new("kea-test", false);
        mgr.configure(&[
            file_logger("kea-test", &root_log, Severity::Info, 0),
            file_logger("kea-test.packets", &pkt_log, Severity::Debug, 40),
        ])
        .unwrap();
        let subscriber = tracing_subscriber::registry().with(mgr.layer());
        tracing::subscriber::with_default(subscriber, || {
            tracing::info!(target: "kea-test.dhcp4", msgid = "T_START", "server starting");
            tracing::debug!(target: "kea-test.dhcp4", dbg = 0u8, msgid = "T_HIDDEN", "not at INFO");
            tracing::debug!(target: "kea-test.packets", dbg = 40u8, msgid = "T_PKT", "packet {}", 1);
            tracing::debug!(target: "kea-test.packets", dbg = 50u8, msgid = "T_PKT_DETAIL", "too detailed");
            tracing::error!(target: "kea-test", fatal = true, msgid = "T_FATAL", "gone");
            tracing::warn!(target: "kea-process", logger = "kea-test.commands", msgid = "T_CMD", "by field");
            tracing::info!(target: "kea-process", msgid = "T_FRAMEWORK", "framework");
            tracing::info!(target: "hyper", "foreign chatter");
        });
        let root = std::fs::read_to_string(&root_log).unwrap();
        assert_eq!(
            root,
            "INFO  [kea-test.dhcp4] T_START server starting\nFATAL [kea-test] T_FATAL gone\n\
             WARN  [kea-test.commands] T_CMD by field\nINFO  [kea-test] T_FRAMEWORK framework\n"
        );
        let pkt = std::fs::read_to_string(&pkt_log).unwrap();
        assert_eq!(pkt, "DEBUG [kea-test.packets] T_PKT packet 1\n");
    }

    #[test]
    fn raising_the_level_at_run_time_reaches_seen_call_sites() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("k.log");
        let mgr = LogManager::new("kea-test", false);
        mgr.configure(&[file_logger("kea-test", &log, Severity::Info, 0)])
            .unwrap();
        let subscriber = tracing_subscriber::registry().with(mgr.layer());
        let emit = || tracing::debug!(target: "kea-test", dbg = 10u8, msgid = "T_LATE", "late");
        tracing::subscriber::with_default(subscriber, || {
            emit();
            mgr.configure(&[file_logger("kea-test", &log, Severity::Debug, 10)])
                .unwrap();
            emit();
        });
        assert_eq!(
            std::fs::read_to_string(&log).unwrap(),
            "DEBUG [kea-test] T_LATE late\n"
        );
    }

    #[test]
    fn verbose_forces_debug_99_and_reconfigure_swaps() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("k.log");
        let mgr = LogManager::new("kea-test", true);
        mgr.configure(&[file_logger("kea-test", &log, Severity::Error, 0)])
            .unwrap();
        let subscriber = tracing_subscriber::registry().with(mgr.layer());
        tracing::subscriber::with_default(subscriber, || {
            tracing::debug!(target: "kea-test", dbg = 99u8, msgid = "T_D", "deep");
        });
        assert_eq!(
            std::fs::read_to_string(&log).unwrap(),
            "DEBUG [kea-test] T_D deep\n"
        );
        // A failing reconfiguration keeps the old table.
        let bad = file_logger(
            "kea-test",
            std::path::Path::new("/nonexistent-dir/x.log"),
            Severity::Info,
            0,
        );
        assert!(mgr.configure(&[bad]).is_err());
        let subscriber = tracing_subscriber::registry().with(mgr.layer());
        tracing::subscriber::with_default(subscriber, || {
            tracing::debug!(target: "kea-test", dbg = 1u8, msgid = "T_D2", "still");
        });
        assert!(
            std::fs::read_to_string(&log)
                .unwrap()
                .ends_with("T_D2 still\n")
        );
    }
}
