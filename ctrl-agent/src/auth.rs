//! The `authentication` map turned into the Basic-auth table (ARM `agent.rst`,
//! "Configuration"): clients given inline or through `user-file`/`password-file` (relative
//! to `directory`, read when the configuration is loaded, content taken as is), with Kea's
//! rules and texts: a user is required, must not be empty nor contain a colon, and each of
//! user/password comes from one place only.

use std::path::{Path, PathBuf};

use kea_config::agent::{Authentication, BasicClient, DEFAULT_REALM};
use kea_config::json::{Element, Position};
use kea_http::BasicAuth;
use serde_json::{Map, Value};

/// Why the `authentication` map was refused; `Display` is Kea's text.
#[derive(Debug, thiserror::Error)]
pub enum AuthConfigError {
    /// Both `user` and `user-file`.
    #[error("user ({user}) and user-file ({file}) are mutually exclusive")]
    UserTwice {
        /// Where `user` is.
        user: Position,
        /// Where `user-file` is.
        file: Position,
    },
    /// Both `password` and `password-file`.
    #[error("password ({password}) and password-file ({file}) are mutually exclusive")]
    PasswordTwice {
        /// Where `password` is.
        password: Position,
        /// Where `password-file` is.
        file: Position,
    },
    /// Neither `user` nor `user-file` nor a whole secret in `password-file`.
    #[error("user is required ({at})")]
    UserRequired {
        /// The client map.
        at: Position,
    },
    /// An empty user ID.
    #[error("user must not be empty ({at})")]
    EmptyUser {
        /// Where the user came from.
        at: Position,
    },
    /// A user ID with a colon.
    #[error("user must not contain a ':': '{user}' ({at})")]
    ColonInUser {
        /// The user ID.
        user: String,
        /// Where it came from.
        at: Position,
    },
    /// A `password-file` secret without `user:`.
    #[error("can't find the user id part in password-file '{file}' ({at})")]
    NoUserInSecret {
        /// The file name as configured.
        file: String,
        /// Where `password-file` is.
        at: Position,
    },
    /// A file could not be read.
    #[error("can't open file '{}': {reason}", path.display())]
    File {
        /// The full path.
        path: PathBuf,
        /// The OS's text.
        reason: String,
    },
}

/// The full path of a client file: relative names are in `directory`.
fn full_path(directory: &str, file: &str) -> PathBuf {
    if directory.is_empty() || file.starts_with('/') {
        PathBuf::from(file)
    } else {
        Path::new(directory).join(file)
    }
}

fn read(directory: &str, file: &str) -> Result<String, AuthConfigError> {
    let path = full_path(directory, file);
    std::fs::read(&path)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .map_err(|e| AuthConfigError::File {
            reason: e.raw_os_error().map_or_else(
                || e.to_string(),
                |c| nix::errno::Errno::from_raw(c).desc().to_owned(),
            ),
            path,
        })
}

fn pos_of(client: Option<&Element>, key: &str) -> Position {
    client
        .and_then(|c| c.get(key))
        .or(client)
        .map(|e| e.pos().clone())
        .unwrap_or_default()
}

/// Builds the Basic-auth table; `element` is the `authentication` map (for positions).
pub fn build(
    auth: &Authentication,
    element: Option<&Element>,
) -> Result<BasicAuth, AuthConfigError> {
    let realm = auth.realm.as_deref().unwrap_or(DEFAULT_REALM);
    let directory = auth.directory.as_deref().unwrap_or("");
    let mut table = BasicAuth::new(realm);
    let items = element.and_then(|e| e.get("clients"));
    for (i, client) in auth.clients.iter().enumerate() {
        let el = items.and_then(|l| l.item(i));
        add_client(&mut table, client, el, directory)?;
    }
    Ok(table)
}

fn add_client(
    table: &mut BasicAuth,
    client: &BasicClient,
    el: Option<&Element>,
    directory: &str,
) -> Result<(), AuthConfigError> {
    if client.user.is_some() && client.user_file.is_some() {
        return Err(AuthConfigError::UserTwice {
            user: pos_of(el, "user"),
            file: pos_of(el, "user-file"),
        });
    }
    if client.password.is_some() && client.password_file.is_some() {
        return Err(AuthConfigError::PasswordTwice {
            password: pos_of(el, "password"),
            file: pos_of(el, "password-file"),
        });
    }
    let (user, user_at) = match (&client.user, &client.user_file) {
        (Some(u), _) => (Some(u.clone()), pos_of(el, "user")),
        (None, Some(f)) => (Some(read(directory, f)?), pos_of(el, "user-file")),
        (None, None) => (None, Position::default()),
    };
    let Some(user) = user else {
        // No user: the password file holds the whole `user:password` secret.
        let Some(file) = &client.password_file else {
            return Err(AuthConfigError::UserRequired {
                at: el.map(|e| e.pos().clone()).unwrap_or_default(),
            });
        };
        let secret = read(directory, file)?;
        let at = pos_of(el, "password-file");
        match secret.split_once(':') {
            Some((u, _)) if !u.is_empty() => {
                table.add_secret(&secret);
                return Ok(());
            }
            Some(_) => return Err(AuthConfigError::EmptyUser { at }),
            None => {
                return Err(AuthConfigError::NoUserInSecret {
                    file: file.clone(),
                    at,
                });
            }
        }
    };
    if user.is_empty() {
        return Err(AuthConfigError::EmptyUser { at: user_at });
    }
    if user.contains(':') {
        return Err(AuthConfigError::ColonInUser { user, at: user_at });
    }
    let password = match (&client.password, &client.password_file) {
        (Some(p), _) => p.clone(),
        (None, Some(f)) => read(directory, f)?,
        (None, None) => String::new(),
    };
    table.add_client(&user, &password);
    Ok(())
}

