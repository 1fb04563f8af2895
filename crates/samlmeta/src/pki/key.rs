//! The IdP's private signing key: RSA only, from PKCS#1, PKCS#8 or encrypted PKCS#8.
//!
//! SAML metadata and responses are signed with RSA (`rsa-sha256`) by every mainstream IdP and
//! accepted by every SP, so that is what we take. Other key types get a typed error naming what was
//! found. Key material lives in types that zeroize on drop (`rsa`'s keys, [`Zeroizing`] buffers).

use crate::digest::Fingerprint;
use der::Decode;
use der::asn1::ObjectIdentifier;
use pkcs8::pkcs5;
use rsa::PrivateKey as RsaPrivateKey;
use rsa::traits::PublicKeyParts;
use spki::EncodePublicKey;
use zeroize::{ZeroizeOnDrop, Zeroizing};

/// rsaEncryption (RFC 8017, A.1).
pub(crate) const RSA_ENCRYPTION: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const RSASSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const ED448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.113");
const X25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.110");
const DSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10040.4.1");
const P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const P521: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");

/// PBKDF2 iterations above this are refused: a crafted file could otherwise freeze the page for
/// minutes. OpenSSL writes 2048 by default; the highest in common use is around 600,000.
pub const MAX_PBKDF2_ITERATIONS: u32 = 1_000_000;

/// scrypt memory (128 · N · r bytes) above this is refused: a crafted file could otherwise make the
/// page run out of memory. OpenSSL itself refuses more than 32 MiB by default.
pub const MAX_SCRYPT_MEMORY: u64 = 64 * 1024 * 1024;

/// How a private key was stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyFormat {
    /// PKCS#1 `RSAPrivateKey` (`-----BEGIN RSA PRIVATE KEY-----`).
    Pkcs1,
    /// PKCS#8 `PrivateKeyInfo` (`-----BEGIN PRIVATE KEY-----`).
    Pkcs8,
    /// PKCS#8 `EncryptedPrivateKeyInfo` (`-----BEGIN ENCRYPTED PRIVATE KEY-----`).
    EncryptedPkcs8,
    /// Inside a PKCS#12 (`.p12`, `.pfx`) file.
    Pkcs12,
}

impl KeyFormat {
    /// The format in words.
    #[must_use]
    pub const fn describe(self) -> &'static str {
        match self {
            Self::Pkcs1 => "PKCS#1 RSA private key",
            Self::Pkcs8 => "PKCS#8 private key",
            Self::EncryptedPkcs8 => "encrypted PKCS#8 private key",
            Self::Pkcs12 => "private key from a PKCS#12 file",
        }
    }
}

/// The public half of a [`SigningKey`]: its `SubjectPublicKeyInfo`, size and how the private key
/// was stored. Nothing secret; it tells which certificate the key belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    spki: Vec<u8>,
    bits: u32,
    format: KeyFormat,
}

impl PublicKey {
    /// A public key as [`SigningKey::public`] describes it, from its parts (for instance as they
    /// crossed to another thread).
    #[must_use]
    pub fn from_parts(spki: Vec<u8>, bits: u32, format: KeyFormat) -> Self {
        Self { spki, bits, format }
    }

    /// The DER `SubjectPublicKeyInfo`, as a certificate carries it (empty if the key could not
    /// be encoded, which then matches no certificate).
    #[must_use]
    pub fn der(&self) -> &[u8] {
        &self.spki
    }

    /// The RSA modulus size in bits.
    #[must_use]
    pub fn bits(&self) -> u32 {
        self.bits
    }

    /// How the private key was stored.
    #[must_use]
    pub fn format(&self) -> KeyFormat {
        self.format
    }

    /// The SHA-256 fingerprint of the `SubjectPublicKeyInfo` (see
    /// [`SigningKey::public_key_fingerprint`]).
    #[must_use]
    pub fn fingerprint(&self) -> Fingerprint {
        Fingerprint::sha256(&self.spki)
    }
}

