//! Evaluating the common operators allocates nothing (the crate's "must not allocate per
//! evaluation where avoidable" rule, STYLE.md): a counting global allocator measures the
//! allocations made by this thread while expressions are evaluated on a decoded packet.
//! Operators that build new octets (`concat` of two non-empty values, `hexstring`,
//! `addrtotext`, `.text` of most options, case changes) allocate by nature and are shown to.
//!
//! This is its own test binary so that the allocator counts nothing else.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::net::{IpAddr, Ipv4Addr};

use kea_dhcp::codes::*;
use kea_dhcp::{MessageType, Opt, Pkt4};
use kea_eval::{Expression, ParseContext, Pkt4View};

thread_local! {
    /// Allocations made by this thread so far (no destructor, so usable in the allocator).
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

/// The system allocator, counting allocations per thread.
struct Counting;

// SAFETY: every call is forwarded unchanged to `System`, which upholds `GlobalAlloc`'s
// contract; the counter is a thread-local `Cell` without a destructor, which never
// allocates.
#[allow(unsafe_code)] // a GlobalAlloc is unsafe by definition; test-only, it only counts
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: the caller's layout is passed on as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with `layout` (see `alloc`).
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: as for `alloc` and `dealloc`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

fn packet() -> Pkt4 {
    let mut p = Pkt4::new(BOOTREQUEST, MessageType::Discover, 0x1234_5678);
    p.chaddr[..6].copy_from_slice(&[0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f]);
    p.giaddr = Ipv4Addr::new(192, 0, 2, 1);
    p.options.insert(Opt::new(
        DHO_VENDOR_CLASS_IDENTIFIER,
        *b"PXEClient:Arch:00007:UNDI:003016",
    ));
    p.options
        .insert(Opt::new(DHO_DHCP_CLIENT_IDENTIFIER, *b"\x01foobar"));
    let mut rai = vec![1, 6];
    rai.extend_from_slice(b"port-a");
    rai.extend_from_slice(&[2, 6, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f]);
    p.options.insert(Opt::new(DHO_DHCP_AGENT_OPTIONS, rai));
    let mut vivso = vec![0, 0, 0x11, 0x8b, 5, 1, 3];
    vivso.extend_from_slice(b"abc");
    p.options.insert(Opt::new(DHO_VIVSO_SUBOPTIONS, vivso));
    Pkt4::decode(&p.encode()).unwrap_or(p)
}

/// Allocations made by one evaluation of `text` (after a first, warming one).
fn cost(text: &str, string: bool) -> u64 {
    let pkt = packet();
    let here = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 10));
    let view = Pkt4View::new(&pkt).with_metadata("eth0", here, here);
    let classes: Vec<String> = vec!["ALL".into(), "UNKNOWN".into(), "silver".into()];
    let ctx = ParseContext::v4();
    let e = if string {
        Expression::parse_string(text, &ctx)
    } else {
        Expression::parse_bool(text, &ctx)
    }
    .unwrap_or_else(|e| panic!("{text}: {e}"));
    let run = || {
        if string {
            e.evaluate_string(&view, &classes).map(|v| v.len()).is_ok()
        } else {
            e.evaluate_bool(&view, &classes).is_ok()
        }
    };
    assert!(run(), "{text} evaluates");
    let before = allocations();
    let ok = run();
    let n = allocations() - before;
    assert!(ok);
    n
}

#[test]
fn common_operators_do_not_allocate() {
    for text in [
        "substring(option[60].hex,0,9) == 'PXEClient'",
        "option[60].exists and not option[99].exists",
        "relay4[1].hex == 'port-a' and relay4[2].exists",
        "option[82].option[2].hex == pkt4.mac",
        "member('gold') or member('silver') or (member('KNOWN') and not member('DROP'))",
        "known or unknown",
        "pkt4.mac == 0x0a0b0c0d0e0f and pkt4.hlen == 6 and pkt4.htype == 1",
        "pkt4.giaddr == 192.0.2.1 and pkt4.ciaddr == 0.0.0.0 and pkt4.msgtype == 1",
        "pkt4.transid == 0x12345678 and pkt.iface == 'eth0' and pkt.src == 192.0.2.10",
        "vendor[4491].option[1].hex == 'abc' and vendor.enterprise == 4491",
        "split(option[60].hex, ':', 3) == '00007'",
        "ifelse(option[60].exists, substring(option[60].hex,0,3), '') == 'PXE'",
        "concat(option[99].hex, 'PXE') == 'PXE'",
        "lcase('pxe') == 'pxe' and ucase('PXE') == 'PXE'",
    ] {
        assert_eq!(cost(text, false), 0, "{text}");
    }
    // a template-test borrowed from the packet
    assert_eq!(cost("substring(option[61].hex,1,3)", true), 0);
}

#[test]
fn building_operators_allocate() {
    for text in [
        "concat(option[60].hex, 'x') == 'y'",
        "hexstring(pkt4.mac, ':') == '0a:0b:0c:0d:0e:0f'",
        "addrtotext(pkt4.giaddr) == '192.0.2.1'",
        "lcase(option[60].hex) == 'pxeclient'",
    ] {
        assert!(cost(text, false) > 0, "{text}");
    }
}
