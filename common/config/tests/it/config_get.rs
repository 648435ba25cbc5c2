//! Defaults as Kea 2.2 fills them for `config-get`, laid out as its `config-write` writes.

use kea_config::json::{parse_str, value_to_kea_pretty};
use kea_config::parse_dhcp4;

/// The input sent to kea-dhcp4 2.2 with `config-set` before `config-write` produced
/// `kea22-config-write-minimal.json`.
const MINIMAL: &str = r#"{"Dhcp4": {
  "interfaces-config": {"interfaces": [], "dhcp-socket-type": "udp"},
  "control-socket": {"socket-type": "unix", "socket-name": "/tmp/kc/ctl.sock"},
  "lease-database": {"type": "memfile", "persist": false}
}}"#;

#[test]
fn minimal_config_with_defaults_matches_kea_config_write() {
    let root = parse_str(MINIMAL, "min.json").unwrap();
    let config = parse_dhcp4(&root).unwrap().with_kea_defaults();
    let text = value_to_kea_pretty(&serde_json::json!({ "Dhcp4": config }));
    let kea = include_str!("kea22-config-write-minimal.json");
    assert_eq!(text, kea.trim_end());
}

#[test]
fn defaults_do_not_override_configured_values() {
    let root = parse_str(
        r#"{"Dhcp4": {"valid-lifetime": 4000, "dhcp-ddns": {"enable-updates": true}}}"#,
        "t.json",
    )
    .unwrap();
    let config = parse_dhcp4(&root).unwrap().with_kea_defaults();
    assert_eq!(config.valid_lifetime, Some(4000));
    let ddns = config.dhcp_ddns.unwrap();
    assert!(ddns.enable_updates);
    assert_eq!(ddns.server_port, Some(53001));
}
