//! Errors of the expression language: [`ParseError`] (config time, with Kea's
//! `<string>:LINE.COL[-END]: message` position and wording) and [`EvalError`] (evaluation
//! time; Kea then leaves the packet out of the class).
//!
//! ARM: `classify.rst`, "Using Expressions in Classification" (errors caught while parsing and
//! while evaluating).

use std::fmt;

use thiserror::Error;

/// Byte offsets `[start, end)` of a piece of an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (exclusive).
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// The span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// Where an error is, as Kea prints it: line, and first and last column (1-based, inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// Line (1-based).
    pub line: usize,
    /// First column (1-based).
    pub first_column: usize,
    /// Last column (1-based, inclusive; equal to `first_column` for one character).
    pub last_column: usize,
}

impl Location {
    /// The location of `span` in `text` (columns count bytes, as Kea's scanner does).
    pub fn of(text: &str, span: Span) -> Self {
        let start = span.start.min(text.len());
        let before = &text.as_bytes()[..start];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        let first_column = start - line_start + 1;
        let last_column = first_column + span.end.saturating_sub(span.start).max(1) - 1;
        Self {
            line,
            first_column,
            last_column,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.line, self.first_column)?;
        if self.last_column > self.first_column {
            write!(f, "-{}", self.last_column)?;
        }
        Ok(())
    }
}

/// Why an expression is rejected.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseErrorKind {
    /// No token starts at this character.
    #[error("Invalid character: {ch}")]
    InvalidCharacter {
        /// The character.
        ch: char,
    },
    /// The token does not fit the grammar here.
    #[error("syntax error, unexpected {unexpected}{}", expecting_text(.expected))]
    Syntax {
        /// Kea's name of the token found.
        unexpected: &'static str,
        /// Kea's names of the tokens that would fit (listed only when at most four).
        expected: Vec<&'static str>,
    },
    /// `option[name]` with a name no definition has.
    #[error("option '{name}' is not defined")]
    OptionNotDefined {
        /// The name.
        name: String,
    },
    /// An option code outside the universe's range.
    #[error("Option code has invalid value in {value}. Allowed range: 0..{max}")]
    OptionCode {
        /// The literal.
        value: String,
        /// 255 (DHCPv4) or 65535 (DHCPv6).
        max: u16,
    },
    /// An integer literal outside the range of its use.
    #[error("Invalid value in {value}. Allowed range: 0..{max}")]
    IntegerRange {
        /// The literal.
        value: String,
        /// The largest allowed value.
        max: u64,
    },
    /// A `relay6` nest level outside -32..31 (RFC 8415 §7.6 hop limit 32).
    #[error("Nest level has invalid value in {value}. Allowed range: -32..31")]
    NestLevel {
        /// The literal.
        value: String,
    },
    /// `relay6` in a DHCPv4 expression.
    #[error("Nest level invalid for DHCPv4 packets")]
    NestLevelInV4,
    /// An address literal that is not an address.
    #[error("Failed to convert {text} to an IP address.")]
    BadAddress {
        /// The literal.
        text: String,
    },
    /// A construct of the other protocol (`relay4`/`pkt4` in DHCPv6, `pkt6`/`relay6` in v4).
    #[error("{construct} can only be used in DHCPv{only}.")]
    WrongUniverse {
        /// `relay4`, `pkt4`, `relay6` or `pkt6`.
        construct: &'static str,
        /// 4 or 6.
        only: u8,
    },
    /// `member('X')` naming a class neither built in nor defined before.
    #[error("Not defined client class '{name}'")]
    UndefinedClass {
        /// The class name.
        name: String,
    },
    /// More nesting than the evaluator accepts.
    #[error("expression nested more than {max} levels deep")]
    TooDeep {
        /// The limit.
        max: usize,
    },
}

fn expecting_text(expected: &[&'static str]) -> String {
    if expected.is_empty() || expected.len() > 4 {
        return String::new();
    }
    format!(", expecting {}", expected.join(" or "))
}

/// A rejected expression: what and where.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("<string>:{location}: {kind}")]
pub struct ParseError {
    /// Byte span in the expression.
    pub span: Span,
    /// Line and columns, as Kea prints them.
    pub location: Location,
    /// What is wrong.
    pub kind: ParseErrorKind,
}

impl ParseError {
    /// An error at `span` of `text`.
    pub fn new(text: &str, span: Span, kind: ParseErrorKind) -> Self {
        Self {
            span,
            location: Location::of(text, span),
            kind,
        }
    }
}

/// Why an evaluation failed (Kea logs it and does not assign the class).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EvalError {
    /// `addrtotext` of a value that is neither 4 nor 16 octets (nor empty).
    #[error("Can not convert to valid address.")]
    AddressLength {
        /// The value's length.
        len: usize,
    },
    /// `intNtotext`/`uintNtotext` of a value of the wrong length.
    #[error("Can not convert to valid {type_name}.")]
    IntegerLength {
        /// `int8`, `uint16`, ...
        type_name: &'static str,
        /// The value's length.
        len: usize,
    },
    /// A `substring` or `split` integer argument that does not fit a 32-bit signed integer.
    #[error("the parameter '{text}' for {what} couldn't be converted to an integer.")]
    NotAnInteger {
        /// The literal.
        text: String,
        /// Which parameter.
        what: &'static str,
    },
    /// A DHCPv4-only construct on a DHCPv6 packet or the reverse.
    #[error("Specified packet is not {expected}")]
    WrongPacket {
        /// `a Pkt4` or `Pkt6`.
        expected: &'static str,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_print_like_kea() {
        let text = "option[foo].hex == 'a'";
        assert_eq!(Location::of(text, Span::new(7, 10)).to_string(), "1.8-10");
        assert_eq!(Location::of(text, Span::new(22, 22)).to_string(), "1.23");
        assert_eq!(Location::of("a\nbc", Span::new(2, 4)).to_string(), "2.1-2");
    }

    #[test]
    fn syntax_messages_list_at_most_four_expected_tokens() {
        let k = ParseErrorKind::Syntax {
            unexpected: "end of file",
            expected: vec![")", "and", "or"],
        };
        assert_eq!(
            k.to_string(),
            "syntax error, unexpected end of file, expecting ) or and or or"
        );
        let k = ParseErrorKind::Syntax {
            unexpected: "end of file",
            expected: vec!["a", "b", "c", "d", "e"],
        };
        assert_eq!(k.to_string(), "syntax error, unexpected end of file");
    }
}
