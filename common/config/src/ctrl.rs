//! `control-socket`: where a daemon listens for management commands.
//!
//! Implements `shared/spec/kea-arm/dhcp4-srv.rst`, "Management API for the DHCPv4 Server"
//! (the same map in kea-dhcp6 and kea-dhcp-ddns; INVENTORY §3.4).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::UserContext;

/// The `control-socket` map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ControlSocket {
    /// Socket type; `unix` is the only one Kea 2.2 supports (default `unix`).
    #[serde(default = "default_socket_type")]
    pub socket_type: String,
    /// Path of the UNIX socket.
    pub socket_name: PathBuf,
    /// Free-form user data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_context: Option<UserContext>,
    /// A comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

fn default_socket_type() -> String {
    "unix".to_string()
}
