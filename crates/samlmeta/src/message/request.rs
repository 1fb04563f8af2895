//! A captured AuthnRequest, LogoutRequest or LogoutResponse: what it asks, from whom, and whether
//! its signature holds, against the SP's certificate only (an SP signs these, never the IdP).
//!
//! An HTTP-Redirect binding signature is not in the XML: it covers the raw query string
//! (SAML 2.0 Bindings §3.4.4.1: `SAMLRequest=value&RelayState=value&SigAlg=value`, in that order,
//! as received). It is reported as present, not verified.

use crate::dsig::verify::{Options, Verdict, VerifyError, verify_document};
use crate::findings::Severity;
use crate::message::Decoded;
use crate::message::check::{
    CheckError, Expectations, Problem, ProblemCode, Problems, Value, any_error, case_note,
};
use crate::xml::names::{PROTOCOL, SAML};
use crate::xml::{Document, parse};

/// Which request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestKind {
    /// `samlp:AuthnRequest`: the SP asks the IdP to log the user in.
    AuthnRequest,
    /// `samlp:LogoutRequest`.
    LogoutRequest,
    /// `samlp:LogoutResponse`.
    LogoutResponse,
}

impl RequestKind {
    /// `authn-request`, `logout-request`, `logout-response`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::AuthnRequest => "authn-request",
            Self::LogoutRequest => "logout-request",
            Self::LogoutResponse => "logout-response",
        }
    }
}

/// The check of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestCheck {
    /// Which request.
    pub kind: RequestKind,
    /// `@ID`.
    pub id: Option<String>,
    /// `Issuer`: the SP's entity ID.
    pub issuer: Option<Value>,
    /// `@Destination`: where it was sent.
    pub destination: Option<Value>,
    /// `@AssertionConsumerServiceURL`: where the SP wants the Response (AuthnRequest).
    pub acs_url: Option<Value>,
    /// `NameIDPolicy/@Format` (AuthnRequest) or `NameID` (LogoutRequest).
    pub name_id: Option<Value>,
    /// `Status/StatusCode/@Value` (LogoutResponse).
    pub status: Option<Value>,
    /// The verifier's verdict on the XML signature (usually unsigned: JumpCloud does not ask for
    /// signed requests).
    pub verdict: Verdict,
    /// `SigAlg` of a Redirect-binding signature, when one came with the query.
    pub redirect_signature: Option<String>,
    /// The problems found, errors first.
    pub problems: Vec<Problem>,
    /// The document's elements, each marked signed (by an XML signature) or not.
    pub map: super::DocumentMap,
}

impl RequestCheck {
    /// True when any problem is an error.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        any_error(&self.problems)
    }
}

/// Checks a decoded request against `expected`; its XML signature, if any, against the signer
/// `options` names, which must be the SP's certificate.
///
/// # Errors
/// The XML cannot be read, or the message is not one of the [`RequestKind`]s.
pub fn check_request(
    decoded: &Decoded,
    options: &Options,
    expected: &Expectations,
) -> Result<RequestCheck, CheckError> {
    let doc = parse(&decoded.xml).map_err(|e| CheckError::Verify(VerifyError::Xml(e)))?;
    request_in(&doc, decoded, options, expected)
}

