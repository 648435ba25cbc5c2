//! DDNS decisions shared by both servers: the effective `ddns-*` parameters of a scope, host
//! name sanitizing, name qualification and generation, the FQDN flag analysis of RFC 4702 /
//! RFC 4704, the DNS TTL, and the name change requests a lease change calls for.
//!
//! ARM `dhcp4-srv.rst` "DDNS for DHCPv4", "When Does the kea-dhcp4 Server Generate a DDNS
//! Request?", "kea-dhcp4 Name Generation for DDNS Update Requests" and "Sanitizing Client Host
//! Name and FQDN Names" (INVENTORY §3.5, §12). No I/O here: the daemons send what is built.

use std::net::IpAddr;

use kea_config::ddns::ReplaceClientName;
use kea_lease::Lease4;
use kea_ncr::{ChangeType, ConflictResolutionMode, Dhcid, NameChangeRequest};
use regex::{NoExpand, Regex};

/// Kea's default `hostname-char-set`: every character that is not a letter, digit, dot or
/// hyphen is invalid.
pub const DEFAULT_HOSTNAME_CHAR_SET: &str = "[^A-Za-z0-9.-]";

/// Kea's default `ddns-generated-prefix`.
pub const DEFAULT_GENERATED_PREFIX: &str = "myhost";

/// RFC 4702 §5: the smallest TTL the 1/3-of-lifetime rule gives (10 minutes).
pub const MIN_DDNS_TTL: u32 = 600;

/// `hostname-char-set` / `hostname-char-replacement`: replaces every match of the set in a
/// client-supplied name (ARM "Sanitizing Client Host Name and FQDN Names").
#[derive(Debug, Clone)]
pub struct HostnameSanitizer {
    set: Regex,
    replacement: String,
}

/// Why a `hostname-char-set` is unusable.
#[derive(Debug, thiserror::Error)]
#[error("invalid hostname-char-set '{set}': {reason}")]
pub struct SanitizerError {
    /// The expression given.
    pub set: String,
    /// The regex compiler's message.
    pub reason: String,
}

impl HostnameSanitizer {
    /// Compiles `set`; `None` for an empty set (no sanitizing, as in Kea).
    pub fn new(set: &str, replacement: &str) -> Result<Option<Self>, SanitizerError> {
        if set.is_empty() {
            return Ok(None);
        }
        let set = Regex::new(set).map_err(|e| SanitizerError {
            set: set.to_string(),
            reason: e.to_string(),
        })?;
        Ok(Some(Self {
            set,
            replacement: replacement.to_string(),
        }))
    }

    /// `name` with every match of the set replaced; NUL characters are always invalid.
    /// The replacement is literal (no `$1` expansion).
    pub fn scrub(&self, name: &str) -> String {
        let replaced = self
            .set
            .replace_all(name, NoExpand(&self.replacement))
            .into_owned();
        if replaced.contains('\0') {
            replaced.replace('\0', &self.replacement)
        } else {
            replaced
        }
    }
}

/// The effective DDNS behaviour of one scope (global, shared network or subnet), with
/// inheritance already resolved.
#[derive(Debug, Clone)]
pub struct DdnsParams {
    /// `dhcp-ddns.enable-updates` and `ddns-send-updates` both true: NCRs are built.
    pub enable_updates: bool,
    /// `ddns-override-no-update`.
    pub override_no_update: bool,
    /// `ddns-override-client-update`.
    pub override_client_update: bool,
    /// `ddns-replace-client-name`.
    pub replace_client_name: ReplaceClientName,
    /// `ddns-generated-prefix`.
    pub generated_prefix: String,
    /// `ddns-qualifying-suffix`.
    pub qualifying_suffix: String,
    /// `ddns-update-on-renew`.
    pub update_on_renew: bool,
    /// `ddns-conflict-resolution-mode` (or Kea 2.2's `ddns-use-conflict-resolution`).
    pub conflict_resolution_mode: ConflictResolutionMode,
    /// `ddns-ttl-percent`.
    pub ttl_percent: Option<f64>,
    /// `hostname-char-set` with `hostname-char-replacement`; `None` when the set is empty.
    pub sanitizer: Option<HostnameSanitizer>,
}

