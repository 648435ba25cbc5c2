//! `kea-lfc`: parses the switches, runs [`kea_lfc::run`] and maps the result to Kea's
//! output and exit code.

use std::process::ExitCode;

use kea_lfc::cli::{self, Action};

fn main() -> ExitCode {
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    let args = match cli::parse(&args) {
        Ok(Action::Run(args)) => args,
        Ok(Action::Help) => {
            eprint!("{}", cli::usage());
            return ExitCode::SUCCESS;
        }
        Ok(Action::Version) => {
            println!("{}", kea_lfc::VERSION);
            return ExitCode::SUCCESS;
        }
        Ok(Action::ExtendedVersion) => {
            println!("{}", kea_lfc::extended_version());
            return ExitCode::SUCCESS;
        }
        Ok(Action::BuildReport) => {
            println!("{}", kea_process::daemon::report::build_report("kea-lfc"));
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprint!("{}", cli::usage_error_report(&e));
            return ExitCode::FAILURE;
        }
    };
    if args.verbose {
        print!("{}", args.describe());
    }
    if let Err(e) = kea_lfc::init_logging(args.verbose) {
        eprintln!("Service failed: {e}");
        return ExitCode::FAILURE;
    }
    match kea_lfc::run(&args) {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Service failed: {e}");
            ExitCode::FAILURE
        }
    }
}
