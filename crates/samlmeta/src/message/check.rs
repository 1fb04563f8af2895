//! A captured SAML Response (or a bare Assertion) checked: which elements are signed, the values
//! read from the very nodes the verifier found covered, and each problem with what to change.
//!
//! Values from elements no good signature covers are reported, marked unsigned, and never used to
//! pass a check: an attacker can add or change them freely (SAML core §5.4; the signature-wrapping
//! attacks work on software that reads "the first Assertion" instead of the signed one).

use crate::dsig::verify::{Options, Verdict, VerifyError, verify_document};
use crate::findings::Severity;
use crate::message::Decoded;
use crate::time::UnixTime;
use crate::xml::names::{PROTOCOL, SAML};
use crate::xml::{Document, parse};
use core::fmt;

/// How far clocks may differ (seconds) when no other value is given: 180 s.
pub const DEFAULT_SKEW_SECONDS: i64 = 180;

/// `urn:oasis:names:tc:SAML:2.0:status:Success` (SAML core §3.2.2.2).
const SUCCESS: &str = "urn:oasis:names:tc:SAML:2.0:status:Success";
/// `urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress` (SAML core §8.3.2).
const EMAIL_FORMAT: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";

/// Keeper SSO Connect's attribute names, in the case it reads them: Keeper's SSO Connect guide,
/// "Identity Provider Setup" (docs.keeper.io/sso-connect-guide/identity-provider-setup): "Ensure
/// that 3 attributes ("First", "Last" and "Email") are configured with the exact spelling".
/// Without `Email` no user can be matched (an error); without `First` or `Last` the login works
/// with an incomplete profile (a warning).
///
/// The JumpCloud field names in the messages below ("SAMLSubject NameID", "SAMLSubject NameID
/// Format", "User Attributes", "Service Provider Attribute Name") are the connector's, as
/// JumpCloud's support articles "SSO Application Connector Fields" and "Configure User Attributes
/// for SAML Connectors" name them.
const KEEPER_ATTRIBUTES: [(&str, Severity); 3] = [
    ("Email", Severity::Error),
    ("First", Severity::Warning),
    ("Last", Severity::Warning),
];

/// What the message is held against: the connector's values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expectations {
    /// The IdP Entity ID: the Issuer, exactly (case-sensitive).
    pub idp_entity_id: Option<String>,
    /// The SP Entity ID: the Audience.
    pub sp_entity_id: Option<String>,
    /// The ACS URL: the Response's Destination and the SubjectConfirmationData's Recipient; the
    /// AuthnRequest's AssertionConsumerServiceURL.
    pub acs_url: Option<String>,
    /// The IdP's SSO URL: where an AuthnRequest is sent, and the metadata's SingleSignOnService.
    pub idp_sso_url: Option<String>,
    /// The NameID formats the IdP metadata should list.
    pub name_id_formats: Vec<String>,
    /// The SingleSignOnService bindings the IdP metadata should declare.
    pub bindings: Vec<crate::metadata::Binding>,
    /// The IdP's signing certificate the metadata should carry.
    pub certificate: Option<crate::digest::Fingerprint>,
    /// The SP is Keeper SSO Connect: the Response must be signed, the NameID an email address,
    /// and the attributes `Email`, `First`, `Last` present.
    pub keeper: bool,
}

impl Expectations {
    /// The values of a connector (empty values expect nothing).
    #[must_use]
    pub fn from_connector(values: &crate::connector::ConnectorValues) -> Self {
        let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
        Self {
            idp_entity_id: some(&values.idp_entity_id),
            sp_entity_id: some(&values.sp_entity_id),
            acs_url: some(&values.acs_url),
            idp_sso_url: match &values.sso_url {
                Some(url) => some(url),
                None => (!values.idp_url_suffix.trim().is_empty()).then(|| values.sso_url()),
            },
            name_id_formats: values.name_id_formats.clone(),
            bindings: values.bindings.clone(),
            certificate: None,
            keeper: values.preset.is_keeper(),
        }
    }
}

