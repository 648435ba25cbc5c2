//! Real-world tests: real DHCPv6 clients (ISC `dhclient -6`, with `-P` for prefix
//! delegation, and dhcpcd) against kea-dhcp6 on a real link (ARM "DHCPv6 Server": interface
//! configuration, address and prefix allocation, renewal, release, the memfile lease file).
//!
//! Each test builds its own network namespaces joined by a veth pair (see `netns`): the
//! server on 2001:db8:1::1/64 in one, the client in the other, both with duplicate address
//! detection off, the client talking from its link-local address to ff02::1:2 (ports
//! 546/547). The server has an EN server-id and a scratch `data-directory`
//! (REAL-WORLD-TESTING.md, "DHCPv6"). The server's memfile CSV, its statistics (over the
//! control socket) and what the client's event script saw are checked.
//!
//! The tests skip with a note when not root or a program is missing, and fail instead when
//! `CI=true`. `KEA_RW_DHCP6=/usr/sbin/kea-dhcp6` runs the same tests against Kea 2.2, to
//! compare the two servers.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};
use tempfile::TempDir;

use crate::netns::{Netns, Proc, can_run, run_bounded, veth, wait_until};

/// The server's global address on its link.
const SERVER: &str = "2001:db8:1::1";

/// The lease file header Kea 2.2 writes for DHCPv6 (memfile schema 4.0).
const HEADER6: &str = "address,duid,valid_lifetime,expire,subnet_id,pref_lifetime,lease_type,\
                       iaid,prefix_len,fqdn_fwd,fqdn_rev,hostname,hwaddr,state,user_context,\
                       hwtype,hwaddr_source";

/// Short timers, so that a client renews at T1 within the test.
const SHORT_TIMERS: &str = r#" "preferred-lifetime": 10, "valid-lifetime": 20,
    "renew-timer": 5, "rebind-timer": 8, "#;

/// Longer timers, for the clients renewed on demand.
const LONG_TIMERS: &str = r#" "preferred-lifetime": 60, "valid-lifetime": 120,
    "renew-timer": 30, "rebind-timer": 50, "#;

/// The subnet of the server's link (selected by its `interface`, since the clients talk from
/// link-local addresses), with an address pool, a prefix pool and a DNS server.
fn link_subnet(iface: &str) -> String {
    format!(
        r#" "option-data": [ {{ "name": "dns-servers", "data": "2001:db8:1::53" }} ],
        "subnet6": [ {{ "id": 1, "subnet": "2001:db8:1::/64", "interface": "{iface}",
            "pools": [ {{ "pool": "2001:db8:1::100 - 2001:db8:1::1ff" }} ],
            "pd-pools": [ {{ "prefix": "2001:db8:8::", "prefix-len": 48,
                            "delegated-len": 56 }} ] }} ]"#
    )
}

/// The server under test: ours, or another binary named by `KEA_RW_DHCP6`.
fn server_binary() -> OsString {
    std::env::var_os("KEA_RW_DHCP6")
        .filter(|b| !b.is_empty())
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_kea-dhcp6").into())
}

/// Lease types of the lease file (`lease_type` column).
const TYPE_NA: u8 = 0;
const TYPE_PD: u8 = 2;

/// One row of the memfile lease file.
#[derive(Debug, Clone, PartialEq)]
struct LeaseRow {
    address: String,
    duid: String,
    valid_lifetime: u32,
    expire: u64,
    subnet_id: u32,
    pref_lifetime: u32,
    lease_type: u8,
    iaid: u32,
    prefix_len: u8,
    hwaddr: String,
}

