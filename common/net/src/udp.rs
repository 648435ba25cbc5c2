//! UDP sockets for DHCP with packet information (IP_PKTINFO / IPV6_PKTINFO).
//!
//! Owns [`UdpSocket4`] and [`UdpSocket6`]: sockets bound to a port, either on
//! one address (Kea's `udp` socket type binds every served address) or on the
//! wildcard address restricted to one device (SO_BINDTODEVICE). Receiving
//! reports the destination address and incoming interface index from the
//! kernel's packet-info control message; sending can choose the source address
//! and the outgoing interface through the same control message, which is how
//! an answer to 255.255.255.255 or to a link-local address leaves through the
//! right interface. ARM `dhcp4-srv.rst` / `dhcp6-srv.rst`, "Interface
//! Configuration".

use std::io::{self, IoSlice, IoSliceMut};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::os::fd::AsRawFd;

use nix::sys::socket::{
    ControlMessage, ControlMessageOwned, MsgFlags, SockaddrIn, SockaddrIn6, recvmsg, sendmsg,
    setsockopt, sockopt,
};
use socket2::{Domain, Protocol, Socket, Type};
use tokio::io::Interest;

use crate::error::SocketError;

/// Receive buffer size: the largest UDP datagram.
pub const MAX_DATAGRAM: usize = 65_535;

/// DHCPv6 All_DHCP_Relay_Agents_and_Servers (RFC 8415 §7.1), link scope.
pub const ALL_DHCP_RELAY_AGENTS_AND_SERVERS: Ipv6Addr = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 1, 2);
/// DHCPv6 All_DHCP_Servers (RFC 8415 §7.1), site scope.
pub const ALL_DHCP_SERVERS: Ipv6Addr = Ipv6Addr::new(0xff05, 0, 0, 0, 0, 0, 1, 3);

/// What the kernel told about a received IPv4 datagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecvInfo4 {
    /// Payload length written to the buffer.
    pub len: usize,
    /// Sender address and port.
    pub src: SocketAddrV4,
    /// Destination address of the datagram (may be 255.255.255.255).
    pub dst: Ipv4Addr,
    /// Index of the interface the datagram arrived on.
    pub ifindex: u32,
}

/// What the kernel told about a received IPv6 datagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecvInfo6 {
    /// Payload length written to the buffer.
    pub len: usize,
    /// Sender address, port and scope.
    pub src: SocketAddrV6,
    /// Destination address (may be a multicast group).
    pub dst: Ipv6Addr,
    /// Index of the interface the datagram arrived on.
    pub ifindex: u32,
}

fn opt(option: &'static str) -> impl FnOnce(io::Error) -> SocketError {
    move |source| SocketError::SetOption { option, source }
}

fn nix_opt(option: &'static str) -> impl FnOnce(nix::Error) -> SocketError {
    move |e| SocketError::SetOption {
        option,
        source: io::Error::from(e),
    }
}

fn bind_common(sock: &Socket, addr: SocketAddr, device: Option<&str>) -> Result<(), SocketError> {
    sock.set_reuse_address(true).map_err(opt("SO_REUSEADDR"))?;
    if let Some(dev) = device {
        sock.bind_device(Some(dev.as_bytes()))
            .map_err(|source| SocketError::BindDevice {
                iface: dev.to_owned(),
                source,
            })?;
    }
    sock.set_nonblocking(true).map_err(opt("O_NONBLOCK"))?;
    sock.bind(&addr.into())
        .map_err(|source| SocketError::Bind { addr, source })
}

fn into_tokio(sock: Socket) -> Result<tokio::net::UdpSocket, SocketError> {
    crate::sys::require_runtime()
        .and_then(|()| tokio::net::UdpSocket::from_std(sock.into()))
        .map_err(|source| SocketError::Register { source })
}

/// A UDP/IPv4 socket with IP_PKTINFO and SO_BROADCAST.
#[derive(Debug)]
pub struct UdpSocket4 {
    sock: tokio::net::UdpSocket,
    local: SocketAddrV4,
}

