//! Property test: whatever values an admin types, the result is metadata that the real xmllint
//! validates and the real xmlsec1 verifies, with the values intact, or a typed error. Never a panic.
//! And the verifier: any damage to signed metadata gives a verdict other than valid (or an
//! error), never a panic.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // test code

use proptest::prelude::*;
use samlmeta::dsig::verify::{Options, Trust, verify};
use samlmeta::dsig::{SignError, signed_idp_xml};
use samlmeta::metadata::IdpMetadata;
mod common;

use common::{fixture, schema_errors, xmlsec1_verify, xpath};
use samlmeta::{Certificate, SigningKey};
use std::sync::OnceLock;

fn pair() -> &'static (SigningKey, Certificate) {
    static PAIR: OnceLock<(SigningKey, Certificate)> = OnceLock::new();
    PAIR.get_or_init(|| {
        let mut c = samlmeta::read(&std::fs::read(fixture("combined.pem")).unwrap(), None).unwrap();
        (c.key.take().unwrap(), c.certificates.remove(0))
    })
}

/// Values people type or paste: plain, URL-like, markup characters, non-Latin, long, and anything.
fn value(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9._-]{1,40}",
        "https://[a-z]{1,12}\\.example\\.com/[a-z/]{0,20}",
        "[<>&\"' a-z]{1,30}",
        "[日本語Ωüß€ a-z]{1,30}",
        proptest::collection::vec(proptest::char::range('a', 'z'), 1000..1030)
            .prop_map(|v| v.into_iter().collect()),
        proptest::string::string_regex(&format!(".{{0,{max}}}")).unwrap(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_values_give_verified_metadata_or_a_typed_error(
        entity_id in value(60),
        label in value(60),
        suffix in "[A-Za-z0-9._~-]{0,30}",
    ) {
        let (key, cert) = pair();
        let mut md = IdpMetadata::jumpcloud(&entity_id, cert.clone(), &suffix);
        md.display_name = Some(label.clone());
        match signed_idp_xml(&md, key, "_p") {
            Ok(xml) => {
                prop_assert_eq!(schema_errors(&xml), None);
                let (verified, why) = xmlsec1_verify(&xml, "cert.pem");
                prop_assert!(verified, "{}", why);
                prop_assert_eq!(xpath(&xml, "string(/*/@entityID)"), entity_id);
            }
            Err(SignError::Invalid(e)) => prop_assert!(!e.errors.is_empty()),
            Err(other) => prop_assert!(false, "unexpected {other:?}"),
        }
    }

    #[test]
    fn damaged_signed_metadata_is_never_valid_and_never_panics(
        position in 0.0f64..1.0,
        bit in 0u8..8,
        truncate in proptest::bool::weighted(0.2),
    ) {
        let signed = signed_metadata();
        let at = ((signed.len() as f64) * position) as usize;
        let mut damaged = signed.clone();
        if truncate {
            damaged.truncate(at);
        } else {
            damaged[at] ^= 1 << bit;
        }
        let options = Options::new(Trust::Certificate(Box::new(pair().1.clone())));
        if let Ok(report) = verify(&damaged, &options) {
            // Outside what is signed: the XML declaration (e.g. "UTF-8" → "uTF-8") and the
            // embedded certificate, unused when the certificate is supplied.
            let find = |s: &[u8]| signed.windows(s.len()).position(|w| w == s).unwrap();
            let unsigned = at < find(b"<md:EntityDescriptor")
                || (find(b"<ds:KeyInfo>") < at && at < find(b"</ds:KeyInfo>"));
            prop_assert!(!report.verdict.is_valid() || (unsigned && !truncate), "{}", at);
        }
    }
}

fn signed_metadata() -> &'static Vec<u8> {
    static SIGNED: OnceLock<Vec<u8>> = OnceLock::new();
    SIGNED.get_or_init(|| {
        let (key, cert) = pair();
        let md = IdpMetadata::jumpcloud("KeeperSSO", cert.clone(), "keepersecurity");
        signed_idp_xml(&md, key, "_p").unwrap()
    })
}