impl LeaseRow {
    fn parse(line: &str) -> LeaseRow {
        let f: Vec<&str> = line.split(',').collect();
        assert!(f.len() >= 15, "short lease row {line:?}");
        LeaseRow {
            address: f[0].into(),
            duid: f[1].into(),
            valid_lifetime: f[2].parse().expect("valid_lifetime"),
            expire: f[3].parse().expect("expire"),
            subnet_id: f[4].parse().expect("subnet_id"),
            pref_lifetime: f[5].parse().expect("pref_lifetime"),
            lease_type: f[6].parse().expect("lease_type"),
            iaid: f[7].parse().expect("iaid"),
            prefix_len: f[8].parse().expect("prefix_len"),
            hwaddr: f[12].into(),
        }
    }
}

/// kea-dhcp6 running in a namespace on one interface.
struct Kea {
    /// Held so that dropping `Kea` stops the server.
    _proc: Proc,
    dir: PathBuf,
}

impl Kea {
    /// Starts the server on `iface` with `body` as the rest of the `Dhcp6` map; waits for
    /// DHCP6_STARTED (10 s).
    fn start(ns: &Netns, iface: &str, body: &str, dir: &Path) -> Kea {
        let d = dir.display();
        let config = format!(
            r#"{{ "Dhcp6": {{
                "interfaces-config": {{ "interfaces": [ "{iface}" ] }},
                "control-socket": {{ "socket-type": "unix", "socket-name": "{d}/kea6.sock" }},
                "lease-database": {{ "type": "memfile", "name": "{d}/leases6.csv", "lfc-interval": 0 }},
                "server-id": {{ "type": "EN", "enterprise-id": 2495, "identifier": "0102" }},
                "data-directory": "{d}",
                "loggers": [ {{ "name": "kea-dhcp6", "severity": "DEBUG", "debuglevel": 99,
                               "output_options": [ {{ "output": "stdout" }} ] }} ],
                {body}
            }} }}"#
        );
        let conf = dir.join("kea-dhcp6.conf");
        std::fs::write(&conf, config).expect("write server config");
        let mut cmd = ns.command(server_binary());
        cmd.arg("-c")
            .arg(&conf)
            .env("KEA_PIDFILE_DIR", dir)
            .env("KEA_LOCKFILE_DIR", dir);
        let mut proc = Proc::spawn("kea-dhcp6", cmd, &dir.join("kea-dhcp6.log"));
        wait_until(10, "DHCP6_STARTED", || {
            if let Some(status) = proc.exited() {
                panic!("kea-dhcp6 exited ({status}):\n{}", proc.output());
            }
            proc.output().contains("DHCP6_STARTED")
        });
        Kea {
            _proc: proc,
            dir: dir.to_path_buf(),
        }
    }

    /// The lease file's header and rows, oldest first.
    fn lease_file(&self) -> (String, Vec<LeaseRow>) {
        let text = std::fs::read_to_string(self.dir.join("leases6.csv")).unwrap_or_default();
        let mut lines = text.lines();
        let header = lines.next().unwrap_or_default().to_string();
        let rows = lines
            .filter(|l| !l.is_empty())
            .map(LeaseRow::parse)
            .collect();
        (header, rows)
    }

    /// Waits (at most `secs` s) for a row satisfying `pred`; returns the first such. The
    /// header must be Kea 2.2's.
    fn wait_lease(&self, secs: u64, what: &str, pred: impl Fn(&LeaseRow) -> bool) -> LeaseRow {
        let mut found = None;
        let what = format!("a lease row with {what}");
        wait_until(secs, &what, || {
            found = self.lease_file().1.into_iter().find(|r| pred(r));
            found.is_some()
        });
        assert_eq!(self.lease_file().0, HEADER6, "the v6 lease file header");
        found.expect("found")
    }

    /// Sends one command over the control socket.
    fn command(&self, cmd: &Value) -> Value {
        let mut s = UnixStream::connect(self.dir.join("kea6.sock")).expect("connect control");
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

/// One call of a client's event script: its `reason` and the `new_*`/`old_*` variables.
#[derive(Debug, Clone, Default)]
struct Event {
    vars: BTreeMap<String, String>,
}

impl Event {
    /// A variable, empty when unset.
    fn get(&self, name: &str) -> &str {
        self.vars.get(name).map_or("", String::as_str)
    }

    fn reason(&self) -> &str {
        self.get("reason")
    }
}

/// The log the event scripts append to, one line per call (tab-separated `name=value`
/// pairs), read in order.
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
            .map(|l| Event {
                vars: l
                    .split('\t')
                    .filter_map(|kv| kv.split_once('='))
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
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
                .find(|(_, e)| reasons.contains(&e.reason()))
            {
                found = Some((i, e.clone()));
            }
            found.is_some()
        });
        let (i, e) = found.expect("found");
        self.seen = i + 1;
        e
    }

    /// The event script: records the call and, when `configure` (dhclient, whose stock
    /// script would touch host files), adds or removes the IA_NA address itself. dhcpcd
    /// configures the interface on its own.
    fn script(&self, dir: &Path, configure: bool) -> PathBuf {
        let path = dir.join(if configure {
            "dhclient-script"
        } else {
            "dhcpcd-script"
        });
        let configure = if configure {
            r#"case "$reason" in
BOUND6|RENEW6|REBIND6|REBOOT6)
  if [ -n "$new_ip6_address" ]; then
    ip -6 addr replace "$new_ip6_address/$new_ip6_prefixlen" dev "$interface" nodad
  fi ;;
RELEASE6|EXPIRE6|STOP6)
  if [ -n "$old_ip6_address" ]; then
    ip -6 addr del "$old_ip6_address/$old_ip6_prefixlen" dev "$interface"
  fi ;;
