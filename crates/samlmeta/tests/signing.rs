//! Signed metadata, checked by the real xmlsec1 and xmllint.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // test code

use samlmeta::dsig::{SignError, new_document_id, signed_idp_xml, signed_sp_xml};
use samlmeta::metadata::{IdpMetadata, SpMetadata};
mod common;

use common::{cert, exc_c14n, key, schema_errors, tests_dir, xmlsec1_verify};
use samlmeta::Certificate;

const PASS: &str = "correct horse battery staple";

fn keeper(cert: Certificate) -> IdpMetadata {
    let mut md = IdpMetadata::jumpcloud("KeeperSSO", cert, "keepersecurity");
    md.display_name = Some("Keeper Security <&> 'ü'".to_owned());
    md
}

#[test]
fn xmlsec1_verifies_signed_idp_metadata() {
    let md = keeper(cert("cert.pem"));
    let id = new_document_id().unwrap();
    let xml = signed_idp_xml(&md, &key("pkcs8.pem", None), &id).unwrap();
    let (ok, out) = xmlsec1_verify(&xml, "cert.pem");
    assert!(ok, "{out}\n{}", String::from_utf8_lossy(&xml));
}

#[test]
fn every_key_container_and_size_signs_what_xmlsec1_verifies() {
    for (key_file, pass, cert_file) in [
        ("pkcs1.pem", None, "cert.pem"),
        ("pkcs8.der", None, "cert.pem"),
        ("encrypted-pbkdf2.pem", Some(PASS), "cert.pem"),
        ("encrypted-scrypt.pem", Some(PASS), "cert.pem"),
        ("bundle-aes.p12", Some(PASS), "cert.pem"),
        ("rsa3072.key.pem", None, "rsa3072.cert.pem"),
        ("rsa4096.key.pem", None, "rsa4096.cert.pem"),
    ] {
        let xml = signed_idp_xml(
            &keeper(cert(cert_file)),
            &key(key_file, pass),
            &new_document_id().unwrap(),
        )
        .unwrap();
        let (ok, out) = xmlsec1_verify(&xml, cert_file);
        assert!(ok, "{key_file}: {out}");
    }
}

#[test]
fn any_change_after_signing_breaks_the_signature() {
    let xml = signed_idp_xml(&keeper(cert("cert.pem")), &key("pkcs8.pem", None), "_fixed").unwrap();
    let text = String::from_utf8(xml).unwrap();
    for (from, to) in [
        ("keepersecurity\"", "keepersecuritz\""),
        (
            "WantAuthnRequestsSigned=\"false\"",
            "WantAuthnRequestsSigned=\"true\"",
        ),
        ("\n    <md:NameIDFormat>", "\n     <md:NameIDFormat>"),
    ] {
        assert!(text.contains(from), "{from}");
        let tampered = text.replacen(from, to, 1);
        let (ok, _) = xmlsec1_verify(tampered.as_bytes(), "cert.pem");
        assert!(
            !ok,
            "xmlsec1 accepted the document after {from:?} -> {to:?}"
        );
    }
    // Signed by this key, so another certificate is not trusted for it.
    let (ok, _) = xmlsec1_verify(text.as_bytes(), "other.cert.pem");
    assert!(!ok, "verified against the wrong certificate");
}

#[test]
fn the_signature_has_the_one_shape_verifiers_expect() {
    let id = new_document_id().unwrap();
    assert!(id.starts_with('_') && id.len() == 33, "{id}");
    let xml = signed_idp_xml(&keeper(cert("cert.pem")), &key("pkcs8.pem", None), &id).unwrap();
    let text = String::from_utf8(xml.clone()).unwrap();
    assert_eq!(text.matches("<ds:Signature ").count(), 1);
    assert_eq!(text.matches("<ds:Reference ").count(), 1);
    assert!(text.contains(&format!("<ds:Reference URI=\"#{id}\">")));
    assert!(
        text.contains(&format!(" ID=\"{id}\" entityID=\"KeeperSSO\"")),
        "ID, not Id"
    );
    assert!(!text.to_lowercase().contains("sha1"), "no SHA-1 anywhere");
    // Signature is the root's first child.
    let root_end = text.find("entityID=\"KeeperSSO\">").unwrap() + "entityID=\"KeeperSSO\">".len();
    assert!(
        text[root_end..].starts_with("\n  <ds:Signature xmlns:ds="),
        "{}",
        &text[root_end..root_end + 40]
    );
    // Valid against the schemas, and still in canonical form (nothing to reformat).
    assert_eq!(schema_errors(&xml), None);
    let body = text
        .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .unwrap()
        .strip_suffix('\n')
        .unwrap();
    assert_eq!(exc_c14n(&xml), body);
}

