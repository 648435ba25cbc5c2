//! The daemon lifecycle (ARM `dhcp4-srv.rst`, "Starting and Stopping"; `ctrl-channel.rst`):
//! a server implements [`Daemon`]; [`run`] parses the switches, sets up logging, loads and
//! applies the configuration, takes the PID file, opens the control socket, registers the
//! built-in commands, and runs until a signal or `shutdown`.

pub mod builtin;
pub mod controller;
pub mod file;
pub mod report;

use std::future::Future;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use kea_config::json::Element;
use serde_json::{Map, Value};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::cli::{self, CliAction, SwitchSet};
use crate::ctrl::CommandRegistry;
use crate::log::LogManager;
use crate::pidfile::{PidFile, pid_file_path};
use crate::stats::StatsMgr;

pub use controller::{ConfigError, Controller};

/// Which `statistic-*` commands a daemon offers (INVENTORY §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatisticCommands {
    /// All ten (kea-dhcp4, kea-dhcp6).
    All,
    /// get, get-all, reset, reset-all (kea-dhcp-ddns).
    Basic,
    /// None (kea-ctrl-agent).
    None,
}

/// What the framework needs to know about a daemon before it exists.
#[derive(Debug, Clone, Copy)]
pub struct DaemonInfo {
    /// Program and root logger name: `kea-dhcp4`.
    pub name: &'static str,
    /// Top-level configuration key: `Dhcp4`.
    pub root_key: &'static str,
    /// Accepted switches and usage layout.
    pub switches: SwitchSet,
    /// The `statistic-*` commands to register.
    pub statistic_commands: StatisticCommands,
    /// Whether `server-tag-get` exists (DHCP servers).
    pub server_tag_command: bool,
    /// `config-test` success text.
    pub config_test_text: &'static str,
}

/// Kea's `config-test` success text on the DHCP servers.
pub const DHCP_CONFIG_TEST_TEXT: &str = "Configuration seems sane. Control-socket, hook-libraries, and D2 configuration were sanity checked, but not applied.";

/// Lifecycle moments a daemon logs with its own message IDs (`DHCP4_STARTING`, ...).
#[derive(Debug, Clone, Copy)]
pub enum LifecycleEvent<'a> {
    /// Before the configuration is loaded (`DHCP4_STARTING`).
    Starting,
    /// Configured and serving (`DHCP4_STARTED`).
    Started,
    /// The PID file names a live process (`DHCP4_ALREADY_RUNNING`).
    AlreadyRunning {
        /// The other process.
        pid: i32,
    },
    /// The configuration could not be loaded (`DHCP4_INIT_FAIL`, `DHCP4_CONFIG_LOAD_FAIL`).
    ConfigLoadFailed {
        /// Why.
        error: &'a str,
    },
    /// A SIGHUP or `config-reload` is being handled (`DHCP4_DYNAMIC_RECONFIGURATION`).
    Reconfiguring {
        /// The file being read.
        file: &'a Path,
    },
    /// SIGHUP reload failed; the old configuration stays (`DHCP4_DYNAMIC_RECONFIGURATION_FAIL`).
    ReconfigureFailed {
        /// Why.
        error: &'a str,
    },
    /// Shutting down (`DHCP4_SHUTDOWN`).
    Shutdown,
}

/// Shared services handed to the daemon when it is created.
#[derive(Debug, Clone)]
pub struct DaemonContext {
    /// The one command registry: register daemon (and hook) commands here.
    pub registry: Arc<CommandRegistry>,
    /// Statistics: `ctx.stats.add_value("pkt4-received", 1i64)`.
    pub stats: Arc<StatsMgr>,
    /// Cancelled on SIGTERM, SIGINT or `shutdown`; workers select on it.
    pub shutdown: CancellationToken,
    /// Spawn long-running tasks here; it is awaited before exit.
    pub tracker: TaskTracker,
    /// The logger table (the framework reconfigures it from `loggers`).
    pub logs: Arc<LogManager>,
    /// The command-line switches (ports for `-p`/`-P`, `-d`).
    pub switches: cli::Switches,
}

impl DaemonContext {
    /// A fresh context for the daemon named `name`.
    pub fn new(name: &str, switches: cli::Switches) -> Self {
        Self {
            registry: CommandRegistry::new(name),
            stats: Arc::new(StatsMgr::new()),
            shutdown: CancellationToken::new(),
            tracker: TaskTracker::new(),
            logs: LogManager::new(name, switches.debug),
            switches,
        }
    }
}

/// A Kea server as the framework drives it. All methods see the *inner* configuration map
/// (the value under [`DaemonInfo::root_key`]); `loggers` and `control-socket` in it are
/// handled by the framework as well, after `apply` succeeds.
pub trait Daemon: Send + Sync + 'static {
    /// The daemon's configuration error; its `Display` becomes the answer text.
    type Error: std::error::Error + Send + Sync + 'static;

    /// Checks a configuration without applying it (`-t`, `-T` with `full`, `config-test`).
    /// The map keeps the positions of the file it came from (or `<wire>` for commands).
    fn check(&self, config: &Element, full: bool) -> Result<(), Self::Error>;

    /// Builds and publishes a new configuration. On error the running one must stay.
    fn apply(&self, config: &Element) -> impl Future<Output = Result<(), Self::Error>> + Send;

    /// The running configuration as `config-get` and `config-write` show it (inner map).
    fn current_config(&self) -> Value;

    /// Called once after the first successful `apply`: open sockets, spawn workers on
    /// `ctx.tracker`, watching `ctx.shutdown`.
    fn start(&self) -> impl Future<Output = Result<(), Self::Error>> + Send {
        async { Ok(()) }
    }

    /// Extra `status-get` fields (`multi-threading-enabled`, `sockets`, ...).
    fn status(&self) -> Map<String, Value> {
        Map::new()
    }

    /// `server-tag` of the running configuration.
    fn server_tag(&self) -> String {
        String::new()
    }

    /// `-V` and `version-get`'s `extended` text.
    fn extended_version(&self) -> String {
        report::default_extended_version()
    }

    /// Logs a lifecycle moment with the daemon's message IDs.
    fn log_event(&self, _event: LifecycleEvent<'_>) {}
}

