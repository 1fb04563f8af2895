//! Any SAML metadata (JumpCloud's export, an SP's, last year's own) read for the admin: entities
//! and roles, endpoints with their bindings, certificates with their fingerprints and days to
//! expiry, NameID formats, validUntil, the signature verdict; and, given the connector's values,
//! what differs from the metadata the builder would make.

use crate::digest::Fingerprint;
use crate::dsig::verify::{Options, Verdict, VerifyError, verify_document};
use crate::findings::{EXPIRY_WARNING_DAYS, Severity};
use crate::message::check::{
    CheckError, Expectations, Problem, ProblemCode, Problems, any_error, case_note,
};
use crate::pki::cert::Certificate;
use crate::time::UnixTime;
use crate::xml::names::MD;
use crate::xml::{Document, parse};

/// An endpoint of a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The element's local name: `SingleSignOnService`, `AssertionConsumerService`, ...
    pub kind: String,
    /// `Binding`.
    pub binding: String,
    /// `Location`.
    pub location: String,
}

/// A certificate of a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateInfo {
    /// The KeyDescriptor's `use` (`signing`, `encryption`), if any.
    pub usage: Option<String>,
    /// Its subject.
    pub subject: String,
    /// Its SHA-256 fingerprint.
    pub sha256: Fingerprint,
    /// Its last moment of validity.
    pub not_after: UnixTime,
    /// Days from "now" to its expiry (negative once expired).
    pub days_left: i64,
}

/// One `EntityDescriptor`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntityInfo {
    /// `entityID`.
    pub entity_id: String,
    /// The roles, by local name: `IDPSSODescriptor`, `SPSSODescriptor`, ...
    pub roles: Vec<String>,
    /// Every endpoint of every role, in document order.
    pub endpoints: Vec<Endpoint>,
    /// Every certificate of every role, in document order.
    pub certificates: Vec<CertificateInfo>,
    /// `NameIDFormat`s.
    pub name_id_formats: Vec<String>,
    /// `validUntil` of the entity.
    pub valid_until: Option<String>,
}

/// The check of a metadata document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataCheck {
    /// Each entity.
    pub entities: Vec<EntityInfo>,
    /// `validUntil` of the root.
    pub valid_until: Option<String>,
    /// The verifier's verdict (JumpCloud's export is unsigned: not a problem in itself).
    pub verdict: Verdict,
    /// What differs from the connector, and certificates that expire; errors first.
    pub problems: Vec<Problem>,
    /// The document's elements, each marked signed or not.
    pub map: super::DocumentMap,
}

impl MetadataCheck {
    /// True when any problem is an error.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        any_error(&self.problems)
    }
}

/// Reads and checks metadata at time `now`; its signature against the signer `options` names;
/// its IdP entity against `expected`.
///
/// # Errors
/// The XML cannot be read, or it is not metadata.
pub fn check_metadata(
    xml: &[u8],
    options: &Options,
    expected: &Expectations,
    now: UnixTime,
) -> Result<MetadataCheck, CheckError> {
    let doc = parse(xml).map_err(|e| CheckError::Verify(VerifyError::Xml(e)))?;
    metadata_in(&doc, options, expected, now)
}

/// [`check_metadata`] on a parsed document.
pub(crate) fn metadata_in(
    doc: &Document,
    options: &Options,
    expected: &Expectations,
    now: UnixTime,
) -> Result<MetadataCheck, CheckError> {
    let root = doc.root();
    let root_el = doc.element(root).ok_or(CheckError::UnknownKind {
        found: String::new(),
    })?;
    let entity_nodes: Vec<usize> = if root_el.is(MD, "EntityDescriptor") {
        vec![root]
    } else if root_el.is(MD, "EntitiesDescriptor") {
        doc.child_elements(root)
            .filter(|(_, e)| e.is(MD, "EntityDescriptor"))
            .map(|(i, _)| i)
            .collect()
    } else {
        return Err(CheckError::UnknownKind {
            found: root_el.qname(),
        });
    };
    let (report, covered) = verify_document(doc, options).map_err(CheckError::Verify)?;
    let entities: Vec<EntityInfo> = entity_nodes
        .iter()
        .map(|&n| read_entity(doc, n, now))
        .collect();

    let mut problems = Problems::default();
    let mut add = |code, severity, message: String| problems.add(code, severity, message);
    match &report.verdict {
        Verdict::Valid | Verdict::Unsigned | Verdict::PartlyUnsigned => {}
        Verdict::SignerNotAuthenticated => add(
            ProblemCode::SignerNotAuthenticated,
            Severity::Warning,
            "The metadata's signature is intact, but only against the certificate inside it: \
             give the signer's certificate or fingerprint to know who signed it."
                .to_owned(),
        ),
        Verdict::OtherSigner => add(
            ProblemCode::SignerMismatch,
            Severity::Error,
            "The metadata is signed by another key than the certificate it was checked against."
                .to_owned(),
        ),
        Verdict::Altered | Verdict::BadSignatureValue => add(
            ProblemCode::SignatureInvalid,
            Severity::Error,
            format!(
                "The metadata's signature does not verify ({}): it was changed after signing. \
                 Export it again.",
                report.verdict
            ),
        ),
        Verdict::NotOnRoot | Verdict::Refused(_) => add(
            ProblemCode::Refused,
            Severity::Error,
            format!("The metadata's signature is refused ({}).", report.verdict),
        ),
    }
    for entity in &entities {
        for cert in &entity.certificates {
            if cert.days_left < 0 {
                add(
                    ProblemCode::CertExpired,
                    Severity::Error,
                    format!(
                        "The certificate {} (SHA-256 {}) of {} expired on {}. Make a new pair, \
                         upload it to the IdP, and give the SP metadata with the new certificate.",
                        cert.subject,
                        cert.sha256,
                        entity.entity_id,
                        cert.not_after.date()
                    ),
                );
            } else if cert.days_left < EXPIRY_WARNING_DAYS {
                add(
                    ProblemCode::CertExpiring,
                    Severity::Warning,
                    format!(
                        "The certificate {} of {} expires on {} (in {} days). Plan the rotation: \
                         publish metadata with both certificates, then switch.",
                        cert.subject,
                        entity.entity_id,
                        cert.not_after.date(),
                        cert.days_left
                    ),
                );
            }
        }
    }
    if let Some(idp) = entities
        .iter()
        .find(|e| e.roles.iter().any(|r| r == "IDPSSODescriptor"))
    {
        compare_idp(idp, expected, &mut add);
    }
    let problems = problems.finish(&report.verdict);
    Ok(MetadataCheck {
        entities,
        valid_until: root_el.attr("validUntil").map(str::to_owned),
        verdict: report.verdict,
        problems,
        map: super::DocumentMap::of(doc, &covered),
    })
}

