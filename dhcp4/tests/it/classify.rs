//! Client classification in the running server (ARM `classify.rst`, "Client
//! Classification in DHCPv4").

use std::net::Ipv4Addr;

use kea_dhcp::MessageType::*;
use kea_dhcp::codes::*;

use crate::harness::*;

const CLASSES: &str = r#"
    "client-classes": [
        { "name": "pxe", "test": "substring(option[60].hex,0,9) == 'PXEClient'",
          "boot-file-name": "pxelinux.0", "next-server": "10.0.0.5",
          "option-data": [ { "name": "domain-name", "data": "pxe.example" } ] },
        { "name": "pxe-too", "test": "member('pxe')",
          "option-data": [ { "name": "time-offset", "data": "7" } ] },
        { "name": "late", "test": "member('ALL')", "only-if-required": true,
          "option-data": [ { "name": "ntp-servers", "data": "10.0.0.123" } ] },
        { "name": "known-hosts", "test": "member('KNOWN')",
          "option-data": [ { "name": "domain-name", "data": "known.example" } ] },
        { "name": "DROP", "test": "option[60].text == 'evil'" },
        { "name": "gold" }
    ],
    "subnet4": [
      { "id": 1, "subnet": "10.0.0.0/24", "relay": { "ip-addresses": [ "127.0.0.2" ] },
        "option-data": [ { "name": "domain-name", "data": "subnet.example" } ],
        "require-client-classes": [ "late" ],
        "pools": [ { "pool": "10.0.0.10 - 10.0.0.20", "client-class": "UNKNOWN" },
                   { "pool": "10.0.0.100 - 10.0.0.110", "client-class": "gold" } ],
        "reservations": [ { "hw-address": "1a:1b:1c:1d:1e:07", "client-classes": [ "gold" ] } ] } ]
"#;

fn ask(p: kea_dhcp::Pkt4) -> kea_dhcp::Pkt4 {
    with(p, DHO_DHCP_PARAMETER_REQUEST_LIST, &[2, 15, 42])
}

#[test]
fn classes_set_fixed_fields_options_and_pool_guards() {
    let s = Server::start(CLASSES);
    let c = s.client();
    let pxe = with(
        ask(query(Discover, 1, 1)),
        DHO_VENDOR_CLASS_IDENTIFIER,
        b"PXEClient:Arch:00000",
    );
    let offer = c.exchange(&pxe).unwrap();
    assert_eq!(offer.file_text(), "pxelinux.0");
    assert_eq!(offer.siaddr, Ipv4Addr::new(10, 0, 0, 5));
    // A class beats the subnet; member() sees classes assigned before it.
    assert_eq!(
        offer.options.data(DHO_DOMAIN_NAME),
        Some(&b"pxe.example"[..])
    );
    assert_eq!(offer.options.data(2), Some(&7i32.to_be_bytes()[..]));
    // The subnet requires "late": its option is sent.
    assert_eq!(addr_opt(&offer, 42), Some(Ipv4Addr::new(10, 0, 0, 123)));

    // An ordinary client: subnet options, a pool without guard.
    let plain = c.exchange(&ask(query(Discover, 2, 2))).unwrap();
    assert_eq!(
        plain.options.data(DHO_DOMAIN_NAME),
        Some(&b"subnet.example"[..])
    );
    assert!(plain.file_text().is_empty());
    assert!((10..=20).contains(&plain.yiaddr.octets()[3]));

    // A reservation puts the client in "gold" (and KNOWN): the guarded pool opens.
    let gold = c.exchange(&ask(query(Discover, 7, 3))).unwrap();
    assert!(
        (100..=110).contains(&gold.yiaddr.octets()[3]),
        "{}",
        gold.yiaddr
    );
    assert_eq!(
        gold.options.data(DHO_DOMAIN_NAME),
        Some(&b"known.example"[..])
    );
}

#[test]
fn the_drop_class_silences_a_client() {
    let s = Server::start(CLASSES);
    let c = s.client();
    let evil = with(query(Discover, 3, 4), DHO_VENDOR_CLASS_IDENTIFIER, b"evil");
    assert!(c.exchange(&evil).is_none());
    assert_eq!(s.stat("pkt4-receive-drop"), 1);
}

