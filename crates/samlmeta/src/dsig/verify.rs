//! XML-DSig verification of SAML metadata and SAML protocol messages, built to report exactly
//! what is signed and by whom (W3C XML Signature 1.1; SAML 2.0 core §5, metadata §3).
//!
//! Most XML-signature attacks ("signature wrapping") work on verifiers that check *a* signature
//! somewhere in a document and then trust the *document*. This verifier only accepts the shape
//! SAML prescribes (SAML core §5.4):
//!
//! - every `ds:Signature` is a child of the element it signs, and has exactly one `Reference`
//!   whose `URI` is `#` + that element's `ID`;
//! - the only transforms are enveloped-signature and exclusive C14N (optionally with an
//!   InclusiveNamespaces PrefixList), and the canonicalization method is exclusive C14N;
//! - no `ds:Object`, no duplicate IDs, no DOCTYPE, at most [`MAX_DOCUMENT_BYTES`];
//! - SHA-1 (as digest or in RSA-SHA1) only when explicitly allowed.
//!
//! Metadata (`md:EntityDescriptor`, `md:EntitiesDescriptor`) must carry exactly one signature,
//! on the root. Other documents (a `samlp:Response`, a bare `saml:Assertion`, …) may carry one
//! signature on the root and one on each `saml:Assertion`; the [`Report`] lists which elements
//! are covered, and any assertion left uncovered makes the verdict [`Verdict::PartlyUnsigned`].

use crate::digest::Fingerprint;
use crate::pki::cert::Certificate;
use crate::xml::c14n::write_exclusive;
use crate::xml::{Document, Element, Node, XmlError, parse};
use base64ct::{Base64, Encoding};
use core::fmt;
use rsa::PublicKey;
use spki::DecodePublicKey;

/// The largest document accepted: 100 MB.
pub const MAX_DOCUMENT_BYTES: usize = 100 * 1024 * 1024;

pub use super::algorithms::{DigestAlgorithm, SignatureAlgorithm};
use crate::xml::names::{DS, ENVELOPED, EXC_C14N, MD, SAML};

/// Whom to trust as the signer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trust {
    /// Only the certificate embedded in the signature: proves the document is intact, not who
    /// signed it ([`Verdict::SignerNotAuthenticated`]).
    Embedded,
    /// This certificate's key must have made every signature.
    Certificate(Box<Certificate>),
    /// The embedded certificate with this SHA-256 fingerprint must have made every signature.
    Fingerprint(Fingerprint),
    /// Any of these certificates' keys may have made each signature: an IdP's signing
    /// certificates during a rollover, as its metadata lists them.
    AnyOf(Vec<Certificate>),
}

/// How to verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Whom to trust.
    pub trust: Trust,
    /// Accept SHA-1 digests and RSA-SHA1 signatures (off by default: SHA-1 is broken).
    pub allow_sha1: bool,
}

impl Options {
    /// Trust `trust`, SHA-1 refused.
    pub fn new(trust: Trust) -> Self {
        Self {
            trust,
            allow_sha1: false,
        }
    }
}

/// The document could not be checked at all.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// Larger than [`MAX_DOCUMENT_BYTES`].
    TooLarge {
        /// Its size.
        bytes: usize,
    },
    /// Not XML we read (includes DOCTYPE refusal).
    Xml(XmlError),
    /// Two elements carry the same ID: which one a signature covers would be ambiguous.
    DuplicateId {
        /// The ID.
        id: String,
    },
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge { bytes } => write!(
                f,
                "The file is {bytes} bytes; documents over {MAX_DOCUMENT_BYTES} bytes (100 MB) are refused."
            ),
            Self::Xml(e) => e.fmt(f),
            Self::DuplicateId { id } => write!(
                f,
                "Two elements have the ID \"{id}\". A signature over one of them could be made to \
                 look like it covers the other (signature wrapping), so the document is refused."
            ),
        }
    }
}

impl VerifyError {
    /// A stable kebab-case code for the error, for scripts and tests (an XML error's own code
    /// for [`VerifyError::Xml`]).
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "too-large",
            Self::Xml(e) => e.code(),
            Self::DuplicateId { .. } => "duplicate-id",
        }
    }
}

impl std::error::Error for VerifyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Xml(e) => Some(e),
            _ => None,
        }
    }
}

/// An element named in a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElementRef {
    /// Its qualified name as written, e.g. `md:EntityDescriptor`.
    pub name: String,
    /// Its `ID`, if it has one.
    pub id: Option<String>,
    /// 1-based line of its start tag.
    pub line: usize,
}

