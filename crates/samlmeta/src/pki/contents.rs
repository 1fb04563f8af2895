//! What a key or certificate file holds.
//!
//! [`read`] takes the bytes of whatever the admin dropped, in either slot, and finds the private
//! key and the certificates in it: a PEM file (one or many blocks), DER, or a PKCS#12 file. A PKCS#12
//! file or a PEM holding both fills both slots. The slot-specific checks ([`Contents::require_key`],
//! [`Contents::require_certificate`]) turn "right file, wrong slot" into a message saying so.

use crate::pki::cert::{Certificate, CertificateError};
use crate::pki::input::{self, Encoded, InputError};
use crate::pki::key::{KeyError, KeyFormat, SigningKey};
use core::fmt;
use der::Decode;

/// One object found in a file, in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// A private key, stored in this format.
    PrivateKey(KeyFormat),
    /// An X.509 certificate.
    Certificate,
    /// A certificate signing request.
    CertificateRequest,
    /// A public key on its own.
    PublicKey,
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            // Inside a PKCS#12 file the summary already says so.
            Self::PrivateKey(KeyFormat::Pkcs12) => "private key",
            Self::PrivateKey(format) => format.describe(),
            Self::Certificate => "certificate",
            Self::CertificateRequest => "certificate signing request (CSR)",
            Self::PublicKey => "public key",
        })
    }
}

/// Everything found in one file.
#[derive(Debug, Default)]
pub struct Contents {
    /// The private key, if the file holds one.
    pub key: Option<SigningKey>,
    /// The certificates, in file order.
    pub certificates: Vec<Certificate>,
    /// Every object found, in file order (including ones of no use here, like a CSR).
    pub found: Vec<Found>,
    /// True when the file was a PKCS#12 (`.p12`, `.pfx`) file.
    pub pkcs12: bool,
}

/// A file could not be read as a key or certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReadError {
    /// Not PEM or DER at all, or damaged PEM.
    Input(InputError),
    /// A private key that can't be used.
    Key(KeyError),
    /// A damaged certificate.
    Certificate(CertificateError),
    /// An OpenSSH-format private key.
    OpenSshKey,
    /// A PKCS#7 bundle (`.p7b`).
    Pkcs7,
    /// A PEM label we do not know.
    UnknownPem {
        /// The label on the BEGIN line.
        label: String,
    },
    /// DER that is none of the things we read.
    UnknownDer,
    /// More than one private key in one file.
    SeveralKeys {
        /// How many.
        count: usize,
    },
    /// The key slot got a file with no private key.
    NotAKey {
        /// What the file holds instead.
        found: Vec<Found>,
    },
    /// The certificate slot got a file with no certificate.
    NoCertificate {
        /// What the file holds instead.
        found: Vec<Found>,
    },
}

impl From<InputError> for ReadError {
    fn from(e: InputError) -> Self {
        Self::Input(e)
    }
}

impl From<KeyError> for ReadError {
    fn from(e: KeyError) -> Self {
        Self::Key(e)
    }
}

impl From<CertificateError> for ReadError {
    fn from(e: CertificateError) -> Self {
        Self::Certificate(e)
    }
}

fn list(found: &[Found]) -> String {
    if found.is_empty() {
        return "nothing usable".to_owned();
    }
    found
        .iter()
        .map(|f| format!("a {f}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Input(e) => e.fmt(f),
            Self::Key(e) => e.fmt(f),
            Self::Certificate(e) => e.fmt(f),
            Self::OpenSshKey => f.write_str(
                "This is an OpenSSH private key (for SSH logins), not a SAML signing key. If it is an \
                 RSA key you mean to use, convert a copy with: ssh-keygen -p -m PKCS8 -f copy_of_key",
            ),
            Self::Pkcs7 => f.write_str(
                "This is a PKCS#7 certificate bundle (.p7b). Extract the certificates with: openssl \
                 pkcs7 -print_certs -in bundle.p7b -out cert.pem, then use cert.pem.",
            ),
            Self::UnknownPem { label } => write!(
                f,
                "This file holds a \"{label}\" block, which is neither a private key nor a \
                 certificate. Use the file that begins with -----BEGIN CERTIFICATE----- or \
                 -----BEGIN PRIVATE KEY-----."
            ),
            Self::UnknownDer => f.write_str(
                "This binary file is not a certificate, a private key or a PKCS#12 (.p12/.pfx) file. \
                 Export the certificate or key again, as PEM if you can.",
            ),
            Self::SeveralKeys { count } => write!(
                f,
                "This file holds {count} private keys; it is not clear which one signs. Keep only the \
                 IdP's signing key in the file."
            ),
            Self::NotAKey { found } => {
                let what = list(found);
                write!(f, "This file holds {what}, not a private key. ")?;
                if found.contains(&Found::Certificate) {
                    f.write_str(
                        "Put it in the certificate slot, and here the file that begins with \
                         -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY----- (private.pem).",
                    )
                } else {
                    f.write_str(
                        "The private key is the file that begins with -----BEGIN PRIVATE KEY----- or \
                         -----BEGIN RSA PRIVATE KEY----- (private.pem); a public key or CSR can't sign.",
                    )
                }
            }
            Self::NoCertificate { found } => {
                let what = list(found);
                write!(f, "This file holds {what}, not a certificate. ")?;
                if found.iter().any(|x| matches!(x, Found::PrivateKey(_))) {
                    f.write_str(
                        "Put it in the private key slot, and here the file that begins with \
                         -----BEGIN CERTIFICATE----- (cert.pem).",
                    )
                } else {
                    f.write_str("The certificate is the file that begins with -----BEGIN CERTIFICATE----- (cert.pem).")
                }
            }
        }
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Input(e) => Some(e),
            Self::Key(e) => Some(e),
            Self::Certificate(e) => Some(e),
            _ => None,
        }
    }
}

