//! [`NameChangeRequest`]: what a DHCP server asks D2 to change in DNS, and its JSON text form
//! (INVENTORY §12; ARM `ddns.rst`). The writer emits Kea 2.2's bytes exactly (fixed field
//! order, no spaces); the reader accepts any order and Kea 2.5's `conflict-resolution-mode`.

use std::fmt::Write as _;
use std::net::IpAddr;

use serde_json::{Map, Value};

use crate::dhcid::Dhcid;

/// Whether names are added or removed (`change-type` 0 / 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeType {
    /// `CHG_ADD` (0): a lease was granted or renewed.
    Add,
    /// `CHG_REMOVE` (1): a lease was released, expired or declined.
    Remove,
}

/// RFC 4703 conflict resolution as the request asks D2 to apply it (ARM `dhcp4-srv.rst`,
/// `ddns-conflict-resolution-mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConflictResolutionMode {
    /// Overwrite only entries whose DHCID matches the client's (`use-conflict-resolution: true`).
    #[default]
    CheckWithDhcid,
    /// Overwrite anything, add a DHCID (`use-conflict-resolution: false`).
    NoCheckWithDhcid,
    /// Overwrite only entries that have some DHCID.
    CheckExistsWithDhcid,
    /// Overwrite anything, add no DHCID.
    NoCheckWithoutDhcid,
}

impl ConflictResolutionMode {
    /// The configuration and NCR keyword.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CheckWithDhcid => "check-with-dhcid",
            Self::NoCheckWithDhcid => "no-check-with-dhcid",
            Self::CheckExistsWithDhcid => "check-exists-with-dhcid",
            Self::NoCheckWithoutDhcid => "no-check-without-dhcid",
        }
    }

    /// Parses a keyword.
    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::CheckWithDhcid,
            Self::NoCheckWithDhcid,
            Self::CheckExistsWithDhcid,
            Self::NoCheckWithoutDhcid,
        ]
        .into_iter()
        .find(|m| m.as_str() == text)
    }

    /// Kea 2.2's boolean `use-conflict-resolution` for this mode.
    pub fn use_conflict_resolution(self) -> bool {
        matches!(self, Self::CheckWithDhcid | Self::CheckExistsWithDhcid)
    }
}

/// Why an NCR's JSON text was rejected (D2 counts these as `ncr-invalid`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NcrError {
    /// Not JSON, or not a JSON map.
    #[error("Malformed NameChangeRequest JSON: {reason}")]
    Malformed {
        /// The parser's message.
        reason: String,
    },
    /// A required member is absent.
    #[error("Missing mandatory element: {key}")]
    Missing {
        /// The member name.
        key: &'static str,
    },
    /// A member has the wrong JSON type or an out-of-range value.
    #[error("Wrong data type or value for element: {key}: {value}")]
    BadValue {
        /// The member name.
        key: &'static str,
        /// The value as JSON text.
        value: String,
    },
    /// Both `forward-change` and `reverse-change` are false.
    #[error("Invalid Request, forward and reverse flags are both false")]
    NoDirection,
    /// The datagram is shorter than its 2-byte length prefix says.
    #[error("Invalid data length: {declared} bytes declared, {available} available")]
    BadLength {
        /// The prefix value.
        declared: usize,
        /// Bytes after the prefix.
        available: usize,
    },
}

/// A name change request (Kea's `NameChangeRequest`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameChangeRequest {
    /// Add or remove.
    pub change_type: ChangeType,
    /// Update the forward zone (A/AAAA and DHCID at the FQDN).
    pub forward_change: bool,
    /// Update the reverse zone (PTR and DHCID at the address's reverse name).
    pub reverse_change: bool,
    /// The client's FQDN, always with a trailing dot.
    pub fqdn: String,
    /// The leased address; its family picks A or AAAA and the reverse tree.
    pub ip_address: IpAddr,
    /// The client's DHCID (RFC 4701).
    pub dhcid: Dhcid,
    /// Lease expiry, seconds since the Unix epoch (`YYYYMMDDHHMMSS` UTC on the wire).
    pub lease_expires_on: i64,
    /// TTL of the records D2 adds, in seconds.
    pub lease_length: u32,
    /// RFC 4703 behaviour.
    pub conflict_resolution_mode: ConflictResolutionMode,
}

