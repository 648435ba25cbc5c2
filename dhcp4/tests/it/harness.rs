//! Starts the real `kea-dhcp4` binary on loopback with a temporary config, lease file, PID
//! directory and control socket, and talks to it over UDP and the UNIX socket.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddrV4, UdpSocket};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kea_dhcp::{MessageType, Opt, Pkt4};
use serde_json::Value;
use tempfile::TempDir;

/// Address the test "relay" (and client) uses; replies to relayed queries come here.
pub const RELAY: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 2);

/// Picks a UDP port that is free on `addr` right now.
pub fn free_port(addr: Ipv4Addr) -> u16 {
    let s = UdpSocket::bind((addr, 0)).expect("bind an ephemeral port");
    s.local_addr().expect("local addr").port()
}

/// A running kea-dhcp4.
pub struct Server {
    pub dir: TempDir,
    pub child: Option<Child>,
    pub server_port: u16,
    pub client_port: u16,
    pub socket: PathBuf,
}

impl Server {
    /// Starts the server with `dhcp4` as the `Dhcp4` map's body (without the braces'
    /// outer object). `@DIR@` in it is replaced by the temporary directory. The interface,
    /// lease file and control socket are filled in unless given.
    pub fn start(dhcp4_body: &str) -> Server {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path().display().to_string();
        let body = dhcp4_body.replace("@DIR@", &d);
        let config = format!(
            r#"{{ "Dhcp4": {{
                "interfaces-config": {{ "interfaces": [ "lo" ], "dhcp-socket-type": "udp" }},
                "control-socket": {{ "socket-type": "unix", "socket-name": "{d}/ctrl.sock" }},
                "lease-database": {{ "type": "memfile", "name": "{d}/leases4.csv", "lfc-interval": 0 }},
                "loggers": [ {{ "name": "kea-dhcp4", "severity": "DEBUG", "debuglevel": 99,
                               "output_options": [ {{ "output": "stdout" }} ] }} ],
                {body}
            }} }}"#
        );
        Self::start_raw(dir, &config)
    }

    /// Starts the server with a complete configuration text.
    pub fn start_raw(dir: TempDir, config: &str) -> Server {
        let path = dir.path().join("kea-dhcp4.conf");
        std::fs::write(&path, config).expect("write config");
        let server_port = free_port(Ipv4Addr::LOCALHOST);
        let client_port = free_port(RELAY);
        let log = std::fs::File::create(dir.path().join("out.log")).expect("log file");
        let child = Command::new(env!("CARGO_BIN_EXE_kea-dhcp4"))
            .arg("-c")
            .arg(&path)
            .args([
                "-p",
                &server_port.to_string(),
                "-P",
                &client_port.to_string(),
            ])
            .env("KEA_PIDFILE_DIR", dir.path())
            .env("KEA_LOCKFILE_DIR", dir.path())
            .stdout(Stdio::from(log.try_clone().expect("dup log")))
            .stderr(Stdio::from(log))
            .spawn()
            .expect("spawn kea-dhcp4");
        let socket = dir.path().join("ctrl.sock");
        let mut s = Server {
            dir,
            child: Some(child),
            server_port,
            client_port,
            socket,
        };
        s.wait_for_log("DHCP4_STARTED");
        s
    }

    /// The server's output so far.
    pub fn output(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("out.log")).unwrap_or_default()
    }

    /// Waits (5 s at most) until the output contains `needle`.
    pub fn wait_for_log(&mut self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.output().contains(needle) {
                return;
            }
            if let Some(c) = self.child.as_mut()
                && let Ok(Some(status)) = c.try_wait()
            {
                panic!(
                    "kea-dhcp4 exited ({status}) before {needle}:\n{}",
                    self.output()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("no {needle} in time:\n{}", self.output());
    }

    /// Whether the process is still running.
    pub fn alive(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| matches!(c.try_wait(), Ok(None)))
    }

    /// Sends one control command and returns the answer.
    pub fn command(&self, cmd: Value) -> Value {
        let mut s = UnixStream::connect(&self.socket).expect("connect control socket");
        s.write_all(cmd.to_string().as_bytes())
            .expect("send command");
        s.shutdown(std::net::Shutdown::Write).ok();
        let mut out = String::new();
        s.read_to_string(&mut out).expect("read answer");
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("bad answer {out:?}: {e}"))
    }

    /// An integer statistic's current value.
    pub fn stat(&self, name: &str) -> i64 {
        let a = self.command(serde_json::json!({
            "command": "statistic-get", "arguments": { "name": name }
        }));
        a["arguments"][name][0][0].as_i64().unwrap_or(-1)
    }

    /// The lease file's rows (without the header).
    pub fn lease_rows(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir.path().join("leases4.csv"))
            .unwrap_or_default()
            .lines()
            .skip(1)
            .map(str::to_string)
            .collect()
    }

    /// A client socket acting as the relay at [`RELAY`].
    pub fn client(&self) -> Client {
        let sock = UdpSocket::bind((RELAY, self.client_port)).expect("bind relay port");
        sock.set_read_timeout(Some(Duration::from_millis(700)))
            .expect("timeout");
        Client {
            sock,
            server: SocketAddrV4::new(Ipv4Addr::LOCALHOST, self.server_port),
        }
    }

    /// Path inside the temporary directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        if std::thread::panicking() {
            eprintln!("---- kea-dhcp4 output ----\n{}", self.output());
        }
    }
}

