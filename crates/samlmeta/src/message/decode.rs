//! From whatever the admin copied to the message's XML.
//!
//! The encodings are the bindings' (SAML 2.0 Bindings, saml-bindings-2.0-os):
//! - HTTP POST (§3.5.4): "the SAML protocol message is encoded ... with base64 ... and placed in a
//!   hidden form control ... named SAMLRequest or SAMLResponse", so a captured form field is base64
//!   (browsers' tools show it with or without line breaks, URL-encoded or not), and a captured
//!   request body is a form: `SAMLResponse=...&RelayState=...`.
//! - HTTP Redirect, DEFLATE encoding (§3.4.4.1): the message is "compressed using the DEFLATE
//!   compression method", "base64-encoded", "URL-encoded, and placed in the URL as a query string
//!   parameter named SAMLRequest or SAMLResponse", beside `RelayState`, `SigAlg` and `Signature`.
//!   Some implementations wrap the DEFLATE data in zlib's header (RFC 1950); that is read too.
//!
//! Caps: the input at most [`MAX_MESSAGE_BYTES`]; the inflated message at most
//! [`MAX_INFLATED_BYTES`] and at most [`MAX_INFLATE_RATIO`] times its compressed size, enforced
//! while inflating (the output buffer never grows past the cap), so a few kilobytes cannot expand
//! into gigabytes.

use core::fmt;

/// The largest input read: 10 MB.
pub const MAX_MESSAGE_BYTES: usize = 10_000_000;

/// The largest message a DEFLATE-encoded input may inflate to: 10 MB.
pub const MAX_INFLATED_BYTES: usize = 10_000_000;

/// How many times its compressed size a DEFLATE-encoded message may inflate to. SAML messages
/// compress about 3 to 10 times; a "DEFLATE bomb" thousands of times.
pub const MAX_INFLATE_RATIO: usize = 100;

/// How the input was encoded: the outermost form recognized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// The XML itself.
    Xml,
    /// Base64 of the XML (a POST binding form field), with or without line breaks.
    Base64,
    /// A form body: `SAMLResponse=...&RelayState=...`.
    Form,
    /// A URL-encoded value (`%2B`, `%3D`, ...) of base64.
    UrlEncoded,
    /// The HTTP-Redirect binding's value: DEFLATE, base64, possibly URL-encoded.
    RedirectDeflate,
    /// A whole URL whose query holds `SAMLRequest` or `SAMLResponse`.
    Url,
}

impl Encoding {
    /// Every encoding, in declaration order.
    pub const ALL: [Self; 6] = [
        Self::Xml,
        Self::Base64,
        Self::Form,
        Self::UrlEncoded,
        Self::RedirectDeflate,
        Self::Url,
    ];

    /// The stable name: `xml`, `base64`, `form`, `url-encoded`, `redirect-deflate`, `url`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Xml => "xml",
            Self::Base64 => "base64",
            Self::Form => "form",
            Self::UrlEncoded => "url-encoded",
            Self::RedirectDeflate => "redirect-deflate",
            Self::Url => "url",
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The form or query parameter that carried the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Parameter {
    /// `SAMLRequest`: an AuthnRequest or a LogoutRequest.
    SamlRequest,
    /// `SAMLResponse`: a Response or a LogoutResponse.
    SamlResponse,
}

impl Parameter {
    /// Its name in the form or query.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::SamlRequest => "SAMLRequest",
            Self::SamlResponse => "SAMLResponse",
        }
    }
}

/// A decoded message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The message's XML, as it was signed.
    pub xml: Vec<u8>,
    /// How the input was encoded.
    pub encoding: Encoding,
    /// The parameter that carried it, when the input was a form or a URL.
    pub parameter: Option<Parameter>,
    /// Whether it was DEFLATE-compressed (the Redirect binding).
    pub deflated: bool,
    /// `RelayState`, decoded.
    pub relay_state: Option<String>,
    /// `SigAlg`, decoded: the Redirect binding's signature algorithm.
    pub sig_alg: Option<String>,
    /// `Signature`, as base64: the Redirect binding's signature over the query string.
    pub signature: Option<String>,
    /// The query string or form body as received, still URL-encoded: the Redirect binding's
    /// signature covers these very bytes (§3.4.4.1).
    pub query: Option<String>,
}

impl Decoded {
    fn new(xml: Vec<u8>, encoding: Encoding, deflated: bool) -> Self {
        Self {
            xml,
            encoding,
            parameter: None,
            deflated,
            relay_state: None,
            sig_alg: None,
            signature: None,
            query: None,
        }
    }
}

