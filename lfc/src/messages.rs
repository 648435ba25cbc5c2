//! kea-lfc's loggers and log message IDs (Kea's `lfc_messages.mes` and the `dhcpsrv`
//! messages it logs while reading lease files; `lfc.rst`).
//!
//! kea-lfc logs nothing unless started with `-d`; then every message goes to stderr in
//! Kea's default layout (verified on Kea 2.2, which ignores `KEA_LOGGER_DESTINATION` here).

/// The root logger.
pub const LOGGER: &str = "DhcpLFC";
/// The logger of lease file reading.
pub const LOGGER_DHCPSRV: &str = "DhcpLFC.dhcpsrv";

/// A run starts.
pub const LFC_START: &str = "LFC_START";
/// The previous and copy files are being compacted.
pub const LFC_PROCESSING: &str = "LFC_PROCESSING";
/// Counters of the lease file reads.
pub const LFC_READ_STATS: &str = "LFC_READ_STATS";
/// Counters of the output write.
pub const LFC_WRITE_STATS: &str = "LFC_WRITE_STATS";
/// The finish file is being moved into place.
pub const LFC_ROTATING: &str = "LFC_ROTATING";
/// The run ends (also after a failed step).
pub const LFC_TERMINATE: &str = "LFC_TERMINATE";
/// FATAL: the PID file names a live kea-lfc.
pub const LFC_RUNNING: &str = "LFC_RUNNING";
/// FATAL: the PID file cannot be written.
pub const LFC_FAIL_PID_CREATE: &str = "LFC_FAIL_PID_CREATE";
/// FATAL: the PID file cannot be removed at the end.
pub const LFC_FAIL_PID_DEL: &str = "LFC_FAIL_PID_DEL";
/// FATAL: reading the inputs or writing the output failed.
pub const LFC_FAIL_PROCESS: &str = "LFC_FAIL_PROCESS";
/// FATAL: deleting the inputs or moving the finish file failed.
pub const LFC_FAIL_ROTATE: &str = "LFC_FAIL_ROTATE";

/// A lease file is read.
pub use kea_lease::messages::DHCPSRV_MEMFILE_LEASE_FILE_LOAD;
/// A row of a lease file was discarded.
pub use kea_lease::messages::DHCPSRV_MEMFILE_LEASE_LOAD_ROW_ERROR;
/// A lease file has an older schema than the one written.
pub use kea_lease::messages::DHCPSRV_MEMFILE_NEEDS_UPGRADING;
/// A lease file has a newer schema than the one written.
pub const DHCPSRV_MEMFILE_NEEDS_DOWNGRADING: &str = "DHCPSRV_MEMFILE_NEEDS_DOWNGRADING";
