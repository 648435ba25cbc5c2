//! The `kea-dhcp-ddns` binary: Kea's D2 switches, then the daemon.
use std::process::ExitCode;

fn main() -> ExitCode {
    kea_process::daemon::run(kea_dhcp_ddns::INFO, kea_dhcp_ddns::D2Daemon::new)
}
