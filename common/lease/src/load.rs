//! Loading leases from lease files: one file row by row, and the startup order over the
//! lease file and its LFC companions (`lfc.rst`; INVENTORY §11, "load" and "startup load
//! order"; `dhcp4-srv.rst`, `max-row-errors`).
//!
//! Rows are replayed in order and the last row for an address wins; a row with valid
//! lifetime 0 records a deletion and removes the address. A bad row is logged with its
//! line number and skipped; more than `max-row-errors` bad rows in one file abort the load.
//! [`read_file`] is the same replay without logging, reporting events and Kea's kea-lfc
//! counters ([`ReadStats`]) so that kea-lfc can log them under its own logger.

use crate::config::LeaseFilePaths;
use crate::messages::{
    DHCPSRV_MEMFILE_LEASE_FILE_LOAD, DHCPSRV_MEMFILE_LEASE_LOAD_ROW_ERROR, TARGET,
};
use crate::row::{HeaderError, LeaseRow, RowError};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};
use thiserror::Error;
use tracing::{info, warn};

/// How many row errors a [`LoadReport`] keeps in detail (all are counted).
pub const KEPT_ROW_ERRORS: usize = 100;

/// Why lease files could not be loaded (the server cannot start on them).
#[derive(Debug, Error)]
pub enum LoadError {
    /// Reading a file failed.
    #[error("cannot read lease file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// A file's header row does not describe a lease file of this family.
    #[error("invalid header in lease file {path}: {source}")]
    Header {
        /// The file.
        path: PathBuf,
        /// What is wrong with the header.
        source: HeaderError,
    },
    /// More rows failed than `max-row-errors` allows.
    #[error("exceeded maximum number of failures {max} to read a lease from the lease file {path}")]
    TooManyRowErrors {
        /// The file.
        path: PathBuf,
        /// The configured limit.
        max: u32,
    },
    /// kea-lfc is running on these files (its PID file names a live process).
    #[error("unable to load leases while the lease file cleanup (pid {pid}) is in progress")]
    LfcInProgress {
        /// The PID recorded in `<file>.pid`.
        pid: u32,
    },
}

/// A row that was skipped, with where it was.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}:{}: {}", .path.display(), .line, .error)]
pub struct RowErrorAt {
    /// The file.
    pub path: PathBuf,
    /// The 1-based line number (the header is line 1).
    pub line: usize,
    /// What is wrong with the row.
    pub error: RowError,
}

/// What loading found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// Files read, in order.
    pub files: Vec<PathBuf>,
    /// Rows that decoded to a lease (including deletion records).
    pub rows: usize,
    /// Rows skipped because they could not be decoded.
    pub row_errors: usize,
    /// The first [`KEPT_ROW_ERRORS`] skipped rows.
    pub errors: Vec<RowErrorAt>,
    /// Some file has an older or newer schema than the one written here; the lease file
    /// should be rewritten before appending to it.
    pub needs_conversion: bool,
}

/// Kea's kea-lfc gives up on a file after this many bad rows (verified on Kea 2.2: the
/// 101st bad row aborts the run).
pub const LFC_MAX_ROW_ERRORS: u32 = 100;

/// Counters of lease file reads, as Kea's kea-lfc reports them (`LFC_READ_STATS`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadStats {
    /// Rows decoded to a lease, deletion records included.
    pub leases: usize,
    /// Read attempts: every decoded or bad row plus one end-of-file read per file opened
    /// (blank lines are not counted), as Kea counts them.
    pub attempts: usize,
    /// Rows skipped because they could not be decoded.
    pub errors: usize,
}

/// Something [`read_file`] met that its caller may want to log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadEvent<'a> {
    /// The file exists and its rows are about to be read.
    Opened,
    /// The header names another schema than the one written here: `older` when it has
    /// fewer columns (Kea's `DHCPSRV_MEMFILE_NEEDS_UPGRADING`), otherwise more
    /// (`DHCPSRV_MEMFILE_NEEDS_DOWNGRADING`). The rows are read anyway.
    SchemaMismatch {
        /// The file's schema is older than ours.
        older: bool,
    },
    /// A row was skipped.
    RowError {
        /// The 1-based line number (the header is line 1).
        line: usize,
        /// The 1-based number of the data row (blank lines not counted).
        row: usize,
        /// What is wrong with it.
        error: &'a RowError,
    },
}

