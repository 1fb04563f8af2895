//! Property test: whatever values an admin types, the result is metadata that the real xmllint
//! validates and the real xmlsec1 verifies, with the values intact, or a typed error. Never a panic.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // test code

use proptest::prelude::*;
use samlmeta::dsig::{SignError, signed_idp_xml};
use samlmeta::model::IdpMetadata;
use samlmeta::{Certificate, SigningKey};
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn pair() -> &'static (SigningKey, Certificate) {
    static PAIR: OnceLock<(SigningKey, Certificate)> = OnceLock::new();
    PAIR.get_or_init(|| {
        let mut c = samlmeta::read(
            &std::fs::read(fixtures().join("combined.pem")).unwrap(),
            None,
        )
        .unwrap();
        (c.key.take().unwrap(), c.certificates.remove(0))
    })
}

fn run(args: &[&str], xml: &[u8]) -> (bool, String) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let path = std::env::temp_dir().join(format!(
        "samlmeta-prop-{}-{}.xml",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::write(&path, xml).unwrap();
    let out = Command::new(args[0])
        .args(&args[1..])
        .arg(&path)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
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
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

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
                let schema = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/samlmeta-all.xsd");
                let (valid, why) = run(&["xmllint", "--nonet", "--noout", "--schema", schema.to_str().unwrap()], &xml);
                prop_assert!(valid, "{why}");
                let trusted = fixtures().join("cert.pem");
                let (verified, why) = run(&["xmlsec1", "--verify", "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor", "--trusted-pem", trusted.to_str().unwrap()], &xml);
                prop_assert!(verified, "{why}");
                let (_, got) = run(&["xmllint", "--nonet", "--xpath", "string(/*/@entityID)"], &xml);
                prop_assert_eq!(got.strip_suffix('\n').unwrap_or(&got), entity_id.as_str());
            }
            Err(SignError::Invalid(e)) => prop_assert!(!e.errors.is_empty()),
            Err(other) => prop_assert!(false, "unexpected {other:?}"),
        }
    }
}