impl ElementRef {
    fn of(e: &Element) -> Self {
        Self {
            name: e.qname(),
            id: e.attr("ID").map(str::to_owned),
            line: e.line,
        }
    }
}

impl fmt::Display for ElementRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.id {
            Some(id) => write!(f, "<{}> ID=\"{id}\" (line {})", self.name, self.line),
            None => write!(f, "<{}> (line {})", self.name, self.line),
        }
    }
}

/// The certificate a signature was checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    /// Its subject, RFC 4514.
    pub subject: String,
    /// Its SHA-256 fingerprint.
    pub fingerprint: Fingerprint,
    /// Whether it was supplied by the caller (directly or by fingerprint) rather than only
    /// taken from the document.
    pub trusted: bool,
}

/// Why a signature was refused without computing anything.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// The signature is not a child of the element its Reference points at.
    NotOnSignedElement,
    /// A metadata signature is not on the root element.
    NotOnRoot,
    /// More than one signature where one is allowed.
    MultipleSignatures {
        /// How many were found.
        count: usize,
    },
    /// A signature on an element SAML does not sign.
    UnexpectedSignedElement {
        /// The element's name.
        name: String,
    },
    /// `ds:Object` present.
    Object,
    /// Not exactly one Reference.
    ReferenceCount {
        /// How many.
        count: usize,
    },
    /// A Reference URI that is not `#` + the parent's ID.
    ReferenceUri {
        /// The URI.
        uri: String,
    },
    /// A transform other than enveloped-signature and exclusive C14N, or a missing one.
    Transforms {
        /// What was found, in order.
        found: Vec<String>,
    },
    /// A canonicalization method other than exclusive C14N.
    Canonicalization {
        /// The algorithm URI.
        algorithm: String,
    },
    /// An unknown or unsupported signature algorithm.
    SignatureAlgorithm {
        /// The algorithm URI.
        algorithm: String,
    },
    /// An unknown or unsupported digest algorithm.
    DigestAlgorithm {
        /// The algorithm URI.
        algorithm: String,
    },
    /// SHA-1 used and not allowed.
    Sha1,
    /// The Signature element is missing a part or has an unexpected one.
    Malformed {
        /// What.
        detail: String,
    },
    /// No certificate to check with: none embedded, none supplied.
    NoCertificate,
    /// The supplied fingerprint matches no embedded certificate.
    FingerprintNotFound,
    /// The certificate's key is not RSA.
    NotRsa {
        /// What it is.
        key: String,
    },
    /// A comment or processing instruction inside the `ds:Signature`. Canonicalization drops
    /// comments, so one inside `DigestValue` or `SignatureValue` lets a value be read two ways
    /// (xml-crypto, CVE-2025-29775); real signers never write one.
    CommentInSignature {
        /// The element it is in.
        element: String,
    },
}

