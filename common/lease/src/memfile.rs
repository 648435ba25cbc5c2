//! What the DHCPv4 and DHCPv6 memfile lease managers share: their error type and the
//! lease file half of a manager ([`LeaseFile`]): loading at startup in Kea's order,
//! rewriting an old-schema file, appending one row per change, and the server's half of
//! lease file cleanup (`dhcp4-srv.rst` and `dhcp6-srv.rst`, "Memfile - Basic Storage for
//! Leases"; `lfc.rst`; INVENTORY §11). The in-memory indexes are per family (`store4`,
//! `store6`); locking is the managers' job.

use crate::config::{LeaseFilePaths, MemfileConfig};
use crate::load::{LoadError, LoadReport, load_lease_files};
use crate::messages::{DHCPSRV_MEMFILE_NEEDS_UPGRADING, DHCPSRV_MEMFILE_NO_STORAGE, TARGET};
use crate::row::{LeaseRow, Schema};
use crate::writer::{LeaseFileWriter, WriteError, write_lease_file};
use std::collections::BTreeMap;
use std::io;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use thiserror::Error;
use tracing::{info, warn};

/// Why a memfile operation failed.
#[derive(Debug, Error)]
pub enum MemfileError {
    /// `add` found a lease for the address already.
    #[error("lease for address {addr} already exists")]
    AlreadyExists {
        /// The address.
        addr: IpAddr,
    },
    /// `update` found no lease for the address (for DHCPv6: none of the lease's type).
    #[error("no lease for address {addr}")]
    NotFound {
        /// The address.
        addr: IpAddr,
    },
    /// Only declined leases may lack a hardware address (Kea refuses to store them).
    #[error("lease for address {addr} has no hardware address and is not declined")]
    MissingHwAddr {
        /// The address.
        addr: IpAddr,
    },
    /// A DHCPv6 lease has no DUID, or has Kea's empty DUID (`00`) without being declined;
    /// Kea's lease file reader rejects such a row.
    #[error("lease for address {addr} has no DUID and is not declined")]
    MissingDuid {
        /// The address.
        addr: IpAddr,
    },
    /// A hardware address, client identifier or DUID has a length the lease file cannot
    /// hold (hardware addresses 1 to 20 bytes, client identifiers 2 to 255, DUIDs 1 to
    /// 130).
    #[error("lease for address {addr} has a {column} of {len} bytes")]
    FieldLength {
        /// The address.
        addr: IpAddr,
        /// The lease file column.
        column: &'static str,
        /// The offending length.
        len: usize,
    },
    /// A DHCPv6 lease has a prefix length above 128.
    #[error("lease for address {addr} has prefix length {len}")]
    PrefixLen {
        /// The address.
        addr: IpAddr,
        /// The offending length.
        len: u8,
    },
    /// Writing the lease file failed; the change was not applied.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// Loading the lease files at startup failed.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// Moving files while rewriting an old-schema lease file failed.
    #[error("cannot rename {from} to {to}: {source}", from = .from.display(), to = .to.display())]
    Rename {
        /// The source path.
        from: PathBuf,
        /// The target path.
        to: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
}

/// Leases loaded at startup, by key.
pub(crate) type Loaded<L> = BTreeMap<<L as LeaseRow>::Key, L>;

/// The lease file of a memfile manager, open for appending; holds nothing when `persist`
/// is false, and then every operation is a no-op.
#[derive(Debug)]
pub(crate) struct LeaseFile {
    schema: &'static Schema,
    writer: Option<LeaseFileWriter>,
}

impl LeaseFile {
    /// Loads the leases of family `L` and opens the lease file for appending. With
    /// `persist`, loads the files in Kea's startup order; a file of an older schema is
    /// first rewritten in the current one, as Kea does by running a cleanup at startup.
    /// Without `persist`, returns no leases and touches no file.
    pub(crate) fn open<L: LeaseRow>(
        config: &MemfileConfig,
        paths: &LeaseFilePaths,
    ) -> Result<(Self, Loaded<L>, LoadReport), MemfileError> {
        if !config.persist {
            warn!(target: TARGET, msgid = DHCPSRV_MEMFILE_NO_STORAGE,
                  "persistence disabled: leases are kept in memory only");
            return Ok((
                Self::memory_only(L::SCHEMA),
                BTreeMap::new(),
                LoadReport::default(),
            ));
        }
        let (leases, report) = load_lease_files::<L>(paths, config.max_row_errors)?;
        if report.needs_conversion {
            info!(target: TARGET, msgid = DHCPSRV_MEMFILE_NEEDS_UPGRADING,
                  "lease file {} has schema other than {}; rewriting it",
                  paths.file.display(), L::SCHEMA.version);
            compact(paths, &leases)?;
        }
        let writer = LeaseFileWriter::open(&paths.file, L::SCHEMA)?;
        let file = Self {
            schema: L::SCHEMA,
            writer: Some(writer),
        };
        Ok((file, leases, report))
    }

    /// No file: leases live in memory only.
    pub(crate) fn memory_only(schema: &'static Schema) -> Self {
        Self {
            schema,
            writer: None,
        }
    }

