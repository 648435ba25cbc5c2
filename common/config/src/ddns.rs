//! `dhcp-ddns`: the DHCP server's connection to kea-dhcp-ddns (D2), and the DDNS keywords
//! shared by the per-scope `ddns-*` parameters.
//!
//! Implements `shared/spec/kea-arm/dhcp4-srv.rst`, "DDNS for DHCPv4" and "DHCP-DDNS Server
//! Connectivity" (the same map in kea-dhcp6; INVENTORY §3.5).

use serde::{Deserialize, Serialize};

use crate::UserContext;
use crate::enums::keyword_enum;

keyword_enum! {
    /// When the server replaces the client's host name (`ddns-replace-client-name`).
    pub enum ReplaceClientName {
        /// Use the client's name (the default).
        Never = "never",
        /// Always generate a name.
        Always = "always",
        /// Replace only a name the client sent.
        WhenPresent = "when-present",
        /// Generate a name only when the client sent none.
        WhenNotPresent = "when-not-present",
    }
}

keyword_enum! {
    /// DNS conflict resolution (`ddns-conflict-resolution-mode`, 2.5.7 ARM; RFC 4703).
    pub enum ConflictResolutionMode {
        /// RFC 4703 checks with DHCID records (the default).
        CheckWithDhcid = "check-with-dhcid",
        /// Add DHCID records without checking them.
        NoCheckWithDhcid = "no-check-with-dhcid",
        /// Check that the name exists, with DHCID records.
        CheckExistsWithDhcid = "check-exists-with-dhcid",
        /// No checks, no DHCID records.
        NoCheckWithoutDhcid = "no-check-without-dhcid",
    }
}

keyword_enum! {
    /// Transport of name change requests; Kea 2.2 implements only UDP.
    pub enum NcrProtocol (ci) {
        /// UDP datagrams.
        Udp = "UDP",
        /// TCP (accepted by the grammar, refused when the server is built).
        Tcp = "TCP",
    }
}

keyword_enum! {
    /// Encoding of name change requests.
    pub enum NcrFormat {
        /// JSON, the only format.
        Json = "JSON",
    }
}

/// The `dhcp-ddns` map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct DhcpDdns {
    /// Send name change requests to D2 (required when the map is given).
    pub enable_updates: bool,
    /// D2's address (default 127.0.0.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_ip: Option<String>,
    /// D2's port (default 53001).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_port: Option<u16>,
    /// Source address of requests (default: any).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_ip: Option<String>,
    /// Source port of requests (default 0: any).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_port: Option<u16>,
    /// Requests queued while D2 is unreachable (default 1024).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_queue_size: Option<u32>,
    /// Transport (default UDP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ncr_protocol: Option<NcrProtocol>,
    /// Encoding (default JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ncr_format: Option<NcrFormat>,
    /// Deprecated here: global `ddns-override-no-update`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub override_no_update: Option<bool>,
    /// Deprecated here: global `ddns-override-client-update`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub override_client_update: Option<bool>,
    /// Deprecated here: global `ddns-replace-client-name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replace_client_name: Option<ReplaceClientName>,
    /// Deprecated here: global `ddns-generated-prefix`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated_prefix: Option<String>,
    /// Deprecated here: global `ddns-qualifying-suffix`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifying_suffix: Option<String>,
    /// Deprecated here: global `hostname-char-set`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname_char_set: Option<String>,
    /// Deprecated here: global `hostname-char-replacement`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname_char_replacement: Option<String>,
    /// Free-form user data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_context: Option<UserContext>,
    /// A comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl DhcpDdns {
    /// The map as Kea 2.2 reports it in `config-get` when none was configured.
    pub fn kea_default() -> Self {
        Self {
            enable_updates: false,
            server_ip: Some("127.0.0.1".to_string()),
            server_port: Some(53001),
            sender_ip: Some("0.0.0.0".to_string()),
            sender_port: Some(0),
            max_queue_size: Some(1024),
            ncr_protocol: Some(NcrProtocol::Udp),
            ncr_format: Some(NcrFormat::Json),
            override_no_update: None,
            override_client_update: None,
            replace_client_name: None,
            generated_prefix: None,
            qualifying_suffix: None,
            hostname_char_set: None,
            hostname_char_replacement: None,
            user_context: None,
            comment: None,
        }
    }
}
