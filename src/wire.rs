//! The bytes a check crosses the worker boundary as: the request (what to check, whom to trust,
//! the builder's values) and the answer (the core's whole check, as [`crate::check::Outcome`]).
//!
//! A format of our own instead of a general serializer: the page's WebAssembly has a size budget,
//! and these are plain values (strings, flags, counts, lists). Lengths and counts are LEB128
//! varints, strings UTF-8 with their length first, `Option` a 0/1 byte first, lists their count
//! first, certificates their DER, fingerprints their text, enum variants their stable code.
//! Reading never panics and never allocates more than the bytes it was given can hold: a short,
//! long or altered answer reads as `None`.

use crate::check::{Outcome, TrustUsed, TrustedCert};
use samlmeta::Certificate;
use samlmeta::Severity;
use samlmeta::connector::{ConnectorValues, Preset};
use samlmeta::digest::Fingerprint;
use samlmeta::dsig::verify::{Refusal, Verdict};
use samlmeta::message::{
    AssertionValues, Attribute, CertificateInfo, Checked, DocumentMap, Encoding, Endpoint,
    EntityInfo, MapEntry, MetadataCheck, Problem, ProblemCode, RequestCheck, RequestKind,
    ResponseCheck, ResponseValues, Value,
};
use samlmeta::metadata::Binding;
use samlmeta::time::UnixTime;

/// A value that crosses the worker boundary as bytes.
pub trait Wire: Sized {
    /// Appends the value to `out`.
    fn put(&self, out: &mut Vec<u8>);
    /// Reads a value from the front of `input`, advancing it; `None` when the bytes are not one.
    fn take(input: &mut &[u8]) -> Option<Self>;
}

/// The value as bytes.
#[must_use]
pub fn encode<T: Wire>(value: &T) -> Vec<u8> {
    let mut out = Vec::new();
    value.put(&mut out);
    out
}

/// The value `bytes` hold, all of them: `None` when they are not exactly one.
#[must_use]
pub fn decode<T: Wire>(mut bytes: &[u8]) -> Option<T> {
    let value = T::take(&mut bytes)?;
    bytes.is_empty().then_some(value)
}

fn byte(input: &mut &[u8]) -> Option<u8> {
    let (&b, rest) = input.split_first()?;
    *input = rest;
    Some(b)
}

impl Wire for u64 {
    fn put(&self, out: &mut Vec<u8>) {
        let mut v = *self;
        loop {
            #[allow(clippy::cast_possible_truncation)] // the low seven bits
            let low = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(low);
                return;
            }
            out.push(low | 0x80);
        }
    }

    fn take(input: &mut &[u8]) -> Option<Self> {
        let mut v = 0_u64;
        for shift in (0..64).step_by(7) {
            let b = byte(input)?;
            v |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }
}

impl Wire for usize {
    fn put(&self, out: &mut Vec<u8>) {
        u64::try_from(*self).unwrap_or(u64::MAX).put(out);
    }

    fn take(input: &mut &[u8]) -> Option<Self> {
        Self::try_from(u64::take(input)?).ok()
    }
}

impl Wire for i64 {
    fn put(&self, out: &mut Vec<u8>) {
        // Zigzag: small negative numbers stay short.
        ((*self << 1) ^ (*self >> 63)).cast_unsigned().put(out);
    }

    fn take(input: &mut &[u8]) -> Option<Self> {
        let v = u64::take(input)?;
        Some((v >> 1).cast_signed() ^ -((v & 1).cast_signed()))
    }
}

impl Wire for bool {
    fn put(&self, out: &mut Vec<u8>) {
        out.push(u8::from(*self));
    }

    fn take(input: &mut &[u8]) -> Option<Self> {
        match byte(input)? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
}

fn take_bytes<'a>(input: &mut &'a [u8]) -> Option<&'a [u8]> {
    let len = usize::take(input)?;
    if len > input.len() {
        return None;
    }
    let (head, rest) = input.split_at(len);
    *input = rest;
    Some(head)
}

fn put_bytes(bytes: &[u8], out: &mut Vec<u8>) {
    bytes.len().put(out);
    out.extend_from_slice(bytes);
}

impl Wire for String {
    fn put(&self, out: &mut Vec<u8>) {
        put_bytes(self.as_bytes(), out);
    }

    fn take(input: &mut &[u8]) -> Option<Self> {
        core::str::from_utf8(take_bytes(input)?)
            .ok()
            .map(str::to_owned)
    }
}

