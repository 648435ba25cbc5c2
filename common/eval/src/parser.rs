//! The recursive-descent parser of the expression language: tokens to a typed tree
//! ([`crate::ast`]), with Kea's precedence (`or` < `and` < `not` < `==` < `+`), Kea's checks
//! of codes, ranges, literals and protocol-specific constructs, and Kea's error wording.
//!
//! ARM: `classify.rst`, "Using Expressions in Classification", "Logical Operators",
//! "Substring", "Concat", "Split", "Ifelse", "Hexstring".

use std::net::IpAddr;

use kea_dhcp::optdef::{Universe, std_v4_def_by_name, std_v6_def_by_name};

use crate::ast::{
    BoolExpr, IntArg, IntToText, Pkt4Field, Pkt6Field, PktMetadata, Relay6Field, Repr, StrExpr,
    SubstringLen,
};
use crate::error::{ParseError, ParseErrorKind, Span};
use crate::lexer::{Keyword, Token, TokenKind, tokenize};

/// Deepest nesting of operators and functions accepted (evaluation recurses this deep).
/// KEA-DIFF: Kea has no such limit; this one keeps the recursive parser and evaluator within
/// a thread's stack on any input, far above what real expressions nest.
pub const MAX_DEPTH: usize = 48;

/// RFC 8415 §7.6: a relay chain is at most 32 deep (HOP_COUNT_LIMIT).
const HOP_COUNT_LIMIT: i64 = 32;

/// Maps an option name to its code (standard definitions plus configured `option-def`s).
pub type OptionNameLookup<'a> = &'a dyn Fn(&str) -> Option<u16>;

/// What the parser needs to know besides the text: the protocol, and how option names map
/// to codes (standard definitions plus the configuration's `option-def`s).
#[derive(Clone, Copy)]
pub struct ParseContext<'a> {
    universe: Universe,
    option_names: Option<OptionNameLookup<'a>>,
}

impl std::fmt::Debug for ParseContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParseContext")
            .field("universe", &self.universe)
            .field("custom_option_names", &self.option_names.is_some())
            .finish()
    }
}

impl<'a> ParseContext<'a> {
    /// DHCPv4, option names resolved through the standard `dhcp4` definitions.
    pub fn v4() -> Self {
        Self {
            universe: Universe::V4,
            option_names: None,
        }
    }

    /// DHCPv6, option names resolved through the standard `dhcp6` definitions.
    pub fn v6() -> Self {
        Self {
            universe: Universe::V6,
            option_names: None,
        }
    }

    /// Resolves option names with `lookup` instead of the standard table; the config builder
    /// passes one that looks at the standard definitions and then its `option-def`s.
    pub fn with_option_names(mut self, lookup: OptionNameLookup<'a>) -> Self {
        self.option_names = Some(lookup);
        self
    }

    /// The protocol.
    pub fn universe(&self) -> Universe {
        self.universe
    }

    fn option_code_by_name(&self, name: &str) -> Option<u16> {
        match (self.option_names, self.universe) {
            (Some(lookup), _) => lookup(name),
            (None, Universe::V4) => std_v4_def_by_name(name).map(|d| d.code),
            (None, Universe::V6) => std_v6_def_by_name(name).map(|d| d.code),
        }
    }

    fn max_option_code(&self) -> u16 {
        match self.universe {
            Universe::V4 => 255,
            Universe::V6 => u16::MAX,
        }
    }
}

/// A parsed node and its type.
#[derive(Debug)]
pub(crate) enum Node {
    Bool(BoolExpr),
    Str(StrExpr),
}

/// A node with the facts the parser checks: depth and the span of its first token.
struct Typed {
    node: Node,
    depth: usize,
    first: usize,
}

/// Which type a position requires.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    /// A boolean or a string (the parser decides by what follows).
    Any,
    /// A string operand.
    Str,
}

/// A class named by `member`, with where it was named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ClassRef {
    pub(crate) name: String,
    pub(crate) span: Span,
}

/// The result of parsing: the root node and the classes it names.
pub(crate) struct Parsed {
    pub(crate) root: Node,
    pub(crate) members: Vec<ClassRef>,
}

struct Parser<'t, 'c> {
    text: &'t str,
    toks: Vec<Token<'t>>,
    pos: usize,
    ctx: &'c ParseContext<'c>,
    /// Tokens that may follow a complete boolean in the innermost construct.
    bool_follow: Vec<&'static [&'static str]>,
    members: Vec<ClassRef>,
}

const TOP_FOLLOW: &[&str] = &["end of file"];
const PAREN_FOLLOW: &[&str] = &[")", "and", "or"];
const COMMA_FOLLOW: &[&str] = &["\",\"", "and", "or"];
const STR_FOLLOW: &[&str] = &["==", "+"];

/// Parses `text` as a boolean (`test`) or string (`template-test`, flex) expression.
pub(crate) fn parse(
    text: &str,
    ctx: &ParseContext<'_>,
    want_bool: bool,
) -> Result<Parsed, ParseError> {
    let toks = tokenize(text)?;
    let mut p = Parser {
        text,
        toks,
        pos: 0,
        ctx,
        bool_follow: vec![TOP_FOLLOW],
        members: Vec::new(),
    };
    let t = p.expr(0, if want_bool { Want::Any } else { Want::Str }, 0)?;
    let root = if want_bool {
        Node::Bool(p.require_bool(t)?)
    } else {
        Node::Str(p.require_str(t)?)
    };
    if p.peek().kind != TokenKind::Eof {
        let expected: &[&str] = if want_bool {
            TOP_FOLLOW
        } else {
            &["end of file", "+"]
        };
        return Err(p.unexpected(expected));
    }
    Ok(Parsed {
        root,
        members: p.members,
    })
}

/// Binding strength of a binary operator (higher binds tighter).
fn binary_prec(kind: TokenKind<'_>) -> Option<u8> {
    match kind {
        TokenKind::Kw(Keyword::Or) => Some(1),
        TokenKind::Kw(Keyword::And) => Some(2),
        TokenKind::Kw(Keyword::Equal) => Some(4),
        TokenKind::Kw(Keyword::Plus) => Some(5),
        _ => None,
    }
}

