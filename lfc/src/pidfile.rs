//! kea-lfc's PID file (`-p`, `<lease file>.pid`): one cleanup per set of lease files at a
//! time (`lfc.rst`, "Command-Line Options"). The servers read the same file and refuse to
//! load leases while it names a live process.
//!
//! As Kea 2.2 (verified): a missing file means nobody runs; a file without a number makes
//! the run fail ("Unable to read PID from file ..."); a file naming a live process stops
//! the run; a stale file (kill -9 of an earlier run) is overwritten. The file holds the
//! PID and a newline, written with one `write`.
//!
//! KEA-DIFF: an empty file counts as stale. A run killed between creating the file and
//! writing its PID leaves it empty, and Kea 2.2 then refuses every later run.

use std::fs::{File, OpenOptions, TryLockError};
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
    if text.is_empty() {
        return Ok(None);
    }
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

/// What claiming the PID file found.
#[derive(Debug)]
pub enum Claim {
    /// This process holds the file now.
    Held(HeldPidFile),
    /// Another kea-lfc runs on these files.
    Running {
        /// Its PID, when the file names a live process (a kea-lfc that holds the lock but
        /// has not written its PID yet has none).
        pid: Option<i32>,
    },
}

/// The PID file while this process holds it: its PID written, and an exclusive lock on
/// the open file, so that two of our kea-lfc started at the same moment cannot both pass
/// the PID check.
#[derive(Debug)]
pub struct HeldPidFile {
    path: PathBuf,
    // Holds the lock until the run ends.
    _file: File,
}

/// Checks the PID file as Kea does, then locks it and writes this process's PID.
pub fn claim(path: &Path) -> Result<Claim, PidFileError> {
    if let Some(pid) = running_pid(path)? {
        return Ok(Claim::Running { pid: Some(pid) });
    }
    let write_err = |source| PidFileError::Write {
        path: path.to_owned(),
        source,
    };
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(write_err)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => return Ok(Claim::Running { pid: None }),
        Err(TryLockError::Error(e)) => return Err(write_err(e)),
    }
    // One write, so that a kill leaves the file empty or whole.
    file.set_len(0)
        .and_then(|()| file.write_all(format!("{}\n", std::process::id()).as_bytes()))
        .map_err(write_err)?;
    Ok(Claim::Held(HeldPidFile {
        path: path.to_owned(),
        _file: file,
    }))
}

impl HeldPidFile {
    /// Removes the file at the end of the run (the lock goes with it).
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
        // A run killed between creating and writing the file.
        std::fs::write(&path, "").unwrap();
        assert_eq!(running_pid(&path).unwrap(), None);
        for garbage in ["\n", "garbage\n", "-"] {
            std::fs::write(&path, garbage).unwrap();
            let err = running_pid(&path).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("Unable to read PID from file '{}'", path.display())
            );
        }
    }

    #[test]
    fn claim_write_lock_and_remove() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.pid");
        std::fs::write(&path, "2147483000\n").unwrap();
        let Claim::Held(held) = claim(&path).unwrap() else {
            panic!("a stale file is taken over");
        };
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            format!("{}\n", std::process::id())
        );
        // A second claim sees a live PID (ours).
        assert!(matches!(
            claim(&path).unwrap(),
            Claim::Running { pid: Some(_) }
        ));
        // Even with the PID gone, the lock still keeps it out.
        std::fs::write(&path, "").unwrap();
        assert!(matches!(
            claim(&path).unwrap(),
            Claim::Running { pid: None }
        ));
        held.remove().unwrap();
        assert!(!path.exists());

        let err = claim(Path::new("/nonexistent-dir/l.pid")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Unable to open PID file '/nonexistent-dir/l.pid' for write"
        );
    }
}
