//! The selector of `lease4-get`/`lease4-del` (and their v6 twins): an address, or a
//! subnet plus an identifier (`hooks-lease-cmds.rst`, "The lease4-get, lease6-get
//! Commands" and "The lease4-del, lease6-del Commands"), with Kea 2.2's checks in Kea's
//! order and its texts.

use crate::args::{Wire, int_value, parse_ip, subnet_id_cast};
use crate::ids::{parse_client_id, parse_duid, parse_hwaddr};
use serde_json::Value;
use std::net::IpAddr;

/// Which family a command serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    /// `lease4-*`.
    V4,
    /// `lease6-*`.
    V6,
}

impl Family {
    /// `IPv4` / `IPv6`, as Kea's texts say.
    pub(crate) fn ip_name(self) -> &'static str {
        match self {
            Self::V4 => "IPv4",
            Self::V6 => "IPv6",
        }
    }

    /// Whether `addr` is of this family.
    pub(crate) fn matches(self, addr: IpAddr) -> bool {
        matches!(
            (self, addr),
            (Self::V4, IpAddr::V4(_)) | (Self::V6, IpAddr::V6(_))
        )
    }
}

/// How the lease is looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Query {
    /// By address.
    Address(IpAddr),
    /// By hardware address in a subnet.
    HwAddr(Vec<u8>),
    /// By client identifier in a subnet.
    ClientId(Vec<u8>),
    /// By DUID (and IAID) in a subnet.
    Duid(Vec<u8>),
    /// `identifier-type` "address" with an identifier: Kea looks up the unspecified
    /// address, which never has a lease.
    Unspecified,
}

/// Parsed selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Params {
    /// The lookup.
    pub(crate) query: Query,
    /// The subnet for identifier lookups.
    pub(crate) subnet_id: u32,
    /// `update-ddns` (delete only).
    pub(crate) update_ddns: bool,
}

const TYPE_NAMES: &[&str] = &["IA_NA", "IA_TA", "IA_PD", "V4"];

