//! The parsed form of an expression: a typed tree of boolean and string nodes. Every
//! literal is converted to its octets once, at parse time; nothing here touches a packet.
//!
//! ARM: `classify.rst`, tables "List of classification values" and "List of classification
//! expressions".

/// How an option's value is presented (`.hex`, `.text`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repr {
    /// `.hex`: the payload octets.
    Hex,
    /// `.text`: Kea's textual form of the option.
    Text,
}

/// `pkt.*`: packet metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PktMetadata {
    /// `pkt.iface`: the name of the receiving interface.
    Iface,
    /// `pkt.src`: the source address (4 or 16 octets).
    Src,
    /// `pkt.dst`: the destination address (4 or 16 octets).
    Dst,
    /// `pkt.len`: the packet length (4-octet integer).
    Len,
}

/// `pkt4.*`: DHCPv4 header fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pkt4Field {
    /// `pkt4.mac`: the hardware address (`hlen` octets of `chaddr`).
    Mac,
    /// `pkt4.hlen`: hardware address length (4-octet integer).
    Hlen,
    /// `pkt4.htype`: hardware type (4-octet integer).
    Htype,
    /// `pkt4.ciaddr`.
    Ciaddr,
    /// `pkt4.giaddr`.
    Giaddr,
    /// `pkt4.yiaddr`.
    Yiaddr,
    /// `pkt4.siaddr`.
    Siaddr,
    /// `pkt4.msgtype`: option 53's value (4-octet integer, 0 without it).
    MsgType,
    /// `pkt4.transid`: `xid` (4-octet integer).
    TransId,
}

/// `pkt6.*`: DHCPv6 message fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pkt6Field {
    /// `pkt6.msgtype` (4-octet integer).
    MsgType,
    /// `pkt6.transid` (4-octet integer).
    TransId,
}

/// `relay6[n].*` address fields (RFC 8415 §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relay6Field {
    /// `peeraddr`.
    PeerAddr,
    /// `linkaddr`.
    LinkAddr,
}

/// The integer-to-text conversions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntToText {
    /// `int8totext`.
    Int8,
    /// `int16totext`.
    Int16,
    /// `int32totext`.
    Int32,
    /// `uint8totext`.
    Uint8,
    /// `uint16totext`.
    Uint16,
    /// `uint32totext`.
    Uint32,
}

impl IntToText {
    /// The type name used in error messages (`int8`, ...).
    pub const fn type_name(self) -> &'static str {
        match self {
            IntToText::Int8 => "int8",
            IntToText::Int16 => "int16",
            IntToText::Int32 => "int32",
            IntToText::Uint8 => "uint8",
            IntToText::Uint16 => "uint16",
            IntToText::Uint32 => "uint32",
        }
    }

    /// The operand length the conversion expects.
    pub const fn width(self) -> usize {
        match self {
            IntToText::Int8 | IntToText::Uint8 => 1,
            IntToText::Int16 | IntToText::Uint16 => 2,
            IntToText::Int32 | IntToText::Uint32 => 4,
        }
    }
}

/// An integer argument kept as Kea keeps it: its literal, converted at evaluation (a literal
/// that does not fit an `i32` is accepted by the parser and fails when evaluated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntArg {
    /// The literal as written.
    pub text: String,
    /// Its value, when it fits an `i32`.
    pub value: Option<i32>,
}

impl IntArg {
    pub(crate) fn new(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            value: text.parse().ok(),
        }
    }
}

/// The `length` argument of `substring`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubstringLen {
    /// `all`: to the end.
    All,
    /// A number of octets (negative: towards the start).
    Count(IntArg),
}

/// An enterprise id selector: `*` and `0` both match any vendor.
pub type Enterprise = u32;

