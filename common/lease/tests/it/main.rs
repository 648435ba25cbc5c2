//! Integration tests of kea-lease: lease files exchanged with Kea 2.2 in both directions.

mod kea;
mod kea_form;
mod v4;
mod v6;
