//! X.509 certificates: parse, inspect, fingerprint, export.
//!
//! Certificates are parsed with x509-cert's `Raw` profile: SAML signing certificates are usually
//! self-signed and made by all kinds of tools, and a serial number that breaks RFC 5280's 20-octet
//! rule must not stop an admin. Nothing here checks a certificate chain: SAML metadata trusts the
//! certificate itself, by its presence in the metadata.

use crate::digest::{Fingerprint, lower_hex};
use crate::pki::key::{RSA_ENCRYPTION, key_type_name};
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
    /// What the DER decoder found.
    pub source: der::Error,
}

impl core::fmt::Display for CertificateError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "This file says it holds a certificate, but it is damaged ({}). Export or copy the \
             certificate again from your identity provider.",
            self.source
        )
    }
}

impl std::error::Error for CertificateError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

impl CertificateError {
    /// A stable kebab-case code for the error, for scripts and tests.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        "malformed-certificate"
    }
}

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
        let parsed =
            CertificateInner::<Raw>::from_der(der).map_err(|source| CertificateError { source })?;
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

    /// The subject, as an RFC 4514 string (`CN=sso.example.com,O=Example Corp,C=US`), the form
    /// `openssl x509 -noout -subject -nameopt RFC2253` prints.
    #[must_use]
    pub fn subject(&self) -> String {
        rfc4514(self.parsed.tbs_certificate().subject())
    }

    /// The issuer, as an RFC 4514 string.
    #[must_use]
    pub fn issuer(&self) -> String {
        rfc4514(self.parsed.tbs_certificate().issuer())
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

/// RFC 4514 ("LDAP: String Representation of Distinguished Names"), section 2: the RDNs in reverse
/// order joined by `,`, multi-valued RDNs joined by `+`, each `type=value` with the short names of
/// section 3 (and `emailAddress`, as OpenSSL prints it), other types as dotted OIDs; string values
/// escaped per section 2.4, other values as `#` and the hex of their DER.
///
/// Written here rather than taken from x509-cert's `Display`, which links const-oid's database of
/// every known OID name (over 100 KB of WebAssembly) to name the handful that occur in practice.
fn rfc4514(name: &x509_cert::name::Name) -> String {
    let rdns: Vec<String> = name
        .iter_rdn()
        .map(|rdn| {
            rdn.iter()
                .map(|atv| {
                    format!(
                        "{}={}",
                        attribute_name(atv.oid),
                        attribute_value(&atv.value)
                    )
                })
                .collect::<Vec<_>>()
                .join("+")
        })
        .collect();
    rdns.into_iter().rev().collect::<Vec<_>>().join(",")
}

fn attribute_name(oid: ObjectIdentifier) -> String {
    match oid.to_string().as_str() {
        "2.5.4.3" => "CN".to_owned(),
        "2.5.4.5" => "serialNumber".to_owned(),
        "2.5.4.6" => "C".to_owned(),
        "2.5.4.7" => "L".to_owned(),
        "2.5.4.8" => "ST".to_owned(),
        "2.5.4.9" => "STREET".to_owned(),
        "2.5.4.10" => "O".to_owned(),
        "2.5.4.11" => "OU".to_owned(),
        "2.5.4.12" => "title".to_owned(),
        "0.9.2342.19200300.100.1.1" => "UID".to_owned(),
        "0.9.2342.19200300.100.1.25" => "DC".to_owned(),
        "1.2.840.113549.1.9.1" => "emailAddress".to_owned(),
        other => other.to_owned(),
    }
}

fn attribute_value(value: &der::Any) -> String {
    use der::Tag;
    let text = match der::Tagged::tag(value) {
        Tag::PrintableString
        | Tag::Utf8String
        | Tag::Ia5String
        | Tag::TeletexString
        | Tag::VisibleString => core::str::from_utf8(value.value()).ok().map(str::to_owned),
        Tag::BmpString => der::asn1::BmpString::from_der(&value.to_der().unwrap_or_default())
            .ok()
            .map(|s| s.to_string()),
        _ => None,
    };
    match text {
        Some(text) => escape_rfc4514(&text),
        None => format!("#{}", lower_hex(&value.to_der().unwrap_or_default())),
    }
}

/// RFC 4514 section 2.4: `"+,;<>\` anywhere, `#` or space first, space last, and NUL are escaped.
fn escape_rfc4514(text: &str) -> String {
    let last = text.chars().count().saturating_sub(1);
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.chars().enumerate() {
        match c {
            '"' | '+' | ',' | ';' | '<' | '>' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '#' if i == 0 => out.push_str("\\#"),
            ' ' if i == 0 || i == last => out.push_str("\\ "),
            '\0' => out.push_str("\\00"),
            _ => out.push(c),
        }
    }
    out
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