impl Default for DdnsParams {
    /// Kea's defaults with updates disabled.
    fn default() -> Self {
        Self {
            enable_updates: false,
            override_no_update: false,
            override_client_update: false,
            replace_client_name: ReplaceClientName::Never,
            generated_prefix: DEFAULT_GENERATED_PREFIX.to_string(),
            qualifying_suffix: String::new(),
            update_on_renew: false,
            conflict_resolution_mode: ConflictResolutionMode::CheckWithDhcid,
            ttl_percent: None,
            sanitizer: HostnameSanitizer::new(DEFAULT_HOSTNAME_CHAR_SET, "")
                .ok()
                .flatten(),
        }
    }
}

impl DdnsParams {
    /// Whether a name the client sent is replaced (`always`, `when-present`).
    pub fn replaces_present_name(&self) -> bool {
        matches!(
            self.replace_client_name,
            ReplaceClientName::Always | ReplaceClientName::WhenPresent
        )
    }

    /// Whether a name is generated for a client that sent none (`always`,
    /// `when-not-present`).
    pub fn generates_absent_name(&self) -> bool {
        matches!(
            self.replace_client_name,
            ReplaceClientName::Always | ReplaceClientName::WhenNotPresent
        )
    }

    /// `name` made fully qualified with `ddns-qualifying-suffix`, as Kea 2.2 does it: a
    /// non-empty suffix is appended after a dot (whatever the name already ends with), then
    /// a trailing dot is added or removed as `trailing_dot` asks.
    pub fn qualify_name(&self, name: &str, trailing_dot: bool) -> String {
        let mut out = name.to_string();
        if !self.qualifying_suffix.is_empty() {
            if !out.is_empty() && !out.ends_with('.') {
                out.push('.');
            }
            out.push_str(&self.qualifying_suffix);
        }
        if trailing_dot {
            if !out.is_empty() && !out.ends_with('.') {
                out.push('.');
            }
        } else if out.ends_with('.') {
            out.pop();
        }
        out
    }

    /// ARM "Name Generation": `[prefix]-[address with '-' for '.' or ':'].[suffix]`.
    pub fn generate_fqdn(&self, addr: IpAddr, trailing_dot: bool) -> String {
        let text = match addr {
            IpAddr::V4(a) => a.to_string().replace('.', "-"),
            IpAddr::V6(a) => {
                let mut t = a.to_string().replace(':', "-");
                if t.ends_with('-') {
                    t.push('0');
                }
                t
            }
        };
        self.qualify_name(&format!("{}-{text}", self.generated_prefix), trailing_dot)
    }

    /// `name` scrubbed by the sanitizer, if one is configured.
    pub fn sanitize(&self, name: &str) -> String {
        match &self.sanitizer {
            Some(s) => s.scrub(name),
            None => name.to_string(),
        }
    }

    /// TTL of the DNS records for a lease of `valid_lft` seconds: `ddns-ttl-percent` of it
    /// when configured, else RFC 4702 §5's one third with a 10 minute floor.
    pub fn ttl(&self, valid_lft: u32) -> u32 {
        match self.ttl_percent {
            Some(p) if p.is_finite() && p >= 0.0 => (f64::from(valid_lft) * p) as u32,
            _ => (valid_lft / 3).max(MIN_DDNS_TTL),
        }
    }
}

/// The server's FQDN option flags (RFC 4702 §2.1 / RFC 4704 §4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ServerFlags {
    /// S: the server does the forward update.
    pub s: bool,
    /// N: no one updates DNS.
    pub n: bool,
    /// O: the server overrode the client's S.
    pub o: bool,
}

impl ServerFlags {
    /// Update directions these flags mean: forward when S, reverse unless N.
    pub fn directions(self) -> (bool, bool) {
        (self.s, !self.n)
    }
}

/// The client set both N and S, which RFC 4702 §3.1 forbids; the query is dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("invalid client FQDN: N and S cannot both be 1")]
pub struct InvalidFqdnFlags;

