//! The PID file `$KEA_PIDFILE_DIR/<config-basename-without-ext>.<daemon>.pid` (ARM
//! `dhcp4-srv.rst`, "Starting and Stopping"): refuses a second instance started with the same
//! configuration name while the recorded process lives; removed on exit.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use nix::errno::Errno;
use nix::sys::signal::kill;
use nix::unistd::Pid;

/// Environment variable overriding the PID file directory.
pub const PIDFILE_DIR_ENV: &str = "KEA_PIDFILE_DIR";
/// Default PID file directory (Debian's `runstatedir`/kea).
pub const DEFAULT_PIDFILE_DIR: &str = "/run/kea";

/// Errors from taking the PID file.
#[derive(Debug, thiserror::Error)]
pub enum PidFileError {
    /// The file names a live process.
    #[error("already running: PID file '{path}' holds the live process {pid}")]
    AlreadyRunning {
        /// The PID file.
        path: PathBuf,
        /// The live process.
        pid: i32,
    },
    /// The file cannot be written.
    #[error("Unable to open PID file '{path}' for write")]
    Write {
        /// The PID file.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
}

/// A held PID file; deleted on drop.
#[derive(Debug)]
pub struct PidFile {
    path: PathBuf,
}

/// `<dir>/<config stem>.<daemon>.pid`, `dir` from `KEA_PIDFILE_DIR` or the default.
pub fn pid_file_path(config_file: &Path, daemon: &str) -> PathBuf {
    let dir = std::env::var_os(PIDFILE_DIR_ENV)
        .map_or_else(|| PathBuf::from(DEFAULT_PIDFILE_DIR), PathBuf::from);
    pid_file_path_in(&dir, config_file, daemon)
}

/// `<dir>/<config stem>.<daemon>.pid`.
pub fn pid_file_path_in(dir: &Path, config_file: &Path, daemon: &str) -> PathBuf {
    let stem = config_file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!("{stem}.{daemon}.pid"))
}

/// Whether `pid` names a live process (`kill(pid, 0)`; EPERM still means alive).
pub fn process_alive(pid: i32) -> bool {
    if pid <= 0 {
        return false;
    }
    !matches!(kill(Pid::from_raw(pid), None), Err(Errno::ESRCH))
}

impl PidFile {
    /// Checks for a live owner, then writes this process's PID.
    pub fn create(path: &Path) -> Result<Self, PidFileError> {
        if let Ok(text) = std::fs::read_to_string(path)
            && let Ok(pid) = text.trim().parse::<i32>()
            && pid != std::process::id().cast_signed()
            && process_alive(pid)
        {
            return Err(PidFileError::AlreadyRunning {
                path: path.to_owned(),
                pid,
            });
        }
        let write = || -> io::Result<()> {
            let mut f = std::fs::File::create(path)?;
            writeln!(f, "{}", std::process::id())
        };
        write().map_err(|source| PidFileError::Write {
            path: path.to_owned(),
            source,
        })?;
        Ok(Self {
            path: path.to_owned(),
        })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for PidFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    #[test]
    fn path_layout() {
        let p = pid_file_path_in(
            Path::new("/run/kea"),
            Path::new("/etc/kea/kea-dhcp4.conf"),
            "kea-dhcp4",
        );
        assert_eq!(p, PathBuf::from("/run/kea/kea-dhcp4.kea-dhcp4.pid"));
        let p = pid_file_path_in(Path::new("/x"), Path::new("myconf.txt"), "kea-dhcp6");
        assert_eq!(p, PathBuf::from("/x/myconf.kea-dhcp6.pid"));
    }

    #[test]
    fn refuses_live_owner_and_replaces_stale() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.kea-test.pid");
        // PID 1 is always alive.
        std::fs::write(&path, "1\n").unwrap();
        assert!(matches!(
            PidFile::create(&path),
            Err(PidFileError::AlreadyRunning { pid: 1, .. })
        ));
        // A PID that cannot exist is stale.
        std::fs::write(&path, "2147483000\n").unwrap();
        let held = PidFile::create(&path).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap().trim(),
            std::process::id().to_string()
        );
        drop(held);
        assert!(!path.exists());
    }

    #[test]
    fn unwritable_dir_is_an_error() {
        let e = PidFile::create(Path::new("/nonexistent-dir/x.pid")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Unable to open PID file '/nonexistent-dir/x.pid' for write"
        );
    }
}
