//! Hook points and next steps: where a server calls out to hook libraries, under Kea's
//! names, and what a callout may ask the server to do next (`hooks.rst`, "Hooks Libraries";
//! `shared/spec/dhcp6-hooks-api.txt`, "Hooks API for the DHCPv4/DHCPv6 Server";
//! INVENTORY §10).

use std::fmt;

/// A named point in a daemon's processing where callouts run.
///
/// The names are Kea's exactly (`pkt4_receive`, `leases4_committed`, ...), since a hook
/// library and its documentation refer to them by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HookPoint {
    /// `dhcp4_srv_configured`: a new DHCPv4 configuration was committed.
    Dhcp4SrvConfigured,
    /// `buffer4_receive`: a raw DHCPv4 packet arrived, before it is parsed.
    Buffer4Receive,
    /// `pkt4_receive`: a parsed DHCPv4 packet, after classification.
    Pkt4Receive,
    /// `subnet4_select`: a subnet was selected for the query.
    Subnet4Select,
    /// `host4_identifier`: build a flexible host identifier.
    Host4Identifier,
    /// `lease4_select`: a candidate lease was chosen (also for an offer).
    Lease4Select,
    /// `lease4_renew`: a client renews its lease.
    Lease4Renew,
    /// `lease4_release`: a client releases its lease (DHCPRELEASE).
    Lease4Release,
    /// `lease4_decline`: a client declines its address (DHCPDECLINE).
    Lease4Decline,
    /// `lease4_expire`: an expired lease is being reclaimed.
    Lease4Expire,
    /// `lease4_recover`: a declined lease comes back after probation.
    Lease4Recover,
    /// `leases4_committed`: leases are stored, the response is not sent yet.
    Leases4Committed,
    /// `pkt4_send`: the response is built, before it is packed.
    Pkt4Send,
    /// `buffer4_send`: the response is packed, before it is sent.
    Buffer4Send,
    /// `ddns4_update`: before name change requests are generated.
    Ddns4Update,
    /// `dhcp6_srv_configured`: a new DHCPv6 configuration was committed.
    Dhcp6SrvConfigured,
    /// `buffer6_receive`: a raw DHCPv6 packet arrived, before it is parsed.
    Buffer6Receive,
    /// `pkt6_receive`: a parsed DHCPv6 packet, after classification.
    Pkt6Receive,
    /// `subnet6_select`: a subnet was selected for the query.
    Subnet6Select,
    /// `host6_identifier`: build a flexible host identifier.
    Host6Identifier,
    /// `lease6_select`: a candidate lease was chosen (also for an advertise).
    Lease6Select,
    /// `lease6_renew`: a client renews (RENEW).
    Lease6Renew,
    /// `lease6_rebind`: a client rebinds (REBIND).
    Lease6Rebind,
    /// `lease6_release`: a client releases (RELEASE).
    Lease6Release,
    /// `lease6_decline`: a client declines (DECLINE).
    Lease6Decline,
    /// `lease6_expire`: an expired lease is being reclaimed.
    Lease6Expire,
    /// `lease6_recover`: a declined lease comes back after probation.
    Lease6Recover,
    /// `leases6_committed`: leases are stored, the response is not sent yet.
    Leases6Committed,
    /// `pkt6_send`: the response is built, before it is packed.
    Pkt6Send,
    /// `buffer6_send`: the response is packed, before it is sent.
    Buffer6Send,
    /// `ddns6_update`: before name change requests are generated.
    Ddns6Update,
    /// `command_processed`: a control command ran (both families).
    CommandProcessed,
}

/// Every hook point of kea-dhcp4, in the order a packet meets them (configuration first,
/// `command_processed` last).
pub const DHCP4_HOOK_POINTS: &[HookPoint] = &[
    HookPoint::Dhcp4SrvConfigured,
    HookPoint::Buffer4Receive,
    HookPoint::Pkt4Receive,
    HookPoint::Subnet4Select,
    HookPoint::Host4Identifier,
    HookPoint::Lease4Select,
    HookPoint::Lease4Renew,
    HookPoint::Lease4Release,
    HookPoint::Lease4Decline,
    HookPoint::Ddns4Update,
    HookPoint::Leases4Committed,
    HookPoint::Pkt4Send,
    HookPoint::Buffer4Send,
    HookPoint::Lease4Expire,
    HookPoint::Lease4Recover,
    HookPoint::CommandProcessed,
];

/// Every hook point of kea-dhcp6, in the order a packet meets them.
pub const DHCP6_HOOK_POINTS: &[HookPoint] = &[
    HookPoint::Dhcp6SrvConfigured,
    HookPoint::Buffer6Receive,
    HookPoint::Pkt6Receive,
    HookPoint::Subnet6Select,
    HookPoint::Host6Identifier,
    HookPoint::Lease6Select,
    HookPoint::Lease6Renew,
    HookPoint::Lease6Rebind,
    HookPoint::Lease6Release,
    HookPoint::Lease6Decline,
    HookPoint::Ddns6Update,
    HookPoint::Leases6Committed,
    HookPoint::Pkt6Send,
    HookPoint::Buffer6Send,
    HookPoint::Lease6Expire,
    HookPoint::Lease6Recover,
    HookPoint::CommandProcessed,
];

