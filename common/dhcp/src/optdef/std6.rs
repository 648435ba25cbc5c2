//! The standard DHCPv6 option definitions (INVENTORY §3.9, ARM "List of standard DHCPv6
//! options configurable by an administrator" and "... managed by Kea on its own") and the
//! built-in DHCPv6 sub-option spaces: the Softwire46 containers and rules (RFC 7598), the ISC
//! vendor space `vendor-2495` carrying the DHCPv4-over-DHCPv6 IPC sub-options (RFC 7341 and
//! Kea's 4o6 IPC) and the DOCSIS 3 vendor space `vendor-4491` (alias `docsis3-v6`).
//!
//! Names, spaces and types were checked against Kea 2.2 (`kea-dhcp6 -t` accepts option-data
//! by each name in each space). The S46 options 89–93 listed in the ARM table live only in
//! the container spaces, as the ARM's "Common Softwire46 Options" section and Kea 2.2 say
//! (`dhcp6.s46-rule` is unknown to Kea).
//!
//! `pd-exclude` (67): the ARM table says `binary`, but Kea 2.2 reads its data as an
//! `ipv6-prefix` (hex data is refused; `"2001:db8:1:ff00::/60"` goes out as
//! `3c20010db80001ff00`, checked on the wire), so the definition here is `ipv6-prefix` and
//! Kea configurations keep working. `v6-sztp-redirect` (136) and `v6-dnr` (144) are in the ARM
//! but not in Kea 2.2; the ARM wins (ARCHITECTURE.md).
//!
//! ARM: `dhcp6-srv.rst`, "Standard DHCPv6 Options", "Common Softwire46 Options",
//! "DHCPv6 Vendor-Specific Options", "DHCPv4-over-DHCPv6: DHCPv6 Side".

use super::{
    DHCP6_OPTION_SPACE, OptionDataType as T, OptionDefError, OptionDefTable, OptionDefinition,
};

/// Space of the sub-options of `s46-cont-mape` (94).
pub const S46_CONT_MAPE_OPTION_SPACE: &str = "s46-cont-mape-options";
/// Space of the sub-options of `s46-cont-mapt` (95).
pub const S46_CONT_MAPT_OPTION_SPACE: &str = "s46-cont-mapt-options";
/// Space of the sub-options of `s46-cont-lw` (96).
pub const S46_CONT_LW_OPTION_SPACE: &str = "s46-cont-lw-options";
/// Space of the sub-options of `s46-rule` (89).
pub const S46_RULE_OPTION_SPACE: &str = "s46-rule-options";
/// Space of the sub-options of `s46-v4v6bind` (92).
pub const S46_V4V6BIND_OPTION_SPACE: &str = "s46-v4v6bind-options";
/// Space of the sub-options of `rsoo` (66); Kea has no standard definitions in it.
pub const RSOO_OPTION_SPACE: &str = "rsoo-opts";
/// The ISC vendor space (enterprise 2495) holding the 4o6 IPC sub-options.
const VENDOR_ISC_SPACE: &str = "vendor-2495";
/// The DOCSIS 3 vendor space (CableLabs, enterprise id 4491).
const VENDOR_4491_SPACE: &str = "vendor-4491";

const fn d(
    name: &'static str,
    code: u16,
    space: &'static str,
    ty: T,
    array: bool,
    records: &'static [T],
    encapsulate: &'static str,
) -> OptionDefinition {
    OptionDefinition::new_static(name, code, space, ty, array, records, encapsulate)
}

