//! The values an admin types for the JumpCloud SAML connector (see JumpCloud's "Keeper" connector:
//! IdP Entity ID, SP Entity ID, ACS URL, IdP URL, Display Label), with the rule each must follow,
//! finding by finding and field by field, and the IdP metadata they make.
//!
//! The page and the command line fill a [`ConnectorValues`]; nothing here knows about either.

use crate::cert::Certificate;
use crate::findings::{Finding, Severity};
use crate::model::{
    Binding, IdpMetadata, NAMEID_EMAIL, check_entity_id, check_name_id_format, check_url, error,
    jumpcloud_sso_url,
};

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
}

/// What the admin entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectorValues {
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
}

impl Default for ConnectorValues {
    fn default() -> Self {
        Self {
            idp_entity_id: String::new(),
            sp_entity_id: String::new(),
            acs_url: String::new(),
            idp_url_suffix: String::new(),
            sso_url: None,
            display_label: String::new(),
            name_id_format: NAMEID_EMAIL.to_owned(),
            bindings: vec![Binding::HttpRedirect, Binding::HttpPost],
        }
    }
}

impl ConnectorValues {
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
        out
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
    fn file_names_are_safe() {
        let mut v = keeper();
        v.idp_url_suffix = "../a b/".to_owned();
        assert_eq!(v.idp_metadata_file_name(), "a-b-idp-metadata.xml");
    }
}
