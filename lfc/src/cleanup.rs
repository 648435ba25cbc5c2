//! The lease file cleanup itself: compacting the previous and copy files into the output,
//! and rotating the finished output into the previous file's place (`lfc.rst`,
//! "Overview" and "Command-Line Options"; INVENTORY §11, "LFC protocol").
//!
//! Steps, each leaving files from which a rerun reaches the same end state:
//! 1. [`compact`]: read `previous` then `copy` (the last row per address wins, a row with
//!    valid lifetime 0 deletes the address), write every remaining lease to `output` in
//!    address order with the current header, fsync it, rename it to `finish`. Expired,
//!    declined and expired-reclaimed leases are kept, as Kea 2.2 keeps them (verified). A
//!    v6 lease is keyed by its address alone, as in Kea 2.2 (verified: an IA_TA row for
//!    an IA_NA's address replaces it).
//! 2. [`rotate`]: delete `previous`, delete `copy`, rename `finish` to `previous`.
//!
//! A run that finds `finish` skips step 1: an earlier run was interrupted after it.
//! Renames are followed by an fsync of the directory (Kea does neither fsync).
//!
//! KEA-DIFF: an `output` left by a killed run is replaced. Kea 2.2 appends to it
//! (verified): its rows are glued to the torn last row, and a tear inside the header
//! makes every later run fail until the file is deleted.

use std::collections::BTreeMap;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use kea_lease::load::{LFC_MAX_ROW_ERRORS, ReadEvent, ReadStats, read_file};
use kea_lease::row::LeaseRow;
use kea_lease::writer::{WriteError, write_lease_file};
use kea_lease::{LeaseFilePaths, LoadError};
use tracing::{error, info, warn};

use crate::messages::{
    DHCPSRV_MEMFILE_LEASE_FILE_LOAD, DHCPSRV_MEMFILE_LEASE_LOAD_ROW_ERROR,
    DHCPSRV_MEMFILE_NEEDS_DOWNGRADING, DHCPSRV_MEMFILE_NEEDS_UPGRADING, LFC_READ_STATS,
    LFC_WRITE_STATS, LOGGER, LOGGER_DHCPSRV,
};

/// The four files of the protocol (the PID file aside).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LfcFiles {
    /// `-x`: the result of the previous run (`<file>.2`).
    pub previous: PathBuf,
    /// `-i`: the lease file the server moved aside (`<file>.1`).
    pub copy: PathBuf,
    /// `-o`: the output while it is written (`<file>.output`).
    pub output: PathBuf,
    /// `-f`: the finished output (`<file>.completed`).
    pub finish: PathBuf,
}

impl From<&LeaseFilePaths> for LfcFiles {
    fn from(paths: &LeaseFilePaths) -> Self {
        Self {
            previous: paths.previous.clone(),
            copy: paths.input.clone(),
            output: paths.output.clone(),
            finish: paths.finish.clone(),
        }
    }
}

/// What one compaction read and wrote (Kea's `LFC_READ_STATS` and `LFC_WRITE_STATS`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CompactStats {
    /// Counters over both input files.
    pub read: ReadStats,
    /// Leases written to the output.
    pub written: usize,
}

/// Why compaction failed (logged as `LFC_FAIL_PROCESS`); the inputs are untouched.
#[derive(Debug, thiserror::Error)]
pub enum CompactError {
    /// An input file could not be read.
    #[error(transparent)]
    Read(#[from] LoadError),
    /// The output could not be written.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// The output could not be renamed to the finish file.
    #[error("Unable to move output ({}) to complete ({}) error: {}",
            .output.display(), .finish.display(), strerror(.source))]
    MoveOutput {
        /// The output file.
        output: PathBuf,
        /// The finish file.
        finish: PathBuf,
        /// The OS error.
        source: io::Error,
    },
}

