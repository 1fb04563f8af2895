//! Enveloped XML-DSig over the metadata's root (W3C XML Signature Syntax and Processing 1.1).
//!
//! The shape every SAML verifier accepts, and nothing else:
//!
//! - the root gets an `ID` attribute (an NCName; [`new_document_id`] makes `_` + 32 random hex);
//! - `ds:Signature` is the root's first child, with exactly one `Reference URI="#ID"`;
//! - transforms: enveloped-signature, then exclusive C14N (without comments);
//! - CanonicalizationMethod exclusive C14N, DigestMethod SHA-256, SignatureMethod RSA-SHA256
//!   (RSASSA-PKCS1-v1_5, with blinding);
//! - KeyInfo/X509Data with the signing certificate.
//!
//! The writer emits the document already in exclusive canonical form, so the digest input is the
//! root element as written with the `ds:Signature` element left out (the whitespace before it stays,
//! as the enveloped-signature transform leaves it), and `SignedInfo` is written in canonical form
//! directly. The bytes signed are the bytes written: nothing reformats them afterwards.
//!
//! Before a signed document is returned, [`crate::dsig::verify`] checks it, trusting only the signing
//! certificate; a document our own strict verifier would refuse is never handed out.

use crate::digest::sha256;
use crate::dsig::verify::{Options, Trust, Verdict, VerifyError, verify};
use crate::findings::{MIN_RSA_BITS, matching_certificate};
use crate::metadata::{IdpMetadata, InvalidMetadata, SpMetadata};
use crate::metadata::{Written, idp_document, sp_document};
use crate::pki::cert::Certificate;
use crate::pki::key::SigningKey;
use base64ct::{Base64, Encoding};
use core::fmt;
use rsa::signature::{SignatureEncoding, Signer};

use super::algorithms::{DigestAlgorithm, SignatureAlgorithm};
use crate::xml::names::{DS, ENVELOPED, EXC_C14N};

/// What samlmeta signs with: RSA-SHA256 over an exclusive-C14N `SignedInfo`, SHA-256 digests.
const RSA_SHA256: &str = SignatureAlgorithm::RsaSha256.uri();
const SHA256: &str = DigestAlgorithm::Sha256.uri();

/// Metadata could not be signed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignError {
    /// A value is invalid; nothing was written.
    Invalid(InvalidMetadata),
    /// The key belongs to none of the signing certificates.
    KeyMismatch,
    /// The key is too small to sign with.
    WeakKey {
        /// Its size in bits.
        bits: u32,
    },
    /// The document ID is not an XML name.
    BadId {
        /// The ID given.
        id: String,
    },
    /// The platform gave no random numbers (for the document ID and RSA blinding).
    NoRandomness(getrandom::Error),
    /// The RSA signature operation failed.
    Rsa,
    /// The document the writer produced was not laid out as the signer expects.
    Layout,
    /// The signed document did not pass our own verifier; it was not returned.
    SelfCheckRejected(Verdict),
    /// Our own verifier could not read the signed document; it was not returned.
    SelfCheckFailed(VerifyError),
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Invalid(e) => e.fmt(f),
            Self::KeyMismatch => f.write_str(
                "The private key does not belong to the signing certificate, so the metadata was not \
                 signed: the service provider would reject the signature. Use the private.pem and \
                 cert.pem made together.",
            ),
            Self::WeakKey { bits } => write!(
                f,
                "The private key is RSA {bits} bits; at least {MIN_RSA_BITS} bits are needed to sign. \
                 Make a new key pair."
            ),
            Self::BadId { id } => write!(
                f,
                "\"{id}\" cannot be the document's ID: it must start with a letter or _ and hold only \
                 letters, digits, '.', '-' and '_'."
            ),
            Self::NoRandomness(e) => write!(
                f,
                "No random numbers are available here ({e}); signing needs them. Nothing was written."
            ),
            Self::Rsa => f.write_str("The RSA signature operation failed. Nothing was written."),
            Self::Layout => f.write_str(
                "The metadata was not laid out as the signer expects, so it was not signed. This is \
                 a bug; please report it.",
            ),
            Self::SelfCheckRejected(verdict) => write!(
                f,
                "The signed metadata failed its own verification ({verdict}), so it was not \
                 returned. This is a bug; please report it."
            ),
            Self::SelfCheckFailed(e) => write!(
                f,
                "The signed metadata could not be read back for its own verification ({e}), so it \
                 was not returned. This is a bug; please report it."
            ),
        }
    }
}

impl std::error::Error for SignError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Invalid(e) => Some(e),
            Self::NoRandomness(e) => Some(e),
            Self::SelfCheckFailed(e) => Some(e),
            _ => None,
        }
    }
}

impl From<InvalidMetadata> for SignError {
    fn from(e: InvalidMetadata) -> Self {
        Self::Invalid(e)
    }
}

/// A fresh document ID: `_` and 32 random hex digits (128 bits), an NCName as `xs:ID` requires.
///
/// # Errors
/// [`SignError::Rsa`] when the platform has no random source.
pub fn new_document_id() -> Result<String, SignError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(SignError::NoRandomness)?;
    Ok(format!("_{}", crate::digest::lower_hex(&bytes)))
}

