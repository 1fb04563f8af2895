//! Each connector value declared once: its settings and link key, its label on the page, its
//! command-line flag, how its text is read and written, and the findings on it.
//!
//! The page builds its inputs from [`Field::spec`], the settings file and the link fragment use
//! [`Field::key`] with [`Field::text`] and [`ConnectorValues::set`], the command line builds its
//! flags from [`Field::flag`] (for the fields of its [`Side`]), and [`ConnectorValues::findings`]
//! asks every field in [`FIELDS`] order.

use super::presets::{self, KEEPER_REGIONS, Preset};
use super::{ConnectorValues, MAX_VALID_DAYS, NAMEID_FORMATS, holds_private_key, shorten};
use crate::findings::{Finding, FindingCode};
use crate::metadata::{
    Binding, Contact, ContactType, Organization, check_contacts, check_entity_id,
    check_name_id_format, check_organization, check_url, error,
};
use crate::time::parse_xs_duration;

/// A connector value: one input on the page, one key in settings and links, at most one flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The preset the values start from.
    Preset,
    /// Keeper SSO Connect Cloud: the region's host.
    KeeperRegion,
    /// Keeper SSO Connect Cloud: the SSO ID.
    KeeperSsoId,
    /// Keeper SSO Connect on-prem: the server's host (and port).
    SsoConnectServer,
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
    /// NameID formats.
    NameIdFormat,
    /// SSO bindings.
    Bindings,
    /// validUntil, in days.
    ValidDays,
    /// cacheDuration.
    CacheDuration,
    /// Single logout URL.
    SloUrl,
    /// Organization name.
    OrgName,
    /// Organization URL.
    OrgUrl,
    /// Technical contact's name.
    ContactName,
    /// Technical contact's e-mail address.
    ContactEmail,
}

/// Every field, in the order settings files, links and findings list them. The preset comes
/// first and its inputs next: applying them in this order lets typed values win over derived ones.
pub const FIELDS: [Field; 19] = [
    Field::Preset,
    Field::KeeperRegion,
    Field::KeeperSsoId,
    Field::SsoConnectServer,
    Field::IdpEntityId,
    Field::SpEntityId,
    Field::AcsUrl,
    Field::IdpUrlSuffix,
    Field::SsoUrl,
    Field::DisplayLabel,
    Field::NameIdFormat,
    Field::Bindings,
    Field::ValidDays,
    Field::CacheDuration,
    Field::SloUrl,
    Field::OrgName,
    Field::OrgUrl,
    Field::ContactName,
    Field::ContactEmail,
];

/// Which metadata a field belongs to: it decides which command takes its flag and whose
/// findings it joins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The IdP's metadata (`samlmeta idp`).
    Idp,
    /// The SP's values (`samlmeta sp`), configured in the IdP's connector too.
    Sp,
    /// Both.
    Both,
}

impl Side {
    /// Whether a field of this side belongs to `side`'s command.
    #[must_use]
    pub fn includes(self, side: Self) -> bool {
        self == Self::Both || side == Self::Both || self == side
    }
}

/// A field's command-line flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CliFlag {
    /// The long flag, without `--`.
    pub long: &'static str,
    /// Another name the flag answers to.
    pub alias: Option<&'static str>,
    /// The placeholder in `--help`.
    pub value_name: &'static str,
    /// Whether the flag may be repeated (its values join into a list).
    pub repeats: bool,
    /// One sentence of help, for `--help`.
    pub help: &'static str,
}

/// What the page, the settings and links know about a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// The key in settings files and links.
    pub key: &'static str,
    /// The label on the page (and in messages).
    pub label: &'static str,
    /// Which metadata it belongs to (and so which command takes its flag).
    pub side: Side,
}

