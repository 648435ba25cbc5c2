//! Real-world tests: real DHCPv4 clients (ISC dhclient, dhcpcd, busybox udhcpc) and ISC
//! dhcrelay against kea-dhcp4 with raw sockets (ARM "DHCPv4 Server": interface configuration,
//! lease allocation, renewal, release, relayed traffic, host reservations).
//!
//! Each test builds its own network namespaces joined by veth pairs (see `netns`): the
//! server on 192.0.2.1/24 in one, the client (and, for the relayed case, dhcrelay) in
//! others, using the standard ports 67/68. The server's memfile CSV, its statistics (over the
//! control socket) and the address the client's event script configured are checked.
//!
//! The tests skip with a note when not root or a program is missing, and fail instead when
//! `CI=true`. `KEA_RW_DHCP4=/usr/sbin/kea-dhcp4` runs the same tests against Kea 2.2, to
//! compare the two servers.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};
use tempfile::TempDir;

use crate::netns::{Netns, Proc, can_run, run_bounded, veth, wait_until};

/// The server's address on its link.
const SERVER: &str = "192.0.2.1";

/// Short timers, so that a client renews within the test.
const SHORT_TIMERS: &str = r#" "valid-lifetime": 20, "renew-timer": 5, "rebind-timer": 15, "#;

/// One subnet on the server's link, with a reservation for the MAC [`RESERVED_MAC`].
const LINK_SUBNET: &str = r#"
    "subnet4": [ { "id": 1, "subnet": "192.0.2.0/24",
        "pools": [ { "pool": "192.0.2.10 - 192.0.2.200" } ],
        "option-data": [ { "name": "routers", "data": "192.0.2.1" } ],
        "reservations": [ { "hw-address": "1a:1b:1c:1d:1e:1f",
                            "ip-address": "192.0.2.201", "hostname": "printer" } ] } ]
"#;

/// The MAC address reserved in [`LINK_SUBNET`].
const RESERVED_MAC: &str = "1a:1b:1c:1d:1e:1f";

/// The server under test: ours, or another binary named by `KEA_RW_DHCP4`.
fn server_binary() -> OsString {
    std::env::var_os("KEA_RW_DHCP4")
        .filter(|b| !b.is_empty())
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_kea-dhcp4").into())
}

/// One row of the memfile lease file.
#[derive(Debug, Clone, PartialEq)]
struct LeaseRow {
    address: String,
    hwaddr: String,
    client_id: String,
    valid_lifetime: u32,
    expire: u64,
    subnet_id: u32,
    hostname: String,
}

impl LeaseRow {
    fn parse(line: &str) -> LeaseRow {
        let f: Vec<&str> = line.split(',').collect();
        assert!(f.len() >= 10, "short lease row {line:?}");
        LeaseRow {
            address: f[0].into(),
            hwaddr: f[1].into(),
            client_id: f[2].into(),
            valid_lifetime: f[3].parse().expect("valid_lifetime"),
            expire: f[4].parse().expect("expire"),
            subnet_id: f[5].parse().expect("subnet_id"),
            hostname: f[8].into(),
        }
    }
}

/// kea-dhcp4 running in a namespace with raw sockets on one interface.
struct Kea {
    /// Held so that dropping `Kea` stops the server.
    _proc: Proc,
    dir: PathBuf,
}

