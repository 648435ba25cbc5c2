//! Hook libraries loaded by Kea's file names (`hooks-libraries`): lease_cmds and stat_cmds.

use std::net::Ipv4Addr;

use kea_dhcp::MessageType::*;
use serde_json::json;

use crate::harness::*;

const BODY: &str = r#"
    "hooks-libraries": [
        { "library": "/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_lease_cmds.so" },
        { "library": "libdhcp_stat_cmds.so" } ],
    "subnet4": [ { "id": 1, "subnet": "10.0.0.0/24",
        "pools": [ { "pool": "10.0.0.10 - 10.0.0.20" } ],
        "relay": { "ip-addresses": [ "127.0.0.2" ] } } ]
"#;

#[test]
fn lease_commands_change_what_clients_get_and_persist() {
    let s = Server::start(BODY);
    let c = s.client();
    let list = s.command(json!({ "command": "list-commands" }));
    for cmd in [
        "lease4-add",
        "lease4-get",
        "lease4-del",
        "lease4-wipe",
        "stat-lease4-get",
    ] {
        assert!(
            list["arguments"].as_array().unwrap().contains(&json!(cmd)),
            "{cmd}"
        );
    }
    // A lease added by command is handed to its client by DORA.
    let a = s.command(json!({ "command": "lease4-add", "arguments": {
        "ip-address": "10.0.0.15", "hw-address": "1a:1b:1c:1d:1e:01" } }));
    assert_eq!(a["result"], 0, "{a}");
    assert_eq!(dora(&c, 1).yiaddr, Ipv4Addr::new(10, 0, 0, 15));
    let got =
        s.command(json!({ "command": "lease4-get", "arguments": { "ip-address": "10.0.0.15" } }));
    assert_eq!(got["arguments"]["hw-address"], "1a:1b:1c:1d:1e:01");
    // Bad arguments: result 1, nothing changed.
    let bad =
        s.command(json!({ "command": "lease4-add", "arguments": { "ip-address": "10.9.9.9" } }));
    assert_eq!(bad["result"], 1, "{bad}");
    // lease4-del frees the address for someone else.
    let d =
        s.command(json!({ "command": "lease4-del", "arguments": { "ip-address": "10.0.0.15" } }));
    assert_eq!(d["result"], 0, "{d}");
    assert!(
        s.lease_rows()
            .last()
            .unwrap()
            .starts_with("10.0.0.15,1a:1b:1c:1d:1e:01,,0,")
    );
    let stats = s.command(json!({ "command": "stat-lease4-get" }));
    assert_eq!(stats["result"], 0, "{stats}");
    // lease4-wipe empties the subnet.
    dora(&c, 2);
    dora(&c, 3);
    let w = s.command(json!({ "command": "lease4-wipe", "arguments": { "subnet-id": 1 } }));
    assert_eq!(w["result"], 0, "{w}");
    let all = s.command(json!({ "command": "lease4-get-all" }));
    assert_eq!(all["result"], 3, "{all}");
    assert_eq!(s.stat("subnet[1].assigned-addresses"), 0);
    let _ = c.exchange(&query(Discover, 4, 1)).unwrap();
}

#[test]
fn unknown_libraries_are_refused_with_the_list_of_available_ones() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("h.json");
    std::fs::write(
        &p,
        r#"{ "Dhcp4": { "hooks-libraries": [ { "library": "/opt/libfoo.so" } ] } }"#,
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kea-dhcp4"))
        .arg("-t")
        .arg(&p)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(text.contains("libdhcp_lease_cmds.so"), "{text}");
}
