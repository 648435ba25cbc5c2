//! Starts `named` and our `kea-dhcp-ddns` on loopback with private configurations.

use std::io::{Read, Write};
use std::net::UdpSocket;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Picks a free UDP port on 127.0.0.1 (also checked free for TCP by named's bind).
pub fn free_port() -> u16 {
    let s = UdpSocket::bind("127.0.0.1:0").expect("bind");
    s.local_addr().expect("addr").port()
}

/// Whether the environment has what a test needs; otherwise prints a note, or fails under
/// `CI=true`.
pub fn have(programs: &[&str]) -> bool {
    let missing: Vec<&str> = programs
        .iter()
        .copied()
        .filter(|p| !Path::new(p).exists())
        .collect();
    if missing.is_empty() {
        return true;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "missing {missing:?} under CI=true"
    );
    eprintln!("SKIP: {missing:?} not installed (apt-get install bind9 bind9-dnsutils)");
    false
}

/// A child process killed on drop, its output kept in a file.
pub struct Proc {
    pub child: Child,
    pub log: PathBuf,
    pub name: &'static str,
}

impl Proc {
    pub fn spawn(name: &'static str, cmd: &mut Command, log: PathBuf) -> Proc {
        let f = std::fs::File::create(&log).expect("log");
        let child = cmd
            .stdout(Stdio::from(f.try_clone().expect("dup")))
            .stderr(Stdio::from(f))
            .spawn()
            .expect("spawn");
        Proc { child, log, name }
    }

    pub fn output(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            for line in self.output().lines() {
                eprintln!("{}: {line}", self.name);
            }
        }
    }
}

/// Polls `f` until it is true or `secs` pass.
pub fn wait_for(secs: u64, mut f: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < end {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

/// Sends one control command over the UNIX socket.
pub fn command(socket: &Path, cmd: &str, args: Value) -> Value {
    let mut s = UnixStream::connect(socket).expect("connect control socket");
    let req = serde_json::json!({ "command": cmd, "arguments": args });
    s.write_all(req.to_string().as_bytes()).expect("write");
    s.shutdown(std::net::Shutdown::Write).expect("shutdown");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("read");
    serde_json::from_str(&out).expect("json answer")
}

/// The current value of an integer statistic.
pub fn stat(socket: &Path, name: &str) -> i64 {
    let a = command(socket, "statistic-get", serde_json::json!({ "name": name }));
    a["arguments"][name][0][0].as_i64().unwrap_or(-1)
}

/// `dig +short @127.0.0.1 -p PORT NAME TYPE`.
pub fn dig(port: u16, name: &str, rtype: &str) -> String {
    let out = Command::new("/usr/bin/dig")
        .args(["+short", "+time=1", "+tries=1", "@127.0.0.1", "-p"])
        .arg(port.to_string())
        .args([name, rtype])
        .output()
        .expect("run dig");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}
