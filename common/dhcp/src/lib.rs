//! kea-dhcp: placeholder until its first module lands.
