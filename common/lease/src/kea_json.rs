//! User-context JSON in the text form Kea 2.2 writes into lease files, and a reader with
//! Kea's string semantics.
//!
//! Kea prints maps with sorted keys as `{ "a": 1, "b": [ 1, 2 ] }` (empty: `{  }`) and
//! escapes every byte outside printable ASCII as `\u00XX`, one escape per UTF-8 byte. A
//! standard JSON reader would turn `\u00c3\u00a9` into two characters; Kea reads them back
//! as the two bytes of `é`. [`parse`] does the same, so user contexts survive a round trip
//! through files written by either implementation.

use serde_json::{Map, Number, Value};
use thiserror::Error;

/// Nesting depth at which [`parse`] gives up, so hostile input cannot exhaust the stack.
const MAX_DEPTH: usize = 128;

/// Why user-context text is not valid JSON.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum KeaJsonError {
    /// The text ended inside a value.
    #[error("unexpected end of JSON text")]
    UnexpectedEnd,
    /// A character that cannot start or continue a value here.
    #[error("unexpected character '{found}' at offset {offset}")]
    Unexpected {
        /// Byte offset in the text.
        offset: usize,
        /// The character found.
        found: char,
    },
    /// A malformed backslash escape inside a string.
    #[error("invalid escape sequence at offset {offset}")]
    BadEscape {
        /// Byte offset in the text.
        offset: usize,
    },
    /// A malformed number.
    #[error("invalid number '{text}'")]
    BadNumber {
        /// The number's text.
        text: String,
    },
    /// A well-formed number outside Kea's range: an integer beyond 64-bit signed, or a
    /// float beyond the double range. Kea 2.2 discards a lease file row holding one
    /// (`DHCPSRV_MEMFILE_LEASE_LOAD_ROW_ERROR ... Number overflow: ...`).
    #[error("Number overflow: {text}")]
    NumberOverflow {
        /// The number's text.
        text: String,
    },
    /// Nesting deeper than the reader allows.
    #[error("JSON nested deeper than {MAX_DEPTH} levels")]
    TooDeep,
}

/// Writes a value as Kea's `Element::str()` does (see the module doc).
pub fn to_kea_text(value: &Value) -> String {
    let mut out = String::new();
    write_value(value, &mut out);
    out
}

fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push_str("[ ");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(item, out);
            }
            out.push_str(" ]");
        }
        Value::Object(map) => write_map(map, out),
    }
}

fn write_map(map: &Map<String, Value>, out: &mut String) {
    // Kea keeps map elements in a std::map, so they come out sorted by key bytes.
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    out.push_str("{ ");
    for (i, (key, value)) in entries.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_key(key, out);
        out.push_str(": ");
        write_value(value, out);
    }
    out.push_str(" }");
}

/// Kea writes map keys without escaping (so `é` stays raw); we match that byte for byte.
// KEA-DIFF: Kea writes `"`, `\` and control characters in keys raw too, producing JSON
// it cannot read back; we escape those, keeping such keys readable by both.
fn write_key(key: &str, out: &mut String) {
    if key.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push('"');
        out.push_str(key);
        out.push('"');
    } else {
        write_string(key, out);
    }
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for &byte in s.as_bytes() {
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x20..=0x7e => out.push(char::from(byte)),
            _ => out.push_str(&format!("\\u{byte:04x}")),
        }
    }
    out.push('"');
}