static DHCP6_DEFS: [OptionDefinition; 74] = [
    d("clientid", 1, DHCP6_OPTION_SPACE, T::Binary, false, &[], ""),
    d("serverid", 2, DHCP6_OPTION_SPACE, T::Binary, false, &[], ""),
    d(
        "ia-na",
        3,
        DHCP6_OPTION_SPACE,
        T::Record,
        false,
        &[T::Uint32, T::Uint32, T::Uint32],
        DHCP6_OPTION_SPACE,
    ),
    d(
        "ia-ta",
        4,
        DHCP6_OPTION_SPACE,
        T::Uint32,
        false,
        &[],
        DHCP6_OPTION_SPACE,
    ),
    d(
        "iaaddr",
        5,
        DHCP6_OPTION_SPACE,
        T::Record,
        false,
        &[T::Ipv6Address, T::Uint32, T::Uint32],
        DHCP6_OPTION_SPACE,
    ),
    d("oro", 6, DHCP6_OPTION_SPACE, T::Uint16, true, &[], ""),
    d(
        "preference",
        7,
        DHCP6_OPTION_SPACE,
        T::Uint8,
        false,
        &[],
        "",
    ),
    d(
        "elapsed-time",
        8,
        DHCP6_OPTION_SPACE,
        T::Uint16,
        false,
        &[],
        "",
    ),
    d(
        "relay-msg",
        9,
        DHCP6_OPTION_SPACE,
        T::Binary,
        false,
        &[],
        "",
    ),
    d(
        "auth",
        11,
        DHCP6_OPTION_SPACE,
        T::Record,
        false,
        &[
            T::Uint8,
            T::Uint8,
            T::Uint8,
            T::Uint32,
            T::Uint32,
            T::Binary,
        ],
        "",
    ),
    d(
        "unicast",
        12,
        DHCP6_OPTION_SPACE,
        T::Ipv6Address,
        false,
        &[],
        "",
    ),
    d(
        "status-code",
        13,
        DHCP6_OPTION_SPACE,
        T::Record,
        false,
        &[T::Uint16, T::String],
        "",
    ),
    d(
        "rapid-commit",
        14,
        DHCP6_OPTION_SPACE,
        T::Empty,
        false,
        &[],
        "",
    ),
    d(
        "user-class",
        15,
        DHCP6_OPTION_SPACE,
        T::Binary,
        false,
        &[],
        "",
    ),
    d(
        "vendor-class",
        16,
        DHCP6_OPTION_SPACE,
        T::Record,
        false,
        &[T::Uint32, T::Binary],
        "",
    ),
    d(
        "vendor-opts",
        17,
        DHCP6_OPTION_SPACE,
        T::Uint32,
        false,
        &[],
        "",
    ),
    d(
        "interface-id",
        18,
        DHCP6_OPTION_SPACE,
        T::Binary,
        false,
        &[],
        "",
    ),
    d(
        "reconf-msg",
        19,
        DHCP6_OPTION_SPACE,
        T::Uint8,
        false,
        &[],
        "",
    ),
    d(
        "reconf-accept",
        20,
        DHCP6_OPTION_SPACE,
        T::Empty,
        false,
        &[],
        "",
    ),
    d(
        "sip-server-dns",
        21,
        DHCP6_OPTION_SPACE,
        T::Fqdn,
        true,
        &[],
        "",
    ),
    d(
        "sip-server-addr",
        22,
        DHCP6_OPTION_SPACE,
        T::Ipv6Address,
        true,
        &[],
        "",
    ),
    d(
        "dns-servers",
        23,
        DHCP6_OPTION_SPACE,
        T::Ipv6Address,
        true,
        &[],
        "",
    ),
    d(
        "domain-search",
        24,
        DHCP6_OPTION_SPACE,
        T::Fqdn,
        true,
        &[],
        "",
    ),
    d(
        "ia-pd",
        25,
        DHCP6_OPTION_SPACE,
        T::Record,
        false,
        &[T::Uint32, T::Uint32, T::Uint32],
        DHCP6_OPTION_SPACE,
    ),
    d(
        "iaprefix",
        26,
        DHCP6_OPTION_SPACE,
        T::Record,
        false,
        &[T::Uint32, T::Uint32, T::Uint8, T::Ipv6Address],
        DHCP6_OPTION_SPACE,
    ),
    d(
        "nis-servers",
        27,
        DHCP6_OPTION_SPACE,
        T::Ipv6Address,
        true,
        &[],
        "",
    ),
    d(
        "nisp-servers",
        28,
        DHCP6_OPTION_SPACE,
        T::Ipv6Address,
        true,
        &[],
        "",
    ),
    d(
        "nis-domain-name",
        29,
        DHCP6_OPTION_SPACE,
        T::Fqdn,
        true,
        &[],
        "",
    ),
    d(
        "nisp-domain-name",
        30,
        DHCP6_OPTION_SPACE,
        T::Fqdn,
        true,
        &[],
        "",
    ),
    d(
        "sntp-servers",
        31,
        DHCP6_OPTION_SPACE,
        T::Ipv6Address,
        true,
        &[],
        "",
    ),
    d(
        "information-refresh-time",
        32,
        DHCP6_OPTION_SPACE,
        T::Uint32,
        false,
        &[],
        "",
    ),
    d(
        "bcmcs-server-dns",
        33,
        DHCP6_OPTION_SPACE,
        T::Fqdn,
        true,
        &[],
        "",
    ),
    d(
        "bcmcs-server-addr",
        34,
        DHCP6_OPTION_SPACE,
        T::Ipv6Address,
        true,
        &[],
        "",
    ),
    d(
        "geoconf-civic",
        36,
        DHCP6_OPTION_SPACE,
        T::Record,
        false,
        &[T::Uint8, T::Uint16, T::Binary],
        "",
    ),
    d(
        "remote-id",
        37,
        DHCP6_OPTION_SPACE,
        T::Record,
        false,
        &[T::Uint32, T::Binary],
        "",
    ),
    d(
        "subscriber-id",
        38,
        DHCP6_OPTION_SPACE,
        T::Binary,
        false,
        &[],
        "",
    ),
    d(
        "client-fqdn",
        39,
        DHCP6_OPTION_SPACE,
        T::Record,
        false,
        &[T::Uint8, T::Fqdn],
        "",
    ),
    d(
        "pana-agent",
        40,
        DHCP6_OPTION_SPACE,
        T::Ipv6Address,
        true,
        &[],
        "",
    ),
    d(
        "new-posix-timezone",
        41,
        DHCP6_OPTION_SPACE,
        T::String,
        false,
        &[],
        "",
    ),
    d(
        "new-tzdb-timezone",
        42,
        DHCP6_OPTION_SPACE,
        T::String,
        false,
        &[],
        "",
    ),
    d("ero", 43, DHCP6_OPTION_SPACE, T::Uint16, true, &[], ""),
    d(
        "lq-query",
        44,
        DHCP6_OPTION_SPACE,
        T::Record,
        false,
        &[T::Uint8, T::Ipv6Address],
        DHCP6_OPTION_SPACE,
    ),
    d(
        "client-data",
        45,
        DHCP6_OPTION_SPACE,
        T::Empty,
        false,
        &[],
        DHCP6_OPTION_SPACE,
    ),
    d(
        "clt-time",
        46,
        DHCP6_OPTION_SPACE,
        T::Uint32,
        false,
        &[],
        "",
    ),
    d(
        "lq-relay-data",
        47,
        DHCP6_OPTION_SPACE,
        T::Record,
        false,
        &[T::Ipv6Address, T::Binary],
        "",
    ),
    d(
        "lq-client-link",
        48,
        DHCP6_OPTION_SPACE,
        T::Ipv6Address,
        true,
        &[],
        "",
    ),
    d("v6-lost", 51, DHCP6_OPTION_SPACE, T::Fqdn, false, &[], ""),
    d(
        "capwap-ac-v6",
        52,
        DHCP6_OPTION_SPACE,
        T::Ipv6Address,
        true,
        &[],
        "",
    ),
    d(
        "relay-id",
        53,
        DHCP6_OPTION_SPACE,
        T::Binary,
        false,
        &[],
        "",
    ),
    d(
        "v6-access-domain",
        57,
        DHCP6_OPTION_SPACE,
        T::Fqdn,
        false,
        &[],
        "",
    ),
    d(
        "sip-ua-cs-list",
        58,
        DHCP6_OPTION_SPACE,
        T::Fqdn,
        true,
        &[],
        "",
    ),
    d(
        "bootfile-url",
        59,
        DHCP6_OPTION_SPACE,
        T::String,
        false,
        &[],
        "",
    ),
    d(
        "bootfile-param",
        60,
        DHCP6_OPTION_SPACE,
        T::Tuple,
        true,
        &[],
        "",
    ),
    d(
        "client-arch-type",
        61,
        DHCP6_OPTION_SPACE,
        T::Uint16,
        true,
        &[],
        "",
    ),
    d(
        "nii",
        62,
        DHCP6_OPTION_SPACE,
        T::Record,
        false,
        &[T::Uint8, T::Uint8, T::Uint8],
        "",
    ),
    d("aftr-name", 64, DHCP6_OPTION_SPACE, T::Fqdn, false, &[], ""),
    d(
        "erp-local-domain-name",
        65,
        DHCP6_OPTION_SPACE,
        T::Fqdn,
        false,
        &[],
        "",
    ),
    d(
        "rsoo",
        66,
        DHCP6_OPTION_SPACE,
        T::Empty,
        false,
        &[],
        RSOO_OPTION_SPACE,
    ),
    d(
        "pd-exclude",
        67,
        DHCP6_OPTION_SPACE,
        T::Ipv6Prefix,
        false,
        &[],
        "",
    ),
    d(
        "rdnss-selection",
        74,
        DHCP6_OPTION_SPACE,
        T::Record,
        true,
        &[T::Ipv6Address, T::Uint8, T::Fqdn],
        "",
    ),
    d(
        "client-linklayer-addr",
        79,
        DHCP6_OPTION_SPACE,
        T::Binary,
        false,
        &[],
        "",
    ),
    d(
        "link-address",
        80,
        DHCP6_OPTION_SPACE,
        T::Ipv6Address,
        false,
        &[],
        "",
    ),
    d(
        "solmax-rt",
        82,
        DHCP6_OPTION_SPACE,
        T::Uint32,
        false,
        &[],
        "",
    ),
    d(
        "inf-max-rt",
        83,
        DHCP6_OPTION_SPACE,
        T::Uint32,
        false,
        &[],
        "",
    ),
    d(
        "dhcpv4-message",
        87,
        DHCP6_OPTION_SPACE,
        T::Binary,
        false,
        &[],
        "",
    ),
    d(
        "dhcp4o6-server-addr",
        88,
        DHCP6_OPTION_SPACE,
        T::Ipv6Address,
        true,
        &[],
        "",
    ),
    d(
        "s46-cont-mape",
        94,
        DHCP6_OPTION_SPACE,
        T::Empty,
        false,
        &[],
        S46_CONT_MAPE_OPTION_SPACE,
    ),
    d(
        "s46-cont-mapt",
        95,
        DHCP6_OPTION_SPACE,
        T::Empty,
        false,
        &[],
        S46_CONT_MAPT_OPTION_SPACE,
    ),
    d(
        "s46-cont-lw",
        96,
        DHCP6_OPTION_SPACE,
        T::Empty,
        false,
        &[],
        S46_CONT_LW_OPTION_SPACE,
    ),
    d(
        "v6-captive-portal",
        103,
        DHCP6_OPTION_SPACE,
        T::String,
        false,
        &[],
        "",
    ),
    d(
        "relay-source-port",
        135,
        DHCP6_OPTION_SPACE,
        T::Uint16,
        false,
        &[],
        "",
    ),
    d(
        "v6-sztp-redirect",
        136,
        DHCP6_OPTION_SPACE,
        T::Tuple,
        true,
        &[],
        "",
    ),
    d(
        "ipv6-address-andsf",
        143,
        DHCP6_OPTION_SPACE,
        T::Ipv6Address,
        true,
        &[],
        "",
    ),
    d(
        "v6-dnr",
        144,
        DHCP6_OPTION_SPACE,
        T::Record,
        false,
        &[T::Uint16, T::Uint16, T::Fqdn, T::Binary],
        "",
    ),
];