impl Refusal {
    /// A stable kebab-case code for the refusal, for scripts and tests.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::NotOnSignedElement => "not-on-signed-element",
            Self::NotOnRoot => "not-on-root",
            Self::MultipleSignatures { .. } => "multiple-signatures",
            Self::UnexpectedSignedElement { .. } => "unexpected-signed-element",
            Self::Object => "object",
            Self::ReferenceCount { .. } => "reference-count",
            Self::ReferenceUri { .. } => "reference-uri",
            Self::Transforms { .. } => "transforms",
            Self::Canonicalization { .. } => "canonicalization",
            Self::SignatureAlgorithm { .. } => "signature-algorithm",
            Self::DigestAlgorithm { .. } => "digest-algorithm",
            Self::Sha1 => "sha1",
            Self::Malformed { .. } => "malformed",
            Self::NoCertificate => "no-certificate",
            Self::FingerprintNotFound => "fingerprint-not-found",
            Self::NotRsa { .. } => "not-rsa",
            Self::CommentInSignature { .. } => "comment-in-signature",
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotOnSignedElement => f.write_str(
                "the signature is not inside the element it signs (SAML requires it to be a child \
                 of that element); this is how signature-wrapping attacks look",
            ),
            Self::NotOnRoot => f.write_str(
                "the signature does not cover the document root: metadata must be signed on its \
                 root element",
            ),
            Self::MultipleSignatures { count } => write!(
                f,
                "metadata must carry exactly one signature, on its root; this document has {count}"
            ),
            Self::UnexpectedSignedElement { name } => write!(
                f,
                "a signature on <{name}>: SAML signs only the message (the root) and assertions"
            ),
            Self::Object => f.write_str(
                "the signature contains a ds:Object, which SAML never uses and wrapping attacks do",
            ),
            Self::ReferenceCount { count } => write!(
                f,
                "the signature has {count} References; SAML requires exactly one"
            ),
            Self::ReferenceUri { uri } => write!(
                f,
                "the signature's Reference URI \"{uri}\" is not \"#\" followed by the signed \
                 element's ID"
            ),
            Self::Transforms { found } => write!(
                f,
                "the signature's transforms are [{}]; only enveloped-signature followed by \
                 exclusive canonicalization is accepted",
                found.join(", ")
            ),
            Self::Canonicalization { algorithm } => write!(
                f,
                "canonicalization method {algorithm} is not accepted; only exclusive C14N \
                 ({EXC_C14N})"
            ),
            Self::SignatureAlgorithm { algorithm } => write!(
                f,
                "signature algorithm {algorithm} is not supported (RSA-SHA256, -SHA384, -SHA512 are)"
            ),
            Self::DigestAlgorithm { algorithm } => write!(
                f,
                "digest algorithm {algorithm} is not supported (SHA-256, -384, -512 are)"
            ),
            Self::Sha1 => f.write_str(
                "the signature uses SHA-1, which is broken; it is refused unless SHA-1 is explicitly \
                 allowed",
            ),
            Self::Malformed { detail } => write!(f, "the signature is malformed: {detail}"),
            Self::NoCertificate => f.write_str(
                "the signature carries no X.509 certificate and none was supplied; give the \
                 signer's certificate",
            ),
            Self::FingerprintNotFound => f.write_str(
                "no certificate in the signature has the SHA-256 fingerprint given",
            ),
            Self::NotRsa { key } => write!(
                f,
                "the signer's key is {key}; only RSA signatures are supported"
            ),
            Self::CommentInSignature { element } => write!(
                f,
                "the signature has a comment or processing instruction inside <{element}>; \
                 signers never write one, and it can make a signed value read two ways"
            ),
        }
    }
}

/// What was found for one signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Intact, and made by the trusted certificate's key.
    Valid,
    /// Intact and consistent with the embedded certificate, but no certificate was supplied,
    /// so anyone could have made it.
    SignerNotAuthenticated,
    /// The signed content changed after signing (the digest does not match).
    Altered,
    /// The signature was not made with the trusted key (it may verify with `actual`).
    OtherSigner {
        /// The embedded certificate that does verify it, if any.
        actual: Option<Signer>,
    },
    /// The signature value matches no certificate at hand: SignedInfo was changed or the
    /// embedded certificate swapped.
    BadSignatureValue,
    /// Refused without checking.
    Refused(Refusal),
}

impl Outcome {
    fn is_good(&self) -> bool {
        matches!(self, Self::Valid | Self::SignerNotAuthenticated)
    }

    /// A stable kebab-case code for the outcome, for scripts and tests.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::SignerNotAuthenticated => "signer-not-authenticated",
            Self::Altered => "altered",
            Self::OtherSigner { .. } => "other-signer",
            Self::BadSignatureValue => "bad-signature-value",
            Self::Refused(_) => "refused",
        }
    }
}

/// One signature and what it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureCheck {
    /// Where the `ds:Signature` is.
    pub at: ElementRef,
    /// The element it covers (its parent), when its Reference agrees.
    pub covers: Option<ElementRef>,
    /// The signature algorithm, when known.
    pub algorithm: Option<SignatureAlgorithm>,
    /// The digest algorithm, when known.
    pub digest: Option<DigestAlgorithm>,
    /// The certificate it was checked against.
    pub signer: Option<Signer>,
    /// The result.
    pub outcome: Outcome,
}

/// The verdict on a whole document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every signature is intact and made by the trusted certificate; the report says what is
    /// covered.
    Valid,
    /// Intact, but only the embedded certificate was available: the signer is not authenticated.
    SignerNotAuthenticated,
    /// Content changed after signing.
    Altered,
    /// Signed by another key than the trusted one.
    OtherSigner,
    /// The signature value is wrong.
    BadSignatureValue,
    /// The signature does not cover the document root (metadata).
    NotOnRoot,
    /// Refused: the reason.
    Refused(Refusal),
    /// No signature at all.
    Unsigned,
    /// Signatures are valid, but some assertions are covered by none.
    PartlyUnsigned,
}

