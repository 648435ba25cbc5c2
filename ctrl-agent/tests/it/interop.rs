//! Against Kea 2.2 (skipped with a note when not installed): the same requests to Kea's
//! agent and ours give the same bytes (but the Date header); Kea's kea-shell works with our
//! agent and ours with Kea's agent.

use std::path::Path;

use crate::harness::*;

const AUTH: &str = r#""authentication": { "type": "basic", "realm": "kea-realm",
    "clients": [ { "user": "admin", "password": "1234" } ] },
  "control-sockets": { "dhcp4": { "socket-name": "@DIR@/v4.sock" }, "d2": { "socket-name": "@DIR@/d2.sock" } }"#;

#[test]
fn same_bytes_as_kea() {
    if !kea_installed(KEA_AGENT) {
        return;
    }
    let ours = Agent::start(tempfile::tempdir().unwrap(), AUTH);
    let kea = Agent::start_kea(tempfile::tempdir().unwrap(), AUTH);
    let auth = "Authorization: Basic YWRtaW46MTIzNA==\r\n";
    let json = "Content-Type: application/json\r\n";
    let cases: Vec<(String, String)> = vec![
        (String::new(), r#"{"command": "list-commands"}"#.into()),
        (json.into(), r#"{"command": "list-commands"}"#.into()),
        (
            format!("Authorization: Basic YWRtaW46MTIzNQ==\r\n{json}"),
            "{}".into(),
        ),
        (auth.into(), r#"{"command": "list-commands"}"#.into()),
        (format!("{auth}{json}"), "xx".into()),
        (format!("{auth}{json}"), "[1, 2]".into()),
        (format!("{auth}{json}"), "{}".into()),
        (format!("{auth}{json}"), r#"{"command": 5}"#.into()),
        (
            format!("{auth}{json}"),
            r#"{"command": "x", "extra": 1}"#.into(),
        ),
        (format!("{auth}{json}"), r#"{"command": "foo"}"#.into()),
        (
            format!("{auth}{json}"),
            r#"{"command": "foo", "service": []}"#.into(),
        ),
        (
            format!("{auth}{json}"),
            r#"{"command": "list-commands", "service": "dhcp4"}"#.into(),
        ),
        (
            format!("{auth}{json}"),
            r#"{"command": "list-commands", "service": ["dhcp4", "dhcp6", "d2"]}"#.into(),
        ),
        (
            format!("{auth}{json}"),
            r#"{"command": "config-test"}"#.into(),
        ),
        (
            format!("{auth}{json}"),
            r#"{"command": "config-test", "arguments": {"Control-agent": {"http-port": 1}}}"#
                .into(),
        ),
        (
            format!("{auth}{json}"),
            r#"{"command": "config-test", "arguments": {"Control-agent": {"cert-file": "/x"}}}"#
                .into(),
        ),
    ];
    for (headers, body) in &cases {
        let a = without_date(&post(ours.port, headers, body));
        let b = without_date(&post(kea.port, headers, body));
        // Header names are case-insensitive; hyper writes WWW-Authenticate in title case.
        let b = b.replace("WWW-Authenticate", "Www-Authenticate");
        // Paths differ between the two temporary directories.
        let a = a.replace(&ours.dir.path().display().to_string(), "DIR");
        let b = b.replace(&kea.dir.path().display().to_string(), "DIR");
        assert_eq!(a, b, "request {headers:?} {body}");
    }
    let get = |port| without_date(&raw_http(port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    assert_eq!(get(ours.port), get(kea.port));
    let chunked = |port| {
        without_date(&raw_http(
            port,
            format!("POST / HTTP/1.1\r\n{auth}{json}Transfer-Encoding: chunked\r\n\r\n2\r\n{{}}\r\n0\r\n\r\n")
                .as_bytes(),
        ))
    };
    assert_eq!(chunked(ours.port), chunked(kea.port));
    let body = r#"{"command": "list-commands", "service": ["d2"]}"#;
    let http10 = |port| {
        without_date(&raw_http(
            port,
            format!(
                "POST / HTTP/1.0\r\n{auth}{json}Content-Length: {}\r\n\r\n{body}",
                body.len()
            )
            .as_bytes(),
        ))
    };
    assert_eq!(http10(ours.port), http10(kea.port));
}

#[test]
fn kea_shell_and_ours_across_agents() {
    if !kea_installed(KEA_AGENT) || !kea_installed(KEA_SHELL) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeDaemon::start(
        &dir.path().join("v4.sock"),
        r#"{ "result": 0, "text": "pong" }"#,
    );
    let ours = Agent::start(dir, AUTH);
    let kea = Agent::start_kea(tempfile::tempdir().unwrap(), AUTH);
    let our_shell = our_shell();
    let kea_shell = Path::new(KEA_SHELL);
    let auth = ["--auth-user", "admin", "--auth-password", "1234"];
    let run = |program: &Path, port: u16, extra: &[&str], stdin: &str| {
        let port = port.to_string();
        let mut args = vec!["--port", port.as_str()];
        args.extend_from_slice(extra);
        shell(program, &args, stdin)
    };
    for agent in [&ours, &kea] {
        let mut args = auth.to_vec();
        args.push("version-get");
        let a = run(&our_shell, agent.port, &args, "");
        let b = run(kea_shell, agent.port, &args, "");
        assert_eq!(a.status.code(), Some(0), "{a:?}");
        assert_eq!(a.stdout, b.stdout, "{} agent", agent.name);
        // No credentials: both shells print the HTTP error and exit 1.
        let a = run(&our_shell, agent.port, &[], "");
        let b = run(kea_shell, agent.port, &[], "");
        assert_eq!(
            String::from_utf8_lossy(&a.stdout),
            "Failed to run: HTTP Error 401: Unauthorized\n"
        );
        assert_eq!(a.stdout, b.stdout);
        assert_eq!(a.status.code(), b.status.code());
    }
    // Kea's kea-shell sends arguments from stdin through our agent to the daemon.
    let mut args = auth.to_vec();
    args.extend(["--service", "dhcp4", "lease4-get"]);
    let out = run(
        kea_shell,
        ours.port,
        &args,
        "\"ip-address\": \"192.0.2.1\"\n",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "[ { \"result\": 0, \"text\": \"pong\" } ]\n"
    );
    let ours_out = run(
        &our_shell,
        ours.port,
        &args,
        "\"ip-address\": \"192.0.2.1\"\n",
    );
    assert_eq!(ours_out.stdout, out.stdout);
    let got = fake.received.lock().unwrap().clone();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0], got[1]);
    assert_eq!(
        got[0],
        "{ \"arguments\": { \"ip-address\": \"192.0.2.1\" }, \"command\": \"lease4-get\", \"remote-address\": \"127.0.0.1\", \"service\": [ \"dhcp4\" ] }"
    );
    // Unreachable agent: same words, same exit code.
    let closed = free_port();
    let a = run(&our_shell, closed, &[], "");
    let b = run(kea_shell, closed, &[], "");
    assert_eq!(
        String::from_utf8_lossy(&a.stdout),
        "Failed to run: <urlopen error [Errno 111] Connection refused>\n"
    );
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(a.status.code(), Some(1));
    assert_eq!(b.status.code(), Some(1));
}

/// Kea 2.2's kea-dhcp4 with a control socket, no interfaces and no lease file.
struct KeaDhcp4 {
    child: std::process::Child,
}

impl Drop for KeaDhcp4 {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn forwards_to_kea_dhcp4() {
    const KEA_DHCP4: &str = "/usr/sbin/kea-dhcp4";
    if !kea_installed(KEA_DHCP4) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display().to_string();
    let conf = dir.path().join("kea-dhcp4.conf");
    std::fs::write(
        &conf,
        format!(
            r#"{{ "Dhcp4": {{ "control-socket": {{ "socket-type": "unix", "socket-name": "{d}/v4.sock" }},
                 "lease-database": {{ "type": "memfile", "persist": false }},
                 "interfaces-config": {{ "interfaces": [] }} }} }}"#
        ),
    )
    .unwrap();
    let child = std::process::Command::new(KEA_DHCP4)
        .arg("-c")
        .arg(&conf)
        .env("KEA_PIDFILE_DIR", dir.path())
        .env("KEA_LOCKFILE_DIR", dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let _dhcp4 = KeaDhcp4 { child };
    let sock = dir.path().join("v4.sock");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !sock.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let agent = Agent::start(
        dir,
        r#""control-sockets": { "dhcp4": { "socket-name": "@DIR@/v4.sock" } }"#,
    );
    let r = post_json(
        agent.port,
        r#"{"command": "version-get", "service": ["dhcp4"]}"#,
    );
    // The agent's list holds exactly what the daemon answers on its socket.
    let direct = {
        use std::io::{Read, Write};
        let mut u =
            std::os::unix::net::UnixStream::connect(agent.dir.path().join("v4.sock")).unwrap();
        u.write_all(br#"{ "command": "version-get" }"#).unwrap();
        let mut out = String::new();
        u.read_to_string(&mut out).unwrap();
        out
    };
    assert!(direct.contains("\"text\": \"2.2.0\""), "{direct}");
    assert_eq!(body_of(&r), format!("[ {direct} ]"));
    let r = post_json(
        agent.port,
        r#"{"command": "statistic-get", "service": ["dhcp4"], "arguments": {"name": "pkt4-received"}}"#,
    );
    assert!(
        body_of(&r).starts_with(r#"[ { "arguments": { "pkt4-received": [ [ 0, "#),
        "{r}"
    );
}