impl ReadError {
    /// A stable kebab-case code for the error, for scripts and tests: the inner error's code for
    /// [`ReadError::Input`], [`ReadError::Key`] and [`ReadError::Certificate`].
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Input(e) => e.code(),
            Self::Key(e) => e.code(),
            Self::Certificate(e) => e.code(),
            Self::OpenSshKey => "openssh-key",
            Self::Pkcs7 => "pkcs7",
            Self::UnknownPem { .. } => "unknown-pem",
            Self::UnknownDer => "unknown-der",
            Self::SeveralKeys { .. } => "several-keys",
            Self::NotAKey { .. } => "not-a-key",
            Self::NoCertificate { .. } => "no-certificate",
        }
    }
}

impl Contents {
    /// For the private key slot: the file must hold a key.
    ///
    /// # Errors
    /// [`ReadError::NotAKey`] naming what the file holds instead.
    pub fn require_key(self) -> Result<Self, ReadError> {
        if self.key.is_some() {
            Ok(self)
        } else {
            Err(ReadError::NotAKey { found: self.found })
        }
    }

    /// For the certificate slot: the file must hold a certificate.
    ///
    /// # Errors
    /// [`ReadError::NoCertificate`] naming what the file holds instead.
    pub fn require_certificate(self) -> Result<Self, ReadError> {
        if self.certificates.is_empty() {
            Err(ReadError::NoCertificate { found: self.found })
        } else {
            Ok(self)
        }
    }

    /// A one-line summary: "PKCS#12 file: private key in a PKCS#12 file, certificate".
    #[must_use]
    pub fn summary(&self) -> String {
        let items = self
            .found
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        if self.pkcs12 {
            format!("PKCS#12 file: {items}")
        } else {
            items
        }
    }

    fn add_key(&mut self, key: SigningKey, keys_seen: &mut usize) {
        *keys_seen += 1;
        self.found.push(Found::PrivateKey(key.format()));
        if self.key.is_none() {
            self.key = Some(key);
        }
    }
}

/// Reads a key, certificate, bundle or PKCS#12 file. `passphrase` unlocks an encrypted key or a
/// PKCS#12 file (a PKCS#12 file with an empty passphrase opens without one).
///
/// # Errors
/// [`ReadError`], saying what was found and what to do.
pub fn read(bytes: &[u8], passphrase: Option<&str>) -> Result<Contents, ReadError> {
    let blocks = input::decode(bytes)?;
    let mut contents = Contents::default();
    let mut keys_seen = 0usize;
    for Encoded { label, der } in blocks {
        match label.as_deref() {
            Some("RSA PRIVATE KEY") => {
                contents.add_key(SigningKey::from_pkcs1_der(&der)?, &mut keys_seen)
            }
            Some("PRIVATE KEY") => {
                contents.add_key(
                    SigningKey::from_pkcs8_der(&der, KeyFormat::Pkcs8)?,
                    &mut keys_seen,
                );
            }
            Some("ENCRYPTED PRIVATE KEY") => {
                contents.add_key(
                    SigningKey::from_encrypted_pkcs8_der(&der, passphrase)?,
                    &mut keys_seen,
                );
            }
            Some("EC PRIVATE KEY") => {
                return Err(KeyError::Unsupported {
                    found: "an EC key".to_owned(),
                }
                .into());
            }
            Some("DSA PRIVATE KEY") => {
                return Err(KeyError::Unsupported {
                    found: "a DSA key".to_owned(),
                }
                .into());
            }
            Some("OPENSSH PRIVATE KEY") => return Err(ReadError::OpenSshKey),
            Some("CERTIFICATE" | "X509 CERTIFICATE") => {
                contents.certificates.push(Certificate::from_der(&der)?);
                contents.found.push(Found::Certificate);
            }
            Some("CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST") => {
                contents.found.push(Found::CertificateRequest);
            }
            Some("PUBLIC KEY" | "RSA PUBLIC KEY") => contents.found.push(Found::PublicKey),
            Some("PKCS7" | "CMS") => return Err(ReadError::Pkcs7),
            Some(other) => {
                return Err(ReadError::UnknownPem {
                    label: other.to_owned(),
                });
            }
            None => read_der(&der, passphrase, &mut contents, &mut keys_seen)?,
        }
    }
    if keys_seen > 1 {
        return Err(ReadError::SeveralKeys { count: keys_seen });
    }
    Ok(contents)
}

