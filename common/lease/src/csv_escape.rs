//! Escaping of free-text lease file columns (`hostname`, `user_context`): a character that
//! would break the comma-separated row is written as `&#x` plus two hex digits, so `,`
//! becomes `&#x2c` (INVENTORY §11). Unescaping turns every `&#xHH` back into its byte, as
//! Kea's reader does; anything else is copied unchanged.

/// The tag that starts an escaped byte.
const TAG: &str = "&#x";

/// Escapes a free-text column value for a lease file row.
///
/// `,` is escaped exactly as Kea 2.2 does, so ordinary values are byte-identical.
// KEA-DIFF: Kea escapes only `,`. We also escape `\n` and `\r` (which would split the row)
// and a `&` that starts a `&#xHH` sequence (which Kea would misread as an escape). Kea's
// reader decodes all three correctly, so files stay loadable by Kea.
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for (i, ch) in value.char_indices() {
        match ch {
            ',' => out.push_str("&#x2c"),
            '\n' => out.push_str("&#x0a"),
            '\r' => out.push_str("&#x0d"),
            '&' if hex_pair_at(value.as_bytes(), i + 1 + 2).is_some()
                && value[i + 1..].starts_with("#x") =>
            {
                out.push_str("&#x26");
            }
            _ => out.push(ch),
        }
    }
    out
}

/// Decodes `&#xHH` sequences back into bytes. A tag not followed by two hex digits is kept
/// as text. Bytes that do not form UTF-8 are replaced (lease text is UTF-8 here).
pub fn unescape(value: &str) -> String {
    if !value.contains(TAG) {
        return value.to_owned();
    }
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(TAG.as_bytes())
            && let Some(byte) = hex_pair_at(bytes, i + TAG.len())
        {
            out.push(byte);
            i += TAG.len() + 2;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The byte encoded by two hex digits at `pos`, if there are two.
fn hex_pair_at(bytes: &[u8], pos: usize) -> Option<u8> {
    let hi = char::from(*bytes.get(pos)?).to_digit(16)?;
    let lo = char::from(*bytes.get(pos + 1)?).to_digit(16)?;
    u8::try_from(hi * 16 + lo).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    #[test]
    fn commas_are_escaped_as_kea_does() {
        assert_eq!(escape("a,b"), "a&#x2cb");
        assert_eq!(
            escape(r#"{ "a": 1, "b": "x,y" }"#),
            r#"{ "a": 1&#x2c "b": "x&#x2cy" }"#
        );
        assert_eq!(escape("plain.example.org"), "plain.example.org");
    }

    #[test]
    fn unescape_reads_kea_rows() {
        assert_eq!(unescape("a&#x2cb"), "a,b");
        assert_eq!(unescape("&#x2C&#x41"), ",A");
        assert_eq!(unescape("a&#xzz&#x"), "a&#xzz&#x");
    }

    #[test]
    fn ambiguous_text_round_trips() {
        for text in ["&#x2c", "&#x,", "&#xa\n", "x\r\ny", "&&#x41", "é,ü"] {
            let escaped = escape(text);
            assert!(!escaped.contains(',') && !escaped.contains('\n'));
            assert_eq!(unescape(&escaped), text, "via {escaped}");
        }
    }
}