static MAPE_DEFS: [OptionDefinition; 2] = [
    d(
        "s46-rule",
        89,
        S46_CONT_MAPE_OPTION_SPACE,
        T::Record,
        false,
        &[T::Uint8, T::Uint8, T::Uint8, T::Ipv4Address, T::Ipv6Prefix],
        S46_RULE_OPTION_SPACE,
    ),
    d(
        "s46-br",
        90,
        S46_CONT_MAPE_OPTION_SPACE,
        T::Ipv6Address,
        false,
        &[],
        "",
    ),
];

static MAPT_DEFS: [OptionDefinition; 2] = [
    d(
        "s46-rule",
        89,
        S46_CONT_MAPT_OPTION_SPACE,
        T::Record,
        false,
        &[T::Uint8, T::Uint8, T::Uint8, T::Ipv4Address, T::Ipv6Prefix],
        S46_RULE_OPTION_SPACE,
    ),
    d(
        "s46-dmr",
        91,
        S46_CONT_MAPT_OPTION_SPACE,
        T::Ipv6Prefix,
        false,
        &[],
        "",
    ),
];

static LW_DEFS: [OptionDefinition; 2] = [
    d(
        "s46-br",
        90,
        S46_CONT_LW_OPTION_SPACE,
        T::Ipv6Address,
        false,
        &[],
        "",
    ),
    d(
        "s46-v4v6bind",
        92,
        S46_CONT_LW_OPTION_SPACE,
        T::Record,
        false,
        &[T::Ipv4Address, T::Ipv6Prefix],
        S46_V4V6BIND_OPTION_SPACE,
    ),
];