esac"#
        } else {
            ""
        };
        let text = format!(
            "#!/bin/sh\n{configure}\nenv | grep -E '^(reason|new_|old_)' | sort | \
             tr '\\n' '\\t' >> '{log}'\necho >> '{log}'\nexit 0\n",
            log = self.path.display()
        );
        std::fs::write(&path, text).expect("write script");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        path
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

/// A DUID as the lease file writes it (two hex digits per octet), from dhclient's form
/// (`0:1:0:1:...`, octets without leading zeros) or dhcpcd's (`00010001...`).
fn duid_as_in_file(s: &str) -> String {
    let octets: Vec<String> = if s.contains(':') {
        s.split(':')
            .map(|o| format!("{:02x}", u8::from_str_radix(o, 16).expect("hex octet")))
            .collect()
    } else {
        s.as_bytes()
            .chunks(2)
            .map(|c| String::from_utf8_lossy(c).to_lowercase())
            .collect()
    };
    octets.join(":")
}

/// ISC dhclient in DHCPv6 mode with private files (config, lease file, PID file, DUID
/// file, script); `-P` asks for a prefix (IA_PD) instead of an address.
struct Dhclient {
    args: Vec<OsString>,
    dir: PathBuf,
}

impl Dhclient {
    fn new(dir: &Path, events: &Events, prefix: bool) -> Dhclient {
        let conf = dir.join("dhclient6.conf");
        std::fs::write(&conf, "request dhcp6.name-servers;\n").expect("write dhclient6.conf");
        let leases = dir.join("dhclient6.leases");
        std::fs::write(&leases, "").expect("create dhclient lease file");
        let script = events.script(dir, true);
        let mut args: Vec<OsString> = vec!["-6".into()];
        if prefix {
            args.push("-P".into());
        }
        args.extend(["-v".into(), "-cf".into(), conf.into()]);
        for (flag, path) in [
            ("-lf", leases),
            ("-pf", dir.join("dhclient6.pid")),
            ("-df", dir.join("dhclient6.duid")),
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
            "note: dhclient (PID {}) still ran 5 s after `dhclient -r`; stopping it",
            running.pid()
        );
        running.signal("TERM");
        running.wait_exit(5);
    }
}

