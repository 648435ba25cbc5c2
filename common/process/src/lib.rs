//! kea-process: the framework every Kea daemon shares (ARM `dhcp4-srv.rst` "Starting and
//! Stopping", `ctrl-channel.rst`, `logging.rst`, `stats.rst`; INVENTORY §1.1, §6-§9).
//!
//! - [`cli`]: Kea's command-line switches and usage text;
//! - [`pidfile`], the file `$KEA_PIDFILE_DIR/<config>.<daemon>.pid`;
//! - [`log`]: Kea's loggers, severities, debug levels, outputs and line layout on tracing;
//! - [`ctrl`]: answers, the command registry and the UNIX control socket;
//! - [`daemon`]: the [`daemon::Daemon`] trait and [`daemon::run`], the whole lifecycle with
//!   the built-in commands;
//! - [`json`]: Kea's JSON text forms.
//!
//! Statistics live in the `kea-stats` crate, re-exported here as [`stats`].

pub mod cli;
pub mod ctrl;
pub mod daemon;
pub mod json;
pub mod log;
pub mod pidfile;
pub mod timer;

pub use kea_stats as stats;
