//! The DHCPv4 side of DDNS: the Client FQDN option (81, RFC 4702) on the wire, and what a
//! query's option 81 or Host Name option (12) makes of the lease's host name, its DNS update
//! flags and the name option of the reply.
//!
//! ARM `dhcp4-srv.rst` "When Does the kea-dhcp4 Server Generate a DDNS Request?",
//! "kea-dhcp4 Name Generation for DDNS Update Requests" and "Sanitizing Client Host Name and
//! FQDN Names". Kea 2.2 is the reference for details the ARM leaves open (checked on the same
//! packets): the reply echoes the client's E flag and RCODE octets; a Host Name option is
//! answered with a Host Name option (the ARM's sentence about an FQDN option with N-S-O
//! 0-1-0 is not what Kea 2.2 does); qualifying a host name drops its trailing dot.

use std::net::Ipv4Addr;

use kea_dhcp::Pkt4;
use kea_dhcp::codes::{DHO_FQDN, DHO_HOST_NAME};

use crate::ddns::{DdnsParams, InvalidFqdnFlags, ServerFlags, server_flags};

pub use kea_dhcp::fqdn4::{FQDN_FLAG_E, FQDN_FLAG_N, FQDN_FLAG_O, FQDN_FLAG_S};

/// Longest DNS label (RFC 1035 §2.3.4).
const MAX_LABEL: usize = 63;
/// Longest DNS name in wire form.
const MAX_NAME: usize = 255;

/// A Client FQDN option (81) as the DDNS decisions need it. Unlike
/// `kea_dhcp::fqdn4::ClientFqdn4` (which validates received options at decode time and keeps
/// the name in escaped presentation form), labels are kept raw, because Kea scrubs the raw
/// text of each label; and the option can be encoded for the reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientFqdn4 {
    /// The flags octet.
    pub flags: u8,
    /// RCODE1 (deprecated, echoed).
    pub rcode1: u8,
    /// RCODE2 (deprecated, echoed).
    pub rcode2: u8,
    /// The domain name, lower case, labels joined by dots; a full name ends with a dot.
    pub name: String,
}

/// Why an option 81 cannot be used (Kea drops such a query).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FqdnError {
    /// Shorter than its three fixed octets.
    #[error("client FQDN option is truncated ({len} octets)")]
    Truncated {
        /// Octets present.
        len: usize,
    },
    /// A label or the whole name is too long, or a length runs past the end.
    #[error("client FQDN option carries a malformed domain name")]
    BadName,
    /// N and S both set.
    #[error(transparent)]
    Flags(#[from] InvalidFqdnFlags),
}

impl ClientFqdn4 {
    /// Decodes option 81's data.
    pub fn decode(data: &[u8]) -> Result<Self, FqdnError> {
        let [flags, rcode1, rcode2, rest @ ..] = data else {
            return Err(FqdnError::Truncated { len: data.len() });
        };
        if flags & FQDN_FLAG_S != 0 && flags & FQDN_FLAG_N != 0 {
            return Err(InvalidFqdnFlags.into());
        }
        let name = if flags & FQDN_FLAG_E != 0 {
            decode_wire_name(rest)?
        } else {
            decode_ascii_name(rest)?
        };
        Ok(Self {
            flags: *flags,
            rcode1: *rcode1,
            rcode2: *rcode2,
            name,
        })
    }

    /// Whether the name is fully qualified.
    pub fn is_full(&self) -> bool {
        self.name.ends_with('.')
    }

    /// Encodes option 81's data in the format the E flag names.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = vec![self.flags, self.rcode1, self.rcode2];
        if self.flags & FQDN_FLAG_E == 0 {
            out.extend_from_slice(self.name.as_bytes());
            return out;
        }
        for label in self.name.split('.').filter(|l| !l.is_empty()) {
            let b = label.as_bytes();
            let b = &b[..b.len().min(MAX_LABEL)];
            out.push(b.len() as u8);
            out.extend_from_slice(b);
        }
        if self.is_full() {
            out.push(0);
        }
        out
    }
}

