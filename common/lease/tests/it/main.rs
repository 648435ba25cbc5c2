//! Integration tests of kea-lease: lease files exchanged with Kea 2.2 in both directions.
#![allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion

mod kea;
mod kea_form;
mod v4;
mod v6;
