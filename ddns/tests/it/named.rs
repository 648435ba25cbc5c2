//! Our D2 against a private BIND9 `named` on loopback (its own port, zones and journals in a
//! temporary directory, updates allowed only with a TSIG key): records appear and disappear,
//! and a wrong key changes nothing and is counted.

use std::net::UdpSocket;
use std::path::Path;
use std::process::Command;

use kea_ncr::{ChangeType, ConflictResolutionMode, Dhcid, NameChangeRequest, encode_datagram};
use tempfile::TempDir;

use crate::harness::{Proc, dig, free_port, have, stat, wait_for};

pub const SECRET: &str = "LSWXnfkKZjdPJI5QxlpnfQ==";
const WRONG: &str = "AAAAAAAAAAAAAAAAAAAAAA==";

pub struct Named {
    pub port: u16,
    _proc: Proc,
}

pub fn start_named(dir: &Path) -> Named {
    let port = free_port();
    let d = dir.display();
    let soa = "$TTL 300\n@ IN SOA ns.example.org. admin.example.org. 1 3600 600 86400 300\n@ IN NS ns.example.org.\n";
    std::fs::write(
        dir.join("example.org.db"),
        format!("{soa}ns IN A 127.0.0.1\n"),
    )
    .unwrap();
    std::fs::write(dir.join("rev.db"), soa).unwrap();
    let conf = format!(
        r#"options {{ directory "{d}"; listen-on port {port} {{ 127.0.0.1; }}; listen-on-v6 {{ none; }};
   pid-file "{d}/named.pid"; session-keyfile "{d}/session.key"; recursion no; dnssec-validation no; }};
controls {{ }};
key "d2-key" {{ algorithm hmac-sha256; secret "{SECRET}"; }};
zone "example.org" {{ type primary; file "{d}/example.org.db"; allow-update {{ key "d2-key"; }}; }};
zone "2.0.192.in-addr.arpa" {{ type primary; file "{d}/rev.db"; allow-update {{ key "d2-key"; }}; }};
"#
    );
    std::fs::write(dir.join("named.conf"), conf).unwrap();
    let mut cmd = Command::new("/usr/sbin/named");
    cmd.args(["-g", "-c"]).arg(dir.join("named.conf"));
    if nix_is_root() {
        cmd.args(["-u", "root"]);
    }
    let p = Proc::spawn("named", &mut cmd, dir.join("named.log"));
    assert!(
        wait_for(15, || !dig(port, "example.org", "SOA").is_empty()
            && !dig(port, "2.0.192.in-addr.arpa", "SOA").is_empty()),
        "named did not start:\n{}",
        p.output()
    );
    Named { port, _proc: p }
}

fn nix_is_root() -> bool {
    std::env::var("USER").as_deref() == Ok("root")
        || Command::new("id")
            .arg("-u")
            .output()
            .map(|o| o.stdout.starts_with(b"0"))
            .unwrap_or(false)
}

pub struct D2 {
    pub port: u16,
    pub socket: std::path::PathBuf,
    pub proc: Proc,
}

pub fn start_d2(dir: &Path, tag: &str, dns_port: u16, secret: &str) -> D2 {
    let port = free_port();
    let socket = dir.join(format!("{tag}.sock"));
    let conf = format!(
        r#"{{ "DhcpDdns": {{ "ip-address": "127.0.0.1", "port": {port}, "dns-server-timeout": 500,
  "control-socket": {{ "socket-type": "unix", "socket-name": "{}" }},
  "tsig-keys": [ {{ "name": "d2-key", "algorithm": "HMAC-SHA256", "secret": "{secret}" }} ],
  "forward-ddns": {{ "ddns-domains": [ {{ "name": "example.org.", "key-name": "d2-key",
      "dns-servers": [ {{ "ip-address": "127.0.0.1", "port": {dns_port} }} ] }} ] }},
  "reverse-ddns": {{ "ddns-domains": [ {{ "name": "2.0.192.in-addr.arpa.", "key-name": "d2-key",
      "dns-servers": [ {{ "ip-address": "127.0.0.1", "port": {dns_port} }} ] }} ] }},
  "loggers": [ {{ "name": "kea-dhcp-ddns", "severity": "DEBUG", "debuglevel": 99,
      "output_options": [ {{ "output": "stdout" }} ] }} ] }} }}"#,
        socket.display()
    );
    let path = dir.join(format!("{tag}.conf"));
    std::fs::write(&path, conf).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kea-dhcp-ddns"));
    cmd.arg("-c").arg(&path).env("KEA_PIDFILE_DIR", dir);
    let proc = Proc::spawn("d2", &mut cmd, dir.join(format!("{tag}.log")));
    assert!(
        wait_for(10, || socket.exists()),
        "D2 did not start:\n{}",
        proc.output()
    );
    D2 { port, socket, proc }
}

