//! Database maps: `lease-database`, `hosts-database`, `hosts-databases[]` and
//! `config-control.config-databases[]`, which share one key set.
//!
//! Implements `shared/spec/kea-arm/dhcp4-srv.rst`, "Lease Storage" and "Hosts Storage", and
//! `database-connectivity.rst` (INVENTORY §3.3).

use serde::{Deserialize, Serialize};

use crate::enums::keyword_enum;
use crate::error::ConfigError;
use crate::json::{Element, Location};

keyword_enum! {
    /// The storage backend.
    pub enum DbType {
        /// CSV lease file kept in memory (leases only).
        Memfile = "memfile",
        /// MySQL or MariaDB.
        Mysql = "mysql",
        /// PostgreSQL.
        Postgresql = "postgresql",
    }
}

keyword_enum! {
    /// What the server does when the database connection is lost for good.
    pub enum OnFail {
        /// Stop serving, retry, exit when retries are exhausted (the default).
        StopRetryExit = "stop-retry-exit",
        /// Keep serving, retry, exit when retries are exhausted.
        ServeRetryExit = "serve-retry-exit",
        /// Keep serving and retrying.
        ServeRetryContinue = "serve-retry-continue",
    }
}

/// One database map; unset keys take the backend's defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct DatabaseConfig {
    /// Backend type.
    #[serde(rename = "type")]
    pub db_type: DbType,
    /// Memfile: the lease file path; SQL: the database name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// SQL user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// SQL password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// SQL server host (default `localhost`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// SQL server port (default per backend).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// Memfile: write leases to disk (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persist: Option<bool>,
    /// Memfile: seconds between lease file cleanups, 0 disables (default 3600).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lfc_interval: Option<u32>,
    /// Memfile: bad rows tolerated when loading, 0 means no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_row_errors: Option<u32>,
    /// Hosts: open the database read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readonly: Option<bool>,
    /// Seconds to wait for a connection (default 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connect_timeout: Option<u32>,
    /// MySQL read timeout in seconds (2.5.7 ARM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_timeout: Option<u32>,
    /// MySQL write timeout in seconds (2.5.7 ARM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write_timeout: Option<u32>,
    /// PostgreSQL TCP user timeout in seconds (2.5.7 ARM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tcp_user_timeout: Option<u32>,
    /// Reconnection attempts after a lost connection (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_reconnect_tries: Option<u32>,
    /// Milliseconds between reconnection attempts (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reconnect_wait_time: Option<u32>,
    /// Behaviour when reconnection fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_fail: Option<OnFail>,
    /// Retry the first connection at startup (2.5.7 ARM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_on_startup: Option<bool>,
    /// TLS: CA file or directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust_anchor: Option<String>,
    /// TLS: client certificate file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_file: Option<String>,
    /// TLS: client private key file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_file: Option<String>,
    /// TLS: OpenSSL cipher list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cipher_list: Option<String>,
}

/// Where a database map sits; the key sets differ slightly by role in Kea 2.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbRole {
    /// `lease-database`: no `readonly`.
    Lease,
    /// `hosts-database` / `hosts-databases[]`: no `max-row-errors`.
    Hosts,
    /// `config-control.config-databases[]`: no `max-row-errors`.
    Config,
}

impl DbRole {
    /// The map name Kea uses in messages.
    pub fn context(self) -> &'static str {
        match self {
            Self::Lease => "lease-database",
            Self::Hosts => "hosts-database",
            Self::Config => "config-database",
        }
    }

    fn refuses(self, key: &str) -> bool {
        match self {
            Self::Lease => key == "readonly",
            Self::Hosts | Self::Config => key == "max-row-errors",
        }
    }
}

/// Refuses the keys [`DatabaseConfig`] accepts but the map's role does not.
pub fn check_role_keys(map: &Element, role: DbRole) -> Result<(), ConfigError> {
    for entry in map.as_map().unwrap_or(&[]) {
        if role.refuses(&entry.key) {
            return Err(ConfigError::UnknownKeyword {
                at: Location::new(
                    entry.key_pos.clone(),
                    u32::try_from(entry.key.len() + 2).unwrap_or(u32::MAX),
                ),
                key: entry.key.clone(),
                context: role.context().to_string(),
            });
        }
    }
    Ok(())
}
