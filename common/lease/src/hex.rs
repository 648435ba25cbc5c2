//! Colon-separated hexadecimal text, the form Kea uses for hardware addresses, client
//! identifiers and DUIDs in lease files and commands (INVENTORY §11: "lower-case hex bytes
//! joined by `:`").

use thiserror::Error;

/// Why a hexadecimal string could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HexError {
    /// A colon-separated token is empty or longer than two digits.
    #[error("invalid hex token '{token}'")]
    BadToken {
        /// The offending token.
        token: String,
    },
    /// A character is not a hexadecimal digit.
    #[error("'{ch}' is not a hexadecimal digit")]
    BadDigit {
        /// The offending character.
        ch: char,
    },
    /// A string without separators has an odd number of digits.
    #[error("odd number of hex digits")]
    OddLength,
}

/// Formats bytes as lower-case two-digit hex joined by `:` (`1a:1b:1c`); empty for no bytes.
pub fn to_colon_hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

const DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Parses colon-separated hex (`1a:1b:1c`, tokens of one or two digits), the only form
/// Kea accepts for hardware addresses. The empty string yields no bytes.
pub fn parse_colon_hex(text: &str) -> Result<Vec<u8>, HexError> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    text.split(':')
        .map(|token| {
            if token.is_empty() || token.len() > 2 {
                return Err(HexError::BadToken {
                    token: token.to_owned(),
                });
            }
            token
                .chars()
                .try_fold(0u8, |acc, ch| Ok((acc << 4) | digit(ch)?))
        })
        .collect()
}

/// Parses an identifier (client identifier, DUID) in either colon-separated form or as a
/// plain even-length digit string (`1a1b1c`), as Kea accepts for identifiers.
pub fn parse_hex_id(text: &str) -> Result<Vec<u8>, HexError> {
    if text.contains(':') || text.len() <= 2 {
        return parse_colon_hex(text);
    }
    let chars: Vec<char> = text.chars().collect();
    if !chars.len().is_multiple_of(2) {
        return Err(HexError::OddLength);
    }
    chars
        .chunks(2)
        .map(|pair| Ok((digit(pair[0])? << 4) | digit(pair[1])?))
        .collect()
}

fn digit(ch: char) -> Result<u8, HexError> {
    ch.to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
        .ok_or(HexError::BadDigit { ch })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    #[test]
    fn formats_lower_case_with_colons() {
        assert_eq!(to_colon_hex(&[0x1a, 0x0b, 0xff]), "1a:0b:ff");
        assert_eq!(to_colon_hex(&[]), "");
    }

    #[test]
    fn parses_both_forms() {
        assert_eq!(parse_colon_hex("1A:b:ff").unwrap(), vec![0x1a, 0x0b, 0xff]);
        assert_eq!(parse_colon_hex("7").unwrap(), vec![7]);
        assert_eq!(parse_colon_hex("").unwrap(), Vec::<u8>::new());
        assert_eq!(parse_hex_id("1a0bff").unwrap(), vec![0x1a, 0x0b, 0xff]);
        assert_eq!(parse_hex_id("1a:0b").unwrap(), vec![0x1a, 0x0b]);
    }

    #[test]
    fn rejects_garbage() {
        assert!(matches!(
            parse_colon_hex("1a::ff"),
            Err(HexError::BadToken { .. })
        ));
        assert!(matches!(
            parse_colon_hex("123:45"),
            Err(HexError::BadToken { .. })
        ));
        assert_eq!(parse_colon_hex("zz"), Err(HexError::BadDigit { ch: 'z' }));
        // Kea rejects hardware addresses without colons.
        assert!(matches!(
            parse_colon_hex("1a0bff"),
            Err(HexError::BadToken { .. })
        ));
        assert_eq!(parse_hex_id("abc"), Err(HexError::OddLength));
        assert_eq!(parse_hex_id("zz00"), Err(HexError::BadDigit { ch: 'z' }));
    }
}
