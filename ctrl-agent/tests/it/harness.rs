//! Starts agents (ours, and Kea 2.2's when installed) on loopback with a temporary
//! configuration and PID directory, a fake daemon behind a UNIX socket, TLS material made
//! with rcgen, and raw HTTP/curl/kea-shell clients.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// Kea 2.2's agent, when installed.
pub const KEA_AGENT: &str = "/usr/sbin/kea-ctrl-agent";
/// Kea 2.2's kea-shell, when installed.
pub const KEA_SHELL: &str = "/usr/sbin/kea-shell";

/// Whether Kea 2.2's `program` is here; prints a note when not.
pub fn kea_installed(program: &str) -> bool {
    let here = Path::new(program).exists();
    if !here {
        eprintln!("note: {program} is not installed; skipping the comparison with Kea 2.2");
    }
    here
}

/// A TCP port free on 127.0.0.1 right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("ephemeral port")
}

/// A running agent.
pub struct Agent {
    pub dir: TempDir,
    pub child: Option<Child>,
    pub port: u16,
    pub name: &'static str,
}

impl Agent {
    /// Starts ours with `body` as the inside of the `Control-agent` map (`@PORT@` and
    /// `@DIR@` are replaced). `dir` holds the files the configuration names.
    pub fn start(dir: TempDir, body: &str) -> Agent {
        Self::start_program(env!("CARGO_BIN_EXE_kea-ctrl-agent"), "ours", dir, body)
    }

    /// Starts Kea 2.2's agent the same way.
    pub fn start_kea(dir: TempDir, body: &str) -> Agent {
        Self::start_program(KEA_AGENT, "kea", dir, body)
    }

    fn start_program(program: &str, name: &'static str, dir: TempDir, body: &str) -> Agent {
        let port = free_port();
        let d = dir.path().display().to_string();
        let body = body
            .replace("@PORT@", &port.to_string())
            .replace("@DIR@", &d);
        let config = format!("{{ \"Control-agent\": {{ \"http-port\": {port}, {body} }} }}");
        let path = dir.path().join("kea-ctrl-agent.conf");
        std::fs::write(&path, config).expect("write config");
        let log = std::fs::File::create(dir.path().join("out.log")).expect("log file");
        let child = Command::new(program)
            .arg("-c")
            .arg(&path)
            .env("KEA_PIDFILE_DIR", dir.path())
            .env("KEA_LOCKFILE_DIR", dir.path())
            .stdout(Stdio::from(log.try_clone().expect("dup log")))
            .stderr(Stdio::from(log))
            .spawn()
            .expect("spawn the agent");
        let agent = Agent {
            dir,
            child: Some(child),
            port,
            name,
        };
        agent.wait_listening();
        agent
    }

    fn wait_listening(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "{} agent did not listen on {}:\n{}",
            self.name,
            self.port,
            self.log()
        );
    }

    /// What the agent printed.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("out.log")).unwrap_or_default()
    }

    /// `http://127.0.0.1:<port>/`.
    pub fn url(&self, scheme: &str) -> String {
        format!("{scheme}://127.0.0.1:{}/", self.port)
    }

    /// Waits for the process to end; its exit code.
    pub fn wait_exit(&mut self) -> Option<i32> {
        let mut child = self.child.take()?;
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        None
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
            if std::thread::panicking() {
                eprintln!("--- {} agent output ---\n{}", self.name, self.log());
            }
        }
    }
}

