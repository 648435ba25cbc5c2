//! The `kea-shell` binary: parse the switches, run, exit with the code.

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let args = kea_shell::cli::ShellArgs::parse();
    let code = kea_shell::run(
        &args,
        &mut std::io::stdin().lock(),
        &mut std::io::stdout().lock(),
    );
    ExitCode::from(code)
}
