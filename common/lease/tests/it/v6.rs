//! DHCPv6 lease files exchanged with Kea 2.2 (filled in below).