fn decode_wire_name(mut rest: &[u8]) -> Result<String, FqdnError> {
    if rest.len() > MAX_NAME {
        return Err(FqdnError::BadName);
    }
    let mut labels: Vec<String> = Vec::new();
    let mut full = false;
    while let [len, tail @ ..] = rest {
        let len = usize::from(*len);
        if len == 0 {
            full = true;
            break;
        }
        if len > MAX_LABEL || len > tail.len() {
            return Err(FqdnError::BadName);
        }
        labels.push(String::from_utf8_lossy(&tail[..len]).to_ascii_lowercase());
        rest = &tail[len..];
    }
    let mut name = labels.join(".");
    if full && !name.is_empty() {
        name.push('.');
    }
    Ok(name)
}

fn decode_ascii_name(rest: &[u8]) -> Result<String, FqdnError> {
    let text = String::from_utf8_lossy(rest);
    let text = text.trim_end_matches('\0');
    if text.is_empty() || text == "." {
        return Ok(String::new());
    }
    let body = text.strip_suffix('.').unwrap_or(text);
    if text.len() > MAX_NAME || body.split('.').any(|l| l.is_empty() || l.len() > MAX_LABEL) {
        return Err(FqdnError::BadName);
    }
    Ok(text.to_ascii_lowercase())
}

/// Labels of a host name as Kea counts them: the root counts as one, so "h5" has 2 and "."
/// has 1. `None` for a malformed name (empty label, label or name too long), which Kea
/// ignores.
fn label_count(name: &str) -> Option<usize> {
    if name.is_empty() {
        return None;
    }
    if name == "." {
        return Some(1);
    }
    let body = name.strip_suffix('.').unwrap_or(name);
    if name.len() > MAX_NAME || body.split('.').any(|l| l.is_empty() || l.len() > MAX_LABEL) {
        return None;
    }
    Some(body.split('.').count() + 1)
}

/// The name option of a reply, before the address is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplyName {
    /// No name option in the reply.
    None,
    /// Option 81; an empty name means "generate one from the address".
    Fqdn(ClientFqdn4),
    /// Option 12; an empty value means "generate one from the address".
    Hostname(String),
}

/// What the query says about the client's name (Kea's `processClientName`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientName4 {
    /// The reply's name option.
    pub reply: ReplyName,
    /// Forward update flag for the lease.
    pub fwd: bool,
    /// Reverse update flag for the lease.
    pub rev: bool,
}

impl ClientName4 {
    /// The host name to store in the lease ("" when it is to be generated).
    pub fn hostname(&self) -> &str {
        match &self.reply {
            ReplyName::None => "",
            ReplyName::Fqdn(f) => &f.name,
            ReplyName::Hostname(h) => h,
        }
    }

    /// Whether the name must be generated once the address is known.
    pub fn needs_generation(&self) -> bool {
        !matches!(self.reply, ReplyName::None) && self.hostname().is_empty()
    }

    /// Fills a name still to be generated from the leased address (Kea's
    /// `postAllocateNameUpdate`): with a trailing dot in option 81, without in option 12.
    pub fn complete(&mut self, addr: Ipv4Addr, p: &DdnsParams) {
        if !self.needs_generation() {
            return;
        }
        match &mut self.reply {
            ReplyName::Fqdn(f) => f.name = p.generate_fqdn(addr.into(), true),
            ReplyName::Hostname(h) => *h = p.generate_fqdn(addr.into(), false),
            ReplyName::None => {}
        }
    }

    /// The reply's option code and data, if any.
    pub fn option(&self) -> Option<(u16, Vec<u8>)> {
        match &self.reply {
            ReplyName::None => None,
            ReplyName::Fqdn(f) => Some((DHO_FQDN, f.encode())),
            // Option 12 cannot be empty; Kea uses the root name as "to be generated".
            ReplyName::Hostname(h) if h.is_empty() => Some((DHO_HOST_NAME, b".".to_vec())),
            ReplyName::Hostname(h) => Some((DHO_HOST_NAME, h.as_bytes().to_vec())),
        }
    }
}