/// A server namespace with [`SERVER`]/64 and a client namespace, joined by a veth pair.
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
        server.ip(&[
            "addr",
            "add",
            &format!("{SERVER}/64"),
            "dev",
            &server_if,
            "nodad",
        ]);
        server.wait_link_local(&server_if);
        client.wait_link_local(&client_if);
        Link {
            client,
            server,
            client_if,
            server_if,
        }
    }
}

/// Whether `addr` lies in 2001:db8:1::100 - 2001:db8:1::1ff (the pool of [`link_subnet`]).
fn in_link_pool(addr: &str) -> bool {
    addr.parse::<std::net::Ipv6Addr>().is_ok_and(|a| {
        let s = a.segments();
        s[..7] == [0x2001, 0xdb8, 1, 0, 0, 0, 0] && (0x100..=0x1ff).contains(&s[7])
    })
}

/// Whether `prefix` is a /56 of 2001:db8:8::/48 (the prefix pool of [`link_subnet`]).
fn in_pd_pool(prefix: &str, len: &str) -> bool {
    len == "56"
        && prefix.parse::<std::net::Ipv6Addr>().is_ok_and(|a| {
            let s = a.segments();
            s[..3] == [0x2001, 0xdb8, 8] && s[3] & 0xff == 0 && s[4..] == [0; 4]
        })
}

#[test]
fn dhclient_gets_renews_and_releases_an_address() {
    if !can_run("dhclient -6", &["ip", "dhclient"]) {
        return;
    }
    let dir = TempDir::new().expect("tempdir");
    let d = dir.path();
    let link = Link::new(d);
    let kea = Kea::start(
        &link.server,
        &link.server_if,
        &format!("{SHORT_TIMERS}{}", link_subnet(&link.server_if)),
        d,
    );
    let mut events = Events::new(d);
    let dhclient = Dhclient::new(d, &events, false);
    let mut client = dhclient.start(&link.client, &link.client_if);
    let mac = link.client.mac(&link.client_if);

    // Lease: an address of the pool, configured by the script, stored with the client's
    // DUID and MAC.
    let bound = events.next(&["BOUND6"], 20);
    let addr = bound.get("new_ip6_address").to_string();
    assert!(in_link_pool(&addr), "{bound:?}");
    assert_eq!(bound.get("new_ip6_prefixlen"), "128");
    assert_eq!(bound.get("new_max_life"), "20");
    assert_eq!(bound.get("new_preferred_life"), "10");
    assert_eq!(bound.get("new_renew"), "5");
    assert_eq!(bound.get("new_rebind"), "8");
    assert_eq!(bound.get("new_dhcp6_server_id"), "0:2:0:0:9:bf:1:2");
    assert_eq!(bound.get("new_dhcp6_name_servers"), "2001:db8:1::53");
    assert_eq!(
        link.client.addrs6(&link.client_if),
        vec![format!("{addr}/128")]
    );
    let first = kea.wait_lease(5, &addr, |r| r.address == addr);
    assert_eq!(
        first.duid,
        duid_as_in_file(bound.get("new_dhcp6_client_id"))
    );
    assert_eq!(first.hwaddr, mac);
    assert_eq!(
        (first.lease_type, first.prefix_len, first.subnet_id),
        (TYPE_NA, 128, 1)
    );
    assert_eq!((first.valid_lifetime, first.pref_lifetime), (20, 10));
    kea.wait_stat("subnet[1].assigned-nas", 1);

    // Renewal at T1 (5 s): a RENEW, a new row with a later expiry.
    let renew = events.next(&["RENEW6"], 15);
    assert_eq!(renew.get("new_ip6_address"), addr);
    let renewed = kea.wait_lease(5, "a later expiry", |r| {
        r.address == addr && r.valid_lifetime == 20 && r.expire > first.expire
    });
    assert_eq!(
        (renewed.duid, renewed.iaid),
        (first.duid.clone(), first.iaid)
    );
    assert!(kea.stat("pkt6-renew-received") >= 1);
    kea.wait_stat("subnet[1].assigned-nas", 1);

    // Release: `dhclient -r` stops the running client and sends a RELEASE.
    dhclient.release(&link.client, &link.client_if, &mut client);
    events.next(&["RELEASE6"], 5);
    let released = kea.wait_lease(5, "valid_lifetime 0", |r| {
        r.address == addr && r.valid_lifetime == 0
    });
    assert_eq!(released.duid, first.duid);
    kea.wait_stat("subnet[1].assigned-nas", 0);
    assert_eq!(kea.stat("pkt6-release-received"), 1);
    assert!(link.client.addrs6(&link.client_if).is_empty());
}

