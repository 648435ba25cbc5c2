//! Kea's command-line switches (`-c -t -T -d -v -V -W -p -P`), per-daemon switch sets and
//! the usage texts (ARM `dhcp4-srv.rst`, "Starting and Stopping the DHCPv4 Server";
//! INVENTORY §1.1). Parsing is clap's, with its own help and version flags turned off so
//! that `-v`/`-V` keep Kea's meaning; errors print Kea's usage text and exit with 1.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

/// Which of Kea's two usage layouts a daemon prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsageStyle {
    /// kea-dhcp4/kea-dhcp6: getopt messages, a banner with the description, then usage.
    Dhcp {
        /// Banner text, e.g. `Kea DHCPv4 server`.
        description: &'static str,
    },
    /// kea-dhcp-ddns/kea-ctrl-agent (Kea's `DControllerBase`).
    DController,
}

/// The switches one daemon accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SwitchSet {
    /// Program name, e.g. `kea-dhcp4`.
    pub program: &'static str,
    /// Usage layout.
    pub usage: UsageStyle,
    /// `-p`/`-P` port overrides (DHCP servers only).
    pub ports: bool,
    /// `-T` (full configuration test).
    pub full_check: bool,
}

/// Switches that affect a running daemon.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Switches {
    /// `-c FILE`.
    pub config_file: PathBuf,
    /// `-d`: DEBUG/99 logging.
    pub debug: bool,
    /// `-p PORT`: server (listen) port.
    pub server_port: Option<u16>,
    /// `-P PORT`: client (send-to) port.
    pub client_port: Option<u16>,
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CliAction {
    /// Run the daemon.
    Run(Switches),
    /// `-t FILE` (`full: false`) or `-T FILE` (`full: true`): check and exit.
    Check {
        /// The file to check.
        file: PathBuf,
        /// `-T`: extra checks.
        full: bool,
        /// `-d` was given too.
        debug: bool,
    },
    /// `-v`.
    Version,
    /// `-V`.
    ExtendedVersion,
    /// `-W`.
    BuildReport,
}

/// A bad command line; `Display` is the first line Kea prints before the usage.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CliError {
    /// An option the daemon does not know.
    #[error("invalid option -- '{option}'")]
    InvalidOption {
        /// The option letter.
        option: String,
    },
    /// An option without its value.
    #[error("option requires an argument -- '{option}'")]
    MissingArgument {
        /// The option letter.
        option: String,
    },
    /// A port that is not 1-65535.
    #[error("Failed to parse {which} port number: [{value}], 1-65535 allowed.")]
    BadPort {
        /// `server` or `client`.
        which: &'static str,
        /// What was given.
        value: String,
    },
    /// Neither `-c` nor `-t`.
    #[error("Configuration file not specified.")]
    NoConfigFile,
    /// Words after the options.
    #[error("extraneous command line information")]
    Extraneous,
}

impl CliError {
    /// The text printed on stderr: the problem, then the usage, in the daemon's layout.
    pub fn report(&self, set: &SwitchSet) -> String {
        match set.usage {
            UsageStyle::Dhcp { .. } => {
                let first = match self {
                    Self::InvalidOption { .. } | Self::MissingArgument { .. } => {
                        format!("{}: {self}", set.program)
                    }
                    _ => self.to_string(),
                };
                format!("{first}\n{}", usage(set))
            }
            UsageStyle::DController => {
                let first = match self {
                    Self::InvalidOption { option } | Self::MissingArgument { option } => {
                        format!("Usage error: unsupported option: [{option}] \n")
                    }
                    Self::NoConfigFile => String::new(),
                    other => format!("Usage error: {other} \n"),
                };
                format!("{first}{}", usage(set))
            }
        }
    }
}

