//! kea-http end to end: the server and the client over HTTPS with a required client
//! certificate, Basic authentication in a handler, and the limits seen from a client.
#![allow(clippy::unwrap_used, missing_docs)] // tests: a failed unwrap is a failed assertion

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use kea_http::header::{self, HeaderValue};
use kea_http::{
    AuthOutcome, BasicAuth, BodyError, Handler, HttpClient, HttpRequest, HttpResponse, HttpServer,
    ServerLimits, StatusCode, basic_authorization,
};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// Answers with the number of client certificates, behind Basic authentication.
struct Guarded {
    auth: BasicAuth,
}

impl Handler for Guarded {
    async fn handle(&self, request: HttpRequest) -> HttpResponse {
        let header = request
            .headers
            .get(header::AUTHORIZATION)
            .map(HeaderValue::as_bytes);
        match self.auth.check(header) {
            AuthOutcome::Authorized { user } => HttpResponse::new(
                StatusCode::OK,
                format!("{user} {}", request.peer_certificates.len()),
            ),
            _ => HttpResponse::new(StatusCode::UNAUTHORIZED, "").with_header(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_str(&self.auth.challenge()).unwrap(),
            ),
        }
    }

    fn body_error(&self, _error: &BodyError) -> HttpResponse {
        HttpResponse::new(StatusCode::PAYLOAD_TOO_LARGE, "")
    }
}

fn write_pki(d: &Path) {
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
    let (s, sk) = leaf(vec!["127.0.0.1".into()]);
    let (c, ck) = leaf(Vec::new());
    for (n, t) in [
        ("ca.pem", ca.pem()),
        ("s.pem", s),
        ("sk.pem", sk),
        ("c.pem", c),
        ("ck.pem", ck),
    ] {
        std::fs::write(d.join(n), t).unwrap();
    }
}

#[tokio::test]
async fn mutual_tls_and_basic_auth() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_pki(d);
    let tls = kea_http::server_config(&d.join("ca.pem"), &d.join("s.pem"), &d.join("sk.pem"), true)
        .unwrap();
    let mut auth = BasicAuth::new("realm");
    auth.add_client("admin", "1234");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "https://127.0.0.1:{}/",
        listener.local_addr().unwrap().port()
    );
    let stop = CancellationToken::new();
    let tracker = TaskTracker::new();
    let limits = ServerLimits {
        max_body: 1024,
        ..ServerLimits::default()
    };
    let server = HttpServer::new(Arc::new(Guarded { auth }), limits).with_tls(tls);
    tracker.spawn(server.serve(listener, stop.clone(), tracker.clone()));

    let with_cert = kea_http::client_config(
        &d.join("ca.pem"),
        Some((&d.join("c.pem"), &d.join("ck.pem"))),
    )
    .unwrap();
    let client = HttpClient::new(Some(with_cert), Duration::from_secs(5)).unwrap();
    let creds = basic_authorization("admin", "1234");
    let r = client
        .post(&url, &[("Authorization", &creds)], "{}")
        .await
        .unwrap();
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body, "admin 1");
    let r = client.post(&url, &[], "{}").await.unwrap();
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = client
        .post(&url, &[("Authorization", &creds)], vec![b'x'; 2048])
        .await
        .unwrap();
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);

    // Without a client certificate the handshake is refused.
    let no_cert = kea_http::client_config(&d.join("ca.pem"), None).unwrap();
    let client = HttpClient::new(Some(no_cert), Duration::from_secs(5)).unwrap();
    assert!(
        client
            .post(&url, &[("Authorization", &creds)], "{}")
            .await
            .is_err()
    );
    // A client that does not trust the server's CA refuses it.
    let plain = HttpClient::new(None, Duration::from_secs(5)).unwrap();
    assert!(plain.post(&url, &[], "{}").await.is_err());

    stop.cancel();
    tracker.close();
    tokio::time::timeout(Duration::from_secs(5), tracker.wait())
        .await
        .unwrap();
}