/// A value and whether a good signature covers the element it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    /// The value.
    pub value: String,
    /// Covered by a good signature.
    pub signed: bool,
}

/// An attribute statement's attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// Its `Name`.
    pub name: String,
    /// Its values' text.
    pub values: Vec<String>,
    /// Covered by a good signature.
    pub signed: bool,
}

/// What one Assertion says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssertionValues {
    /// Its `ID`.
    pub id: Option<String>,
    /// Covered by a good signature (its own, or the Response's).
    pub signed: bool,
    /// An `EncryptedAssertion`: nothing can be read without the SP's key.
    pub encrypted: bool,
    /// `Issuer`.
    pub issuer: Option<Value>,
    /// `Subject/NameID`.
    pub name_id: Option<Value>,
    /// Its `Format`.
    pub name_id_format: Option<Value>,
    /// `Conditions/AudienceRestriction/Audience`.
    pub audiences: Vec<Value>,
    /// `SubjectConfirmationData/@Recipient`.
    pub recipient: Option<Value>,
    /// `Conditions/@NotBefore`.
    pub not_before: Option<Value>,
    /// `Conditions/@NotOnOrAfter`.
    pub not_on_or_after: Option<Value>,
    /// `SubjectConfirmationData/@NotOnOrAfter`.
    pub confirmation_not_on_or_after: Option<Value>,
    /// `AttributeStatement/Attribute`.
    pub attributes: Vec<Attribute>,
}

/// What the Response says around its assertions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseValues {
    /// `Issuer`.
    pub issuer: Option<Value>,
    /// `@Destination`.
    pub destination: Option<Value>,
    /// `Status/StatusCode/@Value`, and the second-level code after a space when there is one.
    pub status: Option<Value>,
    /// `Status/StatusMessage`.
    pub status_message: Option<Value>,
    /// `@InResponseTo`.
    pub in_response_to: Option<Value>,
}

/// What a problem is about, as a stable identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProblemCode {
    /// Nothing is signed.
    Unsigned,
    /// The Response element itself is not signed.
    ResponseNotSigned,
    /// A signature does not verify: content or signature changed.
    SignatureInvalid,
    /// Signed by another key than the trusted certificate's.
    SignerMismatch,
    /// Intact, but no certificate was given to check the signer against.
    SignerNotAuthenticated,
    /// The verifier refused the signature's structure.
    Refused,
    /// More than one Assertion.
    MultipleAssertions,
    /// The status is not Success.
    StatusNotSuccess,
    /// The Issuer is not the IdP Entity ID.
    IssuerMismatch,
    /// No Audience is the SP Entity ID.
    AudienceMismatch,
    /// The Destination is not the ACS URL.
    DestinationMismatch,
    /// The Recipient is not the ACS URL.
    RecipientMismatch,
    /// Not valid yet (clock skew).
    NotYetValid,
    /// No longer valid.
    Expired,
    /// The NameID is not an email address.
    NameidNotEmail,
    /// An attribute Keeper reads is missing.
    AttributeMissing,
    /// An EncryptedAssertion: its values cannot be read here.
    EncryptedAssertion,
    /// An AuthnRequest asks for the Response at another ACS URL than the connector's.
    AcsUrlMismatch,
    /// Metadata: the IdP's entityID is not the IdP Entity ID.
    EntityIdMismatch,
    /// Metadata: no SingleSignOnService at the connector's SSO URL.
    SsoUrlMismatch,
    /// Metadata: the given certificate is not among the signing certificates.
    CertificateMismatch,
    /// Metadata: a NameID format of the connector is not listed.
    NameidFormatMismatch,
    /// Metadata: the SSO bindings differ from the connector's.
    BindingMismatch,
    /// Metadata: a certificate has expired.
    CertExpired,
    /// Metadata: a certificate expires soon.
    CertExpiring,
}