/// Parses JSON text with Kea's string semantics: `\u0000`–`\u00ff` are bytes, which are
/// then read as UTF-8 (invalid sequences are replaced).
pub fn parse(text: &str) -> Result<Value, KeaJsonError> {
    let mut parser = Parser {
        bytes: text.as_bytes(),
        pos: 0,
    };
    let value = parser.value(0)?;
    parser.skip_ws();
    match parser.peek() {
        None => Ok(value),
        Some(_) => Err(parser.unexpected()),
    }
}

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn unexpected(&self) -> KeaJsonError {
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        match String::from_utf8_lossy(rest).chars().next() {
            Some(found) => KeaJsonError::Unexpected {
                offset: self.pos,
                found,
            },
            None => KeaJsonError::UnexpectedEnd,
        }
    }

    fn expect(&mut self, byte: u8) -> Result<(), KeaJsonError> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, KeaJsonError> {
        if depth > MAX_DEPTH {
            return Err(KeaJsonError::TooDeep);
        }
        self.skip_ws();
        match self.peek() {
            None => Err(KeaJsonError::UnexpectedEnd),
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Value::String),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.unexpected()),
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, KeaJsonError> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.unexpected())
        }
    }

    fn number(&mut self) -> Result<Value, KeaJsonError> {
        let start = self.pos;
        while matches!(
            self.peek(),
            Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
        ) {
            self.pos += 1;
        }
        let text = String::from_utf8_lossy(&self.bytes[start..self.pos]).into_owned();
        let is_integer = !text.contains(['.', 'e', 'E']);
        match serde_json::from_str::<Number>(&text) {
            // Kea holds integers as int64_t: a larger one (which serde_json would keep as
            // u64 or round through f64) is an overflow there, so it is here too.
            Ok(n) if is_integer && !n.is_i64() => Err(KeaJsonError::NumberOverflow { text }),
            Ok(n) => Ok(Value::Number(n)),
            Err(_) if !is_integer && text.parse::<f64>().is_ok_and(f64::is_infinite) => {
                Err(KeaJsonError::NumberOverflow { text })
            }
            Err(_) => Err(KeaJsonError::BadNumber { text }),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, KeaJsonError> {
        self.expect(b'[')?;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.unexpected()),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, KeaJsonError> {
        self.expect(b'{')?;
        let mut map = Map::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(map));
        }
        loop {
            self.skip_ws();
            let key = self.string()?;
            self.skip_ws();
            self.expect(b':')?;
            let value = self.value(depth + 1)?;
            map.insert(key, value);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(map));
                }
                _ => return Err(self.unexpected()),
            }
        }
    }

    fn string(&mut self) -> Result<String, KeaJsonError> {
        self.expect(b'"')?;
        let mut out = Vec::new();
        loop {
            let Some(byte) = self.peek() else {
                return Err(KeaJsonError::UnexpectedEnd);
            };
            self.pos += 1;
            match byte {
                b'"' => return Ok(String::from_utf8_lossy(&out).into_owned()),
                b'\\' => self.escape(&mut out)?,
                _ => out.push(byte),
            }
        }
    }

    fn escape(&mut self, out: &mut Vec<u8>) -> Result<(), KeaJsonError> {
        let offset = self.pos - 1;
        let Some(byte) = self.peek() else {
            return Err(KeaJsonError::UnexpectedEnd);
        };
        self.pos += 1;
        let plain = match byte {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => return self.unicode_escape(offset, out),
            _ => return Err(KeaJsonError::BadEscape { offset }),
        };
        out.push(plain);
        Ok(())
    }

    fn unicode_escape(&mut self, offset: usize, out: &mut Vec<u8>) -> Result<(), KeaJsonError> {
        let unit = self.hex4(offset)?;
        if let Ok(byte) = u8::try_from(unit) {
            // Kea's meaning: one raw byte.
            out.push(byte);
            return Ok(());
        }
        let code = if (0xd800..0xdc00).contains(&unit) {
            if !self.bytes[self.pos..].starts_with(b"\\u") {
                return Err(KeaJsonError::BadEscape { offset });
            }
            self.pos += 2;
            let low = self.hex4(offset)?;
            if !(0xdc00..0xe000).contains(&low) {
                return Err(KeaJsonError::BadEscape { offset });
            }
            0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00)
        } else {
            unit
        };
        let ch = char::from_u32(code).ok_or(KeaJsonError::BadEscape { offset })?;
        let mut buf = [0u8; 4];
        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
        Ok(())
    }

    fn hex4(&mut self, offset: usize) -> Result<u32, KeaJsonError> {
        let digits = self
            .bytes
            .get(self.pos..self.pos + 4)
            .ok_or(KeaJsonError::BadEscape { offset })?;
        let mut unit = 0u32;
        for &d in digits {
            let v = char::from(d)
                .to_digit(16)
                .ok_or(KeaJsonError::BadEscape { offset })?;
            unit = unit * 16 + v;
        }
        self.pos += 4;
        Ok(unit)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_kea_layout() {
        let v = json!({"e": "é\n", "a": 1, "d": {}, "c": [1, 2], "b": "x,y", "ü": "\"q"});
        assert_eq!(
            to_kea_text(&v),
            r#"{ "a": 1, "b": "x,y", "c": [ 1, 2 ], "d": {  }, "e": "\u00c3\u00a9\n", "ü": "\"q" }"#
        );
        assert_eq!(to_kea_text(&json!([])), "[  ]");
    }

    #[test]
    fn reads_kea_byte_escapes_as_utf8() {
        let v = parse(r#"{ "e": "\u00c3\u00a9", "f": "é", "g": "\u20ac\ud83d\ude00" }"#).unwrap();
        assert_eq!(v, json!({"e": "é", "f": "é", "g": "€😀"}));
    }

    #[test]
    fn round_trips() {
        let v = json!({"k": [null, true, false, -3, 1.5, "q\"\\\t\u{1}"], "z": {"y": {}}});
        assert_eq!(parse(&to_kea_text(&v)).unwrap(), v);
    }

    #[test]
    fn numbers_beyond_kea_range_overflow() {
        // Rows Kea 2.2 discards with "Number overflow: <text>" (checked with kea-dhcp4 on a
        // lease file and lease4-get-all); before, the first read as a float off in its
        // last bits, so a lease did not survive write + read.
        for text in [
            "1800000000000000294967",
            "9223372036854775808",
            "18446744073709551615",
            "-9223372036854775809",
            "1e400",
            "-1e400",
        ] {
            assert_eq!(
                parse(&format!("{{ \"n\": {text} }}")),
                Err(KeaJsonError::NumberOverflow { text: text.into() }),
                "{text}"
            );
        }
        // The edges Kea 2.2 keeps.
        assert_eq!(
            parse("[ 9223372036854775807, -9223372036854775808, 1e-400, 1.5e3 ]").unwrap(),
            json!([i64::MAX, i64::MIN, 0.0, 1500.0])
        );
    }

    #[test]
    fn rejects_malformed_text() {
        assert_eq!(parse(r#"{ "a": "#), Err(KeaJsonError::UnexpectedEnd));
        assert!(matches!(
            parse("{ } x"),
            Err(KeaJsonError::Unexpected { .. })
        ));
        assert!(matches!(
            parse(r#""\q""#),
            Err(KeaJsonError::BadEscape { .. })
        ));
        assert!(matches!(
            parse("1.2.3"),
            Err(KeaJsonError::BadNumber { .. })
        ));
        assert_eq!(parse(&"[".repeat(1000)), Err(KeaJsonError::TooDeep));
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "([\\[\\]{}\":,0-9a-u\\\\ ]|.){0,60}") {
            let _ = parse(&text);
        }
    }
}
