//! `option[..].text`: Kea's textual form of a DHCPv4 option, as its option objects print
//! themselves (checked on Kea 2.2's `EVAL_DEBUG_OPTION` debug output):
//! - an option whose definition is a plain string: the string itself (`option[12].text` is
//!   the host name);
//! - an option without a definition, or with a binary one: `type=222, len=003: 61:62:63`;
//! - an option with a definition: `type=050, len=004: 192.0.2.1 (ipv4-address)`, one
//!   ` value (type)` per field.
//!
//! ARM: `classify.rst`, "List of classification values" (`option[code].text`).

use std::borrow::Cow;
use std::fmt::Write;

use kea_dhcp::optdef::{OptionDataType, OptionDefinition};

fn header(code: u16, len: usize, out: &mut String) {
    let _ = write!(out, "type={code:03}, len={len:03}:");
}

/// The form of an option without a definition: header and colon-separated hex octets.
pub(crate) fn generic_v4(code: u16, data: &[u8]) -> String {
    let mut out = String::with_capacity(20 + 3 * data.len());
    header(code, data.len(), &mut out);
    out.push(' ');
    for (i, b) in data.iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Kea's text of option `code` with payload `data`, given its definition if any.
/// `suboptions` tells whether the payload is a list of sub-options (option 82, or a
/// definition that encapsulates a space) and whether 0/255 are PAD/END in it.
pub(crate) fn option_text_v4<'a>(
    code: u16,
    data: &'a [u8],
    def: Option<&OptionDefinition>,
    suboptions: Option<bool>,
) -> Cow<'a, [u8]> {
    if let Some(pad_end) = suboptions
        && def.is_none_or(|d| d.data_type == OptionDataType::Empty)
    {
        return Cow::Owned(encapsulating_text(code, data, pad_end).into_bytes());
    }
    let Some(def) = def else {
        return Cow::Owned(generic_v4(code, data).into_bytes());
    };
    if def.data_type == OptionDataType::String && !def.array {
        return Cow::Borrowed(data);
    }
    // Kea makes a plain option of a binary definition (`type=061, len=006: 66:6f:...`).
    if def.data_type == OptionDataType::Binary {
        return Cow::Owned(generic_v4(code, data).into_bytes());
    }
    // KEA-DIFF: the client FQDN option (81) has its own layout in Kea; it gets the field
    // layout here.
    let Ok(csv) = def.to_text(data) else {
        return Cow::Owned(generic_v4(code, data).into_bytes());
    };
    let types = def.field_types();
    let mut out = String::with_capacity(24 + 2 * csv.len());
    header(code, data.len(), &mut out);
    if csv.is_empty() {
        return Cow::Owned(out.into_bytes());
    }
    for (i, value) in csv.split(", ").enumerate() {
        let ty = types
            .get(i)
            .or(types.last())
            .copied()
            .unwrap_or(OptionDataType::Binary);
        if def.array && def.data_type == OptionDataType::Ipv4Address {
            // an address list: `type=003, len=008: 10.0.0.1 10.0.0.2`
            let _ = write!(out, " {value}");
        } else if def.array && ty.is_integer() {
            // an integer array: `type=055, len=003: 1(uint8) 3(uint8) 6(uint8)`
            let _ = write!(out, " {value}({})", ty.name());
        } else {
            let _ = write!(out, " {value} ({})", ty.name());
        }
    }
    Cow::Owned(out.into_bytes())
}

/// An option made of sub-options: the header, then `,\noptions:` and each sub-option (in
/// code order) on its own line, indented by two.
fn encapsulating_text(code: u16, data: &[u8], pad_end: bool) -> String {
    let mut out = String::new();
    header(code, data.len(), &mut out);
    let mut subs: Vec<(u8, &[u8])> = Vec::new();
    let mut pos = 0;
    while let Some(&c) = data.get(pos) {
        if pad_end && c == 0 {
            pos += 1;
            continue;
        }
        if pad_end && c == 255 {
            break;
        }
        let Some(&len) = data.get(pos + 1) else {
            break;
        };
        let Some(body) = data.get(pos + 2..pos + 2 + usize::from(len)) else {
            break;
        };
        subs.push((c, body));
        pos += 2 + usize::from(len);
    }
    if subs.is_empty() {
        return out;
    }
    subs.sort_by_key(|(c, _)| *c);
    out.push_str(",\noptions:");
    for (c, body) in subs {
        out.push_str("\n  ");
        out.push_str(&generic_v4(u16::from(c), body));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use kea_dhcp::optdef::std_v4_def_by_code;

    #[test]
    fn forms_seen_on_kea() {
        assert_eq!(generic_v4(222, b"abc"), "type=222, len=003: 61:62:63");
        assert_eq!(
            option_text_v4(50, &[192, 0, 2, 1], std_v4_def_by_code(50), None).as_ref(),
            b"type=050, len=004: 192.0.2.1 (ipv4-address)"
        );
        assert_eq!(
            option_text_v4(12, b"host", std_v4_def_by_code(12), None).as_ref(),
            b"host"
        );
        assert_eq!(
            option_text_v4(61, b"bar", std_v4_def_by_code(61), None).as_ref(),
            b"type=061, len=003: 62:61:72"
        );
        assert_eq!(
            option_text_v4(222, b"", None, None).as_ref(),
            b"type=222, len=000: "
        );
    }

    /// Forms printed by Kea 2.2 in `EVAL_DEBUG_OPTION` for the standard options below.
    #[test]
    fn typed_forms_seen_on_kea() {
        let text = |code: u16, data: &[u8]| {
            let t = option_text_v4(code, data, std_v4_def_by_code(code), None);
            String::from_utf8(t.into_owned()).unwrap_or_default()
        };
        assert_eq!(
            text(51, &[0, 0, 14, 16]),
            "type=051, len=004: 3600 (uint32)"
        );
        assert_eq!(
            text(3, &[10, 0, 0, 1, 10, 0, 0, 2]),
            "type=003, len=008: 10.0.0.1 10.0.0.2"
        );
        assert_eq!(text(57, &[5, 220]), "type=057, len=002: 1500 (uint16)");
        assert_eq!(
            text(55, &[1, 3, 6]),
            "type=055, len=003: 1(uint8) 3(uint8) 6(uint8)"
        );
        assert_eq!(text(19, &[1]), "type=019, len=001: true (boolean)");
        assert_eq!(
            text(2, &[255, 255, 255, 0]),
            "type=002, len=004: -256 (int32)"
        );
        assert_eq!(
            text(118, &[10, 0, 0, 0]),
            "type=118, len=004: 10.0.0.0 (ipv4-address)"
        );
        assert_eq!(text(93, &[0, 7]), "type=093, len=002: 7(uint16)");
        let rai = option_text_v4(
            82,
            &[1, 3, b'a', b'b', b'c'],
            std_v4_def_by_code(82),
            Some(false),
        );
        assert_eq!(
            rai.as_ref(),
            b"type=082, len=005:,\noptions:\n  type=001, len=003: 61:62:63"
        );
    }
}
