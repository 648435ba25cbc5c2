//! `Memfile4`: the DHCPv4 memfile lease manager — leases in memory, every change appended
//! to the lease file before the call returns (`dhcp4-srv.rst`, "Memfile - Basic Storage
//! for Leases"; INVENTORY §11).
//!
//! Concurrency: one `std::sync::Mutex` guards the indexes and the file together. Packet
//! workers share a `Memfile4` by `&self`; a change holds the lock only for an index update
//! and one `write`, and holding it across the write keeps the file's row order identical
//! to the order of changes in memory, which "last row wins" on reload depends on. This is
//! also Kea's design (one mutex in its multi-threaded memfile). The API is synchronous; no
//! lock is ever held across an `.await`.
//!
//! A change is written first and applied in memory only if the write succeeded, so memory
//! never holds a lease the file lacks. A deleted lease is written as its last state with
//! valid lifetime 0, as Kea 2.2 does.

use crate::config::{LeaseFilePaths, MemfileConfig};
use crate::csv4::SCHEMA4;
use crate::lease::{Lease4, LeaseState};
use crate::load::{LoadError, LoadReport, load_lease_files};
use crate::messages::{DHCPSRV_MEMFILE_NEEDS_UPGRADING, DHCPSRV_MEMFILE_NO_STORAGE, TARGET};
use crate::row::LeaseRow;
use crate::store4::{StateCounts, Store4};
use crate::writer::{LeaseFileWriter, WriteError, write_lease_file};
use std::collections::BTreeMap;
use std::io;
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
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
    /// `update` found no lease for the address.
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

/// The DHCPv4 memfile lease manager.
#[derive(Debug)]
pub struct Memfile4 {
    config: MemfileConfig,
    paths: LeaseFilePaths,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    store: Store4,
    /// The open lease file; `None` when `persist` is false.
    writer: Option<LeaseFileWriter>,
}

impl Memfile4 {
    /// Opens the lease manager. With `persist`, loads the lease files in Kea's startup
    /// order and opens the lease file for appending (creating it with the header);
    /// a file of an older schema is first rewritten in the current one, as Kea does by
    /// running a cleanup at startup. Without `persist`, starts empty and touches no file.
    pub fn open(config: MemfileConfig) -> Result<(Self, LoadReport), MemfileError> {
        let paths = LeaseFilePaths::new(&config.name);
        if !config.persist {
            warn!(target: TARGET, msgid = DHCPSRV_MEMFILE_NO_STORAGE,
                  "persistence disabled: leases are kept in memory only");
            let manager = Self::with_state(config, paths, Store4::default(), None);
            return Ok((manager, LoadReport::default()));
        }
        let (leases, report) = load_lease_files::<Lease4>(&paths, config.max_row_errors)?;
        if report.needs_conversion {
            info!(target: TARGET, msgid = DHCPSRV_MEMFILE_NEEDS_UPGRADING,
                  "lease file {} has schema other than {}; rewriting it",
                  paths.file.display(), SCHEMA4.version);
            compact(&paths, &leases)?;
        }
        let writer = LeaseFileWriter::open(&paths.file, &SCHEMA4)?;
        let store = Store4::from_leases(leases.into_values());
        Ok((Self::with_state(config, paths, store, Some(writer)), report))
    }

    fn with_state(
        config: MemfileConfig,
        paths: LeaseFilePaths,
        store: Store4,
        writer: Option<LeaseFileWriter>,
    ) -> Self {
        Self {
            config,
            paths,
            state: Mutex::new(State { store, writer }),
        }
    }

    /// The parameters this manager was opened with.
    pub fn config(&self) -> &MemfileConfig {
        &self.config
    }