/// One raw HTTP exchange on a new connection (the server is asked to close after it).
pub fn raw_http(port: u16, request: &[u8]) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(15)))
        .expect("timeout");
    s.write_all(request).expect("send");
    let mut out = Vec::new();
    let mut buf = [0u8; 65536];
    // Read until the announced body is complete (keep-alive connections stay open).
    loop {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
        if response_complete(&out) {
            break;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn response_complete(out: &[u8]) -> bool {
    let text = String::from_utf8_lossy(out);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return false;
    };
    let len = head
        .lines()
        .find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    body.len() >= len
}

/// A POST with the given extra header lines and body.
pub fn post(port: u16, extra_headers: &str, body: &str) -> String {
    raw_http(
        port,
        format!(
            "POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{extra_headers}Content-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    )
}

/// A JSON POST.
pub fn post_json(port: u16, body: &str) -> String {
    post(port, "Content-Type: application/json\r\n", body)
}

/// The response without its `Date` header (which differs between runs).
pub fn without_date(response: &str) -> String {
    response
        .split("\r\n")
        .filter(|l| !l.to_ascii_lowercase().starts_with("date: "))
        .collect::<Vec<_>>()
        .join("\r\n")
}

/// The body of a raw response.
pub fn body_of(response: &str) -> &str {
    response.split_once("\r\n\r\n").map_or("", |(_, b)| b)
}

/// Runs curl; its output.
pub fn curl(args: &[&str]) -> Output {
    Command::new("curl")
        .args(["-s", "--max-time", "15"])
        .args(args)
        .output()
        .expect("run curl")
}

/// A fake daemon on a UNIX socket: records each command, answers `answer`.
pub struct FakeDaemon {
    pub received: Arc<Mutex<Vec<String>>>,
}

impl FakeDaemon {
    /// Listens at `path`.
    pub fn start(path: &Path, answer: &'static str) -> FakeDaemon {
        let listener = UnixListener::bind(path).expect("bind fake daemon");
        let received = Arc::new(Mutex::new(Vec::new()));
        let rec = received.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { break };
                let mut buf = vec![0u8; 65536];
                let n = stream.read(&mut buf).unwrap_or(0);
                rec.lock()
                    .expect("lock")
                    .push(String::from_utf8_lossy(&buf[..n]).into_owned());
                let _ = stream.write_all(answer.as_bytes());
            }
        });
        FakeDaemon { received }
    }
}

/// A CA, a server certificate for 127.0.0.1 and a client certificate, as PEM files in
/// `dir`: `ca.pem`, `server.pem`, `server-key.pem`, `client.pem`, `client-key.pem`.
pub fn write_pki(dir: &Path) {
    let ca_key = rcgen::KeyPair::generate().expect("key");
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "kea test CA");
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![
        rcgen::KeyUsagePurpose::KeyCertSign,
        rcgen::KeyUsagePurpose::CrlSign,
        rcgen::KeyUsagePurpose::DigitalSignature,
    ];
    let ca = ca_params.self_signed(&ca_key).expect("CA");
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let leaf = |names: Vec<String>, cn: &str, usage: rcgen::ExtendedKeyUsagePurpose| {
        let key = rcgen::KeyPair::generate().expect("key");
        let mut p = rcgen::CertificateParams::new(names).expect("params");
        p.distinguished_name.push(rcgen::DnType::CommonName, cn);
        p.extended_key_usages = vec![usage];
        let cert = p.signed_by(&key, &issuer).expect("sign");
        (cert.pem(), key.serialize_pem())
    };
    let (server, server_key) = leaf(
        vec!["127.0.0.1".into(), "localhost".into()],
        "127.0.0.1",
        rcgen::ExtendedKeyUsagePurpose::ServerAuth,
    );
    let (client, client_key) = leaf(
        Vec::new(),
        "kea-client",
        rcgen::ExtendedKeyUsagePurpose::ClientAuth,
    );
    for (name, text) in [
        ("ca.pem", ca.pem()),
        ("server.pem", server),
        ("server-key.pem", server_key),
        ("client.pem", client),
        ("client-key.pem", client_key),
    ] {
        std::fs::write(dir.join(name), text).expect("write PEM");
    }
}

/// The path of our kea-shell, built first when missing.
pub fn our_shell() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_owned();
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let path = target.join("debug/kea-shell");
    if !path.exists() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "-p", "kea-shell"])
            .current_dir(&root)
            .status()
            .expect("cargo build -p kea-shell");
        assert!(status.success(), "building kea-shell failed");
    }
    path
}

/// Runs a kea-shell (`program`) with `args` and `stdin`.
pub fn shell(program: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn kea-shell");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("kea-shell output")
}
