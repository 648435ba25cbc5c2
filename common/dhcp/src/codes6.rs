//! Named DHCPv6 constants: option codes (`D6O_*`, Kea's names), message types, status codes
//! (RFC 8415 §21.13), DUID types (RFC 8415 §11), the ISC vendor sub-options used by
//! DHCPv4-over-DHCPv6 (RFC 7341) and the DHCPv6 UDP ports. Code is never written as a bare
//! number.
//!
//! ARM: `dhcp6-srv.rst`, "Standard DHCPv6 Options", "DHCPv4-over-DHCPv6: DHCPv6 Side".

/// Option 1: client identifier, a DUID (RFC 8415 §21.2).
pub const D6O_CLIENTID: u16 = 1;
/// Option 2: server identifier, a DUID (RFC 8415 §21.3).
pub const D6O_SERVERID: u16 = 2;
/// Option 3: identity association for non-temporary addresses (RFC 8415 §21.4).
pub const D6O_IA_NA: u16 = 3;
/// Option 4: identity association for temporary addresses (RFC 8415 §21.5).
pub const D6O_IA_TA: u16 = 4;
/// Option 5: IA address (RFC 8415 §21.6).
pub const D6O_IAADDR: u16 = 5;
/// Option 6: option request option (RFC 8415 §21.7).
pub const D6O_ORO: u16 = 6;
/// Option 7: server preference (RFC 8415 §21.8).
pub const D6O_PREFERENCE: u16 = 7;
/// Option 8: elapsed time in hundredths of a second (RFC 8415 §21.9).
pub const D6O_ELAPSED_TIME: u16 = 8;
/// Option 9: relay message, the encapsulated message of a relay layer (RFC 8415 §21.10).
pub const D6O_RELAY_MSG: u16 = 9;
/// Option 11: authentication (RFC 8415 §21.11).
pub const D6O_AUTH: u16 = 11;
/// Option 12: server unicast address (RFC 8415 §21.12).
pub const D6O_UNICAST: u16 = 12;
/// Option 13: status code (RFC 8415 §21.13).
pub const D6O_STATUS_CODE: u16 = 13;
/// Option 14: rapid commit (RFC 8415 §21.14).
pub const D6O_RAPID_COMMIT: u16 = 14;
/// Option 15: user class (RFC 8415 §21.15).
pub const D6O_USER_CLASS: u16 = 15;
/// Option 16: vendor class (RFC 8415 §21.16).
pub const D6O_VENDOR_CLASS: u16 = 16;
/// Option 17: vendor-specific information (RFC 8415 §21.17).
pub const D6O_VENDOR_OPTS: u16 = 17;
/// Option 18: interface-id, set by relays and echoed by servers (RFC 8415 §21.18).
pub const D6O_INTERFACE_ID: u16 = 18;
/// Option 19: reconfigure message (RFC 8415 §21.19).
pub const D6O_RECONF_MSG: u16 = 19;
/// Option 20: reconfigure accept (RFC 8415 §21.20).
pub const D6O_RECONF_ACCEPT: u16 = 20;
/// Option 21: SIP server domain names (RFC 3319).
pub const D6O_SIP_SERVERS_DNS: u16 = 21;
/// Option 22: SIP server addresses (RFC 3319).
pub const D6O_SIP_SERVERS_ADDR: u16 = 22;
/// Option 23: DNS recursive name servers (RFC 3646).
pub const D6O_NAME_SERVERS: u16 = 23;
/// Option 24: domain search list (RFC 3646).
pub const D6O_DOMAIN_SEARCH: u16 = 24;
/// Option 25: identity association for prefix delegation (RFC 8415 §21.21).
pub const D6O_IA_PD: u16 = 25;
/// Option 26: IA prefix (RFC 8415 §21.22).
pub const D6O_IAPREFIX: u16 = 26;
/// Option 27: NIS servers (RFC 3898).
pub const D6O_NIS_SERVERS: u16 = 27;
/// Option 28: NIS+ servers (RFC 3898).
pub const D6O_NISP_SERVERS: u16 = 28;
/// Option 29: NIS domain name (RFC 3898).
pub const D6O_NIS_DOMAIN_NAME: u16 = 29;
/// Option 30: NIS+ domain name (RFC 3898).
pub const D6O_NISP_DOMAIN_NAME: u16 = 30;
/// Option 31: SNTP servers (RFC 4075).
pub const D6O_SNTP_SERVERS: u16 = 31;
/// Option 32: information refresh time (RFC 8415 §21.23).
pub const D6O_INFORMATION_REFRESH_TIME: u16 = 32;
/// Option 33: BCMCS server domain names (RFC 4280).
pub const D6O_BCMCS_SERVER_D: u16 = 33;
/// Option 34: BCMCS server addresses (RFC 4280).
pub const D6O_BCMCS_SERVER_A: u16 = 34;
/// Option 36: GeoConf civic location (RFC 4776).
pub const D6O_GEOCONF_CIVIC: u16 = 36;
/// Option 37: relay agent remote-id (RFC 4649).
pub const D6O_REMOTE_ID: u16 = 37;
/// Option 38: relay agent subscriber-id (RFC 4580).
pub const D6O_SUBSCRIBER_ID: u16 = 38;
/// Option 39: client FQDN (RFC 4704).
pub const D6O_CLIENT_FQDN: u16 = 39;
/// Option 40: PANA agent addresses (RFC 5192).
pub const D6O_PANA_AGENT: u16 = 40;
/// Option 41: POSIX timezone (RFC 4833).
pub const D6O_NEW_POSIX_TIMEZONE: u16 = 41;
/// Option 42: TZ database timezone (RFC 4833).
pub const D6O_NEW_TZDB_TIMEZONE: u16 = 42;
/// Option 43: echo request option (RFC 4994).
pub const D6O_ERO: u16 = 43;
/// Option 44: leasequery query (RFC 5007).
pub const D6O_LQ_QUERY: u16 = 44;
/// Option 45: leasequery client data (RFC 5007).
pub const D6O_CLIENT_DATA: u16 = 45;
/// Option 46: leasequery client last transaction time (RFC 5007).
pub const D6O_CLT_TIME: u16 = 46;
/// Option 47: leasequery relay data (RFC 5007).
pub const D6O_LQ_RELAY_DATA: u16 = 47;
/// Option 48: leasequery client link (RFC 5007).
pub const D6O_LQ_CLIENT_LINK: u16 = 48;
/// Option 51: LoST server (RFC 5223).
pub const D6O_V6_LOST: u16 = 51;
/// Option 52: CAPWAP access controllers (RFC 5417).
pub const D6O_CAPWAP_AC_V6: u16 = 52;
/// Option 53: relay-id (RFC 5460).
pub const D6O_RELAY_ID: u16 = 53;
/// Option 57: access network domain name (RFC 5986).
pub const D6O_V6_ACCESS_DOMAIN: u16 = 57;
/// Option 58: SIP user agent configuration service domains (RFC 6011).
pub const D6O_SIP_UA_CS_LIST: u16 = 58;
/// Option 59: boot file URL (RFC 5970).
pub const D6O_BOOTFILE_URL: u16 = 59;
/// Option 60: boot file parameters (RFC 5970).
pub const D6O_BOOTFILE_PARAM: u16 = 60;
/// Option 61: client system architecture type (RFC 5970).
pub const D6O_CLIENT_ARCH_TYPE: u16 = 61;
/// Option 62: client network interface identifier (RFC 5970).
pub const D6O_NII: u16 = 62;
/// Option 64: AFTR name (RFC 6334).
pub const D6O_AFTR_NAME: u16 = 64;
/// Option 65: ERP local domain name (RFC 6440).
pub const D6O_ERP_LOCAL_DOMAIN_NAME: u16 = 65;
/// Option 66: relay-supplied options (RFC 6422).
pub const D6O_RSOO: u16 = 66;
/// Option 67: prefix exclude (RFC 6603).
pub const D6O_PD_EXCLUDE: u16 = 67;
/// Option 74: RDNSS selection (RFC 6731).
pub const D6O_RDNSS_SELECTION: u16 = 74;
/// Option 79: client link-layer address, set by relays (RFC 6939).
pub const D6O_CLIENT_LINKLAYER_ADDR: u16 = 79;
/// Option 80: link address (RFC 6977).
pub const D6O_LINK_ADDRESS: u16 = 80;
/// Option 82: SOL_MAX_RT (RFC 8415 §21.24).
pub const D6O_SOL_MAX_RT: u16 = 82;
/// Option 83: INF_MAX_RT (RFC 8415 §21.25).
pub const D6O_INF_MAX_RT: u16 = 83;
/// Option 87: DHCPv4 message carried in DHCPV4-QUERY/RESPONSE (RFC 7341 §7.1).
pub const D6O_DHCPV4_MSG: u16 = 87;
/// Option 88: DHCP 4o6 server addresses (RFC 7341 §7.2).
pub const D6O_DHCPV4_O_DHCPV6_SERVER: u16 = 88;
/// Option 89: S46 rule (RFC 7598 §4.1).
pub const D6O_S46_RULE: u16 = 89;
/// Option 90: S46 border relay (RFC 7598 §4.2).
pub const D6O_S46_BR: u16 = 90;
/// Option 91: S46 default mapping rule (RFC 7598 §4.3).
pub const D6O_S46_DMR: u16 = 91;
/// Option 92: S46 IPv4/IPv6 address binding (RFC 7598 §4.4).
pub const D6O_S46_V4V6BIND: u16 = 92;
/// Option 93: S46 port parameters (RFC 7598 §4.5).
pub const D6O_S46_PORTPARAMS: u16 = 93;
/// Option 94: S46 MAP-E container (RFC 7598 §5.1).
pub const D6O_S46_CONT_MAPE: u16 = 94;
/// Option 95: S46 MAP-T container (RFC 7598 §5.2).
pub const D6O_S46_CONT_MAPT: u16 = 95;
/// Option 96: S46 lightweight 4over6 container (RFC 7598 §5.3).
pub const D6O_S46_CONT_LW: u16 = 96;
/// Option 103: captive portal URI (RFC 8910).
pub const D6O_V6_CAPTIVE_PORTAL: u16 = 103;
/// Option 135: relay source port (RFC 8357).
pub const D6O_RELAY_SOURCE_PORT: u16 = 135;
/// Option 136: SZTP redirect (RFC 8572).
pub const D6O_V6_SZTP_REDIRECT: u16 = 136;
/// Option 143: ANDSF IPv6 addresses (RFC 6153).
pub const D6O_IPV6_ADDRESS_ANDSF: u16 = 143;
/// Option 144: DNR, encrypted DNS resolvers (RFC 9463).
pub const D6O_V6_DNR: u16 = 144;

