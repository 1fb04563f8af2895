//! The values an admin types for the JumpCloud SAML connector (JumpCloud's "Keeper" connector:
//! IdP Entity ID, SP Entity ID, ACS URL, IdP URL, Display Label), with the rule each must follow,
//! the presets that derive the SP's values, the settings that save them, and the metadata they
//! make.
//!
//! The page and the command line fill a [`ConnectorValues`] through [`ConnectorValues::set`] and
//! ask it for findings and metadata; nothing here knows about either. Every field is declared
//! once, in [`fields`].
//!
//! ```
//! use samlmeta::connector::{ConnectorValues, Field, Preset};
//!
//! let mut values = ConnectorValues::default();
//! values.apply_preset(Preset::KeeperCloud);
//! values.set(Field::KeeperRegion, "keepersecurity.eu")?;
//! values.set(Field::KeeperSsoId, "459561502469")?;
//! assert_eq!(values.acs_url, "https://keepersecurity.eu/api/rest/sso/saml/sso/459561502469");
//! assert_eq!(values.sp_entity_id, "https://keepersecurity.eu/api/rest/sso/saml/459561502469");
//! # Ok::<(), String>(())
//! ```

pub mod fields;
mod json;
pub mod presets;
pub mod rollover;
pub mod settings;

pub use fields::{CliFlag, FIELDS, Field, FieldSpec, Side};
pub use presets::{KEEPER_REGIONS, Preset, keeper_cloud_sp, keeper_on_prem_sp};
pub use settings::{
    CHECK_VIEW, Prefill, SettingsError, prefill_from_fragment, prefill_from_idp_metadata,
    prefill_from_pairs, read_settings,
};

use crate::findings::{Finding, FindingCode, Severity};
use crate::metadata::{Binding, IdpMetadata, NAMEID_EMAIL, SpMetadata, error, jumpcloud_sso_url};
use crate::pki::cert::Certificate;
use crate::time::{DAY, UnixTime, parse_xs_duration};

/// The longest validUntil offered: ten years.
pub const MAX_VALID_DAYS: u32 = 3650;

/// NameID formats offered for choosing (saml-core-2.0-os §8.3), emailAddress first.
pub const NAMEID_FORMATS: [(&str, &str); 4] = [
    (
        NAMEID_EMAIL,
        "Email address (what Keeper SSO Connect expects)",
    ),
    (
        "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
        "Unspecified",
    ),
    (
        "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
        "Persistent",
    ),
    (
        "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
        "Transient",
    ),
];

/// What the admin entered. Change it through [`ConnectorValues::set`] and
/// [`ConnectorValues::apply_preset`], which keep the preset's derived values in step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectorValues {
    /// The preset the values started from.
    pub preset: Preset,
    /// Keeper SSO Connect Cloud: the region's host (empty under other presets).
    pub keeper_region: String,
    /// Keeper SSO Connect Cloud: the SSO ID (empty under other presets).
    pub keeper_sso_id: String,
    /// Keeper SSO Connect on-prem: the server, `host` or `host:port` (empty under other presets).
    pub sso_connect_server: String,
    /// IdP Entity ID: required, case-sensitive, exactly as the SP has it.
    pub idp_entity_id: String,
    /// SP Entity ID (configured in the IdP's connector; not part of IdP metadata).
    pub sp_entity_id: String,
    /// ACS URL (configured in the IdP's connector; not part of IdP metadata).
    pub acs_url: String,
    /// The IdP URL suffix: SSO at `https://sso.jumpcloud.com/saml2/<suffix>`.
    pub idp_url_suffix: String,
    /// A full SSO URL that replaces JumpCloud's, when set.
    pub sso_url: Option<String>,
    /// Display Label, written as `mdui:DisplayName` when not empty.
    pub display_label: String,
    /// The NameID formats, in order.
    pub name_id_formats: Vec<String>,
    /// The SSO bindings.
    pub bindings: Vec<Binding>,
    /// Advanced: `validUntil` this many days from now (empty: none).
    pub valid_days: String,
    /// Advanced: `cacheDuration`, an `xs:duration` such as `P7D` (empty: none).
    pub cache_duration: String,
    /// Advanced: a single logout URL (empty: none).
    pub slo_url: String,
    /// Advanced: the organization's name (with `org_url`, written as `md:Organization`).
    pub org_name: String,
    /// Advanced: the organization's web site.
    pub org_url: String,
    /// Advanced: a technical contact's name.
    pub contact_name: String,
    /// Advanced: a technical contact's e-mail address.
    pub contact_email: String,
}