impl ProblemCode {
    /// Every code, in declaration order.
    pub const ALL: &'static [Self] = &[
        Self::Unsigned,
        Self::ResponseNotSigned,
        Self::SignatureInvalid,
        Self::SignerMismatch,
        Self::SignerNotAuthenticated,
        Self::Refused,
        Self::MultipleAssertions,
        Self::StatusNotSuccess,
        Self::IssuerMismatch,
        Self::AudienceMismatch,
        Self::DestinationMismatch,
        Self::RecipientMismatch,
        Self::NotYetValid,
        Self::Expired,
        Self::NameidNotEmail,
        Self::AttributeMissing,
        Self::EncryptedAssertion,
        Self::AcsUrlMismatch,
        Self::EntityIdMismatch,
        Self::SsoUrlMismatch,
        Self::CertificateMismatch,
        Self::NameidFormatMismatch,
        Self::BindingMismatch,
        Self::CertExpired,
        Self::CertExpiring,
    ];

    /// The code whose text is `text`.
    #[must_use]
    pub fn from_code(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.as_str() == text)
    }

    /// The stable text scripts see: `unsigned`, `response-not-signed`, ...
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Unsigned => "unsigned",
            Self::ResponseNotSigned => "response-not-signed",
            Self::SignatureInvalid => "signature-invalid",
            Self::SignerMismatch => "signer-mismatch",
            Self::SignerNotAuthenticated => "signer-not-authenticated",
            Self::Refused => "refused",
            Self::MultipleAssertions => "multiple-assertions",
            Self::StatusNotSuccess => "status-not-success",
            Self::IssuerMismatch => "issuer-mismatch",
            Self::AudienceMismatch => "audience-mismatch",
            Self::DestinationMismatch => "destination-mismatch",
            Self::RecipientMismatch => "recipient-mismatch",
            Self::NotYetValid => "not-yet-valid",
            Self::Expired => "expired",
            Self::NameidNotEmail => "nameid-not-email",
            Self::AttributeMissing => "attribute-missing",
            Self::EncryptedAssertion => "encrypted-assertion",
            Self::AcsUrlMismatch => "acs-url-mismatch",
            Self::EntityIdMismatch => "entity-id-mismatch",
            Self::SsoUrlMismatch => "sso-url-mismatch",
            Self::CertificateMismatch => "certificate-mismatch",
            Self::NameidFormatMismatch => "nameid-format-mismatch",
            Self::BindingMismatch => "binding-mismatch",
            Self::CertExpired => "cert-expired",
            Self::CertExpiring => "cert-expiring",
        }
    }
}

/// One problem: what, how bad, and what to change where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The stable code.
    pub code: ProblemCode,
    /// Error or warning.
    pub severity: Severity,
    /// A sentence saying what to change, and where.
    pub message: String,
    /// For [`ProblemCode::Refused`]: the verifier's refusal code (`Refusal::code`), e.g.
    /// `reference-uri` or `transforms`.
    pub refusal: Option<&'static str>,
}

/// Problems as a check finds them; [`Problems::finish`] puts errors first and names the
/// verifier's refusal on the `refused` problem.
#[derive(Default)]
pub(crate) struct Problems(Vec<Problem>);

impl Problems {
    pub(crate) fn add(&mut self, code: ProblemCode, severity: Severity, message: String) {
        self.0.push(Problem {
            code,
            severity,
            message,
            refusal: None,
        });
    }

    pub(crate) fn finish(mut self, verdict: &Verdict) -> Vec<Problem> {
        let refusal = match verdict {
            Verdict::Refused(r) => Some(r.code()),
            Verdict::NotOnRoot => Some("not-on-root"),
            _ => None,
        };
        for p in self.0.iter_mut().filter(|p| p.code == ProblemCode::Refused) {
            p.refusal = refusal;
        }
        self.0.sort_by_key(|p| core::cmp::Reverse(p.severity));
        self.0
    }
}

/// True when any of `problems` is an error.
pub(crate) fn any_error(problems: &[Problem]) -> bool {
    problems.iter().any(|p| p.severity == Severity::Error)
}

/// The sentence to add when two entity IDs differ only in case (entity IDs are case-sensitive,
/// and that difference is easy to miss), else nothing.
pub(crate) fn case_note(found: &str, want: &str) -> &'static str {
    if found.eq_ignore_ascii_case(want) {
        " Only the case differs, and entity IDs are case-sensitive."
    } else {
        ""
    }
}

