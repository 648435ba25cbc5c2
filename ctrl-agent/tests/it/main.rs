//! Process tests of kea-ctrl-agent: the real binary on loopback, driven by raw HTTP, curl
//! and kea-shell (ours and Kea 2.2's), compared with Kea 2.2's agent where installed.
#![allow(clippy::unwrap_used, missing_docs)] // tests: a failed unwrap is a failed assertion

mod harness;
mod http;
mod interop;
mod tls;
