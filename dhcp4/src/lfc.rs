//! Lease file cleanup from the server's side (ARM `lfc.rst`, "Lease File Cleanup"): every
//! `lfc-interval` seconds the lease file is rotated to `.1` and `kea-lfc` is started in the
//! background to merge `.2` and `.1`; serving never pauses.

use std::sync::Arc;

use kea_lease::Memfile4;
use kea_lease::lfc::LfcFamily;

/// One cleanup turn of the v4 lease file (see [`kea_lease::lfc::run_lfc`]).
pub fn run_lfc(leases: &Arc<Memfile4>) {
    kea_lease::lfc::run_lfc(
        LfcFamily::V4,
        leases.paths(),
        || leases.rotate_for_lfc(),
        "kea-dhcp4.dhcpsrv",
    );
}