/// A node whose value is `true` or `false`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BoolExpr {
    /// `not b`.
    Not(Box<BoolExpr>),
    /// `a and b`.
    And(Box<BoolExpr>, Box<BoolExpr>),
    /// `a or b`.
    Or(Box<BoolExpr>, Box<BoolExpr>),
    /// `a == b`: octet-wise equality.
    Equal(Box<StrExpr>, Box<StrExpr>),
    /// `option[code].exists`.
    OptionExists {
        /// Option code.
        code: u16,
    },
    /// `option[code].option[sub].exists`.
    SubOptionExists {
        /// Option code.
        code: u16,
        /// Sub-option code.
        sub: u16,
    },
    /// `relay4[code].exists`: a sub-option of option 82.
    Relay4Exists {
        /// RAI sub-option code.
        code: u16,
    },
    /// `relay6[nest].option[code].exists`.
    Relay6OptionExists {
        /// Relay nest level (0 nearest the server, -1 nearest the client).
        nest: i8,
        /// Option code.
        code: u16,
    },
    /// `vendor[id].exists`.
    VendorExists {
        /// Enterprise id (0 = any).
        enterprise: Enterprise,
    },
    /// `vendor[id].option[code].exists`.
    VendorOptionExists {
        /// Enterprise id (0 = any).
        enterprise: Enterprise,
        /// Sub-option code.
        code: u16,
    },
    /// `vendor-class[id].exists`.
    VendorClassExists {
        /// Enterprise id (0 = any).
        enterprise: Enterprise,
    },
    /// `member('name')` (also `known`, `unknown` as `member('KNOWN')` and its negation).
    Member(String),
}

/// A node whose value is a string of octets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StrExpr {
    /// A literal (string, hex string, address or integer), already converted to octets.
    Literal(Vec<u8>),
    /// `option[code].hex|text`.
    Option {
        /// Option code.
        code: u16,
        /// Representation.
        repr: Repr,
    },
    /// `option[code].option[sub].hex|text`.
    SubOption {
        /// Option code.
        code: u16,
        /// Sub-option code.
        sub: u16,
        /// Representation.
        repr: Repr,
    },
    /// `relay4[code].hex|text`.
    Relay4 {
        /// RAI sub-option code.
        code: u16,
        /// Representation.
        repr: Repr,
    },
    /// `relay6[nest].option[code].hex|text`.
    Relay6Option {
        /// Nest level.
        nest: i8,
        /// Option code.
        code: u16,
        /// Representation.
        repr: Repr,
    },
    /// `relay6[nest].peeraddr|linkaddr`.
    Relay6Field {
        /// Nest level.
        nest: i8,
        /// Which address.
        field: Relay6Field,
    },
    /// `pkt.iface|src|dst|len`.
    Pkt(PktMetadata),
    /// `pkt4.*`.
    Pkt4(Pkt4Field),
    /// `pkt6.*`.
    Pkt6(Pkt6Field),
    /// `vendor.enterprise`.
    VendorEnterprise,
    /// `vendor[id].option[code].hex|text`.
    VendorOption {
        /// Enterprise id (0 = any).
        enterprise: Enterprise,
        /// Sub-option code.
        code: u16,
        /// Representation.
        repr: Repr,
    },
    /// `vendor-class.enterprise`.
    VendorClassEnterprise,
    /// `vendor-class[id].data` (index 0) and `vendor-class[id].data[i]`.
    VendorClassData {
        /// Enterprise id (0 = any).
        enterprise: Enterprise,
        /// Data chunk index.
        index: u8,
    },
    /// `substring(s, start, length|all)`.
    Substring(Box<StrExpr>, IntArg, SubstringLen),
    /// `split(s, delimiters, field)`.
    Split(Box<StrExpr>, Box<StrExpr>, IntArg),
    /// `concat(a, b)` and `a + b`.
    Concat(Box<StrExpr>, Box<StrExpr>),
    /// `ifelse(cond, a, b)`.
    IfElse(Box<BoolExpr>, Box<StrExpr>, Box<StrExpr>),
    /// `hexstring(s, separator)`.
    HexString(Box<StrExpr>, Box<StrExpr>),
    /// `addrtotext(s)`.
    AddrToText(Box<StrExpr>),
    /// `int8totext(s)` ... `uint32totext(s)`.
    IntToText(IntToText, Box<StrExpr>),
    /// `lcase(s)`.
    Lcase(Box<StrExpr>),
    /// `ucase(s)`.
    Ucase(Box<StrExpr>),
}
