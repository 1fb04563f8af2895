//! Reading a service provider's metadata (for example Keeper SSO Connect's "Export Metadata"): its
//! entity ID, its Assertion Consumer Service URL and its certificates, so the admin does not type
//! them (saml-metadata-2.0-os §2.4.4 `SPSSODescriptor`, §2.2.3 `AssertionConsumerService`).
//!
//! The document is read with the same strict parser as the verifier (no DOCTYPE, no entities);
//! its signature, if any, is reported by [`crate::dsig::verify`], not trusted here.

use crate::pki::cert::{Certificate, CertificateError};
use crate::xml::{Document, Element, XmlError, parse};
use base64ct::{Base64, Encoding};
use core::fmt;

use crate::xml::names::{DS, MD};

const HTTP_POST: &str = super::Binding::HttpPost.urn();

/// The largest SP metadata document read: 1 MB (a few kilobytes is usual).
pub const MAX_SP_METADATA_BYTES: usize = 1_000_000;

/// What an SP's metadata says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpInfo {
    /// `entityID`.
    pub entity_id: String,
    /// The Assertion Consumer Service URL: the HTTP-POST endpoint marked default, else the one
    /// with the lowest index, else the first.
    pub acs_url: Option<String>,
    /// The SP's certificates (signing first).
    pub certificates: Vec<Certificate>,
    /// `AuthnRequestsSigned`.
    pub authn_requests_signed: bool,
    /// `WantAssertionsSigned`.
    pub want_assertions_signed: bool,
}

/// Why the file is not usable SP metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SpMetadataError {
    /// Larger than [`MAX_SP_METADATA_BYTES`].
    TooLarge {
        /// Its size.
        bytes: usize,
    },
    /// Not XML we read.
    Xml(XmlError),
    /// XML, but not an `EntityDescriptor` with an `SPSSODescriptor`.
    NotSpMetadata {
        /// What the root element is.
        root: String,
    },
    /// No `entityID`.
    NoEntityId,
    /// A certificate in it cannot be read.
    BadCertificate(CertificateError),
}

impl fmt::Display for SpMetadataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge { bytes } => write!(
                f,
                "The file is {bytes} bytes; SP metadata is a few kilobytes. Check that you chose \
                 the service provider's metadata file."
            ),
            Self::Xml(e) => e.fmt(f),
            Self::NotSpMetadata { root } => write!(
                f,
                "This XML is <{root}>, not a service provider's metadata (an EntityDescriptor with \
                 an SPSSODescriptor). Export the metadata again from the service provider."
            ),
            Self::NoEntityId => f.write_str(
                "The SP metadata has no entityID. Export it again from the service provider.",
            ),
            Self::BadCertificate(why) => write!(
                f,
                "A certificate in the SP metadata cannot be read ({}). Export it again from the \
                 service provider.",
                why.source
            ),
        }
    }
}

impl SpMetadataError {
    /// A stable kebab-case code for the error, for scripts and tests (an XML error's own code
    /// for [`SpMetadataError::Xml`]).
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "too-large",
            Self::Xml(e) => e.code(),
            Self::NotSpMetadata { .. } => "not-sp-metadata",
            Self::NoEntityId => "no-entity-id",
            Self::BadCertificate(e) => e.code(),
        }
    }
}

impl std::error::Error for SpMetadataError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Xml(e) => Some(e),
            Self::BadCertificate(e) => Some(e),
            _ => None,
        }
    }
}

/// Reads an SP's metadata.
///
/// # Errors
/// [`SpMetadataError`].
pub fn read_sp_metadata(xml: &[u8]) -> Result<SpInfo, SpMetadataError> {
    if xml.len() > MAX_SP_METADATA_BYTES {
        return Err(SpMetadataError::TooLarge { bytes: xml.len() });
    }
    let doc = parse(xml).map_err(SpMetadataError::Xml)?;
    let root = doc.root();
    let root_element = doc
        .element(root)
        .ok_or(SpMetadataError::Xml(XmlError::Empty))?;
    let not_sp = || SpMetadataError::NotSpMetadata {
        root: root_element.qname(),
    };
    let ((_, entity_element), (sp, sp_element)) =
        entity_with_role(&doc, "SPSSODescriptor").ok_or_else(not_sp)?;
    let entity_id = entity_element
        .attr("entityID")
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .ok_or(SpMetadataError::NoEntityId)?
        .to_owned();

    let mut acs: Vec<(bool, u32, String)> = Vec::new();
    let mut signing = Vec::new();
    let mut other = Vec::new();
    for (i, e) in doc.child_elements(sp) {
        if e.is(MD, "AssertionConsumerService") && e.attr("Binding") == Some(HTTP_POST) {
            if let Some(location) = e.attr("Location") {
                let default = e.attr("isDefault") == Some("true");
                let index = e
                    .attr("index")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(u32::MAX);
                acs.push((default, index, location.trim().to_owned()));
            }
        } else if e.is(MD, "KeyDescriptor") {
            for der in certificates_in(&doc, i) {
                let cert = Certificate::from_der(&der).map_err(SpMetadataError::BadCertificate)?;
                match e.attr("use") {
                    Some("encryption") => other.push(cert),
                    _ => signing.push(cert),
                }
            }
        }
    }
    let acs_url = acs
        .iter()
        .find(|(default, _, _)| *default)
        .or_else(|| acs.iter().min_by_key(|(_, index, _)| *index))
        .map(|(_, _, url)| url.clone());
    for cert in other {
        if !signing.contains(&cert) {
            signing.push(cert);
        }
    }
    let flag =
        |name: &str| sp_element.attr(name) == Some("true") || sp_element.attr(name) == Some("1");
    Ok(SpInfo {
        entity_id,
        acs_url,
        certificates: signing,
        authn_requests_signed: flag("AuthnRequestsSigned"),
        want_assertions_signed: flag("WantAssertionsSigned"),
    })
}