/// Decodes `input`: XML, base64, a form body, a URL-encoded value, the Redirect binding's DEFLATE
/// encoding, or a whole URL.
///
/// # Errors
/// Empty, too large, not any of the encodings, or a DEFLATE stream that would inflate past the caps.
pub fn decode(input: &[u8]) -> Result<Decoded, DecodeError> {
    if input.len() > MAX_MESSAGE_BYTES {
        return Err(DecodeError::TooLarge { bytes: input.len() });
    }
    let text = trim(input.strip_prefix(&b"\xEF\xBB\xBF"[..]).unwrap_or(input));
    if text.is_empty() {
        return Err(DecodeError::Empty);
    }
    if text.first() == Some(&b'<') {
        return Ok(Decoded::new(text.to_vec(), Encoding::Xml, false));
    }
    let text = core::str::from_utf8(text).map_err(|_| DecodeError::NotText)?;
    if let Some(rest) = strip_prefix_ignore_case(text, "https://")
        .or_else(|| strip_prefix_ignore_case(text, "http://"))
    {
        let without_fragment = rest.split('#').next().unwrap_or_default();
        let query = without_fragment
            .split_once('?')
            .map(|(_, q)| q)
            .ok_or(DecodeError::NoMessage)?;
        return from_pairs(query, Encoding::Url);
    }
    let is_form = text.split('&').any(|pair| {
        let key = pair.split('=').next().unwrap_or_default();
        key == Parameter::SamlRequest.as_str() || key == Parameter::SamlResponse.as_str()
    });
    if is_form {
        return from_pairs(text, Encoding::Form);
    }
    let (value, encoding) = if text.contains('%') {
        (percent_decode(text, false)?, Encoding::UrlEncoded)
    } else {
        (text.to_owned(), Encoding::Base64)
    };
    let (xml, deflated) = unpack(&value)?;
    let encoding = if deflated {
        Encoding::RedirectDeflate
    } else {
        encoding
    };
    Ok(Decoded::new(xml, encoding, deflated))
}

/// A form body or query string: the message from `SAMLRequest` or `SAMLResponse`, and the
/// parameters beside it.
fn from_pairs(query: &str, encoding: Encoding) -> Result<Decoded, DecodeError> {
    let mut message = None;
    let (mut relay_state, mut sig_alg, mut signature) = (None, None, None);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decode(value, true)?;
        match percent_decode(key, true)?.as_str() {
            "SAMLRequest" | "SAMLResponse" if message.is_some() => {
                return Err(DecodeError::TwoMessages);
            }
            "SAMLRequest" => message = Some((Parameter::SamlRequest, value)),
            "SAMLResponse" => message = Some((Parameter::SamlResponse, value)),
            "RelayState" => relay_state = Some(value),
            "SigAlg" => sig_alg = Some(value),
            "Signature" => signature = Some(value),
            _ => {}
        }
    }
    let (parameter, value) = message.ok_or(DecodeError::NoMessage)?;
    let (xml, deflated) = unpack(&value)?;
    Ok(Decoded {
        xml,
        encoding,
        parameter: Some(parameter),
        deflated,
        relay_state,
        sig_alg,
        signature,
        query: Some(query.to_owned()),
    })
}

/// Base64, then the XML or the DEFLATE stream it holds: (xml, whether it was deflated).
fn unpack(value: &str) -> Result<(Vec<u8>, bool), DecodeError> {
    let bytes = base64(value)?;
    if trim(&bytes).first() == Some(&b'<') {
        return Ok((bytes, false));
    }
    let limit = MAX_INFLATED_BYTES.min(bytes.len().saturating_mul(MAX_INFLATE_RATIO));
    let inflated = inflate(&bytes, limit, false).or_else(|first| match first {
        DecodeError::InflatedTooLarge { .. } => Err(first),
        _ => inflate(&bytes, limit, true),
    })?;
    let start = inflated
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(inflated.len());
    if inflated
        .get(start..)
        .is_some_and(|rest| rest.starts_with(b"<"))
    {
        Ok((inflated, true))
    } else {
        Err(DecodeError::NotXml)
    }
}

fn inflate(bytes: &[u8], limit: usize, zlib: bool) -> Result<Vec<u8>, DecodeError> {
    use miniz_oxide::inflate::{
        TINFLStatus, decompress_to_vec_with_limit, decompress_to_vec_zlib_with_limit,
    };
    let result = if zlib {
        decompress_to_vec_zlib_with_limit(bytes, limit)
    } else {
        decompress_to_vec_with_limit(bytes, limit)
    };
    result.map_err(|e| {
        if e.status == TINFLStatus::HasMoreOutput {
            DecodeError::InflatedTooLarge {
                compressed: bytes.len(),
                limit,
            }
        } else {
            DecodeError::NotXml
        }
    })
}

