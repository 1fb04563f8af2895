//! SAML 2.0 metadata as plain data: what the writer writes, with the defaults of the flow we start
//! from (JumpCloud as IdP for Keeper SSO Connect) and the rules every value must follow.
//!
//! Element and attribute names follow "Metadata for the OASIS Security Assertion Markup Language
//! (SAML) V2.0" (saml-metadata-2.0-os) and its schema, `saml-schema-metadata-2.0.xsd`.

use crate::findings::{Finding, FindingCode, Severity};
use crate::pki::cert::Certificate;
use crate::time::UnixTime;
use core::fmt;

/// `urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress`, what JumpCloud's Keeper connector uses.
pub const NAMEID_EMAIL: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";

/// Where JumpCloud's SSO endpoints live: `https://sso.jumpcloud.com/saml2/<IdP URL suffix>`.
pub const JUMPCLOUD_SSO_BASE: &str = "https://sso.jumpcloud.com/saml2/";

/// saml-metadata-2.0-os 2.3.1: entityID "must not exceed 1024 characters".
pub const MAX_ENTITY_ID_CHARS: usize = 1024;

/// A SAML protocol binding (saml-bindings-2.0-os).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// HTTP Redirect (3.4): the request in the URL query.
    HttpRedirect,
    /// HTTP POST (3.5): the message in an auto-submitted form.
    HttpPost,
}

impl Binding {
    /// The binding's URN.
    #[must_use]
    pub const fn urn(self) -> &'static str {
        match self {
            Self::HttpRedirect => "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect",
            Self::HttpPost => "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
        }
    }
}

/// `md:Organization`: who runs the entity (all three values are required by the schema).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organization {
    /// `OrganizationName`.
    pub name: String,
    /// `OrganizationDisplayName`.
    pub display_name: String,
    /// `OrganizationURL`.
    pub url: String,
}

/// The kind of a `md:ContactPerson` (saml-metadata-2.0-os 2.3.2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactType {
    /// Technical support.
    Technical,
    /// User support.
    Support,
    /// Administrative.
    Administrative,
    /// Billing.
    Billing,
    /// Other.
    Other,
}

impl ContactType {
    /// The `contactType` value.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Technical => "technical",
            Self::Support => "support",
            Self::Administrative => "administrative",
            Self::Billing => "billing",
            Self::Other => "other",
        }
    }
}

/// A `md:ContactPerson`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// `contactType`.
    pub kind: ContactType,
    /// `GivenName`, if any.
    pub name: Option<String>,
    /// `EmailAddress` (written as a `mailto:` URI).
    pub email: Option<String>,
}

/// IdP metadata: an `EntityDescriptor` with one `IDPSSODescriptor`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdpMetadata {
    /// The IdP Entity ID (case-sensitive; JumpCloud's "IdP Entity ID").
    pub entity_id: String,
    /// Signing certificates: one, or two during a key rollover. Each becomes a
    /// `KeyDescriptor use="signing"`.
    pub signing_certificates: Vec<Certificate>,
    /// An optional certificate SPs encrypt assertions to (`KeyDescriptor use="encryption"`).
    pub encryption_certificate: Option<Certificate>,
    /// `WantAuthnRequestsSigned` (JumpCloud: false).
    pub want_authn_requests_signed: bool,
    /// `NameIDFormat`s, in order.
    pub name_id_formats: Vec<String>,
    /// The single sign-on URL.
    pub sso_url: String,
    /// The bindings the SSO URL answers (one `SingleSignOnService` each).
    pub sso_bindings: Vec<Binding>,
    /// An optional single logout URL (HTTP-Redirect).
    pub slo_url: Option<String>,
    /// Optional `validUntil`.
    pub valid_until: Option<UnixTime>,
    /// Optional `cacheDuration`, in seconds (written as `PT<n>S`).
    pub cache_duration_seconds: Option<u64>,
    /// Optional `mdui:DisplayName` (with `xml:lang="en"`), from the display label.
    pub display_name: Option<String>,
    /// Optional `Organization`.
    pub organization: Option<Organization>,
    /// `ContactPerson`s.
    pub contacts: Vec<Contact>,
}

impl IdpMetadata {
    /// The shape JumpCloud exports for a Keeper connector: one SSO service at
    /// `https://sso.jumpcloud.com/saml2/<idp_url_suffix>` with HTTP-POST (JumpCloud adds
    /// HTTP-Redirect only when the connector's "Declare Redirect Endpoint" is ticked),
    /// `emailAddress` NameID, `WantAuthnRequestsSigned="false"`, one signing certificate.
    #[must_use]
    pub fn jumpcloud(
        entity_id: &str,
        signing_certificate: Certificate,
        idp_url_suffix: &str,
    ) -> Self {
        Self {
            entity_id: entity_id.to_owned(),
            signing_certificates: vec![signing_certificate],
            encryption_certificate: None,
            want_authn_requests_signed: false,
            name_id_formats: vec![NAMEID_EMAIL.to_owned()],
            sso_url: jumpcloud_sso_url(idp_url_suffix),
            sso_bindings: vec![Binding::HttpPost],
            slo_url: None,
            valid_until: None,
            cache_duration_seconds: None,
            display_name: None,
            organization: None,
            contacts: Vec::new(),
        }
    }