/// The check of one Response (or bare Assertion).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseCheck {
    /// Whether the root is a Response (else a bare Assertion).
    pub is_response: bool,
    /// The Response element is covered by a good signature.
    pub response_signed: bool,
    /// The Response's own values (empty for a bare Assertion).
    pub response: ResponseValues,
    /// Each assertion, in document order.
    pub assertions: Vec<AssertionValues>,
    /// The verifier's verdict on the whole document.
    pub verdict: Verdict,
    /// The problems found, errors first.
    pub problems: Vec<Problem>,
    /// The document's elements, each marked signed or not.
    pub map: super::DocumentMap,
}

impl ResponseCheck {
    /// True when any problem is an error.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        any_error(&self.problems)
    }
}

/// Checks a decoded Response (or a bare Assertion) at time `now`, with `skew` seconds of clock
/// difference allowed, against `expected`, trusting the signer `options` names.
///
/// # Errors
/// The XML cannot be read, or the message is not a Response or an Assertion.
pub fn check_response(
    decoded: &Decoded,
    options: &Options,
    expected: &Expectations,
    now: UnixTime,
    skew: i64,
) -> Result<ResponseCheck, CheckError> {
    let doc = parse(&decoded.xml).map_err(|e| CheckError::Verify(VerifyError::Xml(e)))?;
    response_in(&doc, options, expected, now, skew)
}

/// [`check_response`] on a parsed document.
pub(crate) fn response_in(
    doc: &Document,
    options: &Options,
    expected: &Expectations,
    now: UnixTime,
    skew: i64,
) -> Result<ResponseCheck, CheckError> {
    let root = doc.root();
    let root_el = doc.element(root).ok_or(CheckError::NotAResponse {
        found: String::new(),
    })?;
    let is_response = root_el.is(PROTOCOL, "Response");
    if !is_response && !root_el.is(SAML, "Assertion") {
        return Err(CheckError::NotAResponse {
            found: root_el.qname(),
        });
    }
    let (report, covered) = verify_document(doc, options).map_err(CheckError::Verify)?;
    let signed = |node: usize| covered.iter().any(|&c| doc.is_within(node, c));
    let value = |node: usize, text: String| Value {
        value: text,
        signed: signed(node),
    };

    let mut response = ResponseValues::default();
    let assertion_nodes: Vec<(usize, bool)> = if is_response {
        let attr = |name: &str| root_el.attr(name).map(|v| value(root, v.to_owned()));
        response.destination = attr("Destination");
        response.in_response_to = attr("InResponseTo");
        for (i, e) in doc.child_elements(root) {
            if e.is(SAML, "Issuer") {
                response.issuer = Some(value(i, doc.text(i).trim().to_owned()));
            } else if e.is(PROTOCOL, "Status") {
                read_status(doc, i, &value, &mut response);
            }
        }
        doc.child_elements(root)
            .filter_map(|(i, e)| {
                if e.is(SAML, "Assertion") {
                    Some((i, false))
                } else if e.is(SAML, "EncryptedAssertion") {
                    Some((i, true))
                } else {
                    None
                }
            })
            .collect()
    } else {
        vec![(root, false)]
    };
    let assertions: Vec<AssertionValues> = assertion_nodes
        .iter()
        .map(|&(node, encrypted)| read_assertion(doc, node, encrypted, &value, signed(node)))
        .collect();

    let mut problems = Problems::default();
    let mut add = |code, severity, message: String| problems.add(code, severity, message);
    let response_signed = is_response && signed(root);
    signature_problems(&report.verdict, &mut add);
    if is_response && !response_signed && report.verdict != Verdict::Unsigned {
        add(
            ProblemCode::ResponseNotSigned,
            if expected.keeper {
                Severity::Error
            } else {
                Severity::Warning
            },
            "The Response itself is not signed (only its Assertion is). Keeper SSO Connect expects \
             the response signed: in JumpCloud's connector set Sign to \"Response\" or \"Assertion \
             and Response\"."
                .to_owned(),
        );
    }
    if is_response {
        if let Some(status) = response.status.as_ref()
            && status.value.split(' ').next() != Some(SUCCESS)
        {
            add(
                ProblemCode::StatusNotSuccess,
                Severity::Error,
                status_message(&status.value, response.status_message.as_ref()),
            );
        }
        if let (Some(expected), Some(destination)) = (&expected.acs_url, &response.destination)
            && destination.signed
            && &destination.value != expected
        {
            add(
                ProblemCode::DestinationMismatch,
                Severity::Error,
                format!(
                    "The Response's Destination is {} but the ACS URL is {expected}. Set the ACS \
                     URL in JumpCloud's connector to the SP's exactly.",
                    destination.value
                ),
            );
        }
        if let Some(issuer) = &response.issuer {
            issuer_problem(issuer, expected, "Response", &mut add);
        }
    }
    if assertions.len() > 1 {
        add(
            ProblemCode::MultipleAssertions,
            Severity::Error,
            format!(
                "The Response carries {} assertions; an IdP sends exactly one, and an SP that \
                 reads the wrong one can be tricked. Capture the login again; if it repeats, the \
                 message did not come from JumpCloud as sent.",
                assertions.len()
            ),
        );
    }
    let nothing_signed = report.verdict == Verdict::Unsigned;
    for assertion in &assertions {
        if !assertion.signed && !assertion.encrypted && !nothing_signed {
            add(
                ProblemCode::Unsigned,
                Severity::Error,
                format!(
                    "Assertion {} is covered by no signature, so none of its values can be \
                     trusted. In JumpCloud's connector set Sign to \"Assertion and Response\".",
                    assertion.id.as_deref().unwrap_or("without ID")
                ),
            );
        }
        assertion_problems(assertion, expected, now, skew, &mut add);
    }
    let problems = problems.finish(&report.verdict);
    Ok(ResponseCheck {
        is_response,
        response_signed,
        response,
        assertions,
        verdict: report.verdict,
        problems,
        map: super::DocumentMap::of(doc, &covered),
    })
}