/// Why rotation failed (logged as `LFC_FAIL_ROTATE`); a rerun continues from here.
#[derive(Debug, thiserror::Error)]
pub enum RotateError {
    /// The previous file could not be deleted.
    #[error("Unable to delete previous file '{}' error: {}", .path.display(), strerror(.source))]
    DeletePrevious {
        /// The previous file.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
    /// The copy file could not be deleted.
    #[error("Unable to delete copy file '{}' error: {}", .path.display(), strerror(.source))]
    DeleteCopy {
        /// The copy file.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
    /// The finish file could not be renamed to the previous file.
    #[error("Unable to move finish ({}) to previous ({}) error: {}",
            .finish.display(), .previous.display(), strerror(.source))]
    MoveFinish {
        /// The finish file.
        finish: PathBuf,
        /// The previous file.
        previous: PathBuf,
        /// The OS error.
        source: io::Error,
    },
}

/// The C library's text for an OS error (Rust's adds " (os error N)").
fn strerror(e: &io::Error) -> String {
    let text = e.to_string();
    match text.rfind(" (os error ") {
        Some(at) if e.raw_os_error().is_some() => text[..at].to_owned(),
        _ => text,
    }
}

/// Step 1: reads `previous` then `copy`, writes the surviving leases to `output` (synced)
/// and renames it to `finish`. Logs each file read, row errors and the counters.
pub fn compact<L: LeaseRow>(files: &LfcFiles) -> Result<CompactStats, CompactError> {
    let mut leases: BTreeMap<L::Key, L> = BTreeMap::new();
    let mut stats = CompactStats::default();
    for path in [&files.previous, &files.copy] {
        read_file(
            path,
            LFC_MAX_ROW_ERRORS,
            &mut leases,
            &mut stats.read,
            |event| log_read_event::<L>(path, event),
        )?;
    }
    info!(target: LOGGER, msgid = LFC_READ_STATS, "Leases: {}, attempts: {}, errors: {}.",
          stats.read.leases, stats.read.attempts, stats.read.errors);
    write_lease_file(&files.output, leases.values())?;
    stats.written = leases.len();
    info!(target: LOGGER, msgid = LFC_WRITE_STATS, "Leases: {0}, attempts: {0}, errors: 0.",
          stats.written);
    std::fs::rename(&files.output, &files.finish).map_err(|source| CompactError::MoveOutput {
        output: files.output.clone(),
        finish: files.finish.clone(),
        source,
    })?;
    sync_dir_of(&files.finish);
    Ok(stats)
}

fn log_read_event<L: LeaseRow>(path: &Path, event: ReadEvent<'_>) {
    match event {
        ReadEvent::Opened => {
            info!(target: LOGGER_DHCPSRV, msgid = DHCPSRV_MEMFILE_LEASE_FILE_LOAD,
                  "loading leases from file {}", path.display());
        }
        ReadEvent::SchemaMismatch { older: true } => {
            warn!(target: LOGGER_DHCPSRV, msgid = DHCPSRV_MEMFILE_NEEDS_UPGRADING,
                  "version of lease file: {} schema is earlier than version {}",
                  path.display(), L::SCHEMA.version);
        }
        ReadEvent::SchemaMismatch { older: false } => {
            warn!(target: LOGGER_DHCPSRV, msgid = DHCPSRV_MEMFILE_NEEDS_DOWNGRADING,
                  "version of lease file: {} schema is later than version {}",
                  path.display(), L::SCHEMA.version);
        }
        ReadEvent::RowError { row, error, .. } => {
            error!(target: LOGGER_DHCPSRV, msgid = DHCPSRV_MEMFILE_LEASE_LOAD_ROW_ERROR,
                   "discarding row {row}, error: {error}");
        }
    }
}

/// Step 2: deletes `previous` and `copy` (missing ones are fine) and renames `finish` to
/// `previous`. Without a `finish` file nothing is deleted.
pub fn rotate(files: &LfcFiles) -> Result<(), RotateError> {
    // Kea only rotates once the finish file exists; checking first keeps the inputs if
    // it vanished in between.
    if let Err(source) = std::fs::symlink_metadata(&files.finish) {
        return Err(RotateError::MoveFinish {
            finish: files.finish.clone(),
            previous: files.previous.clone(),
            source,
        });
    }
    remove_if_exists(&files.previous).map_err(|source| RotateError::DeletePrevious {
        path: files.previous.clone(),
        source,
    })?;
    remove_if_exists(&files.copy).map_err(|source| RotateError::DeleteCopy {
        path: files.copy.clone(),
        source,
    })?;
    std::fs::rename(&files.finish, &files.previous).map_err(|source| RotateError::MoveFinish {
        finish: files.finish.clone(),
        previous: files.previous.clone(),
        source,
    })?;
    sync_dir_of(&files.previous);
    Ok(())
}

