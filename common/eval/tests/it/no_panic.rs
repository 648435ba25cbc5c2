//! Property tests: no input text makes the parser panic, and no packet makes the evaluator
//! panic on any expression that parses.

use kea_dhcp::Pkt4;
use kea_eval::{Expression, ParseContext, Pkt4View};
use proptest::prelude::*;

/// Pieces of the language, so that random sequences often parse.
const PIECES: &[&str] = &[
    "option",
    "[",
    "]",
    ".",
    "hex",
    "text",
    "exists",
    "(",
    ")",
    ",",
    "==",
    "+",
    "and",
    "or",
    "not",
    "'a'",
    "''",
    "0x01",
    "0x",
    "1",
    "-1",
    "0",
    "99999999999",
    "10.0.0.1",
    "::1",
    "substring",
    "split",
    "concat",
    "ifelse",
    "hexstring",
    "addrtotext",
    "int8totext",
    "uint32totext",
    "lcase",
    "ucase",
    "all",
    "member",
    "known",
    "unknown",
    "relay4",
    "relay6",
    "peeraddr",
    "pkt",
    "pkt4",
    "pkt6",
    "mac",
    "len",
    "iface",
    "msgtype",
    "transid",
    "vendor",
    "vendor-class",
    "*",
    "data",
    "enterprise",
    "host-name",
    "82",
    "61",
    "12",
    " ",
    "\n",
    "#",
];

fn expression_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..24).prop_map(|v| v.join(""))
}

fn packet() -> impl Strategy<Value = Pkt4> {
    prop::collection::vec(any::<u8>(), 236..400).prop_map(|mut raw| {
        raw.splice(236..236, [99, 130, 83, 99]);
        Pkt4::decode(&raw).unwrap_or_default()
    })
}

proptest! {
    #[test]
    fn parser_never_panics(text in expression_text(), bytes in ".{0,40}") {
        let _ = Expression::parse_bool(&text, &ParseContext::v4());
        let _ = Expression::parse_string(&text, &ParseContext::v6());
        let _ = Expression::parse_bool(&bytes, &ParseContext::v4());
    }

    #[test]
    fn evaluator_never_panics(pkt in packet(), pick in 0usize..12) {
        let exprs = [
            "substring(option[61].hex, -3, -9) == option[12].text",
            "split(option[82].hex, 0x01, 2) + relay4[1].text == ''",
            "vendor-class[*].data[3] == vendor[0].option[1].hex",
            "addrtotext(option[50].hex) == 'x'",
            "uint16totext(option[57].hex) == '576'",
            "hexstring(pkt4.mac, ':') == ucase(lcase(option[60].hex))",
            "option[43].option[1].exists or vendor.enterprise == 4491",
            "pkt.len == 300 and pkt4.msgtype == 1",
            "int32totext(substring(option[51].hex, 0, 4)) == '1'",
            "option[81].text == option[55].text",
            "vendor-class.enterprise == pkt4.transid",
            "ifelse(option[82].option[5].exists, relay4[5].hex, pkt4.giaddr) == 0.0.0.0",
        ];
        let e = Expression::parse_bool(exprs[pick], &ParseContext::v4()).unwrap();
        let _ = e.evaluate_bool(&Pkt4View::new(&pkt), &["ALL"]);
    }
}
