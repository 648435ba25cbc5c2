//! `interfaces-config`: which interfaces the server listens on, and how.
//!
//! Implements `shared/spec/kea-arm/dhcp4-srv.rst`, "Interface Configuration" (INVENTORY §3.2).
//! `dhcp-socket-type` and `outbound-interface` are DHCPv4-only keys; kea-dhcp6 must refuse
//! them when they are set.

use serde::{Deserialize, Serialize};

use crate::UserContext;
use crate::enums::keyword_enum;

keyword_enum! {
    /// How DHCPv4 packets are received and sent.
    pub enum DhcpSocketType {
        /// AF_PACKET with our own headers (the default): reaches clients without an address.
        Raw = "raw",
        /// Ordinary UDP sockets (relayed traffic).
        Udp = "udp",
    }
}

keyword_enum! {
    /// How the interface for outgoing DHCPv4 packets is chosen.
    pub enum OutboundInterface {
        /// The interface the query came in on (the default).
        SameAsInbound = "same-as-inbound",
        /// The kernel's routing decision.
        UseRouting = "use-routing",
    }
}

/// The `interfaces-config` map.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct InterfacesConfig {
    /// Interface names, `name/address` pairs, or `*` (default: none).
    #[serde(default)]
    pub interfaces: Vec<String>,
    /// DHCPv4 socket type (default raw).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dhcp_socket_type: Option<DhcpSocketType>,
    /// DHCPv4 outbound interface selection (default same-as-inbound).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbound_interface: Option<OutboundInterface>,
    /// Detect interfaces again on reconfiguration (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub re_detect: Option<bool>,
    /// Fail when any socket cannot be opened (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_sockets_require_all: Option<bool>,
    /// Milliseconds between socket opening retries (default 5000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_sockets_retry_wait_time: Option<u32>,
    /// Socket opening retries (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_sockets_max_retries: Option<u32>,
    /// Free-form user data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_context: Option<UserContext>,
    /// A comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}
