//! Fuzz target `lease4_csv_row`: the v4 memfile lease row codec: arbitrary lines, row round trip on success.
//! The body is [`kea_fuzz::lease4_csv_row`]; inputs it skips are kept out of the corpus.

#![no_main]

use kea_fuzz::Outcome;
use libfuzzer_sys::{Corpus, fuzz_target};

fuzz_target!(|data: &[u8]| -> Corpus {
    match kea_fuzz::lease4_csv_row(data) {
        Outcome::Skipped => Corpus::Reject,
        Outcome::Accepted | Outcome::Rejected => Corpus::Keep,
    }
});