impl UdpSocket4 {
    /// Binds `addr:port` (use 0.0.0.0 with `device` for a per-interface
    /// socket). Port 0 picks an ephemeral port. Must be called inside a tokio
    /// runtime.
    pub fn bind(addr: Ipv4Addr, port: u16, device: Option<&str>) -> Result<Self, SocketError> {
        let sock =
            Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::UDP)).map_err(|source| {
                SocketError::Create {
                    kind: "UDP/IPv4",
                    source,
                }
            })?;
        sock.set_broadcast(true).map_err(opt("SO_BROADCAST"))?;
        setsockopt(&sock, sockopt::Ipv4PacketInfo, &true).map_err(nix_opt("IP_PKTINFO"))?;
        bind_common(&sock, SocketAddrV4::new(addr, port).into(), device)?;
        let sock = into_tokio(sock)?;
        let local = match sock.local_addr() {
            Ok(SocketAddr::V4(a)) => a,
            _ => SocketAddrV4::new(addr, port),
        };
        Ok(Self { sock, local })
    }

    /// The bound address and port.
    pub fn local_addr(&self) -> SocketAddrV4 {
        self.local
    }

    /// Receives one datagram into `buf` with its destination address and
    /// incoming interface. Cancel-safe.
    pub async fn recv(&self, buf: &mut [u8]) -> io::Result<RecvInfo4> {
        let fd = self.sock.as_raw_fd();
        self.sock
            .async_io(Interest::READABLE, || {
                let mut iov = [IoSliceMut::new(&mut *buf)];
                let mut cmsg = nix::cmsg_space!(libc::in_pktinfo);
                let msg =
                    recvmsg::<SockaddrIn>(fd, &mut iov, Some(&mut cmsg), MsgFlags::MSG_DONTWAIT)
                        .map_err(io::Error::from)?;
                let src = msg
                    .address
                    .map(|a| SocketAddrV4::new(a.ip(), a.port()))
                    .unwrap_or_else(|| SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0));
                let mut info = RecvInfo4 {
                    len: msg.bytes,
                    src,
                    dst: self.local.ip().to_owned(),
                    ifindex: 0,
                };
                for c in msg.cmsgs().map_err(io::Error::from)? {
                    if let ControlMessageOwned::Ipv4PacketInfo(pi) = c {
                        info.dst = Ipv4Addr::from(u32::from_be(pi.ipi_addr.s_addr));
                        info.ifindex = u32::try_from(pi.ipi_ifindex).unwrap_or(0);
                    }
                }
                Ok(info)
            })
            .await
    }

    /// Receives and throws away one datagram (used to keep a port-reserving
    /// socket's queue empty). Cancel-safe.
    pub async fn discard(&self) -> io::Result<()> {
        let mut scratch = [0u8; 1];
        self.sock.recv(&mut scratch).await.map(drop)
    }

    /// Sends `payload` to `dst`. `src` sets the source address and `ifindex`
    /// the outgoing interface (through IP_PKTINFO); `None` for both lets the
    /// kernel route. Returns the bytes sent.
    pub async fn send_to(
        &self,
        payload: &[u8],
        dst: SocketAddrV4,
        src: Option<Ipv4Addr>,
        ifindex: Option<u32>,
    ) -> io::Result<usize> {
        let fd = self.sock.as_raw_fd();
        let pktinfo = libc::in_pktinfo {
            ipi_ifindex: ifindex.and_then(|i| i32::try_from(i).ok()).unwrap_or(0),
            ipi_spec_dst: libc::in_addr {
                s_addr: u32::from(src.unwrap_or(Ipv4Addr::UNSPECIFIED)).to_be(),
            },
            ipi_addr: libc::in_addr { s_addr: 0 },
        };
        let with_info = src.is_some() || ifindex.is_some();
        let dst = SockaddrIn::from(dst);
        self.sock
            .async_io(Interest::WRITABLE, || {
                let cmsg = [ControlMessage::Ipv4PacketInfo(&pktinfo)];
                let cmsgs: &[ControlMessage<'_>] = if with_info { &cmsg } else { &[] };
                sendmsg(
                    fd,
                    &[IoSlice::new(payload)],
                    cmsgs,
                    MsgFlags::empty(),
                    Some(&dst),
                )
                .map_err(io::Error::from)
            })
            .await
    }
}

/// A UDP/IPv6 socket with IPV6_RECVPKTINFO and IPV6_V6ONLY.
#[derive(Debug)]
pub struct UdpSocket6 {
    sock: tokio::net::UdpSocket,
    local: SocketAddrV6,
}

