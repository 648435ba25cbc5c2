//! Error wording and positions, compared with what `kea-dhcp4 -t` prints for the same input.

use kea_config::json::parse_str;
use kea_config::{ConfigError, parse_dhcp4};

fn check(text: &str) -> Result<kea_config::Dhcp4Config, String> {
    let root = parse_str(text, "t.json").map_err(|e| e.to_string())?;
    parse_dhcp4(&root).map_err(|e| e.to_string())
}

fn err(text: &str) -> String {
    check(text).unwrap_err()
}

#[test]
fn unknown_keywords() {
    // kea-dhcp4 -t: t.json:1.12-16: got unexpected keyword "foo" in Dhcp4 map.
    assert_eq!(
        err(r#"{"Dhcp4": {"foo": 1}}"#),
        r#"t.json:1.12-16: got unexpected keyword "foo" in Dhcp4 map."#
    );
    // kea-dhcp4 -t: t.json:1.89-91: got unexpected keyword "x" in pools map.
    assert_eq!(
        err(
            r#"{"Dhcp4": {"subnet4": [{"subnet": "10.0.0.0/8", "pools": [{"pool": "10.0.0.1-10.0.0.2", "x": 1}]}]}}"#
        ),
        r#"t.json:1.89-91: got unexpected keyword "x" in pools map."#
    );
    // kea-dhcp4 -t: t.json:1.33-35: got unexpected keyword "x" in hosts-database map.
    assert_eq!(
        err(r#"{"Dhcp4": {"hosts-databases": [{"x": 1}]}}"#),
        r#"t.json:1.33-35: got unexpected keyword "x" in hosts-database map."#
    );
    // kea-dhcp4 -t: t.json:1.59-61: got unexpected keyword "x" in subnet4 map.
    assert_eq!(
        err(r#"{"Dhcp4": {"shared-networks": [{"name": "a", "subnet4": [{"x": 1}]}]}}"#),
        r#"t.json:1.59-61: got unexpected keyword "x" in subnet4 map."#
    );
    // kea-dhcp4 -t: t.json:1.38-53: got unexpected keyword "output-options" ... (2.2 only);
    // the 2.5.7 ARM allows that spelling, so it is accepted here.
    assert!(
        check(
            r#"{"Dhcp4": {"loggers": [{"name": "a", "output-options": [{"output": "stdout"}]}]}}"#
        )
        .is_ok()
    );
}

#[test]
fn type_errors() {
    // kea-dhcp4 -t: t.json:1.30-32: syntax error, unexpected constant string, expecting integer
    assert_eq!(
        err(r#"{"Dhcp4": {"valid-lifetime": "x"}}"#),
        "t.json:1.30-32: syntax error, unexpected constant string, expecting integer"
    );
    // kea-dhcp4 -t: t.json:1.26: syntax error, unexpected integer, expecting floating point
    assert_eq!(
        err(r#"{"Dhcp4": {"t1-percent": 1}}"#),
        "t.json:1.26: syntax error, unexpected integer, expecting floating point"
    );
    // kea-dhcp4 -t: t.json:1.30-33: syntax error, unexpected boolean, expecting integer
    assert_eq!(
        err(r#"{"Dhcp4": {"valid-lifetime": true}}"#),
        "t.json:1.30-33: syntax error, unexpected boolean, expecting integer"
    );
    // kea-dhcp4 -t: t.json:1.48-53: syntax error, unexpected constant string, expecting [
    assert_eq!(
        err(r#"{"Dhcp4": {"interfaces-config": {"interfaces": "eth0"}}}"#),
        "t.json:1.48-53: syntax error, unexpected constant string, expecting ["
    );
    // kea-dhcp4 -t: t.json:1.28: syntax error, unexpected integer, expecting {
    assert_eq!(
        err(r#"{"Dhcp4": {"user-context": 1}}"#),
        "t.json:1.28: syntax error, unexpected integer, expecting {"
    );
}

#[test]
fn keyword_errors() {
    // kea-dhcp4 -t: t.json:1.54-58: syntax error, unexpected constant string, expecting raw or udp
    assert_eq!(
        err(r#"{"Dhcp4": {"interfaces-config": {"dhcp-socket-type": "foo"}}}"#),
        "t.json:1.54-58: syntax error, unexpected constant string, expecting raw or udp"
    );
    // kea-dhcp4 -t: ... expecting memfile or mysql or postgresql
    assert_eq!(
        err(r#"{"Dhcp4": {"lease-database": {"type": "bogus"}}}"#),
        "t.json:1.39-45: syntax error, unexpected constant string, expecting memfile or mysql or postgresql"
    );
    // kea-dhcp4 -t: t.json:1.45-49: syntax error, unexpected constant string
    assert!(
        err(r#"{"Dhcp4": {"host-reservation-identifiers": ["foo"]}}"#)
            .starts_with("t.json:1.45-49: syntax error, unexpected constant string")
    );
    assert!(
        check(r#"{"Dhcp4": {"dhcp-ddns": {"enable-updates": false, "ncr-protocol": "udp"}}}"#)
            .is_ok()
    );
}

#[test]
fn missing_parameters() {
    // kea-dhcp4 -t: missing parameter 'subnet' (t.json:1:24) [subnet4 map between ...]
    assert_eq!(
        err(r#"{"Dhcp4": {"subnet4": [{"id": 1}]}}"#),
        "missing parameter 'subnet' (t.json:1:24) [subnet4 map]"
    );
    // kea-dhcp4 -t: missing parameter 'enable-multi-threading' (...) [multi-threading map ...]
    assert!(
        err(r#"{"Dhcp4": {"multi-threading": {"thread-pool-size": 4}}}"#)
            .starts_with("missing parameter 'enable-multi-threading' (t.json:1:31)")
    );
    // kea-dhcp4 -t: missing parameter 'type' (t.json:1:27) [option-def map ...]
    assert!(
        err(r#"{"Dhcp4": {"option-def": [{"name": "x", "code": 222}]}}"#)
            .starts_with("missing parameter 'type' (t.json:1:27)")
    );
}

#[test]
fn ranges() {
    // kea-dhcp4 -t: port value: 70000 is out of range, expected value: 0..65535 (t.json:1:58)
    assert_eq!(
        err(r#"{"Dhcp4": {"lease-database": {"type": "memfile", "port": 70000}}}"#),
        "port value: 70000 is out of range, expected value: 0..65535 (t.json:1:58)"
    );
    // kea-dhcp4 -t: lfc-interval value: -1 is out of range, expected value: 0..4294967295
    assert_eq!(
        err(r#"{"Dhcp4": {"lease-database": {"type": "memfile", "lfc-interval": -1}}}"#),
        "lfc-interval value: -1 is out of range, expected value: 0..4294967295 (t.json:1:66)"
    );
}

#[test]
fn top_level_object() {
    // kea-dhcp4 -t: t.json:1.34-40: syntax error, unexpected constant string, expecting "," or }
    assert_eq!(
        err(r#"{"Dhcp4": {"valid-lifetime": 1}, "Dhcp6": {}}"#),
        r#"t.json:1.34-40: syntax error, unexpected constant string, expecting "," or }"#
    );
    // kea-dhcp4 -t: t.json:1.2-10: syntax error, unexpected constant string, expecting Dhcp4
    assert_eq!(
        err(r#"{"Logging": {}, "Dhcp4": {"valid-lifetime": 1}}"#),
        "t.json:1.2-10: syntax error, unexpected constant string, expecting Dhcp4"
    );
    // kea-dhcp4 -t: t.json:1.2: syntax error, unexpected }, expecting Dhcp4
    assert_eq!(
        err("{}"),
        "t.json:1.2: syntax error, unexpected }, expecting Dhcp4"
    );
    // kea-dhcp4 -t: t.json:1.1: syntax error, unexpected [, expecting {
    assert_eq!(
        err("[]"),
        "t.json:1.1: syntax error, unexpected [, expecting {"
    );
    // kea-dhcp4 -t: t.json:1.12: syntax error, unexpected }
    assert_eq!(
        err(r#"{"Dhcp4": {}}"#),
        "t.json:1.12: syntax error, unexpected }"
    );
    // kea-dhcp4 -t: t.json:1.34: syntax error, unexpected }
    assert_eq!(
        err(r#"{"Dhcp4": {"interfaces-config": {}}}"#),
        "t.json:1.34: syntax error, unexpected }"
    );
}

#[test]
fn relay_takes_one_form() {
    let e = err(
        r#"{"Dhcp4": {"subnet4": [{"subnet": "10.0.0.0/8", "relay": {"ip-address": "10.0.0.1", "ip-addresses": []}}]}}"#,
    );
    assert!(e.contains("'ip-address' and 'ip-addresses'"), "{e}");
}

#[test]
fn errors_point_into_included_files() {
    let dir = tempfile::tempdir().unwrap();
    let inc = dir.path().join("inc.json");
    std::fs::write(&inc, "\"valid-lifetime\": 1, \"foo\": 2").unwrap();
    let text = format!("{{\"Dhcp4\": {{<?include \"{}\"?>}}}}", inc.display());
    let root = parse_str(&text, "top.json").unwrap();
    let e = parse_dhcp4(&root).unwrap_err();
    assert!(matches!(e, ConfigError::UnknownKeyword { .. }));
    assert_eq!(e.position().unwrap().file.as_ref(), inc.to_str().unwrap());
    assert_eq!(
        e.to_string(),
        format!(
            "{}:1.22-26: got unexpected keyword \"foo\" in Dhcp4 map.",
            inc.display()
        )
    );
}

#[test]
fn logger_defaults() {
    let c =
        check(r#"{"Dhcp4": {"loggers": [{"name": "kea-dhcp4", "severity": "warn"}]}}"#).unwrap();
    let l = &c.loggers[0];
    assert_eq!(l.severity, kea_config::logging::Severity::Warn);
    assert_eq!(l.debuglevel, 0);
    assert_eq!(
        l.output_options,
        vec![kea_config::logging::OutputOption::default()]
    );
    assert_eq!(l.output_options[0].maxsize, 10_240_000);
    // kea-dhcp4 -t: t.json:1.57: syntax error, unexpected ], expecting {
    assert!(check(r#"{"Dhcp4": {"loggers": [{"name": "x", "output_options": []}]}}"#).is_err());
}

#[test]
fn database_keys_depend_on_the_role() {
    // kea-dhcp4 -t: t.json:1.50-65: got unexpected keyword "max-row-errors" in hosts-database map.
    assert_eq!(
        err(r#"{"Dhcp4": {"hosts-databases": [{"type": "mysql", "max-row-errors": 1}]}}"#),
        r#"t.json:1.50-65: got unexpected keyword "max-row-errors" in hosts-database map."#
    );
    // kea-dhcp4 -t: t.json:1.70-85: ... "max-row-errors" in config-database map.
    assert_eq!(
        err(
            r#"{"Dhcp4": {"config-control": {"config-databases": [{"type": "mysql", "max-row-errors": 1}]}}}"#
        ),
        r#"t.json:1.70-85: got unexpected keyword "max-row-errors" in config-database map."#
    );
    // kea-dhcp4 -t: t.json:1.50-59: got unexpected keyword "readonly" in lease-database map.
    assert_eq!(
        err(r#"{"Dhcp4": {"lease-database": {"type": "memfile", "readonly": true}}}"#),
        r#"t.json:1.50-59: got unexpected keyword "readonly" in lease-database map."#
    );
    assert!(
        check(r#"{"Dhcp4": {"lease-database": {"type": "memfile", "max-row-errors": 1}}}"#).is_ok()
    );
}
