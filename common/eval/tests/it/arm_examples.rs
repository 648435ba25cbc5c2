//! Every example of `classify.rst` as a test: the "List of classification values" table, the
//! "List of classification expressions" and conversion tables, and the examples of the
//! Substring, Concat, Split, Ifelse and Hexstring sections and of "Configuring Classes".

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use kea_dhcp::codes::{
    BOOTREQUEST, DHO_DHCP_AGENT_OPTIONS, DHO_DHCP_CLIENT_IDENTIFIER, DHO_HOST_NAME,
    DHO_VIVCO_SUBOPTIONS, DHO_VIVSO_SUBOPTIONS,
};
use kea_dhcp::optdef::OptionDefinition;
use kea_dhcp::{MessageType, Opt, OptionDataType, Pkt4};
use kea_eval::{Expression, ParseContext, Pkt4View};

use crate::common::{FakePkt6, Relay6, eval4, string4, v4, v6};

const NO_CLASSES: [&str; 0] = [];

/// The packet the value table describes: option 123, option 12 with sub-option 34 (through
/// a custom definition), RAI sub-option 123, hardware type 6 and address 01:02:03:04:05:06,
/// every address field 192.0.2.1, transaction id 12345, vendor 4491 with sub-option 1
/// `docsis3.0`, vendor class 4491 with data `docsis3.0` at index 0 and 3.
fn table_packet() -> Pkt4 {
    let mut p = Pkt4::new(BOOTREQUEST, MessageType::Discover, 12345);
    p.htype = 6;
    p.hlen = 6;
    p.chaddr[..6].copy_from_slice(&[1, 2, 3, 4, 5, 6]);
    let a = Ipv4Addr::new(192, 0, 2, 1);
    (p.ciaddr, p.giaddr, p.yiaddr, p.siaddr) = (a, a, a, a);
    p.options.insert(Opt::new(123, *b"content"));
    p.options
        .insert(Opt::new(DHO_HOST_NAME, [34, 3, b's', b'u', b'b']));
    p.options
        .insert(Opt::new(DHO_DHCP_AGENT_OPTIONS, [123, 3, b'r', b'a', b'i']));
    let mut vivso = vec![0, 0, 0x11, 0x8b, 11, 1, 9];
    vivso.extend_from_slice(b"docsis3.0");
    p.options.insert(Opt::new(DHO_VIVSO_SUBOPTIONS, vivso));
    let mut vivco = vec![0, 0, 0x11, 0x8b];
    for item in [&b"docsis3.0"[..], b"a", b"b", b"docsis3.0"] {
        vivco.push(item.len() as u8);
        vivco.extend_from_slice(item);
    }
    p.options.insert(Opt::new(DHO_VIVCO_SUBOPTIONS, vivco));
    p
}

fn eq4(pkt: &Pkt4View<'_>, text: &str) {
    assert!(eval4(text, pkt, &NO_CLASSES), "{text}");
}

