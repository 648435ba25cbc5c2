//! `client-classes[]` definitions: the DHCPv4 shape ([`ClientClass`]) and the DHCPv6 one
//! ([`ClientClass6`]).
//!
//! Implements `shared/spec/kea-arm/classify.rst`, "Configuring Classes", and
//! `dhcp4-srv.rst`, "Defining and Using Custom Classes", `dhcp6-srv.rst`, "Client
//! Classification in DHCPv6" (INVENTORY §3.10). The `test` expression is kept as text here;
//! the expression language is a separate crate. kea-dhcp6's classes differ (preferred
//! lifetimes, no `option-def`, no fixed fields), hence the second type.

use serde::{Deserialize, Serialize};

use crate::UserContext;
use crate::options::{OptionData, OptionDef};

/// One client class definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ClientClass {
    /// Class name.
    pub name: String,
    /// Classification expression; a class without one is assigned by other means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test: Option<String>,
    /// Template expression spawning `SPAWN_<name>_<value>` classes (2.5.7 ARM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_test: Option<String>,
    /// Evaluate only when required by `require-client-classes` (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub only_if_required: Option<bool>,
    /// Options for members of the class.
    #[serde(default)]
    pub option_data: Vec<OptionData>,
    /// Option definitions local to the class (DHCPv4).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub option_def: Vec<OptionDef>,
    /// Fixed field `siaddr`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_server: Option<String>,
    /// Fixed field `sname`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_hostname: Option<String>,
    /// Fixed field `file`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boot_file_name: Option<String>,
    /// Lease lifetime for members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_lifetime: Option<u32>,
    /// Shortest lifetime for members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_valid_lifetime: Option<u32>,
    /// Longest lifetime for members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_valid_lifetime: Option<u32>,
    /// Lease lifetime offered on DHCPDISCOVER to members (DHCPv4, 2.5.7 ARM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer_lifetime: Option<u32>,
    /// Free-form user data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_context: Option<UserContext>,
    /// A comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// One kea-dhcp6 client class definition: preferred lifetimes instead of the DHCPv4 fixed
/// fields, and no class-local `option-def` (`shared/spec/kea-arm/dhcp6-srv.rst`, "Client
/// Classification in DHCPv6").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ClientClass6 {
    /// Class name.
    pub name: String,
    /// Classification expression; a class without one is assigned by other means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test: Option<String>,
    /// Template expression spawning `SPAWN_<name>_<value>` classes (2.5.7 ARM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_test: Option<String>,
    /// Evaluate only when required by `require-client-classes` (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub only_if_required: Option<bool>,
    /// Options for members of the class.
    #[serde(default)]
    pub option_data: Vec<OptionData>,
    /// Valid lifetime for members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_lifetime: Option<u32>,
    /// Shortest valid lifetime for members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_valid_lifetime: Option<u32>,
    /// Longest valid lifetime for members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_valid_lifetime: Option<u32>,
    /// Preferred lifetime for members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_lifetime: Option<u32>,
    /// Shortest preferred lifetime for members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_preferred_lifetime: Option<u32>,
    /// Longest preferred lifetime for members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_preferred_lifetime: Option<u32>,
    /// Free-form user data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_context: Option<UserContext>,
    /// A comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}
