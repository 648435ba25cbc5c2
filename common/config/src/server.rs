//! Server-wide tuning maps shared by kea-dhcp4 and kea-dhcp6: `expired-leases-processing`,
//! `multi-threading`, `sanity-checks`, `compatibility`, `config-control` and
//! `dhcp-queue-control`.
//!
//! Implements `shared/spec/kea-arm/lease-expiration.rst`, "Lease Reclamation Configuration
//! Parameters"; `dhcp4-srv.rst`, "Multi-Threading Settings", "Sanity Checks in DHCPv4",
//! "Kea DHCPv4 Compatibility Configuration Parameters", "Enabling the Configuration Backend";
//! `congestion-handling.rst` (INVENTORY §3.6, §3.7).

use serde::{Deserialize, Serialize};

use crate::UserContext;
use crate::database::DatabaseConfig;
use crate::enums::keyword_enum;

/// The `expired-leases-processing` map (seconds unless noted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ExpiredLeasesProcessing {
    /// Interval between reclamation cycles (default 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reclaim_timer_wait_time: Option<u32>,
    /// Interval between removals of old reclaimed leases (default 25).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flush_reclaimed_timer_wait_time: Option<u32>,
    /// How long reclaimed leases are kept (default 3600).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold_reclaimed_time: Option<u32>,
    /// Leases reclaimed per cycle at most (default 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_reclaim_leases: Option<u32>,
    /// Milliseconds a cycle may take at most (default 250).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_reclaim_time: Option<u32>,
    /// Incomplete cycles before a warning (default 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unwarned_reclaim_cycles: Option<u32>,
}

impl ExpiredLeasesProcessing {
    /// The map with Kea 2.2's defaults, as `config-get` reports it.
    pub fn kea_default() -> Self {
        Self {
            reclaim_timer_wait_time: Some(10),
            flush_reclaimed_timer_wait_time: Some(25),
            hold_reclaimed_time: Some(3600),
            max_reclaim_leases: Some(100),
            max_reclaim_time: Some(250),
            unwarned_reclaim_cycles: Some(5),
        }
    }
}

/// The `multi-threading` map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct MultiThreading {
    /// Process packets on a thread pool (required when the map is given; Kea 2.2 default false).
    pub enable_multi_threading: bool,
    /// Worker threads, 0 = as many as cores (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_pool_size: Option<u32>,
    /// Packets queued for the workers, 0 = unlimited (default 64).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub packet_queue_size: Option<u32>,
    /// Free-form user data (accepted by Kea 2.2's grammar here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_context: Option<UserContext>,
    /// A comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl MultiThreading {
    /// The map with Kea 2.2's defaults.
    pub fn kea_default() -> Self {
        Self {
            enable_multi_threading: false,
            thread_pool_size: Some(0),
            packet_queue_size: Some(64),
            user_context: None,
            comment: None,
        }
    }
}

keyword_enum! {
    /// What to do with leases whose subnet does not match their address (`lease-checks`).
    pub enum LeaseChecks {
        /// No check.
        None = "none",
        /// Log a warning (the default).
        Warn = "warn",
        /// Try to fix the subnet id, keep the lease.
        Fix = "fix",
        /// Try to fix, delete when that fails.
        FixDel = "fix-del",
        /// Delete the lease.
        Del = "del",
    }
}

keyword_enum! {
    /// How stored extended info is checked (`extended-info-checks`, 2.5.7 ARM).
    pub enum ExtendedInfoChecks {
        /// No check.
        None = "none",
        /// Fix what can be fixed (the default).
        Fix = "fix",
        /// Fix, and drop what does not conform.
        Strict = "strict",
        /// As strict, with more checks.
        Pedantic = "pedantic",
    }
}

/// The `sanity-checks` map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct SanityChecks {
    /// Lease-to-subnet consistency checks when loading leases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lease_checks: Option<LeaseChecks>,
    /// Extended info checks (2.5.7 ARM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extended_info_checks: Option<ExtendedInfoChecks>,
}

/// The `compatibility` map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Compatibility {
    /// Accept some malformed options instead of dropping the packet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lenient_option_parsing: Option<bool>,
    /// DHCPv4: never hand out .0 and .255 addresses of /24-or-larger subnets (2.5.7 ARM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclude_first_last_24: Option<bool>,
    /// DHCPv4: ignore the server identifier option (2.5.7 ARM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ignore_dhcp_server_identifier: Option<bool>,
    /// DHCPv4: ignore the RAI link selection sub-option (2.5.7 ARM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ignore_rai_link_selection: Option<bool>,
}

/// The `config-control` map (configuration backends).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ConfigControl {
    /// Configuration databases.
    #[serde(default)]
    pub config_databases: Vec<DatabaseConfig>,
    /// Seconds between fetches of configuration updates (default 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_fetch_wait_time: Option<u32>,
}

/// The `dhcp-queue-control` map; Kea passes unknown keys on to the queue implementation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct DhcpQueueControl {
    /// Use the congestion-handling queue (required when the map is given).
    pub enable_queue: bool,
    /// Queue implementation (default `kea-ring4` / `kea-ring6`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_type: Option<String>,
    /// Packets held at most (default 64).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<u32>,
    /// Any other keys, for the queue implementation.
    #[serde(flatten)]
    pub extra: UserContext,
}

impl DhcpQueueControl {
    /// The map with Kea's defaults for the given default queue type.
    pub fn kea_default(queue_type: &str) -> Self {
        Self {
            enable_queue: false,
            queue_type: Some(queue_type.to_string()),
            capacity: Some(64),
            extra: UserContext::new(),
        }
    }
}