/// The certificates beside the signing one, from files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtraCertificates {
    /// More signing certificates, for a key rollover (after the one that signs).
    pub rollover: Vec<Certificate>,
    /// A certificate SPs encrypt assertions to.
    pub encryption: Option<Certificate>,
}

impl Default for ConnectorValues {
    /// JumpCloud's export shape: emailAddress, one SingleSignOnService with HTTP-POST (JumpCloud
    /// adds HTTP-Redirect only when its connector's "Declare Redirect Endpoint" is ticked).
    fn default() -> Self {
        Self {
            preset: Preset::KeeperOnPrem,
            keeper_region: String::new(),
            keeper_sso_id: String::new(),
            sso_connect_server: String::new(),
            idp_entity_id: String::new(),
            sp_entity_id: String::new(),
            acs_url: String::new(),
            idp_url_suffix: String::new(),
            sso_url: None,
            display_label: String::new(),
            name_id_formats: vec![NAMEID_EMAIL.to_owned()],
            bindings: vec![Binding::HttpPost],
            valid_days: String::new(),
            cache_duration: String::new(),
            slo_url: String::new(),
            org_name: String::new(),
            org_url: String::new(),
            contact_name: String::new(),
            contact_email: String::new(),
        }
    }
}

impl ConnectorValues {
    /// Takes the SP's values from its own metadata (as Keeper's "Export Metadata" saves it): the
    /// SP Entity ID, and the ACS URL when the metadata names one. Returns the fields filled.
    pub fn fill_from_sp_metadata(&mut self, info: &crate::metadata::SpInfo) -> Vec<Field> {
        let mut filled = vec![Field::SpEntityId];
        self.sp_entity_id.clone_from(&info.entity_id);
        if let Some(acs) = &info.acs_url {
            self.acs_url.clone_from(acs);
            filled.push(Field::AcsUrl);
        }
        filled
    }

    /// The SSO URL the metadata will carry: the full URL given, or JumpCloud's for the suffix.
    #[must_use]
    pub fn sso_url(&self) -> String {
        match &self.sso_url {
            Some(url) => url.trim().to_owned(),
            None => jumpcloud_sso_url(&self.idp_url_suffix),
        }
    }

    /// Every finding about the values, with the field it belongs to, in [`FIELDS`] order.
    /// Errors block the metadata.
    #[must_use]
    pub fn findings(&self) -> Vec<(Field, Finding)> {
        FIELDS
            .into_iter()
            .flat_map(|field| field.findings(self).into_iter().map(move |f| (field, f)))
            .collect()
    }

    /// [`ConnectorValues::findings`], and those that need the signing certificate and the time:
    /// what the page shows and `samlmeta idp` prints.
    #[must_use]
    pub fn findings_at(
        &self,
        signing_certificate: Option<&Certificate>,
        now: UnixTime,
    ) -> Vec<(Field, Finding)> {
        let mut out = self.findings();
        if let Some(f) = signing_certificate.and_then(|c| self.valid_until_finding(c, now)) {
            out.push((Field::ValidDays, f));
        }
        out
    }

    /// The findings that matter for SP metadata: the SP's fields (SP Entity ID and ACS URL are
    /// required there), the NameID format, the preset's inputs.
    #[must_use]
    pub fn sp_findings(&self) -> Vec<(Field, Finding)> {
        let mut out = Vec::new();
        if self.sp_entity_id.is_empty() {
            out.push((
                Field::SpEntityId,
                error(
                    FindingCode::SpEntityIdEmpty,
                    "The SP Entity ID is empty: copy it from the service provider (Keeper: its \
                     SP Entity ID), or read the SP's metadata."
                        .to_owned(),
                ),
            ));
        }
        if self.acs_url.is_empty() {
            out.push((
                Field::AcsUrl,
                error(
                    FindingCode::AcsUrlEmpty,
                    "The ACS URL is empty: copy it from the service provider (Keeper: its \
                     Assertion Consumer Service endpoint), or read the SP's metadata."
                        .to_owned(),
                ),
            ));
        }
        out.extend(
            self.findings()
                .into_iter()
                .filter(|(field, _)| field.spec().side.includes(Side::Sp)),
        );
        out
    }

