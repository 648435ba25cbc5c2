//! Reading a daemon's configuration file: Kea's JSON dialect with `#`, `//` and `/* */`
//! comments (ARM `config.rst`, "Comments and User Context").
//!
//! KEA-DIFF: until kea-config's positioned parser (`kea_config::json::parse_file`) is
//! available, `<?include?>` and trailing commas are not supported here and errors carry a
//! line and column but no include stack.

use std::io;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::ctrl::request::strip_comments;

/// Errors reading a configuration file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigFileError {
    /// The file cannot be read.
    #[error("Unable to open file {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
    /// The text is not valid JSON.
    #[error("{path}:{line}.{column}: {reason}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// Line (1-based).
        line: usize,
        /// Column.
        column: usize,
        /// What is wrong.
        reason: String,
    },
}

/// Reads and parses `path`.
pub fn read_config_file(path: &Path) -> Result<Value, ConfigFileError> {
    let bytes = std::fs::read(path).map_err(|source| ConfigFileError::Io {
        path: path.to_owned(),
        source,
    })?;
    parse_config_text(path, &bytes)
}

/// Parses configuration text (`path` only names it in errors).
pub fn parse_config_text(path: &Path, bytes: &[u8]) -> Result<Value, ConfigFileError> {
    let clean = strip_comments(bytes).ok_or_else(|| ConfigFileError::Syntax {
        path: path.to_owned(),
        line: 0,
        column: 0,
        reason: "unterminated /* comment".into(),
    })?;
    serde_json::from_slice(&clean).map_err(|e| {
        let full = e.to_string();
        let reason = full
            .rsplit_once(" at line ")
            .map_or(full.as_str(), |(r, _)| r)
            .to_owned();
        ConfigFileError::Syntax {
            path: path.to_owned(),
            line: e.line(),
            column: e.column(),
            reason,
        }
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    #[test]
    fn reads_commented_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k.conf");
        std::fs::write(&p, "# top\n{ \"Dhcp4\": { // x\n \"a\": 1 /* y */ } }\n").unwrap();
        assert_eq!(read_config_file(&p).unwrap()["Dhcp4"]["a"], 1);
    }

    #[test]
    fn errors_name_the_file() {
        let e = read_config_file(Path::new("/nonexist")).unwrap_err();
        assert_eq!(e.to_string(), "Unable to open file /nonexist");
        let e = parse_config_text(Path::new("k.conf"), b"{\n \"a\": }").unwrap_err();
        assert!(e.to_string().starts_with("k.conf:2."), "{e}");
    }
}
