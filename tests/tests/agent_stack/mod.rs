//! The stack the control-agent tests drive (ARM `agent.rst`, INVENTORY §7.2): our built
//! kea-ctrl-agent on a loopback port in front of our built kea-dhcp4 (no interfaces, a UNIX
//! control socket), each in a temporary directory, plus curl and TLS material made with
//! rcgen at test time.
//!
//! The binaries are found beside the test executable (the `target/<profile>` directory above
//! its `deps` directory), as `keactrl.rs` finds them; `KEA_AGENT_BIN` and `KEA_DHCP4_BIN`
//! name others (the benchmark points them at Kea 2.2's). A missing binary skips the test with
//! a note, and fails it under `CI=true`.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

/// How long a daemon gets to start or stop (debug builds on a busy machine).
pub const DEADLINE: Duration = Duration::from_secs(20);

/// The directory holding the built binaries: the parent of the `deps` directory this test
/// runs from, else the workspace's `target/debug`.
fn bin_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| {
            exe.ancestors()
                .find(|d| d.file_name() == Some("deps".as_ref()))
                .and_then(Path::parent)
                .map(Path::to_path_buf)
        })
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/debug"))
}

/// The binary named by the environment variable `var`, else the built `name`, if it exists.
fn binary(var: &str, name: &str) -> Option<PathBuf> {
    let path = std::env::var_os(var).map_or_else(|| bin_dir().join(name), PathBuf::from);
    path.is_file().then_some(path)
}

/// The two programs under test.
pub struct Binaries {
    /// kea-ctrl-agent.
    pub agent: PathBuf,
    /// kea-dhcp4.
    pub dhcp4: PathBuf,
}

impl Binaries {
    /// Both binaries, or `None` after noting the skip of `test` (a failure under `CI=true`).
    pub fn find(test: &str) -> Option<Self> {
        let agent = binary("KEA_AGENT_BIN", "kea-ctrl-agent");
        let dhcp4 = binary("KEA_DHCP4_BIN", "kea-dhcp4");
        let (Some(agent), Some(dhcp4)) = (agent, dhcp4) else {
            let why = "no built kea-ctrl-agent or kea-dhcp4";
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("{test}: {why} (CI=true: not skipping)");
            }
            eprintln!("SKIP {test}: {why}; run `cargo build -p kea-ctrl-agent -p kea-dhcp4` first");
            return None;
        };
        Some(Self { agent, dhcp4 })
    }
}

/// A TCP port free on 127.0.0.1 right now (released for the agent to take).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("ephemeral TCP port")
}

/// Spawns `program -c <config>` with its PID and lock files in `dir` and its output in
/// `dir/<log>`.
fn spawn(program: &Path, config: &Path, dir: &Path, log: &str) -> Child {
    let out = std::fs::File::create(dir.join(log)).expect("create the output file");
    Command::new(program)
        .arg("-c")
        .arg(config)
        .env("KEA_PIDFILE_DIR", dir)
        .env("KEA_LOCKFILE_DIR", dir)
        .stdout(Stdio::from(
            out.try_clone().expect("duplicate the output file"),
        ))
        .stderr(Stdio::from(out))
        .spawn()
        .unwrap_or_else(|e| panic!("spawn {}: {e}", program.display()))
}