impl<T: Wire> Wire for Option<T> {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            None => out.push(0),
            Some(v) => {
                out.push(1);
                v.put(out);
            }
        }
    }

    fn take(input: &mut &[u8]) -> Option<Self> {
        match byte(input)? {
            0 => Some(None),
            1 => Some(Some(T::take(input)?)),
            _ => None,
        }
    }
}

impl<T: Wire> Wire for Vec<T> {
    fn put(&self, out: &mut Vec<u8>) {
        self.len().put(out);
        for v in self {
            v.put(out);
        }
    }

    fn take(input: &mut &[u8]) -> Option<Self> {
        let count = usize::take(input)?;
        // Every value takes at least one byte: a count beyond the bytes left is a lie.
        if count > input.len() {
            return None;
        }
        let mut out = Self::with_capacity(count);
        for _ in 0..count {
            out.push(T::take(input)?);
        }
        Some(out)
    }
}

/// A `&'static str` from a known set, written as its text and read back as the set's own.
fn take_known(
    input: &mut &[u8],
    known: impl IntoIterator<Item = &'static str>,
) -> Option<&'static str> {
    let text = take_bytes(input)?;
    known.into_iter().find(|k| k.as_bytes() == text)
}

/// An enum of unit variants, written as its index in `ALL`.
macro_rules! wire_units {
    ($ty:ty, $all:expr) => {
        impl Wire for $ty {
            fn put(&self, out: &mut Vec<u8>) {
                let index = $all.iter().position(|v| v == self).unwrap_or(usize::MAX);
                index.put(out);
            }

            fn take(input: &mut &[u8]) -> Option<Self> {
                $all.get(usize::take(input)?).copied()
            }
        }
    };
}

wire_units!(ProblemCode, ProblemCode::ALL);
wire_units!(Preset, Preset::ALL);
wire_units!(Binding, [Binding::HttpRedirect, Binding::HttpPost]);
wire_units!(
    RequestKind,
    [
        RequestKind::AuthnRequest,
        RequestKind::LogoutRequest,
        RequestKind::LogoutResponse
    ]
);
wire_units!(
    Severity,
    [Severity::Info, Severity::Warning, Severity::Error]
);

/// A struct, field by field in the order given (every field, or it does not compile).
macro_rules! wire_struct {
    ($ty:ty { $($field:ident),* $(,)? }) => {
        impl Wire for $ty {
            fn put(&self, out: &mut Vec<u8>) {
                $( self.$field.put(out); )*
            }

            fn take(input: &mut &[u8]) -> Option<Self> {
                Some(Self { $( $field: Wire::take(input)?, )* })
            }
        }
    };
}

wire_struct!(Value { value, signed });
wire_struct!(Attribute {
    name,
    values,
    signed
});
wire_struct!(AssertionValues {
    id,
    signed,
    encrypted,
    issuer,
    name_id,
    name_id_format,
    audiences,
    recipient,
    not_before,
    not_on_or_after,
    confirmation_not_on_or_after,
    attributes,
});
wire_struct!(ResponseValues {
    issuer,
    destination,
    status,
    status_message,
    in_response_to,
});
wire_struct!(MapEntry {
    name,
    id,
    line,
    depth,
    signed
});
wire_struct!(DocumentMap { entries, left_out });
wire_struct!(Endpoint {
    kind,
    binding,
    location
});
wire_struct!(CertificateInfo {
    usage,
    subject,
    sha256,
    not_after,
    days_left,
});
wire_struct!(EntityInfo {
    entity_id,
    roles,
    endpoints,
    certificates,
    name_id_formats,
    valid_until,
});
wire_struct!(ConnectorValues {
    preset,
    keeper_region,
    keeper_sso_id,
    sso_connect_server,
    idp_entity_id,
    sp_entity_id,
    acs_url,
    idp_url_suffix,
    sso_url,
    display_label,
    name_id_formats,
    bindings,
    valid_days,
    cache_duration,
    slo_url,
    org_name,
    org_url,
    contact_name,
    contact_email,
});

impl Wire for UnixTime {
    fn put(&self, out: &mut Vec<u8>) {
        self.seconds().put(out);
    }

    fn take(input: &mut &[u8]) -> Option<Self> {
        i64::take(input).map(Self::from_seconds)
    }
}

impl Wire for Fingerprint {
    fn put(&self, out: &mut Vec<u8>) {
        self.to_string().put(out);
    }

    fn take(input: &mut &[u8]) -> Option<Self> {
        String::take(input)?.parse().ok()
    }
}

impl Wire for Certificate {
    fn put(&self, out: &mut Vec<u8>) {
        put_bytes(self.der(), out);
    }

    fn take(input: &mut &[u8]) -> Option<Self> {
        Self::from_der(take_bytes(input)?).ok()
    }
}

