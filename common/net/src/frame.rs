//! Ethernet II / IPv4 / UDP header codec for the raw (AF_PACKET) DHCPv4 path.
//!
//! Pure code, no I/O. With `dhcp-socket-type: raw` (ARM `dhcp4-srv.rst`,
//! "Interface Configuration") the server receives whole frames and must build
//! the whole IP/UDP stack of its answers itself, so that it can reach a client
//! that has no address yet. This module owns that: [`parse_frame`] validates
//! lengths and the IPv4 header checksum and drops fragments; [`build_frame`]
//! writes the headers the way Kea does (TOS low-delay, DF, TTL 128, IP
//! identification 0, header checksum and UDP checksum both computed).
//!
//! It does not look inside the UDP payload (DHCP parsing lives in `kea-dhcp`).

use std::net::Ipv4Addr;

use crate::mac::MacAddr;

/// Length of an Ethernet II header (no VLAN tag).
pub const ETHERNET_HEADER_LEN: usize = 14;
/// Length of an IPv4 header without options.
pub const IPV4_MIN_HEADER_LEN: usize = 20;
/// Length of a UDP header.
pub const UDP_HEADER_LEN: usize = 8;
/// EtherType of IPv4.
pub const ETHERTYPE_IPV4: u16 = 0x0800;
/// IP protocol number of UDP.
pub const IPPROTO_UDP: u8 = 17;
/// IPv4 TOS Kea puts on its raw-socket answers (`IPTOS_LOWDELAY`).
pub const IPTOS_LOWDELAY: u8 = 0x10;
/// TTL Kea puts on its raw-socket answers.
pub const DEFAULT_TTL: u8 = 128;
/// IPv4 "don't fragment" flag (in the flags/fragment-offset word).
const IP_FLAG_DF: u16 = 0x4000;
/// IPv4 "more fragments" flag.
const IP_FLAG_MF: u16 = 0x2000;
/// Mask of the fragment offset.
const IP_OFFSET_MASK: u16 = 0x1fff;

/// Why a received frame was dropped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// Fewer bytes than the header being read needs.
    #[error("truncated {layer} header: {len} bytes, need {need}")]
    Truncated {
        /// "Ethernet", "IPv4" or "UDP".
        layer: &'static str,
        /// Bytes available.
        len: usize,
        /// Bytes needed.
        need: usize,
    },
    /// The EtherType is not IPv4.
    #[error("not an IPv4 frame (ethertype {ethertype:#06x})")]
    NotIpv4 {
        /// The EtherType found.
        ethertype: u16,
    },
    /// The IP version nibble is not 4.
    #[error("IP version {version} instead of 4")]
    BadIpVersion {
        /// The version found.
        version: u8,
    },
    /// The IHL field is below 5 words.
    #[error("IPv4 header length {len} below 20")]
    BadIpHeaderLength {
        /// Header length in bytes.
        len: usize,
    },
    /// The IPv4 total length disagrees with the frame.
    #[error(
        "IPv4 total length {total} inconsistent with header {header} and frame payload {available}"
    )]
    BadIpTotalLength {
        /// The total length field.
        total: usize,
        /// The header length.
        header: usize,
        /// Bytes present after the Ethernet header.
        available: usize,
    },
    /// The IPv4 header checksum does not verify.
    #[error("bad IPv4 header checksum")]
    BadIpChecksum,
    /// A fragment (MF set or non-zero offset); Kea does not reassemble.
    #[error("IPv4 fragment dropped")]
    Fragment,
    /// Not UDP.
    #[error("IP protocol {protocol} is not UDP")]
    NotUdp {
        /// The protocol number found.
        protocol: u8,
    },
    /// The UDP length field disagrees with the IP payload.
    #[error("UDP length {udp_len} inconsistent with IP payload {available}")]
    BadUdpLength {
        /// The UDP length field.
        udp_len: usize,
        /// IP payload bytes.
        available: usize,
    },
}

/// Why a frame could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// UDP payload larger than an IPv4 datagram can hold.
    #[error("UDP payload of {len} bytes exceeds the IPv4 maximum of {max}")]
    PayloadTooLarge {
        /// The payload length.
        len: usize,
        /// The largest payload that fits.
        max: usize,
    },
}

