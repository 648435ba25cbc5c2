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
//!   Storage for Leases");
//! - [`eval_parse`]: the classification expression parser and evaluator (`classify.rst`,
//!   "Using Expressions in Classification");
//! - [`ncr_decode`]: the NameChangeRequest JSON text and its UDP framing (`ddns.rst`,
//!   "DHCP-DDNS Server Connectivity");
//! - [`d2_answer`]: D2's check of a DNS UPDATE answer and its TSIG (`ddns.rst`, "TSIG Key
//!   List").

#![deny(unsafe_code)]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::LazyLock;

use kea_config::json::{self, Element, Value};
use kea_dhcp::{Pkt4, Pkt6};
use kea_eval::{ClassSet, Expression, Packet, ParseContext, Pkt4View, Pkt6View};
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
    assert_eq!(
        first, second,
        "decode → encode → decode changed the message"
    );
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

/// The DHCPv4 packet fuzzed expressions are evaluated on: a relayed DISCOVER with a client
/// identifier, a vendor class identifier, option 82 (circuit-id, remote-id), vendor options
/// 124/125 and a host name, decoded from its own encoding as a server receives it.
static SAMPLE4: LazyLock<Pkt4> = LazyLock::new(|| {
    use kea_dhcp::codes::*;
    let mut p = Pkt4::new(BOOTREQUEST, kea_dhcp::MessageType::Discover, 0x1234_5678);
    p.chaddr[..6].copy_from_slice(&[0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f]);
    p.giaddr = Ipv4Addr::new(192, 0, 2, 1);
    let opts: [(u16, &[u8]); 7] = [
        (DHO_DHCP_CLIENT_IDENTIFIER, b"\x01\x0a\x0b\x0c\x0d\x0e\x0f"),
        (DHO_VENDOR_CLASS_IDENTIFIER, b"PXEClient:Arch:00000"),
        (DHO_HOST_NAME, b"foo.example.org"),
        (DHO_DHCP_AGENT_OPTIONS, b"\x01\x04eth0\x02\x03r-1"),
        (DHO_VIVCO_SUBOPTIONS, b"\x00\x00\x11\x8b\x09docsis3.0"),
        (DHO_VIVSO_SUBOPTIONS, b"\x00\x00\x11\x8b\x05\x01\x03abc"),
        (DHO_DHCP_PARAMETER_REQUEST_LIST, b"\x01\x03\x06\x2b"),
    ];
    for (code, data) in opts {
        p.options.insert(kea_dhcp::Opt::new(code, data.to_vec()));
    }
    Pkt4::decode(&p.encode()).unwrap_or(p)
});

/// The DHCPv6 packet fuzzed expressions are evaluated on: a SOLICIT with a client id, a
/// vendor class (enterprise 4491) and an ORO, through two relays carrying interface-id and
/// remote-id options.
static SAMPLE6: LazyLock<Pkt6> = LazyLock::new(|| {
    use kea_dhcp::codes6::*;
    let mut p = Pkt6::new(DHCPV6_SOLICIT, 0xabcdef);
    let opts: [(u16, &[u8]); 3] = [
        (D6O_CLIENTID, b"\x00\x03\x00\x01\x0a\x0b\x0c\x0d\x0e\x0f"),
        (D6O_VENDOR_CLASS, b"\x00\x00\x11\x8b\x00\x09docsis3.0"),
        (D6O_ORO, b"\x00\x17\x00\x18"),
    ];
    for (code, data) in opts {
        p.options.insert(kea_dhcp::Opt::new(code, data.to_vec()));
    }
    for (i, iface) in [&b"ge-0/0/1"[..], b"port7"].into_iter().enumerate() {
        let mut options = kea_dhcp::Options::new();
        options.insert(kea_dhcp::Opt::new(D6O_INTERFACE_ID, iface.to_vec()));
        options.insert(kea_dhcp::Opt::new(
            D6O_REMOTE_ID,
            b"\x00\x00\x11\x8bxyz".to_vec(),
        ));
        p.relay_info.push(kea_dhcp::RelayMsg {
            msg_type: DHCPV6_RELAY_FORW,
            hop_count: u8::try_from(1 - i).unwrap_or(0),
            link_addr: Ipv6Addr::new(0x2001, 0xdb8, 0, i as u16, 0, 0, 0, 1),
            peer_addr: Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 2 + i as u16),
            options,
        });
    }
    p
});

