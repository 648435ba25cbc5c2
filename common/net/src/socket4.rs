//! `Socket4`: the DHCPv4 service socket the server uses, hiding whether it is
//! a UDP or a raw (AF_PACKET) socket.
//!
//! ARM `dhcp4-srv.rst`, "Interface Configuration": `dhcp-socket-type` picks
//! raw (default: direct clients without an address can be answered at the
//! link layer) or udp (relayed traffic only); `outbound-interface` picks
//! whether answers leave through the inbound interface or by routing. The
//! server decides addresses and MACs; this module only carries them out.

use std::io;
use std::net::{Ipv4Addr, SocketAddrV4};

use crate::error::{SendError, SocketError};
use crate::mac::MacAddr;
use crate::raw::RawSocket4;
use crate::select::{Binding4, DhcpSocketType, OutboundInterface};
use crate::udp::{MAX_DATAGRAM, UdpSocket4};

/// A DHCPv4 message as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received4 {
    /// The UDP payload (the DHCP message bytes).
    pub payload: Vec<u8>,
    /// Name of the socket's interface (Kea attributes a packet to the
    /// interface of the socket it came in on).
    pub iface: String,
    /// Index of the interface it arrived on.
    pub ifindex: u32,
    /// Sender address and port.
    pub src: SocketAddrV4,
    /// Destination address (255.255.255.255 for broadcast) and port.
    pub dst: SocketAddrV4,
    /// The address the receiving socket serves (a sensible reply source for
    /// broadcast queries).
    pub local_addr: Ipv4Addr,
    /// Ethernet source (raw sockets only).
    pub src_mac: Option<MacAddr>,
    /// Ethernet destination (raw sockets only).
    pub dst_mac: Option<MacAddr>,
}

/// A DHCPv4 answer to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reply4<'a> {
    /// The encoded DHCP message.
    pub payload: &'a [u8],
    /// Destination address (a client, a relay, or 255.255.255.255).
    pub dst_ip: Ipv4Addr,
    /// Destination UDP port (68 to clients, 67 to relays).
    pub dst_port: u16,
    /// Link-layer destination. With a raw socket, `Some` sends a frame built
    /// here (to a client's `chaddr` or broadcast); `None` sends through the
    /// kernel, which resolves the next hop. Ignored by UDP sockets.
    pub dst_mac: Option<MacAddr>,
    /// Source address.
    pub src_ip: Ipv4Addr,
    /// Out of the socket's interface, or by routing (UDP path only).
    pub outbound: OutboundInterface,
}

#[derive(Debug)]
enum Kind {
    Udp(UdpSocket4),
    Raw(RawSocket4),
}

/// One DHCPv4 service socket on one interface address.
#[derive(Debug)]
pub struct Socket4 {
    binding: Binding4,
    port: u16,
    kind: Kind,
}

impl Socket4 {
    /// Opens a socket of `socket_type` for `binding` on server port `port`.
    /// A UDP socket is bound to the binding's address (as Kea does), so it
    /// receives unicast only. Must be called inside a tokio runtime.
    pub fn open(
        binding: &Binding4,
        socket_type: DhcpSocketType,
        port: u16,
    ) -> Result<Self, SocketError> {
        let kind = match socket_type {
            DhcpSocketType::Udp => Kind::Udp(UdpSocket4::bind(binding.addr, port, None)?),
            DhcpSocketType::Raw => Kind::Raw(RawSocket4::open(binding, port)?),
        };
        Ok(Self {
            binding: binding.clone(),
            port,
            kind,
        })
    }

    /// The interface and address this socket serves.
    pub fn binding(&self) -> &Binding4 {
        &self.binding
    }

    /// The server port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The socket type.
    pub fn socket_type(&self) -> DhcpSocketType {
        match self.kind {
            Kind::Udp(_) => DhcpSocketType::Udp,
            Kind::Raw(_) => DhcpSocketType::Raw,
        }
    }

