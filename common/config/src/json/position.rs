//! Source positions of parsed JSON elements.

use std::fmt;
use std::sync::Arc;

/// Where an element starts: file name, 1-based line and 1-based byte column.
///
/// Displays as `file:line:col`, the form Kea uses for element positions
/// (`(kea.conf:12:5)`); syntax errors use [`Position::bison`] (`kea.conf:12.5`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Position {
    /// The file name as given to the parser (or the include directive).
    pub file: Arc<str>,
    /// Line, starting at 1.
    pub line: u32,
    /// Column in bytes, starting at 1.
    pub col: u32,
}

impl Position {
    /// Builds a position.
    pub fn new(file: impl Into<Arc<str>>, line: u32, col: u32) -> Self {
        Self {
            file: file.into(),
            line,
            col,
        }
    }

    /// A position for elements that did not come from text (`<default>:0:0`).
    pub fn synthetic() -> Self {
        Self::new("<default>", 0, 0)
    }

    /// The `file:line.col` form Kea's parsers use in syntax errors.
    pub fn bison(&self) -> impl fmt::Display + '_ {
        BisonPos(self)
    }
}

impl Default for Position {
    fn default() -> Self {
        Self::synthetic()
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.col)
    }
}

struct BisonPos<'a>(&'a Position);

impl fmt::Display for BisonPos<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}.{}", self.0.file, self.0.line, self.0.col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_like_kea() {
        let p = Position::new("kea.conf", 8, 5);
        assert_eq!(p.to_string(), "kea.conf:8:5");
        assert_eq!(p.bison().to_string(), "kea.conf:8.5");
    }
}
