//! kea-process integration tests: one test binary, modules inside (STYLE "Tests").

#![allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion

mod builtin_commands;
