//! Process tests of kea-shell: the real binary against an HTTP(S) server of kea-http that
//! records what it receives (the request bytes Kea's kea-shell would send) and answers.
#![allow(clippy::unwrap_used, missing_docs)] // tests: a failed unwrap is a failed assertion

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};

use kea_http::{
    BodyError, Handler, HttpRequest, HttpResponse, HttpServer, ServerLimits, StatusCode,
};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// Answers 200 with a fixed body (401 when `status` says so) and records each request.
struct Recorder {
    seen: Mutex<Vec<HttpRequest>>,
    status: StatusCode,
}

impl Handler for Recorder {
    async fn handle(&self, request: HttpRequest) -> HttpResponse {
        self.seen.lock().unwrap().push(request);
        HttpResponse::new(self.status, "[ { \"result\": 0, \"text\": \"ok\" } ]")
    }

    fn body_error(&self, _error: &BodyError) -> HttpResponse {
        HttpResponse::new(StatusCode::PAYLOAD_TOO_LARGE, "")
    }
}

struct Server {
    port: u16,
    recorder: Arc<Recorder>,
    stop: CancellationToken,
    _runtime: tokio::runtime::Runtime,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

fn serve(status: StatusCode, tls: Option<Arc<kea_http::tls::ServerConfig>>) -> Server {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let recorder = Arc::new(Recorder {
        seen: Mutex::new(Vec::new()),
        status,
    });
    let stop = CancellationToken::new();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut server = HttpServer::new(recorder.clone(), ServerLimits::default());
    if let Some(tls) = tls {
        server = server.with_tls(tls);
    }
    runtime.spawn(server.serve(listener, stop.clone(), TaskTracker::new()));
    Server {
        port,
        recorder,
        stop,
        _runtime: runtime,
    }
}

fn shell(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kea-shell"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn request_as_kea_shell_sends_it() {
    let server = serve(StatusCode::OK, None);
    let port = server.port.to_string();
    let out = shell(
        &[
            "--port",
            &port,
            "--path",
            "kea",
            "--service",
            "dhcp4",
            "--service",
            "dhcp6",
            "--auth-user",
            "admin",
            "--auth-password",
            "1234",
            "config-write",
        ],
        "\"filename\": \"x.json\"\n",
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        text(&out.stdout),
        "[ { \"result\": 0, \"text\": \"ok\" } ]\n"
    );
    let seen = server.recorder.seen.lock().unwrap();
    let r = &seen[0];
    assert_eq!(r.uri.path(), "/kea");
    assert_eq!(
        text(&r.body),
        "{ \"command\": \"config-write\", \"service\": [\"dhcp4\",\"dhcp6\"], \"arguments\": { \"filename\": \"x.json\"\n } }"
    );
    let h = |n: &str| r.headers.get(n).map(|v| text(v.as_bytes()));
    assert_eq!(h("user-agent").as_deref(), Some("Kea-shell/2.2.0"));
    assert_eq!(h("accept").as_deref(), Some("*/*"));
    assert_eq!(h("content-type").as_deref(), Some("application/json"));
    assert_eq!(
        h("authorization").as_deref(),
        Some("Basic YWRtaW46MTIzNA==")
    );
    assert_eq!(h("content-length"), Some(r.body.len().to_string()));
}

#[test]
fn defaults_password_file_and_version() {
    let server = serve(StatusCode::OK, None);
    let dir = tempfile::tempdir().unwrap();
    let pw = dir.path().join("pw");
    std::fs::write(&pw, "1234\n").unwrap();
    let port = server.port.to_string();
    let out = shell(
        &[
            "--port",
            &port,
            "--auth-user",
            "admin",
            "--auth-password-file",
            pw.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let seen = server.recorder.seen.lock().unwrap();
    assert_eq!(text(&seen[0].body), "{ \"command\": \"list-commands\" }");
    assert_eq!(
        seen[0].headers.get("authorization").unwrap(),
        "Basic YWRtaW46MTIzNA=="
    );
    let v = shell(&["-v"], "");
    assert_eq!(text(&v.stdout), "2.2.0\n");
}

#[test]
fn errors_as_kea_shell_prints_them() {
    let server = serve(StatusCode::UNAUTHORIZED, None);
    let port = server.port.to_string();
    let out = shell(&["--port", &port], "");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        "Failed to run: HTTP Error 401: Unauthorized\n"
    );
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
        .to_string();
    let out = shell(&["--port", &closed], "");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        "Failed to run: <urlopen error [Errno 111] Connection refused>\n"
    );
    let out = shell(&["--ca", "/nonexistent/ca.pem"], "");
    assert_eq!(
        text(&out.stdout),
        "Failed to run: [Errno 2] No such file or directory\n"
    );
    assert_eq!(out.status.code(), Some(1));
    let out = shell(&["--cert", "c.pem"], "");
    assert_eq!(
        text(&out.stdout),
        "--cert and --key must be used together\n"
    );
    let out = shell(&["--cert", "c.pem", "--key", "k.pem"], "");
    assert_eq!(
        text(&out.stdout),
        "--cert and --key with HTTPS disabled (no --ca)\n"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn timeout() {
    // A listener that never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let out = shell(&["--port", &port, "--timeout", "1"], "");
    assert_eq!(text(&out.stdout), "Connection timeout\n");
    assert_eq!(out.status.code(), Some(1));
    drop(listener);
}

#[test]
fn https_with_client_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let leaf = |names: Vec<String>| {
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(names)
            .unwrap()
            .signed_by(&key, &issuer)
            .unwrap();
        (cert.pem(), key.serialize_pem())
    };
    let (server_cert, server_key) = leaf(vec!["127.0.0.1".into()]);
    let (client_cert, client_key) = leaf(Vec::new());
    for (n, t) in [
        ("ca.pem", ca.pem()),
        ("server.pem", server_cert),
        ("server-key.pem", server_key),
        ("client.pem", client_cert),
        ("client-key.pem", client_key),
    ] {
        std::fs::write(d.join(n), t).unwrap();
    }
    let p = |n: &str| d.join(n).display().to_string();
    let tls = kea_http::server_config(
        Path::new(&p("ca.pem")),
        Path::new(&p("server.pem")),
        Path::new(&p("server-key.pem")),
        true,
    )
    .unwrap();
    let server = serve(StatusCode::OK, Some(tls));
    let port = server.port.to_string();
    let out = shell(
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
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        server.recorder.seen.lock().unwrap()[0]
            .peer_certificates
            .len(),
        1
    );
    let out = shell(&["--port", &port, "--ca", &p("ca.pem")], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).starts_with("Failed to run: <urlopen error "),
        "{out:?}"
    );
}
