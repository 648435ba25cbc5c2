//! Kea's JSON dialect: the text format of every Kea configuration file.
//!
//! Implements `shared/spec/kea-arm/config.rst`, "JSON Syntax" and "Comments and User
//! Context": plain JSON extended with `#`, `//` and `/* */` comments, textual
//! `<?include "file"?>` directives, numbers such as `.5` or `5.`, and extraneous commas
//! (accepted with a warning, as Kea 2.2 does). Duplicate keys in a map are an error, as in
//! Kea 2.2. Every parsed [`Element`] keeps the [`Position`] it came from, so that later
//! stages can report `file:line:col`.
//!
//! This module knows nothing about DHCP; the typed models live elsewhere in the crate.

mod convert;
mod error;
mod lexer;
mod parser;
mod position;
mod pretty;

use std::path::Path;

pub use convert::from_value;
pub use error::{JsonError, JsonWarning, Location};
pub use position::Position;
pub use pretty::{to_kea_pretty, value_to_kea_pretty};

/// The maximum depth of nested `<?include?>` directives, as in Kea.
pub const MAX_INCLUDE_DEPTH: usize = 10;

/// One JSON value together with the position of its first character.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    /// Where the value starts (for maps and lists: the opening bracket).
    pub pos: Position,
    /// The value itself.
    pub value: Value,
}

/// The data of an [`Element`].
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer literal (no fraction, no exponent) that fits in 64 bits.
    Int(i64),
    /// A number with a fraction or an exponent.
    Float(f64),
    /// A string, escapes resolved.
    String(String),
    /// A list.
    List(Vec<Element>),
    /// A map; entries keep the order of the text.
    Map(Vec<MapEntry>),
}

/// One `"key": value` pair of a map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapEntry {
    /// The key, escapes resolved.
    pub key: String,
    /// Where the key's opening quote is.
    pub key_pos: Position,
    /// The value.
    pub value: Element,
}

impl Element {
    /// Builds an element from its parts.
    pub fn new(pos: Position, value: Value) -> Self {
        Self { pos, value }
    }

    /// Where this element starts.
    pub fn pos(&self) -> &Position {
        &self.pos
    }

    /// The value of `key` when this element is a map holding that key.
    pub fn get(&self, key: &str) -> Option<&Element> {
        self.entry(key).map(|e| &e.value)
    }

    /// The whole entry (key position included) of `key` when this element is a map.
    pub fn entry(&self, key: &str) -> Option<&MapEntry> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    /// The `index`th item when this element is a list.
    pub fn item(&self, index: usize) -> Option<&Element> {
        match &self.value {
            Value::List(items) => items.get(index),
            _ => None,
        }
    }

    /// The map entries, or `None` when this element is not a map.
    pub fn as_map(&self) -> Option<&[MapEntry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The list items, or `None` when this element is not a list.
    pub fn as_list(&self) -> Option<&[Element]> {
        match &self.value {
            Value::List(items) => Some(items),
            _ => None,
        }
    }

    /// The string, or `None` when this element is not a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Kea's name for the kind of this element, as used in its syntax errors
    /// (`constant string`, `integer`, `floating point`, `boolean`, `null`, `{`, `[`).
    pub fn kind_name(&self) -> &'static str {
        self.value.kind_name()
    }

    /// Converts to a `serde_json::Value` (positions dropped, map order kept).
    pub fn to_value(&self) -> serde_json::Value {
        convert::to_value(self)
    }

    /// Pretty-prints this element in the layout Kea uses for `config-write`.
    pub fn to_kea_pretty(&self) -> String {
        to_kea_pretty(self)
    }
}

impl Value {
    /// Kea's name for this kind of value, as used in its syntax errors.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Bool(_) => "boolean",
            Self::Int(_) => "integer",
            Self::Float(_) => "floating point",
            Self::String(_) => "constant string",
            Self::List(_) => "[",
            Self::Map(_) => "{",
        }
    }
}

