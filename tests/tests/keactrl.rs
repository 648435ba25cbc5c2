//! `scripts/keactrl` (ARM `keactrl.rst`, INVENTORY §1.5) driving the built daemons: start,
//! status by PID file, reload by SIGHUP (checked through the control socket), stop, version,
//! `-s` selection and the usage errors.
//!
//! The daemons are the workspace's own binaries, found beside this test executable (the
//! `target/<profile>` directory above its `deps` directory). A missing binary skips the test
//! with a note, and fails it under `CI=true`. Every server runs with a configuration in a
//! temporary directory, binds only the loopback (kea-dhcp4 and kea-dhcp6 get no interfaces)
//! and writes its PID file there (`KEA_PIDFILE_DIR`).

use std::io::{Read, Write};
use std::net::{TcpListener, UdpSocket};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tempfile::TempDir;

/// How long a daemon gets to start, reload or stop (debug builds on a busy machine).
const DEADLINE: Duration = Duration::from_secs(30);

/// The version keactrl and the daemons print (the workspace's).
const VERSION: &str = env!("CARGO_PKG_VERSION");

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

/// The built binary `name`, if it exists.
fn built(name: &str) -> Option<PathBuf> {
    let path = bin_dir().join(name);
    path.is_file().then_some(path)
}

/// Notes a skipped test; under `CI=true` a skip is a failure.
fn skip(test: &str, why: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{test}: {why} (CI=true: not skipping)");
    }
    eprintln!("SKIP {test}: {why}; build the workspace first");
}

/// The script under test.
fn keactrl_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/keactrl")
}

/// A free loopback UDP port (released for the daemon to take).
fn free_udp_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .and_then(|s| s.local_addr())
        .expect("ephemeral UDP port")
        .port()
}

/// A free loopback TCP port (released for the daemon to take).
fn free_tcp_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|s| s.local_addr())
        .expect("ephemeral TCP port")
        .port()
}

/// What one keactrl run printed.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// A temporary installation: server configurations, keactrl.conf and the PID files in one
/// directory. Dropping it stops every server it started.
struct Suite {
    dir: TempDir,
    conf: PathBuf,
}

impl Suite {
    /// A suite whose keactrl.conf holds `settings` (shell assignments).
    fn new(settings: &str) -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let conf = dir.path().join("keactrl.conf");
        std::fs::write(&conf, settings).expect("write keactrl.conf");
        Self { dir, conf }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).expect("write configuration");
        path
    }

    /// Runs `keactrl <args> -c <keactrl.conf>` under `sh`.
    fn keactrl(&self, args: &[&str]) -> Run {
        let out = Command::new("sh")
            .arg(keactrl_script())
            .args(args)
            .arg("-c")
            .arg(&self.conf)
            .env("KEA_PIDFILE_DIR", self.dir.path())
            .output()
            .expect("run keactrl");
        Run {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs keactrl and requires exit status 0.
    fn ok(&self, args: &[&str]) -> String {
        let run = self.keactrl(args);
        assert_eq!(
            run.code,
            Some(0),
            "keactrl {args:?} failed:\n{}{}\n{}",
            run.stdout,
            run.stderr,
            self.logs()
        );
        run.stdout
    }

    /// Waits until `keactrl status` prints `line`.
    fn wait_status(&self, line: &str) -> String {
        let start = Instant::now();
        loop {
            let status = self.ok(&["status"]);
            if status.lines().any(|l| l == line) {
                return status;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "no '{line}' in time:\n{status}\n{}",
                self.logs()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The PID recorded in daemon `daemon`'s PID file for configuration `config` (a name in
    /// the suite's directory).
    fn pid(&self, config: &str, daemon: &str) -> Option<u32> {
        let stem = config.strip_suffix(".conf").unwrap_or(config);
        std::fs::read_to_string(self.path(&format!("{stem}.{daemon}.pid")))
            .ok()
            .and_then(|t| t.trim().parse().ok())
    }

    /// Sends one command to the control socket `socket` and returns the answer.
    fn command(&self, socket: &str, cmd: &Value) -> Value {
        let mut s = UnixStream::connect(self.path(socket)).expect("connect control socket");
        s.set_read_timeout(Some(DEADLINE)).expect("socket timeout");
        s.write_all(cmd.to_string().as_bytes())
            .expect("send command");
        s.shutdown(std::net::Shutdown::Write).ok();
        let mut out = String::new();
        s.read_to_string(&mut out).expect("read answer");
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("bad answer {out:?}: {e}"))
    }

    /// Every daemon log in the suite's directory, for failure messages.
    fn logs(&self) -> String {
        let mut text = String::new();
        let Ok(entries) = std::fs::read_dir(self.dir.path()) else {
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
}

impl Drop for Suite {
    fn drop(&mut self) {
        self.keactrl(&["stop"]);
        // A server that ignored SIGTERM: kill it by its PID file (only ours live here).
        let Ok(entries) = std::fs::read_dir(self.dir.path()) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "pid")
                && let Ok(text) = std::fs::read_to_string(&path)
                && let Ok(pid) = text.trim().parse::<u32>()
            {
                let _ = Command::new("kill")
                    .args(["-KILL", &pid.to_string()])
                    .status();
            }
        }
    }
}

/// A kea-dhcp4 configuration serving nobody (no interfaces), with its control socket, lease
/// file and log in `dir`.
fn dhcp4_config(dir: &Path, valid_lifetime: u32) -> String {
    let d = dir.display();
    format!(
        r#"{{ "Dhcp4": {{
    "interfaces-config": {{ "interfaces": [ ], "dhcp-socket-type": "udp" }},
    "control-socket": {{ "socket-type": "unix", "socket-name": "{d}/kea4.sock" }},
    "lease-database": {{ "type": "memfile", "persist": true, "name": "{d}/leases4.csv", "lfc-interval": 0 }},
    "valid-lifetime": {valid_lifetime},
    "loggers": [ {{ "name": "kea-dhcp4", "severity": "INFO",
                    "output_options": [ {{ "output": "{d}/kea-dhcp4.log" }} ] }} ]
}} }}"#
    )
}

