//! Integration tests of kea-config: Kea's example configurations and Kea's error wording.

#![allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed test

mod config_get;
mod config_get6;
mod errors;
mod errors6;
mod examples;
mod examples6;
mod no_panic;
