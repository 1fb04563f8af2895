//! A new IdP key pair: an RSA key and a self-signed X.509 v3 certificate for it.
//!
//! The certificate is what JumpCloud's own instructions make with `openssl req -x509 -sha256`,
//! built with RustCrypto's [`x509_cert::builder`] and a leaf profile of our own
//! ([`SelfSignedLeaf`]): the CA/Browser Forum root profile that ships with the builder marks the
//! certificate as a CA, demands C, O and CN, and leaves out `digitalSignature`, which some service
//! providers require of an IdP signing certificate.
//!
//! - signature: `sha256WithRSAEncryption` (RFC 4055);
//! - serial number: 126 random bits, positive ("The serial number MUST be a positive integer",
//!   RFC 5280 §4.1.2.2; at least 64 bits of CSPRNG output, CA/Browser Forum Baseline
//!   Requirements 7.1);
//! - subject = issuer: CN, and optionally O, OU and C;
//! - validity: from "now" (a parameter: the core never reads the clock) for a number of days;
//! - extensions: basicConstraints CA:FALSE (critical), keyUsage digitalSignature (critical),
//!   subjectKeyIdentifier and authorityKeyIdentifier (the SHA-1 of the public key, RFC 5280
//!   §4.2.1.2 method 1, as OpenSSL writes them).
//!
//! The key is written as PKCS#8 (`BEGIN PRIVATE KEY`, what `openssl genpkey` writes), PKCS#1
//! (`BEGIN RSA PRIVATE KEY`, what `openssl genrsa` in OpenSSL 1.x wrote), or passphrase-encrypted
//! PKCS#8 with PBES2, PBKDF2-HMAC-SHA256 and AES-256-CBC, which OpenSSL 3 opens (the crate's default
//! scrypt parameters are beyond OpenSSL's memory limit).
//!
//! A key made elsewhere (the browser's WebCrypto `generateKey`, exported as PKCS#8) gets its
//! certificate through [`KeyPair::certify`].

use crate::pki::cert::Certificate;
use crate::pki::key::{KeyError, KeyFormat, SigningKey};
use crate::time::{DAY, UnixTime};
use core::fmt;
use der::asn1::{GeneralizedTime, PrintableStringRef, Utf8StringRef};
use der::{Any, Encode};
use rsa::PrivateKey as RsaPrivateKey;
use rsa::signature::{SignatureEncoding, Signer};
use spki::SubjectPublicKeyInfoRef;
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::certificate::TbsCertificate;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, KeyUsage, KeyUsages, SubjectKeyIdentifier,
};
use x509_cert::ext::{Extension, ToExtension};
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};
use zeroize::{ZeroizeOnDrop, Zeroizing};

/// The RSA key sizes offered. 2048 bits is what JumpCloud's own instructions use; JumpCloud's
/// generated certificates are 4096 bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum KeySize {
    /// RSA 2048 bits (112-bit security, NIST SP 800-57 Part 1: acceptable through 2030).
    Rsa2048,
    /// RSA 3072 bits (128-bit security, NIST SP 800-57 Part 1: acceptable beyond 2030).
    #[default]
    Rsa3072,
    /// RSA 4096 bits.
    Rsa4096,
}

impl KeySize {
    /// Every size offered, smallest first.
    pub const ALL: [Self; 3] = [Self::Rsa2048, Self::Rsa3072, Self::Rsa4096];

    /// The modulus size in bits.
    #[must_use]
    pub const fn bits(self) -> u32 {
        match self {
            Self::Rsa2048 => 2048,
            Self::Rsa3072 => 3072,
            Self::Rsa4096 => 4096,
        }
    }

    /// The size with `bits` bits, if it is one offered.
    #[must_use]
    pub fn from_bits(bits: u32) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.bits() == bits)
    }
}

/// Validity of a new certificate when none is given: 1095 days, as in JumpCloud's instructions
/// (`openssl req -x509 -sha256 -days 1095`).
pub const DEFAULT_DAYS: u32 = 1095;

/// The longest validity offered: ten years.
pub const MAX_DAYS: u32 = 3650;