impl HookPoint {
    /// Kea's name of the hook point (`pkt4_receive`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Dhcp4SrvConfigured => "dhcp4_srv_configured",
            Self::Buffer4Receive => "buffer4_receive",
            Self::Pkt4Receive => "pkt4_receive",
            Self::Subnet4Select => "subnet4_select",
            Self::Host4Identifier => "host4_identifier",
            Self::Lease4Select => "lease4_select",
            Self::Lease4Renew => "lease4_renew",
            Self::Lease4Release => "lease4_release",
            Self::Lease4Decline => "lease4_decline",
            Self::Lease4Expire => "lease4_expire",
            Self::Lease4Recover => "lease4_recover",
            Self::Leases4Committed => "leases4_committed",
            Self::Pkt4Send => "pkt4_send",
            Self::Buffer4Send => "buffer4_send",
            Self::Ddns4Update => "ddns4_update",
            Self::Dhcp6SrvConfigured => "dhcp6_srv_configured",
            Self::Buffer6Receive => "buffer6_receive",
            Self::Pkt6Receive => "pkt6_receive",
            Self::Subnet6Select => "subnet6_select",
            Self::Host6Identifier => "host6_identifier",
            Self::Lease6Select => "lease6_select",
            Self::Lease6Renew => "lease6_renew",
            Self::Lease6Rebind => "lease6_rebind",
            Self::Lease6Release => "lease6_release",
            Self::Lease6Decline => "lease6_decline",
            Self::Lease6Expire => "lease6_expire",
            Self::Lease6Recover => "lease6_recover",
            Self::Leases6Committed => "leases6_committed",
            Self::Pkt6Send => "pkt6_send",
            Self::Buffer6Send => "buffer6_send",
            Self::Ddns6Update => "ddns6_update",
            Self::CommandProcessed => "command_processed",
        }
    }

    /// The hook point with Kea's name `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Self> {
        DHCP4_HOOK_POINTS
            .iter()
            .chain(DHCP6_HOOK_POINTS)
            .copied()
            .find(|p| p.name() == name)
    }

    /// The next steps the server honours after this hook point's callouts (INVENTORY
    /// §10.1/§10.2, "next-step honoured"); any other step is treated as `Continue`.
    pub fn honoured_steps(self) -> &'static [NextStep] {
        use NextStep::{Drop, Park, Skip};
        match self {
            Self::Dhcp4SrvConfigured | Self::Dhcp6SrvConfigured => &[Drop],
            Self::Buffer4Receive
            | Self::Pkt4Receive
            | Self::Subnet4Select
            | Self::Lease4Release
            | Self::Lease4Decline
            | Self::Pkt4Send
            | Self::Buffer4Send
            | Self::Buffer6Receive
            | Self::Pkt6Receive
            | Self::Subnet6Select
            | Self::Lease6Release
            | Self::Lease6Decline
            | Self::Pkt6Send
            | Self::Buffer6Send => &[Skip, Drop],
            Self::Lease4Select
            | Self::Lease4Renew
            | Self::Lease4Expire
            | Self::Lease4Recover
            | Self::Lease6Select
            | Self::Lease6Renew
            | Self::Lease6Rebind
            | Self::Lease6Expire
            | Self::Lease6Recover => &[Skip],
            Self::Leases4Committed | Self::Leases6Committed => &[Drop, Park],
            Self::Host4Identifier
            | Self::Host6Identifier
            | Self::Ddns4Update
            | Self::Ddns6Update
            | Self::CommandProcessed => &[],
        }
    }

    /// The step the server acts on when callouts ask for `step` here: `step` itself if
    /// this point honours it, otherwise [`NextStep::Continue`].
    pub fn effective_step(self, step: NextStep) -> NextStep {
        if self.honoured_steps().contains(&step) {
            step
        } else {
            NextStep::Continue
        }
    }
}

impl fmt::Display for HookPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a callout asks the server to do after a hook point (Kea's `CalloutHandle`
/// next-step status).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum NextStep {
    /// Go on as usual (the default).
    #[default]
    Continue,
    /// Skip the server's own action at this point (meaning depends on the point).
    Skip,
    /// Drop the packet: no response is sent.
    Drop,
    /// Hold the packet until a library unparks it (`leases4_committed`).
    Park,
}

impl NextStep {
    /// Kea's name of the step (`NEXT_STEP_CONTINUE` ...), as logged.
    pub fn name(self) -> &'static str {
        match self {
            Self::Continue => "NEXT_STEP_CONTINUE",
            Self::Skip => "NEXT_STEP_SKIP",
            Self::Drop => "NEXT_STEP_DROP",
            Self::Park => "NEXT_STEP_PARK",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for p in DHCP4_HOOK_POINTS.iter().chain(DHCP6_HOOK_POINTS) {
            assert_eq!(HookPoint::from_name(p.name()), Some(*p));
            seen.insert(p.name());
        }
        // 15 v4 + 16 v6 + command_processed shared by both lists.
        assert_eq!(seen.len(), 32);
        assert_eq!(
            HookPoint::from_name("pkt4_receive"),
            Some(HookPoint::Pkt4Receive)
        );
        assert_eq!(HookPoint::from_name("pkt4-receive"), None);
    }

    #[test]
    fn unhonoured_steps_become_continue() {
        assert_eq!(
            HookPoint::Leases4Committed.effective_step(NextStep::Park),
            NextStep::Park
        );
        assert_eq!(
            HookPoint::Lease4Select.effective_step(NextStep::Drop),
            NextStep::Continue
        );
        assert_eq!(
            HookPoint::Pkt4Receive.effective_step(NextStep::Drop),
            NextStep::Drop
        );
        assert_eq!(
            HookPoint::CommandProcessed.effective_step(NextStep::Skip),
            NextStep::Continue
        );
        assert_eq!(NextStep::default().name(), "NEXT_STEP_CONTINUE");
    }
}