#[test]
fn a_bad_expression_or_an_unknown_member_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("c.json");
    for (test, needle) in [
        ("option[foo].hex == 'x'", "option 'foo' is not defined"),
        ("member('later')", "Not defined client class 'later'"),
    ] {
        std::fs::write(
            &p,
            format!(
                r#"{{ "Dhcp4": {{ "client-classes": [ {{ "name": "a", "test": "{test}" }},
                     {{ "name": "later" }} ] }} }}"#
            ),
        )
        .unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_kea-dhcp4"))
            .arg("-t")
            .arg(&p)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert!(text.contains(needle), "{text}");
    }
}

/// Classes on option 82 (relay agent information, RFC 3046): the circuit-id picks the subnet
/// of a shared network behind one relay, and a template class on the remote-id spawns
/// `SPAWN_remote_<id>` (ARM classify.rst, "Template Classes").
const RAI_CLASSES: &str = r#"
    "client-classes": [
        { "name": "port-a", "test": "relay4[1].hex == 'port-a'" },
        { "name": "port-b", "test": "relay4[1].hex == 'port-b'" },
        { "name": "SPAWN_remote_gold",
          "option-data": [ { "name": "domain-name", "data": "gold.example" } ] },
        { "name": "remote", "template-test": "relay4[2].hex",
          "option-data": [ { "name": "time-offset", "data": "42" } ] },
        { "name": "boot", "test": "member('BOOTP')",
          "option-data": [ { "name": "domain-name", "data": "bootp.example" } ] }
    ],
    "shared-networks": [ { "name": "floor", "relay": { "ip-addresses": [ "127.0.0.2" ] },
        "subnet4": [
          { "id": 1, "subnet": "10.1.0.0/24", "client-class": "port-a",
            "pools": [ { "pool": "10.1.0.10 - 10.1.0.20" } ] },
          { "id": 2, "subnet": "10.2.0.0/24", "client-class": "port-b",
            "pools": [ { "pool": "10.2.0.10 - 10.2.0.20" } ] } ] } ]
"#;

/// Option 82 with a circuit-id (sub-option 1) and, if given, a remote-id (sub-option 2).
fn rai(circuit: &[u8], remote: Option<&[u8]>) -> Vec<u8> {
    let mut v = vec![1, circuit.len() as u8];
    v.extend_from_slice(circuit);
    if let Some(r) = remote {
        v.extend_from_slice(&[2, r.len() as u8]);
        v.extend_from_slice(r);
    }
    v
}

#[test]
fn circuit_id_classes_guard_the_subnets_of_a_relay() {
    let s = Server::start(RAI_CLASSES);
    let c = s.client();
    let a = with(
        ask(query(Discover, 1, 11)),
        DHO_DHCP_AGENT_OPTIONS,
        &rai(b"port-a", None),
    );
    let offer = c.exchange(&a).expect("an OFFER from the port-a subnet");
    assert_eq!(offer.yiaddr.octets()[..3], [10, 1, 0], "{}", offer.yiaddr);
    let b = with(
        ask(query(Discover, 2, 12)),
        DHO_DHCP_AGENT_OPTIONS,
        &rai(b"port-b", None),
    );
    let offer = c.exchange(&b).expect("an OFFER from the port-b subnet");
    assert_eq!(offer.yiaddr.octets()[..3], [10, 2, 0], "{}", offer.yiaddr);
    // The full DORA keeps the class: the REQUEST is answered from the same subnet.
    let sid = offer
        .options
        .data(DHO_DHCP_SERVER_IDENTIFIER)
        .unwrap()
        .to_vec();
    let req = with(
        with(
            with(
                query(Request, 2, 13),
                DHO_DHCP_AGENT_OPTIONS,
                &rai(b"port-b", None),
            ),
            DHO_DHCP_REQUESTED_ADDRESS,
            &offer.yiaddr.octets(),
        ),
        DHO_DHCP_SERVER_IDENTIFIER,
        &sid,
    );
    let ack = c.exchange(&req).expect("an ACK");
    assert_eq!(ack.msg_type(), Some(Ack));
    assert_eq!(ack.yiaddr, offer.yiaddr);
    // Another port, or no option 82: no subnet admits the client.
    let other = with(
        query(Discover, 3, 14),
        DHO_DHCP_AGENT_OPTIONS,
        &rai(b"port-c", None),
    );
    assert!(c.exchange(&other).is_none());
    assert!(c.exchange(&query(Discover, 4, 15)).is_none());
}