/// The longest common name, organization or organizational unit: `ub-common-name`,
/// `ub-organization-name` and `ub-organizational-unit-name` are 64 (RFC 5280, Appendix A.1).
pub const MAX_NAME_CHARS: usize = 64;

/// PBKDF2-HMAC-SHA256 iterations for an encrypted copy of the key: OWASP's Password Storage Cheat
/// Sheet recommends 600,000 for PBKDF2-HMAC-SHA256, which is also the `pkcs5` crate's
/// `Pbkdf2Params::DEFAULT_SHA256_ITERATIONS`. Within [`crate::pki::key::MAX_PBKDF2_ITERATIONS`], so
/// samlmeta reads its own files back.
pub const ENCRYPTION_ITERATIONS: u32 = 600_000;

/// What the new certificate says: its subject and validity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateRequest {
    /// The common name (CN), 1 to 64 characters.
    pub common_name: String,
    /// The organization (O), if any, at most 64 characters.
    pub organization: Option<String>,
    /// The organizational unit (OU), if any, at most 64 characters.
    pub organizational_unit: Option<String>,
    /// The country (C), if any: two letters (ISO 3166-1 alpha-2), written in capitals.
    pub country: Option<String>,
    /// The start of the validity (notBefore).
    pub not_before: UnixTime,
    /// How many days the certificate is valid, 1 to [`MAX_DAYS`].
    pub days: u32,
}

impl CertificateRequest {
    /// A request for `common_name`, valid from `now` for [`DEFAULT_DAYS`].
    #[must_use]
    pub fn new(common_name: impl Into<String>, now: UnixTime) -> Self {
        Self {
            common_name: common_name.into(),
            organization: None,
            organizational_unit: None,
            country: None,
            not_before: now,
            days: DEFAULT_DAYS,
        }
    }

    /// The end of the validity (notAfter).
    #[must_use]
    pub fn not_after(&self) -> UnixTime {
        UnixTime::from_seconds(
            self.not_before
                .seconds()
                .saturating_add(i64::from(self.days).saturating_mul(DAY)),
        )
    }

    /// Checks every value before any work is done.
    ///
    /// # Errors
    /// The first value that cannot go into a certificate.
    pub fn check(&self) -> Result<(), GenerateError> {
        check_name(NamePart::CommonName, &self.common_name)?;
        if let Some(o) = &self.organization {
            check_name(NamePart::Organization, o)?;
        }
        if let Some(ou) = &self.organizational_unit {
            check_name(NamePart::OrganizationalUnit, ou)?;
        }
        if let Some(c) = &self.country
            && !(c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()))
        {
            return Err(GenerateError::Country { found: c.clone() });
        }
        if !(1..=MAX_DAYS).contains(&self.days) {
            return Err(GenerateError::Days { days: self.days });
        }
        if self.not_before.seconds() < 0 {
            return Err(GenerateError::Time);
        }
        Ok(())
    }

    fn subject(&self) -> Result<Name, GenerateError> {
        // Most general first, as `openssl req` writes them: C, O, OU, CN.
        let mut rdns = RdnSequence::default();
        if let Some(c) = &self.country {
            let upper = c.to_ascii_uppercase();
            let value = PrintableStringRef::new(&upper)
                .map_err(|e| GenerateError::Encoding(e.to_string()))?;
            rdns.push(rdn(COUNTRY, Any::encode_from(&value))?);
        }
        for (oid, value) in [
            (ORGANIZATION, self.organization.as_deref()),
            (ORGANIZATIONAL_UNIT, self.organizational_unit.as_deref()),
            (COMMON_NAME, Some(self.common_name.as_str())),
        ] {
            if let Some(text) = value {
                let text = text.trim();
                let value =
                    Utf8StringRef::new(text).map_err(|e| GenerateError::Encoding(e.to_string()))?;
                rdns.push(rdn(oid, Any::encode_from(&value))?);
            }
        }
        // x509-cert builds a `Name` only from its own string form or from DER; DER needs no
        // escaping of commas or plus signs in the values.
        let der = rdns
            .to_der()
            .map_err(|e| GenerateError::Encoding(e.to_string()))?;
        <Name as der::Decode>::from_der(&der).map_err(|e| GenerateError::Encoding(e.to_string()))
    }

    fn validity(&self) -> Result<Validity, GenerateError> {
        let time = |t: UnixTime| -> Result<Time, GenerateError> {
            let seconds = u64::try_from(t.seconds()).map_err(|_| GenerateError::Time)?;
            GeneralizedTime::from_unix_duration(core::time::Duration::from_secs(seconds))
                .map(Time::GeneralTime)
                .map_err(|_| GenerateError::Time)
        };
        // The builder writes dates before 2050 as UTCTime (RFC 5280 §4.1.2.5).
        Ok(Validity::new(
            time(self.not_before)?,
            time(self.not_after())?,
        ))
    }
}

