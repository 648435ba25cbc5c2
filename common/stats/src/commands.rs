//! The logic of the `statistic-*` control commands (ARM `stats.rst`, "Commands for
//! Manipulating Statistics"): each function takes the command's `arguments` and returns the
//! complete answer map, with Kea 2.2's texts. kea-process registers them in its command
//! registry; they do not touch sockets.

use std::time::Duration;

use serde_json::Value;

use crate::StatsMgr;
use crate::answer::{RESULT_ERROR, RESULT_SUCCESS, answer, answer_args};

/// Prefix Kea puts on errors raised while reading the arguments.
const PROCESSING_ERROR: &str = "Error during command processing: ";

/// Reads the mandatory string `name` from the arguments, or yields the error answer.
fn stat_name(args: Option<&Value>) -> Result<&str, Value> {
    let Some(args) = args else {
        return Err(answer(RESULT_ERROR, "Missing mandatory 'name' parameter."));
    };
    let Some(map) = args.as_object() else {
        return Err(answer(
            RESULT_ERROR,
            format!("{PROCESSING_ERROR}get(string) called on a non-map Element"),
        ));
    };
    match map.get("name") {
        None => Err(answer(RESULT_ERROR, "Missing mandatory 'name' parameter.")),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(answer(
            RESULT_ERROR,
            "'name' parameter expected to be a string.",
        )),
    }
}

/// Reads a mandatory non-negative integer parameter `key`.
fn int_param(args: Option<&Value>, key: &str) -> Result<u64, Value> {
    let missing = || {
        answer(
            RESULT_ERROR,
            format!("Missing mandatory '{key}' parameter."),
        )
    };
    let map = match args {
        None => return Err(missing()),
        Some(Value::Object(m)) => m,
        Some(_) => {
            return Err(answer(
                RESULT_ERROR,
                format!("{PROCESSING_ERROR}get(string) called on a non-map Element"),
            ));
        }
    };
    let value = map.get(key).ok_or_else(missing)?;
    match value {
        Value::Number(n) if n.is_i64() || n.is_u64() => n.as_u64().ok_or_else(|| {
            // KEA-DIFF: Kea accepts a negative number and wraps it; we refuse it.
            answer(
                RESULT_ERROR,
                format!("'{key}' parameter must not be negative"),
            )
        }),
        _ => Err(answer(
            RESULT_ERROR,
            format!("{PROCESSING_ERROR}intValue() called on non-integer Element"),
        )),
    }
}

fn not_found(name: &str) -> Value {
    answer(RESULT_ERROR, format!("No '{name}' statistic found"))
}

fn unwrap_answer(r: Result<Value, Value>) -> Value {
    r.unwrap_or_else(|e| e)
}

/// `statistic-get`: `{"arguments": {name: samples}}`, or `{}` when it does not exist.
pub fn statistic_get(mgr: &StatsMgr, args: Option<&Value>) -> Value {
    unwrap_answer(stat_name(args).map(|name| answer_args(mgr.get(name))))
}

/// `statistic-get-all`: every statistic with its samples.
pub fn statistic_get_all(mgr: &StatsMgr, _args: Option<&Value>) -> Value {
    answer_args(mgr.get_all())
}

/// `statistic-reset`: one statistic back to its neutral value.
pub fn statistic_reset(mgr: &StatsMgr, args: Option<&Value>) -> Value {
    unwrap_answer(stat_name(args).map(|name| {
        if mgr.reset(name) {
            answer(RESULT_SUCCESS, format!("Statistic '{name}' reset."))
        } else {
            not_found(name)
        }
    }))
}

/// `statistic-remove`: deletes one statistic.
pub fn statistic_remove(mgr: &StatsMgr, args: Option<&Value>) -> Value {
    unwrap_answer(stat_name(args).map(|name| {
        if mgr.remove(name) {
            answer(RESULT_SUCCESS, format!("Statistic '{name}' removed."))
        } else {
            not_found(name)
        }
    }))
}