impl Verdict {
    /// Whether the document can be relied on: every signature valid, signer authenticated.
    pub fn is_valid(&self) -> bool {
        *self == Self::Valid
    }

    /// A stable kebab-case code for the verdict, for scripts and tests.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::SignerNotAuthenticated => "signer-not-authenticated",
            Self::Altered => "altered",
            Self::OtherSigner => "other-signer",
            Self::BadSignatureValue => "bad-signature-value",
            Self::NotOnRoot => "not-on-root",
            Self::Refused(_) => "refused",
            Self::Unsigned => "unsigned",
            Self::PartlyUnsigned => "partly-unsigned",
        }
    }

    /// The refusal's code ([`Refusal::code`]) when the document was refused, `not-on-root` for
    /// [`Verdict::NotOnRoot`], `None` otherwise.
    #[must_use]
    pub const fn refusal_code(&self) -> Option<&'static str> {
        match self {
            Self::Refused(r) => Some(r.code()),
            Self::NotOnRoot => Some(Refusal::NotOnRoot.code()),
            _ => None,
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Valid => f.write_str("valid: intact and signed by the trusted certificate"),
            Self::SignerNotAuthenticated => f.write_str(
                "intact, but the signer is not authenticated: only the certificate embedded in the \
                 document was available; give the expected certificate or fingerprint",
            ),
            Self::Altered => f.write_str(
                "invalid: the content changed after it was signed (the digest does not match)",
            ),
            Self::OtherSigner => {
                f.write_str("invalid: signed by another key than the trusted certificate's")
            }
            Self::BadSignatureValue => f.write_str(
                "invalid: the signature value does not match (the signed information or the \
                 certificate was changed)",
            ),
            Self::NotOnRoot => f.write_str(
                "invalid: the signature does not cover the document root (metadata must be signed \
                 on its root element)",
            ),
            Self::Refused(r) => write!(f, "refused: {r}"),
            Self::Unsigned => f.write_str("unsigned: the document carries no signature"),
            Self::PartlyUnsigned => f.write_str(
                "invalid: some assertions are covered by no signature (see the unsigned list)",
            ),
        }
    }
}

/// The kind of document, by its root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// `md:EntityDescriptor` or `md:EntitiesDescriptor`.
    Metadata,
    /// Anything else: a SAML protocol message or assertion.
    Message,
}

/// What the verifier found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Metadata or a message.
    pub kind: DocumentKind,
    /// The root element.
    pub root: ElementRef,
    /// Every signature found, in document order.
    pub signatures: Vec<SignatureCheck>,
    /// The root and assertions covered by no good signature.
    pub unsigned: Vec<ElementRef>,
    /// The verdict.
    pub verdict: Verdict,
}

/// Verifies the signatures of a SAML metadata document or message.
///
/// ```
/// use samlmeta::dsig::verify::{Options, Trust, Verdict, verify};
///
/// let report = verify(br#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
///     entityID="https://idp.example.com"/>"#, &Options::new(Trust::Embedded))?;
/// assert_eq!(report.verdict, Verdict::Unsigned);
/// # Ok::<(), samlmeta::dsig::verify::VerifyError>(())
/// ```
///
/// # Errors
/// [`VerifyError`] when the document cannot be checked at all.
pub fn verify(xml: &[u8], options: &Options) -> Result<Report, VerifyError> {
    if xml.len() > MAX_DOCUMENT_BYTES {
        return Err(VerifyError::TooLarge { bytes: xml.len() });
    }
    let doc = parse(xml).map_err(VerifyError::Xml)?;
    verify_document(&doc, options).map(|(report, _)| report)
}

