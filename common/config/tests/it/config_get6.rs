//! kea-dhcp6 defaults as Kea 2.2 fills them for `config-get`, laid out as its `config-write`
//! writes.

use kea_config::json::{parse_str, value_to_kea_pretty};
use kea_config::parse_dhcp6;

/// The configuration kea-dhcp6 2.2 was started with (`-c`) before `config-write` produced
/// `kea22-config-write-minimal6.json`. `persist: false` keeps Kea from writing a DUID file.
const MINIMAL: &str = r#"{"Dhcp6": {
  "interfaces-config": {"interfaces": []},
  "control-socket": {"socket-type": "unix", "socket-name": "/tmp/d6probe/srv/ctl.sock"},
  "lease-database": {"type": "memfile", "persist": false},
  "server-id": {"type": "LLT", "persist": false}
}}"#;

#[test]
fn minimal_config_with_defaults_matches_kea_config_write() {
    let root = parse_str(MINIMAL, "min.json").unwrap();
    let config = parse_dhcp6(&root).unwrap().with_kea_defaults();
    let text = value_to_kea_pretty(&serde_json::json!({ "Dhcp6": config }));
    let kea = include_str!("kea22-config-write-minimal6.json");
    assert_eq!(text, kea.trim_end());
}

#[test]
fn server_id_defaults_when_absent() {
    // kea-dhcp6 2.2 config-get without a server-id map: LLT, everything generated, persisted.
    let root = parse_str(r#"{"Dhcp6": {"valid-lifetime": 4000}}"#, "t.json").unwrap();
    let config = parse_dhcp6(&root).unwrap().with_kea_defaults();
    let sid = serde_json::to_value(config.server_id.unwrap()).unwrap();
    assert_eq!(
        sid,
        serde_json::json!({"enterprise-id": 0, "htype": 0, "identifier": "", "persist": true,
                           "time": 0, "type": "LLT"})
    );
    assert_eq!(config.valid_lifetime, Some(4000));
}
