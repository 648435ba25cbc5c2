//! The lexer of the classification expression language: turns the text of a `test` (or
//! `template-test`, flex-option, ...) expression into tokens with their byte spans.
//!
//! It follows the longest-match rule of Kea's scanner, so that the same text splits into the
//! same tokens: a word is a keyword, or an option name when a `]` follows it, and anything
//! else is an "Invalid character" at the first octet that starts no token.
//!
//! ARM: `classify.rst`, "Using Expressions in Classification" (the literal forms).

use std::fmt;

use crate::error::{ParseError, ParseErrorKind, Span};

/// Keywords and punctuation, with the names Kea's parser uses in its messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyword {
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `not`
    Not,
    /// `and`
    And,
    /// `or`
    Or,
    /// `==`
    Equal,
    /// `option`
    Option,
    /// `relay4`
    Relay4,
    /// `relay6`
    Relay6,
    /// `member`
    Member,
    /// `peeraddr`
    PeerAddr,
    /// `linkaddr`
    LinkAddr,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// `.`
    Dot,
    /// `text`
    Text,
    /// `hex`
    Hex,
    /// `exists`
    Exists,
    /// `pkt`
    Pkt,
    /// `iface`
    Iface,
    /// `src`
    Src,
    /// `dst`
    Dst,
    /// `len`
    Len,
    /// `pkt4`
    Pkt4,
    /// `mac`
    Mac,
    /// `hlen`
    Hlen,
    /// `htype`
    Htype,
    /// `ciaddr`
    Ciaddr,
    /// `giaddr`
    Giaddr,
    /// `yiaddr`
    Yiaddr,
    /// `siaddr`
    Siaddr,
    /// `substring`
    Substring,
    /// `split`
    Split,
    /// `all`
    All,
    /// `,`
    Comma,
    /// `concat`
    Concat,
    /// `+`
    Plus,
    /// `ifelse`
    IfElse,
    /// `hexstring`
    HexString,
    /// `addrtotext`
    AddrToText,
    /// `int8totext`
    Int8ToText,
    /// `int16totext`
    Int16ToText,
    /// `int32totext`
    Int32ToText,
    /// `uint8totext`
    Uint8ToText,
    /// `uint16totext`
    Uint16ToText,
    /// `uint32totext`
    Uint32ToText,
    /// `lcase` (ARM; not in Kea 2.2)
    Lcase,
    /// `ucase` (ARM; not in Kea 2.2)
    Ucase,
    /// `pkt6`
    Pkt6,
    /// `msgtype`
    MsgType,
    /// `transid`
    TransId,
    /// `vendor-class`
    VendorClass,
    /// `vendor`
    Vendor,
    /// `*`
    Any,
    /// `data`
    Data,
    /// `enterprise`
    Enterprise,
    /// `known` (ARM; not in Kea 2.2)
    Known,
    /// `unknown` (ARM; not in Kea 2.2)
    Unknown,
}

