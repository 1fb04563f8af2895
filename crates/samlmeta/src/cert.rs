//! X.509 certificates: parse, inspect, fingerprint, export.
//!
//! Certificates are parsed with x509-cert's `Raw` profile: SAML signing certificates are usually
//! self-signed and made by all kinds of tools, and a serial number that breaks RFC 5280's 20-octet
//! rule must not stop an admin. Nothing here checks a certificate chain: SAML metadata trusts the
//! certificate itself, by its presence in the metadata.

use crate::digest::{Fingerprint, lower_hex};
use crate::key::{RSA_ENCRYPTION, key_type_name};
use crate::time::UnixTime;
use der::asn1::ObjectIdentifier;
use der::{Decode, Encode};
use sha1::{Digest, Sha1};
use x509_cert::certificate::{CertificateInner, Raw};
use x509_cert::ext::pkix::{KeyUsage, KeyUsages};

/// One X.509 certificate, with its DER bytes.
#[derive(Clone)]
pub struct Certificate {
    der: Vec<u8>,
    parsed: CertificateInner<Raw>,
}

impl core::fmt::Debug for Certificate {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Certificate({})", self.subject())
    }
}

impl PartialEq for Certificate {
    fn eq(&self, other: &Self) -> bool {
        self.der == other.der
    }
}

impl Eq for Certificate {}

/// The DER bytes are not an X.509 certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateError {
    /// The decoder's message.
    pub detail: String,
}

impl core::fmt::Display for CertificateError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "This file says it holds a certificate, but it is damaged ({}). Export or copy the \
             certificate again from your identity provider.",
            self.detail
        )
    }
}

impl std::error::Error for CertificateError {}

/// The public key in a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicKeyInfo {
    /// RSA with this modulus size.
    Rsa {
        /// Modulus size in bits.
        bits: u32,
    },
    /// Another algorithm, in words.
    Other(String),
}

impl core::fmt::Display for PublicKeyInfo {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Rsa { bits } => write!(f, "RSA {bits} bits"),
            Self::Other(what) => {
                f.write_str(what.trim_start_matches("an ").trim_start_matches("a "))
            }
        }
    }
}

impl Certificate {
    /// Parses one DER-encoded certificate.
    ///
    /// # Errors
    /// [`CertificateError`] when the bytes are not a certificate.
    pub fn from_der(der: &[u8]) -> Result<Self, CertificateError> {
        let parsed = CertificateInner::<Raw>::from_der(der).map_err(|e| CertificateError {
            detail: e.to_string(),
        })?;
        Ok(Self {
            der: der.to_vec(),
            parsed,
        })
    }

    /// The DER encoding.
    #[must_use]
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// PEM, with the `CERTIFICATE` label and 64-character lines.
    #[must_use]
    pub fn to_pem(&self) -> String {
        pem_rfc7468::encode_string("CERTIFICATE", pem_rfc7468::LineEnding::LF, &self.der)
            .unwrap_or_default()
    }

    /// The DER as one line of base64: what `ds:X509Certificate` holds and what SP consoles that ask
    /// for "the certificate" as a field want.
    #[must_use]
    pub fn base64(&self) -> String {
        <base64ct::Base64 as base64ct::Encoding>::encode_string(&self.der)
    }

    /// The subject, as an RFC 4514 string (`CN=sso.example.com,O=Example Corp,C=US`).
    #[must_use]
    pub fn subject(&self) -> String {
        self.parsed.tbs_certificate().subject().to_string()
    }

    /// The issuer, as an RFC 4514 string.
    #[must_use]
    pub fn issuer(&self) -> String {
        self.parsed.tbs_certificate().issuer().to_string()
    }

    /// True when the subject and issuer are the same (a self-signed certificate, as most SAML
    /// signing certificates are).
    #[must_use]
    pub fn is_self_issued(&self) -> bool {
        self.parsed.tbs_certificate().subject() == self.parsed.tbs_certificate().issuer()
    }

    /// The serial number in colon-separated hex, as `openssl x509 -serial` shows it without colons.
    #[must_use]
    pub fn serial(&self) -> String {
        let bytes = self.parsed.tbs_certificate().serial_number().as_bytes();
        bytes
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>()
            .join(":")
    }

    /// Start of the validity period.
    #[must_use]
    pub fn not_before(&self) -> UnixTime {
        unix(
            self.parsed
                .tbs_certificate()
                .validity()
                .not_before
                .to_unix_duration(),
        )
    }

    /// End of the validity period.
    #[must_use]
    pub fn not_after(&self) -> UnixTime {
        unix(
            self.parsed
                .tbs_certificate()
                .validity()
                .not_after
                .to_unix_duration(),
        )
    }

