//! DDNS (issue 8): the running server's option 81 / 12 answers and the NCRs it sends, with a
//! UDP socket standing in for D2. Expected bytes and DHCIDs are Kea 2.2's on the same packets.

use std::net::{Ipv4Addr, UdpSocket};
use std::time::Duration;

use kea_dhcp::MessageType::*;
use kea_dhcp::Pkt4;
use kea_dhcp::codes::*;
use kea_ncr::{ChangeType, NameChangeRequest, decode_datagram};
use serde_json::json;

use crate::harness::*;

/// A socket standing in for kea-dhcp-ddns.
struct FakeD2 {
    sock: UdpSocket,
}

impl FakeD2 {
    fn new() -> Self {
        let sock = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        sock.set_read_timeout(Some(Duration::from_millis(400)))
            .unwrap();
        Self { sock }
    }

    fn port(&self) -> u16 {
        self.sock.local_addr().unwrap().port()
    }

    /// The raw datagrams received until a quiet period.
    fn datagrams(&self) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        let mut buf = [0u8; 65536];
        while let Ok((n, _)) = self.sock.recv_from(&mut buf) {
            out.push(buf[..n].to_vec());
        }
        out
    }

    fn ncrs(&self) -> Vec<NameChangeRequest> {
        self.datagrams()
            .iter()
            .map(|d| decode_datagram(d).unwrap())
            .collect()
    }
}

fn config(d2: &FakeD2, extra: &str) -> String {
    format!(
        r#"
    "valid-lifetime": 3600,
    "dhcp-ddns": {{ "enable-updates": true, "server-ip": "127.0.0.1", "server-port": {} }},
    "ddns-qualifying-suffix": "example.com",
    {extra}
    "subnet4": [ {{ "id": 1, "subnet": "10.0.0.0/24",
        "pools": [ {{ "pool": "10.0.0.10 - 10.0.0.20" }} ],
        "relay": {{ "ip-addresses": [ "127.0.0.2" ] }} }} ]
"#,
        d2.port()
    )
}

/// Option 81 data: flags, RCODEs, then `name` in wire form.
fn fqdn(flags: u8, name: &str) -> Vec<u8> {
    let mut d = vec![flags, 0, 0];
    for l in name.split('.').filter(|l| !l.is_empty()) {
        d.push(l.len() as u8);
        d.extend_from_slice(l.as_bytes());
    }
    if name.ends_with('.') {
        d.push(0);
    }
    d
}

/// DISCOVER then REQUEST for `mac` with `opts` in both; returns the ACK.
fn dora_with(c: &Client, mac: u8, opts: &[(u16, Vec<u8>)]) -> Pkt4 {
    let add = |mut p: Pkt4| {
        for (code, data) in opts {
            p = with(p, *code, data);
        }
        p
    };
    let offer = c.exchange(&add(query(Discover, mac, 0x100 + u32::from(mac))));
    let offer = offer.expect("an OFFER");
    let req = with(
        with(
            add(query(Request, mac, 0x200 + u32::from(mac))),
            DHO_DHCP_REQUESTED_ADDRESS,
            &offer.yiaddr.octets(),
        ),
        DHO_DHCP_SERVER_IDENTIFIER,
        &[127, 0, 0, 1],
    );
    let ack = c.exchange(&req).expect("an ACK");
    assert_eq!(ack.msg_type(), Some(Ack));
    ack
}

/// A REQUEST in RENEWING state (ciaddr set, unicast as a relay would forward it).
fn renew(c: &Client, mac: u8, addr: Ipv4Addr, opts: &[(u16, Vec<u8>)]) -> Pkt4 {
    let mut p = query(Request, mac, 0x300 + u32::from(mac));
    p.ciaddr = addr;
    for (code, data) in opts {
        p = with(p, *code, data);
    }
    let ack = c.exchange(&p).expect("an ACK");
    assert_eq!(ack.msg_type(), Some(Ack));
    ack
}

const HOST1_DHCID: &str = "000001C552643B1DA8D49AD882288EF0443507A105673639BE24F5C555F691FF1CA562";

#[test]
fn grant_renew_rename_and_release_send_kea_s_ncrs() {
    let d2 = FakeD2::new();
    let mut s = Server::start(&config(&d2, ""));
    s.wait_for_log("DDNS: enabled");
    let c = s.client();
    let opt = [(DHO_FQDN, fqdn(0x05, "Host1"))];
    let ack = dora_with(&c, 1, &opt);
    // Kea 2.2: S kept, E echoed, partial name qualified and lower-cased.
    assert_eq!(
        ack.options.data(DHO_FQDN),
        Some(&fqdn(0x05, "host1.example.com.")[..])
    );
    let addr = ack.yiaddr;
    let grams = d2.datagrams();
    assert_eq!(
        grams.len(),
        1,
        "one NCR for the new lease (none for the OFFER)"
    );
    let text = String::from_utf8(grams[0][2..].to_vec()).unwrap();
    let n = decode_datagram(&grams[0]).unwrap();
    // Kea 2.2's JSON, member for member.
    let expected = format!(
        "{{\"change-type\":0,\"forward-change\":true,\"reverse-change\":true,\"fqdn\":\"host1.example.com.\",\"ip-address\":\"{addr}\",\"dhcid\":\"{HOST1_DHCID}\",\"lease-expires-on\":\"{}\",\"lease-length\":1200,\"use-conflict-resolution\":true}}",
        kea_ncr::ncr::format_timestamp(n.lease_expires_on)
    );
    assert_eq!(text, expected);
    let rows = s.lease_rows();
    assert!(
        rows[0].contains(",1,1,host1.example.com.,0,"),
        "the lease keeps the name and both directions: {rows:?}"
    );

    // Renewal with the same name: nothing to change in DNS.
    renew(&c, 1, addr, &opt);
    assert!(d2.ncrs().is_empty());

    // Renewal with a new name: the old entries go, the new ones come.
    renew(&c, 1, addr, &[(DHO_FQDN, fqdn(0x05, "renamed"))]);
    let n = d2.ncrs();
    assert_eq!(n.len(), 2, "{n:?}");
    assert_eq!(
        (n[0].change_type, n[0].fqdn.as_str()),
        (ChangeType::Remove, "host1.example.com.")
    );
    assert_eq!(n[0].dhcid.to_hex(), HOST1_DHCID);
    assert_eq!(
        (n[1].change_type, n[1].fqdn.as_str()),
        (ChangeType::Add, "renamed.example.com.")
    );

    // Release removes them.
    let mut rel = with(
        query(Release, 1, 0x400),
        DHO_DHCP_SERVER_IDENTIFIER,
        &[127, 0, 0, 1],
    );
    rel.ciaddr = addr;
    c.send_raw(&rel.encode());
    let n = d2.ncrs();
    assert_eq!(n.len(), 1, "{n:?}");
    assert_eq!(n[0].change_type, ChangeType::Remove);
    assert_eq!(n[0].fqdn, "renamed.example.com.");
    assert_eq!(n[0].ip_address, std::net::IpAddr::V4(addr));
}

