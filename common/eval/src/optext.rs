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
pub(crate) fn option_text_v4<'a>(
    code: u16,
    data: &'a [u8],
    def: Option<&OptionDefinition>,
) -> Cow<'a, [u8]> {
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
    // KEA-DIFF: options holding sub-options print them after the header in Kea; only the
    // header and fields are printed here.
    let Ok(csv) = def.to_text(data) else {
        return Cow::Owned(generic_v4(code, data).into_bytes());
    };
    let types = def.field_types();
    let mut out = String::with_capacity(24 + 2 * csv.len());
    header(code, data.len(), &mut out);
    if !csv.is_empty() {
        for (i, value) in csv.split(", ").enumerate() {
            let ty = types
                .get(i)
                .or(types.last())
                .copied()
                .unwrap_or(OptionDataType::Binary);
            let _ = write!(out, " {value} ({})", ty.name());
        }
    }
    Cow::Owned(out.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use kea_dhcp::optdef::std_v4_def_by_code;

    #[test]
    fn forms_seen_on_kea() {
        assert_eq!(generic_v4(222, b"abc"), "type=222, len=003: 61:62:63");
        assert_eq!(
            option_text_v4(50, &[192, 0, 2, 1], std_v4_def_by_code(50)).as_ref(),
            b"type=050, len=004: 192.0.2.1 (ipv4-address)"
        );
        assert_eq!(
            option_text_v4(12, b"host", std_v4_def_by_code(12)).as_ref(),
            b"host"
        );
        assert_eq!(
            option_text_v4(61, b"bar", std_v4_def_by_code(61)).as_ref(),
            b"type=061, len=003: 62:61:72"
        );
        assert_eq!(
            option_text_v4(222, b"", None).as_ref(),
            b"type=222, len=000: "
        );
    }
}
