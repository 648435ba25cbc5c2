//! DHCPv6 lease files exchanged with Kea 2.2: a file Kea wrote (fixture, regenerated live
//! when Kea is installed) decodes to identical leases, re-encodes to Kea's exact rows and
//! opens in `Memfile6`; a file written with our v6 row codec, and one our `Memfile6`
//! wrote, load in Kea with identical leases; Kea's kea-lfc compacts `Memfile6`'s files.

use crate::kea::{self, Family, Kea};
use crate::kea_form::{lease6, sorted};
use kea_lease::load::load_lease_files;
use kea_lease::writer::LeaseFileWriter;
use kea_lease::{
    HwAddr, Lease6, LeaseFilePaths, LeaseRow, LeaseState, LeaseType, Memfile6, MemfileConfig,
    MemfileError, hwaddr,
};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::net::Ipv6Addr;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

const CSV: &str = "kea-2.2-leases6.csv";
const GET_ALL: &str = "kea-2.2-leases6-get-all.json";
const DUID: &str = "00:03:00:01:1a:1b:1c:1d:1e:1f";

fn kea_session(kea: &Kea) -> Value {
    let adds = [
        json!({"subnet-id": 1, "ip-address": "2001:db8:1::50", "duid": DUID, "iaid": 1234,
               "valid-lft": 3600, "preferred-lft": 1800, "expire": 1795439978,
               "hw-address": "1a:1b:1c:1d:1e:1f", "fqdn-fwd": true, "fqdn-rev": true,
               "hostname": "six,host.example.org",
               "user-context": {"x": "a,b", "é": [true, null, {}]}}),
        json!({"subnet-id": 1, "ip-address": "2001:db8:8:100::", "type": "IA_PD",
               "prefix-len": 64, "duid": DUID, "iaid": 99, "valid-lft": 7200,
               "preferred-lft": 3600, "expire": 1795443588, "user-context": {"a": 1}}),
        json!({"subnet-id": 1, "ip-address": "2001:db8:1::51", "duid": "01:02:03", "iaid": 1,
               "valid-lft": 100, "preferred-lft": 50, "expire": 1795400000}),
        json!({"subnet-id": 1, "ip-address": "2001:db8:1::52", "duid": "01:02:04", "iaid": 2,
               "valid-lft": 100, "preferred-lft": 50, "expire": 1795400000, "state": 1}),
        json!({"subnet-id": 1, "ip-address": "2001:db8:1::53", "duid": "01:02:05", "iaid": 3,
               "valid-lft": 100, "preferred-lft": 50, "expire": 1795400000, "state": 2}),
    ];
    for lease in adds {
        kea.ok("lease6-add", lease);
    }
    kea.ok(
        "lease6-update",
        json!({"subnet-id": 1, "ip-address": "2001:db8:1::50", "duid": DUID, "iaid": 1234,
               "valid-lft": 3600, "preferred-lft": 1800, "expire": 1795443578,
               "hw-address": "1a:1b:1c:1d:1e:1f", "hostname": "renewed,six"}),
    );
    kea.ok("lease6-del", json!({"ip-address": "2001:db8:1::51"}));
    kea.ok("lease6-get-all", Value::Null)["arguments"]["leases"].clone()
}

fn check_kea_file(csv: &Path, kea_leases: &Value) {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("leases6.csv");
    std::fs::copy(csv, &copy).unwrap();
    let csv = copy.as_path();
    let (leases, report) = load_lease_files::<Lease6>(&LeaseFilePaths::new(csv), 0).unwrap();
    assert_eq!(report.row_errors, 0, "{:?}", report.errors);
    assert!(!report.needs_conversion);
    let ours: Vec<Value> = leases.values().map(lease6).collect();
    assert_eq!(sorted(&Value::Array(ours)), sorted(kea_leases));

    let text = std::fs::read_to_string(csv).unwrap();
    let mut last_rows: HashMap<Ipv6Addr, &str> = HashMap::new();
    for row in text.lines().skip(1) {
        let addr = row.split(',').next().unwrap().parse().unwrap();
        last_rows.insert(addr, row);
    }
    for lease in leases.values() {
        assert_eq!(lease.to_row(), last_rows[&lease.addr]);
    }
    let deleted: Ipv6Addr = "2001:db8:1::51".parse().unwrap();
    let record = Lease6::from_current_row(last_rows[&deleted]).unwrap();
    assert_eq!(
        (record.valid_lft, record.to_row().as_str()),
        (0, last_rows[&deleted])
    );

    // Memfile6 opens it (appending to it) with the same leases.
    let (mf, _) = Memfile6::open(MemfileConfig {
        name: csv.to_path_buf(),
        ..MemfileConfig::v6(dir.path())
    })
    .unwrap();
    assert_eq!(mf.get_all(), leases.into_values().collect::<Vec<_>>());
    let pd = mf
        .get(LeaseType::Pd, "2001:db8:8:100::".parse().unwrap())
        .unwrap();
    assert_eq!((pd.prefix_len, pd.iaid), (64, 99));
    assert_eq!(mf.get(LeaseType::Na, pd.addr), None);
}

