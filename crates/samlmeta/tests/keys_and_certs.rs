//! Every form of IdP key and certificate an admin has, made by the real openssl
//! (`tests/fixtures/make-fixtures.sh`), through [`samlmeta::read`] and [`samlmeta::check`].

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)] // test helpers fail the test loudly

use samlmeta::pki::contents::Found;
use samlmeta::pki::input::InputError;
use samlmeta::pki::key::{KeyError, KeyFormat};
use samlmeta::time::DAY;
use samlmeta::{Contents, ReadError, Severity, UnixTime, check, read};
use std::path::PathBuf;
use std::process::Command;

mod common;
use common::openssl;

const PASS: &str = "correct horse battery staple";

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn ok(name: &str, passphrase: Option<&str>) -> Contents {
    read(&fixture(name), passphrase).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn err(name: &str, passphrase: Option<&str>) -> ReadError {
    match read(&fixture(name), passphrase) {
        Ok(c) => panic!("{name}: expected an error, got {}", c.summary()),
        Err(e) => e,
    }
}

/// A time inside the main certificate's validity.
fn now() -> UnixTime {
    let cert = &ok("cert.pem", None).certificates[0];
    UnixTime::from_seconds(cert.not_before().seconds() + DAY)
}

fn codes(contents: &Contents, at: UnixTime) -> Vec<&'static str> {
    check(
        contents
            .key
            .as_ref()
            .map(samlmeta::SigningKey::public)
            .as_ref(),
        &contents.certificates,
        at,
    )
    .into_iter()
    .map(|f| f.code.as_str())
    .collect()
}

#[test]
fn rsa_keys_in_every_container() {
    for (name, pass, format) in [
        ("pkcs1.pem", None, KeyFormat::Pkcs1),
        ("pkcs1.der", None, KeyFormat::Pkcs1),
        ("pkcs1-crlf.pem", None, KeyFormat::Pkcs1),
        ("pkcs8.pem", None, KeyFormat::Pkcs8),
        ("pkcs8.der", None, KeyFormat::Pkcs8),
        ("pkcs8-bom.pem", None, KeyFormat::Pkcs8),
        (
            "encrypted-pbkdf2.pem",
            Some(PASS),
            KeyFormat::EncryptedPkcs8,
        ),
        (
            "encrypted-pbkdf2.der",
            Some(PASS),
            KeyFormat::EncryptedPkcs8,
        ),
        (
            "encrypted-scrypt.pem",
            Some(PASS),
            KeyFormat::EncryptedPkcs8,
        ),
        ("bundle-aes.p12", Some(PASS), KeyFormat::Pkcs12),
        ("bundle-3des.pfx", Some(PASS), KeyFormat::Pkcs12),
        ("bundle-rc2-legacy.p12", Some(PASS), KeyFormat::Pkcs12),
        ("bundle-empty-passphrase.p12", None, KeyFormat::Pkcs12),
        ("combined.pem", None, KeyFormat::Pkcs8),
    ] {
        let contents = ok(name, pass);
        let key = contents
            .key
            .as_ref()
            .unwrap_or_else(|| panic!("{name}: no key"));
        assert_eq!(key.format(), format, "{name}");
        assert_eq!(key.bits(), 2048, "{name}");
        // Every container holds the same key: the public half of pkcs8.pem.
        let reference = ok("pkcs8.pem", None).key.unwrap().public_key_fingerprint();
        assert_eq!(key.public_key_fingerprint(), reference, "{name}");
    }
}

#[test]
fn the_public_key_fingerprint_is_openssls() {
    let fp = ok("pkcs8.pem", None)
        .key
        .unwrap()
        .public_key_fingerprint()
        .unwrap();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let out = Command::new("sh")
        .arg("-c")
        .arg("openssl pkey -in pkcs8.pem -pubout -outform DER | openssl dgst -sha256 -r")
        .current_dir(dir)
        .output()
        .unwrap();
    let hex = String::from_utf8_lossy(&out.stdout);
    let hex = hex.split_whitespace().next().unwrap();
    assert_eq!(fp.to_string().replace(':', "").to_lowercase(), hex);
}