/// Every keyword with its spelling, for the longest-match scan.
const KEYWORDS: &[(&str, Keyword)] = &[
    ("(", Keyword::LParen),
    (")", Keyword::RParen),
    ("not", Keyword::Not),
    ("and", Keyword::And),
    ("or", Keyword::Or),
    ("==", Keyword::Equal),
    ("option", Keyword::Option),
    ("relay4", Keyword::Relay4),
    ("relay6", Keyword::Relay6),
    ("member", Keyword::Member),
    ("peeraddr", Keyword::PeerAddr),
    ("linkaddr", Keyword::LinkAddr),
    ("[", Keyword::LBracket),
    ("]", Keyword::RBracket),
    (".", Keyword::Dot),
    ("text", Keyword::Text),
    ("hex", Keyword::Hex),
    ("exists", Keyword::Exists),
    ("pkt", Keyword::Pkt),
    ("iface", Keyword::Iface),
    ("src", Keyword::Src),
    ("dst", Keyword::Dst),
    ("len", Keyword::Len),
    ("pkt4", Keyword::Pkt4),
    ("mac", Keyword::Mac),
    ("hlen", Keyword::Hlen),
    ("htype", Keyword::Htype),
    ("ciaddr", Keyword::Ciaddr),
    ("giaddr", Keyword::Giaddr),
    ("yiaddr", Keyword::Yiaddr),
    ("siaddr", Keyword::Siaddr),
    ("substring", Keyword::Substring),
    ("split", Keyword::Split),
    ("all", Keyword::All),
    (",", Keyword::Comma),
    ("concat", Keyword::Concat),
    ("+", Keyword::Plus),
    ("ifelse", Keyword::IfElse),
    ("hexstring", Keyword::HexString),
    ("addrtotext", Keyword::AddrToText),
    ("int8totext", Keyword::Int8ToText),
    ("int16totext", Keyword::Int16ToText),
    ("int32totext", Keyword::Int32ToText),
    ("uint8totext", Keyword::Uint8ToText),
    ("uint16totext", Keyword::Uint16ToText),
    ("uint32totext", Keyword::Uint32ToText),
    ("lcase", Keyword::Lcase),
    ("ucase", Keyword::Ucase),
    ("pkt6", Keyword::Pkt6),
    ("msgtype", Keyword::MsgType),
    ("transid", Keyword::TransId),
    ("vendor-class", Keyword::VendorClass),
    ("vendor", Keyword::Vendor),
    ("*", Keyword::Any),
    ("data", Keyword::Data),
    ("enterprise", Keyword::Enterprise),
    ("known", Keyword::Known),
    ("unknown", Keyword::Unknown),
];

impl Keyword {
    /// The spelling in an expression.
    pub fn spelling(self) -> &'static str {
        KEYWORDS
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("?", |(s, _)| s)
    }

    /// The name in a syntax error message: the spelling, quoted when it is a comma (as
    /// Kea's messages show `","`).
    pub fn display_name(self) -> &'static str {
        match self {
            Keyword::Comma => "\",\"",
            other => other.spelling(),
        }
    }
}

/// What a token is; literals keep their text (borrowed from the expression).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind<'a> {
    /// `'text'`: the text between the quotes (no escapes exist).
    Str(&'a str),
    /// `0x..`: the hex digits after the prefix.
    HexStr(&'a str),
    /// `-?[0-9]+`.
    Integer(&'a str),
    /// An option name inside `[...]`.
    OptionName(&'a str),
    /// An IPv4 or IPv6 address literal (not yet validated).
    IpAddress(&'a str),
    /// A keyword or punctuation.
    Kw(Keyword),
    /// The end of the expression.
    Eof,
}

impl TokenKind<'_> {
    /// The name in a syntax error message (Kea's token names).
    pub fn display_name(&self) -> &'static str {
        match self {
            TokenKind::Str(_) => "constant string",
            TokenKind::HexStr(_) => "constant hexstring",
            TokenKind::Integer(_) => "integer",
            TokenKind::OptionName(_) => "option name",
            TokenKind::IpAddress(_) => "ip address",
            TokenKind::Kw(k) => k.display_name(),
            TokenKind::Eof => "end of file",
        }
    }
}

impl fmt::Display for TokenKind<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}

/// A token and where it is in the expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// What it is.
    pub kind: TokenKind<'a>,
    /// Byte offsets of its text.
    pub span: Span,
}

fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n')
}

/// Length of `'[^'\n]*'` at the start of `s`.
fn match_string(s: &[u8]) -> Option<usize> {
    if s.first() != Some(&b'\'') {
        return None;
    }
    let close = s[1..].iter().position(|&b| b == b'\'' || b == b'\n')?;
    (s[1 + close] == b'\'').then_some(close + 2)
}

/// Length of `0[xX][0-9a-fA-F]+`.
fn match_hex(s: &[u8]) -> Option<usize> {
    if s.len() < 3 || s[0] != b'0' || !matches!(s[1], b'x' | b'X') {
        return None;
    }
    let n = s[2..].iter().take_while(|b| b.is_ascii_hexdigit()).count();
    (n > 0).then_some(2 + n)
}

