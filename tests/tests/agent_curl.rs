//! curl against our kea-ctrl-agent in front of our real kea-dhcp4 (ARM `agent.rst`,
//! `ctrl-channel.rst` "Control Agent Command Response Format"; INVENTORY §7.2): plain HTTP,
//! HTTPS with a server certificate, HTTPS requiring client certificates, Basic
//! authentication, and each error the agent answers (bad JSON, an unknown service, the daemon
//! shut down or crashed, a body over the limit). After every error one more good request proves the agent
//! still serves.
#![allow(missing_docs)] // test binary

#[allow(dead_code)] // each test binary uses its own part of the stack
mod agent_stack;

use agent_stack::{AgentOptions, Binaries, REALM, Reply, Stack, curl, post};
use serde_json::{Value, json};

const LIST4: &str = r#"{"command": "list-commands", "service": ["dhcp4"]}"#;
const STATUS4: &str = r#"{"command": "status-get", "service": ["dhcp4"]}"#;

/// Kea's answer when kea-dhcp4 is not running and its socket file is gone.
const OFFLINE: &str = "unable to forward command to the dhcp4 service: No such file or directory. The server is likely to be offline";

/// Kea's answer when kea-dhcp4's socket file exists but nobody listens (after a crash).
const REFUSED: &str = "unable to forward command to the dhcp4 service: Connection refused. The server is likely to be offline";

/// The body of Kea's agent's 400 answer.
const BAD_REQUEST: &str = r#"{ "result": 400, "text": "Bad Request" }"#;

/// Requires a 200 answer holding one JSON answer, and returns that answer.
fn single_answer(reply: &Reply) -> Value {
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(
        reply.header("content-type"),
        Some("application/json"),
        "{reply:?}"
    );
    let list = reply.json();
    let items = list
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {reply:?}"));
    assert_eq!(items.len(), 1, "{reply:?}");
    items[0].clone()
}

/// One good forwarded request: `status-get` reaches the running kea-dhcp4 (its PID).
fn assert_serves(stack: &Stack, scheme: &str, extra: &[&str]) {
    let a = single_answer(&post(&stack.url(scheme), STATUS4, extra));
    assert_eq!(a["result"], 0, "{a}");
    assert_eq!(a["arguments"]["pid"], stack.dhcp4_pid(), "{a}");
}

/// `list-commands` forwarded to kea-dhcp4: its own command list.
fn assert_lists_dhcp4_commands(reply: &Reply) {
    let a = single_answer(reply);
    assert_eq!(a["result"], 0, "{a}");
    let commands = a["arguments"].as_array().expect("a command list");
    for c in [
        "list-commands",
        "status-get",
        "statistic-get",
        "config-get",
        "shutdown",
    ] {
        assert!(commands.contains(&json!(c)), "{c} missing from {a}");
    }
}