/// A problem; its refusal code is the verdict's ([`Verdict::refusal_code`], as the core sets it),
/// so only whether it has one crosses, and [`with_refusals`] puts the code back.
impl Wire for Problem {
    fn put(&self, out: &mut Vec<u8>) {
        self.code.put(out);
        self.severity.put(out);
        self.message.put(out);
        self.refusal.is_some().put(out);
    }

    fn take(input: &mut &[u8]) -> Option<Self> {
        Some(Self {
            code: Wire::take(input)?,
            severity: Wire::take(input)?,
            message: Wire::take(input)?,
            refusal: bool::take(input)?.then_some(""),
        })
    }
}

/// The problems read, with the verdict's refusal code where they had one.
fn with_refusals(mut problems: Vec<Problem>, verdict: &Verdict) -> Option<Vec<Problem>> {
    for p in problems.iter_mut().filter(|p| p.refusal.is_some()) {
        p.refusal = Some(verdict.refusal_code()?);
    }
    Some(problems)
}

impl Wire for Refusal {
    fn put(&self, out: &mut Vec<u8>) {
        put_bytes(self.code().as_bytes(), out);
        match self {
            Self::MultipleSignatures { count } | Self::ReferenceCount { count } => count.put(out),
            Self::UnexpectedSignedElement { name: text }
            | Self::ReferenceUri { uri: text }
            | Self::Canonicalization { algorithm: text }
            | Self::SignatureAlgorithm { algorithm: text }
            | Self::DigestAlgorithm { algorithm: text }
            | Self::Malformed { detail: text }
            | Self::NotRsa { key: text }
            | Self::CommentInSignature { element: text } => text.put(out),
            Self::Transforms { found } => found.put(out),
            _ => {}
        }
    }

    fn take(input: &mut &[u8]) -> Option<Self> {
        let code = take_bytes(input)?;
        Some(match code {
            b"not-on-signed-element" => Self::NotOnSignedElement,
            b"not-on-root" => Self::NotOnRoot,
            b"multiple-signatures" => Self::MultipleSignatures {
                count: Wire::take(input)?,
            },
            b"unexpected-signed-element" => Self::UnexpectedSignedElement {
                name: Wire::take(input)?,
            },
            b"object" => Self::Object,
            b"reference-count" => Self::ReferenceCount {
                count: Wire::take(input)?,
            },
            b"reference-uri" => Self::ReferenceUri {
                uri: Wire::take(input)?,
            },
            b"transforms" => Self::Transforms {
                found: Wire::take(input)?,
            },
            b"canonicalization" => Self::Canonicalization {
                algorithm: Wire::take(input)?,
            },
            b"signature-algorithm" => Self::SignatureAlgorithm {
                algorithm: Wire::take(input)?,
            },
            b"digest-algorithm" => Self::DigestAlgorithm {
                algorithm: Wire::take(input)?,
            },
            b"sha1" => Self::Sha1,
            b"malformed" => Self::Malformed {
                detail: Wire::take(input)?,
            },
            b"no-certificate" => Self::NoCertificate,
            b"fingerprint-not-found" => Self::FingerprintNotFound,
            b"not-rsa" => Self::NotRsa {
                key: Wire::take(input)?,
            },
            b"comment-in-signature" => Self::CommentInSignature {
                element: Wire::take(input)?,
            },
            _ => return None,
        })
    }
}

impl Wire for Verdict {
    fn put(&self, out: &mut Vec<u8>) {
        put_bytes(self.code().as_bytes(), out);
        if let Self::Refused(r) = self {
            r.put(out);
        }
    }

    fn take(input: &mut &[u8]) -> Option<Self> {
        Some(match take_bytes(input)? {
            b"valid" => Self::Valid,
            b"signer-not-authenticated" => Self::SignerNotAuthenticated,
            b"altered" => Self::Altered,
            b"other-signer" => Self::OtherSigner,
            b"bad-signature-value" => Self::BadSignatureValue,
            b"not-on-root" => Self::NotOnRoot,
            b"refused" => Self::Refused(Refusal::take(input)?),
            b"unsigned" => Self::Unsigned,
            b"partly-unsigned" => Self::PartlyUnsigned,
            _ => return None,
        })
    }
}

impl Wire for ResponseCheck {
    fn put(&self, out: &mut Vec<u8>) {
        self.is_response.put(out);
        self.response_signed.put(out);
        self.response.put(out);
        self.assertions.put(out);
        self.verdict.put(out);
        self.problems.put(out);
        self.map.put(out);
    }