/// [`verify`] on a parsed document, with the nodes the good signatures cover (the parent of each
/// intact signature that passed the placement rules): a caller reads signed values from these
/// very nodes, never by searching the document again.
pub(crate) fn verify_document(
    doc: &Document,
    options: &Options,
) -> Result<(Report, Vec<usize>), VerifyError> {
    check_unique_ids(doc)?;
    let root = doc.root();
    let root_element = doc.element(root).ok_or(VerifyError::Xml(XmlError::Empty))?;
    let kind =
        if root_element.is(MD, "EntityDescriptor") || root_element.is(MD, "EntitiesDescriptor") {
            DocumentKind::Metadata
        } else {
            DocumentKind::Message
        };

    let signature_nodes: Vec<usize> = doc
        .elements()
        .filter(|(_, e)| e.is(DS, "Signature"))
        .map(|(i, _)| i)
        .collect();
    let mut signatures = Vec::with_capacity(signature_nodes.len());
    for &node in &signature_nodes {
        signatures.push(check_signature(doc, node, options));
    }

    // Placement rules on top of each signature's own check.
    let mut placement: Option<Refusal> = None;
    if kind == DocumentKind::Metadata {
        if signature_nodes.len() > 1 {
            placement = Some(Refusal::MultipleSignatures {
                count: signature_nodes.len(),
            });
        } else if let Some(&only) = signature_nodes.first()
            && doc.element(only).and_then(|e| e.parent) != Some(root)
        {
            placement = Some(Refusal::NotOnRoot);
        }
    } else {
        for (check, &node) in signatures.iter_mut().zip(&signature_nodes) {
            let parent = doc.element(node).and_then(|e| e.parent);
            let allowed = parent.is_some_and(|p| {
                p == root || doc.element(p).is_some_and(|e| e.is(SAML, "Assertion"))
            });
            if !allowed && check.outcome.is_good() {
                let name = parent
                    .and_then(|p| doc.element(p))
                    .map(Element::qname)
                    .unwrap_or_default();
                check.outcome = Outcome::Refused(Refusal::UnexpectedSignedElement { name });
            }
        }
    }

    // What good signatures cover.
    let covered: Vec<usize> = signatures
        .iter()
        .zip(&signature_nodes)
        .filter(|(c, _)| c.outcome.is_good())
        .filter_map(|(_, &n)| doc.element(n).and_then(|e| e.parent))
        .collect();
    let is_covered = |i: usize| covered.iter().any(|&c| doc.is_within(i, c));
    let mut unsigned = Vec::new();
    if !is_covered(root) {
        unsigned.push(ElementRef::of(root_element));
    }
    let mut assertion_uncovered = false;
    for (i, e) in doc.elements() {
        if i != root
            && (e.is(SAML, "Assertion") || e.is(SAML, "EncryptedAssertion"))
            && !is_covered(i)
        {
            unsigned.push(ElementRef::of(e));
            assertion_uncovered = true;
        }
    }

    let verdict = if let Some(r) = placement {
        if r == Refusal::NotOnRoot {
            Verdict::NotOnRoot
        } else {
            Verdict::Refused(r)
        }
    } else if signatures.is_empty() {
        Verdict::Unsigned
    } else if let Some(bad) = signatures.iter().find(|c| !c.outcome.is_good()) {
        match &bad.outcome {
            Outcome::Altered => Verdict::Altered,
            Outcome::OtherSigner { .. } => Verdict::OtherSigner,
            Outcome::BadSignatureValue => Verdict::BadSignatureValue,
            Outcome::Refused(Refusal::NotOnRoot) => Verdict::NotOnRoot,
            Outcome::Refused(r) => Verdict::Refused(r.clone()),
            Outcome::Valid | Outcome::SignerNotAuthenticated => Verdict::Valid,
        }
    } else if kind == DocumentKind::Metadata && !unsigned.is_empty() {
        Verdict::NotOnRoot
    } else if assertion_uncovered {
        Verdict::PartlyUnsigned
    } else if signatures
        .iter()
        .any(|c| c.outcome == Outcome::SignerNotAuthenticated)
    {
        Verdict::SignerNotAuthenticated
    } else {
        Verdict::Valid
    };

    Ok((
        Report {
            kind,
            root: ElementRef::of(root_element),
            signatures,
            unsigned,
            verdict,
        },
        covered,
    ))
}

/// IDs must be unique across `ID`, `Id`, `id` and `xml:id`: a verifier elsewhere might resolve a
/// reference through any of them.
fn check_unique_ids(doc: &Document) -> Result<(), VerifyError> {
    let mut seen = std::collections::HashSet::new();
    for (_, e) in doc.elements() {
        for a in &e.attrs {
            let is_id = (a.ns.is_empty() && matches!(a.local.as_str(), "ID" | "Id" | "id"))
                || (a.ns == crate::xml::names::XML_NS && a.local == "id");
            if is_id && !seen.insert(a.value.as_str()) {
                return Err(VerifyError::DuplicateId {
                    id: a.value.clone(),
                });
            }
        }
    }
    Ok(())
}

/// The parts of a `ds:Signature`, checked for shape.
struct Parts {
    signed_info: usize,
    c14n_prefixes: Vec<String>,
    algorithm: SignatureAlgorithm,
    digest: DigestAlgorithm,
    digest_value: Vec<u8>,
    transform_prefixes: Vec<String>,
    signature_value: Vec<u8>,
    certificates: Vec<Certificate>,
}

