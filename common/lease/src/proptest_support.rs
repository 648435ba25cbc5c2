//! proptest strategies for leases, shared by the codec round-trip tests (test builds only).

use crate::hwaddr::HwAddr;
use crate::lease::{Lease4, Lease6, LeaseState, LeaseType, UserContext};
use proptest::prelude::*;
use serde_json::{Map, Value};
use std::net::{Ipv4Addr, Ipv6Addr};

/// Free text: arbitrary Unicode, and text rich in the characters escaping cares about.
pub(crate) fn text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), "[a-z.,&#x0-9\n\r é\"\\\\{}]{0,24}"]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        // Kea's integers are int64_t; a larger one is a "Number overflow" in a lease file.
        any::<i64>().prop_map(Value::from),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(text(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// An optional user context (a JSON map).
pub(crate) fn user_context() -> impl Strategy<Value = Option<UserContext>> {
    prop::option::of(
        prop::collection::btree_map(text(), json_value(), 0..4)
            .prop_map(|m| m.into_iter().collect::<Map<String, Value>>()),
    )
}

fn state() -> impl Strategy<Value = LeaseState> {
    prop_oneof![
        Just(LeaseState::Default),
        Just(LeaseState::Declined),
        Just(LeaseState::ExpiredReclaimed),
    ]
}

/// A DHCPv4 lease that Kea could store (only declined leases lack a hardware address).
pub(crate) fn lease4() -> impl Strategy<Value = Lease4> {
    (
        any::<u32>(),
        prop::collection::vec(any::<u8>(), 0..=20),
        prop::option::of(prop::collection::vec(any::<u8>(), 2..=255)),
        (any::<u32>(), 0i64..4_000_000_000, any::<u32>()),
        (any::<bool>(), any::<bool>(), text(), state()),
        user_context(),
    )
        .prop_map(
            |(
                addr,
                hw,
                client_id,
                (valid_lft, cltt, subnet_id),
                (fwd, rev, hostname, state),
                ctx,
            )| {
                let state = if hw.is_empty() {
                    LeaseState::Declined
                } else {
                    state
                };
                Lease4 {
                    addr: Ipv4Addr::from(addr),
                    hwaddr: (!hw.is_empty()).then(|| HwAddr::ether(hw)),
                    client_id,
                    valid_lft,
                    cltt,
                    subnet_id,
                    fqdn_fwd: fwd,
                    fqdn_rev: rev,
                    hostname,
                    state,
                    user_context: ctx,
                }
            },
        )
}

/// A DHCPv6 lease that Kea could store.
pub(crate) fn lease6() -> impl Strategy<Value = Lease6> {
    let hwaddr = prop::option::of(
        (
            any::<u16>(),
            prop::collection::vec(any::<u8>(), 1..=20),
            any::<u32>(),
        )
            .prop_map(|(htype, bytes, source)| HwAddr {
                htype,
                bytes,
                source,
            }),
    );
    let lease_type = prop_oneof![
        Just(LeaseType::Na),
        Just(LeaseType::Ta),
        Just(LeaseType::Pd)
    ];
    (
        (any::<u128>(), prop::collection::vec(any::<u8>(), 2..=130)),
        (
            any::<u32>(),
            any::<u32>(),
            0i64..4_000_000_000,
            any::<u32>(),
        ),
        (lease_type, any::<u32>(), 0u8..=128),
        (any::<bool>(), any::<bool>(), text(), hwaddr, state()),
        user_context(),
    )
        .prop_map(
            |(
                (addr, duid),
                (valid_lft, preferred_lft, cltt, subnet_id),
                (lease_type, iaid, prefix_len),
                (fwd, rev, hostname, hwaddr, state),
                ctx,
            )| Lease6 {
                addr: Ipv6Addr::from(addr),
                duid,
                valid_lft,
                preferred_lft,
                cltt,
                subnet_id,
                lease_type,
                iaid,
                prefix_len,
                fqdn_fwd: fwd,
                fqdn_rev: rev,
                hostname,
                hwaddr,
                state,
                user_context: ctx,
            },
        )
}