const COUNTRY: der::asn1::ObjectIdentifier = der::asn1::ObjectIdentifier::new_unwrap("2.5.4.6");
const ORGANIZATION: der::asn1::ObjectIdentifier =
    der::asn1::ObjectIdentifier::new_unwrap("2.5.4.10");
const ORGANIZATIONAL_UNIT: der::asn1::ObjectIdentifier =
    der::asn1::ObjectIdentifier::new_unwrap("2.5.4.11");
const COMMON_NAME: der::asn1::ObjectIdentifier = der::asn1::ObjectIdentifier::new_unwrap("2.5.4.3");

fn rdn(
    oid: der::asn1::ObjectIdentifier,
    value: der::Result<Any>,
) -> Result<RelativeDistinguishedName, GenerateError> {
    let atv = AttributeTypeAndValue {
        oid,
        value: value.map_err(|e| GenerateError::Encoding(e.to_string()))?,
    };
    der::asn1::SetOfVec::try_from(vec![atv])
        .map(RelativeDistinguishedName::from)
        .map_err(|e| GenerateError::Encoding(e.to_string()))
}

/// Which part of the subject a value is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamePart {
    /// CN.
    CommonName,
    /// O.
    Organization,
    /// OU.
    OrganizationalUnit,
}

impl fmt::Display for NamePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::CommonName => "common name (CN)",
            Self::Organization => "organization (O)",
            Self::OrganizationalUnit => "organizational unit (OU)",
        })
    }
}

fn check_name(part: NamePart, value: &str) -> Result<(), GenerateError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(GenerateError::EmptyName { part });
    }
    let chars = value.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(GenerateError::NameTooLong { part, chars });
    }
    if value.chars().any(char::is_control) {
        return Err(GenerateError::ControlCharacter { part });
    }
    Ok(())
}

/// How the private key is written.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum KeyEncoding<'a> {
    /// PKCS#8, `-----BEGIN PRIVATE KEY-----`: what JumpCloud's upload and OpenSSL 3 take.
    Pkcs8,
    /// PKCS#1, `-----BEGIN RSA PRIVATE KEY-----`, for older tools.
    Pkcs1,
    /// PKCS#8 encrypted with this passphrase, `-----BEGIN ENCRYPTED PRIVATE KEY-----` (PBES2,
    /// PBKDF2-HMAC-SHA256 with [`ENCRYPTION_ITERATIONS`], AES-256-CBC), for a stored copy.
    EncryptedPkcs8 {
        /// The passphrase; at least one character.
        passphrase: &'a str,
    },
}

impl fmt::Debug for KeyEncoding<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print the passphrase.
        f.write_str(match self {
            Self::Pkcs8 => "Pkcs8",
            Self::Pkcs1 => "Pkcs1",
            Self::EncryptedPkcs8 { .. } => "EncryptedPkcs8",
        })
    }
}

/// A new key and its self-signed certificate. The key is zeroized when dropped.
pub struct KeyPair {
    key: RsaPrivateKey,
    certificate: Certificate,
}

// The key is `rsa`'s key, which zeroizes itself when dropped; the certificate is public.
impl ZeroizeOnDrop for KeyPair {}

impl fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyPair({:?})", self.certificate)
    }
}

