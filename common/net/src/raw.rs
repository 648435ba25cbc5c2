//! AF_PACKET raw sockets for DHCPv4 (`dhcp-socket-type: raw`).
//!
//! Owns [`RawSocket4`]: one packet socket per interface address, with the
//! classic BPF filter from `bpf` so only IPv4/UDP to the server port for that
//! address (or broadcast) reaches us, plus a UDP socket on the same address
//! and port. ARM `dhcp4-srv.rst`, "Interface Configuration": raw sockets let
//! the server answer directly connected clients that have no address yet, by
//! writing the Ethernet/IP/UDP headers itself (`frame`).
//!
//! The UDP socket mirrors Kea (checked with `ss -ulpn` on kea-dhcp4 2.2 in raw
//! mode: one UDP socket on `address:67` beside the packet socket): it keeps
//! the port reserved and stops the kernel from answering unicast datagrams
//! with ICMP port-unreachable. Every datagram it receives also arrives on the
//! packet socket, so its queue is drained and discarded: a unicast renewal is
//! delivered exactly once. It is also used to send answers that have no
//! destination MAC (to a relay), letting the kernel resolve the next hop.

use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddrV4};
use std::os::fd::AsFd;

use socket2::{Domain, Socket, Type};
use tokio::io::unix::AsyncFd;

use crate::bpf::dhcp4_server_filter;
use crate::error::{SendError, SocketError};
use crate::frame::{ETHERTYPE_IPV4, UdpFrame, build_frame, parse_frame};
use crate::mac::MacAddr;
use crate::select::Binding4;
use crate::sys::{bind_packet, register_async};
use crate::udp::UdpSocket4;

/// Largest frame read: a maximal IPv4 datagram plus the Ethernet header.
/// Largest frame read: a jumbo Ethernet frame. A DHCP packet never comes close, and a
/// smaller buffer is cheaper to clear on every receive.
const MAX_FRAME: usize = 9_216 + 14;

/// A frame received on a raw socket, headers decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawReceived {
    /// UDP payload.
    pub payload: Vec<u8>,
    /// Ethernet source address.
    pub src_mac: MacAddr,
    /// Ethernet destination address.
    pub dst_mac: MacAddr,
    /// IPv4 source address and UDP source port.
    pub src: SocketAddrV4,
    /// IPv4 destination address and UDP destination port.
    pub dst: SocketAddrV4,
    /// Index of the interface the socket is bound to.
    pub ifindex: u32,
}

/// A DHCPv4 raw socket on one interface address.
#[derive(Debug)]
pub struct RawSocket4 {
    packet: AsyncFd<Socket>,
    reserve: UdpSocket4,
    iface: String,
    ifindex: u32,
    mac: MacAddr,
    addr: Ipv4Addr,
    port: u16,
}

impl RawSocket4 {
    /// Opens the packet socket on `binding`'s interface for UDP port `port`
    /// to `binding.addr` or broadcast (any destination when `binding.addr` is
    /// 0.0.0.0), and the port-reserving UDP socket on
    /// `binding.addr:port`. Must be called inside a tokio runtime; needs
    /// CAP_NET_RAW.
    pub fn open(binding: &Binding4, port: u16) -> Result<Self, SocketError> {
        let mac = binding.mac.ok_or_else(|| SocketError::NoHardwareAddress {
            iface: binding.iface.clone(),
        })?;
        // Reserve the port first: if it is taken, fail before touching
        // AF_PACKET (as Kea does).
        let reserve = UdpSocket4::bind(binding.addr, port, None)?;
        // Protocol 0: the socket receives nothing until bound to the
        // interface, so no frame from another interface is ever queued.
        let sock =
            Socket::new(Domain::PACKET, Type::RAW, None).map_err(|source| SocketError::Create {
                kind: "AF_PACKET",
                source,
            })?;
        // 0.0.0.0 serves every destination address (used by clients and tests).
        let local = (!binding.addr.is_unspecified()).then_some(binding.addr);
        let filter: Vec<socket2::SockFilter> = dhcp4_server_filter(port, local)
            .into_iter()
            .map(Into::into)
            .collect();
        sock.attach_filter(&filter)
            .map_err(|source| SocketError::SetOption {
                option: "SO_ATTACH_FILTER",
                source,
            })?;
        // EtherType IPv4 (not ETH_P_ALL): our own outgoing frames are not
        // looped back to us.
        bind_packet(sock.as_fd(), binding.ifindex, ETHERTYPE_IPV4).map_err(|source| {
            SocketError::BindPacket {
                iface: binding.iface.clone(),
                ifindex: binding.ifindex,
                source,
            }
        })?;
        sock.set_nonblocking(true)
            .map_err(|source| SocketError::SetOption {
                option: "O_NONBLOCK",
                source,
            })?;
        let packet = register_async(sock).map_err(|source| SocketError::Register { source })?;
        Ok(Self {
            packet,
            reserve,
            iface: binding.iface.clone(),
            ifindex: binding.ifindex,
            mac,
            addr: binding.addr,
            port,
        })
    }