fn read_status(
    doc: &Document,
    status: usize,
    value: &impl Fn(usize, String) -> Value,
    out: &mut ResponseValues,
) {
    for (i, e) in doc.child_elements(status) {
        if e.is(PROTOCOL, "StatusCode") {
            let mut code = e.attr("Value").unwrap_or_default().to_owned();
            if let Some(second) = doc
                .child_elements(i)
                .find(|(_, c)| c.is(PROTOCOL, "StatusCode"))
                .and_then(|(_, c)| c.attr("Value"))
            {
                code = format!("{code} {second}");
            }
            out.status = Some(value(i, code));
        } else if e.is(PROTOCOL, "StatusMessage") {
            out.status_message = Some(value(i, doc.text(i).trim().to_owned()));
        }
    }
}

fn read_assertion(
    doc: &Document,
    node: usize,
    encrypted: bool,
    value: &impl Fn(usize, String) -> Value,
    signed: bool,
) -> AssertionValues {
    let mut out = AssertionValues {
        id: doc
            .element(node)
            .and_then(|e| e.attr("ID"))
            .map(str::to_owned),
        signed,
        encrypted,
        ..AssertionValues::default()
    };
    if encrypted {
        return out;
    }
    let text = |i: usize| value(i, doc.text(i).trim().to_owned());
    for (i, e) in doc.child_elements(node) {
        if e.is(SAML, "Issuer") {
            out.issuer = Some(text(i));
        } else if e.is(SAML, "Subject") {
            for (j, s) in doc.child_elements(i) {
                if s.is(SAML, "NameID") {
                    out.name_id = Some(text(j));
                    out.name_id_format = s.attr("Format").map(|f| value(j, f.to_owned()));
                } else if s.is(SAML, "SubjectConfirmation") {
                    for (k, d) in doc.child_elements(j) {
                        if d.is(SAML, "SubjectConfirmationData") {
                            out.recipient = d.attr("Recipient").map(|r| value(k, r.to_owned()));
                            out.confirmation_not_on_or_after =
                                d.attr("NotOnOrAfter").map(|t| value(k, t.to_owned()));
                        }
                    }
                }
            }
        } else if e.is(SAML, "Conditions") {
            out.not_before = e.attr("NotBefore").map(|t| value(i, t.to_owned()));
            out.not_on_or_after = e.attr("NotOnOrAfter").map(|t| value(i, t.to_owned()));
            for (j, r) in doc.child_elements(i) {
                if r.is(SAML, "AudienceRestriction") {
                    out.audiences.extend(
                        doc.child_elements(j)
                            .filter(|(_, a)| a.is(SAML, "Audience"))
                            .map(|(k, _)| text(k)),
                    );
                }
            }
        } else if e.is(SAML, "AttributeStatement") {
            for (j, a) in doc.child_elements(i) {
                if a.is(SAML, "Attribute") {
                    out.attributes.push(Attribute {
                        name: a.attr("Name").unwrap_or_default().to_owned(),
                        values: doc
                            .child_elements(j)
                            .filter(|(_, v)| v.is(SAML, "AttributeValue"))
                            .map(|(k, _)| doc.text(k).trim().to_owned())
                            .collect(),
                        signed: value(j, String::new()).signed,
                    });
                }
            }
        }
    }
    out
}

