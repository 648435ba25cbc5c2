//! `Memfile6`: the DHCPv6 memfile lease manager — address and prefix leases in memory,
//! every change appended to the lease file before the call returns (`dhcp6-srv.rst`,
//! "Memfile - Basic Storage for Leases" and "Lease Database Configuration"; INVENTORY §11).
//!
//! Keys: as in Kea 2.2's memfile, a lease is stored under its address alone (a delegated
//! prefix under its first address), so one address holds one lease whatever its type;
//! lookups by address take the lease type too and find nothing when the lease at that
//! address has another type, as Kea's `getLease6(type, address)` does.
//!
//! Concurrency and durability are [`crate::memfile4`]'s: one mutex over the indexes and
//! the file, a change is written (and flushed) first and applied in memory only if the
//! write succeeded, and a deleted lease is written as its last state with valid and
//! preferred lifetimes 0, as Kea 2.2 does.

use crate::config::{LeaseFilePaths, MemfileConfig};
use crate::csv6::{DUID_MAX, EMPTY_DUID};
use crate::hwaddr::HWADDR_MAX;
use crate::lease::{Lease6, LeaseState, LeaseType};
use crate::load::LoadReport;
use crate::memfile::{LeaseFile, MemfileError};
use crate::store6::{StateCounts6, Store6};
use std::collections::BTreeMap;
use std::net::Ipv6Addr;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The DHCPv6 memfile lease manager.
#[derive(Debug)]
pub struct Memfile6 {
    config: MemfileConfig,
    paths: LeaseFilePaths,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    store: Store6,
    /// The lease file (nothing when `persist` is false).
    file: LeaseFile,
}

impl Memfile6 {
    /// Opens the lease manager. With `persist`, loads the lease files in Kea's startup
    /// order and opens the lease file for appending (creating it with the header); a file
    /// of an older schema is first rewritten in the current one, as Kea does by running a
    /// cleanup at startup. Without `persist`, starts empty and touches no file.
    pub fn open(config: MemfileConfig) -> Result<(Self, LoadReport), MemfileError> {
        let paths = LeaseFilePaths::new(&config.name);
        let (file, leases, report) = LeaseFile::open::<Lease6>(&config, &paths)?;
        let store = Store6::from_leases(leases.into_values());
        Ok((Self::with_state(config, paths, store, file), report))
    }

