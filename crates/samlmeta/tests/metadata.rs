//! Unsigned IdP and SP metadata: the JumpCloud parity shape (golden file), schema validity with the
//! real xmllint against the OASIS schemas, escaping, and the field rules.
//!
//! `UPDATE_GOLDEN=1 cargo test -p samlmeta --test metadata` rewrites the golden file; review the diff.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // test code

use samlmeta::metadata::{Binding, Contact, ContactType, IdpMetadata, Organization, SpMetadata};
use samlmeta::metadata::{idp_xml, sp_xml};
mod common;

use common::{cert, exc_c14n, schema_errors, tests_dir, xpath};
use samlmeta::UnixTime;

fn keeper() -> IdpMetadata {
    let mut md = IdpMetadata::jumpcloud("KeeperSSO", cert("cert.pem"), "keepersecurity");
    md.display_name = Some("Keeper Security".to_owned());
    md
}

fn assert_schema_valid(xml: &[u8]) {
    if let Some(errors) = schema_errors(xml) {
        panic!("{errors}\n{}", String::from_utf8_lossy(xml));
    }
}

#[test]
fn jumpcloud_parity_shape_matches_the_golden_file() {
    let xml = idp_xml(&keeper()).unwrap();
    let golden = tests_dir().join("golden/idp-jumpcloud-unsigned.xml");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::write(&golden, &xml).unwrap();
    }
    let want = std::fs::read(&golden).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&xml),
        String::from_utf8_lossy(&want)
    );
    assert_schema_valid(&xml);
}

