//! Network namespaces, veth pairs and the processes run inside them, for the real-world tests.
//!
//! A copy of kea-dhcp4's `tests/it/netns.rs` (test code of another crate, which a test
//! module cannot share), adapted to DHCPv6: duplicate address detection is off in every
//! namespace (REAL-WORLD-TESTING.md, "DHCPv6"), and addresses are read as IPv6 ones.
//!
//! Every name is unique per test (process id plus a counter), so tests never share a
//! namespace, an interface or a file and may run in parallel. Everything is undone in `Drop`,
//! also while unwinding from a failed assertion: processes are stopped by their PID (SIGTERM,
//! then SIGKILL), namespaces are deleted (which deletes their veth ends).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// PATH given to every process started in a namespace (scripts call `ip`, in /usr/sbin).
pub const PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A short name unique in this machine right now: `k` + pid (hex) + counter + `tag`. Short
/// enough for an interface name (15 bytes) when `tag` has at most 3 characters.
pub fn unique(tag: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("k{:x}{n:x}{tag}", std::process::id())
}

/// The absolute path of a program, looked up in PATH and the sbin directories.
pub fn tool(name: &str) -> Option<PathBuf> {
    let path = std::env::var("PATH").unwrap_or_default();
    path.split(':')
        .chain(PATH.split(':'))
        .filter(|d| !d.is_empty())
        .map(|d| Path::new(d).join(name))
        .find(|p| p.is_file())
}

fn ip_tool() -> PathBuf {
    tool("ip").expect("iproute2's ip is installed (checked by the caller)")
}

/// Whether this process runs as root (uid 0), which namespaces and raw sockets need.
pub fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|l| l.split_whitespace().next().map(|u| u == "0"))
        .unwrap_or(false)
}

/// Decides whether a real-world test can run: it needs root and every program in `tools`.
/// When something is missing it prints why and returns false (the test then passes as
/// skipped), except with `CI=true`, where it fails the test.
pub fn can_run(test: &str, tools: &[&str]) -> bool {
    let mut missing: Vec<String> = tools
        .iter()
        .filter(|t| tool(t).is_none())
        .map(|t| (*t).to_string())
        .collect();
    if !is_root() {
        missing.insert(0, "root privileges".into());
    }
    if missing.is_empty() {
        return true;
    }
    let why = format!("{test}: needs {}", missing.join(", "));
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{why} (CI=true: a skip is a failure)");
    }
    eprintln!("SKIPPED {why}");
    false
}

/// Polls `done` every 50 ms until it holds; panics naming `what` after `secs` seconds.
pub fn wait_until(secs: u64, what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if done() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {secs} s waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Runs a command to completion within `secs` seconds (killed and a panic otherwise), with
/// its output captured through files in `dir`. Returns the output, whatever the exit status.
pub fn run_bounded(mut cmd: Command, dir: &Path, secs: u64) -> Output {
    let tag = unique("out");
    let out_path = dir.join(format!("{tag}.stdout"));
    let err_path = dir.join(format!("{tag}.stderr"));
    let out = std::fs::File::create(&out_path).expect("create stdout file");
    let err = std::fs::File::create(&err_path).expect("create stderr file");
    let shown = format!("{cmd:?}");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .unwrap_or_else(|e| panic!("spawn {shown}: {e}"));
    let deadline = Instant::now() + Duration::from_secs(secs);
    let status = loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{shown} did not finish within {secs} s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: std::fs::read(&out_path).unwrap_or_default(),
        stderr: std::fs::read(&err_path).unwrap_or_default(),
    }
}

