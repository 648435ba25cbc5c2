//! Turning `option-def` and `option-data` entries into wire payloads at configuration time.
//!
//! ARM `dhcp4-srv.rst` "Standard DHCPv4 Options", "Custom DHCPv4 Options", "DHCPv4
//! Vendor-Specific Options" and "Nested DHCPv4 Options (Custom Option Spaces)": an entry names
//! its option by `name` or `code` in a `space` (default `dhcp4`); its data is encoded with the
//! option's definition (standard or from `option-def`); options configured in an encapsulated
//! space at the same level become sub-options of the option that encapsulates that space.

use std::collections::HashMap;

use kea_config::options::{OptionData, OptionDef};
use kea_dhcp::codes::DHO_VIVSO_SUBOPTIONS;
use kea_dhcp::codes6::D6O_VENDOR_OPTS;
use kea_dhcp::optdata::{OptionDataError, encode_option_data_in};
use kea_dhcp::optdef::{
    OptionDefError, Universe, std_v4_def_by_code, std_v4_def_by_name, std_v4_space,
    std_v6_def_by_code, std_v6_def_by_name, std_v6_space, vendor_space_id,
};
use kea_dhcp::vendor::{VendorOption, encode_vivso};
use kea_dhcp::vendor6::VendorOpts6;
use kea_dhcp::{Opt, OptionDataType, OptionDefinition, Options};

use crate::options::{OptionDesc, OptionSet};

/// The top-level DHCPv4 option space.
pub const DHCP4_SPACE: &str = "dhcp4";
/// The top-level DHCPv6 option space.
pub const DHCP6_SPACE: &str = "dhcp6";

/// Why an option entry is rejected.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OptionConfigError {
    /// An `option-def` entry is invalid.
    #[error("option definition '{name}' ({code}) in space '{space}': {source}")]
    BadDefinition {
        /// Name of the definition.
        name: String,
        /// Code of the definition.
        code: u16,
        /// Space of the definition.
        space: String,
        /// The rule it breaks.
        source: OptionDefError,
    },
    /// Two `option-def` entries for one name or code in one space.
    #[error(
        "option definition with name '{name}' or code {code} already exists in space '{space}'"
    )]
    DuplicateDefinition {
        /// Name.
        name: String,
        /// Code.
        code: u16,
        /// Space.
        space: String,
    },
    /// An unknown `record-types` or `type` word.
    #[error("option definition '{name}': unknown type '{word}'")]
    UnknownType {
        /// Definition name.
        name: String,
        /// The word.
        word: String,
    },
    /// Neither `name` nor `code`.
    #[error(
        "option data configuration requires one of 'code' or 'name' parameters to be specified"
    )]
    NoNameOrCode,
    /// A name without a definition in the space.
    #[error("definition for the option '{space}.{name}' does not exist")]
    UnknownName {
        /// Space.
        space: String,
        /// Name.
        name: String,
    },
    /// `name` and `code` name different options.
    #[error("option '{name}' has code {def_code}, not {code}")]
    NameCodeMismatch {
        /// Name given.
        name: String,
        /// Code given.
        code: u16,
        /// Code of the named definition.
        def_code: u16,
    },
    /// A code out of range for DHCPv4 or reserved (0, 255).
    #[error("invalid option code '{code}', it must not be greater than '254' and must not be '0'")]
    BadCode {
        /// The code.
        code: u16,
    },
    /// Data that does not fit the definition.
    #[error(
        "option data does not match option definition (space: {space}, code: {code}): {source}"
    )]
    BadData {
        /// Space.
        space: String,
        /// Code.
        code: u16,
        /// What is wrong.
        source: OptionDataError,
    },
    /// A vendor option that could not be assembled.
    #[error("vendor option for enterprise {enterprise_id} cannot be encoded")]
    BadVendor {
        /// Enterprise id.
        enterprise_id: u32,
    },
}

/// Option definitions in force for one protocol: the standard ones plus `option-def`
/// entries.
#[derive(Debug, Clone)]
pub struct OptionDefs {
    universe: Universe,
    custom: HashMap<String, Vec<OptionDefinition>>,
}

/// DHCPv4 option definitions.
pub type OptionDefs4 = OptionDefs;

impl Default for OptionDefs {
    fn default() -> Self {
        Self::new(Universe::V4)
    }
}

