//! Named DHCPv4 option codes (`DHO_*`, Kea's names), RAI sub-option codes (`RAI_OPTION_*`)
//! and the BOOTP fixed values used by [`crate::pkt4`]. Code is never written as a bare number.
//!
//! ARM: `dhcp4-srv.rst`, "Standard DHCPv4 Options", "List of RAI sub-options".

/// Option 0: pad.
pub const DHO_PAD: u16 = 0;
/// Option 1: subnet mask.
pub const DHO_SUBNET_MASK: u16 = 1;
/// Option 2: time offset.
pub const DHO_TIME_OFFSET: u16 = 2;
/// Option 3: routers.
pub const DHO_ROUTERS: u16 = 3;
/// Option 6: DNS servers.
pub const DHO_DOMAIN_NAME_SERVERS: u16 = 6;
/// Option 12: host name.
pub const DHO_HOST_NAME: u16 = 12;
/// Option 15: domain name.
pub const DHO_DOMAIN_NAME: u16 = 15;
/// Option 28: broadcast address.
pub const DHO_BROADCAST_ADDRESS: u16 = 28;
/// Option 43: vendor-specific information (RFC 2132 §8.4).
pub const DHO_VENDOR_ENCAPSULATED_OPTIONS: u16 = 43;
/// Option 50: requested IP address.
pub const DHO_DHCP_REQUESTED_ADDRESS: u16 = 50;
/// Option 51: lease time.
pub const DHO_DHCP_LEASE_TIME: u16 = 51;
/// Option 52: option overload (RFC 2132 §9.3).
pub const DHO_DHCP_OPTION_OVERLOAD: u16 = 52;
/// Option 53: message type.
pub const DHO_DHCP_MESSAGE_TYPE: u16 = 53;
/// Option 54: server identifier.
pub const DHO_DHCP_SERVER_IDENTIFIER: u16 = 54;
/// Option 55: parameter request list.
pub const DHO_DHCP_PARAMETER_REQUEST_LIST: u16 = 55;
/// Option 56: message.
pub const DHO_DHCP_MESSAGE: u16 = 56;
/// Option 57: maximum message size.
pub const DHO_DHCP_MAX_MESSAGE_SIZE: u16 = 57;
/// Option 58: renewal (T1) time.
pub const DHO_DHCP_RENEWAL_TIME: u16 = 58;
/// Option 59: rebinding (T2) time.
pub const DHO_DHCP_REBINDING_TIME: u16 = 59;
/// Option 60: vendor class identifier.
pub const DHO_VENDOR_CLASS_IDENTIFIER: u16 = 60;
/// Option 61: client identifier.
pub const DHO_DHCP_CLIENT_IDENTIFIER: u16 = 61;
/// Option 66: TFTP server name.
pub const DHO_TFTP_SERVER_NAME: u16 = 66;
/// Option 67: boot file name.
pub const DHO_BOOT_FILE_NAME: u16 = 67;
/// Option 77: user class (RFC 3004).
pub const DHO_USER_CLASS: u16 = 77;
/// Option 81: client FQDN (RFC 4702).
pub const DHO_FQDN: u16 = 81;
/// Option 82: relay agent information (RFC 3046).
pub const DHO_DHCP_AGENT_OPTIONS: u16 = 82;
/// Option 91: client last transaction time.
pub const DHO_CLIENT_LAST_TRANSACTION_TIME: u16 = 91;
/// Option 92: associated IP.
pub const DHO_ASSOCIATED_IP: u16 = 92;
/// Option 118: subnet selection (RFC 3011).
pub const DHO_SUBNET_SELECTION: u16 = 118;
/// Option 119: domain search (RFC 3397).
pub const DHO_DOMAIN_SEARCH: u16 = 119;
/// Option 121: classless static route (RFC 3442).
pub const DHO_CLASSLESS_STATIC_ROUTE: u16 = 121;
/// Option 124: vendor-identifying vendor class (RFC 3925).
pub const DHO_VIVCO_SUBOPTIONS: u16 = 124;
/// Option 125: vendor-identifying vendor-specific information (RFC 3925).
pub const DHO_VIVSO_SUBOPTIONS: u16 = 125;
/// Option 255: end.
pub const DHO_END: u16 = 255;
/// RAI sub-option 1: circuit-id (RFC 3046).
pub const RAI_OPTION_AGENT_CIRCUIT_ID: u16 = 1;
/// RAI sub-option 2: remote-id (RFC 3046).
pub const RAI_OPTION_REMOTE_ID: u16 = 2;
/// RAI sub-option 5: link-selection (RFC 3527).
pub const RAI_OPTION_LINK_SELECTION: u16 = 5;
/// RAI sub-option 6: subscriber-id (RFC 3993).
pub const RAI_OPTION_SUBSCRIBER_ID: u16 = 6;
/// RAI sub-option 11: server-id-override (RFC 5107).
pub const RAI_OPTION_SERVER_ID_OVERRIDE: u16 = 11;
/// RAI sub-option 12: relay-id (RFC 6925).
pub const RAI_OPTION_RELAY_ID: u16 = 12;
/// RAI sub-option 19: relay-port (RFC 8357).
pub const RAI_OPTION_RELAY_PORT: u16 = 19;
/// BOOTP op: request from a client (RFC 951).
pub const BOOTREQUEST: u8 = 1;
/// BOOTP op: reply from a server (RFC 951).
pub const BOOTREPLY: u8 = 2;
/// RFC 2131 §3: the magic cookie that starts the options field.
pub const DHCP_OPTIONS_COOKIE: [u8; 4] = [99, 130, 83, 99];
/// RFC 2131 §2: the broadcast bit of `flags`.
pub const BOOTP_BROADCAST: u16 = 0x8000;
/// Hardware type of Ethernet (RFC 1700).
pub const HTYPE_ETHER: u8 = 1;