#[test]
fn a_template_class_spawns_a_class_per_remote_id() {
    let s = Server::start(RAI_CLASSES);
    let c = s.client();
    // remote-id "gold": SPAWN_remote_gold (a defined class: its option) and "remote" (the
    // template's option).
    let gold = with(
        ask(query(Discover, 1, 21)),
        DHO_DHCP_AGENT_OPTIONS,
        &rai(b"port-a", Some(b"gold")),
    );
    let offer = c.exchange(&gold).unwrap();
    assert_eq!(
        offer.options.data(DHO_DOMAIN_NAME),
        Some(&b"gold.example"[..])
    );
    assert_eq!(offer.options.data(2), Some(&42i32.to_be_bytes()[..]));
    // remote-id "silver": SPAWN_remote_silver is not defined; the template's option still
    // comes with the spawned class.
    let silver = with(
        ask(query(Discover, 2, 22)),
        DHO_DHCP_AGENT_OPTIONS,
        &rai(b"port-a", Some(b"silver")),
    );
    let offer = c.exchange(&silver).unwrap();
    assert_eq!(offer.options.data(DHO_DOMAIN_NAME), None);
    assert_eq!(offer.options.data(2), Some(&42i32.to_be_bytes()[..]));
    // No remote-id: the value is empty, nothing is spawned, the template class is not joined.
    let none = with(
        ask(query(Discover, 3, 23)),
        DHO_DHCP_AGENT_OPTIONS,
        &rai(b"port-a", None),
    );
    let offer = c.exchange(&none).unwrap();
    assert_eq!(offer.options.data(2), None);
}

/// A BOOTP request (no option 53). Kea 2.2 without libdhcp_bootp.so drops it
/// (DHCP4_PACKET_DROP_0009, counted in pkt4-receive-drop) and so never puts a packet in the
/// `BOOTP` class; a class testing `member('BOOTP')` is accepted and never matches.
#[test]
fn bootp_requests_are_dropped_without_the_bootp_hook() {
    let s = Server::start(RAI_CLASSES);
    let c = s.client();
    let mut bootp = query(Discover, 1, 31);
    bootp.options = kea_dhcp::Options::new();
    bootp.options.insert(kea_dhcp::Opt::new(
        DHO_DHCP_AGENT_OPTIONS,
        rai(b"port-a", None),
    ));
    assert!(c.exchange(&bootp).is_none());
    assert_eq!(s.stat("pkt4-received"), 1);
    assert_eq!(s.stat("pkt4-unknown-received"), 1);
    assert_eq!(s.stat("pkt4-receive-drop"), 1);
    // A DHCP client on the same port is served, and is not in BOOTP.
    let dhcp = with(
        ask(query(Discover, 2, 32)),
        DHO_DHCP_AGENT_OPTIONS,
        &rai(b"port-a", None),
    );
    let offer = c.exchange(&dhcp).unwrap();
    assert_ne!(
        offer.options.data(DHO_DOMAIN_NAME),
        Some(&b"bootp.example"[..])
    );
}

/// `kea-dhcp4 -t` on a class: `test` and `template-test` together are refused (classify.rst,
/// "Configuring Classes"), as is an empty expression (Kea 2.2: "syntax error, unexpected end
/// of file"); a template class alone is accepted.
#[test]
fn template_test_verdicts() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("c.json");
    for (class, ok, needle) in [
        (
            r#""template-test": "substring(option[61].hex,0,3)""#,
            true,
            "",
        ),
        (
            r#""test": "member('ALL')", "template-test": "option[61].hex""#,
            false,
            "mutually exclusive",
        ),
        (r#""template-test": "option[61].hex == 'x'""#, false, "a"),
        (r#""test": """#, false, "unexpected end of file"),
        (
            r#""template-test": "ifelse(member('later'), 'x', '')""#,
            false,
            "Not defined client class 'later'",
        ),
    ] {
        std::fs::write(
            &p,
            format!(
                r#"{{ "Dhcp4": {{ "client-classes": [ {{ "name": "a", {class} }},
                     {{ "name": "later" }} ] }} }}"#
            ),
        )
        .unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_kea-dhcp4"))
            .arg("-t")
            .arg(&p)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.success(), ok, "{class}: {text}");
        assert!(text.contains(needle), "{class}: {text}");
    }
}