impl UdpSocket6 {
    /// Binds `[addr]:port` (scope `scope_id` for a link-local address; use
    /// `::` with `device` for a per-interface socket). Port 0 picks an
    /// ephemeral port. Must be called inside a tokio runtime.
    pub fn bind(
        addr: Ipv6Addr,
        port: u16,
        scope_id: u32,
        device: Option<&str>,
    ) -> Result<Self, SocketError> {
        let sock =
            Socket::new(Domain::IPV6, Type::DGRAM, Some(Protocol::UDP)).map_err(|source| {
                SocketError::Create {
                    kind: "UDP/IPv6",
                    source,
                }
            })?;
        sock.set_only_v6(true).map_err(opt("IPV6_V6ONLY"))?;
        setsockopt(&sock, sockopt::Ipv6RecvPacketInfo, &true)
            .map_err(nix_opt("IPV6_RECVPKTINFO"))?;
        bind_common(
            &sock,
            SocketAddrV6::new(addr, port, 0, scope_id).into(),
            device,
        )?;
        let sock = into_tokio(sock)?;
        let local = match sock.local_addr() {
            Ok(SocketAddr::V6(a)) => a,
            _ => SocketAddrV6::new(addr, port, 0, scope_id),
        };
        Ok(Self { sock, local })
    }

    /// Joins multicast `group` on interface `ifindex` (`iface` names it in
    /// the error).
    pub fn join_multicast(
        &self,
        group: Ipv6Addr,
        ifindex: u32,
        iface: &str,
    ) -> Result<(), SocketError> {
        self.sock
            .join_multicast_v6(&group, ifindex)
            .map_err(|source| SocketError::JoinMulticast {
                group,
                iface: iface.to_owned(),
                source,
            })
    }

    /// The bound address and port.
    pub fn local_addr(&self) -> SocketAddrV6 {
        self.local
    }

    /// Receives one datagram into `buf` with its destination address and
    /// incoming interface. Cancel-safe.
    pub async fn recv(&self, buf: &mut [u8]) -> io::Result<RecvInfo6> {
        let fd = self.sock.as_raw_fd();
        self.sock
            .async_io(Interest::READABLE, || {
                let mut iov = [IoSliceMut::new(&mut *buf)];
                let mut cmsg = nix::cmsg_space!(libc::in6_pktinfo);
                let msg =
                    recvmsg::<SockaddrIn6>(fd, &mut iov, Some(&mut cmsg), MsgFlags::MSG_DONTWAIT)
                        .map_err(io::Error::from)?;
                let src = msg
                    .address
                    .map(|a| SocketAddrV6::new(a.ip(), a.port(), a.flowinfo(), a.scope_id()))
                    .unwrap_or_else(|| SocketAddrV6::new(Ipv6Addr::UNSPECIFIED, 0, 0, 0));
                let mut info = RecvInfo6 {
                    len: msg.bytes,
                    src,
                    dst: *self.local.ip(),
                    ifindex: 0,
                };
                for c in msg.cmsgs().map_err(io::Error::from)? {
                    if let ControlMessageOwned::Ipv6PacketInfo(pi) = c {
                        info.dst = Ipv6Addr::from(pi.ipi6_addr.s6_addr);
                        info.ifindex = pi.ipi6_ifindex;
                    }
                }
                Ok(info)
            })
            .await
    }