/// Reads one lease file into `leases` without logging: rows are replayed in order, the
/// last row for a key wins and a row with valid lifetime 0 removes the key. What happens
/// is reported to `on_event` and counted in `stats`. A missing file reads as nothing (no
/// attempt counted); an empty file counts one attempt. More than `max_row_errors` bad rows
/// (0: no limit) abort the read.
pub fn read_file<L: LeaseRow>(
    path: &Path,
    max_row_errors: u32,
    leases: &mut BTreeMap<L::Key, L>,
    stats: &mut ReadStats,
    mut on_event: impl FnMut(ReadEvent<'_>),
) -> Result<(), LoadError> {
    let io_err = |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_err(e)),
    };
    on_event(ReadEvent::Opened);
    let mut reader = BufReader::new(file);
    let mut buf = Vec::new();
    let mut header = None;
    let mut line_no = 0;
    let mut row_no = 0;
    let mut file_errors: u32 = 0;
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf).map_err(io_err)? == 0 {
            stats.attempts += 1;
            return Ok(());
        }
        line_no += 1;
        let text = String::from_utf8_lossy(&buf);
        // KEA-DIFF: Kea 2.2 rejects a file with CRLF line ends (its header then ends in
        // `\r`); we accept them.
        let line = text.trim_end_matches(['\n', '\r']);
        let Some(header) = header else {
            let parsed = L::SCHEMA
                .check_header(line)
                .map_err(|source| LoadError::Header {
                    path: path.to_path_buf(),
                    source,
                })?;
            if !L::SCHEMA.is_current(parsed) {
                on_event(ReadEvent::SchemaMismatch {
                    older: parsed.columns < L::SCHEMA.columns.len(),
                });
            }
            header = Some(parsed);
            continue;
        };
        if line.is_empty() {
            continue;
        }
        row_no += 1;
        stats.attempts += 1;
        match L::from_row(line, header) {
            Ok(lease) => {
                stats.leases += 1;
                if lease.valid_lft() == 0 {
                    leases.remove(&lease.key());
                } else {
                    leases.insert(lease.key(), lease);
                }
            }
            Err(error) => {
                stats.errors += 1;
                on_event(ReadEvent::RowError {
                    line: line_no,
                    row: row_no,
                    error: &error,
                });
                file_errors = file_errors.saturating_add(1);
                if max_row_errors != 0 && file_errors > max_row_errors {
                    return Err(LoadError::TooManyRowErrors {
                        path: path.to_path_buf(),
                        max: max_row_errors,
                    });
                }
            }
        }
    }
}

/// Reads one lease file into `leases`. A missing file reads as empty; so does an empty
/// file (it has no header yet).
pub fn load_file<L: LeaseRow>(
    path: &Path,
    max_row_errors: u32,
    leases: &mut BTreeMap<L::Key, L>,
    report: &mut LoadReport,
) -> Result<(), LoadError> {
    let mut stats = ReadStats::default();
    let result = read_file(
        path,
        max_row_errors,
        leases,
        &mut stats,
        |event| match event {
            ReadEvent::Opened => {
                info!(target: TARGET, msgid = DHCPSRV_MEMFILE_LEASE_FILE_LOAD,
                  "loading leases from file {}", path.display());
                report.files.push(path.to_path_buf());
            }
            ReadEvent::SchemaMismatch { .. } => report.needs_conversion = true,
            ReadEvent::RowError { line, error, .. } => {
                warn!(target: TARGET, msgid = DHCPSRV_MEMFILE_LEASE_LOAD_ROW_ERROR,
                  "discarding row {line} of {}: {error}", path.display());
                if report.errors.len() < KEPT_ROW_ERRORS {
                    report.errors.push(RowErrorAt {
                        path: path.to_path_buf(),
                        line,
                        error: error.clone(),
                    });
                }
            }
        },
    );
    report.rows += stats.leases;
    report.row_errors += stats.errors;
    result
}