#[test]
fn dhclient_p_gets_renews_and_releases_a_prefix() {
    if !can_run("dhclient -6 -P", &["ip", "dhclient"]) {
        return;
    }
    let dir = TempDir::new().expect("tempdir");
    let d = dir.path();
    let link = Link::new(d);
    let kea = Kea::start(
        &link.server,
        &link.server_if,
        &format!("{SHORT_TIMERS}{}", link_subnet(&link.server_if)),
        d,
    );
    let mut events = Events::new(d);
    let dhclient = Dhclient::new(d, &events, true);
    let mut client = dhclient.start(&link.client, &link.client_if);

    let bound = events.next(&["BOUND6"], 20);
    let delegated = bound.get("new_ip6_prefix").to_string();
    let (prefix, len) = delegated.split_once('/').expect("prefix/len");
    assert!(in_pd_pool(prefix, len), "{bound:?}");
    assert_eq!(bound.get("new_ip6_address"), "", "no address asked for");
    assert_eq!(bound.get("new_max_life"), "20");
    let first = kea.wait_lease(5, &delegated, |r| r.address == prefix);
    assert_eq!(
        first.duid,
        duid_as_in_file(bound.get("new_dhcp6_client_id"))
    );
    assert_eq!(
        (first.lease_type, first.prefix_len, first.subnet_id),
        (TYPE_PD, 56, 1)
    );
    assert_eq!((first.valid_lifetime, first.pref_lifetime), (20, 10));
    kea.wait_stat("subnet[1].assigned-pds", 1);
    assert_eq!(kea.stat("subnet[1].assigned-nas"), 0);

    let renew = events.next(&["RENEW6"], 15);
    assert_eq!(renew.get("new_ip6_prefix"), delegated);
    kea.wait_lease(5, "a later expiry", |r| {
        r.address == prefix && r.valid_lifetime == 20 && r.expire > first.expire
    });

    dhclient.release(&link.client, &link.client_if, &mut client);
    events.next(&["RELEASE6"], 5);
    let released = kea.wait_lease(5, "valid_lifetime 0", |r| {
        r.address == prefix && r.valid_lifetime == 0
    });
    assert_eq!((released.lease_type, released.prefix_len), (TYPE_PD, 56));
    kea.wait_stat("subnet[1].assigned-pds", 0);
}

