//! kea-lfc's command line: `[-4|-6] -p file -x file -i file -o file -f file -c file`
//! plus `-d -v -V -W -h` (`lfc.rst`, "Command-Line Options"; INVENTORY §1.2).
//!
//! Parsed as Kea's getopt loop does (option string `46dhvVWp:x:i:o:c:f:`): options may
//! be grouped (`-4d`) and values attached (`-pfile`); operands may appear anywhere (GNU
//! getopt permutes them) but any operand is an error; `-h -v -V -W` act as soon as they are
//! met, before later switches are looked at; the last of `-4`/`-6` wins; an empty file name
//! counts as not given. The messages and usage text are Kea 2.2's.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// Which lease files are cleaned: DHCPv4 (`-4`) or DHCPv6 (`-6`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `-4`: `kea-leases4.csv` files.
    V4,
    /// `-6`: `kea-leases6.csv` files.
    V6,
}

/// The switches of a cleanup run, all files given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LfcArgs {
    /// `-4` or `-6`.
    pub family: Family,
    /// `-p`: the PID file held while running.
    pub pid_file: PathBuf,
    /// `-x`: the previous (ex) lease file, the result of the last run (`<file>.2`).
    pub previous: PathBuf,
    /// `-i`: the copy of the lease file the server moved aside (`<file>.1`).
    pub copy: PathBuf,
    /// `-o`: the output being written (`<file>.output`).
    pub output: PathBuf,
    /// `-f`: the finished output (`<file>.completed`).
    pub finish: PathBuf,
    /// `-c`: the configuration file; required but not read.
    pub config: PathBuf,
    /// `-d`: print the switches and log to stderr.
    pub verbose: bool,
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Clean the lease files.
    Run(LfcArgs),
    /// `-h`: print the usage on stderr and exit 0.
    Help,
    /// `-v`: print the version.
    Version,
    /// `-V`: print the extended version.
    ExtendedVersion,
    /// `-W`: print the build report.
    BuildReport,
}

/// A required switch, named as Kea's messages name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Required {
    /// `-p`.
    PidFile,
    /// `-x`.
    Previous,
    /// `-i`.
    Copy,
    /// `-o`.
    Output,
    /// `-f`.
    Finish,
    /// `-c`.
    Config,
}

impl fmt::Display for Required {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::PidFile => "PID file",
            Self::Previous => "Previous file",
            Self::Copy => "Copy file",
            Self::Output => "Output file",
            Self::Finish => "Finish file",
            Self::Config => "Config file",
        })
    }
}

/// A bad command line; `Display` is Kea's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsageError {
    /// A switch kea-lfc does not have.
    #[error("Unknown argument")]
    UnknownArgument {
        /// The letter given.
        option: char,
    },
    /// A file switch at the end of the command line, without its file.
    #[error("Missing option argument")]
    MissingArgument {
        /// The switch.
        option: char,
    },
    /// A word that is no switch.
    #[error("Extraneous parameters.")]
    Extraneous {
        /// The first such word.
        operand: OsString,
    },
    /// Neither `-4` nor `-6`.
    #[error("DHCP version required")]
    NoFamily,
    /// A required file switch is missing or empty.
    #[error("{which} not specified")]
    NotSpecified {
        /// Which one (the first missing in Kea's order).
        which: Required,
    },
}

/// The usage text, printed by `-h` and after a usage error (ends with an empty line).
pub fn usage() -> String {
    [
        "Usage: kea-lfc",
        " [-4|-6] -p file -x file -i file -o file -f file -c file",
        "   -4 or -6 clean a set of v4 or v6 lease files",
        "   -p <file>: PID file",
        "   -x <file>: previous or ex lease file",
        "   -i <file>: copy of lease file",
        "   -o <file>: output lease file",
        "   -f <file>: finish file",
        "   -c <file>: configuration file",
        "   -v: print version number and exit",
        "   -V: print extended version information and exit",
        "   -d: optional, verbose output ",
        "   -h: print this message ",
        "",
        "",
    ]
    .join("\n")
}

/// What Kea prints on stderr for a usage error (then it exits with 1).
pub fn usage_error_report(error: &UsageError) -> String {
    format!("Usage error: {error}\n{}Service failed: {error}\n", usage())
}

impl LfcArgs {
    /// The switch summary `-d` prints on stdout before the run (ends with an empty line).
    pub fn describe(&self) -> String {
        let version = match self.family {
            Family::V4 => 4,
            Family::V6 => 6,
        };
        format!(
            "Protocol version:    DHCPv{version}\n\
             Previous or ex lease file: {}\n\
             Copy lease file:           {}\n\
             Output lease file:         {}\n\
             Finish file:               {}\n\
             Config file:               {}\n\
             PID file:                  {}\n\n",
            self.previous.display(),
            self.copy.display(),
            self.output.display(),
            self.finish.display(),
            self.config.display(),
            self.pid_file.display(),
        )
    }
}

