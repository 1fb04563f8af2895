//! # samlmeta
//!
//! The core of samlmeta: everything that turns an identity provider's key, certificate and
//! connector values into SAML 2.0 metadata. It has no web dependencies, never reads the clock
//! or the file system, and builds for native targets and `wasm32-unknown-unknown` alike, so the
//! browser page and the `samlmeta` command share one set of rules.
//!
//! Data flows one way: input bytes → typed key and certificate → findings → metadata model →
//! XML bytes → signature → verified output. The modules follow it: [`pki`] (bytes in),
//! [`findings`], [`connector`] (the admin's values, presets and settings), [`metadata`] (model,
//! writer, reader), [`xml`] (parser, canonicalization), [`dsig`] (sign, verify).
//!
//! ```
//! use samlmeta::connector::{ConnectorValues, ExtraCertificates, Field};
//! use samlmeta::dsig::verify::{Options, Trust, verify};
//! use samlmeta::{Severity, UnixTime};
//!
//! // private.pem and cert.pem in one file (separate files, PKCS#12 and encrypted keys work too).
//! # let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/combined.pem");
//! let contents = samlmeta::read(&std::fs::read(path)?, None)?;
//! let (key, cert) = (contents.key.as_ref().ok_or("no key")?, &contents.certificates[0]);
//! let now = UnixTime::from_seconds(cert.not_before().seconds() + 86_400);
//! assert!(samlmeta::check(Some(&key.public()), &contents.certificates, now)
//!     .iter()
//!     .all(|f| f.severity != Severity::Error));
//!
//! // The JumpCloud connector's values, through the same rules as the page and the CLI.
//! let mut values = ConnectorValues::default();
//! values.set(Field::IdpEntityId, "KeeperSSO")?;
//! values.set(Field::IdpUrlSuffix, "keepersecurity")?;
//! values.set(Field::SsoConnectServer, "sso.example.com")?;
//! assert_eq!(values.acs_url, "https://sso.example.com/sso-connect/saml/sso");
//!
//! // Signed IdP metadata, checked by the verifier against the certificate.
//! let md = values.idp_metadata_with(cert.clone(), &ExtraCertificates::default(), now);
//! let xml = samlmeta::dsig::signed_idp_xml(&md, key, &samlmeta::dsig::new_document_id()?)?;
//! let report = verify(&xml, &Options::new(Trust::Certificate(Box::new(cert.clone()))))?;
//! assert!(report.verdict.is_valid());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ```
//! use samlmeta::digest::{Fingerprint, sha256};
//!
//! // The SHA-256 fingerprint of some bytes, in the colon-separated form
//! // `openssl x509 -noout -fingerprint -sha256` prints.
//! let fp = Fingerprint::sha256(b"abc");
//! assert!(fp.to_string().starts_with("BA:78:16:BF:"));
//! assert_eq!(fp.as_bytes(), &sha256(b"abc"));
//!
//! // The known-answer self-test the page runs when it starts.
//! samlmeta::self_test()?;
//! # Ok::<(), samlmeta::SelfTestError>(())
//! ```

#![forbid(unsafe_code)]

pub mod connector;
pub mod digest;
pub mod dsig;
pub mod findings;
pub mod message;
pub mod metadata;
pub mod pki;
pub mod time;
pub mod xml;

pub use findings::{Finding, FindingCode, Severity, check};
pub use pki::cert::Certificate;
pub use pki::contents::{Contents, Found, ReadError, read};
pub use pki::key::{PublicKey, SigningKey};
pub use time::UnixTime;

use core::fmt;

/// The version of this crate, shown by the page's footer and `samlmeta --version`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A known-answer test failed: the code that computes digests does not produce the results
/// the standard prescribes, so nothing this build signs or checks can be trusted.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SelfTestError {
    /// SHA-256 of a FIPS 180-4 test vector did not match the published digest.
    Sha256Mismatch {
        /// Which test vector failed, as named in FIPS 180-4's examples.
        vector: &'static str,
    },
}

impl fmt::Display for SelfTestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sha256Mismatch { vector } => write!(
                f,
                "The built-in self-test failed: SHA-256 of the test vector {vector:?} is wrong. \
                 This copy of samlmeta is damaged or was built incorrectly; do not use it to \
                 sign metadata. Download it again from the project's release page."
            ),
        }
    }
}

impl std::error::Error for SelfTestError {}

/// Runs the known-answer tests (SHA-256 against the FIPS 180-4 example vectors).
///
/// The page runs this once when it starts, on the main thread and in its worker, so a damaged
/// or miscompiled WebAssembly module is caught before it touches a key.
///
/// # Errors
/// [`SelfTestError::Sha256Mismatch`] when a digest differs from the published value.
pub fn self_test() -> Result<(), SelfTestError> {
    const VECTORS: [(&str, &[u8], &str); 3] = [
        (
            "",
            b"",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ),
        (
            "abc",
            b"abc",
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        ),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
        ),
    ];
    for (vector, input, expected) in VECTORS {
        if digest::lower_hex(&digest::sha256(input)) != expected {
            return Err(SelfTestError::Sha256Mismatch { vector });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn self_test_passes() {
        assert_eq!(self_test(), Ok(()));
    }

    #[test]
    fn self_test_error_says_what_to_do() {
        let msg = SelfTestError::Sha256Mismatch { vector: "abc" }.to_string();
        assert!(msg.contains("do not use it to sign"), "{msg}");
    }
}

/// The README's Rust examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeExamples;
