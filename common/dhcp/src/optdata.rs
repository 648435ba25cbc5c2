//! `option-data` values: the text of `data` (csv-format or hex) to wire bytes, the reverse for
//! display, and the wire-format checks applied to received options.
//!
//! Acceptance rules follow Kea 2.2, checked with `kea-dhcp4 -t`:
//! - csv fields are split on unescaped commas (`\,` is a literal comma, `\\` a backslash),
//!   empty fields are dropped and each field is trimmed;
//! - a non-array, non-record option uses its first field only; a record ignores extra fields
//!   unless it is an array, in which case they repeat the last field type;
//! - integers are decimal (optional `+`/`-`) or `0x` hexadecimal, range-checked per type;
//! - booleans are `true`/`false` in any case or an integer equal to 0 or 1;
//! - `binary` fields are hexadecimal digits (whitespace ignored), even count, no `0x`;
//! - an option without a definition only takes `"csv-format": false` data;
//! - hex data (`csv-format: false`) may have a `0x` prefix, or `:` or space separated groups
//!   of one or two digits; an odd digit count gets a leading zero.
//!
//! ARM: `dhcp4-srv.rst`, "Standard DHCPv4 Options" (escaping, arrays), "Custom DHCPv4 Options"
//! (records, number formats), "Unspecified Parameters for DHCPv4 Option Configuration".

use std::fmt::Write as _;
use std::net::{Ipv4Addr, Ipv6Addr};

use thiserror::Error;

use crate::fqdn::{self, FqdnError};
use crate::optdef::{OptionDataType, OptionDefinition, Universe};
use crate::option::Options;

/// Why configured option data cannot be converted.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OptionDataError {
    /// No value where the type needs one.
    #[error("no option value specified")]
    NoValue,
    /// A record got fewer fields than it has types.
    #[error(
        "number of data fields for the option type is greater than number of values provided \
         ({fields} fields, {values} values)"
    )]
    TooFewFields {
        /// Number of record fields.
        fields: usize,
        /// Number of values given.
        values: usize,
    },
    /// An integer out of its type's range or not a number.
    #[error("unable to convert '{value}' to numeric type {data_type}")]
    BadInteger {
        /// The rejected text.
        value: String,
        /// The target type.
        data_type: OptionDataType,
    },
    /// Not a boolean.
    #[error("unable to convert the value '{value}' to boolean data type")]
    BadBoolean {
        /// The rejected text.
        value: String,
    },
    /// Not an address of the expected family.
    #[error("failed to convert string to address '{value}'")]
    BadAddress {
        /// The rejected text.
        value: String,
    },
    /// Not `address/length` with a valid length.
    #[error("invalid prefix '{value}'")]
    BadPrefix {
        /// The rejected text.
        value: String,
    },
    /// Not `psid/length` with a length 0..=16 and a PSID that fits.
    #[error("invalid PSID '{value}'")]
    BadPsid {
        /// The rejected text.
        value: String,
    },
    /// Not a string of hexadecimal digits (or separated groups).
    #[error("option data is not a valid string of hexadecimal digits: {value}")]
    BadHex {
        /// The rejected text.
        value: String,
    },
    /// A tuple longer than its length field can say (255 in DHCPv4, 65535 in DHCPv6).
    #[error("invalid tuple value (size {len} larger than {max})")]
    TupleTooLong {
        /// The text's length.
        len: usize,
        /// The largest length the universe's tuple length field holds.
        max: usize,
    },
    /// A domain name that cannot be encoded.
    #[error("invalid domain name: {0}")]
    BadFqdn(#[from] FqdnError),
    /// Not a classless static route (`a.b.c.d/len - router`).
    #[error("invalid classless static route '{value}'")]
    BadRoute {
        /// The rejected text.
        value: String,
    },
    /// `csv-format` data for an option with no definition (Kea: "definition for the option
    /// ... does not exist").
    #[error("definition for the option having code '{code}' does not exist")]
    NoDefinition {
        /// The option code.
        code: u16,
    },
    /// Hex data that does not form a valid option of the definition.
    #[error("option data does not match option definition: {0}")]
    WireMismatch(#[from] WireError),
}

/// Why received (or hex-configured) option bytes do not match a definition.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WireError {
    /// Fewer octets than the fields need.
    #[error("option {code} truncated: needs {need} octets at offset {offset}, has {len}")]
    Truncated {
        /// Option code.
        code: u16,
        /// Octets needed for the next field.
        need: usize,
        /// Offset of that field.
        offset: usize,
        /// Total option length.
        len: usize,
    },
    /// An array whose length is not a multiple of the element size, or that is empty.
    #[error("option {code} has invalid length {len} for an array of {data_type}")]
    BadArrayLength {
        /// Option code.
        code: u16,
        /// Option length.
        len: usize,
        /// Element type.
        data_type: OptionDataType,
    },
    /// A domain name field that is not valid wire format.
    #[error("option {code}: {source}")]
    Fqdn {
        /// Option code.
        code: u16,
        /// The name error.
        source: FqdnError,
    },
    /// Bytes left over after a fully parsed array.
    #[error("option {code} has {extra} trailing octets")]
    Trailing {
        /// Option code.
        code: u16,
        /// Unparsed octets.
        extra: usize,
    },
}

/// Splits csv `data` into fields as Kea does (escape with backslash, drop empty fields, trim).
pub fn split_csv(data: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut current = String::new();
    let mut escaped = false;
    for c in data.chars() {
        match c {
            '\\' if escaped => {
                current.push('\\');
                escaped = false;
            }
            '\\' => escaped = true,
            ',' if escaped => {
                current.push(',');
                escaped = false;
            }
            ',' => {
                if !current.is_empty() {
                    fields.push(std::mem::take(&mut current));
                }
            }
            _ => {
                if escaped {
                    current.push('\\');
                    escaped = false;
                }
                current.push(c);
            }
        }
    }
    if escaped {
        current.push('\\');
    }
    if !current.is_empty() {
        fields.push(current);
    }
    fields.into_iter().map(|f| f.trim().to_owned()).collect()
}