#[test]
fn pkcs12_and_combined_files_fill_both_slots() {
    for (name, pass) in [
        ("bundle-aes.p12", Some(PASS)),
        ("bundle-3des.pfx", Some(PASS)),
        ("combined.pem", None),
    ] {
        let contents = ok(name, pass);
        assert!(contents.key.is_some(), "{name}");
        assert_eq!(contents.certificates.len(), 1, "{name}");
        assert_eq!(contents.pkcs12, name != "combined.pem", "{name}");
        assert_eq!(
            codes(&contents, now()),
            Vec::<&str>::new(),
            "{name}: a clean pair"
        );
        let contents = contents
            .require_key()
            .unwrap()
            .require_certificate()
            .unwrap();
        assert!(contents.summary().contains("certificate"), "{name}");
    }
}

#[test]
fn passphrases_missing_or_wrong() {
    for name in [
        "encrypted-pbkdf2.pem",
        "encrypted-scrypt.pem",
        "encrypted-pbkdf2.der",
    ] {
        assert_eq!(
            err(name, None),
            ReadError::Key(KeyError::PassphraseNeeded {
                container: "private key"
            }),
            "{name}"
        );
        assert_eq!(
            err(name, Some("Correct horse battery staple")),
            ReadError::Key(KeyError::WrongPassphrase {
                container: "private key"
            }),
            "{name}"
        );
    }
    for name in ["bundle-aes.p12", "bundle-3des.pfx", "bundle-rc2-legacy.p12"] {
        assert_eq!(
            err(name, None),
            ReadError::Key(KeyError::PassphraseNeeded {
                container: "PKCS#12 file"
            }),
            "{name}"
        );
        assert_eq!(
            err(name, Some("wrong")),
            ReadError::Key(KeyError::WrongPassphrase {
                container: "PKCS#12 file"
            }),
            "{name}"
        );
    }
}