impl KeyPair {
    /// Makes a new RSA key of `size` with the platform's CSPRNG (`getrandom`: the operating
    /// system, or `crypto.getRandomValues` in a browser) and a certificate for it.
    ///
    /// 2048 bits take a fraction of a second natively; 4096 bits several seconds in a browser.
    ///
    /// # Errors
    /// A value of `request` that cannot go into a certificate (checked before the key is made),
    /// or no randomness from the platform.
    pub fn generate(size: KeySize, request: &CertificateRequest) -> Result<Self, GenerateError> {
        request.check()?;
        let bits = usize::try_from(size.bits()).map_err(|_| GenerateError::Time)?;
        let key = RsaPrivateKey::new(&mut getrandom::SysRng, bits)
            .map_err(|e| GenerateError::Rsa(e.to_string()))?;
        UnsignedCertificate::new(key, request)?.sign_here()
    }

    /// Certifies a key made elsewhere, given as unencrypted PKCS#8 DER (what WebCrypto's
    /// `exportKey("pkcs8", ...)` returns).
    ///
    /// # Errors
    /// The bytes are not an RSA key of a size offered in [`KeySize`], or a value of `request`
    /// cannot go into a certificate.
    pub fn certify(pkcs8_der: &[u8], request: &CertificateRequest) -> Result<Self, GenerateError> {
        Self::prepare(pkcs8_der, request)?.sign_here()
    }

    /// A pair made earlier, from its key (unencrypted PKCS#8 DER) and certificate (DER): what
    /// a worker that made the pair hands back.
    ///
    /// # Errors
    /// Either part does not decode, or the certificate is not the key's.
    pub fn from_der(pkcs8_der: &[u8], certificate_der: &[u8]) -> Result<Self, GenerateError> {
        let key =
            SigningKey::from_pkcs8_der(pkcs8_der, KeyFormat::Pkcs8).map_err(GenerateError::Key)?;
        let certificate = Certificate::from_der(certificate_der)
            .map_err(|e| GenerateError::Certificate(e.to_string()))?;
        if key.public_key_der().is_none() || key.public_key_der() != certificate.public_key_der() {
            return Err(GenerateError::Certificate(
                "the certificate is not the key's".to_owned(),
            ));
        }
        Ok(Self {
            key: key.rsa().clone(),
            certificate,
        })
    }

    /// The first half of [`KeyPair::certify`] for a key that lives elsewhere too (a WebCrypto
    /// `CryptoKey`): the certificate to be signed there, by the same key. Hand the signature to
    /// [`UnsignedCertificate::finish`].
    ///
    /// # Errors
    /// As [`KeyPair::certify`].
    pub fn prepare(
        pkcs8_der: &[u8],
        request: &CertificateRequest,
    ) -> Result<UnsignedCertificate, GenerateError> {
        request.check()?;
        let key =
            SigningKey::from_pkcs8_der(pkcs8_der, KeyFormat::Pkcs8).map_err(GenerateError::Key)?;
        if KeySize::from_bits(key.bits()).is_none() {
            return Err(GenerateError::KeySize { bits: key.bits() });
        }
        UnsignedCertificate::new(key.rsa().clone(), request)
    }

    /// The certificate.
    #[must_use]
    pub fn certificate(&self) -> &Certificate {
        &self.certificate
    }

    /// The certificate as PEM (`-----BEGIN CERTIFICATE-----`), the `cert.pem` to upload.
    #[must_use]
    pub fn certificate_pem(&self) -> String {
        self.certificate.to_pem()
    }

    /// The key size in bits.
    #[must_use]
    pub fn bits(&self) -> u32 {
        rsa::traits::PublicKeyParts::n(&self.key)
            .as_ref()
            .bit_width()
    }

    /// The key as unencrypted PKCS#8 DER, to load it for signing. Zeroized when dropped.
    ///
    /// # Errors
    /// The key could not be encoded (not expected for a key this module made).
    pub fn private_key_der(&self) -> Result<Zeroizing<Vec<u8>>, GenerateError> {
        use pkcs8::EncodePrivateKey;
        self.key
            .to_pkcs8_der()
            .map(|doc| Zeroizing::new(doc.as_bytes().to_vec()))
            .map_err(|e| GenerateError::Encoding(e.to_string()))
    }

