//! Lease file cleanup from the server's side (ARM `lfc.rst`, "Lease File Cleanup"): every
//! `lfc-interval` seconds the lease file is rotated to `.1` and `kea-lfc` is started in the
//! background to merge `.2` and `.1`; serving never pauses.

use std::process::Stdio;
use std::sync::Arc;

use kea_lease::Memfile4;
use kea_lease::lfc::{LfcFamily, lfc_args, lfc_executable};
use tracing::{info, warn};

/// Rotates the lease file and starts kea-lfc, as Kea does: with an empty environment and
/// the file names of the protocol. The child is reaped in the background.
pub fn run_lfc(leases: &Arc<Memfile4>) {
    match leases.rotate_for_lfc() {
        Ok(true) => {}
        Ok(false) => return,
        Err(e) => {
            warn!(target: "kea-dhcp4.dhcpsrv", msgid = "DHCPSRV_MEMFILE_LFC_SPAWN_FAIL",
                  "lease file cleanup failed to run because kea-lfc process couldn't be spawned: {e}");
            return;
        }
    }
    let p = leases.paths();
    let exe = lfc_executable();
    let mut cmd = tokio::process::Command::new(&exe);
    cmd.env_clear()
        .args(lfc_args(LfcFamily::V4, p))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    match cmd.spawn() {
        Ok(mut child) => {
            info!(target: "kea-dhcp4.dhcpsrv", msgid = "DHCPSRV_MEMFILE_LFC_EXECUTE",
                  "executing Lease File Cleanup using: {} -4 -x {} -i {} -o {} -f {} -p {} -c ignored-path",
                  exe.display(), p.previous.display(), p.input.display(), p.output.display(),
                  p.finish.display(), p.pid.display());
            tokio::spawn(async move {
                match child.wait().await {
                    Ok(s) if s.success() => {}
                    Ok(s) => warn!(target: "kea-dhcp4.dhcpsrv", msgid = "DHCPSRV_MEMFILE_LFC_FAIL",
                                   "lease file cleanup ended with {s}"),
                    Err(e) => {
                        warn!(target: "kea-dhcp4.dhcpsrv", msgid = "DHCPSRV_MEMFILE_LFC_FAIL",
                                    "lease file cleanup could not be waited for: {e}")
                    }
                }
            });
        }
        Err(e) => {
            warn!(target: "kea-dhcp4.dhcpsrv", msgid = "DHCPSRV_MEMFILE_LFC_SPAWN_FAIL",
                  "lease file cleanup failed to run because kea-lfc process couldn't be spawned: {} ({e})",
                  exe.display());
        }
    }
}
