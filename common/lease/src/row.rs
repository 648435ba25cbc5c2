//! The row layer shared by the v4 and v6 lease files: column lists with the schema version
//! that introduced each column, header validation, splitting and normalising rows, and the
//! [`RowError`] a bad row yields (INVENTORY §11; `dhcp4-srv.rst`, "Memfile - Basic Storage
//! for Leases").
//!
//! Kea still loads files written with older schemas: their header is a prefix of the
//! current column list and missing trailing columns take the column's default. A header
//! with extra trailing columns (written by a newer Kea) is accepted too and the extra
//! values are ignored. Rows are split on `,` without quoting; commas inside values are
//! escaped (see [`crate::csv_escape`]).

use crate::hex::HexError;
use crate::kea_json::KeaJsonError;
use thiserror::Error;

/// One column of a lease file schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The name in the header row.
    pub name: &'static str,
    /// The schema version that introduced the column.
    pub since: &'static str,
    /// The value assumed when a row of an older schema lacks the column.
    pub default: &'static str,
}

/// A lease file schema: the ordered columns and how many of them a row needs at least.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schema {
    /// The schema version written (`2.1` for v4, `4.0` for v6 in Kea 2.2).
    pub version: &'static str,
    /// All columns in file order.
    pub columns: &'static [Column],
    /// A header naming fewer columns than this (the oldest schema) is invalid.
    pub min_columns: usize,
}

/// What the header row of an existing file says about its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputHeader {
    /// The number of columns the header names.
    pub columns: usize,
}

/// Why a header row is unusable; the whole file is then rejected.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HeaderError {
    /// The header names fewer columns than the oldest schema had.
    #[error("header has {found} columns, at least {min} are required")]
    TooFewColumns {
        /// Columns found.
        found: usize,
        /// Columns required.
        min: usize,
    },
    /// A column name differs from the schema's name at that position.
    #[error("header column {index} is '{found}', expected '{expected}'")]
    WrongColumn {
        /// Zero-based position.
        index: usize,
        /// The schema's name.
        expected: &'static str,
        /// The header's name.
        found: String,
    },
}

/// Why one row could not be turned into a lease. The loader logs it and skips the row.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RowError {
    /// The row has fewer values than its file's header names.
    #[error("row has {found} values, expected at least {min}")]
    TooFewColumns {
        /// Values found.
        found: usize,
        /// Values required.
        min: usize,
    },
    /// A decoder was handed a value list not fitted to its schema.
    #[error("{found} values given, the schema has {expected} columns")]
    FieldCount {
        /// Values given.
        found: usize,
        /// Columns in the schema.
        expected: usize,
    },
    /// The address column does not hold an address of the file's family.
    #[error("invalid address '{value}'")]
    Address {
        /// The text found.
        value: String,
    },
    /// A hex column (`hwaddr`, `client_id`, `duid`) is malformed.
    #[error("invalid {column} '{value}': {source}")]
    Hex {
        /// The column name.
        column: &'static str,
        /// The text found.
        value: String,
        /// What is wrong with it.
        source: HexError,
    },
    /// A hex column decodes to a length the column does not allow.
    #[error("{column} of {len} bytes is out of range {min}..={max}")]
    Length {
        /// The column name.
        column: &'static str,
        /// Decoded length.
        len: usize,
        /// Shortest allowed.
        min: usize,
        /// Longest allowed.
        max: usize,
    },
    /// An unsigned integer column is malformed or out of range.
    #[error("invalid {column} '{value}'")]
    Integer {
        /// The column name.
        column: &'static str,
        /// The text found.
        value: String,
    },
    /// A boolean column is neither `0` nor `1`.
    #[error("invalid {column} '{value}', expected 0 or 1")]
    Bool {
        /// The column name.
        column: &'static str,
        /// The text found.
        value: String,
    },
    /// The state is not 0, 1 or 2.
    #[error("invalid lease state {code}")]
    State {
        /// The number found.
        code: u32,
    },
    /// The v6 lease type is not 0, 1 or 2.
    #[error("invalid lease type {code}")]
    LeaseType {
        /// The number found.
        code: u32,
    },
    /// The v6 prefix length exceeds 128.
    #[error("invalid prefix length {len}")]
    PrefixLen {
        /// The number found.
        len: u32,
    },
    /// A lease other than a declined one has no hardware address (v4).
    #[error("a blank hardware address is only valid for declined leases")]
    BlankHwAddr,
    /// A lease other than a declined one has the empty DUID `00` (v6).
    #[error("the empty DUID is only valid for declined leases")]
    EmptyDuid,
    /// The user context is not valid JSON.
    #[error("invalid user context: {source}")]
    UserContext {
        /// The parse error.
        source: KeaJsonError,
    },
    /// The user context is JSON but not a map.
    #[error("user context is not a JSON map")]
    UserContextNotMap,
}

impl Schema {
    /// The header row written at the top of every new file (without the newline).
    pub fn header(&self) -> String {
        let names: Vec<&str> = self.columns.iter().map(|c| c.name).collect();
        names.join(",")
    }

