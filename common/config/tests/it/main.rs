//! Integration tests of kea-config: Kea's example configurations and Kea's error wording.

#![allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed test

mod config_get;
mod errors;
mod examples;
mod no_panic;