#[test]
fn values_table() {
    let pkt = table_packet();
    let host_name_with_subs: &'static OptionDefinition = Box::leak(Box::new(
        OptionDefinition::new(
            "host-name",
            DHO_HOST_NAME,
            "dhcp4",
            OptionDataType::Empty,
            false,
        )
        .with_encapsulate("my-space"),
    ));
    let defs = move |code: u16| {
        if code == DHO_HOST_NAME {
            Some(host_name_with_subs)
        } else {
            kea_dhcp::optdef::std_v4_def_by_code(code)
        }
    };
    let view = Pkt4View::new(&pkt)
        .with_metadata(
            "eth0",
            IpAddr::V4(Ipv4Addr::new(10, 1, 2, 3)),
            IpAddr::V4(Ipv4Addr::new(10, 1, 2, 3)),
        )
        .with_option_defs(&defs);
    for text in [
        "'example' == 'example'",
        "0x5a7d == 'Z}'",
        "10.0.0.1 == 0x0a000001",
        // integers are four octets: 123 is 0x0000007b, whose text is '123'
        "123 == 0x0000007b",
        "uint32totext(123) == '123'",
        "option[123].hex == 'content'",
        "option[123].exists",
        "option[12].option[34].hex == 'sub'",
        "option[12].option[34].exists",
        "relay4[123].hex == 'rai'",
        "pkt.iface == 'eth0'",
        "pkt.src == 10.1.2.3",
        "pkt.dst == 10.1.2.3",
        "pkt4.mac == 0x010203040506",
        "pkt4.hlen == 6",
        "pkt4.htype == 6",
        "pkt4.ciaddr == 192.0.2.1",
        "pkt4.giaddr == 192.0.2.1",
        "pkt4.yiaddr == 192.0.2.1",
        "pkt4.siaddr == 192.0.2.1",
        "pkt4.msgtype == 1",
        "pkt4.transid == 12345",
        "vendor[*].exists",
        "vendor[4491].exists",
        "vendor.enterprise == 4491",
        "vendor[4491].option[1].exists",
        "vendor[4491].option[1].hex == 'docsis3.0'",
        "vendor-class[*].exists",
        "vendor-class[4491].exists",
        "vendor-class.enterprise == 4491",
        "vendor-class[4491].data == 'docsis3.0'",
        "vendor-class[4491].data[3] == 'docsis3.0'",
    ] {
        eq4(&view, text);
    }
    // pkt.len: 513 octets as Kea counts them (header 236 + options)
    let mut big = Pkt4::new(BOOTREQUEST, MessageType::Discover, 1);
    big.options.insert(Opt::new(222, vec![0; 255]));
    big.options.insert(Opt::new(223, vec![0; 15]));
    eq4(&Pkt4View::new(&big), "pkt.len == 513");
    // member, known, unknown
    let classes = ["ALL", "foobar", "KNOWN"];
    assert!(eval4("member('foobar')", &view, &classes));
    assert!(eval4("known", &view, &classes));
    assert!(!eval4("unknown", &view, &classes));
    assert!(eval4("unknown", &view, &["ALL"]));
    assert!(!eval4("known", &view, &["ALL"]));
}

/// The DHCPv6 rows of the value table, on a DHCPv6 packet implementing the same trait.
#[test]
fn values_table_v6() {
    let relay = |link: &str, peer: &str, opt: &[u8]| Relay6 {
        link: link.parse().unwrap(),
        peer: peer.parse().unwrap(),
        options: vec![(18, opt.to_vec())],
    };
    let pkt = FakePkt6 {
        msg_type: 1,
        transid: 12345,
        options: vec![(1, vec![0x00, 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee])],
        relays: vec![
            relay("2001:db8::1", "2001:db8::2", b"outer"),
            relay("2001:db8::3", "2001:db8::4", b"inner"),
        ],
    };
    let t = |text: &str| v6(text).evaluate_bool(&pkt, &NO_CLASSES).unwrap();
    assert!(t("relay6[0].option[18].hex == 'outer'"));
    assert!(t("relay6[-1].option[18].hex == 'inner'"));
    assert!(t("relay6[1].option[18].exists"));
    assert!(!t("relay6[2].option[18].exists"));
    assert!(t("relay6[2].option[18].hex == ''"));
    assert!(t("relay6[0].peeraddr == 2001:DB8::2"));
    assert!(t("relay6[0].linkaddr == 2001:DB8::1"));
    assert!(t("relay6[5].linkaddr == ''"));
    assert!(t("pkt6.msgtype == 1"));
    assert!(t("pkt6.transid == 12345"));
    assert!(t("pkt.iface == 'eth0'"));
    // "Configuring Classes", the DHCPv6 example
    assert!(t("substring(option[1].hex,0,6) == 0x0002AABBCCDD"));
    // a v6 expression on a v4 packet fails instead of guessing
    let p4 = Pkt4::new(BOOTREQUEST, MessageType::Discover, 1);
    assert!(
        v6("pkt6.msgtype == 1")
            .evaluate_bool(&Pkt4View::new(&p4), &NO_CLASSES)
            .is_err()
    );
    let _ = Ipv6Addr::LOCALHOST;
}

