//! Option definitions: the format of an option (name, code, space, type, array flag, record
//! fields, encapsulated space), the tables of standard definitions, and the checks Kea applies
//! to a user `option-def` entry.
//!
//! ARM: `dhcp4-srv.rst`, "Standard DHCPv4 Options", "Custom DHCPv4 Options", "DHCPv4
//! Vendor-Specific Options" and "Nested DHCPv4 Options (Custom Option Spaces)".

mod std4;
mod std6;
mod types;

use std::borrow::Cow;

use thiserror::Error;

pub use std4::{
    AGENT_OPTION_DEFS, DHCP4_OPTION_DEFS, VENDOR_4491_V4_DEFS, VENDOR_ENCAPSULATED_OPTION_DEFS,
    std_v4_def_by_code, std_v4_def_by_name, std_v4_space,
};
pub use std6::{
    DHCP6_OPTION_DEFS, ISC_V6_OPTION_DEFS, RSOO_OPTION_SPACE, S46_CONT_LW_OPTION_DEFS,
    S46_CONT_LW_OPTION_SPACE, S46_CONT_MAPE_OPTION_DEFS, S46_CONT_MAPE_OPTION_SPACE,
    S46_CONT_MAPT_OPTION_DEFS, S46_CONT_MAPT_OPTION_SPACE, S46_RULE_OPTION_DEFS,
    S46_RULE_OPTION_SPACE, S46_V4V6BIND_OPTION_DEFS, S46_V4V6BIND_OPTION_SPACE,
    VENDOR_4491_V6_DEFS, std_v6_def_by_code, std_v6_def_by_name, std_v6_space, std_v6_vendor_space,
};
pub use types::OptionDataType;

/// Name of the top-level DHCPv4 option space.
pub const DHCP4_OPTION_SPACE: &str = "dhcp4";
/// Name of the top-level DHCPv6 option space.
pub const DHCP6_OPTION_SPACE: &str = "dhcp6";
/// Space of the sub-options of option 82 (RFC 3046).
pub const DHCP_AGENT_OPTION_SPACE: &str = "dhcp-agent-options-space";
/// Last-resort space of the sub-options of option 43.
pub const VENDOR_ENCAPSULATED_OPTION_SPACE: &str = "vendor-encapsulated-options-space";

/// The space holding the sub-options of one vendor (`vendor-<enterprise-id>`), used by options
/// 125 (DHCPv4) and 17 (DHCPv6).
pub fn vendor_space_name(enterprise_id: u32) -> String {
    format!("vendor-{enterprise_id}")
}

/// Parses `vendor-<enterprise-id>` back into the enterprise id.
pub fn vendor_space_id(space: &str) -> Option<u32> {
    space.strip_prefix("vendor-")?.parse().ok()
}

/// The format of one option in one space (Kea's `OptionDefinition`).
///
/// String fields are `Cow` so that the standard tables are `static` while user definitions
/// from `option-def` own their text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OptionDefinition {
    /// Option name used in `option-data` and expressions.
    pub name: Cow<'static, str>,
    /// Option code within its space.
    pub code: u16,
    /// Option space the definition belongs to.
    pub space: Cow<'static, str>,
    /// Data type of the option (or `Record`).
    pub data_type: OptionDataType,
    /// For non-records: the option is a list of values. For records: the last field repeats.
    pub array: bool,
    /// Field types of a `Record` option; empty otherwise.
    pub record_types: Cow<'static, [OptionDataType]>,
    /// Space whose options follow the data as sub-options; empty for none.
    pub encapsulate: Cow<'static, str>,
}

/// Which protocol a definition is used with: code ranges and tuple length widths differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Universe {
    /// DHCPv4: one-octet codes and lengths.
    V4,
    /// DHCPv6: two-octet codes and lengths.
    V6,
}