    /// Receives the next DHCPv4 message. Cancel-safe.
    pub async fn recv(&self) -> io::Result<Received4> {
        match &self.kind {
            Kind::Udp(sock) => {
                let mut buf = vec![0u8; MAX_DATAGRAM];
                let info = sock.recv(&mut buf).await?;
                buf.truncate(info.len);
                Ok(Received4 {
                    payload: buf,
                    iface: self.binding.iface.clone(),
                    ifindex: if info.ifindex == 0 {
                        self.binding.ifindex
                    } else {
                        info.ifindex
                    },
                    src: info.src,
                    dst: SocketAddrV4::new(info.dst, self.port),
                    local_addr: self.binding.addr,
                    src_mac: None,
                    dst_mac: None,
                })
            }
            Kind::Raw(sock) => {
                let r = sock.recv().await?;
                Ok(Received4 {
                    payload: r.payload,
                    iface: self.binding.iface.clone(),
                    ifindex: r.ifindex,
                    src: r.src,
                    dst: r.dst,
                    local_addr: self.binding.addr,
                    src_mac: Some(r.src_mac),
                    dst_mac: Some(r.dst_mac),
                })
            }
        }
    }

    /// Sends an answer (see [`Reply4`] for how each field is used).
    pub async fn send(&self, reply: &Reply4<'_>) -> Result<(), SendError> {
        let dst = SocketAddrV4::new(reply.dst_ip, reply.dst_port);
        let use_routing = reply.outbound == OutboundInterface::UseRouting;
        match &self.kind {
            Kind::Udp(sock) => {
                let ifindex = (!use_routing).then_some(self.binding.ifindex);
                let sent = sock
                    .send_to(reply.payload, dst, Some(reply.src_ip), ifindex)
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
            Kind::Raw(sock) => match reply.dst_mac {
                Some(mac) => sock.send_frame(reply.payload, mac, dst, reply.src_ip).await,
                None => {
                    sock.send_udp(reply.payload, dst, reply.src_ip, use_routing)
                        .await
                }
            },
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use crate::iface::IfaceMgr;

    fn lo_binding() -> Binding4 {
        let mgr = IfaceMgr::detect().unwrap();
        let lo = mgr.get_by_name("lo").unwrap();
        Binding4 {
            iface: "lo".into(),
            ifindex: lo.index,
            mac: lo.mac,
            addr: Ipv4Addr::LOCALHOST,
        }
    }

    #[tokio::test]
    async fn udp_socket4_round_trip_on_loopback() {
        // Port 0 cannot be used with Socket4 (the port is the server port), so
        // find a free one first.
        let port = std::net::UdpSocket::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let sock = Socket4::open(&lo_binding(), DhcpSocketType::Udp, port).unwrap();
        assert_eq!(sock.socket_type(), DhcpSocketType::Udp);
        let relay = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
        relay
            .send_to(b"relayed discover", ("127.0.0.1", port))
            .await
            .unwrap();
        let got = sock.recv().await.unwrap();
        assert_eq!(got.payload, b"relayed discover");
        assert_eq!(got.iface, "lo");
        assert_eq!(got.dst, SocketAddrV4::new(Ipv4Addr::LOCALHOST, port));
        assert_eq!(got.local_addr, Ipv4Addr::LOCALHOST);
        assert_eq!(got.src_mac, None);

        let reply = Reply4 {
            payload: b"offer",
            dst_ip: *got.src.ip(),
            dst_port: got.src.port(),
            dst_mac: None,
            src_ip: Ipv4Addr::new(127, 0, 0, 5),
            outbound: OutboundInterface::SameAsInbound,
        };
        sock.send(&reply).await.unwrap();
        let mut buf = [0u8; 32];
        let (n, from) = relay.recv_from(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"offer");
        assert_eq!(
            from,
            std::net::SocketAddr::from((Ipv4Addr::new(127, 0, 0, 5), port))
        );

        // use-routing: no pktinfo interface, kernel chooses; still delivered.
        let routed = Reply4 {
            outbound: OutboundInterface::UseRouting,
            ..reply
        };
        sock.send(&routed).await.unwrap();
        let (n, _) = relay.recv_from(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"offer");
    }
}