impl Kea {
    /// Starts the server on `iface` with `body` as the rest of the `Dhcp4` map; waits for
    /// DHCP4_STARTED (10 s).
    fn start(ns: &Netns, iface: &str, body: &str, dir: &Path) -> Kea {
        let d = dir.display();
        let config = format!(
            r#"{{ "Dhcp4": {{
                "interfaces-config": {{ "interfaces": [ "{iface}" ], "dhcp-socket-type": "raw" }},
                "control-socket": {{ "socket-type": "unix", "socket-name": "{d}/kea4.sock" }},
                "lease-database": {{ "type": "memfile", "name": "{d}/leases4.csv", "lfc-interval": 0 }},
                "loggers": [ {{ "name": "kea-dhcp4", "severity": "DEBUG", "debuglevel": 99,
                               "output_options": [ {{ "output": "stdout" }} ] }} ],
                {body}
            }} }}"#
        );
        let conf = dir.join("kea-dhcp4.conf");
        std::fs::write(&conf, config).expect("write server config");
        let mut cmd = ns.command(server_binary());
        cmd.arg("-c")
            .arg(&conf)
            .env("KEA_PIDFILE_DIR", dir)
            .env("KEA_LOCKFILE_DIR", dir);
        let mut proc = Proc::spawn("kea-dhcp4", cmd, &dir.join("kea-dhcp4.log"));
        wait_until(10, "DHCP4_STARTED", || {
            if let Some(status) = proc.exited() {
                panic!("kea-dhcp4 exited ({status}):\n{}", proc.output());
            }
            proc.output().contains("DHCP4_STARTED")
        });
        Kea {
            _proc: proc,
            dir: dir.to_path_buf(),
        }
    }

    /// The lease file's rows, oldest first.
    fn leases(&self) -> Vec<LeaseRow> {
        std::fs::read_to_string(self.dir.join("leases4.csv"))
            .unwrap_or_default()
            .lines()
            .skip(1)
            .filter(|l| !l.is_empty())
            .map(LeaseRow::parse)
            .collect()
    }

    /// Waits (at most `secs` s) for a row satisfying `pred`; returns the first such.
    fn wait_lease(&self, secs: u64, what: &str, pred: impl Fn(&LeaseRow) -> bool) -> LeaseRow {
        let mut found = None;
        let what = format!("a lease row with {what}");
        wait_until(secs, &what, || {
            found = self.leases().into_iter().find(|r| pred(r));
            found.is_some()
        });
        found.expect("found")
    }

    /// Sends one command over the control socket.
    fn command(&self, cmd: &Value) -> Value {
        let mut s = UnixStream::connect(self.dir.join("kea4.sock")).expect("connect control");
        s.set_read_timeout(Some(Duration::from_secs(5)))
            .expect("timeout");
        s.write_all(cmd.to_string().as_bytes())
            .expect("send command");
        let _ = s.shutdown(std::net::Shutdown::Write);
        let mut out = String::new();
        s.read_to_string(&mut out).expect("read answer");
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("bad answer {out:?}: {e}"))
    }

    /// An integer statistic's current value (`statistic-get`), -1 when absent.
    fn stat(&self, name: &str) -> i64 {
        let a = self.command(&json!({ "command": "statistic-get", "arguments": { "name": name } }));
        a["arguments"][name][0][0].as_i64().unwrap_or(-1)
    }

    /// Waits (10 s at most) until a statistic has the value `want`.
    fn wait_stat(&self, name: &str, want: i64) {
        let what = format!("{name} = {want}");
        wait_until(10, &what, || self.stat(name) == want);
    }
}

/// One call of a client's event script.
#[derive(Debug, Clone, Default)]
struct Event {
    reason: String,
    ip: String,
    mask: String,
    router: String,
    hostname: String,
    lease: String,
}

/// The log the event scripts append to, one tab-separated line per call, read in order.
struct Events {
    path: PathBuf,
    seen: usize,
}

impl Events {
    fn new(dir: &Path) -> Events {
        Events {
            path: dir.join("events"),
            seen: 0,
        }
    }

    fn all(&self) -> Vec<Event> {
        std::fs::read_to_string(&self.path)
            .unwrap_or_default()
            .lines()
            .map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                let get = |i: usize| f.get(i).map(|s| s.to_string()).unwrap_or_default();
                Event {
                    reason: get(0),
                    ip: get(1),
                    mask: get(2),
                    router: get(3).split_whitespace().next().unwrap_or("").into(),
                    hostname: get(4),
                    lease: get(5),
                }
            })
            .collect()
    }

    /// Waits (at most `secs` s) for the next event with one of `reasons` after those already
    /// returned, and returns it.
    fn next(&mut self, reasons: &[&str], secs: u64) -> Event {
        let mut found = None;
        let what = format!("a client event {reasons:?} (after #{})", self.seen);
        wait_until(secs, &what, || {
            let all = self.all();
            if let Some((i, e)) = all
                .iter()
                .enumerate()
                .skip(self.seen)
                .find(|(_, e)| reasons.contains(&e.reason.as_str()))
            {
                found = Some((i, e.clone()));
            }
            found.is_some()
        });
        let (i, e) = found.expect("found");
        self.seen = i + 1;
        e
    }
}