/// The IdP's RSA private key, used to sign metadata. Zeroized when dropped.
pub struct SigningKey {
    key: RsaPrivateKey,
    format: KeyFormat,
}

// The one field holding key material is `rsa`'s key, which zeroizes itself when dropped.
impl ZeroizeOnDrop for SigningKey {}

impl core::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Never print key material.
        write!(f, "SigningKey(RSA {} bits, {:?})", self.bits(), self.format)
    }
}

impl SigningKey {
    /// The RSA modulus size in bits (2048, 3072, 4096, …).
    #[must_use]
    pub fn bits(&self) -> u32 {
        self.key.n().as_ref().bit_width()
    }

    /// How the key was stored.
    #[must_use]
    pub fn format(&self) -> KeyFormat {
        self.format
    }

    /// The DER `SubjectPublicKeyInfo` of the matching public key, as a certificate carries it.
    #[must_use]
    pub fn public_key_der(&self) -> Option<Vec<u8>> {
        self.key
            .to_public_key()
            .to_public_key_der()
            .ok()
            .map(|doc| doc.as_bytes().to_vec())
    }

    /// The SHA-256 fingerprint of the public key's `SubjectPublicKeyInfo` (what
    /// `openssl pkey -pubout -outform DER | sha256sum` prints), to tell keys apart without
    /// showing them.
    #[must_use]
    pub fn public_key_fingerprint(&self) -> Option<Fingerprint> {
        self.public_key_der().map(|der| Fingerprint::sha256(&der))
    }

    /// The key's public half and what is known of it, which is all the findings and the page
    /// need: the key itself can stay where it signs (the page's key worker).
    #[must_use]
    pub fn public(&self) -> PublicKey {
        PublicKey {
            spki: self.public_key_der().unwrap_or_default(),
            bits: self.bits(),
            format: self.format,
        }
    }

    pub(crate) fn from_rsa(key: RsaPrivateKey, format: KeyFormat) -> Self {
        Self { key, format }
    }

    /// The RSA key, for signing.
    pub(crate) fn rsa(&self) -> &RsaPrivateKey {
        &self.key
    }

    pub(crate) fn from_pkcs1_der(der: &[u8]) -> Result<Self, KeyError> {
        use pkcs1::DecodeRsaPrivateKey;
        RsaPrivateKey::from_pkcs1_der(der)
            .map(|key| Self {
                key,
                format: KeyFormat::Pkcs1,
            })
            .map_err(|e| KeyError::Malformed {
                what: "a PKCS#1 RSA private key",
                detail: e.to_string(),
            })
    }

    pub(crate) fn from_pkcs8_der(der: &[u8], format: KeyFormat) -> Result<Self, KeyError> {
        let info = pkcs8::PrivateKeyInfoRef::from_der(der).map_err(|e| KeyError::Malformed {
            what: "a PKCS#8 private key",
            detail: e.to_string(),
        })?;
        let oid = info.algorithm.oid;
        if oid != RSA_ENCRYPTION {
            return Err(KeyError::Unsupported {
                found: key_type_name(oid, info.algorithm.parameters_oid().ok()),
            });
        }
        RsaPrivateKey::try_from(info)
            .map(|key| Self { key, format })
            .map_err(|e| KeyError::Malformed {
                what: "an RSA private key",
                detail: e.to_string(),
            })
    }

