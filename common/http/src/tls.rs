//! rustls configurations from Kea's TLS parameters (ARM `security.rst`, "TLS/HTTPS Support";
//! `agent.rst`, "Secure Connections"): PEM files only, the trust anchor is a file or a
//! directory of CA certificates, the key must not be encrypted. `cert-required` maps onto
//! rustls' client-certificate verifier: mandatory, or optional but verified when presented.
//!
//! The crypto provider is always ring, passed explicitly (never the process default).

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::RootCertStore;
use rustls::crypto::CryptoProvider;
use rustls::server::WebPkiClientVerifier;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

pub use rustls::{ClientConfig, ServerConfig};

/// Why a TLS configuration could not be built.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// A file or directory could not be read.
    #[error("unable to read '{}': {source}", path.display())]
    Read {
        /// The path.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
    /// A file is not valid PEM.
    #[error("unable to parse PEM file '{}': {source}", path.display())]
    Pem {
        /// The path.
        path: PathBuf,
        /// What was wrong.
        source: rustls_pki_types::pem::Error,
    },
    /// A certificate file holds no certificate.
    #[error("no certificate found in '{}'", path.display())]
    NoCertificate {
        /// The path.
        path: PathBuf,
    },
    /// The trust anchor holds no usable CA certificate.
    #[error("no usable CA certificate found in '{}'", path.display())]
    NoTrustAnchor {
        /// The file or directory.
        path: PathBuf,
    },
    /// rustls refused the certificates or key.
    #[error("TLS setup failed: {0}")]
    Rustls(#[from] rustls::Error),
    /// The client-certificate verifier could not be built.
    #[error("TLS setup failed: {0}")]
    Verifier(#[from] rustls::server::VerifierBuilderError),
}

/// The ring provider, the only one this project uses.
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Reads every certificate of a PEM file, in order.
pub fn load_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let pem_err = |source| TlsError::Pem {
        path: path.to_owned(),
        source,
    };
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| read_or_pem(path, e))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(pem_err)?;
    if certs.is_empty() {
        return Err(TlsError::NoCertificate {
            path: path.to_owned(),
        });
    }
    Ok(certs)
}

/// Reads the (unencrypted) private key of a PEM file.
pub fn load_key(path: &Path) -> Result<PrivateKeyDer<'static>, TlsError> {
    PrivateKeyDer::from_pem_file(path).map_err(|e| read_or_pem(path, e))
}

fn read_or_pem(path: &Path, e: rustls_pki_types::pem::Error) -> TlsError {
    match e {
        rustls_pki_types::pem::Error::Io(source) => TlsError::Read {
            path: path.to_owned(),
            source,
        },
        source => TlsError::Pem {
            path: path.to_owned(),
            source,
        },
    }
}

/// The CA certificates of a trust anchor: a PEM file, or every PEM file of a directory
/// (files without certificates are skipped there).
pub fn load_roots(path: &Path) -> Result<RootCertStore, TlsError> {
    let mut roots = RootCertStore::empty();
    let read_err = |source| TlsError::Read {
        path: path.to_owned(),
        source,
    };
    if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(read_err)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for file in files {
            if let Ok(certs) = load_certs(&file) {
                roots.add_parsable_certificates(certs);
            }
        }
    } else {
        roots.add_parsable_certificates(load_certs(path)?);
    }
    if roots.is_empty() {
        return Err(TlsError::NoTrustAnchor {
            path: path.to_owned(),
        });
    }
    Ok(roots)
}

/// The server side: `cert_file` and `key_file` identify the server; client certificates are
/// verified against `trust_anchor`, and required when `cert_required`.
pub fn server_config(
    trust_anchor: &Path,
    cert_file: &Path,
    key_file: &Path,
    cert_required: bool,
) -> Result<Arc<ServerConfig>, TlsError> {
    let roots = Arc::new(load_roots(trust_anchor)?);
    let certs = load_certs(cert_file)?;
    let key = load_key(key_file)?;
    let provider = provider();
    let builder = WebPkiClientVerifier::builder_with_provider(roots, provider.clone());
    let verifier = if cert_required {
        builder.build()?
    } else {
        builder.allow_unauthenticated().build()?
    };
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_client_cert_verifier(verifier)
        .with_single_cert(certs, key)?;
    Ok(Arc::new(config))
}

/// The client side: the server is verified against `ca` (file or directory); `identity`
/// is the client's certificate and key files, when the server wants one.
pub fn client_config(
    ca: &Path,
    identity: Option<(&Path, &Path)>,
) -> Result<Arc<ClientConfig>, TlsError> {
    let roots = load_roots(ca)?;
    let builder = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots);
    let config = match identity {
        Some((cert, key)) => builder.with_client_auth_cert(load_certs(cert)?, load_key(key)?)?,
        None => builder.with_no_client_auth(),
    };
    Ok(Arc::new(config))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    fn write_pki(dir: &Path) {
        let ca_key = rcgen::KeyPair::generate().unwrap();
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let ca = ca_params.self_signed(&ca_key).unwrap();
        let issuer = rcgen::Issuer::new(ca_params, ca_key);
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string()])
            .unwrap()
            .signed_by(&key, &issuer)
            .unwrap();
        std::fs::create_dir(dir.join("cas")).unwrap();
        std::fs::write(dir.join("cas/ca.pem"), ca.pem()).unwrap();
        std::fs::write(dir.join("cas/README"), "not a certificate").unwrap();
        std::fs::write(dir.join("ca.pem"), ca.pem()).unwrap();
        std::fs::write(dir.join("cert.pem"), cert.pem()).unwrap();
        std::fs::write(dir.join("key.pem"), key.serialize_pem()).unwrap();
    }

    #[test]
    fn builds_server_and_client_configs() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write_pki(d);
        for required in [true, false] {
            server_config(
                &d.join("ca.pem"),
                &d.join("cert.pem"),
                &d.join("key.pem"),
                required,
            )
            .unwrap();
        }
        // A directory trust anchor skips non-certificate files.
        assert_eq!(load_roots(&d.join("cas")).unwrap().len(), 1);
        client_config(&d.join("cas"), None).unwrap();
        client_config(
            &d.join("ca.pem"),
            Some((&d.join("cert.pem"), &d.join("key.pem"))),
        )
        .unwrap();
    }

    #[test]
    fn errors_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write_pki(d);
        let e = load_certs(&d.join("missing.pem")).unwrap_err();
        assert!(matches!(e, TlsError::Read { .. }), "{e}");
        assert!(e.to_string().contains("missing.pem"));
        let e = load_certs(&d.join("key.pem")).unwrap_err();
        assert!(matches!(e, TlsError::NoCertificate { .. }), "{e}");
        let e = load_key(&d.join("cert.pem")).unwrap_err();
        assert!(e.to_string().contains("cert.pem"), "{e}");
        std::fs::create_dir(d.join("empty")).unwrap();
        assert!(matches!(
            load_roots(&d.join("empty")),
            Err(TlsError::NoTrustAnchor { .. })
        ));
        // The key does not match the certificate.
        let other = rcgen::KeyPair::generate().unwrap();
        std::fs::write(d.join("other.pem"), other.serialize_pem()).unwrap();
        assert!(
            server_config(
                &d.join("ca.pem"),
                &d.join("cert.pem"),
                &d.join("other.pem"),
                true
            )
            .is_err()
        );
    }
}