fn signature_problems(verdict: &Verdict, add: &mut impl FnMut(ProblemCode, Severity, String)) {
    match verdict {
        Verdict::Valid | Verdict::PartlyUnsigned => {}
        Verdict::Unsigned => add(
            ProblemCode::Unsigned,
            Severity::Error,
            "Nothing in this message is signed, so the SP must reject it. In JumpCloud's \
             connector set Sign to \"Response\" or \"Assertion and Response\" (Keeper SSO Connect \
             expects the response signed)."
                .to_owned(),
        ),
        Verdict::Altered | Verdict::BadSignatureValue => add(
            ProblemCode::SignatureInvalid,
            Severity::Error,
            format!(
                "The signature does not verify ({verdict}). The message was changed after \
                 JumpCloud signed it: capture it again, unmodified (copy the SAMLResponse value \
                 whole, not re-formatted)."
            ),
        ),
        Verdict::OtherSigner => add(
            ProblemCode::SignerMismatch,
            Severity::Error,
            "The message is signed by another key than the certificate it was checked against. \
             JumpCloud signs with the key uploaded to the connector: give the SP the metadata (or \
             certificate) made from that same pair, or upload the matching private.pem and \
             cert.pem to JumpCloud together."
                .to_owned(),
        ),
        Verdict::SignerNotAuthenticated => add(
            ProblemCode::SignerNotAuthenticated,
            Severity::Warning,
            "The signature is intact, but only against the certificate inside the message: \
             anyone can make such a signature. Check it against the IdP's certificate (or its \
             SHA-256 fingerprint, or the IdP metadata)."
                .to_owned(),
        ),
        Verdict::NotOnRoot | Verdict::Refused(_) => add(
            ProblemCode::Refused,
            Severity::Error,
            format!(
                "The signature's structure is refused ({verdict}). A message from JumpCloud never \
                 looks like this; if it was captured unmodified, report it."
            ),
        ),
    }
}

fn issuer_problem(
    issuer: &Value,
    expected: &Expectations,
    element: &str,
    add: &mut impl FnMut(ProblemCode, Severity, String),
) {
    let Some(want) = &expected.idp_entity_id else {
        return;
    };
    if !issuer.signed || &issuer.value == want {
        return;
    }
    let case = case_note(&issuer.value, want);
    add(
        ProblemCode::IssuerMismatch,
        Severity::Error,
        format!(
            "The {element}'s Issuer is {} but the IdP Entity ID is {want}.{case} Make them the \
             same: JumpCloud's IdP Entity ID and the one the SP has (in its IdP metadata).",
            issuer.value
        ),
    );
}