    /// The key as PEM in `encoding`: the `private.pem` to upload, or an encrypted copy to store.
    /// Zeroized when dropped.
    ///
    /// # Errors
    /// An empty passphrase, no randomness for the salt, or an encoding failure.
    pub fn private_key_pem(
        &self,
        encoding: KeyEncoding<'_>,
    ) -> Result<Zeroizing<String>, GenerateError> {
        match encoding {
            KeyEncoding::Pkcs8 => self.pkcs8_pem(),
            KeyEncoding::Pkcs1 => self.pkcs1_pem(),
            KeyEncoding::EncryptedPkcs8 { passphrase } => self.encrypted_pkcs8_pem(passphrase),
        }
    }

    /// [`KeyEncoding::Pkcs8`]. (One function per encoding, so a caller links only what it uses.)
    ///
    /// # Errors
    /// An encoding failure.
    pub fn pkcs8_pem(&self) -> Result<Zeroizing<String>, GenerateError> {
        use pkcs8::EncodePrivateKey;
        self.key
            .to_pkcs8_pem(pkcs8::LineEnding::LF)
            .map_err(|e| GenerateError::Encoding(e.to_string()))
    }

    /// [`KeyEncoding::Pkcs1`].
    ///
    /// # Errors
    /// An encoding failure.
    pub fn pkcs1_pem(&self) -> Result<Zeroizing<String>, GenerateError> {
        use pkcs1::EncodeRsaPrivateKey;
        self.key
            .to_pkcs1_pem(pkcs8::LineEnding::LF)
            .map_err(|e| GenerateError::Encoding(e.to_string()))
    }

    /// [`KeyEncoding::EncryptedPkcs8`].
    ///
    /// # Errors
    /// An empty passphrase, no randomness for the salt, or an encoding failure.
    pub fn encrypted_pkcs8_pem(
        &self,
        passphrase: &str,
    ) -> Result<Zeroizing<String>, GenerateError> {
        if passphrase.is_empty() {
            return Err(GenerateError::EmptyPassphrase);
        }
        let der = self.private_key_der()?;
        let info = pkcs8::PrivateKeyInfoRef::try_from(der.as_slice())
            .map_err(|e| GenerateError::Encoding(e.to_string()))?;
        let mut salt = [0u8; 16];
        let mut iv = [0u8; 16];
        getrandom::fill(&mut salt).map_err(GenerateError::NoRandomness)?;
        getrandom::fill(&mut iv).map_err(GenerateError::NoRandomness)?;
        let params = pkcs8::pkcs5::pbes2::Parameters::generate_pbkdf2_sha256_aes256cbc(
            ENCRYPTION_ITERATIONS,
            &salt,
            iv,
        )
        .map_err(|e| GenerateError::Certificate(e.to_string()))?;
        let encrypted = info
            .encrypt_with_params(params, passphrase.as_bytes())
            .map_err(|e| GenerateError::Certificate(e.to_string()))?;
        encrypted
            .to_pem("ENCRYPTED PRIVATE KEY", pkcs8::LineEnding::LF)
            .map_err(|e| GenerateError::Encoding(e.to_string()))
    }

    /// The key, to sign with it right away.
    #[must_use]
    pub fn signing_key(&self) -> SigningKey {
        SigningKey::from_rsa(self.key.clone(), KeyFormat::Pkcs8)
    }
}

/// The common name to suggest for an IdP Entity ID: its host when it is a URL
/// (`https://idp.example.com/saml` → `idp.example.com`), else the entity ID itself, cut to
/// [`MAX_NAME_CHARS`] characters.
#[must_use]
pub fn default_common_name(idp_entity_id: &str) -> String {
    let id = idp_entity_id.trim();
    let host = id.split_once("://").and_then(|(scheme, rest)| {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host_port = authority.rsplit('@').next().unwrap_or_default();
        let host = if host_port.starts_with('[') {
            host_port
                .split(']')
                .next()
                .map(|h| h.trim_start_matches('['))
        } else {
            host_port.split(':').next()
        };
        host.filter(|h| {
            !h.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
    });
    host.unwrap_or(id)
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME_CHARS)
        .collect()
}

/// A certificate built and encoded up to its signature: what [`KeyPair::prepare`] returns.
pub struct UnsignedCertificate {
    builder: CertificateBuilder<SelfSignedLeaf>,
    signer: rsa::pkcs1v15::SigningKey<sha2::Sha256>,
    tbs: Vec<u8>,
}

impl fmt::Debug for UnsignedCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UnsignedCertificate({} bytes to sign)", self.tbs.len())
    }
}

