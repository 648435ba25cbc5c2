//! TSIG (RFC 8945) for D2's updates: keys from `tsig-keys` (ARM `ddns.rst`, "TSIG Key
//! List"), all six HMACs, `digest-bits` truncation (RFC 8945 §5.2.2.1), signing a request and
//! verifying the server's answer with the request MAC.
//!
//! The MAC is computed over our own wire bytes, so any message encoder can be used; the
//! TSIG record is appended (and the ARCOUNT raised) to an already encoded message.

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};

use kea_ncr::dhcid::canonical_wire_name;

/// TSIG RR type (RFC 8945 §4.2).
pub const TYPE_TSIG: u16 = 250;
/// CLASS ANY.
const CLASS_ANY: u16 = 255;
/// Fudge (seconds of clock skew accepted), as BIND and Kea use.
pub const FUDGE: u16 = 300;

/// The six HMACs Kea supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TsigAlgorithm {
    /// HMAC-MD5 (`hmac-md5.sig-alg.reg.int.`).
    HmacMd5,
    /// HMAC-SHA1.
    HmacSha1,
    /// HMAC-SHA224.
    HmacSha224,
    /// HMAC-SHA256.
    HmacSha256,
    /// HMAC-SHA384.
    HmacSha384,
    /// HMAC-SHA512.
    HmacSha512,
}

impl TsigAlgorithm {
    /// Parses Kea's configuration name (case-insensitive).
    pub fn from_config(name: &str) -> Option<Self> {
        Some(match name.to_ascii_uppercase().as_str() {
            "HMAC-MD5" => Self::HmacMd5,
            "HMAC-SHA1" => Self::HmacSha1,
            "HMAC-SHA224" => Self::HmacSha224,
            "HMAC-SHA256" => Self::HmacSha256,
            "HMAC-SHA384" => Self::HmacSha384,
            "HMAC-SHA512" => Self::HmacSha512,
            _ => return None,
        })
    }

    /// The algorithm's domain name in TSIG records.
    pub fn dns_name(self) -> &'static str {
        match self {
            Self::HmacMd5 => "hmac-md5.sig-alg.reg.int.",
            Self::HmacSha1 => "hmac-sha1.",
            Self::HmacSha224 => "hmac-sha224.",
            Self::HmacSha256 => "hmac-sha256.",
            Self::HmacSha384 => "hmac-sha384.",
            Self::HmacSha512 => "hmac-sha512.",
        }
    }

    /// Full MAC length in octets.
    pub fn mac_len(self) -> usize {
        match self {
            Self::HmacMd5 => 16,
            Self::HmacSha1 => 20,
            Self::HmacSha224 => 28,
            Self::HmacSha256 => 32,
            Self::HmacSha384 => 48,
            Self::HmacSha512 => 64,
        }
    }

    fn mac(self, secret: &[u8], parts: &[&[u8]]) -> Vec<u8> {
        fn run<M: Mac + KeyInit>(secret: &[u8], parts: &[&[u8]]) -> Vec<u8> {
            // HMAC accepts keys of any length.
            let Ok(mut m) = <M as KeyInit>::new_from_slice(secret) else {
                return Vec::new();
            };
            for p in parts {
                m.update(p);
            }
            m.finalize().into_bytes().to_vec()
        }
        match self {
            Self::HmacMd5 => run::<Hmac<md5::Md5>>(secret, parts),
            Self::HmacSha1 => run::<Hmac<sha1::Sha1>>(secret, parts),
            Self::HmacSha224 => run::<Hmac<sha2::Sha224>>(secret, parts),
            Self::HmacSha256 => run::<Hmac<sha2::Sha256>>(secret, parts),
            Self::HmacSha384 => run::<Hmac<sha2::Sha384>>(secret, parts),
            Self::HmacSha512 => run::<Hmac<sha2::Sha512>>(secret, parts),
        }
    }
}