/// The test's side of the wire.
pub struct Client {
    pub sock: UdpSocket,
    pub server: SocketAddrV4,
}

impl Client {
    /// Sends raw bytes to the server.
    pub fn send_raw(&self, bytes: &[u8]) {
        self.sock.send_to(bytes, self.server).expect("send");
    }

    /// Sends a packet and waits for one reply (`None` on timeout).
    pub fn exchange(&self, p: &Pkt4) -> Option<Pkt4> {
        self.send_raw(&p.encode());
        self.recv()
    }

    /// Waits for one reply.
    pub fn recv(&self) -> Option<Pkt4> {
        let mut buf = [0u8; 1500];
        let (n, _) = self.sock.recv_from(&mut buf).ok()?;
        Some(Pkt4::decode(&buf[..n]).expect("server sent a valid packet"))
    }
}

/// A relayed query from client `mac` (giaddr = [`RELAY`]).
pub fn query(t: MessageType, mac: u8, xid: u32) -> Pkt4 {
    let mut p = Pkt4::new(kea_dhcp::codes::BOOTREQUEST, t, xid);
    p.hlen = 6;
    p.chaddr[..6].copy_from_slice(&[0x1a, 0x1b, 0x1c, 0x1d, 0x1e, mac]);
    p.giaddr = RELAY;
    p.hops = 1;
    p
}

/// Adds an option.
pub fn with(mut p: Pkt4, code: u16, data: &[u8]) -> Pkt4 {
    p.options.insert(Opt::new(code, data.to_vec()));
    p
}

/// Option codes of a reply, in wire order.
pub fn codes(p: &Pkt4) -> Vec<u16> {
    p.options.iter().map(|o| o.code).collect()
}

/// An option's data as an IPv4 address.
pub fn addr_opt(p: &Pkt4, code: u16) -> Option<Ipv4Addr> {
    let d: [u8; 4] = p.options.data(code)?.try_into().ok()?;
    Some(Ipv4Addr::from(d))
}

/// Does a full DISCOVER/OFFER/REQUEST/ACK for `mac`; returns the ACK.
pub fn dora(c: &Client, mac: u8) -> Pkt4 {
    use kea_dhcp::codes::*;
    let offer = c
        .exchange(&query(MessageType::Discover, mac, 0x100 + u32::from(mac)))
        .expect("an OFFER");
    assert_eq!(offer.msg_type(), Some(MessageType::Offer));
    let sid = offer
        .options
        .data(DHO_DHCP_SERVER_IDENTIFIER)
        .expect("server id")
        .to_vec();
    let req = with(
        with(
            query(MessageType::Request, mac, 0x200 + u32::from(mac)),
            DHO_DHCP_REQUESTED_ADDRESS,
            &offer.yiaddr.octets(),
        ),
        DHO_DHCP_SERVER_IDENTIFIER,
        &sid,
    );
    let ack = c.exchange(&req).expect("an ACK");
    assert_eq!(ack.msg_type(), Some(MessageType::Ack), "{ack:?}");
    assert_eq!(ack.yiaddr, offer.yiaddr);
    ack
}

/// Reads a file to string, empty if missing.
pub fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_default()
}