fn check_signature(doc: &Document, node: usize, options: &Options) -> SignatureCheck {
    let at = doc.element(node).map(ElementRef::of).unwrap_or(ElementRef {
        name: String::new(),
        id: None,
        line: 0,
    });
    let mut check = SignatureCheck {
        at,
        covers: None,
        algorithm: None,
        digest: None,
        signer: None,
        outcome: Outcome::Refused(Refusal::NotOnSignedElement),
    };
    let parent = doc.element(node).and_then(|e| e.parent);
    let parts = match parts(doc, node, parent, options, &mut check) {
        Ok(parts) => parts,
        Err(refusal) => {
            check.outcome = Outcome::Refused(refusal);
            return check;
        }
    };
    let Some(parent) = parent else {
        return check;
    };
    check.covers = doc.element(parent).map(ElementRef::of);

    // The Reference: the parent, minus this signature, exclusively canonicalized.
    let mut referenced = Vec::new();
    write_exclusive(
        doc,
        parent,
        Some(node),
        &parts.transform_prefixes,
        &mut referenced,
    );
    if parts.digest.digest(&referenced) != parts.digest_value {
        check.outcome = Outcome::Altered;
        return check;
    }

    let mut signed_info = Vec::new();
    write_exclusive(
        doc,
        parts.signed_info,
        None,
        &parts.c14n_prefixes,
        &mut signed_info,
    );
    let verifies = |cert: &Certificate| -> Result<bool, Refusal> {
        let key = rsa_key(cert)?;
        Ok(parts
            .algorithm
            .verify(&key, &signed_info, &parts.signature_value))
    };
    let signer = |cert: &Certificate, trusted: bool| Signer {
        subject: cert.subject(),
        fingerprint: cert.sha256_fingerprint(),
        trusted,
    };
    let embedded_signer = || -> Option<Signer> {
        parts
            .certificates
            .iter()
            .find(|c| verifies(c).unwrap_or(false))
            .map(|c| signer(c, false))
    };

    let trusted: Option<Vec<&Certificate>> = match &options.trust {
        Trust::Embedded => None,
        Trust::Certificate(c) => Some(vec![c]),
        Trust::AnyOf(certs) => Some(certs.iter().collect()),
        Trust::Fingerprint(fp) => {
            match parts
                .certificates
                .iter()
                .find(|c| c.sha256_fingerprint() == *fp)
            {
                Some(c) => Some(vec![c]),
                None => {
                    check.outcome = if parts.certificates.is_empty() {
                        Outcome::Refused(Refusal::NoCertificate)
                    } else {
                        match embedded_signer() {
                            Some(actual) => Outcome::OtherSigner {
                                actual: Some(actual),
                            },
                            None => Outcome::Refused(Refusal::FingerprintNotFound),
                        }
                    };
                    return check;
                }
            }
        }
    };

    check.outcome = match trusted {
        Some(certs) => {
            let mut refusal = None;
            let mut valid = None;
            for cert in &certs {
                match verifies(cert) {
                    Ok(true) => {
                        valid = Some(signer(cert, true));
                        break;
                    }
                    Ok(false) => {}
                    Err(r) => {
                        refusal.get_or_insert(r);
                    }
                }
            }
            match (valid, refusal) {
                (Some(found), _) => {
                    check.signer = Some(found);
                    Outcome::Valid
                }
                // The one trusted certificate cannot verify anything (not an RSA key).
                (None, Some(r)) if certs.len() == 1 => Outcome::Refused(r),
                (None, _) => Outcome::OtherSigner {
                    actual: embedded_signer(),
                },
            }
        }
        None => {
            if parts.certificates.is_empty() {
                Outcome::Refused(Refusal::NoCertificate)
            } else {
                let mut outcome = Outcome::BadSignatureValue;
                for cert in &parts.certificates {
                    match verifies(cert) {
                        Err(r) => outcome = Outcome::Refused(r),
                        Ok(true) => {
                            check.signer = Some(signer(cert, false));
                            outcome = Outcome::SignerNotAuthenticated;
                            break;
                        }
                        Ok(false) => {}
                    }
                }
                outcome
            }
        }
    };
    check
}

fn rsa_key(cert: &Certificate) -> Result<PublicKey, Refusal> {
    let not_rsa = || Refusal::NotRsa {
        key: cert.public_key().to_string(),
    };
    let der = cert.public_key_der().ok_or_else(not_rsa)?;
    PublicKey::from_public_key_der(&der).map_err(|_| not_rsa())
}

