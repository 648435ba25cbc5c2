//! Lease file cleanup started by the server on `lfc-interval` (ARM `lfc.rst`).

use std::time::Duration;

use kea_dhcp::MessageType::*;

use crate::harness::*;

#[test]
fn the_server_rotates_and_compacts_its_lease_file_without_losing_a_lease() {
    let lfc = std::path::Path::new(env!("CARGO_BIN_EXE_kea-dhcp4")).with_file_name("kea-lfc");
    if !lfc.exists() {
        // `cargo nextest run --workspace` builds every binary; a lone `-p kea-dhcp4` may not.
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "kea-lfc not built beside kea-dhcp4"
        );
        eprintln!("skipping: {} not built", lfc.display());
        return;
    }
    let s = Server::start(
        r#"
        "valid-lifetime": 3600,
        "subnet4": [ { "id": 1, "subnet": "10.0.0.0/24",
            "pools": [ { "pool": "10.0.0.10 - 10.0.0.50" } ],
            "relay": { "ip-addresses": [ "127.0.0.2" ] } } ]
        "#,
    );
    let c = s.client();
    let mut leased = Vec::new();
    for mac in 1..=5u8 {
        let ack = dora(&c, mac);
        // Renew each a few times so the file has many rows per lease.
        for n in 0..3 {
            let mut r = query(Request, mac, 1000 + u32::from(mac) * 10 + n);
            r.ciaddr = ack.yiaddr;
            assert_eq!(c.exchange(&r).unwrap().msg_type(), Some(Ack));
        }
        leased.push(ack.yiaddr);
    }
    assert_eq!(s.lease_rows().len(), 20);
    // Switch cleanup on through config-set: the new interval applies at once.
    let mut cfg = s.command(serde_json::json!({ "command": "config-get" }))["arguments"].clone();
    cfg["Dhcp4"]["lease-database"]["lfc-interval"] = serde_json::json!(1);
    let a = s.command(serde_json::json!({ "command": "config-set", "arguments": cfg }));
    assert_eq!(a["result"], 0, "{a}");
    let previous = s.path("leases4.csv.2");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !previous.exists() || s.path("leases4.csv.1").exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "no cleanup:\n{}",
            s.output()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let compacted: Vec<String> = read(&previous)
        .lines()
        .skip(1)
        .map(str::to_string)
        .collect();
    assert_eq!(compacted.len(), 5, "{compacted:?}");
    for a in &leased {
        assert_eq!(
            compacted
                .iter()
                .filter(|r| r.starts_with(&format!("{a},")))
                .count(),
            1
        );
    }
    // Serving went on: a new lease lands in the fresh file.
    let more = dora(&c, 9);
    assert!(
        s.lease_rows()
            .iter()
            .any(|r| r.starts_with(&format!("{},", more.yiaddr)))
    );
}