fn assertion_problems(
    a: &AssertionValues,
    expected: &Expectations,
    now: UnixTime,
    skew: i64,
    add: &mut impl FnMut(ProblemCode, Severity, String),
) {
    let id = a.id.as_deref().unwrap_or("without ID");
    if a.encrypted {
        add(
            ProblemCode::EncryptedAssertion,
            Severity::Warning,
            "The assertion is encrypted: its values can be read only with the SP's private key, \
             so they are not checked here. Turn encryption off in the connector while you debug, \
             or check with the SP's logs."
                .to_owned(),
        );
        return;
    }
    if !a.signed {
        // Nothing in it can pass a check, and nothing in it is worth a message of its own: the
        // `unsigned` problem says it all.
        return;
    }
    if let Some(issuer) = &a.issuer {
        issuer_problem(issuer, expected, "Assertion", add);
    }
    if let Some(want) = &expected.sp_entity_id {
        let signed: Vec<&Value> = a.audiences.iter().filter(|v| v.signed).collect();
        if !signed.is_empty() && !signed.iter().any(|v| &v.value == want) {
            let found: Vec<&str> = signed.iter().map(|v| v.value.as_str()).collect();
            add(
                ProblemCode::AudienceMismatch,
                Severity::Error,
                format!(
                    "Assertion {id} is for the audience {} but the SP Entity ID is {want}. Set \
                     the SP Entity ID in JumpCloud's connector to the SP's exactly.",
                    found.join(", ")
                ),
            );
        }
    }
    if let (Some(want), Some(recipient)) = (&expected.acs_url, &a.recipient)
        && recipient.signed
        && &recipient.value != want
    {
        add(
            ProblemCode::RecipientMismatch,
            Severity::Error,
            format!(
                "Assertion {id} names the Recipient {} but the ACS URL is {want}. Set the ACS URL \
                 in JumpCloud's connector to the SP's exactly.",
                recipient.value
            ),
        );
    }
    let time = |v: &Option<Value>| {
        v.as_ref()
            .filter(|v| v.signed)
            .and_then(|v| UnixTime::parse_rfc3339(&v.value))
    };
    if let Some(not_before) = time(&a.not_before)
        && now.seconds().saturating_add(skew) < not_before.seconds()
    {
        add(
            ProblemCode::NotYetValid,
            Severity::Error,
            format!(
                "Assertion {id} is valid only from {not_before}, {} seconds after the time it was \
                 checked at ({now}; {skew} s of clock difference allowed). The IdP's clock and \
                 this machine's (or the SP's) differ: check both.",
                not_before.seconds().saturating_sub(now.seconds())
            ),
        );
    }
    for (end, what) in [
        (time(&a.not_on_or_after), "Conditions"),
        (
            time(&a.confirmation_not_on_or_after),
            "SubjectConfirmationData",
        ),
    ] {
        if let Some(end) = end
            && now.seconds().saturating_sub(skew) >= end.seconds()
        {
            add(
                ProblemCode::Expired,
                Severity::Error,
                format!(
                    "Assertion {id} expired at {end} ({what} NotOnOrAfter), {} seconds before the \
                     time it was checked at ({now}; {skew} s of clock difference allowed). A \
                     captured login is valid for minutes: capture a fresh one, or give the time \
                     it was captured.",
                    now.seconds().saturating_sub(end.seconds())
                ),
            );
        }
    }
    if expected.keeper {
        keeper_problems(a, id, add);
    }
}

