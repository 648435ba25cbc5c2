//! RFC 2136 UPDATE messages built with hickory-proto: the zone section, the prerequisites of
//! RFC 2136 §2.4 and the update operations of §2.5, for the records D2 manages (A, AAAA,
//! PTR and the RFC 4701 DHCID, type 49, which hickory carries as unknown RDATA).

use std::net::IpAddr;

use hickory_proto::op::{Message, MessageType, OpCode, Query, UpdateMessage};
use hickory_proto::rr::rdata::{A, AAAA, NULL, PTR};
use hickory_proto::rr::{DNSClass, Name, RData, Record, RecordType};
use kea_ncr::Dhcid;

/// RFC 4701 DHCID RR type.
pub const TYPE_DHCID: RecordType = RecordType::Unknown(49);

/// A name or message that could not be built.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    /// The text is not a domain name.
    #[error("invalid domain name '{name}'")]
    BadName {
        /// The text.
        name: String,
    },
    /// The encoder failed.
    #[error("cannot encode DNS update: {reason}")]
    Encode {
        /// hickory's message.
        reason: String,
    },
}

/// Parses a fully qualified domain name.
pub fn name(text: &str) -> Result<Name, UpdateError> {
    let mut n = Name::from_ascii(text).map_err(|_| UpdateError::BadName {
        name: text.to_owned(),
    })?;
    n.set_fqdn(true);
    Ok(n)
}

/// An empty UPDATE for `zone` (class IN).
pub fn new_update(zone: &Name) -> Message {
    let mut m = Message::new(0, MessageType::Query, OpCode::Update);
    let mut q = Query::query(zone.clone(), RecordType::SOA);
    q.set_query_class(DNSClass::IN);
    m.add_zone(q);
    m
}

/// Encodes a message with the given ID.
pub fn encode(message: &mut Message, id: u16) -> Result<Vec<u8>, UpdateError> {
    message.metadata.id = id;
    message.to_vec().map_err(|e| UpdateError::Encode {
        reason: e.to_string(),
    })
}

/// The address record of `ip` (A or AAAA).
pub fn address_rdata(ip: IpAddr) -> RData {
    match ip {
        IpAddr::V4(a) => RData::A(A(a)),
        IpAddr::V6(a) => RData::AAAA(AAAA(a)),
    }
}

/// The address record type of `ip`.
pub fn address_type(ip: IpAddr) -> RecordType {
    match ip {
        IpAddr::V4(_) => RecordType::A,
        IpAddr::V6(_) => RecordType::AAAA,
    }
}

/// A DHCID RDATA.
pub fn dhcid_rdata(dhcid: &Dhcid) -> RData {
    RData::Unknown {
        code: TYPE_DHCID,
        rdata: NULL::with(dhcid.as_bytes().to_vec()),
    }
}

/// A PTR RDATA pointing at `target`.
pub fn ptr_rdata(target: &Name) -> RData {
    RData::PTR(PTR(target.clone()))
}

fn empty(owner: &Name, rtype: RecordType, class: DNSClass) -> Record {
    let mut r = Record::update0(owner.clone(), 0, rtype).into_record_of_rdata();
    r.dns_class = class;
    r
}

fn with_data(owner: &Name, ttl: u32, data: RData, class: DNSClass) -> Record {
    let mut r = Record::from_rdata(owner.clone(), ttl, data);
    r.dns_class = class;
    r
}

/// RFC 2136 §2.4.5 "Name Is Not In Use" (class NONE, type ANY).
pub fn name_not_in_use(owner: &Name) -> Record {
    empty(owner, RecordType::ANY, DNSClass::NONE)
}

/// RFC 2136 §2.4.1 "RRset Exists (Value Independent)" (class ANY).
pub fn rrset_exists(owner: &Name, rtype: RecordType) -> Record {
    empty(owner, rtype, DNSClass::ANY)
}

/// RFC 2136 §2.4.2 "RRset Exists (Value Dependent)" (class IN with RDATA).
pub fn rrset_exists_value(owner: &Name, data: RData) -> Record {
    with_data(owner, 0, data, DNSClass::IN)
}

/// RFC 2136 §2.4.3 "RRset Does Not Exist" (class NONE).
pub fn rrset_not_exists(owner: &Name, rtype: RecordType) -> Record {
    empty(owner, rtype, DNSClass::NONE)
}

/// RFC 2136 §2.5.1 "Add To An RRset".
pub fn add_rr(owner: &Name, ttl: u32, data: RData) -> Record {
    with_data(owner, ttl, data, DNSClass::IN)
}

/// RFC 2136 §2.5.2 "Delete An RRset" (class ANY).
pub fn delete_rrset(owner: &Name, rtype: RecordType) -> Record {
    empty(owner, rtype, DNSClass::ANY)
}

/// RFC 2136 §2.5.4 "Delete An RR From An RRset" (class NONE with RDATA).
pub fn delete_rr(owner: &Name, data: RData) -> Record {
    with_data(owner, 0, data, DNSClass::NONE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_message_wire() {
        let zone = name("example.org.").unwrap();
        let host = name("h.example.org.").unwrap();
        let mut m = new_update(&zone);
        m.add_pre_requisite(name_not_in_use(&host));
        m.add_update(add_rr(
            &host,
            1200,
            address_rdata("192.0.2.1".parse().unwrap()),
        ));
        m.add_update(add_rr(
            &host,
            1200,
            dhcid_rdata(&Dhcid::from_bytes(vec![0, 1, 1, 9])),
        ));
        let w = encode(&mut m, 0xabcd).unwrap();
        assert_eq!(&w[..4], &[0xab, 0xcd, 0x28, 0x00]);
        // ZOCOUNT 1, PRCOUNT 1, UPCOUNT 2, ADCOUNT 0.
        assert_eq!(&w[4..12], &[0, 1, 0, 1, 0, 2, 0, 0]);
        // The DHCID RR ends the message: type 49, class IN, TTL 1200, RDATA.
        assert!(w.ends_with(&[0, 49, 0, 1, 0, 0, 4, 176, 0, 4, 0, 1, 1, 9]));
        // The prerequisite: class NONE (254), type ANY (255), TTL 0, RDLENGTH 0.
        let decoded = Message::from_vec(&w).unwrap();
        assert_eq!(decoded.prerequisites()[0].dns_class, DNSClass::NONE);
        assert_eq!(decoded.prerequisites()[0].record_type(), RecordType::ANY);
    }

    #[test]
    fn bad_name() {
        assert!(name("a..b").is_err());
    }
}