impl Field {
    /// The field's settings key, page label and side.
    #[must_use]
    pub const fn spec(self) -> FieldSpec {
        let (key, label, side) = match self {
            Self::Preset => ("preset", "Preset", Side::Both),
            Self::KeeperRegion => ("keeper-region", "Keeper region", Side::Both),
            Self::KeeperSsoId => ("keeper-sso-id", "Keeper SSO ID", Side::Both),
            Self::SsoConnectServer => ("sso-connect-server", "SSO Connect server", Side::Both),
            Self::IdpEntityId => ("idp-entity-id", "IdP Entity ID", Side::Idp),
            Self::SpEntityId => ("sp-entity-id", "SP Entity ID", Side::Sp),
            Self::AcsUrl => ("acs-url", "ACS URL", Side::Sp),
            Self::IdpUrlSuffix => ("idp-url-suffix", "IdP URL", Side::Idp),
            Self::SsoUrl => ("sso-url", "SSO URL", Side::Idp),
            Self::DisplayLabel => ("display-label", "Display Label", Side::Idp),
            Self::NameIdFormat => ("nameid-format", "NameID format", Side::Both),
            Self::Bindings => ("bindings", "SSO bindings", Side::Idp),
            Self::ValidDays => ("valid-days", "Valid for (days)", Side::Idp),
            Self::CacheDuration => ("cache-duration", "Cache duration", Side::Idp),
            Self::SloUrl => ("slo-url", "Single logout URL", Side::Idp),
            Self::OrgName => ("org-name", "Organization name", Side::Idp),
            Self::OrgUrl => ("org-url", "Organization URL", Side::Idp),
            Self::ContactName => ("contact-name", "Technical contact name", Side::Idp),
            Self::ContactEmail => ("contact-email", "Technical contact e-mail", Side::Idp),
        };
        FieldSpec { key, label, side }
    }

    /// The field's flag on `samlmeta idp` / `samlmeta sp`, with its help; every field has one.
    /// Beside [`Field::spec`] rather than in it: the page never asks, so the help texts stay out
    /// of its WebAssembly.
    #[must_use]
    pub const fn flag(self) -> CliFlag {
        let (long, alias, value_name, repeats, help) = match self {
            Self::Preset => (
                "preset",
                None,
                "keeper|keeper-cloud|generic",
                false,
                "Where the values start from: keeper (JumpCloud for Keeper SSO Connect on-prem, the \
                 default), keeper-cloud (Keeper SSO Connect Cloud) or generic (any SAML IdP).",
            ),
            Self::KeeperRegion => (
                "keeper-region",
                None,
                "HOST",
                false,
                "Keeper SSO Connect Cloud: the region's host, e.g. keepersecurity.eu.",
            ),
            Self::KeeperSsoId => (
                "keeper-sso-id",
                None,
                "DIGITS",
                false,
                "Keeper SSO Connect Cloud: the digits at the end of Keeper's SP Entity ID (Admin \
                 Console: SSO Connect Cloud provisioning, View).",
            ),
            Self::SsoConnectServer => (
                "sso-connect-server",
                None,
                "HOST[:PORT]",
                false,
                "Keeper SSO Connect on-prem: the server's host name, with its port if not 443 \
                 (e.g. sso.example.com:8443).",
            ),
            Self::IdpEntityId => (
                "entity-id",
                Some("idp-entity-id"),
                "ID",
                false,
                "The IdP Entity ID, exactly as the SP has it (case-sensitive).",
            ),
            Self::SpEntityId => (
                "entity-id",
                Some("sp-entity-id"),
                "ID",
                false,
                "The SP Entity ID (Keeper: its SP Entity ID).",
            ),
            Self::AcsUrl => (
                "acs-url",
                None,
                "URL",
                false,
                "The SP's Assertion Consumer Service URL.",
            ),
            Self::IdpUrlSuffix => (
                "idp-url-suffix",
                None,
                "SUFFIX",
                false,
                "The JumpCloud IdP URL: SSO at https://sso.jumpcloud.com/saml2/<SUFFIX>.",
            ),
            Self::SsoUrl => (
                "sso-url",
                None,
                "URL",
                false,
                "The full SSO URL, for an IdP other than JumpCloud (replaces the IdP URL).",
            ),
            Self::DisplayLabel => (
                "display-label",
                None,
                "TEXT",
                false,
                "The display label (written as mdui:DisplayName).",
            ),
            Self::NameIdFormat => (
                "nameid-format",
                None,
                "URN",
                true,
                "NameID formats (repeat for more; default: emailAddress). A URN, or its last part \
                 such as emailAddress.",
            ),
            Self::Bindings => (
                "binding",
                None,
                "post|redirect",
                true,
                "SSO bindings (repeat for both); default: post, as JumpCloud exports. Add redirect \
                 only together with \"Declare Redirect Endpoint\" in the JumpCloud connector.",
            ),
            Self::ValidDays => (
                "valid-days",
                None,
                "N",
                false,
                "Write validUntil this many days from now (1 to 3650).",
            ),
            Self::CacheDuration => (
                "cache-duration",
                None,
                "DURATION",
                false,
                "Write cacheDuration, an xs:duration such as P7D or PT12H.",
            ),
            Self::SloUrl => (
                "slo-url",
                None,
                "URL",
                false,
                "A single logout URL (HTTP-Redirect).",
            ),
            Self::OrgName => (
                "org-name",
                None,
                "NAME",
                false,
                "The organization's name (written as md:Organization, with --org-url).",
            ),
            Self::OrgUrl => (
                "org-url",
                None,
                "URL",
                false,
                "The organization's web site.",
            ),
            Self::ContactName => (
                "contact-name",
                None,
                "NAME",
                false,
                "A technical contact's name.",
            ),
            Self::ContactEmail => (
                "contact-email",
                None,
                "EMAIL",
                false,
                "A technical contact's e-mail address.",
            ),
        };
        CliFlag {
            long,
            alias,
            value_name,
            repeats,
            help,
        }
    }