    /// The interface name.
    pub fn iface(&self) -> &str {
        &self.iface
    }

    /// The interface index.
    pub fn ifindex(&self) -> u32 {
        self.ifindex
    }

    /// The interface hardware address (source of sent frames).
    pub fn mac(&self) -> MacAddr {
        self.mac
    }

    /// The served address.
    pub fn addr(&self) -> Ipv4Addr {
        self.addr
    }

    /// The server port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Receives the next valid DHCP frame. Frames that fail validation
    /// (truncated, bad IP checksum, fragments) are dropped silently, and the
    /// reserving UDP socket is drained meanwhile. Cancel-safe.
    pub async fn recv(&self) -> io::Result<RawReceived> {
        let mut buf = vec![0u8; MAX_FRAME];
        loop {
            tokio::select! {
                ready = self.packet.readable() => {
                    let mut guard = ready?;
                    let Ok(read) = guard.try_io(|inner| inner.get_ref().read(&mut buf)) else {
                        continue;
                    };
                    let n = read?;
                    let Some(frame) = buf.get(..n) else { continue };
                    match parse_frame(frame) {
                        Ok(f) if f.dst_port == self.port => {
                            return Ok(RawReceived {
                                payload: f.payload.to_vec(),
                                src_mac: f.src_mac,
                                dst_mac: f.dst_mac,
                                src: SocketAddrV4::new(f.src_ip, f.src_port),
                                dst: SocketAddrV4::new(f.dst_ip, f.dst_port),
                                ifindex: self.ifindex,
                            });
                        }
                        Ok(_) => {}
                        Err(error) => {
                            tracing::debug!(target: "kea-net", iface = %self.iface, %error, "dropping malformed frame");
                        }
                    }
                }
                drained = self.reserve.discard() => drained?,
            }
        }
    }

    /// Sends `payload` in a frame from this interface's MAC and `src_ip`,
    /// UDP source port = the server port, to `dst_mac` / `dst`.
    pub async fn send_frame(
        &self,
        payload: &[u8],
        dst_mac: MacAddr,
        dst: SocketAddrV4,
        src_ip: Ipv4Addr,
    ) -> Result<(), SendError> {
        let mut frame = Vec::new();
        build_frame(
            &UdpFrame {
                src_mac: self.mac,
                dst_mac,
                src_ip,
                dst_ip: *dst.ip(),
                src_port: self.port,
                dst_port: dst.port(),
                payload,
            },
            &mut frame,
        )?;
        loop {
            let mut guard = self.packet.writable().await?;
            if let Ok(sent) = guard.try_io(|inner| inner.get_ref().write(&frame)) {
                let sent = sent?;
                return if sent == frame.len() {
                    Ok(())
                } else {
                    Err(SendError::Short {
                        sent,
                        len: frame.len(),
                    })
                };
            }
        }
    }

    /// Sends `payload` as an ordinary UDP datagram through the reserving
    /// socket (kernel routing and ARP), from `src_ip`, out of this interface
    /// unless `use_routing`.
    pub async fn send_udp(
        &self,
        payload: &[u8],
        dst: SocketAddrV4,
        src_ip: Ipv4Addr,
        use_routing: bool,
    ) -> Result<(), SendError> {
        let ifindex = (!use_routing).then_some(self.ifindex);
        let sent = self
            .reserve
            .send_to(payload, dst, Some(src_ip), ifindex)
            .await?;
        if sent == payload.len() {
            Ok(())
        } else {
            Err(SendError::Short {
                sent,
                len: payload.len(),
            })
        }
    }
}
