//! The `hooks-libraries` configuration list and its mapping onto the built-in libraries
//! (`hooks.rst`, "Configuring Hooks Libraries"; ARCHITECTURE.md, "Hooks").
//!
//! Each entry names a Kea shared object by path (`library`), with optional `parameters`.
//! Nothing is loaded from disk: the file name (`libdhcp_lease_cmds.so`) selects the
//! built-in Rust library of the same name, wherever the path points.

use serde_json::{Map, Value};
use std::fmt;
use thiserror::Error;

/// A hook library this workspace implements, by Kea's file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LibraryKind {
    /// `libdhcp_lease_cmds.so`: the `lease4-*` / `lease6-*` commands.
    LeaseCmds,
    /// `libdhcp_stat_cmds.so`: `stat-lease4-get` and `stat-lease6-get`.
    StatCmds,
}

/// The libraries that are built in, in the order listed in error messages.
pub const BUILT_IN: &[LibraryKind] = &[LibraryKind::LeaseCmds, LibraryKind::StatCmds];

/// Kea libraries (open source and subscriber) that exist but are not built here yet: an
/// entry naming one is refused as "not supported yet" rather than as unknown.
pub const NOT_BUILT: &[&str] = &[
    "libdhcp_bootp.so",
    "libdhcp_cb_cmds.so",
    "libdhcp_class_cmds.so",
    "libdhcp_ddns_tuning.so",
    "libdhcp_flex_id.so",
    "libdhcp_flex_option.so",
    "libdhcp_ha.so",
    "libdhcp_host_cache.so",
    "libdhcp_host_cmds.so",
    "libdhcp_lease_query.so",
    "libdhcp_legal_log.so",
    "libdhcp_limits.so",
    "libdhcp_mysql_cb.so",
    "libdhcp_perfmon.so",
    "libdhcp_pgsql_cb.so",
    "libdhcp_ping_check.so",
    "libdhcp_radius.so",
    "libdhcp_run_script.so",
    "libdhcp_subnet_cmds.so",
    "libdhcp_user_chk.so",
    "libddns_gss_tsig.so",
    "libca_rbac.so",
];

impl LibraryKind {
    /// Kea's file name of the library.
    pub fn file_name(self) -> &'static str {
        match self {
            Self::LeaseCmds => "libdhcp_lease_cmds.so",
            Self::StatCmds => "libdhcp_stat_cmds.so",
        }
    }

    /// The built-in library whose Kea file name is `name`.
    pub fn from_file_name(name: &str) -> Option<Self> {
        BUILT_IN.iter().copied().find(|k| k.file_name() == name)
    }
}

impl fmt::Display for LibraryKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.file_name())
    }
}

/// Why a `hooks-libraries` list was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HooksConfigError {
    /// `hooks-libraries` is not a list.
    #[error("'hooks-libraries' must be a list")]
    NotAList,
    /// An entry is not a map.
    #[error("hooks-libraries entry {index} must be a map")]
    EntryNotAMap {
        /// Position of the entry in the list (0-based).
        index: usize,
    },
    /// An entry has no `library`.
    #[error("hooks-libraries entry {index} has no 'library' parameter")]
    MissingLibrary {
        /// Position of the entry in the list (0-based).
        index: usize,
    },
    /// `library` is not a string.
    #[error("hooks-libraries entry {index}: 'library' must be a string")]
    LibraryNotAString {
        /// Position of the entry in the list (0-based).
        index: usize,
    },
    /// `library` is empty or only blanks (Kea: "hooks library configuration error").
    #[error("hooks-libraries entry {index}: 'library' must not be empty")]
    EmptyLibrary {
        /// Position of the entry in the list (0-based).
        index: usize,
    },
    /// An entry key other than `library`, `parameters`, `comment`, `user-context`.
    #[error("unknown hooks library parameter: {key}")]
    UnknownKey {
        /// The key.
        key: String,
    },
    /// `parameters` is not a map.
    #[error("hooks library {library}: 'parameters' must be a map")]
    ParametersNotAMap {
        /// The library path.
        library: String,
    },
    /// The file name is not one of Kea's libraries.
    #[error("hooks library {library} is unknown; available libraries: {available}")]
    Unknown {
        /// The library path as configured.
        library: String,
        /// The built-in file names, comma separated.
        available: String,
    },
    /// A Kea library that is not built here yet.
    #[error("hooks library {library} is not supported yet")]
    NotSupportedYet {
        /// The library path as configured.
        library: String,
    },
    /// The same built-in library is listed twice (both would register the same commands).
    #[error("hooks library {library} is listed more than once")]
    Duplicate {
        /// The library path as configured.
        library: String,
    },
    /// A library's parameters were refused by the library.
    #[error("hooks library {library}: {reason}")]
    BadParameters {
        /// The library path as configured.
        library: String,
        /// The library's reason.
        reason: ParameterError,
    },
}

