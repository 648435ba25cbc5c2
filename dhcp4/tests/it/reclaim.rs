//! Lease reclamation: timers, the `leases-reclaim` command, declined-address probation.

use std::time::Duration;

use kea_dhcp::MessageType::*;
use kea_dhcp::codes::*;
use serde_json::json;

use crate::harness::*;

const SHORT: &str = r#"
    "valid-lifetime": 1,
    "decline-probation-period": 1,
    "expired-leases-processing": { "reclaim-timer-wait-time": 1, "hold-reclaimed-time": 60,
                                   "flush-reclaimed-timer-wait-time": 0 },
    "subnet4": [ { "id": 1, "subnet": "10.0.0.0/24",
        "pools": [ { "pool": "10.0.0.10 - 10.0.0.20" } ],
        "relay": { "ip-addresses": [ "127.0.0.2" ] } } ]
"#;

fn wait_for(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(8);
    while std::time::Instant::now() < deadline {
        if f() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("timed out waiting for {what}");
}

#[test]
fn expired_leases_are_reclaimed_by_the_timer_and_held_for_affinity() {
    let s = Server::start(SHORT);
    let c = s.client();
    let ack = dora(&c, 1);
    assert_eq!(s.stat("subnet[1].assigned-addresses"), 1);
    wait_for("reclamation", || s.stat("reclaimed-leases") == 1);
    assert_eq!(s.stat("subnet[1].reclaimed-leases"), 1);
    assert_eq!(s.stat("subnet[1].assigned-addresses"), 0);
    let last = s.lease_rows().pop().unwrap();
    assert!(
        last.starts_with(&format!("{},1a:1b:1c:1d:1e:01,", ack.yiaddr)),
        "{last}"
    );
    assert!(last.ends_with(",2,"), "held as expired-reclaimed: {last}");
    // Lease affinity: the returning client gets its old address back.
    assert_eq!(
        c.exchange(&query(Discover, 1, 99)).unwrap().yiaddr,
        ack.yiaddr
    );
}

#[test]
fn declined_addresses_come_back_after_probation() {
    let s = Server::start(SHORT);
    let c = s.client();
    let ack = dora(&c, 2);
    let dec = with(
        with(
            query(Decline, 2, 5),
            DHO_DHCP_SERVER_IDENTIFIER,
            &[127, 0, 0, 1],
        ),
        DHO_DHCP_REQUESTED_ADDRESS,
        &ack.yiaddr.octets(),
    );
    c.send_raw(&dec.encode());
    wait_for("declined", || s.stat("declined-addresses") == 1);
    wait_for("probation end", || {
        s.stat("reclaimed-declined-addresses") == 1
    });
    assert_eq!(s.stat("declined-addresses"), 0);
    assert_eq!(s.stat("subnet[1].reclaimed-declined-addresses"), 1);
}

#[test]
fn leases_reclaim_command_removes_or_holds() {
    let s = Server::start(
        r#"
        "valid-lifetime": 1,
        "expired-leases-processing": { "reclaim-timer-wait-time": 0, "flush-reclaimed-timer-wait-time": 0 },
        "subnet4": [ { "id": 1, "subnet": "10.0.0.0/24",
            "pools": [ { "pool": "10.0.0.10 - 10.0.0.20" } ],
            "relay": { "ip-addresses": [ "127.0.0.2" ] } } ]
        "#,
    );
    let c = s.client();
    let ack = dora(&c, 3);
    let a = s.command(json!({ "command": "leases-reclaim" }));
    assert_eq!(a["text"], "Missing mandatory 'remove' parameter.");
    std::thread::sleep(Duration::from_millis(2100));
    assert_eq!(
        s.stat("reclaimed-leases"),
        0,
        "timer disabled by a wait time of 0"
    );
    let a = s.command(json!({ "command": "leases-reclaim", "arguments": { "remove": true } }));
    assert_eq!(a["text"], "Reclamation of expired leases is complete.");
    assert_eq!(s.stat("reclaimed-leases"), 1);
    let last = s.lease_rows().pop().unwrap();
    assert!(
        last.starts_with(&format!("{},1a:1b:1c:1d:1e:03,,0,", ack.yiaddr)),
        "removed: {last}"
    );
}
