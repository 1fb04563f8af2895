//! Runs the real `samlmeta` binary and checks its output and exit codes.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // test helpers fail the test loudly

use std::process::Command;

fn samlmeta(args: &[&str]) -> std::process::Output {
    match Command::new(env!("CARGO_BIN_EXE_samlmeta"))
        .args(args)
        .output()
    {
        Ok(out) => out,
        Err(e) => panic!("cannot run samlmeta: {e}"),
    }
}

#[test]
fn version_prints_the_core_version_and_succeeds() {
    let out = samlmeta(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("samlmeta {}", samlmeta::VERSION)
    );
}

#[test]
fn self_test_passes() {
    let out = samlmeta(&["self-test"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("self-test passed"));
}

#[test]
fn unknown_command_is_a_usage_error() {
    let out = samlmeta(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("frobnicate"));
}

#[test]
fn no_command_is_a_usage_error() {
    let out = samlmeta(&[]);
    assert_eq!(out.status.code(), Some(2));
}

/// Exit 0; otherwise fail showing what the command said.
fn assert_success(out: &std::process::Output) {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn fixture(name: &str) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../samlmeta/tests/fixtures");
    root.join(name).to_string_lossy().into_owned()
}

fn passphrase_file(text: &str) -> tempfile_path::TempPath {
    tempfile_path::write(text)
}

/// A passphrase file that deletes itself.
mod tempfile_path {
    pub struct TempPath(pub std::path::PathBuf);
    impl Drop for TempPath {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }
    pub fn write(text: &str) -> TempPath {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "samlmeta-pass-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::write(&path, text).unwrap();
        TempPath(path)
    }
}

#[test]
fn inspect_a_certificate() {
    let out = samlmeta(&["inspect", &fixture("cert.pem")]);
    assert_success(&out);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(": certificate\n"), "{text}");
    assert!(
        text.contains("Certificate 1 (signing certificate)"),
        "{text}"
    );
    assert!(
        text.contains("Subject:    CN=sso.example.com,O=Example Corp,C=US"),
        "{text}"
    );
    assert!(text.contains("Public key: RSA 2048 bits"), "{text}");
    assert!(text.contains("No findings."), "{text}");
}

#[test]
fn inspect_a_pkcs12_file_with_its_passphrase() {
    let pass = passphrase_file("correct horse battery staple\n");
    let out = samlmeta(&[
        "inspect",
        &fixture("bundle-3des.pfx"),
        "--passphrase-file",
        pass.0.to_str().unwrap(),
        "--json",
    ]);
    assert_success(&out);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["pkcs12"], true);
    assert_eq!(json["key"]["bits"], 2048);
    assert_eq!(json["key"]["matches_certificate"], 1);
    assert_eq!(json["certificates"][0]["signing"], true);
    assert_eq!(json["findings"], serde_json::json!([]));
    assert_eq!(json["blocks_signing"], false);
}