/// A decoded Ethernet/IPv4/UDP frame, borrowing its payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UdpFrame<'a> {
    /// Ethernet source address.
    pub src_mac: MacAddr,
    /// Ethernet destination address.
    pub dst_mac: MacAddr,
    /// IPv4 source address.
    pub src_ip: Ipv4Addr,
    /// IPv4 destination address.
    pub dst_ip: Ipv4Addr,
    /// UDP source port.
    pub src_port: u16,
    /// UDP destination port.
    pub dst_port: u16,
    /// UDP payload (without Ethernet padding).
    pub payload: &'a [u8],
}

fn be16(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}

fn ip_at(b: &[u8], at: usize) -> Ipv4Addr {
    Ipv4Addr::new(b[at], b[at + 1], b[at + 2], b[at + 3])
}

fn mac_at(b: &[u8], at: usize) -> MacAddr {
    let mut m = [0u8; 6];
    m.copy_from_slice(&b[at..at + 6]);
    MacAddr(m)
}

/// One's-complement sum of `data` (RFC 1071), added to `initial`, not yet
/// folded or complemented.
fn ones_sum(initial: u32, data: &[u8]) -> u32 {
    let mut sum = initial;
    let mut chunks = data.chunks_exact(2);
    for c in &mut chunks {
        sum += u32::from(u16::from_be_bytes([c[0], c[1]]));
    }
    if let [last] = chunks.remainder() {
        sum += u32::from(*last) << 8;
    }
    sum
}

/// Folds a 32-bit accumulator to the 16-bit one's-complement checksum.
fn fold(mut sum: u32) -> u16 {
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    // `sum` is now at most 0xffff, so the cast is lossless.
    !(sum as u16)
}

/// RFC 1071 Internet checksum of `data`.
pub fn internet_checksum(data: &[u8]) -> u16 {
    fold(ones_sum(0, data))
}

/// UDP checksum over the IPv4 pseudo-header and `udp` (header with a zero
/// checksum field, then payload). RFC 768: a computed zero is sent as 0xffff.
pub fn udp_checksum(src: Ipv4Addr, dst: Ipv4Addr, udp: &[u8]) -> u16 {
    let mut sum = ones_sum(0, &src.octets());
    sum = ones_sum(sum, &dst.octets());
    sum += u32::from(IPPROTO_UDP);
    // The UDP length always fits 16 bits for a datagram we built or parsed.
    sum += u32::try_from(udp.len()).unwrap_or(u32::MAX) & 0xffff;
    sum = ones_sum(sum, udp);
    match fold(sum) {
        0 => 0xffff,
        c => c,
    }
}

/// Parses an Ethernet II frame carrying IPv4/UDP.
///
/// Validates every length field against the bytes present (trailing Ethernet
/// padding is allowed and ignored), verifies the IPv4 header checksum, and
/// rejects fragments. The UDP checksum is not verified: as in Kea, frames
/// seen on the receive path of virtual links may carry a partial checksum.
pub fn parse_frame(frame: &[u8]) -> Result<UdpFrame<'_>, FrameError> {
    if frame.len() < ETHERNET_HEADER_LEN {
        return Err(FrameError::Truncated {
            layer: "Ethernet",
            len: frame.len(),
            need: ETHERNET_HEADER_LEN,
        });
    }
    let ethertype = be16(frame, 12);
    if ethertype != ETHERTYPE_IPV4 {
        return Err(FrameError::NotIpv4 { ethertype });
    }
    let dst_mac = mac_at(frame, 0);
    let src_mac = mac_at(frame, 6);
    let ip = &frame[ETHERNET_HEADER_LEN..];
    if ip.len() < IPV4_MIN_HEADER_LEN {
        return Err(FrameError::Truncated {
            layer: "IPv4",
            len: ip.len(),
            need: IPV4_MIN_HEADER_LEN,
        });
    }
    let version = ip[0] >> 4;
    if version != 4 {
        return Err(FrameError::BadIpVersion { version });
    }
    let ihl = usize::from(ip[0] & 0x0f) * 4;
    if ihl < IPV4_MIN_HEADER_LEN {
        return Err(FrameError::BadIpHeaderLength { len: ihl });
    }
    let total = usize::from(be16(ip, 2));
    if total < ihl || total > ip.len() {
        return Err(FrameError::BadIpTotalLength {
            total,
            header: ihl,
            available: ip.len(),
        });
    }
    if internet_checksum(&ip[..ihl]) != 0 {
        return Err(FrameError::BadIpChecksum);
    }
    let frag = be16(ip, 6);
    if frag & IP_FLAG_MF != 0 || frag & IP_OFFSET_MASK != 0 {
        return Err(FrameError::Fragment);
    }
    if ip[9] != IPPROTO_UDP {
        return Err(FrameError::NotUdp { protocol: ip[9] });
    }
    let src_ip = ip_at(ip, 12);
    let dst_ip = ip_at(ip, 16);
    let udp = &ip[ihl..total];
    if udp.len() < UDP_HEADER_LEN {
        return Err(FrameError::Truncated {
            layer: "UDP",
            len: udp.len(),
            need: UDP_HEADER_LEN,
        });
    }
    let udp_len = usize::from(be16(udp, 4));
    if udp_len < UDP_HEADER_LEN || udp_len > udp.len() {
        return Err(FrameError::BadUdpLength {
            udp_len,
            available: udp.len(),
        });
    }
    Ok(UdpFrame {
        src_mac,
        dst_mac,
        src_ip,
        dst_ip,
        src_port: be16(udp, 0),
        dst_port: be16(udp, 2),
        payload: &udp[UDP_HEADER_LEN..udp_len],
    })
}