/// Processes the query's option 81 (preferred) or option 12 under `p`; `reserved` is the
/// host name of the client's reservation, which wins over anything the client sent.
pub fn process_client_name(
    query: &Pkt4,
    reserved: Option<&str>,
    p: &DdnsParams,
) -> Result<ClientName4, FqdnError> {
    let reserved = reserved.filter(|h| !h.is_empty());
    if let Some(data) = query.options.data(DHO_FQDN) {
        let fqdn = ClientFqdn4::decode(data)?;
        return Ok(process_fqdn(&fqdn, reserved, p)?);
    }
    Ok(process_hostname(query, reserved, p))
}

fn process_fqdn(
    fqdn: &ClientFqdn4,
    reserved: Option<&str>,
    p: &DdnsParams,
) -> Result<ClientName4, InvalidFqdnFlags> {
    let flags: ServerFlags = server_flags(
        fqdn.flags & FQDN_FLAG_S != 0,
        fqdn.flags & FQDN_FLAG_N != 0,
        p,
    )?;
    let mut out_flags = fqdn.flags & FQDN_FLAG_E;
    for (on, bit) in [
        (flags.s, FQDN_FLAG_S),
        (flags.n, FQDN_FLAG_N),
        (flags.o, FQDN_FLAG_O),
    ] {
        if on {
            out_flags |= bit;
        }
    }
    let name = if let Some(h) = reserved {
        p.qualify_name(h, true).to_ascii_lowercase()
    } else if p.replaces_present_name() || fqdn.name.is_empty() {
        String::new()
    } else {
        // Scrub label by label so the set never has to spare the dots.
        let full = fqdn.is_full();
        let body = fqdn.name.strip_suffix('.').unwrap_or(&fqdn.name);
        let clean = body
            .split('.')
            .map(|l| p.sanitize(l))
            .collect::<Vec<_>>()
            .join(".")
            .to_ascii_lowercase();
        if full {
            format!("{clean}.")
        } else {
            p.qualify_name(&clean, true)
        }
    };
    let (fwd, rev) = flags.directions();
    Ok(ClientName4 {
        reply: ReplyName::Fqdn(ClientFqdn4 {
            flags: out_flags,
            rcode1: fqdn.rcode1,
            rcode2: fqdn.rcode2,
            name,
        }),
        fwd,
        rev,
    })
}

