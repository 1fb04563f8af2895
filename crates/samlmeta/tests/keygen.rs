//! New key pairs, checked by the real openssl and xmlsec1.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests fail loudly

mod common;

use common::openssl;

use samlmeta::metadata::IdpMetadata;
use samlmeta::pki::generate::{
    CertificateRequest, ENCRYPTION_ITERATIONS, GenerateError, KeyEncoding, KeyPair, KeySize,
    NamePart, default_common_name,
};
use samlmeta::{Severity, UnixTime};
use std::path::PathBuf;

const NOW: UnixTime = UnixTime::from_seconds(1_796_083_200); // 2026-12-01T00:00:00Z
const PASS: &str = "correct horse battery staple";

/// A directory for one test's files, removed afterwards.
struct Dir(PathBuf);
impl Dir {
    fn new(name: &str) -> Self {
        let path =
            std::env::temp_dir().join(format!("samlmeta-keygen-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }
    fn write(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).unwrap();
        path.to_string_lossy().into_owned()
    }
}
impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn request() -> CertificateRequest {
    let mut request = CertificateRequest::new("idp.example.com", NOW);
    request.organization = Some("Example, Inc.".to_owned());
    request.organizational_unit = Some("IT + Security".to_owned());
    request.country = Some("de".to_owned());
    request
}

fn pair_2048() -> &'static KeyPair {
    static PAIR: std::sync::OnceLock<KeyPair> = std::sync::OnceLock::new();
    PAIR.get_or_init(|| KeyPair::generate(KeySize::Rsa2048, &request()).unwrap())
}

#[test]
fn openssl_reads_the_certificate_as_a_signing_leaf() {
    let dir = Dir::new("text");
    let pair = pair_2048();
    let cert = dir.write("cert.pem", pair.certificate_pem().as_bytes());
    let text = openssl(&["x509", "-noout", "-text", "-in", &cert]);
    for expected in [
        "Version: 3 (0x2)",
        "Signature Algorithm: sha256WithRSAEncryption",
        "Subject: C = DE, O = \"Example, Inc.\", OU = \"IT + Security\", CN = idp.example.com",
        "Issuer: C = DE, O = \"Example, Inc.\", OU = \"IT + Security\", CN = idp.example.com",
        "Not Before: Dec  1 00:00:00 2026 GMT",
        "Not After : Nov 30 00:00:00 2029 GMT",
        "Public-Key: (2048 bit)",
        "X509v3 Basic Constraints: critical\n                CA:FALSE",
        "X509v3 Key Usage: critical\n                Digital Signature\n",
        "X509v3 Subject Key Identifier",
        "X509v3 Authority Key Identifier",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let verified = openssl(&["verify", "-CAfile", &cert, &cert]);
    assert!(verified.contains(": OK"), "{verified}");

    // A positive serial of at least 64 random bits: 16 octets, top bit clear.
    let serial = openssl(&["x509", "-noout", "-serial", "-in", &cert]);
    let hex = serial.trim().trim_start_matches("serial=");
    assert_eq!(hex.len(), 32, "{serial}");
    assert!(
        u8::from_str_radix(&hex[..2], 16).unwrap() < 0x80,
        "{serial}"
    );
    let other = KeyPair::generate(KeySize::Rsa2048, &request()).unwrap();
    assert_ne!(
        pair.certificate().serial(),
        other.certificate().serial(),
        "serials are random"
    );
}

#[test]
fn every_key_encoding_opens_in_openssl_and_matches_the_certificate() {
    let dir = Dir::new("encodings");
    let pair = pair_2048();
    let cert = dir.write("cert.pem", pair.certificate_pem().as_bytes());
    let cert_pub = openssl(&["x509", "-noout", "-pubkey", "-in", &cert]);

    let pkcs8 = pair.private_key_pem(KeyEncoding::Pkcs8).unwrap();
    assert!(pkcs8.starts_with("-----BEGIN PRIVATE KEY-----\n"));
    let pkcs1 = pair.private_key_pem(KeyEncoding::Pkcs1).unwrap();
    assert!(pkcs1.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
    let encrypted = pair
        .private_key_pem(KeyEncoding::EncryptedPkcs8 { passphrase: PASS })
        .unwrap();
    assert!(encrypted.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
    let pass_file = dir.write("pass.txt", PASS.as_bytes());
    let pass_arg = format!("file:{pass_file}");

    for (name, pem, extra) in [
        ("pkcs8.pem", &pkcs8, vec![]),
        ("pkcs1.pem", &pkcs1, vec![]),
        (
            "encrypted.pem",
            &encrypted,
            vec!["-passin", pass_arg.as_str()],
        ),
    ] {
        let path = dir.write(name, pem.as_bytes());
        let mut args = vec!["pkey", "-pubout", "-in", path.as_str()];
        args.extend(extra);
        assert_eq!(openssl(&args), cert_pub, "{name}");
    }

    // PBES2 with PBKDF2-HMAC-SHA256, 600,000 iterations, and AES-256-CBC.
    let path = dir.write("encrypted-again.pem", encrypted.as_bytes());
    let parsed = openssl(&["asn1parse", "-in", &path]);
    for expected in ["PBES2", "PBKDF2", "hmacWithSHA256", "aes-256-cbc"] {
        assert!(parsed.contains(expected), "missing {expected} in\n{parsed}");
    }
    assert!(
        parsed.contains(&format!("{ENCRYPTION_ITERATIONS:X}")),
        "iteration count {ENCRYPTION_ITERATIONS} in\n{parsed}"
    );

    // samlmeta reads each back as the same key, with no finding at all.
    let cert_and = |key: &str, pass: Option<&str>| {
        let bundle = format!("{key}{}", pair.certificate_pem());
        let contents = samlmeta::read(bundle.as_bytes(), pass).unwrap();
        let key = contents.key.unwrap();
        assert_eq!(key.bits(), 2048);
        let findings = samlmeta::check(Some(&key.public()), &contents.certificates, NOW);
        assert!(findings.is_empty(), "{findings:?}");
    };
    cert_and(&pkcs8, None);
    cert_and(&pkcs1, None);
    cert_and(&encrypted, Some(PASS));
    assert!(samlmeta::read(encrypted.as_bytes(), Some("wrong")).is_err());
}

#[test]
fn metadata_signed_with_a_new_pair_passes_xmlsec1() {
    let dir = Dir::new("xmlsec1");
    let pair = pair_2048();
    let cert_path = dir.write("cert.pem", pair.certificate_pem().as_bytes());
    let md = IdpMetadata::jumpcloud("KeeperSSO", pair.certificate().clone(), "keepersecurity");
    let xml = samlmeta::dsig::signed_idp_xml(
        &md,
        &pair.signing_key(),
        &samlmeta::dsig::new_document_id().unwrap(),
    )
    .unwrap();
    // xmlsec1 checks the certificate's validity against the real clock; the pair starts on
    // 2026-12-01, so verify at a time inside it.
    let (ok, out) = xmlsec1_verify_at(&xml, &cert_path, "2027-06-01 00:00:00");
    assert!(ok, "{out}");
}

fn xmlsec1_verify_at(xml: &[u8], cert: &str, gmt: &str) -> (bool, String) {
    let (ok, _, stderr) = common::run_on(
        "xmlsec1",
        &[
            "--verify",
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor",
            "--trusted-pem",
            cert,
            "--verification-gmt-time",
            gmt,
        ],
        xml,
    );
    (ok, stderr)
}

#[test]
fn each_size_offered_has_its_bits() {
    for size in [KeySize::Rsa3072, KeySize::Rsa4096] {
        let pair = KeyPair::generate(size, &CertificateRequest::new("idp", NOW)).unwrap();
        assert_eq!(pair.bits(), size.bits());
        let findings = samlmeta::check(
            Some(&pair.signing_key().public()),
            std::slice::from_ref(pair.certificate()),
            NOW,
        );
        assert!(findings.is_empty(), "{findings:?}");
    }
    assert_eq!(KeySize::default(), KeySize::Rsa3072);
    assert_eq!(KeySize::from_bits(1024), None);
}

#[test]
fn a_key_made_elsewhere_is_certified() {
    let dir = Dir::new("certify");
    // What WebCrypto's exportKey("pkcs8") gives: unencrypted PKCS#8 DER.
    let key_path = dir.0.join("key.der");
    let pkcs8_der = |bits: &str| {
        let pem = openssl(&["genpkey", "-algorithm", "RSA", "-pkeyopt", bits]);
        let pem_path = dir.write("key.pem", pem.as_bytes());
        openssl(&[
            "pkcs8",
            "-topk8",
            "-nocrypt",
            "-in",
            &pem_path,
            "-outform",
            "DER",
            "-out",
            key_path.to_str().unwrap(),
        ]);
        std::fs::read(&key_path).unwrap()
    };
    let der = pkcs8_der("rsa_keygen_bits:2048");
    let pair = KeyPair::certify(&der, &CertificateRequest::new("idp.example.com", NOW)).unwrap();
    assert_eq!(*pair.private_key_der().unwrap(), der);
    let cert = dir.write("cert.pem", pair.certificate_pem().as_bytes());
    assert_eq!(
        openssl(&["x509", "-noout", "-pubkey", "-in", &cert]),
        openssl(&[
            "pkey",
            "-pubout",
            "-inform",
            "DER",
            "-in",
            key_path.to_str().unwrap()
        ])
    );

    // Signed elsewhere with the same key (as WebCrypto does in the page): openssl signs the
    // to-be-signed bytes, the core checks the signature and assembles the certificate.
    let unsigned =
        KeyPair::prepare(&der, &CertificateRequest::new("signed.elsewhere", NOW)).unwrap();
    let tbs = dir.write("tbs.der", unsigned.to_be_signed());
    let sig = dir.0.join("tbs.sig");
    openssl(&[
        "dgst",
        "-sha256",
        "-sign",
        &dir.0.join("key.pem").to_string_lossy(),
        "-out",
        sig.to_str().unwrap(),
        &tbs,
    ]);
    let signature = std::fs::read(&sig).unwrap();
    let mut forged = signature.clone();
    forged[10] ^= 1;
    let elsewhere = unsigned.finish(&signature).unwrap();
    let cert = dir.write("elsewhere.pem", elsewhere.certificate_pem().as_bytes());
    assert!(openssl(&["verify", "-CAfile", &cert, &cert]).contains(": OK"));
    let unsigned =
        KeyPair::prepare(&der, &CertificateRequest::new("signed.elsewhere", NOW)).unwrap();
    assert!(matches!(
        unsigned.finish(&forged),
        Err(GenerateError::Certificate(_))
    ));

    // A 1024-bit key is not certified; nor is anything but an RSA key.
    let small = pkcs8_der("rsa_keygen_bits:1024");
    assert!(matches!(
        KeyPair::certify(&small, &CertificateRequest::new("idp", NOW)),
        Err(GenerateError::KeySize { bits: 1024 })
    ));
    assert!(matches!(
        KeyPair::certify(b"not a key", &CertificateRequest::new("idp", NOW)),
        Err(GenerateError::Key(_))
    ));
}

#[test]
fn bad_values_are_refused_before_a_key_is_made() {
    type Change = Box<dyn Fn(&mut CertificateRequest)>;
    let cases: Vec<(Change, &str)> = vec![
        (
            Box::new(|r| r.common_name = "  ".into()),
            "common name (CN) is empty",
        ),
        (
            Box::new(|r| r.common_name = "x".repeat(65)),
            "65 characters",
        ),
        (Box::new(|r| r.common_name = "a\nb".into()), "line break"),
        (
            Box::new(|r| r.organization = Some(String::new())),
            "organization (O) is empty",
        ),
        (Box::new(|r| r.country = Some("DEU".into())), "two-letter"),
        (Box::new(|r| r.country = Some("1A".into())), "two-letter"),
        (Box::new(|r| r.days = 0), "1 to 3650"),
        (Box::new(|r| r.days = 3651), "1 to 3650"),
        (
            Box::new(|r| r.not_before = UnixTime::from_seconds(-1)),
            "date",
        ),
    ];
    for (change, message) in cases {
        let mut request = CertificateRequest::new("idp", NOW);
        change(&mut request);
        let error = KeyPair::generate(KeySize::Rsa2048, &request).unwrap_err();
        assert!(error.to_string().contains(message), "{error}");
    }
    // 64 characters are fine, counted as characters, not bytes.
    let mut request = CertificateRequest::new("ü".repeat(64), NOW);
    assert!(request.check().is_ok());
    request.common_name.push('ü');
    assert!(matches!(
        request.check(),
        Err(GenerateError::NameTooLong {
            part: NamePart::CommonName,
            chars: 65
        })
    ));
    assert!(matches!(
        pair_2048().private_key_pem(KeyEncoding::EncryptedPkcs8 { passphrase: "" }),
        Err(GenerateError::EmptyPassphrase)
    ));
}

#[test]
fn validity_after_2049_is_written_as_generalized_time() {
    let start = UnixTime::parse_rfc3339("2045-01-01T00:00:00Z").unwrap();
    let mut request = CertificateRequest::new("idp", start);
    request.days = 3650;
    let pair = KeyPair::generate(KeySize::Rsa2048, &request).unwrap();
    assert_eq!(pair.certificate().not_before(), start);
    assert_eq!(pair.certificate().not_after(), request.not_after());
    assert_eq!(pair.certificate().not_after().date(), "2054-12-30");
    let findings = samlmeta::check(None, std::slice::from_ref(pair.certificate()), NOW);
    assert!(
        findings.iter().all(|f| f.severity != Severity::Error),
        "{findings:?}"
    );
}

#[test]
fn the_common_name_follows_the_idp_entity_id() {
    for (entity_id, cn) in [
        ("https://idp.example.com/saml/metadata", "idp.example.com"),
        ("https://sso.example.com:8443", "sso.example.com"),
        ("http://user@host.example.org/x?y", "host.example.org"),
        ("https://[2001:db8::1]:443/idp", "2001:db8::1"),
        ("KeeperSSO", "KeeperSSO"),
        ("  urn:example:idp  ", "urn:example:idp"),
        ("", ""),
    ] {
        assert_eq!(default_common_name(entity_id), cn, "{entity_id}");
    }
    assert_eq!(default_common_name(&"a".repeat(100)).chars().count(), 64);
}

#[test]
fn a_pair_comes_back_from_its_der_parts_and_refuses_a_stranger() {
    let pair = pair_2048();
    let key = pair.private_key_der().unwrap();
    let back = KeyPair::from_der(&key, pair.certificate().der()).unwrap();
    assert_eq!(back.certificate(), pair.certificate());
    let other = KeyPair::generate(KeySize::Rsa2048, &request()).unwrap();
    assert!(KeyPair::from_der(&key, other.certificate().der()).is_err());
    assert!(KeyPair::from_der(b"junk", pair.certificate().der()).is_err());
}
