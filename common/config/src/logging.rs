//! `loggers[]`: the logging configuration shared by every Kea daemon.
//!
//! Implements `shared/spec/kea-arm/logging.rst`, "Logging Configuration" (INVENTORY §8).

use serde::{Deserialize, Serialize};

use crate::UserContext;
use crate::enums::keyword_enum;

keyword_enum! {
    /// A logger's severity threshold; keywords are matched ignoring case.
    #[derive(Default)]
    pub enum Severity (ci) {
        /// Only fatal errors.
        Fatal = "FATAL",
        /// Errors and worse.
        Error = "ERROR",
        /// Warnings and worse.
        Warn = "WARN",
        /// Informational messages and worse (the default).
        #[default]
        Info = "INFO",
        /// Debug messages up to `debuglevel`.
        Debug = "DEBUG",
        /// Nothing.
        None = "NONE",
    }
}

/// One entry of `loggers`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct LoggerConfig {
    /// Logger name, e.g. `kea-dhcp4` or `kea-dhcp4.packets`; children inherit from parents.
    pub name: String,
    /// Severity threshold (default `INFO`).
    #[serde(default)]
    pub severity: Severity,
    /// Debug level 0..99, used with `DEBUG` (default 0).
    #[serde(default)]
    pub debuglevel: u8,
    /// Destinations (default: one `stdout` output). Kea spells the key `output_options`;
    /// `output-options` (2.5.7 ARM) is accepted too.
    #[serde(
        rename = "output_options",
        alias = "output-options",
        default = "default_outputs",
        deserialize_with = "non_empty_outputs"
    )]
    pub output_options: Vec<OutputOption>,
    /// Free-form user data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_context: Option<UserContext>,
    /// A comment (Kea keeps it as `user-context.comment`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

fn default_outputs() -> Vec<OutputOption> {
    vec![OutputOption::default()]
}

/// Kea's grammar wants at least one output in `output_options`.
fn non_empty_outputs<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Vec<OutputOption>, D::Error> {
    let outputs = Vec::<OutputOption>::deserialize(d)?;
    if outputs.is_empty() {
        return Err(serde::de::Error::invalid_length(0, &"at least one output"));
    }
    Ok(outputs)
}

/// One destination of a logger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct OutputOption {
    /// `stdout`, `stderr`, `syslog`, `syslog:NAME` or a file path (default `stdout`).
    #[serde(default = "default_output")]
    pub output: String,
    /// Flush after each message (default true).
    #[serde(default = "default_true")]
    pub flush: bool,
    /// Rotate a file output at this size in bytes (default 10240000; 0 disables rotation).
    #[serde(default = "default_maxsize")]
    pub maxsize: u64,
    /// Rotated files kept (default 1).
    #[serde(default = "default_maxver")]
    pub maxver: u32,
    /// log4cplus layout pattern; empty means the default for the output kind.
    #[serde(default)]
    pub pattern: String,
}

impl Default for OutputOption {
    fn default() -> Self {
        Self {
            output: default_output(),
            flush: true,
            maxsize: default_maxsize(),
            maxver: default_maxver(),
            pattern: String::new(),
        }
    }
}

fn default_output() -> String {
    "stdout".to_string()
}

fn default_true() -> bool {
    true
}

fn default_maxsize() -> u64 {
    10_240_000
}

fn default_maxver() -> u32 {
    1
}