static S46_RULE_DEFS: [OptionDefinition; 1] = [d(
    "s46-portparams",
    93,
    S46_RULE_OPTION_SPACE,
    T::Record,
    false,
    &[T::Uint8, T::Psid],
    "",
)];

static V4V6BIND_DEFS: [OptionDefinition; 1] = [d(
    "s46-portparams",
    93,
    S46_V4V6BIND_OPTION_SPACE,
    T::Record,
    false,
    &[T::Uint8, T::Psid],
    "",
)];

static ISC_V6_DEFS: [OptionDefinition; 3] = [
    d(
        "4o6-interface",
        60000,
        VENDOR_ISC_SPACE,
        T::String,
        false,
        &[],
        "",
    ),
    d(
        "4o6-source-address",
        60001,
        VENDOR_ISC_SPACE,
        T::Ipv6Address,
        false,
        &[],
        "",
    ),
    d(
        "4o6-source-port",
        60002,
        VENDOR_ISC_SPACE,
        T::Uint16,
        false,
        &[],
        "",
    ),
];

static VENDOR_4491_DEFS: [OptionDefinition; 10] = [
    d("oro", 1, VENDOR_4491_SPACE, T::Uint16, true, &[], ""),
    d(
        "device-type",
        2,
        VENDOR_4491_SPACE,
        T::String,
        false,
        &[],
        "",
    ),
    d(
        "vendor-type",
        10,
        VENDOR_4491_SPACE,
        T::String,
        false,
        &[],
        "",
    ),
    d(
        "tftp-servers",
        32,
        VENDOR_4491_SPACE,
        T::Ipv6Address,
        true,
        &[],
        "",
    ),
    d(
        "config-file",
        33,
        VENDOR_4491_SPACE,
        T::String,
        false,
        &[],
        "",
    ),
    d(
        "syslog-servers",
        34,
        VENDOR_4491_SPACE,
        T::Ipv6Address,
        true,
        &[],
        "",
    ),
    d(
        "device-id",
        36,
        VENDOR_4491_SPACE,
        T::Binary,
        false,
        &[],
        "",
    ),
    d(
        "time-servers",
        37,
        VENDOR_4491_SPACE,
        T::Ipv6Address,
        true,
        &[],
        "",
    ),
    d(
        "time-offset",
        38,
        VENDOR_4491_SPACE,
        T::Int32,
        false,
        &[],
        "",
    ),
    d(
        "cmts-cm-mac",
        1026,
        VENDOR_4491_SPACE,
        T::Binary,
        false,
        &[],
        "",
    ),
];

