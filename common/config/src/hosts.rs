//! Keywords about host reservations shared by both servers: the identifier types of
//! `host-reservation-identifiers` and the deprecated `reservation-mode`.
//!
//! Implements `shared/spec/kea-arm/dhcp4-srv.rst`, "Fine-Tuning DHCPv4 Host Reservation".

use crate::enums::keyword_enum;

keyword_enum! {
    /// A kind of host identifier. kea-dhcp6 accepts only `hw-address`, `duid`, `flex-id`.
    pub enum HostIdentifierType {
        /// Hardware (MAC) address.
        HwAddress = "hw-address",
        /// DUID.
        Duid = "duid",
        /// DHCPv4 relay agent circuit id.
        CircuitId = "circuit-id",
        /// DHCPv4 client identifier.
        ClientId = "client-id",
        /// Identifier computed by the flex-id hook.
        FlexId = "flex-id",
    }
}

impl HostIdentifierType {
    /// Kea 2.2's default list for kea-dhcp4.
    pub const DHCP4_DEFAULT: [Self; 4] =
        [Self::HwAddress, Self::Duid, Self::CircuitId, Self::ClientId];
}

keyword_enum! {
    /// Deprecated `reservation-mode` (superseded by the `reservations-*` flags).
    pub enum ReservationMode {
        /// No reservations.
        Disabled = "disabled",
        /// In-subnet reservations, assumed outside pools.
        OutOfPool = "out-of-pool",
        /// Global reservations only.
        Global = "global",
        /// In-subnet reservations anywhere.
        All = "all",
    }
}

keyword_enum! {
    /// A kind of host identifier accepted by kea-dhcp6's `host-reservation-identifiers`
    /// (`shared/spec/kea-arm/dhcp6-srv.rst`, "Fine-Tuning DHCPv6 Host Reservation").
    pub enum HostIdentifierType6 {
        /// DUID.
        Duid = "duid",
        /// Hardware (MAC) address.
        HwAddress = "hw-address",
        /// Identifier computed by the flex-id hook.
        FlexId = "flex-id",
    }
}

impl HostIdentifierType6 {
    /// Kea 2.2's default list for kea-dhcp6.
    pub const DHCP6_DEFAULT: [Self; 2] = [Self::HwAddress, Self::Duid];
}

impl From<HostIdentifierType6> for HostIdentifierType {
    fn from(t: HostIdentifierType6) -> Self {
        match t {
            HostIdentifierType6::Duid => Self::Duid,
            HostIdentifierType6::HwAddress => Self::HwAddress,
            HostIdentifierType6::FlexId => Self::FlexId,
        }
    }
}