    /// The key in settings files and links.
    #[must_use]
    pub const fn key(self) -> &'static str {
        self.spec().key
    }

    /// The label on the page.
    #[must_use]
    pub const fn label(self) -> &'static str {
        self.spec().label
    }

    /// The field whose settings key is `key`.
    #[must_use]
    pub fn from_key(key: &str) -> Option<Self> {
        FIELDS.into_iter().find(|f| f.key() == key)
    }

    /// The preset whose input this field is, for the preset's own inputs.
    #[must_use]
    pub const fn preset_input_of(self) -> Option<Preset> {
        match self {
            Self::KeeperRegion | Self::KeeperSsoId => Some(Preset::KeeperCloud),
            Self::SsoConnectServer => Some(Preset::KeeperOnPrem),
            _ => None,
        }
    }

    /// The value as settings text, or `None` when there is nothing to save.
    #[must_use]
    pub fn text(self, v: &ConnectorValues) -> Option<String> {
        let non_empty = |s: &String| (!s.is_empty()).then(|| s.clone());
        match self {
            Self::Preset => Some(v.preset.id().to_owned()),
            Self::KeeperRegion => non_empty(&v.keeper_region),
            Self::KeeperSsoId => non_empty(&v.keeper_sso_id),
            Self::SsoConnectServer => non_empty(&v.sso_connect_server),
            Self::IdpEntityId => non_empty(&v.idp_entity_id),
            Self::SpEntityId => non_empty(&v.sp_entity_id),
            Self::AcsUrl => non_empty(&v.acs_url),
            Self::IdpUrlSuffix => non_empty(&v.idp_url_suffix),
            // Saved even when empty: "use another SSO URL" is on.
            Self::SsoUrl => v.sso_url.clone(),
            Self::DisplayLabel => non_empty(&v.display_label),
            Self::NameIdFormat => Some(v.name_id_formats.join(",")),
            Self::Bindings => Some(
                v.bindings
                    .iter()
                    .map(|b| match b {
                        Binding::HttpRedirect => "redirect",
                        Binding::HttpPost => "post",
                    })
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            Self::ValidDays => non_empty(&v.valid_days),
            Self::CacheDuration => non_empty(&v.cache_duration),
            Self::SloUrl => non_empty(&v.slo_url),
            Self::OrgName => non_empty(&v.org_name),
            Self::OrgUrl => non_empty(&v.org_url),
            Self::ContactName => non_empty(&v.contact_name),
            Self::ContactEmail => non_empty(&v.contact_email),
        }
    }

    /// Every finding on this field's value. Errors block the metadata.
    #[must_use]
    pub fn findings(self, v: &ConnectorValues) -> Vec<Finding> {
        let mut out = Vec::new();
        if self.text(v).is_some_and(|text| holds_private_key(&text)) {
            out.push(error(
                FindingCode::ValueHoldsKey,
                format!(
                    "The {} holds a private key (\"-----BEGIN ... PRIVATE KEY-----\"). Metadata \
                     is public and settings are shared: clear this field, and load the key as a \
                     file in step 1.",
                    self.label()
                ),
            ));
            return out;
        }
        match self {
            Self::Preset | Self::KeeperRegion | Self::ContactName => {}
            Self::KeeperSsoId => {
                let id = v.keeper_sso_id.trim();
                if !id.is_empty() && !id.chars().all(|c| c.is_ascii_digit()) {
                    out.push(error(
                        FindingCode::KeeperSsoIdInvalid,
                        format!(
                            "The Keeper SSO ID is digits only; \"{}\" is not. Copy the number at the \
                             end of Keeper's SP Entity ID.",
                            shorten(id)
                        ),
                    ));
                }
            }
            Self::SsoConnectServer => {
                if !v.sso_connect_server.trim().is_empty()
                    && let Err(why) = presets::sso_connect_host(&v.sso_connect_server)
                {
                    out.push(error(FindingCode::SsoConnectServerInvalid, why));
                }
            }
            Self::IdpEntityId => check_entity_id("IdP Entity ID", &v.idp_entity_id, &mut out),
            Self::SpEntityId => {
                if !v.sp_entity_id.is_empty() {
                    check_entity_id("SP Entity ID", &v.sp_entity_id, &mut out);
                    out.extend(presets::sp_entity_id_fit(v));
                }
            }
            Self::AcsUrl => {
                if !v.acs_url.is_empty() {
                    check_url("ACS URL", &v.acs_url, &mut out);
                    out.extend(presets::acs_url_fit(v));
                }
            }
            Self::IdpUrlSuffix => {
                if v.sso_url.is_none() {
                    idp_url_suffix_findings(&v.idp_url_suffix, &mut out);
                }
            }
            Self::SsoUrl => {
                if let Some(url) = &v.sso_url {
                    check_url("SSO URL", url.trim(), &mut out);
                }
            }
            Self::DisplayLabel => {
                if v.display_label.chars().any(char::is_control) {
                    out.push(error(
                        FindingCode::DisplayLabelControl,
                        "The Display Label contains a line break or control character; type it on \
                         one line."
                            .to_owned(),
                    ));
                }
            }
            Self::NameIdFormat => {
                if v.name_id_formats.is_empty() {
                    out.push(error(
                        FindingCode::NoNameidFormat,
                        "Choose a NameID format; service providers such as Keeper expect \
                         emailAddress."
                            .to_owned(),
                    ));
                }
                for format in &v.name_id_formats {
                    check_name_id_format(format, &mut out);
                }
            }
            Self::Bindings => {
                if v.bindings.is_empty() {
                    out.push(error(
                        FindingCode::NoSsoBinding,
                        "Choose at least one binding for the SSO URL: HTTP-POST, as JumpCloud's \
                         connector exports."
                            .to_owned(),
                    ));
                }
            }
            Self::ValidDays => {
                let days = v.valid_days.trim();
                if !days.is_empty()
                    && !days
                        .parse::<u32>()
                        .is_ok_and(|d| (1..=MAX_VALID_DAYS).contains(&d))
                {
                    out.push(error(
                        FindingCode::ValidDaysInvalid,
                        format!(
                            "Valid for (days) must be a whole number from 1 to {MAX_VALID_DAYS}, \
                             or empty for no validUntil; \"{}\" is not.",
                            shorten(days)
                        ),
                    ));
                }
            }
            Self::CacheDuration => {
                let duration = v.cache_duration.trim();
                if !duration.is_empty() && parse_xs_duration(duration).is_none() {
                    out.push(error(
                        FindingCode::CacheDurationInvalid,
                        format!(
                            "\"{}\" is not a duration such as P7D (7 days) or PT12H (12 hours).",
                            shorten(duration)
                        ),
                    ));
                }
            }
            Self::SloUrl => {
                if !v.slo_url.trim().is_empty() {
                    check_url("Single logout URL", v.slo_url.trim(), &mut out);
                }
            }
            Self::OrgName | Self::OrgUrl => {
                if let Some(org) = v.organization() {
                    let mut all = Vec::new();
                    check_organization(&org, &mut all);
                    out.extend(all.into_iter().filter(|f| {
                        (f.code == FindingCode::OrganizationIncomplete) == (self == Self::OrgName)
                    }));
                }
            }
            Self::ContactEmail => check_contacts(&v.contacts(), &mut out),
        }
        out
    }
}