/// Parses a whole document, logging each warning (extraneous commas) through `tracing`.
///
/// `file` names the text in positions (Kea uses the path given on the command line).
/// Include directives are resolved relative to the current working directory, as in Kea.
pub fn parse_str(text: &str, file: &str) -> Result<Element, JsonError> {
    let (root, warnings) = parse_str_with_warnings(text, file)?;
    log_warnings(&warnings);
    Ok(root)
}

/// Reads and parses a file, logging each warning through `tracing`.
pub fn parse_file(path: &Path) -> Result<Element, JsonError> {
    let (root, warnings) = parse_file_with_warnings(path)?;
    log_warnings(&warnings);
    Ok(root)
}

/// Like [`parse_str`], but hands the warnings back instead of logging them.
pub fn parse_str_with_warnings(
    text: &str,
    file: &str,
) -> Result<(Element, Vec<JsonWarning>), JsonError> {
    parser::parse(text.as_bytes().to_vec(), file)
}

/// Like [`parse_file`], but hands the warnings back instead of logging them.
pub fn parse_file_with_warnings(path: &Path) -> Result<(Element, Vec<JsonWarning>), JsonError> {
    let name = path.to_string_lossy();
    let bytes = std::fs::read(path).map_err(|source| JsonError::Open {
        path: name.to_string(),
        source,
    })?;
    parser::parse(bytes, &name)
}

