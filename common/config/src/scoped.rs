//! Parameters that may be set at several levels (global, shared network, subnet) and are
//! inherited downwards when unset, shared by both servers; and the `relay` map.
//!
//! Implements `shared/spec/kea-arm/dhcp4-srv.rst`, "Introduction" (lifetimes and timers),
//! "Sending T1 (Option 58) and T2 (Option 59)", "Lease Caching", "DDNS for DHCPv4",
//! "Sanitizing Client Host Name and FQDN Names", "Fine-Tuning DHCPv4 Host Reservation"
//! (INVENTORY §3.1). Every field is an `Option`: unset means "inherit". Each daemon adds
//! its own keys around this macro (`dhcp4.rs`: offer lifetime, client-id matching, fixed
//! fields; `dhcp6.rs`: preferred lifetimes, `pd-allocator`), so neither accepts the other's.

use serde::{Deserialize, Serialize};

/// Appends the inheritable parameters common to kea-dhcp4 and kea-dhcp6 to a struct.
///
/// serde's `flatten` cannot be combined with `deny_unknown_fields`, so the shared fields are
/// spliced into each struct by this macro instead.
macro_rules! with_scoped_params {
    (
        $(#[$meta:meta])*
        pub struct $name:ident { $($body:tt)* }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $($body)*
            /// Lease lifetime in seconds (default 7200).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub valid_lifetime: Option<u32>,
            /// Shortest lifetime a client may ask for (default: `valid-lifetime`).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub min_valid_lifetime: Option<u32>,
            /// Longest lifetime a client may ask for (default: `valid-lifetime`).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub max_valid_lifetime: Option<u32>,
            /// T1 in seconds (default: unset).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub renew_timer: Option<u32>,
            /// T2 in seconds (default: unset).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub rebind_timer: Option<u32>,
            /// Compute T1/T2 from the lifetime when not configured.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub calculate_tee_times: Option<bool>,
            /// T1 as a fraction of the lifetime (default 0.5).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub t1_percent: Option<f64>,
            /// T2 as a fraction of the lifetime.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub t2_percent: Option<f64>,
            /// Reuse a lease while less than this fraction of it has elapsed.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub cache_threshold: Option<f64>,
            /// Reuse a lease while it is younger than this many seconds.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub cache_max_age: Option<u32>,
            /// Send DNS updates (default true, subject to `dhcp-ddns.enable-updates`).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub ddns_send_updates: Option<bool>,
            /// Update DNS even when the client asked for no update (default false).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub ddns_override_no_update: Option<bool>,
            /// Do the forward update even when the client wants to (default false).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub ddns_override_client_update: Option<bool>,
            /// When to replace the client's name (default never).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub ddns_replace_client_name: Option<crate::ddns::ReplaceClientName>,
            /// Prefix of generated names (default `myhost`).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub ddns_generated_prefix: Option<String>,
            /// Suffix making partial names fully qualified (default "").
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub ddns_qualifying_suffix: Option<String>,
            /// Update DNS on every renewal (default false).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub ddns_update_on_renew: Option<bool>,
            /// Use RFC 4703 conflict resolution (default true).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub ddns_use_conflict_resolution: Option<bool>,
            /// How DNS conflicts are resolved (2.5.7 ARM; default check-with-dhcid).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub ddns_conflict_resolution_mode: Option<crate::ddns::ConflictResolutionMode>,
            /// DNS TTL as a fraction of the lease lifetime (2.5.7 ARM).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub ddns_ttl_percent: Option<f64>,
            /// Address allocator: `iterative`, `random`, `flq` (2.5.7 ARM; default iterative).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub allocator: Option<String>,
            /// Characters to replace in client names, as a regex (default `[^A-Za-z0-9.-]`).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub hostname_char_set: Option<String>,
            /// Replacement for those characters (default "").
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub hostname_char_replacement: Option<String>,
            /// Keep relay and client extended info in leases (default false).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub store_extended_info: Option<bool>,
            /// Deprecated reservation mode.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub reservation_mode: Option<crate::hosts::ReservationMode>,
            /// Look up global reservations (default false).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub reservations_global: Option<bool>,
            /// Look up in-subnet reservations (default true).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub reservations_in_subnet: Option<bool>,
            /// Assume in-subnet reservations lie outside pools (default false).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub reservations_out_of_pool: Option<bool>,
            /// Options sent at this level.
            #[serde(default)]
            pub option_data: Vec<crate::options::OptionData>,
            /// Free-form user data.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub user_context: Option<crate::UserContext>,
            /// A comment.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub comment: Option<String>,
        }
    };
}

pub(crate) use with_scoped_params;

/// The `relay` map of a subnet or shared network: addresses of relays serving it.
/// Exactly one of the two keys is given.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Relay {
    /// One relay address (older form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
    /// Relay addresses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_addresses: Option<Vec<String>>,
}
