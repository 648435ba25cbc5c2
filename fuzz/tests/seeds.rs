//! Replays every checked-in seed in `fuzz/seeds/<target>/` through the fuzz bodies, so that
//! stable CI covers them without cargo-fuzz or libFuzzer
//! (`cargo test --manifest-path fuzz/Cargo.toml`).
//!
//! A seed whose file name starts with `valid-` must be accepted by the code under test (and
//! pass the target's round-trip property); any other seed (error cases, minimised crashes
//! named `crash-…`) only has to not panic.

use std::path::{Path, PathBuf};

use kea_fuzz::Outcome;

/// The seed files of one target, sorted by name.
fn seeds(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("seeds")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("readable seed directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no seeds in {}", dir.display());
    files
}

/// Runs `body` on every seed of `target`, checking the `valid-` naming rule; returns how
/// many seeds were accepted. Every seed is run even when an earlier one fails, and the
/// failures are listed together, so that one open bug does not hide another.
fn replay(target: &str, body: fn(&[u8]) -> Outcome) -> usize {
    let mut accepted = 0;
    let mut failures = Vec::new();
    for path in seeds(target) {
        let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        match std::panic::catch_unwind(|| body(&data)) {
            Err(_) => failures.push(format!("{name}: panicked (message above)")),
            Ok(outcome) if name.starts_with("valid-") && outcome != Outcome::Accepted => {
                failures.push(format!("{name}: {outcome:?}, expected Accepted"));
            }
            Ok(Outcome::Accepted) => accepted += 1,
            Ok(_) => {}
        }
    }
    assert!(
        failures.is_empty(),
        "{target} seeds failed:\n{}",
        failures.join("\n")
    );
    accepted
}

#[test]
fn pkt4_decode_seeds() {
    assert!(replay("pkt4_decode", kea_fuzz::pkt4_decode) >= 4);
}

#[test]
fn pkt6_decode_seeds() {
    assert!(replay("pkt6_decode", kea_fuzz::pkt6_decode) >= 8);
}

#[test]
fn kea_json_parse_seeds() {
    assert!(replay("kea_json_parse", kea_fuzz::kea_json_parse) >= 3);
}

#[test]
fn dhcp4_config_seeds() {
    assert!(replay("dhcp4_config", kea_fuzz::dhcp4_config) >= 3);
}

#[test]
fn lease4_csv_row_seeds() {
    assert!(replay("lease4_csv_row", kea_fuzz::lease4_csv_row) >= 3);
}

#[test]
fn eval_parse_seeds() {
    assert!(replay("eval_parse", kea_fuzz::eval_parse) >= 20);
}

#[test]
fn ncr_decode_seeds() {
    assert!(replay("ncr_decode", kea_fuzz::ncr_decode) >= 5);
}

#[test]
fn d2_answer_seeds() {
    assert_eq!(replay("d2_answer", kea_fuzz::d2_answer), 3);
}

/// The TSIG check runs in `d2_answer`: a flipped MAC bit, a time past the fudge, a server
/// TSIG error and a missing TSIG all fail, where the same answer unsigned would pass.
#[test]
fn d2_answer_verifies_tsig() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/d2_answer");
    for name in [
        "bad-sig.bin",
        "bad-time.bin",
        "server-badkey.bin",
        "unsigned.bin",
    ] {
        let data = std::fs::read(dir.join(name)).expect("seed file");
        assert_eq!(kea_fuzz::d2_answer(&data), Outcome::Rejected, "{name}");
    }
}

/// The bodies reject what they must reject, so an `Accepted` above means something.
#[test]
fn bodies_reject_garbage() {
    assert_eq!(kea_fuzz::pkt4_decode(&[0u8; 10]), Outcome::Rejected);
    assert_eq!(kea_fuzz::pkt6_decode(&[1, 0, 0]), Outcome::Rejected);
    assert_eq!(kea_fuzz::pkt6_decode(&[12, 0, 0, 0]), Outcome::Rejected);
    assert_eq!(kea_fuzz::kea_json_parse(b"{\"a\": "), Outcome::Rejected);
    assert_eq!(kea_fuzz::kea_json_parse(&[0xff, 0xfe]), Outcome::Skipped);
    assert_eq!(
        kea_fuzz::kea_json_parse(b"<?include \"/etc/passwd\"?>"),
        Outcome::Skipped
    );
    assert_eq!(
        kea_fuzz::dhcp4_config(b"{\"Dhcp6\": {}}"),
        Outcome::Rejected
    );
    assert_eq!(
        kea_fuzz::lease4_csv_row(b"192.0.2.1,zz,,1,2,1,0,0,,0,"),
        Outcome::Rejected
    );
    assert_eq!(kea_fuzz::eval_parse(b"option[1].hex =="), Outcome::Rejected);
    assert_eq!(kea_fuzz::eval_parse(&[0xc3, 0x28]), Outcome::Skipped);
    assert_eq!(
        kea_fuzz::ncr_decode(b"{\"change-type\":0}"),
        Outcome::Rejected
    );
    assert_eq!(kea_fuzz::ncr_decode(&[0, 5, b'{']), Outcome::Rejected);
    assert_eq!(kea_fuzz::d2_answer(&[0x12, 0x34, 0xa8]), Outcome::Rejected);
}
