//! Classic BPF program for the DHCPv4 raw (AF_PACKET) socket.
//!
//! Pure code: builds the filter that the kernel runs on every frame of the
//! interface, so that only IPv4/UDP datagrams to the server port, addressed to
//! the socket's address or to the limited broadcast, reach user space. This
//! mirrors the LPF filter Kea attaches with `dhcp-socket-type: raw` (ARM
//! `dhcp4-srv.rst`, "Interface Configuration"): with several addresses on one
//! interface, each raw socket only sees unicast for its own address.

use std::net::Ipv4Addr;

use crate::frame::{ETHERNET_HEADER_LEN, ETHERTYPE_IPV4, IPPROTO_UDP};

/// One classic BPF instruction (`struct sock_filter`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BpfInsn {
    /// Opcode.
    pub code: u16,
    /// Jump offset if true.
    pub jt: u8,
    /// Jump offset if false.
    pub jf: u8,
    /// Constant operand.
    pub k: u32,
}

// Opcode pieces from <linux/filter.h>.
pub(crate) const BPF_LD: u16 = 0x00;
pub(crate) const BPF_LDX: u16 = 0x01;
pub(crate) const BPF_JMP: u16 = 0x05;
pub(crate) const BPF_RET: u16 = 0x06;
pub(crate) const BPF_W: u16 = 0x00;
pub(crate) const BPF_H: u16 = 0x08;
pub(crate) const BPF_B: u16 = 0x10;
pub(crate) const BPF_ABS: u16 = 0x20;
pub(crate) const BPF_IND: u16 = 0x40;
pub(crate) const BPF_MSH: u16 = 0xa0;
pub(crate) const BPF_JEQ: u16 = 0x10;
pub(crate) const BPF_JSET: u16 = 0x40;
pub(crate) const BPF_K: u16 = 0x00;

const fn stmt(code: u16, k: u32) -> BpfInsn {
    BpfInsn {
        code,
        jt: 0,
        jf: 0,
        k,
    }
}

const fn jump(code: u16, k: u32, jt: u8, jf: u8) -> BpfInsn {
    BpfInsn { code, jt, jf, k }
}

/// Snap length returned for accepted frames (the whole frame).
pub const ACCEPT_ALL: u32 = 0xffff_ffff;

/// Offset of the IPv4 header in the frame.
const IP: u32 = ETHERNET_HEADER_LEN as u32;

/// Builds the filter: IPv4, UDP, not a fragment, destination `local` or
/// 255.255.255.255 (any destination when `local` is `None`), UDP destination
/// port `port`.
pub fn dhcp4_server_filter(port: u16, local: Option<Ipv4Addr>) -> Vec<BpfInsn> {
    let mut prog = vec![
        // EtherType must be IPv4.
        stmt(BPF_LD | BPF_H | BPF_ABS, 12),
        jump(BPF_JMP | BPF_JEQ | BPF_K, u32::from(ETHERTYPE_IPV4), 0, 0),
        // Protocol must be UDP.
        stmt(BPF_LD | BPF_B | BPF_ABS, IP + 9),
        jump(BPF_JMP | BPF_JEQ | BPF_K, u32::from(IPPROTO_UDP), 0, 0),
        // No fragments: MF clear and offset zero.
        stmt(BPF_LD | BPF_H | BPF_ABS, IP + 6),
        jump(BPF_JMP | BPF_JSET | BPF_K, 0x3fff, 0, 0),
    ];
    if let Some(addr) = local {
        prog.extend([
            stmt(BPF_LD | BPF_W | BPF_ABS, IP + 16),
            // Broadcast: skip the own-address test.
            jump(
                BPF_JMP | BPF_JEQ | BPF_K,
                u32::from(Ipv4Addr::BROADCAST),
                1,
                0,
            ),
            jump(BPF_JMP | BPF_JEQ | BPF_K, u32::from(addr), 0, 0),
        ]);
    }
    prog.extend([
        // X = IP header length; then the UDP destination port.
        stmt(BPF_LDX | BPF_B | BPF_MSH, IP),
        stmt(BPF_LD | BPF_H | BPF_IND, IP + 2),
        jump(BPF_JMP | BPF_JEQ | BPF_K, u32::from(port), 0, 0),
        stmt(BPF_RET | BPF_K, ACCEPT_ALL),
        stmt(BPF_RET | BPF_K, 0),
    ]);
    // Point every "reject" branch at the final `ret #0`. Conditional jumps are
    // relative to the next instruction; the program is far shorter than 255.
    let drop_at = prog.len() - 1;
    for (i, insn) in prog.iter_mut().enumerate() {
        if insn.code & 0x07 != BPF_JMP {
            continue;
        }
        let to_drop = u8::try_from(drop_at - i - 1).unwrap_or(u8::MAX);
        if insn.jt != 0 || insn.jf != 0 {
            // Already resolved (the broadcast test skips the own-address test).
            continue;
        }
        if insn.code & 0xf0 == BPF_JSET {
            // JSET: any fragment bit set means drop.
            insn.jt = to_drop;
        } else {
            insn.jf = to_drop;
        }
    }
    prog
}

