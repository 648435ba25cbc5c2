//! The DHCPv4 lease file row (schema 2.1 in Kea 2.2): encoding and decoding [`Lease4`]
//! (INVENTORY §11; `dhcp4-srv.rst`, "Memfile - Basic Storage for Leases").
//!
//! Columns: `address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,
//! hostname,state,user_context`. Schema 1.0 ended at `hostname`, 2.0 added `state`.
//! The hardware type is not stored: every loaded address is Ethernet.

use crate::csv_escape::{escape, unescape};
use crate::field::{
    bool_text, boolean, context_text, int, read_context, read_hex, read_state, read_times,
};
use crate::hex::{parse_colon_hex, parse_hex_id, to_colon_hex};
use crate::hwaddr::{HWADDR_MAX, HwAddr};
use crate::lease::{Lease4, LeaseState};
use crate::row::{Column, LeaseRow, RowError, Schema};
use std::net::Ipv4Addr;

const fn col(name: &'static str, since: &'static str, default: &'static str) -> Column {
    Column {
        name,
        since,
        default,
    }
}

/// The v4 columns in file order.
const COLUMNS4: &[Column] = &[
    col("address", "1.0", ""),
    col("hwaddr", "1.0", ""),
    col("client_id", "1.0", ""),
    col("valid_lifetime", "1.0", ""),
    col("expire", "1.0", ""),
    col("subnet_id", "1.0", ""),
    col("fqdn_fwd", "1.0", ""),
    col("fqdn_rev", "1.0", ""),
    col("hostname", "1.0", ""),
    col("state", "2.0", "0"),
    col("user_context", "2.1", ""),
];

/// The DHCPv4 lease file schema written by Kea 2.2.
pub static SCHEMA4: Schema = Schema {
    version: "2.1",
    columns: COLUMNS4,
    min_columns: 9,
};

/// Client identifier length limits: Kea 2.2 rejects one-byte identifiers (verified); the
/// option's length field is one byte.
pub const CLIENT_ID_LEN: (usize, usize) = (2, 255);

impl LeaseRow for Lease4 {
    type Key = Ipv4Addr;
    const SCHEMA: &'static Schema = &SCHEMA4;

    fn key(&self) -> Ipv4Addr {
        self.addr
    }

    fn valid_lft(&self) -> u32 {
        self.valid_lft
    }

    fn to_row(&self) -> String {
        let hwaddr = self
            .hwaddr
            .as_ref()
            .map(|hw| to_colon_hex(&hw.bytes))
            .unwrap_or_default();
        let client_id = self
            .client_id
            .as_deref()
            .map(to_colon_hex)
            .unwrap_or_default();
        format!(
            "{},{},{},{},{},{},{},{},{},{},{}",
            self.addr,
            hwaddr,
            client_id,
            self.valid_lft,
            self.expire(),
            self.subnet_id,
            bool_text(self.fqdn_fwd),
            bool_text(self.fqdn_rev),
            escape(&self.hostname),
            self.state.code(),
            context_text(self.user_context.as_ref()),
        )
    }