/// The file switches as they are collected.
#[derive(Default)]
struct Files {
    pid_file: Option<PathBuf>,
    previous: Option<PathBuf>,
    copy: Option<PathBuf>,
    output: Option<PathBuf>,
    finish: Option<PathBuf>,
    config: Option<PathBuf>,
}

impl Files {
    fn slot(&mut self, option: u8) -> Option<&mut Option<PathBuf>> {
        Some(match option {
            b'p' => &mut self.pid_file,
            b'x' => &mut self.previous,
            b'i' => &mut self.copy,
            b'o' => &mut self.output,
            b'f' => &mut self.finish,
            b'c' => &mut self.config,
            _ => return None,
        })
    }
}

/// Parses the arguments after the program name.
pub fn parse<T: AsRef<OsStr>>(args: &[T]) -> Result<Action, UsageError> {
    let mut family = None;
    let mut verbose = false;
    let mut files = Files::default();
    let mut operand = None;
    let mut rest = args.iter().map(AsRef::as_ref);
    while let Some(arg) = rest.next() {
        let bytes = arg.as_bytes();
        if bytes == b"--" {
            operand = operand.or_else(|| rest.next().map(OsStr::to_os_string));
            break;
        }
        if bytes.len() < 2 || bytes[0] != b'-' {
            operand = operand.or_else(|| Some(arg.to_os_string()));
            continue;
        }
        for (at, &letter) in bytes.iter().enumerate().skip(1) {
            match letter {
                b'4' => family = Some(Family::V4),
                b'6' => family = Some(Family::V6),
                b'd' => verbose = true,
                b'h' => return Ok(Action::Help),
                b'v' => return Ok(Action::Version),
                b'V' => return Ok(Action::ExtendedVersion),
                b'W' => return Ok(Action::BuildReport),
                _ => {
                    let Some(slot) = files.slot(letter) else {
                        return Err(UsageError::UnknownArgument {
                            option: char::from(letter),
                        });
                    };
                    let attached = &bytes[at + 1..];
                    let value = if attached.is_empty() {
                        rest.next().ok_or(UsageError::MissingArgument {
                            option: char::from(letter),
                        })?
                    } else {
                        OsStr::from_bytes(attached)
                    };
                    *slot = (!value.is_empty()).then(|| PathBuf::from(value));
                    break;
                }
            }
        }
    }
    if let Some(operand) = operand {
        return Err(UsageError::Extraneous { operand });
    }
    let family = family.ok_or(UsageError::NoFamily)?;
    let need = |file: Option<PathBuf>, which| file.ok_or(UsageError::NotSpecified { which });
    Ok(Action::Run(LfcArgs {
        family,
        pid_file: need(files.pid_file, Required::PidFile)?,
        previous: need(files.previous, Required::Previous)?,
        copy: need(files.copy, Required::Copy)?,
        output: need(files.output, Required::Output)?,
        finish: need(files.finish, Required::Finish)?,
        config: need(files.config, Required::Config)?,
        verbose,
    }))
}

impl LfcArgs {
    /// The arguments a DHCP server passes for its lease file: `-4|-6 -x F.2 -i F.1
    /// -o F.output -f F.completed -p F.pid -c ignored-path` (INVENTORY §11).
    pub fn for_lease_file(family: Family, paths: &kea_lease::LeaseFilePaths) -> Self {
        Self {
            family,
            pid_file: paths.pid.clone(),
            previous: paths.previous.clone(),
            copy: paths.input.clone(),
            output: paths.output.clone(),
            finish: paths.finish.clone(),
            config: Path::new("ignored-path").to_path_buf(),
            verbose: false,
        }
    }

