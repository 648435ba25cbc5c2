//! The `kea-dhcp4` binary: Kea's DHCPv4 server switches, then the daemon.
use std::process::ExitCode;

fn main() -> ExitCode {
    kea_process::daemon::run(kea_dhcp4::INFO, kea_dhcp4::Dhcp4Daemon::new)
}