impl UnsignedCertificate {
    fn new(key: RsaPrivateKey, request: &CertificateRequest) -> Result<Self, GenerateError> {
        let signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key);
        let public = spki::EncodePublicKey::to_public_key_der(&signer.as_ref().to_public_key())
            .map_err(|e| GenerateError::Encoding(e.to_string()))?;
        let spki = spki::SubjectPublicKeyInfoOwned::try_from(public.as_bytes())
            .map_err(|e| GenerateError::Encoding(e.to_string()))?;
        let profile = SelfSignedLeaf {
            subject: request.subject()?,
        };
        let mut builder =
            CertificateBuilder::new(profile, random_serial()?, request.validity()?, spki)
                .map_err(|e| GenerateError::Certificate(e.to_string()))?;
        let tbs = builder
            .finalize(&signer)
            .map_err(|e| GenerateError::Certificate(e.to_string()))?;
        Ok(Self {
            builder,
            signer,
            tbs,
        })
    }

    /// The DER `TBSCertificate` to sign with RSASSA-PKCS1-v1_5 and SHA-256.
    #[must_use]
    pub fn to_be_signed(&self) -> &[u8] {
        &self.tbs
    }

    /// The pair, with `signature` (RSASSA-PKCS1-v1_5 with SHA-256 over [`Self::to_be_signed`],
    /// made elsewhere with the same key): checked against the key before it goes into the
    /// certificate.
    ///
    /// # Errors
    /// The signature does not verify with the key.
    pub fn finish(self, signature: &[u8]) -> Result<KeyPair, GenerateError> {
        let verified = rsa::pkcs1v15::Signature::try_from(signature).and_then(|s| {
            rsa::signature::Verifier::verify(
                &rsa::signature::Keypair::verifying_key(&self.signer),
                &self.tbs,
                &s,
            )
        });
        if verified.is_err() {
            return Err(GenerateError::Certificate(
                "the signature made for it does not verify with the key".to_owned(),
            ));
        }
        self.assemble(signature)
    }

    /// Signed with the key it holds (RSA in this crate).
    fn sign_here(self) -> Result<KeyPair, GenerateError> {
        let signature = self
            .signer
            .try_sign(&self.tbs)
            .map_err(|e| GenerateError::Certificate(e.to_string()))?;
        self.assemble(&signature.to_bytes())
    }

    fn assemble(self, signature: &[u8]) -> Result<KeyPair, GenerateError> {
        let bits = der::asn1::BitString::from_bytes(signature)
            .map_err(|e| GenerateError::Encoding(e.to_string()))?;
        let certificate = self
            .builder
            .assemble(bits, &self.signer)
            .map_err(|e| GenerateError::Certificate(e.to_string()))?;
        let der = certificate
            .to_der()
            .map_err(|e| GenerateError::Encoding(e.to_string()))?;
        let certificate =
            Certificate::from_der(&der).map_err(|e| GenerateError::Certificate(e.to_string()))?;
        Ok(KeyPair {
            key: self.signer.into(),
            certificate,
        })
    }
}

/// 126 random bits as a positive serial number without a leading zero octet.
fn random_serial() -> Result<SerialNumber, GenerateError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(GenerateError::NoRandomness)?;
    // Top bit clear: positive. Second bit set: no leading zero octet, so always 16 octets.
    bytes[0] = (bytes[0] & 0x3f) | 0x40;
    SerialNumber::new(&bytes).map_err(|e| GenerateError::Encoding(e.to_string()))
}

/// The builder profile for a self-signed SAML signing certificate: an end-entity certificate
/// (CA:FALSE) whose key signs, and nothing else.
struct SelfSignedLeaf {
    subject: Name,
}