fn ncr(change: ChangeType, host: &str, ip: &str, mac: u8) -> NameChangeRequest {
    let fqdn = format!("{host}.example.org.");
    NameChangeRequest {
        change_type: change,
        forward_change: true,
        reverse_change: true,
        dhcid: Dhcid::from_hwaddr(1, &[0, 0x0c, 1, 2, 3, mac], &fqdn).unwrap(),
        fqdn,
        ip_address: ip.parse().unwrap(),
        lease_expires_on: 1_900_000_000,
        lease_length: 1200,
        conflict_resolution_mode: ConflictResolutionMode::CheckWithDhcid,
    }
}

fn send(d2: &D2, ncr: &NameChangeRequest) {
    let s = UdpSocket::bind("127.0.0.1:0").unwrap();
    s.send_to(&encode_datagram(ncr), ("127.0.0.1", d2.port))
        .unwrap();
}

#[test]
fn updates_against_bind9() {
    if !have(&["/usr/sbin/named", "/usr/bin/dig"]) {
        return;
    }
    let dir = TempDir::new().unwrap();
    let named = start_named(dir.path());
    let d2 = start_d2(dir.path(), "good", named.port, SECRET);

    // Add: A, DHCID and PTR appear.
    send(&d2, &ncr(ChangeType::Add, "h1", "192.0.2.10", 1));
    assert!(
        wait_for(10, || dig(named.port, "h1.example.org", "A")
            == "192.0.2.10"),
        "A record not added:\n{}",
        d2.proc.output()
    );
    assert!(wait_for(5, || dig(
        named.port,
        "10.2.0.192.in-addr.arpa",
        "PTR"
    ) == "h1.example.org."));
    assert!(!dig(named.port, "h1.example.org", "DHCID").is_empty());
    assert!(!dig(named.port, "10.2.0.192.in-addr.arpa", "DHCID").is_empty());
    assert_eq!(stat(&d2.socket, "ncr-received"), 1);
    assert!(stat(&d2.socket, "update-signed") >= 2);
    assert!(stat(&d2.socket, "key[d2-key.].update-success") >= 2);

    // Another client claiming the name loses (RFC 4703 conflict): the A stays.
    send(&d2, &ncr(ChangeType::Add, "h1", "192.0.2.11", 2));
    assert!(wait_for(10, || stat(&d2.socket, "update-success") >= 4));
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(dig(named.port, "h1.example.org", "A"), "192.0.2.10");

    // Remove: everything disappears.
    send(&d2, &ncr(ChangeType::Remove, "h1", "192.0.2.10", 1));
    assert!(
        wait_for(10, || dig(named.port, "h1.example.org", "A").is_empty()
            && dig(named.port, "h1.example.org", "DHCID").is_empty()
            && dig(named.port, "10.2.0.192.in-addr.arpa", "PTR").is_empty()),
        "records not removed:\n{}",
        d2.proc.output()
    );

    // Invalid NCRs are counted.
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .send_to(b"\x00\x02{}", ("127.0.0.1", d2.port))
        .unwrap();
    assert!(wait_for(5, || stat(&d2.socket, "ncr-invalid") == 1));

    // A D2 with the wrong secret changes nothing and counts errors.
    let bad = start_d2(dir.path(), "bad", named.port, WRONG);
    send(&bad, &ncr(ChangeType::Add, "h2", "192.0.2.20", 3));
    assert!(
        wait_for(10, || stat(&bad.socket, "key[d2-key.].update-error") >= 1),
        "{}",
        bad.proc.output()
    );
    assert!(wait_for(10, || stat(&bad.socket, "update-error") >= 3));
    assert_eq!(stat(&bad.socket, "update-success"), 0);
    assert!(dig(named.port, "h2.example.org", "A").is_empty());
}