/// Why an `option-def` entry is rejected (the checks Kea 2.2 applies).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OptionDefError {
    /// The name is empty or has characters other than letters, digits, `-` and `_`.
    #[error("invalid option name '{name}'")]
    InvalidName {
        /// The rejected name.
        name: String,
    },
    /// Code 0 in the `dhcp4` space.
    #[error("invalid option code '0': reserved for PAD")]
    ReservedPad,
    /// Code 255 in the `dhcp4` space.
    #[error("invalid option code '255': reserved for END")]
    ReservedEnd,
    /// A DHCPv4 code above 255.
    #[error("invalid option code '{code}', it must not be greater than '255'")]
    CodeTooLarge {
        /// The rejected code.
        code: u16,
    },
    /// A type Kea does not accept in `option-def` (`internal`).
    #[error("option type {data_type} not supported")]
    UnsupportedType {
        /// The rejected type.
        data_type: OptionDataType,
    },
    /// `array` with a type that cannot repeat (string, binary, empty).
    #[error("array of {data_type} values is not a valid option definition")]
    InvalidArray {
        /// The type that cannot form an array.
        data_type: OptionDataType,
    },
    /// A record with fewer than two fields.
    #[error(
        "invalid number of data fields: {count} specified for the option of type 'record'. \
         Expected at least 2 fields"
    )]
    TooFewRecordFields {
        /// Number of fields given.
        count: usize,
    },
    /// `record-types` given for a type other than `record`.
    #[error("'record' option type must be used instead of '{data_type}' to add data fields")]
    RecordTypesWithoutRecord {
        /// The definition's type.
        data_type: OptionDataType,
    },
    /// A record field of type empty, record or internal.
    #[error("attempted to add invalid data type '{field}' to the record")]
    InvalidRecordField {
        /// The rejected field type.
        field: OptionDataType,
    },
    /// A string or binary record field that is not the last one.
    #[error("{field} data field can't be laid before data fields of other types")]
    VariableFieldNotLast {
        /// The misplaced field type.
        field: OptionDataType,
    },
    /// An array definition that also encapsulates a space.
    #[error(
        "option '{space}.{name}', comprising an array of data fields may not encapsulate any option space"
    )]
    ArrayEncapsulates {
        /// Space of the definition.
        space: String,
        /// Name of the definition.
        name: String,
    },
    /// The encapsulated space name is not a valid space name.
    #[error("invalid encapsulated option space name: '{space}'")]
    InvalidEncapsulatedSpace {
        /// The rejected space name.
        space: String,
    },
    /// The space name itself is invalid.
    #[error("invalid option space name: '{space}'")]
    InvalidSpace {
        /// The rejected space name.
        space: String,
    },
    /// The definition would replace a standard one.
    #[error("unable to override definition of option '{code}' in standard option space '{space}'")]
    OverridesStandard {
        /// The standard code.
        code: u16,
        /// The standard space.
        space: String,
    },
}