/// A kea-dhcp6 configuration serving nobody, files in `dir`.
fn dhcp6_config(dir: &Path) -> String {
    let d = dir.display();
    format!(
        r#"{{ "Dhcp6": {{
    "interfaces-config": {{ "interfaces": [ ] }},
    "control-socket": {{ "socket-type": "unix", "socket-name": "{d}/kea6.sock" }},
    "lease-database": {{ "type": "memfile", "persist": true, "name": "{d}/leases6.csv", "lfc-interval": 0 }},
    "data-directory": "{d}",
    "loggers": [ {{ "name": "kea-dhcp6", "severity": "INFO",
                    "output_options": [ {{ "output": "{d}/kea-dhcp6.log" }} ] }} ]
}} }}"#
    )
}

/// A kea-dhcp-ddns configuration listening on the loopback `port`, no zones.
fn ddns_config(dir: &Path, port: u16) -> String {
    let d = dir.display();
    format!(
        r#"{{ "DhcpDdns": {{
    "ip-address": "127.0.0.1", "port": {port},
    "control-socket": {{ "socket-type": "unix", "socket-name": "{d}/d2.sock" }},
    "tsig-keys": [ ],
    "forward-ddns": {{ "ddns-domains": [ ] }}, "reverse-ddns": {{ "ddns-domains": [ ] }},
    "loggers": [ {{ "name": "kea-dhcp-ddns", "severity": "INFO",
                    "output_options": [ {{ "output": "{d}/kea-dhcp-ddns.log" }} ] }} ]
}} }}"#
    )
}

/// A kea-ctrl-agent configuration on the loopback `port`, forwarding to kea-dhcp4.
fn ctrl_agent_config(dir: &Path, port: u16) -> String {
    let d = dir.display();
    format!(
        r#"{{ "Control-agent": {{
    "http-host": "127.0.0.1", "http-port": {port},
    "control-sockets": {{ "dhcp4": {{ "socket-type": "unix", "socket-name": "{d}/kea4.sock" }} }},
    "loggers": [ {{ "name": "kea-ctrl-agent", "severity": "INFO",
                    "output_options": [ {{ "output": "{d}/kea-ctrl-agent.log" }} ] }} ]
}} }}"#
    )
}

/// kea-dhcp4's current valid-lifetime, by `config-get`.
fn valid_lifetime(suite: &Suite) -> Option<i64> {
    let answer = suite.command("kea4.sock", &json!({ "command": "config-get" }));
    answer["arguments"]["Dhcp4"]["valid-lifetime"].as_i64()
}

