//! DHCPv4 exchanges against the running server: DORA, renew, NAK rules, release, decline,
//! inform, reservations, shared networks, option precedence, malformed input.

use std::net::Ipv4Addr;

use kea_dhcp::MessageType::*;
use kea_dhcp::Pkt4;
use kea_dhcp::codes::*;

use crate::harness::*;

const SUBNET: &str = r#"
    "valid-lifetime": 3600,
    "option-data": [ { "name": "domain-name-servers", "data": "10.0.0.53" } ],
    "subnet4": [ { "id": 1, "subnet": "10.0.0.0/24",
        "pools": [ { "pool": "10.0.0.10 - 10.0.0.20" } ],
        "relay": { "ip-addresses": [ "127.0.0.2" ] },
        "option-data": [ { "name": "routers", "data": "10.0.0.1" } ] } ]
"#;

fn prl(p: Pkt4) -> Pkt4 {
    with(p, DHO_DHCP_PARAMETER_REQUEST_LIST, &[1, 3, 6, 15])
}

#[test]
fn dora_offers_and_acks_with_kea_layout_and_stores_the_lease() {
    let s = Server::start(SUBNET);
    let c = s.client();
    let offer = c.exchange(&prl(query(Discover, 1, 7))).unwrap();
    assert_eq!(offer.msg_type(), Some(Offer));
    assert_eq!(offer.xid, 7);
    assert_eq!(offer.yiaddr, Ipv4Addr::new(10, 0, 0, 10));
    // Kea 2.2's OFFER for this query: 53 first, then by code; mask always; no T1/T2.
    assert_eq!(codes(&offer), vec![53, 1, 3, 6, 51, 54]);
    assert_eq!(
        offer.options.data(DHO_DHCP_LEASE_TIME),
        Some(&3600u32.to_be_bytes()[..])
    );
    assert_eq!(
        addr_opt(&offer, DHO_SUBNET_MASK),
        Some(Ipv4Addr::new(255, 255, 255, 0))
    );
    assert_eq!(
        addr_opt(&offer, DHO_DHCP_SERVER_IDENTIFIER),
        Some(Ipv4Addr::LOCALHOST)
    );
    assert!(s.lease_rows().is_empty(), "an OFFER stores nothing");

    // Like Kea's iterative allocator, an OFFER moves the cursor on: the next DISCOVER of the
    // same client (no lease yet) gets the next address.
    let ack = dora(&c, 1);
    assert_eq!(ack.yiaddr, Ipv4Addr::new(10, 0, 0, 11));
    let rows = s.lease_rows();
    assert_eq!(rows.len(), 1);
    assert!(
        rows[0].starts_with("10.0.0.11,1a:1b:1c:1d:1e:01,,3600,"),
        "{rows:?}"
    );
    assert!(rows[0].ends_with(",1,0,0,,0,"), "{rows:?}");
    assert_eq!(s.stat("subnet[1].assigned-addresses"), 1);
    assert_eq!(s.stat("pkt4-ack-sent"), 1);
    assert_eq!(s.stat("pkt4-offer-sent"), 2);
    assert_eq!(s.stat("pkt4-discover-received"), 2);
    assert_eq!(s.stat("subnet[1].total-addresses"), 11);
}

#[test]
fn renewing_keeps_the_address_and_a_wrong_init_reboot_gets_a_nak() {
    let s = Server::start(SUBNET);
    let c = s.client();
    let ack = dora(&c, 2);
    let mut renew = query(Request, 2, 9);
    renew.ciaddr = ack.yiaddr;
    let again = c.exchange(&renew).unwrap();
    assert_eq!(again.msg_type(), Some(Ack));
    assert_eq!(again.yiaddr, ack.yiaddr);
    assert_eq!(again.ciaddr, ack.yiaddr);
    assert_eq!(s.lease_rows().len(), 2, "the renewal is written");

    // INIT-REBOOT for an address the client does not have: NAK with only 53 and 54.
    let nak = c
        .exchange(&with(
            query(Request, 2, 10),
            DHO_DHCP_REQUESTED_ADDRESS,
            &[10, 0, 0, 99],
        ))
        .unwrap();
    assert_eq!(nak.msg_type(), Some(Nak));
    assert_eq!(codes(&nak), vec![53, 54]);
    assert_eq!(nak.yiaddr, Ipv4Addr::UNSPECIFIED);
    assert_eq!(s.stat("pkt4-nak-sent"), 1);

    // An unknown client in INIT-REBOOT: silence, as the server is not authoritative.
    let none = c.exchange(&with(
        query(Request, 3, 11),
        DHO_DHCP_REQUESTED_ADDRESS,
        &[10, 0, 0, 15],
    ));
    assert!(none.is_none(), "{none:?}");
}

