//! Name change transactions (ARM `ddns.rst`, "Conflict Resolution"; RFC 4703 §5): one NCR
//! becomes one or two UPDATE exchanges per direction, forward (A/AAAA + DHCID at the FQDN)
//! first, then reverse (PTR + DHCID at the address's reverse name), in the request's
//! conflict resolution mode. Each exchange walks the domain's servers in order, trying each
//! up to [`MAX_TRIES_PER_SERVER`] times on timeouts and errors.

use hickory_proto::op::{Message, UpdateMessage};
use hickory_proto::rr::{Name, RecordType};
use kea_ncr::{ChangeType, ConflictResolutionMode as Mode, NameChangeRequest};
use kea_stats::StatsMgr;
use tracing::{debug, error, info};

use crate::client::{Outcome, exchange};
use crate::config::D2Runtime;
use crate::domains::{DdnsDomain, reverse_name};
use crate::update::{self, TYPE_DHCID, UpdateError};

/// Attempts per server before the next one is tried (Kea's `MAX_UPDATE_TRIES_PER_SERVER`).
pub const MAX_TRIES_PER_SERVER: usize = 3;

const NOERROR: u16 = 0;
const NXDOMAIN: u16 = 3;
const YXDOMAIN: u16 = 6;
const NXRRSET: u16 = 8;

/// Why a request was not (fully) carried out.
#[derive(Debug, thiserror::Error)]
pub enum TransactionError {
    /// The FQDN matches no forward domain (and forward domains exist).
    #[error("no forward domain matches {fqdn}")]
    NoForwardMatch {
        /// The name.
        fqdn: String,
    },
    /// The reverse name matches no reverse domain (and reverse domains exist).
    #[error("no reverse domain matches {name}")]
    NoReverseMatch {
        /// The reverse name.
        name: String,
    },
    /// No server of the domain gave a valid answer.
    #[error("no DNS server of domain {domain} answered")]
    NoServerAnswered {
        /// The domain.
        domain: String,
    },
    /// A server refused the update (or a prerequisite, i.e. a conflict, failed).
    #[error("update of {name} in {domain} rejected with RCODE {rcode}")]
    Rejected {
        /// The owner name updated.
        name: String,
        /// The domain.
        domain: String,
        /// The RCODE.
        rcode: u16,
    },
    /// A name could not be encoded.
    #[error(transparent)]
    Update(#[from] UpdateError),
}

/// Carries out `ncr` against the configured domains.
pub async fn process(
    ncr: &NameChangeRequest,
    rt: &D2Runtime,
    stats: &StatsMgr,
) -> Result<(), TransactionError> {
    let forward =
        if ncr.forward_change && !rt.forward.is_empty() {
            Some(rt.forward.match_name(&ncr.fqdn).ok_or_else(|| {
                TransactionError::NoForwardMatch {
                    fqdn: ncr.fqdn.clone(),
                }
            })?)
        } else {
            None
        };
    let rev_name = reverse_name(ncr.ip_address);
    let reverse =
        if ncr.reverse_change && !rt.reverse.is_empty() {
            Some(rt.reverse.match_name(&rev_name).ok_or_else(|| {
                TransactionError::NoReverseMatch {
                    name: rev_name.clone(),
                }
            })?)
        } else {
            None
        };
    let tx = Tx {
        ncr,
        rt,
        stats,
        fqdn: update::name(&ncr.fqdn)?,
        rev: update::name(&rev_name)?,
    };
    let result = async {
        if let Some(d) = forward {
            match ncr.change_type {
                ChangeType::Add => tx.forward_add(d).await?,
                ChangeType::Remove => tx.forward_remove(d).await?,
            }
        }
        if let Some(d) = reverse {
            match ncr.change_type {
                ChangeType::Add => tx.reverse_add(d).await?,
                ChangeType::Remove => tx.reverse_remove(d).await?,
            }
        }
        Ok(())
    }
    .await;
    match &result {
        Ok(()) => info!(target: "kea-dhcp-ddns.d2-to-dns", msgid = match ncr.change_type {
                ChangeType::Add => "DHCP_DDNS_ADD_SUCCEEDED",
                ChangeType::Remove => "DHCP_DDNS_REMOVE_SUCCEEDED",
            }, "DHCP_DDNS request for {} {} completed", ncr.fqdn, ncr.ip_address),
        Err(e) => error!(target: "kea-dhcp-ddns.d2-to-dns", msgid = match ncr.change_type {
                ChangeType::Add => "DHCP_DDNS_ADD_FAILED",
                ChangeType::Remove => "DHCP_DDNS_REMOVE_FAILED",
            }, "DHCP_DDNS request for {} {} failed: {e}", ncr.fqdn, ncr.ip_address),
    }
    result
}

struct Tx<'a> {
    ncr: &'a NameChangeRequest,
    rt: &'a D2Runtime,
    stats: &'a StatsMgr,
    fqdn: Name,
    rev: Name,
}