/// Why a library refused its `parameters`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParameterError {
    /// A parameter's value has the wrong JSON type.
    #[error("parameter '{name}' must be {expected}")]
    WrongType {
        /// The parameter.
        name: String,
        /// The expected type, as prose ("a string").
        expected: &'static str,
    },
}

/// One configured library: which built-in it maps to, its path as written, and its
/// parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct LibraryConfig {
    /// The built-in library.
    pub kind: LibraryKind,
    /// The `library` path as configured (kept for `config-get` and messages).
    pub path: String,
    /// The `parameters` map (empty when absent).
    pub parameters: Map<String, Value>,
}

/// The parsed `hooks-libraries` list, in configuration order (the order callouts run).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HooksConfig {
    /// The libraries.
    pub libraries: Vec<LibraryConfig>,
}

/// The file-name part of a library path (`/usr/lib/.../libdhcp_ha.so` → `libdhcp_ha.so`).
fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

impl HooksConfig {
    /// Parses a `hooks-libraries` element (absent = `None` = no libraries).
    pub fn parse(element: Option<&Value>) -> Result<Self, HooksConfigError> {
        let Some(element) = element else {
            return Ok(Self::default());
        };
        let entries = element.as_array().ok_or(HooksConfigError::NotAList)?;
        let mut libraries: Vec<LibraryConfig> = Vec::with_capacity(entries.len());
        for (index, entry) in entries.iter().enumerate() {
            let library = parse_entry(index, entry)?;
            if libraries.iter().any(|l| l.kind == library.kind) {
                return Err(HooksConfigError::Duplicate {
                    library: library.path,
                });
            }
            libraries.push(library);
        }
        Ok(Self { libraries })
    }

    /// Whether the built-in library `kind` is configured.
    pub fn has(&self, kind: LibraryKind) -> bool {
        self.libraries.iter().any(|l| l.kind == kind)
    }
}

fn parse_entry(index: usize, entry: &Value) -> Result<LibraryConfig, HooksConfigError> {
    let map = entry
        .as_object()
        .ok_or(HooksConfigError::EntryNotAMap { index })?;
    if let Some(key) = map.keys().find(|k| {
        !matches!(
            k.as_str(),
            "library" | "parameters" | "comment" | "user-context"
        )
    }) {
        return Err(HooksConfigError::UnknownKey { key: key.clone() });
    }
    let path = match map.get("library") {
        None => return Err(HooksConfigError::MissingLibrary { index }),
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(HooksConfigError::LibraryNotAString { index }),
    };
    if path.trim().is_empty() {
        return Err(HooksConfigError::EmptyLibrary { index });
    }
    let parameters = match map.get("parameters") {
        None => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => return Err(HooksConfigError::ParametersNotAMap { library: path }),
    };
    let name = file_name(path.trim());
    let kind = match LibraryKind::from_file_name(name) {
        Some(kind) => kind,
        None if NOT_BUILT.contains(&name) => {
            return Err(HooksConfigError::NotSupportedYet { library: path });
        }
        None => {
            let available = BUILT_IN
                .iter()
                .map(|k| k.file_name())
                .collect::<Vec<_>>()
                .join(", ");
            return Err(HooksConfigError::Unknown {
                library: path,
                available,
            });
        }
    };
    validate_parameters(kind, &parameters).map_err(|reason| HooksConfigError::BadParameters {
        library: path.clone(),
        reason,
    })?;
    Ok(LibraryConfig {
        kind,
        path,
        parameters,
    })
}