fn idp_url_suffix_findings(suffix: &str, out: &mut Vec<Finding>) {
    let suffix = suffix.trim().trim_matches('/');
    if suffix.is_empty() {
        out.push(error(
            FindingCode::IdpUrlSuffixEmpty,
            "Enter the IdP URL: the end of the connector's SSO address, \
             https://sso.jumpcloud.com/saml2/<IdP URL> (for example keepersecurity)."
                .to_owned(),
        ));
    } else if let Some(c) = suffix
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "-._~/".contains(*c)))
    {
        out.push(error(
            FindingCode::IdpUrlSuffixInvalid,
            format!(
                "The IdP URL may hold letters, digits and - . _ ~ only; \"{}\" is not allowed. \
                 Copy it again from the connector's IdP URL field.",
                c.escape_default()
            ),
        ));
    }
}

impl ConnectorValues {
    /// Sets `field` from its settings text: what the page's inputs, settings files, links and
    /// command-line flags all call. Changing the preset or one of its inputs replaces the SP
    /// values the preset derived (see [`ConnectorValues::apply_preset`]); typed values stay.
    ///
    /// # Errors
    /// Why the text was not taken, in words ("\"soap\" is not a binding (post, redirect)").
    pub fn set(&mut self, field: Field, text: &str) -> Result<(), String> {
        if let Some(preset) = field.preset_input_of()
            && preset != self.preset
        {
            return Err(format!(
                "it belongs to the preset {}, and the preset is {}",
                preset.id(),
                self.preset.id()
            ));
        }
        let text = text.to_owned();
        match field {
            Field::Preset => {
                let preset = Preset::from_id(text.trim()).ok_or_else(|| {
                    format!(
                        "the preset \"{}\" is not known (keeper, keeper-cloud, generic)",
                        shorten(&text)
                    )
                })?;
                self.apply_preset(preset);
            }
            Field::KeeperRegion => {
                let wanted = text.trim();
                let host = KEEPER_REGIONS
                    .iter()
                    .map(|(_, host)| *host)
                    .find(|host| host.eq_ignore_ascii_case(wanted))
                    .ok_or_else(|| {
                        let hosts: Vec<&str> = KEEPER_REGIONS.iter().map(|(_, h)| *h).collect();
                        format!(
                            "\"{}\" is not a Keeper region ({})",
                            shorten(wanted),
                            hosts.join(", ")
                        )
                    })?;
                self.rederive(|v| host.clone_into(&mut v.keeper_region));
            }
            Field::KeeperSsoId => self.rederive(|v| v.keeper_sso_id = text),
            Field::SsoConnectServer => self.rederive(|v| v.sso_connect_server = text),
            Field::IdpEntityId => self.idp_entity_id = text,
            Field::SpEntityId => self.sp_entity_id = text,
            Field::AcsUrl => self.acs_url = text,
            Field::IdpUrlSuffix => self.idp_url_suffix = text,
            Field::SsoUrl => self.sso_url = Some(text),
            Field::DisplayLabel => self.display_label = text,
            Field::NameIdFormat => self.name_id_formats = name_id_formats(&text)?,
            Field::Bindings => self.bindings = bindings(&text)?,
            Field::ValidDays => self.valid_days = text,
            Field::CacheDuration => self.cache_duration = text,
            Field::SloUrl => self.slo_url = text,
            Field::OrgName => self.org_name = text,
            Field::OrgUrl => self.org_url = text,
            Field::ContactName => self.contact_name = text,
            Field::ContactEmail => self.contact_email = text,
        }
        Ok(())
    }

