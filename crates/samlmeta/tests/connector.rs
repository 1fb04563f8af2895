//! The connector's values: the field table, Keeper's presets (what they derive, what they leave
//! behind), the settings file and the link, and the findings on each field.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // test code

use samlmeta::connector::presets::sso_connect_host;
use samlmeta::connector::settings::MAX_SETTINGS_BYTES;
use samlmeta::connector::*;
use samlmeta::metadata::{Binding, NAMEID_EMAIL};
use samlmeta::time::DAY;
use samlmeta::{Finding, Severity, UnixTime};

const CLOUD_EU_ENTITY: &str = "https://keepersecurity.eu/api/rest/sso/saml/459561502469";
const CLOUD_EU_ACS: &str = "https://keepersecurity.eu/api/rest/sso/saml/sso/459561502469";

fn keeper() -> ConnectorValues {
    ConnectorValues {
        idp_entity_id: "KeeperSSO".to_owned(),
        sp_entity_id: "https://sso.acme.example/sso-connect".to_owned(),
        acs_url: "https://sso.acme.example/sso-connect/saml/sso".to_owned(),
        idp_url_suffix: "keepersecurity".to_owned(),
        display_label: "Keeper Security".to_owned(),
        ..ConnectorValues::default()
    }
}

fn codes(values: &ConnectorValues, severity: Severity) -> Vec<(Field, &'static str)> {
    values
        .findings()
        .into_iter()
        .filter(|(_, f)| f.severity == severity)
        .map(|(field, f)| (field, f.code.as_str()))
        .collect()
}

fn errors(values: &ConnectorValues) -> Vec<(Field, &'static str)> {
    codes(values, Severity::Error)
}

/// Warnings, without the one every `KeeperSSO`-style IdP Entity ID gets (not a URI).
fn warnings(values: &ConnectorValues) -> Vec<(Field, &'static str)> {
    codes(values, Severity::Warning)
        .into_iter()
        .filter(|(_, code)| *code != "entity-id-not-uri")
        .collect()
}

#[test]
fn every_field_has_its_own_key_and_the_table_lists_each_once() {
    let mut keys: Vec<&str> = FIELDS.iter().map(|f| f.key()).collect();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), FIELDS.len());
    for field in FIELDS {
        assert_eq!(Field::from_key(field.key()), Some(field));
        assert!(!field.label().is_empty() && !field.flag().help.is_empty());
    }
    for key in ["keeper-region", "keeper-sso-id", "sso-connect-server"] {
        assert!(Field::from_key(key).is_some(), "{key}");
    }
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
fn the_default_is_jumpclouds_export_shape_post_only() {
    let v = ConnectorValues::default();
    assert_eq!(v.bindings, vec![Binding::HttpPost]);
    assert_eq!(v.name_id_formats, vec![NAMEID_EMAIL.to_owned()]);
    assert_eq!(v.preset, Preset::KeeperOnPrem);
}