/// Checks a library's parameters as the Kea library does when it is loaded.
///
/// Kea 2.2's lease_cmds and stat_cmds read no parameters at all, so any map is accepted
/// for them (verified: Kea 2.2 loads both with arbitrary `parameters`).
fn validate_parameters(
    kind: LibraryKind,
    _parameters: &Map<String, Value>,
) -> Result<(), ParameterError> {
    match kind {
        LibraryKind::LeaseCmds | LibraryKind::StatCmds => Ok(()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use serde_json::json;

    const DIR: &str = "/usr/lib/x86_64-linux-gnu/kea/hooks/";

    #[test]
    fn absent_or_empty_list_means_no_libraries() {
        assert_eq!(HooksConfig::parse(None).unwrap(), HooksConfig::default());
        assert!(
            HooksConfig::parse(Some(&json!([])))
                .unwrap()
                .libraries
                .is_empty()
        );
    }

    #[test]
    fn kea_paths_map_to_built_ins_in_order() {
        let list = json!([
            {"library": format!("{DIR}libdhcp_stat_cmds.so")},
            {"library": format!("{DIR}libdhcp_lease_cmds.so"),
             "parameters": {"x": 1}, "comment": "c", "user-context": {"a": 1}}
        ]);
        let cfg = HooksConfig::parse(Some(&list)).unwrap();
        assert_eq!(cfg.libraries.len(), 2);
        assert_eq!(cfg.libraries[0].kind, LibraryKind::StatCmds);
        assert_eq!(cfg.libraries[1].kind, LibraryKind::LeaseCmds);
        assert_eq!(
            cfg.libraries[1].path,
            "/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_lease_cmds.so"
        );
        assert_eq!(
            cfg.libraries[1].parameters,
            json!({"x": 1}).as_object().unwrap().clone()
        );
        assert!(cfg.has(LibraryKind::LeaseCmds));
        // A bare file name and another directory work too.
        let cfg = HooksConfig::parse(Some(&json!([{"library": "libdhcp_lease_cmds.so"}]))).unwrap();
        assert_eq!(cfg.libraries[0].kind, LibraryKind::LeaseCmds);
        assert!(!cfg.has(LibraryKind::StatCmds));
    }

    #[test]
    fn unknown_library_lists_what_is_available() {
        let err = HooksConfig::parse(Some(&json!([{"library": "/opt/libfoo.so"}]))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "hooks library /opt/libfoo.so is unknown; available libraries: \
             libdhcp_lease_cmds.so, libdhcp_stat_cmds.so"
        );
    }

    #[test]
    fn known_but_not_built_is_not_supported_yet() {
        let path = format!("{DIR}libdhcp_ha.so");
        let err = HooksConfig::parse(Some(&json!([{"library": path}]))).unwrap_err();
        assert_eq!(err, HooksConfigError::NotSupportedYet { library: path });
        assert!(err.to_string().ends_with("is not supported yet"));
    }

    #[test]
    fn malformed_entries_are_refused() {
        let cases = [
            (json!({}), HooksConfigError::NotAList),
            (json!(["x"]), HooksConfigError::EntryNotAMap { index: 0 }),
            (json!([{}]), HooksConfigError::MissingLibrary { index: 0 }),
            (
                json!([{"library": 5}]),
                HooksConfigError::LibraryNotAString { index: 0 },
            ),
            (
                json!([{"library": "  "}]),
                HooksConfigError::EmptyLibrary { index: 0 },
            ),
            (
                json!([{"library": "libdhcp_lease_cmds.so", "foo": 1}]),
                HooksConfigError::UnknownKey { key: "foo".into() },
            ),
            (
                json!([{"library": "libdhcp_lease_cmds.so", "parameters": []}]),
                HooksConfigError::ParametersNotAMap {
                    library: "libdhcp_lease_cmds.so".into(),
                },
            ),
            (
                json!([{"library": "a/libdhcp_lease_cmds.so"}, {"library": "b/libdhcp_lease_cmds.so"}]),
                HooksConfigError::Duplicate {
                    library: "b/libdhcp_lease_cmds.so".into(),
                },
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(
                HooksConfig::parse(Some(&input)).unwrap_err(),
                expected,
                "{input}"
            );
        }
    }
}
