//! Errors and warnings of the JSON dialect reader.

use std::fmt;

use super::Position;

/// A span on one line: a start position and the width of the token in bytes.
///
/// Displays as Kea's syntax errors do: `file:line.col` or `file:line.col-endcol`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The first byte of the token.
    pub pos: Position,
    /// The token's width in bytes (at least 1 when it came from text).
    pub width: u32,
}

impl Location {
    /// Builds a location.
    pub fn new(pos: Position, width: u32) -> Self {
        Self { pos, width }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.pos.bison())?;
        if self.width > 1 {
            write!(f, "-{}", self.pos.col.saturating_add(self.width - 1))?;
        }
        Ok(())
    }
}

/// Why a document could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JsonError {
    /// The top-level file could not be read.
    #[error("Can't open file {path}: {source}")]
    Open {
        /// The path as given.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// An include directive named a file that could not be read.
    #[error("{at}: Can't open include file {path}: {source}")]
    Include {
        /// Where the directive is.
        at: Location,
        /// The path as written in the directive.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Includes nested deeper than [`super::MAX_INCLUDE_DEPTH`] (an include loop, usually).
    #[error("{at}: Too many nested include (more than {max} levels)")]
    IncludeDepth {
        /// Where the directive is.
        at: Location,
        /// The limit.
        max: usize,
    },
    /// A malformed include directive.
    #[error("{at}: Invalid include directive, expecting <?include \"file\"?>")]
    BadInclude {
        /// Where the directive is.
        at: Location,
    },
    /// A byte that cannot start any token.
    #[error("{at}: Invalid character: {ch}")]
    InvalidCharacter {
        /// Where it is.
        at: Location,
        /// The offending character.
        ch: char,
    },
    /// A `/*` comment without its `*/`.
    #[error("{at}: Comment not closed. (/* in line {line}")]
    UnclosedComment {
        /// Where the comment starts.
        at: Location,
        /// Its line, repeated as Kea does.
        line: u32,
    },
    /// A string without its closing quote.
    #[error("{at}: Invalid character: \"")]
    UnterminatedString {
        /// Where the string starts.
        at: Location,
    },
    /// A raw control character inside a string.
    #[error("{at}: Invalid control in \"{text}\"")]
    ControlInString {
        /// The string token.
        at: Location,
        /// The raw text of the string.
        text: String,
    },
    /// An unknown or incomplete backslash escape.
    #[error("{at}: Bad escape in \"{text}\"")]
    BadEscape {
        /// The string token.
        at: Location,
        /// The raw text of the string.
        text: String,
    },
    /// An integer literal outside the 64-bit signed range.
    #[error("{at}: Failed to convert {text} to an integer.")]
    IntegerOverflow {
        /// The number token.
        at: Location,
        /// The literal.
        text: String,
    },
    /// A malformed number.
    #[error("{at}: Failed to convert {text} to a floating point.")]
    BadNumber {
        /// The number token.
        at: Location,
        /// The literal.
        text: String,
    },
    /// A token the grammar does not allow here.
    #[error(
        "{at}: syntax error, unexpected {found}{}",
        expecting_suffix(expecting)
    )]
    Syntax {
        /// The token.
        at: Location,
        /// Kea's name of the token found (`}`, `constant string`, `end of file`, ...).
        found: String,
        /// What would have been allowed, when known.
        expecting: Option<String>,
    },
    /// The same key twice in one map.
    #[error("{at}: duplicate {key} entries in JSON map (previous at {previous})")]
    DuplicateKey {
        /// Where the second occurrence's key is.
        at: Position,
        /// The key.
        key: String,
        /// Where the first occurrence's value is.
        previous: Position,
    },
    /// Lists and maps nested too deeply to be a real configuration.
    #[error("{at}: nesting deeper than {max} levels")]
    TooDeep {
        /// The opening bracket that went over the limit.
        at: Location,
        /// The limit.
        max: usize,
    },
}

fn expecting_suffix(expecting: &Option<String>) -> String {
    match expecting {
        Some(e) => format!(", expecting {e}"),
        None => String::new(),
    }
}

/// Something accepted but suspicious, reported as Kea's `DHCP4_CONFIG_SYNTAX_WARNING` does.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JsonWarning {
    /// A comma with nothing after it before `]` or `}`, or a doubled comma.
    #[error("{at}: Extraneous comma. A piece of configuration may have been omitted.")]
    ExtraneousComma {
        /// Where the comma is.
        at: Location,
    },
}