    /// The lease file and its LFC companion files.
    pub fn paths(&self) -> &LeaseFilePaths {
        &self.paths
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Every change writes before it mutates and cannot panic midway, so the data
        // behind a poisoned lock is still consistent.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds a new lease; fails if the address is leased already.
    pub fn add(&self, lease: Lease4) -> Result<(), MemfileError> {
        check(&lease)?;
        let mut state = self.lock();
        if state.store.get(lease.addr).is_some() {
            return Err(MemfileError::AlreadyExists {
                addr: lease.addr.into(),
            });
        }
        state.persist(&lease)?;
        state.store.insert(lease);
        Ok(())
    }

    /// Replaces the stored lease for the same address; fails if there is none.
    pub fn update(&self, lease: Lease4) -> Result<(), MemfileError> {
        check(&lease)?;
        let mut state = self.lock();
        if state.store.get(lease.addr).is_none() {
            return Err(MemfileError::NotFound {
                addr: lease.addr.into(),
            });
        }
        state.persist(&lease)?;
        state.store.insert(lease);
        Ok(())
    }

    /// Deletes the lease for `addr`, returning it, or `None` if there was none.
    pub fn delete(&self, addr: Ipv4Addr) -> Result<Option<Lease4>, MemfileError> {
        let mut state = self.lock();
        state.delete(addr)
    }

    /// Deletes expired-reclaimed leases that expired more than `secs` seconds before
    /// `now` (`hold-reclaimed-time`); returns how many were deleted.
    pub fn delete_expired_reclaimed(&self, now: i64, secs: u32) -> Result<usize, MemfileError> {
        let mut state = self.lock();
        let victims = state.store.reclaimed_before(now - i64::from(secs));
        for addr in &victims {
            state.delete(*addr)?;
        }
        Ok(victims.len())
    }

    /// The lease for an address.
    pub fn get(&self, addr: Ipv4Addr) -> Option<Lease4> {
        self.lock().store.get(addr).cloned()
    }

    /// All leases of a hardware address (bytes only; the type is not compared).
    pub fn get_by_hwaddr(&self, hwaddr: &[u8]) -> Vec<Lease4> {
        self.lock().store.by_hwaddr(hwaddr)
    }

    /// The lease of a hardware address in a subnet (the lowest address if several).
    pub fn get_by_hwaddr_subnet(&self, hwaddr: &[u8], subnet_id: u32) -> Option<Lease4> {
        let leases = self.lock().store.by_hwaddr(hwaddr);
        leases.into_iter().find(|l| l.subnet_id == subnet_id)
    }

    /// All leases of a client identifier.
    pub fn get_by_client_id(&self, client_id: &[u8]) -> Vec<Lease4> {
        self.lock().store.by_client_id(client_id)
    }

    /// The lease of a client identifier in a subnet (the lowest address if several).
    pub fn get_by_client_id_subnet(&self, client_id: &[u8], subnet_id: u32) -> Option<Lease4> {
        let leases = self.lock().store.by_client_id(client_id);
        leases.into_iter().find(|l| l.subnet_id == subnet_id)
    }

    /// All leases of a subnet, in address order.
    pub fn get_by_subnet(&self, subnet_id: u32) -> Vec<Lease4> {
        self.lock().store.by_subnet(subnet_id)
    }

    /// Every lease, in address order.
    pub fn get_all(&self) -> Vec<Lease4> {
        self.lock().store.all()
    }

    /// Up to `limit` leases with addresses above `after` (from the start if `None`), in
    /// address order, for `lease4-get-page`.
    pub fn get_page(&self, after: Option<Ipv4Addr>, limit: usize) -> Vec<Lease4> {
        self.lock().store.page(after, limit)
    }

    /// Leases expired at `now` and not yet reclaimed (declined ones included), earliest
    /// expiration first, at most `max` of them (0 = no limit), for reclamation.
    pub fn get_expired(&self, now: i64, max: usize) -> Vec<Lease4> {
        self.lock().store.expired(now, max)
    }

    /// Lease counts per subnet and state, for the statistics recount.
    pub fn state_counts(&self) -> BTreeMap<u32, StateCounts> {
        self.lock().store.state_counts()
    }

    /// Number of leases held.
    pub fn len(&self) -> usize {
        self.lock().store.len()
    }

    /// Whether no lease is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl State {
    fn persist(&mut self, lease: &Lease4) -> Result<(), MemfileError> {
        if let Some(writer) = &mut self.writer {
            writer.append(lease)?;
        }
        Ok(())
    }

    fn delete(&mut self, addr: Ipv4Addr) -> Result<Option<Lease4>, MemfileError> {
        let Some(lease) = self.store.get(addr) else {
            return Ok(None);
        };
        let record = Lease4 {
            valid_lft: 0,
            ..lease.clone()
        };
        self.persist(&record)?;
        Ok(self.store.remove(addr))
    }
}

/// Kea refuses to write a lease without a hardware address unless it is declined.
fn check(lease: &Lease4) -> Result<(), MemfileError> {
    let blank = lease.hwaddr.as_ref().is_none_or(|hw| hw.bytes.is_empty());
    if blank && lease.state != LeaseState::Declined {
        return Err(MemfileError::MissingHwAddr {
            addr: lease.addr.into(),
        });
    }
    Ok(())
}

/// Rewrites the loaded leases in the current schema, ending in the state an LFC run
/// leaves: the compacted leases in `<file>.2`, no `<file>.1`, and a lease file holding
/// only the header. Each step leaves files that load to the same leases if interrupted.
fn compact<L: LeaseRow>(
    paths: &LeaseFilePaths,
    leases: &BTreeMap<L::Key, L>,
) -> Result<(), MemfileError> {
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
