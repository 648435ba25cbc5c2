//! The `loggers` configuration (ARM `logging.rst`, "Logging Configuration"; INVENTORY §8).
//!
//! `LoggerConfig`/`OutputOption` mirror `kea_config::logging`'s structs of the same names
//! (`From` conversions below); the framework also reads them straight from the JSON, so it
//! does not depend on a daemon's typed model.

use serde_json::Value;

/// Kea's severities, most severe first; `None` silences a logger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Unrecoverable; the daemon stops.
    Fatal,
    /// An error.
    Error,
    /// A warning.
    Warn,
    /// Information (default).
    Info,
    /// Debugging output, filtered further by the debug level.
    Debug,
    /// Nothing is logged.
    None,
}

impl Severity {
    /// Parses Kea's spelling (`FATAL ERROR WARN INFO DEBUG NONE`, any case).
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.to_ascii_uppercase().as_str() {
            "FATAL" => Self::Fatal,
            "ERROR" => Self::Error,
            "WARN" | "WARNING" => Self::Warn,
            "INFO" => Self::Info,
            "DEBUG" => Self::Debug,
            "NONE" => Self::None,
            _ => return None,
        })
    }

    /// The name printed by `%p`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fatal => "FATAL",
            Self::Error => "ERROR",
            Self::Warn => "WARN",
            Self::Info => "INFO",
            Self::Debug => "DEBUG",
            Self::None => "NONE",
        }
    }
}

/// Largest debug level.
pub const MAX_DEBUG_LEVEL: u8 = 99;
/// Default `maxsize` of a file output.
pub const DEFAULT_MAXSIZE: u64 = 10_240_000;
/// Default `maxver` of a file output.
pub const DEFAULT_MAXVER: u32 = 1;

/// One `output_options` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputOption {
    /// `stdout`, `stderr`, `syslog`, `syslog:NAME` or a file path.
    pub output: String,
    /// Flush after each message.
    pub flush: bool,
    /// Rotate a file output at this size (0: never).
    pub maxsize: u64,
    /// Rotated files kept.
    pub maxver: u32,
    /// log4cplus layout; empty: the default for the destination.
    pub pattern: String,
}

impl Default for OutputOption {
    fn default() -> Self {
        Self {
            output: "stdout".into(),
            flush: true,
            maxsize: DEFAULT_MAXSIZE,
            maxver: DEFAULT_MAXVER,
            pattern: String::new(),
        }
    }
}

/// One `loggers` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggerConfig {
    /// Logger name (`kea-dhcp4`, `kea-dhcp4.packets`).
    pub name: String,
    /// Least severe level logged.
    pub severity: Severity,
    /// 0-99, with `DEBUG`.
    pub debuglevel: u8,
    /// Destinations.
    pub output_options: Vec<OutputOption>,
}

/// A `loggers` entry Kea would reject.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LogConfigError {
    /// `loggers` is not a list of maps.
    #[error("'loggers' must be a list of maps")]
    NotAList,
    /// An entry has no `name`.
    #[error("loggers entry {index}: mandatory 'name' is missing or not a string")]
    MissingName {
        /// Position in the list.
        index: usize,
    },
    /// An unknown severity.
    #[error("logger {logger}: unknown severity '{severity}'")]
    BadSeverity {
        /// Logger name.
        logger: String,
        /// The value given.
        severity: String,
    },
    /// A value of the wrong type or range.
    #[error("logger {logger}: '{key}' has an invalid value")]
    BadValue {
        /// Logger name.
        logger: String,
        /// The key.
        key: &'static str,
    },
}

/// Reads a `loggers` list.
pub fn loggers_from_json(v: &Value) -> Result<Vec<LoggerConfig>, LogConfigError> {
    let list = v.as_array().ok_or(LogConfigError::NotAList)?;
    list.iter()
        .enumerate()
        .map(|(index, e)| logger_from_json(index, e))
        .collect()
}