/// Waits up to [`DEADLINE`] for `child` to exit; its exit code, or `None` when it had to be
/// killed.
fn wait_exit(child: &mut Child) -> Option<i32> {
    let start = Instant::now();
    while start.elapsed() < DEADLINE {
        if let Ok(Some(status)) = child.try_wait() {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

/// Every `*.log` file in `dir`, for failure messages.
fn logs(dir: &Path) -> String {
    let mut text = String::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return text;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "log") {
            let body = std::fs::read_to_string(&path).unwrap_or_default();
            text.push_str(&format!("--- {}\n{body}", path.display()));
        }
    }
    text
}

/// The address count of subnet `id`'s pool in [`Stack::start`]'s kea-dhcp4 configuration
/// (distinct per subnet, so a `subnet[id].total-addresses` answer names its request).
pub fn pool_size(id: u32) -> u64 {
    100 + u64::from(id)
}

/// How many subnets kea-dhcp4 is given (ids 1..=SUBNETS).
pub const SUBNETS: u32 = 16;

/// kea-dhcp4's configuration: no interfaces, the control socket `kea4.sock` in `dir`, an
/// in-memory lease database and [`SUBNETS`] subnets whose pools hold [`pool_size`] addresses.
fn dhcp4_config(dir: &Path) -> String {
    let d = dir.display();
    let subnets = (1..=SUBNETS)
        .map(|id| {
            let last = pool_size(id);
            format!(
                r#"{{ "id": {id}, "subnet": "10.{id}.0.0/16",
                     "pools": [ {{ "pool": "10.{id}.0.1 - 10.{id}.0.{last}" }} ] }}"#
            )
        })
        .collect::<Vec<_>>()
        .join(",\n");
    format!(
        r#"{{ "Dhcp4": {{
    "interfaces-config": {{ "interfaces": [ ] }},
    "control-socket": {{ "socket-type": "unix", "socket-name": "{d}/kea4.sock" }},
    "lease-database": {{ "type": "memfile", "persist": false }},
    "subnet4": [ {subnets} ],
    "loggers": [ {{ "name": "kea-dhcp4", "severity": "WARN",
                    "output_options": [ {{ "output": "{d}/kea-dhcp4.log" }} ] }} ]
}} }}"#
    )
}

/// What the agent's configuration adds to the plain one.
#[derive(Default)]
pub struct AgentOptions {
    /// HTTPS with the rcgen CA and server certificate; `Some(true)` requires client
    /// certificates.
    pub tls: Option<bool>,
    /// Basic authentication in realm `kea-test` for `admin:secret`.
    pub basic_auth: bool,
}

/// The realm of [`AgentOptions::basic_auth`].
pub const REALM: &str = "kea-test";

/// The agent's configuration on `port`, forwarding `dhcp4` to `dir/kea4.sock`.
fn agent_config(dir: &Path, port: u16, options: &AgentOptions) -> String {
    let d = dir.display();
    let mut extra = String::new();
    if let Some(required) = options.tls {
        extra.push_str(&format!(
            r#""trust-anchor": "{d}/ca.pem", "cert-file": "{d}/server.pem",
               "key-file": "{d}/server-key.pem", "cert-required": {required},"#
        ));
    }
    if options.basic_auth {
        extra.push_str(&format!(
            r#""authentication": {{ "type": "basic", "realm": "{REALM}",
                 "clients": [ {{ "user": "admin", "password": "secret" }} ] }},"#
        ));
    }
    format!(
        r#"{{ "Control-agent": {{
    "http-host": "127.0.0.1", "http-port": {port}, {extra}
    "control-sockets": {{ "dhcp4": {{ "socket-type": "unix", "socket-name": "{d}/kea4.sock" }} }},
    "loggers": [ {{ "name": "kea-ctrl-agent", "severity": "WARN",
                    "output_options": [ {{ "output": "{d}/kea-ctrl-agent.log" }} ] }} ]
}} }}"#
    )
}

/// A running kea-ctrl-agent and kea-dhcp4 sharing one temporary directory. Dropping it
/// kills both.
pub struct Stack {
    /// The temporary directory: configurations, control socket, logs, PEM files.
    pub dir: TempDir,
    /// The agent's port on 127.0.0.1.
    pub port: u16,
    bins: Binaries,
    agent: Option<Child>,
    dhcp4: Option<Child>,
}

