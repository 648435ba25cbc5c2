//! Column value encodings shared by the v4 and v6 lease file rows: unsigned integers,
//! `0`/`1` flags, the lease state, hex byte strings with length limits, the
//! `valid_lifetime`/`expire` pair (cltt = expire - valid lifetime) and the escaped
//! user-context JSON (INVENTORY §11, column table).

use crate::csv_escape::{escape, unescape};
use crate::hex::HexError;
use crate::kea_json::{parse, to_kea_text};
use crate::lease::{LeaseState, UserContext};
use crate::row::RowError;
use serde_json::Value;

/// Parses an unsigned integer column.
pub(crate) fn int<T: std::str::FromStr>(column: &'static str, value: &str) -> Result<T, RowError> {
    value.parse().map_err(|_| RowError::Integer {
        column,
        value: value.to_owned(),
    })
}

/// Parses a `0`/`1` column.
pub(crate) fn boolean(column: &'static str, value: &str) -> Result<bool, RowError> {
    match value {
        "0" => Ok(false),
        "1" => Ok(true),
        _ => Err(RowError::Bool {
            column,
            value: value.to_owned(),
        }),
    }
}

/// Formats a boolean column.
pub(crate) fn bool_text(value: bool) -> &'static str {
    if value { "1" } else { "0" }
}

/// The `user_context` column text: Kea's JSON layout, escaped; empty when absent.
pub(crate) fn context_text(context: Option<&UserContext>) -> String {
    context
        .map(|map| escape(&to_kea_text(&Value::Object(map.clone()))))
        .unwrap_or_default()
}

/// Reads the `user_context` column: empty means none, otherwise a JSON map.
pub(crate) fn read_context(text: &str) -> Result<Option<UserContext>, RowError> {
    let text = unescape(text);
    if text.is_empty() {
        return Ok(None);
    }
    match parse(&text).map_err(|source| RowError::UserContext { source })? {
        Value::Object(map) => Ok(Some(map)),
        _ => Err(RowError::UserContextNotMap),
    }
}

/// Reads the `state` column.
// KEA-DIFF: Kea 2.2 keeps any number in the state column (verified with 5); we reject the
// row, since no Kea version writes a state other than 0, 1 or 2.
pub(crate) fn read_state(text: &str) -> Result<LeaseState, RowError> {
    let code: u32 = int("state", text)?;
    LeaseState::from_code(code).ok_or(RowError::State { code })
}

/// Reads a hex column with `parse` (strict for hardware addresses, lenient for
/// identifiers) and checks its decoded length (`min` applies to non-empty values).
pub(crate) fn read_hex(
    column: &'static str,
    text: &str,
    parse: fn(&str) -> Result<Vec<u8>, HexError>,
    (min, max): (usize, usize),
) -> Result<Vec<u8>, RowError> {
    let bytes = parse(text).map_err(|source| RowError::Hex {
        column,
        value: text.to_owned(),
        source,
    })?;
    if !bytes.is_empty() && (bytes.len() < min || bytes.len() > max) {
        return Err(RowError::Length {
            column,
            len: bytes.len(),
            min,
            max,
        });
    }
    Ok(bytes)
}

/// Reads `valid_lifetime` and `expire` and derives the client last transmission time.
/// An `expire` below the lifetime gives a negative cltt, as Kea 2.2 loads it (verified);
/// the row then re-encodes to the same `expire`.
pub(crate) fn read_times(valid: &str, expire: &str) -> Result<(u32, i64), RowError> {
    let valid: u32 = int("valid_lifetime", valid)?;
    let expire_value: u64 = int("expire", expire)?;
    let expire_value = i64::try_from(expire_value).map_err(|_| RowError::Integer {
        column: "expire",
        value: expire.to_owned(),
    })?;
    Ok((valid, expire_value - i64::from(valid)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    #[test]
    fn field_parsers() {
        assert_eq!(int::<u32>("x", "42"), Ok(42));
        assert!(int::<u32>("x", "-1").is_err());
        assert_eq!(boolean("f", "1"), Ok(true));
        assert!(boolean("f", "true").is_err());
    }

    #[test]
    fn times_and_context() {
        assert_eq!(read_times("100", "1100"), Ok((100, 1000)));
        assert_eq!(read_times("100", "50"), Ok((100, -50)));
        assert!(matches!(
            read_times("1", "18446744073709551615"),
            Err(RowError::Integer {
                column: "expire",
                ..
            })
        ));
        assert_eq!(read_context(""), Ok(None));
        let ctx = read_context(r#"{ "a": "x&#x2cy" }"#).unwrap();
        assert_eq!(context_text(ctx.as_ref()), r#"{ "a": "x&#x2cy" }"#);
        assert_eq!(read_state("2"), Ok(LeaseState::ExpiredReclaimed));
        assert!(matches!(
            read_hex("duid", "01:02:03", crate::hex::parse_hex_id, (1, 2)),
            Err(RowError::Length { len: 3, .. })
        ));
    }
}
