//! The kea-lfc invocation a server uses (ARM `lfc.rst`): which program, with which
//! arguments. Building the command is pure; the daemons spawn and reap it.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use tracing::{info, warn};

use crate::{LeaseFilePaths, MemfileError};

/// Which lease file family kea-lfc cleans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LfcFamily {
    /// `-4`.
    V4,
    /// `-6`.
    V6,
}

/// The kea-lfc program: `KEA_LFC_EXECUTABLE`, else `kea-lfc` beside the running binary.
pub fn lfc_executable() -> PathBuf {
    if let Some(p) = std::env::var_os("KEA_LFC_EXECUTABLE") {
        return PathBuf::from(p);
    }
    std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(|d| d.join("kea-lfc")))
        .unwrap_or_else(|| PathBuf::from("kea-lfc"))
}

/// Kea's kea-lfc arguments: `-4|-6 -x F.2 -i F.1 -o F.output -f F.completed -p F.pid -c
/// ignored-path` (the server starts it with an empty environment).
pub fn lfc_args(family: LfcFamily, p: &LeaseFilePaths) -> Vec<OsString> {
    let mut args: Vec<OsString> = vec![
        match family {
            LfcFamily::V4 => "-4",
            LfcFamily::V6 => "-6",
        }
        .into(),
    ];
    for (flag, path) in [
        ("-x", &p.previous),
        ("-i", &p.input),
        ("-o", &p.output),
        ("-f", &p.finish),
        ("-p", &p.pid),
    ] {
        args.push(flag.into());
        args.push(path.clone().into_os_string());
    }
    args.push("-c".into());
    args.push("ignored-path".into());
    args
}

/// The server's whole cleanup turn, for either memfile manager: `rotate` moves the lease
/// file to `.1` (false: an earlier cleanup's files are in the way and the rename failed),
/// then kea-lfc starts with an empty environment, its output discarded, and is reaped on
/// a thread of its own so that serving never waits for it. `logger` names the server's
/// logger (`kea-dhcp4.dhcpsrv`).
pub fn run_lfc(
    family: LfcFamily,
    paths: &LeaseFilePaths,
    rotate: impl FnOnce() -> Result<bool, MemfileError>,
    logger: &str,
) {
    match rotate() {
        Ok(true) => {}
        Ok(false) => return,
        Err(e) => {
            warn!(target: "kea-lease", logger, msgid = "DHCPSRV_MEMFILE_LFC_SPAWN_FAIL",
                  "lease file cleanup failed to run: {e}");
            return;
        }
    }
    let exe = lfc_executable();
    let args = lfc_args(family, paths);
    let spawned = Command::new(&exe)
        .env_clear()
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    match spawned {
        Ok(mut child) => {
            let shown: Vec<String> = args
                .iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect();
            info!(target: "kea-lease", logger, msgid = "DHCPSRV_MEMFILE_LFC_EXECUTE",
                  "executing Lease File Cleanup using: {} {}", exe.display(), shown.join(" "));
            let logger = logger.to_string();
            std::thread::spawn(move || match child.wait() {
                Ok(s) if s.success() => {}
                Ok(s) => warn!(target: "kea-lease", logger, msgid = "DHCPSRV_MEMFILE_LFC_FAIL",
                               "lease file cleanup ended with {s}"),
                Err(e) => warn!(target: "kea-lease", logger, msgid = "DHCPSRV_MEMFILE_LFC_FAIL",
                                "lease file cleanup could not be waited for: {e}"),
            });
        }
        Err(e) => warn!(target: "kea-lease", logger, msgid = "DHCPSRV_MEMFILE_LFC_SPAWN_FAIL",
                        "lease file cleanup failed to run because kea-lfc couldn't be spawned: {} ({e})",
                        exe.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_follow_the_protocol() {
        let p = LeaseFilePaths::new(std::path::Path::new("/d/l6.csv"));
        let a: Vec<String> = lfc_args(LfcFamily::V6, &p)
            .into_iter()
            .map(|s| s.into_string().unwrap())
            .collect();
        assert_eq!(
            a.join(" "),
            "-6 -x /d/l6.csv.2 -i /d/l6.csv.1 -o /d/l6.csv.output -f /d/l6.csv.completed -p /d/l6.csv.pid -c ignored-path"
        );
    }
}
