//! kea-config: Kea's JSON configuration dialect and the typed configuration models.
//!
//! - [`json`]: the dialect reader (comments, includes, positions) and Kea's pretty printer.
//! - [`dhcp4`]: the `Dhcp4` object and [`parse_dhcp4`].
//! - [`dhcp6`]: the `Dhcp6` object and [`parse_dhcp6`], with its own pieces [`server_id`] and
//!   [`mac_sources`].
//! - [`d2`]: the `DhcpDdns` object of kea-dhcp-ddns.
//! - [`agent`]: the `Control-agent` object and [`agent::parse_control_agent`].
//! - Shared by kea-dhcp4 and kea-dhcp6 (and partly D2 and the control agent): [`logging`],
//!   [`ctrl`], [`database`], [`ddns`], [`hooks`], [`interfaces`], [`options`], [`classes`],
//!   [`hosts`], [`server`], [`scoped`].
//!
//! Decoding goes straight from the positioned [`json::Element`] tree through serde, so every
//! [`ConfigError`] names `file:line:col` and uses Kea's wording.
//!
//! Implements `shared/spec/kea-arm/config.rst`, `dhcp4-srv.rst` and `dhcp6-srv.rst`
//! (INVENTORY §2, §3, §8).

pub mod agent;
pub mod classes;
pub mod ctrl;
pub mod d2;
pub mod database;
pub mod ddns;
mod de;
pub mod dhcp4;
pub mod dhcp6;
mod enums;
mod error;
pub mod hooks;
pub mod hosts;
pub mod interfaces;
pub mod json;
pub mod logging;
pub mod mac_sources;
pub mod options;
pub mod scoped;
pub mod server;
pub mod server_id;

pub use classes::{ClientClass, ClientClass6};
pub use dhcp4::{Dhcp4Config, parse_dhcp4};
pub use dhcp6::{Dhcp6Config, parse_dhcp6};
pub use error::ConfigError;
pub use options::{OptionData, OptionDef};

/// Free-form JSON maps (`user-context`, hook `parameters`).
pub type UserContext = serde_json::Map<String, serde_json::Value>;

/// Decodes any typed model from an element; `name` is the map name used in messages.
///
/// For daemons' sub-objects and for colleagues' models (D2, control agent) built the same way.
pub fn decode<T: serde::de::DeserializeOwned>(
    e: &json::Element,
    name: &str,
) -> Result<T, ConfigError> {
    de::from_element(e, name)
}
