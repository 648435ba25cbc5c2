//! Answers: `{"result": code, "text": ..., "arguments": ...}` and the result codes
//! (ARM `ctrl-channel.rst`, "Data Syntax").

use serde_json::{Map, Value};

/// The command succeeded.
pub const CONTROL_RESULT_SUCCESS: i64 = 0;
/// The command failed (bad arguments, processing error).
pub const CONTROL_RESULT_ERROR: i64 = 1;
/// The command is not supported by this daemon.
pub const CONTROL_RESULT_COMMAND_UNSUPPORTED: i64 = 2;
/// The command succeeded but found or affected nothing.
pub const CONTROL_RESULT_EMPTY: i64 = 3;
/// The command conflicts with the server's state or configuration.
pub const CONTROL_RESULT_CONFLICT: i64 = 4;

/// `{"result": result, "text": text}`.
pub fn answer(result: i64, text: impl Into<String>) -> Value {
    let mut m = Map::new();
    m.insert("result".into(), Value::from(result));
    m.insert("text".into(), Value::String(text.into()));
    Value::Object(m)
}

/// `{"result": result, "text": text, "arguments": args}`; `text` is left out when `None`,
/// as Kea does on `statistic-get`, `status-get` and `list-commands`.
pub fn answer_with_args(result: i64, text: Option<&str>, args: Value) -> Value {
    let mut m = Map::new();
    m.insert("result".into(), Value::from(result));
    if let Some(text) = text {
        m.insert("text".into(), Value::String(text.into()));
    }
    m.insert("arguments".into(), args);
    Value::Object(m)
}

/// The `result` of an answer, or `CONTROL_RESULT_ERROR` when it has none.
pub fn result_of(answer: &Value) -> i64 {
    answer
        .get("result")
        .and_then(Value::as_i64)
        .unwrap_or(CONTROL_RESULT_ERROR)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shapes() {
        assert_eq!(answer(1, "bad"), json!({"result": 1, "text": "bad"}));
        assert_eq!(
            answer_with_args(0, None, json!([])),
            json!({"result": 0, "arguments": []})
        );
        assert_eq!(
            answer_with_args(0, Some("ok"), json!({"a": 1})),
            json!({"result": 0, "text": "ok", "arguments": {"a": 1}})
        );
        assert_eq!(result_of(&json!({"result": 3})), CONTROL_RESULT_EMPTY);
        assert_eq!(result_of(&json!({})), CONTROL_RESULT_ERROR);
    }
}
