//! Crash safety of the memfile backend (ARM `lfc.rst`, "Lease file cleanup"; INVENTORY §11):
//! every lease the server ACKed is in the lease file before the ACK leaves, so a `kill -9`
//! in the middle of a load loses none of them, and the restarted server hands each client
//! the same address again.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddrV4, UdpSocket};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use kea_dhcp::MessageType::{self, *};
use kea_dhcp::Pkt4;
use kea_dhcp::codes::{BOOTREQUEST, DHO_DHCP_REQUESTED_ADDRESS, DHO_DHCP_SERVER_IDENTIFIER};
use serde_json::{Value, json};

use crate::harness::*;

/// Client threads; thread `t` relays through giaddr `127.0.0.(RELAY_BASE + t)`.
const THREADS: u8 = 4;
/// DORA exchanges per thread, each for a distinct MAC.
const PER_THREAD: u16 = 200;
const RELAY_BASE: u8 = 10;
/// How long the load may run before the test gives up waiting for the kill threshold.
const LOAD_DEADLINE: Duration = Duration::from_secs(15);

/// A 6-byte hardware address.
type Mac = [u8; 6];

fn relay_addr(t: u8) -> Ipv4Addr {
    Ipv4Addr::new(127, 0, 0, RELAY_BASE + t)
}

fn mac_of(t: u8, i: u16) -> Mac {
    let [hi, lo] = i.to_be_bytes();
    [0x1a, 0x1b, 0x1c, t, hi, lo]
}

fn mac_text(m: &Mac) -> String {
    m.iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// The whole configuration, in `dir`: lease_cmds loaded, logging at INFO (the load is
/// not slowed by per-packet debug output), one subnet reached through the four relays.
fn config(dir: &std::path::Path) -> String {
    let d = dir.display();
    let relays: Vec<String> = (0..THREADS)
        .map(|t| format!("\"{}\"", relay_addr(t)))
        .collect();
    format!(
        r#"{{ "Dhcp4": {{
            "interfaces-config": {{ "interfaces": [ "lo" ], "dhcp-socket-type": "udp" }},
            "control-socket": {{ "socket-type": "unix", "socket-name": "{d}/ctrl.sock" }},
            "lease-database": {{ "type": "memfile", "name": "{d}/leases4.csv", "lfc-interval": 0 }},
            "hooks-libraries": [ {{ "library": "libdhcp_lease_cmds.so" }} ],
            "loggers": [ {{ "name": "kea-dhcp4", "severity": "INFO",
                           "output_options": [ {{ "output": "stdout" }} ] }} ],
            "valid-lifetime": 3600,
            "subnet4": [ {{ "id": 1, "subnet": "10.0.0.0/16",
                "pools": [ {{ "pool": "10.0.1.0 - 10.0.4.255" }} ],
                "relay": {{ "ip-addresses": [ {} ] }} }} ]
        }} }}"#,
        relays.join(", ")
    )
}

/// A relayed query from `mac` through `giaddr`.
fn relayed(t: MessageType, mac: &Mac, giaddr: Ipv4Addr, xid: u32) -> Pkt4 {
    let mut p = Pkt4::new(BOOTREQUEST, t, xid);
    p.hlen = 6;
    p.chaddr[..6].copy_from_slice(mac);
    p.giaddr = giaddr;
    p.hops = 1;
    p
}

/// One relay's socket: bound where the server sends answers for its giaddr.
struct Relay {
    sock: UdpSocket,
    giaddr: Ipv4Addr,
    server: SocketAddrV4,
}

impl Relay {
    fn new(t: u8, s: &Server) -> Relay {
        let giaddr = relay_addr(t);
        let sock = UdpSocket::bind((giaddr, s.client_port)).expect("bind relay socket");
        sock.set_read_timeout(Some(Duration::from_millis(500)))
            .unwrap();
        Relay {
            sock,
            giaddr,
            server: SocketAddrV4::new(Ipv4Addr::LOCALHOST, s.server_port),
        }
    }

    /// Sends `p` and waits for the answer with the same xid (`None` on timeout, or when
    /// the server is gone).
    fn exchange(&self, p: &Pkt4) -> Option<Pkt4> {
        self.sock.send_to(&p.encode(), self.server).ok()?;
        let mut buf = [0u8; 1500];
        loop {
            let (n, _) = self.sock.recv_from(&mut buf).ok()?;
            // A late answer to an earlier, timed-out query is not this one's.
            if let Ok(r) = Pkt4::decode(&buf[..n])
                && r.xid == p.xid
            {
                return Some(r);
            }
        }
    }

    /// DISCOVER/OFFER/REQUEST/ACK for `mac`: the ACKed address, or `None` when any step
    /// got no (or an unexpected) answer.
    fn dora(&self, mac: &Mac, xid: u32) -> Option<Ipv4Addr> {
        let offer = self.exchange(&relayed(Discover, mac, self.giaddr, xid))?;
        if offer.msg_type() != Some(Offer) || offer.chaddr[..6] != mac[..] {
            return None;
        }
        let sid = offer.options.data(DHO_DHCP_SERVER_IDENTIFIER)?.to_vec();
        let req = with(
            with(
                relayed(Request, mac, self.giaddr, xid.wrapping_add(1)),
                DHO_DHCP_REQUESTED_ADDRESS,
                &offer.yiaddr.octets(),
            ),
            DHO_DHCP_SERVER_IDENTIFIER,
            &sid,
        );
        let ack = self.exchange(&req)?;
        (ack.msg_type() == Some(Ack) && ack.chaddr[..6] == mac[..]).then_some(ack.yiaddr)
    }
}