    pub(crate) fn from_encrypted_pkcs8_der(
        der: &[u8],
        passphrase: Option<&str>,
    ) -> Result<Self, KeyError> {
        let info =
            pkcs8::EncryptedPrivateKeyInfoRef::from_der(der).map_err(|e| match e.kind() {
                // Well-formed, but naming a cipher or KDF the decoder does not know.
                der::ErrorKind::OidUnknown { oid } => KeyError::UnsupportedEncryption {
                    detail: encryption_name(oid),
                },
                _ => KeyError::Malformed {
                    what: "an encrypted PKCS#8 private key",
                    detail: e.to_string(),
                },
            })?;
        check_encryption_cost(&info.encryption_algorithm)?;
        let Some(passphrase) = passphrase else {
            return Err(KeyError::PassphraseNeeded {
                container: "private key",
            });
        };
        let plain = info
            .decrypt(passphrase.as_bytes())
            .map_err(|_| KeyError::WrongPassphrase {
                container: "private key",
            })?;
        let plain = Zeroizing::new(plain.as_bytes().to_vec());
        // A wrong passphrase can decrypt to bytes that happen to have valid padding.
        Self::from_pkcs8_der(&plain, KeyFormat::EncryptedPkcs8).map_err(|e| match e {
            KeyError::Malformed { .. } => KeyError::WrongPassphrase {
                container: "private key",
            },
            other => other,
        })
    }
}

/// An encryption algorithm PKCS#8 files may name and samlmeta does not decrypt, in words.
fn encryption_name(oid: ObjectIdentifier) -> String {
    // RFC 5794 (ARIA), RFC 3657 (Camellia), RFC 8018 B.2 (DES, RC2), NIST CSOR (AES-GCM).
    let name = match oid.to_string().as_str() {
        "1.2.410.200046.1.1.2" => "ARIA-128-CBC",
        "1.2.410.200046.1.1.7" => "ARIA-192-CBC",
        "1.2.410.200046.1.1.12" => "ARIA-256-CBC",
        "1.2.392.200011.61.1.1.1.2" => "Camellia-128-CBC",
        "1.2.392.200011.61.1.1.1.3" => "Camellia-192-CBC",
        "1.2.392.200011.61.1.1.1.4" => "Camellia-256-CBC",
        "1.3.14.3.2.7" => "DES-CBC",
        "1.2.840.113549.3.2" => "RC2-CBC",
        "2.16.840.1.101.3.4.1.6" => "AES-128-GCM",
        "2.16.840.1.101.3.4.1.26" => "AES-192-GCM",
        "2.16.840.1.101.3.4.1.46" => "AES-256-GCM",
        _ => return format!("an algorithm samlmeta does not know (OID {oid})"),
    };
    format!("{name} (OID {oid})")
}

/// What an encrypted key would cost to decrypt, refused above the caps.
pub(crate) fn check_encryption_cost(scheme: &pkcs5::EncryptionScheme) -> Result<(), KeyError> {
    let pkcs5::EncryptionScheme::Pbes2(params) = scheme else {
        return Err(KeyError::UnsupportedEncryption {
            detail: "PBES1 (an old, weak scheme)".to_owned(),
        });
    };
    match &params.kdf {
        pkcs5::pbes2::Kdf::Pbkdf2(p) if p.iteration_count > MAX_PBKDF2_ITERATIONS => {
            Err(KeyError::TooCostly {
                detail: format!(
                    "PBKDF2 with {} iterations (at most {MAX_PBKDF2_ITERATIONS} are accepted)",
                    p.iteration_count
                ),
            })
        }
        pkcs5::pbes2::Kdf::Scrypt(p) => {
            let memory = 128u64
                .saturating_mul(p.cost_parameter)
                .saturating_mul(u64::from(p.block_size));
            if memory > MAX_SCRYPT_MEMORY || p.parallelization > 16 {
                Err(KeyError::TooCostly {
                    detail: format!(
                        "scrypt with N={}, r={}, p={}, which needs {} MiB of memory (at most {} MiB)",
                        p.cost_parameter,
                        p.block_size,
                        p.parallelization,
                        memory / (1024 * 1024),
                        MAX_SCRYPT_MEMORY / (1024 * 1024)
                    ),
                })
            } else {
                Ok(())
            }
        }
        _ => Ok(()),
    }
}

