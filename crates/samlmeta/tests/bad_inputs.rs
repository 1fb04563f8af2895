//! The bad-input corpus (`tests/bad-inputs/` at the top of the repository, made by its
//! `make-bad-inputs.py` with the real openssl): every file, given to the input its manifest
//! names, gets its typed error (the stable code) with a message in plain words, and nothing
//! panics. The CLI's and the page's tests take the same files.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // test code

mod common;

use common::{cert, fixture};
use samlmeta::connector::{ConnectorValues, read_settings};
use samlmeta::dsig::verify::{Options, Trust, Verdict, verify};
use samlmeta::message::{Expectations, check, decode};
use samlmeta::metadata::read_sp_metadata;
use samlmeta::{Contents, Severity, UnixTime};
use serde_json::Value;
use std::path::PathBuf;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/bad-inputs")
}

/// The error's code and message for `bytes` given to `slot`; `None` when it was taken.
fn refusal(slot: &str, bytes: &[u8], entry: &Value) -> Option<(String, String)> {
    let pass = entry.get("passphrase").and_then(Value::as_str);
    let err = |code: &str, message: String| Some((code.to_owned(), message));
    let now = UnixTime::from_seconds(1_764_547_200); // 2025-12-01
    match slot {
        "certificate" => {
            match samlmeta::read(bytes, pass).and_then(Contents::require_certificate) {
                Err(e) => err(e.code(), e.to_string()),
                Ok(_) => None,
            }
        }
        "key" => match samlmeta::read(bytes, pass).and_then(Contents::require_key) {
            Err(e) => err(e.code(), e.to_string()),
            Ok(contents) => {
                // Read, but not usable: an error finding against its certificate.
                let certs = match entry.get("certificate").and_then(Value::as_str) {
                    Some(file) => vec![cert(file)],
                    None => contents.certificates.clone(),
                };
                samlmeta::check(
                    contents
                        .key
                        .as_ref()
                        .map(samlmeta::SigningKey::public)
                        .as_ref(),
                    &certs,
                    now,
                )
                .into_iter()
                .find(|f| f.severity == Severity::Error)
                .and_then(|f| err(f.code.as_str(), f.message))
            }
        },
        "sp-metadata" => read_sp_metadata(bytes)
            .err()
            .and_then(|e| err(e.code(), e.to_string())),
        "metadata" => {
            let options = Options::new(Trust::Certificate(Box::new(cert("cert.pem"))));
            match verify(bytes, &options) {
                Err(e) => err(e.code(), e.to_string()),
                Ok(report) => match &report.verdict {
                    Verdict::Refused(r) => err(r.code(), report.verdict.to_string()),
                    _ => None,
                },
            }
        }
        "message" => match decode(bytes) {
            Err(e) => err(e.code(), e.to_string()),
            Ok(decoded) => check(
                &decoded,
                &Options::new(Trust::Embedded),
                &Expectations::default(),
                now,
                180,
            )
            .err()
            .and_then(|e| err(e.code(), e.to_string())),
        },
        "settings" => read_settings(bytes, &ConnectorValues::default())
            .err()
            .and_then(|e| err(e.code(), e.to_string())),
        other => panic!("unknown slot {other}"),
    }
}

#[test]
fn every_bad_input_gets_its_typed_error_in_plain_words() {
    let manifest: Vec<Value> =
        serde_json::from_slice(&std::fs::read(corpus().join("manifest.json")).unwrap()).unwrap();
    assert!(
        manifest.len() >= 40,
        "the corpus is there ({})",
        manifest.len()
    );
    let mut wrong = Vec::new();
    for entry in &manifest {
        let file = entry["file"].as_str().unwrap();
        let slot = entry["slot"].as_str().unwrap();
        let code = entry["error"].as_str().unwrap();
        let says = entry["says"].as_str().unwrap();
        let bytes = std::fs::read(corpus().join(file)).unwrap();
        match refusal(slot, &bytes, entry) {
            None => wrong.push(format!("{file} ({slot}): taken, expected {code}")),
            Some((got, message)) => {
                if got != code || !message.contains(says) {
                    wrong.push(format!(
                        "{file} ({slot}): expected {code} saying {says:?}, got {got}: {message}"
                    ));
                }
                // Plain words: a sentence, not a debug dump.
                if message.contains("Error {") || message.contains("kind:") {
                    wrong.push(format!("{file}: not plain words: {message}"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // Every file has an entry, and the families the hardening asks for are there.
    let listed: std::collections::HashSet<&str> = manifest
        .iter()
        .map(|e| e["file"].as_str().unwrap())
        .collect();
    for e in std::fs::read_dir(corpus()).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        if name != "manifest.json" && !name.ends_with(".py") {
            assert!(
                listed.contains(name.as_str()),
                "{name} has a manifest entry"
            );
        }
    }
    let codes: std::collections::HashSet<&str> = manifest
        .iter()
        .map(|e| e["error"].as_str().unwrap())
        .collect();
    for code in [
        "malformed-pem",
        "malformed-certificate",
        "wrong-passphrase",
        "unsupported-encryption",
        "too-costly",
        "unsupported-key",
        "not-a-key",
        "key-too-small",
        "too-large",
        "empty",
        "utf-16",
        "doctype",
        "too-deep",
        "duplicate-id",
        "multiple-signatures",
        "holds-key",
        "newer-format",
    ] {
        assert!(codes.contains(code), "a bad input ends in {code}");
    }
    assert!(fixture("cert.pem").exists());
}
