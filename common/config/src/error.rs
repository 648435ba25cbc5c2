//! Errors of the typed configuration layer, worded as Kea words them.

use crate::json::{JsonError, Location, Position};

/// Why a configuration was rejected; every variant says where.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The text is not valid Kea JSON.
    #[error(transparent)]
    Json(#[from] JsonError),
    /// A token or value of the wrong kind (`unexpected integer, expecting constant string`),
    /// including a string that is not one of an enumeration's keywords.
    #[error(
        "{at}: syntax error, unexpected {found}{}",
        expecting_suffix(expecting)
    )]
    Syntax {
        /// The offending element.
        at: Location,
        /// Kea's name of what was found.
        found: String,
        /// What the grammar allows there, when known.
        expecting: Option<String>,
    },
    /// A key the map does not accept.
    #[error("{at}: got unexpected keyword \"{key}\" in {context} map.")]
    UnknownKeyword {
        /// The key.
        at: Location,
        /// The key text.
        key: String,
        /// The map's name (`Dhcp4`, `subnet4`, ...).
        context: String,
    },
    /// A required key is absent.
    #[error("missing parameter '{name}' ({at}) [{context} map]")]
    MissingParameter {
        /// The missing key.
        name: String,
        /// The map's position.
        at: Position,
        /// The map's name.
        context: String,
    },
    /// A number outside the range the parameter allows.
    #[error("{param} value: {value} is out of range, expected value: {expected} ({at})")]
    OutOfRange {
        /// The value's position.
        at: Position,
        /// The parameter name.
        param: String,
        /// The value as written.
        value: String,
        /// The allowed range (`0..65535`).
        expected: String,
    },
    /// A value of the right type that the parameter does not support.
    #[error("Unsupported '{param}' value: {value}, supported values are: {expected} ({at})")]
    Unsupported {
        /// The value's position.
        at: Position,
        /// The parameter name.
        param: String,
        /// The value as written.
        value: String,
        /// What is supported.
        expected: String,
    },
    /// Two keys that cannot be used together in one map.
    #[error("{context} map cannot contain both '{first}' and '{second}' ({at})")]
    Exclusive {
        /// The map's position.
        at: Position,
        /// The map's name.
        context: String,
        /// The first key.
        first: String,
        /// The second key.
        second: String,
    },
    /// A list that must not be empty is.
    #[error("{at}: syntax error, unexpected ], expecting {{")]
    EmptyList {
        /// The list's position.
        at: Location,
    },
    /// Any other complaint raised while decoding (serde's free-form messages).
    #[error("{message} ({at})")]
    Decode {
        /// The element being decoded.
        at: Position,
        /// The message.
        message: String,
    },
}

impl ConfigError {
    /// The position the error points at, when it has one.
    pub fn position(&self) -> Option<&Position> {
        match self {
            Self::Json(_) => None,
            Self::Syntax { at, .. } | Self::UnknownKeyword { at, .. } | Self::EmptyList { at } => {
                Some(&at.pos)
            }
            Self::MissingParameter { at, .. }
            | Self::OutOfRange { at, .. }
            | Self::Unsupported { at, .. }
            | Self::Exclusive { at, .. }
            | Self::Decode { at, .. } => Some(at),
        }
    }
}

fn expecting_suffix(expecting: &Option<String>) -> String {
    match expecting {
        Some(e) => format!(", expecting {e}"),
        None => String::new(),
    }
}
