//! Forwarding a command to a daemon's UNIX control socket and reading its answer (ARM
//! `agent.rst`, "Overview"; `ctrl-channel.rst`; INVENTORY §7.1, §7.2): connect, write the
//! command in Kea's text form, read to the end, parse. Failures become the result-1 answers
//! Kea's agent gives ("... The server is likely to be offline").

use std::io;
use std::path::Path;
use std::time::Duration;

use kea_process::ctrl::{CONTROL_RESULT_ERROR, answer};
use kea_process::json::to_kea_string;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::UnixStream;

use crate::messages::{
    CTRL_AGENT_COMMAND_FORWARD_BEGIN, CTRL_AGENT_COMMAND_FORWARD_FAILED,
    CTRL_AGENT_COMMAND_FORWARDED, DBG_TRACE_BASIC, LOG_CTRL_AGENT,
};

/// How long one forwarded command may take, connection to last byte (Kea: 10 s).
pub const FORWARD_TIMEOUT: Duration = Duration::from_secs(10);

/// Largest answer accepted from a daemon (a big `lease4-get-all` or `config-get`).
pub const MAX_ANSWER_SIZE: usize = 256 * 1024 * 1024;

/// Why a command could not be forwarded; `Display` is the cause in Kea's answer text.
#[derive(Debug, thiserror::Error)]
pub enum ForwardError {
    /// Connecting, writing or reading failed (`No such file or directory`).
    #[error("{}", strerror(.0))]
    Io(#[from] io::Error),
    /// No complete answer in time.
    #[error("{}", strerror(&io::Error::from(io::ErrorKind::TimedOut)))]
    Timeout,
    /// The answer exceeded [`MAX_ANSWER_SIZE`].
    #[error("answer larger than {limit} bytes")]
    TooLarge {
        /// The bound.
        limit: usize,
    },
    /// The answer is not JSON.
    #[error("invalid answer: {0}")]
    BadAnswer(#[from] serde_json::Error),
}

/// The OS's text for an error without Rust's ` (os error N)` suffix, as Kea prints it.
fn strerror(e: &io::Error) -> String {
    match e.raw_os_error() {
        Some(code) => nix::errno::Errno::from_raw(code).desc().to_owned(),
        None if e.kind() == io::ErrorKind::TimedOut => {
            nix::errno::Errno::ETIMEDOUT.desc().to_owned()
        }
        None => e.to_string(),
    }
}

/// Sends `command` to the socket at `path` and returns the daemon's answer.
pub async fn send_command(path: &Path, command: &Value) -> Result<Value, ForwardError> {
    tokio::time::timeout(FORWARD_TIMEOUT, exchange(path, command))
        .await
        .map_err(|_| ForwardError::Timeout)?
}

async fn exchange(path: &Path, command: &Value) -> Result<Value, ForwardError> {
    let mut stream = UnixStream::connect(path).await?;
    stream.write_all(to_kea_string(command).as_bytes()).await?;
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        if buf.len() + n > MAX_ANSWER_SIZE {
            return Err(ForwardError::TooLarge {
                limit: MAX_ANSWER_SIZE,
            });
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok(serde_json::from_slice(&buf)?)
}

/// Forwards to `service` at `path` for the client at `remote`; a failure becomes Kea's
/// result-1 answer.
pub async fn forward(service: &str, path: &Path, command: &Value, remote: &str) -> Value {
    let name = command.get("command").and_then(Value::as_str).unwrap_or("");
    tracing::debug!(target: "kea-ctrl-agent", logger = LOG_CTRL_AGENT, dbg = DBG_TRACE_BASIC,
        msgid = CTRL_AGENT_COMMAND_FORWARD_BEGIN, "begin forwarding command {name} to service {service}");
    match send_command(path, command).await {
        Ok(answer) => {
            tracing::info!(target: "kea-ctrl-agent", logger = LOG_CTRL_AGENT, msgid = CTRL_AGENT_COMMAND_FORWARDED,
                "command {name} successfully forwarded to the service {service} from remote address {remote}");
            answer
        }
        Err(e) => {
            let text = format!(
                "unable to forward command to the {service} service: {e}. The server is likely to be offline"
            );
            tracing::debug!(target: "kea-ctrl-agent", logger = LOG_CTRL_AGENT, dbg = DBG_TRACE_BASIC,
                msgid = CTRL_AGENT_COMMAND_FORWARD_FAILED, "failed forwarding command {name}: {text}");
            answer(CONTROL_RESULT_ERROR, text)
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use serde_json::json;
    use tokio::net::UnixListener;

    #[tokio::test]
    async fn forwards_and_reports_offline() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d4.sock");
        let a = forward("dhcp4", &path, &json!({"command": "x"}), "127.0.0.1").await;
        assert_eq!(
            a,
            json!({"result": 1, "text": "unable to forward command to the dhcp4 service: No such file or directory. The server is likely to be offline"})
        );
        let listener = UnixListener::bind(&path).unwrap();
        let server = tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let mut buf = vec![0u8; 1024];
            let n = s.read(&mut buf).await.unwrap();
            s.write_all(b"{ \"result\": 0, \"text\": \"ok\" }")
                .await
                .unwrap();
            String::from_utf8_lossy(&buf[..n]).into_owned()
        });
        let a = forward(
            "dhcp4",
            &path,
            &json!({"command": "x", "service": ["dhcp4"], "remote-address": "127.0.0.1"}),
            "127.0.0.1",
        )
        .await;
        assert_eq!(a, json!({"result": 0, "text": "ok"}));
        assert_eq!(
            server.await.unwrap(),
            r#"{ "command": "x", "remote-address": "127.0.0.1", "service": [ "dhcp4" ] }"#
        );
    }
}
