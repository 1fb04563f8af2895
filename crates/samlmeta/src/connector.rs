//! The values an admin types for the JumpCloud SAML connector (see JumpCloud's "Keeper" connector:
//! IdP Entity ID, SP Entity ID, ACS URL, IdP URL, Display Label), with the rule each must follow,
//! finding by finding and field by field, and the IdP metadata they make.
//!
//! The page and the command line fill a [`ConnectorValues`]; nothing here knows about either.

use crate::cert::Certificate;
use crate::findings::{Finding, Severity};
use crate::model::{
    Binding, Contact, ContactType, IdpMetadata, NAMEID_EMAIL, Organization, check_contacts,
    check_entity_id, check_name_id_format, check_organization, check_url, error, jumpcloud_sso_url,
};
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

/// A starting point: sets defaults and help texts; never hides or drops what the user filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Preset {
    /// JumpCloud as IdP for Keeper SSO Connect on-prem (the reference flow).
    #[default]
    KeeperOnPrem,
    /// JumpCloud as IdP for Keeper SSO Connect Cloud: SP values from the region and SSO ID.
    KeeperCloud,
    /// Any SAML IdP: a full SSO URL instead of JumpCloud's.
    Generic,
}

impl Preset {
    /// Every preset, in the order the page offers them.
    pub const ALL: [Self; 3] = [Self::KeeperOnPrem, Self::KeeperCloud, Self::Generic];

    /// The name in links and settings files.
    #[must_use]
    pub const fn id(self) -> &'static str {
        match self {
            Self::KeeperOnPrem => "keeper",
            Self::KeeperCloud => "keeper-cloud",
            Self::Generic => "generic",
        }
    }

    /// The name the page shows.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::KeeperOnPrem => "JumpCloud \u{2192} Keeper SSO Connect (on-prem)",
            Self::KeeperCloud => "JumpCloud \u{2192} Keeper SSO Connect Cloud",
            Self::Generic => "Generic SAML IdP",
        }
    }

    /// The preset called `id`.
    #[must_use]
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.id() == id)
    }
}

/// Keeper's regions: (name, host).
pub const KEEPER_REGIONS: [(&str, &str); 6] = [
    ("US (keepersecurity.com)", "keepersecurity.com"),
    ("EU (keepersecurity.eu)", "keepersecurity.eu"),
    ("Australia (keepersecurity.com.au)", "keepersecurity.com.au"),
    ("Canada (keepersecurity.ca)", "keepersecurity.ca"),
    ("Japan (keepersecurity.jp)", "keepersecurity.jp"),
    (
        "US GovCloud (govcloud.keepersecurity.us)",
        "govcloud.keepersecurity.us",
    ),
];

/// Keeper SSO Connect Cloud's SP Entity ID and ACS URL for a region's host and an SSO ID:
/// both `https://<host>/api/rest/sso/saml/<SSO ID>` (check them against Keeper's own "Export
/// Metadata"). `None` when the SSO ID is not digits.
#[must_use]
pub fn keeper_cloud_sp(host: &str, sso_id: &str) -> Option<(String, String)> {
    let id = sso_id.trim();
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let url = format!("https://{host}/api/rest/sso/saml/{id}");
    Some((url.clone(), url))
}

/// The input a finding belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// IdP Entity ID.
    IdpEntityId,
    /// SP Entity ID.
    SpEntityId,
    /// ACS URL.
    AcsUrl,
    /// IdP URL (the suffix after `https://sso.jumpcloud.com/saml2/`).
    IdpUrlSuffix,
    /// Another full SSO URL, instead of JumpCloud's.
    SsoUrl,
    /// Display Label.
    DisplayLabel,
    /// NameID format.
    NameIdFormat,
    /// SSO bindings.
    Bindings,
    /// validUntil, in days.
    ValidDays,
    /// cacheDuration.
    CacheDuration,
    /// Single logout URL.
    SloUrl,
    /// Organization name and URL.
    Organization,
    /// Technical contact.
    Contact,
}

