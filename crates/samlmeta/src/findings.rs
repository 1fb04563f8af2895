//! Checks on the key and certificates, each a [`Finding`] with a severity and a message that says
//! what it means for the SSO setup.
//!
//! Errors block signing; warnings do not. "Now" is a parameter (see [`crate::time`]).

use crate::pki::cert::{Certificate, PublicKeyInfo};
use crate::pki::key::PublicKey;
use crate::time::UnixTime;
use core::fmt;

/// The smallest RSA key accepted for signing (NIST SP 800-57: 112-bit security through 2030).
pub const MIN_RSA_BITS: u32 = 2048;

/// Warn when the certificate expires within this many days.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing; nothing to do.
    Info,
    /// Signing works, but the SP or the setup may have trouble.
    Warning,
    /// Signing is blocked until this is fixed.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        })
    }
}

/// Declares [`FindingCode`]: each variant with the stable text scripts, the CLI's `[code]` and the
/// page's `data-code` see.
macro_rules! finding_codes {
    ($($variant:ident => $text:literal,)*) => {
        /// What a [`Finding`] is about, as a stable identifier. [`FindingCode::as_str`] gives the
        /// text (`key-mismatch`, `cert-expired`, ...) the CLI prints in brackets and the page
        /// writes in `data-code`; it does not change between versions.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum FindingCode {
            $(
                #[doc = concat!("`", $text, "`")]
                $variant,
            )*
        }

        impl FindingCode {
            /// Every code.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)*];

            /// The stable text.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)*
                }
            }
        }
    };
}

finding_codes! {
    AcsUrlEmpty => "acs-url-empty",
    AcsUrlIsEntityId => "acs-url-is-entity-id",
    BadNameidFormat => "bad-nameid-format",
    CacheDurationInvalid => "cache-duration-invalid",
    CertExpired => "cert-expired",
    CertExpiring => "cert-expiring",
    CertKeyTooSmall => "cert-key-too-small",
    CertNoDigitalSignature => "cert-no-digital-signature",
    CertNotRsa => "cert-not-rsa",
    CertNotYetValid => "cert-not-yet-valid",
    CertWeakSignature => "cert-weak-signature",
    ContactEmailInvalid => "contact-email-invalid",
    DisplayLabelControl => "display-label-control",
    EntityIdEmpty => "entity-id-empty",
    EntityIdNotUri => "entity-id-not-uri",
    EntityIdNotUriReference => "entity-id-not-uri-reference",
    EntityIdTooLong => "entity-id-too-long",
    EntityIdWhitespace => "entity-id-whitespace",
    IdpUrlSuffixEmpty => "idp-url-suffix-empty",
    IdpUrlSuffixInvalid => "idp-url-suffix-invalid",
    KeeperAcsUrlUnexpected => "keeper-acs-url-unexpected",
    KeeperSpEntityIdUnexpected => "keeper-sp-entity-id-unexpected",
    KeeperSsoIdInvalid => "keeper-sso-id-invalid",
    KeyMismatch => "key-mismatch",
    KeyTooSmall => "key-too-small",
    NoNameidFormat => "no-nameid-format",
    NoSigningCertificate => "no-signing-certificate",
    NoSsoBinding => "no-sso-binding",
    NotXmlText => "not-xml-text",
    OrganizationIncomplete => "organization-incomplete",
    OrganizationUrlInvalid => "organization-url-invalid",
    OtherCertificates => "other-certificates",
    RolloverCurrentExpired => "rollover-current-expired",
    RolloverGap => "rollover-gap",
    RolloverNewExpired => "rollover-new-expired",
    RolloverNewExpiresFirst => "rollover-new-expires-first",
    RolloverNewNotYetValid => "rollover-new-not-yet-valid",
    RolloverSameCertificate => "rollover-same-certificate",
    RolloverSameKey => "rollover-same-key",
    SpEntityIdEmpty => "sp-entity-id-empty",
    SsoConnectServerInvalid => "sso-connect-server-invalid",
    UrlHttp => "url-http",
    UrlInvalid => "url-invalid",
    ValidDaysInvalid => "valid-days-invalid",
    ValidUntilAfterCertificate => "valid-until-after-certificate",
    ValueHoldsKey => "value-holds-key",
}

impl FindingCode {
    /// Whether it says that a required value is empty (which a form shows by its label until
    /// the user tries to go on, rather than as an error under an untouched field).
    #[must_use]
    pub const fn is_empty_value(self) -> bool {
        matches!(
            self,
            Self::AcsUrlEmpty
                | Self::EntityIdEmpty
                | Self::IdpUrlSuffixEmpty
                | Self::SpEntityIdEmpty
        )
    }
}

impl fmt::Display for FindingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for FindingCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<FindingCode> for &str {
    fn eq(&self, other: &FindingCode) -> bool {
        *self == other.as_str()
    }
}

/// One result of a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// How serious it is.
    pub severity: Severity,
    /// What it is about, as a stable identifier (`key-mismatch`, `cert-expired`, …).
    pub code: FindingCode,
    /// What was found and what it means, in plain words.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.severity, self.message)
    }
}

/// The certificate the key signs for: the one whose public key is the key's public half.
#[must_use]
pub fn matching_certificate<'a>(
    key: &PublicKey,
    certificates: &'a [Certificate],
) -> Option<&'a Certificate> {
    let public = Some(key.der()).filter(|der| !der.is_empty())?;
    certificates
        .iter()
        .find(|c| c.public_key_der().as_deref() == Some(public))
}