    /// Wraps an already open writer (tests use `/dev/full` to exercise write failures).
    #[cfg(test)]
    pub(crate) fn with_writer(schema: &'static Schema, writer: LeaseFileWriter) -> Self {
        Self {
            schema,
            writer: Some(writer),
        }
    }

    /// Appends a lease's row (write and flush) if the file is kept.
    pub(crate) fn append<L: LeaseRow>(&mut self, lease: &L) -> Result<(), MemfileError> {
        if let Some(writer) = &mut self.writer {
            writer.append(lease)?;
        }
        Ok(())
    }

    /// Lease file cleanup, the server's half (`lfc.rst`): unless an earlier cleanup left
    /// `.completed` or `.1` behind, the lease file becomes `.1` and a fresh one (header
    /// only) takes new rows. The caller holds its lock across this, so no change is lost
    /// or written twice. Returns whether kea-lfc should run (false without a file, or when
    /// the rename failed, as in Kea).
    pub(crate) fn rotate(&mut self, paths: &LeaseFilePaths) -> Result<bool, MemfileError> {
        if self.writer.is_none() {
            return Ok(false);
        }
        let p = paths;
        let mut do_lfc = true;
        if !p.finish.exists() && !p.input.exists() {
            // Close the file before moving it; reopening below creates the new one.
            self.writer = None;
            if let Err(e) = std::fs::rename(&p.file, &p.input) {
                warn!(target: TARGET, msgid = "DHCPSRV_MEMFILE_LFC_LEASE_FILE_RENAME_FAIL",
                      "failed to rename the current lease file {} to {}, reason: {e}",
                      p.file.display(), p.input.display());
                do_lfc = false;
            }
            match LeaseFileWriter::open(&p.file, self.schema) {
                Ok(w) => self.writer = Some(w),
                Err(e) => {
                    // Put the file back so that leases keep going to disk.
                    if do_lfc {
                        let _ = std::fs::rename(&p.input, &p.file);
                    }
                    self.writer = Some(LeaseFileWriter::open(&p.file, self.schema)?);
                    return Err(e.into());
                }
            }
        }
        Ok(do_lfc)
    }
}

/// Rewrites the loaded leases in the current schema, ending in the state an LFC run
/// leaves: the compacted leases in `<file>.2`, no `<file>.1`, and a lease file holding
/// only the header. Each step leaves files that load to the same leases if interrupted.
fn compact<L: LeaseRow>(paths: &LeaseFilePaths, leases: &Loaded<L>) -> Result<(), MemfileError> {
    write_lease_file(&paths.output, leases.values())?;
    rename(&paths.output, &paths.finish)?;
    remove_if_exists(&paths.previous)?;
    remove_if_exists(&paths.input)?;
    write_lease_file::<L>(&paths.file, [])?;
    rename(&paths.finish, &paths.previous)
}

fn rename(from: &Path, to: &Path) -> Result<(), MemfileError> {
    std::fs::rename(from, to).map_err(|source| MemfileError::Rename {
        from: from.to_path_buf(),
        to: to.to_path_buf(),
        source,
    })
}

fn remove_if_exists(path: &Path) -> Result<(), MemfileError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(MemfileError::Write(WriteError {
            path: path.to_path_buf(),
            source: e,
        })),
        _ => Ok(()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use crate::csv4::SCHEMA4;
    use crate::hwaddr::HwAddr;
    use crate::lease::Lease4;
    use std::net::Ipv4Addr;

    fn lease(last: u8) -> Lease4 {
        Lease4 {
            hwaddr: Some(HwAddr::ether(vec![1, last])),
            valid_lft: 100,
            cltt: 1000,
            ..Lease4::new(Ipv4Addr::new(192, 0, 2, last))
        }
    }

    #[test]
    fn rotate_moves_the_file_aside_once() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = MemfileConfig::v4(dir.path());
        let paths = LeaseFilePaths::new(&cfg.name);
        let (mut file, leases, _) = LeaseFile::open::<Lease4>(&cfg, &paths).unwrap();
        assert!(leases.is_empty());
        file.append(&lease(1)).unwrap();
        assert!(file.rotate(&paths).unwrap());
        file.append(&lease(2)).unwrap();
        let text = |p: &Path| std::fs::read_to_string(p).unwrap();
        assert_eq!(
            text(&paths.input),
            format!("{}\n{}\n", SCHEMA4.header(), lease(1).to_row())
        );
        assert_eq!(
            text(&paths.file),
            format!("{}\n{}\n", SCHEMA4.header(), lease(2).to_row())
        );
        // `.1` is still there (kea-lfc has not consumed it): no second rotation.
        assert!(file.rotate(&paths).unwrap());
        assert_eq!(text(&paths.file).lines().count(), 2);
    }

    #[test]
    fn memory_only_touches_no_file() {
        let cfg = MemfileConfig {
            persist: false,
            ..MemfileConfig::v4(Path::new("/nonexistent"))
        };
        let paths = LeaseFilePaths::new(&cfg.name);
        let (mut file, _, report) = LeaseFile::open::<Lease4>(&cfg, &paths).unwrap();
        assert!(report.files.is_empty());
        file.append(&lease(1)).unwrap();
        assert!(!file.rotate(&paths).unwrap());
        assert!(!Path::new("/nonexistent").exists());
    }
}
