//! The attack corpus (`crates/samlmeta/tests/attacks/`) and the bad-input corpus
//! (`tests/bad-inputs/`) through the real `samlmeta` binary: `verify --json` names each attack's
//! verdict and refusal code, `check` refuses the hostile messages, and every bad input ends in
//! exit 1 with its message in plain words and no output file.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)] // test code

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn samlmeta(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_samlmeta"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run samlmeta: {e}"))
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn path(p: PathBuf) -> String {
    p.to_string_lossy().into_owned()
}

fn fixture(name: &str) -> String {
    path(root().join("crates/samlmeta/tests/fixtures").join(name))
}

fn manifest(dir: &Path) -> Vec<Value> {
    serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap()
}

/// A scratch directory of this test's own, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("samlmeta-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn verify_json_names_every_attacks_verdict_and_refusal() {
    let dir = root().join("crates/samlmeta/tests/attacks");
    let mut wrong = Vec::new();
    for case in manifest(&dir) {
        if case["via"] != "verify" {
            continue;
        }
        let file = path(dir.join(case["file"].as_str().unwrap()));
        let mut args = vec!["verify", file.as_str(), "--json"];
        let trust = case["trust"].as_str().unwrap_or("embedded");
        let cert = fixture(trust);
        if trust != "embedded" {
            args.extend(["--cert", cert.as_str()]);
        }
        if case["allow_sha1"] == true {
            args.push("--allow-sha1");
        }
        let out = samlmeta(&args);
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        let (verdict, refusal, exit) = match case["error"].as_str() {
            Some(code) => ("refused", Some(code), 1),
            None => {
                let verdict = case["verdict"].as_str().unwrap();
                let exit = match verdict {
                    "valid" => 0,
                    "signer-not-authenticated" => 3,
                    _ => 1,
                };
                (verdict, case["refusal"].as_str(), exit)
            }
        };
        if json["verdict"] != verdict
            || json["refusal"].as_str() != refusal
            || out.status.code() != Some(exit)
        {
            wrong.push(format!(
                "{}: expected {verdict} {refusal:?} exit {exit}, got {} {} exit {:?}",
                case["file"],
                json["verdict"],
                json["refusal"],
                out.status.code()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn check_refuses_the_hostile_messages() {
    let dir = root().join("crates/samlmeta/tests/attacks");
    for case in manifest(&dir) {
        if case["via"] != "check" {
            continue;
        }
        let file = path(dir.join(case["file"].as_str().unwrap()));
        let cert = fixture("cert.pem");
        let out = samlmeta(&["check", &file, "--cert", &cert, "--json"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        match case["error"].as_str() {
            Some(code) => {
                // The core's own refusal, in its words, on what the CLI reads: at most one byte
                // over the decoder's limit.
                let mut bytes = std::fs::read(&file).unwrap();
                bytes.truncate(samlmeta::message::MAX_MESSAGE_BYTES + 1);
                let error = samlmeta::message::decode(&bytes).unwrap_err();
                assert_eq!(error.code(), code, "{}", case["file"]);
                let said = format!("{}{stderr}", String::from_utf8_lossy(&out.stdout));
                assert_eq!(out.status.code(), Some(1), "{}: {said}", case["file"]);
                assert!(
                    said.contains(&error.to_string()),
                    "{}: {said}",
                    case["file"]
                );
            }
            None => {
                let json: Value = serde_json::from_slice(&out.stdout).unwrap();
                assert_eq!(json["verdict"], case["verdict"], "{}", case["file"]);
                let name_id = &json["values"]["assertions"][0]["name_id"]["value"];
                assert_eq!(name_id, &case["name_id"], "{}", case["file"]);
            }
        }
    }
}

/// The command that gives `file` to `slot`, writing to `out` where it writes anything.
fn command_for(entry: &Value, file: &str, out: &str, pass_file: &str) -> Vec<String> {
    let idp = |extra: &[&str]| -> Vec<String> {
        let mut args = vec![
            "idp",
            "--entity-id",
            "KeeperSSO",
            "--idp-url-suffix",
            "keepersecurity",
            "-o",
            out,
        ];
        args.extend_from_slice(extra);
        args.into_iter().map(str::to_owned).collect()
    };
    let cert = fixture("cert.pem");
    let key = fixture("pkcs8.pem");
    let strings = |args: &[&str]| args.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    match entry["slot"].as_str().unwrap() {
        "certificate" => idp(&["--cert", file]),
        "key" => {
            let cert = entry["certificate"].as_str().map_or(cert, fixture);
            let mut args = idp(&["--cert", &cert, "--key", file]);
            if entry.get("passphrase").is_some() {
                args.extend(["--passphrase-file".to_owned(), pass_file.to_owned()]);
            }
            args
        }
        "sp-metadata" => strings(&[
            "sp",
            "--preset",
            "generic",
            "--sp-metadata",
            file,
            "-o",
            out,
        ]),
        "metadata" => strings(&["verify", file, "--cert", &cert]),
        "message" => strings(&["check", file, "--cert", &cert]),
        "settings" => {
            let mut args = idp(&["--cert", &cert, "--key", &key]);
            // The settings file is the only source of the values here.
            args.drain(1..5);
            args.extend(["--settings".to_owned(), file.to_owned()]);
            args
        }
        other => panic!("unknown slot {other}"),
    }
}

#[test]
fn every_bad_input_ends_in_exit_1_with_its_message_and_no_output() {
    let dir = root().join("tests/bad-inputs");
    let scratch = Scratch::new("bad-inputs");
    let mut wrong = Vec::new();
    let entries = manifest(&dir);
    assert!(entries.len() >= 40);
    for entry in &entries {
        let name = entry["file"].as_str().unwrap();
        let file = path(dir.join(name));
        let out = path(scratch.0.join(format!("{name}.out.xml")));
        let pass_file = path(scratch.0.join("passphrase.txt"));
        std::fs::write(&pass_file, entry["passphrase"].as_str().unwrap_or("")).unwrap();
        let args = command_for(entry, &file, &out, &pass_file);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let result = samlmeta(&args);
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&result.stdout),
            String::from_utf8_lossy(&result.stderr)
        );
        let says = entry["says"].as_str().unwrap();
        if result.status.code() != Some(1) || !said.contains(says) {
            wrong.push(format!(
                "{name} ({}): expected exit 1 saying {says:?}, got {:?}: {said}",
                entry["slot"],
                result.status.code()
            ));
        }
        if said.contains("panicked") {
            wrong.push(format!("{name}: panicked: {said}"));
        }
        if Path::new(&out).exists() {
            wrong.push(format!("{name}: an output file was written"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Nothing partial was left beside the outputs either (temporary files included).
    let left: Vec<_> = std::fs::read_dir(&scratch.0)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "passphrase.txt")
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
