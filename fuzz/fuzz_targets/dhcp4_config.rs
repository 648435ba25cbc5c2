//! Fuzz target `dhcp4_config`: the typed Dhcp4 configuration model: every accepted JSON document, no panic.
//! The body is [`kea_fuzz::dhcp4_config`]; inputs it skips are kept out of the corpus.

#![no_main]

use kea_fuzz::Outcome;
use libfuzzer_sys::{Corpus, fuzz_target};

fuzz_target!(|data: &[u8]| -> Corpus {
    match kea_fuzz::dhcp4_config(data) {
        Outcome::Skipped => Corpus::Reject,
        Outcome::Accepted | Outcome::Rejected => Corpus::Keep,
    }
});
