//! The bodies of samlmeta's fuzz targets, one function per target in `fuzz_targets/`. Each takes
//! arbitrary bytes and must never panic. Where a property must hold, it is asserted, so that a
//! wrong answer is a crash too:
//!
//! - `c14n`: the exclusive canonical form of a canonical form is itself, and it always parses;
//! - `certificate`: a certificate we read, written as PEM, reads back as the same certificate;
//! - `settings`: values read from a settings file or a link, exported again and read back, are
//!   the same values (what "Export settings" and "Copy link" promise), but for an empty SP value
//!   that the preset derives again;
//! - `sign_round_trip`: values from a link that have no error give signed metadata that our own
//!   verifier finds valid and our metadata reader reads back with the same Entity ID;
//! - `unlzma`: the single file's LZMA decoder (`crates/samlmeta-unlzma`) writes at most the room it
//!   is given, and exactly the header's size when the header gives one.
//!
//! `crates/samlmeta/tests/fuzz_regressions.rs` includes this file and runs every input kept under
//! `fuzz/regressions/<target>/` through the same function in `make test`, so what fuzzing found
//! stays fixed. This file uses only `samlmeta`, `samlmeta_unlzma` and `std`.

use samlmeta::connector::{
    ConnectorValues, ExtraCertificates, prefill_from_fragment, read_settings,
};
use samlmeta::dsig::signed_idp_xml;
use samlmeta::dsig::verify::{Options, Trust};
use samlmeta::message::Expectations;
use samlmeta::metadata::{read_idp_signers, read_sp_metadata};
use samlmeta::xml::c14n::exclusive;
use samlmeta::{Certificate, Severity, SigningKey, UnixTime};
use std::sync::OnceLock;

/// The test fixtures' RSA-2048 key and its certificate (`make-fixtures.sh`).
const COMBINED: &[u8] = include_bytes!("../../crates/samlmeta/tests/fixtures/combined.pem");

/// A fixed "now" (2026-12-01T00:00:00Z), so that a run does not depend on the clock.
const NOW: UnixTime = UnixTime::from_seconds(1_796_083_200);

/// The values the attack corpus's Responses are written for (Keeper Cloud, as in `tests/check.rs`).
const IDP: &str = "KeeperSSO";
const SP: &str = "https://keepersecurity.com/api/rest/sso/saml/459561502469";
const ACS: &str = "https://keepersecurity.com/api/rest/sso/saml/sso/459561502469";

fn pair() -> &'static (SigningKey, Certificate) {
    static PAIR: OnceLock<(SigningKey, Certificate)> = OnceLock::new();
    PAIR.get_or_init(|| {
        let contents = match samlmeta::read(COMBINED, None) {
            Ok(contents) => contents,
            Err(e) => panic!("the fixture pair does not read: {e}"),
        };
        match (contents.key, contents.certificates.into_iter().next()) {
            (Some(key), Some(cert)) => (key, cert),
            _ => panic!("the fixture holds a key and a certificate"),
        }
    })
}

fn trusting_the_fixture() -> Options {
    Options::new(Trust::Certificate(Box::new(pair().1.clone())))
}

/// Key and bundle files: PEM, DER, PKCS#1, PKCS#8, encrypted PKCS#8, PKCS#12, certificates, with
/// no passphrase and with one; then the findings, as the page shows them.
pub fn read_keys(data: &[u8]) {
    for passphrase in [None, Some("fuzz")] {
        match samlmeta::read(data, passphrase) {
            Ok(contents) => {
                let _ = contents.summary();
                if let Some(key) = &contents.key {
                    let _ = (key.bits(), key.format(), key.public_key_fingerprint());
                }
                let public = contents.key.as_ref().map(samlmeta::SigningKey::public);
                for finding in samlmeta::check(public.as_ref(), &contents.certificates, NOW) {
                    let _ = finding.message.len();
                }
            }
            Err(e) => {
                let _ = (e.code(), e.to_string());
            }
        }
    }
}

