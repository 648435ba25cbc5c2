//! Errors of opening sockets and of sending through them.
//!
//! Owns [`SocketError`] (what failed while creating, configuring or binding a
//! service socket, with the interface and address involved) and
//! [`SendError`]. Shared by `udp`, `raw`, `socket4`, `socket6` and `service`.

use std::io;
use std::net::SocketAddr;

use crate::frame::BuildError;

/// Why a service socket could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum SocketError {
    /// socket(2) failed.
    #[error("cannot create {kind} socket: {source}")]
    Create {
        /// "UDP/IPv4", "UDP/IPv6" or "AF_PACKET".
        kind: &'static str,
        /// The OS error.
        source: io::Error,
    },
    /// A socket option could not be set.
    #[error("cannot set {option}: {source}")]
    SetOption {
        /// The option's C name (`SO_REUSEADDR`, `IP_PKTINFO`, ...).
        option: &'static str,
        /// The OS error.
        source: io::Error,
    },
    /// SO_BINDTODEVICE failed.
    #[error("cannot bind socket to device {iface}: {source}")]
    BindDevice {
        /// The interface name.
        iface: String,
        /// The OS error.
        source: io::Error,
    },
    /// bind(2) to an address failed (typically: the port is in use).
    #[error("cannot bind socket to {addr}: {source}")]
    Bind {
        /// The address and port.
        addr: SocketAddr,
        /// The OS error.
        source: io::Error,
    },
    /// bind(2) of an AF_PACKET socket to the interface failed.
    #[error("cannot bind packet socket to interface {iface} (index {ifindex}): {source}")]
    BindPacket {
        /// The interface name.
        iface: String,
        /// Its index.
        ifindex: u32,
        /// The OS error.
        source: io::Error,
    },
    /// Joining a multicast group failed.
    #[error("cannot join multicast group {group} on interface {iface}: {source}")]
    JoinMulticast {
        /// The group.
        group: std::net::Ipv6Addr,
        /// The interface name.
        iface: String,
        /// The OS error.
        source: io::Error,
    },
    /// The socket could not be registered with the tokio reactor (no runtime).
    #[error("cannot register socket with the async runtime: {source}")]
    Register {
        /// The OS error.
        source: io::Error,
    },
    /// A raw socket needs the interface's hardware address to send frames.
    #[error("interface {iface} has no hardware address, raw sockets cannot be used on it")]
    NoHardwareAddress {
        /// The interface name.
        iface: String,
    },
    /// A link binding without a link-local address.
    #[error("interface {iface} has no link-local address")]
    NoLinkLocal {
        /// The interface name.
        iface: String,
    },
}

/// Why an answer could not be sent.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The frame could not be built.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// The kernel refused the datagram or frame.
    #[error("send failed: {0}")]
    Io(#[from] io::Error),
    /// Fewer bytes went out than the datagram or frame holds.
    #[error("short send: {sent} of {len} bytes")]
    Short {
        /// Bytes sent.
        sent: usize,
        /// Bytes that should have been sent.
        len: usize,
    },
}
