//! Log destinations (ARM `logging.rst`, "output"): stdout, stderr, syslog (datagrams to
//! `/dev/log`, the name after `syslog:` being the ident) and files rotated by size
//! (`maxsize`, `maxver`: `file` → `file.1` → ... → `file.<maxver>`).

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use super::config::{OutputOption, Severity};
use super::pattern::{DEFAULT_PATTERN, DEFAULT_SYSLOG_PATTERN, Pattern};

/// The syslog socket.
const SYSLOG_PATH: &str = "/dev/log";
/// syslog facility `user` (log4cplus' default), shifted into the PRI value.
const FACILITY_USER: u8 = 1 << 3;

/// Errors opening an output.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The log file cannot be opened.
    #[error("cannot open log file {path}: {source}")]
    OpenFile {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
}

/// Where lines go.
#[derive(Debug)]
enum Sink {
    Stdout,
    Stderr,
    Syslog {
        ident: String,
        socket: Option<UnixDatagram>,
    },
    File(Mutex<RotatingFile>),
}

/// One configured output: its destination, layout and flush policy.
#[derive(Debug)]
pub struct Output {
    sink: Sink,
    /// The compiled layout.
    pub pattern: Pattern,
    flush: bool,
}

impl Output {
    /// Opens the destination named in `opt`.
    pub fn open(opt: &OutputOption) -> Result<Self, OutputError> {
        let (sink, default_pattern) = match opt.output.as_str() {
            "stdout" => (Sink::Stdout, DEFAULT_PATTERN),
            "stderr" => (Sink::Stderr, DEFAULT_PATTERN),
            s if s == "syslog" || s.starts_with("syslog:") => {
                let ident = s.strip_prefix("syslog:").unwrap_or("kea").to_owned();
                let socket = UnixDatagram::unbound().ok();
                (Sink::Syslog { ident, socket }, DEFAULT_SYSLOG_PATTERN)
            }
            path => {
                let file = RotatingFile::open(Path::new(path), opt.maxsize, opt.maxver)?;
                (Sink::File(Mutex::new(file)), DEFAULT_PATTERN)
            }
        };
        let pattern = if opt.pattern.is_empty() {
            default_pattern
        } else {
            opt.pattern.as_str()
        };
        Ok(Self {
            sink,
            pattern: Pattern::compile(pattern),
            flush: opt.flush,
        })
    }

    /// Writes one rendered line. Errors are dropped: logging must not stop the daemon.
    pub fn write_line(&self, severity: Severity, line: &str) {
        match &self.sink {
            Sink::Stdout => {
                let mut out = io::stdout().lock();
                let _ = out.write_all(line.as_bytes());
                if self.flush {
                    let _ = out.flush();
                }
            }
            Sink::Stderr => {
                let _ = io::stderr().lock().write_all(line.as_bytes());
            }
            Sink::Syslog { ident, socket } => {
                if let Some(socket) = socket {
                    let msg = format!(
                        "<{}>{ident}[{}]: {}",
                        FACILITY_USER | syslog_priority(severity),
                        std::process::id(),
                        line.trim_end_matches('\n')
                    );
                    let _ = socket.send_to(msg.as_bytes(), SYSLOG_PATH);
                }
            }
            Sink::File(file) => {
                let _ = file
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .write_line(line.as_bytes());
            }
        }
    }
}

fn syslog_priority(s: Severity) -> u8 {
    match s {
        Severity::Fatal => 2,
        Severity::Error => 3,
        Severity::Warn => 4,
        Severity::Info | Severity::None => 6,
        Severity::Debug => 7,
    }
}

/// An append-only file that rotates when the next line would pass `maxsize`. Each line is one
/// `write` system call, so nothing sits in a user-space buffer (flush is implied).
#[derive(Debug)]
pub struct RotatingFile {
    path: PathBuf,
    file: File,
    size: u64,
    maxsize: u64,
    maxver: u32,
}

impl RotatingFile {
    /// Opens (appending) `path`; `maxsize` 0 disables rotation.
    pub fn open(path: &Path, maxsize: u64, maxver: u32) -> Result<Self, OutputError> {
        let file = Self::open_file(path)?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        Ok(Self {
            path: path.to_owned(),
            file,
            size,
            maxsize,
            maxver,
        })
    }

    fn open_file(path: &Path) -> Result<File, OutputError> {
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|source| OutputError::OpenFile {
                path: path.to_owned(),
                source,
            })
    }

    fn versioned(&self, n: u32) -> PathBuf {
        let mut p = self.path.as_os_str().to_owned();
        p.push(format!(".{n}"));
        PathBuf::from(p)
    }

    /// Appends `line`, rotating first when needed.
    pub fn write_line(&mut self, line: &[u8]) -> io::Result<()> {
        let len = line.len() as u64;
        if self.maxsize > 0 && self.size > 0 && self.size + len > self.maxsize {
            self.rotate()?;
        }
        self.file.write_all(line)?;
        self.size += len;
        Ok(())
    }

    fn rotate(&mut self) -> io::Result<()> {
        if self.maxver == 0 {
            self.file.set_len(0)?;
        } else {
            for n in (1..self.maxver).rev() {
                let from = self.versioned(n);
                if from.exists() {
                    std::fs::rename(&from, self.versioned(n + 1))?;
                }
            }
            std::fs::rename(&self.path, self.versioned(1))?;
            self.file = Self::open_file(&self.path).map_err(|e| match e {
                OutputError::OpenFile { source, .. } => source,
            })?;
        }
        self.size = 0;
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    #[test]
    fn rotates_and_caps_versions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kea.log");
        let mut f = RotatingFile::open(&path, 20, 2).unwrap();
        for i in 0..8 {
            f.write_line(format!("line-{i}-xxxx\n").as_bytes()).unwrap();
        }
        // 12 bytes per line, 20 bytes per file: one line each.
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "line-7-xxxx\n");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("kea.log.1")).unwrap(),
            "line-6-xxxx\n"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("kea.log.2")).unwrap(),
            "line-5-xxxx\n"
        );
        assert!(!dir.path().join("kea.log.3").exists());
    }

    #[test]
    fn no_rotation_when_maxsize_zero() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kea.log");
        let mut f = RotatingFile::open(&path, 0, 2).unwrap();
        for _ in 0..100 {
            f.write_line(b"0123456789\n").unwrap();
        }
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 1100);
    }

    #[test]
    fn bad_path_is_an_error() {
        let opt = OutputOption {
            output: "/nonexistent-dir/x.log".into(),
            ..OutputOption::default()
        };
        assert!(matches!(
            Output::open(&opt),
            Err(OutputError::OpenFile { .. })
        ));
    }
}
