//! The verifier and exclusive C14N, against the real xmlsec1: documents xmlsec1 signs verify,
//! our canonical bytes equal the bytes xmlsec1 digests, and every tampering and wrapping variant
//! fails with the right reason.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // test code

mod common;

use common::{cert, fixture, key, signed_element, tests_dir, xmlsec1_predigest, xmlsec1_sign};
use samlmeta::dsig::signed_idp_xml;
use samlmeta::dsig::verify::{
    DocumentKind, MAX_DOCUMENT_BYTES, Options, Outcome, Refusal, Trust, Verdict, VerifyError,
    verify,
};
use samlmeta::metadata::IdpMetadata;
use samlmeta::xml::c14n;

fn trusting(cert_file: &str) -> Options {
    Options::new(Trust::Certificate(Box::new(cert(cert_file))))
}

fn verdict(xml: &[u8], options: &Options) -> Verdict {
    verify(xml, options).unwrap().verdict
}

/// Our own signed IdP metadata, with a fixed ID.
fn our_metadata() -> String {
    let md = IdpMetadata::jumpcloud("KeeperSSO", cert("cert.pem"), "keepersecurity");
    String::from_utf8(signed_idp_xml(&md, &key("pkcs8.pem", None), "_ours").unwrap()).unwrap()
}

/// The corpus of tricky documents: (name, template).
fn corpus() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(tests_dir().join("c14n"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    assert!(files.len() >= 16, "the corpus is there");
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(p).unwrap())
        })
        .collect()
}

/// The document with its (one) ds:Signature element cut out, whitespace around it kept: what
/// the enveloped-signature transform leaves.
fn without_signature(signed: &[u8]) -> Vec<u8> {
    let text = std::str::from_utf8(signed).unwrap();
    let start = text.find("<ds:Signature").unwrap();
    let end = text.find("</ds:Signature>").unwrap() + "</ds:Signature>".len();
    format!("{}{}", &text[..start], &text[end..]).into_bytes()
}

