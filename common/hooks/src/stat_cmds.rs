//! `libdhcp_stat_cmds.so`: `stat-lease4-get` computed from the lease store and the
//! subnet statistics, and `stat-lease6-get` as kea-dhcp4 answers it (no DHCPv6 subnets)
//! (`hooks-stat-cmds.rst`; texts captured from Kea 2.2).
//!
//! Per subnet: `total-addresses` and `cumulative-assigned-addresses` are the
//! `subnet[id].*` statistics, `assigned-addresses` counts leases in the default state
//! (expired or not, in a pool or not) and `declined-addresses` declined ones, as Kea 2.2's
//! memfile query does.

use crate::answer::{RESULT_EMPTY, RESULT_SUCCESS, answer_args, error};
use crate::lease_cmds::LeaseCmdsBackend4;
use jiff::Timestamp;
use serde_json::{Map, Value, json};

/// The commands the library registers.
pub const COMMANDS: &[&str] = &["stat-lease4-get", "stat-lease6-get"];

/// The command names to register (same as [`COMMANDS`]).
pub fn register_names() -> &'static [&'static str] {
    COMMANDS
}

/// Which subnets a request covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Selection {
    All,
    One(u32),
    Range(u32, u32),
}

impl Selection {
    fn label(self) -> String {
        match self {
            Self::All => "all subnets".to_owned(),
            Self::One(id) => format!("subnet-id={id}"),
            Self::Range(first, last) => format!("subnets {first} through {last}"),
        }
    }

    fn covers(self, id: u32) -> bool {
        match self {
            Self::All => true,
            Self::One(one) => id == one,
            Self::Range(first, last) => (first..=last).contains(&id),
        }
    }

    fn nothing_text(self) -> String {
        match self {
            Self::All => "selected ID range: 0 through 0 includes no known subnets".to_owned(),
            Self::One(id) => format!("subnet-id: {id} does not exist"),
            Self::Range(first, last) => {
                format!("selected ID range: {first} through {last} includes no known subnets")
            }
        }
    }
}

/// A positive subnet identifier, cast as Kea casts it.
fn positive_id(value: &Value, name: &str, missing: &str) -> Result<u32, String> {
    let v = value.as_i64().ok_or_else(|| missing.to_owned())?;
    if v <= 0 {
        return Err(format!("'{name}' parameter must be > 0"));
    }
    Ok(crate::args::subnet_id_cast(v))
}

fn selection(args: Option<&Value>) -> Result<Selection, String> {
    let Some(args) = args else {
        return Ok(Selection::All);
    };
    let Value::Object(map) = args else {
        return Err("'arguments' parameter is not a map".to_owned());
    };
    let mut sel = Selection::All;
    if let Some(id) = map.get("subnet-id") {
        sel = Selection::One(positive_id(
            id,
            "subnet-id",
            "'subnet-id' parameter is not integer",
        )?);
    }
    if let Some(range) = map.get("subnet-range") {
        if sel != Selection::All {
            return Err("cannot specify both subnet-id and subnet-range".to_owned());
        }
        let Value::Object(range) = range else {
            return Err("subnet-range parameter is not a map".to_owned());
        };
        let bound = |name: &str| {
            let missing = format!("'{name}' parameter missing or not an integer");
            let v = range.get(name).ok_or_else(|| missing.clone())?;
            positive_id(v, name, &missing)
        };
        let first = bound("first-subnet-id")?;
        let last = bound("last-subnet-id")?;
        if last < first {
            return Err("'last-subnet-id' must be greater than 'first-subnet-id'".to_owned());
        }
        if last == first {
            return Err("LeaseStatsQuery: last_subnet_id_must be > first_subnet_id_".to_owned());
        }
        sel = Selection::Range(first, last);
    }
    Ok(sel)
}

fn no_data(command: &str, sel: Selection) -> Value {
    answer_args(
        RESULT_EMPTY,
        format!(
            "{command}[{}]: no matching data, {}",
            sel.label(),
            sel.nothing_text()
        ),
        Value::Object(Map::new()),
    )
}

fn now_text() -> String {
    Timestamp::now()
        .strftime("%Y-%m-%d %H:%M:%S%.6f")
        .to_string()
}

/// `stat-lease4-get`: lease statistics of all, one, or a range of subnets.
pub fn stat_lease4_get<B: LeaseCmdsBackend4>(backend: &B, args: Option<&Value>) -> Value {
    const COMMAND: &str = "stat-lease4-get";
    let sel = match selection(args) {
        Ok(s) => s,
        Err(text) => return error(text),
    };
    let stats = backend.stats();
    let stat = |id: u32, name: &str| {
        stats
            .get_integer(&format!("subnet[{id}].{name}"))
            .unwrap_or(0)
    };
    let rows: Vec<Value> = backend
        .subnet_ids()
        .into_iter()
        .filter(|id| sel.covers(*id))
        .map(|id| {
            let counts = backend.state_counts(id);
            json!([
                id,
                stat(id, "total-addresses"),
                stat(id, "cumulative-assigned-addresses"),
                counts.assigned,
                counts.declined
            ])
        })
        .collect();
    if rows.is_empty() {
        return no_data(COMMAND, sel);
    }
    let text = format!("{COMMAND}[{}]: {} rows found", sel.label(), rows.len());
    let result_set = json!({
        "columns": ["subnet-id", "total-addresses", "cumulative-assigned-addresses",
                    "assigned-addresses", "declined-addresses"],
        "rows": rows,
        "timestamp": now_text(),
    });
    answer_args(RESULT_SUCCESS, text, json!({ "result-set": result_set }))
}

