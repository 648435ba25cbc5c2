//! The DHCPv6 side of the server logic.

pub mod build;
pub mod cfg;
pub mod engine;
pub mod process;
pub mod reclaim;
pub mod select;