/// Kea's rule for option and space names: letters, digits, `-` and `_`, not empty.
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl OptionDefinition {
    /// Builds a definition for the static tables.
    #[allow(clippy::too_many_arguments)] // mirrors the seven columns of the ARM tables
    pub const fn new_static(
        name: &'static str,
        code: u16,
        space: &'static str,
        data_type: OptionDataType,
        array: bool,
        record_types: &'static [OptionDataType],
        encapsulate: &'static str,
    ) -> Self {
        Self {
            name: Cow::Borrowed(name),
            code,
            space: Cow::Borrowed(space),
            data_type,
            array,
            record_types: Cow::Borrowed(record_types),
            encapsulate: Cow::Borrowed(encapsulate),
        }
    }

    /// Builds a user definition (the fields of an `option-def` entry).
    pub fn new(
        name: impl Into<String>,
        code: u16,
        space: impl Into<String>,
        data_type: OptionDataType,
        array: bool,
    ) -> Self {
        Self {
            name: Cow::Owned(name.into()),
            code,
            space: Cow::Owned(space.into()),
            data_type,
            array,
            record_types: Cow::Borrowed(&[]),
            encapsulate: Cow::Borrowed(""),
        }
    }

    /// Sets the record field types (builder style).
    pub fn with_record_types(mut self, types: Vec<OptionDataType>) -> Self {
        self.record_types = Cow::Owned(types);
        self
    }

    /// Sets the encapsulated space (builder style).
    pub fn with_encapsulate(mut self, space: impl Into<String>) -> Self {
        self.encapsulate = Cow::Owned(space.into());
        self
    }

    /// Parses a `record-types` value (`"ipv4-address, uint16"`); `None` for an unknown type,
    /// whose name is returned in the error variant.
    pub fn parse_record_types(text: &str) -> Result<Vec<OptionDataType>, String> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(Vec::new());
        }
        text.split(',')
            .map(|t| {
                let t = t.trim();
                OptionDataType::from_name(t).ok_or_else(|| t.to_owned())
            })
            .collect()
    }

    /// The type of the field at `index`, for records; the option type otherwise.
    pub fn field_types(&self) -> &[OptionDataType] {
        if self.data_type == OptionDataType::Record {
            &self.record_types
        } else {
            std::slice::from_ref(&self.data_type)
        }
    }

    /// Checks the definition is self-consistent, as Kea's `OptionDefinition::validate` and
    /// option-def parser do. Standard-table conflicts are checked by
    /// [`Self::check_not_standard_v4`].
    pub fn validate(&self, universe: Universe) -> Result<(), OptionDefError> {
        if !is_valid_name(&self.name) {
            return Err(OptionDefError::InvalidName {
                name: self.name.to_string(),
            });
        }
        if !is_valid_name(&self.space) {
            return Err(OptionDefError::InvalidSpace {
                space: self.space.to_string(),
            });
        }
        if universe == Universe::V4 {
            if self.code > 255 {
                return Err(OptionDefError::CodeTooLarge { code: self.code });
            }
            if self.space == DHCP4_OPTION_SPACE {
                match self.code {
                    0 => return Err(OptionDefError::ReservedPad),
                    255 => return Err(OptionDefError::ReservedEnd),
                    _ => {}
                }
            }
        }
        if self.data_type == OptionDataType::Internal {
            return Err(OptionDefError::UnsupportedType {
                data_type: self.data_type,
            });
        }
        if !self.encapsulate.is_empty() {
            if !is_valid_name(&self.encapsulate) {
                return Err(OptionDefError::InvalidEncapsulatedSpace {
                    space: self.encapsulate.to_string(),
                });
            }
            if self.array {
                return Err(OptionDefError::ArrayEncapsulates {
                    space: self.space.to_string(),
                    name: self.name.to_string(),
                });
            }
        }
        if self.data_type == OptionDataType::Record {
            self.validate_record()?;
        } else {
            if !self.record_types.is_empty() {
                return Err(OptionDefError::RecordTypesWithoutRecord {
                    data_type: self.data_type,
                });
            }
            if self.array
                && matches!(
                    self.data_type,
                    OptionDataType::String | OptionDataType::Binary | OptionDataType::Empty
                )
            {
                return Err(OptionDefError::InvalidArray {
                    data_type: self.data_type,
                });
            }
        }
        Ok(())
    }

    fn validate_record(&self) -> Result<(), OptionDefError> {
        let fields = &self.record_types;
        if fields.len() < 2 {
            return Err(OptionDefError::TooFewRecordFields {
                count: fields.len(),
            });
        }
        for (i, &field) in fields.iter().enumerate() {
            if matches!(
                field,
                OptionDataType::Empty | OptionDataType::Record | OptionDataType::Internal
            ) {
                return Err(OptionDefError::InvalidRecordField { field });
            }
            let last = i + 1 == fields.len();
            if matches!(field, OptionDataType::String | OptionDataType::Binary) {
                if !last {
                    return Err(OptionDefError::VariableFieldNotLast { field });
                }
                if self.array {
                    return Err(OptionDefError::InvalidArray { data_type: field });
                }
            }
        }
        Ok(())
    }

    /// Kea refuses a user definition in the `dhcp4` space for a code that has a standard
    /// definition ("unable to override definition of option"). Codes that are standard in an
    /// RFC but have no Kea definition may be defined (ARM, "Standard DHCPv4 Options").
    pub fn check_not_standard_v4(&self) -> Result<(), OptionDefError> {
        // Kea lets a configuration redefine option 43, whose format is vendor specific
        // (ARM "DHCPv4 Vendor-Specific Options"); every other standard option is fixed.
        if self.space == DHCP4_OPTION_SPACE
            && self.code != crate::codes::DHO_VENDOR_ENCAPSULATED_OPTIONS
            && std_v4_def_by_code(self.code).is_some()
        {
            return Err(OptionDefError::OverridesStandard {
                code: self.code,
                space: self.space.to_string(),
            });
        }
        Ok(())
    }
}

/// A static table of definitions for one option space. The DHCPv6 table is another value of
/// this type.
#[derive(Debug)]
pub struct OptionDefTable {
    /// Space the definitions belong to.
    pub space: &'static str,
    /// Definitions sorted by code (checked by a unit test; lookup by code is a binary search).
    pub defs: &'static [OptionDefinition],
}

