//! NCR transport over UDP (ARM `dhcp4-srv.rst` "DHCP-DDNS Server Connectivity"; INVENTORY
//! §3.5, §12): [`NcrSender`], the DHCP servers' side, with a bounded queue of `max-queue-size`
//! requests sent one datagram each to `server-ip:server-port` from `sender-ip:sender-port`; and
//! [`NcrReceiver`], D2's side listening on `ip-address:port`. Fire and forget: D2 never replies.

use std::io;
use std::net::SocketAddr;

use tokio::net::UdpSocket;
use tokio::sync::mpsc;
use tracing::{debug, error};

use crate::ncr::{NameChangeRequest, NcrError};
use crate::wire::{decode_datagram, encode_datagram};

/// Where and how a DHCP server sends NCRs (its `dhcp-ddns` map).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SenderConfig {
    /// D2's address: `server-ip:server-port` (127.0.0.1:53001 by default).
    pub server: SocketAddr,
    /// Local address: `sender-ip:sender-port` (port 0 = ephemeral).
    pub sender: SocketAddr,
    /// `max-queue-size` (1024 by default): requests waiting to be sent.
    pub max_queue_size: usize,
}

/// Why a request was not queued.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The queue holds `max-queue-size` requests already; this one is dropped.
    #[error("NCR queue is full ({max_queue_size} requests)")]
    QueueFull {
        /// The configured limit.
        max_queue_size: usize,
    },
    /// The sending task has stopped.
    #[error("NCR sender is stopped")]
    Stopped,
}

/// Sends NCRs to D2 from a background task. Cloning shares the queue; the task ends when the
/// last clone is dropped, after sending what is queued.
#[derive(Debug, Clone)]
pub struct NcrSender {
    queue: mpsc::Sender<NameChangeRequest>,
    max_queue_size: usize,
    local: SocketAddr,
}

impl NcrSender {
    /// Binds the sender socket and spawns the sending task on the current tokio runtime.
    pub async fn start(config: SenderConfig) -> io::Result<Self> {
        let socket = UdpSocket::bind(config.sender).await?;
        let local = socket.local_addr()?;
        let max_queue_size = config.max_queue_size.max(1);
        let (queue, mut rx) = mpsc::channel::<NameChangeRequest>(max_queue_size);
        let server = config.server;
        tokio::spawn(async move {
            while let Some(ncr) = rx.recv().await {
                let datagram = encode_datagram(&ncr);
                match socket.send_to(&datagram, server).await {
                    Ok(_) => debug!(target: "kea-ncr", msgid = "NCR_UDP_SEND",
                        "sent NCR for {} to {server}", ncr.fqdn),
                    Err(e) => error!(target: "kea-ncr", msgid = "NCR_UDP_SEND_ERROR",
                        "failed to send NCR for {} to {server}: {e}", ncr.fqdn),
                }
            }
        });
        Ok(Self {
            queue,
            max_queue_size,
            local,
        })
    }

    /// Queues `ncr` without waiting; a full queue drops it with [`SendError::QueueFull`].
    pub fn send(&self, ncr: NameChangeRequest) -> Result<(), SendError> {
        self.queue.try_send(ncr).map_err(|e| match e {
            mpsc::error::TrySendError::Full(_) => SendError::QueueFull {
                max_queue_size: self.max_queue_size,
            },
            mpsc::error::TrySendError::Closed(_) => SendError::Stopped,
        })
    }

    /// Requests waiting to be sent.
    pub fn queue_size(&self) -> usize {
        self.max_queue_size - self.queue.capacity()
    }

    /// The bound local address (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }
}

/// Why a datagram did not yield a request.
#[derive(Debug, thiserror::Error)]
pub enum ReceiveError {
    /// The socket failed (D2 counts `ncr-error`).
    #[error("NCR receive error: {0}")]
    Io(#[from] io::Error),
    /// The datagram was not a valid NCR (D2 counts `ncr-invalid`).
    #[error("invalid NCR from {from}: {source}")]
    Invalid {
        /// The sender.
        from: SocketAddr,
        /// What was wrong.
        source: NcrError,
    },
}

/// D2's listening socket.
#[derive(Debug)]
pub struct NcrReceiver {
    socket: UdpSocket,
}

impl NcrReceiver {
    /// Binds `ip-address:port`.
    pub async fn bind(addr: SocketAddr) -> io::Result<Self> {
        Ok(Self {
            socket: UdpSocket::bind(addr).await?,
        })
    }

    /// The bound address.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.socket.local_addr()
    }

    /// Waits for the next datagram and decodes it.
    pub async fn recv(&self) -> Result<NameChangeRequest, ReceiveError> {
        let mut buf = vec![0u8; 65536];
        let (n, from) = self.socket.recv_from(&mut buf).await?;
        let data = buf.get(..n).unwrap_or_default();
        decode_datagram(data).map_err(|source| ReceiveError::Invalid { from, source })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ncr() -> NameChangeRequest {
        let d = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/ncr1.bin")).unwrap();
        decode_datagram(&d).unwrap()
    }

    #[tokio::test]
    async fn send_and_receive_over_loopback() {
        let rx = NcrReceiver::bind("127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let tx = NcrSender::start(SenderConfig {
            server: rx.local_addr().unwrap(),
            sender: "127.0.0.1:0".parse().unwrap(),
            max_queue_size: 4,
        })
        .await
        .unwrap();
        tx.send(ncr()).unwrap();
        let got = tokio::time::timeout(std::time::Duration::from_secs(5), rx.recv())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(got, ncr());
    }

    #[tokio::test(flavor = "current_thread")]
    async fn full_queue_drops() {
        let rx = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let tx = NcrSender::start(SenderConfig {
            server: rx.local_addr().unwrap(),
            sender: "127.0.0.1:0".parse().unwrap(),
            max_queue_size: 2,
        })
        .await
        .unwrap();
        // The sending task cannot run before this test yields, so the queue fills up.
        tx.send(ncr()).unwrap();
        tx.send(ncr()).unwrap();
        assert_eq!(tx.queue_size(), 2);
        assert!(matches!(
            tx.send(ncr()),
            Err(SendError::QueueFull { max_queue_size: 2 })
        ));
    }

    #[tokio::test]
    async fn invalid_datagram_is_reported() {
        let rx = NcrReceiver::bind("127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let s = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        s.send_to(b"\x00\x02{}", rx.local_addr().unwrap())
            .await
            .unwrap();
        assert!(matches!(rx.recv().await, Err(ReceiveError::Invalid { .. })));
    }
}