/// Base64 as captured: line breaks and tabs dropped, spaces read as `+` (a form decoder turned
/// them into spaces), missing `=` padding restored.
fn base64(value: &str) -> Result<Vec<u8>, DecodeError> {
    let mut clean: String = value
        .chars()
        .filter(|c| !matches!(c, '\r' | '\n' | '\t'))
        .map(|c| if c == ' ' { '+' } else { c })
        .collect();
    while !clean.len().is_multiple_of(4) {
        clean.push('=');
    }
    <base64ct::Base64 as base64ct::Encoding>::decode_vec(&clean).map_err(|_| DecodeError::NotBase64)
}

/// `%XX` decoded (and `+` as a space in forms and queries); the result must be UTF-8.
fn percent_decode(text: &str, plus_is_space: bool) -> Result<String, DecodeError> {
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'%' => {
                let hex = |d: Option<u8>| d.and_then(|d| char::from(d).to_digit(16));
                match (hex(bytes.next()), hex(bytes.next())) {
                    (Some(hi), Some(lo)) => out.push(u8::try_from(hi * 16 + lo).unwrap_or(0)),
                    _ => return Err(DecodeError::PercentEncoding),
                }
            }
            b'+' if plus_is_space => out.push(b' '),
            other => out.push(other),
        }
    }
    String::from_utf8(out).map_err(|_| DecodeError::PercentEncoding)
}

fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |i| i + 1);
    bytes.get(start..end).unwrap_or_default()
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        text.get(prefix.len()..)
    } else {
        None
    }
}

/// A captured message could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// Nothing but whitespace.
    Empty,
    /// Larger than [`MAX_MESSAGE_BYTES`].
    TooLarge {
        /// Its size.
        bytes: usize,
    },
    /// Neither XML nor text.
    NotText,
    /// A URL or form without `SAMLRequest` or `SAMLResponse`.
    NoMessage,
    /// A URL or form with more than one message.
    TwoMessages,
    /// A `%` not followed by two hexadecimal digits, or URL-encoding that is not UTF-8.
    PercentEncoding,
    /// Not base64.
    NotBase64,
    /// Base64 of something that is neither XML nor a DEFLATE stream of XML.
    NotXml,
    /// The DEFLATE stream would inflate past the caps; inflating stopped there.
    InflatedTooLarge {
        /// The compressed size.
        compressed: usize,
        /// The cap that applied: [`MAX_INFLATED_BYTES`], or [`MAX_INFLATE_RATIO`] times the
        /// compressed size.
        limit: usize,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str(
                "There is nothing to check. Paste the SAMLResponse (or SAMLRequest) value, the \
                 whole request body, the whole URL, or the XML.",
            ),
            Self::TooLarge { bytes } => write!(
                f,
                "This input is {bytes} bytes; at most {MAX_MESSAGE_BYTES} are read. A SAML message \
                 is a few kilobytes: copy only the SAMLResponse (or SAMLRequest) value."
            ),
            Self::NotText => f.write_str(
                "This is neither XML nor text (base64, a form body or a URL). Copy the \
                 SAMLResponse value again as text.",
            ),
            Self::NoMessage => f.write_str(
                "This URL or form has no SAMLRequest or SAMLResponse parameter. Copy the request \
                 that carries the SAML message (to the ACS URL or the IdP's SSO URL).",
            ),
            Self::TwoMessages => f.write_str(
                "This URL or form carries more than one SAMLRequest or SAMLResponse; a SAML \
                 binding sends exactly one. Copy the message itself.",
            ),
            Self::PercentEncoding => f.write_str(
                "The URL-encoding is damaged (a % not followed by two hexadecimal digits). Copy \
                 the value again, whole.",
            ),
            Self::NotBase64 => f.write_str(
                "This is not base64, XML, a form body or a URL. Copy the SAMLResponse (or \
                 SAMLRequest) value again, whole: a value cut short is the most common cause.",
            ),
            Self::NotXml => f.write_str(
                "The base64 decodes, but to neither XML nor DEFLATE-compressed XML. Copy the \
                 SAMLResponse (or SAMLRequest) value again, whole.",
            ),
            Self::InflatedTooLarge { compressed, limit } => write!(
                f,
                "This DEFLATE-compressed message of {compressed} bytes would inflate to more than \
                 {limit} bytes (at most {MAX_INFLATED_BYTES}, and at most {MAX_INFLATE_RATIO} times \
                 its compressed size). Real SAML messages are far smaller; it is refused without \
                 inflating further."
            ),
        }
    }
}

impl DecodeError {
    /// A stable kebab-case code for the error, for scripts and tests.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::TooLarge { .. } => "too-large",
            Self::NotText => "not-text",
            Self::NoMessage => "no-message",
            Self::TwoMessages => "two-messages",
            Self::PercentEncoding => "percent-encoding",
            Self::NotBase64 => "not-base64",
            Self::NotXml => "not-xml",
            Self::InflatedTooLarge { .. } => "inflated-too-large",
        }
    }
}

impl std::error::Error for DecodeError {}