/// What an IdP's metadata says about who signs its messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdpSigners {
    /// `entityID`.
    pub entity_id: String,
    /// Every signing certificate of its `IDPSSODescriptor` (a `KeyDescriptor` with `use="signing"`
    /// or without `use`), in document order: during a rollover, any of them may sign.
    pub certificates: Vec<Certificate>,
}

/// Why the file is not usable IdP metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum IdpMetadataError {
    /// Larger than [`MAX_SP_METADATA_BYTES`].
    TooLarge {
        /// Its size.
        bytes: usize,
    },
    /// Not XML we read.
    Xml(XmlError),
    /// XML, but not an `EntityDescriptor` with an `IDPSSODescriptor`.
    NotIdpMetadata {
        /// What the root element is.
        root: String,
    },
    /// No signing certificate in it.
    NoSigningCertificate,
    /// A certificate in it cannot be read.
    BadCertificate(CertificateError),
}

impl fmt::Display for IdpMetadataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge { bytes } => write!(
                f,
                "The file is {bytes} bytes; IdP metadata is a few kilobytes. Check that you chose \
                 the identity provider's metadata file."
            ),
            Self::Xml(e) => e.fmt(f),
            Self::NotIdpMetadata { root } => write!(
                f,
                "This XML is <{root}>, not an identity provider's metadata (an EntityDescriptor \
                 with an IDPSSODescriptor). Export the metadata again from the identity provider."
            ),
            Self::NoSigningCertificate => f.write_str(
                "The IdP metadata lists no signing certificate, so nothing can be checked against \
                 it. Export it again, or give the IdP's certificate itself.",
            ),
            Self::BadCertificate(why) => write!(
                f,
                "A certificate in the IdP metadata cannot be read ({}). Export it again from the \
                 identity provider.",
                why.source
            ),
        }
    }
}

impl IdpMetadataError {
    /// A stable kebab-case code for the error, for scripts and tests (an XML error's own code
    /// for [`IdpMetadataError::Xml`]).
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "too-large",
            Self::Xml(e) => e.code(),
            Self::NotIdpMetadata { .. } => "not-idp-metadata",
            Self::NoSigningCertificate => "no-signing-certificate",
            Self::BadCertificate(e) => e.code(),
        }
    }
}

impl std::error::Error for IdpMetadataError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Xml(e) => Some(e),
            Self::BadCertificate(e) => Some(e),
            _ => None,
        }
    }
}

/// Reads the signing certificates of an IdP's metadata (saml-metadata-2.0-os §2.4.3
/// `IDPSSODescriptor`, §2.4.1.1 `KeyDescriptor`). Its own signature is not checked here.
///
/// # Errors
/// [`IdpMetadataError`].
pub fn read_idp_signers(xml: &[u8]) -> Result<IdpSigners, IdpMetadataError> {
    if xml.len() > MAX_SP_METADATA_BYTES {
        return Err(IdpMetadataError::TooLarge { bytes: xml.len() });
    }
    let doc = parse(xml).map_err(IdpMetadataError::Xml)?;
    let root = doc.root();
    let root_element = doc
        .element(root)
        .ok_or(IdpMetadataError::Xml(XmlError::Empty))?;
    let not_idp = || IdpMetadataError::NotIdpMetadata {
        root: root_element.qname(),
    };
    let ((_, entity_element), (idp, _)) =
        entity_with_role(&doc, "IDPSSODescriptor").ok_or_else(not_idp)?;
    let mut certificates = Vec::new();
    for (i, e) in doc.child_elements(idp) {
        if e.is(MD, "KeyDescriptor") && e.attr("use") != Some("encryption") {
            for der in certificates_in(&doc, i) {
                certificates
                    .push(Certificate::from_der(&der).map_err(IdpMetadataError::BadCertificate)?);
            }
        }
    }
    if certificates.is_empty() {
        return Err(IdpMetadataError::NoSigningCertificate);
    }
    Ok(IdpSigners {
        entity_id: entity_element
            .attr("entityID")
            .unwrap_or_default()
            .trim()
            .to_owned(),
        certificates,
    })
}

