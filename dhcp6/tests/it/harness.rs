//! Starts the real `kea-dhcp6` on ::1 and talks to it as a relay would.

use std::io::{Read, Write};
use std::net::{Ipv6Addr, SocketAddrV6, UdpSocket};
use std::os::unix::net::UnixStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kea_dhcp::ia::Ia;
use kea_dhcp::{Opt, Pkt6, RelayMsg};
use serde_json::Value;
use tempfile::TempDir;

/// The client DUID used by the tests (DUID-LLT).
pub const DUID: [u8; 14] = [
    0, 1, 0, 1, 0x2a, 0x2b, 0x2c, 0x2d, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
];
/// The server DUID configured by the tests (DUID-EN 2495, identifier 0102).
pub const SERVER_DUID: [u8; 8] = [0, 2, 0, 0, 0x09, 0xbf, 1, 2];

fn free_port() -> u16 {
    UdpSocket::bind(("::1", 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running kea-dhcp6.
pub struct Server {
    pub dir: TempDir,
    child: Option<Child>,
    pub server_port: u16,
    pub client_port: u16,
}

impl Server {
    /// Starts the server with `body` inside the `Dhcp6` map.
    pub fn start(body: &str) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().display().to_string();
        let config = format!(
            r#"{{ "Dhcp6": {{
                "interfaces-config": {{ "interfaces": [ "lo/::1" ] }},
                "control-socket": {{ "socket-type": "unix", "socket-name": "{d}/ctrl.sock" }},
                "lease-database": {{ "type": "memfile", "name": "{d}/leases6.csv", "lfc-interval": 0 }},
                "server-id": {{ "type": "EN", "enterprise-id": 2495, "identifier": "0102" }},
                "data-directory": "{d}",
                "loggers": [ {{ "name": "kea-dhcp6", "severity": "DEBUG", "debuglevel": 99,
                               "output_options": [ {{ "output": "stdout" }} ] }} ],
                {body}
            }} }}"#
        );
        let path = dir.path().join("kea-dhcp6.conf");
        std::fs::write(&path, config).unwrap();
        let (server_port, client_port) = (free_port(), free_port());
        let log = std::fs::File::create(dir.path().join("out.log")).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_kea-dhcp6"))
            .arg("-c")
            .arg(&path)
            .args([
                "-p",
                &server_port.to_string(),
                "-P",
                &client_port.to_string(),
            ])
            .env("KEA_PIDFILE_DIR", dir.path())
            .stdout(Stdio::from(log.try_clone().unwrap()))
            .stderr(Stdio::from(log))
            .spawn()
            .unwrap();
        let s = Server {
            dir,
            child: Some(child),
            server_port,
            client_port,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while !s.output().contains("DHCP6_STARTED") {
            assert!(Instant::now() < deadline, "not started:\n{}", s.output());
            std::thread::sleep(Duration::from_millis(20));
        }
        s
    }

    /// The server's output.
    pub fn output(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("out.log")).unwrap_or_default()
    }

    /// Sends a control command.
    pub fn command(&self, cmd: Value) -> Value {
        let mut s = UnixStream::connect(self.dir.path().join("ctrl.sock")).unwrap();
        s.write_all(cmd.to_string().as_bytes()).unwrap();
        s.shutdown(std::net::Shutdown::Write).ok();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        serde_json::from_str(&out).unwrap()
    }

    /// An integer statistic.
    pub fn stat(&self, name: &str) -> i64 {
        let a = self.command(
            serde_json::json!({ "command": "statistic-get", "arguments": { "name": name } }),
        );
        a["arguments"][name][0][0].as_i64().unwrap_or(-1)
    }

    /// Lease file rows (no header).
    pub fn lease_rows(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir.path().join("leases6.csv"))
            .unwrap_or_default()
            .lines()
            .skip(1)
            .map(str::to_string)
            .collect()
    }

    /// A relay socket.
    pub fn relay(&self) -> Relay {
        let sock = UdpSocket::bind(("::1", self.client_port)).unwrap();
        sock.set_read_timeout(Some(Duration::from_millis(700)))
            .unwrap();
        Relay {
            sock,
            server: SocketAddrV6::new(Ipv6Addr::LOCALHOST, self.server_port, 0, 0),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        if std::thread::panicking() {
            eprintln!("---- kea-dhcp6 output ----\n{}", self.output());
        }
    }
}

/// The relay side of the wire.
pub struct Relay {
    sock: UdpSocket,
    server: SocketAddrV6,
}

/// One relay layer with link-address `link`.
pub fn layer(link: &str, hops: u8) -> RelayMsg {
    RelayMsg {
        msg_type: 12,
        hop_count: hops,
        link_addr: link.parse().unwrap(),
        peer_addr: "fe80::1".parse().unwrap(),
        options: [Opt::new(18, b"eth0".to_vec())].into_iter().collect(),
    }
}

impl Relay {
    /// Relays `inner` (link-address 2001:db8:1::1) and returns the inner reply.
    pub fn exchange(&self, inner: &Pkt6) -> Option<Pkt6> {
        self.exchange_via(inner, vec![layer("2001:db8:1::1", 0)])
    }

    /// Sends `inner` through the given relay layers (outermost first; none: direct).
    pub fn exchange_via(&self, inner: &Pkt6, layers: Vec<RelayMsg>) -> Option<Pkt6> {
        let mut p = inner.clone();
        let n_layers = layers.len();
        p.relay_info = layers;
        self.sock
            .send_to(&p.encode().unwrap(), self.server)
            .unwrap();
        let mut buf = [0u8; 4000];
        let (n, _) = self.sock.recv_from(&mut buf).ok()?;
        let reply = Pkt6::decode(&buf[..n]).expect("valid reply");
        assert_eq!(
            reply.relay_info.len(),
            n_layers,
            "answered through the relays"
        );
        Some(reply)
    }
}

/// A query with the test client's DUID.
pub fn query(msg_type: u8, xid: u32) -> Pkt6 {
    let mut p = Pkt6::new(msg_type, xid);
    p.options.insert(Opt::new(1, DUID.to_vec()));
    p
}

/// An IA_NA (or IA_PD) option, with optional address hints.
pub fn ia(code: u16, iaid: u32, hint: Option<(Ipv6Addr, u8)>) -> Opt {
    let mut ia = Ia::new(iaid, 0, 0);
    if let Some((a, len)) = hint {
        if code == 25 {
            ia.options
                .insert(kea_dhcp::ia::IaPrefix::new(a, len, 0, 0).to_opt().unwrap());
        } else {
            ia.options
                .insert(kea_dhcp::ia::IaAddr::new(a, 0, 0).to_opt().unwrap());
        }
    }
    if code == 25 {
        ia.to_ia_pd().unwrap()
    } else {
        ia.to_ia_na().unwrap()
    }
}

/// Option codes of a reply.
pub fn codes(p: &Pkt6) -> Vec<u16> {
    p.options.iter().map(|o| o.code).collect()
}

/// The IA of `code` in a reply.
pub fn reply_ia(p: &Pkt6, code: u16) -> Ia {
    Ia::parse(code, p.options.data(code).expect("an IA")).unwrap()
}
