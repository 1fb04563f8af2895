//! The metadata model as XML bytes.
//!
//! Elements come in the order `saml-schema-metadata-2.0.xsd` requires, by construction. The output
//! is UTF-8 without a byte order mark, LF line ends, no comments, and already in the form exclusive
//! XML canonicalization (W3C xml-exc-c14n) gives it, apart from the XML declaration:
//!
//! - namespace declarations on the element that first uses them, sorted by prefix, before the
//!   attributes; attributes sorted (unqualified first, by name);
//! - empty elements as a start and an end tag (`<a></a>`);
//! - text escapes `&` `<` `>` and CR; attribute values escape `&` `<` `"` TAB LF CR (C14N 1.0, 2.3).
//!
//! So the bytes written are the bytes a signature's digest covers, and nothing reformats them.
//! quick-xml's `Writer` emits the events; the escaping is ours because quick-xml's writes `&apos;`
//! and `&gt;` in attribute values, which canonical form does not.

use crate::findings::{FindingCode, Severity};
use crate::metadata::{IdpMetadata, InvalidMetadata, SpMetadata};
use quick_xml::Writer;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::QName;
use std::borrow::Cow;

use crate::xml::escape::{self, is_xml_char};
use crate::xml::names::{DS, MD, MDUI, PROTOCOL};

/// IdP metadata as XML (unsigned).
///
/// # Errors
/// [`InvalidMetadata`] with every error finding of [`IdpMetadata::findings`], or a value holding a
/// character XML cannot carry.
pub fn idp_xml(metadata: &IdpMetadata) -> Result<Vec<u8>, InvalidMetadata> {
    idp_document(metadata, None).map(|d| d.bytes)
}

/// SP metadata as XML (unsigned).
///
/// # Errors
/// [`InvalidMetadata`] with every error finding of [`SpMetadata::findings`].
pub fn sp_xml(metadata: &SpMetadata) -> Result<Vec<u8>, InvalidMetadata> {
    sp_document(metadata, None).map(|d| d.bytes)
}

/// A written document and where its parts are, for the signer.
pub(crate) struct Written {
    /// The whole file.
    pub bytes: Vec<u8>,
    /// Where the root element starts and ends (`bytes[root]` is the element).
    pub root: core::ops::Range<usize>,
    /// Right after the root's start tag: where `ds:Signature` goes.
    pub signature_at: usize,
}

pub(crate) fn idp_document(
    metadata: &IdpMetadata,
    id: Option<&str>,
) -> Result<Written, InvalidMetadata> {
    refuse_errors(metadata.findings())?;
    let mut doc = Doc::new();
    let mut root = root_attributes(id);
    if let Some(seconds) = metadata.cache_duration_seconds {
        root.push(("cacheDuration", format!("PT{seconds}S")));
    }
    root.push(("entityID", metadata.entity_id.clone()));
    if let Some(until) = metadata.valid_until {
        root.push(("validUntil", until.to_string()));
    }
    doc.start(0, "md:EntityDescriptor", &root)?;
    doc.start(
        1,
        "md:IDPSSODescriptor",
        &[
            (
                "WantAuthnRequestsSigned",
                metadata.want_authn_requests_signed.to_string(),
            ),
            ("protocolSupportEnumeration", PROTOCOL.to_owned()),
        ],
    )?;
    if let Some(name) = &metadata.display_name {
        doc.start(2, "md:Extensions", &[])?;
        doc.start(3, "mdui:UIInfo", &[("xmlns:mdui", MDUI.to_owned())])?;
        doc.text_element(
            4,
            "mdui:DisplayName",
            &[("xml:lang", "en".to_owned())],
            name,
        )?;
        doc.end(3, "mdui:UIInfo")?;
        doc.end(2, "md:Extensions")?;
    }
    for cert in &metadata.signing_certificates {
        doc.key_descriptor("signing", &cert.base64())?;
    }
    if let Some(cert) = &metadata.encryption_certificate {
        doc.key_descriptor("encryption", &cert.base64())?;
    }
    if let Some(slo) = &metadata.slo_url {
        doc.single_logout(slo)?;
    }
    for format in &metadata.name_id_formats {
        doc.text_element(2, "md:NameIDFormat", &[], format)?;
    }
    for binding in &metadata.sso_bindings {
        doc.empty(
            2,
            "md:SingleSignOnService",
            &[
                ("Binding", binding.urn().to_owned()),
                ("Location", metadata.sso_url.clone()),
            ],
        )?;
    }
    doc.end(1, "md:IDPSSODescriptor")?;
    if let Some(org) = &metadata.organization {
        let lang = [("xml:lang", "en".to_owned())];
        doc.start(1, "md:Organization", &[])?;
        doc.text_element(2, "md:OrganizationName", &lang, &org.name)?;
        doc.text_element(2, "md:OrganizationDisplayName", &lang, &org.display_name)?;
        doc.text_element(2, "md:OrganizationURL", &lang, &org.url)?;
        doc.end(1, "md:Organization")?;
    }
    for contact in &metadata.contacts {
        doc.start(
            1,
            "md:ContactPerson",
            &[("contactType", contact.kind.as_str().to_owned())],
        )?;
        if let Some(name) = &contact.name {
            doc.text_element(2, "md:GivenName", &[], name)?;
        }
        if let Some(email) = &contact.email {
            let uri = if email.starts_with("mailto:") {
                email.clone()
            } else {
                format!("mailto:{email}")
            };
            doc.text_element(2, "md:EmailAddress", &[], &uri)?;
        }
        doc.end(1, "md:ContactPerson")?;
    }
    doc.end(0, "md:EntityDescriptor")?;
    Ok(doc.finish())
}