fn malformed(detail: impl Into<String>) -> Refusal {
    Refusal::Malformed {
        detail: detail.into(),
    }
}

/// Children of `index` that are elements; refuses non-whitespace text.
fn ds_children(doc: &Document, index: usize) -> Result<Vec<(usize, &Element)>, Refusal> {
    if !doc.text(index).trim().is_empty() {
        let name = doc.element(index).map(Element::qname).unwrap_or_default();
        return Err(malformed(format!("unexpected text inside <{name}>")));
    }
    Ok(doc.child_elements(index).collect())
}

/// The name of the first element within `index` (itself included) that directly holds a
/// comment or a processing instruction.
fn comment_inside(doc: &Document, index: usize) -> Option<String> {
    let mut stack = vec![index];
    while let Some(at) = stack.pop() {
        let element = doc.element(at)?;
        for &child in &element.children {
            match doc.node(child) {
                Some(Node::Comment | Node::Pi { .. }) => return Some(element.qname()),
                Some(Node::Element(_)) => stack.push(child),
                _ => {}
            }
        }
    }
    None
}

fn algorithm_of(e: &Element) -> Result<&str, Refusal> {
    e.attr("Algorithm")
        .ok_or_else(|| malformed(format!("<{}> has no Algorithm", e.qname())))
}

/// The InclusiveNamespaces PrefixList under a canonicalization method or transform.
fn prefix_list(doc: &Document, index: usize) -> Result<Vec<String>, Refusal> {
    let mut prefixes = Vec::new();
    for (_, child) in ds_children(doc, index)? {
        if child.is(EXC_C14N, "InclusiveNamespaces") {
            let list = child.attr("PrefixList").unwrap_or_default();
            prefixes.extend(list.split_ascii_whitespace().map(str::to_owned));
        } else {
            return Err(malformed(format!(
                "unexpected <{}> in a canonicalization method",
                child.qname()
            )));
        }
    }
    Ok(prefixes)
}

fn base64_content(doc: &Document, index: usize, what: &str) -> Result<Vec<u8>, Refusal> {
    let text: String = doc
        .text(index)
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    Base64::decode_vec(&text).map_err(|_| malformed(format!("the {what} is not valid base64")))
}

