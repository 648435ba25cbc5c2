//! Process tests of kea-dhcp4: the real binary on loopback (`-p`/`-P` ports, temp dirs).
#![allow(clippy::unwrap_used, missing_docs)] // tests: a failed unwrap is a failed assertion

mod harness;

mod check;
mod classify;
mod control;
mod crash;
mod ddns;
mod exchanges;
mod hooks;
mod lfc;
mod netns;
mod realworld;
mod reclaim;
