//! Malformed input yields errors, never panics.

use kea_config::json::parse_str;
use kea_config::parse_dhcp4;
use proptest::prelude::*;

const SEED: &str = r#"{"Dhcp4": {"valid-lifetime": 4000, "subnet4": [{"subnet": "10.0.0.0/8",
 "pools": [{"pool": "10.0.0.1-10.0.0.9"}], "relay": {"ip-addresses": []}}],
 "loggers": [{"name": "kea-dhcp4", "output_options": [{"output": "stdout"}]}],
 "lease-database": {"type": "memfile"}, "t1-percent": .5, "user-context": {"a": null}}}"#;

proptest! {
    #[test]
    fn arbitrary_text(text in "[\\[\\]{}:,\"a-z0-9.\\- \n#/*\\\\<?]{0,200}") {
        if let Ok(root) = parse_str(&text, "p.json") {
            let _ = parse_dhcp4(&root);
        }
    }

    #[test]
    fn mutated_config(index in 0..SEED.len(), byte in any::<u8>()) {
        let mut bytes = SEED.as_bytes().to_vec();
        bytes[index] = byte;
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(root) = parse_str(&text, "p.json") {
            let _ = parse_dhcp4(&root);
        }
    }
}

#[test]
fn seed_is_valid() {
    let root = parse_str(SEED, "p.json").unwrap();
    parse_dhcp4(&root).unwrap();
}
