//! kea-lfc's PID file (`-p`, `<lease file>.pid`): one cleanup per set of lease files at a
//! time (`lfc.rst`, "Command-Line Options"). The servers read the same file and refuse to
//! load leases while it names a live process.
//!
//! As Kea 2.2 (verified): a missing file means nobody runs; a file without a number makes
//! the run fail ("Unable to read PID from file ..."); a file naming a live process stops
//! the run; a stale file (kill -9 of an earlier run) is overwritten. The file holds the
//! PID and a newline.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use kea_process::pidfile::process_alive;

/// Why the PID file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum PidFileError {
    /// The file exists but holds no PID.
    #[error("Unable to read PID from file '{}'", .path.display())]
    Unreadable {
        /// The PID file.
        path: PathBuf,
    },
    /// The file cannot be written.
    #[error("Unable to open PID file '{}' for write", .path.display())]
    Write {
        /// The PID file.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
    /// The file cannot be removed at the end of the run.
    #[error("Unable to delete PID file '{}'", .path.display())]
    Delete {
        /// The PID file.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
}

/// The live process a PID file names, if any.
pub fn running_pid(path: &Path) -> Result<Option<i32>, PidFileError> {
    let text = match std::fs::read(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(_) => {
            return Err(PidFileError::Unreadable {
                path: path.to_owned(),
            });
        }
    };
    // Like a C++ stream extraction: leading blanks, then the digits; anything after them
    // is ignored.
    let text = String::from_utf8_lossy(&text);
    let digits: String = text
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let pid: i32 = digits.parse().map_err(|_| PidFileError::Unreadable {
        path: path.to_owned(),
    })?;
    // KEA-DIFF: Kea treats a process it may not signal (EPERM) as gone; we treat it as
    // alive, so that two cleanups never run on the same files.
    Ok(process_alive(pid).then_some(pid))
}

/// The PID file while this process holds it.
#[derive(Debug)]
pub struct HeldPidFile {
    path: PathBuf,
}

impl HeldPidFile {
    /// Writes this process's PID to `path`, replacing a stale file.
    pub fn write(path: &Path) -> Result<Self, PidFileError> {
        let write = || -> io::Result<()> {
            let mut file = std::fs::File::create(path)?;
            writeln!(file, "{}", std::process::id())
        };
        write().map_err(|source| PidFileError::Write {
            path: path.to_owned(),
            source,
        })?;
        Ok(Self {
            path: path.to_owned(),
        })
    }

    /// Removes the file at the end of the run.
    pub fn remove(self) -> Result<(), PidFileError> {
        std::fs::remove_file(&self.path).map_err(|source| PidFileError::Delete {
            path: self.path.clone(),
            source,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    #[test]
    fn missing_stale_live_and_garbage() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.pid");
        assert_eq!(running_pid(&path).unwrap(), None);
        std::fs::write(&path, "2147483000\n").unwrap();
        assert_eq!(running_pid(&path).unwrap(), None);
        std::fs::write(&path, format!(" {}\n", std::process::id())).unwrap();
        assert_eq!(
            running_pid(&path).unwrap(),
            Some(i32::try_from(std::process::id()).unwrap())
        );
        for garbage in ["", "garbage\n", "-"] {
            std::fs::write(&path, garbage).unwrap();
            let err = running_pid(&path).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("Unable to read PID from file '{}'", path.display())
            );
        }
    }

    #[test]
    fn write_and_remove() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.pid");
        std::fs::write(&path, "2147483000\n").unwrap();
        let held = HeldPidFile::write(&path).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            format!("{}\n", std::process::id())
        );
        held.remove().unwrap();
        assert!(!path.exists());
        let err = HeldPidFile::write(Path::new("/nonexistent-dir/l.pid")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Unable to open PID file '/nonexistent-dir/l.pid' for write"
        );
    }
}
