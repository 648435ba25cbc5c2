//! Hardware addresses, client identifiers and DUIDs from command text, with Kea 2.2's
//! acceptance rules and error texts (`hooks-lease-cmds.rst`: `hw-address`, `client-id`,
//! `duid`, `identifier`).
//!
//! Kea reads a hardware address only in colon form (`1a:1b:1c`, one or two digits per
//! byte). Identifiers may also be written with spaces between bytes or as a plain digit
//! string, which gets a leading `0` when its length is odd (`aabbc` is `0a:ab:bc`).

/// Longest hardware address a lease may carry (Kea's `HWAddr::MAX_HWADDR_LEN`).
pub const MAX_HWADDR_LEN: usize = 20;
/// Longest DUID or client identifier (Kea's `DUID::MAX_DUID_LEN`).
pub const MAX_DUID_LEN: usize = 128;
/// Shortest client identifier (Kea's `ClientId::MIN_CLIENT_ID_LEN`).
pub const MIN_CLIENT_ID_LEN: usize = 2;

fn hex_digit(ch: char) -> Option<u8> {
    ch.to_digit(16).and_then(|d| u8::try_from(d).ok())
}

/// Decodes `text` split by `sep`, each token one or two hex digits.
fn decode_separated(text: &str, sep: char) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    for token in text.split(sep) {
        if token.is_empty() {
            return Err(format!(
                "two consecutive separators ('{sep}') specified in a decoded string '{text}'"
            ));
        }
        if token.chars().count() > 2 {
            return Err(format!("invalid format of the decoded string '{text}'"));
        }
        let mut byte = 0u8;
        for ch in token.chars() {
            let d = hex_digit(ch).ok_or_else(|| {
                format!("'{ch}' is not a valid hexadecimal digit in decoded string '{text}'")
            })?;
            byte = (byte << 4) | d;
        }
        out.push(byte);
    }
    Ok(out)
}

/// A hardware address in Kea's colon form; `""` is the empty address.
pub fn parse_hwaddr(text: &str) -> Result<Vec<u8>, String> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let bytes = decode_separated(text, ':')?;
    if bytes.len() > MAX_HWADDR_LEN {
        return Err("address vector size exceeds MAX_HWADDR_LEN".to_owned());
    }
    Ok(bytes)
}

/// Kea's `decodeFormattedHexString`: colon form, space form or plain digits.
fn decode_formatted(text: &str) -> Result<Vec<u8>, String> {
    if text.contains(':') {
        return decode_separated(text, ':');
    }
    if text.contains(' ') {
        return decode_separated(text, ' ');
    }
    let padded = if text.chars().count() % 2 == 1 {
        format!("0{text}")
    } else {
        text.to_owned()
    };
    let invalid = || format!("'{text}' is not a valid string of hexadecimal digits");
    let digits: Vec<u8> = padded
        .chars()
        .map(hex_digit)
        .collect::<Option<_>>()
        .ok_or_else(invalid)?;
    Ok(digits.chunks(2).map(|p| (p[0] << 4) | p[1]).collect())
}

/// A DUID from text: 1 to 128 bytes.
pub fn parse_duid(text: &str) -> Result<Vec<u8>, String> {
    let bytes = decode_formatted(text)?;
    if bytes.len() > MAX_DUID_LEN {
        return Err(format!(
            "DUID size is {} bytes, exceeds maximum of {MAX_DUID_LEN}",
            bytes.len()
        ));
    }
    if bytes.is_empty() {
        return Err("Empty DUIDs are not allowed".to_owned());
    }
    Ok(bytes)
}

/// A client identifier from text: a DUID of at least 2 bytes.
pub fn parse_client_id(text: &str) -> Result<Vec<u8>, String> {
    let bytes = parse_duid(text)?;
    if bytes.len() < MIN_CLIENT_ID_LEN {
        return Err(format!(
            "client-id is too short ({}), at least {MIN_CLIENT_ID_LEN} is required",
            bytes.len()
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    /// Texts captured from Kea 2.2's lease4-add.
    #[test]
    fn hwaddr_like_kea() {
        assert_eq!(parse_hwaddr("1:2:3").unwrap(), vec![1, 2, 3]);
        assert_eq!(parse_hwaddr("").unwrap(), Vec::<u8>::new());
        assert_eq!(
            parse_hwaddr("zz").unwrap_err(),
            "'z' is not a valid hexadecimal digit in decoded string 'zz'"
        );
        assert_eq!(
            parse_hwaddr("1z").unwrap_err(),
            "'z' is not a valid hexadecimal digit in decoded string '1z'"
        );
        for bad in ["zzz", "010203", "01-02-03", "01 02 03"] {
            assert_eq!(
                parse_hwaddr(bad).unwrap_err(),
                format!("invalid format of the decoded string '{bad}'")
            );
        }
        for bad in ["aa::bb", "aa:bb:"] {
            assert_eq!(
                parse_hwaddr(bad).unwrap_err(),
                format!("two consecutive separators (':') specified in a decoded string '{bad}'")
            );
        }
        let long = vec!["01"; 21].join(":");
        assert_eq!(
            parse_hwaddr(&long).unwrap_err(),
            "address vector size exceeds MAX_HWADDR_LEN"
        );
        assert_eq!(parse_hwaddr(&vec!["01"; 20].join(":")).unwrap().len(), 20);
    }

    #[test]
    fn client_id_like_kea() {
        assert_eq!(parse_client_id("1:2:3").unwrap(), vec![1, 2, 3]);
        assert_eq!(parse_client_id("010").unwrap(), vec![0x00, 0x10]);
        assert_eq!(parse_client_id("aabbc").unwrap(), vec![0x0a, 0xab, 0xbc]);
        assert_eq!(parse_client_id("aa bb").unwrap(), vec![0xaa, 0xbb]);
        assert_eq!(parse_client_id("01020304").unwrap(), vec![1, 2, 3, 4]);
        assert_eq!(
            parse_client_id("zz").unwrap_err(),
            "'zz' is not a valid string of hexadecimal digits"
        );
        assert_eq!(
            parse_client_id("").unwrap_err(),
            "Empty DUIDs are not allowed"
        );
        assert_eq!(
            parse_client_id("01").unwrap_err(),
            "client-id is too short (1), at least 2 is required"
        );
        assert_eq!(
            parse_client_id("aa:bbb").unwrap_err(),
            "invalid format of the decoded string 'aa:bbb'"
        );
        assert_eq!(
            parse_client_id(&vec!["ab"; 130].join(":")).unwrap_err(),
            "DUID size is 130 bytes, exceeds maximum of 128"
        );
        assert_eq!(parse_duid("01").unwrap(), vec![1]);
    }
}
