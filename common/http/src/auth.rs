//! HTTP Basic authentication (RFC 7617) as Kea's control agent does it (ARM `agent.rst`,
//! "Configuration"; `security.rst`, "HTTP Basic Authentication"): a request must carry
//! `Authorization: Basic base64(user:password)` matching one configured client, else it is
//! answered 401 with `WWW-Authenticate: Basic realm="<realm>"`.
//!
//! Secrets are compared in constant time (`subtle`), against every configured client, so the
//! time taken does not tell which client or how much of a secret matched.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use subtle::{Choice, ConstantTimeEq};

/// One accepted client: the `user:password` secret and the user name for logs.
#[derive(Clone)]
struct Client {
    secret: Vec<u8>,
    user: String,
}

/// The configured Basic authentication: a realm and the accepted clients.
#[derive(Clone)]
pub struct BasicAuth {
    realm: String,
    clients: Vec<Client>,
}

impl std::fmt::Debug for BasicAuth {
    // Never print secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BasicAuth")
            .field("realm", &self.realm)
            .field("clients", &self.clients.len())
            .finish()
    }
}

/// What a request's `Authorization` header amounts to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthOutcome {
    /// A configured client: its user name.
    Authorized {
        /// The user part of the secret.
        user: String,
    },
    /// No `Authorization` header (Kea's `HTTP_CLIENT_REQUEST_NO_AUTH_HEADER`).
    MissingHeader,
    /// The header is not `Basic <base64>` (`HTTP_CLIENT_REQUEST_BAD_AUTH_HEADER`).
    BadHeader,
    /// Well formed, but no client has these credentials (`HTTP_CLIENT_REQUEST_NOT_AUTHORIZED`).
    Unauthorized,
}

impl BasicAuth {
    /// Authentication for `realm` with no client yet.
    pub fn new(realm: impl Into<String>) -> Self {
        Self {
            realm: realm.into(),
            clients: Vec::new(),
        }
    }

    /// Accepts `user` with `password`.
    pub fn add_client(&mut self, user: &str, password: &str) {
        self.add_secret(&format!("{user}:{password}"));
    }

    /// Accepts a whole `user:password` secret (Kea's `password-file` without `user`). The
    /// user name for logs is the part before the first colon.
    pub fn add_secret(&mut self, secret: &str) {
        let user = secret.split_once(':').map_or(secret, |(u, _)| u).to_owned();
        self.clients.push(Client {
            secret: secret.as_bytes().to_vec(),
            user,
        });
    }

    /// The realm named in the challenge.
    pub fn realm(&self) -> &str {
        &self.realm
    }

    /// How many clients are accepted; with none, Kea does not require authentication.
    pub fn client_count(&self) -> usize {
        self.clients.len()
    }

    /// The `WWW-Authenticate` value of a 401 answer.
    pub fn challenge(&self) -> String {
        format!("Basic realm=\"{}\"", self.realm)
    }

    /// Checks the `Authorization` header value (`None` when absent).
    pub fn check(&self, header: Option<&[u8]>) -> AuthOutcome {
        let Some(value) = header else {
            return AuthOutcome::MissingHeader;
        };
        let Some(encoded) = strip_scheme(value) else {
            return AuthOutcome::BadHeader;
        };
        let Ok(secret) = STANDARD.decode(encoded) else {
            return AuthOutcome::BadHeader;
        };
        let mut found: Option<&Client> = None;
        let mut any = Choice::from(0);
        for client in &self.clients {
            let equal = client.secret.as_slice().ct_eq(secret.as_slice());
            if bool::from(equal & !any) {
                found = Some(client);
            }
            any |= equal;
        }
        match found {
            Some(client) => AuthOutcome::Authorized {
                user: client.user.clone(),
            },
            None => AuthOutcome::Unauthorized,
        }
    }
}

/// `Basic <credentials>` → the credentials (scheme case-insensitive, RFC 7617 §2).
fn strip_scheme(value: &[u8]) -> Option<&[u8]> {
    let value = value.trim_ascii();
    let (scheme, rest) = value.split_at_checked(6)?;
    if !scheme.eq_ignore_ascii_case(b"basic ") {
        return None;
    }
    let rest = rest.trim_ascii();
    (!rest.is_empty()).then_some(rest)
}

/// The `Authorization` header value a client sends: `Basic base64(user:password)`.
pub fn basic_authorization(user: &str, password: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{user}:{password}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth() -> BasicAuth {
        let mut a = BasicAuth::new("kea-control-agent");
        a.add_client("admin", "1234");
        a.add_secret("joe:pass:with:colons");
        a
    }

    #[test]
    fn header_outcomes() {
        let a = auth();
        assert_eq!(a.check(None), AuthOutcome::MissingHeader);
        let ok = basic_authorization("admin", "1234");
        assert_eq!(ok, "Basic YWRtaW46MTIzNA==");
        assert_eq!(
            a.check(Some(ok.as_bytes())),
            AuthOutcome::Authorized {
                user: "admin".into()
            }
        );
        assert_eq!(
            a.check(Some(b"basic   YWRtaW46MTIzNA==  ")),
            AuthOutcome::Authorized {
                user: "admin".into()
            }
        );
        let joe = basic_authorization("joe", "pass:with:colons");
        assert_eq!(
            a.check(Some(joe.as_bytes())),
            AuthOutcome::Authorized { user: "joe".into() }
        );
        let wrong = basic_authorization("admin", "12345");
        assert_eq!(a.check(Some(wrong.as_bytes())), AuthOutcome::Unauthorized);
        assert_eq!(a.check(Some(b"Bearer abc")), AuthOutcome::BadHeader);
        assert_eq!(a.check(Some(b"Basic !!!")), AuthOutcome::BadHeader);
        assert_eq!(a.check(Some(b"Basic")), AuthOutcome::BadHeader);
        assert_eq!(a.challenge(), "Basic realm=\"kea-control-agent\"");
        assert_eq!(a.client_count(), 2);
        assert!(!format!("{a:?}").contains("1234"));
    }
}