/// Message type 1: SOLICIT.
pub const DHCPV6_SOLICIT: u8 = 1;
/// Message type 2: ADVERTISE.
pub const DHCPV6_ADVERTISE: u8 = 2;
/// Message type 3: REQUEST.
pub const DHCPV6_REQUEST: u8 = 3;
/// Message type 4: CONFIRM.
pub const DHCPV6_CONFIRM: u8 = 4;
/// Message type 5: RENEW.
pub const DHCPV6_RENEW: u8 = 5;
/// Message type 6: REBIND.
pub const DHCPV6_REBIND: u8 = 6;
/// Message type 7: REPLY.
pub const DHCPV6_REPLY: u8 = 7;
/// Message type 8: RELEASE.
pub const DHCPV6_RELEASE: u8 = 8;
/// Message type 9: DECLINE.
pub const DHCPV6_DECLINE: u8 = 9;
/// Message type 10: RECONFIGURE.
pub const DHCPV6_RECONFIGURE: u8 = 10;
/// Message type 11: INFORMATION-REQUEST.
pub const DHCPV6_INFORMATION_REQUEST: u8 = 11;
/// Message type 12: RELAY-FORW.
pub const DHCPV6_RELAY_FORW: u8 = 12;
/// Message type 13: RELAY-REPL.
pub const DHCPV6_RELAY_REPL: u8 = 13;
/// Message type 14: LEASEQUERY (RFC 5007).
pub const DHCPV6_LEASEQUERY: u8 = 14;
/// Message type 15: LEASEQUERY-REPLY (RFC 5007).
pub const DHCPV6_LEASEQUERY_REPLY: u8 = 15;
/// Message type 16: LEASEQUERY-DONE (RFC 5460).
pub const DHCPV6_LEASEQUERY_DONE: u8 = 16;
/// Message type 17: LEASEQUERY-DATA (RFC 5460).
pub const DHCPV6_LEASEQUERY_DATA: u8 = 17;
/// Message type 18: RECONFIGURE-REQUEST (RFC 6977).
pub const DHCPV6_RECONFIGURE_REQUEST: u8 = 18;
/// Message type 19: RECONFIGURE-REPLY (RFC 6977).
pub const DHCPV6_RECONFIGURE_REPLY: u8 = 19;
/// Message type 20: DHCPV4-QUERY (RFC 7341 §6.1).
pub const DHCPV6_DHCPV4_QUERY: u8 = 20;
/// Message type 21: DHCPV4-RESPONSE (RFC 7341 §6.2).
pub const DHCPV6_DHCPV4_RESPONSE: u8 = 21;