impl Tx<'_> {
    fn mode(&self) -> Mode {
        self.ncr.conflict_resolution_mode
    }

    fn zone(&self, d: &DdnsDomain, owner: &Name) -> Result<Name, UpdateError> {
        if d.name == "*" {
            Ok(owner.base_name())
        } else {
            update::name(&d.name)
        }
    }

    /// One UPDATE over the domain's servers; returns the first valid answer's RCODE.
    async fn send(&self, d: &DdnsDomain, mut msg: Message) -> Result<u16, TransactionError> {
        for server in &d.servers {
            for _ in 0..MAX_TRIES_PER_SERVER {
                let id: u16 = rand::random();
                let wire = update::encode(&mut msg, id)?;
                match exchange(&wire, server, self.rt.dns_server_timeout, self.stats).await {
                    Outcome::Answer(rcode) => return Ok(rcode),
                    other => debug!(target: "kea-dhcp-ddns.d2-to-dns",
                        msgid = "DHCP_DDNS_UPDATE_REQUEST_SENT", "{}: {other:?}", server.addr),
                }
            }
        }
        Err(TransactionError::NoServerAnswered {
            domain: d.name.clone(),
        })
    }

    fn rejected(&self, d: &DdnsDomain, name: &Name, rcode: u16) -> TransactionError {
        TransactionError::Rejected {
            name: name.to_ascii(),
            domain: d.name.clone(),
            rcode,
        }
    }

    fn dhcid(&self) -> hickory_proto::rr::RData {
        update::dhcid_rdata(&self.ncr.dhcid)
    }

    async fn forward_add(&self, d: &DdnsDomain) -> Result<(), TransactionError> {
        let ip = self.ncr.ip_address;
        let ttl = self.ncr.lease_length;
        let zone = self.zone(d, &self.fqdn)?;
        let atype = update::address_type(ip);
        let mut m = update::new_update(&zone);
        match self.mode() {
            Mode::NoCheckWithDhcid | Mode::NoCheckWithoutDhcid => {
                m.add_update(update::delete_rrset(&self.fqdn, atype));
                m.add_update(update::add_rr(&self.fqdn, ttl, update::address_rdata(ip)));
                if self.mode() == Mode::NoCheckWithDhcid {
                    m.add_update(update::delete_rrset(&self.fqdn, TYPE_DHCID));
                    m.add_update(update::add_rr(&self.fqdn, ttl, self.dhcid()));
                }
                return match self.send(d, m).await? {
                    NOERROR => Ok(()),
                    rc => Err(self.rejected(d, &self.fqdn, rc)),
                };
            }
            Mode::CheckWithDhcid | Mode::CheckExistsWithDhcid => {}
        }
        // RFC 4703 §5.3.1: add if the name is not in use.
        m.add_pre_requisite(update::name_not_in_use(&self.fqdn));
        m.add_update(update::add_rr(&self.fqdn, ttl, update::address_rdata(ip)));
        m.add_update(update::add_rr(&self.fqdn, ttl, self.dhcid()));
        match self.send(d, m).await? {
            NOERROR => return Ok(()),
            YXDOMAIN => {}
            rc => return Err(self.rejected(d, &self.fqdn, rc)),
        }
        // §5.3.2: the name is in use; replace the addresses if the DHCID allows it.
        let mut m = update::new_update(&zone);
        m.add_pre_requisite(match self.mode() {
            Mode::CheckExistsWithDhcid => update::rrset_exists(&self.fqdn, TYPE_DHCID),
            _ => update::rrset_exists_value(&self.fqdn, self.dhcid()),
        });
        m.add_update(update::delete_rrset(&self.fqdn, atype));
        m.add_update(update::add_rr(&self.fqdn, ttl, update::address_rdata(ip)));
        match self.send(d, m).await? {
            NOERROR => Ok(()),
            rc => Err(self.rejected(d, &self.fqdn, rc)),
        }
    }

    async fn forward_remove(&self, d: &DdnsDomain) -> Result<(), TransactionError> {
        let ip = self.ncr.ip_address;
        let zone = self.zone(d, &self.fqdn)?;
        let check = |m: &mut Message| match self.mode() {
            Mode::CheckWithDhcid => {
                m.add_pre_requisite(update::rrset_exists_value(&self.fqdn, self.dhcid()));
            }
            Mode::CheckExistsWithDhcid => {
                m.add_pre_requisite(update::rrset_exists(&self.fqdn, TYPE_DHCID));
            }
            Mode::NoCheckWithDhcid | Mode::NoCheckWithoutDhcid => {}
        };
        // RFC 4703 §5.5: remove our address, then the DHCID once no address is left.
        let mut m = update::new_update(&zone);
        check(&mut m);
        m.add_update(update::delete_rr(&self.fqdn, update::address_rdata(ip)));
        match self.send(d, m).await? {
            NOERROR => {}
            NXDOMAIN => return Ok(()),
            rc => return Err(self.rejected(d, &self.fqdn, rc)),
        }
        if self.mode() == Mode::NoCheckWithoutDhcid {
            return Ok(());
        }
        let mut m = update::new_update(&zone);
        check(&mut m);
        m.add_pre_requisite(update::rrset_not_exists(&self.fqdn, RecordType::A));
        m.add_pre_requisite(update::rrset_not_exists(&self.fqdn, RecordType::AAAA));
        m.add_update(update::delete_rrset(&self.fqdn, TYPE_DHCID));
        match self.send(d, m).await? {
            // Other addresses remain (YXRRSET) or the DHCID is gone: nothing more to do.
            NOERROR | NXDOMAIN | NXRRSET | 7 => Ok(()),
            rc => Err(self.rejected(d, &self.fqdn, rc)),
        }
    }

    async fn reverse_add(&self, d: &DdnsDomain) -> Result<(), TransactionError> {
        let ttl = self.ncr.lease_length;
        let mut m = update::new_update(&self.zone(d, &self.rev)?);
        m.add_update(update::delete_rrset(&self.rev, RecordType::PTR));
        m.add_update(update::add_rr(
            &self.rev,
            ttl,
            update::ptr_rdata(&self.fqdn),
        ));
        if self.mode() != Mode::NoCheckWithoutDhcid {
            m.add_update(update::delete_rrset(&self.rev, TYPE_DHCID));
            m.add_update(update::add_rr(&self.rev, ttl, self.dhcid()));
        }
        match self.send(d, m).await? {
            NOERROR => Ok(()),
            rc => Err(self.rejected(d, &self.rev, rc)),
        }
    }

    async fn reverse_remove(&self, d: &DdnsDomain) -> Result<(), TransactionError> {
        let mut m = update::new_update(&self.zone(d, &self.rev)?);
        if matches!(
            self.mode(),
            Mode::CheckWithDhcid | Mode::CheckExistsWithDhcid
        ) {
            // Only a PTR pointing at this client's FQDN is removed.
            m.add_pre_requisite(update::rrset_exists_value(
                &self.rev,
                update::ptr_rdata(&self.fqdn),
            ));
        }
        m.add_update(update::delete_rrset(&self.rev, RecordType::PTR));
        m.add_update(update::delete_rrset(&self.rev, TYPE_DHCID));
        match self.send(d, m).await? {
            NOERROR | NXDOMAIN => Ok(()),
            rc => Err(self.rejected(d, &self.rev, rc)),
        }
    }
}
