//! The signature and digest algorithms, one table for signing and verifying: their URIs, names
//! and what computes them. samlmeta signs with RSA-SHA256 and SHA-256; the verifier accepts the
//! others in [`DigestAlgorithm::ALL`] and [`SignatureAlgorithm::ALL`] (SHA-1 only when allowed).

use rsa::PublicKey;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::signature::Verifier;
use sha2::Digest;

/// A digest algorithm allowed in a `Reference`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestAlgorithm {
    /// SHA-1, refused unless allowed.
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl DigestAlgorithm {
    /// Every digest algorithm, strongest last.
    pub const ALL: [Self; 4] = [Self::Sha1, Self::Sha256, Self::Sha384, Self::Sha512];

    /// Its URI in `DigestMethod` (XML Signature 1.1 §6.2, XML Encryption §5.7.2, RFC 6931 §2.1.2).
    #[must_use]
    pub const fn uri(self) -> &'static str {
        match self {
            Self::Sha1 => "http://www.w3.org/2000/09/xmldsig#sha1",
            Self::Sha256 => "http://www.w3.org/2001/04/xmlenc#sha256",
            Self::Sha384 => "http://www.w3.org/2001/04/xmldsig-more#sha384",
            Self::Sha512 => "http://www.w3.org/2001/04/xmlenc#sha512",
        }
    }

    pub(crate) fn from_uri(uri: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.uri() == uri)
    }

    pub(crate) fn digest(self, bytes: &[u8]) -> Vec<u8> {
        match self {
            Self::Sha1 => sha1::Sha1::digest(bytes).to_vec(),
            Self::Sha256 => sha2::Sha256::digest(bytes).to_vec(),
            Self::Sha384 => sha2::Sha384::digest(bytes).to_vec(),
            Self::Sha512 => sha2::Sha512::digest(bytes).to_vec(),
        }
    }

    /// Its usual name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sha1 => "SHA-1",
            Self::Sha256 => "SHA-256",
            Self::Sha384 => "SHA-384",
            Self::Sha512 => "SHA-512",
        }
    }
}

/// The RSA signature algorithms accepted (RSASSA-PKCS1-v1_5 with a hash).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureAlgorithm {
    /// RSA-SHA1, refused unless allowed.
    RsaSha1,
    /// RSA-SHA256.
    RsaSha256,
    /// RSA-SHA384.
    RsaSha384,
    /// RSA-SHA512.
    RsaSha512,
}

impl SignatureAlgorithm {
    /// Every signature algorithm, strongest last.
    pub const ALL: [Self; 4] = [
        Self::RsaSha1,
        Self::RsaSha256,
        Self::RsaSha384,
        Self::RsaSha512,
    ];

    /// Its URI in `SignatureMethod` (XML Signature 1.1 §6.4.2, RFC 6931 §2.3.2).
    #[must_use]
    pub const fn uri(self) -> &'static str {
        match self {
            Self::RsaSha1 => "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
            Self::RsaSha256 => "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
            Self::RsaSha384 => "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
            Self::RsaSha512 => "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
        }
    }

    pub(crate) fn from_uri(uri: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.uri() == uri)
    }

    pub(crate) fn verify(self, key: &PublicKey, message: &[u8], signature: &[u8]) -> bool {
        let Ok(signature) = Signature::try_from(signature) else {
            return false;
        };
        let key = key.clone();
        match self {
            Self::RsaSha1 => VerifyingKey::<sha1::Sha1>::new(key)
                .verify(message, &signature)
                .is_ok(),
            Self::RsaSha256 => VerifyingKey::<sha2::Sha256>::new(key)
                .verify(message, &signature)
                .is_ok(),
            Self::RsaSha384 => VerifyingKey::<sha2::Sha384>::new(key)
                .verify(message, &signature)
                .is_ok(),
            Self::RsaSha512 => VerifyingKey::<sha2::Sha512>::new(key)
                .verify(message, &signature)
                .is_ok(),
        }
    }

    /// Its usual name.
    pub fn name(self) -> &'static str {
        match self {
            Self::RsaSha1 => "RSA-SHA1",
            Self::RsaSha256 => "RSA-SHA256",
            Self::RsaSha384 => "RSA-SHA384",
            Self::RsaSha512 => "RSA-SHA512",
        }
    }
}
