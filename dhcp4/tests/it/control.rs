//! The control channel of the running server.

use serde_json::json;

use crate::harness::*;

const BODY: &str = r#"
    "subnet4": [ { "id": 1, "subnet": "10.0.0.0/24",
        "pools": [ { "pool": "10.0.0.10 - 10.0.0.20" } ],
        "relay": { "ip-addresses": [ "127.0.0.2" ] } } ]
"#;

#[test]
fn list_commands_is_the_registry_and_every_listed_command_answers() {
    let s = Server::start(BODY);
    let a = s.command(json!({ "command": "list-commands" }));
    assert_eq!(a["result"], 0);
    let list: Vec<String> = a["arguments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    for c in [
        "build-report",
        "config-get",
        "config-hash-get",
        "config-reload",
        "config-set",
        "config-test",
        "config-write",
        "dhcp-disable",
        "dhcp-enable",
        "list-commands",
        "server-tag-get",
        "shutdown",
        "status-get",
        "version-get",
        "statistic-get",
        "statistic-get-all",
        "statistic-reset",
        "statistic-reset-all",
        "statistic-remove",
        "statistic-remove-all",
        "statistic-sample-age-set",
        "statistic-sample-age-set-all",
        "statistic-sample-count-set",
        "statistic-sample-count-set-all",
    ] {
        assert!(list.contains(&c.to_string()), "{c} missing from {list:?}");
    }
    for c in list.iter().filter(|c| c.as_str() != "shutdown") {
        let a = s.command(json!({ "command": c }));
        let r = a["result"].as_i64().unwrap();
        assert!(r != 2, "{c} is listed but unsupported: {a}");
    }
    let a = s.command(json!({ "command": "no-such-command" }));
    assert_eq!(a["result"], 2);
}

#[test]
fn dhcp_disable_stops_answers_until_enabled() {
    let s = Server::start(BODY);
    let c = s.client();
    let a = s.command(json!({ "command": "dhcp-disable" }));
    assert_eq!(a["text"], "DHCPv4 service disabled");
    assert!(
        c.exchange(&query(kea_dhcp::MessageType::Discover, 1, 1))
            .is_none()
    );
    let a = s.command(json!({ "command": "dhcp-enable" }));
    assert_eq!(a["text"], "DHCP service successfully enabled");
    assert!(
        c.exchange(&query(kea_dhcp::MessageType::Discover, 1, 2))
            .is_some()
    );
    let a = s.command(json!({ "command": "dhcp-disable", "arguments": { "max-period": "x" } }));
    assert_eq!(a["result"], 1);
}

#[test]
fn broken_config_set_keeps_the_running_config() {
    let s = Server::start(BODY);
    let c = s.client();
    let before = s.command(json!({ "command": "config-get" }));
    let bad = json!({ "command": "config-set", "arguments": { "Dhcp4": {
        "subnet4": [ { "id": 1, "subnet": "10.0.0.0/24", "pools": [ { "pool": "10.9.0.1 - 10.9.0.5" } ] } ]
    } } });
    let a = s.command(bad);
    assert_eq!(a["result"], 1, "{a}");
    assert!(a["text"].as_str().unwrap().contains("10.9.0.1"), "{a}");
    let after = s.command(json!({ "command": "config-get" }));
    assert_eq!(before["arguments"], after["arguments"]);
    assert!(
        c.exchange(&query(kea_dhcp::MessageType::Discover, 2, 3))
            .is_some()
    );

    // A good config-set takes effect at once: the new pool is used.
    let mut cfg = after["arguments"].clone();
    cfg["Dhcp4"]["subnet4"][0]["pools"] = json!([ { "pool": "10.0.0.50 - 10.0.0.60" } ]);
    let a = s.command(json!({ "command": "config-set", "arguments": cfg }));
    assert_eq!(a["result"], 0, "{a}");
    let offer = c
        .exchange(&query(kea_dhcp::MessageType::Discover, 3, 4))
        .unwrap();
    assert_eq!(offer.yiaddr, std::net::Ipv4Addr::new(10, 0, 0, 50));
}

#[test]
fn config_get_shows_defaults_and_config_write_round_trips() {
    let s = Server::start(BODY);
    let a = s.command(json!({ "command": "config-get" }));
    let d = &a["arguments"]["Dhcp4"];
    assert_eq!(d["valid-lifetime"], 7200);
    assert_eq!(d["match-client-id"], true);
    let out = s.path("written.json");
    let a = s.command(json!({ "command": "config-write", "arguments": { "filename": out } }));
    assert_eq!(a["result"], 0, "{a}");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_kea-dhcp4"))
        .arg("-t")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
}
