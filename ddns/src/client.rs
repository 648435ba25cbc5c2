//! Sending one UPDATE to one DNS server (ARM `ddns.rst`, "Global Server Parameters"
//! `dns-server-timeout`; INVENTORY §9.3 statistics): TSIG signing, UDP with a timeout, TCP
//! when the answer is truncated, TSIG verification of the answer, and the `update-*` and
//! `key[<name>].update-*` counters.

use std::net::SocketAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use kea_stats::StatsMgr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};
use tokio::time::{Instant, timeout};
use tracing::debug;

use crate::domains::DnsServer;
use crate::tsig::{TsigKey, TsigVerifyError};

/// Statistic names (INVENTORY §9.3).
pub mod stat {
    /// NCRs accepted.
    pub const NCR_RECEIVED: &str = "ncr-received";
    /// NCRs rejected as invalid.
    pub const NCR_INVALID: &str = "ncr-invalid";
    /// NCR receive errors.
    pub const NCR_ERROR: &str = "ncr-error";
    /// Updates sent.
    pub const UPDATE_SENT: &str = "update-sent";
    /// Updates sent with TSIG.
    pub const UPDATE_SIGNED: &str = "update-signed";
    /// Updates sent without TSIG.
    pub const UPDATE_UNSIGNED: &str = "update-unsigned";
    /// Updates answered (any RCODE) with a valid answer.
    pub const UPDATE_SUCCESS: &str = "update-success";
    /// Updates without an answer in time.
    pub const UPDATE_TIMEOUT: &str = "update-timeout";
    /// Updates with an invalid or unverifiable answer, or an I/O error.
    pub const UPDATE_ERROR: &str = "update-error";
    /// The global statistics created at startup.
    pub const GLOBAL: [&str; 9] = [
        NCR_RECEIVED,
        NCR_INVALID,
        NCR_ERROR,
        UPDATE_SENT,
        UPDATE_SIGNED,
        UPDATE_UNSIGNED,
        UPDATE_SUCCESS,
        UPDATE_TIMEOUT,
        UPDATE_ERROR,
    ];
    /// The per-key statistics (`key[<name>].<stat>`).
    pub const PER_KEY: [&str; 4] = [
        "update-sent",
        "update-success",
        "update-timeout",
        "update-error",
    ];

    /// `key[<name>].<stat>`; like Kea, the name is the key's absolute domain name (with the
    /// trailing dot): `key[d2-key.].update-sent`.
    pub fn key(name: &str, stat: &str) -> String {
        let dot = if name.ends_with('.') { "" } else { "." };
        format!("key[{name}{dot}].{stat}")
    }
}

/// What one exchange with one server gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A valid answer with this RCODE (0 NOERROR, 6 YXDOMAIN, 8 NXRRSET, ...).
    Answer(u16),
    /// No answer within `dns-server-timeout`.
    Timeout,
    /// Network error, malformed answer or failed TSIG verification.
    Error(ExchangeError),
}

