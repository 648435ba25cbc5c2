//! kea-dhcp-ddns integration tests: the real binary against a private BIND9 `named` on
//! loopback, and Kea 2.2's kea-dhcp4 feeding it.
#![allow(clippy::unwrap_used, missing_docs)] // tests: a failed unwrap is a failed assertion

mod harness;
mod interop;
mod named;