/// Runs a daemon with the process's arguments; `make` builds it from the shared context.
/// Returns the exit code (0, 1 on usage/configuration errors, or `shutdown`'s exit-value).
pub fn run<D: Daemon>(info: DaemonInfo, make: impl FnOnce(DaemonContext) -> D) -> ExitCode {
    run_with_args(info, std::env::args_os(), make)
}

/// [`run`] with explicit arguments (tests, embedding).
pub fn run_with_args<D, I, T>(
    info: DaemonInfo,
    args: I,
    make: impl FnOnce(DaemonContext) -> D,
) -> ExitCode
where
    D: Daemon,
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let action = match cli::parse(&info.switches, args) {
        Ok(a) => a,
        Err(e) => {
            eprint!("{}", e.report(&info.switches));
            return ExitCode::from(1);
        }
    };
    let (switches, check) = match action {
        CliAction::Version => {
            println!("{}", report::VERSION);
            return ExitCode::SUCCESS;
        }
        CliAction::BuildReport => {
            println!("{}", report::build_report(info.name));
            return ExitCode::SUCCESS;
        }
        CliAction::ExtendedVersion => {
            let ctx = DaemonContext::new(info.name, cli::Switches::default());
            println!("{}", make(ctx).extended_version());
            return ExitCode::SUCCESS;
        }
        CliAction::Check { file, full, debug } => (
            cli::Switches {
                config_file: file,
                debug,
                ..cli::Switches::default()
            },
            Some(full),
        ),
        CliAction::Run(s) => (s, None),
    };
    let ctx = DaemonContext::new(info.name, switches.clone());
    let daemon = Arc::new(make(ctx.clone()));
    // A second installation (tests running several daemons) keeps the first subscriber.
    let _ = ctx.logs.install();
    let controller = Controller::new(info, daemon, ctx, Some(switches.config_file.clone()));
    if let Some(full) = check {
        return match controller.check_file(&switches.config_file, full) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("Syntax check failed with: {e}");
                ExitCode::from(1)
            }
        };
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!(
                "{}: Fatal error during start up: cannot start the runtime: {e}",
                info.name
            );
            return ExitCode::from(1);
        }
    };
    let code = runtime.block_on(serve(controller, &switches.config_file));
    ExitCode::from(code)
}

/// The running phase: PID file, configuration, control socket, signals, shutdown.
async fn serve<D: Daemon>(controller: Arc<Controller<D>>, config_file: &Path) -> u8 {
    let name = controller.info().name;
    controller.daemon().log_event(LifecycleEvent::Starting);
    let pid_path = pid_file_path(config_file, name);
    let _pid = match PidFile::create(&pid_path) {
        Ok(p) => p,
        Err(crate::pidfile::PidFileError::AlreadyRunning { pid, .. }) => {
            controller
                .daemon()
                .log_event(LifecycleEvent::AlreadyRunning { pid });
            eprintln!("{name}: Fatal error during start up: daemon already running, PID {pid}");
            return 1;
        }
        Err(e) => {
            eprintln!("{name}: Fatal error during start up: {e}");
            return 1;
        }
    };
    controller.register_builtin_commands();
    if let Err(e) = controller.load_file(config_file).await {
        let text = e.to_string();
        controller
            .daemon()
            .log_event(LifecycleEvent::ConfigLoadFailed { error: &text });
        eprintln!("{name}: Fatal error during start up: {text}");
        controller.close();
        return 1;
    }
    if let Err(e) = controller.daemon().start().await {
        let text = e.to_string();
        controller
            .daemon()
            .log_event(LifecycleEvent::ConfigLoadFailed { error: &text });
        eprintln!("{name}: Fatal error during start up: {text}");
        controller.close();
        return 1;
    }
    controller.daemon().log_event(LifecycleEvent::Started);
    wait_for_signals(&controller, config_file).await;
    controller.close();
    controller.context().tracker.close();
    controller.context().tracker.wait().await;
    controller.daemon().log_event(LifecycleEvent::Shutdown);
    controller.exit_code()
}

/// SIGHUP reloads; SIGTERM/SIGINT (or the `shutdown` command) end the wait.
async fn wait_for_signals<D: Daemon>(controller: &Arc<Controller<D>>, config_file: &Path) {
    use tokio::signal::unix::{SignalKind, signal};
    let shutdown = controller.context().shutdown.clone();
    let (Ok(mut hup), Ok(mut term), Ok(mut int)) = (
        signal(SignalKind::hangup()),
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        shutdown.cancelled().await;
        return;
    };
    loop {
        tokio::select! {
            () = shutdown.cancelled() => return,
            _ = term.recv() => { shutdown.cancel(); return; }
            _ = int.recv() => { shutdown.cancel(); return; }
            _ = hup.recv() => {
                controller.daemon().log_event(LifecycleEvent::Reconfiguring { file: config_file });
                if let Err(e) = controller.load_file(config_file).await {
                    let text = e.to_string();
                    controller.daemon().log_event(LifecycleEvent::ReconfigureFailed { error: &text });
                }
            }
        }
    }
}