/// Signed IdP metadata. The key must match one of `metadata.signing_certificates`; that certificate
/// goes into the signature's KeyInfo.
///
/// # Errors
/// [`SignError`]; nothing is returned unless the whole document is signed.
pub fn signed_idp_xml(
    metadata: &IdpMetadata,
    key: &SigningKey,
    id: &str,
) -> Result<Vec<u8>, SignError> {
    check_id(id)?;
    let cert = signing_certificate(key, &metadata.signing_certificates)?;
    sign(idp_document(metadata, Some(id))?, key, cert, id)
}

/// Signed SP metadata, with the SP's own key (never the IdP's): the key must match
/// `metadata.certificate`.
///
/// # Errors
/// [`SignError`].
pub fn signed_sp_xml(
    metadata: &SpMetadata,
    key: &SigningKey,
    id: &str,
) -> Result<Vec<u8>, SignError> {
    check_id(id)?;
    let certs: Vec<Certificate> = metadata.certificate.iter().cloned().collect();
    let cert = signing_certificate(key, &certs)?;
    sign(sp_document(metadata, Some(id))?, key, cert, id)
}

fn signing_certificate<'a>(
    key: &SigningKey,
    certs: &'a [Certificate],
) -> Result<&'a Certificate, SignError> {
    if key.bits() < MIN_RSA_BITS {
        return Err(SignError::WeakKey { bits: key.bits() });
    }
    matching_certificate(&key.public(), certs).ok_or(SignError::KeyMismatch)
}

/// XML `NCName` in the ASCII range, which is all [`new_document_id`] makes and all we accept.
fn check_id(id: &str) -> Result<(), SignError> {
    let mut chars = id.chars();
    let ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok {
        Ok(())
    } else {
        Err(SignError::BadId { id: id.to_owned() })
    }
}

fn sign(
    written: Written,
    key: &SigningKey,
    cert: &Certificate,
    id: &str,
) -> Result<Vec<u8>, SignError> {
    let Written {
        bytes,
        root,
        signature_at,
    } = written;
    let (Some(head), Some(root_tail), Some(tail)) = (
        bytes.get(root.start..signature_at),
        bytes.get(signature_at..root.end),
        bytes.get(signature_at..),
    ) else {
        return Err(SignError::Layout);
    };
    let before = bytes.get(..signature_at).unwrap_or_default();

    // The Signature goes on its own line: the whitespace before it stays in the digest input.
    let indent = "\n  ";
    let mut digest_input = Vec::with_capacity(root.len() + indent.len());
    digest_input.extend_from_slice(head);
    digest_input.extend_from_slice(indent.as_bytes());
    digest_input.extend_from_slice(root_tail);
    let digest = Base64::encode_string(&sha256(&digest_input));

    let signed_info_body = format!(
        "<ds:CanonicalizationMethod Algorithm=\"{EXC_C14N}\"></ds:CanonicalizationMethod>\
         <ds:SignatureMethod Algorithm=\"{RSA_SHA256}\"></ds:SignatureMethod>\
         <ds:Reference URI=\"#{id}\"><ds:Transforms>\
         <ds:Transform Algorithm=\"{ENVELOPED}\"></ds:Transform>\
         <ds:Transform Algorithm=\"{EXC_C14N}\"></ds:Transform>\
         </ds:Transforms><ds:DigestMethod Algorithm=\"{SHA256}\"></ds:DigestMethod>\
         <ds:DigestValue>{digest}</ds:DigestValue></ds:Reference></ds:SignedInfo>"
    );
    // Canonical SignedInfo, as a verifier computes it: exclusive C14N renders the ds namespace on
    // the apex element because it is visibly used there.
    let canonical_signed_info = format!("<ds:SignedInfo xmlns:ds=\"{DS}\">{signed_info_body}");
    let signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key.rsa().clone());
    let signature = signer
        .try_sign(canonical_signed_info.as_bytes())
        .map_err(|_| SignError::Rsa)?;
    let signature_value = Base64::encode_string(&signature.to_bytes());

    let signature_element = format!(
        "{indent}<ds:Signature xmlns:ds=\"{DS}\"><ds:SignedInfo>{signed_info_body}\
         <ds:SignatureValue>{signature_value}</ds:SignatureValue>\
         <ds:KeyInfo><ds:X509Data><ds:X509Certificate>{}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>\
         </ds:Signature>",
        cert.base64()
    );
    let mut out = Vec::with_capacity(bytes.len() + signature_element.len());
    out.extend_from_slice(before);
    out.extend_from_slice(signature_element.as_bytes());
    out.extend_from_slice(tail);
    self_check(&out, cert)?;
    Ok(out)
}

/// Runs the verifier on what we signed, trusting only the signing certificate: nothing leaves
/// this module that a strict verifier would not accept.
fn self_check(signed: &[u8], cert: &Certificate) -> Result<(), SignError> {
    let options = Options::new(Trust::Certificate(Box::new(cert.clone())));
    match verify(signed, &options) {
        Ok(report) if report.verdict.is_valid() => Ok(()),
        Ok(report) => Err(SignError::SelfCheckRejected(report.verdict)),
        Err(e) => Err(SignError::SelfCheckFailed(e)),
    }
}