/// The classes the sample packets are in, so that `member()` sees both outcomes.
const SAMPLE_CLASSES: [&str; 3] = ["ALL", "UNKNOWN", "VENDOR_CLASS_PXEClient:Arch:00000"];

/// Kea's expression parser on arbitrary UTF-8, for both universes, as a `test` (boolean)
/// and as a `template-test` (string). Every error must format (its location is cut from the
/// text, so a span off a character boundary would panic). An accepted expression is
/// evaluated on a sample DHCPv4 and a sample DHCPv6 packet: evaluation may fail but must not
/// panic, and `evaluate_bool` must agree with `evaluate_string` (a boolean is `true` or
/// `false`; a string is true exactly when it is `true`, Kea's rule).
pub fn eval_parse(data: &[u8]) -> Outcome {
    let Ok(text) = std::str::from_utf8(data) else {
        return Outcome::Skipped;
    };
    let mut outcome = Outcome::Rejected;
    for ctx in [ParseContext::v4(), ParseContext::v6()] {
        for want_bool in [true, false] {
            let parsed = if want_bool {
                Expression::parse_bool(text, &ctx)
            } else {
                Expression::parse_string(text, &ctx)
            };
            let expr = match parsed {
                Ok(expr) => expr,
                Err(e) => {
                    let _ = e.to_string();
                    continue;
                }
            };
            assert_eq!(expr.text(), text, "the expression keeps its text");
            assert_eq!(expr.is_bool(), want_bool, "{text}: wrong kind of tree");
            let again = if want_bool {
                Expression::parse_bool(text, &ctx)
            } else {
                Expression::parse_string(text, &ctx)
            };
            assert_eq!(again.as_ref(), Ok(&expr), "parsing is not deterministic");
            let _ = expr.check_dependencies(|name| name.len() % 2 == 0);
            let here = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 10));
            let v4 = Pkt4View::new(&SAMPLE4).with_metadata("eth0", here, here);
            check_evaluation(&expr, &v4, &SAMPLE_CLASSES);
            let here6 = IpAddr::V6(Ipv6Addr::LOCALHOST);
            let v6 = Pkt6View::new(&SAMPLE6).with_metadata("eth1", here6, here6);
            check_evaluation(&expr, &v6, &SAMPLE_CLASSES);
            outcome = Outcome::Accepted;
        }
    }
    outcome
}

/// Evaluates `expr` both ways on one packet and checks that the two agree.
fn check_evaluation<P: Packet, C: ClassSet + ?Sized>(expr: &Expression, pkt: &P, classes: &C) {
    let as_bool = expr.evaluate_bool(pkt, classes);
    let as_string = expr.evaluate_string(pkt, classes);
    match (as_bool, as_string) {
        (Ok(b), Ok(s)) => {
            if expr.is_bool() {
                let expected: &[u8] = if b { b"true" } else { b"false" };
                assert_eq!(&*s, expected, "{}: bool and string disagree", expr.text());
            } else {
                assert_eq!(
                    b,
                    &*s == b"true",
                    "{}: bool and string disagree",
                    expr.text()
                );
            }
        }
        (Err(a), Err(b)) => {
            let _ = (a.to_string(), b.to_string());
        }
        (a, b) => panic!(
            "{}: one evaluation failed and the other did not: {a:?} / {b:?}",
            expr.text()
        ),
    }
}

/// `kea_ncr::decode_datagram` and `NameChangeRequest::from_json` on arbitrary bytes (the
/// bytes as a whole datagram, and as the JSON text alone). A decoded NCR must survive
/// `to_json` → `from_json` unchanged, `to_json` must be a fixed point, and
/// `encode_datagram` → `decode_datagram` must give the same NCR back.
pub fn ncr_decode(data: &[u8]) -> Outcome {
    let mut outcome = Outcome::Rejected;
    for decoded in [
        kea_ncr::decode_datagram(data),
        kea_ncr::NameChangeRequest::from_json(data),
    ] {
        let Ok(first) = decoded else {
            continue;
        };
        check_ncr_round_trip(&first);
        outcome = Outcome::Accepted;
    }
    outcome
}