fn logger_from_json(index: usize, v: &Value) -> Result<LoggerConfig, LogConfigError> {
    let map = v.as_object().ok_or(LogConfigError::NotAList)?;
    let name = map
        .get("name")
        .and_then(Value::as_str)
        .ok_or(LogConfigError::MissingName { index })?
        .to_owned();
    let bad = |key| LogConfigError::BadValue {
        logger: name.clone(),
        key,
    };
    let severity = match map.get("severity") {
        None => Severity::Info,
        Some(Value::String(s)) => {
            Severity::parse(s).ok_or_else(|| LogConfigError::BadSeverity {
                logger: name.clone(),
                severity: s.clone(),
            })?
        }
        Some(_) => return Err(bad("severity")),
    };
    let debuglevel = match map.get("debuglevel") {
        None => 0,
        Some(d) => d
            .as_u64()
            .filter(|d| *d <= u64::from(MAX_DEBUG_LEVEL))
            .and_then(|d| u8::try_from(d).ok())
            .ok_or_else(|| bad("debuglevel"))?,
    };
    let outputs = map
        .get("output_options")
        .or_else(|| map.get("output-options"));
    let output_options = match outputs {
        None => vec![OutputOption::default()],
        Some(Value::Array(list)) => list
            .iter()
            .map(|o| output_from_json(o).ok_or_else(|| bad("output_options")))
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(bad("output_options")),
    };
    Ok(LoggerConfig {
        name,
        severity,
        debuglevel,
        output_options,
    })
}

fn output_from_json(v: &Value) -> Option<OutputOption> {
    let map = v.as_object()?;
    let mut o = OutputOption::default();
    if let Some(out) = map.get("output") {
        o.output = out.as_str()?.to_owned();
    }
    if let Some(f) = map.get("flush") {
        o.flush = f.as_bool()?;
    }
    if let Some(s) = map.get("maxsize") {
        o.maxsize = s.as_u64()?;
    }
    if let Some(s) = map.get("maxver") {
        o.maxver = u32::try_from(s.as_u64()?).ok()?;
    }
    if let Some(p) = map.get("pattern") {
        o.pattern = p.as_str()?.to_owned();
    }
    Some(o)
}

impl From<kea_config::logging::Severity> for Severity {
    fn from(s: kea_config::logging::Severity) -> Self {
        use kea_config::logging::Severity as S;
        match s {
            S::Fatal => Self::Fatal,
            S::Error => Self::Error,
            S::Warn => Self::Warn,
            S::Info => Self::Info,
            S::Debug => Self::Debug,
            S::None => Self::None,
        }
    }
}

impl From<&kea_config::logging::OutputOption> for OutputOption {
    fn from(o: &kea_config::logging::OutputOption) -> Self {
        Self {
            output: o.output.clone(),
            flush: o.flush,
            maxsize: o.maxsize,
            maxver: o.maxver,
            pattern: o.pattern.clone(),
        }
    }
}

impl From<&kea_config::logging::LoggerConfig> for LoggerConfig {
    fn from(l: &kea_config::logging::LoggerConfig) -> Self {
        Self {
            name: l.name.clone(),
            severity: l.severity.into(),
            debuglevel: l.debuglevel,
            output_options: l.output_options.iter().map(OutputOption::from).collect(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defaults_and_values() {
        let l = loggers_from_json(&json!([
            {"name": "kea-dhcp4"},
            {"name": "kea-dhcp4.packets", "severity": "DEBUG", "debuglevel": 55,
             "output_options": [{"output": "/tmp/x.log", "maxsize": 204800, "maxver": 4, "flush": false,
                                 "pattern": "%m\n"}]}
        ]))
        .unwrap();
        assert_eq!(l[0].severity, Severity::Info);
        assert_eq!(l[0].output_options, vec![OutputOption::default()]);
        assert_eq!(l[1].debuglevel, 55);
        assert_eq!(l[1].output_options[0].maxver, 4);
        assert!(!l[1].output_options[0].flush);
    }

    #[test]
    fn converts_from_kea_config() {
        let k: kea_config::logging::LoggerConfig = serde_json::from_value(json!({
            "name": "kea-dhcp4", "severity": "DEBUG", "debuglevel": 7,
            "output_options": [{"output": "stderr", "maxver": 3}]
        }))
        .unwrap();
        let l = LoggerConfig::from(&k);
        assert_eq!(l.severity, Severity::Debug);
        assert_eq!(l.debuglevel, 7);
        assert_eq!(l.output_options[0].output, "stderr");
        assert_eq!(l.output_options[0].maxver, 3);
        assert!(l.output_options[0].flush);
    }

    #[test]
    fn rejects_bad_entries() {
        assert_eq!(loggers_from_json(&json!({})), Err(LogConfigError::NotAList));
        assert_eq!(
            loggers_from_json(&json!([{}])),
            Err(LogConfigError::MissingName { index: 0 })
        );
        assert!(matches!(
            loggers_from_json(&json!([{"name": "a", "severity": "LOUD"}])),
            Err(LogConfigError::BadSeverity { .. })
        ));
        assert!(loggers_from_json(&json!([{"name": "a", "debuglevel": 100}])).is_err());
    }
}
