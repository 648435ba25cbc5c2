//! Recursive-descent parser over the [`Lexer`] tokens, building positioned [`Element`]s.

use super::lexer::{Lexer, Tok};
use super::{Element, JsonError, JsonWarning, Location, MapEntry, Value};

/// Lists and maps nested deeper than this are refused (protects the stack).
const MAX_NESTING: usize = 256;

struct Parser {
    lexer: Lexer,
    peeked: Option<(Tok, Location)>,
    warnings: Vec<JsonWarning>,
    depth: usize,
}

/// Parses one complete document.
pub(super) fn parse(bytes: Vec<u8>, file: &str) -> Result<(Element, Vec<JsonWarning>), JsonError> {
    let mut p = Parser {
        lexer: Lexer::new(bytes, file),
        peeked: None,
        warnings: Vec::new(),
        depth: 0,
    };
    let root = p.value()?;
    let (tok, at) = p.next()?;
    if tok != Tok::Eof {
        return Err(syntax(&tok, at, Some("end of file")));
    }
    Ok((root, p.warnings))
}

fn syntax(tok: &Tok, at: Location, expecting: Option<&str>) -> JsonError {
    JsonError::Syntax {
        at,
        found: tok.kea_name().to_string(),
        expecting: expecting.map(str::to_string),
    }
}

impl Parser {
    fn next(&mut self) -> Result<(Tok, Location), JsonError> {
        match self.peeked.take() {
            Some(t) => Ok(t),
            None => self.lexer.next_token(),
        }
    }

    fn peek(&mut self) -> Result<&Tok, JsonError> {
        if self.peeked.is_none() {
            self.peeked = Some(self.lexer.next_token()?);
        }
        match &self.peeked {
            Some((tok, _)) => Ok(tok),
            None => Ok(&Tok::Eof),
        }
    }

    fn value(&mut self) -> Result<Element, JsonError> {
        let (tok, at) = self.next()?;
        let value = match tok {
            Tok::Null => Value::Null,
            Tok::Bool(b) => Value::Bool(b),
            Tok::Int(i) => Value::Int(i),
            Tok::Float(f) => Value::Float(f),
            Tok::Str(s) => Value::String(s),
            Tok::LBracket => {
                self.enter(&at)?;
                let items = self.list_items()?;
                self.depth -= 1;
                Value::List(items)
            }
            Tok::LBrace => {
                self.enter(&at)?;
                let entries = self.map_entries()?;
                self.depth -= 1;
                Value::Map(entries)
            }
            other => return Err(syntax(&other, at, Some("a value"))),
        };
        Ok(Element::new(at.pos, value))
    }

    fn enter(&mut self, at: &Location) -> Result<(), JsonError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(JsonError::TooDeep {
                at: at.clone(),
                max: MAX_NESTING,
            });
        }
        Ok(())
    }

    /// After a comma: swallows further commas (each one a warning) and reports whether the
    /// closing token follows, in which case the last comma was extraneous too.
    fn after_comma(&mut self, comma: Location, close: &Tok) -> Result<bool, JsonError> {
        let mut last = comma;
        while *self.peek()? == Tok::Comma {
            self.warnings
                .push(JsonWarning::ExtraneousComma { at: last.clone() });
            let (_, at) = self.next()?;
            last = at;
        }
        if self.peek()? == close {
            self.warnings
                .push(JsonWarning::ExtraneousComma { at: last });
            return Ok(true);
        }
        Ok(false)
    }

    fn list_items(&mut self) -> Result<Vec<Element>, JsonError> {
        let mut items = Vec::new();
        if *self.peek()? == Tok::RBracket {
            self.next()?;
            return Ok(items);
        }
        loop {
            items.push(self.value()?);
            let (tok, at) = self.next()?;
            match tok {
                Tok::RBracket => return Ok(items),
                Tok::Comma => {
                    if self.after_comma(at, &Tok::RBracket)? {
                        self.next()?;
                        return Ok(items);
                    }
                }
                other => return Err(syntax(&other, at, Some("\",\" or ]"))),
            }
        }
    }

    fn map_entries(&mut self) -> Result<Vec<MapEntry>, JsonError> {
        let mut entries: Vec<MapEntry> = Vec::new();
        if *self.peek()? == Tok::RBrace {
            self.next()?;
            return Ok(entries);
        }
        loop {
            let (tok, key_at) = self.next()?;
            let Tok::Str(key) = tok else {
                return Err(syntax(&tok, key_at, Some("constant string")));
            };
            let (tok, at) = self.next()?;
            if tok != Tok::Colon {
                return Err(syntax(&tok, at, Some("\":\"")));
            }
            let value = self.value()?;
            if let Some(prev) = entries.iter().find(|e| e.key == key) {
                return Err(JsonError::DuplicateKey {
                    at: key_at.pos,
                    key,
                    previous: prev.value.pos.clone(),
                });
            }
            entries.push(MapEntry {
                key,
                key_pos: key_at.pos,
                value,
            });
            let (tok, at) = self.next()?;
            match tok {
                Tok::RBrace => return Ok(entries),
                Tok::Comma => {
                    if self.after_comma(at, &Tok::RBrace)? {
                        self.next()?;
                        return Ok(entries);
                    }
                }
                other => return Err(syntax(&other, at, Some("\",\" or }"))),
            }
        }
    }
}