    /// Checks every value; errors mean the metadata must not be written.
    #[must_use]
    pub fn findings(&self) -> Vec<Finding> {
        let mut out = Vec::new();
        check_entity_id("IdP Entity ID", &self.entity_id, &mut out);
        check_url("SSO URL", &self.sso_url, &mut out);
        if let Some(slo) = &self.slo_url {
            check_url("Single logout URL", slo, &mut out);
        }
        if self.signing_certificates.is_empty() {
            out.push(error(
                FindingCode::NoSigningCertificate,
                "IdP metadata needs the IdP's signing certificate (cert.pem): service providers use it \
                 to check every login. Add the certificate."
                    .to_owned(),
            ));
        }
        if self.sso_bindings.is_empty() {
            out.push(error(
                FindingCode::NoSsoBinding,
                "Choose at least one binding (HTTP-Redirect or HTTP-POST) for the SSO URL."
                    .to_owned(),
            ));
        }
        if self.name_id_formats.is_empty() {
            out.push(error(
                FindingCode::NoNameidFormat,
                "Choose a NameID format; most service providers expect emailAddress.".to_owned(),
            ));
        }
        if let Some(org) = &self.organization {
            check_organization(org, &mut out);
        }
        check_contacts(&self.contacts, &mut out);
        for format in &self.name_id_formats {
            check_name_id_format(format, &mut out);
        }
        out
    }
}

/// `https://sso.jumpcloud.com/saml2/<suffix>`.
#[must_use]
pub fn jumpcloud_sso_url(idp_url_suffix: &str) -> String {
    format!(
        "{JUMPCLOUD_SSO_BASE}{}",
        idp_url_suffix.trim().trim_matches('/')
    )
}

/// SP metadata: an `EntityDescriptor` with one `SPSSODescriptor`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpMetadata {
    /// The SP Entity ID.
    pub entity_id: String,
    /// The Assertion Consumer Service URL (HTTP-POST, index 0, default).
    pub acs_url: String,
    /// `AuthnRequestsSigned`.
    pub authn_requests_signed: bool,
    /// `WantAssertionsSigned`.
    pub want_assertions_signed: bool,
    /// The `NameIDFormat`.
    pub name_id_format: String,
    /// An optional single logout URL (HTTP-Redirect).
    pub slo_url: Option<String>,
    /// The SP's own certificate, if given (never the IdP's).
    pub certificate: Option<Certificate>,
}

impl SpMetadata {
    /// SP metadata with the values an SP such as Keeper SSO Connect shows: entity ID and ACS URL,
    /// emailAddress NameID, signed assertions wanted, unsigned requests.
    #[must_use]
    pub fn new(entity_id: &str, acs_url: &str) -> Self {
        Self {
            entity_id: entity_id.to_owned(),
            acs_url: acs_url.to_owned(),
            authn_requests_signed: false,
            want_assertions_signed: true,
            name_id_format: NAMEID_EMAIL.to_owned(),
            slo_url: None,
            certificate: None,
        }
    }

    /// Checks every value; errors mean the metadata must not be written.
    #[must_use]
    pub fn findings(&self) -> Vec<Finding> {
        let mut out = Vec::new();
        check_entity_id("SP Entity ID", &self.entity_id, &mut out);
        check_url("ACS URL", &self.acs_url, &mut out);
        if let Some(slo) = &self.slo_url {
            check_url("Single logout URL", slo, &mut out);
        }
        out
    }
}

pub(crate) fn error(code: FindingCode, message: String) -> Finding {
    Finding {
        severity: Severity::Error,
        code,
        message,
    }
}

fn warning(code: FindingCode, message: String) -> Finding {
    Finding {
        severity: Severity::Warning,
        code,
        message,
    }
}

pub(crate) fn check_organization(org: &Organization, out: &mut Vec<Finding>) {
    if org.name.trim().is_empty() || org.display_name.trim().is_empty() {
        out.push(error(
            FindingCode::OrganizationIncomplete,
            "An organization needs a name and a display name (and a URL); fill them in or \
             leave the organization out."
                .to_owned(),
        ));
    }
    check_url_as(
        "Organization URL",
        &org.url,
        FindingCode::OrganizationUrlInvalid,
        out,
    );
}

pub(crate) fn check_contacts(contacts: &[Contact], out: &mut Vec<Finding>) {
    for contact in contacts {
        if let Some(email) = &contact.email {
            let address = email.trim_start_matches("mailto:");
            let valid = address.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && domain.contains('.')
                    && !address.chars().any(char::is_whitespace)
            });
            if !valid {
                out.push(error(
                    FindingCode::ContactEmailInvalid,
                    format!("\"{email}\" is not an e-mail address (name@example.com)."),
                ));
            }
        }
    }
}

