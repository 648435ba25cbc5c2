//! Lease file cleanup from the server's side (ARM `lfc.rst`, "Lease File Cleanup"): every
//! `lfc-interval` seconds the lease file is rotated to `.1` and `kea-lfc` is started in the
//! background to merge `.2` and `.1`; serving never pauses.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;

use kea_lease::Memfile4;
use tracing::{info, warn};

/// The kea-lfc program: `KEA_LFC_EXECUTABLE`, else `kea-lfc` beside this binary.
fn lfc_executable() -> PathBuf {
    if let Some(p) = std::env::var_os("KEA_LFC_EXECUTABLE") {
        return PathBuf::from(p);
    }
    std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(|d| d.join("kea-lfc")))
        .unwrap_or_else(|| PathBuf::from("kea-lfc"))
}

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
        .arg("-4")
        .arg("-x")
        .arg(&p.previous)
        .arg("-i")
        .arg(&p.input)
        .arg("-o")
        .arg(&p.output)
        .arg("-f")
        .arg(&p.finish)
        .arg("-p")
        .arg(&p.pid)
        .arg("-c")
        .arg("ignored-path")
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
