//! The control-channel answer shape (`{"result", "text", "arguments"}`) used by the
//! `statistic-*` handlers (ARM `ctrl-channel.rst`, "Data Syntax"). kea-process has the public
//! twin; this crate sits below it and cannot depend on it.

use serde_json::{Map, Value};

/// Result code: the command succeeded.
pub(crate) const RESULT_SUCCESS: i64 = 0;
/// Result code: the command failed.
pub(crate) const RESULT_ERROR: i64 = 1;

/// `{"result": code, "text": text}`.
pub(crate) fn answer(code: i64, text: impl Into<String>) -> Value {
    let mut m = Map::new();
    m.insert("result".into(), Value::from(code));
    m.insert("text".into(), Value::String(text.into()));
    Value::Object(m)
}

/// `{"result": 0, "arguments": args}` (Kea omits `text` on these).
pub(crate) fn answer_args(args: Value) -> Value {
    let mut m = Map::new();
    m.insert("result".into(), Value::from(RESULT_SUCCESS));
    m.insert("arguments".into(), args);
    Value::Object(m)
}
