//! The UNIX control socket (`control-socket { "socket-type": "unix", "socket-name" }`; ARM
//! `ctrl-channel.rst`, INVENTORY §7.1): one JSON command per connection, the answer in Kea's
//! text form, then close; 10 s idle timeout; a `<socket-name>.lock` file guards the path so
//! two daemons cannot share it; rebinding when the name changes on reconfiguration.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{UnixListener, UnixStream};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::registry::{CommandRegistry, error_answer};
use super::request::{RequestError, parse_wire};
use crate::json::to_kea_string;

/// Kea's fixed idle timeout on a control connection.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(10);
/// Largest command accepted (a `config-set` with a big config fits comfortably).
pub const MAX_REQUEST_SIZE: usize = 16 * 1024 * 1024;

/// Errors from setting up the control socket.
#[derive(Debug, thiserror::Error)]
pub enum CtrlError {
    /// `control-socket` is not a map or lacks `socket-name`.
    #[error("control-socket: mandatory 'socket-name' parameter missing or not a string")]
    MissingSocketName,
    /// `socket-type` other than `unix`.
    #[error("control-socket: unsupported socket-type '{socket_type}', only 'unix' is supported")]
    UnsupportedType {
        /// The configured type.
        socket_type: String,
    },
    /// Another process holds the socket's lock file.
    #[error("Lock attempt on {lock} failed: the socket {path} is in use by another process")]
    InUse {
        /// The socket path.
        path: PathBuf,
        /// The lock file.
        lock: PathBuf,
    },
    /// Creating the lock file or binding failed.
    #[error("Failed to bind socket {path}: {source}")]
    Bind {
        /// The socket path.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
}

/// The `control-socket` map of a daemon's configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlSocketConfig {
    /// Path of the UNIX socket.
    pub socket_name: PathBuf,
}

impl ControlSocketConfig {
    /// Reads `{"socket-type": "unix", "socket-name": "..."}` (type defaults to unix).
    pub fn from_json(v: &Value) -> Result<Self, CtrlError> {
        let socket_type = v
            .get("socket-type")
            .and_then(Value::as_str)
            .unwrap_or("unix");
        if socket_type != "unix" {
            return Err(CtrlError::UnsupportedType {
                socket_type: socket_type.to_owned(),
            });
        }
        let name = v
            .get("socket-name")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .ok_or(CtrlError::MissingSocketName)?;
        Ok(Self {
            socket_name: PathBuf::from(name),
        })
    }
}

/// A bound control socket; the socket file and its lock file are removed on drop.
#[derive(Debug)]
pub struct ControlSocket {
    listener: UnixListener,
    path: PathBuf,
    lock_path: PathBuf,
    /// Held (with an exclusive lock) for the socket's lifetime.
    _lock: File,
}

impl ControlSocket {
    /// Takes the lock file, removes a stale socket file and binds. Must run inside a tokio
    /// runtime.
    pub fn bind(path: &Path) -> Result<Self, CtrlError> {
        let bind_err = |source| CtrlError::Bind {
            path: path.to_owned(),
            source,
        };
        let mut lock_name = path.as_os_str().to_owned();
        lock_name.push(".lock");
        let lock_path = PathBuf::from(lock_name);
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(bind_err)?;
        if lock.try_lock().is_err() {
            return Err(CtrlError::InUse {
                path: path.to_owned(),
                lock: lock_path,
            });
        }
        match std::fs::remove_file(path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(bind_err(e)),
        }
        let listener = UnixListener::bind(path).map_err(bind_err)?;
        Ok(Self {
            listener,
            path: path.to_owned(),
            lock_path,
            _lock: lock,
        })
    }

    /// The socket path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Accepts connections until `stop` is cancelled; each connection runs on `tracker`
    /// (an answer being written is finished even during shutdown).
    pub async fn serve(
        self,
        registry: Arc<CommandRegistry>,
        stop: CancellationToken,
        tracker: TaskTracker,
    ) {
        loop {
            let accepted = tokio::select! {
                () = stop.cancelled() => break,
                a = self.listener.accept() => a,
            };
            match accepted {
                Ok((stream, _)) => {
                    let registry = registry.clone();
                    tracker.spawn(handle_connection(stream, registry));
                }
                Err(e) => {
                    tracing::warn!(
                        target: "kea-process",
                        logger = "commands",
                        msgid = "COMMAND_ACCEPTOR_START",
                        "error accepting a control connection: {e}"
                    );
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
    }
}

impl Drop for ControlSocket {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        let _ = std::fs::remove_file(&self.lock_path);
    }
}

/// Reads until the first JSON value is complete (or EOF, the size bound, or the idle
/// timeout), answers, closes.
async fn handle_connection(mut stream: UnixStream, registry: Arc<CommandRegistry>) {
    let request = read_request(&mut stream).await;
    let answer = match request {
        Ok(v) => registry.process(v).await,
        Err(e) => error_answer(&e),
    };
    let text = to_kea_string(&answer);
    let _ = tokio::time::timeout(IDLE_TIMEOUT, async {
        stream.write_all(text.as_bytes()).await?;
        stream.shutdown().await
    })
    .await;
}

async fn read_request(stream: &mut UnixStream) -> Result<Value, RequestError> {
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 8192];
    loop {
        let n = match tokio::time::timeout(IDLE_TIMEOUT, stream.read(&mut chunk)).await {
            Err(_) => return Err(RequestError::Timeout),
            Ok(Err(_)) => 0,
            Ok(Ok(n)) => n,
        };
        let finish = n == 0;
        buf.extend_from_slice(&chunk[..n]);
        if buf.len() > MAX_REQUEST_SIZE {
            return Err(RequestError::TooLarge {
                limit: MAX_REQUEST_SIZE,
            });
        }
        if let Some(v) = parse_wire(&buf, finish)? {
            return Ok(v);
        }
    }
}

/// Keeps the daemon's control socket in line with its configuration: binds on first
/// configuration, rebinds when `socket-name` changes, closes when it disappears.
#[derive(Debug)]
pub struct ControlSocketManager {
    registry: Arc<CommandRegistry>,
    shutdown: CancellationToken,
    tracker: TaskTracker,
    current: Mutex<Option<(ControlSocketConfig, CancellationToken)>>,
}

impl ControlSocketManager {
    /// A manager serving `registry`; its sockets stop when `shutdown` is cancelled.
    pub fn new(
        registry: Arc<CommandRegistry>,
        shutdown: CancellationToken,
        tracker: TaskTracker,
    ) -> Self {
        Self {
            registry,
            shutdown,
            tracker,
            current: Mutex::new(None),
        }
    }