#[test]
fn inspect_reports_findings_and_still_succeeds() {
    let out = samlmeta(&["inspect", &fixture("expired.pem"), "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["findings"][0]["code"], "cert-expired");
    assert_eq!(json["findings"][0]["severity"], "warning");
    assert_eq!(json["certificates"][0]["not_after"], "2021-01-01T00:00:00Z");

    let out = samlmeta(&["inspect", &fixture("rsa1024.key.pem")]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("error: The private key is RSA 1024 bits"),
        "{text}"
    );
}

#[test]
fn inspect_refuses_what_it_cannot_read_in_plain_words() {
    for (name, pass, says) in [
        ("encrypted-pbkdf2.pem", None, "protected by a passphrase"),
        ("encrypted-pbkdf2.pem", Some("wrong\n"), "does not unlock"),
        (
            "bundle-aes.p12",
            Some("wrong\n"),
            "does not unlock this PKCS#12 file",
        ),
        ("ec-p256.pkcs8.pem", None, "EC key on the P-256 curve"),
        ("legacy-encrypted-pkcs1.pem", None, "openssl pkcs8 -topk8"),
        ("cert-utf16.pem", None, "UTF-16"),
        ("garbage.txt", None, "not a key or certificate"),
        ("empty.pem", None, "The file is empty"),
    ] {
        let pass = pass.map(passphrase_file);
        let mut args = vec!["inspect".to_owned(), fixture(name)];
        if let Some(p) = &pass {
            args.push("--passphrase-file".to_owned());
            args.push(p.0.to_string_lossy().into_owned());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = samlmeta(&args);
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert!(out.stdout.is_empty(), "{name}: nothing on stdout");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("samlmeta: "), "{name}: {err}");
        assert!(err.contains(says), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
    }
}

#[test]
fn inspect_usage_errors() {
    assert_eq!(samlmeta(&["inspect"]).status.code(), Some(2));
    assert_eq!(
        samlmeta(&["inspect", "x", "--bogus"]).status.code(),
        Some(2)
    );
    let out = samlmeta(&["inspect", "/nonexistent/cert.pem"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /nonexistent/cert.pem"));
}

fn schema_valid(path: &std::path::Path) -> bool {
    let schema = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../samlmeta/tests/schemas/samlmeta-all.xsd");
    Command::new("xmllint")
        .args(["--nonet", "--noout", "--schema"])
        .arg(schema)
        .arg(path)
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("samlmeta-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn idp_writes_jumpcloud_parity_metadata_that_validates() {
    let dir = scratch("idp");
    let out_path = dir.join("keepersecurity-idp-metadata.xml");
    let out = samlmeta(&[
        "idp",
        "--cert",
        &fixture("cert.pem"),
        "--entity-id",
        "KeeperSSO",
        "--idp-url-suffix",
        "keepersecurity",
        "--display-label",
        "Keeper Security",
        "--cache-duration",
        "P7D",
        "--valid-days",
        "30",
        "--org-name",
        "Example Corp",
        "--org-url",
        "https://www.example.com",
        "--contact-email",
        "sso@example.com",
        "-o",
        out_path.to_str().unwrap(),
    ]);
    assert_success(&out);
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "samlmeta: warning [entity-id-not-uri]: The IdP Entity ID \"KeeperSSO\" is not an absolute URI"
        ),
        "{stderr}"
    );
    let xml = std::fs::read_to_string(&out_path).unwrap();
    assert!(xml.contains(r#"Location="https://sso.jumpcloud.com/saml2/keepersecurity""#));
    assert!(xml.contains(r#"cacheDuration="PT604800S""#));
    assert!(xml.contains("<md:EmailAddress>mailto:sso@example.com</md:EmailAddress>"));
    assert!(
        xml.contains("<md:OrganizationName xml:lang=\"en\">Example Corp</md:OrganizationName>")
    );
    assert!(xml.contains("<mdui:DisplayName xml:lang=\"en\">Keeper Security</mdui:DisplayName>"));
    assert!(schema_valid(&out_path));
    // Nothing but the output file is left in the folder.
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
}

#[test]
fn idp_from_a_chain_takes_the_leaf_and_writes_to_stdout() {
    let out = samlmeta(&[
        "idp",
        "--cert",
        &fixture("chain-reversed.pem"),
        "--entity-id",
        "https://idp.example.com",
        "--sso-url",
        "https://idp.example.com/sso",
        "--binding",
        "post",
    ]);
    assert_success(&out);
    let xml = String::from_utf8(out.stdout).unwrap();
    assert_eq!(xml.matches("<md:SingleSignOnService").count(), 1);
    assert!(xml.contains("HTTP-POST"));
    let leaf = std::fs::read_to_string(fixture("chain-reversed.pem")).unwrap();
    let leaf_b64: String = leaf
        .split("-----BEGIN CERTIFICATE-----")
        .nth(2)
        .unwrap()
        .lines()
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    assert!(xml.contains(&leaf_b64), "the leaf certificate, not the CA");
}

#[test]
fn sp_metadata_validates() {
    let dir = scratch("sp");
    let out_path = dir.join("sp.xml");
    let out = samlmeta(&[
        "sp",
        "--entity-id",
        "https://keeper.example.com/sso/saml",
        "--acs-url",
        "https://keeper.example.com/sso/saml/acs",
        "-o",
        out_path.to_str().unwrap(),
    ]);
    assert_success(&out);
    assert!(schema_valid(&out_path));
}

#[test]
fn invalid_input_writes_nothing_and_keeps_an_existing_file() {
    let dir = scratch("invalid");
    let out_path = dir.join("metadata.xml");
    std::fs::write(&out_path, "previous contents").unwrap();
    for args in [
        vec!["--cert", "CERT", "--entity-id", "", "--idp-url-suffix", "x"],
        vec![
            "--cert",
            "CERT",
            "--entity-id",
            "a b",
            "--idp-url-suffix",
            "x",
        ],
        vec!["--cert", "CERT", "--entity-id", "x", "--sso-url", "ftp://x"],
        vec!["--cert", "KEY", "--entity-id", "x", "--idp-url-suffix", "x"],
        vec![
            "--cert",
            "CERT",
            "--entity-id",
            "x",
            "--idp-url-suffix",
            "x",
            "--cache-duration",
            "1 week",
        ],
    ] {
        let mut full = vec!["idp".to_owned()];
        full.extend(args.iter().map(|a| match *a {
            "CERT" => fixture("cert.pem"),
            "KEY" => fixture("pkcs8.pem"),
            other => other.to_owned(),
        }));
        full.push("-o".to_owned());
        full.push(out_path.to_string_lossy().into_owned());
        let full: Vec<&str> = full.iter().map(String::as_str).collect();
        let out = samlmeta(&full);
        assert_eq!(out.status.code(), Some(1), "{full:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("samlmeta: "), "{err}");
        assert_eq!(
            std::fs::read_to_string(&out_path).unwrap(),
            "previous contents",
            "{full:?}"
        );
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            1,
            "no temporary file left: {full:?}"
        );
    }
    // Usage errors: a required value missing, or both the suffix and a full URL.
    assert_eq!(
        samlmeta(&["idp", "--entity-id", "x", "--idp-url-suffix", "x"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        samlmeta(&[
            "idp",
            "--cert",
            "c",
            "--entity-id",
            "x",
            "--idp-url-suffix",
            "x",
            "--sso-url",
            "https://x"
        ])
        .status
        .code(),
        Some(2)
    );
    assert_eq!(samlmeta(&["sp", "--entity-id", "x"]).status.code(), Some(2));
}

fn xmlsec1_verifies(path: &std::path::Path, cert: &str) -> bool {
    Command::new("xmlsec1")
        .args([
            "--verify",
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor",
            "--trusted-pem",
        ])
        .arg(fixture(cert))
        .arg(path)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

#[test]
fn idp_with_a_key_writes_signed_metadata_that_xmlsec1_verifies() {
    let dir = scratch("signed");
    let pass = passphrase_file("correct horse battery staple\n");
    for (i, key_args) in [
        vec![
            "--cert".to_owned(),
            fixture("cert.pem"),
            "--key".to_owned(),
            fixture("pkcs1.pem"),
        ],
        vec![
            "--cert".to_owned(),
            fixture("cert.pem"),
            "--key".to_owned(),
            fixture("encrypted-pbkdf2.pem"),
            "--passphrase-file".to_owned(),
            pass.0.to_string_lossy().into_owned(),
        ],
        // A PKCS#12 file holds the certificate too: no --cert.
        vec![
            "--key".to_owned(),
            fixture("bundle-3des.pfx"),
            "--passphrase-file".to_owned(),
            pass.0.to_string_lossy().into_owned(),
        ],
        vec!["--key".to_owned(), fixture("combined.pem")],
    ]
    .into_iter()
    .enumerate()
    {
        let out_path = dir.join(format!("signed-{i}.xml"));
        let mut args: Vec<String> = vec![
            "idp".into(),
            "--entity-id".into(),
            "KeeperSSO".into(),
            "--idp-url-suffix".into(),
            "keepersecurity".into(),
        ];
        args.extend(key_args);
        args.extend(["-o".to_owned(), out_path.to_string_lossy().into_owned()]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = samlmeta(&args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(xmlsec1_verifies(&out_path, "cert.pem"), "{args:?}");
        assert!(schema_valid(&out_path), "{args:?}");
    }
}

#[test]
fn signing_is_refused_without_writing_anything() {
    let dir = scratch("refused");
    let out_path = dir.join("metadata.xml");
    for (cert, key, says) in [
        ("cert.pem", "other.key.pem", "does not belong"),
        ("rsa1024.cert.pem", "rsa1024.key.pem", "1024 bits"),
        (
            "cert.pem",
            "encrypted-pbkdf2.pem",
            "protected by a passphrase",
        ),
        ("cert.pem", "cert.pem", "not a private key"),
    ] {
        let out = samlmeta(&[
            "idp",
            "--cert",
            &fixture(cert),
            "--key",
            &fixture(key),
            "--entity-id",
            "KeeperSSO",
            "--idp-url-suffix",
            "x",
            "-o",
            out_path.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(1), "{key}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{key}: {err}");
        assert!(!out_path.exists(), "{key}: no file written");
    }
}

#[test]
fn sp_signed_with_its_own_key() {
    let dir = scratch("sp-signed");
    let out_path = dir.join("sp.xml");
    let out = samlmeta(&[
        "sp",
        "--entity-id",
        "https://sp.example.com",
        "--acs-url",
        "https://sp.example.com/acs",
        "--cert",
        &fixture("other.cert.pem"),
        "--key",
        &fixture("other.key.pem"),
        "-o",
        out_path.to_str().unwrap(),
    ]);
    assert_success(&out);
    assert!(xmlsec1_verifies(&out_path, "other.cert.pem"));
    // The IdP's key does not sign the SP's metadata.
    let out = samlmeta(&[
        "sp",
        "--entity-id",
        "https://sp.example.com",
        "--acs-url",
        "https://sp.example.com/acs",
        "--cert",
        &fixture("other.cert.pem"),
        "--key",
        &fixture("pkcs8.pem"),
    ]);
    assert_eq!(out.status.code(), Some(1));
}

/// Signed IdP metadata from the CLI itself, in a scratch file.
fn signed_metadata(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("signed.xml");
    let out = samlmeta(&[
        "idp",
        "--cert",
        &fixture("cert.pem"),
        "--key",
        &fixture("pkcs8.pem"),
        "--entity-id",
        "KeeperSSO",
        "--idp-url-suffix",
        "keepersecurity",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert_success(&out);
    path
}

fn sha256_fingerprint(cert: &str) -> String {
    let out = Command::new("openssl")
        .args(["x509", "-noout", "-fingerprint", "-sha256", "-in"])
        .arg(fixture(cert))
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    text.trim().split_once('=').unwrap().1.to_owned()
}

#[test]
fn verify_exit_codes_follow_the_verdict() {
    let dir = scratch("verify");
    let signed = signed_metadata(&dir);
    let file = signed.to_str().unwrap();
    let fingerprint = sha256_fingerprint("cert.pem");
    let other = sha256_fingerprint("other.cert.pem");
    let cert = fixture("cert.pem");
    let other_cert = fixture("other.cert.pem");
    for (args, code, says) in [
        (vec![file, "--cert", &cert], 0, "Verdict: valid"),
        (
            vec![file, "--fingerprint", &fingerprint],
            0,
            "Verdict: valid",
        ),
        (vec![file], 3, "signer is not authenticated"),
        (
            vec![file, "--cert", &other_cert],
            1,
            "signed by another key",
        ),
        (
            vec![file, "--fingerprint", &other],
            1,
            "signed by another key",
        ),
    ] {
        let mut full = vec!["verify"];
        full.extend(args.iter().copied());
        let out = samlmeta(&full);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(code), "{full:?}: {stdout}");
        assert!(stdout.contains(says), "{full:?}: {stdout}");
        // The report names the signer by subject and fingerprint.
        assert!(stdout.contains("CN=sso.example.com"), "{stdout}");
        assert!(stdout.contains(&fingerprint), "{stdout}");
    }

    // Changed after signing; unsigned.
    let text = std::fs::read_to_string(&signed).unwrap();
    let altered = dir.join("altered.xml");
    std::fs::write(&altered, text.replace("keepersecurity", "evil")).unwrap();
    let out = samlmeta(&["verify", altered.to_str().unwrap(), "--cert", &cert]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("content changed after it was signed"));

    let unsigned = dir.join("unsigned.xml");
    let out = samlmeta(&[
        "idp",
        "--cert",
        &cert,
        "--entity-id",
        "KeeperSSO",
        "--idp-url-suffix",
        "keepersecurity",
        "-o",
        unsigned.to_str().unwrap(),
    ]);
    assert_success(&out);
    let out = samlmeta(&["verify", unsigned.to_str().unwrap(), "--cert", &cert]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("unsigned"));
}

#[test]
fn verify_json_says_what_is_signed_and_by_whom() {
    let dir = scratch("verify-json");
    let signed = signed_metadata(&dir);
    let out = samlmeta(&[
        "verify",
        signed.to_str().unwrap(),
        "--cert",
        &fixture("cert.pem"),
        "--json",
    ]);
    assert_success(&out);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["verdict"], "valid");
    assert_eq!(report["kind"], "metadata");
    assert_eq!(report["root"]["name"], "md:EntityDescriptor");
    let signature = &report["signatures"][0];
    assert_eq!(signature["covers"]["id"], report["root"]["id"]);
    assert_eq!(signature["algorithm"], "RSA-SHA256");
    assert_eq!(signature["digest"], "SHA-256");
    assert_eq!(signature["signer"]["trusted"], true);
    assert_eq!(
        signature["signer"]["sha256"],
        sha256_fingerprint("cert.pem")
    );
}

#[test]
fn verify_refuses_and_reports_usage_errors() {
    let dir = scratch("verify-bad");
    let signed = signed_metadata(&dir);
    let file = signed.to_str().unwrap();
    let cert = fixture("cert.pem");
    // Usage: both trust options, a malformed fingerprint, an unreadable certificate.
    for args in [
        vec!["verify", file, "--cert", &cert, "--fingerprint", "AB"],
        vec!["verify", file, "--fingerprint", "not-a-fingerprint"],
        vec!["verify", file, "--cert", "/nonexistent/cert.pem"],
        vec!["verify"],
    ] {
        assert_eq!(samlmeta(&args).status.code(), Some(2), "{args:?}");
    }
    // A DOCTYPE and a missing file: refused, exit 1, in plain words.
    let doctype = dir.join("doctype.xml");
    let text = std::fs::read_to_string(&signed).unwrap();
    std::fs::write(
        &doctype,
        text.replacen(
            "<md:EntityDescriptor",
            "<!DOCTYPE x [<!ENTITY a \"b\">]><md:EntityDescriptor",
            1,
        ),
    )
    .unwrap();
    // A structural refusal names its code in --json.
    let empty_uri = dir.join("empty-uri.xml");
    std::fs::write(
        &empty_uri,
        text.replacen("URI=\"#", "URI=\"\" data-was=\"#", 1),
    )
    .unwrap();
    let out = samlmeta(&[
        "verify",
        empty_uri.to_str().unwrap(),
        "--cert",
        &cert,
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["verdict"], "refused", "{json}");
    assert_eq!(json["refusal"], "reference-uri", "{json}");
    for (path, says) in [
        (doctype.to_str().unwrap(), "DOCTYPE"),
        ("/nonexistent/metadata.xml", "cannot read"),
    ] {
        let out = samlmeta(&["verify", path, "--cert", &cert]);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(says),
            "{path}"
        );
    }
}

/// A settings file as the page's "Export settings" writes it, in a scratch folder.
fn settings_file(dir: &std::path::Path, json: &str) -> String {
    let path = dir.join("samlmeta-settings.json");
    std::fs::write(&path, json).unwrap();
    path.to_string_lossy().into_owned()
}

const SETTINGS: &str = r#"{
  "samlmeta-settings": 1,
  "preset": "keeper-cloud",
  "keeper-region": "keepersecurity.eu",
  "keeper-sso-id": "459561502469",
  "idp-entity-id": "KeeperSSO",
  "sp-entity-id": "https://keepersecurity.eu/api/rest/sso/saml/459561502469",
  "acs-url": "https://keepersecurity.eu/api/rest/sso/saml/sso/459561502469",
  "idp-url-suffix": "keepersecurity",
  "display-label": "Keeper & Co. – Zürich",
  "nameid-format": "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
  "bindings": "post",
  "valid-days": "365"
}"#;

const ID: &str = "_0123456789abcdef0123456789abcdef";
const NOW: &str = "2026-12-01T09:30:00Z";

#[test]
fn valid_days_past_the_limit_is_refused_with_its_code_and_writes_nothing() {
    let dir = scratch("valid-days");
    let out_path = dir.join("metadata.xml");
    let out = samlmeta(&[
        "idp",
        "--cert",
        &fixture("cert.pem"),
        "--entity-id",
        "KeeperSSO",
        "--idp-url-suffix",
        "keepersecurity",
        "--valid-days",
        "100000",
        "-o",
        out_path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.lines()
            .any(|l| l.starts_with("samlmeta: error [valid-days-invalid]: ")),
        "{err}"
    );
    assert!(!out_path.exists());
    // Within the limit but after the certificate expires: written, with a warning.
    let out = samlmeta(&[
        "idp",
        "--cert",
        &fixture("cert.pem"),
        "--entity-id",
        "KeeperSSO",
        "--idp-url-suffix",
        "keepersecurity",
        "--valid-days",
        "3650",
        "--now",
        "2030-01-01T00:00:00Z",
    ]);
    assert_success(&out);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("samlmeta: warning [valid-until-after-certificate]: "),
        "{err}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("validUntil=\"2039-12-30T00:00:00Z\""));
}

#[test]
fn bindings_default_to_jumpclouds_post_only() {
    let run = |extra: &[&str]| {
        let mut args = vec![
            "idp",
            "--cert",
            "CERT",
            "--entity-id",
            "KeeperSSO",
            "--idp-url-suffix",
            "keepersecurity",
        ];
        args.extend_from_slice(extra);
        let cert = fixture("cert.pem");
        let args: Vec<&str> = args
            .into_iter()
            .map(|a| if a == "CERT" { cert.as_str() } else { a })
            .collect();
        let out = samlmeta(&args);
        assert_success(&out);
        String::from_utf8(out.stdout).unwrap()
    };
    let xml = run(&[]);
    assert_eq!(xml.matches("<md:SingleSignOnService").count(), 1);
    assert!(xml.contains("bindings:HTTP-POST\""));
    let both = run(&["--binding", "post", "--binding", "redirect"]);
    assert_eq!(both.matches("<md:SingleSignOnService").count(), 2);
    assert!(both.find("HTTP-Redirect") < both.find("HTTP-POST"));
    let out = samlmeta(&[
        "idp",
        "--cert",
        &fixture("cert.pem"),
        "--entity-id",
        "x",
        "--idp-url-suffix",
        "x",
        "--binding",
        "soap",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--binding: \"soap\" is not a binding"));
}

#[test]
fn settings_from_the_page_give_the_same_bytes_as_the_core_and_flags_override_them() {
    let dir = scratch("settings");
    let settings = settings_file(&dir, SETTINGS);
    let run = |extra: &[&str]| {
        let mut args = vec![
            "idp",
            "--settings",
            settings.as_str(),
            "--id",
            ID,
            "--now",
            NOW,
        ];
        args.extend_from_slice(extra);
        let out = samlmeta(&args);
        assert_success(&out);
        out.stdout
    };
    let (cert_path, key_path) = (fixture("cert.pem"), fixture("pkcs8.pem"));
    let signed = run(&["--cert", &cert_path, "--key", &key_path]);
    // The same values through the core, as the page signs them.
    let values = samlmeta::connector::read_settings(
        SETTINGS.as_bytes(),
        &samlmeta::connector::ConnectorValues::default(),
    )
    .unwrap()
    .values;
    let cert = samlmeta::read(&std::fs::read(&cert_path).unwrap(), None)
        .unwrap()
        .certificates
        .remove(0);
    let key = samlmeta::read(&std::fs::read(&key_path).unwrap(), None)
        .unwrap()
        .key
        .unwrap();
    let now = samlmeta::UnixTime::parse_rfc3339(NOW).unwrap();
    let md = values.idp_metadata_with(cert, &Default::default(), now);
    let want = samlmeta::dsig::signed_idp_xml(&md, &key, ID).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&signed),
        String::from_utf8_lossy(&want)
    );
    assert_eq!(
        run(&["--cert", &cert_path, "--key", &key_path]),
        signed,
        "reproducible"
    );
    let text = String::from_utf8(signed).unwrap();
    assert!(text.contains("validUntil=\"2027-12-01T09:30:00Z\""));
    assert!(text.contains("Keeper &amp; Co. – Zürich"));
    // A flag beside the file wins.
    let other =
        String::from_utf8(run(&["--cert", &cert_path, "--display-label", "Other"])).unwrap();
    assert!(other.contains(">Other</mdui:DisplayName>") && !other.contains("Zürich"));

    // The SP side from the same file: Keeper's ACS URL, not its entity ID.
    let out = samlmeta(&["sp", "--settings", &settings]);
    assert_success(&out);
    let sp = String::from_utf8(out.stdout).unwrap();
    assert!(
        sp.contains("Location=\"https://keepersecurity.eu/api/rest/sso/saml/sso/459561502469\"")
    );
}

#[test]
fn keeper_presets_derive_the_sp_values_on_the_command_line() {
    let out = samlmeta(&[
        "sp",
        "--preset",
        "keeper-cloud",
        "--keeper-region",
        "keepersecurity.eu",
        "--keeper-sso-id",
        "459561502469",
    ]);
    assert_success(&out);
    let sp = String::from_utf8(out.stdout).unwrap();
    assert!(sp.contains("entityID=\"https://keepersecurity.eu/api/rest/sso/saml/459561502469\""));
    assert!(
        sp.contains("Location=\"https://keepersecurity.eu/api/rest/sso/saml/sso/459561502469\"")
    );
    let out = samlmeta(&[
        "sp",
        "--sso-connect-server",
        "https://sso.acme.example:8443/sso-connect",
    ]);
    assert_success(&out);
    let sp = String::from_utf8(out.stdout).unwrap();
    assert!(sp.contains("entityID=\"https://sso.acme.example:8443/sso-connect\""));
    assert!(sp.contains("Location=\"https://sso.acme.example:8443/sso-connect/saml/sso\""));
    // A typed ACS URL that is Keeper's entity ID: written, with the warning.
    let out = samlmeta(&[
        "sp",
        "--preset",
        "keeper-cloud",
        "--entity-id",
        "https://keepersecurity.com/api/rest/sso/saml/1",
        "--acs-url",
        "https://keepersecurity.com/api/rest/sso/saml/1",
    ]);
    assert_success(&out);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("samlmeta: warning [acs-url-is-entity-id]: ")
    );
}

#[test]
fn missing_values_and_wrong_flags_are_usage_errors() {
    let dir = scratch("usage");
    let cert = fixture("cert.pem");
    for (args, says) in [
        (
            vec!["idp", "--cert", &cert, "--idp-url-suffix", "x"],
            "IdP Entity ID is missing",
        ),
        (
            vec!["idp", "--cert", &cert, "--entity-id", "x"],
            "IdP URL is missing",
        ),
        (
            vec!["sp", "--entity-id", "https://sp.example.com"],
            "ACS URL is missing",
        ),
        (
            vec!["sp", "--keeper-sso-id", "1"],
            "belongs to the preset keeper-cloud",
        ),
        (
            vec![
                "sp",
                "--preset",
                "keeper-cloud",
                "--keeper-region",
                "example.com",
            ],
            "not a Keeper region",
        ),
        (
            vec![
                "idp",
                "--cert",
                &cert,
                "--entity-id",
                "x",
                "--idp-url-suffix",
                "x",
                "--now",
                "yesterday",
            ],
            "not an RFC 3339 time",
        ),
    ] {
        let out = samlmeta(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    // A value in the settings file counts as given; a file that is not settings is refused.
    let settings = settings_file(
        &dir,
        r#"{"samlmeta-settings": 1, "idp-entity-id": "KeeperSSO", "idp-url-suffix": "k"}"#,
    );
    assert_success(&samlmeta(&[
        "idp",
        "--cert",
        &cert,
        "--settings",
        &settings,
    ]));
    // Given but empty: the finding, exit 1.
    let out = samlmeta(&[
        "sp",
        "--entity-id",
        "https://sp.example.com",
        "--acs-url",
        "",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("samlmeta: error [acs-url-empty]: "));
    let not_settings = settings_file(&dir, r#"{"preset": "keeper"}"#);
    let out = samlmeta(&["idp", "--cert", &cert, "--settings", &not_settings]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not samlmeta settings"));
}

fn openssl_out(args: &[&str]) -> String {
    let out = Command::new("openssl").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The files in `dir`, sorted (to see that nothing else, no temporary file, was left).
fn listing(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn keygen_writes_a_pair_that_openssl_and_xmlsec1_accept() {
    let dir = scratch("keygen");
    let key = dir.join("private.pem");
    let cert = dir.join("cert.pem");
    let (key_s, cert_s) = (key.to_str().unwrap(), cert.to_str().unwrap());
    let out = samlmeta(&[
        "keygen",
        "--bits",
        "2048",
        "--cn",
        "sso.example.com",
        "--org",
        "Example Inc",
        "--org-unit",
        "IT",
        "--country",
        "US",
        "--days",
        "730",
        "--key-out",
        key_s,
        "--cert-out",
        cert_s,
    ]);
    assert_success(&out);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("RSA 2048 bits, PKCS#8"), "{said}");
    assert_eq!(listing(&dir), ["cert.pem", "private.pem"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the key file is private");
    }
    assert!(
        std::fs::read_to_string(&key)
            .unwrap()
            .starts_with("-----BEGIN PRIVATE KEY-----")
    );

    let text = openssl_out(&["x509", "-noout", "-text", "-in", cert_s]);
    for expected in [
        "Subject: C = US, O = Example Inc, OU = IT, CN = sso.example.com",
        "Signature Algorithm: sha256WithRSAEncryption",
        "CA:FALSE",
        "Digital Signature",
        "Public-Key: (2048 bit)",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    assert!(openssl_out(&["verify", "-CAfile", cert_s, cert_s]).contains(": OK"));
    assert_eq!(
        openssl_out(&["pkey", "-pubout", "-in", key_s]),
        openssl_out(&["x509", "-noout", "-pubkey", "-in", cert_s])
    );
    // Valid from now: `-checkend 0` succeeds only for a certificate that has not expired.
    openssl_out(&["x509", "-noout", "-checkend", "0", "-in", cert_s]);

    // The pair signs metadata that xmlsec1 verifies.
    let md = dir.join("keepersecurity-idp-metadata.xml");
    assert_success(&samlmeta(&[
        "idp",
        "--entity-id",
        "KeeperSSO",
        "--idp-url-suffix",
        "keepersecurity",
        "--cert",
        cert_s,
        "--key",
        key_s,
        "-o",
        md.to_str().unwrap(),
    ]));
    assert!(xmlsec1_verifies(&md, cert_s));

    // `inspect` finds nothing to warn about in the new pair.
    let out = samlmeta(&["inspect", key_s, "--json"]);
    assert_success(&out);
    let bundle = dir.join("bundle.pem");
    std::fs::write(
        &bundle,
        [std::fs::read(&key).unwrap(), std::fs::read(&cert).unwrap()].concat(),
    )
    .unwrap();
    let out = samlmeta(&["inspect", bundle.to_str().unwrap(), "--json"]);
    assert_success(&out);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["findings"], serde_json::json!([]), "{json}");
}

#[test]
fn keygen_encrypts_with_a_passphrase_file_and_writes_pkcs1_on_request() {
    let dir = scratch("keygen-enc");
    let pass = passphrase_file("correct horse battery staple\n");
    let pass_s = pass.0.to_str().unwrap();
    let key = dir.join("private-encrypted.pem");
    let cert = dir.join("cert.pem");
    assert_success(&samlmeta(&[
        "keygen",
        "--bits",
        "2048",
        "--cn",
        "idp",
        "--key-out",
        key.to_str().unwrap(),
        "--cert-out",
        cert.to_str().unwrap(),
        "--passphrase-file",
        pass_s,
    ]));
    let pem = std::fs::read_to_string(&key).unwrap();
    assert!(
        pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"),
        "{pem}"
    );
    assert_eq!(
        openssl_out(&[
            "pkey",
            "-pubout",
            "-in",
            key.to_str().unwrap(),
            "-passin",
            &format!("file:{pass_s}"),
        ]),
        openssl_out(&["x509", "-noout", "-pubkey", "-in", cert.to_str().unwrap()])
    );
    // Without the passphrase openssl cannot open it.
    let out = Command::new("openssl")
        .args([
            "pkey",
            "-in",
            key.to_str().unwrap(),
            "-passin",
            "pass:wrong",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());

    let pkcs1 = dir.join("pkcs1.pem");
    assert_success(&samlmeta(&[
        "keygen",
        "--bits",
        "2048",
        "--cn",
        "idp",
        "--pkcs1",
        "--key-out",
        pkcs1.to_str().unwrap(),
        "--cert-out",
        dir.join("pkcs1-cert.pem").to_str().unwrap(),
    ]));
    assert!(
        std::fs::read_to_string(&pkcs1)
            .unwrap()
            .starts_with("-----BEGIN RSA PRIVATE KEY-----")
    );
}

#[test]
fn keygen_writes_both_files_or_neither() {
    let dir = scratch("keygen-neither");
    let key = dir.join("private.pem");
    let cert = dir.join("cert.pem");
    let (key_s, cert_s) = (key.to_str().unwrap(), cert.to_str().unwrap());
    std::fs::write(&cert, "last year's certificate").unwrap();

    // An existing output file without --force: exit 1, nothing written, the old file kept.
    let out = samlmeta(&[
        "keygen",
        "--bits",
        "2048",
        "--cn",
        "idp",
        "--key-out",
        key_s,
        "--cert-out",
        cert_s,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--force"),
        "{out:?}"
    );
    assert_eq!(listing(&dir), ["cert.pem"]);
    assert_eq!(
        std::fs::read_to_string(&cert).unwrap(),
        "last year's certificate"
    );

    // With --force both are replaced.
    assert_success(&samlmeta(&[
        "keygen",
        "--bits",
        "2048",
        "--cn",
        "idp",
        "--key-out",
        key_s,
        "--cert-out",
        cert_s,
        "--force",
    ]));
    assert_eq!(listing(&dir), ["cert.pem", "private.pem"]);
    assert!(
        std::fs::read_to_string(&cert)
            .unwrap()
            .starts_with("-----BEGIN CERTIFICATE-----")
    );

    // A directory that does not exist: exit 1, nothing anywhere.
    let missing = dir.join("no-such-dir");
    let out = samlmeta(&[
        "keygen",
        "--bits",
        "2048",
        "--cn",
        "idp",
        "--key-out",
        key_s,
        "--cert-out",
        missing.join("cert.pem").to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("nothing was written"),
        "{out:?}"
    );
    assert_eq!(listing(&dir), ["cert.pem", "private.pem"]);
}

#[test]
fn keygen_usage_errors_exit_2_before_any_key_is_made() {
    let dir = scratch("keygen-usage");
    let key = dir.join("k.pem");
    let cert = dir.join("c.pem");
    let pass = passphrase_file("secret");
    let base = [
        "keygen",
        "--key-out",
        key.to_str().unwrap(),
        "--cert-out",
        cert.to_str().unwrap(),
    ];
    let long_cn = "x".repeat(65);
    for (extra, says) in [
        (
            vec![
                "--cn",
                "idp",
                "--pkcs1",
                "--passphrase-file",
                pass.0.to_str().unwrap(),
            ],
            "cannot be used with",
        ),
        (vec!["--cn", "idp", "--bits", "1024"], "2048, 3072 or 4096"),
        (vec!["--cn", "idp", "--days", "0"], "--days"),
        (vec!["--cn", "idp", "--days", "3651"], "--days"),
        (vec!["--cn", long_cn.as_str()], "at most 64"),
        (vec!["--cn", "idp", "--country", "USA"], "two-letter"),
        (vec!["--cn", "idp", "--now", "yesterday"], "RFC 3339"),
        (vec![], "--cn"),
    ] {
        let args: Vec<&str> = base.iter().copied().chain(extra.iter().copied()).collect();
        let out = samlmeta(&args);
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{extra:?}: {err}");
        assert!(listing(&dir).is_empty(), "{extra:?} wrote something");
    }
}

/// A Keeper login's Response, its Assertion and then the Response signed by the real xmlsec1
/// with the fixture pair.
fn signed_login(dir: &std::path::Path, audience: &str) -> std::path::PathBuf {
    let sig = |id: &str| {
        format!(
            r##"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#{id}"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature>"##
        )
    };
    let acs = "https://keepersecurity.com/api/rest/sso/saml/sso/459561502469";
    let xml = format!(
        r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_resp" Version="2.0" IssueInstant="2026-12-01T10:00:00Z" Destination="{acs}"><saml:Issuer>KeeperSSO</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion ID="_a1" Version="2.0" IssueInstant="2026-12-01T10:00:00Z"><saml:Issuer>KeeperSSO</saml:Issuer>{sig}<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">ada@example.com</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="2026-12-01T10:05:00Z" Recipient="{acs}"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="2026-12-01T09:59:00Z" NotOnOrAfter="2026-12-01T10:05:00Z"><saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AttributeStatement><saml:Attribute Name="Email"><saml:AttributeValue>ada@example.com</saml:AttributeValue></saml:Attribute><saml:Attribute Name="First"><saml:AttributeValue>Ada</saml:AttributeValue></saml:Attribute><saml:Attribute Name="Last"><saml:AttributeValue>Lovelace</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>"#,
        sig = sig("_a1")
    );
    let sign = |xml: &str, node: &str| {
        let path = dir.join("template.xml");
        std::fs::write(&path, xml).unwrap();
        let out = Command::new("xmlsec1")
            .args(["--sign", "--privkey-pem"])
            .arg(format!("{},{}", fixture("pkcs8.pem"), fixture("cert.pem")))
            .args(["--id-attr:ID", node])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let xml = sign(&xml, "urn:oasis:names:tc:SAML:2.0:assertion:Assertion");
    let xml = xml.replacen(
        "<samlp:Status>",
        &format!("{}<samlp:Status>", sig("_resp")),
        1,
    );
    let xml = sign(&xml, "urn:oasis:names:tc:SAML:2.0:protocol:Response");
    let path = dir.join("response.xml");
    std::fs::write(&path, xml).unwrap();
    path
}

const KEEPER_SP: &str = "https://keepersecurity.com/api/rest/sso/saml/459561502469";

fn keeper_settings(dir: &std::path::Path) -> String {
    settings_file(
        dir,
        r#"{"samlmeta-settings": 1, "preset": "keeper-cloud", "keeper-region": "keepersecurity.com", "keeper-sso-id": "459561502469", "idp-entity-id": "KeeperSSO", "idp-url-suffix": "keepersecurity"}"#,
    )
}

#[test]
fn check_a_good_login_in_every_encoding() {
    let dir = scratch("check-good");
    let response = signed_login(&dir, KEEPER_SP);
    let settings = keeper_settings(&dir);
    let base = [
        "--cert",
        &fixture("cert.pem"),
        "--settings",
        &settings,
        "--now",
        "2026-12-01T10:01:00Z",
    ];
    let args: Vec<&str> = ["check", response.to_str().unwrap()]
        .into_iter()
        .chain(base)
        .collect();
    let out = samlmeta(&args);
    assert_success(&out);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("no problems found"), "{text}");
    assert!(text.contains("NameID: ada@example.com (signed)"), "{text}");

    let mut json_args = args.clone();
    json_args.push("--json");
    let out = samlmeta(&json_args);
    assert_success(&out);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["kind"], "response");
    assert_eq!(json["encoding"], "xml");
    assert_eq!(json["verdict"], "valid");
    assert_eq!(json["signed"]["response"], true);
    assert_eq!(json["signed"]["assertions"][0]["signed"], true);
    assert_eq!(json["problems"], serde_json::json!([]));
    assert_eq!(
        json["values"]["assertions"][0]["name_id"]["value"],
        "ada@example.com"
    );
    assert_eq!(json["values"]["destination"]["signed"], true);
    let map = json["map"]["elements"].as_array().unwrap();
    assert_eq!(map[0]["name"], "samlp:Response");
    assert_eq!(map[0]["depth"], 0);
    assert!(map.iter().all(|e| e["signed"] == true), "{map:?}");
    assert_eq!(json["map"]["left_out"], 0);

    // The SAMLResponse form field as copied from the browser, on standard input.
    let b64 =
        <base64ct::Base64 as base64ct::Encoding>::encode_string(&std::fs::read(&response).unwrap());
    let mut child = Command::new(env!("CARGO_BIN_EXE_samlmeta"))
        .args(["check", "-", "--json"])
        .args(base)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("SAMLResponse={}&RelayState=x", b64.replace('+', "%2B")).as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_success(&out);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["encoding"], "form");

    // Against the IdP's metadata listing a second (rollover) certificate first.
    let cert_b64 = |name: &str| {
        let pem = std::fs::read_to_string(fixture(name)).unwrap();
        pem.lines()
            .filter(|l| !l.starts_with("-----"))
            .collect::<String>()
    };
    let metadata = dir.join("idp-metadata.xml");
    std::fs::write(
        &metadata,
        format!(
            r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="KeeperSSO"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor></md:IDPSSODescriptor></md:EntityDescriptor>"#,
            cert_b64("other.cert.pem"),
            cert_b64("cert.pem")
        ),
    )
    .unwrap();
    let out = samlmeta(&[
        "check",
        response.to_str().unwrap(),
        "--idp-metadata",
        metadata.to_str().unwrap(),
        "--settings",
        &settings,
        "--now",
        "2026-12-01T10:01:00Z",
    ]);
    assert_success(&out);
}

#[test]
fn check_exit_codes_follow_the_problems() {
    let dir = scratch("check-codes");
    let settings = keeper_settings(&dir);
    let good = signed_login(&dir, KEEPER_SP);
    let good = good.to_str().unwrap();
    let at = "2026-12-01T10:01:00Z";

    // No certificate: intact, signer not authenticated: exit 3.
    let out = samlmeta(&["check", good, "--settings", &settings, "--now", at]);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("warning [signer-not-authenticated]"));

    // Signed by another key than the one given: exit 1.
    let out = samlmeta(&[
        "check",
        good,
        "--cert",
        &fixture("other.cert.pem"),
        "--now",
        at,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("error [signer-mismatch]"));

    // A flag overrides the settings: another SP Entity ID is an audience mismatch.
    let out = samlmeta(&[
        "check",
        good,
        "--cert",
        &fixture("cert.pem"),
        "--settings",
        &settings,
        "--now",
        at,
        "--sp-entity-id",
        "https://keepersecurity.eu/api/rest/sso/saml/459561502469",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("error [audience-mismatch]"));

    // An hour later it has expired; with a day of skew it has not.
    let later = [
        "check",
        good,
        "--cert",
        &fixture("cert.pem"),
        "--now",
        "2026-12-01T11:01:00Z",
    ];
    let out = samlmeta(&later);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("error [expired]"));
    let mut skewed = later.to_vec();
    skewed.extend(["--skew", "86400"]);
    assert_success(&samlmeta(&skewed));

    // An AuthnRequest from a Redirect-binding URL: held against the SP's side of the connector.
    let request = r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_q" Version="2.0" IssueInstant="2026-12-01T10:00:00Z" Destination="https://sso.jumpcloud.com/saml2/keepersecurity" AssertionConsumerServiceURL="https://keepersecurity.com/api/rest/sso/saml/sso/459561502469"><saml:Issuer>https://keepersecurity.com/api/rest/sso/saml/459561502469</saml:Issuer></samlp:AuthnRequest>"#;
    let b64 = <base64ct::Base64 as base64ct::Encoding>::encode_string(request.as_bytes());
    let url = dir.join("url.txt");
    std::fs::write(
        &url,
        format!(
            "https://sso.jumpcloud.com/saml2/keepersecurity?SAMLRequest={}&RelayState=abc&SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256&Signature=AAAA",
            b64.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D")
        ),
    )
    .unwrap();
    let out = samlmeta(&[
        "check",
        url.to_str().unwrap(),
        "--settings",
        &settings,
        "--json",
    ]);
    assert_success(&out);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["kind"], "authn-request");
    assert_eq!(json["encoding"], "url");
    assert_eq!(json["values"]["relay_state"], "abc");
    assert_eq!(json["signed"]["redirect_signature"]["verified"], false);
    assert_eq!(json["problems"], serde_json::json!([]));
    let out = samlmeta(&[
        "check",
        url.to_str().unwrap(),
        "--settings",
        &settings,
        "--acs-url",
        "https://sp.example/acs",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("error [acs-url-mismatch]"));

    // Metadata the builder wrote, held against the same settings and certificate.
    let metadata = dir.join("keepersecurity-idp-metadata.xml");
    assert_success(&samlmeta(&[
        "idp",
        "--settings",
        &settings,
        "--cert",
        &fixture("cert.pem"),
        "-o",
        metadata.to_str().unwrap(),
    ]));
    let cert = fixture("cert.pem");
    let md = [
        "check",
        metadata.to_str().unwrap(),
        "--settings",
        &settings,
        "--cert",
        &cert,
    ];
    let out = samlmeta(&[&md[..], &["--json"]].concat());
    assert_success(&out);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["kind"], "metadata");
    assert_eq!(json["values"]["entities"][0]["entity_id"], "KeeperSSO");
    assert_eq!(
        json["values"]["entities"][0]["endpoints"][0]["location"],
        "https://sso.jumpcloud.com/saml2/keepersecurity"
    );
    let out = samlmeta(&[&md[..], &["--idp-entity-id", "keepersso"]].concat());
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("error [entity-id-mismatch]"));
    let other_cert = fixture("other.cert.pem");
    let out = samlmeta(&["check", metadata.to_str().unwrap(), "--cert", &other_cert]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("error [certificate-mismatch]"));

    // Not a message checked here, and a DEFLATE bomb: exit 1 with the reason.
    let other = dir.join("other.xml");
    std::fs::write(&other, "<html><body>login page</body></html>").unwrap();
    let out = samlmeta(&["check", other.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a SAML message checked here"));
    let bomb = dir.join("bomb.txt");
    let zeros = {
        let mut child = Command::new("gzip")
            .args(["-n", "-c", "-9"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let writer = std::thread::spawn(move || {
            use std::io::Write;
            stdin.write_all(&vec![b'<'; 5_000_000])
        });
        let out = child.wait_with_output().unwrap();
        writer.join().unwrap().unwrap();
        out.stdout[10..out.stdout.len() - 8].to_vec()
    };
    std::fs::write(
        &bomb,
        <base64ct::Base64 as base64ct::Encoding>::encode_string(&zeros),
    )
    .unwrap();
    let out = samlmeta(&["check", bomb.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        json["error"]
            .as_str()
            .unwrap()
            .contains("refused without inflating"),
        "{json}"
    );

    // Usage errors: exit 2.
    for args in [
        vec![
            "check",
            good,
            "--cert",
            &fixture("cert.pem"),
            "--fingerprint",
            "AB",
        ],
        vec!["check", good, "--skew", "-1"],
        vec!["check", good, "--fingerprint", "not hex"],
        vec!["check", good, "--now", "yesterday"],
        vec!["check"],
    ] {
        assert_eq!(samlmeta(&args).status.code(), Some(2), "{args:?}");
    }
}