/// Status 0: success (RFC 8415 §21.13).
pub const STATUS_SUCCESS: u16 = 0;
/// Status 1: unspecified failure.
pub const STATUS_UNSPEC_FAIL: u16 = 1;
/// Status 2: no addresses available.
pub const STATUS_NO_ADDRS_AVAIL: u16 = 2;
/// Status 3: no binding for the IA.
pub const STATUS_NO_BINDING: u16 = 3;
/// Status 4: the address is not on the link.
pub const STATUS_NOT_ON_LINK: u16 = 4;
/// Status 5: the client must use multicast.
pub const STATUS_USE_MULTICAST: u16 = 5;
/// Status 6: no prefixes available.
pub const STATUS_NO_PREFIX_AVAIL: u16 = 6;

/// DUID type 1: link-layer address plus time (RFC 8415 §11.2).
pub const DUID_LLT: u16 = 1;
/// DUID type 2: enterprise number plus identifier (RFC 8415 §11.3).
pub const DUID_EN: u16 = 2;
/// DUID type 3: link-layer address (RFC 8415 §11.4).
pub const DUID_LL: u16 = 3;
/// DUID type 4: UUID (RFC 6355).
pub const DUID_UUID: u16 = 4;

/// ISC's IANA enterprise number; its vendor space carries the 4o6 IPC sub-options.
pub const ENTERPRISE_ID_ISC: u32 = 2495;
/// CableLabs' IANA enterprise number (DOCSIS 3 vendor space).
pub const ENTERPRISE_ID_CABLELABS: u32 = 4491;
/// ISC vendor sub-option 60000: name of the interface a DHCPv4-QUERY arrived on.
pub const ISC_V6_4O6_INTERFACE: u16 = 60000;
/// ISC vendor sub-option 60001: IPv6 source address of a DHCPv4-QUERY.
pub const ISC_V6_4O6_SRC_ADDRESS: u16 = 60001;
/// ISC vendor sub-option 60002: UDP source port of a DHCPv4-QUERY.
pub const ISC_V6_4O6_SRC_PORT: u16 = 60002;

/// RFC 8415 §7.2: clients and relays listen on this UDP port.
pub const DHCP6_CLIENT_PORT: u16 = 546;
/// RFC 8415 §7.2: servers and relays listen on this UDP port.
pub const DHCP6_SERVER_PORT: u16 = 547;
/// RFC 8415 §7.6: the maximum hop count in a RELAY-FORW message.
pub const HOP_COUNT_LIMIT: u8 = 8;
