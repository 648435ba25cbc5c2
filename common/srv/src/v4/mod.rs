//! The DHCPv4 side of the server logic.

pub mod build;
pub mod cfg;
pub mod ddns;
pub mod engine;
pub mod optbuild;
pub mod process;
pub mod reclaim;
pub mod select;