/// Standard definitions of the `dhcp6` space.
pub static DHCP6_OPTION_DEFS: OptionDefTable = OptionDefTable {
    space: DHCP6_OPTION_SPACE,
    defs: &DHCP6_DEFS,
};

/// Options inside a MAP-E container (RFC 7598 §5.1).
pub static S46_CONT_MAPE_OPTION_DEFS: OptionDefTable = OptionDefTable {
    space: S46_CONT_MAPE_OPTION_SPACE,
    defs: &MAPE_DEFS,
};

/// Options inside a MAP-T container (RFC 7598 §5.2).
pub static S46_CONT_MAPT_OPTION_DEFS: OptionDefTable = OptionDefTable {
    space: S46_CONT_MAPT_OPTION_SPACE,
    defs: &MAPT_DEFS,
};

/// Options inside a lightweight 4over6 container (RFC 7598 §5.3).
pub static S46_CONT_LW_OPTION_DEFS: OptionDefTable = OptionDefTable {
    space: S46_CONT_LW_OPTION_SPACE,
    defs: &LW_DEFS,
};

/// Options inside an S46 rule (RFC 7598 §4.1).
pub static S46_RULE_OPTION_DEFS: OptionDefTable = OptionDefTable {
    space: S46_RULE_OPTION_SPACE,
    defs: &S46_RULE_DEFS,
};

