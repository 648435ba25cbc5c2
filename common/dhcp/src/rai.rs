//! Relay Agent Information (option 82, RFC 3046) and its sub-options that Kea understands:
//! circuit-id (1), remote-id (2), link-selection (5, RFC 3527), subscriber-id (6, RFC 3993),
//! server-id-override (11, RFC 5107), relay-id (12, RFC 6925), relay-port (19, RFC 8357).
//!
//! ARM: `dhcp4-srv.rst`, "List of RAI sub-options that Kea can understand".

use std::net::Ipv4Addr;

use crate::codes::{
    DHO_DHCP_AGENT_OPTIONS, RAI_OPTION_AGENT_CIRCUIT_ID, RAI_OPTION_LINK_SELECTION,
    RAI_OPTION_RELAY_ID, RAI_OPTION_RELAY_PORT, RAI_OPTION_REMOTE_ID,
    RAI_OPTION_SERVER_ID_OVERRIDE, RAI_OPTION_SUBSCRIBER_ID,
};
use crate::option::{Opt, OptionListError, Options, PadEnd, parse_suboptions_v4};
use crate::pkt4::Pkt4;

/// The sub-options of one option 82.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RelayAgentInfo {
    /// Sub-options in wire order (split ones fused).
    pub suboptions: Options,
}

impl RelayAgentInfo {
    /// Parses option 82 data. RAI sub-options have no PAD/END (codes 0 and 255 are ordinary).
    pub fn parse(data: &[u8]) -> Result<Self, OptionListError> {
        Ok(Self {
            suboptions: parse_suboptions_v4(data, PadEnd::Ordinary)?,
        })
    }

    /// Parses the packet's option 82, if any.
    pub fn from_pkt(pkt: &Pkt4) -> Option<Result<Self, OptionListError>> {
        pkt.options.data(DHO_DHCP_AGENT_OPTIONS).map(Self::parse)
    }

    /// The option 82 instance carrying these sub-options.
    pub fn to_option(&self) -> Opt {
        let mut data = Vec::with_capacity(self.suboptions.encoded_len_v4());
        self.suboptions.encode_v4(&mut data);
        Opt::new(DHO_DHCP_AGENT_OPTIONS, data)
    }

    fn addr(&self, code: u16) -> Option<Ipv4Addr> {
        match self.suboptions.data(code)? {
            &[a, b, c, d] => Some(Ipv4Addr::new(a, b, c, d)),
            _ => None,
        }
    }

    /// Sub-option 1: circuit-id.
    pub fn circuit_id(&self) -> Option<&[u8]> {
        self.suboptions.data(RAI_OPTION_AGENT_CIRCUIT_ID)
    }

    /// Sub-option 2: remote-id.
    pub fn remote_id(&self) -> Option<&[u8]> {
        self.suboptions.data(RAI_OPTION_REMOTE_ID)
    }

    /// Sub-option 5 (RFC 3527): the link the client is on, when exactly four octets.
    pub fn link_selection(&self) -> Option<Ipv4Addr> {
        self.addr(RAI_OPTION_LINK_SELECTION)
    }

    /// Sub-option 6: subscriber-id.
    pub fn subscriber_id(&self) -> Option<&[u8]> {
        self.suboptions.data(RAI_OPTION_SUBSCRIBER_ID)
    }

    /// Sub-option 11 (RFC 5107): the server identifier the relay wants used.
    pub fn server_id_override(&self) -> Option<Ipv4Addr> {
        self.addr(RAI_OPTION_SERVER_ID_OVERRIDE)
    }

    /// Sub-option 12: relay-id.
    pub fn relay_id(&self) -> Option<&[u8]> {
        self.suboptions.data(RAI_OPTION_RELAY_ID)
    }

    /// Sub-option 19 (RFC 8357): the relay's source port, when two octets.
    pub fn relay_port(&self) -> Option<u16> {
        match self.suboptions.data(RAI_OPTION_RELAY_PORT)? {
            &[a, b] => Some(u16::from_be_bytes([a, b])),
            _ => None,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    #[test]
    fn sub_options_are_read() {
        let data = [
            1, 3, b'a', b'b', b'c', 2, 2, 0x10, 0x20, 5, 4, 192, 0, 2, 0, 11, 4, 10, 0, 0, 1, 19,
            2, 0x10, 0x43, 6, 1, b's', 12, 1, 9,
        ];
        let rai = RelayAgentInfo::parse(&data).unwrap();
        assert_eq!(rai.circuit_id(), Some(&b"abc"[..]));
        assert_eq!(rai.remote_id(), Some(&[0x10, 0x20][..]));
        assert_eq!(rai.link_selection(), Some(Ipv4Addr::new(192, 0, 2, 0)));
        assert_eq!(rai.server_id_override(), Some(Ipv4Addr::new(10, 0, 0, 1)));
        assert_eq!(rai.relay_port(), Some(4163));
        assert_eq!(rai.subscriber_id(), Some(&b"s"[..]));
        assert_eq!(rai.relay_id(), Some(&[9][..]));
        assert_eq!(rai.to_option().data, data.to_vec());
    }

    #[test]
    fn bad_lengths() {
        let rai = RelayAgentInfo::parse(&[5, 3, 1, 2, 3, 19, 1, 7]).unwrap();
        assert_eq!(rai.link_selection(), None);
        assert_eq!(rai.relay_port(), None);
        assert!(RelayAgentInfo::parse(&[1, 5, 0]).is_err());
        let zero_code = RelayAgentInfo::parse(&[0, 1, 7]).unwrap();
        assert_eq!(zero_code.suboptions.data(0), Some(&[7][..]));
    }
}
