//! `kea-dhcp4 -t` on Kea 2.2's example configurations and on broken files.

use std::path::Path;
use std::process::Command;

/// Each example with Kea 2.2's verdict (`true` = accepted by `kea-dhcp4 -t` on a machine
/// without the hook libraries and interfaces some examples name). Where we
/// differ, the second flag says so and the reason is given: those are features not built yet
/// and refused explicitly ("not supported yet"), never silently ignored.
const EXAMPLES: &[(&str, bool, Option<&str>)] = &[
    ("advanced.json", true, None),
    (
        "all-keys-netconf.json",
        true,
        Some("hooks, classification expressions, SQL host backends"),
    ),
    ("all-keys.json", false, None),
    ("all-options.json", true, None),
    ("backends.json", true, None),
    ("classify.json", false, None),
    ("classify2.json", false, None),
    ("comments.json", true, None),
    ("config-backend.json", false, None),
    ("dhcpv4-over-dhcpv6.json", true, Some("DHCPv4-over-DHCPv6")),
    ("global-reservations.json", true, None),
    ("ha-load-balancing-primary.json", false, None),
    ("hooks-radius.json", false, None),
    ("hooks.json", false, None),
    ("leases-expiration.json", true, None),
    ("multiple-options.json", true, None),
    ("mysql-reservations.json", true, Some("SQL host backends")),
    ("pgsql-reservations.json", true, Some("SQL host backends")),
    ("reservations.json", true, None),
    ("several-subnets.json", true, None),
    ("shared-network.json", false, None),
    ("single-subnet.json", true, None),
    ("vendor-specific.json", true, None),
    ("vivso.json", true, None),
    ("with-ddns.json", true, None),
];

fn check(path: &Path) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kea-dhcp4"))
        .arg("-t")
        .arg(path)
        .output()
        .expect("run kea-dhcp4 -t");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn examples_are_judged_as_kea_judges_them_or_refused_as_not_supported() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/spec/examples/kea4");
    let mut listed: Vec<_> = EXAMPLES.iter().map(|e| e.0).collect();
    listed.sort();
    let mut present: Vec<String> = std::fs::read_dir(&dir)
        .expect("shared/spec/examples/kea4 beside the repository")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    present.sort();
    assert_eq!(listed, present, "every example has a verdict");
    let mut wrong = Vec::new();
    for (file, kea_ok, gap) in EXAMPLES {
        let (ok, text) = check(&dir.join(file));
        let expected = *kea_ok && gap.is_none();
        if ok != expected {
            wrong.push(format!(
                "{file}: accepted={ok}, expected {expected}\n{text}"
            ));
        } else if !ok && gap.is_some() && !text.contains("not supported yet") {
            wrong.push(format!(
                "{file}: refused without saying what is missing:\n{text}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn broken_files_are_refused_with_a_position() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.json");
    std::fs::write(
        &p,
        "{ \"Dhcp4\": {\n  \"valid-lifetime\": 4000,\n  \"foo\": 1\n} }\n",
    )
    .unwrap();
    let (ok, text) = check(&p);
    assert!(!ok);
    assert!(
        text.contains("got unexpected keyword \"foo\" in Dhcp4 map"),
        "{text}"
    );
    assert!(text.contains("bad.json:3"), "{text}");

    std::fs::write(
        &p,
        r#"{ "Dhcp4": { "subnet4": [ { "id": 1, "subnet": "10.0.0.0/24",
        "pools": [ { "pool": "10.1.0.1 - 10.1.0.9" } ] } ] } }"#,
    )
    .unwrap();
    let (ok, text) = check(&p);
    assert!(!ok);
    assert!(text.contains("does not match the prefix"), "{text}");
}

#[test]
fn keys_without_their_effect_yet_are_refused_not_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("k.json");
    for (body, key) in [
        (r#""store-extended-info": true"#, "store-extended-info"),
        (
            r#""subnet4": [ { "id": 1, "subnet": "10.0.0.0/24", "offer-lifetime": 60 } ]"#,
            "offer-lifetime",
        ),
        (
            r#""early-global-reservations-lookup": true"#,
            "early-global-reservations-lookup",
        ),
    ] {
        std::fs::write(&p, format!(r#"{{ "Dhcp4": {{ {body} }} }}"#)).unwrap();
        let (ok, text) = check(&p);
        assert!(!ok, "{key} accepted");
        assert!(
            text.contains(key) && text.contains("not supported yet"),
            "{text}"
        );
    }
    // Their default values change nothing and are accepted.
    std::fs::write(
        &p,
        r#"{ "Dhcp4": { "store-extended-info": false, "offer-lifetime": 0 } }"#,
    )
    .unwrap();
    assert!(check(&p).0);
}
