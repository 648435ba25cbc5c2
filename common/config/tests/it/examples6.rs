//! Every file of `shared/spec/examples/kea6` is accepted or rejected as `kea-dhcp6 -t` does.

use std::path::Path;

use kea_config::json::parse_file;
use kea_config::parse_dhcp6;

const DIR: &str = "/work/shared/spec/examples/kea6";

/// Whether parse_dhcp6 must accept the file.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    /// `kea-dhcp6 -t` accepts it too.
    Accept,
    /// `kea-dhcp6 -t` rejects it while building the runtime configuration (the reason is in
    /// the comment); parsing and structural validation accept it.
    AcceptRuntimeReject,
}

use Expect::{Accept, AcceptRuntimeReject};

/// Kea 2.2.0 `kea-dhcp6 -t FILE` results, captured on this machine.
const EXPECTED: &[(&str, Expect)] = &[
    ("advanced.json", Accept),
    // hooks library /opt/lib/kea/hooks/libdhcp_lease_cmds.so not present
    ("all-keys-netconf.json", AcceptRuntimeReject),
    // hooks library /opt/lib/kea/hooks/libdhcp_lease_cmds.so not present
    ("all-keys.json", AcceptRuntimeReject),
    ("all-options.json", Accept),
    ("backends.json", Accept),
    // interface eth1 named by subnet 2001:db8:4::/64 is not present in the system
    ("classify.json", AcceptRuntimeReject),
    // interface eth1 named by subnet 2001:db8:4::/64 is not present in the system
    ("classify2.json", AcceptRuntimeReject),
    ("comments.json", Accept),
    // hooks library /usr/local/lib/kea/hooks/libdhcp_mysql_cb.so not present
    ("config-backend.json", AcceptRuntimeReject),
    // interfaces-config: interface eth0 does not have address 2001:db8:1::1
    ("dhcpv4-over-dhcpv6.json", AcceptRuntimeReject),
    ("duid.json", Accept),
    ("global-reservations.json", Accept),
    // hooks libraries libdhcp_lease_cmds.so and libdhcp_ha.so under /opt/lib not present
    ("ha-hot-standby.json", AcceptRuntimeReject),
    // hooks libraries /opt/lib/security.so and /opt/lib/charging.so not present
    ("hooks.json", AcceptRuntimeReject),
    ("iPXE.json", Accept),
    ("leases-expiration.json", Accept),
    ("multiple-options.json", Accept),
    // database is not contacted by -t
    ("mysql-reservations.json", Accept),
    // database is not contacted by -t
    ("pgsql-reservations.json", Accept),
    ("reservations.json", Accept),
    ("several-subnets.json", Accept),
    // interface eth1 named by shared network frog is not present in the system
    ("shared-network.json", AcceptRuntimeReject),
    ("simple.json", Accept),
    ("softwire46.json", Accept),
    ("stateless.json", Accept),
    ("tee-times.json", Accept),
    ("with-ddns.json", Accept),
];

#[test]
fn every_kea6_example_is_judged_as_kea_does() {
    let dir = Path::new(DIR);
    if !dir.exists() {
        eprintln!("skipping: {DIR} not present");
        return;
    }
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    on_disk.sort();
    let mut listed: Vec<&str> = EXPECTED.iter().map(|(n, _)| *n).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "the list must name every example file");

    let mut failures = Vec::new();
    for (name, expect) in EXPECTED {
        let result = parse_file(&dir.join(name))
            .map_err(kea_config::ConfigError::from)
            .and_then(|root| parse_dhcp6(&root));
        let accepted = result.is_ok();
        let want = matches!(expect, Accept | AcceptRuntimeReject);
        if accepted != want {
            failures.push(format!("{name}: expected {expect:?}, got {result:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Decoded models serialize back to JSON that decodes to the same model.
#[test]
fn kea6_examples_round_trip_through_serialize() {
    let dir = Path::new(DIR);
    if !dir.exists() {
        return;
    }
    for (name, _) in EXPECTED {
        let root = parse_file(&dir.join(name)).unwrap();
        let config = parse_dhcp6(&root).unwrap();
        let text = serde_json::json!({ "Dhcp6": config }).to_string();
        let again = kea_config::json::parse_str(&text, name).unwrap();
        let back = parse_dhcp6(&again).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(back, config, "{name}");
    }
}

/// The Dhcp6 examples are not Dhcp4 configurations, and v6-only keys stay out of Dhcp4.
#[test]
fn kea6_examples_are_refused_by_parse_dhcp4() {
    let dir = Path::new(DIR);
    if !dir.exists() {
        return;
    }
    let root = parse_file(&dir.join("simple.json")).unwrap();
    assert!(kea_config::parse_dhcp4(&root).is_err());
}