/// Options inside an S46 IPv4/IPv6 binding (RFC 7598 §4.4).
pub static S46_V4V6BIND_OPTION_DEFS: OptionDefTable = OptionDefTable {
    space: S46_V4V6BIND_OPTION_SPACE,
    defs: &V4V6BIND_DEFS,
};

/// ISC DHCPv6 vendor sub-options (`vendor-2495`, in option 17): the 4o6 IPC fields.
pub static ISC_V6_OPTION_DEFS: OptionDefTable = OptionDefTable {
    space: VENDOR_ISC_SPACE,
    defs: &ISC_V6_DEFS,
};

/// DOCSIS 3 DHCPv6 vendor sub-options (`vendor-4491`, carried in option 17).
pub static VENDOR_4491_V6_DEFS: OptionDefTable = OptionDefTable {
    space: VENDOR_4491_SPACE,
    defs: &VENDOR_4491_DEFS,
};

static V6_TABLES: [&OptionDefTable; 8] = [
    &DHCP6_OPTION_DEFS,
    &S46_CONT_MAPE_OPTION_DEFS,
    &S46_CONT_MAPT_OPTION_DEFS,
    &S46_CONT_LW_OPTION_DEFS,
    &S46_RULE_OPTION_DEFS,
    &S46_V4V6BIND_OPTION_DEFS,
    &ISC_V6_OPTION_DEFS,
    &VENDOR_4491_V6_DEFS,
];

/// The standard definition of a `dhcp6` option by name (Kea's `LibDHCP::getOptionDef`).
pub fn std_v6_def_by_name(name: &str) -> Option<&'static OptionDefinition> {
    DHCP6_OPTION_DEFS.by_name(name)
}

/// The standard definition of a `dhcp6` option by code.
pub fn std_v6_def_by_code(code: u16) -> Option<&'static OptionDefinition> {
    DHCP6_OPTION_DEFS.by_code(code)
}

/// The built-in DHCPv6 table of a space (`dhcp6`, the `s46-*-options` spaces, `vendor-2495`,
/// `vendor-4491` also named `docsis3-v6`).
pub fn std_v6_space(space: &str) -> Option<&'static OptionDefTable> {
    let space = if space == "docsis3-v6" {
        VENDOR_4491_SPACE
    } else {
        space
    };
    V6_TABLES.iter().copied().find(|t| t.space == space)
}

/// The built-in DHCPv6 vendor table of an enterprise (option 17's sub-options).
pub fn std_v6_vendor_space(enterprise_id: u32) -> Option<&'static OptionDefTable> {
    match enterprise_id {
        crate::codes6::ENTERPRISE_ID_ISC => Some(&ISC_V6_OPTION_DEFS),
        crate::codes6::ENTERPRISE_ID_CABLELABS => Some(&VENDOR_4491_V6_DEFS),
        _ => None,
    }
}

