//! kea-shell: the text client of the control agent's REST interface (ARM `shell.rst`;
//! INVENTORY §1.4). It reads the command's arguments from standard input, sends one request
//! and prints the answer's body, as Kea's kea-shell does; errors are printed as
//! `Failed to run: ...` with exit code 1.
//!
//! - [`cli`]: the switches;
//! - [`request`]: the body, headers and URL.

pub mod cli;
pub mod request;

use std::io::{self, Read, Write};
use std::path::Path;
use std::time::Duration;

use kea_http::{ClientError, HttpClient, basic_authorization};

use crate::cli::ShellArgs;

/// Why kea-shell gave up; `Display` is what it prints.
#[derive(Debug, thiserror::Error)]
pub enum ShellError {
    /// `--cert` without `--key` or the reverse.
    #[error("--cert and --key must be used together")]
    CertWithoutKey,
    /// `--cert`/`--key` without `--ca`.
    #[error("--cert and --key with HTTPS disabled (no --ca)")]
    CertWithoutCa,
    /// Standard input or the password file could not be read.
    #[error("Failed to run: {0}")]
    Input(io::Error),
    /// The TLS files are not usable.
    #[error("Failed to run: {}", tls_text(.0))]
    Tls(#[from] kea_http::TlsError),
    /// The whole exchange took longer than `--timeout`.
    #[error("Connection timeout")]
    Timeout,
    /// No HTTP answer (refused, TLS failure...), in Python's urllib form.
    #[error("Failed to run: <urlopen error {0}>")]
    Unreachable(String),
    /// A non-2xx answer.
    #[error("Failed to run: HTTP Error {status}: {reason}")]
    Http {
        /// The status code.
        status: u16,
        /// Its reason phrase.
        reason: String,
    },
}

/// Python's `[Errno 2] No such file or directory` for unreadable files, our text otherwise.
fn tls_text(e: &kea_http::TlsError) -> String {
    match e {
        kea_http::TlsError::Read { source, .. } => match source.raw_os_error() {
            Some(code) => format!("[Errno {code}] {}", os_text(code)),
            None => source.to_string(),
        },
        other => other.to_string(),
    }
}

/// The OS's text for `code` without Rust's ` (os error N)` suffix.
fn os_text(code: i32) -> String {
    let text = io::Error::from_raw_os_error(code).to_string();
    text.split(" (os error").next().unwrap_or(&text).to_owned()
}

/// `[Errno 111] Connection refused` for OS errors, the innermost cause otherwise.
fn unreachable(e: &ClientError) -> ShellError {
    if let Some(code) = e.io_error().and_then(io::Error::raw_os_error) {
        return ShellError::Unreachable(format!("[Errno {code}] {}", os_text(code)));
    }
    ShellError::Unreachable(e.root_cause())
}

fn read_password_file(path: &Path) -> Result<String, ShellError> {
    let mut text = std::fs::read_to_string(path).map_err(ShellError::Input)?;
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
    Ok(text)
}

/// Sends the command and returns the answer's body.
pub async fn send(args: &ShellArgs, stdin_args: &str) -> Result<String, ShellError> {
    if args.cert.is_empty() != args.key.is_empty() {
        return Err(ShellError::CertWithoutKey);
    }
    if !args.cert.is_empty() && args.ca.is_empty() {
        return Err(ShellError::CertWithoutCa);
    }
    let https = !args.ca.is_empty();
    let tls = if https {
        let identity = (!args.cert.is_empty())
            .then(|| (Path::new(args.cert.as_str()), Path::new(args.key.as_str())));
        Some(kea_http::client_config(Path::new(&args.ca), identity)?)
    } else {
        None
    };
    let password = match &args.auth_password_file {
        Some(p) => read_password_file(p)?,
        None => args.auth_password.clone(),
    };
    let authorization =
        (!args.auth_user.is_empty()).then(|| basic_authorization(&args.auth_user, &password));
    let body = request::body(&args.command, &args.service, stdin_args);
    let headers = request::headers(authorization.as_deref(), body.len());
    let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let url = request::url(https, &args.host, args.port, &args.path);
    let client =
        HttpClient::new(tls, Duration::from_secs(args.timeout)).map_err(|e| unreachable(&e))?;
    let response = match client.post(&url, &headers, body).await {
        Ok(r) => r,
        Err(ClientError::Timeout) => return Err(ShellError::Timeout),
        Err(e) => return Err(unreachable(&e)),
    };
    if !response.status.is_success() {
        return Err(ShellError::Http {
            status: response.status.as_u16(),
            reason: response.status.canonical_reason().unwrap_or("").to_owned(),
        });
    }
    Ok(String::from_utf8_lossy(&response.body).into_owned())
}

/// Writes `text` and a newline; a closed pipe is not an error.
fn print(out: &mut impl Write, text: &str) -> u8 {
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Ok(()) => 0,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        Err(_) => 1,
    }
}

/// The whole program after switch parsing: read stdin, send, print. Returns the exit code.
pub fn run(args: &ShellArgs, stdin: &mut impl Read, stdout: &mut impl Write) -> u8 {
    if args.version {
        return print(stdout, request::VERSION);
    }
    let mut stdin_args = String::new();
    if let Err(e) = stdin.read_to_string(&mut stdin_args) {
        print(stdout, &ShellError::Input(e).to_string());
        return 1;
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            print(stdout, &ShellError::Input(e).to_string());
            return 1;
        }
    };
    match runtime.block_on(send(args, &stdin_args)) {
        Ok(body) => print(stdout, &body),
        Err(e) => {
            print(stdout, &e.to_string());
            1
        }
    }
}
