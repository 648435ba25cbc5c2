//! Kea 2.2's kea-dhcp4 feeding our D2: a relayed DISCOVER/REQUEST through Kea makes Kea send
//! an NCR, our D2 adds the records in BIND9; a RELEASE removes them. Runs when Kea 2.2 and
//! BIND9 are installed.

use std::net::UdpSocket;
use std::process::Command;
use std::time::Duration;

use tempfile::TempDir;

use crate::harness::{Proc, dig, free_port, have, stat, wait_for};
use crate::named::{SECRET, start_d2, start_named};

const MAC: [u8; 6] = [0, 0x0c, 9, 8, 7, 6];

fn packet(msg_type: u8, extra: &[u8], ciaddr: [u8; 4]) -> Vec<u8> {
    let mut p = vec![1u8, 1, 6, 1, 0, 0, 0x56, 0x78, 0, 0, 0, 0];
    p.extend_from_slice(&ciaddr);
    p.extend_from_slice(&[0; 8]);
    p.extend_from_slice(&[127, 0, 0, 2]); // giaddr: we are the relay
    p.extend_from_slice(&MAC);
    p.extend_from_slice(&[0; 10 + 64 + 128]);
    p.extend_from_slice(&[0x63, 0x82, 0x53, 0x63, 53, 1, msg_type]);
    p.extend_from_slice(extra);
    p.extend_from_slice(&[12, 6]);
    p.extend_from_slice(b"kea-rs");
    p.push(255);
    p
}

fn option(reply: &[u8], code: u8) -> Option<Vec<u8>> {
    let mut i = 240;
    while i + 1 < reply.len() && reply[i] != 255 {
        if reply[i] == 0 {
            i += 1;
            continue;
        }
        let len = usize::from(reply[i + 1]);
        if reply[i] == code {
            return reply.get(i + 2..i + 2 + len).map(<[u8]>::to_vec);
        }
        i += 2 + len;
    }
    None
}

#[test]
fn kea_dhcp4_feeds_our_d2() {
    if !have(&["/usr/sbin/named", "/usr/bin/dig", "/usr/sbin/kea-dhcp4"]) {
        return;
    }
    let dir = TempDir::new().unwrap();
    let named = start_named(dir.path());
    let d2 = start_d2(dir.path(), "d2", named.port, SECRET);
    let d = dir.path().display();
    let conf = format!(
        r#"{{ "Dhcp4": {{
  "interfaces-config": {{ "interfaces": [ "lo" ], "dhcp-socket-type": "udp" }},
  "lease-database": {{ "type": "memfile", "persist": false }},
  "dhcp-ddns": {{ "enable-updates": true, "server-ip": "127.0.0.1", "server-port": {} }},
  "ddns-qualifying-suffix": "example.org", "ddns-override-client-update": true,
  "valid-lifetime": 3600,
  "subnet4": [ {{ "id": 1, "subnet": "192.0.2.0/24", "relay": {{ "ip-addresses": [ "127.0.0.2" ] }},
                 "pools": [ {{ "pool": "192.0.2.100-192.0.2.110" }} ] }} ],
  "loggers": [ {{ "name": "kea-dhcp4", "severity": "DEBUG", "debuglevel": 50,
                 "output_options": [ {{ "output": "{d}/kea4.out" }} ] }} ] }} }}"#,
        d2.port
    );
    std::fs::write(dir.path().join("kea4.conf"), conf).unwrap();
    let server_port = free_port();
    let client = UdpSocket::bind("127.0.0.2:0").unwrap();
    client
        .set_read_timeout(Some(Duration::from_secs(3)))
        .unwrap();
    let client_port = client.local_addr().unwrap().port();
    let mut cmd = Command::new("/usr/sbin/kea-dhcp4");
    cmd.arg("-c")
        .arg(dir.path().join("kea4.conf"))
        .args([
            "-p",
            &server_port.to_string(),
            "-P",
            &client_port.to_string(),
        ])
        .env("KEA_PIDFILE_DIR", dir.path())
        .env("KEA_LOCKFILE_DIR", dir.path());
    let _kea = Proc::spawn("kea-dhcp4", &mut cmd, dir.path().join("kea4.log"));
    std::thread::sleep(Duration::from_millis(1500));

    let mut buf = [0u8; 1500];
    let offer = (0..5)
        .find_map(|_| {
            client
                .send_to(&packet(1, &[], [0; 4]), ("127.0.0.1", server_port))
                .unwrap();
            client.recv(&mut buf).ok().map(|n| buf[..n].to_vec())
        })
        .expect("an OFFER from kea-dhcp4");
    let yiaddr: [u8; 4] = offer[16..20].try_into().unwrap();
    let sid = option(&offer, 54).expect("server id");
    let mut extra = vec![50, 4];
    extra.extend_from_slice(&yiaddr);
    extra.extend_from_slice(&[54, 4]);
    extra.extend_from_slice(&sid);
    client
        .send_to(&packet(3, &extra, [0; 4]), ("127.0.0.1", server_port))
        .unwrap();
    let n = client.recv(&mut buf).expect("an ACK");
    assert_eq!(option(&buf[..n], 53), Some(vec![5]));
    let ip = std::net::Ipv4Addr::from(yiaddr).to_string();
    let rev = format!("{}.2.0.192.in-addr.arpa", yiaddr[3]);

    assert!(
        wait_for(10, || dig(named.port, "kea-rs.example.org", "A") == ip),
        "no A record from Kea's NCR:\n{}",
        d2.proc.output()
    );
    assert!(wait_for(5, || dig(named.port, &rev, "PTR") == "kea-rs.example.org."));
    assert_eq!(stat(&d2.socket, "ncr-received"), 1);
    assert_eq!(stat(&d2.socket, "ncr-invalid"), 0);

    let mut extra = vec![54, 4];
    extra.extend_from_slice(&sid);
    client
        .send_to(&packet(7, &extra, yiaddr), ("127.0.0.1", server_port))
        .unwrap();
    assert!(
        wait_for(10, || dig(named.port, "kea-rs.example.org", "A").is_empty()
            && dig(named.port, &rev, "PTR").is_empty()),
        "records not removed after RELEASE:\n{}",
        d2.proc.output()
    );
}
