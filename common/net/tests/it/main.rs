//! Integration tests of kea-net on real interfaces: network namespaces joined
//! by a veth pair (root only; skipped with a note otherwise, failing when
//! `CI=true`).

// In tests a failed unwrap is a failed assertion.
#![allow(clippy::unwrap_used)]

mod netns;
mod raw4;
mod udp6;