#[test]
fn authoritative_server_naks_unknown_init_reboot() {
    let s = Server::start(&format!(r#""authoritative": true, {SUBNET}"#));
    let c = s.client();
    let nak = c
        .exchange(&with(
            query(Request, 4, 12),
            DHO_DHCP_REQUESTED_ADDRESS,
            &[10, 0, 0, 15],
        ))
        .unwrap();
    assert_eq!(nak.msg_type(), Some(Nak));
}

#[test]
fn release_removes_the_lease_and_decline_quarantines_it() {
    let s = Server::start(SUBNET);
    let c = s.client();
    let sid = Ipv4Addr::LOCALHOST.octets();
    let ack = dora(&c, 5);
    let mut rel = with(query(Release, 5, 13), DHO_DHCP_SERVER_IDENTIFIER, &sid);
    rel.ciaddr = ack.yiaddr;
    c.send_raw(&rel.encode());
    assert!(c.recv().is_none(), "RELEASE is not answered");
    let rows = s.lease_rows();
    assert!(
        rows.last()
            .unwrap()
            .starts_with(&format!("{},1a:1b:1c:1d:1e:05,,0,", ack.yiaddr)),
        "{rows:?}"
    );
    assert_eq!(s.stat("subnet[1].assigned-addresses"), 0);
    assert_eq!(s.stat("pkt4-release-received"), 1);

    let ack = dora(&c, 6);
    let dec = with(
        with(query(Decline, 6, 14), DHO_DHCP_SERVER_IDENTIFIER, &sid),
        DHO_DHCP_REQUESTED_ADDRESS,
        &ack.yiaddr.octets(),
    );
    c.send_raw(&dec.encode());
    assert!(c.recv().is_none(), "DECLINE is not answered");
    let last = s.lease_rows().pop().unwrap();
    assert!(
        last.starts_with(&format!("{},,,86400,", ack.yiaddr)),
        "{last}"
    );
    assert!(last.ends_with(",1,"), "declined state: {last}");
    assert_eq!(s.stat("declined-addresses"), 1);
    // The declined address is not offered again.
    let offer = c.exchange(&query(Discover, 7, 15)).unwrap();
    assert_ne!(offer.yiaddr, ack.yiaddr);
}

#[test]
fn inform_gets_options_but_no_lease() {
    let s = Server::start(SUBNET);
    let c = s.client();
    let mut inf = prl(query(Inform, 8, 16));
    inf.ciaddr = Ipv4Addr::new(10, 0, 0, 77);
    let ack = c.exchange(&inf).unwrap();
    assert_eq!(ack.msg_type(), Some(Ack));
    assert_eq!(ack.yiaddr, Ipv4Addr::UNSPECIFIED);
    assert_eq!(codes(&ack), vec![53, 1, 3, 6, 54]);
    assert!(s.lease_rows().is_empty());
}

#[test]
fn reservations_give_address_hostname_fixed_fields_and_options() {
    let s = Server::start(
        r#"
        "next-server": "10.0.0.250",
        "subnet4": [ { "id": 1, "subnet": "10.0.0.0/24",
            "pools": [ { "pool": "10.0.0.10 - 10.0.0.20" } ],
            "relay": { "ip-addresses": [ "127.0.0.2" ] },
            "option-data": [ { "name": "domain-name-servers", "data": "10.0.0.53" } ],
            "reservations": [ {
                "hw-address": "1a:1b:1c:1d:1e:09", "ip-address": "10.0.0.200",
                "hostname": "Printer", "boot-file-name": "boot.efi",
                "option-data": [ { "name": "domain-name-servers", "data": "10.9.9.9" } ] } ] } ]
        "#,
    );
    let c = s.client();
    let offer = c.exchange(&prl(query(Discover, 9, 17))).unwrap();
    assert_eq!(offer.yiaddr, Ipv4Addr::new(10, 0, 0, 200));
    assert_eq!(
        addr_opt(&offer, DHO_DOMAIN_NAME_SERVERS),
        Some(Ipv4Addr::new(10, 9, 9, 9))
    );
    assert_eq!(offer.siaddr, Ipv4Addr::new(10, 0, 0, 250));
    assert_eq!(offer.file_text(), "boot.efi");
    assert_eq!(offer.options.data(DHO_HOST_NAME), Some(&b"printer"[..]));
    let ack = dora(&c, 9);
    assert_eq!(ack.yiaddr, Ipv4Addr::new(10, 0, 0, 200));
    assert!(
        s.lease_rows()[0].contains(",printer,"),
        "{:?}",
        s.lease_rows()
    );
    // Another client never gets the reserved address.
    let other = c.exchange(&query(Discover, 10, 18)).unwrap();
    assert_ne!(other.yiaddr, Ipv4Addr::new(10, 0, 0, 200));
}

#[test]
fn shared_network_moves_to_the_next_subnet_when_one_is_full() {
    let s = Server::start(
        r#"
        "shared-networks": [ { "name": "net", "relay": { "ip-addresses": [ "127.0.0.2" ] },
            "option-data": [ { "name": "domain-name", "data": "net.example" } ],
            "subnet4": [
              { "id": 1, "subnet": "10.1.0.0/24", "pools": [ { "pool": "10.1.0.5 - 10.1.0.5" } ] },
              { "id": 2, "subnet": "10.2.0.0/24", "pools": [ { "pool": "10.2.0.5 - 10.2.0.6" } ],
                "option-data": [ { "name": "routers", "data": "10.2.0.1" } ] } ] } ]
        "#,
    );
    let c = s.client();
    assert_eq!(dora(&c, 11).yiaddr, Ipv4Addr::new(10, 1, 0, 5));
    let second = dora(&c, 12);
    assert_eq!(second.yiaddr, Ipv4Addr::new(10, 2, 0, 5));
    assert_eq!(
        addr_opt(&second, DHO_SUBNET_MASK),
        Some(Ipv4Addr::new(255, 255, 255, 0))
    );
    let asked = c.exchange(&prl(query(Discover, 12, 19))).unwrap();
    assert_eq!(
        asked.options.data(DHO_DOMAIN_NAME),
        Some(&b"net.example"[..])
    );
    assert_eq!(
        addr_opt(&asked, DHO_ROUTERS),
        Some(Ipv4Addr::new(10, 2, 0, 1))
    );
    assert_eq!(s.stat("subnet[2].assigned-addresses"), 1);
    // Pools exhausted everywhere: no OFFER, counted as a shared-network failure.
    let _ = dora(&c, 13);
    assert!(c.exchange(&query(Discover, 14, 20)).is_none());
    assert_eq!(s.stat("v4-allocation-fail-shared-network"), 1);
}

#[test]
fn option_precedence_pool_over_subnet_over_global_and_send_flags() {
    let s = Server::start(
        r#"
        "option-data": [
            { "name": "domain-name", "data": "global.example" },
            { "name": "ntp-servers", "data": "10.0.0.123", "always-send": true },
            { "name": "time-offset", "data": "100" } ],
        "subnet4": [ { "id": 1, "subnet": "10.0.0.0/24",
            "relay": { "ip-addresses": [ "127.0.0.2" ] },
            "option-data": [ { "name": "domain-name", "data": "subnet.example" },
                             { "name": "time-offset", "data": "200", "never-send": true } ],
            "pools": [ { "pool": "10.0.0.10 - 10.0.0.20",
                         "option-data": [ { "name": "domain-name", "data": "pool.example" } ] } ] } ]
        "#,
    );
    let c = s.client();
    let offer = c
        .exchange(&with(
            query(Discover, 15, 21),
            DHO_DHCP_PARAMETER_REQUEST_LIST,
            &[2, 15],
        ))
        .unwrap();
    assert_eq!(
        offer.options.data(DHO_DOMAIN_NAME),
        Some(&b"pool.example"[..])
    );
    assert_eq!(
        addr_opt(&offer, 42),
        Some(Ipv4Addr::new(10, 0, 0, 123)),
        "always-send"
    );
    assert!(
        !offer.options.contains(2),
        "never-send wins over the request"
    );
}

#[test]
fn calculated_tee_times_and_client_id_echo() {
    let s = Server::start(&format!(r#""calculate-tee-times": true, {SUBNET}"#));
    let c = s.client();
    let q = with(
        query(Discover, 16, 22),
        DHO_DHCP_CLIENT_IDENTIFIER,
        &[1, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 16],
    );
    let offer = c.exchange(&q).unwrap();
    assert_eq!(
        offer.options.data(DHO_DHCP_RENEWAL_TIME),
        Some(&1800u32.to_be_bytes()[..])
    );
    assert_eq!(
        offer.options.data(DHO_DHCP_REBINDING_TIME),
        Some(&3150u32.to_be_bytes()[..])
    );
    assert_eq!(
        offer.options.data(DHO_DHCP_CLIENT_IDENTIFIER),
        Some(&[1, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 16][..])
    );
}

#[test]
fn server_id_of_another_server_is_ignored_and_garbage_never_stops_the_daemon() {
    let mut s = Server::start(SUBNET);
    let c = s.client();
    let other = with(
        with(
            query(Request, 17, 23),
            DHO_DHCP_REQUESTED_ADDRESS,
            &[10, 0, 0, 10],
        ),
        DHO_DHCP_SERVER_IDENTIFIER,
        &[192, 0, 2, 1],
    );
    assert!(
        c.exchange(&other).is_none(),
        "a REQUEST for another server is dropped"
    );
    for junk in [
        &b""[..],
        &[0u8; 10][..],
        &[1u8; 300][..],
        &dora_prefix()[..],
    ] {
        c.send_raw(junk);
    }
    // Option 1 with no length where END was: Kea 2.2 keeps the options before it and answers.
    let mut cut = query(Discover, 18, 24).encode();
    let n = cut.len();
    cut[n - 1] = DHO_SUBNET_MASK as u8;
    c.send_raw(&cut);
    assert_eq!(c.recv().unwrap().msg_type(), Some(Offer));
    // A bad subnet mask option is a malformed packet: dropped.
    let short_mask = with(query(Discover, 18, 24), DHO_SUBNET_MASK, &[255, 255]);
    assert!(c.exchange(&short_mask).is_none());
    assert!(s.alive());
    assert_eq!(s.stat("pkt4-parse-failed"), 4);
    assert_eq!(dora(&c, 19).msg_type(), Some(Ack));
}

/// The first 240 octets of a DISCOVER: a header with the magic cookie and no options.
fn dora_prefix() -> Vec<u8> {
    let mut b = query(Discover, 20, 25).encode();
    b.truncate(240);
    b
}

#[test]
fn a_lease_file_survives_a_restart() {
    let s = Server::start(SUBNET);
    let c = s.client();
    let first = dora(&c, 21).yiaddr;
    let dir = s.dir.path().to_path_buf();
    let config = read(&s.path("kea-dhcp4.conf"));
    drop(c);
    let mut s = s;
    if let Some(mut ch) = s.child.take() {
        let _ = nix_kill(ch.id());
        let _ = ch.wait();
    }
    let moved = tempfile::tempdir().unwrap();
    // Start a new server on the same lease file.
    let lease_file = dir.join("leases4.csv");
    let config = config.replace(
        &dir.display().to_string(),
        &moved.path().display().to_string(),
    );
    std::fs::copy(&lease_file, moved.path().join("leases4.csv")).unwrap();
    let s2 = Server::start_raw(moved, &config);
    assert_eq!(s2.stat("subnet[1].assigned-addresses"), 1);
    let c2 = s2.client();
    // The same client gets its lease back; another does not get that address.
    assert_eq!(c2.exchange(&query(Discover, 21, 26)).unwrap().yiaddr, first);
    assert_ne!(c2.exchange(&query(Discover, 22, 27)).unwrap().yiaddr, first);
}

fn nix_kill(pid: u32) -> std::io::Result<()> {
    std::process::Command::new("kill")
        .arg(pid.to_string())
        .status()
        .map(|_| ())
}

#[test]
fn basic_options_go_out_unasked_and_host_names_are_sanitized_as_kea_does() {
    let s = Server::start(SUBNET);
    let c = s.client();
    // No parameter request list: Kea still sends routers, name servers and domain name.
    let q = with(query(Discover, 23, 28), DHO_HOST_NAME, b"My_Host.");
    let offer = c.exchange(&q).unwrap();
    assert_eq!(codes(&offer), vec![53, 1, 3, 6, 12, 51, 54]);
    assert_eq!(offer.options.data(DHO_HOST_NAME), Some(&b"myhost"[..]));
    let req = with(
        with(
            with(query(Request, 23, 29), DHO_HOST_NAME, b"My_Host."),
            DHO_DHCP_REQUESTED_ADDRESS,
            &offer.yiaddr.octets(),
        ),
        DHO_DHCP_SERVER_IDENTIFIER,
        &[127, 0, 0, 1],
    );
    assert_eq!(c.exchange(&req).unwrap().msg_type(), Some(Ack));
    assert!(
        s.lease_rows()[0].contains(",myhost,0,"),
        "{:?}",
        s.lease_rows()
    );
}

#[test]
fn link_selection_and_subnet_selection_choose_the_subnet() {
    let s = Server::start(
        r#"
        "subnet4": [
          { "id": 1, "subnet": "10.1.0.0/24", "pools": [ { "pool": "10.1.0.10 - 10.1.0.20" } ] },
          { "id": 2, "subnet": "127.0.0.0/8", "pools": [ { "pool": "127.0.1.10 - 127.0.1.20" } ] } ]
        "#,
    );
    let c = s.client();
    // Relayed from 127.0.0.2: giaddr alone selects 127.0.0.0/8.
    assert_eq!(
        c.exchange(&query(Discover, 24, 30)).unwrap().yiaddr,
        Ipv4Addr::new(127, 0, 1, 10)
    );
    // RFC 3527 link-selection in option 82 names 10.1.0.0/24.
    let rai = with(
        query(Discover, 25, 31),
        DHO_DHCP_AGENT_OPTIONS,
        &[5, 4, 10, 1, 0, 1],
    );
    let offer = c.exchange(&rai).unwrap();
    assert_eq!(offer.yiaddr, Ipv4Addr::new(10, 1, 0, 10));
    assert_eq!(
        offer.options.data(DHO_DHCP_AGENT_OPTIONS),
        Some(&[5, 4, 10, 1, 0, 1][..]),
        "RAI echoed"
    );
    // RFC 3011 subnet-selection does the same.
    let sel = with(
        query(Discover, 26, 32),
        DHO_SUBNET_SELECTION,
        &[10, 1, 0, 1],
    );
    assert_eq!(
        c.exchange(&sel).unwrap().yiaddr,
        Ipv4Addr::new(10, 1, 0, 11)
    );
}

#[test]
fn reservations_by_client_id_circuit_id_and_global() {
    let s = Server::start(
        r#"
        "reservations-global": true,
        "reservations": [ { "hw-address": "1a:1b:1c:1d:1e:1b", "hostname": "global-host" } ],
        "subnet4": [ { "id": 1, "subnet": "10.0.0.0/24",
            "pools": [ { "pool": "10.0.0.10 - 10.0.0.20" } ],
            "relay": { "ip-addresses": [ "127.0.0.2" ] },
            "reservations": [
              { "client-id": "01:aa:bb:cc:dd:ee:ff", "ip-address": "10.0.0.201" },
              { "circuit-id": "'port7'", "ip-address": "10.0.0.202" } ] } ]
        "#,
    );
    let c = s.client();
    let by_cid = with(
        query(Discover, 27, 33),
        DHO_DHCP_CLIENT_IDENTIFIER,
        &[1, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff],
    );
    assert_eq!(
        c.exchange(&by_cid).unwrap().yiaddr,
        Ipv4Addr::new(10, 0, 0, 201)
    );
    let by_circuit = with(
        query(Discover, 28, 34),
        DHO_DHCP_AGENT_OPTIONS,
        &[1, 5, b'p', b'o', b'r', b't', b'7'],
    );
    assert_eq!(
        c.exchange(&by_circuit).unwrap().yiaddr,
        Ipv4Addr::new(10, 0, 0, 202)
    );
    let global = c.exchange(&query(Discover, 0x1b, 35)).unwrap();
    assert_eq!(
        global.options.data(DHO_HOST_NAME),
        Some(&b"global-host"[..])
    );
}

#[test]
fn lease_caching_answers_from_the_cache_without_writing() {
    let s = Server::start(&format!(r#""cache-threshold": 0.5, {SUBNET}"#));
    let c = s.client();
    let ack = dora(&c, 29);
    let rows = s.lease_rows().len();
    let mut renew = query(Request, 29, 36);
    renew.ciaddr = ack.yiaddr;
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let again = c.exchange(&renew).unwrap();
    assert_eq!(again.msg_type(), Some(Ack));
    assert_eq!(
        s.lease_rows().len(),
        rows,
        "a cached lease is not written again"
    );
    // The lease time left is what the client hears.
    let lt = u32::from_be_bytes(
        again
            .options
            .data(DHO_DHCP_LEASE_TIME)
            .unwrap()
            .try_into()
            .unwrap(),
    );
    assert!((3590..3600).contains(&lt), "{lt}");
}