/// A `tsig-keys` entry that failed the checks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TsigKeyError {
    /// `name` is empty or not a domain name.
    #[error("TSIG key name '{name}' is invalid")]
    BadName {
        /// The name given.
        name: String,
    },
    /// Unknown `algorithm`.
    #[error("TSIG key '{name}': unknown algorithm '{algorithm}'")]
    BadAlgorithm {
        /// Key name.
        name: String,
        /// The algorithm given.
        algorithm: String,
    },
    /// `digest-bits` is not 0, not whole octets, or below max(80, half the MAC) or above it.
    #[error("TSIG key '{name}': invalid digest-bits {bits}")]
    BadDigestBits {
        /// Key name.
        name: String,
        /// The value given.
        bits: u32,
    },
    /// `secret` is not base64.
    #[error("TSIG key '{name}': secret is not valid base64")]
    BadSecret {
        /// Key name.
        name: String,
    },
}

/// Why an answer failed TSIG verification.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TsigVerifyError {
    /// The answer carries no TSIG record (or the message is malformed).
    #[error("response is not signed")]
    Unsigned,
    /// Signed with another key or algorithm.
    #[error("response signed with another key or algorithm")]
    WrongKey,
    /// The server reported a TSIG error (16 BADSIG, 17 BADKEY, 18 BADTIME, 22 BADTRUNC).
    #[error("server reported TSIG error {code}")]
    ServerError {
        /// The TSIG error field.
        code: u16,
    },
    /// The MAC is too short for the key's `digest-bits` or does not match.
    #[error("TSIG MAC does not verify")]
    BadSig,
    /// Signed too long ago or in the future (beyond the fudge).
    #[error("TSIG time outside the fudge window")]
    BadTime,
}

/// A configured TSIG key.
#[derive(Clone, PartialEq, Eq)]
pub struct TsigKey {
    name: String,
    name_wire: Vec<u8>,
    algorithm: TsigAlgorithm,
    digest_bits: u32,
    secret: Vec<u8>,
}

impl std::fmt::Debug for TsigKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret.
        f.debug_struct("TsigKey")
            .field("name", &self.name)
            .field("algorithm", &self.algorithm)
            .field("digest_bits", &self.digest_bits)
            .finish_non_exhaustive()
    }
}

impl TsigKey {
    /// Builds a key from its configuration values, with Kea's checks.
    pub fn new(
        name: &str,
        algorithm: &str,
        digest_bits: u32,
        secret_b64: &str,
    ) -> Result<Self, TsigKeyError> {
        let name_wire = canonical_wire_name(name)
            .ok()
            .filter(|_| !name.is_empty())
            .ok_or_else(|| TsigKeyError::BadName {
                name: name.to_owned(),
            })?;
        let alg =
            TsigAlgorithm::from_config(algorithm).ok_or_else(|| TsigKeyError::BadAlgorithm {
                name: name.to_owned(),
                algorithm: algorithm.to_owned(),
            })?;
        let full = alg.mac_len() as u32 * 8;
        if digest_bits != 0
            && (!digest_bits.is_multiple_of(8)
                || digest_bits < 80
                || digest_bits < full / 2
                || digest_bits > full)
        {
            return Err(TsigKeyError::BadDigestBits {
                name: name.to_owned(),
                bits: digest_bits,
            });
        }
        let secret = base64::engine::general_purpose::STANDARD
            .decode(secret_b64)
            .map_err(|_| TsigKeyError::BadSecret {
                name: name.to_owned(),
            })?;
        Ok(Self {
            name: name.to_owned(),
            name_wire,
            algorithm: alg,
            digest_bits,
            secret,
        })
    }

    /// The configured name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The algorithm.
    pub fn algorithm(&self) -> TsigAlgorithm {
        self.algorithm
    }

    /// Octets of MAC this key sends and requires.
    pub fn mac_len(&self) -> usize {
        if self.digest_bits == 0 {
            self.algorithm.mac_len()
        } else {
            (self.digest_bits / 8) as usize
        }
    }

    /// RFC 8945 §4.3.3 "TSIG variables" that follow the message in the MAC input.
    fn variables(
        &self,
        alg_wire: &[u8],
        time: u64,
        fudge: u16,
        error: u16,
        other: &[u8],
    ) -> Vec<u8> {
        let mut v = Vec::with_capacity(64);
        v.extend_from_slice(&self.name_wire);
        v.extend_from_slice(&CLASS_ANY.to_be_bytes());
        v.extend_from_slice(&0u32.to_be_bytes());
        v.extend_from_slice(alg_wire);
        v.extend_from_slice(&time.to_be_bytes()[2..]);
        v.extend_from_slice(&fudge.to_be_bytes());
        v.extend_from_slice(&error.to_be_bytes());
        v.extend_from_slice(&(other.len() as u16).to_be_bytes());
        v.extend_from_slice(other);
        v
    }

