//! The REST listener's lifecycle across reconfigurations (ARM `agent.rst`, "Configuration"):
//! bound on the first configuration, kept when neither the address nor TLS changed, moved
//! otherwise. A new address is bound before the old listener closes, so a failed bind
//! leaves the agent reachable where it was; the same address with new TLS files is closed
//! first, then bound again. Requests in flight on a closed listener still get their answer.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use kea_http::{HttpServer, ServerLimits};
use tokio::net::{TcpListener, TcpSocket};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::config::ListenSetup;
use crate::messages::{
    CTRL_AGENT_HTTP_SERVICE_STARTED, CTRL_AGENT_HTTPS_SERVICE_STARTED, LOG_CTRL_AGENT, LOG_HTTP,
};
use crate::rest::RestHandler;

/// The listener could not be bound.
#[derive(Debug, thiserror::Error)]
#[error("unable to bind the HTTP service to {addr}: {source}")]
pub struct BindError {
    /// The address.
    pub addr: SocketAddr,
    /// The OS error.
    #[source]
    pub source: io::Error,
}

struct Running {
    addr: SocketAddr,
    tls_files: Option<(String, String, String, bool)>,
    stop: CancellationToken,
    task: JoinHandle<()>,
}

/// The current listener, if any.
pub struct Listener {
    handler: Arc<RestHandler>,
    shutdown: CancellationToken,
    tracker: TaskTracker,
    running: tokio::sync::Mutex<Option<Running>>,
}

impl std::fmt::Debug for Listener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Listener").finish_non_exhaustive()
    }
}

fn bind(addr: SocketAddr) -> Result<TcpListener, BindError> {
    let err = |source| BindError { addr, source };
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()
    } else {
        TcpSocket::new_v6()
    }
    .map_err(err)?;
    socket.set_reuseaddr(true).map_err(err)?;
    socket.bind(addr).map_err(err)?;
    socket.listen(1024).map_err(err)
}

impl Listener {
    /// A listener manager serving `handler`; everything stops with `shutdown`.
    pub fn new(
        handler: Arc<RestHandler>,
        shutdown: CancellationToken,
        tracker: TaskTracker,
    ) -> Self {
        Self {
            handler,
            shutdown,
            tracker,
            running: tokio::sync::Mutex::new(None),
        }
    }

    /// Makes the listener match `setup`.
    pub async fn apply(&self, setup: &ListenSetup) -> Result<(), BindError> {
        let mut running = self.running.lock().await;
        let tls_files = setup.tls.as_ref().map(|t| t.files.clone());
        if let Some(r) = running.as_ref()
            && r.addr == setup.addr
            && r.tls_files.is_none()
            && tls_files.is_none()
        {
            return Ok(());
        }
        let same_addr = running.as_ref().is_some_and(|r| r.addr == setup.addr);
        if same_addr && let Some(old) = running.take() {
            old.stop.cancel();
            let _ = old.task.await;
        }
        let listener = bind(setup.addr)?;
        let addr = listener.local_addr().unwrap_or(setup.addr);
        let mut server =
            HttpServer::new(self.handler.clone(), ServerLimits::default()).with_logger(LOG_HTTP);
        if let Some(tls) = &setup.tls {
            server = server.with_tls(tls.config.clone());
        }
        let stop = self.shutdown.child_token();
        let task = self
            .tracker
            .spawn(server.serve(listener, stop.clone(), self.tracker.clone()));
        if setup.tls.is_some() {
            tracing::info!(target: "kea-ctrl-agent", logger = LOG_CTRL_AGENT, msgid = CTRL_AGENT_HTTPS_SERVICE_STARTED,
                "HTTPS service bound to address {addr}");
        } else {
            tracing::info!(target: "kea-ctrl-agent", logger = LOG_CTRL_AGENT, msgid = CTRL_AGENT_HTTP_SERVICE_STARTED,
                "HTTP service bound to address {addr}");
        }
        if let Some(old) = running.replace(Running {
            addr: setup.addr,
            tls_files,
            stop,
            task,
        }) {
            old.stop.cancel();
        }
        Ok(())
    }
}