#[test]
fn dhcp4_start_status_reload_stop_version() {
    let Some(dhcp4) = built("kea-dhcp4") else {
        skip(
            "dhcp4_start_status_reload_stop_version",
            "no built kea-dhcp4",
        );
        return;
    };
    let suite = Suite::new("");
    let config = suite.write("kea-dhcp4.conf", &dhcp4_config(suite.dir.path(), 3600));
    std::fs::write(
        &suite.conf,
        format!(
            "# test installation\nkea_dhcp4_config_file={}\ndhcp4_srv={}\n\
             dhcp4=yes\ndhcp6=no\ndhcp_ddns=no\nctrl_agent=no\nnetconf=no\nkea_verbose=no\n",
            config.display(),
            dhcp4.display()
        ),
    )
    .expect("write keactrl.conf");
    let pid_file = suite.path("kea-dhcp4.kea-dhcp4.pid");

    // Nothing runs yet: status says so and names the files in use.
    let status = suite.ok(&["status"]);
    let expected_head = [
        "DHCPv4 server: inactive",
        "DHCPv6 server: inactive",
        "DHCP DDNS: inactive",
        "Control Agent: inactive",
    ];
    assert_eq!(status.lines().take(4).collect::<Vec<_>>(), expected_head);
    assert!(
        status
            .lines()
            .any(|l| l == format!("Kea DHCPv4 configuration file: {}", config.display())),
        "{status}"
    );
    assert!(
        status
            .lines()
            .any(|l| l == format!("keactrl configuration file: {}", suite.conf.display())),
        "{status}"
    );

    // Start: one line per started server, without -d (kea_verbose=no).
    let out = suite.ok(&["start"]);
    assert_eq!(
        out,
        format!("INFO/keactrl: Starting kea-dhcp4 -c {}\n", config.display())
    );
    suite.wait_status("DHCPv4 server: active");
    let pid = suite
        .pid("kea-dhcp4.conf", "kea-dhcp4")
        .expect("PID file written");

    // A second start leaves the running server alone and says where it is.
    let out = suite.ok(&["start"]);
    assert_eq!(
        out,
        format!(
            "INFO/keactrl: kea-dhcp4 appears to be running, see: PID {pid}, PID file: {}.\n",
            pid_file.display()
        )
    );
    // A server disabled in keactrl.conf is not started, even when selected.
    assert_eq!(suite.ok(&["start", "-s", "dhcp6"]), "");

    // Reload: the changed configuration is in force and the same process still runs.
    assert_eq!(valid_lifetime(&suite), Some(3600));
    suite.write("kea-dhcp4.conf", &dhcp4_config(suite.dir.path(), 7200));
    assert_eq!(
        suite.ok(&["reload"]),
        "INFO/keactrl: Reloading kea-dhcp4...\n"
    );
    let start = Instant::now();
    while valid_lifetime(&suite) != Some(7200) {
        assert!(
            start.elapsed() < DEADLINE,
            "reload not applied:\n{}",
            suite.logs()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    suite.wait_status("DHCPv4 server: active");
    assert_eq!(suite.pid("kea-dhcp4.conf", "kea-dhcp4"), Some(pid));

    // Version: keactrl's and the installed servers'.
    let out = suite.ok(&["version"]);
    assert_eq!(
        out,
        format!("keactrl: {VERSION}\nkea-dhcp4: {VERSION}\n"),
        "{out}"
    );

    // Stop: keactrl returns once the server has exited; its PID file is gone.
    let out = suite.ok(&["stop", "-s", "dhcp4"]);
    assert_eq!(out, "INFO/keactrl: Stopping kea-dhcp4...\n");
    let status = suite.ok(&["status"]);
    assert!(status.starts_with("DHCPv4 server: inactive\n"), "{status}");
    assert!(!pid_file.exists(), "PID file left behind");

    // Stopping or reloading a stopped server only says so.
    assert_eq!(
        suite.ok(&["stop", "-s", "dhcp4"]),
        "INFO/keactrl: kea-dhcp4 isn't running.\n"
    );
    assert_eq!(
        suite.ok(&["reload"]),
        "INFO/keactrl: kea-dhcp4 isn't running.\n"
    );
}

#[test]
fn every_built_server_starts_and_stops() {
    let Some(dhcp4) = built("kea-dhcp4") else {
        skip("every_built_server_starts_and_stops", "no built kea-dhcp4");
        return;
    };
    let suite = Suite::new("");
    let dir = suite.dir.path();
    // (keyword, daemon, status label, binary, configuration)
    let mut servers = vec![(
        "dhcp4",
        "kea-dhcp4",
        "DHCPv4 server",
        dhcp4,
        dhcp4_config(dir, 3600),
    )];
    let optional = [
        ("dhcp6", "kea-dhcp6", "DHCPv6 server"),
        ("dhcp_ddns", "kea-dhcp-ddns", "DHCP DDNS"),
        ("ctrl_agent", "kea-ctrl-agent", "Control Agent"),
    ];
    for (key, daemon, label) in optional {
        match built(daemon) {
            Some(bin) => {
                let config = match key {
                    "dhcp6" => dhcp6_config(dir),
                    "dhcp_ddns" => ddns_config(dir, free_udp_port()),
                    _ => ctrl_agent_config(dir, free_tcp_port()),
                };
                servers.push((key, daemon, label, bin, config));
            }
            None => eprintln!("note: no built {daemon}; testing keactrl without it"),
        }
    }

    // Every server enabled, verbose: keactrl passes -d.
    let mut settings = String::from("kea_verbose=yes\n");
    for (key, daemon, _, bin, config) in &servers {
        let path = suite.write(&format!("{daemon}.conf"), config);
        settings.push_str(&format!(
            "{key}=yes\n{key}_srv={}\nkea_{key}_config_file={}\n",
            bin.display(),
            path.display()
        ));
    }
    for (key, _, _) in optional {
        if !servers.iter().any(|s| s.0 == key) {
            settings.push_str(&format!("{key}=no\n"));
        }
    }
    std::fs::write(&suite.conf, settings).expect("write keactrl.conf");

    let out = suite.ok(&["start"]);
    for (_, daemon, _, _, _) in &servers {
        let line = format!(
            "INFO/keactrl: Starting {daemon} -c {} -d",
            suite.path(&format!("{daemon}.conf")).display()
        );
        assert!(out.lines().any(|l| l == line), "no '{line}' in:\n{out}");
    }
    for (_, _, label, _, _) in &servers {
        suite.wait_status(&format!("{label}: active"));
    }

    // -s narrows stop to the named server; the others keep running.
    assert_eq!(
        suite.ok(&["stop", "-s", "dhcp4"]),
        "INFO/keactrl: Stopping kea-dhcp4...\n"
    );
    let status = suite.ok(&["status"]);
    assert!(status.contains("DHCPv4 server: inactive\n"), "{status}");
    for (_, _, label, _, _) in servers.iter().skip(1) {
        assert!(status.contains(&format!("{label}: active\n")), "{status}");
    }

    // A plain stop reaches every server, running or not.
    let out = suite.ok(&["stop"]);
    assert!(
        out.contains("INFO/keactrl: kea-dhcp4 isn't running.\n"),
        "{out}"
    );
    for (_, daemon, _, _, _) in servers.iter().skip(1) {
        assert!(
            out.contains(&format!("INFO/keactrl: Stopping {daemon}...\n")),
            "{out}"
        );
    }
    let status = suite.ok(&["status"]);
    for (_, _, label, _, _) in &servers {
        assert!(status.contains(&format!("{label}: inactive\n")), "{status}");
    }
}

#[test]
fn usage_errors_exit_1() {
    let suite = Suite::new("dhcp4=no\ndhcp6=no\nctrl_agent=no\n");

    let run = suite.keactrl(&["bogus"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("ERROR/keactrl: invalid command: bogus"),
        "{}",
        run.stderr
    );

    let run = suite.keactrl(&["status", "-s", "dhcp4,dhcp5"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("ERROR/keactrl: invalid server name: dhcp5"),
        "{}",
        run.stderr
    );

    let run = suite.keactrl(&[]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("Usage: keactrl <command>"),
        "{}",
        run.stderr
    );

    // A missing keactrl.conf is an error naming it.
    let missing = suite.path("nope.conf");
    let out = Command::new("sh")
        .arg(keactrl_script())
        .args(["status", "-c"])
        .arg(&missing)
        .output()
        .expect("run keactrl");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&missing.display().to_string()), "{stderr}");

    // netconf is a known keyword, ignored: this suite has no kea-netconf.
    let run = suite.keactrl(&["stop", "-s", "netconf"]);
    assert_eq!((run.code, run.stdout.as_str()), (Some(0), ""));

    // -h prints the usage and succeeds.
    let run = suite.keactrl(&["-h"]);
    assert_eq!(run.code, Some(0));
    assert!(run.stdout.starts_with("Usage: keactrl"), "{}", run.stdout);
}
