//! `option-data[]` and `option-def[]` entries, shared by kea-dhcp4 and kea-dhcp6.
//!
//! Implements `shared/spec/kea-arm/dhcp4-srv.rst`, "Standard DHCPv4 Options" and "Custom
//! DHCPv4 Options" (INVENTORY §3.7). Only the wire shape lives here: encoding `data` against
//! a definition is kea-dhcp's job, done when the server builds its runtime configuration.

use serde::{Deserialize, Serialize};

use crate::UserContext;

/// One `option-data` entry: identifies an option by `name` or `code` (plus `space`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct OptionData {
    /// Option name (standard or from an `option-def`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Option code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<u16>,
    /// Option space (default `dhcp4` / `dhcp6`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub space: Option<String>,
    /// Comma-separated fields when `csv-format`, hexadecimal otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// Whether `data` is CSV (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csv_format: Option<bool>,
    /// Send even when the client did not ask (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub always_send: Option<bool>,
    /// Never send, even when asked (2.5.7 ARM; default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub never_send: Option<bool>,
    /// Free-form user data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_context: Option<UserContext>,
    /// A comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// One `option-def` entry: a custom option's format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct OptionDef {
    /// Option name.
    pub name: String,
    /// Option code.
    pub code: u16,
    /// Data type (`uint8`, `ipv4-address`, `record`, ...).
    #[serde(rename = "type")]
    pub option_type: String,
    /// Field types of a `record`, comma-separated (default "").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_types: Option<String>,
    /// Option space (default `dhcp4` / `dhcp6`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub space: Option<String>,
    /// Sub-option space carried inside this option (default "").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encapsulate: Option<String>,
    /// The option holds an array of `type` (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub array: Option<bool>,
    /// Free-form user data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_context: Option<UserContext>,
    /// A comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}
