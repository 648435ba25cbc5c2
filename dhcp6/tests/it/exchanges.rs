//! DHCPv6 exchanges as Kea 2.2 answers them (captured on this machine with the same
//! configuration and queries).

use std::net::Ipv6Addr;

use kea_dhcp::Opt;
use kea_dhcp::codes6::*;

use crate::harness::*;

const BODY: &str = r#"
    "preferred-lifetime": 3000, "valid-lifetime": 4000,
    "option-data": [ { "name": "dns-servers", "data": "2001:db8::53" },
                     { "name": "domain-search", "data": "example.org" } ],
    "subnet6": [ { "id": 1, "subnet": "2001:db8:1::/64",
        "pools": [ { "pool": "2001:db8:1::10 - 2001:db8:1::11" } ],
        "pd-pools": [ { "prefix": "2001:db8:8::", "prefix-len": 56, "delegated-len": 64 } ],
        "reservations": [ { "duid": "00:03:00:01:aa:bb:cc:dd:ee:ff", "ip-addresses": [ "2001:db8:1::abc" ] } ] } ]
"#;

fn oro() -> Opt {
    Opt::new(D6O_ORO, vec![0, 23, 0, 24, 0, 7])
}

#[test]
fn solicit_and_request_give_addresses_and_prefixes_like_kea() {
    let s = Server::start(BODY);
    let r = s.relay();
    let mut sol = query(DHCPV6_SOLICIT, 0x010203);
    sol.options.insert(ia(D6O_IA_NA, 1, None));
    sol.options.insert(ia(D6O_IA_PD, 2, None));
    sol.options.insert(oro());
    let adv = r.exchange(&sol).unwrap();
    assert_eq!(adv.msg_type, DHCPV6_ADVERTISE);
    assert_eq!(adv.transid, 0x010203);
    // Kea 2.2: sorted by code, preference not sent when not configured.
    assert_eq!(codes(&adv), vec![1, 2, 3, 23, 24, 25]);
    assert_eq!(adv.options.data(D6O_SERVERID), Some(&SERVER_DUID[..]));
    let na = reply_ia(&adv, D6O_IA_NA);
    assert_eq!(
        (na.t1, na.t2),
        (1500, 2400),
        "0.5 and 0.8 of the preferred lifetime"
    );
    let a = na.addresses().next().unwrap();
    assert_eq!(
        (a.addr, a.preferred_lifetime, a.valid_lifetime),
        ("2001:db8:1::10".parse().unwrap(), 3000, 4000)
    );
    let pd = reply_ia(&adv, D6O_IA_PD).prefixes().next().unwrap();
    assert_eq!(
        (pd.prefix, pd.prefix_len),
        ("2001:db8:8::".parse().unwrap(), 64)
    );
    assert!(s.lease_rows().is_empty(), "an ADVERTISE stores nothing");

    let mut req = query(DHCPV6_REQUEST, 0x010204);
    req.options
        .insert(Opt::new(D6O_SERVERID, SERVER_DUID.to_vec()));
    req.options.insert(ia(D6O_IA_NA, 1, Some((a.addr, 128))));
    let rep = r.exchange(&req).unwrap();
    assert_eq!(rep.msg_type, DHCPV6_REPLY);
    assert_eq!(
        reply_ia(&rep, D6O_IA_NA).addresses().next().unwrap().addr,
        a.addr
    );
    let rows = s.lease_rows();
    assert_eq!(rows.len(), 1);
    assert!(
        rows[0].starts_with("2001:db8:1::10,00:01:00:01:2a:2b:2c:2d:1a:1b:1c:1d:1e:1f,4000,"),
        "{rows:?}"
    );
    assert_eq!(s.stat("subnet[1].assigned-nas"), 1);
    assert_eq!(s.stat("subnet[1].total-nas"), 2);
    assert_eq!(s.stat("pkt6-reply-sent"), 1);
}

