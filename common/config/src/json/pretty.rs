//! The pretty printer: JSON text laid out as Kea writes it for `config-write`.
//!
//! Kea's layout: two-space steps; maps one entry per line with keys sorted (Kea stores maps
//! sorted); empty containers as `{ }` and `[ ]`; lists of scalars on one line
//! (`[ 1, 2 ]`); lists whose first item is a map or list get one item per line; floats
//! always carry a dot (`3.0`); non-ASCII bytes escaped as `\u00XX`.

use std::fmt::Write;

use super::Element;

const STEP: usize = 2;

/// Pretty-prints an element tree (positions are not part of the output).
pub fn to_kea_pretty(e: &Element) -> String {
    value_to_kea_pretty(&e.to_value())
}

/// Pretty-prints a `serde_json::Value` in Kea's layout.
pub fn value_to_kea_pretty(v: &serde_json::Value) -> String {
    let mut out = String::new();
    print(v, &mut out, 0);
    out
}

fn print(v: &serde_json::Value, out: &mut String, indent: usize) {
    match v {
        serde_json::Value::Array(items) => {
            if items.is_empty() {
                out.push_str("[ ]");
                return;
            }
            let complex = matches!(
                items.first(),
                Some(serde_json::Value::Array(_) | serde_json::Value::Object(_))
            );
            out.push('[');
            out.push(if complex { '\n' } else { ' ' });
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(if complex { ",\n" } else { ", " });
                }
                if complex {
                    pad(out, indent + STEP);
                }
                print(item, out, indent + STEP);
            }
            if complex {
                out.push('\n');
                pad(out, indent);
            } else {
                out.push(' ');
            }
            out.push(']');
        }
        serde_json::Value::Object(map) => {
            if map.is_empty() {
                out.push_str("{ }");
                return;
            }
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push_str("{\n");
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                pad(out, indent + STEP);
                write_string(out, key);
                out.push_str(": ");
                if let Some(item) = map.get(key) {
                    print(item, out, indent + STEP);
                }
            }
            out.push('\n');
            pad(out, indent);
            out.push('}');
        }
        scalar => write_scalar(scalar, out),
    }
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn write_scalar(v: &serde_json::Value, out: &mut String) {
    match v {
        serde_json::Value::Null => out.push_str("null"),
        serde_json::Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        serde_json::Value::Number(n) => {
            if let Some(i) = n.as_i64().filter(|_| !n.is_f64()) {
                let _ = write!(out, "{i}");
            } else if let Some(u) = n.as_u64().filter(|_| !n.is_f64()) {
                let _ = write!(out, "{u}");
            } else {
                write_float(out, n.as_f64().unwrap_or(0.0));
            }
        }
        serde_json::Value::String(s) => write_string(out, s),
        serde_json::Value::Array(_) | serde_json::Value::Object(_) => {}
    }
}

// KEA-DIFF: Kea 2.2 prints floats with 6 significant digits and can emit `1e+20.0`; we print
// the shortest text that reads back to the same value, always valid JSON, with Kea's `.0`.
fn write_float(out: &mut String, f: f64) {
    let text = format!("{f}");
    out.push_str(&text);
    if !text.contains('.') {
        out.push_str(".0");
    }
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for b in s.bytes() {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x20..=0x7e => out.push(char::from(b)),
            _ => {
                let _ = write!(out, "\\u{b:04x}");
            }
        }
    }
    out.push('"');
}
