//! SAML protocol messages as an admin captures them: decoding ([`decode`]) from whatever was
//! copied (the XML, the base64 of a `SAMLResponse` form field, a whole form body, a URL-encoded
//! value, the HTTP-Redirect binding's DEFLATE encoding, or a whole URL), within caps that keep a
//! small input from expanding without bound; and a Response checked ([`check_response`]): what
//! is signed, the values read from the signed nodes, and each problem with what to change;
//! AuthnRequests and logout messages ([`check_request`]) against the SP's side of the connector;
//! any metadata ([`check_metadata`]) read and compared with the connector.

mod check;
mod decode;
mod entities;
mod map;
mod request;

pub use check::{
    AssertionValues, Attribute, CheckError, DEFAULT_SKEW_SECONDS, Expectations, Problem,
    ProblemCode, ResponseCheck, ResponseValues, Value, check_response,
};
pub use decode::{
    DecodeError, Decoded, Encoding, MAX_INFLATE_RATIO, MAX_INFLATED_BYTES, MAX_MESSAGE_BYTES,
    Parameter, decode,
};
pub use entities::{CertificateInfo, Endpoint, EntityInfo, MetadataCheck, check_metadata};
pub use map::{DocumentMap, MAP_DEPTH, MAP_ENTRIES, MapEntry};
pub use request::{RequestCheck, RequestKind, check_request};

use crate::dsig::verify::{Options, Trust, Verdict};
use crate::time::UnixTime;
use crate::xml::names::{MD, PROTOCOL, SAML};

/// What [`check`] found the input to be, and its check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked {
    /// A Response or a bare Assertion.
    Response(ResponseCheck),
    /// An AuthnRequest, LogoutRequest or LogoutResponse.
    Request(RequestCheck),
    /// An EntityDescriptor or EntitiesDescriptor.
    Metadata(MetadataCheck),
}

impl Checked {
    /// The problems, errors first.
    #[must_use]
    pub fn problems(&self) -> &[Problem] {
        match self {
            Self::Response(c) => &c.problems,
            Self::Request(c) => &c.problems,
            Self::Metadata(c) => &c.problems,
        }
    }

    /// The map of the document: what a good signature covers.
    #[must_use]
    pub fn map(&self) -> &DocumentMap {
        match self {
            Self::Response(c) => &c.map,
            Self::Request(c) => &c.map,
            Self::Metadata(c) => &c.map,
        }
    }

    /// The verifier's verdict.
    #[must_use]
    pub fn verdict(&self) -> &Verdict {
        match self {
            Self::Response(c) => &c.verdict,
            Self::Request(c) => &c.verdict,
            Self::Metadata(c) => &c.verdict,
        }
    }
}

/// Checks whatever `decoded` holds, parsing it once: a Response or Assertion
/// ([`check_response`]), a request ([`check_request`]) or metadata ([`check_metadata`]).
///
/// A request is signed by the SP: it is checked against `options` only when they name one
/// certificate or fingerprint (the SP's); an IdP's metadata certificates ([`Trust::AnyOf`]) never
/// vouch for it.
///
/// # Errors
/// The XML cannot be read, or it is none of these.
pub fn check(
    decoded: &Decoded,
    options: &Options,
    expected: &Expectations,
    now: UnixTime,
    skew: i64,
) -> Result<Checked, CheckError> {
    let doc = crate::xml::parse(&decoded.xml)
        .map_err(|e| CheckError::Verify(crate::dsig::verify::VerifyError::Xml(e)))?;
    let root = doc.element(doc.root()).ok_or(CheckError::UnknownKind {
        found: String::new(),
    })?;
    if root.is(PROTOCOL, "Response") || root.is(SAML, "Assertion") {
        check::response_in(&doc, options, expected, now, skew).map(Checked::Response)
    } else if ["AuthnRequest", "LogoutRequest", "LogoutResponse"]
        .iter()
        .any(|kind| root.is(PROTOCOL, kind))
    {
        let sp_options = match options.trust {
            Trust::AnyOf(_) => Options {
                trust: Trust::Embedded,
                allow_sha1: options.allow_sha1,
            },
            _ => options.clone(),
        };
        request::request_in(&doc, decoded, &sp_options, expected).map(Checked::Request)
    } else if root.is(MD, "EntityDescriptor") || root.is(MD, "EntitiesDescriptor") {
        entities::metadata_in(&doc, options, expected, now).map(Checked::Metadata)
    } else {
        Err(CheckError::UnknownKind {
            found: root.qname(),
        })
    }
}
