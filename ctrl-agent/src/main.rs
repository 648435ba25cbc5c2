//! The `kea-ctrl-agent` binary: all logic is in the library.

use std::process::ExitCode;

fn main() -> ExitCode {
    kea_ctrl_agent::run()
}
