//! The public XML-signature attacks on SAML, one file per family, as regression tests: every
//! file in `tests/attacks/` (made by `tests/attacks/make-attacks.py` with the real xmlsec1) gets
//! the verdict and refusal its manifest names, through the verifier or the login check. The
//! positive controls beside them (genuine xmlsec1 signatures) must verify, here and in xmlsec1,
//! so a refusal is the attack's doing and not a broken fixture.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // test code

mod common;

use common::{cert, run_on, tests_dir};
use samlmeta::UnixTime;
use samlmeta::dsig::verify::{Options, Trust, verify};
use samlmeta::message::{Checked, Expectations, check, decode};
use serde_json::Value;

/// One manifest entry.
struct Case {
    file: String,
    family: String,
    via: String,
    trust: String,
    allow_sha1: bool,
    verdict: Option<String>,
    refusal: Option<String>,
    error: Option<String>,
    name_id: Option<String>,
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn cases() -> Vec<Case> {
    let manifest = std::fs::read(tests_dir().join("attacks/manifest.json")).unwrap();
    let entries: Vec<Value> = serde_json::from_slice(&manifest).unwrap();
    entries
        .iter()
        .map(|e| Case {
            file: text(e, "file").unwrap(),
            family: text(e, "family").unwrap(),
            via: text(e, "via").unwrap(),
            trust: text(e, "trust").unwrap_or_else(|| "embedded".to_owned()),
            allow_sha1: e
                .get("allow_sha1")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            verdict: text(e, "verdict"),
            refusal: text(e, "refusal"),
            error: text(e, "error"),
            name_id: text(e, "name_id"),
        })
        .collect()
}

fn options(case: &Case) -> Options {
    let trust = match case.trust.as_str() {
        "embedded" => Trust::Embedded,
        file => Trust::Certificate(Box::new(cert(file))),
    };
    Options {
        trust,
        allow_sha1: case.allow_sha1,
    }
}

fn bytes(case: &Case) -> Vec<u8> {
    std::fs::read(tests_dir().join("attacks").join(&case.file)).unwrap()
}

/// (verdict, refusal) or the error's code, as the manifest spells them.
fn outcome(case: &Case) -> Result<(String, Option<String>), String> {
    let xml = bytes(case);
    match case.via.as_str() {
        "verify" => verify(&xml, &options(case))
            .map(|r| {
                (
                    r.verdict.code().to_owned(),
                    r.verdict.refusal_code().map(str::to_owned),
                )
            })
            .map_err(|e| e.code().to_owned()),
        "check" => {
            let decoded = decode(&xml).map_err(|e| e.code().to_owned())?;
            let checked = check(
                &decoded,
                &options(case),
                &Expectations::default(),
                UnixTime::from_seconds(1_764_547_200), // 2025-12-01
                180,
            )
            .map_err(|e| e.code().to_owned())?;
            Ok((
                checked.verdict().code().to_owned(),
                checked.verdict().refusal_code().map(str::to_owned),
            ))
        }
        other => panic!("{}: unknown via {other}", case.file),
    }
}

#[test]
fn every_attack_family_gets_its_verdict_and_reason() {
    let cases = cases();
    assert!(cases.len() >= 40, "the corpus is there ({})", cases.len());
    let mut wrong = Vec::new();
    for case in &cases {
        let expected = match &case.error {
            Some(code) => Err(code.clone()),
            None => Ok((case.verdict.clone().unwrap(), case.refusal.clone())),
        };
        let got = outcome(case);
        if got != expected {
            wrong.push(format!(
                "{} ({}): expected {expected:?}, got {got:?}",
                case.file, case.family
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_attack_is_ever_valid_and_every_family_is_there() {
    let cases = cases();
    for case in &cases {
        if case.family != "positive control" && case.name_id.is_none() {
            assert_ne!(case.verdict.as_deref(), Some("valid"), "{}", case.file);
        }
    }
    // The families of the public advisories, each at least once.
    for family in [
        "CVE-2025-29775",
        "CVE-2025-29774",
        "CVE-2024-45409",
        "CVE-2025-25291",
        "CVE-2025-25292",
        "CVE-2024-32962",
        "CVE-2025-25293",
        "CVE-2025-54572",
        "CVE-2017-11427",
    ] {
        let manifest = std::fs::read_to_string(tests_dir().join("attacks/manifest.json")).unwrap();
        assert!(manifest.contains(family), "{family} has a case");
    }
    let files: std::collections::HashSet<_> = cases.iter().map(|c| c.file.as_str()).collect();
    let on_disk = std::fs::read_dir(tests_dir().join("attacks"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".xml") || n.ends_with(".txt"))
        .count();
    assert_eq!(files.len(), on_disk, "every file has a manifest entry");
}

#[test]
fn the_positive_controls_verify_in_xmlsec1_too() {
    for case in cases()
        .iter()
        .filter(|c| c.family == "positive control" && !c.allow_sha1)
    {
        let trusted = common::fixture(&case.trust);
        let (ok, _, stderr) = run_on(
            "xmlsec1",
            &[
                "--verify",
                "--id-attr:ID",
                "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor",
                "--id-attr:ID",
                "urn:oasis:names:tc:SAML:2.0:protocol:Response",
                "--id-attr:ID",
                "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
                "--trusted-pem",
                trusted.to_str().unwrap(),
            ],
            &bytes(case),
        );
        assert!(ok, "{}: {stderr}", case.file);
    }
}

#[test]
fn a_comment_in_a_signed_name_id_is_read_whole() {
    // The Duo Labs 2018 family: a verifier that verifies, then reads the first text node,
    // logs in as alice@example.com. The value read is the one that was signed.
    for case in cases().iter().filter(|c| c.name_id.is_some()) {
        let decoded = decode(&bytes(case)).unwrap();
        let Ok(Checked::Response(checked)) = check(
            &decoded,
            &options(case),
            &Expectations::default(),
            UnixTime::from_seconds(1_764_547_200),
            180,
        ) else {
            panic!("{} is a Response", case.file);
        };
        let name_id = checked.assertions[0].name_id.as_ref().unwrap();
        assert_eq!(Some(&name_id.value), case.name_id.as_ref(), "{}", case.file);
        assert!(name_id.signed);
    }
}