#[test]
fn parity_details_that_other_generators_get_wrong() {
    let xml = idp_xml(&keeper()).unwrap();
    let text = String::from_utf8(xml.clone()).unwrap();
    assert!(!text.starts_with('\u{feff}'), "no byte order mark");
    assert!(!text.contains('\r'), "LF only");
    assert!(!text.contains("<!--"), "no comments");
    assert!(
        !text.contains("-----BEGIN"),
        "no PEM armour in X509Certificate"
    );
    assert!(
        text.contains(r#"<md:KeyDescriptor use="signing">"#),
        "use is explicit"
    );
    assert!(!text.contains("index="), "no index on SingleSignOnService");
    assert!(text.contains(r#"WantAuthnRequestsSigned="false""#));

    // Schema order: KeyDescriptor, NameIDFormat, then SingleSignOnService. JumpCloud's export
    // has one, HTTP-POST; HTTP-Redirect only with "Declare Redirect Endpoint".
    let order = |text: &str, needles: &[&str]| {
        let at: Vec<usize> = needles
            .iter()
            .map(|needle| {
                text.find(needle)
                    .unwrap_or_else(|| panic!("{needle} missing"))
            })
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
    };
    let redirect = "HTTP-Redirect\" Location=\"https://sso.jumpcloud.com/saml2/keepersecurity\"";
    let post = "HTTP-POST\" Location=\"https://sso.jumpcloud.com/saml2/keepersecurity\"";
    order(
        &text,
        &[
            "<md:Extensions>",
            "<md:KeyDescriptor",
            "<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>",
            post,
        ],
    );
    assert_eq!(text.matches("<md:SingleSignOnService").count(), 1);
    assert!(!text.contains("HTTP-Redirect"));
    let mut both = keeper();
    both.sso_bindings = vec![Binding::HttpRedirect, Binding::HttpPost];
    let both = String::from_utf8(idp_xml(&both).unwrap()).unwrap();
    order(&both, &["<md:NameIDFormat>", redirect, post]);

    // The certificate in the metadata is the certificate, byte for byte.
    let b64 = xpath(&xml, "string(//*[local-name()='X509Certificate'])");
    assert_eq!(b64, cert("cert.pem").base64());
}

#[test]
fn every_option_validates_against_the_oasis_schemas() {
    let mut md = keeper();
    md.signing_certificates.push(cert("other.cert.pem"));
    md.encryption_certificate = Some(cert("tricky-subject.pem"));
    md.slo_url = Some("https://sso.example.com/slo?x=1&y=2".to_owned());
    md.valid_until = Some(UnixTime::from_seconds(1_900_000_000));
    md.cache_duration_seconds = Some(604_800);
    md.name_id_formats
        .push("urn:oasis:names:tc:SAML:2.0:nameid-format:persistent".to_owned());
    md.sso_bindings = vec![Binding::HttpPost];
    md.organization = Some(Organization {
        name: "Example Corp".into(),
        display_name: "Example Corp IT".into(),
        url: "https://www.example.com".into(),
    });
    md.contacts = vec![
        Contact {
            kind: ContactType::Technical,
            name: Some("Ada".into()),
            email: Some("sso@example.com".into()),
        },
        Contact {
            kind: ContactType::Support,
            name: None,
            email: Some("mailto:help@example.com".into()),
        },
    ];
    let xml = idp_xml(&md).unwrap();
    assert_schema_valid(&xml);
    assert_eq!(
        xpath(
            &xml,
            "string(//*[local-name()='ContactPerson'][1]/*[local-name()='EmailAddress'])"
        ),
        "mailto:sso@example.com"
    );
    assert_eq!(
        xpath(
            &xml,
            "string(//*[local-name()='ContactPerson'][2]/@contactType)"
        ),
        "support"
    );
    assert_eq!(
        xpath(&xml, "string(//*[local-name()='OrganizationURL'])"),
        "https://www.example.com"
    );
    let text = String::from_utf8(xml.clone()).unwrap();
    assert!(text.contains(r#"cacheDuration="PT604800S""#), "{text}");
    assert!(
        text.contains(r#"validUntil="2030-03-17T17:46:40Z""#),
        "{text}"
    );
    assert_eq!(text.matches(r#"use="signing""#).count(), 2);
    assert_eq!(text.matches(r#"use="encryption""#).count(), 1);
    assert_eq!(
        xpath(
            &xml,
            "string(//*[local-name()='SingleLogoutService']/@Location)"
        ),
        "https://sso.example.com/slo?x=1&y=2"
    );

    let mut sp = SpMetadata::new(
        "https://keeper.example.com/sso/saml",
        "https://keeper.example.com/sso/saml/acs",
    );
    assert_schema_valid(&sp_xml(&sp).unwrap());
    sp.certificate = Some(cert("other.cert.pem"));
    sp.slo_url = Some("https://keeper.example.com/sso/saml/slo".to_owned());
    let xml = sp_xml(&sp).unwrap();
    assert_schema_valid(&xml);
    assert_eq!(
        xpath(
            &xml,
            "string(//*[local-name()='AssertionConsumerService']/@isDefault)"
        ),
        "true"
    );
}

#[test]
fn hostile_and_non_latin_values_survive_a_real_parser() {
    let label = "Smith & Sons <\"IdP\"> 'ü' 日本語 \t tab";
    let entity = "urn:x:<&\"'>:ü";
    let mut md = keeper();
    md.entity_id = entity.to_owned();
    md.display_name = Some(label.to_owned());
    let xml = idp_xml(&md).unwrap();
    assert_schema_valid(&xml);
    assert_eq!(
        xpath(&xml, "string(//*[local-name()='DisplayName'])"),
        label
    );
    assert_eq!(xpath(&xml, "string(/*/@entityID)"), entity);
    let text = String::from_utf8(xml).unwrap();
    // Canonical escaping: quotes and '<' escaped in attributes, '>' and apostrophe left as they are.
    assert!(
        text.contains(r#"entityID="urn:x:&lt;&amp;&quot;'>:ü""#),
        "{text}"
    );
}

#[test]
fn a_1024_character_entity_id_is_the_limit() {
    let mut md = keeper();
    md.entity_id = format!("urn:{}", "a".repeat(1020));
    assert_schema_valid(&idp_xml(&md).unwrap());
    md.entity_id.push('a');
    let err = idp_xml(&md).unwrap_err();
    assert_eq!(err.errors[0].code, "entity-id-too-long");
}

#[test]
fn bad_values_are_refused_with_reasons() {
    type Change = Box<dyn Fn(&mut IdpMetadata)>;
    let cases: Vec<(Change, &str)> = vec![
        (Box::new(|m| m.entity_id.clear()), "entity-id-empty"),
        (
            Box::new(|m| m.entity_id = " KeeperSSO".into()),
            "entity-id-whitespace",
        ),
        (
            Box::new(|m| m.entity_id = "Keeper\nSSO".into()),
            "entity-id-whitespace",
        ),
        (
            Box::new(|m| m.sso_url = "sso.jumpcloud.com/saml2/x".into()),
            "url-invalid",
        ),
        (Box::new(|m| m.sso_url = "https://".into()), "url-invalid"),
        (
            Box::new(|m| m.slo_url = Some("javascript:alert(1)".into())),
            "url-invalid",
        ),
        (
            Box::new(|m| m.signing_certificates.clear()),
            "no-signing-certificate",
        ),
        (Box::new(|m| m.sso_bindings.clear()), "no-sso-binding"),
        (Box::new(|m| m.name_id_formats.clear()), "no-nameid-format"),
        (
            Box::new(|m| m.name_id_formats = vec!["email".into()]),
            "bad-nameid-format",
        ),
        (
            Box::new(|m| m.display_name = Some("bell\u{7}".into())),
            "not-xml-text",
        ),
    ];
    for (change, code) in cases {
        let mut md = keeper();
        change(&mut md);
        let err = idp_xml(&md).unwrap_err();
        assert_eq!(err.errors[0].code, code, "{err}");
        assert!(err.to_string().len() > 30, "{err}");
    }
    let mut sp = SpMetadata::new("https://sp", "not a url");
    assert_eq!(sp_xml(&sp).unwrap_err().errors[0].code, "url-invalid");
    sp.acs_url = "https://sp/acs".into();
    sp.entity_id = String::new();
    assert_eq!(sp_xml(&sp).unwrap_err().errors[0].code, "entity-id-empty");
}

#[test]
fn entity_ids_are_uri_references_as_the_schema_validator_sees_them() {
    // Each of these fails xmllint's xs:anyURI check, so it is refused before writing.
    for bad in [
        ":", "1:x", ":x", "%zz", "a%", "a#b#c", "[x]", "-a:b", "a_b:c", "日本:x",
    ] {
        let mut md = keeper();
        md.entity_id = bad.to_owned();
        let err = idp_xml(&md).unwrap_err();
        assert_eq!(err.errors[0].code, "entity-id-not-uri-reference", "{bad}");
    }
    // These are valid URI references (relative, or with characters a validator escapes).
    for good in [
        "KeeperSSO",
        "a:b",
        "A+b.c-d:e",
        "%41",
        "日本",
        "a<b",
        "a|b",
        "x/y:z",
        "?a:b",
        "#a:b",
        "a'b",
    ] {
        let mut md = keeper();
        md.entity_id = good.to_owned();
        let xml = idp_xml(&md).unwrap_or_else(|e| panic!("{good}: {e}"));
        assert_schema_valid(&xml);
    }
    let mut md = keeper();
    md.sso_url = "https://sso.example.com/a%zz".to_owned();
    assert_eq!(idp_xml(&md).unwrap_err().errors[0].code, "url-invalid");
}

#[test]
fn warnings_do_not_block() {
    let mut md = keeper();
    md.sso_url = "http://idp.example.com/sso".into();
    let codes: Vec<_> = md.findings().into_iter().map(|f| f.code).collect();
    assert_eq!(codes, ["entity-id-not-uri", "url-http"]);
    assert_schema_valid(&idp_xml(&md).unwrap());
}

#[test]
fn jumpcloud_sso_url_from_the_suffix() {
    assert_eq!(
        samlmeta::metadata::jumpcloud_sso_url(" keepersecurity/ "),
        "https://sso.jumpcloud.com/saml2/keepersecurity"
    );
}

#[test]
fn the_bytes_written_are_already_canonical() {
    // Exclusive C14N of the whole document drops the XML declaration and the line ends outside the
    // root; everything else must come back byte for byte. (xmllint's --exc-c14n keeps comments, which
    // makes no difference here: the output has none.)
    let mut all = keeper();
    all.entity_id = "urn:x:<&\"'>:ü".to_owned();
    all.display_name = Some("Smith & Sons <\"IdP\"> 'ü' 日本語 \t tab".to_owned());
    all.slo_url = Some("https://sso.example.com/slo?x=1&y=2".to_owned());
    all.valid_until = Some(UnixTime::from_seconds(1_900_000_000));
    all.cache_duration_seconds = Some(3600);
    all.encryption_certificate = Some(cert("other.cert.pem"));
    let mut sp = SpMetadata::new("https://sp.example.com", "https://sp.example.com/acs");
    sp.certificate = Some(cert("other.cert.pem"));
    for xml in [
        idp_xml(&keeper()).unwrap(),
        idp_xml(&all).unwrap(),
        sp_xml(&sp).unwrap(),
    ] {
        let canonical = exc_c14n(&xml);
        let text = String::from_utf8(xml).unwrap();
        let body = text
            .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
            .and_then(|t| t.strip_suffix('\n'))
            .unwrap();
        assert_eq!(canonical, body);
    }
}