fn parse_type(name: &str, word: &str) -> Result<OptionDataType, OptionConfigError> {
    OptionDataType::from_name(word).ok_or_else(|| OptionConfigError::UnknownType {
        name: name.to_string(),
        word: word.to_string(),
    })
}

impl OptionDefs {
    /// Only the standard definitions of `universe`.
    pub fn new(universe: Universe) -> Self {
        Self {
            universe,
            custom: HashMap::new(),
        }
    }

    /// The protocol.
    pub fn universe(&self) -> Universe {
        self.universe
    }

    /// The top-level option space of the protocol.
    pub fn top_space(&self) -> &'static str {
        match self.universe {
            Universe::V4 => DHCP4_SPACE,
            Universe::V6 => DHCP6_SPACE,
        }
    }

    fn std_by_code(&self, space: &str, code: u16) -> Option<&'static OptionDefinition> {
        match self.universe {
            Universe::V4 if space == DHCP4_SPACE => std_v4_def_by_code(code),
            Universe::V4 => std_v4_space(space).and_then(|t| t.by_code(code)),
            Universe::V6 if space == DHCP6_SPACE => std_v6_def_by_code(code),
            Universe::V6 => std_v6_space(space).and_then(|t| t.by_code(code)),
        }
    }

    fn std_by_name(&self, space: &str, name: &str) -> Option<&'static OptionDefinition> {
        match self.universe {
            Universe::V4 if space == DHCP4_SPACE => std_v4_def_by_name(name),
            Universe::V4 => std_v4_space(space).and_then(|t| t.by_name(name)),
            Universe::V6 if space == DHCP6_SPACE => std_v6_def_by_name(name),
            Universe::V6 => std_v6_space(space).and_then(|t| t.by_name(name)),
        }
    }

    /// Adds the `option-def` entries of a configuration, checking them as Kea does.
    pub fn add_all(&mut self, defs: &[OptionDef]) -> Result<(), OptionConfigError> {
        for d in defs {
            let space = d
                .space
                .clone()
                .unwrap_or_else(|| self.top_space().to_string());
            let data_type = parse_type(&d.name, &d.option_type)?;
            let mut def = OptionDefinition::new(
                d.name.clone(),
                d.code,
                space.clone(),
                data_type,
                d.array.unwrap_or(false),
            );
            if let Some(rt) = d.record_types.as_deref().filter(|s| !s.trim().is_empty()) {
                let types = OptionDefinition::parse_record_types(rt).map_err(|word| {
                    OptionConfigError::UnknownType {
                        name: d.name.clone(),
                        word,
                    }
                })?;
                def = def.with_record_types(types);
            }
            if let Some(enc) = d.encapsulate.as_deref().filter(|s| !s.is_empty()) {
                def = def.with_encapsulate(enc.to_string());
            }
            let bad = |source| OptionConfigError::BadDefinition {
                name: d.name.clone(),
                code: d.code,
                space: space.clone(),
                source,
            };
            def.validate(self.universe).map_err(bad)?;
            match self.universe {
                Universe::V4 if space == DHCP4_SPACE => def.check_not_standard_v4().map_err(bad)?,
                Universe::V6 if space == DHCP6_SPACE => def.check_not_standard_v6().map_err(bad)?,
                _ => {}
            }
            let list = self.custom.entry(space.clone()).or_default();
            if list
                .iter()
                .any(|x| x.name == def.name || x.code == def.code)
            {
                return Err(OptionConfigError::DuplicateDefinition {
                    name: d.name.clone(),
                    code: d.code,
                    space,
                });
            }
            list.push(def);
        }
        Ok(())
    }

    /// The definition of `code` in `space`: a custom one (only option 43 may redefine a
    /// standard option), else the standard one.
    pub fn by_code(&self, space: &str, code: u16) -> Option<&OptionDefinition> {
        self.custom
            .get(space)
            .and_then(|l| l.iter().find(|d| d.code == code))
            .or_else(|| self.std_by_code(space, code))
    }

    /// The definition named `name` in `space`, custom first.
    pub fn by_name(&self, space: &str, name: &str) -> Option<&OptionDefinition> {
        self.custom
            .get(space)
            .and_then(|l| l.iter().find(|d| d.name == name))
            .or_else(|| self.std_by_name(space, name))
    }
}

/// One option entry after encoding, before encapsulation.
struct Encoded {
    space: String,
    code: u16,
    data: Vec<u8>,
    encapsulate: String,
    always_send: bool,
    never_send: bool,
}