/// The NCR round-trip properties of [`ncr_decode`].
fn check_ncr_round_trip(first: &kea_ncr::NameChangeRequest) {
    let text = first.to_json();
    let second = match kea_ncr::NameChangeRequest::from_json(text.as_bytes()) {
        Ok(ncr) => ncr,
        Err(e) => panic!("our own JSON does not decode: {e}\n{text}"),
    };
    assert_eq!(
        *first, second,
        "from_json → to_json → from_json changed the NCR\n{text}"
    );
    assert_eq!(second.to_json(), text, "to_json is not a fixed point");
    let datagram = kea_ncr::encode_datagram(first);
    match kea_ncr::decode_datagram(&datagram) {
        Ok(third) => assert_eq!(*first, third, "the datagram framing changed the NCR"),
        Err(e) => panic!("our own datagram does not decode: {e}\n{datagram:02x?}"),
    }
}

/// The TSIG key the answers of [`d2_answer`] are checked with (`d2.example.org.`,
/// HMAC-SHA256, the secret of the `ddns.rst` examples).
static D2_KEY: LazyLock<kea_dhcp_ddns::tsig::TsigKey> = LazyLock::new(|| {
    match kea_dhcp_ddns::tsig::TsigKey::new(
        "d2.example.org.",
        "HMAC-SHA256",
        0,
        "LSWXnfkKZjdPJI5QxlpnfQ==",
    ) {
        Ok(key) => key,
        Err(e) => panic!("the fixed fuzz key is invalid: {e}"),
    }
});

/// When the fixed query of [`d2_answer`] was signed, in seconds since the epoch.
pub const D2_QUERY_TIME: u64 = 1_700_000_000;

/// The fixed UPDATE query of [`d2_answer`], signed with its key at [`D2_QUERY_TIME`]: the
/// header of an UPDATE with ID 0x1234 for zone `example.org.` (one SOA zone entry, no
/// prerequisites, no updates), and the request MAC that the answer's TSIG must chain to.
static D2_QUERY: LazyLock<(Vec<u8>, Vec<u8>)> = LazyLock::new(|| {
    let mut query = vec![0x12, 0x34, 0x28, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
    query.extend_from_slice(b"\x07example\x03org\x00\x00\x06\x00\x01");
    let mac = D2_KEY.sign(&mut query, D2_QUERY_TIME);
    (query, mac)
});

/// `kea_dhcp_ddns::client::check_answer_at`, the check D2 makes on a DNS server's answer
/// to an UPDATE, on arbitrary bytes as the answer to a fixed signed query, at
/// [`D2_QUERY_TIME`] + 10 s: with the key (TSIG verification) and without it. Neither may
/// panic; an RCODE is at most 15; an answer accepted with the key is accepted without it,
/// with the same RCODE. `Accepted` means the answer passed TSIG verification.
pub fn d2_answer(data: &[u8]) -> Outcome {
    use kea_dhcp_ddns::client::{Outcome as Exchange, check_answer_at};
    let (query, mac) = &*D2_QUERY;
    let now = D2_QUERY_TIME + 10;
    let signed = check_answer_at(query, data, Some(&D2_KEY), Some(mac), now);
    let unsigned = check_answer_at(query, data, None, None, now);
    if let Exchange::Answer(rcode) = unsigned {
        assert!(rcode <= 15, "RCODE {rcode} does not fit in 4 bits");
    }
    match signed {
        Exchange::Answer(rcode) => {
            assert_eq!(
                unsigned,
                Exchange::Answer(rcode),
                "an answer that verifies is not accepted unsigned"
            );
            Outcome::Accepted
        }
        Exchange::Error(e) => {
            let _ = e.to_string();
            Outcome::Rejected
        }
        Exchange::Timeout => panic!("a pure check reported a timeout"),
    }
}
