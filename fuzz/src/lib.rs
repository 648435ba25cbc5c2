//! kea-fuzz: the bodies of the cargo-fuzz targets in `fuzz_targets/`, kept in a library so
//! that the seed replay test (`tests/seeds.rs`) runs the very same code on stable Rust.
//!
//! Each body takes arbitrary bytes, must never panic on input that the code under test
//! rejects, and checks a round-trip property on input that it accepts (decode → encode →
//! decode, as hickory-dns's `fuzz/fuzz_targets/message.rs` does). A failed property panics,
//! which libFuzzer reports as a crash.
//!
//! Decoders covered (STYLE.md, "Tests", Fuzz bullet):
//! - [`pkt4_decode`]: `kea_dhcp::Pkt4` (`dhcp4-srv.rst`, "Support for Long Options");
//! - [`pkt6_decode`]: `kea_dhcp::Pkt6` with its relay layers (`dhcp6-srv.rst`, "DHCPv6
//!   Relays");
//! - [`kea_json_parse`]: the Kea JSON dialect (`config.rst`, "JSON Syntax");
//! - [`dhcp4_config`]: the typed `Dhcp4` model (`dhcp4-srv.rst`, "Configuration");
//! - [`lease4_csv_row`]: the v4 memfile row codec (`dhcp4-srv.rst`, "Memfile - Basic
//!   Storage for Leases").

#![deny(unsafe_code)]

use kea_config::json::{self, Element, Value};
use kea_dhcp::Pkt4;
use kea_lease::{Lease4, LeaseRow};

/// What a fuzz body did with one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The code under test accepted the input and every property held.
    Accepted,
    /// The code under test rejected the input with an error (no panic).
    Rejected,
    /// The input was not given to the code under test (not UTF-8, or a JSON
    /// `<?include?>` directive, which would read files named by the fuzzer).
    Skipped,
}

/// The file name that positions in fuzzed JSON documents refer to.
const FUZZ_FILE: &str = "fuzz.json";

/// `Pkt4::decode` on arbitrary bytes; an accepted packet must survive `encode` → `decode`
/// unchanged, up to the option order `encode` imposes (53 first, then by code, 82 last), and
/// encoding the re-decoded packet must give the same bytes again.
pub fn pkt4_decode(data: &[u8]) -> Outcome {
    let Ok(first) = Pkt4::decode(data) else {
        return Outcome::Rejected;
    };
    let wire = first.encode();
    let second = match Pkt4::decode(&wire) {
        Ok(p) => p,
        Err(e) => panic!("our own encoding does not decode: {e}\nencoded: {wire:02x?}"),
    };
    assert_eq!(
        by_option_code(&first),
        by_option_code(&second),
        "decode → encode → decode changed the packet"
    );
    assert_eq!(second.encode(), wire, "encoding is not a fixed point");
    Outcome::Accepted
}

/// `Pkt6::decode` on arbitrary bytes; an accepted message must survive `encode` (with its
/// relay layers) → `decode` unchanged, except for the ignored tails of top-level option lists
/// ([`kea_dhcp::pkt6::Truncation`] with an empty path), which `encode` does not write back, and
/// encoding the re-decoded message must give the same bytes again. Encoding a decoded message
/// must not fail: every length it writes was read from a 16-bit field.
pub fn pkt6_decode(data: &[u8]) -> Outcome {
    let Ok(mut first) = kea_dhcp::Pkt6::decode(data) else {
        return Outcome::Rejected;
    };
    let wire = match first.encode() {
        Ok(w) => w,
        Err(e) => panic!("a decoded message does not encode: {e}\ndecoded: {first:?}"),
    };
    let second = match kea_dhcp::Pkt6::decode(&wire) {
        Ok(p) => p,
        Err(e) => panic!("our own encoding does not decode: {e}\nencoded: {wire:02x?}"),
    };
    first.truncations.retain(|t| !t.path.is_empty());
    assert_eq!(first, second, "decode → encode → decode changed the message");
    match second.encode() {
        Ok(again) => assert_eq!(again, wire, "encoding is not a fixed point"),
        Err(e) => panic!("the re-decoded message does not encode: {e}"),
    }
    Outcome::Accepted
}

