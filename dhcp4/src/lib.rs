//! kea-dhcp4: wiring of the DHCPv4 server.
