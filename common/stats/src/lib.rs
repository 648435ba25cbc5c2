//! kea-stats: Kea's statistics manager (ARM `stats.rst`, INVENTORY §9).
//!
//! A statistic is a named [`Observation`] (`pkt4-received`, `subnet[1].assigned-addresses`)
//! holding a bounded history of timestamped samples of one [`StatValue`] type. [`StatsMgr`]
//! is the process-wide store the packet workers increment and the `statistic-*` commands
//! (module [`commands`]) read and reset. This crate owns the data model and the JSON shape of
//! the answers; it does no I/O and knows nothing about sockets or DHCP.
//!
//! Concurrency: the name → observation map sits behind an `RwLock` that is write-locked only
//! when a statistic is created or removed; each observation has its own `Mutex`, so two
//! workers incrementing different statistics never contend, and incrementing an existing
//! statistic takes one shared map lock plus that statistic's lock for a few nanoseconds.

mod answer;
pub mod commands;
mod mgr;
mod observation;
mod timefmt;

pub use mgr::StatsMgr;
pub use observation::{
    DEFAULT_MAX_SAMPLE_COUNT, Observation, SampleLimit, StatError, StatType, StatValue,
};
pub use timefmt::format_timestamp;
