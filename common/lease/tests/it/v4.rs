//! DHCPv4 lease files exchanged with Kea 2.2: a file Kea wrote (kept as a fixture, and
//! regenerated live when Kea is installed) loads here with identical leases and re-encodes
//! to Kea's exact rows; a file our `Memfile4` wrote loads in Kea with identical leases.

use crate::kea::{self, Family, Kea};
use crate::kea_form::{lease4, sorted};
use kea_lease::load::load_lease_files;
use kea_lease::{
    HwAddr, Lease4, LeaseFilePaths, LeaseRow, LeaseState, Memfile4, MemfileConfig, MemfileError,
};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

const CSV: &str = "kea-2.2-leases4.csv";
const GET_ALL: &str = "kea-2.2-leases4-get-all.json";

/// Drives Kea through adds, an update and a delete; returns its lease4-get-all list.
fn kea_session(kea: &Kea) -> Value {
    let adds = [
        json!({"ip-address": "192.0.2.50", "hw-address": "1a:1b:1c:1d:1e:1f",
               "client-id": "01:1a:1b:1c:1d:1e:1f", "valid-lft": 3600, "expire": 1795439978,
               "fqdn-fwd": true, "fqdn-rev": true, "hostname": "a,b.example.org",
               "user-context": {"note": "x,y", "list": [1, 2, {"é": "ü"}], "empty": {},
                                "flag": true, "none": null, "n": -5}}),
        json!({"ip-address": "192.0.2.51", "hw-address": "1a:1b:1c:1d:1e:20",
               "valid-lft": 7200, "expire": 1795443593}),
        json!({"ip-address": "192.0.2.52", "hw-address": "1a:1b:1c:1d:1e:21",
               "valid-lft": 600, "expire": 1795440000, "hostname": "gone"}),
        json!({"ip-address": "192.0.2.53", "hw-address": "", "state": 1,
               "valid-lft": 86400, "expire": 1795500000}),
        json!({"ip-address": "192.0.2.54", "hw-address": "0a:0b:0c:0d:0e:0f", "state": 2,
               "valid-lft": 100, "expire": 1795400000}),
        json!({"ip-address": "198.51.100.10", "subnet-id": 2, "hw-address": "00:11:22:33:44:55",
               "client-id": "ff:00:01", "valid-lft": u32::MAX, "hostname": "inf"}),
    ];
    for lease in adds {
        kea.ok("lease4-add", lease);
    }
    kea.ok(
        "lease4-update",
        json!({"ip-address": "192.0.2.51", "hw-address": "1a:1b:1c:1d:1e:20",
               "valid-lft": 7200, "expire": 1795447193, "hostname": "renewed,host",
               "user-context": {"b": "x,y", "a": 1}}),
    );
    kea.ok("lease4-del", json!({"ip-address": "192.0.2.52"}));
    kea.ok("lease4-get-all", Value::Null)["arguments"]["leases"].clone()
}

/// Checks a Kea-written file against Kea's own view of its leases: same leases after
/// loading, and our encoding of each lease is byte-identical to Kea's last row for it.
fn check_kea_file(csv: &Path, kea_leases: &Value) {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("leases4.csv");
    std::fs::copy(csv, &copy).unwrap();
    let (leases, report) = load_lease_files::<Lease4>(&LeaseFilePaths::new(&copy), 0).unwrap();
    assert_eq!(report.row_errors, 0, "{:?}", report.errors);
    assert!(!report.needs_conversion);
    let ours: Vec<Value> = leases.values().map(lease4).collect();
    assert_eq!(sorted(&Value::Array(ours)), sorted(kea_leases));

    let text = std::fs::read_to_string(&copy).unwrap();
    let mut last_rows: HashMap<Ipv4Addr, &str> = HashMap::new();
    for row in text.lines().skip(1) {
        let addr = row.split(',').next().unwrap().parse().unwrap();
        last_rows.insert(addr, row);
    }
    for lease in leases.values() {
        assert_eq!(lease.to_row(), last_rows[&lease.addr]);
    }
    // The deletion record Kea wrote re-encodes identically too.
    let deleted = Ipv4Addr::new(192, 0, 2, 52);
    let record = Lease4::from_current_row(last_rows[&deleted]).unwrap();
    assert_eq!(record.valid_lft, 0);
    assert_eq!(record.to_row(), last_rows[&deleted]);
    let original = Lease4 {
        valid_lft: 600,
        ..record
    };
    assert_eq!(original.deletion_record().to_row(), last_rows[&deleted]);

    // Memfile4 opens it (appending to it) with the same leases.
    let (mf, _) = Memfile4::open(MemfileConfig {
        name: copy,
        ..MemfileConfig::v4(dir.path())
    })
    .unwrap();
    assert_eq!(mf.get_all(), leases.into_values().collect::<Vec<_>>());
}