    fn take(input: &mut &[u8]) -> Option<Self> {
        let (is_response, response_signed) = (Wire::take(input)?, Wire::take(input)?);
        let (response, assertions) = (Wire::take(input)?, Wire::take(input)?);
        let verdict = Verdict::take(input)?;
        Some(Self {
            is_response,
            response_signed,
            response,
            assertions,
            problems: with_refusals(Wire::take(input)?, &verdict)?,
            verdict,
            map: Wire::take(input)?,
        })
    }
}

impl Wire for RequestCheck {
    fn put(&self, out: &mut Vec<u8>) {
        self.kind.put(out);
        self.id.put(out);
        self.issuer.put(out);
        self.destination.put(out);
        self.acs_url.put(out);
        self.name_id.put(out);
        self.status.put(out);
        self.verdict.put(out);
        self.redirect_signature.put(out);
        self.problems.put(out);
        self.map.put(out);
    }

    fn take(input: &mut &[u8]) -> Option<Self> {
        let (kind, id, issuer) = (Wire::take(input)?, Wire::take(input)?, Wire::take(input)?);
        let (destination, acs_url) = (Wire::take(input)?, Wire::take(input)?);
        let (name_id, status) = (Wire::take(input)?, Wire::take(input)?);
        let verdict = Verdict::take(input)?;
        Some(Self {
            kind,
            id,
            issuer,
            destination,
            acs_url,
            name_id,
            status,
            redirect_signature: Wire::take(input)?,
            problems: with_refusals(Wire::take(input)?, &verdict)?,
            verdict,
            map: Wire::take(input)?,
        })
    }
}

impl Wire for MetadataCheck {
    fn put(&self, out: &mut Vec<u8>) {
        self.entities.put(out);
        self.valid_until.put(out);
        self.verdict.put(out);
        self.problems.put(out);
        self.map.put(out);
    }

    fn take(input: &mut &[u8]) -> Option<Self> {
        let (entities, valid_until) = (Wire::take(input)?, Wire::take(input)?);
        let verdict = Verdict::take(input)?;
        Some(Self {
            entities,
            valid_until,
            problems: with_refusals(Wire::take(input)?, &verdict)?,
            verdict,
            map: Wire::take(input)?,
        })
    }
}

impl Wire for Checked {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            Self::Response(c) => {
                out.push(0);
                c.put(out);
            }
            Self::Request(c) => {
                out.push(1);
                c.put(out);
            }
            Self::Metadata(c) => {
                out.push(2);
                c.put(out);
            }
        }
    }

    fn take(input: &mut &[u8]) -> Option<Self> {
        Some(match byte(input)? {
            0 => Self::Response(Wire::take(input)?),
            1 => Self::Request(Wire::take(input)?),
            2 => Self::Metadata(Wire::take(input)?),
            _ => return None,
        })
    }
}

impl Wire for TrustUsed {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            Self::File {
                file_name,
                subject,
                sha256,
            } => {
                out.push(0);
                file_name.put(out);
                subject.put(out);
                sha256.put(out);
            }
            Self::Fingerprint(fp) => {
                out.push(1);
                fp.put(out);
            }
            Self::Builder { subject, sha256 } => {
                out.push(2);
                subject.put(out);
                sha256.put(out);
            }
            Self::Embedded => out.push(3),
        }
    }

    fn take(input: &mut &[u8]) -> Option<Self> {
        Some(match byte(input)? {
            0 => Self::File {
                file_name: Wire::take(input)?,
                subject: Wire::take(input)?,
                sha256: Wire::take(input)?,
            },
            1 => Self::Fingerprint(Wire::take(input)?),
            2 => Self::Builder {
                subject: Wire::take(input)?,
                sha256: Wire::take(input)?,
            },
            3 => Self::Embedded,
            _ => return None,
        })
    }
}

impl<T: Wire> Wire for Result<T, String> {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            Ok(v) => {
                out.push(0);
                v.put(out);
            }
            Err(why) => {
                out.push(1);
                why.put(out);
            }
        }
    }

    fn take(input: &mut &[u8]) -> Option<Self> {
        Some(match byte(input)? {
            0 => Ok(T::take(input)?),
            1 => Err(String::take(input)?),
            _ => return None,
        })
    }
}

impl Wire for Outcome {
    fn put(&self, out: &mut Vec<u8>) {
        self.source.put(out);
        self.trust.put(out);
        match self.encoding {
            None => out.push(0),
            Some(e) => {
                out.push(1);
                put_bytes(e.as_bytes(), out);
            }
        }
        self.result.put(out);
        self.idp_certificates.put(out);
    }

