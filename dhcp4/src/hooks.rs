//! Hook libraries named in `hooks-libraries` (ARM `hooks.rst`): each is matched by file name
//! to a built-in library (`kea-hooks`), whose commands join the one command registry while
//! the configuration names the library.

use std::net::Ipv4Addr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use kea_hooks::Libraries;
use kea_hooks::lease_cmds::{BackendError, LeaseCmdsBackend4, NcrKind, Subnet4Info};
use kea_lease::{Lease4, MemfileError, StateCounts};
use kea_ncr::ChangeType;
use kea_process::ctrl::{CONTROL_RESULT_ERROR, answer};
use kea_process::daemon::DaemonContext;
use kea_srv::ddns::ncr_for_lease4;
use kea_stats::StatsMgr;

use crate::server::Dhcp4Service;

/// The lease commands' view of the running server: the current configuration's subnets and
/// the lease store, statistics included.
pub struct Backend {
    service: Arc<Dhcp4Service>,
}

fn storage(e: MemfileError) -> BackendError {
    match e {
        MemfileError::AlreadyExists { .. } => BackendError::AlreadyExists,
        MemfileError::NotFound { .. } => BackendError::NotFound,
        other => BackendError::Storage(Box::new(other)),
    }
}

impl Backend {
    fn leases(&self) -> Option<Arc<kea_lease::Memfile4>> {
        self.service.runtime().map(|r| r.leases.0.clone())
    }

    fn info(s: &kea_srv::v4::cfg::Subnet4) -> Subnet4Info {
        Subnet4Info {
            id: s.id,
            prefix: s.prefix.network(),
            prefix_len: s.prefix.prefix_len(),
            valid_lft: s.params.valid_lifetime.default,
        }
    }
}

impl LeaseCmdsBackend4 for Backend {
    fn subnet(&self, id: u32) -> Option<Subnet4Info> {
        let rt = self.service.runtime()?;
        rt.srv.subnet(id).map(|s| Self::info(s))
    }

    fn select_subnet(&self, addr: Ipv4Addr) -> Option<Subnet4Info> {
        let rt = self.service.runtime()?;
        rt.srv
            .subnets
            .iter()
            .find(|s| s.in_range(addr))
            .map(|s| Self::info(s))
    }

    fn subnet_ids(&self) -> Vec<u32> {
        let mut ids: Vec<u32> = self
            .service
            .runtime()
            .map(|r| r.srv.subnets.iter().map(|s| s.id).collect())
            .unwrap_or_default();
        ids.sort_unstable();
        ids
    }

    fn get(&self, addr: Ipv4Addr) -> Option<Lease4> {
        self.leases()?.get(addr)
    }

    fn get_by_hwaddr(&self, hwaddr: &[u8]) -> Vec<Lease4> {
        self.leases()
            .map(|m| m.get_by_hwaddr(hwaddr))
            .unwrap_or_default()
    }

    fn get_by_client_id(&self, client_id: &[u8]) -> Vec<Lease4> {
        self.leases()
            .map(|m| m.get_by_client_id(client_id))
            .unwrap_or_default()
    }

    fn get_by_subnet(&self, subnet_id: u32) -> Vec<Lease4> {
        self.leases()
            .map(|m| m.get_by_subnet(subnet_id))
            .unwrap_or_default()
    }

    fn get_all(&self) -> Vec<Lease4> {
        self.leases().map(|m| m.get_all()).unwrap_or_default()
    }

    fn get_page(&self, after: Ipv4Addr, limit: usize) -> Vec<Lease4> {
        let after = (!after.is_unspecified()).then_some(after);
        self.leases()
            .map(|m| m.get_page(after, limit))
            .unwrap_or_default()
    }

    fn add(&self, lease: Lease4) -> Result<(), BackendError> {
        let m = self.leases().ok_or(BackendError::NotFound)?;
        m.add(lease).map_err(storage)
    }

    fn update(&self, lease: Lease4) -> Result<(), BackendError> {
        let m = self.leases().ok_or(BackendError::NotFound)?;
        m.update(lease).map_err(storage)
    }

    fn delete(&self, addr: Ipv4Addr) -> Result<bool, BackendError> {
        let m = self.leases().ok_or(BackendError::NotFound)?;
        m.delete(addr).map(|l| l.is_some()).map_err(storage)
    }

    fn state_counts(&self, subnet_id: u32) -> StateCounts {
        self.leases()
            .and_then(|m| m.state_counts().get(&subnet_id).copied())
            .unwrap_or_default()
    }

    fn stats(&self) -> &StatsMgr {
        self.service.stats()
    }

    fn now(&self) -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0)
    }

    fn ddns_enabled(&self) -> bool {
        self.service
            .runtime()
            .is_some_and(|r| r.srv.global.ddns_enabled && r.ncr_sender.is_some())
    }

    /// DDNS (issue 8): the NCR is built as for a lease the server changed (DHCID, TTL and
    /// conflict resolution of the lease's subnet) and queued to D2.
    fn queue_ncr(&self, kind: NcrKind, lease: &Lease4) -> Result<(), BackendError> {
        let Some(rt) = self.service.runtime() else {
            return Ok(());
        };
        let p = rt
            .srv
            .subnet(lease.subnet_id)
            .map_or(&rt.srv.params.ddns, |s| &s.params.ddns);
        let change = match kind {
            NcrKind::Add => ChangeType::Add,
            NcrKind::Remove => ChangeType::Remove,
        };
        let ncrs = ncr_for_lease4(change, lease, rt.srv.global.ddns_enabled, p);
        crate::server::send_ncrs(&rt, ncrs.into_iter().collect());
        Ok(())
    }
}

/// The commands registered for the libraries of the running configuration.
#[derive(Default)]
pub struct HookCommands {
    registered: Mutex<Vec<&'static str>>,
}

impl HookCommands {
    /// Makes the registry offer exactly the commands of `libs` (dropping those of libraries
    /// no longer configured).
    pub fn install(&self, ctx: &DaemonContext, service: &Arc<Dhcp4Service>, libs: &Libraries) {
        let mut registered = self
            .registered
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        for name in registered.drain(..) {
            ctx.registry.deregister(name);
        }
        let backend = Arc::new(Backend {
            service: service.clone(),
        });
        for name in libs.commands() {
            let (b, l) = (backend.clone(), libs.clone());
            let ok = ctx.registry.register_sync(name, move |args| {
                l.handle(&*b, name, args.as_ref()).unwrap_or_else(|| {
                    answer(
                        CONTROL_RESULT_ERROR,
                        format!("'{name}' command not supported"),
                    )
                })
            });
            if ok.is_ok() {
                registered.push(name);
            }
        }
    }
}