#[test]
fn dhcpcd_gets_renews_and_releases_an_address_and_a_prefix() {
    if !can_run(
        "dhcpcd -6",
        &["ip", "dhcpcd", "unshare", "nsenter", "mount"],
    ) {
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
        &format!("{LONG_TIMERS}{}", link_subnet(&link.server_if)),
        d,
    );
    let mut events = Events::new(d);
    let script = events.script(d, false);
    let state = d.join("dhcpcd-state");
    std::fs::create_dir(&state).expect("state dir");
    let conf = d.join("dhcpcd.conf");
    // IA_NA 1 and IA_PD 2, without waiting for router advertisements.
    std::fs::write(
        &conf,
        "ipv6only\nnoipv6rs\nia_na 1\nia_pd 2\noption dhcp6_name_servers\n",
    )
    .expect("dhcpcd.conf");
    // dhcpcd keeps its state (and its DUID) in /var/lib/dhcpcd and /run/dhcpcd: a private
    // mount namespace puts scratch directories there. /etc/resolv.conf is covered too, so
    // that nothing dhcpcd does reaches the host's.
    let resolv = d.join("resolv.conf");
    std::fs::write(&resolv, "").expect("scratch resolv.conf");
    let mut cmd = link.client.command("unshare");
    cmd.args(["-m", "--propagation", "private", "sh", "-c"])
        .arg(format!(
            "mount --bind '{}' /var/lib/dhcpcd && mount -t tmpfs tmpfs /run && \
             mount --bind '{}' /etc/resolv.conf && \
             exec dhcpcd -B -6 -t 20 -f '{}' -c '{}' {}",
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
            "-6",
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

    let bound = events.next(&["BOUND6"], 20);
    let addr = bound.get("new_dhcp6_ia_na1_ia_addr1").to_string();
    let prefix = bound.get("new_dhcp6_ia_pd1_prefix1").to_string();
    assert!(in_link_pool(&addr), "{bound:?}");
    assert!(
        in_pd_pool(&prefix, bound.get("new_dhcp6_ia_pd1_prefix1_length")),
        "{bound:?}"
    );
    assert_eq!(bound.get("new_dhcp6_ia_na1_ia_addr1_vltime"), "120");
    assert_eq!(bound.get("new_dhcp6_ia_pd1_prefix1_pltime"), "60");
    assert_eq!(bound.get("new_dhcp6_ia_na1_t1"), "30");
    assert_eq!(bound.get("new_dhcp6_server_id"), "0002000009bf0102");
    assert_eq!(bound.get("new_dhcp6_name_servers"), "2001:db8:1::53");
    wait_until(5, "dhcpcd to add the address", || {
        link.client.addrs6(&link.client_if) == vec![format!("{addr}/128")]
    });
    let duid = duid_as_in_file(bound.get("new_dhcp6_client_id"));
    assert!(
        duid.ends_with(&mac),
        "dhcpcd's DUID-LLT ends with the MAC: {duid}"
    );
    let na = kea.wait_lease(5, &addr, |r| r.address == addr);
    let pd = kea.wait_lease(5, &prefix, |r| r.address == prefix);
    assert_eq!((na.lease_type, na.iaid, na.prefix_len), (TYPE_NA, 1, 128));
    assert_eq!((pd.lease_type, pd.iaid, pd.prefix_len), (TYPE_PD, 2, 56));
    for row in [&na, &pd] {
        assert_eq!(row.duid, duid);
        assert_eq!(row.hwaddr, mac);
        assert_eq!((row.valid_lifetime, row.pref_lifetime), (120, 60));
    }
    kea.wait_stat("subnet[1].assigned-nas", 1);
    kea.wait_stat("subnet[1].assigned-pds", 1);

    // Renewal on demand (`dhcpcd -N`), a second later so the expiries move.
    std::thread::sleep(Duration::from_millis(1100));
    control("-N");
    let renew = events.next(&["RENEW6"], 15);
    assert_eq!(renew.get("new_dhcp6_ia_na1_ia_addr1"), addr);
    assert_eq!(renew.get("new_dhcp6_ia_pd1_prefix1"), prefix);
    for (what, start) in [(&addr, na.expire), (&prefix, pd.expire)] {
        kea.wait_lease(5, "a later expiry", |r| {
            &r.address == what && r.valid_lifetime == 120 && r.expire > start
        });
    }

    // Release (`dhcpcd -k`): dhcpcd sends a RELEASE for both, deconfigures and exits.
    control("-k");
    events.next(&["STOPPED"], 10);
    client.wait_exit(10);
    for what in [&addr, &prefix] {
        kea.wait_lease(5, "valid_lifetime 0", |r| {
            &r.address == what && r.valid_lifetime == 0
        });
    }
    kea.wait_stat("subnet[1].assigned-nas", 0);
    kea.wait_stat("subnet[1].assigned-pds", 0);
    assert!(link.client.addrs6(&link.client_if).is_empty());
}