pub(crate) fn check_name_id_format(format: &str, out: &mut Vec<Finding>) {
    if !format.starts_with("urn:")
        || format.chars().any(char::is_whitespace)
        || uri_reference(format).is_err()
    {
        out.push(error(
            FindingCode::BadNameidFormat,
            format!("\"{format}\" is not a NameID format URN (for example {NAMEID_EMAIL})."),
        ));
    }
}

pub(crate) fn check_entity_id(field: &str, value: &str, out: &mut Vec<Finding>) {
    if value.is_empty() {
        out.push(error(
            FindingCode::EntityIdEmpty,
            format!("The {field} is empty. Enter it exactly as the other side has it (it is case-sensitive)."),
        ));
        return;
    }
    let chars = value.chars().count();
    if chars > MAX_ENTITY_ID_CHARS {
        out.push(error(
            FindingCode::EntityIdTooLong,
            format!(
                "The {field} has {chars} characters; SAML allows at most {MAX_ENTITY_ID_CHARS}."
            ),
        ));
    }
    if let Some(c) = value.chars().find(|c| c.is_whitespace() || c.is_control()) {
        out.push(error(
            FindingCode::EntityIdWhitespace,
            format!(
                "The {field} contains {}; entity IDs have no spaces or control characters. Copy it again \
                 without the surrounding spaces or line breaks.",
                describe_char(c)
            ),
        ));
        return;
    }
    if let Err(why) = uri_reference(value) {
        out.push(error(
            FindingCode::EntityIdNotUriReference,
            format!(
                "The {field} \"{value}\" is not a valid URI ({why}); SAML entity IDs are URIs. Check \
                 it for stray characters."
            ),
        ));
        return;
    }
    if !is_absolute_uri(value) {
        out.push(warning(
            FindingCode::EntityIdNotUri,
            format!(
                "The {field} \"{value}\" is not an absolute URI. SAML recommends a URL or URN, but many \
                 IdPs use plain names; it works as long as both sides have \
                 exactly the same value."
            ),
        ));
    }
}

pub(crate) fn check_url(field: &str, value: &str, out: &mut Vec<Finding>) {
    check_url_as(field, value, FindingCode::UrlInvalid, out);
}

/// [`check_url`], with `invalid` as the code of an invalid URL.
fn check_url_as(field: &str, value: &str, invalid: FindingCode, out: &mut Vec<Finding>) {
    let (scheme, rest) = value.split_once("://").unwrap_or(("", ""));
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let scheme_ok = scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http");
    if !scheme_ok || host.is_empty() || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        out.push(error(
            invalid,
            format!(
                "The {field} \"{value}\" is not an absolute https:// URL. Copy it again from the other \
                 side's settings."
            ),
        ));
    } else if let Err(why) = uri_reference(value) {
        out.push(error(
            invalid,
            format!("The {field} \"{value}\" is not a valid URL ({why}). Copy it again from the other side's settings."),
        ));
    } else if scheme.eq_ignore_ascii_case("http") {
        out.push(warning(
            FindingCode::UrlHttp,
            format!(
                "The {field} uses http://, so SAML messages to it travel unencrypted; most service \
                 providers require https://."
            ),
        ));
    }
}

/// Whether `value` is a URI reference as `xs:anyURI` validation accepts it (RFC 3986 structure,
/// after characters outside URIs are percent-escaped, as libxml2 does): a first segment holding `:`
/// must start with a scheme, `%` must start a two-digit hex escape, at most one `#`, and no `[` or
/// `]` (IPv6 literals do not occur in entity IDs).
fn uri_reference(value: &str) -> Result<(), &'static str> {
    let first_segment = value.split(['/', '?', '#']).next().unwrap_or_default();
    if let Some((scheme, _)) = first_segment.split_once(':') {
        let mut chars = scheme.chars();
        let valid_scheme = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if !valid_scheme {
            return Err("the part before the first ':' is not a URI scheme");
        }
    }
    let bytes = value.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'%' {
            let hex = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                return Err("a '%' that does not start a %XX escape");
            }
        }
    }
    if value.matches('#').count() > 1 {
        return Err("more than one '#'");
    }
    if value.contains(['[', ']']) {
        return Err("'[' or ']'");
    }
    Ok(())
}

/// RFC 3986 absolute URI: a scheme (a letter, then letters, digits, `+`, `-`, `.`), a colon and more.
fn is_absolute_uri(value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
}

fn describe_char(c: char) -> String {
    match c {
        ' ' => "a space".to_owned(),
        '\t' => "a tab".to_owned(),
        '\n' | '\r' => "a line break".to_owned(),
        other => format!("the character U+{:04X}", u32::from(other)),
    }
}

/// A metadata document could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidMetadata {
    /// The error findings that block writing.
    pub errors: Vec<Finding>,
}

impl fmt::Display for InvalidMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let messages: Vec<&str> = self.errors.iter().map(|e| e.message.as_str()).collect();
        f.write_str(&messages.join(" "))
    }
}

impl std::error::Error for InvalidMetadata {}