fn compare_idp(
    idp: &EntityInfo,
    expected: &Expectations,
    add: &mut impl FnMut(ProblemCode, Severity, String),
) {
    if let Some(want) = &expected.idp_entity_id
        && &idp.entity_id != want
    {
        let case = case_note(&idp.entity_id, want);
        add(
            ProblemCode::EntityIdMismatch,
            Severity::Error,
            format!(
                "The metadata's entityID is {} but the IdP Entity ID is {want}.{case} The SP \
                 matches the Issuer of every login against this value.",
                idp.entity_id
            ),
        );
    }
    let sso: Vec<&Endpoint> = idp
        .endpoints
        .iter()
        .filter(|e| e.kind == "SingleSignOnService")
        .collect();
    if let Some(want) = &expected.idp_sso_url
        && !sso.iter().any(|e| &e.location == want)
    {
        let found: Vec<&str> = sso.iter().map(|e| e.location.as_str()).collect();
        add(
            ProblemCode::SsoUrlMismatch,
            Severity::Error,
            format!(
                "The metadata's SSO URL is {} but the connector's is {want}. The IdP URL (the end \
                 of https://sso.jumpcloud.com/saml2/<IdP URL>) cannot change after the connector \
                 is created: use the one it has.",
                if found.is_empty() {
                    "missing".to_owned()
                } else {
                    found.join(", ")
                }
            ),
        );
    }
    for binding in &expected.bindings {
        if !sso.iter().any(|e| e.binding == binding.urn()) {
            add(
                ProblemCode::BindingMismatch,
                Severity::Warning,
                format!(
                    "The metadata has no SingleSignOnService with the binding {} that the \
                     connector's values declare.",
                    binding.urn()
                ),
            );
        }
    }
    for binding in sso.iter().map(|e| e.binding.as_str()) {
        if !expected.bindings.is_empty() && !expected.bindings.iter().any(|b| b.urn() == binding) {
            add(
                ProblemCode::BindingMismatch,
                Severity::Warning,
                format!(
                    "The metadata declares the binding {binding}, which the connector's values do \
                     not (JumpCloud declares HTTP-Redirect only with \"Declare Redirect Endpoint\")."
                ),
            );
        }
    }
    for format in &expected.name_id_formats {
        if !idp.name_id_formats.is_empty() && !idp.name_id_formats.contains(format) {
            add(
                ProblemCode::NameidFormatMismatch,
                Severity::Warning,
                format!(
                    "The metadata does not list the NameID format {format}; it lists {}.",
                    idp.name_id_formats.join(", ")
                ),
            );
        }
    }
    if let Some(want) = &expected.certificate
        && !idp
            .certificates
            .iter()
            .any(|c| &c.sha256 == want && c.usage.as_deref() != Some("encryption"))
    {
        add(
            ProblemCode::CertificateMismatch,
            Severity::Error,
            format!(
                "None of the metadata's signing certificates is the certificate given (SHA-256 \
                 {want}): the SP would reject logins signed with that certificate's key."
            ),
        );
    }
}

fn read_entity(doc: &Document, entity: usize, now: UnixTime) -> EntityInfo {
    let el = doc.element(entity);
    let mut info = EntityInfo {
        entity_id: el
            .and_then(|e| e.attr("entityID"))
            .unwrap_or_default()
            .to_owned(),
        valid_until: el.and_then(|e| e.attr("validUntil")).map(str::to_owned),
        ..EntityInfo::default()
    };
    for (role, r) in doc.child_elements(entity) {
        if !r.local.ends_with("Descriptor") || r.ns != MD {
            continue;
        }
        info.roles.push(r.local.clone());
        for (i, e) in doc.child_elements(role) {
            if e.ns != MD {
                continue;
            }
            if e.local == "KeyDescriptor" {
                for der in crate::metadata::certificates_in(doc, i) {
                    if let Ok(cert) = Certificate::from_der(&der) {
                        info.certificates.push(CertificateInfo {
                            usage: e.attr("use").map(str::to_owned),
                            subject: cert.subject(),
                            sha256: cert.sha256_fingerprint(),
                            not_after: cert.not_after(),
                            days_left: now.days_until(cert.not_after()),
                        });
                    }
                }
            } else if e.local == "NameIDFormat" {
                info.name_id_formats.push(doc.text(i).trim().to_owned());
            } else if let (Some(binding), Some(location)) = (e.attr("Binding"), e.attr("Location"))
            {
                info.endpoints.push(Endpoint {
                    kind: e.local.clone(),
                    binding: binding.to_owned(),
                    location: location.trim().to_owned(),
                });
            }
        }
    }
    info
}
