//! kea-ncr: name change requests, the messages a DHCP server sends to D2
//! (`shared/spec/kea-arm/ddns.rst`, `dhcp4-srv.rst` "DDNS for DHCPv4"; INVENTORY §12).
//!
//! - [`ncr`]: [`NameChangeRequest`] and Kea's JSON text form, byte for byte as Kea 2.2 writes it;
//! - [`dhcid`]: [`Dhcid`], the RFC 4701 DHCID RDATA computed from a client identifier and FQDN;
//! - [`wire`]: the UDP framing, a 2-byte big-endian length before the JSON text;
//! - [`udp`]: [`NcrSender`] (bounded queue, `max-queue-size`) and [`NcrReceiver`].
//!
//! No DNS here: D2 turns requests into DNS updates, the DHCP servers only build and send them.

pub mod dhcid;
pub mod ncr;
pub mod udp;
pub mod wire;

pub use dhcid::{Dhcid, DhcidError, IdentifierType};
pub use ncr::{ChangeType, ConflictResolutionMode, NameChangeRequest, NcrError};
pub use udp::{NcrReceiver, NcrSender, ReceiveError, SendError, SenderConfig};
pub use wire::{decode_datagram, encode_datagram};