pub(crate) fn sp_document(
    metadata: &SpMetadata,
    id: Option<&str>,
) -> Result<Written, InvalidMetadata> {
    refuse_errors(metadata.findings())?;
    let mut doc = Doc::new();
    let mut root = root_attributes(id);
    root.push(("entityID", metadata.entity_id.clone()));
    doc.start(0, "md:EntityDescriptor", &root)?;
    doc.start(
        1,
        "md:SPSSODescriptor",
        &[
            (
                "AuthnRequestsSigned",
                metadata.authn_requests_signed.to_string(),
            ),
            (
                "WantAssertionsSigned",
                metadata.want_assertions_signed.to_string(),
            ),
            ("protocolSupportEnumeration", PROTOCOL.to_owned()),
        ],
    )?;
    if let Some(cert) = &metadata.certificate {
        doc.key_descriptor("signing", &cert.base64())?;
    }
    if let Some(slo) = &metadata.slo_url {
        doc.single_logout(slo)?;
    }
    doc.text_element(2, "md:NameIDFormat", &[], &metadata.name_id_format)?;
    doc.empty(
        2,
        "md:AssertionConsumerService",
        &[
            (
                "Binding",
                crate::metadata::Binding::HttpPost.urn().to_owned(),
            ),
            ("Location", metadata.acs_url.clone()),
            ("index", "0".to_owned()),
            ("isDefault", "true".to_owned()),
        ],
    )?;
    doc.end(1, "md:SPSSODescriptor")?;
    doc.end(0, "md:EntityDescriptor")?;
    Ok(doc.finish())
}

/// The root's namespace declaration and, when signing, its `ID` (canonical order: `ID` sorts before
/// the lower-case attribute names that follow).
fn root_attributes(id: Option<&str>) -> Vec<(&'static str, String)> {
    let mut root = vec![("xmlns:md", MD.to_owned())];
    if let Some(id) = id {
        root.push(("ID", id.to_owned()));
    }
    root
}

fn refuse_errors(findings: Vec<crate::Finding>) -> Result<(), InvalidMetadata> {
    let errors: Vec<_> = findings
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(InvalidMetadata { errors })
    }
}

fn check_chars(value: &str) -> Result<(), InvalidMetadata> {
    match value.chars().find(|c| !is_xml_char(*c)) {
        None => Ok(()),
        Some(c) => Err(InvalidMetadata {
            errors: vec![crate::Finding {
                severity: Severity::Error,
                code: FindingCode::NotXmlText,
                message: format!(
                    "The value \"{}\" contains the control character U+{:04X}, which XML cannot hold. \
                     Type the value again instead of pasting it.",
                    value
                        .chars()
                        .filter(|c| is_xml_char(*c))
                        .collect::<String>(),
                    u32::from(c)
                ),
            }],
        }),
    }
}

