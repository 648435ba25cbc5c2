//! kea-lfc: the lease file cleanup process of the memfile lease backend (`lfc.rst`;
//! INVENTORY §1.2 and §11). A DHCP server runs it every `lfc-interval` seconds on its
//! lease file's companions; it can be run by hand too.
//!
//! - [`cli`]: the switches, Kea's usage text and messages;
//! - [`pidfile`]: the PID file that keeps runs on the same files apart;
//! - [`cleanup`]: compaction and rotation, the crash-safe file protocol;
//! - [`messages`]: loggers and message IDs.
//!
//! [`run`] is one whole run as Kea 2.2's kea-lfc does it, logging as it goes. Failures of
//! a step are logged FATAL and the run still ends normally (exit code 0, as Kea's); only a
//! PID file without a PID is an error of the run.

pub mod cleanup;
pub mod cli;
pub mod messages;
pub mod pidfile;

use kea_lease::{Lease4, Lease6};
use kea_process::log::{
    LogError, LogManager, LoggerConfig, MAX_DEBUG_LEVEL, OutputOption, Severity,
};
use tracing::{error, info};

use crate::cleanup::{LfcFiles, compact, rotate};
use crate::cli::{Family, LfcArgs};
use crate::messages::{
    LFC_FAIL_PID_CREATE, LFC_FAIL_PID_DEL, LFC_FAIL_PROCESS, LFC_FAIL_ROTATE, LFC_PROCESSING,
    LFC_ROTATING, LFC_RUNNING, LFC_START, LFC_TERMINATE, LOGGER,
};
use crate::pidfile::Claim;
pub use crate::pidfile::PidFileError;

/// The suite version kea-lfc reports (`-v`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The text `-V` prints: the version and the source kind (Kea's kea-lfc lists no
/// linked libraries).
pub fn extended_version() -> String {
    format!("{VERSION}\ntarball\n")
}

/// How a run ended (every one of them exits with 0, as Kea's kea-lfc does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The files are compacted and rotated: only `previous` remains.
    Finished,
    /// Another kea-lfc holds the PID file; nothing was touched.
    AlreadyRunning {
        /// Its PID (none when it holds the lock but has not written it yet).
        pid: Option<i32>,
    },
    /// The PID file could not be written; nothing was touched.
    PidFileFailed,
    /// Reading the inputs or writing the output failed; the inputs are untouched.
    CompactFailed,
    /// Deleting the inputs or moving the finish file failed; a rerun completes it.
    RotateFailed,
}

/// Sets up kea-lfc's logging: with `-d` every message to stderr in Kea's layout, without
/// it none.
pub fn init_logging(verbose: bool) -> Result<(), LogError> {
    if !verbose {
        return Ok(());
    }
    let manager = LogManager::new(LOGGER, true);
    manager.configure(&[LoggerConfig {
        name: LOGGER.to_owned(),
        severity: Severity::Debug,
        debuglevel: MAX_DEBUG_LEVEL,
        output_options: vec![OutputOption {
            output: "stderr".to_owned(),
            ..OutputOption::default()
        }],
    }])?;
    manager.install()
}

/// One cleanup run: take the PID file, compact unless a finished output waits, rotate,
/// release the PID file. The only error is a PID file that holds no PID
/// ([`PidFileError::Unreadable`]; Kea's kea-lfc then exits with 1); every other failure is
/// logged and reported in the [`Outcome`].
pub fn run(args: &LfcArgs) -> Result<Outcome, PidFileError> {
    info!(target: LOGGER, msgid = LFC_START, "Starting lease file cleanup");
    let held = match pidfile::claim(&args.pid_file) {
        Ok(Claim::Held(held)) => held,
        Ok(Claim::Running { pid }) => {
            error!(target: LOGGER, fatal = true, msgid = LFC_RUNNING, "LFC instance already running");
            return Ok(Outcome::AlreadyRunning { pid });
        }
        Err(e @ PidFileError::Unreadable { .. }) => return Err(e),
        Err(e) => {
            error!(target: LOGGER, fatal = true, msgid = LFC_FAIL_PID_CREATE, ": {e}");
            return Ok(Outcome::PidFileFailed);
        }
    };
    let outcome = clean(args);
    if let Err(e) = held.remove() {
        error!(target: LOGGER, fatal = true, msgid = LFC_FAIL_PID_DEL, ": {e}");
    }
    info!(target: LOGGER, msgid = LFC_TERMINATE, "LFC finished processing");
    Ok(outcome)
}

fn clean(args: &LfcArgs) -> Outcome {
    let files = LfcFiles {
        previous: args.previous.clone(),
        copy: args.copy.clone(),
        output: args.output.clone(),
        finish: args.finish.clone(),
    };
    if !files.finish.exists() {
        info!(target: LOGGER, msgid = LFC_PROCESSING, "Previous file: {}, copy file: {}",
              files.previous.display(), files.copy.display());
        let compacted = match args.family {
            Family::V4 => compact::<Lease4>(&files).map(drop),
            Family::V6 => compact::<Lease6>(&files).map(drop),
        };
        if let Err(e) = compacted {
            error!(target: LOGGER, fatal = true, msgid = LFC_FAIL_PROCESS, ": {e}");
            return Outcome::CompactFailed;
        }
    }
    info!(target: LOGGER, msgid = LFC_ROTATING, "LFC rotating files");
    if let Err(e) = rotate(&files) {
        error!(target: LOGGER, fatal = true, msgid = LFC_FAIL_ROTATE, ": {e}");
        return Outcome::RotateFailed;
    }
    Outcome::Finished
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use kea_lease::LeaseFilePaths;

    fn args(dir: &std::path::Path) -> LfcArgs {
        LfcArgs::for_lease_file(Family::V4, &LeaseFilePaths::new(&dir.join("l.csv")))
    }

    #[test]
    fn a_run_leaves_only_previous() {
        let dir = tempfile::tempdir().unwrap();
        let a = args(dir.path());
        std::fs::write(&a.copy, "").unwrap();
        assert_eq!(run(&a).unwrap(), Outcome::Finished);
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, vec!["l.csv.2"]);
    }

    #[test]
    fn live_pid_file_refuses_and_garbage_fails() {
        let dir = tempfile::tempdir().unwrap();
        let a = args(dir.path());
        std::fs::write(&a.pid_file, format!("{}\n", std::process::id())).unwrap();
        std::fs::write(&a.copy, "").unwrap();
        assert!(matches!(run(&a).unwrap(), Outcome::AlreadyRunning { .. }));
        assert!(a.copy.exists() && !a.previous.exists());
        std::fs::write(&a.pid_file, "x").unwrap();
        assert!(matches!(run(&a), Err(PidFileError::Unreadable { .. })));
    }

    #[test]
    fn failed_compaction_keeps_inputs() {
        let dir = tempfile::tempdir().unwrap();
        let a = args(dir.path());
        std::fs::write(&a.copy, "address,foo\n").unwrap();
        assert_eq!(run(&a).unwrap(), Outcome::CompactFailed);
        assert!(a.copy.exists() && !a.pid_file.exists());
        assert_eq!(extended_version(), "2.2.0\ntarball\n");
    }
}
