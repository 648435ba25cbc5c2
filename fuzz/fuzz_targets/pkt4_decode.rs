//! Fuzz target `pkt4_decode`: the DHCPv4 packet decoder: arbitrary bytes, round trip on success.
//! The body is [`kea_fuzz::pkt4_decode`]; inputs it skips are kept out of the corpus.

#![no_main]

use kea_fuzz::Outcome;
use libfuzzer_sys::{Corpus, fuzz_target};

fuzz_target!(|data: &[u8]| -> Corpus {
    match kea_fuzz::pkt4_decode(data) {
        Outcome::Skipped => Corpus::Reject,
        Outcome::Accepted | Outcome::Rejected => Corpus::Keep,
    }
});
