//! Starting kea-lfc (ours, and Kea 2.2's when installed) on lease files in a temporary
//! directory, as a DHCP server starts it: empty environment, the server's argument list.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kea_lease::LeaseFilePaths;
use tempfile::TempDir;

/// Kea 2.2's kea-lfc, the reference.
pub const KEA_LFC: &str = "/usr/sbin/kea-lfc";

/// Our binary.
pub fn ours() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_kea-lfc"))
}

/// Kea's binary if installed; otherwise prints a skip note for `test`.
pub fn kea(test: &str) -> Option<&'static Path> {
    let path = Path::new(KEA_LFC);
    if path.exists() {
        Some(path)
    } else {
        println!("skipping {test}: {KEA_LFC} is not installed");
        None
    }
}

/// A fixture file's text.
pub fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/it/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `4` or `6`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    V4,
    V6,
}

impl Family {
    pub fn switch(self) -> &'static str {
        match self {
            Self::V4 => "-4",
            Self::V6 => "-6",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::V4 => "v4",
            Self::V6 => "v6",
        }
    }
}

/// A directory holding one lease file's LFC companions.
pub struct LeaseDir {
    // Kea's logger writes a lock file beside; keep it out of the lease directory.
    root: TempDir,
    pub paths: LeaseFilePaths,
}

impl LeaseDir {
    pub fn new() -> Self {
        let root = tempfile::tempdir().expect("temp dir");
        let leases = root.path().join("leases");
        std::fs::create_dir(&leases).expect("lease dir");
        let paths = LeaseFilePaths::new(&leases.join("kea-leases.csv"));
        Self { root, paths }
    }

    /// A directory with the fixture inputs of `family` as previous and copy files.
    pub fn with_fixture_inputs(family: Family) -> Self {
        let dir = Self::new();
        let name = family.name();
        dir.write(
            &dir.paths.previous,
            &fixture(&format!("{name}.previous.csv")),
        );
        dir.write(&dir.paths.input, &fixture(&format!("{name}.copy.csv")));
        dir
    }

    pub fn write(&self, path: &Path, text: &str) {
        std::fs::write(path, text).expect("write");
    }

    pub fn read(&self, path: &Path) -> String {
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// The server's argument list for this lease file.
    pub fn args(&self, family: Family) -> Vec<PathBuf> {
        let p = &self.paths;
        let mut args: Vec<PathBuf> = vec![family.switch().into()];
        for (switch, path) in [
            ("-x", &p.previous),
            ("-i", &p.input),
            ("-o", &p.output),
            ("-f", &p.finish),
            ("-p", &p.pid),
        ] {
            args.push(switch.into());
            args.push(path.clone());
        }
        args.extend(["-c".into(), "ignored-path".into()]);
        args
    }

    /// `bin` with the environment a DHCP server gives it (Kea's logger needs a writable
    /// lock file directory).
    pub fn command(&self, bin: &Path) -> Command {
        let mut cmd = Command::new(bin);
        cmd.env_clear().env("KEA_LOCKFILE_DIR", self.root.path());
        cmd
    }

    /// Runs `bin` on these files; `-d` when `verbose`.
    pub fn run(&self, bin: &Path, family: Family, verbose: bool) -> Output {
        let mut cmd = self.command(bin);
        cmd.args(self.args(family));
        if verbose {
            cmd.arg("-d");
        }
        cmd.output().expect("start kea-lfc")
    }

    /// Runs `bin` and checks that it exited with 0.
    pub fn run_ok(&self, bin: &Path, family: Family) {
        let out = self.run(bin, family, false);
        assert!(out.status.success(), "{}: {out:?}", bin.display());
    }

    /// The file names in the lease directory, sorted.
    pub fn names(&self) -> Vec<String> {
        let dir = self.paths.file.parent().expect("lease dir");
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("read dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

/// The message IDs of Kea-layout log lines (`<date> <time> <SEV> [<logger>/...] <ID> ...`),
/// each with its severity and logger.
pub fn log_ids(stderr: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stderr)
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace().skip(2);
            let severity = words.next()?;
            let logger = words.next()?.trim_start_matches('[');
            let logger = logger.split('/').next()?;
            let id = words.next()?;
            Some(format!("{severity} {logger} {id}"))
        })
        .collect()
}

/// A small deterministic pseudo-random sequence (no dependency needed for test data).
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

pub const HEADER4: &str = "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state,user_context";
pub const HEADER6: &str = "address,duid,valid_lifetime,expire,subnet_id,pref_lifetime,lease_type,iaid,prefix_len,fqdn_fwd,fqdn_rev,hostname,hwaddr,state,user_context,hwtype,hwaddr_source";

/// A lease file of `rows` updates over `addresses` leases: renewals, deletions (valid
/// lifetime 0), declines, reclamations, escaped host names and user contexts.
pub fn many_updates(family: Family, seed: u64, addresses: u64, rows: usize) -> String {
    let mut rng = Lcg::new(seed);
    let mut text = String::from(match family {
        Family::V4 => HEADER4,
        Family::V6 => HEADER6,
    });
    text.push('\n');
    for _ in 0..rows {
        let i = rng.below(addresses);
        let valid = if rng.below(8) == 0 {
            0
        } else {
            600 + rng.below(7200)
        };
        let expire = 1_795_000_000 + rng.below(100_000);
        let state = match rng.below(10) {
            0 => 1,
            1 => 2,
            _ => 0,
        };
        let host = match rng.below(4) {
            0 => String::new(),
            1 => format!("h{i}&#x2cx"),
            _ => format!("host{i}.example.org"),
        };
        let ctx = if rng.below(5) == 0 {
            format!("{{ \"n\": {}&#x2c \"s\": \"a&#x2cb\" }}", rng.below(100))
        } else {
            String::new()
        };
        let fqdn = rng.below(2);
        let row = match family {
            Family::V4 => {
                let hw = if state == 1 {
                    String::new()
                } else {
                    format!(
                        "02:00:00:{:02x}:{:02x}:{:02x}",
                        i >> 16,
                        (i >> 8) & 255,
                        i & 255
                    )
                };
                format!(
                    "10.{}.{}.{},{hw},,{valid},{expire},{},{fqdn},{fqdn},{host},{state},{ctx}",
                    i >> 16,
                    (i >> 8) & 255,
                    i & 255,
                    1 + rng.below(3)
                )
            }
            Family::V6 => {
                let (lease_type, addr, len) = match i % 3 {
                    0 => (2, format!("2001:db8:{:x}::", 256 + i), 56),
                    1 => (1, format!("2001:db8:1::{i:x}"), 128),
                    _ => (0, format!("2001:db8:1::{i:x}"), 128),
                };
                let duid = if state == 1 {
                    "00".to_owned()
                } else {
                    format!(
                        "00:03:00:01:02:00:00:{:02x}:{:02x}",
                        (i >> 8) & 255,
                        i & 255
                    )
                };
                let (hwaddr, hwtype, source) = if rng.below(2) == 0 {
                    (String::new(), "", "")
                } else {
                    let hw = format!("02:00:00:00:{:02x}:{:02x}", (i >> 8) & 255, i & 255);
                    (hw, "1", "2")
                };
                format!(
                    "{addr},{duid},{valid},{expire},1,{},{lease_type},{i},{len},{fqdn},{fqdn},{host},{hwaddr},{state},{ctx},{hwtype},{source}",
                    valid / 2
                )
            }
        };
        text.push_str(&row);
        text.push('\n');
    }
    text
}
