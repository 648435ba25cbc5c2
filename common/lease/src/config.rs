//! The `lease-database` parameters that matter for memfile (`persist`, `name`,
//! `max-row-errors`) and the names of the files around the lease file that the LFC
//! protocol uses (`dhcp4-srv.rst`, "Memfile - Basic Storage for Leases"; `lfc.rst`;
//! INVENTORY §3.3 and §11). The server passes plain values; this crate reads no config.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Kea's data directory in the Debian packages, where the default lease files live.
pub const DEFAULT_DATA_DIR: &str = "/var/lib/kea";
/// File name of the default DHCPv4 lease file inside the data directory.
pub const DEFAULT_LEASE_FILE4: &str = "kea-leases4.csv";
/// File name of the default DHCPv6 lease file inside the data directory.
pub const DEFAULT_LEASE_FILE6: &str = "kea-leases6.csv";

/// Memfile parameters of `lease-database`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemfileConfig {
    /// `persist`: write every change to the lease file (default true). When false, no file
    /// is read or written.
    pub persist: bool,
    /// `name`: the lease file.
    pub name: PathBuf,
    /// `max-row-errors`: rows a file may fail to parse before loading gives up; 0 means
    /// no limit (the default).
    pub max_row_errors: u32,
}

impl MemfileConfig {
    /// The DHCPv4 defaults: persistent, `<data_dir>/kea-leases4.csv`, no row error limit.
    pub fn v4(data_dir: &Path) -> Self {
        Self {
            persist: true,
            name: data_dir.join(DEFAULT_LEASE_FILE4),
            max_row_errors: 0,
        }
    }

    /// The DHCPv6 defaults: persistent, `<data_dir>/kea-leases6.csv`, no row error limit.
    pub fn v6(data_dir: &Path) -> Self {
        Self {
            persist: true,
            name: data_dir.join(DEFAULT_LEASE_FILE6),
            max_row_errors: 0,
        }
    }
}

/// The lease file and its LFC companions: each is the lease file name plus a suffix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaseFilePaths {
    /// The lease file the server appends to.
    pub file: PathBuf,
    /// `<file>.1`: the lease file renamed aside when an LFC run starts (kea-lfc `-i`).
    pub input: PathBuf,
    /// `<file>.2`: the result of the previous LFC run (kea-lfc `-x`).
    pub previous: PathBuf,
    /// `<file>.output`: kea-lfc's output while it is written (`-o`).
    pub output: PathBuf,
    /// `<file>.completed`: kea-lfc's finished output (`-f`).
    pub finish: PathBuf,
    /// `<file>.pid`: kea-lfc's PID file while it runs (`-p`).
    pub pid: PathBuf,
}

impl LeaseFilePaths {
    /// The paths for a lease file.
    pub fn new(file: &Path) -> Self {
        let with = |suffix: &str| {
            let mut name = OsString::from(file.as_os_str());
            name.push(suffix);
            PathBuf::from(name)
        };
        Self {
            file: file.to_path_buf(),
            input: with(".1"),
            previous: with(".2"),
            output: with(".output"),
            finish: with(".completed"),
            pid: with(".pid"),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_kea() {
        let cfg = MemfileConfig::v4(Path::new(DEFAULT_DATA_DIR));
        assert!(cfg.persist);
        assert_eq!(cfg.name, Path::new("/var/lib/kea/kea-leases4.csv"));
        assert_eq!(cfg.max_row_errors, 0);
        assert_eq!(
            MemfileConfig::v6(Path::new("/d")).name,
            Path::new("/d/kea-leases6.csv")
        );
    }

    #[test]
    fn lfc_paths_append_suffixes() {
        let p = LeaseFilePaths::new(Path::new("/tmp/l.csv"));
        assert_eq!(p.input, Path::new("/tmp/l.csv.1"));
        assert_eq!(p.previous, Path::new("/tmp/l.csv.2"));
        assert_eq!(p.output, Path::new("/tmp/l.csv.output"));
        assert_eq!(p.finish, Path::new("/tmp/l.csv.completed"));
        assert_eq!(p.pid, Path::new("/tmp/l.csv.pid"));
    }
}