    fn take(input: &mut &[u8]) -> Option<Self> {
        let source = Wire::take(input)?;
        let trust = Wire::take(input)?;
        let encoding = match byte(input)? {
            0 => None,
            1 => Some(take_known(input, Encoding::ALL.map(Encoding::as_str))?),
            _ => return None,
        };
        Some(Self {
            source,
            trust,
            encoding,
            result: Wire::take(input)?,
            idp_certificates: Wire::take(input)?,
        })
    }
}

impl Wire for TrustedCert {
    fn put(&self, out: &mut Vec<u8>) {
        self.file_name.put(out);
        self.cert.put(out);
        self.note.put(out);
    }

    fn take(input: &mut &[u8]) -> Option<Self> {
        Some(Self {
            file_name: Wire::take(input)?,
            cert: Wire::take(input)?,
            note: Wire::take(input)?,
        })
    }
}

/// What the worker checks: the input and its name, whom to trust, the builder's values and the
/// time (the arguments of [`crate::check::run`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckRequest {
    /// What the input is called ("the file aggregate.xml").
    pub source: String,
    /// The bytes to check.
    pub bytes: Vec<u8>,
    /// The "Trusted certificate".
    pub trusted: Option<TrustedCert>,
    /// The "Trusted SHA-256 fingerprint" as typed.
    pub fingerprint: String,
    /// The builder's signing certificate.
    pub builder_cert: Option<Certificate>,
    /// The builder's values.
    pub values: ConnectorValues,
    /// The time to check at.
    pub now: UnixTime,
}

impl Wire for CheckRequest {
    fn put(&self, out: &mut Vec<u8>) {
        self.source.put(out);
        put_bytes(&self.bytes, out);
        self.trusted.put(out);
        self.fingerprint.put(out);
        self.builder_cert.put(out);
        self.values.put(out);
        self.now.put(out);
    }

    fn take(input: &mut &[u8]) -> Option<Self> {
        Some(Self {
            source: Wire::take(input)?,
            bytes: take_bytes(input)?.to_vec(),
            trusted: Wire::take(input)?,
            fingerprint: Wire::take(input)?,
            builder_cert: Wire::take(input)?,
            values: Wire::take(input)?,
            now: Wire::take(input)?,
        })
    }
}

// The key worker's requests and answers ([`crate::keyring`]). Requests that carry a file or a
// passphrase are encoded into a buffer that is zeroized when dropped ([`encode_secret`]).

use crate::keyring::{
    IdpJob, KeyAnswer, KeyRequest, Need, PairPublic, Read, ReadFile, ReadOutcome, SecretFile,
    SignJob, SpJob,
};
use samlmeta::PublicKey;
use samlmeta::pki::key::KeyFormat;
use zeroize::Zeroizing;

/// The value as bytes in a buffer that is zeroized when dropped: for requests that carry a key
/// file or a passphrase.
#[must_use]
pub fn encode_secret<T: Wire>(value: &T) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::new());
    value.put(&mut out);
    out
}

wire_units!(Need, [Need::Key, Need::Certificate]);
wire_units!(SecretFile, [SecretFile::Key, SecretFile::EncryptedKey]);
wire_units!(
    KeyFormat,
    [
        KeyFormat::Pkcs1,
        KeyFormat::Pkcs8,
        KeyFormat::EncryptedPkcs8,
        KeyFormat::Pkcs12
    ]
);

impl<T: Wire> Wire for Box<T> {
    fn put(&self, out: &mut Vec<u8>) {
        (**self).put(out);
    }

    fn take(input: &mut &[u8]) -> Option<Self> {
        T::take(input).map(Box::new)
    }
}

impl Wire for () {
    fn put(&self, _: &mut Vec<u8>) {}

    fn take(_: &mut &[u8]) -> Option<Self> {
        Some(())
    }
}

impl<A: Wire, B: Wire> Wire for (A, B) {
    fn put(&self, out: &mut Vec<u8>) {
        self.0.put(out);
        self.1.put(out);
    }

    fn take(input: &mut &[u8]) -> Option<Self> {
        Some((A::take(input)?, B::take(input)?))
    }
}

impl Wire for Zeroizing<String> {
    fn put(&self, out: &mut Vec<u8>) {
        put_bytes(self.as_bytes(), out);
    }

    fn take(input: &mut &[u8]) -> Option<Self> {
        core::str::from_utf8(take_bytes(input)?)
            .ok()
            .map(|s| Zeroizing::new(s.to_owned()))
    }
}

impl Wire for PublicKey {
    fn put(&self, out: &mut Vec<u8>) {
        put_bytes(self.der(), out);
        u64::from(self.bits()).put(out);
        self.format().put(out);
    }

