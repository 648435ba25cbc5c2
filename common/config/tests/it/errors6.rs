//! kea-dhcp6 error wording and positions, compared with what `kea-dhcp6 -t` prints for the
//! same input; and the DHCPv6-only keys staying out of kea-dhcp4.

use kea_config::json::parse_str;
use kea_config::{parse_dhcp4, parse_dhcp6};
use proptest::prelude::*;

fn check(text: &str) -> Result<kea_config::Dhcp6Config, String> {
    let root = parse_str(text, "t.json").map_err(|e| e.to_string())?;
    parse_dhcp6(&root).map_err(|e| e.to_string())
}

fn err(text: &str) -> String {
    check(text).unwrap_err()
}

#[test]
fn unknown_keywords() {
    // kea-dhcp6 -t: t.json:1.12-16: got unexpected keyword "foo" in Dhcp6 map.
    assert_eq!(
        err(r#"{"Dhcp6": {"foo": 1}}"#),
        r#"t.json:1.12-16: got unexpected keyword "foo" in Dhcp6 map."#
    );
    // kea-dhcp6 -t: t.json:1.131-133: got unexpected keyword "x" in pd-pools map.
    assert_eq!(
        err(
            r#"{"Dhcp6": {"subnet6": [{"subnet": "2001:db8::/64", "pd-pools": [{"prefix": "2001:db8:1::", "prefix-len": 48, "delegated-len": 64, "x": 1}]}]}}"#
        ),
        r#"t.json:1.131-133: got unexpected keyword "x" in pd-pools map."#
    );
    // kea-dhcp6 -t: t.json:1.44-55: got unexpected keyword "ip-address" in reservations map.
    assert_eq!(
        err(r#"{"Dhcp6": {"reservations": [{"duid": "01", "ip-address": "2001:db8::1"}]}}"#),
        r#"t.json:1.44-55: got unexpected keyword "ip-address" in reservations map."#
    );
    // kea-dhcp6 -t: t.json:1.30-41: got unexpected keyword "circuit-id" in reservations map.
    assert_eq!(
        err(r#"{"Dhcp6": {"reservations": [{"circuit-id": "01", "hostname": "a"}]}}"#),
        r#"t.json:1.30-41: got unexpected keyword "circuit-id" in reservations map."#
    );
    // kea-dhcp6 -t: t.json:1.40-42: got unexpected keyword "x" in server-id map.
    assert_eq!(
        err(r#"{"Dhcp6": {"server-id": {"type": "LL", "x": 1}}}"#),
        r#"t.json:1.40-42: got unexpected keyword "x" in server-id map."#
    );
    // kea-dhcp6 -t: t.json:1.46-49: got unexpected keyword "id" in shared-networks map.
    assert_eq!(
        err(r#"{"Dhcp6": {"shared-networks": [{"name": "a", "id": 1}]}}"#),
        r#"t.json:1.46-49: got unexpected keyword "id" in shared-networks map."#
    );
    // kea-dhcp6 -t: t.json:1.52-63: got unexpected keyword "4o6-subnet" in subnet6 map.
    assert_eq!(
        err(r#"{"Dhcp6": {"subnet6": [{"subnet": "2001:db8::/64", "4o6-subnet": "x"}]}}"#),
        r#"t.json:1.52-63: got unexpected keyword "4o6-subnet" in subnet6 map."#
    );
    // kea-dhcp6 -t: t.json:1.45-60: got unexpected keyword "boot-file-name" in client-classes map.
    assert_eq!(
        err(r#"{"Dhcp6": {"client-classes": [{"name": "a", "boot-file-name": "x"}]}}"#),
        r#"t.json:1.45-60: got unexpected keyword "boot-file-name" in client-classes map."#
    );
    // kea-dhcp6 -t: t.json:1.12-25: got unexpected keyword "rapid-commit" in Dhcp6 map.
    assert_eq!(
        err(r#"{"Dhcp6": {"rapid-commit": true}}"#),
        r#"t.json:1.12-25: got unexpected keyword "rapid-commit" in Dhcp6 map."#
    );
}

#[test]
fn type_and_keyword_errors() {
    // kea-dhcp6 -t: t.json:1.45-56: syntax error, unexpected constant string, expecting duid
    // or hw-address or flex-id
    assert_eq!(
        err(r#"{"Dhcp6": {"host-reservation-identifiers": ["circuit-id"]}}"#),
        "t.json:1.45-56: syntax error, unexpected constant string, expecting duid or hw-address or flex-id"
    );
    // kea-dhcp6 -t: t.json:1.34-36: syntax error, unexpected floating point, expecting integer
    assert_eq!(
        err(r#"{"Dhcp6": {"preferred-lifetime": 1.5}}"#),
        "t.json:1.34-36: syntax error, unexpected floating point, expecting integer"
    );
    // kea-dhcp6 -t: t.json:1.28-30: syntax error, unexpected constant string, expecting integer
    assert_eq!(
        err(r#"{"Dhcp6": {"dhcp4o6-port": "x"}}"#),
        "t.json:1.28-30: syntax error, unexpected constant string, expecting integer"
    );
    // kea-dhcp6 -t: t.json:1.27-31: syntax error, unexpected constant string, expecting [
    assert_eq!(
        err(r#"{"Dhcp6": {"mac-sources": "any"}}"#),
        "t.json:1.27-31: syntax error, unexpected constant string, expecting ["
    );
    // Kea 2.2 refuses these when building the runtime configuration; here at decode time.
    assert!(check(r#"{"Dhcp6": {"mac-sources": ["foo"]}}"#).is_err());
    assert!(check(r#"{"Dhcp6": {"dhcp4o6-port": 70000}}"#).is_err());
    assert!(
        check(
            r#"{"Dhcp6": {"subnet6": [{"subnet": "2001:db8::/64", "pd-pools": [{"prefix": "2001:db8:1::", "prefix-len": 300, "delegated-len": 64}]}]}}"#
        )
        .is_err()
    );
}

#[test]
fn missing_parameters_and_top_level() {
    // kea-dhcp6 -t: missing parameter 'subnet' (t.json:1:24) [subnet6 map between ...]
    assert_eq!(
        err(r#"{"Dhcp6": {"subnet6": [{"id": 1}]}}"#),
        "missing parameter 'subnet' (t.json:1:24) [subnet6 map]"
    );
    // kea-dhcp6 -t: missing parameter 'type' (t.json:1:12) [server-id map between t.json:1:25
    // and t.json:1:42]; Kea points at the key here, we point at the map.
    assert_eq!(
        err(r#"{"Dhcp6": {"server-id": {"persist": false}}}"#),
        "missing parameter 'type' (t.json:1:25) [server-id map]"
    );
    // kea-dhcp6 -t: t.json:1.2-8: syntax error, unexpected constant string, expecting Dhcp6
    assert_eq!(
        err(r#"{"Dhcp4": {"valid-lifetime": 1}}"#),
        "t.json:1.2-8: syntax error, unexpected constant string, expecting Dhcp6"
    );
    // kea-dhcp6 -t: t.json:1.62: syntax error, unexpected }, expecting ip-addresses or
    // ip-address
    assert!(
        err(r#"{"Dhcp6": {"subnet6": [{"subnet": "2001:db8::/64", "relay": {}}]}}"#)
            .starts_with("t.json:1.62: syntax error, unexpected }")
    );
}

#[test]
fn every_kea22_v6_key_is_accepted() {
    let c = check(
        r#"{"Dhcp6": {
          "data-directory": "/var/lib/kea", "dhcp4o6-port": 6767,
          "mac-sources": ["duid", "ipv6-link-local"], "relay-supplied-options": ["65", "110"],
          "server-id": {"type": "EN", "enterprise-id": 2495, "identifier": "0123",
                        "persist": false, "user-context": {}, "comment": "c"},
          "host-reservation-identifiers": ["flex-id", "duid", "hw-address"],
          "compatibility": {"lenient-option-parsing": true},
          "interfaces-config": {"interfaces": ["eth0"], "re-detect": false,
                                "service-sockets-max-retries": 2},
          "client-classes": [{"name": "a", "test": "member('ALL')", "only-if-required": true,
            "preferred-lifetime": 3, "min-preferred-lifetime": 1, "max-preferred-lifetime": 5,
            "valid-lifetime": 3, "option-data": []}],
          "reservations": [{"hw-address": "01:02:03:04:05:06", "ip-addresses": ["2001:db8::1"],
            "prefixes": ["2001:db8:1::/64"], "hostname": "x", "client-classes": ["a"],
            "option-data": [], "user-context": {}, "comment": "c"}],
          "subnet6": [{"subnet": "2001:db8::/64", "id": 1, "interface-id": "r",
            "rapid-commit": true, "preferred-lifetime": 3, "store-extended-info": true,
            "pools": [{"pool": "2001:db8::1-2001:db8::5", "client-class": "a",
                       "require-client-classes": ["b"], "option-data": []}],
            "pd-pools": [{"prefix": "2001:db8:1::", "prefix-len": 48, "delegated-len": 64,
                          "excluded-prefix": "2001:db8:1::", "excluded-prefix-len": 72,
                          "client-class": "a", "require-client-classes": ["b"]}]}],
          "reservation-mode": "all", "cache-threshold": 0.2, "parked-packet-limit": 3
        }}"#,
    )
    .unwrap();
    assert_eq!(c.dhcp4o6_port, Some(6767));
    assert_eq!(c.relay_supplied_options.unwrap(), vec!["65", "110"]);
    assert_eq!(c.server_id.unwrap().enterprise_id, Some(2495));
    assert_eq!(c.client_classes[0].max_preferred_lifetime, Some(5));
    assert_eq!(c.subnet6[0].pd_pools[0].excluded_prefix_len, Some(72));
}

#[test]
fn v6_keys_stay_out_of_dhcp4() {
    let v4 = |text: &str| {
        let root = parse_str(text, "t4.json").unwrap();
        parse_dhcp4(&root).map_err(|e| e.to_string())
    };
    // kea-dhcp4 -t: t4.json:1.12-31: got unexpected keyword "preferred-lifetime" in Dhcp4 map.
    assert_eq!(
        v4(r#"{"Dhcp4": {"preferred-lifetime": 1}}"#).unwrap_err(),
        r#"t4.json:1.12-31: got unexpected keyword "preferred-lifetime" in Dhcp4 map."#
    );
    for key in [
        r#""pd-allocator": "random""#,
        r#""mac-sources": ["any"]"#,
        r#""server-id": {"type": "LLT"}"#,
        r#""subnet6": []"#,
    ] {
        assert!(v4(&format!(r#"{{"Dhcp4": {{{key}}}}}"#)).is_err(), "{key}");
    }
    assert!(
        v4(r#"{"Dhcp4": {"subnet4": [{"subnet": "10.0.0.0/8", "rapid-commit": true}]}}"#).is_err()
    );
}

const SEED: &str = r#"{"Dhcp6": {"preferred-lifetime": 3000, "subnet6": [{"subnet": "2001:db8::/64",
 "pools": [{"pool": "2001:db8::1-2001:db8::9"}], "relay": {"ip-addresses": []},
 "pd-pools": [{"prefix": "2001:db8:1::", "prefix-len": 48, "delegated-len": 64}]}],
 "server-id": {"type": "LLT"}, "mac-sources": ["any"], "t2-percent": .8,
 "loggers": [{"name": "kea-dhcp6", "output_options": [{"output": "stdout"}]}]}}"#;

proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in "[\\[\\]{}:,\"a-z0-9.\\- \n#/*\\\\<?]{0,200}") {
        if let Ok(root) = parse_str(&text, "p.json") {
            let _ = parse_dhcp6(&root);
        }
    }

    #[test]
    fn mutated_config_never_panics(index in 0..SEED.len(), byte in any::<u8>()) {
        let mut bytes = SEED.as_bytes().to_vec();
        bytes[index] = byte;
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(root) = parse_str(&text, "p.json") {
            let _ = parse_dhcp6(&root);
        }
    }
}

#[test]
fn seed_is_valid() {
    let root = parse_str(SEED, "p.json").unwrap();
    parse_dhcp6(&root).unwrap();
}

#[test]
fn multi_threading_takes_comments() {
    // kea-dhcp6 -t and kea-dhcp4 -t accept both keys in multi-threading.
    let c = check(
        r#"{"Dhcp6": {"multi-threading": {"enable-multi-threading": false, "comment": "x",
           "user-context": {"a": 1}}}}"#,
    )
    .unwrap();
    assert_eq!(c.multi_threading.unwrap().comment.as_deref(), Some("x"));
}