/// The usage text (ends with a newline).
pub fn usage(set: &SwitchSet) -> String {
    let version = env!("CARGO_PKG_VERSION");
    match set.usage {
        UsageStyle::Dhcp { description } => {
            let files = if set.full_check { "c|t|T" } else { "c|t" };
            let ports = if set.ports {
                " [-p number] [-P number]"
            } else {
                ""
            };
            let mut s = format!(
                "{description}, version {version} (stable)\n\nUsage: {} -[v|V|W] [-d] [-{{{files}}} cfgfile]{ports}\n",
                set.program
            );
            s.push_str("  -v: print version number and exit\n");
            s.push_str("  -V: print extended version and exit\n");
            s.push_str("  -W: display the configuration report and exit\n");
            s.push_str("  -d: debug mode with extra verbosity (former -v)\n");
            s.push_str("  -c file: specify configuration file\n");
            s.push_str("  -t file: check the configuration file syntax and exit\n");
            if set.full_check {
                s.push_str("  -T file: check the configuration file doing hooks load and extra checks and exit\n");
            }
            if set.ports {
                s.push_str("  -p number: specify non-standard server port number 1-65535 (useful for testing only)\n");
                s.push_str("  -P number: specify non-standard client port number 1-65535 (useful for testing only)\n");
            }
            s
        }
        UsageStyle::DController => {
            let mut s = format!("Usage: {}\n", set.program);
            s.push_str("  -v: print version number and exit\n");
            s.push_str("  -V: print extended version information and exit\n");
            s.push_str("  -W: display the configuration report and exit\n");
            s.push_str("  -d: optional, verbose output \n");
            s.push_str("  -c <config file name> : mandatory, specify name of configuration file\n");
            s.push_str("  -t <config file name> : check the configuration file and exit\n");
            if set.full_check {
                s.push_str("  -T <config file name> : check the configuration file doing hooks load and extra checks and exit\n");
            }
            s
        }
    }
}

fn command(set: &SwitchSet) -> Command {
    let flag = |id: &'static str, c: char| Arg::new(id).short(c).action(ArgAction::SetTrue);
    let value = |id: &'static str, c: char| {
        Arg::new(id)
            .short(c)
            .num_args(1)
            .action(ArgAction::Set)
            .value_parser(clap::value_parser!(OsString))
    };
    let mut cmd = Command::new(set.program)
        .disable_help_flag(true)
        .disable_version_flag(true)
        .arg(flag("v", 'v'))
        .arg(flag("V", 'V'))
        .arg(flag("W", 'W'))
        .arg(flag("d", 'd'))
        .arg(value("c", 'c'))
        .arg(value("t", 't'));
    if set.full_check {
        cmd = cmd.arg(value("T", 'T'));
    }
    if set.ports {
        cmd = cmd.arg(value("p", 'p')).arg(value("P", 'P'));
    }
    cmd
}

fn parse_port(which: &'static str, v: Option<&OsString>) -> Result<Option<u16>, CliError> {
    let Some(v) = v else { return Ok(None) };
    let text = v.to_string_lossy();
    match text.parse::<u16>() {
        Ok(p) if p > 0 => Ok(Some(p)),
        _ => Err(CliError::BadPort {
            which,
            value: text.into_owned(),
        }),
    }
}

fn option_letter(e: &clap::Error) -> String {
    match e.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(s)) => {
            let s = s.trim_start_matches('-');
            s.chars().next().map(String::from).unwrap_or_default()
        }
        _ => String::new(),
    }
}

