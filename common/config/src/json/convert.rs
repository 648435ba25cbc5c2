//! Conversions between positioned [`Element`]s and `serde_json::Value`.

use super::{Element, MapEntry, Position, Value};

/// Drops positions; map order is kept (`serde_json` is built with `preserve_order`).
pub(super) fn to_value(e: &Element) -> serde_json::Value {
    match &e.value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Int(i) => serde_json::Value::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::List(items) => serde_json::Value::Array(items.iter().map(to_value).collect()),
        Value::Map(entries) => serde_json::Value::Object(
            entries
                .iter()
                .map(|e| (e.key.clone(), to_value(&e.value)))
                .collect(),
        ),
    }
}

/// Builds an element tree from a `serde_json::Value`, every element at `pos`.
///
/// Used for configurations that arrive over the control channel or are generated; integers
/// beyond the `i64` range become floats, as they cannot be Kea integers.
pub fn from_value(v: &serde_json::Value, pos: &Position) -> Element {
    let value = match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) if !n.is_f64() => Value::Int(i),
            _ => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(items) => {
            Value::List(items.iter().map(|i| from_value(i, pos)).collect())
        }
        serde_json::Value::Object(map) => Value::Map(
            map.iter()
                .map(|(k, v)| MapEntry {
                    key: k.clone(),
                    key_pos: pos.clone(),
                    value: from_value(v, pos),
                })
                .collect(),
        ),
    };
    Element::new(pos.clone(), value)
}