fn encode_entry(defs: &OptionDefs, e: &OptionData) -> Result<Encoded, OptionConfigError> {
    let top = defs.top_space();
    let space = e.space.clone().unwrap_or_else(|| top.to_string());
    let def = match (&e.name, e.code) {
        (None, None) => return Err(OptionConfigError::NoNameOrCode),
        (Some(n), code) => {
            let d = defs.by_name(&space, n);
            match (d, code) {
                (Some(d), Some(c)) if d.code != c => {
                    return Err(OptionConfigError::NameCodeMismatch {
                        name: n.clone(),
                        code: c,
                        def_code: d.code,
                    });
                }
                (None, None) => {
                    return Err(OptionConfigError::UnknownName {
                        space,
                        name: n.clone(),
                    });
                }
                (d, Some(c)) => d.or_else(|| defs.by_code(&space, c)),
                (d, None) => d,
            }
        }
        (None, Some(c)) => defs.by_code(&space, c),
    };
    let code = def.map(|d| d.code).or(e.code).unwrap_or_default();
    let bad_code = match defs.universe() {
        Universe::V4 => space == DHCP4_SPACE && (code == 0 || code == 255) || code > 255,
        Universe::V6 => code == 0,
    };
    if bad_code {
        return Err(OptionConfigError::BadCode { code });
    }
    let text = e.data.as_deref().unwrap_or("");
    let data = if text.is_empty() && def.is_some_and(|d| d.data_type == OptionDataType::Empty) {
        Vec::new()
    } else if text.is_empty() && def.is_some_and(|d| !d.encapsulate.is_empty()) {
        // An encapsulating option may be configured with no data: its sub-options are it.
        Vec::new()
    } else {
        encode_option_data_in(defs.universe(), code, def, text, e.csv_format).map_err(|source| {
            OptionConfigError::BadData {
                space: space.clone(),
                code,
                source,
            }
        })?
    };
    Ok(Encoded {
        space,
        code,
        data,
        encapsulate: def.map(|d| d.encapsulate.to_string()).unwrap_or_default(),
        always_send: e.always_send.unwrap_or(false),
        never_send: e.never_send.unwrap_or(false),
    })
}

/// Encodes the `option-data` of one level into the options the server sends.
pub fn build_option_set(
    defs: &OptionDefs,
    entries: &[OptionData],
) -> Result<OptionSet, OptionConfigError> {
    if defs.universe() == Universe::V6 {
        return build_option_set6(defs, entries);
    }
    let encoded = entries
        .iter()
        .map(|e| encode_entry(defs, e))
        .collect::<Result<Vec<_>, _>>()?;
    let suboptions_of = |space: &str| {
        let mut opts = Options::new();
        for e in encoded.iter().filter(|e| e.space == space) {
            opts.insert(Opt::new(e.code, e.data.clone()));
        }
        opts
    };
    let mut out = Vec::new();
    for e in encoded.iter().filter(|e| e.space == DHCP4_SPACE) {
        let mut data = e.data.clone();
        if e.code == DHO_VIVSO_SUBOPTIONS {
            // Option 125: the enterprise id is the data; its space is `vendor-<id>`.
            let enterprise_id = <[u8; 4]>::try_from(data.as_slice())
                .map(u32::from_be_bytes)
                .unwrap_or_default();
            let vendor = VendorOption {
                enterprise_id,
                suboptions: suboptions_of(&format!("vendor-{enterprise_id}")),
            };
            data = encode_vivso(&vendor)
                .map_err(|_| OptionConfigError::BadVendor { enterprise_id })?
                .data;
        } else if !e.encapsulate.is_empty() {
            suboptions_of(&e.encapsulate).encode_v4(&mut data);
        }
        out.push(OptionDesc {
            code: e.code,
            data,
            always_send: e.always_send,
            never_send: e.never_send,
        });
    }
    // Vendor spaces configured without an explicit option 125 still go out in one.
    for e in &encoded {
        if let Some(id) = vendor_space_id(&e.space) {
            if out.iter().any(|o| o.code == DHO_VIVSO_SUBOPTIONS) {
                continue;
            }
            let vendor = VendorOption {
                enterprise_id: id,
                suboptions: suboptions_of(&e.space),
            };
            let data = encode_vivso(&vendor)
                .map_err(|_| OptionConfigError::BadVendor { enterprise_id: id })?
                .data;
            out.push(OptionDesc {
                code: DHO_VIVSO_SUBOPTIONS,
                data,
                always_send: false,
                never_send: false,
            });
        }
    }
    Ok(OptionSet(out))
}