fn process_hostname(query: &Pkt4, reserved: Option<&str>, p: &DdnsParams) -> ClientName4 {
    let named = |h: String| ClientName4 {
        reply: ReplyName::Hostname(h),
        fwd: p.enable_updates,
        rev: p.enable_updates,
    };
    if let Some(h) = reserved {
        return named(p.qualify_name(h, false).to_ascii_lowercase());
    }
    let none = ClientName4 {
        reply: ReplyName::None,
        fwd: false,
        rev: false,
    };
    let Some(data) = query.options.data(DHO_HOST_NAME) else {
        return if p.generates_absent_name() {
            named(String::new())
        } else {
            none
        };
    };
    let text = String::from_utf8_lossy(data);
    let text = text.trim_end_matches('\0').trim();
    let Some(labels) = label_count(text) else {
        return none;
    };
    if p.replaces_present_name() || labels < 2 {
        return named(String::new());
    }
    let clean = p.sanitize(text).to_ascii_lowercase();
    if labels == 2 {
        named(p.qualify_name(&clean, false))
    } else {
        named(clean)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kea_config::ddns::ReplaceClientName;
    use kea_dhcp::codes::BOOTREQUEST;
    use kea_dhcp::{MessageType, Opt};

    fn params(suffix: &str) -> DdnsParams {
        DdnsParams {
            enable_updates: true,
            qualifying_suffix: suffix.into(),
            ..DdnsParams::default()
        }
    }

    fn wire(name: &str) -> Vec<u8> {
        let mut out = Vec::new();
        for l in name.split('.').filter(|l| !l.is_empty()) {
            out.push(l.len() as u8);
            out.extend_from_slice(l.as_bytes());
        }
        if name.ends_with('.') {
            out.push(0);
        }
        out
    }

    fn query(opts: &[(u16, Vec<u8>)]) -> Pkt4 {
        let mut p = Pkt4::new(BOOTREQUEST, MessageType::Request, 1);
        for (c, d) in opts {
            p.options.insert(Opt::new(*c, d.clone()));
        }
        p
    }

    fn fqdn_opt(flags: u8, name: &[u8]) -> (u16, Vec<u8>) {
        let mut d = vec![flags, 0, 0];
        d.extend_from_slice(name);
        (DHO_FQDN, d)
    }

    /// Runs the query and returns the reply option's data after name generation for
    /// 10.0.0.17, with the lease's host name and flags.
    fn run(
        opts: &[(u16, Vec<u8>)],
        p: &DdnsParams,
    ) -> (Option<(u16, Vec<u8>)>, String, bool, bool) {
        let mut n = process_client_name(&query(opts), None, p).unwrap();
        n.complete(Ipv4Addr::new(10, 0, 0, 17), p);
        (n.option(), n.hostname().to_string(), n.fwd, n.rev)
    }

    #[test]
    fn fqdn_partial_name_is_qualified_and_lowercased() {
        // Kea 2.2: 05 00 00 "Host1" -> 05 00 00 host1.example.com.
        let (opt, host, fwd, rev) = run(&[fqdn_opt(0x05, &wire("Host1"))], &params("example.com"));
        let mut want = vec![0x05, 0, 0];
        want.extend(wire("host1.example.com."));
        assert_eq!(opt, Some((DHO_FQDN, want)));
        assert_eq!(host, "host1.example.com.");
        assert!(fwd && rev);
    }

    #[test]
    fn fqdn_client_delegation_and_no_update() {
        let p = params("example.com");
        let (opt, host, fwd, rev) = run(&[fqdn_opt(0x04, &wire("h2.example.org."))], &p);
        assert_eq!(opt.unwrap().1[0], 0x04);
        assert_eq!(host, "h2.example.org.");
        assert_eq!((fwd, rev), (false, true));
        let (opt, _, fwd, rev) = run(&[fqdn_opt(0x0c, &wire("h3.example.org."))], &p);
        assert_eq!(opt.unwrap().1[0], 0x0c);
        assert_eq!((fwd, rev), (false, false));
    }

    #[test]
    fn fqdn_ascii_encoding_is_kept() {
        // Kea 2.2: 01 00 00 "h4" -> 01 00 00 "h4.example.com."
        let (opt, host, ..) = run(&[fqdn_opt(0x01, b"h4")], &params("example.com"));
        let mut want = vec![0x01, 0, 0];
        want.extend_from_slice(b"h4.example.com.");
        assert_eq!(opt, Some((DHO_FQDN, want)));
        assert_eq!(host, "h4.example.com.");
    }

    #[test]
    fn fqdn_empty_name_is_generated_and_rcodes_echoed() {
        let p = params("example.com");
        let (opt, host, ..) = run(&[(DHO_FQDN, vec![0x05, 0xff, 0xff])], &p);
        assert_eq!(host, "myhost-10-0-0-17.example.com.");
        let mut want = vec![0x05, 0xff, 0xff];
        want.extend(wire("myhost-10-0-0-17.example.com."));
        assert_eq!(opt, Some((DHO_FQDN, want)));
    }

    #[test]
    fn fqdn_labels_are_scrubbed_one_by_one() {
        let (_, host, ..) = run(
            &[fqdn_opt(0x05, &wire("foo bar.example.org."))],
            &params("example.com"),
        );
        assert_eq!(host, "foobar.example.org.");
        // A set that does not spare dots still keeps the labels apart.
        let mut p = params("");
        p.sanitizer = crate::ddns::HostnameSanitizer::new("[^a-z]", "x").unwrap();
        let (_, host, ..) = run(&[fqdn_opt(0x05, &wire("a_b.c1."))], &p);
        assert_eq!(host, "axb.cx.");
    }

    #[test]
    fn fqdn_with_s_and_n_is_refused() {
        let q = query(&[fqdn_opt(0x09, &wire("h14."))]);
        assert!(matches!(
            process_client_name(&q, None, &params("")),
            Err(FqdnError::Flags(_))
        ));
        let q = query(&[(DHO_FQDN, vec![0x05, 0])]);
        assert!(matches!(
            process_client_name(&q, None, &params("")),
            Err(FqdnError::Truncated { .. })
        ));
        let q = query(&[fqdn_opt(0x05, &[5, b'a'])]);
        assert_eq!(
            process_client_name(&q, None, &params("")),
            Err(FqdnError::BadName)
        );
    }

    #[test]
    fn hostname_option_follows_kea_2_2() {
        let p = params("example.com");
        let h = |v: &[u8]| run(&[(DHO_HOST_NAME, v.to_vec())], &p);
        assert_eq!(h(b"h5").1, "h5.example.com");
        assert_eq!(h(b"H6.Other.Org").1, "h6.other.org");
        assert_eq!(h(b"bad_na!me").1, "badname.example.com");
        assert_eq!(h(b"h12.").1, "h12.example.com");
        assert_eq!(h(b"h13.example.net.").1, "h13.example.net.");
        assert_eq!(h(b"my host").1, "myhost.example.com");
        let (opt, _, fwd, rev) = h(b"h5");
        assert_eq!(opt, Some((DHO_HOST_NAME, b"h5.example.com".to_vec())));
        assert!(fwd && rev);
        // Without a suffix, a single label stays as it is.
        let p = params("");
        assert_eq!(run(&[(DHO_HOST_NAME, b"h5".to_vec())], &p).1, "h5");
        assert_eq!(run(&[(DHO_HOST_NAME, b"h12.".to_vec())], &p).1, "h12");
        // A malformed name is ignored.
        assert_eq!(run(&[(DHO_HOST_NAME, b"a..b".to_vec())], &p).0, None);
    }

    #[test]
    fn replace_client_name_modes() {
        let mut p = params("example.com");
        p.replace_client_name = ReplaceClientName::WhenNotPresent;
        assert_eq!(run(&[], &p).1, "myhost-10-0-0-17.example.com");
        assert_eq!(
            run(&[(DHO_HOST_NAME, b"h5".to_vec())], &p).1,
            "h5.example.com"
        );
        p.replace_client_name = ReplaceClientName::WhenPresent;
        assert_eq!(run(&[], &p).0, None);
        assert_eq!(
            run(&[(DHO_HOST_NAME, b"h5".to_vec())], &p).1,
            "myhost-10-0-0-17.example.com"
        );
        assert_eq!(
            run(&[fqdn_opt(0x05, &wire("x"))], &p).1,
            "myhost-10-0-0-17.example.com."
        );
        p.replace_client_name = ReplaceClientName::Always;
        assert_eq!(run(&[], &p).1, "myhost-10-0-0-17.example.com");
        p.replace_client_name = ReplaceClientName::Never;
        assert_eq!(run(&[], &p).0, None);
    }

    #[test]
    fn reservation_name_wins() {
        let p = params("example.com");
        let q = query(&[fqdn_opt(0x05, &wire("client"))]);
        let n = process_client_name(&q, Some("Reserved-Host"), &p).unwrap();
        assert_eq!(n.hostname(), "reserved-host.example.com.");
        let q = query(&[]);
        let n = process_client_name(&q, Some("resv.other.org"), &p).unwrap();
        assert_eq!(n.hostname(), "resv.other.org.example.com");
        assert_eq!(n.option().unwrap().0, DHO_HOST_NAME);
    }

    #[test]
    fn disabled_updates_still_shape_names_but_set_n() {
        let mut p = params("example.com");
        p.enable_updates = false;
        p.replace_client_name = ReplaceClientName::WhenPresent;
        // Kea 2.2 with ddns-send-updates false: 05 -> 0e (N, O, E), name generated.
        let (opt, host, fwd, rev) = run(&[fqdn_opt(0x05, &wire("Host1"))], &p);
        assert_eq!(opt.unwrap().1[0], 0x0e);
        assert_eq!(host, "myhost-10-0-0-17.example.com.");
        assert_eq!((fwd, rev), (false, false));
        let (_, _, fwd, rev) = run(&[(DHO_HOST_NAME, b"h5".to_vec())], &p);
        assert_eq!((fwd, rev), (false, false));
    }
}