/// Length of `-?[0-9]+`.
fn match_int(s: &[u8]) -> Option<usize> {
    let sign = usize::from(s.first() == Some(&b'-'));
    let n = s[sign..].iter().take_while(|b| b.is_ascii_digit()).count();
    (n > 0).then_some(sign + n)
}

/// Option name `[A-Za-z]([-_A-Za-z0-9]*[A-Za-z0-9])?` followed by blanks and `]`: returns
/// (name length, match length including the trailing context).
fn match_option_name(s: &[u8]) -> Option<(usize, usize)> {
    if !s.first()?.is_ascii_alphabetic() {
        return None;
    }
    let run = s
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
        .count();
    if !s[run - 1].is_ascii_alphanumeric() {
        return None;
    }
    let blanks = s[run..].iter().take_while(|&&b| is_blank(b)).count();
    (s.get(run + blanks) == Some(&b']')).then_some((run, run + blanks + 1))
}

/// Length of `[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+`.
fn match_addr4(s: &[u8]) -> Option<usize> {
    let mut pos = 0;
    for i in 0..4 {
        if i > 0 {
            if s.get(pos) != Some(&b'.') {
                return None;
            }
            pos += 1;
        }
        let n = s[pos..].iter().take_while(|b| b.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        pos += n;
    }
    Some(pos)
}

/// Length of `[0-9a-fA-F]*:[0-9a-fA-F]*:[0-9a-fA-F:.]*`.
fn match_addr6(s: &[u8]) -> Option<usize> {
    let hex = |from: usize| {
        s[from..]
            .iter()
            .take_while(|b| b.is_ascii_hexdigit())
            .count()
    };
    let mut pos = hex(0);
    for _ in 0..2 {
        if s.get(pos) != Some(&b':') {
            return None;
        }
        pos += 1;
        pos += hex(pos);
    }
    pos += s[pos..]
        .iter()
        .take_while(|b| b.is_ascii_hexdigit() || matches!(b, b':' | b'.'))
        .count();
    Some(pos)
}

fn match_keyword(s: &[u8]) -> Option<(usize, Keyword)> {
    KEYWORDS
        .iter()
        .filter(|(spelling, _)| s.starts_with(spelling.as_bytes()))
        .max_by_key(|(spelling, _)| spelling.len())
        .map(|(spelling, k)| (spelling.len(), *k))
}

/// Splits an expression into tokens; the last one is [`TokenKind::Eof`].
pub fn tokenize<'a>(text: &'a str) -> Result<Vec<Token<'a>>, ParseError> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut pos = 0;
    loop {
        while bytes.get(pos).is_some_and(|&b| is_blank(b)) {
            pos += 1;
        }
        if pos >= bytes.len() {
            out.push(Token {
                kind: TokenKind::Eof,
                span: Span::new(bytes.len(), bytes.len()),
            });
            return Ok(out);
        }
        let rest = &bytes[pos..];
        // Candidates in Kea's rule order; the longest wins, the earliest on a tie.
        let slice = |len: usize| text.get(pos..pos + len).unwrap_or("");
        let mut best: Option<(usize, usize, TokenKind<'a>)> = None;
        let mut offer = |len: usize, consumed: usize, kind: TokenKind<'a>| {
            if best.is_none_or(|(_, c, _)| consumed > c) {
                best = Some((len, consumed, kind));
            }
        };
        if let Some(n) = match_string(rest) {
            offer(
                n,
                n,
                TokenKind::Str(text.get(pos + 1..pos + n - 1).unwrap_or("")),
            );
        }
        if let Some(n) = match_hex(rest) {
            offer(
                n,
                n,
                TokenKind::HexStr(text.get(pos + 2..pos + n).unwrap_or("")),
            );
        }
        if let Some(n) = match_int(rest) {
            offer(n, n, TokenKind::Integer(slice(n)));
        }
        if let Some((n, consumed)) = match_option_name(rest) {
            offer(n, consumed, TokenKind::OptionName(slice(n)));
        }
        if let Some(n) = match_addr4(rest).max(match_addr6(rest)) {
            offer(n, n, TokenKind::IpAddress(slice(n)));
        }
        if let Some((n, k)) = match_keyword(rest) {
            offer(n, n, TokenKind::Kw(k));
        }
        let Some((len, _, kind)) = best else {
            let ch = text
                .get(pos..)
                .and_then(|s| s.chars().next())
                .unwrap_or('?');
            return Err(ParseError::new(
                text,
                Span::new(pos, pos + 1),
                ParseErrorKind::InvalidCharacter { ch },
            ));
        };
        out.push(Token {
            kind,
            span: Span::new(pos, pos + len),
        });
        pos += len;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<TokenKind<'_>> {
        tokenize(text)
            .unwrap()
            .into_iter()
            .map(|t| t.kind)
            .collect()
    }

    #[test]
    fn literals() {
        assert_eq!(
            kinds("'foo bar' 0x5a7d 123 -5 10.0.0.1 2001:db8::1 ::ffff:1.2.3.4"),
            vec![
                TokenKind::Str("foo bar"),
                TokenKind::HexStr("5a7d"),
                TokenKind::Integer("123"),
                TokenKind::Integer("-5"),
                TokenKind::IpAddress("10.0.0.1"),
                TokenKind::IpAddress("2001:db8::1"),
                TokenKind::IpAddress("::ffff:1.2.3.4"),
                TokenKind::Eof,
            ]
        );
        assert_eq!(kinds("''"), vec![TokenKind::Str(""), TokenKind::Eof]);
    }

    #[test]
    fn keywords_take_the_longest_match() {
        assert_eq!(
            kinds("vendor-class vendor pkt4 pkt6 pkt uint8totext"),
            vec![
                TokenKind::Kw(Keyword::VendorClass),
                TokenKind::Kw(Keyword::Vendor),
                TokenKind::Kw(Keyword::Pkt4),
                TokenKind::Kw(Keyword::Pkt6),
                TokenKind::Kw(Keyword::Pkt),
                TokenKind::Kw(Keyword::Uint8ToText),
                TokenKind::Eof,
            ]
        );
        // "1.2.3" is not an address: integer, dot, integer, ...
        assert_eq!(
            kinds("1.2"),
            vec![
                TokenKind::Integer("1"),
                TokenKind::Kw(Keyword::Dot),
                TokenKind::Integer("2"),
                TokenKind::Eof
            ]
        );
    }

    #[test]
    fn option_names_need_a_closing_bracket() {
        assert_eq!(
            kinds("option[host-name ].text"),
            vec![
                TokenKind::Kw(Keyword::Option),
                TokenKind::Kw(Keyword::LBracket),
                TokenKind::OptionName("host-name"),
                TokenKind::Kw(Keyword::RBracket),
                TokenKind::Kw(Keyword::Dot),
                TokenKind::Kw(Keyword::Text),
                TokenKind::Eof,
            ]
        );
        // A keyword followed by ']' is an option name (the match is longer).
        assert_eq!(kinds("hex]")[0], TokenKind::OptionName("hex"));
    }

    #[test]
    fn invalid_characters_at_their_column() {
        let e = tokenize("'a' = 'b'").unwrap_err();
        assert_eq!(e.to_string(), "<string>:1.5: Invalid character: =");
        let e = tokenize("'abc").unwrap_err();
        assert_eq!(e.to_string(), "<string>:1.1: Invalid character: '");
        let e = tokenize("0x == 'a'").unwrap_err();
        assert_eq!(e.to_string(), "<string>:1.2: Invalid character: x");
        let e = tokenize("option[12].foo").unwrap_err();
        assert_eq!(e.to_string(), "<string>:1.12: Invalid character: f");
        let e = tokenize("a\n  #").unwrap_err();
        assert_eq!(e.to_string(), "<string>:1.1: Invalid character: a");
        let e = tokenize("'a'\n  #").unwrap_err();
        assert_eq!(e.to_string(), "<string>:2.3: Invalid character: #");
    }
}