    /// The certified public key's algorithm and size.
    #[must_use]
    pub fn public_key(&self) -> PublicKeyInfo {
        let spki = self.parsed.tbs_certificate().subject_public_key_info();
        if spki.algorithm.oid == RSA_ENCRYPTION {
            let rsa = spki
                .subject_public_key
                .as_bytes()
                .and_then(|bytes| pkcs1::RsaPublicKeyRef::from_der(bytes).ok());
            if let Some(rsa) = rsa {
                let n = rsa.modulus.as_bytes();
                let leading = n.iter().take_while(|&&b| b == 0).count();
                let significant = n.get(leading..).unwrap_or_default();
                let bits = significant.first().map_or(0, |&top| {
                    (significant.len() as u32 - 1) * 8 + (8 - top.leading_zeros())
                });
                return PublicKeyInfo::Rsa { bits };
            }
        }
        let curve = spki
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
        PublicKeyInfo::Other(key_type_name(spki.algorithm.oid, curve))
    }

    /// The DER `SubjectPublicKeyInfo`, to compare with a private key's public half.
    #[must_use]
    pub fn public_key_der(&self) -> Option<Vec<u8>> {
        self.parsed
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .ok()
    }

    /// The algorithm the issuer signed this certificate with.
    #[must_use]
    pub fn signature_algorithm(&self) -> SignatureAlgorithm {
        SignatureAlgorithm::from_oid(self.parsed.signature_algorithm().oid)
    }

    /// The key usage extension, as names (`digitalSignature`, `keyEncipherment`, …), or `None` when
    /// the certificate has none (then every usage is allowed).
    #[must_use]
    pub fn key_usage(&self) -> Option<Vec<&'static str>> {
        let (_, usage) = self
            .parsed
            .tbs_certificate()
            .get_extension::<KeyUsage>()
            .ok()??;
        const NAMES: [(KeyUsages, &str); 9] = [
            (KeyUsages::DigitalSignature, "digitalSignature"),
            (KeyUsages::NonRepudiation, "nonRepudiation"),
            (KeyUsages::KeyEncipherment, "keyEncipherment"),
            (KeyUsages::DataEncipherment, "dataEncipherment"),
            (KeyUsages::KeyAgreement, "keyAgreement"),
            (KeyUsages::KeyCertSign, "keyCertSign"),
            (KeyUsages::CRLSign, "cRLSign"),
            (KeyUsages::EncipherOnly, "encipherOnly"),
            (KeyUsages::DecipherOnly, "decipherOnly"),
        ];
        Some(
            NAMES
                .iter()
                .filter(|(flag, _)| usage.0.contains(*flag))
                .map(|(_, name)| *name)
                .collect(),
        )
    }

    /// SHA-256 fingerprint of the DER.
    #[must_use]
    pub fn sha256_fingerprint(&self) -> Fingerprint {
        Fingerprint::sha256(&self.der)
    }

    /// SHA-1 fingerprint of the DER, colon hex (some SP consoles still show only this one).
    #[must_use]
    pub fn sha1_fingerprint(&self) -> String {
        let digest: [u8; 20] = Sha1::digest(&self.der).into();
        lower_hex(&digest)
            .to_uppercase()
            .as_bytes()
            .chunks(2)
            .map(|pair| String::from_utf8_lossy(pair).into_owned())
            .collect::<Vec<_>>()
            .join(":")
    }
}

fn unix(d: core::time::Duration) -> UnixTime {
    UnixTime::from_seconds(i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// A certificate's signature algorithm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureAlgorithm {
    /// Its name (`sha256WithRSAEncryption`), or the OID when unknown.
    pub name: String,
    /// True when it relies on SHA-1 or MD5, which are broken for signatures.
    pub weak_digest: bool,
}

impl SignatureAlgorithm {
    fn from_oid(oid: ObjectIdentifier) -> Self {
        let (name, weak_digest) = match oid.to_string().as_str() {
            "1.2.840.113549.1.1.4" => ("md5WithRSAEncryption", true),
            "1.2.840.113549.1.1.5" => ("sha1WithRSAEncryption", true),
            "1.2.840.113549.1.1.11" => ("sha256WithRSAEncryption", false),
            "1.2.840.113549.1.1.12" => ("sha384WithRSAEncryption", false),
            "1.2.840.113549.1.1.13" => ("sha512WithRSAEncryption", false),
            "1.2.840.113549.1.1.10" => ("RSASSA-PSS", false),
            "1.2.840.10045.4.1" => ("ecdsa-with-SHA1", true),
            "1.2.840.10045.4.3.2" => ("ecdsa-with-SHA256", false),
            "1.2.840.10045.4.3.3" => ("ecdsa-with-SHA384", false),
            "1.2.840.10045.4.3.4" => ("ecdsa-with-SHA512", false),
            "1.3.101.112" => ("Ed25519", false),
            "1.2.840.10040.4.3" => ("dsa-with-SHA1", true),
            other => {
                return Self {
                    name: other.to_owned(),
                    weak_digest: false,
                };
            }
        };
        Self {
            name: name.to_owned(),
            weak_digest,
        }
    }
}

impl core::fmt::Display for SignatureAlgorithm {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.name)
    }
}