#[test]
fn release_renew_confirm_and_information_request() {
    let s = Server::start(BODY);
    let r = s.relay();
    let addr: Ipv6Addr = "2001:db8:1::10".parse().unwrap();
    let sid = || Opt::new(D6O_SERVERID, SERVER_DUID.to_vec());
    let mut req = query(DHCPV6_REQUEST, 1);
    req.options.insert(sid());
    req.options.insert(ia(D6O_IA_NA, 1, Some((addr, 128))));
    assert_eq!(r.exchange(&req).unwrap().msg_type, DHCPV6_REPLY);

    let mut renew = query(DHCPV6_RENEW, 2);
    renew.options.insert(sid());
    renew.options.insert(ia(D6O_IA_NA, 1, Some((addr, 128))));
    let rep = r.exchange(&renew).unwrap();
    assert_eq!(
        reply_ia(&rep, D6O_IA_NA).addresses().next().unwrap().addr,
        addr
    );
    assert_eq!(codes(&rep), vec![1, 2, 3], "no options unasked");

    let mut confirm = query(DHCPV6_CONFIRM, 3);
    confirm.options.insert(ia(D6O_IA_NA, 1, Some((addr, 128))));
    let st = r.exchange(&confirm).unwrap();
    let status =
        kea_dhcp::ia::StatusCode::parse(st.options.data(D6O_STATUS_CODE).unwrap()).unwrap();
    assert_eq!(
        (status.code, status.message.as_str()),
        (0, "All addresses are on-link")
    );

    let mut info = query(DHCPV6_INFORMATION_REQUEST, 4);
    info.options.insert(Opt::new(D6O_ORO, vec![0, 23]));
    assert_eq!(
        codes(&r.exchange(&info).unwrap()),
        vec![1, 2, 23],
        "only what was asked for"
    );

    let mut rel = query(DHCPV6_RELEASE, 5);
    rel.options.insert(sid());
    rel.options.insert(ia(D6O_IA_NA, 1, Some((addr, 128))));
    let rep = r.exchange(&rel).unwrap();
    let st = reply_ia(&rep, D6O_IA_NA).status().unwrap();
    assert_eq!(
        (st.code, st.message.as_str()),
        (0, "Lease released. Thank you, please come again.")
    );
    let top = kea_dhcp::ia::StatusCode::parse(rep.options.data(D6O_STATUS_CODE).unwrap()).unwrap();
    assert_eq!(top.message, "Summary status for all processed IA_NAs");
    assert!(
        s.lease_rows()
            .last()
            .unwrap()
            .starts_with("2001:db8:1::10,00:01:00:01:2a:2b:2c:2d:1a:1b:1c:1d:1e:1f,0,")
    );
    let rep = r.exchange(&rel).unwrap();
    let st = reply_ia(&rep, D6O_IA_NA).status().unwrap();
    assert_eq!(
        (st.code, st.message.as_str()),
        (
            3,
            "Sorry, no known leases for this duid/iaid, can't release."
        )
    );
    assert_eq!(s.stat("subnet[1].assigned-nas"), 0);
}

#[test]
fn exhaustion_reservations_and_foreign_server_ids() {
    let s = Server::start(BODY);
    let r = s.relay();
    // A query for another server is dropped.
    let mut other = query(DHCPV6_REQUEST, 1);
    other
        .options
        .insert(Opt::new(D6O_SERVERID, vec![0, 2, 0, 0, 0, 9, 9]));
    other.options.insert(ia(D6O_IA_NA, 1, None));
    assert!(r.exchange(&other).is_none());
    // The reserved DUID gets its address.
    let mut sol = kea_dhcp::Pkt6::new(DHCPV6_SOLICIT, 2);
    sol.options.insert(Opt::new(
        D6O_CLIENTID,
        vec![0, 3, 0, 1, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff],
    ));
    sol.options.insert(ia(D6O_IA_NA, 7, None));
    let adv = r.exchange(&sol).unwrap();
    assert_eq!(
        reply_ia(&adv, D6O_IA_NA).addresses().next().unwrap().addr,
        "2001:db8:1::abc".parse::<Ipv6Addr>().unwrap()
    );
    // Two addresses in the pool, taken by two IAs: the third gets NoAddrsAvail.
    let mut req = query(DHCPV6_REQUEST, 3);
    req.options
        .insert(Opt::new(D6O_SERVERID, SERVER_DUID.to_vec()));
    for iaid in 1..=3 {
        req.options.insert(ia(D6O_IA_NA, iaid, None));
    }
    let rep = r.exchange(&req).unwrap();
    let statuses: Vec<_> = rep
        .options
        .get_all(D6O_IA_NA)
        .map(|o| {
            kea_dhcp::ia::Ia::parse(o.code, &o.data)
                .unwrap()
                .status()
                .map(|s| s.code)
        })
        .collect();
    assert_eq!(statuses, vec![None, None, Some(STATUS_NO_ADDRS_AVAIL)]);
    assert_eq!(s.stat("v6-allocation-fail"), 1);
}

