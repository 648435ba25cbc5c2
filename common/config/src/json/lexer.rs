//! Tokens of Kea's JSON dialect: comments and include directives are consumed here, so the
//! parser sees plain JSON tokens, each with its [`Location`].

use std::sync::Arc;

use super::{JsonError, Location, MAX_INCLUDE_DEPTH, Position};

/// One token.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Colon,
    Comma,
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
    Eof,
}

impl Tok {
    /// Kea's name of the token in "unexpected ..." messages.
    pub(super) fn kea_name(&self) -> &'static str {
        match self {
            Self::LBrace => "{",
            Self::RBrace => "}",
            Self::LBracket => "[",
            Self::RBracket => "]",
            Self::Colon => "\":\"",
            Self::Comma => "\",\"",
            Self::Str(_) => "constant string",
            Self::Int(_) => "integer",
            Self::Float(_) => "floating point",
            Self::Bool(_) => "boolean",
            Self::Null => "null",
            Self::Eof => "end of file",
        }
    }
}

/// A file being read: the top-level text or an included one.
struct Source {
    file: Arc<str>,
    bytes: Vec<u8>,
    off: usize,
    line: u32,
    col: u32,
}

impl Source {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.off).copied()
    }

    fn peek_at(&self, n: usize) -> Option<u8> {
        self.bytes.get(self.off + n).copied()
    }

    fn pos(&self) -> Position {
        Position {
            file: self.file.clone(),
            line: self.line,
            col: self.col,
        }
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.off += 1;
        if b == b'\n' {
            self.line = self.line.saturating_add(1);
            self.col = 1;
        } else {
            self.col = self.col.saturating_add(1);
        }
        Some(b)
    }

    fn starts_with(&self, s: &[u8]) -> bool {
        self.bytes[self.off..].starts_with(s)
    }
}

/// Turns the top-level text and its includes into one token stream.
pub(super) struct Lexer {
    stack: Vec<Source>,
}

impl Lexer {
    pub(super) fn new(bytes: Vec<u8>, file: &str) -> Self {
        Self {
            stack: vec![Source {
                file: Arc::from(file),
                bytes,
                off: 0,
                line: 1,
                col: 1,
            }],
        }
    }

    /// The next token and where it is.
    pub(super) fn next_token(&mut self) -> Result<(Tok, Location), JsonError> {
        loop {
            self.skip_blanks_and_comments()?;
            let depth = self.stack.len();
            let Some(src) = self.stack.last_mut() else {
                return Ok((Tok::Eof, Location::new(Position::synthetic(), 1)));
            };
            let Some(b) = src.peek() else {
                if depth > 1 {
                    self.stack.pop();
                    continue;
                }
                return Ok((Tok::Eof, Location::new(src.pos(), 1)));
            };
            let start = src.pos();
            let start_off = src.off;
            let tok = match b {
                b'{' => Self::single(src, Tok::LBrace),
                b'}' => Self::single(src, Tok::RBrace),
                b'[' => Self::single(src, Tok::LBracket),
                b']' => Self::single(src, Tok::RBracket),
                b':' => Self::single(src, Tok::Colon),
                b',' => Self::single(src, Tok::Comma),
                b'"' => Tok::Str(lex_string(src)?),
                b'<' if src.starts_with(b"<?include") => {
                    self.include()?;
                    continue;
                }
                b'-' | b'.' | b'0'..=b'9' => lex_number(src)?,
                b'a'..=b'z' | b'A'..=b'Z' => lex_word(src)?,
                _ => {
                    return Err(JsonError::InvalidCharacter {
                        at: Location::new(start, 1),
                        ch: next_char(&src.bytes[src.off..]),
                    });
                }
            };
            let width = u32::try_from(src.off - start_off).unwrap_or(u32::MAX);
            return Ok((tok, Location::new(start, width)));
        }
    }

    fn single(src: &mut Source, tok: Tok) -> Tok {
        src.bump();
        tok
    }

