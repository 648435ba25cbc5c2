//! The control-channel answer shape `{"result", "text", "arguments"}` and Kea's result
//! codes (`ctrl-channel.rst`, "Data Syntax"). kea-process has the public twin; this crate
//! sits below it and cannot depend on it.

use serde_json::{Map, Value};

/// The command succeeded.
pub const RESULT_SUCCESS: i64 = 0;
/// The command failed.
pub const RESULT_ERROR: i64 = 1;
/// The command succeeded but found or affected nothing.
pub const RESULT_EMPTY: i64 = 3;

/// `{"result": code, "text": text}`.
pub(crate) fn answer(code: i64, text: impl Into<String>) -> Value {
    let mut m = Map::new();
    m.insert("result".into(), Value::from(code));
    m.insert("text".into(), Value::String(text.into()));
    Value::Object(m)
}

/// `{"result": 1, "text": text}`.
pub(crate) fn error(text: impl Into<String>) -> Value {
    answer(RESULT_ERROR, text)
}

/// `{"arguments": args, "result": code, "text": text}` (Kea's key order).
pub(crate) fn answer_args(code: i64, text: impl Into<String>, args: Value) -> Value {
    let mut m = Map::new();
    m.insert("arguments".into(), args);
    m.insert("result".into(), Value::from(code));
    m.insert("text".into(), Value::String(text.into()));
    Value::Object(m)
}

/// `RESULT_SUCCESS` when something was found or changed, `RESULT_EMPTY` otherwise.
pub(crate) fn success_or_empty(found: bool) -> i64 {
    if found { RESULT_SUCCESS } else { RESULT_EMPTY }
}
