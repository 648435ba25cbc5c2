//! Fuzz target `kea_json_parse`: the Kea JSON dialect reader: arbitrary UTF-8, pretty-print round trip on success.
//! The body is [`kea_fuzz::kea_json_parse`]; inputs it skips are kept out of the corpus.

#![no_main]

use kea_fuzz::Outcome;
use libfuzzer_sys::{Corpus, fuzz_target};

fuzz_target!(|data: &[u8]| -> Corpus {
    match kea_fuzz::kea_json_parse(data) {
        Outcome::Skipped => Corpus::Reject,
        Outcome::Accepted | Outcome::Rejected => Corpus::Keep,
    }
});
