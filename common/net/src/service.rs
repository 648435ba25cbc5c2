//! Opening all service sockets for a resolved `interfaces` list.
//!
//! ARM `dhcp4-srv.rst` / `dhcp6-srv.rst`, "Interface Configuration": a socket
//! that cannot be opened (port in use, interface down) is by default only
//! reported and the server runs without it; `service-sockets-require-all`
//! makes any failure fatal; `service-sockets-max-retries` (default 0) and
//! `service-sockets-retry-wait-time` (milliseconds, default 5000) retry the
//! failed ones first. This module owns that policy ([`RetryPolicy`]) and the
//! outcome ([`ServiceSockets`], [`OpenError`]). Logging the failures with
//! Kea's message IDs is the daemon's job.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use crate::error::SocketError;
use crate::select::{Binding4, Binding6, DhcpSocketType, Listen6, Selection, SkipReason};
use crate::socket4::Socket4;
use crate::socket6::Socket6;

/// Kea's default `service-sockets-retry-wait-time` (milliseconds).
pub const DEFAULT_RETRY_WAIT_MS: u64 = 5000;

/// `service-sockets-require-all`, `-max-retries` and `-retry-wait-time`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Fail when any socket is still closed after the retries.
    pub require_all: bool,
    /// Extra attempts after the first one (0: no retry).
    pub max_retries: u32,
    /// Wait between attempts.
    pub retry_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            require_all: false,
            max_retries: 0,
            retry_wait: Duration::from_millis(DEFAULT_RETRY_WAIT_MS),
        }
    }
}

/// Why one service socket is not open.
#[derive(Debug, thiserror::Error)]
pub enum OpenFailureCause {
    /// The interface was named but cannot be served now.
    #[error("{0}")]
    Skipped(SkipReason),
    /// Opening the socket failed (after all retries: the last error).
    #[error(transparent)]
    Socket(#[from] SocketError),
}

/// One service socket that is not open.
#[derive(Debug, thiserror::Error)]
#[error("failed to open socket on interface {iface}{}: {cause}", addr.map(|a| format!(", address {a}")).unwrap_or_default())]
pub struct OpenFailure {
    /// The interface name.
    pub iface: String,
    /// The address, when the socket was for one address.
    pub addr: Option<IpAddr>,
    /// What went wrong.
    pub cause: OpenFailureCause,
}

/// `service-sockets-require-all` is set and some sockets are not open.
#[derive(Debug, thiserror::Error)]
pub struct OpenError {
    /// Attempts made per socket (1 + retries).
    pub attempts: u32,
    /// Every socket that is not open.
    pub failures: Vec<OpenFailure>,
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "service-sockets-require-all is set and {} socket(s) could not be opened after {} attempt(s)",
            self.failures.len(),
            self.attempts
        )?;
        for fail in &self.failures {
            write!(f, "; {fail}")?;
        }
        Ok(())
    }
}

/// The sockets that opened, and the ones that did not.
#[derive(Debug)]
pub struct ServiceSockets<S> {
    /// Open sockets, in binding order.
    pub sockets: Vec<S>,
    /// Sockets that are not open (empty when all opened).
    pub failures: Vec<OpenFailure>,
}

async fn open_all<B, S>(
    bindings: &[B],
    skipped: Vec<OpenFailure>,
    policy: &RetryPolicy,
    describe: impl Fn(&B) -> (String, Option<IpAddr>),
    open: impl Fn(&B) -> Result<S, SocketError>,
) -> Result<ServiceSockets<S>, OpenError> {
    let mut slots: Vec<Option<S>> = bindings.iter().map(|_| None).collect();
    let mut last_errors: Vec<Option<SocketError>> = bindings.iter().map(|_| None).collect();
    let attempts = policy.max_retries.saturating_add(1);
    for attempt in 0..attempts {
        if attempt > 0 {
            if slots.iter().all(Option::is_some) {
                break;
            }
            tokio::time::sleep(policy.retry_wait).await;
        }
        for (i, b) in bindings.iter().enumerate() {
            if slots[i].is_some() {
                continue;
            }
            match open(b) {
                Ok(s) => {
                    slots[i] = Some(s);
                    last_errors[i] = None;
                }
                Err(e) => last_errors[i] = Some(e),
            }
        }
    }
    let mut failures = skipped;
    for (b, err) in bindings.iter().zip(last_errors) {
        if let Some(e) = err {
            let (iface, addr) = describe(b);
            failures.push(OpenFailure {
                iface,
                addr,
                cause: OpenFailureCause::Socket(e),
            });
        }
    }
    if policy.require_all && !failures.is_empty() {
        return Err(OpenError { attempts, failures });
    }
    Ok(ServiceSockets {
        sockets: slots.into_iter().flatten().collect(),
        failures,
    })
}