    /// Signs an encoded request in place (appends the TSIG RR, raises ARCOUNT) at `time`
    /// (seconds since the epoch). Returns the MAC, which verifies the answer.
    pub fn sign(&self, message: &mut Vec<u8>, time: u64) -> Vec<u8> {
        let alg_wire = canonical_wire_name(self.algorithm.dns_name()).unwrap_or_default();
        let vars = self.variables(&alg_wire, time, FUDGE, 0, &[]);
        let mut mac = self.algorithm.mac(&self.secret, &[message, &vars]);
        mac.truncate(self.mac_len());
        let id = message.get(..2).map(|b| [b[0], b[1]]).unwrap_or([0, 0]);
        let mut rdata = Vec::with_capacity(alg_wire.len() + 16 + mac.len());
        rdata.extend_from_slice(&alg_wire);
        rdata.extend_from_slice(&time.to_be_bytes()[2..]);
        rdata.extend_from_slice(&FUDGE.to_be_bytes());
        rdata.extend_from_slice(&(mac.len() as u16).to_be_bytes());
        rdata.extend_from_slice(&mac);
        rdata.extend_from_slice(&id);
        rdata.extend_from_slice(&0u16.to_be_bytes());
        rdata.extend_from_slice(&0u16.to_be_bytes());
        message.extend_from_slice(&self.name_wire);
        message.extend_from_slice(&TYPE_TSIG.to_be_bytes());
        message.extend_from_slice(&CLASS_ANY.to_be_bytes());
        message.extend_from_slice(&0u32.to_be_bytes());
        message.extend_from_slice(&(rdata.len() as u16).to_be_bytes());
        message.extend_from_slice(&rdata);
        if let Some(ar) = message.get_mut(10..12) {
            let n = u16::from_be_bytes([ar[0], ar[1]]).wrapping_add(1);
            ar.copy_from_slice(&n.to_be_bytes());
        }
        mac
    }

    /// Verifies a server's signed answer to a request whose MAC was `request_mac`
    /// (RFC 8945 §5.3), at `now` (seconds since the epoch).
    pub fn verify(
        &self,
        answer: &[u8],
        request_mac: &[u8],
        now: u64,
    ) -> Result<(), TsigVerifyError> {
        let rr = find_tsig(answer).ok_or(TsigVerifyError::Unsigned)?;
        if !eq_names(&rr.name, &self.name_wire)
            || !eq_names(
                &rr.algorithm,
                &canonical_wire_name(self.algorithm.dns_name()).unwrap_or_default(),
            )
        {
            return Err(TsigVerifyError::WrongKey);
        }
        if rr.error != 0 {
            return Err(TsigVerifyError::ServerError { code: rr.error });
        }
        let full = self.algorithm.mac_len();
        if rr.mac.len() < self.mac_len() || rr.mac.len() > full || rr.mac.len() < 10 {
            return Err(TsigVerifyError::BadSig);
        }
        // The message as it was before the TSIG RR was added.
        let mut msg = answer
            .get(..rr.start)
            .ok_or(TsigVerifyError::Unsigned)?
            .to_vec();
        msg[..2].copy_from_slice(&rr.original_id.to_be_bytes());
        let ar = u16::from_be_bytes([msg[10], msg[11]]).saturating_sub(1);
        msg[10..12].copy_from_slice(&ar.to_be_bytes());
        let alg_wire = canonical_wire_name(self.algorithm.dns_name()).unwrap_or_default();
        let vars = self.variables(&alg_wire, rr.time, rr.fudge, rr.error, &rr.other);
        let len = (request_mac.len() as u16).to_be_bytes();
        let expected = self
            .algorithm
            .mac(&self.secret, &[&len, request_mac, &msg, &vars]);
        let ok = expected
            .get(..rr.mac.len())
            .is_some_and(|e| constant_time_eq(e, &rr.mac));
        if !ok {
            return Err(TsigVerifyError::BadSig);
        }
        if now.abs_diff(rr.time) > u64::from(rr.fudge) {
            return Err(TsigVerifyError::BadTime);
        }
        Ok(())
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn eq_names(a: &[u8], b: &[u8]) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// The fields of a TSIG RR found at the end of a message.
struct TsigRr {
    start: usize,
    name: Vec<u8>,
    algorithm: Vec<u8>,
    time: u64,
    fudge: u16,
    mac: Vec<u8>,
    original_id: u16,
    error: u16,
    other: Vec<u8>,
}

/// Reads an uncompressed (or pointer-terminated) name at `pos`; returns its wire form with
/// pointers followed, and the position after it.
fn read_name(msg: &[u8], mut pos: usize) -> Option<(Vec<u8>, usize)> {
    let mut out = Vec::new();
    let mut end = None;
    for _ in 0..128 {
        let len = *msg.get(pos)? as usize;
        if len & 0xC0 == 0xC0 {
            let ptr = (len & 0x3F) << 8 | *msg.get(pos + 1)? as usize;
            end.get_or_insert(pos + 2);
            pos = ptr;
            continue;
        }
        if len == 0 {
            out.push(0);
            return Some((out, end.unwrap_or(pos + 1)));
        }
        out.extend_from_slice(msg.get(pos..pos + 1 + len)?);
        pos += 1 + len;
    }
    None
}

fn u16_at(msg: &[u8], pos: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*msg.get(pos)?, *msg.get(pos + 1)?]))
}