#[test]
fn kea_written_fixture_loads_identically() {
    let kea_leases =
        kea_lease::kea_json::parse(&std::fs::read_to_string(fixture(GET_ALL)).unwrap()).unwrap();
    check_kea_file(&fixture(CSV), &kea_leases);
}

#[test]
fn kea_written_file_loads_identically_live() {
    if !kea::available(Family::V4) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("leases4.csv");
    let kea = Kea::start(Family::V4, dir.path(), &csv);
    let kea_leases = kea_session(&kea);
    kea.stop();
    check_kea_file(&csv, &kea_leases);
    if std::env::var_os("KEA_LEASE_REGENERATE_FIXTURES").is_some() {
        std::fs::copy(&csv, fixture(CSV)).unwrap();
        std::fs::write(
            fixture(GET_ALL),
            format!("{}\n", kea_lease::kea_json::to_kea_text(&kea_leases)),
        )
        .unwrap();
        eprintln!("note: regenerated {CSV} and {GET_ALL}");
    }
}

#[test]
fn memfile4_written_file_loads_in_kea() {
    if !kea::available(Family::V4) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("ours4.csv");
    let (mf, _) = Memfile4::open(MemfileConfig {
        name: csv.clone(),
        ..MemfileConfig::v4(dir.path())
    })
    .unwrap();
    let base = |last: u8| Lease4 {
        hwaddr: Some(HwAddr::ether(vec![2, 0, 0, 0, 0, last])),
        valid_lft: 3600,
        cltt: 1_795_000_000 + i64::from(last),
        subnet_id: 1,
        ..Lease4::new(Ipv4Addr::new(192, 0, 2, last))
    };
    mf.add(Lease4 {
        client_id: Some(vec![1, 2, 3]),
        fqdn_fwd: true,
        hostname: "comma,host.example.org".into(),
        user_context: json!({"z": [1, "a,b", {"é": null}], "a": {}, "q": "\"\\\n\t"})
            .as_object()
            .cloned(),
        ..base(10)
    })
    .unwrap();
    mf.add(base(11)).unwrap();
    mf.update(Lease4 {
        hostname: "updated".into(),
        cltt: 1_795_100_000,
        ..base(11)
    })
    .unwrap();
    mf.add(base(12)).unwrap();
    mf.delete(Ipv4Addr::new(192, 0, 2, 12)).unwrap();
    mf.add(Lease4 {
        hwaddr: None,
        state: LeaseState::Declined,
        ..base(13)
    })
    .unwrap();
    let no_hwaddr = Lease4::new(Ipv4Addr::new(198, 51, 100, 7));
    assert!(matches!(
        mf.add(no_hwaddr),
        Err(MemfileError::MissingHwAddr { .. })
    ));
    mf.add(Lease4 {
        state: LeaseState::ExpiredReclaimed,
        subnet_id: 2,
        fqdn_rev: true,
        addr: Ipv4Addr::new(198, 51, 100, 7),
        ..base(14)
    })
    .unwrap();
    let ours: Vec<Value> = mf.get_all().iter().map(lease4).collect();
    drop(mf);

    let kea = Kea::start(Family::V4, dir.path(), &csv);
    let kea_leases = kea.ok("lease4-get-all", Value::Null)["arguments"]["leases"].clone();
    kea.stop();
    assert_eq!(sorted(&kea_leases), sorted(&Value::Array(ours)));
}