    fn from_fields(f: &[&str]) -> Result<Self, RowError> {
        let [
            address,
            hwaddr,
            client_id,
            valid,
            expire,
            subnet_id,
            fwd,
            rev,
            hostname,
            state,
            context,
        ] = f
        else {
            return Err(RowError::FieldCount {
                found: f.len(),
                expected: COLUMNS4.len(),
            });
        };
        let addr: Ipv4Addr = address.parse().map_err(|_| RowError::Address {
            value: (*address).to_owned(),
        })?;
        let state = read_state(state)?;
        let hw_bytes = read_hex("hwaddr", hwaddr, parse_colon_hex, (0, HWADDR_MAX))?;
        if hw_bytes.is_empty() && state != LeaseState::Declined {
            return Err(RowError::BlankHwAddr);
        }
        let client_id = read_hex("client_id", client_id, parse_hex_id, CLIENT_ID_LEN)?;
        let (valid_lft, cltt) = read_times(valid, expire)?;
        Ok(Self {
            addr,
            hwaddr: (!hw_bytes.is_empty()).then(|| HwAddr::ether(hw_bytes)),
            client_id: (!client_id.is_empty()).then_some(client_id),
            valid_lft,
            cltt,
            subnet_id: int("subnet_id", subnet_id)?,
            fqdn_fwd: boolean("fqdn_fwd", fwd)?,
            fqdn_rev: boolean("fqdn_rev", rev)?,
            hostname: unescape(hostname),
            state,
            user_context: read_context(context)?,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use serde_json::{Value, json};

    /// Rows written by Kea 2.2 (INVENTORY §11).
    const KEA_ROWS: &[&str] = &[
        r#"192.0.2.50,1a:1b:1c:1d:1e:1f,01:1a:1b:1c:1d:1e:1f,3600,1795439978,1,1,1,host50.example.org,0,{ "note": "x" }"#,
        "192.0.2.51,1a:1b:1c:1d:1e:20,,0,1795436388,1,0,0,,1,",
        r#"192.0.2.52,1a:1b:1c:1d:1e:21,,7200,1795443593,1,0,0,a&#x2cb,0,{ "a": 1&#x2c "b": "x&#x2cy" }"#,
        "192.0.2.53,,,7200,1795450785,1,0,0,,1,",
    ];

    #[test]
    fn header_matches_kea() {
        assert_eq!(
            SCHEMA4.header(),
            "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state,user_context"
        );
    }

    #[test]
    fn kea_rows_decode_and_re_encode_identically() {
        for row in KEA_ROWS {
            let lease = Lease4::from_current_row(row).unwrap();
            assert_eq!(lease.to_row(), *row);
        }
    }

    #[test]
    fn decodes_every_column() {
        let lease = Lease4::from_current_row(KEA_ROWS[2]).unwrap();
        assert_eq!(lease.addr, Ipv4Addr::new(192, 0, 2, 52));
        assert_eq!(
            lease.hwaddr,
            Some(HwAddr::ether(vec![0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x21]))
        );
        assert_eq!(lease.client_id, None);
        assert_eq!(lease.valid_lft, 7200);
        assert_eq!(lease.cltt, 1795443593 - 7200);
        assert_eq!(lease.hostname, "a,b");
        assert_eq!(lease.state, LeaseState::Default);
        assert_eq!(
            Value::Object(lease.user_context.unwrap()),
            json!({"a": 1, "b": "x,y"})
        );
        let declined = Lease4::from_current_row(KEA_ROWS[3]).unwrap();
        assert_eq!(declined.hwaddr, None);
        assert_eq!(declined.state, LeaseState::Declined);
    }

    #[test]
    fn schema_1_0_rows_load_with_defaults() {
        let header = SCHEMA4
            .check_header("address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname")
            .unwrap();
        let lease =
            Lease4::from_row("192.0.2.9,01:02:03:04:05:06,,100,1100,3,0,1,h", header).unwrap();
        assert_eq!(lease.cltt, 1000);
        assert_eq!(lease.state, LeaseState::Default);
        assert_eq!(lease.user_context, None);
        assert!(lease.fqdn_rev);
    }

    #[test]
    fn bad_rows_give_structured_errors() {
        type Check = fn(&RowError) -> bool;
        let cases: &[(&str, Check)] = &[
            ("192.0.2.500,01:02,,1,2,1,0,0,,0,", |e| {
                matches!(e, RowError::Address { .. })
            }),
            ("192.0.2.1,,,1,2,1,0,0,,0,", |e| *e == RowError::BlankHwAddr),
            ("192.0.2.1,zz,,1,2,1,0,0,,0,", |e| {
                matches!(
                    e,
                    RowError::Hex {
                        column: "hwaddr",
                        ..
                    }
                )
            }),
            ("192.0.2.1,01,,x,2,1,0,0,,0,", |e| {
                matches!(
                    e,
                    RowError::Integer {
                        column: "valid_lifetime",
                        ..
                    }
                )
            }),
            ("192.0.2.1,01,02,1,2,1,0,0,,0,", |e| {
                matches!(
                    e,
                    RowError::Length {
                        column: "client_id",
                        len: 1,
                        ..
                    }
                )
            }),
            ("192.0.2.1,010203,,1,2,1,0,0,,0,", |e| {
                matches!(
                    e,
                    RowError::Hex {
                        column: "hwaddr",
                        ..
                    }
                )
            }),
            ("192.0.2.1,01,,1,2,1,2,0,,0,", |e| {
                matches!(
                    e,
                    RowError::Bool {
                        column: "fqdn_fwd",
                        ..
                    }
                )
            }),
            ("192.0.2.1,01,,1,2,1,0,0,,9,", |e| {
                *e == RowError::State { code: 9 }
            }),
            ("192.0.2.1,01,,1,2,1,0,0,,0,[1]", |e| {
                *e == RowError::UserContextNotMap
            }),
            ("192.0.2.1,01,,1,2,1,0,0,,0,{", |e| {
                matches!(e, RowError::UserContext { .. })
            }),
            ("192.0.2.1,01,,1,2", |e| {
                matches!(e, RowError::TooFewColumns { .. })
            }),
        ];
        for (row, check) in cases {
            let err = Lease4::from_current_row(row).unwrap_err();
            assert!(check(&err), "{row}: {err:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn row_round_trip(lease in crate::proptest_support::lease4()) {
            let row = lease.to_row();
            proptest::prop_assert_eq!(row.lines().count(), 1);
            proptest::prop_assert_eq!(row.split(',').count(), Lease4::SCHEMA.columns.len());
            proptest::prop_assert_eq!(Lease4::from_current_row(&row), Ok(lease));
        }

        #[test]
        fn arbitrary_rows_never_panic(
            fields in proptest::collection::vec("([0-9a-f:.&#x{}\"]|.){0,12}", 8..20)
        ) {
            let _ = Lease4::from_current_row(&fields.join(","));
        }
    }
}
