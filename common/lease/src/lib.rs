//! kea-lease: leases and the memfile lease manager.
//!
//! Owns the lease records ([`Lease4`], [`Lease6`]), Kea's memfile CSV lease files (v4
//! schema 2.1, v6 schema 4.0, byte-compatible with Kea 2.2 and reading its older schemas)
//! and the memfile lease managers [`Memfile4`] and [`Memfile6`]. Implements
//! `shared/spec/kea-arm/dhcp4-srv.rst` and `dhcp6-srv.rst`, "Memfile - Basic Storage for
//! Leases" and "Lease Database Configuration" (memfile parameters), the file protocol of
//! `lfc.rst`, and the lease states of `lease-expiration.rst`. It reads no configuration: the server passes a
//! [`MemfileConfig`]. It must not do network I/O.

pub mod config;
pub mod csv4;
pub mod csv6;
pub mod csv_escape;
mod field;
pub mod hex;
pub mod hwaddr;
pub mod kea_json;
pub mod lease;
pub mod lfc;
pub mod load;
pub mod memfile;
pub mod memfile4;
pub mod memfile6;
pub mod messages;
mod postings;
#[cfg(test)]
mod proptest_support;
pub mod row;
mod store4;
mod store6;
pub mod writer;

pub use config::{LeaseFilePaths, MemfileConfig};
pub use hwaddr::HwAddr;
pub use lease::{INFINITY_LFT, Lease4, Lease6, LeaseState, LeaseType, UserContext};
pub use load::{LoadError, LoadReport, ReadEvent, ReadStats, RowErrorAt};
pub use memfile::MemfileError;
pub use memfile4::Memfile4;
pub use memfile6::Memfile6;
pub use row::{LeaseRow, RowError};
pub use store4::StateCounts;
pub use store6::StateCounts6;