fn log_warnings(warnings: &[JsonWarning]) {
    for w in warnings {
        tracing::warn!(target: "kea-config", msgid = "CONFIG_SYNTAX_WARNING",
            "configuration syntax warning: {w}");
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed test
mod tests {
    use super::*;

    fn parse(text: &str) -> Element {
        parse_str(text, "t.json").unwrap()
    }

    fn err(text: &str) -> String {
        parse_str(text, "t.json").unwrap_err().to_string()
    }

    #[test]
    fn comments_of_all_three_kinds() {
        let e = parse(
            "# hash\n{\n  // slashes\n  \"a\": 1, /* block\n spanning */ \"b\": \"#not // a /* comment\"\n}",
        );
        assert_eq!(e.get("a").unwrap().value, Value::Int(1));
        assert_eq!(e.get("b").unwrap().as_str(), Some("#not // a /* comment"));
        assert_eq!(e.get("b").unwrap().pos.to_string(), "t.json:5:19");
    }

    #[test]
    fn positions_are_one_based_lines_and_byte_columns() {
        let e = parse("{\"Dhcp4\": {\"subnet4\": [{\"id\": 1}]}}");
        let dhcp4 = e.get("Dhcp4").unwrap();
        assert_eq!(dhcp4.pos.to_string(), "t.json:1:11");
        let subnet = dhcp4.get("subnet4").unwrap().item(0).unwrap();
        assert_eq!(subnet.pos.to_string(), "t.json:1:24");
        assert_eq!(dhcp4.entry("subnet4").unwrap().key_pos.col, 12);
    }

    #[test]
    fn maps_keep_insertion_order() {
        let e = parse("{\"z\": 1, \"a\": 2, \"m\": 3}");
        let keys: Vec<_> = e.as_map().unwrap().iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["z", "a", "m"]);
        let v = e.to_value();
        let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["z", "a", "m"]);
    }

    #[test]
    fn numbers_as_kea_reads_them() {
        let e = parse("[.5, 5., 01, -3, 1e2, -.25, 0.875, 9223372036854775807]");
        let items: Vec<_> = e
            .as_list()
            .unwrap()
            .iter()
            .map(|i| i.value.clone())
            .collect();
        assert_eq!(
            items,
            [
                Value::Float(0.5),
                Value::Float(5.0),
                Value::Int(1),
                Value::Int(-3),
                Value::Float(100.0),
                Value::Float(-0.25),
                Value::Float(0.875),
                Value::Int(i64::MAX),
            ]
        );
        assert_eq!(
            err("{\"a\": 99999999999999999999}"),
            "t.json:1.7-26: Failed to convert 99999999999999999999 to an integer."
        );
    }

    #[test]
    fn string_escapes() {
        let e = parse(
            r#"["a\"b\\c\/d\b\f\n\r\t", "\u0041\u00c3\u00a9", "\u00e9", "\u20ac\ud83d\ude00"]"#,
        );
        let s: Vec<_> = e
            .as_list()
            .unwrap()
            .iter()
            .map(|i| i.as_str().unwrap())
            .collect();
        assert_eq!(s, ["a\"b\\c/d\u{8}\u{c}\n\r\t", "Aé", "é", "€😀"]);
        assert_eq!(
            err(r#"{"a": "\q"}"#),
            r#"t.json:1.7-10: Bad escape in "\q""#
        );
        assert_eq!(
            err("{\"a\": \"x\ny\"}"),
            "t.json:1.7-11: Invalid control in \"x\ny\""
        );
    }

    #[test]
    fn extraneous_commas_are_warnings() {
        let (e, w) = parse_str_with_warnings("{\"a\": [1, 2,,], \"b\": 1,}", "t.json").unwrap();
        assert_eq!(e.get("a").unwrap().as_list().unwrap().len(), 2);
        let w: Vec<_> = w.iter().map(ToString::to_string).collect();
        assert_eq!(
            w,
            [
                "t.json:1.12: Extraneous comma. A piece of configuration may have been omitted.",
                "t.json:1.13: Extraneous comma. A piece of configuration may have been omitted.",
                "t.json:1.23: Extraneous comma. A piece of configuration may have been omitted.",
            ]
        );
    }

    #[test]
    fn duplicate_keys_are_errors() {
        assert_eq!(
            err("{\"a\": 1, \"a\": 2}"),
            "t.json:1:10: duplicate a entries in JSON map (previous at t.json:1:7)"
        );
    }

    #[test]
    fn syntax_errors_say_what_and_where() {
        assert_eq!(
            err("{\"a\": 1"),
            "t.json:1.8: syntax error, unexpected end of file, expecting \",\" or }"
        );
        assert_eq!(
            err("{\"a\": 1 \"b\": 2}"),
            "t.json:1.9-11: syntax error, unexpected constant string, expecting \",\" or }"
        );
        assert_eq!(err("{\"a\": @}"), "t.json:1.7: Invalid character: @");
        assert_eq!(err("{} x"), "t.json:1.4: Invalid character: x");
        assert_eq!(
            err("{} {}"),
            "t.json:1.4: syntax error, unexpected {, expecting end of file"
        );
        assert_eq!(
            err("{\"a\": 1 /* open"),
            "t.json:1.9-10: Comment not closed. (/* in line 1"
        );
        assert!(err("").contains("unexpected end of file"));
        assert!(err(&"[".repeat(100_000)).contains("nesting deeper"));
    }

    #[test]
    fn includes_are_textual_and_name_their_file() {
        let dir = tempfile::tempdir().unwrap();
        let inner = dir.path().join("inner.json");
        std::fs::write(&inner, "\n  \"b\": 2, \"c\": [1, 2]").unwrap();
        let outer = dir.path().join("outer.json");
        let text = format!("{{\"a\": 1,\n<?include \"{}\"?>\n}}", inner.display());
        std::fs::write(&outer, &text).unwrap();
        let e = parse_file(&outer).unwrap();
        assert_eq!(
            e.get("a").unwrap().pos.file.as_ref(),
            outer.to_str().unwrap()
        );
        let b = e.get("b").unwrap();
        assert_eq!(b.value, Value::Int(2));
        assert_eq!(b.pos.to_string(), format!("{}:2:8", inner.display()));
        assert_eq!(e.get("c").unwrap().as_list().unwrap().len(), 2);
    }

    #[test]
    fn include_errors() {
        let dir = tempfile::tempdir().unwrap();
        let looped = dir.path().join("loop.json");
        std::fs::write(&looped, format!("[<?include \"{}\"?>]", looped.display())).unwrap();
        let e = parse_file(&looped).unwrap_err();
        assert!(matches!(e, JsonError::IncludeDepth { max: 10, .. }), "{e}");
        let e = parse_str("[<?include \"/nonexistent/x.json\"?>]", "t.json").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("t.json:1.2-34: Can't open include file /nonexistent/x.json"),
            "{e}"
        );
        assert!(matches!(
            parse_str("[<?include x?>]", "t.json"),
            Err(JsonError::BadInclude { .. })
        ));
    }

    #[test]
    fn missing_file() {
        let e = parse_file(Path::new("/nonexistent/kea.conf")).unwrap_err();
        assert!(matches!(e, JsonError::Open { .. }));
    }

    #[test]
    fn from_value_round_trip() {
        let e = parse("{\"a\": [1, 2.5, null, true, \"x\", {}], \"b\": {\"c\": -1}}");
        let back = from_value(&e.to_value(), &Position::synthetic());
        assert_eq!(back.to_value(), e.to_value());
        assert_eq!(back.pos.to_string(), "<default>:0:0");
    }

    /// The layout of Kea 2.2's `config-write` for the same data (captured from kea-dhcp4).
    #[test]
    fn pretty_prints_like_kea_config_write() {
        let e = parse(
            r#"{"Dhcp4": {"user-context": {"e": {}, "a": [1, 2.5, -0.0, null, true, "x\"\n\u0001é",
                {"c": [], "b": {}}]}, "hooks-libraries": [],
                "loggers": [{"name": "kea-dhcp4", "output_options": [{"output": "stdout"}]}],
                "host-reservation-identifiers": ["hw-address", "duid"], "t1-percent": 0.5,
                "next-server": "0.0.0.0", "dhcp4o6-port": 0, "t2-percent": 100.0}}"#,
        );
        let expected = r#"{
  "Dhcp4": {
    "dhcp4o6-port": 0,
    "hooks-libraries": [ ],
    "host-reservation-identifiers": [ "hw-address", "duid" ],
    "loggers": [
      {
        "name": "kea-dhcp4",
        "output_options": [
          {
            "output": "stdout"
          }
        ]
      }
    ],
    "next-server": "0.0.0.0",
    "t1-percent": 0.5,
    "t2-percent": 100.0,
    "user-context": {
      "a": [ 1, 2.5, -0.0, null, true, "x\"\n\u0001\u00c3\u00a9", {
          "b": { },
          "c": [ ]
        } ],
      "e": { }
    }
  }
}"#;
        assert_eq!(e.to_kea_pretty(), expected);
    }

    mod round_trip {
        use super::*;
        use proptest::prelude::*;

        fn arb_json() -> impl Strategy<Value = serde_json::Value> {
            let leaf = prop_oneof![
                Just(serde_json::Value::Null),
                any::<bool>().prop_map(serde_json::Value::Bool),
                any::<i64>().prop_map(serde_json::Value::from),
                (-1e15f64..1e15).prop_map(serde_json::Value::from),
                any::<String>().prop_map(serde_json::Value::String),
            ];
            leaf.prop_recursive(4, 48, 6, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
                    prop::collection::btree_map(any::<String>(), inner, 0..6)
                        .prop_map(|m| { serde_json::Value::Object(m.into_iter().collect()) }),
                ]
            })
        }

        proptest! {
            #[test]
            fn pretty_print_then_parse(v in arb_json()) {
                let text = value_to_kea_pretty(&v);
                let back = parse_str(&text, "p.json").unwrap();
                prop_assert_eq!(back.to_value(), v);
            }
        }
    }
}