#[test]
fn costly_encryption_is_refused_before_any_work() {
    // 50,000,000 PBKDF2 iterations: refused even with the right passphrase, and without one.
    for pass in [None, Some(PASS)] {
        match err("encrypted-pbkdf2-huge-iterations.pem", pass) {
            ReadError::Key(KeyError::TooCostly { detail }) => {
                assert!(detail.contains("50000000"), "{detail}")
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn costly_pkcs12_files_are_refused() {
    match err("bundle-huge-iterations.p12", Some(PASS)) {
        ReadError::Key(KeyError::TooCostly { detail }) => {
            assert!(detail.contains("2000000"), "{detail}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn legacy_pem_encryption_says_how_to_convert() {
    let e = err("legacy-encrypted-pkcs1.pem", Some(PASS));
    assert_eq!(
        e,
        ReadError::Input(InputError::LegacyEncryptedPem {
            label: "RSA PRIVATE KEY".into()
        })
    );
    assert!(e.to_string().contains("openssl pkcs8 -topk8"), "{e}");
}

#[test]
fn keys_that_are_not_rsa_are_named() {
    for (name, found) in [
        ("ec-p256.pkcs8.pem", "an EC key on the P-256 curve"),
        ("ec-p256.sec1.pem", "an EC key"),
        ("ed25519.pem", "an Ed25519 key"),
        ("dsa.pem", "a DSA key"),
    ] {
        let e = err(name, None);
        assert_eq!(
            e,
            ReadError::Key(KeyError::Unsupported {
                found: found.into()
            }),
            "{name}"
        );
        assert!(e.to_string().contains("rsa-sha256"), "{name}: {e}");
    }
}

#[test]
fn the_wrong_thing_in_a_slot_is_named() {
    let e = ok("cert.pem", None).require_key().unwrap_err();
    assert_eq!(
        e,
        ReadError::NotAKey {
            found: vec![Found::Certificate]
        }
    );
    assert!(e.to_string().contains("certificate slot"), "{e}");

    for (name, found) in [
        ("csr.pem", Found::CertificateRequest),
        ("public-key.pem", Found::PublicKey),
        ("csr.der", Found::CertificateRequest),
        ("public-key.der", Found::PublicKey),
    ] {
        let e = ok(name, None).require_key().unwrap_err();
        assert_eq!(e, ReadError::NotAKey { found: vec![found] }, "{name}");
    }

    let e = ok("pkcs8.pem", None).require_certificate().unwrap_err();
    assert_eq!(
        e,
        ReadError::NoCertificate {
            found: vec![Found::PrivateKey(KeyFormat::Pkcs8)]
        }
    );
    assert!(e.to_string().contains("private key slot"), "{e}");
}

#[test]
fn not_keys_or_certificates_at_all() {
    assert_eq!(err("empty.pem", None), ReadError::Input(InputError::Empty));
    assert_eq!(
        err("cert-utf16.pem", None),
        ReadError::Input(InputError::Utf16)
    );
    assert_eq!(
        err("garbage.txt", None),
        ReadError::Input(InputError::Unrecognized { looks_like: None })
    );
    assert!(matches!(
        err("random.bin", None),
        ReadError::Input(InputError::Unrecognized { .. }) | ReadError::UnknownDer
    ));
}

#[test]
fn certificates_in_every_form_read_the_same() {
    let reference = ok("cert.pem", None).certificates.remove(0);
    for name in ["cert.der", "cert-crlf.pem", "cert-bom.pem", "combined.pem"] {
        let contents = ok(name, None);
        assert_eq!(contents.certificates, vec![reference.clone()], "{name}");
    }
    let pem = String::from_utf8(fixture("cert.pem")).unwrap();
    assert_eq!(
        reference.to_pem(),
        pem,
        "PEM export is byte-identical to openssl's"
    );
    assert_eq!(reference.der(), fixture("cert.der").as_slice());
    assert_eq!(
        reference.base64(),
        pem.lines()
            .filter(|l| !l.starts_with("-----"))
            .collect::<String>()
    );
}

#[test]
fn names_are_written_as_openssl_writes_rfc2253() {
    for name in ["cert.pem", "tricky-subject.pem", "chain-reversed.pem"] {
        let certs = ok(name, None).certificates;
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        // openssl reads the first certificate of a file.
        let subject = openssl(&[
            "x509",
            "-in",
            path.to_str().unwrap(),
            "-noout",
            "-subject",
            "-nameopt",
            "RFC2253",
        ]);
        assert_eq!(subject, format!("subject={}", certs[0].subject()), "{name}");
        let issuer = openssl(&[
            "x509",
            "-in",
            path.to_str().unwrap(),
            "-noout",
            "-issuer",
            "-nameopt",
            "RFC2253",
        ]);
        assert_eq!(issuer, format!("issuer={}", certs[0].issuer()), "{name}");
    }
}

#[test]
fn inspection_agrees_with_openssl() {
    let cert = ok("cert.pem", None).certificates.remove(0);
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cert.pem");
    let path = path.to_str().unwrap();

    let sha256 = openssl(&["x509", "-in", path, "-noout", "-fingerprint", "-sha256"]);
    assert_eq!(
        sha256,
        format!("sha256 Fingerprint={}", cert.sha256_fingerprint())
    );
    let sha1 = openssl(&["x509", "-in", path, "-noout", "-fingerprint", "-sha1"]);
    assert_eq!(
        sha1,
        format!("sha1 Fingerprint={}", cert.sha1_fingerprint())
    );
    let subject = openssl(&[
        "x509", "-in", path, "-noout", "-subject", "-nameopt", "RFC2253",
    ]);
    assert_eq!(subject, format!("subject={}", cert.subject()));
    let serial = openssl(&["x509", "-in", path, "-noout", "-serial"]);
    assert_eq!(serial, format!("serial={}", cert.serial().replace(':', "")));

    assert!(cert.is_self_issued());
    assert_eq!(cert.public_key().to_string(), "RSA 2048 bits");
    assert_eq!(
        cert.signature_algorithm().to_string(),
        "sha256WithRSAEncryption"
    );
    assert_eq!(cert.key_usage(), Some(vec!["digitalSignature"]));
}

#[test]
fn the_signing_certificate_is_the_one_matching_the_key_in_any_order() {
    let chain = ok("chain-reversed.pem", None).certificates;
    assert_eq!(chain.len(), 2);
    let key = ok("chain-leaf.key.pem", None).key.unwrap();
    let signing = samlmeta::findings::matching_certificate(&key.public(), &chain).unwrap();
    assert_eq!(signing, &chain[1], "the leaf comes second in this file");
    assert!(signing.subject().contains("idp.example.com"));
    assert!(!signing.is_self_issued());

    let at = UnixTime::from_seconds(signing.not_before().seconds() + DAY);
    let findings = check(Some(&key.public()), &chain, at);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].code, "other-certificates");
    assert_eq!(findings[0].severity, Severity::Info);
}

#[test]
fn findings_for_problem_pairs() {
    let at = now();
    let key = || ok("pkcs8.pem", None).key;
    let with = |cert: &str| Contents {
        key: key(),
        certificates: ok(cert, None).certificates,
        ..Contents::default()
    };

    // Expired: 2020-01-01 .. 2021-01-01.
    let expired = with("expired.pem");
    assert_eq!(
        expired.certificates[0].not_after().to_string(),
        "2021-01-01T00:00:00Z"
    );
    assert_eq!(codes(&expired, at), ["cert-expired"]);

    assert_eq!(codes(&with("sha1-signed.pem"), at), ["cert-weak-signature"]);
    assert_eq!(
        codes(&with("no-digital-signature.pem"), at),
        ["cert-no-digital-signature"]
    );
    assert_eq!(codes(&with("other.cert.pem"), at), ["key-mismatch"]);

    let weak = Contents {
        key: ok("rsa1024.key.pem", None).key,
        certificates: ok("rsa1024.cert.pem", None).certificates,
        ..Contents::default()
    };
    assert_eq!(codes(&weak, at), ["key-too-small", "cert-key-too-small"]);
    assert!(samlmeta::findings::blocks_signing(&check(
        weak.key.as_ref().map(samlmeta::SigningKey::public).as_ref(),
        &weak.certificates,
        at
    )));

    let good = with("cert.pem");
    let cert = &good.certificates[0];
    assert_eq!(codes(&good, at), Vec::<&str>::new());
    let soon = UnixTime::from_seconds(cert.not_after().seconds() - 10 * DAY);
    assert_eq!(codes(&good, soon), ["cert-expiring"]);
    let early = UnixTime::from_seconds(cert.not_before().seconds() - DAY);
    assert_eq!(codes(&good, early), ["cert-not-yet-valid"]);

    // Without a key, only the certificate is checked (unsigned metadata needs only it).
    let cert_only = Contents {
        certificates: ok("expired.pem", None).certificates,
        ..Contents::default()
    };
    assert_eq!(codes(&cert_only, at), ["cert-expired"]);
}

#[test]
fn every_message_is_a_sentence_a_person_can_act_on() {
    let at = now();
    let mut messages: Vec<String> = Vec::new();
    for (name, pass) in [
        ("encrypted-pbkdf2.pem", None),
        ("encrypted-pbkdf2.pem", Some("x")),
        ("bundle-aes.p12", None),
        ("encrypted-pbkdf2-huge-iterations.pem", None),
        ("legacy-encrypted-pkcs1.pem", None),
        ("ed25519.pem", None),
        ("cert-utf16.pem", None),
        ("garbage.txt", None),
        ("empty.pem", None),
    ] {
        messages.push(err(name, pass).to_string());
    }
    for cert in [
        "expired.pem",
        "sha1-signed.pem",
        "no-digital-signature.pem",
        "other.cert.pem",
    ] {
        let c = ok(cert, None);
        let key = ok("pkcs8.pem", None).key;
        messages.extend(
            check(
                key.as_ref().map(samlmeta::SigningKey::public).as_ref(),
                &c.certificates,
                at,
            )
            .into_iter()
            .map(|f| f.message),
        );
    }
    for m in messages {
        assert!(
            m.len() > 80 && m.ends_with(['.', ')']) || m.contains("openssl"),
            "{m}"
        );
        assert!(!m.contains("Error("), "no debug output in messages: {m}");
    }
}

#[test]
fn without_a_key_the_leaf_of_a_chain_is_the_signing_certificate() {
    let chain = ok("chain-reversed.pem", None).certificates;
    let signing = samlmeta::findings::signing_certificate(None, &chain).unwrap();
    assert!(
        signing.subject().contains("idp.example.com"),
        "{}",
        signing.subject()
    );
    // A single self-signed certificate is its own leaf.
    let single = ok("cert.pem", None).certificates;
    assert_eq!(
        samlmeta::findings::signing_certificate(None, &single),
        single.first()
    );
}

/// Every type that holds private-key material zeroizes it when dropped. A compile-time check: the
/// test does not build if one of these stops being `ZeroizeOnDrop` (SECURITY.md names it).
#[test]
fn key_holders_zeroize_on_drop() {
    fn zeroizes_on_drop<T: zeroize::ZeroizeOnDrop>() -> &'static str {
        core::any::type_name::<T>()
    }
    let checked = [
        zeroizes_on_drop::<samlmeta::pki::key::SigningKey>(),
        zeroizes_on_drop::<samlmeta::pki::generate::KeyPair>(),
        // rsa's own key, which both hold.
        zeroizes_on_drop::<rsa::PrivateKey>(),
        // The buffers decoded key bytes, PKCS#12 key bags and passphrase bytes are held in.
        zeroizes_on_drop::<zeroize::Zeroizing<Vec<u8>>>(),
    ];
    assert!(
        checked.iter().all(|name| name.contains("::")),
        "{checked:?}"
    );
}