#[test]
fn kea_written_fixture_decodes_identically() {
    let kea_leases =
        kea_lease::kea_json::parse(&std::fs::read_to_string(fixture(GET_ALL)).unwrap()).unwrap();
    check_kea_file(&fixture(CSV), &kea_leases);
}

#[test]
fn kea_written_file_decodes_identically_live() {
    if !kea::available(Family::V6) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("leases6.csv");
    let kea = Kea::start(Family::V6, dir.path(), &csv);
    let kea_leases = kea_session(&kea);
    kea.stop();
    check_kea_file(&csv, &kea_leases);
    if std::env::var_os("KEA_LEASE_REGENERATE_FIXTURES").is_some() {
        std::fs::copy(&csv, fixture(CSV)).unwrap();
        let text = kea_lease::kea_json::to_kea_text(&kea_leases);
        std::fs::write(fixture(GET_ALL), format!("{text}\n")).unwrap();
        eprintln!("note: regenerated {CSV} and {GET_ALL}");
    }
}

#[test]
fn our_v6_rows_load_in_kea() {
    if !kea::available(Family::V6) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("ours6.csv");
    let base = |last: u16| Lease6 {
        duid: vec![0, 1, 0, 1, 9, 9, 9, u8::try_from(last % 256).unwrap()],
        valid_lft: 3600,
        preferred_lft: 1800,
        cltt: 1_795_000_000,
        subnet_id: 1,
        iaid: u32::from(last),
        ..Lease6::new(Ipv6Addr::new(0x2001, 0xdb8, 1, 0, 0, 0, 0, last))
    };
    let leases = [
        Lease6 {
            hostname: "comma,six".into(),
            fqdn_fwd: true,
            hwaddr: Some(HwAddr {
                htype: 6,
                bytes: vec![1, 2, 3, 4, 5, 6],
                source: hwaddr::source::IPV6_LINK_LOCAL,
            }),
            user_context: json!({"k": ["v,w", {"é": "ü"}]}).as_object().cloned(),
            ..base(1)
        },
        Lease6 {
            lease_type: LeaseType::Pd,
            prefix_len: 56,
            addr: "2001:db8:8:200::".parse().unwrap(),
            ..base(2)
        },
        Lease6 {
            state: LeaseState::Declined,
            ..base(3)
        },
        Lease6 {
            state: LeaseState::ExpiredReclaimed,
            fqdn_rev: true,
            ..base(4)
        },
    ];
    let mut writer = LeaseFileWriter::open(&csv, Lease6::SCHEMA).unwrap();
    for lease in &leases {
        writer.append(lease).unwrap();
    }
    let doomed = base(5);
    writer.append(&doomed).unwrap();
    writer.append(&doomed.deletion_record()).unwrap();
    drop(writer);

    let kea = Kea::start(Family::V6, dir.path(), &csv);
    let kea_leases = kea.ok("lease6-get-all", Value::Null)["arguments"]["leases"].clone();
    kea.stop();
    let ours: Vec<Value> = leases.iter().map(lease6).collect();
    assert_eq!(sorted(&kea_leases), sorted(&Value::Array(ours)));
}