/// Loads leases in Kea's startup order: `<file>.completed` if it exists, otherwise
/// `<file>.2` then `<file>.1`; then the lease file itself. Refuses while kea-lfc runs.
pub fn load_lease_files<L: LeaseRow>(
    paths: &LeaseFilePaths,
    max_row_errors: u32,
) -> Result<(BTreeMap<L::Key, L>, LoadReport), LoadError> {
    if let Some(pid) = running_lfc(&paths.pid) {
        return Err(LoadError::LfcInProgress { pid });
    }
    let mut leases = BTreeMap::new();
    let mut report = LoadReport::default();
    if paths.finish.exists() {
        load_file(&paths.finish, max_row_errors, &mut leases, &mut report)?;
    } else {
        load_file(&paths.previous, max_row_errors, &mut leases, &mut report)?;
        load_file(&paths.input, max_row_errors, &mut leases, &mut report)?;
    }
    load_file(&paths.file, max_row_errors, &mut leases, &mut report)?;
    Ok((leases, report))
}

/// The PID in an LFC PID file if that process is alive.
fn running_lfc(pid_file: &Path) -> Option<u32> {
    let text = std::fs::read_to_string(pid_file).ok()?;
    let pid: u32 = text.trim().parse().ok()?;
    (pid != 0 && Path::new(&format!("/proc/{pid}")).exists()).then_some(pid)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use crate::csv4::SCHEMA4;
    use crate::lease::Lease4;
    use std::net::Ipv4Addr;

    const ROW_A1: &str = "192.0.2.1,01:02:03:04:05:06,,100,1100,1,0,0,a,0,";
    const ROW_A2: &str = "192.0.2.1,01:02:03:04:05:06,,200,1200,1,0,0,a2,0,";
    const ROW_B: &str = "192.0.2.2,01:02:03:04:05:07,,100,1100,1,0,0,b,0,";
    const DEL_B: &str = "192.0.2.2,01:02:03:04:05:07,,0,1000,1,0,0,b,0,";

    fn write(path: &Path, rows: &[&str]) {
        let mut text = SCHEMA4.header() + "\n";
        for r in rows {
            text.push_str(r);
            text.push('\n');
        }
        std::fs::write(path, text).unwrap();
    }

    fn addr(last: u8) -> Ipv4Addr {
        Ipv4Addr::new(192, 0, 2, last)
    }

    #[test]
    fn last_row_wins_and_zero_lifetime_deletes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.csv");
        write(&path, &[ROW_A1, ROW_B, ROW_A2, DEL_B]);
        let mut leases = BTreeMap::new();
        let mut report = LoadReport::default();
        load_file::<Lease4>(&path, 0, &mut leases, &mut report).unwrap();
        assert_eq!(leases.len(), 1);
        assert_eq!(leases[&addr(1)].hostname, "a2");
        assert_eq!(report.rows, 4);
        assert!(!report.needs_conversion);
    }

    #[test]
    fn bad_rows_are_reported_with_line_and_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.csv");
        write(
            &path,
            &[ROW_A1, "garbage", ROW_B, "192.0.2.9,,,1,1,1,0,0,,0,"],
        );
        let mut leases = BTreeMap::new();
        let mut report = LoadReport::default();
        load_file::<Lease4>(&path, 0, &mut leases, &mut report).unwrap();
        assert_eq!(leases.len(), 2);
        assert_eq!(report.row_errors, 2);
        assert_eq!(report.errors[0].line, 3);
        assert!(matches!(
            report.errors[0].error,
            RowError::TooFewColumns { .. }
        ));
        assert_eq!(report.errors[1].line, 5);
        assert_eq!(report.errors[1].error, RowError::BlankHwAddr);

        let mut report = LoadReport::default();
        load_file::<Lease4>(&path, 2, &mut BTreeMap::new(), &mut report).unwrap();
        let err = load_file::<Lease4>(&path, 1, &mut BTreeMap::new(), &mut report);
        assert!(matches!(
            err,
            Err(LoadError::TooManyRowErrors { max: 1, .. })
        ));
    }

    #[test]
    fn read_file_counts_as_kea_lfc_and_reports_events() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.csv");
        write(&path, &[ROW_A1, "", "garbage", ROW_B, DEL_B]);
        let mut leases = BTreeMap::new();
        let mut stats = ReadStats::default();
        let mut events = Vec::new();
        read_file::<Lease4>(&path, 0, &mut leases, &mut stats, |e| {
            events.push(match e {
                ReadEvent::RowError { line, row, .. } => format!("error line {line} row {row}"),
                other => format!("{other:?}"),
            });
        })
        .unwrap();
        // Three leases (the deletion included), one bad row, one end-of-file read; the
        // blank line is no attempt.
        assert_eq!(
            stats,
            ReadStats {
                leases: 3,
                attempts: 5,
                errors: 1
            }
        );
        assert_eq!(events, vec!["Opened", "error line 4 row 2"]);
        assert_eq!(leases.keys().copied().collect::<Vec<_>>(), vec![addr(1)]);

        // A missing file is no attempt; an empty one is one.
        let mut stats = ReadStats::default();
        let missing = dir.path().join("none.csv");
        read_file::<Lease4>(&missing, 0, &mut leases, &mut stats, |_| {}).unwrap();
        assert_eq!(stats, ReadStats::default());
        let empty = dir.path().join("empty.csv");
        std::fs::write(&empty, "").unwrap();
        read_file::<Lease4>(&empty, 0, &mut leases, &mut stats, |_| {}).unwrap();
        assert_eq!(stats.attempts, 1);
    }

    #[test]
    fn read_file_reports_older_and_newer_schemas() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.csv");
        let header = SCHEMA4.header();
        let older = header.rsplit_once(',').unwrap().0.to_owned();
        for (head, want) in [(older, true), (format!("{header},pool_id"), false)] {
            std::fs::write(&path, format!("{head}\n")).unwrap();
            let mut events = Vec::new();
            read_file::<Lease4>(
                &path,
                0,
                &mut BTreeMap::new(),
                &mut ReadStats::default(),
                |e| events.push(format!("{e:?}")),
            )
            .unwrap();
            assert_eq!(
                events[1],
                format!("{:?}", ReadEvent::SchemaMismatch { older: want })
            );
        }
    }

    #[test]
    fn read_file_gives_up_after_the_lfc_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.csv");
        let limit = usize::try_from(LFC_MAX_ROW_ERRORS).unwrap();
        let mut rows = vec!["bad"; limit];
        rows.push(ROW_A1);
        write(&path, &rows);
        let mut stats = ReadStats::default();
        let mut leases = BTreeMap::new();
        read_file::<Lease4>(&path, LFC_MAX_ROW_ERRORS, &mut leases, &mut stats, |_| {}).unwrap();
        assert_eq!(leases.len(), 1);
        rows.insert(0, "bad");
        write(&path, &rows);
        let err = read_file::<Lease4>(&path, LFC_MAX_ROW_ERRORS, &mut leases, &mut stats, |_| {});
        assert_eq!(
            err.unwrap_err().to_string(),
            format!(
                "exceeded maximum number of failures 100 to read a lease from the lease file {}",
                path.display()
            )
        );
    }

    #[test]
    fn bad_header_rejects_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.csv");
        std::fs::write(&path, "address,duid\n").unwrap();
        let err = load_file::<Lease4>(&path, 0, &mut BTreeMap::new(), &mut LoadReport::default());
        assert!(matches!(err, Err(LoadError::Header { .. })));
    }

    #[test]
    fn startup_order_follows_lfc_protocol() {
        let dir = tempfile::tempdir().unwrap();
        let paths = LeaseFilePaths::new(&dir.path().join("l.csv"));
        write(&paths.previous, &[ROW_A1, ROW_B]);
        write(&paths.input, &[ROW_A2]);
        write(&paths.file, &[DEL_B]);
        let (leases, report) = load_lease_files::<Lease4>(&paths, 0).unwrap();
        assert_eq!(
            report.files,
            vec![
                paths.previous.clone(),
                paths.input.clone(),
                paths.file.clone()
            ]
        );
        assert_eq!(leases.len(), 1);
        assert_eq!(leases[&addr(1)].hostname, "a2");

        // A finished LFC output replaces .2 and .1.
        write(&paths.finish, &[ROW_B]);
        write(&paths.file, &[]);
        let (leases, _) = load_lease_files::<Lease4>(&paths, 0).unwrap();
        assert_eq!(leases.keys().copied().collect::<Vec<_>>(), vec![addr(2)]);
    }

    #[test]
    fn refuses_while_lfc_runs() {
        let dir = tempfile::tempdir().unwrap();
        let paths = LeaseFilePaths::new(&dir.path().join("l.csv"));
        std::fs::write(&paths.pid, format!("{}\n", std::process::id())).unwrap();
        assert!(matches!(
            load_lease_files::<Lease4>(&paths, 0),
            Err(LoadError::LfcInProgress { .. })
        ));
        std::fs::write(&paths.pid, "999999999\n").unwrap();
        assert!(load_lease_files::<Lease4>(&paths, 0).is_ok());
    }
}