impl Stack {
    /// Starts kea-dhcp4, then the agent with `options`; returns once both answer.
    pub fn start(bins: Binaries, options: &AgentOptions) -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        if options.tls.is_some() {
            write_pki(dir.path());
        }
        let port = free_port();
        let agent_conf = dir.path().join("kea-ctrl-agent.conf");
        std::fs::write(&agent_conf, agent_config(dir.path(), port, options))
            .expect("write the agent's configuration");
        std::fs::write(dir.path().join("kea-dhcp4.conf"), dhcp4_config(dir.path()))
            .expect("write kea-dhcp4's configuration");
        let mut stack = Self {
            dir,
            port,
            bins,
            agent: None,
            dhcp4: None,
        };
        stack.start_dhcp4();
        let agent = spawn(
            &stack.bins.agent,
            &agent_conf,
            stack.dir.path(),
            "agent-out.log",
        );
        stack.agent = Some(agent);
        stack.wait_listening();
        stack
    }

    /// Starts kea-dhcp4 (again) and waits until its control socket accepts connections.
    pub fn start_dhcp4(&mut self) {
        let conf = self.dir.path().join("kea-dhcp4.conf");
        let child = spawn(&self.bins.dhcp4, &conf, self.dir.path(), "dhcp4-out.log");
        self.dhcp4 = Some(child);
        let socket = self.dir.path().join("kea4.sock");
        let start = Instant::now();
        while UnixStream::connect(&socket).is_err() {
            if let Some(Ok(Some(status))) = self.dhcp4.as_mut().map(Child::try_wait) {
                panic!("kea-dhcp4 exited ({status}):\n{}", self.logs());
            }
            assert!(
                start.elapsed() < DEADLINE,
                "kea-dhcp4's control socket did not open:\n{}",
                self.logs()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits for kea-dhcp4 to exit (after a `shutdown`); its exit code.
    pub fn wait_dhcp4_exit(&mut self) -> Option<i32> {
        self.dhcp4.as_mut().and_then(wait_exit)
    }

    /// Kills kea-dhcp4 with SIGKILL (a crash: its socket file stays behind).
    pub fn kill_dhcp4(&mut self) {
        if let Some(mut child) = self.dhcp4.take() {
            child.kill().expect("kill kea-dhcp4");
            child.wait().expect("reap kea-dhcp4");
        }
    }

    /// The PID of the running kea-dhcp4.
    pub fn dhcp4_pid(&self) -> u32 {
        self.dhcp4.as_ref().expect("kea-dhcp4 started").id()
    }

    fn wait_listening(&mut self) {
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            if let Some(Ok(Some(status))) = self.agent.as_mut().map(Child::try_wait) {
                panic!("kea-ctrl-agent exited ({status}):\n{}", self.logs());
            }
            assert!(
                start.elapsed() < DEADLINE,
                "kea-ctrl-agent did not listen on {}:\n{}",
                self.port,
                self.logs()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Whether the agent process is still running.
    pub fn agent_running(&mut self) -> bool {
        self.agent
            .as_mut()
            .is_some_and(|c| matches!(c.try_wait(), Ok(None)))
    }

    /// `<scheme>://127.0.0.1:<port>/`.
    pub fn url(&self, scheme: &str) -> String {
        format!("{scheme}://127.0.0.1:{}/", self.port)
    }

    /// The path of a file in the stack's directory, as a string for curl.
    pub fn file(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    /// Both daemons' logs and outputs.
    pub fn logs(&self) -> String {
        logs(self.dir.path())
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        for child in [self.agent.take(), self.dhcp4.take()].into_iter().flatten() {
            let mut child = child;
            let _ = child.kill();
            let _ = child.wait();
        }
        if std::thread::panicking() {
            eprintln!("{}", self.logs());
        }
    }
}

/// What curl received.
#[derive(Debug)]
pub struct Reply {
    /// curl's exit code (0: a response arrived).
    pub exit: Option<i32>,
    /// The final response's status (after any `100 Continue`), 0 without a response.
    pub status: u16,
    /// The final response's header lines.
    pub headers: Vec<String>,
    /// The final response's body.
    pub body: String,
    /// curl's error text.
    pub stderr: String,
}

impl Reply {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {self:?}"))
    }

    /// The value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// Runs `curl -sS -i` with `args`, at most 20 s.
pub fn curl(args: &[&str]) -> Reply {
    let out = Command::new("curl")
        .args(["-sS", "-i", "--max-time", "20"])
        .args(args)
        .output()
        .expect("run curl (is it installed?)");
    let mut rest = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut status = 0;
    let mut headers = Vec::new();
    while let Some((head, body)) = rest.split_once("\r\n\r\n") {
        let mut lines = head.split("\r\n");
        status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        headers = lines.map(str::to_owned).collect();
        rest = body.to_owned();
        if !(100..200).contains(&status) {
            break;
        }
    }
    Reply {
        exit: out.status.code(),
        status,
        headers,
        body: rest,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// POSTs `body` as JSON to `url` with curl, with the extra curl arguments `extra`.
pub fn post(url: &str, body: &str, extra: &[&str]) -> Reply {
    let mut args = extra.to_vec();
    args.extend(["-H", "Content-Type: application/json", "-d", body, url]);
    curl(&args)
}

/// A CA, a server certificate for 127.0.0.1 and a client certificate, as PEM files in
/// `dir`: `ca.pem`, `server.pem`, `server-key.pem`, `client.pem`, `client-key.pem`.
pub fn write_pki(dir: &Path) {
    let ca_key = rcgen::KeyPair::generate().expect("CA key");
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "kea suite test CA");
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![
        rcgen::KeyUsagePurpose::KeyCertSign,
        rcgen::KeyUsagePurpose::CrlSign,
        rcgen::KeyUsagePurpose::DigitalSignature,
    ];
    let ca = ca_params.self_signed(&ca_key).expect("self-signed CA");
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let leaf = |names: Vec<String>, cn: &str, usage: rcgen::ExtendedKeyUsagePurpose| {
        let key = rcgen::KeyPair::generate().expect("leaf key");
        let mut params = rcgen::CertificateParams::new(names).expect("leaf params");
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, cn);
        params.extended_key_usages = vec![usage];
        let cert = params.signed_by(&key, &issuer).expect("sign the leaf");
        (cert.pem(), key.serialize_pem())
    };
    let (server, server_key) = leaf(
        vec!["127.0.0.1".into(), "localhost".into()],
        "127.0.0.1",
        rcgen::ExtendedKeyUsagePurpose::ServerAuth,
    );
    let (client, client_key) = leaf(
        Vec::new(),
        "kea-suite-client",
        rcgen::ExtendedKeyUsagePurpose::ClientAuth,
    );
    for (name, text) in [
        ("ca.pem", ca.pem()),
        ("server.pem", server),
        ("server-key.pem", server_key),
        ("client.pem", client),
        ("client-key.pem", client_key),
    ] {
        std::fs::write(dir.join(name), text).expect("write a PEM file");
    }
}

/// One keep-alive HTTP/1.1 connection to the agent, for many requests in a row.
pub struct Connection {
    port: u16,
    stream: Option<TcpStream>,
}

impl Connection {
    /// A connection to the agent on `port` (opened at the first request).
    pub fn new(port: u16) -> Self {
        Self { port, stream: None }
    }

    /// POSTs `body` and returns the response's status and body. A response announcing
    /// `Connection: close` makes the next request open a new connection; a connection
    /// closed before a complete response is an error.
    pub fn post(&mut self, body: &str) -> std::io::Result<(u16, String)> {
        let stream = match &mut self.stream {
            Some(s) => s,
            None => {
                let s = TcpStream::connect(("127.0.0.1", self.port))?;
                s.set_read_timeout(Some(DEADLINE))?;
                s.set_nodelay(true)?;
                self.stream.insert(s)
            }
        };
        let request = format!(
            "POST / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.port,
            body.len()
        );
        stream.write_all(request.as_bytes())?;
        let (status, close, body) = read_response(stream)?;
        if close {
            self.stream = None;
        }
        Ok((status, body))
    }
}

/// Reads one response with a `Content-Length` body: status, whether the server closes the
/// connection, body.
fn read_response(stream: &mut TcpStream) -> std::io::Result<(u16, bool, String)> {
    let eof = || std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "connection closed");
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Err(eof());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut length = 0;
    let mut close = false;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        if name.eq_ignore_ascii_case("content-length") {
            length = value.trim().parse().unwrap_or(0);
        } else if name.eq_ignore_ascii_case("connection") {
            close = value.trim().eq_ignore_ascii_case("close");
        }
    }
    let mut body = buf.split_off(head_end + 4);
    while body.len() < length {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Err(eof());
        }
        body.extend_from_slice(&chunk[..n]);
    }
    if body.len() > length {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "bytes after the announced body (an unrequested response)",
        ));
    }
    Ok((status, close, String::from_utf8_lossy(&body).into_owned()))
}