/// A DER certificate, every accessor the certificate card uses, and a PEM round trip.
pub fn certificate(data: &[u8]) {
    let Ok(cert) = Certificate::from_der(data) else {
        return;
    };
    let _ = (
        cert.subject(),
        cert.issuer(),
        cert.serial(),
        cert.is_self_issued(),
    );
    let _ = (cert.not_before().date(), cert.not_after().date());
    let _ = (
        cert.public_key(),
        cert.public_key_der(),
        cert.signature_algorithm(),
    );
    let _ = (
        cert.key_usage(),
        cert.sha256_fingerprint(),
        cert.sha1_fingerprint(),
    );
    let _ = cert.base64();
    match samlmeta::read(cert.to_pem().as_bytes(), None) {
        Ok(again) => assert!(
            again.certificates.first() == Some(&cert),
            "the PEM we write reads back as another certificate"
        ),
        Err(e) => panic!("the PEM we write does not read back: {e}"),
    }
}

/// XML parsing and exclusive canonicalization, of the root and of an element by ID.
pub fn c14n(data: &[u8]) {
    let _ = exclusive(data, Some("_0"), &["#default", "saml"]);
    let Ok(once) = exclusive(data, None, &[]) else {
        return;
    };
    match exclusive(&once, None, &[]) {
        Ok(twice) => assert!(
            twice == once,
            "canonicalizing the canonical form changed it:\n{}\n{}",
            String::from_utf8_lossy(&once),
            String::from_utf8_lossy(&twice)
        ),
        Err(e) => panic!(
            "the canonical form does not parse ({e}):\n{}",
            String::from_utf8_lossy(&once)
        ),
    }
}

/// Signature verification, trusting a certificate and trusting only the embedded one, with and
/// without SHA-1.
pub fn verify(data: &[u8]) {
    let allow_sha1 = data.last().is_some_and(|b| b & 1 == 1);
    for trust in [trusting_the_fixture().trust, Trust::Embedded] {
        let options = Options { trust, allow_sha1 };
        match samlmeta::dsig::verify::verify(data, &options) {
            Ok(report) => {
                let _ = (report.verdict.code(), report.verdict.refusal_code());
                let _ = report.verdict.to_string();
            }
            Err(e) => {
                let _ = (e.code(), e.to_string());
            }
        }
    }
}

/// The SAML message decoders (XML, base64, a form body, a Redirect-binding URL with DEFLATE),
/// then the check of what they decode: a Response, an AuthnRequest or metadata, against Keeper's
/// values, trusting the fixture's certificate.
pub fn message(data: &[u8]) {
    let decoded = match samlmeta::message::decode(data) {
        Ok(decoded) => decoded,
        Err(e) => {
            let _ = (e.code(), e.to_string());
            return;
        }
    };
    let expected = Expectations {
        idp_entity_id: Some(IDP.to_owned()),
        sp_entity_id: Some(SP.to_owned()),
        acs_url: Some(ACS.to_owned()),
        keeper: true,
        ..Expectations::default()
    };
    let skew = samlmeta::message::DEFAULT_SKEW_SECONDS;
    if let Err(e) =
        samlmeta::message::check(&decoded, &trusting_the_fixture(), &expected, NOW, skew)
    {
        let _ = (e.code(), e.to_string());
    }
}

/// The metadata readers: an SP's metadata (which fills the SP's values) and an IdP's signers.
pub fn metadata(data: &[u8]) {
    match read_sp_metadata(data) {
        Ok(info) => {
            let mut values = ConnectorValues::default();
            let _ = values.fill_from_sp_metadata(&info);
            let _ = values.sp_findings();
        }
        Err(e) => {
            let _ = (e.code(), e.to_string());
        }
    }
    if let Err(e) = read_idp_signers(data) {
        let _ = (e.code(), e.to_string());
    }
}

/// Settings files and link fragments; what they give is exported again (as a file and as a link)
/// and must read back as the same values.
pub fn settings(data: &[u8]) {
    let base = ConnectorValues::default();
    match read_settings(data, &base) {
        Ok(prefill) => round_trip(&prefill.values, &base),
        Err(e) => {
            let _ = (e.code(), e.to_string());
        }
    }
    if let Ok(fragment) = std::str::from_utf8(data) {
        let prefill = prefill_from_fragment(fragment, &base);
        round_trip(&prefill.values, &base);
    }
}