/// The `authentication` map as `config-get` shows it: defaults filled, clients as given
/// (an inline user without password shows the empty password), comments as user context.
pub fn display(auth: &Authentication) -> Value {
    let mut m = Map::new();
    let clients = auth
        .clients
        .iter()
        .map(|c| {
            let mut cm = Map::new();
            let mut put = |k: &str, v: &Option<String>| {
                if let Some(v) = v {
                    cm.insert(k.into(), Value::String(v.clone()));
                }
            };
            put("user", &c.user);
            put("user-file", &c.user_file);
            put("password", &c.password);
            put("password-file", &c.password_file);
            if c.user.is_some() && c.password.is_none() && c.password_file.is_none() {
                cm.insert("password".into(), Value::String(String::new()));
            }
            crate::config::put_user_context(&mut cm, c.user_context.as_ref(), c.comment.as_ref());
            Value::Object(cm)
        })
        .collect();
    m.insert("clients".into(), Value::Array(clients));
    m.insert(
        "directory".into(),
        Value::String(auth.directory.clone().unwrap_or_default()),
    );
    m.insert(
        "realm".into(),
        Value::String(
            auth.realm
                .clone()
                .unwrap_or_else(|| DEFAULT_REALM.to_owned()),
        ),
    );
    m.insert("type".into(), Value::String(auth.auth_type.as_str().into()));
    crate::config::put_user_context(&mut m, auth.user_context.as_ref(), auth.comment.as_ref());
    Value::Object(m)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use kea_http::AuthOutcome;
    use kea_http::basic_authorization;

    fn parse(text: &str) -> (Authentication, Element) {
        let e = kea_config::json::parse_str(text, "t.json").unwrap();
        (kea_config::decode(&e, "authentication").unwrap(), e)
    }

    fn build_text(text: &str) -> Result<BasicAuth, AuthConfigError> {
        let (a, e) = parse(text);
        build(&a, Some(&e))
    }

    #[test]
    fn files_are_read_as_is() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().display().to_string();
        std::fs::write(dir.path().join("pw"), "secret\n").unwrap();
        std::fs::write(dir.path().join("us"), "bob").unwrap();
        std::fs::write(dir.path().join("sec"), "carl:pw3").unwrap();
        let t = build_text(&format!(
            r#"{{ "type": "basic", "directory": "{d}", "clients": [
                {{ "user-file": "us", "password-file": "pw" }},
                {{ "password-file": "sec" }}, {{ "user": "dan" }} ] }}"#
        ))
        .unwrap();
        let ok = |u: &str, p: &str| {
            matches!(
                t.check(Some(basic_authorization(u, p).as_bytes())),
                AuthOutcome::Authorized { .. }
            )
        };
        assert!(ok("bob", "secret\n"));
        assert!(!ok("bob", "secret"));
        assert!(ok("carl", "pw3"));
        assert!(ok("dan", ""));
        assert_eq!(t.realm(), "kea-control-agent");
    }

    #[test]
    fn kea_texts() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("pw"), "nocolon").unwrap();
        let d = dir.path().display().to_string();
        let e = |clients: &str| {
            build_text(&format!(
                r#"{{ "type": "basic", "directory": "{d}", "clients": [ {clients} ] }}"#
            ))
            .unwrap_err()
            .to_string()
        };
        assert!(e(r#"{"user": ""}"#).starts_with("user must not be empty (t.json:1:"));
        assert!(
            e(r#"{"user": "a:b"}"#).starts_with("user must not contain a ':': 'a:b' (t.json:1:")
        );
        assert!(e(r#"{"user": "a", "user-file": "us"}"#).contains(") are mutually exclusive"));
        assert!(
            e(r#"{"password-file": "pw"}"#)
                .starts_with("can't find the user id part in password-file 'pw' (")
        );
        assert!(e(r#"{"password": "x"}"#).starts_with("user is required ("));
        assert_eq!(
            e(r#"{"user-file": "nonexist"}"#),
            format!("can't open file '{d}/nonexist': No such file or directory")
        );
    }

    #[test]
    fn display_fills_defaults() {
        let (a, _) =
            parse(r#"{ "type": "basic", "clients": [ { "user": "dan", "comment": "c" } ] }"#);
        assert_eq!(
            display(&a),
            serde_json::json!({"clients": [{"password": "", "user": "dan", "user-context": {"comment": "c"}}],
                "directory": "", "realm": "kea-control-agent", "type": "basic"})
        );
    }
}