/// Plain DER: tell what it is by what it decodes as.
fn read_der(
    der: &[u8],
    passphrase: Option<&str>,
    contents: &mut Contents,
    keys_seen: &mut usize,
) -> Result<(), ReadError> {
    match Certificate::from_der(der) {
        Ok(cert) => {
            contents.certificates.push(cert);
            contents.found.push(Found::Certificate);
            return Ok(());
        }
        // A whole certificate with bytes after it: a damaged certificate, not an unknown file.
        Err(e) if matches!(e.source.kind(), der::ErrorKind::TrailingData { .. }) => {
            return Err(e.into());
        }
        Err(_) => {}
    }
    if pkcs8::PrivateKeyInfoRef::from_der(der).is_ok() {
        contents.add_key(
            SigningKey::from_pkcs8_der(der, KeyFormat::Pkcs8)?,
            keys_seen,
        );
        return Ok(());
    }
    if pkcs1::RsaPrivateKeyRef::from_der(der).is_ok() {
        contents.add_key(SigningKey::from_pkcs1_der(der)?, keys_seen);
        return Ok(());
    }
    if pkcs8::EncryptedPrivateKeyInfoRef::from_der(der).is_ok() {
        contents.add_key(
            SigningKey::from_encrypted_pkcs8_der(der, passphrase)?,
            keys_seen,
        );
        return Ok(());
    }
    if looks_like_csr(der) {
        contents.found.push(Found::CertificateRequest);
        return Ok(());
    }
    if spki::SubjectPublicKeyInfoRef::from_der(der).is_ok() {
        contents.found.push(Found::PublicKey);
        return Ok(());
    }
    read_pkcs12(der, passphrase, contents, keys_seen)
}

/// A PKCS#10 certificate signing request, told by its shape (RFC 2986, section 4.2):
///
/// ```text
/// CertificationRequest ::= SEQUENCE {
///      certificationRequestInfo CertificationRequestInfo,
///      signatureAlgorithm AlgorithmIdentifier{{ SignatureAlgorithms }},
///      signature          BIT STRING
/// }
/// CertificationRequestInfo ::= SEQUENCE {
///      version       INTEGER { v1(0) } (v1,...),
///      subject       Name,
///      subjectPKInfo SubjectPublicKeyInfo{{ PKInfoAlgorithms }},
///      attributes    [0] Attributes{{ CRIAttributes }}
/// }
/// ```
///
/// Only the outline is decoded: the file is refused either way (it holds no key), and decoding a
/// whole request would put its decoders into the page for one message.
fn looks_like_csr(der: &[u8]) -> bool {
    use der::asn1::{AnyRef, BitStringRef};
    use der::{Tag, TagNumber, Tagged};
    #[derive(der::Sequence)]
    struct Outline<'a> {
        info: AnyRef<'a>,
        algorithm: AnyRef<'a>,
        #[allow(dead_code)] // decoded to check the shape, not read
        signature: BitStringRef<'a>,
    }
    #[derive(der::Sequence)]
    struct InfoOutline<'a> {
        version: u8,
        subject: AnyRef<'a>,
        public_key: AnyRef<'a>,
        attributes: AnyRef<'a>,
    }
    let Ok(outline) = Outline::from_der(der) else {
        return false;
    };
    let Ok(info) = outline.info.decode_as::<InfoOutline<'_>>() else {
        return false;
    };
    outline.info.tag() == Tag::Sequence
        && outline.algorithm.tag() == Tag::Sequence
        && info.version == 0
        && info.subject.tag() == Tag::Sequence
        && info.public_key.tag() == Tag::Sequence
        && info.attributes.tag()
            == (Tag::ContextSpecific {
                constructed: true,
                number: TagNumber(0),
            })
}

/// A PKCS#12 file: check its MAC and decrypt it with the passphrase (or an empty one), then take
/// its keys and certificates.
fn read_pkcs12(
    der: &[u8],
    passphrase: Option<&str>,
    contents: &mut Contents,
    keys_seen: &mut usize,
) -> Result<(), ReadError> {
    if !crate::pki::pkcs12::looks_like_pfx(der) {
        return Err(ReadError::UnknownDer);
    }
    let file = crate::pki::pkcs12::decode(der, passphrase.unwrap_or(""))?;
    contents.pkcs12 = true;
    for key in &file.keys {
        contents.add_key(
            SigningKey::from_pkcs8_der(key, KeyFormat::Pkcs12)?,
            keys_seen,
        );
    }
    for cert in &file.certificates {
        contents.certificates.push(Certificate::from_der(cert)?);
        contents.found.push(Found::Certificate);
    }
    Ok(())
}