    fn skip_blanks_and_comments(&mut self) -> Result<(), JsonError> {
        let Some(src) = self.stack.last_mut() else {
            return Ok(());
        };
        loop {
            match src.peek() {
                Some(b' ' | b'\t' | b'\n' | b'\r') => {
                    src.bump();
                }
                Some(b'#') => skip_line(src),
                Some(b'/') if src.peek_at(1) == Some(b'/') => skip_line(src),
                Some(b'/') if src.peek_at(1) == Some(b'*') => {
                    let at = Location::new(src.pos(), 2);
                    src.bump();
                    src.bump();
                    loop {
                        if src.starts_with(b"*/") {
                            src.bump();
                            src.bump();
                            break;
                        }
                        if src.bump().is_none() {
                            let line = at.pos.line;
                            return Err(JsonError::UnclosedComment { at, line });
                        }
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    /// Reads `<?include "path"?>` and pushes the named file.
    fn include(&mut self) -> Result<(), JsonError> {
        let depth = self.stack.len();
        let Some(src) = self.stack.last_mut() else {
            return Ok(());
        };
        let start = src.pos();
        let start_off = src.off;
        for _ in 0..b"<?include".len() {
            src.bump();
        }
        while matches!(src.peek(), Some(b' ' | b'\t')) {
            src.bump();
        }
        let bad = |src: &Source| JsonError::BadInclude {
            at: Location::new(start.clone(), width_since(src, start_off)),
        };
        if src.peek() != Some(b'"') {
            return Err(bad(src));
        }
        let path = lex_string(src).map_err(|_| bad(src))?;
        while matches!(src.peek(), Some(b' ' | b'\t')) {
            src.bump();
        }
        if !src.starts_with(b"?>") {
            return Err(bad(src));
        }
        src.bump();
        src.bump();
        let at = Location::new(start, width_since(src, start_off));
        if depth > MAX_INCLUDE_DEPTH {
            return Err(JsonError::IncludeDepth {
                at,
                max: MAX_INCLUDE_DEPTH,
            });
        }
        // Kea opens include paths as given, so relative ones follow the working directory.
        let bytes = std::fs::read(&path).map_err(|source| JsonError::Include {
            at,
            path: path.clone(),
            source,
        })?;
        self.stack.push(Source {
            file: Arc::from(path.as_str()),
            bytes,
            off: 0,
            line: 1,
            col: 1,
        });
        Ok(())
    }
}

fn width_since(src: &Source, start_off: usize) -> u32 {
    u32::try_from(src.off - start_off).unwrap_or(u32::MAX)
}

fn skip_line(src: &mut Source) {
    while let Some(b) = src.peek() {
        if b == b'\n' {
            return;
        }
        src.bump();
    }
}

fn next_char(bytes: &[u8]) -> char {
    let end = bytes.len().min(4);
    (1..=end)
        .find_map(|n| std::str::from_utf8(&bytes[..n]).ok())
        .and_then(|s| s.chars().next())
        .unwrap_or(char::REPLACEMENT_CHARACTER)
}

fn lex_word(src: &mut Source) -> Result<Tok, JsonError> {
    let start = src.pos();
    let start_off = src.off;
    while matches!(
        src.peek(),
        Some(b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_')
    ) {
        src.bump();
    }
    match &src.bytes[start_off..src.off] {
        b"true" => Ok(Tok::Bool(true)),
        b"false" => Ok(Tok::Bool(false)),
        b"null" => Ok(Tok::Null),
        word => Err(JsonError::InvalidCharacter {
            at: Location::new(start, 1),
            ch: char::from(word[0]),
        }),
    }
}

/// Numbers as Kea's scanner accepts them: `-?[0-9]*(\.[0-9]*)?([eE][-+]?[0-9]+)?` with at
/// least one digit; without fraction and exponent the literal is an integer.
fn lex_number(src: &mut Source) -> Result<Tok, JsonError> {
    let start = src.pos();
    let start_off = src.off;
    let mut digits = false;
    let mut is_float = false;
    if src.peek() == Some(b'-') {
        src.bump();
    }
    while matches!(src.peek(), Some(b'0'..=b'9')) {
        src.bump();
        digits = true;
    }
    if src.peek() == Some(b'.') {
        is_float = true;
        src.bump();
        while matches!(src.peek(), Some(b'0'..=b'9')) {
            src.bump();
            digits = true;
        }
    }
    if digits && matches!(src.peek(), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(src.peek_at(1), Some(b'+' | b'-')));
        if matches!(src.peek_at(1 + sign), Some(b'0'..=b'9')) {
            is_float = true;
            for _ in 0..=sign {
                src.bump();
            }
            while matches!(src.peek(), Some(b'0'..=b'9')) {
                src.bump();
            }
        }
    }
    let text = String::from_utf8_lossy(&src.bytes[start_off..src.off]).into_owned();
    let at = Location::new(start, width_since(src, start_off));
    if !digits {
        return Err(JsonError::InvalidCharacter {
            at: Location::new(at.pos, 1),
            ch: char::from(src.bytes[start_off]),
        });
    }
    if is_float {
        // Rust's float parser wants a digit before and after the dot; Kea's does not.
        let normalized = text.replacen("-.", "-0.", 1);
        let normalized = if normalized.starts_with('.') {
            format!("0{normalized}")
        } else {
            normalized
        };
        let normalized = normalized.replace(".e", ".0e").replace(".E", ".0E");
        let normalized = if normalized.ends_with('.') {
            format!("{normalized}0")
        } else {
            normalized
        };
        // Kea 2.2 also rejects a literal beyond the double range (`1e400`) rather than
        // reading it as infinity, which no JSON text could print back; an underflow
        // (`1e-400`) is accepted as zero, as Kea does.
        match normalized.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Tok::Float(f)),
            _ => Err(JsonError::BadNumber { at, text }),
        }
    } else {
        text.parse::<i64>()
            .map(Tok::Int)
            .map_err(|_| JsonError::IntegerOverflow { at, text })
    }
}

/// Reads a string token (the opening quote is under the cursor) and resolves escapes.
///
/// `\u00XX` escapes stand for single bytes, as in Kea (which writes each UTF-8 byte of a
/// non-ASCII character that way); the bytes are then read as UTF-8. Larger escapes
/// (rejected by Kea) are taken as Unicode code points, surrogate pairs included.
fn lex_string(src: &mut Source) -> Result<String, JsonError> {
    let start = src.pos();
    let start_off = src.off;
    src.bump();
    let mut out: Vec<u8> = Vec::new();
    let mut byte_escapes = false;
    let raw = |src: &Source| {
        let end = src.off.min(src.bytes.len());
        String::from_utf8_lossy(&src.bytes[start_off + 1..end]).into_owned()
    };
    let loc =
        |src: &Source| Location::new(start.clone(), width_since(src, start_off).saturating_add(1));
    loop {
        let Some(b) = src.peek() else {
            return Err(JsonError::UnterminatedString {
                at: Location::new(start, 1),
            });
        };
        match b {
            b'"' => {
                src.bump();
                break;
            }
            b'\\' => {
                src.bump();
                let Some(e) = src.bump() else {
                    return Err(JsonError::UnterminatedString {
                        at: Location::new(start, 1),
                    });
                };
                match e {
                    b'"' => out.push(b'"'),
                    b'\\' => out.push(b'\\'),
                    b'/' => out.push(b'/'),
                    b'b' => out.push(0x08),
                    b'f' => out.push(0x0c),
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'u' => {
                        let Some(code) = hex4(src) else {
                            skip_to_quote(src);
                            return Err(JsonError::BadEscape {
                                at: loc(src),
                                text: raw(src),
                            });
                        };
                        if code < 0x100 {
                            byte_escapes = true;
                            out.push(u8::try_from(code).unwrap_or(b'?'));
                        } else {
                            let ch = unicode_escape(src, code).ok_or_else(|| {
                                skip_to_quote(src);
                                JsonError::BadEscape {
                                    at: loc(src),
                                    text: raw(src),
                                }
                            })?;
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                        }
                    }
                    _ => {
                        skip_to_quote(src);
                        return Err(JsonError::BadEscape {
                            at: loc(src),
                            text: raw(src),
                        });
                    }
                }
            }
            0x00..=0x1f => {
                skip_to_quote(src);
                return Err(JsonError::ControlInString {
                    at: loc(src),
                    text: raw(src),
                });
            }
            _ => {
                src.bump();
                out.push(b);
            }
        }
    }
    match String::from_utf8(out) {
        Ok(s) => Ok(s),
        // Not UTF-8 after byte escapes: the escapes meant Latin-1 code points.
        Err(e) if byte_escapes => Ok(e.into_bytes().into_iter().map(char::from).collect()),
        Err(e) => Ok(String::from_utf8_lossy(e.as_bytes()).into_owned()),
    }
}

fn skip_to_quote(src: &mut Source) {
    while let Some(b) = src.peek() {
        if b == b'"' {
            return;
        }
        src.bump();
    }
}

fn hex4(src: &mut Source) -> Option<u32> {
    let mut v = 0u32;
    for _ in 0..4 {
        let d = char::from(src.peek()?).to_digit(16)?;
        src.bump();
        v = v * 16 + d;
    }
    Some(v)
}

/// A code point above 0xFF, combining a surrogate pair when one follows.
fn unicode_escape(src: &mut Source, code: u32) -> Option<char> {
    if (0xD800..0xDC00).contains(&code) {
        if !(src.peek() == Some(b'\\') && src.peek_at(1) == Some(b'u')) {
            return None;
        }
        src.bump();
        src.bump();
        let low = hex4(src)?;
        if !(0xDC00..0xE000).contains(&low) {
            return None;
        }
        char::from_u32(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00))
    } else {
        char::from_u32(code)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed test
mod tests {
    use crate::json::{Value, parse_str};

    fn float(text: &str) -> Result<f64, String> {
        let doc = format!("{{\"x\": {text}}}");
        match parse_str(&doc, "t.json") {
            Ok(e) => match e.get("x").unwrap().value {
                Value::Float(f) => Ok(f),
                ref other => panic!("{text}: not a float: {other:?}"),
            },
            Err(e) => Err(e.to_string()),
        }
    }

    #[test]
    fn floats_beyond_the_double_range_are_rejected_as_kea_does() {
        // Messages and positions as `kea-dhcp4 -t` 2.2 prints them.
        assert_eq!(
            float("1e400").unwrap_err(),
            "t.json:1.7-11: Failed to convert 1e400 to a floating point."
        );
        assert_eq!(
            float("-1e400").unwrap_err(),
            "t.json:1.7-12: Failed to convert -1e400 to a floating point."
        );
        assert_eq!(
            float("1.7976931348623159e308").unwrap_err(),
            "t.json:1.7-28: Failed to convert 1.7976931348623159e308 to a floating point."
        );
        assert_eq!(float("1.7976931348623157e308"), Ok(f64::MAX));
        // Kea 2.2 accepts an underflow as zero, and the smallest subnormal as itself.
        assert_eq!(float("1e-400"), Ok(0.0));
        assert_eq!(float("5e-324"), Ok(5e-324));
    }
}
