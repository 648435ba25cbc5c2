//! HTTPS: server-only TLS, required client certificates (with and without one), and the
//! all-or-none rule, with curl and our kea-shell as clients.

use crate::harness::*;

fn tls_body(required: bool) -> String {
    format!(
        r#""trust-anchor": "@DIR@/ca.pem", "cert-file": "@DIR@/server.pem",
           "key-file": "@DIR@/server-key.pem", "cert-required": {required}"#
    )
}

const LIST: &str = r#"{"command": "list-commands"}"#;

#[test]
fn https_without_client_certificates() {
    let dir = tempfile::tempdir().unwrap();
    write_pki(dir.path());
    let agent = Agent::start(dir, &tls_body(false));
    let d = agent.dir.path();
    let ca = d.join("ca.pem").display().to_string();
    let out = curl(&[
        "--cacert",
        &ca,
        "-H",
        "Content-Type: application/json",
        "-d",
        LIST,
        &agent.url("https"),
    ]);
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("[ { \"arguments\": [ "),
        "{out:?}"
    );
    let out = curl(&[
        "--cacert",
        &ca,
        "-H",
        "Content-Type: application/json",
        "-d",
        r#"{"command": "config-get"}"#,
        &agent.url("https"),
    ]);
    let d = d.display().to_string();
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with(&format!(
            r#"[ {{ "arguments": {{ "Control-agent": {{ "cert-file": "{d}/server.pem", "cert-required": false, "control-sockets": {{  }}, "hooks-libraries": [  ], "http-host": "127.0.0.1", "http-port": {}, "key-file": "{d}/server-key.pem", "trust-anchor": "{d}/ca.pem" }}, "hash": "#,
            agent.port
        )),
        "{out:?}"
    );
    // config-reload re-reads the TLS files and binds again; the answer still arrives.
    let out = curl(&[
        "--cacert",
        &ca,
        "-H",
        "Content-Type: application/json",
        "-d",
        r#"{"command": "config-reload"}"#,
        &agent.url("https"),
    ]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Configuration applied successfully."),
        "{out:?}"
    );
    // Plain HTTP to a TLS listener gets nothing useful.
    let out = curl(&[
        "-H",
        "Content-Type: application/json",
        "-d",
        LIST,
        &agent.url("http"),
    ]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("arguments"));
    let out = shell(
        &our_shell(),
        &["--port", &agent.port.to_string(), "--ca", &ca],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("[ { \"arguments\": [ "));
}

#[test]
fn https_with_required_client_certificates() {
    let dir = tempfile::tempdir().unwrap();
    write_pki(dir.path());
    let agent = Agent::start(dir, &tls_body(true));
    let d = agent.dir.path();
    let p = |n: &str| d.join(n).display().to_string();
    let url = agent.url("https");
    let with_cert = curl(&[
        "--cacert",
        &p("ca.pem"),
        "--cert",
        &p("client.pem"),
        "--key",
        &p("client-key.pem"),
        "-H",
        "Content-Type: application/json",
        "-d",
        LIST,
        &url,
    ]);
    assert!(
        String::from_utf8_lossy(&with_cert.stdout).starts_with("[ { \"arguments\": [ "),
        "{with_cert:?}"
    );
    let without = curl(&[
        "--cacert",
        &p("ca.pem"),
        "-H",
        "Content-Type: application/json",
        "-d",
        LIST,
        &url,
    ]);
    assert!(
        !String::from_utf8_lossy(&without.stdout).contains("arguments"),
        "{without:?}"
    );
    assert_ne!(without.status.code(), Some(0));
    let port = agent.port.to_string();
    let ok = shell(
        &our_shell(),
        &[
            "--port",
            &port,
            "--ca",
            &p("ca.pem"),
            "--cert",
            &p("client.pem"),
            "--key",
            &p("client-key.pem"),
        ],
        "",
    );
    assert_eq!(ok.status.code(), Some(0), "{ok:?}");
    let refused = shell(&our_shell(), &["--port", &port, "--ca", &p("ca.pem")], "");
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&refused.stdout).starts_with("Failed to run: "),
        "{refused:?}"
    );
    let half = shell(
        &our_shell(),
        &[
            "--port",
            &port,
            "--ca",
            &p("ca.pem"),
            "--cert",
            &p("client.pem"),
        ],
        "",
    );
    assert_eq!(
        String::from_utf8_lossy(&half.stdout),
        "--cert and --key must be used together\n"
    );
    if kea_installed(KEA_SHELL) {
        let kea = shell(
            std::path::Path::new(KEA_SHELL),
            &[
                "--port",
                &port,
                "--ca",
                &p("ca.pem"),
                "--cert",
                &p("client.pem"),
                "--key",
                &p("client-key.pem"),
            ],
            "",
        );
        assert_eq!(kea.status.code(), Some(0), "{kea:?}");
        assert_eq!(kea.stdout, ok.stdout);
    }
}
