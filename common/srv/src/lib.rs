//! kea-srv: DHCP server logic shared by kea-dhcp4 and kea-dhcp6, with no socket I/O.
//!
//! It owns the runtime configuration (subnets, pools, shared networks, reservations, option
//! precedence), subnet selection, the allocation engine and message processing. The daemons
//! feed it decoded packets and send what it returns.

pub mod alloc;
pub mod classes;
pub mod ddns;
pub mod host;
pub mod lifetime;
pub mod options;
pub mod v4;
pub mod v6;