impl OptionDefinition {
    /// Kea refuses a user definition in the `dhcp6` space for a code that has a standard
    /// definition ("unable to override definition of option").
    pub fn check_not_standard_v6(&self) -> Result<(), OptionDefError> {
        if self.space == DHCP6_OPTION_SPACE && std_v6_def_by_code(self.code).is_some() {
            return Err(OptionDefError::OverridesStandard {
                code: self.code,
                space: self.space.to_string(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use crate::optdef::Universe;

    #[test]
    fn tables_are_sorted_and_unique() {
        for table in V6_TABLES {
            for pair in table.defs.windows(2) {
                assert!(
                    pair[0].code < pair[1].code,
                    "{} unsorted at {}",
                    table.space,
                    pair[1].code
                );
            }
            for def in table.defs {
                assert_eq!(def.space, table.space);
                assert_eq!(table.by_name(&def.name).map(|d| d.code), Some(def.code));
                assert_eq!(def.validate(Universe::V6), Ok(()), "{}", def.name);
                if !def.encapsulate.is_empty() && def.encapsulate != RSOO_OPTION_SPACE {
                    assert!(
                        std_v6_space(&def.encapsulate).is_some(),
                        "{} encapsulates unknown {}",
                        def.name,
                        def.encapsulate
                    );
                }
            }
        }
    }

    /// Every row of INVENTORY §3.9 (the ARM's configurable list), with its type and array flag.
    #[test]
    fn inventory_entries() {
        let rows: &[(u16, &str, T, bool)] = &[
            (7, "preference", T::Uint8, false),
            (12, "unicast", T::Ipv6Address, false),
            (21, "sip-server-dns", T::Fqdn, true),
            (22, "sip-server-addr", T::Ipv6Address, true),
            (23, "dns-servers", T::Ipv6Address, true),
            (24, "domain-search", T::Fqdn, true),
            (27, "nis-servers", T::Ipv6Address, true),
            (28, "nisp-servers", T::Ipv6Address, true),
            (29, "nis-domain-name", T::Fqdn, true),
            (30, "nisp-domain-name", T::Fqdn, true),
            (31, "sntp-servers", T::Ipv6Address, true),
            (32, "information-refresh-time", T::Uint32, false),
            (33, "bcmcs-server-dns", T::Fqdn, true),
            (34, "bcmcs-server-addr", T::Ipv6Address, true),
            (36, "geoconf-civic", T::Record, false),
            (37, "remote-id", T::Record, false),
            (38, "subscriber-id", T::Binary, false),
            (39, "client-fqdn", T::Record, false),
            (40, "pana-agent", T::Ipv6Address, true),
            (41, "new-posix-timezone", T::String, false),
            (42, "new-tzdb-timezone", T::String, false),
            (43, "ero", T::Uint16, true),
            (44, "lq-query", T::Record, false),
            (45, "client-data", T::Empty, false),
            (46, "clt-time", T::Uint32, false),
            (47, "lq-relay-data", T::Record, false),
            (48, "lq-client-link", T::Ipv6Address, true),
            (51, "v6-lost", T::Fqdn, false),
            (52, "capwap-ac-v6", T::Ipv6Address, true),
            (53, "relay-id", T::Binary, false),
            (57, "v6-access-domain", T::Fqdn, false),
            (58, "sip-ua-cs-list", T::Fqdn, true),
            (59, "bootfile-url", T::String, false),
            (60, "bootfile-param", T::Tuple, true),
            (61, "client-arch-type", T::Uint16, true),
            (62, "nii", T::Record, false),
            (64, "aftr-name", T::Fqdn, false),
            (65, "erp-local-domain-name", T::Fqdn, false),
            (66, "rsoo", T::Empty, false),
            // The ARM says binary; see the module doc.
            (67, "pd-exclude", T::Ipv6Prefix, false),
            (74, "rdnss-selection", T::Record, true),
            (79, "client-linklayer-addr", T::Binary, false),
            (80, "link-address", T::Ipv6Address, false),
            (82, "solmax-rt", T::Uint32, false),
            (83, "inf-max-rt", T::Uint32, false),
            (88, "dhcp4o6-server-addr", T::Ipv6Address, true),
            (89, "s46-rule", T::Record, false),
            (90, "s46-br", T::Ipv6Address, false),
            (91, "s46-dmr", T::Ipv6Prefix, false),
            (92, "s46-v4v6bind", T::Record, false),
            (93, "s46-portparams", T::Record, false),
            (94, "s46-cont-mape", T::Empty, false),
            (95, "s46-cont-mapt", T::Empty, false),
            (96, "s46-cont-lw", T::Empty, false),
            (103, "v6-captive-portal", T::String, false),
            (136, "v6-sztp-redirect", T::Tuple, true),
            (143, "ipv6-address-andsf", T::Ipv6Address, true),
            (144, "v6-dnr", T::Record, false),
        ];
        assert_eq!(rows.len(), 58, "INVENTORY §3.9 lists 58 definitions");
        for &(code, name, ty, array) in rows {
            let def = if (89..=93).contains(&code) {
                assert!(std_v6_def_by_code(code).is_none(), "{name} is not in dhcp6");
                V6_TABLES.iter().find_map(|t| t.by_code(code)).unwrap()
            } else {
                assert_eq!(std_v6_def_by_name(name).unwrap().code, code);
                std_v6_def_by_code(code).unwrap()
            };
            assert_eq!((&*def.name, def.data_type, def.array), (name, ty, array));
        }
        let rec = |code| {
            &*V6_TABLES
                .iter()
                .find_map(|t| t.by_code(code))
                .unwrap()
                .record_types
        };
        assert_eq!(rec(39), &[T::Uint8, T::Fqdn]);
        assert_eq!(rec(74), &[T::Ipv6Address, T::Uint8, T::Fqdn]);
        assert_eq!(
            rec(89),
            &[T::Uint8, T::Uint8, T::Uint8, T::Ipv4Address, T::Ipv6Prefix]
        );
        assert_eq!(rec(93), &[T::Uint8, T::Psid]);
        assert_eq!(rec(144), &[T::Uint16, T::Uint16, T::Fqdn, T::Binary]);
        // Server-managed definitions (ARM second table) and their encapsulated spaces.
        for (code, name, space) in [
            (3, "ia-na", DHCP6_OPTION_SPACE),
            (4, "ia-ta", DHCP6_OPTION_SPACE),
            (5, "iaaddr", DHCP6_OPTION_SPACE),
            (25, "ia-pd", DHCP6_OPTION_SPACE),
            (26, "iaprefix", DHCP6_OPTION_SPACE),
            (94, "s46-cont-mape", S46_CONT_MAPE_OPTION_SPACE),
            (95, "s46-cont-mapt", S46_CONT_MAPT_OPTION_SPACE),
            (96, "s46-cont-lw", S46_CONT_LW_OPTION_SPACE),
        ] {
            let def = std_v6_def_by_code(code).unwrap();
            assert_eq!((&*def.name, &*def.encapsulate), (name, space));
        }
        for name in [
            "clientid",
            "serverid",
            "oro",
            "elapsed-time",
            "relay-msg",
            "auth",
            "status-code",
            "rapid-commit",
            "user-class",
            "vendor-class",
            "vendor-opts",
            "interface-id",
            "reconf-msg",
            "reconf-accept",
            "dhcpv4-message",
            "relay-source-port",
        ] {
            assert!(std_v6_def_by_name(name).is_some(), "{name}");
        }
    }

    #[test]
    fn sub_spaces_as_kea() {
        let names = |space: &str| -> Vec<&str> {
            std_v6_space(space)
                .unwrap()
                .defs
                .iter()
                .map(|d| &*d.name)
                .collect()
        };
        assert_eq!(names(S46_CONT_MAPE_OPTION_SPACE), ["s46-rule", "s46-br"]);
        assert_eq!(names(S46_CONT_MAPT_OPTION_SPACE), ["s46-rule", "s46-dmr"]);
        assert_eq!(names(S46_CONT_LW_OPTION_SPACE), ["s46-br", "s46-v4v6bind"]);
        assert_eq!(names(S46_RULE_OPTION_SPACE), ["s46-portparams"]);
        let rule = S46_CONT_MAPE_OPTION_DEFS.by_code(89).unwrap();
        assert_eq!(rule.encapsulate, S46_RULE_OPTION_SPACE);
        let bind = S46_CONT_LW_OPTION_DEFS.by_code(92).unwrap();
        assert_eq!(bind.encapsulate, S46_V4V6BIND_OPTION_SPACE);
        assert_eq!(names(S46_V4V6BIND_OPTION_SPACE), ["s46-portparams"]);
        assert_eq!(
            names("vendor-2495"),
            ["4o6-interface", "4o6-source-address", "4o6-source-port"]
        );
        assert_eq!(
            std_v6_space("docsis3-v6")
                .unwrap()
                .by_code(1026)
                .unwrap()
                .name,
            "cmts-cm-mac"
        );
        assert_eq!(
            std_v6_vendor_space(4491)
                .unwrap()
                .by_name("oro")
                .unwrap()
                .data_type,
            T::Uint16
        );
        assert!(std_v6_space("dhcp4").is_none());
    }

    #[test]
    fn standard_override_is_refused() {
        let mut d = OptionDefinition::new("foo", 23, DHCP6_OPTION_SPACE, T::Uint8, false);
        assert!(d.check_not_standard_v6().is_err());
        d.code = 1000;
        assert!(d.check_not_standard_v6().is_ok());
        d.code = 23;
        d.space = "isc".into();
        assert!(d.check_not_standard_v6().is_ok());
    }
}