    fn take(input: &mut &[u8]) -> Option<Self> {
        let spki = take_bytes(input)?.to_vec();
        let bits = u32::try_from(u64::take(input)?).ok()?;
        Some(Self::from_parts(spki, bits, Wire::take(input)?))
    }
}

impl Wire for ReadFile {
    fn put(&self, out: &mut Vec<u8>) {
        put_bytes(&self.bytes, out);
        self.passphrase.put(out);
        self.need.put(out);
        self.lockable.put(out);
    }

    fn take(input: &mut &[u8]) -> Option<Self> {
        Some(Self {
            bytes: Zeroizing::new(take_bytes(input)?.to_vec()),
            passphrase: Wire::take(input)?,
            need: Wire::take(input)?,
            lockable: Wire::take(input)?,
        })
    }
}

wire_struct!(Read {
    key,
    certificates,
    summary
});
wire_struct!(IdpJob {
    key,
    values,
    certificate,
    rollover,
    encryption,
    now,
    document_id,
});
wire_struct!(SpJob {
    key,
    values,
    certificate,
    document_id
});
wire_struct!(PairPublic {
    id,
    public,
    certificate,
    encrypted
});

impl Wire for ReadOutcome {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            Self::Read(read) => {
                out.push(0);
                read.put(out);
            }
            Self::Locked { id, error } => {
                out.push(1);
                id.put(out);
                error.put(out);
            }
            Self::Failed(why) => {
                out.push(2);
                why.put(out);
            }
        }
    }

    fn take(input: &mut &[u8]) -> Option<Self> {
        Some(match byte(input)? {
            0 => Self::Read(Wire::take(input)?),
            1 => Self::Locked {
                id: Wire::take(input)?,
                error: Wire::take(input)?,
            },
            2 => Self::Failed(Wire::take(input)?),
            _ => return None,
        })
    }
}

impl Wire for SignJob {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            Self::Idp(job) => {
                out.push(0);
                job.put(out);
            }
            Self::Sp(job) => {
                out.push(1);
                job.put(out);
            }
        }
    }

    fn take(input: &mut &[u8]) -> Option<Self> {
        Some(match byte(input)? {
            0 => Self::Idp(Wire::take(input)?),
            1 => Self::Sp(Wire::take(input)?),
            _ => return None,
        })
    }
}

impl Wire for KeyRequest {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            Self::Read { seq, file } => {
                out.push(0);
                seq.put(out);
                file.put(out);
            }
            Self::Unlock {
                seq,
                id,
                passphrase,
                need,
            } => {
                out.push(1);
                seq.put(out);
                id.put(out);
                passphrase.put(out);
                need.put(out);
            }
            Self::Sign { seq, job } => {
                out.push(2);
                seq.put(out);
                job.put(out);
            }
            Self::Retain { live, seen } => {
                out.push(3);
                live.put(out);
                seen.put(out);
            }
            Self::SecretFile { seq, id, file } => {
                out.push(4);
                seq.put(out);
                id.put(out);
                file.put(out);
            }
        }
    }

    fn take(input: &mut &[u8]) -> Option<Self> {
        Some(match byte(input)? {
            0 => Self::Read {
                seq: Wire::take(input)?,
                file: Wire::take(input)?,
            },
            1 => Self::Unlock {
                seq: Wire::take(input)?,
                id: Wire::take(input)?,
                passphrase: Wire::take(input)?,
                need: Wire::take(input)?,
            },
            2 => Self::Sign {
                seq: Wire::take(input)?,
                job: Wire::take(input)?,
            },
            3 => Self::Retain {
                live: Wire::take(input)?,
                seen: Wire::take(input)?,
            },
            4 => Self::SecretFile {
                seq: Wire::take(input)?,
                id: Wire::take(input)?,
                file: Wire::take(input)?,
            },
            _ => return None,
        })
    }
}

