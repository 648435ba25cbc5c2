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