fn remove_if_exists(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Makes a rename in `path`'s directory durable. Best effort: some file systems refuse
/// to sync a directory, and the rename itself has happened either way.
fn sync_dir_of(path: &Path) {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use kea_lease::csv4::SCHEMA4;
    use kea_lease::{Lease4, Lease6};

    const A1: &str = "192.0.2.1,01:02:03:04:05:06,,100,2000000000,1,0,0,a,0,";
    const A2: &str = "192.0.2.1,01:02:03:04:05:06,,200,2000000100,1,0,0,a2,0,";
    const B: &str = "192.0.2.2,01:02:03:04:05:07,,100,2000000000,1,0,0,b,0,";
    const DEL_B: &str = "192.0.2.2,01:02:03:04:05:07,,0,2000000000,1,0,0,b,0,";
    const DECLINED: &str = "10.0.0.9,,,100,2000000000,1,0,0,,1,";
    const RECLAIMED: &str = "192.0.2.3,01:02:03:04:05:08,,100,1000,1,0,0,r,2,";

    fn file(rows: &[&str]) -> String {
        let mut text = SCHEMA4.header() + "\n";
        for row in rows {
            text.push_str(row);
            text.push('\n');
        }
        text
    }

    fn files(dir: &Path) -> LfcFiles {
        LfcFiles::from(&LeaseFilePaths::new(&dir.join("l.csv")))
    }

    #[test]
    fn compacts_in_address_order_keeping_expired_declined_reclaimed() {
        let dir = tempfile::tempdir().unwrap();
        let f = files(dir.path());
        std::fs::write(&f.previous, file(&[A1, B, RECLAIMED])).unwrap();
        std::fs::write(&f.copy, file(&[A2, DEL_B, DECLINED, "bad"])).unwrap();
        let stats = compact::<Lease4>(&f).unwrap();
        assert_eq!(
            stats,
            CompactStats {
                read: ReadStats {
                    leases: 6,
                    attempts: 9,
                    errors: 1
                },
                written: 3
            }
        );
        assert!(!f.output.exists());
        assert_eq!(
            std::fs::read_to_string(&f.finish).unwrap(),
            file(&[DECLINED, A2, RECLAIMED])
        );
        rotate(&f).unwrap();
        assert!(!f.copy.exists() && !f.finish.exists());
        assert_eq!(
            std::fs::read_to_string(&f.previous).unwrap(),
            file(&[DECLINED, A2, RECLAIMED])
        );
    }

    #[test]
    fn no_inputs_give_a_header_only_file() {
        let dir = tempfile::tempdir().unwrap();
        let f = files(dir.path());
        let stats = compact::<Lease6>(&f).unwrap();
        assert_eq!(stats, CompactStats::default());
        rotate(&f).unwrap();
        let text = std::fs::read_to_string(&f.previous).unwrap();
        assert!(text.starts_with("address,duid,valid_lifetime,"));
        assert_eq!(text.lines().count(), 1);
    }

    #[test]
    fn failures_name_the_files_as_kea_does() {
        let dir = tempfile::tempdir().unwrap();
        let mut f = files(dir.path());
        std::fs::write(&f.copy, "address,foo\n").unwrap();
        assert!(matches!(
            compact::<Lease4>(&f),
            Err(CompactError::Read(LoadError::Header { .. }))
        ));
        std::fs::write(&f.copy, file(&[A1])).unwrap();
        f.finish = dir.path().join("missing-dir/l.completed");
        let err = compact::<Lease4>(&f).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "Unable to move output ({}) to complete ({}) error: No such file or directory",
                f.output.display(),
                f.finish.display()
            )
        );
        // Rotation without a finish file deletes nothing.
        let err = rotate(&f).unwrap_err();
        assert!(err.to_string().starts_with("Unable to move finish ("));
        assert!(
            err.to_string()
                .ends_with("error: No such file or directory")
        );
        assert!(f.copy.exists());
    }
}