impl NameChangeRequest {
    /// Kea's JSON text. Kea 2.2's modes give Kea 2.2's bytes; the two modes added in 2.4 add
    /// a `conflict-resolution-mode` member after `use-conflict-resolution`.
    pub fn to_json(&self) -> String {
        let mut s = String::with_capacity(320);
        let ct = match self.change_type {
            ChangeType::Add => 0,
            ChangeType::Remove => 1,
        };
        // Writing to a String cannot fail.
        let _ = write!(
            s,
            "{{\"change-type\":{ct},\"forward-change\":{},\"reverse-change\":{},\"fqdn\":{},\"ip-address\":\"{}\",\"dhcid\":\"{}\",\"lease-expires-on\":\"{}\",\"lease-length\":{},\"use-conflict-resolution\":{}",
            self.forward_change,
            self.reverse_change,
            Value::String(self.fqdn.clone()),
            self.ip_address,
            self.dhcid,
            format_timestamp(self.lease_expires_on),
            self.lease_length,
            self.conflict_resolution_mode.use_conflict_resolution(),
        );
        if matches!(
            self.conflict_resolution_mode,
            ConflictResolutionMode::CheckExistsWithDhcid
                | ConflictResolutionMode::NoCheckWithoutDhcid
        ) {
            let _ = write!(
                s,
                ",\"conflict-resolution-mode\":\"{}\"",
                self.conflict_resolution_mode.as_str()
            );
        }
        s.push('}');
        s
    }

    /// Parses and validates Kea's JSON text (members in any order).
    pub fn from_json(text: &[u8]) -> Result<Self, NcrError> {
        let value: Value = serde_json::from_slice(text).map_err(|e| NcrError::Malformed {
            reason: e.to_string(),
        })?;
        let Value::Object(map) = value else {
            return Err(NcrError::Malformed {
                reason: "not a JSON map".into(),
            });
        };
        Self::from_map(&map)
    }

    fn from_map(map: &Map<String, Value>) -> Result<Self, NcrError> {
        let get = |key: &'static str| map.get(key).ok_or(NcrError::Missing { key });
        let bad = |key: &'static str, v: &Value| NcrError::BadValue {
            key,
            value: v.to_string(),
        };
        let boolean = |key: &'static str| {
            let v = get(key)?;
            v.as_bool().ok_or_else(|| bad(key, v))
        };
        let string = |key: &'static str| {
            let v = get(key)?;
            v.as_str().ok_or_else(|| bad(key, v))
        };

        let v = get("change-type")?;
        let change_type = match v.as_i64() {
            Some(0) => ChangeType::Add,
            Some(1) => ChangeType::Remove,
            _ => return Err(bad("change-type", v)),
        };
        let forward_change = boolean("forward-change")?;
        let reverse_change = boolean("reverse-change")?;
        let fqdn = normalize_fqdn(string("fqdn")?).ok_or_else(|| bad("fqdn", &map["fqdn"]))?;
        let ip_address = string("ip-address")?
            .parse::<IpAddr>()
            .map_err(|_| bad("ip-address", &map["ip-address"]))?;
        let dhcid = Dhcid::from_hex(string("dhcid")?)
            .ok()
            .filter(|d| !d.is_empty())
            .ok_or_else(|| bad("dhcid", &map["dhcid"]))?;
        let lease_expires_on = parse_timestamp(string("lease-expires-on")?)
            .ok_or_else(|| bad("lease-expires-on", &map["lease-expires-on"]))?;
        let v = get("lease-length")?;
        let lease_length = v
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| bad("lease-length", v))?;
        let mut conflict_resolution_mode = match map.get("use-conflict-resolution") {
            None => ConflictResolutionMode::CheckWithDhcid,
            Some(Value::Bool(true)) => ConflictResolutionMode::CheckWithDhcid,
            Some(Value::Bool(false)) => ConflictResolutionMode::NoCheckWithDhcid,
            Some(v) => return Err(bad("use-conflict-resolution", v)),
        };
        if let Some(v) = map.get("conflict-resolution-mode") {
            conflict_resolution_mode = v
                .as_str()
                .and_then(ConflictResolutionMode::parse)
                .ok_or_else(|| bad("conflict-resolution-mode", v))?;
        }
        if !forward_change && !reverse_change {
            return Err(NcrError::NoDirection);
        }
        Ok(Self {
            change_type,
            forward_change,
            reverse_change,
            fqdn,
            ip_address,
            dhcid,
            lease_expires_on,
            lease_length,
            conflict_resolution_mode,
        })
    }
}

