//! Reading a daemon's configuration file through kea-config's reader of Kea's JSON dialect
//! (comments, `<?include?>`, trailing commas, positions in errors; ARM `config.rst`), handed
//! on as a positioned [`Element`] so that daemons can report `file:line:col`.

use std::path::Path;

use kea_config::json::Element;

/// Errors reading a configuration file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigFileError {
    /// The file could not be read or is not valid Kea JSON.
    #[error(transparent)]
    Json(#[from] kea_config::json::JsonError),
}

/// Reads and parses `path`.
pub fn read_config_file(path: &Path) -> Result<Element, ConfigFileError> {
    Ok(kea_config::json::parse_file(path)?)
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
        assert_eq!(read_config_file(&p).unwrap().to_value()["Dhcp4"]["a"], 1);
    }

    #[test]
    fn errors_name_the_file() {
        let e = read_config_file(Path::new("/nonexist")).unwrap_err();
        assert!(e.to_string().contains("/nonexist"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k.conf");
        std::fs::write(&p, "{\n \"a\": }").unwrap();
        let e = read_config_file(&p).unwrap_err();
        assert!(e.to_string().contains("k.conf"), "{e}");
    }
}