#[test]
fn expressions_table() {
    let pkt = Pkt4::new(BOOTREQUEST, MessageType::Discover, 1);
    let view = Pkt4View::new(&pkt);
    let s = |text: &str| String::from_utf8(string4(text, &view)).unwrap();
    assert!(!eval4("'foo' == 'bar'", &view, &NO_CLASSES));
    assert!(eval4("not ('foo' == 'bar')", &view, &NO_CLASSES));
    assert!(!eval4(
        "('foo' == 'bar') and ('bar' == 'foo')",
        &view,
        &NO_CLASSES
    ));
    assert!(!eval4(
        "('foo' == 'bar') or ('bar' == 'foo')",
        &view,
        &NO_CLASSES
    ));
    assert_eq!(s("substring('foobar',0,3)"), "foo");
    assert_eq!(s("concat('foo','bar')"), "foobar");
    assert_eq!(s("'foo' + 'bar'"), "foobar");
    assert_eq!(s("ifelse('foo' == 'bar','us','them')"), "them");
    // The ARM shows 66-6F-6F; Kea 2.2 prints lower case (checked on Kea), which is what
    // configurations written for it compare against.
    assert_eq!(s("hexstring('foo', '-')"), "66-6f-6f");
    assert_eq!(s("lcase('LoWeR')"), "lower");
    assert_eq!(s("ucase('uPpEr')"), "UPPER");
    assert_eq!(s("split('foo.bar', '.', 2)"), "bar");
}

#[test]
fn conversions_table() {
    let pkt = Pkt4::new(BOOTREQUEST, MessageType::Discover, 1);
    let view = Pkt4View::new(&pkt);
    let s = |text: &str| String::from_utf8(string4(text, &view)).unwrap();
    assert_eq!(s("addrtotext (192.10.0.1)"), "192.10.0.1");
    assert_eq!(s("addrtotext (2003:db8::)"), "2003:db8::");
    // Integer literals are unsigned 32-bit (Kea 2.2 rejects `-1`), so the signed examples
    // are written with the octets of -1.
    let e = Expression::parse_string("int8totext (-1)", &ParseContext::v4()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "<string>:1.13-14: Invalid value in -1. Allowed range: 0..4294967295"
    );
    assert_eq!(s("int8totext (0xff)"), "-1");
    assert_eq!(s("int16totext (0xffff)"), "-1");
    assert_eq!(s("int32totext (0xffffffff)"), "-1");
    assert_eq!(s("uint8totext (0xff)"), "255");
    assert_eq!(s("uint16totext (0xffff)"), "65535");
    assert_eq!(s("uint32totext (4294967295)"), "4294967295");
    // empty data gives an empty string; other lengths are errors
    assert_eq!(s("uint16totext (option[99].hex)"), "");
    assert_eq!(s("addrtotext (option[99].hex)"), "");
    let bad = Expression::parse_string("uint8totext (0xffff)", &ParseContext::v4()).unwrap();
    assert_eq!(
        bad.evaluate_string(&view, &NO_CLASSES)
            .unwrap_err()
            .to_string(),
        "Can not convert to valid uint8."
    );
}

#[test]
fn logical_operator_sections() {
    let pkt = Pkt4::new(BOOTREQUEST, MessageType::Discover, 1);
    let view = Pkt4View::new(&pkt);
    let c = |text: &str, classes: &[&str]| eval4(text, &view, classes);
    // "A and B or C" means "(A and B) or C"
    assert!(c("member('A') and member('B') or member('C')", &["C"]));
    assert!(!c("member('A') and (member('B') or member('C'))", &["C"]));
    assert!(c("not member('A') and member('B')", &["B"]));
}

#[test]
fn substring_section() {
    let pkt = Pkt4::new(BOOTREQUEST, MessageType::Discover, 1);
    let view = Pkt4View::new(&pkt);
    for text in [
        "substring('foobar', 0, 6) == 'foobar'",
        "substring('foobar', 3, 3) == 'bar'",
        "substring('foobar', 3, all) == 'bar'",
        "substring('foobar', 1, 4) == 'ooba'",
        "substring('foobar', -5, 4) == 'ooba'",
        "substring('foobar', -1, -3) == 'oba'",
        "substring('foobar', 4, -2) == 'ob'",
        "substring('foobar', 10, 2) == ''",
    ] {
        eq4(&view, text);
    }
}

