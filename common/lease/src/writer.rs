//! Writing lease files: appending one row per lease change, and writing a whole compacted
//! file (`dhcp4-srv.rst`, "Why Is Lease File Cleanup Necessary?"; INVENTORY §11).
//!
//! Durability: each row is handed to the kernel with a single `write` before the call
//! returns, as Kea does (its CSV writer ends every row with `std::endl`, which flushes the
//! stream, and does not fsync). The row survives a crash of the server; surviving a power
//! loss would need an fsync per change, which Kea does not pay and neither do we.

use crate::row::{LeaseRow, Schema};
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// A lease file write failed.
#[derive(Debug, Error)]
#[error("cannot write lease file {}: {}", .path.display(), .source)]
pub struct WriteError {
    /// The file.
    pub path: PathBuf,
    /// The I/O error.
    pub source: io::Error,
}

impl WriteError {
    fn at(path: &Path) -> impl FnOnce(io::Error) -> Self + '_ {
        move |source| Self {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// The lease file opened in append mode.
#[derive(Debug)]
pub struct LeaseFileWriter {
    path: PathBuf,
    file: File,
}

impl LeaseFileWriter {
    /// Opens `path` for appending. A missing or empty file gets the schema's header; a
    /// file whose last row lacks its newline (a crash mid-write) gets one, so the next row
    /// does not run into the damaged one.
    pub fn open(path: &Path, schema: &Schema) -> Result<Self, WriteError> {
        let err = WriteError::at(path);
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(WriteError::at(path))?;
        let len = file.metadata().map_err(WriteError::at(path))?.len();
        if len == 0 {
            file.write_all(format!("{}\n", schema.header()).as_bytes())
                .map_err(err)?;
        } else {
            let mut last = [0u8; 1];
            file.seek(SeekFrom::End(-1)).map_err(WriteError::at(path))?;
            file.read_exact(&mut last).map_err(WriteError::at(path))?;
            if last[0] != b'\n' {
                file.write_all(b"\n").map_err(err)?;
            }
        }
        Ok(Self {
            path: path.to_path_buf(),
            file,
        })
    }

    /// Appends one row (the newline is added) with a single write.
    pub fn append_row(&mut self, row: &str) -> Result<(), WriteError> {
        let mut line = String::with_capacity(row.len() + 1);
        line.push_str(row);
        line.push('\n');
        self.file
            .write_all(line.as_bytes())
            .and_then(|()| self.file.flush())
            .map_err(WriteError::at(&self.path))
    }

    /// Appends a lease's row.
    pub fn append<L: LeaseRow>(&mut self, lease: &L) -> Result<(), WriteError> {
        self.append_row(&lease.to_row())
    }

    /// Wraps an already open file (tests use `/dev/full` to exercise write failures).
    #[cfg(test)]
    pub(crate) fn from_file(path: &Path, file: File) -> Self {
        Self {
            path: path.to_path_buf(),
            file,
        }
    }

    /// The file being appended to.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Writes a complete lease file (header and one row per lease), replacing any file at
/// `path`, and syncs it to disk: used for compacted files that are renamed into place.
pub fn write_lease_file<'a, L: LeaseRow + 'a>(
    path: &Path,
    leases: impl IntoIterator<Item = &'a L>,
) -> Result<(), WriteError> {
    let mut text = L::SCHEMA.header();
    text.push('\n');
    for lease in leases {
        text.push_str(&lease.to_row());
        text.push('\n');
    }
    let mut file = File::create(path).map_err(WriteError::at(path))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(WriteError::at(path))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use crate::csv4::SCHEMA4;
    use crate::lease::Lease4;

    #[test]
    fn new_file_gets_header_and_rows_are_appended() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.csv");
        let mut w = LeaseFileWriter::open(&path, &SCHEMA4).unwrap();
        w.append_row("r1").unwrap();
        drop(w);
        let mut w = LeaseFileWriter::open(&path, &SCHEMA4).unwrap();
        w.append_row("r2").unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            format!("{}\nr1\nr2\n", SCHEMA4.header())
        );
    }

    #[test]
    fn torn_last_row_is_terminated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.csv");
        std::fs::write(&path, "h\npartial").unwrap();
        LeaseFileWriter::open(&path, &SCHEMA4)
            .unwrap()
            .append_row("r")
            .unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "h\npartial\nr\n");
    }

    #[test]
    fn whole_file_is_header_plus_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.csv");
        let lease = Lease4 {
            hwaddr: Some(crate::hwaddr::HwAddr::ether(vec![1])),
            valid_lft: 5,
            ..Lease4::new(std::net::Ipv4Addr::LOCALHOST)
        };
        write_lease_file(&path, [&lease]).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            format!("{}\n{}\n", SCHEMA4.header(), lease.to_row())
        );
    }
}