impl Drop for Events {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "---- client events ----\n{}",
                std::fs::read_to_string(&self.path).unwrap_or_default()
            );
        }
    }
}

fn write_script(path: &Path, text: &str) {
    std::fs::write(path, text).expect("write script");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// Shell function: dotted netmask to prefix length.
const PREFIX_FN: &str = r#"prefix() { n=0; for o in $(echo "$1" | tr . ' '); do case $o in
255) n=$((n+8));; 254) n=$((n+7));; 252) n=$((n+6));; 248) n=$((n+5));;
240) n=$((n+4));; 224) n=$((n+3));; 192) n=$((n+2));; 128) n=$((n+1));; esac; done; echo $n; }"#;

/// The event script for dhclient and dhcpcd (both pass `$reason` and `$new_*`): it records
/// the call and, when `configure` (dhclient, whose stock script would touch host files),
/// sets the address and default route itself. dhcpcd configures the interface on its own.
fn dhcp_script(dir: &Path, events: &Events, configure: bool) -> PathBuf {
    let path = dir.join(if configure {
        "dhclient-script"
    } else {
        "dhcpcd-script"
    });
    let configure = if configure {
        r#"case "$reason" in
BOUND|RENEW|REBIND|REBOOT)
  if [ -n "$old_ip_address" ] && [ "$old_ip_address" != "$new_ip_address" ]; then
    ip -4 addr flush dev "$interface" scope global
  fi
  ip addr replace "$new_ip_address/$(prefix "$new_subnet_mask")" dev "$interface"
  for r in $new_routers; do ip route replace default via "$r" dev "$interface"; break; done ;;
EXPIRE|FAIL|RELEASE|STOP)
  ip -4 addr flush dev "$interface" scope global ;;
esac"#
    } else {
        ""
    };
    write_script(
        &path,
        &format!(
            "#!/bin/sh\n{PREFIX_FN}\n{configure}\nprintf '%s\\t%s\\t%s\\t%s\\t%s\\t%s\\n' \
             \"$reason\" \"$new_ip_address\" \"$new_subnet_mask\" \"$new_routers\" \
             \"$new_host_name\" \"$new_dhcp_lease_time\" >> '{}'\nexit 0\n",
            events.path.display()
        ),
    );
    path
}

/// ISC dhclient with private files (config, lease file, PID file, DUID file, script).
struct Dhclient {
    args: Vec<OsString>,
    dir: PathBuf,
}

impl Dhclient {
    /// Prepares the files; `hostname` is sent as option 12 when given.
    fn new(dir: &Path, events: &Events, hostname: Option<&str>) -> Dhclient {
        let conf = dir.join("dhclient.conf");
        let send = hostname.map_or(String::new(), |h| format!("send host-name \"{h}\";\n"));
        std::fs::write(
            &conf,
            format!(
                "{send}request subnet-mask, broadcast-address, routers, domain-name, \
                 domain-name-servers, host-name;\n"
            ),
        )
        .expect("write dhclient.conf");
        let leases = dir.join("dhclient.leases");
        std::fs::write(&leases, "").expect("create dhclient lease file");
        let script = dhcp_script(dir, events, true);
        let mut args: Vec<OsString> = vec!["-4".into(), "-v".into(), "-cf".into(), conf.into()];
        for (flag, path) in [
            ("-lf", leases),
            ("-pf", dir.join("dhclient.pid")),
            ("-df", dir.join("dhclient.duid")),
            ("-sf", script),
        ] {
            args.push(flag.into());
            args.push(path.into());
        }
        Dhclient {
            args,
            dir: dir.to_path_buf(),
        }
    }

    /// Starts dhclient in the foreground on `iface`.
    fn start(&self, ns: &Netns, iface: &str) -> Proc {
        let mut cmd = ns.command("dhclient");
        cmd.arg("-d").args(&self.args).arg(iface);
        Proc::spawn("dhclient", cmd, &self.dir.join("dhclient.log"))
    }

