//! The server's own DUID (ARM `dhcp6-srv.rst` "Server Identifier in DHCPv6"; RFC 8415 §11):
//! from `server-id` when configured, else the one persisted in
//! `<data-directory>/kea-dhcp6-serverid`, else a new DUID-LLT from an interface's hardware
//! address (DUID-EN with ISC's enterprise number when no interface has one), persisted.

use std::path::{Path, PathBuf};

use kea_config::server_id::{DuidType, ServerId};
use kea_dhcp::Duid;
use kea_net::IfaceMgr;

/// Seconds between 1970 and 2000 (DUID-LLT time base).
const DUID_TIME_EPOCH: u64 = 946_684_800;
/// ISC's IANA enterprise number.
const ISC_ENTERPRISE: u32 = 2495;

/// Why the server identifier cannot be settled.
#[derive(Debug, thiserror::Error)]
pub enum ServerIdError {
    /// The configured identifier is not hexadecimal.
    #[error("server-id: invalid identifier '{0}'")]
    Identifier(String),
    /// The configured fields do not make a valid DUID.
    #[error("server-id: {0}")]
    Duid(String),
}

/// The server-id file in `data_dir`.
pub fn server_id_file(data_dir: &Path) -> PathBuf {
    data_dir.join("kea-dhcp6-serverid")
}

fn hex(s: &str) -> Result<Vec<u8>, ServerIdError> {
    let clean: String = s.chars().filter(|c| *c != ':').collect();
    if !clean.len().is_multiple_of(2) {
        return Err(ServerIdError::Identifier(s.to_string()));
    }
    (0..clean.len())
        .step_by(2)
        .map(|i| {
            u8::from_str_radix(&clean[i..i + 2], 16)
                .map_err(|_| ServerIdError::Identifier(s.to_string()))
        })
        .collect()
}

fn first_mac() -> Option<(u16, Vec<u8>)> {
    let mgr = IfaceMgr::detect().ok()?;
    mgr.ifaces()
        .iter()
        .filter(|i| !i.flags.loopback)
        .find_map(|i| i.mac.map(|m| (1u16, m.0.to_vec())))
}

fn now_duid_time() -> u32 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(DUID_TIME_EPOCH);
    u32::try_from(secs.saturating_sub(DUID_TIME_EPOCH)).unwrap_or(0)
}

/// Settles the server DUID and persists it when asked to.
pub fn server_duid(cfg: Option<&ServerId>, data_dir: &Path) -> Result<Vec<u8>, ServerIdError> {
    let file = server_id_file(data_dir);
    let persist = cfg.and_then(|c| c.persist).unwrap_or(true);
    let explicit = cfg.is_some_and(|c| {
        c.identifier.as_deref().is_some_and(|i| !i.is_empty())
            || c.enterprise_id.is_some_and(|e| e != 0)
            || c.htype.is_some_and(|h| h != 0)
            || c.time.is_some_and(|t| t != 0)
    });
    if !explicit
        && let Some(d) = std::fs::read_to_string(&file)
            .ok()
            .and_then(|t| t.trim().parse::<Duid>().ok())
    {
        return Ok(d.as_bytes().to_vec());
    }
    let kind = cfg.map(|c| c.duid_type).unwrap_or(DuidType::Llt);
    let ident = cfg
        .and_then(|c| c.identifier.as_deref())
        .filter(|i| !i.is_empty())
        .map(hex)
        .transpose()?;
    let duid = match kind {
        DuidType::En => Duid::new_en(
            cfg.and_then(|c| c.enterprise_id)
                .filter(|e| *e != 0)
                .unwrap_or(ISC_ENTERPRISE),
            &ident.unwrap_or_else(|| now_duid_time().to_be_bytes().to_vec()),
        ),
        DuidType::Ll | DuidType::Llt => {
            let (htype, mac) = match ident {
                Some(id) => (
                    cfg.and_then(|c| c.htype).filter(|h| *h != 0).unwrap_or(1),
                    id,
                ),
                None => match first_mac() {
                    Some(m) => m,
                    // No hardware address anywhere (e.g. a namespace with only veths
                    // lacking MACs): fall back to an EN identifier.
                    None => {
                        return finish(
                            Duid::new_en(ISC_ENTERPRISE, &now_duid_time().to_be_bytes()),
                            persist,
                            &file,
                        );
                    }
                },
            };
            if kind == DuidType::Ll {
                Duid::new_ll(htype, &mac)
            } else {
                let t = cfg
                    .and_then(|c| c.time)
                    .filter(|t| *t != 0)
                    .unwrap_or_else(now_duid_time);
                Duid::new_llt(htype, t, &mac)
            }
        }
    };
    finish(duid, persist, &file)
}

fn finish(
    duid: Result<Duid, kea_dhcp::duid::DuidError>,
    persist: bool,
    file: &Path,
) -> Result<Vec<u8>, ServerIdError> {
    let duid = duid.map_err(|e| ServerIdError::Duid(e.to_string()))?;
    if persist {
        // Failing to persist is not fatal: the DUID just changes on the next start.
        let _ = std::fs::write(file, format!("{duid}\n"));
    }
    Ok(duid.as_bytes().to_vec())
}