impl OptionDefTable {
    /// The definition with this code.
    pub fn by_code(&self, code: u16) -> Option<&'static OptionDefinition> {
        let defs = self.defs;
        defs.binary_search_by_key(&code, |d| d.code)
            .ok()
            .and_then(|i| defs.get(i))
    }

    /// The definition with this name.
    pub fn by_name(&self, name: &str) -> Option<&'static OptionDefinition> {
        self.defs.iter().find(|d| d.name == name)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use OptionDataType as T;

    fn def(ty: T, array: bool) -> OptionDefinition {
        OptionDefinition::new("x", 250, "dhcp4", ty, array)
    }

    #[test]
    fn kea_rejections() {
        assert_eq!(
            def(T::String, true).validate(Universe::V4),
            Err(OptionDefError::InvalidArray {
                data_type: T::String
            })
        );
        assert!(def(T::Binary, true).validate(Universe::V4).is_err());
        assert!(def(T::Empty, true).validate(Universe::V4).is_err());
        assert!(def(T::Fqdn, true).validate(Universe::V4).is_ok());
        assert!(def(T::Tuple, true).validate(Universe::V4).is_ok());
        assert!(def(T::Empty, false).validate(Universe::V4).is_ok());
        assert!(def(T::Internal, false).validate(Universe::V4).is_err());
        assert_eq!(
            def(T::Record, false).validate(Universe::V4),
            Err(OptionDefError::TooFewRecordFields { count: 0 })
        );
        let r = |types: Vec<T>, array| def(T::Record, array).with_record_types(types);
        assert!(r(vec![T::Uint8], false).validate(Universe::V4).is_err());
        assert!(
            r(vec![T::String, T::Uint8], false)
                .validate(Universe::V4)
                .is_err()
        );
        assert!(
            r(vec![T::Binary, T::Uint8], false)
                .validate(Universe::V4)
                .is_err()
        );
        assert!(
            r(vec![T::Uint8, T::Empty], false)
                .validate(Universe::V4)
                .is_err()
        );
        assert!(
            r(vec![T::Uint8, T::Record], false)
                .validate(Universe::V4)
                .is_err()
        );
        assert!(
            r(vec![T::Uint8, T::String], true)
                .validate(Universe::V4)
                .is_err()
        );
        assert!(
            r(vec![T::Fqdn, T::Uint8], false)
                .validate(Universe::V4)
                .is_ok()
        );
        assert!(
            r(vec![T::Uint8, T::String], false)
                .validate(Universe::V4)
                .is_ok()
        );
        assert!(
            def(T::Uint8, false)
                .with_record_types(vec![T::Uint8])
                .validate(Universe::V4)
                .is_err()
        );
        assert!(
            def(T::Uint8, true)
                .with_encapsulate("foo")
                .validate(Universe::V4)
                .is_err()
        );
        assert!(
            def(T::Uint8, false)
                .with_encapsulate("foo bar")
                .validate(Universe::V4)
                .is_err()
        );
    }

    #[test]
    fn names_and_codes() {
        let mut d = def(T::Uint8, false);
        d.name = "a b".into();
        assert!(matches!(
            d.validate(Universe::V4),
            Err(OptionDefError::InvalidName { .. })
        ));
        d.name = "123".into();
        assert!(d.validate(Universe::V4).is_ok());
        d.code = 0;
        assert_eq!(d.validate(Universe::V4), Err(OptionDefError::ReservedPad));
        d.code = 255;
        assert_eq!(d.validate(Universe::V4), Err(OptionDefError::ReservedEnd));
        d.code = 256;
        assert!(matches!(
            d.validate(Universe::V4),
            Err(OptionDefError::CodeTooLarge { .. })
        ));
        d.code = 0;
        d.space = "vendor-2234".into();
        assert!(
            d.validate(Universe::V4).is_ok(),
            "0 is a normal code outside dhcp4"
        );
    }

    #[test]
    fn standard_override_is_refused() {
        let mut d = OptionDefinition::new("foo", 3, "dhcp4", T::Uint8, false);
        assert!(d.check_not_standard_v4().is_err());
        d.code = 222;
        assert!(d.check_not_standard_v4().is_ok());
        d.code = 3;
        d.space = "isc".into();
        assert!(d.check_not_standard_v4().is_ok());
    }

    #[test]
    fn record_types_parse() {
        assert_eq!(
            OptionDefinition::parse_record_types("ipv4-address, uint16 ,string"),
            Ok(vec![T::Ipv4Address, T::Uint16, T::String])
        );
        assert_eq!(OptionDefinition::parse_record_types(""), Ok(vec![]));
        assert_eq!(
            OptionDefinition::parse_record_types("uint8, foo"),
            Err("foo".to_owned())
        );
        assert_eq!(vendor_space_id(&vendor_space_name(4491)), Some(4491));
        assert_eq!(vendor_space_id("vendor-x"), None);
    }
}
