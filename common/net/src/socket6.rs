//! `Socket6`: the DHCPv6 service socket the server uses.
//!
//! ARM `dhcp6-srv.rst`, "Interface Configuration": DHCPv6 uses UDP/IPv6 only.
//! A [`Listen6::Link`] socket is bound to `[::]:port` on the interface
//! (SO_BINDTODEVICE) and joined to All_DHCP_Relay_Agents_and_Servers
//! (ff02::1:2) and All_DHCP_Servers (ff05::1:3), so it receives multicast and
//! unicast arriving on that link; a [`Listen6::Unicast`] socket is bound to one
//! configured address (`eth0/2001:db8::1`). Answers leave through the
//! binding's interface, from the address the server picks (by default the
//! query's destination, or the link-local address for multicast queries).

use std::io;
use std::net::{Ipv6Addr, SocketAddrV6};

use crate::error::{SendError, SocketError};
use crate::select::{Binding6, Listen6};
use crate::udp::{ALL_DHCP_RELAY_AGENTS_AND_SERVERS, ALL_DHCP_SERVERS, MAX_DATAGRAM, UdpSocket6};

/// A DHCPv6 message as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received6 {
    /// The UDP payload (the DHCPv6 message bytes).
    pub payload: Vec<u8>,
    /// Name of the socket's interface.
    pub iface: String,
    /// Index of the interface it arrived on.
    pub ifindex: u32,
    /// Sender address, port and scope.
    pub src: SocketAddrV6,
    /// Destination address (a multicast group or one of ours).
    pub dst: Ipv6Addr,
    /// Destination port (the server port).
    pub dst_port: u16,
    /// The interface's link-local address, when it has one.
    pub link_local: Option<Ipv6Addr>,
}

impl Received6 {
    /// The source address for the answer, as Kea picks it: the query's
    /// destination when that was unicast, else the link-local address.
    pub fn reply_src(&self) -> Option<Ipv6Addr> {
        if self.dst.is_multicast() {
            self.link_local
        } else {
            Some(self.dst)
        }
    }
}

/// A DHCPv6 answer to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reply6<'a> {
    /// The encoded DHCPv6 message.
    pub payload: &'a [u8],
    /// Destination (client or relay) and port; a zero scope id on a
    /// link-local destination is replaced by the socket's interface.
    pub dst: SocketAddrV6,
    /// Source address; `None` lets the kernel choose.
    pub src_ip: Option<Ipv6Addr>,
}

/// One DHCPv6 service socket.
#[derive(Debug)]
pub struct Socket6 {
    binding: Binding6,
    port: u16,
    sock: UdpSocket6,
}

impl Socket6 {
    /// Opens the socket for `binding` on server port `port`. Must be called
    /// inside a tokio runtime.
    pub fn open(binding: &Binding6, port: u16) -> Result<Self, SocketError> {
        let sock = match binding.listen {
            Listen6::Link => {
                if binding.link_local.is_none() {
                    return Err(SocketError::NoLinkLocal {
                        iface: binding.iface.clone(),
                    });
                }
                let sock = UdpSocket6::bind(Ipv6Addr::UNSPECIFIED, port, 0, Some(&binding.iface))?;
                for group in [ALL_DHCP_RELAY_AGENTS_AND_SERVERS, ALL_DHCP_SERVERS] {
                    sock.join_multicast(group, binding.ifindex, &binding.iface)?;
                }
                sock
            }
            Listen6::Unicast(addr) => {
                let scope = if addr.is_unicast_link_local() {
                    binding.ifindex
                } else {
                    0
                };
                UdpSocket6::bind(addr, port, scope, None)?
            }
        };
        Ok(Self {
            binding: binding.clone(),
            port,
            sock,
        })
    }

    /// The interface and address this socket serves.
    pub fn binding(&self) -> &Binding6 {
        &self.binding
    }

    /// The server port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Receives the next DHCPv6 message. Cancel-safe.
    pub async fn recv(&self) -> io::Result<Received6> {
        let mut buf = vec![0u8; MAX_DATAGRAM];
        let info = self.sock.recv(&mut buf).await?;
        buf.truncate(info.len);
        Ok(Received6 {
            payload: buf,
            iface: self.binding.iface.clone(),
            ifindex: if info.ifindex == 0 {
                self.binding.ifindex
            } else {
                info.ifindex
            },
            src: info.src,
            dst: info.dst,
            dst_port: self.port,
            link_local: self.binding.link_local,
        })
    }

    /// Sends an answer out of the socket's interface.
    pub async fn send(&self, reply: &Reply6<'_>) -> Result<(), SendError> {
        let mut dst = reply.dst;
        if dst.scope_id() == 0 && (dst.ip().is_unicast_link_local() || dst.ip().is_multicast()) {
            dst.set_scope_id(self.binding.ifindex);
        }
        let sent = self
            .sock
            .send_to(reply.payload, dst, reply.src_ip, Some(self.binding.ifindex))
            .await?;
        if sent == reply.payload.len() {
            Ok(())
        } else {
            Err(SendError::Short {
                sent,
                len: reply.payload.len(),
            })
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    #[tokio::test]
    async fn unicast_binding_on_loopback() {
        let lo = nix::net::if_::if_nametoindex("lo").unwrap();
        let Ok(probe) = std::net::UdpSocket::bind("[::1]:0") else {
            eprintln!("SKIP: no IPv6 loopback");
            return;
        };
        let port = probe.local_addr().unwrap().port();
        drop(probe);
        let binding = Binding6 {
            iface: "lo".into(),
            ifindex: lo,
            link_local: None,
            listen: Listen6::Unicast(Ipv6Addr::LOCALHOST),
        };
        let sock = Socket6::open(&binding, port).unwrap();
        let relay = tokio::net::UdpSocket::bind("[::1]:0").await.unwrap();
        relay.send_to(b"relay-forw", ("::1", port)).await.unwrap();
        let got = sock.recv().await.unwrap();
        assert_eq!(got.payload, b"relay-forw");
        assert_eq!(got.dst, Ipv6Addr::LOCALHOST);
        assert_eq!(got.ifindex, lo);
        assert_eq!(got.reply_src(), Some(Ipv6Addr::LOCALHOST));
        sock.send(&Reply6 {
            payload: b"relay-repl",
            dst: got.src,
            src_ip: got.reply_src(),
        })
        .await
        .unwrap();
        let mut buf = [0u8; 32];
        let (n, from) = relay.recv_from(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"relay-repl");
        assert_eq!(from.port(), port);
    }

    #[tokio::test]
    async fn link_binding_needs_link_local() {
        let binding = Binding6 {
            iface: "lo".into(),
            ifindex: 1,
            link_local: None,
            listen: Listen6::Link,
        };
        let err = Socket6::open(&binding, 547).unwrap_err();
        assert!(matches!(err, SocketError::NoLinkLocal { .. }), "{err}");
    }

    #[test]
    fn reply_source_rules() {
        let ll: Ipv6Addr = "fe80::1".parse().unwrap();
        let mut r = Received6 {
            payload: Vec::new(),
            iface: "eth0".into(),
            ifindex: 2,
            src: SocketAddrV6::new("fe80::2".parse().unwrap(), 546, 0, 2),
            dst: ALL_DHCP_RELAY_AGENTS_AND_SERVERS,
            dst_port: 547,
            link_local: Some(ll),
        };
        assert_eq!(r.reply_src(), Some(ll));
        r.dst = "2001:db8::1".parse().unwrap();
        assert_eq!(r.reply_src(), Some(r.dst));
    }
}