/// Runs a command within 10 s and panics (with its stderr) unless it succeeds.
pub fn run_ok(cmd: Command, dir: &Path) -> String {
    let shown = format!("{cmd:?}");
    let out = run_bounded(cmd, dir, 10);
    assert!(
        out.status.success(),
        "{shown} failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A network namespace, deleted on drop.
pub struct Netns {
    /// The namespace's name (`ip netns`), unique to this test.
    pub name: String,
    scratch: PathBuf,
}

impl Netns {
    /// Creates a namespace with loopback up; `scratch` holds the output of helper commands.
    pub fn new(tag: &str, scratch: &Path) -> Netns {
        let name = unique(tag);
        let mut add = Command::new(ip_tool());
        add.args(["netns", "add", &name]);
        run_ok(add, scratch);
        let ns = Netns {
            name,
            scratch: scratch.to_path_buf(),
        };
        ns.ip(&["link", "set", "lo", "up"]);
        // Without this, link-local addresses stay tentative for a while and neither the
        // server nor the client can bind to them; interfaces made later inherit `default`.
        ns.sh("echo 0 > /proc/sys/net/ipv6/conf/all/accept_dad && \
               echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad");
        ns
    }

    /// A command running `program` inside the namespace (`ip netns exec`, which execs, so
    /// the child's PID is the program's).
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut c = Command::new(ip_tool());
        c.args(["netns", "exec", &self.name])
            .arg(program)
            .env("PATH", PATH);
        c
    }

    /// Runs `ip -n NAME ARGS...`; panics if it fails. Returns its standard output.
    pub fn ip(&self, args: &[&str]) -> String {
        let mut c = Command::new(ip_tool());
        c.args(["-n", &self.name]).args(args);
        run_ok(c, &self.scratch)
    }

    /// Runs a shell script inside the namespace; panics if it fails.
    pub fn sh(&self, script: &str) -> String {
        let mut c = self.command("sh");
        c.args(["-c", script]);
        run_ok(c, &self.scratch)
    }

    /// The global IPv6 addresses (with prefix length) on `iface`, e.g.
    /// `["2001:db8:1::10/128"]`.
    pub fn addrs6(&self, iface: &str) -> Vec<String> {
        self.ip(&["-6", "-o", "addr", "show", "dev", iface, "scope", "global"])
            .lines()
            .filter_map(|l| {
                let mut w = l.split_whitespace();
                w.find(|t| *t == "inet6")?;
                w.next().map(str::to_string)
            })
            .collect()
    }

    /// Waits (at most 10 s) until `iface` has a usable link-local address: the kernel adds it
    /// a moment after the link comes up, and DHCPv6 clients and servers bind to it.
    pub fn wait_link_local(&self, iface: &str) {
        let what = format!("a link-local address on {iface} in {}", self.name);
        wait_until(10, &what, || {
            let out = self.ip(&["-6", "-o", "addr", "show", "dev", iface, "scope", "link"]);
            out.contains("fe80:") && !out.contains("tentative")
        });
    }

    /// The MAC address of `iface` (lower-case, colon-separated).
    pub fn mac(&self, iface: &str) -> String {
        let out = self.ip(&["-o", "link", "show", "dev", iface]);
        let mut w = out.split_whitespace();
        w.find(|t| *t == "link/ether")
            .and_then(|_| w.next())
            .unwrap_or_else(|| panic!("no MAC address on {iface}: {out}"))
            .to_string()
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let mut del = Command::new(ip_tool());
        del.args(["netns", "del", &self.name])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let _ = del.status();
    }
}

/// Creates a veth pair between two namespaces and sets both ends up; returns the names of
/// the ends in `a` and in `b`. The pair disappears with either namespace.
pub fn veth(a: &Netns, b: &Netns) -> (String, String) {
    let end_a = unique("a");
    let end_b = unique("b");
    let mut c = Command::new(ip_tool());
    c.args(["link", "add", &end_a, "netns", &a.name, "type", "veth"])
        .args(["peer", "name", &end_b, "netns", &b.name]);
    run_ok(c, &a.scratch);
    a.ip(&["link", "set", &end_a, "up"]);
    b.ip(&["link", "set", &end_b, "up"]);
    (end_a, end_b)
}

/// A background process started by a test, stopped by its PID on drop.
pub struct Proc {
    /// What it is, for messages.
    pub what: String,
    /// Where its standard output and error go.
    pub log: PathBuf,
    child: Child,
    status: Option<ExitStatus>,
}

impl Proc {
    /// Starts `cmd` with stdout and stderr appended to `log`.
    pub fn spawn(what: &str, mut cmd: Command, log: &Path) -> Proc {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .expect("open process log");
        let child = cmd
            .stdin(Stdio::null())
            .stdout(file.try_clone().expect("dup log"))
            .stderr(file)
            .spawn()
            .unwrap_or_else(|e| panic!("spawn {what}: {e}"));
        Proc {
            what: what.to_string(),
            log: log.to_path_buf(),
            child,
            status: None,
        }
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The exit status once it has exited (`None` while it runs).
    pub fn exited(&mut self) -> Option<ExitStatus> {
        if self.status.is_none() {
            self.status = self.child.try_wait().expect("try_wait");
        }
        self.status
    }

    /// Sends a signal by name (`TERM`, `USR1`, ...) unless the process has exited already
    /// (it is not reaped before that, so its PID cannot have been reused).
    pub fn signal(&mut self, sig: &str) {
        if self.exited().is_some() {
            return;
        }
        let _ = Command::new("sh")
            .args(["-c", &format!("kill -{sig} {}", self.pid())])
            .env("PATH", PATH)
            .status();
    }

    /// Waits up to `secs` seconds for the process to exit; panics otherwise.
    pub fn wait_exit(&mut self, secs: u64) -> ExitStatus {
        let what = format!("{} (PID {}) to exit", self.what, self.pid());
        wait_until(secs, &what, || self.exited().is_some());
        self.status.expect("exited")
    }

    /// Its output so far.
    pub fn output(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if self.exited().is_none() {
            self.signal("TERM");
            let deadline = Instant::now() + Duration::from_secs(3);
            while self.exited().is_none() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
            if self.exited().is_none() {
                let _ = self.child.kill();
                let _ = self.child.wait();
            }
        }
        if std::thread::panicking() {
            eprintln!("---- {} output ----\n{}", self.what, self.output());
        }
    }
}