/// The server's S, N and O flags for a client's S and N (ARM table "Default FQDN flag
/// behavior", with `ddns-override-client-update` and `ddns-override-no-update`).
pub fn server_flags(
    client_s: bool,
    client_n: bool,
    p: &DdnsParams,
) -> Result<ServerFlags, InvalidFqdnFlags> {
    let (s, n) = match (client_n, client_s) {
        (true, true) => return Err(InvalidFqdnFlags),
        // Client delegation: the client does the forward update.
        (false, false) if !p.enable_updates => (false, true),
        (false, false) => (p.override_client_update, false),
        // The server is asked to do both.
        (false, true) => (p.enable_updates, !p.enable_updates),
        // No updates, unless overridden.
        (true, false) => {
            let s = p.enable_updates && p.override_no_update;
            (s, !s)
        }
    };
    Ok(ServerFlags {
        s,
        n,
        o: s != client_s,
    })
}

/// The FQDN text as an NCR carries it: always with a trailing dot.
fn ncr_fqdn(name: &str) -> String {
    if name.ends_with('.') {
        name.to_string()
    } else {
        format!("{name}.")
    }
}

/// The NCR for `lease` (Kea's `queueNCR`): `None` when DDNS is off (`d2_enabled`), the
/// lease has no name or no direction, or the DHCID cannot be built. The DHCID comes from the
/// client identifier stored in the lease, else from its hardware address.
pub fn ncr_for_lease4(
    change: ChangeType,
    lease: &Lease4,
    d2_enabled: bool,
    p: &DdnsParams,
) -> Option<NameChangeRequest> {
    if !d2_enabled || lease.hostname.is_empty() || !(lease.fqdn_fwd || lease.fqdn_rev) {
        return None;
    }
    let fqdn = ncr_fqdn(&lease.hostname);
    let dhcid = match (&lease.client_id, &lease.hwaddr) {
        (Some(cid), _) if !cid.is_empty() => {
            Dhcid::compute(kea_ncr::IdentifierType::ClientId, cid, &fqdn).ok()?
        }
        (_, Some(hw)) => Dhcid::from_hwaddr(hw.htype as u8, &hw.bytes, &fqdn).ok()?,
        _ => return None,
    };
    Some(NameChangeRequest {
        change_type: change,
        forward_change: lease.fqdn_fwd,
        reverse_change: lease.fqdn_rev,
        fqdn,
        ip_address: IpAddr::V4(lease.addr),
        dhcid,
        lease_expires_on: lease.cltt.saturating_add(i64::from(lease.valid_lft)),
        lease_length: p.ttl(lease.valid_lft),
        conflict_resolution_mode: p.conflict_resolution_mode,
    })
}

/// Whether two leases carry the same DNS data (Kea compares names case-insensitively).
pub fn identical_fqdn4(a: &Lease4, b: &Lease4) -> bool {
    a.hostname.eq_ignore_ascii_case(&b.hostname)
        && a.fqdn_fwd == b.fqdn_fwd
        && a.fqdn_rev == b.fqdn_rev
}