fn skipped_failures<B>(sel: &Selection<B>) -> Vec<OpenFailure> {
    sel.skipped
        .iter()
        .map(|s| OpenFailure {
            iface: s.iface.clone(),
            addr: None,
            cause: OpenFailureCause::Skipped(s.reason),
        })
        .collect()
}

/// Opens one DHCPv4 socket per binding of `sel` on `port`, applying `policy`.
/// Must be called inside a tokio runtime; with retries it waits, so a daemon
/// that must not block startup spawns it.
pub async fn open_sockets4(
    sel: &Selection<Binding4>,
    socket_type: DhcpSocketType,
    port: u16,
    policy: &RetryPolicy,
) -> Result<ServiceSockets<Socket4>, OpenError> {
    open_all(
        &sel.bindings,
        skipped_failures(sel),
        policy,
        |b| (b.iface.clone(), Some(IpAddr::V4(b.addr))),
        |b| Socket4::open(b, socket_type, port),
    )
    .await
}

/// Opens one DHCPv6 socket per binding of `sel` on `port`, applying `policy`.
/// Must be called inside a tokio runtime.
pub async fn open_sockets6(
    sel: &Selection<Binding6>,
    port: u16,
    policy: &RetryPolicy,
) -> Result<ServiceSockets<Socket6>, OpenError> {
    open_all(
        &sel.bindings,
        skipped_failures(sel),
        policy,
        |b| {
            let addr = match b.listen {
                Listen6::Link => None,
                Listen6::Unicast(a) => Some(IpAddr::V6(a)),
            };
            (b.iface.clone(), addr)
        },
        |b| Socket6::open(b, port),
    )
    .await
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use std::net::Ipv4Addr;

    use super::*;
    use crate::select::Skipped;

    fn lo_binding() -> Binding4 {
        Binding4 {
            iface: "lo".into(),
            ifindex: nix::net::if_::if_nametoindex("lo").unwrap(),
            mac: None,
            addr: Ipv4Addr::LOCALHOST,
        }
    }

    fn busy_port() -> (std::net::UdpSocket, u16) {
        let s = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        let port = s.local_addr().unwrap().port();
        (s, port)
    }

    fn policy(require_all: bool, max_retries: u32) -> RetryPolicy {
        RetryPolicy {
            require_all,
            max_retries,
            retry_wait: Duration::from_millis(50),
        }
    }

    #[tokio::test]
    async fn opens_all_when_free() {
        let (probe, port) = busy_port();
        drop(probe);
        let sel = Selection {
            bindings: vec![lo_binding()],
            skipped: vec![],
        };
        let got = open_sockets4(&sel, DhcpSocketType::Udp, port, &policy(true, 0))
            .await
            .unwrap();
        assert_eq!(got.sockets.len(), 1);
        assert!(got.failures.is_empty());
    }

    #[tokio::test]
    async fn busy_port_is_reported_or_fatal() {
        let (_holder, port) = busy_port();
        let sel = Selection {
            bindings: vec![lo_binding()],
            skipped: vec![],
        };
        let got = open_sockets4(&sel, DhcpSocketType::Udp, port, &policy(false, 0))
            .await
            .unwrap();
        assert!(got.sockets.is_empty());
        assert_eq!(got.failures.len(), 1);
        assert!(
            got.failures[0].to_string().contains("127.0.0.1"),
            "{}",
            got.failures[0]
        );

        let err = open_sockets4(&sel, DhcpSocketType::Udp, port, &policy(true, 2))
            .await
            .unwrap_err();
        assert_eq!(err.attempts, 3);
        assert!(err.to_string().contains("require-all"), "{err}");
    }

    #[tokio::test]
    async fn retry_succeeds_once_port_is_freed() {
        let (holder, port) = busy_port();
        let sel = Selection {
            bindings: vec![lo_binding()],
            skipped: vec![],
        };
        let release = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(80)).await;
            drop(holder);
        });
        let got = open_sockets4(&sel, DhcpSocketType::Udp, port, &policy(true, 10))
            .await
            .unwrap();
        assert_eq!(got.sockets.len(), 1);
        release.await.unwrap();
    }

    #[tokio::test]
    async fn skipped_interfaces_count_as_failures() {
        let sel: Selection<Binding4> = Selection {
            bindings: vec![],
            skipped: vec![Skipped {
                iface: "eth9".into(),
                reason: SkipReason::Down,
            }],
        };
        let got = open_sockets4(&sel, DhcpSocketType::Raw, 67, &policy(false, 0))
            .await
            .unwrap();
        assert_eq!(got.failures.len(), 1);
        let err = open_sockets4(&sel, DhcpSocketType::Raw, 67, &policy(true, 0))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("eth9"), "{err}");
        assert!(err.to_string().contains("down"), "{err}");
    }
}