#[test]
fn concat_section() {
    let pkt = Pkt4::new(BOOTREQUEST, MessageType::Discover, 1);
    let view = Pkt4View::new(&pkt);
    eq4(&view, "concat('foo', 'bar') == 'foobar'");
    let forms = [
        "'abc' + 'def' + 'ghi' + 'jkl' + '...'",
        "concat(concat(concat(concat('abc', 'def'), 'ghi'), 'jkl'), '...')",
        "concat('abc', concat('def', concat('ghi', concat('jkl', '...'))))",
        "'abcdefghijkl...'",
    ];
    for f in forms {
        assert_eq!(string4(f, &view), b"abcdefghijkl...", "{f}");
    }
}

#[test]
fn split_section() {
    let mut pkt = Pkt4::new(BOOTREQUEST, MessageType::Discover, 1);
    pkt.options.insert(Opt::new(39, *b"it's"));
    let view = Pkt4View::new(&pkt);
    for text in [
        "split ('one.two..four', '.', 1) == 'one'",
        "split ('one.two..four', '.', 2) == 'two'",
        "split ('one.two..four', '.', 3) == ''",
        "split ('one.two..four', '.', 4) == 'four'",
        "split ('one.two..four', '.', 5) == ''",
        // empty value, empty delimiters, field below one
        "split ('', '.', 1) == ''",
        "split ('a.b', '', 1) == 'a.b'",
        "split ('a.b', '.', 0) == ''",
        "split ('a.b', '.', -1) == ''",
        // a hard-to-escape delimiter as hex
        "split(option[39].hex, 0x27, 1) == 'it'",
        "split('a-b.c', '.-', 2) == 'b'",
    ] {
        eq4(&view, text);
    }
}

#[test]
fn ifelse_and_hexstring_sections() {
    let mut pkt = Pkt4::new(BOOTREQUEST, MessageType::Discover, 1);
    pkt.chaddr[..6].copy_from_slice(&[0, 0x11, 0x22, 0x33, 0x44, 0x55]);
    let view = Pkt4View::new(&pkt);
    let e = "ifelse(option[230].exists, option[230].hex, 'none')";
    assert_eq!(string4(e, &view), b"none");
    pkt.options.insert(Opt::new(230, *b"yes"));
    let view = Pkt4View::new(&pkt);
    assert_eq!(string4(e, &view), b"yes");
    assert_eq!(
        string4("hexstring(pkt4.mac, ':')", &view),
        b"00:11:22:33:44:55"
    );
    assert_eq!(string4("hexstring(pkt4.mac, '')", &view), b"001122334455");
}

#[test]
fn configuring_classes_examples() {
    let mut pkt = Pkt4::new(BOOTREQUEST, MessageType::Discover, 1);
    pkt.chaddr[..6].copy_from_slice(&[0xa, 0xb, 0xc, 0xd, 0xe, 0xf]);
    pkt.options
        .insert(Opt::new(DHO_DHCP_CLIENT_IDENTIFIER, *b"foobar.foo"));
    pkt.options
        .insert(Opt::new(DHO_HOST_NAME, *b"host-name-of-twelve"));
    pkt.options.insert(Opt::new(
        DHO_DHCP_AGENT_OPTIONS,
        [2, 6, 0xa, 0xb, 0xc, 0xd, 0xe, 0xf],
    ));
    let view = Pkt4View::new(&pkt);
    eq4(&view, "substring(option[61].hex,0,3) == 'foo'");
    eq4(&view, "option[82].option[2].hex == pkt4.mac");
    // template classes
    assert_eq!(string4("substring(option[61].hex,0,3)", &view), b"foo");
    assert_eq!(
        string4(
            "ifelse(substring(option[61].hex,4,3) == 'foo', substring(option[12].hex,0,12), '')",
            &view
        ),
        b""
    );
    assert_eq!(
        string4(
            "ifelse(substring(option[61].hex,7,3) == 'foo', substring(option[12].hex,0,12), '')",
            &view
        ),
        b"host-name-of"
    );
    // the debugging section's example
    let e = v4("substring(option[61].hex,0,3) == 'foo'");
    assert!(e.evaluate_bool(&view, &NO_CLASSES).unwrap());
}
