//! kea-shell's command line, as Kea's (ARM `shell.rst`, "Shell Usage", "TLS Support";
//! INVENTORY §1.4): `--host --port --path --timeout --service --auth-user --auth-password
//! --auth-password-file --ca --cert --key -v` and the command as the positional argument.

use std::path::PathBuf;

use clap::Parser;

/// The parsed switches.
#[derive(Debug, Clone, PartialEq, Eq, Parser)]
#[command(
    name = "kea-shell",
    disable_version_flag = true,
    about = "kea-shell is a simple text client that uses REST interface to connect to Kea Control Agent."
)]
pub struct ShellArgs {
    /// Hostname of the CA to connect to.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// TCP port of the CA to connect to.
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// Path of the URL to connect to.
    #[arg(long, default_value = "")]
    pub path: String,
    /// File or directory name of the CA (default: "" i.e. do not use HTTPS).
    #[arg(long, default_value = "")]
    pub ca: String,
    /// File name of the client certificate.
    #[arg(long, default_value = "")]
    pub cert: String,
    /// File name of the client private key.
    #[arg(long, default_value = "")]
    pub key: String,
    /// Timeout (in seconds) when attempting to connect to CA.
    #[arg(long, default_value_t = 10)]
    pub timeout: u64,
    /// Target specified service; may be repeated. If not specified, the control agent
    /// receives the command.
    #[arg(long, num_args = 0..=1, default_missing_value = "", action = clap::ArgAction::Append)]
    pub service: Vec<String>,
    /// Basic HTTP authentication user.
    #[arg(long, default_value = "")]
    pub auth_user: String,
    /// Basic HTTP authentication password.
    #[arg(long, default_value = "")]
    pub auth_password: String,
    /// File holding the basic HTTP authentication password (its line end is not part of it).
    #[arg(long)]
    pub auth_password_file: Option<PathBuf>,
    /// Command to be executed. If not specified, "list-commands" is used.
    #[arg(default_value = "list-commands")]
    pub command: String,
    /// Prints version.
    #[arg(short = 'v')]
    pub version: bool,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    #[test]
    fn defaults_and_repeats() {
        let a = ShellArgs::try_parse_from(["kea-shell"]).unwrap();
        assert_eq!(a.host, "127.0.0.1");
        assert_eq!(a.port, 8000);
        assert_eq!(a.timeout, 10);
        assert_eq!(a.command, "list-commands");
        assert!(a.service.is_empty() && !a.version);
        let a = ShellArgs::try_parse_from([
            "kea-shell",
            "--service",
            "dhcp4",
            "--service",
            "--service",
            "d2",
            "--port",
            "8001",
            "--auth-user",
            "admin",
            "config-get",
        ])
        .unwrap();
        assert_eq!(a.service, ["dhcp4", "", "d2"]);
        assert_eq!(a.command, "config-get");
        assert_eq!(a.auth_user, "admin");
        assert!(ShellArgs::try_parse_from(["kea-shell", "--port", "x"]).is_err());
    }
}
