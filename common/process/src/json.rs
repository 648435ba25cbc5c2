//! Kea's own JSON text forms (`data::Element::str()` and `prettyPrint`): what the control
//! socket sends back, what `config-write` writes and what `config-hash-get` hashes
//! (ARM `ctrl-channel.rst`, "Data Syntax"). Maps print with sorted keys, `{ "a": 1 }` with
//! inner spaces, doubles like C++ streams (six significant digits), non-ASCII bytes as
//! `\u00XX`. serde_json is the in-memory form; only the text differs.

use std::fmt::Write as _;

use serde_json::{Map, Value};

/// Compact one-line form, byte for byte as Kea prints answers: `{ "result": 0, "text": "x" }`.
pub fn to_kea_string(v: &Value) -> String {
    let mut out = String::with_capacity(128);
    write_compact(v, &mut out);
    out
}

/// Multi-line form Kea writes to files (`config-write`), two spaces per level, scalar lists
/// on one line, no trailing newline.
pub fn to_kea_pretty(v: &Value) -> String {
    let mut out = String::with_capacity(1024);
    write_pretty(v, &mut out, 0);
    out
}

fn sorted(m: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut entries: Vec<_> = m.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
}

fn write_compact(v: &Value, out: &mut String) {
    match v {
        Value::Array(items) => {
            out.push_str("[ ");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_compact(item, out);
            }
            out.push_str(" ]");
        }
        Value::Object(m) => {
            out.push_str("{ ");
            for (i, (k, item)) in sorted(m).into_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push('"');
                out.push_str(k);
                out.push_str("\": ");
                write_compact(item, out);
            }
            out.push_str(" }");
        }
        scalar => write_scalar(scalar, out),
    }
}

fn write_pretty(v: &Value, out: &mut String, indent: usize) {
    const STEP: usize = 2;
    match v {
        Value::Array(items) if items.is_empty() => out.push_str("[ ]"),
        Value::Array(items) => {
            let complex = matches!(items[0], Value::Array(_) | Value::Object(_));
            out.push_str(if complex { "[\n" } else { "[ " });
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(if complex { ",\n" } else { ", " });
                }
                if complex {
                    push_spaces(out, indent + STEP);
                }
                write_pretty(item, out, indent + STEP);
            }
            if complex {
                out.push('\n');
                push_spaces(out, indent);
            } else {
                out.push(' ');
            }
            out.push(']');
        }
        Value::Object(m) if m.is_empty() => out.push_str("{ }"),
        Value::Object(m) => {
            out.push_str("{\n");
            for (i, (k, item)) in sorted(m).into_iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                push_spaces(out, indent + STEP);
                out.push('"');
                out.push_str(k);
                out.push_str("\": ");
                write_pretty(item, out, indent + STEP);
            }
            out.push('\n');
            push_spaces(out, indent);
            out.push('}');
        }
        scalar => write_scalar(scalar, out),
    }
}

fn push_spaces(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn write_scalar(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if n.is_f64() {
                out.push_str(&format_double(n.as_f64().unwrap_or(0.0)));
            } else {
                let _ = write!(out, "{n}");
            }
        }
        Value::String(s) => write_string(s, out),
        Value::Array(_) | Value::Object(_) => write_compact(v, out),
    }
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for &b in s.as_bytes() {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x20..=0x7e => out.push(char::from(b)),
            // Kea escapes every other byte on its own, UTF-8 sequences included.
            _ => {
                let _ = write!(out, "\\u{b:04x}");
            }
        }
    }
    out.push('"');
}

/// A double as `std::ostream << double` prints it: `%g` with six significant digits.
pub fn format_double(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    if !x.is_finite() {
        return if x.is_nan() {
            "nan".into()
        } else if x > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        };
    }
    // Round to six significant digits first; the exponent after rounding decides the form.
    let sci = format!("{x:.5e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..6).contains(&exp) {
        let mantissa = trim_fraction(mantissa);
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.abs())
    } else {
        let decimals = usize::try_from(5 - exp).unwrap_or(0);
        trim_fraction(&format!("{x:.decimals$}")).to_owned()
    }
}

fn trim_fraction(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn compact_matches_kea() {
        let v = json!({"result": 0, "arguments": {"b": [1, 2], "a": {}, "c": []}, "text": "x"});
        assert_eq!(
            to_kea_string(&v),
            r#"{ "arguments": { "a": {  }, "b": [ 1, 2 ], "c": [  ] }, "result": 0, "text": "x" }"#
        );
    }

    #[test]
    fn strings_escape_like_kea() {
        let v = json!("a\"b\\c\n/é");
        assert_eq!(to_kea_string(&v), r#""a\"b\\c\n/\u00c3\u00a9""#);
    }

    #[test]
    fn doubles_print_like_ostream() {
        assert_eq!(format_double(0.5), "0.5");
        assert_eq!(format_double(0.875), "0.875");
        assert_eq!(format_double(1.0), "1");
        assert_eq!(format_double(1234567.0), "1.23457e+06");
        assert_eq!(format_double(0.00001), "1e-05");
        assert_eq!(format_double(-2.25), "-2.25");
        assert_eq!(format_double(100000.0), "100000");
    }

    #[test]
    fn pretty_matches_kea_layout() {
        let v = json!({"Dhcp4": {"a": [], "b": ["x", "y"], "c": [{"k": 1}], "d": {}}});
        let expected = "{\n  \"Dhcp4\": {\n    \"a\": [ ],\n    \"b\": [ \"x\", \"y\" ],\n    \"c\": [\n      {\n        \"k\": 1\n      }\n    ],\n    \"d\": { }\n  }\n}";
        assert_eq!(to_kea_pretty(&v), expected);
    }
}
