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
pub use request::{RequestCheck, RequestKind, check_request};