/// Adds the trailing dot; rejects empty names, empty labels and over-long labels.
fn normalize_fqdn(text: &str) -> Option<String> {
    let trimmed = text.strip_suffix('.').unwrap_or(text);
    if trimmed.is_empty()
        || trimmed.len() > 253
        || trimmed.split('.').any(|l| l.is_empty() || l.len() > 63)
    {
        return None;
    }
    Some(format!("{trimmed}."))
}

/// `YYYYMMDDHHMMSS` in UTC.
pub fn format_timestamp(secs: i64) -> String {
    match jiff::Timestamp::from_second(secs) {
        Ok(t) => t.strftime("%Y%m%d%H%M%S").to_string(),
        Err(_) => "00000000000000".to_owned(),
    }
}

/// Parses `YYYYMMDDHHMMSS` (UTC) into seconds since the epoch.
pub fn parse_timestamp(text: &str) -> Option<i64> {
    if text.len() != 14 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let dt = jiff::civil::DateTime::strptime("%Y%m%d%H%M%S", text).ok()?;
    let t = jiff::tz::TimeZone::UTC.to_timestamp(dt).ok()?;
    Some(t.as_second())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn captured(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn kea_bytes_round_trip() {
        for f in ["ncr1.bin", "ncr1.bin.rel", "ncr2.bin", "ncr2.bin.rel"] {
            let d = captured(f);
            let json = &d[2..];
            let ncr = NameChangeRequest::from_json(json).unwrap();
            assert_eq!(ncr.to_json().as_bytes(), json, "{f}");
        }
    }

    #[test]
    fn parsed_fields() {
        let d = captured("ncr1.bin.rel");
        let ncr = NameChangeRequest::from_json(&d[2..]).unwrap();
        assert_eq!(ncr.change_type, ChangeType::Remove);
        assert_eq!(ncr.fqdn, "myhost.example.org.");
        assert_eq!(ncr.ip_address, "192.0.2.50".parse::<IpAddr>().unwrap());
        assert_eq!(ncr.lease_length, 1200);
        assert_eq!(format_timestamp(ncr.lease_expires_on), "20261123151521");
        assert_eq!(
            ncr.conflict_resolution_mode,
            ConflictResolutionMode::CheckWithDhcid
        );
    }

    fn sample() -> String {
        r#"{"dhcid":"0102","lease-length":30,"lease-expires-on":"19700101000100","ip-address":"2001:db8::1","fqdn":"a.b","reverse-change":false,"forward-change":true,"change-type":0}"#.to_owned()
    }

    #[test]
    fn any_order_defaults_and_new_modes() {
        let ncr = NameChangeRequest::from_json(sample().as_bytes()).unwrap();
        assert_eq!(ncr.fqdn, "a.b.");
        assert_eq!(ncr.lease_expires_on, 60);
        assert_eq!(
            ncr.conflict_resolution_mode,
            ConflictResolutionMode::CheckWithDhcid
        );
        let mut m = ncr.clone();
        m.conflict_resolution_mode = ConflictResolutionMode::NoCheckWithoutDhcid;
        let text = m.to_json();
        assert!(text.ends_with(
            r#""use-conflict-resolution":false,"conflict-resolution-mode":"no-check-without-dhcid"}"#
        ));
        assert_eq!(NameChangeRequest::from_json(text.as_bytes()).unwrap(), m);
    }

    #[test]
    fn rejects_invalid() {
        let cases = [
            ("\"change-type\":0", "\"change-type\":2"),
            ("\"fqdn\":\"a.b\"", "\"fqdn\":\"a..b\""),
            ("\"ip-address\":\"2001:db8::1\"", "\"ip-address\":\"x\""),
            ("\"dhcid\":\"0102\"", "\"dhcid\":\"\""),
            ("\"lease-length\":30", "\"lease-length\":-1"),
            ("19700101000100", "1970010100010"),
            ("\"forward-change\":true", "\"forward-change\":false"),
            ("\"fqdn\":\"a.b\",", ""),
        ];
        for (from, to) in cases {
            let text = sample().replace(from, to);
            assert!(
                NameChangeRequest::from_json(text.as_bytes()).is_err(),
                "{text}"
            );
        }
        assert!(NameChangeRequest::from_json(b"[1]").is_err());
        assert!(NameChangeRequest::from_json(b"{").is_err());
    }
}