/// The certificate that goes into the metadata as the signing certificate.
///
/// With a key: the certificate matching it (`None` when none does). Without one (unsigned metadata
/// needs only the certificate): the first end-entity certificate, that is one that issued none of
/// the others, so a chain in any order gives its leaf, not its CA.
#[must_use]
pub fn signing_certificate<'a>(
    key: Option<&PublicKey>,
    certificates: &'a [Certificate],
) -> Option<&'a Certificate> {
    match key {
        Some(key) => matching_certificate(key, certificates),
        None => certificates
            .iter()
            .find(|c| {
                !certificates.iter().any(|other| {
                    other != *c && !other.is_self_issued() && other.issuer() == c.subject()
                })
            })
            .or_else(|| certificates.first()),
    }
}

/// Checks `key` (if any) against `certificates` at time `now`.
///
/// The signing certificate is chosen by [`signing_certificate`]; the others are reported.
#[must_use]
pub fn check(key: Option<&PublicKey>, certificates: &[Certificate], now: UnixTime) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut push = |severity, code, message: String| {
        findings.push(Finding {
            severity,
            code,
            message,
        })
    };

    if let Some(key) = key
        && key.bits() < MIN_RSA_BITS
    {
        push(
            Severity::Error,
            FindingCode::KeyTooSmall,
            format!(
                "The private key is RSA {} bits; at least {MIN_RSA_BITS} bits are needed, and many \
                     service providers refuse smaller keys. Make a new key pair (openssl req -x509 \
                     -newkey rsa:2048 ...), then upload the new certificate to your identity provider \
                     and the new metadata to the service provider.",
                key.bits()
            ),
        );
    }

    let signing = signing_certificate(key, certificates);
    if key.is_some() && signing.is_none() && !certificates.is_empty() {
        push(
            Severity::Error,
            FindingCode::KeyMismatch,
            "The private key does not belong to any of the certificates. Signatures made with it \
             would not verify against the certificate in the metadata, so the service provider \
             would reject every login. Use the private.pem and cert.pem made together."
                .to_owned(),
        );
    }

    let others = certificates.iter().filter(|c| Some(*c) != signing).count();
    if signing.is_some() && others > 0 {
        push(
            Severity::Info,
            FindingCode::OtherCertificates,
            format!(
                "{others} other certificate{s} in the file (for example an issuing CA) {are} not used: \
                 SAML metadata carries only the signing certificate.",
                s = if others == 1 { "" } else { "s" },
                are = if others == 1 { "is" } else { "are" },
            ),
        );
    }

    if let Some(cert) = signing {
        check_certificate(cert, now, &mut push);
    }
    findings
}

fn check_certificate(
    cert: &Certificate,
    now: UnixTime,
    push: &mut impl FnMut(Severity, FindingCode, String),
) {
    let (not_before, not_after) = (cert.not_before(), cert.not_after());
    if now > not_after {
        push(
            Severity::Warning,
            FindingCode::CertExpired,
            format!(
                "The certificate expired on {} ({} days ago). Many service providers, and verifiers \
                 such as xmlsec1, refuse signatures from an expired certificate; make a new key pair \
                 and certificate, then update both the identity provider and the service provider.",
                not_after.date(),
                not_after.days_until(now)
            ),
        );
    } else if now < not_before {
        push(
            Severity::Warning,
            FindingCode::CertNotYetValid,
            format!(
                "The certificate is valid only from {}. Until then service providers may refuse \
                 signatures made with it; check the clock of the machine that made it.",
                not_before.date()
            ),
        );
    } else if now.days_until(not_after) < EXPIRY_WARNING_DAYS {
        push(
            Severity::Warning,
            FindingCode::CertExpiring,
            format!(
                "The certificate expires on {} (in {} days). Plan the rotation now: publish metadata \
                 with both the current and the new signing certificate, then switch.",
                not_after.date(),
                now.days_until(not_after)
            ),
        );
    }

    if cert.signature_algorithm().weak_digest {
        push(
            Severity::Warning,
            FindingCode::CertWeakSignature,
            format!(
                "The certificate is signed with {}, which relies on a broken hash. For a self-signed \
                 SAML certificate this does not weaken the metadata's own signature, but some service \
                 providers refuse such certificates; a new certificate with SHA-256 avoids that.",
                cert.signature_algorithm()
            ),
        );
    }

    if let PublicKeyInfo::Rsa { bits } = cert.public_key() {
        if bits < MIN_RSA_BITS {
            push(
                Severity::Error,
                FindingCode::CertKeyTooSmall,
                format!(
                    "The certificate holds an RSA {bits}-bit key; at least {MIN_RSA_BITS} bits are \
                     needed. Make a new key pair and certificate."
                ),
            );
        }
    } else {
        push(
            Severity::Error,
            FindingCode::CertNotRsa,
            format!(
                "The certificate holds {}, not an RSA key; metadata here is signed with RSA.",
                cert.public_key()
            ),
        );
    }

    if let Some(usage) = cert.key_usage()
        && !usage.contains(&"digitalSignature")
    {
        push(
            Severity::Warning,
            FindingCode::CertNoDigitalSignature,
            format!(
                "The certificate's key usage ({}) does not include digitalSignature. Strict \
                     service providers refuse signatures from it; make a certificate with \
                     keyUsage=digitalSignature.",
                usage.join(", ")
            ),
        );
    }
}

/// True when a finding blocks signing.
#[must_use]
pub fn blocks_signing(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}