/// What the admin entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectorValues {
    /// The preset the values started from.
    pub preset: Preset,
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
    /// The NameID format.
    pub name_id_format: String,
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
    /// A second signing certificate, for a key rollover.
    pub rollover: Option<Certificate>,
    /// A certificate SPs encrypt assertions to.
    pub encryption: Option<Certificate>,
}

impl Default for ConnectorValues {
    fn default() -> Self {
        Self {
            preset: Preset::KeeperOnPrem,
            idp_entity_id: String::new(),
            sp_entity_id: String::new(),
            acs_url: String::new(),
            idp_url_suffix: String::new(),
            sso_url: None,
            display_label: String::new(),
            name_id_format: NAMEID_EMAIL.to_owned(),
            bindings: vec![Binding::HttpRedirect, Binding::HttpPost],
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
    /// Switches to `preset`: the generic preset asks for a full SSO URL; the Keeper presets use
    /// JumpCloud's. Nothing the user typed is dropped.
    pub fn apply_preset(&mut self, preset: Preset) {
        self.preset = preset;
        match preset {
            Preset::Generic => {
                if self.sso_url.is_none() {
                    self.sso_url = Some(String::new());
                }
            }
            Preset::KeeperOnPrem | Preset::KeeperCloud => {
                if self.sso_url.as_deref() == Some("") {
                    self.sso_url = None;
                }
            }
        }
    }

    /// The SSO URL the metadata will carry: the full URL given, or JumpCloud's for the suffix.
    #[must_use]
    pub fn sso_url(&self) -> String {
        match &self.sso_url {
            Some(url) => url.trim().to_owned(),
            None => jumpcloud_sso_url(&self.idp_url_suffix),
        }
    }

    /// Every finding about the values, with the field it belongs to. Errors block the metadata.
    #[must_use]
    pub fn findings(&self) -> Vec<(Field, Finding)> {
        let mut out = Vec::new();
        let mut add = |field: Field, findings: Vec<Finding>| {
            out.extend(findings.into_iter().map(|f| (field, f)));
        };

        let mut f = Vec::new();
        check_entity_id("IdP Entity ID", &self.idp_entity_id, &mut f);
        add(Field::IdpEntityId, f);

        if !self.sp_entity_id.is_empty() {
            let mut f = Vec::new();
            check_entity_id("SP Entity ID", &self.sp_entity_id, &mut f);
            add(Field::SpEntityId, f);
        }
        if !self.acs_url.is_empty() {
            let mut f = Vec::new();
            check_url("ACS URL", &self.acs_url, &mut f);
            add(Field::AcsUrl, f);
        }

        match &self.sso_url {
            Some(url) => {
                let mut f = Vec::new();
                check_url("SSO URL", url.trim(), &mut f);
                add(Field::SsoUrl, f);
            }
            None => {
                let suffix = self.idp_url_suffix.trim().trim_matches('/');
                let f = if suffix.is_empty() {
                    vec![error(
                        "idp-url-suffix-empty",
                        "Enter the IdP URL: the end of the connector's SSO address, \
                         https://sso.jumpcloud.com/saml2/<IdP URL> (for example keepersecurity)."
                            .to_owned(),
                    )]
                } else if let Some(c) = suffix
                    .chars()
                    .find(|c| !(c.is_ascii_alphanumeric() || "-._~/".contains(*c)))
                {
                    vec![error(
                        "idp-url-suffix-invalid",
                        format!(
                            "The IdP URL may hold letters, digits and - . _ ~ only; \"{}\" is not \
                             allowed. Copy it again from the connector's IdP URL field.",
                            c.escape_default()
                        ),
                    )]
                } else {
                    Vec::new()
                };
                add(Field::IdpUrlSuffix, f);
            }
        }

        if self.display_label.chars().any(char::is_control) {
            add(
                Field::DisplayLabel,
                vec![error(
                    "display-label-control",
                    "The Display Label contains a line break or control character; type it on one line."
                        .to_owned(),
                )],
            );
        }
        let mut f = Vec::new();
        check_name_id_format(&self.name_id_format, &mut f);
        add(Field::NameIdFormat, f);
        if self.bindings.is_empty() {
            add(
                Field::Bindings,
                vec![error(
                    "no-sso-binding",
                    "Choose at least one binding (HTTP-Redirect or HTTP-POST) for the SSO URL."
                        .to_owned(),
                )],
            );
        }
        if !self.valid_days.trim().is_empty() {
            let ok = self
                .valid_days
                .trim()
                .parse::<u32>()
                .is_ok_and(|d| (1..=MAX_VALID_DAYS).contains(&d));
            if !ok {
                add(
                    Field::ValidDays,
                    vec![error(
                        "valid-days-invalid",
                        format!(
                            "Valid for (days) must be a whole number from 1 to {MAX_VALID_DAYS}, or empty for no validUntil."
                        ),
                    )],
                );
            }
        }
        if !self.cache_duration.trim().is_empty()
            && parse_xs_duration(&self.cache_duration).is_none()
        {
            add(
                Field::CacheDuration,
                vec![error(
                    "cache-duration-invalid",
                    format!(
                        "\"{}\" is not a duration such as P7D (7 days) or PT12H (12 hours).",
                        shorten(self.cache_duration.trim())
                    ),
                )],
            );
        }
        if !self.slo_url.trim().is_empty() {
            let mut f = Vec::new();
            check_url("Single logout URL", self.slo_url.trim(), &mut f);
            add(Field::SloUrl, f);
        }
        let mut org = Vec::new();
        if let Some(o) = self.organization() {
            check_organization(&o, &mut org);
            // The URL check names its field; keep the codes as the model's.
            for f in &mut org {
                if f.code == "url-invalid" {
                    f.code = "organization-url-invalid";
                }
            }
        }
        let mut contact = Vec::new();
        check_contacts(&self.contacts(), &mut contact);
        add(Field::Organization, org);
        add(Field::Contact, contact);
        out
    }

    fn organization(&self) -> Option<Organization> {
        let (name, url) = (self.org_name.trim(), self.org_url.trim());
        (!name.is_empty() || !url.is_empty()).then(|| Organization {
            name: name.to_owned(),
            display_name: name.to_owned(),
            url: url.to_owned(),
        })
    }

    fn contacts(&self) -> Vec<Contact> {
        let (name, email) = (self.contact_name.trim(), self.contact_email.trim());
        if name.is_empty() && email.is_empty() {
            return Vec::new();
        }
        vec![Contact {
            kind: ContactType::Technical,
            name: (!name.is_empty()).then(|| name.to_owned()),
            email: (!email.is_empty()).then(|| email.to_owned()),
        }]
    }

    /// A warning when validUntil would fall after the signing certificate expires: the metadata
    /// would outlive the certificate in it.
    #[must_use]
    pub fn valid_until_finding(&self, certificate: &Certificate, now: UnixTime) -> Option<Finding> {
        let days: i64 = self.valid_days.trim().parse().ok()?;
        let until = UnixTime::from_seconds(now.seconds() + days * DAY);
        (until > certificate.not_after()).then(|| Finding {
            severity: Severity::Warning,
            code: "valid-until-after-certificate",
            message: format!(
                "validUntil ({}) is after the certificate expires ({}): choose at most {} days, \
                 and publish new metadata with the next certificate before then.",
                until.date(),
                certificate.not_after().date(),
                now.days_until(certificate.not_after()).max(0)
            ),
        })
    }

    /// Whether any finding is an error.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.findings()
            .iter()
            .any(|(_, f)| f.severity == Severity::Error)
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
        md.name_id_formats = vec![self.name_id_format.clone()];
        md.sso_bindings = self.bindings.clone();
        let label = self.display_label.trim();
        md.display_name = (!label.is_empty()).then(|| label.to_owned());
        md
    }

    /// The values as settings (the names [`prefill_from_fragment`] reads), without empty ones:
    /// what "export settings" saves and a prefilled link carries. Never a key.
    #[must_use]
    pub fn parameters(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![("preset", self.preset.id().to_owned())];
        for (name, value) in [
            ("idp-entity-id", &self.idp_entity_id),
            ("sp-entity-id", &self.sp_entity_id),
            ("acs-url", &self.acs_url),
            ("idp-url-suffix", &self.idp_url_suffix),
        ] {
            if !value.is_empty() {
                out.push((name, value.clone()));
            }
        }
        if let Some(url) = &self.sso_url {
            out.push(("sso-url", url.clone()));
        }
        if !self.display_label.is_empty() {
            out.push(("display-label", self.display_label.clone()));
        }
        out.push(("nameid-format", self.name_id_format.clone()));
        let bindings: Vec<&str> = self
            .bindings
            .iter()
            .map(|b| match b {
                Binding::HttpRedirect => "redirect",
                Binding::HttpPost => "post",
            })
            .collect();
        out.push(("bindings", bindings.join(",")));
        for (name, value) in [
            ("valid-days", &self.valid_days),
            ("cache-duration", &self.cache_duration),
            ("slo-url", &self.slo_url),
            ("org-name", &self.org_name),
            ("org-url", &self.org_url),
            ("contact-name", &self.contact_name),
            ("contact-email", &self.contact_email),
        ] {
            if !value.is_empty() {
                out.push((name, value.clone()));
            }
        }
        out
    }

    /// A URL fragment (without `#`) that fills the page with these values.
    #[must_use]
    pub fn to_fragment(&self) -> String {
        self.parameters()
            .iter()
            .map(|(name, value)| format!("{name}={}", form_encode(value)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The IdP metadata with the advanced values and the extra certificates; `now` anchors
    /// validUntil.
    #[must_use]
    pub fn idp_metadata_with(
        &self,
        signing_certificate: Certificate,
        extra: &ExtraCertificates,
        now: UnixTime,
    ) -> IdpMetadata {
        let mut md = self.idp_metadata(signing_certificate);
        if let Some(second) = &extra.rollover
            && !md.signing_certificates.contains(second)
        {
            md.signing_certificates.push(second.clone());
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

    /// The download's file name: `<IdP URL suffix>-idp-metadata.xml`, or `idp-metadata.xml`.
    #[must_use]
    pub fn idp_metadata_file_name(&self) -> String {
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
            "idp-metadata.xml".to_owned()
        } else {
            format!("{suffix}-idp-metadata.xml")
        }
    }
}

/// Connector values from a link: what a URL fragment such as
/// `#preset=keeper&idp-entity-id=KeeperSSO&idp-url-suffix=keepersecurity` sets, and notes on every
/// parameter that was not used. Keys and passphrases are never taken from a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefill {
    /// The values: `base` with the fragment's parameters applied.
    pub values: ConnectorValues,
    /// The parameters applied, by name, in the order given.
    pub applied: Vec<String>,
    /// `embed=1`: the page is embedded and may tell its parent frame its height.
    pub embed: bool,
    /// One sentence per parameter that was ignored, and why.
    pub notes: Vec<String>,
}

/// The fragment parameters [`prefill_from_fragment`] understands.
pub const FRAGMENT_PARAMETERS: [&str; 17] = [
    "preset",
    "idp-entity-id",
    "sp-entity-id",
    "acs-url",
    "idp-url-suffix",
    "sso-url",
    "display-label",
    "nameid-format",
    "bindings",
    "embed",
    "valid-days",
    "cache-duration",
    "slo-url",
    "org-name",
    "org-url",
    "contact-name",
    "contact-email",
];

/// Applies a URL fragment (with or without its leading `#`) to `base`. Parameters are
/// `name=value` pairs joined by `&`, percent-encoded as `URLSearchParams` writes them (`+` is a
/// space). Unknown, repeated or unreadable parameters are ignored, each with a note; a parameter
/// that names a key or passphrase is refused with a note; nothing else changes because of them.
#[must_use]
pub fn prefill_from_fragment(fragment: &str, base: &ConnectorValues) -> Prefill {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let mut pairs = Vec::new();
    let mut broken = Vec::new();
    for pair in fragment.split('&').filter(|p| !p.is_empty()) {
        let (raw_name, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        match (form_decode(raw_name), form_decode(raw_value)) {
            (Some(name), Some(value)) => pairs.push((name, value)),
            _ => broken.push(format!(
                "Ignored \"{}\" from the link: it is not properly encoded.",
                shorten(pair)
            )),
        }
    }
    let mut out = prefill_from_pairs(pairs, base, "the link");
    broken.append(&mut out.notes);
    out.notes = broken;
    out
}

/// Applies settings given as name/value pairs (the fragment's parameters, or an exported settings
/// file) to `base`; `source` ("the link", "the settings file") names where they came from in notes.
#[must_use]
pub fn prefill_from_pairs(
    pairs: impl IntoIterator<Item = (String, String)>,
    base: &ConnectorValues,
    source: &str,
) -> Prefill {
    let mut out = Prefill {
        values: base.clone(),
        applied: Vec::new(),
        embed: false,
        notes: Vec::new(),
    };
    for (name, value) in pairs {
        let lower = name.to_ascii_lowercase();
        if [
            "key",
            "private",
            "passphrase",
            "password",
            "secret",
            "pkcs12",
            "p12",
            "pfx",
            "pem",
        ]
        .iter()
        .any(|word| lower.contains(word))
        {
            out.notes.push(format!(
                "Ignored \"{}\" from {source}: keys and passphrases are never taken from a URL or a settings file. \
                 Add the key as a file in step 1.",
                shorten(&name)
            ));
            continue;
        }
        if !FRAGMENT_PARAMETERS.contains(&name.as_str()) {
            out.notes.push(format!(
                "Ignored \"{}\" from {source}: samlmeta has no such setting.",
                shorten(&name)
            ));
            continue;
        }
        if out.applied.contains(&name) {
            out.notes.push(format!(
                "Ignored the second \"{name}\" in {source}: the first one was used."
            ));
            continue;
        }
        if value.chars().any(char::is_control) {
            out.notes.push(format!(
                "Ignored \"{name}\" from {source}: its value contains a line break or control character."
            ));
            continue;
        }
        let v = &mut out.values;
        let applied = match name.as_str() {
            "preset" => match Preset::from_id(&value) {
                Some(preset) => {
                    v.apply_preset(preset);
                    Ok(())
                }
                None => Err(format!("the preset \"{}\" is not known", shorten(&value))),
            },
            "idp-entity-id" => {
                v.idp_entity_id = value;
                Ok(())
            }
            "sp-entity-id" => {
                v.sp_entity_id = value;
                Ok(())
            }
            "acs-url" => {
                v.acs_url = value;
                Ok(())
            }
            "idp-url-suffix" => {
                v.idp_url_suffix = value;
                Ok(())
            }
            "sso-url" => {
                v.sso_url = Some(value);
                Ok(())
            }
            "display-label" => {
                v.display_label = value;
                Ok(())
            }
            "nameid-format" => {
                let known = NAMEID_FORMATS.iter().find(|(urn, _)| {
                    *urn == value || urn.rsplit(':').next() == Some(value.as_str())
                });
                match known {
                    Some((urn, _)) => {
                        v.name_id_format = (*urn).to_owned();
                        Ok(())
                    }
                    None => Err(format!(
                        "\"{}\" is not a NameID format offered here",
                        shorten(&value)
                    )),
                }
            }
            "bindings" => {
                let mut bindings = Vec::new();
                let mut bad = None;
                for b in value.split(',').map(str::trim) {
                    match b.to_ascii_lowercase().as_str() {
                        "redirect" | "http-redirect" => bindings.push(Binding::HttpRedirect),
                        "post" | "http-post" => bindings.push(Binding::HttpPost),
                        other => bad = Some(other.to_owned()),
                    }
                }
                match bad {
                    Some(b) => Err(format!(
                        "\"{}\" is not a binding (redirect, post)",
                        shorten(&b)
                    )),
                    None if bindings.is_empty() => Err("it names no binding".to_owned()),
                    None => {
                        // In the order the metadata writes them: Redirect, then POST.
                        v.bindings = [Binding::HttpRedirect, Binding::HttpPost]
                            .into_iter()
                            .filter(|b| bindings.contains(b))
                            .collect();
                        Ok(())
                    }
                }
            }
            "valid-days" => {
                v.valid_days = value;
                Ok(())
            }
            "cache-duration" => {
                v.cache_duration = value;
                Ok(())
            }
            "slo-url" => {
                v.slo_url = value;
                Ok(())
            }
            "org-name" => {
                v.org_name = value;
                Ok(())
            }
            "org-url" => {
                v.org_url = value;
                Ok(())
            }
            "contact-name" => {
                v.contact_name = value;
                Ok(())
            }
            "contact-email" => {
                v.contact_email = value;
                Ok(())
            }
            "embed" => match value.as_str() {
                "1" | "true" | "" => {
                    out.embed = true;
                    Ok(())
                }
                "0" | "false" => Ok(()),
                other => Err(format!("\"{}\" is not 1 or 0", shorten(other))),
            },
            _ => Err("samlmeta has no such setting".to_owned()),
        };
        match applied {
            Ok(()) => out.applied.push(name),
            Err(why) => out
                .notes
                .push(format!("Ignored \"{name}\" from {source}: {why}.")),
        }
    }
    out
}

/// `application/x-www-form-urlencoded` decoding: `+` is a space, `%XX` a byte; the result must
/// be UTF-8. `None` for a broken escape or bytes that are not UTF-8.
fn form_decode(s: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(s.len());
    let mut iter = s.bytes();
    while let Some(b) = iter.next() {
        match b {
            b'+' => bytes.push(b' '),
            b'%' => {
                let hi = iter.next().and_then(|c| char::from(c).to_digit(16))?;
                let lo = iter.next().and_then(|c| char::from(c).to_digit(16))?;
                bytes.push(u8::try_from(hi * 16 + lo).ok()?);
            }
            other => bytes.push(other),
        }
    }
    String::from_utf8(bytes).ok()
}

/// `application/x-www-form-urlencoded` encoding, as `URLSearchParams` writes it.
fn form_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(char::from(b));
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// At most 40 characters of something quoted back to the user.
fn shorten(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keeper() -> ConnectorValues {
        ConnectorValues {
            idp_entity_id: "KeeperSSO".to_owned(),
            sp_entity_id: "https://keepersecurity.com/api/rest/sso/saml/123".to_owned(),
            acs_url: "https://keepersecurity.com/api/rest/sso/saml/123".to_owned(),
            idp_url_suffix: "keepersecurity".to_owned(),
            display_label: "Keeper Security".to_owned(),
            ..ConnectorValues::default()
        }
    }

    fn errors(values: &ConnectorValues) -> Vec<(Field, &'static str)> {
        values
            .findings()
            .into_iter()
            .filter(|(_, f)| f.severity == Severity::Error)
            .map(|(field, f)| (field, f.code))
            .collect()
    }

    #[test]
    fn empty_values_name_the_required_fields() {
        assert_eq!(
            errors(&ConnectorValues::default()),
            vec![
                (Field::IdpEntityId, "entity-id-empty"),
                (Field::IdpUrlSuffix, "idp-url-suffix-empty")
            ]
        );
    }

    #[test]
    fn the_reference_values_have_no_errors() {
        assert!(errors(&keeper()).is_empty());
        assert!(!keeper().has_errors());
        assert_eq!(
            keeper().sso_url(),
            "https://sso.jumpcloud.com/saml2/keepersecurity"
        );
        assert_eq!(
            keeper().idp_metadata_file_name(),
            "keepersecurity-idp-metadata.xml"
        );
    }

    #[test]
    fn each_field_gets_its_own_finding() {
        let mut v = keeper();
        v.sp_entity_id = "has space".to_owned();
        v.acs_url = "ftp://x".to_owned();
        v.idp_url_suffix = "keeper security".to_owned();
        v.display_label = "a\nb".to_owned();
        v.name_id_format = "email".to_owned();
        v.bindings.clear();
        let fields: Vec<Field> = errors(&v).into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            vec![
                Field::SpEntityId,
                Field::AcsUrl,
                Field::IdpUrlSuffix,
                Field::DisplayLabel,
                Field::NameIdFormat,
                Field::Bindings
            ]
        );
    }

    #[test]
    fn another_sso_url_replaces_jumpclouds() {
        let mut v = keeper();
        v.idp_url_suffix.clear();
        v.sso_url = Some(" https://idp.example.com/sso ".to_owned());
        assert!(errors(&v).is_empty());
        assert_eq!(v.sso_url(), "https://idp.example.com/sso");
        assert_eq!(v.idp_metadata_file_name(), "idp-metadata.xml");
        v.sso_url = Some("idp.example.com".to_owned());
        assert_eq!(errors(&v), vec![(Field::SsoUrl, "url-invalid")]);
    }

    #[test]
    fn a_link_fills_the_values_and_notes_what_it_ignores() {
        let p = prefill_from_fragment(
            "#preset=keeper&idp-entity-id=KeeperSSO&sp-entity-id=https%3A%2F%2Fkeepersecurity.com%2Fapi%2Frest%2Fsso%2Fsaml%2F123\
             &acs-url=https://keepersecurity.com/api/rest/sso/saml/123&idp-url-suffix=keepersecurity\
             &display-label=Keeper+Security&nameid-format=emailAddress&bindings=post,redirect",
            &ConnectorValues::default(),
        );
        assert!(p.notes.is_empty(), "{:?}", p.notes);
        assert_eq!(p.values, keeper());
        assert_eq!(p.applied.len(), 8);
        assert!(!p.embed);
    }

    #[test]
    fn unknown_malformed_and_secret_parameters_change_nothing_else() {
        let base = ConnectorValues::default();
        let p = prefill_from_fragment(
            "idp-entity-id=KeeperSSO&colour=blue&acs-url=%ZZ&private-key=MIIE&passphrase=x\
             &idp-entity-id=Second&bindings=soap&preset=nope&display-label=a%0Ab&embed=1",
            &base,
        );
        assert_eq!(p.values.idp_entity_id, "KeeperSSO");
        assert_eq!(p.values.acs_url, "");
        assert_eq!(p.values.bindings, base.bindings);
        assert_eq!(p.values.display_label, "");
        assert!(p.embed);
        assert_eq!(p.notes.len(), 8, "{:#?}", p.notes);
        assert!(
            p.notes
                .iter()
                .any(|n| n.contains("colour") && n.contains("no such setting"))
        );
        assert!(p.notes.iter().any(|n| n.contains("not properly encoded")));
        assert_eq!(
            p.notes
                .iter()
                .filter(|n| n.contains("never taken from a URL"))
                .count(),
            2
        );
        assert!(
            p.notes
                .iter()
                .any(|n| n.contains("second \"idp-entity-id\""))
        );
        assert!(p.notes.iter().any(|n| n.contains("soap")));
        assert!(p.notes.iter().any(|n| n.contains("nope")));
        assert!(
            p.notes
                .iter()
                .any(|n| n.contains("display-label") && n.contains("line break"))
        );
    }

    #[test]
    fn values_round_trip_through_a_link() {
        let mut v = keeper();
        v.display_label = "Keeper & Co. – ünïcode + more".to_owned();
        v.bindings = vec![Binding::HttpPost];
        v.name_id_format = NAMEID_FORMATS[2].0.to_owned();
        let p = prefill_from_fragment(&v.to_fragment(), &ConnectorValues::default());
        assert!(p.notes.is_empty(), "{:?}", p.notes);
        assert_eq!(p.values, v);
    }

    #[test]
    fn presets_set_defaults_and_keep_what_was_typed() {
        let mut v = keeper();
        v.apply_preset(Preset::Generic);
        assert_eq!(v.sso_url.as_deref(), Some(""));
        assert_eq!(v.idp_entity_id, "KeeperSSO");
        v.apply_preset(Preset::KeeperCloud);
        assert_eq!(v.sso_url, None);
        assert_eq!(
            keeper_cloud_sp("keepersecurity.eu", " 459561502469 "),
            Some((
                "https://keepersecurity.eu/api/rest/sso/saml/459561502469".to_owned(),
                "https://keepersecurity.eu/api/rest/sso/saml/459561502469".to_owned()
            ))
        );
        assert_eq!(keeper_cloud_sp("keepersecurity.com", "abc"), None);
        let p = prefill_from_fragment("preset=keeper-cloud", &ConnectorValues::default());
        assert_eq!(p.values.preset, Preset::KeeperCloud);
        assert!(
            prefill_from_fragment("preset=generic", &ConnectorValues::default())
                .values
                .sso_url
                .is_some()
        );
    }

    #[test]
    fn advanced_values_are_checked_and_written() {
        let cert = crate::read(include_bytes!("../tests/fixtures/cert.pem"), None)
            .unwrap()
            .certificates
            .remove(0);
        let other = crate::read(include_bytes!("../tests/fixtures/other.cert.pem"), None)
            .unwrap()
            .certificates
            .remove(0);
        let mut v = keeper();
        v.valid_days = "0".into();
        v.cache_duration = "7 days".into();
        v.slo_url = "nope".into();
        v.org_name = "Example".into();
        v.contact_email = "not-an-address".into();
        let fields: Vec<Field> = errors(&v).into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            vec![
                Field::ValidDays,
                Field::CacheDuration,
                Field::SloUrl,
                Field::Organization,
                Field::Contact
            ]
        );
        v.valid_days = "30".into();
        v.cache_duration = "P7D".into();
        v.slo_url = "https://sso.jumpcloud.com/saml2/keepersecurity/slo".into();
        v.org_url = "https://example.com".into();
        v.contact_email = "it@example.com".into();
        assert!(errors(&v).is_empty(), "{:?}", errors(&v));
        let now = UnixTime::from_seconds(1_800_000_000);
        let extra = ExtraCertificates {
            rollover: Some(other.clone()),
            encryption: Some(other),
        };
        let md = v.idp_metadata_with(cert.clone(), &extra, now);
        assert_eq!(md.signing_certificates.len(), 2);
        assert!(md.encryption_certificate.is_some());
        assert_eq!(md.cache_duration_seconds, Some(7 * 86_400));
        assert_eq!(
            md.valid_until,
            Some(UnixTime::from_seconds(1_800_000_000 + 30 * DAY))
        );
        assert!(md.organization.is_some() && md.contacts.len() == 1);
        crate::writer::idp_xml(&md).unwrap();
        // validUntil after the certificate's expiry is a warning.
        v.valid_days = "3650".into();
        let late = v.valid_until_finding(&cert, cert.not_after()).unwrap();
        assert_eq!(late.code, "valid-until-after-certificate");
        v.valid_days = "1".into();
        assert!(v.valid_until_finding(&cert, cert.not_before()).is_none());
        // And they travel in links.
        let p = prefill_from_fragment(&v.to_fragment(), &ConnectorValues::default());
        assert!(p.notes.is_empty(), "{:?}", p.notes);
        assert_eq!(p.values, v);
    }

    #[test]
    fn file_names_are_safe() {
        let mut v = keeper();
        v.idp_url_suffix = "../a b/".to_owned();
        assert_eq!(v.idp_metadata_file_name(), "a-b-idp-metadata.xml");
    }
}
