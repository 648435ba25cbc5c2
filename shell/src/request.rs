//! The request kea-shell sends (ARM `shell.rst`; INVENTORY §1.4): the body is built as text
//! exactly as Kea's kea-shell builds it — standard input is the *inside* of the `arguments`
//! map — and the headers are Kea's.

/// Kea's kea-shell version, sent in `User-Agent` and printed by `-v`.
pub const VERSION: &str = "2.2.0";

/// `{ "command": "<command>", "service": ["a","b"], "arguments": { <args> } }`: empty
/// service names are dropped; `arguments` only when stdin gave more than one character.
pub fn body(command: &str, services: &[String], args: &str) -> String {
    let mut s = format!("{{ \"command\": \"{command}\"");
    let services: Vec<&str> = services
        .iter()
        .map(String::as_str)
        .filter(|s| !s.is_empty())
        .collect();
    if !services.is_empty() {
        s.push_str(", \"service\": [\"");
        s.push_str(&services.join("\",\""));
        s.push_str("\"]");
    }
    if args.chars().count() > 1 {
        s.push_str(", \"arguments\": { ");
        s.push_str(args);
        s.push_str(" }");
    }
    s.push_str(" }");
    s
}

/// The request headers, in Kea's order.
pub fn headers(authorization: Option<&str>, body_len: usize) -> Vec<(&'static str, String)> {
    let mut h = vec![
        ("User-Agent", format!("Kea-shell/{VERSION}")),
        ("Accept", "*/*".to_owned()),
    ];
    if let Some(a) = authorization {
        h.push(("Authorization", a.to_owned()));
    }
    h.push(("Content-Type", "application/json".to_owned()));
    h.push(("Content-Length", body_len.to_string()));
    h
}

/// `http(s)://host:port/path`.
pub fn url(https: bool, host: &str, port: u16, path: &str) -> String {
    let scheme = if https { "https" } else { "http" };
    let host = if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_owned()
    };
    format!("{scheme}://{host}:{port}/{path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_as_kea_builds_it() {
        assert_eq!(
            body("list-commands", &[], ""),
            r#"{ "command": "list-commands" }"#
        );
        assert_eq!(
            body("list-commands", &[], "\n"),
            r#"{ "command": "list-commands" }"#
        );
        assert_eq!(
            body(
                "config-write",
                &["dhcp4".into(), String::new(), "dhcp6".into()],
                "\"filename\": \"x.json\"\n"
            ),
            "{ \"command\": \"config-write\", \"service\": [\"dhcp4\",\"dhcp6\"], \"arguments\": { \"filename\": \"x.json\"\n } }"
        );
    }

    #[test]
    fn headers_and_url() {
        let h = headers(Some("Basic YQ=="), 30);
        let names: Vec<_> = h.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names,
            [
                "User-Agent",
                "Accept",
                "Authorization",
                "Content-Type",
                "Content-Length"
            ]
        );
        assert_eq!(h[0].1, "Kea-shell/2.2.0");
        assert_eq!(url(false, "127.0.0.1", 8000, ""), "http://127.0.0.1:8000/");
        assert_eq!(url(true, "::1", 8001, "kea"), "https://[::1]:8001/kea");
    }
}