/// A small xorshift generator: the kill moment varies from run to run, and the seed is
/// printed so that a failing run can be replayed with `CRASH_SEED`.
fn seed() -> u64 {
    std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            let t = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
            t.as_nanos() as u64 | 1
        })
}

fn xorshift(mut x: u64) -> u64 {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    x
}

/// `(address, hwaddr)` of every row of a v4 lease file, header skipped.
fn csv_rows(text: &str) -> Vec<(String, String)> {
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let mut f = l.split(',');
            Some((f.next()?.to_string(), f.next()?.to_string()))
        })
        .collect()
}

#[test]
fn every_acked_lease_survives_a_kill_9_under_load() {
    let started = Instant::now();
    let seed = seed();
    // Kill after 40..=600 ACKs of the 800 the load would make.
    let threshold = 40 + (xorshift(seed) % 561) as usize;
    eprintln!("crash test: CRASH_SEED={seed}, kill after {threshold} ACKs");

    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let mut s = Server::start_raw(dir, &cfg);

    // The load: every thread records what was ACKed to it.
    let acks = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..THREADS)
        .map(|t| {
            let relay = Relay::new(t, &s);
            let (acks, done, stop) = (acks.clone(), done.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut got: Vec<(Mac, Ipv4Addr)> = Vec::new();
                for i in 0..PER_THREAD {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let mac = mac_of(t, i);
                    let xid = (u32::from(t) << 24) | (u32::from(i) << 8);
                    if let Some(addr) = relay.dora(&mac, xid) {
                        got.push((mac, addr));
                        acks.fetch_add(1, Ordering::SeqCst);
                    }
                }
                done.fetch_add(1, Ordering::SeqCst);
                got
            })
        })
        .collect();

    // kill -9 once enough ACKs came back, while the other clients are mid-exchange.
    let deadline = Instant::now() + LOAD_DEADLINE;
    while acks.load(Ordering::SeqCst) < threshold
        && done.load(Ordering::SeqCst) < usize::from(THREADS)
    {
        assert!(
            Instant::now() < deadline,
            "only {} ACKs in {LOAD_DEADLINE:?}:\n{}",
            acks.load(Ordering::SeqCst),
            s.output()
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    let pid = s.child.as_ref().unwrap().id();
    let killed_at = acks.load(Ordering::SeqCst);
    let status = std::process::Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -KILL {pid} failed");
    stop.store(true, Ordering::SeqCst);
    let wait = s.child.as_mut().unwrap().wait().unwrap();
    assert!(
        !wait.success(),
        "kea-dhcp4 should have died by SIGKILL: {wait}"
    );
    let acked: Vec<(Mac, Ipv4Addr)> = workers
        .into_iter()
        .flat_map(|w| w.join().expect("client thread"))
        .collect();
    eprintln!(
        "crash test: killed PID {pid} at {killed_at} ACKs; {} ACKed in all",
        acked.len()
    );
    assert!(acked.len() >= threshold.min(killed_at));

    // Every ACKed lease is in the file exactly once, with its client's MAC.
    let first_log = s.output();
    let dir = std::mem::replace(&mut s.dir, tempfile::tempdir().unwrap());
    drop(s);
    std::fs::write(dir.path().join("out-before-kill.log"), &first_log).unwrap();
    let rows = csv_rows(&read(&dir.path().join("leases4.csv")));
    for (mac, addr) in &acked {
        let m = mac_text(mac);
        let mine: Vec<&(String, String)> = rows.iter().filter(|(_, hw)| *hw == m).collect();
        assert_eq!(
            mine,
            [&(addr.to_string(), m.clone())],
            "rows of {m} (ACKed {addr})"
        );
    }

    // The restarted server has them all, and gives each client its address again.
    let s = Server::start_raw(dir, &cfg);
    let all = s.command(json!({ "command": "lease4-get-all" }));
    assert_eq!(all["result"], 0, "{all}");
    let leases = all["arguments"]["leases"].as_array().unwrap();
    let mut by_mac: HashMap<&str, Vec<&str>> = HashMap::new();
    for l in leases {
        by_mac
            .entry(l["hw-address"].as_str().unwrap())
            .or_default()
            .push(l["ip-address"].as_str().unwrap());
    }
    for (mac, addr) in &acked {
        let m = mac_text(mac);
        assert_eq!(
            by_mac.get(m.as_str()).map(Vec::as_slice),
            Some(&[addr.to_string().as_str()][..]),
            "leases of {m} after the restart (ACKed {addr})"
        );
    }
    let relay = Relay::new(0, &s);
    for (n, (mac, addr)) in acked.iter().enumerate() {
        let xid = 0xfe00_0000 | u32::try_from(n).unwrap();
        // A few tries: one lost answer on a loaded machine is not what this test is about.
        let offer = (0..3)
            .find_map(|_| relay.exchange(&relayed(Discover, mac, relay.giaddr, xid)))
            .unwrap_or_else(|| panic!("no OFFER for {}", mac_text(mac)));
        assert_eq!(offer.msg_type(), Some(Offer));
        assert_eq!(offer.yiaddr, *addr, "OFFER to {}", mac_text(mac));
    }
    let lease_count: Value =
        s.command(json!({ "command": "lease4-get-all" }))["arguments"]["leases"]
            .as_array()
            .map(|a| a.len().into())
            .unwrap();
    assert_eq!(
        lease_count,
        json!(leases.len()),
        "DISCOVERs changed no lease"
    );
    eprintln!("crash test: {:?} in all", started.elapsed());
}
