//! kea-dhcp: the DHCP wire format and Kea's option model, with no I/O.
//!
//! - [`pkt4`]: DHCPv4 messages (RFC 2131), option overload, long options (RFC 3396).
//! - [`pkt6`]: DHCPv6 messages and relay layers (RFC 8415), DHCPv4-over-DHCPv6 (RFC 7341).
//! - [`option6`]: the DHCPv6 TLV codec.
//! - [`duid`], [`ia`], [`opts6`], [`vendor6`], [`fqdn6`]: typed views of DUIDs, IA options,
//!   fixed-format options, vendor options 16/17 and the client FQDN option 39.
//! - [`fqdn4`]: a typed view of the DHCPv4 client FQDN option 81 (RFC 4702).
//! - [`option`]: raw options ([`Opt`], [`Options`]) and the DHCPv4 TLV codec.
//! - [`rai`], [`vendor`]: typed views of option 82 (RFC 3046) and options 124/125 (RFC 3925).
//! - [`optdef`]: option data types, definitions, the standard tables and Kea's checks.
//! - [`optdata`]: `option-data` text (csv or hex) to wire bytes and back.
//! - [`fqdn`]: DNS wire names (RFC 1035).
//! - [`codes`], [`codes6`]: named DHCPv4 and DHCPv6 option codes and constants.
//!
//! ARM: `dhcp4-srv.rst` and `dhcp6-srv.rst`, the option sections.

pub mod codes;
pub mod codes6;
pub mod duid;
pub mod fqdn;
pub mod fqdn4;
pub mod fqdn6;
pub mod ia;
pub mod optdata;
pub mod optdef;
pub mod option;
pub mod option6;
pub mod opts6;
pub mod pkt4;
pub mod pkt6;
pub mod rai;
pub mod vendor;
pub mod vendor6;

pub use duid::Duid;
pub use optdef::Universe;
pub use optdef::{OptionDataType, OptionDefinition};
pub use option::{Opt, Options};
pub use option6::{EncodeError6, TruncatedTail};
pub use pkt4::{DecodeError, HwAddr, MessageType, Pkt4};
pub use pkt6::{DecodeError6, MessageType6, Pkt6, RelayMsg};