impl Wire for KeyAnswer {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            Self::Read { seq, outcome } => {
                out.push(0);
                seq.put(out);
                outcome.put(out);
            }
            Self::Signed { seq, result } => {
                out.push(1);
                seq.put(out);
                result.put(out);
            }
            Self::Held { count } => {
                out.push(2);
                count.put(out);
            }
            Self::Generated {
                token,
                result,
                engine,
            } => {
                out.push(3);
                token.put(out);
                result.put(out);
                engine.put(out);
            }
            Self::SecretFile { seq, result } => {
                out.push(4);
                seq.put(out);
                result.put(out);
            }
        }
    }

    fn take(input: &mut &[u8]) -> Option<Self> {
        Some(match byte(input)? {
            0 => Self::Read {
                seq: Wire::take(input)?,
                outcome: Wire::take(input)?,
            },
            1 => Self::Signed {
                seq: Wire::take(input)?,
                result: Wire::take(input)?,
            },
            2 => Self::Held {
                count: Wire::take(input)?,
            },
            3 => Self::Generated {
                token: Wire::take(input)?,
                result: Wire::take(input)?,
                engine: Wire::take(input)?,
            },
            4 => Self::SecretFile {
                seq: Wire::take(input)?,
                result: Wire::take(input)?,
            },
            _ => return None,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code
mod tests {
    use super::*;

    /// Every check of the attack corpus, the golden metadata and a few messages, each trusting
    /// the fixture certificate, embedded only, and another certificate: each answer reads back
    /// equal, and every cut-short answer reads as `None`.
    #[test]
    fn every_check_outcome_round_trips_and_a_cut_one_does_not_read() {
        use crate::check::{CheckAction, CheckState, run};
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/samlmeta/tests");
        let cert = |name: &str| {
            samlmeta::read(
                &std::fs::read(root.join("fixtures").join(name)).unwrap(),
                None,
            )
            .unwrap()
            .certificates
            .remove(0)
        };
        let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
        for dir in ["attacks", "golden", "bad-inputs"] {
            let dir = if dir == "bad-inputs" {
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-inputs")
            } else {
                root.join(dir)
            };
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                inputs.push((path.display().to_string(), std::fs::read(&path).unwrap()));
            }
        }
        inputs.push((
            "request".into(),
            br#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" Version="2.0" IssueInstant="2026-12-01T10:00:00Z" AssertionConsumerServiceURL="https://sp.example/acs"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">https://sp.example</saml:Issuer></samlp:AuthnRequest>"#.to_vec(),
        ));
        let values = ConnectorValues {
            idp_entity_id: "KeeperSSO".to_owned(),
            sp_entity_id: "https://keepersecurity.com/api/rest/sso/saml/459561502469".to_owned(),
            ..ConnectorValues::default()
        };
        let now = UnixTime::parse_rfc3339("2026-12-01T10:00:00Z").unwrap();
        let (mut kinds, mut verdicts) = (
            std::collections::BTreeSet::new(),
            std::collections::BTreeSet::new(),
        );
        for (name, bytes) in inputs {
            let state = CheckState::default().reduce(CheckAction::File {
                name: name.clone(),
                bytes,
            });
            for builder in [None, Some(cert("cert.pem")), Some(cert("other.cert.pem"))] {
                let outcome = run(&state, builder.as_ref(), &values, now).unwrap();
                match &outcome.result {
                    Ok(c) => {
                        kinds.insert(match c {
                            Checked::Response(_) => "response",
                            Checked::Request(_) => "request",
                            Checked::Metadata(_) => "metadata",
                        });
                        verdicts.insert(c.verdict().code());
                    }
                    Err(_) => {
                        verdicts.insert("unreadable");
                    }
                }
                let bytes = encode(&outcome);
                assert_eq!(decode::<Outcome>(&bytes).as_ref(), Some(&outcome), "{name}");
                for cut in [0, 1, bytes.len() / 2, bytes.len() - 1] {
                    assert!(
                        decode::<Outcome>(&bytes[..cut]).is_none(),
                        "{name} cut at {cut}"
                    );
                }
            }
        }
        assert_eq!(kinds.len(), 3, "responses, requests and metadata");
        for v in [
            "valid",
            "signer-not-authenticated",
            "other-signer",
            "refused",
            "unsigned",
            "altered",
            "unreadable",
        ] {
            assert!(verdicts.contains(v), "{v} not among {verdicts:?}");
        }
    }

    #[test]
    fn a_request_round_trips() {
        let request = CheckRequest {
            source: "the file big.xml".to_owned(),
            bytes: b"<md:EntitiesDescriptor/>".to_vec(),
            trusted: None,
            fingerprint: "AB:CD".to_owned(),
            builder_cert: samlmeta::read(
                include_bytes!("../crates/samlmeta/tests/fixtures/cert.pem"),
                None,
            )
            .unwrap()
            .certificates
            .pop(),
            values: ConnectorValues {
                sso_url: Some("https://idp.example/sso".to_owned()),
                ..ConnectorValues::default()
            },
            now: UnixTime::from_seconds(1_800_000_000),
        };
        assert_eq!(decode::<CheckRequest>(&encode(&request)), Some(request));
    }

    /// Every key worker request and answer reads back equal, and a cut one reads as `None`.
    #[test]
    fn key_requests_and_answers_round_trip_and_a_cut_one_does_not_read() {
        use crate::keyring::{KeyRing, ReadFile};
        let pem = include_bytes!("../crates/samlmeta/tests/fixtures/combined.pem");
        let cert = samlmeta::read(pem, None).unwrap().certificates.remove(0);
        let mut ring = KeyRing::new();
        let file = |passphrase: Option<&str>| ReadFile {
            bytes: Zeroizing::new(pem.to_vec()),
            passphrase: passphrase.map(|p| Zeroizing::new(p.to_owned())),
            need: Need::Certificate,
            lockable: true,
        };
        let ReadOutcome::Read(read) = ring.read(&file(None)) else {
            panic!("not read")
        };
        let values = ConnectorValues {
            idp_entity_id: "KeeperSSO".to_owned(),
            ..ConnectorValues::default()
        };
        let requests = vec![
            KeyRequest::Read {
                seq: 1,
                file: file(Some("pass")),
            },
            KeyRequest::Unlock {
                seq: 2,
                id: 7,
                passphrase: Zeroizing::new("é".to_owned()),
                need: Need::Key,
            },
            KeyRequest::Sign {
                seq: 3,
                job: SignJob::Idp(Box::new(IdpJob {
                    key: 1,
                    values: values.clone(),
                    certificate: cert.clone(),
                    rollover: vec![cert.clone()],
                    encryption: Some(cert.clone()),
                    now: UnixTime::from_seconds(1_800_000_000),
                    document_id: "_abc".to_owned(),
                })),
            },
            KeyRequest::Sign {
                seq: 4,
                job: SignJob::Sp(Box::new(SpJob {
                    key: 2,
                    values,
                    certificate: None,
                    document_id: "_def".to_owned(),
                })),
            },
            KeyRequest::Retain {
                live: vec![1, 5],
                seen: 9,
            },
            KeyRequest::SecretFile {
                seq: 5,
                id: 3,
                file: SecretFile::EncryptedKey,
            },
        ];
        let answers = vec![
            KeyAnswer::Read {
                seq: 1,
                outcome: ReadOutcome::Read(read.clone()),
            },
            KeyAnswer::Read {
                seq: 2,
                outcome: ReadOutcome::Locked {
                    id: 4,
                    error: Some("wrong".to_owned()),
                },
            },
            KeyAnswer::Read {
                seq: 3,
                outcome: ReadOutcome::Failed("no".to_owned()),
            },
            KeyAnswer::Signed {
                seq: 4,
                result: Ok("<md:EntityDescriptor/>".to_owned()),
            },
            KeyAnswer::Held { count: 2 },
            KeyAnswer::Generated {
                token: 9,
                result: Ok(Box::new(PairPublic {
                    id: 6,
                    public: read.key.clone().unwrap().1,
                    certificate: cert,
                    encrypted: true,
                })),
                engine: "WebCrypto".to_owned(),
            },
            KeyAnswer::SecretFile {
                seq: 5,
                result: Err("gone".to_owned()),
            },
        ];
        for request in &requests {
            let bytes = encode_secret(request);
            assert_eq!(decode::<KeyRequest>(&bytes).as_ref(), Some(request));
            assert!(decode::<KeyRequest>(&bytes[..bytes.len() - 1]).is_none());
        }
        for answer in &answers {
            let bytes = encode(answer);
            assert_eq!(decode::<KeyAnswer>(&bytes).as_ref(), Some(answer));
            assert!(decode::<KeyAnswer>(&bytes[..bytes.len() - 1]).is_none());
        }
    }

    #[test]
    fn numbers_strings_and_lists_round_trip_and_short_or_long_input_reads_as_none() {
        for n in [0_u64, 1, 127, 128, 300, u64::MAX] {
            assert_eq!(decode::<u64>(&encode(&n)), Some(n));
        }
        for n in [0_i64, -1, 1, i64::MIN, i64::MAX, -1_800_000_000] {
            assert_eq!(decode::<i64>(&encode(&n)), Some(n));
        }
        let v = vec![Some("é".to_owned()), None, Some(String::new())];
        let bytes = encode(&v);
        assert_eq!(decode::<Vec<Option<String>>>(&bytes), Some(v));
        assert_eq!(
            decode::<Vec<Option<String>>>(&bytes[..bytes.len() - 1]),
            None
        );
        let mut long = bytes.clone();
        long.push(0);
        assert_eq!(decode::<Vec<Option<String>>>(&long), None);
        // A count far beyond the bytes is refused before anything is allocated.
        assert_eq!(decode::<Vec<bool>>(&encode(&u64::MAX)), None);
        assert_eq!(decode::<String>(&[2, 0xff, 0xfe]), None, "not UTF-8");
        assert_eq!(decode::<bool>(&[2]), None);
        assert_eq!(decode::<u64>(&[0xff; 11]), None, "a varint past 64 bits");
    }
}