fn find_tsig(msg: &[u8]) -> Option<TsigRr> {
    let qd = u16_at(msg, 4)?;
    let records = u16_at(msg, 6)? as usize + u16_at(msg, 8)? as usize + u16_at(msg, 10)? as usize;
    if records == 0 {
        return None;
    }
    let mut pos = 12;
    for _ in 0..qd {
        pos = read_name(msg, pos)?.1 + 4;
    }
    for _ in 0..records - 1 {
        pos = read_name(msg, pos)?.1;
        let rdlen = u16_at(msg, pos + 8)? as usize;
        pos += 10 + rdlen;
    }
    let start = pos;
    let (name, p) = read_name(msg, pos)?;
    if u16_at(msg, p)? != TYPE_TSIG {
        return None;
    }
    let rdlen = u16_at(msg, p + 8)? as usize;
    let rd = p + 10;
    msg.get(rd..rd + rdlen)?;
    let (algorithm, mut q) = read_name(msg, rd)?;
    let t = msg.get(q..q + 6)?;
    let time = t.iter().fold(0u64, |acc, b| acc << 8 | u64::from(*b));
    q += 6;
    let fudge = u16_at(msg, q)?;
    let mac_len = u16_at(msg, q + 2)? as usize;
    let mac = msg.get(q + 4..q + 4 + mac_len)?.to_vec();
    q += 4 + mac_len;
    let original_id = u16_at(msg, q)?;
    let error = u16_at(msg, q + 2)?;
    let other_len = u16_at(msg, q + 4)? as usize;
    let other = msg.get(q + 6..q + 6 + other_len)?.to_vec();
    Some(TsigRr {
        start,
        name,
        algorithm,
        time,
        fudge,
        mac,
        original_id,
        error,
        other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "LSWXnfkKZjdPJI5QxlpnfQ==";

    fn header(id: u16) -> Vec<u8> {
        let mut m = vec![0u8; 12];
        m[..2].copy_from_slice(&id.to_be_bytes());
        m[2] = 0x28; // UPDATE
        m
    }

    #[test]
    fn key_checks() {
        assert!(TsigKey::new("k.", "hmac-sha256", 0, SECRET).is_ok());
        assert!(matches!(
            TsigKey::new("k", "HMAC-SHA3", 0, SECRET),
            Err(TsigKeyError::BadAlgorithm { .. })
        ));
        assert!(matches!(
            TsigKey::new("", "HMAC-MD5", 0, SECRET),
            Err(TsigKeyError::BadName { .. })
        ));
        assert!(matches!(
            TsigKey::new("k", "HMAC-SHA256", 120, SECRET),
            Err(TsigKeyError::BadDigestBits { .. })
        ));
        assert!(matches!(
            TsigKey::new("k", "HMAC-SHA256", 129, SECRET),
            Err(TsigKeyError::BadDigestBits { .. })
        ));
        assert!(TsigKey::new("k", "HMAC-SHA256", 128, SECRET).is_ok());
        assert!(TsigKey::new("k", "HMAC-MD5", 80, SECRET).is_ok());
        assert!(matches!(
            TsigKey::new("k", "HMAC-MD5", 0, "not base64!"),
            Err(TsigKeyError::BadSecret { .. })
        ));
        assert!(
            !format!("{:?}", TsigKey::new("k", "HMAC-MD5", 0, SECRET).unwrap()).contains("LSW")
        );
    }

    /// A server-side answer signed the way RFC 8945 §4.3.1 says, built independently of
    /// `sign`: request MAC first, then the answer, then the variables.
    fn server_answer(
        key: &TsigKey,
        id: u16,
        request_mac: &[u8],
        time: u64,
        tamper: bool,
    ) -> Vec<u8> {
        let mut ans = header(id);
        ans[2] = 0xA8;
        let alg = canonical_wire_name(key.algorithm.dns_name()).unwrap();
        let vars = key.variables(&alg, time, FUDGE, 0, &[]);
        let len = (request_mac.len() as u16).to_be_bytes();
        let mut mac = key
            .algorithm
            .mac(&key.secret, &[&len, request_mac, &ans, &vars]);
        mac.truncate(key.mac_len());
        if tamper {
            mac[0] ^= 1;
        }
        let mut rdata = alg.clone();
        rdata.extend_from_slice(&time.to_be_bytes()[2..]);
        rdata.extend_from_slice(&FUDGE.to_be_bytes());
        rdata.extend_from_slice(&(mac.len() as u16).to_be_bytes());
        rdata.extend_from_slice(&mac);
        rdata.extend_from_slice(&id.to_be_bytes());
        rdata.extend_from_slice(&[0, 0, 0, 0]);
        ans.extend_from_slice(&key.name_wire);
        ans.extend_from_slice(&[0, 250, 0, 255, 0, 0, 0, 0]);
        ans.extend_from_slice(&(rdata.len() as u16).to_be_bytes());
        ans.extend_from_slice(&rdata);
        ans[11] = 1;
        ans
    }

    #[test]
    fn all_algorithms_sign_and_verify() {
        for (alg, bits) in [
            ("HMAC-MD5", 0),
            ("HMAC-SHA1", 0),
            ("HMAC-SHA224", 0),
            ("HMAC-SHA256", 0),
            ("HMAC-SHA384", 0),
            ("HMAC-SHA512", 0),
            ("HMAC-SHA256", 128),
            ("HMAC-SHA512", 256),
        ] {
            let key = TsigKey::new("d2.key.", alg, bits, SECRET).unwrap();
            let mut req = header(0x1234);
            let mac = key.sign(&mut req, 1_700_000_000);
            assert_eq!(mac.len(), key.mac_len(), "{alg}");
            assert_eq!(req[11], 1);
            let rr = find_tsig(&req).unwrap();
            assert_eq!(rr.mac, mac);
            assert_eq!(rr.original_id, 0x1234);
            let ans = server_answer(&key, 0x1234, &mac, 1_700_000_010, false);
            assert_eq!(key.verify(&ans, &mac, 1_700_000_020), Ok(()), "{alg}");
            let bad = server_answer(&key, 0x1234, &mac, 1_700_000_010, true);
            assert_eq!(
                key.verify(&bad, &mac, 1_700_000_020),
                Err(TsigVerifyError::BadSig)
            );
            assert_eq!(
                key.verify(&ans, &mac, 1_700_009_999),
                Err(TsigVerifyError::BadTime)
            );
        }
    }

    #[test]
    fn unsigned_and_wrong_key() {
        let key = TsigKey::new("a.", "HMAC-SHA256", 0, SECRET).unwrap();
        let other = TsigKey::new("b.", "HMAC-SHA256", 0, SECRET).unwrap();
        assert_eq!(
            key.verify(&header(1), &[], 0),
            Err(TsigVerifyError::Unsigned)
        );
        let ans = server_answer(&other, 1, &[1, 2], 5, false);
        assert_eq!(key.verify(&ans, &[1, 2], 5), Err(TsigVerifyError::WrongKey));
        assert_eq!(
            key.verify(&ans[..ans.len() - 3], &[1, 2], 5),
            Err(TsigVerifyError::Unsigned)
        );
    }
}