    fn with_state(
        config: MemfileConfig,
        paths: LeaseFilePaths,
        store: Store6,
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

    /// Adds a new lease; fails if the address holds a lease already, of any type.
    // KEA-DIFF: when the address holds a lease of another type, Kea 2.2 reports success
    // and appends the row but keeps the old lease in memory (verified with `lease6-add`
    // of an IA_PD over an IA_NA), so memory and file disagree until a restart. We refuse.
    pub fn add(&self, lease: Lease6) -> Result<(), MemfileError> {
        check(&lease)?;
        let mut state = self.lock();
        if state.store.get(lease.addr).is_some() {
            return Err(MemfileError::AlreadyExists {
                addr: lease.addr.into(),
            });
        }
        state.file.append(&lease)?;
        state.store.insert(lease);
        Ok(())
    }

    /// Replaces the stored lease of the same address and type; fails if there is none.
    // KEA-DIFF: Kea 2.2's `lease6-update` aborts the server (a null pointer assertion)
    // when the address holds a lease of another type (verified); we answer NotFound.
    pub fn update(&self, lease: Lease6) -> Result<(), MemfileError> {
        check(&lease)?;
        let mut state = self.lock();
        if state.get(lease.lease_type, lease.addr).is_none() {
            return Err(MemfileError::NotFound {
                addr: lease.addr.into(),
            });
        }
        state.file.append(&lease)?;
        state.store.insert(lease);
        Ok(())
    }

    /// Lease file cleanup, the server's half (`lfc.rst`): unless an earlier cleanup left
    /// `.completed` or `.1` behind, the lease file becomes `.1` and a fresh one (header only)
    /// takes new rows, all under the lock, so no change is lost or written twice. Returns
    /// whether kea-lfc should run (false without `persist`, or when the rename failed, as
    /// in Kea).
    pub fn rotate_for_lfc(&self) -> Result<bool, MemfileError> {
        self.lock().file.rotate(&self.paths)
    }

    /// Deletes the lease of type `lease_type` at `addr`, returning it, or `None` if the
    /// address holds no lease of that type (then nothing is written).
    pub fn delete(
        &self,
        lease_type: LeaseType,
        addr: Ipv6Addr,
    ) -> Result<Option<Lease6>, MemfileError> {
        self.lock().delete(lease_type, addr)
    }

    /// Deletes expired-reclaimed leases (of every type) that expired more than `secs`
    /// seconds before `now` (`hold-reclaimed-time`); returns how many were deleted.
    pub fn delete_expired_reclaimed(&self, now: i64, secs: u32) -> Result<usize, MemfileError> {
        let mut state = self.lock();
        let victims = state
            .store
            .reclaimed_before(now.saturating_sub(i64::from(secs)));
        for addr in &victims {
            if let Some(lease) = state.store.get(*addr) {
                let lease_type = lease.lease_type;
                state.delete(lease_type, *addr)?;
            }
        }
        Ok(victims.len())
    }

    /// The lease of type `lease_type` at `addr` (a prefix by its first address).
    pub fn get(&self, lease_type: LeaseType, addr: Ipv6Addr) -> Option<Lease6> {
        self.lock().get(lease_type, addr).cloned()
    }

    /// The leases of one IA: type, DUID and IAID (Kea's `getLeases6(type, duid, iaid)`),
    /// in address order.
    pub fn get_by_duid_iaid(&self, lease_type: LeaseType, duid: &[u8], iaid: u32) -> Vec<Lease6> {
        self.lock().store.by_duid_iaid(lease_type, duid, iaid)
    }

    /// The leases of one IA in one subnet (Kea's `getLeases6(type, duid, iaid,
    /// subnet_id)`), in address order.
    pub fn get_by_duid_iaid_subnet(
        &self,
        lease_type: LeaseType,
        duid: &[u8],
        iaid: u32,
        subnet_id: u32,
    ) -> Vec<Lease6> {
        let leases = self.lock().store.by_duid_iaid(lease_type, duid, iaid);
        leases
            .into_iter()
            .filter(|l| l.subnet_id == subnet_id)
            .collect()
    }

    /// All leases of a DUID, of every type and IAID, in address order.
    pub fn get_by_duid(&self, duid: &[u8]) -> Vec<Lease6> {
        self.lock().store.by_duid(duid)
    }

    /// All leases of a hardware address (bytes only; type and source are not compared),
    /// in address order.
    pub fn get_by_hwaddr(&self, hwaddr: &[u8]) -> Vec<Lease6> {
        self.lock().store.by_hwaddr(hwaddr)
    }

    /// All leases of a subnet, in address order.
    pub fn get_by_subnet(&self, subnet_id: u32) -> Vec<Lease6> {
        self.lock().store.by_subnet(subnet_id)
    }

    /// Every lease, in address order.
    pub fn get_all(&self) -> Vec<Lease6> {
        self.lock().store.all()
    }

    /// Up to `limit` leases with addresses above `after` (from the start if `None`), in
    /// address order, for `lease6-get-page`.
    pub fn get_page(&self, after: Option<Ipv6Addr>, limit: usize) -> Vec<Lease6> {
        self.lock().store.page(after, limit)
    }

    /// Leases expired at `now` and not yet reclaimed (declined ones included), earliest
    /// expiration first, at most `max` of them (0 = no limit), for reclamation.
    pub fn get_expired(&self, now: i64, max: usize) -> Vec<Lease6> {
        self.lock().store.expired(now, max)
    }

    /// Lease counts per subnet, lease type and state, for the statistics recount.
    pub fn state_counts(&self) -> BTreeMap<u32, StateCounts6> {
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
    fn get(&self, lease_type: LeaseType, addr: Ipv6Addr) -> Option<&Lease6> {
        self.store.get(addr).filter(|l| l.lease_type == lease_type)
    }

    fn delete(
        &mut self,
        lease_type: LeaseType,
        addr: Ipv6Addr,
    ) -> Result<Option<Lease6>, MemfileError> {
        let Some(lease) = self.get(lease_type, addr) else {
            return Ok(None);
        };
        let record = lease.deletion_record();
        self.file.append(&record)?;
        Ok(self.store.remove(addr))
    }
}

/// Refuses leases whose row would not load again as the same lease: Kea's reader rejects
/// a row without a DUID, or with the empty DUID unless declined, or with a prefix length
/// above 128, and drops a hardware address that is empty or longer than 20 bytes.
fn check(lease: &Lease6) -> Result<(), MemfileError> {
    let addr = lease.addr.into();
    if lease.duid.is_empty() || (lease.duid == EMPTY_DUID && lease.state != LeaseState::Declined) {
        return Err(MemfileError::MissingDuid { addr });
    }
    if lease.duid.len() > DUID_MAX {
        return Err(MemfileError::FieldLength {
            addr,
            column: "duid",
            len: lease.duid.len(),
        });
    }
    if let Some(len) = lease.hwaddr.as_ref().map(|hw| hw.bytes.len())
        && !(1..=HWADDR_MAX).contains(&len)
    {
        return Err(MemfileError::FieldLength {
            addr,
            column: "hwaddr",
            len,
        });
    }
    if lease.prefix_len > 128 {
        return Err(MemfileError::PrefixLen {
            addr,
            len: lease.prefix_len,
        });
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use crate::csv6::SCHEMA6;
    use crate::hwaddr::{HwAddr, source};
    use crate::row::LeaseRow;
    use crate::writer::LeaseFileWriter;
    use serde_json::json;
    use std::path::Path;
    use std::sync::Arc;

    fn addr(last: u16) -> Ipv6Addr {
        Ipv6Addr::new(0x2001, 0xdb8, 1, 0, 0, 0, 0, last)
    }

    fn lease(last: u16) -> Lease6 {
        Lease6 {
            duid: vec![0, 3, 0, 1, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f],
            iaid: u32::from(last),
            valid_lft: 3600,
            preferred_lft: 1800,
            cltt: 1_700_000_000,
            subnet_id: 1,
            hostname: format!("host{last},x"),
            hwaddr: Some(HwAddr {
                htype: 1,
                bytes: vec![0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f],
                source: source::DUID,
            }),
            ..Lease6::new(addr(last))
        }
    }

    /// A delegated /56 at `2001:db8:8:<n>00::`.
    fn prefix(n: u16) -> Lease6 {
        Lease6 {
            lease_type: LeaseType::Pd,
            prefix_len: 56,
            addr: Ipv6Addr::new(0x2001, 0xdb8, 8, n << 8, 0, 0, 0, 0),
            ..lease(n)
        }
    }

    fn config(dir: &Path) -> MemfileConfig {
        MemfileConfig {
            name: dir.join("leases6.csv"),
            ..MemfileConfig::v6(dir)
        }
    }

    fn memory_only() -> Memfile6 {
        Memfile6::open(MemfileConfig {
            persist: false,
            ..MemfileConfig::v6(Path::new("/nonexistent"))
        })
        .unwrap()
        .0
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
        let (mf, report) = Memfile6::open(cfg.clone()).unwrap();
        assert!(report.files.is_empty(), "a missing file is not read");
        assert_eq!(file_rows(&cfg.name), vec![SCHEMA6.header()]);

        mf.add(lease(1)).unwrap();
        let mut renewed = lease(1);
        renewed.cltt += 100;
        mf.update(renewed.clone()).unwrap();
        mf.add(prefix(1)).unwrap();
        mf.add(lease(2)).unwrap();
        let deleted = mf.delete(LeaseType::Na, addr(2)).unwrap().unwrap();
        assert_eq!(deleted, lease(2));

        let rows = file_rows(&cfg.name);
        assert_eq!(rows.len(), 6);
        assert_eq!(rows[2], renewed.to_row());
        assert_eq!(rows[3], prefix(1).to_row());
        // Kea 2.2's deletion record: valid and preferred lifetimes 0, so expire == cltt.
        assert_eq!(
            rows[5],
            "2001:db8:1::2,00:03:00:01:1a:1b:1c:1d:1e:1f,0,1700000000,1,0,0,2,128,0,0,\
             host2&#x2cx,1a:1b:1c:1d:1e:1f,0,,1,2"
        );

        drop(mf);
        let (reopened, report) = Memfile6::open(cfg).unwrap();
        assert_eq!(report.rows, 5);
        assert_eq!(reopened.get_all(), vec![renewed, prefix(1)]);
    }

    #[test]
    fn reload_is_identical() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = config(dir.path());
        let (mf, _) = Memfile6::open(cfg.clone()).unwrap();
        mf.add(Lease6 {
            user_context: json!({"a": [1, "x,y"], "é": {"n": null}})
                .as_object()
                .cloned(),
            fqdn_fwd: true,
            ..lease(1)
        })
        .unwrap();
        mf.add(Lease6 {
            lease_type: LeaseType::Ta,
            hwaddr: None,
            ..lease(2)
        })
        .unwrap();
        mf.add(Lease6 {
            state: LeaseState::Declined,
            duid: EMPTY_DUID.to_vec(),
            ..lease(3)
        })
        .unwrap();
        mf.add(Lease6 {
            state: LeaseState::ExpiredReclaimed,
            fqdn_rev: true,
            valid_lft: crate::lease::INFINITY_LFT,
            ..lease(4)
        })
        .unwrap();
        mf.add(prefix(7)).unwrap();
        let before = mf.get_all();
        assert_eq!(before.len(), 5);
        drop(mf);
        let (mf, report) = Memfile6::open(cfg).unwrap();
        assert_eq!(report.row_errors, 0);
        assert_eq!(mf.get_all(), before);
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
        let mf = Memfile6::with_state(
            cfg.clone(),
            LeaseFilePaths::new(&cfg.name),
            Store6::from_leases([lease(1)]),
            LeaseFile::with_writer(&SCHEMA6, writer),
        );
        assert!(matches!(mf.add(lease(2)), Err(MemfileError::Write(_))));
        let mut changed = lease(1);
        changed.hostname = "changed".into();
        assert!(matches!(mf.update(changed), Err(MemfileError::Write(_))));
        assert!(matches!(
            mf.delete(LeaseType::Na, addr(1)),
            Err(MemfileError::Write(_))
        ));
        assert_eq!(mf.get_all(), vec![lease(1)]);
    }

    #[test]
    fn one_lease_per_address_and_type_checked_lookups() {
        let mf = memory_only();
        mf.add(lease(1)).unwrap();
        let pd_over_na = Lease6 {
            lease_type: LeaseType::Pd,
            prefix_len: 64,
            ..lease(1)
        };
        assert!(matches!(
            mf.add(pd_over_na.clone()),
            Err(MemfileError::AlreadyExists { .. })
        ));
        assert!(matches!(
            mf.update(pd_over_na),
            Err(MemfileError::NotFound { .. })
        ));
        assert_eq!(mf.get(LeaseType::Pd, addr(1)), None);
        assert_eq!(mf.get(LeaseType::Na, addr(1)), Some(lease(1)));
        assert_eq!(mf.delete(LeaseType::Pd, addr(1)).unwrap(), None);
        assert_eq!(mf.delete(LeaseType::Ta, addr(1)).unwrap(), None);
        assert_eq!(mf.len(), 1);
        assert_eq!(mf.delete(LeaseType::Na, addr(1)).unwrap(), Some(lease(1)));
        assert!(mf.is_empty());
        assert!(matches!(
            mf.update(lease(1)),
            Err(MemfileError::NotFound { .. })
        ));
    }

    #[test]
    fn leases_that_would_not_reload_are_refused() {
        let mf = memory_only();
        let refused = |l: Lease6| mf.add(l).unwrap_err();
        assert!(matches!(
            refused(Lease6 {
                duid: vec![],
                ..lease(1)
            }),
            MemfileError::MissingDuid { .. }
        ));
        assert!(matches!(
            refused(Lease6 {
                duid: EMPTY_DUID.to_vec(),
                ..lease(1)
            }),
            MemfileError::MissingDuid { .. }
        ));
        assert!(matches!(
            refused(Lease6 {
                duid: vec![1; 131],
                ..lease(1)
            }),
            MemfileError::FieldLength {
                column: "duid",
                len: 131,
                ..
            }
        ));
        for len in [0, 21] {
            let mut l = lease(1);
            l.hwaddr = Some(HwAddr::ether(vec![1; len]));
            assert!(matches!(
                refused(l),
                MemfileError::FieldLength { column: "hwaddr", len: found, .. } if found == len
            ));
        }
        assert!(matches!(
            refused(Lease6 {
                prefix_len: 129,
                ..lease(1)
            }),
            MemfileError::PrefixLen { len: 129, .. }
        ));
        assert!(mf.is_empty());
        mf.add(Lease6 {
            duid: vec![1; 130],
            hwaddr: Some(HwAddr::ether(vec![1; 20])),
            ..lease(1)
        })
        .unwrap();
    }

    #[test]
    fn lookups_by_every_index() {
        let mf = memory_only();
        for i in 1..=4 {
            let mut l = lease(i);
            l.subnet_id = u32::from(i % 2) + 1;
            l.cltt = 1000 * i64::from(i);
            l.iaid = u32::from(i % 2);
            if i == 4 {
                l.duid = vec![9, 9];
                l.hwaddr = Some(HwAddr::ether(vec![4]));
            }
            mf.add(l).unwrap();
        }
        mf.add(prefix_iaid1()).unwrap();
        let duid = lease(1).duid;
        let last = |ls: Vec<Lease6>| ls.iter().map(|l| l.addr.segments()[7]).collect::<Vec<_>>();
        // NA leases 1 and 3 have IAID 1; lease 2 has IAID 0; lease 4 another DUID.
        assert_eq!(
            last(mf.get_by_duid_iaid(LeaseType::Na, &duid, 1)),
            vec![1, 3]
        );
        assert_eq!(last(mf.get_by_duid_iaid(LeaseType::Na, &duid, 0)), vec![2]);
        assert_eq!(
            mf.get_by_duid_iaid(LeaseType::Pd, &duid, 1),
            vec![prefix_iaid1()]
        );
        assert_eq!(mf.get_by_duid_iaid(LeaseType::Ta, &duid, 1), vec![]);
        assert_eq!(
            last(mf.get_by_duid_iaid_subnet(LeaseType::Na, &duid, 1, 2)),
            vec![1, 3]
        );
        assert!(
            mf.get_by_duid_iaid_subnet(LeaseType::Na, &duid, 1, 1)
                .is_empty()
        );
        assert_eq!(mf.get_by_duid(&duid).len(), 4);
        assert_eq!(last(mf.get_by_duid(&[9, 9])), vec![4]);
        assert_eq!(last(mf.get_by_hwaddr(&[4])), vec![4]);
        assert_eq!(mf.get_by_hwaddr(&lease(1).hwaddr.unwrap().bytes).len(), 4);
        assert_eq!(last(mf.get_by_subnet(1)), vec![2, 4, 0]);
        assert_eq!(mf.get_page(None, 3).len(), 3);
        assert_eq!(mf.get_page(Some(addr(4)), 10), vec![prefix_iaid1()]);
        // Lease i expires at 1000 * i + 3600, the prefix at 103600.
        assert_eq!(last(mf.get_expired(6000, 0)), vec![1, 2]);
        assert_eq!(mf.get_expired(6000, 1).len(), 1);
        assert_eq!(mf.get_expired(200_000, 0).len(), 5);
        let counts = mf.state_counts();
        assert_eq!(counts[&1].na.assigned, 2);
        assert_eq!(counts[&2].na.assigned, 2);
        assert_eq!(counts[&1].pd.assigned, 1);

        let mut reclaimed = mf.get(LeaseType::Na, addr(1)).unwrap();
        reclaimed.state = LeaseState::ExpiredReclaimed;
        mf.update(reclaimed).unwrap();
        let mut reclaimed_pd = prefix_iaid1();
        reclaimed_pd.state = LeaseState::ExpiredReclaimed;
        mf.update(reclaimed_pd).unwrap();
        assert_eq!(last(mf.get_expired(6000, 0)), vec![2]);
        assert_eq!(mf.state_counts()[&1].pd.expired_reclaimed, 1);
        // Lease 1 expired at 4600, the prefix at 103600: only lease 1 is past the hold.
        assert_eq!(mf.delete_expired_reclaimed(4600 + 10, 5).unwrap(), 1);
        assert_eq!(mf.len(), 4);
        assert_eq!(mf.delete_expired_reclaimed(200_000, 5).unwrap(), 1);
        assert_eq!(mf.len(), 3);
    }

    fn prefix_iaid1() -> Lease6 {
        Lease6 {
            iaid: 1,
            cltt: 100_000,
            ..prefix(1)
        }
    }

    #[test]
    fn old_schema_file_is_rewritten_like_lfc() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = config(dir.path());
        let paths = LeaseFilePaths::new(&cfg.name);
        // Schema 1.0 (no hwaddr, state, user_context, hwtype, hwaddr_source).
        std::fs::write(
            &paths.previous,
            "address,duid,valid_lifetime,expire,subnet_id,pref_lifetime,lease_type,iaid,\
             prefix_len,fqdn_fwd,fqdn_rev,hostname\n\
             2001:db8:1::7,01:02:03,100,1100,3,50,0,7,128,0,0,old\n\
             2001:db8:8::,01:02:03,100,1100,3,50,2,8,48,0,0,\n\
             2001:db8:1::8,01:02:04,100,1100,3,50,0,8,128,0,0,gone\n",
        )
        .unwrap();
        // Schema 3.0 in `.1`: a state column, no user context.
        std::fs::write(
            &paths.input,
            "address,duid,valid_lifetime,expire,subnet_id,pref_lifetime,lease_type,iaid,\
             prefix_len,fqdn_fwd,fqdn_rev,hostname,hwaddr,state\n\
             2001:db8:1::9,01:02:05,100,1100,3,50,0,9,128,1,0,nine,0a:0b,1\n",
        )
        .unwrap();
        std::fs::write(
            &cfg.name,
            format!(
                "{}\n2001:db8:1::8,01:02:04,0,1000,3,0,0,8,128,0,0,gone,,0,,,\n",
                SCHEMA6.header()
            ),
        )
        .unwrap();
        let (mf, report) = Memfile6::open(cfg.clone()).unwrap();
        assert!(report.needs_conversion);
        assert_eq!(report.row_errors, 0);
        assert_eq!(mf.len(), 3);
        let pd = mf
            .get(LeaseType::Pd, "2001:db8:8::".parse().unwrap())
            .unwrap();
        assert_eq!((pd.prefix_len, pd.iaid, pd.hwaddr), (48, 8, None));
        let nine = mf.get(LeaseType::Na, addr(9)).unwrap();
        assert_eq!(nine.state, LeaseState::Declined);
        assert_eq!(nine.hwaddr, Some(HwAddr::ether(vec![10, 11])));
        assert_eq!(file_rows(&cfg.name), vec![SCHEMA6.header()]);
        let previous = file_rows(&paths.previous);
        assert_eq!(previous[0], SCHEMA6.header());
        assert_eq!(previous.len(), 4);
        assert!(!paths.input.exists() && !paths.finish.exists() && !paths.output.exists());
        let before = mf.get_all();
        mf.add(lease(5)).unwrap();
        drop(mf);
        let (mf, report) = Memfile6::open(cfg).unwrap();
        assert!(!report.needs_conversion);
        assert_eq!(mf.len(), 4);
        mf.delete(LeaseType::Na, addr(5)).unwrap();
        assert_eq!(mf.get_all(), before);
    }

    #[test]
    fn rotation_for_lfc_keeps_every_change() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = config(dir.path());
        let paths = LeaseFilePaths::new(&cfg.name);
        let (mf, _) = Memfile6::open(cfg.clone()).unwrap();
        assert_eq!(mf.paths(), &paths);
        assert_eq!(mf.config(), &cfg);
        mf.add(lease(1)).unwrap();
        mf.add(prefix(2)).unwrap();
        assert!(mf.rotate_for_lfc().unwrap());
        assert_eq!(file_rows(&paths.input).len(), 3);
        assert_eq!(file_rows(&cfg.name), vec![SCHEMA6.header()]);
        mf.delete(LeaseType::Na, addr(1)).unwrap();
        mf.add(lease(3)).unwrap();
        // `.1` is still there (kea-lfc has not run): no second rotation.
        assert!(mf.rotate_for_lfc().unwrap());
        assert_eq!(file_rows(&cfg.name).len(), 3);
        let before = mf.get_all();
        drop(mf);
        let (mf, _) = Memfile6::open(cfg).unwrap();
        assert_eq!(mf.get_all(), before);
        assert_eq!(before, vec![lease(3), prefix(2)]);
        assert!(!memory_only().rotate_for_lfc().unwrap());
    }

    #[test]
    fn workers_share_it_and_every_change_is_persisted() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = config(dir.path());
        let (mf, _) = Memfile6::open(cfg.clone()).unwrap();
        let mf = Arc::new(mf);
        let threads: Vec<_> = (0..4u16)
            .map(|t| {
                let mf = Arc::clone(&mf);
                std::thread::spawn(move || {
                    for i in 0..50u16 {
                        let mut l = lease(i);
                        l.addr = Ipv6Addr::new(0x2001, 0xdb8, t, 0, 0, 0, 0, i);
                        if i % 5 == 0 {
                            l.lease_type = LeaseType::Pd;
                            l.prefix_len = 64;
                        }
                        mf.add(l.clone()).unwrap();
                        l.cltt += 1;
                        mf.update(l.clone()).unwrap();
                        if i % 7 == 0 {
                            mf.delete(l.lease_type, l.addr).unwrap().unwrap();
                        }
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(mf.len(), 4 * (50 - 8));
        let before = mf.get_all();
        drop(mf);
        let (mf, report) = Memfile6::open(cfg).unwrap();
        assert_eq!(report.rows, 4 * (100 + 8));
        assert_eq!(mf.get_all(), before);
    }
}