/// NCRs for a granted or renewed lease (ARM "When Does the kea-dhcp4 Server Generate a DDNS
/// Request?"): nothing when the client kept its name and flags (unless
/// `ddns-update-on-renew`); otherwise a removal of the old entries, if any, and an addition.
pub fn ncrs_for_grant4(
    lease: &Lease4,
    old: Option<&Lease4>,
    d2_enabled: bool,
    p: &DdnsParams,
) -> Vec<NameChangeRequest> {
    if let Some(o) = old
        && !p.update_on_renew
        && identical_fqdn4(o, lease)
    {
        return Vec::new();
    }
    let mut out = Vec::new();
    if let Some(o) = old {
        out.extend(ncr_for_lease4(ChangeType::Remove, o, d2_enabled, p));
    }
    out.extend(ncr_for_lease4(ChangeType::Add, lease, d2_enabled, p));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use kea_lease::{HwAddr, LeaseState};
    use std::net::Ipv4Addr;

    fn enabled() -> DdnsParams {
        DdnsParams {
            enable_updates: true,
            ..DdnsParams::default()
        }
    }

    #[test]
    fn default_flag_table_of_the_arm() {
        let p = enabled();
        // Client N-S 0-0: reverse only, N-S-O 1-0-0 in the table's column order... the
        // server answers S=0, N=0 (it does the reverse update).
        let f = server_flags(false, false, &p).unwrap();
        assert_eq!((f.n, f.s, f.o), (false, false, false));
        assert_eq!(f.directions(), (false, true));
        // 0-1: both directions, 0-1-0.
        let f = server_flags(true, false, &p).unwrap();
        assert_eq!((f.n, f.s, f.o), (false, true, false));
        assert_eq!(f.directions(), (true, true));
        // 1-0: no update, 1-0-0.
        let f = server_flags(false, true, &p).unwrap();
        assert_eq!((f.n, f.s, f.o), (true, false, false));
        assert_eq!(f.directions(), (false, false));
        // 1-1 is invalid.
        assert_eq!(server_flags(true, true, &p), Err(InvalidFqdnFlags));
    }

    #[test]
    fn overrides_set_s_and_o() {
        let p = DdnsParams {
            override_client_update: true,
            override_no_update: true,
            ..enabled()
        };
        let f = server_flags(false, false, &p).unwrap();
        assert_eq!((f.n, f.s, f.o), (false, true, true));
        let f = server_flags(false, true, &p).unwrap();
        assert_eq!((f.n, f.s, f.o), (false, true, true));
    }

    #[test]
    fn disabled_updates_answer_n_and_clear_s() {
        let p = DdnsParams::default();
        let f = server_flags(true, false, &p).unwrap();
        assert_eq!((f.n, f.s, f.o), (true, false, true));
        let f = server_flags(false, false, &p).unwrap();
        assert_eq!((f.n, f.s, f.o), (true, false, false));
    }

    #[test]
    fn qualify_appends_suffix_like_kea_2_2() {
        let mut p = enabled();
        assert_eq!(p.qualify_name("h5", false), "h5");
        assert_eq!(p.qualify_name("h5", true), "h5.");
        assert_eq!(p.qualify_name("h12.", false), "h12");
        p.qualifying_suffix = "example.com".into();
        assert_eq!(
            p.qualify_name("some-computer", true),
            "some-computer.example.com."
        );
        assert_eq!(p.qualify_name("h5", false), "h5.example.com");
        assert_eq!(p.qualify_name("h12.", false), "h12.example.com");
        // Kea 2.2 appends even when the name already ends with the suffix.
        assert_eq!(
            p.qualify_name("resv.other.org", false),
            "resv.other.org.example.com"
        );
        p.qualifying_suffix = "example.com.".into();
        assert_eq!(p.qualify_name("a", false), "a.example.com");
        assert_eq!(p.qualify_name("a", true), "a.example.com.");
    }

    #[test]
    fn generated_names_follow_the_arm_example() {
        let mut p = enabled();
        p.qualifying_suffix = "example.com".into();
        assert_eq!(
            p.generate_fqdn(IpAddr::V4(Ipv4Addr::new(172, 16, 1, 10)), true),
            "myhost-172-16-1-10.example.com."
        );
        p.generated_prefix = "gen".into();
        assert_eq!(
            p.generate_fqdn(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 14)), false),
            "gen-10-0-0-14.example.com"
        );
        assert_eq!(
            p.generate_fqdn("2001:db8::".parse().unwrap(), true),
            "gen-2001-db8--0.example.com."
        );
    }

    #[test]
    fn sanitizer_replaces_each_invalid_character() {
        // The ARM's example.
        let s = HostnameSanitizer::new(DEFAULT_HOSTNAME_CHAR_SET, "x")
            .unwrap()
            .unwrap();
        assert_eq!(s.scrub("myhost-$[123.org"), "myhost-xx123.org");
        let s = HostnameSanitizer::new(DEFAULT_HOSTNAME_CHAR_SET, "")
            .unwrap()
            .unwrap();
        assert_eq!(s.scrub("bad_na!me"), "badname");
        assert_eq!(s.scrub("nul\0in"), "nulin");
        // A full regex, with a multi-character match replaced once, literally.
        let s = HostnameSanitizer::new("[^a-z]+", "$1").unwrap().unwrap();
        assert_eq!(s.scrub("ab12cd"), "ab$1cd");
        assert!(HostnameSanitizer::new("", "x").unwrap().is_none());
        assert!(HostnameSanitizer::new("[a-", "x").is_err());
    }

    #[test]
    fn ttl_is_a_third_with_a_floor_or_the_percentage() {
        let mut p = enabled();
        assert_eq!(p.ttl(3600), 1200);
        assert_eq!(p.ttl(900), MIN_DDNS_TTL);
        p.ttl_percent = Some(0.25);
        assert_eq!(p.ttl(3600), 900);
    }

    fn lease(hostname: &str, cid: Option<Vec<u8>>) -> Lease4 {
        Lease4 {
            addr: Ipv4Addr::new(10, 0, 0, 10),
            hwaddr: Some(HwAddr {
                htype: 1,
                bytes: vec![0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x01],
                source: 0,
            }),
            client_id: cid,
            valid_lft: 3600,
            cltt: 1_000_000,
            subnet_id: 1,
            fqdn_fwd: true,
            fqdn_rev: true,
            hostname: hostname.to_string(),
            state: LeaseState::Default,
            user_context: None,
        }
    }

    #[test]
    fn ncr_matches_kea_2_2_for_chaddr_and_client_id() {
        let p = enabled();
        // Kea 2.2 sent these DHCIDs for the same leases (tests/ddns4 oracle run).
        let n = ncr_for_lease4(
            ChangeType::Add,
            &lease("host1.example.com.", None),
            true,
            &p,
        )
        .unwrap();
        assert_eq!(
            n.dhcid.to_hex(),
            "000001C552643B1DA8D49AD882288EF0443507A105673639BE24F5C555F691FF1CA562"
        );
        assert_eq!(n.lease_length, 1200);
        assert_eq!(n.lease_expires_on, 1_003_600);
        let mut l = lease(
            "withcid.example.com.",
            Some(vec![1, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x0b]),
        );
        l.hwaddr.as_mut().unwrap().bytes[5] = 0x0b;
        let n = ncr_for_lease4(ChangeType::Add, &l, true, &p).unwrap();
        assert_eq!(
            n.dhcid.to_hex(),
            "000101AF68F871C88D8102173B9F5A927AB6DAF7D4841C1C1A6AE518AF365E611449A2"
        );
        // A host name without the dot gets one in the NCR.
        let n = ncr_for_lease4(ChangeType::Add, &lease("h5.example.com", None), true, &p).unwrap();
        assert_eq!(n.fqdn, "h5.example.com.");
    }

    #[test]
    fn no_ncr_without_name_direction_or_d2() {
        let p = enabled();
        assert!(ncr_for_lease4(ChangeType::Add, &lease("", None), true, &p).is_none());
        assert!(ncr_for_lease4(ChangeType::Add, &lease("a.b.", None), false, &p).is_none());
        let mut l = lease("a.b.", None);
        l.fqdn_fwd = false;
        l.fqdn_rev = false;
        assert!(ncr_for_lease4(ChangeType::Add, &l, true, &p).is_none());
    }

    #[test]
    fn renew_sends_nothing_unless_changed_or_update_on_renew() {
        let mut p = enabled();
        let old = lease("host1.example.com.", None);
        let same = lease("HOST1.example.com.", None);
        assert!(ncrs_for_grant4(&same, Some(&old), true, &p).is_empty());
        let renamed = lease("renamed.example.com.", None);
        let n = ncrs_for_grant4(&renamed, Some(&old), true, &p);
        assert_eq!(n.len(), 2);
        assert_eq!(n[0].change_type, ChangeType::Remove);
        assert_eq!(n[0].fqdn, "host1.example.com.");
        assert_eq!(n[1].change_type, ChangeType::Add);
        p.update_on_renew = true;
        assert_eq!(ncrs_for_grant4(&same, Some(&old), true, &p).len(), 2);
        assert_eq!(ncrs_for_grant4(&same, None, true, &p).len(), 1);
    }
}