/// The packet with its options sorted by code (stable, so fused instances keep their
/// order): the form in which two decodings of the same message compare equal.
fn by_option_code(p: &Pkt4) -> Pkt4 {
    let mut sorted = p.clone();
    let mut opts: Vec<kea_dhcp::Opt> = p.options.iter().cloned().collect();
    opts.sort_by_key(|o| o.code);
    sorted.options = opts.into();
    sorted
}

/// Parses fuzzer bytes as a Kea JSON document, unless they are not UTF-8 or hold an
/// include directive.
fn parse_document(data: &[u8]) -> Result<Element, Outcome> {
    let Ok(text) = std::str::from_utf8(data) else {
        return Err(Outcome::Skipped);
    };
    if text.contains("<?include") {
        return Err(Outcome::Skipped);
    }
    json::parse_str_with_warnings(text, FUZZ_FILE)
        .map(|(root, _warnings)| root)
        .map_err(|_| Outcome::Rejected)
}

/// `kea_config::json` on arbitrary UTF-8; an accepted document, pretty-printed with
/// `to_kea_pretty`, must parse again without warnings to the same element tree (positions
/// and map order aside: the printer sorts keys as Kea does), and the printer must be a fixed
/// point.
pub fn kea_json_parse(data: &[u8]) -> Outcome {
    let first = match parse_document(data) {
        Ok(root) => root,
        Err(outcome) => return outcome,
    };
    let pretty = first.to_kea_pretty();
    let (second, warnings) = match json::parse_str_with_warnings(&pretty, FUZZ_FILE) {
        Ok(parsed) => parsed,
        Err(e) => panic!("pretty-printed document does not parse: {e}\n{pretty}"),
    };
    assert!(
        warnings.is_empty(),
        "pretty-printed document has warnings {warnings:?}\n{pretty}"
    );
    assert!(
        same_value(&first.value, &second.value),
        "parse → pretty-print → parse changed the value\nfirst: {first:?}\nprinted:\n{pretty}"
    );
    assert_eq!(
        second.to_kea_pretty(),
        pretty,
        "pretty-printing is not a fixed point"
    );
    Outcome::Accepted
}

/// Compares two element trees, ignoring positions and the order of map entries (keys are
/// unique: the reader rejects duplicates). Integers and floats stay distinct, so a value that
/// the printer cannot express (a float that is not finite) shows up as a difference.
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_value(&p.value, &q.value))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter().all(|e| {
                    y.iter()
                        .find(|f| f.key == e.key)
                        .is_some_and(|f| same_value(&e.value.value, &f.value.value))
                })
        }
        _ => a == b,
    }
}

/// `kea_config::parse_dhcp4` on every document the JSON reader accepts: it must return a
/// value or an error, never panic.
pub fn dhcp4_config(data: &[u8]) -> Outcome {
    let root = match parse_document(data) {
        Ok(root) => root,
        Err(outcome) => return outcome,
    };
    match kea_config::parse_dhcp4(&root) {
        Ok(_) => Outcome::Accepted,
        Err(_) => Outcome::Rejected,
    }
}

/// The v4 lease file row codec on arbitrary UTF-8 lines. When the first line is a header
/// that `SCHEMA4.check_header` accepts, the following lines are read as rows of that
/// header's schema version; otherwise every line is read as a row of the current schema.
/// A decoded lease must survive `to_row` → `from_current_row` unchanged, and `to_row` must
/// be a fixed point. The outcome is `Accepted` when at least one row decoded.
pub fn lease4_csv_row(data: &[u8]) -> Outcome {
    let Ok(text) = std::str::from_utf8(data) else {
        return Outcome::Skipped;
    };
    let mut lines = text.lines().peekable();
    let header = lines
        .peek()
        .and_then(|first| Lease4::SCHEMA.check_header(first).ok());
    if header.is_some() {
        lines.next();
    }
    let mut outcome = Outcome::Rejected;
    for line in lines {
        let decoded = match header {
            Some(h) => Lease4::from_row(line, h),
            None => Lease4::from_current_row(line),
        };
        let Ok(first) = decoded else {
            continue;
        };
        let row = first.to_row();
        let second = match Lease4::from_current_row(&row) {
            Ok(lease) => lease,
            Err(e) => panic!("our own row does not decode: {e}\nrow: {row}"),
        };
        assert_eq!(
            first, second,
            "row → lease → row → lease changed the lease\n{row}"
        );
        assert_eq!(second.to_row(), row, "to_row is not a fixed point");
        outcome = Outcome::Accepted;
    }
    outcome
}
