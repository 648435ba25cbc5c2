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
use crate::csv4::CLIENT_ID_LEN;
use crate::hwaddr::HWADDR_MAX;
use crate::lease::{Lease4, LeaseState};
use crate::load::LoadReport;
use crate::memfile::LeaseFile;
pub use crate::memfile::MemfileError;
use crate::store4::{StateCounts, Store4};
use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::sync::{Mutex, MutexGuard, PoisonError};

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
    /// The lease file (nothing when `persist` is false).
    file: LeaseFile,
}

impl Memfile4 {
    /// Opens the lease manager. With `persist`, loads the lease files in Kea's startup
    /// order and opens the lease file for appending (creating it with the header);
    /// a file of an older schema is first rewritten in the current one, as Kea does by
    /// running a cleanup at startup. Without `persist`, starts empty and touches no file.
    pub fn open(config: MemfileConfig) -> Result<(Self, LoadReport), MemfileError> {
        let paths = LeaseFilePaths::new(&config.name);
        let (file, leases, report) = LeaseFile::open::<Lease4>(&config, &paths)?;
        let store = Store4::from_leases(leases.into_values());
        Ok((Self::with_state(config, paths, store, file), report))
    }

    fn with_state(
        config: MemfileConfig,
        paths: LeaseFilePaths,
        store: Store4,
        file: LeaseFile,
    ) -> Self {
        Self {
            config,
            paths,
            state: Mutex::new(State { store, file }),
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

    /// Lease file cleanup, the server's half (`lfc.rst`): unless an earlier cleanup left
    /// `.completed` or `.1` behind, the lease file becomes `.1` and a fresh one (header only)
    /// takes new rows, all under the lock, so no change is lost or written twice. Returns
    /// whether kea-lfc should run (false only when the rename failed, as in Kea).
    pub fn rotate_for_lfc(&self) -> Result<bool, MemfileError> {
        self.lock().file.rotate(&self.paths)
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
        let victims = state
            .store
            .reclaimed_before(now.saturating_sub(i64::from(secs)));
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
        self.file.append(lease)
    }

    fn delete(&mut self, addr: Ipv4Addr) -> Result<Option<Lease4>, MemfileError> {
        let Some(lease) = self.store.get(addr) else {
            return Ok(None);
        };
        let record = lease.deletion_record();
        self.persist(&record)?;
        Ok(self.store.remove(addr))
    }
}

/// Refuses leases whose row would not load again: Kea refuses to write a lease without a
/// hardware address unless it is declined, and rejects rows with out-of-range lengths.
fn check(lease: &Lease4) -> Result<(), MemfileError> {
    let addr = lease.addr.into();
    let hw_len = lease.hwaddr.as_ref().map_or(0, |hw| hw.bytes.len());
    if hw_len == 0 && lease.state != LeaseState::Declined {
        return Err(MemfileError::MissingHwAddr { addr });
    }
    if hw_len > HWADDR_MAX {
        return Err(MemfileError::FieldLength {
            addr,
            column: "hwaddr",
            len: hw_len,
        });
    }
    let (id_min, id_max) = CLIENT_ID_LEN;
    if let Some(len) = lease.client_id.as_ref().map(Vec::len)
        && !(id_min..=id_max).contains(&len)
    {
        return Err(MemfileError::FieldLength {
            addr,
            column: "client_id",
            len,
        });
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use crate::csv4::SCHEMA4;
    use crate::hwaddr::HwAddr;
    use crate::row::LeaseRow;
    use crate::writer::LeaseFileWriter;
    use serde_json::json;
    use std::path::Path;
    use std::sync::Arc;

    fn lease(last: u8) -> Lease4 {
        Lease4 {
            hwaddr: Some(HwAddr::ether(vec![0x1a, 0x1b, 0x1c, 0x1d, 0x1e, last])),
            client_id: Some(vec![1, last]),
            valid_lft: 3600,
            cltt: 1_700_000_000,
            subnet_id: 1,
            hostname: format!("host{last},x"),
            ..Lease4::new(Ipv4Addr::new(192, 0, 2, last))
        }
    }

    fn config(dir: &Path) -> MemfileConfig {
        MemfileConfig {
            name: dir.join("leases4.csv"),
            ..MemfileConfig::v4(dir)
        }
    }

    fn file_rows(path: &Path) -> Vec<String> {
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn changes_are_on_disk_when_calls_return() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = config(dir.path());
        let (mf, report) = Memfile4::open(cfg.clone()).unwrap();
        assert!(report.files.is_empty(), "a missing file is not read");
        assert_eq!(file_rows(&cfg.name), vec![SCHEMA4.header()]);

        mf.add(lease(1)).unwrap();
        let mut renewed = lease(1);
        renewed.cltt += 100;
        mf.update(renewed.clone()).unwrap();
        mf.add(lease(2)).unwrap();
        let deleted = mf.delete(Ipv4Addr::new(192, 0, 2, 2)).unwrap().unwrap();
        assert_eq!(deleted, lease(2));

        let rows = file_rows(&cfg.name);
        assert_eq!(rows.len(), 5);
        assert_eq!(rows[2], renewed.to_row());
        // Kea 2.2's deletion record: the lease with valid lifetime 0, so expire == cltt.
        assert_eq!(
            rows[4],
            "192.0.2.2,1a:1b:1c:1d:1e:02,01:02,0,1700000000,1,0,0,host2&#x2cx,0,"
        );

        drop(mf);
        let (reopened, report) = Memfile4::open(cfg).unwrap();
        assert_eq!(report.rows, 4);
        assert_eq!(reopened.get_all(), vec![renewed]);
    }

    #[test]
    fn failed_write_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = config(dir.path());
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let writer = LeaseFileWriter::from_file(Path::new("/dev/full"), full);
        let mut store = Store4::default();
        store.insert(lease(1));
        let mf = Memfile4::with_state(
            cfg.clone(),
            LeaseFilePaths::new(&cfg.name),
            store,
            LeaseFile::with_writer(&SCHEMA4, writer),
        );
        assert!(matches!(mf.add(lease(2)), Err(MemfileError::Write(_))));
        let mut changed = lease(1);
        changed.hostname = "changed".into();
        assert!(matches!(mf.update(changed), Err(MemfileError::Write(_))));
        assert!(matches!(
            mf.delete(Ipv4Addr::new(192, 0, 2, 1)),
            Err(MemfileError::Write(_))
        ));
        assert_eq!(mf.get_all(), vec![lease(1)]);
    }

    #[test]
    fn add_update_delete_rules() {
        let (mf, _) = Memfile4::open(MemfileConfig {
            persist: false,
            ..MemfileConfig::v4(Path::new("/nonexistent"))
        })
        .unwrap();
        mf.add(lease(1)).unwrap();
        assert!(matches!(
            mf.add(lease(1)),
            Err(MemfileError::AlreadyExists { .. })
        ));
        assert!(matches!(
            mf.update(lease(2)),
            Err(MemfileError::NotFound { .. })
        ));
        assert_eq!(mf.delete(Ipv4Addr::new(192, 0, 2, 9)).unwrap(), None);
        let mut no_hw = lease(3);
        no_hw.hwaddr = None;
        assert!(matches!(
            mf.add(no_hw.clone()),
            Err(MemfileError::MissingHwAddr { .. })
        ));
        no_hw.state = LeaseState::Declined;
        mf.add(no_hw).unwrap();
        let mut short_id = lease(4);
        short_id.client_id = Some(vec![1]);
        assert!(matches!(
            mf.add(short_id),
            Err(MemfileError::FieldLength {
                column: "client_id",
                len: 1,
                ..
            })
        ));
        let mut long_hw = lease(5);
        long_hw.hwaddr = Some(HwAddr::ether(vec![0; 21]));
        assert!(matches!(
            mf.add(long_hw),
            Err(MemfileError::FieldLength {
                column: "hwaddr",
                len: 21,
                ..
            })
        ));
        assert_eq!(mf.len(), 2);
        assert!(!Path::new("/nonexistent").exists());
    }

    #[test]
    fn lookups_by_every_index() {
        let (mf, _) = Memfile4::open(MemfileConfig {
            persist: false,
            ..MemfileConfig::v4(Path::new("/"))
        })
        .unwrap();
        for i in 1..=4 {
            let mut l = lease(i);
            l.subnet_id = u32::from(i % 2) + 1;
            l.cltt = 1000 * i64::from(i);
            mf.add(l).unwrap();
        }
        let hw3 = [0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 3];
        assert_eq!(mf.get_by_hwaddr(&hw3).len(), 1);
        assert_eq!(
            mf.get_by_hwaddr_subnet(&hw3, 2).unwrap().addr.octets()[3],
            3
        );
        assert_eq!(mf.get_by_hwaddr_subnet(&hw3, 1), None);
        assert_eq!(mf.get_by_client_id(&[1, 4]).len(), 1);
        assert_eq!(
            mf.get_by_client_id_subnet(&[1, 4], 1)
                .unwrap()
                .addr
                .octets()[3],
            4
        );
        assert_eq!(mf.get_by_subnet(1).len(), 2);
        assert_eq!(mf.get_page(None, 3).len(), 3);
        // Lease i expires at 1000 * i + 3600.
        let expired = mf.get_expired(6000, 0);
        assert_eq!(
            expired
                .iter()
                .map(|l| l.addr.octets()[3])
                .collect::<Vec<_>>(),
            vec![1, 2]
        );
        assert_eq!(mf.get_expired(6000, 1).len(), 1);
        assert_eq!(mf.state_counts()[&1].assigned, 2);

        let mut reclaimed = lease(1);
        reclaimed.state = LeaseState::ExpiredReclaimed;
        reclaimed.subnet_id = 2;
        mf.update(reclaimed).unwrap();
        assert_eq!(mf.get_expired(6000, 0).len(), 1);
        assert_eq!(
            mf.delete_expired_reclaimed(1_700_003_600 + 10, 5).unwrap(),
            1
        );
        assert_eq!(mf.len(), 3);
    }

    #[test]
    fn old_schema_file_is_rewritten_like_lfc() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = config(dir.path());
        let paths = LeaseFilePaths::new(&cfg.name);
        std::fs::write(
            &paths.previous,
            "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname\n\
             192.0.2.7,01:02:03:04:05:06,,100,1100,3,0,0,old\n\
             192.0.2.8,01:02:03:04:05:07,,100,1100,3,0,0,gone\n",
        )
        .unwrap();
        std::fs::write(
            &cfg.name,
            format!(
                "{}\n192.0.2.8,01:02:03:04:05:07,,0,1000,3,0,0,gone,0,\n",
                SCHEMA4.header()
            ),
        )
        .unwrap();
        let (mf, report) = Memfile4::open(cfg.clone()).unwrap();
        assert!(report.needs_conversion);
        assert_eq!(mf.len(), 1);
        assert_eq!(file_rows(&cfg.name), vec![SCHEMA4.header()]);
        let previous = file_rows(&paths.previous);
        assert_eq!(previous[0], SCHEMA4.header());
        assert_eq!(previous.len(), 2);
        assert!(!paths.finish.exists() && !paths.output.exists());
        mf.add(lease(9)).unwrap();
        drop(mf);
        let (mf, report) = Memfile4::open(cfg).unwrap();
        assert!(!report.needs_conversion);
        assert_eq!(mf.len(), 2);
    }

    #[test]
    fn user_context_survives_reload() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = config(dir.path());
        let (mf, _) = Memfile4::open(cfg.clone()).unwrap();
        let mut l = lease(5);
        l.user_context = json!({"a": [1, "x,y"], "é": {"n": null}})
            .as_object()
            .cloned();
        mf.add(l.clone()).unwrap();
        drop(mf);
        let (mf, _) = Memfile4::open(cfg).unwrap();
        assert_eq!(mf.get(l.addr), Some(l));
    }

    #[test]
    fn workers_share_it_and_every_change_is_persisted() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = config(dir.path());
        let (mf, _) = Memfile4::open(cfg.clone()).unwrap();
        let mf = Arc::new(mf);
        let threads: Vec<_> = (0..4u8)
            .map(|t| {
                let mf = Arc::clone(&mf);
                std::thread::spawn(move || {
                    for i in 0..50u8 {
                        let mut l = lease(i);
                        l.addr = Ipv4Addr::new(10, 0, t, i);
                        mf.add(l.clone()).unwrap();
                        l.cltt += 1;
                        mf.update(l).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(mf.len(), 200);
        let before = mf.get_all();
        drop(mf);
        let (mf, report) = Memfile4::open(cfg).unwrap();
        assert_eq!(report.rows, 400);
        assert_eq!(mf.get_all(), before);
    }
}
