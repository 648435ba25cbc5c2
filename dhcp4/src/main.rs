//! The `kea-dhcp4` binary.
fn main() {}
