//! kea-dhcp: the DHCP wire format and Kea's option model, with no I/O.
//!
//! - [`pkt4`]: DHCPv4 messages (RFC 2131), option overload, long options (RFC 3396).
//! - [`option`]: raw options ([`Opt`], [`Options`]) and the DHCPv4 TLV codec.
//! - [`rai`], [`vendor`]: typed views of option 82 (RFC 3046) and options 124/125 (RFC 3925).
//! - [`optdef`]: option data types, definitions, the standard tables and Kea's checks.
//! - [`optdata`]: `option-data` text (csv or hex) to wire bytes and back.
//! - [`fqdn`]: DNS wire names (RFC 1035).
//! - [`codes`]: named DHCPv4 option codes.
//!
//! ARM: `dhcp4-srv.rst`, "DHCPv4 Server Configuration" option sections.

pub mod codes;
pub mod codes6;
pub mod fqdn;
pub mod optdata;
pub mod optdef;
pub mod option;
pub mod option6;
pub mod pkt4;
pub mod rai;
pub mod vendor;

pub use optdef::{OptionDataType, OptionDefinition};
pub use option::{Opt, Options};
pub use pkt4::{DecodeError, HwAddr, MessageType, Pkt4};