/// Why an exchange failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExchangeError {
    /// Sending or receiving failed.
    #[error("I/O error: {reason}")]
    Io {
        /// The OS message.
        reason: String,
    },
    /// The answer is too short or not a response to our query.
    #[error("malformed DNS answer")]
    Malformed,
    /// The answer's TSIG did not verify.
    #[error("TSIG verification failed: {0}")]
    Tsig(#[from] TsigVerifyError),
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Sends the encoded (unsigned) `message` to `server`, signing it with the server's key,
/// and counts the statistics.
pub async fn exchange(
    message: &[u8],
    server: &DnsServer,
    wait: Duration,
    stats: &StatsMgr,
) -> Outcome {
    let mut wire = message.to_vec();
    let mac = server.key.as_ref().map(|k| k.sign(&mut wire, now()));
    let _ = stats.add_value(stat::UPDATE_SENT, 1i64);
    match &server.key {
        Some(k) => {
            let _ = stats.add_value(stat::UPDATE_SIGNED, 1i64);
            let _ = stats.add_value(&stat::key(k.name(), "update-sent"), 1i64);
        }
        None => {
            let _ = stats.add_value(stat::UPDATE_UNSIGNED, 1i64);
        }
    }
    let outcome = match timeout(wait, send_receive(&wire, server.addr, wait)).await {
        Err(_) => Outcome::Timeout,
        Ok(Err(e)) => Outcome::Error(e),
        Ok(Ok(answer)) => check_answer(&wire, &answer, server, mac.as_deref()),
    };
    let which = match outcome {
        Outcome::Answer(_) => "update-success",
        Outcome::Timeout => "update-timeout",
        Outcome::Error(_) => "update-error",
    };
    let _ = stats.add_value(which, 1i64);
    if let Some(k) = &server.key {
        let _ = stats.add_value(&stat::key(k.name(), which), 1i64);
    }
    debug!(target: "kea-dhcp-ddns.d2-to-dns", msgid = "DHCP_DDNS_UPDATE_RESPONSE_RECEIVED",
        "update to {} gave {outcome:?}", server.addr);
    outcome
}

fn check_answer(query: &[u8], answer: &[u8], server: &DnsServer, mac: Option<&[u8]>) -> Outcome {
    check_answer_at(query, answer, server.key.as_deref(), mac, now())
}

/// Checks the `answer` received for the signed `query` at `now` (seconds since the epoch):
/// it must be a response (QR set) of at least a header, with the query's ID, and, when the
/// query was signed with `key` and gave `request_mac`, carry a TSIG that verifies (RFC 8945
/// §5.3). Gives the answer's RCODE, or why it is not acceptable. Pure: no I/O, no clock.
pub fn check_answer_at(
    query: &[u8],
    answer: &[u8],
    key: Option<&TsigKey>,
    request_mac: Option<&[u8]>,
    now: u64,
) -> Outcome {
    if answer.len() < 12 || answer.get(..2) != query.get(..2) || answer[2] & 0x80 == 0 {
        return Outcome::Error(ExchangeError::Malformed);
    }
    if let (Some(key), Some(mac)) = (key, request_mac)
        && let Err(e) = key.verify(answer, mac, now)
    {
        return Outcome::Error(e.into());
    }
    Outcome::Answer(u16::from(answer[3] & 0x0f))
}

async fn send_receive(
    wire: &[u8],
    addr: SocketAddr,
    wait: Duration,
) -> Result<Vec<u8>, ExchangeError> {
    let io = |e: std::io::Error| ExchangeError::Io {
        reason: e.to_string(),
    };
    let local: SocketAddr = if addr.is_ipv4() {
        "0.0.0.0:0".parse().map_err(|_| ExchangeError::Malformed)?
    } else {
        "[::]:0".parse().map_err(|_| ExchangeError::Malformed)?
    };
    let sock = UdpSocket::bind(local).await.map_err(io)?;
    sock.send_to(wire, addr).await.map_err(io)?;
    let deadline = Instant::now() + wait;
    let mut buf = vec![0u8; 65535];
    let answer = loop {
        let (n, from) = sock.recv_from(&mut buf).await.map_err(io)?;
        // Ignore strays: another source or another ID.
        if from == addr && n >= 2 && buf[..2] == wire[..2] {
            break buf[..n].to_vec();
        }
        if Instant::now() >= deadline {
            return Err(ExchangeError::Malformed);
        }
    };
    if answer.len() >= 3 && answer[2] & 0x02 != 0 {
        // RFC 2136 §3.8 / RFC 7766: the answer was truncated, retry over TCP.
        return tcp_exchange(wire, addr).await;
    }
    Ok(answer)
}

async fn tcp_exchange(wire: &[u8], addr: SocketAddr) -> Result<Vec<u8>, ExchangeError> {
    let io = |e: std::io::Error| ExchangeError::Io {
        reason: e.to_string(),
    };
    let mut s = TcpStream::connect(addr).await.map_err(io)?;
    let len = u16::try_from(wire.len()).map_err(|_| ExchangeError::Malformed)?;
    let mut out = len.to_be_bytes().to_vec();
    out.extend_from_slice(wire);
    s.write_all(&out).await.map_err(io)?;
    let n = s.read_u16().await.map_err(io)?;
    let mut answer = vec![0u8; usize::from(n)];
    s.read_exact(&mut answer).await.map_err(io)?;
    Ok(answer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn query() -> Vec<u8> {
        let mut q = vec![0u8; 12];
        q[0] = 0x42;
        q[1] = 0x24;
        q[2] = 0x28;
        q
    }

    #[test]
    fn check_answer_at_header_checks() {
        let q = query();
        let mut ans = q.clone();
        ans[2] |= 0x80;
        ans[3] = 8;
        assert_eq!(check_answer_at(&q, &ans, None, None, 0), Outcome::Answer(8));
        let malformed = Outcome::Error(ExchangeError::Malformed);
        assert_eq!(check_answer_at(&q, &q, None, None, 0), malformed);
        assert_eq!(check_answer_at(&q, &ans[..11], None, None, 0), malformed);
        let mut other_id = ans.clone();
        other_id[1] ^= 1;
        assert_eq!(check_answer_at(&q, &other_id, None, None, 0), malformed);
        assert_eq!(check_answer_at(&[], &ans, None, None, 0), malformed);
    }

    #[test]
    fn check_answer_at_requires_tsig_when_signed() {
        let key = TsigKey::new("k.", "HMAC-SHA256", 0, "AAAA").unwrap();
        let mut q = query();
        let mac = key.sign(&mut q, 1_700_000_000);
        let mut ans = query();
        ans[2] |= 0x80;
        assert_eq!(
            check_answer_at(&q, &ans, Some(&key), Some(&mac), 1_700_000_000),
            Outcome::Error(ExchangeError::Tsig(TsigVerifyError::Unsigned))
        );
        assert_eq!(
            check_answer_at(&q, &ans, Some(&key), None, 1_700_000_000),
            Outcome::Answer(0)
        );
    }

    #[tokio::test]
    async fn timeout_counts() {
        let silent = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let stats = StatsMgr::new();
        let key = Arc::new(TsigKey::new("k.", "HMAC-SHA256", 0, "AAAA").unwrap());
        let server = DnsServer {
            addr: silent.local_addr().unwrap(),
            key: Some(key),
        };
        let o = exchange(&query(), &server, Duration::from_millis(50), &stats).await;
        assert_eq!(o, Outcome::Timeout);
        assert_eq!(stats.get_integer("update-timeout"), Some(1));
        assert_eq!(stat::key("k", "update-sent"), "key[k.].update-sent");
        assert_eq!(stats.get_integer("update-signed"), Some(1));
        assert_eq!(stats.get_integer("key[k.].update-timeout"), Some(1));
    }

    /// A fake server answering UDP with TC set and the real answer over TCP.
    #[tokio::test]
    async fn truncated_answer_goes_to_tcp() {
        let udp = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let addr = udp.local_addr().unwrap();
        let tcp = tokio::net::TcpListener::bind(addr).await.unwrap();
        tokio::spawn(async move {
            let mut buf = [0u8; 512];
            let (n, from) = udp.recv_from(&mut buf).await.unwrap();
            let mut a = buf[..n].to_vec();
            a[2] |= 0x82;
            udp.send_to(&a, from).await.unwrap();
            let (mut s, _) = tcp.accept().await.unwrap();
            let len = s.read_u16().await.unwrap();
            let mut q = vec![0u8; len.into()];
            s.read_exact(&mut q).await.unwrap();
            q[2] |= 0x80;
            q[3] = 8; // NXRRSET
            s.write_all(&12u16.to_be_bytes()).await.unwrap();
            s.write_all(&q).await.unwrap();
        });
        let stats = StatsMgr::new();
        let server = DnsServer { addr, key: None };
        let o = exchange(&query(), &server, Duration::from_secs(5), &stats).await;
        assert_eq!(o, Outcome::Answer(8));
        assert_eq!(stats.get_integer("update-success"), Some(1));
        assert_eq!(stats.get_integer("update-unsigned"), Some(1));
    }

    #[tokio::test]
    async fn unsigned_answer_to_signed_query_is_an_error() {
        let udp = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let addr = udp.local_addr().unwrap();
        tokio::spawn(async move {
            let mut buf = [0u8; 512];
            let (_, from) = udp.recv_from(&mut buf).await.unwrap();
            let mut a = buf[..12].to_vec();
            a[2] |= 0x80;
            a[10] = 0;
            a[11] = 0;
            udp.send_to(&a, from).await.unwrap();
        });
        let stats = StatsMgr::new();
        let key = Arc::new(TsigKey::new("k.", "HMAC-MD5", 0, "AAAA").unwrap());
        let server = DnsServer {
            addr,
            key: Some(key),
        };
        let o = exchange(&query(), &server, Duration::from_secs(5), &stats).await;
        assert!(matches!(
            o,
            Outcome::Error(ExchangeError::Tsig(TsigVerifyError::Unsigned))
        ));
        assert_eq!(stats.get_integer("update-error"), Some(1));
        assert_eq!(stats.get_integer("key[k.].update-error"), Some(1));
    }
}