    /// `dhclient -r`: stops the running dhclient `running` (found through the PID file) and
    /// releases the lease. Should the old process outlive that (dhclient's business, not
    /// the server's), it is stopped by its PID, with a note.
    fn release(&self, ns: &Netns, iface: &str, running: &mut Proc) {
        let mut cmd = ns.command("dhclient");
        cmd.arg("-r").args(&self.args).arg(iface);
        let out = run_bounded(cmd, &self.dir, 15);
        assert!(
            out.status.success(),
            "dhclient -r failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        for _ in 0..100 {
            if running.exited().is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        eprintln!(
            "note: dhclient (PID {}) still ran 5 s after `dhclient -r`; stopping it\n\
             dhclient -r said: {}{}",
            running.pid(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        running.signal("TERM");
        running.wait_exit(5);
    }
}

/// A server namespace with [`SERVER`]/24 and a client namespace, joined by a veth pair.
struct Link {
    client: Netns,
    server: Netns,
    client_if: String,
    server_if: String,
}

impl Link {
    fn new(dir: &Path) -> Link {
        let server = Netns::new("s", dir);
        let client = Netns::new("c", dir);
        let (server_if, client_if) = veth(&server, &client);
        server.ip(&["addr", "add", &format!("{SERVER}/24"), "dev", &server_if]);
        Link {
            client,
            server,
            client_if,
            server_if,
        }
    }
}

/// Whether `ip` lies in 192.0.2.10 - 192.0.2.200 (the pool of [`LINK_SUBNET`]).
fn in_link_pool(ip: &str) -> bool {
    ip.strip_prefix("192.0.2.")
        .and_then(|h| h.parse::<u8>().ok())
        .is_some_and(|h| (10..=200).contains(&h))
}

#[test]
fn dhclient_gets_renews_and_releases_a_lease() {
    if !can_run("dhclient", &["ip", "dhclient"]) {
        return;
    }
    let dir = TempDir::new().expect("tempdir");
    let d = dir.path();
    let link = Link::new(d);
    let kea = Kea::start(
        &link.server,
        &link.server_if,
        &format!("{SHORT_TIMERS}{LINK_SUBNET}"),
        d,
    );
    let mut events = Events::new(d);
    let dhclient = Dhclient::new(d, &events, Some("rw-dhclient"));
    let mut client = dhclient.start(&link.client, &link.client_if);
    let mac = link.client.mac(&link.client_if);

    // Lease: the client configured an address of the pool, the server stored the lease.
    let bound = events.next(&["BOUND"], 20);
    assert!(in_link_pool(&bound.ip), "{bound:?}");
    assert_eq!(bound.mask, "255.255.255.0");
    assert_eq!(bound.router, SERVER);
    assert_eq!(bound.lease, "20");
    assert_eq!(
        link.client.addrs4(&link.client_if),
        vec![format!("{}/24", bound.ip)]
    );
    let first = kea.wait_lease(5, &bound.ip, |r| r.address == bound.ip);
    assert_eq!(first.hwaddr, mac);
    assert_eq!(first.valid_lifetime, 20);
    assert_eq!(first.subnet_id, 1);
    assert_eq!(first.hostname, "rw-dhclient");
    kea.wait_stat("subnet[1].assigned-addresses", 1);

    // Renewal at T1 (5 s): unicast REQUEST, a new row with a later expiry.
    let renew = events.next(&["RENEW"], 15);
    assert_eq!(renew.ip, bound.ip);
    let renewed = kea.wait_lease(5, "a later expiry", |r| {
        r.address == bound.ip && r.valid_lifetime == 20 && r.expire > first.expire
    });
    assert_eq!(renewed.hwaddr, mac);
    kea.wait_stat("subnet[1].assigned-addresses", 1);

    // Release: `dhclient -r` stops the running client and sends a RELEASE.
    dhclient.release(&link.client, &link.client_if, &mut client);
    events.next(&["RELEASE"], 5);
    let released = kea.wait_lease(5, "valid_lifetime 0", |r| {
        r.address == bound.ip && r.valid_lifetime == 0
    });
    assert_eq!(released.hwaddr, mac);
    kea.wait_stat("subnet[1].assigned-addresses", 0);
    assert!(link.client.addrs4(&link.client_if).is_empty());
    assert_eq!(kea.stat("pkt4-release-received"), 1);
}

#[test]
fn dhcpcd_gets_renews_and_releases_a_lease() {
    if !can_run("dhcpcd", &["ip", "dhcpcd", "unshare", "nsenter", "mount"]) {
        return;
    }
    assert!(
        Path::new("/var/lib/dhcpcd").is_dir(),
        "dhcpcd-base creates /var/lib/dhcpcd, the mount point of the private state dir"
    );
    let dir = TempDir::new().expect("tempdir");
    let d = dir.path();
    let link = Link::new(d);
    let kea = Kea::start(
        &link.server,
        &link.server_if,
        &format!(
            r#" "valid-lifetime": 120, "renew-timer": 60, "rebind-timer": 100, {LINK_SUBNET}"#
        ),
        d,
    );
    let mut events = Events::new(d);
    let script = dhcp_script(d, &events, false);
    let state = d.join("dhcpcd-state");
    std::fs::create_dir(&state).expect("state dir");
    let conf = d.join("dhcpcd.conf");
    std::fs::write(&conf, "clientid\noption host_name\n").expect("dhcpcd.conf");
    // dhcpcd keeps its state in /var/lib/dhcpcd and /run/dhcpcd: a private mount namespace
    // puts scratch directories there.
    // /etc/resolv.conf is covered too, so that nothing dhcpcd does reaches the host's.
    let resolv = d.join("resolv.conf");
    std::fs::write(&resolv, "").expect("scratch resolv.conf");
    let mut cmd = link.client.command("unshare");
    cmd.args(["-m", "--propagation", "private", "sh", "-c"])
        .arg(format!(
            "mount --bind '{}' /var/lib/dhcpcd && mount -t tmpfs tmpfs /run && \
         mount --bind '{}' /etc/resolv.conf && \
         exec dhcpcd -B -4 -L -A -t 20 -f '{}' -c '{}' {}",
            state.display(),
            resolv.display(),
            conf.display(),
            script.display(),
            link.client_if
        ));
    let mut client = Proc::spawn("dhcpcd", cmd, &d.join("dhcpcd.log"));
    let mac = link.client.mac(&link.client_if);
    // Control commands run in the client's network and mount namespaces.
    let control = |flag: &str| {
        let mut c = std::process::Command::new("nsenter");
        c.args([
            "-t",
            &client.pid().to_string(),
            "-m",
            "-n",
            "dhcpcd",
            "-4",
            flag,
        ])
        .arg(&link.client_if)
        .env("PATH", crate::netns::PATH);
        let out = run_bounded(c, d, 15);
        assert!(
            out.status.success(),
            "dhcpcd {flag}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };

    let bound = events.next(&["BOUND"], 20);
    assert!(in_link_pool(&bound.ip), "{bound:?}");
    assert_eq!(bound.lease, "120");
    assert_eq!(
        link.client.addrs4(&link.client_if),
        vec![format!("{}/24", bound.ip)]
    );
    let first = kea.wait_lease(5, &bound.ip, |r| r.address == bound.ip);
    assert_eq!(first.hwaddr, mac);
    assert_eq!(
        first.client_id,
        format!("01:{mac}"),
        "dhcpcd's clientid is 01 + MAC"
    );
    assert_eq!(first.valid_lifetime, 120);
    kea.wait_stat("subnet[1].assigned-addresses", 1);

    // Renewal on demand (`dhcpcd -N`), a second later so the expiry moves.
    std::thread::sleep(Duration::from_millis(1100));
    control("-N");
    let renew = events.next(&["RENEW"], 15);
    assert_eq!(renew.ip, bound.ip);
    kea.wait_lease(5, "a later expiry", |r| {
        r.address == bound.ip && r.valid_lifetime == 120 && r.expire > first.expire
    });

    // Release (`dhcpcd -k`): dhcpcd sends a RELEASE, deconfigures and exits.
    control("-k");
    events.next(&["STOPPED"], 10);
    client.wait_exit(10);
    let released = kea.wait_lease(5, "valid_lifetime 0", |r| {
        r.address == bound.ip && r.valid_lifetime == 0
    });
    assert_eq!(released.hwaddr, mac);
    kea.wait_stat("subnet[1].assigned-addresses", 0);
    assert!(link.client.addrs4(&link.client_if).is_empty());
}

#[test]
fn udhcpc_gets_renews_and_releases_a_lease() {
    if !can_run("udhcpc", &["ip", "udhcpc"]) {
        return;
    }
    let dir = TempDir::new().expect("tempdir");
    let d = dir.path();
    let link = Link::new(d);
    let kea = Kea::start(
        &link.server,
        &link.server_if,
        &format!(
            r#" "valid-lifetime": 120, "renew-timer": 60, "rebind-timer": 100, {LINK_SUBNET}"#
        ),
        d,
    );
    let mut events = Events::new(d);
    // udhcpc passes the event as $1 and the lease as $ip, $mask (prefix length), $router...
    let script = d.join("udhcpc-script");
    write_script(
        &script,
        &format!(
            r#"#!/bin/sh
reason="$1"
case "$reason" in
bound|renew) ip addr replace "$ip/$mask" dev "$interface"
  for r in $router; do ip route replace default via "$r" dev "$interface"; break; done ;;
deconfig) ip -4 addr flush dev "$interface" scope global ;;
esac
printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$reason" "$ip" "$subnet" "$router" "$hostname" "$lease" >> '{}'
exit 0
"#,
            events.path.display()
        ),
    );
    let mut cmd = link.client.command("udhcpc");
    cmd.args([
        "-f",
        "-i",
        &link.client_if,
        "-t",
        "10",
        "-T",
        "2",
        "-A",
        "2",
        "-s",
    ])
    .arg(&script);
    let mut client = Proc::spawn("udhcpc", cmd, &d.join("udhcpc.log"));
    let mac = link.client.mac(&link.client_if);

    let bound = events.next(&["bound"], 20);
    assert!(in_link_pool(&bound.ip), "{bound:?}");
    assert_eq!(bound.mask, "255.255.255.0");
    assert_eq!(bound.router, SERVER);
    assert_eq!(bound.lease, "120");
    assert_eq!(
        link.client.addrs4(&link.client_if),
        vec![format!("{}/24", bound.ip)]
    );
    let first = kea.wait_lease(5, &bound.ip, |r| r.address == bound.ip);
    assert_eq!(first.hwaddr, mac);
    assert_eq!(
        first.client_id,
        format!("01:{mac}"),
        "udhcpc sends 01 + MAC"
    );
    kea.wait_stat("subnet[1].assigned-addresses", 1);

    // SIGUSR1 renews (a unicast REQUEST from the bound address).
    std::thread::sleep(Duration::from_millis(1100));
    client.signal("USR1");
    let renew = events.next(&["renew"], 15);
    assert_eq!(renew.ip, bound.ip);
    kea.wait_lease(5, "a later expiry", |r| {
        r.address == bound.ip && r.valid_lifetime == 120 && r.expire > first.expire
    });

    // SIGUSR2 releases (and deconfigures); udhcpc then idles until SIGTERM.
    client.signal("USR2");
    events.next(&["deconfig"], 10);
    let released = kea.wait_lease(5, "valid_lifetime 0", |r| {
        r.address == bound.ip && r.valid_lifetime == 0
    });
    assert_eq!(released.hwaddr, mac);
    kea.wait_stat("subnet[1].assigned-addresses", 0);
    assert!(link.client.addrs4(&link.client_if).is_empty());
    client.signal("TERM");
    client.wait_exit(5);
}

#[test]
fn dhclient_behind_dhcrelay_gets_a_lease_from_the_giaddr_subnet() {
    if !can_run("dhcrelay", &["ip", "dhclient", "dhcrelay"]) {
        return;
    }
    let dir = TempDir::new().expect("tempdir");
    let d = dir.path();
    // server [192.0.2.1] --- [192.0.2.2] relay [10.0.0.1] --- client
    let server = Netns::new("s", d);
    let relay = Netns::new("r", d);
    let client_ns = Netns::new("c", d);
    let (server_if, relay_up) = veth(&server, &relay);
    let (relay_down, client_if) = veth(&relay, &client_ns);
    server.ip(&["addr", "add", "192.0.2.1/24", "dev", &server_if]);
    relay.ip(&["addr", "add", "192.0.2.2/24", "dev", &relay_up]);
    relay.ip(&["addr", "add", "10.0.0.1/24", "dev", &relay_down]);
    // A router: it forwards, and answers ARP only for the addresses of the interface asked.
    relay.sh("echo 1 > /proc/sys/net/ipv4/ip_forward && \
         echo 1 > /proc/sys/net/ipv4/conf/all/arp_ignore");
    // The server has no route to 10.0.0.0/24: as Kea 2.2 does with raw sockets, it sends
    // answers to the relay (giaddr) and to a renewing client (ciaddr) as frames to the
    // query's Ethernet source, so neither a route nor ARP is needed.
    let kea = Kea::start(
        &server,
        &server_if,
        &format!(
            r#"{SHORT_TIMERS}
            "subnet4": [
              {{ "id": 2, "subnet": "192.0.2.0/24",
                 "pools": [ {{ "pool": "192.0.2.10 - 192.0.2.20" }} ] }},
              {{ "id": 1, "subnet": "10.0.0.0/24",
                 "pools": [ {{ "pool": "10.0.0.10 - 10.0.0.20" }} ],
                 "option-data": [ {{ "name": "routers", "data": "10.0.0.1" }} ] }} ]"#
        ),
        d,
    );
    let mut cmd = relay.command("dhcrelay");
    cmd.args(["-d", "-4", "-pf"])
        .arg(d.join("dhcrelay.pid"))
        .args(["-iu", &relay_up, "-id", &relay_down, SERVER]);
    let _dhcrelay = Proc::spawn("dhcrelay", cmd, &d.join("dhcrelay.log"));
    let mut events = Events::new(d);
    let dhclient = Dhclient::new(d, &events, None);
    let mut client = dhclient.start(&client_ns, &client_if);
    let mac = client_ns.mac(&client_if);

    let bound = events.next(&["BOUND"], 25);
    assert!(bound.ip.starts_with("10.0.0."), "{bound:?}");
    assert_eq!(bound.router, "10.0.0.1");
    assert_eq!(
        client_ns.addrs4(&client_if),
        vec![format!("{}/24", bound.ip)]
    );
    let first = kea.wait_lease(5, &bound.ip, |r| r.address == bound.ip);
    assert_eq!(first.subnet_id, 1, "selected by giaddr 10.0.0.1");
    assert_eq!(first.hwaddr, mac);
    kea.wait_stat("subnet[1].assigned-addresses", 1);
    assert_eq!(kea.stat("subnet[2].assigned-addresses"), 0);

    // The renewal goes by unicast straight to the server, routed through the relay.
    events.next(&["RENEW"], 15);
    kea.wait_lease(5, "a later expiry", |r| {
        r.address == bound.ip && r.valid_lifetime == 20 && r.expire > first.expire
    });

    dhclient.release(&client_ns, &client_if, &mut client);
    let released = kea.wait_lease(5, "valid_lifetime 0", |r| {
        r.address == bound.ip && r.valid_lifetime == 0
    });
    assert_eq!(released.hwaddr, mac);
    kea.wait_stat("subnet[1].assigned-addresses", 0);
}

#[test]
fn dhclient_with_a_reserved_mac_gets_the_reserved_address_and_hostname() {
    if !can_run("reservation", &["ip", "dhclient"]) {
        return;
    }
    let dir = TempDir::new().expect("tempdir");
    let d = dir.path();
    let link = Link::new(d);
    link.client.ip(&["link", "set", &link.client_if, "down"]);
    link.client
        .ip(&["link", "set", &link.client_if, "address", RESERVED_MAC]);
    link.client.ip(&["link", "set", &link.client_if, "up"]);
    let kea = Kea::start(
        &link.server,
        &link.server_if,
        &format!(r#" "valid-lifetime": 600, {LINK_SUBNET}"#),
        d,
    );
    let mut events = Events::new(d);
    let dhclient = Dhclient::new(d, &events, None);
    let _client = dhclient.start(&link.client, &link.client_if);

    let bound = events.next(&["BOUND"], 20);
    assert_eq!(bound.ip, "192.0.2.201", "{bound:?}");
    assert_eq!(bound.hostname, "printer");
    assert_eq!(
        link.client.addrs4(&link.client_if),
        vec!["192.0.2.201/24".to_string()]
    );
    let row = kea.wait_lease(5, "192.0.2.201", |r| r.address == "192.0.2.201");
    assert_eq!(row.hwaddr, RESERVED_MAC);
    assert_eq!(row.hostname, "printer");
    assert_eq!(row.valid_lifetime, 600);
    kea.wait_stat("subnet[1].assigned-addresses", 1);
}
