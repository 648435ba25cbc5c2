//! Fuzz target `eval_parse`: the classification expression parser on arbitrary UTF-8 (v4 and
//! v6, boolean and string), accepted expressions evaluated on sample packets.
//! The body is [`kea_fuzz::eval_parse`]; inputs it skips (not UTF-8) are kept out of the corpus.

#![no_main]

use kea_fuzz::Outcome;
use libfuzzer_sys::{Corpus, fuzz_target};

fuzz_target!(|data: &[u8]| -> Corpus {
    match kea_fuzz::eval_parse(data) {
        Outcome::Skipped => Corpus::Reject,
        Outcome::Accepted | Outcome::Rejected => Corpus::Keep,
    }
});
