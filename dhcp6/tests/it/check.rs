//! `kea-dhcp6 -t` on Kea 2.2's example configurations.

use std::path::Path;
use std::process::Command;

/// Kea 2.2's verdict for each example (`true`: accepted by `kea-dhcp6 -t` on a machine
/// without the hook libraries and interfaces some examples name), and what we still refuse
/// as "not supported yet".
const EXAMPLES: &[(&str, bool, Option<&str>)] = &[
    ("advanced.json", true, None),
    ("all-keys-netconf.json", false, None),
    ("all-keys.json", false, None),
    ("all-options.json", true, None),
    ("backends.json", true, None),
    ("classify.json", false, None),
    ("classify2.json", false, None),
    ("comments.json", true, None),
    ("config-backend.json", false, None),
    ("dhcpv4-over-dhcpv6.json", false, None),
    ("duid.json", true, None),
    ("global-reservations.json", true, None),
    ("ha-hot-standby.json", false, None),
    ("hooks.json", false, None),
    ("iPXE.json", true, None),
    ("leases-expiration.json", true, None),
    ("multiple-options.json", true, None),
    ("mysql-reservations.json", true, Some("SQL host backends")),
    ("pgsql-reservations.json", true, Some("SQL host backends")),
    ("reservations.json", true, None),
    ("several-subnets.json", true, None),
    ("shared-network.json", false, None),
    ("simple.json", true, None),
    ("softwire46.json", true, None),
    ("stateless.json", true, None),
    ("tee-times.json", true, None),
    ("with-ddns.json", true, Some("DNS updates from kea-dhcp6")),
];

#[test]
fn examples_are_judged_as_kea_judges_them_or_refused_as_not_supported() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/spec/examples/kea6");
    let mut present: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    present.sort();
    let mut listed: Vec<_> = EXAMPLES.iter().map(|e| e.0.to_string()).collect();
    listed.sort();
    assert_eq!(listed, present);
    let mut wrong = Vec::new();
    for (file, kea_ok, gap) in EXAMPLES {
        let out = Command::new(env!("CARGO_BIN_EXE_kea-dhcp6"))
            .arg("-t")
            .arg(dir.join(file))
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr);
        let expected = *kea_ok && gap.is_none();
        if out.status.success() != expected {
            wrong.push(format!(
                "{file}: accepted={}, expected {expected}\n{text}",
                out.status.success()
            ));
        } else if gap.is_some() && !text.contains("not supported yet") {
            wrong.push(format!(
                "{file}: refused without saying what is missing:\n{text}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