/// `statistic-reset-all`.
pub fn statistic_reset_all(mgr: &StatsMgr, _args: Option<&Value>) -> Value {
    mgr.reset_all();
    answer(RESULT_SUCCESS, "All statistics reset to neutral values.")
}

/// `statistic-remove-all` (deprecated in Kea, which says so in the answer).
pub fn statistic_remove_all(mgr: &StatsMgr, _args: Option<&Value>) -> Value {
    mgr.remove_all();
    answer(
        RESULT_SUCCESS,
        "Warning: statistic-remove-all command is deprecated. All statistics removed.",
    )
}

/// `statistic-sample-age-set`: `{"name", "duration": seconds}`.
pub fn statistic_sample_age_set(mgr: &StatsMgr, args: Option<&Value>) -> Value {
    unwrap_answer((|| {
        let name = stat_name(args)?;
        let secs = int_param(args, "duration")?;
        Ok(if mgr.set_max_sample_age(name, Duration::from_secs(secs)) {
            answer(
                RESULT_SUCCESS,
                format!("Statistic '{name}' duration limit is set."),
            )
        } else {
            not_found(name)
        })
    })())
}

/// `statistic-sample-age-set-all`: `{"duration": seconds}`.
pub fn statistic_sample_age_set_all(mgr: &StatsMgr, args: Option<&Value>) -> Value {
    unwrap_answer(int_param(args, "duration").map(|secs| {
        mgr.set_max_sample_age_all(Duration::from_secs(secs));
        answer(RESULT_SUCCESS, "All statistics duration limit are set.")
    }))
}

/// `statistic-sample-count-set`: `{"name", "max-samples"}`.
pub fn statistic_sample_count_set(mgr: &StatsMgr, args: Option<&Value>) -> Value {
    unwrap_answer((|| {
        let name = stat_name(args)?;
        let count = int_param(args, "max-samples")?;
        let count = u32::try_from(count).unwrap_or(u32::MAX);
        Ok(if mgr.set_max_sample_count(name, count) {
            answer(
                RESULT_SUCCESS,
                format!("Statistic '{name}' count limit is set."),
            )
        } else {
            not_found(name)
        })
    })())
}

/// `statistic-sample-count-set-all`: `{"max-samples"}`, which must not be zero.
pub fn statistic_sample_count_set_all(mgr: &StatsMgr, args: Option<&Value>) -> Value {
    unwrap_answer(int_param(args, "max-samples").map(|count| {
        if count == 0 {
            return answer(RESULT_ERROR, "'max-samples' parameter must not be zero");
        }
        mgr.set_max_sample_count_all(u32::try_from(count).unwrap_or(u32::MAX));
        answer(RESULT_SUCCESS, "All statistics count limit are set.")
    }))
}

/// A `statistic-*` handler: the manager and the command's arguments in, the answer out.
pub type StatHandler = fn(&StatsMgr, Option<&Value>) -> Value;

/// Every `statistic-*` command with its handler, in Kea's (alphabetical) order.
pub const ALL: &[(&str, StatHandler)] = &[
    ("statistic-get", statistic_get),
    ("statistic-get-all", statistic_get_all),
    ("statistic-remove", statistic_remove),
    ("statistic-remove-all", statistic_remove_all),
    ("statistic-reset", statistic_reset),
    ("statistic-reset-all", statistic_reset_all),
    ("statistic-sample-age-set", statistic_sample_age_set),
    ("statistic-sample-age-set-all", statistic_sample_age_set_all),
    ("statistic-sample-count-set", statistic_sample_count_set),
    (
        "statistic-sample-count-set-all",
        statistic_sample_count_set_all,
    ),
];

