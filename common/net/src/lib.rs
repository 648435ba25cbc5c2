//! kea-net: the network edge of the Kea servers.
//!
//! Owns interface detection ([`iface`]), resolving `interfaces-config` to
//! socket bindings ([`select`]), UDP sockets with packet information
//! ([`udp`]), AF_PACKET + BPF raw sockets for DHCPv4 ([`raw`], [`bpf`]), the
//! Ethernet/IPv4/UDP header codec ([`frame`]), the [`Socket4`] / [`Socket6`]
//! abstractions the servers use ([`socket4`], [`socket6`]) and opening all
//! service sockets with Kea's retry policy ([`service`]).
//!
//! Implements ARM `dhcp4-srv.rst` and `dhcp6-srv.rst`, "Interface
//! Configuration". It never parses DHCP messages: payloads are opaque bytes.
//! This is the only crate of the workspace with `unsafe` code, confined to
//! the private `sys` module.

pub mod bpf;
pub mod error;
pub mod frame;
pub mod iface;
pub mod mac;
pub mod raw;
pub mod select;
pub mod service;
pub mod socket4;
pub mod socket6;
mod sys;
pub mod udp;

pub use error::{SendError, SocketError};
pub use iface::{Iface, IfaceError, IfaceFlags, IfaceMgr};
pub use mac::MacAddr;
pub use raw::RawSocket4;
pub use select::{
    Binding4, Binding6, DhcpSocketType, InterfaceSpec, Listen6, OutboundInterface, SelectError,
    Selection, SkipReason, Skipped, parse_specs, resolve4, resolve6,
};
pub use service::{
    OpenError, OpenFailure, RetryPolicy, ServiceSockets, open_sockets4, open_sockets6,
};
pub use socket4::{Received4, Reply4, Socket4};
pub use socket6::{Received6, Reply6, Socket6};
pub use udp::{UdpSocket4, UdpSocket6};