#[test]
fn a_fixed_id_and_key_give_the_golden_document() {
    // RSASSA-PKCS1-v1_5 is deterministic (blinding changes nothing in the result).
    let xml = signed_idp_xml(
        &keeper(cert("cert.pem")),
        &key("pkcs8.pem", None),
        "_0123456789abcdef0123456789abcdef",
    )
    .unwrap();
    let golden = tests_dir().join("golden/idp-jumpcloud-signed.xml");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &xml).unwrap();
    }
    assert_eq!(
        String::from_utf8_lossy(&xml),
        String::from_utf8_lossy(&std::fs::read(&golden).unwrap())
    );
    assert!(xmlsec1_verify(&xml, "cert.pem").0);
}

#[test]
fn during_a_rollover_the_key_signs_with_its_own_certificate() {
    let mut md = keeper(cert("other.cert.pem"));
    md.signing_certificates.push(cert("cert.pem"));
    let xml = signed_idp_xml(&md, &key("pkcs8.pem", None), "_r").unwrap();
    let text = String::from_utf8(xml.clone()).unwrap();
    assert_eq!(text.matches("use=\"signing\"").count(), 2);
    let key_info = &text[text.find("<ds:KeyInfo><ds:X509Data>").unwrap()..];
    assert!(key_info.contains(&cert("cert.pem").base64()));
    assert!(xmlsec1_verify(&xml, "cert.pem").0);
}

#[test]
fn sp_metadata_is_signed_with_the_sps_own_key() {
    let mut sp = SpMetadata::new(
        "https://keeper.example.com/sso/saml",
        "https://keeper.example.com/sso/saml/acs",
    );
    sp.certificate = Some(cert("other.cert.pem"));
    let xml = signed_sp_xml(
        &sp,
        &key("other.key.pem", None),
        &new_document_id().unwrap(),
    )
    .unwrap();
    let (ok, out) = xmlsec1_verify(&xml, "other.cert.pem");
    assert!(ok, "{out}");
    // The IdP key never signs SP metadata: it matches no SP certificate.
    assert_eq!(
        signed_sp_xml(&sp, &key("pkcs8.pem", None), "_x"),
        Err(SignError::KeyMismatch)
    );
    sp.certificate = None;
    assert_eq!(
        signed_sp_xml(&sp, &key("other.key.pem", None), "_x"),
        Err(SignError::KeyMismatch)
    );
}

#[test]
fn signing_is_refused_when_it_would_not_verify() {
    let md = keeper(cert("cert.pem"));
    assert_eq!(
        signed_idp_xml(&md, &key("other.key.pem", None), "_x"),
        Err(SignError::KeyMismatch)
    );
    let weak = keeper(cert("rsa1024.cert.pem"));
    assert_eq!(
        signed_idp_xml(&weak, &key("rsa1024.key.pem", None), "_x"),
        Err(SignError::WeakKey { bits: 1024 })
    );
    for id in ["", "1abc", "_a b", "_a\"b", "#x", "é"] {
        assert!(
            matches!(
                signed_idp_xml(&md, &key("pkcs8.pem", None), id),
                Err(SignError::BadId { .. })
            ),
            "{id}"
        );
    }
    let mut bad = md.clone();
    bad.entity_id.clear();
    assert!(matches!(
        signed_idp_xml(&bad, &key("pkcs8.pem", None), "_x"),
        Err(SignError::Invalid(_))
    ));
    for e in [SignError::KeyMismatch, SignError::WeakKey { bits: 1024 }] {
        assert!(e.to_string().len() > 60, "{e}");
    }
}

/// `rsa` blinds a private-key operation only when built with its `getrandom` feature (its
/// `sign_with_default_rng` otherwise signs unblinded). SECURITY.md's answer to RUSTSEC-2023-0071
/// relies on blinding, so the resolved build must have that feature, for every target.
#[test]
fn rsa_is_built_with_blinding() {
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "tree",
            "--locked",
            "--offline",
            "-p",
            "samlmeta",
            "-e",
            "features",
            "-i",
            "rsa",
        ])
        .args(["--target", "all"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(tree.contains("rsa feature \"getrandom\""), "{tree}");
}