/// Largest UDP payload an IPv4 datagram without options can carry.
pub const MAX_UDP_PAYLOAD: usize = 0xffff - IPV4_MIN_HEADER_LEN - UDP_HEADER_LEN;

/// Builds an Ethernet II + IPv4 + UDP frame around `f.payload`, replacing the
/// contents of `out`.
///
/// Header values follow Kea's raw-socket writer: TOS `IPTOS_LOWDELAY`,
/// identification 0, DF set, TTL 128, and both the IPv4 header checksum and
/// the UDP checksum computed.
pub fn build_frame(f: &UdpFrame<'_>, out: &mut Vec<u8>) -> Result<(), BuildError> {
    let len = f.payload.len();
    if len > MAX_UDP_PAYLOAD {
        return Err(BuildError::PayloadTooLarge {
            len,
            max: MAX_UDP_PAYLOAD,
        });
    }
    // Both fit in u16: checked against MAX_UDP_PAYLOAD above.
    let udp_len = (UDP_HEADER_LEN + len) as u16;
    let ip_total = (IPV4_MIN_HEADER_LEN + UDP_HEADER_LEN + len) as u16;

    out.clear();
    out.reserve(ETHERNET_HEADER_LEN + usize::from(ip_total));
    out.extend_from_slice(&f.dst_mac.0);
    out.extend_from_slice(&f.src_mac.0);
    out.extend_from_slice(&ETHERTYPE_IPV4.to_be_bytes());

    let ip_start = out.len();
    out.push(0x45);
    out.push(IPTOS_LOWDELAY);
    out.extend_from_slice(&ip_total.to_be_bytes());
    out.extend_from_slice(&0u16.to_be_bytes()); // identification
    out.extend_from_slice(&IP_FLAG_DF.to_be_bytes());
    out.push(DEFAULT_TTL);
    out.push(IPPROTO_UDP);
    out.extend_from_slice(&0u16.to_be_bytes()); // checksum, filled below
    out.extend_from_slice(&f.src_ip.octets());
    out.extend_from_slice(&f.dst_ip.octets());
    let ip_sum = internet_checksum(&out[ip_start..]);
    out[ip_start + 10..ip_start + 12].copy_from_slice(&ip_sum.to_be_bytes());

    let udp_start = out.len();
    out.extend_from_slice(&f.src_port.to_be_bytes());
    out.extend_from_slice(&f.dst_port.to_be_bytes());
    out.extend_from_slice(&udp_len.to_be_bytes());
    out.extend_from_slice(&0u16.to_be_bytes()); // checksum, filled below
    out.extend_from_slice(f.payload);
    let udp_sum = udp_checksum(f.src_ip, f.dst_ip, &out[udp_start..]);
    out[udp_start + 6..udp_start + 8].copy_from_slice(&udp_sum.to_be_bytes());
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    fn sample(payload: &[u8]) -> UdpFrame<'_> {
        UdpFrame {
            src_mac: MacAddr([0x02, 0, 0, 0, 0, 1]),
            dst_mac: MacAddr::BROADCAST,
            src_ip: Ipv4Addr::new(192, 0, 2, 1),
            dst_ip: Ipv4Addr::BROADCAST,
            src_port: 67,
            dst_port: 68,
            payload,
        }
    }

    fn built(payload: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        build_frame(&sample(payload), &mut out).unwrap();
        out
    }

    #[test]
    fn rfc1071_example() {
        // RFC 1071 §3 example: sum of 0001 f203 f4f5 f6f7 is ddf2, checksum 220d.
        assert_eq!(
            internet_checksum(&[0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]),
            0x220d
        );
        // Odd length pads with a zero byte.
        assert_eq!(internet_checksum(&[0x01]), !0x0100);
    }

    #[test]
    fn build_then_parse_round_trip() {
        let payload: Vec<u8> = (0..=255u8).cycle().take(301).collect();
        let frame = built(&payload);
        assert_eq!(frame.len(), 14 + 20 + 8 + 301);
        assert_eq!(parse_frame(&frame).unwrap(), sample(&payload));
    }

    #[test]
    fn header_fields_match_kea() {
        let frame = built(b"abc");
        let ip = &frame[14..34];
        assert_eq!(ip[0], 0x45);
        assert_eq!(ip[1], IPTOS_LOWDELAY);
        assert_eq!(&ip[4..6], &[0, 0], "identification");
        assert_eq!(&ip[6..8], &[0x40, 0], "DF, offset 0");
        assert_eq!(ip[8], 128);
        assert_eq!(internet_checksum(ip), 0, "IP header checksum verifies");
        // UDP checksum verifies over the pseudo-header.
        let udp = &frame[34..];
        let mut pseudo = Vec::new();
        pseudo.extend_from_slice(&ip[12..20]);
        pseudo.extend_from_slice(&[0, 17]);
        pseudo.extend_from_slice(&(udp.len() as u16).to_be_bytes());
        pseudo.extend_from_slice(udp);
        assert_eq!(internet_checksum(&pseudo), 0);
        assert_ne!(&udp[6..8], &[0, 0]);
    }

    #[test]
    fn cross_check_with_etherparse() {
        let payload = b"\x01\x01\x06\x00hello dhcp";
        let frame = built(payload);
        let sliced = etherparse::SlicedPacket::from_ethernet(&frame).unwrap();
        let Some(etherparse::NetSlice::Ipv4(ip)) = &sliced.net else {
            panic!("not ipv4: {:?}", sliced.net)
        };
        let h = ip.header().to_header();
        assert_eq!(h.header_checksum, h.calc_header_checksum());
        assert_eq!(h.source, [192, 0, 2, 1]);
        assert_eq!(h.destination, [255, 255, 255, 255]);
        assert!(h.dont_fragment);
        assert_eq!(h.time_to_live, 128);
        let Some(etherparse::TransportSlice::Udp(udp)) = &sliced.transport else {
            panic!("not udp")
        };
        let uh = udp.to_header();
        assert_eq!((uh.source_port, uh.destination_port), (67, 68));
        assert_eq!(uh.checksum, uh.calc_checksum_ipv4(&h, payload).unwrap());
        assert_eq!(udp.payload(), payload);

        // And the other way: a frame etherparse builds parses here.
        let builder = etherparse::PacketBuilder::ethernet2([2, 0, 0, 0, 0, 9], [0xff; 6])
            .ipv4([0, 0, 0, 0], [255, 255, 255, 255], 64)
            .udp(68, 67);
        let mut theirs = Vec::new();
        builder.write(&mut theirs, b"discover").unwrap();
        let p = parse_frame(&theirs).unwrap();
        assert_eq!(p.src_mac, MacAddr([2, 0, 0, 0, 0, 9]));
        assert_eq!(p.src_ip, Ipv4Addr::UNSPECIFIED);
        assert_eq!((p.src_port, p.dst_port), (68, 67));
        assert_eq!(p.payload, b"discover");
    }

    #[test]
    fn ethernet_padding_is_ignored() {
        let mut frame = built(b"x");
        frame.resize(60, 0);
        assert_eq!(parse_frame(&frame).unwrap().payload, b"x");
    }

    #[test]
    fn rejects_bad_ip_checksum() {
        let mut frame = built(b"x");
        frame[14 + 8] = 1; // TTL changed without fixing the checksum
        assert_eq!(parse_frame(&frame), Err(FrameError::BadIpChecksum));
    }

    fn with_ip_word(mut frame: Vec<u8>, at: usize, value: u16) -> Vec<u8> {
        frame[14 + at..14 + at + 2].copy_from_slice(&value.to_be_bytes());
        frame[24..26].copy_from_slice(&[0, 0]);
        let sum = internet_checksum(&frame[14..34]);
        frame[24..26].copy_from_slice(&sum.to_be_bytes());
        frame
    }

    #[test]
    fn rejects_fragments() {
        let mf = with_ip_word(built(b"x"), 6, 0x2000);
        assert_eq!(parse_frame(&mf), Err(FrameError::Fragment));
        let off = with_ip_word(built(b"x"), 6, 0x0001);
        assert_eq!(parse_frame(&off), Err(FrameError::Fragment));
    }

    #[test]
    fn rejects_inconsistent_lengths() {
        let long = with_ip_word(built(b"xy"), 2, 200);
        assert!(matches!(
            parse_frame(&long),
            Err(FrameError::BadIpTotalLength { total: 200, .. })
        ));
        let mut udp_long = built(b"xy");
        udp_long[34 + 4..34 + 6].copy_from_slice(&50u16.to_be_bytes());
        assert!(matches!(
            parse_frame(&udp_long),
            Err(FrameError::BadUdpLength { udp_len: 50, .. })
        ));
        let mut udp_short = built(b"xy");
        udp_short[34 + 4..34 + 6].copy_from_slice(&7u16.to_be_bytes());
        assert!(matches!(
            parse_frame(&udp_short),
            Err(FrameError::BadUdpLength { udp_len: 7, .. })
        ));
    }

    #[test]
    fn rejects_other_protocols_and_truncation() {
        let frame = built(b"x");
        assert!(matches!(
            parse_frame(&frame[..10]),
            Err(FrameError::Truncated {
                layer: "Ethernet",
                ..
            })
        ));
        assert!(matches!(
            parse_frame(&frame[..30]),
            Err(FrameError::Truncated { layer: "IPv4", .. })
        ));
        let mut arp = frame.clone();
        arp[12..14].copy_from_slice(&0x0806u16.to_be_bytes());
        assert_eq!(
            parse_frame(&arp),
            Err(FrameError::NotIpv4 { ethertype: 0x0806 })
        );
        let mut v6 = frame.clone();
        v6[14] = 0x65;
        assert_eq!(
            parse_frame(&v6),
            Err(FrameError::BadIpVersion { version: 6 })
        );
        let tcp = {
            let mut f = frame.clone();
            f[14 + 9] = 6;
            with_ip_word(f, 0, 0x4510)
        };
        assert_eq!(parse_frame(&tcp), Err(FrameError::NotUdp { protocol: 6 }));
    }

    #[test]
    fn never_panics_on_prefixes_or_garbage() {
        let frame = built(b"some payload");
        for n in 0..frame.len() {
            let _ = parse_frame(&frame[..n]);
        }
        let mut x: u32 = 12345;
        for _ in 0..2000 {
            let buf: Vec<u8> = (0..64)
                .map(|_| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    (x >> 16) as u8
                })
                .collect();
            let mut b = buf.clone();
            b[12..14].copy_from_slice(&[8, 0]);
            b[14] = 0x45 + (b[14] & 0x0f).min(10);
            let _ = parse_frame(&b);
            let _ = parse_frame(&buf);
        }
    }

    #[test]
    fn payload_too_large() {
        let big = vec![0u8; MAX_UDP_PAYLOAD + 1];
        let mut out = Vec::new();
        assert!(matches!(
            build_frame(&sample(&big), &mut out),
            Err(BuildError::PayloadTooLarge { .. })
        ));
    }
}