/// The root `EntityDescriptor`, or the first one in an `EntitiesDescriptor`, that has the role
/// `role` (`SPSSODescriptor`, `IDPSSODescriptor`): the entity and the role element.
type Found<'d> = (usize, &'d Element);
fn entity_with_role<'d>(doc: &'d Document, role: &str) -> Option<(Found<'d>, Found<'d>)> {
    let root = doc.root();
    let root_element = doc.element(root)?;
    let entities: Vec<Found<'d>> = if root_element.is(MD, "EntityDescriptor") {
        vec![(root, root_element)]
    } else if root_element.is(MD, "EntitiesDescriptor") {
        doc.child_elements(root)
            .filter(|(_, e)| e.is(MD, "EntityDescriptor"))
            .collect()
    } else {
        Vec::new()
    };
    entities
        .into_iter()
        .find_map(|entity| child(doc, entity.0, MD, role).map(|r| (entity, r)))
}

fn child<'d>(
    doc: &'d Document,
    parent: usize,
    ns: &str,
    local: &str,
) -> Option<(usize, &'d Element)> {
    doc.child_elements(parent).find(|(_, e)| e.is(ns, local))
}

/// The DER of every `ds:KeyInfo/ds:X509Data/ds:X509Certificate` under a KeyDescriptor.
pub(crate) fn certificates_in(doc: &Document, key_descriptor: usize) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for (key_info, e) in doc.child_elements(key_descriptor) {
        if !e.is(DS, "KeyInfo") {
            continue;
        }
        for (data, e) in doc.child_elements(key_info) {
            if !e.is(DS, "X509Data") {
                continue;
            }
            for (cert, e) in doc.child_elements(data) {
                if e.is(DS, "X509Certificate") {
                    let text: String = doc
                        .text(cert)
                        .chars()
                        .filter(|c| !c.is_ascii_whitespace())
                        .collect();
                    if let Ok(der) = Base64::decode_vec(&text) {
                        out.push(der);
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEEPER_SP: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://keepersecurity.com/api/rest/sso/saml/2130303">
  <md:SPSSODescriptor AuthnRequestsSigned="true" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://keepersecurity.com/api/rest/sso/saml/slo/2130303"/>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://example.com/wrong" index="0"/>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://keepersecurity.com/api/rest/sso/saml/sso/2130303" index="1" isDefault="true"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>"#;

    #[test]
    fn keeper_style_sp_metadata_gives_entity_id_and_acs_url() {
        let info = read_sp_metadata(KEEPER_SP.as_bytes()).unwrap();
        assert_eq!(
            info.entity_id,
            "https://keepersecurity.com/api/rest/sso/saml/2130303"
        );
        assert_eq!(
            info.acs_url.as_deref(),
            Some("https://keepersecurity.com/api/rest/sso/saml/sso/2130303")
        );
        assert!(info.authn_requests_signed && info.want_assertions_signed);
        assert!(info.certificates.is_empty());
    }

    #[test]
    fn our_own_sp_metadata_reads_back_with_its_certificate() {
        let cert = crate::read(include_bytes!("../../tests/fixtures/cert.pem"), None)
            .unwrap()
            .certificates
            .remove(0);
        let mut sp = crate::metadata::SpMetadata::new(
            "https://sp.example.com",
            "https://sp.example.com/acs",
        );
        sp.certificate = Some(cert.clone());
        let xml = crate::metadata::sp_xml(&sp).unwrap();
        let info = read_sp_metadata(&xml).unwrap();
        assert_eq!(info.entity_id, "https://sp.example.com");
        assert_eq!(info.acs_url.as_deref(), Some("https://sp.example.com/acs"));
        assert_eq!(info.certificates, vec![cert]);
    }

    #[test]
    fn idp_metadata_and_other_xml_are_refused_in_words() {
        let idp = r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>"#;
        let err = read_sp_metadata(idp.as_bytes()).unwrap_err();
        assert!(
            err.to_string()
                .contains("not a service provider's metadata")
        );
        assert!(read_sp_metadata(b"<html/>").is_err());
        assert!(read_sp_metadata(b"not xml").is_err());
    }
}