/// The subset kea-dhcp-ddns offers (INVENTORY §9: get, get-all, reset, reset-all).
pub const BASIC: &[(&str, StatHandler)] = &[
    ("statistic-get", statistic_get),
    ("statistic-get-all", statistic_get_all),
    ("statistic-reset", statistic_reset),
    ("statistic-reset-all", statistic_reset_all),
];

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use serde_json::json;

    fn mgr() -> StatsMgr {
        let m = StatsMgr::new();
        m.add_value("pkt4-received", 3i64).unwrap();
        m
    }

    fn text(v: &Value) -> &str {
        v["text"].as_str().unwrap()
    }

    #[test]
    fn get_answers() {
        let m = mgr();
        let a = statistic_get(&m, Some(&json!({"name": "pkt4-received"})));
        assert_eq!(a["result"], 0);
        assert_eq!(a["arguments"]["pkt4-received"][0][0], 3);
        assert!(a.get("text").is_none());
        let a = statistic_get(&m, Some(&json!({"name": "nope"})));
        assert_eq!(a, json!({"result": 0, "arguments": {}}));
        let a = statistic_get(&m, None);
        assert_eq!(
            a,
            json!({"result": 1, "text": "Missing mandatory 'name' parameter."})
        );
        let a = statistic_get(&m, Some(&json!({"name": 5})));
        assert_eq!(text(&a), "'name' parameter expected to be a string.");
        let a = statistic_get(&m, Some(&json!([])));
        assert_eq!(a["result"], 1);
    }

    #[test]
    fn reset_and_remove_answers() {
        let m = mgr();
        let a = statistic_reset(&m, Some(&json!({"name": "pkt4-received"})));
        assert_eq!(
            a,
            json!({"result": 0, "text": "Statistic 'pkt4-received' reset."})
        );
        assert_eq!(m.get_integer("pkt4-received"), Some(0));
        let a = statistic_reset(&m, Some(&json!({"name": "nope"})));
        assert_eq!(a, json!({"result": 1, "text": "No 'nope' statistic found"}));
        let a = statistic_remove(&m, Some(&json!({"name": "pkt4-received"})));
        assert_eq!(text(&a), "Statistic 'pkt4-received' removed.");
        assert_eq!(
            statistic_get_all(&m, None),
            json!({"result": 0, "arguments": {}})
        );
    }

    #[test]
    fn limit_answers() {
        let m = mgr();
        let a = statistic_sample_age_set(&m, Some(&json!({"name": "pkt4-received"})));
        assert_eq!(text(&a), "Missing mandatory 'duration' parameter.");
        let a =
            statistic_sample_age_set(&m, Some(&json!({"name": "pkt4-received", "duration": 10})));
        assert_eq!(text(&a), "Statistic 'pkt4-received' duration limit is set.");
        let a = statistic_sample_age_set(&m, Some(&json!({"name": "x", "duration": 10})));
        assert_eq!(text(&a), "No 'x' statistic found");
        let a = statistic_sample_age_set(&m, Some(&json!({"name": "x", "duration": "1"})));
        assert_eq!(a["result"], 1);
        let a = statistic_sample_count_set(
            &m,
            Some(&json!({"name": "pkt4-received", "max-samples": 3})),
        );
        assert_eq!(text(&a), "Statistic 'pkt4-received' count limit is set.");
        let a = statistic_sample_count_set_all(&m, Some(&json!({"max-samples": 0})));
        assert_eq!(
            a,
            json!({"result": 1, "text": "'max-samples' parameter must not be zero"})
        );
        let a = statistic_sample_count_set_all(&m, None);
        assert_eq!(text(&a), "Missing mandatory 'max-samples' parameter.");
        let a = statistic_sample_count_set_all(&m, Some(&json!({"max-samples": 2})));
        assert_eq!(text(&a), "All statistics count limit are set.");
        let a = statistic_sample_age_set_all(&m, Some(&json!({"duration": 5})));
        assert_eq!(text(&a), "All statistics duration limit are set.");
        let a = statistic_reset_all(&m, None);
        assert_eq!(text(&a), "All statistics reset to neutral values.");
        let a = statistic_remove_all(&m, None);
        assert_eq!(a["result"], 0);
        assert_eq!(m.count(), 0);
    }
}