#[test]
fn the_reference_values_have_no_errors_or_warnings() {
    assert!(errors(&keeper()).is_empty());
    assert!(warnings(&keeper()).is_empty(), "{:?}", warnings(&keeper()));
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
    v.name_id_formats = vec!["email".to_owned()];
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
    let mut v = keeper();
    v.bindings.clear();
    assert_eq!(errors(&v), vec![(Field::Bindings, "no-sso-binding")]);
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
fn keeper_cloud_derives_keepers_entity_id_and_a_different_acs_url() {
    assert_eq!(
        keeper_cloud_sp("keepersecurity.eu", " 459561502469 "),
        Some((CLOUD_EU_ENTITY.to_owned(), CLOUD_EU_ACS.to_owned()))
    );
    assert_eq!(keeper_cloud_sp("keepersecurity.com", "abc"), None);
    assert_eq!(keeper_cloud_sp("keepersecurity.com", ""), None);

    let mut v = ConnectorValues::default();
    v.apply_preset(Preset::KeeperCloud);
    assert_eq!(v.keeper_region, "keepersecurity.com");
    v.set(Field::KeeperRegion, "keepersecurity.eu").unwrap();
    v.set(Field::KeeperSsoId, "459561502469").unwrap();
    assert_eq!(v.sp_entity_id, CLOUD_EU_ENTITY);
    assert_eq!(v.acs_url, CLOUD_EU_ACS);
    assert!(warnings(&v).is_empty(), "{:?}", warnings(&v));
    // Another region or SSO ID replaces what was derived.
    v.set(Field::KeeperRegion, "KeeperSecurity.com.au").unwrap();
    assert_eq!(
        v.acs_url,
        "https://keepersecurity.com.au/api/rest/sso/saml/sso/459561502469"
    );
    assert!(v.set(Field::KeeperRegion, "example.com").is_err());
    v.set(Field::KeeperSsoId, "45956150246x").unwrap();
    assert_eq!((v.sp_entity_id.as_str(), v.acs_url.as_str()), ("", ""));
    assert_eq!(
        errors(&v),
        vec![
            (Field::KeeperSsoId, "keeper-sso-id-invalid"),
            (Field::IdpEntityId, "entity-id-empty"),
            (Field::IdpUrlSuffix, "idp-url-suffix-empty")
        ]
    );
}

#[test]
fn keeper_on_prem_derives_from_the_sso_connect_server() {
    let mut v = ConnectorValues::default();
    v.set(Field::SsoConnectServer, "sso.acme.example").unwrap();
    assert_eq!(v.sp_entity_id, "https://sso.acme.example/sso-connect");
    assert_eq!(v.acs_url, "https://sso.acme.example/sso-connect/saml/sso");
    // A pasted URL is cut down to its host and port.
    v.set(
        Field::SsoConnectServer,
        "https://SSO.acme.example:8443/sso-connect/saml/login",
    )
    .unwrap();
    assert_eq!(
        v.acs_url,
        "https://sso.acme.example:8443/sso-connect/saml/sso"
    );
    for (text, host) in [
        ("10.0.0.5", Ok("10.0.0.5")),
        ("[fd00::5]:8443", Ok("[fd00::5]:8443")),
        ("http://a.example/", Ok("a.example")),
        ("a b", Err(())),
        ("a.example:0", Err(())),
        ("a.example:99999", Err(())),
        ("-a.example", Err(())),
        ("", Err(())),
    ] {
        assert_eq!(
            sso_connect_host(text).map_err(|_| ()),
            host.map(str::to_owned),
            "{text}"
        );
    }
    v.set(Field::SsoConnectServer, "a b").unwrap();
    assert_eq!(v.sp_entity_id, "");
    assert!(errors(&v).contains(&(Field::SsoConnectServer, "sso-connect-server-invalid")));
}

#[test]
fn switching_presets_leaves_no_value_of_the_other_preset_behind() {
    let mut v = ConnectorValues::default();
    v.set(Field::SsoConnectServer, "sso.acme.example").unwrap();
    v.set(Field::IdpEntityId, "KeeperSSO").unwrap();
    v.apply_preset(Preset::KeeperCloud);
    assert_eq!((v.sp_entity_id.as_str(), v.acs_url.as_str()), ("", ""));
    assert_eq!(v.sso_connect_server, "");
    v.set(Field::KeeperRegion, "keepersecurity.eu").unwrap();
    v.set(Field::KeeperSsoId, "459561502469").unwrap();
    v.apply_preset(Preset::KeeperOnPrem);
    assert_eq!((v.sp_entity_id.as_str(), v.acs_url.as_str()), ("", ""));
    assert_eq!(
        (v.keeper_region.as_str(), v.keeper_sso_id.as_str()),
        ("", "")
    );
    v.apply_preset(Preset::KeeperCloud);
    v.set(Field::KeeperSsoId, "459561502469").unwrap();
    v.apply_preset(Preset::Generic);
    assert_eq!((v.sp_entity_id.as_str(), v.acs_url.as_str()), ("", ""));
    assert_eq!(v.sso_url.as_deref(), Some(""));
    assert_eq!(v.idp_entity_id, "KeeperSSO", "typed values stay");
    // A preset's input is refused under another preset.
    assert!(v.set(Field::KeeperSsoId, "1").is_err());
    assert!(v.set(Field::SsoConnectServer, "a.example").is_err());
}

#[test]
fn typed_sp_values_stay_and_are_warned_about_when_they_do_not_fit() {
    let mut v = keeper();
    v.apply_preset(Preset::KeeperCloud);
    // Typed (not derived): kept through the preset change, and warned about.
    assert_eq!(v.sp_entity_id, "https://sso.acme.example/sso-connect");
    assert_eq!(
        warnings(&v),
        vec![
            (Field::SpEntityId, "keeper-sp-entity-id-unexpected"),
            (Field::AcsUrl, "keeper-acs-url-unexpected")
        ]
    );
    // What the earlier Cloud preset filled in: the ACS URL equal to the entity ID.
    v.sp_entity_id = CLOUD_EU_ENTITY.to_owned();
    v.acs_url = CLOUD_EU_ENTITY.to_owned();
    let w = v.findings();
    let acs: Vec<&Finding> = w
        .iter()
        .filter(|(f, _)| *f == Field::AcsUrl)
        .map(|(_, f)| f)
        .collect();
    assert_eq!(acs.len(), 1);
    assert_eq!(acs[0].code, "acs-url-is-entity-id");
    assert!(acs[0].message.contains(CLOUD_EU_ACS), "{}", acs[0].message);
    v.acs_url = CLOUD_EU_ACS.to_owned();
    assert!(warnings(&v).is_empty(), "{:?}", warnings(&v));
    // Typed values stay when the SSO ID is typed afterwards and derives something else.
    v.set(Field::KeeperSsoId, "1").unwrap();
    assert_eq!(v.acs_url, CLOUD_EU_ACS);
    assert_eq!(
        warnings(&v),
        vec![
            (Field::SpEntityId, "keeper-sp-entity-id-unexpected"),
            (Field::AcsUrl, "keeper-acs-url-unexpected")
        ]
    );
    // On-prem: the ACS URL equal to the entity ID.
    let mut v = keeper();
    v.acs_url.clone_from(&v.sp_entity_id);
    assert_eq!(warnings(&v), vec![(Field::AcsUrl, "acs-url-is-entity-id")]);
    // Generic: no Keeper rules.
    v.apply_preset(Preset::Generic);
    assert!(warnings(&v).is_empty());
}

#[test]
fn a_link_fills_the_values_and_notes_what_it_ignores() {
    let p = prefill_from_fragment(
        "#preset=keeper&idp-entity-id=KeeperSSO&sp-entity-id=https%3A%2F%2Fsso.acme.example%2Fsso-connect\
         &acs-url=https://sso.acme.example/sso-connect/saml/sso&idp-url-suffix=keepersecurity\
         &display-label=Keeper+Security&nameid-format=emailAddress&bindings=post",
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
fn values_round_trip_through_a_link_and_a_settings_file() {
    let mut cloud = ConnectorValues::default();
    cloud.apply_preset(Preset::KeeperCloud);
    cloud.set(Field::KeeperRegion, "keepersecurity.eu").unwrap();
    cloud.set(Field::KeeperSsoId, "459561502469").unwrap();
    cloud.set(Field::IdpEntityId, "KeeperSSO").unwrap();
    cloud.set(Field::IdpUrlSuffix, "keepersecurity").unwrap();
    cloud.set(Field::Bindings, "redirect,post").unwrap();
    let mut on_prem = keeper();
    on_prem
        .set(Field::SsoConnectServer, "sso.acme.example:8443")
        .unwrap();
    on_prem.display_label = "Keeper & Co. – ünïcode + more \"quoted\" \\".to_owned();
    on_prem.name_id_formats = vec![
        NAMEID_FORMATS[2].0.to_owned(),
        "urn:example:custom".to_owned(),
    ];
    let mut generic = keeper();
    generic.apply_preset(Preset::Generic);
    for v in [cloud, on_prem, generic] {
        let p = prefill_from_fragment(&v.to_fragment(), &ConnectorValues::default());
        assert!(p.notes.is_empty(), "{:?}", p.notes);
        assert_eq!(p.values, v);
        let p = read_settings(v.settings_json().as_bytes(), &ConnectorValues::default()).unwrap();
        assert!(p.notes.is_empty(), "{:?}", p.notes);
        assert_eq!(p.values, v);
    }
}

#[test]
fn the_settings_file_has_the_pages_format() {
    let mut v = ConnectorValues::default();
    v.apply_preset(Preset::KeeperCloud);
    v.set(Field::KeeperSsoId, "42").unwrap();
    v.set(Field::IdpEntityId, "KeeperSSO").unwrap();
    assert_eq!(
        v.settings_json(),
        "{\n  \"samlmeta-settings\": 1,\n  \"preset\": \"keeper-cloud\",\n  \
         \"keeper-region\": \"keepersecurity.com\",\n  \"keeper-sso-id\": \"42\",\n  \
         \"idp-entity-id\": \"KeeperSSO\",\n  \
         \"sp-entity-id\": \"https://keepersecurity.com/api/rest/sso/saml/42\",\n  \
         \"acs-url\": \"https://keepersecurity.com/api/rest/sso/saml/sso/42\",\n  \
         \"nameid-format\": \"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress\",\n  \
         \"bindings\": \"post\"\n}"
    );
}

#[test]
fn settings_files_that_are_not_settings_are_refused_with_a_reason() {
    let base = ConnectorValues::default();
    let err = |text: &[u8]| read_settings(text, &base).unwrap_err();
    assert_eq!(err(b"\xff\xfe"), SettingsError::NotText);
    assert_eq!(
        err(b"{\n  \"preset\": keeper\n}"),
        SettingsError::NotJson {
            line: 2,
            column: 13
        }
    );
    assert_eq!(err(b"{\"preset\": \"keeper\"}"), SettingsError::NotSettings);
    assert_eq!(
        err(b"{\"samlmeta-settings\": \"1\"}"),
        SettingsError::NotSettings
    );
    assert_eq!(
        err(b"{\"samlmeta-settings\": 2}"),
        SettingsError::NewerFormat { format: "2".into() }
    );
    assert!(matches!(
        err(&vec![b' '; MAX_SETTINGS_BYTES + 1]),
        SettingsError::TooLarge { .. }
    ));
    assert!(
        err(b"{\"samlmeta-settings\": 2}")
            .to_string()
            .contains("newer")
    );
    // Members that are not text are noted, the rest is used; a BOM is fine.
    let p = read_settings(
        "\u{feff}{\"samlmeta-settings\": 1, \"idp-entity-id\": \"KeeperSSO\", \"valid-days\": 30, \
         \"bindings\": [\"post\"], \"private-key\": \"MIIE\"}"
            .as_bytes(),
        &base,
    )
    .unwrap();
    assert_eq!(p.values.idp_entity_id, "KeeperSSO");
    assert_eq!(p.notes.len(), 3, "{:?}", p.notes);
    assert!(
        p.notes
            .iter()
            .any(|n| n.contains("valid-days") && n.contains("30"))
    );
}

#[test]
fn old_cloud_settings_get_keepers_acs_url_with_a_note() {
    // What the page exported before the fix for Keeper SSO Connect Cloud.
    let old = format!(
        "{{\"samlmeta-settings\": 1, \"preset\": \"keeper-cloud\", \"idp-entity-id\": \"KeeperSSO\", \
         \"sp-entity-id\": \"{CLOUD_EU_ENTITY}\", \"acs-url\": \"{CLOUD_EU_ENTITY}\", \
         \"idp-url-suffix\": \"keepersecurity\", \"bindings\": \"redirect,post\"}}"
    );
    let p = read_settings(old.as_bytes(), &ConnectorValues::default()).unwrap();
    assert_eq!(p.values.acs_url, CLOUD_EU_ACS);
    assert_eq!(p.values.keeper_region, "keepersecurity.eu");
    assert_eq!(p.values.keeper_sso_id, "459561502469");
    assert_eq!(p.notes.len(), 1, "{:?}", p.notes);
    assert!(p.notes[0].contains("Corrected the ACS URL") && p.notes[0].contains(CLOUD_EU_ACS));
    assert!(warnings(&p.values).is_empty(), "{:?}", warnings(&p.values));
    // The same from a link.
    let link =
        format!("preset=keeper-cloud&sp-entity-id={CLOUD_EU_ENTITY}&acs-url={CLOUD_EU_ENTITY}");
    let p = prefill_from_fragment(&link, &ConnectorValues::default());
    assert_eq!(p.values.acs_url, CLOUD_EU_ACS);
    assert_eq!(p.notes.len(), 1);
    // Only the preset's order matters, not the order given: a typed value beside the inputs wins.
    let p = prefill_from_fragment(
        "acs-url=https://x.example/acs&keeper-sso-id=7&preset=keeper-cloud",
        &ConnectorValues::default(),
    );
    assert_eq!(p.values.acs_url, "https://x.example/acs");
    assert_eq!(
        p.values.sp_entity_id,
        "https://keepersecurity.com/api/rest/sso/saml/7"
    );
}

#[test]
fn advanced_values_are_checked_and_written() {
    let cert = samlmeta::read(include_bytes!("fixtures/cert.pem"), None)
        .unwrap()
        .certificates
        .remove(0);
    let other = samlmeta::read(include_bytes!("fixtures/other.cert.pem"), None)
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
            Field::OrgUrl,
            Field::ContactEmail
        ]
    );
    v.valid_days = "100000".into();
    assert!(errors(&v).contains(&(Field::ValidDays, "valid-days-invalid")));
    v.valid_days = "30".into();
    v.cache_duration = "P7D".into();
    v.slo_url = "https://sso.jumpcloud.com/saml2/keepersecurity/slo".into();
    v.org_url = "https://example.com".into();
    v.contact_email = "it@example.com".into();
    assert!(errors(&v).is_empty(), "{:?}", errors(&v));
    v.org_name.clear();
    assert_eq!(
        errors(&v),
        vec![(Field::OrgName, "organization-incomplete")]
    );
    v.org_name = "Example".into();
    let now = UnixTime::from_seconds(1_800_000_000);
    let extra = ExtraCertificates {
        rollover: vec![other.clone()],
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
    samlmeta::metadata::idp_xml(&md).unwrap();
    // validUntil after the certificate's expiry is a warning, with the certificate given.
    v.valid_days = "3650".into();
    let late = v.valid_until_finding(&cert, cert.not_after()).unwrap();
    assert_eq!(late.code, "valid-until-after-certificate");
    assert!(
        v.findings_at(Some(&cert), cert.not_after())
            .iter()
            .any(|(f, w)| *f == Field::ValidDays && w.code == late.code)
    );
    v.valid_days = "1".into();
    assert!(v.valid_until_finding(&cert, cert.not_before()).is_none());
    // And they travel in links.
    let p = prefill_from_fragment(&v.to_fragment(), &ConnectorValues::default());
    assert!(p.notes.is_empty(), "{:?}", p.notes);
    assert_eq!(p.values, v);
}

#[test]
fn sp_findings_require_the_sp_values_and_ignore_the_idps() {
    let v = ConnectorValues::default();
    let codes: Vec<&str> = v
        .sp_findings()
        .iter()
        .map(|(_, f)| f.code.as_str())
        .collect();
    assert_eq!(codes, vec!["sp-entity-id-empty", "acs-url-empty"]);
    let mut v = keeper();
    v.idp_entity_id.clear();
    assert!(v.sp_findings().is_empty());
    let sp = v.sp_metadata(None);
    assert_eq!(sp.acs_url, "https://sso.acme.example/sso-connect/saml/sso");
}

#[test]
fn file_names_are_safe() {
    let mut v = keeper();
    v.idp_url_suffix = "../a b/".to_owned();
    assert_eq!(v.idp_metadata_file_name(), "a-b-idp-metadata.xml");
}

/// A private key pasted into a value (found by fuzzing the settings round trip): a link
/// parameter holding one is ignored with a note, a typed one is an error on its field, and
/// neither a link nor a settings file made from the values ever carries it.
#[test]
fn a_value_holding_a_private_key_is_never_taken_written_or_exported() {
    let key =
        "-----BEGIN PRIVATE KEY-----MIIEvQIBADANBgkqhkiG9w0BAQEFAASC-----END PRIVATE KEY-----";
    let link = format!(
        "idp-entity-id=KeeperSSO&display-label={}",
        key.replace(' ', "+")
    );
    let p = prefill_from_fragment(&link, &ConnectorValues::default());
    assert_eq!(p.values.idp_entity_id, "KeeperSSO");
    assert_eq!(p.values.display_label, "");
    assert!(
        p.notes
            .iter()
            .any(|n| n.contains("display-label") && n.contains("holds a private key")),
        "{:#?}",
        p.notes
    );

    let mut typed = keeper();
    typed.display_label = format!("Keeper {key}");
    let errors: Vec<_> = typed
        .findings()
        .into_iter()
        .filter(|(_, f)| f.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].0, Field::DisplayLabel);
    assert_eq!(errors[0].1.code.as_str(), "value-holds-key");
    assert!(errors[0].1.message.contains("Display Label"));

    let json = typed.settings_json();
    assert!(!json.contains("PRIVATE KEY"), "{json}");
    assert!(json.contains("\"idp-entity-id\""));
    let fragment = typed.to_fragment();
    assert!(!fragment.contains("PRIVATE"), "{fragment}");
    // What was exported reads back (the importer would refuse a file holding a key).
    assert!(read_settings(json.as_bytes(), &ConnectorValues::default()).is_ok());
}

#[test]
fn a_first_item_check_opens_the_check_view_and_is_not_a_setting() {
    use samlmeta::connector::{ConnectorValues, prefill_from_fragment};
    let base = ConnectorValues::default();
    let p = prefill_from_fragment("#check", &base);
    assert!(p.check);
    assert!(p.notes.is_empty(), "{:?}", p.notes);
    assert!(p.applied.is_empty());

    let p = prefill_from_fragment("#check&idp-entity-id=KeeperSSO", &base);
    assert!(p.check);
    assert_eq!(p.values.idp_entity_id, "KeeperSSO");
    assert!(p.notes.is_empty(), "{:?}", p.notes);

    // Only a first item, and only without "=": anything else is what it was (a parameter).
    for fragment in ["#idp-entity-id=KeeperSSO&check", "#check=1", "#checks", ""] {
        let p = prefill_from_fragment(fragment, &base);
        assert!(!p.check, "{fragment}");
    }
    assert!(!prefill_from_fragment("#check=1", &base).notes.is_empty());
}

#[test]
fn idp_metadata_fills_the_entity_id_and_the_idp_url_or_the_sso_url() {
    use samlmeta::connector::{ConnectorValues, prefill_from_idp_metadata};
    use samlmeta::dsig::verify::{Options, Trust};
    use samlmeta::message::{Expectations, check_metadata};
    let now = samlmeta::UnixTime::parse_rfc3339("2026-12-01T10:00:00Z").unwrap();
    let metadata = |location: &str| {
        let xml = format!(
            r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="KeeperSSO"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{location}"/></md:IDPSSODescriptor></md:EntityDescriptor>"#
        );
        check_metadata(
            xml.as_bytes(),
            &Options::new(Trust::Embedded),
            &Expectations::default(),
            now,
        )
        .unwrap()
    };
    let base = ConnectorValues::default();
    let p = prefill_from_idp_metadata(
        &metadata("https://sso.jumpcloud.com/saml2/keepersecurity"),
        &base,
    )
    .unwrap();
    assert_eq!(p.values.idp_entity_id, "KeeperSSO");
    assert_eq!(p.values.idp_url_suffix, "keepersecurity");
    assert_eq!(
        p.values.sso_url(),
        "https://sso.jumpcloud.com/saml2/keepersecurity"
    );

    let p =
        prefill_from_idp_metadata(&metadata("https://idp.example.com/sso/saml"), &base).unwrap();
    assert_eq!(p.values.sso_url(), "https://idp.example.com/sso/saml");

    // SP metadata has no IdP entity: nothing to load.
    let sp = check_metadata(
        br#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sp.example"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>"#,
        &Options::new(Trust::Embedded),
        &Expectations::default(),
        now,
    )
    .unwrap();
    assert!(prefill_from_idp_metadata(&sp, &base).is_none());
}