/// The document being written: events through quick-xml, two-space indentation, LF.
struct Doc {
    writer: Writer<Vec<u8>>,
    root_start: usize,
    signature_at: usize,
}

impl Doc {
    fn new() -> Self {
        let mut writer = Writer::new(Vec::with_capacity(4096));
        // Writing into a Vec cannot fail.
        let _ = writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
        Self {
            writer,
            root_start: 0,
            signature_at: 0,
        }
    }

    fn raw(&mut self, text: &str) {
        let _ = self
            .writer
            .write_event(Event::Text(BytesText::from_escaped(text)));
    }

    fn indent(&mut self, depth: usize) {
        self.raw(&format!("\n{}", "  ".repeat(depth)));
    }

    fn open(&mut self, name: &str, attributes: &[(&str, String)]) -> Result<(), InvalidMetadata> {
        let mut start = BytesStart::new(name);
        for (key, value) in attributes {
            check_chars(value)?;
            start.push_attribute(Attribute {
                key: QName(key),
                value: Cow::Owned(escape::attribute_string(value)),
            });
        }
        let _ = self.writer.write_event(Event::Start(start));
        Ok(())
    }

    fn close(&mut self, name: &str) {
        let _ = self.writer.write_event(Event::End(BytesEnd::new(name)));
    }

    fn start(
        &mut self,
        depth: usize,
        name: &str,
        attributes: &[(&str, String)],
    ) -> Result<(), InvalidMetadata> {
        if depth > 0 {
            self.indent(depth);
            self.open(name, attributes)
        } else {
            self.raw("\n");
            self.root_start = self.writer.get_ref().len();
            self.open(name, attributes)?;
            self.signature_at = self.writer.get_ref().len();
            Ok(())
        }
    }

    fn end(&mut self, depth: usize, name: &str) -> Result<(), InvalidMetadata> {
        self.indent(depth);
        self.close(name);
        Ok(())
    }

    /// An element with no content, written as start and end tag (canonical form).
    fn empty(
        &mut self,
        depth: usize,
        name: &str,
        attributes: &[(&str, String)],
    ) -> Result<(), InvalidMetadata> {
        self.indent(depth);
        self.open(name, attributes)?;
        self.close(name);
        Ok(())
    }

    fn text_element(
        &mut self,
        depth: usize,
        name: &str,
        attributes: &[(&str, String)],
        text: &str,
    ) -> Result<(), InvalidMetadata> {
        check_chars(text)?;
        self.indent(depth);
        self.open(name, attributes)?;
        self.raw(&escape::text_string(text));
        self.close(name);
        Ok(())
    }

    /// `md:SingleLogoutService` with the HTTP-Redirect binding.
    fn single_logout(&mut self, url: &str) -> Result<(), InvalidMetadata> {
        let binding = crate::metadata::Binding::HttpRedirect.urn().to_owned();
        self.empty(
            2,
            "md:SingleLogoutService",
            &[("Binding", binding), ("Location", url.to_owned())],
        )
    }

    fn key_descriptor(
        &mut self,
        usage: &str,
        certificate_base64: &str,
    ) -> Result<(), InvalidMetadata> {
        self.start(2, "md:KeyDescriptor", &[("use", usage.to_owned())])?;
        self.start(3, "ds:KeyInfo", &[("xmlns:ds", DS.to_owned())])?;
        self.start(4, "ds:X509Data", &[])?;
        self.text_element(5, "ds:X509Certificate", &[], certificate_base64)?;
        self.end(4, "ds:X509Data")?;
        self.end(3, "ds:KeyInfo")?;
        self.end(2, "md:KeyDescriptor")
    }

    fn finish(mut self) -> Written {
        let root_end = self.writer.get_ref().len();
        self.raw("\n");
        Written {
            root: self.root_start..root_end,
            signature_at: self.signature_at,
            bytes: self.writer.into_inner(),
        }
    }
}