/// Parses `args` (including the program name in `args[0]`).
pub fn parse<I, T>(set: &SwitchSet, args: I) -> Result<CliAction, CliError>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let m = command(set).try_get_matches_from(args).map_err(|e| match e.kind() {
        ErrorKind::InvalidValue | ErrorKind::NoEquals => CliError::MissingArgument { option: option_letter(&e) },
        ErrorKind::UnknownArgument => {
            let letter = option_letter(&e);
            if letter.is_empty() || !matches!(e.get(ContextKind::InvalidArg), Some(ContextValue::String(s)) if s.starts_with('-')) {
                CliError::Extraneous
            } else {
                CliError::InvalidOption { option: letter }
            }
        }
        ErrorKind::ArgumentConflict => CliError::InvalidOption { option: option_letter(&e) },
        _ => CliError::Extraneous,
    })?;
    if m.get_flag("v") {
        return Ok(CliAction::Version);
    }
    if m.get_flag("V") {
        return Ok(CliAction::ExtendedVersion);
    }
    if m.get_flag("W") {
        return Ok(CliAction::BuildReport);
    }
    let debug = m.get_flag("d");
    let (server_port, client_port) = if set.ports {
        (
            parse_port("server", m.get_one("p"))?,
            parse_port("client", m.get_one("P"))?,
        )
    } else {
        (None, None)
    };
    let get = |id: &str| -> Option<PathBuf> {
        m.try_get_one::<OsString>(id)
            .ok()
            .flatten()
            .map(PathBuf::from)
    };
    if let Some(file) = get("T") {
        return Ok(CliAction::Check {
            file,
            full: true,
            debug,
        });
    }
    if let Some(file) = get("t") {
        return Ok(CliAction::Check {
            file,
            full: false,
            debug,
        });
    }
    match get("c") {
        Some(config_file) => Ok(CliAction::Run(Switches {
            config_file,
            debug,
            server_port,
            client_port,
        })),
        None => Err(CliError::NoConfigFile),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    const DHCP4: SwitchSet = SwitchSet {
        program: "kea-dhcp4",
        usage: UsageStyle::Dhcp {
            description: "Kea DHCPv4 server",
        },
        ports: true,
        full_check: true,
    };
    const D2: SwitchSet = SwitchSet {
        program: "kea-dhcp-ddns",
        usage: UsageStyle::DController,
        ports: false,
        full_check: false,
    };

    #[test]
    fn run_switches() {
        let a = parse(
            &DHCP4,
            [
                "kea-dhcp4",
                "-d",
                "-c",
                "/etc/kea/kea4.conf",
                "-p",
                "1067",
                "-P1068",
            ],
        )
        .unwrap();
        assert_eq!(
            a,
            CliAction::Run(Switches {
                config_file: "/etc/kea/kea4.conf".into(),
                debug: true,
                server_port: Some(1067),
                client_port: Some(1068),
            })
        );
    }

    #[test]
    fn info_switches_win() {
        assert_eq!(
            parse(&DHCP4, ["kea-dhcp4", "-v"]).unwrap(),
            CliAction::Version
        );
        assert_eq!(
            parse(&DHCP4, ["kea-dhcp4", "-V", "-c", "x"]).unwrap(),
            CliAction::ExtendedVersion
        );
        assert_eq!(
            parse(&DHCP4, ["kea-dhcp4", "-W"]).unwrap(),
            CliAction::BuildReport
        );
        assert_eq!(
            parse(&DHCP4, ["kea-dhcp4", "-t", "f.json"]).unwrap(),
            CliAction::Check {
                file: "f.json".into(),
                full: false,
                debug: false
            }
        );
        assert_eq!(
            parse(&DHCP4, ["kea-dhcp4", "-T", "f.json"]).unwrap(),
            CliAction::Check {
                file: "f.json".into(),
                full: true,
                debug: false
            }
        );
    }

    #[test]
    fn errors_like_kea() {
        let e = parse(&DHCP4, ["kea-dhcp4", "-x"]).unwrap_err();
        assert_eq!(e, CliError::InvalidOption { option: "x".into() });
        let r = e.report(&DHCP4);
        assert!(
            r.starts_with("kea-dhcp4: invalid option -- 'x'\nKea DHCPv4 server, version "),
            "{r}"
        );
        assert!(r.contains(
            "\nUsage: kea-dhcp4 -[v|V|W] [-d] [-{c|t|T} cfgfile] [-p number] [-P number]\n"
        ));
        assert_eq!(
            parse(&DHCP4, ["kea-dhcp4"]).unwrap_err(),
            CliError::NoConfigFile
        );
        assert_eq!(
            parse(&DHCP4, ["kea-dhcp4", "-c", "x", "-p", "0"])
                .unwrap_err()
                .to_string(),
            "Failed to parse server port number: [0], 1-65535 allowed."
        );
        assert_eq!(
            parse(&DHCP4, ["kea-dhcp4", "-c", "a", "b"]).unwrap_err(),
            CliError::Extraneous
        );
        assert!(matches!(
            parse(&DHCP4, ["kea-dhcp4", "-c"]).unwrap_err(),
            CliError::MissingArgument { .. }
        ));
    }

    #[test]
    fn dcontroller_has_no_ports() {
        let e = parse(&D2, ["kea-dhcp-ddns", "-p", "5"]).unwrap_err();
        let r = e.report(&D2);
        assert!(
            r.starts_with("Usage error: unsupported option: [p] \nUsage: kea-dhcp-ddns\n"),
            "{r}"
        );
        assert!(!usage(&D2).contains("-p"));
        assert!(!usage(&D2).contains("-T"));
    }
}
