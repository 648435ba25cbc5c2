//! Evaluation on real DHCPv4 packets (decoded from wire bytes with kea-dhcp): missing
//! options, borrowed results, evaluation errors, dependencies.

use std::borrow::Cow;

use kea_dhcp::codes::{BOOTREQUEST, DHO_DHCP_AGENT_OPTIONS, DHO_HOST_NAME};
use kea_dhcp::{MessageType, Opt, Pkt4};
use kea_eval::parser::MAX_DEPTH;
use kea_eval::{EvalError, Expression, ParseContext, Pkt4View};

use crate::common::{eval4, v4};

const NO_CLASSES: [&str; 0] = [];

fn wire_packet() -> Pkt4 {
    let mut p = Pkt4::new(BOOTREQUEST, MessageType::Request, 0xdeadbeef);
    p.chaddr[..6].copy_from_slice(&[2, 0, 0, 0, 0, 1]);
    p.options.insert(Opt::new(DHO_HOST_NAME, *b"client1"));
    p.options.insert(Opt::new(77, []));
    p.options
        .insert(Opt::new(DHO_DHCP_AGENT_OPTIONS, [1, 2, b'c', b'1']));
    // through the wire and back, as a server receives it
    Pkt4::decode(&p.encode()).unwrap()
}

#[test]
fn missing_options_are_empty_and_false() {
    let pkt = wire_packet();
    let view = Pkt4View::new(&pkt);
    for text in [
        "option[99].hex == ''",
        "option[99].text == ''",
        "not option[99].exists",
        "option[99].option[1].hex == ''",
        "not option[82].option[9].exists",
        "relay4[9].hex == ''",
        "not relay4[9].exists",
        "not vendor[*].exists",
        "vendor.enterprise == ''",
        "vendor[*].option[1].hex == ''",
        "not vendor-class[*].exists",
        "vendor-class[*].data == ''",
        "vendor-class.enterprise == ''",
        // an empty option exists and is empty
        "option[77].exists and option[77].hex == ''",
        // options without sub-options have none
        "not option[12].option[1].exists",
        "pkt4.msgtype == 3",
        "pkt4.transid == 0xdeadbeef",
        "relay4[1].hex == 'c1'",
        "pkt.iface == ''",
        "pkt.src == 0.0.0.0",
    ] {
        assert!(eval4(text, &view, &NO_CLASSES), "{text}");
    }
    let no_rai = Pkt4::new(BOOTREQUEST, MessageType::Discover, 1);
    assert!(eval4(
        "relay4[1].hex == '' and not relay4[1].exists",
        &Pkt4View::new(&no_rai),
        &NO_CLASSES
    ));
}

#[test]
fn results_borrow_from_the_packet() {
    let pkt = wire_packet();
    let view = Pkt4View::new(&pkt);
    for text in [
        "option[12].hex",
        "substring(option[12].hex, 1, 3)",
        "relay4[1].hex",
        "pkt4.mac",
        "split(option[12].hex, 'n', 1)",
        "ifelse(option[12].exists, option[12].hex, 'none')",
        "lcase(option[12].hex)",
        "option[12].hex + ''",
    ] {
        let e = Expression::parse_string(text, &ParseContext::v4()).unwrap();
        let v = e.evaluate_string(&view, &NO_CLASSES).unwrap();
        assert!(matches!(v, Cow::Borrowed(_)), "{text} allocated");
    }
    let e =
        Expression::parse_string("substring(option[12].hex, 1, 3)", &ParseContext::v4()).unwrap();
    assert_eq!(
        e.evaluate_string(&view, &NO_CLASSES).unwrap().as_ref(),
        b"lie"
    );
}

#[test]
fn evaluation_errors_fail_the_whole_expression() {
    let pkt = wire_packet();
    let view = Pkt4View::new(&pkt);
    // As Kea evaluates every operand, an error on the untaken side still fails.
    let e = v4("member('ALL') or addrtotext(0x010203) == ''");
    assert_eq!(
        e.evaluate_bool(&view, &["ALL"]),
        Err(EvalError::AddressLength { len: 3 })
    );
    let e = v4("substring('abc', 99999999999, 1) == ''");
    assert_eq!(
        e.evaluate_bool(&view, &NO_CLASSES).unwrap_err().to_string(),
        "the parameter '99999999999' for the starting position of the substring couldn't be converted to an integer."
    );
    // but an empty string is returned before the integer is looked at, as in Kea
    assert!(eval4(
        "substring('', 99999999999, 1) == ''",
        &view,
        &NO_CLASSES
    ));
}

#[test]
fn string_and_boolean_results() {
    let pkt = wire_packet();
    let view = Pkt4View::new(&pkt);
    let b = v4("option[12].exists");
    assert!(b.is_bool());
    assert_eq!(
        b.evaluate_string(&view, &NO_CLASSES).unwrap().as_ref(),
        b"true"
    );
    let s = Expression::parse_string("'true'", &ParseContext::v4()).unwrap();
    assert!(!s.is_bool());
    assert!(s.evaluate_bool(&view, &NO_CLASSES).unwrap());
    assert_eq!(s.text(), "'true'");
}

#[test]
fn dependencies_for_the_config_builder() {
    let e = v4("member('a') and (known or member('VENDOR_CLASS_x')) and member('a')");
    assert_eq!(e.dependencies(), vec!["a", "KNOWN", "VENDOR_CLASS_x"]);
    assert!(e.depends_on_known());
    assert!(e.check_dependencies(|c| c == "a").is_ok());
    let err = e.check_dependencies(|_| false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "<string>:1.8-10: Not defined client class 'a'"
    );
    // DROP is special, not built in: it must be defined first (Kea 2.2)
    let d = v4("member('DROP')");
    assert!(!d.depends_on_known());
    assert_eq!(
        d.check_dependencies(|_| false).unwrap_err().to_string(),
        "<string>:1.8-13: Not defined client class 'DROP'"
    );
    assert!(
        v4("member('ALL') or member('HA_server1')")
            .check_dependencies(|_| false)
            .is_ok()
    );
}

#[test]
fn deepest_accepted_expressions_evaluate() {
    let pkt = wire_packet();
    let view = Pkt4View::new(&pkt);
    let n = MAX_DEPTH - 2;
    let cases = [
        format!("{}'a'{} == 'a'", "(".repeat(n), ")".repeat(n)),
        format!("{}'a'{} == 'a'", "concat('',".repeat(n), ")".repeat(n)),
        format!("'a'{} == 'a'", " + ''".repeat(n)),
        format!("{}member('ALL')", "not not ".repeat(n / 2)),
        format!("{}'a'{} == 'a'", "lcase(".repeat(n), ")".repeat(n)),
    ];
    for text in cases {
        assert!(eval4(&text, &view, &["ALL"]), "{text}");
    }
}