/// Whether `again` (read back from what `values` exported) is the same as `values`. Empty values
/// are not written (docs/settings.md), and an empty SP Entity ID or ACS URL is derived from the
/// preset's inputs when read, so where `values` has one empty, `again` may hold the derived one
/// (found by fuzzing: a link clearing the derived SP Entity ID). Everything else must be equal.
fn same_values(values: &ConnectorValues, again: &ConnectorValues) -> bool {
    let mut expected = values.clone();
    if expected.sp_entity_id.is_empty() {
        expected.sp_entity_id.clone_from(&again.sp_entity_id);
    }
    if expected.acs_url.is_empty() {
        expected.acs_url.clone_from(&again.acs_url);
    }
    expected == *again
}

fn round_trip(values: &ConnectorValues, base: &ConnectorValues) {
    let json = values.settings_json();
    match read_settings(json.as_bytes(), base) {
        Ok(again) => assert!(
            same_values(values, &again.values),
            "exported settings read back differently:\n{json}\n{values:?}\n{:?}",
            again.values
        ),
        Err(e) => panic!("exported settings do not read back ({e}):\n{json}"),
    }
    let fragment = values.to_fragment();
    let again = prefill_from_fragment(&fragment, base);
    assert!(
        same_values(values, &again.values),
        "a copied link reads back differently:\n{fragment}\n{values:?}\n{:?}",
        again.values
    );
}

/// Values from a link (the structure comes from the fragment parser), then, when they have no
/// error, signed IdP metadata: our verifier must find it valid, trusting the signing certificate,
/// and our metadata reader must read it back.
pub fn sign_round_trip(data: &[u8]) {
    let _ = signed_round_trip(data);
}

/// [`sign_round_trip`], saying whether the values got as far as being signed (the seeds must).
pub fn signed_round_trip(data: &[u8]) -> bool {
    let Ok(fragment) = std::str::from_utf8(data) else {
        return false;
    };
    let values = prefill_from_fragment(fragment, &ConnectorValues::default()).values;
    if values
        .findings()
        .iter()
        .any(|(_, f)| f.severity == Severity::Error)
    {
        return false;
    }
    let (key, cert) = pair();
    let metadata = values.idp_metadata_with(cert.clone(), &ExtraCertificates::default(), NOW);
    if !metadata
        .findings()
        .iter()
        .all(|f| f.severity != Severity::Error)
    {
        return false;
    }
    let xml = match signed_idp_xml(&metadata, key, "_fuzz") {
        Ok(xml) => xml,
        Err(e) => panic!("values without an error were not signed: {e}\n{values:?}"),
    };
    match samlmeta::dsig::verify::verify(&xml, &trusting_the_fixture()) {
        Ok(report) => assert!(
            report.verdict.is_valid(),
            "our signed metadata is not valid: {}\n{}",
            report.verdict,
            String::from_utf8_lossy(&xml)
        ),
        Err(e) => panic!("our signed metadata does not read: {e}"),
    }
    match read_idp_signers(&xml) {
        Ok(signers) => {
            assert!(
                signers.entity_id == metadata.entity_id,
                "the Entity ID changed"
            );
            assert!(
                signers.certificates.first() == Some(cert),
                "the certificate changed"
            );
        }
        Err(e) => panic!("our signed metadata is not IdP metadata: {e}"),
    }
    true
}

/// `unlzma`: the LZMA decoder on any bytes, with the room `scripts/lzma.js` would give it (the
/// header's size, here at most 1 MiB so that a run stays fast; else four times the input, at least
/// 64 KiB).
pub fn unlzma(data: &[u8]) {
    let known = samlmeta_unlzma::unpacked_size(data).ok().flatten();
    let room = match known {
        Some(size) => usize::try_from(size).unwrap_or(usize::MAX).min(1 << 20),
        None => (data.len() * 4).max(1 << 16),
    };
    let mut out = vec![0; room];
    if let Ok(written) = samlmeta_unlzma::decode_into(data, &mut out) {
        assert!(written <= room, "{written} bytes written into {room}");
        if let Some(size) = known {
            assert_eq!(written as u64, size, "the header gives {size} bytes");
        }
    }
}