/// [`check_request`] on a parsed document.
pub(crate) fn request_in(
    doc: &Document,
    decoded: &Decoded,
    options: &Options,
    expected: &Expectations,
) -> Result<RequestCheck, CheckError> {
    let root = doc.root();
    let root_el = doc.element(root).ok_or(CheckError::UnknownKind {
        found: String::new(),
    })?;
    let kind = if root_el.is(PROTOCOL, "AuthnRequest") {
        RequestKind::AuthnRequest
    } else if root_el.is(PROTOCOL, "LogoutRequest") {
        RequestKind::LogoutRequest
    } else if root_el.is(PROTOCOL, "LogoutResponse") {
        RequestKind::LogoutResponse
    } else {
        return Err(CheckError::UnknownKind {
            found: root_el.qname(),
        });
    };
    let (report, covered) = verify_document(doc, options).map_err(CheckError::Verify)?;
    let signed = |node: usize| covered.iter().any(|&c| doc.is_within(node, c));
    let value = |node: usize, text: &str| Value {
        value: text.trim().to_owned(),
        signed: signed(node),
    };
    let mut out = RequestCheck {
        kind,
        id: root_el.attr("ID").map(str::to_owned),
        issuer: None,
        destination: root_el.attr("Destination").map(|d| value(root, d)),
        acs_url: root_el
            .attr("AssertionConsumerServiceURL")
            .map(|u| value(root, u)),
        name_id: None,
        status: None,
        verdict: report.verdict.clone(),
        redirect_signature: decoded
            .signature
            .as_ref()
            .map(|_| decoded.sig_alg.clone().unwrap_or_default()),
        problems: Vec::new(),
        map: super::DocumentMap::of(doc, &covered),
    };
    for (i, e) in doc.child_elements(root) {
        if e.is(SAML, "Issuer") {
            out.issuer = Some(value(i, &doc.text(i)));
        } else if e.is(PROTOCOL, "NameIDPolicy") {
            out.name_id = e.attr("Format").map(|f| value(i, f));
        } else if e.is(SAML, "NameID") {
            out.name_id = Some(value(i, &doc.text(i)));
        } else if e.is(PROTOCOL, "Status") {
            out.status = doc
                .child_elements(i)
                .find(|(_, c)| c.is(PROTOCOL, "StatusCode"))
                .and_then(|(j, c)| c.attr("Value").map(|v| value(j, v)));
        }
    }

    let mut problems = Problems::default();
    let mut add = |code, severity, message: String| problems.add(code, severity, message);
    match &report.verdict {
        Verdict::Valid | Verdict::Unsigned | Verdict::PartlyUnsigned => {}
        Verdict::SignerNotAuthenticated => add(
            ProblemCode::SignerNotAuthenticated,
            Severity::Warning,
            "The request's signature is intact, but only against the certificate inside it. \
             Check it against the SP's certificate (an SP signs requests, never the IdP)."
                .to_owned(),
        ),
        Verdict::OtherSigner => add(
            ProblemCode::SignerMismatch,
            Severity::Error,
            "The request is signed by another key than the SP certificate it was checked \
             against. Give the IdP the SP's current certificate (from the SP's metadata)."
                .to_owned(),
        ),
        Verdict::Altered | Verdict::BadSignatureValue => add(
            ProblemCode::SignatureInvalid,
            Severity::Error,
            format!(
                "The request's signature does not verify ({}). It was changed after the SP \
                 signed it: capture it again, unmodified.",
                report.verdict
            ),
        ),
        Verdict::NotOnRoot | Verdict::Refused(_) => add(
            ProblemCode::Refused,
            Severity::Error,
            format!(
                "The request's signature structure is refused ({}).",
                report.verdict
            ),
        ),
    }
    if let (Some(want), Some(issuer)) = (&expected.sp_entity_id, &out.issuer)
        && &issuer.value != want
    {
        let case = case_note(&issuer.value, want);
        add(
            ProblemCode::IssuerMismatch,
            Severity::Error,
            format!(
                "The request's Issuer is {} but the SP Entity ID is {want}.{case} JumpCloud's \
                 connector must name the SP exactly as the SP names itself.",
                issuer.value
            ),
        );
    }
    if let (Some(want), Some(asked)) = (&expected.acs_url, &out.acs_url)
        && &asked.value != want
    {
        add(
            ProblemCode::AcsUrlMismatch,
            Severity::Error,
            format!(
                "The SP asks for the Response at {} but the connector's ACS URL is {want}. Set \
                 the ACS URL in JumpCloud's connector to the SP's.",
                asked.value
            ),
        );
    }
    if let (Some(want), Some(sent_to)) = (&expected.idp_sso_url, &out.destination)
        && kind == RequestKind::AuthnRequest
        && &sent_to.value != want
    {
        add(
            ProblemCode::DestinationMismatch,
            Severity::Error,
            format!(
                "The request was sent to {} but the IdP's SSO URL is {want}. Give the SP the IdP \
                 metadata the builder makes (or correct the IdP URL it has).",
                sent_to.value
            ),
        );
    }
    out.problems = problems.finish(&out.verdict);
    Ok(out)
}
