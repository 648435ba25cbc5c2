//! kea-eval integration tests: every example of `classify.rst` ([`arm_examples`]), evaluation
//! on real DHCPv4 packets ([`packets`]) and the recorded differential check against Kea 2.2
//! ([`kea_differential`]).

#![allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion

mod arm_examples;
mod common;
mod kea_differential;
mod no_panic;
mod packets;
