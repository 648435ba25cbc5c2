//! kea-dhcp-ddns integration tests: the real binary against a private BIND9 `named` on
//! loopback, and Kea 2.2's kea-dhcp4 feeding it.

mod harness;
mod named;