    /// Applies a (possibly absent) `control-socket` configuration. On a bind error the old
    /// socket stays open.
    pub fn reconfigure(&self, config: Option<&ControlSocketConfig>) -> Result<(), CtrlError> {
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        if current.as_ref().map(|(c, _)| c) == config {
            return Ok(());
        }
        let next = match config {
            Some(cfg) => {
                // Release the old socket first when the path is the same file (a restart of
                // the same name cannot happen here, the equality check returned above).
                let socket = ControlSocket::bind(&cfg.socket_name)?;
                let stop = self.shutdown.child_token();
                self.tracker.spawn(socket.serve(
                    self.registry.clone(),
                    stop.clone(),
                    self.tracker.clone(),
                ));
                Some((cfg.clone(), stop))
            }
            None => None,
        };
        if let Some((_, old_stop)) = std::mem::replace(&mut *current, next) {
            old_stop.cancel();
        }
        Ok(())
    }

    /// The socket path in use, if any.
    pub fn socket_path(&self) -> Option<PathBuf> {
        self.current
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .map(|(c, _)| c.socket_name.clone())
    }

    /// Closes the socket.
    pub fn close(&self) {
        if let Some((_, stop)) = self
            .current
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            stop.cancel();
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use serde_json::json;

    async fn send(path: &Path, bytes: &[u8]) -> String {
        let mut s = UnixStream::connect(path).await.unwrap();
        s.write_all(bytes).await.unwrap();
        // Half-close: the server must answer on EOF even when the JSON is incomplete.
        s.shutdown().await.unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).await.unwrap();
        out
    }

    #[test]
    fn config_from_json() {
        let c = ControlSocketConfig::from_json(
            &json!({"socket-type": "unix", "socket-name": "/tmp/x"}),
        )
        .unwrap();
        assert_eq!(c.socket_name, PathBuf::from("/tmp/x"));
        assert!(matches!(
            ControlSocketConfig::from_json(&json!({"socket-type": "tcp", "socket-name": "x"})),
            Err(CtrlError::UnsupportedType { .. })
        ));
        assert!(matches!(
            ControlSocketConfig::from_json(&json!({})),
            Err(CtrlError::MissingSocketName)
        ));
    }

    #[tokio::test]
    async fn serves_rebinds_and_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.sock");
        let b = dir.path().join("b.sock");
        let registry = CommandRegistry::new("kea-test");
        let shutdown = CancellationToken::new();
        let tracker = TaskTracker::new();
        let mgr = ControlSocketManager::new(registry, shutdown.clone(), tracker.clone());
        mgr.reconfigure(Some(&ControlSocketConfig {
            socket_name: a.clone(),
        }))
        .unwrap();
        assert!(dir.path().join("a.sock.lock").exists());
        // The lock keeps a second binder out.
        assert!(matches!(
            ControlSocket::bind(&a),
            Err(CtrlError::InUse { .. })
        ));
        let reply = send(&a, b"{\"command\": \"foo\"}").await;
        assert_eq!(
            reply,
            r#"{ "result": 2, "text": "'foo' command not supported." }"#
        );
        // Half-close without a complete command: a syntax error answer.
        let reply = send(&a, b"{\"command\"").await;
        assert!(reply.contains("\"result\": 1"), "{reply}");

        mgr.reconfigure(Some(&ControlSocketConfig {
            socket_name: b.clone(),
        }))
        .unwrap();
        let reply = send(&b, b"{\"command\": \"list-commands\"}").await;
        assert_eq!(
            reply,
            r#"{ "arguments": [ "list-commands" ], "result": 0 }"#
        );
        for _ in 0..100 {
            if !a.exists() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert!(!a.exists());
        shutdown.cancel();
        tracker.close();
        tracker.wait().await;
        assert!(!b.exists());
        assert!(!dir.path().join("b.sock.lock").exists());
    }
}
