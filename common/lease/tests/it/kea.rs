//! A Kea 2.2 daemon started as an oracle: memfile in a temp dir, a control socket and the
//! lease_cmds hook. Tests skip (with a printed note) when Kea is not installed.

use kea_lease::kea_json;
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where Debian installs Kea's lease_cmds hook library.
const LEASE_CMDS: &str = "/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_lease_cmds.so";

/// The DHCP family of a daemon.
#[derive(Clone, Copy)]
pub enum Family {
    V4,
    V6,
}

impl Family {
    fn binary(self) -> &'static str {
        match self {
            Self::V4 => "/usr/sbin/kea-dhcp4",
            Self::V6 => "/usr/sbin/kea-dhcp6",
        }
    }
}

/// Whether the Kea daemon and the hook are installed; prints a skip note if not.
pub fn available(family: Family) -> bool {
    let ok = Path::new(family.binary()).exists() && Path::new(LEASE_CMDS).exists();
    if !ok {
        eprintln!(
            "note: skipping Kea interop test: {} or {LEASE_CMDS} not installed",
            family.binary()
        );
    }
    ok
}

/// A running Kea daemon; killed (and its log printed) on drop.
pub struct Kea {
    child: Child,
    socket: PathBuf,
    log: PathBuf,
}

impl Kea {
    /// Starts Kea with its memfile on `lease_file` (no LFC), working files in `dir`.
    pub fn start(family: Family, dir: &Path, lease_file: &Path) -> Self {
        let socket = dir.join("kea.sock");
        let log = dir.join("kea.log");
        let memfile = json!({
            "type": "memfile", "persist": true, "lfc-interval": 0,
            "name": lease_file.to_str().unwrap(),
        });
        let common = |subnets: Value| {
            json!({
                "interfaces-config": {"interfaces": []},
                "control-socket": {"socket-type": "unix", "socket-name": socket.to_str().unwrap()},
                "lease-database": memfile,
                "hooks-libraries": [{"library": LEASE_CMDS}],
                "loggers": [{"name": "*", "severity": "DEBUG", "debuglevel": 99,
                             "output_options": [{"output": log.to_str().unwrap()}]}],
            })
            .as_object()
            .unwrap()
            .clone()
            .into_iter()
            .chain(subnets.as_object().unwrap().clone())
            .collect::<serde_json::Map<_, _>>()
        };
        let config = match family {
            Family::V4 => json!({"Dhcp4": common(json!({"subnet4": [
                {"id": 1, "subnet": "192.0.2.0/24"},
                {"id": 2, "subnet": "198.51.100.0/24"},
            ]}))}),
            Family::V6 => json!({"Dhcp6": common(json!({
                "server-id": {"type": "EN", "enterprise-id": 2495, "identifier": "0102",
                              "persist": false},
                "subnet6": [
                {"id": 1, "subnet": "2001:db8:1::/48",
                 "pd-pools": [{"prefix": "2001:db8:8::", "prefix-len": 48, "delegated-len": 64}]},
            ]}))}),
        };
        let config_path = dir.join("kea.json");
        std::fs::write(&config_path, config.to_string()).unwrap();
        let child = Command::new(family.binary())
            .arg("-c")
            .arg(&config_path)
            .env("KEA_PIDFILE_DIR", dir)
            .env("KEA_LOCKFILE_DIR", dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let kea = Self { child, socket, log };
        let deadline = Instant::now() + Duration::from_secs(15);
        while UnixStream::connect(&kea.socket).is_err() {
            assert!(
                Instant::now() < deadline,
                "Kea did not open its control socket"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        kea
    }

    /// Sends a command and returns the whole answer (parsed with Kea's string semantics).
    pub fn command(&self, command: &str, arguments: Value) -> Value {
        let mut request = json!({"command": command});
        if !arguments.is_null() {
            request["arguments"] = arguments;
        }
        let mut stream = UnixStream::connect(&self.socket).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream.write_all(request.to_string().as_bytes()).unwrap();
        let mut answer = Vec::new();
        let mut buf = [0u8; 65536];
        loop {
            let n = stream.read(&mut buf).unwrap();
            answer.extend_from_slice(&buf[..n]);
            if let Ok(value) = kea_json::parse(&String::from_utf8_lossy(&answer)) {
                return value;
            }
            assert!(n > 0, "Kea closed the socket mid-answer");
        }
    }

    /// Sends a command and asserts it succeeded (result 0, or 3 "empty" if allowed).
    pub fn ok(&self, command: &str, arguments: Value) -> Value {
        let answer = self.command(command, arguments.clone());
        assert_eq!(answer["result"], 0, "{command} {arguments}: {answer}");
        answer
    }

    /// Shuts Kea down and waits for it to exit.
    pub fn stop(mut self) {
        self.ok("shutdown", Value::Null);
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.child.try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline, "Kea did not exit");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Kea {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        if std::thread::panicking() {
            let log = std::fs::read_to_string(&self.log).unwrap_or_default();
            for line in log.lines().filter(|l| !l.contains("DEBUG")) {
                eprintln!("KEA: {line}");
            }
        }
    }
}
