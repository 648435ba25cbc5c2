//! Option data types: the values of `type` and `record-types` in an `option-def`.
//!
//! ARM: `dhcp4-srv.rst`, "List of standard DHCP option types" and "Custom DHCPv4 Options".

use std::fmt;

/// One data type an option (or one field of a record option) may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OptionDataType {
    /// No value: data is carried in sub-options only.
    Empty,
    /// Arbitrary octets, configured as hexadecimal digits.
    Binary,
    /// One octet, 0 or 1.
    Boolean,
    /// Signed 8-bit integer.
    Int8,
    /// Signed 16-bit integer, network order.
    Int16,
    /// Signed 32-bit integer, network order.
    Int32,
    /// Unsigned 8-bit integer.
    Uint8,
    /// Unsigned 16-bit integer, network order.
    Uint16,
    /// Unsigned 32-bit integer, network order.
    Uint32,
    /// Four octets.
    Ipv4Address,
    /// Sixteen octets.
    Ipv6Address,
    /// Prefix length octet followed by the significant prefix octets.
    Ipv6Prefix,
    /// PSID length octet followed by a 16-bit left-aligned PSID (RFC 7597).
    Psid,
    /// Text; trailing NULs are dropped when unpacking (RFC 2132 §2).
    String,
    /// Domain name in DNS wire format (RFC 1035 §3.1).
    Fqdn,
    /// One length octet (DHCPv4) followed by that many octets of text.
    Tuple,
    /// A sequence of fields listed in `record-types`.
    Record,
    /// Format handled by dedicated code (e.g. option 121, RFC 3442); not user-definable.
    Internal,
}

impl OptionDataType {
    /// Every type, in the order the ARM lists them.
    pub const ALL: [Self; 18] = [
        Self::Empty,
        Self::Binary,
        Self::Boolean,
        Self::Int8,
        Self::Int16,
        Self::Int32,
        Self::Uint8,
        Self::Uint16,
        Self::Uint32,
        Self::Ipv4Address,
        Self::Ipv6Address,
        Self::Ipv6Prefix,
        Self::Psid,
        Self::String,
        Self::Fqdn,
        Self::Tuple,
        Self::Record,
        Self::Internal,
    ];

    /// The name used in configuration (`"ipv4-address"`, ...).
    pub const fn name(self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::Binary => "binary",
            Self::Boolean => "boolean",
            Self::Int8 => "int8",
            Self::Int16 => "int16",
            Self::Int32 => "int32",
            Self::Uint8 => "uint8",
            Self::Uint16 => "uint16",
            Self::Uint32 => "uint32",
            Self::Ipv4Address => "ipv4-address",
            Self::Ipv6Address => "ipv6-address",
            Self::Ipv6Prefix => "ipv6-prefix",
            Self::Psid => "psid",
            Self::String => "string",
            Self::Fqdn => "fqdn",
            Self::Tuple => "tuple",
            Self::Record => "record",
            Self::Internal => "internal",
        }
    }

    /// Parses a configuration type name. `internal` is not accepted: Kea rejects it in a user
    /// definition ("option type ... not supported"), so only the built-in tables use it.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|t| *t != Self::Internal && t.name() == name)
    }

    /// Wire size of a value of this type when it is fixed; `None` for variable-length types.
    pub const fn fixed_len(self) -> Option<usize> {
        match self {
            Self::Empty => Some(0),
            Self::Boolean | Self::Int8 | Self::Uint8 => Some(1),
            Self::Int16 | Self::Uint16 => Some(2),
            Self::Int32 | Self::Uint32 | Self::Ipv4Address => Some(4),
            Self::Ipv6Address => Some(16),
            Self::Psid => Some(3),
            _ => None,
        }
    }

    /// True for the integer types (signed and unsigned).
    pub const fn is_integer(self) -> bool {
        matches!(
            self,
            Self::Int8 | Self::Int16 | Self::Int32 | Self::Uint8 | Self::Uint16 | Self::Uint32
        )
    }
}

impl fmt::Display for OptionDataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for t in OptionDataType::ALL {
            if t == OptionDataType::Internal {
                assert_eq!(OptionDataType::from_name("internal"), None);
            } else {
                assert_eq!(OptionDataType::from_name(t.name()), Some(t));
            }
        }
        assert_eq!(OptionDataType::from_name("uint64"), None);
        assert_eq!(OptionDataType::Ipv4Address.fixed_len(), Some(4));
        assert_eq!(OptionDataType::String.fixed_len(), None);
    }
}