#[test]
fn plain_http_answers_and_errors() {
    let Some(bins) = Binaries::find("plain_http_answers_and_errors") else {
        return;
    };
    let mut stack = Stack::start(bins, &AgentOptions::default());
    let url = stack.url("http");

    assert_lists_dhcp4_commands(&post(&url, LIST4, &[]));
    assert_serves(&stack, "http", &[]);

    // Bad JSON: 400 with the agent's bare map, not a list.
    for bad in [r#"{"command": "list-comm"#, "xx", r#"{"command": }"#] {
        let r = post(&url, bad, &[]);
        assert_eq!(r.status, 400, "{bad}: {r:?}");
        assert_eq!(r.body, BAD_REQUEST, "{bad}");
        assert_serves(&stack, "http", &[]);
    }

    // Unknown services: one answer per service, in order, next to the real one.
    let r = post(
        &url,
        r#"{"command": "status-get", "service": ["dhcp9", "dhcp4", "dhcp6"]}"#,
        &[],
    );
    assert_eq!(r.status, 200, "{r:?}");
    let list = r.json();
    assert_eq!(
        list[0],
        json!({"result": 1, "text": "forwarding socket is not configured for the server type dhcp9"})
    );
    assert_eq!(list[1]["arguments"]["pid"], stack.dhcp4_pid(), "{list}");
    assert_eq!(
        list[2],
        json!({"result": 1, "text": "forwarding socket is not configured for the server type dhcp6"})
    );
    assert_eq!(list.as_array().map(Vec::len), Some(3));
    assert_serves(&stack, "http", &[]);

    // A body over the agent's 16 MiB bound: 413, before the body is read.
    let big = stack.dir.path().join("big.json");
    std::fs::write(
        &big,
        format!(
            r#"{{"command": "config-test", "service": ["dhcp4"], "arguments": {{"x": "{}"}}}}"#,
            "a".repeat(17 * 1024 * 1024)
        ),
    )
    .expect("write the big body");
    let r = curl(&[
        "-H",
        "Content-Type: application/json",
        "--data-binary",
        &format!("@{}", big.display()),
        &url,
    ]);
    assert_eq!(r.status, 413, "{r:?}");
    assert_eq!(r.body, r#"{ "result": 413, "text": "Payload Too Large" }"#);
    assert_serves(&stack, "http", &[]);

    // kea-dhcp4 shut down through the agent; then the daemon-down answer, while the agent's
    // own commands still work.
    let a = single_answer(&post(
        &url,
        r#"{"command": "shutdown", "service": ["dhcp4"]}"#,
        &[],
    ));
    assert_eq!(a, json!({"result": 0, "text": "Shutting down."}));
    assert_eq!(stack.wait_dhcp4_exit(), Some(0), "{}", stack.logs());
    let a = single_answer(&post(&url, STATUS4, &[]));
    assert_eq!(a, json!({"result": 1, "text": OFFLINE}));
    let a = single_answer(&post(&url, r#"{"command": "status-get"}"#, &[]));
    assert_eq!(a["result"], 0, "{a}");
    // kea-dhcp4 back: forwarding resumes to the new process.
    stack.start_dhcp4();
    assert_serves(&stack, "http", &[]);

    // kea-dhcp4 crashed: its socket file is left with nobody listening.
    stack.kill_dhcp4();
    let a = single_answer(&post(&url, STATUS4, &[]));
    assert_eq!(a, json!({"result": 1, "text": REFUSED}));
    let a = single_answer(&post(&url, r#"{"command": "status-get"}"#, &[]));
    assert_eq!(a["result"], 0, "{a}");
    // A new kea-dhcp4 takes the stale socket over.
    stack.start_dhcp4();
    assert_serves(&stack, "http", &[]);
    assert!(stack.agent_running());
}

#[test]
fn https_with_a_server_certificate() {
    let Some(bins) = Binaries::find("https_with_a_server_certificate") else {
        return;
    };
    let options = AgentOptions {
        tls: Some(false),
        ..AgentOptions::default()
    };
    let stack = Stack::start(bins, &options);
    let ca = stack.file("ca.pem");
    let trust = ["--cacert", ca.as_str()];
    let url = stack.url("https");

    assert_lists_dhcp4_commands(&post(&url, LIST4, &trust));
    assert_serves(&stack, "https", &trust);

    // A client that does not trust the CA gives up in the handshake (curl 60).
    let r = post(&url, LIST4, &[]);
    assert_eq!(r.exit, Some(60), "{r:?}");
    assert_eq!(r.status, 0, "{r:?}");
    assert_serves(&stack, "https", &trust);

    // Plain HTTP to the TLS listener gets no answer.
    let r = post(&stack.url("http"), LIST4, &[]);
    assert_ne!(r.exit, Some(0), "{r:?}");
    assert_ne!(r.status, 200, "{r:?}");
    assert_serves(&stack, "https", &trust);

    // Bad JSON over TLS: the same 400.
    let r = post(&url, "{", &trust);
    assert_eq!((r.status, r.body.as_str()), (400, BAD_REQUEST), "{r:?}");
    assert_serves(&stack, "https", &trust);
}

#[test]
fn https_with_required_client_certificates() {
    let Some(bins) = Binaries::find("https_with_required_client_certificates") else {
        return;
    };
    let options = AgentOptions {
        tls: Some(true),
        ..AgentOptions::default()
    };
    let stack = Stack::start(bins, &options);
    let (ca, cert, key) = (
        stack.file("ca.pem"),
        stack.file("client.pem"),
        stack.file("client-key.pem"),
    );
    let with_cert = [
        "--cacert",
        ca.as_str(),
        "--cert",
        cert.as_str(),
        "--key",
        key.as_str(),
    ];
    let url = stack.url("https");

    assert_lists_dhcp4_commands(&post(&url, LIST4, &with_cert));
    assert_serves(&stack, "https", &with_cert);

    // Without a client certificate the handshake fails: no HTTP answer at all.
    for _ in 0..2 {
        let r = post(&url, LIST4, &["--cacert", ca.as_str()]);
        assert_ne!(r.exit, Some(0), "{r:?}");
        assert_eq!(r.status, 0, "{r:?}");
        assert!(!r.body.contains("arguments"), "{r:?}");
        assert_serves(&stack, "https", &with_cert);
    }
}

#[test]
fn basic_authentication() {
    let Some(bins) = Binaries::find("basic_authentication") else {
        return;
    };
    let options = AgentOptions {
        basic_auth: true,
        ..AgentOptions::default()
    };
    let stack = Stack::start(bins, &options);
    let url = stack.url("http");
    let right = ["-u", "admin:secret"];

    assert_lists_dhcp4_commands(&post(&url, LIST4, &right));
    assert_serves(&stack, "http", &right);

    for (what, extra) in [
        ("wrong password", vec!["-u", "admin:secreT"]),
        ("wrong user", vec!["-u", "root:secret"]),
        ("no credentials", vec![]),
        ("not Basic", vec!["-H", "Authorization: Bearer abc"]),
    ] {
        let r = post(&url, LIST4, &extra);
        assert_eq!(r.status, 401, "{what}: {r:?}");
        assert_eq!(
            r.header("www-authenticate"),
            Some(format!("Basic realm=\"{REALM}\"").as_str()),
            "{what}: {r:?}"
        );
        assert_eq!(
            r.body, r#"{ "result": 401, "text": "Unauthorized" }"#,
            "{what}"
        );
        assert_serves(&stack, "http", &right);
    }

    // Authenticated bad JSON is still a 400.
    let r = post(&url, "[", &right);
    assert_eq!((r.status, r.body.as_str()), (400, BAD_REQUEST), "{r:?}");
    assert_serves(&stack, "http", &right);
}
