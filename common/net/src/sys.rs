//! The crate's only `unsafe` code: thin FFI wrappers the safe socket crates
//! (socket2, nix) do not cover.
//!
//! Owns binding an AF_PACKET socket to one interface (`sockaddr_ll`), which
//! the raw DHCPv4 path (`raw`, ARM `dhcp4-srv.rst` "Interface Configuration",
//! `dhcp-socket-type: raw`) needs. Every block carries a `// SAFETY:` comment.
// The workspace denies unsafe code; this module is the audited exception.
#![allow(unsafe_code)]

use std::io;
use std::os::fd::{AsRawFd, BorrowedFd};

/// Binds the AF_PACKET socket `fd` to interface `ifindex`, receiving frames
/// of EtherType `ethertype` (host byte order) from that interface only.
pub(crate) fn bind_packet(fd: BorrowedFd<'_>, ifindex: u32, ethertype: u16) -> io::Result<()> {
    let ifindex =
        i32::try_from(ifindex).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    // SAFETY: `sockaddr_ll` is a plain C struct of integers and byte arrays,
    // for which all-zero bytes are a valid value.
    let mut sll: libc::sockaddr_ll = unsafe { std::mem::zeroed() };
    sll.sll_family = libc::AF_PACKET as libc::sa_family_t;
    sll.sll_protocol = ethertype.to_be();
    sll.sll_ifindex = ifindex;
    let len = std::mem::size_of::<libc::sockaddr_ll>() as libc::socklen_t;
    // SAFETY: `fd` is a valid open descriptor for the duration of the call
    // (it is borrowed), and the pointer/length pair describes `sll`, a fully
    // initialised `sockaddr_ll` that lives across the call; bind(2) only
    // reads `len` bytes from it.
    let rc = unsafe {
        libc::bind(
            fd.as_raw_fd(),
            (&raw const sll).cast::<libc::sockaddr>(),
            len,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Registers a packet socket with the tokio reactor of the current runtime.
/// Fails (instead of panicking) when called outside a runtime.
pub(crate) fn register_async(
    sock: socket2::Socket,
) -> io::Result<tokio::io::unix::AsyncFd<socket2::Socket>> {
    require_runtime()?;
    // SAFETY: `socket2::Socket` owns its descriptor: `as_raw_fd` returns the
    // same open descriptor for as long as the value lives, and the value is
    // moved into the `AsyncFd`, which keeps it until the `AsyncFd` is dropped.
    // The crate never calls `get_mut`/`into_inner` on it, so the descriptor
    // cannot be swapped or closed behind the registration.
    unsafe { tokio::io::unix::AsyncFd::register(sock) }.map_err(io::Error::from)
}

/// An error instead of tokio's panic when no runtime is current.
pub(crate) fn require_runtime() -> io::Result<()> {
    tokio::runtime::Handle::try_current()
        .map(drop)
        .map_err(|e| io::Error::other(e.to_string()))
}
