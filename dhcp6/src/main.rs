//! The `kea-dhcp6` binary: Kea's DHCPv6 server switches, then the daemon.
use std::process::ExitCode;

fn main() -> ExitCode {
    kea_process::daemon::run(kea_dhcp6::INFO, kea_dhcp6::Dhcp6Daemon::new)
}