    /// Sends `payload` to `dst` (its scope id selects the interface for a
    /// link-local or multicast destination). `src` sets the source address and
    /// `ifindex` the outgoing interface (through IPV6_PKTINFO). Returns the
    /// bytes sent.
    pub async fn send_to(
        &self,
        payload: &[u8],
        dst: SocketAddrV6,
        src: Option<Ipv6Addr>,
        ifindex: Option<u32>,
    ) -> io::Result<usize> {
        let fd = self.sock.as_raw_fd();
        let pktinfo = libc::in6_pktinfo {
            ipi6_addr: libc::in6_addr {
                s6_addr: src.unwrap_or(Ipv6Addr::UNSPECIFIED).octets(),
            },
            ipi6_ifindex: ifindex.unwrap_or(0),
        };
        let with_info = src.is_some() || ifindex.is_some();
        let dst = SockaddrIn6::from(dst);
        self.sock
            .async_io(Interest::WRITABLE, || {
                let cmsg = [ControlMessage::Ipv6PacketInfo(&pktinfo)];
                let cmsgs: &[ControlMessage<'_>] = if with_info { &cmsg } else { &[] };
                sendmsg(
                    fd,
                    &[IoSlice::new(payload)],
                    cmsgs,
                    MsgFlags::empty(),
                    Some(&dst),
                )
                .map_err(io::Error::from)
            })
            .await
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    #[tokio::test]
    async fn v4_loopback_pktinfo_and_chosen_source() {
        let server = UdpSocket4::bind(Ipv4Addr::LOCALHOST, 0, None).unwrap();
        let port = server.local_addr().port();
        let client = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let client_addr = match client.local_addr().unwrap() {
            SocketAddr::V4(a) => a,
            SocketAddr::V6(_) => unreachable!(),
        };
        client.send_to(b"query", ("127.0.0.1", port)).await.unwrap();

        let mut buf = vec![0u8; MAX_DATAGRAM];
        let info = server.recv(&mut buf).await.unwrap();
        assert_eq!(&buf[..info.len], b"query");
        assert_eq!(info.src, client_addr);
        assert_eq!(info.dst, Ipv4Addr::LOCALHOST);
        let lo = nix::net::if_::if_nametoindex("lo").unwrap();
        assert_eq!(info.ifindex, lo);

        // Answer from another loopback address, out of lo.
        let src = Ipv4Addr::new(127, 0, 0, 3);
        let n = server
            .send_to(b"answer", info.src, Some(src), Some(info.ifindex))
            .await
            .unwrap();
        assert_eq!(n, 6);
        let mut rbuf = [0u8; 64];
        let (n, from) = client.recv_from(&mut rbuf).await.unwrap();
        assert_eq!(&rbuf[..n], b"answer");
        assert_eq!(from, SocketAddr::from((src, port)));
    }

    #[tokio::test]
    async fn v4_port_in_use_is_a_bind_error() {
        let first = UdpSocket4::bind(Ipv4Addr::LOCALHOST, 0, None).unwrap();
        // SO_REUSEADDR does not let two UDP sockets share a unicast port
        // unless both set it; a plain std socket does not.
        let port = first.local_addr().port();
        drop(first);
        let _plain = std::net::UdpSocket::bind(("127.0.0.1", port)).unwrap();
        let err = UdpSocket4::bind(Ipv4Addr::LOCALHOST, port, None).unwrap_err();
        assert!(matches!(err, SocketError::Bind { .. }), "{err}");
        assert!(err.to_string().contains(&port.to_string()));
    }

    #[tokio::test]
    async fn v4_bind_to_unknown_device_fails_clearly() {
        let err = UdpSocket4::bind(Ipv4Addr::UNSPECIFIED, 0, Some("nosuchdev0")).unwrap_err();
        if nix::unistd::geteuid().is_root() {
            assert!(
                matches!(err, SocketError::BindDevice { ref iface, .. } if iface == "nosuchdev0"),
                "{err}"
            );
        }
    }

    #[test]
    fn outside_a_runtime_is_an_error_not_a_panic() {
        let err = UdpSocket4::bind(Ipv4Addr::LOCALHOST, 0, None).unwrap_err();
        assert!(matches!(err, SocketError::Register { .. }), "{err}");
    }

    #[tokio::test]
    async fn v6_loopback_pktinfo() {
        let Ok(server) = UdpSocket6::bind(Ipv6Addr::LOCALHOST, 0, 0, None) else {
            eprintln!("SKIP: no IPv6 loopback");
            return;
        };
        let port = server.local_addr().port();
        let client = tokio::net::UdpSocket::bind("[::1]:0").await.unwrap();
        client.send_to(b"solicit", ("::1", port)).await.unwrap();
        let mut buf = vec![0u8; MAX_DATAGRAM];
        let info = server.recv(&mut buf).await.unwrap();
        assert_eq!(&buf[..info.len], b"solicit");
        assert_eq!(info.dst, Ipv6Addr::LOCALHOST);
        assert_eq!(info.ifindex, nix::net::if_::if_nametoindex("lo").unwrap());
        server
            .send_to(
                b"advertise",
                info.src,
                Some(Ipv6Addr::LOCALHOST),
                Some(info.ifindex),
            )
            .await
            .unwrap();
        let mut rbuf = [0u8; 64];
        let (n, from) = client.recv_from(&mut rbuf).await.unwrap();
        assert_eq!(&rbuf[..n], b"advertise");
        assert_eq!(from.port(), port);
    }
}