#[test]
fn update_on_renew_resends_the_same_name() {
    let d2 = FakeD2::new();
    let s = Server::start(&config(&d2, r#""ddns-update-on-renew": true,"#));
    let c = s.client();
    let opt = [(DHO_HOST_NAME, b"h5".to_vec())];
    let ack = dora_with(&c, 5, &opt);
    // Kea 2.2: a single label is qualified, without the trailing dot, in option 12.
    assert_eq!(
        ack.options.data(DHO_HOST_NAME),
        Some(&b"h5.example.com"[..])
    );
    assert!(!ack.options.contains(DHO_FQDN));
    let n = d2.ncrs();
    assert_eq!(n.len(), 1);
    assert_eq!(n[0].fqdn, "h5.example.com.");
    assert!(n[0].forward_change && n[0].reverse_change);
    renew(&c, 5, ack.yiaddr, &opt);
    let n = d2.ncrs();
    let kinds: Vec<_> = n.iter().map(|n| n.change_type).collect();
    assert_eq!(kinds, vec![ChangeType::Remove, ChangeType::Add]);
    assert!(n.iter().all(|n| n.fqdn == "h5.example.com."));
}

#[test]
fn expired_leases_are_removed_from_dns_when_reclaimed() {
    let d2 = FakeD2::new();
    // The client asks for a 2 s lease, which min-valid-lifetime allows.
    let s = Server::start(&config(
        &d2,
        r#""expired-leases-processing": { "reclaim-timer-wait-time": 0, "flush-reclaimed-timer-wait-time": 0 },
           "ddns-replace-client-name": "always", "ddns-generated-prefix": "gen",
           "ddns-ttl-percent": 0.5, "ddns-use-conflict-resolution": false,
           "min-valid-lifetime": 2, "max-valid-lifetime": 3600,"#,
    ));
    let c = s.client();
    let lt = [(DHO_DHCP_LEASE_TIME, 2u32.to_be_bytes().to_vec())];
    let ack = dora_with(&c, 7, &lt);
    // No name option from the client, but "always" generates one, sent in option 12.
    let name = format!(
        "gen-{}.example.com",
        ack.yiaddr.to_string().replace('.', "-")
    );
    assert_eq!(ack.options.data(DHO_HOST_NAME), Some(name.as_bytes()));
    let n = d2.ncrs();
    assert_eq!(n.len(), 1);
    assert_eq!(n[0].lease_length, 1, "ddns-ttl-percent of a 2 s lease");
    assert!(!n[0].conflict_resolution_mode.use_conflict_resolution());
    std::thread::sleep(Duration::from_millis(2500));
    let a = s.command(json!({ "command": "leases-reclaim", "arguments": { "remove": true } }));
    assert_eq!(a["result"], 0, "{a}");
    let n = d2.ncrs();
    assert_eq!(n.len(), 1, "{n:?}");
    assert_eq!(n[0].change_type, ChangeType::Remove);
    assert_eq!(n[0].fqdn, format!("{name}."));
}

#[test]
fn send_updates_off_answers_n_and_sends_nothing() {
    let d2 = FakeD2::new();
    let s = Server::start(&config(&d2, r#""ddns-send-updates": false,"#));
    let c = s.client();
    let ack = dora_with(&c, 9, &[(DHO_FQDN, fqdn(0x05, "quiet"))]);
    // Kea 2.2: N set, S cleared and O set because the client's S was overridden.
    assert_eq!(
        ack.options.data(DHO_FQDN),
        Some(&fqdn(0x0e, "quiet.example.com.")[..])
    );
    assert!(d2.ncrs().is_empty());
    let rows = s.lease_rows();
    assert!(rows[0].contains(",0,0,quiet.example.com.,0,"), "{rows:?}");
}

#[test]
fn client_fqdn_with_n_and_s_is_dropped() {
    let d2 = FakeD2::new();
    let s = Server::start(&config(&d2, ""));
    let c = s.client();
    let q = with(query(Discover, 11, 0x111), DHO_FQDN, &fqdn(0x09, "bad."));
    assert!(c.exchange(&q).is_none());
    assert!(d2.ncrs().is_empty());
}
