//! Every built-in command over a real UNIX control socket, served in-process for a toy
//! daemon (ARM `ctrl-channel.rst`; INVENTORY §6, §7.1).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use kea_config::json::Element;
use kea_process::cli::{SwitchSet, Switches, UsageStyle};
use kea_process::daemon::{
    Controller, DHCP_CONFIG_TEST_TEXT, Daemon, DaemonContext, DaemonInfo, StatisticCommands,
};
use serde_json::{Map, Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::UnixStream;

const INFO: DaemonInfo = DaemonInfo {
    name: "kea-toy",
    root_key: "Toy",
    switches: SwitchSet {
        program: "kea-toy",
        usage: UsageStyle::Dhcp {
            description: "Kea toy server",
        },
        ports: true,
        full_check: true,
    },
    statistic_commands: StatisticCommands::All,
    server_tag_command: true,
    config_test_text: DHCP_CONFIG_TEST_TEXT,
};

#[derive(Debug, thiserror::Error)]
#[error("'value' must be an integer")]
struct ToyError;

/// Accepts `{"value": <int>, ...}`; keeps the last applied map.
struct Toy {
    config: Mutex<Value>,
}

impl Daemon for Toy {
    type Error = ToyError;

    fn check(&self, config: &Element, _full: bool) -> Result<(), ToyError> {
        match config.to_value().get("value") {
            None => Ok(()),
            Some(v) if v.is_i64() => Ok(()),
            Some(_) => Err(ToyError),
        }
    }

    async fn apply(&self, config: &Element) -> Result<(), ToyError> {
        self.check(config, false)?;
        *self.config.lock().unwrap() = config.to_value();
        Ok(())
    }

    fn current_config(&self) -> Value {
        self.config.lock().unwrap().clone()
    }

    fn status(&self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("multi-threading-enabled".into(), Value::Bool(false));
        m
    }

    fn server_tag(&self) -> String {
        "toy-tag".into()
    }
}

async fn send_raw(path: &Path, bytes: &[u8]) -> String {
    let mut s = UnixStream::connect(path).await.unwrap();
    s.write_all(bytes).await.unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    out
}

async fn send(path: &Path, cmd: Value) -> Value {
    serde_json::from_str(&send_raw(path, cmd.to_string().as_bytes()).await).unwrap()
}

struct Setup {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    file: PathBuf,
    sock: PathBuf,
    controller: Arc<Controller<Toy>>,
}

async fn setup() -> Setup {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_owned();
    let sock = dir.join("toy.sock");
    let file = dir.join("toy.conf");
    let text = format!(
        "// toy\n{{ \"Toy\": {{ \"value\": 1, \"control-socket\": {{ \"socket-type\": \"unix\", \"socket-name\": \"{}\" }} }},\n  \"Dhcp6\": {{}} }}\n",
        sock.display()
    );
    std::fs::write(&file, text).unwrap();
    let ctx = DaemonContext::new(INFO.name, Switches::default());
    let daemon = Arc::new(Toy {
        config: Mutex::new(Value::Null),
    });
    let controller = Controller::new(INFO, daemon, ctx, Some(file.clone()));
    controller.register_builtin_commands();
    controller.load_file(&file).await.unwrap();
    Setup {
        _dir: tmp,
        dir,
        file,
        sock,
        controller,
    }
}

#[tokio::test]
async fn list_version_status_tag_report() {
    let s = setup().await;
    let a = send(&s.sock, json!({"command": "list-commands"})).await;
    let expected = json!([
        "build-report",
        "config-get",
        "config-hash-get",
        "config-reload",
        "config-set",
        "config-test",
        "config-write",
        "list-commands",
        "server-tag-get",
        "shutdown",
        "statistic-get",
        "statistic-get-all",
        "statistic-remove",
        "statistic-remove-all",
        "statistic-reset",
        "statistic-reset-all",
        "statistic-sample-age-set",
        "statistic-sample-age-set-all",
        "statistic-sample-count-set",
        "statistic-sample-count-set-all",
        "status-get",
        "version-get"
    ]);
    assert_eq!(a, json!({"result": 0, "arguments": expected}));
    // A daemon's own command shows up in the same list.
    s.controller
        .context()
        .registry
        .register_sync("dhcp-disable", |_| kea_process::ctrl::answer(0, "x"))
        .unwrap();
    let a = send(&s.sock, json!({"command": "list-commands"})).await;
    assert!(
        a["arguments"]
            .as_array()
            .unwrap()
            .contains(&json!("dhcp-disable"))
    );

    let raw = send_raw(&s.sock, br#"{"command": "version-get"}"#).await;
    assert!(
        raw.starts_with(r#"{ "arguments": { "extended": "2.2.0\ntarball"#),
        "{raw}"
    );
    assert!(
        raw.ends_with(r#" }, "result": 0, "text": "2.2.0" }"#),
        "{raw}"
    );

    let a = send(&s.sock, json!({"command": "build-report"})).await;
    assert_eq!(a["result"], 0);
    assert!(a["text"].as_str().unwrap().contains("2.2.0"));

    let a = send(&s.sock, json!({"command": "status-get"})).await;
    assert_eq!(a["result"], 0);
    assert_eq!(a["arguments"]["pid"], std::process::id());
    assert!(a["arguments"]["uptime"].is_u64());
    assert!(a["arguments"]["reload"].is_u64());
    assert_eq!(a["arguments"]["multi-threading-enabled"], false);

    let a = send(&s.sock, json!({"command": "server-tag-get"})).await;
    assert_eq!(
        a,
        json!({"result": 0, "arguments": {"server-tag": "toy-tag"}})
    );
}

#[tokio::test]
async fn malformed_unknown_and_comments() {
    let s = setup().await;
    let raw = send_raw(&s.sock, br#"{"command": "foo"}"#).await;
    assert_eq!(
        raw,
        r#"{ "result": 2, "text": "'foo' command not supported." }"#
    );
    let a: Value = serde_json::from_str(&send_raw(&s.sock, b"garbage").await).unwrap();
    assert_eq!(a["result"], 1);
    let a: Value = serde_json::from_str(&send_raw(&s.sock, br#"{"command" "x"}"#).await).unwrap();
    assert_eq!(a["result"], 1);
    assert!(a["text"].as_str().unwrap().contains("<wire>:0:"));
    let a = send(&s.sock, json!({"arguments": {}})).await;
    assert_eq!(
        a["text"],
        "Error during command processing: Invalid answer specified, does not contain mandatory 'command'"
    );
    let a = send(&s.sock, json!({"command": "list-commands", "extra": 1})).await;
    assert_eq!(a["result"], 1);
    let a: Value = serde_json::from_str(
        &send_raw(
            &s.sock,
            b"{ \"command\": /* c */ \"server-tag-get\" # x\n }",
        )
        .await,
    )
    .unwrap();
    assert_eq!(a["result"], 0);
}

#[tokio::test]
async fn config_get_set_test_hash() {
    let s = setup().await;
    let get = send(&s.sock, json!({"command": "config-get"})).await;
    assert_eq!(get["result"], 0);
    assert_eq!(get["arguments"]["Toy"]["value"], 1);
    let hash = send(&s.sock, json!({"command": "config-hash-get"})).await;
    assert_eq!(get["arguments"]["hash"], hash["arguments"]["hash"]);
    assert_eq!(hash["arguments"]["hash"].as_str().unwrap().len(), 64);

    let a = send(
        &s.sock,
        json!({"command": "config-test", "arguments": {"Toy": {"value": 2}}}),
    )
    .await;
    assert_eq!(a, json!({"result": 0, "text": DHCP_CONFIG_TEST_TEXT}));
    let a = send(
        &s.sock,
        json!({"command": "config-test", "arguments": {"Toy": {"value": "x"}}}),
    )
    .await;
    assert_eq!(
        a,
        json!({"result": 1, "text": "'value' must be an integer"})
    );
    let a = send(&s.sock, json!({"command": "config-test"})).await;
    assert_eq!(a["text"], "Missing mandatory 'arguments' parameter.");

    // A broken config-set leaves the running configuration alone.
    let a = send(
        &s.sock,
        json!({"command": "config-set", "arguments": {"Toy": {"value": "x"}}}),
    )
    .await;
    assert_eq!(
        a,
        json!({"result": 1, "text": "'value' must be an integer"})
    );
    let a = send(
        &s.sock,
        json!({"command": "config-set", "arguments": {"Dhcp6": {}}}),
    )
    .await;
    assert_eq!(a["text"], "Missing mandatory 'Toy' parameter.");
    let a = send(
        &s.sock,
        json!({"command": "config-set", "arguments": {"Toy": {}, "Dhcp6": {}}}),
    )
    .await;
    assert_eq!(a["text"], "Unsupported 'Dhcp6' parameter.");
    let a = send(
        &s.sock,
        json!({"command": "config-set", "arguments": {"Toy": {"loggers": 5}}}),
    )
    .await;
    assert_eq!(a["result"], 1);
    assert_eq!(send(&s.sock, json!({"command": "config-get"})).await, get);

    // A good one applies, answers the new hash, and moves the socket when its name changes.
    let sock2 = s.dir.join("toy2.sock");
    let new = json!({"Toy": {"value": 7, "control-socket": {"socket-type": "unix", "socket-name": sock2}}});
    let a = send(&s.sock, json!({"command": "config-set", "arguments": new})).await;
    assert_eq!(a["result"], 0);
    assert_eq!(a["text"], "Configuration successful.");
    let a2 = send(&sock2, json!({"command": "config-hash-get"})).await;
    assert_eq!(a["arguments"]["hash"], a2["arguments"]["hash"]);
    assert_ne!(a["arguments"]["hash"], hash["arguments"]["hash"]);
    let got = send(&sock2, json!({"command": "config-get"})).await;
    assert_eq!(got["arguments"]["Toy"]["value"], 7);
    assert!(!s.sock.exists());
}

#[tokio::test]
async fn config_write_and_reload() {
    let s = setup().await;
    let out = s.dir.join("written.json");
    let a = send(
        &s.sock,
        json!({"command": "config-write", "arguments": {"filename": out}}),
    )
    .await;
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        a,
        json!({"result": 0, "text": format!("Configuration written to {} successful", out.display()),
               "arguments": {"filename": out, "size": text.len()}})
    );
    assert!(text.starts_with("{\n  \"Toy\": {\n"), "{text}");
    let back: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(back["Toy"]["value"], 1);
    let a = send(
        &s.sock,
        json!({"command": "config-write", "arguments": {"filename": 5}}),
    )
    .await;
    assert_eq!(a["text"], "passed parameter 'filename' is not a string");
    let a = send(
        &s.sock,
        json!({"command": "config-write", "arguments": {"filename": "/nonexist/x.json"}}),
    )
    .await;
    assert_eq!(
        a["text"],
        "Error during write-config:Unable to open file /nonexist/x.json for writing"
    );

    // Reload picks up the edited -c file; a broken file keeps the running config.
    let edited = std::fs::read_to_string(&s.file)
        .unwrap()
        .replace("\"value\": 1", "\"value\": 3");
    std::fs::write(&s.file, edited).unwrap();
    let a = send(&s.sock, json!({"command": "config-reload"})).await;
    assert_eq!(a, json!({"result": 0, "text": "Configuration successful."}));
    std::fs::write(&s.file, "{ \"Toy\": ").unwrap();
    let a = send(&s.sock, json!({"command": "config-reload"})).await;
    assert_eq!(a["result"], 1);
    assert!(
        a["text"]
            .as_str()
            .unwrap()
            .starts_with("Config reload failed: "),
        "{a}"
    );
    let got = send(&s.sock, json!({"command": "config-get"})).await;
    assert_eq!(got["arguments"]["Toy"]["value"], 3);

    // Without arguments config-write goes to the -c file.
    let a = send(&s.sock, json!({"command": "config-write"})).await;
    assert_eq!(a["arguments"]["filename"], s.file.display().to_string());
}

#[tokio::test]
async fn statistics_over_the_socket() {
    let s = setup().await;
    let stats = &s.controller.context().stats;
    stats.add_value("pkt4-received", 1i64).unwrap();
    stats.add_value("pkt4-received", 1i64).unwrap();
    stats
        .set_value("subnet[1].assigned-addresses", 5i64)
        .unwrap();
    let a = send(
        &s.sock,
        json!({"command": "statistic-get", "arguments": {"name": "pkt4-received"}}),
    )
    .await;
    assert_eq!(a["arguments"]["pkt4-received"][0][0], 2);
    assert_eq!(a["arguments"]["pkt4-received"][1][0], 1);
    let a = send(&s.sock, json!({"command": "statistic-get-all"})).await;
    assert_eq!(a["arguments"]["subnet[1].assigned-addresses"][0][0], 5);
    let a = send(
        &s.sock,
        json!({"command": "statistic-reset", "arguments": {"name": "pkt4-received"}}),
    )
    .await;
    assert_eq!(
        a,
        json!({"result": 0, "text": "Statistic 'pkt4-received' reset."})
    );
    let a = send(
        &s.sock,
        json!({"command": "statistic-sample-count-set-all", "arguments": {"max-samples": 0}}),
    )
    .await;
    assert_eq!(a["text"], "'max-samples' parameter must not be zero");
    let a = send(
        &s.sock,
        json!({"command": "statistic-remove", "arguments": {"name": "nope"}}),
    )
    .await;
    assert_eq!(a, json!({"result": 1, "text": "No 'nope' statistic found"}));
    for cmd in [
        json!({"command": "statistic-sample-age-set", "arguments": {"name": "pkt4-received", "duration": 10}}),
        json!({"command": "statistic-sample-age-set-all", "arguments": {"duration": 10}}),
        json!({"command": "statistic-sample-count-set", "arguments": {"name": "pkt4-received", "max-samples": 3}}),
        json!({"command": "statistic-sample-count-set-all", "arguments": {"max-samples": 3}}),
        json!({"command": "statistic-reset-all"}),
        json!({"command": "statistic-remove-all"}),
    ] {
        assert_eq!(send(&s.sock, cmd.clone()).await["result"], 0, "{cmd}");
    }
    assert_eq!(stats.count(), 0);
}

#[tokio::test]
async fn shutdown_with_exit_value() {
    let s = setup().await;
    let a = send(
        &s.sock,
        json!({"command": "shutdown", "arguments": {"exit-value": "x"}}),
    )
    .await;
    assert_eq!(a["result"], 1);
    assert!(!s.controller.context().shutdown.is_cancelled());
    let a = send(
        &s.sock,
        json!({"command": "shutdown", "arguments": {"exit-value": 3}}),
    )
    .await;
    assert_eq!(a, json!({"result": 0, "text": "Shutting down."}));
    assert!(s.controller.context().shutdown.is_cancelled());
    assert_eq!(s.controller.exit_code(), 3);
    let tracker = s.controller.context().tracker.clone();
    tracker.close();
    tokio::time::timeout(std::time::Duration::from_secs(5), tracker.wait())
        .await
        .unwrap();
    assert!(!s.sock.exists());
}