/// DHCPv6: sub-options of encapsulated spaces follow their option's data (2-octet codes and
/// lengths); `vendor-<id>` spaces go into option 17.
fn build_option_set6(
    defs: &OptionDefs,
    entries: &[OptionData],
) -> Result<OptionSet, OptionConfigError> {
    let encoded = entries
        .iter()
        .map(|e| encode_entry(defs, e))
        .collect::<Result<Vec<_>, _>>()?;
    let suboptions_of = |space: &str| {
        let mut opts = Options::new();
        for e in encoded.iter().filter(|e| e.space == space) {
            opts.insert(Opt::new(e.code, e.data.clone()));
        }
        opts
    };
    let mut out = Vec::new();
    for e in encoded.iter().filter(|e| e.space == DHCP6_SPACE) {
        let mut data = e.data.clone();
        if e.code == D6O_VENDOR_OPTS {
            let enterprise_id = <[u8; 4]>::try_from(data.get(..4).unwrap_or_default())
                .map(u32::from_be_bytes)
                .unwrap_or_default();
            let v = VendorOpts6 {
                enterprise_id,
                options: suboptions_of(&format!("vendor-{enterprise_id}")),
            };
            data = v
                .to_opt()
                .map_err(|_| OptionConfigError::BadVendor { enterprise_id })?
                .data;
        } else if !e.encapsulate.is_empty() {
            data.extend(
                suboptions_of(&e.encapsulate)
                    .to_v6_bytes()
                    .unwrap_or_default(),
            );
        }
        out.push(OptionDesc {
            code: e.code,
            data,
            always_send: e.always_send,
            never_send: e.never_send,
        });
    }
    Ok(OptionSet(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn od(name: Option<&str>, code: Option<u16>, data: &str) -> OptionData {
        OptionData {
            name: name.map(str::to_string),
            code,
            data: Some(data.to_string()),
            ..OptionData::default()
        }
    }

    #[test]
    fn standard_options_by_name_and_code() {
        let defs = OptionDefs4::default();
        let set = build_option_set(
            &defs,
            &[
                od(Some("routers"), None, "192.0.2.1, 192.0.2.2"),
                od(None, Some(15), "example.org"),
            ],
        )
        .unwrap();
        assert_eq!(set.get(3).unwrap().data, vec![192, 0, 2, 1, 192, 0, 2, 2]);
        assert_eq!(set.get(15).unwrap().data, b"example.org".to_vec());
    }

    #[test]
    fn bad_entries_are_refused() {
        let defs = OptionDefs4::default();
        assert!(matches!(
            build_option_set(&defs, &[od(Some("no-such-option"), None, "1")]),
            Err(OptionConfigError::UnknownName { .. })
        ));
        assert!(matches!(
            build_option_set(&defs, &[od(Some("routers"), Some(4), "192.0.2.1")]),
            Err(OptionConfigError::NameCodeMismatch { .. })
        ));
        assert!(matches!(
            build_option_set(&defs, &[od(Some("routers"), None, "not-an-address")]),
            Err(OptionConfigError::BadData { .. })
        ));
    }

    #[test]
    fn custom_definitions_and_encapsulation() {
        let mut defs = OptionDefs4::default();
        defs.add_all(&[
            OptionDef {
                name: "foo".into(),
                code: 222,
                option_type: "uint16".into(),
                record_types: None,
                space: None,
                encapsulate: None,
                array: None,
                user_context: None,
                comment: None,
            },
            OptionDef {
                name: "sub".into(),
                code: 1,
                option_type: "ipv4-address".into(),
                record_types: None,
                space: Some("vendor-encapsulated-options-space".into()),
                encapsulate: None,
                array: None,
                user_context: None,
                comment: None,
            },
        ])
        .unwrap();
        let mut sub = od(Some("sub"), None, "10.0.0.1");
        sub.space = Some("vendor-encapsulated-options-space".into());
        let set = build_option_set(
            &defs,
            &[
                od(Some("foo"), None, "513"),
                od(Some("vendor-encapsulated-options"), None, ""),
                sub,
            ],
        )
        .unwrap();
        assert_eq!(set.get(222).unwrap().data, vec![2, 1]);
        assert_eq!(set.get(43).unwrap().data, vec![1, 4, 10, 0, 0, 1]);
    }
}