    /// Checks an existing file's header row: it must name the schema's columns in order,
    /// at least `min_columns` of them; extra trailing names (a newer schema) are allowed.
    pub fn check_header(&self, line: &str) -> Result<InputHeader, HeaderError> {
        let names: Vec<&str> = line.split(',').collect();
        if names.len() < self.min_columns {
            return Err(HeaderError::TooFewColumns {
                found: names.len(),
                min: self.min_columns,
            });
        }
        for (index, (column, found)) in self.columns.iter().zip(&names).enumerate() {
            if column.name != *found {
                return Err(HeaderError::WrongColumn {
                    index,
                    expected: column.name,
                    found: (*found).to_owned(),
                });
            }
        }
        Ok(InputHeader {
            columns: names.len(),
        })
    }

    /// Whether a header describes exactly this schema (no conversion needed).
    pub fn is_current(&self, header: InputHeader) -> bool {
        header.columns == self.columns.len()
    }

    /// Splits a row and fits it to the schema: values of columns an older file lacks take
    /// their defaults, values beyond the schema's columns are ignored. As Kea 2.2 does
    /// (verified), a row needs every column its header names that this schema knows, and
    /// extra trailing values are accepted.
    pub fn fields<'a>(&self, line: &'a str, header: InputHeader) -> Result<Vec<&'a str>, RowError> {
        let mut fields: Vec<&'a str> = line.split(',').collect();
        let min = header.columns.min(self.columns.len());
        if fields.len() < min {
            return Err(RowError::TooFewColumns {
                found: fields.len(),
                min,
            });
        }
        fields.truncate(self.columns.len());
        for column in &self.columns[fields.len()..] {
            fields.push(column.default);
        }
        Ok(fields)
    }
}

/// A lease type that has a lease file row form (implemented by `Lease4` and `Lease6`).
pub trait LeaseRow: Sized {
    /// The lease's key in the file: a later row for the same key replaces an earlier one.
    type Key: Ord + Copy + std::fmt::Display;
    /// The schema this type writes.
    const SCHEMA: &'static Schema;
    /// The key of this lease (its address).
    fn key(&self) -> Self::Key;
    /// The valid lifetime; a row with 0 records a deleted lease.
    fn valid_lft(&self) -> u32;
    /// Encodes the lease as one row of the current schema (without the newline).
    fn to_row(&self) -> String;
    /// Decodes a row whose values were fitted to the schema by [`Schema::fields`].
    fn from_fields(fields: &[&str]) -> Result<Self, RowError>;
    /// Decodes a row of a file whose header is `header`.
    fn from_row(line: &str, header: InputHeader) -> Result<Self, RowError> {
        Self::from_fields(&Self::SCHEMA.fields(line, header)?)
    }
    /// Decodes a row of a current-schema file.
    fn from_current_row(line: &str) -> Result<Self, RowError> {
        let header = InputHeader {
            columns: Self::SCHEMA.columns.len(),
        };
        Self::from_row(line, header)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    const COLUMNS: &[Column] = &[
        Column {
            name: "a",
            since: "1.0",
            default: "",
        },
        Column {
            name: "b",
            since: "1.0",
            default: "",
        },
        Column {
            name: "c",
            since: "2.0",
            default: "7",
        },
    ];
    const SCHEMA: Schema = Schema {
        version: "2.0",
        columns: COLUMNS,
        min_columns: 2,
    };

    #[test]
    fn header_is_the_column_list() {
        assert_eq!(SCHEMA.header(), "a,b,c");
        assert!(SCHEMA.is_current(SCHEMA.check_header("a,b,c").unwrap()));
    }

    #[test]
    fn older_and_newer_headers_are_accepted() {
        let old = SCHEMA.check_header("a,b").unwrap();
        assert!(!SCHEMA.is_current(old));
        assert_eq!(SCHEMA.fields("1,2", old).unwrap(), vec!["1", "2", "7"]);
        let new = SCHEMA.check_header("a,b,c,d").unwrap();
        assert_eq!(SCHEMA.fields("1,2,3,4", new).unwrap(), vec!["1", "2", "3"]);
    }

    #[test]
    fn bad_headers_and_rows_are_rejected() {
        assert_eq!(
            SCHEMA.check_header("a"),
            Err(HeaderError::TooFewColumns { found: 1, min: 2 })
        );
        assert!(matches!(
            SCHEMA.check_header("a,x,c"),
            Err(HeaderError::WrongColumn { index: 1, .. })
        ));
        let current = InputHeader { columns: 3 };
        assert_eq!(
            SCHEMA.fields("1,2", current),
            Err(RowError::TooFewColumns { found: 2, min: 3 })
        );
        assert_eq!(
            SCHEMA.fields("1,2,3,4", current).unwrap(),
            vec!["1", "2", "3"]
        );
        let old = InputHeader { columns: 2 };
        assert_eq!(SCHEMA.fields("1,2,3", old).unwrap(), vec!["1", "2", "3"]);
    }
}
