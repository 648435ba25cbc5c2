//! Compaction: many updates of the same leases become one row each, deletions vanish,
//! and the output is byte for byte Kea 2.2's.

use std::collections::BTreeSet;

use crate::harness::{Family, LeaseDir, fixture, kea, log_ids, many_updates, ours};

fn fixture_run(family: Family) {
    let dir = LeaseDir::with_fixture_inputs(family);
    dir.run_ok(ours(), family);
    assert_eq!(dir.names(), vec!["kea-leases.csv.2"]);
    assert_eq!(
        dir.read(&dir.paths.previous),
        fixture(&format!("{}.kea-output.csv", family.name()))
    );
}

#[test]
fn v4_output_is_keas_recorded_output() {
    fixture_run(Family::V4);
}

#[test]
fn v6_output_is_keas_recorded_output() {
    fixture_run(Family::V6);
}

/// The fixtures are still what Kea writes for their inputs.
#[test]
fn fixtures_are_keas_output() {
    let Some(kea) = kea("fixtures_are_keas_output") else {
        return;
    };
    for family in [Family::V4, Family::V6] {
        let dir = LeaseDir::with_fixture_inputs(family);
        dir.run_ok(kea, family);
        assert_eq!(
            dir.read(&dir.paths.previous),
            fixture(&format!("{}.kea-output.csv", family.name()))
        );
    }
}

/// The addresses a lease file's last rows leave alive.
fn live_addresses(text: &str) -> BTreeSet<String> {
    let mut live = BTreeSet::new();
    for row in text.lines().skip(1) {
        let cols: Vec<&str> = row.split(',').collect();
        // The valid lifetime is the 3rd column of a v6 row, the 4th of a v4 row.
        let valid = if cols[0].contains(':') {
            cols[2]
        } else {
            cols[3]
        };
        if valid == "0" {
            live.remove(cols[0]);
        } else {
            live.insert(cols[0].to_owned());
        }
    }
    live
}

fn many_updates_run(family: Family, test: &str) {
    let previous = many_updates(family, 1, 300, 3000);
    let copy = many_updates(family, 2, 300, 3000);
    let dir = LeaseDir::new();
    dir.write(&dir.paths.previous, &previous);
    dir.write(&dir.paths.input, &copy);
    dir.run_ok(ours(), family);
    let output = dir.read(&dir.paths.previous);

    // One row per live address, in address order as Kea writes them.
    let all_rows = format!("{previous}{}", copy.split_once('\n').map_or("", |(_, r)| r));
    let expected = live_addresses(&all_rows);
    let written: Vec<&str> = output
        .lines()
        .skip(1)
        .map(|r| r.split(',').next().unwrap_or_default())
        .collect();
    assert_eq!(written.len(), expected.len());
    assert_eq!(
        written.iter().copied().collect::<BTreeSet<_>>().len(),
        written.len()
    );
    assert!(written.iter().all(|a| expected.contains(*a)));
    assert!(
        output.lines().count() < 3000 / 5,
        "compaction shrinks the file"
    );

    let Some(kea) = kea(test) else {
        return;
    };
    let theirs = LeaseDir::new();
    theirs.write(&theirs.paths.previous, &previous);
    theirs.write(&theirs.paths.input, &copy);
    theirs.run_ok(kea, family);
    assert_eq!(output, theirs.read(&theirs.paths.previous));
}

#[test]
fn v4_many_updates_compact_as_kea() {
    many_updates_run(Family::V4, "v4_many_updates_compact_as_kea");
}

#[test]
fn v6_many_updates_compact_as_kea() {
    many_updates_run(Family::V6, "v6_many_updates_compact_as_kea");
}

/// With `-d` the switches go to stdout and Kea's messages to stderr.
const EXPECTED_LOG: &[&str] = &[
    "INFO DhcpLFC LFC_START",
    "INFO DhcpLFC LFC_PROCESSING",
    "INFO DhcpLFC.dhcpsrv DHCPSRV_MEMFILE_LEASE_FILE_LOAD",
    "ERROR DhcpLFC.dhcpsrv DHCPSRV_MEMFILE_LEASE_LOAD_ROW_ERROR",
    "INFO DhcpLFC.dhcpsrv DHCPSRV_MEMFILE_LEASE_FILE_LOAD",
    "INFO DhcpLFC LFC_READ_STATS",
    "INFO DhcpLFC LFC_WRITE_STATS",
    "INFO DhcpLFC LFC_ROTATING",
    "INFO DhcpLFC LFC_TERMINATE",
];

/// What `-d` prints on stdout for `dir`'s files.
fn describe(dir: &LeaseDir) -> String {
    let mut args = dir.args(Family::V4);
    args.push("-d".into());
    match kea_lfc::cli::parse(&args) {
        Ok(kea_lfc::cli::Action::Run(a)) => a.describe(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn verbose_run_logs_as_kea() {
    let dir = LeaseDir::with_fixture_inputs(Family::V4);
    let out = dir.run(ours(), Family::V4, true);
    assert!(out.status.success());
    assert_eq!(log_ids(&out.stderr), EXPECTED_LOG);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("LFC_READ_STATS Leases: 119, attempts: 122, errors: 1.\n"));
    assert!(stderr.contains("LFC_WRITE_STATS Leases: 19, attempts: 19, errors: 0.\n"));
    assert_eq!(String::from_utf8_lossy(&out.stdout), describe(&dir));

    // Without -d, nothing at all.
    let dir = LeaseDir::with_fixture_inputs(Family::V4);
    let quiet = dir.run(ours(), Family::V4, false);
    assert!(quiet.stdout.is_empty() && quiet.stderr.is_empty());

    let Some(kea) = kea("verbose_run_logs_as_kea") else {
        return;
    };
    let dir = LeaseDir::with_fixture_inputs(Family::V4);
    let theirs = dir.run(kea, Family::V4, true);
    assert_eq!(log_ids(&theirs.stderr), EXPECTED_LOG);
    assert_eq!(String::from_utf8_lossy(&theirs.stdout), describe(&dir));
    let dir = LeaseDir::with_fixture_inputs(Family::V4);
    let theirs = dir.run(kea, Family::V4, false);
    assert!(theirs.stdout.is_empty() && theirs.stderr.is_empty());
}
