//! Fuzz target `ncr_decode`: NameChangeRequest datagrams and JSON text: arbitrary bytes, JSON and framing round trips on success.
//! The body is [`kea_fuzz::ncr_decode`]; every input is kept (it never skips).

#![no_main]

use kea_fuzz::Outcome;
use libfuzzer_sys::{Corpus, fuzz_target};

fuzz_target!(|data: &[u8]| -> Corpus {
    match kea_fuzz::ncr_decode(data) {
        Outcome::Skipped => Corpus::Reject,
        Outcome::Accepted | Outcome::Rejected => Corpus::Keep,
    }
});