impl BuilderProfile for SelfSignedLeaf {
    fn get_issuer(&self, subject: &Name) -> Name {
        subject.clone()
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        spk: SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: SubjectPublicKeyInfoRef<'_>,
        tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        let mut extensions: Vec<Extension> = Vec::new();
        let ski = SubjectKeyIdentifier::try_from(spk)?;
        extensions.push(
            BasicConstraints {
                ca: false,
                path_len_constraint: None,
            }
            .to_extension(tbs.subject(), &extensions)?,
        );
        extensions.push(
            KeyUsage(KeyUsages::DigitalSignature.into())
                .to_extension(tbs.subject(), &extensions)?,
        );
        extensions.push(
            AuthorityKeyIdentifier {
                key_identifier: Some(ski.0.clone()),
                ..Default::default()
            }
            .to_extension(tbs.subject(), &extensions)?,
        );
        extensions.push(ski.to_extension(tbs.subject(), &extensions)?);
        Ok(extensions)
    }
}

/// A key pair could not be made.
#[derive(Debug)]
#[non_exhaustive]
pub enum GenerateError {
    /// The common name, organization or organizational unit is empty.
    EmptyName {
        /// Which one.
        part: NamePart,
    },
    /// A name is longer than [`MAX_NAME_CHARS`].
    NameTooLong {
        /// Which one.
        part: NamePart,
        /// Its length in characters.
        chars: usize,
    },
    /// A name holds a control character (a line break, a tab).
    ControlCharacter {
        /// Which one.
        part: NamePart,
    },
    /// The country is not two letters.
    Country {
        /// What was given.
        found: String,
    },
    /// The validity is outside 1 to [`MAX_DAYS`] days.
    Days {
        /// What was given.
        days: u32,
    },
    /// The start or end of the validity cannot be written in a certificate.
    Time,
    /// An encrypted copy was asked for with an empty passphrase.
    EmptyPassphrase,
    /// A key given to [`KeyPair::certify`] is not a size offered.
    KeySize {
        /// Its size.
        bits: u32,
    },
    /// A key given to [`KeyPair::certify`] could not be read.
    Key(KeyError),
    /// The platform gave no randomness.
    NoRandomness(getrandom::Error),
    /// RSA key generation failed.
    Rsa(String),
    /// The certificate builder or the key encryption failed.
    Certificate(String),
    /// DER encoding failed.
    Encoding(String),
}

impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyName { part } => write!(
                f,
                "The {part} is empty. Give the certificate a name, for example the host name of \
                 the IdP Entity ID."
            ),
            Self::NameTooLong { part, chars } => write!(
                f,
                "The {part} is {chars} characters long; a certificate allows at most \
                 {MAX_NAME_CHARS}. Shorten it."
            ),
            Self::ControlCharacter { part } => write!(
                f,
                "The {part} holds a line break or another control character. Type it on one line."
            ),
            Self::Country { found } => write!(
                f,
                "The country \"{found}\" is not a two-letter country code (ISO 3166-1, for example \
                 US, DE or GB). Leave it out or use the two letters."
            ),
            Self::Days { days } => write!(
                f,
                "A certificate valid for {days} days is not offered: choose 1 to {MAX_DAYS} days \
                 (up to ten years)."
            ),
            Self::Time => f.write_str(
                "The clock's date cannot be written in a certificate. Check this machine's date.",
            ),
            Self::EmptyPassphrase => f.write_str(
                "The passphrase for the encrypted copy is empty. Type a passphrase, or save only \
                 the unencrypted key.",
            ),
            Self::KeySize { bits } => write!(
                f,
                "The new key is RSA {bits} bits; only 2048, 3072 and 4096 bits are offered."
            ),
            Self::Key(e) => write!(f, "The new key could not be read: {e}"),
            Self::NoRandomness(e) => write!(
                f,
                "This system gave no random numbers ({e}), so no key can be made safely. Try \
                 again, or on another machine."
            ),
            Self::Rsa(e) => write!(f, "The RSA key could not be made ({e}). Try again."),
            Self::Certificate(e) => {
                write!(f, "The certificate could not be made ({e}). Try again.")
            }
            Self::Encoding(e) => write!(
                f,
                "A value could not be written in the certificate or key ({e})."
            ),
        }
    }
}

impl std::error::Error for GenerateError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Key(e) => Some(e),
            _ => None,
        }
    }
}