/// `stat-lease6-get` on kea-dhcp4: the arguments are checked, and there is never data.
pub fn stat_lease6_get(args: Option<&Value>) -> Value {
    match selection(args) {
        Ok(sel) => no_data("stat-lease6-get", sel),
        Err(text) => error(text),
    }
}

/// Runs stat command `command`; a name not in [`COMMANDS`] gets result 2.
pub fn handle<B: LeaseCmdsBackend4>(backend: &B, command: &str, args: Option<&Value>) -> Value {
    match command {
        "stat-lease4-get" => stat_lease4_get(backend, args),
        "stat-lease6-get" => stat_lease6_get(args),
        other => {
            let mut answer = error(format!("'{other}' command not supported."));
            answer["result"] = Value::from(2);
            answer
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    //! Expected answers are Kea 2.2's (`tests/kea22-answers.txt`).
    use super::*;
    use crate::lease_cmds::{self, test_backend::MemBackend};

    fn texts(v: &Value) -> (i64, String) {
        (
            v["result"].as_i64().unwrap(),
            v["text"].as_str().unwrap().to_owned(),
        )
    }

    #[test]
    fn rows_count_default_and_declined_leases() {
        let b = MemBackend::new();
        for (ip, state) in [
            ("198.51.100.5", 0),
            ("198.51.100.250", 0),
            ("198.51.100.6", 1),
            ("198.51.100.7", 2),
            ("192.0.2.11", 0),
        ] {
            let args = json!({"ip-address": ip, "hw-address": "aa:bb", "state": state});
            lease_cmds::handle(&b, "lease4-add", Some(&args));
        }
        let v = stat_lease4_get(&b, None);
        assert_eq!(
            texts(&v),
            (0, "stat-lease4-get[all subnets]: 2 rows found".to_owned())
        );
        let rs = &v["arguments"]["result-set"];
        assert_eq!(
            rs["columns"],
            json!([
                "subnet-id",
                "total-addresses",
                "cumulative-assigned-addresses",
                "assigned-addresses",
                "declined-addresses"
            ])
        );
        assert_eq!(rs["rows"], json!([[1, 11, 0, 1, 0], [2, 202, 0, 2, 1]]));
        assert_eq!(rs["timestamp"].as_str().unwrap().len(), 26);
        let v = stat_lease4_get(&b, Some(&json!({"subnet-id": 1})));
        assert_eq!(texts(&v).1, "stat-lease4-get[subnet-id=1]: 1 rows found");
        let v = stat_lease4_get(
            &b,
            Some(&json!({"subnet-range": {"first-subnet-id": 2, "last-subnet-id": 9}})),
        );
        assert_eq!(
            texts(&v).1,
            "stat-lease4-get[subnets 2 through 9]: 1 rows found"
        );
    }

    #[test]
    fn errors_and_empty_like_kea() {
        let b = MemBackend::new();
        let cases = [
            (
                json!({"subnet-id": 5}),
                3,
                "stat-lease4-get[subnet-id=5]: no matching data, subnet-id: 5 does not exist",
            ),
            (
                json!({"subnet-id": 0}),
                1,
                "'subnet-id' parameter must be > 0",
            ),
            (
                json!({"subnet-id": "1"}),
                1,
                "'subnet-id' parameter is not integer",
            ),
            (
                json!({"subnet-range": {"first-subnet-id": 5, "last-subnet-id": 9}}),
                3,
                "stat-lease4-get[subnets 5 through 9]: no matching data, selected ID range: 5 through 9 includes no known subnets",
            ),
            (
                json!({"subnet-range": {"first-subnet-id": 2, "last-subnet-id": 1}}),
                1,
                "'last-subnet-id' must be greater than 'first-subnet-id'",
            ),
            (
                json!({"subnet-range": {"first-subnet-id": 1, "last-subnet-id": 1}}),
                1,
                "LeaseStatsQuery: last_subnet_id_must be > first_subnet_id_",
            ),
            (
                json!({"subnet-range": {"first-subnet-id": 2}}),
                1,
                "'last-subnet-id' parameter missing or not an integer",
            ),
            (
                json!({"subnet-range": {"first-subnet-id": 0, "last-subnet-id": 2}}),
                1,
                "'first-subnet-id' parameter must be > 0",
            ),
            (
                json!({"subnet-range": 5}),
                1,
                "subnet-range parameter is not a map",
            ),
            (
                json!({"subnet-id": 1, "subnet-range": {"first-subnet-id": 1, "last-subnet-id": 2}}),
                1,
                "cannot specify both subnet-id and subnet-range",
            ),
            (
                json!({"subnet-id": 4_294_967_296_i64}),
                3,
                "stat-lease4-get[subnet-id=0]: no matching data, subnet-id: 0 does not exist",
            ),
            (json!("x"), 1, "'arguments' parameter is not a map"),
        ];
        for (args, code, text) in cases {
            let v = stat_lease4_get(&b, Some(&args));
            assert_eq!(texts(&v), (code, text.to_owned()), "{args}");
            if code == 3 {
                assert_eq!(v["arguments"], json!({}));
            }
        }
        assert_eq!(texts(&stat_lease6_get(None)), (3,
            "stat-lease6-get[all subnets]: no matching data, selected ID range: 0 through 0 includes no known subnets".to_owned()));
        assert_eq!(
            texts(&stat_lease6_get(Some(&json!({"subnet-id": 1})))),
            (
                3,
                "stat-lease6-get[subnet-id=1]: no matching data, subnet-id: 1 does not exist"
                    .to_owned()
            )
        );
    }
}