/// `not` binds tighter than `and`, looser than `==`.
const NOT_PREC: u8 = 3;

fn hex_literal(digits: &str) -> Vec<u8> {
    let nibble = |c: u8| match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => c.wrapping_sub(b'A').wrapping_add(10) & 0x0f,
    };
    let d = digits.as_bytes();
    let mut out = Vec::with_capacity(d.len().div_ceil(2));
    // An odd number of digits gets a leading 0 (ARM, notes on hexadecimal strings).
    let mut i = 0;
    if d.len() % 2 == 1 {
        out.push(nibble(d[0]));
        i = 1;
    }
    while i + 1 < d.len() {
        out.push(nibble(d[i]) << 4 | nibble(d[i + 1]));
        i += 2;
    }
    out
}

impl<'t> Parser<'t, '_> {
    fn peek(&self) -> Token<'t> {
        // tokenize() always ends with Eof and the parser never moves past it.
        self.toks[self.pos.min(self.toks.len() - 1)]
    }

    fn bump(&mut self) -> Token<'t> {
        let t = self.peek();
        if t.kind != TokenKind::Eof {
            self.pos += 1;
        }
        t
    }

    fn error(&self, span: Span, kind: ParseErrorKind) -> ParseError {
        ParseError::new(self.text, span, kind)
    }

    fn unexpected(&self, expected: &[&'static str]) -> ParseError {
        let t = self.peek();
        self.error(
            t.span,
            ParseErrorKind::Syntax {
                unexpected: t.kind.display_name(),
                expected: expected.to_vec(),
            },
        )
    }

    fn unexpected_at(&self, index: usize) -> ParseError {
        let t = self.toks[index.min(self.toks.len() - 1)];
        self.error(
            t.span,
            ParseErrorKind::Syntax {
                unexpected: t.kind.display_name(),
                expected: Vec::new(),
            },
        )
    }

    fn expect(&mut self, kw: Keyword) -> Result<Token<'t>, ParseError> {
        if self.peek().kind == TokenKind::Kw(kw) {
            Ok(self.bump())
        } else {
            Err(self.unexpected(&[kw.display_name()]))
        }
    }

    fn check_depth(&self, depth: usize, first: usize) -> Result<(), ParseError> {
        if depth > MAX_DEPTH {
            let span = self.toks[first.min(self.toks.len() - 1)].span;
            return Err(self.error(span, ParseErrorKind::TooDeep { max: MAX_DEPTH }));
        }
        Ok(())
    }

    /// A boolean is required: a string here is a syntax error at the next token.
    fn require_bool(&self, t: Typed) -> Result<BoolExpr, ParseError> {
        match t.node {
            Node::Bool(b) => Ok(b),
            Node::Str(_) => Err(self.unexpected(STR_FOLLOW)),
        }
    }

    /// A string is required: a boolean here is a syntax error at its first token.
    fn require_str(&self, t: Typed) -> Result<StrExpr, ParseError> {
        match t.node {
            Node::Str(s) => Ok(s),
            Node::Bool(_) => Err(self.unexpected_at(t.first)),
        }
    }

    fn bool_follow(&self) -> &'static [&'static str] {
        self.bool_follow.last().copied().unwrap_or(TOP_FOLLOW)
    }

    /// Operator-precedence loop over binary operators binding at least `min_prec`.
    fn expr(&mut self, min_prec: u8, want: Want, depth: usize) -> Result<Typed, ParseError> {
        self.check_depth(depth, self.pos)?;
        let mut lhs = self.unary(want, depth)?;
        while let Some(prec) = binary_prec(self.peek().kind) {
            if prec < min_prec {
                break;
            }
            let op = self.peek();
            let is_bool_op = prec <= 2;
            if is_bool_op != matches!(lhs.node, Node::Bool(_)) {
                let expected = if is_bool_op {
                    STR_FOLLOW
                } else {
                    self.bool_follow()
                };
                return Err(self.unexpected(expected));
            }
            self.bump();
            let rhs_want = if is_bool_op { Want::Any } else { Want::Str };
            let rhs = self.expr(prec + 1, rhs_want, depth + 1)?;
            let d = lhs.depth.max(rhs.depth) + 1;
            let first = lhs.first;
            self.check_depth(d, first)?;
            let node = match op.kind {
                TokenKind::Kw(Keyword::Or) => {
                    let (a, b) = (self.require_bool(lhs)?, self.require_bool(rhs)?);
                    Node::Bool(BoolExpr::Or(Box::new(a), Box::new(b)))
                }
                TokenKind::Kw(Keyword::And) => {
                    let (a, b) = (self.require_bool(lhs)?, self.require_bool(rhs)?);
                    Node::Bool(BoolExpr::And(Box::new(a), Box::new(b)))
                }
                TokenKind::Kw(Keyword::Equal) => {
                    let (a, b) = (self.require_str(lhs)?, self.require_str(rhs)?);
                    Node::Bool(BoolExpr::Equal(Box::new(a), Box::new(b)))
                }
                _ => {
                    let (a, b) = (self.require_str(lhs)?, self.require_str(rhs)?);
                    Node::Str(StrExpr::Concat(Box::new(a), Box::new(b)))
                }
            };
            lhs = Typed {
                node,
                depth: d,
                first,
            };
        }
        Ok(lhs)
    }

    fn leaf(&self, node: Node, first: usize) -> Typed {
        Typed {
            node,
            depth: 1,
            first,
        }
    }

    fn str_leaf(&self, e: StrExpr, first: usize) -> Result<Typed, ParseError> {
        Ok(self.leaf(Node::Str(e), first))
    }

    fn bool_leaf(&self, e: BoolExpr, first: usize) -> Result<Typed, ParseError> {
        Ok(self.leaf(Node::Bool(e), first))
    }

    /// `not`, parentheses, literals and every accessor and function.
    #[inline(never)]
    fn unary(&mut self, want: Want, depth: usize) -> Result<Typed, ParseError> {
        let first = self.pos;
        let tok = self.bump();
        match tok.kind {
            TokenKind::Str(s) => self.str_leaf(StrExpr::Literal(s.as_bytes().to_vec()), first),
            TokenKind::HexStr(digits) => {
                self.str_leaf(StrExpr::Literal(hex_literal(digits)), first)
            }
            TokenKind::Integer(text) => {
                let v = self.uint(text, tok.span, u64::from(u32::MAX))?;
                // Integers are 32-bit unsigned, four octets in network order (ARM notes).
                let v = u32::try_from(v).unwrap_or(u32::MAX);
                self.str_leaf(StrExpr::Literal(v.to_be_bytes().to_vec()), first)
            }
            TokenKind::IpAddress(text) => {
                let bytes = match text.parse::<IpAddr>() {
                    Ok(IpAddr::V4(a)) => a.octets().to_vec(),
                    Ok(IpAddr::V6(a)) => a.octets().to_vec(),
                    Err(_) => {
                        return Err(self.error(
                            tok.span,
                            ParseErrorKind::BadAddress {
                                text: text.to_owned(),
                            },
                        ));
                    }
                };
                self.str_leaf(StrExpr::Literal(bytes), first)
            }
            TokenKind::Kw(Keyword::LParen | Keyword::Not) => self.paren_or_not(tok, depth, first),
            TokenKind::Kw(
                Keyword::Substring
                | Keyword::Split
                | Keyword::Concat
                | Keyword::HexString
                | Keyword::IfElse
                | Keyword::AddrToText
                | Keyword::Int8ToText
                | Keyword::Int16ToText
                | Keyword::Int32ToText
                | Keyword::Uint8ToText
                | Keyword::Uint16ToText
                | Keyword::Uint32ToText
                | Keyword::Lcase
                | Keyword::Ucase,
            ) => self.call(tok, depth, first),
            TokenKind::Kw(Keyword::Member) => {
                self.expect(Keyword::LParen)?;
                let name_tok = self.peek();
                let TokenKind::Str(name) = name_tok.kind else {
                    return Err(self.unexpected(&["constant string"]));
                };
                self.bump();
                self.expect(Keyword::RParen)?;
                self.members.push(ClassRef {
                    name: name.to_owned(),
                    span: name_tok.span,
                });
                self.bool_leaf(BoolExpr::Member(name.to_owned()), first)
            }
            TokenKind::Kw(Keyword::Known) | TokenKind::Kw(Keyword::Unknown) => {
                self.members.push(ClassRef {
                    name: crate::classes::KNOWN.to_owned(),
                    span: tok.span,
                });
                let member = BoolExpr::Member(crate::classes::KNOWN.to_owned());
                if tok.kind == TokenKind::Kw(Keyword::Known) {
                    self.bool_leaf(member, first)
                } else {
                    self.bool_leaf(BoolExpr::Not(Box::new(member)), first)
                }
            }
            TokenKind::Kw(Keyword::Option) => {
                let code = self.option_code(true)?;
                self.expect(Keyword::Dot)?;
                if self.peek().kind == TokenKind::Kw(Keyword::Option) {
                    self.bump();
                    let sub = self.option_code(false)?;
                    self.expect(Keyword::Dot)?;
                    return match self.repr(want)? {
                        Some(repr) => self.str_leaf(StrExpr::SubOption { code, sub, repr }, first),
                        None => self.bool_leaf(BoolExpr::SubOptionExists { code, sub }, first),
                    };
                }
                match self.repr_or_option(want)? {
                    Some(repr) => self.str_leaf(StrExpr::Option { code, repr }, first),
                    None => self.bool_leaf(BoolExpr::OptionExists { code }, first),
                }
            }
            TokenKind::Kw(Keyword::Relay4) => {
                let code = self.option_code(false)?;
                self.expect(Keyword::Dot)?;
                let r = self.repr(want)?;
                self.only_in(Universe::V4, "relay4", tok.span)?;
                match r {
                    Some(repr) => self.str_leaf(StrExpr::Relay4 { code, repr }, first),
                    None => self.bool_leaf(BoolExpr::Relay4Exists { code }, first),
                }
            }
            TokenKind::Kw(Keyword::Relay6) => self.relay6(want, first),
            TokenKind::Kw(Keyword::Pkt) => {
                self.expect(Keyword::Dot)?;
                let m = match self.peek().kind {
                    TokenKind::Kw(Keyword::Iface) => PktMetadata::Iface,
                    TokenKind::Kw(Keyword::Src) => PktMetadata::Src,
                    TokenKind::Kw(Keyword::Dst) => PktMetadata::Dst,
                    TokenKind::Kw(Keyword::Len) => PktMetadata::Len,
                    _ => return Err(self.unexpected(&["iface", "src", "dst", "len"])),
                };
                self.bump();
                self.str_leaf(StrExpr::Pkt(m), first)
            }
            TokenKind::Kw(Keyword::Pkt4) => {
                self.expect(Keyword::Dot)?;
                let f = match self.peek().kind {
                    TokenKind::Kw(Keyword::Mac) => Pkt4Field::Mac,
                    TokenKind::Kw(Keyword::Hlen) => Pkt4Field::Hlen,
                    TokenKind::Kw(Keyword::Htype) => Pkt4Field::Htype,
                    TokenKind::Kw(Keyword::Ciaddr) => Pkt4Field::Ciaddr,
                    TokenKind::Kw(Keyword::Giaddr) => Pkt4Field::Giaddr,
                    TokenKind::Kw(Keyword::Yiaddr) => Pkt4Field::Yiaddr,
                    TokenKind::Kw(Keyword::Siaddr) => Pkt4Field::Siaddr,
                    TokenKind::Kw(Keyword::MsgType) => Pkt4Field::MsgType,
                    TokenKind::Kw(Keyword::TransId) => Pkt4Field::TransId,
                    _ => return Err(self.unexpected(&[])),
                };
                self.bump();
                self.only_in(Universe::V4, "pkt4", tok.span)?;
                self.str_leaf(StrExpr::Pkt4(f), first)
            }
            TokenKind::Kw(Keyword::Pkt6) => {
                self.expect(Keyword::Dot)?;
                let f = match self.peek().kind {
                    TokenKind::Kw(Keyword::MsgType) => Pkt6Field::MsgType,
                    TokenKind::Kw(Keyword::TransId) => Pkt6Field::TransId,
                    _ => return Err(self.unexpected(&["msgtype", "transid"])),
                };
                self.bump();
                self.only_in(Universe::V6, "pkt6", tok.span)?;
                self.str_leaf(StrExpr::Pkt6(f), first)
            }
            TokenKind::Kw(Keyword::Vendor) => self.vendor(want, first),
            TokenKind::Kw(Keyword::VendorClass) => self.vendor_class(first),
            _ => {
                self.pos = first;
                Err(self.unexpected(&[]))
            }
        }
    }

    /// `( expr )` and `not expr`: kept out of [`Self::unary`] so the recursion's frames stay small.
    #[inline(never)]
    fn paren_or_not(
        &mut self,
        tok: Token<'t>,
        depth: usize,
        first: usize,
    ) -> Result<Typed, ParseError> {
        match tok.kind {
            TokenKind::Kw(Keyword::LParen) => {
                self.bool_follow.push(PAREN_FOLLOW);
                let inner = self.expr(0, Want::Any, depth + 1);
                self.bool_follow.pop();
                let inner = inner?;
                if self.peek().kind != TokenKind::Kw(Keyword::RParen) {
                    let expected: &[&str] = match inner.node {
                        Node::Bool(_) => PAREN_FOLLOW,
                        Node::Str(_) => &[")", "==", "+"],
                    };
                    return Err(self.unexpected(expected));
                }
                self.bump();
                Ok(Typed {
                    node: inner.node,
                    depth: inner.depth + 1,
                    first,
                })
            }
            TokenKind::Kw(Keyword::Not) => {
                let operand = self.expr(NOT_PREC, Want::Any, depth + 1)?;
                let d = operand.depth + 1;
                let b = self.require_bool(operand)?;
                Ok(Typed {
                    node: Node::Bool(BoolExpr::Not(Box::new(b))),
                    depth: d,
                    first,
                })
            }
            _ => Err(self.unexpected_at(first)),
        }
    }

    /// The functions: `substring`, `split`, `concat`, `ifelse`, `hexstring`, conversions.
    #[inline(never)]
    fn call(&mut self, tok: Token<'t>, depth: usize, first: usize) -> Result<Typed, ParseError> {
        match tok.kind {
            TokenKind::Kw(Keyword::Substring) => {
                self.expect(Keyword::LParen)?;
                let (s, d) = self.str_arg(Keyword::Comma, depth)?;
                let start = self.int_arg(&["integer"])?;
                self.expect(Keyword::Comma)?;
                let len = if self.peek().kind == TokenKind::Kw(Keyword::All) {
                    self.bump();
                    SubstringLen::All
                } else {
                    SubstringLen::Count(self.int_arg(&["all", "integer"])?)
                };
                self.expect(Keyword::RParen)?;
                self.func(StrExpr::Substring(Box::new(s), start, len), d, first)
            }
            TokenKind::Kw(Keyword::Split) => {
                self.expect(Keyword::LParen)?;
                let (s, d1) = self.str_arg(Keyword::Comma, depth)?;
                let (delims, d2) = self.str_arg(Keyword::Comma, depth)?;
                let field = self.int_arg(&["integer"])?;
                self.expect(Keyword::RParen)?;
                self.func(
                    StrExpr::Split(Box::new(s), Box::new(delims), field),
                    d1.max(d2),
                    first,
                )
            }
            TokenKind::Kw(Keyword::Concat) | TokenKind::Kw(Keyword::HexString) => {
                self.expect(Keyword::LParen)?;
                let (a, d1) = self.str_arg(Keyword::Comma, depth)?;
                let (b, d2) = self.str_arg(Keyword::RParen, depth)?;
                let e = if tok.kind == TokenKind::Kw(Keyword::Concat) {
                    StrExpr::Concat(Box::new(a), Box::new(b))
                } else {
                    StrExpr::HexString(Box::new(a), Box::new(b))
                };
                self.func(e, d1.max(d2), first)
            }
            TokenKind::Kw(Keyword::IfElse) => {
                self.expect(Keyword::LParen)?;
                self.bool_follow.push(COMMA_FOLLOW);
                let cond = self.expr(0, Want::Any, depth + 1);
                self.bool_follow.pop();
                let cond = cond?;
                let d0 = cond.depth;
                let cond = self.require_bool(cond)?;
                if self.peek().kind != TokenKind::Kw(Keyword::Comma) {
                    return Err(self.unexpected(COMMA_FOLLOW));
                }
                self.bump();
                let (a, d1) = self.str_arg(Keyword::Comma, depth)?;
                let (b, d2) = self.str_arg(Keyword::RParen, depth)?;
                self.func(
                    StrExpr::IfElse(Box::new(cond), Box::new(a), Box::new(b)),
                    d0.max(d1).max(d2),
                    first,
                )
            }
            TokenKind::Kw(
                k @ (Keyword::AddrToText
                | Keyword::Int8ToText
                | Keyword::Int16ToText
                | Keyword::Int32ToText
                | Keyword::Uint8ToText
                | Keyword::Uint16ToText
                | Keyword::Uint32ToText
                | Keyword::Lcase
                | Keyword::Ucase),
            ) => {
                self.expect(Keyword::LParen)?;
                let (a, d) = self.str_arg(Keyword::RParen, depth)?;
                let a = Box::new(a);
                let e = match k {
                    Keyword::AddrToText => StrExpr::AddrToText(a),
                    Keyword::Int8ToText => StrExpr::IntToText(IntToText::Int8, a),
                    Keyword::Int16ToText => StrExpr::IntToText(IntToText::Int16, a),
                    Keyword::Int32ToText => StrExpr::IntToText(IntToText::Int32, a),
                    Keyword::Uint8ToText => StrExpr::IntToText(IntToText::Uint8, a),
                    Keyword::Uint16ToText => StrExpr::IntToText(IntToText::Uint16, a),
                    Keyword::Uint32ToText => StrExpr::IntToText(IntToText::Uint32, a),
                    Keyword::Lcase => StrExpr::Lcase(a),
                    _ => StrExpr::Ucase(a),
                };
                self.func(e, d, first)
            }
            _ => Err(self.unexpected_at(first)),
        }
    }

    fn func(&self, e: StrExpr, arg_depth: usize, first: usize) -> Result<Typed, ParseError> {
        let depth = arg_depth + 1;
        self.check_depth(depth, first)?;
        Ok(Typed {
            node: Node::Str(e),
            depth,
            first,
        })
    }

    /// A string argument followed by `close` (`,` or `)`), which is consumed.
    fn str_arg(&mut self, close: Keyword, depth: usize) -> Result<(StrExpr, usize), ParseError> {
        let t = self.expr(0, Want::Str, depth + 1)?;
        let d = t.depth;
        let s = self.require_str(t)?;
        if self.peek().kind != TokenKind::Kw(close) {
            return Err(self.unexpected(&[close.display_name(), "+"]));
        }
        self.bump();
        Ok((s, d))
    }

    /// An integer literal argument of `substring` or `split`.
    fn int_arg(&mut self, expected: &[&'static str]) -> Result<IntArg, ParseError> {
        match self.peek().kind {
            TokenKind::Integer(text) => {
                self.bump();
                Ok(IntArg::new(text))
            }
            _ => Err(self.unexpected(expected)),
        }
    }

    fn only_in(
        &self,
        universe: Universe,
        construct: &'static str,
        span: Span,
    ) -> Result<(), ParseError> {
        if self.ctx.universe == universe {
            return Ok(());
        }
        let only = match universe {
            Universe::V4 => 4,
            Universe::V6 => 6,
        };
        Err(self.error(span, ParseErrorKind::WrongUniverse { construct, only }))
    }

    /// An unsigned literal up to `max`, or Kea's range error.
    fn uint(&self, text: &str, span: Span, max: u64) -> Result<u64, ParseError> {
        match text.parse::<u64>() {
            Ok(v) if v <= max => Ok(v),
            _ => Err(self.error(
                span,
                ParseErrorKind::IntegerRange {
                    value: text.to_owned(),
                    max,
                },
            )),
        }
    }

    /// `[code]` (or `[name]` when `names` is true) of an option.
    fn option_code(&mut self, names: bool) -> Result<u16, ParseError> {
        self.expect(Keyword::LBracket)?;
        let tok = self.peek();
        let code = match tok.kind {
            TokenKind::Integer(text) => {
                let max = self.ctx.max_option_code();
                match text.parse::<i64>() {
                    Ok(v) if (0..=i64::from(max)).contains(&v) => u16::try_from(v).unwrap_or(max),
                    _ => {
                        return Err(self.error(
                            tok.span,
                            ParseErrorKind::OptionCode {
                                value: text.to_owned(),
                                max,
                            },
                        ));
                    }
                }
            }
            TokenKind::OptionName(name) if names => {
                self.ctx.option_code_by_name(name).ok_or_else(|| {
                    self.error(
                        tok.span,
                        ParseErrorKind::OptionNotDefined {
                            name: name.to_owned(),
                        },
                    )
                })?
            }
            _ => {
                let expected: &[&str] = if names {
                    &["integer", "option name"]
                } else {
                    &["integer"]
                };
                return Err(self.unexpected(expected));
            }
        };
        self.bump();
        self.expect(Keyword::RBracket)?;
        Ok(code)
    }

    /// `.hex`/`.text` (`Some`) or `.exists` (`None`, only where a boolean may stand).
    fn repr(&mut self, want: Want) -> Result<Option<Repr>, ParseError> {
        let r = match self.peek().kind {
            TokenKind::Kw(Keyword::Hex) => Some(Repr::Hex),
            TokenKind::Kw(Keyword::Text) => Some(Repr::Text),
            TokenKind::Kw(Keyword::Exists) if want == Want::Any => None,
            _ => {
                let expected: &[&str] = match want {
                    Want::Any => &["text", "hex", "exists"],
                    Want::Str => &["text", "hex"],
                };
                return Err(self.unexpected(expected));
            }
        };
        self.bump();
        Ok(r)
    }

    /// Like [`Self::repr`] right after `option[code].`, where `option` may also follow.
    fn repr_or_option(&mut self, want: Want) -> Result<Option<Repr>, ParseError> {
        match self.peek().kind {
            TokenKind::Kw(Keyword::Hex | Keyword::Text) => self.repr(want),
            TokenKind::Kw(Keyword::Exists) if want == Want::Any => self.repr(want),
            _ => Err(self.unexpected(match want {
                Want::Any => &["option", "text", "hex", "exists"],
                Want::Str => &["option", "text", "hex"],
            })),
        }
    }

    /// `relay6[nest].option[code].repr` or `relay6[nest].peeraddr|linkaddr`.
    fn relay6(&mut self, want: Want, first: usize) -> Result<Typed, ParseError> {
        let relay_span = self.toks[first].span;
        self.expect(Keyword::LBracket)?;
        let tok = self.peek();
        let TokenKind::Integer(text) = tok.kind else {
            return Err(self.unexpected(&["integer"]));
        };
        if self.ctx.universe == Universe::V4 {
            return Err(self.error(tok.span, ParseErrorKind::NestLevelInV4));
        }
        let nest = match text.parse::<i64>() {
            Ok(v) if (-HOP_COUNT_LIMIT..HOP_COUNT_LIMIT).contains(&v) => {
                i8::try_from(v).unwrap_or(0)
            }
            _ => {
                return Err(self.error(
                    tok.span,
                    ParseErrorKind::NestLevel {
                        value: text.to_owned(),
                    },
                ));
            }
        };
        self.bump();
        self.expect(Keyword::RBracket)?;
        self.expect(Keyword::Dot)?;
        let e = match self.peek().kind {
            TokenKind::Kw(Keyword::PeerAddr) => {
                self.bump();
                Node::Str(StrExpr::Relay6Field {
                    nest,
                    field: Relay6Field::PeerAddr,
                })
            }
            TokenKind::Kw(Keyword::LinkAddr) => {
                self.bump();
                Node::Str(StrExpr::Relay6Field {
                    nest,
                    field: Relay6Field::LinkAddr,
                })
            }
            TokenKind::Kw(Keyword::Option) => {
                self.bump();
                let code = self.option_code(false)?;
                self.expect(Keyword::Dot)?;
                match self.repr(want)? {
                    Some(repr) => Node::Str(StrExpr::Relay6Option { nest, code, repr }),
                    None => Node::Bool(BoolExpr::Relay6OptionExists { nest, code }),
                }
            }
            _ => return Err(self.unexpected(&["option", "peeraddr", "linkaddr"])),
        };
        self.only_in(Universe::V6, "relay6", relay_span)?;
        Ok(self.leaf(e, first))
    }

    /// `[id]` of `vendor`/`vendor-class`: an integer or `*` (both `*` and 0 mean any).
    fn enterprise(&mut self) -> Result<u32, ParseError> {
        self.expect(Keyword::LBracket)?;
        let tok = self.peek();
        let id = match tok.kind {
            TokenKind::Kw(Keyword::Any) => 0,
            TokenKind::Integer(text) => {
                let v = self.uint(text, tok.span, u64::from(u32::MAX))?;
                u32::try_from(v).unwrap_or(u32::MAX)
            }
            _ => return Err(self.unexpected(&["integer", "*"])),
        };
        self.bump();
        self.expect(Keyword::RBracket)?;
        Ok(id)
    }

    /// `vendor.enterprise`, `vendor[id].exists`, `vendor[id].option[code].repr`.
    fn vendor(&mut self, want: Want, first: usize) -> Result<Typed, ParseError> {
        if self.peek().kind == TokenKind::Kw(Keyword::Dot) {
            self.bump();
            self.expect(Keyword::Enterprise)?;
            return self.str_leaf(StrExpr::VendorEnterprise, first);
        }
        if self.peek().kind != TokenKind::Kw(Keyword::LBracket) {
            return Err(self.unexpected(&["[", "."]));
        }
        let enterprise = self.enterprise()?;
        self.expect(Keyword::Dot)?;
        match self.peek().kind {
            TokenKind::Kw(Keyword::Exists) if want == Want::Any => {
                self.bump();
                self.bool_leaf(BoolExpr::VendorExists { enterprise }, first)
            }
            TokenKind::Kw(Keyword::Option) => {
                self.bump();
                let code = self.option_code(false)?;
                self.expect(Keyword::Dot)?;
                match self.repr(want)? {
                    Some(repr) => self.str_leaf(
                        StrExpr::VendorOption {
                            enterprise,
                            code,
                            repr,
                        },
                        first,
                    ),
                    None => {
                        self.bool_leaf(BoolExpr::VendorOptionExists { enterprise, code }, first)
                    }
                }
            }
            _ => Err(self.unexpected(match want {
                Want::Any => &["option", "exists"],
                Want::Str => &["option"],
            })),
        }
    }

    /// `vendor-class.enterprise`, `vendor-class[id].exists|data|data[i]`.
    fn vendor_class(&mut self, first: usize) -> Result<Typed, ParseError> {
        if self.peek().kind == TokenKind::Kw(Keyword::Dot) {
            self.bump();
            self.expect(Keyword::Enterprise)?;
            return self.str_leaf(StrExpr::VendorClassEnterprise, first);
        }
        if self.peek().kind != TokenKind::Kw(Keyword::LBracket) {
            return Err(self.unexpected(&["[", "."]));
        }
        let enterprise = self.enterprise()?;
        self.expect(Keyword::Dot)?;
        match self.peek().kind {
            TokenKind::Kw(Keyword::Exists) => {
                self.bump();
                self.bool_leaf(BoolExpr::VendorClassExists { enterprise }, first)
            }
            TokenKind::Kw(Keyword::Data) => {
                self.bump();
                let mut index = 0;
                if self.peek().kind == TokenKind::Kw(Keyword::LBracket) {
                    self.bump();
                    let tok = self.peek();
                    let TokenKind::Integer(text) = tok.kind else {
                        return Err(self.unexpected(&["integer"]));
                    };
                    let v = self.uint(text, tok.span, u64::from(u8::MAX))?;
                    index = u8::try_from(v).unwrap_or(u8::MAX);
                    self.bump();
                    self.expect(Keyword::RBracket)?;
                }
                self.str_leaf(StrExpr::VendorClassData { enterprise, index }, first)
            }
            _ => Err(self.unexpected(&["exists", "data"])),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    fn err4(text: &str) -> String {
        match parse(text, &ParseContext::v4(), true) {
            Ok(_) => panic!("{text} parsed"),
            Err(e) => e.to_string(),
        }
    }

    fn err6(text: &str) -> String {
        match parse(text, &ParseContext::v6(), true) {
            Ok(_) => panic!("{text} parsed"),
            Err(e) => e.to_string(),
        }
    }

    fn bool4(text: &str) -> BoolExpr {
        match parse(text, &ParseContext::v4(), true) {
            Ok(Parsed {
                root: Node::Bool(b),
                ..
            }) => b,
            Ok(_) => panic!("{text}: not boolean"),
            Err(e) => panic!("{text}: {e}"),
        }
    }

    fn lit(s: &[u8]) -> Box<StrExpr> {
        Box::new(StrExpr::Literal(s.to_vec()))
    }

    /// Messages and positions as Kea 2.2's `kea-dhcp4 -t` prints them for these tests.
    #[test]
    fn errors_match_kea_2_2() {
        let cases = [
            ("'a' = 'b'", "<string>:1.5: Invalid character: ="),
            (
                "option[foo].hex == 'a'",
                "<string>:1.8-10: option 'foo' is not defined",
            ),
            (
                "option[300].hex == 'a'",
                "<string>:1.8-10: Option code has invalid value in 300. Allowed range: 0..255",
            ),
            (
                "substring('abc',0,'all') == 'a'",
                "<string>:1.19-23: syntax error, unexpected constant string, expecting all or integer",
            ),
            (
                "pkt4.mac == 0x01 and",
                "<string>:1.21: syntax error, unexpected end of file",
            ),
            ("'abc", "<string>:1.1: Invalid character: '"),
            (
                "10.0.0.256 == 'a'",
                "<string>:1.1-10: Failed to convert 10.0.0.256 to an IP address.",
            ),
            (
                "option[12].hex",
                "<string>:1.15: syntax error, unexpected end of file, expecting == or +",
            ),
            (
                "int8totext(-1) == 'a'",
                "<string>:1.12-13: Invalid value in -1. Allowed range: 0..4294967295",
            ),
            (
                "substring('abc',0,3",
                "<string>:1.20: syntax error, unexpected end of file, expecting )",
            ),
            (
                "('a' == 'b'",
                "<string>:1.12: syntax error, unexpected end of file, expecting ) or and or or",
            ),
            (
                "'a' == 'b')",
                "<string>:1.11: syntax error, unexpected ), expecting end of file",
            ),
            (
                "vendor[70000000000].exists",
                "<string>:1.8-18: Invalid value in 70000000000. Allowed range: 0..4294967295",
            ),
            (
                "split('a.b', '.', 'x') == 'a'",
                "<string>:1.19-21: syntax error, unexpected constant string, expecting integer",
            ),
            (
                "option[12].exists == 'true'",
                "<string>:1.19-20: syntax error, unexpected ==, expecting end of file",
            ),
            (
                "'a' == option[12].exists",
                "<string>:1.19-24: syntax error, unexpected exists, expecting option or text or hex",
            ),
            (
                "pkt6.msgtype == 1",
                "<string>:1.1-4: pkt6 can only be used in DHCPv6.",
            ),
            ("0x == 'a'", "<string>:1.2: Invalid character: x"),
            (
                "1.2.3 == 'a'",
                "<string>:1.2: syntax error, unexpected ., expecting == or +",
            ),
            (
                "option[12].foo == 'x'",
                "<string>:1.12: Invalid character: f",
            ),
            (
                "concat('a') == 'a'",
                "<string>:1.11: syntax error, unexpected ), expecting \",\" or +",
            ),
            (
                "'a' == 'b' == 'c'",
                "<string>:1.12-13: syntax error, unexpected ==, expecting end of file",
            ),
            (
                "vendor-class[1].data[70000] == 'a'",
                "<string>:1.22-26: Invalid value in 70000. Allowed range: 0..255",
            ),
            (
                "option[82].option[circuit-id].hex == 'a'",
                "<string>:1.19-28: syntax error, unexpected option name, expecting integer",
            ),
            (
                "relay4[circuit-id].hex == 'a'",
                "<string>:1.8-17: syntax error, unexpected option name, expecting integer",
            ),
            (
                "option[-1].hex == 'a'",
                "<string>:1.8-9: Option code has invalid value in -1. Allowed range: 0..255",
            ),
            (
                "vendor[*].enterprise == 1",
                "<string>:1.11-20: syntax error, unexpected enterprise, expecting option or exists",
            ),
            (
                "member('a') or",
                "<string>:1.15: syntax error, unexpected end of file",
            ),
            ("not", "<string>:1.4: syntax error, unexpected end of file"),
            ("", "<string>:1.1: syntax error, unexpected end of file"),
            (
                "ifelse('a', 'b', 'c') == 'x'",
                "<string>:1.11: syntax error, unexpected \",\", expecting == or +",
            ),
            ("pkt4.foo == 'x'", "<string>:1.6: Invalid character: f"),
            (
                "option[12].hex == 0x01 +",
                "<string>:1.25: syntax error, unexpected end of file",
            ),
            (
                "relay6[0].peeraddr == ::1",
                "<string>:1.8: Nest level invalid for DHCPv4 packets",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(err4(text), want, "{text}");
        }
    }

    #[test]
    fn v6_errors_match_kea_2_2() {
        let cases = [
            (
                "relay6[40].peeraddr == ::1",
                "<string>:1.8-9: Nest level has invalid value in 40. Allowed range: -32..31",
            ),
            (
                "relay6[-40].peeraddr == ::1",
                "<string>:1.8-10: Nest level has invalid value in -40. Allowed range: -32..31",
            ),
            (
                "relay6[0].option[70000].exists",
                "<string>:1.18-22: Option code has invalid value in 70000. Allowed range: 0..65535",
            ),
            (
                "relay4[1].exists",
                "<string>:1.1-6: relay4 can only be used in DHCPv4.",
            ),
            (
                "pkt4.mac == 0x00",
                "<string>:1.1-4: pkt4 can only be used in DHCPv4.",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(err6(text), want, "{text}");
        }
        assert!(parse("relay6[-1].linkaddr == ::1", &ParseContext::v6(), true).is_ok());
        assert!(parse("relay6[31].option[70].exists", &ParseContext::v6(), true).is_ok());
        assert!(parse("pkt6.transid == 1", &ParseContext::v6(), true).is_ok());
    }

    #[test]
    fn accepted_by_kea_2_2() {
        for text in [
            "'a' == 'b'",
            "substring('abc',0,all) == 'a'",
            "'a' + 'b' == 'ab'",
            "vendor[*].exists",
            "substring('abc',-1,-2) == 'a'",
            "member('a') and not member('ALL') or member('KNOWN')",
            "option[12].option[1].text == 'a'",
            "vendor-class[4491].data[2] == 'a'",
            "vendor-class.enterprise == 4491",
            "vendor[4491].option[1].text == 'a'",
            "split('a.b', '.', 2) == 'a'",
            "split('a','.',-1) == 'a'",
            "split('a','.',99999999999) == 'a'",
            "substring('a', 99999999999, 1) == 'a'",
            "ifelse(member('a'), 'x', 'y') == 'x'",
            "hexstring(pkt4.mac, ':') == 'a'",
            "option[host-name].text == 'a'",
            "option[ host-name ].text == 'a'",
            "relay4[1].text == 'a'",
            "0xabc == 'a'",
            "2001:db8::1 == 'a'",
            "::ffff:1.2.3.4 == 'a'",
            "option [12] . hex == 'x'",
            "pkt.iface == 'lo' and pkt4.htype == 1",
            "'a' + 3 == 'x'",
            "substring(option[12].hex, 0, 3) == 'x' + 'y'",
            "(('a' == 'b'))",
            "('a') == 'b'",
            "vendor.enterprise == 1",
        ] {
            if let Err(e) = parse(text, &ParseContext::v4(), true) {
                panic!("{text}: {e}");
            }
        }
    }

    #[test]
    fn precedence_and_associativity() {
        let m = |n: &str| Box::new(BoolExpr::Member(n.to_owned()));
        // "A and B or C" means "(A and B) or C"; not binds tighter than and.
        assert_eq!(
            bool4("member('a') and not member('b') or member('c')"),
            BoolExpr::Or(
                Box::new(BoolExpr::And(m("a"), Box::new(BoolExpr::Not(m("b"))))),
                m("c")
            )
        );
        assert_eq!(
            bool4("member('a') or member('b') and member('c')"),
            BoolExpr::Or(m("a"), Box::new(BoolExpr::And(m("b"), m("c"))))
        );
        // not applies to the whole comparison
        assert_eq!(
            bool4("not 'a' == 'b'"),
            BoolExpr::Not(Box::new(BoolExpr::Equal(lit(b"a"), lit(b"b"))))
        );
        // + is left-associative and binds tighter than ==
        assert_eq!(
            bool4("'a' + 'b' + 'c' == 'abc'"),
            BoolExpr::Equal(
                Box::new(StrExpr::Concat(
                    Box::new(StrExpr::Concat(lit(b"a"), lit(b"b"))),
                    lit(b"c")
                )),
                lit(b"abc")
            )
        );
    }

    #[test]
    fn literals_are_converted_once() {
        assert_eq!(
            bool4("0x5a7d == 10.0.0.1"),
            BoolExpr::Equal(lit(b"Z}"), lit(&[10, 0, 0, 1]))
        );
        assert_eq!(
            bool4("0xabc == 123"),
            BoolExpr::Equal(lit(&[0x0a, 0xbc]), lit(&[0, 0, 0, 123]))
        );
        assert_eq!(
            bool4("option[host-name].exists"),
            BoolExpr::OptionExists { code: 12 }
        );
        assert_eq!(
            bool4("vendor[*].exists"),
            BoolExpr::VendorExists { enterprise: 0 }
        );
        assert_eq!(bool4("unknown"), BoolExpr::Not(m_known()));
    }

    fn m_known() -> Box<BoolExpr> {
        Box::new(BoolExpr::Member("KNOWN".to_owned()))
    }

    #[test]
    fn custom_option_names() {
        let lookup = |name: &str| (name == "my-opt").then_some(222u16);
        let ctx = ParseContext::v4().with_option_names(&lookup);
        assert!(parse("option[my-opt].exists", &ctx, true).is_ok());
        let e = parse("option[host-name].exists", &ctx, true).err().unwrap();
        assert_eq!(
            e.to_string(),
            "<string>:1.8-16: option 'host-name' is not defined"
        );
        // DHCPv6 codes go up to 65535, names come from the dhcp6 space
        assert!(parse("option[1000].exists", &ParseContext::v6(), true).is_ok());
        assert!(parse("option[dns-servers].exists", &ParseContext::v6(), true).is_ok());
        assert!(parse("option[host-name].exists", &ParseContext::v6(), true).is_err());
    }

    #[test]
    fn string_expressions() {
        let ok = |t: &str| parse(t, &ParseContext::v4(), false).is_ok();
        assert!(ok("substring(option[61].hex,0,3)"));
        assert!(ok("'a' + 'b'"));
        assert!(ok("ifelse(option[61].exists, 'a', 'b')"));
        let e = parse("member('a')", &ParseContext::v4(), false)
            .err()
            .unwrap();
        assert_eq!(
            e.to_string(),
            "<string>:1.1-6: syntax error, unexpected member"
        );
        let e = parse("'a' 'b'", &ParseContext::v4(), false).err().unwrap();
        assert_eq!(
            e.to_string(),
            "<string>:1.5-7: syntax error, unexpected constant string, expecting end of file or +"
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!("{}'a'{} == 'a'", "(".repeat(5000), ")".repeat(5000));
        assert!(matches!(
            parse(&deep, &ParseContext::v4(), true).err().unwrap().kind,
            ParseErrorKind::TooDeep { .. }
        ));
        let long = format!("'a'{} == 'a'", " + 'a'".repeat(5000));
        assert!(matches!(
            parse(&long, &ParseContext::v4(), true).err().unwrap().kind,
            ParseErrorKind::TooDeep { .. }
        ));
        let nots = format!("{}member('a')", "not ".repeat(5000));
        assert!(parse(&nots, &ParseContext::v4(), true).is_err());
        let ok = format!("'a'{} == 'a'", " + 'a'".repeat(MAX_DEPTH - 2));
        assert!(parse(&ok, &ParseContext::v4(), true).is_ok());
    }
}