    /// The command-line arguments (after the program name) that parse back to `self`.
    pub fn to_args(&self) -> Vec<OsString> {
        let mut args = vec![OsString::from(match self.family {
            Family::V4 => "-4",
            Family::V6 => "-6",
        })];
        for (switch, path) in [
            ("-x", &self.previous),
            ("-i", &self.copy),
            ("-o", &self.output),
            ("-f", &self.finish),
            ("-p", &self.pid_file),
            ("-c", &self.config),
        ] {
            args.push(switch.into());
            args.push(path.clone().into_os_string());
        }
        if self.verbose {
            args.push("-d".into());
        }
        args
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    const FULL: &[&str] = &[
        "-4", "-x", "l.2", "-i", "l.1", "-o", "l.out", "-f", "l.done", "-p", "l.pid", "-c", "c",
    ];

    fn run(args: &[&str]) -> LfcArgs {
        match parse(args).unwrap() {
            Action::Run(a) => a,
            other => panic!("not a run: {other:?}"),
        }
    }

    #[test]
    fn full_command_line() {
        let a = run(FULL);
        assert_eq!(a.family, Family::V4);
        assert_eq!(a.previous, Path::new("l.2"));
        assert_eq!(a.copy, Path::new("l.1"));
        assert_eq!(a.output, Path::new("l.out"));
        assert_eq!(a.finish, Path::new("l.done"));
        assert_eq!(a.pid_file, Path::new("l.pid"));
        assert_eq!(a.config, Path::new("c"));
        assert!(!a.verbose);
        assert_eq!(parse(&a.to_args()).unwrap(), Action::Run(a));
    }

    #[test]
    fn grouped_and_attached_forms_and_last_family_wins() {
        let a = run(&[
            "-46d", "-xl.2", "-i", "l.1", "-ol.out", "-f", "l.done", "-dp", "l.pid", "-c", "-4",
        ]);
        assert_eq!(a.family, Family::V6);
        assert!(a.verbose);
        assert_eq!(a.previous, Path::new("l.2"));
        assert_eq!(a.pid_file, Path::new("l.pid"));
        // A value starting with '-' is still the value.
        assert_eq!(a.config, Path::new("-4"));
    }

    #[test]
    fn info_switches_act_when_met() {
        assert_eq!(parse(&["-4", "-v", "-z"]).unwrap(), Action::Version);
        assert_eq!(parse(&["-V", "-v"]).unwrap(), Action::ExtendedVersion);
        assert_eq!(parse(&["-W"]).unwrap(), Action::BuildReport);
        assert_eq!(parse(&["-d", "-h"]).unwrap(), Action::Help);
        // An operand before -v is permuted away, as GNU getopt does.
        assert_eq!(parse(&["extra", "-v"]).unwrap(), Action::Version);
        assert_eq!(
            parse(&["-z", "-v"]),
            Err(UsageError::UnknownArgument { option: 'z' })
        );
    }

    #[test]
    fn errors_in_kea_order() {
        assert_eq!(parse::<&str>(&[]), Err(UsageError::NoFamily));
        assert_eq!(
            parse(&["-4"]).unwrap_err().to_string(),
            "PID file not specified"
        );
        assert_eq!(
            parse(&["-4", "-p", "", "-x", "x"]).unwrap_err().to_string(),
            "PID file not specified"
        );
        assert_eq!(
            parse(&["-6", "-p", "p", "-x", "x"])
                .unwrap_err()
                .to_string(),
            "Copy file not specified"
        );
        assert_eq!(
            parse(&FULL[..FULL.len() - 2]).unwrap_err().to_string(),
            "Config file not specified"
        );
        assert_eq!(
            parse(&["-4", "-p"]),
            Err(UsageError::MissingArgument { option: 'p' })
        );
        let mut extra = FULL.to_vec();
        extra.insert(3, "word");
        assert_eq!(
            parse(&extra).unwrap_err().to_string(),
            "Extraneous parameters."
        );
        assert!(matches!(
            parse(&["-4", "--", "-v"]),
            Err(UsageError::Extraneous { .. })
        ));
        assert_eq!(
            parse(&["--help"]),
            Err(UsageError::UnknownArgument { option: '-' })
        );
    }

    #[test]
    fn texts() {
        assert!(usage().starts_with("Usage: kea-lfc\n [-4|-6] -p file"));
        assert!(usage().ends_with("   -h: print this message \n\n"));
        let report = usage_error_report(&UsageError::NoFamily);
        assert!(report.starts_with("Usage error: DHCP version required\nUsage: kea-lfc\n"));
        assert!(report.ends_with("message \n\nService failed: DHCP version required\n"));
        let a = run(FULL);
        assert_eq!(
            a.describe().lines().next(),
            Some("Protocol version:    DHCPv4")
        );
        assert!(
            a.describe()
                .ends_with("PID file:                  l.pid\n\n")
        );
    }

    #[test]
    fn server_arguments() {
        let paths = kea_lease::LeaseFilePaths::new(Path::new("/var/lib/kea/kea-leases6.csv"));
        let a = LfcArgs::for_lease_file(Family::V6, &paths);
        let args: Vec<String> = a
            .to_args()
            .iter()
            .map(|s| s.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            args.join(" "),
            "-6 -x /var/lib/kea/kea-leases6.csv.2 -i /var/lib/kea/kea-leases6.csv.1 \
             -o /var/lib/kea/kea-leases6.csv.output -f /var/lib/kea/kea-leases6.csv.completed \
             -p /var/lib/kea/kea-leases6.csv.pid -c ignored-path"
        );
    }
}