    /// A warning when validUntil would fall after the signing certificate expires: the metadata
    /// would outlive the certificate in it.
    #[must_use]
    pub fn valid_until_finding(&self, certificate: &Certificate, now: UnixTime) -> Option<Finding> {
        let days: u32 = self.valid_days.trim().parse().ok()?;
        if !(1..=MAX_VALID_DAYS).contains(&days) {
            return None;
        }
        let until = UnixTime::from_seconds(now.seconds() + i64::from(days) * DAY);
        (until > certificate.not_after()).then(|| Finding {
            severity: Severity::Warning,
            code: FindingCode::ValidUntilAfterCertificate,
            message: format!(
                "validUntil ({}) is after the certificate expires ({}): choose at most {} days, \
                 and publish new metadata with the next certificate before then.",
                until.date(),
                certificate.not_after().date(),
                now.days_until(certificate.not_after()).max(0)
            ),
        })
    }

    /// The IdP metadata these values make, signed by (or, unsigned, naming) `signing_certificate`.
    #[must_use]
    pub fn idp_metadata(&self, signing_certificate: Certificate) -> IdpMetadata {
        let mut md = IdpMetadata::jumpcloud(
            &self.idp_entity_id,
            signing_certificate,
            &self.idp_url_suffix,
        );
        md.sso_url = self.sso_url();
        md.name_id_formats.clone_from(&self.name_id_formats);
        md.sso_bindings.clone_from(&self.bindings);
        let label = self.display_label.trim();
        md.display_name = (!label.is_empty()).then(|| label.to_owned());
        md
    }

    /// The IdP metadata with the advanced values and the extra certificates; `now` anchors
    /// validUntil. What the page downloads and `samlmeta idp` writes.
    #[must_use]
    pub fn idp_metadata_with(
        &self,
        signing_certificate: Certificate,
        extra: &ExtraCertificates,
        now: UnixTime,
    ) -> IdpMetadata {
        let mut md = self.idp_metadata(signing_certificate);
        for second in &extra.rollover {
            if !md.signing_certificates.contains(second) {
                md.signing_certificates.push(second.clone());
            }
        }
        md.encryption_certificate.clone_from(&extra.encryption);
        md.valid_until = self
            .valid_days
            .trim()
            .parse::<u32>()
            .ok()
            .map(|days| UnixTime::from_seconds(now.seconds() + i64::from(days) * DAY));
        md.cache_duration_seconds = parse_xs_duration(&self.cache_duration);
        let slo = self.slo_url.trim();
        md.slo_url = (!slo.is_empty()).then(|| slo.to_owned());
        md.organization = self.organization();
        md.contacts = self.contacts();
        md
    }

    /// The SP metadata these values make: SP Entity ID, ACS URL (HTTP-POST), the first NameID
    /// format, and the SP's own certificate if given.
    #[must_use]
    pub fn sp_metadata(&self, certificate: Option<Certificate>) -> SpMetadata {
        let mut sp = SpMetadata::new(&self.sp_entity_id, &self.acs_url);
        if let Some(format) = self.name_id_formats.first() {
            sp.name_id_format.clone_from(format);
        }
        sp.certificate = certificate;
        sp
    }

    /// The download's file name: `<IdP URL suffix>-idp-metadata.xml`, or `idp-metadata.xml`.
    #[must_use]
    pub fn idp_metadata_file_name(&self) -> String {
        self.file_name("idp-metadata.xml")
    }

    /// A download's file name: `<IdP URL suffix>-<name>` (the suffix cut to letters, digits,
    /// `-`, `.` and `_`), or `name` alone without a suffix. The page saves
    /// `idp-metadata.xml`, `samlmeta-settings.json` and `idp-certificate.cer` this way.
    #[must_use]
    pub fn file_name(&self, name: &str) -> String {
        let suffix: String = self
            .idp_url_suffix
            .trim()
            .trim_matches('/')
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "-._".contains(c) {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let suffix = suffix.trim_matches(['.', '-']);
        if suffix.is_empty() {
            name.to_owned()
        } else {
            format!("{suffix}-{name}")
        }
    }
}

/// Whether `text` holds a PEM private key: `BEGIN PRIVATE KEY`, `BEGIN RSA/EC/ENCRYPTED/OPENSSH
/// PRIVATE KEY`. Connector values end up in public metadata and in settings files and links that
/// are shared, so none of them may hold one: a settings file holding one is refused whole, a link
/// parameter holding one is ignored, and a typed value holding one is an error.
pub(crate) fn holds_private_key(text: &str) -> bool {
    text.contains("PRIVATE KEY-----")
}

/// At most 40 characters of something quoted back to the user.
fn shorten(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_owned()
    }
}
