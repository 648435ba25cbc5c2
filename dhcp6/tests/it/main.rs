//! Process tests of kea-dhcp6: the real binary on ::1 (`-p`/`-P` ports, temp dirs), driven
//! by relayed queries as Kea 2.2 answers them.
#![allow(clippy::unwrap_used, missing_docs)] // tests: a failed unwrap is a failed assertion

mod harness;
mod netns;

mod check;
mod classify;
mod exchanges;
mod realworld;