/// The key type named by a PKCS#8 algorithm OID, in words.
pub(crate) fn key_type_name(oid: ObjectIdentifier, params: Option<ObjectIdentifier>) -> String {
    match oid {
        RSA_ENCRYPTION => "an RSA key".to_owned(),
        RSASSA_PSS => "an RSA-PSS key (restricted to PSS signatures)".to_owned(),
        EC_PUBLIC_KEY => match params {
            Some(P256) => "an EC key on the P-256 curve".to_owned(),
            Some(P384) => "an EC key on the P-384 curve".to_owned(),
            Some(P521) => "an EC key on the P-521 curve".to_owned(),
            _ => "an EC key".to_owned(),
        },
        ED25519 => "an Ed25519 key".to_owned(),
        ED448 => "an Ed448 key".to_owned(),
        X25519 => "an X25519 key".to_owned(),
        DSA => "a DSA key".to_owned(),
        other => format!("a key of an unknown type (algorithm {other})"),
    }
}

/// A private key could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// The key or file is encrypted and no passphrase was given.
    PassphraseNeeded {
        /// "private key" or "PKCS#12 file".
        container: &'static str,
    },
    /// The passphrase does not decrypt it.
    WrongPassphrase {
        /// "private key" or "PKCS#12 file".
        container: &'static str,
    },
    /// Not an RSA key.
    Unsupported {
        /// What it is, in words ("an EC key on the P-256 curve").
        found: String,
    },
    /// Encrypted with a scheme we do not decrypt.
    UnsupportedEncryption {
        /// The scheme.
        detail: String,
    },
    /// Decrypting it would take too much time or memory.
    TooCostly {
        /// The parameters found and the cap.
        detail: String,
    },
    /// The bytes say they are a key but do not decode as one.
    Malformed {
        /// What it was decoded as, with its article ("an RSA private key").
        what: &'static str,
        /// The decoder's message.
        detail: String,
    },
}

impl core::fmt::Display for KeyError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::PassphraseNeeded { container } => write!(
                f,
                "This {container} is protected by a passphrase. Enter the passphrase to unlock it; \
                 it is used only to decrypt the key in memory and is never stored."
            ),
            Self::WrongPassphrase { container } => write!(
                f,
                "The passphrase does not unlock this {container}. Check for typing mistakes and the \
                 keyboard layout (Caps Lock); it is the passphrase chosen when the file was exported."
            ),
            Self::Unsupported { found } => write!(
                f,
                "This is {found}. SAML metadata here is signed with RSA (rsa-sha256), which every \
                 service provider accepts. Use the IdP's RSA key, or make a new pair with: openssl req \
                 -x509 -newkey rsa:2048 -nodes -keyout private.pem -out cert.pem -days 1095 -subj \
                 \"/CN=your-idp\""
            ),
            Self::UnsupportedEncryption { detail } => write!(
                f,
                "This key is encrypted with {detail}, which is not supported. Re-encrypt it with: \
                 openssl pkcs8 -topk8 -v2 aes-256-cbc -in old.pem -out private.pem"
            ),
            Self::TooCostly { detail } => write!(
                f,
                "This key's encryption asks for {detail}; decrypting it would take minutes or \
                 gigabytes of memory, so it is refused. Re-encrypt it with: openssl pkcs8 -topk8 \
                 -v2 aes-256-cbc -in old.pem -out private.pem"
            ),
            Self::Malformed { what, detail } => write!(
                f,
                "This file says it holds {what}, but it is damaged ({detail}). Export or copy it \
                 again from its source."
            ),
        }
    }
}

impl std::error::Error for KeyError {}

impl KeyError {
    /// A stable kebab-case code for the error, for scripts and tests.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::PassphraseNeeded { .. } => "passphrase-needed",
            Self::WrongPassphrase { .. } => "wrong-passphrase",
            Self::Unsupported { .. } => "unsupported-key",
            Self::UnsupportedEncryption { .. } => "unsupported-encryption",
            Self::TooCostly { .. } => "too-costly",
            Self::Malformed { .. } => "malformed-key",
        }
    }
}
