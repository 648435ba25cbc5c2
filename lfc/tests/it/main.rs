//! kea-lfc integration tests: the real binary on lease files in temporary directories,
//! compared with Kea 2.2's kea-lfc when it is installed and with its recorded output
//! (`fixtures/`) always.

mod cli;
mod compaction;
mod harness;
mod interop;
mod protocol;
