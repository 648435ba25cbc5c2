//! A pair of network namespaces joined by a veth link, deleted on drop, and a
//! way to run code inside one of them on a dedicated thread (`setns`).

use std::fs::File;
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread::JoinHandle;

use nix::sched::{CloneFlags, setns};

static NEXT: AtomicU32 = AtomicU32::new(0);

/// True when the test may run; prints a skip note otherwise. Panics when
/// `CI=true` and the environment cannot run it.
pub fn can_run(test: &str) -> bool {
    let why = if !nix::unistd::geteuid().is_root() {
        Some("not root")
    } else if Command::new("ip").arg("-V").output().is_err() {
        Some("the `ip` command is missing")
    } else {
        None
    };
    match why {
        None => true,
        Some(why) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("{test}: cannot run in CI: {why}")
        }
        Some(why) => {
            eprintln!("SKIP {test}: {why} (needs root to create network namespaces)");
            false
        }
    }
}

fn ip(args: &[&str]) {
    let out = Command::new("ip").args(args).output().expect("run ip");
    assert!(
        out.status.success(),
        "ip {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs `ip -n NS ...`.
pub fn ip_in(ns: &str, args: &[&str]) {
    let mut all = vec!["-n", ns];
    all.extend_from_slice(args);
    ip(&all);
}

fn sysctl_in(ns: &str, settings: &[&str]) {
    let out = Command::new("ip")
        .args(["netns", "exec", ns, "sysctl", "-qw"])
        .args(settings)
        .output()
        .expect("run sysctl");
    assert!(
        out.status.success(),
        "sysctl: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Two namespaces, `server` and `client`, joined by `server_if` <-> `client_if`.
pub struct NetnsPair {
    pub server: String,
    pub client: String,
    pub server_if: String,
    pub client_if: String,
}

impl NetnsPair {
    /// Creates the pair with both links up and IPv6 DAD off; no addresses.
    pub fn create() -> Self {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let tag = format!("{}x{n}", std::process::id());
        let pair = Self {
            server: format!("knet-s{tag}"),
            client: format!("knet-c{tag}"),
            server_if: format!("ks{tag}"),
            client_if: format!("kc{tag}"),
        };
        assert!(pair.server_if.len() <= 15, "interface name too long");
        // From here on, Drop cleans up whatever was created.
        for ns in [&pair.server, &pair.client] {
            ip(&["netns", "add", ns]);
            sysctl_in(
                ns,
                &[
                    "net.ipv6.conf.all.accept_dad=0",
                    "net.ipv6.conf.default.accept_dad=0",
                ],
            );
            ip_in(ns, &["link", "set", "lo", "up"]);
        }
        ip_in(
            &pair.server,
            &[
                "link",
                "add",
                &pair.server_if,
                "type",
                "veth",
                "peer",
                "name",
                &pair.client_if,
                "netns",
                &pair.client,
            ],
        );
        for (ns, ifname) in [
            (&pair.server, &pair.server_if),
            (&pair.client, &pair.client_if),
        ] {
            sysctl_in(ns, &[&format!("net.ipv6.conf.{ifname}.accept_dad=0")]);
            ip_in(ns, &["link", "set", ifname, "up"]);
        }
        pair
    }
}

impl Drop for NetnsPair {
    fn drop(&mut self) {
        for ns in [&self.server, &self.client] {
            let _ = Command::new("ip").args(["netns", "del", ns]).status();
        }
    }
}

/// Runs `f` on a new thread that has entered namespace `ns`, inside a
/// current-thread tokio runtime.
pub fn in_netns<T, F, Fut>(ns: &str, f: F) -> JoinHandle<T>
where
    T: Send + 'static,
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = T>,
{
    let path = format!("/run/netns/{ns}");
    std::thread::spawn(move || {
        let file = File::open(&path).expect("open netns");
        setns(&file, CloneFlags::CLONE_NEWNET).expect("setns");
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(f())
    })
}