/// The InclusiveNamespaces PrefixList of the Reference's exc-c14n transform.
fn reference_prefixes(template: &[u8]) -> Vec<String> {
    let text = std::str::from_utf8(template).unwrap();
    let Some(transforms) = text.split("<ds:Transforms>").nth(1) else {
        return Vec::new();
    };
    let transforms = transforms.split("</ds:Transforms>").next().unwrap();
    transforms
        .split("PrefixList=\"")
        .nth(1)
        .map(|rest| {
            rest.split('"')
                .next()
                .unwrap()
                .split_whitespace()
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn exclusive_c14n_agrees_byte_for_byte_with_xmlsec1_on_the_corpus() {
    let mut checked = 0;
    for (name, template) in corpus() {
        let lf = template.clone();
        let crlf = String::from_utf8(template.clone())
            .unwrap()
            .replace('\n', "\r\n")
            .into_bytes();
        for (variant, template) in [("LF", lf), ("CRLF", crlf)] {
            let signed = xmlsec1_sign(&template, "pkcs8.pem", "cert.pem");
            let theirs = xmlsec1_predigest(&signed, "cert.pem");
            let (_, id) = signed_element(&signed);
            let prefixes = reference_prefixes(&template);
            let prefixes: Vec<&str> = prefixes.iter().map(String::as_str).collect();
            let ours = c14n::exclusive(&without_signature(&signed), Some(&id), &prefixes).unwrap();
            assert_eq!(
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&theirs),
                "{name} ({variant})"
            );
            checked += 1;
        }
    }
    assert!(checked >= 32);
}

#[test]
fn documents_signed_by_xmlsec1_verify() {
    for (name, template) in corpus() {
        let signed = xmlsec1_sign(&template, "pkcs8.pem", "cert.pem");
        let report = verify(&signed, &trusting("cert.pem")).unwrap();
        // The corpus signs a few elements SAML never signs (to test C14N); the signature itself
        // must still check out, and only the placement rule may refuse it.
        match &report.verdict {
            Verdict::Valid => {
                let covered = report.signatures[0].covers.as_ref().unwrap();
                assert_eq!(
                    covered.id.as_deref(),
                    Some(signed_element(&signed).1.as_str())
                );
                assert!(report.signatures[0].signer.as_ref().unwrap().trusted);
            }
            Verdict::Refused(Refusal::UnexpectedSignedElement { name: el }) => {
                assert_eq!(name, "14-ancestor-prefix-in-list.xml", "{el}");
            }
            other => panic!("{name}: {other}"),
        }
    }
}

#[test]
fn our_own_output_verifies_by_certificate_fingerprint_and_embedded_certificate() {
    let xml = our_metadata();
    let report = verify(xml.as_bytes(), &trusting("cert.pem")).unwrap();
    assert_eq!(report.verdict, Verdict::Valid);
    assert_eq!(report.kind, DocumentKind::Metadata);
    assert!(report.unsigned.is_empty());
    assert_eq!(report.signatures.len(), 1);
    assert_eq!(
        report.signatures[0].covers.as_ref().unwrap().id.as_deref(),
        Some("_ours")
    );

    let fingerprint = cert("cert.pem").sha256_fingerprint();
    let by_fingerprint = Options::new(Trust::Fingerprint(fingerprint));
    assert_eq!(verdict(xml.as_bytes(), &by_fingerprint), Verdict::Valid);

    let report = verify(xml.as_bytes(), &Options::new(Trust::Embedded)).unwrap();
    assert_eq!(report.verdict, Verdict::SignerNotAuthenticated);
    let signer = report.signatures[0].signer.as_ref().unwrap();
    assert!(!signer.trusted);
    assert_eq!(signer.fingerprint, fingerprint);
}

#[test]
fn a_changed_document_is_reported_as_altered() {
    let xml = our_metadata();
    for (from, to) in [
        (
            "https://sso.jumpcloud.com/saml2/keepersecurity",
            "https://evil.example/saml2/x",
        ),
        ("entityID=\"KeeperSSO\"", "entityID=\"KeeperSS0\""),
        (
            "</md:IDPSSODescriptor>",
            "<md:NameIDFormat>x:y</md:NameIDFormat></md:IDPSSODescriptor>",
        ),
    ] {
        assert!(xml.contains(from), "{from}");
        let changed = xml.replacen(from, to, 1);
        assert_eq!(
            verdict(changed.as_bytes(), &trusting("cert.pem")),
            Verdict::Altered,
            "{from}"
        );
    }
}

#[test]
fn a_changed_signature_value_or_signed_info_is_caught() {
    let xml = our_metadata();
    let start = xml.find("<ds:SignatureValue>").unwrap() + "<ds:SignatureValue>".len();
    let mut bytes = xml.clone().into_bytes();
    bytes[start + 10] = if bytes[start + 10] == b'A' {
        b'B'
    } else {
        b'A'
    };
    assert_eq!(
        verdict(&bytes, &Options::new(Trust::Embedded)),
        Verdict::BadSignatureValue
    );
    assert_eq!(verdict(&bytes, &trusting("cert.pem")), Verdict::OtherSigner);

    // Same digest, SignedInfo changed (another ID attribute on the Reference).
    let changed = xml.replacen("<ds:Reference URI", "<ds:Reference Id=\"x\" URI", 1);
    assert_eq!(
        verdict(changed.as_bytes(), &Options::new(Trust::Embedded)),
        Verdict::BadSignatureValue
    );
}

#[test]
fn a_signature_by_another_key_names_the_actual_signer() {
    let xml = our_metadata();
    let report = verify(xml.as_bytes(), &trusting("other.cert.pem")).unwrap();
    assert_eq!(report.verdict, Verdict::OtherSigner);
    let Outcome::OtherSigner {
        actual: Some(actual),
    } = &report.signatures[0].outcome
    else {
        panic!("{:?}", report.signatures[0].outcome);
    };
    assert_eq!(actual.fingerprint, cert("cert.pem").sha256_fingerprint());

    let other = Options::new(Trust::Fingerprint(
        cert("other.cert.pem").sha256_fingerprint(),
    ));
    assert_eq!(verdict(xml.as_bytes(), &other), Verdict::OtherSigner);

    // The embedded certificate swapped for another: the signature no longer matches it.
    let swapped = xml.replacen(
        &cert("cert.pem").base64(),
        &cert("other.cert.pem").base64(),
        1,
    );
    assert_eq!(
        verdict(swapped.as_bytes(), &Options::new(Trust::Embedded)),
        Verdict::BadSignatureValue
    );
    assert_eq!(
        verdict(swapped.as_bytes(), &trusting("cert.pem")),
        Verdict::Valid
    );
}

#[test]
fn a_removed_signature_is_unsigned() {
    let xml = our_metadata();
    let stripped = without_signature(xml.as_bytes());
    let report = verify(&stripped, &trusting("cert.pem")).unwrap();
    assert_eq!(report.verdict, Verdict::Unsigned);
    assert_eq!(report.unsigned.len(), 1);
    assert!(report.signatures.is_empty());
}

fn sha1_template() -> Vec<u8> {
    std::fs::read(tests_dir().join("c14n/01-attribute-order.xml"))
        .map(|t| {
            String::from_utf8(t)
                .unwrap()
                .replace(
                    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                    "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
                )
                .replace(
                    "http://www.w3.org/2001/04/xmlenc#sha256",
                    "http://www.w3.org/2000/09/xmldsig#sha1",
                )
                .into_bytes()
        })
        .unwrap()
}

#[test]
fn sha1_is_refused_unless_allowed() {
    let signed = xmlsec1_sign(&sha1_template(), "pkcs8.pem", "cert.pem");
    let report = verify(&signed, &trusting("cert.pem")).unwrap();
    assert_eq!(report.verdict, Verdict::Refused(Refusal::Sha1));
    assert!(report.verdict.to_string().contains("SHA-1"));
    let allowed = Options {
        allow_sha1: true,
        ..trusting("cert.pem")
    };
    assert_eq!(verdict(&signed, &allowed), Verdict::Valid);

    // SHA-1 in only one of the two places is refused too.
    let digest_only = String::from_utf8(sha1_template()).unwrap().replace(
        "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    );
    let signed = xmlsec1_sign(digest_only.as_bytes(), "pkcs8.pem", "cert.pem");
    assert_eq!(
        verdict(&signed, &trusting("cert.pem")),
        Verdict::Refused(Refusal::Sha1)
    );
}

// --- Signature wrapping -------------------------------------------------------------------

/// The signed EntityDescriptor of `our_metadata()`, without the XML declaration.
fn signed_entity() -> String {
    let xml = our_metadata();
    let start = xml.find("<md:EntityDescriptor").unwrap();
    xml[start..].trim_end().to_owned()
}

const MD_NS: &str = "xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\"";

#[test]
fn a_signature_moved_to_a_new_root_still_covering_the_original_is_refused() {
    // The attacker's root carries the original signature; the original element, with the
    // signature removed, hides in Extensions.
    let original = signed_entity();
    let sig_start = original.find("<ds:Signature").unwrap();
    let sig_end = original.find("</ds:Signature>").unwrap() + "</ds:Signature>".len();
    let signature = &original[sig_start..sig_end];
    let hidden = format!("{}{}", &original[..sig_start], &original[sig_end..]);
    let evil = format!(
        "<md:EntityDescriptor {MD_NS} ID=\"_evil\" entityID=\"https://evil.example\">{signature}\
         <md:Extensions>{hidden}</md:Extensions></md:EntityDescriptor>"
    );
    let report = verify(evil.as_bytes(), &trusting("cert.pem")).unwrap();
    assert_eq!(
        report.verdict,
        Verdict::Refused(Refusal::NotOnSignedElement),
        "{}",
        report.verdict
    );
}

#[test]
fn a_new_root_reusing_the_signed_id_is_refused() {
    let evil = format!(
        "<md:EntityDescriptor {MD_NS} ID=\"_ours\" entityID=\"https://evil.example\">\
         <md:Extensions>{}</md:Extensions></md:EntityDescriptor>",
        signed_entity()
    );
    assert_eq!(
        verify(evil.as_bytes(), &trusting("cert.pem")),
        Err(VerifyError::DuplicateId {
            id: "_ours".to_owned()
        })
    );
}

#[test]
fn a_second_signature_is_refused() {
    let xml = our_metadata();
    let sig_start = xml.find("<ds:Signature").unwrap();
    let sig_end = xml.find("</ds:Signature>").unwrap() + "</ds:Signature>".len();
    let twice = format!("{}{}", &xml[..sig_end], &xml[sig_start..]);
    assert_eq!(
        verdict(twice.as_bytes(), &trusting("cert.pem")),
        Verdict::Refused(Refusal::MultipleSignatures { count: 2 })
    );
}

#[test]
fn a_signature_over_an_inner_element_does_not_cover_the_root() {
    let evil = format!(
        "<md:EntitiesDescriptor {MD_NS} ID=\"_aggregate\">{}\
         <md:EntityDescriptor entityID=\"https://evil.example\"/></md:EntitiesDescriptor>",
        signed_entity()
    );
    let report = verify(evil.as_bytes(), &trusting("cert.pem")).unwrap();
    assert_eq!(report.verdict, Verdict::NotOnRoot);
    assert!(
        report
            .verdict
            .to_string()
            .contains("does not cover the document root")
    );
}

#[test]
fn responses_report_what_is_covered_and_an_injected_assertion_fails() {
    let template = std::fs::read(tests_dir().join("c14n/07-inner-assertion.xml")).unwrap();
    let signed = String::from_utf8(xmlsec1_sign(&template, "pkcs8.pem", "cert.pem")).unwrap();
    let report = verify(signed.as_bytes(), &trusting("cert.pem")).unwrap();
    assert_eq!(report.verdict, Verdict::Valid);
    assert_eq!(report.kind, DocumentKind::Message);
    // The Response itself is not signed; its assertion is.
    assert_eq!(report.unsigned.len(), 1);
    assert_eq!(report.unsigned[0].name, "samlp:Response");
    assert_eq!(
        report.signatures[0].covers.as_ref().unwrap().name,
        "saml:Assertion"
    );

    // An unsigned assertion injected beside the signed one.
    let injected = signed.replacen(
        "</samlp:Response>",
        "<saml:Assertion ID=\"_evil\" Version=\"2.0\" IssueInstant=\"2026-11-29T00:00:00Z\">\
         <saml:Issuer>https://idp.example.com</saml:Issuer></saml:Assertion></samlp:Response>",
        1,
    );
    let report = verify(injected.as_bytes(), &trusting("cert.pem")).unwrap();
    assert_eq!(report.verdict, Verdict::PartlyUnsigned);
    assert!(
        report
            .unsigned
            .iter()
            .any(|e| e.id.as_deref() == Some("_evil"))
    );
}

#[test]
fn structural_refusals() {
    let xml = our_metadata();
    let cases: Vec<(String, Verdict)> = vec![
        (
            xml.replacen(
                "</ds:KeyInfo>",
                "</ds:KeyInfo><ds:Object>anything</ds:Object>",
                1,
            ),
            Verdict::Refused(Refusal::Object),
        ),
        (
            xml.replacen(
                "<ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"></ds:Transform>",
                "<ds:Transform Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"></ds:Transform>",
                1,
            ),
            Verdict::Refused(Refusal::Transforms {
                found: vec![
                    "http://www.w3.org/2000/09/xmldsig#enveloped-signature".to_owned(),
                    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315".to_owned(),
                ],
            }),
        ),
        (
            xml.replacen(
                "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\">",
                "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2006/12/xml-c14n11\">",
                1,
            ),
            Verdict::Refused(Refusal::Canonicalization {
                algorithm: "http://www.w3.org/2006/12/xml-c14n11".to_owned(),
            }),
        ),
        (
            xml.replacen("URI=\"#_ours\"", "URI=\"\"", 1),
            Verdict::Refused(Refusal::ReferenceUri { uri: String::new() }),
        ),
        (
            xml.replacen(
                "<ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\">",
                "<ds:SignatureMethod Algorithm=\"http://www.w3.org/2000/09/xmldsig#hmac-sha1\">",
                1,
            ),
            Verdict::Refused(Refusal::SignatureAlgorithm {
                algorithm: "http://www.w3.org/2000/09/xmldsig#hmac-sha1".to_owned(),
            }),
        ),
    ];
    for (doc, expected) in cases {
        assert_eq!(verdict(doc.as_bytes(), &trusting("cert.pem")), expected);
    }
    let no_cert = xml.replacen(&cert("cert.pem").base64(), "", 1);
    // An empty X509Certificate cannot be read.
    assert!(matches!(
        verdict(no_cert.as_bytes(), &Options::new(Trust::Embedded)),
        Verdict::Refused(Refusal::Malformed { .. })
    ));
    let no_key_info = {
        let s = xml.find("<ds:KeyInfo>").unwrap();
        let e = xml.find("</ds:KeyInfo>").unwrap() + "</ds:KeyInfo>".len();
        format!("{}{}", &xml[..s], &xml[e..])
    };
    assert_eq!(
        verdict(no_key_info.as_bytes(), &Options::new(Trust::Embedded)),
        Verdict::Refused(Refusal::NoCertificate)
    );
    assert_eq!(
        verdict(no_key_info.as_bytes(), &trusting("cert.pem")),
        Verdict::Valid
    );
}

#[test]
fn dangerous_documents_are_refused_before_any_check() {
    let xml = our_metadata();
    let doctype = xml.replacen(
        "<md:EntityDescriptor",
        "<!DOCTYPE md:EntityDescriptor [<!ENTITY x \"y\">]><md:EntityDescriptor",
        1,
    );
    let err = verify(doctype.as_bytes(), &trusting("cert.pem")).unwrap_err();
    assert!(err.to_string().contains("DOCTYPE"), "{err}");

    // Undefined entities, in an attribute and in text.
    for entity in [
        xml.replacen("entityID=\"KeeperSSO\"", "entityID=\"&xxe;\"", 1),
        xml.replacen("</md:NameIDFormat>", "&xxe;</md:NameIDFormat>", 1),
    ] {
        let err = verify(entity.as_bytes(), &trusting("cert.pem")).unwrap_err();
        assert!(matches!(err, VerifyError::Xml(_)), "{err}");
        assert!(err.to_string().contains("xxe"), "{err}");
    }

    let huge = vec![b' '; MAX_DOCUMENT_BYTES + 1];
    assert_eq!(
        verify(&huge, &trusting("cert.pem")),
        Err(VerifyError::TooLarge {
            bytes: MAX_DOCUMENT_BYTES + 1
        })
    );

    // Limits that keep hostile documents cheap: nesting, attributes, namespaces in scope.
    let deep = format!("{}{}", "<a>".repeat(300), "</a>".repeat(300));
    let wide = format!(
        "<a {}/>",
        (0..1100)
            .map(|i| format!("a{i}=\"\""))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let namespaces = format!(
        "<a {}/>",
        (0..300)
            .map(|i| format!("xmlns:p{i}=\"urn:{i}\""))
            .collect::<Vec<_>>()
            .join(" ")
    );
    for (doc, says) in [
        (deep, "nested more than 256"),
        (wide, "more than 1024 attributes"),
        (
            namespaces,
            "more than 1024 attributes or more than 256 namespace",
        ),
    ] {
        let err = verify(doc.as_bytes(), &trusting("cert.pem")).unwrap_err();
        assert!(err.to_string().contains(says), "{err}");
    }

    for bad in [
        &b""[..],
        b"not xml",
        b"<a><b></a>",
        b"<a/><b/>",
        b"<p:a/>",
        b"<a x='1' x='2'/>",
        b"<a>\x01</a>",
        b"\xff\xfe<\x00a\x00/\x00>\x00",
        b"<?xml version='1.0' encoding='ISO-8859-1'?><a/>",
        b"<a xmlns:p=''/>",
        b"<a>]]></a>",
        b"<!DOCTYPE a><a/>",
    ] {
        assert!(
            verify(bad, &trusting("cert.pem")).is_err(),
            "{}",
            String::from_utf8_lossy(bad)
        );
    }
}

#[test]
fn xmlsec1_accepts_what_we_sign_and_we_accept_what_it_signs_with_every_key_size() {
    for (key_file, cert_file) in [
        ("rsa3072.key.pem", "rsa3072.cert.pem"),
        ("rsa4096.key.pem", "rsa4096.cert.pem"),
    ] {
        let template =
            std::fs::read(tests_dir().join("c14n/11-default-namespace-apex.xml")).unwrap();
        let signed = xmlsec1_sign(&template, key_file, cert_file);
        assert_eq!(
            verdict(&signed, &trusting(cert_file)),
            Verdict::Valid,
            "{key_file}"
        );
    }
    assert!(fixture("cert.pem").exists());
}