#[test]
fn rapid_commit_two_relay_hops_direct_queries_and_confirm_off_link() {
    let s = Server::start(
        r#"
        "preferred-lifetime": 3000, "valid-lifetime": 4000,
        "subnet6": [
          { "id": 1, "subnet": "2001:db8:1::/64", "rapid-commit": true,
            "pools": [ { "pool": "2001:db8:1::10 - 2001:db8:1::20" } ],
            "pd-pools": [ { "prefix": "2001:db8:8::", "prefix-len": 56, "delegated-len": 60 } ] },
          { "id": 2, "subnet": "2001:db8:2::/64", "interface": "lo",
            "pools": [ { "pool": "2001:db8:2::10 - 2001:db8:2::20" } ] } ]
        "#,
    );
    let r = s.relay();
    // Rapid commit: a REPLY straight away, with option 14, and the lease stored.
    let mut sol = query(DHCPV6_SOLICIT, 1);
    sol.options.insert(Opt::new(D6O_RAPID_COMMIT, Vec::new()));
    sol.options.insert(ia(D6O_IA_NA, 1, None));
    sol.options.insert(ia(D6O_IA_PD, 2, None));
    let rep = r.exchange(&sol).unwrap();
    assert_eq!(rep.msg_type, DHCPV6_REPLY);
    assert!(rep.options.contains(D6O_RAPID_COMMIT));
    let pd = reply_ia(&rep, D6O_IA_PD).prefixes().next().unwrap();
    assert_eq!(pd.prefix_len, 60);
    assert_eq!(s.lease_rows().len(), 2, "both leases stored");
    assert_eq!(s.stat("subnet[1].assigned-pds"), 1);

    // Two relay hops: the link-address of the relay closest to the client selects the subnet.
    let mut sol2 = query(DHCPV6_SOLICIT, 2);
    sol2.options.insert(ia(D6O_IA_NA, 3, None));
    let adv = r
        .exchange_via(
            &sol2,
            vec![layer("2001:db8:ffff::1", 1), layer("2001:db8:1::1", 0)],
        )
        .unwrap();
    let a = reply_ia(&adv, D6O_IA_NA).addresses().next().unwrap().addr;
    assert!(a.segments()[2] == 1, "{a}");

    // CONFIRM of an address on another link: NotOnLink.
    let mut confirm = query(DHCPV6_CONFIRM, 3);
    confirm.options.insert(ia(
        D6O_IA_NA,
        1,
        Some(("2001:db8:9::1".parse().unwrap(), 128)),
    ));
    let st = r.exchange(&confirm).unwrap();
    let status =
        kea_dhcp::ia::StatusCode::parse(st.options.data(D6O_STATUS_CODE).unwrap()).unwrap();
    assert_eq!(status.code, STATUS_NOT_ON_LINK);

    // A direct (not relayed) query on lo: the subnet with "interface": "lo" serves it, and
    // the answer goes to the client port (-P) of the source address.
    let mut sol3 = query(DHCPV6_SOLICIT, 4);
    sol3.options.insert(ia(D6O_IA_NA, 4, None));
    let adv = r.exchange_via(&sol3, Vec::new()).unwrap();
    let a = reply_ia(&adv, D6O_IA_NA).addresses().next().unwrap().addr;
    assert_eq!(a.segments()[2], 2, "{a}");
}

#[test]
fn expired_leases_are_reclaimed_and_declined_addresses_return() {
    let s = Server::start(
        r#"
        "preferred-lifetime": 1, "valid-lifetime": 1, "decline-probation-period": 1,
        "expired-leases-processing": { "reclaim-timer-wait-time": 0, "hold-reclaimed-time": 60 },
        "subnet6": [ { "id": 1, "subnet": "2001:db8:1::/64",
            "pools": [ { "pool": "2001:db8:1::10 - 2001:db8:1::20" } ] } ]
        "#,
    );
    let r = s.relay();
    let sid = || Opt::new(D6O_SERVERID, SERVER_DUID.to_vec());
    let mut req = query(DHCPV6_REQUEST, 1);
    req.options.insert(sid());
    req.options.insert(ia(D6O_IA_NA, 1, None));
    req.options.insert(ia(D6O_IA_NA, 2, None));
    let rep = r.exchange(&req).unwrap();
    let second = kea_dhcp::ia::Ia::parse(
        D6O_IA_NA,
        &rep.options.get_all(D6O_IA_NA).nth(1).unwrap().data,
    )
    .unwrap()
    .addresses()
    .next()
    .unwrap()
    .addr;
    let mut dec = query(DHCPV6_DECLINE, 2);
    dec.options.insert(sid());
    dec.options.insert(ia(D6O_IA_NA, 2, Some((second, 128))));
    let rep = r.exchange(&dec).unwrap();
    assert_eq!(reply_ia(&rep, D6O_IA_NA).status().unwrap().code, 0);
    assert_eq!(s.stat("declined-addresses"), 1);
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let a = s.command(
        serde_json::json!({ "command": "leases-reclaim", "arguments": { "remove": false } }),
    );
    assert_eq!(a["text"], "Reclamation of expired leases is complete.");
    assert_eq!(s.stat("reclaimed-leases"), 2);
    assert_eq!(s.stat("reclaimed-declined-addresses"), 1);
    assert_eq!(s.stat("declined-addresses"), 0);
    assert_eq!(s.stat("subnet[1].assigned-nas"), 0);
    let last = s.lease_rows();
    assert!(
        last.iter().any(|r| r.ends_with(",2,,1,2")),
        "one held as expired-reclaimed: {last:?}"
    );
}