    pub(super) fn organization(&self) -> Option<Organization> {
        let (name, url) = (self.org_name.trim(), self.org_url.trim());
        (!name.is_empty() || !url.is_empty()).then(|| Organization {
            name: name.to_owned(),
            display_name: name.to_owned(),
            url: url.to_owned(),
        })
    }

    pub(super) fn contacts(&self) -> Vec<Contact> {
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
}

/// NameID formats from `urn,urn` or the last parts of the offered ones (`emailAddress`).
fn name_id_formats(text: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let known = NAMEID_FORMATS
            .iter()
            .find(|(urn, _)| *urn == part || urn.rsplit(':').next() == Some(part));
        let urn = match known {
            Some((urn, _)) => (*urn).to_owned(),
            None if part.starts_with("urn:") => part.to_owned(),
            None => {
                return Err(format!(
                    "\"{}\" is not a NameID format (a URN, or emailAddress, unspecified, \
                     persistent, transient)",
                    shorten(part)
                ));
            }
        };
        if !out.contains(&urn) {
            out.push(urn);
        }
    }
    if out.is_empty() {
        return Err("it names no NameID format".to_owned());
    }
    Ok(out)
}

/// Bindings from `post`, `redirect`, `post,redirect` (or `HTTP-POST`, `HTTP-Redirect`), in the
/// order the metadata writes them: Redirect, then POST.
fn bindings(text: &str) -> Result<Vec<Binding>, String> {
    let mut named = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.to_ascii_lowercase().as_str() {
            "redirect" | "http-redirect" => named.push(Binding::HttpRedirect),
            "post" | "http-post" => named.push(Binding::HttpPost),
            _ => {
                return Err(format!(
                    "\"{}\" is not a binding (post, redirect)",
                    shorten(part)
                ));
            }
        }
    }
    if named.is_empty() {
        return Err("it names no binding".to_owned());
    }
    Ok([Binding::HttpRedirect, Binding::HttpPost]
        .into_iter()
        .filter(|b| named.contains(b))
        .collect())
}
