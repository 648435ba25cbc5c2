//! Cost of evaluating typical classification expressions on real DHCPv4 packets (decoded
//! from wire bytes, as the server receives them): option 60 substring comparison, the relay
//! agent's circuit-id, a chain of `member()` tests, `pkt4.mac`, the ARM's option 82 vs. MAC
//! example and a `template-test` string. Parsing, done once per configuration, is measured
//! for comparison.
//!
//! Run with `cargo bench -p kea-eval --bench eval`. The allocation-free property of these
//! evaluations is checked by `tests/alloc.rs`.

#![allow(missing_docs)] // criterion_main! generates an undocumented `main`

use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr};

use criterion::{Criterion, criterion_group, criterion_main};
use kea_dhcp::codes::*;
use kea_dhcp::{MessageType, Opt, Pkt4};
use kea_eval::{Expression, ParseContext, Pkt4View};

/// A relayed PXE DISCOVER with option 82 (circuit-id, remote-id), through the wire and back.
fn packet() -> Pkt4 {
    let mut p = Pkt4::new(BOOTREQUEST, MessageType::Discover, 0x1234_5678);
    p.chaddr[..6].copy_from_slice(&[0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f]);
    p.giaddr = Ipv4Addr::new(192, 0, 2, 1);
    p.options.insert(Opt::new(
        DHO_VENDOR_CLASS_IDENTIFIER,
        *b"PXEClient:Arch:00007:UNDI:003016",
    ));
    p.options.insert(Opt::new(
        DHO_DHCP_CLIENT_IDENTIFIER,
        [1, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f],
    ));
    p.options.insert(Opt::new(
        DHO_DHCP_PARAMETER_REQUEST_LIST,
        [1, 3, 6, 15, 43, 60, 66, 67],
    ));
    let mut rai = vec![1, 6];
    rai.extend_from_slice(b"port-a");
    rai.extend_from_slice(&[2, 6, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f]);
    p.options.insert(Opt::new(DHO_DHCP_AGENT_OPTIONS, rai));
    Pkt4::decode(&p.encode()).expect("our own encoding decodes")
}

/// The expressions measured, by name.
const EXPRESSIONS: &[(&str, &str)] = &[
    (
        "option60_substring",
        "substring(option[60].hex,0,9) == 'PXEClient'",
    ),
    ("relay4_circuit_id", "relay4[1].hex == 'port-a'"),
    (
        "member_chain",
        "member('gold') or member('silver') or (member('KNOWN') and not member('DROP'))",
    ),
    ("pkt4_mac", "pkt4.mac == 0x0a0b0c0d0e0f"),
    ("option82_vs_mac", "option[82].option[2].hex == pkt4.mac"),
];

fn evaluation(c: &mut Criterion) {
    let pkt = packet();
    let here = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 10));
    let view = Pkt4View::new(&pkt).with_metadata("eth0", here, here);
    let classes: Vec<String> = ["ALL", "UNKNOWN", "silver"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let ctx = ParseContext::v4();
    let mut group = c.benchmark_group("evaluate");
    for (name, text) in EXPRESSIONS {
        let e = Expression::parse_bool(text, &ctx).expect("the expression parses");
        assert!(
            e.evaluate_bool(&view, &classes).expect("evaluates"),
            "{text}"
        );
        group.bench_function(*name, |b| {
            b.iter(|| black_box(&e).evaluate_bool(black_box(&view), black_box(&classes)))
        });
    }
    let template = Expression::parse_string("substring(option[61].hex,1,3)", &ctx)
        .expect("the template parses");
    group.bench_function("template_substring", |b| {
        b.iter(|| {
            black_box(&template)
                .evaluate_string(black_box(&view), black_box(&classes))
                .map(|v| v.len())
        })
    });
    group.finish();

    let mut group = c.benchmark_group("parse");
    for (name, text) in EXPRESSIONS {
        group.bench_function(*name, |b| {
            b.iter(|| Expression::parse_bool(black_box(text), &ctx))
        });
    }
    group.finish();
}

criterion_group!(benches, evaluation);
criterion_main!(benches);