/// Escapes a text value so that [`split_csv`] gives it back as one field.
fn escape_csv(text: &str, out: &mut String) {
    for c in text.chars() {
        if c == ',' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Converts `csv-format: false` data (Kea's formatted hex) to bytes.
pub fn encode_hex(data: &str) -> Result<Vec<u8>, OptionDataError> {
    let bad = || OptionDataError::BadHex {
        value: data.to_owned(),
    };
    let sep = if data.contains(':') {
        Some(':')
    } else if data.contains(' ') {
        Some(' ')
    } else {
        None
    };
    if let Some(sep) = sep {
        let mut out = Vec::new();
        for group in data.split(sep) {
            if group.is_empty() || group.len() > 2 {
                return Err(bad());
            }
            out.push(u8::from_str_radix(group, 16).map_err(|_| bad())?);
        }
        return Ok(out);
    }
    let digits = match data.strip_prefix("0x") {
        Some(rest) if !rest.is_empty() => rest,
        Some(_) => return Err(bad()),
        None => data,
    };
    decode_hex_digits(digits, true).ok_or_else(bad)
}

/// Plain hex digits to bytes; with `pad_odd` an odd count gets a leading zero.
fn decode_hex_digits(digits: &str, pad_odd: bool) -> Option<Vec<u8>> {
    let bytes = digits.as_bytes();
    if !bytes.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len().div_ceil(2));
    let mut rest = bytes;
    if bytes.len() % 2 == 1 {
        if !pad_odd {
            return None;
        }
        out.push(hex_val(bytes[0])?);
        rest = &bytes[1..];
    }
    for pair in rest.chunks_exact(2) {
        out.push(hex_val(pair[0])? << 4 | hex_val(pair[1])?);
    }
    Some(out)
}

fn hex_val(c: u8) -> Option<u8> {
    char::from(c)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

/// Converts one DHCPv4 option-data entry to wire bytes, applying Kea's rules about
/// definitions: `csv_format` is the entry's `csv-format` (absent means true). Without a
/// definition only hex data is accepted. With a definition and hex data, the bytes must form a
/// valid option.
pub fn encode_option_data(
    code: u16,
    def: Option<&OptionDefinition>,
    data: &str,
    csv_format: Option<bool>,
) -> Result<Vec<u8>, OptionDataError> {
    encode_option_data_in(Universe::V4, code, def, data, csv_format)
}

/// [`encode_option_data`] for either universe (tuple length width and partial names differ).
pub fn encode_option_data_in(
    universe: Universe,
    code: u16,
    def: Option<&OptionDefinition>,
    data: &str,
    csv_format: Option<bool>,
) -> Result<Vec<u8>, OptionDataError> {
    let csv = csv_format.unwrap_or(true);
    match (def, csv) {
        (None, true) => Err(OptionDataError::NoDefinition { code }),
        (None, false) => encode_hex(data),
        (Some(def), true) => def.encode_csv_in(universe, data),
        (Some(def), false) => {
            let bytes = encode_hex(data)?;
            def.check_wire_in(universe, &bytes)?;
            Ok(bytes)
        }
    }
}

/// Appends configured sub-options to an encapsulating option's data (DHCPv4 TLV form, long
/// sub-options split): "an option whose definition encapsulates a space gets its configured
/// sub-options appended" (ARM, "Nested DHCPv4 Options").
pub fn append_suboptions_v4(data: &mut Vec<u8>, suboptions: &Options) {
    suboptions.encode_v4(data);
}

fn parse_int(value: &str, ty: OptionDataType) -> Result<i64, OptionDataError> {
    let bad = || OptionDataError::BadInteger {
        value: value.to_owned(),
        data_type: ty,
    };
    let n: i64 = if let Some(hex) = value.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).map_err(|_| bad())?
    } else {
        value.parse().map_err(|_| bad())?
    };
    let (min, max): (i64, i64) = match ty {
        OptionDataType::Int8 => (i8::MIN.into(), i8::MAX.into()),
        OptionDataType::Int16 => (i16::MIN.into(), i16::MAX.into()),
        OptionDataType::Int32 => (i32::MIN.into(), i32::MAX.into()),
        OptionDataType::Uint8 => (0, u8::MAX.into()),
        OptionDataType::Uint16 => (0, u16::MAX.into()),
        _ => (0, u32::MAX.into()),
    };
    if n < min || n > max {
        return Err(bad());
    }
    Ok(n)
}

fn parse_bool(value: &str) -> Result<bool, OptionDataError> {
    if value.eq_ignore_ascii_case("true") {
        return Ok(true);
    }
    if value.eq_ignore_ascii_case("false") {
        return Ok(false);
    }
    match value.parse::<i32>() {
        Ok(0) => Ok(false),
        Ok(1) => Ok(true),
        _ => Err(OptionDataError::BadBoolean {
            value: value.to_owned(),
        }),
    }
}

fn parse_v4(value: &str) -> Result<Ipv4Addr, OptionDataError> {
    // KEA-DIFF: Kea 2.2 accepts an IPv6 address for an ipv4-address field and writes
    // nonsense; we reject it.
    value.parse().map_err(|_| OptionDataError::BadAddress {
        value: value.to_owned(),
    })
}

/// Appends one field value of type `ty` to `out`.
fn write_field(
    universe: Universe,
    ty: OptionDataType,
    value: &str,
    out: &mut Vec<u8>,
) -> Result<(), OptionDataError> {
    match ty {
        OptionDataType::Empty => {}
        OptionDataType::Boolean => out.push(u8::from(parse_bool(value)?)),
        OptionDataType::Int8 | OptionDataType::Uint8 => {
            out.push((parse_int(value, ty)? & 0xff) as u8);
        }
        OptionDataType::Int16 | OptionDataType::Uint16 => {
            out.extend_from_slice(&((parse_int(value, ty)? & 0xffff) as u16).to_be_bytes());
        }
        OptionDataType::Int32 | OptionDataType::Uint32 => {
            out.extend_from_slice(&((parse_int(value, ty)? & 0xffff_ffff) as u32).to_be_bytes());
        }
        OptionDataType::Ipv4Address => out.extend_from_slice(&parse_v4(value)?.octets()),
        OptionDataType::Ipv6Address => {
            let a: Ipv6Addr = value.parse().map_err(|_| OptionDataError::BadAddress {
                value: value.to_owned(),
            })?;
            out.extend_from_slice(&a.octets());
        }
        OptionDataType::Ipv6Prefix => write_prefix(value, out)?,
        OptionDataType::Psid => write_psid(value, out)?,
        OptionDataType::String => out.extend_from_slice(value.as_bytes()),
        OptionDataType::Fqdn => fqdn::encode_name(value, out)?,
        OptionDataType::Tuple => {
            let too_long = |max: usize| OptionDataError::TupleTooLong {
                len: value.len(),
                max,
            };
            match universe {
                Universe::V4 => {
                    out.push(u8::try_from(value.len()).map_err(|_| too_long(255))?);
                }
                Universe::V6 => {
                    // RFC 8415 §21.16: DHCPv6 opaque data items have a two-octet length.
                    let len = u16::try_from(value.len()).map_err(|_| too_long(65535))?;
                    out.extend_from_slice(&len.to_be_bytes());
                }
            }
            out.extend_from_slice(value.as_bytes());
        }
        OptionDataType::Binary => {
            let digits: String = value.chars().filter(|c| !c.is_whitespace()).collect();
            let bytes =
                decode_hex_digits(&digits, false).ok_or_else(|| OptionDataError::BadHex {
                    value: value.to_owned(),
                })?;
            out.extend_from_slice(&bytes);
        }
        OptionDataType::Internal => write_route(value, out)?,
        OptionDataType::Record => return Err(OptionDataError::NoValue),
    }
    Ok(())
}

fn write_prefix(value: &str, out: &mut Vec<u8>) -> Result<(), OptionDataError> {
    let bad = || OptionDataError::BadPrefix {
        value: value.to_owned(),
    };
    let (addr, len) = value.split_once('/').ok_or_else(bad)?;
    let addr: Ipv6Addr = addr.trim().parse().map_err(|_| bad())?;
    let len: u8 = len.trim().parse().map_err(|_| bad())?;
    if len > 128 {
        return Err(bad());
    }
    out.push(len);
    let n = usize::from(len).div_ceil(8);
    let mut octets = addr.octets();
    if !len.is_multiple_of(8) {
        // Clear the bits beyond the prefix length in the last significant octet.
        octets[n - 1] &= 0xffu8 << (8 - len % 8);
    }
    out.extend_from_slice(&octets[..n]);
    Ok(())
}

fn write_psid(value: &str, out: &mut Vec<u8>) -> Result<(), OptionDataError> {
    let bad = || OptionDataError::BadPsid {
        value: value.to_owned(),
    };
    let (psid, len) = value.split_once('/').ok_or_else(bad)?;
    let psid: u16 = psid.trim().parse().map_err(|_| bad())?;
    let len: u8 = len.trim().parse().map_err(|_| bad())?;
    if len > 16 || (len < 16 && u32::from(psid) >= 1u32 << len) {
        return Err(bad());
    }
    out.push(len);
    let wire = if len == 0 { 0 } else { psid << (16 - len) };
    out.extend_from_slice(&wire.to_be_bytes());
    Ok(())
}

/// RFC 3442 §3: one route is `width, significant destination octets, router`. Text form:
/// `192.0.2.0/24 - 10.0.0.1`.
fn write_route(value: &str, out: &mut Vec<u8>) -> Result<(), OptionDataError> {
    let bad = || OptionDataError::BadRoute {
        value: value.to_owned(),
    };
    let (dest, router) = value.split_once('-').ok_or_else(bad)?;
    let (net, len) = dest.trim().split_once('/').ok_or_else(bad)?;
    let net: Ipv4Addr = net.trim().parse().map_err(|_| bad())?;
    let len: u8 = len.trim().parse().map_err(|_| bad())?;
    let router: Ipv4Addr = router.trim().parse().map_err(|_| bad())?;
    if len > 32 {
        return Err(bad());
    }
    out.push(len);
    let n = usize::from(len).div_ceil(8);
    out.extend_from_slice(&net.octets()[..n]);
    out.extend_from_slice(&router.octets());
    Ok(())
}

impl OptionDefinition {
    /// Converts `csv-format: true` data to the option's DHCPv4 wire bytes (without
    /// sub-options).
    pub fn encode_csv(&self, data: &str) -> Result<Vec<u8>, OptionDataError> {
        self.encode_csv_in(Universe::V4, data)
    }

    /// Converts `csv-format: true` data to the option's wire bytes in `universe` (without
    /// sub-options).
    pub fn encode_csv_in(
        &self,
        universe: Universe,
        data: &str,
    ) -> Result<Vec<u8>, OptionDataError> {
        let values = split_csv(data);
        let mut out = Vec::new();
        if self.data_type == OptionDataType::Empty {
            return Ok(out);
        }
        if values.is_empty() {
            return Err(OptionDataError::NoValue);
        }
        if self.data_type == OptionDataType::Record {
            let fields = &self.record_types;
            if values.len() < fields.len() {
                return Err(OptionDataError::TooFewFields {
                    fields: fields.len(),
                    values: values.len(),
                });
            }
            for (ty, v) in fields.iter().zip(&values) {
                write_field(universe, *ty, v, &mut out)?;
            }
            if self.array
                && let Some(last) = fields.last()
            {
                for v in &values[fields.len()..] {
                    write_field(universe, *last, v, &mut out)?;
                }
            }
        } else if self.array || self.data_type == OptionDataType::Internal {
            // Option 121 is a list of routes although its table entry is not an array.
            for v in &values {
                write_field(universe, self.data_type, v, &mut out)?;
            }
        } else {
            write_field(universe, self.data_type, &values[0], &mut out)?;
        }
        Ok(out)
    }

    /// Converts `csv-format: false` data; the bytes must form a valid DHCPv4 option.
    pub fn encode_hex(&self, data: &str) -> Result<Vec<u8>, OptionDataError> {
        self.encode_hex_in(Universe::V4, data)
    }

    /// Converts `csv-format: false` data; the bytes must form a valid option in `universe`.
    pub fn encode_hex_in(
        &self,
        universe: Universe,
        data: &str,
    ) -> Result<Vec<u8>, OptionDataError> {
        let bytes = encode_hex(data)?;
        self.check_wire_in(universe, &bytes)?;
        Ok(bytes)
    }

    /// Checks that `wire` is a valid DHCPv4 instance of this option, as Kea's unpacking does
    /// before it accepts a packet. Octets after the defined fields of a non-array option are
    /// allowed (they are sub-options or ignored, as in Kea).
    pub fn check_wire(&self, wire: &[u8]) -> Result<(), WireError> {
        self.check_wire_in(Universe::V4, wire)
    }

    /// [`Self::check_wire`] in either universe.
    pub fn check_wire_in(&self, universe: Universe, wire: &[u8]) -> Result<(), WireError> {
        self.walk(universe, wire, &mut |_, _| {}).map(|_| ())
    }

    /// How many leading octets of `wire` the definition's fields take; the rest are the
    /// sub-options of an encapsulating option (e.g. 12 for an IA_NA, RFC 8415 §21.4).
    pub fn data_len_in(&self, universe: Universe, wire: &[u8]) -> Result<usize, WireError> {
        self.walk(universe, wire, &mut |_, _| {})
    }

    /// Renders DHCPv4 wire bytes as csv text that [`Self::encode_csv`] accepts back (for
    /// display, `option[..].text`-like output and round trips).
    pub fn to_text(&self, wire: &[u8]) -> Result<String, WireError> {
        self.to_text_in(Universe::V4, wire)
    }

    /// [`Self::to_text`] in either universe; the result is accepted by
    /// [`Self::encode_csv_in`] with the same universe.
    pub fn to_text_in(&self, universe: Universe, wire: &[u8]) -> Result<String, WireError> {
        let mut text = String::new();
        self.walk(universe, wire, &mut |ty, field| {
            if !text.is_empty() {
                text.push_str(", ");
            }
            field_text(universe, ty, field, &mut text);
        })?;
        Ok(text)
    }

    /// Splits `wire` into fields, calling `visit` with each field's type and octets; returns
    /// the number of octets the fields take.
    fn walk(
        &self,
        universe: Universe,
        wire: &[u8],
        visit: &mut dyn FnMut(OptionDataType, &[u8]),
    ) -> Result<usize, WireError> {
        let at = FieldAt {
            universe,
            code: self.code,
        };
        let mut pos = 0;
        match self.data_type {
            OptionDataType::Empty => Ok(0),
            OptionDataType::Record => {
                let fields = &self.record_types;
                for (i, &ty) in fields.iter().enumerate() {
                    let last = i + 1 == fields.len();
                    if last && self.array {
                        return walk_array(at, ty, wire, pos, false, visit);
                    }
                    let len = field_len(at, ty, wire, pos)?;
                    visit(ty, &wire[pos..pos + len]);
                    pos += len;
                }
                Ok(pos)
            }
            OptionDataType::Internal => walk_array(at, self.data_type, wire, 0, true, visit),
            ty if self.array => {
                let allow_empty = ty == OptionDataType::Ipv4Address || !ty.is_integer();
                walk_array(at, ty, wire, 0, allow_empty, visit)
            }
            ty => {
                let len = field_len(at, ty, wire, 0)?;
                let field = &wire[..len];
                if ty == OptionDataType::String {
                    // RFC 2132 §2: trailing NULs are not part of the text.
                    let end = field.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
                    visit(ty, &field[..end]);
                } else {
                    visit(ty, field);
                }
                Ok(len)
            }
        }
    }
}

/// Where a field is read: the universe and the option code decide tuple length widths and
/// whether a partial domain name is allowed.
#[derive(Clone, Copy)]
struct FieldAt {
    universe: Universe,
    code: u16,
}

impl FieldAt {
    /// RFC 4702 §2.3 (option 81) and RFC 4704 §4.2 (option 39) allow a partial name.
    fn partial_name(self) -> bool {
        match self.universe {
            Universe::V4 => self.code == crate::codes::DHO_FQDN,
            Universe::V6 => self.code == crate::codes6::D6O_CLIENT_FQDN,
        }
    }

    /// Octets of a tuple's length field.
    fn tuple_len_width(self) -> usize {
        match self.universe {
            Universe::V4 => 1,
            Universe::V6 => 2,
        }
    }
}

fn walk_array(
    at: FieldAt,
    ty: OptionDataType,
    wire: &[u8],
    mut pos: usize,
    allow_empty: bool,
    visit: &mut dyn FnMut(OptionDataType, &[u8]),
) -> Result<usize, WireError> {
    let code = at.code;
    if pos == wire.len() && !allow_empty {
        return Err(WireError::BadArrayLength {
            code,
            len: wire.len(),
            data_type: ty,
        });
    }
    if let Some(size) = ty.fixed_len()
        && !(wire.len() - pos).is_multiple_of(size)
    {
        return Err(WireError::BadArrayLength {
            code,
            len: wire.len(),
            data_type: ty,
        });
    }
    while pos < wire.len() {
        let len = field_len(at, ty, wire, pos)?;
        visit(ty, &wire[pos..pos + len]);
        pos += len;
    }
    Ok(pos)
}

/// Length of the field of type `ty` starting at `pos` (string and binary take the rest).
fn field_len(at: FieldAt, ty: OptionDataType, wire: &[u8], pos: usize) -> Result<usize, WireError> {
    let code = at.code;
    let rest = wire.get(pos..).unwrap_or_default();
    let need = |need: usize| {
        if rest.len() < need {
            Err(WireError::Truncated {
                code,
                need,
                offset: pos,
                len: wire.len(),
            })
        } else {
            Ok(need)
        }
    };
    match ty {
        // Validation only allows these as the last field; elsewhere they still take the rest.
        OptionDataType::String | OptionDataType::Binary => Ok(rest.len()),
        OptionDataType::Fqdn => fqdn::wire_name_len(rest, at.partial_name())
            .map_err(|source| WireError::Fqdn { code, source }),
        OptionDataType::Tuple => {
            let width = at.tuple_len_width();
            let len_field = rest.get(..width).ok_or(WireError::Truncated {
                code,
                need: width,
                offset: pos,
                len: wire.len(),
            })?;
            let len = len_field
                .iter()
                .fold(0usize, |acc, &b| acc << 8 | usize::from(b));
            need(width + len)
        }
        OptionDataType::Ipv6Prefix => {
            let plen = *rest.first().ok_or(WireError::Truncated {
                code,
                need: 1,
                offset: pos,
                len: wire.len(),
            })?;
            need(1 + usize::from(plen.min(128)).div_ceil(8))
        }
        OptionDataType::Internal => {
            let width = *rest.first().ok_or(WireError::Truncated {
                code,
                need: 1,
                offset: pos,
                len: wire.len(),
            })?;
            need(1 + usize::from(width.min(32)).div_ceil(8) + 4)
        }
        other => need(other.fixed_len().unwrap_or(0)),
    }
}

/// Appends the csv text of one field (its octets are already length-checked).
fn field_text(universe: Universe, ty: OptionDataType, f: &[u8], out: &mut String) {
    let be = |f: &[u8]| f.iter().fold(0u32, |acc, &b| acc << 8 | u32::from(b));
    match ty {
        OptionDataType::Empty | OptionDataType::Record => {}
        OptionDataType::Boolean => out.push_str(if f.first() == Some(&0) {
            "false"
        } else {
            "true"
        }),
        OptionDataType::Uint8 | OptionDataType::Uint16 | OptionDataType::Uint32 => {
            let _ = write!(out, "{}", be(f));
        }
        OptionDataType::Int8 => {
            let _ = write!(out, "{}", i8::from_be_bytes([f[0]]));
        }
        OptionDataType::Int16 => {
            let _ = write!(out, "{}", i16::from_be_bytes([f[0], f[1]]));
        }
        OptionDataType::Int32 => {
            let _ = write!(out, "{}", i32::from_be_bytes([f[0], f[1], f[2], f[3]]));
        }
        OptionDataType::Ipv4Address => {
            let _ = write!(out, "{}", Ipv4Addr::new(f[0], f[1], f[2], f[3]));
        }
        OptionDataType::Ipv6Address => {
            let mut o = [0u8; 16];
            o.copy_from_slice(&f[..16]);
            let _ = write!(out, "{}", Ipv6Addr::from(o));
        }
        OptionDataType::Ipv6Prefix => {
            let mut o = [0u8; 16];
            let n = f.len() - 1;
            o[..n].copy_from_slice(&f[1..]);
            let _ = write!(out, "{}/{}", Ipv6Addr::from(o), f[0]);
        }
        OptionDataType::Psid => {
            let len = f[0];
            let raw = u16::from_be_bytes([f[1], f[2]]);
            let psid = if len == 0 || len > 16 {
                0
            } else {
                raw >> (16 - len)
            };
            let _ = write!(out, "{psid}/{len}");
        }
        OptionDataType::String => escape_csv(&String::from_utf8_lossy(f), out),
        OptionDataType::Tuple => {
            let width = match universe {
                Universe::V4 => 1,
                Universe::V6 => 2,
            };
            escape_csv(
                &String::from_utf8_lossy(f.get(width..).unwrap_or_default()),
                out,
            );
        }
        OptionDataType::Fqdn => {
            let name = fqdn::decode_name(f, true)
                .map(|(n, _)| n)
                .unwrap_or_default();
            escape_csv(&name, out);
        }
        OptionDataType::Binary => {
            for b in f {
                let _ = write!(out, "{b:02x}");
            }
        }
        OptionDataType::Internal => {
            let width = f[0];
            let n = f.len() - 5;
            let mut net = [0u8; 4];
            net[..n].copy_from_slice(&f[1..=n]);
            let r = &f[n + 1..];
            let _ = write!(
                out,
                "{}/{} - {}",
                Ipv4Addr::from(net),
                width,
                Ipv4Addr::new(r[0], r[1], r[2], r[3])
            );
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use crate::optdef::{DHCP4_OPTION_DEFS, OptionDataType as T, std_v4_def_by_name};
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    fn std(name: &str) -> &'static OptionDefinition {
        std_v4_def_by_name(name).unwrap()
    }

    fn custom(ty: T, array: bool) -> OptionDefinition {
        OptionDefinition::new("x", 250, "dhcp4", ty, array)
    }

    #[test]
    fn csv_splitting_and_escapes() {
        assert_eq!(split_csv("a, b ,,c,"), ["a", "b", "c"]);
        assert_eq!(split_csv("foo\\,bar"), ["foo,bar"]);
        assert_eq!(split_csv("a\\\\,b"), ["a\\", "b"]);
        assert_eq!(split_csv("a\\b"), ["a\\b"]);
        assert!(split_csv("").is_empty());
    }

    #[test]
    fn standard_options_from_csv() {
        assert_eq!(
            std("domain-name-servers")
                .encode_csv("10.0.0.1, 10.0.0.2")
                .unwrap(),
            [10, 0, 0, 1, 10, 0, 0, 2]
        );
        assert_eq!(
            std("domain-name").encode_csv("example.org").unwrap(),
            b"example.org"
        );
        assert_eq!(
            std("time-offset").encode_csv("-3600").unwrap(),
            (-3600i32).to_be_bytes()
        );
        assert_eq!(
            std("boot-file-name").encode_csv("foo\\,bar").unwrap(),
            b"foo,bar"
        );
        assert_eq!(
            std("domain-search").encode_csv("a.org, b.").unwrap(),
            b"\x01a\x03org\x00\x01b\x00"
        );
        assert_eq!(
            std("slp-directory-agent")
                .encode_csv("true, 1.2.3.4, 5.6.7.8")
                .unwrap(),
            [1, 1, 2, 3, 4, 5, 6, 7, 8]
        );
        assert_eq!(
            std("uuid-guid").encode_csv("0, 0102ab").unwrap(),
            [0, 1, 2, 0xab]
        );
        assert_eq!(
            std("v4-portparams").encode_csv("0, 3/4").unwrap(),
            [0, 4, 0x30, 0x00],
            "RFC 7597 left-aligned PSID"
        );
        assert_eq!(
            std("v4-sztp-redirect").encode_csv("ab, c").unwrap(),
            [2, b'a', b'b', 1, b'c']
        );
        assert_eq!(
            std("classless-static-route")
                .encode_csv("10.229.0.128/25 - 10.229.0.1, 0.0.0.0/0 - 10.0.0.1")
                .unwrap(),
            [25, 10, 229, 0, 128, 10, 229, 0, 1, 0, 10, 0, 0, 1]
        );
        assert_eq!(
            std("vendor-encapsulated-options").encode_csv("").unwrap(),
            b""
        );
        assert_eq!(
            std("vivso-suboptions").encode_csv("4491").unwrap(),
            [0, 0, 0x11, 0x8b]
        );
    }

    #[test]
    fn kea_acceptance_rules() {
        let b = custom(T::Boolean, false);
        assert_eq!(b.encode_csv("TRUE").unwrap(), [1]);
        assert_eq!(b.encode_csv("0").unwrap(), [0]);
        assert!(matches!(
            b.encode_csv("yes"),
            Err(OptionDataError::BadBoolean { .. })
        ));
        assert_eq!(b.encode_csv(""), Err(OptionDataError::NoValue));
        let u8d = custom(T::Uint8, false);
        assert_eq!(u8d.encode_csv("0x10").unwrap(), [16]);
        assert_eq!(u8d.encode_csv(" 5 ").unwrap(), [5]);
        assert_eq!(u8d.encode_csv("+5").unwrap(), [5]);
        assert_eq!(
            u8d.encode_csv("1,2").unwrap(),
            [1],
            "non-array uses the first field"
        );
        for bad in ["256", "-1", "0x100", "1.5", "abc"] {
            assert!(
                matches!(u8d.encode_csv(bad), Err(OptionDataError::BadInteger { .. })),
                "{bad}"
            );
        }
        assert_eq!(custom(T::Int8, false).encode_csv("-128").unwrap(), [0x80]);
        assert!(custom(T::Int8, false).encode_csv("-129").is_err());
        assert!(custom(T::Uint32, false).encode_csv("4294967296").is_err());
        assert_eq!(
            custom(T::Uint8, true).encode_csv(""),
            Err(OptionDataError::NoValue)
        );
        let rec = custom(T::Record, false).with_record_types(vec![T::Uint8, T::Uint8]);
        assert!(matches!(
            rec.encode_csv("1"),
            Err(OptionDataError::TooFewFields { .. })
        ));
        assert_eq!(
            rec.encode_csv("1,2,3").unwrap(),
            [1, 2],
            "extra fields ignored"
        );
        let rec_arr = custom(T::Record, true).with_record_types(vec![T::Ipv4Address, T::Uint16]);
        assert_eq!(
            rec_arr.encode_csv("1.2.3.4, 1, 2").unwrap(),
            [1, 2, 3, 4, 0, 1, 0, 2]
        );
        assert!(custom(T::Psid, false).encode_csv("3/17").is_err());
        assert!(custom(T::Psid, false).encode_csv("16/4").is_err());
        assert!(custom(T::Fqdn, false).encode_csv("a..b").is_err());
        assert!(custom(T::Ipv4Address, false).encode_csv("1.2.3").is_err());
        assert!(
            custom(T::Tuple, false)
                .encode_csv(&"a".repeat(256))
                .is_err()
        );
        let bin = custom(T::Binary, false);
        assert_eq!(bin.encode_csv("ab cd").unwrap(), [0xab, 0xcd]);
        for bad in ["abc", "ab:cd", "0xabcd", "'abc'"] {
            assert!(bin.encode_csv(bad).is_err(), "{bad}");
        }
        assert_eq!(
            custom(T::Ipv6Prefix, false)
                .encode_csv("2001:db8:1::/48")
                .unwrap(),
            [48, 0x20, 0x01, 0x0d, 0xb8, 0, 1]
        );
    }

    /// Wire bytes Kea 2.2 sent for these custom definitions (always-send, captured on
    /// loopback from an OFFER).
    #[test]
    fn matches_kea_wire_output() {
        let rec = |types: Vec<T>, array| custom(T::Record, array).with_record_types(types);
        let cases: Vec<(OptionDefinition, &str, &str)> = vec![
            (custom(T::String, false), "a,b", "61"),
            (custom(T::String, false), " spaced ", "737061636564"),
            (custom(T::String, false), "foo\\,bar", "666f6f2c626172"),
            (custom(T::Boolean, false), "TRUE", "01"),
            (custom(T::Uint16, true), " 1 , 2 ,3", "000100020003"),
            (custom(T::Ipv4Address, true), "1.2.3.4,", "01020304"),
            (
                custom(T::Fqdn, false),
                "Example.ORG",
                "074578616d706c65034f524700",
            ),
            (custom(T::Fqdn, true), "a.b,c.d.", "01610162000163016400"),
            (custom(T::Tuple, true), "ab, c", "0261620163"),
            (rec(vec![T::Uint8, T::Psid], false), "1, 3/4", "01043000"),
            (
                rec(vec![T::Ipv4Address, T::Uint16], true),
                "1.2.3.4, 1, 2",
                "0102030400010002",
            ),
            (
                custom(T::Ipv6Prefix, false),
                "2001:db8:1:ff00::/57",
                "3920010db80001ff00",
            ),
            (custom(T::Binary, false), "ab cd", "abcd"),
            (custom(T::Int16, false), "-2", "fffe"),
            (
                rec(vec![T::Uint8, T::String], false),
                "5, hello, world",
                "0568656c6c6f",
            ),
            (custom(T::Uint32, false), "0x1F", "0000001f"),
        ];
        for (def, csv, hex) in cases {
            assert_eq!(
                def.encode_csv(csv).unwrap(),
                encode_hex(hex).unwrap(),
                "{csv}"
            );
        }
    }

    #[test]
    fn hex_data_like_kea() {
        assert_eq!(encode_hex("0x0102").unwrap(), [1, 2]);
        assert_eq!(encode_hex("01 02").unwrap(), [1, 2]);
        assert_eq!(encode_hex("01:02").unwrap(), [1, 2]);
        assert_eq!(encode_hex("1:2").unwrap(), [1, 2]);
        assert_eq!(encode_hex("102").unwrap(), [1, 2]);
        assert_eq!(encode_hex("").unwrap(), Vec::<u8>::new());
        for bad in ["0X0102", "01:02 03", "0x", "01::02", "zz", "123:4"] {
            assert!(encode_hex(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn definitions_decide_csv_or_hex() {
        assert_eq!(
            encode_option_data(250, None, "01:02", None),
            Err(OptionDataError::NoDefinition { code: 250 })
        );
        assert_eq!(
            encode_option_data(250, None, "0102", Some(false)).unwrap(),
            [1, 2]
        );
        let routers = std("routers");
        assert_eq!(
            encode_option_data(3, Some(routers), "0a000001", Some(false)).unwrap(),
            [10, 0, 0, 1]
        );
        assert!(matches!(
            encode_option_data(3, Some(routers), "0a0000", Some(false)),
            Err(OptionDataError::WireMismatch(_))
        ));
        let mut data = std("vendor-encapsulated-options").encode_csv("").unwrap();
        let subs: Options = [crate::Opt::new(1, b"1APC".to_vec())].into_iter().collect();
        append_suboptions_v4(&mut data, &subs);
        assert_eq!(data, b"\x01\x041APC");
    }

    #[test]
    fn wire_to_text() {
        assert_eq!(
            std("routers").to_text(&[10, 0, 0, 1, 10, 0, 0, 2]).unwrap(),
            "10.0.0.1, 10.0.0.2"
        );
        assert_eq!(std("host-name").to_text(b"a,b\0\0").unwrap(), "a\\,b");
        assert_eq!(
            std("fqdn").to_text(b"\x01\x00\x00\x04host").unwrap(),
            "1, 0, 0, host"
        );
        assert_eq!(
            std("time-offset").to_text(&(-5i32).to_be_bytes()).unwrap(),
            "-5"
        );
        assert!(std("routers").to_text(&[1, 2, 3]).is_err());
        assert!(std("dhcp-parameter-request-list").check_wire(&[]).is_err());
        assert!(std("routers").check_wire(&[]).is_ok());
    }

    /// Strategy for one csv field value of type `ty` (text that Kea accepts).
    fn field_value(ty: T) -> BoxedStrategy<String> {
        match ty {
            T::Boolean => prop::bool::ANY.prop_map(|b| b.to_string()).boxed(),
            T::Int8 => any::<i8>().prop_map(|v| v.to_string()).boxed(),
            T::Int16 => any::<i16>().prop_map(|v| v.to_string()).boxed(),
            T::Int32 => any::<i32>().prop_map(|v| v.to_string()).boxed(),
            T::Uint8 => any::<u8>().prop_map(|v| v.to_string()).boxed(),
            T::Uint16 => any::<u16>().prop_map(|v| v.to_string()).boxed(),
            T::Uint32 => any::<u32>().prop_map(|v| v.to_string()).boxed(),
            T::Ipv4Address => any::<[u8; 4]>()
                .prop_map(|a| Ipv4Addr::from(a).to_string())
                .boxed(),
            T::Ipv6Address => any::<[u8; 16]>()
                .prop_map(|a| Ipv6Addr::from(a).to_string())
                .boxed(),
            T::Ipv6Prefix => (any::<[u8; 16]>(), 0u8..=128)
                .prop_map(|(a, l)| format!("{}/{l}", Ipv6Addr::from(a)))
                .boxed(),
            T::Psid => (0u8..=16, any::<u16>())
                .prop_map(|(l, v)| {
                    let psid = if l == 0 {
                        0
                    } else if l == 16 {
                        v
                    } else {
                        v % (1 << l)
                    };
                    format!("{psid}/{l}")
                })
                .boxed(),
            T::String | T::Tuple => "[a-zA-Z0-9 ,\\\\.:-]{0,40}"
                .prop_map(|s| {
                    let s = s.trim().to_owned();
                    let mut e = String::new();
                    escape_csv(&s, &mut e);
                    if e.is_empty() { "x".to_owned() } else { e }
                })
                .boxed(),
            T::Fqdn => prop::collection::vec("[a-z0-9-]{1,20}", 1..4)
                .prop_map(|l| l.join("."))
                .boxed(),
            T::Binary => prop::collection::vec(any::<u8>(), 1..20)
                .prop_map(|b| b.iter().map(|x| format!("{x:02x}")).collect())
                .boxed(),
            T::Internal => (any::<[u8; 4]>(), 0u8..=32, any::<[u8; 4]>())
                .prop_map(|(n, l, r)| {
                    let mask = if l == 0 { 0 } else { u32::MAX << (32 - l) };
                    let net = Ipv4Addr::from(u32::from_be_bytes(n) & mask);
                    format!("{net}/{l} - {}", Ipv4Addr::from(r))
                })
                .boxed(),
            T::Empty | T::Record => Just(String::new()).boxed(),
        }
    }

    fn csv_for(def: &OptionDefinition) -> BoxedStrategy<String> {
        let fields: Vec<T> = def.field_types().to_vec();
        let repeat = def.array || def.data_type == T::Internal;
        let last = *fields.last().unwrap_or(&T::Empty);
        let fixed: Vec<BoxedStrategy<String>> = fields.iter().map(|t| field_value(*t)).collect();
        let extra = if repeat { 0..4usize } else { 0..1usize };
        (fixed, prop::collection::vec(field_value(last), extra))
            .prop_map(|(mut f, e)| {
                f.extend(e);
                f.join(", ")
            })
            .boxed()
    }

    /// encode_csv → to_text → encode_csv gives the same bytes, for every standard definition.
    #[test]
    fn csv_text_round_trip_for_every_standard_option() {
        let mut runner = TestRunner::new(Config {
            cases: 64,
            ..Config::default()
        });
        for def in DHCP4_OPTION_DEFS.defs {
            runner
                .run(&csv_for(def), |csv| {
                    let wire = def.encode_csv(&csv).unwrap();
                    prop_assert!(def.check_wire(&wire).is_ok(), "{}: {csv}", def.name);
                    let text = def.to_text(&wire).unwrap();
                    let again = def.encode_csv(&text).unwrap();
                    prop_assert_eq!(&again, &wire, "{}: {} -> {}", def.name, csv, text);
                    Ok(())
                })
                .unwrap();
        }
    }

    /// The same round trip in DHCPv6 for every built-in DHCPv6 definition (all spaces).
    #[test]
    fn csv_text_round_trip_for_every_standard_v6_option() {
        use crate::optdef::std_v6_space;
        let mut runner = TestRunner::new(Config {
            cases: 64,
            ..Config::default()
        });
        for space in [
            "dhcp6",
            "s46-cont-mape-options",
            "s46-cont-mapt-options",
            "s46-cont-lw-options",
            "s46-rule-options",
            "s46-v4v6bind-options",
            "vendor-2495",
            "vendor-4491",
        ] {
            for def in std_v6_space(space).unwrap().defs {
                runner
                    .run(&csv_for(def), |csv| {
                        let wire = def.encode_csv_in(Universe::V6, &csv).unwrap();
                        prop_assert!(
                            def.check_wire_in(Universe::V6, &wire).is_ok(),
                            "{}: {csv}",
                            def.name
                        );
                        let text = def.to_text_in(Universe::V6, &wire).unwrap();
                        let again = def.encode_csv_in(Universe::V6, &text).unwrap();
                        prop_assert_eq!(&again, &wire, "{}: {} -> {}", def.name, csv, text);
                        Ok(())
                    })
                    .unwrap();
            }
        }
    }

    /// Wire bytes Kea 2.2 sent for these `option-data` entries (always-send, captured on
    /// loopback from an ADVERTISE). A record array repeats its last field only, so
    /// rdnss-selection's second triple goes out as three names, in Kea as here.
    #[test]
    fn matches_kea_v6_wire_output() {
        use crate::optdef::{S46_CONT_MAPE_OPTION_DEFS, S46_RULE_OPTION_DEFS, std_v6_def_by_name};
        let cases: &[(&str, &str, &str)] = &[
            ("bootfile-param", "ab, c", "00026162000163"),
            (
                "v6-captive-portal",
                "https://portal.example/x",
                "68747470733a2f2f706f7274616c2e6578616d706c652f78",
            ),
            (
                "rdnss-selection",
                "2001:db8::1, 3, example.org, 2001:db8::2, 1, b.org",
                "20010db800000000000000000000000103076578616d706c65036f7267000b323030313a6462383a3a32000131000162036f726700",
            ),
            ("geoconf-civic", "1, 2, 0aff", "0100020aff"),
            ("nii", "1, 2, 3", "010203"),
            (
                "aftr-name",
                "aftr.example.org",
                "0461667472076578616d706c65036f726700",
            ),
            ("new-posix-timezone", "EST5EDT4", "4553543545445434"),
            (
                "sip-server-dns",
                "a.example, b.example.",
                "0161076578616d706c65000162076578616d706c6500",
            ),
            ("information-refresh-time", "3600", "00000e10"),
            ("client-arch-type", "7, 9", "00070009"),
            ("remote-id", "2495, 0a0b", "000009bf0a0b"),
            (
                "bootfile-url",
                "tftp://[2001:db8::1]/boot",
                "746674703a2f2f5b323030313a6462383a3a315d2f626f6f74",
            ),
            (
                "dhcp4o6-server-addr",
                "2001:db8::44, 2001:db8::45",
                "20010db800000000000000000000004420010db8000000000000000000000045",
            ),
            ("solmax-rt", "120", "00000078"),
            (
                "erp-local-domain-name",
                "erp.example",
                "03657270076578616d706c6500",
            ),
            ("ero", "18, 37", "00120025"),
            (
                "client-fqdn",
                "1, host.example.",
                "0104686f7374076578616d706c6500",
            ),
            ("v6-lost", "lost.example", "046c6f7374076578616d706c6500"),
        ];
        for (name, csv, hex) in cases {
            let def = std_v6_def_by_name(name).unwrap();
            assert_eq!(
                def.encode_csv_in(Universe::V6, csv).unwrap(),
                encode_hex(hex).unwrap(),
                "{name}"
            );
        }
        // s46-cont-mape (94) with an s46-rule carrying s46-portparams, and an s46-br.
        let rule = S46_CONT_MAPE_OPTION_DEFS.by_name("s46-rule").unwrap();
        let mut rule_data = rule
            .encode_csv_in(Universe::V6, "128, 0, 24, 192.0.2.0, 2001:db8:1::/64")
            .unwrap();
        let pp = S46_RULE_OPTION_DEFS.by_name("s46-portparams").unwrap();
        crate::Opt::new(93, pp.encode_csv_in(Universe::V6, "0, 3/4").unwrap())
            .encode_v6(&mut rule_data)
            .unwrap();
        let br = S46_CONT_MAPE_OPTION_DEFS.by_name("s46-br").unwrap();
        let subs: Options = [
            crate::Opt::new(89, rule_data),
            crate::Opt::new(
                90,
                br.encode_csv_in(Universe::V6, "2001:db8:cafe::1").unwrap(),
            ),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            subs.to_v6_bytes().unwrap(),
            encode_hex(
                "00590018800018c00002004020010db800010000005d000400043000005a001020010db8cafe00000000000000000001"
            )
            .unwrap()
        );
    }

    #[test]
    fn v6_specifics() {
        use crate::optdef::std_v6_def_by_name;
        let v6 = |name: &str| std_v6_def_by_name(name).unwrap();
        // RFC 5970 §3.2: bootfile parameters have two-octet lengths in DHCPv6.
        let param = v6("bootfile-param");
        let wire = param.encode_csv_in(Universe::V6, "ab, c").unwrap();
        assert_eq!(wire, [0, 2, b'a', b'b', 0, 1, b'c']);
        assert_eq!(param.to_text_in(Universe::V6, &wire).unwrap(), "ab, c");
        assert!(param.check_wire_in(Universe::V6, &[0, 5, b'a']).is_err());
        assert_eq!(
            param.check_wire_in(Universe::V4, &[2, b'a', b'b']),
            Ok(()),
            "the same definition in DHCPv4 keeps one-octet lengths"
        );
        assert_eq!(
            custom(T::Tuple, false)
                .encode_csv_in(Universe::V6, &"a".repeat(300))
                .unwrap()[..2],
            [1, 44]
        );
        assert_eq!(
            custom(T::Tuple, false).encode_csv(&"a".repeat(300)),
            Err(OptionDataError::TupleTooLong { len: 300, max: 255 })
        );
        // RFC 4704 §4.2: option 39 may carry a partial name; other fqdn fields may not.
        let cf = v6("client-fqdn");
        assert_eq!(
            cf.to_text_in(Universe::V6, b"\x01\x04host").unwrap(),
            "1, host"
        );
        assert!(
            v6("aftr-name")
                .check_wire_in(Universe::V6, b"\x04host")
                .is_err()
        );
        assert_eq!(
            crate::optdef::S46_CONT_MAPE_OPTION_DEFS
                .by_name("s46-rule")
                .unwrap()
                .encode_csv_in(Universe::V6, "128, 0, 24, 192.0.2.0, 2001:db8:1::/64")
                .unwrap(),
            encode_hex(
                "8000 18 c0000200 40 20010db800010000"
                    .replace(' ', "")
                    .as_str()
            )
            .unwrap()
        );
        assert_eq!(
            v6("ia-na").data_len_in(Universe::V6, &[0; 40]),
            Ok(12),
            "IA_NA sub-options start after IAID, T1, T2"
        );
        assert_eq!(v6("iaprefix").data_len_in(Universe::V6, &[0; 25]), Ok(25));
        assert_eq!(
            v6("s46-cont-mape").data_len_in(Universe::V6, &[1, 2]),
            Ok(0)
        );
    }

    proptest! {
        #[test]
        fn arbitrary_text_never_panics(data in ".{0,60}") {
            for def in DHCP4_OPTION_DEFS.defs {
                let _ = def.encode_csv(&data);
                let _ = def.encode_hex(&data);
            }
            let _ = encode_hex(&data);
        }

        #[test]
        fn arbitrary_wire_never_panics(wire in prop::collection::vec(any::<u8>(), 0..64)) {
            for def in DHCP4_OPTION_DEFS.defs {
                if def.check_wire(&wire).is_ok() {
                    prop_assert!(def.to_text(&wire).is_ok());
                }
            }
            for def in crate::optdef::DHCP6_OPTION_DEFS.defs {
                if def.check_wire_in(Universe::V6, &wire).is_ok() {
                    prop_assert!(def.to_text_in(Universe::V6, &wire).is_ok());
                }
                let _ = def.encode_csv_in(Universe::V6, &String::from_utf8_lossy(&wire));
            }
        }
    }
}
