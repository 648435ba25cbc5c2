//! Plain HTTP: Kea's statuses and texts, own commands, forwarding, authentication, limits,
//! reconfiguration and shutdown.

use serde_json::{Value, json};

use crate::harness::*;

const OFFLINE_V4: &str = "unable to forward command to the dhcp4 service: No such file or directory. The server is likely to be offline";

/// Kea's compact text of a value.
fn kea_process_json(v: &Value) -> String {
    kea_process::json::to_kea_string(v)
}

fn answers(response: &str) -> Value {
    serde_json::from_str(body_of(response)).unwrap_or_else(|e| panic!("{e}: {response}"))
}

#[test]
fn errors_and_routing_as_kea() {
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(
        dir,
        r#""control-sockets": { "dhcp4": { "socket-name": "@DIR@/v4.sock" } }"#,
    );
    let p = agent.port;
    // GET, a form content type, chunked, bad JSON: 400 with Kea's body and headers.
    for r in [
        raw_http(p, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
        post(p, "Content-Type: application/x-www-form-urlencoded\r\n", "{}"),
        post(p, "", r#"{"command": "list-commands"}"#),
        post(p, "Content-Type: application/json; charset=utf-8\r\n", "{}"),
        raw_http(p, b"POST / HTTP/1.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"),
        raw_http(p, b"POST / HTTP/1.1\r\nContent-Type: application/json\r\n\r\n"),
        post_json(p, "xx"),
        post_json(p, r#"{"command": "list-comm"#),
    ] {
        assert_eq!(
            without_date(&r),
            "HTTP/1.1 400 Bad Request\r\nContent-Length: 40\r\nContent-Type: application/json\r\n\r\n{ \"result\": 400, \"text\": \"Bad Request\" }",
            "{r}"
        );
        assert!(r.contains("\r\nDate: "), "{r}");
    }
    let r = post_json(
        p,
        r#"{"command": "list-commands", "service": ["foo", "dhcp4", "d2"]}"#,
    );
    assert!(r.starts_with("HTTP/1.1 200 OK\r\n"), "{r}");
    assert_eq!(
        answers(&r),
        json!([
            {"result": 1, "text": "forwarding socket is not configured for the server type foo"},
            {"result": 1, "text": OFFLINE_V4},
            {"result": 1, "text": "forwarding socket is not configured for the server type d2"},
        ])
    );
    assert_eq!(
        body_of(&post_json(p, r#"{"command": "foo"}"#)),
        r#"[ { "result": 2, "text": "'foo' command not supported. You did not include \"service\" parameter in the command, which indicates that Kea Control Agent should process this command rather than forward it to one or more Kea servers. If you aimed to send this command to one of the Kea servers you should include the \"service\" parameter in your request, e.g. \"service\": [ \"dhcp4\" ] to forward the command to the DHCPv4 server, or \"service\": [ \"dhcp4\", \"dhcp6\", \"d2\" ] to forward it to DHCPv4, DHCPv6 and D2 servers etc." } ]"#
    );
    assert_eq!(
        body_of(&post_json(
            p,
            r#"{"command": "list-commands", "service": "dhcp4"}"#
        )),
        r#"[ { "result": 1, "text": "service value must be a list" } ]"#
    );
    assert_eq!(
        body_of(&post_json(p, "[1, 2]")),
        r#"[ { "result": 1, "text": "Error during command processing: Invalid command Element specified, expected map" } ]"#
    );
    let list = answers(&post_json(
        p,
        r#"{"command": "list-commands", "service": []}"#,
    ));
    for c in [
        "build-report",
        "config-get",
        "config-reload",
        "config-set",
        "config-test",
        "config-write",
        "list-commands",
        "shutdown",
        "status-get",
        "version-get",
    ] {
        assert!(
            list[0]["arguments"].as_array().unwrap().contains(&json!(c)),
            "{list}"
        );
    }
    // `hash` beside the configuration is the 2.4+ ARM's addition.
    let got = answers(&post_json(p, r#"{"command": "config-get"}"#));
    assert_eq!(
        kea_process_json(&got[0]["arguments"]["Control-agent"]),
        format!(
            r#"{{ "control-sockets": {{ "dhcp4": {{ "socket-name": "{}/v4.sock", "socket-type": "unix" }} }}, "hooks-libraries": [  ], "http-host": "127.0.0.1", "http-port": {p} }}"#,
            agent.dir.path().display()
        )
    );
    assert_eq!(got[0]["arguments"]["hash"].as_str().map(str::len), Some(64));
    let v = answers(&post_json(p, r#"{"command": "version-get"}"#));
    assert_eq!(v[0]["text"], "2.2.0");
    assert_eq!(
        answers(&post_json(p, r#"{"command": "config-test"}"#)),
        json!([{"result": 1, "text": "Missing mandatory 'arguments' parameter."}])
    );
    assert_eq!(
        answers(&post_json(
            p,
            r#"{"command": "config-test", "arguments": {"Control-agent": {"http-port": 1}}}"#
        )),
        json!([{"result": 0, "text": "Configuration check successful"}])
    );
}

#[test]
fn forwards_to_each_service_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let v4 = FakeDaemon::start(
        &dir.path().join("v4.sock"),
        r#"{ "result": 0, "text": "four", "arguments": { "x": [ 1, 2 ] } }"#,
    );
    let v6 = FakeDaemon::start(
        &dir.path().join("v6.sock"),
        r#"{ "result": 3, "text": "six" }"#,
    );
    let agent = Agent::start(
        dir,
        r#""control-sockets": { "dhcp4": { "socket-name": "@DIR@/v4.sock" },
                                "dhcp6": { "socket-name": "@DIR@/v6.sock" } }"#,
    );
    let r = post_json(
        agent.port,
        r#"{"command": "lease4-get", "service": ["dhcp6", "dhcp4"], "arguments": {"ip-address": "10.0.0.1"}}"#,
    );
    assert_eq!(
        body_of(&r),
        r#"[ { "result": 3, "text": "six" }, { "arguments": { "x": [ 1, 2 ] }, "result": 0, "text": "four" } ]"#
    );
    let sent = r#"{ "arguments": { "ip-address": "10.0.0.1" }, "command": "lease4-get", "remote-address": "127.0.0.1", "service": [ "dhcp6", "dhcp4" ] }"#;
    assert_eq!(*v4.received.lock().unwrap(), [sent]);
    assert_eq!(*v6.received.lock().unwrap(), [sent]);
}

#[test]
fn basic_authentication() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pw"), "from-file").unwrap();
    let agent = Agent::start(
        dir,
        r#""authentication": { "type": "basic", "realm": "my-realm", "directory": "@DIR@",
              "clients": [ { "user": "admin", "password": "1234" },
                           { "user": "file", "password-file": "pw" } ] }"#,
    );
    let p = agent.port;
    let body = r#"{"command": "list-commands"}"#;
    let unauthorized = "HTTP/1.1 401 Unauthorized\r\nContent-Length: 41\r\nContent-Type: application/json\r\nWww-Authenticate: Basic realm=\"my-realm\"\r\n\r\n{ \"result\": 401, \"text\": \"Unauthorized\" }";
    for auth in [
        "",
        "Authorization: Basic YWRtaW46MTIzNQ==\r\n",
        "Authorization: Bearer x\r\n",
    ] {
        let r = post(
            p,
            &format!("{auth}Content-Type: application/json\r\n"),
            body,
        );
        assert_eq!(without_date(&r), unauthorized, "{auth}");
    }
    let r = post(
        p,
        "Authorization: Basic YWRtaW46MTIzNA==\r\nContent-Type: application/json\r\n",
        body,
    );
    assert!(r.starts_with("HTTP/1.1 200 OK\r\n"), "{r}");
    // A bad request is refused before authentication, as Kea does.
    assert!(raw_http(p, b"GET / HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 400 "));
    let ok = curl(&[
        "-u",
        "file:from-file",
        "-H",
        "Content-Type: application/json",
        "-d",
        body,
        &agent.url("http"),
    ]);
    assert!(String::from_utf8_lossy(&ok.stdout).starts_with("[ { \"arguments\": ["));
}

#[test]
fn body_limit_reconfiguration_and_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    let mut agent = Agent::start(dir, r#""http-host": "127.0.0.1""#);
    let p = agent.port;
    let big = format!(
        r#"{{"command": "config-test", "arguments": {{"x": "{}"}}}}"#,
        "a".repeat(17 * 1024 * 1024)
    );
    // curl asks `Expect: 100-continue` for a large body: the answer comes before the body.
    let file = agent.dir.path().join("big.json");
    std::fs::write(&file, &big).unwrap();
    let out = curl(&[
        "-i",
        "-H",
        "Content-Type: application/json",
        "--data-binary",
        &format!("@{}", file.display()),
        &agent.url("http"),
    ]);
    let r = String::from_utf8_lossy(&out.stdout);
    assert!(r.starts_with("HTTP/1.1 413 Payload Too Large\r\n"), "{r}");
    assert!(
        r.ends_with("{ \"result\": 413, \"text\": \"Payload Too Large\" }"),
        "{r}"
    );
    // Keep-alive: two requests on one connection.
    let two = raw_http(
        p,
        b"POST / HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 26\r\n\r\n{\"command\": \"status-get\"}\nPOST / HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 26\r\nConnection: close\r\n\r\n{\"command\": \"status-get\"}\n",
    );
    assert!(two.matches("HTTP/1.1 200 OK").count() >= 1, "{two}");
    // config-set moves the listener to another port.
    let q = free_port();
    let r = post_json(
        p,
        &format!(
            r#"{{"command": "config-set", "arguments": {{"Control-agent": {{"http-port": {q}}}}}}}"#
        ),
    );
    // The 2.4+ ARM adds the new configuration's hash as arguments.
    let a = answers(&r);
    assert_eq!(a[0]["result"], 0);
    assert_eq!(a[0]["text"], "Configuration applied successfully.");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while std::net::TcpStream::connect(("127.0.0.1", p)).is_ok()
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let r = post_json(q, r#"{"command": "config-get"}"#);
    assert!(body_of(&r).contains(&format!("\"http-port\": {q}")), "{r}");
    let r = post_json(q, r#"{"command": "shutdown"}"#);
    assert_eq!(
        body_of(&r),
        r#"[ { "result": 0, "text": "Control Agent is shutting down" } ]"#
    );
    assert_eq!(agent.wait_exit(), Some(0));
}

#[test]
fn switches() {
    let bin = env!("CARGO_BIN_EXE_kea-ctrl-agent");
    let out = std::process::Command::new(bin).arg("-v").output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "2.2.0\n");
    let out = std::process::Command::new(bin)
        .arg("-p")
        .arg("1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .starts_with("Usage error: unsupported option: [p] \nUsage: kea-ctrl-agent\n")
    );
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("ca.json");
    std::fs::write(&f, r#"{ "Control-agent": { "http-port": 8000 } }"#).unwrap();
    let out = std::process::Command::new(bin)
        .arg("-t")
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    std::fs::write(&f, r#"{ "Control-agent": { "cert-file": "/x" } }"#).unwrap();
    let out = std::process::Command::new(bin)
        .arg("-t")
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("trust-anchor parameter is missing or empty")
    );
    std::fs::write(
        &f,
        r#"{ "Control-agent": { "hooks-libraries": [ { "library": "/x.so" } ] } }"#,
    )
    .unwrap();
    let out = std::process::Command::new(bin)
        .arg("-t")
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not supported yet"));
}