fn keeper_problems(
    a: &AssertionValues,
    id: &str,
    add: &mut impl FnMut(ProblemCode, Severity, String),
) {
    if let Some(name_id) = a.name_id.as_ref().filter(|v| v.signed) {
        let looks_like_email = name_id
            .value
            .split_once('@')
            .is_some_and(|(user, domain)| !user.is_empty() && domain.contains('.'));
        let format_is_email = a
            .name_id_format
            .as_ref()
            .is_some_and(|f| f.value == EMAIL_FORMAT);
        if !looks_like_email {
            add(
                ProblemCode::NameidNotEmail,
                Severity::Error,
                format!(
                    "Assertion {id}'s NameID is \"{}\", not an email address; Keeper matches \
                     users by email. In JumpCloud's connector, set SAMLSubject NameID to \
                     email.",
                    name_id.value
                ),
            );
        } else if !format_is_email {
            add(
                ProblemCode::NameidNotEmail,
                Severity::Warning,
                format!(
                    "Assertion {id}'s NameID is an email address, but its Format is not \
                     emailAddress ({EMAIL_FORMAT}). Set SAMLSubject NameID Format in JumpCloud's \
                     connector to emailAddress."
                ),
            );
        }
    }
    let signed: Vec<&Attribute> = a.attributes.iter().filter(|x| x.signed).collect();
    for (name, severity) in KEEPER_ATTRIBUTES {
        if signed.iter().any(|x| x.name == name) {
            continue;
        }
        let other_case = signed
            .iter()
            .find(|x| x.name.eq_ignore_ascii_case(name))
            .map(|x| x.name.as_str());
        let message = match other_case {
            Some(found) => format!(
                "Assertion {id} has the attribute \"{found}\" but Keeper reads \"{name}\": only \
                 the case differs, and attribute names are case-sensitive. Rename it in \
                 JumpCloud's connector (User Attributes, Service Provider Attribute Name)."
            ),
            None => format!(
                "Assertion {id} has no attribute \"{name}\", which Keeper reads. Add it in \
                 JumpCloud's connector (User Attributes: Service Provider Attribute Name \
                 \"{name}\")."
            ),
        };
        add(ProblemCode::AttributeMissing, severity, message);
    }
}

fn status_message(status: &str, message: Option<&Value>) -> String {
    let mut codes = status.split(' ');
    let top = codes.next().unwrap_or_default();
    let second = codes.next();
    let short = |uri: &str| uri.rsplit(':').next().unwrap_or(uri).to_owned();
    let meaning = match second.map(short).as_deref() {
        Some("AuthnFailed") => "the IdP could not authenticate the user",
        Some("RequestDenied") => {
            "the IdP refused the request (the user may not be assigned to the connector)"
        }
        Some("InvalidNameIDPolicy") => "the IdP cannot make the NameID format the SP asked for",
        Some("NoPassive") => {
            "the SP asked for a login without user interaction, which the IdP could not do"
        }
        Some("UnknownPrincipal") => "the IdP does not know the user",
        _ => match short(top).as_str() {
            "Requester" => "the IdP found a problem in the SP's request",
            "Responder" => "the IdP could not answer the request",
            "VersionMismatch" => "the IdP does not accept the request's SAML version",
            _ => "the login did not succeed",
        },
    };
    let detail = message
        .map(|m| format!(" It says: \"{}\".", m.value))
        .unwrap_or_default();
    format!(
        "The Response's status is {} ({meaning}).{detail} Check that the user is assigned to the \
         connector in JumpCloud and that the SP's request matches the connector's values.",
        second.map_or_else(|| short(top), short)
    )
}

/// A message could not be checked as a Response.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CheckError {
    /// The XML could not be read, or its signatures could not be checked at all.
    Verify(VerifyError),
    /// The root is something else.
    NotAResponse {
        /// The root element's name.
        found: String,
    },
    /// Not a SAML message checked here.
    UnknownKind {
        /// The root element's name.
        found: String,
    },
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Verify(e) => write!(f, "{e}"),
            Self::NotAResponse { found } => write!(
                f,
                "This is a <{found}>, not a SAML Response or Assertion. Capture the SAMLResponse \
                 sent to the ACS URL."
            ),
            Self::UnknownKind { found } => write!(
                f,
                "This is a <{found}>, not a SAML message checked here (a Response, an Assertion, \
                 an AuthnRequest, a LogoutRequest or a LogoutResponse)."
            ),
        }
    }
}

impl CheckError {
    /// A stable kebab-case code for the error, for scripts and tests (the verifier's own code
    /// for [`CheckError::Verify`]).
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Verify(e) => e.code(),
            Self::NotAResponse { .. } => "not-a-response",
            Self::UnknownKind { .. } => "unknown-kind",
        }
    }
}

impl std::error::Error for CheckError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Verify(e) => Some(e),
            Self::NotAResponse { .. } | Self::UnknownKind { .. } => None,
        }
    }
}