fn parts(
    doc: &Document,
    node: usize,
    parent: Option<usize>,
    options: &Options,
    check: &mut SignatureCheck,
) -> Result<Parts, Refusal> {
    if let Some(element) = comment_inside(doc, node) {
        return Err(Refusal::CommentInSignature { element });
    }
    let children = ds_children(doc, node)?;
    let mut signed_info = None;
    let mut signature_value = None;
    let mut key_info = None;
    for (position, (i, child)) in children.iter().enumerate() {
        let expected = match child.local.as_str() {
            "SignedInfo" => position == 0,
            "SignatureValue" => position == 1,
            "KeyInfo" => position == 2,
            _ => false,
        };
        if child.ns == DS && child.local == "Object" {
            return Err(Refusal::Object);
        }
        if child.ns != DS || !expected {
            return Err(malformed(format!(
                "unexpected <{}> in ds:Signature",
                child.qname()
            )));
        }
        match child.local.as_str() {
            "SignedInfo" => signed_info = Some(*i),
            "SignatureValue" => signature_value = Some(*i),
            _ => key_info = Some(*i),
        }
    }
    let signed_info = signed_info.ok_or_else(|| malformed("no SignedInfo"))?;
    let signature_value = signature_value.ok_or_else(|| malformed("no SignatureValue"))?;

    // SignedInfo: CanonicalizationMethod, SignatureMethod, Reference.
    let si = ds_children(doc, signed_info)?;
    let [c14n, method, references @ ..] = si.as_slice() else {
        return Err(malformed("SignedInfo is incomplete"));
    };
    if !c14n.1.is(DS, "CanonicalizationMethod") || !method.1.is(DS, "SignatureMethod") {
        return Err(malformed(
            "SignedInfo must start with CanonicalizationMethod and SignatureMethod",
        ));
    }
    if let Some((_, other)) = references.iter().find(|(_, r)| !r.is(DS, "Reference")) {
        return Err(malformed(format!(
            "unexpected <{}> in SignedInfo",
            other.qname()
        )));
    }
    let c14n_algorithm = algorithm_of(c14n.1)?;
    if c14n_algorithm != EXC_C14N {
        return Err(Refusal::Canonicalization {
            algorithm: c14n_algorithm.to_owned(),
        });
    }
    let c14n_prefixes = prefix_list(doc, c14n.0)?;
    let method_uri = algorithm_of(method.1)?;
    let algorithm =
        SignatureAlgorithm::from_uri(method_uri).ok_or_else(|| Refusal::SignatureAlgorithm {
            algorithm: method_uri.to_owned(),
        })?;
    if !ds_children(doc, method.0)?.is_empty() {
        return Err(malformed("SignatureMethod has parameters"));
    }
    check.algorithm = Some(algorithm);
    let [(reference, reference_element)] = references else {
        return Err(Refusal::ReferenceCount {
            count: references.len(),
        });
    };

    // The Reference must point at the parent by ID.
    let uri = reference_element.attr("URI").unwrap_or_default();
    let parent_element = parent.and_then(|p| doc.element(p));
    let target_id = uri.strip_prefix('#').filter(|id| !id.is_empty());
    match (target_id, parent_element.and_then(|p| p.attr("ID"))) {
        (Some(id), Some(parent_id)) if id == parent_id => {}
        (Some(id), _) if doc.elements().any(|(_, e)| e.attr("ID") == Some(id)) => {
            return Err(Refusal::NotOnSignedElement);
        }
        _ => {
            return Err(Refusal::ReferenceUri {
                uri: uri.to_owned(),
            });
        }
    }

    let mut transforms = Vec::new();
    let mut digest_method = None;
    let mut digest_value = None;
    for (i, child) in ds_children(doc, *reference)? {
        match (child.ns == DS, child.local.as_str()) {
            (true, "Transforms") if transforms.is_empty() && digest_method.is_none() => {
                for (t, transform) in ds_children(doc, i)? {
                    if !transform.is(DS, "Transform") {
                        return Err(malformed(format!(
                            "unexpected <{}> in Transforms",
                            transform.qname()
                        )));
                    }
                    transforms.push((t, algorithm_of(transform)?.to_owned()));
                }
            }
            (true, "DigestMethod") if digest_method.is_none() => {
                digest_method = Some(algorithm_of(child)?.to_owned());
            }
            (true, "DigestValue") if digest_method.is_some() && digest_value.is_none() => {
                digest_value = Some(base64_content(doc, i, "DigestValue")?);
            }
            _ => {
                return Err(malformed(format!(
                    "unexpected <{}> in Reference",
                    child.qname()
                )));
            }
        }
    }
    let names: Vec<String> = transforms.iter().map(|(_, a)| a.clone()).collect();
    // Exactly enveloped-signature, then exclusive C14N. (Without the second, the node-set would
    // go through inclusive C14N 1.0, which SAML does not use: refused rather than guessed.)
    let transform_prefixes = match transforms.as_slice() {
        [(_, first), (c, second)] if first == ENVELOPED && second == EXC_C14N => {
            prefix_list(doc, *c)?
        }
        _ => return Err(Refusal::Transforms { found: names }),
    };
    let digest_uri = digest_method.ok_or_else(|| malformed("Reference has no DigestMethod"))?;
    let digest = DigestAlgorithm::from_uri(&digest_uri).ok_or(Refusal::DigestAlgorithm {
        algorithm: digest_uri,
    })?;
    check.digest = Some(digest);
    let digest_value = digest_value.ok_or_else(|| malformed("Reference has no DigestValue"))?;
    if !options.allow_sha1
        && (digest == DigestAlgorithm::Sha1 || algorithm == SignatureAlgorithm::RsaSha1)
    {
        return Err(Refusal::Sha1);
    }

    let signature_value = base64_content(doc, signature_value, "SignatureValue")?;
    let mut certificates = Vec::new();
    if let Some(key_info) = key_info {
        for (i, e) in doc.child_elements(key_info) {
            if !e.is(DS, "X509Data") {
                continue;
            }
            for (c, cert) in doc.child_elements(i) {
                if cert.is(DS, "X509Certificate") {
                    let der = base64_content(doc, c, "X509Certificate")?;
                    let certificate = Certificate::from_der(&der).map_err(|e| {
                        malformed(format!("the embedded certificate cannot be read ({e})"))
                    })?;
                    certificates.push(certificate);
                }
            }
        }
    }
    Ok(Parts {
        signed_info,
        c14n_prefixes,
        algorithm,
        digest,
        digest_value,
        transform_prefixes,
        signature_value,
        certificates,
    })
}
