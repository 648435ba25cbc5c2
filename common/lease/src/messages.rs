//! Log message IDs of the lease library (Kea's `dhcpsrv` messages) and the tracing target
//! they are logged under. The daemon maps the target to its `<process>.dhcpsrv` logger.

/// The tracing target of lease storage events.
pub const TARGET: &str = "dhcpsrv";

/// A lease file is being loaded.
pub const DHCPSRV_MEMFILE_LEASE_FILE_LOAD: &str = "DHCPSRV_MEMFILE_LEASE_FILE_LOAD";
/// A row of a lease file was discarded.
pub const DHCPSRV_MEMFILE_LEASE_LOAD_ROW_ERROR: &str = "DHCPSRV_MEMFILE_LEASE_LOAD_ROW_ERROR";
/// A lease file has an older (or newer) schema and is rewritten in the current one.
pub const DHCPSRV_MEMFILE_NEEDS_UPGRADING: &str = "DHCPSRV_MEMFILE_NEEDS_UPGRADING";
/// A v6 row's hardware address could not be read and was ignored.
pub const DHCPSRV_MEMFILE_READ_HWADDR_FAIL: &str = "DHCPSRV_MEMFILE_READ_HWADDR_FAIL";
/// Leases are kept in memory only (`persist` false).
pub const DHCPSRV_MEMFILE_NO_STORAGE: &str = "DHCPSRV_MEMFILE_NO_STORAGE";
