//! kea-eval: Kea's client classification expression language. An expression is parsed once
//! (at config time) into an [`Expression`] and then evaluated on each packet, to a boolean
//! (`test`) or a string (`template-test`, flex-option, flex-id, ddns-tuning).
//!
//! - [`lexer`]: tokens with Kea's longest-match rules.
//! - [`parser`]: recursive descent with Kea's precedence, checks and wording.
//! - [`ast`]: the typed tree.
//! - [`packet`]: the [`Packet`] trait the evaluator reads and [`Pkt4View`], the DHCPv4 one.
//! - [`classes`]: built-in class names and [`ClassSet`].
//! - [`error`]: [`ParseError`] (`<string>:1.8-10: ...`) and [`EvalError`].
//!
//! Must not: do I/O, or allocate per evaluation where a borrowed slice will do.
//!
//! ARM: `classify.rst` (the whole of "Using Expressions in Classification").

pub mod ast;
pub mod classes;
pub mod error;
mod eval;
pub mod lexer;
mod optext;
pub mod packet;
pub mod parser;
pub mod pkt6view;

use std::borrow::Cow;

pub use classes::{ClassSet, is_builtin_class};
pub use error::{EvalError, Location, ParseError, ParseErrorKind, Span};
pub use kea_dhcp::optdef::Universe;
pub use packet::{Packet, Pkt4View};
pub use parser::ParseContext;
pub use pkt6view::Pkt6View;

use ast::{BoolExpr, StrExpr};
use eval::Evaluator;
use parser::{ClassRef, Node};

/// A parsed expression, ready to evaluate any number of times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expression {
    text: String,
    root: Root,
    members: Vec<ClassRef>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Root {
    Bool(BoolExpr),
    Str(StrExpr),
}

impl Expression {
    /// Parses a boolean expression (a class `test`).
    pub fn parse_bool(text: &str, ctx: &ParseContext<'_>) -> Result<Self, ParseError> {
        Self::parse(text, ctx, true)
    }

    /// Parses a string expression (`template-test`, flex-option `add`/`supersede`, ...).
    pub fn parse_string(text: &str, ctx: &ParseContext<'_>) -> Result<Self, ParseError> {
        Self::parse(text, ctx, false)
    }

    fn parse(text: &str, ctx: &ParseContext<'_>, want_bool: bool) -> Result<Self, ParseError> {
        let parsed = parser::parse(text, ctx, want_bool)?;
        let root = match parsed.root {
            Node::Bool(b) => Root::Bool(b),
            Node::Str(s) => Root::Str(s),
        };
        Ok(Self {
            text: text.to_owned(),
            root,
            members: parsed.members,
        })
    }

    /// The expression as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// True for a boolean expression ([`Self::parse_bool`]).
    pub fn is_bool(&self) -> bool {
        matches!(self.root, Root::Bool(_))
    }

    /// The boolean tree, for a boolean expression.
    pub fn bool_tree(&self) -> Option<&BoolExpr> {
        match &self.root {
            Root::Bool(b) => Some(b),
            Root::Str(_) => None,
        }
    }

    /// The string tree, for a string expression.
    pub fn str_tree(&self) -> Option<&StrExpr> {
        match &self.root {
            Root::Str(s) => Some(s),
            Root::Bool(_) => None,
        }
    }

    /// The classes named by `member()` (and `KNOWN` for `known`/`unknown`), in order of
    /// appearance, without repeats.
    pub fn dependencies(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for m in &self.members {
            if !out.contains(&m.name) {
                out.push(m.name.clone());
            }
        }
        out
    }

    /// True when the expression names `KNOWN` or `UNKNOWN` itself (its evaluation waits for
    /// the host reservation lookup). Dependencies through other classes are the caller's to
    /// follow with [`Self::dependencies`].
    pub fn depends_on_known(&self) -> bool {
        self.members
            .iter()
            .any(|m| m.name == classes::KNOWN || m.name == classes::UNKNOWN)
    }

    /// Checks that every class named is built in or satisfies `is_defined` (for a class
    /// `test`: defined earlier in `client-classes`). The error is Kea's, at the class name.
    pub fn check_dependencies(&self, is_defined: impl Fn(&str) -> bool) -> Result<(), ParseError> {
        for m in &self.members {
            if !is_builtin_class(&m.name) && !is_defined(&m.name) {
                return Err(ParseError::new(
                    &self.text,
                    m.span,
                    ParseErrorKind::UndefinedClass {
                        name: m.name.clone(),
                    },
                ));
            }
        }
        Ok(())
    }

    /// Evaluates a boolean expression. A string expression is true when its value is
    /// exactly `true` (Kea's rule for a string on top of the stack).
    pub fn evaluate_bool<P, C>(&self, pkt: &P, classes: &C) -> Result<bool, EvalError>
    where
        P: Packet + ?Sized,
        C: ClassSet + ?Sized,
    {
        let ev = Evaluator { pkt, classes };
        match &self.root {
            Root::Bool(b) => ev.eval_bool(b),
            Root::Str(s) => Ok(ev.eval_str(s)?.as_bytes() == b"true"),
        }
    }

    /// Evaluates to octets: a string expression's value, or `true`/`false` for a boolean
    /// one. Borrowed from the packet or the expression when possible.
    pub fn evaluate_string<'a, P, C>(
        &'a self,
        pkt: &'a P,
        classes: &'a C,
    ) -> Result<Cow<'a, [u8]>, EvalError>
    where
        P: Packet + ?Sized,
        C: ClassSet + ?Sized,
    {
        let ev = Evaluator { pkt, classes };
        match &self.root {
            Root::Str(s) => Ok(ev.eval_str(s)?.into_cow()),
            Root::Bool(b) => Ok(Cow::Borrowed(if ev.eval_bool(b)? {
                b"true"
            } else {
                b"false"
            })),
        }
    }
}