/// Leases of every kind driven through `Memfile6` (adds, an update, a delete); returns
/// what it holds at the end.
fn memfile6_session(mf: &Memfile6) -> Vec<Lease6> {
    let base = |last: u16| Lease6 {
        duid: vec![0, 1, 0, 1, 7, 7, 7, u8::try_from(last % 256).unwrap()],
        valid_lft: 3600,
        preferred_lft: 1800,
        cltt: 1_795_000_000 + i64::from(last),
        subnet_id: 1,
        iaid: u32::from(last),
        ..Lease6::new(Ipv6Addr::new(0x2001, 0xdb8, 1, 0, 0, 0, 0, last))
    };
    mf.add(Lease6 {
        hostname: "comma,six.example.org".into(),
        fqdn_fwd: true,
        hwaddr: Some(HwAddr {
            htype: 1,
            bytes: vec![2, 0, 0, 0, 0, 1],
            source: hwaddr::source::DUID,
        }),
        user_context: json!({"z": [1, "a,b", {"é": null}], "a": {}, "q": "\"\\\n\t"})
            .as_object()
            .cloned(),
        ..base(1)
    })
    .unwrap();
    mf.add(Lease6 {
        lease_type: LeaseType::Pd,
        prefix_len: 56,
        addr: "2001:db8:8:200::".parse().unwrap(),
        ..base(2)
    })
    .unwrap();
    mf.add(Lease6 {
        lease_type: LeaseType::Ta,
        ..base(3)
    })
    .unwrap();
    mf.add(Lease6 {
        state: LeaseState::Declined,
        duid: vec![0],
        ..base(4)
    })
    .unwrap();
    mf.add(Lease6 {
        state: LeaseState::ExpiredReclaimed,
        fqdn_rev: true,
        ..base(5)
    })
    .unwrap();
    mf.add(base(6)).unwrap();
    mf.update(Lease6 {
        hostname: "renewed".into(),
        cltt: 1_795_100_000,
        ..base(6)
    })
    .unwrap();
    mf.add(base(7)).unwrap();
    assert!(mf.delete(LeaseType::Na, base(7).addr).unwrap().is_some());
    // Kea keeps one lease per address: a prefix over an address lease is refused.
    assert!(matches!(
        mf.add(Lease6 {
            lease_type: LeaseType::Pd,
            prefix_len: 64,
            ..base(6)
        }),
        Err(MemfileError::AlreadyExists { .. })
    ));
    mf.get_all()
}

fn open_memfile6(csv: &Path) -> Memfile6 {
    let config = MemfileConfig {
        name: csv.to_path_buf(),
        ..MemfileConfig::v6(csv.parent().unwrap())
    };
    Memfile6::open(config).unwrap().0
}

#[test]
fn memfile6_written_file_loads_in_kea() {
    if !kea::available(Family::V6) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("memfile6.csv");
    let mf = open_memfile6(&csv);
    let leases = memfile6_session(&mf);
    assert_eq!(leases.len(), 6);
    drop(mf);

    let kea = Kea::start(Family::V6, dir.path(), &csv);
    let kea_leases = kea.ok("lease6-get-all", Value::Null)["arguments"]["leases"].clone();
    kea.stop();
    let ours: Vec<Value> = leases.iter().map(lease6).collect();
    assert_eq!(sorted(&kea_leases), sorted(&Value::Array(ours)));
    // Kea appended nothing, and the file still opens here with the same leases.
    assert_eq!(open_memfile6(&csv).get_all(), leases);
}

#[test]
fn kea_lfc_compacts_memfile6_files() {
    const KEA_LFC: &str = "/usr/sbin/kea-lfc";
    if !Path::new(KEA_LFC).exists() {
        eprintln!("note: skipping kea-lfc interop test: {KEA_LFC} not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("memfile6.csv");
    let mf = open_memfile6(&csv);
    let rotated = memfile6_session(&mf);
    assert!(mf.rotate_for_lfc().unwrap());
    // Changes while kea-lfc runs go to the fresh lease file.
    let moved = mf
        .get(LeaseType::Na, "2001:db8:1::6".parse().unwrap())
        .unwrap();
    mf.update(Lease6 {
        hostname: "during-lfc".into(),
        ..moved
    })
    .unwrap();
    mf.delete(LeaseType::Ta, "2001:db8:1::3".parse().unwrap())
        .unwrap()
        .unwrap();
    let p = mf.paths().clone();
    let out = Command::new(KEA_LFC)
        .env_clear()
        .env("KEA_LOCKFILE_DIR", dir.path())
        .arg("-6")
        .args(["-x".as_ref(), p.previous.as_os_str()])
        .args(["-i".as_ref(), p.input.as_os_str()])
        .args(["-o".as_ref(), p.output.as_os_str()])
        .args(["-f".as_ref(), p.finish.as_os_str()])
        .args(["-p".as_ref(), p.pid.as_os_str()])
        .args(["-c", "ignored-path"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(p.previous.exists() && !p.input.exists() && !p.finish.exists());
    // Kea's compacted file holds exactly our rows for the leases before the rotation.
    let compacted = std::fs::read_to_string(&p.previous).unwrap();
    let ours: Vec<String> = std::iter::once(Lease6::SCHEMA.header())
        .chain(rotated.iter().map(LeaseRow::to_row))
        .collect();
    assert_eq!(compacted.lines().collect::<Vec<_>>(), ours);
    let before = mf.get_all();
    drop(mf);
    let mf = open_memfile6(&csv);
    assert_eq!(mf.get_all(), before);
    assert_eq!(mf.len(), 5);
}
