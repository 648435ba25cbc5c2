//! Client classification in the running kea-dhcp6 (ARM `classify.rst`; `dhcp6-srv.rst`,
//! "Client Classification in DHCPv6"): a vendor class (option 16) and a relay's
//! interface-id (option 18) select the pool an address comes from, and a template class
//! spawns a class per interface-id.

use std::net::Ipv6Addr;

use kea_dhcp::codes6::*;
use kea_dhcp::{Opt, Pkt6};

use crate::harness::*;

const BODY: &str = r#"
    "preferred-lifetime": 3000, "valid-lifetime": 4000,
    "client-classes": [
        { "name": "docsis",
          "test": "vendor-class[4491].exists and substring(vendor-class[4491].data,0,6) == 'docsis'" },
        { "name": "port7", "test": "relay6[0].option[18].hex == 'port7'" },
        { "name": "SPAWN_iface_port9",
          "option-data": [ { "name": "domain-search", "data": "port9.example.org" } ] },
        { "name": "iface", "template-test": "relay6[0].option[18].hex",
          "option-data": [ { "name": "dns-servers", "data": "2001:db8::53" } ] }
    ],
    "subnet6": [ { "id": 1, "subnet": "2001:db8:1::/64",
        "pools": [ { "pool": "2001:db8:1::100 - 2001:db8:1::1ff", "client-class": "docsis" },
                   { "pool": "2001:db8:1::200 - 2001:db8:1::2ff", "client-class": "port7" } ] } ]
"#;

/// A relay layer on the test link with this interface-id.
fn via(interface_id: &[u8]) -> Vec<kea_dhcp::RelayMsg> {
    let mut l = layer("2001:db8:1::1", 0);
    l.options = [Opt::new(D6O_INTERFACE_ID, interface_id.to_vec())]
        .into_iter()
        .collect();
    vec![l]
}

/// A SOLICIT for one IA_NA asking for DNS servers and the domain search list, with a
/// vendor class option (enterprise 4491, one data item) when given.
fn solicit(xid: u32, vendor_class: Option<&[u8]>) -> Pkt6 {
    let mut p = query(DHCPV6_SOLICIT, xid);
    p.options.insert(ia(D6O_IA_NA, 1, None));
    p.options.insert(Opt::new(D6O_ORO, vec![0, 23, 0, 24]));
    if let Some(data) = vendor_class {
        let mut v = 4491u32.to_be_bytes().to_vec();
        v.extend_from_slice(&(data.len() as u16).to_be_bytes());
        v.extend_from_slice(data);
        p.options.insert(Opt::new(D6O_VENDOR_CLASS, v));
    }
    p
}

/// The address offered in the IA_NA, if any.
fn offered(p: &Pkt6) -> Option<Ipv6Addr> {
    reply_ia(p, D6O_IA_NA).addresses().next().map(|a| a.addr)
}

fn in_range(a: Option<Ipv6Addr>, first: &str, last: &str) -> bool {
    let (first, last): (Ipv6Addr, Ipv6Addr) = (first.parse().unwrap(), last.parse().unwrap());
    a.is_some_and(|a| a >= first && a <= last)
}

#[test]
fn vendor_class_and_interface_id_guard_pools() {
    let s = Server::start(BODY);
    let r = s.relay();
    let adv = r
        .exchange_via(&solicit(1, Some(b"docsis3.0")), via(b"eth0"))
        .unwrap();
    assert_eq!(adv.msg_type, DHCPV6_ADVERTISE);
    let a = offered(&adv);
    assert!(in_range(a, "2001:db8:1::100", "2001:db8:1::1ff"), "{a:?}");
    let adv = r.exchange_via(&solicit(2, None), via(b"port7")).unwrap();
    let a = offered(&adv);
    assert!(in_range(a, "2001:db8:1::200", "2001:db8:1::2ff"), "{a:?}");
    // A vendor class of another vendor, on another port: both pools stay closed.
    let mut other = solicit(3, None);
    let mut v = 9u32.to_be_bytes().to_vec();
    v.extend_from_slice(&[0, 9]);
    v.extend_from_slice(b"docsis3.0");
    other.options.insert(Opt::new(D6O_VENDOR_CLASS, v));
    let adv = r.exchange_via(&other, via(b"port8")).unwrap();
    assert_eq!(offered(&adv), None, "{adv:?}");
}

#[test]
fn a_template_class_spawns_a_class_per_interface_id() {
    let s = Server::start(BODY);
    let r = s.relay();
    // interface-id "port9": SPAWN_iface_port9 (defined: its domain search list) and
    // "iface" (the template's DNS servers).
    let adv = r.exchange_via(&solicit(1, None), via(b"port9")).unwrap();
    assert_eq!(
        adv.options.data(D6O_NAME_SERVERS),
        Some(&"2001:db8::53".parse::<Ipv6Addr>().unwrap().octets()[..])
    );
    assert!(adv.options.data(D6O_DOMAIN_SEARCH).is_some(), "{adv:?}");
    // "port7": the template's option only.
    let adv = r.exchange_via(&solicit(2, None), via(b"port7")).unwrap();
    assert!(adv.options.data(D6O_NAME_SERVERS).is_some());
    assert_eq!(adv.options.data(D6O_DOMAIN_SEARCH), None);
    // An empty interface-id spawns nothing: no class option at all.
    let adv = r.exchange_via(&solicit(3, None), via(b"")).unwrap();
    assert_eq!(adv.options.data(D6O_NAME_SERVERS), None);
}
