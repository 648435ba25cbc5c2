//! Fuzz target `d2_answer`: D2's check of a DNS UPDATE answer and its TSIG, on arbitrary bytes: no panic.
//! The body is [`kea_fuzz::d2_answer`]; every input is kept (it never skips).

#![no_main]

use kea_fuzz::Outcome;
use libfuzzer_sys::{Corpus, fuzz_target};

fuzz_target!(|data: &[u8]| -> Corpus {
    match kea_fuzz::d2_answer(data) {
        Outcome::Skipped => Corpus::Reject,
        Outcome::Accepted | Outcome::Rejected => Corpus::Keep,
    }
});
