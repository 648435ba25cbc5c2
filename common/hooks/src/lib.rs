//! kea-hooks: the hook framework and the built-in hook libraries.
//!
//! Owns Kea's hook points and next steps ([`HookPoint`], [`NextStep`]), the
//! `hooks-libraries` configuration and its mapping of Kea's library file names onto the
//! libraries built in here ([`HooksConfig`], [`Libraries`]), and two libraries:
//! `libdhcp_lease_cmds.so` ([`lease_cmds`]) and `libdhcp_stat_cmds.so` ([`stat_cmds`]).
//! Implements `shared/spec/kea-arm/hooks.rst`, `hooks-lease-cmds.rst` and
//! `hooks-stat-cmds.rst`, and the hook point list of `shared/spec/dhcp6-hooks-api.txt`.
//!
//! It must not depend on kea-srv or kea-process: the server reaches its leases,
//! subnets and statistics through [`lease_cmds::LeaseCmdsBackend4`], and registers the
//! commands ([`Libraries::commands`], [`Libraries::handle`]) in its own registry.

pub mod answer;
mod args;
pub mod config;
pub mod hook_point;
pub mod ids;
pub mod lease_cmds;
pub mod lease_json;
pub mod library;
pub mod stat_cmds;

pub use config::{HooksConfig, HooksConfigError, LibraryConfig, LibraryKind};
pub use hook_point::{DHCP4_HOOK_POINTS, DHCP6_HOOK_POINTS, HookPoint, NextStep};
pub use library::{Libraries, LibraryHandle};