impl From<BpfInsn> for socket2::SockFilter {
    fn from(i: BpfInsn) -> Self {
        Self::new(i.code, i.jt, i.jf, i.k)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use crate::frame::{UdpFrame, build_frame};
    use crate::mac::MacAddr;

    /// A minimal classic-BPF interpreter covering the opcodes we emit, so the
    /// program can be tested against real frames without a kernel.
    fn run(prog: &[BpfInsn], pkt: &[u8]) -> u32 {
        let (mut a, mut x, mut pc) = (0u32, 0u32, 0usize);
        let load = |at: usize, n: usize| -> Option<u32> {
            let b = pkt.get(at..at + n)?;
            Some(b.iter().fold(0u32, |acc, &v| (acc << 8) | u32::from(v)))
        };
        loop {
            let i = prog[pc];
            pc += 1;
            let size = match i.code & 0x18 {
                BPF_W => 4,
                BPF_H => 2,
                _ => 1,
            };
            match (i.code & 0x07, i.code & 0xe0) {
                (BPF_LD, BPF_ABS) => match load(i.k as usize, size) {
                    Some(v) => a = v,
                    None => return 0,
                },
                (BPF_LD, BPF_IND) => match load(x as usize + i.k as usize, size) {
                    Some(v) => a = v,
                    None => return 0,
                },
                (BPF_LDX, BPF_MSH) => match load(i.k as usize, 1) {
                    Some(v) => x = (v & 0x0f) * 4,
                    None => return 0,
                },
                (BPF_JMP, _) => {
                    let cond = match i.code & 0xf0 {
                        BPF_JEQ => a == i.k,
                        BPF_JSET => a & i.k != 0,
                        other => panic!("unsupported jump {other:#x}"),
                    };
                    pc += usize::from(if cond { i.jt } else { i.jf });
                }
                (BPF_RET, _) => return i.k,
                other => panic!("unsupported opcode {other:?}"),
            }
        }
    }

    fn frame(dst_ip: Ipv4Addr, dst_port: u16) -> Vec<u8> {
        let mut out = Vec::new();
        build_frame(
            &UdpFrame {
                src_mac: MacAddr([2, 0, 0, 0, 0, 1]),
                dst_mac: MacAddr::BROADCAST,
                src_ip: Ipv4Addr::UNSPECIFIED,
                dst_ip,
                src_port: 68,
                dst_port,
                payload: b"payload",
            },
            &mut out,
        )
        .unwrap();
        out
    }

    const OWN: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 1);

    #[test]
    fn accepts_broadcast_and_own_address_on_port() {
        let prog = dhcp4_server_filter(10067, Some(OWN));
        assert_eq!(run(&prog, &frame(Ipv4Addr::BROADCAST, 10067)), ACCEPT_ALL);
        assert_eq!(run(&prog, &frame(OWN, 10067)), ACCEPT_ALL);
    }

    #[test]
    fn rejects_other_port_other_address() {
        let prog = dhcp4_server_filter(10067, Some(OWN));
        assert_eq!(run(&prog, &frame(Ipv4Addr::BROADCAST, 67)), 0);
        assert_eq!(run(&prog, &frame(Ipv4Addr::new(192, 0, 2, 2), 10067)), 0);
    }

    #[test]
    fn without_address_accepts_any_destination() {
        let prog = dhcp4_server_filter(67, None);
        assert_eq!(
            run(&prog, &frame(Ipv4Addr::new(10, 1, 1, 1), 67)),
            ACCEPT_ALL
        );
        assert_eq!(run(&prog, &frame(Ipv4Addr::new(10, 1, 1, 1), 68)), 0);
    }

    #[test]
    fn rejects_non_udp_non_ipv4_and_fragments() {
        let prog = dhcp4_server_filter(67, None);
        let good = frame(Ipv4Addr::BROADCAST, 67);
        let mut tcp = good.clone();
        tcp[14 + 9] = 6;
        assert_eq!(run(&prog, &tcp), 0);
        let mut arp = good.clone();
        arp[12] = 0x08;
        arp[13] = 0x06;
        assert_eq!(run(&prog, &arp), 0);
        let mut frag = good.clone();
        frag[14 + 6] = 0x20; // MF
        assert_eq!(run(&prog, &frag), 0);
        let mut off = good.clone();
        off[14 + 6] = 0x40;
        off[14 + 7] = 0x01; // DF + offset 1
        assert_eq!(run(&prog, &off), 0);
        assert_eq!(run(&prog, &good[..20]), 0, "short frame");
    }

    #[test]
    fn honours_ip_options() {
        // IHL 6: the UDP header moves by 4 bytes.
        let prog = dhcp4_server_filter(67, None);
        let base = frame(Ipv4Addr::BROADCAST, 67);
        let mut f = base[..34].to_vec();
        f[14] = 0x46;
        f.extend_from_slice(&[1, 1, 1, 0]);
        f.extend_from_slice(&base[34..]);
        assert_eq!(run(&prog, &f), ACCEPT_ALL);
        f[38 + 3] = 68;
        assert_eq!(run(&prog, &f), 0);
    }
}