/// Kea's `getParameters`.
pub(crate) fn parse(
    family: Family,
    wire: &Wire<'_>,
    args: Option<&Value>,
) -> Result<Params, String> {
    let Some(Value::Object(map)) = args else {
        return Err("Parameters missing or are not a map.".to_owned());
    };
    let mut update_ddns = false;
    if let Some(v) = map.get("update-ddns") {
        update_ddns = v
            .as_bool()
            .ok_or_else(|| "'update-ddns' is not a boolean".to_owned())?;
    }
    if let Some(t) = map.get("type") {
        let Value::String(t) = t else {
            return Err(format!(
                "stringValue() called on non-string Element in {}",
                wire.value_pos("type")
            ));
        };
        if !TYPE_NAMES.contains(&t.as_str()) {
            return Err(format!(
                "Invalid lease type specified: {t}, only supported values are: IA_NA, IA_TA, IA_PD and V4"
            ));
        }
    }
    if let Some(addr) = map.get("ip-address") {
        let Value::String(text) = addr else {
            return Err("'ip-address' is not a string.".to_owned());
        };
        let addr = parse_ip(text)?;
        if !family.matches(addr) {
            return Err(format!(
                "Invalid {} address specified: {addr}",
                family.ip_name()
            ));
        }
        return Ok(Params {
            query: Query::Address(addr),
            subnet_id: 0,
            update_ddns,
        });
    }
    let Some(subnet_id) = map.get("subnet-id") else {
        return Err("Mandatory 'subnet-id' parameter missing.".to_owned());
    };
    let subnet_id = int_value(subnet_id)
        .map(subnet_id_cast)
        .ok_or_else(|| "'subnet-id' parameter is not integer.".to_owned())?;
    let Some(Value::String(id_type)) = map.get("identifier-type") else {
        return Err(
            "No 'ip-address' provided and 'identifier-type' is either missing or not a string."
                .to_owned(),
        );
    };
    let Some(Value::String(ident)) = map.get("identifier") else {
        return Err(
            "No 'ip-address' provided and 'identifier' is either missing or not a string."
                .to_owned(),
        );
    };
    let query = match id_type.as_str() {
        "address" => Query::Unspecified,
        "hw-address" => Query::HwAddr(parse_hwaddr(ident)?),
        "client-id" => Query::ClientId(parse_client_id(ident)?),
        "duid" => Query::Duid(parse_duid(ident)?),
        other => {
            return Err(format!(
                "Incorrect identifier type: {other}, the only supported values are: address, hw-address, duid"
            ));
        }
    };
    Ok(Params {
        query,
        subnet_id,
        update_ddns,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use serde_json::json;

    fn p(family: Family, args: Value) -> Result<Params, String> {
        parse(family, &Wire::new("lease4-get", Some(&args)), Some(&args))
    }

    #[test]
    fn selectors() {
        assert_eq!(
            p(Family::V4, json!({"ip-address": "192.0.2.1"}))
                .unwrap()
                .query,
            Query::Address("192.0.2.1".parse().unwrap())
        );
        let q = p(
            Family::V4,
            json!({"identifier-type": "hw-address", "identifier": "1a:1b", "subnet-id": 1}),
        )
        .unwrap();
        assert_eq!(q.query, Query::HwAddr(vec![0x1a, 0x1b]));
        assert_eq!(q.subnet_id, 1);
        assert_eq!(
            p(
                Family::V4,
                json!({"identifier-type": "address", "identifier": "x", "subnet-id": 1})
            )
            .unwrap()
            .query,
            Query::Unspecified
        );
    }

    /// Texts captured from Kea 2.2.
    #[test]
    fn errors_like_kea() {
        let cases = [
            (json!("x"), "Parameters missing or are not a map."),
            (json!({}), "Mandatory 'subnet-id' parameter missing."),
            (json!({"ip-address": 5}), "'ip-address' is not a string."),
            (
                json!({"ip-address": "2001:db8::1"}),
                "Invalid IPv4 address specified: 2001:db8::1",
            ),
            (
                json!({"ip-address": "bogus"}),
                "Failed to convert string to address 'bogus': Invalid argument",
            ),
            (
                json!({"identifier-type": "hw-address", "identifier": "1a", "subnet-id": "1"}),
                "'subnet-id' parameter is not integer.",
            ),
            (
                json!({"subnet-id": 1}),
                "No 'ip-address' provided and 'identifier-type' is either missing or not a string.",
            ),
            (
                json!({"identifier-type": "hw-address", "identifier": 5, "subnet-id": 1}),
                "No 'ip-address' provided and 'identifier' is either missing or not a string.",
            ),
            (
                json!({"identifier-type": "foo", "identifier": "01", "subnet-id": 1}),
                "Incorrect identifier type: foo, the only supported values are: address, hw-address, duid",
            ),
            (
                json!({"ip-address": "192.0.2.11", "update-ddns": "x"}),
                "'update-ddns' is not a boolean",
            ),
        ];
        for (args, text) in cases {
            assert_eq!(p(Family::V4, args.clone()).unwrap_err(), text, "{args}");
        }
        assert_eq!(
            parse(Family::V4, &Wire::new("lease4-get", None), None).unwrap_err(),
            "Parameters missing or are not a map."
        );
        assert_eq!(
            p(Family::V6, json!({"ip-address": "192.0.2.11"})).unwrap_err(),
            "Invalid IPv6 address specified: 192.0.2.11"
        );
        let args = json!({"ip-address":"2001:db8::1","type":5});
        assert_eq!(
            parse(
                Family::V6,
                &Wire::new("lease6-get", Some(&args)),
                Some(&args)
            )
            .unwrap_err(),
            "stringValue() called on non-string Element in (<wire>:0:71)"
        );
        assert_eq!(
            p(
                Family::V6,
                json!({"ip-address":"2001:db8::1","type":"IA_XX"})
            )
            .unwrap_err(),
            "Invalid lease type specified: IA_XX, only supported values are: IA_NA, IA_TA, IA_PD and V4"
        );
    }
}
