//! Fuzz target `pkt6_decode`: the DHCPv6 message decoder, relay layers included: arbitrary
//! bytes, round trip on success.
//! The body is [`kea_fuzz::pkt6_decode`]; inputs it skips are kept out of the corpus.

#![no_main]

use kea_fuzz::Outcome;
use libfuzzer_sys::{Corpus, fuzz_target};

fuzz_target!(|data: &[u8]| -> Corpus {
    match kea_fuzz::pkt6_decode(data) {
        Outcome::Skipped => Corpus::Reject,
        Outcome::Accepted | Outcome::Rejected => Corpus::Keep,
    }
});
